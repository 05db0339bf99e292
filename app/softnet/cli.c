/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Command mode: the session (ports, qdiscs, generator, receive counting)
 * and the executor of parsed commands. Every command checks everything it
 * needs before it changes anything, and reports one line on error.
 */

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>

#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include <sn_ethdev.h>
#include <sn_netdev.h>
#include <sn_qdisc.h>
#include <sn_softnet.h>

#include "cli.h"
#include "rx.h"
#include "stats.h"
#include "summary.h"

#define APP_CLI_TX_DESC 1024
#define APP_CLI_RX_DESC 1024
#define APP_CLI_RX_POOL 4095
/* On-wire bytes a frame costs beyond its length: FCS 4, preamble 8, gap 12. */
#define APP_WIRE_OVERHEAD 24
#define APP_DEFAULT_VDEV "net_null0"

static volatile int app_cli_signalled;

static void
app_cli_on_signal(int sig __rte_unused)
{
	app_cli_signalled = 1;
	app_gen_stop();
}

bool
app_cli_quitting(const struct app *app)
{
	return app->quit || app_cli_signalled;
}

/* ---- errors ---- */

struct app_err {
	char msg[APP_CMD_ERR_SIZE];
};

static int __attribute__((format(printf, 3, 4)))
app_fail(struct app_err *e, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return rc;
}

/* ---- ports ---- */

static int
app_port_get(struct app *app, uint16_t id, bool need_started, const char *cmd,
	     struct app_err *e, struct app_port **out)
{
	char list[128] = "";
	size_t off = 0;

	if (id >= APP_MAX_PORTS || !app->ports[id].valid) {
		for (uint16_t i = 0; i < APP_MAX_PORTS; i++) {
			if (!app->ports[i].valid)
				continue;
			int n = snprintf(list + off, sizeof(list) - off, "%s%u", off ? ", " : "", i);

			if (n > 0 && (size_t)n < sizeof(list) - off)
				off += (size_t)n;
		}
		return app_fail(e, -ENODEV, "%s: no port %u (ports: %s) (usage: %s)", cmd, id,
				off ? list : "none", app_cmd_usage(strncmp(cmd, "qdisc", 5) == 0 ? "qdisc" :
							    strncmp(cmd, "show", 4) == 0 ? "show" :
							    strncmp(cmd, "clear", 5) == 0 ? "clear" :
							    strncmp(cmd, "set", 3) == 0 ? "set" :
							    strncmp(cmd, "rx", 2) == 0 ? "rx" : "port"));
	}
	if (need_started && app->ports[id].dev == NULL)
		return app_fail(e, -ENETDOWN, "%s: port %u was never started (port start %u)", cmd,
				id, id);
	*out = &app->ports[id];
	return 0;
}

static int
app_port_configure(struct app *app, uint16_t id, struct app_err *e)
{
	struct app_port *p = &app->ports[id];
	struct rte_eth_conf conf;
	struct rte_eth_dev_info info;
	int socket = rte_eth_dev_socket_id(id);
	int rc;

	if (socket < 0)
		socket = (int)rte_socket_id();
	rc = rte_eth_dev_info_get(id, &info);
	if (rc != 0)
		return app_fail(e, rc, "port %u: no device info: %s", id, rte_strerror(-rc));
	if (p->txqs > info.max_tx_queues)
		return app_fail(e, -EINVAL, "port %u: txqs %u is out of range 1..%u (port maximum)",
				id, p->txqs, info.max_tx_queues);
	memset(&conf, 0, sizeof(conf));
	rc = rte_eth_dev_configure(id, 1, p->txqs, &conf);
	if (rc != 0)
		return app_fail(e, rc, "port %u: configure: %s", id, rte_strerror(-rc));
	rc = rte_eth_rx_queue_setup(id, 0, APP_CLI_RX_DESC, (unsigned int)socket, NULL, app->rx_pool);
	if (rc != 0)
		return app_fail(e, rc, "port %u: rx queue: %s", id, rte_strerror(-rc));
	for (uint16_t q = 0; q < p->txqs; q++) {
		rc = rte_eth_tx_queue_setup(id, q, APP_CLI_TX_DESC, (unsigned int)socket, NULL);
		if (rc != 0)
			return app_fail(e, rc, "port %u: tx queue %u: %s", id, q, rte_strerror(-rc));
	}
	p->configured = true;
	return 0;
}

/* Free what a stopped port's queue 0 still holds (net_ring keeps mbufs). */
static void
app_port_rx_flush(uint16_t id)
{
	struct rte_mbuf *pkts[64];
	uint16_t n;
	int guard = 100000;

	while (guard-- > 0 && (n = rte_eth_rx_burst(id, 0, pkts, RTE_DIM(pkts))) != 0)
		rte_pktmbuf_free_bulk(pkts, n);
}

