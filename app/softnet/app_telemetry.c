/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The application's telemetry, for dpdk-telemetry.py. The engine's own
 * counters (/softnet/stats, /softnet/qdisc, /softnet/class) are registered
 * by the library (sn_telemetry.h); what is application state is here:
 *   /softnet/gen    the generator: state, counters, the running run's rate;
 *   /softnet/rates  per port (rx/tx pps and bps) and per transmit queue's
 *                   qdisc (pps, bps, drops per second) over the last period;
 *   /softnet/rx     receive counting (latency percentiles) and NAPI counters.
 * Both modes register them: the option mode (the main job,
 * scripts/run-main.sh) as well as the command mode. The callbacks run on
 * telemetry threads (one per client): they read the session with relaxed
 * loads and keep their own rate samples under a lock.
 */

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_telemetry.h>

#include <sn_netdev.h>
#include <sn_qdisc.h>
#include <sn_rx.h>
#include <sn_telemetry.h>

#include "cli.h"
#include "rx.h"

#define APP_TEL_RATES_USAGE "/softnet/rates[,<port>]: rates over the last period (about 1 s)"
#define APP_TEL_RX_USAGE "/softnet/rx: no parameters"
#define APP_TEL_GEN_USAGE "/softnet/gen: no parameters"

/* Rates: the queues sampled per port, and the samples kept. */
#define APP_TEL_TXQ_MAX 16
#define APP_TEL_SAMPLES 8
/* A new sample at most this often; rates over at least this long when there is history. */
#define APP_TEL_MIN_GAP_MS 100
#define APP_TEL_PERIOD_MS 1000

struct app_tel_port_sample {
	bool on;
	uint64_t ipackets, ibytes, opackets, obytes;
	uint16_t nb_txq;
	uint64_t q_packets[APP_TEL_TXQ_MAX], q_bytes[APP_TEL_TXQ_MAX], q_drops[APP_TEL_TXQ_MAX];
};

struct app_tel_sample {
	uint64_t tsc; /* 0: empty */
	struct app_tel_port_sample port[APP_MAX_PORTS];
};

static struct app *app_tel_app;
static pthread_mutex_t app_tel_lock = PTHREAD_MUTEX_INITIALIZER;
static struct app_tel_sample app_tel_samples[APP_TEL_SAMPLES];
static unsigned int app_tel_head; /* the newest */

static int
app_tel_usage(struct rte_tel_data *d, const char *error, const char *usage)
{
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "error", error);
	rte_tel_data_add_dict_string(d, "usage", usage);
	return 0;
}

static int
app_tel_gen(const char *cmd __rte_unused, const char *params, struct rte_tel_data *d)
{
	const struct app *app = app_tel_app;
	struct app_gen_counters c;

	if (params != NULL && params[0] != '\0')
		return app_tel_usage(d, "no parameters", APP_TEL_GEN_USAGE);
	app_gen_counters(app, &c);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_int(d, "running", c.running);
	rte_tel_data_add_dict_int(d, "port", app->spec.port);
	/* While running, the lcores that generate; idle, the setting (0: every worker). */
	rte_tel_data_add_dict_int(d, "lcores", (int)(c.running ? c.lcores : app->spec.lcores));
	rte_tel_data_add_dict_u64(d, "runs", c.runs);
	rte_tel_data_add_dict_u64(d, "generated", c.handed);
	rte_tel_data_add_dict_u64(d, "accepted", c.accepted);
	rte_tel_data_add_dict_u64(d, "pool_empty", c.alloc_fail);
	rte_tel_data_add_dict_u64(d, "run_generated", c.run_handed);
	rte_tel_data_add_dict_u64(d, "run_pps", (uint64_t)(c.run_pps + 0.5));
	rte_tel_data_add_dict_u64(d, "rate_pps_asked", app->run_rate_pps);
	rte_tel_data_add_dict_u64(d, "count", app->spec.count);
	rte_tel_data_add_dict_u64(d, "burst", app->spec.burst);
	rte_tel_data_add_dict_u64(d, "rx_on", app->rx.on);
	rte_tel_data_add_dict_u64(d, "rx_received", app->rx.ours);
	rte_tel_data_add_dict_u64(d, "rx_reordered", app->rx.reordered);
	return 0;
}

