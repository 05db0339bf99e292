/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Side by side with the kernel: the same shaper, the same configuration and
 * the same offered load, once in the kernel (tc on a veth) and once in
 * softnet (net_af_packet on another veth); the two achieved rates must be
 * within 1% of the configuration and of each other.
 *
 *   kernel_qos KHOST SHOST NETNS KPEER SPEER
 *
 * KHOST  host end of the kernel's veth pair: tc puts the qdisc on it, and a
 *        raw packet socket of this program sends into it as fast as it can.
 * SHOST  host end of softnet's veth pair: softnet sends through net_af_packet
 *        on it, its own qdisc in front, as fast as it can.
 * NETNS, KPEER, SPEER: the namespace holding both peers (made by
 *        kernel_qos.sh), only read at the end to check delivery.
 *
 * What left each shaper is read from the host end's tx_bytes (veth counts a
 * frame when it hands it to its peer: after the qdisc), sampled at the start
 * and end of a measuring window that begins after a warm-up, so the bucket's
 * initial burst is not in it. Both sides count layer-2 bytes without FCS,
 * as tc's rates do. Frames are 1000-byte UDP/IPv4.
 *
 * Scenarios: tbf rate 50mbit burst 64kb latency 20ms (one flow); htb 1:1
 * 100mbit ceil 100mbit with 1:10 30mbit and 1:20 70mbit (ceil 100mbit), two
 * saturating flows put in their classes by the packet priority (the kernel's
 * SO_PRIORITY = classid rule, sn_mbuf_prio_set() in softnet), per class sent
 * bytes from `tc -s class show` and sn_class_stats().
 *
 * Exit 0 pass, 1 fail, 77 skip.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ethdev.h>

#include "kernel_test.h"
#include "sn_class.h"
#include "sn_ethdev.h"
#include "sn_sched.h"
#include "sn_test.h"

#define FRAME_LEN 1000u
#define WARM_S 1.0
#define MEAS_S 3.0
#define TOL 0.01
#define TX_POOL_SIZE 4096u
#define RX_POOL_SIZE 1024u
#define BURST 32u

static const char *khost, *shost, *netns, *kpeer, *speer;

struct scenario {
	const char *name;
	/* tc's words after `root`; the same words for sn_qdisc_parse(). */
	const char *qdisc;
	/* tc class lines (after `class add dev X`), NULL-terminated. */
	const char *classes[4];
	/* Flows: the packet priority of each (0: none); their classes' expected rates. */
	uint32_t prio[2];
	double class_mbit[2];
	unsigned int nb_flows;
	double total_mbit;
};

static const struct scenario scenarios[] = {
	{
		.name = "tbf",
		.qdisc = "tbf rate 50mbit burst 64kb latency 20ms",
		.nb_flows = 1,
		.total_mbit = 50.0,
	},
	{
		.name = "htb",
		.qdisc = "handle 1: htb default 20",
		.classes = {
			"parent 1: classid 1:1 htb rate 100mbit ceil 100mbit",
			"parent 1:1 classid 1:10 htb rate 30mbit ceil 100mbit prio 0",
			"parent 1:1 classid 1:20 htb rate 70mbit ceil 100mbit prio 1",
			NULL,
		},
		.prio = { 0x00010010, 0x00010020 },
		.class_mbit = { 30.0, 70.0 },
		.nb_flows = 2,
		.total_mbit = 100.0,
	},
};

/* A /sys counter of an interface in our own namespace; read fast (no fork). */
static uint64_t
host_stat(const char *ifname, const char *stat)
{
	char path[128], buf[32];
	uint64_t v = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/net/%s/statistics/%s", ifname, stat);
	f = fopen(path, "r");
	if (f == NULL)
		return 0;
	if (fgets(buf, sizeof(buf), f) != NULL)
		v = strtoull(buf, NULL, 10);
	fclose(f);
	return v;
}

