/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * netem: a link emulator (the kernel's sch_netem, tc's q_netem), a
 * non-work-conserving discipline. Each packet is given, at enqueue, a fate
 * drawn from the qdisc's own random generator:
 *
 *  - loss (netem_enqueue's loss_event): random with an optional correlation,
 *    the Gilbert-Elliott model (`loss gemodel p r 1-h 1-k`) or the 4-state
 *    Markov model (`loss state p13 p31 p32 p23 p14`); a lost packet is
 *    dropped at once, counted as SN_DROP_EMULATED_LOSS;
 *  - duplication: a copy (rte_pktmbuf_copy() from the packet's own pool)
 *    that goes through netem again with duplication off, as the kernel's
 *    second enqueue does (the kernel hands it to the root qdisc; softnet
 *    keeps it here). A copy that cannot be allocated is counted
 *    (dup_failed) and the original goes on alone;
 *  - corruption: one random bit of the first segment's data flipped (a
 *    shared or indirect mbuf is copied first, as skb_unshare());
 *  - a send time: now + delay, the delay drawn from `delay TIME JITTER
 *    [CORRELATION]` (uniform within +-JITTER, or a distribution table:
 *    normal, pareto, paretonormal), plus with `rate` the packet's
 *    serialisation time behind the last packet queued (tfifo's rate rule:
 *    the next packet may not leave before the previous one has been sent);
 *  - or reordering: with `reorder P [gap N]`, every Nth packet is, with
 *    probability P, sent at once, ahead of everything delayed.
 *
 * The tfifo (the kernel's t_head list plus rb-tree): packets whose send time
 * is not earlier than the last one queued (always, with a fixed delay) are
 * appended to a ring in O(1); the others go into a binary heap keyed by
 * (time, arrival); dequeue takes the earlier of the two heads while it is
 * due, and when nothing is due arms the qdisc watchdog for the earliest
 * time. Reordered packets wait in a FIFO served first. Capacities are the
 * limit, allocated at init: enqueue and dequeue never allocate (a
 * duplicate is one mbuf from the packet's pool).
 *
 * Randomness: one xoshiro256** generator per qdisc, seeded from `seed N`
 * (two qdiscs with the same seed and the same input give the same output:
 * the same losses, copies, delays and order), or from rte_rand(). The
 * correlated draws follow the kernel's get_crandom() rule: the new value is
 * (1 - rho) * random + rho * previous.
 *
 * Departures from the kernel: ECN marking instead of loss (`ecn`) and
 * `slot` are not supported (refused by parse); a lost packet is not counted
 * as accepted by the enqueue (the sender's burst return counts packets
 * taken), where the kernel reports success; the distribution is printed
 * (`distribution normal`) so that the printed words parse back; the
 * distribution tables are built in (sch_netem_dist.h: 4096 quantiles of the
 * standardised distribution, scaled by 8192 as the kernel's
 * NETEM_DIST_SCALE), not read from tc's files.
 *
 * Counters: qlen and backlog count what the three queues hold. A duplicate
 * is accounted in every qdisc above this one too (as the kernel's root
 * enqueue of the copy does), and a lost packet is dropped through
 * sn_qdisc_drop_dequeued() after being accounted for the instant it takes,
 * so that its reason is SN_DROP_EMULATED_LOSS and every level stays exact
 * (sn_netem_drop_reason()): a lost original is one drop per level, counted
 * above as the child's refusal, as the kernel's __NET_XMIT_BYPASS return.
 *
 * Cost: enqueue reads the TSC once per burst; per packet, one or two random
 * draws for each feature in use and an O(1) append (fixed delay) or an
 * O(log n) heap insert (jitter); a fixed delay alone skips the draws.
 * Dequeue reads the TSC once per call and prefetches the due mbufs' header
 * lines (last touched a delay ago: with 10 ms of traffic held, DRAM is the
 * cost). Root lock held throughout; not NOLOCK-capable, never CAN_BYPASS.
 */

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_prefetch.h>
#include <rte_random.h>

#include "sched_private.h"
#include "sch_netem_dist.h"

#define SN_NETEM_DEF_LIMIT 1000           /* the kernel's and tc's default */
#define SN_NETEM_LIMIT_MAX (1u << 22)
#define SN_NETEM_TIME_MAX (100ull * 1000000000) /* delay and jitter: 100 s */
#define SN_NETEM_GAP_MAX (1u << 30)
#define SN_NETEM_OVERHEAD_MAX 65535
#define SN_NETEM_PCT_ONE UINT32_MAX       /* 100% */
#define SN_NS_PER_SEC 1000000000ull

enum sn_netem_dist {
	SN_NETEM_DIST_UNIFORM,
	SN_NETEM_DIST_NORMAL,
	SN_NETEM_DIST_PARETO,
	SN_NETEM_DIST_PARETONORMAL,
	SN_NETEM_DIST_COUNT
};

static const char *const sn_netem_dist_names[SN_NETEM_DIST_COUNT] = {
	"uniform", "normal", "pareto", "paretonormal",
};

enum sn_netem_loss_model {
	SN_NETEM_LOSS_RANDOM, /* `loss [random] P [CORR]` (P 0: no loss) */
	SN_NETEM_LOSS_GE,     /* Gilbert-Elliott: lm = p, r, h, 1-k */
	SN_NETEM_LOSS_GI,     /* 4-state Markov: lm = p13, p31, p32, p23, p14 */
};

/*
 * The parse op's result, in params.opts; all zero: the defaults (limit
 * 1000, nothing else: a FIFO). Probabilities are fractions of UINT32_MAX,
 * as the kernel's.
 */
struct sn_netem_opts {
	uint64_t latency_ns;
	uint64_t jitter_ns;
	uint64_t rate;          /* bytes per second, 0: none */
	uint64_t seed;          /* with has_seed */
	uint32_t limit;         /* packets, 0: 1000 */
	uint32_t gap;           /* reorder every gap-th packet at most (tc sets 1) */
	uint32_t delay_corr;
	uint32_t loss, loss_corr;
	uint32_t dup, dup_corr;
	uint32_t reorder, reorder_corr;
	uint32_t corrupt, corrupt_corr;
	uint32_t lm[5];         /* the loss model's parameters (see the enum) */
	int32_t packet_overhead;
	uint32_t cell_size;
	int32_t cell_overhead;
	uint8_t loss_model;     /* enum sn_netem_loss_model */
	uint8_t dist;           /* enum sn_netem_dist */
	uint8_t has_seed;
	uint8_t pad;
};
static_assert(sizeof(struct sn_netem_opts) <= SN_QDISC_OPTS_SIZE, "netem options fit in opts");

/* A packet waiting for its time: ordered by (tts, seq). */
struct sn_netem_ent {
	uint64_t tts;  /* TSC at which it may leave */
	uint64_t seq;  /* arrival order, breaks ties */
	struct rte_mbuf *m;
};

/* A correlated draw's state (the kernel's crndstate). */
struct sn_netem_crnd {
	uint32_t last;
	uint32_t rho;
};

struct sn_netem {
	struct sn_netem_opts o;
	uint64_t rng[4];                 /* xoshiro256** */
	const int32_t *table;            /* the delay distribution; NULL: uniform */
	uint64_t hz;
	uint64_t lat_tsc, jit_tsc;       /* delay and jitter in TSC cycles */
	uint64_t rate_rem;               /* byte-cycles not yet turned into a whole cycle */
	uint64_t last_tts;               /* latest send time given to a delayed packet */
	uint64_t seq;
	uint32_t counter;                /* packets delayed since the last reorder */
	uint32_t loss_state;             /* GE: 0 good, 1 bad; GI: 1..4 */
	struct sn_netem_crnd delay_cor, loss_cor, dup_cor, reorder_cor, corrupt_cor;
	uint32_t limit;
	uint32_t nb;                     /* packets held in the three queues */
	bool plain;                      /* a fixed delay (or none) and nothing else */
	/* Reordered packets, sent first, in arrival order. */
	struct rte_mbuf **now_q;
	uint32_t now_mask, now_first, now_len;
	/* Delayed packets in non-decreasing time order (the common case). */
	struct sn_netem_ent *lin;
	uint32_t lin_mask, lin_first, lin_len;
	/* Delayed packets that would have gone before the ring's tail: a min-heap. */
	struct sn_netem_ent *heap;
	uint32_t heap_len;
	/* tc -s's xstats */
	uint64_t lost, duplicated, dup_failed, corrupted, reordered, limit_drops;
};

/* ---- distribution tables (sch_netem_dist.h) ---- */

static const int32_t *const sn_netem_tables[SN_NETEM_DIST_COUNT] = {
	[SN_NETEM_DIST_NORMAL] = sn_netem_table_normal,
	[SN_NETEM_DIST_PARETO] = sn_netem_table_pareto,
	[SN_NETEM_DIST_PARETONORMAL] = sn_netem_table_paretonormal,
};

/* ---- randomness ---- */

static uint64_t
sn_netem_splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static void
sn_netem_seed(struct sn_netem *t, uint64_t seed)
{
	for (unsigned int i = 0; i < 4; i++)
		t->rng[i] = sn_netem_splitmix(&seed);
}

static __rte_always_inline uint64_t
sn_netem_rotl(uint64_t x, unsigned int k)
{
	return (x << k) | (x >> (64 - k));
}

/* xoshiro256** (Blackman and Vigna). */
static __rte_always_inline uint64_t
sn_netem_rand64(struct sn_netem *t)
{
	uint64_t *s = t->rng;
	const uint64_t r = sn_netem_rotl(s[1] * 5, 7) * 9, x = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= x;
	s[3] = sn_netem_rotl(s[3], 45);
	return r;
}

static __rte_always_inline uint32_t
sn_netem_rand32(struct sn_netem *t)
{
	return (uint32_t)(sn_netem_rand64(t) >> 32);
}

/* The kernel's get_crandom(): (1 - rho) * random + rho * last, in 32-bit fixed point. */
static __rte_always_inline uint32_t
sn_netem_crandom(struct sn_netem *t, struct sn_netem_crnd *c)
{
	uint32_t v = sn_netem_rand32(t);
	uint64_t rho;

	if (likely(c->rho == 0))
		return v;
	rho = (uint64_t)c->rho + 1;
	c->last = (uint32_t)(((uint64_t)v * ((1ull << 32) - rho) + (uint64_t)c->last * rho) >> 32);
	return c->last;
}

/* An event of probability @p (a fraction of UINT32_MAX): the kernel's `p >= crandom`. */
static __rte_always_inline bool
sn_netem_chance(struct sn_netem *t, uint32_t p, struct sn_netem_crnd *c)
{
	return p != 0 && p >= sn_netem_crandom(t, c);
}

/* Gilbert-Elliott: the state's loss is drawn, then the transition (both uncorrelated). */
static bool
sn_netem_loss_ge(struct sn_netem *t)
{
	const uint32_t *lm = t->o.lm; /* p, r, h, 1-k */
	uint32_t tr = sn_netem_rand32(t), l = sn_netem_rand32(t);

	if (t->loss_state == 0) {
		if (tr < lm[0])
			t->loss_state = 1;
		return l < lm[3];
	}
	if (tr < lm[1])
		t->loss_state = 0;
	return l > lm[2];
}

/*
 * The 4-state model (Salsano et al., as tc-netem(8) describes it): 1 good
 * reception in a gap, 2 good reception in a burst, 3 loss in a burst, 4 an
 * isolated loss. From 1: to 3 with p13, to 4 with p14; from 2: to 3 with
 * p23; from 3: to 1 with p31, to 2 with p32; from 4: back to 1. A packet is
 * lost in states 3 and 4.
 */
static bool
sn_netem_loss_gi(struct sn_netem *t)
{
	const uint64_t p13 = t->o.lm[0], p31 = t->o.lm[1], p32 = t->o.lm[2];
	const uint64_t p23 = t->o.lm[3], p14 = t->o.lm[4];
	uint64_t r = sn_netem_rand32(t);

	switch (t->loss_state) {
	case 2:
		if (r < p23)
			t->loss_state = 3;
		break;
	case 3:
		if (r < p32)
			t->loss_state = 2;
		else if (r < p32 + p31)
			t->loss_state = 1;
		break;
	case 4:
		t->loss_state = 1;
		break;
	default:
		if (r < p14)
			t->loss_state = 4;
		else if (r < p14 + p13)
			t->loss_state = 3;
		break;
	}
	return t->loss_state >= 3;
}

static __rte_always_inline bool
sn_netem_loss(struct sn_netem *t)
{
	switch (t->o.loss_model) {
	case SN_NETEM_LOSS_GE:
		return sn_netem_loss_ge(t);
	case SN_NETEM_LOSS_GI:
		return sn_netem_loss_gi(t);
	default:
		return sn_netem_chance(t, t->o.loss, &t->loss_cor);
	}
}

/* ---- the tfifo ---- */

static __rte_always_inline bool
sn_netem_before(const struct sn_netem_ent *a, const struct sn_netem_ent *b)
{
	return a->tts < b->tts || (a->tts == b->tts && a->seq < b->seq);
}

static void
sn_netem_heap_push(struct sn_netem *t, const struct sn_netem_ent *e)
{
	uint32_t i = t->heap_len++;

	while (i > 0) {
		uint32_t up = (i - 1) / 2;

		if (!sn_netem_before(e, &t->heap[up]))
			break;
		t->heap[i] = t->heap[up];
		i = up;
	}
	t->heap[i] = *e;
}

static void
sn_netem_heap_pop(struct sn_netem *t)
{
	const struct sn_netem_ent last = t->heap[--t->heap_len];
	uint32_t i = 0, n = t->heap_len;

	for (;;) {
		uint32_t c = 2 * i + 1;

		if (c >= n)
			break;
		if (c + 1 < n && sn_netem_before(&t->heap[c + 1], &t->heap[c]))
			c++;
		if (!sn_netem_before(&t->heap[c], &last))
			break;
		t->heap[i] = t->heap[c];
		i = c;
	}
	if (n != 0)
		t->heap[i] = last;
}

static __rte_always_inline void
sn_netem_tfifo_insert(struct sn_netem *t, struct rte_mbuf *m, uint64_t tts)
{
	const struct sn_netem_ent e = { .tts = tts, .seq = t->seq++, .m = m };

	if (likely(t->lin_len == 0 ||
		   tts >= t->lin[(t->lin_first + t->lin_len - 1) & t->lin_mask].tts)) {
		t->lin[(t->lin_first + t->lin_len) & t->lin_mask] = e;
		t->lin_len++;
	} else {
		sn_netem_heap_push(t, &e);
	}
	if (tts > t->last_tts)
		t->last_tts = tts;
}

/* The earliest delayed packet, NULL if none; *@heap: whether it is the heap's. */
static __rte_always_inline struct sn_netem_ent *
sn_netem_tfifo_head(struct sn_netem *t, bool *heap)
{
	struct sn_netem_ent *l = t->lin_len != 0 ? &t->lin[t->lin_first] : NULL;

	if (t->heap_len != 0 && (l == NULL || sn_netem_before(&t->heap[0], l))) {
		*heap = true;
		return &t->heap[0];
	}
	*heap = false;
	return l;
}

static __rte_always_inline void
sn_netem_tfifo_pop(struct sn_netem *t, bool heap)
{
	if (heap) {
		sn_netem_heap_pop(t);
	} else {
		t->lin_first = (t->lin_first + 1) & t->lin_mask;
		t->lin_len--;
	}
}

/* ---- enqueue ---- */

/*
 * Drop a packet that was never queued, for the reason @reason: accounted
 * for the instant (here and above), then dropped as a queued one, so that
 * the drop carries its reason and qlen and backlog end where they were at
 * every level. sn_qdisc_drop_dequeued() counts the drop at every level
 * above (sn_qdisc_tree_reduce()); for an original (@above false) the
 * parent counts it itself, as a refusal (the kernel's __NET_XMIT_BYPASS
 * return), so that count is taken back; a duplicate (@above true) is
 * nobody's refusal, and keeps it (the kernel enqueues the copy at the root,
 * so every level sees its loss). (A public "drop an unqueued packet with a
 * reason" would make this one call.)
 */
static void
sn_netem_drop_reason(struct sn_qdisc *q, struct sn_softnet *sd, struct rte_mbuf *m,
		     enum sn_drop_reason reason, bool above)
{
	uint32_t len = rte_pktmbuf_pkt_len(m);

	sn_qdisc_account_enqueue(q, 1, len);
	for (struct sn_qdisc *p = q->parent; p != NULL; p = p->parent) {
		p->qstats.qlen++;
		p->qstats.backlog += len;
	}
	sn_qdisc_drop_dequeued(q, sd, m, reason);
	if (!above)
		for (struct sn_qdisc *p = q->parent; p != NULL; p = p->parent)
			p->qstats.drops--;
}

/*
 * Flip one random bit of the first segment; NULL: dropped (no copy for a
 * shared mbuf). @copy: @m is a duplicate.
 */
static struct rte_mbuf *
sn_netem_corrupt(struct sn_qdisc *q, struct sn_softnet *sd, struct sn_netem *t,
		 struct rte_mbuf *m, bool copy)
{
	uint64_t r = sn_netem_rand64(t);
	uint8_t *data;

	if (!RTE_MBUF_DIRECT(m) || rte_mbuf_refcnt_read(m) != 1) {
		struct rte_mbuf *c = rte_pktmbuf_copy(m, m->pool, 0, UINT32_MAX);

		if (c == NULL) {
			sn_netem_drop_reason(q, sd, m, SN_DROP_QDISC, copy);
			return NULL;
		}
		/* Not a drop: another holder keeps the data; only our reference goes. */
		rte_pktmbuf_free(m);
		m = c;
	}
	if (m->data_len == 0)
		return m;
	data = rte_pktmbuf_mtod(m, uint8_t *);
	data[(uint32_t)r % m->data_len] ^= (uint8_t)(1u << ((r >> 32) & 7));
	t->corrupted++;
	return m;
}

/* Cycles the link takes to send @len bytes at the rate (tc's overhead and cells). */
static __rte_always_inline uint64_t
sn_netem_tx_cycles(struct sn_netem *t, uint32_t len)
{
	int64_t l = (int64_t)len + t->o.packet_overhead;
	uint64_t cyc;

	if (t->o.cell_size != 0) {
		int64_t cells = l > 0 ? (l + t->o.cell_size - 1) / t->o.cell_size : 0;

		l = cells * ((int64_t)t->o.cell_size + t->o.cell_overhead);
	}
	if (l <= 0)
		return 0;
	/* Exact in the long run: the remainder carries to the next packet. */
	t->rate_rem += (uint64_t)l * t->hz;
	cyc = t->rate_rem / t->o.rate;
	t->rate_rem -= cyc * t->o.rate;
	return cyc;
}

/* The delay drawn for one packet, in TSC cycles (may be negative: leave now). */
static __rte_always_inline int64_t
sn_netem_delay(struct sn_netem *t)
{
	uint32_t r;

	if (t->jit_tsc == 0)
		return (int64_t)t->lat_tsc;
	r = sn_netem_crandom(t, &t->delay_cor);
	if (t->table == NULL)
		return (int64_t)t->lat_tsc - (int64_t)t->jit_tsc +
		       (int64_t)(((unsigned __int128)r * (2 * t->jit_tsc)) >> 32);
	return (int64_t)t->lat_tsc +
	       (int64_t)t->jit_tsc * t->table[r >> (32 - SN_NETEM_TABLE_BITS)] /
		       SN_NETEM_DIST_SCALE;
}

/* Give @m its place: reordered to the front, or delayed to its send time. */
static __rte_always_inline void
sn_netem_place(struct sn_qdisc *q, struct sn_netem *t, struct rte_mbuf *m, uint64_t now)
{
	uint64_t tts = now;

	if (unlikely(t->o.gap != 0) && t->counter >= t->o.gap - 1 &&
	    t->o.reorder >= sn_netem_crandom(t, &t->reorder_cor)) {
		t->now_q[(t->now_first + t->now_len) & t->now_mask] = m;
		t->now_len++;
		t->counter = 0;
		t->reordered++;
		q->qstats.requeues++; /* as the kernel counts a reordered packet */
		return;
	}
	if (t->lat_tsc != 0 || t->jit_tsc != 0 || t->o.rate != 0) {
		int64_t d = sn_netem_delay(t);

		if (t->o.rate != 0) {
			/* Behind the last packet queued: it is "now" for this one. */
			if (t->last_tts > now) {
				d -= (int64_t)(t->last_tts - now);
				tts = t->last_tts;
			}
			if (d < 0)
				d = 0;
			d += (int64_t)sn_netem_tx_cycles(t, rte_pktmbuf_pkt_len(m));
		}
		if (d > 0)
			tts += (uint64_t)d;
	}
	t->counter++;
	sn_netem_tfifo_insert(t, m, tts);
}

/*
 * One packet's fate. @copy: the packet is a duplicate (not duplicated
 * again). *@nq and *@nb count what was queued here.
 * @return true if @m (the original) was queued.
 */
static bool
sn_netem_one(struct sn_qdisc *q, struct sn_softnet *sd, struct sn_netem *t, struct rte_mbuf *m,
	     uint64_t now, bool copy, uint32_t *nq, uint64_t *nb)
{
	struct rte_mbuf *dup = NULL;
	unsigned int count = 1;
	uint32_t len;

	if (!copy && t->o.dup != 0 && sn_netem_chance(t, t->o.dup, &t->dup_cor))
		count++;
	if (sn_netem_loss(t))
		count--;
	if (count == 0) {
		t->lost++;
		sn_netem_drop_reason(q, sd, m, SN_DROP_EMULATED_LOSS, copy);
		return false;
	}
	if (count > 1) {
		dup = rte_pktmbuf_copy(m, m->pool, 0, UINT32_MAX);
		if (dup == NULL)
			t->dup_failed++;
	}
	if (t->o.corrupt != 0 && sn_netem_chance(t, t->o.corrupt, &t->corrupt_cor))
		m = sn_netem_corrupt(q, sd, t, m, copy);
	if (m != NULL && unlikely(t->nb >= t->limit)) {
		t->limit_drops++;
		sn_netem_drop_reason(q, sd, m, SN_DROP_QDISC, copy);
		m = NULL;
	}
	if (m != NULL) {
		len = rte_pktmbuf_pkt_len(m);
		sn_netem_place(q, t, m, now);
		t->nb++;
		(*nq)++;
		*nb += len;
	}
	if (dup != NULL) {
		uint32_t dlen = rte_pktmbuf_pkt_len(dup);

		t->duplicated++;
		if (sn_netem_one(q, sd, t, dup, now, true, nq, nb)) {
			/* Above us, the copy is a packet of its own (the kernel's root enqueue). */
			for (struct sn_qdisc *p = q->parent; p != NULL; p = p->parent) {
				p->qstats.qlen++;
				p->qstats.backlog += dlen;
			}
		}
	}
	return m != NULL;
}

static uint16_t
sn_netem_enqueue(struct sn_qdisc *q, struct sn_softnet *sd, struct rte_mbuf **pkts, uint16_t n,
		 uint32_t bytes)
{
	struct sn_netem *t = sn_qdisc_priv(q);
	const uint64_t now = rte_rdtsc();
	uint16_t accepted = 0;
	uint32_t nq = 0;
	uint64_t nb = 0;

	RTE_SET_USED(bytes);
	if (likely(t->plain)) {
		/* A fixed delay and nothing else: no draw, an append to the ring. */
		const uint64_t tts = now + t->lat_tsc;

		for (uint16_t i = 0; i < n; i++) {
			struct rte_mbuf *m = pkts[i];

			if (unlikely(t->nb >= t->limit)) {
				t->limit_drops++;
				sn_qdisc_drop(q, sd, m);
				continue;
			}
			sn_netem_tfifo_insert(t, m, tts);
			t->nb++;
			nq++;
			nb += rte_pktmbuf_pkt_len(m);
		}
		accepted = (uint16_t)nq;
	} else {
		for (uint16_t i = 0; i < n; i++)
			accepted = (uint16_t)(accepted + sn_netem_one(q, sd, t, pkts[i], now, false,
								     &nq, &nb));
	}
	if (nq != 0)
		sn_qdisc_account_enqueue(q, nq, nb);
	return accepted;
}

/* ---- dequeue ---- */

static uint16_t
sn_netem_dequeue(struct sn_qdisc *q, struct sn_softnet *sd __rte_unused, struct rte_mbuf **pkts,
		 uint16_t n)
{
	struct sn_netem *t = sn_qdisc_priv(q);
	uint16_t k = 0;

	while (t->now_len != 0 && k < n) {
		pkts[k++] = t->now_q[t->now_first];
		t->now_first = (t->now_first + 1) & t->now_mask;
		t->now_len--;
	}
	if (k < n && (t->lin_len | t->heap_len) != 0) {
		const uint64_t now = rte_rdtsc();
		const uint32_t ahead = RTE_MIN((uint32_t)(n - k), t->lin_len);

		/*
		 * The due head of the ring was last touched a delay ago: start
		 * every mbuf's two header lines on their way at once (the run and
		 * the driver read both), rather than miss on each in turn.
		 */
		for (uint32_t j = 0; j < ahead; j++) {
			const struct sn_netem_ent *e = &t->lin[(t->lin_first + j) & t->lin_mask];

			if (e->tts > now)
				break;
			rte_prefetch0(e->m);
			rte_prefetch0(RTE_PTR_ADD(e->m, RTE_CACHE_LINE_SIZE));
		}
		while (k < n) {
			bool heap;
			struct sn_netem_ent *e = sn_netem_tfifo_head(t, &heap);

			if (e == NULL)
				break;
			if (e->tts > now) {
				/* Throttled: run again when the earliest is due. */
				sn_qdisc_watchdog_schedule(q, e->tts);
				break;
			}
			pkts[k++] = e->m;
			sn_netem_tfifo_pop(t, heap);
		}
	}
	t->nb -= k;
	return k;
}

static struct rte_mbuf *
sn_netem_peek(struct sn_qdisc *q)
{
	struct sn_netem *t = sn_qdisc_priv(q);
	struct sn_netem_ent *e;
	bool heap;

	if (t->now_len != 0)
		return t->now_q[t->now_first];
	e = sn_netem_tfifo_head(t, &heap);
	return e != NULL ? e->m : NULL;
}

static void
sn_netem_reset(struct sn_qdisc *q, struct sn_softnet *sd)
{
	struct sn_netem *t = sn_qdisc_priv(q);

	while (t->now_len != 0) {
		sn_qdisc_drop_queued(q, sd, t->now_q[t->now_first]);
		t->now_first = (t->now_first + 1) & t->now_mask;
		t->now_len--;
	}
	while (t->lin_len != 0) {
		sn_qdisc_drop_queued(q, sd, t->lin[t->lin_first].m);
		t->lin_first = (t->lin_first + 1) & t->lin_mask;
		t->lin_len--;
	}
	while (t->heap_len != 0)
		sn_qdisc_drop_queued(q, sd, t->heap[--t->heap_len].m);
	t->nb = 0;
	t->last_tts = 0;
	t->counter = 0;
}

static void
sn_netem_destroy(struct sn_qdisc *q)
{
	struct sn_netem *t = sn_qdisc_priv(q);

	rte_free(t->now_q);
	rte_free(t->lin);
	rte_free(t->heap);
	t->now_q = NULL;
	t->lin = NULL;
	t->heap = NULL;
}

/* ---- control ---- */

static uint64_t
sn_netem_ns2tsc(uint64_t ns, uint64_t hz)
{
	return (uint64_t)((unsigned __int128)ns * hz / SN_NS_PER_SEC);
}

static int
sn_netem_init(struct sn_qdisc *q, const struct sn_qdisc_params *p)
{
	struct sn_netem *t = sn_qdisc_priv(q);
	uint32_t slots;

	memcpy(&t->o, p->opts, sizeof(t->o));
	t->limit = t->o.limit != 0 ? t->o.limit : SN_NETEM_DEF_LIMIT;
	if (t->limit > SN_NETEM_LIMIT_MAX || t->o.latency_ns > SN_NETEM_TIME_MAX ||
	    t->o.jitter_ns > SN_NETEM_TIME_MAX || t->o.dist >= SN_NETEM_DIST_COUNT ||
	    t->o.loss_model > SN_NETEM_LOSS_GI || t->o.gap > SN_NETEM_GAP_MAX ||
	    (t->o.gap != 0 && t->o.reorder == 0) ||
	    t->o.packet_overhead < -SN_NETEM_OVERHEAD_MAX ||
	    t->o.packet_overhead > SN_NETEM_OVERHEAD_MAX ||
	    t->o.cell_overhead < -SN_NETEM_OVERHEAD_MAX ||
	    t->o.cell_overhead > SN_NETEM_OVERHEAD_MAX || t->o.cell_size > SN_NETEM_OVERHEAD_MAX)
		return -EINVAL;
	/* A reorder without a gap (opts built by hand): tc's default gap, 1. */
	if (t->o.reorder != 0 && t->o.gap == 0)
		t->o.gap = 1;
	t->hz = rte_get_tsc_hz();
	t->lat_tsc = sn_netem_ns2tsc(t->o.latency_ns, t->hz);
	t->jit_tsc = sn_netem_ns2tsc(t->o.jitter_ns, t->hz);
	t->table = sn_netem_tables[t->o.dist];
	sn_netem_seed(t, t->o.has_seed ? t->o.seed : rte_rand() ^ rte_rdtsc());
	t->delay_cor.rho = t->o.delay_corr;
	t->loss_cor.rho = t->o.loss_corr;
	t->dup_cor.rho = t->o.dup_corr;
	t->reorder_cor.rho = t->o.reorder_corr;
	t->corrupt_cor.rho = t->o.corrupt_corr;
	t->loss_state = t->o.loss_model == SN_NETEM_LOSS_GI ? 1 : 0;
	t->plain = t->o.dup == 0 && t->o.loss_model == SN_NETEM_LOSS_RANDOM && t->o.loss == 0 &&
		   t->o.corrupt == 0 && t->o.gap == 0 && t->jit_tsc == 0 && t->o.rate == 0;
	slots = rte_align32pow2(t->limit);
	t->now_q = rte_malloc_socket("netem", sizeof(*t->now_q) * slots, RTE_CACHE_LINE_SIZE,
				     SOCKET_ID_ANY);
	t->lin = rte_malloc_socket("netem", sizeof(*t->lin) * slots, RTE_CACHE_LINE_SIZE,
				   SOCKET_ID_ANY);
	t->heap = rte_malloc_socket("netem", sizeof(*t->heap) * t->limit, RTE_CACHE_LINE_SIZE,
				    SOCKET_ID_ANY);
	if (t->now_q == NULL || t->lin == NULL || t->heap == NULL) {
		sn_netem_destroy(q);
		return -ENOMEM;
	}
	t->now_mask = slots - 1;
	t->lin_mask = slots - 1;
	return 0;
}

static int
sn_netem_dump(const struct sn_qdisc *q, struct sn_qdisc_params *p)
{
	const struct sn_netem *t = (const struct sn_netem *)q->priv;

	p->limit = t->limit;
	memcpy(p->opts, &t->o, sizeof(t->o));
	return 0;
}

/* ---- parse ---- */

static const struct sn_qdisc_ops sn_netem_ops;

static bool
sn_netem_next_is_number(int argc, const char *const argv[], int i, bool sign)
{
	return i + 1 < argc && argv[i + 1] != NULL &&
	       (isdigit((unsigned char)argv[i + 1][0]) || argv[i + 1][0] == '.' ||
		(sign && argv[i + 1][0] == '-'));
}

/* A percentage (0..100) as a fraction of UINT32_MAX, rounded to nearest (tc's rint). */
static uint32_t
sn_netem_pct_round(double pct)
{
	double v = pct / 100 * SN_NETEM_PCT_ONE + 0.5;

	return v >= (double)SN_NETEM_PCT_ONE ? SN_NETEM_PCT_ONE : (uint32_t)v;
}

/* tc's percent: "1%", "0.1%" or "1" (percent either way), 0..100. */
static int
sn_netem_pct(const char *name, const char *s, uint32_t *out, char *err, size_t errlen)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno != 0 || (*end != '\0' && strcmp(end, "%") != 0) || !(v >= 0) ||
	    v > 100)
		return sn_qdisc_parse_error(err, errlen,
					    "%s: '%s' is not a percentage (0..100, e.g. 1%%, 0.1%%)",
					    name, s);
	*out = sn_netem_pct_round(v);
	return 0;
}

/* The optional correlation after a percentage. */
static int
sn_netem_opt_pct(int argc, const char *const argv[], int *i, const char *name, uint32_t *out,
		 char *err, size_t errlen)
{
	if (!sn_netem_next_is_number(argc, argv, *i, false))
		return 0;
	*i += 1;
	return sn_netem_pct(name, argv[*i], out, err, errlen);
}

static int
sn_netem_time(const char *name, const char *s, uint64_t *ns, char *err, size_t errlen)
{
	if (sn_tc_parse_time(s, ns) != 0 || *ns > SN_NETEM_TIME_MAX)
		return sn_qdisc_parse_error(err, errlen,
					    "%s: '%s' is not a time up to 100s (e.g. 10ms, 500us)",
					    name, s);
	return 0;
}

static int
sn_netem_s32(const char *name, const char *s, int32_t *out, char *err, size_t errlen)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s || *end != '\0' || errno != 0 || v < -SN_NETEM_OVERHEAD_MAX ||
	    v > SN_NETEM_OVERHEAD_MAX)
		return sn_qdisc_parse_error(err, errlen, "%s: '%s' is not a number in -%d..%d",
					    name, s, SN_NETEM_OVERHEAD_MAX, SN_NETEM_OVERHEAD_MAX);
	*out = (int32_t)v;
	return 0;
}

