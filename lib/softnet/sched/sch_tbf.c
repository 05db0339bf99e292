/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tbf: the token bucket filter (the kernel's sch_tbf, tc's q_tbf), a
 * non-work-conserving discipline. Packets wait in one FIFO; the head leaves
 * when the bucket holds its length in tokens (and, with a peak rate, the
 * second bucket of `mtu` bytes too). Otherwise dequeue hands out nothing,
 * counts an overlimit and arms the qdisc watchdog for the time the missing
 * tokens take to arrive (sn_qdisc_watchdog_schedule()).
 *
 * Units: tokens are kept in "byte-cycles", a byte being worth tsc_hz of them,
 * so that @elapsed TSC cycles add exactly elapsed * rate and a packet costs
 * exactly len * tsc_hz. Nothing is ever rounded, so the long-run rate is
 * exactly the configured one (no drift); only the wake-up time is rounded up
 * to a whole cycle. The elapsed time is clamped to what fills the bucket,
 * which bounds every product: burst and mtu are at most 256 MiB, so
 * 2 * burst * tsc_hz (a 5 GHz TSC) stays under 2^63.
 *
 * Limits as the kernel: a packet longer than the bucket (or than mtu, with a
 * peak rate) could never leave and is dropped at enqueue; so is one that
 * would take the backlog over `limit` bytes. tc's `latency` is turned into a
 * limit as tc does: rate * latency + burst (with a peak rate, the smaller of
 * that and peakrate * latency + mtu).
 *
 * Cost: dequeue reads the TSC once per call and does two multiplications per
 * packet; root lock held throughout (not NOLOCK-capable: the bucket is state
 * shared by every packet). Never CAN_BYPASS: an empty tbf must still charge
 * the packet's tokens.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>

#include "sched_private.h"
#include "sch_ring.h"

#define SN_TBF_MIN_FRAME 64
#define SN_TBF_SIZE_MAX (1u << 28)     /* burst, mtu: keeps byte-cycles in int64 */
#define SN_TBF_LIMIT_MAX (1u << 30)
#define SN_TBF_SLOTS_MAX (1u << 20)
#define SN_NS_PER_SEC 1000000000ull

/* Defaults of a bare `tbf` (zeroed params): tc would refuse; the SDK wants one. */
#define SN_TBF_DEF_RATE (1000000000ull / 8)  /* 1gbit */
#define SN_TBF_DEF_BURST (64u * 1024)
#define SN_TBF_DEF_LATENCY_NS (50ull * 1000000)

/* The parse op's result, in params.opts; all zero: the defaults. */
struct sn_tbf_opts {
	uint64_t rate;       /* bytes per second */
	uint64_t peakrate;   /* bytes per second, 0: none */
	uint64_t latency_ns; /* as given, 0: limit was given */
	uint32_t burst;      /* bytes */
	uint32_t mtu;        /* bytes (minburst), with peakrate only */
	uint32_t limit;      /* bytes */
	uint32_t pad;
};
static_assert(sizeof(struct sn_tbf_opts) <= SN_QDISC_OPTS_SIZE, "tbf options fit in opts");

struct sn_tbf {
	struct rte_ring *ring;
	struct sn_tbf_opts o;
	uint64_t hz;         /* TSC cycles per second */
	int64_t tokens;      /* byte-cycles, <= burst * hz */
	int64_t ptokens;     /* byte-cycles, <= mtu * hz */
	uint64_t cap;        /* cycles that fill the bucket from empty */
	uint64_t pcap;       /* same for the peak bucket */
	uint64_t t_c;        /* TSC of the last send */
	uint32_t max_size;   /* longest packet that can ever leave */
};

/* tc's limit from a latency: rate * latency + burst, in bytes (rounded down). */
static uint64_t
sn_tbf_lat2limit(uint64_t rate, uint64_t lat_ns, uint64_t burst)
{
	unsigned __int128 b = (unsigned __int128)rate * lat_ns / SN_NS_PER_SEC + burst;

	return b > UINT64_MAX ? UINT64_MAX : (uint64_t)b;
}

static void
sn_tbf_defaults(struct sn_tbf_opts *o)
{
	if (o->rate != 0)
		return;
	o->rate = SN_TBF_DEF_RATE;
	o->burst = SN_TBF_DEF_BURST;
	o->latency_ns = SN_TBF_DEF_LATENCY_NS;
	o->limit = (uint32_t)sn_tbf_lat2limit(o->rate, o->latency_ns, o->burst);
}

