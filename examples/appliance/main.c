/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * appliance: a one-way forwarder with egress QoS, built on libsoftnet.
 *
 * Frames received on port IN are handed by an RX callback (softirq context)
 * to the root qdisc of port OUT with sn_xmit_burst(); the mbuf priority is
 * set from the IPv4 DSCP so that a priority qdisc (pfifo_fast, the default,
 * or whatever --qdisc names) serves interactive traffic first. ARP requests
 * for --addr and ICMP echo requests to it are answered on IN by softnet's
 * responder, through IN's own qdisc. Frames arriving on OUT are counted and
 * freed (one way). Both RX queues are served in interrupt mode (NAPI) where
 * the PMD has RX interrupts (tap, vhost, virtio-user) and polled otherwise.
 *
 * Everything runs on one lcore, the main one, in sn_rx_lcore_loop(); its
 * process-context work function is the optional self-test injector and the
 * deadline. Counters are in DPDK telemetry while it runs (softnet's
 * /softnet/stats and /softnet/qdisc,<dev>, and /appliance/stats) and are
 * printed at exit.
 *
 * Unprivileged, on net_ring loopback ports (a net_ring port receives what it
 * sends), with a self-test that injects frames into IN through softnet:
 *
 *   appliance --no-pci --no-huge -m 256 --no-shconf --file-prefix ap$$ \
 *       --vdev net_ring0 --vdev net_ring1 -- --inject 10000
 *
 * On tap devices (root; ping 192.0.2.1 from the kernel side of tap0):
 *
 *   appliance --no-pci --file-prefix ap --vdev net_tap0,iface=sn0 \
 *       --vdev net_tap1,iface=sn1 -- --addr 192.0.2.1 --qdisc "pfifo limit 500"
 *
 * Exit status: 0 ran (and with --inject, every injected data frame was
 * forwarded or counted as dropped by OUT's qdisc, and every request was
 * answered); 1 a failure; 2 bad usage (options, --qdisc words).
 */

#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include <rte_arp.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_telemetry.h>
#include <rte_udp.h>

#include <sn_ethdev.h>
#include <softnet.h>

#define EXIT_USAGE 2
#define NB_MBUF 8191
#define INJECT_BURST 32
#define INJECT_IN_FLIGHT 256 /* injected but not yet seen on IN: keeps qdiscs under limit */

/* What the command line asks for. */
struct options {
	const char *in, *out;   /* port ids or names; default the first two ports */
	const char *qdisc;      /* OUT's root qdisc, in tc's syntax */
	uint32_t addr;          /* our IPv4 address on IN, network order */
	double duration;        /* seconds; 0: until a signal (or the self-test ends) */
	bool poll;              /* --rx-mode poll */
	uint64_t inject;        /* self-test: data frames to inject into IN */
};

/* The forwarder's counters: one writer (the lcore), read by telemetry. */
struct fwd_stats {
	uint64_t rx;            /* frames the responder passed on to us */
	uint64_t forwarded;     /* accepted by OUT's qdisc */
	uint64_t fwd_dropped;   /* refused by it (limit, device down) */
	uint64_t looped;        /* frames from our own address (or runts): freed */
	uint64_t by_prio[SN_PRIO_COUNT];
};

struct appliance {
	struct options opt;
	uint16_t port_in, port_out;
	struct sn_netdev *dev_in, *dev_out;
	struct rte_ether_addr mac_in;
	struct sn_responder *responder;
	struct rte_mempool *mp;
	struct fwd_stats fs;
	uint64_t deadline;      /* TSC; 0: none */
	int mode_in, mode_out;  /* RX modes in force, read once in the loop (-1: not yet) */
	/* self-test */
	uint64_t inj_data, inj_icmp, inj_arp, inj_dropped, inj_total;
};

static struct appliance ap;
static volatile bool stop;

#define ADD(f, n) __atomic_fetch_add(&(f), (n), __ATOMIC_RELAXED)
#define GET(f)    __atomic_load_n(&(f), __ATOMIC_RELAXED)

