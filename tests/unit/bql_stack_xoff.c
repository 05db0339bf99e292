/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * BQL's stop (SN_NETDEV_TXQ_STACK_XOFF) on a softnet transmit queue, with a
 * driver of this test's own that holds what it accepts until the test
 * completes it (sn_netdev_tx_sent_queue() from its xmit,
 * sn_netdev_tx_completed_queue() from the test, as a completion path):
 * - with BQL on and a limit of 0, the first batch stops the queue: the qdisc
 *   run ends, the rest stays queued, nothing polls the queue, and the
 *   qdisc is not left on an output queue;
 * - the driver's own wake does not start a queue BQL stopped (separate
 *   states); a completion that brings it under its limit does, and the
 *   qdisc runs: with the grown limit one more batch fits before it stops
 *   again;
 * - reset forgets what is in flight and clears the stop;
 * - with BQL off the same calls do nothing; sn_netdev_tx_bql_avail() says
 *   how much room is left; sn_netdev_bql_set() refuses a device that is up
 *   and bad bounds;
 * - everything is sent once, in order; every mbuf comes back.
 */

#include "sn_dql.h"
#include "sn_test.h"
#include "sn_test_util.h"

#define NB 100
#define LEN 64

static struct rte_mempool *mp;
static struct sn_softnet *sd;

struct holder {
	struct rte_mbuf *held[NB];
	uint32_t n, done;
	uint64_t calls;
};

static uint16_t
holder_xmit(struct sn_netdev *dev, uint16_t txq, struct rte_mbuf **pkts, uint16_t n)
{
	struct holder *h = sn_netdev_priv(dev);
	uint32_t bytes = 0;

	h->calls++;
	for (uint16_t i = 0; i < n; i++) {
		h->held[h->n++] = pkts[i];
		bytes += rte_pktmbuf_pkt_len(pkts[i]);
	}
	sn_netdev_tx_sent_queue(dev, txq, bytes);
	return n;
}

static const struct sn_netdev_ops holder_ops = { .xmit = holder_xmit };

/* The device finished its next @k frames: free them, report the completion. */
static int
complete(struct sn_netdev *dev, uint32_t k)
{
	struct holder *h = sn_netdev_priv(dev);
	uint32_t bytes = 0;

	for (uint32_t i = 0; i < k; i++) {
		bytes += rte_pktmbuf_pkt_len(h->held[h->done]);
		if (sn_test_seq(h->held[h->done]) != h->done)
			return -1;
		rte_pktmbuf_free(h->held[h->done++]);
	}
	return sn_netdev_tx_completed_queue(sd, dev, 0, k, bytes);
}

static struct sn_netdev *
make(const char *name, bool bql)
{
	struct sn_qdisc_params p = { .no_bypass = true };
	struct sn_bql_conf c = { .enable = bql };
	struct sn_netdev *dev = sn_netdev_create(name, &holder_ops, 1, sizeof(struct holder),
						 SOCKET_ID_ANY);

	if (dev == NULL || sn_netdev_bql_set(dev, 0, &c) != 0 || sn_netdev_up(dev) != 0 ||
	    sn_qdisc_replace(dev, 0, "pfifo_fast", &p, sd) != 0)
		return NULL;
	return dev;
}

static int
test_stack_stop(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = make("bqlx_on", true);
	struct rte_mbuf *pkts[NB];
	struct sn_bql_info bi;
	struct holder *h;

	SN_ASSERT(dev != NULL, "create");
	h = sn_netdev_priv(dev);
	SN_ASSERT_EQ(sn_netdev_tx_bql_avail(dev, 0), 0);
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, NB, LEN, 0, 0), 0);
	SN_ASSERT_EQ(sn_xmit_burst(sd, dev, 0, pkts, NB), NB);
	/* One batch (32) crossed the limit of 0: stopped by the stack, not the driver. */
	SN_ASSERT_EQ(h->n, 32);
	SN_ASSERT_EQ(sn_netdev_txq_state(dev, 0), SN_NETDEV_TXQ_STACK_XOFF);
	SN_ASSERT_EQ(sn_netdev_tx_bql_avail(dev, 0), -32 * LEN);
	for (int i = 0; i < 10000; i++)
		sn_softnet_poll(sd);
	SN_ASSERT_EQ(h->n, 32);
	SN_ASSERT_EQ(h->calls, 1);
	SN_ASSERT_EQ(sn_test_info(dev, 0).stats.qstats.qlen, NB - 32);
	SN_ASSERT_EQ(sn_test_scheduled(sd, dev, 0), 0);
	SN_ASSERT_EQ(sn_netdev_txq_bql(dev, 0, &bi), 0);
	SN_ASSERT(bi.enabled && bi.stopped, "info: enabled %d stopped %d", bi.enabled, bi.stopped);
	SN_ASSERT_EQ(bi.stops, 1);
	SN_ASSERT_EQ(bi.inflight, 32 * LEN);
	SN_ASSERT_EQ(bi.limit, 0);

	/* The driver's wake is not BQL's: the queue stays stopped. */
	SN_ASSERT_EQ(sn_netdev_txq_wake(sd, dev, 0), 0);
	sn_test_drain(sd);
	SN_ASSERT_EQ(h->n, 32);
	SN_ASSERT_EQ(sn_netdev_txq_state(dev, 0), SN_NETDEV_TXQ_STACK_XOFF);

	/*
	 * The completion: starved, the limit grows to 2048; the queue starts
	 * and its qdisc runs on the way out. One batch fits exactly (avail 0
	 * is not over), the next crosses: stopped again after 96.
	 */
	SN_ASSERT_EQ(complete(dev, 32), 0);
	sn_test_drain(sd);
	SN_ASSERT_EQ(h->n, 96);
	SN_ASSERT_EQ(sn_netdev_txq_bql(dev, 0, &bi), 0);
	SN_ASSERT_EQ(bi.limit, 32 * LEN);
	SN_ASSERT_EQ(bi.stops, 2);
	SN_ASSERT_EQ(bi.wakes, 1);
	SN_ASSERT(bi.stopped, "not stopped again");

	/* Everything done: started again, the last 4 go. */
	SN_ASSERT_EQ(complete(dev, 64), 0);
	sn_test_drain(sd);
	SN_ASSERT_EQ(h->n, NB);
	SN_ASSERT_EQ(sn_netdev_txq_bql(dev, 0, &bi), 0);
	SN_ASSERT(bi.limit > 32 * LEN, "limit %u did not grow", bi.limit);
	SN_ASSERT(!bi.stopped, "still stopped");
	SN_ASSERT_EQ(sn_netdev_txq_state(dev, 0), 0);
	SN_ASSERT_EQ(sn_test_info(dev, 0).stats.qstats.qlen, 0);
	SN_ASSERT_EQ(sn_test_info(dev, 0).stats.bstats.packets, NB);

	/* Reset: nothing in flight, no stop, even with frames still held. */
	SN_ASSERT_EQ(sn_netdev_tx_reset_queue(sd, dev, 0), 0);
	SN_ASSERT_EQ(sn_netdev_txq_bql(dev, 0, &bi), 0);
	SN_ASSERT_EQ(bi.inflight, 0);
	SN_ASSERT(!bi.stopped, "stopped after reset");
	/* Their late completion is ignored: nothing in flight to complete. */
	SN_ASSERT_EQ(complete(dev, NB - 96), 0);
	SN_ASSERT_EQ(sn_netdev_txq_bql(dev, 0, &bi), 0);
	SN_ASSERT_EQ(bi.inflight, 0);

	SN_ASSERT_EQ(sn_netdev_tx_completed_queue(NULL, dev, 0, 1, 1), -EINVAL);
	SN_ASSERT_EQ(sn_netdev_tx_completed_queue(sd, dev, 1, 1, 1), -EINVAL);
	SN_ASSERT_EQ(sn_netdev_tx_reset_queue(sd, NULL, 0), -EINVAL);
	sn_netdev_free(dev, sd);
	sn_test_drain(sd);
	return sn_test_pool_check(mp, base);
}

