/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The xmit plug (sn_xmit_plug/sn_xmit_unplug): single-packet calls are held
 * and leave as one burst, in order, and nothing is lost on the way.
 *
 * - held until the unplug, then one driver call, in order, counted once;
 * - a full plug (SN_XMIT_PLUG_MAX) leaves at once;
 * - a packet for another queue or device, and sn_xmit_burst(), send what is
 *   held first (per-lcore order);
 * - bad input is refused at the call, not at the flush;
 * - what the qdisc drops at the flush is counted and returned by the unplug;
 * - sn_softnet_poll() and the device going down flush the caller's plug;
 * - nesting: only the outermost unplug flushes; wrong contexts are refused;
 * - a driver re-entering sn_xmit() under the plug is not plugged: the
 *   dead-loop check still catches it.
 */

#include "sn_test.h"
#include "sn_test_util.h"

static struct rte_mempool *mp;
static struct sn_softnet *sd;

static int
test_held_then_one_burst(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = sn_test_netdev_create("plug_hold", 1);
	struct sn_test_netdev *c;
	struct sn_softnet_stats s0, s1;
	struct sn_qdisc_info info;
	struct rte_mbuf *pkts[10];

	SN_ASSERT(dev != NULL, "create");
	c = sn_test_netdev_ctl(dev);
	SN_ASSERT_EQ(sn_test_keep(dev, 64), 0);
	s0 = sn_test_stats(sd);

	SN_ASSERT_EQ(sn_xmit_plug(sd), 0);
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, 10, 100, 0, 0), 0);
	for (unsigned int i = 0; i < 10; i++)
		SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[i]), SN_XMIT_SUCCESS);
	/* Held: nothing reached the qdisc or the driver yet. */
	SN_ASSERT_EQ(c->calls, 0);
	SN_ASSERT_EQ(sn_test_info(dev, 0).stats.bstats.packets, 0);
	SN_ASSERT(sn_softnet_has_work(sd), "a non-empty plug is work");
	s1 = sn_test_stats(sd);
	SN_ASSERT_EQ(s1.processed - s0.processed, 10);

	SN_ASSERT_EQ(sn_xmit_unplug(sd), 0);
	SN_ASSERT_EQ(c->calls, 1);
	s1 = sn_test_stats(sd);
	SN_ASSERT_EQ(s1.processed - s0.processed, 10);
	SN_ASSERT_EQ(s1.sent - s0.sent, 10);
	SN_ASSERT_EQ(s1.bypass - s0.bypass, 10);
	info = sn_test_info(dev, 0);
	SN_ASSERT_EQ(info.stats.bstats.packets, 10);
	SN_ASSERT_EQ(info.stats.bstats.bytes, 1000);
	if (sn_test_kept_check(dev, NULL, 0, 10) != 0)
		return SN_TEST_FAIL;

	/* Unplugged again: each call goes straight through. */
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, 2, 100, 0, 10), 0);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[0]), SN_XMIT_SUCCESS);
	SN_ASSERT_EQ(c->calls, 2);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[1]), SN_XMIT_SUCCESS);
	SN_ASSERT_EQ(c->calls, 3);

	return sn_test_dev_done(dev, sd, mp, base);
}

static int
test_full_plug_leaves(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = sn_test_netdev_create("plug_full", 1);
	struct sn_test_netdev *c;
	const unsigned int n = SN_XMIT_PLUG_MAX + 8;
	struct rte_mbuf *pkts[SN_XMIT_PLUG_MAX + 8];

	SN_ASSERT(dev != NULL, "create");
	c = sn_test_netdev_ctl(dev);
	SN_ASSERT_EQ(sn_test_keep(dev, 128), 0);
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, n, 64, 0, 0), 0);

	SN_ASSERT_EQ(sn_xmit_plug(sd), 0);
	for (unsigned int i = 0; i < n; i++) {
		SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[i]), SN_XMIT_SUCCESS);
		SN_ASSERT_EQ(c->accepted, i + 1 < SN_XMIT_PLUG_MAX ? 0 : SN_XMIT_PLUG_MAX);
	}
	SN_ASSERT_EQ(c->calls, 1);
	SN_ASSERT_EQ(sn_xmit_unplug(sd), 0);
	SN_ASSERT_EQ(c->calls, 2);
	if (sn_test_kept_check(dev, NULL, 0, n) != 0)
		return SN_TEST_FAIL;

	return sn_test_dev_done(dev, sd, mp, base);
}