/* `loss [random] P [C]`, `loss state P13 [P31 [P32 [P23 [P14]]]]`, `loss gemodel P [R [1-H [1-K]]]`. */
static int
sn_netem_parse_loss(struct sn_netem_opts *o, int argc, const char *const argv[], int *i,
		    char *err, size_t errlen)
{
	const char *w = argv[*i], *v;
	int rc;

	rc = sn_parse_value(argc, argv, i, "PERCENT, random, state or gemodel", err, errlen, &v);
	if (rc != 0)
		return rc;
	if (strcmp(v, "random") == 0) {
		rc = sn_parse_value(argc, argv, i, "PERCENT", err, errlen, &v);
		if (rc != 0)
			return rc;
	}
	if (strcmp(v, "state") == 0 || strcmp(v, "gemodel") == 0) {
		const bool ge = v[0] == 'g';
		static const char *const gi_names[] = { "p13", "p31", "p32", "p23", "p14" };
		static const char *const ge_names[] = { "p", "r", "1-h", "1-k" };
		const unsigned int nmax = ge ? 4 : 5;
		unsigned int k;

		rc = sn_parse_value(argc, argv, i, ge ? "P" : "P13", err, errlen, &v);
		if (rc != 0)
			return rc;
		o->loss_model = ge ? SN_NETEM_LOSS_GE : SN_NETEM_LOSS_GI;
		rc = sn_netem_pct(ge ? "loss gemodel p" : "loss state p13", v, &o->lm[0], err,
				  errlen);
		if (rc != 0)
			return rc;
		/* tc's defaults: r / p31 = 1 - p, 1-h = 100% (h 0), 1-k 0; p32 0, p23 100%, p14 0. */
		o->lm[1] = SN_NETEM_PCT_ONE - o->lm[0];
		o->lm[2] = 0;
		o->lm[3] = ge ? 0 : SN_NETEM_PCT_ONE;
		o->lm[4] = 0;
		for (k = 1; k < nmax && sn_netem_next_is_number(argc, argv, *i, false); k++) {
			char name[32];

			*i += 1;
			snprintf(name, sizeof(name), "loss %s %s", ge ? "gemodel" : "state",
				 ge ? ge_names[k] : gi_names[k]);
			rc = sn_netem_pct(name, argv[*i], &o->lm[k], err, errlen);
			if (rc != 0)
				return rc;
		}
		/* tc takes 1-h and gives the kernel h. */
		if (ge && k > 2)
			o->lm[2] = SN_NETEM_PCT_ONE - o->lm[2];
		return 0;
	}
	o->loss_model = SN_NETEM_LOSS_RANDOM;
	rc = sn_netem_pct(w, v, &o->loss, err, errlen);
	if (rc != 0)
		return rc;
	return sn_netem_opt_pct(argc, argv, i, "loss correlation", &o->loss_corr, err, errlen);
}

