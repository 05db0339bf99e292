/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SN_SCHED_H
#define SN_SCHED_H

/**
 * @file
 * The discipline SDK: what a queueing discipline written outside libsoftnet
 * needs. A discipline is a const struct sn_qdisc_ops registered with
 * sn_qdisc_register(); once registered it is attached by name like the
 * built-in ones (sn_qdisc_replace(), the CLI, the option mode, telemetry).
 *
 * Locking: enqueue and dequeue run with the qdisc's root lock held (or, for a
 * NOLOCK qdisc, serialised by its running flag), in process or softirq
 * context, never in hardirq context. They must not sleep, must not take the
 * transmit queue's xmit lock, and free nothing themselves: sn_qdisc_drop()
 * defers every free to the lcore's completion queue.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_mbuf.h>

#include "sn_lock.h"
#include "sn_qdisc.h"
#include "sn_tc_units.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Where a discipline's print ops write: tc's text (`limit 100 rate 1Mbit`),
 * a JSON object's members, or a telemetry dictionary, whichever the caller
 * asked for. The discipline writes each parameter once, in tc's order, with
 * the helper for its unit; the writer picks the layout. Keys are plain
 * identifiers (letters, digits, `_`), as telemetry requires. The helpers are
 * for print ops, which run under the root lock: they take no lock and never
 * sleep.
 */
struct sn_qdisc_writer;

/** A count or plain number: text `key 100`, JSON `"key": 100`. */
void sn_qw_u64(struct sn_qdisc_writer *w, const char *key, uint64_t v);
/** A word: text `key word`, JSON `"key": "word"`. */
void sn_qw_str(struct sn_qdisc_writer *w, const char *key, const char *v);
/** A switch that is on: text `key`, JSON `"key": true`. */
void sn_qw_flag(struct sn_qdisc_writer *w, const char *key);
/** A rate in bytes per second: text `key 1Mbit` (tc's print, exact), JSON bytes per second. */
void sn_qw_rate(struct sn_qdisc_writer *w, const char *key, uint64_t bytes_per_sec);
/** A size in bytes: text `key 32Kb`, JSON bytes. */
void sn_qw_size(struct sn_qdisc_writer *w, const char *key, uint64_t bytes);
/**
 * A time in nanoseconds: text `key 400ms` / `key 5us`, JSON microseconds
 * (`1.500` when not whole), telemetry whole microseconds.
 */
void sn_qw_time(struct sn_qdisc_writer *w, const char *key, uint64_t ns);
/** A list of small numbers: text `key 1 2 2 ...`, JSON an array. */
void sn_qw_u8_list(struct sn_qdisc_writer *w, const char *key, const uint8_t *v,
		   unsigned int n);

/**
 * For a parse op: set @p err to one line (printf format), and return
 * -EINVAL, so that `return sn_qdisc_parse_error(err, len, "...", ...);`
 * ends a parse op.
 */