/* Every started port's counters and its qdiscs' (current + retired) now. */
static void
app_tel_take(const struct app *app, struct app_tel_sample *s)
{
	memset(s, 0, sizeof(*s));
	s->tsc = rte_get_timer_cycles();
	for (uint16_t id = 0; id < APP_MAX_PORTS; id++) {
		struct app_tel_port_sample *p = &s->port[id];
		struct sn_netdev *dev = app->ports[id].dev;
		struct rte_eth_stats st;

		if (!app->ports[id].started || dev == NULL || rte_eth_stats_get(id, &st) != 0)
			continue;
		p->on = true;
		p->ipackets = st.ipackets;
		p->ibytes = st.ibytes;
		p->opackets = st.opackets;
		p->obytes = st.obytes;
		p->nb_txq = RTE_MIN(sn_netdev_nb_txq(dev), (uint16_t)APP_TEL_TXQ_MAX);
		for (uint16_t q = 0; q < p->nb_txq; q++) {
			struct sn_qdisc_info info;

			memset(&info, 0, sizeof(info));
			if (sn_qdisc_info(dev, q, &info) != 0 && info.kind[0] == '\0')
				continue;
			p->q_packets[q] = info.stats.bstats.packets + info.retired.bstats.packets;
			p->q_bytes[q] = info.stats.bstats.bytes + info.retired.bstats.bytes;
			p->q_drops[q] = info.stats.qstats.drops + info.retired.qstats.drops;
		}
	}
}

/* A counter's rate; a counter that went back (cleared, reconfigured) counts from 0. */
static uint64_t
app_tel_rate(uint64_t now, uint64_t then, double secs, double scale)
{
	uint64_t diff = now >= then ? now - then : now;

	return secs > 0 ? (uint64_t)((double)diff * scale / secs + 0.5) : 0;
}

static void
app_tel_port_rates(struct rte_tel_data *d, uint16_t id, const struct app_tel_port_sample *n,
		   const struct app_tel_port_sample *o, double secs)
{
	struct rte_tel_data *c = rte_tel_data_alloc();
	char name[32];

	if (c == NULL)
		return;
	rte_tel_data_start_dict(c);
	rte_tel_data_add_dict_u64(c, "rx_pps", app_tel_rate(n->ipackets, o->ipackets, secs, 1));
	rte_tel_data_add_dict_u64(c, "rx_bps", app_tel_rate(n->ibytes, o->ibytes, secs, 8));
	rte_tel_data_add_dict_u64(c, "tx_pps", app_tel_rate(n->opackets, o->opackets, secs, 1));
	rte_tel_data_add_dict_u64(c, "tx_bps", app_tel_rate(n->obytes, o->obytes, secs, 8));
	snprintf(name, sizeof(name), "port%u", id);
	rte_tel_data_add_dict_container(d, name, c, 0);
	for (uint16_t q = 0; q < n->nb_txq; q++) {
		c = rte_tel_data_alloc();
		if (c == NULL)
			return;
		rte_tel_data_start_dict(c);
		rte_tel_data_add_dict_u64(c, "pps", app_tel_rate(n->q_packets[q], q < o->nb_txq ?
								 o->q_packets[q] : 0, secs, 1));
		rte_tel_data_add_dict_u64(c, "bps", app_tel_rate(n->q_bytes[q], q < o->nb_txq ?
								 o->q_bytes[q] : 0, secs, 8));
		rte_tel_data_add_dict_u64(c, "drops_ps", app_tel_rate(n->q_drops[q], q < o->nb_txq ?
								      o->q_drops[q] : 0, secs, 1));
		snprintf(name, sizeof(name), "port%u_txq%u_qdisc", id, q);
		rte_tel_data_add_dict_container(d, name, c, 0);
	}
}

/*
 * Rates between a sample taken now (at most every 100 ms) and the newest
 * one at least a period older, else the oldest kept: over the last second
 * for a client asking every second or less often, and since the previous
 * question for one asking more often (interval_ms says which).
 */
static int
app_tel_rates(const char *cmd __rte_unused, const char *params, struct rte_tel_data *d)
{
	const struct app *app = app_tel_app;
	const uint64_t hz = rte_get_timer_hz();
	const struct app_tel_sample *n, *o = NULL;
	long want = -1;
	double secs;

	if (params != NULL && params[0] != '\0') {
		char *end;

		want = strtol(params, &end, 10);
		if (*end != '\0' || want < 0 || want >= APP_MAX_PORTS || !app->ports[want].started)
			return app_tel_usage(d, "no such started port", APP_TEL_RATES_USAGE);
	}
	pthread_mutex_lock(&app_tel_lock);
	n = &app_tel_samples[app_tel_head];
	if (n->tsc == 0 || rte_get_timer_cycles() - n->tsc >= hz / 1000 * APP_TEL_MIN_GAP_MS) {
		if (n->tsc != 0)
			app_tel_head = (app_tel_head + 1) % APP_TEL_SAMPLES;
		app_tel_take(app, &app_tel_samples[app_tel_head]);
		n = &app_tel_samples[app_tel_head];
	}
	for (unsigned int k = 1; k < APP_TEL_SAMPLES; k++) {
		const struct app_tel_sample *s =
			&app_tel_samples[(app_tel_head + APP_TEL_SAMPLES - k) % APP_TEL_SAMPLES];

		if (s->tsc == 0 || s->tsc >= n->tsc)
			break;
		o = s;
		if (n->tsc - s->tsc >= hz / 1000 * APP_TEL_PERIOD_MS)
			break;
	}
	rte_tel_data_start_dict(d);
	secs = o != NULL ? (double)(n->tsc - o->tsc) / (double)hz : 0;
	rte_tel_data_add_dict_u64(d, "interval_ms", (uint64_t)(secs * 1000 + 0.5));
	for (uint16_t id = 0; id < APP_MAX_PORTS; id++) {
		if (!n->port[id].on || (want >= 0 && id != want))
			continue;
		/* The first question has no history: rates 0 and interval_ms 0. */
		app_tel_port_rates(d, id, &n->port[id], o != NULL && o->port[id].on ?
				   &o->port[id] : &n->port[id], secs);
	}
	pthread_mutex_unlock(&app_tel_lock);
	return 0;
}

