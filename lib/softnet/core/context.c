/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Execution contexts: the preempt count, bh-disable, irq enter/exit and the
 * softirq runner (the kernel's __do_softirq, without ksoftirqd: pending
 * softirqs are re-run a bounded number of times, then left for the next
 * poll).
 */

#include <errno.h>

#include "core_private.h"

/* Rounds of re-raised softirqs one run may serve (the kernel's MAX_SOFTIRQ_RESTART). */
#define SN_SOFTIRQ_RESTART 10

/*
 * Hardirq-disable depth of this lcore. Per thread rather than in the softnet
 * data: the userspace hardirq handler runs on the thread it interrupts, and
 * threads that are not attached may use the irqsave lock variants too.
 */
static RTE_DEFINE_PER_LCORE(uint32_t, sn_irq_off);

/*
 * Hardirqs that arrived (signals) while hardirqs were disabled on this thread,
 * one bit per registered handler, replayed when they are enabled again. The
 * signal handler sets bits with an atomic OR; the thread takes them with an
 * atomic exchange.
 */
static RTE_DEFINE_PER_LCORE(uint32_t, sn_irq_pend);

#define SN_HARDIRQ_MAX 8
static sn_hardirq_fn sn_hardirq_vec[SN_HARDIRQ_MAX];

static sn_softirq_fn sn_softirq_vec[SN_SOFTIRQ_MAX] = {
	[SN_SOFTIRQ_NET_TX] = sn_net_tx_action,
};

int
sn_softirq_set_handler(enum sn_softirq nr, sn_softirq_fn fn)
{
	if ((unsigned int)nr >= SN_SOFTIRQ_MAX)
		return -EINVAL;
	sn_softirq_vec[nr] = fn;
	return 0;
}

void
sn_raise_softirq(struct sn_softnet *sd, enum sn_softirq nr)
{
	if ((unsigned int)nr < SN_SOFTIRQ_MAX)
		sn_ctx_raise(sd, nr);
}

/* Serve pending softirqs; caller checked that we are not in interrupt context. */
static unsigned int
sn_softirq_serve(struct sn_softnet *sd)
{
	unsigned int runs = 0;

	sd->preempt_count += SN_SOFTIRQ_OFFSET;
	rte_compiler_barrier();
	for (unsigned int round = 0; round < SN_SOFTIRQ_RESTART; round++) {
		uint32_t pending = __atomic_exchange_n(&sd->pending, 0, __ATOMIC_RELAXED);

		if (pending == 0)
			break;
		for (unsigned int nr = 0; nr < SN_SOFTIRQ_MAX; nr++) {
			if ((pending & (1u << nr)) == 0)
				continue;
			if (sn_softirq_vec[nr] != NULL)
				sn_softirq_vec[nr](sd);
			runs++;
		}
	}
	rte_compiler_barrier();
	sd->preempt_count -= SN_SOFTIRQ_OFFSET;
	return runs;
}

unsigned int
sn_do_softirq(struct sn_softnet *sd)
{
	if (sd->preempt_count != 0 || sd->pending == 0)
		return 0;
	return sn_softirq_serve(sd);
}

void
sn_ctx_bh_enable_slow(struct sn_softnet *sd)
{
	sn_softirq_serve(sd);
}

void
sn_local_bh_disable(struct sn_softnet *sd)
{
	sn_ctx_bh_disable(sd);
}

void
sn_local_bh_enable(struct sn_softnet *sd)
{
	sn_ctx_bh_enable(sd);
}

void
sn_irq_enter(struct sn_softnet *sd)
{
	sd->preempt_count += SN_HARDIRQ_OFFSET;
	rte_compiler_barrier();
}

void
sn_irq_exit(struct sn_softnet *sd)
{
	rte_compiler_barrier();
	sd->preempt_count -= SN_HARDIRQ_OFFSET;
	/* Outermost interrupt over an lcore with softirqs enabled: serve them. */
	if (sd->preempt_count == 0 && sd->pending != 0)
		sn_softirq_serve(sd);
}

bool
sn_in_softirq(const struct sn_softnet *sd)
{
	return (sd->preempt_count & SN_SOFTIRQ_MASK) != 0;
}

bool
sn_in_serving_softirq(const struct sn_softnet *sd)
{
	return (sd->preempt_count & SN_SOFTIRQ_OFFSET) != 0;
}

bool
sn_in_hardirq(const struct sn_softnet *sd)
{
	return sn_ctx_in_hardirq(sd);
}

bool
sn_in_interrupt(const struct sn_softnet *sd)
{
	return (sd->preempt_count & (SN_SOFTIRQ_MASK | SN_HARDIRQ_MASK)) != 0;
}

bool
sn_softirqs_enabled(const struct sn_softnet *sd)
{
	return sd->preempt_count == 0;
}

uint32_t
sn_preempt_count(const struct sn_softnet *sd)
{
	return sd->preempt_count;
}

void
sn_local_irq_disable(struct sn_softnet *sd)
{
	RTE_SET_USED(sd);
	RTE_PER_LCORE(sn_irq_off)++;
	rte_compiler_barrier();
}

