/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The BQL demonstration, with loose bounds: on the 10 Gbit/s line-rate model
 * with a 1024-descriptor ring, a saturating bulk flow (1500 B, pfifo_fast
 * band 2) and a sparse flow (64 B, band 0, one frame every 50 us). Without
 * BQL the ring fills with bulk frames and every band-0 frame waits behind
 * about a millisecond of them, whatever pfifo_fast's priorities say; with
 * BQL the ring holds only what keeps the wire busy, the bulk backlog waits
 * in the qdisc, and band 0 overtakes it there. The band-0 p99 latency
 * (enqueue TSC to wire departure TSC) must be at least 5x lower with BQL
 * (tests/perf/bql_latency prints the figures) while the bulk flow keeps at
 * least half the throughput it has without (loose: the host is shared),
 * nothing may be lost or reordered, and every mbuf comes back. A loop that cannot feed 10 Gbit/s
 * of 1500 B frames with 50% to spare (measured first: a sanitizer build, a
 * host too busy) only has to show a 2x gain.
 */

#include "linerate_test.h"
#include "sn_test_util.h"

#define POOL_SIZE 8192
#define SAMPLES 20000
/*
 * BQL's slack hold time: 1 ms, not the kernel's 1 s (a tunable, as the
 * kernel's limit_hold_time). The model's completions come from this test's
 * loop, which a busy host preempts for milliseconds at a time: each time,
 * BQL sees the queue starve and grows the limit (as it should for a NIC
 * whose interrupt came that late), and every starvation restarts the hold
 * interval, so with a long hold the limit only grows. docs/bql.md has the
 * figures with 1 s, 10 ms and 1 ms.
 */
#define HOLD_US 1000

static struct rte_mempool *mp;
static struct sn_softnet *sd;

static void
print(const char *what, const struct lrt_demo_result *r)
{
	printf("  %-8s band 0: p50 %8.1f us  p99 %8.1f us  p99.9 %8.1f us  max %8.1f us  "
	       "(%u samples); bulk %.3f Gbit/s; BQL limit %u B, stops %" PRIu64
	       "; driver stops %" PRIu64 "\n",
	       what, lrt_us(r->p50), lrt_us(r->p99), lrt_us(r->p999), lrt_us(r->max), r->samples,
	       r->bulk_gbps, r->bql.limit, r->bql.stops, r->lst.stops);
}

/*
 * The demonstration through @fq_codel (or pfifo_fast): the sparse flow goes
 * first in either qdisc, so what it waits behind is the NIC's ring, which
 * BQL keeps short.
 */
static int
bql_cuts_sparse_latency(bool fq_codel)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct lrt_demo_result off, on;
	struct lrt h;
	double cap;

	SN_ASSERT_EQ(lrt_init(&h, mp, sd, 4096, SAMPLES), 0);
	cap = lrt_capacity(&h, 0.05);
	printf("  %s: loop capacity: %.2f Mpps of 1500 B frames (10 Gbit/s needs %.2f)\n",
	       fq_codel ? "fq_codel" : "pfifo_fast", cap / 1e6, LRT_10G_1500_PPS / 1e6);
	SN_ASSERT_EQ(lrt_demo(&h, "demo_nobql", false, HOLD_US, 1024, 50, 0.05, 0.3, fq_codel,
			      &off), 0);
	print("no BQL", &off);
	SN_ASSERT_EQ(h.xmit_short, 0);
	SN_ASSERT_EQ(lrt_demo(&h, "demo_bql", true, HOLD_US, 1024, 50, 0.05, 0.3, fq_codel, &on),
		     0);
	print("BQL", &on);
	SN_ASSERT_EQ(h.xmit_short, 0);
	lrt_fini(&h);
	printf("  p99 ratio: %.1fx\n", (double)off.p99 / (double)RTE_MAX(on.p99, 1ul));

	SN_ASSERT(off.samples > 100 && on.samples > 100, "too few samples: %u, %u", off.samples,
		  on.samples);
	SN_ASSERT_EQ(off.bad, 0);
	SN_ASSERT_EQ(on.bad, 0);
	/* Without BQL the ring filled: the driver stopped the queue. */
	SN_ASSERT(off.lst.stops > 0, "the ring never filled without BQL");
	SN_ASSERT(on.bql.enabled && on.bql.stops > 0, "BQL never stopped the queue");
#ifdef __SANITIZE_ADDRESS__
	/*
	 * Under AddressSanitizer the loop's timing wobbles enough (measured:
	 * 4.2x with the capacity to spare) that only the weaker bound holds:
	 * the 5x figure is the release build's.
	 */
	cap = 0;
#endif
	if (cap >= 1.5 * LRT_10G_1500_PPS) {
		SN_ASSERT(off.p99 >= 5 * on.p99, "band-0 p99 %.1f us with BQL, %.1f us without: "
			  "< 5x", lrt_us(on.p99), lrt_us(off.p99));
		/* Not by starving the link: the limit still keeps the wire busy. */
		SN_ASSERT(on.bulk_gbps >= off.bulk_gbps / 2, "bulk %.2f Gbit/s with BQL, %.2f "
			  "without", on.bulk_gbps, off.bulk_gbps);
	} else {
		/*
		 * A loop that cannot feed the link with room to spare completes
		 * late, and BQL rightly holds more in flight: only ask that it
		 * still helps.
		 */
		printf("  the loop is too slow here for the 5x bound: checking 2x\n");
		SN_ASSERT(off.p99 >= 2 * on.p99, "band-0 p99 %.1f us with BQL, %.1f us without: "
			  "< 2x", lrt_us(on.p99), lrt_us(off.p99));
	}
	sn_test_drain(sd);
	return sn_test_pool_check(mp, base);
}

static int
test_bql_cuts_band0_latency(void)
{
	return bql_cuts_sparse_latency(false);
}

static int
test_bql_cuts_sparse_latency_fq_codel(void)
{
	return bql_cuts_sparse_latency(true);
}

int
main(void)
{
	sn_test_init("bql_demo", "0", NULL);
	mp = sn_test_pool("bql_demo", POOL_SIZE);
	sd = sn_softnet_attach();
	if (mp == NULL || sd == NULL)
		return SN_TEST_FAIL;
	SN_RUN(test_bql_cuts_band0_latency);
	SN_RUN(test_bql_cuts_sparse_latency_fq_codel);
	sn_softnet_detach(sd);
	if (sn_test_pool_check(mp, 0) != 0)
		return SN_TEST_FAIL;
	sn_test_fini();
	return SN_TEST_PASS;
}