static int
test_off_does_nothing(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = make("bqlx_off", false);
	struct sn_bql_conf c = { .enable = true, .min_limit = 10, .max_limit = 5 };
	struct rte_mbuf *pkts[NB];
	struct sn_bql_info bi;
	struct holder *h;

	SN_ASSERT(dev != NULL, "create");
	h = sn_netdev_priv(dev);
	SN_ASSERT_EQ(sn_netdev_tx_bql_avail(dev, 0), INT32_MAX);
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, NB, LEN, 0, 0), 0);
	SN_ASSERT_EQ(sn_xmit_burst(sd, dev, 0, pkts, NB), NB);
	sn_test_drain(sd);
	SN_ASSERT_EQ(h->n, NB);
	SN_ASSERT_EQ(sn_netdev_txq_state(dev, 0), 0);
	SN_ASSERT_EQ(sn_netdev_txq_bql(dev, 0, &bi), 0);
	SN_ASSERT(!bi.enabled && bi.stops == 0 && bi.inflight == 0, "BQL acted while off");
	SN_ASSERT_EQ(complete(dev, NB), 0);

	/* Settings: only while down, sane bounds. */
	SN_ASSERT_EQ(sn_netdev_bql_set(dev, 0, &(struct sn_bql_conf){ .enable = true }), -EBUSY);
	SN_ASSERT_EQ(sn_netdev_down(dev, sd), 0);
	SN_ASSERT_EQ(sn_netdev_bql_set(dev, 0, &c), -EINVAL);
	SN_ASSERT_EQ(sn_netdev_bql_set(dev, 1, &c), -EINVAL);
	SN_ASSERT_EQ(sn_netdev_bql_set(NULL, 0, &c), -ENODEV);
	SN_ASSERT_EQ(sn_netdev_bql_set(dev, 0, NULL), -EINVAL);
	c.max_limit = 50000;
	c.hold_us = 20000;
	SN_ASSERT_EQ(sn_netdev_bql_set(dev, 0, &c), 0);
	SN_ASSERT_EQ(sn_netdev_txq_bql(dev, 0, &bi), 0);
	SN_ASSERT(bi.enabled, "not enabled");
	SN_ASSERT_EQ(bi.limit, 10);
	SN_ASSERT_EQ(bi.min_limit, 10);
	SN_ASSERT_EQ(bi.max_limit, 50000);
	SN_ASSERT(bi.hold_us >= 19999 && bi.hold_us <= 20000, "hold %u", bi.hold_us);
	SN_ASSERT_EQ(sn_netdev_txq_bql(dev, 1, &bi), -EINVAL);
	SN_ASSERT_EQ(sn_netdev_txq_bql(NULL, 0, &bi), -ENODEV);
	sn_netdev_free(dev, sd);
	sn_test_drain(sd);
	return sn_test_pool_check(mp, base);
}

int
main(void)
{
	sn_test_init("bql_stack_xoff", "0", NULL);
	mp = sn_test_pool("bql_stack_xoff", 1024);
	sd = sn_softnet_attach();
	if (mp == NULL || sd == NULL)
		return SN_TEST_FAIL;
	SN_RUN(test_stack_stop);
	SN_RUN(test_off_does_nothing);
	sn_softnet_detach(sd);
	if (sn_test_pool_check(mp, 0) != 0)
		return SN_TEST_FAIL;
	sn_test_fini();
	return SN_TEST_PASS;
}
