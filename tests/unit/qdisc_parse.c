/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The discipline-parameter registry: sn_qdisc_parse() takes tc's words for
 * every built-in kind (and for one registered here), refuses bad ones with
 * one line naming the word, and sn_qdisc_print() shows the qdisc in tc's
 * layout, text and JSON, with counters that add up after traffic. What is
 * printed parses back to the same parameters.
 *
 * The parsing half runs before EAL (sn_qdisc_parse() makes no DPDK call);
 * the printing half attaches parsed qdiscs to a test netdev.
 */

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_telemetry.h>

#include "sn_telemetry.h"

#include "sn_test.h"
#include "sn_test_util.h"

#define ERRLEN 256

static struct rte_mempool *mp;
static struct sn_softnet *sd;

/* Parse a space-separated command line into @kind and @p; returns the rc, @err the text. */
static int
parse(const char *line, char *kind, struct sn_qdisc_params *p, char *err)
{
	char buf[1024], *save = NULL, *w;
	const char *argv[128];
	int argc = 0;

	snprintf(buf, sizeof(buf), "%s", line);
	for (w = strtok_r(buf, " ", &save); w != NULL && argc < 128; w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	err[0] = '\0';
	return sn_qdisc_parse(argc, argv, kind, p, err, ERRLEN);
}

/* @line is refused with @rc and exactly @want as its error. */
static int
refused(const char *line, int rc, const char *want)
{
	struct sn_qdisc_params p;
	char kind[SN_QDISC_KIND_SIZE], err[ERRLEN];
	int got = parse(line, kind, &p, err);

	SN_ASSERT(got == rc, "'%s': rc %d, expected %d (%s)", line, got, rc, err);
	SN_ASSERT(strcmp(err, want) == 0, "'%s': error\n  '%s'\nexpected\n  '%s'", line, err,
		  want);
	return 0;
}

#define REFUSED(line, rc, want) do { \
	if (refused(line, rc, want) != 0) \
		return SN_TEST_FAIL; \
} while (0)

static int
test_fifo(void)
{
	struct sn_qdisc_params p;
	char kind[SN_QDISC_KIND_SIZE], err[ERRLEN];

	SN_ASSERT_EQ(parse("pfifo", kind, &p, err), 0);
	SN_ASSERT(strcmp(kind, "pfifo") == 0 && p.limit == 0, "%s %u", kind, p.limit);
	SN_ASSERT_EQ(parse("pfifo limit 100", kind, &p, err), 0);
	SN_ASSERT_EQ(p.limit, 100);
	SN_ASSERT_EQ(parse("pfifo limit 16777216", kind, &p, err), 0);
	SN_ASSERT_EQ(p.limit, 16777216);
	REFUSED("pfifo limit 0", -EINVAL, "limit: 0 is out of range 1..16777216");
	REFUSED("pfifo limit 16777217", -EINVAL, "limit: 16777217 is out of range 1..16777216");
	REFUSED("pfifo limit 99999999999999999999", -EINVAL,
		"limit: 99999999999999999999 is out of range 1..16777216");
	REFUSED("pfifo limit abc", -EINVAL, "limit: 'abc' is not a number");
	REFUSED("pfifo limit 10kb", -EINVAL, "limit: '10kb' is not a number");
	REFUSED("pfifo limit", -EINVAL, "limit: missing value (PACKETS)");
	REFUSED("pfifo limit 1 limit 2", -EINVAL, "limit: given twice");
	REFUSED("pfifo foo", -EINVAL, "foo: unknown pfifo parameter (pfifo [ limit PACKETS ])");
	REFUSED("pfifo priomap 1", -EINVAL,
		"priomap: unknown pfifo parameter (pfifo [ limit PACKETS ])");

	SN_ASSERT_EQ(parse("bfifo limit 64kb", kind, &p, err), 0);
	SN_ASSERT(strcmp(kind, "bfifo") == 0 && p.limit == 65536, "%s %u", kind, p.limit);
	SN_ASSERT_EQ(parse("bfifo limit 1500", kind, &p, err), 0);
	SN_ASSERT_EQ(p.limit, 1500);
	SN_ASSERT_EQ(parse("bfifo limit 1gb", kind, &p, err), 0);
	SN_ASSERT_EQ(p.limit, 1u << 30);
	SN_ASSERT_EQ(parse("bfifo limit 8kbit", kind, &p, err), 0);
	SN_ASSERT_EQ(p.limit, 1024);
	REFUSED("bfifo limit 32", -EINVAL, "limit: 32 is out of range 64..1073741824 (bytes)");
	REFUSED("bfifo limit 2gb", -EINVAL, "limit: 2gb is out of range 64..1073741824 (bytes)");
	REFUSED("bfifo limit 1x", -EINVAL,
		"limit: '1x' is not a size (BYTES, e.g. 1514, 64kb, 1mb)");
	REFUSED("bfifo limit", -EINVAL, "limit: missing value (BYTES)");
	REFUSED("bfifo bar 1", -EINVAL, "bar: unknown bfifo parameter (bfifo [ limit BYTES ])");
	return 0;
}

