/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Kernel datapath test: softnet transmits exactly N frames through a DPDK
 * port that is backed by a real kernel interface, and the kernel, on the far
 * side, receives exactly N frames and exactly their bytes.
 *
 *   kernel_xmit MODE IFACE NETNS PEER [COUNT]
 *
 * MODE       af_packet: net_af_packet on IFACE, the host end of a veth pair
 *            af_xdp:    net_af_xdp on IFACE (queue 0), the host end of a veth
 *            tap:       net_tap creates IFACE; this program moves it into NETNS
 * NETNS      network namespace holding PEER (made by kernel_xmit.sh)
 * PEER       interface whose statistics count what arrived (the veth peer,
 *            or IFACE itself for tap)
 * COUNT      frames to send (default 10000), 64 to 1514 bytes, IPv4/UDP from
 *            192.0.2.1 to 192.0.2.2 (TEST-NET-1) with PEER's MAC as
 *            destination; PEER has no address, so the kernel counts the
 *            frames and drops them without answering.
 *
 * Checks: softnet counts COUNT sent and no drop; PEER's rx_packets and
 * rx_bytes grow by exactly COUNT and the sum of the frame lengths; once the
 * port is closed, the transmit pool is back to its baseline (every mbuf freed
 * exactly once).
 *
 * Run it through kernel_xmit.sh, which creates and always removes the
 * namespace and the veth pair. Exit 0 pass, 1 fail, 77 skip.
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

#define DEFAULT_COUNT 10000u
#define TX_POOL_SIZE 1024u  /* fewer than COUNT: mbufs must come back to be reused */
#define RX_POOL_SIZE 4096u  /* af_xdp: its UMEM; fill ring and tx copies come from it */
#define BURST 32u
#define MIN_LEN 64u
#define MAX_LEN 1514u
#define DEADLINE_S 20.0

static const char *mode, *iface, *netns, *peer;

/* Frame i: its length cycles through 64 .. 1514 bytes. */
static uint32_t
frame_len(uint64_t i)
{
	return MIN_LEN + (uint32_t)((i * 53) % (MAX_LEN - MIN_LEN + 1));
}

