/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The generator loop. Per packet it costs one 64-byte copy and two length
 * stores; the mbufs already hold the whole frame and its priority (frame.c).
 * Counters live in the generator's own cache line and are published with
 * relaxed stores once per burst; only the main lcore reads them.
 */

#include <signal.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_mbuf.h>
#include <rte_memcpy.h>
#include <rte_ip.h>
#include <rte_pause.h>
#include <rte_udp.h>

#include <sn_linerate.h>
#include <sn_mbuf.h>
#include <sn_netdev.h>
#include <sn_qdisc.h>
#include <sn_softnet.h>
#include <sn_xmit.h>

#include "gen.h"
#include "options.h"

/* Longest a stopping generator keeps polling for its queued work. */
#define APP_DRAIN_MS 2000
/* How often a main-lcore generator calls its tick. */
#define APP_TICK_MS 10

static volatile sig_atomic_t app_stop_flag;

void
app_gen_stop(void)
{
	app_stop_flag = 1;
}

void
app_gen_rearm(void)
{
	app_stop_flag = 0;
}

bool
app_gen_stopping(void)
{
	return app_stop_flag != 0;
}

/* The fast path: one frame for every packet; only the stamp changes. */
static __rte_always_inline void
app_gen_fill(struct rte_mbuf **pkts, uint16_t n, const struct app_frame *f, uint64_t *seq,
	     uint64_t tsc)
{
	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		uint8_t *d = rte_pktmbuf_mtod(m, uint8_t *);
		struct app_stamp *st = (struct app_stamp *)(d + APP_STAMP_OFF);

		/* A constant size lets the compiler emit two vector stores. */
		if (likely(f->copy_len == APP_HDR_COPY))
			memcpy(d, f->data, APP_HDR_COPY);
		else
			memcpy(d, f->data, f->copy_len);
		st->seq = (*seq)++;
		st->tsc = tsc;
		m->data_len = (uint16_t)f->len;
		m->pkt_len = f->len;
	}
}

/* xorshift64*: a cheap per-generator random source for `random` fields. */
static inline uint64_t
app_rand(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545F4914F6CDD1DULL;
}

static inline uint64_t
app_field_value(const struct app_field *fl, uint64_t k, uint64_t *rng, uint64_t mask)
{
	switch (fl->mode) {
	case APP_FIELD_RANGE:
		return fl->lo + k % (fl->hi - fl->lo + 1);
	case APP_FIELD_RANDOM:
		return app_rand(rng) & mask;
	default:
		return fl->lo;
	}
}

static inline void
app_put_mac(struct rte_ether_addr *a, uint64_t v)
{
	for (int i = 5; i >= 0; i--) {
		a->addr_bytes[i] = (uint8_t)v;
		v >>= 8;
	}
}

/*
 * The varying path: packet k of this generator gets the k-th value of every
 * ranged field, the k-th IMIX size and the k-th priority of the list (so
 * ranges and lists of equal length pair up into flows).
 */
static void
app_gen_fill_vary(struct rte_mbuf **pkts, uint16_t n, const struct app_gen_conf *c,
		  uint64_t *seq, uint64_t tsc, uint64_t *rng)
{
	const struct app_frame *f = c->frame;

	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		uint8_t *d = rte_pktmbuf_mtod(m, uint8_t *);
		struct rte_ether_hdr *eth = (struct rte_ether_hdr *)d;
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
		struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);
		struct app_stamp *st = (struct app_stamp *)(d + APP_STAMP_OFF);
		uint64_t k = *seq & ((1ULL << APP_SEQ_GEN_SHIFT) - 1);
		uint32_t len = c->sizes != NULL ? c->sizes[k % c->nb_sizes] : f->len;

		memcpy(d, f->data, APP_HDR_COPY);
		if (c->field[APP_GF_MAC_SRC].mode != APP_FIELD_FIXED)
			app_put_mac(&eth->src_addr, app_field_value(&c->field[APP_GF_MAC_SRC], k, rng,
								    0xfeffffffffffULL));
		if (c->field[APP_GF_MAC_DST].mode != APP_FIELD_FIXED)
			app_put_mac(&eth->dst_addr, app_field_value(&c->field[APP_GF_MAC_DST], k, rng,
								    0xfeffffffffffULL));
		ip->src_addr = rte_cpu_to_be_32((uint32_t)app_field_value(&c->field[APP_GF_IP_SRC],
									  k, rng, UINT32_MAX));
		ip->dst_addr = rte_cpu_to_be_32((uint32_t)app_field_value(&c->field[APP_GF_IP_DST],
									  k, rng, UINT32_MAX));
		ip->total_length = rte_cpu_to_be_16((uint16_t)(len - sizeof(*eth)));
		ip->hdr_checksum = 0;
		ip->hdr_checksum = rte_ipv4_cksum(ip);
		udp->src_port = rte_cpu_to_be_16((uint16_t)app_field_value(&c->field[APP_GF_SPORT],
									   k, rng, UINT16_MAX));
		udp->dst_port = rte_cpu_to_be_16((uint16_t)app_field_value(&c->field[APP_GF_DPORT],
									   k, rng, UINT16_MAX));
		udp->dgram_len = rte_cpu_to_be_16((uint16_t)(len - sizeof(*eth) - sizeof(*ip)));
		if (c->nb_prio != 0)
			sn_mbuf_prio_set(m, c->prio[k % c->nb_prio]);
		st->seq = (*seq)++;
		st->tsc = tsc;
		m->data_len = (uint16_t)len;
		m->pkt_len = len;
	}
}

