/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Describing a qdisc, as `tc [-s] [-j] qdisc show` does (tc_qdisc.c's
 * print_qdisc): the writer behind the disciplines' print ops, with three
 * backends, and sn_qdisc_print() / sn_qdisc_print_tel() on top.
 *
 * A discipline's print op writes each parameter once with the helper for
 * its unit (sn_qw_rate(), sn_qw_time(), ...); the backend chooses the form:
 * tc's text (" rate 1Mbit"), JSON members ("rate": 125000) or entries of a
 * telemetry dictionary. So the three outputs cannot disagree, and no front
 * end knows a discipline's parameters.
 *
 * Control path: describing takes the control mutex and the root lock, and the
 * print ops run under the root lock as they must (sn_sched.h); the text
 * backends do nothing but snprintf there, the telemetry one also allocates
 * its containers (malloc, bounded by the number of parameters).
 */

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_telemetry.h>

#include "sched_private.h"
#include "sn_class.h"

enum sn_qw_backend {
	SN_QW_TEXT, /* tc's text: " key value" */
	SN_QW_JSON, /* members of a JSON object: "key": value */
	SN_QW_TEL,  /* entries of an rte_tel_data dictionary */
};

/* Nesting the describer uses: the qdisc's object, then options or xstats. */
#define SN_QW_DEPTH 4

struct sn_qdisc_writer {
	enum sn_qw_backend backend;
	/* Text and JSON: the text so far. */
	struct sn_strbuf out;
	bool first; /* JSON: no member yet in the open object */
	/* Telemetry: the open dictionary and those it is nested in. */
	struct rte_tel_data *tel[SN_QW_DEPTH];
	unsigned int depth;
	unsigned int lost; /* opens that failed: their closes pop nothing */
	int err; /* first error (-ENOMEM from telemetry) */
};

void
sn_strbuf_vprintf(struct sn_strbuf *b, const char *fmt, va_list ap)
{
	size_t room;
	char *at = sn_strbuf_room(b, &room);
	int n = vsnprintf(at, room, fmt, ap);

	if (n > 0)
		b->used += (size_t)n;
}

void
sn_strbuf_printf(struct sn_strbuf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sn_strbuf_vprintf(b, fmt, ap);
	va_end(ap);
}

static void __attribute__((format(printf, 2, 3)))
sn_qw_printf(struct sn_qdisc_writer *w, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sn_strbuf_vprintf(&w->out, fmt, ap);
	va_end(ap);
}

/* A JSON string, escaped (names and words are plain, but never emit broken JSON). */
static void
sn_qw_json_string(struct sn_qdisc_writer *w, const char *s)
{
	sn_qw_printf(w, "\"");
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			sn_qw_printf(w, "\\%c", c);
		else if (c < 0x20)
			sn_qw_printf(w, "\\u%04x", c);
		else
			sn_qw_printf(w, "%c", c);
	}
	sn_qw_printf(w, "\"");
}

/* Start a member: text " key", JSON [", "]"key": ; telemetry has nothing to write. */
static void
sn_qw_key(struct sn_qdisc_writer *w, const char *key)
{
	if (w->backend == SN_QW_TEXT) {
		sn_qw_printf(w, " %s", key);
	} else if (w->backend == SN_QW_JSON) {
		if (!w->first)
			sn_qw_printf(w, ", ");
		w->first = false;
		sn_qw_json_string(w, key);
		sn_qw_printf(w, ": ");
	}
}

static struct rte_tel_data *
sn_qw_dict(struct sn_qdisc_writer *w)
{
	return w->tel[w->depth];
}

static void
sn_qw_tel_rc(struct sn_qdisc_writer *w, int rc)
{
	/* -E2BIG: a string cut to RTE_TEL_MAX_STRING_LEN, still there; keep going. */
	if (rc < 0 && rc != -E2BIG && w->err == 0)
		w->err = rc;
}

void
sn_qw_u64(struct sn_qdisc_writer *w, const char *key, uint64_t v)
{
	if (w == NULL || key == NULL)
		return;
	if (w->backend == SN_QW_TEL) {
		sn_qw_tel_rc(w, rte_tel_data_add_dict_u64(sn_qw_dict(w), key, v));
		return;
	}
	sn_qw_key(w, key);
	sn_qw_printf(w, w->backend == SN_QW_TEXT ? " %" PRIu64 : "%" PRIu64, v);
}

