/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The CAN_BYPASS direct path is taken only when the qdisc is empty and not
 * running: an idle pfifo_fast sends straight to the driver (bypass counter,
 * bstats), a qdisc with packets queued (quota left some behind) does not, and
 * a qdisc created with params.no_bypass never does.
 */

#include "sn_test.h"
#include "sn_test_util.h"

static struct rte_mempool *mp;
static struct sn_softnet *sd;

/* Idle qdisc: every packet goes through the direct path. */
static int
test_bypass_idle(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = sn_test_netdev_create("byp_idle", 1);
	struct sn_softnet_stats s0, s1;
	struct sn_qdisc_info info;
	struct rte_mbuf *pkts[32];

	SN_ASSERT(dev != NULL, "create: %s", rte_strerror(rte_errno));
	SN_ASSERT_EQ(sn_test_keep(dev, 64), 0);
	s0 = sn_test_stats(sd);

	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, 10, 100, 0, 0), 0);
	for (unsigned int i = 0; i < 10; i++)
		SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[i]), SN_XMIT_SUCCESS);
	s1 = sn_test_stats(sd);
	SN_ASSERT_EQ(s1.bypass - s0.bypass, 10);
	SN_ASSERT_EQ(s1.sent - s0.sent, 10);
	SN_ASSERT_EQ(s1.busylock - s0.busylock, 0);
	info = sn_test_info(dev, 0);
	SN_ASSERT_EQ(info.stats.bstats.packets, 10);
	SN_ASSERT_EQ(info.stats.bstats.bytes, 1000);
	SN_ASSERT_EQ(info.stats.qstats.qlen, 0);
	SN_ASSERT_EQ(info.stats.qstats.requeues, 0);

	/* A burst on an idle qdisc: the direct path too. */
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, 32, 100, 0, 10), 0);
	SN_ASSERT_EQ(sn_xmit_burst(sd, dev, 0, pkts, 32), 32);
	s1 = sn_test_stats(sd);
	SN_ASSERT_EQ(s1.bypass - s0.bypass, 42);
	info = sn_test_info(dev, 0);
	SN_ASSERT_EQ(info.stats.bstats.packets, 42);
	if (sn_test_kept_check(dev, NULL, 0, 42) != 0)
		return SN_TEST_FAIL;

	return sn_test_dev_done(dev, sd, mp, base);
}

/*
 * Packets queued: with softirqs disabled, a large burst leaves packets in
 * the qdisc once the quota is spent; a later transmit must enqueue behind
 * them, not bypass them.
 */
static int
test_no_bypass_when_queued(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = sn_test_netdev_create("byp_queued", 1);
	uint32_t quota = sn_tx_quota();
	struct sn_softnet_stats s0, s1;
	struct sn_qdisc_info info;
	struct rte_mbuf *pkts[256];
	uint16_t n1 = 200, n2 = 10;

	SN_ASSERT(dev != NULL, "create");
	SN_ASSERT(quota >= 32 && quota <= 64, "quota %u: test assumes 32..64", quota);
	SN_ASSERT_EQ(sn_test_keep(dev, 512), 0);
	s0 = sn_test_stats(sd);

	sn_local_bh_disable(sd);
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, n1, 64, 0, 0), 0);
	SN_ASSERT_EQ(sn_xmit_burst(sd, dev, 0, pkts, n1), n1);
	s1 = sn_test_stats(sd);
	info = sn_test_info(dev, 0);
	/* The first 64 went direct (the qdisc was empty); more are queued. */
	SN_ASSERT_EQ(s1.bypass - s0.bypass, SN_QDISC_REQUEUE_MAX);
	SN_ASSERT(info.stats.qstats.qlen > 0, "nothing left queued");

	s0 = s1;
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, n2, 64, 0, n1), 0);
	SN_ASSERT_EQ(sn_xmit_burst(sd, dev, 0, pkts, n2), n2);
	s1 = sn_test_stats(sd);
	SN_ASSERT_EQ(s1.bypass - s0.bypass, 0);
	/* Single-packet form too. */
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, 1, 64, 0, n1 + n2), 0);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[0]), SN_XMIT_SUCCESS);
	s1 = sn_test_stats(sd);
	SN_ASSERT_EQ(s1.bypass - s0.bypass, 0);
	sn_local_bh_enable(sd);
	sn_test_drain(sd);

	/* Everything went out, in order. */
	if (sn_test_kept_check(dev, NULL, 0, n1 + n2 + 1) != 0)
		return SN_TEST_FAIL;
	return sn_test_dev_done(dev, sd, mp, base);
}

