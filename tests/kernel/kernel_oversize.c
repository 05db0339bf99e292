/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Kernel datapath test of the "oversize" drop reason: softnet over
 * net_af_packet on the host end of a veth pair (MTU 1500), the peer in a
 * namespace. What the kernel on the far side receives must be exactly what
 * softnet counts as sent, and every frame the port cannot carry must be
 * counted as dropped with reason "oversize", never "sent".
 *
 *   kernel_oversize IFACE NETNS PEER [MTU]
 *
 * MTU (for the self-check of kernel_oversize.sh only): give softnet's device
 * this MTU instead of the port's, e.g. 1504, so that softnet lets untagged
 * 1518-byte frames through as it did before it knew the untagged limit. The
 * expectations follow softnet's MTU, so the one check left to fail is the
 * point of the test: the kernel receives fewer frames than softnet sent.
 *
 * Phases (each measured on its own: softnet's counters are reset, the
 * peer's rx_packets/rx_bytes and the port's opackets read before and after):
 *
 * 1. 1000 untagged 1518-byte frames (MTU + 18: what an FCS or a VLAN tag
 *    that is not there would make): all dropped as oversize, none sent, the
 *    kernel receives none. Before softnet checked the untagged limit, they
 *    were "sent" by softnet and by the port while the kernel (AF_PACKET's
 *    transmit ring) discarded them: softnet's sent and the kernel's count
 *    differ, and this phase fails.
 * 2. The default IMIX of the app (64:7, 570:4, 1514:1; no frame over MTU +
 *    14) with untagged 1518-byte frames mixed in (every 97th frame) and
 *    VLAN-tagged 1518-byte frames (every 251st; MTU + 18 is allowed for a
 *    tagged frame): the oversize ones are dropped as oversize, everything
 *    else is sent, and the kernel receives exactly what softnet sent, byte
 *    for byte.
 *
 * In both: the drop reasons add up to dropped, no other reason counts, the
 * port's opackets grow by softnet's sent, and once the port is closed the
 * transmit pool is back to its baseline (every mbuf freed exactly once).
 *
 * Run it through kernel_oversize.sh. Exit 0 pass, 1 fail, 77 skip.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_udp.h>

#include "sn_ethdev.h"
#include "kernel_test.h"
#include "sn_test.h"

#define TX_POOL_SIZE 1024u
#define RX_POOL_SIZE 1024u
#define BURST 32u
#define OVERSIZE_LEN 1518u /* MTU 1500 + 18: too long untagged, the limit tagged */
#define DEADLINE_S 20.0
#define SETTLE_S 0.3       /* after the expected count arrived: anything more? */

static const char *iface, *netns, *peer;
static struct rte_ether_addr src_mac, dst_mac;
static uint32_t max_untagged = 1514; /* softnet's MTU + SN_NETDEV_ETH_HLEN */
static uint32_t force_mtu;           /* the self-check's MTU, or 0 */

/* Which frame is i of a phase: its length and whether it carries a tag. */
typedef void (*frame_kind_fn)(uint64_t i, uint32_t *len, bool *vlan);

static void
kind_oversize(uint64_t i, uint32_t *len, bool *vlan)
{
	RTE_SET_USED(i);
	*len = OVERSIZE_LEN;
	*vlan = false;
}

/* The app's default IMIX (7 x 64, 4 x 570, 1 x 1514 in a cycle of 12),
 * with oversize untagged and allowed tagged 1518-byte frames mixed in. */
static void
kind_imix(uint64_t i, uint32_t *len, bool *vlan)
{
	static const uint32_t cycle[12] = { 64, 570, 64, 1514, 64, 570, 64, 64, 570, 64, 570, 64 };

	*vlan = false;
	*len = cycle[i % 12];
	if (i % 97 == 96) {
		*len = OVERSIZE_LEN;
	} else if (i % 251 == 250) {
		*len = OVERSIZE_LEN;
		*vlan = true;
	}
}

struct phase_result {
	uint64_t sent, dropped, oversize, other_reasons, reason_sum;
	uint64_t kernel_rx, kernel_bytes, port_opackets;
	uint64_t expect_sent, expect_oversize, expect_bytes;
};

static int
phase(const char *name, struct sn_softnet *sd, struct sn_netdev *dev, uint16_t port,
      struct rte_mempool *pool, uint64_t count, frame_kind_fn kind, struct phase_result *r)
{
	struct rte_mbuf *pkts[BURST];
	struct sn_softnet_stats st;
	struct rte_eth_stats es0, es1;
	uint64_t rx0, bytes0, rx1, bytes1, done = 0;
	double deadline;

