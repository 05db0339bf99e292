/* SPDX-License-Identifier: BSD-3-Clause */
/* Ring helpers for the ring-based disciplines (see sch_ring.h). */

#include <errno.h>
#include <stdio.h>

#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_ring.h>
#include <rte_ring_peek.h>

#include "sched_private.h"
#include "sch_ring.h"

struct rte_ring *
sn_sch_ring_create(const struct sn_qdisc *q, const char *kind, uint32_t count)
{
	unsigned int flags = RING_F_SC_DEQ | RING_F_EXACT_SZ;
	int socket = q->dev->socket;
	static uint32_t seq;
	char name[RTE_RING_NAMESIZE];
	struct rte_ring *r;
	ssize_t sz;

	if (count == 0 || count > RTE_RING_SZ_MASK) {
		rte_errno = EINVAL;
		return NULL;
	}
	sz = rte_ring_get_memsize(rte_align32pow2(count + 1));
	if (sz < 0) {
		rte_errno = EINVAL;
		return NULL;
	}
	r = rte_zmalloc_socket("sn_sch_ring", (size_t)sz, RTE_CACHE_LINE_SIZE, socket);
	if (r == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	snprintf(name, sizeof(name), "sn_%s_%u", kind,
		 __atomic_fetch_add(&seq, 1, __ATOMIC_RELAXED));
	if (!(q->flags & SN_QDISC_F_NOLOCK))
		flags |= RING_F_SP_ENQ;
	if (rte_ring_init(r, name, count, flags) != 0) {
		rte_free(r);
		rte_errno = EINVAL;
		return NULL;
	}
	return r;
}

void
sn_sch_ring_free(struct rte_ring *r)
{
	rte_free(r);
}

void
sn_sch_ring_purge(struct sn_qdisc *q, struct sn_softnet *sd, struct rte_ring *r)
{
	struct rte_mbuf *m;

	while (rte_ring_sc_dequeue(r, (void **)&m) == 0)
		sn_qdisc_drop_queued(q, sd, m);
}

uint16_t
sn_sch_ring_enqueue(struct sn_qdisc *q, struct sn_softnet *sd, struct rte_ring *r,
		    struct rte_mbuf **pkts, uint16_t n, uint32_t bytes)
{
	/* The ring's producer mode is known here: skip rte_ring's run-time switch. */
	uint16_t k = (uint16_t)(q->flags & SN_QDISC_F_NOLOCK ?
				rte_ring_mp_enqueue_burst(r, (void **)pkts, n, NULL) :
				rte_ring_sp_enqueue_burst(r, (void **)pkts, n, NULL));

	if (unlikely(k < n))
		bytes -= sn_pkts_bytes(pkts + k, (uint16_t)(n - k));
	sn_qdisc_account_enqueue(q, k, bytes);
	for (uint16_t i = k; i < n; i++)
		sn_qdisc_drop(q, sd, pkts[i]);
	return k;
}

struct rte_mbuf *
sn_sch_ring_peek(struct rte_ring *r)
{
	void *obj = NULL;

	if (rte_ring_dequeue_bulk_start(r, &obj, 1, NULL) == 0)
		return NULL;
	rte_ring_dequeue_finish(r, 0);
	return obj;
}
