/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef APP_STATS_H
#define APP_STATS_H

/*
 * Counter snapshots (generators, softnet, qdiscs, port) and the progress
 * monitor that prints one line per --stats-period and decides when to stop.
 */

#include <stdbool.h>
#include <stdint.h>

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

/** Read every counter. Cheap enough for once a second, not per burst. */
void app_snapshot_take(const struct app *app, struct app_snapshot *s);

/** Add qdisc counters @p s into @p dst (e.g. current and retired of each txq). */
void app_qdisc_add(struct sn_qdisc_stats *dst, const struct sn_qdisc_stats *s);

/** The progress monitor's state. */
struct app_monitor {
	struct app *app;
	uint64_t start_tsc;
	uint64_t end_tsc;      /**< duration limit, 0 for none */
	uint64_t period;       /**< cycles between lines, 0 for none */
	uint64_t next_line;
	struct app_snapshot prev;
};

void app_monitor_init(struct app_monitor *m, struct app *app);

/**
 * Check the stop conditions (signal, duration, all generators done) and
 * print a progress line when one is due. Called every ~10 ms.
 *
 * @param arg a struct app_monitor.
 * @return true when generation must stop (app->stop_reason says why).
 */
bool app_monitor_tick(void *arg);

/** Request a stop from a signal handler (records the reason). */
void app_monitor_signal(void);

/** @return the seconds generators were sending (first burst to last). */
double app_gen_seconds(const struct app *app);

#endif /* APP_STATS_H */