static void
usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [EAL options] -- [options]\n"
		"  --in PORT         receive port, id or name (default: the first port)\n"
		"  --out PORT        transmit port, id or name (default: the second port)\n"
		"  --addr A.B.C.D    our IPv4 address on IN, for ARP and ping (default 192.0.2.1)\n"
		"  --qdisc \"WORDS\"   OUT's root qdisc, tc's words after `root`\n"
		"                    (default \"pfifo_fast\"; e.g. \"pfifo limit 500\")\n"
		"  --rx-mode MODE    intr (default: NAPI where the PMD can) or poll\n"
		"  --duration SEC    run this long (default: until SIGINT/SIGTERM; 10 with --inject)\n"
		"  --inject N        self-test on loopback ports (net_ring): send N data frames,\n"
		"                    N/100 + 1 pings and one ARP request into IN; check the counts\n",
		prog);
}

/* DSCP -> Linux priority: network control and EF first, CS1 bulk last. */
static uint32_t
dscp_prio(uint8_t tos)
{
	uint8_t dscp = tos >> 2;

	if (dscp == 46 || dscp == 48 || dscp == 56)
		return SN_PRIO_INTERACTIVE;
	if (dscp == 8)
		return SN_PRIO_BULK;
	return SN_PRIO_BESTEFFORT;
}

/*
 * Is this frame one we sent, come back (a loopback port such as net_ring), or
 * too short to forward? Its source is our address: an IPv4 packet from it, or
 * an ARP packet whose sender it is. (Not the source MAC: net_tap gives the
 * kernel's interface the port's own MAC.)
 */
static bool
from_us(const struct appliance *a, const struct rte_mbuf *m, const struct rte_ether_hdr *eth)
{
	uint32_t len = rte_pktmbuf_data_len(m);

	if (len < sizeof(*eth))
		return true;
	if (eth->ether_type == rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4))
		return len < sizeof(*eth) + sizeof(struct rte_ipv4_hdr) ||
		       ((const struct rte_ipv4_hdr *)(eth + 1))->src_addr == a->opt.addr;
	if (eth->ether_type == rte_cpu_to_be_16(RTE_ETHER_TYPE_ARP))
		return len >= sizeof(*eth) + sizeof(struct rte_arp_hdr) &&
		       ((const struct rte_arp_hdr *)(eth + 1))->arp_data.arp_sip == a->opt.addr;
	return false;
}

/*
 * The forwarder, the responder's next callback: softirq context on our lcore,
 * owns pkts[0..n-1]. Each is forwarded (sn_xmit_burst consumes it) or freed.
 */
static void
forward(struct sn_softnet *sd, uint16_t port, uint16_t queue, struct rte_mbuf **pkts,
	uint16_t n, void *arg)
{
	struct appliance *a = arg;
	struct rte_mbuf *out[SN_RX_BURST];
	uint16_t k = 0, sent;

	RTE_SET_USED(port);
	RTE_SET_USED(queue);
	ADD(a->fs.rx, n);
	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
		uint32_t prio = SN_PRIO_BESTEFFORT;

		if (from_us(a, m, eth)) {
			/* Our own reply, back from a loopback port: never forward it. */
			ADD(a->fs.looped, 1);
			rte_pktmbuf_free(m);
			continue;
		}
		if (eth->ether_type == rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4))
			prio = dscp_prio(((struct rte_ipv4_hdr *)(eth + 1))->type_of_service);
		sn_mbuf_prio_set(m, prio);
		ADD(a->fs.by_prio[prio], 1);
		out[k++] = m;
	}
	if (k == 0)
		return;
	sent = sn_xmit_burst(sd, a->dev_out, 0, out, k);
	ADD(a->fs.forwarded, sent);
	ADD(a->fs.fwd_dropped, (uint64_t)(k - sent));
}

/* --- self-test injector --------------------------------------------------- */

static const struct rte_ether_addr peer_mac = {{ 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 }};
#define PEER_IP RTE_IPV4(192, 0, 2, 2)
#define FAR_IP  RTE_IPV4(198, 51, 100, 1)

