/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * filter_bench: what sn_filter_classify() costs per packet, with a chain of
 * 8 filters of the kinds an operator writes (prefixes, ports, ranges, DSCP,
 * VLAN, protocol), for packets that match the first filter, the last one,
 * none (all 8 tried), and a mix; and a chain of 8 L2-only filters (VLAN
 * ids), which never reads the IP header. A benchmark: it prints figures,
 * it passes or fails nothing.
 *
 *   filter_bench [EAL args] -- [--iters N] [--pkts N (1..256)]
 * e.g. (as registered in tests/perf/meson.build)
 *   filter_bench -l 0 --no-pci --no-huge -m 256 --no-shconf \
 *       --file-prefix filter_bench -- --iters 20000
 */

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "sn_filter.h"

#define NB_PKTS 256

/* Packets per pass (--pkts): 256 by default; fewer keeps them all in L1 and the TLB. */
static unsigned int nb_pkts = NB_PKTS;

struct bpkt {
	int vlan;         /* TCI, -1: untagged */
	uint16_t type;
	const char *src, *dst;
	uint8_t tos, proto;
	uint16_t sport, dport;
};

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static struct rte_mbuf *
bframe(struct rte_mempool *mp, const struct bpkt *d)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
	uint32_t off = 12;
	uint8_t *f;

	if (m == NULL)
		return NULL;
	f = (uint8_t *)rte_pktmbuf_append(m, 64);
	memset(f, 0, 64);
	if (d->vlan >= 0) {
		put16(f + off, 0x8100);
		put16(f + off + 2, (uint16_t)d->vlan);
		off += 4;
	}
	put16(f + off, d->type);
	off += 2;
	if (d->type == 0x0800) {
		f[off] = 0x45;
		f[off + 1] = d->tos;
		f[off + 9] = d->proto;
		inet_pton(AF_INET, d->src, f + off + 12);
		inet_pton(AF_INET, d->dst, f + off + 16);
		off += 20;
	} else if (d->type == 0x86dd) {
		put16(f + off, (uint16_t)(0x6000 | d->tos << 4));
		f[off + 6] = d->proto;
		inet_pton(AF_INET6, d->src, f + off + 8);
		inet_pton(AF_INET6, d->dst, f + off + 24);
		off += 40;
	}
	if (off + 4 <= 64) {
		put16(f + off, d->sport);
		put16(f + off + 2, d->dport);
	}
	return m;
}

static struct sn_filter_chain *
bchain(const char *const *cmds, unsigned int n)
{
	struct sn_filter_chain *c = sn_filter_chain_create(0, SOCKET_ID_ANY);
	unsigned int i;

	if (c == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		const char *argv[32];
		char buf[256], err[128], *save = NULL, *w;
		struct sn_filter_spec f;
		int argc = 0;

		snprintf(buf, sizeof(buf), "%s", cmds[i]);
		for (w = strtok_r(buf, " ", &save); w != NULL && argc < 32;
		     w = strtok_r(NULL, " ", &save))
			argv[argc++] = w;
		if (sn_filter_parse(argc, argv, &f, err, sizeof(err)) != 0 ||
		    sn_filter_chain_add(c, &f) != 0) {
			fprintf(stderr, "filter '%s': %s\n", cmds[i], err);
			sn_filter_chain_free(c);
			return NULL;
		}
	}
	return c;
}

/*
 * Passes are timed in REPS slices and the fastest slice is reported: on a
 * shared host a slice the scheduler cut into is slower, never faster.
 */
#define REPS 100

