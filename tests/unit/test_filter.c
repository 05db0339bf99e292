/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Filters (sn_filter.h): every match field takes what it should and nothing
 * else (IPv4, IPv6, VLAN-tagged, short frames, TCP/UDP/SCTP ports and
 * ranges); chains go in priority order, first match wins, no match is 0;
 * parse errors name the word; print parses back to the same filter;
 * counters count. Frames are real mbufs from a mempool, whose in-use count
 * comes back to its baseline.
 */

#include <arpa/inet.h>
#include <string.h>

#include <rte_errno.h>

#include "sn_test.h"
#include "sn_filter.h"

/* PKT(.field = x) overrides a default on purpose. */
#pragma GCC diagnostic ignored "-Woverride-init"

#define CLS 0x10010u /* tc's 1:10 (hexadecimal, as tc reads it) */

static struct rte_mempool *mp;

/* ---- frames ---- */

struct pkt {
	int vlan;          /* TCI of one in-line tag, -1: untagged */
	uint16_t tpid;     /* the tag's TPID, 0: 0x8100 */
	int tx_vlan;       /* TCI for the NIC to insert (RTE_MBUF_F_TX_VLAN), -1: none */
	uint16_t type;     /* Ethernet type above the tag: 0x0800, 0x86dd, 0x0806 */
	const char *src;   /* addresses, IPv4 or IPv6 as the type says */
	const char *dst;
	uint8_t tos;       /* TOS or traffic class */
	uint8_t proto;     /* IP protocol */
	uint16_t sport, dport;
	uint8_t ihl;       /* IPv4 header words, 0: 5 */
	bool hbh;          /* IPv6: a hop-by-hop options header first */
	uint16_t frag;     /* IPv4 fragment offset (8-byte units) */
	uint32_t cut;      /* keep only this many bytes, 0: the whole 128 */
	uint32_t seg2;     /* > 0: a 2-segment mbuf, the first this long */
};

#define PKT(...) ((struct pkt){ .vlan = -1, .tx_vlan = -1, .type = 0x0800, \
				.src = "10.1.2.3", .dst = "192.168.1.1", .proto = 17, \
				.sport = 1000, .dport = 5060, __VA_ARGS__ })

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* A 128-byte frame as @d says, in one mbuf (or two, for seg2). NULL on error. */
static struct rte_mbuf *
frame(const struct pkt *d)
{
	uint8_t f[128];
	uint32_t off = 12, len = d->cut != 0 ? d->cut : sizeof(f);
	struct rte_mbuf *m, *m2;
	uint8_t *p;

	memset(f, 0, sizeof(f));
	memcpy(f, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01", 12);
	if (d->vlan >= 0) {
		put16(f + off, d->tpid != 0 ? d->tpid : 0x8100);
		put16(f + off + 2, (uint16_t)d->vlan);
		off += 4;
	}
	put16(f + off, d->type);
	off += 2;
	if (d->type == 0x0800) {
		uint8_t ihl = d->ihl != 0 ? d->ihl : 5;

		f[off] = (uint8_t)(0x40 | ihl);
		f[off + 1] = d->tos;
		put16(f + off + 2, (uint16_t)(sizeof(f) - off));
		put16(f + off + 6, d->frag);
		f[off + 8] = 64;
		f[off + 9] = d->proto;
		inet_pton(AF_INET, d->src, f + off + 12);
		inet_pton(AF_INET, d->dst, f + off + 16);
		off += ihl * 4u;
	} else if (d->type == 0x86dd) {
		put16(f + off, (uint16_t)(0x6000 | d->tos << 4));
		f[off + 6] = d->hbh ? 0 : d->proto;
		f[off + 7] = 64;
		inet_pton(AF_INET6, d->src, f + off + 8);
		inet_pton(AF_INET6, d->dst, f + off + 24);
		off += 40;
		if (d->hbh) {
			f[off] = d->proto;
			f[off + 1] = 0; /* 8 bytes */
			off += 8;
		}
	}
	if (d->type == 0x0800 || d->type == 0x86dd) {
		put16(f + off, d->sport);
		put16(f + off + 2, d->dport);
	}
	m = rte_pktmbuf_alloc(mp);
	if (m == NULL)
		return NULL;
	if (d->tx_vlan >= 0) {
		m->ol_flags |= RTE_MBUF_F_TX_VLAN;
		m->vlan_tci = (uint16_t)d->tx_vlan;
	}
	if (d->seg2 == 0) {
		p = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)len);
		/* The whole frame past a cut too: reading past the data would find it. */
		memcpy(p, f, sizeof(f));
		return m;
	}
	m2 = rte_pktmbuf_alloc(mp);
	if (m2 == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	p = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)d->seg2);
	/* As for a cut: the whole frame in the first buffer, seg2 bytes of it data. */
	memcpy(p, f, sizeof(f));
	p = (uint8_t *)rte_pktmbuf_append(m2, (uint16_t)(len - d->seg2));
	memcpy(p, f + d->seg2, len - d->seg2);
	if (rte_pktmbuf_chain(m, m2) != 0) {
		rte_pktmbuf_free(m);
		rte_pktmbuf_free(m2);
		return NULL;
	}
	return m;
}

