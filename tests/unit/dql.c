/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Dynamic queue limits (sn_dql.h), the algorithm alone, step by step:
 * - the limit starts at min_limit and the queue is over it once more bytes
 *   than that are queued;
 * - starvation (a completion that finds everything done while the queue had
 *   gone over the limit) grows the limit by what completed beyond the
 *   previous snapshot plus how far over the limit it had gone;
 * - bounds: never above max_limit nor below min_limit;
 * - slack that persists for a hold time is given back, and not before;
 * - completions beyond what is in flight are ignored;
 * - the 32-bit counters wrap without harm.
 */

#include <rte_cycles.h>

#include "sn_dql.h"
#include "sn_test.h"

static int
test_init_errors(void)
{
	struct sn_dql d;

	SN_ASSERT_EQ(sn_dql_init(NULL, 0, 100, 0), -EINVAL);
	SN_ASSERT_EQ(sn_dql_init(&d, 200, 100, 0), -EINVAL);
	SN_ASSERT_EQ(sn_dql_init(&d, 0, UINT32_MAX, 0), 0);
	SN_ASSERT_EQ(d.max_limit, SN_DQL_MAX_LIMIT);
	SN_ASSERT_EQ(d.limit, 0);
	SN_ASSERT_EQ(sn_dql_avail(&d), 0);
	SN_ASSERT_EQ(sn_dql_init(&d, 3000, 10000, 0), 0);
	SN_ASSERT_EQ(d.limit, 3000);
	SN_ASSERT_EQ(sn_dql_avail(&d), 3000);
	return 0;
}

static int
test_starvation_grows(void)
{
	struct sn_dql d;

	SN_ASSERT_EQ(sn_dql_init(&d, 0, SN_DQL_MAX_LIMIT, 0), 0);
	sn_dql_queued(&d, 1500);
	SN_ASSERT(sn_dql_avail(&d) < 0, "not over a limit of 0");
	SN_ASSERT_EQ(sn_dql_inflight(&d), 1500);
	/* All done while over the limit: grow by what completed beyond the snapshot (0). */
	sn_dql_completed(&d, 1500);
	SN_ASSERT_EQ(d.limit, 1500);
	SN_ASSERT_EQ(sn_dql_inflight(&d), 0);
	SN_ASSERT_EQ(sn_dql_avail(&d), 1500);

	sn_dql_queued(&d, 1500);
	SN_ASSERT_EQ(sn_dql_avail(&d), 0);
	sn_dql_queued(&d, 1500);
	SN_ASSERT_EQ(sn_dql_avail(&d), -1500);
	/* Starved again: + (4500 - 1500) completed beyond the last snapshot. */
	sn_dql_completed(&d, 3000);
	SN_ASSERT_EQ(d.limit, 4500);
	SN_ASSERT_EQ(sn_dql_avail(&d), 4500);
	return 0;
}

static int
test_bounds(void)
{
	struct sn_dql d;

	SN_ASSERT_EQ(sn_dql_init(&d, 0, 2000, 0), 0);
	sn_dql_queued(&d, 9000);
	sn_dql_completed(&d, 9000);
	SN_ASSERT_EQ(d.limit, 2000);
	SN_ASSERT_EQ(sn_dql_init(&d, 1000, 2000, 0), 0);
	SN_ASSERT_EQ(d.limit, 1000);
	/* Completions beyond what is in flight are ignored. */
	sn_dql_queued(&d, 500);
	sn_dql_completed(&d, 5000);
	SN_ASSERT_EQ(sn_dql_inflight(&d), 0);
	SN_ASSERT(d.limit >= 1000 && d.limit <= 2000, "limit %u out of bounds", d.limit);
	return 0;
}

/*
 * Slack: limit 100000 with 15000 in flight and 1500 completed at a time;
 * each completion sees 97000 bytes never needed. Nothing is given back
 * within the hold time (200 ms); once it has passed, the smallest slack of
 * the interval goes: the limit becomes 3000.
 */
static int
test_slack_shrinks_after_hold(void)
{
	struct sn_dql d;

	SN_ASSERT_EQ(sn_dql_init(&d, 0, SN_DQL_MAX_LIMIT, 200000), 0);
	sn_dql_queued(&d, 100000);
	sn_dql_completed(&d, 100000);
	SN_ASSERT_EQ(d.limit, 100000);
	for (int i = 0; i < 10; i++)
		sn_dql_queued(&d, 1500);
	for (int i = 0; i < 20; i++) {
		sn_dql_queued(&d, 1500);
		sn_dql_completed(&d, 1500);
	}
	SN_ASSERT_EQ(d.limit, 100000);
	SN_ASSERT_EQ(d.lowest_slack, 97000);
	rte_delay_us_block(250000);
	sn_dql_queued(&d, 1500);
	sn_dql_completed(&d, 1500);
	SN_ASSERT_EQ(d.limit, 3000);
	SN_ASSERT_EQ(sn_dql_inflight(&d), 15000);
	return 0;
}

/* 3 million 1500-byte round trips: 4.5 GB, past 2^32. */
static int
test_wrap(void)
{
	struct sn_dql d;

	SN_ASSERT_EQ(sn_dql_init(&d, 0, SN_DQL_MAX_LIMIT, 0), 0);
	for (int i = 0; i < 3000000; i++) {
		sn_dql_queued(&d, 1500);
		sn_dql_queued(&d, 1500);
		sn_dql_completed(&d, 3000);
	}
	SN_ASSERT(d.num_queued < 3000000ull * 3000, "did not wrap");
	SN_ASSERT_EQ(sn_dql_inflight(&d), 0);
	SN_ASSERT(d.limit >= 1500 && d.limit <= 6000, "limit %u after the wrap", d.limit);
	SN_ASSERT_EQ(sn_dql_avail(&d), (int32_t)d.limit);
	return 0;
}

int
main(void)
{
	sn_test_init("dql", "0", NULL);
	SN_RUN(test_init_errors);
	SN_RUN(test_starvation_grows);
	SN_RUN(test_bounds);
	SN_RUN(test_slack_shrinks_after_hold);
	SN_RUN(test_wrap);
	sn_test_fini();
	return SN_TEST_PASS;
}
