/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fault: mempool exhaustion, on the application's side and in the driver.
 *
 * The application's pool is tiny (384 mbufs for two lcores sending bursts
 * of up to 32 into three queues), and the driver holds what it accepted
 * (up to 96 per queue) until its "transmit completion" frees it, so the
 * application's allocations fail (counted; the lcore polls and tries again).
 * The driver itself needs one mbuf of its own tiny pool (160 mbufs) per
 * packet, a descriptor of sorts, held with the packet; when that pool is dry
 * it accepts only part of the burst (a partial transmit: requeue, stop,
 * retry). Completions run on both lcores after each traffic step; the main
 * lcore pauses them for 1-10 ms stretches, so both pools run dry for long
 * stretches, then resume. Checks: the usual accounting; both kinds of
 * allocation failure happened; nothing queued after the clean stop; both
 * pools back to their baselines once the device is freed; validator,
 * deadline.
 */

#include <inttypes.h>

#include "fault.h"

#define MIN_ITERS 60
#define APP_POOL 384
#define DRV_POOL 160
#define HOLD 96

static struct sn_test_fault *knobs;
static volatile int paused;

static void
complete(struct fault_run *r, struct fault_lcore *l)
{
	bool stopping = __atomic_load_n(&r->stop, __ATOMIC_ACQUIRE);

	/* During the clean stop the lcores take no more steps: complete always. */
	if (!stopping && (__atomic_load_n(&paused, __ATOMIC_RELAXED) || (l->steps & 3) != 0))
		return;
	for (uint16_t q = 0; q < 3; q++)
		sn_test_fault_complete(r->dev, q, 8 + (unsigned int)(l->steps % 24));
}

static void
undo(struct fault_run *r, struct fault_lcore *l)
{
	RTE_SET_USED(l);
	__atomic_store_n(&paused, 0, __ATOMIC_RELAXED);
	/* The driver holds nothing from now on; what it holds is completed. */
	knobs->hold = 0;
	for (uint16_t q = 0; q < 3; q++)
		sn_test_fault_complete(r->dev, q, UINT32_MAX);
}

static int
test_mempool_exhaust(void)
{
	static struct fault_run r = { .name = "mempool_exhaust", .step_hook = complete,
				      .undo = undo };
	struct rte_mempool *mp = fault_pool("fault_app_tiny", APP_POOL);
	struct rte_mempool *drv = fault_pool("fault_drv_tiny", DRV_POOL);
	uint64_t it, drv_fail = 0, hold_full = 0, completed = 0, app_fail;
	struct sn_netdev *dev;

	SN_ASSERT(mp != NULL && drv != NULL, "pools");
	dev = sn_test_netdev_create("exhaust", 3);
	SN_ASSERT(dev != NULL, "create");
	knobs = sn_test_netdev_fault(dev);
	SN_ASSERT(knobs != NULL, "fault knobs");
	knobs->hold = HOLD;
	knobs->drv_pool = drv;
	SN_ASSERT_EQ(fault_start(&r, dev, mp), 0);

	for (it = 0; fault_more(&r, it, MIN_ITERS); it++) {
		__atomic_store_n(&paused, 1, __ATOMIC_RELAXED);
		fault_pump_us(&r, 1000 + (it * 7919) % 9000);
		__atomic_store_n(&paused, 0, __ATOMIC_RELAXED);
		fault_pump_us(&r, 1000 + (it * 104729) % 4000);
	}
	printf("mempool_exhaust: %" PRIu64 " exhaustion stretches\n", it);
	if (fault_stop_and_check(&r) != 0)
		return SN_TEST_FAIL;
	for (uint16_t q = 0; q < 3; q++) {
		drv_fail += knobs->q[q].alloc_fail;
		hold_full += knobs->q[q].hold_full;
		completed += knobs->q[q].completed;
	}
	app_fail = r.lc[0].alloc_fail + r.lc[1].alloc_fail;
	printf("app allocations failed %" PRIu64 ", driver allocations failed %" PRIu64
	       ", driver hold full %" PRIu64 ", completed %" PRIu64 "\n", app_fail, drv_fail,
	       hold_full, completed);
	SN_ASSERT(app_fail > 0, "the application's pool never ran dry: test too weak");
	SN_ASSERT(drv_fail > 0, "the driver's pool never ran dry: test too weak");
	sn_test_netdev_free(dev, r.lc[0].sd);
	if (fault_finish(&r) != 0)
		return SN_TEST_FAIL;
	if (sn_test_pool_check(drv, 0) != 0)
		return SN_TEST_FAIL;
	rte_mempool_free(drv);
	return 0;
}

int
main(void)
{
	fault_init("fault_mempool_exhaust", NULL);
	SN_RUN(test_mempool_exhaust);
	return fault_exit();
}
