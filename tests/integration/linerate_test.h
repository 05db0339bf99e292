/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LINERATE_TEST_H
#define LINERATE_TEST_H

/*
 * A traffic harness on the line-rate NIC model (sn_linerate.h), shared by
 * the linerate and BQL tests and the bql_latency benchmark.
 *
 * Flows are told apart by the test tag (sn_test_set_tag()); each frame
 * carries its flow's sequence number and, at byte 16, the TSC at which it was
 * handed to softnet. The model's sink checks every frame that leaves the
 * wire (in order, none missing, per flow), records the latency of the
 * flows asked for (enqueue TSC to wire departure TSC), and recycles the
 * mbufs of the bulk flow so that a loop on one lcore can keep a 10 Gbit/s
 * link busy with 64-byte frames without a mempool round trip per frame.
 */

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>

#include "sn_dql.h"
#include "sn_linerate.h"
#include "sn_test.h"

#define LRT_FLOWS 4
#define LRT_TSC_OFF 16

struct lrt_flow {
	uint32_t len;            /* frame bytes */
	uint32_t prio;           /* mbuf priority (pfifo_fast band through its priomap) */
	uint32_t target;         /* bulk: keep this many handed and not departed */
	uint64_t interval;       /* sparse: one frame every this many TSC cycles */
	bool on;
	bool record;             /* record latencies of this flow */
	/* generator side */
	uint64_t handed;
	uint64_t next_tsc;
	/* sink side */
	uint64_t rx;
	uint64_t next_seq;
	uint64_t bad;            /* out of order or missing */
};

struct lrt {
	struct rte_mempool *mp;
	struct sn_softnet *sd;
	struct sn_netdev *dev;
	struct lrt_flow f[LRT_FLOWS];
	/* recycled bulk mbufs (of flow 1..), a stack per flow */
	struct rte_mbuf **stack[LRT_FLOWS];
	uint32_t nstack[LRT_FLOWS];
	uint32_t stack_cap;
	/* latencies in TSC cycles of the recorded flows */
	uint64_t *lat;
	uint32_t nlat, lat_cap;
	bool sampling;           /* record now (after the warm-up) */
	uint64_t xmit_short;     /* frames sn_xmit_burst() did not take */
};

static inline void
lrt_stamp(struct rte_mbuf *m, uint64_t seq, uint32_t tag, uint64_t tsc)
{
	uint8_t *d = rte_pktmbuf_mtod(m, uint8_t *);

	memcpy(d, &seq, sizeof(seq));
	sn_test_set_tag(m, tag);
	memcpy(d + LRT_TSC_OFF, &tsc, sizeof(tsc));
}

static inline uint64_t
lrt_enq_tsc(const struct rte_mbuf *m)
{
	uint64_t tsc;

	memcpy(&tsc, rte_pktmbuf_mtod(m, const uint8_t *) + LRT_TSC_OFF, sizeof(tsc));
	return tsc;
}

/* The model's sink: check order, record latency, recycle or free. */
static void
lrt_sink(void *arg, uint16_t txq, struct rte_mbuf **pkts, const uint64_t *depart, uint16_t n)
{
	struct lrt *h = arg;

	RTE_SET_USED(txq);
	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		uint32_t tag = sn_test_tag(m);
		struct lrt_flow *f;

		if (tag >= LRT_FLOWS) {
			rte_pktmbuf_free(m);
			continue;
		}
		f = &h->f[tag];
		if (sn_test_seq(m) != f->next_seq)
			f->bad++;
		f->next_seq = sn_test_seq(m) + 1;
		f->rx++;
		if (f->record && h->sampling && h->nlat < h->lat_cap)
			h->lat[h->nlat++] = depart[i] - lrt_enq_tsc(m);
		if (f->interval == 0 && h->nstack[tag] < h->stack_cap)
			h->stack[tag][h->nstack[tag]++] = m;
		else
			rte_pktmbuf_free(m);
	}
}

static inline int
lrt_init(struct lrt *h, struct rte_mempool *mp, struct sn_softnet *sd, uint32_t stack_cap,
	 uint32_t lat_cap)
{
	memset(h, 0, sizeof(*h));
	h->mp = mp;
	h->sd = sd;
	h->stack_cap = stack_cap;
	for (unsigned int i = 0; i < LRT_FLOWS; i++) {
		h->stack[i] = calloc(stack_cap, sizeof(struct rte_mbuf *));
		if (h->stack[i] == NULL)
			return -ENOMEM;
	}
	h->lat_cap = lat_cap;
	h->lat = lat_cap != 0 ? calloc(lat_cap, sizeof(uint64_t)) : NULL;
	return lat_cap != 0 && h->lat == NULL ? -ENOMEM : 0;
}

/* Free the recycled mbufs (keep the arrays). */
static inline void
lrt_release(struct lrt *h)
{
	for (unsigned int i = 0; i < LRT_FLOWS; i++) {
		if (h->nstack[i] != 0)
			rte_pktmbuf_free_bulk(h->stack[i], h->nstack[i]);
		h->nstack[i] = 0;
	}
}

