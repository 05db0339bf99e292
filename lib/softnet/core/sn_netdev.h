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

/** Per-device counters kept by softnet. */
struct sn_netdev_stats {
	struct sn_qdisc_stats qdisc;  /**< all queues' current and retired qdiscs */
	uint64_t tx_stopped;          /**< queues stopped by a partial transmit */
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
 * Set the MTU: frames longer than MTU + SN_NETDEV_L2_OVERHEAD are dropped
 * (counted as drop_invalid).
 *
 * @return 0, or -EINVAL for an MTU under 68 or over 65535.
 */
int sn_netdev_set_mtu(struct sn_netdev *dev, uint32_t mtu);

/** @return true if @p txq is stopped (the driver refused part of a burst). */
bool sn_netdev_txq_stopped(const struct sn_netdev *dev, uint16_t txq);

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
