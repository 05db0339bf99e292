/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Commands: start, stop, wait. `start` turns the settings (`set`) into a
 * generator per worker lcore (gen.c) and launches them; a run ends by
 * count, duration, `stop` or a signal, and then prints its line and the
 * session's accounting.
 */

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"

#ifndef APP_CMD_PARSE_ONLY
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include <sn_linerate.h>
#include <sn_netdev.h>

#include "cli.h"
#include "replay.h"
#include "rx.h"

/* On-wire bytes a frame costs beyond its length: FCS 4, preamble 8, gap 12. */
#define APP_WIRE_OVERHEAD 24
#endif

#define APP_SECONDS_MAX (366.0 * 24 * 3600)

static int
app_startstop_parse(struct app_cmd_ctx *c, struct app_cmd *cmd)
{
	(void)cmd;
	return app_cmd_end(c, NULL);
}

static int
app_wait_parse(struct app_cmd_ctx *c, struct app_cmd *cmd)
{
	if (app_cmd_peek(c) != NULL &&
	    app_cmd_seconds(c, "timeout", 0, APP_SECONDS_MAX, &cmd->seconds) != 0)
		return -EINVAL;
	return app_cmd_end(c, NULL);
}

#ifndef APP_CMD_PARSE_ONLY
static uint64_t
app_avg_size_x1000(const struct app_size_spec *sz)
{
	uint64_t sum = 0, w = 0;

	for (uint32_t i = 0; i < sz->n; i++) {
		sum += (uint64_t)sz->size[i] * sz->weight[i];
		w += sz->weight[i];
	}
	return w ? sum * 1000 / w : 0;
}

/*
 * The asked rate in packets per second (rounded), or 0 for "max"; @p avg is
 * the mean frame length (the sizes', or the replayed file's).
 */
static int
app_rate_pps(struct app *app, double avg, uint64_t *pps, struct app_err *e)
{
	const struct app_rate *r = &app->spec.rate;
	double v = 0;
	struct rte_eth_link link;

	switch (r->unit) {
	case APP_RATE_MAX:
		*pps = 0;
		return 0;
	case APP_RATE_PPS:
		v = r->value;
		break;
	case APP_RATE_BPS:
		v = r->value / (avg * 8);
		break;
	case APP_RATE_PERCENT:
		memset(&link, 0, sizeof(link));
		rte_eth_link_get_nowait(app->spec.port, &link);
		if (link.link_speed == 0 || link.link_speed == RTE_ETH_SPEED_NUM_UNKNOWN)
			return app_fail(e, -EINVAL, "start: port %u reports no link speed: give the "
					"rate in pps or bps", app->spec.port);
		v = (double)link.link_speed * 1e6 * r->value / 100.0 / ((avg + APP_WIRE_OVERHEAD) * 8);
		break;
	}
	*pps = (uint64_t)llround(v);
	if (*pps == 0)
		return app_fail(e, -EINVAL, "start: the rate is under 1 packet per second");
	return 0;
}

/*
 * The IMIX sequence: each size as often as its weight, spread out by smooth
 * weighted round robin so that any stretch of packets is close to the mix.
 */
static uint16_t *
app_sizes_build(const struct app_size_spec *sz, uint32_t *len)
{
	int64_t cur[APP_IMIX_MAX] = { 0 };
	uint32_t total = 0;
	uint16_t *t;

	for (uint32_t i = 0; i < sz->n; i++)
		total += sz->weight[i];
	t = rte_malloc("softnet_imix", sizeof(*t) * total, 0);
	if (t == NULL)
		return NULL;
	for (uint32_t k = 0; k < total; k++) {
		uint32_t best = 0;

		for (uint32_t i = 0; i < sz->n; i++) {
			cur[i] += sz->weight[i];
			if (cur[i] > cur[best])
				best = i;
		}
		cur[best] -= total;
		t[k] = (uint16_t)sz->size[best];
	}
	*len = total;
	return t;
}

static void
app_put_mac48(struct rte_ether_addr *a, uint64_t v)
{
	for (int i = 5; i >= 0; i--) {
		a->addr_bytes[i] = (uint8_t)v;
		v >>= 8;
	}
}

/* ---- progress: one line per stats-period while a run goes ---- */

