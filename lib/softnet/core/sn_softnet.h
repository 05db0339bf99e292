/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SN_SOFTNET_H
#define SN_SOFTNET_H

/**
 * @file
 * softnet: library set-up and the per-lcore softnet data.
 *
 * Every lcore that transmits through softnet owns one struct sn_softnet (the
 * kernel's per-CPU softnet_data): a completion queue of mbufs to free in bulk,
 * an output queue of qdiscs waiting to run, pending softirq bits, its context
 * (sn_context.h) and its counters. Only the owning lcore writes to it, so no
 * call here takes a lock; counters may be read from any lcore.
 *
 * Life cycle: rte_eal_init(), sn_init(), then on each lcore sn_softnet_attach()
 * before its first transmit and sn_softnet_detach() after its last; in between
 * it must call sn_softnet_poll() regularly (or run sn_softnet_lcore_loop()),
 * which runs deferred work and tells control calls (qdisc replace) that this
 * lcore holds no stale qdisc pointer.
 */

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct sn_softnet;

/** Counters of one lcore, in the spirit of /proc/net/softnet_stat. */
struct sn_softnet_stats {
	uint64_t processed;        /**< mbufs handed to sn_xmit*() on this lcore */
	uint64_t sent;             /**< mbufs drivers accepted from this lcore */
	uint64_t dropped;          /**< sum of the drop_* counters below */
	uint64_t drop_invalid;     /**< zero-length, over-MTU, bad queue */
	uint64_t drop_down;        /**< device down (no active qdisc) */
	uint64_t drop_deactivated; /**< qdisc deactivated by a replace */
	uint64_t drop_qdisc;       /**< refused by the discipline (limit) */
	uint64_t drop_dead_loop;   /**< xmit lock already held by this lcore */
	uint64_t drop_noqueue;     /**< noqueue device could not take them */
	uint64_t time_squeeze;     /**< qdisc runs that ended on quota with work left */
	uint64_t cpu_collision;    /**< xmit lock held by another lcore: requeued */
	uint64_t requeued;         /**< mbufs put back at the head of a qdisc */
	uint64_t bypass;           /**< mbufs offered to the driver on the CAN_BYPASS direct
				    *   path (those it refused are requeued and counted there) */
	uint64_t busylock;         /**< enqueues that found the qdisc running */
	uint64_t queue_stopped;    /**< partial transmits that stopped a queue */
	uint64_t tx_action;        /**< NET_TX softirq runs */
	uint64_t qdisc_runs;       /**< qdiscs run from the output queue */
	uint64_t resched;          /**< qdiscs (re)appended to the output queue */
	uint64_t cq_freed;         /**< mbufs freed in bulk from the completion queue */
	uint64_t cq_flushes;       /**< bulk frees of the completion queue */
	uint64_t irq_deferred;     /**< mbufs sent from hardirq context, deferred to NET_TX */
};

/** Options of sn_init(); zero means the default. */
struct sn_init_params {
	uint32_t tx_quota;     /**< packets per qdisc run (default SN_TX_QUOTA, 64) */
	uint32_t reserved[7];  /**< must be zero */
};

/**
 * Set softnet up: register the mbuf priority field, allocate the softnet of
 * every EAL lcore, prepare the grace-period machinery. Call once, after
 * rte_eal_init() and before any other softnet call.
 *
 * @param p  options, or NULL for the defaults.
 * @return 0; -EALREADY if already set up; -EINVAL for bad options;
 *         -ENOMEM; or the negative errno of a failed DPDK call.
 */
int sn_init(const struct sn_init_params *p);

/**
 * Tear softnet down. Every lcore must have detached and every netdev must be
 * freed first.
 *
 * @return 0, or -EBUSY if an lcore is still attached.
 */
int sn_fini(void);

/**
 * Bind the calling EAL thread to its softnet and mark it online.
 *
 * @return the lcore's softnet, or NULL with rte_errno set: ENODEV if the
 *         caller is not an EAL lcore, EALREADY if it is attached, EPERM
 *         before sn_init().
 */
struct sn_softnet *sn_softnet_attach(void);

/**
 * Run the lcore's remaining work (qdiscs, completion queue) to completion as
 * far as devices allow, then mark it offline. The lcore must hold no lock.
 *
 * @return 0, or -EBUSY if work is still pending (a stopped device).
 */
int sn_softnet_detach(struct sn_softnet *sd);

/**
 * Do this lcore's deferred work: run pending softirqs (NET_TX: free the
 * completion queue in bulk, run scheduled qdiscs; NET_RX), then report a
 * quiescent state. Embedders call this in their own poll loop.
 *
 * @return an estimate of the work done (0 when idle).
 */
unsigned int sn_softnet_poll(struct sn_softnet *sd);

/**
 * The lcore loop: attach, call sn_softnet_poll() until *stop becomes true,
 * then detach. Suitable for rte_eal_remote_launch() through a small wrapper.
 *
 * @return 0, or the negative errno of attach or detach.
 */
int sn_softnet_lcore_loop(volatile bool *stop);

/** @return the lcore id of @p sd. */
unsigned int sn_softnet_lcore(const struct sn_softnet *sd);

/** @return true if @p sd has softirqs pending or qdiscs scheduled. */
bool sn_softnet_has_work(const struct sn_softnet *sd);

/**
 * Read the counters of one lcore (any lcore may call).
 *
 * @return 0, -EINVAL if @p lcore has no softnet or @p st is NULL.
 */
int sn_softnet_stats_get(unsigned int lcore, struct sn_softnet_stats *st);

/** Sum the counters of all lcores into @p st. */
void sn_softnet_stats_sum(struct sn_softnet_stats *st);

/** Zero one lcore's counters; only safe while that lcore is not transmitting. */
int sn_softnet_stats_reset(unsigned int lcore);

/** @return the softnet of @p lcore, attached or not, or NULL. */
struct sn_softnet *sn_softnet_of(unsigned int lcore);

/** One entry of an lcore's output queue, for sn_softnet_output_queue(). */
struct sn_sched_entry {
	struct sn_netdev *dev; /**< device of the scheduled qdisc */
	uint16_t txq;          /**< its transmit queue */
};

/**
 * List the qdiscs on @p sd's output queue, in the order NET_TX will run
 * them. Call from the owning lcore (diagnostics and tests).
 *
 * @return the queue's length; at most @p n entries are written.
 */
unsigned int sn_softnet_output_queue(const struct sn_softnet *sd,
				     struct sn_sched_entry *out, unsigned int n);

/**
 * @return the softnet the calling thread attached, or NULL.
 */
struct sn_softnet *sn_softnet_current(void);

/** @return the configured per-run quota (dev_tx_weight). */
uint32_t sn_tx_quota(void);

#ifdef __cplusplus
}
#endif

#endif /* SN_SOFTNET_H */
