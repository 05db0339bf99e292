/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * sn_bench: softnet's transmit path against a bare rte_eth_tx_burst() loop.
 *
 * Every case allocates mbufs in bursts with rte_pktmbuf_alloc_bulk(), gives
 * them the same minimal initialisation (data_len, pkt_len, the softnet
 * priority field set to 0) and transmits them on queue 0 of one net_null
 * port, which frees them. Only the way they reach the PMD differs:
 *
 *  - floor        rte_eth_tx_burst() directly: the reference of the run;
 *  - bypass       sn_xmit_burst() through pfifo_fast, empty and idle, so the
 *                 CAN_BYPASS direct path (sch_direct_xmit without a queue);
 *  - queued       sn_xmit_burst() through pfifo_fast with no_bypass: every
 *                 packet is enqueued in an rte_ring band and dequeued again;
 *  - single       sn_xmit() one packet at a time through pfifo_fast;
 *  - single-plug  the same calls inside sn_xmit_plug()/sn_xmit_unplug() around
 *                 each burst: the calls are held and leave as one burst;
 *  - floor-single rte_eth_tx_burst() one packet at a time: what the PMD alone
 *                 costs per call, the ceiling of "single" (no target);
 *  - shared-1     the two-lcore configuration (one txq, default pfifo_fast)
 *                 driven by one lcore only: the reference for the next case;
 *  - shared-2lcore-busylock    lcores 0 and 1 both transmitting into that
 *                 one qdisc, default parameters (contended enqueuers take the
 *                 busylock), aggregate;
 *  - shared-2lcore-nobusylock  the same with params.no_busylock;
 *  - shared-2lcore-deferlist   the same with params.defer_list (Linux 6.19's
 *                 lock-free defer list instead of the busylock; pushes beyond
 *                 sn_qdisc_max_burst() are dropped as burst_limit, counted
 *                 with the qdisc-full drops);
 *  - handoff-2lcore  no softnet, no lock: lcore 1 hands its bursts to lcore 0
 *                 through an SPSC ring and lcore 0 transmits both streams; the
 *                 same mbuf traffic between cores as a shared qdisc, so the
 *                 physical bound for the shared-2lcore cases (informative);
 *  - shared-2lcore-nolock      the same with params.nolock (NOLOCK
 *                 pfifo_fast: multi-producer rings, MISSED bit);
 *                 all four are compared with shared-1lcore (default params).
 *  - lock-2lcore  no softnet: both lcores send their own bursts straight to
 *                 queue 0 under one spinlock: the cost of merely sharing a
 *                 transmit queue between cores, with no packet crossing cores
 *                 (informative bound, as handoff-2lcore);
 *  - xps-2lcore-2txq  each lcore on a transmit queue of its own (the
 *                 kernel's XPS: one qdisc per queue, no packet crosses cores),
 *                 compared with shared-1lcore (informative).
 *  - prio-3bands  sn_xmit_burst() through prio (3 bands, a pfifo per band),
 *                 compared with queued (every packet classified, enqueued in
 *                 its band's child and dequeued again by strict priority);
 *  - mq-1lcore    mq over both queues, one lcore transmitting through
 *                 sn_xmit_xps() (its queue from the XPS map): the reference
 *                 of the next case;
 *  - mq-2lcore-2txq  the same with lcores 0 and 1, each on its own queue
 *                 through XPS (no shared root lock), aggregate, compared
 *                 with mq-1lcore.
 *  - htb-2levels-8leaves  sn_xmit_burst() through htb: root class 1:1 with
 *                 8 leaf classes 1:10..1:17 (a pfifo each), rates far above
 *                 what one lcore sends (pure cost: nothing is ever
 *                 throttled), packets spread round robin over the leaves by
 *                 their priority (the classid); compared with queued.
 *  - fq_codel-1024flows  sn_xmit_burst() through fq_codel (defaults: 1024
 *                 flow queues, CoDel, ECN) with UDP/IPv4 frames of 1024
 *                 source ports in turn, compared with queued (every packet
 *                 hashed on its 5-tuple, stamped, queued in its flow and
 *                 dequeued by DRR with CoDel's check). The headers are
 *                 written into every pool object once at set-up; per packet
 *                 the loop writes the source port only.
 *  - netem-delay10ms  sn_xmit_burst() through `netem delay 10ms limit
 *                 262144`: every packet waits 10 ms in netem's time-ordered
 *                 queue and leaves on the qdisc watchdog; about rate x 10 ms
 *                 packets are held, so these cases take their frames from a
 *                 pool of their own (NETEM_POOL_SIZE small mbufs, waiting
 *                 for it to refill when netem holds it all), compared with
 *                 queued; target >= 5 Mpps (absolute, see docs/qdiscs.md);
 *  - netem-delay10ms-loss1-reorder5  the same with `loss 1% reorder 5%`
 *                 (1% dropped as emulated_loss, counted with the qdisc's
 *                 drops; 5% sent at once, ahead of the delayed ones).
 *  - rte_sched-8pipes  no softnet: DPDK's own hierarchical scheduler on the
 *                 same tree as htb-2levels-8leaves, as close as it allows
 *                 (one subport, 8 pipes, each pipe's best-effort queue 0,
 *                 rates far above the lcore's): each burst classified
 *                 (rte_sched_port_pkt_write), enqueued, dequeued and
 *                 transmitted; htb / rte_sched is the ratio of the two rows
 *                 (printed under the table; target >= 1).
 *  - tbf-unreachable  tbf at 800 Gbit/s with a 16 MiB bucket: never holds a
 *                 packet back, so the row is the shaper's pure cost (the TSC
 *                 read and the token arithmetic) against queued.
 *
 * softnet cases call sn_softnet_poll() once per burst, as an embedder's loop
 * must. All cases share one port and one softnet device (the queued case
 * replaces the root qdisc, the shared cases put the default back).
 *
 * The cases run in --repeat rounds, interleaved (floor, bypass, ..., then
 * again), each warmed up before its timed run; the median is reported. Rates come from rte_rdtsc() over the measured loop and
 * rte_get_tsc_hz(); "cycles/pkt" are TSC cycles (wall clock), aggregate for
 * the two-lcore case. After each case the program checks that every packet
 * was accounted for (accepted by softnet, counted by the PMD, none dropped,
 * qdisc empty) and that the mempool is back to its baseline in-use count; if
 * not it prints an error and exits 1. Targets are reported, never enforced:
 * a figure below target still exits 0.
 *
 * Usage: sn_bench [EAL args] -- [--packets N] [--repeat R] [--burst B]
 *                                [--size S] [--json FILE] [--cases LIST]
 *                                [--stats] [--max-burst N] [--help]
 * Recommended: sn_bench -l 0-1 --no-pci --file-prefix sn_bench_$$
 *                       --vdev net_null0 -- --json results.json
 */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_ring.h>
#include <rte_spinlock.h>
#include <rte_mempool.h>
#include <rte_pause.h>

#include <rte_sched.h>

#include "sn_ethdev.h"
#include "sn_mq.h"
#include "sn_xps.h"
#include "softnet.h"

#define BENCH_MAX_BURST 64
#define BENCH_NB_TXQ 2
#define BENCH_MAX_REPEAT 31
#define BENCH_POOL_SIZE 8191
#define BENCH_POOL_CACHE 256
#define BENCH_WARMUP_PKTS (1u << 20)
/* Auto sizing: each measured run lasts about this long. */
#define BENCH_RUN_SECONDS 0.5
#define BENCH_MIN_PKTS (1u << 20)
#define BENCH_MAX_PKTS (1ull << 32)

enum bench_case {
	CASE_FLOOR,
	CASE_BYPASS,
	CASE_QUEUED,
	CASE_SINGLE,
	CASE_SINGLE_PLUG,
	CASE_FLOOR_SINGLE,
	CASE_SHARED1,
	CASE_SHARED2,
	CASE_SHARED2_NOBUSY,
	CASE_SHARED2_DEFER,
	CASE_SHARED2_NOLOCK,
	CASE_HANDOFF,
	CASE_LOCK2,
	CASE_XPS2,
	CASE_PRIO,
	CASE_MQ1,
	CASE_MQ2,
	CASE_HTB,
	CASE_FQ_CODEL,
	CASE_NETEM,
	CASE_NETEM_LOSS,
	CASE_RTE_SCHED,
	CASE_TBF,
	CASE_COUNT
};

struct case_desc {
	const char *name;
	double target;          /* minimum ratio, 0 for none */
	enum bench_case ref;    /* what the target ratio is taken against */
	unsigned int lcores;
};

static const struct case_desc cases[CASE_COUNT] = {
	[CASE_FLOOR] = { "floor", 0, CASE_FLOOR, 1 },
	[CASE_BYPASS] = { "bypass", 0.90, CASE_FLOOR, 1 },
	[CASE_QUEUED] = { "queued", 0.75, CASE_FLOOR, 1 },
	[CASE_SINGLE] = { "single", 0.40, CASE_FLOOR, 1 },
	[CASE_SINGLE_PLUG] = { "single-plug", 0.40, CASE_FLOOR, 1 },
	[CASE_FLOOR_SINGLE] = { "floor-single", 0, CASE_FLOOR, 1 },
	[CASE_SHARED1] = { "shared-1lcore", 0, CASE_FLOOR, 1 },
	[CASE_SHARED2] = { "shared-2lcore-busylock", 1.0, CASE_SHARED1, 2 },
	[CASE_SHARED2_NOBUSY] = { "shared-2lcore-nobusylock", 1.0, CASE_SHARED1, 2 },
	[CASE_SHARED2_DEFER] = { "shared-2lcore-deferlist", 1.0, CASE_SHARED1, 2 },
	[CASE_SHARED2_NOLOCK] = { "shared-2lcore-nolock", 1.0, CASE_SHARED1, 2 },
	[CASE_HANDOFF] = { "handoff-2lcore", 0, CASE_SHARED1, 2 },
	[CASE_LOCK2] = { "lock-2lcore", 0, CASE_SHARED1, 2 },
	[CASE_XPS2] = { "xps-2lcore-2txq", 0, CASE_SHARED1, 2 },
	[CASE_PRIO] = { "prio-3bands", 0.5, CASE_QUEUED, 1 },
	[CASE_MQ1] = { "mq-1lcore", 0, CASE_FLOOR, 1 },
	[CASE_MQ2] = { "mq-2lcore-2txq", 1.8, CASE_MQ1, 2 },
	[CASE_HTB] = { "htb-2levels-8leaves", 0.5, CASE_QUEUED, 1 },
	[CASE_FQ_CODEL] = { "fq_codel-1024flows", 0.5, CASE_QUEUED, 1 },
	[CASE_NETEM] = { "netem-delay10ms", 0, CASE_QUEUED, 1 },
	[CASE_NETEM_LOSS] = { "netem-delay10ms-loss1-reorder5", 0, CASE_QUEUED, 1 },
	[CASE_RTE_SCHED] = { "rte_sched-8pipes", 0, CASE_FLOOR, 1 },
	[CASE_TBF] = { "tbf-unreachable", 0.5, CASE_QUEUED, 1 },
};

struct case_result {
	bool measured;          /* false: n/a */
	const char *why_na;
	uint64_t packets;       /* per lcore, per measured run */
	unsigned int runs;
	double mpps[BENCH_MAX_REPEAT];
	double cpp[BENCH_MAX_REPEAT];
	double drop_pct[BENCH_MAX_REPEAT];
	double mpps_median;
	double cpp_median;
	double drop_pct_median;
	uint64_t dropped;       /* by the qdisc over the whole case, warm-up included */
	uint64_t late_drops;    /* of those, reported accepted by sn_xmit_burst() first */
	uint64_t offered;       /* packets generated over the whole case */
};

struct bench_opts {
	uint64_t packets;       /* 0: auto */
	unsigned int repeat;
	uint16_t burst;
	uint16_t size;
	const char *json;
	uint32_t max_burst;     /* sn_init_params.qdisc_max_burst, 0: the default */
	uint32_t cases;         /* bit per enum bench_case to run */
	bool stats;             /* print softnet's counters per case */
};

struct bench {
	struct bench_opts o;
	struct rte_mempool *mp;
	uint16_t port;
	struct sn_netdev *dev;
	struct sn_softnet *sd;  /* main lcore's */
	unsigned int worker;    /* second lcore, RTE_MAX_LCORE if none */
	unsigned int baseline;  /* pool in use before any case */
	double tsc_hz;
	struct rte_ring *handoff; /* handoff-2lcore: lcore 1's bursts to lcore 0 */
};

/* One lcore's share of a run. */
struct run_arg {
	struct bench *b;
	enum bench_case c;
	uint64_t n;             /* packets to send */
	uint64_t accepted;      /* sent by the PMD (floor) or accepted by softnet */
	uint64_t t0, t1;        /* TSC at start and end of the timed loop */
	int err;
};

/* Cases that bypass softnet: no qdisc set-up, no qdisc counters to check. */
static inline bool
is_floor(enum bench_case c)
{
	return c == CASE_FLOOR || c == CASE_FLOOR_SINGLE || c == CASE_HANDOFF || c == CASE_LOCK2 ||
	       c == CASE_RTE_SCHED;
}

/* Start line for the two-lcore runs. */
static volatile uint32_t run_ready;
static volatile uint32_t run_go;
static volatile uint32_t handoff_done;

/* The same minimal initialisation in every case. */
static __rte_always_inline void
frame_init(struct rte_mbuf **pkts, uint16_t n, uint16_t size)
{
	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];

		m->data_len = size;
		m->pkt_len = size;
		sn_mbuf_prio_set(m, SN_PRIO_BESTEFFORT);
	}
}

static __rte_always_inline int
alloc_burst(struct bench *b, struct rte_mbuf **pkts, uint16_t n)
{
	if (unlikely(rte_pktmbuf_alloc_bulk(b->mp, pkts, n) != 0))
		return -ENOMEM;
	frame_init(pkts, n, b->o.size);
	return 0;
}

/* lock-2lcore: each lcore sends its own bursts on queue 0 under one spinlock. */
static rte_spinlock_t lock2 = RTE_SPINLOCK_INITIALIZER;

/*
 * The timed loops; each returns 0 or -ENOMEM (pool exhausted: a leak).
 * The floor; with @lock (lock-2lcore), each driver call under it.
 */
static int
loop_floor(struct bench *b, struct run_arg *a, rte_spinlock_t *lock)
{
	struct rte_mbuf *pkts[BENCH_MAX_BURST];
	uint64_t left = a->n, sent = 0;

	while (left != 0) {
		uint16_t n = (uint16_t)RTE_MIN(left, (uint64_t)b->o.burst);
		uint16_t k = 0;

		if (alloc_burst(b, pkts, n) != 0)
			return -ENOMEM;
		if (lock != NULL)
			rte_spinlock_lock(lock);
		/* net_null takes everything; loop anyway rather than leak. */
		while (k < n)
			k = (uint16_t)(k + rte_eth_tx_burst(b->port, 0, pkts + k, (uint16_t)(n - k)));
		if (lock != NULL)
			rte_spinlock_unlock(lock);
		sent += k;
		left -= n;
	}
	a->accepted += sent;
	return 0;
}

/* The floor, one packet per rte_eth_tx_burst() call, as sn_xmit() makes them. */
static int
loop_floor_single(struct bench *b, struct run_arg *a)
{
	struct rte_mbuf *pkts[BENCH_MAX_BURST];
	uint64_t left = a->n, sent = 0;

	while (left != 0) {
		uint16_t n = (uint16_t)RTE_MIN(left, (uint64_t)b->o.burst);

		if (alloc_burst(b, pkts, n) != 0)
			return -ENOMEM;
		for (uint16_t i = 0; i < n; i++)
			while (rte_eth_tx_burst(b->port, 0, &pkts[i], 1) == 0)
				;
		sent += n;
		left -= n;
	}
	a->accepted += sent;
	return 0;
}

/*
 * handoff-2lcore: the physical bound of "two lcores into one transmit queue",
 * with no softnet and no lock. lcore 1 generates bursts and hands them to
 * lcore 0 through a single-producer single-consumer ring; lcore 0 generates
 * its own and transmits both streams. The mbufs travel between the cores
 * exactly as they do through a shared qdisc (allocated and written on one,
 * freed on the other).
 */
static int
loop_handoff_producer(struct bench *b, struct run_arg *a)
{
	struct rte_mbuf *pkts[BENCH_MAX_BURST];
	uint64_t left = a->n;

	while (left != 0) {
		uint16_t n = (uint16_t)RTE_MIN(left, (uint64_t)b->o.burst);

		if (alloc_burst(b, pkts, n) != 0)
			return -ENOMEM;
		while (rte_ring_sp_enqueue_bulk(b->handoff, (void **)pkts, n, NULL) == 0)
			rte_pause();
		left -= n;
	}
	a->accepted += a->n;
	__atomic_store_n(&handoff_done, 1, __ATOMIC_RELEASE);
	return 0;
}

static void
tx_all(struct bench *b, struct rte_mbuf **pkts, uint16_t n)
{
	uint16_t k = 0;

	while (k < n)
		k = (uint16_t)(k + rte_eth_tx_burst(b->port, 0, pkts + k, (uint16_t)(n - k)));
}

static int
loop_handoff_consumer(struct bench *b, struct run_arg *a)
{
	struct rte_mbuf *pkts[BENCH_MAX_BURST];
	uint64_t left = a->n;
	unsigned int k;

	while (left != 0) {
		uint16_t n = (uint16_t)RTE_MIN(left, (uint64_t)b->o.burst);

		if (alloc_burst(b, pkts, n) != 0)
			return -ENOMEM;
		tx_all(b, pkts, n);
		left -= n;
		k = rte_ring_sc_dequeue_burst(b->handoff, (void **)pkts, b->o.burst, NULL);
		tx_all(b, pkts, (uint16_t)k);
	}
	/* Then the rest of lcore 1's stream. */
	for (;;) {
		bool done = __atomic_load_n(&handoff_done, __ATOMIC_ACQUIRE) != 0;

		k = rte_ring_sc_dequeue_burst(b->handoff, (void **)pkts, b->o.burst, NULL);
		tx_all(b, pkts, (uint16_t)k);
		if (k == 0 && done)
			break;
	}
	a->accepted += a->n;
	return 0;
}

/* htb-2levels-8leaves: name the leaves 1:10..1:17 in turn (the mbuf priority). */
static __rte_always_inline void
htb_classify(struct rte_mbuf **pkts, uint16_t n, uint32_t *next)
{
	for (uint16_t i = 0; i < n; i++)
		sn_mbuf_prio_set(pkts[i], 0x10010u + ((*next)++ & 7u));
}

/* fq_codel-1024flows: Ethernet, IPv4 and UDP headers in every pool object. */
#define BENCH_FLOWS 1024
#define BENCH_SPORT_OFF (14 + 20)

static void
flows_hdr_cb(struct rte_mempool *mp, void *opaque, void *obj, unsigned int idx)
{
	struct rte_mbuf *m = obj;
	uint8_t *d = (uint8_t *)m->buf_addr + RTE_PKTMBUF_HEADROOM;

	RTE_SET_USED(mp);
	RTE_SET_USED(opaque);
	RTE_SET_USED(idx);
	if (m->buf_len < RTE_PKTMBUF_HEADROOM + 42)
		return;
	memset(d, 0, 42);
	d[0] = 0x02;                      /* destination MAC 02:00:.. */
	d[6] = 0x02;                      /* source MAC */
	d[12] = 0x08;                     /* IPv4 */
	d[14] = 0x45;                     /* version, IHL */
	d[22] = 64;                       /* TTL */
	d[23] = 17;                       /* UDP */
	d[26] = 10;                       /* source 10.0.0.1 */
	d[29] = 1;
	d[30] = 10;                       /* destination 10.1.0.1 */
	d[31] = 1;
	d[33] = 1;
	d[37] = 9;                        /* destination port 9 */
}

/* fq_codel-1024flows: the source port of each packet, one of BENCH_FLOWS in turn. */
static __rte_always_inline void
flows_stamp(struct rte_mbuf **pkts, uint16_t n, uint32_t *next)
{
	for (uint16_t i = 0; i < n; i++)
		*rte_pktmbuf_mtod_offset(pkts[i], unaligned_uint16_t *, BENCH_SPORT_OFF) =
			rte_cpu_to_be_16((uint16_t)(1024 + ((*next)++ & (BENCH_FLOWS - 1))));
}

static int
loop_burst(struct bench *b, struct run_arg *a, struct sn_softnet *sd)
{
	/* XPS: the worker lcore has queue 1 to itself; everyone else shares queue 0. */
	const uint16_t txq = a->c == CASE_XPS2 && rte_lcore_id() == b->worker ? 1 : 0;
	/* mq cases: the queue comes from the XPS map, looked up per burst. */
	const bool xps = a->c == CASE_MQ1 || a->c == CASE_MQ2;
	uint32_t htb_next = 0, flow_next = 0;
	struct rte_mbuf *pkts[BENCH_MAX_BURST];
	uint64_t left = a->n, acc = 0;

	while (left != 0) {
		uint16_t n = (uint16_t)RTE_MIN(left, (uint64_t)b->o.burst);

		if (alloc_burst(b, pkts, n) != 0)
			return -ENOMEM;
		if (a->c == CASE_HTB)
			htb_classify(pkts, n, &htb_next);
		if (a->c == CASE_FQ_CODEL)
			flows_stamp(pkts, n, &flow_next);
		if (xps)
			acc += sn_xmit_xps(sd, b->dev, pkts, n);
		else
			acc += sn_xmit_burst(sd, b->dev, txq, pkts, n);
		sn_softnet_poll(sd);
		left -= n;
	}
	a->accepted += acc;
	return 0;
}

static int
loop_single(struct bench *b, struct run_arg *a, struct sn_softnet *sd, bool plug)
{
	struct rte_mbuf *pkts[BENCH_MAX_BURST];
	uint64_t left = a->n, acc = 0;

	while (left != 0) {
		uint16_t n = (uint16_t)RTE_MIN(left, (uint64_t)b->o.burst);

		if (alloc_burst(b, pkts, n) != 0)
			return -ENOMEM;
		if (plug && sn_xmit_plug(sd) != 0)
			return -EINVAL;
		for (uint16_t i = 0; i < n; i++)
			acc += sn_xmit(sd, b->dev, 0, pkts[i]) == SN_XMIT_SUCCESS;
		if (plug) {
			int dropped = sn_xmit_unplug(sd);

			if (dropped < 0)
				return dropped;
			acc -= (uint64_t)dropped;
		}
		sn_softnet_poll(sd);
		left -= n;
	}
	a->accepted += acc;
	return 0;
}

/*
 * netem cases: 10 ms of traffic is held in the qdisc (about 50k frames at
 * 5 Mpps), more than BENCH_POOL_SIZE: a pool of small mbufs of their own.
 * When netem holds all of it the loop polls until the watchdog releases
 * frames (the rate is then bounded by NETEM_POOL_SIZE / 10 ms, 26 Mpps).
 */
#define NETEM_POOL_SIZE 262143
static struct rte_mempool *netem_mp;

static int
netem_pool(struct bench *b)
{
	const uint16_t room = RTE_PKTMBUF_HEADROOM + RTE_MAX(b->o.size, 128);

	/*
	 * A stack (LIFO) behind the lcore cache: what the driver just freed is
	 * what the loop allocates next, still in cache, as in the other cases.
	 * With the default FIFO ring every refill of the cache would bring
	 * mbufs untouched for 200k allocations, and the figure would be the
	 * pool's, not netem's. Falls back to the ring if there is no stack.
	 */
	if (netem_mp == NULL)
		netem_mp = rte_pktmbuf_pool_create_by_ops("sn_bench_netem", NETEM_POOL_SIZE,
							  BENCH_POOL_CACHE, 0, room,
							  (int)rte_socket_id(), "stack");
	if (netem_mp == NULL)
		netem_mp = rte_pktmbuf_pool_create("sn_bench_netem", NETEM_POOL_SIZE,
						   BENCH_POOL_CACHE, 0, room, (int)rte_socket_id());
	return netem_mp != NULL ? 0 : -rte_errno;
}

static int
loop_netem(struct bench *b, struct run_arg *a, struct sn_softnet *sd)
{
	struct rte_mbuf *pkts[BENCH_MAX_BURST];
	uint64_t left = a->n, acc = 0;
	const uint64_t stuck = rte_get_tsc_hz(); /* nothing released for 1 s: a leak */
	uint64_t since = 0;

	while (left != 0) {
		uint16_t n = (uint16_t)RTE_MIN(left, (uint64_t)b->o.burst);

		if (unlikely(rte_pktmbuf_alloc_bulk(netem_mp, pkts, n) != 0)) {
			if (since == 0)
				since = rte_rdtsc();
			else if (rte_rdtsc() - since > stuck)
				return -ENOMEM;
			sn_softnet_poll(sd);
			continue;
		}
		since = 0;
		frame_init(pkts, n, b->o.size);
		acc += sn_xmit_burst(sd, b->dev, 0, pkts, n);
		sn_softnet_poll(sd);
		left -= n;
	}
	a->accepted += acc;
	return 0;
}

/* netem cases: the qdisc on queue 0, and the pool back to empty from the last run. */
static int
netem_setup(struct bench *b, enum bench_case c)
{
	const char *delay[] = { "netem", "delay", "10ms", "limit", "262144" };
	const char *lossy[] = { "netem", "delay", "10ms", "loss", "1%",
				"reorder", "5%", "limit", "262144" };
	char kind[SN_QDISC_KIND_SIZE], err[160];
	struct sn_qdisc_params p;
	int rc = netem_pool(b);

	if (rc != 0)
		return rc;
	if (rte_mempool_in_use_count(netem_mp) != 0) {
		fprintf(stderr, "netem pool: %u mbufs still in use\n",
			rte_mempool_in_use_count(netem_mp));
		return -EPROTO;
	}
	if (c == CASE_NETEM)
		rc = sn_qdisc_parse(RTE_DIM(delay), delay, kind, &p, err, sizeof(err));
	else
		rc = sn_qdisc_parse(RTE_DIM(lossy), lossy, kind, &p, err, sizeof(err));
	if (rc != 0) {
		fprintf(stderr, "netem: %s\n", err);
		return rc;
	}
	return sn_qdisc_replace(b->dev, 0, kind, &p, b->sd);
}

/*
 * rte_sched-8pipes: port 100 Gbit/s, one subport, 8 pipes of one profile,
 * every rate the port's (nothing is ever throttled at one lcore's rate).
 * Made once, on first use; lives until the process ends.
 */
static struct rte_sched_port *
sched_port(void)
{
	static struct rte_sched_port *port;
	static struct rte_sched_pipe_params pipe = {
		.tb_rate = 12500000000ull, .tb_size = 1000000, .tc_period = 10,
		.tc_ov_weight = 1, .wrr_weights = { 1, 1, 1, 1 },
	};
	static struct rte_sched_subport_profile_params spp = {
		.tb_rate = 12500000000ull, .tb_size = 1000000, .tc_period = 10,
	};
	struct rte_sched_subport_params sp = {
		.n_pipes_per_subport_enabled = 8, .pipe_profiles = &pipe,
		.n_pipe_profiles = 1, .n_max_pipe_profiles = 1,
	};
	struct rte_sched_port_params pp = {
		.name = "sn_bench_sched", .socket = (int)rte_socket_id(),
		.rate = 12500000000ull, .mtu = 1522, .frame_overhead = 24,
		.n_subports_per_port = 1, .subport_profiles = &spp, .n_subport_profiles = 1,
		.n_max_subport_profiles = 1, .n_pipes_per_subport = 8,
	};

	if (port != NULL)
		return port;
	for (unsigned int i = 0; i < RTE_SCHED_TRAFFIC_CLASSES_PER_PIPE; i++) {
		pipe.tc_rate[i] = pipe.tb_rate;
		spp.tc_rate[i] = spp.tb_rate;
		sp.qsize[i] = 64;
	}
	port = rte_sched_port_config(&pp);
	if (port == NULL)
		return NULL;
	if (rte_sched_subport_config(port, 0, &sp, 0) != 0)
		return NULL;
	for (uint32_t p = 0; p < 8; p++)
		if (rte_sched_pipe_config(port, 0, p, 0) != 0)
			return NULL;
	return port;
}

/* rte_sched-8pipes: classify, enqueue, dequeue, transmit; drained at the end. */
static int
loop_rte_sched(struct bench *b, struct run_arg *a)
{
	struct rte_sched_port *port = sched_port();
	struct rte_mbuf *pkts[BENCH_MAX_BURST];
	uint64_t left = a->n, inside = 0, sent = 0;
	uint32_t next = 0;

	if (port == NULL)
		return -ENOMEM;
	while (left != 0) {
		uint16_t n = (uint16_t)RTE_MIN(left, (uint64_t)b->o.burst);
		int k;

		if (alloc_burst(b, pkts, n) != 0)
			return -ENOMEM;
		for (uint16_t i = 0; i < n; i++)
			rte_sched_port_pkt_write(port, pkts[i], 0, next++ & 7u,
						 RTE_SCHED_TRAFFIC_CLASS_BE, 0, RTE_COLOR_GREEN);
		k = rte_sched_port_enqueue(port, pkts, n);
		/* Refused ones were freed inside: a benchmark that drops is wrong. */
		if (k != n)
			return -ENOSPC;
		inside += (uint64_t)k;
		k = rte_sched_port_dequeue(port, pkts, b->o.burst);
		tx_all(b, pkts, (uint16_t)k);
		inside -= (uint64_t)k;
		sent += (uint64_t)k;
		left -= n;
	}
	for (unsigned int spins = 0; inside != 0 && spins < 1000000; spins++) {
		int k = rte_sched_port_dequeue(port, pkts, b->o.burst);

		tx_all(b, pkts, (uint16_t)k);
		inside -= (uint64_t)k;
		sent += (uint64_t)k;
	}
	a->accepted += sent;
	return inside == 0 ? 0 : -EIO;
}

static int
run_one(struct run_arg *a, struct sn_softnet *sd)
{
	struct bench *b = a->b;
	int rc;

	a->t0 = rte_rdtsc_precise();
	switch (a->c) {
	case CASE_FLOOR:
		rc = loop_floor(b, a, NULL);
		break;
	case CASE_SINGLE:
	case CASE_SINGLE_PLUG:
		rc = loop_single(b, a, sd, a->c == CASE_SINGLE_PLUG);
		break;
	case CASE_FLOOR_SINGLE:
		rc = loop_floor_single(b, a);
		break;
	case CASE_LOCK2:
		rc = loop_floor(b, a, &lock2);
		break;
	case CASE_RTE_SCHED:
		rc = loop_rte_sched(b, a);
		break;
	case CASE_HANDOFF:
		rc = rte_lcore_id() == b->worker ? loop_handoff_producer(b, a) :
						   loop_handoff_consumer(b, a);
		break;
	case CASE_NETEM:
	case CASE_NETEM_LOSS:
		rc = loop_netem(b, a, sd);
		break;
	default:
		rc = loop_burst(b, a, sd);
		break;
	}
	a->t1 = rte_rdtsc_precise();
	return rc;
}

/* Second lcore of the shared cases: attach, wait for the start, run, detach. */
static int
worker_main(void *arg)
{
	struct run_arg *a = arg;
	struct sn_softnet *sd = sn_softnet_attach();

	if (sd == NULL) {
		a->err = -rte_errno;
		__atomic_add_fetch(&run_ready, 1, __ATOMIC_RELEASE);
		return a->err;
	}
	__atomic_add_fetch(&run_ready, 1, __ATOMIC_RELEASE);
	while (__atomic_load_n(&run_go, __ATOMIC_ACQUIRE) == 0)
		rte_pause();
	a->err = run_one(a, sd);
	/* Drain anything this lcore still has scheduled, then go offline. */
	while (sn_softnet_has_work(sd))
		sn_softnet_poll(sd);
	if (sn_softnet_detach(sd) != 0 && a->err == 0)
		a->err = -EBUSY;
	return a->err;
}

static uint64_t
eth_opackets(uint16_t port)
{
	struct rte_eth_stats es;

	return rte_eth_stats_get(port, &es) == 0 ? es.opackets : 0;
}

/* What one timed run did. */
struct run_out {
	double mpps;            /* delivered (PMD-accepted) packets per second */
	double cpp;             /* TSC cycles per delivered packet */
	double drop_pct;        /* offered but dropped by the qdisc */
};

/*
 * One timed run of case @c, @n packets offered per lcore. Rates are of the
 * packets the PMD accepted (a qdisc that overflows under contention drops
 * the rest, and those are counted, not hidden). @accepted adds up what
 * softnet (or, for the floor, the PMD) accepted.
 * @return 0 or a negative errno.
 */
static int
measure(struct bench *b, enum bench_case c, uint64_t n, struct run_out *out,
	uint64_t *accepted)
{
	struct run_arg a[2] = {
		{ .b = b, .c = c, .n = n },
		{ .b = b, .c = c, .n = n },
	};
	unsigned int nl = cases[c].lcores;
	uint64_t t0, t1, offered = n * nl, delivered, e0;
	int rc;

	e0 = eth_opackets(b->port);
	if (nl == 2) {
		__atomic_store_n(&run_ready, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&handoff_done, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&run_go, 0, __ATOMIC_RELEASE);
		if (rte_eal_remote_launch(worker_main, &a[1], b->worker) != 0)
			return -EBUSY;
		while (__atomic_load_n(&run_ready, __ATOMIC_ACQUIRE) < 1)
			rte_pause();
		__atomic_store_n(&run_go, 1, __ATOMIC_RELEASE);
	}
	rc = run_one(&a[0], b->sd);
	t0 = a[0].t0;
	t1 = a[0].t1;
	*accepted += a[0].accepted;
	if (nl == 2) {
		int wrc = rte_eal_wait_lcore(b->worker);

		if (rc == 0)
			rc = a[1].err != 0 ? a[1].err : wrc;
		t0 = RTE_MIN(t0, a[1].t0);
		t1 = RTE_MAX(t1, a[1].t1);
		*accepted += a[1].accepted;
	}
	/* Whatever is still queued leaves now, outside the timed window. */
	while (sn_softnet_has_work(b->sd))
		sn_softnet_poll(b->sd);
	delivered = eth_opackets(b->port) - e0;
	if (delivered == 0)
		return rc != 0 ? rc : -EIO;
	out->mpps = (double)delivered * b->tsc_hz / (double)(t1 - t0) / 1e6;
	out->cpp = (double)(t1 - t0) / (double)delivered;
	out->drop_pct = 100.0 * (double)(offered - RTE_MIN(delivered, offered)) / (double)offered;
	return rc;
}

/* Counters a case is checked against. */
struct snap {
	uint64_t eth_opackets;
	uint64_t eth_oerrors;
	uint64_t sn_dropped;
	uint64_t sn_drop_qdisc;
	uint64_t q_packets;
	uint64_t q_drops;
	uint64_t q_qlen;
};

static int
snap_take(struct bench *b, struct snap *s)
{
	struct rte_eth_stats es;
	struct sn_softnet_stats ss;
	struct sn_netdev_stats ns;
	int rc;

	rc = rte_eth_stats_get(b->port, &es);
	if (rc != 0)
		return rc;
	sn_softnet_stats_sum(&ss);
	rc = sn_netdev_stats(b->dev, &ns);
	if (rc != 0)
		return rc;
	s->eth_opackets = es.opackets;
	s->eth_oerrors = es.oerrors;
	s->sn_dropped = ss.dropped;
	s->sn_drop_qdisc = ss.drop_qdisc;
	s->q_packets = ns.qdisc.bstats.packets;
	s->q_drops = ns.qdisc.qstats.drops;
	s->q_qlen = ns.qdisc.qstats.qlen;
	return 0;
}

#define BENCH_CHECK(cond, ...) do { \
	if (!(cond)) { \
		fprintf(stderr, "\n*** sn_bench ERROR (%s): %s: ", name, #cond); \
		fprintf(stderr, __VA_ARGS__); \
		fprintf(stderr, "\n*** a benchmark that loses packets is wrong: no figures\n"); \
		return -EPROTO; \
	} \
} while (0)

/*
 * Every packet generated is accounted for: sent by the PMD or dropped by the
 * qdisc on enqueue (a full band under contention; counted, and reported),
 * nothing dropped for any other reason, the qdisc empty and the pool back
 * to its baseline.
 */
static int
account(struct bench *b, enum bench_case c, const struct snap *before, uint64_t generated,
	uint64_t accepted, uint64_t *dropped, uint64_t *late_drops)
{
	const char *name = cases[c].name;
	uint64_t sent, drops;
	struct snap after;
	unsigned int in_use;

	BENCH_CHECK(snap_take(b, &after) == 0, "cannot read counters");
	sent = after.eth_opackets - before->eth_opackets;
	drops = after.sn_dropped - before->sn_dropped;
	/* drop_qdisc: the discipline's refusals and the defer list's burst limit. */
	BENCH_CHECK(after.sn_drop_qdisc - before->sn_drop_qdisc == drops,
		    "%" PRIu64 " drops other than qdisc-full or burst-limit drops",
		    drops - (after.sn_drop_qdisc - before->sn_drop_qdisc));
	BENCH_CHECK(after.q_drops - before->q_drops == drops,
		    "qdisc counted %" PRIu64 " drops, softnet %" PRIu64,
		    after.q_drops - before->q_drops, drops);
	BENCH_CHECK(!is_floor(c) || drops == 0, "drops in the floor case");
	BENCH_CHECK(sent + drops == generated,
		    "%" PRIu64 " generated, %" PRIu64 " sent by the PMD + %" PRIu64 " dropped",
		    generated, sent, drops);
	/*
	 * Drops on enqueue are refusals (not in the return value). In defer-list
	 * mode a pushed packet counts as accepted and may be dropped later, when
	 * the list is spliced into a full band: then accepted + drops exceeds
	 * what was generated by that many, and each packet is still counted once.
	 */
	BENCH_CHECK(accepted <= generated && sent <= accepted,
		    "%" PRIu64 " generated, %" PRIu64 " accepted, %" PRIu64 " sent",
		    generated, accepted, sent);
	if (c == CASE_SHARED2_DEFER)
		BENCH_CHECK(accepted + drops >= generated,
			    "%" PRIu64 " generated, %" PRIu64 " accepted + %" PRIu64 " dropped",
			    generated, accepted, drops);
	else
		BENCH_CHECK(accepted + drops == generated,
			    "%" PRIu64 " generated, %" PRIu64 " accepted + %" PRIu64 " dropped",
			    generated, accepted, drops);
	*late_drops = accepted + drops - generated;
	BENCH_CHECK(after.eth_oerrors == before->eth_oerrors, "PMD output errors");
	BENCH_CHECK(after.q_qlen == 0, "%" PRIu64 " packets left in the qdisc", after.q_qlen);
	if (!is_floor(c))
		BENCH_CHECK(after.q_packets - before->q_packets == sent,
			    "PMD sent %" PRIu64 ", qdisc counted %" PRIu64, sent,
			    after.q_packets - before->q_packets);
	in_use = rte_mempool_in_use_count(b->mp);
	BENCH_CHECK(in_use == b->baseline, "mempool has %u mbufs in use, baseline %u",
		    in_use, b->baseline);
	*dropped = drops;
	return 0;
}

static int
cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return a < b ? -1 : a > b;
}

