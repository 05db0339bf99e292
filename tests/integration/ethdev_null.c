/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ethdev driver over net_null: open the port, transmit N packets through
 * the default qdisc (single and burst forms), the port's opackets is N, the
 * qdisc counted N sent, close, and every mbuf is back in the pool.
 */

#include <string.h>

#include <rte_ethdev.h>

#include "sn_ethdev.h"
#include "sn_test.h"
#include "sn_test_util.h"

#define N 10000

static int
test_null(void)
{
	struct rte_mempool *mp = sn_test_pool("ethdev_null", 2048);
	struct sn_softnet *sd = sn_softnet_attach();
	struct rte_eth_stats es;
	struct sn_qdisc_info info;
	struct sn_netdev *dev;
	struct rte_mbuf *pkts[32];
	uint16_t port;
	uint64_t sent = 0;

	SN_ASSERT(mp != NULL && sd != NULL, "set-up");
	SN_ASSERT_EQ(rte_eth_dev_get_port_by_name("net_null0", &port), 0);
	dev = sn_ethdev_open(port, "null0", NULL);
	SN_ASSERT(dev != NULL, "sn_ethdev_open: %s", rte_strerror(rte_errno));
	SN_ASSERT(sn_is_ethdev(dev), "not an ethdev");
	SN_ASSERT_EQ(sn_ethdev_port(dev), port);
	SN_ASSERT(sn_netdev_lookup("null0") == dev, "lookup");
	SN_ASSERT_EQ(rte_eth_stats_reset(port), 0);

	while (sent < N) {
		uint16_t n = (uint16_t)RTE_MIN((uint64_t)(sent % 3 == 0 ? 1 : 32), N - sent);

		SN_ASSERT_EQ(sn_test_alloc(mp, pkts, n, 60, 0, sent), 0);
		if (n == 1)
			SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[0]), SN_XMIT_SUCCESS);
		else
			SN_ASSERT_EQ(sn_xmit_burst(sd, dev, 0, pkts, n), n);
		sent += n;
		sn_softnet_poll(sd);
	}
	sn_test_drain(sd);
	SN_ASSERT_EQ(rte_eth_stats_get(port, &es), 0);
	SN_ASSERT_EQ(es.opackets, N);
	info = sn_test_info(dev, 0);
	SN_ASSERT_EQ(info.stats.bstats.packets, N);
	SN_ASSERT_EQ(info.stats.bstats.bytes, (uint64_t)N * 60);
	SN_ASSERT_EQ(info.stats.qstats.drops, 0);
	SN_ASSERT_EQ(sn_test_stats(sd).sent, N);

	sn_ethdev_close(dev, sd);
	SN_ASSERT(sn_netdev_lookup("null0") == NULL, "still registered after close");
	sn_test_drain(sd);
	SN_ASSERT_EQ(sn_softnet_detach(sd), 0);
	return sn_test_pool_check(mp, 0);
}

int
main(void)
{
	sn_test_init("ethdev_null", "0", "--vdev net_null0");
	if (rte_eth_dev_count_avail() == 0) {
		printf("SKIP: no net_null port\n");
		return SN_TEST_SKIP;
	}
	SN_RUN(test_null);
	sn_test_fini();
	return SN_TEST_PASS;
}