int sn_qdisc_parse_error(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/**
 * Operations of a discipline. enqueue and dequeue run with the root lock held
 * (and the qdisc running, for dequeue); they must not sleep or take the xmit
 * lock.
 */
struct sn_qdisc_ops {
	char id[SN_QDISC_KIND_SIZE]; /**< name, as in tc ("pfifo_fast") */
	uint32_t priv_size;          /**< bytes of private data after the qdisc */
	uint32_t static_flags;       /**< SN_QDISC_F_* set on every instance */
	/**
	 * Take up to @p n packets. Refused ones must be passed to sn_qdisc_drop().
	 * Accepted ones are accounted with sn_qdisc_account_enqueue(): qlen and
	 * backlog must stay exact (the sum of rte_pktmbuf_pkt_len() over what is
	 * queued), as the framework takes a dequeue of everything queued to be
	 * worth the whole backlog.
	 * @p bytes is the sum of rte_pktmbuf_pkt_len() over the @p n packets:
	 * the framework has it already, so a discipline that takes them all
	 * need not read every mbuf again to account them.
	 * NULL means "noqueue": transmit straight to the driver.
	 * @return the number accepted.
	 */
	uint16_t (*enqueue)(struct sn_qdisc *q, struct sn_softnet *sd,
			    struct rte_mbuf **pkts, uint16_t n, uint32_t bytes);
	/**
	 * Hand out up to @p n packets in transmit order. The framework accounts
	 * qlen and backlog for them.
	 * @return the number handed out.
	 */
	uint16_t (*dequeue)(struct sn_qdisc *q, struct rte_mbuf **pkts, uint16_t n);
	/** The packet dequeue would hand out next, still queued; NULL if none. */
	struct rte_mbuf *(*peek)(struct sn_qdisc *q);
	/**
	 * Optional: take back @p n packets the driver did not take, in transmit
	 * order (the unsent tail of a batch dequeue handed out, or of a burst
	 * sent directly on the CAN_BYPASS path), and put each at the head of its
	 * own class, ahead of what that class holds, keeping their order: dequeue
	 * and peek hand them out again before anything else of their class.
	 * A discipline with classes or priorities should have one: without it the
	 * framework keeps the tail in one ring served before the discipline, so
	 * requeued low-priority packets would go ahead of later high-priority
	 * ones (the kernel requeues one packet; softnet up to
	 * SN_QDISC_REQUEUE_MAX). At most SN_QDISC_REQUEUE_MAX packets are out of
	 * the discipline at once, so a class needs room for that many.
	 * Called by the lcore running the qdisc, root lock held (NOLOCK: the
	 * running flag); must not fail, drop or count: the framework accounts
	 * requeues, qlen and backlog. reset must drop what it holds this way.
	 */
	void (*requeue)(struct sn_qdisc *q, struct rte_mbuf **pkts, uint16_t n);
	/** Set up private data. @return 0 or a negative errno. */
	int (*init)(struct sn_qdisc *q, const struct sn_qdisc_params *p);
	/**
	 * Drop every queued packet with sn_qdisc_drop_queued() (which lowers
	 * qlen and backlog and counts the drop as deactivated).
	 */
	void (*reset)(struct sn_qdisc *q, struct sn_softnet *sd);
	/** Free private resources; the qdisc is empty. */
	void (*destroy)(struct sn_qdisc *q);
	/** Report the parameters in force. @return 0 or a negative errno. */
	int (*dump)(const struct sn_qdisc *q, struct sn_qdisc_params *p);
	/**
	 * Optional: parse this discipline's options, tc's words after the kind
	 * (the framework has taken out `handle` and its own switches). Fill the
	 * common fields of @p p and the discipline's own struct in p->opts
	 * (SN_QDISC_OPTS_SIZE bytes, zeroed, 8-byte aligned; zero must mean
	 * the defaults). Check ranges here, so that init fails only on what
	 * needs the device. No DPDK call, no allocation. NULL: the discipline
	 * takes no options, and any word is an error.
	 * @return 0, or -EINVAL with one line in @p err naming the word
	 * (sn_qdisc_parse_error()).
	 */
	int (*parse)(struct sn_qdisc_params *p, int argc, const char *const argv[],
		     char *err, size_t errlen);
	/**
	 * Optional: write the parameters in force, as `tc qdisc show` prints
	 * them after `root`, with the sn_qw_*() helpers. Root lock held.
	 */
	void (*print)(const struct sn_qdisc *q, struct sn_qdisc_writer *w);
	/**
	 * Optional: write the discipline's own counters (tc -s's xstats, e.g.
	 * fq_codel's maxpacket, drop_overlimit). Root lock held.
	 */
	void (*print_stats)(const struct sn_qdisc *q, struct sn_qdisc_writer *w);
	/**
	 * One line of help for its options, as tc's usage
	 * ("[ limit PACKETS ]"); NULL if none. Shown by the CLI.
	 */
	const char *usage;
};

/**
 * A qdisc instance. Fields are documented for discipline writers; users go
 * through the functions below.
 */
struct sn_qdisc {
	/* Read-mostly: set at creation. */
	const struct sn_qdisc_ops *ops;  /**< discipline */
	struct sn_netdev *dev;           /**< device it feeds */
	uint16_t txq;                    /**< transmit queue it feeds */
	uint32_t flags;                  /**< SN_QDISC_F_* */
	uint32_t handle;                 /**< tc's handle (params.handle), 0: none */

	/* Root-lock line: everything below it up to state is protected by it. */
	struct sn_spinlock lock __rte_cache_aligned; /**< root lock */
	uint32_t running;                /**< a dequeuer is active (qdisc_run_begin) */
	uint16_t rq_head;                /**< first requeued packet */
	uint16_t rq_len;                 /**< requeued packets */
	struct sn_qdisc_bstats bstats;   /**< sent */
	struct sn_qdisc_qstats qstats;   /**< queue */

	/* Scheduling line: state bits and the output-queue link. */
	uint32_t state __rte_cache_aligned; /**< SN_QDISC_STATE_*, atomic */
	struct sn_qdisc *next_sched;     /**< next on the owning lcore's output queue */
	/* Watchdog: under the owning lcore's watchdog lock (sn_qdisc_watchdog_schedule()). */
	struct sn_softnet *wd_owner;     /**< lcore whose watchdog holds it, NULL: none */
	struct sn_qdisc *wd_next;        /**< next on that lcore's watchdog list */
	uint64_t wd_tsc;                 /**< when to run it again (TSC) */

	/* Contended enqueuers spin here, away from the root lock. */
	struct sn_spinlock busylock __rte_cache_aligned; /**< busylock */

	/* Defer-list mode: pushed packets, newest first, and how many. */
	struct rte_mbuf *defer_first __rte_cache_aligned; /**< defer list head */
	uint64_t defer_count;            /**< packets pushed behind the runner's burst */
	uint64_t defer_drops;            /**< packets refused over sn_qdisc_max_burst() (atomic) */

	/** requeued packets of a discipline without ops->requeue, a ring */
	struct rte_mbuf *requeue[SN_QDISC_REQUEUE_MAX] __rte_cache_aligned;
	uint8_t priv[] __rte_cache_aligned; /**< the discipline's data */
};

/** @return the private data of @p q. */
static inline void *
sn_qdisc_priv(struct sn_qdisc *q)
{
	return q->priv;
}

/**
 * Add @p delta to one of @p q's queue counters: a plain add under the root
 * lock, an atomic one for a NOLOCK qdisc (several enqueuers at once).
 */
static inline void
sn_qdisc_count(const struct sn_qdisc *q, uint64_t *ctr, int64_t delta)
{
	if (q->flags & SN_QDISC_F_NOLOCK)
		__atomic_fetch_add(ctr, (uint64_t)delta, __ATOMIC_RELAXED);
	else
		*ctr += (uint64_t)delta;
}

/** @return the packets queued in @p q now (racy for NOLOCK, exact under the root lock). */
static inline uint64_t
sn_qdisc_qlen(const struct sn_qdisc *q)
{
	return __atomic_load_n(&q->qstats.qlen, __ATOMIC_RELAXED);
}

/**
 * For disciplines: count @p n accepted packets of @p bytes in total.
 */
static inline void
sn_qdisc_account_enqueue(struct sn_qdisc *q, uint32_t n, uint64_t bytes)
{
	sn_qdisc_count(q, &q->qstats.qlen, n);
	sn_qdisc_count(q, &q->qstats.backlog, (int64_t)bytes);
}

/**
 * For disciplines: drop one packet that was never accounted as queued.
 * Counts it in qstats.drops and the lcore's drop_qdisc, and defers its free to
 * the completion queue (freed in bulk in NET_TX, outside every lock).
 */
void sn_qdisc_drop(struct sn_qdisc *q, struct sn_softnet *sd, struct rte_mbuf *m);

/**
 * For disciplines' reset: drop a packet that was accounted as queued
 * (also lowers qlen and backlog).
 */
void sn_qdisc_drop_queued(struct sn_qdisc *q, struct sn_softnet *sd, struct rte_mbuf *m);

/**
 * For non-work-conserving disciplines (shapers): "I hold packets that may
 * not leave yet; run me again at @p tsc" (the kernel's
 * qdisc_watchdog_schedule_ns()). Called from dequeue, root lock held (NOLOCK:
 * the running flag), on an attached lcore. A dequeue that returns 0 while
 * packets are queued is taken as throttled: the framework neither counts the
 * qdisc empty nor reschedules it, and relies on this call to be run again.
 * Such a discipline must not set SN_QDISC_F_CAN_BYPASS.
 *
 * The qdisc goes on one lcore's timer list (this lcore's, or the one whose
 * list already holds it, with the new time); when @p tsc has passed, the
 * lcore's sn_softnet_poll() schedules it for NET_TX (__netif_schedule). A
 * later call replaces the time. Replacing or deleting the qdisc, or the
 * device going down, cancels it; an lcore that detaches hands its timers
 * over with its output queue. Takes the watchdog's leaf lock; never sleeps.
 * Called from outside an attached lcore, or on a qdisc being retired, it
 * does nothing.
 */
void sn_qdisc_watchdog_schedule(struct sn_qdisc *q, uint64_t tsc);

/**
 * Register a discipline so that it can be attached by name.
 *
 * @return 0; -EEXIST if the name is taken; -EINVAL for a malformed table;
 *         -ENOSPC if the registry is full.
 */
int sn_qdisc_register(const struct sn_qdisc_ops *ops);

/** @return the discipline called @p kind, or NULL. */
const struct sn_qdisc_ops *sn_qdisc_lookup(const char *kind);

#ifdef __cplusplus
}
#endif

#endif /* SN_SCHED_H */
