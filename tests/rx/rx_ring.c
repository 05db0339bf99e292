/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Receive side over net_ring loopback ports (no kernel needed): an RX lcore
 * serves
 *  - net_ring0 rxq 0 in poll mode;
 *  - net_ring1 rxq 0 in interrupt mode: net_ring has no RX interrupts, so it
 *    must fall back to polling (one log line);
 *  - net_ring2 rxq 0 in interrupt mode with soft_irq: woken by
 *    sn_rx_queue_irq() only; a burst larger than the budget must take
 *    several NAPI polls (time_squeeze) and then re-arm.
 * The callbacks count, check the order, and reflect a tenth of the packets
 * through softnet on a net_null device, so that the callback's transmit path
 * is exercised; every mbuf comes back to the pool.
 */

#include <unistd.h>

#include <rte_ethdev.h>
#include <rte_lcore.h>

#include "sn_ethdev.h"
#include "sn_test.h"

#define N 3000

struct rxc {
	uint64_t got, next_seq, misorder, in_softirq_bad;
	struct sn_netdev *out;
};

static volatile bool stop;
static struct rxc c[3];

static void
cb(struct sn_softnet *sd, uint16_t port, uint16_t queue, struct rte_mbuf **pkts, uint16_t n,
   void *arg)
{
	struct rxc *x = arg;

	RTE_SET_USED(port);
	RTE_SET_USED(queue);
	if (!sn_in_serving_softirq(sd))
		x->in_softirq_bad++;
	for (uint16_t i = 0; i < n; i++) {
		uint64_t s = sn_test_seq(pkts[i]);

		if (s != x->next_seq)
			x->misorder++;
		x->next_seq = s + 1;
		x->got++;
		if (s % 10 == 0)
			sn_xmit(sd, x->out, 0, pkts[i]);
		else
			rte_pktmbuf_free(pkts[i]);
	}
}

static int
lcore_main(void *arg)
{
	RTE_SET_USED(arg);
	return sn_rx_lcore_loop(&stop, NULL);
}

static int
push(struct rte_mempool *mp, uint16_t port, unsigned int n)
{
	struct rte_mbuf *pkts[32];

	for (unsigned int done = 0; done < n;) {
		unsigned int k = RTE_MIN(32u, n - done);
		uint16_t sent;

		if (sn_test_alloc(mp, pkts, k, 64, 0, done) != 0)
			return -1;
		sent = rte_eth_tx_burst(port, 0, pkts, (uint16_t)k);
		if (sent < k)
			rte_pktmbuf_free_bulk(pkts + sent, k - sent);
		done += sent;
	}
	return 0;
}

static bool
wait_got(struct rxc *x, uint64_t n)
{
	for (int i = 0; i < 5000 && __atomic_load_n(&x->got, __ATOMIC_RELAXED) < n; i++)
		usleep(1000);
	return __atomic_load_n(&x->got, __ATOMIC_RELAXED) == n;
}

