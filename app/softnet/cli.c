/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The session of both modes (ports, generator, receive counting) and the
 * executor: a line is parsed by the command registry (cmd_parse.c) and run
 * by its command's handler, which lives in the file of its family
 * (cmd_port.c, cmd_qdisc.c, cmd_set.c, cmd_gen.c, cmd_rx.c, cmd_show.c,
 * cmd_misc.c). Every command checks everything it needs before it changes
 * anything, and reports one line on error. The option mode is this session
 * running the commands its options make (app_cli_opts_script()); a command
 * file and the prompt run theirs. Set-up, summary and JSON are one path.
 */

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>

#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include <sn_ethdev.h>
#include <sn_linerate.h>
#include <sn_netdev.h>
#include <sn_qdisc.h>
#include <sn_softnet.h>

#include "cli.h"
#include "rx.h"
#include "stats.h"
#include "summary.h"

#define APP_CLI_RX_POOL 4095
/* The pool: packets per qdisc (txqueuelen), at most this many. */
#define APP_CLI_POOL_QDISC 1000u
#define APP_CLI_POOL_QDISC_MAX 16384u
/* Sleep between idle rounds while generators run and nothing is received. */
#define APP_CLI_IDLE_US 5000
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

int
app_fail(struct app_err *e, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return rc;
}

/* ---- ports ---- */

int
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
		return app_fail(e, -ENODEV, "%s: no port %u (ports: %s)", cmd, id,
				off ? list : "none");
	}
	if (need_started && app->ports[id].dev == NULL)
		return app_fail(e, -ENETDOWN, "%s: port %u was never started (port start %u)", cmd,
				id, id);
	*out = &app->ports[id];
	return 0;
}

/* ---- output helpers ---- */

/* Every counter of the session: softnet, all qdiscs, generators of all runs. */
void
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
	if (app->spec.port < APP_MAX_PORTS && sn_is_linerate(app->ports[app->spec.port].dev)) {
		struct sn_netdev *m = app->ports[app->spec.port].dev;

		s->model = true;
		for (uint16_t q = 0; q < sn_netdev_nb_txq(m); q++) {
			struct sn_linerate_stats ls;

			if (sn_linerate_stats(m, q, &ls) == 0) {
				s->model_left += ls.departed;
				s->model_ring += ls.in_ring;
			}
		}
	}
	s->handed = app->base_handed;
	s->accepted = app->base_accepted;
	s->alloc_fail = app->base_alloc_fail;
	for (unsigned int i = 0; app->running && app->gens != NULL && i < app->nb_gens; i++) {
		s->handed += __atomic_load_n(&app->gens[i].handed, __ATOMIC_RELAXED);
		s->accepted += __atomic_load_n(&app->gens[i].accepted, __ATOMIC_RELAXED);
		s->alloc_fail += __atomic_load_n(&app->gens[i].alloc_fail, __ATOMIC_RELAXED);
	}
}

void
app_print_accounting(struct app *app)
{
	struct app_snapshot s;
	uint64_t sum, replies;
	char why[256];
	bool ok;

	app_cli_snapshot(app, &s);
	/* The responders' replies (rx mode) went through softnet too. */
	replies = app_rx_replies();
	/* Both rules: nothing lost or counted twice, and every drop has a reason. */
	sum = app_drops_sum(&s.sn);
	ok = s.handed + replies == s.sn.sent + s.sn.dropped + s.queued && sum == s.sn.dropped;
	if (app->json_out) {
		printf("{\"accounting\": {\"generated\": %" PRIu64 ", \"replies\": %" PRIu64
		       ", \"sent\": %" PRIu64 ", \"dropped\": %" PRIu64 ", \"queued\": %" PRIu64
		       ", \"drops\": ", s.handed, replies, s.sn.sent, s.sn.dropped, s.queued);
		app_drops_json(stdout, &s.sn);
		printf(", \"drops_ok\": %s, \"ok\": %s}}\n", sum == s.sn.dropped ? "true" : "false",
		       ok ? "true" : "false");
		return;
	}
	app_drops_format(&s.sn, why, sizeof(why));
	printf("accounting: generated %" PRIu64, s.handed);
	if (replies != 0)
		printf(" + replies %" PRIu64, replies);
	printf(" = sent %" PRIu64 " + dropped %" PRIu64 " + queued %" PRIu64 ": %s", s.sn.sent,
	       s.sn.dropped, s.queued, ok ? "OK" : "MISMATCH");
	if (sum != s.sn.dropped)
		printf(" (DROP REASONS add up to %" PRIu64 ", not dropped %" PRIu64 "%s%s)\n", sum,
		       s.sn.dropped, why[0] ? ": " : "", why);
	else if (why[0] != '\0')
		printf(" (dropped: %s)\n", why);
	else
		printf("\n");
}