static uint16_t
app_gen_xmit_single(struct sn_softnet *sd, const struct app_gen_conf *c, uint16_t txq,
		    struct rte_mbuf **pkts, uint16_t n)
{
	/* The generator runs in process context: the plug cannot be refused. */
	const bool plugged = c->plug && sn_xmit_plug(sd) == 0;
	uint16_t ok = 0;

	for (uint16_t i = 0; i < n; i++) {
		int rc = sn_xmit(sd, c->dev, txq, pkts[i]);

		/* SN_XMIT_CN: this one was queued, others were dropped (counted). */
		if (rc == SN_XMIT_SUCCESS || rc == SN_XMIT_CN)
			ok++;
	}
	if (plugged) {
		/* Held packets the qdisc dropped at the flush: counted there, not accepted. */
		int dropped = sn_xmit_unplug(sd);

		if (dropped > 0)
			ok = (uint16_t)(ok - RTE_MIN((uint16_t)dropped, ok));
	}
	return ok;
}

/*
 * This lcore's softirq work, and the port's when it is a line-rate model:
 * its wire and completions advance where it is fed (no interrupts).
 */
static inline unsigned int
app_gen_poll(struct sn_softnet *sd, const struct app_gen_conf *c)
{
	if (c->model != NULL)
		sn_linerate_poll(sd, c->model);
	return sn_softnet_poll(sd);
}

/*
 * A line-rate model still holds frames (in a qdisc, or in its ring): a
 * stopped queue gives softnet no work until the wire drains it, so the
 * drain below waits for the model itself.
 */
static bool
app_gen_model_busy(const struct app_gen_conf *c)
{
	for (uint16_t q = 0; c->model != NULL && q < sn_netdev_nb_txq(c->model); q++) {
		struct sn_linerate_stats ls;
		struct sn_qdisc_info qi;

		if (sn_linerate_stats(c->model, q, &ls) == 0 && ls.in_ring != 0)
			return true;
		if (sn_qdisc_info(c->model, q, &qi) == 0 && qi.stats.qstats.qlen != 0)
			return true;
	}
	return false;
}

/* Run this lcore's queued work until there is none (bounded: a stopped port). */
static void
app_gen_drain(struct sn_softnet *sd, const struct app_gen_conf *c)
{
	uint64_t deadline = rte_get_timer_cycles() + rte_get_timer_hz() / 1000 * APP_DRAIN_MS;

	while ((sn_softnet_has_work(sd) || app_gen_model_busy(c)) &&
	       rte_get_timer_cycles() < deadline) {
		if (app_gen_poll(sd, c) == 0)
			rte_pause();
	}
}

static void
app_gen_publish(struct app_gen *g, uint64_t handed, uint64_t accepted, uint64_t alloc_fail)
{
	__atomic_store_n(&g->handed, handed, __ATOMIC_RELAXED);
	__atomic_store_n(&g->accepted, accepted, __ATOMIC_RELAXED);
	__atomic_store_n(&g->alloc_fail, alloc_fail, __ATOMIC_RELAXED);
}

