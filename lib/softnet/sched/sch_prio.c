/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * prio: strict priority among N bands (the kernel's sch_prio, tc's q_prio),
 * a classful discipline. Each band is a fixed class, 1:1 .. 1:N of handle
 * 1:, made with the qdisc and holding a child qdisc (pfifo by default; any
 * qdisc may be grafted in its place). Dequeue always serves the lowest band
 * that hands something out: band 0 before band 1, and so on.
 *
 * Classification (prio_classify): the mbuf priority or a filter naming one
 * of the classes (sn_qdisc_classify(): `priority == 1:M` or a filter's
 * classid 1:M) picks band M - 1, or the priomap's band for priority 0 when M
 * is out of range; otherwise the priomap of `priority & 15`, for a priority
 * without a major (a priority whose major names some other qdisc takes the
 * priomap's band for priority 0, as the kernel's).
 *
 * Bands and classes are fixed: tc's `class add|change|del` are refused, as
 * the kernel refuses them (prio has no class change or delete op).
 *
 * Counters: prio holds no packet itself. Its qlen and backlog are the sums
 * of its children's, kept so by accounting what each child took at enqueue
 * (drops a child made of older packets meanwhile already came off through
 * sn_qdisc_tree_reduce()); the framework or prio's parent lowers them at
 * dequeue. A child that returns nothing while it holds packets is throttled
 * (a shaper in a band): the next band is served, and the child's own
 * watchdog runs the tree again when it may send.
 *
 * Cost: enqueue classifies each packet (one mbuf field and a table, or the
 * filter chain when there is one) and hands each run of consecutive packets
 * of one band to that band's child in one call; dequeue walks the bands
 * until the batch is full. Root lock held throughout; not NOLOCK-capable
 * (the children are not), never CAN_BYPASS (a band may hold packets a
 * bypass would overtake).
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>

#include "sched_private.h"

#define SN_PRIO_BANDS_MIN 2
#define SN_PRIO_BANDS_MAX 16 /* TCQ_PRIO_BANDS */
#define SN_PRIO_BANDS_DEF 3
/* The first automatic handle, as the kernel gives a root qdisc without one. */
#define SN_PRIO_AUTO_HANDLE 0x80010000u

/* The kernel's default priomap (sch_generic.c's prio2band), tc's too. */
static const uint8_t sn_prio_default_map[SN_PRIO_COUNT] = {
	1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1,
};

/* The parse op's result, in params.opts; all zero: the defaults. */
struct sn_prio_opts {
	uint8_t bands;                   /* 0: 3 */
	uint8_t has_priomap;             /* 0: the default map */
	uint8_t priomap[SN_PRIO_COUNT];
};
static_assert(sizeof(struct sn_prio_opts) <= SN_QDISC_OPTS_SIZE, "prio options fit in opts");

struct sn_prio {
	uint32_t bands;
	uint8_t prio2band[SN_PRIO_COUNT];
	struct sn_qdisc *queues[SN_PRIO_BANDS_MAX];
	/*
	 * The band of each packet the last dequeue handed out: what the driver
	 * did not take is the tail of that batch, put back where it came from
	 * without classifying it again (which would count filter hits twice).
	 */
	uint16_t last_n;
	uint8_t last_band[SN_QDISC_REQUEUE_MAX];
};

static const struct sn_qdisc_ops sn_prio_ops;

/* The band of @m (prio_classify). Root lock held. */
static __rte_always_inline unsigned int
sn_prio_band(const struct sn_qdisc *q, const struct sn_prio *pr, const struct rte_mbuf *m)
{
	const uint32_t prio = sn_mbuf_prio_get(m);
	uint32_t cl, minor;

	/* Common case: a plain TC_PRIO_* value and no filter. */
	if (likely((prio >> 16) == 0 && q->filters == NULL))
		return pr->prio2band[prio & (SN_PRIO_COUNT - 1)];
	cl = sn_qdisc_classify(q, m);
	if (cl == 0)
		return pr->prio2band[(prio >> 16) != 0 ? 0 : prio & (SN_PRIO_COUNT - 1)];
	/* A class of ours, by its minor; one beyond the bands: priority 0's band. */
	minor = cl & 0xffffu;
	if (minor == 0 || minor > pr->bands)
		return pr->prio2band[0];
	return minor - 1;
}

