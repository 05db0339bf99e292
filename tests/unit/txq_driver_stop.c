/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Transmit-queue states: the driver's stop is held until its wake, the wake
 * runs the qdisc, and softnet's own stop after a partial burst is polled.
 *
 * - A queue the driver stopped (sn_netdev_txq_stop) stays stopped through
 *   any number of NET_TX runs: nothing reaches the driver, the qdisc is not
 *   kept on an output queue and tx_ready is not asked. The wake schedules
 *   the qdisc, and everything goes out in order.
 * - The driver stops its queue from its xmit op after accepting a batch
 *   (netif_tx_stop_queue): with pfifo_fast and a burst of 100, the accepted
 *   batch is sent and the rest waits, unscheduled, for the wake; the wake
 *   (from this lcore, or from another one while the stop came from another
 *   one in the middle of the run) sends all of it. None is stranded.
 * - A partial burst is softnet's own stop: the qdisc stays scheduled and
 *   NET_TX asks tx_ready until the driver has room, then drains the queue.
 *
 * Every mbuf is counted: the pool is back to its baseline after each case.
 */

#include <rte_cycles.h>
#include <rte_launch.h>
#include <rte_pause.h>

#include "sn_test.h"
#include "sn_test_util.h"

#define NB 100
#define POLLS 100000

static struct rte_mempool *mp;
static struct sn_softnet *sd;

/* Poll NET_TX @n times; returns how many polls found work. */
static unsigned int
poll_n(struct sn_softnet *s, unsigned int n)
{
	unsigned int work = 0;

	for (unsigned int i = 0; i < n; i++)
		work += sn_softnet_poll(s) != 0;
	return work;
}

static struct sn_netdev *
fifo_fast_dev(const char *name, bool no_bypass)
{
	struct sn_qdisc_params p = { .no_bypass = no_bypass };
	struct sn_netdev *dev = sn_test_netdev_create(name, 1);

	if (dev == NULL || sn_qdisc_replace(dev, 0, "pfifo_fast", &p, sd) != 0)
		return NULL;
	if (sn_test_keep(dev, NB) != 0)
		return NULL;
	return dev;
}

/* After the wake: everything sent once, in order, counters exact. */
static int
check_all_sent(struct sn_netdev *dev)
{
	struct sn_qdisc_info info = sn_test_info(dev, 0);

	if (sn_test_kept_check(dev, NULL, 0, NB) != 0)
		return SN_TEST_FAIL;
	SN_ASSERT_EQ(info.stats.qstats.qlen, 0);
	SN_ASSERT_EQ(info.stats.qstats.backlog, 0);
	SN_ASSERT_EQ(info.stats.bstats.packets, NB);
	SN_ASSERT_EQ(info.stats.qstats.drops, 0);
	SN_ASSERT_EQ(sn_netdev_txq_state(dev, 0), 0);
	SN_ASSERT(!(info.state & SN_QDISC_STATE_SCHED), "still SCHED");
	return 0;
}

