/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A cpu collision is counted and its packets are requeued, not lost.
 *
 * Lcore 1 holds a queue's xmit lock (sn_netdev_tx_lock); lcore 0 transmits on
 * that queue. The qdisc run finds the lock owned by another lcore: it counts a
 * cpu_collision, requeues the batch (qstats.requeues), keeps it queued and
 * reschedules the qdisc on lcore 0 (SCHED, output queue). Once lcore 1 lets go,
 * lcore 0's NET_TX sends everything, in order.
 */

#include <rte_cycles.h>
#include <rte_launch.h>
#include <rte_pause.h>

#include "sn_test.h"
#include "sn_test_util.h"

#define NB_BURST 20
#define NB_SINGLE 5

static struct rte_mempool *mp;
static struct sn_softnet *sd;

static struct {
	struct sn_netdev *dev;
	volatile int locked;
	volatile int release;
	int rc;
} g;

static int
holder(void *arg)
{
	struct sn_softnet *wsd = sn_softnet_attach();

	RTE_SET_USED(arg);
	if (wsd == NULL) {
		g.rc = -EPERM;
		__atomic_store_n(&g.locked, -1, __ATOMIC_RELEASE);
		return -1;
	}
	g.rc = sn_netdev_tx_lock(wsd, g.dev, 0);
	__atomic_store_n(&g.locked, g.rc == 0 ? 1 : -1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&g.release, __ATOMIC_ACQUIRE))
		rte_pause();
	if (g.rc == 0)
		sn_netdev_tx_unlock(g.dev, 0);
	sn_softnet_detach(wsd);
	return 0;
}

static int
test_collision(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	unsigned int wl = sn_test_worker();
	struct sn_softnet_stats s0, s1;
	struct sn_qdisc_info info;
	struct rte_mbuf *pkts[NB_BURST + NB_SINGLE];
	uint64_t deadline;

	g.dev = sn_test_netdev_create("coll", 1);
	SN_ASSERT(g.dev != NULL, "create");
	SN_ASSERT_EQ(sn_test_keep(g.dev, 64), 0);
	SN_ASSERT_EQ(rte_eal_remote_launch(holder, NULL, wl), 0);
	deadline = rte_get_timer_cycles() + 5 * rte_get_timer_hz();
	while (__atomic_load_n(&g.locked, __ATOMIC_ACQUIRE) == 0) {
		if (rte_get_timer_cycles() > deadline)
			break;
		rte_pause();
	}
	SN_ASSERT(g.locked == 1, "lcore %u could not take the xmit lock: %d", wl, g.rc);
	SN_ASSERT_EQ(sn_netdev_tx_lock_owner(g.dev, 0), (int)wl);

	s0 = sn_test_stats(sd);
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, NB_BURST + NB_SINGLE, 64, 0, 0), 0);
	SN_ASSERT_EQ(sn_xmit_burst(sd, g.dev, 0, pkts, NB_BURST), NB_BURST);
	for (unsigned int i = 0; i < NB_SINGLE; i++)
		SN_ASSERT_EQ(sn_xmit(sd, g.dev, 0, pkts[NB_BURST + i]), SN_XMIT_SUCCESS);
	/* Softirqs ran too (end of each transmit, and here): still colliding. */
	sn_softnet_poll(sd);
	s1 = sn_test_stats(sd);
	info = sn_test_info(g.dev, 0);

	SN_ASSERT(s1.cpu_collision - s0.cpu_collision >= 1, "no collision counted");
	SN_ASSERT(info.stats.qstats.requeues >= NB_BURST, "requeues %" PRIu64,
		  info.stats.qstats.requeues);
	SN_ASSERT(s1.requeued - s0.requeued >= NB_BURST, "requeued %" PRIu64,
		  s1.requeued - s0.requeued);
	SN_ASSERT_EQ(info.stats.qstats.qlen, NB_BURST + NB_SINGLE);
	SN_ASSERT_EQ(info.stats.qstats.drops, 0);
	SN_ASSERT_EQ(s1.dropped - s0.dropped, 0);
	SN_ASSERT_EQ(s1.drop_dead_loop - s0.drop_dead_loop, 0);
	SN_ASSERT_EQ(s1.sent - s0.sent, 0);
	SN_ASSERT(info.state & SN_QDISC_STATE_SCHED, "qdisc not rescheduled (state %#x)",
		  info.state);
	SN_ASSERT_EQ(sn_test_scheduled(sd, g.dev, 0), 1);
	SN_ASSERT(!sn_netdev_txq_stopped(g.dev, 0), "a collision must not stop the queue");
	SN_ASSERT_EQ(sn_test_netdev_ctl(g.dev)->accepted, 0);

	__atomic_store_n(&g.release, 1, __ATOMIC_RELEASE);
	rte_eal_wait_lcore(wl);
	SN_ASSERT_EQ(sn_netdev_tx_lock_owner(g.dev, 0), -1);
	sn_test_drain(sd);
	if (sn_test_kept_check(g.dev, NULL, 0, NB_BURST + NB_SINGLE) != 0)
		return SN_TEST_FAIL;
	info = sn_test_info(g.dev, 0);
	SN_ASSERT_EQ(info.stats.qstats.qlen, 0);
	SN_ASSERT_EQ(info.stats.bstats.packets, NB_BURST + NB_SINGLE);
	SN_ASSERT(!(info.state & SN_QDISC_STATE_SCHED), "still SCHED");

	sn_test_kept_release(g.dev);
	sn_test_netdev_free(g.dev, sd);
	sn_test_drain(sd);
	return sn_test_pool_check(mp, base);
}

int
main(void)
{
	sn_test_init("collision", "0-1", NULL);
	if (sn_test_worker() >= RTE_MAX_LCORE) {
		printf("SKIP: needs 2 lcores\n");
		return SN_TEST_SKIP;
	}
	mp = sn_test_pool("collision", 256);
	sd = sn_softnet_attach();
	if (mp == NULL || sd == NULL)
		return SN_TEST_FAIL;
	SN_RUN(test_collision);
	sn_softnet_detach(sd);
	if (sn_test_pool_check(mp, 0) != 0)
		return SN_TEST_FAIL;
	sn_test_fini();
	return SN_TEST_PASS;
}
