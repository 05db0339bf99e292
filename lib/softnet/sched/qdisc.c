/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The qdisc framework: the registry of disciplines, creation and
 * destruction, drops and reset, and the control calls (replace, delete,
 * info) with the grace-period rules that make them safe while other lcores
 * transmit.
 */

#include <errno.h>
#include <pthread.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_malloc.h>

#include "sched_private.h"
#include "sn_filter.h"

RTE_LOG_REGISTER(sn_logtype_qdisc, softnet.qdisc, NOTICE);

static_assert(offsetof(struct sn_qdisc, lock) % RTE_CACHE_LINE_SIZE == 0,
	      "root lock starts its own cache line");
static_assert(offsetof(struct sn_qdisc, busylock) % RTE_CACHE_LINE_SIZE == 0,
	      "busylock sits on its own cache line");
static_assert(offsetof(struct sn_qdisc, qstats.backlog) + sizeof(uint64_t) -
	      offsetof(struct sn_qdisc, lock) <= RTE_CACHE_LINE_SIZE,
	      "root lock, running flag, requeue and queue length share one line");

#define SN_QDISC_MAX_KINDS 32

static const struct sn_qdisc_ops *sn_kinds[SN_QDISC_MAX_KINDS];
static unsigned int sn_nb_kinds;

/* Serialises control calls: registry, replace, up/down, free. */
pthread_mutex_t sn_ctl_mutex = PTHREAD_MUTEX_INITIALIZER;

static const struct sn_lock_class_key sn_root_lock_key;
static const struct sn_lock_class_key sn_busylock_key;

int
sn_qdisc_register(const struct sn_qdisc_ops *ops)
{
	int rc = 0;

	if (ops == NULL || ops->id[0] == '\0' ||
	    memchr(ops->id, '\0', sizeof(ops->id)) == NULL ||
	    (ops->enqueue != NULL && (ops->dequeue == NULL || ops->reset == NULL)))
		return -EINVAL;
	sn_ctl_lock();
	if (sn_qdisc_lookup(ops->id) != NULL)
		rc = -EEXIST;
	else if (sn_nb_kinds == SN_QDISC_MAX_KINDS)
		rc = -ENOSPC;
	else
		sn_kinds[sn_nb_kinds++] = ops;
	sn_ctl_unlock();
	return rc;
}

/*
 * The built-in kinds are there from load time, before sn_init() and EAL:
 * sn_qdisc_parse() and sn_qdisc_kinds() serve command lines parsed before
 * DPDK starts. Registering calls nothing of DPDK.
 */
RTE_INIT(sn_qdisc_builtin_init)
{
	static const struct sn_qdisc_ops *const builtin[] = {
		&sn_pfifo_fast_ops, &sn_pfifo_ops, &sn_bfifo_ops, &sn_noqueue_ops, &sn_tbf_ops,
	};

	for (unsigned int i = 0; i < RTE_DIM(builtin); i++)
		if (sn_qdisc_lookup(builtin[i]->id) == NULL)
			sn_qdisc_register(builtin[i]);
}

const struct sn_qdisc_ops *
sn_qdisc_lookup(const char *kind)
{
	if (kind == NULL)
		return NULL;
	for (unsigned int i = 0; i < sn_nb_kinds; i++)
		if (strcmp(sn_kinds[i]->id, kind) == 0)
			return sn_kinds[i];
	return NULL;
}

unsigned int
sn_qdisc_kinds(const char **names, unsigned int n)
{
	for (unsigned int i = 0; i < sn_nb_kinds && i < n; i++)
		names[i] = sn_kinds[i]->id;
	return sn_nb_kinds;
}

static bool
sn_params_valid(const struct sn_qdisc_params *p)
{
	for (unsigned int i = 0; i < RTE_DIM(p->reserved); i++)
		if (p->reserved[i] != 0)
			return false;
	/* A qdisc's handle is a major alone ("1:"); minors name its classes. */
	return (p->handle & 0xffff) == 0;
}

