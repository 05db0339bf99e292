/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Running a qdisc: __qdisc_run, qdisc_restart and sch_direct_xmit.
 *
 * Locking: the caller holds the root lock and has set the running flag. Each
 * restart dequeues one batch under the root lock, drops the root lock, takes
 * the transmit queue's xmit lock around the driver call, and retakes the root
 * lock to account the result. The two locks are never held together, and
 * nothing is freed under either (drops go to the completion queue).
 *
 * Cost per batch: two uncontended lock round trips and one driver call; the
 * per-packet work is summing lengths for the byte counters.
 */

#include <string.h>

#include "sched_private.h"

/*
 * dev_requeue_skb: put the unsent tail of a batch back, in order. Root lock
 * held (NOLOCK: running set).
 *
 * The kernel requeues one skb (q->gso_skb), sent before anything else: at
 * most one packet of a lower band goes ahead of a later higher-band one.
 * softnet sends up to SN_QDISC_REQUEUE_MAX at once, so a discipline with
 * classes takes the tail back itself (ops->requeue), each packet at the head
 * of its own class: a later band-0 packet still goes before requeued band-2
 * ones, and order within a class holds. For the others (one FIFO) the
 * framework's ring, served before the discipline, is that head.
 */
void
sn_qdisc_requeue(struct sn_qdisc *q, struct rte_mbuf **pkts, uint16_t n)
{
	if (q->ops->requeue != NULL) {
		q->ops->requeue(q, pkts, n);
	} else {
		uint16_t head = q->rq_head;

		RTE_ASSERT(q->rq_len + n <= SN_QDISC_REQUEUE_MAX);
		for (uint16_t i = n; i > 0; i--) {
			head = (uint16_t)((head + SN_QDISC_REQUEUE_MAX - 1) %
					  SN_QDISC_REQUEUE_MAX);
			q->requeue[head] = pkts[i - 1];
		}
		q->rq_head = head;
		q->rq_len = (uint16_t)(q->rq_len + n);
	}
	sn_qdisc_count(q, &q->qstats.requeues, n);
	sn_qdisc_count(q, &q->qstats.qlen, n);
	sn_qdisc_count(q, &q->qstats.backlog, sn_pkts_bytes(pkts, n));
}

/* Dequeue one batch: requeued packets first, then the discipline's. */
static uint16_t
sn_qdisc_dequeue_batch(struct sn_softnet *sd, struct sn_qdisc *q, struct rte_mbuf **pkts,
		       uint16_t n, uint32_t *bytes)
{
	uint16_t k = 0;

	while (unlikely(q->rq_len != 0) && k < n) {
		pkts[k++] = q->requeue[q->rq_head];
		q->rq_head = (uint16_t)((q->rq_head + 1) % SN_QDISC_REQUEUE_MAX);
		q->rq_len--;
	}
	if (k < n)
		k = (uint16_t)(k + q->ops->dequeue(q, sd, pkts + k, (uint16_t)(n - k)));
	/*
	 * Took everything queued (the usual case once a run keeps up): the
	 * backlog is exactly their bytes, no need to read every mbuf. Exact
	 * under the root lock only; NOLOCK enqueuers may be adding meanwhile.
	 */
	if (!(q->flags & SN_QDISC_F_NOLOCK) && k == q->qstats.qlen)
		*bytes = (uint32_t)q->qstats.backlog;
	else
		*bytes = sn_pkts_bytes(pkts, k);
	if (k != 0) {
		sn_qdisc_count(q, &q->qstats.qlen, -(int64_t)k);
		sn_qdisc_count(q, &q->qstats.backlog, -(int64_t)*bytes);
	}
	return k;
}

static void
sn_dead_loop(struct sn_softnet *sd, struct sn_qdisc *q, struct rte_mbuf **pkts, uint16_t n)
{
	sn_drop_bulk(sd, pkts, n, SN_DROP_DEAD_LOOP);
	if (sn_ratelimit_ok(&sd->rl_dead_loop))
		SN_LOG(WARNING, xmit,
		       "dead loop on %s txq %u: lcore %u already holds its xmit lock, %u packets dropped (%" PRIu64 " warnings suppressed)\n",
		       q->dev->name, q->txq, sd->lcore, n, sd->rl_dead_loop.suppressed);
}

/*
 * Hand @n dequeued packets (@bytes in all) to the driver. *@dropped is set
 * to how many were dropped (a dead loop) rather than sent or requeued.
 * Root lock held on entry and on return, released meanwhile (NOLOCK: none).
 *
 * A queue stopped by anyone is not called. A partial send is softnet's own
 * stop (SOFT_XOFF). Whatever was not sent is requeued, and the qdisc is
 * rescheduled unless the driver (or the stack) holds the queue stopped:
 * then its wake schedules it. That state is read after the root lock is
 * retaken, so a wake that came meanwhile is seen here or by the run its
 * schedule starts (which needs the root lock, or finds us running).
 *
 * @return true if the caller may go on dequeuing (all sent and more
 *         queued); the caller checks the queue's state before it does.
 */
