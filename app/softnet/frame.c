/* SPDX-License-Identifier: BSD-3-Clause */
/* The frame template (UDP/IPv4) and the mbuf pool that carries it. */

#include <errno.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_errno.h>
#include <rte_ip.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include <sn_mbuf.h>

#include "frame.h"
#include "gen.h"

/* softnet's completion queue holds this many mbufs per lcore (SN_CQ_SIZE). */
#define APP_CQ_MBUFS 1024u
/* What a qdisc may keep for requeue (SN_QDISC_REQUEUE_MAX) plus one run's batch. */
#define APP_QDISC_EXTRA 128u
#define APP_POOL_SLACK 1024u
#define APP_POOL_MAX (1u << 22)

int
app_frame_build(struct app_frame *f, const struct app_opts *o)
{
	struct rte_ether_hdr *eth;
	struct rte_ipv4_hdr *ip;
	struct rte_udp_hdr *udp;
	uint8_t *payload;
	uint32_t hdrs = sizeof(*eth) + sizeof(*ip) + sizeof(*udp);

	f->len = o->size;
	f->copy_len = RTE_MIN(o->size, (uint32_t)APP_HDR_COPY);
	f->data = rte_zmalloc("softnet_frame", RTE_MAX(f->len, (uint32_t)APP_HDR_COPY), 0);
	if (f->data == NULL)
		return -ENOMEM;

	eth = (struct rte_ether_hdr *)f->data;
	rte_ether_addr_copy(&o->dst_mac, &eth->dst_addr);
	rte_ether_addr_copy(&o->src_mac, &eth->src_addr);
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);

	ip = (struct rte_ipv4_hdr *)(eth + 1);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16((uint16_t)(f->len - sizeof(*eth)));
	ip->fragment_offset = rte_cpu_to_be_16(RTE_IPV4_HDR_DF_FLAG);
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = o->src_ip;
	ip->dst_addr = o->dst_ip;
	ip->hdr_checksum = rte_ipv4_cksum(ip);

	udp = (struct rte_udp_hdr *)(ip + 1);
	udp->src_port = rte_cpu_to_be_16(o->sport);
	udp->dst_port = rte_cpu_to_be_16(o->dport);
	udp->dgram_len = rte_cpu_to_be_16((uint16_t)(f->len - sizeof(*eth) - sizeof(*ip)));
	udp->dgram_cksum = 0; /* optional over IPv4 */

	/* A recognisable payload: byte i holds i. */
	payload = (uint8_t *)(udp + 1);
	for (uint32_t i = 0; i < f->len - hdrs; i++)
		payload[i] = (uint8_t)i;
	/* The stamp (gen.h): sequence and TSC are written per packet, the magic here. */
	((struct app_stamp *)(f->data + APP_STAMP_OFF))->magic = APP_STAMP_MAGIC;
	return 0;
}

void
app_frame_free(struct app_frame *f)
{
	rte_free(f->data);
	f->data = NULL;
}

struct app_pool_fill {
	const struct app_frame *f;
	uint32_t prio;
};

/*
 * Write the frame and the priority into one mbuf. rte_pktmbuf_alloc() resets
 * neither the data nor the dynamic fields, so this happens once per mbuf, not
 * once per packet.
 */
static void
app_pool_fill_one(struct rte_mempool *mp __rte_unused, void *arg, void *obj,
		  unsigned int idx __rte_unused)
{
	const struct app_pool_fill *fill = arg;
	struct rte_mbuf *m = obj;

	memcpy((uint8_t *)m->buf_addr + RTE_PKTMBUF_HEADROOM, fill->f->data, fill->f->len);
	sn_mbuf_prio_set(m, fill->prio);
}

struct rte_mempool *
app_pool_create(const struct app_pool_need *need, const struct app_frame *f, uint32_t prio,
		int socket)
{
	struct app_pool_fill fill = { .f = f, .prio = prio };
	unsigned int cache, n;
	uint16_t room;
	struct rte_mempool *mp;

	/*
	 * A large per-lcore cache keeps alloc and free off the shared ring;
	 * mbufs parked in caches count as available, not in use.
	 */
	cache = need->burst > 128 ? RTE_MEMPOOL_CACHE_MAX_SIZE : 256;
	/*
	 * Everything that can hold mbufs at once: each generator's burst, its
	 * completion queue and cache (up to 1.5x its size); each queue's qdisc,
	 * requeue slots and port descriptors.
	 */
	n = need->nb_lcores * (need->burst + APP_CQ_MBUFS + cache + cache / 2) +
	    need->nb_txq * (need->qdisc_pkts + APP_QDISC_EXTRA + need->tx_desc) +
	    APP_POOL_SLACK;
	n = RTE_MIN(n, APP_POOL_MAX);
	n = rte_align32pow2(n + 1) - 1; /* a power of two less one suits the ring */
	if (RTE_PKTMBUF_HEADROOM + f->len > UINT16_MAX) {
		rte_errno = EINVAL; /* one segment per frame: no room that large */
		return NULL;
	}
	room = (uint16_t)RTE_MAX((uint32_t)RTE_MBUF_DEFAULT_BUF_SIZE,
				 RTE_PKTMBUF_HEADROOM + f->len);

	mp = rte_pktmbuf_pool_create("softnet_gen", n, cache, 0, room, socket);
	if (mp == NULL)
		return NULL;
	rte_mempool_obj_iter(mp, app_pool_fill_one, &fill);
	return mp;
}