static struct {
	uint64_t start;  /* TSC of the start */
	double secs;     /* the stats-period in force */
	uint64_t period; /* cycles between lines; 0: none */
	uint64_t next;
	struct app_snapshot prev;
} app_prog;

/* (Re)arm the lines at the stats-period now in force (`set stats-period` mid-run too). */
static void
app_progress_period(struct app *app)
{
	uint64_t now = rte_get_timer_cycles();

	app_prog.secs = app->opts.stats_period;
	app_prog.period = 0;
	if (app->opts.stats_period > 0 && !app->opts.quiet && !app->json_out) {
		app_prog.period = RTE_MAX((uint64_t)(app->opts.stats_period * (double)app->hz), 1u);
		app_prog.next = now + app_prog.period;
		app_cli_snapshot(app, &app_prog.prev);
		app_prog.prev.tsc = now;
	}
}

static void
app_progress_start(struct app *app)
{
	memset(&app_prog, 0, sizeof(app_prog));
	app_prog.start = rte_get_timer_cycles();
	app_progress_period(app);
}

/*
 * Called by the idle work (app_cli_poll()) in both modes; under the prompt
 * what it prints is caught and printed above the line being typed
 * (prompt.c), so a progress line never breaks the input.
 */
void
app_gen_progress(struct app *app)
{
	struct app_snapshot cur;
	uint64_t now;

	if (!app->running)
		return;
	if (app->opts.stats_period != app_prog.secs)
		app_progress_period(app);
	if (app_prog.period == 0)
		return;
	now = rte_get_timer_cycles();
	if (now < app_prog.next)
		return;
	app_cli_snapshot(app, &cur);
	app_progress_line(app, &app_prog.prev, &cur, app_prog.start);
	app_prog.prev = cur;
	/* Skip lines a slow tick missed rather than print a burst of them. */
	while (app_prog.next <= now)
		app_prog.next += app_prog.period;
}

/* Worker lcores a run may use: all but the receive lcore; none: the main lcore (1). */
static unsigned int
app_gen_lcores_free(void)
{
	unsigned int workers = rte_lcore_count() - 1;

	if (app_rx_lcore() != RTE_MAX_LCORE && workers > 0)
		workers--;
	return RTE_MAX(workers, 1u);
}

double
app_gen_mean_size(const struct app *app)
{
	if (app->gconf.replay.pkts != NULL && app->gconf.replay.avg_len > 0)
		return app->gconf.replay.avg_len;
	return (double)app_avg_size_x1000(&app->spec.size) / 1000.0;
}

/*
 * The generators' counters now (all runs, the running one included) and
 * the running one's rate over its generation so far; for `show gen` and
 * /softnet/gen (any thread: relaxed loads).
 */
void
app_gen_counters(const struct app *app, struct app_gen_counters *c)
{
	uint64_t first = UINT64_MAX, now = rte_get_timer_cycles(), run = 0;

	memset(c, 0, sizeof(*c));
	c->handed = app->base_handed;
	c->accepted = app->base_accepted;
	c->alloc_fail = app->base_alloc_fail;
	c->runs = app->runs;
	c->running = app->running;
	c->lcores = app->running ? app->nb_gens : 0;
	for (unsigned int i = 0; app->running && app->gens != NULL && i < app->nb_gens; i++) {
		const struct app_gen *g = &app->gens[i];
		uint64_t h = __atomic_load_n(&g->handed, __ATOMIC_RELAXED);
		uint64_t st = __atomic_load_n(&g->start_tsc, __ATOMIC_RELAXED);

		run += h;
		c->accepted += __atomic_load_n(&g->accepted, __ATOMIC_RELAXED);
		c->alloc_fail += __atomic_load_n(&g->alloc_fail, __ATOMIC_RELAXED);
		if (st != 0)
			first = RTE_MIN(first, st);
	}
	c->handed += run;
	c->run_handed = run;
	if (c->running && first != UINT64_MAX && now > first)
		c->run_pps = (double)run / ((double)(now - first) / (double)rte_get_timer_hz());
	c->asked_pps = app->running ? app->run_rate_pps : 0;
	c->lcores_next = app_gen_lcores_free();
	if (app->spec.lcores != 0)
		c->lcores_next = app->spec.lcores;
}

