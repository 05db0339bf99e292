/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pfifo and bfifo enforce their limits and count every drop exactly.
 *
 * pfifo holds `limit` packets, bfifo `limit` bytes (per packet: a later,
 * smaller packet may still fit). Defaults as the kernel's: pfifo 1000 packets
 * (txqueuelen), bfifo txqueuelen * MTU bytes, reported by sn_qdisc_info().
 * What is accepted is sent in order once the queue runs.
 */

#include <string.h>

#include "sn_test.h"
#include "sn_test_util.h"

static struct rte_mempool *mp;
static struct sn_softnet *sd;

static int
test_defaults(void)
{
	struct sn_netdev *dev = sn_test_netdev_create("fifo_dflt", 1);
	struct sn_qdisc_info info;

	SN_ASSERT(dev != NULL, "create");
	SN_ASSERT_EQ(sn_qdisc_replace(dev, 0, "pfifo", NULL, sd), 0);
	info = sn_test_info(dev, 0);
	SN_ASSERT(strcmp(info.kind, "pfifo") == 0, "kind %s", info.kind);
	SN_ASSERT_EQ(info.params.limit, 1000);
	SN_ASSERT(info.flags & SN_QDISC_F_CAN_BYPASS, "pfifo is work-conserving");

	SN_ASSERT_EQ(sn_qdisc_replace(dev, 0, "bfifo", NULL, sd), 0);
	info = sn_test_info(dev, 0);
	SN_ASSERT(strcmp(info.kind, "bfifo") == 0, "kind %s", info.kind);
	SN_ASSERT_EQ(info.params.limit, 1000 * 1500);

	/* bfifo's default follows the MTU. */
	SN_ASSERT_EQ(sn_netdev_set_mtu(dev, 9000), 0);
	SN_ASSERT_EQ(sn_qdisc_replace(dev, 0, "bfifo", NULL, sd), 0);
	SN_ASSERT_EQ(sn_test_info(dev, 0).params.limit, 1000 * 9000);

	/* Explicit limits are reported as given. */
	SN_ASSERT_EQ(sn_qdisc_replace(dev, 0, "pfifo", &(struct sn_qdisc_params){ .limit = 7 },
				      sd), 0);
	SN_ASSERT_EQ(sn_test_info(dev, 0).params.limit, 7);
	sn_test_netdev_free(dev, sd);
	return 0;
}

static int
test_pfifo_limit(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = sn_test_netdev_create("pfifo_lim", 1);
	struct sn_qdisc_params p = { .limit = 10 };
	struct sn_softnet_stats s0, s1;
	struct sn_qdisc_info info;
	struct rte_mbuf *pkts[20];

	SN_ASSERT(dev != NULL, "create");
	SN_ASSERT_EQ(sn_qdisc_replace(dev, 0, "pfifo", &p, sd), 0);
	SN_ASSERT_EQ(sn_test_keep(dev, 32), 0);
	sn_test_netdev_ctl(dev)->credit = 0; /* first packet requeued, the rest wait */
	s0 = sn_test_stats(sd);
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, 16, 100, 0, 0), 0);
	SN_ASSERT_EQ(sn_xmit_burst(sd, dev, 0, pkts, 15), 15);
	/* 64 direct-path packets max: all 15 offered and requeued at the head. */
	info = sn_test_info(dev, 0);
	SN_ASSERT_EQ(info.stats.qstats.qlen, 15);
	sn_test_netdev_ctl(dev)->credit = -1;
	sn_test_drain(sd);
	sn_test_kept_release(dev);
	SN_ASSERT_EQ(sn_test_keep(dev, 32), 0);

	/* Now through the queue: stopped, softirqs off. */
	sn_netdev_txq_stop(dev, 0);
	sn_local_bh_disable(sd);
	s0 = sn_test_stats(sd);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[15]), SN_XMIT_SUCCESS); /* requeued */
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, 15, 100, 0, 1), 0);
	SN_ASSERT_EQ(sn_xmit_burst(sd, dev, 0, pkts, 15), 10);
	s1 = sn_test_stats(sd);
	info = sn_test_info(dev, 0);
	SN_ASSERT_EQ(info.stats.qstats.qlen, 11);
	SN_ASSERT_EQ(info.stats.qstats.backlog, 1100);
	SN_ASSERT_EQ(info.stats.qstats.drops, 5);
	SN_ASSERT_EQ(s1.drop_qdisc - s0.drop_qdisc, 5);
	SN_ASSERT_EQ(s1.dropped - s0.dropped, 5);
	/* Single packet into a full fifo: SN_XMIT_DROP. */
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, 1, 100, 0, 99), 0);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[0]), SN_XMIT_DROP);
	SN_ASSERT_EQ(sn_test_info(dev, 0).stats.qstats.drops, 6);
	sn_local_bh_enable(sd);
	SN_ASSERT_EQ(sn_netdev_txq_wake(sd, dev, 0), 0);
	sn_test_drain(sd);
	/* pkts[15] had seq 15; then seq 1..10 were accepted. */
	{
		const uint64_t want[] = { 15, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };

		if (sn_test_kept_check(dev, want, 0, RTE_DIM(want)) != 0)
			return SN_TEST_FAIL;
	}
	return sn_test_dev_done(dev, sd, mp, base);
}