static int
run(uint64_t count)
{
	struct rte_mempool *tx_pool, *rx_pool;
	struct sn_ethdev_conf conf;
	struct sn_softnet_stats st;
	struct rte_eth_stats es;
	struct rte_ether_addr src, dst;
	struct sn_softnet *sd;
	struct sn_netdev *dev;
	struct rte_mbuf *pkts[BURST];
	uint64_t rx0, bytes0, rx1, bytes1, expect_bytes = 0, sent = 0, dropped = 0;
	char mac[64];
	uint16_t port;
	double t0, deadline;
	int rc;

	if (rte_eth_dev_count_avail() != 1) {
		if (strcmp(mode, "af_xdp") == 0) {
			fprintf(stderr, "SKIP: net_af_xdp could not be created on %s "
				"(kernel or libxdp without AF_XDP support here)\n", iface);
			return SN_TEST_SKIP;
		}
		fprintf(stderr, "FAIL: %u ports, expected the %s vdev\n",
			rte_eth_dev_count_avail(), mode);
		return SN_TEST_FAIL;
	}
	RTE_ETH_FOREACH_DEV(port)
		break;

	tx_pool = sn_test_pool("kx_tx", TX_POOL_SIZE);
	/* net_af_xdp (DPDK 22.11) needs an rx pool laid out for its UMEM
	 * arithmetic: see sn_ethdev_pool_create(). */
	rx_pool = sn_ethdev_pool_create("kx_rx", RX_POOL_SIZE, 0, (int)rte_socket_id());
	SN_ASSERT(tx_pool != NULL && rx_pool != NULL, "pools: %s", rte_strerror(rte_errno));

	sd = sn_softnet_attach();
	SN_ASSERT(sd != NULL, "attach: %s", rte_strerror(rte_errno));

	memset(&conf, 0, sizeof(conf));
	conf.nb_txq = 1;
	conf.nb_rxq = 1;    /* af_xdp pairs its tx ring with an rx queue's socket */
	conf.rx_pool = rx_pool;
	conf.nb_rx_desc = 1024;
	conf.nb_tx_desc = 1024;
	if (strcmp(mode, "af_xdp") == 0) {
		/*
		 * A plain pktmbuf pool must be refused, not lose frames: under
		 * --no-huge (sn_test_init) each 2368-byte mbuf sits in a 4 KiB page
		 * of its own, so the pool spans 16 MiB and the PMD's UMEM 9.25 MiB;
		 * the kernel rejected every frame copied beyond it.
		 */
		struct rte_mempool *plain = sn_test_pool("kx_plain", RX_POOL_SIZE);

		SN_ASSERT(plain != NULL, "plain pool");
		conf.rx_pool = plain;
		dev = sn_ethdev_open(port, "kx0", &conf);
		SN_ASSERT(dev == NULL && rte_errno == EINVAL,
			  "net_af_xdp opened over a pool its UMEM cannot cover (%s)",
			  dev == NULL ? rte_strerror(rte_errno) : "no error");
		rte_mempool_free(plain);
		printf("af_xdp: sn_ethdev_open() refused a plain pktmbuf pool (EINVAL), as it must\n");
		conf.rx_pool = rx_pool;
	}
	dev = sn_ethdev_open(port, "kx0", &conf);
	if (dev == NULL && strcmp(mode, "af_xdp") == 0) {
		fprintf(stderr, "SKIP: net_af_xdp on %s cannot start: %s\n", iface,
			rte_strerror(rte_errno));
		sn_softnet_detach(sd);
		return SN_TEST_SKIP;
	}
	SN_ASSERT(dev != NULL, "sn_ethdev_open(%s): %s", mode, rte_strerror(rte_errno));

	if (strcmp(mode, "tap") == 0) {
		/* The tap PMD made IFACE on the host: move it into the namespace
		 * (the PMD keeps its queue file descriptors) and bring it up there. */
		char cmd[512];

		snprintf(cmd, sizeof(cmd),
			 "ip link set dev %s netns %s && "
			 "ip netns exec %s sh -c 'echo 1 > /proc/sys/net/ipv6/conf/%s/disable_ipv6' "
			 "2>/dev/null; ip netns exec %s ip link set dev %s up",
			 iface, netns, netns, iface, netns, iface);
		SN_ASSERT(system(cmd) == 0, "%s", cmd);
	}

	rc = kns_read(netns, peer, "address", mac, sizeof(mac));
	SN_ASSERT(rc == 0, "MAC of %s in %s", peer, netns);
	SN_ASSERT(rte_ether_unformat_addr(mac, &dst) == 0, "bad MAC '%s'", mac);
	SN_ASSERT(rte_eth_macaddr_get(port, &src) == 0, "macaddr_get");
	SN_ASSERT(kns_stat(netns, peer, "rx_packets", &rx0) == 0, "rx_packets of %s", peer);
	SN_ASSERT(kns_stat(netns, peer, "rx_bytes", &bytes0) == 0, "rx_bytes of %s", peer);
	sn_softnet_stats_reset(rte_lcore_id());

	/* Send: bursts of BURST, each built from the small tx pool; when the
	 * pool is empty the qdisc or the PMD still holds mbufs: run softnet until
	 * they come back. */
	t0 = kns_now_s();
	deadline = t0 + DEADLINE_S;
	while (sent + dropped < count) {
		unsigned int n = (unsigned int)RTE_MIN((uint64_t)BURST, count - sent - dropped);
		uint16_t ok;

		if (rte_pktmbuf_alloc_bulk(tx_pool, pkts, n) != 0) {
			sn_softnet_poll(sd);
			SN_ASSERT(kns_now_s() < deadline, "stuck after %" PRIu64 " frames: tx pool empty",
				  sent);
			continue;
		}
		for (unsigned int i = 0; i < n; i++) {
			uint32_t len = frame_len(sent + dropped + i);

			rte_pktmbuf_append(pkts[i], (uint16_t)len);
			kns_frame_fill(pkts[i], &src, &dst, len, false);
			expect_bytes += len;
		}
		ok = sn_xmit_burst(sd, dev, 0, pkts, (uint16_t)n);
		sent += ok;
		dropped += n - ok;
		sn_softnet_poll(sd);
	}
	sn_test_drain(sd);

	/* Wait for the kernel to have delivered everything. */
	rx1 = rx0;
	bytes1 = bytes0;
	while (kns_now_s() < deadline) {
		sn_softnet_poll(sd);
		if (kns_stat(netns, peer, "rx_packets", &rx1) == 0 && rx1 - rx0 >= count)
			break;
		rte_delay_ms(10);
	}
	kns_stat(netns, peer, "rx_bytes", &bytes1);
	{
		uint64_t rxd = 0;
		char path[128], buf[32] = "?";
		FILE *f;

		kns_stat(netns, peer, "rx_dropped", &rxd);
		snprintf(path, sizeof(path), "/sys/class/net/%s/statistics/tx_dropped", iface);
		f = fopen(path, "r");
		if (f != NULL) {
			if (fgets(buf, sizeof(buf), f) == NULL)
				strcpy(buf, "?");
			buf[strcspn(buf, "\n")] = '\0';
			fclose(f);
		}
		printf("%s: %s rx_dropped %" PRIu64 ", %s tx_dropped %s\n", mode, peer, rxd,
		       iface, buf);
	}
	printf("%s: %" PRIu64 " frames in %.3f s; %s received %" PRIu64 " frames, %" PRIu64
	       " bytes (expected %" PRIu64 ")\n", mode, count, kns_now_s() - t0, peer, rx1 - rx0,
	       bytes1 - bytes0, expect_bytes);

	memset(&es, 0, sizeof(es));
	rte_eth_stats_get(port, &es);
	sn_softnet_stats_get(rte_lcore_id(), &st);
	printf("%s: softnet processed %" PRIu64 " sent %" PRIu64 " dropped %" PRIu64
	       " requeued %" PRIu64 "; port opackets %" PRIu64 " oerrors %" PRIu64 "\n", mode,
	       st.processed, st.sent, st.dropped, st.requeued, es.opackets, es.oerrors);

	/* Close the port first: some PMDs keep transmitted mbufs until then. */
	sn_ethdev_close(dev, sd);
	SN_ASSERT(sn_softnet_detach(sd) == 0, "detach");

	SN_ASSERT_EQ(dropped, 0);
	SN_ASSERT_EQ(st.sent, count);
	SN_ASSERT_EQ(st.dropped, 0);
	SN_ASSERT_EQ(rx1 - rx0, count);
	SN_ASSERT_EQ(bytes1 - bytes0, expect_bytes);
	if (sn_test_pool_check(tx_pool, 0) != 0)
		return SN_TEST_FAIL;
	if (rte_mempool_in_use_count(rx_pool) != 0)
		printf("%s: note: %u rx mbufs still held by the PMD after close\n", mode,
		       rte_mempool_in_use_count(rx_pool));
	return SN_TEST_PASS;
}

