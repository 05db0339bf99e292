/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SN_PRIVATE_H
#define SN_PRIVATE_H

/*
 * Internal structures of libsoftnet; not installed. Layouts of the hot
 * structures are asserted in the .c files that own them.
 */

#include <assert.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_mbuf.h>
#include <rte_rcu_qsbr.h>

#include "sn_config.h"
#include "softnet.h"

/* One rte_log type per component. */
extern int sn_logtype_core;
extern int sn_logtype_xmit;
extern int sn_logtype_qdisc;
extern int sn_logtype_netdev;

#define SN_LOG(lvl, type, ...) rte_log(RTE_LOG_ ## lvl, sn_logtype_ ## type, "softnet: " __VA_ARGS__)

/* Preempt count layout, as the kernel's. */
#define SN_SOFTIRQ_SHIFT 8
#define SN_HARDIRQ_SHIFT 16
#define SN_SOFTIRQ_OFFSET (1u << SN_SOFTIRQ_SHIFT)
#define SN_SOFTIRQ_DISABLE_OFFSET (2u * SN_SOFTIRQ_OFFSET)
#define SN_HARDIRQ_OFFSET (1u << SN_HARDIRQ_SHIFT)
#define SN_SOFTIRQ_MASK (0xffu << SN_SOFTIRQ_SHIFT)
#define SN_HARDIRQ_MASK (0xfu << SN_HARDIRQ_SHIFT)

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
	volatile uint32_t stopped;
	uint64_t retry_tsc;              /* stopped: earliest blind retry */

	/* Counters of the qdiscs this queue retired; control path only. */
	struct sn_qdisc_stats retired __rte_cache_aligned;
	uint64_t tx_stopped;
} __rte_cache_aligned;

struct sn_netdev {
	struct sn_netdev_head head;       /* first: read inline by drivers */
	char name[SN_NETDEV_NAMESIZE];
	const struct sn_netdev_ops *ops;
	uint32_t mtu;
	uint32_t max_frame;               /* mtu + L2 overhead */
	volatile uint32_t up;
	uint16_t nb_txq;
	int socket;
	struct sn_netdev *next;           /* registry */
	struct sn_txq txqs[];
};

/* ---- globals (softnet.c) ---- */
extern struct rte_rcu_qsbr *sn_rcu;
extern uint64_t sn_tx_retry_cycles;
extern struct sn_softnet *sn_lcores[RTE_MAX_LCORE];

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

/* ---- qdisc framework (qdisc.c, qdisc_run.c) ---- */
struct sn_qdisc *sn_qdisc_create(struct sn_netdev *dev, uint16_t txq,
				 const struct sn_qdisc_ops *ops,
				 const struct sn_qdisc_params *p);
void sn_qdisc_destroy(struct sn_qdisc *q);
void sn_qdisc_reset(struct sn_qdisc *q, struct sn_softnet *sd);
void sn_qdisc_requeue(struct sn_qdisc *q, struct rte_mbuf **pkts, uint16_t n);
void sn_qdisc_stats_add(struct sn_qdisc_stats *dst, const struct sn_qdisc *q);
void sn_qdisc_builtin_register(void);
/* Run a qdisc until empty, quota or a stopped queue; root lock held, running set. */
void sn_qdisc_run_locked(struct sn_softnet *sd, struct sn_qdisc *q);
/* sch_direct_xmit: root lock held on entry and exit, released around the driver. */
bool sn_sch_direct_xmit(struct sn_softnet *sd, struct sn_qdisc *q,
			struct rte_mbuf **pkts, uint16_t n, uint32_t bytes, uint16_t *dropped);

extern const struct sn_qdisc_ops sn_pfifo_fast_ops;
extern const struct sn_qdisc_ops sn_pfifo_ops;
extern const struct sn_qdisc_ops sn_bfifo_ops;
extern const struct sn_qdisc_ops sn_noqueue_ops;

static __rte_always_inline bool
sn_qdisc_run_begin(struct sn_qdisc *q)
{
	/* Root lock held: a plain flag; read racily by contended enqueuers. */
	if (q->running)
		return false;
	__atomic_store_n(&q->running, 1, __ATOMIC_RELAXED);
	return true;
}

static __rte_always_inline void
sn_qdisc_run_end(struct sn_qdisc *q)
{
	__atomic_store_n(&q->running, 0, __ATOMIC_RELAXED);
}

static __rte_always_inline bool
sn_qdisc_is_running(const struct sn_qdisc *q)
{
	return __atomic_load_n(&q->running, __ATOMIC_RELAXED) != 0;
}

static __rte_always_inline bool
sn_qdisc_test_state(const struct sn_qdisc *q, uint32_t bit)
{
	return (__atomic_load_n(&q->state, __ATOMIC_ACQUIRE) & bit) != 0;
}

/*
 * NOLOCK: the running flag is the only dequeue lock. An enqueuer that finds
 * it taken sets MISSED; the runner either sees MISSED in its loop and
 * dequeues again, or sees it at run_end and reschedules itself. All three
 * steps are sequentially consistent, so no packet is left behind.
 */
static __rte_always_inline bool
sn_qdisc_run_begin_nolock(struct sn_qdisc *q)
{
	uint32_t idle = 0;

	if (__atomic_compare_exchange_n(&q->running, &idle, 1, false, __ATOMIC_SEQ_CST,
					__ATOMIC_RELAXED))
		return true;
	if (__atomic_fetch_or(&q->state, SN_QDISC_STATE_MISSED, __ATOMIC_SEQ_CST) &
	    SN_QDISC_STATE_MISSED)
		return false;
	idle = 0;
	return __atomic_compare_exchange_n(&q->running, &idle, 1, false, __ATOMIC_SEQ_CST,
					   __ATOMIC_RELAXED);
}

static __rte_always_inline void
sn_qdisc_run_end_nolock(struct sn_softnet *sd, struct sn_qdisc *q)
{
	__atomic_store_n(&q->running, 0, __ATOMIC_SEQ_CST);
	if (unlikely(sn_qdisc_test_state(q, SN_QDISC_STATE_MISSED)))
		sn_netif_schedule(sd, q);
}

/*
 * Control paths (info, stats, replace, down) take a root lock that NET_TX
 * also takes in softirq context: on an attached lcore they must keep
 * softirqs off meanwhile (spin_lock_bh), or an interrupt that runs softirqs
 * at its exit would spin on a lock its own lcore holds.
 */
static inline void
sn_ctl_qdisc_lock(struct sn_softnet *sd, struct sn_qdisc *q)
{
	if (sd != NULL)
		sn_ctx_bh_disable(sd);
	sn_spin_lock(&q->lock);
}

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

static inline void
sn_ctl_qdisc_unlock(struct sn_softnet *sd, struct sn_qdisc *q)
{
	sn_spin_unlock(&q->lock);
	if (sd != NULL)
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

static __rte_always_inline struct sn_txq *
sn_qdisc_txq(const struct sn_qdisc *q)
{
	return &q->dev->txqs[q->txq];
}



/* ---- control (qdisc.c) ---- */
#include <pthread.h>
extern pthread_mutex_t sn_ctl_mutex;
void sn_txq_deactivate(struct sn_txq *t, struct sn_softnet *sd);
void sn_txq_activate(struct sn_txq *t);
void sn_ctl_stats_add(struct sn_softnet_stats *st);
int sn_ctl_caller(struct sn_softnet **sd);

#endif /* SN_PRIVATE_H */
