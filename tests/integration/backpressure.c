/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Backpressure from a real PMD: a net_ring port whose TX ring holds 63
 * packets, drained slowly by lcore 1 from the other side of the ring.
 *
 * The main lcore transmits N sequence-numbered packets through the ethdev
 * driver (sn_ethdev_open) and a pfifo large enough to hold them all. The
 * ring fills, rte_eth_tx_burst() accepts part of a burst, the queue stops,
 * the tail is requeued, NET_TX retries. The drainer must see all N packets,
 * each once, in order; nothing is dropped; the pool is back at its baseline
 * once the ring is empty (net_ring holds mbufs, even after close, so the test
 * drains it itself before checking).
 */

#include <rte_cycles.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_ring.h>

#include "sn_ethdev.h"
#include "sn_test.h"
#include "sn_test_util.h"

#define N 20000
#define RING_SIZE 64
#define BURST 32

static struct rte_mempool *mp;
static struct rte_ring *txr;

static struct {
	uint64_t received;
	uint64_t bad_order;
	uint64_t first_bad;
	volatile int stop;
} drain;

/* Lcore 1: take at most 4 packets every 10 us; check order; free. */
static int
drainer(void *arg)
{
	struct rte_mbuf *m[4];
	uint64_t deadline = rte_get_timer_cycles() + 15 * rte_get_timer_hz();

	RTE_SET_USED(arg);
	while (drain.received < N && !__atomic_load_n(&drain.stop, __ATOMIC_RELAXED) &&
	       rte_get_timer_cycles() < deadline) {
		unsigned int k = rte_ring_sc_dequeue_burst(txr, (void **)m, RTE_DIM(m), NULL);

		for (unsigned int i = 0; i < k; i++) {
			if (sn_test_seq(m[i]) != drain.received && drain.bad_order++ == 0)
				drain.first_bad = drain.received;
			drain.received++;
		}
		if (k != 0)
			rte_pktmbuf_free_bulk(m, k);
		rte_delay_us_block(10);
	}
	return 0;
}

static int
test_backpressure(void)
{
	struct sn_qdisc_params p = { .limit = N + 100 };
	struct rte_ring *rxr;
	struct sn_softnet *sd = sn_softnet_attach();
	struct sn_softnet_stats s;
	struct sn_qdisc_info info;
	struct sn_netdev *dev;
	struct rte_mbuf *pkts[BURST];
	unsigned int wl = sn_test_worker();
	uint64_t handed = 0, deadline;
	int port;

	SN_ASSERT(sd != NULL, "attach");
	txr = rte_ring_create("bp_tx", RING_SIZE, (int)rte_socket_id(),
			      RING_F_SP_ENQ | RING_F_SC_DEQ);
	rxr = rte_ring_create("bp_rx", RING_SIZE, (int)rte_socket_id(),
			      RING_F_SP_ENQ | RING_F_SC_DEQ);
	SN_ASSERT(txr != NULL && rxr != NULL, "rings: %s", rte_strerror(rte_errno));
	port = rte_eth_from_rings("net_ring_bp", &rxr, 1, &txr, 1, rte_socket_id());
	SN_ASSERT(port >= 0, "rte_eth_from_rings: %s", rte_strerror(rte_errno));
	dev = sn_ethdev_open((uint16_t)port, "ring_bp", NULL);
	SN_ASSERT(dev != NULL, "sn_ethdev_open: %s", rte_strerror(rte_errno));
	SN_ASSERT_EQ(sn_qdisc_replace(dev, 0, "pfifo", &p, sd), 0);
	sn_softnet_stats_reset(rte_lcore_id());

	SN_ASSERT_EQ(rte_eal_remote_launch(drainer, NULL, wl), 0);
	deadline = rte_get_timer_cycles() + 15 * rte_get_timer_hz();
	while (handed < N) {
		uint16_t n = (uint16_t)RTE_MIN((uint64_t)BURST, N - handed);

		SN_ASSERT_EQ(sn_test_alloc(mp, pkts, n, 64, 0, handed), 0);
		SN_ASSERT_EQ(sn_xmit_burst(sd, dev, 0, pkts, n), n);
		handed += n;
		sn_softnet_poll(sd);
	}
	while (drain.received < N && rte_get_timer_cycles() < deadline)
		sn_softnet_poll(sd);
	__atomic_store_n(&drain.stop, 1, __ATOMIC_RELAXED);
	rte_eal_wait_lcore(wl);
	sn_test_drain(sd);

	s = sn_test_stats(sd);
	info = sn_test_info(dev, 0);
	printf("received %" PRIu64 "/%d, sent %" PRIu64 ", queue stopped %" PRIu64
	       ", requeued %" PRIu64 ", dropped %" PRIu64 "\n", drain.received, N, s.sent,
	       s.queue_stopped, s.requeued, s.dropped);
	SN_ASSERT_EQ(drain.received, N);
	SN_ASSERT(drain.bad_order == 0, "%" PRIu64 " out of order, first at %" PRIu64,
		  drain.bad_order, drain.first_bad);
	SN_ASSERT_EQ(s.sent, N);
	SN_ASSERT_EQ(s.dropped, 0);
	SN_ASSERT_EQ(info.stats.bstats.packets, N);
	SN_ASSERT_EQ(info.stats.qstats.qlen, 0);
	SN_ASSERT(s.queue_stopped > 0, "the ring never pushed back: test too weak");
	SN_ASSERT(s.requeued > 0, "nothing requeued");

	sn_ethdev_close(dev, sd);
	sn_test_drain(sd);
	/* net_ring keeps what is in its ring: empty it before the pool check. */
	{
		struct rte_mbuf *m = NULL;

		while (rte_ring_dequeue(txr, (void **)&m) == 0)
			rte_pktmbuf_free(m);
		while (rte_ring_dequeue(rxr, (void **)&m) == 0)
			rte_pktmbuf_free(m);
	}
	SN_ASSERT_EQ(sn_softnet_detach(sd), 0);
	rte_ring_free(txr);
	rte_ring_free(rxr);
	return sn_test_pool_check(mp, 0);
}

int
main(void)
{
	sn_test_init("backpressure", "0-1", NULL);
	if (sn_test_worker() >= RTE_MAX_LCORE) {
		printf("SKIP: needs 2 lcores\n");
		return SN_TEST_SKIP;
	}
	mp = sn_test_pool("backpressure", N + 1024);
	if (mp == NULL)
		return SN_TEST_FAIL;
	SN_RUN(test_backpressure);
	sn_test_fini();
	return SN_TEST_PASS;
}