static int
sn_tbf_init(struct sn_qdisc *q, const struct sn_qdisc_params *p)
{
	struct sn_tbf *t = sn_qdisc_priv(q);
	uint32_t slots;

	memcpy(&t->o, p->opts, sizeof(t->o));
	sn_tbf_defaults(&t->o);
	if (t->o.burst == 0 || t->o.burst > SN_TBF_SIZE_MAX || t->o.limit == 0 ||
	    t->o.limit > SN_TBF_LIMIT_MAX ||
	    (t->o.peakrate != 0 && (t->o.peakrate <= t->o.rate || t->o.mtu == 0 ||
				    t->o.mtu > SN_TBF_SIZE_MAX)))
		return -EINVAL;
	t->hz = rte_get_tsc_hz();
	t->max_size = t->o.burst;
	if (t->o.peakrate != 0)
		t->max_size = RTE_MIN(t->max_size, t->o.mtu);
	/* Both buckets start full, as the kernel's. */
	t->tokens = (int64_t)((uint64_t)t->o.burst * t->hz);
	t->ptokens = (int64_t)((uint64_t)t->o.mtu * t->hz);
	t->cap = (uint64_t)t->o.burst * t->hz / t->o.rate + 1;
	t->pcap = t->o.peakrate != 0 ? (uint64_t)t->o.mtu * t->hz / t->o.peakrate + 1 : 0;
	t->t_c = rte_rdtsc();
	slots = RTE_MAX(t->o.limit / SN_TBF_MIN_FRAME, 1u);
	t->ring = sn_sch_ring_create(q, "tbf", RTE_MIN(slots, SN_TBF_SLOTS_MAX));
	return t->ring == NULL ? -rte_errno : 0;
}

/* Per packet, as the kernel: too long to ever leave, or over the byte limit. */
static uint16_t
sn_tbf_enqueue(struct sn_qdisc *q, struct sn_softnet *sd, struct rte_mbuf **pkts, uint16_t n,
	       uint32_t bytes)
{
	struct sn_tbf *t = sn_qdisc_priv(q);
	const uint64_t backlog0 = q->qstats.backlog;
	uint64_t backlog = backlog0;
	uint16_t k = 0;

	RTE_SET_USED(bytes);
	for (uint16_t i = 0; i < n; i++) {
		uint32_t len = rte_pktmbuf_pkt_len(pkts[i]);

		if (len <= t->max_size && backlog + len <= t->o.limit) {
			backlog += len;
			pkts[k++] = pkts[i];
		} else {
			sn_qdisc_drop(q, sd, pkts[i]);
		}
	}
	if (k == 0)
		return 0;
	return sn_sch_ring_enqueue(q, sd, t->ring, pkts, k, (uint32_t)(backlog - backlog0));
}

/* Byte-cycles a bucket of @size bytes holds @el cycles after it held @toks. */
static __rte_always_inline int64_t
sn_tbf_refill(int64_t toks, uint64_t el, uint64_t cap, uint64_t rate, uint64_t size_bc)
{
	int64_t v = toks + (int64_t)(RTE_MIN(el, cap) * rate);

	return RTE_MIN(v, (int64_t)size_bc);
}

static uint16_t
sn_tbf_dequeue(struct sn_qdisc *q, struct sn_softnet *sd __rte_unused,
		struct rte_mbuf **pkts, uint16_t n)
{
	struct sn_tbf *t = sn_qdisc_priv(q);
	const uint64_t now = rte_rdtsc();
	uint64_t el = now - t->t_c;
	uint16_t k = 0;

	while (k < n) {
		struct rte_mbuf *m = sn_sch_ring_peek(t->ring);
		int64_t cost, toks, ptoks = 0;
		uint64_t wait;

		if (m == NULL)
			break;
		cost = (int64_t)((uint64_t)rte_pktmbuf_pkt_len(m) * t->hz);
		toks = sn_tbf_refill(t->tokens, el, t->cap, t->o.rate,
				     (uint64_t)t->o.burst * t->hz) - cost;
		if (t->o.peakrate != 0)
			ptoks = sn_tbf_refill(t->ptokens, el, t->pcap, t->o.peakrate,
					      (uint64_t)t->o.mtu * t->hz) - cost;
		if (likely((toks | ptoks) >= 0)) {
			void *obj;

			/* The head just peeked: single consumer, it is still there. */
			(void)rte_ring_sc_dequeue(t->ring, &obj);
			pkts[k++] = m;
			t->tokens = toks;
			t->ptokens = ptoks;
			t->t_c = now;
			el = 0;
			continue;
		}
		/* Throttled: the missing tokens' time, rounded up to a whole cycle. */
		wait = toks < 0 ? ((uint64_t)-toks + t->o.rate - 1) / t->o.rate : 0;
		if (ptoks < 0)
			wait = RTE_MAX(wait, ((uint64_t)-ptoks + t->o.peakrate - 1) / t->o.peakrate);
		sn_qdisc_watchdog_schedule(q, now + wait);
		q->qstats.overlimits++;
		break;
	}
	return k;
}

