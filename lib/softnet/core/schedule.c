/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * __netif_schedule and net_tx_action.
 *
 * A qdisc with work it could not finish (quota spent, queue stopped, xmit
 * lock busy) is appended to the current lcore's output queue through the tail
 * pointer, once: the SCHED bit, set atomically, keeps it on at most one
 * lcore's list. NET_TX later detaches the whole list and runs each qdisc whose
 * root lock it can take; a qdisc whose lock is busy goes back on the list
 * (its holder is another lcore that will run it anyway, but it may be only an
 * enqueuer), unless it has been deactivated by a replace.
 */

#include <errno.h>

#include "core_private.h"
#include "sched_private.h"

/* Put back a qdisc whose SCHED bit this lcore already owns. */
static void
sn_netif_reschedule(struct sn_softnet *sd, struct sn_qdisc *q)
{
	q->next_sched = NULL;
	*sd->output_queue_tailp = q;
	sd->output_queue_tailp = &q->next_sched;
	sd->stats.resched++;
	sn_ctx_raise(sd, SN_SOFTIRQ_NET_TX);
}

void
sn_netif_schedule(struct sn_softnet *sd, struct sn_qdisc *q)
{
	uint32_t old;

	/* A deactivated qdisc is being retired: never put it back on a list. */
	old = __atomic_fetch_or(&q->state, SN_QDISC_STATE_SCHED, __ATOMIC_ACQ_REL);
	if (old & SN_QDISC_STATE_SCHED)
		return;
	if (unlikely(old & SN_QDISC_STATE_DEACTIVATED)) {
		__atomic_fetch_and(&q->state, ~SN_QDISC_STATE_SCHED, __ATOMIC_RELEASE);
		return;
	}
	sn_netif_reschedule(sd, q);
}

/*
 * Take @q off this lcore's output queue if it is there (a control call made
 * on this lcore is retiring it: grace periods cannot cover the caller's own
 * list, since the caller does not run NET_TX while it waits).
 */
void
sn_netif_unschedule(struct sn_softnet *sd, struct sn_qdisc *q)
{
	struct sn_qdisc **pp = &sd->output_queue;

	while (*pp != NULL && *pp != q)
		pp = &(*pp)->next_sched;
	if (*pp == NULL)
		return;
	*pp = q->next_sched;
	if (sd->output_queue_tailp == &q->next_sched)
		sd->output_queue_tailp = pp;
	q->next_sched = NULL;
	__atomic_fetch_and(&q->state, ~SN_QDISC_STATE_SCHED, __ATOMIC_RELEASE);
}

/* A stopped queue gets one chance per NET_TX: wake it if the driver says so. */
static void
sn_txq_wake_check(struct sn_txq *t)
{
	struct sn_netdev *dev = t->dev;
	int ready = dev->ops->tx_ready != NULL ? dev->ops->tx_ready(dev, t->index) : -1;

	/* The driver cannot tell: retry blindly, but not more than once per backoff. */
	if (ready < 0)
		ready = rte_rdtsc() >= t->retry_tsc;
	if (ready)
		t->stopped = 0;
}

/* A scheduled NOLOCK qdisc: no root lock to try; the running flag decides. */
static void
sn_run_nolock(struct sn_softnet *sd, struct sn_qdisc *q)
{
	struct sn_txq *t = sn_qdisc_txq(q);

	__atomic_fetch_and(&q->state, ~SN_QDISC_STATE_SCHED, __ATOMIC_SEQ_CST);
	if (sn_qdisc_test_state(q, SN_QDISC_STATE_DEACTIVATED))
		return;
	if (t->stopped)
		sn_txq_wake_check(t);
	if (t->stopped) {
		if (sn_qdisc_qlen(q) != 0)
			sn_netif_schedule(sd, q);
		return;
	}
	/* Busy: the runner owns the packets, and MISSED makes it look again. */
	if (sn_qdisc_run_begin_nolock(q)) {
		sd->stats.qdisc_runs++;
		sn_qdisc_run_locked(sd, q);
		sn_qdisc_run_end_nolock(sd, q);
	}
}

void
sn_net_tx_action(struct sn_softnet *sd)
{
	struct sn_qdisc *head;

	sd->stats.tx_action++;
	sn_cq_flush(sd);
	if (__atomic_load_n(&sd->irq_list, __ATOMIC_RELAXED) != NULL)
		sn_irq_defer_flush(sd);

	if (sd->output_queue == NULL)
		return;
	head = sd->output_queue;
	sd->output_queue = NULL;
	sd->output_queue_tailp = &sd->output_queue;

	while (head != NULL) {
		struct sn_qdisc *q = head;

		head = head->next_sched;
		if (q->flags & SN_QDISC_F_NOLOCK) {
			sn_run_nolock(sd, q);
			continue;
		}
		if (sn_spin_trylock(&q->lock)) {
			/* Clear SCHED before running: a reschedule from the run must stick. */
			__atomic_fetch_and(&q->state, ~SN_QDISC_STATE_SCHED, __ATOMIC_RELEASE);
			if (!sn_qdisc_test_state(q, SN_QDISC_STATE_DEACTIVATED)) {
				struct sn_txq *t = sn_qdisc_txq(q);

				if (t->stopped)
					sn_txq_wake_check(t);
				if (!t->stopped && sn_qdisc_run_begin(q)) {
					sd->stats.qdisc_runs++;
					sn_qdisc_run_locked(sd, q);
					sn_qdisc_run_end(q);
				} else if (t->stopped && sn_qdisc_qlen(q) != 0) {
					sn_netif_schedule(sd, q);
				}
			}
			sn_spin_unlock(&q->lock);
		} else if (!sn_qdisc_test_state(q, SN_QDISC_STATE_DEACTIVATED)) {
			sn_netif_reschedule(sd, q);
		} else {
			__atomic_fetch_and(&q->state, ~SN_QDISC_STATE_SCHED, __ATOMIC_RELEASE);
		}
	}
	/* Frees deferred by the runs above go out now, outside every lock. */
	sn_cq_flush(sd);
}

int
sn_qdisc_schedule(struct sn_softnet *sd, struct sn_netdev *dev, uint16_t txq)
{
	struct sn_qdisc *q;
	int rc = 0;

	if (dev == NULL)
		return -ENODEV;
	if (txq >= dev->nb_txq)
		return -EINVAL;
	sn_ctx_bh_disable(sd);
	q = __atomic_load_n(&dev->txqs[txq].qdisc, __ATOMIC_ACQUIRE);
	if (q == NULL)
		rc = -ENETDOWN;
	else if (q->ops->enqueue == NULL)
		rc = -EOPNOTSUPP;
	else
		sn_netif_schedule(sd, q);
	/* The caller wants it queued, not run already. */
	sn_ctx_bh_enable_no_run(sd);
	return rc;
}
