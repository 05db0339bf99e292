/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * htb: the hierarchical token bucket (the kernel's sch_htb, tc's q_htb),
 * re-implemented for softnet. A classful, non-work-conserving discipline.
 *
 * Classes form a tree under the qdisc. Each has a rate bucket (`rate`,
 * `burst`) and a ceil bucket (`ceil`, `cburst`), and so a mode, as the
 * kernel's htb_class_mode(): CAN_SEND (both buckets non-negative: it sends
 * at its own rate), MAY_BORROW (rate bucket empty, ceil bucket not: it may
 * send on tokens lent by an ancestor that can send), CANT_SEND (ceil bucket
 * empty). Leaves hold a child qdisc (pfifo by default) and a priority 0..7.
 *
 * Levels, as the kernel's: a leaf is level 0; an inner class is one level
 * below its parent, a top-level inner class being level 7. A packet leaves
 * from the lowest level first: a leaf that can send on its own rate (level
 * 0) beats one that must borrow from a level-1 ancestor, which beats one
 * borrowing from level 2, and so on; within a level, the lowest priority
 * number first; within a level and a priority, deficit round robin over the
 * leaves by their quantum (rate / r2q, clamped to 1000..200000 bytes unless
 * given). The lender at level L is charged on its rate; its ancestors on
 * theirs too; the borrowers below it only see their buckets refilled by the
 * time passed ("borrowed"), the lender counts "lended". Every class on the
 * path is charged on its ceil.
 *
 * Structures, as the kernel's "feed tree": for each level and priority a
 * "row" of classes of that level in CAN_SEND mode with active leaves of that
 * priority below (through MAY_BORROW classes only), and for each inner class
 * and priority a "feed" of its children in MAY_BORROW mode with such leaves.
 * The kernel keeps them in rb-trees by classid with a round-robin pointer
 * and the id of the class it was on when that one left (last_ptr_id); here
 * each is a circular list sorted by classid with the same pointer and id, so
 * the rounds go in the kernel's order (insertion walks the list: rows and
 * feeds are short). A bitmask per level says which rows are non-empty, so
 * the dequeue path finds the next class with two find-first-set
 * instructions and a descent through feeds, touching no class that cannot
 * send.
 *
 * Batches: a dequeue takes from the selected leaf as many packets in a row
 * as the kernel's packet-by-packet loop would (sn_htb_run_len()), and
 * charges them at once; an enqueue classifies its burst and gives each leaf
 * its packets in one call. A level-0 leaf that empties stays in its row
 * until its turn comes again (it is passed over then, and taken out if still
 * empty on the turn after): the kernel takes it out at once and resumes at
 * the next classid, which is the same choice, without the list work for a
 * leaf that is refilled meanwhile.
 *
 * The kernel's per-level wait queues (rb-trees keyed by the time a class
 * changes mode) are simplified into one array of waiting classes with the
 * earliest time cached: dequeue compares the TSC with that time and only
 * then scans the array (O(waiting classes), once per due event, never per
 * packet). A dequeue that hands out nothing while packets wait arms the
 * qdisc watchdog at that earliest time (a child throttled on its own, e.g.
 * a tbf, arms its own watchdog).
 *
 * Units: as sch_tbf.c, tokens are byte-cycles (a byte is worth tsc_hz of
 * them), so elapsed * rate and len * tsc_hz are exact integers: no drift,
 * only the wake-up time is rounded up to a whole cycle. The time a bucket
 * may be owed is bounded as the kernel's mbuffer (60 s), further capped at
 * 2^62 byte-cycles so that every product stays within int64 (at 10 Gbit/s
 * and a 3 GHz TSC that is about 1.2 s of debt).
 *
 * Defaults as tc's q_htb.c: ceil = rate; burst = rate / get_hz() + mtu and
 * cburst = ceil / get_hz() + mtu, with mtu 1600 and get_hz() = 10^9 (what
 * tc reads from /proc/net/psched on any current kernel): 1600 bytes below
 * 8 Gbit/s. Qdisc: r2q 10, default 0 (none), direct_qlen 1000 (the device's
 * txqueuelen).
 *
 * Unclassified packets (no class from the mbuf priority or the filters, or
 * one that is not a leaf of this htb) go to the default class if it exists
 * and is a leaf, else to the direct queue, served before every class and
 * unshaped, as the kernel's. A priority equal to the qdisc's handle ("1:0")
 * also means the direct queue.
 *
 * Locking: enqueue and dequeue under the root lock (not NOLOCK-capable: the
 * buckets and lists are shared state); class changes take the tree lock
 * around what the data path sees, allocating before and freeing after.
 * Never CAN_BYPASS. No requeue op: the framework keeps a batch's unsent
 * tail ahead of everything, already charged (the kernel's requeued skb).
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_malloc.h>

#include "sched_private.h"
#include "sch_ring.h"
#include "sn_mbuf.h"

#define SN_HTB_MAXDEPTH 8
#define SN_HTB_NUMPRIO 8
#define SN_HTB_MAX_CLASSES 4096
#define SN_HTB_DEF_R2Q 10
#define SN_HTB_DEF_DIRECT_QLEN 1000 /* the device's txqueuelen */
#define SN_HTB_DIRECT_QLEN_MAX (1u << 20)
#define SN_HTB_DEF_MTU 1600
#define SN_HTB_TC_HZ 1000000000ull  /* tc's get_hz() on current kernels */
#define SN_HTB_QUANTUM_MIN 1000
#define SN_HTB_QUANTUM_MAX 200000
#define SN_HTB_SIZE_MAX (1u << 28)  /* burst, cburst: keeps byte-cycles in int64 */
#define SN_HTB_RATE_MAX (1ull << 40) /* bytes per second (8.8 Tbit/s) */
#define SN_HTB_MBUFFER_SEC 60       /* the kernel's mbuffer */
#define SN_HTB_DEBT_MAX (1ll << 62) /* byte-cycles */
#define SN_HTB_ENQ_CHUNK 64         /* packets classified at once */

enum sn_htb_mode {
	SN_HTB_CANT_SEND,
	SN_HTB_MAY_BORROW,
	SN_HTB_CAN_SEND,
};

/* The qdisc's options (params.opts); all zero: the defaults. */
struct sn_htb_qopts {
	uint32_t defcls;      /* minor of the default class, 0: none */
	uint32_t r2q;         /* 0: 10 */
	uint32_t direct_qlen; /* packets, 0: 1000 */
	uint32_t pad;
};
static_assert(sizeof(struct sn_htb_qopts) <= SN_QDISC_OPTS_SIZE, "htb options fit in opts");

/* A class's options (its parse op's struct), complete: parse fills the defaults. */
struct sn_htb_copts {
	uint64_t rate;    /* bytes per second */
	uint64_t ceil;    /* bytes per second */
	uint32_t burst;   /* bytes */
	uint32_t cburst;  /* bytes */
	uint32_t quantum; /* bytes, 0: rate / r2q */
	uint32_t mtu;     /* for the default bursts only */
	uint8_t prio;
	uint8_t pad[7];
};
static_assert(sizeof(struct sn_htb_copts) <= SN_QDISC_OPTS_SIZE, "htb class options fit");

struct sn_htb_class;

/*
 * A row or a feed of one priority: a circular list sorted by classid, and
 * its round-robin pointer, as the kernel's rb-tree and ptr. When the class
 * the pointer is on leaves, the pointer is cleared and its classid kept: the
 * next lookup resumes at the first class from that id on (the class itself
 * if it came back meanwhile), as the kernel's last_ptr_id does, so that a
 * class changing mode between two packets does not lose its turn.
 */
struct sn_htb_rr {
	struct sn_htb_class *first; /* lowest classid; NULL: empty */
	struct sn_htb_class *ptr;   /* served next; NULL: look it up */
	uint32_t pid;               /* classid to resume from when ptr is NULL, 0: none */
};

/* Links of a class in one priority's row or feed (a circular list). */
struct sn_htb_link {
	struct sn_htb_class *next;
	struct sn_htb_class *prev;
};

struct sn_htb_class {
	/* Hot: the dequeue path and the charge. */
	int64_t tokens;               /* rate bucket, byte-cycles */
	int64_t ctokens;              /* ceil bucket, byte-cycles */
	uint64_t t_c;                 /* TSC the buckets were last brought to */
	uint64_t rate;                /* bytes per second */
	uint64_t ceil;
	int64_t buf;                  /* burst * hz */
	int64_t cbuf;                 /* cburst * hz */
	int64_t floor;                /* lowest the rate bucket goes (the mbuffer) */
	int64_t cfloor;
	uint64_t elmax;               /* cycles that fill the rate bucket from floor to full */
	uint64_t celmax;
	struct sn_htb_class *parent;  /* NULL: top level */
	struct sn_qdisc *leaf_q;      /* the leaf's qdisc; NULL: inner class */
	uint8_t level;
	uint8_t prio;
	uint8_t cmode;
	uint8_t prio_activity;        /* leaf: its prio bit when backlogged; inner: feeds in use */
	int32_t quantum;
	int32_t deficit[SN_HTB_MAXDEPTH];
	struct sn_htb_link node[SN_HTB_NUMPRIO]; /* in a row or in the parent's feed */
	struct sn_htb_rr feed[SN_HTB_NUMPRIO]; /* inner: children borrowing, by prio */
	uint64_t pq_key;              /* when its mode changes, if waiting */
	int32_t wait_idx;             /* index in the wait array, -1: not waiting */
	uint64_t enq_gen;             /* enqueue: the burst that numbered it last */
	uint8_t enq_slot;             /* enqueue: its number in that burst */
	uint8_t idle_seen;            /* level 0: found empty in its row once already */

	/* Counters (root lock). */
	uint64_t packets;
	uint64_t bytes;
	uint64_t drops;
	uint64_t overlimits;
	uint64_t lends;
	uint64_t borrows;
	uint64_t giants;

	/* Control. */
	uint32_t classid;
	uint32_t nb_children;
	struct sn_htb_copts o;
	struct sn_htb_class *all_next; /* every class, in creation order (parents first) */
} __rte_cache_aligned;

#define SN_HTB_TAB_SHIFT 8
#define SN_HTB_TAB_SIZE (1u << SN_HTB_TAB_SHIFT)

struct sn_htb {
	/* Hot. */
	struct sn_htb_rr row[SN_HTB_MAXDEPTH][SN_HTB_NUMPRIO]; /* classes that can send */
	uint8_t row_mask[SN_HTB_MAXDEPTH];   /* rows in use, per level */
	uint32_t lvl_mask;                   /* levels with a row in use */
	uint64_t near_ev;                    /* earliest pq_key, UINT64_MAX: none */
	struct sn_htb_class *defcl;          /* default class (a leaf), NULL: none */
	struct rte_ring *direct;             /* the direct queue */
	uint32_t direct_qlen;
	uint32_t nb_wait;
	struct sn_htb_class **wait;          /* classes not in CAN_SEND mode */
	struct sn_qdisc *q;
	uint64_t hz;
	uint64_t direct_pkts;                /* packets sent to the direct queue */
	uint32_t max_len;                    /* longest packet ever enqueued */
	uint64_t enq_gen;                    /* bursts classified (sn_htb_enqueue()) */

	/* Control. */
	struct sn_htb_qopts o;
	uint32_t nb_classes;
	struct sn_htb_class *all_first, *all_last;
	struct sn_htb_class **tab[SN_HTB_TAB_SIZE]; /* minor -> class, two levels */
};

static const struct sn_qdisc_ops sn_htb_ops;

static struct sn_htb_class *
sn_htb_find(const struct sn_htb *h, const struct sn_qdisc *q, uint32_t classid)
{
	struct sn_htb_class **blk;
	uint32_t minor = classid & 0xffffu;

	if ((classid & 0xffff0000u) != q->handle || minor == 0)
		return NULL;
	blk = h->tab[minor >> SN_HTB_TAB_SHIFT];
	return blk != NULL ? blk[minor & (SN_HTB_TAB_SIZE - 1)] : NULL;
}

/* ---- buckets ---- */

/* Byte-cycles a bucket of @full holds @el cycles after it held @toks. */
static __rte_always_inline int64_t
sn_htb_refill(int64_t toks, uint64_t el, uint64_t elmax, uint64_t rate, int64_t full)
{
	int64_t v = toks + (int64_t)(RTE_MIN(el, elmax) * rate);

	return RTE_MIN(v, full);
}

static inline int64_t
sn_htb_clamp(int64_t v, int64_t lo, int64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* The bucket geometry of @cl from its options; buckets start full. */
static void
sn_htb_class_geometry(struct sn_htb_class *cl, uint64_t hz)
{
	uint64_t debt;

	cl->rate = cl->o.rate;
	cl->ceil = cl->o.ceil;
	cl->buf = (int64_t)((uint64_t)cl->o.burst * hz);
	cl->cbuf = (int64_t)((uint64_t)cl->o.cburst * hz);
	debt = RTE_MIN((uint64_t)SN_HTB_MBUFFER_SEC * hz, (uint64_t)SN_HTB_DEBT_MAX / cl->rate) *
	       cl->rate;
	cl->floor = -(int64_t)RTE_MIN(debt, (uint64_t)SN_HTB_DEBT_MAX);
	debt = RTE_MIN((uint64_t)SN_HTB_MBUFFER_SEC * hz, (uint64_t)SN_HTB_DEBT_MAX / cl->ceil) *
	       cl->ceil;
	cl->cfloor = -(int64_t)RTE_MIN(debt, (uint64_t)SN_HTB_DEBT_MAX);
	cl->elmax = (uint64_t)(cl->buf - cl->floor) / cl->rate + 1;
	cl->celmax = (uint64_t)(cl->cbuf - cl->cfloor) / cl->ceil + 1;
}

/* ---- rows, feeds and activity (the kernel's htb_activate_prios & co) ---- */

/* Add @cl to @rr in classid order (a walk: rows and feeds are short). */
static __rte_always_inline void
sn_htb_list_add(struct sn_htb_rr *rr, struct sn_htb_class *cl, unsigned int p)
{
	struct sn_htb_class *f = rr->first, *n, *t;

	if (f == NULL) {
		cl->node[p].next = cl;
		cl->node[p].prev = cl;
		rr->first = cl;
		return;
	}
	/* Before the first class with a higher id; at the end if none. */
	n = f;
	do {
		if (n->classid > cl->classid)
			break;
		n = n->node[p].next;
	} while (n != f);
	t = n->node[p].prev;
	cl->node[p].next = n;
	cl->node[p].prev = t;
	t->node[p].next = cl;
	n->node[p].prev = cl;
	if (cl->classid < f->classid)
		rr->first = cl;
}

static __rte_always_inline void
sn_htb_list_del(struct sn_htb_rr *rr, struct sn_htb_class *cl, unsigned int p)
{
	struct sn_htb_class *n = cl->node[p].next, *pv = cl->node[p].prev;

	if (rr->ptr == cl) {
		rr->ptr = NULL;
		rr->pid = cl->classid;
	}
	if (n == cl) {
		rr->first = NULL;
	} else {
		pv->node[p].next = n;
		n->node[p].prev = pv;
		if (rr->first == cl)
			rr->first = n;
	}
	cl->node[p].next = NULL;
	cl->node[p].prev = NULL;
}

/* The class @rr serves next (the kernel's ptr, recovered from last_ptr_id). */
static __rte_always_inline struct sn_htb_class *
sn_htb_rr_current(struct sn_htb_rr *rr, unsigned int p)
{
	if (likely(rr->ptr != NULL))
		return rr->ptr;
	if (rr->pid != 0 && rr->first != NULL) {
		struct sn_htb_class *c = rr->first;

		do {
			if (c->classid >= rr->pid) {
				rr->ptr = c;
				break;
			}
			c = c->node[p].next;
		} while (c != rr->first);
	}
	rr->pid = 0;
	if (rr->ptr == NULL)
		rr->ptr = rr->first;
	return rr->ptr;
}

static void
sn_htb_add_to_row(struct sn_htb *h, struct sn_htb_class *cl, unsigned int mask)
{
	h->row_mask[cl->level] |= (uint8_t)mask;
	h->lvl_mask |= 1u << cl->level;
	for (unsigned int m = mask; m != 0; m &= m - 1)
		sn_htb_list_add(&h->row[cl->level][__builtin_ctz(m)], cl,
				(unsigned int)__builtin_ctz(m));
}

static void
sn_htb_remove_from_row(struct sn_htb *h, struct sn_htb_class *cl, unsigned int mask)
{
	unsigned int empty = 0;

	for (unsigned int m = mask; m != 0; m &= m - 1) {
		unsigned int p = (unsigned int)__builtin_ctz(m);

		sn_htb_list_del(&h->row[cl->level][p], cl, p);
		if (h->row[cl->level][p].first == NULL)
			empty |= 1u << p;
	}
	h->row_mask[cl->level] &= (uint8_t)~empty;
	if (h->row_mask[cl->level] == 0)
		h->lvl_mask &= ~(1u << cl->level);
}

/*
 * @cl's priorities became active (or it changed mode): hang it in its
 * parent's feeds while it borrows, climbing as long as each newly fed parent
 * borrows too; the first one that can send goes into its level's rows.
 */
static void
sn_htb_activate_prios(struct sn_htb *h, struct sn_htb_class *cl)
{
	struct sn_htb_class *p = cl->parent;
	unsigned int mask = cl->prio_activity;

	while (cl->cmode == SN_HTB_MAY_BORROW && p != NULL && mask != 0) {
		for (unsigned int m = mask; m != 0; m &= m - 1) {
			unsigned int prio = (unsigned int)__builtin_ctz(m);

			/* A parent already fed at this prio is active there already. */
			if (p->feed[prio].first != NULL)
				mask &= ~(1u << prio);
			sn_htb_list_add(&p->feed[prio], cl, prio);
		}
		p->prio_activity |= (uint8_t)mask;
		cl = p;
		p = cl->parent;
	}
	if (cl->cmode == SN_HTB_CAN_SEND && mask != 0)
		sn_htb_add_to_row(h, cl, mask);
}

/* The reverse of sn_htb_activate_prios(). */
static void
sn_htb_deactivate_prios(struct sn_htb *h, struct sn_htb_class *cl)
{
	struct sn_htb_class *p = cl->parent;
	unsigned int mask = cl->prio_activity;

	while (cl->cmode == SN_HTB_MAY_BORROW && p != NULL && mask != 0) {
		unsigned int m = mask;

		mask = 0;
		for (; m != 0; m &= m - 1) {
			unsigned int prio = (unsigned int)__builtin_ctz(m);

			sn_htb_list_del(&p->feed[prio], cl, prio);
			if (p->feed[prio].first == NULL)
				mask |= 1u << prio;
		}
		p->prio_activity &= (uint8_t)~mask;
		cl = p;
		p = cl->parent;
	}
	if (cl->cmode == SN_HTB_CAN_SEND && mask != 0)
		sn_htb_remove_from_row(h, cl, mask);
}

/* A leaf got its first packet. */
static __rte_always_inline void
sn_htb_activate(struct sn_htb *h, struct sn_htb_class *cl)
{
	if (cl->prio_activity == 0) {
		cl->prio_activity = (uint8_t)(1u << cl->prio);
		sn_htb_activate_prios(h, cl);
	}
}

/* A leaf has nothing left. */
static void
sn_htb_deactivate(struct sn_htb *h, struct sn_htb_class *cl)
{
	if (cl->prio_activity == 0)
		return;
	sn_htb_deactivate_prios(h, cl);
	cl->prio_activity = 0;
}

static void
sn_htb_set_mode(struct sn_htb *h, struct sn_htb_class *cl, enum sn_htb_mode mode)
{
	if (mode == cl->cmode)
		return;
	if (mode == SN_HTB_CANT_SEND) {
		cl->overlimits++;
		h->q->qstats.overlimits++;
	}
	if (cl->prio_activity != 0) {
		if (cl->cmode != SN_HTB_CANT_SEND)
			sn_htb_deactivate_prios(h, cl);
		cl->cmode = (uint8_t)mode;
		if (mode != SN_HTB_CANT_SEND)
			sn_htb_activate_prios(h, cl);
	} else {
		cl->cmode = (uint8_t)mode;
	}
}

/* ---- the wait list (the kernel's wait queues, flattened) ---- */

static __rte_always_inline void
sn_htb_wait_add(struct sn_htb *h, struct sn_htb_class *cl, uint64_t key)
{
	if (cl->wait_idx < 0) {
		cl->wait_idx = (int32_t)h->nb_wait;
		h->wait[h->nb_wait++] = cl;
	}
	cl->pq_key = key;
	if (key < h->near_ev)
		h->near_ev = key;
}

static void
sn_htb_wait_del(struct sn_htb *h, struct sn_htb_class *cl)
{
	struct sn_htb_class *last;

	if (cl->wait_idx < 0)
		return;
	last = h->wait[--h->nb_wait];
	h->wait[cl->wait_idx] = last;
	last->wait_idx = cl->wait_idx;
	cl->wait_idx = -1;
	/* near_ev may now be early: a spurious scan, never a late one. */
}

/*
 * The mode of @cl with buckets @toks, @ctoks (brought to now), and when it
 * changes next (*@wait cycles from now; 0 for CAN_SEND).
 */
static __rte_always_inline enum sn_htb_mode
sn_htb_mode_of(const struct sn_htb_class *cl, int64_t toks, int64_t ctoks, uint64_t *wait)
{
	if (ctoks < 0) {
		*wait = ((uint64_t)-ctoks + cl->ceil - 1) / cl->ceil;
		return SN_HTB_CANT_SEND;
	}
	if (toks >= 0) {
		*wait = 0;
		return SN_HTB_CAN_SEND;
	}
	*wait = ((uint64_t)-toks + cl->rate - 1) / cl->rate;
	return SN_HTB_MAY_BORROW;
}

/* Classes whose time has come change mode (the kernel's htb_do_events). */
static void
sn_htb_do_events(struct sn_htb *h, uint64_t now)
{
	uint64_t near = UINT64_MAX;
	uint32_t i = 0;

	while (i < h->nb_wait) {
		struct sn_htb_class *cl = h->wait[i];
		enum sn_htb_mode mode;
		uint64_t el, wait;
		int64_t tk, ctk;

		if (cl->pq_key > now) {
			near = RTE_MIN(near, cl->pq_key);
			i++;
			continue;
		}
		el = now - cl->t_c;
		tk = sn_htb_refill(cl->tokens, el, cl->elmax, cl->rate, cl->buf);
		ctk = sn_htb_refill(cl->ctokens, el, cl->celmax, cl->ceil, cl->cbuf);
		mode = sn_htb_mode_of(cl, tk, ctk, &wait);
		sn_htb_set_mode(h, cl, mode);
		if (mode == SN_HTB_CAN_SEND) {
			/* Swapped with the last: look at index i again. */
			sn_htb_wait_del(h, cl);
			continue;
		}
		cl->pq_key = now + wait;
		near = RTE_MIN(near, cl->pq_key);
		i++;
	}
	h->near_ev = near;
}

/*
 * Charge @bytes in @npkts packets sent by leaf @cl served at @level (the
 * kernel's htb_charge_class, per packet there): the lender and those above
 * it pay on their rate, the borrowers below it only see time pass; everyone
 * pays on ceil. Time is the same for the whole batch, so charging its sum
 * once leaves every bucket, mode and counter as charging each packet would.
 */
static __rte_always_inline void
sn_htb_charge(struct sn_htb *h, struct sn_htb_class *cl, unsigned int level, uint64_t bytes,
	      uint32_t npkts, uint64_t now)
{
	const int64_t cost = (int64_t)(bytes * h->hz);

	for (; cl != NULL; cl = cl->parent) {
		const uint64_t el = now - cl->t_c;
		enum sn_htb_mode mode;
		int64_t t;
		uint64_t wait;

		t = sn_htb_refill(cl->tokens, el, cl->elmax, cl->rate, cl->buf);
		if (cl->level >= level) {
			if (cl->level == level)
				cl->lends += npkts;
			t -= cost;
			if (t < cl->floor)
				t = cl->floor;
		} else {
			cl->borrows += npkts;
		}
		cl->tokens = t;
		t = sn_htb_refill(cl->ctokens, el, cl->celmax, cl->ceil, cl->cbuf) - cost;
		cl->ctokens = RTE_MAX(t, cl->cfloor);
		cl->t_c = now;
		mode = sn_htb_mode_of(cl, cl->tokens, cl->ctokens, &wait);
		if (unlikely(mode != cl->cmode))
			sn_htb_set_mode(h, cl, mode);
		if (mode != SN_HTB_CAN_SEND)
			sn_htb_wait_add(h, cl, now + wait);
		else if (unlikely(cl->wait_idx >= 0))
			sn_htb_wait_del(h, cl);
		if (cl->level != 0) {
			cl->packets += npkts;
			cl->bytes += bytes;
		}
	}
}

/* ---- data path ---- */

/* The leaf for @m, or NULL: the direct queue. */
static __rte_always_inline struct sn_htb_class *
sn_htb_classify(struct sn_qdisc *q, const struct sn_htb *h, const struct rte_mbuf *m)
{
	uint32_t id = sn_mbuf_prio_get(m);
	struct sn_htb_class *cl;

	if (unlikely(id == q->handle))
		return NULL;
	/* The priority names one of our classes (the usual case when set at all). */
	if ((id & 0xffff0000u) != q->handle || (id & 0xffffu) == 0) {
		id = sn_qdisc_classify(q, m);
		if (id == q->handle)
			return NULL;
	}
	cl = sn_htb_find(h, q, id);
	if (likely(cl != NULL && cl->level == 0))
		return cl;
	return h->defcl;
}

/*
 * Give leaf @cl its @cnt packets (@bytes in all) in one call of its qdisc.
 * A child may drop some of them, or (an AQM) packets it already held, which
 * it takes off our counters itself (sn_qdisc_tree_reduce()): what it kept of
 * ours is its backlog's change plus what it took off ours meanwhile.
 * @return how many it took.
 */
static __rte_always_inline uint16_t
sn_htb_enqueue_leaf(struct sn_qdisc *q, struct sn_htb *h, struct sn_softnet *sd,
		    struct sn_htb_class *cl, struct rte_mbuf **pkts, uint16_t cnt, uint32_t bytes)
{
	struct sn_qdisc *child = cl->leaf_q;
	const uint64_t cb0 = child->qstats.backlog, qb0 = q->qstats.backlog;
	uint16_t k = child->ops->enqueue(child, sd, pkts, cnt, bytes);

	if (likely(k != 0)) {
		const uint64_t kept = child->qstats.backlog - cb0 + (qb0 - q->qstats.backlog);

		sn_qdisc_account_enqueue(q, k, kept);
		cl->idle_seen = 0;
		sn_htb_activate(h, cl);
	}
	if (unlikely(k != cnt)) {
		/* The child dropped and counted them; tc shows them here too. */
		q->qstats.drops += cnt - k;
		cl->drops += cnt - k;
	}
	return k;
}

/*
 * Classify a burst, then hand each leaf its packets in one call (in their
 * order; leaves are separate queues, so the order between them does not
 * matter): one child call per leaf and burst rather than per packet.
 */
static uint16_t
sn_htb_enqueue(struct sn_qdisc *q, struct sn_softnet *sd, struct rte_mbuf **pkts, uint16_t n,
	       uint32_t bytes)
{
	struct sn_htb *h = sn_qdisc_priv(q);
	struct sn_htb_class *cls[SN_HTB_ENQ_CHUNK];
	struct rte_mbuf *run[SN_HTB_ENQ_CHUNK];
	uint32_t lens[SN_HTB_ENQ_CHUNK];
	uint16_t k = 0;

	RTE_SET_USED(bytes);
	for (uint16_t base = 0; base < n; base = (uint16_t)(base + SN_HTB_ENQ_CHUNK)) {
		const uint16_t m = (uint16_t)RTE_MIN(n - base, SN_HTB_ENQ_CHUNK);
		struct rte_mbuf **p = pkts + base;
		uint64_t direct_bytes = 0;
		uint16_t direct = 0;

		for (uint16_t i = 0; i < m; i++) {
			const uint32_t len = rte_pktmbuf_pkt_len(p[i]);

			lens[i] = len;
			if (unlikely(len > h->max_len))
				h->max_len = len;
			cls[i] = sn_htb_classify(q, h, p[i]);
			if (likely(cls[i] != NULL))
				continue;
			if (rte_ring_count(h->direct) < h->direct_qlen &&
			    rte_ring_sp_enqueue(h->direct, p[i]) == 0) {
				h->direct_pkts++;
				direct_bytes += len;
				direct++;
			} else {
				sn_qdisc_drop(q, sd, p[i]);
			}
		}
		if (direct != 0) {
			sn_qdisc_account_enqueue(q, direct, direct_bytes);
			k = (uint16_t)(k + direct);
		}
		/*
		 * Gather per leaf, keeping order: number the leaves of this
		 * chunk (a tag in the class, by generation), count, place.
		 */
		{
			struct sn_htb_class *slot_cl[SN_HTB_ENQ_CHUNK];
			uint16_t cnt[SN_HTB_ENQ_CHUNK], pos[SN_HTB_ENQ_CHUNK];
			uint32_t sbytes[SN_HTB_ENQ_CHUNK];
			uint8_t slot[SN_HTB_ENQ_CHUNK];
			uint16_t nslots = 0, at = 0;
			const uint64_t gen = ++h->enq_gen;

			for (uint16_t i = 0; i < m; i++) {
				struct sn_htb_class *cl = cls[i];

				if (cl == NULL)
					continue;
				if (cl->enq_gen != gen) {
					cl->enq_gen = gen;
					cl->enq_slot = (uint8_t)nslots;
					slot_cl[nslots] = cl;
					cnt[nslots] = 0;
					sbytes[nslots] = 0;
					nslots++;
				}
				slot[i] = cl->enq_slot;
				cnt[slot[i]]++;
				sbytes[slot[i]] += lens[i];
			}
			for (uint16_t sl = 0; sl < nslots; sl++) {
				pos[sl] = at;
				at = (uint16_t)(at + cnt[sl]);
			}
			for (uint16_t i = 0; i < m; i++)
				if (cls[i] != NULL)
					run[pos[slot[i]]++] = p[i];
			at = 0;
			for (uint16_t sl = 0; sl < nslots; sl++) {
				k = (uint16_t)(k + sn_htb_enqueue_leaf(q, h, sd, slot_cl[sl],
								       run + at, cnt[sl],
								       sbytes[sl]));
				at = (uint16_t)(at + cnt[sl]);
			}
		}
	}
	return k;
}

/* Advance the round of @cl's row (served at level 0) or of its parent's feed. */
static __rte_always_inline void
sn_htb_next(struct sn_htb *h, struct sn_htb_class *cl, unsigned int prio, unsigned int level)
{
	struct sn_htb_rr *rr = level != 0 ? &cl->parent->feed[prio] : &h->row[0][prio];

	/* The kernel's htb_next_rb_node(): the next id, the first after the last. */
	if (rr->ptr != NULL)
		rr->ptr = rr->ptr->node[prio].next;
}

/* The leaf served next at @prio from the row of @level: down the feeds. */
static __rte_always_inline struct sn_htb_class *
sn_htb_lookup_leaf(struct sn_htb *h, unsigned int prio, unsigned int level)
{
	struct sn_htb_class *cl = sn_htb_rr_current(&h->row[level][prio], prio);

	while (cl != NULL && cl->level != 0)
		cl = sn_htb_rr_current(&cl->feed[prio], prio);
	return cl;
}

/*
 * How many packets (at most @limit, at least 1) leaf @cl, served at @level,
 * may send in a row before the selection could change: the kernel decides
 * packet by packet, sending the next one while the deficit and, from the
 * leaf up to the lender, the ceil buckets (and the lender's rate bucket) are
 * not negative. No packet is
 * longer than @max_len, so this many are certain to pass those tests one
 * after the other (time stands still within a dequeue call, and a charge
 * never makes another class eligible at a lower level or priority).
 */
static __rte_always_inline uint32_t
sn_htb_run_len(const struct sn_htb *h, const struct sn_htb_class *cl, unsigned int level,
	       uint64_t now, uint32_t limit)
{
	const uint64_t unit = (uint64_t)h->max_len * h->hz;
	const int32_t d = cl->deficit[level];
	uint64_t slack = d >= 0 ? (uint64_t)d * h->hz : 0;

	for (const struct sn_htb_class *c = cl;; c = c->parent) {
		const uint64_t el = now - c->t_c;
		int64_t t = sn_htb_refill(c->ctokens, el, c->celmax, c->ceil, c->cbuf);

		if (t < 0)
			t = 0;
		slack = RTE_MIN(slack, (uint64_t)t);
		if (c->level == level) {
			t = sn_htb_refill(c->tokens, el, c->elmax, c->rate, c->buf);
			if (t < 0)
				t = 0;
			slack = RTE_MIN(slack, (uint64_t)t);
			break;
		}
	}
	/* Usually all @limit fit: no division on the common path. */
	if (slack >= (uint64_t)(limit - 1) * unit)
		return limit;
	return (uint32_t)(slack / unit) + 1;
}

/*
 * Packets from the row of (@level, @prio) (the kernel's htb_dequeue_tree):
 * from the leaf the round leads to, as many in a row as it may certainly
 * send (sn_htb_run_len()), at most @n. @return how many, 0: none here.
 */
static __rte_always_inline uint16_t
sn_htb_dequeue_tree(struct sn_htb *h, struct sn_softnet *sd, unsigned int prio,
		    unsigned int level, uint64_t now, struct rte_mbuf **pkts, uint16_t n)
{
	struct sn_htb_class *cl = sn_htb_lookup_leaf(h, prio, level), *start = cl;
	uint64_t bytes = 0;
	uint16_t k = 0;

	while (cl != NULL) {
		if (likely(cl->leaf_q->qstats.qlen != 0)) {
			const uint32_t limit =
				(uint32_t)RTE_MIN((uint64_t)n, cl->leaf_q->qstats.qlen);
			const uint32_t want = sn_htb_run_len(h, cl, level, now, limit);

			const uint64_t sent0 = cl->leaf_q->bstats.bytes;

			k = sn_qdisc_child_dequeue(cl->leaf_q, sd, pkts, (uint16_t)want);
			if (likely(k != 0)) {
				/* What the child counted as handed out: no mbuf read again. */
				bytes = cl->leaf_q->bstats.bytes - sent0;
				break;
			}
		}
		if (cl->leaf_q->qstats.qlen == 0) {
			/* Empty (or its AQM just dropped its last): out of every round. */
			struct sn_htb_class *next;

			/*
			 * A level-0 row holds leaves only: an emptied one is passed
			 * over (the kernel took it out when it emptied, and resumes
			 * at the next classid: the same one), and taken out only if
			 * still empty when its turn comes again.
			 */
			if (level == 0 && !cl->idle_seen) {
				cl->idle_seen = 1;
				sn_htb_next(h, cl, prio, level);
				cl = sn_htb_lookup_leaf(h, prio, level);
				if (cl == start)
					return 0;
				continue;
			}
			sn_htb_deactivate(h, cl);
			next = sn_htb_lookup_leaf(h, prio, level);
			if (cl == start)
				start = next;
			cl = next;
			continue;
		}
		/* Holds packets but gave none: throttled on its own (its watchdog is armed). */
		sn_htb_next(h, cl, prio, level);
		cl = sn_htb_lookup_leaf(h, prio, level);
		if (cl == start)
			return 0;
	}
	if (cl == NULL)
		return 0;
	cl->packets += k;
	cl->bytes += bytes;
	cl->deficit[level] -= (int32_t)bytes;
	if (cl->deficit[level] < 0) {
		cl->deficit[level] += cl->quantum;
		sn_htb_next(h, cl, prio, level);
	}
	/*
	 * Emptied. Served on its own rate (level 0), it stays in its row until
	 * its turn comes again and it is found empty (taken out above), so that
	 * a leaf refilled before then costs no list work; what is sent is the
	 * same, the row holding leaves only. Borrowing, it leaves its feeds now,
	 * as the kernel's: an empty leaf kept there could hide its parent's
	 * other children from the lookup.
	 */
	if (level != 0 && cl->leaf_q->qstats.qlen == 0)
		sn_htb_deactivate(h, cl);
	sn_htb_charge(h, cl, level, bytes, k, now);
	return k;
}

static uint16_t
sn_htb_dequeue(struct sn_qdisc *q, struct sn_softnet *sd, struct rte_mbuf **pkts, uint16_t n)
{
	struct sn_htb *h = sn_qdisc_priv(q);
	const uint64_t qlen = q->qstats.qlen;
	uint16_t k = 0;
	uint64_t now;

	/* The direct queue goes first, unshaped. */
	if (unlikely(rte_ring_count(h->direct) != 0))
		k = (uint16_t)rte_ring_sc_dequeue_burst(h->direct, (void **)pkts, n, NULL);
	if (k == n || k == qlen)
		return k;
	now = rte_rdtsc();
	if (unlikely(now >= h->near_ev))
		sn_htb_do_events(h, now);
	/*
	 * The selection is redone after each run of packets from one leaf: a
	 * charge may move classes between rows. Time is taken once per call (a
	 * batch leaves within microseconds; every token is still accounted).
	 */
	/* Up to @n, and no further than what is queued: no empty leaf looked at. */
	while (k < n && k < qlen) {
		uint16_t got = 0;

		for (uint32_t lm = h->lvl_mask; lm != 0 && got == 0; lm &= lm - 1) {
			const unsigned int level = (unsigned int)__builtin_ctz(lm);

			for (unsigned int pm = h->row_mask[level]; pm != 0 && got == 0;
			     pm &= pm - 1) {
				const unsigned int prio = (unsigned int)__builtin_ctz(pm);

				if (h->row_mask[level] & (1u << prio))
					got = sn_htb_dequeue_tree(h, sd, prio, level, now,
								  pkts + k, (uint16_t)(n - k));
			}
		}
		if (got == 0)
			break;
		k = (uint16_t)(k + got);
	}
	/*
	 * Packets wait that no class may send now: run again when the first
	 * waiting class changes mode. Throttled children arm their own.
	 */
	if (k < n && q->qstats.qlen > k && h->near_ev != UINT64_MAX) {
		sn_qdisc_watchdog_schedule(q, RTE_MAX(h->near_ev, now + 1));
	}
	return k;
}

static struct rte_mbuf *
sn_htb_peek(struct sn_qdisc *q)
{
	struct sn_htb *h = sn_qdisc_priv(q);
	struct rte_mbuf *m = sn_sch_ring_peek(h->direct);

	if (m != NULL)
		return m;
	/*
	 * Else the head of the leaf the lowest non-empty row leads to. Modes
	 * are as of the last dequeue (peek does not move time).
	 */
	for (uint32_t lm = h->lvl_mask; lm != 0; lm &= lm - 1) {
		const unsigned int level = (unsigned int)__builtin_ctz(lm);

		for (unsigned int pm = h->row_mask[level]; pm != 0; pm &= pm - 1) {
			const unsigned int prio = (unsigned int)__builtin_ctz(pm);
			struct sn_htb_class *cl = sn_htb_lookup_leaf(h, prio, level), *c = cl;

			/* Level 0 rows may keep emptied leaves: the first with a packet. */
			do {
				m = c != NULL ? sn_qdisc_child_peek(c->leaf_q) : NULL;
				if (m != NULL)
					return m;
				c = c != NULL && level == 0 ? c->node[prio].next : cl;
			} while (c != cl);
		}
	}
	return NULL;
}

/* ---- qdisc set-up ---- */

static int
sn_htb_init(struct sn_qdisc *q, const struct sn_qdisc_params *p)
{
	struct sn_htb *h = sn_qdisc_priv(q);

	memcpy(&h->o, p->opts, sizeof(h->o));
	if (h->o.r2q == 0)
		h->o.r2q = SN_HTB_DEF_R2Q;
	if (h->o.direct_qlen == 0)
		h->o.direct_qlen = SN_HTB_DEF_DIRECT_QLEN;
	if (h->o.direct_qlen > SN_HTB_DIRECT_QLEN_MAX || h->o.defcls > 0xffffu)
		return -EINVAL;
	h->q = q;
	h->hz = rte_get_tsc_hz();
	h->near_ev = UINT64_MAX;
	h->direct_qlen = h->o.direct_qlen;
	h->wait = rte_zmalloc_socket("sn_htb_wait", SN_HTB_MAX_CLASSES * sizeof(*h->wait), 0,
				     q->dev->socket);
	if (h->wait == NULL)
		return -ENOMEM;
	h->direct = sn_sch_ring_create(q, "htb", h->direct_qlen);
	if (h->direct == NULL) {
		int rc = -rte_errno;

		rte_free(h->wait);
		return rc;
	}
	return 0;
}

static void
sn_htb_reset(struct sn_qdisc *q, struct sn_softnet *sd)
{
	struct sn_htb *h = sn_qdisc_priv(q);

	sn_sch_ring_purge(q, sd, h->direct);
	for (struct sn_htb_class *cl = h->all_first; cl != NULL; cl = cl->all_next) {
		if (cl->leaf_q != NULL)
			sn_qdisc_child_reset(cl->leaf_q, sd);
		memset(cl->node, 0, sizeof(cl->node));
		memset(cl->feed, 0, sizeof(cl->feed));
		cl->prio_activity = 0;
		cl->idle_seen = 0;
		cl->cmode = SN_HTB_CAN_SEND;
		cl->wait_idx = -1;
	}
	memset(h->row, 0, sizeof(h->row));
	memset(h->row_mask, 0, sizeof(h->row_mask));
	h->lvl_mask = 0;
	h->nb_wait = 0;
	h->near_ev = UINT64_MAX;
}

static void
sn_htb_destroy(struct sn_qdisc *q)
{
	struct sn_htb *h = sn_qdisc_priv(q);
	struct sn_htb_class *cl = h->all_first;

	while (cl != NULL) {
		struct sn_htb_class *next = cl->all_next;

		sn_qdisc_child_destroy(cl->leaf_q, NULL);
		rte_free(cl);
		cl = next;
	}
	for (unsigned int i = 0; i < SN_HTB_TAB_SIZE; i++)
		rte_free(h->tab[i]);
	sn_sch_ring_free(h->direct);
	rte_free(h->wait);
}

static int
sn_htb_dump(const struct sn_qdisc *q, struct sn_qdisc_params *p)
{
	const struct sn_htb *h = (const struct sn_htb *)q->priv;

	p->limit = h->direct_qlen;
	memcpy(p->opts, &h->o, sizeof(h->o));
	return 0;
}

/* tc's `htb [ default MINOR ] [ r2q N ] [ direct_qlen P ]`; default is hex, as tc's. */
static int
sn_htb_parse(struct sn_qdisc_params *p, int argc, const char *const argv[], char *err,
	     size_t errlen)
{
	struct sn_htb_qopts *o = (struct sn_htb_qopts *)p->opts;
	bool seen_def = false;

	for (int i = 0; i < argc; i++) {
		const char *w = argv[i], *v;
		int rc = sn_parse_value(argc, argv, &i, "VALUE", err, errlen, &v);

		if (rc != 0)
			return rc;
		if (strcmp(w, "default") == 0) {
			char *end;
			unsigned long d;

			if (seen_def)
				return sn_parse_twice(w, err, errlen);
			errno = 0;
			d = strtoul(v, &end, 16);
			if (errno != 0 || *v == '\0' || *end != '\0' || d > 0xffff)
				return sn_qdisc_parse_error(err, errlen,
							    "default: '%s' is not a class minor (hex, 0..ffff)",
							    v);
			o->defcls = (uint32_t)d;
			seen_def = true;
		} else if (strcmp(w, "r2q") == 0) {
			if (o->r2q != 0)
				return sn_parse_twice(w, err, errlen);
			rc = sn_parse_u32(w, v, 1, 1000000, &o->r2q, err, errlen);
		} else if (strcmp(w, "direct_qlen") == 0) {
			if (o->direct_qlen != 0)
				return sn_parse_twice(w, err, errlen);
			rc = sn_parse_u32(w, v, 1, SN_HTB_DIRECT_QLEN_MAX, &o->direct_qlen, err,
					  errlen);
		} else if (strcmp(w, "direct_packets_stat") == 0) {
			/* A counter tc prints among the options: read back, ignored. */
			uint32_t ignored;

			rc = sn_parse_u32(w, v, 0, UINT32_MAX, &ignored, err, errlen);
		} else {
			return sn_parse_unknown(&sn_htb_ops, w, err, errlen);
		}
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* tc's htb_print_opt for the qdisc: `r2q 10 default 0x20 direct_packets_stat 0 direct_qlen 1000` */
static void
sn_htb_print(const struct sn_qdisc *q, struct sn_qdisc_writer *w)
{
	const struct sn_htb *h = (const struct sn_htb *)q->priv;
	char def[16];

	snprintf(def, sizeof(def), "%#x", h->o.defcls);
	sn_qw_u64(w, "r2q", h->o.r2q);
	sn_qw_str(w, "default", def);
	sn_qw_u64(w, "direct_packets_stat", h->direct_pkts);
	sn_qw_u64(w, "direct_qlen", h->direct_qlen);
}

/* ---- classes ---- */

static int
sn_htb_rate_word(const char *name, const char *v, uint64_t *out, char *err, size_t errlen)
{
	if (sn_tc_parse_rate(v, out) != 0 || *out == 0)
		return sn_qdisc_parse_error(err, errlen,
					    "%s: '%s' is not a rate (e.g. 300mbit, 1gbit, 125kbps)",
					    name, v);
	if (*out > SN_HTB_RATE_MAX)
		return sn_qdisc_parse_error(err, errlen, "%s: %s is over %" PRIu64 " bytes/s",
					    name, v, (uint64_t)SN_HTB_RATE_MAX);
	return 0;
}

static int
sn_htb_size_word(const char *name, const char *v, uint32_t *out, char *err, size_t errlen)
{
	uint64_t sz;

	if (strchr(v, '/') != NULL)
		return sn_qdisc_parse_error(err, errlen,
					    "%s: '%s': tc's /CELL is not supported (give bytes)",
					    name, v);
	if (sn_tc_parse_size(v, &sz) != 0)
		return sn_qdisc_parse_error(err, errlen,
					    "%s: '%s' is not a size (BYTES, e.g. 1600, 64kb)", name, v);
	if (sz < 1 || sz > SN_HTB_SIZE_MAX)
		return sn_qdisc_parse_error(err, errlen, "%s: %s is out of range 1..%u (bytes)",
					    name, v, SN_HTB_SIZE_MAX);
	*out = (uint32_t)sz;
	return 0;
}

/*
 * tc's htb_parse_class_opt words: rate (required), ceil, burst (buffer,
 * maxburst), cburst (cbuffer, cmaxburst), prio, quantum, mtu. The defaults
 * are filled here, as tc computes them, so the class gets complete options.
 */
static int
sn_htb_class_parse(void *opts, int argc, const char *const argv[], char *err, size_t errlen)
{
	struct sn_htb_copts *o = opts;
	bool has_prio = false;

	for (int i = 0; i < argc; i++) {
		const char *w = argv[i], *v;
		int rc = sn_parse_value(argc, argv, &i, "VALUE", err, errlen, &v);

		if (rc != 0)
			return rc;
		if (strcmp(w, "rate") == 0 || strcmp(w, "ceil") == 0) {
			uint64_t *dst = w[0] == 'r' ? &o->rate : &o->ceil;

			if (*dst != 0)
				return sn_parse_twice(w, err, errlen);
			rc = sn_htb_rate_word(w, v, dst, err, errlen);
		} else if (strcmp(w, "burst") == 0 || strcmp(w, "buffer") == 0 ||
			   strcmp(w, "maxburst") == 0) {
			if (o->burst != 0)
				return sn_parse_twice(w, err, errlen);
			rc = sn_htb_size_word(w, v, &o->burst, err, errlen);
		} else if (strcmp(w, "cburst") == 0 || strcmp(w, "cbuffer") == 0 ||
			   strcmp(w, "cmaxburst") == 0) {
			if (o->cburst != 0)
				return sn_parse_twice(w, err, errlen);
			rc = sn_htb_size_word(w, v, &o->cburst, err, errlen);
		} else if (strcmp(w, "prio") == 0) {
			uint32_t prio;

			if (has_prio)
				return sn_parse_twice(w, err, errlen);
			rc = sn_parse_u32(w, v, 0, SN_HTB_NUMPRIO - 1, &prio, err, errlen);
			o->prio = (uint8_t)prio;
			has_prio = true;
		} else if (strcmp(w, "quantum") == 0) {
			if (o->quantum != 0)
				return sn_parse_twice(w, err, errlen);
			rc = sn_parse_u32(w, v, 1, INT32_MAX / 2, &o->quantum, err, errlen);
		} else if (strcmp(w, "mtu") == 0) {
			if (o->mtu != 0)
				return sn_parse_twice(w, err, errlen);
			rc = sn_parse_u32(w, v, 64, 65535, &o->mtu, err, errlen);
		} else if (strcmp(w, "mpu") == 0 || strcmp(w, "overhead") == 0 ||
			   strcmp(w, "linklayer") == 0) {
			return sn_qdisc_parse_error(err, errlen,
						    "%s: not supported by softnet's htb (rates count "
						    "packet bytes as they are)", w);
		} else {
			return sn_qdisc_parse_error(err, errlen,
						    "%s: unknown htb class parameter (%s)", w,
						    sn_htb_ops.cl_ops->usage);
		}
		if (rc != 0)
			return rc;
	}
	if (o->rate == 0)
		return sn_qdisc_parse_error(err, errlen, "htb: \"rate\" is required");
	if (o->ceil == 0)
		o->ceil = o->rate;
	if (o->mtu == 0)
		o->mtu = SN_HTB_DEF_MTU;
	/* tc: rate / get_hz() + mtu, get_hz() being 10^9 on current kernels. */
	if (o->burst == 0)
		o->burst = (uint32_t)RTE_MIN(o->rate / SN_HTB_TC_HZ + o->mtu,
					     (uint64_t)SN_HTB_SIZE_MAX);
	if (o->cburst == 0)
		o->cburst = (uint32_t)RTE_MIN(o->ceil / SN_HTB_TC_HZ + o->mtu,
					      (uint64_t)SN_HTB_SIZE_MAX);
	return 0;
}

/* The DRR quantum: given, or rate / r2q clamped as the kernel does (and says). */
static int32_t
sn_htb_quantum(const struct sn_qdisc *q, const struct sn_htb *h, uint32_t classid,
	       const struct sn_htb_copts *o)
{
	uint64_t qn;

	if (o->quantum != 0)
		return (int32_t)o->quantum;
	qn = o->rate / h->o.r2q;
	if (qn < SN_HTB_QUANTUM_MIN || qn > SN_HTB_QUANTUM_MAX) {
		char id[16];

		sn_tc_format_handle(id, sizeof(id), classid);
		SN_LOG(NOTICE, qdisc,
		       "%s: htb class %s: quantum %" PRIu64 " is too %s, using %u; consider r2q "
		       "or quantum\n", q->dev->name, id, qn,
		       qn < SN_HTB_QUANTUM_MIN ? "small" : "big",
		       qn < SN_HTB_QUANTUM_MIN ? SN_HTB_QUANTUM_MIN : SN_HTB_QUANTUM_MAX);
		qn = qn < SN_HTB_QUANTUM_MIN ? SN_HTB_QUANTUM_MIN : SN_HTB_QUANTUM_MAX;
	}
	return (int32_t)qn;
}

static void
sn_htb_update_default(struct sn_qdisc *q, struct sn_htb *h)
{
	struct sn_htb_class *cl =
		h->o.defcls != 0 ? sn_htb_find(h, q, q->handle | h->o.defcls) : NULL;

	h->defcl = cl != NULL && cl->level == 0 ? cl : NULL;
}

/* Bring @cl's buckets to full and its mode to CAN_SEND (a new leaf). */
static void
sn_htb_class_fresh(struct sn_htb *h, struct sn_htb_class *cl)
{
	sn_htb_class_geometry(cl, h->hz);
	cl->tokens = cl->buf;
	cl->ctokens = cl->cbuf;
	cl->t_c = rte_rdtsc();
	cl->cmode = SN_HTB_CAN_SEND;
	memset(cl->deficit, 0, sizeof(cl->deficit));
}

/*
 * Drop what leaf @cl's qdisc holds (its class goes, or turns inner): counted
 * at the child and, through sn_qdisc_tree_reduce(), at this qdisc, as the
 * kernel's qdisc_purge_queue().
 */
static void
sn_htb_purge(struct sn_qdisc *q, struct sn_htb_class *cl, struct sn_softnet *sd)
{
	RTE_SET_USED(q);
	sn_qdisc_child_reset(cl->leaf_q, sd);
}

static int
sn_htb_class_check(const struct sn_htb_copts *o, char *err, size_t errlen)
{
	if (o->rate == 0 || o->ceil == 0 || o->rate > SN_HTB_RATE_MAX ||
	    o->ceil > SN_HTB_RATE_MAX)
		return sn_qdisc_parse_error(err, errlen, "htb: rate and ceil must be 1..%" PRIu64
					    " bytes/s", (uint64_t)SN_HTB_RATE_MAX);
	if (o->burst == 0 || o->cburst == 0 || o->burst > SN_HTB_SIZE_MAX ||
	    o->cburst > SN_HTB_SIZE_MAX)
		return sn_qdisc_parse_error(err, errlen, "htb: burst and cburst must be 1..%u bytes",
					    SN_HTB_SIZE_MAX);
	if (o->prio >= SN_HTB_NUMPRIO)
		return sn_qdisc_parse_error(err, errlen, "htb: prio must be 0..%u",
					    SN_HTB_NUMPRIO - 1);
	return 0;
}

/* `class change`: new parameters for an existing class, buckets kept (clamped). */
static int
sn_htb_class_modify(struct sn_qdisc *q, struct sn_htb *h, struct sn_htb_class *cl,
		    const struct sn_htb_copts *o)
{
	const int32_t quantum = sn_htb_quantum(q, h, cl->classid, o);
	bool active;

	sn_qdisc_tree_lock(q);
	active = cl->level == 0 && cl->prio_activity != 0;
	if (active)
		sn_htb_deactivate(h, cl);
	cl->o = *o;
	sn_htb_class_geometry(cl, h->hz);
	cl->tokens = sn_htb_clamp(cl->tokens, cl->floor, cl->buf);
	cl->ctokens = sn_htb_clamp(cl->ctokens, cl->cfloor, cl->cbuf);
	cl->quantum = quantum;
	cl->prio = o->prio;
	if (active)
		sn_htb_activate(h, cl);
	/* Its mode under the new rates: at the next dequeue. */
	if (cl->wait_idx >= 0) {
		cl->pq_key = 0;
		h->near_ev = 0;
	}
	sn_qdisc_tree_unlock(q);
	return 0;
}

static int
sn_htb_class_change(struct sn_qdisc *q, uint32_t classid, uint32_t parentid, const void *opts,
		    char *err, size_t errlen)
{
	struct sn_htb *h = sn_qdisc_priv(q);
	const struct sn_htb_copts *o = opts;
	struct sn_softnet *sd = sn_softnet_current();
	struct sn_htb_class *cl, *parent = NULL, **blk = NULL;
	struct sn_qdisc *child, *old = NULL;
	const uint32_t minor = classid & 0xffffu;
	char id[16], pid[16];
	int rc;

	sn_tc_format_handle(id, sizeof(id), classid);
	sn_tc_format_handle(pid, sizeof(pid), parentid);
	rc = sn_htb_class_check(o, err, errlen);
	if (rc != 0)
		return rc;
	cl = sn_htb_find(h, q, classid);
	if (cl != NULL) {
		uint32_t cur = cl->parent != NULL ? cl->parent->classid : q->handle;

		if (parentid != 0 && parentid != cur)
			return sn_qdisc_parse_error(err, errlen,
						    "class %s: cannot move it under %s (delete and "
						    "add it)", id, pid);
		return sn_htb_class_modify(q, h, cl, o);
	}
	if (parentid != 0 && parentid != q->handle) {
		parent = sn_htb_find(h, q, parentid);
		if (parent == NULL) {
			sn_qdisc_parse_error(err, errlen, "parent %s: no such htb class", pid);
			return -ENOENT;
		}
		/* As the kernel: a leaf turned inner must stay above level 0. */
		if (parent->parent != NULL && parent->parent->level < 2)
			return sn_qdisc_parse_error(err, errlen,
						    "class %s: the tree is too deep (at most %u levels)",
						    id, SN_HTB_MAXDEPTH);
	}
	if (h->nb_classes >= SN_HTB_MAX_CLASSES) {
		sn_qdisc_parse_error(err, errlen, "class %s: htb holds at most %u classes", id,
				     SN_HTB_MAX_CLASSES);
		return -ENOSPC;
	}
	cl = rte_zmalloc_socket("sn_htb_class", sizeof(*cl), RTE_CACHE_LINE_SIZE,
				q->dev->socket);
	if (h->tab[minor >> SN_HTB_TAB_SHIFT] == NULL)
		blk = rte_zmalloc_socket("sn_htb_tab", SN_HTB_TAB_SIZE * sizeof(*blk), 0,
					 q->dev->socket);
	child = cl != NULL ? sn_qdisc_child_create(q, classid, NULL, NULL) : NULL;
	if (cl == NULL || child == NULL ||
	    (h->tab[minor >> SN_HTB_TAB_SHIFT] == NULL && blk == NULL)) {
		rc = cl != NULL && child == NULL ? -rte_errno : -ENOMEM;
		sn_qdisc_destroy(child);
		rte_free(blk);
		rte_free(cl);
		sn_qdisc_parse_error(err, errlen, "class %s: %s", id, strerror(-rc));
		return rc;
	}
	cl->classid = classid;
	cl->o = *o;
	cl->parent = parent;
	cl->leaf_q = child;
	cl->level = 0;
	cl->prio = o->prio;
	cl->quantum = sn_htb_quantum(q, h, classid, o);
	cl->wait_idx = -1;
	sn_htb_class_fresh(h, cl);

	sn_qdisc_tree_lock(q);
	if (blk != NULL)
		h->tab[minor >> SN_HTB_TAB_SHIFT] = blk;
	if (parent != NULL && parent->level == 0) {
		/* A leaf becomes inner: its qdisc's packets go (counted), as the kernel's. */
		old = parent->leaf_q;
		sn_htb_deactivate(h, parent);
		sn_htb_purge(q, parent, sd);
		sn_htb_wait_del(h, parent);
		parent->cmode = SN_HTB_CAN_SEND;
		parent->level = (uint8_t)((parent->parent != NULL ? parent->parent->level :
								    SN_HTB_MAXDEPTH) - 1);
		parent->leaf_q = NULL;
		memset(parent->feed, 0, sizeof(parent->feed));
	}
	h->tab[minor >> SN_HTB_TAB_SHIFT][minor & (SN_HTB_TAB_SIZE - 1)] = cl;
	if (h->all_last != NULL)
		h->all_last->all_next = cl;
	else
		h->all_first = cl;
	h->all_last = cl;
	h->nb_classes++;
	if (parent != NULL)
		parent->nb_children++;
	sn_htb_update_default(q, h);
	if (sd != NULL)
		sn_cq_flush(sd);
	sn_qdisc_tree_unlock(q);
	/* Unlinked under the root lock: nothing reaches it now. */
	sn_qdisc_child_destroy(old, sd);
	return 0;
}

static int
sn_htb_class_del(struct sn_qdisc *q, uint32_t classid, char *err, size_t errlen)
{
	struct sn_htb *h = sn_qdisc_priv(q);
	struct sn_softnet *sd = sn_softnet_current();
	struct sn_htb_class *cl = sn_htb_find(h, q, classid), *parent, **pp;
	struct sn_qdisc *newq = NULL;
	const uint32_t minor = classid & 0xffffu;
	char id[16];

	sn_tc_format_handle(id, sizeof(id), classid);
	if (cl == NULL) {
		sn_qdisc_parse_error(err, errlen, "class %s: no such class", id);
		return -ENOENT;
	}
	if (cl->nb_children != 0) {
		sn_qdisc_parse_error(err, errlen, "class %s has %u child classes: delete them first",
				     id, cl->nb_children);
		return -EBUSY;
	}
	parent = cl->parent;
	/* Its parent's last child: the parent becomes a leaf again, with a fresh pfifo. */
	if (parent != NULL && parent->nb_children == 1) {
		newq = sn_qdisc_child_create(q, parent->classid, NULL, NULL);
		if (newq == NULL) {
			int rc = -rte_errno;

			sn_qdisc_parse_error(err, errlen, "class %s: %s", id, strerror(-rc));
			return rc;
		}
	}
	sn_qdisc_tree_lock(q);
	sn_htb_deactivate(h, cl);
	sn_htb_wait_del(h, cl);
	sn_htb_purge(q, cl, sd);
	h->tab[minor >> SN_HTB_TAB_SHIFT][minor & (SN_HTB_TAB_SIZE - 1)] = NULL;
	for (pp = &h->all_first; *pp != cl; pp = &(*pp)->all_next)
		;
	*pp = cl->all_next;
	if (h->all_last == cl) {
		h->all_last = NULL;
		for (struct sn_htb_class *c = h->all_first; c != NULL; c = c->all_next)
			h->all_last = c;
	}
	h->nb_classes--;
	if (parent != NULL) {
		parent->nb_children--;
		if (newq != NULL) {
			RTE_ASSERT(parent->prio_activity == 0);
			sn_htb_wait_del(h, parent);
			parent->level = 0;
			parent->leaf_q = newq;
			sn_htb_class_fresh(h, parent);
		}
	}
	sn_htb_update_default(q, h);
	if (sd != NULL)
		sn_cq_flush(sd);
	sn_qdisc_tree_unlock(q);
	sn_qdisc_child_destroy(cl->leaf_q, sd);
	rte_free(cl);
	return 0;
}

static struct sn_qdisc *
sn_htb_class_leaf(struct sn_qdisc *q, uint32_t classid)
{
	struct sn_htb_class *cl = sn_htb_find(sn_qdisc_priv(q), q, classid);

	return cl != NULL ? cl->leaf_q : NULL;
}

static int
sn_htb_class_graft(struct sn_qdisc *q, uint32_t classid, struct sn_qdisc *child,
		   struct sn_qdisc **old)
{
	struct sn_htb *h = sn_qdisc_priv(q);
	struct sn_htb_class *cl = sn_htb_find(h, q, classid);

	if (cl == NULL)
		return -ENOENT;
	if (cl->level != 0)
		return -EINVAL;
	/* The new qdisc is empty; the framework drops the old one's packets. */
	sn_htb_deactivate(h, cl);
	*old = cl->leaf_q;
	cl->leaf_q = child;
	return 0;
}

static unsigned int
sn_htb_class_walk(struct sn_qdisc *q, uint32_t *ids, unsigned int n)
{
	struct sn_htb *h = sn_qdisc_priv(q);
	unsigned int i = 0;

	/* Creation order is parents first: a class needs its parent to exist. */
	for (struct sn_htb_class *cl = h->all_first; cl != NULL; cl = cl->all_next, i++)
		if (i < n)
			ids[i] = cl->classid;
	return i;
}

static int
sn_htb_class_info(struct sn_qdisc *q, uint32_t classid, struct sn_class_info *ci)
{
	struct sn_htb_class *cl = sn_htb_find(sn_qdisc_priv(q), q, classid);

	if (cl == NULL)
		return -ENOENT;
	memset(ci, 0, sizeof(*ci));
	/* A top-level class says "root", as the kernel's htb (TC_H_ROOT). */
	ci->parent = cl->parent != NULL ? cl->parent->classid : SN_TC_H_ROOT;
	ci->leaf = cl->leaf_q != NULL ? cl->leaf_q->handle : 0;
	ci->level = cl->level;
	ci->nb_children = cl->nb_children;
	ci->stats.bstats.packets = cl->packets;
	ci->stats.bstats.bytes = cl->bytes;
	ci->stats.qstats.drops = cl->drops;
	ci->stats.qstats.overlimits = cl->overlimits;
	if (cl->leaf_q != NULL) {
		ci->stats.qstats.qlen = cl->leaf_q->qstats.qlen;
		ci->stats.qstats.backlog = cl->leaf_q->qstats.backlog;
	}
	return 0;
}

/* tc's layout: `prio 0 rate 300Mbit ceil 1Gbit burst 1600b cburst 1600b` (prio: leaves). */
static void
sn_htb_class_print(struct sn_qdisc *q, uint32_t classid, struct sn_qdisc_writer *w)
{
	struct sn_htb_class *cl = sn_htb_find(sn_qdisc_priv(q), q, classid);

	if (cl == NULL)
		return;
	if (cl->level == 0)
		sn_qw_u64(w, "prio", cl->prio);
	sn_qw_rate(w, "rate", cl->o.rate);
	sn_qw_rate(w, "ceil", cl->o.ceil);
	sn_qw_size(w, "burst", cl->o.burst);
	sn_qw_size(w, "cburst", cl->o.cburst);
	if (cl->o.quantum != 0)
		sn_qw_u64(w, "quantum", cl->o.quantum);
}

/*
 * tc's htb_print_xstats: lended, borrowed, giants, tokens, ctokens. Tokens
 * are the bytes in each bucket as of the class's last charge (tc shows the
 * same in psched ticks); negative while in debt.
 */
static void
sn_htb_class_print_stats(struct sn_qdisc *q, uint32_t classid, struct sn_qdisc_writer *w)
{
	struct sn_htb *h = sn_qdisc_priv(q);
	struct sn_htb_class *cl = sn_htb_find(h, q, classid);
	char t[32];

	if (cl == NULL)
		return;
	sn_qw_u64(w, "lended", cl->lends);
	sn_qw_u64(w, "borrowed", cl->borrows);
	sn_qw_u64(w, "giants", cl->giants);
	snprintf(t, sizeof(t), "%" PRId64, cl->tokens / (int64_t)h->hz);
	sn_qw_str(w, "tokens", t);
	snprintf(t, sizeof(t), "%" PRId64, cl->ctokens / (int64_t)h->hz);
	sn_qw_str(w, "ctokens", t);
}

static const struct sn_qdisc_class_ops sn_htb_class_ops = {
	.parse = sn_htb_class_parse,
	.change = sn_htb_class_change,
	.del = sn_htb_class_del,
	.leaf = sn_htb_class_leaf,
	.graft = sn_htb_class_graft,
	.walk = sn_htb_class_walk,
	.info = sn_htb_class_info,
	.print = sn_htb_class_print,
	.print_stats = sn_htb_class_print_stats,
	.usage = "rate RATE [ ceil RATE ] [ burst BYTES ] [ cburst BYTES ] [ prio 0..7 ] "
		 "[ quantum BYTES ] [ mtu BYTES ]",
};

static const struct sn_qdisc_ops sn_htb_ops = {
	.id = "htb",
	.priv_size = sizeof(struct sn_htb),
	.static_flags = 0,
	.enqueue = sn_htb_enqueue,
	.dequeue = sn_htb_dequeue,
	.peek = sn_htb_peek,
	.init = sn_htb_init,
	.reset = sn_htb_reset,
	.destroy = sn_htb_destroy,
	.dump = sn_htb_dump,
	.parse = sn_htb_parse,
	.print = sn_htb_print,
	.usage = "[ default MINOR ] [ r2q N ] [ direct_qlen P ]",
	.cl_ops = &sn_htb_class_ops,
};

RTE_INIT(sn_htb_register)
{
	sn_qdisc_register(&sn_htb_ops);
}
