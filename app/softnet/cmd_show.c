/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Command: show softnet, the engine's counters per lcore, in the spirit of
 * /proc/net/softnet_stat. (The other `show` commands live with their
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
#endif

static int
app_show_softnet_parse(struct app_cmd_ctx *c, struct app_cmd *cmd)
{
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
	printf("(totals include control-path drops; dropped = drop_qdisc %" PRIu64 " + drop_down %"
	       PRIu64 " + drop_deactivated %" PRIu64 " + drop_invalid %" PRIu64 " + drop_noqueue %"
	       PRIu64 " + drop_dead_loop %" PRIu64 ")\n", t.drop_qdisc, t.drop_down,
	       t.drop_deactivated, t.drop_invalid, t.drop_noqueue, t.drop_dead_loop);
}

static int
app_show_softnet_exec(struct app *app, const struct app_cmd *c, struct app_err *e)
{
	RTE_SET_USED(e);
	app_show_softnet(app_cli_json(app, c));
	return 0;
}
#endif

static const struct app_cmd_def app_cmd_show_softnet_def = {
	.name = "show",
	.sub = "softnet",
	.usage = "show softnet [json]",
	.what = "softnet's counters per lcore and their total",
	.rank = 32,
	.parse = app_show_softnet_parse,
	.exec = APP_CMD_EXEC(app_show_softnet_exec),
};
APP_CMD_REGISTER(app_cmd_show_softnet_def)
