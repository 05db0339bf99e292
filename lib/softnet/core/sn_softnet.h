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

/**
 * Why a packet was freed without being sent: the kernel's SKB_DROP_REASON_*
 * for the egress path. Every mbuf softnet drops is counted under exactly one
 * reason, on the lcore that dropped it (struct sn_softnet_stats::drops), and
 * the reasons add up to struct sn_softnet_stats::dropped. Values may be
 * added at the end (before SN_DROP_REASON_MAX); names never change.
 */
enum sn_drop_reason {
	/** "qdisc": the discipline refused it (a full band, a byte or packet
	 *  limit; SKB_DROP_REASON_QDISC_DROP). Also in the qdisc's drops. */
	SN_DROP_QDISC,
	/** "burst_limit": the qdisc's defer list already held
	 *  sn_qdisc_max_burst() packets; dropped by the sender at once
	 *  (Linux 6.19's SKB_DROP_REASON_QDISC_BURST_DROP). Also in the
	 *  qdisc's drops. */
	SN_DROP_BURST_LIMIT,
	/** "deactivated": sent to a qdisc being replaced or taken down, or
	 *  still queued in it when it was retired. Also in the qdisc's drops. */
	SN_DROP_DEACTIVATED,
	/** "dev_down": the device is down (no active qdisc;
	 *  SKB_DROP_REASON_DEV_READY). */
	SN_DROP_DEV_DOWN,
	/** "dead_loop": the transmit queue's xmit lock is already held by this
	 *  lcore (a virtual device transmitting into itself). */
	SN_DROP_DEAD_LOOP,
	/** "recursion_limit": SN_XMIT_RECURSION_LIMIT driver calls were already
	 *  in progress on this lcore (drivers transmitting into other softnet
	 *  devices; SKB_DROP_REASON_RECURSION_LIMIT). */
	SN_DROP_RECURSION_LIMIT,
	/** "oversize": longer than the device's MTU + 14 (+ 4 for a VLAN-tagged
	 *  frame; a TSO/USO frame by its segments; SKB_DROP_REASON_PKT_TOO_BIG). */
	SN_DROP_OVERSIZE,
	/** "malformed": zero length or shorter than an Ethernet header
	 *  (SKB_DROP_REASON_PKT_TOO_SMALL). */
	SN_DROP_MALFORMED,
	/** "no_txq": no such device or transmit queue (a NULL device, a queue
	 *  index out of range, also from hardirq context). */
	SN_DROP_NO_TXQ,
	/** "driver": a driver refused packets that have no queue to wait in
	 *  (a noqueue device; the kernel's tx_dropped). */
	SN_DROP_DRIVER,
	/** "qdisc_congested": an AQM dropped it to keep the queue's delay down
	 *  (CoDel at the head of a flow; SKB_DROP_REASON_QDISC_CONGESTED).
	 *  Also in the qdisc's drops. */
	SN_DROP_QDISC_CONGESTED,
	/** "qdisc_overlimit": dropped from a full qdisc to make room (fq_codel's
	 *  drop from the fattest flow over its limit or memory_limit;
	 *  SKB_DROP_REASON_QDISC_OVERLIMIT). Also in the qdisc's drops. */
	SN_DROP_QDISC_OVERLIMIT,
	/** "emulated_loss": lost on purpose by a link emulator (netem's loss).
	 *  Also in the qdisc's drops. */
	SN_DROP_EMULATED_LOSS,
	SN_DROP_REASON_MAX /**< number of reasons */
};

/**
 * @return the name of a drop reason ("qdisc", "burst_limit", ..., the
 *         strings above: lower case, letters and '_'), or NULL when
 *         @p reason is out of range.
 */
const char *sn_drop_reason_name(enum sn_drop_reason reason);

/** Slots of struct sn_softnet_stats::drops: the ABI keeps room for more reasons. */
#define SN_DROP_REASON_SLOTS 16