static int
sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int
sh(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

/* Sent bytes of class @id of @dev's kernel htb (`tc -s class show`), or 0. */
static uint64_t
kernel_class_bytes(const char *dev, const char *id)
{
	char cmd[256], line[512], want[64];
	uint64_t v = 0;
	bool next = false;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "tc -s class show dev %s", dev);
	snprintf(want, sizeof(want), "class htb %s ", id);
	f = popen(cmd, "r");
	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (next) {
			sscanf(line, " Sent %" SCNu64, &v);
			next = false;
		}
		if (strncmp(line, want, strlen(want)) == 0)
			next = true;
	}
	pclose(f);
	return v;
}

struct result {
	double total_mbit;
	double class_mbit[2];
	double lost_s; /* softnet: time its loop was off the CPU for over 1 ms at once */
};

/* A UDP frame of @len bytes to @dst in @buf (the mbuf filler, on a plain buffer). */
static void
frame_fill(uint8_t *buf, const struct rte_ether_addr *src, const struct rte_ether_addr *dst,
	   uint16_t dport)
{
	struct rte_mbuf m;
	struct rte_udp_hdr *udp;

	memset(&m, 0, sizeof(m));
	m.buf_addr = buf;
	m.data_off = 0;
	m.data_len = FRAME_LEN;
	m.pkt_len = FRAME_LEN;
	kns_frame_fill(&m, src, dst, FRAME_LEN, false);
	udp = (struct rte_udp_hdr *)(buf + sizeof(struct rte_ether_hdr) +
				     sizeof(struct rte_ipv4_hdr));
	udp->dst_port = rte_cpu_to_be_16(dport);
}

static int
read_mac(const char *ns, const char *ifname, struct rte_ether_addr *mac)
{
	char buf[64];

	if (kns_read(ns, ifname, "address", buf, sizeof(buf)) != 0)
		return -1;
	return rte_ether_unformat_addr(buf, mac);
}

/* The kernel: tc on KHOST, a raw socket per flow sending as fast as it can. */
static int
run_kernel(const struct scenario *s, struct result *r)
{
	struct sockaddr_ll ll;
	struct rte_ether_addr dst, src;
	uint8_t frame[2][FRAME_LEN];
	int fd[2] = { -1, -1 };
	uint64_t b0 = 0, b1 = 0, c0[2] = { 0 }, c1[2] = { 0 };
	double t0 = 0, t1, start;
	bool measuring = false;
	int rc = SN_TEST_FAIL;

	SN_ASSERT(read_mac(netns, kpeer, &dst) == 0, "MAC of %s", kpeer);
	memset(&src, 0, sizeof(src));
	src.addr_bytes[0] = 0x02;
	src.addr_bytes[5] = 0x01;
	if (sh("tc qdisc replace dev %s root %s", khost, s->qdisc) != 0) {
		fprintf(stderr, "SKIP: the kernel refused 'tc qdisc replace dev %s root %s'\n",
			khost, s->qdisc);
		return SN_TEST_SKIP;
	}
	for (unsigned int i = 0; s->classes[i] != NULL; i++)
		SN_ASSERT(sh("tc class add dev %s %s", khost, s->classes[i]) == 0,
			  "tc class add dev %s %s", khost, s->classes[i]);
	memset(&ll, 0, sizeof(ll));
	ll.sll_family = AF_PACKET;
	ll.sll_ifindex = (int)if_nametoindex(khost);
	ll.sll_halen = ETH_ALEN;
	memcpy(ll.sll_addr, &dst, ETH_ALEN);
	for (unsigned int f = 0; f < s->nb_flows; f++) {
		fd[f] = socket(AF_PACKET, SOCK_RAW, 0);
		SN_ASSERT(fd[f] >= 0, "packet socket: %s", strerror(errno));
		if (s->prio[f] != 0)
			SN_ASSERT(setsockopt(fd[f], SOL_SOCKET, SO_PRIORITY, &s->prio[f],
					     sizeof(s->prio[f])) == 0, "SO_PRIORITY");
		frame_fill(frame[f], &src, &dst, (uint16_t)(5000 + f));
	}
	start = kns_now_s();
	for (uint64_t i = 0;; i++) {
		unsigned int f = (unsigned int)(i % s->nb_flows);
		double now;

		/* A full qdisc refuses (ENOBUFS): that is the offered load's excess. */
		(void)sendto(fd[f], frame[f], FRAME_LEN, MSG_DONTWAIT, (struct sockaddr *)&ll,
			     sizeof(ll));
		if ((i & 63) != 0)
			continue;
		now = kns_now_s();
		if (!measuring && now - start >= WARM_S) {
			b0 = host_stat(khost, "tx_bytes");
			t0 = kns_now_s();
			for (unsigned int c = 0; c < s->nb_flows && s->prio[0] != 0; c++)
				c0[c] = kernel_class_bytes(khost, c == 0 ? "1:10" : "1:20");
			measuring = true;
		} else if (measuring && now - t0 >= MEAS_S) {
			b1 = host_stat(khost, "tx_bytes");
			t1 = kns_now_s();
			for (unsigned int c = 0; c < s->nb_flows && s->prio[0] != 0; c++)
				c1[c] = kernel_class_bytes(khost, c == 0 ? "1:10" : "1:20");
			r->total_mbit = (double)(b1 - b0) * 8 / (t1 - t0) / 1e6;
			for (unsigned int c = 0; c < s->nb_flows && s->prio[0] != 0; c++)
				r->class_mbit[c] = (double)(c1[c] - c0[c]) * 8 / (t1 - t0) / 1e6;
			break;
		}
	}
	rc = SN_TEST_PASS;
	for (unsigned int f = 0; f < s->nb_flows; f++)
		close(fd[f]);
	sh("tc qdisc del dev %s root 2>/dev/null", khost);
	return rc;
}

