/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Command: show softnet, the engine's counters per lcore, in the spirit of
 * /proc/net/softnet_stat, and show softnet drops, its drops per lcore by
 * reason (the kernel's drop reasons; the app walks the library's enum and
 * knows no reason by name). (The other `show` commands live with their
 * family: show port, show qdisc, show gen, show rx.)
 */

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"

#ifndef APP_CMD_PARSE_ONLY
#include <rte_lcore.h>

#include <sn_softnet.h>

#include "cli.h"
#include "stats.h"
#endif

enum { APP_SHOW_SOFTNET, APP_SHOW_SOFTNET_DROPS };

static int
app_show_softnet_parse(struct app_cmd_ctx *c, struct app_cmd *cmd)
{
	cmd->op = app_cmd_accept(c, "drops") ? APP_SHOW_SOFTNET_DROPS : APP_SHOW_SOFTNET;
	return app_cmd_end(c, &cmd->json);
}

#ifndef APP_CMD_PARSE_ONLY
static void
app_show_softnet(bool json)
{
	static const char *const hdr = "lcore   processed        sent     dropped time_squeeze "
				       "cpu_collision   busylock   requeued     bypass  qdisc_runs";
	struct sn_softnet_stats t;
	unsigned int lcore;
	bool first = true;
	char why[256];

	memset(&t, 0, sizeof(t));
	if (json)
		printf("{\"softnet\": [");
	else
		printf("%s\n", hdr);
	RTE_LCORE_FOREACH(lcore) {
		struct sn_softnet_stats st;

		if (sn_softnet_stats_get(lcore, &st) != 0)
			continue;
		if (json) {
			printf("%s{\"lcore\": %u, \"processed\": %" PRIu64 ", \"sent\": %" PRIu64
			       ", \"dropped\": %" PRIu64 ", \"time_squeeze\": %" PRIu64
			       ", \"cpu_collision\": %" PRIu64 ", \"busylock\": %" PRIu64
			       ", \"requeued\": %" PRIu64 ", \"bypass\": %" PRIu64
			       ", \"qdisc_runs\": %" PRIu64 ", \"drop_qdisc\": %" PRIu64
			       ", \"drop_down\": %" PRIu64 ", \"drop_deactivated\": %" PRIu64 "}",
			       first ? "" : ", ", lcore, st.processed, st.sent, st.dropped,
			       st.time_squeeze, st.cpu_collision, st.busylock, st.requeued, st.bypass,
			       st.qdisc_runs, st.drop_qdisc, st.drop_down, st.drop_deactivated);
		} else {
			printf("%5u %11" PRIu64 " %11" PRIu64 " %11" PRIu64 " %12" PRIu64 " %13" PRIu64
			       " %10" PRIu64 " %10" PRIu64 " %10" PRIu64 " %11" PRIu64 "\n",
			       lcore, st.processed, st.sent, st.dropped, st.time_squeeze,
			       st.cpu_collision, st.busylock, st.requeued, st.bypass, st.qdisc_runs);
		}
		first = false;
	}
	sn_softnet_stats_sum(&t);
	if (json) {
		printf("], \"total\": {\"processed\": %" PRIu64 ", \"sent\": %" PRIu64
		       ", \"dropped\": %" PRIu64 "}}\n", t.processed, t.sent, t.dropped);
		return;
	}
	printf("total %11" PRIu64 " %11" PRIu64 " %11" PRIu64 " %12" PRIu64 " %13" PRIu64
	       " %10" PRIu64 " %10" PRIu64 " %10" PRIu64 " %11" PRIu64 "\n",
	       t.processed, t.sent, t.dropped, t.time_squeeze, t.cpu_collision, t.busylock,
	       t.requeued, t.bypass, t.qdisc_runs);
	app_drops_format(&t, why, sizeof(why));
	printf("(totals include control-path drops; dropped by reason: %s%s; show softnet drops)\n",
	       why[0] ? why : "none",
	       app_drops_sum(&t) == t.dropped ? "" :
	       " -- MISMATCH: the reasons do not add up to dropped");
}

/*
 * show softnet drops: one line per reason (enum order, the library's names),
 * one column per lcore and the total; then whether the reasons add up to
 * dropped on every lcore. A mismatch is a softnet bug: say so loudly.
 */
