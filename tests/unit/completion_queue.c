/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The completion queue frees in bulk, later.
 *
 * Drops made with softirqs disabled (invalid frames, qdisc limit) stay in
 * use until softirqs are enabled again; then NET_TX frees them all in one
 * flush (cq_flushes + 1, cq_freed + N). Nested disables defer to the
 * outermost enable.
 */

#include "sn_test.h"
#include "sn_test_util.h"

static struct rte_mempool *mp;
static struct sn_softnet *sd;

/* Drop @n_inval zero-length frames and @n_limit over a pfifo limit of 2. */
static int
make_drops(struct sn_netdev *dev, unsigned int n_inval, unsigned int n_limit)
{
	struct rte_mbuf *pkts[64];

	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, n_inval, 0, 0, 0), 0);
	for (unsigned int i = 0; i < n_inval; i++)
		SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[i]), -EINVAL);
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, n_limit + 2, 64, 0, 0), 0);
	SN_ASSERT_EQ(sn_xmit_burst(sd, dev, 0, pkts, (uint16_t)(n_limit + 2)), 2);
	return 0;
}

static struct sn_netdev *
limited_dev(const char *name)
{
	struct sn_qdisc_params p = { .limit = 2, .no_bypass = true };
	struct sn_netdev *dev = sn_test_netdev_create(name, 1);

	if (dev == NULL || sn_qdisc_replace(dev, 0, "pfifo", &p, sd) != 0)
		return NULL;
	/* The two accepted packets stay queued: the queue is stopped. */
	sn_netdev_txq_stop(dev, 0);
	return dev;
}

static int
test_bulk_after_enable(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = limited_dev("cq_enable");
	struct sn_softnet_stats s0, s1;

	SN_ASSERT(dev != NULL, "create");
	s0 = sn_test_stats(sd);
	sn_local_bh_disable(sd);
	if (make_drops(dev, 7, 9) != 0)
		return SN_TEST_FAIL;
	s1 = sn_test_stats(sd);
	SN_ASSERT_EQ(s1.drop_invalid - s0.drop_invalid, 7);
	SN_ASSERT_EQ(s1.drop_qdisc - s0.drop_qdisc, 9);
	/* Still in use: 16 dropped + 2 queued, nothing freed yet. */
	SN_ASSERT_EQ(rte_mempool_in_use_count(mp), base + 18);
	SN_ASSERT_EQ(s1.cq_flushes - s0.cq_flushes, 0);
	SN_ASSERT_EQ(s1.cq_freed - s0.cq_freed, 0);
	/* poll does nothing while softirqs are disabled. */
	sn_softnet_poll(sd);
	SN_ASSERT_EQ(rte_mempool_in_use_count(mp), base + 18);

	sn_local_bh_enable(sd);
	s1 = sn_test_stats(sd);
	SN_ASSERT_EQ(s1.cq_flushes - s0.cq_flushes, 1);
	SN_ASSERT_EQ(s1.cq_freed - s0.cq_freed, 16);
	/* The driver wakes the queue (NET_TX runs at once): the two queued are sent. */
	SN_ASSERT_EQ(sn_netdev_txq_wake(sd, dev, 0), 0);
	sn_test_drain(sd);
	SN_ASSERT_EQ(sn_test_netdev_ctl(dev)->accepted, 2);
	SN_ASSERT_EQ(rte_mempool_in_use_count(mp), base);
	return sn_test_dev_done(dev, sd, mp, base);
}

static int
test_nested_disable(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = limited_dev("cq_nested");
	struct sn_softnet_stats s0, s1;

	SN_ASSERT(dev != NULL, "create");
	s0 = sn_test_stats(sd);
	sn_local_bh_disable(sd);
	sn_local_bh_disable(sd);
	if (make_drops(dev, 3, 4) != 0)
		return SN_TEST_FAIL;
	sn_local_bh_enable(sd);
	SN_ASSERT(!sn_softirqs_enabled(sd), "inner enable re-enabled softirqs");
	SN_ASSERT_EQ(rte_mempool_in_use_count(mp), base + 9);
	SN_ASSERT_EQ(sn_test_stats(sd).cq_flushes - s0.cq_flushes, 0);
	sn_local_bh_enable(sd);
	s1 = sn_test_stats(sd);
	SN_ASSERT_EQ(s1.cq_flushes - s0.cq_flushes, 1);
	SN_ASSERT_EQ(s1.cq_freed - s0.cq_freed, 7);
	SN_ASSERT_EQ(sn_netdev_txq_wake(sd, dev, 0), 0);
	sn_test_drain(sd);
	SN_ASSERT_EQ(rte_mempool_in_use_count(mp), base);
	return sn_test_dev_done(dev, sd, mp, base);
}

int
main(void)
{
	sn_test_init("completion_queue", "0", NULL);
	mp = sn_test_pool("cq", 256);
	sd = sn_softnet_attach();
	if (mp == NULL || sd == NULL)
		return SN_TEST_FAIL;
	SN_RUN(test_bulk_after_enable);
	SN_RUN(test_nested_disable);
	sn_softnet_detach(sd);
	if (sn_test_pool_check(mp, 0) != 0)
		return SN_TEST_FAIL;
	sn_test_fini();
	return SN_TEST_PASS;
}
