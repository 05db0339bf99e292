/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Filters (sn_filter.h): tc's flower re-implemented as a small compiled
 * matcher (the kernel's cls_flower.c: fl_classify() builds a flow key from
 * the packet, then compares it under each filter's mask).
 *
 * Compiled once, at add: every filter becomes a value and a mask over one
 * fixed 48-byte flow key (six 64-bit words), the span of words its mask
 * touches, the deepest header layer it needs, and port ranges (the only
 * fields a mask cannot say). Header presence is part of the key (its flags
 * byte): a filter on `ip dport` requires the "ports read" flag, so a frame
 * too short for its ports, a non-first fragment or an ICMP packet simply
 * fails the compare.
 *
 * Per packet: the key is built lazily, one layer at a time, only as deep as
 * the filters tried so far need (L2, then L3, then L4), from the first
 * segment's data only. Each filter then costs a masked compare of the words
 * it touches (one or two for most filters) and, rarely, a range check.
 *
 * Locking: none here (see sn_filter.h): the chain's owner serialises every
 * call, with its root lock. add and del work in place in arrays allocated
 * at create, so they stay cheap under that lock.
 */

#include <arpa/inet.h>
#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "sched_private.h"
#include "sn_filter.h"
#include "sn_sched.h"
#include "sn_tc_units.h"

#define ETH_HLEN 14
#define ETH_P_IP 0x0800
#define ETH_P_IPV6 0x86dd
#define ETH_P_ARP 0x0806
#define ETH_P_8021Q 0x8100
#define ETH_P_8021AD 0x88a8

#define IPPROTO_HOPOPTS_ 0
#define IPPROTO_ICMP_ 1
#define IPPROTO_TCP_ 6
#define IPPROTO_UDP_ 17
#define IPPROTO_ICMPV6_ 58
#define IPPROTO_SCTP_ 132

/* Flags of the flow key: which headers were found, whole. */
#define FK_ETH 0x01  /* Ethernet header: eth_type valid */
#define FK_VLAN 0x02 /* one tag (in line or TX offload): vlan_tpid, vlan_tci valid */
#define FK_IP 0x04   /* an IPv4 or IPv6 header: tos, ip_proto valid */
#define FK_IP4 0x08  /* IPv4: src, dst are IPv4 addresses */
#define FK_IP6 0x10  /* IPv6: src, dst are IPv6 addresses */
#define FK_L4 0x20   /* TCP, UDP or SCTP ports: sport, dport valid */

/* Header layers, in the order they are read. */
enum { LV_NONE, LV_L2, LV_L3, LV_L4 };

/*
 * The flow key: what a filter can look at, six 64-bit words. The words are
 * built in registers and stored whole (a key built with narrow stores and
 * compared with wide loads would stall on store forwarding at every word):
 *   w[0]: eth_type | vlan_tci << 16 | vlan_tpid << 32 | flags << 48 | ip_proto << 56
 *         (eth_type: the network-layer type, through one tag; vlan_tpid 0:
 *         untagged; flags FK_*), host order;
 *   w[1]: tos | sport << 32 | dport << 48 (tos: IPv4 TOS or IPv6 traffic class);
 *   w[2..3]: source address, w[4..5]: destination address, as the bytes on
 *         the wire (IPv4: the first 4 bytes of w[2] / w[4]).
 */
#define SN_FK_WORDS 6

#define FK_W0(eth, tci, tpid, flags, proto) \
	((uint64_t)(eth) | (uint64_t)(tci) << 16 | (uint64_t)(tpid) << 32 | \
	 (uint64_t)(flags) << 48 | (uint64_t)(proto) << 56)
#define FK_W1(tos, sport, dport) \
	((uint64_t)(tos) | (uint64_t)(sport) << 32 | (uint64_t)(dport) << 48)
#define FK_SRC 2
#define FK_DST 4

#define FK_ETH_TYPE(w0) ((uint16_t)(w0))
#define FK_IP_PROTO(w0) ((uint8_t)((w0) >> 56))
#define FK_SPORT(w1) ((uint16_t)((w1) >> 32))
#define FK_DPORT(w1) ((uint16_t)((w1) >> 48))

union sn_fkey {
	uint64_t w[SN_FK_WORDS];
	uint8_t b[SN_FK_WORDS * 8];
};

/* One compiled filter: what classify reads, two cache lines. */
struct sn_cls_entry {
	uint64_t val[SN_FK_WORDS];
	uint64_t mask[SN_FK_WORDS];
	uint32_t classid;
	uint8_t w_lo, w_hi; /* words [w_lo, w_hi) have a non-zero mask */
	uint8_t need;       /* LV_*: deepest layer the filter looks at */
	uint8_t ranges;     /* RANGE_*: port ranges to check after the masks */
	uint16_t sport_min, sport_max;
	uint16_t dport_min, dport_max;
	uint64_t packets;   /* counters: plain adds, under the owner's root lock */
	uint64_t bytes;
} __rte_aligned(64);

static_assert(sizeof(struct sn_cls_entry) == 128, "a compiled filter is two cache lines");

#define RANGE_SPORT 0x1
#define RANGE_DPORT 0x2

struct sn_filter_chain {
	uint32_t n;                   /* filters, ent[0..n) in evaluation order */
	uint32_t cap;
	struct sn_cls_entry *ent;     /* hot: compiled filters */
	struct sn_filter_spec *spec;  /* cold: as written (prio in force), same index */
};

/* ---- the packet's flow key, built lazily ---- */

struct sn_fparse {
	union sn_fkey k;
	const uint8_t *p;  /* first segment's data */
	uint32_t len;      /* its data_len */
	uint32_t l3off;    /* offset of the network header */
	uint32_t l4off;    /* offset of the transport header, 0: none usable */
	uint8_t level;     /* LV_*: layers read so far */
};

static inline uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline void
fk_l2(struct sn_fparse *s, const struct rte_mbuf *m)
{
	uint16_t type, tci = 0, tpid = 0;
	uint8_t flags = FK_ETH;

	memset(&s->k, 0, sizeof(s->k));
	s->p = rte_pktmbuf_mtod(m, const uint8_t *);
	s->len = m->data_len; /* headers must be in the first segment */
	s->l3off = 0;
	s->l4off = 0;
	s->level = LV_L2;
	if (s->len < ETH_HLEN)
		return;
	type = rd16(s->p + 12);
	if (type == ETH_P_8021Q || type == ETH_P_8021AD) {
		if (s->len < ETH_HLEN + 4) {
			/* A cut tag: eth_type stays the TPID, nothing above. */
			s->k.w[0] = FK_W0(type, 0, 0, flags, 0);
			return;
		}
		flags |= FK_VLAN;
		tpid = type;
		tci = rd16(s->p + 14);
		type = rd16(s->p + 16);
		s->l3off = ETH_HLEN + 4;
	} else {
		if (m->ol_flags & RTE_MBUF_F_TX_VLAN) {
			/* The NIC inserts the tag: it is the frame's all the same. */
			flags |= FK_VLAN;
			tpid = ETH_P_8021Q;
			tci = m->vlan_tci;
		}
		s->l3off = ETH_HLEN;
	}
	s->k.w[0] = FK_W0(type, tci, tpid, flags, 0);
}

static inline void
fk_l3(struct sn_fparse *s)
{
	const uint8_t *h = s->p + s->l3off;
	uint32_t room = s->len - s->l3off;
	uint16_t type = FK_ETH_TYPE(s->k.w[0]);

	s->level = LV_L3;
	if (s->l3off == 0)
		return;
	if (type == ETH_P_IP) {
		uint64_t a = 0, b = 0;
		uint32_t hl;

		if (room < 20 || (h[0] >> 4) != 4)
			return;
		hl = (uint32_t)(h[0] & 0xf) * 4;
		if (hl < 20 || room < hl)
			return; /* options cut short: the header is not whole */
		s->k.w[0] |= FK_W0(0, 0, 0, FK_IP | FK_IP4, h[9]);
		s->k.w[1] = FK_W1(h[1], 0, 0);
		memcpy(&a, h + 12, 4);
		memcpy(&b, h + 16, 4);
		s->k.w[FK_SRC] = a;
		s->k.w[FK_DST] = b;
		/* A non-first fragment carries no transport header. */
		if ((rd16(h + 6) & 0x1fff) == 0)
			s->l4off = s->l3off + hl;
	} else if (type == ETH_P_IPV6) {
		uint32_t off = s->l3off + 40;
		uint8_t nh;

		if (room < 40 || (h[0] >> 4) != 6)
			return;
		s->k.w[1] = FK_W1((uint8_t)(rd16(h) >> 4), 0, 0);
		memcpy(&s->k.w[FK_SRC], h + 8, 32);
		nh = h[6];
		/* Hop-by-hop options only; other extension headers end the walk. */
		if (nh == IPPROTO_HOPOPTS_) {
			if (s->len < off + 8) {
				s->k.w[0] |= FK_W0(0, 0, 0, FK_IP | FK_IP6, nh);
				return;
			}
			nh = s->p[off];
			off += ((uint32_t)s->p[off + 1] + 1) * 8;
		}
		s->k.w[0] |= FK_W0(0, 0, 0, FK_IP | FK_IP6, nh);
		s->l4off = off;
	}
}

static inline void
fk_l4(struct sn_fparse *s)
{
	uint8_t proto = FK_IP_PROTO(s->k.w[0]);

	s->level = LV_L4;
	if (s->l4off == 0 || s->len < 4 || s->l4off > s->len - 4)
		return;
	if (proto != IPPROTO_TCP_ && proto != IPPROTO_UDP_ && proto != IPPROTO_SCTP_)
		return;
	s->k.w[0] |= FK_W0(0, 0, 0, FK_L4, 0);
	s->k.w[1] |= FK_W1(0, rd16(s->p + s->l4off), rd16(s->p + s->l4off + 2));
}

static void
fk_extend(struct sn_fparse *s, const struct rte_mbuf *m, uint8_t need)
{
	if (s->level < LV_L2)
		fk_l2(s, m);
	if (need >= LV_L3 && s->level < LV_L3)
		fk_l3(s);
	if (need >= LV_L4 && s->level < LV_L4)
		fk_l4(s);
}

static inline bool
cls_match(const struct sn_cls_entry *e, const union sn_fkey *k)
{
	unsigned int i;

	for (i = e->w_lo; i < e->w_hi; i++)
		if ((k->w[i] & e->mask[i]) != e->val[i])
			return false;
	if (unlikely(e->ranges != 0)) {
		uint16_t sport = FK_SPORT(k->w[1]), dport = FK_DPORT(k->w[1]);

		if ((e->ranges & RANGE_SPORT) && (sport < e->sport_min || sport > e->sport_max))
			return false;
		if ((e->ranges & RANGE_DPORT) && (dport < e->dport_min || dport > e->dport_max))
			return false;
	}
	return true;
}

uint32_t
sn_filter_classify(struct sn_filter_chain *c, const struct rte_mbuf *m)
{
	struct sn_fparse s;
	uint32_t i;

	if (c == NULL)
		return 0;
	s.level = LV_NONE;
	for (i = 0; i < c->n; i++) {
		struct sn_cls_entry *e = &c->ent[i];

		if (e->need > s.level)
			fk_extend(&s, m, e->need);
		if (cls_match(e, &s.k)) {
			e->packets++;
			e->bytes += rte_pktmbuf_pkt_len(m);
			return e->classid;
		}
	}
	return 0;
}

/* ---- checking and compiling a spec ---- */

#define M_ADDR4 (SN_FILTER_M_SRC4 | SN_FILTER_M_DST4)
#define M_ADDR6 (SN_FILTER_M_SRC6 | SN_FILTER_M_DST6)
#define M_PORTS (SN_FILTER_M_SPORT | SN_FILTER_M_DPORT)
#define M_L3 (M_ADDR4 | M_ADDR6 | SN_FILTER_M_DSCP | SN_FILTER_M_IP_PROTO | M_PORTS)

static bool
is_tag(uint16_t proto)
{
	return proto == ETH_P_8021Q || proto == ETH_P_8021AD;
}

static bool
has_ports(uint8_t proto)
{
	return proto == IPPROTO_TCP_ || proto == IPPROTO_UDP_ || proto == IPPROTO_SCTP_;
}

/* Fields that cannot all hold for one packet; NULL if they can. */
static const char *
cls_conflict(const struct sn_filter_spec *f)
{
	uint32_t m = f->match;

	if ((m & M_ADDR4) && (m & M_ADDR6))
		return "an IPv4 and an IPv6 address in one filter";
	if ((m & SN_FILTER_M_PROTOCOL) && !is_tag(f->protocol)) {
		if (f->protocol == ETH_P_IP && (m & M_ADDR6))
			return "an IPv6 address with protocol ip";
		if (f->protocol == ETH_P_IPV6 && (m & M_ADDR4))
			return "an IPv4 address with protocol ipv6";
		if (f->protocol != ETH_P_IP && f->protocol != ETH_P_IPV6 && (m & M_L3))
			return "an IP field with a protocol other than ip or ipv6";
	}
	if ((m & M_PORTS) && (m & SN_FILTER_M_IP_PROTO) && !has_ports(f->ip_proto))
		return "ports need ip proto tcp, udp or sctp";
	return NULL;
}

static void
prefix_mask(uint8_t *mask, unsigned int alen, unsigned int plen)
{
	unsigned int i;

	for (i = 0; i < alen; i++) {
		unsigned int bits = plen > 8 * i ? RTE_MIN(plen - 8 * i, 8u) : 0;

		mask[i] = bits == 0 ? 0 : (uint8_t)(0xff << (8 - bits));
	}
}

/* Are the bits of @addr past @plen zero? */
static bool
prefix_clean(const uint8_t *addr, unsigned int alen, unsigned int plen)
{
	uint8_t mask[16];
	unsigned int i;

	prefix_mask(mask, alen, plen);
	for (i = 0; i < alen; i++)
		if (addr[i] & ~mask[i])
			return false;
	return true;
}

/*
 * Check @f (any source: the parser or a library user) and copy it into
 * @out with the fields it does not use zeroed and its priority in force.
 * NULL or why not.
 */
static const char *
cls_normalise(const struct sn_filter_spec *f, struct sn_filter_spec *out)
{
	uint32_t m = f->match;
	const char *why;

	if (m & ~SN_FILTER_M_ALL)
		return "unknown match bits";
	if (f->classid == 0)
		return "no classid";
	memset(out, 0, sizeof(*out));
	out->prio = f->prio != 0 ? f->prio : SN_FILTER_PRIO_DEFAULT;
	out->classid = f->classid;
	out->match = m;
	if (m & SN_FILTER_M_PROTOCOL) {
		if (f->protocol == 0)
			return "protocol 0";
		out->protocol = f->protocol;
	}
	if (m & SN_FILTER_M_VLAN_ID) {
		if (f->vlan_id > 4095)
			return "vlan_id over 4095";
		out->vlan_id = f->vlan_id;
	}
	if (m & SN_FILTER_M_VLAN_PRIO) {
		if (f->vlan_prio > 7)
			return "vlan_prio over 7";
		out->vlan_prio = f->vlan_prio;
	}
	if (m & (SN_FILTER_M_SRC4 | SN_FILTER_M_SRC6)) {
		unsigned int alen = (m & SN_FILTER_M_SRC4) ? 4 : 16;

		if (f->src_len > alen * 8 || !prefix_clean(f->src, alen, f->src_len))
			return "bad source prefix";
		out->src_len = f->src_len;
		memcpy(out->src, f->src, alen);
	}
	if (m & (SN_FILTER_M_DST4 | SN_FILTER_M_DST6)) {
		unsigned int alen = (m & SN_FILTER_M_DST4) ? 4 : 16;

		if (f->dst_len > alen * 8 || !prefix_clean(f->dst, alen, f->dst_len))
			return "bad destination prefix";
		out->dst_len = f->dst_len;
		memcpy(out->dst, f->dst, alen);
	}
	if (m & SN_FILTER_M_DSCP) {
		if (f->dscp > 63)
			return "dscp over 63";
		out->dscp = f->dscp;
	}
	if (m & SN_FILTER_M_IP_PROTO)
		out->ip_proto = f->ip_proto;
	if (m & SN_FILTER_M_SPORT) {
		if (f->sport_min > f->sport_max)
			return "source port range upside down";
		out->sport_min = f->sport_min;
		out->sport_max = f->sport_max;
	}
	if (m & SN_FILTER_M_DPORT) {
		if (f->dport_min > f->dport_max)
			return "destination port range upside down";
		out->dport_min = f->dport_min;
		out->dport_max = f->dport_max;
	}
	why = cls_conflict(out);
	return why;
}

static void
cls_compile(const struct sn_filter_spec *f, struct sn_cls_entry *e)
{
	union sn_fkey v, mk;
	uint32_t m = f->match;
	uint16_t eth = 0, eth_m = 0, tci = 0, tci_m = 0, tpid = 0, tpid_m = 0;
	uint16_t sport = 0, sport_m = 0, dport = 0, dport_m = 0;
	uint8_t fl = 0, need = LV_NONE, proto = 0, proto_m = 0, tos = 0, tos_m = 0;
	unsigned int i;

	memset(&v, 0, sizeof(v));
	memset(&mk, 0, sizeof(mk));
	memset(e, 0, sizeof(*e));
	if (m & SN_FILTER_M_PROTOCOL) {
		if (is_tag(f->protocol)) {
			tpid_m = 0xffff;
			tpid = f->protocol;
			fl |= FK_VLAN;
		} else {
			eth_m = 0xffff;
			eth = f->protocol;
			fl |= FK_ETH;
		}
		need = LV_L2;
	}
	if (m & SN_FILTER_M_VLAN_ID) {
		tci_m |= 0x0fff;
		tci |= f->vlan_id;
		fl |= FK_VLAN;
		need = LV_L2;
	}
	if (m & SN_FILTER_M_VLAN_PRIO) {
		tci_m |= 0xe000;
		tci |= (uint16_t)(f->vlan_prio << 13);
		fl |= FK_VLAN;
		need = LV_L2;
	}
	if (m & (SN_FILTER_M_SRC4 | SN_FILTER_M_SRC6)) {
		unsigned int alen = (m & SN_FILTER_M_SRC4) ? 4 : 16;
		uint8_t *mb = &mk.b[FK_SRC * 8], *vb = &v.b[FK_SRC * 8];

		prefix_mask(mb, alen, f->src_len);
		for (i = 0; i < alen; i++)
			vb[i] = f->src[i] & mb[i];
		fl |= FK_IP | (alen == 4 ? FK_IP4 : FK_IP6);
		need = LV_L3;
	}
	if (m & (SN_FILTER_M_DST4 | SN_FILTER_M_DST6)) {
		unsigned int alen = (m & SN_FILTER_M_DST4) ? 4 : 16;
		uint8_t *mb = &mk.b[FK_DST * 8], *vb = &v.b[FK_DST * 8];

		prefix_mask(mb, alen, f->dst_len);
		for (i = 0; i < alen; i++)
			vb[i] = f->dst[i] & mb[i];
		fl |= FK_IP | (alen == 4 ? FK_IP4 : FK_IP6);
		need = LV_L3;
	}
	if (m & SN_FILTER_M_DSCP) {
		tos_m = 0xfc;
		tos = (uint8_t)(f->dscp << 2);
		fl |= FK_IP;
		need = LV_L3;
	}
	if (m & SN_FILTER_M_IP_PROTO) {
		proto_m = 0xff;
		proto = f->ip_proto;
		fl |= FK_IP;
		need = LV_L3;
	}
	if (m & SN_FILTER_M_SPORT) {
		if (f->sport_min == f->sport_max) {
			sport_m = 0xffff;
			sport = f->sport_min;
		} else {
			e->ranges |= RANGE_SPORT;
			e->sport_min = f->sport_min;
			e->sport_max = f->sport_max;
		}
		fl |= FK_IP | FK_L4;
		need = LV_L4;
	}
	if (m & SN_FILTER_M_DPORT) {
		if (f->dport_min == f->dport_max) {
			dport_m = 0xffff;
			dport = f->dport_min;
		} else {
			e->ranges |= RANGE_DPORT;
			e->dport_min = f->dport_min;
			e->dport_max = f->dport_max;
		}
		fl |= FK_IP | FK_L4;
		need = LV_L4;
	}
	mk.w[0] = FK_W0(eth_m, tci_m, tpid_m, fl, proto_m);
	v.w[0] = FK_W0(eth, tci, tpid, fl, proto);
	mk.w[1] = FK_W1(tos_m, sport_m, dport_m);
	v.w[1] = FK_W1(tos, sport, dport);
	e->w_lo = SN_FK_WORDS;
	e->w_hi = 0;
	for (i = 0; i < SN_FK_WORDS; i++) {
		e->mask[i] = mk.w[i];
		e->val[i] = v.w[i];
		if (mk.w[i] != 0) {
			if (e->w_lo == SN_FK_WORDS)
				e->w_lo = (uint8_t)i;
			e->w_hi = (uint8_t)(i + 1);
		}
	}
	if (e->w_hi == 0)
		e->w_lo = 0; /* no field: matches every packet */
	e->need = need;
	e->classid = f->classid;
}

/* Same priority and the same fields: the same filter for tc (classid aside). */
static bool
cls_same(const struct sn_cls_entry *a, const struct sn_filter_spec *as,
	 const struct sn_cls_entry *b, const struct sn_filter_spec *bs)
{
	return as->prio == bs->prio && memcmp(a->val, b->val, sizeof(a->val)) == 0 &&
	       memcmp(a->mask, b->mask, sizeof(a->mask)) == 0 && a->ranges == b->ranges &&
	       a->sport_min == b->sport_min && a->sport_max == b->sport_max &&
	       a->dport_min == b->dport_min && a->dport_max == b->dport_max;
}

/* ---- the chain ---- */

struct sn_filter_chain *
sn_filter_chain_create(unsigned int capacity, int socket)
{
	struct sn_filter_chain *c;

	if (capacity == 0)
		capacity = SN_FILTER_CHAIN_DEFAULT;
	if (capacity > UINT16_MAX) {
		rte_errno = EINVAL;
		return NULL;
	}
	c = rte_zmalloc_socket("sn_filter_chain", sizeof(*c), RTE_CACHE_LINE_SIZE, socket);
	if (c == NULL)
		goto fail;
	c->ent = rte_zmalloc_socket("sn_filter_ent", sizeof(c->ent[0]) * capacity,
				    RTE_CACHE_LINE_SIZE, socket);
	if (c->ent == NULL)
		goto free_chain;
	c->spec = rte_zmalloc_socket("sn_filter_spec", sizeof(c->spec[0]) * capacity,
				     RTE_CACHE_LINE_SIZE, socket);
	if (c->spec == NULL)
		goto free_ent;
	c->cap = capacity;
	return c;

free_ent:
	rte_free(c->ent);
free_chain:
	rte_free(c);
fail:
	rte_errno = ENOMEM;
	return NULL;
}

void
sn_filter_chain_free(struct sn_filter_chain *c)
{
	if (c == NULL)
		return;
	rte_free(c->spec);
	rte_free(c->ent);
	rte_free(c);
}

int
sn_filter_chain_add(struct sn_filter_chain *c, const struct sn_filter_spec *f)
{
	struct sn_filter_spec spec;
	struct sn_cls_entry e;
	uint32_t i, at;

	if (c == NULL || f == NULL)
		return -EINVAL;
	if (cls_normalise(f, &spec) != NULL)
		return -EINVAL;
	cls_compile(&spec, &e);
	at = c->n;
	for (i = 0; i < c->n; i++) {
		if (cls_same(&c->ent[i], &c->spec[i], &e, &spec))
			return -EEXIST;
		if (c->spec[i].prio > spec.prio && at == c->n)
			at = i;
	}
	if (c->n == c->cap)
		return -ENOSPC;
	memmove(&c->ent[at + 1], &c->ent[at], sizeof(c->ent[0]) * (c->n - at));
	memmove(&c->spec[at + 1], &c->spec[at], sizeof(c->spec[0]) * (c->n - at));
	c->ent[at] = e;
	c->spec[at] = spec;
	c->n++;
	return 0;
}

int
sn_filter_chain_del(struct sn_filter_chain *c, uint32_t prio)
{
	uint32_t i, kept = 0;
	int gone;

	if (c == NULL)
		return -EINVAL;
	for (i = 0; i < c->n; i++) {
		if (prio == 0 || c->spec[i].prio == prio)
			continue;
		if (kept != i) {
			c->ent[kept] = c->ent[i];
			c->spec[kept] = c->spec[i];
		}
		kept++;
	}
	gone = (int)(c->n - kept);
	c->n = kept;
	if (gone == 0 && prio != 0)
		return -ENOENT;
	return gone;
}

unsigned int
sn_filter_chain_walk(const struct sn_filter_chain *c, struct sn_filter_info *info, unsigned int n)
{
	uint32_t i;

	if (c == NULL)
		return 0;
	for (i = 0; i < c->n && i < n && info != NULL; i++) {
		info[i].spec = c->spec[i];
		info[i].packets = c->ent[i].packets;
		info[i].bytes = c->ent[i].bytes;
	}
	return c->n;
}

void
sn_filter_chain_stats_reset(struct sn_filter_chain *c)
{
	uint32_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n; i++) {
		c->ent[i].packets = 0;
		c->ent[i].bytes = 0;
	}
}

