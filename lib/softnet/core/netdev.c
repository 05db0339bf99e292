/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Network devices: creation with a default qdisc per transmit queue, up and
 * down (dev_activate / dev_deactivate), the xmit lock helpers drivers use,
 * and counters.
 */

#include <errno.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_malloc.h>

#include "core_private.h"
#include "sched_private.h"

RTE_LOG_REGISTER(sn_logtype_netdev, softnet.netdev, NOTICE);

static_assert(offsetof(struct sn_netdev, head) == 0, "sn_netdev_priv() reads the head inline");
static_assert(offsetof(struct sn_txq, xmit_lock) % RTE_CACHE_LINE_SIZE == 0,
	      "xmit lock has its own cache line");

static struct sn_netdev *sn_netdevs;
static const struct sn_lock_class_key sn_xmit_lock_key;

#define SN_DEFAULT_MTU 1500

static struct sn_netdev *
sn_netdev_lookup_locked(const char *name)
{
	for (struct sn_netdev *d = sn_netdevs; d != NULL; d = d->next)
		if (strcmp(d->name, name) == 0)
			return d;
	return NULL;
}

struct sn_netdev *
sn_netdev_lookup(const char *name)
{
	struct sn_netdev *d;

	if (name == NULL)
		return NULL;
	sn_ctl_lock();
	d = sn_netdev_lookup_locked(name);
	sn_ctl_unlock();
	return d;
}

static void
sn_netdev_release(struct sn_netdev *dev)
{
	for (uint16_t i = 0; i < dev->nb_txq; i++)
		sn_qdisc_destroy(dev->txqs[i].qdisc_sleeping);
	rte_free(dev->head.priv);
	rte_free(dev);
}

struct sn_netdev *
sn_netdev_create(const char *name, const struct sn_netdev_ops *ops, uint16_t nb_txq,
		 size_t priv_size, int socket)
{
	const struct sn_qdisc_ops *dflt = sn_qdisc_lookup("pfifo_fast");
	struct sn_netdev *dev;

	if (name == NULL || ops == NULL || ops->xmit == NULL || nb_txq == 0 ||
	    nb_txq > SN_NETDEV_MAX_TXQ || strlen(name) >= SN_NETDEV_NAMESIZE || dflt == NULL) {
		rte_errno = EINVAL;
		return NULL;
	}
	dev = rte_zmalloc_socket("sn_netdev", sizeof(*dev) + nb_txq * sizeof(struct sn_txq),
				 RTE_CACHE_LINE_SIZE, socket);
	if (dev == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	snprintf(dev->name, sizeof(dev->name), "%s", name);
	dev->ops = ops;
	dev->nb_txq = nb_txq;
	dev->socket = socket;
	dev->mtu = SN_DEFAULT_MTU;
	if (priv_size != 0) {
		dev->head.priv = rte_zmalloc_socket("sn_netdev_priv", priv_size, RTE_CACHE_LINE_SIZE, socket);
		if (dev->head.priv == NULL) {
			rte_errno = ENOMEM;
			goto free_dev;
		}
	}
	for (uint16_t i = 0; i < nb_txq; i++) {
		struct sn_txq *t = &dev->txqs[i];

		t->dev = dev;
		t->index = i;
		t->xmit_owner = -1;
		sn_spin_lock_init_key(&t->xmit_lock, "xmit_lock", &sn_xmit_lock_key);
		sn_dql_init(&t->dql, 0, SN_DQL_MAX_LIMIT, 0);
		t->qdisc_sleeping = sn_qdisc_create(dev, i, dflt, NULL);
		if (t->qdisc_sleeping == NULL)
			goto free_dev;
		t->qdisc_sleeping->state = SN_QDISC_STATE_DEACTIVATED;
	}

	sn_ctl_lock();
	if (sn_netdev_lookup_locked(name) != NULL) {
		sn_ctl_unlock();
		rte_errno = EEXIST;
		goto free_dev;
	}
	dev->next = sn_netdevs;
	sn_netdevs = dev;
	sn_ctl_unlock();
	return dev;

free_dev:
	sn_netdev_release(dev);
	return NULL;
}

int
sn_netdev_up(struct sn_netdev *dev)
{
	if (dev == NULL)
		return -ENODEV;
	sn_ctl_lock();
	for (uint16_t i = 0; i < dev->nb_txq; i++)
		sn_txq_activate(&dev->txqs[i]);
	dev->up = 1;
	sn_ctl_unlock();
	return 0;
}

int
sn_netdev_down(struct sn_netdev *dev, struct sn_softnet *sd)
{
	int rc;

	if (dev == NULL)
		return -ENODEV;
	rc = sn_ctl_caller(&sd);
	if (rc != 0)
		return rc;
	/* The caller's own plug may hold packets for @dev: they go first. */
	if (sd != NULL)
		sn_xmit_plug_flush_bh(sd);
	sn_ctl_lock();
	dev->up = 0;
	for (uint16_t i = 0; i < dev->nb_txq; i++)
		sn_txq_deactivate(&dev->txqs[i], sd);
	sn_ctl_unlock();
	return 0;
}

void
sn_netdev_free(struct sn_netdev *dev, struct sn_softnet *sd)
{
	struct sn_netdev **pp;

	if (dev == NULL)
		return;
	if (sn_netdev_down(dev, sd) != 0) {
		/* Freeing now could pull the qdisc from under the caller: keep it. */
		SN_LOG(ERR, netdev, "%s: not freed: called from softirq context or with softirqs disabled\n",
		       dev->name);
		return;
	}
	sn_ctl_lock();
	for (pp = &sn_netdevs; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == dev) {
			*pp = dev->next;
			break;
		}
	}
	sn_ctl_unlock();
	if (dev->ops->uninit != NULL)
		dev->ops->uninit(dev);
	sn_netdev_release(dev);
}