/* One frame of kind 0 (UDP to FAR_IP), 1 (ping to us) or 2 (ARP who-has us). */
static int
build(struct appliance *a, struct rte_mbuf *m, int kind, uint64_t seq)
{
	struct rte_ether_hdr *eth;
	struct rte_ipv4_hdr *ip;
	uint16_t l4 = kind == 0 ? sizeof(struct rte_udp_hdr) + 18 : sizeof(struct rte_icmp_hdr) + 18;

	eth = (struct rte_ether_hdr *)rte_pktmbuf_append(m, kind == 2 ?
		sizeof(*eth) + sizeof(struct rte_arp_hdr) : sizeof(*eth) + sizeof(*ip) + l4);
	if (eth == NULL)
		return -1;
	eth->src_addr = peer_mac;
	if (kind == 2) {
		struct rte_arp_hdr *arp = (struct rte_arp_hdr *)(eth + 1);

		memset(&eth->dst_addr, 0xff, sizeof(eth->dst_addr));
		eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_ARP);
		memset(arp, 0, sizeof(*arp));
		arp->arp_hardware = rte_cpu_to_be_16(RTE_ARP_HRD_ETHER);
		arp->arp_protocol = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
		arp->arp_hlen = RTE_ETHER_ADDR_LEN;
		arp->arp_plen = 4;
		arp->arp_opcode = rte_cpu_to_be_16(RTE_ARP_OP_REQUEST);
		arp->arp_data.arp_sha = peer_mac;
		arp->arp_data.arp_sip = rte_cpu_to_be_32(PEER_IP);
		arp->arp_data.arp_tip = a->opt.addr;
		return 0;
	}
	eth->dst_addr = a->mac_in;
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	ip = (struct rte_ipv4_hdr *)(eth + 1);
	memset(ip, 0, sizeof(*ip) + l4);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->type_of_service = (uint8_t)((seq % 4 == 0 ? 46 : 0) << 2); /* every 4th: EF */
	ip->total_length = rte_cpu_to_be_16((uint16_t)(sizeof(*ip) + l4));
	ip->packet_id = rte_cpu_to_be_16((uint16_t)seq);
	ip->time_to_live = 64;
	ip->src_addr = rte_cpu_to_be_32(PEER_IP);
	if (kind == 0) {
		struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);

		ip->next_proto_id = IPPROTO_UDP;
		ip->dst_addr = rte_cpu_to_be_32(FAR_IP);
		udp->src_port = rte_cpu_to_be_16(9);
		udp->dst_port = rte_cpu_to_be_16(9);
		udp->dgram_len = rte_cpu_to_be_16(l4);
	} else {
		struct rte_icmp_hdr *icmp = (struct rte_icmp_hdr *)(ip + 1);

		ip->next_proto_id = IPPROTO_ICMP;
		ip->dst_addr = a->opt.addr;
		icmp->icmp_type = RTE_IP_ICMP_ECHO_REQUEST;
		icmp->icmp_ident = rte_cpu_to_be_16(1);
		icmp->icmp_seq_nb = rte_cpu_to_be_16((uint16_t)seq);
		icmp->icmp_cksum = (uint16_t)~rte_raw_cksum(icmp, l4);
	}
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	return 0;
}

/* Frames injected so far that IN has seen (forwarded, refused, or answered). */
static uint64_t
inject_seen(struct appliance *a)
{
	struct sn_responder_stats rs;

	sn_responder_stats_get(a->responder, &rs);
	return GET(a->fs.forwarded) + GET(a->fs.fwd_dropped) + rs.arp_requests + rs.icmp_requests;
}

