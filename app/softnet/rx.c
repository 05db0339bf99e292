/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Receive counting (loss, reordering, latency) on the main lcore, or in the
 * receive lcore's callback; receive through softnet's NET_RX on the receive
 * lcore (`rx mode`, `responder`).
 */

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include <sn_ethdev.h>
#include <sn_mbuf.h>
#include <sn_responder.h>
#include <sn_rx.h>
#include <sn_softnet.h>

#include "cli.h"
#include "gen.h"
#include "rx.h"

#define APP_RX_BURST 64
#define APP_RX_BURSTS_PER_POLL 64
#define APP_RX_NONE RTE_MAX_LCORE

/* One port served by the receive lcore. */
struct app_napi_port {
	int mode;                 /* asked; APP_RX_MODE_OFF: not served */
	bool queued;              /* its queue 0 is on the receive lcore */
	bool ever;                /* had a mode once: show its counters */
	struct sn_responder *resp;
	uint32_t ipv4;            /* network order, 0: no responder */
	uint8_t plen;
	/* Kept when the queue or the responder goes (show rx, the summary). */
	struct sn_rx_queue_stats last_q;
	struct sn_responder_stats last_r;
	int last_served;
};

/* The receive lcore: written by the main lcore's commands only. */
static struct {
	unsigned int lcore;       /* APP_RX_NONE: no port has a mode */
	bool launched;
	volatile bool stop;
	struct sn_rx_lcore_stats last_l; /* when it last left its loop */
	struct app_napi_port port[APP_MAX_PORTS];
} app_napi = { .lcore = APP_RX_NONE };

static bool
app_napi_serves(uint16_t port)
{
	return port < APP_MAX_PORTS && app_napi.port[port].queued;
}

static void
app_rx_zero(struct app_rx *rx)
{
	uint16_t port = rx->port;
	bool on = rx->on;

	memset(rx, 0, sizeof(*rx));
	rx->port = port;
	rx->on = on;
	rx->lat_min = UINT64_MAX;
}

static uint64_t
app_sent_total(void)
{
	struct sn_softnet_stats st;

	sn_softnet_stats_sum(&st);
	return st.sent;
}

void
app_rx_start(struct app *app, uint16_t port)
{
	app->rx.port = port;
	app->rx.on = true;
	app_rx_zero(&app->rx);
	app->rx.sent_base = app_sent_total();
}

void
app_rx_stop(struct app *app)
{
	app_rx_drain(app, 20);
	app->rx.on = false;
}

void
app_rx_clear(struct app *app)
{
	app_rx_zero(&app->rx);
	app->rx.sent_base = app_sent_total();
}

void
app_rx_new_run(struct app *app)
{
	memset(app->rx.seen, 0, sizeof(app->rx.seen));
}

/* Bucket: 8 per power of two of nanoseconds (12.5% wide at most). */
static unsigned int
app_lat_bucket(uint64_t ns)
{
	unsigned int msb, sub;

	if (ns < 8)
		return (unsigned int)ns;
	msb = 63u - (unsigned int)__builtin_clzll(ns);
	sub = (unsigned int)(ns >> (msb - 3)) & 7u;
	return RTE_MIN(msb * 8u + sub, (unsigned int)APP_LAT_BUCKETS - 1);
}

/* The upper bound of a bucket, in ns. */
static uint64_t
app_lat_bucket_max(unsigned int b)
{
	unsigned int msb = b / 8, sub = b % 8;

	if (b < 8)
		return b;
	return ((8ull + sub + 1) << (msb - 3)) - 1;
}

