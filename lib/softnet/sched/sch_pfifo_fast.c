/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pfifo_fast: the kernel's default discipline. Three FIFO bands; a packet's
 * priority (sn_mbuf.h, 0..15) picks its band through the priomap, and band 0
 * is always emptied before band 1, band 1 before band 2. Each band holds
 * `limit` packets (txqueuelen, 1000, by default).
 *
 * A burst is classified into per-band runs first, so each band gets one bulk
 * ring operation and order within a band is kept.
 *
 * What the driver did not take comes back per band (ops->requeue): each band
 * has a small stack in front of its ring, served first, so requeued packets
 * keep their place within their band and never hold up a higher band. Only
 * the lcore running the qdisc touches the stacks (dequeue and requeue), so
 * they need no lock of their own, NOLOCK included.
 */

#include <errno.h>

#include <rte_errno.h>
#include <string.h>

#include "sched_private.h"
#include "sch_ring.h"

#define SN_PFIFO_FAST_BANDS 3
#define SN_TXQUEUELEN 1000
#define SN_PFIFO_FAST_LIMIT_MAX (1u << 24)

/* The kernel's default priomap (sch_generic.c): TC_PRIO_* to band. */
static const uint8_t sn_prio2band[SN_PRIO_COUNT] = {
	1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1,
};

struct sn_pfifo_fast {
	struct rte_ring *band[SN_PFIFO_FAST_BANDS];
	uint8_t priomap[SN_PRIO_COUNT];
	uint32_t limit;
	/* Requeued packets per band, a stack: the next to send on top. */
	uint16_t rq_len[SN_PFIFO_FAST_BANDS];
	struct rte_mbuf *rq[SN_PFIFO_FAST_BANDS][SN_QDISC_REQUEUE_MAX];
};

static int
sn_pfifo_fast_init(struct sn_qdisc *q, const struct sn_qdisc_params *p)
{
	struct sn_pfifo_fast *pf = sn_qdisc_priv(q);

	pf->limit = p->limit ? p->limit : SN_TXQUEUELEN;
	if (pf->limit > SN_PFIFO_FAST_LIMIT_MAX)
		return -EINVAL;
	memcpy(pf->priomap, p->has_priomap ? p->priomap : sn_prio2band, SN_PRIO_COUNT);
	for (unsigned int i = 0; i < SN_PRIO_COUNT; i++)
		if (pf->priomap[i] >= SN_PFIFO_FAST_BANDS)
			return -EINVAL;
	for (unsigned int b = 0; b < SN_PFIFO_FAST_BANDS; b++) {
		pf->band[b] = sn_sch_ring_create(q, "pfifo_fast", pf->limit);
		if (pf->band[b] == NULL) {
			int rc = -rte_errno;

			while (b-- > 0)
				sn_sch_ring_free(pf->band[b]);
			return rc;
		}
	}
	return 0;
}

static inline unsigned int
sn_pfifo_fast_band(const struct sn_pfifo_fast *pf, const struct rte_mbuf *m)
{
	return pf->priomap[sn_mbuf_prio_get(m) & (SN_PRIO_COUNT - 1)];
}

#define SN_PFIFO_FAST_CHUNK 64

static uint16_t
sn_pfifo_fast_enqueue(struct sn_qdisc *q, struct sn_softnet *sd, struct rte_mbuf **pkts,
		      uint16_t n, uint32_t bytes)
{
	struct sn_pfifo_fast *pf = sn_qdisc_priv(q);
	struct rte_mbuf *run[SN_PFIFO_FAST_BANDS][SN_PFIFO_FAST_CHUNK];
	const uint32_t prio = sn_mbuf_prio_get(pkts[0]);
	uint32_t other = 0;
	uint16_t i = 1, accepted = 0;

	/* Common case: one priority, so one band, for the whole burst (branch-free test). */
	for (; i + 4 <= n; i += 4)
		other |= (sn_mbuf_prio_get(pkts[i]) ^ prio) | (sn_mbuf_prio_get(pkts[i + 1]) ^ prio) |
			 (sn_mbuf_prio_get(pkts[i + 2]) ^ prio) | (sn_mbuf_prio_get(pkts[i + 3]) ^ prio);
	for (; i < n; i++)
		other |= sn_mbuf_prio_get(pkts[i]) ^ prio;
	if (likely(other == 0))
		return sn_sch_ring_enqueue(q, sd, pf->band[sn_pfifo_fast_band(pf, pkts[0])], pkts,
					   n, bytes);

	for (uint16_t base = 0; base < n; base += SN_PFIFO_FAST_CHUNK) {
		uint16_t cnt[SN_PFIFO_FAST_BANDS] = { 0 };
		uint32_t len[SN_PFIFO_FAST_BANDS] = { 0 };
		uint16_t end = (uint16_t)RTE_MIN((uint32_t)n, (uint32_t)base + SN_PFIFO_FAST_CHUNK);

		for (i = base; i < end; i++) {
			unsigned int b = sn_pfifo_fast_band(pf, pkts[i]);

			run[b][cnt[b]++] = pkts[i];
			len[b] += rte_pktmbuf_pkt_len(pkts[i]);
		}
		for (unsigned int b = 0; b < SN_PFIFO_FAST_BANDS; b++)
			if (cnt[b] != 0)
				accepted = (uint16_t)(accepted + sn_sch_ring_enqueue(
					q, sd, pf->band[b], run[b], cnt[b], len[b]));
	}
	return accepted;
}

