/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SN_XPS_H
#define SN_XPS_H

/**
 * @file
 * XPS, transmit packet steering (the kernel's xps_cpus): each lcore
 * transmits on a queue of its own, so that lcores on different queues never
 * share a root lock, a busylock or an xmit lock. With the mq root
 * (sn_mq.h) every queue has its own qdisc: the kernel's multi-queue egress.
 *
 * The map is per device, from lcore id to transmit queue. By default an
 * lcore uses queue (its lcore index, rte_lcore_index()) mod the number of
 * queues, so lcores 0 and 1 of a "-l 0-1" run land on queues 0 and 1 of a
 * two-queue device. sn_xmit_xps() looks the queue up once per call (one
 * load) and is otherwise sn_xmit_burst().
 */

#include <stdint.h>

#include <rte_mbuf.h>

#ifdef __cplusplus
extern "C" {
#endif

struct sn_netdev;
struct sn_softnet;

/** For sn_netdev_xps_set(): back to the default queue of that lcore. */
#define SN_XPS_DEFAULT UINT16_MAX

/**
 * Steer @p lcore's sn_xmit_xps() calls on @p dev to transmit queue @p txq.
 * Control path, any thread; takes effect at the lcore's next call (a call
 * in progress finishes on the queue it picked: per-queue order is kept,
 * and a packet already queued stays on its queue).
 *
 * @param txq a queue of @p dev, or SN_XPS_DEFAULT.
 * @return 0; -ENODEV (NULL @p dev); -EINVAL (@p lcore >= RTE_MAX_LCORE or
 *         no such queue).
 */
int sn_netdev_xps_set(struct sn_netdev *dev, unsigned int lcore, uint16_t txq);

/**
 * @return the transmit queue sn_xmit_xps() uses for @p lcore on @p dev (its
 *         map entry, or the default); -ENODEV (NULL @p dev); -EINVAL
 *         (@p lcore >= RTE_MAX_LCORE). Lock-free, any thread.
 */
int sn_netdev_xps_get(const struct sn_netdev *dev, unsigned int lcore);

/**
 * Transmit a burst on the calling lcore's queue (sn_netdev_xps_get() of
 * @p sd's lcore): sn_xmit_burst() on that queue, with its return value,
 * ownership and context rules (sn_xmit.h).
 *
 * @param sd   the calling lcore's softnet.
 * @param dev  device; NULL: the packets are dropped and counted as
 *             sn_xmit_burst() does.
 * @param pkts packets; all consumed.
 * @param n    how many.
 * @return how many were sent or queued (as sn_xmit_burst()).
 */
uint16_t sn_xmit_xps(struct sn_softnet *sd, struct sn_netdev *dev, struct rte_mbuf **pkts,
		     uint16_t n);

#ifdef __cplusplus
}
#endif

#endif /* SN_XPS_H */