static int
test_pfifo_fast(void)
{
	static const uint8_t dflt[SN_PRIO_COUNT] = {
		1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1,
	};
	static const uint8_t map[SN_PRIO_COUNT] = {
		0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0,
	};
	struct sn_qdisc_params p;
	char kind[SN_QDISC_KIND_SIZE], err[ERRLEN];

	SN_ASSERT_EQ(parse("pfifo_fast", kind, &p, err), 0);
	SN_ASSERT(strcmp(kind, "pfifo_fast") == 0 && !p.has_priomap && p.limit == 0, "defaults");
	SN_ASSERT_EQ(parse("pfifo_fast priomap 0 1 2 0 1 2 0 1 2 0 1 2 0 1 2 0 limit 7", kind, &p,
			   err), 0);
	SN_ASSERT(p.has_priomap && memcmp(p.priomap, map, SN_PRIO_COUNT) == 0, "priomap");
	SN_ASSERT_EQ(p.limit, 7);
	/* As tc's prio: entries not given keep the default map. */
	SN_ASSERT_EQ(parse("pfifo_fast priomap 0 0 0 nobypass", kind, &p, err), 0);
	SN_ASSERT(p.has_priomap && p.priomap[0] == 0 && p.priomap[1] == 0 && p.priomap[2] == 0 &&
		  memcmp(p.priomap + 3, dflt + 3, SN_PRIO_COUNT - 3) == 0 && p.no_bypass,
		  "partial priomap");
	SN_ASSERT_EQ(parse("pfifo_fast bands 3", kind, &p, err), 0);
	REFUSED("pfifo_fast bands 4", -EINVAL, "bands: 4 is out of range 3..3");
	REFUSED("pfifo_fast priomap 0 1 3", -EINVAL, "priomap entry 2: 3 is out of range 0..2");
	REFUSED("pfifo_fast priomap 0 1 2 0 1 2 0 1 2 0 1 2 0 1 2 0 1", -EINVAL,
		"priomap: more than 16 entries (one band per priority 0..15)");
	REFUSED("pfifo_fast priomap", -EINVAL, "priomap: missing value (P0 .. P15, bands 0..2)");
	REFUSED("pfifo_fast priomap limit 5", -EINVAL,
		"priomap: missing value (P0 .. P15, bands 0..2)");
	REFUSED("pfifo_fast priomap 1 priomap 2", -EINVAL, "priomap: given twice");
	REFUSED("pfifo_fast limit 0", -EINVAL, "limit: 0 is out of range 1..16777216");
	REFUSED("pfifo_fast limit", -EINVAL, "limit: missing value (PACKETS per band)");
	REFUSED("pfifo_fast rate 1mbit", -EINVAL,
		"rate: unknown pfifo_fast parameter (pfifo_fast [ limit PACKETS ] [ bands 3 ] "
		"[ priomap P0 .. P15 ] (limit per band, P 0..2))");
	return 0;
}