static uint16_t
sn_pfifo_fast_dequeue(struct sn_qdisc *q, struct sn_softnet *sd __rte_unused,
		struct rte_mbuf **pkts, uint16_t n)
{
	struct sn_pfifo_fast *pf = sn_qdisc_priv(q);
	uint16_t k = 0;

	for (unsigned int b = 0; b < SN_PFIFO_FAST_BANDS && k < n; b++) {
		/* This band's requeued packets first: they came before its ring. */
		while (unlikely(pf->rq_len[b] != 0) && k < n)
			pkts[k++] = pf->rq[b][--pf->rq_len[b]];
		k = (uint16_t)(k + rte_ring_sc_dequeue_burst(pf->band[b], (void **)(pkts + k),
							      n - k, NULL));
	}
	return k;
}

/*
 * Put the unsent tail back, each packet on top of its band's stack. Pushed
 * last to first, so the earliest ends on top; whatever a stack still held
 * was dequeued after these (or never), so it belongs below them. A stack
 * holds at most one dequeue's worth from its ring plus what it gave out, so
 * SN_QDISC_REQUEUE_MAX entries suffice.
 */
static void
sn_pfifo_fast_requeue(struct sn_qdisc *q, struct rte_mbuf **pkts, uint16_t n)
{
	struct sn_pfifo_fast *pf = sn_qdisc_priv(q);

	for (uint16_t i = n; i > 0; i--) {
		unsigned int b = sn_pfifo_fast_band(pf, pkts[i - 1]);

		RTE_ASSERT(pf->rq_len[b] < SN_QDISC_REQUEUE_MAX);
		pf->rq[b][pf->rq_len[b]++] = pkts[i - 1];
	}
}

static struct rte_mbuf *
sn_pfifo_fast_peek(struct sn_qdisc *q)
{
	struct sn_pfifo_fast *pf = sn_qdisc_priv(q);

	for (unsigned int b = 0; b < SN_PFIFO_FAST_BANDS; b++) {
		struct rte_mbuf *m;

		if (pf->rq_len[b] != 0)
			return pf->rq[b][pf->rq_len[b] - 1];
		m = sn_sch_ring_peek(pf->band[b]);
		if (m != NULL)
			return m;
	}
	return NULL;
}

static void
sn_pfifo_fast_reset(struct sn_qdisc *q, struct sn_softnet *sd)
{
	struct sn_pfifo_fast *pf = sn_qdisc_priv(q);

	for (unsigned int b = 0; b < SN_PFIFO_FAST_BANDS; b++) {
		while (pf->rq_len[b] != 0)
			sn_qdisc_drop_queued(q, sd, pf->rq[b][--pf->rq_len[b]]);
		sn_sch_ring_purge(q, sd, pf->band[b]);
	}
}

static void
sn_pfifo_fast_destroy(struct sn_qdisc *q)
{
	struct sn_pfifo_fast *pf = sn_qdisc_priv(q);

	for (unsigned int b = 0; b < SN_PFIFO_FAST_BANDS; b++)
		sn_sch_ring_free(pf->band[b]);
}

static int
sn_pfifo_fast_dump(const struct sn_qdisc *q, struct sn_qdisc_params *p)
{
	const struct sn_pfifo_fast *pf = (const struct sn_pfifo_fast *)q->priv;

	p->limit = pf->limit;
	memcpy(p->priomap, pf->priomap, SN_PRIO_COUNT);
	p->has_priomap = true;
	return 0;
}

/*
 * `priomap P0 [P1 ... P15]`, as tc's q_prio.c: the numbers after the word,
 * up to 16; entries not given keep the default map.
 */