/* ---- pcap replay (replay.h) ---- */

/* A generator's place in the replay: frame k of loop `loop`. */
struct app_rp_pos {
	uint64_t loop;
	uint32_t k;
};

/* Past the last frame to send (all loops, or the count)? */
static inline bool
app_rp_ended(const struct app_gen_conf *c, const struct app_rp_pos *p)
{
	return c->replay_total != 0 && p->loop * c->replay.nb + p->k >= c->replay_total;
}

/* This generator's next frame: n generators, generator i takes i, i+n, ... of each loop. */
static inline void
app_rp_next(const struct app_gen_conf *c, uint32_t first, struct app_rp_pos *p)
{
	p->k += c->nb_gens;
	if (p->k >= c->replay.nb) {
		p->k = first;
		p->loop++;
	}
}

/* When frame p is due under the file's timing (TSC). */
static inline uint64_t
app_rp_due(const struct app_gen_conf *c, const struct app_rp_pos *p, uint64_t start,
	   double cycles_per_ns)
{
	double ns = (double)p->loop * (double)c->replay.period_ns +
		    (double)c->replay.pkts[p->k].ts_ns;

	return start + (uint64_t)(ns * cycles_per_ns);
}

/*
 * The replay loop: the frames of the file this generator owns, in file
 * order, each copied whole into an mbuf (no stamp: the frames are sent as
 * they were captured), paced by the file's timestamps or the rate.
 */
static void
app_gen_replay(struct app_gen *g, struct sn_softnet *sd, uint64_t deadline, uint64_t *handed_p,
	       uint64_t *accepted_p, uint64_t *alloc_fail_p)
{
	const struct app_gen_conf *c = g->conf;
	const uint64_t hz = rte_get_timer_hz(), tick_cycles = hz / 1000 * APP_TICK_MS;
	const double cycles_per_ns = (double)hz / 1e9 / c->replay.speed;
	struct rte_mbuf *pkts[APP_BURST_MAX];
	uint64_t handed = 0, accepted = 0, alloc_fail = 0, next_tick = 0;
	struct app_rp_pos pos = { .loop = 0, .k = g->index };

	if (g->index >= c->replay.nb)
		return; /* more generators than frames: nothing is this one's */
	while (!app_gen_stopping() && !app_rp_ended(c, &pos)) {
		struct app_rp_pos p = pos;
		uint64_t now = rte_get_timer_cycles(), allowed = c->burst;
		uint16_t n = 0, ok;

		if (now >= deadline)
			break;
		if (!c->replay.original && g->rate_pps != 0) {
			uint64_t due = (uint64_t)((unsigned __int128)(now - g->start_tsc) *
						  g->rate_pps / hz);

			allowed = due <= handed ? 0 : RTE_MIN(due - handed, allowed);
		}
		while (n < allowed && !app_rp_ended(c, &p)) {
			if (c->replay.original &&
			    app_rp_due(c, &p, g->start_tsc, cycles_per_ns) > now)
				break;
			n++;
			app_rp_next(c, g->index, &p);
		}
		if (n == 0) {
			if (app_gen_poll(sd, c) == 0)
				rte_pause();
		} else if (unlikely(rte_pktmbuf_alloc_bulk(c->pool, pkts, n) != 0)) {
			alloc_fail++;
			__atomic_store_n(&g->alloc_fail, alloc_fail, __ATOMIC_RELAXED);
			if (app_gen_poll(sd, c) == 0)
				rte_pause();
		} else {
			for (uint16_t i = 0; i < n; i++) {
				const struct app_replay_pkt *f = &c->replay.pkts[pos.k];

				rte_memcpy(rte_pktmbuf_mtod(pkts[i], void *), f->data, f->len);
				pkts[i]->data_len = (uint16_t)f->len;
				pkts[i]->pkt_len = f->len;
				app_rp_next(c, g->index, &pos);
			}
			if (c->single)
				ok = app_gen_xmit_single(sd, c, g->txq, pkts, n);
			else
				ok = sn_xmit_burst(sd, c->dev, g->txq, pkts, n);
			handed += n;
			accepted += ok;
			app_gen_publish(g, handed, accepted, alloc_fail);
			app_gen_poll(sd, c);
		}
		if (unlikely(g->tick != NULL)) {
			uint64_t t = rte_get_timer_cycles();

			if (t >= next_tick) {
				next_tick = t + tick_cycles;
				if (g->tick(g->tick_arg))
					app_gen_stop();
			}
		}
	}
	*handed_p = handed;
	*accepted_p = accepted;
	*alloc_fail_p = alloc_fail;
}