static int
test_framework(void)
{
	struct sn_qdisc_params p;
	char kind[SN_QDISC_KIND_SIZE], err[ERRLEN];
	const char *argv[] = { "pfifo" };

	/* Unknown kind: the error lists the registry, in registration order. */
	{
		const char *names[64];
		unsigned int n = sn_qdisc_kinds(names, RTE_DIM(names));
		char list[512] = "", want[600];
		size_t off = 0;

		SN_ASSERT(n >= 5 && n <= RTE_DIM(names), "%u kinds", n);
		SN_ASSERT(strcmp(names[0], "pfifo_fast") == 0 && strcmp(names[4], "tbf") == 0,
			  "the built-ins come first: %s .. %s", names[0], names[4]);
		for (unsigned int i = 0; i < n; i++)
			off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s",
						i ? ", " : "", names[i]);
		snprintf(want, sizeof(want), "cake: unknown qdisc kind (%s)", list);
		REFUSED("cake rate 1mbit", -ENOENT, want);
		snprintf(want, sizeof(want), "missing qdisc kind (%s)", list);
		REFUSED("", -EINVAL, want);
		/* tc's handle before the kind. */
		SN_ASSERT_EQ(parse("handle 20: pfifo limit 7", kind, &p, err), 0);
		SN_ASSERT(strcmp(kind, "pfifo") == 0 && p.handle == 0x200000 && p.limit == 7,
			  "%s %#x %u", kind, p.handle, p.limit);
		REFUSED("handle 20:", -EINVAL, want);
	}
	REFUSED("noqueue limit 5", -EINVAL, "limit: noqueue takes no parameters");
	SN_ASSERT_EQ(parse("noqueue", kind, &p, err), 0);
	SN_ASSERT(strcmp(kind, "noqueue") == 0, "%s", kind);

	/* handle MAJ:, anywhere among the options. */
	SN_ASSERT_EQ(parse("pfifo handle 1: limit 5", kind, &p, err), 0);
	SN_ASSERT(p.handle == 0x10000 && p.limit == 5, "%#x %u", p.handle, p.limit);
	SN_ASSERT_EQ(parse("pfifo limit 5 handle ffff", kind, &p, err), 0);
	SN_ASSERT_EQ(p.handle, 0xffff0000u);
	REFUSED("pfifo handle 1:10", -EINVAL,
		"handle: '1:10' is not a qdisc handle (MAJ:, hex, e.g. 1:)");
	REFUSED("pfifo handle root", -EINVAL,
		"handle: 'root' is not a qdisc handle (MAJ:, hex, e.g. 1:)");
	REFUSED("pfifo handle", -EINVAL, "handle: missing value (MAJ:, hex, e.g. 1:)");
	REFUSED("pfifo handle 1: handle 2:", -EINVAL, "handle: given twice");

	/* softnet's switches. */
	SN_ASSERT_EQ(parse("pfifo_fast nobypass nobusylock deferlist", kind, &p, err), 0);
	SN_ASSERT(p.no_bypass && p.no_busylock && p.defer_list && !p.nolock, "switches");
	SN_ASSERT_EQ(parse("pfifo nolock", kind, &p, err), 0);
	SN_ASSERT(p.nolock, "nolock");
	SN_ASSERT_EQ(parse("noqueue nobypass nobusylock", kind, &p, err), 0);
	REFUSED("bfifo nolock", -EOPNOTSUPP,
		"nolock: bfifo cannot run without the root lock (only pfifo_fast, pfifo can)");
	REFUSED("noqueue nolock", -EOPNOTSUPP,
		"nolock: noqueue cannot run without the root lock (only pfifo_fast, pfifo can)");
	REFUSED("noqueue deferlist", -EOPNOTSUPP, "deferlist: noqueue has no queue to defer to");
	REFUSED("pfifo nolock deferlist", -EINVAL,
		"nolock: excludes deferlist (nolock takes no root lock to defer)");

	/* NULL and short error buffers, no words at all. */
	SN_ASSERT_EQ(sn_qdisc_parse(1, (const char *const[]){ "nope" }, kind, &p, NULL, 0),
		     -ENOENT);
	SN_ASSERT_EQ(sn_qdisc_parse(0, argv, kind, &p, err, ERRLEN), -EINVAL);
	SN_ASSERT_EQ(sn_qdisc_parse(1, argv, NULL, &p, err, ERRLEN), -EINVAL);
	SN_ASSERT_EQ(sn_qdisc_parse(1, argv, kind, NULL, err, ERRLEN), -EINVAL);
	SN_ASSERT_EQ(sn_qdisc_parse(3, (const char *const[]){ "pfifo", "limit", "0" }, kind, &p,
				    err, 8), -EINVAL);
	SN_ASSERT(strcmp(err, "limit: ") == 0, "cut error '%s'", err);
	return 0;
}

/*
 * Random sentences from tc's vocabulary: every answer is 0 or a documented
 * errno, a refusal always comes with one line, and a success with a kind.
 */
