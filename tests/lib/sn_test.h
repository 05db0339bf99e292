/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SN_TEST_H
#define SN_TEST_H

/*
 * Shared helpers for softnet's test programs (one test per program, exit 0
 * pass, 1 fail, 77 skip, as meson understands).
 *
 * Every test starts DPDK through sn_test_init(), which always passes
 * --no-pci, --no-huge, --no-shconf and a unique --file-prefix, and checks
 * that every mempool it creates is back to its baseline in-use count.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_spinlock.h>

#include "softnet.h"
#include "sn_netdev_driver.h" /* the test netdev is a driver */
#include "sn_sched.h"          /* tests reach into qdiscs */

#define SN_TEST_PASS 0
#define SN_TEST_FAIL 1
#define SN_TEST_SKIP 77

/* Fail the current test function (which returns int) with a message. */
#define SN_ASSERT(cond, ...) do { \
	if (!(cond)) { \
		fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
		fprintf(stderr, __VA_ARGS__); \
		fputc('\n', stderr); \
		return SN_TEST_FAIL; \
	} \
} while (0)

#define SN_ASSERT_EQ(a, b) do { \
	long long a_ = (long long)(a), b_ = (long long)(b); \
	if (a_ != b_) { \
		fprintf(stderr, "FAIL %s:%d: %s == %s: %lld != %lld\n", __FILE__, __LINE__, \
			#a, #b, a_, b_); \
		return SN_TEST_FAIL; \
	} \
} while (0)

/* Run one sub-test; prints its name and result; propagates failure. */
#define SN_RUN(fn) do { \
	int rc_ = (fn)(); \
	printf("%-48s %s\n", #fn, rc_ == 0 ? "ok" : rc_ == SN_TEST_SKIP ? "skip" : "FAIL"); \
	fflush(stdout); \
	if (rc_ == SN_TEST_FAIL) \
		return SN_TEST_FAIL; \
} while (0)

/*
 * Start EAL for a test: @name becomes part of the file prefix, @lcores is an
 * -l list ("0" or "0-1"), @extra is NULL or a space-separated list of further
 * EAL arguments (e.g. "--vdev net_null0"). Then sn_init().
 * Returns 0, or exits with SN_TEST_SKIP if EAL cannot start here, or
 * SN_TEST_FAIL on other errors.
 */
int sn_test_init(const char *name, const char *lcores, const char *extra);

/* Stop softnet and EAL. */
void sn_test_fini(void);

/* A pktmbuf pool of @n mbufs (no per-lcore cache, so in-use counts are exact). */
struct rte_mempool *sn_test_pool(const char *name, unsigned int n);

/*
 * Allocate @n mbufs of @len bytes (zero-filled UDP-less payload), with
 * priority @prio and a sequence number written at the start of the data:
 * seq, seq + 1, ... Returns 0 or -ENOMEM.
 */
int sn_test_alloc(struct rte_mempool *mp, struct rte_mbuf **pkts, unsigned int n,
		  uint32_t len, uint32_t prio, uint64_t seq);

/* The sequence number sn_test_alloc() wrote into @m. */
uint64_t sn_test_seq(const struct rte_mbuf *m);

/* Tag written next to the sequence number (e.g. the source lcore). */
void sn_test_set_tag(struct rte_mbuf *m, uint32_t tag);
uint32_t sn_test_tag(const struct rte_mbuf *m);

/*
 * Check that @mp is back to @baseline mbufs in use; prints the difference on
 * failure. Returns 0 or SN_TEST_FAIL.
 */
int sn_test_pool_check(struct rte_mempool *mp, unsigned int baseline);

/* Run this lcore's softnet until it has no work (bounded). */
void sn_test_drain(struct sn_softnet *sd);

/*
 * A software netdev for tests (tests/lib/test_netdev.c): records what it is
 * given and frees it, accepting at most `budget` packets per call (-1: all)
 * and at most `credit` in all (-1: unlimited). Optional hook called inside
 * xmit with the xmit lock held (to re-enter, to block, ...).
 */
struct sn_test_netdev {
	int32_t budget;             /* per call, -1 for all */
	int64_t credit;             /* in all, -1 for unlimited */
	uint64_t calls;             /* xmit calls */
	uint64_t accepted;          /* packets accepted */
	bool keep;                  /* keep accepted mbufs in `kept` instead of freeing */
	struct rte_mbuf **kept;     /* when keep: accepted mbufs, in order */
	uint64_t kept_cap;
	void (*hook)(struct sn_netdev *dev, uint16_t txq, void *arg);
	void *hook_arg;
	bool stop_in_xmit;          /* the next xmit call stops its queue after accepting
				       (sn_netdev_txq_stop() from xmit, the kernel's
				       netif_tx_stop_queue idiom); one-shot, cleared then */
	int32_t ready;              /* what tx_ready answers: > 0 room, 0 full,
				       < 0 cannot tell (the default: a blind retry) */
	uint64_t ready_calls;       /* tx_ready calls */
	struct sn_test_fault *fault; /* fault injection (tests/fault), NULL: none */
};

