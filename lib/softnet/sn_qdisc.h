/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SN_QDISC_H
#define SN_QDISC_H

/**
 * @file
 * The queueing-discipline framework.
 *
 * Each transmit queue of a netdev has one root qdisc. A qdisc is an ops table
 * (one file per discipline under lib/softnet/sch_*.c) plus common state: the
 * root lock that serialises enqueue and dequeue, the busylock that contended
 * enqueuers queue on, the SCHED and DEACTIVATED state bits, the running flag
 * (one dequeuer at a time) and the kernel's bstats/qstats counters.
 *
 * Disciplines keep their packets in rte_rings. Their enqueue and dequeue run
 * with the root lock held, so their rings are single-producer single-consumer.
 *
 * Control calls (add, replace, delete) may run while other lcores transmit:
 * the old qdisc is deactivated, then after two grace periods (every attached
 * lcore has called sn_softnet_poll()) its packets are dropped and counted,
 * its counters are folded into the queue's totals, and it is freed.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_mbuf.h>

#include "sn_lock.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sn_netdev;
struct sn_softnet;
struct sn_qdisc;

/** Longest discipline name, with its NUL. */
#define SN_QDISC_KIND_SIZE 16
/** Number of Linux priorities the priomap covers (TC_PRIO_MAX + 1). */
#define SN_PRIO_COUNT 16
/** Most packets a qdisc keeps for requeue (the unsent tail of one transmit). */
#define SN_QDISC_REQUEUE_MAX 64

/** Qdisc flags (struct sn_qdisc::flags). */
#define SN_QDISC_F_CAN_BYPASS (1u << 0) /**< work-conserving: empty queue may be skipped */
#define SN_QDISC_F_NOLOCK     (1u << 1) /**< runs without the root lock (params.nolock) */
#define SN_QDISC_F_NO_BUSYLOCK (1u << 2) /**< contended enqueuers skip the busylock (benchmarks) */
/**
 * In ops->static_flags: the discipline can run as NOLOCK when asked
 * (params.nolock): its enqueue is safe on several lcores at once and its
 * dequeue is serialised by the running flag alone; its counters go through
 * sn_qdisc_count().
 */
#define SN_QDISC_F_NOLOCK_CAPABLE (1u << 3)
/**
 * Enqueuers push onto a lock-free defer list; the one that finds it empty
 * takes the root lock and enqueues the whole list (Linux 6.19's replacement
 * for the busylock; params.defer_list).
 */
#define SN_QDISC_F_DEFER_LIST (1u << 4)
/** Most packets the defer list may hold before pushes are dropped. */
#define SN_QDISC_DEFER_LIMIT 4096

/** Qdisc state bits (struct sn_qdisc::state), changed atomically. */
#define SN_QDISC_STATE_SCHED       (1u << 0) /**< on some lcore's output queue */
#define SN_QDISC_STATE_DEACTIVATED (1u << 1) /**< being replaced: drop new packets */
#define SN_QDISC_STATE_MISSED      (1u << 2) /**< NOLOCK: an enqueuer found it running */

/** Packets and bytes that left through the qdisc (tc's "Sent"). */
struct sn_qdisc_bstats {
	uint64_t bytes;   /**< bytes the driver accepted */
	uint64_t packets; /**< packets the driver accepted */
};

/** Queue statistics (tc's "dropped, overlimits, requeues, backlog"). */
struct sn_qdisc_qstats {
	uint64_t qlen;       /**< packets queued now, requeued ones included */
	uint64_t backlog;    /**< bytes queued now */
	uint64_t drops;      /**< packets dropped by this qdisc, all causes */
	uint64_t requeues;   /**< packets put back after a failed transmit */
	uint64_t overlimits; /**< packets that hit a limit (shapers: delays too) */
};

/** A snapshot of one qdisc's counters. */
struct sn_qdisc_stats {
	struct sn_qdisc_bstats bstats; /**< sent */
	struct sn_qdisc_qstats qstats; /**< queue */
};