static double
median(const double *v, unsigned int n)
{
	double s[BENCH_MAX_REPEAT];

	memcpy(s, v, n * sizeof(*v));
	qsort(s, n, sizeof(*s), cmp_double);
	return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/* softnet's counters over one case (warm-up included), per 1000 packets offered. */
static void
print_stats_delta(const char *name, uint64_t generated, const struct sn_softnet_stats *a,
		  const struct sn_softnet_stats *z)
{
#define ST(f) { #f, offsetof(struct sn_softnet_stats, f) }
	static const struct {
		const char *name;
		size_t off;
	} f[] = {
		ST(processed), ST(sent), ST(dropped), ST(drop_qdisc), ST(bypass),
		ST(busylock), ST(cpu_collision), ST(requeued), ST(time_squeeze),
		ST(queue_stopped), ST(tx_action), ST(qdisc_runs), ST(resched),
		ST(cq_freed), ST(cq_flushes),
	};
#undef ST
	printf("    %s softnet counters (per 1000 packets offered):", name);
	for (unsigned int i = 0; i < RTE_DIM(f); i++) {
		uint64_t d = *(const uint64_t *)((const char *)z + f[i].off) -
			     *(const uint64_t *)((const char *)a + f[i].off);

		if (d != 0)
			printf(" %s=%.2f", f[i].name, 1000.0 * (double)d / (double)generated);
	}
	for (unsigned int r = 0; r < SN_DROP_REASON_MAX; r++) {
		uint64_t d = z->drops[r] - a->drops[r];

		if (d != 0)
			printf(" drops_%s=%.2f", sn_drop_reason_name(r),
			       1000.0 * (double)d / (double)generated);
	}
	printf("\n");
}

/*
 * htb-2levels-8leaves: htb handle 1: on queue 0; class 1:1 800gbit, leaves
 * 1:10..1:17 100gbit ceil 800gbit quantum 1500 (pfifo each), bursts of
 * 64 KB (tc's default, 1.7 KB at these rates, is less than one batch).
 * Never throttles at one lcore's rate: what is measured is htb's own cost.
 */
static int
htb_setup(struct bench *b)
{
	const char *qargv[] = { "htb", "handle", "1:" };
	const char *root[] = { "htb", "rate", "800gbit", "burst", "64k", "cburst", "64k" };
	const char *leaf[] = { "htb", "rate", "100gbit", "ceil", "800gbit", "burst", "64k",
			       "cburst", "64k", "quantum", "1500" };
	char kind[SN_QDISC_KIND_SIZE], err[160];
	struct sn_class_params cp;
	struct sn_qdisc_params p;
	int rc;

	rc = sn_qdisc_parse(RTE_DIM(qargv), qargv, kind, &p, err, sizeof(err));
	if (rc == 0)
		rc = sn_qdisc_replace(b->dev, 0, kind, &p, b->sd);
	if (rc == 0)
		rc = sn_class_parse(RTE_DIM(root), root, &cp, err, sizeof(err));
	if (rc == 0)
		rc = sn_class_change(b->dev, 0, 0x10000, 0x10001, &cp, err, sizeof(err), b->sd);
	if (rc == 0)
		rc = sn_class_parse(RTE_DIM(leaf), leaf, &cp, err, sizeof(err));
	for (uint32_t i = 0; i < 8 && rc == 0; i++)
		rc = sn_class_change(b->dev, 0, 0x10001, 0x10010 + i, &cp, err, sizeof(err),
				     b->sd);
	if (rc != 0)
		fprintf(stderr, "htb set-up: %s (%s)\n", err, strerror(-rc));
	return rc;
}

/* Put the root qdisc this case needs on txq 0. */
static int
case_setup(struct bench *b, enum bench_case c)
{
	struct sn_qdisc_params p;

	memset(&p, 0, sizeof(p));
	p.no_bypass = c == CASE_QUEUED;
	p.no_busylock = c == CASE_SHARED2_NOBUSY;
	p.defer_list = c == CASE_SHARED2_DEFER;
	p.nolock = c == CASE_SHARED2_NOLOCK;
	/* mq cases: mq over both queues, the main lcore on queue 0, the worker on 1. */
	if (c == CASE_MQ1 || c == CASE_MQ2) {
		int rc = sn_mq_attach(b->dev, 0x10000, b->sd);

		if (rc == 0)
			rc = sn_netdev_xps_set(b->dev, rte_lcore_id(), 0);
		if (rc == 0 && b->worker < RTE_MAX_LCORE)
			rc = sn_netdev_xps_set(b->dev, b->worker, 1);
		return rc;
	}
	if (sn_mq_get(b->dev, NULL) == 0) {
		int rc = sn_mq_detach(b->dev, b->sd);

		if (rc != 0)
			return rc;
	}
	for (uint16_t q = 0; q < BENCH_NB_TXQ; q++) {
		int rc = sn_qdisc_replace(b->dev, q, "pfifo_fast", &p, b->sd);

		if (rc != 0)
			return rc;
	}
	/* prio-3bands: the default prio (3 bands, pfifo children) on queue 0. */
	if (c == CASE_PRIO)
		return sn_qdisc_replace(b->dev, 0, "prio", NULL, b->sd);
	if (c == CASE_HTB)
		return htb_setup(b);
	if (c == CASE_NETEM || c == CASE_NETEM_LOSS)
		return netem_setup(b, c);
	if (c == CASE_TBF) {
		const char *w[] = { "tbf", "rate", "800gbit", "burst", "16mb", "limit", "64mb" };
		char kind[SN_QDISC_KIND_SIZE], err[256];
		int rc = sn_qdisc_parse(RTE_DIM(w), w, kind, &p, err, sizeof(err));

		if (rc != 0) {
			fprintf(stderr, "tbf set-up: %s\n", err);
			return rc;
		}
		return sn_qdisc_replace(b->dev, 0, kind, &p, b->sd);
	}
	/* fq_codel-1024flows: the default fq_codel on queue 0, frames with headers. */
	if (c == CASE_FQ_CODEL) {
		rte_mempool_obj_iter(b->mp, flows_hdr_cb, NULL);
		return sn_qdisc_replace(b->dev, 0, "fq_codel", NULL, b->sd);
	}
	return 0;
}

/*
 * Round @round of case @c: set the qdisc up afresh, warm up (and on the first
 * round size the runs), one timed run, then check every packet of the round.
 * Rounds of all cases are interleaved by main(), so a burst of load from
 * the machine's other users hits every case alike rather than one.
 */
static int
run_case(struct bench *b, enum bench_case c, struct case_result *r, unsigned int round)
{
	const char *name = cases[c].name;
	uint64_t generated = 0, accepted = 0, warm, n, dropped = 0, late = 0;
	struct sn_softnet_stats st0, st1;
	struct snap before;
	struct run_out w, o;
	int rc;

	if (round == 0) {
		memset(r, 0, sizeof(*r));
		if ((b->o.cases & (1u << c)) == 0)
			r->why_na = "not selected";
		else if (cases[c].lcores == 2 && b->worker == RTE_MAX_LCORE)
			r->why_na = "needs 2 lcores (-l 0-1)";
	}
	if (r->why_na != NULL)
		return 0;
	if (!is_floor(c)) {
		rc = case_setup(b, c);
		BENCH_CHECK(rc == 0, "qdisc set-up: %s", strerror(-rc));
	}
	BENCH_CHECK(snap_take(b, &before) == 0, "cannot read counters");
	sn_softnet_stats_sum(&st0);

	/* Warm up caches, branch predictors and the pool; size the runs once. */
	warm = round == 0 ? BENCH_WARMUP_PKTS : BENCH_WARMUP_PKTS / 4;
	rc = measure(b, c, warm, &w, &accepted);
	generated += warm * cases[c].lcores;
	BENCH_CHECK(rc == 0, "warm-up: %s", strerror(-rc));
	if (round == 0) {
		n = b->o.packets;
		if (n == 0) {
			double want = w.mpps * 1e6 * BENCH_RUN_SECONDS / cases[c].lcores;

			n = (uint64_t)want;
			n = RTE_MAX(n, (uint64_t)BENCH_MIN_PKTS);
			n = RTE_MIN(n, (uint64_t)BENCH_MAX_PKTS);
		}
		r->packets = RTE_ALIGN_CEIL(n, (uint64_t)b->o.burst);
	}
	n = r->packets;

	rc = measure(b, c, n, &o, &accepted);
	generated += n * cases[c].lcores;
	BENCH_CHECK(rc == 0, "round %u: %s", round, strerror(-rc));
	rc = account(b, c, &before, generated, accepted, &dropped, &late);
	if (rc != 0)
		return rc;
	r->mpps[r->runs] = o.mpps;
	r->cpp[r->runs] = o.cpp;
	r->drop_pct[r->runs] = o.drop_pct;
	r->runs++;
	r->offered += generated;
	r->dropped += dropped;
	r->late_drops += late;
	if (b->o.stats && !is_floor(c)) {
		sn_softnet_stats_sum(&st1);
		print_stats_delta(name, generated, &st0, &st1);
	}
	r->measured = true;
	r->mpps_median = median(r->mpps, r->runs);
	r->cpp_median = median(r->cpp, r->runs);
	r->drop_pct_median = median(r->drop_pct, r->runs);
	return 0;
}

/* Ratio of case @c to the floor and to its target's reference (NAN: n/a). */
static double
ratio_to(const struct case_result *res, enum bench_case c, enum bench_case ref)
{
	if (!res[c].measured || !res[ref].measured || res[ref].mpps_median <= 0)
		return NAN;
	return res[c].mpps_median / res[ref].mpps_median;
}

static const char *
verdict(const struct case_result *res, enum bench_case c)
{
	double r;

	if (cases[c].target == 0)
		return "-";
	r = ratio_to(res, c, cases[c].ref);
	if (isnan(r))
		return "n/a";
	return r >= cases[c].target ? "meets" : "BELOW";
}

static void
print_table(const struct bench *b, const struct case_result *res)
{
	printf("\n%-26s %9s %10s %8s %6s  %-24s %s\n", "case", "Mpps", "cycles/pkt",
	       "x floor", "drop%", "target", "verdict");
	for (unsigned int c = 0; c < CASE_COUNT; c++) {
		const struct case_result *r = &res[c];
		char tgt[64] = "-";
		double rf = ratio_to(res, c, CASE_FLOOR);

		if (cases[c].target != 0) {
			double rr = ratio_to(res, c, cases[c].ref);

			if (cases[c].ref == CASE_FLOOR)
				snprintf(tgt, sizeof(tgt), ">= %.2f", cases[c].target);
			else if (isnan(rr))
				snprintf(tgt, sizeof(tgt), ">= %.2fx %s", cases[c].target,
					 cases[cases[c].ref].name);
			else
				snprintf(tgt, sizeof(tgt), "%.2fx %s >= %.2f", rr,
					 cases[cases[c].ref].name, cases[c].target);
		}
		if (!r->measured) {
			printf("%-26s %9s %10s %8s %6s  %-24s n/a (%s)\n", cases[c].name, "n/a",
			       "n/a", "n/a", "n/a", tgt, r->why_na);
			continue;
		}
		char rfs[16] = "n/a";

		if (!isnan(rf))
			snprintf(rfs, sizeof(rfs), "%.3f", rf);
		printf("%-26s %9.2f %10.2f %8s %6.2f  %-24s %s\n", cases[c].name,
		       r->mpps_median, r->cpp_median, rfs, r->drop_pct_median, tgt,
		       verdict(res, c));
	}
	printf("\n(median of %u runs; Mpps and cycles/pkt count packets the PMD accepted;\n"
	       " cycles/pkt are TSC cycles at %.0f MHz, aggregate wall clock for 2 lcores;\n"
	       " drop%% = offered packets the qdisc dropped because a band was full)\n",
	       b->o.repeat, b->tsc_hz / 1e6);
}

static void
json_num(FILE *f, double v, const char *fmt)
{
	if (isnan(v))
		fputs("null", f);
	else
		fprintf(f, fmt, v);
}

static int
write_json(const struct bench *b, const struct case_result *res)
{
	FILE *f = fopen(b->o.json, "w");

	if (f == NULL) {
		fprintf(stderr, "cannot write %s: %s\n", b->o.json, strerror(errno));
		return -errno;
	}
	fputs("[\n", f);
	for (unsigned int c = 0; c < CASE_COUNT; c++) {
		const struct case_result *r = &res[c];
		bool m = r->measured;

		fprintf(f, "  {\"case\": \"%s\", \"mpps\": ", cases[c].name);
		json_num(f, m ? r->mpps_median : NAN, "%.3f");
		fputs(", \"cycles_per_pkt\": ", f);
		json_num(f, m ? r->cpp_median : NAN, "%.3f");
		fputs(", \"ratio\": ", f);
		json_num(f, ratio_to(res, c, CASE_FLOOR), "%.4f");
		fputs(", \"target\": ", f);
		json_num(f, cases[c].target != 0 ? cases[c].target : NAN, "%.2f");
		fprintf(f, ", \"target_ref\": \"%s\", \"target_ratio\": ",
			cases[cases[c].ref].name);
		json_num(f, cases[c].target != 0 ? ratio_to(res, c, cases[c].ref) : NAN, "%.4f");
		fprintf(f, ", \"verdict\": \"%s\", \"lcores\": %u, \"burst\": %u, \"size\": %u",
			verdict(res, c), cases[c].lcores, b->o.burst, b->o.size);
		fputs(", \"drop_pct\": ", f);
		json_num(f, m ? r->drop_pct_median : NAN, "%.3f");
		fprintf(f, ", \"dropped\": %" PRIu64 ", \"dropped_after_accept\": %" PRIu64,
			r->dropped, r->late_drops);
		fprintf(f, ", \"packets_per_run\": %" PRIu64 ", \"runs_mpps\": [", r->packets);
		for (unsigned int i = 0; i < r->runs; i++)
			fprintf(f, "%s%.3f", i ? ", " : "", r->mpps[i]);
		fputs("], \"runs_drop_pct\": [", f);
		for (unsigned int i = 0; i < r->runs; i++)
			fprintf(f, "%s%.3f", i ? ", " : "", r->drop_pct[i]);
		fputs("]", f);
		if (!m)
			fprintf(f, ", \"note\": \"n/a (%s)\"", r->why_na);
		fprintf(f, "}%s\n", c + 1 < CASE_COUNT ? "," : "");
	}
	fputs("]\n", f);
	if (fclose(f) != 0)
		return -errno;
	return 0;
}

static void
usage(const char *prog)
{
	printf("Usage: %s [EAL args] -- [options]\n"
	       "Compare softnet's transmit paths with a bare rte_eth_tx_burst() loop on one\n"
	       "net_null port (queue 0; xps-2lcore-2txq adds queue 1), in one run, as ratios.\n\n"
	       "  --packets N  packets per measured run and lcore (default: about %.1f s each)\n"
	       "  --repeat R   measured runs per case, median reported (default 3, max %u)\n"
	       "  --burst B    packets per burst, 1..%u (default 32)\n"
	       "  --size S     frame length in bytes, 60..%u (default 64)\n"
	       "  --json FILE  also write the results as a JSON array\n"
	       "  --cases LIST comma-separated case names to run (default all; ratios\n"
	       "               need floor, the two-lcore target needs shared-1lcore)\n"
	       "  --stats      print softnet's per-lcore counters (summed) after each case\n"
	       "  --max-burst N  the defer list's limit, sn_qdisc_max_burst() (default %u)\n"
	       "  --help       this text\n\n"
	       "Recommended EAL args (hugepages; --no-huge figures are ~4x worse):\n"
	       "  -l 0-1 --no-pci --file-prefix sn_bench_$$ --vdev net_null0\n",
	       prog, BENCH_RUN_SECONDS, BENCH_MAX_REPEAT, BENCH_MAX_BURST,
	       RTE_MBUF_DEFAULT_DATAROOM, SN_QDISC_MAX_BURST);
}

static int
parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno != 0 || *s == '\0' || *end != '\0' || v < lo || v > hi)
		return -EINVAL;
	*out = v;
	return 0;
}

