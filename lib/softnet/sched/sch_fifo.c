/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pfifo and bfifo: one FIFO with a limit in packets (pfifo) or bytes (bfifo).
 * A packet that would exceed the limit is dropped and counted.
 *
 * Defaults, as the kernel's: pfifo holds txqueuelen (1000) packets; bfifo
 * holds txqueuelen * MTU bytes. bfifo's ring also bounds the packet count
 * at limit / 64 (the smallest Ethernet frame), so tiny frames may be dropped
 * for lack of slots before the byte limit is reached; both count as drops.
 */

#include <errno.h>
#include <string.h>

#include <rte_errno.h>

#include "sched_private.h"
#include "sch_ring.h"

#define SN_TXQUEUELEN 1000
#define SN_FIFO_MIN_FRAME 64
#define SN_PFIFO_LIMIT_MAX (1u << 24)
#define SN_BFIFO_LIMIT_MAX (1u << 30)

struct sn_fifo {
	struct rte_ring *ring;
	uint32_t limit; /* packets (pfifo) or bytes (bfifo) */
};

static int
sn_fifo_init_common(struct sn_qdisc *q, const char *kind, uint32_t limit, uint32_t slots)
{
	struct sn_fifo *f = sn_qdisc_priv(q);

	f->limit = limit;
	f->ring = sn_sch_ring_create(q, kind, slots);
	return f->ring == NULL ? -rte_errno : 0;
}

static int
sn_pfifo_init(struct sn_qdisc *q, const struct sn_qdisc_params *p)
{
	uint32_t limit = p->limit ? p->limit : SN_TXQUEUELEN;

	if (limit > SN_PFIFO_LIMIT_MAX)
		return -EINVAL;
	return sn_fifo_init_common(q, "pfifo", limit, limit);
}

static int
sn_bfifo_init(struct sn_qdisc *q, const struct sn_qdisc_params *p)
{
	uint32_t limit = p->limit ? p->limit : SN_TXQUEUELEN * sn_netdev_mtu(q->dev);

	if (limit < SN_FIFO_MIN_FRAME || limit > SN_BFIFO_LIMIT_MAX)
		return -EINVAL;
	return sn_fifo_init_common(q, "bfifo", limit, limit / SN_FIFO_MIN_FRAME);
}

static uint16_t
sn_pfifo_enqueue(struct sn_qdisc *q, struct sn_softnet *sd, struct rte_mbuf **pkts, uint16_t n,
		 uint32_t bytes)
{
	struct sn_fifo *f = sn_qdisc_priv(q);

	return sn_sch_ring_enqueue(q, sd, f->ring, pkts, n, bytes);
}

static uint16_t
sn_bfifo_enqueue(struct sn_qdisc *q, struct sn_softnet *sd, struct rte_mbuf **pkts, uint16_t n,
		 uint32_t bytes)
{
	struct sn_fifo *f = sn_qdisc_priv(q);
	/* Root lock held: bfifo is not NOLOCK-capable, its limit needs an exact backlog. */
	const uint64_t backlog0 = q->qstats.backlog;
	uint64_t backlog = backlog0;
	uint16_t k = 0;

	if (likely(backlog + bytes <= f->limit))
		return sn_sch_ring_enqueue(q, sd, f->ring, pkts, n, bytes);

	/* Per packet, as the kernel: a later, smaller packet may still fit. */
	for (uint16_t i = 0; i < n; i++) {
		uint32_t len = rte_pktmbuf_pkt_len(pkts[i]);

		if (backlog + len <= f->limit) {
			backlog += len;
			pkts[k++] = pkts[i];
		} else {
			sn_qdisc_drop(q, sd, pkts[i]);
		}
	}
	return sn_sch_ring_enqueue(q, sd, f->ring, pkts, k, (uint32_t)(backlog - backlog0));
}

static uint16_t
sn_fifo_dequeue(struct sn_qdisc *q, struct sn_softnet *sd __rte_unused,
		struct rte_mbuf **pkts, uint16_t n)
{
	struct sn_fifo *f = sn_qdisc_priv(q);

	return (uint16_t)rte_ring_sc_dequeue_burst(f->ring, (void **)pkts, n, NULL);
}

static struct rte_mbuf *
sn_fifo_peek(struct sn_qdisc *q)
{
	struct sn_fifo *f = sn_qdisc_priv(q);

	return sn_sch_ring_peek(f->ring);
}

static void
sn_fifo_reset(struct sn_qdisc *q, struct sn_softnet *sd)
{
	struct sn_fifo *f = sn_qdisc_priv(q);

	sn_sch_ring_purge(q, sd, f->ring);
}

static void
sn_fifo_destroy(struct sn_qdisc *q)
{
	struct sn_fifo *f = sn_qdisc_priv(q);

	sn_sch_ring_free(f->ring);
}