static int
sn_netem_parse(struct sn_qdisc_params *p, int argc, const char *const argv[], char *err,
	       size_t errlen)
{
	struct sn_netem_opts *o = (struct sn_netem_opts *)p->opts;
	bool seen_delay = false, seen_loss = false, seen_rate = false, seen_dist = false;

	for (int i = 0; i < argc; i++) {
		const char *w = argv[i], *v;
		int rc;

		if (strcmp(w, "limit") == 0) {
			rc = sn_parse_value(argc, argv, &i, "PACKETS", err, errlen, &v);
			if (rc == 0)
				rc = sn_parse_u32(w, v, 1, SN_NETEM_LIMIT_MAX, &o->limit, err,
						  errlen);
			p->limit = o->limit;
		} else if (strcmp(w, "delay") == 0 || strcmp(w, "latency") == 0) {
			if (seen_delay)
				return sn_parse_twice(w, err, errlen);
			seen_delay = true;
			rc = sn_parse_value(argc, argv, &i, "TIME", err, errlen, &v);
			if (rc == 0)
				rc = sn_netem_time(w, v, &o->latency_ns, err, errlen);
			if (rc == 0 && sn_netem_next_is_number(argc, argv, i, false)) {
				i++;
				rc = sn_netem_time("delay jitter", argv[i], &o->jitter_ns, err,
						   errlen);
				if (rc == 0)
					rc = sn_netem_opt_pct(argc, argv, &i, "delay correlation",
							      &o->delay_corr, err, errlen);
			}
		} else if (strcmp(w, "distribution") == 0) {
			unsigned int d;

			if (seen_dist)
				return sn_parse_twice(w, err, errlen);
			seen_dist = true;
			rc = sn_parse_value(argc, argv, &i, "uniform, normal, pareto or paretonormal",
					    err, errlen, &v);
			if (rc != 0)
				return rc;
			for (d = 0; d < SN_NETEM_DIST_COUNT; d++)
				if (strcmp(v, sn_netem_dist_names[d]) == 0)
					break;
			if (d == SN_NETEM_DIST_COUNT)
				return sn_qdisc_parse_error(err, errlen,
							    "distribution: '%s' is not uniform, normal, pareto or paretonormal (tables from files are not supported)",
							    v);
			o->dist = (uint8_t)d;
		} else if (strcmp(w, "loss") == 0 || strcmp(w, "drop") == 0) {
			if (seen_loss)
				return sn_qdisc_parse_error(err, errlen, "%s: loss given twice", w);
			seen_loss = true;
			rc = sn_netem_parse_loss(o, argc, argv, &i, err, errlen);
		} else if (strcmp(w, "duplicate") == 0 || strcmp(w, "reorder") == 0 ||
			   strcmp(w, "corrupt") == 0) {
			uint32_t *pr = w[0] == 'd' ? &o->dup : w[0] == 'r' ? &o->reorder : &o->corrupt;
			uint32_t *cr = w[0] == 'd' ? &o->dup_corr :
				       w[0] == 'r' ? &o->reorder_corr : &o->corrupt_corr;
			char cname[32];

			rc = sn_parse_value(argc, argv, &i, "PERCENT", err, errlen, &v);
			if (rc == 0)
				rc = sn_netem_pct(w, v, pr, err, errlen);
			snprintf(cname, sizeof(cname), "%s correlation", w);
			if (rc == 0)
				rc = sn_netem_opt_pct(argc, argv, &i, cname, cr, err, errlen);
		} else if (strcmp(w, "gap") == 0) {
			rc = sn_parse_value(argc, argv, &i, "DISTANCE", err, errlen, &v);
			if (rc == 0)
				rc = sn_parse_u32(w, v, 1, SN_NETEM_GAP_MAX, &o->gap, err, errlen);
		} else if (strcmp(w, "rate") == 0) {
			if (seen_rate)
				return sn_parse_twice(w, err, errlen);
			seen_rate = true;
			rc = sn_parse_value(argc, argv, &i, "RATE", err, errlen, &v);
			if (rc != 0)
				return rc;
			if (sn_tc_parse_rate(v, &o->rate) != 0 || o->rate == 0)
				return sn_qdisc_parse_error(err, errlen,
							    "rate: '%s' is not a rate (e.g. 100mbit, 1gbit)",
							    v);
			/* tc's positional PACKETOVERHEAD [CELLSIZE [CELLOVERHEAD]]. */
			if (sn_netem_next_is_number(argc, argv, i, true)) {
				i++;
				rc = sn_netem_s32("rate packetoverhead", argv[i],
						  &o->packet_overhead, err, errlen);
				if (rc == 0 && sn_netem_next_is_number(argc, argv, i, false)) {
					int32_t cs = 0;

					i++;
					rc = sn_netem_s32("rate cellsize", argv[i], &cs, err, errlen);
					if (rc == 0 && cs < 0)
						rc = sn_qdisc_parse_error(err, errlen,
									  "rate cellsize: must not be negative");
					o->cell_size = (uint32_t)cs;
					if (rc == 0 &&
					    sn_netem_next_is_number(argc, argv, i, true)) {
						i++;
						rc = sn_netem_s32("rate celloverhead", argv[i],
								  &o->cell_overhead, err, errlen);
					}
				}
			}
		} else if (strcmp(w, "packetoverhead") == 0 || strcmp(w, "celloverhead") == 0) {
			rc = sn_parse_value(argc, argv, &i, "BYTES", err, errlen, &v);
			if (rc == 0)
				rc = sn_netem_s32(w, v, w[0] == 'p' ? &o->packet_overhead :
								     &o->cell_overhead,
						  err, errlen);
		} else if (strcmp(w, "cellsize") == 0) {
			rc = sn_parse_value(argc, argv, &i, "BYTES", err, errlen, &v);
			if (rc == 0)
				rc = sn_parse_u32(w, v, 0, SN_NETEM_OVERHEAD_MAX, &o->cell_size, err,
						  errlen);
		} else if (strcmp(w, "seed") == 0) {
			char *end;

			rc = sn_parse_value(argc, argv, &i, "SEED", err, errlen, &v);
			if (rc != 0)
				return rc;
			errno = 0;
			o->seed = strtoull(v, &end, 10);
			if (end == v || *end != '\0' || errno != 0 || v[0] == '-')
				return sn_qdisc_parse_error(err, errlen,
							    "seed: '%s' is not a number (0..2^64-1)", v);
			o->has_seed = 1;
		} else if (strcmp(w, "ecn") == 0 || strcmp(w, "slot") == 0) {
			return sn_qdisc_parse_error(err, errlen,
						    "%s: not supported by softnet's netem", w);
		} else {
			return sn_parse_unknown(&sn_netem_ops, w, err, errlen);
		}
		if (rc != 0)
			return rc;
	}
	/* tc's checks. */
	if (o->reorder != 0) {
		if (o->latency_ns == 0)
			return sn_qdisc_parse_error(err, errlen,
						    "reorder: not possible without some delay");
		if (o->gap == 0)
			o->gap = 1;
	} else if (o->gap != 0) {
		return sn_qdisc_parse_error(err, errlen, "gap: only with a reorder probability");
	}
	if (seen_dist && o->dist != SN_NETEM_DIST_UNIFORM &&
	    (o->latency_ns == 0 || o->jitter_ns == 0))
		return sn_qdisc_parse_error(err, errlen,
					    "distribution: needs a delay and a jitter (delay 10ms 2ms)");
	if ((o->packet_overhead != 0 || o->cell_size != 0 || o->cell_overhead != 0) && o->rate == 0)
		return sn_qdisc_parse_error(err, errlen,
					    "packetoverhead: only with a rate (rate 100mbit 20)");
	return 0;
}