bool
sn_netdev_is_up(const struct sn_netdev *dev)
{
	return dev != NULL && dev->up;
}

const char *
sn_netdev_name(const struct sn_netdev *dev)
{
	return dev->name;
}

uint16_t
sn_netdev_nb_txq(const struct sn_netdev *dev)
{
	return dev->nb_txq;
}

const struct sn_netdev_ops *
sn_netdev_ops(const struct sn_netdev *dev)
{
	return dev->ops;
}


uint32_t
sn_netdev_mtu(const struct sn_netdev *dev)
{
	return dev->mtu;
}

int
sn_netdev_set_mtu(struct sn_netdev *dev, uint32_t mtu)
{
	if (dev == NULL)
		return -ENODEV;
	if (mtu < 68 || mtu > 65535)
		return -EINVAL;
	/* Read on every transmit (frame validation), without a lock. */
	__atomic_store_n(&dev->mtu, mtu, __ATOMIC_RELAXED);
	return 0;
}

uint32_t
sn_netdev_txq_state(const struct sn_netdev *dev, uint16_t txq)
{
	if (dev == NULL || txq >= dev->nb_txq)
		return 0;
	return sn_txq_state(&dev->txqs[txq]);
}

bool
sn_netdev_txq_stopped(const struct sn_netdev *dev, uint16_t txq)
{
	return sn_netdev_txq_state(dev, txq) != 0;
}

/*
 * netif_tx_stop_queue: one atomic, so any thread and context may call it.
 * The qdisc is not touched: a run in progress sees the bit at its next batch
 * and ends without rescheduling; the driver's wake schedules it again.
 */
void
sn_netdev_txq_stop(struct sn_netdev *dev, uint16_t txq)
{
	if (dev != NULL && txq < dev->nb_txq)
		__atomic_fetch_or(&dev->txqs[txq].state, SN_NETDEV_TXQ_DRV_XOFF,
				  __ATOMIC_SEQ_CST);
}

/*
 * netif_tx_wake_queue: clear the stop first, then schedule, so that whoever
 * runs the qdisc for this schedule (or a run already in progress, which
 * reads the state under the root lock or its running section) sees the
 * queue started. Softnet's own stop goes too: the driver says it has room.
 */
int
sn_netdev_txq_wake(struct sn_softnet *sd, struct sn_netdev *dev, uint16_t txq)
{
	const uint32_t bits = SN_NETDEV_TXQ_DRV_XOFF | SN_NETDEV_TXQ_SOFT_XOFF;
	struct sn_txq *t;
	struct sn_qdisc *q;
	uint32_t old;

	if (sd == NULL || dev == NULL || txq >= dev->nb_txq)
		return -EINVAL;
	/* The output queue is not safe against the code a hardirq interrupted. */
	if (sn_ctx_in_hardirq(sd))
		return -EPERM;
	t = &dev->txqs[txq];
	old = __atomic_fetch_and(&t->state, ~bits, __ATOMIC_SEQ_CST);
	if (!(old & bits))
		return 0;
	t->retry_tsc = 0;
	sn_ctx_bh_disable(sd);
	q = __atomic_load_n(&t->qdisc, __ATOMIC_ACQUIRE);
	if (q != NULL && q->ops->enqueue != NULL)
		sn_netif_schedule(sd, q);
	sn_ctx_bh_enable(sd);
	return 0;
}

