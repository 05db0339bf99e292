/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Classful qdiscs: children, classes, classification, and the control calls
 * behind `tc class ...` and `tc qdisc ... parent X:Y` (the kernel's
 * sch_api.c tc_ctl_tclass / qdisc_graft, re-done for softnet's trees).
 *
 * A tree hangs off one transmit queue's root qdisc. Its shape (which
 * classes exist, which qdisc each leaf holds) changes only under the control
 * mutex, and, where the data path can see it, under the root lock too; so a
 * control call walks the tree holding the mutex alone, and takes the root
 * lock (sn_qdisc_tree_lock()) around the change itself. Nothing under the
 * root is ever touched by the data path without the root lock (classful
 * disciplines are not NOLOCK-capable), so a child unlinked under it can be
 * freed as soon as the lock is dropped: no grace period is needed below
 * the root, only its watchdog cancelled.
 */

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>

#include "sched_private.h"
#include "sn_class.h"
#include "sn_filter.h"
#include "sn_mbuf.h"

/* The first automatic handle, as the kernel's qdisc_alloc_handle(). */
#define SN_AUTO_HANDLE_FIRST 0x8001u

/* ---- data path helpers ---- */

uint16_t
sn_qdisc_child_dequeue(struct sn_qdisc *child, struct sn_softnet *sd, struct rte_mbuf **pkts,
		       uint16_t n)
{
	uint16_t k = 0;
	uint32_t bytes;

	while (unlikely(child->rq_len != 0) && k < n) {
		pkts[k++] = child->requeue[child->rq_head];
		child->rq_head = (uint16_t)((child->rq_head + 1) % SN_QDISC_REQUEUE_MAX);
		child->rq_len--;
	}
	if (k < n)
		k = (uint16_t)(k + child->ops->dequeue(child, sd, pkts + k, (uint16_t)(n - k)));
	if (k == 0)
		return 0;
	bytes = k == child->qstats.qlen ? (uint32_t)child->qstats.backlog : sn_pkts_bytes(pkts, k);
	child->qstats.qlen -= k;
	child->qstats.backlog -= bytes;
	child->bstats.packets += k;
	child->bstats.bytes += bytes;
	return k;
}

struct rte_mbuf *
sn_qdisc_child_peek(struct sn_qdisc *child)
{
	if (child->rq_len != 0)
		return child->requeue[child->rq_head];
	return child->ops->peek != NULL ? child->ops->peek(child) : NULL;
}

void
sn_qdisc_child_requeue(struct sn_qdisc *child, struct rte_mbuf **pkts, uint16_t n)
{
	uint32_t bytes = sn_pkts_bytes(pkts, n);

	/* The same rule as the root's: its own requeue op, or its ring. */
	sn_qdisc_requeue(child, pkts, n);
	/*
	 * Handed out but not sent: not "sent" by this child after all. It may
	 * not be the child that handed them out (a graft or a filter change
	 * while the root lock was dropped for the driver): never wrap.
	 */
	child->bstats.packets -= RTE_MIN((uint64_t)n, child->bstats.packets);
	child->bstats.bytes -= RTE_MIN((uint64_t)bytes, child->bstats.bytes);
}

void
sn_qdisc_tree_reduce(struct sn_qdisc *q, uint32_t n, uint64_t bytes)
{
	for (q = q->parent; q != NULL; q = q->parent) {
		q->qstats.qlen -= n;
		q->qstats.backlog -= bytes;
		q->qstats.drops += n;
	}
}

uint32_t
sn_qdisc_classify(const struct sn_qdisc *q, const struct rte_mbuf *m)
{
	uint32_t prio = sn_mbuf_prio_get(m);

	/*
	 * skb->priority names this qdisc: taken as it is, filters skipped (the
	 * kernel's rule); a minor of 0 or no such class is the discipline's
	 * default.
	 */
	if (q->handle != 0 && (prio & 0xffff0000u) == q->handle)
		return prio;
	if (q->filters != NULL)
		return sn_filter_classify(q->filters, m);
	return 0;
}

void
sn_qdisc_tree_lock(struct sn_qdisc *q)
{
	sn_ctl_qdisc_lock(sn_softnet_current(), sn_qdisc_root(q));
}

void
sn_qdisc_tree_unlock(struct sn_qdisc *q)
{
	sn_ctl_qdisc_unlock(sn_softnet_current(), sn_qdisc_root(q));
}