/* Process context, on each pass of the lcore loop: inject a burst, check the time. */
static unsigned int
work(struct sn_softnet *sd, void *arg)
{
	struct appliance *a = arg;
	struct rte_mbuf *pkts[INJECT_BURST];
	uint64_t sent = a->inj_data + a->inj_icmp + a->inj_arp, done;
	uint16_t n, ok;

	if (a->mode_in < 0) {
		/* Reliable now that the loop has set the queues up (fallback to poll). */
		a->mode_in = sn_rx_queue_mode(a->port_in, 0);
		a->mode_out = sn_rx_queue_mode(a->port_out, 0);
	}
	if (a->deadline != 0 && rte_get_tsc_cycles() >= a->deadline)
		stop = true;
	if (a->inj_total == 0 || stop)
		return 0;
	if (sent == a->inj_total) {
		/* Everything sent: stop once IN has seen all of it. */
		if (inject_seen(a) + a->inj_dropped >= a->inj_total &&
		    GET(a->fs.looped) >= a->inj_arp + a->inj_icmp)
			stop = true;
		return 0;
	}
	done = inject_seen(a) + a->inj_dropped;
	if (done < sent && sent - done >= INJECT_IN_FLIGHT)
		return 1; /* let NET_TX and NET_RX catch up */
	n = (uint16_t)RTE_MIN((uint64_t)INJECT_BURST, a->inj_total - sent);
	if (rte_pktmbuf_alloc_bulk(a->mp, pkts, n) != 0)
		return 1;
	for (uint16_t i = 0; i < n; i++) {
		uint64_t s = sent + i;
		int kind;

		/* The ARP request first, then a ping every 100 frames, then data. */
		if (a->inj_arp == 0)
			kind = 2;
		else if (a->inj_icmp < a->opt.inject / 100 + 1 &&
			 (s % 100 == 1 || a->inj_data == a->opt.inject))
			kind = 1;
		else
			kind = 0;
		build(a, pkts[i], kind, s); /* 60 bytes: always fits */
		if (kind == 2)
			a->inj_arp++;
		else if (kind == 1)
			a->inj_icmp++;
		else
			a->inj_data++;
	}
	ok = sn_xmit_burst(sd, a->dev_in, 0, pkts, n); /* consumed, whatever it returns */
	a->inj_dropped += (uint64_t)(n - ok);
	return n;
}

/* --- telemetry, signals, options -------------------------------------------- */

static int
tm_stats(const char *cmd, const char *params, struct rte_tel_data *d)
{
	RTE_SET_USED(cmd);
	RTE_SET_USED(params);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "rx", GET(ap.fs.rx));
	rte_tel_data_add_dict_u64(d, "forwarded", GET(ap.fs.forwarded));
	rte_tel_data_add_dict_u64(d, "fwd_dropped", GET(ap.fs.fwd_dropped));
	rte_tel_data_add_dict_u64(d, "looped", GET(ap.fs.looped));
	return 0;
}

static void
on_signal(int sig)
{
	RTE_SET_USED(sig);
	stop = true;
	sn_rx_lcore_wake(rte_get_main_lcore()); /* async-signal-safe */
}

static int
port_arg(const char *s, uint16_t *port)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (*s != '\0' && *end == '\0')
		return v < RTE_MAX_ETHPORTS && rte_eth_dev_is_valid_port((uint16_t)v) ?
			(*port = (uint16_t)v, 0) : -1;
	return rte_eth_dev_get_port_by_name(s, port);
}

static int
parse_options(int argc, char **argv, struct options *o)
{
	static const struct option lo[] = {
		{ "in", required_argument, NULL, 'i' },
		{ "out", required_argument, NULL, 'o' },
		{ "addr", required_argument, NULL, 'a' },
		{ "qdisc", required_argument, NULL, 'q' },
		{ "rx-mode", required_argument, NULL, 'r' },
		{ "duration", required_argument, NULL, 'd' },
		{ "inject", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct in_addr ia;
	char *end;
	int c;

	o->qdisc = "pfifo_fast";
	o->addr = rte_cpu_to_be_32(RTE_IPV4(192, 0, 2, 1));
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 'i': o->in = optarg; break;
		case 'o': o->out = optarg; break;
		case 'q': o->qdisc = optarg; break;
		case 'a':
			if (inet_pton(AF_INET, optarg, &ia) != 1 || ia.s_addr == 0)
				return -1;
			o->addr = ia.s_addr;
			break;
		case 'r':
			if (strcmp(optarg, "poll") != 0 && strcmp(optarg, "intr") != 0)
				return -1;
			o->poll = strcmp(optarg, "poll") == 0;
			break;
		case 'd':
			o->duration = strtod(optarg, &end);
			if (*end != '\0' || o->duration < 0)
				return -1;
			break;
		case 'n':
			o->inject = strtoull(optarg, &end, 10);
			if (*end != '\0')
				return -1;
			break;
		default:
			return -1;
		}
	}
	return optind == argc ? 0 : -1;
}