/* ---- print ---- */

/* tc's percent ("1%", "0.1%"), with more digits when %g would not parse back to @v. */
static void
sn_netem_fmt_pct(char *buf, size_t len, uint32_t v)
{
	const double pct = 100.0 * v / SN_NETEM_PCT_ONE;

	snprintf(buf, len, "%g%%", pct);
	if (sn_netem_pct_round(strtod(buf, NULL)) != v)
		snprintf(buf, len, "%.12g%%", pct);
}

/* "P% [C%]": a percentage and its correlation when there is one. */
static void
sn_netem_print_pct(struct sn_qdisc_writer *w, const char *key, uint32_t v, uint32_t corr)
{
	char a[32], b[32], s[72];

	sn_netem_fmt_pct(a, sizeof(a), v);
	if (corr != 0) {
		sn_netem_fmt_pct(b, sizeof(b), corr);
		snprintf(s, sizeof(s), "%s %s", a, b);
		sn_qw_str(w, key, s);
	} else {
		sn_qw_str(w, key, a);
	}
}

/*
 * tc's netem_print_opt order: limit, delay (jitter, correlation), loss,
 * duplicate, reorder, corrupt, seed, rate (packetoverhead, cellsize,
 * celloverhead), gap. Composite values are one string each (text: tc's
 * layout; JSON and telemetry: a string of tc's words).
 */
