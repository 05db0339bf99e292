/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SN_NETDEV_DRIVER_H
#define SN_NETDEV_DRIVER_H

/**
 * @file
 * The netdev driver SDK: what a softnet device driver (drivers/net/ *, or
 * one of an application's own) implements and calls. A driver fills a
 * struct sn_netdev_ops (the kernel's ndo_start_xmit, burst form), creates its
 * devices with sn_netdev_create(), and stops and wakes its transmit queues as
 * the kernel's netif_tx_stop_queue() / netif_tx_wake_queue().
 */

#include <stddef.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "sn_netdev.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Driver operations (the kernel's net_device_ops, transmit side). */
struct sn_netdev_ops {
	/**
	 * Transmit up to @p n packets on queue @p txq (ndo_start_xmit, burst
	 * form). Called with the queue's xmit lock held and no other softnet
	 * lock. The driver owns the packets it accepts; the rest stay the
	 * caller's.
	 * @return the number accepted, a prefix of @p pkts.
	 */
	uint16_t (*xmit)(struct sn_netdev *dev, uint16_t txq,
			 struct rte_mbuf **pkts, uint16_t n);
	/**
	 * Optional: can a queue softnet stopped after a partial burst
	 * (SN_NETDEV_TXQ_SOFT_XOFF) take packets again? NET_TX asks before it
	 * runs the queue's qdisc, with the root lock held (no xmit lock), on
	 * the lcore the qdisc is scheduled on; a queue the driver stopped
	 * itself is not polled (its wake starts it).
	 * @return > 0 yes, 0 not yet, < 0 the driver cannot tell. For "cannot
	 * tell" and for NULL, softnet retries after SN_NETDEV_TX_RETRY_US.
	 */
	int (*tx_ready)(struct sn_netdev *dev, uint16_t txq);
	/** Optional: release the driver's resources; the device is down. */
	void (*uninit)(struct sn_netdev *dev);
};


/**
 * Create a device, down, with @p nb_txq transmit queues and a default qdisc
 * (pfifo_fast) prepared on each; sn_netdev_up() activates them.
 *
 * @param name      unique name (at most SN_NETDEV_NAMESIZE - 1 bytes).
 * @param ops       driver operations; must outlive the device.
 * @param nb_txq    1 .. SN_NETDEV_MAX_TXQ.
 * @param priv_size bytes of driver data (sn_netdev_priv()).
 * @param socket    NUMA socket for the allocations, or SOCKET_ID_ANY.
 * @return the device, or NULL with rte_errno: EINVAL, EEXIST, ENOMEM.
 */
struct sn_netdev *sn_netdev_create(const char *name, const struct sn_netdev_ops *ops,
				   uint16_t nb_txq, size_t priv_size, int socket);

/**
 * The first bytes of every struct sn_netdev: what a driver reads on each
 * transmit, public so that sn_netdev_priv() costs no call. The rest of the
 * device is private to libsoftnet.
 */
struct sn_netdev_head {
	void *priv; /**< the driver's data (priv_size bytes), NULL if none */
};

/** @return the driver data of @p dev. */
static inline void *
sn_netdev_priv(struct sn_netdev *dev)
{
	return ((struct sn_netdev_head *)dev)->priv;
}

/** @return the driver operations of @p dev (identifies its driver). */
const struct sn_netdev_ops *sn_netdev_ops(const struct sn_netdev *dev);

/**
 * The driver stops a queue (netif_tx_stop_queue; SN_NETDEV_TXQ_DRV_XOFF):
 * its ring is full, its link went down, flow control paused it. The qdisc
 * keeps its packets, and the queue stays stopped until the driver calls
 * sn_netdev_txq_wake(): softnet never polls it nor calls xmit on it (a
 * noqueue root drops what it is given meanwhile, as the kernel's).
 *
 * Threading: one atomic operation; any thread and any context, hardirq
 * included, with or without the queue's xmit lock. The usual place is the
 * driver's own xmit op, after accepting what fits (the batch it accepted is
 * sent; the rest waits for the wake). A stop that lands while another lcore
 * runs the qdisc ends that run at its next batch; what is left stays queued
 * for the wake.
 */
void sn_netdev_txq_stop(struct sn_netdev *dev, uint16_t txq);

/**
 * The driver wakes a queue (netif_tx_wake_queue): clears its own stop and
 * softnet's (the driver says it has room), then, if either was set,
 * schedules the queue's qdisc on @p sd's lcore, whose NET_TX runs it (at
 * once on the way out when called in process context with softirqs enabled,
 * as local_bh_enable(); else at the lcore's next softirq run). A queue that
 * was not stopped is left alone.
 *
 * Threading: @p sd is the calling lcore's attached softnet; process or
 * softirq context (a polling loop, an RX callback, the driver's own xmit op,
 * where softirqs are off, so the qdisc is only scheduled), not hardirq
 * context.
 * Any lcore may wake a queue another stopped. The wake only ever clears the
 * bits, so a driver that may stop and wake one queue from two lcores at
 * once must order those itself (e.g. wake under sn_netdev_tx_lock()).
 *
 * @return 0; -EINVAL for a NULL argument or a queue out of range; -EPERM
 *         from hardirq context (nothing changed).
 */