static void
app_rx_one(struct app *app, struct rte_mbuf *m, uint64_t now)
{
	struct app_rx *rx = &app->rx;
	const uint8_t *d = rte_pktmbuf_mtod(m, const uint8_t *);
	struct app_stamp st;
	unsigned int gen;
	uint64_t seq, lat, ns;

	rx->rx_pkts++;
	if (m->data_len < APP_STAMP_OFF + sizeof(st))
		return;
	memcpy(&st, d + APP_STAMP_OFF, sizeof(st));
	if (st.magic != APP_STAMP_MAGIC || d[12] != 0x08 || d[13] != 0x00 || d[23] != IPPROTO_UDP)
		return;
	rx->ours++;
	gen = (unsigned int)(st.seq >> APP_SEQ_GEN_SHIFT);
	seq = st.seq & ((1ULL << APP_SEQ_GEN_SHIFT) - 1);
	if (!rx->seen[gen]) {
		rx->seen[gen] = 1;
		rx->gaps += seq; /* the first ones of this run never came */
		rx->next_seq[gen] = seq + 1;
	} else if (seq == rx->next_seq[gen]) {
		rx->next_seq[gen]++;
	} else if (seq > rx->next_seq[gen]) {
		rx->gaps += seq - rx->next_seq[gen];
		rx->next_seq[gen] = seq + 1;
	} else {
		rx->reordered++;
		if (rx->gaps > 0)
			rx->gaps--; /* a late one fills a hole counted before */
	}
	lat = now > st.tsc ? now - st.tsc : 0;
	rx->lat_sum += lat;
	rx->lat_min = RTE_MIN(rx->lat_min, lat);
	rx->lat_max = RTE_MAX(rx->lat_max, lat);
	ns = lat * 1000000000ull / app->hz;
	rx->hist[app_lat_bucket(ns)]++;
}

unsigned int
app_rx_poll(struct app *app)
{
	struct rte_mbuf *pkts[APP_RX_BURST];
	unsigned int total = 0;

	if (!app->rx.on || app->rx.port >= APP_MAX_PORTS || !app->ports[app->rx.port].started ||
	    app_napi_serves(app->rx.port))
		return 0; /* the receive lcore's callback counts a port it serves */
	for (int b = 0; b < APP_RX_BURSTS_PER_POLL; b++) {
		uint16_t n = rte_eth_rx_burst(app->rx.port, 0, pkts, APP_RX_BURST);
		uint64_t now;

		if (n == 0)
			break;
		now = rte_rdtsc();
		for (uint16_t i = 0; i < n; i++)
			app_rx_one(app, pkts[i], now);
		rte_pktmbuf_free_bulk(pkts, n);
		total += n;
	}
	return total;
}

void
app_rx_drain(struct app *app, unsigned int quiet_ms)
{
	uint64_t quiet = app->hz / 1000 * quiet_ms, last = rte_get_timer_cycles();

	if (!app->rx.on)
		return;
	while (rte_get_timer_cycles() - last < quiet) {
		if (app_rx_poll(app) != 0)
			last = rte_get_timer_cycles();
		else
			rte_delay_us_sleep(100);
	}
}

static uint64_t
app_lat_pct(const struct app_rx *rx, double pct)
{
	uint64_t want = (uint64_t)((double)rx->ours * pct / 100.0 + 0.5), acc = 0;

	if (want == 0)
		want = 1;
	for (unsigned int b = 0; b < APP_LAT_BUCKETS; b++) {
		acc += rx->hist[b];
		if (acc >= want)
			return app_lat_bucket_max(b);
	}
	return 0;
}

void
app_rx_latency_get(const struct app *app, struct app_rx_latency *l)
{
	const struct app_rx *rx = &app->rx;
	double ns_per = 1e9 / (double)app->hz;

	memset(l, 0, sizeof(*l));
	l->count = rx->ours;
	if (rx->ours == 0)
		return;
	l->min_ns = (double)rx->lat_min * ns_per;
	l->avg_ns = (double)rx->lat_sum / (double)rx->ours * ns_per;
	l->max_ns = (double)rx->lat_max * ns_per;
	l->p50 = app_lat_pct(rx, 50);
	l->p90 = app_lat_pct(rx, 90);
	l->p99 = app_lat_pct(rx, 99);
	l->p999 = app_lat_pct(rx, 99.9);
}

static const char *
app_rx_mode_name(int mode)
{
	return mode == SN_RX_POLL ? "poll" : mode == SN_RX_INTERRUPT ? "interrupt" : "off";
}

static void app_napi_show(FILE *f, bool json);