/* ---- children ---- */

struct sn_qdisc *
sn_qdisc_child_create(struct sn_qdisc *parent, uint32_t classid, const char *kind,
		      const struct sn_qdisc_params *p)
{
	const struct sn_qdisc_ops *ops = kind != NULL ? sn_qdisc_lookup(kind) : &sn_pfifo_ops;
	struct sn_qdisc *q;

	if (parent == NULL) {
		rte_errno = EINVAL;
		return NULL;
	}
	if (ops == NULL) {
		rte_errno = ENOENT;
		return NULL;
	}
	/* A child has a parent to return to: "transmit directly" means nothing there. */
	if (ops->enqueue == NULL) {
		rte_errno = EOPNOTSUPP;
		return NULL;
	}
	/* The root's lock and running flag serve the whole tree. */
	if (p != NULL && (p->nolock || p->defer_list)) {
		rte_errno = EINVAL;
		return NULL;
	}
	q = sn_qdisc_create(parent->dev, parent->txq, ops, p);
	if (q == NULL)
		return NULL;
	q->parent = parent;
	q->parentid = classid;
	q->flags &= ~SN_QDISC_F_CAN_BYPASS;
	return q;
}

void
sn_qdisc_child_reset(struct sn_qdisc *child, struct sn_softnet *sd)
{
	sn_qdisc_reset(child, sd);
}

void
sn_qdisc_child_destroy(struct sn_qdisc *child, struct sn_softnet *sd)
{
	if (child == NULL)
		return;
	sn_qdisc_reset(child, sd);
	sn_qdisc_destroy(child);
}

/* ---- finding things in a tree (control mutex held) ---- */

/* The classids of classful @q, in a malloc'd array (*n of them); NULL if none. */
static uint32_t *
sn_class_ids(struct sn_qdisc *q, unsigned int *n)
{
	uint32_t *ids;
	unsigned int want;

	*n = 0;
	if (q->ops->cl_ops == NULL)
		return NULL;
	want = q->ops->cl_ops->walk(q, NULL, 0);
	if (want == 0)
		return NULL;
	ids = malloc(want * sizeof(*ids));
	if (ids == NULL)
		return NULL;
	*n = RTE_MIN(want, q->ops->cl_ops->walk(q, ids, want));
	return ids;
}

/* The qdisc of @root's tree whose handle is @handle (a major alone), or NULL. */
static struct sn_qdisc *
sn_tree_find(struct sn_qdisc *q, uint32_t handle)
{
	struct sn_qdisc *found = NULL;
	unsigned int n;
	uint32_t *ids;

	if (q->handle == handle)
		return q;
	ids = sn_class_ids(q, &n);
	for (unsigned int i = 0; i < n && found == NULL; i++) {
		struct sn_qdisc *leaf = q->ops->cl_ops->leaf(q, ids[i]);

		if (leaf != NULL)
			found = sn_tree_find(leaf, handle);
	}
	free(ids);
	return found;
}

/*
 * The root of @dev's queue @txq, with the control mutex taken (the caller
 * releases it), or NULL with *@rc set.
 */
static struct sn_qdisc *
sn_tree_get(struct sn_netdev *dev, uint16_t txq, struct sn_softnet **sd, int *rc)
{
	struct sn_qdisc *root;

	*rc = 0;
	if (dev == NULL) {
		*rc = -ENODEV;
		return NULL;
	}
	*rc = sn_ctl_caller(sd);
	if (*rc != 0)
		return NULL;
	if (txq >= dev->nb_txq) {
		*rc = -EINVAL;
		return NULL;
	}
	sn_ctl_lock();
	root = dev->txqs[txq].qdisc_sleeping;
	if (root == NULL) {
		sn_ctl_unlock();
		*rc = -ENODEV;
	}
	return root;
}

/*
 * The classful qdisc of handle @handle in @root's tree, or NULL with one line
 * in @err (@pre and @post frame the handle and the kind there: "parent ",
 * ": no filters").
 */
static struct sn_qdisc *
sn_tree_classful(struct sn_qdisc *root, uint32_t handle, const char *pre, const char *post,
		 char *err, size_t errlen, int *rc)
{
	struct sn_qdisc *q = sn_tree_find(root, handle);
	char h[16];

	sn_tc_format_handle(h, sizeof(h), handle);
	if (q == NULL) {
		sn_qdisc_parse_error(err, errlen, "%s%s: no qdisc with this handle", pre, h);
		*rc = -ENOENT;
		return NULL;
	}
	if (q->ops->cl_ops == NULL) {
		sn_qdisc_parse_error(err, errlen, "%s%s: %s is classless%s", pre, h, q->ops->id,
				     post);
		*rc = -EOPNOTSUPP;
		return NULL;
	}
	return q;
}

