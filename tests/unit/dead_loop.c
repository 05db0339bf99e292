/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Dead loops are dropped and counted, never deadlocked on.
 *
 * (a) The caller holds a queue's xmit lock (sn_netdev_tx_lock) on its own
 *     lcore and transmits on that queue: the packets are dropped, counted as
 *     drop_dead_loop and as qdisc drops, and the call returns.
 * (b) A noqueue device whose driver re-enters sn_xmit() on the same queue
 *     (a virtual device looping into itself): the inner transmit is a dead
 *     loop, dropped and counted; the outer one completes.
 * A device with a real qdisc whose driver re-enters is no dead loop: the
 * inner packet is queued behind the running qdisc and sent next.
 */

#include "sn_test.h"
#include "sn_test_util.h"

static struct rte_mempool *mp;
static struct sn_softnet *sd;

static int
self_locked(const char *name, bool no_bypass)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = sn_test_netdev_create(name, 2);
	struct sn_qdisc_params p = { .no_bypass = no_bypass };
	struct sn_softnet_stats s0, s1;
	struct sn_qdisc_info info;
	struct rte_mbuf *pkts[8];

	SN_ASSERT(dev != NULL, "create");
	SN_ASSERT_EQ(sn_qdisc_replace(dev, 0, "pfifo_fast", &p, sd), 0);
	SN_ASSERT_EQ(sn_netdev_tx_lock(sd, dev, 0), 0);
	SN_ASSERT_EQ(sn_netdev_tx_lock_owner(dev, 0), (int)rte_lcore_id());
	SN_ASSERT_EQ(sn_netdev_tx_lock(sd, dev, 0), -EDEADLK);

	s0 = sn_test_stats(sd);
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, 8, 64, 0, 0), 0);
	sn_xmit(sd, dev, 0, pkts[0]);
	sn_xmit_burst(sd, dev, 0, pkts + 1, 5);
	s1 = sn_test_stats(sd);
	SN_ASSERT_EQ(s1.drop_dead_loop - s0.drop_dead_loop, 6);
	SN_ASSERT_EQ(s1.dropped - s0.dropped, 6);
	SN_ASSERT_EQ(s1.sent - s0.sent, 0);
	SN_ASSERT_EQ(sn_test_netdev_ctl(dev)->accepted, 0);
	info = sn_test_info(dev, 0);
	SN_ASSERT_EQ(info.stats.qstats.drops, 6);
	SN_ASSERT_EQ(info.stats.qstats.qlen, 0);
	SN_ASSERT_EQ(info.stats.bstats.packets, 0);
	/* Freed on the way out of the transmit (NET_TX ran its completion queue). */
	sn_test_drain(sd);
	SN_ASSERT_EQ(rte_mempool_in_use_count(mp), base + 2);

	/* Another queue of the same device is not affected. */
	SN_ASSERT_EQ(sn_xmit(sd, dev, 1, pkts[6]), SN_XMIT_SUCCESS);
	SN_ASSERT_EQ(sn_test_netdev_ctl(dev)->accepted, 1);

	sn_netdev_tx_unlock(dev, 0);
	SN_ASSERT_EQ(sn_netdev_tx_lock_owner(dev, 0), -1);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[7]), SN_XMIT_SUCCESS);
	SN_ASSERT_EQ(sn_test_netdev_ctl(dev)->accepted, 2);
	SN_ASSERT_EQ(sn_test_stats(sd).drop_dead_loop - s0.drop_dead_loop, 6);
	return sn_test_dev_done(dev, sd, mp, base);
}

static int
test_self_locked_bypass(void)
{
	return self_locked("dl_bypass", false);
}

static int
test_self_locked_queued(void)
{
	return self_locked("dl_queued", true);
}

/* ---- re-entry from the driver ---- */

static struct {
	int calls;
	int inner_rc;
	int owner_seen;
} re;

