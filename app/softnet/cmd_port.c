/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Commands: port start|stop|config|add, show port info|stats, clear port
 * stats.
 * `port add linerate [rate R] [ring N] [txqs N] [bql on|off] [delay T]` makes
 * a line-rate NIC model (sn_linerate.h) and gives it the next port number: a
 * net_ring vdev receives what leaves the model's wire (its rx counts it,
 * `show port stats` shows it), and the port is started at once; `port
 * stop|start` take the model's device down and up.
 * `port start` opens the port through the ethdev driver (sn_ethdev_open():
 * one rx queue for receive counting, the txqs asked); `port stop` takes the
 * device down and stops the port but keeps the device, so that `port start`
 * brings it back with its qdiscs; `port config` closes the device and keeps
 * the port (keep_port), to be opened again with the new queue count.
 */

#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

#ifndef APP_CMD_PARSE_ONLY
#include <rte_errno.h>
#include <rte_ethdev.h>

#include <rte_bus_vdev.h>

#include <sn_dql.h>
#include <sn_ethdev.h>
#include <sn_linerate.h>
#include <sn_netdev.h>
#include <sn_qdisc.h>
#include <sn_softnet.h>

#include "cli.h"
#include "rx.h"
#endif

enum { APP_PORT_START, APP_PORT_STOP, APP_PORT_CONFIG, APP_PORT_ADD };

/*
 * The model's defaults and bounds, for the grammar, which is built without
 * the library's headers too (APP_CMD_PARSE_ONLY); checked against
 * sn_linerate.h below.
 */
#define APP_LR_RATE_DEFAULT 10000000000ull
#define APP_LR_RING_DEFAULT 1024u
#define APP_LR_RING_MAX 65536u
#ifndef APP_CMD_PARSE_ONLY
static_assert(APP_LR_RATE_DEFAULT == SN_LINERATE_RATE_DEFAULT, "sn_linerate.h");
static_assert(APP_LR_RING_DEFAULT == SN_LINERATE_RING_DEFAULT, "sn_linerate.h");
static_assert(APP_LR_RING_MAX == SN_LINERATE_RING_MAX, "sn_linerate.h");
#endif

/* `port add linerate` settings (the words after `linerate`). */
struct app_linerate_opts {
	uint64_t rate_bps;
	uint64_t ring;
	uint64_t txqs;
	bool bql;
	uint64_t delay_ns;
};

/*
 * Read `port add linerate` words into @o (defaults first): shared by the
 * grammar (errors at parse time) and the handler. No DPDK call.
 * @return 0, or -EINVAL with @err set.
 */
static int
app_linerate_opts(const char *const *w, int n, struct app_linerate_opts *o, char *err,
		  size_t errlen)
{
	*o = (struct app_linerate_opts){ .rate_bps = APP_LR_RATE_DEFAULT,
					 .ring = APP_LR_RING_DEFAULT, .txqs = 1, .bql = true };
	for (int i = 0; i < n; i++) {
		const char *k = w[i], *v = i + 1 < n ? w[i + 1] : NULL;
		double bits;

		if (v == NULL) {
			snprintf(err, errlen, "'%s' needs a value", k);
			return -EINVAL;
		}
		i++;
		if (strcmp(k, "rate") == 0) {
			if (app_str_tc_rate(v, &bits) != 0 || bits < 1000 || bits > 1e13) {
				snprintf(err, errlen, "bad rate '%s' (tc's units: 10gbit, 100mbit)", v);
				return -EINVAL;
			}
			o->rate_bps = (uint64_t)bits;
		} else if (strcmp(k, "ring") == 0) {
			if (app_str_u64(v, &o->ring) != 0 || o->ring == 0 ||
			    o->ring > APP_LR_RING_MAX) {
				snprintf(err, errlen, "ring '%s' is out of range 1..%u", v,
					 APP_LR_RING_MAX);
				return -EINVAL;
			}
		} else if (strcmp(k, "txqs") == 0) {
			if (app_str_u64(v, &o->txqs) != 0 || o->txqs == 0 ||
			    o->txqs > APP_CMD_TXQ_MAX + 1) {
				snprintf(err, errlen, "txqs '%s' is out of range 1..%u", v,
					 APP_CMD_TXQ_MAX + 1);
				return -EINVAL;
			}
		} else if (strcmp(k, "bql") == 0) {
			if (strcmp(v, "on") != 0 && strcmp(v, "off") != 0) {
				snprintf(err, errlen, "bql takes on or off, not '%s'", v);
				return -EINVAL;
			}
			o->bql = strcmp(v, "on") == 0;
		} else if (strcmp(k, "delay") == 0) {
			/* Completion delay: a number of microseconds, or with us/ms. */
			char *end;
			double d = strtod(v, &end);

			if (end == v || d < 0 || d > 1e6 ||
			    (*end != '\0' && strcmp(end, "us") != 0 && strcmp(end, "ms") != 0)) {
				snprintf(err, errlen, "bad delay '%s' (microseconds, or 200us, 1ms)", v);
				return -EINVAL;
			}
			o->delay_ns = (uint64_t)(d * (strcmp(end, "ms") == 0 ? 1e6 : 1e3));
		} else {
			snprintf(err, errlen, "unknown setting '%s' (rate, ring, txqs, bql, delay)", k);
			return -EINVAL;
		}
	}
	return 0;
}
enum { APP_SHOW_PORT_INFO, APP_SHOW_PORT_STATS };

