/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mq: the multi-queue root (the kernel's sch_mq), as device state.
 *
 * The kernel's mq is a qdisc that never enqueues: at attach it gives each
 * transmit queue a qdisc of its own, the leaf of class 1:N for queue N-1,
 * and transmits go straight to their queue's qdisc, so lcores on different
 * queues never share a root lock. softnet has a root qdisc per queue
 * already, so mq here is a handle in the device (struct sn_netdev::
 * mq_handle) and each queue root's parentid, set to its class: what `tc
 * qdisc show` and `tc class show` need. The data path does not know mq
 * exists; XPS (core/xps.c) spreads lcores over the queues.
 *
 * Locking: dev->mq_handle and the roots' parentid are written under the
 * control mutex, and read under it by the describers. Replacing a queue's
 * root goes through sn_qdisc_replace() (its own grace periods), which takes
 * the mutex itself: it is never called with it held here.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sched_private.h"
#include "sn_class.h"
#include "sn_mq.h"

/* The kernel's first automatic handle (qdisc_alloc_handle()). */
#define SN_MQ_AUTO_HANDLE_FIRST 0x8001u

/*
 * Mark each queue's root as the leaf of its class (or a root again when mq
 * is gone). A root replaced by sn_qdisc_replace() comes without the mark:
 * every mq call puts it back. Control mutex held.
 */
static void
sn_mq_stamp_locked(struct sn_netdev *dev)
{
	for (uint16_t t = 0; t < dev->nb_txq; t++) {
		struct sn_qdisc *q = dev->txqs[t].qdisc_sleeping;

		if (q != NULL)
			q->parentid = dev->mq_handle != 0 ? dev->mq_handle | (uint32_t)(t + 1) : 0;
	}
}

/* mq's handle, the roots stamped, under the mutex; 0: not mq. */
static uint32_t
sn_mq_handle_stamped(struct sn_netdev *dev)
{
	uint32_t h;

	sn_ctl_lock();
	h = dev->mq_handle;
	if (h != 0)
		sn_mq_stamp_locked(dev);
	sn_ctl_unlock();
	return h;
}

/* Every queue back to the default root (sn_qdisc_delete()). */
static int
sn_mq_reset_queues(struct sn_netdev *dev, struct sn_softnet *sd)
{
	for (uint16_t t = 0; t < dev->nb_txq; t++) {
		int rc = sn_qdisc_delete(dev, t, sd);

		if (rc != 0)
			return rc;
	}
	return 0;
}

int
sn_mq_attach(struct sn_netdev *dev, uint32_t handle, struct sn_softnet *sd)
{
	int rc;

	if (dev == NULL)
		return -ENODEV;
	if ((handle & 0xffffu) != 0)
		return -EINVAL;
	/* As the kernel: mq is for multi-queue devices. */
	if (dev->nb_txq < 2)
		return -EOPNOTSUPP;
	rc = sn_ctl_caller(&sd);
	if (rc != 0)
		return rc;
	if (handle == 0)
		handle = SN_MQ_AUTO_HANDLE_FIRST << 16;
	/*
	 * The new handle first: a queue replaced below is stamped with it at
	 * once, by the next mq call if not by us.
	 */
	sn_ctl_lock();
	dev->mq_handle = handle;
	sn_ctl_unlock();
	rc = sn_mq_reset_queues(dev, sd);
	sn_ctl_lock();
	if (rc != 0)
		dev->mq_handle = 0;
	sn_mq_stamp_locked(dev);
	sn_ctl_unlock();
	if (rc == 0)
		SN_LOG(INFO, qdisc, "%s: root qdisc is now mq, %u queues\n", dev->name,
		       dev->nb_txq);
	return rc;
}

int
sn_mq_detach(struct sn_netdev *dev, struct sn_softnet *sd)
{
	int rc;

	if (dev == NULL)
		return -ENODEV;
	rc = sn_ctl_caller(&sd);
	if (rc != 0)
		return rc;
	sn_ctl_lock();
	if (dev->mq_handle == 0) {
		sn_ctl_unlock();
		return -ENOENT;
	}
	dev->mq_handle = 0;
	sn_mq_stamp_locked(dev);
	sn_ctl_unlock();
	return sn_mq_reset_queues(dev, sd);
}

int
sn_mq_get(struct sn_netdev *dev, uint32_t *handle)
{
	uint32_t h;

	if (dev == NULL)
		return -ENODEV;
	h = __atomic_load_n(&dev->mq_handle, __ATOMIC_RELAXED);
	if (h == 0)
		return -ENOENT;
	if (handle != NULL)
		*handle = h;
	return 0;
}

/* Is @h mq's or some queue root's handle (other than queue @skip's)? Mutex held. */
static bool
sn_mq_handle_taken(const struct sn_netdev *dev, uint32_t h, uint16_t skip)
{
	if (h == dev->mq_handle)
		return true;
	for (uint16_t t = 0; t < dev->nb_txq; t++) {
		const struct sn_qdisc *q = dev->txqs[t].qdisc_sleeping;

		if (t != skip && q != NULL && q->handle == h)
			return true;
	}
	return false;
}

int
sn_mq_graft(struct sn_netdev *dev, uint32_t classid, const char *kind,
	    const struct sn_qdisc_params *p, struct sn_softnet *sd)
{
	struct sn_qdisc_params params;
	uint32_t minor = classid & 0xffffu;
	uint16_t txq;
	int rc = 0;

	if (dev == NULL)
		return -ENODEV;
	rc = sn_ctl_caller(&sd);
	if (rc != 0)
		return rc;
	memset(&params, 0, sizeof(params));
	if (p != NULL)
		params = *p;
	sn_ctl_lock();
	if (dev->mq_handle == 0) {
		rc = -ENOENT;
	} else if ((classid & 0xffff0000u) != dev->mq_handle || minor == 0 ||
		   minor > dev->nb_txq) {
		rc = -EINVAL;
	} else if (kind != NULL) {
		txq = (uint16_t)(minor - 1);
		if (params.handle == 0) {
			uint32_t maj;

			for (maj = SN_MQ_AUTO_HANDLE_FIRST; maj < 0xffffu; maj++)
				if (!sn_mq_handle_taken(dev, maj << 16, txq))
					break;
			if (maj == 0xffffu)
				rc = -ENOSPC;
			params.handle = maj << 16;
		} else if (sn_mq_handle_taken(dev, params.handle, txq)) {
			rc = -EINVAL;
		}
	}
	sn_ctl_unlock();
	if (rc != 0)
		return rc;
	txq = (uint16_t)(minor - 1);
	if (kind != NULL)
		rc = sn_qdisc_replace(dev, txq, kind, &params, sd);
	else
		rc = sn_qdisc_delete(dev, txq, sd);
	/* Its class's leaf, now and for the describers. */
	sn_mq_handle_stamped(dev);
	return rc;
}

/* ---- describing ---- */

/* Queue @txq's counters: its root's, current and retired, and its handle. */
static int
sn_mq_queue_stats(struct sn_netdev *dev, uint16_t txq, struct sn_qdisc_stats *st,
		  uint32_t *leaf)
{
	struct sn_qdisc_info info;
	int rc = sn_qdisc_info(dev, txq, &info);

	/* A device that is down still has its configured qdiscs. */
	if (rc != 0 && rc != -ENETDOWN)
		return rc;
	memset(st, 0, sizeof(*st));
	sn_qdisc_stats_sum(st, &info.stats);
	sn_qdisc_stats_sum(st, &info.retired);
	if (leaf != NULL)
		*leaf = info.params.handle;
	return 0;
}

/* tc -s's two counter lines, or the JSON members. */
static void
sn_mq_counters(struct sn_strbuf *o, const struct sn_qdisc_stats *st, bool json)
{
	char backlog[32];

	if (json) {
		sn_strbuf_printf(o,
			     ", \"bytes\": %" PRIu64 ", \"packets\": %" PRIu64
			     ", \"drops\": %" PRIu64 ", \"overlimits\": %" PRIu64
			     ", \"requeues\": %" PRIu64 ", \"backlog\": %" PRIu64
			     ", \"qlen\": %" PRIu64,
			     st->bstats.bytes, st->bstats.packets, st->qstats.drops,
			     st->qstats.overlimits, st->qstats.requeues, st->qstats.backlog,
			     st->qstats.qlen);
		return;
	}
	sn_tc_format_size(backlog, sizeof(backlog), st->qstats.backlog);
	sn_strbuf_printf(o,
		     " Sent %" PRIu64 " bytes %" PRIu64 " pkt (dropped %" PRIu64
		     ", overlimits %" PRIu64 " requeues %" PRIu64 ")\n"
		     " backlog %s %" PRIu64 "p requeues %" PRIu64 "\n",
		     st->bstats.bytes, st->bstats.packets, st->qstats.drops,
		     st->qstats.overlimits, st->qstats.requeues, backlog, st->qstats.qlen,
		     st->qstats.requeues);
}

static int
sn_mq_print_check(struct sn_netdev *dev, char *buf, size_t len, uint32_t *handle)
{
	if (dev == NULL)
		return -ENODEV;
	if (buf == NULL && len != 0)
		return -EINVAL;
	if (len != 0)
		buf[0] = '\0';
	*handle = sn_mq_handle_stamped(dev);
	return *handle != 0 ? 0 : -ENOENT;
}

static int
sn_mq_done(struct sn_strbuf *o, int rc)
{
	if (rc != 0) {
		if (o->len != 0)
			o->buf[0] = '\0';
		return rc;
	}
	return sn_strbuf_result(o);
}

/*
 * Queue @txq's tree as sn_qdisc_print() describes it, its root shown as the
 * leaf of class @classid: `txq 0 parent 1:1` (JSON "parent": "1:1") where
 * the framework's describer, which knows no mq, says `root` for a qdisc
 * without a parent qdisc. Appended to @o.
 */
static int
sn_mq_append_queue(struct sn_strbuf *o, struct sn_netdev *dev, uint16_t txq, unsigned int flags,
		   uint32_t classid)
{
	const bool json = (flags & SN_QDISC_PRINT_JSON) != 0;
	char cid[16], key[48], *tmp, *at = NULL;
	int n = sn_qdisc_print(dev, txq, flags, NULL, 0), m;

	for (;;) {
		if (n < 0)
			return n;
		tmp = malloc((size_t)n + 1);
		if (tmp == NULL)
			return -ENOMEM;
		m = sn_qdisc_print(dev, txq, flags, tmp, (size_t)n + 1);
		if (m >= 0 && m <= n)
			break;
		/* Failed, or the counters grew between the two calls: again, with room. */
		free(tmp);
		n = m;
	}
	sn_tc_format_handle(cid, sizeof(cid), classid);
	/* The root's own line (text) or object (JSON) comes first: look there only. */
	if (json) {
		snprintf(key, sizeof(key), "\"txq\": %u, \"root\": true", txq);
		at = strstr(tmp, key);
		if (at != NULL) {
			*at = '\0';
			sn_strbuf_printf(o, "%s\"txq\": %u, \"parent\": \"%s\"%s", tmp, txq, cid,
				     at + strlen(key));
		}
	} else {
		size_t first = strcspn(tmp, "\n");

		snprintf(key, sizeof(key), " txq %u root", txq);
		at = strstr(tmp, key);
		if (at != NULL && (size_t)(at - tmp) < first) {
			*at = '\0';
			sn_strbuf_printf(o, "%s txq %u parent %s%s", tmp, txq, cid, at + strlen(key));
		} else {
			at = NULL;
		}
	}
	if (at == NULL)
		sn_strbuf_printf(o, "%s", tmp);
	free(tmp);
	return 0;
}

int
sn_mq_print(struct sn_netdev *dev, unsigned int flags, char *buf, size_t len)
{
	struct sn_strbuf o = { .buf = buf, .len = len };
	const bool json = (flags & SN_QDISC_PRINT_JSON) != 0;
	struct sn_qdisc_stats sum = { 0 };
	uint32_t handle;
	char h[16];
	int rc;

	rc = sn_mq_print_check(dev, buf, len, &handle);
	if (rc != 0)
		return rc;
	for (uint16_t t = 0; t < dev->nb_txq && rc == 0; t++) {
		struct sn_qdisc_stats st;

		rc = sn_mq_queue_stats(dev, t, &st, NULL);
		sn_qdisc_stats_sum(&sum, &st);
	}
	if (rc != 0)
		return sn_mq_done(&o, rc);
	sn_tc_format_handle(h, sizeof(h), handle);
	if (json) {
		sn_strbuf_printf(&o,
			     "[{\"kind\": \"mq\", \"handle\": \"%s\", \"dev\": \"%s\", "
			     "\"root\": true, \"options\": {}", h, dev->name);
		if (flags & SN_QDISC_PRINT_STATS)
			sn_mq_counters(&o, &sum, true);
		sn_strbuf_printf(&o, "}");
	} else {
		sn_strbuf_printf(&o, "qdisc mq %s dev %s root\n", h, dev->name);
		if (flags & SN_QDISC_PRINT_STATS)
			sn_mq_counters(&o, &sum, false);
	}
	for (uint16_t t = 0; t < dev->nb_txq; t++) {
		if (json)
			sn_strbuf_printf(&o, ", ");
		rc = sn_mq_append_queue(&o, dev, t, flags, handle | (uint32_t)(t + 1));
		if (rc != 0)
			return sn_mq_done(&o, rc);
	}
	if (json)
		sn_strbuf_printf(&o, "]");
	return sn_mq_done(&o, 0);
}

/* sn_class_print()'s JSON array of queue @txq, its brackets taken off, appended. */
static int
sn_mq_append_classes_json(struct sn_strbuf *o, struct sn_netdev *dev, uint16_t txq,
			  unsigned int flags)
{
	int n = sn_class_print(dev, txq, flags, NULL, 0), m;
	char *tmp;

	for (;;) {
		if (n < 0)
			return n;
		if (n <= 2) /* "[]": a classless root */
			return 0;
		tmp = malloc((size_t)n + 1);
		if (tmp == NULL)
			return -ENOMEM;
		m = sn_class_print(dev, txq, flags, tmp, (size_t)n + 1);
		if (m <= n)
			break;
		/* The counters grew between the two calls: again, with room. */
		free(tmp);
		n = m;
	}
	n = m;
	if (n > 2) {
		tmp[n - 1] = '\0';
		sn_strbuf_printf(o, ", %s", tmp + 1);
	}
	free(tmp);
	return n < 0 ? n : 0;
}

int
sn_mq_class_print(struct sn_netdev *dev, unsigned int flags, char *buf, size_t len)
{
	struct sn_strbuf o = { .buf = buf, .len = len };
	const bool json = (flags & SN_QDISC_PRINT_JSON) != 0;
	uint32_t handle;
	int rc;

	rc = sn_mq_print_check(dev, buf, len, &handle);
	if (rc != 0)
		return rc;
	if (json)
		sn_strbuf_printf(&o, "[");
	for (uint16_t t = 0; t < dev->nb_txq; t++) {
		struct sn_qdisc_stats st;
		char cid[16], leaf[16];
		uint32_t lh;

		rc = sn_mq_queue_stats(dev, t, &st, &lh);
		if (rc != 0)
			return sn_mq_done(&o, rc);
		sn_tc_format_handle(cid, sizeof(cid), handle | (uint32_t)(t + 1));
		sn_tc_format_handle(leaf, sizeof(leaf), lh);
		if (json) {
			sn_strbuf_printf(&o,
				     "%s{\"class\": \"mq\", \"handle\": \"%s\", \"root\": true, "
				     "\"leaf\": \"%s\", \"options\": {}",
				     t != 0 ? ", " : "", cid, leaf);
			if (flags & SN_QDISC_PRINT_STATS)
				sn_mq_counters(&o, &st, true);
			sn_strbuf_printf(&o, "}");
		} else {
			sn_strbuf_printf(&o, "class mq %s root leaf %s\n", cid, leaf);
			if (flags & SN_QDISC_PRINT_STATS)
				sn_mq_counters(&o, &st, false);
		}
	}
	/* Then the classes inside each queue's tree (a prio or htb leaf). */
	for (uint16_t t = 0; t < dev->nb_txq; t++) {
		if (json) {
			rc = sn_mq_append_classes_json(&o, dev, t, flags);
		} else {
			size_t room;
			char *p = sn_strbuf_room(&o, &room);
			int n = sn_class_print(dev, t, flags, p, room);

			rc = n < 0 ? n : 0;
			if (n > 0)
				o.used += (size_t)n;
		}
		if (rc != 0)
			return sn_mq_done(&o, rc);
	}
	if (json)
		sn_strbuf_printf(&o, "]");
	return sn_mq_done(&o, 0);
}

int
sn_mq_class_stats(struct sn_netdev *dev, uint32_t classid, struct sn_qdisc_stats *st)
{
	uint32_t minor = classid & 0xffffu, handle;
	int rc;

	if (dev == NULL)
		return -ENODEV;
	if (st == NULL)
		return -EINVAL;
	rc = sn_mq_get(dev, &handle);
	if (rc != 0)
		return rc;
	if ((classid & 0xffff0000u) != handle || minor == 0 || minor > dev->nb_txq)
		return -EINVAL;
	return sn_mq_queue_stats(dev, (uint16_t)(minor - 1), st, NULL);
}