static const char *
app_tel_mode(int mode)
{
	return mode == SN_RX_POLL ? "poll" : mode == SN_RX_INTERRUPT ? "interrupt" : "off";
}

static int
app_tel_rx(const char *cmd __rte_unused, const char *params, struct rte_tel_data *d)
{
	const struct app *app = app_tel_app;
	struct app_rx_latency l;

	if (params != NULL && params[0] != '\0')
		return app_tel_usage(d, "no parameters", APP_TEL_RX_USAGE);
	app_rx_latency_get(app, &l);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_int(d, "counting", app->rx.on);
	rte_tel_data_add_dict_int(d, "port", app->rx.port);
	rte_tel_data_add_dict_u64(d, "received", app->rx.rx_pkts);
	rte_tel_data_add_dict_u64(d, "ours", app->rx.ours);
	rte_tel_data_add_dict_u64(d, "gaps", app->rx.gaps);
	rte_tel_data_add_dict_u64(d, "reordered", app->rx.reordered);
	rte_tel_data_add_dict_u64(d, "latency_min_ns", (uint64_t)l.min_ns);
	rte_tel_data_add_dict_u64(d, "latency_avg_ns", (uint64_t)l.avg_ns);
	rte_tel_data_add_dict_u64(d, "latency_max_ns", (uint64_t)l.max_ns);
	rte_tel_data_add_dict_u64(d, "latency_p50_ns", l.p50);
	rte_tel_data_add_dict_u64(d, "latency_p90_ns", l.p90);
	rte_tel_data_add_dict_u64(d, "latency_p99_ns", l.p99);
	rte_tel_data_add_dict_u64(d, "latency_p99_9_ns", l.p999);
	for (uint16_t id = 0; id < APP_MAX_PORTS; id++) {
		struct rte_tel_data *c;
		struct app_rx_napi n;
		char name[32];

		if (app_rx_napi_get(id, &n) != 0)
			continue;
		c = rte_tel_data_alloc();
		if (c == NULL)
			return -ENOMEM;
		rte_tel_data_start_dict(c);
		rte_tel_data_add_dict_string(c, "mode", app_tel_mode(n.mode));
		rte_tel_data_add_dict_string(c, "served", app_tel_mode(n.served));
		rte_tel_data_add_dict_u64(c, "packets", n.packets);
		rte_tel_data_add_dict_u64(c, "polls", n.polls);
		rte_tel_data_add_dict_u64(c, "interrupts", n.irqs);
		rte_tel_data_add_dict_u64(c, "budget_exhausted", n.time_squeeze);
		rte_tel_data_add_dict_u64(c, "sleeps", n.sleeps);
		rte_tel_data_add_dict_u64(c, "wakeups", n.wakeups);
		rte_tel_data_add_dict_u64(c, "arp_replies", n.arp_replies);
		rte_tel_data_add_dict_u64(c, "icmp_replies", n.icmp_replies);
		snprintf(name, sizeof(name), "napi_port%u", id);
		rte_tel_data_add_dict_container(d, name, c, 0);
	}
	return 0;
}

int
app_telemetry_register(struct app *app)
{
	int rc;

	app_tel_app = app;
	rc = sn_telemetry_register();
	if (rc != 0)
		return rc;
	rc = rte_telemetry_register_cmd("/softnet/gen", app_tel_gen,
					"The softnet generator: state, counters, rate. No parameters.");
	if (rc == 0)
		rc = rte_telemetry_register_cmd("/softnet/rates", app_tel_rates,
						"Rates over the last second: per port and per txq qdisc. "
						"Parameter: a port (optional).");
	if (rc == 0)
		rc = rte_telemetry_register_cmd("/softnet/rx", app_tel_rx,
						"Receive counting, latency percentiles (ns), NAPI "
						"counters. No parameters.");
	return rc;
}
