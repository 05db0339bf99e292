/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Commands: port start|stop|config, show port info|stats, clear port stats.
 * `port start` opens the port through the ethdev driver (sn_ethdev_open():
 * one rx queue for receive counting, the txqs asked); `port stop` takes the
 * device down and stops the port but keeps the device, so that `port start`
 * brings it back with its qdiscs; `port config` closes the device and keeps
 * the port (keep_port), to be opened again with the new queue count.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"

#ifndef APP_CMD_PARSE_ONLY
#include <rte_errno.h>
#include <rte_ethdev.h>

#include <sn_ethdev.h>
#include <sn_netdev.h>
#include <sn_qdisc.h>

#include "cli.h"
#include "rx.h"
#endif

enum { APP_PORT_START, APP_PORT_STOP, APP_PORT_CONFIG };
enum { APP_SHOW_PORT_INFO, APP_SHOW_PORT_STATS };

/* ---- grammar ---- */

static int
app_port_parse(struct app_cmd_ctx *c, struct app_cmd *cmd)
{
	const char *w = app_cmd_next(c);
	uint64_t v;

	if (w == NULL)
		return app_cmd_err(c, "missing start, stop or config");
	if (strcmp(w, "start") == 0)
		cmd->op = APP_PORT_START;
	else if (strcmp(w, "stop") == 0)
		cmd->op = APP_PORT_STOP;
	else if (strcmp(w, "config") == 0)
		cmd->op = APP_PORT_CONFIG;
	else
		return app_cmd_err(c, "unknown '%s' (start, stop, config)", w);
	if (app_cmd_port(c, cmd) != 0)
		return -EINVAL;
	if (cmd->op == APP_PORT_CONFIG) {
		if (!app_cmd_accept(c, "txqs"))
			return app_cmd_err(c, app_cmd_peek(c) ? "unknown setting '%s' (txqs)"
							      : "missing 'txqs <n>'%s",
					   app_cmd_peek(c) ? app_cmd_peek(c) : "");
		if (app_cmd_num(c, "txqs", 1, APP_CMD_TXQ_MAX + 1, &v) != 0)
			return -EINVAL;
		cmd->txqs = (uint16_t)v;
	}
	return app_cmd_end(c, NULL);
}

static int
app_show_port_parse(struct app_cmd_ctx *c, struct app_cmd *cmd)
{
	const char *what = app_cmd_next(c);

	if (what == NULL)
		return app_cmd_err(c, "show port: missing info or stats");
	if (strcmp(what, "info") == 0)
		cmd->op = APP_SHOW_PORT_INFO;
	else if (strcmp(what, "stats") == 0)
		cmd->op = APP_SHOW_PORT_STATS;
	else
		return app_cmd_err(c, "show port: unknown '%s' (info or stats)", what);
	if (app_cmd_port(c, cmd) != 0)
		return -EINVAL;
	return app_cmd_end(c, &cmd->json);
}

static int
app_clear_port_parse(struct app_cmd_ctx *c, struct app_cmd *cmd)
{
	if (!app_cmd_accept(c, "stats"))
		return app_cmd_err(c, "clear port: missing 'stats'");
	if (app_cmd_port(c, cmd) != 0)
		return -EINVAL;
	return app_cmd_end(c, NULL);
}

#ifndef APP_CMD_PARSE_ONLY
/* ---- handlers ---- */

/* Free what a stopped port's queue 0 still holds (net_ring keeps mbufs). */
void
app_port_rx_flush(uint16_t id)
{
	struct rte_mbuf *pkts[64];
	uint16_t n;
	int guard = 100000;

	while (guard-- > 0 && (n = rte_eth_rx_burst(id, 0, pkts, RTE_DIM(pkts))) != 0)
		rte_pktmbuf_free_bulk(pkts, n);
}

int
app_port_start(struct app *app, uint16_t id, struct app_err *e)
{
	struct rte_eth_dev_info info;
	struct app_port *p;
	int rc = app_port_get(app, id, false, "port start", e, &p);

	if (rc != 0)
		return rc;
	if (p->started)
		return app_fail(e, -EALREADY, "port start: port %u is already started", id);
	if (p->dev == NULL) {
		/*
		 * The driver configures and starts the port (descriptor counts the
		 * PMD accepts, af_xdp's rules); one rx queue for receive counting.
		 * keep_port: `port config` closes the device, not the port.
		 */
		struct sn_ethdev_conf conf = {
			.nb_txq = p->txqs,
			.nb_rxq = 1,
			.nb_tx_desc = APP_PORT_TX_DESC,
			.nb_rx_desc = APP_PORT_RX_DESC,
			.rx_pool = app->rx_pool,
			.keep_port = true,
		};
		char name[SN_NETDEV_NAMESIZE];

		rc = rte_eth_dev_info_get(id, &info);
		if (rc != 0)
			return app_fail(e, rc, "port start: port %u: no device info: %s", id,
					rte_strerror(-rc));
		if (p->txqs > info.max_tx_queues)
			return app_fail(e, -EINVAL, "port start: port %u: txqs %u is out of range "
					"1..%u (port maximum)", id, p->txqs, info.max_tx_queues);
		snprintf(name, sizeof(name), "port%u", id);
		p->dev = sn_ethdev_open(id, name, &conf);
		if (p->dev == NULL) {
			rc = -rte_errno;
			return app_fail(e, rc, "port start: port %u: %s", id, rte_strerror(-rc));
		}
	} else {
		rc = sn_ethdev_start(p->dev);
		if (rc != 0)
			return app_fail(e, rc, "port start: port %u: %s", id, rte_strerror(-rc));
	}
	p->started = true;
	p->sample_tsc = 0;
	return 0;
}

