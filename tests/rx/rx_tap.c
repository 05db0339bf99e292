/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Interrupt-mode receive over net_tap, with the kernel in a namespace
 * (rx_tap.sh creates and removes it): softnet's tap interface is moved into
 * the namespace and given 10.77.<n>.1/24; softnet answers for 10.77.<n>.2
 * with the built-in responder, an RX callback on the RX lcore.
 *  1. the kernel pings softnet (ARP, then ICMP): every echo answered;
 *  2. idle, the RX lcore sleeps: its CPU time over 2 s is a small fraction
 *     of a core;
 *  3. a process-context generator on the same lcore transmits at full speed
 *     through the same qdisc and port (to a MAC nobody has: the kernel drops
 *     them) while the kernel pings 300 times every 10 ms: 0% loss, and the
 *     lcore's counters are exact (processed = generator + replies,
 *     sent + dropped = processed); the pool is back to its baseline.
 *
 * Usage: test_rx_tap IFACE NETNS (from rx_tap.sh)
 */

#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_lcore.h>

#include "sn_ethdev.h"
#include "sn_test.h"

static volatile bool stop;
static volatile bool gen_on;
static volatile int rx_tid;
static struct sn_netdev *dev;
static struct rte_mempool *gen_pool;
static struct rte_ether_addr our_mac;
static uint64_t gen_handed, gen_accepted;

static unsigned int
work(struct sn_softnet *sd, void *arg)
{
	struct rte_mbuf *pkts[32];
	int rc;

	RTE_SET_USED(arg);
	if (rx_tid == 0)
		rx_tid = (int)syscall(SYS_gettid);
	if (!__atomic_load_n(&gen_on, __ATOMIC_ACQUIRE))
		return 0;
	/* The pool is shared with NET_TX's frees: allocate with softirqs off. */
	sn_local_bh_disable(sd);
	rc = rte_pktmbuf_alloc_bulk(gen_pool, pkts, RTE_DIM(pkts));
	sn_local_bh_enable(sd);
	if (rc != 0)
		return 1;
	for (unsigned int i = 0; i < RTE_DIM(pkts); i++) {
		struct rte_ether_hdr *eth =
			(struct rte_ether_hdr *)rte_pktmbuf_append(pkts[i], 60);

		memset(eth, 0, 60);
		eth->dst_addr = (struct rte_ether_addr){ { 0x02, 0, 0, 0, 0, 0x99 } };
		eth->src_addr = our_mac;
		eth->ether_type = rte_cpu_to_be_16(0x88b5);
	}
	gen_handed += RTE_DIM(pkts);
	gen_accepted += sn_xmit_burst(sd, dev, 0, pkts, RTE_DIM(pkts));
	return 1;
}

static int
lcore_main(void *arg)
{
	static const struct sn_rx_loop_conf lc = { .work = work };

	RTE_SET_USED(arg);
	return sn_rx_lcore_loop(&stop, &lc);
}

static uint64_t
task_ticks(int tid)
{
	char path[64], buf[1024], *p;
	unsigned long long ut = 0, st = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	f = fopen(path, "r");
	if (f == NULL)
		return 0;
	if (fgets(buf, sizeof(buf), f) == NULL)
		buf[0] = 0;
	fclose(f);
	p = strrchr(buf, ')');
	/* after ')': state(3) ... utime is field 14, stime 15 */
	if (p == NULL || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
				&ut, &st) != 2)
		return 0;
	return ut + st;
}

/* Run ping in the namespace; @return the loss in percent, or -1. */
static double
ping(const char *ns, const char *addr, int count, const char *interval)
{
	char cmd[256], line[256];
	double loss = -1;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "ip netns exec %s ping -n -q -c %d -i %s -W 1 %s 2>&1", ns,
		 count, interval, addr);
	f = popen(cmd, "r");
	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		char *p = strstr(line, "% packet loss");

		if (p != NULL) {
			while (p > line && (p[-1] == '.' || (p[-1] >= '0' && p[-1] <= '9')))
				p--;
			loss = atof(p);
			fputs(line, stdout);
		}
	}
	pclose(f);
	return loss;
}

