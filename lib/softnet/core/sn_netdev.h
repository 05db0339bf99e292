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
 * collision) and state bits saying who stopped it, if anyone
 * (SN_NETDEV_TXQ_DRV_XOFF and the bits after it).
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
/** Ethernet header bytes a frame may carry on top of the MTU. */
#define SN_NETDEV_ETH_HLEN 14
/** Further bytes allowed on top of the MTU for a frame that carries a VLAN tag. */
#define SN_NETDEV_VLAN_HLEN 4
/**
 * Most layer-2 bytes on top of the MTU, for a VLAN-tagged frame only
 * (SN_NETDEV_ETH_HLEN + SN_NETDEV_VLAN_HLEN): an untagged frame may carry
 * SN_NETDEV_ETH_HLEN (see sn_netdev_set_mtu()).
 */
#define SN_NETDEV_L2_OVERHEAD (SN_NETDEV_ETH_HLEN + SN_NETDEV_VLAN_HLEN)

/**
 * @name Transmit-queue state bits (sn_netdev_txq_state(); the kernel's
 * __QUEUE_STATE_*). A queue with any of them set is stopped: its qdisc keeps
 * its packets. Who stopped a queue decides who starts it again, and no packet
 * is ever left queued with nothing due to run it.
 * @{
 */
/**
 * The driver stopped the queue (sn_netdev_txq_stop(), netif_tx_stop_queue):
 * held until the driver wakes it (sn_netdev_txq_wake()), and the wake
 * schedules the qdisc. Nothing polls a queue in this state.
 */
#define SN_NETDEV_TXQ_DRV_XOFF   (1u << 0)
/** The stack stopped the queue (byte queue limits); reserved, never set yet. */
#define SN_NETDEV_TXQ_STACK_XOFF (1u << 1)
/**
 * softnet stopped the queue because the driver took only part of a burst
 * (DPDK has no transmit-completion interrupt): NET_TX polls it (the driver's
 * tx_ready, or a blind retry after SN_NETDEV_TX_RETRY_US) with its qdisc
 * kept scheduled, and clears the bit once the queue may take packets again.
 * A noqueue root tries the driver regardless.
 */
#define SN_NETDEV_TXQ_SOFT_XOFF  (1u << 2)
/** @} */

/** Per-device counters kept by softnet. */
struct sn_netdev_stats {
	struct sn_qdisc_stats qdisc;  /**< all queues' current and retired qdiscs */
	uint64_t tx_stopped;          /**< partial transmits that stopped a queue (SOFT_XOFF) */
};

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

/** @return the device's MTU (default 1500). */
uint32_t sn_netdev_mtu(const struct sn_netdev *dev);

/**
 * Set the MTU (layer-3 bytes, as the kernel's). Every transmit checks each
 * frame against it: the largest is MTU + SN_NETDEV_ETH_HLEN (1514 for 1500),
 * or MTU + SN_NETDEV_L2_OVERHEAD (1518) when the frame carries a VLAN tag
 * (ethertype 0x8100 or 0x88a8 at byte 12); a frame the port is to segment
 * (RTE_MBUF_F_TX_TCP_SEG or _UDP_SEG with tso_segsz) is judged by its
 * headers plus tso_segsz. Longer frames are dropped and counted as
 * SN_DROP_OVERSIZE, frames shorter than an Ethernet header as
 * SN_DROP_MALFORMED (sn_softnet_stats drops[], and drop_invalid); sn_xmit()
 * returns -EINVAL for them. The new MTU applies to the next transmit.
 *
 * @return 0, or -EINVAL for an MTU under 68 or over 65535.
 */
int sn_netdev_set_mtu(struct sn_netdev *dev, uint32_t mtu);

/**
 * @return true if @p txq is stopped by anyone (any SN_NETDEV_TXQ_* bit);
 *         false for a queue out of range. Lock-free, any thread.
 */
bool sn_netdev_txq_stopped(const struct sn_netdev *dev, uint16_t txq);

/**
 * @return the state bits of @p txq (SN_NETDEV_TXQ_*; 0: running), or 0 for a
 *         queue out of range. A snapshot: other lcores may change it at once.
 *         Lock-free, any thread.
 */
uint32_t sn_netdev_txq_state(const struct sn_netdev *dev, uint16_t txq);

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
