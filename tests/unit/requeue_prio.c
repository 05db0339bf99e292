/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A partial send never lets requeued low-priority packets go ahead of later
 * high-priority ones, and keeps order within each band.
 *
 * pfifo_fast, the driver takes 10 of a burst of 40 bulk packets (band 2);
 * the unsent tail is requeued. Then 5 control packets (band 0) come. When the
 * driver has room again, the control packets must leave before the 30
 * requeued bulk ones (the kernel requeues a single skb; softnet puts each
 * requeued packet back at the head of its own band), and each band keeps its
 * order. Both the direct (CAN_BYPASS) and the queued path, with the root lock
 * and NOLOCK, and a burst of mixed priorities. requeues, qlen and backlog
 * stay exact; every mbuf is counted.
 */

#include "sn_test.h"
#include "sn_test_util.h"

#define NB_BULK 40
#define NB_CTRL 5
#define NB_MIXED 48
#define TAKEN 10

static struct rte_mempool *mp;
static struct sn_softnet *sd;

static const uint8_t kernel_priomap[SN_PRIO_COUNT] = {
	1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1,
};

static struct sn_netdev *
dev_for(const char *name, bool no_bypass, bool nolock, uint64_t keep)
{
	struct sn_qdisc_params p = { .no_bypass = no_bypass, .nolock = nolock };
	struct sn_netdev *dev = sn_test_netdev_create(name, 1);
	struct sn_test_netdev *c;

	if (dev == NULL || sn_qdisc_replace(dev, 0, "pfifo_fast", &p, sd) != 0 ||
	    sn_test_keep(dev, keep) != 0)
		return NULL;
	c = sn_test_netdev_ctl(dev);
	c->budget = TAKEN;
	c->ready = 0; /* full until the test says otherwise: NET_TX keeps polling */
	return dev;
}

/* Bulk burst, partial send, then control packets: control goes first. */
static int
bulk_then_control(const char *name, bool no_bypass, bool nolock)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = dev_for(name, no_bypass, nolock, NB_BULK + NB_CTRL);
	/* Direct path: 40 offered, 10 taken; queued: a batch of 32, 10 taken. */
	const uint64_t requeued = (no_bypass ? 32 : NB_BULK) - TAKEN;
	uint64_t want[NB_BULK + NB_CTRL];
	struct rte_mbuf *pkts[NB_BULK + NB_CTRL];
	struct sn_test_netdev *c;
	struct sn_qdisc_info info;
	unsigned int k = 0;

	SN_ASSERT(dev != NULL, "create");
	c = sn_test_netdev_ctl(dev);
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, NB_BULK, 64, SN_PRIO_BULK, 0), 0);
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts + NB_BULK, NB_CTRL, 64, SN_PRIO_CONTROL, NB_BULK), 0);
	SN_ASSERT_EQ(sn_xmit_burst(sd, dev, 0, pkts, NB_BULK), NB_BULK);
	SN_ASSERT_EQ(c->accepted, TAKEN);
	SN_ASSERT_EQ(sn_netdev_txq_state(dev, 0), SN_NETDEV_TXQ_SOFT_XOFF);
	for (unsigned int i = 0; i < NB_CTRL; i++)
		SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[NB_BULK + i]), SN_XMIT_SUCCESS);
	for (unsigned int i = 0; i < 10; i++)
		sn_softnet_poll(sd);
	SN_ASSERT_EQ(c->accepted, TAKEN);
	info = sn_test_info(dev, 0);
	SN_ASSERT_EQ(info.stats.qstats.requeues, requeued);
	SN_ASSERT_EQ(info.stats.qstats.qlen, NB_BULK + NB_CTRL - TAKEN);
	SN_ASSERT_EQ(info.stats.qstats.backlog, (NB_BULK + NB_CTRL - TAKEN) * 64);
	SN_ASSERT_EQ(sn_test_scheduled(sd, dev, 0), 1);

	c->budget = -1;
	c->ready = 1;
	sn_test_drain(sd);
	for (unsigned int i = 0; i < TAKEN; i++)
		want[k++] = i;
	for (unsigned int i = 0; i < NB_CTRL; i++)
		want[k++] = NB_BULK + i;
	for (unsigned int i = TAKEN; i < NB_BULK; i++)
		want[k++] = i;
	if (sn_test_kept_check(dev, want, 0, k) != 0)
		return SN_TEST_FAIL;
	info = sn_test_info(dev, 0);
	SN_ASSERT_EQ(info.stats.qstats.requeues, requeued);
	SN_ASSERT_EQ(info.stats.qstats.qlen, 0);
	SN_ASSERT_EQ(info.stats.qstats.backlog, 0);
	SN_ASSERT_EQ(info.stats.bstats.packets, NB_BULK + NB_CTRL);
	SN_ASSERT_EQ(info.stats.bstats.bytes, (NB_BULK + NB_CTRL) * 64);
	SN_ASSERT_EQ(info.stats.qstats.drops, 0);
	return sn_test_dev_done(dev, sd, mp, base);
}

