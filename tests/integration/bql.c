/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Byte queue limits on the line-rate model (10 Gbit/s, 1024 descriptors,
 * 1500 B frames kept backlogged through pfifo_fast, slack hold time 10 ms):
 * - under steady load the limit converges: over the last 100 of 200 1-ms
 *   periods it stays within a band far below what the ring holds: max <=
 *   2 x min + 16 KB when the loop kept the CPU throughout, max <= 8 x min +
 *   64 KB when it did not (a busy host: each time the loop loses the CPU
 *   for longer than the ring's bytes last, the queue starves and BQL rightly
 *   grows the limit, which the hold time gives back only slowly);
 * - when completions come in batches every 200 us (a NIC moderating its
 *   completion interrupts) the limit grows to what goes out between two
 *   (250 KB at 10 Gbit/s: at least 80% of it, and a median above the
 *   steady one), and shrinks again once the delay is gone;
 * (these figures are checked only when the loop can feed the link with 50%
 * to spare, measured first: not in a sanitizer build);
 * - nothing is lost or reordered (sequence numbers checked at the sink),
 *   and after a drain nothing is left in flight;
 * - frames lost on the wire (drop_every) are still completed: BQL's
 *   accounting does not leak and the queue never stalls;
 * - every mbuf comes back.
 */

#include "linerate_test.h"
#include "sn_test_util.h"

#define POOL_SIZE 8192
#define RING 1024
#define PERIODS 200
#define DELAY_NS 200000

static struct rte_mempool *mp;
static struct sn_softnet *sd;

static void
run_for(struct lrt *h, double secs)
{
	uint64_t end = rte_rdtsc() + (uint64_t)(secs * (double)rte_get_tsc_hz());

	while (rte_rdtsc() < end)
		lrt_turn(h);
}

static uint32_t
limit_of(struct lrt *h)
{
	struct sn_bql_info bi;

	if (sn_netdev_txq_bql(h->dev, 0, &bi) != 0)
		return 0;
	return bi.limit;
}

