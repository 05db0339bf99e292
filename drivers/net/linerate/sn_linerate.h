/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SN_LINERATE_H
#define SN_LINERATE_H

/**
 * @file
 * The line-rate NIC model: a softnet device with no hardware behind it whose
 * transmit queues behave like a real NIC's in front of a link of a given
 * rate. Each queue has a descriptor ring of a configured size; a frame put
 * on it starts on the wire when the frames before it have left, and takes
 * (length + overhead) * 8 / rate seconds there, the overhead being the wire's
 * 24 bytes of preamble, start-of-frame delimiter, FCS and inter-frame gap
 * (64-byte frames at 10 Gbit/s: 14.88 Mpps). Time is the TSC.
 *
 * The model runs lazily: whenever the driver is entered (its xmit op, its
 * tx_ready op, or sn_linerate_poll(), which the application's loop calls),
 * frames whose last bit has left the wire are handed on (freed, given to a
 * sink callback with their departure time, or sent to another DPDK port),
 * and frames whose completion time has come release their descriptor: a
 * transmit completion, reported to byte queue limits (BQL, sn_dql.h). When
 * the ring is full the driver stops the queue (sn_netdev_txq_stop()); the
 * poll wakes it when room returns.
 *
 * Completions can be delayed (a NIC that coalesces its completion
 * interrupts: batches at most every so often) and frames dropped on the
 * wire, to see BQL adapt.
 *
 * Usage: create with sn_linerate_create() (the device is up, BQL on unless
 * @c no_bql), transmit with sn_xmit_burst(), and call sn_linerate_poll()
 * in the same loop as sn_softnet_poll(): without the poll, a stopped queue
 * is only started again by the next transmit attempt's NET_TX poll.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#ifdef __cplusplus
extern "C" {
#endif

struct sn_netdev;
struct sn_softnet;

/** Bytes of wire overhead per frame: preamble 7, SFD 1, FCS 4, inter-frame gap 12. */
#define SN_LINERATE_OVERHEAD 24
/** Default descriptors per transmit queue. */
#define SN_LINERATE_RING_DEFAULT 1024
/** Most descriptors per transmit queue. */
#define SN_LINERATE_RING_MAX 65536
/** Default link rate, bits per second (10 Gbit/s). */
#define SN_LINERATE_RATE_DEFAULT 10000000000ull

/**
 * Where frames leaving the wire go, when a sink is set: called with up to
 * 64 frames of one queue at a time, in wire order, with the TSC at which
 * each frame's last bit left the wire (@p depart_tsc, model time; the call
 * itself comes later, when the driver is next entered). The sink owns the
 * mbufs. It runs inside the driver with the queue's ring lock held: it must
 * not transmit on this device.
 */
typedef void (*sn_linerate_sink_t)(void *arg, uint16_t txq, struct rte_mbuf **pkts,
				   const uint64_t *depart_tsc, uint16_t n);

/** How sn_linerate_create() sets a device up; zero fields mean the default. */
struct sn_linerate_conf {
	uint64_t rate_bps;          /**< link rate, bit/s (default 10 Gbit/s) */
	uint16_t nb_txq;            /**< transmit queues (default 1) */
	uint32_t ring_size;         /**< descriptors per queue, 1 .. SN_LINERATE_RING_MAX
				         (default SN_LINERATE_RING_DEFAULT) */
	uint32_t overhead;          /**< wire bytes per frame on top of its length
				         (default SN_LINERATE_OVERHEAD) */
	bool no_overhead;           /**< count no wire overhead at all */
	bool no_bql;                /**< leave BQL off (default: on, see sn_dql.h) */
	uint32_t bql_hold_us;       /**< BQL slack hold time (default: the dql's) */
	uint64_t completion_delay_ns; /**< completions in batches, at most one per this
				           many ns, each completing every frame that has
				           left the wire by then (a NIC's interrupt
				           moderation: a frame's completion comes up to this
				           long after it left); 0 (default): at once */
	uint32_t drop_every;        /**< every Nth frame is lost on the wire: freed and
				         counted in @c dropped, still completed (0: none) */
	sn_linerate_sink_t sink;    /**< frames leaving the wire go here (NULL: freed,
				         or to @c port) */
	void *sink_arg;             /**< the sink's argument */
	bool to_port;               /**< frames leaving the wire go to DPDK port @c port_id,
				         queue @c port_txq, with rte_eth_tx_burst() (ignored
				         with a sink); what it refuses is freed and counted
				         in @c port_refused */
	uint16_t port_id;           /**< with @c to_port */
	uint16_t port_txq;          /**< with @c to_port */
	int socket;                 /**< NUMA socket for the rings (0: any) */
	uint32_t reserved[4];       /**< must be zero */
};

