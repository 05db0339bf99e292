/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Benchmark: what byte queue limits do for a high-priority flow under bulk
 * load. On the 10 Gbit/s line-rate model with a 1024-descriptor ring, a
 * saturating 1500-byte bulk flow (pfifo_fast band 2) and a sparse 64-byte
 * flow (band 0, one frame every 50 us) through pfifo_fast, without BQL then
 * with it; prints the band-0 latency (enqueue TSC to wire departure TSC)
 * p50 / p99 / p99.9 / max, the bulk throughput, the BQL limit, and the p99
 * ratio. Alternates the two modes --rounds times and reports the median of
 * each figure.
 *
 *   bql_latency [--secs S] [--rounds N] [--gap-us U] [--hold-us H] [--ring R]
 *               [--csv PATH]
 *
 * --csv writes every latency sample of the last round as "mode,latency_us"
 * lines (mode: nobql or bql), for scripts/plot_bql.py. EAL is started as
 * the tests start it (tests/lib: --no-pci, --no-huge, a unique prefix): the
 * model needs no device and no hugepages.
 */

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "linerate_test.h"

#define POOL_SIZE 8192
#define MAX_ROUNDS 15

static double
median(double *v, unsigned int n)
{
	for (unsigned int i = 1; i < n; i++)
		for (unsigned int j = i; j > 0 && v[j - 1] > v[j]; j--) {
			double t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void
usage(const char *prog)
{
	fprintf(stderr, "usage: %s [--secs S] [--rounds N] [--gap-us U] [--hold-us H] "
		"[--ring R] [--csv PATH] [--fq-codel]\n", prog);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "secs", required_argument, NULL, 's' },
		{ "rounds", required_argument, NULL, 'r' },
		{ "gap-us", required_argument, NULL, 'g' },
		{ "hold-us", required_argument, NULL, 'h' },
		{ "ring", required_argument, NULL, 'R' },
		{ "csv", required_argument, NULL, 'c' },
		{ "fq-codel", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	double secs = 1.0, gap_us = 50;
	unsigned int rounds = 3, hold_us = 0, ring = 1024;
	const char *csv = NULL;
	bool fq_codel = false;
	double fig[2][6][MAX_ROUNDS];
	struct rte_mempool *mp;
	struct sn_softnet *sd;
	struct lrt h;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's': secs = atof(optarg); break;
		case 'r': rounds = (unsigned int)atoi(optarg); break;
		case 'g': gap_us = atof(optarg); break;
		case 'h': hold_us = (unsigned int)atoi(optarg); break;
		case 'R': ring = (unsigned int)atoi(optarg); break;
		case 'c': csv = optarg; break;
		case 'f': fq_codel = true; break;
		default: usage(argv[0]); return 2;
		}
	}
	if (rounds == 0 || rounds > MAX_ROUNDS || secs <= 0 || gap_us <= 0 || ring == 0) {
		usage(argv[0]);
		return 2;
	}
	sn_test_init("bql_latency", "0", NULL);
	mp = sn_test_pool("bql_latency", POOL_SIZE);
	sd = sn_softnet_attach();
	if (mp == NULL || sd == NULL ||
	    lrt_init(&h, mp, sd, 4096, (uint32_t)(secs * 1e6 / gap_us) + 1024) != 0)
		return 1;

	printf("bql_latency: %s, 10 Gbit/s model, %u descriptors, bulk 1500 B + sparse 64 B "
	       "every %.0f us, %.2f s per run, %u rounds, BQL hold %u us\n",
	       fq_codel ? "fq_codel (flows 2 and 1)" : "pfifo_fast (bands 2 and 0)", ring, gap_us,
	       secs, rounds, hold_us != 0 ? hold_us : SN_DQL_HOLD_US_DEFAULT);
	for (unsigned int r = 0; r < rounds; r++) {
		for (int bql = 0; bql <= 1; bql++) {
			struct lrt_demo_result res;
			int rc = lrt_demo(&h, bql ? "bench_bql" : "bench_nobql", bql, hold_us, ring,
					  gap_us, 0.1, secs, fq_codel, &res);

			if (rc != 0 || res.bad != 0 || h.xmit_short != 0) {
				fprintf(stderr, "run failed: %d, %" PRIu64 " frames out of order, %"
					PRIu64 " dropped\n", rc, res.bad, h.xmit_short);
				return 1;
			}
			printf("  round %u %-6s band 0: p50 %8.1f us  p99 %8.1f us  p99.9 %8.1f us  "
			       "max %8.1f us (%u samples); bulk %.2f Gbit/s; BQL limit %u B\n",
			       r, bql ? "BQL" : "no BQL", lrt_us(res.p50), lrt_us(res.p99),
			       lrt_us(res.p999), lrt_us(res.max), res.samples, res.bulk_gbps,
			       res.bql.limit);
			fig[bql][0][r] = lrt_us(res.p50);
			fig[bql][1][r] = lrt_us(res.p99);
			fig[bql][2][r] = lrt_us(res.p999);
			fig[bql][3][r] = lrt_us(res.max);
			fig[bql][4][r] = res.bulk_gbps;
			fig[bql][5][r] = res.bql.limit;
			if (csv != NULL && r == rounds - 1) {
				FILE *f = fopen(csv, bql ? "a" : "w");

				if (f == NULL) {
					perror(csv);
					return 1;
				}
				if (!bql)
					fprintf(f, "mode,latency_us\n");
				for (uint32_t i = 0; i < h.nlat; i++)
					fprintf(f, "%s,%.3f\n", bql ? "bql" : "nobql", lrt_us(h.lat[i]));
				fclose(f);
			}
		}
	}
	printf("median of %u rounds:\n", rounds);
	for (int bql = 0; bql <= 1; bql++)
		printf("  %-6s band 0: p50 %8.1f us  p99 %8.1f us  p99.9 %8.1f us  max %8.1f us; "
		       "bulk %.2f Gbit/s; BQL limit %.0f B\n", bql ? "BQL" : "no BQL",
		       median(fig[bql][0], rounds), median(fig[bql][1], rounds),
		       median(fig[bql][2], rounds), median(fig[bql][3], rounds),
		       median(fig[bql][4], rounds), median(fig[bql][5], rounds));
	printf("  band-0 p99 without BQL / with BQL: %.1fx\n",
	       median(fig[0][1], rounds) / median(fig[1][1], rounds));
	if (csv != NULL)
		printf("  samples of the last round written to %s\n", csv);
	lrt_fini(&h);
	sn_softnet_detach(sd);
	if (sn_test_pool_check(mp, 0) != 0)
		return 1;
	sn_test_fini();
	return 0;
}
