/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SN_FAULT_H
#define SN_FAULT_H

/*
 * The fault-injection campaign's shared harness (tests/fault, docs/testing.md).
 *
 * Every fault program runs the same traffic on two lcores: each lcore
 * attaches, then in a loop allocates a burst (1..FAULT_BURST packets, the
 * single-packet and burst forms mixed), tags it with its lcore and a
 * sequence number, and transmits it alternately into the shared transmit
 * queue 0 and into its own queue (1 for the main lcore, 2 for the worker),
 * then polls. The main lcore injects the program's fault between its own
 * traffic steps (or the worker injects it, for faults that belong to an
 * lcore). At the end a clean stop: traffic ends, the program undoes its
 * fault (driver accepting, link up, ...), both lcores poll until nothing
 * is left, and the invariants are checked:
 *
 *   - handed == sent + dropped + still queued (softnet's counters, summed
 *     over lcores, as deltas from the start; queued from the qdiscs);
 *   - processed == handed per lcore (softnet saw every packet the app gave);
 *   - dropped == the sum of the drop_* counters (and, where the engine has
 *     them, of drops[] by reason);
 *   - the device's qdiscs (current and retired) counted the same sent, and
 *     their drops are softnet's drops less those made without a qdisc;
 *   - nothing queued after the clean stop (no packet left with nothing due
 *     to run it);
 *   - after the device is freed, every mempool back to its baseline;
 *   - no lock-validator report (with -Dlockdep=true), no sanitizer report
 *     (the ASan/UBSan build aborts on the first);
 *   - no hang: a watchdog thread fails the program when its deadline passes,
 *     naming the phase it was in.
 *
 * Run length: at least SN_FAULT_SECONDS seconds (default 1.5) of faults and
 * at least SN_FAULT_ITERS fault iterations (each program has a default);
 * deadline SN_FAULT_DEADLINE seconds (default 30 + 3 x SN_FAULT_SECONDS).
 * scripts/soak.sh raises them.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mempool.h>

#include "sn_test.h"

#define FAULT_BURST 32
#define FAULT_FRAME_LEN 64

struct fault_run;

/* One transmitting lcore. */
struct fault_lcore {
	unsigned int lcore;      /* EAL lcore id */
	unsigned int idx;        /* 0: main, 1: worker */
	struct sn_softnet *sd;   /* NULL while detached */
	uint16_t own_txq;        /* this lcore's own queue */
	uint64_t handed;         /* mbufs handed to sn_xmit*() */
	uint64_t accepted;       /* what sn_xmit*() said it sent or queued */
	uint64_t alloc_fail;     /* app-side allocations that failed */
	uint64_t steps;          /* traffic steps */
	uint64_t seq;            /* next sequence number */
	uint64_t detach_busy;    /* detaches that returned -EBUSY (reattach test) */
	uint64_t reattach;       /* detach/attach cycles */
	int rc;                  /* worker: 0, or why it failed */
	volatile int idle;       /* worker: no work left during the clean stop */
	struct sn_softnet_stats base; /* this lcore's counters at the start */
} __rte_cache_aligned;

/* One fault run: the device, the traffic, the program's fault. */
struct fault_run {
	const char *name;
	struct sn_netdev *dev;     /* at least 3 transmit queues */
	struct rte_mempool *mp;    /* the app's pool */
	unsigned int pool_base;    /* its in-use count before the run */
	bool queued_ok;            /* do not require an empty queue after the clean stop */
	bool no_qdisc_check;       /* do not compare the qdiscs' counters with softnet's */
	/* Called on each lcore after each traffic step (completions, wakes). */
	void (*step_hook)(struct fault_run *r, struct fault_lcore *l);
	/* Called on the worker before each traffic step (an lcore's own fault). */
	void (*worker_fault)(struct fault_run *r, struct fault_lcore *l);
	/* Called on the main lcore at the clean stop: undo the fault. */
	void (*undo)(struct fault_run *r, struct fault_lcore *l);
	void *arg;                 /* the program's */
	volatile int stop;         /* traffic ends */
	volatile int done;         /* the clean stop is over: the worker detaches */
	uint64_t t0;               /* timer cycles at the start */
	struct sn_softnet_stats base; /* sum of all lcores' counters at the start */
	struct fault_lcore lc[2];
};

/* The run-length knobs (environment, see above). */
double fault_seconds(void);
uint64_t fault_iters(uint64_t dflt);

/*
 * Start EAL on lcores 0-1 (sn_test_init(), @extra: further EAL arguments),
 * exit 77 without two lcores, and arm the watchdog.
 */
void fault_init(const char *name, const char *extra);

/* Name the current phase (printed if the deadline passes). */
void fault_phase(const char *phase);

/* The pool of @n mbufs every program uses (no cache: exact in-use counts). */
struct rte_mempool *fault_pool(const char *name, unsigned int n);

/*
 * Set @r up for @dev and @mp (other fields may be filled in before or
 * after), attach the main lcore, take the baselines and launch the worker.
 * Returns 0 or SN_TEST_FAIL.
 */
int fault_start(struct fault_run *r, struct sn_netdev *dev, struct rte_mempool *mp);

/* One traffic step of @l (alloc, transmit, poll, hook). */
void fault_step(struct fault_run *r, struct fault_lcore *l);

/* @n traffic steps of the main lcore. */
void fault_pump(struct fault_run *r, unsigned int n);

/* Traffic steps of the main lcore for at least @us microseconds. */
void fault_pump_us(struct fault_run *r, uint64_t us);

/*
 * Keep injecting? True until at least fault_seconds() have passed and
 * @iter >= fault_iters(@min_iters).
 */
bool fault_more(struct fault_run *r, uint64_t iter, uint64_t min_iters);

/* The main lcore (index 0) and the worker (1). */
static inline struct fault_lcore *
fault_main(struct fault_run *r)
{
	return &r->lc[0];
}

/*
 * The clean stop and the checks: stop traffic, undo the fault, poll both
 * lcores until nothing is left, let the worker detach, then check every
 * invariant above but the pool (the device still exists). Prints a summary.
 * Returns 0 or SN_TEST_FAIL.
 */
int fault_stop_and_check(struct fault_run *r);

/*
 * The end of a run, after the program freed its device: drain, check the
 * pool is back to its baseline, detach the main lcore, no validator report.
 * Returns 0 or SN_TEST_FAIL.
 */
int fault_finish(struct fault_run *r);

/* sn_test_fini() and disarm the watchdog; returns SN_TEST_PASS. */
int fault_exit(void);

#endif /* SN_FAULT_H */