/* Band index of classid @cl of @q, or -1. */
static int
sn_prio_class_band(const struct sn_qdisc *q, const struct sn_prio *pr, uint32_t cl)
{
	uint32_t minor = cl & 0xffffu;

	if ((cl & 0xffff0000u) != q->handle || minor == 0 || minor > pr->bands)
		return -1;
	return (int)minor - 1;
}

static int
sn_prio_init(struct sn_qdisc *q, const struct sn_qdisc_params *p)
{
	struct sn_prio *pr = sn_qdisc_priv(q);
	struct sn_prio_opts o;

	memcpy(&o, p->opts, sizeof(o));
	pr->bands = o.bands != 0 ? o.bands : SN_PRIO_BANDS_DEF;
	if (pr->bands < SN_PRIO_BANDS_MIN || pr->bands > SN_PRIO_BANDS_MAX)
		return -EINVAL;
	memcpy(pr->prio2band, o.has_priomap ? o.priomap : sn_prio_default_map, SN_PRIO_COUNT);
	for (unsigned int i = 0; i < SN_PRIO_COUNT; i++)
		if (pr->prio2band[i] >= pr->bands)
			return -EINVAL;
	/*
	 * A root without a handle gets the kernel's first automatic one, so
	 * that its classes have ids (a child always has one: sn_qdisc_graft()).
	 */
	if (q->handle == 0)
		q->handle = SN_PRIO_AUTO_HANDLE;
	for (uint32_t b = 0; b < pr->bands; b++) {
		pr->queues[b] = sn_qdisc_child_create(q, q->handle | (b + 1), NULL, NULL);
		if (pr->queues[b] == NULL) {
			int rc = -rte_errno;

			while (b-- > 0) {
				sn_qdisc_child_destroy(pr->queues[b], NULL);
				pr->queues[b] = NULL;
			}
			return rc;
		}
	}
	return 0;
}

/*
 * Hand @n packets of one band (@bytes in all) to its child and account what
 * it took. The child may drop older packets to make room (an AQM): those
 * came off our counters already (sn_qdisc_tree_reduce()), so what it took is
 * its growth plus what it dropped, which is what we lost meanwhile.
 */
static uint16_t
sn_prio_enqueue_run(struct sn_qdisc *q, struct sn_softnet *sd, struct sn_qdisc *child,
		    struct rte_mbuf **pkts, uint16_t n, uint32_t bytes)
{
	const uint64_t cq0 = child->qstats.qlen, cb0 = child->qstats.backlog;
	const uint64_t q0 = q->qstats.qlen, b0 = q->qstats.backlog;
	uint16_t k;

	k = child->ops->enqueue(child, sd, pkts, n, bytes);
	if (likely(k == n && child->qstats.qlen == cq0 + n && q->qstats.qlen == q0)) {
		sn_qdisc_account_enqueue(q, n, bytes);
		return n;
	}
	sn_qdisc_account_enqueue(q, (uint32_t)(child->qstats.qlen - cq0 + q0 - q->qstats.qlen),
				 child->qstats.backlog - cb0 + b0 - q->qstats.backlog);
	/* The child counted its refusals; tc shows them at every level. */
	q->qstats.drops += (uint64_t)(n - k);
	return k;
}

static uint16_t
sn_prio_enqueue(struct sn_qdisc *q, struct sn_softnet *sd, struct rte_mbuf **pkts, uint16_t n,
		uint32_t bytes)
{
	struct sn_prio *pr = sn_qdisc_priv(q);
	unsigned int band;
	uint16_t start = 0, accepted = 0;
	uint32_t run_bytes = 0;

	if (unlikely(n == 0))
		return 0;
	band = sn_prio_band(q, pr, pkts[0]);
	for (uint16_t i = 1; i < n; i++) {
		unsigned int b = sn_prio_band(q, pr, pkts[i]);

		if (likely(b == band))
			continue;
		/* A run ends: its bytes, read now (the usual burst is one run: none read). */
		run_bytes = sn_pkts_bytes(pkts + start, (uint16_t)(i - start));
		bytes -= run_bytes;
		accepted = (uint16_t)(accepted +
				      sn_prio_enqueue_run(q, sd, pr->queues[band], pkts + start,
							  (uint16_t)(i - start), run_bytes));
		start = i;
		band = b;
	}
	return (uint16_t)(accepted + sn_prio_enqueue_run(q, sd, pr->queues[band], pkts + start,
							 (uint16_t)(n - start), bytes));
}

