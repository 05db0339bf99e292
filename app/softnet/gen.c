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
#include <rte_pause.h>

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

bool
app_gen_stopping(void)
{
	return app_stop_flag != 0;
}

static __rte_always_inline void
app_gen_fill(struct rte_mbuf **pkts, uint16_t n, const struct app_frame *f)
{
	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];

		/* A constant size lets the compiler emit two vector stores. */
		if (likely(f->copy_len == APP_HDR_COPY))
			memcpy(rte_pktmbuf_mtod(m, void *), f->data, APP_HDR_COPY);
		else
			memcpy(rte_pktmbuf_mtod(m, void *), f->data, f->copy_len);
		m->data_len = (uint16_t)f->len;
		m->pkt_len = f->len;
	}
}

static uint16_t
app_gen_xmit_single(struct sn_softnet *sd, const struct app_gen_conf *c, uint16_t txq,
		    struct rte_mbuf **pkts, uint16_t n)
{
	uint16_t ok = 0;

	for (uint16_t i = 0; i < n; i++) {
		int rc = sn_xmit(sd, c->dev, txq, pkts[i]);

		/* SN_XMIT_CN: this one was queued, others were dropped (counted). */
		if (rc == SN_XMIT_SUCCESS || rc == SN_XMIT_CN)
			ok++;
	}
	return ok;
}

/* Run this lcore's queued work until there is none (bounded: a stopped port). */
static void
app_gen_drain(struct sn_softnet *sd)
{
	uint64_t deadline = rte_get_timer_cycles() + rte_get_timer_hz() / 1000 * APP_DRAIN_MS;

	while (sn_softnet_has_work(sd) && rte_get_timer_cycles() < deadline) {
		if (sn_softnet_poll(sd) == 0)
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

int
app_gen_lcore(void *arg)
{
	struct app_gen *g = arg;
	const struct app_gen_conf *c = g->conf;
	const uint64_t tick_cycles = rte_get_timer_hz() / 1000 * APP_TICK_MS;
	struct rte_mbuf *pkts[APP_BURST_MAX];
	uint64_t handed = 0, accepted = 0, alloc_fail = 0, left = g->quota;
	uint64_t next_tick = 0;
	struct sn_softnet *sd;
	int rc;

	sd = sn_softnet_attach();
	if (sd == NULL) {
		g->rc = -rte_errno;
		__atomic_store_n(&g->done, 1, __ATOMIC_RELEASE);
		return g->rc;
	}
	g->start_tsc = rte_get_timer_cycles();
	while (!app_gen_stopping()) {
		uint16_t n = c->burst, ok;

		if (c->counted) {
			if (left == 0)
				break;
			if (left < n)
				n = (uint16_t)left;
		}
		if (unlikely(rte_pktmbuf_alloc_bulk(c->pool, pkts, n) != 0)) {
			/* Pool empty: mbufs wait in a qdisc or the port; let them go. */
			alloc_fail++;
			__atomic_store_n(&g->alloc_fail, alloc_fail, __ATOMIC_RELAXED);
			if (sn_softnet_poll(sd) == 0)
				rte_pause();
		} else {
			app_gen_fill(pkts, n, c->frame);
			if (c->single)
				ok = app_gen_xmit_single(sd, c, g->txq, pkts, n);
			else
				ok = sn_xmit_burst(sd, c->dev, g->txq, pkts, n);
			handed += n;
			accepted += ok;
			left -= c->counted ? n : 0;
			app_gen_publish(g, handed, accepted, alloc_fail);
			sn_softnet_poll(sd);
		}
		if (unlikely(g->tick != NULL)) {
			uint64_t now = rte_get_timer_cycles();

			if (now >= next_tick) {
				next_tick = now + tick_cycles;
				if (g->tick(g->tick_arg))
					app_gen_stop();
			}
		}
	}
	g->end_tsc = rte_get_timer_cycles();
	app_gen_publish(g, handed, accepted, alloc_fail);

	app_gen_drain(sd);
	rc = sn_softnet_detach(sd);
	g->rc = rc;
	__atomic_store_n(&g->done, 1, __ATOMIC_RELEASE);
	return rc;
}
