/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sn_qdisc_parse(): a qdisc in tc's words, the part of tc's
 * `tc qdisc add dev X root KIND [handle MAJ:] OPTIONS` after `root`.
 *
 * The framework owns the kind, `handle` and softnet's own switches; every
 * other word goes, in order, to the discipline's parse op, which knows its
 * options (tc's q_*.c parse_qopt). So the CLI, the option mode and
 * telemetry know no discipline by name: a discipline registered at run
 * time is parsed, validated and explained like a built-in one.
 *
 * No DPDK call and no allocation: usable before rte_eal_init(), and cheap
 * enough to fuzz.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sched_private.h"

/* Words one qdisc may take: more is a runaway command line, not a qdisc. */
#define SN_PARSE_MAX_WORDS 128

int
sn_qdisc_parse_error(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen != 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

int
sn_parse_value(int argc, const char *const argv[], int *i, const char *what, char *err,
	       size_t errlen, const char **val)
{
	const char *name = argv[*i];

	if (*i + 1 >= argc || argv[*i + 1] == NULL)
		return sn_qdisc_parse_error(err, errlen, "%s: missing value (%s)", name, what);
	*i += 1;
	*val = argv[*i];
	return 0;
}

int
sn_parse_u32(const char *name, const char *s, uint32_t min, uint32_t max, uint32_t *out,
	     char *err, size_t errlen)
{
	uint64_t v = 0;
	const char *c = s;

	if (*c == '\0')
		return sn_qdisc_parse_error(err, errlen, "%s: '' is not a number", name);
	for (; *c >= '0' && *c <= '9'; c++) {
		/* Saturate: a long number is out of range, not "not a number". */
		v = v > UINT32_MAX ? v : v * 10 + (uint64_t)(*c - '0');
	}
	if (*c != '\0')
		return sn_qdisc_parse_error(err, errlen, "%s: '%s' is not a number", name, s);
	if (v < min || v > max)
		return sn_qdisc_parse_error(err, errlen,
					    "%s: %s is out of range %" PRIu32 "..%" PRIu32, name, s,
					    min, max);
	*out = (uint32_t)v;
	return 0;
}

int
sn_parse_unknown(const struct sn_qdisc_ops *ops, const char *word, char *err, size_t errlen)
{
	if (ops->usage == NULL)
		return sn_qdisc_parse_error(err, errlen, "%s: %s takes no parameters", word,
					    ops->id);
	return sn_qdisc_parse_error(err, errlen, "%s: unknown %s parameter (%s %s)", word,
				    ops->id, ops->id, ops->usage);
}

int
sn_parse_twice(const char *name, char *err, size_t errlen)
{
	return sn_qdisc_parse_error(err, errlen, "%s: given twice", name);
}

/* The registered kinds, for an error: "pfifo_fast, pfifo, ..." (those with @flag if set). */
static void
sn_parse_kind_list(char *buf, size_t len, uint32_t flag)
{
	const char *names[64];
	unsigned int n = sn_qdisc_kinds(names, RTE_DIM(names));
	size_t used = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < n && i < RTE_DIM(names) && used < len; i++) {
		const struct sn_qdisc_ops *ops = sn_qdisc_lookup(names[i]);
		int w;

		if (flag != 0 && (ops == NULL || !(ops->static_flags & flag)))
			continue;
		w = snprintf(buf + used, len - used, "%s%s", used ? ", " : "", names[i]);
		if (w < 0)
			break;
		used += (size_t)w;
	}
}

/* handle MAJ: */
static int
sn_parse_handle_word(struct sn_qdisc_params *p, int argc, const char *const argv[], int *i,
		     bool *seen, char *err, size_t errlen)
{
	const char *v;
	uint32_t h;
	int rc;

	if (*seen)
		return sn_parse_twice("handle", err, errlen);
	rc = sn_parse_value(argc, argv, i, "MAJ:, hex, e.g. 1:", err, errlen, &v);
	if (rc != 0)
		return rc;
	if (sn_tc_parse_handle(v, &h) != 0 || (h & 0xffff) != 0)
		return sn_qdisc_parse_error(err, errlen, "handle: '%s' is not a qdisc handle "
					    "(MAJ:, hex, e.g. 1:)", v);
	p->handle = h;
	*seen = true;
	return 0;
}

/*
 * The framework's switches; returns 1 if @w is none of them. Whether the
 * kind can take them is checked once every word is read.
 */
static int
sn_parse_switch(struct sn_qdisc_params *p, const char *w)
{
	if (strcmp(w, "nobypass") == 0)
		p->no_bypass = true;
	else if (strcmp(w, "nobusylock") == 0)
		p->no_busylock = true;
	else if (strcmp(w, "nolock") == 0)
		p->nolock = true;
	else if (strcmp(w, "deferlist") == 0)
		p->defer_list = true;
	else
		return 1;
	return 0;
}

static int
sn_parse_check_switches(const struct sn_qdisc_ops *ops, const struct sn_qdisc_params *p,
			char *err, size_t errlen)
{
	char list[256];

	if (p->nolock && !(ops->static_flags & SN_QDISC_F_NOLOCK_CAPABLE)) {
		sn_parse_kind_list(list, sizeof(list), SN_QDISC_F_NOLOCK_CAPABLE);
		sn_qdisc_parse_error(err, errlen,
				     "nolock: %s cannot run without the root lock (only %s can)",
				     ops->id, list[0] ? list : "no kind");
		return -EOPNOTSUPP;
	}
	if (p->defer_list && ops->enqueue == NULL) {
		sn_qdisc_parse_error(err, errlen, "deferlist: %s has no queue to defer to",
				     ops->id);
		return -EOPNOTSUPP;
	}
	if (p->nolock && p->defer_list)
		return sn_qdisc_parse_error(err, errlen,
					    "nolock: excludes deferlist (nolock takes no root "
					    "lock to defer)");
	return 0;
}

int
sn_qdisc_parse(int argc, const char *const argv[], char *kind, struct sn_qdisc_params *p,
	       char *err, size_t errlen)
{
	const char *words[SN_PARSE_MAX_WORDS];
	const struct sn_qdisc_ops *ops;
	bool has_handle = false;
	char list[256];
	int n = 0, first = 0, rc;

	if (err != NULL && errlen != 0)
		err[0] = '\0';
	if (kind == NULL || p == NULL)
		return sn_qdisc_parse_error(err, errlen, "no place for the kind or parameters");
	memset(p, 0, sizeof(*p));
	kind[0] = '\0';
	/* tc takes `handle MAJ:` before the kind too: `parent 1:20 handle 20: fq_codel`. */
	if (argc >= 1 && argv != NULL && argv[0] != NULL && strcmp(argv[0], "handle") == 0) {
		rc = sn_parse_handle_word(p, argc, argv, &first, &has_handle, err, errlen);
		if (rc != 0)
			return rc;
		first++;
	}
	if (argc < first + 1 || argv == NULL || argv[first] == NULL || argv[first][0] == '\0') {
		sn_parse_kind_list(list, sizeof(list), 0);
		return sn_qdisc_parse_error(err, errlen, "missing qdisc kind (%s)", list);
	}
	ops = sn_qdisc_lookup(argv[first]);
	if (ops == NULL) {
		sn_parse_kind_list(list, sizeof(list), 0);
		sn_qdisc_parse_error(err, errlen, "%s: unknown qdisc kind (%s)", argv[first], list);
		return -ENOENT;
	}
	for (int i = first + 1; i < argc; i++) {
		const char *w = argv[i];

		if (w == NULL)
			return sn_qdisc_parse_error(err, errlen, "word %d is missing", i);
		if (strcmp(w, "handle") == 0) {
			rc = sn_parse_handle_word(p, argc, argv, &i, &has_handle, err, errlen);
			if (rc != 0)
				return rc;
		} else if (sn_parse_switch(p, w) != 0) {
			if (n == SN_PARSE_MAX_WORDS)
				return sn_qdisc_parse_error(err, errlen,
							    "%s: too many words (at most %d)", w,
							    SN_PARSE_MAX_WORDS);
			words[n++] = w;
		}
	}
	rc = sn_parse_check_switches(ops, p, err, errlen);
	if (rc != 0)
		return rc;
	if (n > 0) {
		if (ops->parse == NULL)
			return sn_parse_unknown(ops, words[0], err, errlen);
		rc = ops->parse(p, n, words, err, errlen);
		if (rc != 0) {
			/* A discipline that forgot its message still gets one line. */
			if (err != NULL && errlen != 0 && err[0] == '\0')
				snprintf(err, errlen, "%s: bad parameters (%s)", ops->id,
					 ops->usage != NULL ? ops->usage : "none");
			return rc < 0 ? rc : -EINVAL;
		}
	}
	snprintf(kind, SN_QDISC_KIND_SIZE, "%s", ops->id);
	return 0;
}
