/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SN_LOCKING_PRIVATE_H
#define SN_LOCKING_PRIVATE_H

/*
 * The locking layer's contract with the layers above it; not installed.
 *
 * The validator is a leaf: it calls nothing in the core. What it needs to
 * know about the calling thread (is it attached, its preempt count, how deep
 * hardirqs are disabled) it asks through one function that the layer owning
 * contexts (core/context.c) registers at start-up. With none registered, every
 * thread is plain process context, as in a program that never attaches.
 *
 * The preempt count's layout lives here because the validator decodes it;
 * the core builds it.
 */

#include <stdbool.h>
#include <stdint.h>

/* Preempt count layout, as the kernel's. */
#define SN_SOFTIRQ_SHIFT 8
#define SN_HARDIRQ_SHIFT 16
#define SN_SOFTIRQ_OFFSET (1u << SN_SOFTIRQ_SHIFT)
#define SN_SOFTIRQ_DISABLE_OFFSET (2u * SN_SOFTIRQ_OFFSET)
#define SN_HARDIRQ_OFFSET (1u << SN_HARDIRQ_SHIFT)
#define SN_SOFTIRQ_MASK (0xffu << SN_SOFTIRQ_SHIFT)
#define SN_HARDIRQ_MASK (0xfu << SN_HARDIRQ_SHIFT)

/** The calling thread's context, as the validator reads it. */
struct sn_lock_ctx {
	bool attached;              /**< the thread has a softnet (else process context) */
	uint32_t preempt_count;     /**< SN_*IRQ_* layout above */
	uint32_t irq_disable_depth; /**< sn_local_irq_disable() nesting */
};

/** Fills @p ctx for the calling thread; must take no lock. */
typedef void (*sn_lock_ctx_fn)(struct sn_lock_ctx *ctx);

/**
 * Register the context reader (the core does, once, before any lock is
 * taken in softirq or hardirq context). A no-op with the validator compiled
 * out.
 */
void sn_lockdep_set_ctx_fn(sn_lock_ctx_fn fn);

#endif /* SN_LOCKING_PRIVATE_H */