void
app_rx_show(struct app *app, FILE *f, bool json)
{
	const struct app_rx *rx = &app->rx;
	uint64_t sent = app_sent_total() - rx->sent_base;
	uint64_t lost = sent > rx->ours ? sent - rx->ours : 0;
	double ns_per = 1e9 / (double)app->hz;
	double avg = rx->ours ? (double)rx->lat_sum / (double)rx->ours * ns_per : 0;
	double mn = rx->ours ? (double)rx->lat_min * ns_per : 0;
	double mx = (double)rx->lat_max * ns_per;
	uint64_t p50 = app_lat_pct(rx, 50), p90 = app_lat_pct(rx, 90), p99 = app_lat_pct(rx, 99),
		 p999 = app_lat_pct(rx, 99.9);

	if (json) {
		fprintf(f, "{\"rx\": {\"on\": %s, \"port\": %u, \"received\": %" PRIu64
			", \"ours\": %" PRIu64 ", \"sent\": %" PRIu64 ", \"lost\": %" PRIu64
			", \"gaps\": %" PRIu64 ", \"reordered\": %" PRIu64
			", \"latency_ns\": {\"min\": %.0f, \"avg\": %.0f, \"max\": %.0f, \"p50\": %" PRIu64
			", \"p90\": %" PRIu64 ", \"p99\": %" PRIu64 ", \"p99_9\": %" PRIu64 "}, \"napi\": ",
			rx->on ? "true" : "false", rx->port, rx->rx_pkts, rx->ours, sent, lost,
			rx->gaps, rx->reordered, mn, avg, mx, p50, p90, p99, p999);
		app_napi_show(f, true);
		fprintf(f, "}}\n");
		return;
	}
	fprintf(f, "rx on port %u (%s)\n", rx->port, rx->on ? "counting" : "stopped");
	fprintf(f, "  received   %" PRIu64 " (%" PRIu64 " generated here)\n", rx->rx_pkts, rx->ours);
	fprintf(f, "  sent       %" PRIu64 " by softnet since counting started\n", sent);
	fprintf(f, "  lost       %" PRIu64 " (sent - received; in flight counts until it lands)\n",
		lost);
	fprintf(f, "  gaps       %" PRIu64 " (sequence holes not filled later)\n", rx->gaps);
	fprintf(f, "  reordered  %" PRIu64 "\n", rx->reordered);
	fprintf(f, "  latency    min %.0f avg %.0f max %.0f ns; p50 %" PRIu64 " p90 %" PRIu64
		" p99 %" PRIu64 " p99.9 %" PRIu64 " ns (bucket upper bounds)\n",
		mn, avg, mx, p50, p90, p99, p999);
	app_napi_show(f, false);
}

/* ---- receive through softnet: the receive lcore (rx mode, responder) ---- */

/* The responder's next callback, or the queue's: count the generator's frames, free. */
static void
app_rx_count_cb(struct sn_softnet *sd, uint16_t port, uint16_t queue, struct rte_mbuf **pkts,
		uint16_t n, void *arg)
{
	struct app *app = arg;

	RTE_SET_USED(sd);
	RTE_SET_USED(queue);
	if (__atomic_load_n(&app->rx.on, __ATOMIC_RELAXED) && app->rx.port == port) {
		uint64_t now = rte_rdtsc();

		for (uint16_t i = 0; i < n; i++)
			app_rx_one(app, pkts[i], now);
	}
	rte_pktmbuf_free_bulk(pkts, n);
}

static int
app_napi_lcore_fn(void *arg)
{
	struct sn_rx_loop_conf conf;

	RTE_SET_USED(arg);
	memset(&conf, 0, sizeof(conf));
	return sn_rx_lcore_loop(&app_napi.stop, &conf);
}

/* Take the receive lcore out of its loop (queues and callbacks may change then). */
static void
app_napi_pause(void)
{
	if (!app_napi.launched)
		return;
	app_napi.stop = true;
	/* Not in its loop yet: it sees the flag on its first pass. */
	while (rte_eal_get_lcore_state(app_napi.lcore) == RUNNING &&
	       sn_rx_lcore_wake(app_napi.lcore) == -ENOENT)
		rte_delay_us_sleep(100);
	rte_eal_wait_lcore(app_napi.lcore);
	app_napi.launched = false;
	sn_rx_lcore_stats_get(app_napi.lcore, &app_napi.last_l);
}

