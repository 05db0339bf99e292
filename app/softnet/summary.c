/* SPDX-License-Identifier: BSD-3-Clause */
/* The final summary: text for people, JSON for scripts, one accounting rule. */

#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <string.h>

#include <sn_softnet.h>

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
	/* Every drop has a reason (DESIGN.md, semantics 12): they add up to dropped. */
	r->drops_ok = app_drops_sum(&s->sn) == s->sn.dropped;
	r->accounting_ok = s->handed == s->sn.sent + s->sn.dropped + s->queued && r->drops_ok;
	r->clean = r->accounting_ok && s->queued == 0 && r->gen_errors == 0;
}

void
app_summary_print(const struct app *app, const struct app_result *r)
{
	const struct app_snapshot *s = &r->end;
	const struct app_opts *o = &app->opts;
	double pps = app_rate(s->sn.sent, r->seconds);
	char why[256];

	printf("\nsummary: port %u (%s), %u txq(s) of %s, %u generator lcore(s), %s, burst %u, %u-byte frames\n",
	       app->port, app->port_name, o->txqs, app->qdisc_kind, app->nb_gens,
	       app_api_name(o), o->burst, app->frame.len);
	printf("  stopped by:     %s after %.3f s of generation\n",
	       app_stop_reason_name(app->stop_reason), r->seconds);
	printf("  handed:         %" PRIu64 " packets to softnet (%" PRIu64
	       " accepted at once, softnet processed %" PRIu64 ")\n",
	       s->handed, s->accepted, s->sn.processed);
	printf("  sent:           %" PRIu64 " by softnet, ", s->sn.sent);
	if (s->eth_ok)
		printf("%" PRIu64 " by the port (opackets)%s\n", s->eth.opackets,
		       s->eth.opackets == s->sn.sent ? "" : " [differs from softnet]");
	else
		printf("port counters unavailable\n");
	app_drops_format(&s->sn, why, sizeof(why));
	printf("  dropped:        %" PRIu64 "%s%s%s\n", s->sn.dropped, why[0] ? " (" : "", why,
	       why[0] ? ")" : "");
	printf("  queued:         %" PRIu64 "%s\n", s->queued,
	       s->queued == 0 ? "" : " (expected 0 after a clean stop)");
	printf("  average:        %.2f Mpps, %.2f Gbps (L2, %u-byte frames)\n", pps / 1e6,
	       pps * app->frame.len * 8 / 1e9, app->frame.len);
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
	printf("  mbufs in use:   %" PRIu64 " (of %u)\n", r->mbufs_in_use, r->pool_size);
	/* One verdict for both rules: "OK" only when both hold. */
	if (s->handed == s->sn.sent + s->sn.dropped + s->queued)
		printf("accounting: handed = sent + dropped + queued: %s", r->drops_ok ? "OK" :
		       "MISMATCH");
	else
		printf("accounting: handed = sent + dropped + queued: MISMATCH (%" PRIu64
		       " != %" PRIu64 " + %" PRIu64 " + %" PRIu64 ")",
		       s->handed, s->sn.sent, s->sn.dropped, s->queued);
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
	double pps = app_rate(s->sn.sent, r->seconds);

	fprintf(f, "{\n");
	fprintf(f, "  \"port\": %u,\n  \"port_name\": \"%s\",\n", app->port, app->port_name);
	fprintf(f, "  \"qdisc\": \"%s\",\n  \"qdisc_limit\": %u,\n  \"txqs\": %u,\n", app->qdisc_kind,
		app->qdisc_limit, o->txqs);
	fprintf(f, "  \"tx_lcores\": %u,\n  \"api\": \"%s\",\n  \"burst\": %u,\n", app->nb_gens,
		app_api_name(o), o->burst);
	fprintf(f, "  \"frame_size\": %u,\n  \"prio\": %u,\n", app->frame.len, o->prio);
	fprintf(f, "  \"stopped_by\": \"%s\",\n  \"seconds\": %.6f,\n",
		app_stop_reason_name(app->stop_reason), r->seconds);
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
	fprintf(f, "  \"mpps\": %.4f,\n  \"gbps\": %.4f,\n", pps / 1e6,
		pps * app->frame.len * 8 / 1e9);
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
	fprintf(f, "  \"accounting_ok\": %s\n", r->accounting_ok ? "true" : "false");
	fprintf(f, "}\n");
	return ferror(f) ? -EIO : 0;
}