/* Queue 0, queue 1, queue 0, then a burst on queue 0: order of calls kept. */
static int
test_order_across_queues_and_bursts(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = sn_test_netdev_create("plug_order", 2);
	struct sn_test_netdev *c;
	struct rte_mbuf *pkts[12];

	SN_ASSERT(dev != NULL, "create");
	c = sn_test_netdev_ctl(dev);
	SN_ASSERT_EQ(sn_test_keep(dev, 64), 0);
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, 12, 64, 0, 0), 0);

	SN_ASSERT_EQ(sn_xmit_plug(sd), 0);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[0]), SN_XMIT_SUCCESS);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[1]), SN_XMIT_SUCCESS);
	SN_ASSERT_EQ(c->calls, 0);
	/* Another queue: what queue 0 held leaves first. */
	SN_ASSERT_EQ(sn_xmit(sd, dev, 1, pkts[2]), SN_XMIT_SUCCESS);
	SN_ASSERT_EQ(c->calls, 1);
	SN_ASSERT_EQ(c->accepted, 2);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[3]), SN_XMIT_SUCCESS);
	SN_ASSERT_EQ(c->accepted, 3);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[4]), SN_XMIT_SUCCESS);
	/* A burst: the held packet 4 goes before it. */
	SN_ASSERT_EQ(sn_xmit_burst(sd, dev, 0, pkts + 5, 7), 7);
	SN_ASSERT_EQ(c->accepted, 12);
	SN_ASSERT_EQ(sn_xmit_unplug(sd), 0);
	if (sn_test_kept_check(dev, NULL, 0, 12) != 0)
		return SN_TEST_FAIL;

	return sn_test_dev_done(dev, sd, mp, base);
}

static int
test_bad_input_refused_at_call(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = sn_test_netdev_create("plug_bad", 1);
	struct sn_softnet_stats s0, s1;
	struct rte_mbuf *pkts[4];

	SN_ASSERT(dev != NULL, "create");
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, 4, 64, 0, 0), 0);
	rte_pktmbuf_reset(pkts[1]); /* zero length */
	s0 = sn_test_stats(sd);

	SN_ASSERT_EQ(sn_xmit_plug(sd), 0);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[0]), SN_XMIT_SUCCESS);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[1]), -EINVAL);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 7, pkts[2]), -EINVAL);
	SN_ASSERT_EQ(sn_xmit(sd, NULL, 0, pkts[3]), -ENODEV);
	s1 = sn_test_stats(sd);
	SN_ASSERT_EQ(s1.drop_invalid - s0.drop_invalid, 3);
	SN_ASSERT_EQ(sn_xmit_unplug(sd), 0);
	s1 = sn_test_stats(sd);
	SN_ASSERT_EQ(s1.sent - s0.sent, 1);
	SN_ASSERT_EQ(s1.dropped - s0.dropped, 3);

	return sn_test_dev_done(dev, sd, mp, base);
}