/* Open a port with one RX and one TX queue; ask for RX interrupts when wanted. */
static struct sn_netdev *
open_port(uint16_t port, bool intr)
{
	struct sn_ethdev_conf ec = { .nb_rxq = 1, .nb_txq = 1, .rx_pool = ap.mp,
				     .promiscuous = true, .rx_intr = intr };
	struct sn_netdev *dev = sn_ethdev_open(port, NULL, &ec);

	if (dev == NULL && intr) {
		/* Some PMDs (net_ring) refuse intr_conf.rxq at configure time. */
		ec.rx_intr = false;
		dev = sn_ethdev_open(port, NULL, &ec);
	}
	return dev;
}

/* Apply --qdisc, tc's words after `root` ("pfifo limit 500"), to OUT's queue. */
static int
set_qdisc(struct sn_netdev *dev, const char *words)
{
	char buf[256], *argv[32], kind[SN_QDISC_KIND_SIZE], err[160] = "";
	struct sn_qdisc_params p;
	int argc = 0, rc;

	snprintf(buf, sizeof(buf), "%s", words);
	for (char *t = strtok(buf, " \t"); t != NULL && argc < 32; t = strtok(NULL, " \t"))
		argv[argc++] = t;
	if (argc == 0)
		return -EINVAL;
	rc = sn_qdisc_parse(argc, (const char *const *)argv, kind, &p, err, sizeof(err));
	if (rc != 0) {
		fprintf(stderr, "--qdisc: %s\n", err);
		return rc;
	}
	rc = sn_qdisc_replace(dev, 0, kind, &p, NULL);
	if (rc != 0)
		fprintf(stderr, "--qdisc %s: %s\n", words, strerror(-rc));
	return rc;
}

/* tc -s qdisc show, for one transmit queue. */
static void
print_qdisc(struct sn_netdev *dev)
{
	char text[1024];

	if (sn_qdisc_print(dev, 0, SN_QDISC_PRINT_STATS, text, sizeof(text)) > 0)
		fputs(text, stdout);
}

static const char *
mode_name(int mode)
{
	return mode == SN_RX_INTERRUPT ? "interrupt" : mode == SN_RX_POLL ? "poll" : "?";
}