/* ---- grammar ---- */

static int
app_port_parse(struct app_cmd_ctx *c, struct app_cmd *cmd)
{
	const char *w = app_cmd_next(c);
	uint64_t v;

	if (w == NULL)
		return app_cmd_err(c, "missing start, stop, config or add");
	if (strcmp(w, "add") == 0) {
		struct app_linerate_opts o;
		char err[128];

		cmd->op = APP_PORT_ADD;
		w = app_cmd_next(c);
		if (w == NULL || strcmp(w, "linerate") != 0)
			return app_cmd_err(c, "port add: missing 'linerate' (the only kind)");
		cmd->nb_words = app_cmd_rest(c, cmd->words, APP_CMD_TOKENS_MAX);
		if (cmd->nb_words < 0)
			return app_cmd_err(c, "port add: too many words");
		if (app_linerate_opts(cmd->words, cmd->nb_words, &o, err, sizeof(err)) != 0)
			return app_cmd_err(c, "port add linerate: %s", err);
		return 0;
	}
	if (strcmp(w, "start") == 0)
		cmd->op = APP_PORT_START;
	else if (strcmp(w, "stop") == 0)
		cmd->op = APP_PORT_STOP;
	else if (strcmp(w, "config") == 0)
		cmd->op = APP_PORT_CONFIG;
	else
		return app_cmd_err(c, "unknown '%s' (start, stop, config, add)", w);
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
		return app_cmd_err(c, "show port: missing info, stats, xstats or summary");
	if (strcmp(what, "info") == 0)
		cmd->op = APP_SHOW_PORT_INFO;
	else if (strcmp(what, "stats") == 0)
		cmd->op = APP_SHOW_PORT_STATS;
	else
		return app_cmd_err(c, "show port: unknown '%s' (info, stats, xstats or summary)", what);
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
	if (sn_is_linerate(p->dev)) {
		/* The model: its device comes up again with its qdiscs. */
		rc = sn_netdev_up(p->dev);
		if (rc != 0)
			return app_fail(e, rc, "port start: port %u: %s", id, rte_strerror(-rc));
	} else if (p->dev == NULL) {
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
	/* The receive lcore lets go of the port's queue (rx mode, responder). */
	app_rx_port_off(app, id);
	/* Down first: queued packets are dropped and counted, nothing reaches the PMD. */
	sn_netdev_down(p->dev, NULL);
	app_port_rx_flush(id);
	if (sn_is_linerate(p->dev)) {
		/* The model's ring drains by itself; its net_ring port stays started. */
		p->started = false;
		return 0;
	}
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
	if (sn_is_linerate(p->dev))
		return app_fail(e, -EINVAL, "port config: port %u is a line-rate model: its queues "
				"are set by 'port add linerate ... txqs <n>'", c->port);
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

/*
 * `port add linerate ...`: a net_ring vdev takes the next port number and
 * receives what leaves the model's wire (a net_ring port's transmit ring is
 * its own receive ring), so the session's receive counting and `show port
 * stats` see the frames; the model is its softnet device, up at once.
 */
static int
app_port_add(struct app *app, const struct app_cmd *c, struct app_err *e)
{
	struct rte_eth_conf pconf;
	struct sn_linerate_conf conf;
	struct app_linerate_opts o;
	char vname[RTE_ETH_NAME_MAX_LEN], name[SN_NETDEV_NAMESIZE], err[128];
	struct app_port *p;
	uint16_t id;
	int rc;

	if (app_linerate_opts(c->words, c->nb_words, &o, err, sizeof(err)) != 0)
		return app_fail(e, -EINVAL, "port add linerate: %s", err);
	for (unsigned int k = 0;; k++) {
		snprintf(vname, sizeof(vname), "net_ring_lr%u", k);
		if (rte_eth_dev_get_port_by_name(vname, &id) != 0)
			break;
		if (k > APP_MAX_PORTS)
			return app_fail(e, -ENOSPC, "port add linerate: no free vdev name");
	}
	rc = rte_vdev_init(vname, NULL);
	if (rc != 0)
		return app_fail(e, rc, "port add linerate: %s: %s", vname, rte_strerror(-rc));
	rc = rte_eth_dev_get_port_by_name(vname, &id);
	if (rc != 0 || id >= APP_MAX_PORTS) {
		rte_vdev_uninit(vname);
		return app_fail(e, -ENOSPC, "port add linerate: no port number left (at most %u)",
				APP_MAX_PORTS);
	}
	memset(&pconf, 0, sizeof(pconf));
	rc = rte_eth_dev_configure(id, 1, 1, &pconf);
	if (rc == 0)
		rc = rte_eth_rx_queue_setup(id, 0, APP_PORT_RX_DESC, rte_eth_dev_socket_id(id), NULL,
					    app->rx_pool);
	if (rc == 0)
		rc = rte_eth_tx_queue_setup(id, 0, APP_PORT_TX_DESC, rte_eth_dev_socket_id(id), NULL);
	if (rc == 0)
		rc = rte_eth_dev_start(id);
	if (rc != 0)
		goto uninit;
	memset(&conf, 0, sizeof(conf));
	conf.rate_bps = o.rate_bps;
	conf.ring_size = (uint32_t)o.ring;
	conf.nb_txq = (uint16_t)o.txqs;
	conf.no_bql = !o.bql;
	conf.completion_delay_ns = o.delay_ns;
	conf.to_port = true;
	conf.port_id = id;
	snprintf(name, sizeof(name), "port%u", id);
	p = &app->ports[id];
	p->dev = sn_linerate_create(name, &conf);
	if (p->dev == NULL) {
		rc = -rte_errno;
		rte_eth_dev_stop(id);
		goto uninit;
	}
	p->valid = true;
	p->started = true;
	p->txqs = (uint16_t)o.txqs;
	p->sample_tsc = 0;
	memset(p->user_qdisc, 0, sizeof(p->user_qdisc));
	printf("port %u: line-rate model %" PRIu64 " bit/s, %u x %" PRIu64 " descriptors, BQL %s "
	       "(frames leaving the wire arrive on %s)\n", id, o.rate_bps, p->txqs, o.ring,
	       o.bql ? "on" : "off", vname);
	return 0;

uninit:
	rte_eth_dev_close(id);
	rte_vdev_uninit(vname);
	return app_fail(e, rc, "port add linerate: %s", rte_strerror(-rc));
}

/*
 * The line-rate models' "interrupt": advance every model port, started or
 * not, on the calling lcore (frames leave the wire, completions reach BQL,
 * stopped queues wake). Meant for the session's idle loop (app_cli_poll); the
 * generator lcores poll the port they send on. @return how many ports had
 * completions.
 */
unsigned int
app_port_poll_models(struct app *app)
{
	struct sn_softnet *sd = sn_softnet_current();
	unsigned int work = 0;

	if (sd == NULL)
		return 0;
	for (uint16_t id = 0; id < APP_MAX_PORTS; id++) {
		struct app_port *p = &app->ports[id];

		if (sn_is_linerate(p->dev))
			work += sn_linerate_poll(sd, p->dev) > 0;
	}
	return work;
}

/* The model's own counters and BQL, per queue (`show port info|stats`). */
static void
app_show_linerate(const struct app_port *p, bool json)
{
	for (uint16_t q = 0; q < sn_netdev_nb_txq(p->dev); q++) {
		struct sn_linerate_stats ls;
		struct sn_bql_info bi;

		if (sn_linerate_stats(p->dev, q, &ls) != 0 || sn_netdev_txq_bql(p->dev, q, &bi) != 0)
			continue;
		if (json) {
			printf("%s{\"txq\": %u, \"accepted\": %" PRIu64 ", \"departed\": %" PRIu64
			       ", \"completed\": %" PRIu64 ", \"dropped\": %" PRIu64
			       ", \"port_refused\": %" PRIu64 ", \"in_ring\": %u, \"on_wire\": %u"
			       ", \"stops\": %" PRIu64 ", \"wakes\": %" PRIu64 ", \"bql\": %s"
			       ", \"bql_limit\": %u, \"bql_inflight\": %u, \"bql_stops\": %" PRIu64
			       "}", q ? ", " : "", q, ls.accepted, ls.departed, ls.completed, ls.dropped,
			       ls.port_refused, ls.in_ring, ls.on_wire, ls.stops, ls.wakes,
			       bi.enabled ? "true" : "false", bi.limit, bi.inflight, bi.stops);
			continue;
		}
		printf("  txq %-6u ring %u used, %u on the wire; accepted %" PRIu64 ", departed %"
		       PRIu64 ", completed %" PRIu64 ", dropped %" PRIu64 ", refused by port %"
		       PRIu64 "; driver stops %" PRIu64 " wakes %" PRIu64 "\n", q, ls.in_ring,
		       ls.on_wire, ls.accepted, ls.departed, ls.completed, ls.dropped,
		       ls.port_refused, ls.stops, ls.wakes);
		if (bi.enabled)
			printf("             BQL limit %u B, inflight %u B, stopped by BQL %" PRIu64
			       " times%s\n", bi.limit, bi.inflight, bi.stops,
			       bi.stopped ? " (stopped now)" : "");
		else
			printf("             BQL off\n");
	}
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
		if (sn_is_linerate(p->dev)) {
			printf("  linerate   %" PRIu64 " bit/s\n", sn_linerate_rate(p->dev));
			app_show_linerate(p, false);
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
		if (sn_is_linerate(p->dev)) {
			/* The model's counters: a second object on the next line. */
			printf("{\"port\": %u, \"linerate_bps\": %" PRIu64 ", \"txqs\": [",
			       c->port, sn_linerate_rate(p->dev));
			app_show_linerate(p, true);
			printf("]}\n");
		}
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
	if (sn_is_linerate(p->dev)) {
		printf("  Line-rate model, %" PRIu64 " bit/s (the port's TX is what left the "
		       "wire):\n", sn_linerate_rate(p->dev));
		app_show_linerate(p, false);
	}
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
	case APP_PORT_ADD:
		return app_port_add(app, c, e);
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
	app_port_stats_cleared(c->port);
	p->sample_tsc = 0;
	p->ipps = p->opps = p->ibps = p->obps = 0;
	return 0;
}
#endif /* APP_CMD_PARSE_ONLY */

static const struct app_cmd_def app_cmd_port_def = {
	.name = "port",
	.words = "start#stop#config#add",
	.usage = "port start|stop <port>|all | port config <port>|all txqs <n> | "
		 "port add linerate [rate <rate>] [ring <n>] [txqs <n>] [bql on|off] [delay <us>]",
	.what = "start or stop a port; set its transmit queue count (while stopped); add a "
		"line-rate NIC model (docs/bql.md)",
	.rank = 20,
	.parse = app_port_parse,
	.exec = APP_CMD_EXEC(app_port_exec),
};
APP_CMD_REGISTER(app_cmd_port_def)

static const struct app_cmd_def app_cmd_show_port_def = {
	.name = "show",
	.sub = "port",
	.usage = "show port info|stats <port>|all [json]",
	.what = "a port's state and queues, or its counters and rates",
	.rank = 30,
	.parse = app_show_port_parse,
	.exec = APP_CMD_EXEC(app_show_port_exec),
};
APP_CMD_REGISTER(app_cmd_show_port_def)

static const struct app_cmd_def app_cmd_clear_port_def = {
	.name = "clear",
	.sub = "port",
	.usage = "clear port stats <port>|all",
	.what = "zero a port's counters",
	.rank = 40,
	.parse = app_clear_port_parse,
	.exec = APP_CMD_EXEC(app_clear_port_exec),
};
APP_CMD_REGISTER(app_cmd_clear_port_def)
