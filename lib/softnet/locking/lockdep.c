/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The lock validator (the kernel's lockdep, re-implemented).
 *
 * Model. A lock class is a (key, subclass) pair. Each thread keeps the stack
 * of locks it holds. On every acquire the validator
 *   1. marks the usage of the class from the calling lcore's context (read
 *      from its softnet preempt count and hardirq-disable depth): used in
 *      hardirq / softirq context (a blocking acquire there), taken with
 *      hardirqs / softirqs enabled, each for writers and readers, remembering
 *      the stack where each bit was first set; a new bit that conflicts with
 *      an old one on the same class is an "inconsistent lock state", and one
 *      that conflicts with a class reachable in the dependency graph is an
 *      "irq lock inversion";
 *   2. unless it is a trylock (which never waits): reports taking a class
 *      already held (AA) unless both holds are recursive reads, and adds an
 *      edge held -> new for every lock held in the same interrupt context,
 *      after checking that the new edge closes no cycle ("circular
 *      dependency") and joins no irq-safe class to an irq-unsafe one.
 * Recursive reads follow the kernel's rule: a path through a class entered
 * and left as a recursive reader (-(xR)-> X -(Rx)->) is not a deadlock, so
 * the graph searches walk "strong" paths only.
 *
 * Contexts. A thread with no softnet attached never runs softirqs or the
 * hardirq handler, so it is treated as having both disabled: its locks get no
 * "ON" usage. In hardirq context hardirqs count as disabled.
 *
 * Locking. One raw spinlock (not validated) protects classes and the graph;
 * the held-lock stack is thread-local. Every annotated acquire takes it once:
 * with the validator on, lock-heavy paths slow down by a factor (see
 * docs/lockdep.md); compiled out, none of this exists.
 */

#include "sn_config.h"

#if SN_LOCKDEP

#include <stdlib.h>
#include <string.h>

#include <rte_lcore.h>

#include "lockdep_internal.h"
#include "locking_private.h"

rte_spinlock_t ld_graph_lock = RTE_SPINLOCK_INITIALIZER;
struct ld_class ld_classes[LD_MAX_CLASSES];
struct ld_edge ld_edges[LD_MAX_EDGES];

const char *const ld_usage_str[LD_NBITS] = {
	"IN-HARDIRQ-W", "IN-HARDIRQ-R", "HARDIRQ-ON-W", "HARDIRQ-ON-R",
	"IN-SOFTIRQ-W", "IN-SOFTIRQ-R", "SOFTIRQ-ON-W", "SOFTIRQ-ON-R",
	"INITIAL USE",
};

static const char *const ld_irq_name[2] = {"HARDIRQ", "SOFTIRQ"};

static uint32_t ld_nclasses;
static uint32_t ld_nedges;
static int32_t ld_hash[2 * LD_MAX_CLASSES];      /* class index + 1; 0 empty */
static uint64_t ld_dedupe[LD_DEDUPE_SIZE];       /* problem key + 1; 0 empty */
static uint32_t ld_ndedupe;
static bool ld_off;

/* Classes that may never be taken in hardirq context. */
static const char *const ld_nohardirq_names[] = {
	"qdisc_root_lock", "qdisc_busylock", "xmit_lock",
};
static const struct sn_lock_class_key *ld_nohardirq_keys[64];
static uint32_t ld_nnohardirq;

/* Breadth-first search over (class, entered-as-recursive-reader) states. */
static uint32_t ld_bfs_seen[2 * LD_MAX_CLASSES];
static uint32_t ld_bfs_stamp;
static int32_t ld_bfs_edge[2 * LD_MAX_CLASSES];  /* edge that reached the state */
static int32_t ld_bfs_from[2 * LD_MAX_CLASSES];  /* state it came from */
static uint32_t ld_bfs_queue[2 * LD_MAX_CLASSES];

static __thread struct ld_task ld_cur;

struct ld_task *
ld_task(void)
{
	return &ld_cur;
}

/* The core's context reader (locking_private.h); NULL: every thread is process context. */
static sn_lock_ctx_fn ld_ctx_fn;

void
sn_lockdep_set_ctx_fn(sn_lock_ctx_fn fn)
{
	__atomic_store_n(&ld_ctx_fn, fn, __ATOMIC_RELEASE);
}

void
ld_ctx_get(struct ld_ctx *ctx)
{
	sn_lock_ctx_fn fn = __atomic_load_n(&ld_ctx_fn, __ATOMIC_ACQUIRE);
	struct sn_lock_ctx lc = { 0 };

	memset(ctx, 0, sizeof(*ctx));
	if (fn != NULL)
		fn(&lc);
	if (!lc.attached) {
		/* Not attached: no softirq or hardirq ever runs on this thread. */
		return;
	}
	ctx->attached = true;
	ctx->pc = lc.preempt_count;
	ctx->hardirq = (ctx->pc & SN_HARDIRQ_MASK) != 0;
	ctx->softirq = (ctx->pc & SN_SOFTIRQ_OFFSET) != 0;
	ctx->he = !ctx->hardirq && lc.irq_disable_depth == 0;
	ctx->se = (ctx->pc & (SN_SOFTIRQ_MASK | SN_HARDIRQ_MASK)) == 0;
}

static uint8_t
ld_irq_ctx(const struct ld_ctx *ctx)
{
	return (uint8_t)((ctx->hardirq ? 2 : 0) + (ctx->softirq ? 1 : 0));
}

/* ---- reported-once set ---- */

static bool
ld_once(enum sn_lockdep_report_kind kind, uint64_t a, uint64_t b)
{
	uint64_t key = ((uint64_t)kind << 56) ^ (a * 0x9e3779b97f4a7c15ull) ^ (b * 0xc2b2ae3d27d4eb4full);
	uint32_t h = (uint32_t)(key ^ (key >> 29)) % LD_DEDUPE_SIZE;

	key++;
	if (key == 0)
		key = 1;
	for (uint32_t i = 0; i < LD_DEDUPE_SIZE; i++) {
		uint32_t s = (h + i) % LD_DEDUPE_SIZE;

		if (ld_dedupe[s] == key)
			return false;
		if (ld_dedupe[s] == 0) {
			if (ld_ndedupe + 1 >= LD_DEDUPE_SIZE)
				return false; /* full: stay quiet rather than repeat */
			ld_dedupe[s] = key;
			ld_ndedupe++;
			return true;
		}
	}
	return false;
}

static uint32_t
ld_idx(const struct ld_class *c)
{
	return (uint32_t)(c - ld_classes);
}

/* ---- the validator turns itself off when a table is full ---- */

static void
ld_overflow(struct ld_task *t, const char *what)
{
	struct ld_buf b;

	if (ld_off)
		return;
	ld_off = true;
	if (!ld_buf_open(&b))
		return;
	ld_banner(&b, "BUG: validator table full");
	ld_pr(&b, "%s is too low!\nturning off the locking correctness validator.\n", what);
	ld_pr_stack(&b, t);
	ld_queue(t, SN_LOCKDEP_INTERNAL, &b);
}

/* ---- classes ---- */

static bool
ld_key_forbidden(const struct sn_lock_class_key *key, const char *name)
{
	for (uint32_t i = 0; i < ld_nnohardirq; i++)
		if (ld_nohardirq_keys[i] == key)
			return true;
	for (uint32_t i = 0; i < RTE_DIM(ld_nohardirq_names); i++)
		if (name != NULL && strcmp(name, ld_nohardirq_names[i]) == 0)
			return true;
	return false;
}

/* Graph lock held. */
static struct ld_class *
ld_class_get(struct ld_task *t, struct sn_lockdep_map *map, unsigned int subclass)
{
	uint64_t hv = ((uint64_t)(uintptr_t)map->key * 0x9e3779b97f4a7c15ull) ^ subclass;
	uint32_t h = (uint32_t)(hv >> 20) % RTE_DIM(ld_hash);
	struct ld_class *c = NULL;

	for (uint32_t i = 0; i < RTE_DIM(ld_hash); i++) {
		uint32_t s = (h + i) % RTE_DIM(ld_hash);

		if (ld_hash[s] == 0) {
			if (ld_nclasses == LD_MAX_CLASSES) {
				ld_overflow(t, "MAX_LOCKDEP_KEYS");
				return NULL;
			}
			c = &ld_classes[ld_nclasses];
			memset(c, 0, sizeof(*c));
			c->key = map->key;
			c->name = map->name != NULL ? map->name : "(unnamed)";
			c->subclass = subclass;
			c->first_out = -1;
			c->first_in = -1;
			if (ld_key_forbidden(map->key, map->name))
				c->flags |= LD_F_NO_HARDIRQ;
			ld_hash[s] = (int32_t)++ld_nclasses;
			break;
		}
		c = &ld_classes[ld_hash[s] - 1];
		if (c->key == map->key && c->subclass == subclass)
			break;
	}
	return c;
}

static struct ld_edge *
ld_edge_find(const struct ld_class *from, const struct ld_class *to)
{
	uint32_t ti = ld_idx(to);

	for (int32_t e = from->first_out; e >= 0; e = ld_edges[e].next_out)
		if (ld_edges[e].to == ti)
			return &ld_edges[e];
	return NULL;
}

/* ---- graph search ---- */

typedef bool (*ld_match_fn)(const struct ld_class *c, bool via_r, const void *arg);

/*
 * Search from @root, forwards (along dependencies) or backwards, over strong
 * paths only. @root_r: the root was entered (forwards) or is left (backwards)
 * as a recursive reader. @skip_root: do not match the root itself.
 * @return the matching state (class * 2 + via_r), or -1.
 */
static int32_t
ld_bfs(const struct ld_class *root, bool root_r, bool forward, bool skip_root,
       ld_match_fn match, const void *arg)
{
	uint32_t head = 0, tail = 0;
	uint32_t s0 = ld_idx(root) * 2 + (root_r ? 1 : 0);

	if (++ld_bfs_stamp == 0) {
		memset(ld_bfs_seen, 0, sizeof(ld_bfs_seen));
		ld_bfs_stamp = 1;
	}
	ld_bfs_seen[s0] = ld_bfs_stamp;
	ld_bfs_edge[s0] = -1;
	ld_bfs_from[s0] = -1;
	ld_bfs_queue[tail++] = s0;
	while (head < tail) {
		uint32_t s = ld_bfs_queue[head++];
		const struct ld_class *c = &ld_classes[s / 2];
		bool via_r = s & 1;

		if (!(skip_root && s == s0) && match(c, via_r, arg))
			return (int32_t)s;
		for (int32_t e = forward ? c->first_out : c->first_in; e >= 0;
		     e = forward ? ld_edges[e].next_out : ld_edges[e].next_in) {
			const struct ld_edge *ed = &ld_edges[e];
			uint32_t allowed, ns;
			bool nr;

			if (forward) {
				/* Entered c as a reader: leave it only as a non-reader. */
				allowed = via_r ? ed->types & (LD_DEP_NN | LD_DEP_NR) : ed->types;
				nr = (allowed & (LD_DEP_NN | LD_DEP_RN)) == 0;
				ns = (uint32_t)ed->to * 2 + (nr ? 1 : 0);
			} else {
				/* Left c as a reader: it must have been entered as a non-reader. */
				allowed = via_r ? ed->types & (LD_DEP_NN | LD_DEP_RN) : ed->types;
				nr = (allowed & (LD_DEP_NN | LD_DEP_NR)) == 0;
				ns = (uint32_t)ed->from * 2 + (nr ? 1 : 0);
			}
			if (allowed == 0 || ld_bfs_seen[ns] == ld_bfs_stamp)
				continue;
			ld_bfs_seen[ns] = ld_bfs_stamp;
			ld_bfs_edge[ns] = e;
			ld_bfs_from[ns] = (int32_t)s;
			ld_bfs_queue[tail++] = ns;
		}
	}
	return -1;
}

struct ld_target {
	const struct ld_class *cls;
	bool read;              /* the new edge leaves it as a recursive reader */
};

static bool
ld_match_target(const struct ld_class *c, bool via_r, const void *arg)
{
	const struct ld_target *t = arg;

	return c == t->cls && !(via_r && t->read);
}

struct ld_usage_match {
	uint32_t w, r;          /* bits that match; r only on a non-reader entry */
};

static bool
ld_match_usage(const struct ld_class *c, bool via_r, const void *arg)
{
	const struct ld_usage_match *m = arg;

	return (c->usage & m->w) || (!via_r && (c->usage & m->r));
}

/* ---- report bodies ---- */

static void
ld_pr_scenario_irq(struct ld_buf *b, const struct ld_class *safe, const struct ld_class *unsafe,
		   int irq)
{
	ld_pr(b, " Possible interrupt unsafe locking scenario:\n\n");
	ld_pr(b, "       CPU0                    CPU1\n");
	ld_pr(b, "       ----                    ----\n");
	ld_pr(b, "  lock(");
	ld_pr_class(b, unsafe);
	ld_pr(b, ");\n                               %s;\n",
	      irq == LD_HARDIRQ ? "local_irq_disable()" : "local_bh_disable()");
	ld_pr(b, "                               lock(");
	ld_pr_class(b, safe);
	ld_pr(b, ");\n                               lock(");
	ld_pr_class(b, unsafe);
	ld_pr(b, ");\n  <Interrupt>\n    lock(");
	ld_pr_class(b, safe);
	ld_pr(b, ");\n\n *** DEADLOCK ***\n\n");
}

static void
ld_report_usage_bug(struct ld_task *t, const struct ld_ctx *ctx, const struct ld_held *hl,
		    int prev_bit, int new_bit)
{
	struct ld_buf b;

	if (!ld_buf_open(&b))
		return;
	ld_banner(&b, "WARNING: inconsistent lock state");
	ld_pr(&b, "inconsistent {%s} -> {%s} usage.\n", ld_usage_str[prev_bit], ld_usage_str[new_bit]);
	ld_pr_task(&b);
	ld_pr(&b, " ");
	ld_pr_ctx(&b, ctx);
	ld_pr(&b, " takes:\n");
	ld_pr_lock(&b, hl);
	ld_pr(&b, "{%s} state was registered at:\n", ld_usage_str[prev_bit]);
	ld_pr_trace(&b, &hl->cls->usage_trace[prev_bit], "  ");
	ld_pr(&b, "\nother info that might help us debug this:\n");
	ld_pr(&b, " Possible unsafe locking scenario:\n\n");
	ld_pr(&b, "       CPU0\n       ----\n  lock(");
	ld_pr_class(&b, hl->cls);
	ld_pr(&b, ");\n  <Interrupt>\n    lock(");
	ld_pr_class(&b, hl->cls);
	ld_pr(&b, ");\n\n *** DEADLOCK ***\n\n");
	ld_pr_held(&b, t);
	ld_pr_stack(&b, t);
	ld_queue(t, SN_LOCKDEP_INCONSISTENT, &b);
}

/* Print the path the last search found, from its root to state @s, reversed. */
static void
ld_pr_path_traces(struct ld_buf *b, int32_t s)
{
	for (; s >= 0 && ld_bfs_edge[s] >= 0; s = ld_bfs_from[s]) {
		const struct ld_edge *e = &ld_edges[ld_bfs_edge[s]];
		const struct ld_class *c = &ld_classes[s / 2];

		ld_pr(b, "\n-> (");
		ld_pr_class(b, c);
		ld_pr(b, ")");
		ld_pr_usage(b, c);
		ld_pr(b, ":\n");
		ld_pr_trace(b, &e->trace, "       ");
	}
}

static void
ld_report_inversion(struct ld_task *t, const struct ld_ctx *ctx, const struct ld_held *hl,
		    int32_t s, bool forwards, int irq)
{
	const struct ld_class *other = &ld_classes[s / 2];
	struct ld_buf b;

	if (!ld_buf_open(&b))
		return;
	ld_banner(&b, "WARNING: possible irq lock inversion dependency detected");
	ld_pr_task(&b);
	ld_pr(&b, " ");
	ld_pr_ctx(&b, ctx);
	ld_pr(&b, " just changed the state of lock:\n");
	ld_pr_lock(&b, hl);
	if (forwards)
		ld_pr(&b, "but this lock took another, %s-unsafe lock in the past:\n (",
		      ld_irq_name[irq]);
	else
		ld_pr(&b, "but this lock was taken by another, %s-safe lock in the past:\n (",
		      ld_irq_name[irq]);
	ld_pr_class(&b, other);
	ld_pr(&b, ")");
	ld_pr_usage(&b, other);
	ld_pr(&b, "\n\n\nand interrupts could create inverse lock ordering between them.\n\n");
	ld_pr(&b, "\nother info that might help us debug this:\n");
	if (forwards)
		ld_pr_scenario_irq(&b, hl->cls, other, irq);
	else
		ld_pr_scenario_irq(&b, other, hl->cls, irq);
	ld_pr_held(&b, t);
	ld_pr(&b, "\nthe shortest dependencies between 2nd lock and 1st lock:");
	ld_pr_path_traces(&b, s);
	ld_pr_stack(&b, t);
	ld_queue(t, SN_LOCKDEP_IRQ_INVERSION, &b);
}

/* ---- usage ---- */

/*
 * Set one usage bit and check it. Graph lock held.
 * @return false if a problem was reported.
 */
static bool
ld_mark(struct ld_task *t, const struct ld_ctx *ctx, struct ld_held *hl, int bit)
{
	struct ld_class *c = hl->cls;
	int irq, en, rd, excl_w, excl_r, bad = -1;
	struct ld_usage_match m;
	int32_t s;

	if (c->usage & (1u << bit))
		return true;
	c->usage |= 1u << bit;
	ld_save_trace(&c->usage_trace[bit], t);
	if (bit == LD_USED)
		return true;

	irq = bit >> 2;
	en = (bit >> 1) & 1;
	rd = bit & 1;
	excl_w = LD_BIT(irq, !en, 0);
	excl_r = LD_BIT(irq, !en, 1);
	/* A writer conflicts with both, a reader only with the opposite writer. */
	if (c->usage & (1u << excl_w))
		bad = excl_w;
	else if (!rd && (c->usage & (1u << excl_r)))
		bad = excl_r;
	if (bad >= 0) {
		if (ld_once(SN_LOCKDEP_INCONSISTENT, ld_idx(c), (uint64_t)irq))
			ld_report_usage_bug(t, ctx, hl, bad, bit);
		return false;
	}

	/* Used in irq: nothing it leads to may be taken with that irq on; and conversely. */
	m.w = 1u << excl_w;
	m.r = 1u << excl_r;
	s = ld_bfs(c, hl->read == 2, !en, true, ld_match_usage, &m);
	if (s >= 0) {
		if (ld_once(SN_LOCKDEP_IRQ_INVERSION, ld_idx(c), (uint64_t)(s / 2) << 1 | (uint64_t)irq))
			ld_report_inversion(t, ctx, hl, s, !en, irq);
		return false;
	}
	return true;
}

static bool
ld_mark_usage(struct ld_task *t, const struct ld_ctx *ctx, struct ld_held *hl)
{
	int r = hl->read ? 1 : 0;

	if (!hl->trylock) {
		if (ctx->hardirq && !ld_mark(t, ctx, hl, LD_BIT(LD_HARDIRQ, 0, r)))
			return false;
		if (ctx->softirq && !ld_mark(t, ctx, hl, LD_BIT(LD_SOFTIRQ, 0, r)))
			return false;
	}
	if (ctx->he) {
		if (!ld_mark(t, ctx, hl, LD_BIT(LD_HARDIRQ, 1, r)))
			return false;
		if (ctx->se && !ld_mark(t, ctx, hl, LD_BIT(LD_SOFTIRQ, 1, r)))
			return false;
	}
	return ld_mark(t, ctx, hl, LD_USED);
}

/* ---- dependencies ---- */

static void
ld_report_recursive(struct ld_task *t, const struct ld_held *prev, const struct ld_held *next)
{
	struct ld_buf b;

	if (!ld_buf_open(&b))
		return;
	ld_banner(&b, "WARNING: possible recursive locking detected");
	ld_pr_task(&b);
	ld_pr(&b, " is trying to acquire lock:\n");
	ld_pr_lock(&b, next);
	ld_pr(&b, "\nbut task is already holding lock:\n");
	ld_pr_lock(&b, prev);
	ld_pr(&b, "\nother info that might help us debug this:\n");
	ld_pr(&b, " Possible unsafe locking scenario:\n\n");
	ld_pr(&b, "       CPU0\n       ----\n  %s(", prev->read ? "rlock" : "lock");
	ld_pr_class(&b, prev->cls);
	ld_pr(&b, ");\n  %s(", next->read ? "rlock" : "lock");
	ld_pr_class(&b, next->cls);
	ld_pr(&b, ");\n\n *** DEADLOCK ***\n\n");
	ld_pr(&b, " May be due to missing lock nesting notation\n\n");
	ld_pr_held(&b, t);
	ld_pr_stack(&b, t);
	ld_queue(t, SN_LOCKDEP_RECURSIVE, &b);
}

static void
ld_report_circular(struct ld_task *t, const struct ld_held *prev, const struct ld_held *next,
		   int32_t s)
{
	const struct ld_class *parent = next->cls;
	struct ld_trace cur;
	unsigned int len = 0;
	struct ld_buf b;

	if (!ld_buf_open(&b))
		return;
	for (int32_t x = s; x >= 0 && ld_bfs_edge[x] >= 0; x = ld_bfs_from[x])
		len++;
	if (ld_bfs_from[s] >= 0)
		parent = &ld_classes[ld_bfs_from[s] / 2];

	ld_banner(&b, "WARNING: possible circular locking dependency detected");
	ld_pr_task(&b);
	ld_pr(&b, " is trying to acquire lock:\n");
	ld_pr_lock(&b, next);
	ld_pr(&b, "\nbut task is already holding lock:\n");
	ld_pr_lock(&b, prev);
	ld_pr(&b, "\nwhich lock already depends on the new lock.\n\n");
	ld_pr(&b, "\nthe existing dependency chain (in reverse order) is:\n");
	/* The path next -> ... -> prev, printed from prev back to next, then the new edge. */
	for (int32_t x = s; x >= 0 && ld_bfs_edge[x] >= 0; x = ld_bfs_from[x]) {
		const struct ld_edge *e = &ld_edges[ld_bfs_edge[x]];
		const struct ld_class *c = &ld_classes[x / 2];

		ld_pr(&b, "\n-> #%u (", len--);
		ld_pr_class(&b, c);
		ld_pr(&b, ")");
		ld_pr_usage(&b, c);
		ld_pr(&b, "-{2:2}:\n");
		ld_pr_trace(&b, &e->trace, "       ");
	}
	ld_pr(&b, "\n-> #0 (");
	ld_pr_class(&b, next->cls);
	ld_pr(&b, ")");
	ld_pr_usage(&b, next->cls);
	ld_pr(&b, "-{2:2}:\n");
	ld_save_trace(&cur, t);
	ld_pr_trace(&b, &cur, "       ");

	ld_pr(&b, "\nother info that might help us debug this:\n\n");
	if (parent != next->cls) {
		ld_pr(&b, "Chain exists of:\n  ");
		ld_pr_class(&b, next->cls);
		ld_pr(&b, " --> ");
		ld_pr_class(&b, parent);
		ld_pr(&b, " --> ");
		ld_pr_class(&b, prev->cls);
		ld_pr(&b, "\n\n");
	}
	ld_pr(&b, " Possible unsafe locking scenario:\n\n");
	ld_pr(&b, "       CPU0                    CPU1\n");
	ld_pr(&b, "       ----                    ----\n");
	ld_pr(&b, "  lock(");
	ld_pr_class(&b, prev->cls);
	ld_pr(&b, ");\n                               lock(");
	ld_pr_class(&b, parent);
	ld_pr(&b, ");\n                               lock(");
	ld_pr_class(&b, prev->cls);
	ld_pr(&b, ");\n  lock(");
	ld_pr_class(&b, next->cls);
	ld_pr(&b, ");\n\n *** DEADLOCK ***\n\n");
	ld_pr_held(&b, t);
	ld_pr_stack(&b, t);
	ld_queue(t, SN_LOCKDEP_CIRCULAR, &b);
}

static void
ld_report_irq_order(struct ld_task *t, const struct ld_ctx *ctx, const struct ld_held *prev,
		    const struct ld_held *next, const struct ld_class *safe,
		    const struct ld_class *unsafe, int irq)
{
	struct ld_buf b;
	char title[96];
	int safe_bit = -1, unsafe_bit = -1;

	if (!ld_buf_open(&b))
		return;
	for (int rd = 0; rd <= 1; rd++) {
		if (safe_bit < 0 && (safe->usage & (1u << LD_BIT(irq, 0, rd))))
			safe_bit = LD_BIT(irq, 0, rd);
		if (unsafe_bit < 0 && (unsafe->usage & (1u << LD_BIT(irq, 1, rd))))
			unsafe_bit = LD_BIT(irq, 1, rd);
	}
	snprintf(title, sizeof(title), "WARNING: %s-safe -> %s-unsafe lock order detected",
		 ld_irq_name[irq], ld_irq_name[irq]);
	ld_banner(&b, title);
	ld_pr_task(&b);
	ld_pr(&b, " ");
	ld_pr_ctx(&b, ctx);
	ld_pr(&b, " is trying to acquire:\n");
	ld_pr_lock(&b, next);
	ld_pr(&b, "\nand this task is already holding:\n");
	ld_pr_lock(&b, prev);
	ld_pr(&b, "which would create a new lock dependency:\n (");
	ld_pr_class(&b, prev->cls);
	ld_pr(&b, ")");
	ld_pr_usage(&b, prev->cls);
	ld_pr(&b, " -> (");
	ld_pr_class(&b, next->cls);
	ld_pr(&b, ")");
	ld_pr_usage(&b, next->cls);
	ld_pr(&b, "\n\nbut this new dependency connects a %s-irq-safe lock:\n (", ld_irq_name[irq]);
	ld_pr_class(&b, safe);
	ld_pr(&b, ")");
	ld_pr_usage(&b, safe);
	ld_pr(&b, "\n\n... which became %s-irq-safe at:\n", ld_irq_name[irq]);
	if (safe_bit >= 0)
		ld_pr_trace(&b, &safe->usage_trace[safe_bit], "  ");
	ld_pr(&b, "\nto a %s-irq-unsafe lock:\n (", ld_irq_name[irq]);
	ld_pr_class(&b, unsafe);
	ld_pr(&b, ")");
	ld_pr_usage(&b, unsafe);
	ld_pr(&b, "\n\n... which became %s-irq-unsafe at:\n...\n", ld_irq_name[irq]);
	if (unsafe_bit >= 0)
		ld_pr_trace(&b, &unsafe->usage_trace[unsafe_bit], "  ");
	ld_pr(&b, "\nother info that might help us debug this:\n\n");
	if (safe != prev->cls || unsafe != next->cls) {
		ld_pr(&b, "Chain exists of:\n  ");
		ld_pr_class(&b, safe);
		if (safe != prev->cls) {
			ld_pr(&b, " --> ");
			ld_pr_class(&b, prev->cls);
		}
		ld_pr(&b, " --> ");
		ld_pr_class(&b, next->cls);
		if (unsafe != next->cls) {
			ld_pr(&b, " --> ");
			ld_pr_class(&b, unsafe);
		}
		ld_pr(&b, "\n\n");
	}
	ld_pr_scenario_irq(&b, safe, unsafe, irq);
	ld_pr_held(&b, t);
	ld_pr_stack(&b, t);
	ld_queue(t, SN_LOCKDEP_IRQ_ORDER, &b);
}

/*
 * Record prev -> next unless known; check it first. Graph lock held.
 * @return false if a problem was reported (the edge is not added).
 */
static bool
ld_add_dep(struct ld_task *t, const struct ld_ctx *ctx, const struct ld_held *prev,
	   const struct ld_held *next)
{
	uint32_t type = 1u << (((prev->read == 2) ? 2 : 0) + ((next->read == 2) ? 1 : 0));
	struct ld_edge *e = ld_edge_find(prev->cls, next->cls);
	struct ld_target tg = { .cls = prev->cls, .read = prev->read == 2 };
	int32_t s;

	if (e != NULL && (e->types & type))
		return true;

	/* A strong path next -> ... -> prev closes a cycle. */
	s = ld_bfs(next->cls, next->read == 2, true, false, ld_match_target, &tg);
	if (s >= 0) {
		if (ld_once(SN_LOCKDEP_CIRCULAR, ld_idx(prev->cls), ld_idx(next->cls)))
			ld_report_circular(t, prev, next, s);
		return false;
	}

	/* An irq-safe lock behind prev, an irq-unsafe one ahead of next. */
	for (int irq = LD_HARDIRQ; irq <= LD_SOFTIRQ; irq++) {
		struct ld_usage_match used = {
			.w = 1u << LD_BIT(irq, 0, 0), .r = 1u << LD_BIT(irq, 0, 1),
		};
		struct ld_usage_match on = {
			.w = 1u << LD_BIT(irq, 1, 0), .r = 1u << LD_BIT(irq, 1, 1),
		};
		const struct ld_class *safe, *unsafe;
		int32_t sb, sf;

		sb = ld_bfs(prev->cls, prev->read == 2, false, false, ld_match_usage, &used);
		if (sb < 0)
			continue;
		safe = &ld_classes[sb / 2];
		sf = ld_bfs(next->cls, next->read == 2, true, false, ld_match_usage, &on);
		if (sf < 0)
			continue;
		unsafe = &ld_classes[sf / 2];
		if (ld_once(SN_LOCKDEP_IRQ_ORDER, ld_idx(safe), (uint64_t)ld_idx(unsafe) << 1 | (uint64_t)irq))
			ld_report_irq_order(t, ctx, prev, next, safe, unsafe, irq);
		return false;
	}

	if (e == NULL) {
		if (ld_nedges == LD_MAX_EDGES) {
			ld_overflow(t, "MAX_LOCKDEP_ENTRIES");
			return false;
		}
		e = &ld_edges[ld_nedges];
		memset(e, 0, sizeof(*e));
		e->from = (uint16_t)ld_idx(prev->cls);
		e->to = (uint16_t)ld_idx(next->cls);
		e->prev_ip = prev->ip;
		ld_save_trace(&e->trace, t);
		e->next_out = prev->cls->first_out;
		prev->cls->first_out = (int32_t)ld_nedges;
		e->next_in = next->cls->first_in;
		next->cls->first_in = (int32_t)ld_nedges;
		ld_nedges++;
	}
	e->types |= (uint8_t)type;
	return true;
}

/*
 * AA check, then the new edges. Graph lock held.
 * @return false if a problem was reported.
 */
static bool
ld_validate_chain(struct ld_task *t, const struct ld_ctx *ctx, struct ld_held *hl)
{
	for (unsigned int i = 0; i < t->depth; i++) {
		struct ld_held *h = &t->held[i];

		if (h->cls != hl->cls)
			continue;
		/* A recursive read under a read hold of the same class is fine; no new edges. */
		if (hl->read == 2 && h->read)
			return true;
		if (ld_once(SN_LOCKDEP_RECURSIVE, ld_idx(hl->cls), 0))
			ld_report_recursive(t, h, hl);
		return false;
	}
	for (unsigned int i = t->depth; i > 0; i--) {
		struct ld_held *h = &t->held[i - 1];

		/* Locks of the interrupted context are not ordered with this one. */
		if (h->irq_ctx != hl->irq_ctx)
			break;
		if (!ld_add_dep(t, ctx, h, hl))
			return false;
	}
	return true;
}

static void
ld_report_forbidden(struct ld_task *t, const struct ld_ctx *ctx, const struct ld_held *hl)
{
	struct ld_buf b;

	if (!ld_buf_open(&b))
		return;
	ld_banner(&b, "BUG: lock taken in hardirq context that may not be");
	ld_pr_task(&b);
	ld_pr(&b, " ");
	ld_pr_ctx(&b, ctx);
	ld_pr(&b, " is trying to %sacquire lock:\n", hl->trylock ? "trylock-" : "");
	ld_pr_lock(&b, hl);
	ld_pr(&b, "\nbut class (");
	ld_pr_class(&b, hl->cls);
	ld_pr(&b, ") is never-in-hardirq: softnet defers a transmit made in\n"
		  "hardirq context to NET_TX (sn_xmit), so no hardirq handler may take a qdisc\n"
		  "root lock, busylock or xmit lock, or a class marked with\n"
		  "sn_lockdep_forbid_in_hardirq(). The interrupted code may hold it.\n");
	ld_pr(&b, "\nother info that might help us debug this:\n");
	ld_pr_held(&b, t);
	ld_pr_stack(&b, t);
	ld_queue(t, SN_LOCKDEP_HARDIRQ_FORBIDDEN, &b);
}

static void
ld_report_uninit(struct ld_task *t, struct sn_lockdep_map *map)
{
	struct ld_buf b;
	char sym[160];

	if (!ld_buf_open(&b))
		return;
	ld_sym(sym, sizeof(sym), t->ret);
	ld_banner(&b, "INFO: trying to use an uninitialised lock");
	ld_pr_task(&b);
	ld_pr(&b, " is using lock %p at: %s\n", (void *)map, sym);
	ld_pr(&b, "which was never initialised with sn_spin_lock_init*() or sn_rwlock_init*().\n"
		  "The validator gives it a class of its own, keyed by its address.\n");
	ld_pr_stack(&b, t);
	ld_queue(t, SN_LOCKDEP_UNINITIALISED, &b);
}

/* ---- entry points ---- */

static void
ld_init_map(struct sn_lockdep_map *map, const char *name, const struct sn_lock_class_key *key)
{
	map->name = name;
	__atomic_store_n(&map->key, key, __ATOMIC_RELEASE);
}

static void
ld_init_map_checked(struct sn_lockdep_map *map, const char *name,
		    const struct sn_lock_class_key *key, bool raw_locked, const void *ret)
{
	struct ld_task *t = ld_task();
	struct ld_held *mine = NULL;
	struct ld_buf b;

	if (t->busy || map->key == NULL) {
		ld_init_map(map, name, key);
		return;
	}
	for (unsigned int i = 0; i < t->depth; i++)
		if (t->held[i].map == map)
			mine = &t->held[i];
	if (mine == NULL && !raw_locked) {
		ld_init_map(map, name, key);
		return;
	}
	t->busy = 1;
	t->ret = ret;
	rte_spinlock_lock(&ld_graph_lock);
	if (!ld_off && ld_once(SN_LOCKDEP_REINIT_HELD, (uintptr_t)map->key, 0) && ld_buf_open(&b)) {
		char sym[160];

		ld_sym(sym, sizeof(sym), ret);
		ld_banner(&b, "WARNING: held lock re-initialised!");
		ld_pr_task(&b);
		ld_pr(&b, " is re-initialising lock %p (%s) at:\n%s\n", (void *)map,
		      map->name != NULL ? map->name : "?", sym);
		if (mine != NULL) {
			ld_pr(&b, "but this lcore holds it:\n");
			ld_pr_lock(&b, mine);
		} else {
			ld_pr(&b, "but it is locked (by another lcore, or never unlocked).\n");
		}
		ld_pr(&b, "\nother info that might help us debug this:\n");
		ld_pr_held(&b, t);
		ld_pr_stack(&b, t);
		ld_queue(t, SN_LOCKDEP_REINIT_HELD, &b);
	}
	rte_spinlock_unlock(&ld_graph_lock);
	ld_init_map(map, name, key);
	if (mine != NULL) {
		/* It is no longer the lock that was taken: forget that hold. */
		unsigned int i = (unsigned int)(mine - t->held);

		memmove(&t->held[i], &t->held[i + 1], (t->depth - i - 1) * sizeof(t->held[0]));
		t->depth--;
	}
	t->busy = 0;
	ld_flush(t);
}

__attribute__((noinline)) void
sn_lockdep_init_map(struct sn_lockdep_map *map, const char *name,
		    const struct sn_lock_class_key *key)
{
	ld_init_map_checked(map, name, key, false, __builtin_return_address(0));
}

__attribute__((noinline)) void
sn_lockdep_init_map_ip(struct sn_lockdep_map *map, const char *name,
		       const struct sn_lock_class_key *key, bool raw_locked, const void *ip)
{
	ld_init_map_checked(map, name, key, raw_locked,
			    ip != NULL ? ip : __builtin_return_address(0));
}

__attribute__((noinline)) void
sn_lockdep_acquire(struct sn_lockdep_map *map, unsigned int subclass, int trylock, int read,
		   const void *ip)
{
	struct ld_task *t = ld_task();
	struct ld_held *hl;
	struct ld_ctx ctx;

	if (t->busy || __atomic_load_n(&ld_off, __ATOMIC_RELAXED))
		return;
	t->busy = 1;
	t->ret = __builtin_return_address(0);
	if (ip == NULL)
		ip = t->ret;
	ld_ctx_get(&ctx);
	if (subclass >= LD_MAX_SUBCLASS)
		subclass = LD_MAX_SUBCLASS - 1;

	rte_spinlock_lock(&ld_graph_lock);
	if (map->key == NULL) {
		if (ld_once(SN_LOCKDEP_UNINITIALISED, (uintptr_t)map, 0))
			ld_report_uninit(t, map);
		ld_init_map(map, "(uninitialised lock)", (const struct sn_lock_class_key *)(void *)map);
	}
	if (t->depth == LD_MAX_DEPTH) {
		ld_overflow(t, "MAX_LOCK_DEPTH");
		goto unlock;
	}
	hl = &t->held[t->depth];
	hl->map = map;
	hl->cls = ld_class_get(t, map, subclass);
	if (hl->cls == NULL)
		goto unlock;
	hl->ip = ip;
	hl->read = read ? 2 : 0;
	hl->trylock = trylock ? 1 : 0;
	hl->irq_ctx = ld_irq_ctx(&ctx);
	hl->hardirqs_off = !ctx.he;

	if (ctx.hardirq && (hl->cls->flags & LD_F_NO_HARDIRQ) &&
	    ld_once(SN_LOCKDEP_HARDIRQ_FORBIDDEN, ld_idx(hl->cls), 0))
		ld_report_forbidden(t, &ctx, hl);
	if (ld_mark_usage(t, &ctx, hl) && !hl->trylock)
		ld_validate_chain(t, &ctx, hl);
	t->depth++;
unlock:
	rte_spinlock_unlock(&ld_graph_lock);
	t->busy = 0;
	if (t->npending != 0)
		ld_flush(t);
}

__attribute__((noinline)) void
sn_lockdep_release(struct sn_lockdep_map *map, const void *ip)
{
	struct ld_task *t = ld_task();
	struct ld_buf b;
	char sym[160];

	if (t->busy || __atomic_load_n(&ld_off, __ATOMIC_RELAXED))
		return;
	for (unsigned int i = t->depth; i > 0; i--) {
		if (t->held[i - 1].map != map)
			continue;
		/* Out-of-order release is allowed. */
		memmove(&t->held[i - 1], &t->held[i], (t->depth - i) * sizeof(t->held[0]));
		t->depth--;
		return;
	}

	t->busy = 1;
	t->ret = __builtin_return_address(0);
	if (ip == NULL)
		ip = t->ret;
	rte_spinlock_lock(&ld_graph_lock);
	if (ld_once(SN_LOCKDEP_BAD_UNLOCK, (uintptr_t)map->key, 0) && ld_buf_open(&b)) {
		ld_sym(sym, sizeof(sym), ip);
		ld_banner(&b, "WARNING: bad unlock balance detected!");
		ld_pr_task(&b);
		ld_pr(&b, " is trying to release lock (%s) at:\n%s\n",
		      map->key != NULL && map->name != NULL ? map->name : "?", sym);
		ld_pr(&b, "but there are no more locks to release!\n");
		ld_pr(&b, "\nother info that might help us debug this:\n");
		ld_pr_held(&b, t);
		ld_pr_stack(&b, t);
		ld_queue(t, SN_LOCKDEP_BAD_UNLOCK, &b);
	}
	rte_spinlock_unlock(&ld_graph_lock);
	t->busy = 0;
	ld_flush(t);
}

bool
sn_lockdep_enabled(void)
{
	return !__atomic_load_n(&ld_off, __ATOMIC_RELAXED);
}

__attribute__((noinline)) unsigned int
sn_lockdep_check_no_locks(const char *where)
{
	struct ld_task *t = ld_task();
	unsigned int depth = t->depth;
	struct ld_buf b;

	if (depth == 0 || t->busy)
		return depth;
	t->busy = 1;
	t->ret = __builtin_return_address(0);
	rte_spinlock_lock(&ld_graph_lock);
	if (ld_once(SN_LOCKDEP_HELD_AT_EXIT, ld_idx(t->held[0].cls), (uintptr_t)where) &&
	    ld_buf_open(&b)) {
		ld_banner(&b, "WARNING: lock held when returning to the lcore loop!");
		ld_pr_task(&b);
		ld_pr(&b, " is leaving %s() with locks still held!\n",
		      where != NULL ? where : "?");
		ld_pr_held(&b, t);
		ld_pr_stack(&b, t);
		ld_queue(t, SN_LOCKDEP_HELD_AT_EXIT, &b);
	}
	rte_spinlock_unlock(&ld_graph_lock);
	t->busy = 0;
	ld_flush(t);
	return depth;
}

unsigned int
sn_lockdep_depth(void)
{
	return ld_task()->depth;
}

void
sn_lockdep_forbid_in_hardirq(const struct sn_lock_class_key *key)
{
	rte_spinlock_lock(&ld_graph_lock);
	if (ld_nnohardirq < RTE_DIM(ld_nohardirq_keys))
		ld_nohardirq_keys[ld_nnohardirq++] = key;
	for (uint32_t i = 0; i < ld_nclasses; i++)
		if (ld_classes[i].key == key)
			ld_classes[i].flags |= LD_F_NO_HARDIRQ;
	rte_spinlock_unlock(&ld_graph_lock);
}

void
sn_lockdep_reset(void)
{
	rte_spinlock_lock(&ld_graph_lock);
	ld_nclasses = 0;
	ld_nedges = 0;
	memset(ld_hash, 0, sizeof(ld_hash));
	memset(ld_dedupe, 0, sizeof(ld_dedupe));
	ld_ndedupe = 0;
	ld_off = false;
	ld_report_counters_reset();
	rte_spinlock_unlock(&ld_graph_lock);
	ld_task()->depth = 0;
}

#else /* !SN_LOCKDEP */

#include <stdbool.h>

#include "locking_private.h"
#include "sn_lockdep.h"

void
sn_lockdep_set_ctx_fn(sn_lock_ctx_fn fn)
{
	(void)fn;
}

/*
 * The annotation entry points, for programs built with SN_LOCKDEP=1 against
 * this build: they link, and their locks go unvalidated.
 */
void
sn_lockdep_init_map(struct sn_lockdep_map *map, const char *name,
		    const struct sn_lock_class_key *key)
{
	map->key = NULL;
	map->name = name;
	(void)key;
}

void
sn_lockdep_init_map_ip(struct sn_lockdep_map *map, const char *name,
		       const struct sn_lock_class_key *key, bool raw_locked, const void *ip)
{
	(void)raw_locked;
	(void)ip;
	sn_lockdep_init_map(map, name, key);
}

void
sn_lockdep_acquire(struct sn_lockdep_map *map, unsigned int subclass, int trylock, int read,
		   const void *ip)
{
	(void)map;
	(void)subclass;
	(void)trylock;
	(void)read;
	(void)ip;
}

void
sn_lockdep_release(struct sn_lockdep_map *map, const void *ip)
{
	(void)map;
	(void)ip;
}

bool
sn_lockdep_enabled(void)
{
	return false;
}

void
sn_lockdep_reset(void)
{
}

void
sn_lockdep_forbid_in_hardirq(const struct sn_lock_class_key *key)
{
	(void)key;
}

unsigned int
sn_lockdep_check_no_locks(const char *where)
{
	(void)where;
	return 0;
}

unsigned int
sn_lockdep_depth(void)
{
	return 0;
}

#endif /* SN_LOCKDEP */
