/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SN_DQL_H
#define SN_DQL_H

/**
 * @file
 * Dynamic queue limits: the algorithm behind byte queue limits (BQL), the
 * kernel's lib/dynamic_queue_limits.c semantics re-implemented.
 *
 * A dql watches one producer/consumer pair: bytes handed to a device queue
 * (sn_dql_queued()) and bytes the device reports done (sn_dql_completed()).
 * It keeps a limit on the bytes in flight between them that is just large
 * enough for the device never to run dry between two completions:
 * - the limit grows when the queue starved: it had been stopped at the limit,
 *   and a completion found everything done (the device idled, so the limit
 *   was too small), by what completed beyond what had been queued plus by how
 *   far over the limit the queue had gone;
 * - it shrinks when slack persists: while every completion leaves bytes in
 *   flight, the smallest slack seen (bytes that were never needed to keep the
 *   device busy) is taken off the limit once per hold time.
 * The limit stays within [min_limit, max_limit].
 *
 * softnet's netdevs keep one per transmit queue (sn_netdev_driver.h:
 * sn_netdev_tx_sent_queue() and friends); this header is the bare algorithm,
 * usable for any queue.
 *
 * Threading: none inside. sn_dql_queued() and sn_dql_completed() for one dql
 * must be serialised by the caller (softnet's netdevs call both under the
 * driver's own serialisation of the queue); readers of the counters from
 * other threads get a snapshot.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Largest limit a dql accepts (the kernel's DQL_MAX_LIMIT order of magnitude). */
#define SN_DQL_MAX_LIMIT (UINT32_MAX / 16)
/** Default slack hold time in microseconds (the kernel's one second). */
#define SN_DQL_HOLD_US_DEFAULT 1000000u

/**
 * One dql. Fields are the algorithm's state; read them through the helpers.
 * Counts are free-running 32-bit byte counters (wrap-safe differences).
 */
struct sn_dql {
	/* Producer side: written by sn_dql_queued(), read by sn_dql_avail(). */
	uint32_t num_queued;         /**< bytes queued in all (free-running) */
	uint32_t adj_limit;          /**< limit + num_completed: queued may reach it */
	uint32_t last_obj_cnt;       /**< bytes of the last sn_dql_queued() */

	/* Consumer side: written by sn_dql_completed(). */
	uint32_t limit __rte_cache_aligned; /**< current limit, bytes */
	uint32_t num_completed;      /**< bytes completed in all (free-running) */
	uint32_t prev_ovlimit;       /**< over-limit bytes seen at the last completion */
	uint32_t prev_num_queued;    /**< num_queued at the last completion */
	uint32_t prev_last_obj_cnt;  /**< last_obj_cnt at the last completion */
	uint32_t lowest_slack;       /**< smallest slack in this hold interval */
	uint64_t slack_start_tsc;    /**< start of this hold interval */

	/* Configuration. */
	uint32_t min_limit;          /**< the limit never goes below */
	uint32_t max_limit;          /**< the limit never goes above */
	uint64_t hold_cycles;        /**< slack hold time, TSC cycles */
};

/**
 * Set a dql up: limits [@p min_limit, @p max_limit] (bytes, max clamped to
 * SN_DQL_MAX_LIMIT), slack hold time @p hold_us (0: SN_DQL_HOLD_US_DEFAULT),
 * and reset it (sn_dql_reset()).
 *
 * @return 0, or -EINVAL for NULL or @p min_limit > @p max_limit.
 */
int sn_dql_init(struct sn_dql *dql, uint32_t min_limit, uint32_t max_limit, uint32_t hold_us);

/**
 * Forget everything in flight (the kernel's dql_reset): counters to zero,
 * the limit back to min_limit. Configuration kept. Not concurrently with
 * sn_dql_queued() / sn_dql_completed().
 */
void sn_dql_reset(struct sn_dql *dql);