/* ---- tc's words ---- */

struct cls_name {
	const char *name;
	uint32_t value;
};

static const struct cls_name cls_protocols[] = {
	{ "ip", ETH_P_IP },         { "ipv6", ETH_P_IPV6 },     { "arp", ETH_P_ARP },
	{ "802.1q", ETH_P_8021Q },  { "802.1Q", ETH_P_8021Q },  { "802.1ad", ETH_P_8021AD },
	{ "802.1AD", ETH_P_8021AD },
};

static const struct cls_name cls_ip_protos[] = {
	{ "tcp", IPPROTO_TCP_ },   { "udp", IPPROTO_UDP_ },       { "sctp", IPPROTO_SCTP_ },
	{ "icmp", IPPROTO_ICMP_ }, { "icmpv6", IPPROTO_ICMPV6_ }, { "ipv6-icmp", IPPROTO_ICMPV6_ },
};

static const char *
cls_name_of(const struct cls_name *t, unsigned int n, uint32_t v)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (t[i].value == v)
			return t[i].name;
	return NULL;
}

static bool
cls_value_of(const struct cls_name *t, unsigned int n, const char *s, uint32_t *v)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (strcmp(t[i].name, s) == 0) {
			*v = t[i].value;
			return true;
		}
	}
	return false;
}

