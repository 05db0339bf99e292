/* SPDX-License-Identifier: BSD-3-Clause */
/* Snapshots of every counter, and the once-a-period progress line. */

#include <inttypes.h>
#include <signal.h>
#include <string.h>

#include <rte_cycles.h>

#include "stats.h"

static volatile sig_atomic_t app_signalled;

void
app_monitor_signal(void)
{
	app_signalled = 1;
	app_gen_stop();
}

void
app_qdisc_add(struct sn_qdisc_stats *dst, const struct sn_qdisc_stats *s)
{
	dst->bstats.bytes += s->bstats.bytes;
	dst->bstats.packets += s->bstats.packets;
	dst->qstats.qlen += s->qstats.qlen;
	dst->qstats.backlog += s->qstats.backlog;
	dst->qstats.drops += s->qstats.drops;
	dst->qstats.requeues += s->qstats.requeues;
	dst->qstats.overlimits += s->qstats.overlimits;
}

void
app_snapshot_take(const struct app *app, struct app_snapshot *s)
{
	uint16_t nb_txq = app->opts.txqs;

	memset(s, 0, sizeof(*s));
	s->tsc = rte_get_timer_cycles();
	sn_softnet_stats_sum(&s->sn);
	for (uint16_t q = 0; q < nb_txq; q++) {
		struct sn_qdisc_info info;

		memset(&info, 0, sizeof(info));
		/* -ENETDOWN still fills the counters in; other errors leave zeros. */
		if (sn_qdisc_info(app->dev, q, &info) != 0 && info.kind[0] == '\0')
			continue;
		app_qdisc_add(&s->qdisc, &info.stats);
		app_qdisc_add(&s->qdisc, &info.retired);
	}
	s->queued = s->qdisc.qstats.qlen;
	s->eth_ok = rte_eth_stats_get(app->port, &s->eth) == 0;
	/*
	 * Generators last: they publish after softnet counted, so reading them
	 * after softnet keeps a mid-run line from showing more sent than handed.
	 */
	for (unsigned int i = 0; i < app->nb_gens; i++) {
		const struct app_gen *g = &app->gens[i];

		s->handed += __atomic_load_n(&g->handed, __ATOMIC_RELAXED);
		s->accepted += __atomic_load_n(&g->accepted, __ATOMIC_RELAXED);
		s->alloc_fail += __atomic_load_n(&g->alloc_fail, __ATOMIC_RELAXED);
	}
}

double
app_gen_seconds(const struct app *app)
{
	uint64_t first = UINT64_MAX, last = 0;

	for (unsigned int i = 0; i < app->nb_gens; i++) {
		const struct app_gen *g = &app->gens[i];

		if (g->start_tsc == 0)
			continue;
		first = RTE_MIN(first, g->start_tsc);
		last = RTE_MAX(last, g->end_tsc);
	}
	if (last <= first)
		return 0;
	return (double)(last - first) / (double)app->hz;
}

void
app_monitor_init(struct app_monitor *m, struct app *app)
{
	memset(m, 0, sizeof(*m));
	m->app = app;
	m->start_tsc = rte_get_timer_cycles();
	if (app->opts.duration > 0)
		m->end_tsc = m->start_tsc + (uint64_t)(app->opts.duration * (double)app->hz);
	if (!app->opts.quiet && app->opts.stats_period > 0) {
		m->period = (uint64_t)(app->opts.stats_period * (double)app->hz);
		if (m->period == 0)
			m->period = 1;
		m->next_line = m->start_tsc + m->period;
	}
	app_snapshot_take(app, &m->prev);
	m->prev.tsc = m->start_tsc;
}

static void
app_monitor_line(struct app_monitor *m, const struct app_snapshot *cur)
{
	const struct app *app = m->app;
	const struct app_snapshot *prev = &m->prev;
	double dt = (double)(cur->tsc - prev->tsc) / (double)app->hz;
	double pps = dt > 0 ? (double)(cur->sn.sent - prev->sn.sent) / dt : 0;

	printf("%7.2fs  tx %7.2f Mpps %7.2f Gbps | handed %" PRIu64 " sent %" PRIu64
	       " dropped %" PRIu64 " queued %" PRIu64 " | qdisc sent %" PRIu64 " drops %" PRIu64
	       " requeues %" PRIu64 " backlog %" PRIu64 "B | squeeze %" PRIu64
	       " collision %" PRIu64 " busylock %" PRIu64 " requeued %" PRIu64 "\n",
	       (double)(cur->tsc - m->start_tsc) / (double)app->hz, pps / 1e6,
	       pps * app->frame.len * 8 / 1e9, cur->handed, cur->sn.sent, cur->sn.dropped,
	       cur->queued, cur->qdisc.bstats.packets, cur->qdisc.qstats.drops,
	       cur->qdisc.qstats.requeues, cur->qdisc.qstats.backlog, cur->sn.time_squeeze,
	       cur->sn.cpu_collision, cur->sn.busylock, cur->sn.requeued);
	fflush(stdout);
}

static bool
app_all_done(const struct app *app)
{
	for (unsigned int i = 0; i < app->nb_gens; i++)
		if (!__atomic_load_n(&app->gens[i].done, __ATOMIC_ACQUIRE))
			return false;
	return true;
}

bool
app_monitor_tick(void *arg)
{
	struct app_monitor *m = arg;
	struct app *app = m->app;
	uint64_t now = rte_get_timer_cycles();

	if (m->period != 0 && now >= m->next_line) {
		struct app_snapshot cur;

		app_snapshot_take(app, &cur);
		app_monitor_line(m, &cur);
		m->prev = cur;
		/* Skip lines a slow tick missed rather than print a burst of them. */
		while (m->next_line <= now)
			m->next_line += m->period;
	}
	if (app_signalled) {
		app->stop_reason = APP_STOP_SIGNAL;
		return true;
	}
	if (m->end_tsc != 0 && now >= m->end_tsc) {
		app->stop_reason = APP_STOP_DURATION;
		return true;
	}
	if (!app->main_generates && app_all_done(app)) {
		app->stop_reason = APP_STOP_COUNT;
		for (unsigned int i = 0; i < app->nb_gens; i++)
			if (app->gens[i].rc != 0)
				app->stop_reason = APP_STOP_ERROR;
		return true;
	}
	return false;
}
