/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Command: show softnet, the engine's counters per lcore, in the spirit of
 * /proc/net/softnet_stat, and show softnet drops, its drops per lcore by
 * reason (the kernel's drop reasons; the app walks the library's enum and
 * knows no reason by name). Also testpmd's show port xstats (the driver's
 * extended counters, rte_eth_xstats_get()) and show port summary (a line
 * per port), registered as third words of `show port` (sub3). (The other
 * `show` commands live with their family: show port info|stats, show qdisc,
 * show gen, show rx.)
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"

#ifndef APP_CMD_PARSE_ONLY
#include <stdlib.h>

#include <rte_ethdev.h>
#include <rte_lcore.h>

#include <sn_netdev.h>
#include <sn_softnet.h>

#include "cli.h"
#include "stats.h"
#endif

enum { APP_SHOW_SOFTNET, APP_SHOW_SOFTNET_DROPS };
enum { APP_SHOW_PORT_XSTATS, APP_SHOW_PORT_SUMMARY };

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

/* ---- show port xstats, show port summary ---- */

static int
app_show_port_more_parse(struct app_cmd_ctx *c, struct app_cmd *cmd)
{
	const char *what = app_cmd_next(c);

	if (what != NULL && strcmp(what, "xstats") == 0) {
		cmd->op = APP_SHOW_PORT_XSTATS;
		if (app_cmd_port(c, cmd) != 0)
			return -EINVAL;
	} else {
		/* summary: every port (testpmd's `show port summary all`), or one. */
		cmd->op = APP_SHOW_PORT_SUMMARY;
		if (!app_cmd_accept(c, "all") && app_cmd_peek(c) != NULL &&
		    strcmp(app_cmd_peek(c), "json") != 0 && app_cmd_port_one(c, cmd) != 0)
			return -EINVAL;
	}
	return app_cmd_end(c, &cmd->json);
}

#ifndef APP_CMD_PARSE_ONLY
/* testpmd's `show port xstats`: every extended counter of the driver, by name. */
static int
app_show_port_xstats(struct app *app, const struct app_cmd *c, struct app_err *e)
{
	struct rte_eth_xstat_name *names = NULL;
	struct rte_eth_xstat *vals = NULL;
	struct app_port *p;
	int rc = app_port_get(app, c->port, false, "show port xstats", e, &p);
	int n, m;

	if (rc != 0)
		return rc;
	n = rte_eth_xstats_get_names(c->port, NULL, 0);
	if (n < 0)
		return app_fail(e, n, "show port xstats: port %u: %s", c->port, strerror(-n));
	names = calloc((size_t)n + 1, sizeof(*names));
	vals = calloc((size_t)n + 1, sizeof(*vals));
	if (names == NULL || vals == NULL) {
		free(names);
		free(vals);
		return app_fail(e, -ENOMEM, "show port xstats: out of memory");
	}
	n = rte_eth_xstats_get_names(c->port, names, (unsigned int)n);
	m = n < 0 ? n : rte_eth_xstats_get(c->port, vals, (unsigned int)n);
	if (n < 0 || m < 0 || m > n) {
		free(names);
		free(vals);
		return app_fail(e, n < 0 ? n : m < 0 ? m : -EAGAIN, "show port xstats: port %u: "
				"the counters changed or failed", c->port);
	}
	if (app_cli_json(app, c))
		printf("{\"port\": %u, \"xstats\": {", c->port);
	else
		printf("###### NIC extended statistics for port %-2u #########\n", c->port);
	for (int i = 0; i < m; i++) {
		const char *name = vals[i].id < (uint64_t)n ? names[vals[i].id].name : "?";

		if (app_cli_json(app, c))
			printf("%s\"%s\": %" PRIu64, i ? ", " : "", name, vals[i].value);
		else
			printf("%s: %" PRIu64 "\n", name, vals[i].value);
	}
	if (app_cli_json(app, c))
		printf("}}\n");
	else
		printf("#########################################################\n");
	free(names);
	free(vals);
	return 0;
}