int
sn_netdev_tx_lock(struct sn_softnet *sd, struct sn_netdev *dev, uint16_t txq)
{
	struct sn_txq *t;

	if (dev == NULL || txq >= dev->nb_txq)
		return -EINVAL;
	t = &dev->txqs[txq];
	if (t->xmit_owner == (int32_t)sd->lcore)
		return -EDEADLK;
	sn_spin_lock(&t->xmit_lock);
	t->xmit_owner = (int32_t)sd->lcore;
	return 0;
}

void
sn_netdev_tx_unlock(struct sn_netdev *dev, uint16_t txq)
{
	if (dev != NULL && txq < dev->nb_txq)
		sn_txq_unlock(&dev->txqs[txq]);
}

int
sn_netdev_tx_lock_owner(const struct sn_netdev *dev, uint16_t txq)
{
	if (dev == NULL || txq >= dev->nb_txq)
		return -1;
	return dev->txqs[txq].xmit_owner;
}

/*
 * ---- Byte queue limits (netdev_tx_sent_queue, netdev_tx_completed_queue,
 * netdev_tx_reset_queue) ----
 *
 * The stack's stop is one bit of its own (STACK_XOFF), held like the
 * driver's: a qdisc run that finds it set ends without rescheduling, and the
 * completion that clears it schedules the qdisc. The driver serialises
 * sent and completed for a queue; the bit is still set and cleared with
 * atomics because qdisc runs on other lcores read it without that lock.
 */

/* Clear BQL's stop; if it was set, schedule the queue's qdisc on @sd. */
static void
sn_bql_start(struct sn_softnet *sd, struct sn_txq *t)
{
	struct sn_qdisc *q;
	uint32_t old;

	old = __atomic_fetch_and(&t->state, ~SN_NETDEV_TXQ_STACK_XOFF, __ATOMIC_SEQ_CST);
	if (!(old & SN_NETDEV_TXQ_STACK_XOFF))
		return;
	t->bql_wakes++;
	if (sd == NULL)
		return;
	sn_ctx_bh_disable(sd);
	q = __atomic_load_n(&t->qdisc, __ATOMIC_ACQUIRE);
	if (q != NULL && q->ops->enqueue != NULL)
		sn_netif_schedule(sd, q);
	sn_ctx_bh_enable(sd);
}

void
sn_netdev_tx_sent_queue(struct sn_netdev *dev, uint16_t txq, uint32_t bytes)
{
	struct sn_txq *t;
	uint32_t old;

	if (unlikely(dev == NULL || txq >= dev->nb_txq))
		return;
	t = &dev->txqs[txq];
	if (!t->bql_on)
		return;
	sn_dql_queued(&t->dql, bytes);
	if (likely(sn_dql_avail(&t->dql) >= 0))
		return;
	old = __atomic_fetch_or(&t->state, SN_NETDEV_TXQ_STACK_XOFF, __ATOMIC_SEQ_CST);
	if (!(old & SN_NETDEV_TXQ_STACK_XOFF))
		t->bql_stops++;
}

int32_t
sn_netdev_tx_bql_avail(const struct sn_netdev *dev, uint16_t txq)
{
	const struct sn_txq *t;

	if (unlikely(dev == NULL || txq >= dev->nb_txq))
		return INT32_MAX;
	t = &dev->txqs[txq];
	if (!t->bql_on)
		return INT32_MAX;
	return sn_dql_avail(&t->dql);
}

int
sn_netdev_tx_completed_queue(struct sn_softnet *sd, struct sn_netdev *dev, uint16_t txq,
			     uint32_t pkts, uint32_t bytes)
{
	struct sn_txq *t;

	RTE_SET_USED(pkts);
	if (sd == NULL || dev == NULL || txq >= dev->nb_txq)
		return -EINVAL;
	if (sn_ctx_in_hardirq(sd))
		return -EPERM;
	t = &dev->txqs[txq];
	if (!t->bql_on || bytes == 0)
		return 0;
	sn_dql_completed(&t->dql, bytes);
	if (sn_dql_avail(&t->dql) < 0)
		return 0;
	if (sn_txq_state(t) & SN_NETDEV_TXQ_STACK_XOFF)
		sn_bql_start(sd, t);
	return 0;
}