/* The summary at exit; returns the exit status. */
static int
summary(struct appliance *a)
{
	struct sn_responder_stats rs = { 0 };
	struct sn_rx_queue_stats out_rx = { 0 };
	struct sn_softnet_stats ss;
	struct rte_eth_stats es;
	int rc = EXIT_SUCCESS;

	sn_responder_stats_get(a->responder, &rs);
	sn_rx_queue_stats_get(a->port_out, 0, &out_rx);
	sn_softnet_stats_sum(&ss);
	printf("in  %s (port %u, rx %s)  out %s (port %u, rx %s)\n", sn_netdev_name(a->dev_in),
	       a->port_in, mode_name(a->mode_in), sn_netdev_name(a->dev_out), a->port_out,
	       mode_name(a->mode_out));
	printf("forwarder: rx %" PRIu64 " forwarded %" PRIu64 " fwd_dropped %" PRIu64
	       " looped %" PRIu64 " interactive %" PRIu64 " besteffort %" PRIu64 " bulk %" PRIu64 "\n",
	       a->fs.rx, a->fs.forwarded, a->fs.fwd_dropped, a->fs.looped,
	       a->fs.by_prio[SN_PRIO_INTERACTIVE], a->fs.by_prio[SN_PRIO_BESTEFFORT],
	       a->fs.by_prio[SN_PRIO_BULK]);
	printf("responder: rx %" PRIu64 " arp_requests %" PRIu64 " arp_replies %" PRIu64
	       " icmp_requests %" PRIu64 " icmp_replies %" PRIu64 " tx_dropped %" PRIu64 "\n",
	       rs.rx, rs.arp_requests, rs.arp_replies, rs.icmp_requests, rs.icmp_replies,
	       rs.tx_dropped);
	printf("out rx (counted, freed): %" PRIu64 "\n", out_rx.packets);
	print_qdisc(a->dev_out);
	print_qdisc(a->dev_in);
	for (int i = 0; i < 2; i++) {
		uint16_t p = i == 0 ? a->port_in : a->port_out;

		if (rte_eth_stats_get(p, &es) == 0)
			printf("port %u: ipackets %" PRIu64 " opackets %" PRIu64 " imissed %" PRIu64
			       " oerrors %" PRIu64 "\n", p, es.ipackets, es.opackets, es.imissed,
			       es.oerrors);
	}
	printf("softnet: processed %" PRIu64 " sent %" PRIu64 " dropped %" PRIu64 "\n",
	       ss.processed, ss.sent, ss.dropped);
	if (sn_lockdep_enabled()) {
		/* Built with -Dlockdep=true: any report is a locking bug. */
		printf("lockdep: %" PRIu64 " report(s)\n", sn_lockdep_report_count());
		if (sn_lockdep_report_count() != 0)
			rc = EXIT_FAILURE;
	}
	if (a->inj_total != 0) {
		/* Every data frame forwarded, or dropped by OUT's qdisc and counted. */
		bool ok = a->inj_dropped == 0 && a->fs.forwarded + a->fs.fwd_dropped == a->inj_data &&
			  rs.arp_replies == a->inj_arp && rs.icmp_replies == a->inj_icmp &&
			  a->fs.looped == a->inj_arp + a->inj_icmp;

		printf("self-test: injected %" PRIu64 " (data %" PRIu64 " icmp %" PRIu64
		       " arp %" PRIu64 ", refused %" PRIu64 "): %s\n",
		       a->inj_data + a->inj_icmp + a->inj_arp, a->inj_data, a->inj_icmp,
		       a->inj_arp, a->inj_dropped, ok ? "PASS" : "FAIL");
		if (!ok)
			rc = EXIT_FAILURE;
	}
	return rc;
}

