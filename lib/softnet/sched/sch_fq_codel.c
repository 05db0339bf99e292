/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fq_codel: fair queueing with CoDel per flow (the kernel's sch_fq_codel
 * over include/net/codel_impl.h, tc's q_fq_codel). Re-implemented from the
 * published semantics (RFC 8290, RFC 8289), not from the kernel's text.
 *
 * Flows: each packet goes to one of `flows` queues (1024) picked by a hash
 * of its 5-tuple (IPv4/IPv6 source and destination, protocol, TCP/UDP/SCTP
 * ports; fragments without ports, so a datagram's fragments stay together)
 * and the VLAN tags (up to two); a non-IP frame by its ethertype, tags and
 * MAC addresses. The hash is CRC32 (rte_hash_crc) seeded with a random value
 * drawn when the qdisc is created (the kernel's perturbation), folded and
 * scaled to the number of flows. As the kernel, the mbuf priority picks the
 * flow directly when its major is the qdisc's handle and its minor is
 * 1..flows, and so does a filter's class minor (sn_qdisc_classify()); a
 * packet no filter matches is hashed (the kernel drops it).
 *
 * Scheduling: deficit round robin with `quantum` bytes over two lists. A
 * flow that was idle joins the new-flows list, served before the old-flows
 * list (the sparse-flow optimisation): a flow that sends less than its
 * quantum per round never waits behind the bulk flows. A flow that spends
 * its deficit moves to the tail of the old list; a new flow that empties
 * goes to the old list (so it cannot come back as "new" at once), an old one
 * that empties leaves.
 *
 * CoDel per flow: the sojourn time is measured from the enqueue TSC (kept
 * next to the packet, see "Storage"). Once it has stayed above `target` for
 * an `interval`, the flow enters the dropping state: it drops (or, with
 * `ecn`, marks CE on ECT(0)/ECT(1) packets) at intervals shrinking as
 * interval / sqrt(count), until a packet's sojourn goes below the target or
 * the flow holds no more than one MTU. `ce_threshold` marks CE on ECT
 * packets whose sojourn exceeds it, independently of the drop state.
 * Marking rewrites the IPv4 TOS with the header checksum updated
 * incrementally (RFC 1624), or the IPv6 traffic class; a packet whose
 * buffer is shared (refcnt > 1, indirect or external) is not written and
 * is dropped instead.
 *
 * Limits: over `limit` packets or `memory_limit` bytes, the fattest flow
 * (most bytes queued) loses packets from its head: up to `drop_batch`, or
 * until half its bytes are gone, whichever comes first, counted with
 * SN_DROP_QDISC_OVERLIMIT (xstats drop_overlimit; drop_overmemory too when
 * memory was the cause), and its CoDel count grows by as many. The packet
 * being enqueued is always taken: if it was in the batch, it is counted as
 * accepted then dropped (the kernel's NET_XMIT_CN), which keeps a parent's
 * counters exact. Memory counts each packet's buffer size (the sum of
 * buf_len over its segments, the kernel's truesize), not pkt_len: a 64 B
 * frame in a 2 KB mbuf costs 2 KB, as the mempool sees it.
 *
 * Storage: no mbuf field is used. Each queued packet takes a node of a
 * per-qdisc array of limit + 1 (the mbuf, its enqueue TSC, its length and
 * buffer size, the next node of its flow), taken from and returned to a
 * free list. So a flow is a singly linked list of nodes, and the sojourn
 * stamp survives any use an application makes of the mbuf's dynamic fields.
 * A flow is 32 bytes (what every packet touches), its CoDel drop state 16
 * more, apart.
 *
 * Cost: enqueue reads the TSC once per burst; per packet a hash over the
 * headers (3 CRC32 steps for IPv4, 6 for IPv6), its flow (prefetched a
 * burst ahead) and a node. Dequeue reads the TSC once per call; per packet
 * its node, CoDel's two compares, and the list moves (a flow holding one
 * packet is visited three times: served, moved to the old list, retired).
 * The overflow path scans every flow (32 bytes each) once per batch. Root lock held throughout (not NOLOCK-capable: the lists and the
 * node array are shared state). Work-conserving, but not CAN_BYPASS, as the
 * kernel's: every packet is stamped and counted.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ether.h>
#include <rte_hash_crc.h>
#include <rte_ip.h>
#include <rte_malloc.h>
#include <rte_prefetch.h>
#include <rte_random.h>

#include "sched_private.h"

static const struct sn_qdisc_ops sn_fq_codel_ops;

#define SN_FQC_NIL UINT32_MAX
/* Enqueue hashes this many packets, prefetching their flows, before queueing them. */
#define SN_FQC_CHUNK 32
/* ...and fetches the headers this many packets ahead of the hash. */
#define SN_FQC_AHEAD 4
#define SN_NS_PER_SEC 1000000000ull

/* Defaults, as the kernel's. */
#define SN_FQC_DEF_LIMIT 10240u
#define SN_FQC_DEF_FLOWS 1024u
#define SN_FQC_DEF_QUANTUM 1514u
#define SN_FQC_DEF_TARGET_NS (5ull * 1000000)
#define SN_FQC_DEF_INTERVAL_NS (100ull * 1000000)
#define SN_FQC_DEF_MEMORY (32u << 20)
#define SN_FQC_DEF_DROP_BATCH 64u

/* Ranges: limit + 1 nodes of 32 bytes are allocated up front. */
#define SN_FQC_LIMIT_MAX (1u << 20)
#define SN_FQC_FLOWS_MAX 65536u
#define SN_FQC_QUANTUM_MIN 256u
#define SN_FQC_QUANTUM_MAX (1u << 20)
#define SN_FQC_MEMORY_MAX (1u << 31)
#define SN_FQC_DROP_BATCH_MAX 65536u
#define SN_FQC_TIME_MAX (1000ull * SN_NS_PER_SEC)

/* opts.ecn: zero is the default, which is on. */
#define SN_FQC_ECN_DEFAULT 0
#define SN_FQC_ECN_ON 1
#define SN_FQC_ECN_OFF 2

/* The parse op's result, in params.opts; all zero: the defaults. */
struct sn_fqc_opts {
	uint64_t target_ns;
	uint64_t interval_ns;
	uint64_t ce_threshold_ns; /* 0: none */
	uint32_t limit;           /* packets */
	uint32_t flows;
	uint32_t quantum;         /* bytes */
	uint32_t memory_limit;    /* bytes of buffers */
	uint32_t drop_batch;
	uint8_t ecn;              /* SN_FQC_ECN_* */
	uint8_t pad[3];
};
static_assert(sizeof(struct sn_fqc_opts) <= SN_QDISC_OPTS_SIZE, "fq_codel options fit in opts");

/* One queued packet. */
struct sn_fqc_node {
	struct rte_mbuf *m;
	uint64_t tsc;  /* enqueue time */
	uint32_t next; /* next node of its flow, or of the free list */
	uint32_t len;  /* pkt_len */
	uint32_t mem;  /* buffer bytes */
	uint32_t pad;
};
static_assert(sizeof(struct sn_fqc_node) == 32, "a node is half a cache line");

/* Which list a flow is on. */
enum { SN_FQC_NONE, SN_FQC_NEW, SN_FQC_OLD };

/*
 * A flow: its packets, its place in the round, and the CoDel state every
 * packet reads; half a cache line, as every packet touches its flow's.
 */
struct sn_fqc_flow {
	uint32_t head;        /* first node, SN_FQC_NIL: empty */
	uint32_t tail;        /* last node */
	uint32_t next;        /* next flow on its list */
	int32_t deficit;      /* bytes it may still send this round */
	uint32_t backlog;     /* bytes queued (scanned for the fattest flow) */
	uint8_t list;         /* SN_FQC_NONE, _NEW, _OLD */
	bool dropping;        /* CoDel's dropping state */
	uint16_t pad;
	uint64_t first_above; /* TSC when the sojourn may count as persistent; 0: below target */
};
static_assert(sizeof(struct sn_fqc_flow) == 32, "a flow is half a cache line");

/* The rest of a flow's CoDel state: read when it drops or marks only. */
struct sn_fqc_cvars {
	uint64_t drop_next;   /* TSC of the next drop in the dropping state */
	uint32_t count;       /* drops (marks) in this dropping state */
	uint32_t lastcount;   /* count when the last dropping state began */
};

struct sn_fqc {
	/* Hot: both paths. */
	uint32_t new_head, new_tail; /* new-flows list */
	uint32_t old_head, old_tail; /* old-flows list */
	uint32_t free;               /* free node list */
	uint32_t nflows;
	int32_t quantum;
	uint32_t limit;
	uint64_t memory;             /* buffer bytes queued */
	uint64_t memory_limit;
	uint64_t target;             /* TSC cycles */
	uint64_t interval;           /* TSC cycles */
	uint64_t ce_threshold;       /* TSC cycles, 0: none */
	uint32_t mtu;                /* bytes: a flow holding no more is never dropped */
	uint32_t seed;               /* hash perturbation */
	uint32_t drop_batch;
	bool ecn;
	struct sn_fqc_flow *flows;
	struct sn_fqc_cvars *cvars;  /* per flow */
	struct sn_fqc_node *nodes;
	/* xstats, as tc -s shows them. */
	uint64_t maxpacket;
	uint64_t drop_overlimit;
	uint64_t drop_overmemory;
	uint64_t new_flow_count;
	uint64_t ecn_mark;
	uint64_t ce_mark;
	struct sn_fqc_opts o;        /* as given, defaults filled in */
};

/* ---- classification ---- */

/* Header loads at any alignment (an IP header follows a 14-byte Ethernet one). */
static __rte_always_inline uint16_t
sn_fqc_ld16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static __rte_always_inline uint32_t
sn_fqc_ld32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static __rte_always_inline uint64_t
sn_fqc_ld64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/*
 * Where the L3 header starts and its ethertype (network order), past up to
 * two VLAN tags; *@tags gets their TCIs (0: untagged).
 */
static __rte_always_inline uint32_t
sn_fqc_l3(const uint8_t *p, uint32_t dl, uint16_t *et, uint32_t *tags)
{
	uint32_t off = 14;

	*et = sn_fqc_ld16(p + 12);
	*tags = 0;
	for (int i = 0; i < 2; i++) {
		if ((*et != RTE_BE16(0x8100) && *et != RTE_BE16(0x88a8)) || off + 4 > dl)
			break;
		*tags = *tags << 16 | sn_fqc_ld16(p + off);
		*et = sn_fqc_ld16(p + off + 2);
		off += 4;
	}
	return off;
}

static __rte_always_inline bool
sn_fqc_has_ports(uint8_t proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP || proto == IPPROTO_SCTP ||
	       proto == IPPROTO_UDPLITE;
}

/* The 5-tuple hash of @m (or its L2 hash), not yet scaled. */
static __rte_always_inline uint32_t
sn_fqc_hash(const struct rte_mbuf *m, uint32_t seed)
{
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);
	const uint32_t dl = rte_pktmbuf_data_len(m);
	uint32_t h, ports = 0, off, tags;
	uint16_t et;

	if (unlikely(dl < 14))
		return rte_hash_crc(p, dl, seed);
	off = sn_fqc_l3(p, dl, &et, &tags);
	/* The VLAN tags are part of the flow, as in the kernel's flow keys. */
	if (unlikely(tags != 0))
		seed = rte_hash_crc_4byte(tags, seed);
	if (likely(et == RTE_BE16(RTE_ETHER_TYPE_IPV4)) && off + 20 <= dl) {
		const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(p + off);
		const uint32_t ihl = (uint32_t)(ip->version_ihl & 0xf) * 4;

		/* Any fragment goes without ports: all of a datagram's stay together. */
		if (sn_fqc_has_ports(ip->next_proto_id) &&
		    !(ip->fragment_offset & RTE_BE16(RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK)) &&
		    off + ihl + 4 <= dl)
			ports = sn_fqc_ld32(p + off + ihl);
		/* Source and destination, adjacent. */
		h = rte_hash_crc_8byte(sn_fqc_ld64((const uint8_t *)&ip->src_addr), seed);
		h = rte_hash_crc_4byte(ports, h);
		h = rte_hash_crc_4byte(ip->next_proto_id, h);
	} else if (et == RTE_BE16(RTE_ETHER_TYPE_IPV6) && off + 40 <= dl) {
		const struct rte_ipv6_hdr *ip = (const struct rte_ipv6_hdr *)(p + off);

		if (sn_fqc_has_ports(ip->proto) && off + 44 <= dl)
			ports = sn_fqc_ld32(p + off + 40);
		h = seed;
		for (int i = 0; i < 4; i++) /* source and destination: 32 bytes */
			h = rte_hash_crc_8byte(sn_fqc_ld64(ip->src_addr + 8 * i), h);
		h = rte_hash_crc_4byte(ports, h);
		h = rte_hash_crc_4byte(ip->proto, h);
	} else {
		/* Not IP: the ethertype and both MAC addresses. */
		h = rte_hash_crc_8byte(sn_fqc_ld64(p), seed);
		h = rte_hash_crc_4byte(sn_fqc_ld32(p + 8), h);
		h = rte_hash_crc_4byte(et, h);
	}
	/* CRC32 is linear: mix, so that the scaling below sees every input bit. */
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	return h;
}

/* The flow of @m. */
static __rte_always_inline uint32_t
sn_fqc_classify(const struct sn_qdisc *q, const struct sn_fqc *fq, const struct rte_mbuf *m)
{
	if (unlikely(q->handle != 0 || q->filters != NULL)) {
		uint32_t minor = sn_qdisc_classify(q, m) & 0xffffu;

		if (minor != 0 && minor <= fq->nflows)
			return minor - 1;
	}
	return (uint32_t)(((uint64_t)sn_fqc_hash(m, fq->seed) * fq->nflows) >> 32);
}

/* ---- ECN ---- */

/* May @m's header bytes be written (not shared with another mbuf)? */
static inline bool
sn_fqc_writable(const struct rte_mbuf *m)
{
	return RTE_MBUF_DIRECT(m) && rte_mbuf_refcnt_read(m) == 1;
}

/*
 * Set CE on an ECT(0)/ECT(1) packet (the kernel's INET_ECN_set_ce).
 * @return true if @m now carries CE (it did already, or was marked), false
 * if it cannot: not IP, not ECN-capable, or not writable.
 */
static bool
sn_fqc_set_ce(struct rte_mbuf *m)
{
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *);
	const uint32_t dl = rte_pktmbuf_data_len(m);
	uint32_t off, tags;
	uint16_t et;

	if (dl < 14)
		return false;
	off = sn_fqc_l3(p, dl, &et, &tags);
	if (et == RTE_BE16(RTE_ETHER_TYPE_IPV4) && off + 20 <= dl) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(p + off);
		const uint8_t ecn = ip->type_of_service & 3;
		uint16_t w_old, w_new;
		uint32_t sum;

		if (ecn == 0)
			return false;
		if (ecn == 3)
			return true;
		if (!sn_fqc_writable(m))
			return false;
		/* RFC 1624: HC' = ~(~HC + ~m + m'), over the version/IHL/TOS word. */
		w_old = (uint16_t)(ip->version_ihl << 8 | ip->type_of_service);
		ip->type_of_service |= 3;
		w_new = (uint16_t)(w_old | 3);
		sum = (uint16_t)~rte_be_to_cpu_16(ip->hdr_checksum);
		sum += (uint16_t)~w_old;
		sum += w_new;
		sum = (sum & 0xffff) + (sum >> 16);
		sum = (sum & 0xffff) + (sum >> 16);
		ip->hdr_checksum = rte_cpu_to_be_16((uint16_t)~sum);
		return true;
	}
	if (et == RTE_BE16(RTE_ETHER_TYPE_IPV6) && off + 40 <= dl) {
		struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)(p + off);
		uint32_t vtc = rte_be_to_cpu_32(ip->vtc_flow);
		const uint32_t ecn = (vtc >> 20) & 3;

		if (ecn == 0)
			return false;
		if (ecn == 3)
			return true;
		if (!sn_fqc_writable(m))
			return false;
		ip->vtc_flow = rte_cpu_to_be_32(vtc | 3u << 20);
		return true;
	}
	return false;
}

