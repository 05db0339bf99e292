/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * qos_bench: softnet's htb against DPDK's own hierarchical scheduler,
 * rte_sched, fed the same packets on one lcore, with softnet's queued
 * pfifo_fast path as the reference of the run.
 *
 * The hierarchy is the one rte_sched can express closest to "htb, two
 * levels, eight leaves": htb root 1: with class 1:1 and eight leaf classes
 * 1:10..1:17 under it; rte_sched with one subport and eight pipes, each
 * pipe's best-effort traffic class, queue 0. Every rate is 100 Gbit/s, out
 * of one lcore's reach, so neither shaper ever holds a packet back: what is
 * measured is the pure cost of classifying, enqueuing, picking and
 * dequeuing. Each packet names its leaf the cheapest way each scheduler
 * has: softnet's packet priority (the `skb->priority == classid` rule),
 * rte_sched_port_pkt_write() for rte_sched; packet i goes to leaf i % 8.
 *
 * Cases (each timed over --packets packets, --repeat rounds interleaved,
 * median reported; Mpps from the TSC):
 *  - pfifo_fast  sn_xmit_burst() through pfifo_fast with nobypass (queued);
 *  - htb         sn_xmit_burst() through the htb tree above;
 *  - rte_sched   rte_sched_port_pkt_write() per packet,
 *                rte_sched_port_enqueue() and rte_sched_port_dequeue() of the
 *                burst, rte_eth_tx_burst() of what came out.
 * All three end in the same net_null port, which frees the packets; after
 * each case every packet is accounted for and the pool is back to its
 * baseline, else the program exits 1. Targets (htb >= rte_sched, htb >=
 * half of pfifo_fast) are reported, never enforced.
 *
 * Usage: qos_bench [EAL args] -- [--packets N] [--repeat R] [--burst B]
 *   e.g. qos_bench -l 0 --no-pci --file-prefix qb --vdev net_null0 -- --repeat 5
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_sched.h>

#include <softnet.h>
#include <sn_ethdev.h>
#include <sn_sched.h>

#define NB_LEAVES 8
#define POOL_SIZE 16383
#define FRAME 64
#define RATE_BPS (100000000000ull / 8) /* 100 Gbit/s in bytes per second */

enum bench_case { CASE_PFIFO_FAST, CASE_HTB, CASE_RTE_SCHED, CASE_MAX };
static const char *const case_names[CASE_MAX] = { "pfifo_fast", "htb", "rte_sched" };

static struct rte_mempool *pool;
static struct sn_netdev *dev;
static struct sn_softnet *sd;
static struct rte_sched_port *sched;
static uint16_t port;
static uint64_t nb_packets = 4000000;
static unsigned int repeat = 5, burst = 32;

static int
set_qdisc(const char *line)
{
	char buf[256], kind[SN_QDISC_KIND_SIZE], err[256];
	const char *w[32];
	struct sn_qdisc_params p;
	int n = 0, rc;

	snprintf(buf, sizeof(buf), "%s", line);
	for (char *t = strtok(buf, " "); t != NULL && n < 32; t = strtok(NULL, " "))
		w[n++] = t;
	rc = sn_qdisc_parse(n, w, kind, &p, err, sizeof(err));
	if (rc == 0)
		rc = sn_qdisc_replace(dev, 0, kind, &p, sd);
	if (rc != 0)
		fprintf(stderr, "qos_bench: qdisc %s: %s\n", line, err[0] ? err : strerror(-rc));
	return rc;
}

static int
add_class(uint32_t parent, uint32_t classid, const char *words)
{
	char buf[256], err[256];
	const char *w[32];
	struct sn_class_params cp;
	int n = 0, rc;

	snprintf(buf, sizeof(buf), "%s", words);
	for (char *t = strtok(buf, " "); t != NULL && n < 32; t = strtok(NULL, " "))
		w[n++] = t;
	rc = sn_class_parse(n, w, &cp, err, sizeof(err));
	if (rc == 0)
		rc = sn_class_change(dev, 0, parent, classid, &cp, err, sizeof(err), sd);
	if (rc != 0)
		fprintf(stderr, "qos_bench: class %x: %s\n", classid, err);
	return rc;
}

static int
htb_setup(void)
{
	int rc = set_qdisc("htb handle 1:");

	if (rc == 0)
		rc = add_class(0x00010000, 0x00010001, "htb rate 100gbit ceil 100gbit");
	for (unsigned int i = 0; rc == 0 && i < NB_LEAVES; i++)
		rc = add_class(0x00010001, 0x00010010 + i,
			       "htb rate 12gbit ceil 100gbit burst 1mb cburst 1mb");
	return rc;
}