__rte_hot bool
sn_sch_direct_xmit(struct sn_softnet *sd, struct sn_qdisc *q,
		   struct rte_mbuf **pkts, uint16_t n, uint32_t bytes, uint16_t *dropped)
{
	struct sn_txq *t = sn_qdisc_txq(q);
	struct sn_netdev *dev = q->dev;
	enum sn_xmit_lock_rc lrc = SN_TXLOCK_OK;
	uint16_t sent = 0;
	const bool locked = !(q->flags & SN_QDISC_F_NOLOCK);
	bool soft_stopped = false;

	if (locked)
		sn_spin_unlock(&q->lock);
	if (likely(sn_txq_state(t) == 0)) {
		lrc = sn_txq_trylock(t, sd->lcore);
		if (likely(lrc == SN_TXLOCK_OK)) {
			sent = sn_dev_xmit(sd, dev, q->txq, pkts, n);
			if (unlikely(sent < n)) {
				sn_txq_soft_stop(t, rte_rdtsc() + sn_tx_retry_cycles);
				soft_stopped = true;
			}
			sn_txq_unlock(t);
		} else if (lrc == SN_TXLOCK_DEAD_LOOP) {
			sn_dead_loop(sd, q, pkts, n);
		} else {
			sd->stats.cpu_collision++;
		}
	}
	if (locked)
		sn_spin_lock(&q->lock);

	*dropped = 0;
	if (likely(sent == n)) {
		q->bstats.packets += n;
		q->bstats.bytes += bytes;
		sd->stats.sent += n;
		return sn_qdisc_qlen(q) != 0;
	}
	if (lrc == SN_TXLOCK_DEAD_LOOP) {
		*dropped = n;
		sn_qdisc_count(q, &q->qstats.drops, n);
		/* Whatever else is queued waits for NET_TX, after the owner lets go. */
		if (sn_qdisc_qlen(q) != 0)
			sn_netif_schedule(sd, q);
		return false;
	}
	/* Partial transmit, stopped queue or collision: requeue the tail, in order. */
	if (sent != 0) {
		q->bstats.packets += sent;
		q->bstats.bytes += bytes - sn_pkts_bytes(pkts + sent, (uint16_t)(n - sent));
		sd->stats.sent += sent;
	}
	if (soft_stopped) {
		sd->stats.queue_stopped++;
		t->tx_stopped++;
	}
	sn_qdisc_requeue(q, pkts + sent, (uint16_t)(n - sent));
	sd->stats.requeued += n - sent;
	if (!(sn_txq_state(t) & SN_TXQ_XOFF_HELD))
		sn_netif_schedule(sd, q);
	return false;
}

/*
 * __qdisc_run: restart until the qdisc is empty, the queue stops, the xmit
 * lock is busy, or the quota is spent (then reschedule: time_squeeze).
 * Root lock held (NOLOCK: not), running set.
 *
 * A stopped queue ends the run. Held by the driver or the stack: the qdisc
 * is left unscheduled, its wake schedules it (it is not spun on meanwhile).
 * softnet's own stop: the qdisc stays scheduled, and NET_TX polls the queue.
 */
void
sn_qdisc_run_locked(struct sn_softnet *sd, struct sn_qdisc *q)
{
	struct rte_mbuf *pkts[SN_TX_BATCH];
	const struct sn_txq *t = sn_qdisc_txq(q);
	uint32_t quota = sd->quota;

	for (;;) {
		uint32_t bytes, st = sn_txq_state(t);
		uint16_t n, dropped;

		if (unlikely(st != 0)) {
			if (!(st & SN_TXQ_XOFF_HELD) && sn_qdisc_qlen(q) != 0)
				sn_netif_schedule(sd, q);
			return;
		}
		n = sn_qdisc_dequeue_batch(sd, q, pkts, (uint16_t)RTE_MIN(quota, SN_TX_BATCH), &bytes);
		if (n == 0) {
			/*
			 * NOLOCK: an enqueuer that found us running set MISSED; its
			 * packets may have landed after our dequeue looked. Look
			 * once more after clearing it.
			 */
			if (!(q->flags & SN_QDISC_F_NOLOCK) ||
			    !sn_qdisc_test_state(q, SN_QDISC_STATE_MISSED))
				return;
			__atomic_fetch_and(&q->state, ~SN_QDISC_STATE_MISSED, __ATOMIC_SEQ_CST);
			n = sn_qdisc_dequeue_batch(sd, q, pkts,
						   (uint16_t)RTE_MIN(quota, SN_TX_BATCH), &bytes);
			if (n == 0)
				return;
		}
		if (!sn_sch_direct_xmit(sd, q, pkts, n, bytes, &dropped))
			return;
		quota -= n;
		if (quota == 0) {
			sd->stats.time_squeeze++;
			sn_netif_schedule(sd, q);
			return;
		}
	}
}