/* Strict priority: fill the batch from the lowest bands that hand out packets. */
static uint16_t
sn_prio_dequeue(struct sn_qdisc *q, struct sn_softnet *sd, struct rte_mbuf **pkts, uint16_t n)
{
	struct sn_prio *pr = sn_qdisc_priv(q);
	uint16_t k = 0;

	for (uint32_t b = 0; b < pr->bands && k < n; b++) {
		struct sn_qdisc *child = pr->queues[b];
		uint16_t got;

		/* Empty, or throttled (it armed its own watchdog): the next band. */
		if (child->qstats.qlen == 0)
			continue;
		got = sn_qdisc_child_dequeue(child, sd, pkts + k, (uint16_t)(n - k));
		for (uint16_t i = k; i < k + got && i < SN_QDISC_REQUEUE_MAX; i++)
			pr->last_band[i] = (uint8_t)b;
		k = (uint16_t)(k + got);
	}
	pr->last_n = k;
	return k;
}

static struct rte_mbuf *
sn_prio_peek(struct sn_qdisc *q)
{
	struct sn_prio *pr = sn_qdisc_priv(q);

	for (uint32_t b = 0; b < pr->bands; b++) {
		struct rte_mbuf *m;

		if (pr->queues[b]->qstats.qlen == 0)
			continue;
		m = sn_qdisc_child_peek(pr->queues[b]);
		if (m != NULL)
			return m;
	}
	return NULL;
}

/*
 * The unsent tail goes back to the head of each packet's band, in order.
 * Classification is deterministic (the priority field, the filters, which
 * change under this root lock only), so each goes back to the band it came
 * from.
 */
static void
sn_prio_requeue(struct sn_qdisc *q, struct rte_mbuf **pkts, uint16_t n)
{
	struct sn_prio *pr = sn_qdisc_priv(q);
	struct rte_mbuf *run[SN_QDISC_REQUEUE_MAX];
	uint8_t band[SN_QDISC_REQUEUE_MAX];
	uint32_t present = 0;

	RTE_ASSERT(n <= SN_QDISC_REQUEUE_MAX);
	for (uint16_t i = 0; i < n; i++) {
		/* The tail of the last batch, whose bands we kept; else classify. */
		if (n <= pr->last_n && pr->last_n <= SN_QDISC_REQUEUE_MAX)
			band[i] = pr->last_band[pr->last_n - n + i];
		else
			band[i] = (uint8_t)sn_prio_band(q, pr, pkts[i]);
		present |= 1u << band[i];
	}
	pr->last_n = 0;
	while (present != 0) {
		unsigned int b = (unsigned int)__builtin_ctz(present);
		uint16_t cnt = 0;

		present &= present - 1;
		for (uint16_t i = 0; i < n; i++)
			if (band[i] == b)
				run[cnt++] = pkts[i];
		sn_qdisc_child_requeue(pr->queues[b], run, cnt);
	}
}

static void
sn_prio_reset(struct sn_qdisc *q, struct sn_softnet *sd)
{
	struct sn_prio *pr = sn_qdisc_priv(q);

	/* The children's drops count here too (sn_qdisc_tree_reduce()). */
	for (uint32_t b = 0; b < pr->bands; b++)
		sn_qdisc_child_reset(pr->queues[b], sd);
}

static void
sn_prio_destroy(struct sn_qdisc *q)
{
	struct sn_prio *pr = sn_qdisc_priv(q);

	/* Empty (reset ran): destroying drops nothing. */
	for (uint32_t b = 0; b < pr->bands; b++) {
		sn_qdisc_child_destroy(pr->queues[b], NULL);
		pr->queues[b] = NULL;
	}
}