int
app_gen_lcore(void *arg)
{
	struct app_gen *g = arg;
	const struct app_gen_conf *c = g->conf;
	const uint64_t tick_cycles = rte_get_timer_hz() / 1000 * APP_TICK_MS;
	struct rte_mbuf *pkts[APP_BURST_MAX];
	uint64_t handed = 0, accepted = 0, alloc_fail = 0, left = g->quota;
	uint64_t next_tick = 0, deadline = UINT64_MAX, hz = rte_get_timer_hz();
	uint64_t seq = (uint64_t)g->index << APP_SEQ_GEN_SHIFT;
	uint64_t rng = 0x9e3779b97f4a7c15ULL * (g->index + 1u);
	struct sn_softnet *sd;
	int rc;

	sd = sn_softnet_attach();
	if (sd == NULL) {
		g->rc = -rte_errno;
		__atomic_store_n(&g->done, 1, __ATOMIC_RELEASE);
		return g->rc;
	}
	g->start_tsc = rte_get_timer_cycles();
	if (c->duration_cycles != 0)
		deadline = g->start_tsc + c->duration_cycles;
	if (c->replay.pkts != NULL) {
		app_gen_replay(g, sd, deadline, &handed, &accepted, &alloc_fail);
		goto out;
	}
	if (c->counted && left == 0)
		goto out; /* a share of 0 packets (count under the lcore count) */
	while (!app_gen_stopping()) {
		uint16_t n = c->burst, ok;
		uint64_t now = 0;

		if (c->counted) {
			if (left == 0)
				break;
			if (left < n)
				n = (uint16_t)left;
		}
		if (c->duration_cycles != 0 || g->rate_pps != 0) {
			now = rte_get_timer_cycles();
			if (now >= deadline)
				break;
		}
		if (g->rate_pps != 0) {
			/*
			 * Absolute schedule: packet i is due at start + i / rate, so a late
			 * burst is made up at once and the average never drifts.
			 */
			uint64_t due = (uint64_t)((unsigned __int128)(now - g->start_tsc) *
						  g->rate_pps / hz);

			if (due <= handed) {
				if (app_gen_poll(sd, c) == 0)
					rte_pause();
				goto tick;
			}
			if (due - handed < n)
				n = (uint16_t)(due - handed);
		}
		if (unlikely(rte_pktmbuf_alloc_bulk(c->pool, pkts, n) != 0)) {
			/* Pool empty: mbufs wait in a qdisc or the port; let them go. */
			alloc_fail++;
			__atomic_store_n(&g->alloc_fail, alloc_fail, __ATOMIC_RELAXED);
			if (app_gen_poll(sd, c) == 0)
				rte_pause();
		} else {
			uint64_t tsc = rte_rdtsc();

			if (c->vary)
				app_gen_fill_vary(pkts, n, c, &seq, tsc, &rng);
			else
				app_gen_fill(pkts, n, c->frame, &seq, tsc);
			if (c->single)
				ok = app_gen_xmit_single(sd, c, g->txq, pkts, n);
			else
				ok = sn_xmit_burst(sd, c->dev, g->txq, pkts, n);
			handed += n;
			accepted += ok;
			left -= c->counted ? n : 0;
			app_gen_publish(g, handed, accepted, alloc_fail);
			app_gen_poll(sd, c);
		}
tick:
		if (unlikely(g->tick != NULL)) {
			uint64_t t = rte_get_timer_cycles();

			if (t >= next_tick) {
				next_tick = t + tick_cycles;
				if (g->tick(g->tick_arg))
					app_gen_stop();
			}
		}
	}
out:
	g->end_tsc = rte_get_timer_cycles();
	app_gen_publish(g, handed, accepted, alloc_fail);

	app_gen_drain(sd, c);
	rc = sn_softnet_detach(sd);
	g->rc = rc;
	__atomic_store_n(&g->done, 1, __ATOMIC_RELEASE);
	return rc;
}
