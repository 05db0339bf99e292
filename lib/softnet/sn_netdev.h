/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SN_NETDEV_H
#define SN_NETDEV_H

/**
 * @file
 * softnet network devices: what a qdisc transmits through.
 *
 * A netdev is the kernel's struct net_device reduced to transmit: a name, an
 * MTU, an up/down state and transmit queues. Each transmit queue has a root
 * qdisc, an xmit lock with its owner lcore (held around the driver call; a
 * second acquisition by the same lcore is a dead loop, by another a
 * collision) and a stopped bit set when the driver accepted less than offered.
 *
 * Drivers (drivers/net/ *) fill struct sn_netdev_ops; the ethdev driver makes
 * a netdev of any DPDK port.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "sn_qdisc.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sn_netdev;
struct sn_softnet;

/** Longest device name, with its NUL. */
#define SN_NETDEV_NAMESIZE 32
/** Most transmit queues per device. */
#define SN_NETDEV_MAX_TXQ 64
/**
 * A stopped queue whose driver cannot say when it has room again is retried
 * after this many microseconds (rather than spun on).
 */
#define SN_NETDEV_TX_RETRY_US 2
/** Layer-2 header bytes allowed on top of the MTU (Ethernet + one VLAN tag). */
#define SN_NETDEV_L2_OVERHEAD 18

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
	 * Optional: can a stopped queue take packets again? Called before a
	 * scheduled qdisc runs on a stopped queue.
	 * @return > 0 yes, 0 not yet, < 0 the driver cannot tell. For "cannot
	 * tell" and for NULL, softnet retries after SN_NETDEV_TX_RETRY_US.
	 */
	int (*tx_ready)(struct sn_netdev *dev, uint16_t txq);
	/** Optional: release the driver's resources; the device is down. */
	void (*uninit)(struct sn_netdev *dev);
};

/** Per-device counters kept by softnet. */
struct sn_netdev_stats {
	struct sn_qdisc_stats qdisc;  /**< all queues' current and retired qdiscs */
	uint64_t tx_stopped;          /**< queues stopped by a partial transmit */
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
 * Take a device down if needed, drop its queued packets (counted), and free
 * it with its qdiscs; calls ops->uninit.
 *
 * @param sd the caller's softnet if it is attached, else NULL.
 */
void sn_netdev_free(struct sn_netdev *dev, struct sn_softnet *sd);

/**
 * Bring a device up: its root qdiscs become active (dev_activate).
 *
 * @return 0, or -ENODEV for NULL.
 */
int sn_netdev_up(struct sn_netdev *dev);

/**
 * Take a device down (dev_deactivate): transmits are dropped and counted as
 * drop_down; after two grace periods queued packets are dropped and counted
 * in their qdisc. Waits for attached lcores (see sn_qdisc_replace()).
 *
 * @return 0, -ENODEV for NULL, -EDEADLK from softirq context or with
 *         softirqs disabled.
 */
int sn_netdev_down(struct sn_netdev *dev, struct sn_softnet *sd);

/** @return true if the device is up. */
bool sn_netdev_is_up(const struct sn_netdev *dev);

/** @return the device called @p name, or NULL. */
struct sn_netdev *sn_netdev_lookup(const char *name);

/** @return the device's name. */
const char *sn_netdev_name(const struct sn_netdev *dev);

/** @return the device's number of transmit queues. */
uint16_t sn_netdev_nb_txq(const struct sn_netdev *dev);

/** @return the driver operations of @p dev (identifies its driver). */
const struct sn_netdev_ops *sn_netdev_ops(const struct sn_netdev *dev);

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

/** @return the device's MTU (default 1500). */
uint32_t sn_netdev_mtu(const struct sn_netdev *dev);

/**
 * Set the MTU: frames longer than MTU + SN_NETDEV_L2_OVERHEAD are dropped
 * (counted as drop_invalid).
 *
 * @return 0, or -EINVAL for an MTU under 68 or over 65535.
 */
int sn_netdev_set_mtu(struct sn_netdev *dev, uint32_t mtu);

/** @return true if @p txq is stopped (the driver refused part of a burst). */
bool sn_netdev_txq_stopped(const struct sn_netdev *dev, uint16_t txq);

/**
 * Mark a queue stopped (netif_tx_stop_queue). Its qdisc keeps its packets;
 * NET_TX tries the queue again at its next run if the driver's tx_ready does
 * not say it is still full. A partial transmit stops a queue the same way,
 * but a blind retry (no tx_ready, or it cannot tell) then waits
 * SN_NETDEV_TX_RETRY_US.
 */
void sn_netdev_txq_stop(struct sn_netdev *dev, uint16_t txq);

/**
 * Wake a stopped queue and schedule its qdisc on this lcore
 * (netif_tx_wake_queue).
 */
void sn_netdev_txq_wake(struct sn_softnet *sd, struct sn_netdev *dev, uint16_t txq);

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
 * Sum a device's qdisc counters over all its queues, current and retired.
 *
 * @return 0, or -ENODEV.
 */
int sn_netdev_stats(struct sn_netdev *dev, struct sn_netdev_stats *st);

#ifdef __cplusplus
}
#endif

#endif /* SN_NETDEV_H */
