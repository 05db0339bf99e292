/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The quota ends a qdisc run and reschedules it (time_squeeze).
 *
 * With softirqs disabled, a large burst into a no_bypass qdisc is enqueued and
 * run at once, but the run stops after sn_tx_quota() packets (64): exactly the
 * quota is sent, time_squeeze counts one, the qdisc is on the output queue.
 * When softirqs are enabled, NET_TX runs it again, quota by quota, until
 * everything is sent in order; each run that stopped on the quota with work
 * left counted one time_squeeze.
 */

#include "sn_test.h"
#include "sn_test_util.h"

#define NB 300

static struct rte_mempool *mp;
static struct sn_softnet *sd;

static int
test_quota(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = sn_test_netdev_create("quota", 1);
	struct sn_qdisc_params p = { .no_bypass = true };
	uint32_t quota = sn_tx_quota();
	struct sn_softnet_stats s0, s1;
	struct sn_qdisc_info info;
	struct rte_mbuf *pkts[NB];

	SN_ASSERT(dev != NULL, "create");
	SN_ASSERT_EQ(quota, 64);
	SN_ASSERT_EQ(sn_qdisc_replace(dev, 0, "pfifo_fast", &p, sd), 0);
	SN_ASSERT_EQ(sn_test_keep(dev, NB), 0);
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, NB, 64, 0, 0), 0);

	s0 = sn_test_stats(sd);
	sn_local_bh_disable(sd);
	SN_ASSERT_EQ(sn_xmit_burst(sd, dev, 0, pkts, NB), NB);
	s1 = sn_test_stats(sd);
	info = sn_test_info(dev, 0);
	SN_ASSERT_EQ(s1.sent - s0.sent, quota);
	SN_ASSERT_EQ(sn_test_netdev_ctl(dev)->accepted, quota);
	SN_ASSERT_EQ(s1.time_squeeze - s0.time_squeeze, 1);
	SN_ASSERT_EQ(info.stats.qstats.qlen, NB - quota);
	SN_ASSERT(info.state & SN_QDISC_STATE_SCHED, "not SCHED");
	SN_ASSERT_EQ(sn_test_scheduled(sd, dev, 0), 1);
	SN_ASSERT_EQ(s1.bypass - s0.bypass, 0);

	sn_local_bh_enable(sd);
	s1 = sn_test_stats(sd);
	/* Enabling softirqs ran NET_TX: everything is out, no poll needed. */
	SN_ASSERT_EQ(s1.sent - s0.sent, NB);
	/* Runs of 64, 64, 64, 64 stopped on the quota with work left; 44 did not. */
	SN_ASSERT_EQ(s1.time_squeeze - s0.time_squeeze, (NB - 1) / quota);
	SN_ASSERT_EQ(s1.dropped - s0.dropped, 0);
	info = sn_test_info(dev, 0);
	SN_ASSERT_EQ(info.stats.qstats.qlen, 0);
	SN_ASSERT_EQ(info.stats.bstats.packets, NB);
	SN_ASSERT(!(info.state & SN_QDISC_STATE_SCHED), "still SCHED");
	SN_ASSERT_EQ(sn_softnet_output_queue(sd, NULL, 0), 0);
	if (sn_test_kept_check(dev, NULL, 0, NB) != 0)
		return SN_TEST_FAIL;

	return sn_test_dev_done(dev, sd, mp, base);
}

/* The quota is per run: a burst of exactly the quota is sent without squeeze. */
static int
test_quota_exact(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = sn_test_netdev_create("quota_exact", 1);
	struct sn_qdisc_params p = { .no_bypass = true };
	uint32_t quota = sn_tx_quota();
	struct sn_softnet_stats s0, s1;
	struct rte_mbuf *pkts[NB];

	SN_ASSERT(dev != NULL, "create");
	SN_ASSERT_EQ(sn_qdisc_replace(dev, 0, "pfifo", &p, sd), 0);
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, quota - 1, 64, 0, 0), 0);
	s0 = sn_test_stats(sd);
	sn_local_bh_disable(sd);
	SN_ASSERT_EQ(sn_xmit_burst(sd, dev, 0, pkts, (uint16_t)(quota - 1)), quota - 1);
	s1 = sn_test_stats(sd);
	SN_ASSERT_EQ(s1.sent - s0.sent, quota - 1);
	SN_ASSERT_EQ(s1.time_squeeze - s0.time_squeeze, 0);
	SN_ASSERT_EQ(sn_softnet_output_queue(sd, NULL, 0), 0);
	sn_local_bh_enable(sd);
	return sn_test_dev_done(dev, sd, mp, base);
}

int
main(void)
{
	sn_test_init("quota", "0", NULL);
	mp = sn_test_pool("quota", 1024);
	sd = sn_softnet_attach();
	if (mp == NULL || sd == NULL)
		return SN_TEST_FAIL;
	SN_RUN(test_quota);
	SN_RUN(test_quota_exact);
	sn_softnet_detach(sd);
	if (sn_test_pool_check(mp, 0) != 0)
		return SN_TEST_FAIL;
	sn_test_fini();
	return SN_TEST_PASS;
}
