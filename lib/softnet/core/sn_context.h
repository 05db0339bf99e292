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

/**
 * Disable hardirqs on this lcore (the kernel's local_irq_disable()); nests.
 * A hardirq delivered meanwhile (sn_irq_deliver(), from the signal handler of
 * the receive side's asynchronous interrupts) is not served but marked
 * pending, and replayed when the depth drops back to zero (in
 * sn_local_irq_enable() or sn_local_irq_restore()). Hardirq context itself
 * counts as hardirqs disabled.
 */
void sn_local_irq_disable(struct sn_softnet *sd);

/**
 * Undo one sn_local_irq_disable(); when hardirqs come back on, hardirqs that
 * were delivered meanwhile run here (and then softirqs, if enabled).
 */
void sn_local_irq_enable(struct sn_softnet *sd);

/**
 * Disable hardirqs and return the previous state, for
 * sn_local_irq_restore() (the kernel's local_irq_save()).
 */
uint32_t sn_local_irq_save(struct sn_softnet *sd);

/**
 * Restore the hardirq state saved by sn_local_irq_save(); replays pending
 * hardirqs when that turns them back on.
 */
void sn_local_irq_restore(struct sn_softnet *sd, uint32_t flags);

/**
 * A hardirq handler body: runs in hardirq context (between sn_irq_enter() and
 * sn_irq_exit()), possibly inside a signal handler. It may only touch what is
 * async-signal-safe: atomics, sn_raise_softirq(), sn_xmit*() (deferred),
 * write(2) to an eventfd. Never a mempool, never a lock.
 */
typedef void (*sn_hardirq_fn)(struct sn_softnet *sd);

/**
 * Register a hardirq handler (idempotent).
 *
 * @return its number for sn_irq_deliver() (0..7), -EINVAL for NULL, -ENOSPC
 *         when all eight slots are taken.
 */
int sn_hardirq_register(sn_hardirq_fn fn);

/**
 * Deliver hardirq @p nr on the calling thread, whose softnet is @p sd: if
 * hardirqs are enabled (no sn_local_irq_disable()/save() section, not in
 * hardirq context) it runs now, as sn_irq_enter(), the handler, sn_irq_exit()
 * (which runs softirqs if the interrupted code had them enabled); otherwise
 * it is marked pending and replayed when hardirqs are enabled again.
 * Async-signal-safe: meant to be called from a signal handler.
 *
 * @return true if it ran now, false if deferred or @p sd is NULL.
 */
bool sn_irq_deliver(struct sn_softnet *sd, int nr);

/**
 * Run the hardirqs pending on this thread if hardirqs are enabled (called by
 * sn_local_irq_enable() and sn_local_irq_restore(); @p sd may be NULL for the
 * calling thread's softnet).
 */
void sn_irq_replay(struct sn_softnet *sd);

/** @return the bits of the hardirqs pending on this thread (tests). */
uint32_t sn_irq_pending(void);

/** @return true with hardirqs disabled or in hardirq context (kernel irqs_disabled()). */
bool sn_irqs_disabled(const struct sn_softnet *sd);

/** @return the sn_local_irq_disable() nesting depth of this lcore. */
uint32_t sn_irq_disable_depth(const struct sn_softnet *sd);

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

/** Take @p l with hardirqs disabled (the kernel's spin_lock_irq()). */
static inline void
sn_spin_lock_irq(struct sn_softnet *sd, struct sn_spinlock *l)
{
	sn_local_irq_disable(sd);
	sn_spin_lock(l);
}

/** Release a lock taken with sn_spin_lock_irq(). */
static inline void
sn_spin_unlock_irq(struct sn_softnet *sd, struct sn_spinlock *l)
{
	sn_spin_unlock(l);
	sn_local_irq_enable(sd);
}

/**
 * Take @p l with hardirqs disabled, saving the previous hardirq state.
 * @return the flags to pass to sn_spin_unlock_irqrestore().
 */
static inline uint32_t
sn_spin_lock_irqsave(struct sn_softnet *sd, struct sn_spinlock *l)
{
	uint32_t flags = sn_local_irq_save(sd);

	sn_spin_lock(l);
	return flags;
}

/** Release @p l and restore the hardirq state saved by sn_spin_lock_irqsave(). */
static inline void
sn_spin_unlock_irqrestore(struct sn_softnet *sd, struct sn_spinlock *l, uint32_t flags)
{
	sn_spin_unlock(l);
	sn_local_irq_restore(sd, flags);
}

/** Try sn_spin_lock_irqsave() once. @return true if now held (then *flags is set). */
static inline bool
sn_spin_trylock_irqsave(struct sn_softnet *sd, struct sn_spinlock *l, uint32_t *flags)
{
	*flags = sn_local_irq_save(sd);
	if (sn_spin_trylock(l))
		return true;
	sn_local_irq_restore(sd, *flags);
	return false;
}

/** Read-lock @p l with softirqs disabled. */
static inline void
sn_read_lock_bh(struct sn_softnet *sd, struct sn_rwlock *l)
{
	sn_local_bh_disable(sd);
	sn_read_lock(l);
}

/** Release a read hold taken with sn_read_lock_bh(). */
static inline void
sn_read_unlock_bh(struct sn_softnet *sd, struct sn_rwlock *l)
{
	sn_read_unlock(l);
	sn_local_bh_enable(sd);
}

/** Write-lock @p l with softirqs disabled. */
static inline void
sn_write_lock_bh(struct sn_softnet *sd, struct sn_rwlock *l)
{
	sn_local_bh_disable(sd);
	sn_write_lock(l);
}

/** Release a write hold taken with sn_write_lock_bh(). */
static inline void
sn_write_unlock_bh(struct sn_softnet *sd, struct sn_rwlock *l)
{
	sn_write_unlock(l);
	sn_local_bh_enable(sd);
}

/** Read-lock @p l with hardirqs disabled. @return flags for sn_read_unlock_irqrestore(). */
static inline uint32_t
sn_read_lock_irqsave(struct sn_softnet *sd, struct sn_rwlock *l)
{
	uint32_t flags = sn_local_irq_save(sd);

	sn_read_lock(l);
	return flags;
}

/** Release a read hold and restore the saved hardirq state. */
static inline void
sn_read_unlock_irqrestore(struct sn_softnet *sd, struct sn_rwlock *l, uint32_t flags)
{
	sn_read_unlock(l);
	sn_local_irq_restore(sd, flags);
}

/** Write-lock @p l with hardirqs disabled. @return flags for sn_write_unlock_irqrestore(). */
static inline uint32_t
sn_write_lock_irqsave(struct sn_softnet *sd, struct sn_rwlock *l)
{
	uint32_t flags = sn_local_irq_save(sd);

	sn_write_lock(l);
	return flags;
}

/** Release a write hold and restore the saved hardirq state. */
static inline void
sn_write_unlock_irqrestore(struct sn_softnet *sd, struct sn_rwlock *l, uint32_t flags)
{
	sn_write_unlock(l);
	sn_local_irq_restore(sd, flags);
}

#ifdef __cplusplus
}
#endif

#endif /* SN_CONTEXT_H */
