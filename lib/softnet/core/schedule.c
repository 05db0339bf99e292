/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * __netif_schedule and net_tx_action.
 *
 * A qdisc with work it could not finish (quota spent, queue stopped by
 * softnet after a partial burst, xmit lock busy) or whose queue the driver
 * woke is appended to the current lcore's output queue through the tail
 * pointer, once: the SCHED bit, set atomically, keeps it on at most one
 * lcore's list. NET_TX later detaches the whole list and, as today's kernel
 * does, takes each qdisc's root lock (waiting for it), clears SCHED and runs
 * it. Kernels before 4.10 took the lock with a trylock and put the qdisc back
 * on failure; softnet did the same until measured: see docs/architecture.md
 * ("Scheduling and NET_TX") for why it no longer does.
 */

#include <errno.h>

#include <rte_spinlock.h>

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

	/*
	 * Defer list not empty: the lcore that pushed onto it when it was
	 * empty is on its way to the root lock, and will run the qdisc once it
	 * has it (Linux 6.19's fast path in __netif_schedule).
	 */
	if ((q->flags & SN_QDISC_F_DEFER_LIST) &&
	    __atomic_load_n(&q->defer_first, __ATOMIC_ACQUIRE) != NULL)
		return;
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
 * Qdiscs a detaching lcore still had scheduled, waiting for another lcore
 * to adopt them (the kernel's dev_cpu_dead() moves a dead CPU's
 * output_queue to a live one). They keep SCHED: they are on exactly one
 * list, this one. The count is read without the lock on every poll, so an
 * lcore pays one load when there is nothing to adopt.
 */
static struct {
	rte_spinlock_t lock;          /* a leaf: no softnet lock is taken under it */
	struct sn_qdisc *head;
	struct sn_qdisc **tailp;
	uint32_t n;                   /* written under the lock, read racily */
} sn_orphans = { RTE_SPINLOCK_INITIALIZER, NULL, &sn_orphans.head, 0 };

unsigned int
sn_netif_orphan_all(struct sn_softnet *sd)
{
	unsigned int n = 0;

	if (sd->output_queue == NULL)
		return 0;
	for (struct sn_qdisc *q = sd->output_queue; q != NULL; q = q->next_sched)
		n++;
	rte_spinlock_lock(&sn_orphans.lock);
	*sn_orphans.tailp = sd->output_queue;
	sn_orphans.tailp = sd->output_queue_tailp;
	__atomic_store_n(&sn_orphans.n, sn_orphans.n + n, __ATOMIC_RELEASE);
	rte_spinlock_unlock(&sn_orphans.lock);
	sd->output_queue = NULL;
	sd->output_queue_tailp = &sd->output_queue;
	return n;
}

void
sn_netif_adopt_slow(struct sn_softnet *sd)
{
	struct sn_qdisc *q, *next;

	rte_spinlock_lock(&sn_orphans.lock);
	q = sn_orphans.head;
	sn_orphans.head = NULL;
	sn_orphans.tailp = &sn_orphans.head;
	__atomic_store_n(&sn_orphans.n, 0, __ATOMIC_RELEASE);
	rte_spinlock_unlock(&sn_orphans.lock);
	/* Their SCHED bits came with them: append, and NET_TX runs them next. */
	for (; q != NULL; q = next) {
		next = q->next_sched;
		sn_netif_reschedule(sd, q);
	}
}

bool
sn_netif_orphan_remove(struct sn_qdisc *q)
{
	struct sn_qdisc **pp;
	bool found = false;

	if (__atomic_load_n(&sn_orphans.n, __ATOMIC_ACQUIRE) == 0)
		return false;
	rte_spinlock_lock(&sn_orphans.lock);
	for (pp = &sn_orphans.head; *pp != NULL; pp = &(*pp)->next_sched) {
		if (*pp != q)
			continue;
		*pp = q->next_sched;
		if (sn_orphans.tailp == &q->next_sched)
			sn_orphans.tailp = pp;
		q->next_sched = NULL;
		__atomic_store_n(&sn_orphans.n, sn_orphans.n - 1, __ATOMIC_RELEASE);
		__atomic_fetch_and(&q->state, ~SN_QDISC_STATE_SCHED, __ATOMIC_RELEASE);
		found = true;
		break;
	}
	rte_spinlock_unlock(&sn_orphans.lock);
	return found;
}

