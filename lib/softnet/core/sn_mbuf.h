/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SN_MBUF_H
#define SN_MBUF_H

/**
 * @file
 * Per-mbuf metadata softnet reads: the packet priority (the kernel's
 * skb->priority), kept in a dynamic mbuf field registered by sn_init().
 * pfifo_fast maps it to a band through its priomap (TC_PRIO_* values 0..15;
 * higher values use priority & 15).
 */

#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Name of the dynamic field, for other libraries that want to share it. */
#define SN_MBUF_PRIO_DYNFIELD "softnet_dynfield_priority"

/** Offset of the priority field; valid after sn_init(). */
extern int sn_mbuf_prio_offset;

/** Linux TC_PRIO_* values, the usual priorities. */
#define SN_PRIO_BESTEFFORT  0
#define SN_PRIO_FILLER      1
#define SN_PRIO_BULK        2
#define SN_PRIO_INTERACTIVE_BULK 4
#define SN_PRIO_INTERACTIVE 6
#define SN_PRIO_CONTROL     7

/** Set the priority of @p m (sn_init() must have run). */
static inline void
sn_mbuf_prio_set(struct rte_mbuf *m, uint32_t prio)
{
	*RTE_MBUF_DYNFIELD(m, sn_mbuf_prio_offset, uint32_t *) = prio;
}

/** @return the priority of @p m. */
static inline uint32_t
sn_mbuf_prio_get(const struct rte_mbuf *m)
{
	return *RTE_MBUF_DYNFIELD(m, sn_mbuf_prio_offset, const uint32_t *);
}

#ifdef __cplusplus
}
#endif

#endif /* SN_MBUF_H */