/* ---- flows ---- */

static __rte_always_inline void
sn_fqc_list_push(struct sn_fqc *fq, uint32_t *head, uint32_t *tail, uint32_t fi)
{
	fq->flows[fi].next = SN_FQC_NIL;
	if (*head == SN_FQC_NIL)
		*head = fi;
	else
		fq->flows[*tail].next = fi;
	*tail = fi;
}

static __rte_always_inline void
sn_fqc_list_pop(struct sn_fqc *fq, uint32_t *head, uint32_t *tail)
{
	*head = fq->flows[*head].next;
	if (*head == SN_FQC_NIL)
		*tail = SN_FQC_NIL;
}

/* Take the head packet of flow @fi (its node back to the free list); NULL if empty. */
static __rte_always_inline struct rte_mbuf *
sn_fqc_pop(struct sn_fqc *fq, uint32_t fi, uint64_t *tsc)
{
	struct sn_fqc_flow *f = &fq->flows[fi];
	const uint32_t i = f->head;
	struct sn_fqc_node *nd;

	if (i == SN_FQC_NIL)
		return NULL;
	nd = &fq->nodes[i];
	f->head = nd->next;
	f->backlog -= nd->len;
	fq->memory -= nd->mem;
	nd->next = fq->free;
	fq->free = i;
	*tsc = nd->tsc;
	return nd->m;
}