/* A number: decimal, or hexadecimal after 0x when @hex; no sign, no space. */
static bool
cls_number(const char *s, bool hex, uint64_t max, uint64_t *out)
{
	unsigned int base = 10;
	uint64_t v = 0;

	if (hex && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++) {
		unsigned int d;

		if (*s >= '0' && *s <= '9')
			d = (unsigned int)(*s - '0');
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = (unsigned int)(*s - 'a' + 10);
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = (unsigned int)(*s - 'A' + 10);
		else
			return false;
		v = v * base + d;
		if (v > max)
			return false;
	}
	*out = v;
	return true;
}

/* "N" or "N-M", N <= M, ports. */
static bool
cls_port_range(const char *s, uint16_t *lo, uint16_t *hi)
{
	const char *dash = strchr(s, '-');
	char first[8];
	uint64_t a, b;

	if (dash == NULL) {
		if (!cls_number(s, false, UINT16_MAX, &a))
			return false;
		*lo = *hi = (uint16_t)a;
		return true;
	}
	if ((size_t)(dash - s) >= sizeof(first))
		return false;
	memcpy(first, s, (size_t)(dash - s));
	first[dash - s] = '\0';
	if (!cls_number(first, false, UINT16_MAX, &a) ||
	    !cls_number(dash + 1, false, UINT16_MAX, &b) || a > b)
		return false;
	*lo = (uint16_t)a;
	*hi = (uint16_t)b;
	return true;
}