static inline void
lrt_fini(struct lrt *h)
{
	lrt_release(h);
	for (unsigned int i = 0; i < LRT_FLOWS; i++)
		free(h->stack[i]);
	free(h->lat);
}

/* Frames of flow @tag handed and not seen at the sink yet. */
static inline uint64_t
lrt_outstanding(const struct lrt *h, unsigned int tag)
{
	return h->f[tag].handed - h->f[tag].rx;
}

/* Hand @n frames of flow @tag to softnet, recycled ones first. */
static inline int
lrt_send(struct lrt *h, unsigned int tag, uint16_t n, uint64_t now)
{
	struct lrt_flow *f = &h->f[tag];
	struct rte_mbuf *pkts[32];
	uint16_t k = 0, sent;

	n = RTE_MIN(n, (uint16_t)RTE_DIM(pkts));
	while (k < n && h->nstack[tag] != 0)
		pkts[k++] = h->stack[tag][--h->nstack[tag]];
	if (k < n && sn_test_alloc(h->mp, pkts + k, n - k, f->len, f->prio, 0) != 0)
		n = k;
	for (uint16_t i = 0; i < n; i++)
		lrt_stamp(pkts[i], f->handed + i, tag, now);
	if (n == 0)
		return -ENOMEM;
	sent = sn_xmit_burst(h->sd, h->dev, 0, pkts, n);
	/* Whatever was not taken was dropped and counted: the sequence has a hole. */
	h->xmit_short += n - sent;
	f->handed += n;
	return 0;
}

/* One turn of the loop: the model, the generators, NET_TX. */
static inline void
lrt_turn(struct lrt *h)
{
	uint64_t now = rte_rdtsc();

	sn_linerate_poll(h->sd, h->dev);
	for (unsigned int t = 0; t < LRT_FLOWS; t++) {
		struct lrt_flow *f = &h->f[t];

		if (!f->on)
			continue;
		if (f->interval != 0) {
			if (now >= f->next_tsc) {
				lrt_send(h, t, 1, rte_rdtsc());
				f->next_tsc += f->interval;
				if (f->next_tsc < now)
					f->next_tsc = now + f->interval;
			}
			continue;
		}
		/*
		 * Top up, a bounded number of bursts per turn: a loop slower than
		 * the wire (64 B frames, a sanitizer build) would never leave.
		 */
		for (unsigned int b = 0; b < 16 && lrt_outstanding(h, t) + 32 <= f->target; b++)
			if (lrt_send(h, t, 32, now) != 0)
				break;
	}
	sn_softnet_poll(h->sd);
}

/* Stop the generators and run until everything handed has left the wire. */
static inline int
lrt_drain(struct lrt *h)
{
	uint64_t deadline = rte_rdtsc() + 5 * rte_get_tsc_hz();
	bool left;

	for (unsigned int t = 0; t < LRT_FLOWS; t++)
		h->f[t].on = false;
	do {
		left = false;
		lrt_turn(h);
		for (unsigned int t = 0; t < LRT_FLOWS; t++)
			left |= h->f[t].handed - h->xmit_short > h->f[t].rx;
		if (rte_rdtsc() > deadline)
			return -ETIMEDOUT;
	} while (left);
	return 0;
}

static int
lrt_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Sort the latency samples; @return the @p-quantile (0..1), in TSC cycles. */
static inline uint64_t
lrt_quantile(struct lrt *h, double p, bool sort)
{
	uint32_t i;

	if (h->nlat == 0)
		return 0;
	if (sort)
		qsort(h->lat, h->nlat, sizeof(uint64_t), lrt_cmp_u64);
	i = (uint32_t)(p * (double)(h->nlat - 1) + 0.5);
	return h->lat[i];
}

static inline double
lrt_us(uint64_t cycles)
{
	return (double)cycles * 1e6 / (double)rte_get_tsc_hz();
}

/*
 * What this loop can push through the model, in frames per second: 1500 B
 * frames on a 100 Gbit/s model (8.2 Mpps of wire, more than any loop here
 * feeds), BQL off, for @secs. A loop that cannot feed a 10 Gbit/s link
 * (0.82 Mpps of 1500 B frames) with room to spare (a sanitizer build, a host
 * too busy to give the loop the CPU) cannot show BQL's figures: the tests
 * then report them and check only what does not depend on speed.
 */
static inline double
lrt_capacity(struct lrt *h, double secs)
{
	struct sn_linerate_conf conf = {
		.rate_bps = 100000000000ull,
		.no_bql = true,
		.sink = lrt_sink,
		.sink_arg = h,
	};
	struct sn_linerate_stats s0, s1;
	uint64_t end;

	memset(h->f, 0, sizeof(h->f));
	h->xmit_short = 0;
	h->dev = sn_linerate_create("lrt_capacity", &conf);
	if (h->dev == NULL)
		return 0;
	h->f[1] = (struct lrt_flow){ .len = 1500, .on = true, .target = 1024 + 512 };
	end = rte_rdtsc() + (uint64_t)(0.01 * (double)rte_get_tsc_hz());
	while (rte_rdtsc() < end)
		lrt_turn(h);
	sn_linerate_stats(h->dev, 0, &s0);
	end = s0.tsc + (uint64_t)(secs * (double)rte_get_tsc_hz());
	while (rte_rdtsc() < end)
		lrt_turn(h);
	sn_linerate_stats(h->dev, 0, &s1);
	lrt_drain(h);
	sn_linerate_free(h->dev, h->sd);
	h->dev = NULL;
	lrt_release(h);
	return (double)(s1.departed - s0.departed) * (double)rte_get_tsc_hz() /
	       (double)(s1.tsc - s0.tsc);
}