/* Keep a port's counters before its queue or responder goes. */
static void
app_napi_keep(uint16_t port)
{
	struct app_napi_port *np = &app_napi.port[port];
	int m;

	if (np->queued) {
		sn_rx_queue_stats_get(port, 0, &np->last_q);
		m = sn_rx_queue_mode(port, 0);
		np->last_served = m >= 0 ? m : -1;
	}
	if (np->resp != NULL)
		sn_responder_stats_get(np->resp, &np->last_r);
}

/* Launch the receive lcore again if a port has a mode; else give it back. */
static int
app_napi_resume(struct app_err *e)
{
	bool any = false;
	int rc;

	for (uint16_t id = 0; id < APP_MAX_PORTS; id++)
		any |= app_napi.port[id].queued;
	if (!any) {
		app_napi.lcore = APP_RX_NONE;
		return 0;
	}
	app_napi.stop = false;
	rc = rte_eal_remote_launch(app_napi_lcore_fn, NULL, app_napi.lcore);
	if (rc != 0)
		return app_fail(e, rc, "rx: cannot launch the receive lcore %u: %s", app_napi.lcore,
				strerror(-rc));
	app_napi.launched = true;
	/* Until it is in its loop (1 s at most): the served modes are known then. */
	for (int i = 0; i < 10000 && rte_eal_get_lcore_state(app_napi.lcore) == RUNNING &&
	     sn_rx_lcore_wake(app_napi.lcore) == -ENOENT; i++)
		rte_delay_us_sleep(100);
	return 0;
}

/* The receive lcore: the one already in use, else the last worker, if no generator has it. */
static int
app_napi_pick(struct app *app, const char *cmd, struct app_err *e)
{
	unsigned int lcore, last = APP_RX_NONE;

	if (app_napi.lcore != APP_RX_NONE)
		return 0;
	RTE_LCORE_FOREACH_WORKER(lcore)
		last = lcore;
	if (last == APP_RX_NONE)
		return app_fail(e, -ENOTSUP, "%s: receiving needs an EAL worker lcore besides the "
				"main one (add one with -l)", cmd);
	for (unsigned int i = 0; app->running && i < app->nb_gens; i++)
		if (app->gens[i].lcore == last)
			return app_fail(e, -EBUSY, "%s: the generator runs on lcore %u, which would "
					"receive (stop it first)", cmd, last);
	app_napi.lcore = last;
	return 0;
}

/*
 * RX interrupts need intr_conf.rxq at configure time: a port opened without
 * them is stopped, configured again with them (its queues stay) and started.
 */
static int
app_napi_intr_on(struct app *app, uint16_t port, struct app_err *e)
{
	struct app_port *p = &app->ports[port];
	struct rte_eth_dev_info info;
	struct rte_eth_conf conf;
	int rc;

	if (rte_eth_dev_conf_get(port, &conf) != 0 || rte_eth_dev_info_get(port, &info) != 0)
		return app_fail(e, -ENODEV, "rx mode: port %u: no configuration", port);
	if (conf.intr_conf.rxq)
		return 0;
	rc = sn_ethdev_stop(p->dev, NULL);
	if (rc != 0)
		return app_fail(e, rc, "rx mode: port %u: stop: %s", port, strerror(-rc));
	conf.intr_conf.rxq = 1;
	rc = rte_eth_dev_configure(port, info.nb_rx_queues, info.nb_tx_queues, &conf);
	if (rc != 0) {
		/* As it was: the port keeps working without interrupts. */
		conf.intr_conf.rxq = 0;
		rte_eth_dev_configure(port, info.nb_rx_queues, info.nb_tx_queues, &conf);
	}
	if (sn_ethdev_start(p->dev) != 0)
		p->started = false;
	if (rc != 0)
		return app_fail(e, rc, "rx mode: port %u: RX interrupts: %s", port, strerror(-rc));
	if (!p->started)
		return app_fail(e, -EIO, "rx mode: port %u did not start again", port);
	return 0;
}