static int
parse_cases(const char *list, uint32_t *mask)
{
	char buf[256], *save = NULL;

	if (strlen(list) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, list);
	*mask = 0;
	for (char *tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		unsigned int c;

		for (c = 0; c < CASE_COUNT; c++)
			if (strcmp(tok, cases[c].name) == 0)
				break;
		if (c == CASE_COUNT) {
			fprintf(stderr, "unknown case '%s'\n", tok);
			return -EINVAL;
		}
		*mask |= 1u << c;
	}
	return *mask != 0 ? 0 : -EINVAL;
}

/* @return 0, 1 after --help, -EINVAL on a bad option. */
static int
parse_args(int argc, char **argv, struct bench_opts *o)
{
	static const struct option longopts[] = {
		{ "packets", required_argument, NULL, 'n' },
		{ "repeat", required_argument, NULL, 'r' },
		{ "burst", required_argument, NULL, 'b' },
		{ "size", required_argument, NULL, 's' },
		{ "json", required_argument, NULL, 'j' },
		{ "cases", required_argument, NULL, 'c' },
		{ "stats", no_argument, NULL, 'S' },
		{ "max-burst", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t v;
	int opt;

	o->packets = 0;
	o->repeat = 3;
	o->burst = 32;
	o->size = 64;
	o->json = NULL;
	o->cases = (1u << CASE_COUNT) - 1;
	o->stats = false;
	o->max_burst = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'n':
			if (parse_u64(optarg, 1, BENCH_MAX_PKTS, &v) != 0)
				return -EINVAL;
			o->packets = v;
			break;
		case 'r':
			if (parse_u64(optarg, 1, BENCH_MAX_REPEAT, &v) != 0)
				return -EINVAL;
			o->repeat = (unsigned int)v;
			break;
		case 'b':
			if (parse_u64(optarg, 1, BENCH_MAX_BURST, &v) != 0)
				return -EINVAL;
			o->burst = (uint16_t)v;
			break;
		case 's':
			if (parse_u64(optarg, 60, RTE_MBUF_DEFAULT_DATAROOM, &v) != 0)
				return -EINVAL;
			o->size = (uint16_t)v;
			break;
		case 'j':
			o->json = optarg;
			break;
		case 'c':
			if (parse_cases(optarg, &o->cases) != 0)
				return -EINVAL;
			break;
		case 'S':
			o->stats = true;
			break;
		case 'm':
			if (parse_u64(optarg, 1, SN_QDISC_MAX_BURST_MAX, &v) != 0)
				return -EINVAL;
			o->max_burst = (uint32_t)v;
			break;
		case 'h':
			return 1;
		default:
			return -EINVAL;
		}
	}
	if (optind < argc)
		return -EINVAL;
	return 0;
}