/**
 * Record @p bytes handed to the device (the kernel's dql_queued). Caller
 * serialised with sn_dql_completed().
 */
static inline void
sn_dql_queued(struct sn_dql *dql, uint32_t bytes)
{
	dql->last_obj_cnt = bytes;
	dql->num_queued += bytes;
}

/**
 * @return the bytes that may still be queued before the limit (negative:
 *         over it; the queue should stop). The kernel's dql_avail.
 */
static inline int32_t
sn_dql_avail(const struct sn_dql *dql)
{
	return (int32_t)(__atomic_load_n(&dql->adj_limit, __ATOMIC_RELAXED) -
			 __atomic_load_n(&dql->num_queued, __ATOMIC_RELAXED));
}

/** @return bytes queued and not completed yet. */
static inline uint32_t
sn_dql_inflight(const struct sn_dql *dql)
{
	return __atomic_load_n(&dql->num_queued, __ATOMIC_RELAXED) -
	       __atomic_load_n(&dql->num_completed, __ATOMIC_RELAXED);
}

/**
 * Record @p bytes completed by the device and adapt the limit (the kernel's
 * dql_completed). Completions beyond what is in flight are ignored (bytes
 * queued before the dql was reset). Caller serialised with sn_dql_queued().
 * Reads the TSC once.
 */
void sn_dql_completed(struct sn_dql *dql, uint32_t bytes);

/**
 * @name Byte queue limits on softnet transmit queues (BQL)
 *
 * Each transmit queue of a softnet device has a dql, fed by its driver
 * (sn_netdev_tx_sent_queue() and sn_netdev_tx_completed_queue() in
 * sn_netdev_driver.h) and off by default: a driver that reports
 * completions (the line-rate model, sn_linerate.h) turns it on; an
 * application may turn it on or off and bound the limit.
 * @{
 */

struct sn_netdev;
struct sn_softnet;

/** BQL settings of a transmit queue (zero fields: the defaults). */
struct sn_bql_conf {
	bool enable;          /**< BQL on for the queue */
	uint32_t min_limit;   /**< bytes; default 0 */
	uint32_t max_limit;   /**< bytes; default (0) SN_DQL_MAX_LIMIT */
	uint32_t hold_us;     /**< slack hold time; default (0) SN_DQL_HOLD_US_DEFAULT */
};

/** What BQL does on a transmit queue (a snapshot). */
struct sn_bql_info {
	bool enabled;         /**< BQL on */
	bool stopped;         /**< the queue is stopped by BQL now (STACK_XOFF) */
	uint32_t limit;       /**< current limit, bytes */
	uint32_t inflight;    /**< bytes handed to the device, not completed */
	uint32_t min_limit;   /**< configured bounds, bytes */
	uint32_t max_limit;
	uint32_t hold_us;     /**< slack hold time */
	uint64_t stops;       /**< times the limit stopped the queue */
	uint64_t wakes;       /**< times a completion started it again */
};

/**
 * Turn BQL on or off on @p txq of @p dev and set its bounds; the dql is
 * reset (nothing in flight). A BQL stop is cleared. Control path; the
 * device must be down (the driver's sent/completed calls are not
 * synchronised with this one); a driver may also call it before
 * sn_netdev_up().
 *
 * @return 0; -ENODEV (NULL device); -EINVAL (queue out of range, NULL
 *         @p conf, min_limit > max_limit); -EBUSY (the device is up).
 */
int sn_netdev_bql_set(struct sn_netdev *dev, uint16_t txq, const struct sn_bql_conf *conf);

/**
 * Read BQL's state on @p txq of @p dev (the kernel's byte_queue_limits/
 * in sysfs). Lock-free, any thread; a snapshot.
 *
 * @return 0; -ENODEV; -EINVAL (queue out of range or NULL @p info).
 */
int sn_netdev_txq_bql(const struct sn_netdev *dev, uint16_t txq, struct sn_bql_info *info);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* SN_DQL_H */
