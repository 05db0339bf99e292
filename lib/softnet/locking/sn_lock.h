/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SN_LOCK_H
#define SN_LOCK_H

/**
 * @file
 * softnet locks: spinlocks and reader/writer locks with lock-validator
 * annotations.
 *
 * With the `lockdep` build option off (the default) a struct sn_spinlock is
 * exactly an rte_spinlock_t and every call below is the rte_spinlock call it
 * wraps: the annotations compile to nothing. With it on, every acquire and
 * release is reported to the validator (sn_lockdep.h), which tracks the locks
 * each lcore holds, the contexts each lock class is used in and the order in
 * which classes nest, and reports the kernel's classes of locking bugs
 * (docs/lockdep.md).
 *
 * A lock's class is the place it was initialised (sn_spin_lock_init() keeps
 * a static key per call site) or an explicit key (sn_spin_lock_init_key()).
 * All locks of one class are one node of the dependency graph; a subclass
 * (sn_spin_lock_nested()) is a separate node, for intended same-class
 * nesting.
 *
 * The `_bh` and `_irqsave` variants (sn_context.h) disable softirqs or
 * hardirqs on the calling lcore for as long as the lock is held, so that a
 * lock also taken from a softirq handler (NET_TX, NET_RX, an RX callback) or a
 * hardirq handler cannot deadlock against itself.
 *
 * Reader/writer locks: readers are recursive, as the kernel's rwlock_t in
 * interrupt context: a reader waits only while a writer holds the lock, never
 * behind a writer that is merely waiting. So one lcore may take a read lock it
 * already holds for reading, and a writer may wait for as long as readers keep
 * coming.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_pause.h>
#include <rte_rwlock.h>
#include <rte_spinlock.h>

#include "sn_config.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Identity of a lock class: only its address matters. */
struct sn_lock_class_key {
	char unused; /**< non-zero size so that every key has its own address */
};

/**
 * Validator state embedded in each lock: two pointers whether or not the
 * validator is compiled in, so that public structs that hold locks have one
 * layout for both builds (an application built against either links with the
 * other). Kept to two pointers so that a validated lock still fits the
 * cache-line layouts the engine asserts (a qdisc's root lock line). A NULL
 * key means the lock was never initialised (or the validator is out).
 */
struct sn_lockdep_map {
	const struct sn_lock_class_key *key; /**< class identity */
	const char *name;                    /**< class name, for reports */
};

/*
 * Validator entry points, exported by every build of libsoftnet (no-ops when
 * the validator is compiled out). @p read: 0 for an exclusive acquire, 2 for
 * a recursive read. @p ip: the caller's return address, shown in reports as
 * the place the lock was taken.
 */
void sn_lockdep_init_map(struct sn_lockdep_map *map, const char *name,
			 const struct sn_lock_class_key *key);
void sn_lockdep_init_map_ip(struct sn_lockdep_map *map, const char *name,
			    const struct sn_lock_class_key *key, bool raw_locked,
			    const void *ip);
void sn_lockdep_acquire(struct sn_lockdep_map *map, unsigned int subclass,
			int trylock, int read, const void *ip);
void sn_lockdep_release(struct sn_lockdep_map *map, const void *ip);

#if SN_LOCKDEP
/*
 * The wrappers below are always inlined, so the validator takes its own
 * return address (inside the function that called sn_spin_lock() & co.) as
 * the acquire site; NULL asks for that.
 */
#define SN_LOCKDEP_IP() ((const void *)0)
#define sn_lockdep_acquire_(m, s, t, r) sn_lockdep_acquire((m), (s), (t), (r), SN_LOCKDEP_IP())
#define sn_lockdep_release_(m) sn_lockdep_release((m), SN_LOCKDEP_IP())
#define sn_lockdep_init_(m, n, k, locked) \
	sn_lockdep_init_map_ip((m), (n), (k), (locked), SN_LOCKDEP_IP())
