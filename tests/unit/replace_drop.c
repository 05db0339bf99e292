/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Deactivated qdiscs drop, and count what they drop.
 *
 * Replacing a root qdisc while packets are queued in it drops those packets
 * and counts them (the replacing lcore's drop_deactivated, the queue's retired
 * drops); the new qdisc works at once. Taking a device down drops its queued
 * packets the same way, makes transmits fail with -ENETDOWN (drop_down), and
 * bringing it up makes them work again.
 *
 * The control calls are made from lcore 1 while lcore 0, which has the old
 * qdisc on its output queue, keeps polling (the embedder's contract). The
 * same calls made from lcore 0 itself are tested in replace_self_sched and
 * down_up_self_sched.
 */

#include <string.h>

#include <rte_cycles.h>
#include <rte_launch.h>
#include <rte_pause.h>

#include "sn_test.h"
#include "sn_test_util.h"

#define NB_QUEUED 20

static struct rte_mempool *mp;
static struct sn_softnet *sd;
static unsigned int wl;

enum ctl_op { CTL_REPLACE, CTL_DOWN };

static struct {
	struct sn_netdev *dev;
	enum ctl_op op;
	volatile int done;
	int rc;
} ctl;

static int
ctl_worker(void *arg)
{
	struct sn_softnet *wsd = sn_softnet_attach();

	RTE_SET_USED(arg);
	if (wsd == NULL) {
		ctl.rc = -EPERM;
	} else {
		if (ctl.op == CTL_REPLACE)
			ctl.rc = sn_qdisc_replace(ctl.dev, 0, "pfifo", NULL, wsd);
		else
			ctl.rc = sn_netdev_down(ctl.dev, wsd);
		sn_softnet_detach(wsd);
	}
	__atomic_store_n(&ctl.done, 1, __ATOMIC_RELEASE);
	return 0;
}

/* Run a control call on lcore 1 while lcore 0 polls. */
static int
run_ctl(struct sn_netdev *dev, enum ctl_op op)
{
	uint64_t deadline = rte_get_timer_cycles() + 10 * rte_get_timer_hz();

	ctl.dev = dev;
	ctl.op = op;
	ctl.done = 0;
	if (rte_eal_remote_launch(ctl_worker, NULL, wl) != 0)
		return -EBUSY;
	while (!__atomic_load_n(&ctl.done, __ATOMIC_ACQUIRE)) {
		sn_softnet_poll(sd);
		if (rte_get_timer_cycles() > deadline) {
			fprintf(stderr, "FAIL: control call never finished\n");
			exit(SN_TEST_FAIL);
		}
	}
	rte_eal_wait_lcore(wl);
	return ctl.rc;
}

/* Queue NB_QUEUED packets behind a driver that accepts nothing. */
static int
queue_some(struct sn_netdev *dev)
{
	struct rte_mbuf *pkts[NB_QUEUED];

	sn_test_netdev_ctl(dev)->credit = 0;
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, NB_QUEUED, 100, 0, 0), 0);
	for (unsigned int i = 0; i < NB_QUEUED; i++)
		SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[i]), SN_XMIT_SUCCESS);
	SN_ASSERT_EQ(sn_test_info(dev, 0).stats.qstats.qlen, NB_QUEUED);
	SN_ASSERT_EQ(sn_test_info(dev, 0).stats.qstats.backlog, NB_QUEUED * 100);
	return 0;
}

static int
test_replace_drops_queued(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = sn_test_netdev_create("rd_replace", 1);
	struct sn_softnet_stats w0, w1;
	struct sn_netdev_stats ds;
	struct sn_qdisc_info info;
	struct rte_mbuf *m;

	SN_ASSERT(dev != NULL, "create");
	if (queue_some(dev) != 0)
		return SN_TEST_FAIL;
	SN_ASSERT_EQ(rte_mempool_in_use_count(mp), base + NB_QUEUED);
	sn_softnet_stats_get(wl, &w0);

	SN_ASSERT_EQ(run_ctl(dev, CTL_REPLACE), 0);
	sn_softnet_stats_get(wl, &w1);
	info = sn_test_info(dev, 0);
	SN_ASSERT(strcmp(info.kind, "pfifo") == 0, "kind %s", info.kind);
	SN_ASSERT_EQ(info.stats.qstats.qlen, 0);
	SN_ASSERT_EQ(info.stats.qstats.drops, 0);
	SN_ASSERT_EQ(info.retired.qstats.drops, NB_QUEUED);
	SN_ASSERT_EQ(info.retired.qstats.qlen, 0);
	SN_ASSERT_EQ(info.retired.qstats.backlog, 0);
	SN_ASSERT_EQ(w1.drop_deactivated - w0.drop_deactivated, NB_QUEUED);
	SN_ASSERT_EQ(w1.dropped - w0.dropped, NB_QUEUED);
	SN_ASSERT_EQ(sn_netdev_stats(dev, &ds), 0);
	SN_ASSERT_EQ(ds.qdisc.qstats.drops, NB_QUEUED);
	SN_ASSERT_EQ(ds.qdisc.bstats.packets, 0);
	/* Freed already: nothing of the old qdisc is left anywhere. */
	sn_test_drain(sd);
	SN_ASSERT_EQ(rte_mempool_in_use_count(mp), base);
	SN_ASSERT_EQ(sn_test_scheduled(sd, dev, 0), 0);

	/* The new qdisc works. */
	sn_test_netdev_ctl(dev)->credit = -1;
	SN_ASSERT_EQ(sn_test_alloc(mp, &m, 1, 100, 0, 0), 0);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, m), SN_XMIT_SUCCESS);
	SN_ASSERT_EQ(sn_test_netdev_ctl(dev)->accepted, 1);
	SN_ASSERT_EQ(sn_test_info(dev, 0).stats.bstats.packets, 1);

	return sn_test_dev_done(dev, sd, mp, base);
}