/* (Re)assign a port's queue 0 as its state says; the lcore is out of its loop. */
static int
app_napi_assign(struct app *app, uint16_t port, struct app_err *e)
{
	struct app_napi_port *np = &app_napi.port[port];
	struct sn_rx_queue_conf qc;
	int rc;

	if (np->queued) {
		app_napi_keep(port);
		sn_rx_queue_del(port, 0);
		np->queued = false;
	}
	if (np->mode == APP_RX_MODE_OFF)
		return 0;
	memset(&qc, 0, sizeof(qc));
	qc.mode = np->mode == SN_RX_INTERRUPT ? SN_RX_INTERRUPT : SN_RX_POLL;
	if (np->resp != NULL) {
		qc.cb = sn_responder_rx;
		qc.cb_arg = np->resp;
	} else {
		qc.cb = app_rx_count_cb;
		qc.cb_arg = app;
	}
	/* What the main lcore's counting left in the queue. */
	app_port_rx_flush(port);
	rc = sn_rx_queue_add(port, 0, app_napi.lcore, &qc);
	if (rc != 0)
		return app_fail(e, rc, "rx mode: port %u queue 0 on lcore %u: %s", port,
				app_napi.lcore, strerror(-rc));
	np->queued = true;
	np->ever = true;
	return 0;
}

int
app_rx_mode_set(struct app *app, uint16_t port, int mode, struct app_err *e)
{
	struct app_napi_port *np;
	struct app_port *p;
	int rc, rrc;

	rc = app_port_get(app, port, true, "rx mode", e, &p);
	if (rc != 0)
		return rc;
	np = &app_napi.port[port];
	if (mode == APP_RX_MODE_OFF) {
		if (!np->queued)
			return app_fail(e, -EALREADY, "rx mode: port %u is not served", port);
	} else {
		if (!p->started)
			return app_fail(e, -ENETDOWN, "rx mode: port %u is stopped (port start %u)",
					port, port);
		if (mode == SN_RX_INTERRUPT && app->running && app->spec.port == port)
			return app_fail(e, -EBUSY, "rx mode: interrupt mode restarts port %u, where "
					"the generator sends (stop it first)", port);
		rc = app_napi_pick(app, "rx mode", e);
		if (rc != 0)
			return rc;
	}
	app_napi_pause();
	if (mode == SN_RX_INTERRUPT)
		rc = app_napi_intr_on(app, port, e);
	if (rc == 0) {
		np->mode = mode;
		rc = app_napi_assign(app, port, e);
	}
	if (mode == APP_RX_MODE_OFF && np->resp != NULL) {
		app_napi_keep(port);
		sn_responder_free(np->resp);
		np->resp = NULL;
	}
	rrc = app_napi_resume(e);
	return rc != 0 ? rc : rrc;
}

int
app_rx_responder_set(struct app *app, uint16_t port, uint32_t ipv4, uint8_t plen,
		     struct app_err *e)
{
	struct app_napi_port *np;
	struct sn_responder *r = NULL, *old;
	struct app_port *p;
	int rc;

	rc = app_port_get(app, port, true, "responder", e, &p);
	if (rc != 0)
		return rc;
	np = &app_napi.port[port];
	if (ipv4 == 0 && np->resp == NULL)
		return app_fail(e, -EALREADY, "responder: port %u has none", port);
	if (ipv4 != 0) {
		struct sn_responder_conf rc_conf;

		memset(&rc_conf, 0, sizeof(rc_conf));
		rc_conf.dev = p->dev;
		rc_conf.txq = 0;
		rc_conf.ipv4 = ipv4;
		rc_conf.next = app_rx_count_cb;
		rc_conf.next_arg = app;
		/* Replies overtake bulk traffic in pfifo_fast (band 0), as the kernel's would. */
		rc_conf.prio = SN_PRIO_INTERACTIVE;
		if (rte_eth_macaddr_get(port, &rc_conf.mac) != 0)
			return app_fail(e, -ENODEV, "responder: port %u has no MAC address", port);
		if (np->mode == APP_RX_MODE_OFF || !np->queued) {
			/* No mode yet: NAPI, as a kernel driver would. */
			rc = app_rx_mode_set(app, port, SN_RX_INTERRUPT, e);
			if (rc != 0)
				return rc;
		}
		r = sn_responder_create(&rc_conf);
		if (r == NULL)
			return app_fail(e, -ENOMEM, "responder: port %u: cannot create it", port);
	}
	app_napi_pause();
	old = np->resp;
	if (old != NULL)
		app_napi_keep(port);
	np->resp = r;
	np->ipv4 = ipv4;
	np->plen = plen;
	rc = sn_rx_callback_set(port, 0, r != NULL ? sn_responder_rx : app_rx_count_cb,
				r != NULL ? (void *)r : (void *)app);
	if (old != NULL)
		sn_responder_free(old);
	if (rc != 0) {
		app_fail(e, rc, "responder: port %u: %s", port, strerror(-rc));
		if (r != NULL) {
			np->resp = NULL;
			sn_responder_free(r);
		}
	}
	if (r != NULL)
		memset(&np->last_r, 0, sizeof(np->last_r));
	{
		int rrc = app_napi_resume(e);

		return rc != 0 ? rc : rrc;
	}
}