int
main(int argc, char **argv)
{
	struct sn_ethdev_conf ec = { .nb_rxq = 1, .nb_txq = 1, .rx_intr = true };
	char vdev[128], cmd[512], addr[32];
	const char *iface, *ns;
	struct rte_mempool *rx_pool;
	struct sn_responder *r;
	struct sn_responder_stats rs;
	struct sn_softnet_stats st;
	struct sn_rx_lcore_stats ls;
	unsigned int rx_lcore, base_rx, base_gen;
	uint64_t t0, t1, hz = (uint64_t)sysconf(_SC_CLK_TCK);
	uint16_t port;
	double loss;
	int net = (int)(getpid() % 200) + 20;

	if (argc < 3) {
		fprintf(stderr, "usage: %s IFACE NETNS\n", argv[0]);
		return SN_TEST_FAIL;
	}
	iface = argv[1];
	ns = argv[2];
	snprintf(vdev, sizeof(vdev), "--vdev net_tap0,iface=%s", iface);
	sn_test_init("rx_tap", "0-1", vdev);
	rx_pool = sn_test_pool("rx_tap_rx", 4096);
	gen_pool = sn_test_pool("rx_tap_gen", 8192);
	SN_ASSERT(rx_pool != NULL && gen_pool != NULL, "pools");
	base_rx = rte_mempool_in_use_count(rx_pool);
	base_gen = rte_mempool_in_use_count(gen_pool);
	SN_ASSERT_EQ(rte_eth_dev_get_port_by_name("net_tap0", &port), 0);
	ec.rx_pool = rx_pool;
	dev = sn_ethdev_open(port, "tap", &ec);
	SN_ASSERT(dev != NULL, "open tap: %s", rte_strerror(rte_errno));
	SN_ASSERT_EQ(rte_eth_macaddr_get(port, &our_mac), 0);

	snprintf(cmd, sizeof(cmd),
		 "ip link set dev %s netns %s && "
		 "ip netns exec %s sh -c 'echo 1 > /proc/sys/net/ipv6/conf/%s/disable_ipv6' 2>/dev/null;"
		 "ip -n %s addr add 10.77.%d.1/24 dev %s && ip -n %s link set dev %s up",
		 iface, ns, ns, iface, ns, net, iface, ns, iface);
	SN_ASSERT(system(cmd) == 0, "%s", cmd);
	snprintf(addr, sizeof(addr), "10.77.%d.2", net);

	r = sn_responder_create(&(struct sn_responder_conf){
		.dev = dev, .txq = 0, .ipv4 = RTE_IPV4(10, 77, net, 2) == 0 ? 0 :
			rte_cpu_to_be_32(RTE_IPV4(10, 77, net, 2)),
		.mac = our_mac, .prio = SN_PRIO_INTERACTIVE });
	SN_ASSERT(r != NULL, "responder");
	rx_lcore = rte_get_next_lcore(-1, 1, 0);
	SN_ASSERT_EQ(sn_rx_queue_add(port, 0, rx_lcore,
				     &(struct sn_rx_queue_conf){ .mode = SN_RX_INTERRUPT,
								 .cb = sn_responder_rx, .cb_arg = r }), 0);
	SN_ASSERT_EQ(rte_eal_remote_launch(lcore_main, NULL, rx_lcore), 0);
	for (int i = 0; i < 1000 && rx_tid == 0; i++)
		usleep(1000);
	SN_ASSERT_EQ(sn_rx_queue_mode(port, 0), SN_RX_INTERRUPT);

	/* 1. ARP, then every echo answered. */
	loss = ping(ns, addr, 20, "0.05");
	SN_ASSERT(loss == 0, "%.2f%% ping loss", loss);
	SN_ASSERT_EQ(sn_responder_stats_get(r, &rs), 0);
	SN_ASSERT(rs.arp_replies >= 1, "no ARP reply");
	SN_ASSERT(rs.icmp_replies >= 20, "%" PRIu64 " echo replies", rs.icmp_replies);

	/* 2. Idle: the lcore sleeps. */
	usleep(200000);
	t0 = task_ticks(rx_tid);
	sleep(2);
	t1 = task_ticks(rx_tid);
	SN_ASSERT_EQ(sn_rx_lcore_stats_get(rx_lcore, &ls), 0);
	printf("idle: %" PRIu64 " ticks of %" PRIu64 " in 2 s (%.1f%% of a core), %" PRIu64
	       " sleeps\n", t1 - t0, 2 * hz, 100.0 * (double)(t1 - t0) / (double)(2 * hz), ls.sleeps);
	SN_ASSERT(t1 - t0 <= 2 * hz / 20, "idle lcore used %" PRIu64 " ticks in 2 s", t1 - t0);
	SN_ASSERT(ls.sleeps > 0, "never slept");

	/* 3. Generator saturating the same qdisc: no echo lost. */
	__atomic_store_n(&gen_on, true, __ATOMIC_RELEASE);
	usleep(100000);
	loss = ping(ns, addr, 300, "0.01");
	__atomic_store_n(&gen_on, false, __ATOMIC_RELEASE);
	SN_ASSERT(loss == 0, "%.2f%% ping loss", loss);
	stop = true;
	sn_rx_lcore_wake(rx_lcore);
	SN_ASSERT_EQ(rte_eal_wait_lcore(rx_lcore), 0);

	SN_ASSERT_EQ(sn_responder_stats_get(r, &rs), 0);
	SN_ASSERT_EQ(sn_softnet_stats_get(rx_lcore, &st), 0);
	printf("generator: %" PRIu64 " handed, %" PRIu64 " accepted; lcore: processed %" PRIu64
	       ", sent %" PRIu64 ", dropped %" PRIu64 ", time_squeeze %" PRIu64
	       "; responder: %" PRIu64 " ARP, %" PRIu64 " ICMP replies, %" PRIu64 " other\n",
	       gen_handed, gen_accepted, st.processed, st.sent, st.dropped, st.time_squeeze,
	       rs.arp_replies, rs.icmp_replies, rs.other);
	SN_ASSERT(gen_handed > 100000, "the generator hardly ran");
	SN_ASSERT_EQ(st.processed, gen_handed + rs.arp_replies + rs.icmp_replies);
	SN_ASSERT_EQ(st.sent + st.dropped, st.processed);

	SN_ASSERT_EQ(sn_rx_queue_del(port, 0), 0);
	sn_ethdev_close(dev, NULL);
	sn_responder_free(r);
	if (sn_test_pool_check(rx_pool, base_rx) != 0 || sn_test_pool_check(gen_pool, base_gen) != 0)
		return SN_TEST_FAIL;
	rte_mempool_free(rx_pool);
	rte_mempool_free(gen_pool);
	sn_test_fini();
	return SN_TEST_PASS;
}
