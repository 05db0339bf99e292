/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SN_CORE_PRIVATE_H
#define SN_CORE_PRIVATE_H

/*
 * The core layer's contract with the qdisc layer (the role of the kernel's
 * netdevice.h internals): the per-lcore softnet data, transmit queues and
 * netdevs, contexts, the completion queue and scheduling. Not installed;
 * included by core/ and sched/ only (tests/layering checks it). Layouts of
 * the hot structures are asserted in the .c files that own them.
 */

#include <assert.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>
#include <rte_rcu_qsbr.h>
#include <rte_spinlock.h>

#include "sn_config.h"
#include "sn_context.h"
#include "sn_dql.h"
#include "sn_lockdep.h"
#include "sn_mbuf.h"
#include "sn_netdev_driver.h"
#include "sn_softnet.h"
#include "sn_xmit.h"
#include "locking_private.h"

/* One rte_log type per component. */
extern int sn_logtype_core;
extern int sn_logtype_xmit;
extern int sn_logtype_netdev;

#define SN_LOG(lvl, type, ...) rte_log(RTE_LOG_ ## lvl, sn_logtype_ ## type, "softnet: " __VA_ARGS__)

/* Completion queue capacity; a full queue is flushed at once. */
#define SN_CQ_SIZE 1024
/* Largest batch one qdisc_restart dequeues and hands to the driver. */
#define SN_TX_BATCH 32u

/* A per-lcore warning limiter: at most one message per second. */
struct sn_ratelimit {
	uint64_t next_tsc;
	uint64_t suppressed;
};

/*
 * The per-lcore softnet data. Written by its lcore only (hardirq context, when
 * it exists, touches only preempt_count and pending, with atomic ops).
 */
struct sn_softnet {
	/* Hot line: context and queues. */
	volatile uint32_t preempt_count;
	volatile uint32_t pending;        /* softirq bits */
	uint32_t lcore;
	uint32_t attached;
	struct sn_qdisc *output_queue;
	struct sn_qdisc **output_queue_tailp;
	uint32_t cq_len;
	uint32_t quota;
	/* Packets sent from hardirq context, LIFO, linked through their defer field. */
	struct rte_mbuf *irq_list;
	uint16_t plug_depth;              /* sn_xmit_plug() nesting, process context */
	uint16_t plug_len;                /* packets held in the plug */
	uint32_t xmit_recursion;          /* driver calls in progress (dev_xmit_recursion) */
	/* Earliest watchdog expiry (TSC), UINT64_MAX: none; atomic, other lcores lower it. */
	uint64_t wd_next;

	struct sn_softnet_stats stats __rte_cache_aligned;

	/* The xmit plug: sn_xmit() calls held back to leave as one burst. */
	struct {
		struct sn_netdev *dev;    /* where the held packets go */
		uint16_t txq;
		uint32_t bytes;           /* their bytes */
		uint64_t dropped;         /* dropped by flushes since sn_xmit_plug() */
		struct rte_mbuf *pkts[SN_XMIT_PLUG_MAX];
	} plug __rte_cache_aligned;

	struct sn_ratelimit rl_dead_loop __rte_cache_aligned;
	struct sn_ratelimit rl_misc;

	/* Watchdogs armed on this lcore (qdisc_watchdog): unsorted, few. */
	rte_spinlock_t wd_lock;           /* a leaf: no softnet lock is taken under it */
	struct sn_qdisc *wd_head;

	struct rte_mbuf *completion_queue[SN_CQ_SIZE] __rte_cache_aligned;
} __rte_cache_aligned;

/* Transmit queue: the kernel's netdev_queue. */
struct sn_txq {
	/* Read on every transmit; written by control calls only. */
	struct sn_qdisc *qdisc;          /* active root qdisc, NULL when down */
	struct sn_qdisc *qdisc_sleeping; /* configured root qdisc */
	struct sn_netdev *dev;
	uint16_t index;