static int
test_random_words(void)
{
	static const char *const vocab[] = {
		"pfifo_fast", "pfifo", "bfifo", "noqueue", "tbf", "limit", "priomap", "bands",
		"handle", "nobypass", "nobusylock", "nolock", "deferlist", "0", "1", "2", "3",
		"16", "64kb", "1:", "1:1", "ffff:", "-1", "", "99999999999", "1.5", "mbit",
	};
	uint64_t seed = 0x9e3779b97f4a7c15ull;

	for (unsigned int round = 0; round < 20000; round++) {
		const char *argv[24];
		struct sn_qdisc_params p;
		char kind[SN_QDISC_KIND_SIZE], err[ERRLEN];
		int argc, rc;

		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		argc = 1 + (int)((seed >> 33) % RTE_DIM(argv));
		for (int i = 0; i < argc; i++) {
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			argv[i] = vocab[(seed >> 33) % RTE_DIM(vocab)];
		}
		err[0] = 'x';
		err[1] = '\0';
		rc = sn_qdisc_parse(argc, argv, kind, &p, err, sizeof(err));
		SN_ASSERT(rc == 0 || rc == -EINVAL || rc == -ENOENT || rc == -EOPNOTSUPP,
			  "rc %d", rc);
		if (rc == 0) {
			SN_ASSERT(sn_qdisc_lookup(kind) != NULL && err[0] == '\0', "kind '%s'",
				  kind);
			SN_ASSERT(!(p.nolock && p.defer_list) && (p.handle & 0xffff) == 0,
				  "params");
		} else {
			SN_ASSERT(err[0] != '\0' && strchr(err, '\n') == NULL && kind[0] == '\0',
				  "rc %d, error '%s'", rc, err);
		}
	}
	return 0;
}

/*
 * A discipline from outside the library, with options of its own in
 * params.opts, to show that the registry, not a list of kinds, drives
 * parsing and printing. It has no queue (noqueue's path), so it can be
 * attached without packets reaching it.
 */
struct testq_opts {
	uint64_t rate;     /* bytes per second */
	uint64_t burst;    /* bytes */
	uint64_t latency;  /* ns */
	uint8_t weights[4];
	uint8_t ecn;
	char mode[8];
};

static int
testq_parse(struct sn_qdisc_params *p, int argc, const char *const argv[], char *err,
	    size_t errlen)
{
	struct testq_opts *o = (struct testq_opts *)p->opts;

	for (int i = 0; i < argc; i++) {
		if (i + 1 < argc && strcmp(argv[i], "rate") == 0) {
			if (sn_tc_parse_rate(argv[++i], &o->rate) != 0)
				return sn_qdisc_parse_error(err, errlen, "rate: '%s' is not a rate",
							    argv[i]);
		} else if (i + 1 < argc && strcmp(argv[i], "burst") == 0) {
			if (sn_tc_parse_size(argv[++i], &o->burst) != 0)
				return sn_qdisc_parse_error(err, errlen, "burst: bad size");
		} else if (i + 1 < argc && strcmp(argv[i], "latency") == 0) {
			if (sn_tc_parse_time(argv[++i], &o->latency) != 0)
				return sn_qdisc_parse_error(err, errlen, "latency: bad time");
		} else if (strcmp(argv[i], "ecn") == 0) {
			o->ecn = 1;
		} else {
			return sn_qdisc_parse_error(err, errlen, "%s: what is it?", argv[i]);
		}
	}
	o->weights[0] = 1;
	o->weights[1] = 2;
	o->weights[2] = 3;
	o->weights[3] = 4;
	snprintf(o->mode, sizeof(o->mode), "fast");
	return 0;
}

static int
testq_init(struct sn_qdisc *q, const struct sn_qdisc_params *p)
{
	memcpy(sn_qdisc_priv(q), p->opts, sizeof(struct testq_opts));
	return 0;
}

static void
testq_print(const struct sn_qdisc *q, struct sn_qdisc_writer *w)
{
	const struct testq_opts *o = (const struct testq_opts *)q->priv;

	sn_qw_rate(w, "rate", o->rate);
	sn_qw_size(w, "burst", o->burst);
	sn_qw_time(w, "latency", o->latency);
	sn_qw_u8_list(w, "weights", o->weights, 4);
	sn_qw_str(w, "mode", o->mode);
	if (o->ecn)
		sn_qw_flag(w, "ecn");
}

static void
testq_print_stats(const struct sn_qdisc *q __rte_unused, struct sn_qdisc_writer *w)
{
	sn_qw_u64(w, "maxpacket", 1514);
	sn_qw_time(w, "delay", 1500);
}