enum app_stop_reason
app_gen_reason(const struct app *app)
{
	uint64_t handed = 0, target = app->gconf.replay.pkts != NULL ? app->gconf.replay_total :
				      app->spec.count;

	if (app_cli_quitting(app))
		return APP_STOP_SIGNAL;
	for (unsigned int i = 0; i < app->nb_gens; i++) {
		if (app->gens[i].rc != 0)
			return APP_STOP_ERROR;
		handed += app->gens[i].handed;
	}
	return target != 0 && handed >= target ? APP_STOP_COUNT : APP_STOP_DURATION;
}

/* The main lcore generating: its tick does the idle work; true stops it. */
static bool
app_main_gen_tick(void *arg)
{
	struct app *app = arg;

	app_cli_poll(app);
	return app_cli_quitting(app);
}

/*
 * Frame sizes against the port: the generator's frames are untagged, so the
 * largest is the softnet device's MTU plus an Ethernet header (1514 for
 * 1500), as the library judges them (SN_NETDEV_ETH_HLEN; a longer frame
 * would be dropped there as "oversize"), and no more than an mbuf holds.
 * `set size`, the option mode's --size (made `set size`) and `start` all
 * refuse with this one line, so both modes behave the same.
 */
int
app_size_check(struct app *app, uint16_t port, const struct app_size_spec *sz, const char *cmd,
	       struct app_err *e)
{
	struct app_port *p = NULL;
	uint32_t mtu = RTE_ETHER_MTU, maxsize = 0, room = UINT32_MAX, max;
	uint16_t mtu16 = RTE_ETHER_MTU;

	if (port < APP_MAX_PORTS && app->ports[port].valid)
		p = &app->ports[port];
	if (p != NULL && p->dev != NULL)
		mtu = sn_netdev_mtu(p->dev);
	else if (rte_eth_dev_get_mtu(port, &mtu16) == 0)
		mtu = mtu16;
	if (app->pool != NULL)
		room = rte_pktmbuf_data_room_size(app->pool) - RTE_PKTMBUF_HEADROOM;
	for (uint32_t k = 0; k < sz->n; k++)
		maxsize = RTE_MAX(maxsize, sz->size[k]);
	max = RTE_MIN(mtu + SN_NETDEV_ETH_HLEN, room);
	if (maxsize > max)
		return app_fail(e, -EINVAL, "%s: size %u is out of range %u..%u (port %u MTU %u + %u; "
				"the frames are untagged)", cmd, maxsize, APP_SIZE_MIN, max, port,
				mtu, SN_NETDEV_ETH_HLEN);
	return 0;
}

