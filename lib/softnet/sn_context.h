/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SN_CONTEXT_H
#define SN_CONTEXT_H

/**
 * @file
 * Execution contexts of an lcore, modelled on the kernel's preempt count.
 *
 * An lcore runs in process context (application code), in softirq context
 * (the NET_TX and NET_RX handlers, and the RX callbacks they call) or in
 * hardirq context (between sn_irq_enter() and sn_irq_exit()). Softirqs run
 * only when raised, never nested in themselves, and never while softirqs are
 * disabled with sn_local_bh_disable() or while a hardirq is being served.
 *
 * All calls take the calling lcore's softnet (sn_softnet_attach()) and must
 * be made from that lcore only. None of them takes a lock.
 */

#include <stdbool.h>
#include <stdint.h>

#include "sn_lock.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sn_softnet;

/** Softirq numbers, in the order they run. */
enum sn_softirq {
	SN_SOFTIRQ_NET_TX = 0, /**< net_tx_action: completion queue, output queue */
	SN_SOFTIRQ_NET_RX = 1, /**< net_rx_action: receive polling */
	SN_SOFTIRQ_MAX = 2,
};

/** A softirq handler: runs in softirq context on the raising lcore. */
typedef void (*sn_softirq_fn)(struct sn_softnet *sd);

/**
 * Install the handler of a softirq (NET_TX has softnet's own; NET_RX is
 * installed by the receive side).
 *
 * @return 0, or -EINVAL if @p nr is out of range.
 */
int sn_softirq_set_handler(enum sn_softirq nr, sn_softirq_fn fn);

/** Mark softirq @p nr pending on this lcore; it runs at the next chance. */
void sn_raise_softirq(struct sn_softnet *sd, enum sn_softirq nr);

/**
 * Run pending softirqs now, unless in interrupt context or with softirqs
 * disabled (then they run when that ends).
 *
 * @return the number of handler runs.
 */
unsigned int sn_do_softirq(struct sn_softnet *sd);

/** Disable softirqs on this lcore; nests. */
void sn_local_bh_disable(struct sn_softnet *sd);

/**
 * Re-enable softirqs; when the last disable is undone outside interrupt
 * context, pending softirqs run before this returns.
 */
void sn_local_bh_enable(struct sn_softnet *sd);

/** Enter hardirq context (the userspace interrupt handler starts). */
void sn_irq_enter(struct sn_softnet *sd);

/**
 * Leave hardirq context; pending softirqs run here when this was the outermost
 * interrupt and the interrupted code had softirqs enabled.
 */
void sn_irq_exit(struct sn_softnet *sd);

/** @return true while serving or with softirqs disabled (kernel in_softirq()). */
bool sn_in_softirq(const struct sn_softnet *sd);
/** @return true while a softirq handler runs (kernel in_serving_softirq()). */
bool sn_in_serving_softirq(const struct sn_softnet *sd);
/** @return true inside sn_irq_enter() .. sn_irq_exit(). */
bool sn_in_hardirq(const struct sn_softnet *sd);
/** @return true in softirq or hardirq context, or with softirqs disabled. */
bool sn_in_interrupt(const struct sn_softnet *sd);
/** @return true if softirqs may run now (no bh-disable, no interrupt). */
bool sn_softirqs_enabled(const struct sn_softnet *sd);
/** @return the raw preempt count (for reports and tests). */
uint32_t sn_preempt_count(const struct sn_softnet *sd);

/** Take @p l with softirqs disabled on this lcore for as long as it is held. */
static inline void
sn_spin_lock_bh(struct sn_softnet *sd, struct sn_spinlock *l)
{
	sn_local_bh_disable(sd);
	sn_spin_lock(l);
}

/** Release a lock taken with sn_spin_lock_bh(); may run pending softirqs. */
static inline void
sn_spin_unlock_bh(struct sn_softnet *sd, struct sn_spinlock *l)
{
	sn_spin_unlock(l);
	sn_local_bh_enable(sd);
}

/** Try sn_spin_lock_bh() once. @return true if now held. */
static inline bool
sn_spin_trylock_bh(struct sn_softnet *sd, struct sn_spinlock *l)
{
	sn_local_bh_disable(sd);
	if (sn_spin_trylock(l))
		return true;
	sn_local_bh_enable(sd);
	return false;
}

#ifdef __cplusplus
}
#endif

#endif /* SN_CONTEXT_H */