static int
test_bypass_bulk_then_control(void)
{
	return bulk_then_control("rqp_byp", false, false);
}

static int
test_queued_bulk_then_control(void)
{
	return bulk_then_control("rqp_q", true, false);
}

static int
test_nolock_bypass_bulk_then_control(void)
{
	return bulk_then_control("rqp_nl_byp", false, true);
}

static int
test_nolock_queued_bulk_then_control(void)
{
	return bulk_then_control("rqp_nl_q", true, true);
}

/*
 * One burst of three priorities, a partial send: what was sent went in
 * arrival order (direct path) or band order (queued); the rest leaves band
 * by band, each band in arrival order.
 */
static int
mixed(const char *name, bool no_bypass, bool nolock)
{
	static const uint32_t prios[3] = { SN_PRIO_BULK, SN_PRIO_BESTEFFORT, SN_PRIO_CONTROL };
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = dev_for(name, no_bypass, nolock, NB_MIXED);
	struct rte_mbuf *pkts[NB_MIXED];
	uint64_t want[NB_MIXED];
	bool placed[NB_MIXED] = { false };
	struct sn_test_netdev *c;
	unsigned int k = 0;

	SN_ASSERT(dev != NULL, "create");
	c = sn_test_netdev_ctl(dev);
	for (unsigned int i = 0; i < NB_MIXED; i++)
		SN_ASSERT_EQ(sn_test_alloc(mp, &pkts[i], 1, 64, prios[i % 3], i), 0);
	SN_ASSERT_EQ(sn_xmit_burst(sd, dev, 0, pkts, NB_MIXED), NB_MIXED);
	SN_ASSERT_EQ(c->accepted, TAKEN);
	c->budget = -1;
	c->ready = 1;
	sn_test_drain(sd);

	if (!no_bypass)
		for (unsigned int i = 0; i < TAKEN; i++) {
			want[k++] = i;
			placed[i] = true;
		}
	for (unsigned int b = 0; b < 3; b++)
		for (unsigned int i = 0; i < NB_MIXED; i++)
			if (!placed[i] && kernel_priomap[prios[i % 3]] == b)
				want[k++] = i;
	SN_ASSERT_EQ(k, NB_MIXED);
	if (sn_test_kept_check(dev, want, 0, NB_MIXED) != 0)
		return SN_TEST_FAIL;
	SN_ASSERT_EQ(sn_test_info(dev, 0).stats.qstats.qlen, 0);
	SN_ASSERT_EQ(sn_test_info(dev, 0).stats.qstats.backlog, 0);
	return sn_test_dev_done(dev, sd, mp, base);
}

static int
test_mixed_bypass(void)
{
	return mixed("rqp_mix_byp", false, false);
}

static int
test_mixed_queued(void)
{
	return mixed("rqp_mix_q", true, false);
}

static int
test_mixed_nolock_bypass(void)
{
	return mixed("rqp_mix_nl", false, true);
}

/* A replace drops what a band holds for requeue, counted. */
static int
test_reset_drops_requeued(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = dev_for("rqp_reset", false, false, NB_BULK);
	struct sn_softnet_stats s0, s1;
	struct rte_mbuf *pkts[NB_BULK];
	struct sn_qdisc_info info;

	SN_ASSERT(dev != NULL, "create");
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, NB_BULK, 64, SN_PRIO_BULK, 0), 0);
	SN_ASSERT_EQ(sn_xmit_burst(sd, dev, 0, pkts, NB_BULK), NB_BULK);
	s0 = sn_test_stats(sd);
	SN_ASSERT_EQ(sn_qdisc_replace(dev, 0, "pfifo_fast", NULL, sd), 0);
	sn_test_drain(sd);
	s1 = sn_test_stats(sd);
	SN_ASSERT_EQ(s1.drop_deactivated - s0.drop_deactivated, NB_BULK - TAKEN);
	info = sn_test_info(dev, 0);
	SN_ASSERT_EQ(info.retired.qstats.drops, NB_BULK - TAKEN);
	SN_ASSERT_EQ(info.retired.qstats.requeues, NB_BULK - TAKEN);
	return sn_test_dev_done(dev, sd, mp, base);
}

int
main(void)
{
	sn_test_init("requeue_prio", "0", NULL);
	mp = sn_test_pool("requeue_prio", 512);
	sd = sn_softnet_attach();
	if (mp == NULL || sd == NULL)
		return SN_TEST_FAIL;
	SN_RUN(test_bypass_bulk_then_control);
	SN_RUN(test_queued_bulk_then_control);
	SN_RUN(test_nolock_bypass_bulk_then_control);
	SN_RUN(test_nolock_queued_bulk_then_control);
	SN_RUN(test_mixed_bypass);
	SN_RUN(test_mixed_queued);
	SN_RUN(test_mixed_nolock_bypass);
	SN_RUN(test_reset_drops_requeued);
	sn_softnet_detach(sd);
	if (sn_test_pool_check(mp, 0) != 0)
		return SN_TEST_FAIL;
	sn_test_fini();
	return SN_TEST_PASS;
}