static int
app_port_stop(struct app *app, uint16_t id, struct app_err *e)
{
	struct app_port *p;
	int rc = app_port_get(app, id, false, "port stop", e, &p);

	if (rc != 0)
		return rc;
	if (!p->started)
		return app_fail(e, -EALREADY, "port stop: port %u is not started", id);
	if (app->running && app->spec.port == id)
		return app_fail(e, -EBUSY, "port stop: the generator is sending on port %u (stop it "
				"first)", id);
	if (app->rx.on && app->rx.port == id)
		app_rx_drain(app, 20);
	/* Down first: queued packets are dropped and counted, nothing reaches the PMD. */
	sn_netdev_down(p->dev, NULL);
	app_port_rx_flush(id);
	rc = sn_ethdev_stop(p->dev, NULL);
	if (rc != 0)
		return app_fail(e, rc, "port stop: port %u: %s", id, rte_strerror(-rc));
	p->started = false;
	return 0;
}

static int
app_port_config(struct app *app, const struct app_cmd *c, struct app_err *e)
{
	struct rte_eth_dev_info info;
	struct app_port *p;
	int rc = app_port_get(app, c->port, false, "port config", e, &p);

	if (rc != 0)
		return rc;
	if (p->started)
		return app_fail(e, -EBUSY, "port config: port %u is started (port stop %u first)",
				c->port, c->port);
	if (rte_eth_dev_info_get(c->port, &info) == 0 && c->txqs > info.max_tx_queues)
		return app_fail(e, -EINVAL, "port config: txqs %u is out of range 1..%u (port %u "
				"maximum)", c->txqs, RTE_MIN(info.max_tx_queues, SN_NETDEV_MAX_TXQ),
				c->port);
	if (p->dev != NULL) {
		/* The device goes with its qdiscs; the counters stay in softnet's totals. */
		sn_ethdev_close(p->dev, NULL);
		p->dev = NULL;
	}
	memset(p->user_qdisc, 0, sizeof(p->user_qdisc));
	p->txqs = c->txqs;
	return 0;
}

static int
app_show_port_info(struct app *app, const struct app_cmd *c, struct app_err *e)
{
	struct rte_eth_dev_info info;
	struct rte_eth_link link;
	struct rte_ether_addr mac;
	char name[RTE_ETH_NAME_MAX_LEN], macs[RTE_ETHER_ADDR_FMT_SIZE];
	struct app_port *p;
	uint16_t mtu = 0;
	int rc = app_port_get(app, c->port, false, "show port info", e, &p);

	if (rc != 0)
		return rc;
	memset(&info, 0, sizeof(info));
	memset(&link, 0, sizeof(link));
	rte_eth_dev_info_get(c->port, &info);
	rte_eth_link_get_nowait(c->port, &link);
	rte_eth_dev_get_mtu(c->port, &mtu);
	if (rte_eth_dev_get_name_by_port(c->port, name) != 0)
		snprintf(name, sizeof(name), "?");
	if (rte_eth_macaddr_get(c->port, &mac) == 0)
		rte_ether_format_addr(macs, sizeof(macs), &mac);
	else
		snprintf(macs, sizeof(macs), "?");
	if (app_cli_json(app, c)) {
		printf("{\"port\": %u, \"name\": \"%s\", \"driver\": \"%s\", \"started\": %s, "
		       "\"link_up\": %s, \"speed_mbps\": %u, \"mtu\": %u, \"mac\": \"%s\", "
		       "\"txqs\": %u, \"max_txqs\": %u, \"socket\": %d}\n",
		       c->port, name, info.driver_name ? info.driver_name : "?",
		       p->started ? "true" : "false", link.link_status ? "true" : "false",
		       link.link_speed, mtu, macs, p->txqs, info.max_tx_queues,
		       rte_eth_dev_socket_id(c->port));
		return 0;
	}
	printf("port %u: %s (driver %s)\n", c->port, name, info.driver_name ? info.driver_name : "?");
	printf("  state      %s, link %s, %u Mbps\n", p->started ? "started" : "stopped",
	       link.link_status ? "up" : "down", link.link_speed);
	printf("  mac        %s, mtu %u, socket %d\n", macs, mtu, rte_eth_dev_socket_id(c->port));
	printf("  txqs       %u (port maximum %u), rxqs 1\n", p->txqs, info.max_tx_queues);
	if (p->dev != NULL) {
		printf("  softnet    device %s, %s\n", sn_netdev_name(p->dev),
		       sn_netdev_is_up(p->dev) ? "up" : "down");
		for (uint16_t q = 0; q < sn_netdev_nb_txq(p->dev); q++) {
			struct sn_qdisc_info qi;

			memset(&qi, 0, sizeof(qi));
			sn_qdisc_info(p->dev, q, &qi);
			printf("  txq %-6u root %s%s\n", q, qi.kind[0] ? qi.kind : "?",
			       p->user_qdisc[q] ? "" : " (default)");
		}
	}
	return 0;
}