int sn_netdev_txq_wake(struct sn_softnet *sd, struct sn_netdev *dev, uint16_t txq);

/**
 * Take a queue's xmit lock, recording this lcore as owner
 * (__netif_tx_lock). Qdisc runs on other lcores meanwhile see a collision,
 * on this lcore a dead loop.
 *
 * @return 0, -EDEADLK if this lcore already owns it, -EINVAL for a bad queue.
 */
int sn_netdev_tx_lock(struct sn_softnet *sd, struct sn_netdev *dev, uint16_t txq);

/** Release a queue's xmit lock taken with sn_netdev_tx_lock(). */
void sn_netdev_tx_unlock(struct sn_netdev *dev, uint16_t txq);

/** @return the lcore owning a queue's xmit lock, or -1. */
int sn_netdev_tx_lock_owner(const struct sn_netdev *dev, uint16_t txq);

/**
 * @name Byte queue limits, the driver's side (the kernel's
 * netdev_tx_sent_queue / netdev_tx_completed_queue / netdev_tx_reset_queue).
 *
 * A driver that knows when its device has finished with a frame (a transmit
 * completion) reports the bytes it hands to the device and the bytes
 * completed; softnet keeps a dql (sn_dql.h) per transmit queue and stops the
 * queue (SN_NETDEV_TXQ_STACK_XOFF, separate from the driver's own
 * SN_NETDEV_TXQ_DRV_XOFF) once the bytes in flight exceed its limit, so that
 * packets wait in the qdisc, where its priorities and AQM apply, rather than
 * in the device's ring. A completion that brings the bytes in flight back
 * under the limit starts the queue again and schedules its qdisc.
 *
 * Nothing happens while BQL is off on the queue (the default; see
 * sn_netdev_bql_set() in sn_dql.h), so a driver may always call these.
 * A driver that cannot know completions must not call them.
 *
 * Threading: the calls for one queue must be serialised by the driver (its
 * xmit op runs under the queue's xmit lock; its completion path must take
 * the same lock or one of its own held in both places).
 * @{
 */

/**
 * The driver handed @p bytes to the device on @p txq (netdev_tx_sent_queue):
 * call from the xmit op once per accepted burst, after accepting it. If the
 * bytes in flight now exceed the limit the queue is stopped (STACK_XOFF):
 * the qdisc run in progress ends after this burst and the queue's next
 * completion that brings it under the limit starts it.
 */
void sn_netdev_tx_sent_queue(struct sn_netdev *dev, uint16_t txq, uint32_t bytes);

/**
 * @return the bytes @p txq may still take before BQL stops it (the kernel's
 *         qdisc_avail_bulklimit): negative when over the limit, INT32_MAX
 *         while BQL is off on the queue or for a queue out of range. A
 *         driver that takes bursts bounds each one with it: it takes frames
 *         while this many bytes are left, the frame that crosses the limit
 *         included, and leaves the rest of the burst to softnet (requeued in
 *         order), as the kernel's qdisc dequeues no more than this per bulk.
 *         Without that, a whole burst lands beyond the limit and BQL grows
 *         the limit by it at the next starvation. Same serialisation as
 *         sn_netdev_tx_sent_queue().
 */
int32_t sn_netdev_tx_bql_avail(const struct sn_netdev *dev, uint16_t txq);

/**
 * The device finished @p pkts frames of @p bytes on @p txq
 * (netdev_tx_completed_queue): the limit adapts, and if the queue was
 * stopped by BQL and is now under its limit it is started and its qdisc
 * scheduled on @p sd's lcore (run at once on the way out in process context
 * with softirqs enabled, else at the lcore's next softirq run; as
 * sn_netdev_txq_wake()).
 *
 * @param sd the calling lcore's attached softnet.
 * @return 0; -EINVAL for a NULL argument or a queue out of range; -EPERM
 *         from hardirq context (nothing changed).
 */
int sn_netdev_tx_completed_queue(struct sn_softnet *sd, struct sn_netdev *dev, uint16_t txq,
				 uint32_t pkts, uint32_t bytes);

/**
 * The driver forgot everything in flight on @p txq (netdev_tx_reset_queue;
 * a ring flushed on stop): the dql is reset and a BQL stop cleared, its
 * qdisc scheduled on @p sd's lcore if it was stopped.
 *
 * @return 0; -EINVAL; -EPERM from hardirq context.
 */
int sn_netdev_tx_reset_queue(struct sn_softnet *sd, struct sn_netdev *dev, uint16_t txq);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* SN_NETDEV_DRIVER_H */