void
sn_qw_str(struct sn_qdisc_writer *w, const char *key, const char *v)
{
	if (w == NULL || key == NULL || v == NULL)
		return;
	if (w->backend == SN_QW_TEL) {
		sn_qw_tel_rc(w, rte_tel_data_add_dict_string(sn_qw_dict(w), key, v));
		return;
	}
	sn_qw_key(w, key);
	if (w->backend == SN_QW_TEXT)
		sn_qw_printf(w, " %s", v);
	else
		sn_qw_json_string(w, v);
}

void
sn_qw_flag(struct sn_qdisc_writer *w, const char *key)
{
	if (w == NULL || key == NULL)
		return;
	if (w->backend == SN_QW_TEL) {
		/* Telemetry has no boolean in 22.11: 1, as its other switches. */
		sn_qw_tel_rc(w, rte_tel_data_add_dict_int(sn_qw_dict(w), key, 1));
		return;
	}
	sn_qw_key(w, key);
	if (w->backend == SN_QW_JSON)
		sn_qw_printf(w, "true");
}

/* A value with a unit: text takes @text, JSON and telemetry the number. */
static void
sn_qw_unit(struct sn_qdisc_writer *w, const char *key, uint64_t v, const char *text)
{
	if (w->backend == SN_QW_TEXT) {
		sn_qw_key(w, key);
		sn_qw_printf(w, " %s", text);
	} else {
		sn_qw_u64(w, key, v);
	}
}

void
sn_qw_rate(struct sn_qdisc_writer *w, const char *key, uint64_t bytes_per_sec)
{
	char text[48] = "";

	if (w == NULL || key == NULL)
		return;
	if (w->backend == SN_QW_TEXT)
		sn_tc_format_rate(text, sizeof(text), bytes_per_sec);
	sn_qw_unit(w, key, bytes_per_sec, text);
}

void
sn_qw_size(struct sn_qdisc_writer *w, const char *key, uint64_t bytes)
{
	char text[32] = "";

	if (w == NULL || key == NULL)
		return;
	if (w->backend == SN_QW_TEXT)
		sn_tc_format_size(text, sizeof(text), bytes);
	sn_qw_unit(w, key, bytes, text);
}

void
sn_qw_time(struct sn_qdisc_writer *w, const char *key, uint64_t ns)
{
	char text[48];

	if (w == NULL || key == NULL)
		return;
	switch (w->backend) {
	case SN_QW_TEXT:
		sn_tc_format_time(text, sizeof(text), ns);
		sn_qw_key(w, key);
		sn_qw_printf(w, " %s", text);
		break;
	case SN_QW_JSON:
		/* Microseconds as tc's JSON; exact, so a fraction when there is one. */
		sn_qw_key(w, key);
		if (ns % 1000 == 0)
			sn_qw_printf(w, "%" PRIu64, ns / 1000);
		else
			sn_qw_printf(w, "%" PRIu64 ".%03" PRIu64, ns / 1000, ns % 1000);
		break;
	case SN_QW_TEL:
		/* Telemetry has integers only: whole microseconds. */
		sn_qw_tel_rc(w, rte_tel_data_add_dict_u64(sn_qw_dict(w), key, ns / 1000));
		break;
	}
}

void
sn_qw_u8_list(struct sn_qdisc_writer *w, const char *key, const uint8_t *v, unsigned int n)
{
	struct rte_tel_data *a;

	if (w == NULL || key == NULL || (v == NULL && n != 0))
		return;
	switch (w->backend) {
	case SN_QW_TEXT:
		sn_qw_key(w, key);
		for (unsigned int i = 0; i < n; i++)
			sn_qw_printf(w, " %u", v[i]);
		break;
	case SN_QW_JSON:
		sn_qw_key(w, key);
		sn_qw_printf(w, "[");
		for (unsigned int i = 0; i < n; i++)
			sn_qw_printf(w, i == 0 ? "%u" : ", %u", v[i]);
		sn_qw_printf(w, "]");
		break;
	case SN_QW_TEL:
		a = rte_tel_data_alloc();
		if (a == NULL) {
			sn_qw_tel_rc(w, -ENOMEM);
			return;
		}
		rte_tel_data_start_array(a, RTE_TEL_U64_VAL);
		for (unsigned int i = 0; i < n && i < RTE_TEL_MAX_ARRAY_ENTRIES; i++)
			rte_tel_data_add_array_u64(a, v[i]);
		if (rte_tel_data_add_dict_container(sn_qw_dict(w), key, a, 0) != 0) {
			rte_tel_data_free(a);
			sn_qw_tel_rc(w, -ENOSPC);
		}
		break;
	}
}