/* ---- words ---- */

#define MAX_WORDS 32

/* Split @cmd at spaces into @buf/@argv; returns argc. */
static int
split(const char *cmd, char *buf, size_t len, const char *argv[])
{
	int argc = 0;
	char *save = NULL, *w;

	snprintf(buf, len, "%s", cmd);
	for (w = strtok_r(buf, " ", &save); w != NULL && argc < MAX_WORDS;
	     w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	return argc;
}

static int
parse(const char *cmd, struct sn_filter_spec *f, char *err, size_t errlen)
{
	const char *argv[MAX_WORDS];
	char buf[512];
	int argc = split(cmd, buf, sizeof(buf), argv);

	return sn_filter_parse(argc, argv, f, err, errlen);
}

/*
 * The class a one-filter chain of @cmd gives the frame @d: CLS if it
 * matches, 0 if not, ~0 on a set-up error.
 */
static uint32_t
cls1(const char *cmd, struct pkt d)
{
	struct sn_filter_spec f;
	struct sn_filter_chain *c;
	struct rte_mbuf *m;
	char err[128];
	uint32_t r;

	if (parse(cmd, &f, err, sizeof(err)) != 0) {
		fprintf(stderr, "parse '%s': %s\n", cmd, err);
		return ~0u;
	}
	c = sn_filter_chain_create(4, SOCKET_ID_ANY);
	if (c == NULL || sn_filter_chain_add(c, &f) != 0) {
		sn_filter_chain_free(c);
		return ~0u;
	}
	m = frame(&d);
	if (m == NULL) {
		sn_filter_chain_free(c);
		return ~0u;
	}
	r = sn_filter_classify(c, m);
	rte_pktmbuf_free(m);
	sn_filter_chain_free(c);
	return r;
}

#define MATCH(cmd, ...) SN_ASSERT_EQ(cls1(cmd, PKT(__VA_ARGS__)), CLS)
#define NOMATCH(cmd, ...) SN_ASSERT_EQ(cls1(cmd, PKT(__VA_ARGS__)), 0)

/* ---- match fields ---- */

static int
test_protocol(void)
{
	MATCH("protocol ip classid 1:10");
	NOMATCH("protocol ip classid 1:10", .type = 0x86dd, .src = "2001:db8::1", .dst = "::1");
	MATCH("protocol ipv6 classid 1:10", .type = 0x86dd, .src = "2001:db8::1", .dst = "::1");
	NOMATCH("protocol ipv6 classid 1:10");
	MATCH("protocol arp classid 1:10", .type = 0x0806);
	NOMATCH("protocol arp classid 1:10");
	MATCH("protocol 0x88cc classid 1:10", .type = 0x88cc);
	/* Through one tag: the network layer. */
	MATCH("protocol ip classid 1:10", .vlan = 10);
	/* The tag itself. */
	MATCH("protocol 802.1q classid 1:10", .vlan = 10);
	NOMATCH("protocol 802.1q classid 1:10");
	NOMATCH("protocol 802.1q classid 1:10", .vlan = 10, .tpid = 0x88a8);
	MATCH("protocol 802.1ad classid 1:10", .vlan = 10, .tpid = 0x88a8);
	MATCH("protocol all classid 1:10", .type = 0x0806);
	/* No field at all: everything, even a runt. */
	MATCH("classid 1:10", .cut = 4);
	return 0;
}

static int
test_vlan(void)
{
	MATCH("match vlan_id 10 classid 1:10", .vlan = 10);
	MATCH("match vlan_id 10 classid 1:10", .vlan = 10 | 5 << 13);
	NOMATCH("match vlan_id 10 classid 1:10", .vlan = 11);
	NOMATCH("match vlan_id 0 classid 1:10"); /* untagged is not VLAN 0 */
	MATCH("match vlan_id 0 classid 1:10", .vlan = 0);
	MATCH("match vlan_id 4095 classid 1:10", .vlan = 4095, .tpid = 0x88a8);
	MATCH("match vlan_prio 5 classid 1:10", .vlan = 10 | 5 << 13);
	NOMATCH("match vlan_prio 5 classid 1:10", .vlan = 10 | 4 << 13);
	NOMATCH("match vlan_prio 0 classid 1:10");
	MATCH("match vlan_id 10 vlan_prio 5 classid 1:10", .vlan = 10 | 5 << 13);
	NOMATCH("match vlan_id 10 vlan_prio 5 classid 1:10", .vlan = 10 | 6 << 13);
	/* A tag the NIC will insert counts. */
	MATCH("match vlan_id 7 classid 1:10", .tx_vlan = 7);
	NOMATCH("match vlan_id 7 classid 1:10", .tx_vlan = 8);
	MATCH("protocol 802.1q match vlan_id 7 classid 1:10", .tx_vlan = 7);
	/* L3 fields through the tag. */
	MATCH("match vlan_id 10 ip dst 192.168.0.0/16 ip dport 5060 classid 1:10", .vlan = 10);
	NOMATCH("match vlan_id 10 ip dst 192.168.0.0/16 ip dport 5061 classid 1:10", .vlan = 10);
	return 0;
}

static int
test_ipv4(void)
{
	MATCH("match ip src 10.0.0.0/8 classid 1:10");
	NOMATCH("match ip src 10.0.0.0/8 classid 1:10", .src = "11.1.2.3");
	MATCH("match ip src 10.1.2.3 classid 1:10");
	NOMATCH("match ip src 10.1.2.4 classid 1:10");
	MATCH("match ip src 10.1.2.0/23 classid 1:10");
	NOMATCH("match ip src 10.1.4.0/23 classid 1:10");
	MATCH("match ip src 0.0.0.0/0 classid 1:10");
	MATCH("match ip dst 192.168.1.0/24 classid 1:10");
	NOMATCH("match ip dst 192.168.2.0/24 classid 1:10");
	/* src is not dst */
	NOMATCH("match ip dst 10.0.0.0/8 classid 1:10");
	/* An IPv4 prefix never matches IPv6, even 0/0. */
	NOMATCH("match ip src 0.0.0.0/0 classid 1:10", .type = 0x86dd, .src = "::a01:203",
		.dst = "::1");
	/* Options: the ports are past them. */
	MATCH("match ip dport 5060 classid 1:10", .ihl = 7);
	MATCH("match ip dst 192.168.1.1 ip dport 5060 classid 1:10", .ihl = 15);
	/* A bad IHL is no IPv4 header. */
	NOMATCH("match ip dst 192.168.1.1 classid 1:10", .ihl = 4);
	return 0;
}

static int
test_ipv6(void)
{
#define V6(...) .type = 0x86dd, .src = "2001:db8:1::5", .dst = "fd00::1", __VA_ARGS__
	MATCH("match ip6 src 2001:db8::/32 classid 1:10", V6());
	NOMATCH("match ip6 src 2001:db9::/32 classid 1:10", V6());
	MATCH("match ip6 src 2001:db8:1::5 classid 1:10", V6());
	NOMATCH("match ip6 src 2001:db8:1::6 classid 1:10", V6());
	MATCH("match ip6 src 2001:db8:1::4/127 classid 1:10", V6());
	NOMATCH("match ip6 src 2001:db8:1::6/127 classid 1:10", V6());
	MATCH("match ip6 dst fd00::/8 classid 1:10", V6());
	NOMATCH("match ip6 dst fe00::/8 classid 1:10", V6());
	NOMATCH("match ip6 dst ::/0 classid 1:10"); /* IPv4 frame */
	MATCH("match ip6 dst ::/0 ip proto udp ip dport 5060 classid 1:10", V6());
	/* Hop-by-hop options are looked through. */
	MATCH("match ip proto udp ip dport 5060 classid 1:10", V6(.hbh = true));
	NOMATCH("match ip dport 5061 classid 1:10", V6(.hbh = true));
	MATCH("match ip6 src 2001:db8::/32 classid 1:10", V6(.vlan = 3));
	return 0;
}

static int
test_dscp_proto(void)
{
	MATCH("match ip dscp 46 classid 1:10", .tos = 46 << 2);
	MATCH("match ip dscp 46 classid 1:10", .tos = 46 << 2 | 3); /* ECN ignored */
	NOMATCH("match ip dscp 46 classid 1:10", .tos = 45 << 2);
	NOMATCH("match ip dscp 0 classid 1:10", .type = 0x0806);
	MATCH("match ip dscp 0 classid 1:10");
	/* IPv6's traffic class. */
	MATCH("match ip dscp 46 classid 1:10", V6(.tos = 46 << 2 | 1));
	NOMATCH("match ip dscp 46 classid 1:10", V6(.tos = 10 << 2));
	MATCH("match ip proto udp classid 1:10");
	NOMATCH("match ip proto tcp classid 1:10");
	MATCH("match ip proto tcp classid 1:10", .proto = 6);
	MATCH("match ip proto icmp classid 1:10", .proto = 1);
	MATCH("match ip proto 47 classid 1:10", .proto = 47);
	MATCH("match ip proto icmpv6 classid 1:10", V6(.proto = 58));
	MATCH("match ip proto sctp classid 1:10", V6(.proto = 132));
	return 0;
}

static int
test_ports(void)
{
	MATCH("match ip dport 5060 classid 1:10");
	NOMATCH("match ip dport 5061 classid 1:10");
	MATCH("match ip sport 1000 classid 1:10");
	NOMATCH("match ip sport 5060 classid 1:10");
	MATCH("match ip proto tcp ip dport 5060 classid 1:10", .proto = 6);
	NOMATCH("match ip proto tcp ip dport 5060 classid 1:10"); /* UDP */
	MATCH("match ip dport 5060 classid 1:10", .proto = 6);
	MATCH("match ip dport 5060 classid 1:10", .proto = 132);
	/* No ports in ICMP or GRE, whatever the bytes say. */
	NOMATCH("match ip dport 5060 classid 1:10", .proto = 1);
	NOMATCH("match ip dport 5060 classid 1:10", .proto = 47);
	/* Ranges, both ends included. */
	MATCH("match ip dport 5000-5100 classid 1:10");
	MATCH("match ip dport 5060-5060 classid 1:10");
	MATCH("match ip dport 5060-5070 classid 1:10");
	MATCH("match ip dport 5050-5060 classid 1:10");
	NOMATCH("match ip dport 5061-5070 classid 1:10");
	NOMATCH("match ip dport 5000-5059 classid 1:10");
	MATCH("match ip sport 1000-1000 ip dport 0-65535 classid 1:10");
	NOMATCH("match ip sport 1001-2000 ip dport 0-65535 classid 1:10");
	MATCH("match ip sport 999-1001 ip dport 5060 classid 1:10", V6(.proto = 6));
	/* Non-first fragments have no ports; the first has them. */
	NOMATCH("match ip dport 5060 classid 1:10", .frag = 185);
	MATCH("match ip dport 5060 classid 1:10", .frag = 0x2000); /* MF, offset 0 */
	MATCH("match ip dst 192.168.1.1 classid 1:10", .frag = 185);
	return 0;
}

/* A frame too short for a field never matches on it, and nothing past the data is read. */
static int
test_short(void)
{
	/* 14 + 20 + 4: the ports just fit; one byte less and they do not. */
	MATCH("match ip dport 5060 classid 1:10", .cut = 38);
	NOMATCH("match ip dport 5060 classid 1:10", .cut = 37);
	MATCH("match ip dst 192.168.1.1 classid 1:10", .cut = 37);
	NOMATCH("match ip dst 192.168.1.1 classid 1:10", .cut = 33);
	MATCH("protocol ip classid 1:10", .cut = 14);
	NOMATCH("match ip dscp 0 classid 1:10", .cut = 33);
	NOMATCH("protocol ip classid 1:10", .cut = 13);
	/* IPv4 options cut short: no header. */
	NOMATCH("match ip dst 192.168.1.1 classid 1:10", .ihl = 8, .cut = 14 + 28);
	/* A cut tag. */
	NOMATCH("match vlan_id 10 classid 1:10", .vlan = 10, .cut = 17);
	MATCH("match vlan_id 10 classid 1:10", .vlan = 10, .cut = 18);
	NOMATCH("protocol ip classid 1:10", .vlan = 10, .cut = 17);
	/* IPv6: 14 + 40 + 4. */
	MATCH("match ip6 dst fd00::1 ip dport 5060 classid 1:10", V6(.cut = 58));
	NOMATCH("match ip6 dst fd00::1 ip dport 5060 classid 1:10", V6(.cut = 57));
	NOMATCH("match ip6 dst fd00::1 classid 1:10", V6(.cut = 53));
	/* hop-by-hop cut short */
	NOMATCH("match ip proto udp classid 1:10", V6(.hbh = true, .cut = 14 + 40 + 4));
	/* Headers must be in the first segment: the rest of the chain is not read. */
	MATCH("match ip dport 5060 classid 1:10", .seg2 = 38);
	NOMATCH("match ip dport 5060 classid 1:10", .seg2 = 37);
	NOMATCH("match ip dst 192.168.1.1 classid 1:10", .seg2 = 20);
	return 0;
}
#undef V6

/* ---- chains ---- */

static int
add(struct sn_filter_chain *c, const char *cmd)
{
	struct sn_filter_spec f;
	char err[128];
	int rc = parse(cmd, &f, err, sizeof(err));

	if (rc != 0) {
		fprintf(stderr, "parse '%s': %s\n", cmd, err);
		return rc;
	}
	return sn_filter_chain_add(c, &f);
}

static uint32_t
classify(struct sn_filter_chain *c, struct pkt d)
{
	struct rte_mbuf *m = frame(&d);
	uint32_t r;

	if (m == NULL)
		return ~0u;
	r = sn_filter_classify(c, m);
	rte_pktmbuf_free(m);
	return r;
}

static int
test_chain_order(void)
{
	struct sn_filter_chain *c = sn_filter_chain_create(0, SOCKET_ID_ANY);
	struct sn_filter_info info[8];

	SN_ASSERT(c != NULL, "create");
	SN_ASSERT_EQ(sn_filter_classify(c, NULL), 0); /* empty: no packet is read */
	/* Added out of order; evaluated by priority. */
	SN_ASSERT_EQ(add(c, "prio 20 match ip dst 192.168.0.0/16 classid 1:20"), 0);
	SN_ASSERT_EQ(add(c, "prio 10 match ip dport 5060 classid 1:10"), 0);
	SN_ASSERT_EQ(add(c, "prio 30 protocol ip classid 1:30"), 0);
	/* Equal priority: insertion order. */
	SN_ASSERT_EQ(add(c, "prio 20 match ip src 10.0.0.0/8 classid 1:21"), 0);
	SN_ASSERT_EQ(sn_filter_chain_walk(c, info, RTE_DIM(info)), 4);
	SN_ASSERT_EQ(info[0].spec.prio, 10);
	SN_ASSERT_EQ(info[1].spec.classid, 0x10020);
	SN_ASSERT_EQ(info[2].spec.classid, 0x10021);
	SN_ASSERT_EQ(info[3].spec.prio, 30);

	/* All match: the lowest priority wins. */
	SN_ASSERT_EQ(classify(c, PKT()), 0x10010);
	/* dport differs: prio 20, first added. */
	SN_ASSERT_EQ(classify(c, PKT(.dport = 53)), 0x10020);
	SN_ASSERT_EQ(classify(c, PKT(.dport = 53, .dst = "172.16.0.1")), 0x10021);
	SN_ASSERT_EQ(classify(c, PKT(.dport = 53, .dst = "172.16.0.1", .src = "1.1.1.1")),
		     0x10030);
	/* No match: 0. */
	SN_ASSERT_EQ(classify(c, PKT(.type = 0x0806)), 0);

	/* Counters: the filter that gave the class, nobody else. */
	SN_ASSERT_EQ(sn_filter_chain_walk(c, info, RTE_DIM(info)), 4);
	SN_ASSERT_EQ(info[0].packets, 1);
	SN_ASSERT_EQ(info[0].bytes, 128);
	SN_ASSERT_EQ(info[1].packets, 1);
	SN_ASSERT_EQ(info[2].packets, 1);
	SN_ASSERT_EQ(info[3].packets, 1);
	sn_filter_chain_stats_reset(c);
	SN_ASSERT_EQ(sn_filter_chain_walk(c, info, RTE_DIM(info)), 4);
	SN_ASSERT_EQ(info[0].packets + info[1].packets + info[3].bytes, 0);

	/* Same priority and same fields: -EEXIST, whatever the class; another prio is fine. */
	SN_ASSERT_EQ(add(c, "prio 10 match ip dport 5060 classid 1:99"), -EEXIST);
	SN_ASSERT_EQ(add(c, "prio 10 match ip dport 5060-5060 classid 1:99"), -EEXIST);
	SN_ASSERT_EQ(add(c, "prio 11 match ip dport 5060 classid 1:99"), 0);

	/* Delete by priority: both prio 20 filters go. */
	SN_ASSERT_EQ(sn_filter_chain_del(c, 20), 2);
	SN_ASSERT_EQ(sn_filter_chain_del(c, 20), -ENOENT);
	SN_ASSERT_EQ(classify(c, PKT(.dport = 53)), 0x10030);
	SN_ASSERT_EQ(sn_filter_chain_del(c, 10), 1);
	SN_ASSERT_EQ(classify(c, PKT()), 0x10099);
	SN_ASSERT_EQ(sn_filter_chain_walk(c, NULL, 0), 2);
	/* prio 0: all of them. */
	SN_ASSERT_EQ(sn_filter_chain_del(c, 0), 2);
	SN_ASSERT_EQ(sn_filter_chain_del(c, 0), 0);
	SN_ASSERT_EQ(classify(c, PKT()), 0);
	/* No prio: tc's default, after the others. */
	SN_ASSERT_EQ(add(c, "protocol ip classid 1:2"), 0);
	SN_ASSERT_EQ(add(c, "prio 1 match ip dport 53 classid 1:1"), 0);
	SN_ASSERT_EQ(sn_filter_chain_walk(c, info, 1), 2);
	SN_ASSERT_EQ(info[0].spec.prio, 1);
	SN_ASSERT_EQ(classify(c, PKT()), 0x10002);
	SN_ASSERT_EQ(classify(c, PKT(.dport = 53)), 0x10001);
	sn_filter_chain_free(c);
	sn_filter_chain_free(NULL);
	return 0;
}

static int
test_chain_limits(void)
{
	struct sn_filter_chain *c = sn_filter_chain_create(3, SOCKET_ID_ANY);
	struct sn_filter_spec f;

	SN_ASSERT(c != NULL, "create");
	SN_ASSERT_EQ(add(c, "prio 3 match ip dport 1 classid 1:1"), 0);
	SN_ASSERT_EQ(add(c, "prio 2 match ip dport 2 classid 1:2"), 0);
	SN_ASSERT_EQ(add(c, "prio 1 match ip dport 3 classid 1:3"), 0);
	SN_ASSERT_EQ(add(c, "prio 1 match ip dport 4 classid 1:4"), -ENOSPC);
	SN_ASSERT_EQ(classify(c, PKT(.dport = 1)), 0x10001);
	SN_ASSERT_EQ(classify(c, PKT(.dport = 3)), 0x10003);
	SN_ASSERT_EQ(sn_filter_chain_del(c, 2), 1);
	SN_ASSERT_EQ(add(c, "prio 1 match ip dport 4 classid 1:4"), 0);
	SN_ASSERT_EQ(classify(c, PKT(.dport = 4)), 0x10004);
	SN_ASSERT_EQ(classify(c, PKT(.dport = 2)), 0);

	/* A spec made by hand is checked like a parsed one. */
	memset(&f, 0, sizeof(f));
	f.classid = 0x10005;
	f.match = SN_FILTER_M_SRC4;
	f.src_len = 8;
	f.src[0] = 10;
	f.src[1] = 1; /* past the prefix */
	SN_ASSERT_EQ(sn_filter_chain_add(c, &f), -EINVAL);
	f.src[1] = 0;
	f.match |= SN_FILTER_M_DST6;
	SN_ASSERT_EQ(sn_filter_chain_add(c, &f), -EINVAL);
	f.match = SN_FILTER_M_VLAN_ID;
	f.vlan_id = 4096;
	SN_ASSERT_EQ(sn_filter_chain_add(c, &f), -EINVAL);
	f.vlan_id = 1;
	f.classid = 0;
	SN_ASSERT_EQ(sn_filter_chain_add(c, &f), -EINVAL);
	f.classid = 1;
	f.match = 1u << 30;
	SN_ASSERT_EQ(sn_filter_chain_add(c, &f), -EINVAL);
	SN_ASSERT_EQ(sn_filter_chain_add(NULL, &f), -EINVAL);
	SN_ASSERT_EQ(sn_filter_chain_del(NULL, 1), -EINVAL);
	SN_ASSERT(sn_filter_chain_create(70000, SOCKET_ID_ANY) == NULL, "capacity");
	SN_ASSERT_EQ(rte_errno, EINVAL);
	sn_filter_chain_free(c);
	return 0;
}

/* ---- words ---- */

static int
test_parse(void)
{
	struct sn_filter_spec f;
	char err[160];

	SN_ASSERT_EQ(parse("prio 1 match ip dst 10.0.0.0/8 ip dport 5060 ip dscp 46 classid 1:10",
			   &f, err, sizeof(err)), 0);
	SN_ASSERT_EQ(f.prio, 1);
	SN_ASSERT_EQ(f.classid, 0x00010010);
	SN_ASSERT_EQ(f.match, SN_FILTER_M_DST4 | SN_FILTER_M_DPORT | SN_FILTER_M_DSCP);
	SN_ASSERT_EQ(f.dst[0], 10);
	SN_ASSERT_EQ(f.dst_len, 8);
	SN_ASSERT_EQ(f.dport_min, 5060);
	SN_ASSERT_EQ(f.dport_max, 5060);
	SN_ASSERT_EQ(f.dscp, 46);
	/* flowid, protocol before match, u32's repeated match, bits past the prefix cleared. */
	SN_ASSERT_EQ(parse("protocol ip prio 7 match ip src 10.1.2.3/8 match ip sport 10-20 "
			   "flowid 1:a", &f, err, sizeof(err)), 0);
	SN_ASSERT_EQ(f.classid, 0x1000a);
	SN_ASSERT_EQ(f.protocol, 0x0800);
	SN_ASSERT_EQ(f.src[1], 0);
	SN_ASSERT_EQ(f.sport_min, 10);
	SN_ASSERT_EQ(f.sport_max, 20);
	SN_ASSERT_EQ(parse("classid 1:1", &f, err, sizeof(err)), 0);
	SN_ASSERT_EQ(f.prio, SN_FILTER_PRIO_DEFAULT);
	SN_ASSERT_EQ(f.match, 0);
	return 0;
}

static int
test_parse_errors(void)
{
	static const struct {
		const char *cmd;
		const char *err; /* the start of the message: the word at fault */
	} bad[] = {
		{ "prio 1 match ip dst 10.0.0.0/33 classid 1:10", "ip dst: '10.0.0.0/33'" },
		{ "prio 1 match ip dst 10.0.0 classid 1:10", "ip dst: '10.0.0'" },
		{ "match ip6 src 2001:db8::/129 classid 1:10", "ip6 src: '2001:db8::/129'" },
		{ "match ip6 src 10.0.0.1 classid 1:10", "ip6 src: '10.0.0.1'" },
		{ "match ip dport 70000 classid 1:10", "ip dport: '70000'" },
		{ "match ip dport 20-10 classid 1:10", "ip dport: '20-10'" },
		{ "match ip dport 1- classid 1:10", "ip dport: '1-'" },
		{ "match ip sport -5 classid 1:10", "ip sport: '-5'" },
		{ "match ip dscp 64 classid 1:10", "ip dscp: '64'" },
		{ "match ip proto foo classid 1:10", "ip proto: 'foo'" },
		{ "match ip proto 256 classid 1:10", "ip proto: '256'" },
		{ "match vlan_id 4096 classid 1:10", "vlan_id: '4096'" },
		{ "match vlan_prio 8 classid 1:10", "vlan_prio: '8'" },
		{ "match ip foo 1 classid 1:10", "ip foo: unknown ip field" },
		{ "match ip6 dscp 1 classid 1:10", "ip6 dscp: unknown ip6 field" },
		{ "match ip", "ip: missing field" },
		{ "match ip dst", "ip dst: missing value" },
		{ "match tcp dport 1 classid 1:10", "tcp: unknown match field" },
		{ "prio 1 frobnicate classid 1:10", "frobnicate: unknown word" },
		{ "prio x classid 1:10", "prio: 'x'" },
		{ "prio", "prio: missing value" },
		{ "prio 1 prio 2 classid 1:10", "prio: given twice" },
		{ "match ip dport 1 ip dport 2 classid 1:10", "ip dport: given twice" },
		{ "protocol foo classid 1:10", "protocol: 'foo'" },
		{ "protocol 0x10000 classid 1:10", "protocol: '0x10000'" },
		{ "classid 1: ", "classid: '1:'" },
		{ "classid x", "classid: 'x'" },
		{ "classid 1:1 flowid 1:2", "flowid: given twice" },
		{ "prio 1 match ip dport 5060", "classid: missing" },
		{ "match ip src 10.0.0.0/8 ip6 dst ::1 classid 1:1", "ip6 dst: an IPv4 and an IPv6" },
		{ "protocol ipv6 match ip src 10.0.0.0/8 classid 1:1", "ip src: an IPv4 address" },
		{ "match ip dst 10.0.0.1 protocol ipv6 classid 1:1", "protocol: an IPv4 address" },
		{ "protocol ip match ip6 src ::1 classid 1:1", "ip6 src: an IPv6 address" },
		{ "protocol arp match ip dscp 1 classid 1:1", "ip dscp: an IP field" },
		{ "match ip proto icmp ip dport 1 classid 1:1", "ip dport: ports need" },
		{ "match ip dport 1 ip proto icmp classid 1:1", "ip proto: ports need" },
	};
	struct sn_filter_spec f;
	char err[160];
	unsigned int i;

	for (i = 0; i < RTE_DIM(bad); i++) {
		err[0] = '\0';
		SN_ASSERT_EQ(parse(bad[i].cmd, &f, err, sizeof(err)), -EINVAL);
		SN_ASSERT(strncmp(err, bad[i].err, strlen(bad[i].err)) == 0,
			  "'%s': error '%s', expected '%s...'", bad[i].cmd, err, bad[i].err);
		SN_ASSERT(strchr(err, '\n') == NULL, "one line: '%s'", err);
	}
	/* NULL words, NULL err. */
	SN_ASSERT_EQ(sn_filter_parse(1, (const char *const[]){ NULL }, &f, err, sizeof(err)),
		     -EINVAL);
	SN_ASSERT_EQ(sn_filter_parse(0, NULL, NULL, NULL, 0), -EINVAL);
	SN_ASSERT_EQ(sn_filter_parse(1, (const char *const[]){ "x" }, &f, NULL, 0), -EINVAL);
	return 0;
}

static int
test_print_roundtrip(void)
{
	static const struct {
		const char *cmd;
		const char *text; /* what it prints */
	} cases[] = {
		{ "prio 1 match ip dst 10.0.0.0/8 ip dport 5060 ip dscp 46 classid 1:10",
		  "prio 1 match ip dst 10.0.0.0/8 ip dscp 46 ip dport 5060 classid 1:10" },
		{ "classid 1:1", "prio 49152 classid 1:1" },
		{ "protocol arp flowid 2:ffff", "prio 49152 protocol arp classid 2:ffff" },
		{ "protocol 0x88cc classid 1:1", "prio 49152 protocol 0x88cc classid 1:1" },
		{ "protocol 802.1ad prio 4 match vlan_prio 3 vlan_id 100 classid 1:5",
		  "prio 4 protocol 802.1ad match vlan_id 100 vlan_prio 3 classid 1:5" },
		{ "protocol ipv6 match ip6 src 2001:db8::/32 ip6 dst fd00::1 ip proto tcp "
		  "ip sport 1-1023 classid 1:7",
		  "prio 49152 protocol ipv6 match ip6 src 2001:db8::/32 ip6 dst fd00::1/128 "
		  "ip proto tcp ip sport 1-1023 classid 1:7" },
		{ "match ip src 10.1.2.3/24 ip proto 47 classid 1:7",
		  "prio 49152 match ip src 10.1.2.0/24 ip proto 47 classid 1:7" },
		{ "match ip dport 100-100 ip proto icmpv6 classid 1:7", NULL }, /* refused */
		{ "prio 4294967295 match ip proto sctp ip dport 0-65535 classid ffff:1",
		  "prio 4294967295 match ip proto sctp ip dport 0-65535 classid ffff:1" },
	};
	struct sn_filter_spec f, g;
	char err[160], text[256], again[256];
	const char *argv[MAX_WORDS];
	unsigned int i;
	int n, argc;

	for (i = 0; i < RTE_DIM(cases); i++) {
		int rc = parse(cases[i].cmd, &f, err, sizeof(err));

		if (cases[i].text == NULL) {
			SN_ASSERT_EQ(rc, -EINVAL);
			continue;
		}
		SN_ASSERT(rc == 0, "'%s': %s", cases[i].cmd, err);
		n = sn_filter_print(&f, text, sizeof(text));
		SN_ASSERT_EQ(n, strlen(text));
		SN_ASSERT(strcmp(text, cases[i].text) == 0, "printed '%s', expected '%s'", text,
			  cases[i].text);
		argc = split(text, again, sizeof(again), argv);
		SN_ASSERT(sn_filter_parse(argc, argv, &g, err, sizeof(err)) == 0, "'%s': %s",
			  text, err);
		SN_ASSERT(memcmp(&f, &g, sizeof(f)) == 0, "'%s' parses back differently", text);
	}
	/* snprintf semantics. */
	SN_ASSERT_EQ(parse("prio 1 match ip dport 5060 classid 1:10", &f, err, sizeof(err)), 0);
	n = sn_filter_print(&f, NULL, 0);
	SN_ASSERT_EQ(n, strlen("prio 1 match ip dport 5060 classid 1:10"));
	SN_ASSERT_EQ(sn_filter_print(&f, text, 8), n);
	SN_ASSERT(strcmp(text, "prio 1 ") == 0, "cut: '%s'", text);
	SN_ASSERT_EQ(sn_filter_print(NULL, text, sizeof(text)), -EINVAL);
	SN_ASSERT_EQ(sn_filter_print(&f, NULL, 4), -EINVAL);
	return 0;
}

static int
test_print_json(void)
{
	struct sn_filter_spec f;
	char err[160], text[512];

	SN_ASSERT_EQ(parse("prio 1 protocol ip match ip dst 10.0.0.0/8 ip dport 5060 ip dscp 46 "
			   "ip proto udp ip sport 1-9 classid 1:10", &f, err, sizeof(err)), 0);
	SN_ASSERT(sn_filter_print_json(&f, text, sizeof(text)) > 0, "print");
	SN_ASSERT(strcmp(text, "\"prio\": 1, \"protocol\": \"ip\", \"match\": {\"dst_ip\": "
			 "\"10.0.0.0/8\", \"dscp\": 46, \"ip_proto\": \"udp\", \"src_port\": "
			 "\"1-9\", \"dst_port\": 5060}, \"classid\": \"1:10\"") == 0,
		  "json: %s", text);
	SN_ASSERT_EQ(parse("match vlan_id 3 ip6 src ::1 ip proto 200 classid 1:10", &f, err,
			   sizeof(err)), 0);
	SN_ASSERT(sn_filter_print_json(&f, text, sizeof(text)) > 0, "print");
	SN_ASSERT(strcmp(text, "\"prio\": 49152, \"match\": {\"vlan_id\": 3, \"src_ip\": "
			 "\"::1/128\", \"ip_proto\": 200}, \"classid\": \"1:10\"") == 0,
		  "json: %s", text);
	return 0;
}

int
main(void)
{
	unsigned int base;
	int rc;

	sn_test_init("filter", "0", NULL);
	mp = sn_test_pool("filter_pool", 64);
	if (mp == NULL)
		return SN_TEST_FAIL;
	base = rte_mempool_in_use_count(mp);
	SN_RUN(test_parse);
	SN_RUN(test_parse_errors);
	SN_RUN(test_print_roundtrip);
	SN_RUN(test_print_json);
	SN_RUN(test_protocol);
	SN_RUN(test_vlan);
	SN_RUN(test_ipv4);
	SN_RUN(test_ipv6);
	SN_RUN(test_dscp_proto);
	SN_RUN(test_ports);
	SN_RUN(test_short);
	SN_RUN(test_chain_order);
	SN_RUN(test_chain_limits);
	rc = sn_test_pool_check(mp, base);
	rte_mempool_free(mp);
	sn_test_fini();
	return rc;
}