	/* Driver line: xmit lock, its owner, stopped state. */
	struct sn_spinlock xmit_lock __rte_cache_aligned;
	volatile int32_t xmit_owner;     /* lcore id, -1 when free */
	uint32_t state;                  /* SN_NETDEV_TXQ_* bits, atomic (sn_txq_state()) */
	uint64_t retry_tsc;              /* SOFT_XOFF: earliest blind retry */

	/* Counters of the qdiscs this queue retired; control path only. */
	struct sn_qdisc_stats retired __rte_cache_aligned;
	uint64_t tx_stopped;

	/*
	 * Byte queue limits (dql.c, netdev.c): the stack's stop (STACK_XOFF).
	 * Written by the driver's sent/completed calls, which it serialises.
	 */
	struct sn_dql dql __rte_cache_aligned;
	uint32_t bql_on;                 /* sn_netdev_bql_set(); control path, device down */
	uint64_t bql_stops;              /* times the limit stopped the queue */
	uint64_t bql_wakes;              /* times a completion started it again */
} __rte_cache_aligned;

struct sn_netdev {
	struct sn_netdev_head head;       /* first: read inline by drivers */
	char name[SN_NETDEV_NAMESIZE];
	const struct sn_netdev_ops *ops;
	uint32_t mtu;
	volatile uint32_t up;
	uint16_t nb_txq;
	int socket;
	struct sn_netdev *next;           /* registry */
	/* mq (sched/sch_mq.c): handle of the mq root over every queue, 0: none; control mutex. */
	uint32_t mq_handle;
	/*
	 * XPS (xps.c): each lcore's transmit queue plus one, 0: the default
	 * (the lcore's index mod nb_txq). Read once per sn_xmit_xps() call.
	 */
	uint16_t xps[RTE_MAX_LCORE];
	struct sn_txq txqs[];
};

/* ---- globals (softnet.c) ---- */
extern struct rte_rcu_qsbr *sn_rcu;
extern uint64_t sn_tx_retry_cycles;
extern struct sn_softnet *sn_lcores[RTE_MAX_LCORE];
/* sn_qdisc_max_burst(): read on every push onto a non-empty defer list. */
extern uint32_t sn_max_burst;

/* Wait until every online lcore has passed a quiescent state. */
void sn_synchronize(struct sn_softnet *sd);

/*
 * Bytes of @n packets (pkt_len, all segments). Four at a time into two sums:
 * the loads of a burst overlap instead of queueing behind one add chain.
 */
static __rte_always_inline uint32_t
sn_pkts_bytes(struct rte_mbuf *const *pkts, uint16_t n)
{
	uint32_t s0 = 0, s1 = 0;
	uint16_t i = 0;

	for (; i + 4 <= n; i += 4) {
		s0 += rte_pktmbuf_pkt_len(pkts[i]) + rte_pktmbuf_pkt_len(pkts[i + 1]);
		s1 += rte_pktmbuf_pkt_len(pkts[i + 2]) + rte_pktmbuf_pkt_len(pkts[i + 3]);
	}
	for (; i < n; i++)
		s0 += rte_pktmbuf_pkt_len(pkts[i]);
	return s0 + s1;
}

/* ---- ratelimit ---- */
static inline bool
sn_ratelimit_ok(struct sn_ratelimit *rl)
{
	uint64_t now = rte_rdtsc();

	if (now < rl->next_tsc) {
		rl->suppressed++;
		return false;
	}
	rl->next_tsc = now + rte_get_tsc_hz();
	return true;
}

/* ---- contexts (context.c) ---- */
static __rte_always_inline void
sn_ctx_bh_disable(struct sn_softnet *sd)
{
	sd->preempt_count += SN_SOFTIRQ_DISABLE_OFFSET;
	rte_compiler_barrier();
}

void sn_ctx_bh_enable_slow(struct sn_softnet *sd);

