/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SN_XMIT_H
#define SN_XMIT_H

/**
 * @file
 * Transmit through a device's qdisc (the kernel's dev_queue_xmit).
 *
 * Ownership: every mbuf handed to these calls is consumed, whatever they
 * return: it is transmitted, queued for transmit, or dropped and counted
 * (and freed later in bulk from the lcore's completion queue).
 *
 * Path, as __dev_xmit_skb: a deactivated qdisc drops; a CAN_BYPASS qdisc that
 * is empty and not running sends straight to the driver and then drains
 * whatever arrived meanwhile; otherwise packets are enqueued and, if no other
 * lcore is running the qdisc, this lcore runs it up to the quota. An enqueuer
 * that finds the qdisc running first takes the busylock, so contended
 * enqueuers wait on each other rather than on the lcore that is dequeuing.
 * A noqueue qdisc sends straight to the driver under the xmit lock.
 *
 * Before any of that, each frame is checked against the device (at most
 * MTU + 14 bytes, + 4 for a VLAN-tagged frame, at least an Ethernet header:
 * sn_netdev_set_mtu()), and a transmit nested SN_XMIT_RECURSION_LIMIT driver
 * calls deep is refused. Every packet dropped is counted under its reason
 * (enum sn_drop_reason, struct sn_softnet_stats drops[]).
 *
 * Called in process or softirq context on an attached lcore, never with a
 * softnet lock held. Runs pending softirqs on return when softirqs are
 * enabled (like local_bh_enable() at the end of dev_queue_xmit()).
 * Called in hardirq context (sn_irq_enter()), it takes no lock and touches
 * no mempool: the packets are deferred, in order, to the lcore's next NET_TX
 * and the call returns SN_XMIT_SUCCESS (burst: n).
 */

#include <stdint.h>

#include <rte_mbuf.h>

#ifdef __cplusplus
extern "C" {
#endif

struct sn_netdev;
struct sn_softnet;

/**
 * Most driver calls that may be in progress on one lcore at once: a driver
 * that transmits into another softnet device (a tunnel, a bond, a VLAN
 * device) nests one more. A transmit made while this many are in progress
 * is dropped and counted (SN_DROP_RECURSION_LIMIT), so a loop of virtual
 * devices ends instead of overflowing the stack. The kernel's
 * XMIT_RECURSION_LIMIT; a loop back onto a queue whose xmit lock this lcore
 * holds is caught earlier, as a dead loop (SN_DROP_DEAD_LOOP).
 */
#define SN_XMIT_RECURSION_LIMIT 8

/** Return codes of sn_xmit(), the kernel's NET_XMIT_*. */
enum sn_xmit_rc {
	SN_XMIT_SUCCESS = 0, /**< sent or queued */
	SN_XMIT_DROP = 1,    /**< dropped (and counted) */
	SN_XMIT_CN = 2,      /**< queued, but the qdisc dropped others: congestion */
};

/**
 * Transmit one packet.
 *
 * @param sd  the calling lcore's softnet.
 * @param dev device.
 * @param txq transmit queue of @p dev.
 * @param m   packet; consumed.
 * @return SN_XMIT_SUCCESS or SN_XMIT_DROP (qdisc limit, defer-list burst
 *         limit, deactivated qdisc, dead loop, recursion limit, a noqueue
 *         driver that refused it); -ENETDOWN (device down), -EINVAL (bad
 *         queue; a frame longer than the MTU + 14, + 4 if VLAN-tagged, or
 *         shorter than an Ethernet header: see sn_netdev_set_mtu()), -ENODEV
 *         (NULL device): dropped and counted too, each under its reason
 *         (enum sn_drop_reason).
 */
int sn_xmit(struct sn_softnet *sd, struct sn_netdev *dev, uint16_t txq,
	    struct rte_mbuf *m);

/**
 * Transmit a burst. Equivalent to sn_xmit() on each packet in order, but
 * takes the locks once per burst.
 *
 * @param pkts packets; all consumed.
 * @param n    how many.
 * @return how many were sent or queued; the other n - return were dropped
 *         and counted (sn_softnet_stats drops[] by reason, and the qdisc's
 *         drops for those the qdisc dropped).
 *         For a qdisc in defer-list mode (params.defer_list), packets count
 *         as queued once pushed on the defer list; the discipline may still
 *         drop some when the list is drained (by this or another lcore):
 *         those drops are counted, never silent, but not returned here.
 *         Packets pushed beyond sn_qdisc_max_burst() are dropped at once
 *         (SN_DROP_BURST_LIMIT) and are not in the return value.
 *         The contents of @p pkts are undefined on return.
 */
uint16_t sn_xmit_burst(struct sn_softnet *sd, struct sn_netdev *dev, uint16_t txq,
		       struct rte_mbuf **pkts, uint16_t n);

/** Most packets an xmit plug holds before it sends them as one burst. */
#define SN_XMIT_PLUG_MAX 32

/**
 * Open an xmit plug on this lcore: until sn_xmit_unplug(), sn_xmit() calls
 * made in process context with softirqs enabled do not go to the qdisc one
 * by one; they are checked (device, queue, frame length, device up: errors
 * are returned at once, as without a plug), held in order, and handed to the qdisc as one
 * sn_xmit_burst() when SN_XMIT_PLUG_MAX are held, when a packet for another
 * device or queue comes, when sn_xmit_burst() is called, at
 * sn_softnet_poll(), and at the last sn_xmit_unplug(). The idea is the
 * block layer's plug and the kernel's xmit_more: one lock round trip and one
 * driver call for many single-packet calls. Per-lcore order is kept.
 *
 * While plugged, sn_xmit() returns SN_XMIT_SUCCESS once the packet is held;
 * what the qdisc drops when the plug is flushed is counted as usual (the
 * qdisc's drops, sn_softnet_stats) and summed in sn_xmit_unplug()'s return.
 * Calls from softirq or hardirq context, or with softirqs disabled (a
 * driver transmitting into another device, for one), are never plugged, so
 * the xmit lock's dead-loop check still sees recursion.
 *
 * Plugs nest: only the outermost sn_xmit_unplug() flushes.
 *
 * @param sd the calling lcore's softnet.
 * @return 0; -EINVAL when not called in process context with softirqs
 *         enabled (no plug was opened: do not unplug); -EOVERFLOW when
 *         nested 65535 deep.
 */
int sn_xmit_plug(struct sn_softnet *sd);

/**
 * Close the plug opened by the matching sn_xmit_plug(); the outermost one
 * sends what is held, runs pending softirqs and ends the plug.
 *
 * @param sd the calling lcore's softnet.
 * @return how many packets the plug's flushes dropped since the outermost
 *         sn_xmit_plug() (0 for an inner unplug); -EINVAL when no plug is
 *         open or not called in process context with softirqs enabled.
 */
int sn_xmit_unplug(struct sn_softnet *sd);

#ifdef __cplusplus
}
#endif

#endif /* SN_XMIT_H */