int
main(int argc, char **argv)
{
	char vdev[256], name[32];
	uint64_t count = DEFAULT_COUNT;
	int rc;

	if (argc < 5) {
		fprintf(stderr, "usage: %s af_packet|af_xdp|tap IFACE NETNS PEER [COUNT]\n",
			argv[0]);
		return SN_TEST_FAIL;
	}
	mode = argv[1];
	iface = argv[2];
	netns = argv[3];
	peer = argv[4];
	if (argc > 5)
		count = strtoull(argv[5], NULL, 0);
	if (geteuid() != 0) {
		fprintf(stderr, "SKIP: needs root\n");
		return SN_TEST_SKIP;
	}

	if (strcmp(mode, "af_packet") == 0)
		snprintf(vdev, sizeof(vdev), "--vdev net_af_packet0,iface=%s,qpairs=1", iface);
	else if (strcmp(mode, "af_xdp") == 0)
		snprintf(vdev, sizeof(vdev),
			 "--vdev net_af_xdp0,iface=%s,start_queue=0,queue_count=1", iface);
	else if (strcmp(mode, "tap") == 0)
		snprintf(vdev, sizeof(vdev), "--vdev net_tap0,iface=%s", iface);
	else {
		fprintf(stderr, "unknown mode %s\n", mode);
		return SN_TEST_FAIL;
	}
	snprintf(name, sizeof(name), "kx_%s", mode);
	sn_test_init(name, "0", vdev);
	rc = run(count);
	sn_test_fini();
	printf("kernel_xmit %s: %s\n", mode,
	       rc == SN_TEST_PASS ? "ok" : rc == SN_TEST_SKIP ? "skip" : "FAIL");
	return rc;
}