/* Frames per second of 1500 B frames at 10 Gbit/s. */
#define LRT_10G_1500_PPS (10e9 / ((1500 + SN_LINERATE_OVERHEAD) * 8))

/*
 * The BQL demonstration: on a 10 Gbit/s model with a @ring-descriptor ring,
 * a saturating 1500-byte bulk flow in pfifo_fast's band 2 (priority 1) and a
 * sparse 64-byte flow in band 0 (priority 6), one frame every @gap_us; BQL
 * on or off, with a slack hold time of @hold_us (0: the default, 1 s).
 * With @fq_codel the root is fq_codel (handle 1:) instead, the sparse flow
 * in its flow 1 and the bulk one in flow 2 (the mbuf priority naming them:
 * the kernel's skb->priority rule).
 * After @warm_s of warm-up, the sparse flow's latencies are recorded for
 * @secs. The device is created and freed here. @return 0 or -errno.
 */
struct lrt_demo_result {
	uint64_t p50, p99, p999, max;   /* TSC cycles */
	uint32_t samples;
	double bulk_gbps;               /* bulk throughput at the wire over the sampled time */
	struct sn_bql_info bql;         /* at the end of the sampled time */
	struct sn_linerate_stats lst;
	uint64_t bad;                   /* frames out of order or missing */
};

static inline int
lrt_demo(struct lrt *h, const char *name, bool bql, uint32_t hold_us, uint32_t ring,
	 double gap_us, double warm_s, double secs, bool fq_codel, struct lrt_demo_result *r)
{
	const uint64_t hz = rte_get_tsc_hz();
	struct sn_linerate_conf conf = {
		.rate_bps = 10000000000ull,
		.ring_size = ring,
		.no_bql = !bql,
		.bql_hold_us = hold_us,
		.sink = lrt_sink,
		.sink_arg = h,
	};
	struct sn_qdisc_params p = { .limit = 4096 };
	uint64_t t0, t1, rx0, end;
	int rc;

	memset(r, 0, sizeof(*r));
	memset(h->f, 0, sizeof(h->f));
	h->nlat = 0;
	h->sampling = false;
	h->xmit_short = 0;
	h->dev = sn_linerate_create(name, &conf);
	if (h->dev == NULL)
		return -rte_errno;
	if (fq_codel) {
		p.handle = 0x10000;
		p.limit = 0;
	}
	rc = sn_qdisc_replace(h->dev, 0, fq_codel ? "fq_codel" : "pfifo_fast", &p, h->sd);
	if (rc != 0)
		return rc;
	h->f[0] = (struct lrt_flow){ .len = 64, .prio = fq_codel ? 0x10001 : 6, .record = true,
				     .on = true,
				     .interval = (uint64_t)(gap_us * 1e-6 * (double)hz),
				     .next_tsc = rte_rdtsc() };
	h->f[1] = (struct lrt_flow){ .len = 1500, .prio = fq_codel ? 0x10002 : 1, .on = true,
				     .target = ring + 512 };
	end = rte_rdtsc() + (uint64_t)(warm_s * (double)hz);
	while (rte_rdtsc() < end)
		lrt_turn(h);
	h->sampling = true;
	t0 = rte_rdtsc();
	rx0 = h->f[1].rx;
	end = t0 + (uint64_t)(secs * (double)hz);
	while (rte_rdtsc() < end && h->nlat < h->lat_cap)
		lrt_turn(h);
	t1 = rte_rdtsc();
	h->sampling = false;
	r->bulk_gbps = (double)(h->f[1].rx - rx0) * (1500 + SN_LINERATE_OVERHEAD) * 8 *
		       (double)hz / (double)(t1 - t0) / 1e9;
	sn_netdev_txq_bql(h->dev, 0, &r->bql);
	sn_linerate_stats(h->dev, 0, &r->lst);
	rc = lrt_drain(h);
	r->bad = h->f[0].bad + h->f[1].bad;
	r->samples = h->nlat;
	r->p50 = lrt_quantile(h, 0.50, true);
	r->p99 = lrt_quantile(h, 0.99, false);
	r->p999 = lrt_quantile(h, 0.999, false);
	r->max = h->nlat != 0 ? h->lat[h->nlat - 1] : 0;
	sn_linerate_free(h->dev, h->sd);
	h->dev = NULL;
	lrt_release(h);
	return rc;
}

#endif /* LINERATE_TEST_H */
