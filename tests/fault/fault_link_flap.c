/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fault: the link goes down and up, over and over, while two lcores
 * transmit through it.
 *
 * A net_tap port with three transmit queues (sn_ethdev_open()); the tap
 * interface is moved into a namespace that fault_link_flap.sh created. A
 * helper thread (not an lcore) flaps it there every 1-10 ms with
 * `ip -n NS link set IFACE down` / `up`, and, where the kernel supports it
 * for tap, `carrier off` / `on` every other time. The PMD keeps transmitting
 * or refuses; softnet must account for everything either way. Checks: the
 * usual accounting; nothing queued after the clean stop (link up); pool back
 * to its baseline after sn_ethdev_close(); validator; deadline.
 *
 * Usage: fault_link_flap IFACE NETNS (run by fault_link_flap.sh).
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_errno.h>
#include <rte_ethdev.h>

#include "fault.h"
#include "sn_ethdev.h"

#define MIN_ITERS 40 /* flaps */

static const char *iface, *netns;
static volatile int flapping = 1;
static uint64_t flaps, carrier_flaps, flap_errors;
static bool carrier_ok;

static int
ip(const char *what)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "ip -n %s link set dev %s %s >/dev/null 2>&1", netns, iface,
		 what);
	return system(cmd);
}

static void
sleep_us(unsigned int us)
{
	struct timespec ts = { .tv_sec = 0, .tv_nsec = (long)us * 1000 };

	nanosleep(&ts, NULL);
}

static void *
flapper(void *arg)
{
	RTE_SET_USED(arg);
	while (__atomic_load_n(&flapping, __ATOMIC_ACQUIRE)) {
		bool carrier = carrier_ok && (flaps & 1);

		if (ip(carrier ? "carrier off" : "down") != 0)
			flap_errors++;
		sleep_us(1000 + (unsigned int)(flaps * 7919 % 9000));
		if (ip(carrier ? "carrier on" : "up") != 0)
			flap_errors++;
		sleep_us(1000 + (unsigned int)(flaps * 104729 % 4000));
		if (carrier)
			carrier_flaps++;
		__atomic_store_n(&flaps, flaps + 1, __ATOMIC_RELEASE);
	}
	return NULL;
}

static pthread_t flap_tid;

static void
undo(struct fault_run *r, struct fault_lcore *l)
{
	RTE_SET_USED(r);
	RTE_SET_USED(l);
	__atomic_store_n(&flapping, 0, __ATOMIC_RELEASE);
	pthread_join(flap_tid, NULL);
	if (carrier_ok)
		ip("carrier on");
	ip("up");
}

static int
test_link_flap(void)
{
	static struct fault_run r = { .name = "link_flap", .undo = undo };
	struct rte_mempool *mp = fault_pool("fault_flap", 16384);
	/* tap wants as many rx queues as tx queues: never polled here. */
	struct rte_mempool *rx_pool = fault_pool("fault_flap_rx", 1024);
	struct sn_ethdev_conf conf = { .nb_txq = 3, .nb_rxq = 3, .nb_rx_desc = 128,
				       .rx_pool = rx_pool };
	struct sn_netdev *dev;
	char cmd[512];
	uint16_t port;

	SN_ASSERT(mp != NULL && rx_pool != NULL, "pools");
	SN_ASSERT_EQ(rte_eth_dev_get_port_by_name("net_tap0", &port), 0);
	dev = sn_ethdev_open(port, "tap0", &conf);
	SN_ASSERT(dev != NULL, "sn_ethdev_open: %s", rte_strerror(rte_errno));
	/* The tap PMD made IFACE here: move it into the namespace, no IPv6 chatter. */
	snprintf(cmd, sizeof(cmd),
		 "ip link set dev %s netns %s && "
		 "ip netns exec %s sh -c 'echo 1 > /proc/sys/net/ipv6/conf/%s/disable_ipv6' "
		 "2>/dev/null; ip -n %s link set dev %s up",
		 iface, netns, netns, iface, netns, iface);
	SN_ASSERT(system(cmd) == 0, "%s", cmd);
	carrier_ok = ip("carrier on") == 0;
	printf("link_flap: %s in %s, carrier %s\n", iface, netns,
	       carrier_ok ? "off/on too" : "not supported: down/up only");

	SN_ASSERT_EQ(fault_start(&r, dev, mp), 0);
	SN_ASSERT_EQ(pthread_create(&flap_tid, NULL, flapper, NULL), 0);
	while (fault_more(&r, __atomic_load_n(&flaps, __ATOMIC_ACQUIRE), MIN_ITERS))
		fault_pump(&r, 64);
	if (fault_stop_and_check(&r) != 0)
		return SN_TEST_FAIL;
	printf("link_flap: %" PRIu64 " flaps (%" PRIu64 " by carrier), %" PRIu64
	       " ip errors\n", flaps, carrier_flaps, flap_errors);
	SN_ASSERT(flaps > 0, "the link never flapped: test too weak");
	SN_ASSERT_EQ(flap_errors, 0);
	sn_ethdev_close(dev, r.lc[0].sd);
	if (fault_finish(&r) != 0)
		return SN_TEST_FAIL;
	rte_mempool_free(rx_pool);
	return 0;
}

int
main(int argc, char **argv)
{
	char vdev[128];

	if (argc < 3) {
		fprintf(stderr, "usage: %s IFACE NETNS (see fault_link_flap.sh)\n", argv[0]);
		return SN_TEST_FAIL;
	}
	iface = argv[1];
	netns = argv[2];
	if (geteuid() != 0) {
		printf("SKIP: needs root\n");
		return SN_TEST_SKIP;
	}
	snprintf(vdev, sizeof(vdev), "--vdev net_tap0,iface=%s", iface);
	fault_init("fault_link_flap", vdev);
	if (rte_eth_dev_count_avail() == 0) {
		printf("SKIP: no tap port\n");
		return SN_TEST_SKIP;
	}
	SN_RUN(test_link_flap);
	return fault_exit();
}