/* softnet: the same words through the library, net_af_packet on SHOST. */
static int
run_softnet(const struct scenario *s, struct sn_netdev *dev, uint16_t port,
	    struct rte_mempool *mp, struct sn_softnet *sd, struct result *r)
{
	struct rte_ether_addr dst, src;
	uint8_t frame[2][FRAME_LEN];
	uint64_t b0 = 0, b1, c0[2] = { 0 }, c1[2] = { 0 };
	double t0 = 0, t1, start;
	bool measuring = false;
	char err[256];
	int rc;

	SN_ASSERT(read_mac(netns, speer, &dst) == 0, "MAC of %s", speer);
	SN_ASSERT(rte_eth_macaddr_get(port, &src) == 0, "macaddr_get");
	rc = sn_test_qdisc_set(dev, 0, s->qdisc, sd);
	SN_ASSERT_EQ(rc, 0);
	for (unsigned int i = 0; s->classes[i] != NULL; i++) {
		char line[256];
		const char *w[32];
		struct sn_class_params cp;
		uint32_t parent, classid;
		int n = 0;

		snprintf(line, sizeof(line), "%s", s->classes[i]);
		for (char *t = strtok(line, " "); t != NULL && n < 32; t = strtok(NULL, " "))
			w[n++] = t;
		/* parent P classid C KIND ... */
		SN_ASSERT(n > 5 && sn_tc_parse_handle(w[1], &parent) == 0 &&
			  sn_tc_parse_handle(w[3], &classid) == 0, "class line %s", s->classes[i]);
		rc = sn_class_parse(n - 4, w + 4, &cp, err, sizeof(err));
		SN_ASSERT(rc == 0, "sn_class_parse(%s): %s", s->classes[i], err);
		rc = sn_class_change(dev, 0, parent, classid, &cp, err, sizeof(err), sd);
		SN_ASSERT(rc == 0, "sn_class_change(%s): %s", s->classes[i], err);
	}
	for (unsigned int f = 0; f < s->nb_flows; f++)
		frame_fill(frame[f], &src, &dst, (uint16_t)(5000 + f));

