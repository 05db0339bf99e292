/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The busylock is taken only when the qdisc is contended.
 *
 * One lcore, whatever path a transmit takes (direct, queued, quota, partial
 * transmit, NET_TX), never counts a busylock. With two lcores, lcore 1 is
 * parked inside the driver (the test netdev's hook blocks with the xmit lock
 * held), so the qdisc is running; lcore 0's transmits then find it running:
 * each takes the busylock, is queued (not bypassed), and lcore 1 sends them
 * when it resumes, in order, nothing lost.
 */

#include <rte_cycles.h>
#include <rte_launch.h>
#include <rte_pause.h>

#include "sn_test.h"
#include "sn_test_util.h"

#define NB_MAIN 10

static struct rte_mempool *mp;
static struct sn_softnet *sd;

static int
test_single_lcore_never(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = sn_test_netdev_create("bl_single", 2);
	struct sn_softnet_stats s0, s1;
	struct rte_mbuf *pkts[256];

	SN_ASSERT(dev != NULL, "create");
	s0 = sn_test_stats(sd);
	/* Direct path. */
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, 32, 64, 0, 0), 0);
	for (unsigned int i = 0; i < 32; i++)
		sn_xmit(sd, dev, 0, pkts[i]);
	/* Quota and queued path, softirqs off. */
	sn_local_bh_disable(sd);
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, 256, 64, 0, 0), 0);
	SN_ASSERT_EQ(sn_xmit_burst(sd, dev, 1, pkts, 200), 200);
	SN_ASSERT_EQ(sn_xmit_burst(sd, dev, 1, pkts + 200, 56), 56);
	sn_local_bh_enable(sd);
	/* Partial transmits: the driver takes 3 per call. */
	sn_test_netdev_ctl(dev)->budget = 3;
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, 100, 64, 0, 0), 0);
	SN_ASSERT_EQ(sn_xmit_burst(sd, dev, 0, pkts, 100), 100);
	sn_test_drain(sd);
	s1 = sn_test_stats(sd);
	SN_ASSERT_EQ(s1.sent - s0.sent, 32 + 256 + 100);
	SN_ASSERT_EQ(s1.busylock - s0.busylock, 0);
	return sn_test_dev_done(dev, sd, mp, base);
}

/* ---- two lcores ---- */

static struct {
	struct sn_netdev *dev;
	volatile int parked;  /* lcore 1 is inside the driver */
	volatile int release; /* let it go */
	volatile int done;
	int rc;
} g;

static void
park_hook(struct sn_netdev *dev, uint16_t txq, void *arg)
{
	RTE_SET_USED(dev);
	RTE_SET_USED(txq);
	RTE_SET_USED(arg);
	if (rte_lcore_id() == 0 || __atomic_load_n(&g.parked, __ATOMIC_ACQUIRE))
		return;
	__atomic_store_n(&g.parked, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&g.release, __ATOMIC_ACQUIRE))
		rte_pause();
}

static int
worker(void *arg)
{
	struct sn_softnet *wsd = sn_softnet_attach();
	struct rte_mbuf *m;

	RTE_SET_USED(arg);
	if (wsd == NULL) {
		g.rc = -1;
		return -1;
	}
	if (sn_test_alloc(mp, &m, 1, 64, 0, 0) != 0) {
		g.rc = -2;
	} else {
		sn_test_set_tag(m, 1);
		g.rc = sn_xmit(wsd, g.dev, 0, m);
	}
	sn_test_drain(wsd);
	sn_softnet_detach(wsd);
	__atomic_store_n(&g.done, 1, __ATOMIC_RELEASE);
	return 0;
}

