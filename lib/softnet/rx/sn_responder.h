/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SN_RESPONDER_H
#define SN_RESPONDER_H

/**
 * @file
 * A built-in responder: an RX callback (sn_rx.h) that answers ARP requests
 * for a configured IPv4 address and ICMP echo requests to it, in place (the
 * request mbuf becomes the reply), and transmits the reply through softnet on
 * a given device and queue: through the same qdisc as any other traffic of
 * that queue, for instance a process-context generator saturating it.
 *
 * Anything else is handed to an optional next callback, or freed and counted.
 * Counters are updated with relaxed atomics, so one responder may serve
 * queues on several lcores.
 */

#include <stdint.h>

#include <rte_ether.h>
#include <rte_mbuf.h>

#include "sn_rx.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sn_netdev;
struct sn_softnet;
struct sn_responder;

/** What a responder answers and where it sends its replies. */
struct sn_responder_conf {
	struct sn_netdev *dev;        /**< device replies go out on */
	uint16_t txq;                 /**< its transmit queue */
	uint32_t ipv4;                /**< our address, network byte order */
	struct rte_ether_addr mac;    /**< our MAC address */
	sn_rx_cb_fn next;             /**< other packets go here; NULL: freed */
	void *next_arg;
	uint32_t prio;                /**< mbuf priority of replies (sn_mbuf.h; 0: best effort) */
	uint32_t reserved[4];         /**< must be zero */
};

/** Responder counters. */
struct sn_responder_stats {
	uint64_t rx;              /**< packets looked at */
	uint64_t arp_requests;    /**< ARP requests for our address */
	uint64_t arp_replies;     /**< ARP replies handed to softnet */
	uint64_t icmp_requests;   /**< ICMP echo requests to our address */
	uint64_t icmp_replies;    /**< echo replies handed to softnet */
	uint64_t tx_dropped;      /**< replies softnet dropped (qdisc full, down) */
	uint64_t other;           /**< packets passed to next, or freed */
};

/**
 * Create a responder.
 *
 * @return it, or NULL with rte_errno EINVAL (no device, zero address,
 *         non-zero reserved) or ENOMEM.
 */
struct sn_responder *sn_responder_create(const struct sn_responder_conf *conf);

/** Free a responder (no queue may still use it). */
void sn_responder_free(struct sn_responder *r);

/**
 * The RX callback: pass it with the responder as argument to
 * sn_rx_queue_add() (sn_rx_queue_conf.cb / cb_arg).
 */
void sn_responder_rx(struct sn_softnet *sd, uint16_t port, uint16_t queue,
		     struct rte_mbuf **pkts, uint16_t n, void *arg);

/** Read the counters (any thread). @return 0, or -EINVAL. */
int sn_responder_stats_get(const struct sn_responder *r, struct sn_responder_stats *st);

#ifdef __cplusplus
}
#endif

#endif /* SN_RESPONDER_H */
