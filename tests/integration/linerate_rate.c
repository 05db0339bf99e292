/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The line-rate model holds its rate, and its back-pressure reaches the
 * qdisc.
 *
 * 64 B and 1500 B frames at 10 Gbit/s through pfifo_fast on the model, BQL
 * off and on; the loop keeps the qdisc backlogged. Over a window of the run:
 * - the model is exact while its wire is busy: frames departed x (len + 24)
 *   x 8 over the window minus the wire's idle time is the line rate within
 *   0.5%, always (the wire idles when the loop loses the CPU for longer than
 *   the ring lasts);
 * - a saturated window (the wire idled less than 0.05% of it: the loop kept
 *   the ring fed) is within 0.5% of line rate over the whole window. Up to
 *   20 windows of 20 ms are tried per case; 64 B frames (14.88 Mpps) need a
 *   loop fast enough on this host, and a case with no saturated window (a
 *   sanitizer build, a busy host) is reported and its line rate unchecked;
 * - back-pressure: without BQL the ring fills, the driver stops the queue,
 *   a burst that finds too little room is partly requeued, the poll wakes
 *   the queue; with BQL the limit stops it (STACK_XOFF) and completions
 *   start it; either way packets wait in the qdisc (backlog > 0). Checked
 *   wherever the loop outruns the wire: with 1500 B frames always, with
 *   64 B frames when a window was saturated;
 * - every frame reaches the sink once, in order, and every mbuf comes back.
 */

#include "linerate_test.h"
#include "sn_test_util.h"

#define POOL_SIZE 8192
#define RING 1024
#define TOL 0.005
#define TRIES 20
#define WINDOW_S 0.02

static struct rte_mempool *mp;
static struct sn_softnet *sd;

