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
 * Put the unsent tail of a batch back at the head of the qdisc, in order,
 * ahead of anything requeued earlier. Root lock held.
 */
void
sn_qdisc_requeue(struct sn_qdisc *q, struct rte_mbuf **pkts, uint16_t n)
{
	uint16_t head = q->rq_head;

	RTE_ASSERT(q->rq_len + n <= SN_QDISC_REQUEUE_MAX);
	for (uint16_t i = n; i > 0; i--) {
		head = (uint16_t)((head + SN_QDISC_REQUEUE_MAX - 1) % SN_QDISC_REQUEUE_MAX);
		q->requeue[head] = pkts[i - 1];
	}
	q->rq_head = head;
	q->rq_len = (uint16_t)(q->rq_len + n);
	q->qstats.requeues += n;
	sn_qdisc_count(q, &q->qstats.qlen, n);
	sn_qdisc_count(q, &q->qstats.backlog, sn_pkts_bytes(pkts, n));
}

/* Dequeue one batch: requeued packets first, then the discipline's. */
static uint16_t
sn_qdisc_dequeue_batch(struct sn_qdisc *q, struct rte_mbuf **pkts, uint16_t n,
		       uint32_t *bytes)
{
	uint16_t k = 0;

	while (unlikely(q->rq_len != 0) && k < n) {
		pkts[k++] = q->requeue[q->rq_head];
		q->rq_head = (uint16_t)((q->rq_head + 1) % SN_QDISC_REQUEUE_MAX);
		q->rq_len--;
	}
	if (k < n)
		k = (uint16_t)(k + q->ops->dequeue(q, pkts + k, (uint16_t)(n - k)));
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
	for (uint16_t i = 0; i < n; i++)
		sn_cq_add(sd, pkts[i]);
	sd->stats.drop_dead_loop += n;
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
 * @return true if the caller may go on dequeuing (all sent and more queued).
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

	if (locked)
		sn_spin_unlock(&q->lock);
	if (likely(!t->stopped)) {
		lrc = sn_txq_trylock(t, sd->lcore);
		if (likely(lrc == SN_TXLOCK_OK)) {
			sent = dev->ops->xmit(dev, q->txq, pkts, n);
			if (unlikely(sent < n)) {
				t->retry_tsc = rte_rdtsc() + sn_tx_retry_cycles;
				t->stopped = 1;
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
		return sn_qdisc_qlen(q) != 0 && !t->stopped;
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
	if (lrc == SN_TXLOCK_OK && t->stopped) {
		sd->stats.queue_stopped++;
		t->tx_stopped++;
	}
	sn_qdisc_requeue(q, pkts + sent, (uint16_t)(n - sent));
	sd->stats.requeued += n - sent;
	sn_netif_schedule(sd, q);
	return false;
}

/*
 * __qdisc_run: restart until the qdisc is empty, the queue stops, the xmit
 * lock is busy, or the quota is spent (then reschedule: time_squeeze).
 * Root lock held (NOLOCK: not), running set.
 */
void
sn_qdisc_run_locked(struct sn_softnet *sd, struct sn_qdisc *q)
{
	struct rte_mbuf *pkts[SN_TX_BATCH];
	const struct sn_txq *t = sn_qdisc_txq(q);
	uint32_t quota = sd->quota;

	for (;;) {
		uint32_t bytes;
		uint16_t n, dropped;

		if (unlikely(t->stopped)) {
			if (sn_qdisc_qlen(q) != 0)
				sn_netif_schedule(sd, q);
			return;
		}
		n = sn_qdisc_dequeue_batch(q, pkts, (uint16_t)RTE_MIN(quota, SN_TX_BATCH), &bytes);
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
			n = sn_qdisc_dequeue_batch(q, pkts,
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