/* Buffer bytes of @m: the kernel's truesize. */
static __rte_always_inline uint32_t
sn_fqc_mem(const struct rte_mbuf *m)
{
	uint32_t mem = m->buf_len;

	if (unlikely(m->nb_segs > 1))
		for (const struct rte_mbuf *s = m->next; s != NULL; s = s->next)
			mem += s->buf_len;
	return mem;
}

/*
 * Over a limit: drop from the head of the fattest flow, up to drop_batch
 * packets or until half its bytes are gone. The flow holds at least the
 * packet just queued, and the loop stops before it is empty unless it
 * held one packet.
 */
static __rte_noinline void
sn_fqc_overflow(struct sn_qdisc *q, struct sn_fqc *fq, struct sn_softnet *sd, bool memory)
{
	uint32_t fat = 0, max = 0, dropped = 0;
	uint64_t gone = 0, threshold;

	for (uint32_t i = 0; i < fq->nflows; i++) {
		if (fq->flows[i].backlog > max) {
			max = fq->flows[i].backlog;
			fat = i;
		}
	}
	threshold = max / 2;
	do {
		uint64_t tsc;
		struct rte_mbuf *m = sn_fqc_pop(fq, fat, &tsc);

		if (m == NULL)
			break;
		gone += rte_pktmbuf_pkt_len(m);
		sn_qdisc_drop_dequeued(q, sd, m, SN_DROP_QDISC_OVERLIMIT);
	} while (++dropped < fq->drop_batch && gone < threshold);
	fq->cvars[fat].count += dropped;
	fq->drop_overlimit += dropped;
	if (memory)
		fq->drop_overmemory += dropped;
}