/**
 * Counters of one transmit queue of the model: a snapshot as of @c tsc (a
 * frame whose last bit has left by then counts as departed even if the
 * driver has not handed it on yet).
 */
struct sn_linerate_stats {
	uint64_t tsc;               /**< TSC of the snapshot */
	uint64_t accepted;          /**< frames put on the ring */
	uint64_t accepted_bytes;    /**< their bytes (frame lengths, no overhead) */
	uint64_t departed;          /**< frames whose last bit left the wire (delivered or
				         dropped) */
	uint64_t departed_bytes;    /**< their bytes */
	uint64_t completed;         /**< descriptors completed (released) */
	uint64_t dropped;           /**< frames lost on the wire (drop_every) */
	uint64_t port_refused;      /**< frames the target port refused (freed) */
	uint64_t stops;             /**< times the ring filled and the driver stopped the queue */
	uint64_t wakes;             /**< times the poll woke it */
	uint64_t idle_cycles;       /**< TSC cycles the wire has spent idle with nothing to
				         send since its first frame, up to this call */
	uint32_t in_ring;           /**< descriptors in use now (accepted, not completed) */
	uint32_t on_wire;           /**< of those, frames not yet departed */
	uint64_t first_tsc;         /**< TSC at which the first frame started on the wire */
	uint64_t wire_free_tsc;     /**< TSC at which the wire will be (was) idle */
};

/**
 * Create an up line-rate device named @p name with the settings of @p conf
 * (NULL: all defaults), BQL on unless @c no_bql.
 *
 * @return the device, or NULL with rte_errno: EINVAL (bad settings: rate 0
 *         after the default, ring size out of range, a bad port with
 *         @c to_port, reserved fields set), EEXIST, ENOMEM.
 */
struct sn_netdev *sn_linerate_create(const char *name, const struct sn_linerate_conf *conf);

/**
 * Take the device down, free it with its qdiscs, and free what its rings
 * still hold (counted as completed, not delivered). Control path.
 *
 * @param sd the caller's softnet if it is attached, else NULL.
 */
void sn_linerate_free(struct sn_netdev *dev, struct sn_softnet *sd);

/** @return true if @p dev is a line-rate model device. */
bool sn_is_linerate(const struct sn_netdev *dev);

/**
 * Advance the model to now on every queue of @p dev: hand on the frames that
 * left the wire, complete the descriptors whose time has come (BQL
 * completions), and wake the queues the driver stopped once a quarter of
 * their ring (at most 16 descriptors) is free again. Call it from the loop
 * that calls sn_softnet_poll(). Softirqs are disabled inside and the qdisc
 * runs the wakes and completions schedule happen on the way out (process
 * context) or at the next softirq run.
 *
 * @param sd the calling lcore's attached softnet.
 * @return the number of descriptors completed, or -EINVAL (not a line-rate
 *         device, NULL @p sd), -EPERM (hardirq context).
 */
int sn_linerate_poll(struct sn_softnet *sd, struct sn_netdev *dev);

/**
 * Read the counters of queue @p txq.
 *
 * @return 0, or -EINVAL (not a line-rate device, queue out of range, NULL @p st).
 */
int sn_linerate_stats(struct sn_netdev *dev, uint16_t txq, struct sn_linerate_stats *st);

/**
 * Change the completion delay of every queue at run time (a NIC that starts
 * coalescing completions; see struct sn_linerate_conf::completion_delay_ns):
 * from the next completion batch on, batches come at most every @p ns.
 *
 * @return 0, or -EINVAL (not a line-rate device).
 */
int sn_linerate_set_completion_delay(struct sn_netdev *dev, uint64_t ns);

/**
 * @return the configured link rate of @p dev in bit/s, or 0 if it is not a
 *         line-rate device.
 */
uint64_t sn_linerate_rate(const struct sn_netdev *dev);

/**
 * @return the wire time, in TSC cycles, of @p npkts frames of @p len bytes
 *         on @p dev (overhead included; rounded down), or 0 if it is not a
 *         line-rate device. For tests and benchmarks that compare the
 *         achieved rate with the line rate.
 */
uint64_t sn_linerate_wire_cycles(const struct sn_netdev *dev, uint64_t npkts, uint32_t len);

#ifdef __cplusplus
}
#endif

#endif /* SN_LINERATE_H */
