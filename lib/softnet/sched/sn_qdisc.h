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
 * for the busylock; params.defer_list). The list holds at most
 * sn_qdisc_max_burst() packets besides the burst of the lcore that will
 * drain it; packets pushed beyond are dropped by their sender
 * (SN_DROP_BURST_LIMIT, counted in the qdisc's drops too).
 */
#define SN_QDISC_F_DEFER_LIST (1u << 4)

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

/** Bytes a discipline may keep in struct sn_qdisc_params::opts. */
#define SN_QDISC_OPTS_SIZE 256

/**
 * Parameters of a discipline; zero means the discipline's default.
 *
 * The common part (limit, priomap, the framework's switches) is read by the
 * framework and the built-in disciplines. Anything else a discipline takes
 * (a shaper's rate and burst, ...) it keeps in @ref opts, in a struct of its
 * own that its parse op fills in (sn_qdisc_parse()); all zero means its
 * defaults, so a zeroed struct sn_qdisc_params is always valid.
 */
struct sn_qdisc_params {
	uint32_t limit;                    /**< pfifo, pfifo_fast (per band): packets; bfifo: bytes */
	uint8_t priomap[SN_PRIO_COUNT];    /**< pfifo_fast: band per priority */
	bool has_priomap;                  /**< use @ref priomap instead of the default */
	bool no_bypass;                    /**< never take the CAN_BYPASS direct path */
	bool no_busylock;                  /**< contended enqueuers go straight for the root lock */
	bool nolock;                       /**< run without the root lock (NOLOCK-capable kinds) */
	bool defer_list;                   /**< contended enqueuers use the defer list, not the busylock */
	uint8_t reserved[3];               /**< must be zero */
	uint32_t handle;                   /**< tc's handle, major in the upper 16 bits; 0: none */
	/** The discipline's own options (its parse op's struct); zero: its defaults. */
	uint64_t opts[SN_QDISC_OPTS_SIZE / sizeof(uint64_t)];
};

/**
 * List the registered disciplines.
 *
 * @return how many there are; at most @p n names are written to @p names.
 */
unsigned int sn_qdisc_kinds(const char **names, unsigned int n);

/**
 * Parse a qdisc in tc's syntax, as the words after `root` in
 * `tc qdisc add dev X root ...`: the kind, then options, e.g.
 * `{"pfifo", "limit", "100"}`, `{"pfifo_fast", "priomap", "1", "2", ...}`,
 * `{"tbf", "rate", "1mbit", "burst", "32kb", "latency", "400ms"}`.
 *
 * The framework takes `handle MAJ:` anywhere among the options, and softnet's
 * own switches `nobypass`, `nobusylock`, `nolock`, `deferlist`; every other
 * word goes to the discipline's parse op, in order. Units are tc's
 * (sn_tc_units.h). No DPDK call is made: usable before rte_eal_init().
 *
 * @param argc  number of words (at least 1: the kind).
 * @param argv  the words.
 * @param kind  receives the kind (SN_QDISC_KIND_SIZE bytes).
 * @param p     receives the parameters (zeroed first).
 * @param err   receives one line (no newline) naming the offending word and
 *              what was expected, on failure; may be NULL.
 * @param errlen size of @p err.
 * @return 0; -ENOENT unknown kind (err lists the registered ones);
 *         -EINVAL bad option or value; -EOPNOTSUPP a switch the kind cannot
 *         take (nolock on bfifo).
 */
int sn_qdisc_parse(int argc, const char *const argv[], char *kind,
		   struct sn_qdisc_params *p, char *err, size_t errlen);

/**
 * The words sn_qdisc_parse() takes for every kind, for a usage line next to
 * a discipline's own (struct sn_qdisc_ops::usage). nolock needs a
 * NOLOCK-capable kind; deferlist a kind with a queue; not both.
 */
#define SN_QDISC_COMMON_USAGE "[ handle MAJ: ] [ nobypass ] [ nobusylock ] [ nolock | deferlist ]"

/** Output formats of sn_qdisc_print(). */
#define SN_QDISC_PRINT_STATS (1u << 0) /**< add the counters (tc -s) */
#define SN_QDISC_PRINT_JSON  (1u << 1) /**< one JSON object instead of tc's text */

/**
 * Describe a transmit queue's root qdisc as `tc [-s] qdisc show` does:
 *
 *     qdisc pfifo_fast 0: dev port0 txq 0 root bands 3 priomap 1 2 2 2 1 2 0 0 1 1 1 1 1 1 1 1
 *      Sent 6400 bytes 100 pkt (dropped 0, overlimits 0 requeues 0)
 *      backlog 0b 0p requeues 0
 *
 * or, with SN_QDISC_PRINT_JSON, as one object in the layout of `tc -j -s
 * qdisc show` ({"kind": "pfifo_fast", "handle": "0:", "dev": "port0",
 * "txq": 0, "root": true, "options": {...}, "bytes": ..., "packets": ...,
 * "drops": ..., "overlimits": ..., "requeues": ..., "backlog": ...,
 * "qlen": ...}). The options are the discipline's own print op; the counters
 * include those of the qdiscs this queue retired (replaced ones). softnet's
 * own switches (nobypass, nolock, ...) follow the options, in the text and
 * in "options", so that the words after `root` parse back with
 * sn_qdisc_parse(). A discipline's own counters (its print_stats op) make a
 * third text line, indented by two, or an "xstats" object. Text ends with
 * a newline; JSON does not. Takes the root lock briefly (control path).
 *
 * @return the length of the text (as snprintf: the text is cut, NUL
 *         terminated, if @p len is too small); -ENODEV; -EINVAL bad queue
 *         or NULL @p buf with a non-zero @p len.
 */
int sn_qdisc_print(struct sn_netdev *dev, uint16_t txq, unsigned int flags,
		   char *buf, size_t len);

struct rte_tel_data;

/**
 * Describe a transmit queue's root qdisc into a telemetry dictionary, for
 * an rte_telemetry handler: the members of sn_qdisc_print()'s JSON
 * ("kind", "handle", "dev", "txq", "root" = 1, an "options" dictionary,
 * with SN_QDISC_PRINT_STATS the counters and an "xstats" dictionary if the
 * discipline has its own). Numbers as in the JSON, but times in whole
 * microseconds and switches as 1 (telemetry has neither fractions nor
 * booleans). Takes the root lock briefly (control path).
 *
 * The nested dictionaries and arrays are added with keep = 0: the telemetry
 * library frees them when it has encoded the reply (rte_tel_data_free()
 * frees @p d alone), so @p d is meant to be a handler's reply.
 *
 * @param flags SN_QDISC_PRINT_STATS or 0 (SN_QDISC_PRINT_JSON is ignored).
 * @param d     the object to fill (started as a dictionary here; left
 *              untouched when the call is refused).
 * @return 0; -ENODEV; -EINVAL bad queue or NULL @p d; -ENOMEM or -ENOSPC if
 *         a nested container could not be made or added (@p d holds the rest).
 */
int sn_qdisc_print_tel(struct sn_netdev *dev, uint16_t txq, unsigned int flags,
		       struct rte_tel_data *d);

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
 * @return 0; -ENODEV (NULL device); -EINVAL (bad queue or parameter, a
 *         handle with a minor); -ENOENT (unknown kind); -EOPNOTSUPP (params.nolock on a kind that
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
 * on any lcore, is not added twice; nor is one whose defer list holds
 * packets (the lcore that pushed the first of them is on its way to run it).
 *
 * @param sd the calling lcore's softnet, attached (not NULL).
 * @return 0; -ENODEV; -EINVAL (bad queue, or @p sd NULL or detached);
 *         -ENETDOWN (device down); -EOPNOTSUPP (noqueue has nothing to run).
 */
int sn_qdisc_schedule(struct sn_softnet *sd, struct sn_netdev *dev, uint16_t txq);

/** What sn_qdisc_info() reports about a transmit queue's root qdisc. */
struct sn_qdisc_info {
	char kind[SN_QDISC_KIND_SIZE];  /**< discipline name */
	uint32_t flags;                 /**< SN_QDISC_F_* */
	uint32_t state;                 /**< SN_QDISC_STATE_* */
	struct sn_qdisc_params params;  /**< parameters in force (handle included) */
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
