/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef APP_FRAME_H
#define APP_FRAME_H

/*
 * The packet template and the mbuf pool. The whole frame is written into
 * every mbuf of the pool once, when the pool is made; per packet the
 * generator only rewrites the first APP_HDR_COPY bytes (the headers) and the
 * lengths.
 */

#include <stdint.h>

#include <rte_mempool.h>

#include "options.h"

/** Bytes the generator copies into each packet: Ethernet+IPv4+UDP, rounded up. */
#define APP_HDR_COPY 64

struct app_frame {
	uint32_t len;      /**< frame length without FCS */
	uint32_t copy_len; /**< bytes to copy per packet: min(len, APP_HDR_COPY) */
	uint8_t *data;     /**< the whole frame (rte_malloc'd) */
};

/**
 * Build the UDP/IPv4 frame described by @p o.
 * @return 0 or -ENOMEM.
 */
int app_frame_build(struct app_frame *f, const struct app_opts *o);

/** Free the template. */
void app_frame_free(struct app_frame *f);

/** Sizing inputs of app_pool_create(). */
struct app_pool_need {
	unsigned int nb_lcores;   /**< generator lcores */
	unsigned int nb_txq;      /**< transmit queues */
	unsigned int qdisc_pkts;  /**< packets one qdisc may hold for this traffic */
	unsigned int tx_desc;     /**< descriptors per port tx queue */
	unsigned int burst;       /**< packets per burst */
};

/**
 * Create the mbuf pool sized for the run, every mbuf holding the frame and
 * priority @p prio (sn_init() must have run: the priority field).
 *
 * @return the pool, or NULL with rte_errno set.
 */
struct rte_mempool *app_pool_create(const struct app_pool_need *need, const struct app_frame *f,
				    uint32_t prio, int socket);

#endif /* APP_FRAME_H */
