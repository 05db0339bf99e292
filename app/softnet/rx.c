/* SPDX-License-Identifier: BSD-3-Clause */
/* Receive counting on the main lcore: loss, reordering, latency. */

#include <inttypes.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include <sn_softnet.h>

#include "gen.h"
#include "rx.h"

#define APP_RX_BURST 64
#define APP_RX_BURSTS_PER_POLL 64

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

	if (!app->rx.on || app->rx.port >= APP_MAX_PORTS || !app->ports[app->rx.port].started)
		return 0;
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
			", \"p90\": %" PRIu64 ", \"p99\": %" PRIu64 ", \"p99_9\": %" PRIu64 "}}}\n",
			rx->on ? "true" : "false", rx->port, rx->rx_pkts, rx->ours, sent, lost,
			rx->gaps, rx->reordered, mn, avg, mx, p50, p90, p99, p999);
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
}
