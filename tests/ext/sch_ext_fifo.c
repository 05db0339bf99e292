/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * extfifo: a queueing discipline written outside libsoftnet, against the
 * discipline SDK (sn_sched.h) only, and loaded into the softnet app as an
 * EAL plugin (`-d sch_ext_fifo.so`). Its constructor registers it with
 * sn_qdisc_register(); from then on the app's `qdisc add ... root extfifo`,
 * `show qdisc` (text and JSON), `help qdisc` and telemetry use it through
 * the library's registry, with no change to the app.
 *
 * A packet FIFO: `limit N` packets (default 64), and `mark`, which stamps
 * every packet it hands out (mbuf hash.usr) and counts them, to show a
 * discipline's own option and its own counter (tc -s's xstats).
 *
 * Locking: enqueue, dequeue, peek and reset run under the root lock (the
 * discipline is not NOLOCK-capable), so the FIFO is a plain array.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include <sn_sched.h>

#define EXT_FIFO_DEFAULT_LIMIT 64u
#define EXT_FIFO_LIMIT_MAX 65536u
#define EXT_FIFO_MARK 0x5e7f1f0u

/* Its own options, kept in sn_qdisc_params::opts; zero means the defaults. */
struct ext_fifo_opts {
	uint32_t limit; /* packets, 0: EXT_FIFO_DEFAULT_LIMIT */
	bool mark;
};

static_assert(sizeof(struct ext_fifo_opts) <= SN_QDISC_OPTS_SIZE, "options fit params.opts");

struct ext_fifo {
	struct ext_fifo_opts o;
	uint32_t limit;
	uint32_t head, len;   /* the FIFO: slots[head .. head + len) mod limit */
	uint64_t marked;      /* packets stamped on their way out */
	uint64_t peak;        /* longest the queue has been */
	struct rte_mbuf **slots;
};

static int
ext_fifo_parse(struct sn_qdisc_params *p, int argc, const char *const argv[], char *err,
	       size_t errlen)
{
	struct ext_fifo_opts *o = (struct ext_fifo_opts *)p->opts;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "mark") == 0) {
			o->mark = true;
		} else if (strcmp(argv[i], "limit") == 0) {
			char *end;
			unsigned long v;

			if (i + 1 == argc)
				return sn_qdisc_parse_error(err, errlen, "limit: missing value "
							    "(PACKETS)");
			i++;
			v = strtoul(argv[i], &end, 10);
			if (argv[i][0] < '0' || argv[i][0] > '9' || *end != '\0' || v < 1 ||
			    v > EXT_FIFO_LIMIT_MAX)
				return sn_qdisc_parse_error(err, errlen, "limit: '%s' is not a "
							    "packet count 1..%u", argv[i],
							    EXT_FIFO_LIMIT_MAX);
			o->limit = (uint32_t)v;
		} else {
			return sn_qdisc_parse_error(err, errlen, "%s: unknown extfifo parameter "
						    "(extfifo [ limit PACKETS ] [ mark ])", argv[i]);
		}
	}
	return 0;
}

static int
ext_fifo_init(struct sn_qdisc *q, const struct sn_qdisc_params *p)
{
	struct ext_fifo *f = sn_qdisc_priv(q);

	memcpy(&f->o, p->opts, sizeof(f->o));
	f->limit = f->o.limit ? f->o.limit : EXT_FIFO_DEFAULT_LIMIT;
	f->slots = rte_zmalloc("extfifo", sizeof(f->slots[0]) * f->limit, 0);
	return f->slots == NULL ? -ENOMEM : 0;
}