static int
test_bfifo_limit(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = sn_test_netdev_create("bfifo_lim", 1);
	struct sn_qdisc_params p = { .limit = 1000, .no_bypass = true };
	struct sn_softnet_stats s0, s1;
	struct sn_qdisc_info info;
	struct rte_mbuf *pkts[16];
	const uint32_t len[] = { 100, 100, 100, 100, 100, 100, 100, 100, 100, 150, 100, 14 };
	const uint64_t want[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 10 };

	SN_ASSERT(dev != NULL, "create");
	SN_ASSERT_EQ(sn_qdisc_replace(dev, 0, "bfifo", &p, sd), 0);
	SN_ASSERT_EQ(sn_test_keep(dev, 32), 0);
	for (unsigned int i = 0; i < RTE_DIM(len); i++)
		SN_ASSERT_EQ(sn_test_alloc(mp, &pkts[i], 1, len[i], 0, i), 0);
	sn_netdev_txq_stop(dev, 0);
	sn_local_bh_disable(sd);
	s0 = sn_test_stats(sd);
	/* 9 x 100 fit (900); 150 would make 1050: dropped; 100 fits (1000); 14 does not. */
	SN_ASSERT_EQ(sn_xmit_burst(sd, dev, 0, pkts, RTE_DIM(len)), 10);
	s1 = sn_test_stats(sd);
	info = sn_test_info(dev, 0);
	SN_ASSERT_EQ(info.stats.qstats.backlog, 1000);
	SN_ASSERT_EQ(info.stats.qstats.qlen, 10);
	SN_ASSERT_EQ(info.stats.qstats.drops, 2);
	SN_ASSERT_EQ(s1.drop_qdisc - s0.drop_qdisc, 2);
	sn_local_bh_enable(sd);
	SN_ASSERT_EQ(sn_netdev_txq_wake(sd, dev, 0), 0);
	sn_test_drain(sd);
	if (sn_test_kept_check(dev, want, 0, RTE_DIM(want)) != 0)
		return SN_TEST_FAIL;
	info = sn_test_info(dev, 0);
	SN_ASSERT_EQ(info.stats.bstats.bytes, 1000);
	SN_ASSERT_EQ(info.stats.qstats.backlog, 0);
	return sn_test_dev_done(dev, sd, mp, base);
}

int
main(void)
{
	sn_test_init("fifo_limits", "0", NULL);
	mp = sn_test_pool("fifo_limits", 256);
	sd = sn_softnet_attach();
	if (mp == NULL || sd == NULL)
		return SN_TEST_FAIL;
	SN_RUN(test_defaults);
	SN_RUN(test_pfifo_limit);
	SN_RUN(test_bfifo_limit);
	sn_softnet_detach(sd);
	if (sn_test_pool_check(mp, 0) != 0)
		return SN_TEST_FAIL;
	sn_test_fini();
	return SN_TEST_PASS;
}
