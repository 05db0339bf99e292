/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SN_LOCKDEP_H
#define SN_LOCKDEP_H

/**
 * @file
 * The lock validator (the kernel's lockdep), compiled in with the meson
 * option `-Dlockdep=true`.
 *
 * It watches every sn_spinlock / sn_rwlock acquire and release (sn_lock.h)
 * together with the context of the calling lcore (sn_context.h) and reports:
 * inconsistent lock state (a class used in softirq/hardirq context and also
 * with that interrupt enabled), possible recursive locking (AA), circular
 * dependencies (ABBA and longer), irq-safe -> irq-unsafe lock order, irq lock
 * inversion, bad unlock balance, re-initialising a held lock, a lock held
 * when the lcore returns to its loop, and a lock taken in hardirq context
 * whose class may never be. Reports are laid out like the kernel's; see
 * docs/lockdep.md for each kind and how to read it.
 *
 * Every call below exists in both builds; with the validator compiled out
 * they do nothing and the counters stay zero.
 *
 * Thread safety: all calls may be made from any thread, except
 * sn_lockdep_reset(), which needs every lcore to hold no lock.
 */

#include <stdbool.h>
#include <stdint.h>

#include "sn_lock.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Kinds of report. */
enum sn_lockdep_report_kind {
	SN_LOCKDEP_INCONSISTENT = 0,  /**< WARNING: inconsistent lock state */
	SN_LOCKDEP_RECURSIVE,         /**< WARNING: possible recursive locking detected */
	SN_LOCKDEP_CIRCULAR,          /**< WARNING: possible circular locking dependency detected */
	SN_LOCKDEP_IRQ_ORDER,         /**< WARNING: {SOFT,HARD}IRQ-safe -> -unsafe lock order detected */
	SN_LOCKDEP_IRQ_INVERSION,     /**< WARNING: possible irq lock inversion dependency detected */
	SN_LOCKDEP_BAD_UNLOCK,        /**< WARNING: bad unlock balance detected! */
	SN_LOCKDEP_REINIT_HELD,       /**< WARNING: held lock re-initialised! */
	SN_LOCKDEP_HELD_AT_EXIT,      /**< WARNING: lock held when returning to the lcore loop! */
	SN_LOCKDEP_HARDIRQ_FORBIDDEN, /**< BUG: lock taken in hardirq context that may not be */
	SN_LOCKDEP_UNINITIALISED,     /**< INFO: lock used before it was initialised */
	SN_LOCKDEP_INTERNAL,          /**< BUG: a validator table is full (validator turned off) */
	SN_LOCKDEP_KIND_MAX,
};

/**
 * A report callback: @p text is the whole report, lines separated by '\\n'.
 * Called on the lcore that found the problem, with no validator lock held; it
 * must not take softnet locks. It runs in addition to the rte_log output
 * (logtype "softnet.lockdep", level ERR).
 */
typedef void (*sn_lockdep_report_fn)(enum sn_lockdep_report_kind kind, const char *text,
				     void *arg);

/** @return true if the validator is compiled in and has not turned itself off. */
bool sn_lockdep_enabled(void);

/** Install (or with NULL remove) the report callback. */
void sn_lockdep_set_report_cb(sn_lockdep_report_fn fn, void *arg);

/** @return how many reports have been issued since start or the last reset. */
uint64_t sn_lockdep_report_count(void);

/** @return the reports of one kind issued since start or the last reset. */
uint64_t sn_lockdep_report_count_kind(enum sn_lockdep_report_kind kind);

/** @return the report title of @p kind ("inconsistent lock state", ...). */
const char *sn_lockdep_kind_name(enum sn_lockdep_report_kind kind);

/**
 * Forget everything: classes, usage states, the dependency graph, which
 * problems were already reported, the counters, and this thread's held locks.
 * For tests, between cases. No lcore may hold a lock.
 */
void sn_lockdep_reset(void);

/**
 * Mark a lock class as never to be taken in hardirq context; taking it there
 * (even with a trylock) is reported. softnet's own qdisc root lock, busylock
 * and xmit lock classes (class names "qdisc_root_lock", "qdisc_busylock",
 * "xmit_lock") are marked from the start: a transmit in hardirq context is
 * deferred to NET_TX and never takes them.
 */
void sn_lockdep_forbid_in_hardirq(const struct sn_lock_class_key *key);

/**
 * Report every lock this thread still holds, as leaving @p where (e.g.
 * "sn_softnet_poll") with locks held is a bug. softnet calls it at the end of
 * sn_softnet_poll() and in sn_softnet_detach().
 *
 * @return the number of locks held (0 when compiled out).
 */
unsigned int sn_lockdep_check_no_locks(const char *where);

/** @return the number of locks this thread holds (validator's view; 0 when compiled out). */
unsigned int sn_lockdep_depth(void);

#ifdef __cplusplus
}
#endif

#endif /* SN_LOCKDEP_H */