static int
sn_fifo_dump(const struct sn_qdisc *q, struct sn_qdisc_params *p)
{
	const struct sn_fifo *f = (const struct sn_fifo *)q->priv;

	p->limit = f->limit;
	return 0;
}

/*
 * tc's q_fifo.c words: `limit N`, packets for pfifo. tc reads both limits
 * with get_size(); a pfifo limit in "kb" makes no sense, so pfifo takes a
 * plain number and bfifo tc's sizes. Given twice is refused: a typo.
 */
static int
sn_fifo_parse(const struct sn_qdisc_ops *ops, struct sn_qdisc_params *p, int argc,
	      const char *const argv[], char *err, size_t errlen)
{
	const bool bytes = ops == &sn_bfifo_ops;
	bool has_limit = false;

	for (int i = 0; i < argc; i++) {
		const char *v;
		uint64_t sz;
		int rc;

		if (strcmp(argv[i], "limit") != 0)
			return sn_parse_unknown(ops, argv[i], err, errlen);
		if (has_limit)
			return sn_parse_twice("limit", err, errlen);
		has_limit = true;
		rc = sn_parse_value(argc, argv, &i, bytes ? "BYTES" : "PACKETS", err, errlen, &v);
		if (rc != 0)
			return rc;
		if (!bytes) {
			rc = sn_parse_u32("limit", v, 1, SN_PFIFO_LIMIT_MAX, &p->limit, err,
					  errlen);
			if (rc != 0)
				return rc;
			continue;
		}
		if (sn_tc_parse_size(v, &sz) != 0)
			return sn_qdisc_parse_error(err, errlen,
						    "limit: '%s' is not a size (BYTES, e.g. 1514, "
						    "64kb, 1mb)", v);
		/* Under one minimum frame the ring would have no slot at all. */
		if (sz < SN_FIFO_MIN_FRAME || sz > SN_BFIFO_LIMIT_MAX)
			return sn_qdisc_parse_error(err, errlen,
						    "limit: %s is out of range %u..%u (bytes)", v,
						    SN_FIFO_MIN_FRAME, SN_BFIFO_LIMIT_MAX);
		p->limit = (uint32_t)sz;
	}
	return 0;
}

static int
sn_pfifo_parse(struct sn_qdisc_params *p, int argc, const char *const argv[], char *err,
	       size_t errlen)
{
	return sn_fifo_parse(&sn_pfifo_ops, p, argc, argv, err, errlen);
}

static int
sn_bfifo_parse(struct sn_qdisc_params *p, int argc, const char *const argv[], char *err,
	       size_t errlen)
{
	return sn_fifo_parse(&sn_bfifo_ops, p, argc, argv, err, errlen);
}

/* tc prints "limit 1000p"; we print the bare number, which parses back. */
static void
sn_pfifo_print(const struct sn_qdisc *q, struct sn_qdisc_writer *w)
{
	const struct sn_fifo *f = (const struct sn_fifo *)q->priv;

	sn_qw_u64(w, "limit", f->limit);
}

static void
sn_bfifo_print(const struct sn_qdisc *q, struct sn_qdisc_writer *w)
{
	const struct sn_fifo *f = (const struct sn_fifo *)q->priv;

	sn_qw_size(w, "limit", f->limit);
}

const struct sn_qdisc_ops sn_pfifo_ops = {
	.id = "pfifo",
	.priv_size = sizeof(struct sn_fifo),
	.static_flags = SN_QDISC_F_CAN_BYPASS | SN_QDISC_F_NOLOCK_CAPABLE,
	.enqueue = sn_pfifo_enqueue,
	.dequeue = sn_fifo_dequeue,
	.peek = sn_fifo_peek,
	.init = sn_pfifo_init,
	.reset = sn_fifo_reset,
	.destroy = sn_fifo_destroy,
	.dump = sn_fifo_dump,
	.parse = sn_pfifo_parse,
	.print = sn_pfifo_print,
	.usage = "[ limit PACKETS ]",
};

const struct sn_qdisc_ops sn_bfifo_ops = {
	.id = "bfifo",
	.priv_size = sizeof(struct sn_fifo),
	.static_flags = SN_QDISC_F_CAN_BYPASS,
	.enqueue = sn_bfifo_enqueue,
	.dequeue = sn_fifo_dequeue,
	.peek = sn_fifo_peek,
	.init = sn_bfifo_init,
	.reset = sn_fifo_reset,
	.destroy = sn_fifo_destroy,
	.dump = sn_fifo_dump,
	.parse = sn_bfifo_parse,
	.print = sn_bfifo_print,
	.usage = "[ limit BYTES ]",
};
