/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fault: an lcore detaches from softnet and attaches again, over and over,
 * while both lcores transmit.
 *
 * The worker, every 1-16 traffic steps, calls sn_softnet_detach() (which
 * runs its remaining work as far as the device allows; -EBUSY, counted, when
 * a stopped queue kept work pending: its scheduled qdiscs are handed to the
 * next lcore that polls, here the main lcore), stays offline 0-30 us, and
 * sn_softnet_attach()es again. The driver takes at most 16 packets per call,
 * so queues stop and qdiscs are scheduled on the worker when it leaves; one
 * cycle in 8 the driver refuses everything while the worker queues a few
 * packets on its own queue 2 and detaches (so the detach cannot finish its
 * work). The main lcore transmits and, every 32 detaches or so, replaces the
 * shared queue's qdisc, so that grace periods run while the worker comes and
 * goes. Checks: the usual accounting; the worker's final detach returns 0
 * and nothing is queued after the clean stop; pool, validator, deadline; and
 * no stranding: after a detach that returned -EBUSY, the worker's own queue
 * (used by no other lcore) must not hold packets while its qdisc is on no
 * lcore's output queue (DESIGN.md 11: no packet is ever queued with nothing
 * due to run it; the kernel's dev_cpu_dead() moves a dead CPU's output queue
 * to a live one for this reason).
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>

#include "fault.h"

#define MIN_ITERS 200 /* detach/attach cycles */

static uint64_t next_detach;
static uint64_t strands, strand_pkts, forced;
static struct sn_test_fault *knobs;

/*
 * The worker left with work pending (-EBUSY). Its own queue 2 is used by no
 * one else: if after 200 us it still holds packets and its qdisc is on no
 * output queue (SCHED clear), nothing is due to run them (DESIGN.md 11; the
 * kernel's dev_cpu_dead() hands a dead CPU's output queue to a live one).
 * A run in progress on the adopting lcore also shows SCHED clear (NET_TX
 * clears it before the run; the run drops the root lock around the driver
 * and reschedules after a refusal; on a shared host that lcore can be
 * preempted there), so "stranded" means: seen that way on every one of 50
 * looks over 20 ms, never scheduled, never empty.
 */
static void
strand_probe(struct fault_run *r)
{
	struct sn_qdisc_info info;
	uint64_t qlen = 0;

	rte_delay_us_block(200);
	for (int look = 0; look < 50; look++) {
		if (sn_qdisc_info(r->dev, 2, &info) != 0)
			return;
		if (info.stats.qstats.qlen == 0 || (info.state & SN_QDISC_STATE_SCHED))
			return;
		qlen = info.stats.qstats.qlen;
		rte_delay_us_block(400);
	}
	strands++;
	strand_pkts += qlen;
}

static void
reattach(struct fault_run *r, struct fault_lcore *l)
{
	int rc;

	if (l->steps < next_detach || l->sd == NULL)
		return;
	next_detach = l->steps + 1 + (l->reattach * 2654435761u) % 16;
	/*
	 * One cycle in 8 the driver is full (refusing) as the worker leaves,
	 * with packets just queued on the worker's own queue: its qdisc is
	 * scheduled on the worker, and the detach cannot run it dry.
	 */
	if (l->reattach % 8 == 7) {
		knobs->refuse = true;
		forced++;
		fault_step(r, l);
		fault_step(r, l);
	}
	rc = sn_softnet_detach(l->sd);
	l->sd = NULL;
	if (rc == -EBUSY) {
		l->detach_busy++;
		strand_probe(r);
	} else if (rc != 0 && l->rc == 0) {
		l->rc = rc;
	}
	knobs->refuse = false;
	rte_delay_us_block((unsigned int)(l->reattach % 31));
	l->sd = sn_softnet_attach();
	if (l->sd == NULL) {
		if (l->rc == 0)
			l->rc = -rte_errno;
		__atomic_store_n(&r->stop, 1, __ATOMIC_RELEASE);
		return;
	}
	__atomic_store_n(&l->reattach, l->reattach + 1, __ATOMIC_RELEASE);
}

static int
test_lcore_reattach(void)
{
	static struct fault_run r = { .name = "lcore_reattach", .worker_fault = reattach };
	struct rte_mempool *mp = fault_pool("fault_reattach", 16384);
	struct sn_netdev *dev;
	uint64_t replaces = 0, last = 0;
	int rc;

	SN_ASSERT(mp != NULL, "pool");
	dev = sn_test_netdev_create("reattach", 3);
	SN_ASSERT(dev != NULL, "create");
	knobs = sn_test_netdev_fault(dev);
	SN_ASSERT(knobs != NULL, "fault knobs");
	knobs->budget = 16;
	SN_ASSERT_EQ(fault_start(&r, dev, mp), 0);

	while (fault_more(&r, __atomic_load_n(&r.lc[1].reattach, __ATOMIC_ACQUIRE), MIN_ITERS)) {
		uint64_t n = __atomic_load_n(&r.lc[1].reattach, __ATOMIC_ACQUIRE);

		fault_pump(&r, 8);
		if (n - last >= 32) {
			rc = sn_qdisc_replace(dev, 0, replaces & 1 ? "pfifo" : "pfifo_fast", NULL,
						  r.lc[0].sd);

			SN_ASSERT(rc == 0, "replace: %s", strerror(-rc));
			replaces++;
			last = n;
		}
		if (__atomic_load_n(&r.stop, __ATOMIC_ACQUIRE))
			break; /* the worker could not attach again */
	}
	printf("lcore_reattach: %" PRIu64 " detach/attach cycles (%" PRIu64 " with the driver "
	       "full), %" PRIu64 " replaces meanwhile\n", r.lc[1].reattach, forced, replaces);
	rc = fault_stop_and_check(&r);
	if (r.lc[1].reattach == 0) {
		fprintf(stderr, "FAIL: the worker never detached: test too weak\n");
		rc = SN_TEST_FAIL;
	}
	if (strands != 0) {
		fprintf(stderr, "FAIL: %" PRIu64 " of %" PRIu64 " detaches that returned -EBUSY left "
			"packets queued on the worker's own queue with nothing due to run them "
			"(%" PRIu64 " packets in all; DESIGN.md 11)\n", strands, r.lc[1].detach_busy,
			strand_pkts);
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
	/* Every -EBUSY detach logs a warning: expected here, keep the log short. */
	fault_init("fault_lcore_reattach", "--log-level=softnet.core:error");
	SN_RUN(test_lcore_reattach);
	return fault_exit();
}