/**
 * Counters of one lcore, in the spirit of /proc/net/softnet_stat.
 *
 * Drops: drops[] is the truth, one counter per enum sn_drop_reason with one
 * writer each (the lcore); dropped is their sum. The older drop_* fields are
 * kept for existing readers as sums of reasons, filled in by
 * sn_softnet_stats_get() and sn_softnet_stats_sum(); they too add up to
 * dropped.
 *
 * Two names come from /proc/net/softnet_stat but do not mean what they mean
 * in today's kernel, where both are receive-side or dead: time_squeeze
 * there counts net_rx_action() running out of budget, here it counts
 * transmit-side qdisc runs that ran out of quota (dev_tx_weight); and
 * cpu_collision, which today's kernel no longer increments (the column
 * stays, always 0), here still counts what it once did on the transmit
 * side: a qdisc run that found the xmit lock held by another lcore, and
 * requeued.
 */
struct sn_softnet_stats {
	uint64_t processed;        /**< mbufs handed to sn_xmit*() on this lcore */
	uint64_t sent;             /**< mbufs drivers accepted from this lcore */
	uint64_t dropped;          /**< sum of drops[] (and of the drop_* fields) */
	uint64_t drop_invalid;     /**< drops[OVERSIZE] + drops[MALFORMED] + drops[NO_TXQ] */
	uint64_t drop_down;        /**< drops[DEV_DOWN] */
	uint64_t drop_deactivated; /**< drops[DEACTIVATED] */
	uint64_t drop_qdisc;       /**< drops of the qdiscs: QDISC, BURST_LIMIT, QDISC_CONGESTED, QDISC_OVERLIMIT, EMULATED_LOSS */
	uint64_t drop_dead_loop;   /**< drops[DEAD_LOOP] + drops[RECURSION_LIMIT] */
	uint64_t drop_noqueue;     /**< drops[DRIVER] */
	uint64_t time_squeeze;     /**< qdisc runs that ended on quota with work left
				    *   (transmit side: not the kernel's RX meaning) */
	uint64_t cpu_collision;    /**< xmit lock held by another lcore: requeued
				    *   (always 0 in today's kernel) */
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
	/**
	 * mbufs dropped, per enum sn_drop_reason; slots past SN_DROP_REASON_MAX
	 * stay 0 (room for reasons added later without changing the layout).
	 */
	uint64_t drops[SN_DROP_REASON_SLOTS];
};

/** Options of sn_init(); zero means the default. */
struct sn_init_params {
	uint32_t tx_quota;     /**< packets per qdisc run (default SN_TX_QUOTA, 64) */
	/** packets a qdisc's defer list may hold (default SN_QDISC_MAX_BURST,
	 *  1000; the kernel's net.core.qdisc_max_burst; see sn_qdisc_max_burst()) */
	uint32_t qdisc_max_burst;
	uint32_t reserved[6];  /**< must be zero */
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
 * Qdiscs still scheduled then (a queue softnet stopped after a partial
 * burst, a busy xmit lock) are handed to the next lcore that calls
 * sn_softnet_poll() (the kernel's dev_cpu_dead()): their packets are not
 * stranded, they wait for an attached lcore.
 *
 * @return 0; -EBUSY if work was still pending and was handed over.
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

/** Default of sn_qdisc_max_burst(), as the kernel's net.core.qdisc_max_burst. */
#define SN_QDISC_MAX_BURST 1000
/** Largest value sn_qdisc_max_burst_set() takes. */
#define SN_QDISC_MAX_BURST_MAX (1u << 24)

/**
 * @return how many packets a qdisc's defer list may hold beyond the burst
 *         of the lcore that will drain it (the kernel's qdisc_max_burst):
 *         a packet pushed beyond is dropped at once by its sender, counted
 *         as SN_DROP_BURST_LIMIT. Defer-list qdiscs only (params.defer_list).
 */
uint32_t sn_qdisc_max_burst(void);

/**
 * Change sn_qdisc_max_burst() at run time (as writing the sysctl): any lcore,
 * any time; transmits see the new value at their next push.
 *
 * @return 0, or -EINVAL for 0 or more than SN_QDISC_MAX_BURST_MAX.
 */
int sn_qdisc_max_burst_set(uint32_t limit);

#ifdef __cplusplus
}
#endif

#endif /* SN_SOFTNET_H */