/* "ADDR" or "ADDR/LEN" of family @af into @addr (cleared past the prefix). */
static bool
cls_prefix(const char *s, int af, uint8_t *addr, uint8_t *plen)
{
	unsigned int alen = af == AF_INET ? 4 : 16;
	char buf[INET6_ADDRSTRLEN + 8];
	uint8_t mask[16];
	uint64_t len = alen * 8;
	char *slash;
	unsigned int i;

	if (strlen(s) >= sizeof(buf))
		return false;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash != NULL) {
		*slash = '\0';
		if (!cls_number(slash + 1, false, alen * 8, &len))
			return false;
	}
	if (inet_pton(af, buf, addr) != 1)
		return false;
	prefix_mask(mask, alen, (unsigned int)len);
	for (i = 0; i < alen; i++)
		addr[i] &= mask[i];
	*plen = (uint8_t)len;
	return true;
}

#define CLS_FIELDS "vlan_id N, vlan_prio N, ip src|dst PREFIX, ip6 src|dst PREFIX, " \
	"ip dscp N, ip proto P, ip sport N[-M], ip dport N[-M]"
#define CLS_WORDS "prio N, protocol P, match FIELD VALUE ..., classid X:Y"

/* One match field at argv[*i] (and its value words), into @f. */
static int
cls_parse_field(int argc, const char *const argv[], int *i, struct sn_filter_spec *f,
		char *err, size_t errlen)
{
	const char *w = argv[*i], *val;
	char name[32];
	uint32_t bit, v32;
	uint64_t v;
	const char *why;

	if (strcmp(w, "ip") == 0 || strcmp(w, "ip6") == 0) {
		const char *sub;

		if (*i + 1 >= argc || argv[*i + 1] == NULL)
			return sn_qdisc_parse_error(err, errlen, "%s: missing field (%s)", w,
						    w[2] == '6' ? "src, dst" :
						    "src, dst, dscp, proto, sport, dport");
		sub = argv[++*i];
		snprintf(name, sizeof(name), "%s %s", w, sub);
		if (w[2] == '6') {
			if (strcmp(sub, "src") == 0)
				bit = SN_FILTER_M_SRC6;
			else if (strcmp(sub, "dst") == 0)
				bit = SN_FILTER_M_DST6;
			else
				return sn_qdisc_parse_error(err, errlen,
							    "%s: unknown ip6 field (src, dst)", name);
		} else if (strcmp(sub, "src") == 0) {
			bit = SN_FILTER_M_SRC4;
		} else if (strcmp(sub, "dst") == 0) {
			bit = SN_FILTER_M_DST4;
		} else if (strcmp(sub, "dscp") == 0) {
			bit = SN_FILTER_M_DSCP;
		} else if (strcmp(sub, "proto") == 0) {
			bit = SN_FILTER_M_IP_PROTO;
		} else if (strcmp(sub, "sport") == 0) {
			bit = SN_FILTER_M_SPORT;
		} else if (strcmp(sub, "dport") == 0) {
			bit = SN_FILTER_M_DPORT;
		} else {
			return sn_qdisc_parse_error(err, errlen,
						    "%s: unknown ip field (src, dst, dscp, proto, "
						    "sport, dport)", name);
		}
	} else if (strcmp(w, "vlan_id") == 0) {
		snprintf(name, sizeof(name), "%s", w);
		bit = SN_FILTER_M_VLAN_ID;
	} else if (strcmp(w, "vlan_prio") == 0) {
		snprintf(name, sizeof(name), "%s", w);
		bit = SN_FILTER_M_VLAN_PRIO;
	} else {
		return sn_qdisc_parse_error(err, errlen, "%s: unknown match field (%s)", w,
					    CLS_FIELDS);
	}
	if (f->match & bit)
		return sn_qdisc_parse_error(err, errlen, "%s: given twice", name);
	if (*i + 1 >= argc || argv[*i + 1] == NULL)
		return sn_qdisc_parse_error(err, errlen, "%s: missing value", name);
	val = argv[++*i];

	switch (bit) {
	case SN_FILTER_M_VLAN_ID:
		if (!cls_number(val, false, 4095, &v))
			return sn_qdisc_parse_error(err, errlen,
						    "%s: '%s' is not a VLAN id (0..4095)", name, val);
		f->vlan_id = (uint16_t)v;
		break;
	case SN_FILTER_M_VLAN_PRIO:
		if (!cls_number(val, false, 7, &v))
			return sn_qdisc_parse_error(err, errlen,
						    "%s: '%s' is not a VLAN priority (0..7)", name,
						    val);
		f->vlan_prio = (uint8_t)v;
		break;
	case SN_FILTER_M_SRC4:
	case SN_FILTER_M_DST4:
	case SN_FILTER_M_SRC6:
	case SN_FILTER_M_DST6: {
		bool src = bit == SN_FILTER_M_SRC4 || bit == SN_FILTER_M_SRC6;
		int af = (bit & M_ADDR4) ? AF_INET : AF_INET6;

		if (!cls_prefix(val, af, src ? f->src : f->dst, src ? &f->src_len : &f->dst_len))
			return sn_qdisc_parse_error(err, errlen, "%s: '%s' is not an %s prefix",
						    name, val, af == AF_INET ? "IPv4" : "IPv6");
		break;
	}
	case SN_FILTER_M_DSCP:
		if (!cls_number(val, true, 63, &v))
			return sn_qdisc_parse_error(err, errlen, "%s: '%s' is not a DSCP (0..63)",
						    name, val);
		f->dscp = (uint8_t)v;
		break;
	case SN_FILTER_M_IP_PROTO:
		if (cls_value_of(cls_ip_protos, RTE_DIM(cls_ip_protos), val, &v32))
			v = v32;
		else if (!cls_number(val, true, 255, &v))
			return sn_qdisc_parse_error(err, errlen,
						    "%s: '%s' is not a protocol (tcp, udp, sctp, "
						    "icmp, icmpv6, 0..255)", name, val);
		f->ip_proto = (uint8_t)v;
		break;
	case SN_FILTER_M_SPORT:
		if (!cls_port_range(val, &f->sport_min, &f->sport_max))
			return sn_qdisc_parse_error(err, errlen,
						    "%s: '%s' is not a port or a range N-M", name,
						    val);
		break;
	case SN_FILTER_M_DPORT:
		if (!cls_port_range(val, &f->dport_min, &f->dport_max))
			return sn_qdisc_parse_error(err, errlen,
						    "%s: '%s' is not a port or a range N-M", name,
						    val);
		break;
	}
	f->match |= bit;
	why = cls_conflict(f);
	if (why != NULL)
		return sn_qdisc_parse_error(err, errlen, "%s: %s", name, why);
	return 0;
}