/* The driver's stop holds through NET_TX; only its wake starts the queue. */
static int
test_stop_held_until_wake(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = fifo_fast_dev("drv_held", true);
	struct sn_test_netdev *c;
	struct sn_softnet_stats s0, s1;
	struct rte_mbuf *pkts[NB];

	SN_ASSERT(dev != NULL, "create");
	c = sn_test_netdev_ctl(dev);
	sn_netdev_txq_stop(dev, 0);
	SN_ASSERT_EQ(sn_netdev_txq_state(dev, 0), SN_NETDEV_TXQ_DRV_XOFF);
	SN_ASSERT(sn_netdev_txq_stopped(dev, 0), "not stopped");
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, NB, 64, 0, 0), 0);
	s0 = sn_test_stats(sd);
	SN_ASSERT_EQ(sn_xmit_burst(sd, dev, 0, pkts, NB), NB);
	poll_n(sd, POLLS);
	s1 = sn_test_stats(sd);
	SN_ASSERT_EQ(c->accepted, 0);
	SN_ASSERT_EQ(c->calls, 0);
	SN_ASSERT_EQ(c->ready_calls, 0);
	SN_ASSERT_EQ(sn_test_info(dev, 0).stats.qstats.qlen, NB);
	SN_ASSERT_EQ(sn_netdev_txq_state(dev, 0), SN_NETDEV_TXQ_DRV_XOFF);
	/* Not spun on: off every list, no reschedules. */
	SN_ASSERT_EQ(sn_test_scheduled(sd, dev, 0), 0);
	SN_ASSERT(s1.resched - s0.resched <= 1, "rescheduled %" PRIu64 " times",
		  s1.resched - s0.resched);
	SN_ASSERT(!sn_softnet_has_work(sd), "work left while the driver holds the queue");

	/* The wake (process context: NET_TX runs on the way out) sends it all. */
	SN_ASSERT_EQ(sn_netdev_txq_wake(sd, dev, 0), 0);
	sn_test_drain(sd);
	if (check_all_sent(dev) != 0)
		return SN_TEST_FAIL;
	return sn_test_dev_done(dev, sd, mp, base);
}

/*
 * netif_tx_stop_queue from the xmit op after accepting a batch: the run ends
 * with the rest queued; the wake sends it.
 */
static int
stop_from_xmit(const char *name, bool no_bypass, uint64_t first)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = fifo_fast_dev(name, no_bypass);
	struct sn_test_netdev *c;
	struct rte_mbuf *pkts[NB];

	SN_ASSERT(dev != NULL, "create");
	c = sn_test_netdev_ctl(dev);
	c->stop_in_xmit = true;
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, NB, 64, 0, 0), 0);
	SN_ASSERT_EQ(sn_xmit_burst(sd, dev, 0, pkts, NB), NB);
	SN_ASSERT_EQ(c->accepted, first);
	SN_ASSERT_EQ(sn_netdev_txq_state(dev, 0), SN_NETDEV_TXQ_DRV_XOFF);
	poll_n(sd, POLLS);
	SN_ASSERT_EQ(c->accepted, first);
	SN_ASSERT_EQ(c->calls, 1);
	SN_ASSERT_EQ(sn_test_info(dev, 0).stats.qstats.qlen, NB - first);
	SN_ASSERT_EQ(sn_test_info(dev, 0).stats.qstats.backlog, (NB - first) * 64);
	SN_ASSERT_EQ(sn_test_info(dev, 0).stats.qstats.requeues, 0);
	SN_ASSERT_EQ(sn_test_scheduled(sd, dev, 0), 0);

	SN_ASSERT_EQ(sn_netdev_txq_wake(sd, dev, 0), 0);
	sn_test_drain(sd);
	if (check_all_sent(dev) != 0)
		return SN_TEST_FAIL;
	return sn_test_dev_done(dev, sd, mp, base);
}

/* Queued path: one batch of 32 accepted, 68 left. */
static int
test_stop_from_xmit_queued(void)
{
	return stop_from_xmit("drv_xmit_q", true, 32);
}

/* Direct path: 64 sent straight, 36 enqueued behind. */
static int
test_stop_from_xmit_bypass(void)
{
	return stop_from_xmit("drv_xmit_b", false, SN_QDISC_REQUEUE_MAX);
}

/* ---- two lcores: the stop and the wake come from lcore 1 ---- */

static struct {
	struct sn_netdev *dev;
	volatile int step;      /* 1: stop now; 2: stopped; 3: wake now; 4: done */
	int rc;
} g;

static void
wait_step(int want)
{
	uint64_t deadline = rte_get_timer_cycles() + 10 * rte_get_timer_hz();

	while (__atomic_load_n(&g.step, __ATOMIC_ACQUIRE) < want &&
	       rte_get_timer_cycles() < deadline)
		rte_pause();
}

