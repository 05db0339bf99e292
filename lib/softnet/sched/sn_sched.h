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

#include "sn_filter.h"
#include "sn_lock.h"
#include "sn_qdisc.h"
#include "sn_softnet.h"
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
	 * Hand out up to @p n packets in transmit order. The framework (or, for
	 * a child, the parent through sn_qdisc_child_dequeue()) accounts qlen
	 * and backlog for them. An AQM may drop queued packets here instead
	 * of handing them out, with sn_qdisc_drop_dequeued() (@p sd is the
	 * running lcore's softnet, never NULL). Returning 0 while packets are
	 * queued means "throttled": see sn_qdisc_watchdog_schedule().
	 * @return the number handed out.
	 */
	uint16_t (*dequeue)(struct sn_qdisc *q, struct sn_softnet *sd,
			    struct rte_mbuf **pkts, uint16_t n);
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
	/** Classful disciplines: their classes (struct sn_qdisc_class_ops); NULL: classless. */
	const struct sn_qdisc_class_ops *cl_ops;
};

/** A class's parent when tc should say `root` (the kernel's TC_H_ROOT). */
#define SN_TC_H_ROOT 0xffffffffu

/** What a class op reports about one class (tc -s class show). */
struct sn_class_info {
	/**
	 * parent classid; for a class right under its qdisc, the qdisc's
	 * handle (tc prints `parent 1:`, as for prio's bands) or
	 * SN_TC_H_ROOT (tc prints `root`, as for htb's top-level classes)
	 */
	uint32_t parent;
	uint32_t leaf;                /**< handle of the qdisc attached to it; 0: inner class */
	uint32_t level;               /**< 0: leaf; inner classes count up from their leaves */
	uint32_t nb_children;         /**< child classes */
	struct sn_qdisc_stats stats;  /**< counters (a leaf's: its qdisc's, sent = handed out) */
};

/**
 * The classes of a classful discipline (the kernel's Qdisc_class_ops).
 *
 * Locking: change, del and graft are control calls, made with the control
 * mutex held and the root lock NOT held: the discipline takes the root lock
 * itself (sn_qdisc_tree_lock()) around what the data path sees, so that it
 * can allocate before and free after. graft is the exception: the framework
 * calls it with the tree lock held. leaf, walk, info, print and print_stats
 * are called with the tree lock held, from the control path.
 */