int
sn_netdev_tx_reset_queue(struct sn_softnet *sd, struct sn_netdev *dev, uint16_t txq)
{
	struct sn_txq *t;

	if (sd == NULL || dev == NULL || txq >= dev->nb_txq)
		return -EINVAL;
	if (sn_ctx_in_hardirq(sd))
		return -EPERM;
	t = &dev->txqs[txq];
	sn_dql_reset(&t->dql);
	sn_bql_start(sd, t);
	return 0;
}

int
sn_netdev_bql_set(struct sn_netdev *dev, uint16_t txq, const struct sn_bql_conf *conf)
{
	struct sn_txq *t;
	uint32_t max;
	int rc;

	if (dev == NULL)
		return -ENODEV;
	if (txq >= dev->nb_txq || conf == NULL)
		return -EINVAL;
	max = conf->max_limit != 0 ? conf->max_limit : SN_DQL_MAX_LIMIT;
	if (conf->min_limit > RTE_MIN(max, (uint32_t)SN_DQL_MAX_LIMIT))
		return -EINVAL;
	sn_ctl_lock();
	if (dev->up) {
		sn_ctl_unlock();
		return -EBUSY;
	}
	t = &dev->txqs[txq];
	rc = sn_dql_init(&t->dql, conf->min_limit, max, conf->hold_us);
	if (rc == 0) {
		t->bql_on = conf->enable;
		/* Down: no qdisc to schedule; sn_netdev_up() activates it anyway. */
		__atomic_fetch_and(&t->state, ~SN_NETDEV_TXQ_STACK_XOFF, __ATOMIC_SEQ_CST);
	}
	sn_ctl_unlock();
	return rc;
}

int
sn_netdev_txq_bql(const struct sn_netdev *dev, uint16_t txq, struct sn_bql_info *info)
{
	const struct sn_txq *t;

	if (dev == NULL)
		return -ENODEV;
	if (txq >= dev->nb_txq || info == NULL)
		return -EINVAL;
	t = &dev->txqs[txq];
	memset(info, 0, sizeof(*info));
	info->enabled = t->bql_on != 0;
	info->stopped = (sn_txq_state(t) & SN_NETDEV_TXQ_STACK_XOFF) != 0;
	info->limit = __atomic_load_n(&t->dql.limit, __ATOMIC_RELAXED);
	info->inflight = sn_dql_inflight(&t->dql);
	info->min_limit = t->dql.min_limit;
	info->max_limit = t->dql.max_limit;
	info->hold_us = (uint32_t)(t->dql.hold_cycles * 1000000u / rte_get_tsc_hz());
	info->stops = __atomic_load_n(&t->bql_stops, __ATOMIC_RELAXED);
	info->wakes = __atomic_load_n(&t->bql_wakes, __ATOMIC_RELAXED);
	return 0;
}

int
sn_netdev_stats(struct sn_netdev *dev, struct sn_netdev_stats *st)
{
	struct sn_softnet *sd = sn_softnet_current();

	if (dev == NULL)
		return -ENODEV;
	memset(st, 0, sizeof(*st));
	sn_ctl_lock();
	for (uint16_t i = 0; i < dev->nb_txq; i++) {
		struct sn_txq *t = &dev->txqs[i];
		struct sn_qdisc *q = t->qdisc_sleeping;
		const struct sn_qdisc_stats *r = &t->retired;

		sn_ctl_qdisc_lock(sd, q);
		sn_qdisc_stats_add(&st->qdisc, q);
		sn_ctl_qdisc_unlock(sd, q);
		st->qdisc.bstats.bytes += r->bstats.bytes;
		st->qdisc.bstats.packets += r->bstats.packets;
		st->qdisc.qstats.drops += r->qstats.drops;
		st->qdisc.qstats.requeues += r->qstats.requeues;
		st->qdisc.qstats.overlimits += r->qstats.overlimits;
		st->tx_stopped += t->tx_stopped;
	}
	sn_ctl_unlock();
	return 0;
}