static int
run_case(uint32_t len, bool bql, bool *saturated)
{
	const uint64_t hz = rte_get_tsc_hz();
	const double rate = 10e9;
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_linerate_conf conf = {
		.rate_bps = 10000000000ull,
		.ring_size = RING,
		.no_bql = !bql,
		.sink = lrt_sink,
	};
	struct sn_qdisc_params p = { .limit = 4096 };
	struct sn_linerate_stats s0, s1;
	struct sn_qdisc_info info;
	struct sn_bql_info bi;
	uint64_t max_backlog = 0, end;
	char name[32];
	struct lrt h;

	*saturated = false;
	SN_ASSERT_EQ(lrt_init(&h, mp, sd, 4096, 0), 0);
	conf.sink_arg = &h;
	snprintf(name, sizeof(name), "lr_%u_%s", len, bql ? "bql" : "nobql");
	h.dev = sn_linerate_create(name, &conf);
	SN_ASSERT(h.dev != NULL, "create: %s", rte_strerror(rte_errno));
	SN_ASSERT_EQ(sn_linerate_rate(h.dev), 10000000000ull);
	SN_ASSERT_EQ(sn_qdisc_replace(h.dev, 0, "pfifo_fast", &p, sd), 0);
	h.f[1] = (struct lrt_flow){ .len = len, .prio = 0, .on = true, .target = RING + 512 };

	/* Warm up: fill the ring and the qdisc. */
	end = rte_rdtsc() + hz / 50;
	while (rte_rdtsc() < end)
		lrt_turn(&h);
	for (unsigned int t = 0; t < TRIES && !*saturated; t++) {
		uint64_t t0, t1, done, idle, mid;
		double got, busy_rate, err, busy_err;

		/* The window's edges are the snapshots' own TSC. */
		SN_ASSERT_EQ(sn_linerate_stats(h.dev, 0, &s0), 0);
		t0 = s0.tsc;
		mid = t0 + (uint64_t)(WINDOW_S / 2 * (double)hz);
		end = t0 + (uint64_t)(WINDOW_S * (double)hz);
		while ((t1 = rte_rdtsc()) < end) {
			lrt_turn(&h);
			if (mid != 0 && t1 >= mid) {
				info = sn_test_info(h.dev, 0);
				max_backlog = RTE_MAX(max_backlog, (uint64_t)info.stats.qstats.backlog);
				mid = 0;
			}
		}
		SN_ASSERT_EQ(sn_linerate_stats(h.dev, 0, &s1), 0);
		t1 = s1.tsc;
		done = s1.departed - s0.departed;
		idle = s1.idle_cycles - s0.idle_cycles;
		got = (double)done * (len + SN_LINERATE_OVERHEAD) * 8 * (double)hz / (double)(t1 - t0);
		err = (got - rate) / rate;
		busy_rate = (double)done * (len + SN_LINERATE_OVERHEAD) * 8 * (double)hz /
			    (double)(t1 - t0 - RTE_MIN(idle, t1 - t0 - 1));
		busy_err = (busy_rate - rate) / rate;
		/* Saturated: the wire idled for less than a tenth of the tolerance. */
		*saturated = (double)idle < (double)(t1 - t0) * TOL / 10;
		printf("  %4u B %-6s window %u: %.4f Gbit/s (%+.3f%%), wire idle %.3f%%, "
		       "busy-time rate %+.3f%%%s\n", len, bql ? "BQL" : "no BQL", t, got / 1e9,
		       err * 100, (double)idle * 100 / (double)(t1 - t0), busy_err * 100,
		       *saturated ? " (saturated)" : "");
		/* The model's clock is exact whenever its wire is busy. */
		SN_ASSERT(busy_err < TOL && busy_err > -TOL, "busy-time rate off by %.3f%%",
			  busy_err * 100);
		if (*saturated)
			SN_ASSERT(err < TOL && err > -TOL, "saturated rate off by %.3f%%",
				  err * 100);
		/* Never faster than the line. */
		SN_ASSERT(err < TOL, "faster than line rate: %+.3f%%", err * 100);
	}

	/* Back-pressure reached the qdisc. */
	info = sn_test_info(h.dev, 0);
	SN_ASSERT_EQ(sn_netdev_txq_bql(h.dev, 0, &bi), 0);
	SN_ASSERT_EQ(sn_linerate_stats(h.dev, 0, &s1), 0);
	printf("  %4u B %-6s driver stops %" PRIu64 " wakes %" PRIu64 ", requeues %" PRIu64
	       ", BQL stops %" PRIu64 " wakes %" PRIu64 " limit %u, backlog %" PRIu64 " B\n",
	       len, bql ? "BQL" : "no BQL", s1.stops, s1.wakes, info.stats.qstats.requeues,
	       bi.stops, bi.wakes, bi.limit, max_backlog);
	/*
	 * A loop slower than the wire (64 B frames in a sanitizer build) never
	 * fills the ring: back-pressure is checked where the loop outran the
	 * wire, i.e. always with 1500 B frames and with 64 B frames when a
	 * window was saturated.
	 */
	if (len < 1500 && !*saturated) {
		printf("  %4u B %-6s: the loop never outran the wire: back-pressure not checked\n",
		       len, bql ? "BQL" : "no BQL");
	} else if (bql) {
		SN_ASSERT(max_backlog > 0, "nothing waited in the qdisc");
		SN_ASSERT(bi.enabled, "BQL off");
		SN_ASSERT(bi.stops > 0 && bi.wakes > 0, "BQL stops %" PRIu64 " wakes %" PRIu64,
			  bi.stops, bi.wakes);
	} else {
		SN_ASSERT(max_backlog > 0, "nothing waited in the qdisc");
		SN_ASSERT(!bi.enabled && bi.stops == 0, "BQL acted while off");
		SN_ASSERT(s1.stops > 0 && s1.wakes > 0, "driver stops %" PRIu64 " wakes %" PRIu64,
			  s1.stops, s1.wakes);
		SN_ASSERT(info.stats.qstats.requeues > 0, "no requeue");
	}
	SN_ASSERT_EQ(info.stats.qstats.drops, 0);

	SN_ASSERT_EQ(lrt_drain(&h), 0);
	SN_ASSERT_EQ(h.xmit_short, 0);
	SN_ASSERT_EQ(h.f[1].bad, 0);
	SN_ASSERT_EQ(h.f[1].rx, h.f[1].handed);
	SN_ASSERT_EQ(sn_linerate_stats(h.dev, 0, &s1), 0);
	SN_ASSERT_EQ(s1.departed, h.f[1].handed);
	SN_ASSERT_EQ(s1.in_ring, 0);
	SN_ASSERT_EQ(s1.dropped, 0);
	sn_linerate_free(h.dev, sd);
	lrt_fini(&h);
	sn_test_drain(sd);
	return sn_test_pool_check(mp, base);
}

/*
 * Both sizes, BQL off and on. A case with no saturated window (the loop
 * lost the CPU for longer than the ring lasts in every one of them: a busy
 * host, a sanitizer build too slow for 14.88 Mpps) is reported and its line
 * rate left unchecked; the busy-time rate and back-pressure are checked
 * regardless.
 */
static int
test_rates(void)
{
	static const uint32_t sizes[] = { 1500, 64 };
	unsigned int saturated = 0;
	bool sat;

	for (unsigned int s = 0; s < RTE_DIM(sizes); s++) {
		for (int bql = 0; bql <= 1; bql++) {
			if (run_case(sizes[s], bql, &sat) != 0)
				return SN_TEST_FAIL;
			if (!sat)
				printf("  %4u B %s: no saturated window in %u (the loop did not keep "
				       "the ring fed: busy host or slow build): line rate not "
				       "checked\n", sizes[s], bql ? "BQL" : "no BQL", TRIES);
			saturated += sat;
		}
	}
	printf("  %u of 4 cases saturated and checked against line rate\n", saturated);
	return 0;
}

int
main(void)
{
	sn_test_init("linerate_rate", "0", NULL);
	mp = sn_test_pool("linerate_rate", POOL_SIZE);
	sd = sn_softnet_attach();
	if (mp == NULL || sd == NULL)
		return SN_TEST_FAIL;
	SN_RUN(test_rates);
	sn_softnet_detach(sd);
	if (sn_test_pool_check(mp, 0) != 0)
		return SN_TEST_FAIL;
	sn_test_fini();
	return SN_TEST_PASS;
}