unsigned int
app_rx_lcore(void)
{
	return app_napi.lcore;
}

void
app_rx_port_off(struct app *app, uint16_t port)
{
	struct app_napi_port *np;
	struct app_err e;

	RTE_SET_USED(app);
	if (port >= APP_MAX_PORTS)
		return;
	np = &app_napi.port[port];
	if (!np->queued && np->resp == NULL)
		return;
	app_napi_pause();
	app_napi_keep(port);
	if (np->queued)
		sn_rx_queue_del(port, 0);
	np->queued = false;
	np->mode = APP_RX_MODE_OFF;
	sn_responder_free(np->resp);
	np->resp = NULL;
	app_napi_resume(&e);
}

void
app_rx_fini(struct app *app)
{
	RTE_SET_USED(app);
	app_napi_pause();
	for (uint16_t id = 0; id < APP_MAX_PORTS; id++) {
		struct app_napi_port *np = &app_napi.port[id];

		app_napi_keep(id);
		if (np->queued)
			sn_rx_queue_del(id, 0);
		np->queued = false;
		np->mode = APP_RX_MODE_OFF;
		sn_responder_free(np->resp);
		np->resp = NULL;
	}
	app_napi.lcore = APP_RX_NONE;
}

int
app_rx_napi_get(uint16_t port, struct app_rx_napi *n)
{
	const struct app_napi_port *np;
	struct sn_rx_queue_stats q;
	struct sn_responder_stats r;
	struct sn_rx_lcore_stats l;
	int m;

	if (port >= APP_MAX_PORTS || !app_napi.port[port].ever)
		return -ENOENT;
	np = &app_napi.port[port];
	memset(n, 0, sizeof(*n));
	q = np->last_q;
	r = np->last_r;
	l = app_napi.last_l;
	n->served = np->last_served;
	if (np->queued) {
		sn_rx_queue_stats_get(port, 0, &q);
		m = sn_rx_queue_mode(port, 0);
		n->served = m >= 0 ? m : -1;
	}
	if (np->resp != NULL)
		sn_responder_stats_get(np->resp, &r);
	if (app_napi.launched)
		sn_rx_lcore_stats_get(app_napi.lcore, &l);
	n->mode = np->queued ? np->mode : APP_RX_MODE_OFF;
	n->lcore = app_napi.lcore;
	n->packets = q.packets;
	n->polls = q.polls;
	n->irqs = q.irqs;
	n->rearms = q.rearms;
	n->time_squeeze = q.time_squeeze;
	n->sleeps = l.sleeps;
	n->wakeups = l.wakeups;
	n->rx_action = l.rx_action;
	n->responder = np->resp != NULL;
	n->ipv4 = np->ipv4;
	n->plen = np->plen;
	n->arp_replies = r.arp_replies;
	n->icmp_replies = r.icmp_replies;
	n->resp_tx_dropped = r.tx_dropped;
	n->resp_other = r.other;
	return 0;
}

uint64_t
app_rx_replies(void)
{
	uint64_t n = 0;

	for (uint16_t id = 0; id < APP_MAX_PORTS; id++) {
		struct app_rx_napi r;

		if (app_rx_napi_get(id, &r) == 0)
			n += r.arp_replies + r.icmp_replies;
	}
	return n;
}