static uint16_t
ext_fifo_enqueue(struct sn_qdisc *q, struct sn_softnet *sd, struct rte_mbuf **pkts, uint16_t n,
		 uint32_t bytes)
{
	struct ext_fifo *f = sn_qdisc_priv(q);
	uint16_t k = (uint16_t)RTE_MIN((uint32_t)n, f->limit - f->len);
	uint64_t kbytes = bytes;

	if (k < n) {
		kbytes = 0;
		for (uint16_t i = 0; i < k; i++)
			kbytes += rte_pktmbuf_pkt_len(pkts[i]);
		for (uint16_t i = k; i < n; i++)
			sn_qdisc_drop(q, sd, pkts[i]);
	}
	for (uint16_t i = 0; i < k; i++)
		f->slots[(f->head + f->len + i) % f->limit] = pkts[i];
	f->len += k;
	f->peak = RTE_MAX(f->peak, (uint64_t)f->len);
	sn_qdisc_account_enqueue(q, k, kbytes);
	return k;
}

static uint16_t
ext_fifo_dequeue(struct sn_qdisc *q, struct sn_softnet *sd __rte_unused,
		struct rte_mbuf **pkts, uint16_t n)
{
	struct ext_fifo *f = sn_qdisc_priv(q);
	uint16_t k = (uint16_t)RTE_MIN((uint32_t)n, f->len);

	for (uint16_t i = 0; i < k; i++) {
		pkts[i] = f->slots[f->head];
		f->head = (f->head + 1) % f->limit;
		if (f->o.mark)
			pkts[i]->hash.usr = EXT_FIFO_MARK;
	}
	f->len -= k;
	if (f->o.mark)
		f->marked += k;
	return k;
}

static struct rte_mbuf *
ext_fifo_peek(struct sn_qdisc *q)
{
	struct ext_fifo *f = sn_qdisc_priv(q);

	return f->len != 0 ? f->slots[f->head] : NULL;
}

static void
ext_fifo_reset(struct sn_qdisc *q, struct sn_softnet *sd)
{
	struct ext_fifo *f = sn_qdisc_priv(q);

	while (f->len != 0) {
		sn_qdisc_drop_queued(q, sd, f->slots[f->head]);
		f->head = (f->head + 1) % f->limit;
		f->len--;
	}
}

static void
ext_fifo_destroy(struct sn_qdisc *q)
{
	struct ext_fifo *f = sn_qdisc_priv(q);

	rte_free(f->slots);
	f->slots = NULL;
}

static int
ext_fifo_dump(const struct sn_qdisc *q, struct sn_qdisc_params *p)
{
	const struct ext_fifo *f = (const struct ext_fifo *)q->priv;

	p->limit = f->limit;
	memcpy(p->opts, &f->o, sizeof(f->o));
	return 0;
}

static void
ext_fifo_print(const struct sn_qdisc *q, struct sn_qdisc_writer *w)
{
	const struct ext_fifo *f = (const struct ext_fifo *)q->priv;

	sn_qw_u64(w, "limit", f->limit);
	if (f->o.mark)
		sn_qw_flag(w, "mark");
}

static void
ext_fifo_print_stats(const struct sn_qdisc *q, struct sn_qdisc_writer *w)
{
	const struct ext_fifo *f = (const struct ext_fifo *)q->priv;

	sn_qw_u64(w, "marked", f->marked);
	sn_qw_u64(w, "peak", f->peak);
}

static const struct sn_qdisc_ops ext_fifo_ops = {
	.id = "extfifo",
	.priv_size = sizeof(struct ext_fifo),
	.enqueue = ext_fifo_enqueue,
	.dequeue = ext_fifo_dequeue,
	.peek = ext_fifo_peek,
	.init = ext_fifo_init,
	.reset = ext_fifo_reset,
	.destroy = ext_fifo_destroy,
	.dump = ext_fifo_dump,
	.parse = ext_fifo_parse,
	.print = ext_fifo_print,
	.print_stats = ext_fifo_print_stats,
	.usage = "[ limit PACKETS ] [ mark ]",
};

RTE_INIT(ext_fifo_register)
{
	int rc = sn_qdisc_register(&ext_fifo_ops);

	if (rc != 0)
		RTE_LOG(ERR, USER1, "extfifo: sn_qdisc_register: %s\n", strerror(-rc));
}