/* The classful qdisc that owns class @classid, or NULL with one line in @err. */
static struct sn_qdisc *
sn_tree_owner(struct sn_qdisc *root, uint32_t classid, char *err, size_t errlen, int *rc)
{
	char h[16];

	if ((classid & 0xffff0000u) == 0 || (classid & 0xffffu) == 0) {
		sn_tc_format_handle(h, sizeof(h), classid);
		*rc = sn_qdisc_parse_error(err, errlen, "%s: not a class id (MAJ:MIN, both non-zero)",
					   h);
		return NULL;
	}
	return sn_tree_classful(root, classid & 0xffff0000u, "", "", err, errlen, rc);
}

/* ---- control calls ---- */

int
sn_class_parse(int argc, const char *const argv[], struct sn_class_params *cp, char *err,
	       size_t errlen)
{
	const struct sn_qdisc_ops *ops;

	if (cp == NULL || argc < 1 || argv == NULL || argv[0] == NULL)
		return sn_qdisc_parse_error(err, errlen, "missing class kind");
	memset(cp, 0, sizeof(*cp));
	ops = sn_qdisc_lookup(argv[0]);
	if (ops == NULL) {
		sn_qdisc_parse_error(err, errlen, "%s: unknown qdisc kind", argv[0]);
		return -ENOENT;
	}
	if (ops->cl_ops == NULL) {
		sn_qdisc_parse_error(err, errlen, "%s: a classless qdisc has no classes", argv[0]);
		return -EOPNOTSUPP;
	}
	snprintf(cp->kind, sizeof(cp->kind), "%s", ops->id);
	if (ops->cl_ops->parse == NULL) {
		if (argc > 1)
			return sn_qdisc_parse_error(err, errlen, "%s: %s classes take no parameters",
						    argv[1], ops->id);
		return 0;
	}
	return ops->cl_ops->parse(cp->opts, argc - 1, argv + 1, err, errlen);
}

int
sn_class_change(struct sn_netdev *dev, uint16_t txq, uint32_t parentid, uint32_t classid,
		const struct sn_class_params *cp, char *err, size_t errlen,
		struct sn_softnet *sd)
{
	struct sn_qdisc *root, *q;
	int rc;

	if (err != NULL && errlen != 0)
		err[0] = '\0';
	if (cp == NULL)
		return -EINVAL;
	root = sn_tree_get(dev, txq, &sd, &rc);
	if (root == NULL)
		return rc;
	q = sn_tree_owner(root, classid, err, errlen, &rc);
	if (q == NULL)
		goto out;
	if (strcmp(cp->kind, q->ops->id) != 0) {
		char h[16];

		sn_tc_format_handle(h, sizeof(h), q->handle);
		rc = -EOPNOTSUPP;
		sn_qdisc_parse_error(err, errlen, "%s: qdisc %s is %s, not %s", cp->kind, h,
				     q->ops->id, cp->kind);
		goto out;
	}
	if (parentid != 0 && (parentid & 0xffff0000u) != q->handle) {
		char h[16];

		sn_tc_format_handle(h, sizeof(h), parentid);
		rc = sn_qdisc_parse_error(err, errlen,
					  "%s: the parent must be a class of the same qdisc", h);
		goto out;
	}
	rc = q->ops->cl_ops->change(q, classid, parentid, cp->opts, err, errlen);
out:
	sn_ctl_unlock();
	return rc;
}

int
sn_class_delete(struct sn_netdev *dev, uint16_t txq, uint32_t classid, char *err,
		size_t errlen, struct sn_softnet *sd)
{
	struct sn_qdisc *root, *q;
	int rc;

	if (err != NULL && errlen != 0)
		err[0] = '\0';
	root = sn_tree_get(dev, txq, &sd, &rc);
	if (root == NULL)
		return rc;
	q = sn_tree_owner(root, classid, err, errlen, &rc);
	if (q != NULL)
		rc = q->ops->cl_ops->del(q, classid, err, errlen);
	sn_ctl_unlock();
	return rc;
}