static uint16_t
sn_fqc_enqueue(struct sn_qdisc *q, struct sn_softnet *sd, struct rte_mbuf **pkts, uint16_t n,
	       uint32_t bytes)
{
	struct sn_fqc *fq = sn_qdisc_priv(q);
	const uint64_t now = rte_rdtsc();
	uint32_t acc = 0;   /* queued by this call, not yet in qlen/backlog */
	uint64_t acc_bytes = 0;
	uint32_t fis[SN_FQC_CHUNK];

	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		const uint32_t len = rte_pktmbuf_pkt_len(m);
		const uint32_t ni = fq->free;
		struct sn_fqc_node *nd = &fq->nodes[ni];
		struct sn_fqc_flow *f;
		uint32_t fi;

		/* A chunk's flows first: their cache lines load while the next ones hash. */
		if (i % SN_FQC_CHUNK == 0) {
			const uint16_t cn = (uint16_t)RTE_MIN(n - i, SN_FQC_CHUNK);

			for (uint16_t j = 0; j < RTE_MIN(cn, SN_FQC_AHEAD); j++)
				rte_prefetch0(rte_pktmbuf_mtod(pkts[i + j], void *));
			for (uint16_t j = 0; j < cn; j++) {
				if (j + SN_FQC_AHEAD < cn)
					rte_prefetch0(rte_pktmbuf_mtod(pkts[i + j + SN_FQC_AHEAD],
								       void *));
				fis[j] = sn_fqc_classify(q, fq, pkts[i + j]);
				rte_prefetch0(&fq->flows[fis[j]]);
			}
		}
		fi = fis[i % SN_FQC_CHUNK];
		f = &fq->flows[fi];
		/* At most limit are queued before this one: a node is free. */
		RTE_ASSERT(ni != SN_FQC_NIL);
		fq->free = nd->next;
		nd->m = m;
		nd->tsc = now;
		nd->next = SN_FQC_NIL;
		nd->len = len;
		nd->mem = sn_fqc_mem(m);
		if (f->head == SN_FQC_NIL)
			f->head = ni;
		else
			fq->nodes[f->tail].next = ni;
		f->tail = ni;
		f->backlog += len;
		fq->memory += nd->mem;
		if (f->list == SN_FQC_NONE) {
			sn_fqc_list_push(fq, &fq->new_head, &fq->new_tail, fi);
			f->list = SN_FQC_NEW;
			f->deficit = fq->quantum;
			fq->new_flow_count++;
		}
		acc++;
		acc_bytes += len;
		if (unlikely(q->qstats.qlen + acc > fq->limit || fq->memory > fq->memory_limit)) {
			/* The drops lower qlen and backlog: account what they may take first. */
			sn_qdisc_account_enqueue(q, acc, acc_bytes);
			acc = 0;
			acc_bytes = 0;
			sn_fqc_overflow(q, fq, sd, fq->memory > fq->memory_limit);
		}
	}
	/* All taken: their bytes are the burst's, when nothing was accounted yet. */
	sn_qdisc_account_enqueue(q, acc, acc == n ? bytes : acc_bytes);
	return n;
}