struct sn_qdisc *
sn_qdisc_create(struct sn_netdev *dev, uint16_t txq, const struct sn_qdisc_ops *ops,
		const struct sn_qdisc_params *p)
{
	static const struct sn_qdisc_params defaults;
	struct sn_qdisc *q;
	int rc;

	if (p == NULL)
		p = &defaults;
	if (!sn_params_valid(p)) {
		rte_errno = EINVAL;
		return NULL;
	}
	q = rte_zmalloc_socket("sn_qdisc", sizeof(*q) + ops->priv_size,
			       RTE_CACHE_LINE_SIZE, dev->socket);
	if (q == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	q->ops = ops;
	q->dev = dev;
	q->txq = txq;
	q->flags = ops->static_flags;
	q->handle = p->handle;
	if (p->no_bypass)
		q->flags &= ~SN_QDISC_F_CAN_BYPASS;
	if (p->no_busylock)
		q->flags |= SN_QDISC_F_NO_BUSYLOCK;
	if (p->defer_list)
		q->flags |= SN_QDISC_F_DEFER_LIST;
	if (p->nolock && p->defer_list) {
		rte_free(q);
		rte_errno = EINVAL;
		return NULL;
	}
	if (p->nolock) {
		if (!(ops->static_flags & SN_QDISC_F_NOLOCK_CAPABLE)) {
			rte_free(q);
			rte_errno = EOPNOTSUPP;
			return NULL;
		}
		q->flags |= SN_QDISC_F_NOLOCK;
	}
	sn_spin_lock_init_key(&q->lock, "qdisc_root_lock", &sn_root_lock_key);
	sn_spin_lock_init_key(&q->busylock, "qdisc_busylock", &sn_busylock_key);
	if (ops->init != NULL) {
		rc = ops->init(q, p);
		if (rc < 0) {
			rte_free(q);
			rte_errno = -rc;
			return NULL;
		}
	}
	return q;
}

void
sn_qdisc_destroy(struct sn_qdisc *q)
{
	if (q == NULL)
		return;
	RTE_ASSERT(q->qstats.qlen == 0);
	/* A root's timer went with its grace periods; a child's goes here. */
	if (q->parent != NULL)
		sn_watchdog_cancel(q);
	if (q->ops->destroy != NULL)
		q->ops->destroy(q);
	sn_filter_chain_free(q->filters);
	rte_free(q);
}

/*
 * Drops made outside any lcore (a control thread retiring a qdisc), per
 * reason; written under sn_ctl_mutex, added to sn_softnet_stats_sum().
 */
static uint64_t sn_ctl_drops[SN_DROP_REASON_MAX];

/* Count and free one packet dropped for @reason, on @sd or a control thread. */
static void
sn_drop_free(struct sn_softnet *sd, struct rte_mbuf *m, enum sn_drop_reason reason)
{
	if (sd != NULL) {
		sn_drop(sd, m, reason);
	} else {
		__atomic_store_n(&sn_ctl_drops[reason], sn_ctl_drops[reason] + 1,
				 __ATOMIC_RELAXED);
		rte_pktmbuf_free(m);
	}
}

void
sn_qdisc_drop(struct sn_qdisc *q, struct sn_softnet *sd, struct rte_mbuf *m)
{
	sn_qdisc_count(q, &q->qstats.drops, 1);
	sn_drop_free(sd, m, SN_DROP_QDISC);
}

void
sn_qdisc_drop_queued(struct sn_qdisc *q, struct sn_softnet *sd, struct rte_mbuf *m)
{
	sn_qdisc_drop_dequeued(q, sd, m, SN_DROP_DEACTIVATED);
}

void
sn_qdisc_drop_dequeued(struct sn_qdisc *q, struct sn_softnet *sd, struct rte_mbuf *m,
		       enum sn_drop_reason reason)
{
	uint32_t len = rte_pktmbuf_pkt_len(m);

	q->qstats.qlen--;
	q->qstats.backlog -= len;
	q->qstats.drops++;
	sn_qdisc_tree_reduce(q, 1, len);
	sn_drop_free(sd, m, reason);
}

/* Drop everything queued, requeued packets included; counted as drops. */
void
sn_qdisc_reset(struct sn_qdisc *q, struct sn_softnet *sd)
{
	while (q->rq_len != 0) {
		sn_qdisc_drop_queued(q, sd, q->requeue[q->rq_head]);
		q->rq_head = (uint16_t)((q->rq_head + 1) % SN_QDISC_REQUEUE_MAX);
		q->rq_len--;
	}
	q->rq_head = 0;
	if (q->ops->reset != NULL)
		q->ops->reset(q, sd);
}

void
sn_qdisc_stats_sum(struct sn_qdisc_stats *dst, const struct sn_qdisc_stats *s)
{
	dst->bstats.bytes += s->bstats.bytes;
	dst->bstats.packets += s->bstats.packets;
	dst->qstats.qlen += s->qstats.qlen;
	dst->qstats.backlog += s->qstats.backlog;
	dst->qstats.drops += s->qstats.drops;
	dst->qstats.requeues += s->qstats.requeues;
	dst->qstats.overlimits += s->qstats.overlimits;
}

void
sn_qdisc_stats_add(struct sn_qdisc_stats *dst, const struct sn_qdisc *q)
{
	struct sn_qdisc_stats s = { .bstats = q->bstats, .qstats = q->qstats };

	/* The defer list's refusals are the qdisc's drops too. */
	s.qstats.drops += __atomic_load_n(&q->defer_drops, __ATOMIC_RELAXED);
	sn_qdisc_stats_sum(dst, &s);
}

/*
 * Take @q out of service on @t (already unpublished by the caller): mark it
 * deactivated, wait until no lcore can still hold a pointer to it or have it
 * on an output queue, then drop its packets (counted). Two grace periods: the
 * first retires lcores that were inside a transmit or a run; an lcore that
 * scheduled the qdisc just before seeing DEACTIVATED has it on its output
 * queue until its next NET_TX, which the second grace period waits for.
 */
static void
sn_qdisc_quiesce(struct sn_qdisc *q, struct sn_softnet *sd)
{
	__atomic_fetch_or(&q->state, SN_QDISC_STATE_DEACTIVATED, __ATOMIC_SEQ_CST);
	/* Other lcores drop it from their lists in NET_TX; ours we clean here. */
	if (sd != NULL) {
		/* Softirqs off: NET_TX run from an interrupt's exit edits this list too. */
		sn_ctx_bh_disable(sd);
		sn_netif_unschedule(sd, q);
		sn_ctx_bh_enable_no_run(sd);
	}
	/* Its timer: off now, so it does not fire meanwhile... */
	sn_watchdog_cancel(q);
	sn_synchronize(sd);
	/*
	 * Left scheduled by a detached lcore and not adopted yet: no grace
	 * period covers that list. After the first grace period a detaching
	 * lcore has finished handing its list over (it does so before going
	 * offline), so the qdisc is either here or on an online lcore's list,
	 * which the second grace period covers (its NET_TX drops a deactivated
	 * qdisc before that lcore's next quiescent state).
	 */
	sn_netif_orphan_remove(q);
	sn_synchronize(sd);
	/* ...and again: a run in progress above may have re-armed it; none can now. */
	sn_watchdog_cancel(q);
	RTE_ASSERT(!(q->state & SN_QDISC_STATE_SCHED));
	RTE_ASSERT(!sn_qdisc_is_running(q));
	sn_ctl_qdisc_lock(sd, q);
	sn_qdisc_reset(q, sd);
	/* The drops went to our completion queue: free them before softirqs are back on. */
	if (sd != NULL)
		sn_cq_flush(sd);
	sn_ctl_qdisc_unlock(sd, q);
}

void
sn_txq_deactivate(struct sn_txq *t, struct sn_softnet *sd)
{
	struct sn_qdisc *old = t->qdisc;

	if (old == NULL)
		return;
	__atomic_store_n(&t->qdisc, NULL, __ATOMIC_RELEASE);
	sn_qdisc_quiesce(old, sd);
}

void
sn_txq_activate(struct sn_txq *t)
{
	struct sn_qdisc *q = t->qdisc_sleeping;

	if (q == NULL || t->qdisc != NULL)
		return;
	__atomic_store_n(&q->state, 0, __ATOMIC_RELEASE);
	/*
	 * softnet's own stop belonged to the retired run's polling: start
	 * afresh. The driver's stop is the driver's: it stays until its wake.
	 */
	sn_txq_soft_start(t);
	__atomic_store_n(&t->qdisc, q, __ATOMIC_RELEASE);
}

/* Fold a retired qdisc's counters into its queue and free it. */
static void
sn_qdisc_retire(struct sn_txq *t, struct sn_qdisc *q)
{
	sn_qdisc_stats_add(&t->retired, q);
	sn_qdisc_destroy(q);
}

/*
 * The softnet of a control call's caller: the one passed, or the one this
 * thread attached (passing NULL from an attached lcore would wait for our
 * own quiescent state for ever). Refused from softirq context or with
 * softirqs disabled: the caller may hold the very qdisc being retired.
 */
int
sn_ctl_caller(struct sn_softnet **sd)
{
	if (*sd == NULL)
		*sd = sn_softnet_current();
	if (*sd != NULL && (*sd)->preempt_count != 0)
		return -EDEADLK;
	return 0;
}

int
sn_qdisc_replace(struct sn_netdev *dev, uint16_t txq, const char *kind,
		 const struct sn_qdisc_params *p, struct sn_softnet *sd)
{
	const struct sn_qdisc_ops *ops;
	struct sn_qdisc *q, *old;
	struct sn_txq *t;
	int rc;

	if (dev == NULL)
		return -ENODEV;
	rc = sn_ctl_caller(&sd);
	if (rc != 0)
		return rc;
	if (txq >= dev->nb_txq || kind == NULL)
		return -EINVAL;
	ops = sn_qdisc_lookup(kind);
	if (ops == NULL)
		return -ENOENT;
	q = sn_qdisc_create(dev, txq, ops, p);
	if (q == NULL)
		return -rte_errno;

	sn_ctl_lock();
	t = &dev->txqs[txq];
	old = t->qdisc_sleeping;
	/* A queue's root under mq stays that class's leaf through a replace. */
	q->parentid = old->parentid;
	if (t->qdisc != NULL) {
		/* Up: publish the new one first, so transmits never see none. */
		__atomic_store_n(&t->qdisc, q, __ATOMIC_RELEASE);
		sn_qdisc_quiesce(old, sd);
	} else {
		__atomic_store_n(&q->state, SN_QDISC_STATE_DEACTIVATED, __ATOMIC_RELEASE);
	}
	t->qdisc_sleeping = q;
	sn_qdisc_retire(t, old);
	sn_ctl_unlock();
	SN_LOG(INFO, qdisc, "%s txq %u: root qdisc is now %s\n", dev->name, txq, kind);
	return 0;
}

int
sn_qdisc_delete(struct sn_netdev *dev, uint16_t txq, struct sn_softnet *sd)
{
	return sn_qdisc_replace(dev, txq, "pfifo_fast", NULL, sd);
}

int
sn_qdisc_info(struct sn_netdev *dev, uint16_t txq, struct sn_qdisc_info *info)
{
	struct sn_softnet *sd = sn_softnet_current();
	struct sn_qdisc *q;
	struct sn_txq *t;
	int rc = 0;

	if (dev == NULL)
		return -ENODEV;
	if (txq >= dev->nb_txq || info == NULL)
		return -EINVAL;
	memset(info, 0, sizeof(*info));
	sn_ctl_lock();
	t = &dev->txqs[txq];
	q = t->qdisc_sleeping;
	snprintf(info->kind, sizeof(info->kind), "%s", q->ops->id);
	info->flags = q->flags;
	info->state = __atomic_load_n(&q->state, __ATOMIC_RELAXED);
	sn_ctl_qdisc_lock(sd, q);
	sn_qdisc_stats_add(&info->stats, q);
	if (q->ops->dump != NULL)
		rc = q->ops->dump(q, &info->params);
	sn_ctl_qdisc_unlock(sd, q);
	info->params.no_bypass = !(q->flags & SN_QDISC_F_CAN_BYPASS) &&
				 (q->ops->static_flags & SN_QDISC_F_CAN_BYPASS);
	info->params.no_busylock = (q->flags & SN_QDISC_F_NO_BUSYLOCK) != 0;
	info->params.nolock = (q->flags & SN_QDISC_F_NOLOCK) != 0;
	info->params.defer_list = (q->flags & SN_QDISC_F_DEFER_LIST) != 0;
	info->params.handle = q->handle;
	info->retired = t->retired;
	sn_ctl_unlock();
	if (rc == 0 && t->qdisc == NULL)
		rc = -ENETDOWN;
	return rc;
}

/* Add the control threads' drops to @st's drops[] (the caller folds the sums). */
void
sn_ctl_stats_add(struct sn_softnet_stats *st)
{
	for (unsigned int r = 0; r < SN_DROP_REASON_MAX; r++)
		st->drops[r] += __atomic_load_n(&sn_ctl_drops[r], __ATOMIC_RELAXED);
}