/* A stopped queue holds packets in the qdisc: later ones are queued behind them. */
static int
test_no_bypass_when_stopped(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = sn_test_netdev_create("byp_stopped", 1);
	struct sn_test_netdev *c;
	struct sn_softnet_stats s0, s1;
	struct rte_mbuf *pkts[16];

	SN_ASSERT(dev != NULL, "create");
	c = sn_test_netdev_ctl(dev);
	SN_ASSERT_EQ(sn_test_keep(dev, 64), 0);
	c->credit = 0; /* accepts nothing */

	/* The first packet finds the qdisc empty; the driver refuses it. */
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, 1, 64, 0, 0), 0);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[0]), SN_XMIT_SUCCESS);
	SN_ASSERT(sn_test_info(dev, 0).stats.qstats.qlen == 1, "refused packet not requeued");

	s0 = sn_test_stats(sd);
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, 16, 64, 0, 1), 0);
	for (unsigned int i = 0; i < 16; i++)
		SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[i]), SN_XMIT_SUCCESS);
	s1 = sn_test_stats(sd);
	SN_ASSERT_EQ(s1.bypass - s0.bypass, 0);
	SN_ASSERT_EQ(sn_test_info(dev, 0).stats.qstats.qlen, 17);
	SN_ASSERT_EQ(c->accepted, 0);

	c->credit = -1;
	sn_test_drain(sd);
	if (sn_test_kept_check(dev, NULL, 0, 17) != 0)
		return SN_TEST_FAIL;
	return sn_test_dev_done(dev, sd, mp, base);
}

/* params.no_bypass: never the direct path, yet everything is sent. */
static int
test_no_bypass_param(void)
{
	static const char *const kinds[] = { "pfifo_fast", "pfifo", "bfifo" };
	unsigned int base = rte_mempool_in_use_count(mp);

	for (unsigned int k = 0; k < RTE_DIM(kinds); k++) {
		struct sn_netdev *dev = sn_test_netdev_create("byp_param", 1);
		struct sn_qdisc_params p = { .no_bypass = true };
		struct sn_softnet_stats s0, s1;
		struct sn_qdisc_info info;
		struct rte_mbuf *pkts[32];

		SN_ASSERT(dev != NULL, "create");
		SN_ASSERT_EQ(sn_qdisc_replace(dev, 0, kinds[k], &p, sd), 0);
		info = sn_test_info(dev, 0);
		SN_ASSERT(info.params.no_bypass, "%s: no_bypass not reported", kinds[k]);
		SN_ASSERT(!(info.flags & SN_QDISC_F_CAN_BYPASS), "%s: CAN_BYPASS still set",
			  kinds[k]);
		s0 = sn_test_stats(sd);
		SN_ASSERT_EQ(sn_test_alloc(mp, pkts, 32, 64, 0, 0), 0);
		for (unsigned int i = 0; i < 10; i++)
			SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[i]), SN_XMIT_SUCCESS);
		SN_ASSERT_EQ(sn_xmit_burst(sd, dev, 0, pkts + 10, 22), 22);
		s1 = sn_test_stats(sd);
		SN_ASSERT_EQ(s1.bypass - s0.bypass, 0);
		SN_ASSERT_EQ(s1.sent - s0.sent, 32);
		info = sn_test_info(dev, 0);
		SN_ASSERT_EQ(info.stats.bstats.packets, 32);
		SN_ASSERT_EQ(sn_test_netdev_ctl(dev)->accepted, 32);

		/* Control: the same kind without the parameter does bypass. */
		SN_ASSERT_EQ(sn_qdisc_replace(dev, 0, kinds[k], NULL, sd), 0);
		SN_ASSERT(sn_test_info(dev, 0).flags & SN_QDISC_F_CAN_BYPASS, "%s", kinds[k]);
		s0 = sn_test_stats(sd);
		SN_ASSERT_EQ(sn_test_alloc(mp, pkts, 1, 64, 0, 0), 0);
		SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[0]), SN_XMIT_SUCCESS);
		s1 = sn_test_stats(sd);
		SN_ASSERT_EQ(s1.bypass - s0.bypass, 1);

		sn_test_netdev_free(dev, sd);
		sn_test_drain(sd);
	}
	return sn_test_pool_check(mp, base);
}

int
main(void)
{
	sn_test_init("bypass", "0", NULL);
	mp = sn_test_pool("bypass", 2048);
	sd = sn_softnet_attach();
	if (mp == NULL || sd == NULL)
		return SN_TEST_FAIL;
	SN_RUN(test_bypass_idle);
	SN_RUN(test_no_bypass_when_queued);
	SN_RUN(test_no_bypass_when_stopped);
	SN_RUN(test_no_bypass_param);
	sn_softnet_detach(sd);
	if (sn_test_pool_check(mp, 0) != 0)
		return SN_TEST_FAIL;
	sn_test_fini();
	return SN_TEST_PASS;
}
