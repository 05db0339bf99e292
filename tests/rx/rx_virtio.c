/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtio-user + vhost in one process: the vhost port is the "host", driven
 * by the main thread with raw ethdev calls; the virtio-user port is served by
 * an RX lcore in interrupt mode (where the PMD gives it RX interrupts) whose
 * callback echoes every packet back through softnet. A burst of N packets
 * sent by the host must all come back. SIGPIPE is ignored (closing vhost
 * first raises it); virtio-user keeps sent mbufs until it is stopped, so the
 * pool is checked after both ports are closed.
 */

#include <signal.h>
#include <unistd.h>

#include <rte_dev.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>

#include "sn_ethdev.h"
#include "sn_test.h"

#define N 2000

static volatile bool stop;
static struct sn_netdev *vdev_dev;
static uint64_t echoed;

static void
echo(struct sn_softnet *sd, uint16_t port, uint16_t queue, struct rte_mbuf **pkts, uint16_t n,
     void *arg)
{
	RTE_SET_USED(port);
	RTE_SET_USED(queue);
	RTE_SET_USED(arg);
	echoed += n;
	sn_xmit_burst(sd, vdev_dev, 0, pkts, n);
}

static int
lcore_main(void *arg)
{
	RTE_SET_USED(arg);
	return sn_rx_lcore_loop(&stop, NULL);
}

int
main(void)
{
	struct sn_ethdev_conf ec = { .nb_rxq = 1, .nb_txq = 1, .nb_rx_desc = 256, .nb_tx_desc = 256 };
	char extra[512], sock[128];
	struct rte_mempool *mp;
	struct rte_eth_link link;
	struct sn_netdev *host_dev;
	struct sn_rx_queue_stats qs;
	uint16_t host, guest;
	unsigned int rx_lcore, baseline;
	uint64_t sent = 0, back = 0, seq = 0;
	int mode;

	signal(SIGPIPE, SIG_IGN);
	snprintf(sock, sizeof(sock), "/tmp/sn-vhost-%d.sock", (int)getpid());
	unlink(sock);
	/* virtio-user connects at probe: plug it in once vhost listens (at its start). */
	snprintf(extra, sizeof(extra), "--vdev net_vhost0,iface=%s,queues=1 --log-level=lib.vhost.*:error", sock);
	sn_test_init("rx_virtio", "0-1", extra);
	mp = sn_test_pool("rx_virtio_pool", 8192);
	SN_ASSERT(mp != NULL, "pool");
	baseline = rte_mempool_in_use_count(mp);
	if (rte_eth_dev_get_port_by_name("net_vhost0", &host) != 0) {
		printf("SKIP: the vhost port did not probe here\n");
		unlink(sock);
		return SN_TEST_SKIP;
	}
	ec.rx_pool = mp;
	host_dev = sn_ethdev_open(host, "vhost", &ec);
	SN_ASSERT(host_dev != NULL, "vhost: %s", rte_strerror(rte_errno));
	snprintf(extra, sizeof(extra), "virtio_user0,path=%s,queues=1", sock);
	if (rte_dev_probe(extra) != 0 || rte_eth_dev_get_port_by_name("virtio_user0", &guest) != 0) {
		printf("SKIP: virtio-user did not probe here\n");
		sn_ethdev_close(host_dev, NULL);
		unlink(sock);
		return SN_TEST_SKIP;
	}
	ec.rx_intr = true;
	vdev_dev = sn_ethdev_open(guest, "virtio", &ec);
	if (vdev_dev == NULL) {
		ec.rx_intr = false;
		vdev_dev = sn_ethdev_open(guest, "virtio", &ec);
	}
	SN_ASSERT(vdev_dev != NULL, "virtio-user: %s", rte_strerror(rte_errno));
	for (int i = 0; i < 5000; i++) {
		if (rte_eth_link_get_nowait(host, &link) == 0 && link.link_status)
			break;
		usleep(1000);
	}
	rx_lcore = rte_get_next_lcore(-1, 1, 0);
	SN_ASSERT_EQ(sn_rx_queue_add(guest, 0, rx_lcore,
				     &(struct sn_rx_queue_conf){ .mode = SN_RX_INTERRUPT, .cb = echo }),
		     0);
	SN_ASSERT_EQ(rte_eal_remote_launch(lcore_main, NULL, rx_lcore), 0);
	usleep(100000);
	mode = sn_rx_queue_mode(guest, 0);
	printf("virtio-user rxq 0 served in %s mode\n", mode == SN_RX_INTERRUPT ? "interrupt" : "poll");

	/* The host sends N packets in bursts and collects the echoes. */
	for (int i = 0; i < 20000 && back < N; i++) {
		struct rte_mbuf *pkts[32];

		if (sent < N) {
			unsigned int k = (unsigned int)RTE_MIN(32u, N - sent);

			if (sn_test_alloc(mp, pkts, k, 64, 0, seq) == 0) {
				uint16_t s = rte_eth_tx_burst(host, 0, pkts, (uint16_t)k);

				if (s < k)
					rte_pktmbuf_free_bulk(pkts + s, k - s);
				sent += s;
				seq += s;
			}
		}
		for (uint16_t n; (n = rte_eth_rx_burst(host, 0, pkts, 32)) != 0;) {
			back += n;
			rte_pktmbuf_free_bulk(pkts, n);
		}
		usleep(500);
	}
	SN_ASSERT_EQ(sn_rx_queue_stats_get(guest, 0, &qs), 0);
	printf("host sent %" PRIu64 ", guest echoed %" PRIu64 ", host got back %" PRIu64
	       "; guest rxq: %" PRIu64 " irqs, %" PRIu64 " polls, %" PRIu64 " rearms\n",
	       sent, echoed, back, qs.irqs, qs.polls, qs.rearms);
	stop = true;
	sn_rx_lcore_wake(rx_lcore);
	SN_ASSERT_EQ(rte_eal_wait_lcore(rx_lcore), 0);
	SN_ASSERT_EQ(sent, N);
	SN_ASSERT_EQ(back, N);
	if (mode == SN_RX_INTERRUPT)
		SN_ASSERT(qs.irqs > 0, "interrupt mode but no interrupt taken");

	SN_ASSERT_EQ(sn_rx_queue_del(guest, 0), 0);
	sn_ethdev_close(vdev_dev, NULL);
	sn_ethdev_close(host_dev, NULL);
	unlink(sock);
	if (sn_test_pool_check(mp, baseline) != 0)
		return SN_TEST_FAIL;
	rte_mempool_free(mp);
	sn_test_fini();
	return SN_TEST_PASS;
}
