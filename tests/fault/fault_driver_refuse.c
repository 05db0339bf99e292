/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fault: a driver that refuses everything for long stretches, then accepts.
 *
 * Two lcores transmit into the shared queue 0 and their own queues 1 and 2
 * of a test netdev (tests/lib/test_netdev.c, fault knobs). The main lcore
 * makes the driver refuse every packet for 2-20 ms at a time (the queues
 * stop, softnet retries them, the qdiscs fill to their limits and drop),
 * then accept for 1-5 ms (taking at most 24 per call, so partial transmits
 * requeue). At the clean stop the driver accepts again and everything
 * queued must drain: handed = sent + dropped + queued, queued = 0, the pool
 * back to its baseline, no validator report, within the deadline.
 */

#include <inttypes.h>

#include "fault.h"

#define MIN_ITERS 40

static struct sn_test_fault *knobs;

static void
undo(struct fault_run *r, struct fault_lcore *l)
{
	RTE_SET_USED(r);
	RTE_SET_USED(l);
	knobs->refuse = false;
}

static int
test_driver_refuse(void)
{
	static struct fault_run r = { .name = "driver_refuse", .undo = undo };
	struct rte_mempool *mp = fault_pool("fault_refuse", 16384);
	struct sn_netdev *dev;
	uint64_t it, refused = 0, calls = 0;

	SN_ASSERT(mp != NULL, "pool");
	dev = sn_test_netdev_create("refuse", 3);
	SN_ASSERT(dev != NULL, "create");
	knobs = sn_test_netdev_fault(dev);
	SN_ASSERT(knobs != NULL, "fault knobs");
	knobs->budget = 24;
	SN_ASSERT_EQ(fault_start(&r, dev, mp), 0);

	for (it = 0; fault_more(&r, it, MIN_ITERS); it++) {
		knobs->refuse = true;
		fault_pump_us(&r, 2000 + (it * 7919) % 18000);
		knobs->refuse = false;
		fault_pump_us(&r, 1000 + (it * 104729) % 4000);
	}
	printf("driver_refuse: %" PRIu64 " refusal stretches\n", it);
	if (fault_stop_and_check(&r) != 0)
		return SN_TEST_FAIL;
	for (uint16_t q = 0; q < 3; q++) {
		refused += knobs->q[q].refused;
		calls += knobs->q[q].calls;
	}
	printf("driver: %" PRIu64 " calls, %" PRIu64 " packets refused\n", calls, refused);
	SN_ASSERT(refused > 0, "the driver never refused anything: test too weak");
	sn_test_netdev_free(dev, r.lc[0].sd);
	return fault_finish(&r);
}

int
main(void)
{
	fault_init("fault_driver_refuse", NULL);
	SN_RUN(test_driver_refuse);
	return fault_exit();
}