	memset(r, 0, sizeof(*r));
	SN_ASSERT(kns_stat(netns, peer, "rx_packets", &rx0) == 0, "rx_packets of %s", peer);
	SN_ASSERT(kns_stat(netns, peer, "rx_bytes", &bytes0) == 0, "rx_bytes of %s", peer);
	SN_ASSERT(rte_eth_stats_get(port, &es0) == 0, "stats of port %u", port);
	SN_ASSERT(sn_softnet_stats_reset(rte_lcore_id()) == 0, "stats reset");

	deadline = kns_now_s() + DEADLINE_S;
	while (done < count) {
		unsigned int n = (unsigned int)RTE_MIN((uint64_t)BURST, count - done);

		if (rte_pktmbuf_alloc_bulk(pool, pkts, n) != 0) {
			sn_softnet_poll(sd);
			SN_ASSERT(kns_now_s() < deadline, "%s: stuck after %" PRIu64 " frames", name, done);
			continue;
		}
		for (unsigned int i = 0; i < n; i++) {
			uint32_t len;
			bool vlan;

			kind(done + i, &len, &vlan);
			rte_pktmbuf_append(pkts[i], (uint16_t)len);
			kns_frame_fill(pkts[i], &src_mac, &dst_mac, len, vlan);
			if (len > max_untagged && !vlan) {
				r->expect_oversize++;
			} else {
				r->expect_sent++;
				r->expect_bytes += len;
			}
		}
		sn_xmit_burst(sd, dev, 0, pkts, (uint16_t)n);
		done += n;
		sn_softnet_poll(sd);
	}
	sn_test_drain(sd);

	/* The kernel delivers asynchronously: wait for what softnet sent, then
	 * a little longer, so that anything beyond it would be seen too. */
	SN_ASSERT(sn_softnet_stats_get(rte_lcore_id(), &st) == 0, "stats");
	rx1 = rx0;
	deadline = RTE_MIN(deadline, kns_now_s() + 5.0);
	while (kns_now_s() < deadline) {
		sn_softnet_poll(sd);
		if (kns_stat(netns, peer, "rx_packets", &rx1) == 0 && rx1 - rx0 >= st.sent)
			break;
		rte_delay_ms(10);
	}
	rte_delay_ms((unsigned int)(SETTLE_S * 1000));
	SN_ASSERT(kns_stat(netns, peer, "rx_packets", &rx1) == 0 && kns_stat(netns, peer, "rx_bytes", &bytes1) == 0,
		  "rx counters of %s", peer);
	SN_ASSERT(rte_eth_stats_get(port, &es1) == 0, "stats of port %u", port);

	r->sent = st.sent;
	r->dropped = st.dropped;
	r->oversize = st.drops[SN_DROP_OVERSIZE];
	for (unsigned int k = 0; k < SN_DROP_REASON_MAX; k++) {
		r->reason_sum += st.drops[k];
		if (k != SN_DROP_OVERSIZE)
			r->other_reasons += st.drops[k];
	}
	r->kernel_rx = rx1 - rx0;
	r->kernel_bytes = bytes1 - bytes0;
	r->port_opackets = es1.opackets - es0.opackets;
	printf("%s: %" PRIu64 " frames; softnet sent %" PRIu64 " dropped %" PRIu64 " (oversize %"
	       PRIu64 ", other reasons %" PRIu64 "); port opackets %" PRIu64 "; kernel %s received %"
	       PRIu64 " frames %" PRIu64 " bytes; expected sent %" PRIu64 " (%" PRIu64
	       " bytes), oversize %" PRIu64 "\n", name, count, r->sent, r->dropped, r->oversize,
	       r->other_reasons, r->port_opackets, peer, r->kernel_rx, r->kernel_bytes,
	       r->expect_sent, r->expect_bytes, r->expect_oversize);

	/* Every frame either sent or dropped, the drops all "oversize". */
	SN_ASSERT_EQ(st.processed, count);
	SN_ASSERT_EQ(r->sent + r->dropped, count);
	SN_ASSERT_EQ(r->reason_sum, r->dropped);
	SN_ASSERT_EQ(r->other_reasons, 0);
	SN_ASSERT_EQ(r->oversize, r->expect_oversize);
	SN_ASSERT_EQ(r->sent, r->expect_sent);
	/* The point: the kernel got exactly what softnet says it sent. */
	SN_ASSERT_EQ(r->kernel_rx, r->sent);
	SN_ASSERT_EQ(r->kernel_bytes, r->expect_bytes);
	SN_ASSERT_EQ(r->port_opackets, r->sent);
	return SN_TEST_PASS;
}