static int
app_cli_start(struct app *app, struct app_err *e)
{
	struct app_gen_spec *g = &app->spec;
	unsigned int workers = rte_lcore_count() - 1, n, lcore, i = 0, rx_lcore = app_rx_lcore();
	struct app_opts tmp = app->opts;
	struct app_replay_run replay = { .pkts = NULL };
	struct app_port *p;
	uint64_t pps = 0;
	double avg;
	int rc;

	if (app->running)
		return app_fail(e, -EBUSY, "start: the generator is already running (stop first)");
	rc = app_port_get(app, g->port, true, "start", e, &p);
	if (rc != 0)
		return rc;
	if (!p->started)
		return app_fail(e, -ENETDOWN, "start: port %u is stopped (port start %u)", g->port,
				g->port);
	/* The receive lcore (rx mode) is no generator. */
	if (rx_lcore != RTE_MAX_LCORE && workers > 0)
		workers--;
	/* No worker lcore: the main lcore generates, and start returns at the end. */
	n = g->lcores ? g->lcores : RTE_MAX(workers, 1u);
	if (n > RTE_MAX(workers, 1u))
		return app_fail(e, -EINVAL, "start: lcores %u is out of range 1..%u (%s)", n,
				RTE_MAX(workers, 1u), workers ? (rx_lcore != RTE_MAX_LCORE ?
				"EAL worker lcores but the receive lcore" : "EAL worker lcores") :
				"no EAL worker lcore free: the main lcore generates; add lcores with -l");
	if (app_replay_on()) {
		/* The file's frames that fit the port, as app_size_check() judges sizes. */
		uint32_t mtu = sn_netdev_mtu(p->dev), max;
		char why[96];

		max = RTE_MIN(mtu + SN_NETDEV_ETH_HLEN,
			      (uint32_t)(rte_pktmbuf_data_room_size(app->pool) - RTE_PKTMBUF_HEADROOM));
		snprintf(why, sizeof(why), "port %u MTU %u + %u, mbuf room %u", g->port, mtu,
			 SN_NETDEV_ETH_HLEN,
			 rte_pktmbuf_data_room_size(app->pool) - RTE_PKTMBUF_HEADROOM);
		rc = app_replay_prepare(max, why, &replay, app->opts.quiet ? NULL : stdout, e);
		if (rc != 0)
			return rc;
		avg = replay.avg_len;
	} else {
		rc = app_size_check(app, g->port, &g->size, "start", e);
		if (rc != 0)
			return rc;
		avg = (double)app_avg_size_x1000(&g->size) / 1000.0;
	}
	rc = app_rate_pps(app, avg, &pps, e);
	if (rc != 0)
		return rc;
	if (replay.pkts != NULL && replay.original)
		pps = 0; /* the file's timing paces the run, not the rate */
	if (pps != 0 && pps < n)
		return app_fail(e, -EINVAL, "start: rate %" PRIu64 " pps is under one packet per "
				"second per lcore (%u lcores)", pps, n);

	/* The template: every fixed field, and each ranged one's first value. */
	tmp.size = g->size.size[0];
	for (uint32_t k = 0; k < g->size.n; k++)
		tmp.size = RTE_MAX(tmp.size, g->size.size[k]);
	app_put_mac48(&tmp.src_mac, g->field[APP_GF_MAC_SRC].lo);
	app_put_mac48(&tmp.dst_mac, g->field[APP_GF_MAC_DST].lo);
	tmp.src_ip = rte_cpu_to_be_32((uint32_t)g->field[APP_GF_IP_SRC].lo);
	tmp.dst_ip = rte_cpu_to_be_32((uint32_t)g->field[APP_GF_IP_DST].lo);
	tmp.sport = (uint16_t)g->field[APP_GF_SPORT].lo;
	tmp.dport = (uint16_t)g->field[APP_GF_DPORT].lo;
	app_frame_free(&app->frame);
	if (app_frame_build(&app->frame, &tmp) != 0)
		return app_fail(e, -ENOMEM, "start: out of memory for the frame");
	rte_free(app->sizes);
	app->sizes = NULL;
	memset(&app->gconf, 0, sizeof(app->gconf));
	if (g->size.n > 1) {
		app->sizes = app_sizes_build(&g->size, &app->gconf.nb_sizes);
		if (app->sizes == NULL)
			return app_fail(e, -ENOMEM, "start: out of memory for the IMIX table");
	}
	/*
	 * The last run's generators were kept for its summary; the array stays
	 * (made at set-up, one per lcore), so that a telemetry query reading it
	 * on its own thread never reads freed memory.
	 */
	app->nb_gens = 0;
	memset(app->gens, 0, sizeof(*app->gens) * n);
	app->nb_gens = n;

	app->gconf.dev = p->dev;
	app->gconf.model = sn_is_linerate(p->dev) ? p->dev : NULL;
	app->gconf.pool = app->pool;
	app->gconf.frame = &app->frame;
	app->gconf.burst = g->burst;
	app->gconf.counted = g->count != 0;
	app->gconf.sizes = app->sizes;
	memcpy(app->gconf.field, g->field, sizeof(g->field));
	memcpy(app->gconf.prio, g->prio, sizeof(g->prio));
	app->gconf.nb_prio = g->nb_prio;
	app->gconf.single = g->xmit != APP_XMIT_BURST;
	app->gconf.plug = g->xmit == APP_XMIT_PLUG;
	/* One priority other than the pool's is written per packet too. */
	app->gconf.vary = g->size.n > 1 || g->nb_prio > 1 ||
			  (g->nb_prio == 1 && g->prio[0] != app->pool_prio);
	for (int f = 0; f < APP_GF_NB; f++)
		app->gconf.vary |= g->field[f].mode != APP_FIELD_FIXED;
	app->gconf.duration_cycles = (uint64_t)(g->duration * (double)app->hz);
	app->gconf.replay = replay;
	app->gconf.nb_gens = (uint16_t)n;
	if (replay.pkts != NULL) {
		/* Every loop's frames, capped by the count: the run's exact end. */
		uint64_t total = replay.loops ? replay.loops * replay.nb : 0;

		if (g->count != 0)
			total = total ? RTE_MIN(total, g->count) : g->count;
		app->gconf.replay_total = total;
	}
	app->port = g->port;
	app->dev = p->dev;
	app->run_rate_pps = pps;

	RTE_LCORE_FOREACH(lcore) {
		struct app_gen *gen;

		if (i == n)
			break;
		if ((workers != 0 && lcore == rte_get_main_lcore()) || lcore == rx_lcore)
			continue;
		gen = &app->gens[i];
		gen->conf = &app->gconf;
		gen->lcore = lcore;
		gen->index = (uint8_t)i;
		gen->txq = (uint16_t)(i % sn_netdev_nb_txq(p->dev));
		/* Exact shares: the first (total % n) generators take one more. */
		gen->quota = g->count / n + (i < g->count % n ? 1 : 0);
		gen->rate_pps = pps / n + (i < pps % n ? 1 : 0);
		i++;
	}
	app_rx_new_run(app);
	app_gen_rearm();
	app->stop_reason = APP_STOP_NONE;
	app->running = true;
	app->runs++;
	if (!app->json_out && !app->opts.quiet) {
		char rate[48];

		app_rate_format(&g->rate, rate, sizeof(rate));
		printf("generator: started %u lcore(s) on port %u", n, g->port);
		for (i = 0; i < n; i++)
			printf("%s%u->txq%u", i ? " " : " (", app->gens[i].lcore, app->gens[i].txq);
		printf("), rate %s", rate);
		if (pps != 0)
			printf(" = %" PRIu64 " pps", pps);
		if (g->count)
			printf(", count %" PRIu64, g->count);
		if (g->duration > 0)
			printf(", duration %.3f s", g->duration);
		printf("; %s, burst %u\n", app_xmit_api(g->xmit), g->burst);
		if (replay.pkts != NULL) {
			char src[640], timing[64];

			app_replay_describe(src, sizeof(src), timing, sizeof(timing));
			printf("generator: replaying %s; %u frames used, timing %s%s\n", src, replay.nb,
			       timing, replay.original && g->rate.unit != APP_RATE_MAX ?
			       " (the rate is not used)" : "");
		}
		fflush(stdout);
	}
	app_progress_start(app);
	if (workers == 0) {
		/* The main lcore generates; it keeps the idle work going from its tick. */
		app->gens[0].tick = app_main_gen_tick;
		app->gens[0].tick_arg = app;
		app_gen_lcore(&app->gens[0]);
		app_cli_join(app, app_gen_reason(app));
		return 0;
	}
	for (i = 0; i < n; i++) {
		rc = rte_eal_remote_launch(app_gen_lcore, &app->gens[i], app->gens[i].lcore);
		if (rc != 0) {
			app->gens[i].rc = rc;
			__atomic_store_n(&app->gens[i].done, 1, __ATOMIC_RELEASE);
			app_gen_stop();
			app->stop_reason = APP_STOP_ERROR;
		}
	}
	return 0;
}