int
main(int argc, char **argv)
{
	unsigned int lcore;
	enum sn_rx_mode mode;
	int rc, n, status = EXIT_FAILURE;

	n = rte_eal_init(argc, argv);
	if (n < 0)
		rte_exit(EXIT_FAILURE, "EAL: %s\n", rte_strerror(rte_errno));
	optind = 1; /* getopt again, over the application's arguments */
	if (parse_options(argc - n, argv + n, &ap.opt) != 0) {
		usage(argv[0]);
		rte_eal_cleanup();
		return EXIT_USAGE;
	}
	lcore = rte_lcore_id();
	ap.mode_in = ap.mode_out = -1;
	if (sn_init(NULL) != 0 || sn_telemetry_register() != 0)
		rte_exit(EXIT_FAILURE, "softnet set-up failed\n");
	rte_telemetry_register_cmd("/appliance/stats", tm_stats, "The forwarder's counters");

	if (rte_eth_dev_count_avail() < 2 && (ap.opt.in == NULL || ap.opt.out == NULL)) {
		fprintf(stderr, "need two ports (--vdev net_ring0 --vdev net_ring1)\n");
		goto out_fini;
	}
	ap.port_in = rte_eth_find_next(0);
	ap.port_out = rte_eth_find_next((uint16_t)(ap.port_in + 1));
	if ((ap.opt.in != NULL && port_arg(ap.opt.in, &ap.port_in) != 0) ||
	    (ap.opt.out != NULL && port_arg(ap.opt.out, &ap.port_out) != 0) ||
	    ap.port_in == ap.port_out) {
		fprintf(stderr, "bad --in/--out: two different ports are needed\n");
		goto out_fini;
	}
	ap.mp = rte_pktmbuf_pool_create("appliance_pool", NB_MBUF, 256, 0,
					RTE_MBUF_DEFAULT_BUF_SIZE, (int)rte_socket_id());
	if (ap.mp == NULL) {
		fprintf(stderr, "mbuf pool: %s\n", rte_strerror(rte_errno));
		goto out_fini;
	}
	ap.dev_in = open_port(ap.port_in, !ap.opt.poll);
	ap.dev_out = ap.dev_in == NULL ? NULL : open_port(ap.port_out, !ap.opt.poll);
	if (ap.dev_in == NULL || ap.dev_out == NULL) {
		fprintf(stderr, "cannot open the ports: %s\n", rte_strerror(rte_errno));
		goto out_close;
	}
	rc = set_qdisc(ap.dev_out, ap.opt.qdisc);
	if (rc != 0) {
		/* A word sn_qdisc_parse() or the discipline refused is a usage error. */
		if (rc == -EINVAL || rc == -ENOENT || rc == -EOPNOTSUPP)
			status = EXIT_USAGE;
		goto out_close;
	}
	rte_eth_macaddr_get(ap.port_in, &ap.mac_in);
	ap.responder = sn_responder_create(&(struct sn_responder_conf){
		.dev = ap.dev_in, .txq = 0, .ipv4 = ap.opt.addr, .mac = ap.mac_in,
		.next = forward, .next_arg = &ap });
	if (ap.responder == NULL) {
		fprintf(stderr, "responder: %s\n", rte_strerror(rte_errno));
		goto out_close;
	}
	mode = ap.opt.poll ? SN_RX_POLL : SN_RX_INTERRUPT;
	rc = sn_rx_queue_add(ap.port_in, 0, lcore, &(struct sn_rx_queue_conf){
		.mode = mode, .cb = sn_responder_rx, .cb_arg = ap.responder });
	if (rc == 0)
		rc = sn_rx_queue_add(ap.port_out, 0, lcore, &(struct sn_rx_queue_conf){ .mode = mode });
	if (rc != 0) {
		fprintf(stderr, "sn_rx_queue_add: %s\n", strerror(-rc));
		goto out_rx;
	}

	if (ap.opt.inject != 0) {
		ap.inj_total = ap.opt.inject + ap.opt.inject / 100 + 1 + 1;
		if (ap.opt.duration == 0)
			ap.opt.duration = 10;
	}
	if (ap.opt.duration > 0)
		ap.deadline = rte_get_tsc_cycles() + (uint64_t)(ap.opt.duration * rte_get_tsc_hz());
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	printf("appliance: %u -> %u, qdisc \"%s\", %s\n", ap.port_in, ap.port_out, ap.opt.qdisc,
	       ap.opt.inject ? "self-test" : "forwarding until stopped");
	fflush(stdout);

	/* Attach, serve RX (interrupt or poll), run work(), poll softnet; detach at the end. */
	rc = sn_rx_lcore_loop(&stop, &(struct sn_rx_loop_conf){
		.work = work, .work_arg = &ap,
		.max_sleep_ms = 100 });
	if (rc != 0)
		fprintf(stderr, "sn_rx_lcore_loop: %s\n", strerror(-rc));
	status = summary(&ap);
	if (rc != 0)
		status = EXIT_FAILURE;

out_rx:
	sn_rx_queue_del(ap.port_in, 0);
	sn_rx_queue_del(ap.port_out, 0);
	sn_responder_free(ap.responder);
out_close:
	if (ap.dev_out != NULL)
		sn_ethdev_close(ap.dev_out, NULL);
	if (ap.dev_in != NULL)
		sn_ethdev_close(ap.dev_in, NULL);
	rte_mempool_free(ap.mp); /* net_ring may still hold mbufs: the pool goes anyway */
out_fini:
	sn_fini();
	rte_eal_cleanup();
	return status;
}