static const struct sn_qdisc_ops testq_ops = {
	.id = "testq",
	.priv_size = sizeof(struct testq_opts),
	.init = testq_init,
	.parse = testq_parse,
	.print = testq_print,
	.print_stats = testq_print_stats,
	.usage = "[ rate RATE ] [ burst BYTES ] [ latency TIME ] [ ecn ]",
};

static int
test_registered(void)
{
	struct sn_qdisc_params p;
	char kind[SN_QDISC_KIND_SIZE], err[ERRLEN];
	const struct testq_opts *o = (const struct testq_opts *)p.opts;

	SN_ASSERT_EQ(sn_qdisc_register(&testq_ops), 0);
	SN_ASSERT_EQ(parse("testq rate 1mbit burst 32kb latency 400ms ecn handle 2:", kind, &p,
			   err), 0);
	SN_ASSERT(strcmp(kind, "testq") == 0, "%s", kind);
	SN_ASSERT(o->rate == 125000 && o->burst == 32768 && o->latency == 400000000 && o->ecn,
		  "opts %lu %lu %lu", (unsigned long)o->rate, (unsigned long)o->burst,
		  (unsigned long)o->latency);
	SN_ASSERT_EQ(p.handle, 0x20000);
	REFUSED("testq rate fast", -EINVAL, "rate: 'fast' is not a rate");
	REFUSED("testq nolock", -EOPNOTSUPP,
		"nolock: testq cannot run without the root lock (only pfifo_fast, pfifo can)");
	{
		/* The new kind is listed last, after those registered at load time. */
		const char *names[64];
		unsigned int n = sn_qdisc_kinds(names, RTE_DIM(names));
		const char *tail = ", testq)";

		SN_ASSERT(n > 0 && strcmp(names[n - 1], "testq") == 0, "testq last");
		SN_ASSERT_EQ(parse("testx", kind, &p, err), -ENOENT);
		SN_ASSERT(strncmp(err, "testx: unknown qdisc kind (pfifo_fast, pfifo, bfifo, "
			  "noqueue, tbf", 55) == 0 &&
			  strcmp(err + strlen(err) - strlen(tail), tail) == 0, "%s", err);
	}
	return 0;
}

/* ---- with EAL: attach what was parsed, print it ---- */

static int
attach(struct sn_netdev *dev, const char *line)
{
	struct sn_qdisc_params p;
	char kind[SN_QDISC_KIND_SIZE], err[ERRLEN];

	SN_ASSERT(parse(line, kind, &p, err) == 0, "'%s': %s", line, err);
	SN_ASSERT(sn_qdisc_replace(dev, 0, kind, &p, sd) == 0, "replace %s", line);
	return 0;
}

/* The first line of the text print, without its newline. */
static int
first_line(struct sn_netdev *dev, unsigned int flags, char *line, size_t len)
{
	char buf[1024];
	int n = sn_qdisc_print(dev, 0, flags, buf, sizeof(buf));
	char *nl;

	SN_ASSERT(n > 0 && (size_t)n < sizeof(buf), "print rc %d", n);
	SN_ASSERT_EQ(n, strlen(buf));
	SN_ASSERT(buf[n - 1] == '\n', "text ends with a newline: '%s'", buf);
	nl = strchr(buf, '\n');
	*nl = '\0';
	snprintf(line, len, "%s", buf);
	return 0;
}

#define LINE_IS(dev, want) do { \
	char l_[1024]; \
	if (first_line(dev, 0, l_, sizeof(l_)) != 0) \
		return SN_TEST_FAIL; \
	SN_ASSERT(strcmp(l_, want) == 0, "printed\n  '%s'\nexpected\n  '%s'", l_, want); \
} while (0)