static void
app_show_softnet_drops(bool json)
{
	struct sn_softnet_stats st[RTE_MAX_LCORE], t;
	unsigned int lcores[RTE_MAX_LCORE], n = 0, lcore, bad = 0;
	bool ok;

	RTE_LCORE_FOREACH(lcore) {
		if (sn_softnet_stats_get(lcore, &st[n]) != 0)
			continue;
		lcores[n++] = lcore;
	}
	/* The total from the library's own sum (not ours): two readings agree. */
	sn_softnet_stats_sum(&t);
	for (unsigned int i = 0; i < n; i++)
		bad += app_drops_sum(&st[i]) != st[i].dropped;
	ok = bad == 0 && app_drops_sum(&t) == t.dropped;
	if (json) {
		printf("{\"drops\": [");
		for (unsigned int i = 0; i < n; i++) {
			printf("%s{\"lcore\": %u, \"dropped\": %" PRIu64 ", \"reasons\": ",
			       i ? ", " : "", lcores[i], st[i].dropped);
			app_drops_json(stdout, &st[i]);
			printf(", \"sum_ok\": %s}", app_drops_sum(&st[i]) == st[i].dropped ? "true" :
			       "false");
		}
		printf("], \"total\": {\"dropped\": %" PRIu64 ", \"reasons\": ", t.dropped);
		app_drops_json(stdout, &t);
		printf(", \"sum_ok\": %s}, \"sum_ok\": %s}\n",
		       app_drops_sum(&t) == t.dropped ? "true" : "false", ok ? "true" : "false");
		return;
	}
	printf("%-16s", "reason");
	for (unsigned int i = 0; i < n; i++) {
		char col[16];

		snprintf(col, sizeof(col), "lcore %u", lcores[i]);
		printf(" %11s", col);
	}
	printf(" %11s\n", "total");
	for (unsigned int r = 0; r < SN_DROP_REASON_MAX; r++) {
		printf("%-16s", sn_drop_reason_name((enum sn_drop_reason)r));
		for (unsigned int i = 0; i < n; i++)
			printf(" %11" PRIu64, st[i].drops[r]);
		printf(" %11" PRIu64 "\n", t.drops[r]);
	}
	printf("%-16s", "dropped");
	for (unsigned int i = 0; i < n; i++)
		printf(" %11" PRIu64, st[i].dropped);
	printf(" %11" PRIu64 "\n", t.dropped);
	if (ok) {
		printf("(the reasons add up to dropped on every lcore: OK)\n");
		return;
	}
	printf("MISMATCH: the drop reasons do not add up to dropped:");
	for (unsigned int i = 0; i < n; i++)
		if (app_drops_sum(&st[i]) != st[i].dropped)
			printf(" lcore %u: %" PRIu64 " != %" PRIu64 ";", lcores[i],
			       app_drops_sum(&st[i]), st[i].dropped);
	printf(" total: %" PRIu64 " vs %" PRIu64 " (a softnet bug)\n", app_drops_sum(&t), t.dropped);
}

static void
app_show_softnet_help(void)
{
	printf("show softnet: per lcore, /proc/net/softnet_stat's kind of counters.\n"
	       "show softnet drops: one line per drop reason (the kernel's SKB_DROP_REASON_*),\n"
	       "  a column per lcore and the total; the reasons must add up to dropped.\n"
	       "  reasons:");
	for (unsigned int r = 0; r < SN_DROP_REASON_MAX; r++)
		printf("%s%s", r ? ", " : " ", sn_drop_reason_name((enum sn_drop_reason)r));
	printf("\n");
}

static int
app_show_softnet_exec(struct app *app, const struct app_cmd *c, struct app_err *e)
{
	RTE_SET_USED(e);
	if (c->op == APP_SHOW_SOFTNET_DROPS)
		app_show_softnet_drops(app_cli_json(app, c));
	else
		app_show_softnet(app_cli_json(app, c));
	return 0;
}
#endif

static const struct app_cmd_def app_cmd_show_softnet_def = {
	.name = "show",
	.sub = "softnet",
	.usage = "show softnet [drops] [json]",
	.what = "softnet's counters per lcore and their total (drops: by drop reason)",
	.rank = 32,
	.parse = app_show_softnet_parse,
	.exec = APP_CMD_EXEC(app_show_softnet_exec),
	.help = APP_CMD_EXEC(app_show_softnet_help),
};
APP_CMD_REGISTER(app_cmd_show_softnet_def)