bool
app_gens_done(const struct app *app)
{
	for (unsigned int i = 0; i < app->nb_gens; i++)
		if (!__atomic_load_n(&app->gens[i].done, __ATOMIC_ACQUIRE))
			return false;
	return true;
}

/* Stop (or collect finished) generators, print the run's summary. */
void
app_cli_join(struct app *app, enum app_stop_reason why)
{
	uint64_t handed = 0, accepted = 0, first = UINT64_MAX, last = 0;
	double secs, pps;
	int errors = 0;

	if (!app->running)
		return;
	app_gen_stop();
	/* The generators' lcores only: the receive lcore runs on (rx mode). */
	for (unsigned int i = 0; i < app->nb_gens; i++)
		if (app->gens[i].lcore != rte_get_main_lcore())
			rte_eal_wait_lcore(app->gens[i].lcore);
	if (app->stop_reason == APP_STOP_NONE)
		app->stop_reason = why;
	app_rx_drain(app, 30);
	for (unsigned int i = 0; i < app->nb_gens; i++) {
		const struct app_gen *g = &app->gens[i];

		handed += g->handed;
		accepted += g->accepted;
		app->base_alloc_fail += g->alloc_fail;
		errors += g->rc != 0;
		if (g->start_tsc != 0) {
			first = RTE_MIN(first, g->start_tsc);
			last = RTE_MAX(last, g->end_tsc);
		}
	}
	app->base_handed += handed;
	app->base_accepted += accepted;
	secs = last > first ? (double)(last - first) / (double)app->hz : 0;
	app->gen_seconds += secs;
	pps = secs > 0 ? (double)handed / secs : 0;
	/* The generators' counters are in the base now; keep them for the summary. */
	app->running = false;
	if (app->opts.quiet)
		return;
	if (app->json_out) {
		printf("{\"run\": {\"stopped_by\": \"%s\", \"lcores\": %u, \"seconds\": %.6f, "
		       "\"generated\": %" PRIu64 ", \"accepted\": %" PRIu64 ", \"pps\": %.1f, "
		       "\"asked_pps\": %" PRIu64 ", \"errors\": %d}}\n",
		       why == APP_STOP_COUNT ? "count" : why == APP_STOP_DURATION ? "duration" :
		       why == APP_STOP_SIGNAL ? "signal" : "stop", app->nb_gens, secs, handed,
		       accepted, pps, app->run_rate_pps, errors);
	} else {
		printf("generator: stopped (%s) after %.3f s: generated %" PRIu64 " on %u lcore(s), "
		       "achieved %.0f pps",
		       why == APP_STOP_COUNT ? "count reached" : why == APP_STOP_DURATION ?
		       "duration" : why == APP_STOP_SIGNAL ? "signal" : "stop",
		       secs, handed, app->nb_gens, pps);
		if (app->run_rate_pps != 0)
			printf(" (asked %" PRIu64 " pps, %+.3f%%)", app->run_rate_pps,
			       (pps / (double)app->run_rate_pps - 1) * 100);
		printf("%s\n", errors ? " [generator errors]" : "");
	}
	app_print_accounting(app);
	fflush(stdout);
}