int
sn_filter_parse(int argc, const char *const argv[], struct sn_filter_spec *f, char *err,
		size_t errlen)
{
	bool in_match = false, have_prio = false, have_proto = false, have_class = false;
	const char *why;
	int i, rc;

	if (f == NULL || argc < 0 || (argc > 0 && argv == NULL))
		return sn_qdisc_parse_error(err, errlen, "no place for the filter or its words");
	memset(f, 0, sizeof(*f));
	for (i = 0; i < argc; i++) {
		const char *w = argv[i], *val;
		uint64_t v;
		uint32_t v32;

		if (w == NULL)
			return sn_qdisc_parse_error(err, errlen, "word %d is missing", i);
		if (strcmp(w, "prio") == 0 || strcmp(w, "pref") == 0 ||
		    strcmp(w, "preference") == 0) {
			in_match = false;
			if (have_prio)
				return sn_qdisc_parse_error(err, errlen, "%s: given twice", w);
			if (i + 1 >= argc || argv[i + 1] == NULL)
				return sn_qdisc_parse_error(err, errlen, "%s: missing value (N)", w);
			val = argv[++i];
			if (!cls_number(val, false, UINT32_MAX, &v))
				return sn_qdisc_parse_error(err, errlen,
							    "%s: '%s' is not a priority "
							    "(0..4294967295)", w, val);
			f->prio = (uint32_t)v;
			have_prio = true;
		} else if (strcmp(w, "protocol") == 0) {
			in_match = false;
			if (have_proto)
				return sn_qdisc_parse_error(err, errlen, "%s: given twice", w);
			if (i + 1 >= argc || argv[i + 1] == NULL)
				return sn_qdisc_parse_error(err, errlen,
							    "%s: missing value (ip, ipv6, arp, "
							    "802.1q, 802.1ad, all, 0xNNNN)", w);
			val = argv[++i];
			have_proto = true;
			if (strcmp(val, "all") == 0)
				continue;
			if (cls_value_of(cls_protocols, RTE_DIM(cls_protocols), val, &v32))
				v = v32;
			else if (!cls_number(val, true, UINT16_MAX, &v) || v == 0)
				return sn_qdisc_parse_error(err, errlen,
							    "%s: '%s' is not a protocol (ip, ipv6, "
							    "arp, 802.1q, 802.1ad, all, 0xNNNN)", w,
							    val);
			f->protocol = (uint16_t)v;
			f->match |= SN_FILTER_M_PROTOCOL;
			why = cls_conflict(f);
			if (why != NULL)
				return sn_qdisc_parse_error(err, errlen, "%s: %s", w, why);
		} else if (strcmp(w, "classid") == 0 || strcmp(w, "flowid") == 0) {
			in_match = false;
			if (have_class)
				return sn_qdisc_parse_error(err, errlen, "%s: given twice", w);
			if (i + 1 >= argc || argv[i + 1] == NULL)
				return sn_qdisc_parse_error(err, errlen, "%s: missing value (X:Y)",
							    w);
			val = argv[++i];
			if (sn_tc_parse_handle(val, &v32) != 0 || (v32 & 0xffff) == 0)
				return sn_qdisc_parse_error(err, errlen,
							    "%s: '%s' is not a class id (X:Y, hex, "
							    "Y not 0)", w, val);
			f->classid = v32;
			have_class = true;
		} else if (strcmp(w, "match") == 0) {
			in_match = true;
		} else if (in_match) {
			rc = cls_parse_field(argc, argv, &i, f, err, errlen);
			if (rc != 0)
				return rc;
		} else {
			return sn_qdisc_parse_error(err, errlen, "%s: unknown word (%s)", w,
						    CLS_WORDS);
		}
	}
	if (!have_class)
		return sn_qdisc_parse_error(err, errlen, "classid: missing (classid X:Y)");
	if (f->prio == 0)
		f->prio = SN_FILTER_PRIO_DEFAULT;
	return 0;
}