/* The first automatic handle no qdisc of @root's tree has; 0 if none is left. */
static uint32_t
sn_tree_free_handle(struct sn_qdisc *root)
{
	for (uint32_t maj = SN_AUTO_HANDLE_FIRST; maj < 0xffffu; maj++)
		if (sn_tree_find(root, maj << 16) == NULL)
			return maj << 16;
	return 0;
}

int
sn_qdisc_graft(struct sn_netdev *dev, uint16_t txq, uint32_t parentid, const char *kind,
	       const struct sn_qdisc_params *p, char *err, size_t errlen, struct sn_softnet *sd)
{
	struct sn_qdisc_params params = { 0 };
	struct sn_qdisc *root, *q, *child, *old = NULL, *cur;
	char h[16];
	int rc;

	if (err != NULL && errlen != 0)
		err[0] = '\0';
	root = sn_tree_get(dev, txq, &sd, &rc);
	if (root == NULL)
		return rc;
	q = sn_tree_owner(root, parentid, err, errlen, &rc);
	if (q == NULL)
		goto out;
	sn_tc_format_handle(h, sizeof(h), parentid);
	cur = q->ops->cl_ops->leaf(q, parentid);
	if (cur == NULL) {
		unsigned int n;
		uint32_t *ids = sn_class_ids(q, &n);
		bool exists = false;

		for (unsigned int i = 0; i < n; i++)
			exists |= ids[i] == parentid;
		free(ids);
		if (exists) {
			rc = sn_qdisc_parse_error(err, errlen,
						  "%s: an inner class holds classes, not a qdisc", h);
		} else {
			sn_qdisc_parse_error(err, errlen, "%s: no such class", h);
			rc = -ENOENT;
		}
		goto out;
	}
	if (p != NULL)
		params = *p;
	if (kind != NULL && params.handle == 0) {
		params.handle = sn_tree_free_handle(root);
		if (params.handle == 0) {
			sn_qdisc_parse_error(err, errlen, "no free handle left");
			rc = -ENOSPC;
			goto out;
		}
	} else if (params.handle != 0) {
		struct sn_qdisc *other = sn_tree_find(root, params.handle);

		/* Replacing a qdisc by one with its own handle is fine; taking another's is not. */
		if (other != NULL && other != cur) {
			char oh[16];

			sn_tc_format_handle(oh, sizeof(oh), params.handle);
			rc = sn_qdisc_parse_error(err, errlen, "handle %s: already in use", oh);
			goto out;
		}
	}
	child = sn_qdisc_child_create(q, parentid, kind, kind != NULL ? &params : NULL);
	if (child == NULL) {
		rc = -rte_errno;
		if (rc == -EOPNOTSUPP)
			sn_qdisc_parse_error(err, errlen, "%s: cannot sit in a class", kind);
		else if (rc == -ENOENT)
			sn_qdisc_parse_error(err, errlen, "%s: unknown qdisc kind", kind);
		else
			sn_qdisc_parse_error(err, errlen, "%s: %s", kind != NULL ? kind : "pfifo",
					     strerror(-rc));
		goto out;
	}
	sn_qdisc_tree_lock(q);
	rc = q->ops->cl_ops->graft(q, parentid, child, &old);
	/* The old one's packets go, counted; the tree above stops counting them. */
	if (rc == 0 && old != NULL)
		sn_qdisc_reset(old, sd);
	sn_qdisc_tree_unlock(q);
	/* The drops went to our completion queue: freed outside the root lock. */
	if (sd != NULL)
		sn_cq_flush(sd);
	if (rc != 0) {
		sn_qdisc_destroy(child);
		goto out;
	}
	/* Unlinked under the root lock: nothing reaches it now but its timer. */
	if (old != NULL)
		sn_qdisc_destroy(old);
	SN_LOG(INFO, qdisc, "%s txq %u: class %s now holds %s\n", dev->name, txq, h,
	       child->ops->id);
out:
	sn_ctl_unlock();
	return rc;
}

/* What class @classid's discipline says of it (info op), under the tree lock. */
static int
sn_class_info_get(struct sn_netdev *dev, uint16_t txq, uint32_t classid,
		  struct sn_class_info *ci)
{
	struct sn_softnet *sd = NULL;
	struct sn_qdisc *root, *q;
	char err[8];
	int rc;