/* Inside lcore 0's first xmit call: lcore 1 stops the queue meanwhile. */
static void
stop_hook(struct sn_netdev *dev, uint16_t txq, void *arg)
{
	RTE_SET_USED(dev);
	RTE_SET_USED(txq);
	RTE_SET_USED(arg);
	if (__atomic_load_n(&g.step, __ATOMIC_ACQUIRE) != 0)
		return;
	__atomic_store_n(&g.step, 1, __ATOMIC_RELEASE);
	wait_step(2);
}

static int
stopper(void *arg)
{
	struct sn_softnet *wsd = sn_softnet_attach();

	RTE_SET_USED(arg);
	if (wsd == NULL) {
		g.rc = -EPERM;
		__atomic_store_n(&g.step, 4, __ATOMIC_RELEASE);
		return -1;
	}
	wait_step(1);
	sn_netdev_txq_stop(g.dev, 0);
	__atomic_store_n(&g.step, 2, __ATOMIC_RELEASE);
	wait_step(3);
	/* The wake schedules the qdisc on this lcore; its NET_TX runs it. */
	g.rc = sn_netdev_txq_wake(wsd, g.dev, 0);
	sn_test_drain(wsd);
	sn_softnet_detach(wsd);
	__atomic_store_n(&g.step, 4, __ATOMIC_RELEASE);
	return 0;
}

static int
test_stop_and_wake_from_other_lcore(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	unsigned int wl = sn_test_worker();
	struct sn_test_netdev *c;
	struct rte_mbuf *pkts[NB];

	if (wl >= RTE_MAX_LCORE)
		return SN_TEST_SKIP;
	g.dev = fifo_fast_dev("drv_other", true);
	SN_ASSERT(g.dev != NULL, "create");
	c = sn_test_netdev_ctl(g.dev);
	c->hook = stop_hook;
	SN_ASSERT_EQ(rte_eal_remote_launch(stopper, NULL, wl), 0);
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, NB, 64, 0, 0), 0);
	SN_ASSERT_EQ(sn_xmit_burst(sd, g.dev, 0, pkts, NB), NB);
	SN_ASSERT_EQ(__atomic_load_n(&g.step, __ATOMIC_ACQUIRE), 2);
	/* The batch in the driver when the stop came went out; the run ended. */
	SN_ASSERT_EQ(c->accepted, 32);
	poll_n(sd, POLLS);
	SN_ASSERT_EQ(c->accepted, 32);
	SN_ASSERT_EQ(sn_test_info(g.dev, 0).stats.qstats.qlen, NB - 32);
	SN_ASSERT_EQ(sn_test_scheduled(sd, g.dev, 0), 0);

	__atomic_store_n(&g.step, 3, __ATOMIC_RELEASE);
	rte_eal_wait_lcore(wl);
	SN_ASSERT_EQ(g.rc, 0);
	if (check_all_sent(g.dev) != 0)
		return SN_TEST_FAIL;
	c->hook = NULL;
	return sn_test_dev_done(g.dev, sd, mp, base);
}