static struct rte_sched_port *
rte_sched_setup(void)
{
	static struct rte_sched_subport_profile_params spp;
	static struct rte_sched_pipe_params pipe;
	struct rte_sched_subport_params sp;
	struct rte_sched_port_params pp;
	struct rte_sched_port *p;

	memset(&spp, 0, sizeof(spp));
	spp.tb_rate = RATE_BPS;
	spp.tb_size = 1000000;
	for (unsigned int i = 0; i < RTE_SCHED_TRAFFIC_CLASSES_PER_PIPE; i++)
		spp.tc_rate[i] = RATE_BPS;
	spp.tc_period = 10;
	memset(&pipe, 0, sizeof(pipe));
	pipe.tb_rate = RATE_BPS;
	pipe.tb_size = 1000000;
	for (unsigned int i = 0; i < RTE_SCHED_TRAFFIC_CLASSES_PER_PIPE; i++)
		pipe.tc_rate[i] = RATE_BPS;
	pipe.tc_period = 40;
	pipe.tc_ov_weight = 1;
	for (unsigned int i = 0; i < RTE_SCHED_BE_QUEUES_PER_PIPE; i++)
		pipe.wrr_weights[i] = 1;

	memset(&pp, 0, sizeof(pp));
	pp.name = "qos_bench";
	pp.socket = (int)rte_socket_id();
	pp.rate = RATE_BPS;
	pp.mtu = 1522;
	pp.frame_overhead = RTE_SCHED_FRAME_OVERHEAD_DEFAULT;
	pp.n_subports_per_port = 1;
	pp.subport_profiles = &spp;
	pp.n_subport_profiles = 1;
	pp.n_max_subport_profiles = 1;
	pp.n_pipes_per_subport = NB_LEAVES;
	p = rte_sched_port_config(&pp);
	if (p == NULL)
		return NULL;
	memset(&sp, 0, sizeof(sp));
	sp.n_pipes_per_subport_enabled = NB_LEAVES;
	for (unsigned int i = 0; i < RTE_SCHED_TRAFFIC_CLASSES_PER_PIPE; i++)
		sp.qsize[i] = 64;
	sp.pipe_profiles = &pipe;
	sp.n_pipe_profiles = 1;
	sp.n_max_pipe_profiles = 1;
	if (rte_sched_subport_config(p, 0, &sp, 0) != 0)
		goto fail;
	for (uint32_t i = 0; i < NB_LEAVES; i++)
		if (rte_sched_pipe_config(p, 0, i, 0) != 0)
			goto fail;
	return p;
fail:
	rte_sched_port_free(p);
	return NULL;
}

static int
alloc_burst(struct rte_mbuf **pkts, unsigned int n)
{
	while (rte_pktmbuf_alloc_bulk(pool, pkts, n) != 0)
		sn_softnet_poll(sd);
	for (unsigned int i = 0; i < n; i++) {
		pkts[i]->data_len = FRAME;
		pkts[i]->pkt_len = FRAME;
		memset(rte_pktmbuf_mtod(pkts[i], char *), 0, 14);
	}
	return 0;
}

struct case_out {
	double mpps;
	uint64_t sent, dropped;
};