/* The words after "root" parse back (with the kind) to what is attached. */
static int
round_trip(struct sn_netdev *dev, const char *kind)
{
	char l[1024], line[1100], k[SN_QDISC_KIND_SIZE], err[ERRLEN], h[16];
	struct sn_qdisc_params p;
	struct sn_qdisc_info info;
	const char *root;

	if (first_line(dev, 0, l, sizeof(l)) != 0)
		return SN_TEST_FAIL;
	root = strstr(l, " root");
	SN_ASSERT(root != NULL, "%s", l);
	info = sn_test_info(dev, 0);
	sn_tc_format_handle(h, sizeof(h), info.params.handle);
	snprintf(line, sizeof(line), "%s handle %s%s", kind, h, root + 5);
	SN_ASSERT(parse(line, k, &p, err) == 0, "'%s' does not parse back: %s", line, err);
	SN_ASSERT(sn_qdisc_replace(dev, 0, k, &p, sd) == 0, "replace");
	{
		char again[1024];

		if (first_line(dev, 0, again, sizeof(again)) != 0)
			return SN_TEST_FAIL;
		SN_ASSERT(strcmp(again, l) == 0, "round trip changed\n  '%s'\nto\n  '%s'", l,
			  again);
	}
	return 0;
}

static int
test_print_text(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = sn_test_netdev_create("qp0", 2);
	struct rte_mbuf *pkts[100];
	char buf[1024], small[16];
	int n;

	SN_ASSERT(dev != NULL, "create");
	/* The default qdisc, as tc shows the kernel's. */
	LINE_IS(dev, "qdisc pfifo_fast 0: dev qp0 txq 0 root bands 3 priomap 1 2 2 2 1 2 0 0 1 "
		     "1 1 1 1 1 1 1");

	if (attach(dev, "pfifo_fast handle 1: priomap 0 0 1 limit 128 nobypass") != 0)
		return SN_TEST_FAIL;
	LINE_IS(dev, "qdisc pfifo_fast 1: dev qp0 txq 0 root bands 3 priomap 0 0 1 2 1 2 0 0 1 "
		     "1 1 1 1 1 1 1 limit 128 nobypass");
	if (round_trip(dev, "pfifo_fast") != 0)
		return SN_TEST_FAIL;

	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, 100, 64, 0, 0), 0);
	SN_ASSERT_EQ(sn_xmit_burst(sd, dev, 0, pkts, 100), 100);
	sn_test_drain(sd);
	n = sn_qdisc_print(dev, 0, SN_QDISC_PRINT_STATS, buf, sizeof(buf));
	SN_ASSERT(n == (int)strlen(buf), "rc %d", n);
	SN_ASSERT(strcmp(buf, "qdisc pfifo_fast 1: dev qp0 txq 0 root bands 3 priomap 0 0 1 2 1 2 "
			      "0 0 1 1 1 1 1 1 1 1 limit 128 nobypass\n"
			      " Sent 6400 bytes 100 pkt (dropped 0, overlimits 0 requeues 0)\n"
			      " backlog 0b 0p requeues 0\n") == 0, "stats text:\n%s", buf);

	/* Replaced: the queue's counters keep those of the qdiscs it retired. */
	if (attach(dev, "pfifo limit 100 nolock") != 0)
		return SN_TEST_FAIL;
	n = sn_qdisc_print(dev, 0, SN_QDISC_PRINT_STATS, buf, sizeof(buf));
	SN_ASSERT(strstr(buf, "qdisc pfifo 0: dev qp0 txq 0 root limit 100 nolock\n Sent 6400 "
			      "bytes 100 pkt") == buf, "after replace:\n%s", buf);
	if (round_trip(dev, "pfifo") != 0)
		return SN_TEST_FAIL;

	/* A backlog shows in tc's size units: 3 x 1024 bytes queued on a stopped queue. */
	if (attach(dev, "bfifo limit 64kb handle 10:") != 0)
		return SN_TEST_FAIL;
	LINE_IS(dev, "qdisc bfifo 10: dev qp0 txq 0 root limit 64Kb");
	if (round_trip(dev, "bfifo") != 0)
		return SN_TEST_FAIL;
	sn_netdev_txq_stop(dev, 0);
	sn_local_bh_disable(sd);
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, 3, 1024, 0, 0), 0);
	SN_ASSERT_EQ(sn_xmit_burst(sd, dev, 0, pkts, 3), 3);
	n = sn_qdisc_print(dev, 0, SN_QDISC_PRINT_STATS, buf, sizeof(buf));
	SN_ASSERT(strstr(buf, " backlog 3Kb 3p requeues ") != NULL, "backlog:\n%s", buf);
	sn_local_bh_enable(sd);
	sn_netdev_txq_wake(sd, dev, 0);
	sn_test_drain(sd);

	if (attach(dev, "noqueue") != 0)
		return SN_TEST_FAIL;
	LINE_IS(dev, "qdisc noqueue 0: dev qp0 txq 0 root");

	/* Another queue is described on its own. */
	if (first_line(dev, 0, buf, sizeof(buf)) != 0)
		return SN_TEST_FAIL;
	n = sn_qdisc_print(dev, 1, 0, buf, sizeof(buf));
	SN_ASSERT(strncmp(buf, "qdisc pfifo_fast 0: dev qp0 txq 1 root bands 3", 46) == 0, "%s",
		  buf);

	/* snprintf's rules: a size query, a cut text, and the errors. */
	n = sn_qdisc_print(dev, 1, 0, NULL, 0);
	SN_ASSERT_EQ(n, strlen(buf));
	SN_ASSERT_EQ(sn_qdisc_print(dev, 1, 0, small, sizeof(small)), n);
	SN_ASSERT(strcmp(small, "qdisc pfifo_fas") == 0, "cut '%s'", small);
	SN_ASSERT_EQ(sn_qdisc_print(NULL, 0, 0, buf, sizeof(buf)), -ENODEV);
	SN_ASSERT_EQ(sn_qdisc_print(dev, 2, 0, buf, sizeof(buf)), -EINVAL);
	SN_ASSERT_EQ(sn_qdisc_print(dev, 0, 0, NULL, 10), -EINVAL);
	return sn_test_dev_done(dev, sd, mp, base);
}