static int
app_show_port_stats(struct app *app, const struct app_cmd *c, struct app_err *e)
{
	struct rte_eth_stats st;
	struct app_port *p;
	int rc = app_port_get(app, c->port, false, "show port stats", e, &p);

	if (rc != 0)
		return rc;
	memset(&st, 0, sizeof(st));
	rc = rte_eth_stats_get(c->port, &st);
	if (rc != 0)
		return app_fail(e, rc, "show port stats: port %u: %s", c->port, rte_strerror(-rc));
	if (app_cli_json(app, c)) {
		printf("{\"port\": %u, \"ipackets\": %" PRIu64 ", \"ibytes\": %" PRIu64
		       ", \"imissed\": %" PRIu64 ", \"ierrors\": %" PRIu64 ", \"rx_nombuf\": %" PRIu64
		       ", \"opackets\": %" PRIu64 ", \"obytes\": %" PRIu64 ", \"oerrors\": %" PRIu64
		       ", \"rx_pps\": %.0f, \"rx_bps\": %.0f, \"tx_pps\": %.0f, \"tx_bps\": %.0f}\n",
		       c->port, st.ipackets, st.ibytes, st.imissed, st.ierrors, st.rx_nombuf,
		       st.opackets, st.obytes, st.oerrors, p->ipps, p->ibps, p->opps, p->obps);
		return 0;
	}
	printf("  ######## port %u statistics ########\n", c->port);
	printf("  RX-packets: %-14" PRIu64 " RX-missed: %-10" PRIu64 " RX-bytes: %" PRIu64 "\n",
	       st.ipackets, st.imissed, st.ibytes);
	printf("  RX-errors:  %-14" PRIu64 " RX-nombuf: %" PRIu64 "\n", st.ierrors, st.rx_nombuf);
	printf("  TX-packets: %-14" PRIu64 " TX-errors: %-10" PRIu64 " TX-bytes: %" PRIu64 "\n",
	       st.opackets, st.oerrors, st.obytes);
	printf("  Rates over the last second:\n");
	printf("  RX-pps: %-14.0f RX-bps: %.0f\n", p->ipps, p->ibps);
	printf("  TX-pps: %-14.0f TX-bps: %.0f\n", p->opps, p->obps);
	return 0;
}

static int
app_port_exec(struct app *app, const struct app_cmd *c, struct app_err *e)
{
	switch (c->op) {
	case APP_PORT_START:
		return app_port_start(app, c->port, e);
	case APP_PORT_STOP:
		return app_port_stop(app, c->port, e);
	default:
		return app_port_config(app, c, e);
	}
}

static int
app_show_port_exec(struct app *app, const struct app_cmd *c, struct app_err *e)
{
	if (c->op == APP_SHOW_PORT_INFO)
		return app_show_port_info(app, c, e);
	return app_show_port_stats(app, c, e);
}

static int
app_clear_port_exec(struct app *app, const struct app_cmd *c, struct app_err *e)
{
	struct app_port *p;
	int rc = app_port_get(app, c->port, false, "clear port stats", e, &p);

	if (rc != 0)
		return rc;
	rte_eth_stats_reset(c->port);
	p->sample_tsc = 0;
	p->ipps = p->opps = p->ibps = p->obps = 0;
	return 0;
}
#endif /* APP_CMD_PARSE_ONLY */

static const struct app_cmd_def app_cmd_port_def = {
	.name = "port",
	.words = "start#stop#config",
	.usage = "port start|stop <port> | port config <port> txqs <n>",
	.what = "start or stop a port; set its transmit queue count (while stopped)",
	.rank = 20,
	.parse = app_port_parse,
	.exec = APP_CMD_EXEC(app_port_exec),
};
APP_CMD_REGISTER(app_cmd_port_def)

static const struct app_cmd_def app_cmd_show_port_def = {
	.name = "show",
	.sub = "port",
	.usage = "show port info|stats <port> [json]",
	.what = "a port's state and queues, or its counters and rates",
	.rank = 30,
	.parse = app_show_port_parse,
	.exec = APP_CMD_EXEC(app_show_port_exec),
};
APP_CMD_REGISTER(app_cmd_show_port_def)

static const struct app_cmd_def app_cmd_clear_port_def = {
	.name = "clear",
	.sub = "port",
	.usage = "clear port stats <port>",
	.what = "zero a port's counters",
	.rank = 40,
	.parse = app_clear_port_parse,
	.exec = APP_CMD_EXEC(app_clear_port_exec),
};
APP_CMD_REGISTER(app_cmd_clear_port_def)
