/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SN_TEST_KERNEL_TEST_H
#define SN_TEST_KERNEL_TEST_H

/*
 * Shared by the kernel tests (kernel_xmit.c, kernel_oversize.c): the frames
 * they send, and what they read from the far end of their veth pair (a file
 * of /sys/class/net/<peer>/ inside the namespace the test's script created,
 * the peer's receive counters).
 */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

/* Seconds on the monotonic clock. */
static inline double
kns_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Read the first line of /sys/class/net/@peer/@what in namespace @netns. */
static inline int
kns_read(const char *netns, const char *peer, const char *what, char *buf, size_t len)
{
	char cmd[256];
	FILE *f;
	int ok;

	snprintf(cmd, sizeof(cmd), "ip netns exec %s cat /sys/class/net/%s/%s 2>/dev/null",
		 netns, peer, what);
	f = popen(cmd, "r");
	if (f == NULL)
		return -errno;
	ok = fgets(buf, (int)len, f) != NULL;
	if (pclose(f) != 0 || !ok)
		return -EIO;
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* One of @peer's statistics/ counters (rx_packets, rx_bytes, ...). */
static inline int
kns_stat(const char *netns, const char *peer, const char *stat, uint64_t *v)
{
	char path[64], buf[64];
	int rc;

	snprintf(path, sizeof(path), "statistics/%s", stat);
	rc = kns_read(netns, peer, path, buf, sizeof(buf));
	if (rc == 0)
		*v = strtoull(buf, NULL, 10);
	return rc;
}

/*
 * A UDP/IPv4 frame from @src to @dst of @len bytes (without FCS; the mbuf
 * already holds them), VLAN-tagged (id 100) if @vlan; a valid IP checksum,
 * so the receiver counts it and drops nothing as malformed.
 */
static inline void
kns_frame_fill(struct rte_mbuf *m, const struct rte_ether_addr *src,
	       const struct rte_ether_addr *dst, uint32_t len, bool vlan)
{
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	uint32_t l2 = sizeof(*eth);
	struct rte_ipv4_hdr *ip;
	struct rte_udp_hdr *udp;
	uint16_t ip_len;

	rte_ether_addr_copy(dst, &eth->dst_addr);
	rte_ether_addr_copy(src, &eth->src_addr);
	if (vlan) {
		struct rte_vlan_hdr *vh = (struct rte_vlan_hdr *)(eth + 1);

		eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_VLAN);
		vh->vlan_tci = rte_cpu_to_be_16(100);
		vh->eth_proto = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
		l2 += sizeof(*vh);
	} else {
		eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	}
	ip = (struct rte_ipv4_hdr *)((char *)eth + l2);
	udp = (struct rte_udp_hdr *)(ip + 1);
	ip_len = (uint16_t)(len - l2);
	memset(ip, 0, sizeof(*ip));
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16(ip_len);
	ip->time_to_live = 1;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = rte_cpu_to_be_32(RTE_IPV4(192, 0, 2, 1));
	ip->dst_addr = rte_cpu_to_be_32(RTE_IPV4(192, 0, 2, 2));
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	udp->src_port = rte_cpu_to_be_16(9);
	udp->dst_port = rte_cpu_to_be_16(9);
	udp->dgram_len = rte_cpu_to_be_16((uint16_t)(ip_len - sizeof(*ip)));
	udp->dgram_cksum = 0;
}

#endif /* SN_TEST_KERNEL_TEST_H */