/* Open a nested object (JSON) or dictionary (telemetry) under @key; text: nothing. */
static void
sn_qw_open(struct sn_qdisc_writer *w, const char *key)
{
	struct rte_tel_data *d;

	if (w->backend == SN_QW_JSON) {
		sn_qw_key(w, key);
		sn_qw_printf(w, "{");
		w->first = true;
	} else if (w->backend == SN_QW_TEL) {
		/* On failure, write into the parent rather than lose the entries. */
		d = w->depth + 1 < SN_QW_DEPTH ? rte_tel_data_alloc() : NULL;
		if (d == NULL) {
			sn_qw_tel_rc(w, -ENOMEM);
			w->lost++;
			return;
		}
		rte_tel_data_start_dict(d);
		w->tel[++w->depth] = d;
	}
}

static void
sn_qw_close(struct sn_qdisc_writer *w, const char *key)
{
	struct rte_tel_data *d;

	if (w->backend == SN_QW_JSON) {
		sn_qw_printf(w, "}");
		w->first = false;
	} else if (w->backend == SN_QW_TEL && w->lost > 0) {
		w->lost--;
	} else if (w->backend == SN_QW_TEL && w->depth > 0) {
		d = w->tel[w->depth--];
		if (rte_tel_data_add_dict_container(sn_qw_dict(w), key, d, 0) != 0) {
			rte_tel_data_free(d);
			sn_qw_tel_rc(w, -ENOSPC);
		}
	}
}

/* softnet's own switches, as sn_qdisc_parse() takes them (so text parses back). */
static void
sn_qw_switches(const struct sn_qdisc *q, struct sn_qdisc_writer *w)
{
	if (!(q->flags & SN_QDISC_F_CAN_BYPASS) && (q->ops->static_flags & SN_QDISC_F_CAN_BYPASS))
		sn_qw_flag(w, "nobypass");
	if (q->flags & SN_QDISC_F_NO_BUSYLOCK)
		sn_qw_flag(w, "nobusylock");
	if (q->flags & SN_QDISC_F_NOLOCK)
		sn_qw_flag(w, "nolock");
	if (q->flags & SN_QDISC_F_DEFER_LIST)
		sn_qw_flag(w, "deferlist");
}

static void
sn_qw_text_stats(struct sn_qdisc_writer *w, const struct sn_qdisc_stats *st)
{
	char backlog[32];

	sn_tc_format_size(backlog, sizeof(backlog), st->qstats.backlog);
	sn_qw_printf(w,
		     " Sent %" PRIu64 " bytes %" PRIu64 " pkt (dropped %" PRIu64
		     ", overlimits %" PRIu64 " requeues %" PRIu64 ")\n"
		     " backlog %s %" PRIu64 "p requeues %" PRIu64 "\n",
		     st->bstats.bytes, st->bstats.packets, st->qstats.drops,
		     st->qstats.overlimits, st->qstats.requeues, backlog, st->qstats.qlen,
		     st->qstats.requeues);
}

static void
sn_qw_counters(struct sn_qdisc_writer *w, const struct sn_qdisc_stats *st)
{
	sn_qw_u64(w, "bytes", st->bstats.bytes);
	sn_qw_u64(w, "packets", st->bstats.packets);
	sn_qw_u64(w, "drops", st->qstats.drops);
	sn_qw_u64(w, "overlimits", st->qstats.overlimits);
	sn_qw_u64(w, "requeues", st->qstats.requeues);
	sn_qw_u64(w, "backlog", st->qstats.backlog);
	sn_qw_u64(w, "qlen", st->qstats.qlen);
}

/*
 * One qdisc in the writer's layout, with @st its counters; control mutex and
 * root lock held. A root says `root`, a child `parent 1:20`.
 */