static int
sn_prio_dump(const struct sn_qdisc *q, struct sn_qdisc_params *p)
{
	const struct sn_prio *pr = (const struct sn_prio *)q->priv;
	struct sn_prio_opts o = { .bands = (uint8_t)pr->bands, .has_priomap = 1 };

	memcpy(o.priomap, pr->prio2band, SN_PRIO_COUNT);
	memcpy(p->opts, &o, sizeof(o));
	memcpy(p->priomap, pr->prio2band, SN_PRIO_COUNT);
	p->has_priomap = true;
	return 0;
}

/*
 * tc's q_prio.c words: `bands N` (2..16) and `priomap P0 .. P15` (up to 16
 * bands, entries not given keep the default map), in any order; every
 * entry must name one of the bands (tc: "Illegal priomap band"), so `bands
 * 2` needs a priomap (the default map uses band 2). tc's `multiqueue` is not
 * supported (mq with XPS is softnet's multi-queue root: sn_mq.h).
 */
static int
sn_prio_parse(struct sn_qdisc_params *p, int argc, const char *const argv[], char *err,
	      size_t errlen)
{
	struct sn_prio_opts *o = (struct sn_prio_opts *)p->opts;
	unsigned int bands;
	const char *v;
	uint32_t x;
	int rc = 0;

	for (int i = 0; i < argc && rc == 0; i++) {
		if (strcmp(argv[i], "bands") == 0) {
			if (o->bands != 0)
				return sn_parse_twice("bands", err, errlen);
			rc = sn_parse_value(argc, argv, &i, "2..16", err, errlen, &v);
			if (rc == 0)
				rc = sn_parse_u32("bands", v, SN_PRIO_BANDS_MIN, SN_PRIO_BANDS_MAX,
						  &x, err, errlen);
			if (rc == 0)
				o->bands = (uint8_t)x;
		} else if (strcmp(argv[i], "priomap") == 0) {
			int idx = 0;

			if (o->has_priomap)
				return sn_parse_twice("priomap", err, errlen);
			o->has_priomap = 1;
			memcpy(o->priomap, sn_prio_default_map, SN_PRIO_COUNT);
			while (i + 1 < argc && argv[i + 1][0] >= '0' && argv[i + 1][0] <= '9') {
				char name[32];

				if (idx == SN_PRIO_COUNT)
					return sn_qdisc_parse_error(err, errlen,
								    "priomap: more than %d entries "
								    "(one band per priority 0..15)",
								    SN_PRIO_COUNT);
				snprintf(name, sizeof(name), "priomap entry %d", idx);
				rc = sn_parse_u32(name, argv[++i], 0, SN_PRIO_BANDS_MAX - 1, &x,
						  err, errlen);
				if (rc != 0)
					return rc;
				o->priomap[idx++] = (uint8_t)x;
			}
			if (idx == 0)
				return sn_qdisc_parse_error(err, errlen,
							    "priomap: missing value (P0 .. P15, "
							    "bands 0..BANDS-1)");
		} else if (strcmp(argv[i], "multiqueue") == 0) {
			return sn_qdisc_parse_error(err, errlen,
						    "multiqueue: not supported (use the mq root "
						    "and XPS)");
		} else {
			rc = sn_parse_unknown(&sn_prio_ops, argv[i], err, errlen);
		}
	}
	if (rc != 0)
		return rc;
	bands = o->bands != 0 ? o->bands : SN_PRIO_BANDS_DEF;
	for (unsigned int i = 0; i < SN_PRIO_COUNT; i++) {
		uint8_t b = o->has_priomap ? o->priomap[i] : sn_prio_default_map[i];

		if (b >= bands)
			return sn_qdisc_parse_error(err, errlen,
						    "priomap: priority %u goes to band %u, beyond "
						    "bands %u (give a priomap within 0..%u)",
						    i, b, bands, bands - 1);
	}
	return 0;
}

/* tc's prio_print_opt: `bands 3 priomap 1 2 2 2 1 2 0 0 1 1 1 1 1 1 1 1`. */
static void
sn_prio_print(const struct sn_qdisc *q, struct sn_qdisc_writer *w)
{
	const struct sn_prio *pr = (const struct sn_prio *)q->priv;

	sn_qw_u64(w, "bands", pr->bands);
	sn_qw_u8_list(w, "priomap", pr->prio2band, SN_PRIO_COUNT);
}

