/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Dynamic queue limits (the kernel's lib/dynamic_queue_limits.c semantics:
 * dql_init, dql_reset, dql_completed), re-implemented. sn_dql.h says what
 * the limit does; this file says how. All byte counts are free-running
 * 32-bit counters, so every difference is taken modulo 2^32.
 */

#include <errno.h>
#include <string.h>

#include <rte_cycles.h>

#include "sn_dql.h"

/* a - b when positive, else 0, on wrapping counters. */
static inline uint32_t
sn_dql_posdiff(uint32_t a, uint32_t b)
{
	int32_t d = (int32_t)(a - b);

	return d > 0 ? (uint32_t)d : 0;
}

/* Has counter @a reached counter @b (wrap-safe)? */
static inline bool
sn_dql_reached(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) >= 0;
}

static void
sn_dql_slack_restart(struct sn_dql *dql, uint64_t now)
{
	dql->lowest_slack = UINT32_MAX;
	dql->slack_start_tsc = now;
}

void
sn_dql_completed(struct sn_dql *dql, uint32_t bytes)
{
	const uint32_t queued = dql->num_queued;
	const uint32_t inflight = queued - dql->num_completed;
	uint32_t done, over, limit, still, prev_still;
	uint64_t now = rte_rdtsc();
	bool prev_all_done;

	if (bytes > inflight)
		bytes = inflight;
	done = dql->num_completed + bytes;
	limit = dql->limit;
	/* How far past the limit the queue went before this completion. */
	over = sn_dql_posdiff(inflight, limit);
	/* Bytes still with the device after it. */
	still = queued - done;
	/* Of what was queued at the previous completion, what was still out before this one. */
	prev_still = dql->prev_num_queued - dql->num_completed;
	/* Is all of that done now? */
	prev_all_done = sn_dql_reached(done, dql->prev_num_queued);

	if ((over != 0 && still == 0) || (dql->prev_ovlimit != 0 && prev_all_done)) {
		/*
		 * Starved: the queue had been held at the limit and the device
		 * has finished everything it had (or everything it had at the
		 * previous completion, when that one found the queue over the
		 * limit). It may have idled: grow by what it finished beyond
		 * that, and by how far over the limit the queue had to go.
		 */
		limit += sn_dql_posdiff(done, dql->prev_num_queued) + dql->prev_ovlimit;
		sn_dql_slack_restart(dql, now);
	} else if (still != 0 && prev_still != 0 && !prev_all_done) {
		/*
		 * Busy throughout: bytes were in flight before and after, and
		 * the device has not caught up with the previous snapshot. The
		 * slack is what the limit holds beyond twice this completion's
		 * bytes (one completion's worth in flight while the next is
		 * queued); when the queue was over the limit, the last object
		 * queued beyond it also counts as slack. Keep the smallest
		 * slack of the hold interval and give it back once the interval
		 * is over, so the limit only shrinks when slack persists.
		 */
		uint32_t slack = sn_dql_posdiff(limit + dql->prev_ovlimit, 2 * bytes);
		uint32_t slack_last = dql->prev_ovlimit != 0 ?
			sn_dql_posdiff(dql->prev_last_obj_cnt, dql->prev_ovlimit) : 0;

		slack = RTE_MAX(slack, slack_last);
		if (slack < dql->lowest_slack)
			dql->lowest_slack = slack;
		if (now - dql->slack_start_tsc > dql->hold_cycles) {
			limit = sn_dql_posdiff(limit, dql->lowest_slack);
			sn_dql_slack_restart(dql, now);
		}
	}

	if (limit < dql->min_limit)
		limit = dql->min_limit;
	if (limit > dql->max_limit)
		limit = dql->max_limit;
	if (limit != dql->limit) {
		dql->limit = limit;
		/* A new limit: the over-limit measure of the old one means nothing. */
		over = 0;
	}
	dql->prev_ovlimit = over;
	dql->prev_last_obj_cnt = dql->last_obj_cnt;
	dql->prev_num_queued = queued;
	__atomic_store_n(&dql->num_completed, done, __ATOMIC_RELAXED);
	__atomic_store_n(&dql->adj_limit, limit + done, __ATOMIC_RELEASE);
}

void
sn_dql_reset(struct sn_dql *dql)
{
	dql->num_queued = 0;
	dql->last_obj_cnt = 0;
	dql->limit = dql->min_limit;
	dql->num_completed = 0;
	dql->adj_limit = dql->min_limit;
	dql->prev_ovlimit = 0;
	dql->prev_num_queued = 0;
	dql->prev_last_obj_cnt = 0;
	sn_dql_slack_restart(dql, rte_rdtsc());
}

int
sn_dql_init(struct sn_dql *dql, uint32_t min_limit, uint32_t max_limit, uint32_t hold_us)
{
	if (dql == NULL)
		return -EINVAL;
	max_limit = RTE_MIN(max_limit, (uint32_t)SN_DQL_MAX_LIMIT);
	if (min_limit > max_limit)
		return -EINVAL;
	memset(dql, 0, sizeof(*dql));
	dql->min_limit = min_limit;
	dql->max_limit = max_limit;
	if (hold_us == 0)
		hold_us = SN_DQL_HOLD_US_DEFAULT;
	dql->hold_cycles = rte_get_tsc_hz() * hold_us / 1000000u;
	sn_dql_reset(dql);
	return 0;
}