static void
sn_qdisc_describe_one(struct sn_qdisc *q, const struct sn_qdisc_stats *st, unsigned int flags,
		      struct sn_qdisc_writer *w)
{
	char handle[16], parent[16];

	sn_tc_format_handle(handle, sizeof(handle), q->handle);
	sn_tc_format_handle(parent, sizeof(parent), q->parentid);
	if (w->backend == SN_QW_TEXT) {
		sn_qw_printf(w, "qdisc %s %s dev %s txq %u ", q->ops->id, handle, q->dev->name,
			     q->txq);
		if (q->parent == NULL && q->parentid == 0)
			sn_qw_printf(w, "root");
		else
			sn_qw_printf(w, "parent %s", parent);
		if (q->ops->print != NULL)
			q->ops->print(q, w);
		sn_qw_switches(q, w);
		sn_qw_printf(w, "\n");
		if (flags & SN_QDISC_PRINT_STATS) {
			sn_qw_text_stats(w, st);
			if (q->ops->print_stats != NULL) {
				/* tc's xstats line: indented by two. */
				sn_qw_printf(w, " ");
				q->ops->print_stats(q, w);
				sn_qw_printf(w, "\n");
			}
		}
		return;
	}
	sn_qw_str(w, "kind", q->ops->id);
	sn_qw_str(w, "handle", handle);
	sn_qw_str(w, "dev", q->dev->name);
	sn_qw_u64(w, "txq", q->txq);
	if (q->parent == NULL && q->parentid == 0)
		sn_qw_flag(w, "root");
	else
		sn_qw_str(w, "parent", parent);
	sn_qw_open(w, "options");
	if (q->ops->print != NULL)
		q->ops->print(q, w);
	sn_qw_switches(q, w);
	sn_qw_close(w, "options");
	if (flags & SN_QDISC_PRINT_STATS) {
		sn_qw_counters(w, st);
		if (q->ops->print_stats != NULL) {
			sn_qw_open(w, "xstats");
			q->ops->print_stats(q, w);
			sn_qw_close(w, "xstats");
		}
	}
}

/*
 * The qdiscs below classful @q, parents first, as tc lists them: those with
 * a handle (the default pfifo of a new class has none, and tc does not show
 * it; its class does). Text: one after the other; JSON: objects of the
 * "children" array the caller opened.
 */
static void
sn_qdisc_describe_children(struct sn_qdisc *q, unsigned int flags, struct sn_qdisc_writer *w)
{
	uint32_t *ids;
	unsigned int n = sn_tree_classes(q, &ids);

	for (unsigned int i = 0; i < n; i++) {
		struct sn_qdisc *leaf = q->ops->cl_ops->leaf(q, ids[i]);
		struct sn_qdisc_stats st = { 0 };

		if (leaf == NULL)
			continue;
		if (leaf->handle != 0) {
			sn_qdisc_stats_add(&st, leaf);
			if (w->backend == SN_QW_JSON) {
				sn_qw_printf(w, "%s{", w->first ? "" : ", ");
				w->first = true;
			}
			sn_qdisc_describe_one(leaf, &st, flags, w);
			if (w->backend == SN_QW_JSON) {
				sn_qw_printf(w, "}");
				w->first = false;
			}
		}
		sn_qdisc_describe_children(leaf, flags, w);
	}
	free(ids);
}

/* A queue's tree in the writer's layout; control mutex and root lock held. */
static void
sn_qdisc_describe_locked(struct sn_txq *t, struct sn_qdisc *q, unsigned int flags,
			 struct sn_qdisc_writer *w)
{
	struct sn_qdisc_stats st = t->retired;

	sn_qdisc_stats_add(&st, q);
	sn_qdisc_describe_one(q, &st, flags, w);
	if (q->ops->cl_ops == NULL)
		return;
	/* Telemetry keeps to the root: its dictionaries nest too little for a tree. */
	if (w->backend == SN_QW_JSON) {
		sn_qw_key(w, "children");
		sn_qw_printf(w, "[");
		w->first = true;
	}
	if (w->backend != SN_QW_TEL)
		sn_qdisc_describe_children(q, flags, w);
	if (w->backend == SN_QW_JSON) {
		sn_qw_printf(w, "]");
		w->first = false;
	}
}