static __rte_always_inline void
sn_ctx_bh_enable(struct sn_softnet *sd)
{
	rte_compiler_barrier();
	sd->preempt_count -= SN_SOFTIRQ_DISABLE_OFFSET;
	if (unlikely(sd->pending != 0) && sd->preempt_count == 0)
		sn_ctx_bh_enable_slow(sd);
}

static __rte_always_inline void
sn_ctx_raise(struct sn_softnet *sd, enum sn_softirq nr)
{
	/* Atomic against a hardirq handler (signal) on this very lcore. */
	__atomic_fetch_or(&sd->pending, 1u << nr, __ATOMIC_RELAXED);
}

static __rte_always_inline bool
sn_ctx_in_hardirq(const struct sn_softnet *sd)
{
	return (sd->preempt_count & SN_HARDIRQ_MASK) != 0;
}

/* ---- completion queue (softnet.c) ---- */
void sn_cq_flush(struct sn_softnet *sd);

/*
 * Defer freeing @m to NET_TX; frees happen outside every lock. Invariant: a
 * non-empty completion queue has NET_TX pending (only NET_TX empties it, and
 * it is raised when the queue goes non-empty), so one raise per flush does.
 */
static __rte_always_inline void
sn_cq_add(struct sn_softnet *sd, struct rte_mbuf *m)
{
	if (unlikely(sd->cq_len == SN_CQ_SIZE))
		sn_cq_flush(sd);
	if (sd->cq_len == 0)
		sn_ctx_raise(sd, SN_SOFTIRQ_NET_TX);
	sd->completion_queue[sd->cq_len++] = m;
}

/* ---- drops ---- */
/*
 * The one place a drop is counted: under its reason, on this lcore (one
 * writer). Every mbuf freed without being sent goes through here (or
 * sn_drop_bulk), then to the completion queue.
 */
static __rte_always_inline void
sn_drop_count(struct sn_softnet *sd, enum sn_drop_reason reason, uint32_t n)
{
	sd->stats.drops[reason] += n;
}

/* Drop @m for @reason: count it, free it later from the completion queue. */
static __rte_always_inline void
sn_drop(struct sn_softnet *sd, struct rte_mbuf *m, enum sn_drop_reason reason)
{
	sn_drop_count(sd, reason, 1);
	sn_cq_add(sd, m);
}

/* Drop @n packets for @reason. */
static inline void
sn_drop_bulk(struct sn_softnet *sd, struct rte_mbuf *const *pkts, uint16_t n,
	     enum sn_drop_reason reason)
{
	sn_drop_count(sd, reason, n);
	for (uint16_t i = 0; i < n; i++)
		sn_cq_add(sd, pkts[i]);
}

/* ---- driver calls ---- */
/*
 * ndo_start_xmit, counted for the recursion limit (dev_xmit_recursion_inc/
 * dec around dev_hard_start_xmit). xmit lock held.
 */
static __rte_always_inline uint16_t
sn_dev_xmit(struct sn_softnet *sd, struct sn_netdev *dev, uint16_t txq,
	    struct rte_mbuf **pkts, uint16_t n)
{
	uint16_t sent;

	sd->xmit_recursion++;
	sent = dev->ops->xmit(dev, txq, pkts, n);
	sd->xmit_recursion--;
	return sent;
}

/* Would a transmit now nest too deep (dev_xmit_recursion)? */
static __rte_always_inline bool
sn_xmit_recursion_exceeded(const struct sn_softnet *sd)
{
	return unlikely(sd->xmit_recursion >= SN_XMIT_RECURSION_LIMIT);
}

/* ---- xmit plug (xmit.c) ---- */
/* Send what the plug holds as one burst. Softirqs disabled. */
void sn_xmit_plug_flush(struct sn_softnet *sd);

/* ---- hardirq transmit deferral (irq_defer.c) ---- */
extern int sn_mbuf_defer_offset;

