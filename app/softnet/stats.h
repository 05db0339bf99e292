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
	bool model;          /**< the port is a line-rate model: the two below */
	uint64_t model_left; /**< frames that left its wire */
	uint64_t model_ring; /**< frames still in its rings */
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

/**
 * `clear port stats` zeroed @p port's counters: remember softnet's sent
 * count then, so that the summary compares the port's opackets with what
 * softnet sent since (not with every packet of the session).
 */
void app_port_stats_cleared(uint16_t port);

/** softnet's sent count when @p port's counters were last cleared (0: never). */
uint64_t app_port_sent_base(uint16_t port);

/** The generators' counters (`show gen`, /softnet/gen). */
struct app_gen_counters {
	bool running;
	unsigned int lcores;  /**< generator lcores of the running run, 0 when idle */
	unsigned int lcores_next; /**< lcores `start` would use now (`set lcores`, free workers) */
	uint64_t runs;
	uint64_t handed;      /**< packets given to softnet, all runs */
	uint64_t accepted;    /**< of those, sent or queued at once */
	uint64_t alloc_fail;  /**< empty-pool bursts */
	uint64_t run_handed;  /**< the running run's */
	double run_pps;       /**< the running run's rate since its start (0 when idle) */
	uint64_t asked_pps;   /**< its asked rate, 0 = max */
};

/** Read the generators' counters (any thread; cmd_gen.c). */
void app_gen_counters(const struct app *app, struct app_gen_counters *c);

/**
 * The mean frame length of the generator's last settings: the IMIX
 * weights' mean, or the one size (summary, progress lines; cmd_gen.c).
 */
double app_gen_mean_size(const struct app *app);

#endif /* APP_STATS_H */