static int
sn_qdisc_describe(struct sn_netdev *dev, uint16_t txq, unsigned int flags,
		  struct sn_qdisc_writer *w)
{
	struct sn_softnet *sd = sn_softnet_current();
	struct sn_qdisc *q;
	struct sn_txq *t;

	if (dev == NULL)
		return -ENODEV;
	if (txq >= dev->nb_txq)
		return -EINVAL;
	/* The mutex keeps the qdisc from being retired; the root lock steadies its counters. */
	sn_ctl_lock();
	t = &dev->txqs[txq];
	q = t->qdisc_sleeping;
	if (q == NULL) {
		sn_ctl_unlock();
		return -ENODEV;
	}
	sn_ctl_qdisc_lock(sd, q);
	sn_qdisc_describe_locked(t, q, flags, w);
	sn_ctl_qdisc_unlock(sd, q);
	sn_ctl_unlock();
	return 0;
}

int
sn_qdisc_print(struct sn_netdev *dev, uint16_t txq, unsigned int flags, char *buf, size_t len)
{
	struct sn_qdisc_writer w = {
		.backend = (flags & SN_QDISC_PRINT_JSON) ? SN_QW_JSON : SN_QW_TEXT,
		.out = { .buf = buf, .len = len },
		.first = true,
	};
	int rc;

	if (buf == NULL && len != 0)
		return -EINVAL;
	if (len != 0)
		buf[0] = '\0';
	if (w.backend == SN_QW_JSON)
		sn_qw_printf(&w, "{");
	rc = sn_qdisc_describe(dev, txq, flags, &w);
	if (rc != 0) {
		if (len != 0)
			buf[0] = '\0';
		return rc;
	}
	if (w.backend == SN_QW_JSON)
		sn_qw_printf(&w, "}");
	return sn_strbuf_result(&w.out);
}

int
sn_qdisc_print_tel(struct sn_netdev *dev, uint16_t txq, unsigned int flags,
		   struct rte_tel_data *d)
{
	struct sn_qdisc_writer w = { .backend = SN_QW_TEL, .tel = { d } };
	int rc;

	if (dev == NULL)
		return -ENODEV;
	/* Checked before @d is started: a refused call leaves it as it was. */
	if (d == NULL || txq >= dev->nb_txq)
		return -EINVAL;
	rte_tel_data_start_dict(d);
	rc = sn_qdisc_describe(dev, txq, flags & SN_QDISC_PRINT_STATS, &w);
	return rc != 0 ? rc : w.err;
}

/* ---- classes (tc class show) ---- */

/* One class of @q; control mutex and root lock held. */
static void
sn_class_describe_one(struct sn_qdisc *q, uint32_t id, unsigned int flags,
		      struct sn_qdisc_writer *w)
{
	const struct sn_qdisc_class_ops *co = q->ops->cl_ops;
	struct sn_class_info ci = { 0 };
	char cid[16], parent[16], leaf[16];

	if (co->info(q, id, &ci) != 0)
		return;
	sn_tc_format_handle(cid, sizeof(cid), id);
	sn_tc_format_handle(parent, sizeof(parent), ci.parent);
	sn_tc_format_handle(leaf, sizeof(leaf), ci.leaf);
	if (w->backend == SN_QW_TEXT) {
		sn_qw_printf(w, "class %s %s ", q->ops->id, cid);
		/* tc: "root" when the discipline says so (htb's top level), else its parent. */
		if (ci.parent == SN_TC_H_ROOT)
			sn_qw_printf(w, "root");
		else
			sn_qw_printf(w, "parent %s", parent);
		if (ci.leaf != 0)
			sn_qw_printf(w, " leaf %s", leaf);
		if (co->print != NULL)
			co->print(q, id, w);
		sn_qw_printf(w, "\n");
		if (flags & SN_QDISC_PRINT_STATS) {
			sn_qw_text_stats(w, &ci.stats);
			if (co->print_stats != NULL) {
				sn_qw_printf(w, " ");
				co->print_stats(q, id, w);
				sn_qw_printf(w, "\n");
			}
		}
		return;
	}
	sn_qw_str(w, "class", q->ops->id);
	sn_qw_str(w, "handle", cid);
	if (ci.parent == SN_TC_H_ROOT)
		sn_qw_flag(w, "root");
	else
		sn_qw_str(w, "parent", parent);
	if (ci.leaf != 0)
		sn_qw_str(w, "leaf", leaf);
	sn_qw_open(w, "options");
	if (co->print != NULL)
		co->print(q, id, w);
	sn_qw_close(w, "options");
	if (flags & SN_QDISC_PRINT_STATS) {
		sn_qw_counters(w, &ci.stats);
		if (co->print_stats != NULL) {
			sn_qw_open(w, "xstats");
			co->print_stats(q, id, w);
			sn_qw_close(w, "xstats");
		}
	}
}