static int
run_case(enum bench_case c, uint64_t n, struct case_out *o)
{
	struct rte_mbuf *pkts[256], *out[256];
	uint64_t t0, t1, done = 0, sent = 0, dropped = 0, leaf = 0;

	t0 = rte_rdtsc();
	while (done < n) {
		unsigned int k = (unsigned int)RTE_MIN((uint64_t)burst, n - done);

		alloc_burst(pkts, k);
		if (c == CASE_RTE_SCHED) {
			int in, got;

			for (unsigned int i = 0; i < k; i++)
				rte_sched_port_pkt_write(sched, pkts[i], 0,
							 (uint32_t)(leaf++ % NB_LEAVES),
							 RTE_SCHED_TRAFFIC_CLASS_BE, 0, RTE_COLOR_GREEN);
			in = rte_sched_port_enqueue(sched, pkts, k);
			dropped += k - (unsigned int)in;
			got = rte_sched_port_dequeue(sched, out, burst);
			if (got > 0) {
				uint16_t tx = 0;

				while (tx < got)
					tx += rte_eth_tx_burst(port, 0, out + tx, (uint16_t)(got - tx));
				sent += (unsigned int)got;
			}
		} else {
			uint16_t ok;

			for (unsigned int i = 0; i < k; i++)
				sn_mbuf_prio_set(pkts[i], c == CASE_HTB ?
						 0x00010010u + (uint32_t)(leaf++ % NB_LEAVES) : 0);
			ok = sn_xmit_burst(sd, dev, 0, pkts, (uint16_t)k);
			dropped += k - ok;
			sn_softnet_poll(sd);
		}
		done += k;
	}
	/* What the scheduler still holds. */
	if (c == CASE_RTE_SCHED) {
		int got;

		while ((got = rte_sched_port_dequeue(sched, out, burst)) > 0) {
			uint16_t tx = 0;

			while (tx < got)
				tx += rte_eth_tx_burst(port, 0, out + tx, (uint16_t)(got - tx));
			sent += (unsigned int)got;
		}
	} else {
		for (int i = 0; i < 1000; i++)
			sn_softnet_poll(sd);
	}
	t1 = rte_rdtsc();
	o->mpps = (double)n / ((double)(t1 - t0) / (double)rte_get_tsc_hz()) / 1e6;
	if (c != CASE_RTE_SCHED) {
		struct sn_qdisc_info info;

		sn_qdisc_info(dev, 0, &info);
		sent = n - dropped - info.stats.qstats.qlen;
	}
	o->sent = sent;
	o->dropped = dropped;
	if (sent + dropped != n) {
		fprintf(stderr, "qos_bench: %s: %" PRIu64 " sent + %" PRIu64 " dropped != %" PRIu64
			"\n", case_names[c], sent, dropped, n);
		return -1;
	}
	return 0;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int
case_prepare(enum bench_case c)
{
	switch (c) {
	case CASE_PFIFO_FAST:
		return set_qdisc("pfifo_fast nobypass");
	case CASE_HTB:
		return htb_setup();
	default:
		return 0;
	}
}

int
main(int argc, char **argv)
{
	double mpps[CASE_MAX][64];
	struct sn_ethdev_conf conf;
	unsigned int base;
	int rc = rte_eal_init(argc, argv);

	if (rc < 0) {
		fprintf(stderr, "qos_bench: EAL: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	argc -= rc;
	argv += rc;
	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--packets") == 0)
			nb_packets = strtoull(argv[i + 1], NULL, 0);
		else if (strcmp(argv[i], "--repeat") == 0)
			repeat = (unsigned int)strtoul(argv[i + 1], NULL, 0);
		else if (strcmp(argv[i], "--burst") == 0)
			burst = (unsigned int)strtoul(argv[i + 1], NULL, 0);
	}
	if (repeat == 0 || repeat > 64 || burst == 0 || burst > 256 || nb_packets == 0) {
		fprintf(stderr, "usage: qos_bench [EAL] -- [--packets N] [--repeat 1..64] "
			"[--burst 1..256]\n");
		return 1;
	}
	if (sn_init(NULL) != 0 || (sd = sn_softnet_attach()) == NULL) {
		fprintf(stderr, "qos_bench: softnet init failed\n");
		return 1;
	}
	if (sn_qdisc_lookup("htb") == NULL) {
		fprintf(stderr, "qos_bench: this libsoftnet has no htb\n");
		return 1;
	}
	pool = rte_pktmbuf_pool_create("qb_pool", POOL_SIZE, 256, 0,
				       RTE_MBUF_DEFAULT_BUF_SIZE, (int)rte_socket_id());
	if (pool == NULL || rte_eth_dev_count_avail() < 1) {
		fprintf(stderr, "qos_bench: needs a pool and a net_null port (--vdev net_null0)\n");
		return 1;
	}
	RTE_ETH_FOREACH_DEV(port)
		break;
	memset(&conf, 0, sizeof(conf));
	conf.nb_txq = 1;
	dev = sn_ethdev_open(port, "qb0", &conf);
	sched = rte_sched_setup();
	if (dev == NULL || sched == NULL) {
		fprintf(stderr, "qos_bench: port or rte_sched set-up failed: %s\n",
			rte_strerror(rte_errno));
		return 1;
	}
	base = rte_mempool_in_use_count(pool);
	printf("qos_bench: %" PRIu64 " packets of %u bytes per case, bursts of %u, %u rounds, "
	       "%u leaves, rates 100 Gbit/s (never throttling)\n", nb_packets, FRAME, burst,
	       repeat, NB_LEAVES);
	for (unsigned int r = 0; r < repeat; r++) {
		for (int c = 0; c < CASE_MAX; c++) {
			struct case_out o;

			if (case_prepare((enum bench_case)c) != 0)
				return 1;
			/* Warm-up, then the timed run. */
			if (run_case((enum bench_case)c, nb_packets / 10, &o) != 0 ||
			    run_case((enum bench_case)c, nb_packets, &o) != 0)
				return 1;
			mpps[c][r] = o.mpps;
			if (c != CASE_RTE_SCHED)
				sn_qdisc_delete(dev, 0, sd);
			if (rte_mempool_in_use_count(pool) != base) {
				fprintf(stderr, "qos_bench: %s: %u mbufs in use, baseline %u\n",
					case_names[c], rte_mempool_in_use_count(pool), base);
				return 1;
			}
		}
	}
	{
		double med[CASE_MAX];

		for (int c = 0; c < CASE_MAX; c++) {
			qsort(mpps[c], repeat, sizeof(double), cmp_double);
			med[c] = mpps[c][repeat / 2];
			printf("  %-11s %8.2f Mpps  (%.1f cycles/pkt)\n", case_names[c], med[c],
			       (double)rte_get_tsc_hz() / (med[c] * 1e6));
		}
		printf("  htb / rte_sched   %.2f  (target >= 1.00: %s)\n",
		       med[CASE_HTB] / med[CASE_RTE_SCHED],
		       med[CASE_HTB] >= med[CASE_RTE_SCHED] ? "met" : "MISSED");
		printf("  htb / pfifo_fast  %.2f  (target >= 0.50: %s)\n",
		       med[CASE_HTB] / med[CASE_PFIFO_FAST],
		       med[CASE_HTB] >= 0.5 * med[CASE_PFIFO_FAST] ? "met" : "MISSED");
	}
	rte_sched_port_free(sched);
	sn_ethdev_close(dev, sd);
	sn_softnet_detach(sd);
	sn_fini();
	rte_eal_cleanup();
	return 0;
}