/* The machine is shared: say how busy it was, next to the figures. */
static void
print_loadavg(const char *when)
{
	char line[128] = "?";
	FILE *f = fopen("/proc/loadavg", "r");

	if (f != NULL) {
		if (fgets(line, sizeof(line), f) == NULL)
			strcpy(line, "?\n");
		fclose(f);
	}
	printf("sn_bench: load average at %s: %s", when, line);
}

static int
bench_setup(struct bench *b)
{
	struct rte_eth_dev_info info;
	char pname[RTE_ETH_NAME_MAX_LEN] = "?";
	int rc;

	if (rte_eth_dev_count_avail() == 0) {
		fprintf(stderr, "no ethdev port: pass --vdev net_null0\n");
		return -ENODEV;
	}
	b->port = (uint16_t)rte_eth_find_next(0);
	rc = rte_eth_dev_info_get(b->port, &info);
	if (rc != 0)
		return rc;
	rte_eth_dev_get_name_by_port(b->port, pname);
	if (strcmp(info.driver_name, "net_null") != 0)
		printf("WARNING: port %u is %s, not net_null: ratios are not the documented ones\n",
		       b->port, info.driver_name);

	b->mp = rte_pktmbuf_pool_create("sn_bench", BENCH_POOL_SIZE, BENCH_POOL_CACHE, 0,
					RTE_MBUF_DEFAULT_BUF_SIZE, (int)rte_socket_id());
	if (b->mp == NULL) {
		fprintf(stderr, "mempool: %s\n", rte_strerror(rte_errno));
		return -rte_errno;
	}
	b->sd = sn_softnet_attach();
	if (b->sd == NULL) {
		fprintf(stderr, "sn_softnet_attach: %s\n", rte_strerror(rte_errno));
		return -rte_errno;
	}
	{
		/* Queue 1 serves the XPS case only; the others use queue 0. */
		struct sn_ethdev_conf conf = { .nb_txq = BENCH_NB_TXQ };

		b->dev = sn_ethdev_open(b->port, "bench0", &conf);
	}
	if (b->dev == NULL) {
		fprintf(stderr, "sn_ethdev_open(port %u): %s\n", b->port, rte_strerror(rte_errno));
		return -rte_errno;
	}
	b->worker = rte_get_next_lcore(rte_lcore_id(), 1, 0);
	b->handoff = rte_ring_create("sn_bench_handoff", 1024, (int)rte_socket_id(),
				     RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (b->handoff == NULL) {
		fprintf(stderr, "handoff ring: %s\n", rte_strerror(rte_errno));
		return -rte_errno;
	}
	b->baseline = rte_mempool_in_use_count(b->mp);
	b->tsc_hz = (double)rte_get_tsc_hz();
	printf("sn_bench: port %u (%s, %s), %u B frames, burst %u, %u run(s) per case, "
	       "lcores %u%s%s, TSC %.0f MHz, softnet %s, qdisc_max_burst %u\n",
	       b->port, pname, info.driver_name, b->o.size, b->o.burst, b->o.repeat,
	       rte_lcore_id(), b->worker < RTE_MAX_LCORE ? "+" : "",
	       b->worker < RTE_MAX_LCORE ? "worker" : " only", b->tsc_hz / 1e6, SN_VERSION,
	       sn_qdisc_max_burst());
	if (b->worker < RTE_MAX_LCORE)
		printf("sn_bench: worker lcore %u\n", b->worker);
	print_loadavg("start");
	return 0;
}

int
main(int argc, char **argv)
{
	struct case_result res[CASE_COUNT];
	struct bench b;
	int rc, eal, status = EXIT_SUCCESS;

	memset(&b, 0, sizeof(b));
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(argv[0]);
			return EXIT_SUCCESS;
		}
		if (strcmp(argv[i], "--") == 0)
			break;
	}
	eal = rte_eal_init(argc, argv);
	if (eal < 0) {
		fprintf(stderr, "EAL: %s\n", rte_strerror(rte_errno));
		return EXIT_FAILURE;
	}
	argv[eal] = argv[0];
	rc = parse_args(argc - eal, argv + eal, &b.o);
	if (rc != 0) {
		usage(argv[0]);
		rte_eal_cleanup();
		return rc > 0 ? EXIT_SUCCESS : EXIT_FAILURE;
	}
	if (!rte_eal_has_hugepages())
		printf("WARNING: running without hugepages (--no-huge): figures are ~4x worse "
		       "(TLB misses); do not record them\n");
	{
		struct sn_init_params ip = { .qdisc_max_burst = b.o.max_burst };

		rc = sn_init(&ip);
	}
	if (rc != 0) {
		fprintf(stderr, "sn_init: %s\n", strerror(-rc));
		rte_eal_cleanup();
		return EXIT_FAILURE;
	}
	rc = bench_setup(&b);
	if (rc != 0) {
		status = EXIT_FAILURE;
		goto out;
	}
	for (unsigned int round = 0; round < b.o.repeat; round++) {
		printf("round %u/%u:", round + 1, b.o.repeat);
		for (unsigned int c = 0; c < CASE_COUNT; c++) {
			rc = run_case(&b, c, &res[c], round);
			if (rc != 0) {
				status = EXIT_FAILURE;
				goto out;
			}
			if (res[c].measured)
				printf(" %s %.2f", cases[c].name, res[c].mpps[round]);
			fflush(stdout);
		}
		printf("\n");
	}
	for (unsigned int c = 0; c < CASE_COUNT; c++) {
		if (!res[c].measured)
			continue;
		printf("  %-26s %9.2f Mpps  (runs:", cases[c].name, res[c].mpps_median);
		for (unsigned int i = 0; i < res[c].runs; i++)
			printf(" %.2f", res[c].mpps[i]);
		if (res[c].dropped != 0)
			printf("; qdisc dropped %" PRIu64 " of %" PRIu64 " offered", res[c].dropped,
			       res[c].offered);
		if (res[c].late_drops != 0)
			printf(", %" PRIu64 " of them after sn_xmit_burst() reported them accepted",
			       res[c].late_drops);
		printf(")\n");
	}
	print_loadavg("end");
	print_table(&b, res);
	if (res[CASE_HTB].measured && res[CASE_RTE_SCHED].measured)
		printf("htb / rte_sched: %.2f (target >= 1.00: %s)\n",
		       res[CASE_HTB].mpps_median / res[CASE_RTE_SCHED].mpps_median,
		       res[CASE_HTB].mpps_median >= res[CASE_RTE_SCHED].mpps_median ? "met" :
		       "missed");
	if (b.o.json != NULL && write_json(&b, res) != 0)
		status = EXIT_FAILURE;

out:
	if (b.dev != NULL)
		sn_ethdev_close(b.dev, b.sd);
	if (b.sd != NULL && sn_softnet_detach(b.sd) != 0)
		status = EXIT_FAILURE;
	if (b.mp != NULL) {
		unsigned int in_use = rte_mempool_in_use_count(b.mp);

		if (in_use != b.baseline) {
			fprintf(stderr, "*** sn_bench ERROR: %u mbufs still in use at exit "
				"(baseline %u)\n", in_use, b.baseline);
			status = EXIT_FAILURE;
		}
		rte_ring_free(b.handoff);
		rte_mempool_free(b.mp);
	}
	sn_fini();
	rte_eal_cleanup();
	return status;
}