/* testpmd's `show port summary`: one line per port. */
static int
app_show_port_summary(struct app *app, const struct app_cmd *c, struct app_err *e)
{
	bool json = app_cli_json(app, c), first = true;
	unsigned int nb = 0;

	if (c->has_port) {
		struct app_port *p;
		int rc = app_port_get(app, c->port, false, "show port summary", e, &p);

		if (rc != 0)
			return rc;
	}
	for (uint16_t id = 0; id < APP_MAX_PORTS; id++)
		nb += app->ports[id].valid;
	if (json)
		printf("{\"ports\": [");
	else
		printf("Number of available ports: %u\n%-4s %-17s %-16s %-8s %-12s %-6s %-10s "
		       "%4s %4s %5s\n", nb, "Port", "MAC Address", "Name", "Device", "Driver",
		       "Status", "Link", "Txqs", "Rxqs", "MTU");
	for (uint16_t id = 0; id < APP_MAX_PORTS; id++) {
		const struct app_port *p = &app->ports[id];
		struct rte_eth_dev_info info;
		struct rte_eth_link link;
		struct rte_ether_addr mac;
		char name[RTE_ETH_NAME_MAX_LEN], macs[RTE_ETHER_ADDR_FMT_SIZE], speed[24];
		const char *dev = p->dev != NULL ? sn_netdev_name(p->dev) : "-";
		uint16_t mtu = 0;

		if (!p->valid || (c->has_port && id != c->port))
			continue;
		memset(&info, 0, sizeof(info));
		memset(&link, 0, sizeof(link));
		rte_eth_dev_info_get(id, &info);
		rte_eth_link_get_nowait(id, &link);
		rte_eth_dev_get_mtu(id, &mtu);
		if (rte_eth_dev_get_name_by_port(id, name) != 0)
			snprintf(name, sizeof(name), "?");
		if (rte_eth_macaddr_get(id, &mac) == 0)
			rte_ether_format_addr(macs, sizeof(macs), &mac);
		else
			snprintf(macs, sizeof(macs), "?");
		if (json) {
			printf("%s{\"port\": %u, \"mac\": \"%s\", \"name\": \"%s\", \"device\": \"%s\", "
			       "\"driver\": \"%s\", \"started\": %s, \"link_up\": %s, "
			       "\"speed_mbps\": %u, \"txqs\": %u, \"rxqs\": %u, \"mtu\": %u}",
			       first ? "" : ", ", id, macs, name, p->dev != NULL ? dev : "",
			       info.driver_name ? info.driver_name : "?", p->started ? "true" : "false",
			       link.link_status ? "true" : "false", link.link_speed,
			       info.nb_tx_queues, info.nb_rx_queues, mtu);
			first = false;
			continue;
		}
		if (link.link_speed >= 1000 && link.link_speed != RTE_ETH_SPEED_NUM_UNKNOWN)
			snprintf(speed, sizeof(speed), "%u Gbps", link.link_speed / 1000);
		else
			snprintf(speed, sizeof(speed), "%u Mbps", link.link_speed);
		printf("%-4u %-17s %-16s %-8s %-12s %-6s %-10s %4u %4u %5u\n", id, macs, name, dev,
		       info.driver_name ? info.driver_name : "?",
		       !p->started ? "stop" : link.link_status ? "up" : "down",
		       link.link_status ? speed : "-", info.nb_tx_queues, info.nb_rx_queues, mtu);
	}
	if (json)
		printf("]}\n");
	return 0;
}

static int
app_show_port_more_exec(struct app *app, const struct app_cmd *c, struct app_err *e)
{
	if (c->op == APP_SHOW_PORT_XSTATS)
		return app_show_port_xstats(app, c, e);
	return app_show_port_summary(app, c, e);
}
#endif

static const struct app_cmd_def app_cmd_show_port_more_def = {
	.name = "show",
	.sub = "port",
	.sub3 = "xstats#summary",
	.usage = "show port xstats <port>|all [json] | show port summary [<port>|all] [json]",
	.what = "the driver's extended counters (testpmd's xstats); one line per port",
	.rank = 30,
	.parse = app_show_port_more_parse,
	.exec = APP_CMD_EXEC(app_show_port_more_exec),
};
APP_CMD_REGISTER(app_cmd_show_port_more_def)
