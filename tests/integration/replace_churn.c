/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Replacing the root qdisc over and over while another lcore transmits.
 *
 * Lcore 1 transmits continuously into a device whose driver takes at most 16
 * packets per call (so packets are queued, requeued and the queue stopped all
 * the time) and polls between bursts. The main lcore replaces the qdisc
 * hundreds of times for at least a second, cycling through pfifo_fast, pfifo, bfifo, noqueue and
 * no_bypass variants. Accounting must stay exact: handed = sent + every
 * counted drop + still queued; the driver got exactly what was counted sent,
 * per-source order held, and the pool returns to its baseline.
 */

#include <string.h>

#include <rte_cycles.h>
#include <rte_launch.h>
#include <rte_pause.h>

#include "sn_test.h"
#include "sn_test_util.h"

#define NB_REPLACE 300
#define BURST 24

static struct rte_mempool *mp;
static struct sn_netdev *dev;
static volatile int stop;
static uint64_t handed;
static int worker_rc;

static struct {
	uint64_t next_min;
	uint64_t bad_order;
	uint64_t got;
} drv;

static uint16_t
churn_xmit(struct sn_netdev *d, uint16_t txq, struct rte_mbuf **pkts, uint16_t n)
{
	uint16_t k = RTE_MIN(n, (uint16_t)16);

	RTE_SET_USED(d);
	RTE_SET_USED(txq);
	for (uint16_t i = 0; i < k; i++) {
		uint64_t seq = sn_test_seq(pkts[i]);

		if (seq < drv.next_min)
			drv.bad_order++;
		drv.next_min = seq + 1;
	}
	drv.got += k;
	rte_pktmbuf_free_bulk(pkts, k);
	return k;
}

static const struct sn_netdev_ops churn_ops = {
	.xmit = churn_xmit,
};

static int
sender(void *arg)
{
	struct sn_softnet *sd = sn_softnet_attach();
	struct rte_mbuf *pkts[BURST];
	uint64_t seq = 0;

	RTE_SET_USED(arg);
	if (sd == NULL) {
		worker_rc = -1;
		return -1;
	}
	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		uint16_t n = (uint16_t)(1 + seq % BURST);

		if (sn_test_alloc(mp, pkts, n, 80, (uint32_t)(seq & 15), seq) == 0) {
			if (n == 1)
				sn_xmit(sd, dev, 0, pkts[0]);
			else
				sn_xmit_burst(sd, dev, 0, pkts, n);
			handed += n;
			seq += n;
		}
		sn_softnet_poll(sd);
	}
	sn_test_drain(sd);
	worker_rc = sn_softnet_detach(sd);
	return 0;
}

static int
test_churn(void)
{
	static const char *const kinds[] = { "pfifo", "bfifo", "pfifo_fast", "noqueue",
					     "pfifo_fast" };
	unsigned int wl = sn_test_worker(), base = rte_mempool_in_use_count(mp);
	struct sn_softnet *sd = sn_softnet_attach();
	struct sn_softnet_stats sum;
	struct sn_netdev_stats ds;
	struct sn_qdisc_info info;
	uint64_t t0;

	SN_ASSERT(sd != NULL, "attach");
	dev = sn_netdev_create("churn", &churn_ops, 1, 0, SOCKET_ID_ANY);
	SN_ASSERT(dev != NULL, "create");
	SN_ASSERT_EQ(sn_netdev_up(dev), 0);
	SN_ASSERT_EQ(rte_eal_remote_launch(sender, NULL, wl), 0);

	t0 = rte_get_timer_cycles();
	/* At least NB_REPLACE replaces and at least one second of traffic. */
	for (unsigned int i = 0;
	     i < NB_REPLACE || rte_get_timer_cycles() - t0 < rte_get_timer_hz(); i++) {
		struct sn_qdisc_params p;
		const char *kind = kinds[i % RTE_DIM(kinds)];

		memset(&p, 0, sizeof(p));
		p.no_bypass = (i / RTE_DIM(kinds)) % 2;
		p.limit = strcmp(kind, "bfifo") == 0 ? 4000 : 50;
		if (strcmp(kind, "noqueue") == 0)
			p.limit = 0;
		SN_ASSERT_EQ(sn_qdisc_replace(dev, 0, kind, &p, sd), 0);
		sn_softnet_poll(sd);
		if (rte_get_timer_cycles() - t0 > 10 * rte_get_timer_hz()) {
			fprintf(stderr, "FAIL: replaces too slow (%u done)\n", i);
			exit(SN_TEST_FAIL);
		}
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	/* Keep polling: the worker's detach may wait for nothing, but be safe. */
	while (rte_eal_get_lcore_state(wl) != WAIT)
		sn_softnet_poll(sd);
	rte_eal_wait_lcore(wl);
	SN_ASSERT_EQ(worker_rc, 0);
	sn_test_drain(sd);

	info = sn_test_info(dev, 0);
	sn_softnet_stats_sum(&sum);
	printf("handed %" PRIu64 " sent %" PRIu64 " dropped %" PRIu64 " (deactivated %" PRIu64
	       ", qdisc %" PRIu64 ", noqueue %" PRIu64 ") queued %" PRIu64 "\n", handed, sum.sent,
	       sum.dropped, sum.drop_deactivated, sum.drop_qdisc, sum.drop_noqueue,
	       info.stats.qstats.qlen);
	SN_ASSERT(handed > 10000, "worker hardly sent");
	SN_ASSERT(sum.drop_deactivated > 0, "no replace ever caught packets: test too weak");
	SN_ASSERT_EQ(sum.processed, handed);
	SN_ASSERT_EQ(sum.dropped, sum.drop_invalid + sum.drop_down + sum.drop_deactivated +
		     sum.drop_qdisc + sum.drop_dead_loop + sum.drop_noqueue);
	SN_ASSERT_EQ(handed, sum.sent + sum.dropped + info.stats.qstats.qlen);
	SN_ASSERT_EQ(drv.got, sum.sent);
	SN_ASSERT_EQ(drv.bad_order, 0);
	SN_ASSERT_EQ(sn_netdev_stats(dev, &ds), 0);
	SN_ASSERT_EQ(ds.qdisc.bstats.packets, sum.sent);

	sn_netdev_free(dev, sd);
	sn_test_drain(sd);
	SN_ASSERT_EQ(sn_softnet_detach(sd), 0);
	return sn_test_pool_check(mp, base);
}

int
main(void)
{
	sn_test_init("replace_churn", "0-1", NULL);
	if (sn_test_worker() >= RTE_MAX_LCORE) {
		printf("SKIP: needs 2 lcores\n");
		return SN_TEST_SKIP;
	}
	mp = sn_test_pool("replace_churn", 8192);
	if (mp == NULL)
		return SN_TEST_FAIL;
	SN_RUN(test_churn);
	if (sn_test_pool_check(mp, 0) != 0)
		return SN_TEST_FAIL;
	sn_test_fini();
	return SN_TEST_PASS;
}