static struct rte_mbuf *
sn_tbf_peek(struct sn_qdisc *q)
{
	struct sn_tbf *t = sn_qdisc_priv(q);

	return sn_sch_ring_peek(t->ring);
}

static void
sn_tbf_reset(struct sn_qdisc *q, struct sn_softnet *sd)
{
	struct sn_tbf *t = sn_qdisc_priv(q);

	sn_sch_ring_purge(q, sd, t->ring);
	t->tokens = (int64_t)((uint64_t)t->o.burst * t->hz);
	t->ptokens = (int64_t)((uint64_t)t->o.mtu * t->hz);
	t->t_c = rte_rdtsc();
}

static void
sn_tbf_destroy(struct sn_qdisc *q)
{
	struct sn_tbf *t = sn_qdisc_priv(q);

	sn_sch_ring_free(t->ring);
}

static int
sn_tbf_dump(const struct sn_qdisc *q, struct sn_qdisc_params *p)
{
	const struct sn_tbf *t = (const struct sn_tbf *)q->priv;

	p->limit = t->o.limit;
	memcpy(p->opts, &t->o, sizeof(t->o));
	return 0;
}

static int
sn_tbf_rate_word(const char *name, const char *v, uint64_t *out, char *err, size_t errlen)
{
	if (sn_tc_parse_rate(v, out) != 0)
		return sn_qdisc_parse_error(err, errlen,
					    "%s: '%s' is not a rate (e.g. 50mbit, 1gbit, 125kbps)",
					    name, v);
	return 0;
}

static int
sn_tbf_size_word(const char *name, const char *v, uint32_t min, uint32_t *out, char *err,
		 size_t errlen)
{
	uint64_t sz;

	if (strchr(v, '/') != NULL)
		return sn_qdisc_parse_error(err, errlen,
					    "%s: '%s': tc's /CELL is not supported (give bytes)",
					    name, v);
	if (sn_tc_parse_size(v, &sz) != 0)
		return sn_qdisc_parse_error(err, errlen,
					    "%s: '%s' is not a size (BYTES, e.g. 1514, 64kb, 1mb)",
					    name, v);
	if (sz < min || sz > (strcmp(name, "limit") == 0 ? SN_TBF_LIMIT_MAX : SN_TBF_SIZE_MAX))
		return sn_qdisc_parse_error(err, errlen, "%s: %s is out of range %u..%u (bytes)",
					    name, v, min,
					    strcmp(name, "limit") == 0 ? SN_TBF_LIMIT_MAX :
									 SN_TBF_SIZE_MAX);
	*out = (uint32_t)sz;
	return 0;
}

/*
 * tc's q_tbf.c words: rate, burst (buffer, maxburst), limit or latency,
 * peakrate with mtu (minburst). As tc: rate, burst and one of limit and
 * latency are required once any word is given, peakrate needs mtu and must
 * exceed rate. A bare `tbf` takes the defaults (docs/qdiscs.md).
 */