/*
 * One request to this process's telemetry socket, as dpdk-telemetry.py
 * sends it. Its nested dictionaries are freed by the library once encoded,
 * so this is also the one leak-free way to exercise the telemetry backend.
 * Returns 0, or -ENOENT when telemetry is off (then the test skips).
 */
static int
tel_query(const char *cmd, char *out, size_t len)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = 5 };
	char greeting[1024];
	int fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	ssize_t n;

	if (fd < 0)
		return -ENOENT;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/dpdk_telemetry.v2",
		 rte_eal_get_runtime_dir());
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0 ||
	    read(fd, greeting, sizeof(greeting)) <= 0) {
		close(fd);
		return -ENOENT;
	}
	n = write(fd, cmd, strlen(cmd));
	n = n == (ssize_t)strlen(cmd) ? read(fd, out, len - 1) : -1;
	close(fd);
	if (n <= 0)
		return -EIO;
	out[n] = '\0';
	return 0;
}

/* /softnet/qdisc: the testq on qp1 as the telemetry backend writes it. */
static int
test_telemetry(void)
{
	char out[8192];
	int rc;

	SN_ASSERT_EQ(sn_telemetry_register(), 0);
	rc = tel_query("/softnet/qdisc,qp1", out, sizeof(out));
	if (rc == -ENOENT)
		return SN_TEST_SKIP;
	SN_ASSERT_EQ(rc, 0);
	/* The socket's JSON is DPDK's, without spaces. */
	SN_ASSERT(strstr(out, "\"txq0\":{\"kind\":\"testq\",\"handle\":\"2:\",\"dev\":\"qp1\","
			      "\"txq\":0,\"root\":1,\"options\":{\"rate\":125000,\"burst\":32768,"
			      "\"latency\":400000,\"weights\":[1,2,3,4],\"mode\":\"fast\","
			      "\"ecn\":1},"
			      "\"bytes\":1000,\"packets\":10,\"drops\":0,\"overlimits\":0,"
			      "\"requeues\":0,\"backlog\":0,\"qlen\":0,"
			      "\"xstats\":{\"maxpacket\":1514,\"delay\":1}}") != NULL,
		  "telemetry:\n%s", out);
	/* A bad request gets a usage hint, not null. */
	SN_ASSERT_EQ(tel_query("/softnet/qdisc", out, sizeof(out)), 0);
	SN_ASSERT(strstr(out, "\"error\":\"missing device\",\"usage\":") != NULL, "%s", out);
	SN_ASSERT_EQ(tel_query("/softnet/qdisc,nosuchdev", out, sizeof(out)), 0);
	SN_ASSERT(strstr(out, "\"error\":\"no such device\"") != NULL, "%s", out);
	return 0;
}