static struct sn_netdev *
make_dev(struct lrt *h, const char *name, uint32_t drop_every)
{
	struct sn_linerate_conf conf = {
		.rate_bps = 10000000000ull,
		.ring_size = RING,
		.bql_hold_us = 10000,
		.drop_every = drop_every,
		.sink = lrt_sink,
		.sink_arg = h,
	};
	struct sn_qdisc_params p = { .limit = 4096 };

	h->dev = sn_linerate_create(name, &conf);
	if (h->dev == NULL || sn_qdisc_replace(h->dev, 0, "pfifo_fast", &p, sd) != 0)
		return NULL;
	h->f[1] = (struct lrt_flow){ .len = 1500, .prio = 0, .on = true, .target = RING + 512 };
	return h->dev;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Run @n periods of 1 ms, the limit sampled at the end of each, sorted.
 * @return how many periods saw the wire idle for over 20 us: the loop lost
 * the CPU for longer than the ring's bytes last, which starves the queue
 * and rightly grows the limit (a busy host).
 */
static unsigned int
sample(struct lrt *h, uint32_t *lim, unsigned int n)
{
	const uint64_t idle_max = rte_get_tsc_hz() / 50000;
	struct sn_linerate_stats st;
	unsigned int disturbed = 0;
	uint64_t idle;

	sn_linerate_stats(h->dev, 0, &st);
	idle = st.idle_cycles;
	for (unsigned int i = 0; i < n; i++) {
		run_for(h, 0.001);
		lim[i] = limit_of(h);
		sn_linerate_stats(h->dev, 0, &st);
		disturbed += st.idle_cycles - idle > idle_max;
		idle = st.idle_cycles;
	}
	qsort(lim, n, sizeof(*lim), cmp_u32);
	return disturbed;
}

static int
test_converges_and_adapts(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	uint32_t steady[PERIODS / 2], delayed[PERIODS / 2], after[PERIODS / 2];
	const unsigned int n = PERIODS / 2;
	unsigned int disturbed;
	struct sn_bql_info bi;
	bool fast;
	double cap;
	struct lrt h;

	SN_ASSERT_EQ(lrt_init(&h, mp, sd, 4096, 0), 0);
	cap = lrt_capacity(&h, 0.05);
	fast = cap >= 1.5 * LRT_10G_1500_PPS;
	printf("  loop capacity: %.2f Mpps of 1500 B frames (10 Gbit/s needs %.2f)%s\n",
	       cap / 1e6, LRT_10G_1500_PPS / 1e6,
	       fast ? "" : ": too slow to feed the link, the limit's figures are not checked");
	SN_ASSERT(make_dev(&h, "bql_steady", 0) != NULL, "create");
	/* 100 ms of warm-up, 100 periods, then the 100 that count. */
	run_for(&h, 0.1);
	sample(&h, steady, n);
	disturbed = sample(&h, steady, n);
	printf("  steady: limit over the last %u ms within [%u, %u] B, median %u B (%u periods "
	       "with the loop off the CPU)\n", n, steady[0], steady[n - 1], steady[n / 2],
	       disturbed);
	SN_ASSERT(steady[0] > 0, "limit fell to 0 under load");
	SN_ASSERT(!fast || steady[n - 1] < RING * 1500 / 4, "limit %u B: near what the ring holds",
		  steady[n - 1]);
	/* The band: tight when the loop kept the CPU, loose when it did not. */
	if (fast && disturbed == 0)
		SN_ASSERT(steady[n - 1] <= 2 * steady[0] + 16384, "limit did not settle: [%u, %u]",
			  steady[0], steady[n - 1]);
	else if (fast)
		SN_ASSERT(steady[n - 1] <= 8 * steady[0] + 65536, "limit did not settle: [%u, %u]",
			  steady[0], steady[n - 1]);

	/*
	 * Completions in batches every 200 us: 250 KB in flight is needed to
	 * keep the wire busy between two; the queue starves until the limit
	 * covers it.
	 */
	SN_ASSERT_EQ(sn_linerate_set_completion_delay(h.dev, DELAY_NS), 0);
	sample(&h, delayed, n);
	printf("  completions every %u us: limit within [%u, %u] B, median %u B\n",
	       DELAY_NS / 1000, delayed[0], delayed[n - 1], delayed[n / 2]);
	SN_ASSERT(!fast || delayed[n - 1] >= 250000 * 8 / 10, "limit %u B stayed below what the "
		  "delay holds in flight", delayed[n - 1]);
	SN_ASSERT(!fast || delayed[n / 2] > steady[n / 2], "median limit %u B not above the "
		  "steady %u B", delayed[n / 2], steady[n / 2]);

	/* The delay goes: the slack persists, the limit comes down. */
	SN_ASSERT_EQ(sn_linerate_set_completion_delay(h.dev, 0), 0);
	sample(&h, after, n);
	sample(&h, after, n);
	printf("  delay gone: limit within [%u, %u] B, median %u B\n", after[0], after[n - 1],
	       after[n / 2]);
	SN_ASSERT(!fast || after[0] < delayed[n - 1] * 3 / 4, "limit %u did not shrink from %u",
		  after[0], delayed[n - 1]);

	SN_ASSERT_EQ(lrt_drain(&h), 0);
	SN_ASSERT_EQ(h.xmit_short, 0);
	SN_ASSERT_EQ(h.f[1].bad, 0);
	SN_ASSERT_EQ(h.f[1].rx, h.f[1].handed);
	SN_ASSERT_EQ(sn_netdev_txq_bql(h.dev, 0, &bi), 0);
	SN_ASSERT_EQ(bi.inflight, 0);
	SN_ASSERT(bi.stops > 0 && bi.wakes > 0, "stops %" PRIu64 " wakes %" PRIu64, bi.stops,
		  bi.wakes);
	SN_ASSERT(!bi.stopped, "still stopped by BQL after the drain");
	sn_linerate_free(h.dev, sd);
	lrt_fini(&h);
	sn_test_drain(sd);
	return sn_test_pool_check(mp, base);
}

static int
test_wire_drops_still_complete(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_linerate_stats st;
	struct sn_bql_info bi;
	struct lrt h;

	SN_ASSERT_EQ(lrt_init(&h, mp, sd, 4096, 0), 0);
	SN_ASSERT(make_dev(&h, "bql_drops", 7) != NULL, "create");
	run_for(&h, 0.05);
	/* The sink sees one frame in seven missing; the drain must still end. */
	h.f[1].on = false;
	for (uint64_t end = rte_rdtsc() + 5 * rte_get_tsc_hz(); ; ) {
		lrt_turn(&h);
		SN_ASSERT_EQ(sn_linerate_stats(h.dev, 0, &st), 0);
		if (st.departed == h.f[1].handed && st.in_ring == 0)
			break;
		SN_ASSERT(rte_rdtsc() < end, "stalled: %" PRIu64 " of %" PRIu64 " departed",
			  st.departed, h.f[1].handed);
	}
	printf("  drop_every 7: %" PRIu64 " departed, %" PRIu64 " lost on the wire\n",
	       st.departed, st.dropped);
	SN_ASSERT(st.dropped > 0, "nothing dropped");
	SN_ASSERT_EQ(st.dropped, st.departed / 7);
	SN_ASSERT_EQ(st.dropped + h.f[1].rx, h.f[1].handed);
	SN_ASSERT_EQ(st.completed, st.departed);
	SN_ASSERT_EQ(sn_netdev_txq_bql(h.dev, 0, &bi), 0);
	SN_ASSERT_EQ(bi.inflight, 0);
	sn_linerate_free(h.dev, sd);
	lrt_fini(&h);
	sn_test_drain(sd);
	return sn_test_pool_check(mp, base);
}

int
main(void)
{
	sn_test_init("bql", "0", NULL);
	mp = sn_test_pool("bql", POOL_SIZE);
	sd = sn_softnet_attach();
	if (mp == NULL || sd == NULL)
		return SN_TEST_FAIL;
	SN_RUN(test_converges_and_adapts);
	SN_RUN(test_wire_drops_still_complete);
	sn_softnet_detach(sd);
	if (sn_test_pool_check(mp, 0) != 0)
		return SN_TEST_FAIL;
	sn_test_fini();
	return SN_TEST_PASS;
}