bool
app_cli_json(const struct app *app, const struct app_cmd *c)
{
	return c->json || app->json_out;
}

void
app_cli_wait(struct app *app, uint64_t end, bool until_idle)
{
	while (!app_cli_quitting(app) && rte_get_timer_cycles() < end &&
	       (!until_idle || app->running)) {
		/*
		 * Receive counting wants a tight poll (latency, ring depth); else
		 * the main lcore stays out of the generators' way (it may share a
		 * core with one), as the prompt does between keys.
		 */
		if (!app_cli_idle(app) && !app->rx.on)
			rte_delay_us_sleep(app->running ? APP_CLI_IDLE_US : 200);
	}
}

/* ---- the executor ---- */

/* Does @p name name port @p id: its softnet device ("port0") or its DPDK name? */
static bool
app_port_named(const struct app *app, uint16_t id, const char *name)
{
	char dpdk[RTE_ETH_NAME_MAX_LEN], sn[SN_NETDEV_NAMESIZE];

	if (app->ports[id].dev != NULL && strcmp(sn_netdev_name(app->ports[id].dev), name) == 0)
		return true;
	/* A port not started yet has no device: the name it will get (cmd_port.c). */
	snprintf(sn, sizeof(sn), "port%u", id);
	if (app->ports[id].dev == NULL && strcmp(sn, name) == 0)
		return true;
	return rte_eth_dev_get_name_by_port(id, dpdk) == 0 && strcmp(dpdk, name) == 0;
}

/* Port @p name (cmd->port_name) into cmd->port. @return 0 or -ENODEV with @p e set. */
static int
app_port_resolve(struct app *app, struct app_cmd *cmd, struct app_err *e)
{
	char list[256] = "", topic[64];
	size_t off = 0;

	for (uint16_t id = 0; id < APP_MAX_PORTS; id++) {
		char dpdk[RTE_ETH_NAME_MAX_LEN];
		int n;

		if (!app->ports[id].valid)
			continue;
		if (app_port_named(app, id, cmd->port_name)) {
			cmd->port = id;
			return 0;
		}
		if (rte_eth_dev_get_name_by_port(id, dpdk) != 0)
			dpdk[0] = '\0';
		n = snprintf(list + off, sizeof(list) - off, "%s%u %s%s%s", off ? ", " : "", id,
			     app->ports[id].dev != NULL ? sn_netdev_name(app->ports[id].dev) : "",
			     app->ports[id].dev != NULL && dpdk[0] ? " " : "", dpdk);
		if (n > 0 && (size_t)n < sizeof(list) - off)
			off += (size_t)n;
	}
	return app_fail(e, -ENODEV, "%s: no port named '%s' (ports: %s)",
			app_cmd_topic(cmd->def, topic, sizeof(topic)), cmd->port_name,
			off ? list : "none");
}

/*
 * Run a parsed command: once, or once per port for `all` (testpmd's
 * habit), the JSON of the runs as one array. With `all`, a port that is
 * already as asked (-EALREADY) is no error; the first other error is the
 * result, after every port had its turn, with the others' on its line.
 */