/* ---- printing ---- */

static void
cls_fmt_prefix(char *s, size_t len, int af, const uint8_t *addr, uint8_t plen)
{
	char a[INET6_ADDRSTRLEN];

	if (inet_ntop(af, addr, a, sizeof(a)) == NULL)
		a[0] = '\0';
	snprintf(s, len, "%s/%u", a, plen);
}

static void
cls_fmt_ports(char *s, size_t len, uint16_t lo, uint16_t hi)
{
	if (lo == hi)
		snprintf(s, len, "%u", lo);
	else
		snprintf(s, len, "%u-%u", lo, hi);
}

static void
cls_fmt_protocol(char *s, size_t len, uint16_t proto)
{
	const char *n = cls_name_of(cls_protocols, RTE_DIM(cls_protocols), proto);

	if (n != NULL)
		snprintf(s, len, "%s", n);
	else
		snprintf(s, len, "0x%04x", proto);
}

static void
cls_fmt_ip_proto(char *s, size_t len, uint8_t proto)
{
	const char *n = cls_name_of(cls_ip_protos, RTE_DIM(cls_ip_protos), proto);

	if (n != NULL)
		snprintf(s, len, "%s", n);
	else
		snprintf(s, len, "%u", proto);
}

/*
 * The one list of fields, in print order, for both layouts: text word,
 * JSON key, and whether the JSON value is a number.
 */