/* interval / sqrt(count), in TSC cycles (count >= 1). */
static uint64_t
sn_fqc_interval_scaled(uint64_t interval, uint32_t count)
{
	/* sqrt(count) in Q16: the integer square root of count << 32, digit by digit. */
	uint64_t x = (uint64_t)count << 32, r = 0, bit = 1ull << 62;

	while (bit > x)
		bit >>= 2;
	while (bit != 0) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
		bit >>= 2;
	}
	return (interval << 16) / (r != 0 ? r : 1);
}

/*
 * CoDel's test on a packet just taken from flow @fi at @now: has the
 * sojourn stayed above the target for a whole interval? *@sojourn gets it.
 */
static __rte_always_inline bool
sn_fqc_above(struct sn_fqc *fq, uint32_t fi, const struct rte_mbuf *m, uint64_t tsc,
	     uint64_t now, uint64_t *sojourn)
{
	struct sn_fqc_flow *f = &fq->flows[fi];
	const uint32_t len = rte_pktmbuf_pkt_len(m);

	*sojourn = now > tsc ? now - tsc : 0;
	if (unlikely(len > fq->maxpacket))
		fq->maxpacket = len;
	if (*sojourn < fq->target || f->backlog <= fq->mtu) {
		/* Below: stays below for an interval (no store when it was already). */
		if (unlikely(f->first_above != 0))
			f->first_above = 0;
		return false;
	}
	if (f->first_above == 0) {
		f->first_above = now + fq->interval;
		return false;
	}
	return now >= f->first_above;
}

/* Drop (or mark) the head of flow @fi as CoDel says; the packet to send, or NULL. */
static __rte_always_inline struct rte_mbuf *
sn_fqc_codel(struct sn_qdisc *q, struct sn_fqc *fq, struct sn_softnet *sd, uint32_t fi,
	     uint64_t now)
{
	struct sn_fqc_flow *f = &fq->flows[fi];
	struct sn_fqc_cvars *cv = &fq->cvars[fi];
	uint64_t tsc, sojourn = 0;
	struct rte_mbuf *m = sn_fqc_pop(fq, fi, &tsc);
	bool above;

	if (m == NULL) {
		f->dropping = false;
		return NULL;
	}
	above = sn_fqc_above(fq, fi, m, tsc, now, &sojourn);
	if (likely(!f->dropping && !above))
		goto out;
	if (f->dropping) {
		if (!above) {
			f->dropping = false;
			goto out;
		}
		while (now >= cv->drop_next) {
			cv->count++;
			if (fq->ecn && sn_fqc_set_ce(m)) {
				fq->ecn_mark++;
				cv->drop_next += sn_fqc_interval_scaled(fq->interval, cv->count);
				goto out;
			}
			sn_qdisc_drop_dequeued(q, sd, m, SN_DROP_QDISC_CONGESTED);
			m = sn_fqc_pop(fq, fi, &tsc);
			if (m == NULL || !sn_fqc_above(fq, fi, m, tsc, now, &sojourn)) {
				if (m == NULL)
					f->first_above = 0;
				f->dropping = false;
				goto out;
			}
			cv->drop_next += sn_fqc_interval_scaled(fq->interval, cv->count);
		}
		goto out;
	}
	/* Above for an interval, not dropping yet: drop (or mark) one, enter the state. */
	if (fq->ecn && sn_fqc_set_ce(m)) {
		fq->ecn_mark++;
	} else {
		sn_qdisc_drop_dequeued(q, sd, m, SN_DROP_QDISC_CONGESTED);
		m = sn_fqc_pop(fq, fi, &tsc);
		if (m != NULL)
			(void)sn_fqc_above(fq, fi, m, tsc, now, &sojourn);
		else
			f->first_above = 0;
	}
	f->dropping = true;
	/*
	 * Back in the dropping state soon after leaving it: resume near the
	 * drop rate it had (the count reached last time, less where it began),
	 * rather than from one.
	 */
	if (cv->count - cv->lastcount > 1 &&
	    (int64_t)(now - cv->drop_next) < (int64_t)(16 * fq->interval))
		cv->count = cv->count - cv->lastcount;
	else
		cv->count = 1;
	cv->lastcount = cv->count;
	cv->drop_next = now + sn_fqc_interval_scaled(fq->interval, cv->count);
out:
	if (unlikely(fq->ce_threshold != 0) && m != NULL && sojourn > fq->ce_threshold &&
	    sn_fqc_set_ce(m))
		fq->ce_mark++;
	return m;
}