struct sn_qdisc_class_ops {
	/**
	 * Parse a class's own words (those after the kind in `class add dev 0
	 * parent 1:1 classid 1:10 htb rate 300mbit ceil 1gbit`) into @p opts
	 * (SN_QDISC_OPTS_SIZE bytes, zeroed, 8-byte aligned). No lock, no
	 * DPDK call, no allocation.
	 * @return 0, or -EINVAL with one line in @p err (sn_qdisc_parse_error()).
	 */
	int (*parse)(void *opts, int argc, const char *const argv[], char *err, size_t errlen);
	/**
	 * Add class @p classid under @p parentid (one of its classes, or
	 * q->handle for a top-level class), with a default child qdisc
	 * (sn_qdisc_child_create(q, classid, NULL, NULL)), or, when it exists,
	 * change its parameters (@p parentid 0 or its parent). Parameters
	 * checked before anything changes.
	 * @return 0; -EINVAL (err says why); -ENOENT no such parent; -ENOMEM;
	 *         -ENOSPC too many classes.
	 */
	int (*change)(struct sn_qdisc *q, uint32_t classid, uint32_t parentid, const void *opts,
		      char *err, size_t errlen);
	/**
	 * Delete class @p classid: refused while it has child classes; its
	 * qdisc's packets are dropped (sn_qdisc_child_destroy()).
	 * @return 0; -ENOENT; -EBUSY (has children; err says so).
	 */
	int (*del)(struct sn_qdisc *q, uint32_t classid, char *err, size_t errlen);
	/** @return the qdisc attached to leaf class @p classid; NULL: none or an inner class. */
	struct sn_qdisc *(*leaf)(struct sn_qdisc *q, uint32_t classid);
	/**
	 * Attach @p child to leaf class @p classid in place of its qdisc, which
	 * is returned in *@p old (the framework drops its packets and frees it).
	 * Tree lock held; no allocation.
	 * @return 0; -ENOENT no such class; -EINVAL not a leaf.
	 */
	int (*graft)(struct sn_qdisc *q, uint32_t classid, struct sn_qdisc *child,
		     struct sn_qdisc **old);
	/**
	 * List the classids, parents before their children, into @p ids.
	 * @return how many classes there are (may exceed @p n).
	 */
	unsigned int (*walk)(struct sn_qdisc *q, uint32_t *ids, unsigned int n);
	/** Fill @p ci for class @p classid. @return 0 or -ENOENT. */
	int (*info)(struct sn_qdisc *q, uint32_t classid, struct sn_class_info *ci);
	/** Optional: write the class's parameters (tc class show, after `leaf X:`). */
	void (*print)(struct sn_qdisc *q, uint32_t classid, struct sn_qdisc_writer *w);
	/** Optional: the class's own counters (tc -s's xstats: lended, borrowed, tokens). */
	void (*print_stats)(struct sn_qdisc *q, uint32_t classid, struct sn_qdisc_writer *w);
	/** One line of help for the class's words, as tc's; NULL if none. */
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
	struct sn_qdisc *parent;         /**< qdisc whose class holds it; NULL: a root */
	uint32_t parentid;               /**< that class's id; 0 for a root */
	struct sn_filter_chain *filters; /**< its filters (sn_qdisc_classify()), NULL: none */

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
 * For AQM disciplines: drop a queued packet while dequeuing (CoDel's drop
 * at the head), or one already queued to make room at enqueue (fq_codel's
 * drop from the fattest flow). Lowers qlen and backlog of @p q and of every
 * qdisc above it (sn_qdisc_tree_reduce()), counts the drop in @p q's drops
 * and the lcore's drops[@p reason], and defers the free to the lcore's
 * completion queue (freed in bulk in NET_TX, outside every lock). Root lock
 * held.
 */
void sn_qdisc_drop_dequeued(struct sn_qdisc *q, struct sn_softnet *sd, struct rte_mbuf *m,
			    enum sn_drop_reason reason);

/**
 * A child qdisc dropped @p n packets of @p bytes outside its parent's view
 * (at dequeue, or in a reset): lower the qlen and backlog of every qdisc
 * above @p q and count the drops in theirs (the kernel's
 * qdisc_tree_reduce_backlog()): a drop shows at the qdisc that made it and
 * at every one above. @p q's own counters are its own business. Root lock
 * held.
 */
void sn_qdisc_tree_reduce(struct sn_qdisc *q, uint32_t n, uint64_t bytes);

/** @return the root of the tree @p q is in (@p q itself for a root). */
static inline struct sn_qdisc *
sn_qdisc_root(struct sn_qdisc *q)
{
	while (q->parent != NULL)
		q = q->parent;
	return q;
}

/*
 * ---- Classful disciplines: their children ----
 *
 * A class's qdisc (a child) is a struct sn_qdisc like a root, but it has no
 * lock, no running flag and no transmit queue of its own: the root's lock
 * covers the whole tree, and the parent calls the child's ops through the
 * helpers below, which keep the child's counters (qlen, backlog; bstats
 * counts what it handed out, as the kernel's children do).
 */

/**
 * Create a qdisc for class @p classid of @p parent: @p kind with @p p, or
 * pfifo with the device's default limit when @p kind is NULL (the kernel's
 * default for a new class). Control path; no lock needed (not yet linked).
 * @return the child, or NULL with rte_errno (ENOENT unknown kind, EINVAL,
 *         ENOMEM, EOPNOTSUPP: the kind cannot be a child, e.g. noqueue).
 */
struct sn_qdisc *sn_qdisc_child_create(struct sn_qdisc *parent, uint32_t classid,
				       const char *kind, const struct sn_qdisc_params *p);

/**
 * Drop a child's packets (counted, as deactivated) and free it, when its
 * class goes away. Call it with the tree lock held if it was reachable from
 * the data path (the drops reduce the tree's counters), or unlinked.
 */
void sn_qdisc_child_destroy(struct sn_qdisc *child, struct sn_softnet *sd);

/**
 * Drop every packet a child holds (sn_qdisc_drop_queued(), which lowers the
 * tree's counters too); for a parent's reset op.
 */
void sn_qdisc_child_reset(struct sn_qdisc *child, struct sn_softnet *sd);

/**
 * Give one packet of @p len bytes to a child. If the child refuses it, the
 * child has dropped and counted it; the parent counts the drop in its own
 * qstats.drops too (tc shows it at both levels), and must not touch @p m.
 * @return true if the child took it (the parent then accounts it in its own
 *         qlen and backlog with sn_qdisc_account_enqueue()).
 */
static inline bool
sn_qdisc_child_enqueue(struct sn_qdisc *child, struct sn_softnet *sd, struct rte_mbuf *m,
		       uint32_t len)
{
	return child->ops->enqueue(child, sd, &m, 1, len) == 1;
}

/**
 * Take up to @p n packets from a child, requeued ones first, and account
 * them in the child (qlen, backlog, bstats). The parent lowers its own qlen
 * and backlog only if it is a child itself; the framework does the root's.
 * @return how many; 0 with packets queued: the child is throttled (it armed
 *         its watchdog, which will schedule the root).
 */
uint16_t sn_qdisc_child_dequeue(struct sn_qdisc *child, struct sn_softnet *sd,
				struct rte_mbuf **pkts, uint16_t n);

/** @return the packet a child would hand out next, still queued; NULL if none. */
struct rte_mbuf *sn_qdisc_child_peek(struct sn_qdisc *child);

/**
 * Put back @p n packets the parent took from @p child and could not send,
 * at its head, in order (a parent's requeue op). Accounts them in the child.
 */
void sn_qdisc_child_requeue(struct sn_qdisc *child, struct rte_mbuf **pkts, uint16_t n);

/**
 * Classify @p m for classful @p q: the mbuf's priority when its major is
 * q's handle's (the kernel's `skb->priority == classid` rule), else the
 * first of q's filters that matches (priority order), else 0: the
 * discipline's default. Root lock held.
 * @return a classid of @p q, or 0.
 */
uint32_t sn_qdisc_classify(const struct sn_qdisc *q, const struct rte_mbuf *m);

/**
 * Take the root lock of @p q's tree from the control path (softirqs off on
 * an attached lcore: the kernel's sch_tree_lock()); for class ops' change
 * and del.
 */
void sn_qdisc_tree_lock(struct sn_qdisc *q);
/** Release what sn_qdisc_tree_lock() took. */
void sn_qdisc_tree_unlock(struct sn_qdisc *q);

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