	root = sn_tree_get(dev, txq, &sd, &rc);
	if (root == NULL)
		return rc;
	q = sn_tree_owner(root, classid, err, sizeof(err), &rc);
	if (q != NULL) {
		memset(ci, 0, sizeof(*ci));
		sn_qdisc_tree_lock(q);
		rc = q->ops->cl_ops->info(q, classid, ci);
		sn_qdisc_tree_unlock(q);
	}
	sn_ctl_unlock();
	return rc;
}

int
sn_class_stats(struct sn_netdev *dev, uint16_t txq, uint32_t classid,
	       struct sn_qdisc_stats *st)
{
	struct sn_class_info ci;
	int rc;

	if (st == NULL)
		return -EINVAL;
	rc = sn_class_info_get(dev, txq, classid, &ci);
	if (rc == 0)
		*st = ci.stats;
	return rc;
}

int
sn_class_leaf(struct sn_netdev *dev, uint16_t txq, uint32_t classid, uint32_t *handle)
{
	struct sn_class_info ci;
	int rc;

	if (handle == NULL)
		return -EINVAL;
	rc = sn_class_info_get(dev, txq, classid, &ci);
	if (rc != 0)
		return rc;
	if (ci.level != 0 || ci.nb_children != 0)
		return -EISDIR;
	*handle = ci.leaf;
	return 0;
}

/* For the describer (qdisc_print.c): the classes of @q and the qdiscs below them. */
unsigned int
sn_tree_classes(struct sn_qdisc *q, uint32_t **ids)
{
	unsigned int n;

	*ids = sn_class_ids(q, &n);
	return *ids != NULL ? n : 0;
}

/* ---- filters (tc filter add|del|show) ---- */

/* The classful qdisc of handle @parent in @root's tree, or NULL with one line in @err. */
static struct sn_qdisc *
sn_filter_owner(struct sn_qdisc *root, uint32_t parent, char *err, size_t errlen, int *rc)
{
	char h[16];

	if (parent == 0 || (parent & 0xffffu) != 0) {
		sn_tc_format_handle(h, sizeof(h), parent);
		*rc = sn_qdisc_parse_error(err, errlen,
					   "parent %s: filters attach to a qdisc (MAJ:)", h);
		return NULL;
	}
	return sn_tree_classful(root, parent, "parent ", ": no filters", err, errlen, rc);
}

int
sn_filter_add(struct sn_netdev *dev, uint16_t txq, uint32_t parent,
	      const struct sn_filter_spec *f, char *err, size_t errlen, struct sn_softnet *sd)
{
	struct sn_filter_chain *c = NULL;
	struct sn_qdisc *root, *q;
	int rc;

	if (err != NULL && errlen != 0)
		err[0] = '\0';
	if (f == NULL)
		return -EINVAL;
	root = sn_tree_get(dev, txq, &sd, &rc);
	if (root == NULL)
		return rc;
	q = sn_filter_owner(root, parent, err, errlen, &rc);
	if (q == NULL)
		goto out;
	if ((f->classid & 0xffff0000u) != q->handle) {
		char h[16], cid[16];

		sn_tc_format_handle(h, sizeof(h), q->handle);
		sn_tc_format_handle(cid, sizeof(cid), f->classid);
		rc = sn_qdisc_parse_error(err, errlen, "classid %s: not a class of qdisc %s", cid,
					  h);
		goto out;
	}
	/* The chain is made outside the root lock, published under it. */
	if (q->filters == NULL) {
		c = sn_filter_chain_create(0, dev->socket);
		if (c == NULL) {
			rc = -rte_errno;
			sn_qdisc_parse_error(err, errlen, "no memory for a filter chain");
			goto out;
		}
	}
	sn_qdisc_tree_lock(q);
	if (q->filters == NULL) {
		q->filters = c;
		c = NULL;
	}
	rc = sn_filter_chain_add(q->filters, f);
	sn_qdisc_tree_unlock(q);
	if (rc == -EEXIST)
		sn_qdisc_parse_error(err, errlen, "prio %u: a filter with this priority and "
				     "these fields exists (filter del it first)",
				     f->prio != 0 ? f->prio : SN_FILTER_PRIO_DEFAULT);
	else if (rc == -ENOSPC)
		sn_qdisc_parse_error(err, errlen, "the qdisc has %u filters already",
				     SN_FILTER_CHAIN_DEFAULT);
	else if (rc == -EINVAL)
		sn_qdisc_parse_error(err, errlen, "not a valid filter");
out:
	sn_ctl_unlock();
	sn_filter_chain_free(c);
	return rc;
}