/* ---- softnet's own stop: polled, the qdisc kept scheduled ---- */
static int
test_soft_stop_polled(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = fifo_fast_dev("soft_poll", true);
	struct sn_test_netdev *c;
	struct sn_softnet_stats s0, s1;
	struct rte_mbuf *pkts[NB];

	SN_ASSERT(dev != NULL, "create");
	c = sn_test_netdev_ctl(dev);
	c->budget = 10;
	c->ready = 0;
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, NB, 64, 0, 0), 0);
	s0 = sn_test_stats(sd);
	SN_ASSERT_EQ(sn_xmit_burst(sd, dev, 0, pkts, NB), NB);
	SN_ASSERT_EQ(c->accepted, 10);
	SN_ASSERT_EQ(sn_netdev_txq_state(dev, 0), SN_NETDEV_TXQ_SOFT_XOFF);
	for (unsigned int i = 0; i < 1000; i++) {
		sn_softnet_poll(sd);
		SN_ASSERT_EQ(sn_test_scheduled(sd, dev, 0), 1);
	}
	s1 = sn_test_stats(sd);
	SN_ASSERT_EQ(c->accepted, 10);
	SN_ASSERT_EQ(c->calls, 1);
	SN_ASSERT(c->ready_calls >= 1000, "tx_ready asked %" PRIu64 " times", c->ready_calls);
	SN_ASSERT_EQ(s1.queue_stopped - s0.queue_stopped, 1);
	SN_ASSERT_EQ(sn_test_info(dev, 0).stats.qstats.requeues, 32 - 10);
	SN_ASSERT_EQ(sn_test_info(dev, 0).stats.qstats.qlen, NB - 10);

	/* The driver has room again: the next NET_TX drains the queue. */
	c->budget = -1;
	c->ready = 1;
	sn_test_drain(sd);
	if (check_all_sent(dev) != 0)
		return SN_TEST_FAIL;
	return sn_test_dev_done(dev, sd, mp, base);
}

/* Waking a running queue changes nothing; bad arguments are refused. */
static int
test_wake_edge_cases(void)
{
	struct sn_netdev *dev = sn_test_netdev_create("wake_edge", 1);

	SN_ASSERT(dev != NULL, "create");
	SN_ASSERT_EQ(sn_netdev_txq_wake(sd, dev, 0), 0);
	SN_ASSERT_EQ(sn_test_scheduled(sd, dev, 0), 0);
	SN_ASSERT_EQ(sn_netdev_txq_wake(sd, dev, 1), -EINVAL);
	SN_ASSERT_EQ(sn_netdev_txq_wake(NULL, dev, 0), -EINVAL);
	SN_ASSERT_EQ(sn_netdev_txq_wake(sd, NULL, 0), -EINVAL);
	SN_ASSERT_EQ(sn_netdev_txq_state(dev, 1), 0);
	SN_ASSERT(!sn_netdev_txq_stopped(dev, 1), "queue 1 does not exist");
	sn_netdev_txq_stop(dev, 1);   /* out of range: ignored */
	sn_netdev_txq_stop(dev, 0);
	sn_netdev_txq_stop(dev, 0);   /* idempotent */
	SN_ASSERT_EQ(sn_netdev_txq_state(dev, 0), SN_NETDEV_TXQ_DRV_XOFF);
	/* Down and up: the driver's stop stays the driver's. */
	SN_ASSERT_EQ(sn_netdev_down(dev, sd), 0);
	SN_ASSERT_EQ(sn_netdev_up(dev), 0);
	SN_ASSERT_EQ(sn_netdev_txq_state(dev, 0), SN_NETDEV_TXQ_DRV_XOFF);
	SN_ASSERT_EQ(sn_netdev_txq_wake(sd, dev, 0), 0);
	SN_ASSERT_EQ(sn_netdev_txq_state(dev, 0), 0);
	sn_test_netdev_free(dev, sd);
	sn_test_drain(sd);
	return 0;
}

int
main(void)
{
	sn_test_init("txq_driver_stop", "0-1", NULL);
	mp = sn_test_pool("txq_driver_stop", 512);
	sd = sn_softnet_attach();
	if (mp == NULL || sd == NULL)
		return SN_TEST_FAIL;
	SN_RUN(test_stop_held_until_wake);
	SN_RUN(test_stop_from_xmit_queued);
	SN_RUN(test_stop_from_xmit_bypass);
	SN_RUN(test_stop_and_wake_from_other_lcore);
	SN_RUN(test_soft_stop_polled);
	SN_RUN(test_wake_edge_cases);
	sn_softnet_detach(sd);
	if (sn_test_pool_check(mp, 0) != 0)
		return SN_TEST_FAIL;
	sn_test_fini();
	return SN_TEST_PASS;
}