/* ns per classify, the fastest of REPS slices of @iters / REPS passes over @pkts. */
static double
bmeasure(struct sn_filter_chain *c, struct rte_mbuf **pkts, unsigned int iters,
	 uint64_t *sink)
{
	unsigned int per = RTE_MAX(iters / REPS, 1u), r, it, i;
	uint64_t t0, best = UINT64_MAX, sum = 0;

	for (i = 0; i < nb_pkts; i++) /* warm up */
		sum += sn_filter_classify(c, pkts[i]);
	for (r = 0; r < REPS; r++) {
		t0 = rte_rdtsc_precise();
		for (it = 0; it < per; it++)
			for (i = 0; i < nb_pkts; i++)
				sum += sn_filter_classify(c, pkts[i]);
		best = RTE_MIN(best, rte_rdtsc_precise() - t0);
	}
	*sink += sum;
	return (double)best * 1e9 / (double)rte_get_tsc_hz() / ((double)per * nb_pkts);
}

/*
 * The floor: reading each packet's Ethernet type, which any classifier
 * must do (the mbuf and its first data line come into the cache).
 */
static double
bfloor(struct rte_mbuf **pkts, unsigned int iters, uint64_t *sink)
{
	unsigned int per = RTE_MAX(iters / REPS, 1u), r, it, i;
	uint64_t t0, best = UINT64_MAX, sum = 0;

	for (r = 0; r < REPS; r++) {
		t0 = rte_rdtsc_precise();
		for (it = 0; it < per; it++)
			for (i = 0; i < nb_pkts; i++)
				sum += *(volatile const uint16_t *)
					rte_pktmbuf_mtod_offset(pkts[i], const uint8_t *, 12);
		best = RTE_MIN(best, rte_rdtsc_precise() - t0);
	}
	*sink += sum;
	return (double)best * 1e9 / (double)rte_get_tsc_hz() / ((double)per * nb_pkts);
}

static const char *const filters8[] = {
	"prio 1 match ip dst 10.0.0.0/8 ip dport 5060 ip dscp 46 classid 1:10",
	"prio 2 match ip proto tcp ip dport 22 classid 1:11",
	"prio 3 match ip6 dst 2001:db8::/32 classid 1:12",
	"prio 4 match vlan_id 100 classid 1:13",
	"prio 5 match ip src 192.168.0.0/16 ip sport 1024-65535 ip proto tcp classid 1:14",
	"prio 6 match ip dscp 10 classid 1:15",
	"prio 7 protocol arp classid 1:16",
	"prio 8 match ip proto udp ip dport 53 classid 1:17",
};

static const char *const filters8_l2[] = {
	"prio 1 match vlan_id 1 classid 1:1",  "prio 2 match vlan_id 2 classid 1:2",
	"prio 3 match vlan_id 3 classid 1:3",  "prio 4 match vlan_id 4 classid 1:4",
	"prio 5 match vlan_id 5 classid 1:5",  "prio 6 match vlan_id 6 classid 1:6",
	"prio 7 match vlan_id 7 classid 1:7",  "prio 8 match vlan_id 8 classid 1:8",
};

/* The packet kinds, by the filter of filters8 they hit. */
static const struct bpkt kinds[] = {
	{ -1, 0x0800, "172.16.0.1", "10.1.1.1", 46 << 2, 17, 4000, 5060 },   /* 1st */
	{ -1, 0x0800, "172.16.0.1", "172.16.0.2", 0, 6, 4000, 22 },          /* 2nd */
	{ -1, 0x86dd, "fd00::1", "2001:db8::1", 0, 17, 4000, 4000 },          /* 3rd */
	{ 100, 0x0800, "172.16.0.1", "172.16.0.2", 0, 17, 4000, 4000 },       /* 4th */
	{ -1, 0x0800, "192.168.1.1", "172.16.0.2", 0, 6, 40000, 80 },        /* 5th */
	{ -1, 0x0800, "172.16.0.1", "172.16.0.2", 10 << 2, 17, 4000, 4000 }, /* 6th */
	{ -1, 0x0806, NULL, NULL, 0, 0, 0, 0 },                              /* 7th */
	{ -1, 0x0800, "172.16.0.1", "172.16.0.2", 0, 17, 4000, 53 },         /* 8th */
	{ -1, 0x0800, "172.16.0.1", "172.16.0.2", 0, 17, 4000, 4000 },       /* none */
};

