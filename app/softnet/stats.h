/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef APP_STATS_H
#define APP_STATS_H

/*
 * Counter snapshots (generators, softnet, qdiscs, port; taken by the
 * session, cli.c) and the progress line printed once per --stats-period.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_ethdev.h>

#include <sn_qdisc.h>
#include <sn_softnet.h>

#include "app.h"

struct app_snapshot {
	uint64_t tsc;
	uint64_t handed;     /**< generators: packets given to softnet */
	uint64_t accepted;   /**< generators: sent or queued at once */
	uint64_t alloc_fail; /**< generators: empty-pool bursts */
	struct sn_softnet_stats sn;  /**< softnet, all lcores */
	struct sn_qdisc_stats qdisc; /**< root qdiscs of every txq, current + retired */
	uint64_t queued;     /**< packets in the qdiscs now */
	struct rte_eth_stats eth;    /**< the port */
	bool eth_ok;         /**< rte_eth_stats_get() worked */
};

/** @return the sum of @p st's per-reason drop counters (drops[]). */
uint64_t app_drops_sum(const struct sn_softnet_stats *st);

/**
 * Write the nonzero drop reasons of @p st as "oversize 10, qdisc 2"
 * (sn_drop_reason_name(), in enum order) into @p buf; "" when none.
 * @return @p buf.
 */
char *app_drops_format(const struct sn_softnet_stats *st, char *buf, size_t len);

/** Write every drop reason of @p st as a JSON object {"qdisc": 0, ...} to @p f. */
void app_drops_json(FILE *f, const struct sn_softnet_stats *st);

/** Add qdisc counters @p s into @p dst (e.g. current and retired of each txq). */
void app_qdisc_add(struct sn_qdisc_stats *dst, const struct sn_qdisc_stats *s);

/**
 * Print one progress line: rates between @p prev and @p cur, totals of
 * @p cur, time since @p start_tsc.
 */
void app_progress_line(const struct app *app, const struct app_snapshot *prev,
		       const struct app_snapshot *cur, uint64_t start_tsc);

#endif /* APP_STATS_H */
