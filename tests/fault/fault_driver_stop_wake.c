/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fault: the driver stops its queue from xmit and wakes it later from the
 * other lcore (the kernel's netif_tx_stop_queue() from ndo_start_xmit, and
 * netif_tx_wake_queue() from the completion path).
 *
 * The test netdev stops a queue (sn_netdev_txq_stop()) after every third
 * call that accepted packets on it; every other stop also refuses half of
 * that burst (the driver's stop and softnet's own stop after a partial
 * transmit at once). The lcore that did not make the stop wakes the queue
 * 5-80 us later with sn_netdev_txq_wake() (sn_test_fault_wake(): under the
 * queue's xmit lock, softirqs off, so that a wake never undoes a newer stop).
 *
 * Semantics (DESIGN.md 11): a driver's stop is held until the driver wakes
 * the queue, and the wake schedules the qdisc; no packet is ever queued with
 * nothing due to run it. So:
 *   - softnet never calls xmit on a queue the driver stopped and has not
 *     woken yet (the driver counts such calls: must be 0);
 *   - after the clean stop (no more stops, every queue woken) nothing is
 *     queued, and the usual accounting, pool and validator checks hold.
 */

#include <inttypes.h>

#include <rte_cycles.h>

#include "fault.h"

#define MIN_ITERS 200 /* stops */

static struct sn_test_fault *knobs;

/* Wake what the other lcore's xmit stopped, once it has been stopped a while. */
static void
waker(struct fault_run *r, struct fault_lcore *l)
{
	uint64_t now = rte_get_timer_cycles(), hz = rte_get_timer_hz();

	if (l->sd == NULL)
		return;
	for (uint16_t q = 0; q < 3; q++) {
		struct sn_test_fault_txq *t = &knobs->q[q];
		uint64_t delay_us = 5 + (t->stops * 37) % 75;

		if (!__atomic_load_n(&t->stopped, __ATOMIC_ACQUIRE))
			continue;
		/* At the clean stop any lcore wakes anything. */
		if (t->stopped_by == l->lcore && !__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE))
			continue;
		if (now - t->stop_tsc < delay_us * hz / 1000000)
			continue;
		sn_test_fault_wake(l->sd, r->dev, q);
	}
}

static void
undo(struct fault_run *r, struct fault_lcore *l)
{
	knobs->stop_every = 0;
	for (uint16_t q = 0; q < 3; q++)
		sn_test_fault_wake(l->sd, r->dev, q);
}

static uint64_t
total_stops(void)
{
	uint64_t n = 0;

	for (uint16_t q = 0; q < 3; q++)
		n += __atomic_load_n(&knobs->q[q].stops, __ATOMIC_RELAXED);
	return n;
}

static int
test_driver_stop_wake(void)
{
	static struct fault_run r = { .name = "driver_stop_wake", .step_hook = waker, .undo = undo };
	struct rte_mempool *mp = fault_pool("fault_stopwake", 16384);
	uint64_t stops = 0, wakes = 0, while_stopped = 0, accepted = 0;
	struct sn_netdev *dev;
	int rc;

	SN_ASSERT(mp != NULL, "pool");
	dev = sn_test_netdev_create("stopwake", 3);
	SN_ASSERT(dev != NULL, "create");
	knobs = sn_test_netdev_fault(dev);
	SN_ASSERT(knobs != NULL, "fault knobs");
	knobs->stop_every = 3;
	knobs->stop_partial = true;
	SN_ASSERT_EQ(fault_start(&r, dev, mp), 0);

	while (fault_more(&r, total_stops(), MIN_ITERS))
		fault_pump(&r, 16);

	rc = fault_stop_and_check(&r);
	for (uint16_t q = 0; q < 3; q++) {
		struct sn_test_fault_txq *t = &knobs->q[q];

		printf("txq %u: calls %" PRIu64 " accepted %" PRIu64 " stops %" PRIu64
		       " wakes %" PRIu64 " xmit while stopped %" PRIu64 "%s\n", q, t->calls,
		       t->accepted, t->stops, t->wakes, t->while_stopped,
		       t->stopped ? " (still stopped)" : "");
		stops += t->stops;
		wakes += t->wakes;
		while_stopped += t->while_stopped;
		accepted += t->accepted;
	}
	if (while_stopped != 0) {
		fprintf(stderr, "FAIL: softnet called xmit %" PRIu64 " times on a queue the driver "
			"had stopped and not woken: the driver's stop was not held (DESIGN.md 11)\n",
			while_stopped);
		rc = SN_TEST_FAIL;
	}
	if (stops == 0 || wakes == 0) {
		fprintf(stderr, "FAIL: %" PRIu64 " stops, %" PRIu64 " wakes: test too weak\n", stops,
			wakes);
		rc = SN_TEST_FAIL;
	}
	sn_test_netdev_free(dev, r.lc[0].sd);
	if (fault_finish(&r) != 0)
		return SN_TEST_FAIL;
	return rc;
}

int
main(void)
{
	fault_init("fault_driver_stop_wake", NULL);
	SN_RUN(test_driver_stop_wake);
	return fault_exit();
}