/* A driver that takes nothing and a pfifo of 4: the flush drops, counted and returned. */
static int
test_flush_drops_returned(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = sn_test_netdev_create("plug_drop", 1);
	struct sn_qdisc_params p = { .limit = 4 };
	struct sn_softnet_stats s0, s1;
	struct sn_test_netdev *c;
	struct rte_mbuf *pkts[10];

	SN_ASSERT(dev != NULL, "create");
	c = sn_test_netdev_ctl(dev);
	SN_ASSERT_EQ(sn_qdisc_replace(dev, 0, "pfifo", &p, sd), 0);
	c->credit = 0;
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, 10, 64, 0, 0), 0);
	s0 = sn_test_stats(sd);

	SN_ASSERT_EQ(sn_xmit_plug(sd), 0);
	for (unsigned int i = 0; i < 10; i++)
		SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[i]), SN_XMIT_SUCCESS);
	/*
	 * The burst bypasses into a driver that refuses it: up to the requeue
	 * limit goes back to the qdisc, which is then over its limit for the
	 * rest. Whatever the split, drops + queued == 10, all counted.
	 */
	int dropped = sn_xmit_unplug(sd);
	struct sn_qdisc_info info = sn_test_info(dev, 0);

	s1 = sn_test_stats(sd);
	SN_ASSERT(dropped >= 0, "unplug: %d", dropped);
	SN_ASSERT_EQ((uint64_t)dropped, info.stats.qstats.drops);
	SN_ASSERT_EQ(s1.dropped - s0.dropped, (uint64_t)dropped);
	SN_ASSERT_EQ((uint64_t)dropped + info.stats.qstats.qlen, 10);

	/* A second plug starts its drop count at zero. */
	SN_ASSERT_EQ(sn_xmit_plug(sd), 0);
	SN_ASSERT_EQ(sn_xmit_unplug(sd), 0);

	c->credit = -1;
	sn_test_drain(sd);
	SN_ASSERT_EQ(c->accepted, info.stats.qstats.qlen);
	return sn_test_dev_done(dev, sd, mp, base);
}

static int
test_poll_and_down_flush(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = sn_test_netdev_create("plug_poll", 1);
	struct sn_test_netdev *c;
	struct rte_mbuf *pkts[4];

	SN_ASSERT(dev != NULL, "create");
	c = sn_test_netdev_ctl(dev);
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, 4, 64, 0, 0), 0);

	SN_ASSERT_EQ(sn_xmit_plug(sd), 0);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[0]), SN_XMIT_SUCCESS);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[1]), SN_XMIT_SUCCESS);
	sn_softnet_poll(sd);
	SN_ASSERT_EQ(c->accepted, 2);
	/* Still plugged after the poll. */
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[2]), SN_XMIT_SUCCESS);
	SN_ASSERT_EQ(c->accepted, 2);
	/* Taking the device down sends what the caller's plug holds first. */
	SN_ASSERT_EQ(sn_netdev_down(dev, sd), 0);
	SN_ASSERT_EQ(c->accepted, 3);
	/* Down: refused at once, not held. */
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[3]), -ENETDOWN);
	SN_ASSERT_EQ(sn_xmit_unplug(sd), 0);
	SN_ASSERT_EQ(c->accepted, 3);

	return sn_test_dev_done(dev, sd, mp, base);
}

static int
test_nesting_and_contexts(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = sn_test_netdev_create("plug_nest", 1);
	struct sn_test_netdev *c;
	struct rte_mbuf *pkts[3];

	SN_ASSERT(dev != NULL, "create");
	c = sn_test_netdev_ctl(dev);
	SN_ASSERT_EQ(sn_xmit_unplug(sd), -EINVAL);
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, 3, 64, 0, 0), 0);

	SN_ASSERT_EQ(sn_xmit_plug(sd), 0);
	SN_ASSERT_EQ(sn_xmit_plug(sd), 0);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[0]), SN_XMIT_SUCCESS);
	SN_ASSERT_EQ(sn_xmit_unplug(sd), 0);
	SN_ASSERT_EQ(c->accepted, 0);
	SN_ASSERT_EQ(sn_xmit_unplug(sd), 0);
	SN_ASSERT_EQ(c->accepted, 1);
	SN_ASSERT_EQ(sn_xmit_unplug(sd), -EINVAL);

	/* With softirqs disabled: no plug, and calls go straight through. */
	sn_local_bh_disable(sd);
	SN_ASSERT_EQ(sn_xmit_plug(sd), -EINVAL);
	sn_local_bh_enable(sd);
	SN_ASSERT_EQ(sn_xmit_plug(sd), 0);
	sn_local_bh_disable(sd);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[1]), SN_XMIT_SUCCESS);
	SN_ASSERT_EQ(c->accepted, 2);
	SN_ASSERT_EQ(sn_xmit_unplug(sd), -EINVAL);
	sn_local_bh_enable(sd);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[2]), SN_XMIT_SUCCESS);
	SN_ASSERT_EQ(c->accepted, 2);
	SN_ASSERT_EQ(sn_xmit_unplug(sd), 0);
	SN_ASSERT_EQ(c->accepted, 3);

	return sn_test_dev_done(dev, sd, mp, base);
}