/* Create an up test netdev with @nb_txq queues. NULL on error. */
struct sn_netdev *sn_test_netdev_create(const char *name, uint16_t nb_txq);

/* The control block of a test netdev. */
struct sn_test_netdev *sn_test_netdev_ctl(struct sn_netdev *dev);

/* Take the device down, free its kept mbufs (the kept array is the caller's), free it. */
void sn_test_netdev_free(struct sn_netdev *dev, struct sn_softnet *sd);

/*
 * Fault injection for the test netdev (tests/fault). Once a test netdev has
 * a struct sn_test_fault (sn_test_netdev_fault()), its xmit follows the knobs
 * below instead of budget/credit/keep. Every counter of a queue is written
 * under that queue's xmit lock (or its own spinlock), so they are exact with
 * several lcores on several queues. The knobs may be changed from any lcore
 * at any time (they are read once per xmit call).
 */

/* Most mbufs a fault netdev holds per queue before it must complete them. */
#define SN_TEST_FAULT_HOLD_MAX 512

struct sn_test_fault_txq {
	uint64_t calls;           /* xmit calls */
	uint64_t accepted;        /* packets accepted */
	uint64_t refused;         /* packets refused while `refuse` was set */
	uint64_t alloc_fail;      /* calls cut short because drv_pool ran dry */
	uint64_t hold_full;       /* calls cut short because the hold ring was full */
	uint64_t stops;           /* times the driver stopped the queue from xmit */
	uint64_t wakes;           /* times sn_test_fault_wake() woke it */
	uint64_t while_stopped;   /* xmit calls made while the driver had it stopped */
	uint64_t completed;       /* held mbufs freed by sn_test_fault_complete() */
	uint32_t stopped;         /* the driver stopped the queue, not woken yet (atomic) */
	uint32_t stopped_by;      /* lcore whose xmit stopped it */
	uint64_t stop_tsc;        /* when */
	uint32_t calls_since_stop;
	rte_spinlock_t lock;      /* the hold ring: xmit vs completion */
	uint32_t held_head, held_len;
	struct rte_mbuf *held[SN_TEST_FAULT_HOLD_MAX];
	struct rte_mbuf *shadow[SN_TEST_FAULT_HOLD_MAX]; /* drv_pool mbuf of held[i] */
} __rte_cache_aligned;

struct sn_test_fault {
	volatile bool refuse;        /* refuse every packet while set (driver full) */
	uint32_t budget;             /* at most this many per call, 0: all */
	uint32_t stop_every;         /* stop the queue from xmit after every Nth accepting
				        call (0: never); until sn_test_fault_wake() every
				        call is refused and counted in while_stopped */
	bool stop_partial;           /* every other stop also refuses half of that burst */
	uint32_t hold;               /* hold up to this many accepted mbufs per queue until
				        sn_test_fault_complete() (0: free at once) */
	struct rte_mempool *drv_pool; /* one mbuf of it per accepted packet (a descriptor),
				         held with it; none left: refuse the rest */
	uint16_t nb_txq;
	struct sn_test_fault_txq q[]; /* nb_txq of them */
};

/*
 * Replace @dev/@txq's root qdisc from one line of tc words ("tbf rate 1mbit
 * burst 2000 latency 1s"), through sn_qdisc_parse(), as the CLI does.
 * Returns SN_TEST_PASS, or SN_TEST_FAIL with the parse or replace error printed.
 */
int sn_test_qdisc_set(struct sn_netdev *dev, uint16_t txq, const char *line,
		      struct sn_softnet *sd);

/* Give a test netdev fault knobs (all off). NULL on error (then none). */
struct sn_test_fault *sn_test_netdev_fault(struct sn_netdev *dev);

/*
 * Free up to @max mbufs @txq holds (their "transmit completion"), from any
 * lcore. Returns how many.
 */
unsigned int sn_test_fault_complete(struct sn_netdev *dev, uint16_t txq, unsigned int max);

/*
 * The driver wakes @txq if it stopped it: clears its own stop, then
 * sn_netdev_txq_wake() on @sd, both under the queue's xmit lock with
 * softirqs disabled (as a driver's completion path does), so that a wake
 * can never undo a newer stop. Returns true if the queue was stopped.
 */
bool sn_test_fault_wake(struct sn_softnet *sd, struct sn_netdev *dev, uint16_t txq);

#endif /* SN_TEST_H */