static void
reenter_hook(struct sn_netdev *dev, uint16_t txq, void *arg)
{
	struct rte_mbuf *m;

	RTE_SET_USED(arg);
	if (re.calls++ != 0)
		return;
	re.owner_seen = sn_netdev_tx_lock_owner(dev, txq);
	if (sn_test_alloc(mp, &m, 1, 64, 0, 1000) != 0) {
		re.inner_rc = -ENOMEM;
		return;
	}
	re.inner_rc = sn_xmit(sn_softnet_current(), dev, txq, m);
}

static int
test_noqueue_reentry(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = sn_test_netdev_create("dl_noqueue", 1);
	struct sn_softnet_stats s0, s1;
	struct rte_mbuf *m;

	SN_ASSERT(dev != NULL, "create");
	SN_ASSERT_EQ(sn_qdisc_replace(dev, 0, "noqueue", NULL, sd), 0);
	SN_ASSERT_EQ(sn_test_keep(dev, 8), 0);
	sn_test_netdev_ctl(dev)->hook = reenter_hook;
	re.calls = 0;
	re.inner_rc = 12345;

	s0 = sn_test_stats(sd);
	SN_ASSERT_EQ(sn_test_alloc(mp, &m, 1, 64, 0, 0), 0);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, m), SN_XMIT_SUCCESS);
	s1 = sn_test_stats(sd);
	SN_ASSERT_EQ(re.calls, 1);
	SN_ASSERT_EQ(re.owner_seen, (int)rte_lcore_id());
	SN_ASSERT_EQ(re.inner_rc, SN_XMIT_DROP);
	SN_ASSERT_EQ(s1.drop_dead_loop - s0.drop_dead_loop, 1);
	SN_ASSERT_EQ(s1.dropped - s0.dropped, 1);
	SN_ASSERT_EQ(s1.sent - s0.sent, 1);
	if (sn_test_kept_check(dev, NULL, 0, 1) != 0)
		return SN_TEST_FAIL;
	SN_ASSERT_EQ(sn_netdev_tx_lock_owner(dev, 0), -1);

	sn_test_netdev_ctl(dev)->hook = NULL;
	return sn_test_dev_done(dev, sd, mp, base);
}

static int
test_qdisc_reentry_is_queued(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = sn_test_netdev_create("dl_qdisc", 1);
	struct sn_softnet_stats s0, s1;
	const uint64_t want[] = { 0, 1000 };
	struct rte_mbuf *m;

	SN_ASSERT(dev != NULL, "create");
	SN_ASSERT_EQ(sn_test_keep(dev, 8), 0);
	sn_test_netdev_ctl(dev)->hook = reenter_hook;
	re.calls = 0;
	re.inner_rc = 12345;

	s0 = sn_test_stats(sd);
	SN_ASSERT_EQ(sn_test_alloc(mp, &m, 1, 64, 0, 0), 0);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, m), SN_XMIT_SUCCESS);
	sn_test_drain(sd);
	s1 = sn_test_stats(sd);
	SN_ASSERT_EQ(re.inner_rc, SN_XMIT_SUCCESS);
	SN_ASSERT_EQ(s1.drop_dead_loop - s0.drop_dead_loop, 0);
	SN_ASSERT_EQ(s1.dropped - s0.dropped, 0);
	SN_ASSERT_EQ(s1.sent - s0.sent, 2);
	if (sn_test_kept_check(dev, want, 0, 2) != 0)
		return SN_TEST_FAIL;

	sn_test_netdev_ctl(dev)->hook = NULL;
	return sn_test_dev_done(dev, sd, mp, base);
}

int
main(void)
{
	sn_test_init("dead_loop", "0", NULL);
	mp = sn_test_pool("dead_loop", 256);
	sd = sn_softnet_attach();
	if (mp == NULL || sd == NULL)
		return SN_TEST_FAIL;
	SN_RUN(test_self_locked_bypass);
	SN_RUN(test_self_locked_queued);
	SN_RUN(test_noqueue_reentry);
	SN_RUN(test_qdisc_reentry_is_queued);
	sn_softnet_detach(sd);
	if (sn_test_pool_check(mp, 0) != 0)
		return SN_TEST_FAIL;
	sn_test_fini();
	return SN_TEST_PASS;
}