static uint16_t
sn_fqc_dequeue(struct sn_qdisc *q, struct sn_softnet *sd, struct rte_mbuf **pkts, uint16_t n)
{
	struct sn_fqc *fq = sn_qdisc_priv(q);
	const uint64_t now = rte_rdtsc();
	uint16_t k = 0;

	while (k < n) {
		const bool is_new = fq->new_head != SN_FQC_NIL;
		uint32_t *head = is_new ? &fq->new_head : &fq->old_head;
		uint32_t *tail = is_new ? &fq->new_tail : &fq->old_tail;
		const uint32_t fi = *head;
		struct sn_fqc_flow *f;
		struct rte_mbuf *m;

		if (fi == SN_FQC_NIL)
			break;
		f = &fq->flows[fi];
		if (f->next != SN_FQC_NIL)
			rte_prefetch0(&fq->flows[f->next]);
		if (f->deficit <= 0) {
			/* Its round is spent: a new quantum, at the back of the old flows. */
			f->deficit += fq->quantum;
			sn_fqc_list_pop(fq, head, tail);
			sn_fqc_list_push(fq, &fq->old_head, &fq->old_tail, fi);
			f->list = SN_FQC_OLD;
			continue;
		}
		m = sn_fqc_codel(q, fq, sd, fi, now);
		if (m == NULL) {
			/*
			 * Empty. A new flow goes to the old list if that holds
			 * others (it must wait a round before counting as new
			 * again); otherwise, and for an old flow, it leaves.
			 */
			sn_fqc_list_pop(fq, head, tail);
			if (is_new && fq->old_head != SN_FQC_NIL) {
				sn_fqc_list_push(fq, &fq->old_head, &fq->old_tail, fi);
				f->list = SN_FQC_OLD;
			} else {
				f->list = SN_FQC_NONE;
			}
			continue;
		}
		f->deficit -= (int32_t)rte_pktmbuf_pkt_len(m);
		pkts[k++] = m;
	}
	return k;
}

/* What dequeue would look at first (it may still drop it, or skip its flow). */
static struct rte_mbuf *
sn_fqc_peek(struct sn_qdisc *q)
{
	struct sn_fqc *fq = sn_qdisc_priv(q);
	const uint32_t heads[2] = { fq->new_head, fq->old_head };

	for (int l = 0; l < 2; l++)
		for (uint32_t fi = heads[l]; fi != SN_FQC_NIL; fi = fq->flows[fi].next)
			if (fq->flows[fi].head != SN_FQC_NIL)
				return fq->nodes[fq->flows[fi].head].m;
	return NULL;
}

/* Empty every flow and list, and restart the node free list. */
static void
sn_fqc_clear(struct sn_fqc *fq)
{
	memset(fq->flows, 0, sizeof(*fq->flows) * fq->nflows);
	memset(fq->cvars, 0, sizeof(*fq->cvars) * fq->nflows);
	for (uint32_t i = 0; i < fq->nflows; i++) {
		fq->flows[i].head = SN_FQC_NIL;
		fq->flows[i].tail = SN_FQC_NIL;
		fq->flows[i].next = SN_FQC_NIL;
	}
	for (uint32_t i = 0; i < fq->limit + 1; i++)
		fq->nodes[i].next = i + 1 < fq->limit + 1 ? i + 1 : SN_FQC_NIL;
	fq->free = 0;
	fq->new_head = fq->new_tail = SN_FQC_NIL;
	fq->old_head = fq->old_tail = SN_FQC_NIL;
	fq->memory = 0;
}

static void
sn_fqc_reset(struct sn_qdisc *q, struct sn_softnet *sd)
{
	struct sn_fqc *fq = sn_qdisc_priv(q);

	for (uint32_t fi = 0; fi < fq->nflows; fi++) {
		struct rte_mbuf *m;
		uint64_t tsc;

		while ((m = sn_fqc_pop(fq, fi, &tsc)) != NULL)
			sn_qdisc_drop_queued(q, sd, m);
	}
	sn_fqc_clear(fq);
}

static void
sn_fqc_defaults(struct sn_fqc_opts *o)
{
	if (o->limit == 0)
		o->limit = SN_FQC_DEF_LIMIT;
	if (o->flows == 0)
		o->flows = SN_FQC_DEF_FLOWS;
	if (o->quantum == 0)
		o->quantum = SN_FQC_DEF_QUANTUM;
	if (o->target_ns == 0)
		o->target_ns = SN_FQC_DEF_TARGET_NS;
	if (o->interval_ns == 0)
		o->interval_ns = SN_FQC_DEF_INTERVAL_NS;
	if (o->memory_limit == 0)
		o->memory_limit = SN_FQC_DEF_MEMORY;
	if (o->drop_batch == 0)
		o->drop_batch = SN_FQC_DEF_DROP_BATCH;
	if (o->ecn == SN_FQC_ECN_DEFAULT)
		o->ecn = SN_FQC_ECN_ON;
}

static uint64_t
sn_fqc_ns2tsc(uint64_t ns, uint64_t hz)
{
	return (uint64_t)((unsigned __int128)ns * hz / SN_NS_PER_SEC);
}

static void
sn_fqc_destroy(struct sn_qdisc *q)
{
	struct sn_fqc *fq = sn_qdisc_priv(q);

	rte_free(fq->nodes);
	rte_free(fq->cvars);
	rte_free(fq->flows);
	fq->nodes = NULL;
	fq->cvars = NULL;
	fq->flows = NULL;
}