/* Every class of @q's tree, parents first; JSON: objects of an open array. */
static void
sn_class_describe_tree(struct sn_qdisc *q, unsigned int flags, struct sn_qdisc_writer *w)
{
	uint32_t *ids;
	unsigned int n;

	if (q->ops->cl_ops == NULL)
		return;
	n = sn_tree_classes(q, &ids);
	for (unsigned int i = 0; i < n; i++) {
		char key[16];

		/* Telemetry keys are letters, digits and '_': class 1:10 is "1_10". */
		sn_tc_format_handle(key, sizeof(key), ids[i]);
		for (char *k = key; *k != '\0'; k++)
			if (*k == ':')
				*k = '_';
		if (w->backend == SN_QW_JSON) {
			sn_qw_printf(w, "%s{", w->first ? "" : ", ");
			w->first = true;
		} else if (w->backend == SN_QW_TEL) {
			sn_qw_open(w, key);
		}
		sn_class_describe_one(q, ids[i], flags, w);
		if (w->backend == SN_QW_JSON) {
			sn_qw_printf(w, "}");
			w->first = false;
		} else if (w->backend == SN_QW_TEL) {
			sn_qw_close(w, key);
		}
	}
	for (unsigned int i = 0; i < n; i++) {
		struct sn_qdisc *leaf = q->ops->cl_ops->leaf(q, ids[i]);

		if (leaf != NULL)
			sn_class_describe_tree(leaf, flags, w);
	}
	free(ids);
}

int
sn_class_print(struct sn_netdev *dev, uint16_t txq, unsigned int flags, char *buf, size_t len)
{
	struct sn_qdisc_writer w = {
		.backend = (flags & SN_QDISC_PRINT_JSON) ? SN_QW_JSON : SN_QW_TEXT,
		.out = { .buf = buf, .len = len },
		.first = true,
	};
	struct sn_softnet *sd = sn_softnet_current();
	struct sn_qdisc *q;

	if (dev == NULL)
		return -ENODEV;
	if (txq >= dev->nb_txq || (buf == NULL && len != 0))
		return -EINVAL;
	if (len != 0)
		buf[0] = '\0';
	sn_ctl_lock();
	q = dev->txqs[txq].qdisc_sleeping;
	if (q == NULL) {
		sn_ctl_unlock();
		return -ENODEV;
	}
	if (w.backend == SN_QW_JSON)
		sn_qw_printf(&w, "[");
	sn_ctl_qdisc_lock(sd, q);
	sn_class_describe_tree(q, flags, &w);
	sn_ctl_qdisc_unlock(sd, q);
	sn_ctl_unlock();
	if (w.backend == SN_QW_JSON)
		sn_qw_printf(&w, "]");
	return sn_strbuf_result(&w.out);
}

int
sn_class_print_tel(struct sn_netdev *dev, uint16_t txq, unsigned int flags,
		   struct rte_tel_data *d)
{
	struct sn_qdisc_writer w = { .backend = SN_QW_TEL, .tel = { d } };
	struct sn_softnet *sd = sn_softnet_current();
	struct sn_qdisc *q;

	if (dev == NULL)
		return -ENODEV;
	if (d == NULL || txq >= dev->nb_txq)
		return -EINVAL;
	sn_ctl_lock();
	q = dev->txqs[txq].qdisc_sleeping;
	if (q == NULL) {
		sn_ctl_unlock();
		return -ENODEV;
	}
	rte_tel_data_start_dict(d);
	sn_ctl_qdisc_lock(sd, q);
	sn_class_describe_tree(q, flags & SN_QDISC_PRINT_STATS, &w);
	sn_ctl_qdisc_unlock(sd, q);
	sn_ctl_unlock();
	return w.err;
}
