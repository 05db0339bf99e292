/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SN_SCH_RING_H
#define SN_SCH_RING_H

/*
 * Ring helpers shared by the ring-based disciplines. Rings are allocated
 * from the heap (no memzone, so no global name to clash on) and are
 * single-producer single-consumer: every enqueue and dequeue runs under the
 * qdisc's root lock.
 */

#include <rte_ring.h>

struct sn_qdisc;
struct sn_softnet;

/*
 * A ring of exactly @count entries for @q: single-producer, or multi-producer
 * when @q is NOLOCK (concurrent enqueuers). @return NULL with rte_errno set.
 */
struct rte_ring *sn_sch_ring_create(const struct sn_qdisc *q, const char *kind, uint32_t count);
void sn_sch_ring_free(struct rte_ring *r);
/* Drop every packet of @r with sn_qdisc_drop_queued(). */
void sn_sch_ring_purge(struct sn_qdisc *q, struct sn_softnet *sd, struct rte_ring *r);
/*
 * Enqueue as many as fit; drop the rest with sn_qdisc_drop(); account.
 * @bytes: the sum of the @n packets' lengths.
 */
uint16_t sn_sch_ring_enqueue(struct sn_qdisc *q, struct sn_softnet *sd, struct rte_ring *r,
			     struct rte_mbuf **pkts, uint16_t n, uint32_t bytes);
/* Peek the head of a single-consumer ring without taking it. */
struct rte_mbuf *sn_sch_ring_peek(struct rte_ring *r);

#endif /* SN_SCH_RING_H */
