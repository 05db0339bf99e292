/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ethdev driver over net_null: open the port, transmit N packets through
 * the default qdisc (single and burst forms), the port's opackets is N, the
 * qdisc counted N sent, close, and every mbuf is back in the pool. Then the
 * life cycle a CLI needs: stop and start keep the device and its qdisc; a
 * close with keep_port leaves the port to be opened again with more queues.
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

/* Send @n packets of 60 bytes on @txq; all must be accepted. */
static int
send_n(struct sn_softnet *sd, struct rte_mempool *mp, struct sn_netdev *dev, uint16_t txq,
       unsigned int n)
{
	struct rte_mbuf *pkts[32];

	for (unsigned int done = 0; done < n;) {
		uint16_t k = (uint16_t)RTE_MIN(32u, n - done);

		SN_ASSERT_EQ(sn_test_alloc(mp, pkts, k, 60, 0, done), 0);
		SN_ASSERT_EQ(sn_xmit_burst(sd, dev, txq, pkts, k), k);
		done += k;
		sn_softnet_poll(sd);
	}
	sn_test_drain(sd);
	return 0;
}

static int
test_stop_start_keep_port(void)
{
	struct rte_mempool *mp = sn_test_pool("ethdev_keep", 2048);
	struct sn_softnet *sd = sn_softnet_attach();
	struct sn_ethdev_conf conf = { .nb_txq = 1, .keep_port = true };
	struct sn_qdisc_params p = { .limit = 100 };
	struct rte_mbuf *m;
	struct sn_netdev *dev;
	uint16_t port;

	SN_ASSERT(mp != NULL && sd != NULL, "set-up");
	SN_ASSERT_EQ(rte_eth_dev_get_port_by_name("net_null1", &port), 0);
	dev = sn_ethdev_open(port, NULL, &conf);
	SN_ASSERT(dev != NULL, "sn_ethdev_open: %s", rte_strerror(rte_errno));
	SN_ASSERT_EQ(sn_qdisc_replace(dev, 0, "pfifo", &p, sd), 0);
	SN_ASSERT_EQ(send_n(sd, mp, dev, 0, 100), 0);

	/* Stopped: down (transmits dropped and counted), the device and its qdisc stay. */
	SN_ASSERT_EQ(sn_ethdev_stop(dev, sd), 0);
	SN_ASSERT_EQ(sn_ethdev_stop(dev, sd), 0); /* again: nothing to do */
	SN_ASSERT(!sn_netdev_is_up(dev), "up after stop");
	SN_ASSERT_EQ(sn_test_alloc(mp, &m, 1, 60, 0, 0), 0);
	SN_ASSERT(sn_xmit(sd, dev, 0, m) != SN_XMIT_SUCCESS, "sent while stopped");
	sn_test_drain(sd);
	SN_ASSERT_EQ(sn_ethdev_start(dev), 0);
	SN_ASSERT(sn_netdev_is_up(dev), "down after start");
	SN_ASSERT_EQ(send_n(sd, mp, dev, 0, 100), 0);
	SN_ASSERT_EQ(strcmp(sn_test_info(dev, 0).kind, "pfifo"), 0);
	SN_ASSERT_EQ(sn_test_info(dev, 0).stats.bstats.packets, 200);
	SN_ASSERT_EQ(sn_test_info(dev, 0).params.limit, 100);

	/* keep_port: the port survives the close and opens again with two queues. */
	sn_ethdev_close(dev, sd);
	SN_ASSERT(rte_eth_dev_is_valid_port(port), "port closed despite keep_port");
	conf.nb_txq = 2;
	conf.keep_port = false;
	dev = sn_ethdev_open(port, NULL, &conf);
	SN_ASSERT(dev != NULL, "re-open: %s", rte_strerror(rte_errno));
	SN_ASSERT_EQ(sn_netdev_nb_txq(dev), 2);
	SN_ASSERT_EQ(send_n(sd, mp, dev, 1, 64), 0);
	SN_ASSERT_EQ(sn_test_info(dev, 1).stats.bstats.packets, 64);
	sn_ethdev_close(dev, sd);
	SN_ASSERT(!rte_eth_dev_is_valid_port(port), "port still there without keep_port");
	SN_ASSERT_EQ(sn_ethdev_stop(NULL, sd), -ENODEV);
	sn_test_drain(sd);
	SN_ASSERT_EQ(sn_softnet_detach(sd), 0);
	return sn_test_pool_check(mp, 0);
}

int
main(void)
{
	sn_test_init("ethdev_null", "0", "--vdev net_null0 --vdev net_null1");
	if (rte_eth_dev_count_avail() == 0) {
		printf("SKIP: no net_null port\n");
		return SN_TEST_SKIP;
	}
	SN_RUN(test_null);
	SN_RUN(test_stop_start_keep_port);
	sn_test_fini();
	return SN_TEST_PASS;
}