static int
sn_pfifo_fast_parse_priomap(struct sn_qdisc_params *p, int argc, const char *const argv[],
			    int *i, char *err, size_t errlen)
{
	int idx = 0;

	if (p->has_priomap)
		return sn_parse_twice("priomap", err, errlen);
	memcpy(p->priomap, sn_prio2band, SN_PRIO_COUNT);
	p->has_priomap = true;
	while (*i + 1 < argc && argv[*i + 1][0] >= '0' && argv[*i + 1][0] <= '9') {
		char name[32];
		uint32_t band;
		int rc;

		if (idx == SN_PRIO_COUNT)
			return sn_qdisc_parse_error(err, errlen,
						    "priomap: more than %d entries (one band per "
						    "priority 0..15)", SN_PRIO_COUNT);
		snprintf(name, sizeof(name), "priomap entry %d", idx);
		rc = sn_parse_u32(name, argv[++*i], 0, SN_PFIFO_FAST_BANDS - 1, &band, err, errlen);
		if (rc != 0)
			return rc;
		p->priomap[idx++] = (uint8_t)band;
	}
	if (idx == 0)
		return sn_qdisc_parse_error(err, errlen,
					    "priomap: missing value (P0 .. P15, bands 0..2)");
	return 0;
}

/*
 * The kernel's pfifo_fast takes no options (tc shows its fixed bands and
 * priomap); ours takes a per-band limit and a priomap, and `bands 3` so
 * that what it prints parses back.
 */
static int
sn_pfifo_fast_parse(struct sn_qdisc_params *p, int argc, const char *const argv[], char *err,
		    size_t errlen)
{
	bool has_limit = false, has_bands = false;
	const char *v;
	uint32_t bands;
	int rc = 0;

	for (int i = 0; i < argc && rc == 0; i++) {
		if (strcmp(argv[i], "limit") == 0) {
			if (has_limit)
				return sn_parse_twice("limit", err, errlen);
			has_limit = true;
			rc = sn_parse_value(argc, argv, &i, "PACKETS per band", err, errlen, &v);
			if (rc == 0)
				rc = sn_parse_u32("limit", v, 1, SN_PFIFO_FAST_LIMIT_MAX, &p->limit,
						  err, errlen);
		} else if (strcmp(argv[i], "bands") == 0) {
			if (has_bands)
				return sn_parse_twice("bands", err, errlen);
			has_bands = true;
			rc = sn_parse_value(argc, argv, &i, "3", err, errlen, &v);
			if (rc == 0)
				rc = sn_parse_u32("bands", v, SN_PFIFO_FAST_BANDS,
						  SN_PFIFO_FAST_BANDS, &bands, err, errlen);
		} else if (strcmp(argv[i], "priomap") == 0) {
			rc = sn_pfifo_fast_parse_priomap(p, argc, argv, &i, err, errlen);
		} else {
			rc = sn_parse_unknown(&sn_pfifo_fast_ops, argv[i], err, errlen);
		}
	}
	return rc;
}

/* tc's layout for pfifo_fast; the limit only when it is not txqueuelen's. */
static void
sn_pfifo_fast_print(const struct sn_qdisc *q, struct sn_qdisc_writer *w)
{
	const struct sn_pfifo_fast *pf = (const struct sn_pfifo_fast *)q->priv;

	sn_qw_u64(w, "bands", SN_PFIFO_FAST_BANDS);
	sn_qw_u8_list(w, "priomap", pf->priomap, SN_PRIO_COUNT);
	if (pf->limit != SN_TXQUEUELEN)
		sn_qw_u64(w, "limit", pf->limit);
}

const struct sn_qdisc_ops sn_pfifo_fast_ops = {
	.id = "pfifo_fast",
	.priv_size = sizeof(struct sn_pfifo_fast),
	.static_flags = SN_QDISC_F_CAN_BYPASS | SN_QDISC_F_NOLOCK_CAPABLE,
	.enqueue = sn_pfifo_fast_enqueue,
	.dequeue = sn_pfifo_fast_dequeue,
	.peek = sn_pfifo_fast_peek,
	.requeue = sn_pfifo_fast_requeue,
	.init = sn_pfifo_fast_init,
	.reset = sn_pfifo_fast_reset,
	.destroy = sn_pfifo_fast_destroy,
	.dump = sn_pfifo_fast_dump,
	.parse = sn_pfifo_fast_parse,
	.print = sn_pfifo_fast_print,
	.usage = "[ limit PACKETS ] [ bands 3 ] [ priomap P0 .. P15 ] (limit per band, P 0..2)",
};
