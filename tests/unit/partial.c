/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A partial transmit requeues the unsent tail in order and stops the queue.
 *
 * The driver accepts fewer packets than offered: the accepted prefix is sent,
 * the unsent tail goes back to the head of the qdisc in order (requeues), the
 * queue is marked stopped (sn_netdev_txq_stopped, queue_stopped, tx_stopped)
 * and the qdisc rescheduled. Later NET_TX runs wake the queue and drain it:
 * every packet reaches the driver exactly once, in the order it was handed.
 */

#include "sn_test.h"
#include "sn_test_util.h"

#define NB 100

static struct rte_mempool *mp;
static struct sn_softnet *sd;

static int
partial(const char *name, bool no_bypass, uint64_t expect_requeues)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = sn_test_netdev_create(name, 1);
	struct sn_qdisc_params p = { .no_bypass = no_bypass };
	struct sn_test_netdev *c;
	struct sn_softnet_stats s0, s1;
	struct sn_netdev_stats ds;
	struct sn_qdisc_info info;
	struct rte_mbuf *pkts[NB];

	SN_ASSERT(dev != NULL, "create");
	SN_ASSERT_EQ(sn_qdisc_replace(dev, 0, "pfifo_fast", &p, sd), 0);
	c = sn_test_netdev_ctl(dev);
	SN_ASSERT_EQ(sn_test_keep(dev, NB), 0);
	c->budget = 10;
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, NB, 64, 0, 0), 0);

	s0 = sn_test_stats(sd);
	sn_local_bh_disable(sd);
	SN_ASSERT_EQ(sn_xmit_burst(sd, dev, 0, pkts, NB), NB);
	s1 = sn_test_stats(sd);
	info = sn_test_info(dev, 0);
	SN_ASSERT_EQ(c->accepted, 10);
	SN_ASSERT_EQ(c->calls, 1);
	SN_ASSERT_EQ(s1.sent - s0.sent, 10);
	SN_ASSERT(sn_netdev_txq_stopped(dev, 0), "queue not stopped");
	SN_ASSERT_EQ(s1.queue_stopped - s0.queue_stopped, 1);
	SN_ASSERT_EQ(info.stats.qstats.requeues, expect_requeues);
	SN_ASSERT_EQ(s1.requeued - s0.requeued, expect_requeues);
	SN_ASSERT_EQ(info.stats.qstats.qlen, NB - 10);
	SN_ASSERT_EQ(info.stats.qstats.backlog, (NB - 10) * 64);
	SN_ASSERT_EQ(info.stats.bstats.packets, 10);
	SN_ASSERT_EQ(info.stats.bstats.bytes, 10 * 64);
	SN_ASSERT_EQ(sn_test_scheduled(sd, dev, 0), 1);
	SN_ASSERT_EQ(sn_netdev_stats(dev, &ds), 0);
	SN_ASSERT_EQ(ds.tx_stopped, 1);
	if (sn_test_kept_check(dev, NULL, 0, 10) != 0)
		return SN_TEST_FAIL;

	/* Later runs take 10 per call and requeue the rest each time. */
	sn_local_bh_enable(sd);
	sn_test_drain(sd);
	s1 = sn_test_stats(sd);
	SN_ASSERT_EQ(s1.sent - s0.sent, NB);
	SN_ASSERT_EQ(s1.dropped - s0.dropped, 0);
	info = sn_test_info(dev, 0);
	SN_ASSERT_EQ(info.stats.qstats.qlen, 0);
	SN_ASSERT_EQ(info.stats.qstats.backlog, 0);
	SN_ASSERT_EQ(info.stats.bstats.packets, NB);
	SN_ASSERT(!sn_netdev_txq_stopped(dev, 0), "still stopped");
	if (sn_test_kept_check(dev, NULL, 0, NB) != 0)
		return SN_TEST_FAIL;
	return sn_test_dev_done(dev, sd, mp, base);
}

/* Direct path: 64 offered, 10 taken, 54 requeued, 36 enqueued behind them. */
static int
test_partial_bypass(void)
{
	return partial("partial_bypass", false, SN_QDISC_REQUEUE_MAX - 10);
}

/* Queued path: a batch of 32 offered, 10 taken, 22 requeued. */
static int
test_partial_queued(void)
{
	return partial("partial_queued", true, 32 - 10);
}

/* The driver stops accepting for a while: the queue stays stopped, order holds. */
static int
test_stalled_then_resumed(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = sn_test_netdev_create("partial_stall", 1);
	struct sn_test_netdev *c;
	struct rte_mbuf *pkts[NB];

	SN_ASSERT(dev != NULL, "create");
	c = sn_test_netdev_ctl(dev);
	SN_ASSERT_EQ(sn_test_keep(dev, NB), 0);
	c->credit = 7;
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, NB, 64, 0, 0), 0);
	for (unsigned int i = 0; i < NB / 2; i++)
		SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[i]), SN_XMIT_SUCCESS);
	SN_ASSERT_EQ(sn_xmit_burst(sd, dev, 0, pkts + NB / 2, NB / 2), NB / 2);
	for (unsigned int i = 0; i < 20; i++)
		sn_softnet_poll(sd);
	SN_ASSERT_EQ(c->accepted, 7);
	SN_ASSERT(sn_netdev_txq_stopped(dev, 0), "queue not stopped");
	SN_ASSERT_EQ(sn_test_info(dev, 0).stats.qstats.qlen, NB - 7);
	SN_ASSERT_EQ(sn_test_scheduled(sd, dev, 0), 1);

	c->credit = -1;
	sn_test_drain(sd);
	if (sn_test_kept_check(dev, NULL, 0, NB) != 0)
		return SN_TEST_FAIL;
	SN_ASSERT(!sn_netdev_txq_stopped(dev, 0), "still stopped");
	return sn_test_dev_done(dev, sd, mp, base);
}

int
main(void)
{
	sn_test_init("partial", "0", NULL);
	mp = sn_test_pool("partial", 512);
	sd = sn_softnet_attach();
	if (mp == NULL || sd == NULL)
		return SN_TEST_FAIL;
	SN_RUN(test_partial_bypass);
	SN_RUN(test_partial_queued);
	SN_RUN(test_stalled_then_resumed);
	sn_softnet_detach(sd);
	if (sn_test_pool_check(mp, 0) != 0)
		return SN_TEST_FAIL;
	sn_test_fini();
	return SN_TEST_PASS;
}
