/* SPDX-License-Identifier: BSD-3-Clause */
/* The final summary: text for people, JSON for scripts, one accounting rule. */

#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <string.h>

#include <sn_softnet.h>

#include "rx.h"
#include "summary.h"

struct app_counter_name {
	const char *name;
	size_t off;
};

#define APP_SN_COUNTER(f) { #f, offsetof(struct sn_softnet_stats, f) }

/* What the engine did on the way: the rest of sn_softnet_stats. */
static const struct app_counter_name app_path_counters[] = {
	APP_SN_COUNTER(processed),
	APP_SN_COUNTER(sent),
	APP_SN_COUNTER(bypass),
	APP_SN_COUNTER(busylock),
	APP_SN_COUNTER(cpu_collision),
	APP_SN_COUNTER(time_squeeze),
	APP_SN_COUNTER(requeued),
	APP_SN_COUNTER(queue_stopped),
	APP_SN_COUNTER(resched),
	APP_SN_COUNTER(qdisc_runs),
	APP_SN_COUNTER(tx_action),
	APP_SN_COUNTER(cq_freed),
	APP_SN_COUNTER(cq_flushes),
};

static uint64_t
app_counter(const struct sn_softnet_stats *st, const struct app_counter_name *c)
{
	return *(const uint64_t *)((const char *)st + c->off);
}

static const char *
app_stop_reason_name(enum app_stop_reason r)
{
	switch (r) {
	case APP_STOP_DURATION:
		return "duration";
	case APP_STOP_COUNT:
		return "count";
	case APP_STOP_SIGNAL:
		return "signal";
	case APP_STOP_ERROR:
		return "error";
	case APP_STOP_COMMAND:
		return "stop";
	case APP_STOP_NONE:
		break;
	}
	return "none";
}

static double
app_rate(uint64_t pkts, double seconds)
{
	return seconds > 0 ? (double)pkts / seconds : 0;
}

void
app_result_check(const struct app *app, struct app_result *r)
{
	const struct app_snapshot *s = &r->end;

	RTE_SET_USED(app);
	/* What the responders answered went through softnet too (rx.h). */
	r->replies = app_rx_replies();
	/* Every drop has a reason (DESIGN.md, semantics 12): they add up to dropped. */
	r->drops_ok = app_drops_sum(&s->sn) == s->sn.dropped;
	r->accounting_ok = s->handed + r->replies == s->sn.sent + s->sn.dropped + s->queued &&
			   r->drops_ok;
	r->clean = r->accounting_ok && s->queued == 0 && r->gen_errors == 0;
}

/*
 * The mean length of the frames sent: the qdiscs' bytes over their packets
 * (what really left: IMIX, replayed files), or the settings' mean when
 * nothing was sent.
 */
static double
app_mean_frame(const struct app *app, const struct app_snapshot *s)
{
	if (s->qdisc.bstats.packets != 0)
		return (double)s->qdisc.bstats.bytes / (double)s->qdisc.bstats.packets;
	return app_gen_mean_size(app);
}

/* "64-byte frames", "IMIX frames (mean 353.8 bytes)". */
static void
app_frames_desc(const struct app *app, const struct app_snapshot *s, char *buf, size_t len)
{
	double mean = app_mean_frame(app, s);

	if (app->spec.size.n > 1 || app->gconf.replay.pkts != NULL)
		snprintf(buf, len, "%s frames (mean %.1f bytes)",
			 app->gconf.replay.pkts != NULL ? "replayed" : "IMIX", mean);
	else
		snprintf(buf, len, "%u-byte frames", app->frame.len);
}

/* "1 txq of pfifo_fast", "4 txqs, a qdisc each (not all the same)". */
static void
app_txqs_desc(const struct app *app, char *buf, size_t len)
{
	unsigned int n = app->opts.txqs;

	if (strcmp(app->qdisc_kind, "(per txq)") != 0 && app->qdisc_kind[0] != '\0')
		snprintf(buf, len, "%u txq%s of %s", n, n == 1 ? "" : "s", app->qdisc_kind);
	else if (n > 1)
		snprintf(buf, len, "%u txqs, a qdisc each (not all the same)", n);
	else
		snprintf(buf, len, "1 txq (qdisc unknown)");
}