static int
run(void)
{
	struct rte_mempool *tx_pool, *rx_pool;
	struct sn_ethdev_conf conf;
	struct phase_result r1, r2;
	struct sn_softnet *sd;
	struct sn_netdev *dev;
	char mac[64];
	uint16_t port;
	int rc;

	if (rte_eth_dev_count_avail() != 1) {
		fprintf(stderr, "FAIL: %u ports, expected net_af_packet0\n",
			rte_eth_dev_count_avail());
		return SN_TEST_FAIL;
	}
	RTE_ETH_FOREACH_DEV(port)
		break;
	tx_pool = sn_test_pool("ko_tx", TX_POOL_SIZE);
	rx_pool = sn_test_pool("ko_rx", RX_POOL_SIZE);
	SN_ASSERT(tx_pool != NULL && rx_pool != NULL, "pools: %s", rte_strerror(rte_errno));

	sd = sn_softnet_attach();
	SN_ASSERT(sd != NULL, "attach: %s", rte_strerror(rte_errno));
	memset(&conf, 0, sizeof(conf));
	conf.nb_txq = 1;
	conf.nb_rxq = 1;
	conf.rx_pool = rx_pool;
	conf.nb_rx_desc = 512;
	conf.nb_tx_desc = 512;
	dev = sn_ethdev_open(port, "ko0", &conf);
	SN_ASSERT(dev != NULL, "sn_ethdev_open: %s", rte_strerror(rte_errno));
	printf("port %u over %s: softnet MTU %u (largest untagged frame %u, tagged %u)\n", port,
	       iface, sn_netdev_mtu(dev), sn_netdev_mtu(dev) + SN_NETDEV_ETH_HLEN,
	       sn_netdev_mtu(dev) + SN_NETDEV_L2_OVERHEAD);
	SN_ASSERT_EQ(sn_netdev_mtu(dev), 1500);
	if (force_mtu != 0) {
		SN_ASSERT(sn_netdev_set_mtu(dev, force_mtu) == 0, "set_mtu %u", force_mtu);
		printf("softnet's MTU forced to %u: untagged frames up to %u pass\n",
		       force_mtu, force_mtu + SN_NETDEV_ETH_HLEN);
	}
	max_untagged = sn_netdev_mtu(dev) + SN_NETDEV_ETH_HLEN;

	SN_ASSERT(kns_read(netns, peer, "address", mac, sizeof(mac)) == 0, "MAC of %s in %s", peer, netns);
	SN_ASSERT(rte_ether_unformat_addr(mac, &dst_mac) == 0, "bad MAC '%s'", mac);
	SN_ASSERT(rte_eth_macaddr_get(port, &src_mac) == 0, "macaddr_get");

	rc = phase("untagged 1518", sd, dev, port, tx_pool, 1000, kind_oversize, &r1);
	if (rc == SN_TEST_PASS)
		rc = phase("imix + 1518", sd, dev, port, tx_pool, 12000, kind_imix, &r2);
	if (rc == SN_TEST_PASS && force_mtu == 0) {
		/* The mix did carry what it is meant to. */
		SN_ASSERT(r1.oversize == 1000 && r1.sent == 0, "phase 1");
		SN_ASSERT(r2.oversize > 100 && r2.sent > 11000, "phase 2");
	}

	sn_ethdev_close(dev, sd);
	SN_ASSERT(sn_softnet_detach(sd) == 0, "detach");
	if (rc != SN_TEST_PASS)
		return rc;
	if (sn_test_pool_check(tx_pool, 0) != 0)
		return SN_TEST_FAIL;
	return SN_TEST_PASS;
}

int
main(int argc, char **argv)
{
	char vdev[256];
	int rc;

	if (argc < 4) {
		fprintf(stderr, "usage: %s IFACE NETNS PEER [MTU]\n", argv[0]);
		return SN_TEST_FAIL;
	}
	iface = argv[1];
	netns = argv[2];
	peer = argv[3];
	if (argc > 4)
		force_mtu = (uint32_t)strtoul(argv[4], NULL, 10);
	if (geteuid() != 0) {
		fprintf(stderr, "SKIP: needs root\n");
		return SN_TEST_SKIP;
	}
	snprintf(vdev, sizeof(vdev), "--vdev net_af_packet0,iface=%s,qpairs=1", iface);
	sn_test_init("ko_af_packet", "0", vdev);
	rc = run();
	sn_test_fini();
	printf("kernel_oversize: %s\n",
	       rc == SN_TEST_PASS ? "ok" : rc == SN_TEST_SKIP ? "skip" : "FAIL");
	return rc;
}