void
sn_local_irq_enable(struct sn_softnet *sd)
{
	rte_compiler_barrier();
	RTE_ASSERT(RTE_PER_LCORE(sn_irq_off) != 0);
	if (RTE_PER_LCORE(sn_irq_off) != 0)
		RTE_PER_LCORE(sn_irq_off)--;
	rte_compiler_barrier();
	if (unlikely(__atomic_load_n(&RTE_PER_LCORE(sn_irq_pend), __ATOMIC_RELAXED) != 0))
		sn_irq_replay(sd);
}

uint32_t
sn_local_irq_save(struct sn_softnet *sd)
{
	uint32_t flags = RTE_PER_LCORE(sn_irq_off);

	sn_local_irq_disable(sd);
	return flags;
}

void
sn_local_irq_restore(struct sn_softnet *sd, uint32_t flags)
{
	rte_compiler_barrier();
	RTE_PER_LCORE(sn_irq_off) = flags;
	rte_compiler_barrier();
	if (unlikely(__atomic_load_n(&RTE_PER_LCORE(sn_irq_pend), __ATOMIC_RELAXED) != 0))
		sn_irq_replay(sd);
}

uint32_t
sn_irq_disable_depth(const struct sn_softnet *sd)
{
	RTE_SET_USED(sd);
	return RTE_PER_LCORE(sn_irq_off);
}

bool
sn_irqs_disabled(const struct sn_softnet *sd)
{
	return RTE_PER_LCORE(sn_irq_off) != 0 || (sd != NULL && sn_ctx_in_hardirq(sd));
}

/* ---- hardirq delivery (signals) and replay ---- */

int
sn_hardirq_register(sn_hardirq_fn fn)
{
	if (fn == NULL)
		return -EINVAL;
	for (int i = 0; i < SN_HARDIRQ_MAX; i++) {
		sn_hardirq_fn cur = NULL;

		if (__atomic_load_n(&sn_hardirq_vec[i], __ATOMIC_ACQUIRE) == fn)
			return i;
		if (__atomic_compare_exchange_n(&sn_hardirq_vec[i], &cur, fn, false,
						__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			return i;
		if (cur == fn)
			return i;
	}
	return -ENOSPC;
}

/* May a hardirq run on this thread right now? */
static inline bool
sn_irq_may_run(const struct sn_softnet *sd)
{
	return RTE_PER_LCORE(sn_irq_off) == 0 && !sn_ctx_in_hardirq(sd);
}

/*
 * Serve the hardirqs pending on this thread, in hardirq context, until none
 * is left. Async-signal-safe: touches the preempt count (balanced), the
 * pending word (atomics) and whatever the handlers touch.
 */
static void
sn_irq_run_pending(struct sn_softnet *sd)
{
	uint32_t *pend = &RTE_PER_LCORE(sn_irq_pend);

	while (__atomic_load_n(pend, __ATOMIC_RELAXED) != 0 && sn_irq_may_run(sd)) {
		uint32_t bits;

		sn_irq_enter(sd);
		while ((bits = __atomic_exchange_n(pend, 0, __ATOMIC_ACQUIRE)) != 0) {
			for (unsigned int nr = 0; nr < SN_HARDIRQ_MAX; nr++) {
				sn_hardirq_fn fn;

				if ((bits & (1u << nr)) == 0)
					continue;
				fn = __atomic_load_n(&sn_hardirq_vec[nr], __ATOMIC_ACQUIRE);
				if (fn != NULL)
					fn(sd);
			}
		}
		/* Runs softirqs if the interrupted code had them enabled. */
		sn_irq_exit(sd);
	}
}

bool
sn_irq_deliver(struct sn_softnet *sd, int nr)
{
	if (sd == NULL || (unsigned int)nr >= SN_HARDIRQ_MAX)
		return false;
	__atomic_fetch_or(&RTE_PER_LCORE(sn_irq_pend), 1u << nr, __ATOMIC_RELEASE);
	/* Hardirqs off (or already serving one): replayed when they come back on. */
	if (!sn_irq_may_run(sd))
		return false;
	sn_irq_run_pending(sd);
	return true;
}

void
sn_irq_replay(struct sn_softnet *sd)
{
	/* The pending bits are this thread's: so is the softnet they run on. */
	RTE_SET_USED(sd);
	sd = sn_softnet_current();
	if (sd == NULL) {
		/* Not attached: nothing could have been delivered here. */
		__atomic_store_n(&RTE_PER_LCORE(sn_irq_pend), 0, __ATOMIC_RELAXED);
		return;
	}
	sn_irq_run_pending(sd);
}

uint32_t
sn_irq_pending(void)
{
	return __atomic_load_n(&RTE_PER_LCORE(sn_irq_pend), __ATOMIC_RELAXED);
}

/* ---- the validator's view of the context (locking_private.h) ---- */

static void
sn_ctx_for_lockdep(struct sn_lock_ctx *ctx)
{
	const struct sn_softnet *sd = sn_softnet_current();

	ctx->attached = sd != NULL;
	ctx->preempt_count = sd != NULL ? sd->preempt_count : 0;
	ctx->irq_disable_depth = RTE_PER_LCORE(sn_irq_off);
}

/* At load time, before any lock can be taken: the validator is a leaf and asks us. */
RTE_INIT(sn_ctx_lockdep_register)
{
	sn_lockdep_set_ctx_fn(sn_ctx_for_lockdep);
}