int
main(void)
{
	struct sn_ethdev_conf ec = { .nb_rxq = 1, .nb_txq = 1, .nb_rx_desc = 4096, .nb_tx_desc = 4096 };
	struct rte_mempool *mp;
	struct sn_netdev *dev[3], *out;
	struct sn_rx_queue_stats qs;
	struct sn_rx_lcore_stats ls;
	unsigned int baseline, rx_lcore;
	uint16_t port[3];

	sn_test_init("rx_ring", "0-1",
		     "--vdev net_ring0 --vdev net_ring1 --vdev net_ring2 --vdev net_null0");
	mp = sn_test_pool("rx_ring_pool", 16384);
	SN_ASSERT(mp != NULL, "pool");
	baseline = rte_mempool_in_use_count(mp);
	ec.rx_pool = mp;
	for (int i = 0; i < 3; i++) {
		char name[32];

		snprintf(name, sizeof(name), "net_ring%d", i);
		SN_ASSERT_EQ(rte_eth_dev_get_port_by_name(name, &port[i]), 0);
		ec.rx_intr = i != 0;
		dev[i] = sn_ethdev_open(port[i], NULL, &ec);
		if (dev[i] == NULL && i != 0) {
			/* net_ring refuses intr_conf.rxq: configure without it. */
			ec.rx_intr = false;
			dev[i] = sn_ethdev_open(port[i], NULL, &ec);
		}
		SN_ASSERT(dev[i] != NULL, "open %s: %s", name, rte_strerror(rte_errno));
	}
	{
		uint16_t np;

		SN_ASSERT_EQ(rte_eth_dev_get_port_by_name("net_null0", &np), 0);
		out = sn_ethdev_open(np, "null", &(struct sn_ethdev_conf){ .nb_txq = 1 });
		SN_ASSERT(out != NULL, "null");
	}
	rx_lcore = rte_get_next_lcore(-1, 1, 0);
	for (int i = 0; i < 3; i++)
		c[i].out = out;
	SN_ASSERT_EQ(sn_rx_queue_add(port[0], 0, rx_lcore,
				     &(struct sn_rx_queue_conf){ .cb = cb, .cb_arg = &c[0] }), 0);
	SN_ASSERT_EQ(sn_rx_queue_add(port[1], 0, rx_lcore,
				     &(struct sn_rx_queue_conf){ .mode = SN_RX_INTERRUPT, .cb = cb,
								 .cb_arg = &c[1] }), 0);
	SN_ASSERT_EQ(sn_rx_queue_add(port[2], 0, rx_lcore,
				     &(struct sn_rx_queue_conf){ .mode = SN_RX_INTERRUPT, .soft_irq = true,
								 .cb = cb, .cb_arg = &c[2] }), 0);
	SN_ASSERT_EQ(sn_rx_queue_add(port[2], 0, rx_lcore, NULL), -EEXIST);
	SN_ASSERT_EQ(sn_rx_queue_add(port[2], 5, rx_lcore, NULL), -EINVAL);
	SN_ASSERT_EQ(sn_rx_queue_add(port[2], 0, rx_lcore,
				     &(struct sn_rx_queue_conf){ .async = true }), -EINVAL);

	SN_ASSERT_EQ(rte_eal_remote_launch(lcore_main, NULL, rx_lcore), 0);
	usleep(100000);
	SN_ASSERT_EQ(sn_rx_queue_mode(port[0], 0), SN_RX_POLL);
	SN_ASSERT_EQ(sn_rx_queue_mode(port[1], 0), SN_RX_POLL); /* fallback */
	SN_ASSERT_EQ(sn_rx_queue_mode(port[2], 0), SN_RX_INTERRUPT);
	SN_ASSERT_EQ(sn_rx_queue_add(port[0], 0, rx_lcore, NULL), -EEXIST);

	SN_ASSERT_EQ(push(mp, port[0], N), 0);
	SN_ASSERT(wait_got(&c[0], N), "poll queue got %" PRIu64 " of %d", c[0].got, N);
	SN_ASSERT_EQ(push(mp, port[1], N), 0);
	SN_ASSERT(wait_got(&c[1], N), "fallback queue got %" PRIu64 " of %d", c[1].got, N);

	/* Interrupt mode: nothing is read until the interrupt. */
	SN_ASSERT_EQ(push(mp, port[2], 1000), 0);
	usleep(50000);
	SN_ASSERT_EQ(__atomic_load_n(&c[2].got, __ATOMIC_RELAXED), 0);
	SN_ASSERT_EQ(sn_rx_queue_irq(port[2], 0), 0);
	SN_ASSERT(wait_got(&c[2], 1000), "interrupt queue got %" PRIu64 " of 1000", c[2].got);
	SN_ASSERT_EQ(sn_rx_queue_stats_get(port[2], 0, &qs), 0);
	printf("interrupt queue: %" PRIu64 " packets, %" PRIu64 " polls, %" PRIu64
	       " time_squeeze, %" PRIu64 " irqs, %" PRIu64 " rearms\n",
	       qs.packets, qs.polls, qs.time_squeeze, qs.irqs, qs.rearms);
	SN_ASSERT(qs.time_squeeze >= 1000 / SN_RX_BUDGET - 1, "budget not applied");
	SN_ASSERT(qs.rearms >= 1, "never re-armed");
	/* Re-armed and off the poll list: new packets wait for the next interrupt. */
	SN_ASSERT_EQ(push(mp, port[2], 10), 0);
	usleep(50000);
	SN_ASSERT_EQ(__atomic_load_n(&c[2].got, __ATOMIC_RELAXED), 1000);
	c[2].next_seq = 0;
	SN_ASSERT_EQ(sn_rx_queue_irq(port[2], 0), 0);
	SN_ASSERT(wait_got(&c[2], 1010), "second interrupt");

	stop = true;
	SN_ASSERT_EQ(rte_eal_wait_lcore(rx_lcore), 0);
	SN_ASSERT_EQ(sn_rx_lcore_stats_get(rx_lcore, &ls), 0);
	printf("lcore: %" PRIu64 " NET_RX runs, %" PRIu64 " sleeps\n", ls.rx_action, ls.sleeps);
	for (int i = 0; i < 3; i++) {
		SN_ASSERT_EQ(c[i].misorder, 0);
		SN_ASSERT_EQ(c[i].in_softirq_bad, 0);
		SN_ASSERT_EQ(sn_rx_queue_del(port[i], 0), 0);
	}
	for (int i = 0; i < 3; i++)
		sn_ethdev_close(dev[i], NULL);
	sn_ethdev_close(out, NULL);
	if (sn_test_pool_check(mp, baseline) != 0)
		return SN_TEST_FAIL;
	rte_mempool_free(mp);
	sn_test_fini();
	return SN_TEST_PASS;
}