static void
sn_netem_print(const struct sn_qdisc *q, struct sn_qdisc_writer *w)
{
	const struct sn_netem *t = (const struct sn_netem *)q->priv;
	const struct sn_netem_opts *o = &t->o;
	char s[160], a[32], b[32];

	sn_qw_u64(w, "limit", t->limit);
	if (o->latency_ns != 0 || o->jitter_ns != 0) {
		int n;

		sn_tc_format_time(a, sizeof(a), o->latency_ns);
		n = snprintf(s, sizeof(s), "%s", a);
		if (o->jitter_ns != 0) {
			sn_tc_format_time(b, sizeof(b), o->jitter_ns);
			n += snprintf(s + n, sizeof(s) - (size_t)n, "  %s", b);
			if (o->delay_corr != 0) {
				sn_netem_fmt_pct(a, sizeof(a), o->delay_corr);
				snprintf(s + n, sizeof(s) - (size_t)n, " %s", a);
			}
		}
		sn_qw_str(w, "delay", s);
		if (o->dist != SN_NETEM_DIST_UNIFORM)
			sn_qw_str(w, "distribution", sn_netem_dist_names[o->dist]);
	}
	if (o->loss_model == SN_NETEM_LOSS_RANDOM && o->loss != 0) {
		sn_netem_print_pct(w, "loss", o->loss, o->loss_corr);
	} else if (o->loss_model != SN_NETEM_LOSS_RANDOM) {
		const bool ge = o->loss_model == SN_NETEM_LOSS_GE;
		const unsigned int nv = ge ? 4 : 5;
		int n = snprintf(s, sizeof(s), "%s", ge ? "gemodel" : "state");

		for (unsigned int k = 0; k < nv; k++) {
			uint32_t v = ge && k == 2 ? SN_NETEM_PCT_ONE - o->lm[2] : o->lm[k];

			sn_netem_fmt_pct(a, sizeof(a), v);
			n += snprintf(s + n, sizeof(s) - (size_t)n, " %s", a);
		}
		sn_qw_str(w, "loss", s);
	}
	if (o->dup != 0)
		sn_netem_print_pct(w, "duplicate", o->dup, o->dup_corr);
	if (o->reorder != 0)
		sn_netem_print_pct(w, "reorder", o->reorder, o->reorder_corr);
	if (o->corrupt != 0)
		sn_netem_print_pct(w, "corrupt", o->corrupt, o->corrupt_corr);
	if (o->has_seed)
		sn_qw_u64(w, "seed", o->seed);
	if (o->rate != 0) {
		sn_qw_rate(w, "rate", o->rate);
		if (o->packet_overhead != 0) {
			snprintf(a, sizeof(a), "%" PRId32, o->packet_overhead);
			sn_qw_str(w, "packetoverhead", a);
		}
		if (o->cell_size != 0)
			sn_qw_u64(w, "cellsize", o->cell_size);
		if (o->cell_overhead != 0) {
			snprintf(a, sizeof(a), "%" PRId32, o->cell_overhead);
			sn_qw_str(w, "celloverhead", a);
		}
	}
	/* tc prints gap always; 1 is what a bare reorder gets, so only a larger one. */
	if (o->gap > 1)
		sn_qw_u64(w, "gap", o->gap);
}