static int
sn_tbf_parse(struct sn_qdisc_params *p, int argc, const char *const argv[], char *err,
	     size_t errlen)
{
	struct sn_tbf_opts *o = (struct sn_tbf_opts *)p->opts;
	bool has_limit = false;
	uint64_t lim;

	for (int i = 0; i < argc; i++) {
		const char *w = argv[i], *v;
		int rc;

		rc = sn_parse_value(argc, argv, &i, "VALUE", err, errlen, &v);
		if (strcmp(w, "rate") == 0 || strcmp(w, "peakrate") == 0) {
			uint64_t *dst = w[0] == 'r' ? &o->rate : &o->peakrate;

			if (*dst != 0)
				return sn_parse_twice(w, err, errlen);
			if (rc != 0)
				return rc;
			rc = sn_tbf_rate_word(w, v, dst, err, errlen);
		} else if (strcmp(w, "burst") == 0 || strcmp(w, "buffer") == 0 ||
			   strcmp(w, "maxburst") == 0) {
			if (o->burst != 0)
				return sn_parse_twice(w, err, errlen);
			if (rc != 0)
				return rc;
			rc = sn_tbf_size_word(w, v, 1, &o->burst, err, errlen);
		} else if (strcmp(w, "mtu") == 0 || strcmp(w, "minburst") == 0) {
			if (o->mtu != 0)
				return sn_parse_twice(w, err, errlen);
			if (rc != 0)
				return rc;
			rc = sn_tbf_size_word(w, v, 1, &o->mtu, err, errlen);
		} else if (strcmp(w, "limit") == 0) {
			if (has_limit || o->latency_ns != 0)
				return sn_qdisc_parse_error(err, errlen,
							    "limit: limit or latency given twice");
			if (rc != 0)
				return rc;
			has_limit = true;
			rc = sn_tbf_size_word(w, v, 1, &o->limit, err, errlen);
		} else if (strcmp(w, "latency") == 0) {
			if (has_limit || o->latency_ns != 0)
				return sn_qdisc_parse_error(err, errlen,
							    "latency: limit or latency given twice");
			if (rc != 0)
				return rc;
			if (sn_tc_parse_time(v, &o->latency_ns) != 0 || o->latency_ns == 0)
				return sn_qdisc_parse_error(err, errlen,
							    "latency: '%s' is not a time (e.g. 20ms, 500us)",
							    v);
		} else {
			return sn_parse_unknown(&sn_tbf_ops, w, err, errlen);
		}
		if (rc != 0)
			return rc;
	}
	if (argc == 0)
		return 0;
	if (o->rate == 0 || o->burst == 0 || (!has_limit && o->latency_ns == 0))
		return sn_qdisc_parse_error(err, errlen,
					    "tbf: \"rate\", \"burst\" and \"limit\" or \"latency\" are required");
	if (o->peakrate != 0 && o->mtu == 0)
		return sn_qdisc_parse_error(err, errlen,
					    "peakrate: \"mtu\" (minburst) is required with it");
	if (o->mtu != 0 && o->peakrate == 0)
		return sn_qdisc_parse_error(err, errlen, "mtu: only with \"peakrate\"");
	if (o->peakrate != 0 && o->peakrate <= o->rate)
		return sn_qdisc_parse_error(err, errlen,
					    "peakrate: must be higher than rate (as the kernel)");
	if (o->latency_ns != 0) {
		lim = sn_tbf_lat2limit(o->rate, o->latency_ns, o->burst);
		if (o->peakrate != 0)
			lim = RTE_MIN(lim, sn_tbf_lat2limit(o->peakrate, o->latency_ns, o->mtu));
		if (lim > SN_TBF_LIMIT_MAX)
			return sn_qdisc_parse_error(err, errlen,
						    "latency: the limit it makes, %" PRIu64
						    " bytes, is over %u",
						    lim, SN_TBF_LIMIT_MAX);
		o->limit = (uint32_t)lim;
	}
	return 0;
}

/*
 * tc's tbf_print_opt: rate, burst, [peakrate, minburst], then `lat` when
 * the limit came from a latency. A limit given in bytes is printed as
 * `limit` (tc converts it back to a latency, which rounds and would not
 * parse back to the same limit).
 */
static void
sn_tbf_print(const struct sn_qdisc *q, struct sn_qdisc_writer *w)
{
	const struct sn_tbf *t = (const struct sn_tbf *)q->priv;

	sn_qw_rate(w, "rate", t->o.rate);
	sn_qw_size(w, "burst", t->o.burst);
	if (t->o.peakrate != 0) {
		sn_qw_rate(w, "peakrate", t->o.peakrate);
		sn_qw_size(w, "minburst", t->o.mtu);
	}
	if (t->o.latency_ns != 0)
		sn_qw_time(w, "lat", t->o.latency_ns);
	else
		sn_qw_size(w, "limit", t->o.limit);
}

const struct sn_qdisc_ops sn_tbf_ops = {
	.id = "tbf",
	.priv_size = sizeof(struct sn_tbf),
	.static_flags = 0,
	.enqueue = sn_tbf_enqueue,
	.dequeue = sn_tbf_dequeue,
	.peek = sn_tbf_peek,
	.init = sn_tbf_init,
	.reset = sn_tbf_reset,
	.destroy = sn_tbf_destroy,
	.dump = sn_tbf_dump,
	.parse = sn_tbf_parse,
	.print = sn_tbf_print,
	.usage = "rate RATE burst BYTES ( latency TIME | limit BYTES ) "
		 "[ peakrate RATE mtu BYTES ]",
};