/** Parameters of a discipline; zero means the discipline's default. */
struct sn_qdisc_params {
	uint32_t limit;                    /**< pfifo, pfifo_fast (per band): packets; bfifo: bytes */
	uint8_t priomap[SN_PRIO_COUNT];    /**< pfifo_fast: band per priority */
	bool has_priomap;                  /**< use @ref priomap instead of the default */
	bool no_bypass;                    /**< never take the CAN_BYPASS direct path */
	bool no_busylock;                  /**< contended enqueuers go straight for the root lock */
	bool nolock;                       /**< run without the root lock (NOLOCK-capable kinds) */
	bool defer_list;                   /**< contended enqueuers use the defer list, not the busylock */
	uint8_t reserved[3];               /**< must be zero */
};

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
	/** Set up private data. @return 0 or a negative errno. */
	int (*init)(struct sn_qdisc *q, const struct sn_qdisc_params *p);
	/** Drop every queued packet with sn_qdisc_drop(). */
	void (*reset)(struct sn_qdisc *q, struct sn_softnet *sd);
	/** Free private resources; the qdisc is empty. */
	void (*destroy)(struct sn_qdisc *q);
	/** Report the parameters in force. @return 0 or a negative errno. */
	int (*dump)(const struct sn_qdisc *q, struct sn_qdisc_params *p);
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

	/* Contended enqueuers spin here, away from the root lock. */
	struct sn_spinlock busylock __rte_cache_aligned; /**< busylock */

	/* Defer-list mode: pushed packets, newest first, and how many. */
	struct rte_mbuf *defer_first __rte_cache_aligned; /**< defer list head */
	uint64_t defer_count;            /**< packets pushed beyond the first burst */
	uint64_t defer_drops;            /**< pushes refused over SN_QDISC_DEFER_LIMIT (atomic) */

	struct rte_mbuf *requeue[SN_QDISC_REQUEUE_MAX] __rte_cache_aligned; /**< requeued packets, a ring */
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
 * Register a discipline so that it can be attached by name.
 *
 * @return 0; -EEXIST if the name is taken; -EINVAL for a malformed table;
 *         -ENOSPC if the registry is full.
 */
int sn_qdisc_register(const struct sn_qdisc_ops *ops);

/** @return the discipline called @p kind, or NULL. */
const struct sn_qdisc_ops *sn_qdisc_lookup(const char *kind);

/**
 * List the registered disciplines.
 *
 * @return how many there are; at most @p n names are written to @p names.
 */
unsigned int sn_qdisc_kinds(const char **names, unsigned int n);

/**
 * Attach a new root qdisc to a transmit queue, replacing the current one
 * (the kernel's `tc qdisc replace ... root`). Safe while other lcores
 * transmit. The old qdisc is deactivated (new packets to it are dropped and
 * counted), and after two grace periods its queued packets are dropped and
 * counted and its counters are folded into the queue's retired totals.
 * Waits for every attached lcore to call sn_softnet_poll().
 *
 * @param dev    device.
 * @param txq    transmit queue.
 * @param kind   discipline name.
 * @param p      parameters, or NULL for the defaults.
 * @param sd     the caller's softnet if it is attached, else NULL (an attached
 *               caller is found by itself). Must not be called from softirq
 *               context, with softirqs disabled, or from a driver callback.
 * @return 0; -ENODEV (NULL device); -EINVAL (bad queue or parameter);
 *         -ENOENT (unknown kind); -EOPNOTSUPP (params.nolock on a kind that
 *         cannot); -EDEADLK (called from softirq context or with softirqs
 *         disabled); -ENOMEM; or the discipline's init error.
 *         On error nothing changed.
 */
int sn_qdisc_replace(struct sn_netdev *dev, uint16_t txq, const char *kind,
		     const struct sn_qdisc_params *p, struct sn_softnet *sd);

/**
 * Return a transmit queue to its default qdisc (the kernel's `tc qdisc del
 * ... root`: pfifo_fast), with the same drain rules as sn_qdisc_replace().
 *
 * @return 0, or as sn_qdisc_replace().
 */
int sn_qdisc_delete(struct sn_netdev *dev, uint16_t txq, struct sn_softnet *sd);

/**
 * Schedule a transmit queue's root qdisc on this lcore's output queue
 * (__netif_schedule): it runs at the next NET_TX. A qdisc already scheduled,
 * on any lcore, is not added twice.
 *
 * @return 0; -ENODEV; -EINVAL (bad queue); -ENETDOWN (device down);
 *         -EOPNOTSUPP (noqueue has nothing to run).
 */
int sn_qdisc_schedule(struct sn_softnet *sd, struct sn_netdev *dev, uint16_t txq);

/** What sn_qdisc_info() reports about a transmit queue's root qdisc. */
struct sn_qdisc_info {
	char kind[SN_QDISC_KIND_SIZE];  /**< discipline name */
	uint32_t flags;                 /**< SN_QDISC_F_* */
	uint32_t state;                 /**< SN_QDISC_STATE_* */
	struct sn_qdisc_params params;  /**< parameters in force */
	struct sn_qdisc_stats stats;    /**< counters of the current qdisc */
	struct sn_qdisc_stats retired;  /**< counters of the qdiscs it replaced */
};

/**
 * Read a transmit queue's root qdisc and its counters. Takes the root lock
 * briefly. Control path: not for lcores that are transmitting at full rate.
 *
 * @return 0; -ENODEV; -EINVAL (bad queue); -ENETDOWN (device down, no qdisc).
 */
int sn_qdisc_info(struct sn_netdev *dev, uint16_t txq, struct sn_qdisc_info *info);

#ifdef __cplusplus
}
#endif

#endif /* SN_QDISC_H */