int
sn_filter_del(struct sn_netdev *dev, uint16_t txq, uint32_t parent, uint32_t prio, char *err,
	      size_t errlen, struct sn_softnet *sd)
{
	struct sn_qdisc *root, *q;
	int rc;

	if (err != NULL && errlen != 0)
		err[0] = '\0';
	root = sn_tree_get(dev, txq, &sd, &rc);
	if (root == NULL)
		return rc;
	q = sn_filter_owner(root, parent, err, errlen, &rc);
	if (q != NULL) {
		sn_qdisc_tree_lock(q);
		rc = q->filters != NULL ? sn_filter_chain_del(q->filters, prio) :
					  (prio == 0 ? 0 : -ENOENT);
		sn_qdisc_tree_unlock(q);
		if (rc == -ENOENT)
			sn_qdisc_parse_error(err, errlen, "prio %u: no such filter", prio);
		else if (rc > 0)
			rc = 0;
	}
	sn_ctl_unlock();
	return rc;
}

/* Append one qdisc's filters to @o; control mutex held. */
static void
sn_filter_show_one(struct sn_qdisc *q, unsigned int flags, struct sn_strbuf *o, bool *first)
{
	struct sn_filter_info *fi;
	unsigned int n, got;
	char h[16];

	if (q->filters == NULL)
		return;
	sn_qdisc_tree_lock(q);
	n = sn_filter_chain_walk(q->filters, NULL, 0);
	fi = n != 0 ? malloc(n * sizeof(*fi)) : NULL;
	got = fi != NULL ? RTE_MIN(n, sn_filter_chain_walk(q->filters, fi, n)) : 0;
	sn_qdisc_tree_unlock(q);
	sn_tc_format_handle(h, sizeof(h), q->handle);
	for (unsigned int i = 0; i < got; i++) {
		char spec[512];

		if (flags & SN_QDISC_PRINT_JSON) {
			sn_filter_print_json(&fi[i].spec, spec, sizeof(spec));
			sn_strbuf_printf(o, "%s{\"dev\": \"%s\", \"txq\": %u, \"parent\": \"%s\", %s, "
					 "\"packets\": %" PRIu64 ", \"bytes\": %" PRIu64 "}",
					 *first ? "" : ", ", q->dev->name, q->txq, h, spec,
					 fi[i].packets, fi[i].bytes);
		} else {
			sn_filter_print(&fi[i].spec, spec, sizeof(spec));
			sn_strbuf_printf(o, "filter dev %s txq %u parent %s %s\n", q->dev->name,
					 q->txq, h, spec);
			if (flags & SN_QDISC_PRINT_STATS)
				sn_strbuf_printf(o, " Matched %" PRIu64 " pkt %" PRIu64 " bytes\n",
						 fi[i].packets, fi[i].bytes);
		}
		*first = false;
	}
	free(fi);
}

/* Every qdisc of @q's tree, parents first. */
static void
sn_filter_show_tree(struct sn_qdisc *q, unsigned int flags, struct sn_strbuf *o, bool *first)
{
	unsigned int n;
	uint32_t *ids;

	sn_filter_show_one(q, flags, o, first);
	ids = sn_class_ids(q, &n);
	for (unsigned int i = 0; i < n; i++) {
		struct sn_qdisc *leaf = q->ops->cl_ops->leaf(q, ids[i]);

		if (leaf != NULL)
			sn_filter_show_tree(leaf, flags, o, first);
	}
	free(ids);
}

int
sn_filter_show(struct sn_netdev *dev, uint16_t txq, unsigned int flags, char *buf, size_t len)
{
	struct sn_strbuf o = { .buf = buf, .len = len };
	struct sn_softnet *sd = NULL;
	struct sn_qdisc *root;
	bool first = true;
	int rc;

	if (buf == NULL && len != 0)
		return -EINVAL;
	root = sn_tree_get(dev, txq, &sd, &rc);
	if (root == NULL)
		return rc;
	if (len != 0)
		buf[0] = '\0';
	if (flags & SN_QDISC_PRINT_JSON)
		sn_strbuf_printf(&o, "[");
	sn_filter_show_tree(root, flags, &o, &first);
	if (flags & SN_QDISC_PRINT_JSON)
		sn_strbuf_printf(&o, "]");
	sn_ctl_unlock();
	return sn_strbuf_result(&o);
}