/* ---- classes: 1:1 .. 1:N, fixed ---- */

static int
sn_prio_class_change(struct sn_qdisc *q, uint32_t classid, uint32_t parentid, const void *opts,
		     char *err, size_t errlen)
{
	const struct sn_prio *pr = (const struct sn_prio *)q->priv;
	char h[16];

	RTE_SET_USED(parentid);
	RTE_SET_USED(opts);
	sn_tc_format_handle(h, sizeof(h), classid);
	sn_qdisc_parse_error(err, errlen,
			     "%s: prio's classes are its bands, made with it (%u of them): "
			     "they cannot be added or changed (set `bands` on the qdisc)",
			     h, pr->bands);
	return -EOPNOTSUPP;
}

static int
sn_prio_class_del(struct sn_qdisc *q, uint32_t classid, char *err, size_t errlen)
{
	char h[16];

	RTE_SET_USED(q);
	sn_tc_format_handle(h, sizeof(h), classid);
	sn_qdisc_parse_error(err, errlen,
			     "%s: prio's classes are its bands: they cannot be deleted "
			     "(`qdisc del ... parent %s` puts the default pfifo back)", h, h);
	return -EOPNOTSUPP;
}

static struct sn_qdisc *
sn_prio_class_leaf(struct sn_qdisc *q, uint32_t classid)
{
	struct sn_prio *pr = sn_qdisc_priv(q);
	int b = sn_prio_class_band(q, pr, classid);

	return b < 0 ? NULL : pr->queues[b];
}

static int
sn_prio_class_graft(struct sn_qdisc *q, uint32_t classid, struct sn_qdisc *child,
		    struct sn_qdisc **old)
{
	struct sn_prio *pr = sn_qdisc_priv(q);
	int b = sn_prio_class_band(q, pr, classid);

	if (b < 0)
		return -ENOENT;
	*old = pr->queues[b];
	pr->queues[b] = child;
	return 0;
}

static unsigned int
sn_prio_class_walk(struct sn_qdisc *q, uint32_t *ids, unsigned int n)
{
	struct sn_prio *pr = sn_qdisc_priv(q);

	for (uint32_t b = 0; b < pr->bands && b < n; b++)
		ids[b] = q->handle | (b + 1);
	return pr->bands;
}

static int
sn_prio_class_info(struct sn_qdisc *q, uint32_t classid, struct sn_class_info *ci)
{
	struct sn_prio *pr = sn_qdisc_priv(q);
	int b = sn_prio_class_band(q, pr, classid);

	if (b < 0)
		return -ENOENT;
	memset(ci, 0, sizeof(*ci));
	ci->parent = q->handle;
	ci->leaf = pr->queues[b]->handle;
	sn_qdisc_stats_add(&ci->stats, pr->queues[b]);
	return 0;
}

static const struct sn_qdisc_class_ops sn_prio_class_ops = {
	.change = sn_prio_class_change,
	.del = sn_prio_class_del,
	.leaf = sn_prio_class_leaf,
	.graft = sn_prio_class_graft,
	.walk = sn_prio_class_walk,
	.info = sn_prio_class_info,
};

static const struct sn_qdisc_ops sn_prio_ops = {
	.id = "prio",
	.priv_size = sizeof(struct sn_prio),
	.static_flags = 0,
	.enqueue = sn_prio_enqueue,
	.dequeue = sn_prio_dequeue,
	.peek = sn_prio_peek,
	.requeue = sn_prio_requeue,
	.init = sn_prio_init,
	.reset = sn_prio_reset,
	.destroy = sn_prio_destroy,
	.dump = sn_prio_dump,
	.parse = sn_prio_parse,
	.print = sn_prio_print,
	.usage = "[ bands 2..16 ] [ priomap P0 .. P15 ] (P a band, 0..bands-1)",
	.cl_ops = &sn_prio_class_ops,
};

RTE_INIT(sn_prio_register)
{
	sn_qdisc_register(&sn_prio_ops);
}