#define sn_lockdep_was_locked_(m, locked) ((m)->key != NULL && (locked))
#else
#define sn_lockdep_acquire_(m, s, t, r) do { RTE_SET_USED(m); } while (0)
#define sn_lockdep_release_(m) do { RTE_SET_USED(m); } while (0)
#define sn_lockdep_init_(m, n, k, locked) do { (m)->key = NULL; (m)->name = (n); RTE_SET_USED(k); } while (0)
#define sn_lockdep_was_locked_(m, locked) false
#endif

/** A spinlock; an rte_spinlock_t plus the validator's map when compiled in. */
struct sn_spinlock {
	rte_spinlock_t raw;              /**< the lock itself */
	struct sn_lockdep_map dep_map;   /**< validator state */
};

/** A reader/writer lock; an rte_rwlock_t plus the validator's map. */
struct sn_rwlock {
	rte_rwlock_t raw;                /**< the lock itself */
	struct sn_lockdep_map dep_map;   /**< validator state */
};

/**
 * Initialise a spinlock in an explicit class.
 *
 * @param l    lock to initialise; must not be held (the validator reports a
 *             held lock being re-initialised).
 * @param name class name used in reports.
 * @param key  class identity; usually a static object.
 */
static inline void
sn_spin_lock_init_key(struct sn_spinlock *l, const char *name,
		      const struct sn_lock_class_key *key)
{
	bool locked = sn_lockdep_was_locked_(&l->dep_map, rte_spinlock_is_locked(&l->raw));

	RTE_SET_USED(locked);
	rte_spinlock_init(&l->raw);
	sn_lockdep_init_(&l->dep_map, name, key, locked);
}

/** Initialise a spinlock whose class is this call site. */
#define sn_spin_lock_init(l) do { \
	static const struct sn_lock_class_key sn_key_; \
	sn_spin_lock_init_key((l), #l, &sn_key_); \
} while (0)

/** Take a spinlock, spinning until it is free. */
static __rte_always_inline void
sn_spin_lock(struct sn_spinlock *l)
{
	sn_lockdep_acquire_(&l->dep_map, 0, 0, 0);
	rte_spinlock_lock(&l->raw);
}

/**
 * Take a spinlock that nests inside another lock of the same class.
 *
 * @param subclass 1..7: tells the validator this nesting is intended; each
 *                 subclass is a class of its own in the dependency graph.
 */
static __rte_always_inline void
sn_spin_lock_nested(struct sn_spinlock *l, unsigned int subclass)
{
	sn_lockdep_acquire_(&l->dep_map, subclass, 0, 0);
	RTE_SET_USED(subclass);
	rte_spinlock_lock(&l->raw);
}

/**
 * Try to take a spinlock once.
 *
 * @return true if the lock is now held by the caller.
 */
static __rte_always_inline bool
sn_spin_trylock(struct sn_spinlock *l)
{
	if (rte_spinlock_trylock(&l->raw) == 0)
		return false;
	sn_lockdep_acquire_(&l->dep_map, 0, 1, 0);
	return true;
}

/** Release a spinlock held by the caller. */
static __rte_always_inline void
sn_spin_unlock(struct sn_spinlock *l)
{
	sn_lockdep_release_(&l->dep_map);
	/*
	 * A release store, as DPDK's generic unlock: 22.11's x86 version is an
	 * xchg, a full barrier that costs 15-20 cycles more per unlock on the
	 * transmit path, and x86 stores already have release order.
	 */
	__atomic_store_n(&l->raw.locked, 0, __ATOMIC_RELEASE);
}

/** @return true if some lcore holds the lock (a racy hint, for asserts). */
static inline bool
sn_spin_is_locked(struct sn_spinlock *l)
{
	return rte_spinlock_is_locked(&l->raw) != 0;
}

/** Initialise a reader/writer lock in an explicit class (must not be held). */
static inline void
sn_rwlock_init_key(struct sn_rwlock *l, const char *name,
		   const struct sn_lock_class_key *key)
{
	bool locked = sn_lockdep_was_locked_(&l->dep_map,
					     __atomic_load_n(&l->raw.cnt, __ATOMIC_RELAXED) != 0);

	RTE_SET_USED(locked);
	rte_rwlock_init(&l->raw);
	sn_lockdep_init_(&l->dep_map, name, key, locked);
}

