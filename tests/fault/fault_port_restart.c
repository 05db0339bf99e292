/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fault: the port is stopped and started again, over and over, while two
 * lcores transmit through it.
 *
 * A net_null port with three transmit queues, opened with sn_ethdev_open().
 * Each iteration takes the softnet device down (sn_netdev_down(): transmits
 * are dropped as "down", queued packets dropped and counted, and no lcore is
 * in the driver any more once it returns), then on two iterations out of
 * three stops the DPDK port (rte_eth_dev_stop()), lets traffic hit the down
 * device for 50-500 us, starts the port again (rte_eth_dev_start()) and
 * brings the device up (sn_netdev_up()). Checks: the usual accounting; the
 * port transmitted exactly what softnet counted sent (opackets); drops as
 * "down" happened; nothing queued after the clean stop; pool back to its
 * baseline after sn_ethdev_close(); validator; deadline.
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_ethdev.h>

#include "fault.h"
#include "sn_ethdev.h"

#define MIN_ITERS 100

static int
test_port_restart(void)
{
	static struct fault_run r = { .name = "port_restart" };
	struct rte_mempool *mp = fault_pool("fault_restart", 16384);
	struct sn_ethdev_conf conf = { .nb_txq = 3 };
	struct sn_softnet_stats sum;
	struct rte_eth_stats es;
	struct sn_netdev *dev;
	uint64_t it, port_stops = 0, sent0;
	uint16_t port;
	int rc;

	SN_ASSERT(mp != NULL, "pool");
	SN_ASSERT_EQ(rte_eth_dev_get_port_by_name("net_null0", &port), 0);
	dev = sn_ethdev_open(port, "null0", &conf);
	SN_ASSERT(dev != NULL, "sn_ethdev_open: %s", rte_strerror(rte_errno));
	SN_ASSERT_EQ(rte_eth_stats_reset(port), 0);
	SN_ASSERT_EQ(fault_start(&r, dev, mp), 0);

	for (it = 0; fault_more(&r, it, MIN_ITERS); it++) {
		bool port_too = it % 3 != 2;

		rc = sn_netdev_down(dev, r.lc[0].sd);
		SN_ASSERT(rc == 0, "down: %s", strerror(-rc));
		if (port_too) {
			rc = rte_eth_dev_stop(port);
			SN_ASSERT(rc == 0, "rte_eth_dev_stop: %s", rte_strerror(-rc));
			port_stops++;
		}
		fault_pump_us(&r, 50 + (it * 7919) % 450);
		if (port_too) {
			rc = rte_eth_dev_start(port);
			SN_ASSERT(rc == 0, "rte_eth_dev_start: %s", rte_strerror(-rc));
		}
		SN_ASSERT_EQ(sn_netdev_up(dev), 0);
		fault_pump_us(&r, 200 + (it * 104729) % 800);
	}
	printf("port_restart: %" PRIu64 " down/up cycles, %" PRIu64 " of them with a port "
	       "stop/start\n", it, port_stops);
	if (fault_stop_and_check(&r) != 0)
		return SN_TEST_FAIL;
	sn_softnet_stats_sum(&sum);
	sent0 = r.base.sent;
	SN_ASSERT_EQ(rte_eth_stats_get(port, &es), 0);
	printf("port %u: opackets %" PRIu64 " oerrors %" PRIu64 "\n", port, es.opackets,
	       es.oerrors);
	SN_ASSERT_EQ(es.opackets, sum.sent - sent0);
	SN_ASSERT(sum.drop_down - r.base.drop_down > 0,
		  "no transmit ever met the device down: test too weak");
	sn_ethdev_close(dev, r.lc[0].sd);
	return fault_finish(&r);
}

int
main(void)
{
	fault_init("fault_port_restart", "--vdev net_null0");
	if (rte_eth_dev_count_avail() == 0) {
		printf("SKIP: no net_null port\n");
		return SN_TEST_SKIP;
	}
	SN_RUN(test_port_restart);
	return fault_exit();
}