static int
app_start_exec(struct app *app, const struct app_cmd *c, struct app_err *e)
{
	RTE_SET_USED(c);
	return app_cli_start(app, e);
}

static int
app_stop_exec(struct app *app, const struct app_cmd *c, struct app_err *e)
{
	RTE_SET_USED(c);
	if (!app->running)
		return app_fail(e, -EALREADY, "stop: the generator is not running");
	app_cli_join(app, APP_STOP_COMMAND);
	return 0;
}

static int
app_wait_exec(struct app *app, const struct app_cmd *c, struct app_err *e)
{
	uint64_t end = c->seconds > 0 ? rte_get_timer_cycles() +
		       (uint64_t)(c->seconds * (double)app->hz) : UINT64_MAX;

	if (!app->running)
		return 0;
	if (c->seconds == 0 && app->spec.count == 0 && app->spec.duration == 0 &&
	    !(app->gconf.replay.pkts != NULL && app->gconf.replay_total != 0))
		return app_fail(e, -EINVAL, "wait: the generator has neither count nor duration: "
				"give a timeout");
	app_cli_wait(app, end, true);
	return 0;
}
#endif /* APP_CMD_PARSE_ONLY */

static const struct app_cmd_def app_cmd_start_def = {
	.name = "start",
	.usage = "start",
	.what = "start the generator lcores",
	.rank = 70,
	.parse = app_startstop_parse,
	.exec = APP_CMD_EXEC(app_start_exec),
};
APP_CMD_REGISTER(app_cmd_start_def)

static const struct app_cmd_def app_cmd_stop_def = {
	.name = "stop",
	.usage = "stop",
	.what = "stop the generators, drain, print the run's summary",
	.rank = 71,
	.parse = app_startstop_parse,
	.exec = APP_CMD_EXEC(app_stop_exec),
};
APP_CMD_REGISTER(app_cmd_stop_def)

static const struct app_cmd_def app_cmd_wait_def = {
	.name = "wait",
	.usage = "wait [<seconds>]",
	.what = "wait until the generators finish (count or duration), or the timeout",
	.rank = 72,
	.parse = app_wait_parse,
	.exec = APP_CMD_EXEC(app_wait_exec),
};
APP_CMD_REGISTER(app_cmd_wait_def)
