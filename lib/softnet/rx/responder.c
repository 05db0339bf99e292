/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The built-in ARP / ICMP echo responder, an RX callback. Runs in softirq
 * context: it rewrites each request into its reply in place (no allocation)
 * and sends the replies in one sn_xmit_burst(), which consumes them.
 */

#include <errno.h>
#include <string.h>

#include <rte_arp.h>
#include <rte_byteorder.h>
#include <rte_errno.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_malloc.h>

#include "softnet.h"
#include "sn_responder.h"

struct sn_responder {
	struct sn_responder_conf conf;
	struct sn_responder_stats stats;
};

struct sn_responder *
sn_responder_create(const struct sn_responder_conf *conf)
{
	struct sn_responder *r;

	if (conf == NULL || conf->dev == NULL || conf->ipv4 == 0) {
		rte_errno = EINVAL;
		return NULL;
	}
	for (unsigned int i = 0; i < RTE_DIM(conf->reserved); i++) {
		if (conf->reserved[i] != 0) {
			rte_errno = EINVAL;
			return NULL;
		}
	}
	r = rte_zmalloc("softnet_responder", sizeof(*r), RTE_CACHE_LINE_SIZE);
	if (r == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	r->conf = *conf;
	return r;
}

void
sn_responder_free(struct sn_responder *r)
{
	rte_free(r);
}

#define CNT(r, f, n) __atomic_fetch_add(&(r)->stats.f, (n), __ATOMIC_RELAXED)

/* ARP request for our address: turn it into the reply. */
static bool
rsp_arp(struct sn_responder *r, struct rte_mbuf *m, struct rte_ether_hdr *eth)
{
	struct rte_arp_hdr *arp;

	if (rte_pktmbuf_data_len(m) < sizeof(*eth) + sizeof(*arp))
		return false;
	arp = (struct rte_arp_hdr *)(eth + 1);
	if (arp->arp_hardware != rte_cpu_to_be_16(RTE_ARP_HRD_ETHER) ||
	    arp->arp_protocol != rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4) ||
	    arp->arp_hlen != RTE_ETHER_ADDR_LEN || arp->arp_plen != 4 ||
	    arp->arp_opcode != rte_cpu_to_be_16(RTE_ARP_OP_REQUEST) ||
	    arp->arp_data.arp_tip != r->conf.ipv4)
		return false;
	CNT(r, arp_requests, 1);
	arp->arp_opcode = rte_cpu_to_be_16(RTE_ARP_OP_REPLY);
	arp->arp_data.arp_tha = arp->arp_data.arp_sha;
	arp->arp_data.arp_tip = arp->arp_data.arp_sip;
	arp->arp_data.arp_sha = r->conf.mac;
	arp->arp_data.arp_sip = r->conf.ipv4;
	eth->dst_addr = arp->arp_data.arp_tha;
	eth->src_addr = r->conf.mac;
	return true;
}

/* ICMP echo request to our address: turn it into the echo reply. */
static bool
rsp_icmp(struct sn_responder *r, struct rte_mbuf *m, struct rte_ether_hdr *eth)
{
	struct rte_ipv4_hdr *ip;
	struct rte_icmp_hdr *icmp;
	uint32_t ihl, sum;

	if (rte_pktmbuf_data_len(m) < sizeof(*eth) + sizeof(*ip) + sizeof(*icmp))
		return false;
	ip = (struct rte_ipv4_hdr *)(eth + 1);
	ihl = (uint32_t)(ip->version_ihl & 0xf) * 4;
	if ((ip->version_ihl >> 4) != 4 || ihl < sizeof(*ip) ||
	    ip->next_proto_id != IPPROTO_ICMP || ip->dst_addr != r->conf.ipv4 ||
	    (ip->fragment_offset & rte_cpu_to_be_16(RTE_IPV4_HDR_OFFSET_MASK | RTE_IPV4_HDR_MF_FLAG)) ||
	    rte_pktmbuf_data_len(m) < sizeof(*eth) + ihl + sizeof(*icmp))
		return false;
	icmp = (struct rte_icmp_hdr *)((uint8_t *)ip + ihl);
	if (icmp->icmp_type != RTE_IP_ICMP_ECHO_REQUEST || icmp->icmp_code != 0)
		return false;
	CNT(r, icmp_requests, 1);
	/* Type 8 -> 0: the checksum grows by 0x0800 (RFC 1624, one's complement). */
	icmp->icmp_type = RTE_IP_ICMP_ECHO_REPLY;
	sum = (uint32_t)(~rte_be_to_cpu_16(icmp->icmp_cksum) & 0xffff) + 0xf7ff;
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	icmp->icmp_cksum = rte_cpu_to_be_16((uint16_t)~sum);
	/* Swapping addresses leaves the IP header checksum unchanged. */
	ip->dst_addr = ip->src_addr;
	ip->src_addr = r->conf.ipv4;
	ip->time_to_live = 64;
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	eth->dst_addr = eth->src_addr;
	eth->src_addr = r->conf.mac;
	return true;
}

void
sn_responder_rx(struct sn_softnet *sd, uint16_t port, uint16_t queue, struct rte_mbuf **pkts,
		uint16_t n, void *arg)
{
	struct sn_responder *r = arg;
	struct rte_mbuf *reply[SN_RX_BURST], *rest[SN_RX_BURST];
	uint16_t nr = 0, no = 0, arp = 0, icmp = 0;

	CNT(r, rx, n);
	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
		bool ok = false;

		if (nr == RTE_DIM(reply) || no == RTE_DIM(rest)) {
			/* Bursts are at most SN_RX_BURST; a larger one is freed. */
			rte_pktmbuf_free(m);
			CNT(r, other, 1);
			continue;
		}
		if (rte_pktmbuf_data_len(m) >= sizeof(*eth)) {
			if (eth->ether_type == rte_cpu_to_be_16(RTE_ETHER_TYPE_ARP)) {
				ok = rsp_arp(r, m, eth);
				arp += ok;
			} else if (eth->ether_type == rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4)) {
				ok = rsp_icmp(r, m, eth);
				icmp += ok;
			}
		}
		if (ok) {
			/* No offloads on a reused mbuf. */
			m->ol_flags = 0;
			sn_mbuf_prio_set(m, r->conf.prio);
			reply[nr++] = m;
		} else {
			rest[no++] = m;
		}
	}
	if (nr != 0) {
		uint16_t sent = sn_xmit_burst(sd, r->conf.dev, r->conf.txq, reply, nr);

		/* Best effort: replies are ARP first, then ICMP, in their order. */
		CNT(r, arp_replies, arp);
		CNT(r, icmp_replies, icmp);
		if (sent < nr)
			CNT(r, tx_dropped, nr - sent);
	}
	if (no != 0) {
		CNT(r, other, no);
		if (r->conf.next != NULL)
			r->conf.next(sd, port, queue, rest, no, r->conf.next_arg);
		else
			rte_pktmbuf_free_bulk(rest, no);
	}
}

int
sn_responder_stats_get(const struct sn_responder *r, struct sn_responder_stats *st)
{
	const uint64_t *src;
	uint64_t *dst = (uint64_t *)st;

	if (r == NULL || st == NULL)
		return -EINVAL;
	src = (const uint64_t *)&r->stats;
	for (size_t i = 0; i < sizeof(*st) / sizeof(uint64_t); i++)
		dst[i] = __atomic_load_n(&src[i], __ATOMIC_RELAXED);
	return 0;
}