static int
test_down_drops_queued(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = sn_test_netdev_create("rd_down", 1);
	struct sn_softnet_stats w0, w1;
	struct sn_qdisc_info info;
	struct rte_mbuf *m;

	SN_ASSERT(dev != NULL, "create");
	if (queue_some(dev) != 0)
		return SN_TEST_FAIL;
	sn_softnet_stats_get(wl, &w0);
	SN_ASSERT_EQ(run_ctl(dev, CTL_DOWN), 0);
	sn_softnet_stats_get(wl, &w1);
	SN_ASSERT(!sn_netdev_is_up(dev), "still up");
	SN_ASSERT_EQ(w1.drop_deactivated - w0.drop_deactivated, NB_QUEUED);
	SN_ASSERT_EQ(sn_qdisc_info(dev, 0, &info), -ENETDOWN);
	SN_ASSERT_EQ(info.stats.qstats.drops, NB_QUEUED);
	SN_ASSERT_EQ(info.stats.qstats.qlen, 0);
	sn_test_drain(sd);
	SN_ASSERT_EQ(rte_mempool_in_use_count(mp), base);
	SN_ASSERT_EQ(sn_test_scheduled(sd, dev, 0), 0);

	SN_ASSERT_EQ(sn_netdev_up(dev), 0);
	sn_test_netdev_ctl(dev)->credit = -1;
	SN_ASSERT_EQ(sn_test_alloc(mp, &m, 1, 100, 0, 0), 0);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, m), SN_XMIT_SUCCESS);
	SN_ASSERT_EQ(sn_test_netdev_ctl(dev)->accepted, 1);
	return sn_test_dev_done(dev, sd, mp, base);
}

/* Down: -ENETDOWN and drop_down; up: works again. Idle device, one lcore. */
static int
test_down_up(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = sn_test_netdev_create("rd_downup", 2);
	struct sn_softnet_stats s0, s1;
	struct sn_qdisc_info info;
	struct rte_mbuf *pkts[8];

	SN_ASSERT(dev != NULL, "create");
	SN_ASSERT_EQ(sn_netdev_down(dev, sd), 0);
	SN_ASSERT(!sn_netdev_is_up(dev), "still up");
	s0 = sn_test_stats(sd);
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, 8, 64, 0, 0), 0);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[0]), -ENETDOWN);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 1, pkts[1]), -ENETDOWN);
	SN_ASSERT_EQ(sn_xmit_burst(sd, dev, 0, pkts + 2, 3), 0);
	s1 = sn_test_stats(sd);
	SN_ASSERT_EQ(s1.drop_down - s0.drop_down, 5);
	SN_ASSERT_EQ(s1.dropped - s0.dropped, 5);
	SN_ASSERT_EQ(s1.sent - s0.sent, 0);
	SN_ASSERT_EQ(sn_qdisc_info(dev, 0, &info), -ENETDOWN);
	SN_ASSERT_EQ(sn_test_netdev_ctl(dev)->accepted, 0);
	sn_test_drain(sd);
	SN_ASSERT_EQ(rte_mempool_in_use_count(mp), base + 3);

	SN_ASSERT_EQ(sn_netdev_up(dev), 0);
	SN_ASSERT(sn_netdev_is_up(dev), "not up");
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[5]), SN_XMIT_SUCCESS);
	SN_ASSERT_EQ(sn_xmit_burst(sd, dev, 1, pkts + 6, 2), 2);
	SN_ASSERT_EQ(sn_test_netdev_ctl(dev)->accepted, 3);
	SN_ASSERT_EQ(sn_qdisc_info(dev, 1, &info), 0);
	SN_ASSERT_EQ(info.stats.bstats.packets, 2);
	SN_ASSERT_EQ(sn_netdev_down(NULL, sd), -ENODEV);
	SN_ASSERT_EQ(sn_netdev_up(NULL), -ENODEV);
	return sn_test_dev_done(dev, sd, mp, base);
}

int
main(void)
{
	sn_test_init("replace_drop", "0-1", NULL);
	mp = sn_test_pool("replace_drop", 512);
	sd = sn_softnet_attach();
	if (mp == NULL || sd == NULL)
		return SN_TEST_FAIL;
	SN_RUN(test_down_up);
	wl = sn_test_worker();
	if (wl >= RTE_MAX_LCORE) {
		printf("SKIP: needs 2 lcores\n");
		return SN_TEST_SKIP;
	}
	SN_RUN(test_replace_drops_queued);
	SN_RUN(test_down_drops_queued);
	sn_softnet_detach(sd);
	if (sn_test_pool_check(mp, 0) != 0)
		return SN_TEST_FAIL;
	sn_test_fini();
	return SN_TEST_PASS;
}