/* Where a packet sent from hardirq context is waiting to go. */
struct sn_mbuf_defer {
	struct rte_mbuf *next;
	struct sn_txq *txq;     /* NULL: the caller passed no valid queue */
};

static __rte_always_inline struct sn_mbuf_defer *
sn_mbuf_defer(struct rte_mbuf *m)
{
	return RTE_MBUF_DYNFIELD(m, sn_mbuf_defer_offset, struct sn_mbuf_defer *);
}

int sn_irq_defer_init(void);
uint16_t sn_xmit_irq_defer(struct sn_softnet *sd, struct sn_netdev *dev, uint16_t txq,
			   struct rte_mbuf **pkts, uint16_t n);
void sn_irq_defer_flush(struct sn_softnet *sd);

/* ---- scheduling (schedule.c) ---- */
void sn_netif_schedule(struct sn_softnet *sd, struct sn_qdisc *q);
void sn_netif_unschedule(struct sn_softnet *sd, struct sn_qdisc *q);
void sn_net_tx_action(struct sn_softnet *sd);

/*
 * A detaching lcore's scheduled qdiscs go to a shared list that the next
 * lcore to poll adopts (the kernel's dev_cpu_dead()): nothing queued is left
 * with nothing due to run it. Softirqs off on the caller for all three.
 */
/* Move this lcore's whole output queue to the orphan list. @return how many. */
unsigned int sn_netif_orphan_all(struct sn_softnet *sd);
void sn_netif_adopt_slow(struct sn_softnet *sd);
/* Retiring @q (deactivated): take it off the orphan list. @return true if it was there. */
bool sn_netif_orphan_remove(struct sn_qdisc *q);
/* @return qdiscs waiting for an lcore (racy). */
uint32_t sn_netif_orphans(void);

/*
 * ---- the qdisc watchdog (schedule.c) ----
 * Per-lcore timers of non-work-conserving qdiscs. The poll pays one load when
 * none is armed, one rdtsc and compare when some is.
 */
void sn_watchdog_expire_slow(struct sn_softnet *sd, uint64_t now);

static __rte_always_inline void
sn_watchdog_run(struct sn_softnet *sd)
{
	uint64_t next = __atomic_load_n(&sd->wd_next, __ATOMIC_RELAXED);

	if (unlikely(next != UINT64_MAX)) {
		uint64_t now = rte_rdtsc();

		if (now >= next)
			sn_watchdog_expire_slow(sd, now);
	}
}

/* Detaching: schedule every armed qdisc now (its run re-arms it on the adopter). Softirqs off. */
void sn_watchdog_handover(struct sn_softnet *sd);
/* Retiring @q: take it off whichever lcore's watchdog holds it. */
void sn_watchdog_cancel(struct sn_qdisc *q);

/* ---- control-path helpers ---- */
/* Softirqs back on, but not served here: a control call has no such side effect. */
static inline void
sn_ctx_bh_enable_no_run(struct sn_softnet *sd)
{
	rte_compiler_barrier();
	sd->preempt_count -= SN_SOFTIRQ_DISABLE_OFFSET;
}

/*
 * Send what this lcore's xmit plug holds, from outside a transmit (poll,
 * detach, a device going down): softirqs off around it, not served here.
 */
static inline void
sn_xmit_plug_flush_bh(struct sn_softnet *sd)
{
	if (sd->plug_len == 0)
		return;
	sn_ctx_bh_disable(sd);
	sn_xmit_plug_flush(sd);
	sn_ctx_bh_enable_no_run(sd);
}

/* ---- netdev internals (netdev.c) ---- */
enum sn_xmit_lock_rc { SN_TXLOCK_OK, SN_TXLOCK_DEAD_LOOP, SN_TXLOCK_COLLISION };