	start = kns_now_s();
	r->lost_s = 0;
	for (uint64_t i = 0;; i++) {
		struct rte_mbuf *pkts[BURST];
		double now, prev = kns_now_s();

		if (rte_pktmbuf_alloc_bulk(mp, pkts, BURST) == 0) {
			for (unsigned int k = 0; k < BURST; k++) {
				unsigned int f = (unsigned int)((i * BURST + k) % s->nb_flows);

				rte_memcpy(rte_pktmbuf_append(pkts[k], FRAME_LEN), frame[f],
					   FRAME_LEN);
				sn_mbuf_prio_set(pkts[k], s->prio[f]);
			}
			sn_xmit_burst(sd, dev, 0, pkts, BURST);
		}
		sn_softnet_poll(sd);
		now = kns_now_s();
		/* A shaper's bucket holds little: a loop kept off the CPU loses tokens. */
		if (measuring && now - prev > 1e-3)
			r->lost_s += now - prev;
		if (!measuring && now - start >= WARM_S) {
			b0 = host_stat(shost, "tx_bytes");
			t0 = kns_now_s();
			for (unsigned int c = 0; c < s->nb_flows && s->prio[0] != 0; c++) {
				struct sn_qdisc_stats st;

				SN_ASSERT_EQ(sn_class_stats(dev, 0, s->prio[c], &st), 0);
				c0[c] = st.bstats.bytes;
			}
			measuring = true;
		} else if (measuring && now - t0 >= MEAS_S) {
			b1 = host_stat(shost, "tx_bytes");
			t1 = kns_now_s();
			for (unsigned int c = 0; c < s->nb_flows && s->prio[0] != 0; c++) {
				struct sn_qdisc_stats st;

				SN_ASSERT_EQ(sn_class_stats(dev, 0, s->prio[c], &st), 0);
				c1[c] = st.bstats.bytes;
			}
			r->total_mbit = (double)(b1 - b0) * 8 / (t1 - t0) / 1e6;
			for (unsigned int c = 0; c < s->nb_flows && s->prio[0] != 0; c++)
				r->class_mbit[c] = (double)(c1[c] - c0[c]) * 8 / (t1 - t0) / 1e6;
			break;
		}
	}
	/* Back to the default: what waits in the shaper is dropped, counted. */
	SN_ASSERT_EQ(sn_qdisc_delete(dev, 0, sd), 0);
	sn_test_drain(sd);
	return SN_TEST_PASS;
}

static bool
near(double got, double want, double tol)
{
	return got >= want * (1 - tol) && got <= want * (1 + tol);
}