/* ---- a driver re-entering its own queue under the plug ---- */

static int reenter_rc = 12345;

static void
reenter_hook(struct sn_netdev *dev, uint16_t txq, void *arg)
{
	struct rte_mbuf *m;

	RTE_SET_USED(arg);
	if (reenter_rc != 12345 || sn_test_alloc(mp, &m, 1, 64, 0, 1000) != 0)
		return;
	reenter_rc = sn_xmit(sn_softnet_current(), dev, txq, m);
}

static int
test_reentry_not_plugged(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = sn_test_netdev_create("plug_loop", 1);
	struct sn_softnet_stats s0, s1;
	struct rte_mbuf *m;

	SN_ASSERT(dev != NULL, "create");
	SN_ASSERT_EQ(sn_qdisc_replace(dev, 0, "noqueue", NULL, sd), 0);
	sn_test_netdev_ctl(dev)->hook = reenter_hook;
	s0 = sn_test_stats(sd);

	SN_ASSERT_EQ(sn_xmit_plug(sd), 0);
	SN_ASSERT_EQ(sn_test_alloc(mp, &m, 1, 64, 0, 0), 0);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, m), SN_XMIT_SUCCESS);
	SN_ASSERT_EQ(reenter_rc, 12345);
	SN_ASSERT_EQ(sn_xmit_unplug(sd), 0);
	s1 = sn_test_stats(sd);
	/* The inner call ran under the xmit lock: a dead loop, not a held packet. */
	SN_ASSERT_EQ(reenter_rc, SN_XMIT_DROP);
	SN_ASSERT_EQ(s1.drop_dead_loop - s0.drop_dead_loop, 1);
	SN_ASSERT_EQ(s1.sent - s0.sent, 1);

	sn_test_netdev_ctl(dev)->hook = NULL;
	return sn_test_dev_done(dev, sd, mp, base);
}

int
main(void)
{
	sn_test_init("plug", "0", NULL);
	mp = sn_test_pool("plug", 512);
	sd = sn_softnet_attach();
	if (mp == NULL || sd == NULL)
		return SN_TEST_FAIL;
	SN_RUN(test_held_then_one_burst);
	SN_RUN(test_full_plug_leaves);
	SN_RUN(test_order_across_queues_and_bursts);
	SN_RUN(test_bad_input_refused_at_call);
	SN_RUN(test_flush_drops_returned);
	SN_RUN(test_poll_and_down_flush);
	SN_RUN(test_nesting_and_contexts);
	SN_RUN(test_reentry_not_plugged);
	/* Detach closes a plug left open and sends what it holds. */
	{
		struct sn_netdev *dev = sn_test_netdev_create("plug_detach", 1);
		struct rte_mbuf *m;

		if (dev == NULL || sn_test_alloc(mp, &m, 1, 64, 0, 0) != 0 ||
		    sn_xmit_plug(sd) != 0 || sn_xmit(sd, dev, 0, m) != SN_XMIT_SUCCESS)
			return SN_TEST_FAIL;
		sn_softnet_detach(sd);
		if (sn_test_netdev_ctl(dev)->accepted != 1) {
			fprintf(stderr, "FAIL: detach did not flush the plug\n");
			return SN_TEST_FAIL;
		}
		sn_test_netdev_free(dev, NULL);
	}
	if (sn_test_pool_check(mp, 0) != 0)
		return SN_TEST_FAIL;
	sn_test_fini();
	return SN_TEST_PASS;
}