static int
sn_fqc_init(struct sn_qdisc *q, const struct sn_qdisc_params *p)
{
	struct sn_fqc *fq = sn_qdisc_priv(q);
	const uint64_t hz = rte_get_tsc_hz();
	const int socket = q->dev->socket;
	struct sn_fqc_opts *o = &fq->o;

	memcpy(o, p->opts, sizeof(*o));
	/* The common field, for callers that fill struct sn_qdisc_params by hand. */
	if (o->limit == 0)
		o->limit = p->limit;
	sn_fqc_defaults(o);
	if (o->limit > SN_FQC_LIMIT_MAX || o->flows > SN_FQC_FLOWS_MAX ||
	    o->quantum < SN_FQC_QUANTUM_MIN || o->quantum > SN_FQC_QUANTUM_MAX ||
	    o->memory_limit > SN_FQC_MEMORY_MAX || o->drop_batch > SN_FQC_DROP_BATCH_MAX ||
	    o->target_ns > SN_FQC_TIME_MAX || o->interval_ns > SN_FQC_TIME_MAX ||
	    o->ce_threshold_ns > SN_FQC_TIME_MAX || o->ecn > SN_FQC_ECN_OFF)
		return -EINVAL;
	fq->nflows = o->flows;
	fq->quantum = (int32_t)o->quantum;
	fq->limit = o->limit;
	fq->memory_limit = o->memory_limit;
	fq->drop_batch = o->drop_batch;
	fq->ecn = o->ecn == SN_FQC_ECN_ON;
	fq->target = sn_fqc_ns2tsc(o->target_ns, hz);
	fq->interval = RTE_MAX(sn_fqc_ns2tsc(o->interval_ns, hz), 1ul);
	fq->ce_threshold = o->ce_threshold_ns != 0 ?
			   RTE_MAX(sn_fqc_ns2tsc(o->ce_threshold_ns, hz), 1ul) : 0;
	fq->mtu = sn_netdev_mtu(q->dev) + SN_NETDEV_ETH_HLEN;
	fq->seed = (uint32_t)rte_rand();
	fq->flows = rte_zmalloc_socket("sn_fq_codel_flows", sizeof(*fq->flows) * fq->nflows,
				       RTE_CACHE_LINE_SIZE, socket);
	fq->cvars = rte_zmalloc_socket("sn_fq_codel_cvars", sizeof(*fq->cvars) * fq->nflows,
				       RTE_CACHE_LINE_SIZE, socket);
	fq->nodes = rte_malloc_socket("sn_fq_codel_nodes",
				      sizeof(*fq->nodes) * ((size_t)fq->limit + 1),
				      RTE_CACHE_LINE_SIZE, socket);
	if (fq->flows == NULL || fq->cvars == NULL || fq->nodes == NULL) {
		sn_fqc_destroy(q);
		return -ENOMEM;
	}
	sn_fqc_clear(fq);
	return 0;
}

static int
sn_fqc_dump(const struct sn_qdisc *q, struct sn_qdisc_params *p)
{
	const struct sn_fqc *fq = (const struct sn_fqc *)q->priv;

	p->limit = fq->o.limit;
	memcpy(p->opts, &fq->o, sizeof(fq->o));
	return 0;
}

/* ---- tc's words ---- */

static int
sn_fqc_time_word(const char *name, const char *v, uint64_t *out, char *err, size_t errlen)
{
	if (sn_tc_parse_time(v, out) != 0 || *out == 0)
		return sn_qdisc_parse_error(err, errlen,
					    "%s: '%s' is not a time (e.g. 5ms, 100ms, 500us)", name,
					    v);
	if (*out > SN_FQC_TIME_MAX)
		return sn_qdisc_parse_error(err, errlen, "%s: %s is over 1000s", name, v);
	return 0;
}

/*
 * tc's q_fq_codel.c words: limit PACKETS, flows NUMBER, target TIME,
 * interval TIME, quantum BYTES, memory_limit BYTES, ecn | noecn,
 * ce_threshold TIME, drop_batch SIZE. Each at most once; any subset.
 */
static int
sn_fqc_parse(struct sn_qdisc_params *p, int argc, const char *const argv[], char *err,
	     size_t errlen)
{
	struct sn_fqc_opts *o = (struct sn_fqc_opts *)p->opts;

	for (int i = 0; i < argc; i++) {
		const char *w = argv[i], *v = NULL;
		int rc;

		if (strcmp(w, "ecn") == 0 || strcmp(w, "noecn") == 0) {
			if (o->ecn != SN_FQC_ECN_DEFAULT)
				return sn_qdisc_parse_error(err, errlen,
							    "%s: ecn or noecn given twice", w);
			o->ecn = w[0] == 'e' ? SN_FQC_ECN_ON : SN_FQC_ECN_OFF;
			continue;
		}
		rc = sn_parse_value(argc, argv, &i, "VALUE", err, errlen, &v);
		if (strcmp(w, "limit") == 0) {
			if (o->limit != 0)
				return sn_parse_twice(w, err, errlen);
			if (rc == 0)
				rc = sn_parse_u32(w, v, 1, SN_FQC_LIMIT_MAX, &o->limit, err, errlen);
			if (rc == 0)
				p->limit = o->limit;
		} else if (strcmp(w, "flows") == 0) {
			if (o->flows != 0)
				return sn_parse_twice(w, err, errlen);
			if (rc == 0)
				rc = sn_parse_u32(w, v, 1, SN_FQC_FLOWS_MAX, &o->flows, err, errlen);
		} else if (strcmp(w, "quantum") == 0) {
			uint64_t sz;

			if (o->quantum != 0)
				return sn_parse_twice(w, err, errlen);
			if (rc != 0)
				return rc;
			if (sn_tc_parse_size(v, &sz) != 0)
				return sn_qdisc_parse_error(err, errlen,
							    "quantum: '%s' is not a size (BYTES, e.g. 1514)",
							    v);
			if (sz < SN_FQC_QUANTUM_MIN || sz > SN_FQC_QUANTUM_MAX)
				return sn_qdisc_parse_error(err, errlen,
							    "quantum: %s is out of range %u..%u (bytes)",
							    v, SN_FQC_QUANTUM_MIN, SN_FQC_QUANTUM_MAX);
			o->quantum = (uint32_t)sz;
		} else if (strcmp(w, "memory_limit") == 0) {
			uint64_t sz;

			if (o->memory_limit != 0)
				return sn_parse_twice(w, err, errlen);
			if (rc != 0)
				return rc;
			if (sn_tc_parse_size(v, &sz) != 0)
				return sn_qdisc_parse_error(err, errlen,
							    "memory_limit: '%s' is not a size (BYTES, e.g. 32mb)",
							    v);
			if (sz < 1 || sz > SN_FQC_MEMORY_MAX)
				return sn_qdisc_parse_error(err, errlen,
							    "memory_limit: %s is out of range 1..%u (bytes)",
							    v, SN_FQC_MEMORY_MAX);
			o->memory_limit = (uint32_t)sz;
		} else if (strcmp(w, "target") == 0) {
			if (o->target_ns != 0)
				return sn_parse_twice(w, err, errlen);
			if (rc == 0)
				rc = sn_fqc_time_word(w, v, &o->target_ns, err, errlen);
		} else if (strcmp(w, "interval") == 0) {
			if (o->interval_ns != 0)
				return sn_parse_twice(w, err, errlen);
			if (rc == 0)
				rc = sn_fqc_time_word(w, v, &o->interval_ns, err, errlen);
		} else if (strcmp(w, "ce_threshold") == 0) {
			if (o->ce_threshold_ns != 0)
				return sn_parse_twice(w, err, errlen);
			if (rc == 0)
				rc = sn_fqc_time_word(w, v, &o->ce_threshold_ns, err, errlen);
		} else if (strcmp(w, "drop_batch") == 0) {
			if (o->drop_batch != 0)
				return sn_parse_twice(w, err, errlen);
			if (rc == 0)
				rc = sn_parse_u32(w, v, 1, SN_FQC_DROP_BATCH_MAX, &o->drop_batch, err,
						  errlen);
		} else {
			return sn_parse_unknown(&sn_fq_codel_ops, w, err, errlen);
		}
		if (rc != 0)
			return rc;
	}
	return 0;
}