void
app_summary_print(const struct app *app, const struct app_result *r)
{
	const struct app_snapshot *s = &r->end;
	const struct app_opts *o = &app->opts;
	double pps = app_rate(s->sn.sent, r->seconds), mean = app_mean_frame(app, s);
	uint64_t since = app_port_sent_base(app->port);
	char why[256], frames[64], txqs[96];

	app_frames_desc(app, s, frames, sizeof(frames));
	app_txqs_desc(app, txqs, sizeof(txqs));
	printf("\nsummary: port %u (%s), %s, %u generator lcore(s), %s, burst %u, %s\n",
	       app->port, app->port_name, txqs, app->runs ? app->nb_gens : 0,
	       app_api_name(o), o->burst, frames);
	if (app->runs == 0)
		printf("  stopped by:     nothing: the generator never ran\n");
	else
		printf("  stopped by:     %s after %.3f s of generation%s\n",
		       app_stop_reason_name(app->stop_reason), r->seconds,
		       app->runs > 1 ? " (all runs)" : "");
	printf("  handed:         %" PRIu64 " packets to softnet (%" PRIu64
	       " accepted at once, softnet processed %" PRIu64 ")\n",
	       s->handed, s->accepted, s->sn.processed);
	printf("  sent:           %" PRIu64 " by softnet, ", s->sn.sent);
	if (s->model) {
		/* A model port: what left its wire (its net_ring counts only what it kept). */
		printf("%" PRIu64 " left the model's wire, %" PRIu64 " still in its ring%s\n",
		       s->model_left, s->model_ring,
		       s->model_left + s->model_ring == s->sn.sent ? "" : " [differs from softnet]");
	} else if (s->eth_ok && since != 0)
		/* `clear port stats` zeroed the port: compare with what softnet sent since. */
		printf("%" PRIu64 " by the port since its counters were cleared (softnet: %" PRIu64
		       ")%s\n", s->eth.opackets, s->sn.sent - since,
		       s->eth.opackets == s->sn.sent - since ? "" : " [differs from softnet]");
	else if (s->eth_ok)
		printf("%" PRIu64 " by the port (opackets)%s\n", s->eth.opackets,
		       s->eth.opackets == s->sn.sent ? "" : " [differs from softnet]");
	else
		printf("port counters unavailable\n");
	app_drops_format(&s->sn, why, sizeof(why));
	printf("  dropped:        %" PRIu64 "%s%s%s\n", s->sn.dropped, why[0] ? " (" : "", why,
	       why[0] ? ")" : "");
	printf("  queued:         %" PRIu64 "%s\n", s->queued,
	       s->queued == 0 ? "" : " (expected 0 after a clean stop)");
	if (app->runs == 0)
		printf("  average:        no run\n");
	else
		printf("  average:        %.2f Mpps, %.2f Gbps (L2, mean frame %.1f bytes)\n",
		       pps / 1e6, pps * mean * 8 / 1e9, mean);
	printf("  qdisc:          sent %" PRIu64 " pkts %" PRIu64 " bytes, drops %" PRIu64
	       ", overlimits %" PRIu64 ", requeues %" PRIu64 ", backlog %" PRIu64 "B\n",
	       s->qdisc.bstats.packets, s->qdisc.bstats.bytes, s->qdisc.qstats.drops,
	       s->qdisc.qstats.overlimits, s->qdisc.qstats.requeues, s->qdisc.qstats.backlog);
	printf("  softnet:        bypass %" PRIu64 ", busylock %" PRIu64 ", cpu_collision %" PRIu64
	       ", time_squeeze %" PRIu64 ", requeued %" PRIu64 ", queue_stopped %" PRIu64
	       ", qdisc_runs %" PRIu64 "\n",
	       s->sn.bypass, s->sn.busylock, s->sn.cpu_collision, s->sn.time_squeeze,
	       s->sn.requeued, s->sn.queue_stopped, s->sn.qdisc_runs);
	if (s->alloc_fail != 0)
		printf("  pool empty:     %" PRIu64 " times (the generator waited for mbufs)\n",
		       s->alloc_fail);
	for (unsigned int i = 0; i < app->nb_gens; i++) {
		const struct app_gen *g = &app->gens[i];

		if (g->rc == -EBUSY)
			printf("  lcore %u:        work still pending at detach"
			       " (the port stopped taking packets)\n", g->lcore);
		else if (g->rc != 0)
			printf("  lcore %u:        generator failed: %s\n", g->lcore, strerror(-g->rc));
	}
	app_rx_napi_summary(stdout);
	printf("  mbufs in use:   %" PRIu64 " (of %u)\n", r->mbufs_in_use, r->pool_size);
	/* One verdict for both rules: "OK" only when both hold. */
	if (r->replies != 0)
		printf("  replies:        %" PRIu64 " ARP and echo replies handed to softnet by the "
		       "responder\n", r->replies);
	if (s->handed + r->replies == s->sn.sent + s->sn.dropped + s->queued)
		printf("accounting: handed%s = sent + dropped + queued: %s",
		       r->replies ? " + replies" : "", r->drops_ok ? "OK" : "MISMATCH");
	else
		printf("accounting: handed%s = sent + dropped + queued: MISMATCH (%" PRIu64
		       " != %" PRIu64 " + %" PRIu64 " + %" PRIu64 ")", r->replies ? " + replies" : "",
		       s->handed + r->replies, s->sn.sent, s->sn.dropped, s->queued);
	if (r->drops_ok)
		printf("; dropped = sum of reasons%s%s%s\n", why[0] ? " (" : "", why,
		       why[0] ? ")" : "");
	else
		printf("; DROP REASONS MISMATCH: dropped %" PRIu64 " != sum of reasons %" PRIu64
		       "%s%s%s\n", s->sn.dropped, app_drops_sum(&s->sn), why[0] ? " (" : "", why,
		       why[0] ? ")" : "");
	fflush(stdout);
}