static int
app_cli_exec(struct app *app, struct app_cmd *cmd, struct app_err *e)
{
	bool json = app_cli_json(app, cmd), first = true;
	int rc = 0;

	if (cmd->port_name[0] != '\0')
		rc = app_port_resolve(app, cmd, e);
	if (rc != 0 || !cmd->port_all)
		return rc != 0 ? rc : cmd->def->exec(app, cmd, e);
	if (json)
		printf("[");
	for (uint16_t id = 0; id < APP_MAX_PORTS && !app_cli_quitting(app); id++) {
		struct app_err pe;
		int prc;

		if (!app->ports[id].valid)
			continue;
		if (json && !first)
			printf(", ");
		first = false;
		cmd->port = id;
		pe.msg[0] = '\0';
		prc = cmd->def->exec(app, cmd, &pe);
		fflush(stdout);
		if (prc == -EALREADY || prc == 0)
			continue;
		if (rc == 0) {
			rc = prc;
			snprintf(e->msg, sizeof(e->msg), "%s", pe.msg[0] ? pe.msg : strerror(-prc));
		} else {
			/* Later ports' errors join the first one's line: one line per command. */
			size_t off = strlen(e->msg);

			snprintf(e->msg + off, sizeof(e->msg) - off, "; %s",
				 pe.msg[0] ? pe.msg : strerror(-prc));
		}
	}
	if (json)
		printf("]\n");
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
	if (cmd.def == NULL)
		return 0; /* blank line or comment */
	e.msg[0] = '\0';
	rc = app_cli_exec(app, &cmd, &e);
	fflush(stdout);
	if (rc != 0) {
		char topic[64];

		/* One line: what failed, and where the usage is (not the usage itself). */
		fprintf(stderr, "%serror: %s", where ? where : "", e.msg[0] ? e.msg : strerror(-rc));
		if (strstr(e.msg, "(try 'help") == NULL && strstr(e.msg, "(usage:") == NULL)
			fprintf(stderr, " (try 'help %s')",
				app_cmd_topic(cmd.def, topic, sizeof(topic)));
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
app_cli_poll(struct app *app)
{
	uint64_t now = rte_get_timer_cycles();
	bool work = (app_rx_poll(app) + app_port_poll_models(app)) != 0;

	if (now >= app->next_sample_tsc) {
		app_cli_sample(app, now);
		app->next_sample_tsc = now + app->hz;
	}
	app_gen_progress(app);
	return work;
}

bool
app_cli_idle(struct app *app)
{
	bool work = app_cli_poll(app);

	if (app->running && app_gens_done(app))
		app_cli_join(app, app_gen_reason(app));
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

/*
 * Packets to provision per qdisc: txqueuelen, or --qdisc's limit when it is
 * larger (a byte limit only overestimates, within the cap). The pool does
 * not have to hold a full qdisc: when it runs dry the generator waits, and
 * a qdisc only fills when the port is slower than the generators.
 */
static unsigned int
app_cli_qdisc_pkts(const struct app *app)
{
	char spec[APP_QDISC_SPEC_SIZE + 32], kind[SN_QDISC_KIND_SIZE];
	struct sn_qdisc_params prm;
	const char *words[APP_CMD_TOKENS_MAX];
	int n;

	if (!app->opts.qdisc_set || app_opts_qdisc_spec(&app->opts, spec, sizeof(spec)) != 0)
		return APP_CLI_POOL_QDISC;
	n = app_cmd_split(spec, words, APP_CMD_TOKENS_MAX);
	if (n <= 0 || sn_qdisc_parse(n, words, kind, &prm, NULL, 0) != 0)
		return APP_CLI_POOL_QDISC; /* the qdisc command will say why */
	if (prm.limit <= APP_CLI_POOL_QDISC)
		return APP_CLI_POOL_QDISC;
	return RTE_MIN(prm.limit, APP_CLI_POOL_QDISC_MAX);
}

static int
app_cli_setup(struct app *app)
{
	struct app_pool_need need;
	struct app_opts big = app->opts;
	struct app_err e;
	uint16_t pid;
	int rc, socket;

	app->hz = rte_get_timer_hz();
	app->rx.lat_min = UINT64_MAX;
	if (rte_eth_dev_count_avail() == 0) {
		rc = rte_vdev_init(APP_DEFAULT_VDEV, "");
		if (rc != 0) {
			fprintf(stderr, "softnet: no DPDK port, and creating %s failed: %s\n",
				APP_DEFAULT_VDEV, rte_strerror(-rc));
			return APP_EXIT_FAIL;
		}
		app->created_vdev = true;
		if (!app->opts.quiet)
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
	/*
	 * Sized for the options (--txqs, --burst, --qdisc): a run asking more
	 * (`port config`, `set burst`) waits for mbufs now and then, counted
	 * as "pool empty", rather than every run paying for a larger pool.
	 */
	need = (struct app_pool_need){
		.nb_lcores = rte_lcore_count(),
		.nb_txq = app->opts.txqs,
		.qdisc_pkts = app_cli_qdisc_pkts(app),
		.tx_desc = APP_PORT_TX_DESC,
		.burst = app->opts.burst,
	};
	/* Every mbuf carries --prio; `set prio` to another one is written per packet. */
	app->pool_prio = (uint8_t)app->opts.prio;
	socket = rte_eth_dev_socket_id(app->opts.port);
	if (socket < 0)
		socket = (int)rte_socket_id();
	app->pool = app_pool_create(&need, &app->frame, app->pool_prio, socket);
	/* A pool net_af_xdp can take as its UMEM whole (sn_ethdev_pool_create()). */
	app->rx_pool = sn_ethdev_pool_create("softnet_rx", APP_CLI_RX_POOL, 256,
					     (int)rte_socket_id());
	/* One generator per lcore at most, for the whole session (app_cli_start()). */
	app->gens = rte_zmalloc("softnet_gens", sizeof(*app->gens) * rte_lcore_count(),
				RTE_CACHE_LINE_SIZE);
	if (app->gens == NULL) {
		fprintf(stderr, "softnet: out of memory for %u generators\n", rte_lcore_count());
		return APP_EXIT_FAIL;
	}
	if (app->pool == NULL || app->rx_pool == NULL) {
		fprintf(stderr, "softnet: mbuf pool: %s (give EAL more memory with -m)\n",
			rte_strerror(rte_errno));
		return APP_EXIT_FAIL;
	}
	/* Like testpmd: every port starts at once. */
	for (pid = 0; pid < APP_MAX_PORTS; pid++) {
		if (!app->ports[pid].valid)
			continue;
		rc = app_port_start(app, pid, &e);
		if (rc != 0) {
			/* -EINVAL: --txqs more than the port has. */
			fprintf(stderr, "softnet: %s\n", e.msg);
			return rc == -EINVAL ? APP_EXIT_USAGE : APP_EXIT_FAIL;
		}
	}
	return APP_EXIT_OK;
}

/* Close every port's device and the port, then tear softnet down. */
static void
app_cli_close_engine(struct app *app)
{
	/* The receive lcore first: it polls the ports about to close (rx mode). */
	app_rx_fini(app);
	for (uint16_t id = 0; id < APP_MAX_PORTS; id++) {
		struct app_port *p = &app->ports[id];

		if (p->dev != NULL) {
			/* Down, then what the rx queue holds, then the port stops (kept). */
			if (sn_netdev_is_up(p->dev))
				sn_netdev_down(p->dev, NULL);
			if (p->started)
				app_port_rx_flush(id);
			if (sn_is_linerate(p->dev))
				sn_linerate_free(p->dev, NULL);
			else
				sn_ethdev_close(p->dev, NULL);
			p->dev = NULL;
			p->started = false;
		}
		if (p->valid) {
			/* A model's net_ring port is still started: DPDK closes only stopped ones. */
			rte_eth_dev_stop(id);
			rte_eth_dev_close(id);
			p->valid = false;
		}
	}
	app->dev = NULL;
	if (app->sn_ready) {
		int frc = sn_fini();

		if (frc != 0)
			fprintf(stderr, "softnet: sn_fini: %s\n", strerror(-frc));
		app->sn_ready = false;
	}
}

/* Free what the session allocated; remove our net_null0. */
static void
app_cli_free(struct app *app)
{
	app_cli_close_engine(app);
	rte_free(app->sizes);
	app->sizes = NULL;
	rte_mempool_free(app->rx_pool);
	app->rx_pool = NULL;
	rte_mempool_free(app->pool);
	app->pool = NULL;
	app_frame_free(&app->frame);
	app->nb_gens = 0;
	rte_free(app->gens);
	app->gens = NULL;
	if (app->created_vdev) {
		rte_vdev_uninit(APP_DEFAULT_VDEV);
		app->created_vdev = false;
	}
}

/* The generator port's qdisc for the summary: its kind, or "(per txq)". */
static void
app_cli_summary_qdisc(struct app *app)
{
	struct sn_netdev *dev = app->ports[app->spec.port].dev;
	struct sn_qdisc_info info;

	snprintf(app->qdisc_kind, sizeof(app->qdisc_kind), "%s", "(per txq)");
	app->qdisc_limit = 0;
	if (dev == NULL)
		return;
	for (uint16_t q = 0; q < sn_netdev_nb_txq(dev); q++) {
		memset(&info, 0, sizeof(info));
		if (sn_qdisc_info(dev, q, &info) != 0 && info.kind[0] == '\0')
			return;
		if (q == 0) {
			app->qdisc_limit = info.params.limit;
			snprintf(app->qdisc_kind, sizeof(app->qdisc_kind), "%s", info.kind);
		} else if (strcmp(info.kind, app->qdisc_kind) != 0) {
			snprintf(app->qdisc_kind, sizeof(app->qdisc_kind), "%s", "(per txq)");
			return;
		}
	}
}

/* Stop everything, print the session summary; @return the exit code. */
static int
app_cli_finish(struct app *app)
{
	struct app_result r;
	int rc = APP_EXIT_OK;

	app_cli_join(app, app_cli_signalled ? APP_STOP_SIGNAL : APP_STOP_NONE);
	/* The receive lcore stops before the counters are read: no reply after them. */
	app_rx_fini(app);
	app_rx_drain(app, 20);
	memset(&r, 0, sizeof(r));
	app_cli_snapshot(app, &r.end);
	r.seconds = app->gen_seconds;
	r.pool_size = app->pool->size;
	for (unsigned int i = 0; app->gens != NULL && i < app->nb_gens; i++)
		r.gen_errors += app->gens[i].rc != 0;
	if (rte_eth_dev_get_name_by_port(app->spec.port, app->port_name) != 0)
		snprintf(app->port_name, sizeof(app->port_name), "port%u", app->spec.port);
	/* What the summary says about the session: the generator's last settings. */
	app_cli_summary_qdisc(app);
	app->opts.txqs = app->ports[app->spec.port].txqs;
	app->opts.burst = app->spec.burst;
	app->opts.single = app->spec.xmit != APP_XMIT_BURST;
	app->opts.plug = app->spec.xmit == APP_XMIT_PLUG;
	app->opts.prio = app->spec.nb_prio == 1 ? app->spec.prio[0] : app->opts.prio;
	app->port = app->spec.port;
	app->frame.len = app->spec.size.size[0];
	app_cli_close_engine(app);
	r.mbufs_in_use = rte_mempool_in_use_count(app->pool);
	app_result_check(app, &r);
	if (app->stop_reason == APP_STOP_NONE)
		app->stop_reason = app_cli_signalled ? APP_STOP_SIGNAL : APP_STOP_COUNT;
	app_summary_print(app, &r);
	if (app->json != NULL) {
		int jrc = app_summary_json(app->json, app, &r);

		if (fclose(app->json) != 0 || jrc != 0) {
			fprintf(stderr, "softnet: --json %s: write failed\n", app->opts.json_path);
			rc = APP_EXIT_FAIL;
		}
		app->json = NULL;
	}
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

/*
 * The option mode as commands: what the options ask that the session's
 * defaults (app_spec_defaults(), the ports' txqs) do not already hold, then
 * start and wait. Run by the same executor as command files.
 */
static int
app_cli_opts_script(const struct app *app, char lines[][APP_CMD_LINE_MAX], int max, bool run)
{
	const struct app_opts *o = &app->opts;
	char spec[APP_QDISC_SPEC_SIZE + 32];
	uint16_t port = o->port;
	int n = 0;

	/*
	 * --linerate: the model takes the next port id (its net_ring's, made
	 * now, after EAL's ports) and becomes the generator's port.
	 */
	if (o->linerate != NULL && n + 2 <= max) {
		port = rte_eth_dev_count_total();
		snprintf(lines[n++], APP_CMD_LINE_MAX, "port add linerate %s", o->linerate);
		snprintf(lines[n++], APP_CMD_LINE_MAX, "set port %u", port);
	}
	if (o->qdisc_set && n < max) {
		if (app_opts_qdisc_spec(o, spec, sizeof(spec)) != 0)
			snprintf(spec, sizeof(spec), "%s", o->qdisc);
		snprintf(lines[n++], APP_CMD_LINE_MAX, "qdisc replace dev %u root %s", port, spec);
	}
	for (unsigned int i = 0; i < o->nb_classes && n < max; i++)
		snprintf(lines[n++], APP_CMD_LINE_MAX, "class add dev %u %s", port, o->classes[i]);
	for (unsigned int i = 0; i < o->nb_filters && n < max; i++)
		snprintf(lines[n++], APP_CMD_LINE_MAX, "filter add dev %u %s", port, o->filters[i]);
	if (o->rx_mode >= 0 && n < max)
		snprintf(lines[n++], APP_CMD_LINE_MAX, "rx mode %u %s", port,
			 o->rx_mode == 1 ? "interrupt" : "poll");
	if (o->address != NULL && n < max)
		snprintf(lines[n++], APP_CMD_LINE_MAX, "responder %u %s", port, o->address);
	/* --size is checked against the port as `set size` is, in both modes. */
	if (o->size_set && n < max)
		snprintf(lines[n++], APP_CMD_LINE_MAX, "set size %u", o->size);
	if (!run)
		return n;
	if (o->plug && n < max)
		snprintf(lines[n++], APP_CMD_LINE_MAX, "set xmit plug");
	else if (o->single && n < max)
		snprintf(lines[n++], APP_CMD_LINE_MAX, "set xmit single");
	if (o->duration > 0 && n < max)
		snprintf(lines[n++], APP_CMD_LINE_MAX, "set duration %.9g", o->duration);
	if (n + 2 <= max) {
		snprintf(lines[n++], APP_CMD_LINE_MAX, "start");
		/* --count 0 alone runs until a signal: wait as long as `wait` takes. */
		snprintf(lines[n++], APP_CMD_LINE_MAX, "%s",
			 o->count == 0 && o->duration <= 0 ? "wait 31622400" : "wait");
	}
	return n;
}

int
app_cli_main(struct app *app)
{
	const bool run = !app->opts.interactive && app->opts.cmdline_file == NULL;
	static char script[10 + 2 * APP_OPTS_QOS_MAX][APP_CMD_LINE_MAX];
	struct sigaction sa;
	int rc, frc = 0, n;
	bool opts_failed;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = app_cli_on_signal;
	/* Without a prompt, a second signal kills (the first one stops gracefully). */
	sa.sa_flags = app->opts.interactive ? 0 : SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	/* Progress lines under a prompt or in a command file only when asked for. */
	if (!run && !app->opts.stats_period_set)
		app->opts.stats_period = 0;
	rc = app_cli_setup(app);
	if (rc != APP_EXIT_OK) {
		app_cli_free(app);
		return rc;
	}
	app_telemetry_register(app);
	/* The options' commands first (in command mode: --qdisc as the default). */
	n = app_cli_opts_script(app, script, (int)RTE_DIM(script), run);
	for (int i = 0; i < n && frc == 0 && !app_cli_quitting(app); i++)
		frc = app_cli_line(app, script[i], "softnet: ");
	opts_failed = frc != 0;
	if (frc == 0 && app->opts.cmdline_file != NULL)
		frc = app_cli_run_file(app, app->opts.cmdline_file);
	if (frc == 0 && app->opts.interactive && !app_cli_quitting(app))
		app_prompt_run(app);
	/* Options the session refused before any run (either mode): their one line is all. */
	if ((run || opts_failed) && frc != 0 && app->runs == 0)
		rc = APP_EXIT_USAGE;
	else
		rc = app_cli_finish(app);
	app_cli_free(app);
	/* A command that failed (bad command, bad value, unknown port): usage error. */
	return frc != 0 ? APP_EXIT_USAGE : rc;
}