static __rte_always_inline enum sn_xmit_lock_rc
sn_txq_trylock(struct sn_txq *t, uint32_t lcore)
{
	if (likely(sn_spin_trylock(&t->xmit_lock))) {
		t->xmit_owner = (int32_t)lcore;
		return SN_TXLOCK_OK;
	}
	return t->xmit_owner == (int32_t)lcore ? SN_TXLOCK_DEAD_LOOP : SN_TXLOCK_COLLISION;
}

static __rte_always_inline void
sn_txq_unlock(struct sn_txq *t)
{
	t->xmit_owner = -1;
	sn_spin_unlock(&t->xmit_lock);
}

/*
 * ---- transmit-queue states (netdev.c, schedule.c, qdisc_run.c) ----
 *
 * Three reasons to be stopped, one bit each in t->state (sn_netdev.h):
 * DRV_XOFF (the driver's, held until its wake, which schedules the qdisc),
 * STACK_XOFF (BQL's, reserved) and SOFT_XOFF (softnet's own after a partial
 * burst, polled by NET_TX with the qdisc kept scheduled). The rule that
 * keeps packets from being stranded: a run that stops on a held stop
 * (DRV/STACK) leaves the qdisc unscheduled, because the wake schedules it;
 * a run that stops on SOFT_XOFF alone keeps it scheduled. A run reads the
 * state under the root lock (NOLOCK: inside its running section), so a
 * wake's schedule is never lost between the read and the end of the run.
 */
#define SN_TXQ_XOFF_HELD (SN_NETDEV_TXQ_DRV_XOFF | SN_NETDEV_TXQ_STACK_XOFF)

static __rte_always_inline uint32_t
sn_txq_state(const struct sn_txq *t)
{
	return __atomic_load_n(&t->state, __ATOMIC_ACQUIRE);
}

/* softnet's own stop after a partial burst: NET_TX retries blindly after @retry_tsc. */
static __rte_always_inline void
sn_txq_soft_stop(struct sn_txq *t, uint64_t retry_tsc)
{
	t->retry_tsc = retry_tsc;
	__atomic_fetch_or(&t->state, SN_NETDEV_TXQ_SOFT_XOFF, __ATOMIC_SEQ_CST);
}

static __rte_always_inline void
sn_txq_soft_start(struct sn_txq *t)
{
	__atomic_fetch_and(&t->state, ~SN_NETDEV_TXQ_SOFT_XOFF, __ATOMIC_SEQ_CST);
}

/*
 * noqueue's driver call (xmit lock held): refused while the driver or the
 * stack holds the queue stopped; softnet's own stop only means "the last
 * burst was partial", and with no qdisc to poll the queue the driver is
 * simply asked again, and the stop cleared once it takes everything.
 */
static __rte_always_inline uint16_t
sn_txq_xmit_noqueue(struct sn_softnet *sd, struct sn_txq *t, struct rte_mbuf **pkts,
		    uint16_t n)
{
	uint32_t st = sn_txq_state(t);
	uint16_t sent;

	if (unlikely(st & SN_TXQ_XOFF_HELD))
		return 0;
	sent = sn_dev_xmit(sd, t->dev, t->index, pkts, n);
	if (unlikely(st & SN_NETDEV_TXQ_SOFT_XOFF) && sent == n)
		sn_txq_soft_start(t);
	return sent;
}

/* ---- control calls (qdisc.c, netdev.c) ---- */
/* Serialises control calls: registry, replace, up/down, free. */
extern pthread_mutex_t sn_ctl_mutex;
/*
 * Take sn_ctl_mutex. A control call holding it may wait for grace periods:
 * an attached caller waiting here keeps reporting quiescent states (it holds
 * no qdisc pointer yet), or the holder would wait for it for ever.
 */
void sn_ctl_lock(void);
void sn_ctl_unlock(void);
int sn_ctl_caller(struct sn_softnet **sd);

#endif /* SN_CORE_PRIVATE_H */