uint32_t
sn_netif_orphans(void)
{
	return __atomic_load_n(&sn_orphans.n, __ATOMIC_ACQUIRE);
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

/*
 * A queue softnet stopped after a partial burst gets one poll per NET_TX:
 * the driver's tx_ready, or, when it cannot tell, a blind retry once the
 * backoff has passed. @return true if the queue was started again.
 */
static bool
sn_txq_soft_poll(struct sn_txq *t)
{
	struct sn_netdev *dev = t->dev;
	int ready = dev->ops->tx_ready != NULL ? dev->ops->tx_ready(dev, t->index) : -1;

	if (ready < 0)
		ready = rte_rdtsc() >= t->retry_tsc;
	if (ready)
		sn_txq_soft_start(t);
	return ready != 0;
}

/*
 * qdisc_run for a qdisc NET_TX took off its list: root lock held (NOLOCK:
 * none), SCHED cleared, not deactivated. A queue held stopped by its driver
 * (or the stack) is left alone: the wake schedules the qdisc again. One that
 * softnet stopped is polled, and while it still has no room the qdisc stays
 * scheduled, so NET_TX comes back to it.
 */
static void
sn_net_tx_run(struct sn_softnet *sd, struct sn_qdisc *q)
{
	struct sn_txq *t = sn_qdisc_txq(q);
	uint32_t st = sn_txq_state(t);

	if (unlikely(st != 0)) {
		if (st & SN_TXQ_XOFF_HELD)
			return;
		if (!sn_txq_soft_poll(t)) {
			if (sn_qdisc_qlen(q) != 0)
				sn_netif_schedule(sd, q);
			return;
		}
	}
	if (q->flags & SN_QDISC_F_NOLOCK) {
		/* Busy: the runner owns the packets, and MISSED makes it look again. */
		if (sn_qdisc_run_begin_nolock(q)) {
			sd->stats.qdisc_runs++;
			sn_qdisc_run_locked(sd, q);
			sn_qdisc_run_end_nolock(sd, q);
		}
	} else if (sn_qdisc_run_begin(q)) {
		/* Busy: the lcore running it rereads the queue state under this lock. */
		sd->stats.qdisc_runs++;
		sn_qdisc_run_locked(sd, q);
		sn_qdisc_run_end(q);
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
		const bool locked = !(q->flags & SN_QDISC_F_NOLOCK);

		/* Read before SCHED is cleared: another lcore may relink q then. */
		head = head->next_sched;
		/*
		 * Today's net_tx_action: wait for the root lock rather than
		 * put the qdisc back. Its holder is an enqueuer or a runner
		 * between two batches, or a control call, all short.
		 */
		if (locked)
			sn_spin_lock(&q->lock);
		/* Clear SCHED before running: a reschedule from the run must stick. */
		__atomic_fetch_and(&q->state, ~SN_QDISC_STATE_SCHED, __ATOMIC_SEQ_CST);
		if (!sn_qdisc_test_state(q, SN_QDISC_STATE_DEACTIVATED))
			sn_net_tx_run(sd, q);
		if (locked)
			sn_spin_unlock(&q->lock);
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
	if (txq >= dev->nb_txq || sd == NULL || !sd->attached)
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

/*
 * ---- The qdisc watchdog (qdisc_watchdog_schedule_ns, qdisc_watchdog) ----
 *
 * A shaper whose head packet may not leave yet arms a timer and returns
 * nothing from dequeue; the run ends without rescheduling, and the timer
 * brings it back. Timers live on a per-lcore list, unsorted (a handful of
 * shaped queues per lcore), with the earliest expiry cached in sd->wd_next:
 * the poll loop pays one load when nothing is armed and one rdtsc and
 * compare when something is. A qdisc is on at most one list, the one
 * q->wd_owner names; a re-arm from another lcore updates the time there.
 * Each list has a leaf spinlock because any lcore running the qdisc may
 * re-arm it, and control calls cancel it; nothing else is taken under it
 * (sn_netif_schedule() takes no lock).
 *
 * Lifetime: a retiring qdisc is DEACTIVATED first; arming checks that under
 * the list lock, and the retire path cancels both before and after its
 * grace periods (a run in progress may have armed it in between; none can
 * after). An expiry schedules under the list lock within the poll, which
 * the grace periods cover, and sn_netif_schedule() refuses a deactivated
 * qdisc.
 */
void
sn_qdisc_watchdog_schedule(struct sn_qdisc *q, uint64_t tsc)
{
	struct sn_softnet *me = sn_softnet_current();

	if (me == NULL)
		return;
	for (;;) {
		struct sn_softnet *o = __atomic_load_n(&q->wd_owner, __ATOMIC_ACQUIRE);
		struct sn_softnet *sd = o != NULL ? o : me;

		rte_spinlock_lock(&sd->wd_lock);
		if (unlikely(__atomic_load_n(&q->wd_owner, __ATOMIC_RELAXED) != o)) {
			rte_spinlock_unlock(&sd->wd_lock);
			continue;
		}
		if (unlikely(sn_qdisc_test_state(sn_qdisc_root(q), SN_QDISC_STATE_DEACTIVATED))) {
			rte_spinlock_unlock(&sd->wd_lock);
			return;
		}
		if (o == NULL) {
			q->wd_next = sd->wd_head;
			sd->wd_head = q;
			__atomic_store_n(&q->wd_owner, sd, __ATOMIC_RELEASE);
		}
		q->wd_tsc = tsc;
		/* A later time on a listed qdisc leaves wd_next early: one spurious walk. */
		if (tsc < sd->wd_next)
			__atomic_store_n(&sd->wd_next, tsc, __ATOMIC_RELAXED);
		rte_spinlock_unlock(&sd->wd_lock);
		return;
	}
}

/* Unlink and schedule every due entry (@all: every entry); recompute wd_next. List lock held. */
static void
sn_watchdog_walk(struct sn_softnet *sd, uint64_t now, bool all)
{
	struct sn_qdisc **pp = &sd->wd_head;
	uint64_t next = UINT64_MAX;

	while (*pp != NULL) {
		struct sn_qdisc *q = *pp;

		if (all || q->wd_tsc <= now) {
			*pp = q->wd_next;
			q->wd_next = NULL;
			__atomic_store_n(&q->wd_owner, NULL, __ATOMIC_RELEASE);
			/*
			 * A child's timer runs its tree's root. Read under the list
			 * lock: a child is unlinked, then cancelled, before it is freed.
			 */
			sn_netif_schedule(sd, sn_qdisc_root(q));
		} else {
			next = RTE_MIN(next, q->wd_tsc);
			pp = &q->wd_next;
		}
	}
	__atomic_store_n(&sd->wd_next, next, __ATOMIC_RELAXED);
}

void
sn_watchdog_expire_slow(struct sn_softnet *sd, uint64_t now)
{
	/* Softirqs off: NET_TX from an interrupt's exit edits the output queue too. */
	sn_ctx_bh_disable(sd);
	rte_spinlock_lock(&sd->wd_lock);
	sn_watchdog_walk(sd, now, false);
	rte_spinlock_unlock(&sd->wd_lock);
	sn_ctx_bh_enable_no_run(sd);
}

/*
 * A detaching lcore's timers become scheduled qdiscs, which go to the next
 * lcore that polls with its output queue; their run finds them throttled
 * and arms the timer there. Early by at most the remaining wait: harmless.
 */
void
sn_watchdog_handover(struct sn_softnet *sd)
{
	rte_spinlock_lock(&sd->wd_lock);
	sn_watchdog_walk(sd, 0, true);
	rte_spinlock_unlock(&sd->wd_lock);
}

static void
sn_watchdog_unlink(struct sn_qdisc *q)
{
	for (;;) {
		struct sn_softnet *o = __atomic_load_n(&q->wd_owner, __ATOMIC_ACQUIRE);
		struct sn_qdisc **pp;

		if (o == NULL)
			return;
		rte_spinlock_lock(&o->wd_lock);
		if (__atomic_load_n(&q->wd_owner, __ATOMIC_RELAXED) != o) {
			rte_spinlock_unlock(&o->wd_lock);
			continue;
		}
		for (pp = &o->wd_head; *pp != q; pp = &(*pp)->wd_next)
			;
		*pp = q->wd_next;
		q->wd_next = NULL;
		__atomic_store_n(&q->wd_owner, NULL, __ATOMIC_RELEASE);
		if (o->wd_head == NULL)
			__atomic_store_n(&o->wd_next, UINT64_MAX, __ATOMIC_RELAXED);
		rte_spinlock_unlock(&o->wd_lock);
		return;
	}
}

/*
 * Control path. An attached caller keeps softirqs off while it holds a
 * list lock: an interrupt's exit could otherwise run NET_TX on this lcore,
 * whose qdisc run re-arms a timer under the same lock.
 */
void
sn_watchdog_cancel(struct sn_qdisc *q)
{
	struct sn_softnet *me = sn_softnet_current();

	if (me != NULL)
		sn_ctx_bh_disable(me);
	sn_watchdog_unlink(q);
	if (me != NULL)
		sn_ctx_bh_enable_no_run(me);
}