static int
test_print_json(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = sn_test_netdev_create("qp1", 1);
	struct rte_mbuf *pkts[10];
	char buf[2048];
	int n;

	SN_ASSERT(dev != NULL, "create");
	if (attach(dev, "pfifo_fast handle 1: priomap 0 0 1 nobusylock") != 0)
		return SN_TEST_FAIL;
	n = sn_qdisc_print(dev, 0, SN_QDISC_PRINT_JSON, buf, sizeof(buf));
	SN_ASSERT(n == (int)strlen(buf), "rc %d", n);
	SN_ASSERT(strcmp(buf, "{\"kind\": \"pfifo_fast\", \"handle\": \"1:\", \"dev\": \"qp1\", "
			      "\"txq\": 0, \"root\": true, \"options\": {\"bands\": 3, "
			      "\"priomap\": [0, 0, 1, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1], "
			      "\"nobusylock\": true}}") == 0, "json:\n%s", buf);

	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, 10, 100, 0, 0), 0);
	SN_ASSERT_EQ(sn_xmit_burst(sd, dev, 0, pkts, 10), 10);
	sn_test_drain(sd);
	n = sn_qdisc_print(dev, 0, SN_QDISC_PRINT_JSON | SN_QDISC_PRINT_STATS, buf, sizeof(buf));
	SN_ASSERT(n == (int)strlen(buf) && buf[n - 1] == '}', "rc %d: %s", n, buf);
	SN_ASSERT(strstr(buf, "\"nobusylock\": true}, \"bytes\": 1000, \"packets\": 10, "
			      "\"drops\": 0, \"overlimits\": 0, \"requeues\": 0, \"backlog\": 0, "
			      "\"qlen\": 0}") != NULL, "json stats:\n%s", buf);

	/* A discipline's own units and counters: JSON takes numbers, text tc's units. */
	if (attach(dev, "testq rate 1mbit burst 32kb latency 400ms ecn handle 2:") != 0)
		return SN_TEST_FAIL;
	n = sn_qdisc_print(dev, 0, SN_QDISC_PRINT_STATS, buf, sizeof(buf));
	SN_ASSERT(strstr(buf, "qdisc testq 2: dev qp1 txq 0 root rate 1Mbit burst 32Kb "
			      "latency 400ms weights 1 2 3 4 mode fast ecn\n"
			      " Sent 1000 bytes 10 pkt") == buf,
		  "testq text:\n%s", buf);
	SN_ASSERT(strstr(buf, "requeues 0\n  maxpacket 1514 delay 1.5us\n") != NULL,
		  "xstats line:\n%s", buf);
	n = sn_qdisc_print(dev, 0, SN_QDISC_PRINT_STATS | SN_QDISC_PRINT_JSON, buf, sizeof(buf));
	SN_ASSERT(strstr(buf, "\"options\": {\"rate\": 125000, \"burst\": 32768, \"latency\": "
			      "400000, \"weights\": [1, 2, 3, 4], \"mode\": \"fast\", "
			      "\"ecn\": true}") != NULL, "testq json:\n%s", buf);
	SN_ASSERT(strstr(buf, "\"qlen\": 0, \"xstats\": {\"maxpacket\": 1514, \"delay\": 1.500}}")
		  != NULL, "testq json xstats:\n%s", buf);

	/* The telemetry backend refuses without touching the reply. */
	{
		struct rte_tel_data *d = rte_tel_data_alloc();

		SN_ASSERT(d != NULL, "alloc");
		SN_ASSERT_EQ(sn_qdisc_print_tel(dev, 3, 0, d), -EINVAL);
		SN_ASSERT_EQ(sn_qdisc_print_tel(NULL, 0, 0, d), -ENODEV);
		SN_ASSERT_EQ(sn_qdisc_print_tel(dev, 0, 0, NULL), -EINVAL);
		rte_tel_data_free(d);
	}
	SN_RUN(test_telemetry);
	return sn_test_dev_done(dev, sd, mp, base);
}

int
main(void)
{
	/* Before EAL: the registry holds the built-in kinds from load time. */
	SN_RUN(test_fifo);
	SN_RUN(test_pfifo_fast);
	SN_RUN(test_framework);
	SN_RUN(test_random_words);
	SN_RUN(test_registered);

	sn_test_init("qdisc_parse", "0", NULL);
	mp = sn_test_pool("qdisc_parse", 256);
	sd = sn_softnet_attach();
	if (mp == NULL || sd == NULL)
		return SN_TEST_FAIL;
	SN_RUN(test_print_text);
	SN_RUN(test_print_json);
	sn_softnet_detach(sd);
	if (sn_test_pool_check(mp, 0) != 0)
		return SN_TEST_FAIL;
	sn_test_fini();
	return SN_TEST_PASS;
}