static int
app_port_start(struct app *app, uint16_t id, struct app_err *e)
{
	struct app_port *p;
	int rc = app_port_get(app, id, false, "port start", e, &p);

	if (rc != 0)
		return rc;
	if (p->started)
		return app_fail(e, -EALREADY, "port start: port %u is already started", id);
	if (!p->configured && (rc = app_port_configure(app, id, e)) != 0)
		return rc;
	rc = rte_eth_dev_start(id);
	if (rc != 0)
		return app_fail(e, rc, "port start: port %u: %s", id, rte_strerror(-rc));
	if (p->dev == NULL) {
		char name[SN_NETDEV_NAMESIZE];

		snprintf(name, sizeof(name), "port%u", id);
		p->dev = sn_ethdev_attach(id, name, p->txqs);
		if (p->dev == NULL) {
			rc = -rte_errno;
			rte_eth_dev_stop(id);
			return app_fail(e, rc, "port start: port %u: softnet device: %s", id,
					rte_strerror(-rc));
		}
	} else {
		sn_netdev_up(p->dev);
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
	rte_eth_dev_stop(id);
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
	p->configured = false;
	return 0;
}

/* ---- output helpers ---- */

/* Every counter of the session: softnet, all qdiscs, generators of all runs. */
static void
app_cli_snapshot(struct app *app, struct app_snapshot *s)
{
	memset(s, 0, sizeof(*s));
	s->tsc = rte_get_timer_cycles();
	sn_softnet_stats_sum(&s->sn);
	for (uint16_t id = 0; id < APP_MAX_PORTS; id++) {
		struct sn_netdev *dev = app->ports[id].dev;

		if (dev == NULL)
			continue;
		for (uint16_t q = 0; q < sn_netdev_nb_txq(dev); q++) {
			struct sn_qdisc_info info;

			memset(&info, 0, sizeof(info));
			if (sn_qdisc_info(dev, q, &info) != 0 && info.kind[0] == '\0')
				continue;
			app_qdisc_add(&s->qdisc, &info.stats);
			app_qdisc_add(&s->qdisc, &info.retired);
		}
	}
	s->queued = s->qdisc.qstats.qlen;
	if (app->spec.port < APP_MAX_PORTS && app->ports[app->spec.port].valid)
		s->eth_ok = rte_eth_stats_get(app->spec.port, &s->eth) == 0;
	s->handed = app->base_handed;
	s->accepted = app->base_accepted;
	s->alloc_fail = app->base_alloc_fail;
	for (unsigned int i = 0; app->running && app->gens != NULL && i < app->nb_gens; i++) {
		s->handed += __atomic_load_n(&app->gens[i].handed, __ATOMIC_RELAXED);
		s->accepted += __atomic_load_n(&app->gens[i].accepted, __ATOMIC_RELAXED);
		s->alloc_fail += __atomic_load_n(&app->gens[i].alloc_fail, __ATOMIC_RELAXED);
	}
}

static void
app_print_accounting(struct app *app)
{
	struct app_snapshot s;
	bool ok;

	app_cli_snapshot(app, &s);
	ok = s.handed == s.sn.sent + s.sn.dropped + s.queued;
	if (app->json_out)
		printf("{\"accounting\": {\"generated\": %" PRIu64 ", \"sent\": %" PRIu64
		       ", \"dropped\": %" PRIu64 ", \"queued\": %" PRIu64 ", \"ok\": %s}}\n",
		       s.handed, s.sn.sent, s.sn.dropped, s.queued, ok ? "true" : "false");
	else
		printf("accounting: generated %" PRIu64 " = sent %" PRIu64 " + dropped %" PRIu64
		       " + queued %" PRIu64 ": %s\n", s.handed, s.sn.sent, s.sn.dropped, s.queued,
		       ok ? "OK" : "MISMATCH");
}

/* ---- qdisc ---- */

static const char *
app_qdisc_errstr(int rc)
{
	switch (rc) {
	case -EOPNOTSUPP:
		return "this kind cannot take these parameters (nolock: pfifo_fast, pfifo)";
	case -EINVAL:
		return "parameter out of range for this kind";
	case -ENOENT:
		return "unknown qdisc kind";
	case -ENOMEM:
		return "out of memory";
	default:
		return strerror(-rc);
	}
}

static int
app_cli_qdisc(struct app *app, const struct app_cmd *c, struct app_err *e)
{
	const char *verb = c->id == APP_CMD_QDISC_ADD ? "qdisc add" :
			   c->id == APP_CMD_QDISC_DEL ? "qdisc del" : "qdisc replace";
	struct sn_qdisc_params prm;
	struct app_port *p;
	uint16_t nb, q0, q1;
	int rc = app_port_get(app, c->port, true, verb, e, &p);

	if (rc != 0)
		return rc;
	nb = sn_netdev_nb_txq(p->dev);
	if (c->has_txq && c->txq >= nb)
		return app_fail(e, -EINVAL, "%s: txq %u is out of range 0..%u (port %u has %u txq%s) "
				"(usage: %s)", verb, c->txq, nb - 1, c->port, nb, nb == 1 ? "" : "s",
				app_cmd_usage("qdisc"));
	q0 = c->has_txq ? c->txq : 0;
	q1 = c->has_txq ? c->txq : (uint16_t)(nb - 1);
	for (uint16_t q = q0; q <= q1; q++) {
		if (c->id == APP_CMD_QDISC_ADD && p->user_qdisc[q])
			return app_fail(e, -EEXIST, "%s: port %u txq %u already has a root qdisc "
					"(use replace, or del it first)", verb, c->port, q);
		if (c->id == APP_CMD_QDISC_DEL && !p->user_qdisc[q])
			return app_fail(e, -ENOENT, "%s: port %u txq %u has no added qdisc (the "
					"default pfifo_fast cannot be deleted)", verb, c->port, q);
	}
	memset(&prm, 0, sizeof(prm));
	prm.limit = c->qdisc.limit;
	memcpy(prm.priomap, c->qdisc.priomap, sizeof(prm.priomap));
	prm.has_priomap = c->qdisc.has_priomap;
	prm.no_bypass = c->qdisc.no_bypass;
	prm.no_busylock = c->qdisc.no_busylock;
	prm.nolock = c->qdisc.nolock;
	prm.defer_list = c->qdisc.defer_list;
	for (uint16_t q = q0; q <= q1; q++) {
		if (c->id == APP_CMD_QDISC_DEL)
			rc = sn_qdisc_delete(p->dev, q, NULL);
		else
			rc = sn_qdisc_replace(p->dev, q, c->qdisc.kind, &prm, NULL);
		if (rc != 0) {
			if (q == q0)
				return app_fail(e, rc, "%s: port %u txq %u: %s (nothing changed)", verb,
						c->port, q, app_qdisc_errstr(rc));
			return app_fail(e, rc, "%s: port %u txq %u: %s (txq %u..%u were changed)",
					verb, c->port, q, app_qdisc_errstr(rc), q0, q - 1);
		}
		p->user_qdisc[q] = c->id != APP_CMD_QDISC_DEL;
	}
	return 0;
}

static void
app_show_one_qdisc(struct app *app, uint16_t id, uint16_t q, bool json)
{
	struct app_port *p = &app->ports[id];
	struct sn_qdisc_info info;
	const struct sn_qdisc_stats *st = &info.stats;
	char params[160] = "";
	size_t off = 0;
	int rc;

	memset(&info, 0, sizeof(info));
	rc = sn_qdisc_info(p->dev, q, &info);
	if (rc != 0 && info.kind[0] == '\0')
		return;
	if (strcmp(info.kind, "bfifo") == 0)
		off += (size_t)snprintf(params + off, sizeof(params) - off, " limit %ub",
					info.params.limit);
	else if (strcmp(info.kind, "noqueue") != 0)
		off += (size_t)snprintf(params + off, sizeof(params) - off, " limit %up",
					info.params.limit);
	if (strcmp(info.kind, "pfifo_fast") == 0) {
		off += (size_t)snprintf(params + off, sizeof(params) - off, " bands 3 priomap");
		for (int b = 0; b < SN_PRIO_COUNT && off < sizeof(params); b++)
			off += (size_t)snprintf(params + off, sizeof(params) - off, " %u",
						info.params.has_priomap ? info.params.priomap[b] :
						(unsigned int)"\1\2\2\2\1\2\0\0\1\1\1\1\1\1\1\1"[b]);
	}
	if (json) {
		printf("{\"port\": %u, \"txq\": %u, \"kind\": \"%s\", \"handle\": \"%s\", "
		       "\"state\": \"%s\", \"limit\": %u, \"nobypass\": %s, \"nolock\": %s, "
		       "\"deferlist\": %s, \"nobusylock\": %s, "
		       "\"bytes\": %" PRIu64 ", \"packets\": %" PRIu64 ", \"drops\": %" PRIu64
		       ", \"overlimits\": %" PRIu64 ", \"requeues\": %" PRIu64 ", \"backlog\": %" PRIu64
		       ", \"qlen\": %" PRIu64 ", \"retired\": {\"bytes\": %" PRIu64 ", \"packets\": %"
		       PRIu64 ", \"drops\": %" PRIu64 ", \"requeues\": %" PRIu64 "}}\n",
		       id, q, info.kind, p->user_qdisc[q] ? "8001:" : "0:",
		       rc == -ENETDOWN ? "down" : "active", info.params.limit,
		       info.params.no_bypass ? "true" : "false", info.params.nolock ? "true" : "false",
		       info.params.defer_list ? "true" : "false",
		       info.params.no_busylock ? "true" : "false", st->bstats.bytes,
		       st->bstats.packets, st->qstats.drops, st->qstats.overlimits,
		       st->qstats.requeues, st->qstats.backlog, st->qstats.qlen,
		       info.retired.bstats.bytes, info.retired.bstats.packets,
		       info.retired.qstats.drops, info.retired.qstats.requeues);
		return;
	}
	printf("qdisc %s %s dev %u txq %u root%s%s%s%s%s%s\n", info.kind,
	       p->user_qdisc[q] ? "8001:" : "0:", id, q, params,
	       info.params.no_bypass ? " nobypass" : "", info.params.nolock ? " nolock" : "",
	       info.params.defer_list ? " deferlist" : "",
	       info.params.no_busylock ? " nobusylock" : "", rc == -ENETDOWN ? " (down)" : "");
	printf(" Sent %" PRIu64 " bytes %" PRIu64 " pkt (dropped %" PRIu64 ", overlimits %" PRIu64
	       " requeues %" PRIu64 ")\n", st->bstats.bytes, st->bstats.packets, st->qstats.drops,
	       st->qstats.overlimits, st->qstats.requeues);
	printf(" backlog %" PRIu64 "b %" PRIu64 "p requeues %" PRIu64 "\n", st->qstats.backlog,
	       st->qstats.qlen, st->qstats.requeues);
	if (info.retired.bstats.packets != 0 || info.retired.qstats.drops != 0)
		printf(" replaced qdiscs: Sent %" PRIu64 " bytes %" PRIu64 " pkt (dropped %" PRIu64
		       ", requeues %" PRIu64 ")\n", info.retired.bstats.bytes,
		       info.retired.bstats.packets, info.retired.qstats.drops,
		       info.retired.qstats.requeues);
}

static int
app_show_qdisc(struct app *app, const struct app_cmd *c, struct app_err *e)
{
	bool json = c->json || app->json_out;
	struct app_port *p;

	if (c->has_port) {
		int rc = app_port_get(app, c->port, true, "show qdisc", e, &p);

		if (rc != 0)
			return rc;
	}
	for (uint16_t id = 0; id < APP_MAX_PORTS; id++) {
		if (app->ports[id].dev == NULL || (c->has_port && id != c->port))
			continue;
		for (uint16_t q = 0; q < sn_netdev_nb_txq(app->ports[id].dev); q++)
			app_show_one_qdisc(app, id, q, json);
	}
	return 0;
}

/* ---- show softnet, port ---- */

static void
app_show_softnet(struct app *app, bool json)
{
	static const char *const hdr = "lcore   processed        sent     dropped time_squeeze "
				       "cpu_collision   busylock   requeued     bypass  qdisc_runs";
	struct sn_softnet_stats t;
	unsigned int lcore;
	bool first = true;

	RTE_SET_USED(app);
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
	if (c->json || app->json_out) {
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
	if (c->json || app->json_out) {
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

/* ---- generator ---- */

static void
app_show_gen(struct app *app, bool json)
{
	const struct app_gen_spec *g = &app->spec;
	char rate[48], sizes[256] = "", prios[64] = "", f[APP_GF_NB][48];
	size_t off = 0;

	app_rate_format(&g->rate, rate, sizeof(rate));
	for (uint32_t i = 0; i < g->size.n && off < sizeof(sizes); i++) {
		if (g->size.n == 1)
			off += (size_t)snprintf(sizes + off, sizeof(sizes) - off, "%u", g->size.size[0]);
		else
			off += (size_t)snprintf(sizes + off, sizeof(sizes) - off, "%s%u:%u",
						i ? "," : "imix ", g->size.size[i], g->size.weight[i]);
	}
	off = 0;
	for (uint32_t i = 0; i < g->nb_prio && off < sizeof(prios); i++)
		off += (size_t)snprintf(prios + off, sizeof(prios) - off, "%s%u", i ? "," : "",
					g->prio[i]);
	for (int i = 0; i < APP_GF_NB; i++)
		app_field_spec_format((enum app_gen_field)i, &g->field[i], f[i], sizeof(f[i]));
	if (json) {
		struct app_snapshot s;

		app_cli_snapshot(app, &s);
		printf("{\"gen\": {\"running\": %s, \"port\": %u, \"lcores\": %u, \"size\": \"%s\", "
		       "\"rate\": \"%s\", \"count\": %" PRIu64 ", \"duration\": %.3f, \"burst\": %u, "
		       "\"prio\": \"%s\", \"mac-src\": \"%s\", \"mac-dst\": \"%s\", \"ip-src\": \"%s\", "
		       "\"ip-dst\": \"%s\", \"sport\": \"%s\", \"dport\": \"%s\", \"runs\": %" PRIu64
		       ", \"generated\": %" PRIu64 "}}\n",
		       app->running ? "true" : "false", g->port, g->lcores, sizes, rate, g->count,
		       g->duration, g->burst, prios, f[0], f[1], f[2], f[3], f[4], f[5], app->runs,
		       s.handed);
		return;
	}
	printf("generator: %s on port %u, %u lcore(s)%s\n", app->running ? "running" : "idle",
	       g->port, g->lcores ? g->lcores : rte_lcore_count() - 1,
	       g->lcores ? "" : " (every worker)");
	printf("  size       %s\n  rate       %s\n", sizes, rate);
	printf("  count      %" PRIu64 "%s\n  duration   %.3f s%s\n  burst      %u\n", g->count,
	       g->count ? "" : " (no limit)", g->duration, g->duration > 0 ? "" : " (no limit)",
	       g->burst);
	printf("  prio       %s\n", prios);
	for (int i = 0; i < APP_GF_NB; i++)
		printf("  %-10s %s\n", app_gen_field_names[i], f[i]);
}

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

/* The asked rate in packets per second (rounded), or 0 for "max". */
static int
app_rate_pps(struct app *app, uint64_t *pps, struct app_err *e)
{
	const struct app_rate *r = &app->spec.rate;
	double avg = (double)app_avg_size_x1000(&app->spec.size) / 1000.0, v = 0;
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

static int
app_cli_start(struct app *app, struct app_err *e)
{
	struct app_gen_spec *g = &app->spec;
	unsigned int workers = rte_lcore_count() - 1, n, lcore, i = 0;
	struct app_opts tmp = app->opts;
	struct app_port *p;
	uint16_t mtu = RTE_ETHER_MTU;
	uint32_t maxsize = 0, room;
	uint64_t pps = 0;
	int rc;

	if (app->running)
		return app_fail(e, -EBUSY, "start: the generator is already running (stop first)");
	rc = app_port_get(app, g->port, true, "start", e, &p);
	if (rc != 0)
		return rc;
	if (!p->started)
		return app_fail(e, -ENETDOWN, "start: port %u is stopped (port start %u)", g->port,
				g->port);
	if (workers == 0)
		return app_fail(e, -EINVAL, "start: no EAL worker lcore to generate on (give EAL "
				"two lcores or more, e.g. -l 0-1)");
	n = g->lcores ? g->lcores : workers;
	if (n > workers)
		return app_fail(e, -EINVAL, "start: lcores %u is out of range 1..%u (EAL worker "
				"lcores) (usage: %s)", n, workers, app_cmd_usage("set"));
	rte_eth_dev_get_mtu(g->port, &mtu);
	room = rte_pktmbuf_data_room_size(app->pool) - RTE_PKTMBUF_HEADROOM;
	for (uint32_t k = 0; k < g->size.n; k++)
		maxsize = RTE_MAX(maxsize, g->size.size[k]);
	if (maxsize > (uint32_t)mtu + SN_NETDEV_L2_OVERHEAD || maxsize > room)
		return app_fail(e, -EINVAL, "start: size %u is out of range %u..%u (port %u MTU %u "
				"+ %u)", maxsize, APP_SIZE_MIN,
				RTE_MIN((uint32_t)mtu + SN_NETDEV_L2_OVERHEAD, room), g->port, mtu,
				SN_NETDEV_L2_OVERHEAD);
	rc = app_rate_pps(app, &pps, e);
	if (rc != 0)
		return rc;
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
	rte_free(app->gens); /* the last run's, kept for its summary */
	app->nb_gens = 0;
	app->gens = rte_zmalloc("softnet_gens", sizeof(*app->gens) * n, RTE_CACHE_LINE_SIZE);
	if (app->gens == NULL)
		return app_fail(e, -ENOMEM, "start: out of memory for %u generators", n);
	app->nb_gens = n;

	app->gconf.dev = p->dev;
	app->gconf.pool = app->pool;
	app->gconf.frame = &app->frame;
	app->gconf.burst = g->burst;
	app->gconf.counted = g->count != 0;
	app->gconf.sizes = app->sizes;
	memcpy(app->gconf.field, g->field, sizeof(g->field));
	memcpy(app->gconf.prio, g->prio, sizeof(g->prio));
	app->gconf.nb_prio = g->nb_prio;
	app->gconf.vary = g->size.n > 1 || g->nb_prio > 1;
	for (int f = 0; f < APP_GF_NB; f++)
		app->gconf.vary |= g->field[f].mode != APP_FIELD_FIXED;
	app->gconf.duration_cycles = (uint64_t)(g->duration * (double)app->hz);
	app->port = g->port;
	app->dev = p->dev;
	app->run_rate_pps = pps;

	RTE_LCORE_FOREACH_WORKER(lcore) {
		struct app_gen *gen;

		if (i == n)
			break;
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
	for (i = 0; i < n; i++) {
		rc = rte_eal_remote_launch(app_gen_lcore, &app->gens[i], app->gens[i].lcore);
		if (rc != 0) {
			app->gens[i].rc = rc;
			__atomic_store_n(&app->gens[i].done, 1, __ATOMIC_RELEASE);
			app_gen_stop();
			app->stop_reason = APP_STOP_ERROR;
		}
	}
	if (!app->json_out) {
		char rate[48];

		app_rate_format(&g->rate, rate, sizeof(rate));
		printf("generator: started %u lcore(s) on port %u, rate %s", n, g->port, rate);
		if (pps != 0)
			printf(" = %" PRIu64 " pps", pps);
		if (g->count)
			printf(", count %" PRIu64, g->count);
		if (g->duration > 0)
			printf(", duration %.3f s", g->duration);
		printf("\n");
	}
	return 0;
}

static bool
app_gens_done(const struct app *app)
{
	for (unsigned int i = 0; i < app->nb_gens; i++)
		if (!__atomic_load_n(&app->gens[i].done, __ATOMIC_ACQUIRE))
			return false;
	return true;
}

static double app_cli_gen_seconds;

/* Stop (or collect finished) generators, print the run's summary. */
static void
app_cli_join(struct app *app, enum app_stop_reason why)
{
	uint64_t handed = 0, accepted = 0, first = UINT64_MAX, last = 0;
	double secs, pps;
	int errors = 0;

	if (!app->running)
		return;
	app_gen_stop();
	rte_eal_mp_wait_lcore();
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
	app_cli_gen_seconds += secs;
	pps = secs > 0 ? (double)handed / secs : 0;
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
	/* The generators' counters are in the base now; keep them for the summary. */
	app->running = false;
	app_print_accounting(app);
	fflush(stdout);
}

/* ---- set ---- */

static int
app_cli_set(struct app *app, const struct app_cmd *c, struct app_err *e)
{
	struct app_gen_spec *g = &app->spec;

	if (c->set.what != APP_SET_FORMAT && c->set.what != APP_SET_STATS_PERIOD && app->running)
		return app_fail(e, -EBUSY, "set: the generator is running (stop it first)");
	switch (c->set.what) {
	case APP_SET_SIZE:
		g->size = c->set.size;
		break;
	case APP_SET_FIELD:
		g->field[c->set.field] = c->set.fval;
		break;
	case APP_SET_RATE:
		g->rate = c->set.rate;
		break;
	case APP_SET_COUNT:
		g->count = c->set.u64;
		break;
	case APP_SET_DURATION:
		g->duration = c->set.seconds;
		break;
	case APP_SET_BURST:
		g->burst = (uint16_t)c->set.u64;
		break;
	case APP_SET_PRIO:
		g->nb_prio = c->set.nb_prio;
		memcpy(g->prio, c->set.prio, sizeof(g->prio));
		break;
	case APP_SET_LCORES:
		if (c->set.u64 > rte_lcore_count() - 1)
			return app_fail(e, -EINVAL, "set: lcores %" PRIu64 " is out of range 1..%u "
					"(EAL worker lcores) (usage: %s)", c->set.u64,
					rte_lcore_count() - 1, app_cmd_usage("set"));
		g->lcores = (unsigned int)c->set.u64;
		break;
	case APP_SET_PORT: {
		struct app_port *p;
		int rc = app_port_get(app, (uint16_t)c->set.u64, false, "set port", e, &p);

		if (rc != 0)
			return rc;
		g->port = (uint16_t)c->set.u64;
		break;
	}
	case APP_SET_FORMAT:
		app->json_out = c->set.json;
		break;
	case APP_SET_STATS_PERIOD:
		app->opts.stats_period = c->set.seconds;
		break;
	}
	return 0;
}

/* ---- the executor ---- */

static int
app_cli_exec(struct app *app, const struct app_cmd *c, struct app_err *e)
{
	char buf[4096];
	bool json = c->json || app->json_out;
	struct app_port *p;
	int rc = 0;

	switch (c->id) {
	case APP_CMD_EMPTY:
	case APP_CMD_NB:
		break;
	case APP_CMD_HELP:
		app_cmd_help(buf, sizeof(buf), c->topic);
		printf("%s%s", c->topic[0] ? "" : "commands (docs/cli.md has examples):\n", buf);
		break;
	case APP_CMD_QUIT:
		app->quit = true;
		break;
	case APP_CMD_PORT_START:
		rc = app_port_start(app, c->port, e);
		break;
	case APP_CMD_PORT_STOP:
		rc = app_port_stop(app, c->port, e);
		break;
	case APP_CMD_PORT_CONFIG:
		rc = app_port_config(app, c, e);
		break;
	case APP_CMD_SHOW_PORT_INFO:
		rc = app_show_port_info(app, c, e);
		break;
	case APP_CMD_SHOW_PORT_STATS:
		rc = app_show_port_stats(app, c, e);
		break;
	case APP_CMD_CLEAR_PORT_STATS:
		rc = app_port_get(app, c->port, false, "clear port stats", e, &p);
		if (rc == 0) {
			rte_eth_stats_reset(c->port);
			p->sample_tsc = 0;
			p->ipps = p->opps = p->ibps = p->obps = 0;
		}
		break;
	case APP_CMD_QDISC_ADD:
	case APP_CMD_QDISC_REPLACE:
	case APP_CMD_QDISC_DEL:
		rc = app_cli_qdisc(app, c, e);
		break;
	case APP_CMD_SHOW_QDISC:
		rc = app_show_qdisc(app, c, e);
		break;
	case APP_CMD_SHOW_SOFTNET:
		app_show_softnet(app, json);
		break;
	case APP_CMD_SHOW_GEN:
		app_show_gen(app, json);
		break;
	case APP_CMD_SET:
		rc = app_cli_set(app, c, e);
		break;
	case APP_CMD_START:
		rc = app_cli_start(app, e);
		break;
	case APP_CMD_STOP:
		if (!app->running)
			return app_fail(e, -EALREADY, "stop: the generator is not running");
		app_cli_join(app, APP_STOP_NONE);
		break;
	case APP_CMD_WAIT: {
		uint64_t end = c->seconds > 0 ? rte_get_timer_cycles() +
			       (uint64_t)(c->seconds * (double)app->hz) : UINT64_MAX;

		if (!app->running)
			break;
		if (c->seconds == 0 && app->spec.count == 0 && app->spec.duration == 0)
			return app_fail(e, -EINVAL, "wait: the generator has neither count nor "
					"duration: give a timeout (usage: %s)", app_cmd_usage("wait"));
		while (app->running && !app_cli_quitting(app) && rte_get_timer_cycles() < end) {
			/* Receive counting wants a tight poll (latency, ring depth). */
			if (!app_cli_idle(app) && !app->rx.on)
				rte_delay_us_sleep(200);
		}
		break;
	}
	case APP_CMD_SLEEP: {
		uint64_t end = rte_get_timer_cycles() + (uint64_t)(c->seconds * (double)app->hz);

		while (!app_cli_quitting(app) && rte_get_timer_cycles() < end) {
			if (!app_cli_idle(app) && !app->rx.on)
				rte_delay_us_sleep(200);
		}
		break;
	}
	case APP_CMD_RX_START:
		rc = app_port_get(app, c->port, true, "rx start", e, &p);
		if (rc == 0)
			app_rx_start(app, c->port);
		break;
	case APP_CMD_RX_STOP:
		if (!app->rx.on)
			return app_fail(e, -EALREADY, "rx stop: receive counting is off");
		app_rx_stop(app);
		break;
	case APP_CMD_SHOW_RX:
		app_rx_drain(app, 0);
		app_rx_show(app, stdout, json);
		break;
	case APP_CMD_CLEAR_RX:
		app_rx_clear(app);
		break;
	}
	fflush(stdout);
	return rc;
}

int
app_cli_line(struct app *app, const char *line, const char *where)
{
	struct app_cmd cmd;
	struct app_err e;
	char err[APP_CMD_ERR_SIZE];
	int rc;

	if (app_cmd_parse(line, &cmd, err, sizeof(err)) != 0) {
		fprintf(stderr, "%serror: %s\n", where ? where : "", err);
		return -EINVAL;
	}
	e.msg[0] = '\0';
	rc = app_cli_exec(app, &cmd, &e);
	if (rc != 0) {
		char family[16] = "";
		const char *usage;

		sscanf(line, " %15[a-z]", family);
		usage = app_cmd_usage(family);
		fprintf(stderr, "%serror: %s", where ? where : "", e.msg[0] ? e.msg : strerror(-rc));
		if (usage != NULL && strstr(e.msg, "(usage:") == NULL)
			fprintf(stderr, " (usage: %s)", usage);
		fprintf(stderr, "\n");
		fflush(stderr);
	}
	return rc;
}

/* ---- idle work ---- */

static void
app_cli_sample(struct app *app, uint64_t now)
{
	for (uint16_t id = 0; id < APP_MAX_PORTS; id++) {
		struct app_port *p = &app->ports[id];
		struct rte_eth_stats st;
		double dt;

		if (!p->started || rte_eth_stats_get(id, &st) != 0)
			continue;
		if (p->sample_tsc != 0 && now > p->sample_tsc) {
			dt = (double)(now - p->sample_tsc) / (double)app->hz;
			p->ipps = (double)(st.ipackets - p->sample.ipackets) / dt;
			p->opps = (double)(st.opackets - p->sample.opackets) / dt;
			p->ibps = (double)(st.ibytes - p->sample.ibytes) * 8 / dt;
			p->obps = (double)(st.obytes - p->sample.obytes) * 8 / dt;
		}
		p->sample = st;
		p->sample_tsc = now;
	}
}

bool
app_cli_idle(struct app *app)
{
	uint64_t now = rte_get_timer_cycles();
	bool work = app_rx_poll(app) != 0;

	if (now >= app->next_sample_tsc) {
		app_cli_sample(app, now);
		app->next_sample_tsc = now + app->hz;
	}
	if (app->running && app_gens_done(app)) {
		bool counted = app->spec.count != 0;
		uint64_t handed = 0;

		for (unsigned int i = 0; i < app->nb_gens; i++)
			handed += app->gens[i].handed;
		app_cli_join(app, counted && handed >= app->spec.count ? APP_STOP_COUNT :
			     APP_STOP_DURATION);
	}
	if (app_cli_signalled && app->running)
		app_cli_join(app, APP_STOP_SIGNAL);
	return work;
}

/* ---- session set-up and teardown ---- */

static void
app_spec_defaults(struct app *app)
{
	const struct app_opts *o = &app->opts;
	struct app_gen_spec *g = &app->spec;
	uint64_t mac;

	memset(g, 0, sizeof(*g));
	g->size.n = 1;
	g->size.size[0] = o->size;
	g->size.weight[0] = 1;
	g->count = o->count;
	g->duration = o->duration_defaulted ? 0 : o->duration;
	g->burst = o->burst;
	g->nb_prio = 1;
	g->prio[0] = (uint8_t)o->prio;
	g->lcores = o->tx_lcores;
	g->port = o->port;
	mac = 0;
	for (int i = 0; i < 6; i++)
		mac = (mac << 8) | o->src_mac.addr_bytes[i];
	g->field[APP_GF_MAC_SRC].lo = g->field[APP_GF_MAC_SRC].hi = mac;
	mac = 0;
	for (int i = 0; i < 6; i++)
		mac = (mac << 8) | o->dst_mac.addr_bytes[i];
	g->field[APP_GF_MAC_DST].lo = g->field[APP_GF_MAC_DST].hi = mac;
	g->field[APP_GF_IP_SRC].lo = g->field[APP_GF_IP_SRC].hi = rte_be_to_cpu_32(o->src_ip);
	g->field[APP_GF_IP_DST].lo = g->field[APP_GF_IP_DST].hi = rte_be_to_cpu_32(o->dst_ip);
	g->field[APP_GF_SPORT].lo = g->field[APP_GF_SPORT].hi = o->sport;
	g->field[APP_GF_DPORT].lo = g->field[APP_GF_DPORT].hi = o->dport;
}

static int
app_cli_setup(struct app *app)
{
	struct app_pool_need need;
	struct app_opts big = app->opts;
	struct app_err e;
	uint16_t pid;
	int rc;

	app->hz = rte_get_timer_hz();
	app->cli = true;
	app->rx.lat_min = UINT64_MAX;
	if (rte_eth_dev_count_avail() == 0) {
		rc = rte_vdev_init(APP_DEFAULT_VDEV, "");
		if (rc != 0) {
			fprintf(stderr, "softnet: no DPDK port, and creating %s failed: %s\n",
				APP_DEFAULT_VDEV, rte_strerror(-rc));
			return APP_EXIT_FAIL;
		}
		app->created_vdev = true;
		printf("softnet: EAL found no port: created %s\n", APP_DEFAULT_VDEV);
	}
	RTE_ETH_FOREACH_DEV(pid) {
		if (pid >= APP_MAX_PORTS)
			break;
		app->ports[pid].valid = true;
		app->ports[pid].txqs = app->opts.txqs;
	}
	if (app->opts.port_set && (app->opts.port >= APP_MAX_PORTS ||
				   !app->ports[app->opts.port].valid)) {
		app_opts_error("port", "no DPDK port %u", app->opts.port);
		return APP_EXIT_USAGE;
	}
	if (!app->opts.port_set)
		RTE_ETH_FOREACH_DEV(pid) {
			app->opts.port = pid;
			break;
		}
	app_spec_defaults(app);
	rc = sn_init(NULL);
	if (rc != 0) {
		fprintf(stderr, "softnet: sn_init: %s\n", strerror(-rc));
		return APP_EXIT_FAIL;
	}
	app->sn_ready = true;
	/* Every mbuf carries a full-size frame pattern; headers are written per packet. */
	big.size = RTE_ETHER_MAX_LEN;
	if (app_frame_build(&app->frame, &big) != 0)
		return APP_EXIT_FAIL;
	need = (struct app_pool_need){
		.nb_lcores = rte_lcore_count(),
		.nb_txq = 4,
		.qdisc_pkts = 3000,
		.tx_desc = APP_CLI_TX_DESC,
		.burst = APP_BURST_MAX,
	};
	app->pool = app_pool_create(&need, &app->frame, 0, (int)rte_socket_id());
	/* A pool net_af_xdp can take as its UMEM whole (sn_ethdev_pool_create()). */
	app->rx_pool = sn_ethdev_pool_create("softnet_rx", APP_CLI_RX_POOL, 256,
					     (int)rte_socket_id());
	if (app->pool == NULL || app->rx_pool == NULL) {
		fprintf(stderr, "softnet: mbuf pool: %s (give EAL more memory with -m)\n",
			rte_strerror(rte_errno));
		return APP_EXIT_FAIL;
	}
	/* Like testpmd: every port starts at once. */
	for (pid = 0; pid < APP_MAX_PORTS; pid++) {
		if (!app->ports[pid].valid)
			continue;
		if (app_port_start(app, pid, &e) != 0) {
			fprintf(stderr, "softnet: %s\n", e.msg);
			return APP_EXIT_FAIL;
		}
	}
	return APP_EXIT_OK;
}

/* Stop everything, print the session summary; @return the exit code. */
static int
app_cli_finish(struct app *app)
{
	struct app_result r;
	int rc = APP_EXIT_OK;

	app_cli_join(app, app_cli_signalled ? APP_STOP_SIGNAL : APP_STOP_NONE);
	app_rx_drain(app, 20);
	memset(&r, 0, sizeof(r));
	app_cli_snapshot(app, &r.end);
	r.seconds = app_cli_gen_seconds;
	r.pool_size = app->pool->size;
	for (unsigned int i = 0; app->gens != NULL && i < app->nb_gens; i++)
		r.gen_errors += app->gens[i].rc != 0;
	if (rte_eth_dev_get_name_by_port(app->spec.port, app->port_name) != 0)
		snprintf(app->port_name, sizeof(app->port_name), "port%u", app->spec.port);
	for (uint16_t id = 0; id < APP_MAX_PORTS; id++) {
		struct app_port *p = &app->ports[id];

		if (p->dev != NULL) {
			sn_ethdev_close(p->dev, NULL);
			p->dev = NULL;
		}
		if (p->started) {
			app_port_rx_flush(id);
			rte_eth_dev_stop(id);
			p->started = false;
		}
		if (p->valid)
			rte_eth_dev_close(id);
	}
	app->dev = NULL;
	if (app->sn_ready) {
		int frc = sn_fini();

		if (frc != 0)
			fprintf(stderr, "softnet: sn_fini: %s\n", strerror(-frc));
		app->sn_ready = false;
	}
	r.mbufs_in_use = rte_mempool_in_use_count(app->pool);
	app_result_check(app, &r);
	/* The option mode's summary, over the whole session. */
	if (app->stop_reason == APP_STOP_NONE)
		app->stop_reason = app_cli_signalled ? APP_STOP_SIGNAL : APP_STOP_COUNT;
	app->opts.txqs = app->ports[app->spec.port].txqs;
	app->opts.burst = app->spec.burst;
	app->port = app->spec.port;
	snprintf(app->opts.qdisc, sizeof(app->opts.qdisc), "%s", "(per txq)");
	app->frame.len = app->spec.size.size[0];
	app_summary_print(app, &r);
	if (app->json != NULL) {
		int jrc = app_summary_json(app->json, app, &r);

		if (fclose(app->json) != 0 || jrc != 0) {
			fprintf(stderr, "softnet: --json %s: write failed\n", app->opts.json_path);
			rc = APP_EXIT_FAIL;
		}
		app->json = NULL;
	}
	rte_free(app->sizes);
	app->sizes = NULL;
	rte_mempool_free(app->rx_pool);
	app->rx_pool = NULL;
	return r.clean ? rc : APP_EXIT_FAIL;
}

static int
app_cli_run_file(struct app *app, const char *path)
{
	char line[APP_CMD_LINE_MAX + 2], where[512];
	unsigned int lineno = 0;
	FILE *f = fopen(path, "r");
	int rc = 0;

	if (f == NULL) {
		fprintf(stderr, "softnet: --cmdline-file: cannot read '%s': %s\n", path,
			strerror(errno));
		return -ENOENT;
	}
	while (!app_cli_quitting(app) && fgets(line, sizeof(line), f) != NULL) {
		size_t len = strlen(line);

		lineno++;
		snprintf(where, sizeof(where), "%s:%u: ", path, lineno);
		if (len > 0 && line[len - 1] != '\n' && !feof(f)) {
			int ch;

			while ((ch = fgetc(f)) != EOF && ch != '\n')
				;
			fprintf(stderr, "%serror: line longer than %u characters (the limit of one command)\n", where,
				APP_CMD_LINE_MAX);
			rc = -EINVAL;
			break;
		}
		rc = app_cli_line(app, line, where);
		if (rc != 0)
			break;
		app_cli_idle(app);
	}
	fclose(f);
	return rc;
}

int
app_cli_main(struct app *app)
{
	struct sigaction sa;
	int rc, frc = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = app_cli_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	rc = app_cli_setup(app);
	if (rc != APP_EXIT_OK)
		return rc;
	app_telemetry_register(app);
	if (app->opts.cmdline_file != NULL)
		frc = app_cli_run_file(app, app->opts.cmdline_file);
	if (frc == 0 && app->opts.interactive && !app_cli_quitting(app))
		app_prompt_run(app);
	rc = app_cli_finish(app);
	/* A command file that failed (bad command, bad value, unknown port): usage error. */
	return frc != 0 ? APP_EXIT_USAGE : rc;
}