static int
run(void)
{
	struct rte_mempool *tx_pool, *rx_pool;
	struct sn_ethdev_conf conf;
	struct sn_softnet *sd;
	struct sn_netdev *dev;
	uint16_t port;
	int failed = 0, verified = 0, rc;

	SN_ASSERT(rte_eth_dev_count_avail() == 1, "expected the net_af_packet port");
	RTE_ETH_FOREACH_DEV(port)
		break;
	tx_pool = sn_test_pool("kq_tx", TX_POOL_SIZE);
	rx_pool = sn_test_pool("kq_rx", RX_POOL_SIZE);
	SN_ASSERT(tx_pool != NULL && rx_pool != NULL, "pools");
	sd = sn_softnet_attach();
	SN_ASSERT(sd != NULL, "attach");
	memset(&conf, 0, sizeof(conf));
	conf.nb_txq = 1;
	conf.nb_rxq = 1;
	conf.rx_pool = rx_pool;
	conf.nb_rx_desc = 512;
	conf.nb_tx_desc = 512;
	dev = sn_ethdev_open(port, "kq0", &conf);
	SN_ASSERT(dev != NULL, "sn_ethdev_open: %s", rte_strerror(rte_errno));

	for (unsigned int i = 0; i < RTE_DIM(scenarios); i++) {
		const struct scenario *s = &scenarios[i];
		struct result k = { 0 }, sn = { 0 };

		if (sn_qdisc_lookup(s->name) == NULL) {
			printf("%s: softnet has no %s here: skipped\n", s->name, s->name);
			continue;
		}
		rc = run_kernel(s, &k);
		if (rc == SN_TEST_SKIP) {
			printf("%s: the kernel cannot run it here: skipped\n", s->name);
			continue;
		}
		if (rc != SN_TEST_PASS)
			return rc;
		/*
		 * softnet's shaper runs in this loop, the kernel's on its timers:
		 * a measurement during which the host kept the loop off the CPU
		 * (other processes) says nothing about softnet. Up to 3 tries; if
		 * every one was starved, the verdict is "skip", never "pass".
		 */
		for (int t = 0; t < 3; t++) {
			rc = run_softnet(s, dev, port, tx_pool, sd, &sn);
			if (rc != SN_TEST_PASS)
				return rc;
			if (sn.lost_s < 0.005 * MEAS_S)
				break;
			printf("%s: the host kept softnet's loop off the CPU for %.1f ms of %.0f s "
			       "(softnet %.3f Mbit/s, kernel %.3f): measuring again\n", s->name,
			       sn.lost_s * 1e3, MEAS_S, sn.total_mbit, k.total_mbit);
		}
		if (sn.lost_s >= 0.005 * MEAS_S) {
			printf("%s: SKIP: the host is too busy to measure a shaper here\n", s->name);
			continue;
		}
		verified++;
		printf("%s: configured %.3f Mbit/s; kernel %.3f Mbit/s (%+.3f%%), softnet %.3f "
		       "Mbit/s (%+.3f%%); softnet/kernel %.4f\n", s->name, s->total_mbit,
		       k.total_mbit, (k.total_mbit / s->total_mbit - 1) * 100, sn.total_mbit,
		       (sn.total_mbit / s->total_mbit - 1) * 100, sn.total_mbit / k.total_mbit);
		if (!near(k.total_mbit, s->total_mbit, TOL) ||
		    !near(sn.total_mbit, s->total_mbit, TOL) ||
		    !near(sn.total_mbit, k.total_mbit, TOL)) {
			fprintf(stderr, "FAIL: %s: rates not within %.0f%%\n", s->name, TOL * 100);
			failed++;
		}
		for (unsigned int c = 0; c < s->nb_flows && s->prio[0] != 0; c++) {
			printf("%s: class %x:%x configured %.3f Mbit/s; kernel %.3f, softnet %.3f\n",
			       s->name, s->prio[c] >> 16, s->prio[c] & 0xffff, s->class_mbit[c],
			       k.class_mbit[c], sn.class_mbit[c]);
			/* Classes: 1% of the parent's rate, as the split. */
			if (!near(k.class_mbit[c], s->class_mbit[c], TOL * s->total_mbit /
				  s->class_mbit[c]) ||
			    !near(sn.class_mbit[c], s->class_mbit[c], TOL * s->total_mbit /
				  s->class_mbit[c])) {
				fprintf(stderr, "FAIL: %s: class split off by more than 1%%\n",
					s->name);
				failed++;
			}
		}
	}
	sn_ethdev_close(dev, sd);
	SN_ASSERT(sn_softnet_detach(sd) == 0, "detach");
	if (sn_test_pool_check(tx_pool, 0) != 0)
		return SN_TEST_FAIL;
	if (failed)
		return SN_TEST_FAIL;
	/* Nothing compared (no htb yet, a starved host): not a pass. */
	return verified == 0 ? SN_TEST_SKIP : SN_TEST_PASS;
}

int
main(int argc, char **argv)
{
	char vdev[256];
	int rc;

	if (argc < 6) {
		fprintf(stderr, "usage: %s KHOST SHOST NETNS KPEER SPEER\n", argv[0]);
		return SN_TEST_FAIL;
	}
	khost = argv[1];
	shost = argv[2];
	netns = argv[3];
	kpeer = argv[4];
	speer = argv[5];
	if (geteuid() != 0) {
		fprintf(stderr, "SKIP: needs root\n");
		return SN_TEST_SKIP;
	}
	snprintf(vdev, sizeof(vdev), "--vdev net_af_packet0,iface=%s,qpairs=1", shost);
	sn_test_init("kq", "0", vdev);
	rc = run();
	sn_test_fini();
	printf("kernel_qos: %s\n", rc == SN_TEST_PASS ? "ok" : rc == SN_TEST_SKIP ? "skip" : "FAIL");
	return rc;
}
