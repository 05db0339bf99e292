/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SN_SCHED_PRIVATE_H
#define SN_SCHED_PRIVATE_H

/*
 * The qdisc layer's contract with the core (the role of the kernel's
 * pkt_sched.h): creating, running, requeueing and retiring qdiscs, the
 * running flag and the root-lock helpers of control calls. Not installed;
 * included by sched/ and core/ only (tests/layering checks it).
 */

#include <limits.h>
#include <stdarg.h>

#include "core_private.h"
#include "sn_sched.h"

extern int sn_logtype_qdisc;

/* ---- qdisc framework (qdisc.c, qdisc_run.c) ---- */
struct sn_qdisc *sn_qdisc_create(struct sn_netdev *dev, uint16_t txq,
				 const struct sn_qdisc_ops *ops,
				 const struct sn_qdisc_params *p);
void sn_qdisc_destroy(struct sn_qdisc *q);
void sn_qdisc_reset(struct sn_qdisc *q, struct sn_softnet *sd);
void sn_qdisc_requeue(struct sn_qdisc *q, struct rte_mbuf **pkts, uint16_t n);
void sn_qdisc_stats_add(struct sn_qdisc_stats *dst, const struct sn_qdisc *q);
/* Add counters @s to @dst (qlen and backlog too). */
void sn_qdisc_stats_sum(struct sn_qdisc_stats *dst, const struct sn_qdisc_stats *s);
/* The classes of classful @q, parents first, in a malloc'd *@ids (free it); control mutex held. */
unsigned int sn_tree_classes(struct sn_qdisc *q, uint32_t **ids);
/* Run a qdisc until empty, quota or a stopped queue; root lock held, running set. */
void sn_qdisc_run_locked(struct sn_softnet *sd, struct sn_qdisc *q);
/* sch_direct_xmit: root lock held on entry and exit, released around the driver. */
bool sn_sch_direct_xmit(struct sn_softnet *sd, struct sn_qdisc *q,
			struct rte_mbuf **pkts, uint16_t n, uint32_t bytes, uint16_t *dropped);

extern const struct sn_qdisc_ops sn_pfifo_fast_ops;
extern const struct sn_qdisc_ops sn_pfifo_ops;
extern const struct sn_qdisc_ops sn_bfifo_ops;
extern const struct sn_qdisc_ops sn_noqueue_ops;
extern const struct sn_qdisc_ops sn_tbf_ops;

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

static inline void
sn_ctl_qdisc_unlock(struct sn_softnet *sd, struct sn_qdisc *q)
{
	sn_spin_unlock(&q->lock);
	if (sd != NULL)
		sn_ctx_bh_enable_no_run(sd);
}

static __rte_always_inline struct sn_txq *
sn_qdisc_txq(const struct sn_qdisc *q)
{
	return &q->dev->txqs[q->txq];
}

/*
 * ---- option words for the built-in disciplines' parse ops (qdisc_parse.c) ----
 * Each returns 0 or -EINVAL with one line in @err that starts with the word.
 */
/* The value after argv[*i] (advancing *i): "limit: missing value (@what)". */
int sn_parse_value(int argc, const char *const argv[], int *i, const char *what, char *err,
		   size_t errlen, const char **val);
/* A decimal in [@min, @max]: "limit: 0 is out of range 1..16777216". */
int sn_parse_u32(const char *name, const char *s, uint32_t min, uint32_t max, uint32_t *out,
		 char *err, size_t errlen);
/* A word @ops does not know: "foo: unknown pfifo parameter (pfifo [ limit PACKETS ])". */
int sn_parse_unknown(const struct sn_qdisc_ops *ops, const char *word, char *err,
		     size_t errlen);
/* An option given twice: "limit: given twice". */
int sn_parse_twice(const char *name, char *err, size_t errlen);

/*
 * ---- text written piece by piece (qdisc_print.c) ----
 * snprintf's rules over a whole description: what did not fit is counted in
 * used too, so the describer returns the length it needed. The qdisc, class,
 * filter and mq describers all write through it.
 */
struct sn_strbuf {
	char *buf;
	size_t len;
	size_t used; /* written, or that would have been */
};

void sn_strbuf_vprintf(struct sn_strbuf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
void sn_strbuf_printf(struct sn_strbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Room left for a describer writing in place: NULL and 0 once full. */
static inline char *
sn_strbuf_room(struct sn_strbuf *b, size_t *room)
{
	*room = b->used < b->len ? b->len - b->used : 0;
	return *room != 0 ? b->buf + b->used : NULL;
}

/* The length as a describer returns it (snprintf's int; INT_MAX at most). */
static inline int
sn_strbuf_result(const struct sn_strbuf *b)
{
	return b->used > INT_MAX ? INT_MAX : (int)b->used;
}

/* ---- transmit queues (qdisc.c) ---- */
void sn_txq_deactivate(struct sn_txq *t, struct sn_softnet *sd);
void sn_txq_activate(struct sn_txq *t);
void sn_ctl_stats_add(struct sn_softnet_stats *st);

#endif /* SN_SCHED_PRIVATE_H */