static void
app_json_counters(FILE *f, const char *key, const struct sn_softnet_stats *st,
		  const struct app_counter_name *c, unsigned int n)
{
	fprintf(f, "  \"%s\": {", key);
	for (unsigned int i = 0; i < n; i++)
		fprintf(f, "%s\"%s\": %" PRIu64, i ? ", " : "", c[i].name, app_counter(st, &c[i]));
	fprintf(f, "},\n");
}

int
app_summary_json(FILE *f, const struct app *app, const struct app_result *r)
{
	const struct app_snapshot *s = &r->end;
	const struct app_opts *o = &app->opts;
	double pps = app_rate(s->sn.sent, r->seconds), mean = app_mean_frame(app, s);

	fprintf(f, "{\n");
	fprintf(f, "  \"port\": %u,\n  \"port_name\": \"%s\",\n", app->port, app->port_name);
	fprintf(f, "  \"qdisc\": \"%s\",\n  \"qdisc_limit\": %u,\n  \"txqs\": %u,\n", app->qdisc_kind,
		app->qdisc_limit, o->txqs);
	fprintf(f, "  \"tx_lcores\": %u,\n  \"api\": \"%s\",\n  \"burst\": %u,\n", app->nb_gens,
		app_api_name(o), o->burst);
	fprintf(f, "  \"frame_size\": %u,\n  \"mean_frame_size\": %.2f,\n  \"prio\": %u,\n",
		app->frame.len, mean, o->prio);
	fprintf(f, "  \"runs\": %" PRIu64 ",\n", app->runs);
	fprintf(f, "  \"stopped_by\": \"%s\",\n  \"seconds\": %.6f,\n",
		app->runs ? app_stop_reason_name(app->stop_reason) : "none", r->seconds);
	fprintf(f, "  \"handed\": %" PRIu64 ",\n  \"accepted\": %" PRIu64 ",\n", s->handed,
		s->accepted);
	fprintf(f, "  \"sent\": %" PRIu64 ",\n", s->sn.sent);
	if (s->eth_ok)
		fprintf(f, "  \"port_opackets\": %" PRIu64 ",\n  \"port_obytes\": %" PRIu64
			",\n  \"port_oerrors\": %" PRIu64 ",\n",
			s->eth.opackets, s->eth.obytes, s->eth.oerrors);
	else
		fprintf(f, "  \"port_opackets\": null,\n  \"port_obytes\": null,\n"
			"  \"port_oerrors\": null,\n");
	fprintf(f, "  \"dropped\": %" PRIu64 ",\n", s->sn.dropped);
	fprintf(f, "  \"drops\": ");
	app_drops_json(f, &s->sn);
	fprintf(f, ",\n  \"drops_ok\": %s,\n", r->drops_ok ? "true" : "false");
	fprintf(f, "  \"queued\": %" PRIu64 ",\n", s->queued);
	fprintf(f, "  \"mpps\": %.4f,\n  \"gbps\": %.4f,\n", pps / 1e6, pps * mean * 8 / 1e9);
	if (s->eth_ok && app_port_sent_base(app->port) != 0)
		fprintf(f, "  \"port_cleared_sent_base\": %" PRIu64 ",\n",
			app_port_sent_base(app->port));
	fprintf(f, "  \"qdisc_stats\": {\"packets\": %" PRIu64 ", \"bytes\": %" PRIu64
		", \"drops\": %" PRIu64 ", \"overlimits\": %" PRIu64 ", \"requeues\": %" PRIu64
		", \"backlog\": %" PRIu64 ", \"qlen\": %" PRIu64 "},\n",
		s->qdisc.bstats.packets, s->qdisc.bstats.bytes, s->qdisc.qstats.drops,
		s->qdisc.qstats.overlimits, s->qdisc.qstats.requeues, s->qdisc.qstats.backlog,
		s->qdisc.qstats.qlen);
	app_json_counters(f, "softnet", &s->sn, app_path_counters, RTE_DIM(app_path_counters));
	fprintf(f, "  \"alloc_failures\": %" PRIu64 ",\n", s->alloc_fail);
	fprintf(f, "  \"generator_errors\": %d,\n", r->gen_errors);
	fprintf(f, "  \"mbufs_in_use\": %" PRIu64 ",\n  \"pool_size\": %u,\n", r->mbufs_in_use,
		r->pool_size);
	fprintf(f, "  \"replies\": %" PRIu64 ",\n", r->replies);
	fprintf(f, "  \"accounting_ok\": %s\n", r->accounting_ok ? "true" : "false");
	fprintf(f, "}\n");
	return ferror(f) ? -EIO : 0;
}