static int
test_two_lcores_contended(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	unsigned int wl = sn_test_worker();
	struct sn_softnet_stats s0, s1, w0, w1;
	struct sn_qdisc_info info;
	struct rte_mbuf *pkts[NB_MAIN];
	struct sn_test_netdev *c;
	uint64_t deadline;

	if (wl >= RTE_MAX_LCORE)
		return SN_TEST_SKIP;
	g.dev = sn_test_netdev_create("bl_two", 1);
	SN_ASSERT(g.dev != NULL, "create");
	c = sn_test_netdev_ctl(g.dev);
	SN_ASSERT_EQ(sn_test_keep(g.dev, 64), 0);
	c->hook = park_hook;
	s0 = sn_test_stats(sd);
	sn_softnet_stats_get(wl, &w0);

	SN_ASSERT_EQ(rte_eal_remote_launch(worker, NULL, wl), 0);
	deadline = rte_get_timer_cycles() + 5 * rte_get_timer_hz();
	while (!__atomic_load_n(&g.parked, __ATOMIC_ACQUIRE)) {
		if (rte_get_timer_cycles() > deadline) {
			fprintf(stderr, "FAIL: lcore %u never reached the driver\n", wl);
			exit(SN_TEST_FAIL);
		}
		rte_pause();
	}

	/* The qdisc is running on lcore 1: these must wait on the busylock. */
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, NB_MAIN, 64, 0, 100), 0);
	for (unsigned int i = 0; i < NB_MAIN; i++)
		SN_ASSERT_EQ(sn_xmit(sd, g.dev, 0, pkts[i]), SN_XMIT_SUCCESS);
	s1 = sn_test_stats(sd);
	info = sn_test_info(g.dev, 0);
	SN_ASSERT_EQ(s1.busylock - s0.busylock, NB_MAIN);
	SN_ASSERT_EQ(s1.bypass - s0.bypass, 0);
	SN_ASSERT_EQ(s1.sent - s0.sent, 0);
	SN_ASSERT_EQ(info.stats.qstats.qlen, NB_MAIN);
	SN_ASSERT_EQ(c->accepted, 0);

	__atomic_store_n(&g.release, 1, __ATOMIC_RELEASE);
	rte_eal_wait_lcore(wl);
	SN_ASSERT_EQ(g.rc, SN_XMIT_SUCCESS);
	sn_test_drain(sd);

	/* Lcore 1's packet first, then lcore 0's in order: nothing lost. */
	SN_ASSERT_EQ(c->accepted, NB_MAIN + 1);
	SN_ASSERT_EQ(sn_test_tag(c->kept[0]), 1);
	for (unsigned int i = 0; i < NB_MAIN; i++)
		SN_ASSERT_EQ(sn_test_seq(c->kept[i + 1]), 100 + i);
	sn_softnet_stats_get(wl, &w1);
	/* The runner was never contended itself and sent everything. */
	SN_ASSERT_EQ(w1.busylock - w0.busylock, 0);
	SN_ASSERT_EQ(w1.sent - w0.sent, NB_MAIN + 1);
	info = sn_test_info(g.dev, 0);
	SN_ASSERT_EQ(info.stats.bstats.packets, NB_MAIN + 1);
	SN_ASSERT_EQ(info.stats.qstats.qlen, 0);
	SN_ASSERT_EQ(info.stats.qstats.drops, 0);

	c->hook = NULL;
	sn_test_kept_release(g.dev);
	sn_test_netdev_free(g.dev, sd);
	sn_test_drain(sd);
	return sn_test_pool_check(mp, base);
}

int
main(void)
{
	sn_test_init("busylock", "0-1", NULL);
	mp = sn_test_pool("busylock", 2048);
	sd = sn_softnet_attach();
	if (mp == NULL || sd == NULL)
		return SN_TEST_FAIL;
	SN_RUN(test_single_lcore_never);
	if (sn_test_worker() >= RTE_MAX_LCORE) {
		printf("SKIP: needs 2 lcores\n");
		return SN_TEST_SKIP;
	}
	SN_RUN(test_two_lcores_contended);
	sn_softnet_detach(sd);
	if (sn_test_pool_check(mp, 0) != 0)
		return SN_TEST_FAIL;
	sn_test_fini();
	return SN_TEST_PASS;
}