/** Initialise a reader/writer lock whose class is this call site. */
#define sn_rwlock_init(l) do { \
	static const struct sn_lock_class_key sn_key_; \
	sn_rwlock_init_key((l), #l, &sn_key_); \
} while (0)

/*
 * A recursive reader: waits only while a writer holds the lock. Built on
 * rte_rwlock_t's own bits (a writer sets WAIT, then swaps in WRITE when no
 * reader is left), so writers stay the plain rte_rwlock calls.
 */
static __rte_always_inline void
sn_rwlock_raw_read_lock(rte_rwlock_t *rwl)
{
	for (;;) {
		int32_t x;

		while (__atomic_load_n(&rwl->cnt, __ATOMIC_RELAXED) & RTE_RWLOCK_WRITE)
			rte_pause();
		x = __atomic_add_fetch(&rwl->cnt, RTE_RWLOCK_READ, __ATOMIC_ACQUIRE);
		if (likely(!(x & RTE_RWLOCK_WRITE)))
			return;
		/* Lost the race with a writer: back out and wait again. */
		__atomic_fetch_sub(&rwl->cnt, RTE_RWLOCK_READ, __ATOMIC_RELAXED);
	}
}

static __rte_always_inline bool
sn_rwlock_raw_read_trylock(rte_rwlock_t *rwl)
{
	int32_t x;

	if (__atomic_load_n(&rwl->cnt, __ATOMIC_RELAXED) & RTE_RWLOCK_WRITE)
		return false;
	x = __atomic_add_fetch(&rwl->cnt, RTE_RWLOCK_READ, __ATOMIC_ACQUIRE);
	if (likely(!(x & RTE_RWLOCK_WRITE)))
		return true;
	__atomic_fetch_sub(&rwl->cnt, RTE_RWLOCK_READ, __ATOMIC_RELEASE);
	return false;
}

/**
 * Take a reader/writer lock for reading. Recursive: an lcore may take a read
 * hold it already has (the validator allows it; write after read, read after
 * write and write after write of one class are reported).
 */
static __rte_always_inline void
sn_read_lock(struct sn_rwlock *l)
{
	sn_lockdep_acquire_(&l->dep_map, 0, 0, 2);
	sn_rwlock_raw_read_lock(&l->raw);
}

/** Try to take a read hold once. @return true if now held. */
static __rte_always_inline bool
sn_read_trylock(struct sn_rwlock *l)
{
	if (!sn_rwlock_raw_read_trylock(&l->raw))
		return false;
	sn_lockdep_acquire_(&l->dep_map, 0, 1, 2);
	return true;
}

/** Release a read hold. */
static __rte_always_inline void
sn_read_unlock(struct sn_rwlock *l)
{
	sn_lockdep_release_(&l->dep_map);
	rte_rwlock_read_unlock(&l->raw);
}

/** Take a reader/writer lock for writing. */
static __rte_always_inline void
sn_write_lock(struct sn_rwlock *l)
{
	sn_lockdep_acquire_(&l->dep_map, 0, 0, 0);
	rte_rwlock_write_lock(&l->raw);
}

/** Take a write hold nesting inside another lock of the same class. */
static __rte_always_inline void
sn_write_lock_nested(struct sn_rwlock *l, unsigned int subclass)
{
	sn_lockdep_acquire_(&l->dep_map, subclass, 0, 0);
	RTE_SET_USED(subclass);
	rte_rwlock_write_lock(&l->raw);
}

/** Try to take a write hold once. @return true if now held. */
static __rte_always_inline bool
sn_write_trylock(struct sn_rwlock *l)
{
	if (rte_rwlock_write_trylock(&l->raw) != 0)
		return false;
	sn_lockdep_acquire_(&l->dep_map, 0, 1, 0);
	return true;
}

/** Release a write hold. */
static __rte_always_inline void
sn_write_unlock(struct sn_rwlock *l)
{
	sn_lockdep_release_(&l->dep_map);
	rte_rwlock_write_unlock(&l->raw);
}

#ifdef __cplusplus
}
#endif

#endif /* SN_LOCK_H */