int
main(int argc, char **argv)
{
	struct rte_mbuf *first[NB_PKTS], *last[NB_PKTS], *none[NB_PKTS], *mix[NB_PKTS];
	struct sn_filter_chain *c8, *cl2;
	unsigned int iters = 20000, i;
	struct rte_mempool *mp;
	uint64_t sink = 0;
	int n;

	n = rte_eal_init(argc, argv);
	if (n < 0) {
		fprintf(stderr, "EAL: %s\n", rte_strerror(rte_errno));
		return 77;
	}
	argc -= n;
	argv += n;
	for (i = 1; i < (unsigned int)argc; i++)
		if (strcmp(argv[i], "--iters") == 0 && i + 1 < (unsigned int)argc)
			iters = (unsigned int)strtoul(argv[++i], NULL, 0);
		else if (strcmp(argv[i], "--pkts") == 0 && i + 1 < (unsigned int)argc)
			nb_pkts = (unsigned int)strtoul(argv[++i], NULL, 0);
	if (nb_pkts == 0 || nb_pkts > NB_PKTS)
		nb_pkts = NB_PKTS;
	mp = rte_pktmbuf_pool_create("filter_bench", 4 * NB_PKTS + 64, 0, 0,
				     RTE_MBUF_DEFAULT_BUF_SIZE, (int)rte_socket_id());
	c8 = bchain(filters8, RTE_DIM(filters8));
	cl2 = bchain(filters8_l2, RTE_DIM(filters8_l2));
	if (mp == NULL || c8 == NULL || cl2 == NULL) {
		fprintf(stderr, "set-up failed\n");
		return 1;
	}
	for (i = 0; i < NB_PKTS; i++) {
		first[i] = bframe(mp, &kinds[0]);
		last[i] = bframe(mp, &kinds[7]);
		none[i] = bframe(mp, &kinds[8]);
		mix[i] = bframe(mp, &kinds[i % RTE_DIM(kinds)]);
		if (!first[i] || !last[i] || !none[i] || !mix[i]) {
			fprintf(stderr, "mbufs\n");
			return 1;
		}
	}
	printf("filter_bench: sn_filter_classify(), %u x %u packets of 64 B, fastest of %u slices, TSC %.2f GHz\n",
	       iters, nb_pkts, REPS, (double)rte_get_tsc_hz() / 1e9);
	printf("%-44s %8s\n", "case", "ns/pkt");
	printf("%-44s %8.2f\n", "floor: read the Ethernet type only", bfloor(mix, iters, &sink));
	printf("%-44s %8.2f\n", "8 filters, first matches",
	       bmeasure(c8, first, iters, &sink));
	printf("%-44s %8.2f\n", "8 filters, last matches",
	       bmeasure(c8, last, iters, &sink));
	printf("%-44s %8.2f\n", "8 filters, none matches (0)",
	       bmeasure(c8, none, iters, &sink));
	printf("%-44s %8.2f\n", "8 filters, mix (each filter + none)",
	       bmeasure(c8, mix, iters, &sink));
	printf("%-44s %8.2f\n", "8 L2-only filters (vlan_id), none matches",
	       bmeasure(cl2, none, iters, &sink));
	/* Everything was counted: one hit per classified packet. */
	{
		struct sn_filter_info info[8];
		uint64_t hits = 0;
		unsigned int k, nf = sn_filter_chain_walk(c8, info, RTE_DIM(info));

		for (k = 0; k < nf && k < RTE_DIM(info); k++)
			hits += info[k].packets;
		printf("hits counted on the 8-filter chain: %" PRIu64 " (sink %" PRIu64 ")\n",
		       hits, sink);
	}
	rte_pktmbuf_free_bulk(first, NB_PKTS);
	rte_pktmbuf_free_bulk(last, NB_PKTS);
	rte_pktmbuf_free_bulk(none, NB_PKTS);
	rte_pktmbuf_free_bulk(mix, NB_PKTS);
	sn_filter_chain_free(c8);
	sn_filter_chain_free(cl2);
	rte_mempool_free(mp);
	rte_eal_cleanup();
	return 0;
}