/*
 * tc's fq_codel_print_opt order: limit, flows, quantum, target,
 * [ce_threshold], interval, memory_limit, ecn, drop_batch. tc prints
 * `limit 10240p` and nothing when ECN is off; here the bare number (as
 * pfifo's) and `noecn`, so that the words parse back to the same qdisc
 * (ECN is on by default).
 */
static void
sn_fqc_print(const struct sn_qdisc *q, struct sn_qdisc_writer *w)
{
	const struct sn_fqc *fq = (const struct sn_fqc *)q->priv;

	sn_qw_u64(w, "limit", fq->o.limit);
	sn_qw_u64(w, "flows", fq->o.flows);
	sn_qw_u64(w, "quantum", fq->o.quantum);
	sn_qw_time(w, "target", fq->o.target_ns);
	if (fq->o.ce_threshold_ns != 0)
		sn_qw_time(w, "ce_threshold", fq->o.ce_threshold_ns);
	sn_qw_time(w, "interval", fq->o.interval_ns);
	sn_qw_size(w, "memory_limit", fq->o.memory_limit);
	sn_qw_flag(w, fq->ecn ? "ecn" : "noecn");
	sn_qw_u64(w, "drop_batch", fq->o.drop_batch);
}

/* tc -s's fq_codel xstats; ce_mark, memory_used, drop_overmemory when non-zero, as tc. */
static void
sn_fqc_print_stats(const struct sn_qdisc *q, struct sn_qdisc_writer *w)
{
	const struct sn_fqc *fq = (const struct sn_fqc *)q->priv;
	uint64_t nnew = 0, nold = 0;

	for (uint32_t fi = fq->new_head; fi != SN_FQC_NIL; fi = fq->flows[fi].next)
		nnew++;
	for (uint32_t fi = fq->old_head; fi != SN_FQC_NIL; fi = fq->flows[fi].next)
		nold++;
	sn_qw_u64(w, "maxpacket", fq->maxpacket);
	sn_qw_u64(w, "drop_overlimit", fq->drop_overlimit);
	sn_qw_u64(w, "new_flow_count", fq->new_flow_count);
	sn_qw_u64(w, "ecn_mark", fq->ecn_mark);
	if (fq->ce_mark != 0)
		sn_qw_u64(w, "ce_mark", fq->ce_mark);
	if (fq->memory != 0)
		sn_qw_u64(w, "memory_used", fq->memory);
	if (fq->drop_overmemory != 0)
		sn_qw_u64(w, "drop_overmemory", fq->drop_overmemory);
	sn_qw_u64(w, "new_flows_len", nnew);
	sn_qw_u64(w, "old_flows_len", nold);
}

static const struct sn_qdisc_ops sn_fq_codel_ops = {
	.id = "fq_codel",
	.priv_size = sizeof(struct sn_fqc),
	.static_flags = 0,
	.enqueue = sn_fqc_enqueue,
	.dequeue = sn_fqc_dequeue,
	.peek = sn_fqc_peek,
	.init = sn_fqc_init,
	.reset = sn_fqc_reset,
	.destroy = sn_fqc_destroy,
	.dump = sn_fqc_dump,
	.parse = sn_fqc_parse,
	.print = sn_fqc_print,
	.print_stats = sn_fqc_print_stats,
	.usage = "[ limit PACKETS ] [ flows NUMBER ] [ memory_limit BYTES ] [ target TIME ] "
		 "[ interval TIME ] [ quantum BYTES ] [ [no]ecn ] [ ce_threshold TIME ] "
		 "[ drop_batch SIZE ]",
};

RTE_INIT(sn_fq_codel_register)
{
	sn_qdisc_register(&sn_fq_codel_ops);
}