static void
cls_emit(const struct sn_filter_spec *f, struct sn_strbuf *o, bool json)
{
	char v[INET6_ADDRSTRLEN + 8];
	uint32_t m = f->match;
	bool first = true;
	uint32_t prio = f->prio != 0 ? f->prio : SN_FILTER_PRIO_DEFAULT;

#define CLS_FIELD(text, key, isnum) do { \
	if (json) \
		sn_strbuf_printf(o, (isnum) ? "%s\"%s\": %s" : "%s\"%s\": \"%s\"", \
			   first ? "" : ", ", key, v); \
	else \
		sn_strbuf_printf(o, " %s %s", text, v); \
	first = false; \
} while (0)

	if (json)
		sn_strbuf_printf(o, "\"prio\": %" PRIu32, prio);
	else
		sn_strbuf_printf(o, "prio %" PRIu32, prio);
	if (m & SN_FILTER_M_PROTOCOL) {
		cls_fmt_protocol(v, sizeof(v), f->protocol);
		if (json)
			sn_strbuf_printf(o, ", \"protocol\": \"%s\"", v);
		else
			sn_strbuf_printf(o, " protocol %s", v);
	}
	if (json)
		sn_strbuf_printf(o, ", \"match\": {");
	else if (m & ~SN_FILTER_M_PROTOCOL)
		sn_strbuf_printf(o, " match");
	if (m & SN_FILTER_M_VLAN_ID) {
		snprintf(v, sizeof(v), "%u", f->vlan_id);
		CLS_FIELD("vlan_id", "vlan_id", true);
	}
	if (m & SN_FILTER_M_VLAN_PRIO) {
		snprintf(v, sizeof(v), "%u", f->vlan_prio);
		CLS_FIELD("vlan_prio", "vlan_prio", true);
	}
	if (m & SN_FILTER_M_SRC4) {
		cls_fmt_prefix(v, sizeof(v), AF_INET, f->src, f->src_len);
		CLS_FIELD("ip src", "src_ip", false);
	}
	if (m & SN_FILTER_M_DST4) {
		cls_fmt_prefix(v, sizeof(v), AF_INET, f->dst, f->dst_len);
		CLS_FIELD("ip dst", "dst_ip", false);
	}
	if (m & SN_FILTER_M_SRC6) {
		cls_fmt_prefix(v, sizeof(v), AF_INET6, f->src, f->src_len);
		CLS_FIELD("ip6 src", "src_ip", false);
	}
	if (m & SN_FILTER_M_DST6) {
		cls_fmt_prefix(v, sizeof(v), AF_INET6, f->dst, f->dst_len);
		CLS_FIELD("ip6 dst", "dst_ip", false);
	}
	if (m & SN_FILTER_M_DSCP) {
		snprintf(v, sizeof(v), "%u", f->dscp);
		CLS_FIELD("ip dscp", "dscp", true);
	}
	if (m & SN_FILTER_M_IP_PROTO) {
		cls_fmt_ip_proto(v, sizeof(v), f->ip_proto);
		CLS_FIELD("ip proto", "ip_proto", v[0] >= '0' && v[0] <= '9');
	}
	if (m & SN_FILTER_M_SPORT) {
		cls_fmt_ports(v, sizeof(v), f->sport_min, f->sport_max);
		CLS_FIELD("ip sport", "src_port", f->sport_min == f->sport_max);
	}
	if (m & SN_FILTER_M_DPORT) {
		cls_fmt_ports(v, sizeof(v), f->dport_min, f->dport_max);
		CLS_FIELD("ip dport", "dst_port", f->dport_min == f->dport_max);
	}
#undef CLS_FIELD
	sn_tc_format_handle(v, sizeof(v), f->classid);
	if (json)
		sn_strbuf_printf(o, "}, \"classid\": \"%s\"", v);
	else
		sn_strbuf_printf(o, " classid %s", v);
}

static int
cls_print(const struct sn_filter_spec *f, char *buf, size_t len, bool json)
{
	struct sn_strbuf o = { .buf = buf, .len = len, .used = 0 };

	if (f == NULL || (buf == NULL && len != 0))
		return -EINVAL;
	if (len != 0)
		buf[0] = '\0';
	cls_emit(f, &o, json);
	return sn_strbuf_result(&o);
}

int
sn_filter_print(const struct sn_filter_spec *f, char *buf, size_t len)
{
	return cls_print(f, buf, len, false);
}

int
sn_filter_print_json(const struct sn_filter_spec *f, char *buf, size_t len)
{
	return cls_print(f, buf, len, true);
}