static void
sn_netem_print_stats(const struct sn_qdisc *q, struct sn_qdisc_writer *w)
{
	const struct sn_netem *t = (const struct sn_netem *)q->priv;

	sn_qw_u64(w, "delayed", (uint64_t)t->lin_len + t->heap_len);
	sn_qw_u64(w, "lost", t->lost);
	sn_qw_u64(w, "duplicated", t->duplicated);
	sn_qw_u64(w, "dup_failed", t->dup_failed);
	sn_qw_u64(w, "corrupted", t->corrupted);
	sn_qw_u64(w, "reordered", t->reordered);
	sn_qw_u64(w, "limit_drops", t->limit_drops);
}

static const struct sn_qdisc_ops sn_netem_ops = {
	.id = "netem",
	.priv_size = sizeof(struct sn_netem),
	.static_flags = 0,
	.enqueue = sn_netem_enqueue,
	.dequeue = sn_netem_dequeue,
	.peek = sn_netem_peek,
	.init = sn_netem_init,
	.reset = sn_netem_reset,
	.destroy = sn_netem_destroy,
	.dump = sn_netem_dump,
	.parse = sn_netem_parse,
	.print = sn_netem_print,
	.print_stats = sn_netem_print_stats,
	.usage = "[ limit PACKETS ] [ delay TIME [ JITTER [ CORRELATION ] ] ] "
		 "[ distribution { uniform | normal | pareto | paretonormal } ] "
		 "[ loss [ random ] PERCENT [ CORRELATION ] | loss state P13 [ P31 [ P32 [ P23 [ P14 ] ] ] ] "
		 "| loss gemodel P [ R [ 1-H [ 1-K ] ] ] ] [ duplicate PERCENT [ CORRELATION ] ] "
		 "[ reorder PERCENT [ CORRELATION ] [ gap DISTANCE ] ] [ corrupt PERCENT [ CORRELATION ] ] "
		 "[ rate RATE [ PACKETOVERHEAD [ CELLSIZE [ CELLOVERHEAD ] ] ] ] [ seed SEED ]",
};

RTE_INIT(sn_netem_register)
{
	sn_qdisc_register(&sn_netem_ops);
}