static void
app_napi_show(FILE *f, bool json)
{
	bool first = true;

	if (json)
		fprintf(f, "[");
	for (uint16_t id = 0; id < APP_MAX_PORTS; id++) {
		struct app_rx_napi n;
		char ip[INET_ADDRSTRLEN] = "";

		if (app_rx_napi_get(id, &n) != 0)
			continue;
		if (n.ipv4 != 0)
			inet_ntop(AF_INET, &n.ipv4, ip, sizeof(ip));
		if (json) {
			fprintf(f, "%s{\"port\": %u, \"mode\": \"%s\", \"served\": \"%s\", "
				"\"lcore\": %d, \"packets\": %" PRIu64 ", \"polls\": %" PRIu64
				", \"interrupts\": %" PRIu64 ", \"rearms\": %" PRIu64
				", \"budget_exhausted\": %" PRIu64 ", \"sleeps\": %" PRIu64
				", \"wakeups\": %" PRIu64 ", \"net_rx\": %" PRIu64 ", \"responder\": ",
				first ? "" : ", ", id, app_rx_mode_name(n.mode),
				n.served < 0 ? "none" : app_rx_mode_name(n.served),
				n.lcore == APP_RX_NONE ? -1 : (int)n.lcore, n.packets, n.polls, n.irqs,
				n.rearms, n.time_squeeze, n.sleeps, n.wakeups, n.rx_action);
			if (n.ipv4 != 0 || n.arp_replies != 0 || n.icmp_replies != 0)
				fprintf(f, "{\"address\": \"%s/%u\", \"arp_replies\": %" PRIu64
					", \"icmp_replies\": %" PRIu64 ", \"tx_dropped\": %" PRIu64
					", \"other\": %" PRIu64 "}}", ip[0] ? ip : "", n.plen,
					n.arp_replies, n.icmp_replies, n.resp_tx_dropped, n.resp_other);
			else
				fprintf(f, "null}");
			first = false;
			continue;
		}
		if (first && n.lcore == APP_RX_NONE)
			fprintf(f, "receive through softnet (NAPI): no receive lcore now\n");
		else if (first)
			fprintf(f, "receive through softnet (NAPI) on lcore %u:\n", n.lcore);
		fprintf(f, "  port %u   %s (served: %s)\n", id, app_rx_mode_name(n.mode),
			n.served < 0 ? "-" : app_rx_mode_name(n.served));
		fprintf(f, "    packets %" PRIu64 ", polls %" PRIu64 ", interrupts %" PRIu64
			", re-arms %" PRIu64 ", budget exhausted %" PRIu64 "\n", n.packets, n.polls,
			n.irqs, n.rearms, n.time_squeeze);
		fprintf(f, "    lcore: sleeps %" PRIu64 ", wakeups %" PRIu64 ", NET_RX runs %" PRIu64
			"\n", n.sleeps, n.wakeups, n.rx_action);
		if (n.ipv4 != 0)
			fprintf(f, "    responder %s/%u: ARP replies %" PRIu64 ", echo replies %" PRIu64
				", replies dropped %" PRIu64 ", other packets %" PRIu64 "\n", ip, n.plen,
				n.arp_replies, n.icmp_replies, n.resp_tx_dropped, n.resp_other);
		first = false;
	}
	if (json)
		fprintf(f, "]");
}

void
app_rx_napi_summary(FILE *f)
{
	for (uint16_t id = 0; id < APP_MAX_PORTS; id++) {
		struct app_rx_napi n;

		if (app_rx_napi_get(id, &n) != 0)
			continue;
		fprintf(f, "  receive:        port %u %s: %" PRIu64 " packets, %" PRIu64 " polls, %"
			PRIu64 " interrupts, %" PRIu64 " budget exhausted; lcore sleeps %" PRIu64,
			id, n.served < 0 ? app_rx_mode_name(n.mode) : app_rx_mode_name(n.served),
			n.packets, n.polls, n.irqs, n.time_squeeze, n.sleeps);
		if (n.arp_replies != 0 || n.icmp_replies != 0)
			fprintf(f, "; replied ARP %" PRIu64 ", echo %" PRIu64, n.arp_replies,
				n.icmp_replies);
		fprintf(f, "\n");
	}
}
