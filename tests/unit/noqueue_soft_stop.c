/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * noqueue on a queue softnet left stopped still tries the driver.
 *
 * A partial burst under pfifo_fast leaves the queue stopped by softnet
 * (SN_NETDEV_TXQ_SOFT_XOFF); then the root is replaced by noqueue, and the
 * old qdisc, which NET_TX would have polled the queue for, is gone. Once the
 * driver has room, sn_xmit() through noqueue must reach it (and clear the
 * stop), not be dropped for ever. A queue the driver itself stopped is
 * different: noqueue drops what it is given until the driver's wake, as the
 * kernel's does. Every mbuf is counted.
 */

#include "sn_test.h"
#include "sn_test_util.h"

#define NB 40
#define NB_AFTER 5

static struct rte_mempool *mp;
static struct sn_softnet *sd;

static int
test_noqueue_after_partial(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = sn_test_netdev_create("nq_soft", 1);
	struct sn_test_netdev *c;
	struct sn_softnet_stats s0, s1;
	struct rte_mbuf *pkts[NB];

	SN_ASSERT(dev != NULL, "create");
	c = sn_test_netdev_ctl(dev);
	SN_ASSERT_EQ(sn_test_keep(dev, NB + NB_AFTER), 0);
	/* A partial burst: softnet stops the queue, the rest stays queued (no room yet). */
	c->budget = 10;
	c->ready = 0;
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, NB, 64, 0, 0), 0);
	SN_ASSERT_EQ(sn_xmit_burst(sd, dev, 0, pkts, NB), NB);
	SN_ASSERT_EQ(c->accepted, 10);
	SN_ASSERT_EQ(sn_netdev_txq_state(dev, 0), SN_NETDEV_TXQ_SOFT_XOFF);

	/* noqueue replaces it (the 30 queued are dropped, counted); the driver has room. */
	SN_ASSERT_EQ(sn_qdisc_replace(dev, 0, "noqueue", NULL, sd), 0);
	c->budget = -1;
	c->ready = 1;
	sn_test_drain(sd);
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, NB_AFTER, 64, 0, NB), 0);
	s0 = sn_test_stats(sd);
	for (unsigned int i = 0; i < NB_AFTER; i++)
		SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[i]), SN_XMIT_SUCCESS);
	s1 = sn_test_stats(sd);
	SN_ASSERT_EQ(s1.drop_noqueue - s0.drop_noqueue, 0);
	SN_ASSERT_EQ(s1.dropped - s0.dropped, 0);
	SN_ASSERT_EQ(s1.sent - s0.sent, NB_AFTER);
	SN_ASSERT_EQ(c->accepted, 10 + NB_AFTER);
	SN_ASSERT_EQ(sn_test_info(dev, 0).stats.bstats.packets, NB_AFTER);
	/* The driver took everything: the stop is gone. */
	SN_ASSERT_EQ(sn_netdev_txq_state(dev, 0), 0);
	{
		uint64_t want[10 + NB_AFTER];

		for (unsigned int i = 0; i < 10; i++)
			want[i] = i;
		for (unsigned int i = 0; i < NB_AFTER; i++)
			want[10 + i] = NB + i;
		if (sn_test_kept_check(dev, want, 0, RTE_DIM(want)) != 0)
			return SN_TEST_FAIL;
	}
	return sn_test_dev_done(dev, sd, mp, base);
}

/* The driver's own stop: noqueue drops (counted) until the wake. */
static int
test_noqueue_driver_stop(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = sn_test_netdev_create("nq_drv", 1);
	struct sn_test_netdev *c;
	struct sn_softnet_stats s0, s1;
	struct rte_mbuf *pkts[2];

	SN_ASSERT(dev != NULL, "create");
	c = sn_test_netdev_ctl(dev);
	SN_ASSERT_EQ(sn_qdisc_replace(dev, 0, "noqueue", NULL, sd), 0);
	sn_netdev_txq_stop(dev, 0);
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, 2, 64, 0, 0), 0);
	s0 = sn_test_stats(sd);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[0]), SN_XMIT_DROP);
	s1 = sn_test_stats(sd);
	SN_ASSERT_EQ(s1.drop_noqueue - s0.drop_noqueue, 1);
	SN_ASSERT_EQ(c->calls, 0);
	SN_ASSERT_EQ(sn_netdev_txq_wake(sd, dev, 0), 0);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[1]), SN_XMIT_SUCCESS);
	SN_ASSERT_EQ(c->accepted, 1);
	return sn_test_dev_done(dev, sd, mp, base);
}

int
main(void)
{
	sn_test_init("noqueue_soft_stop", "0", NULL);
	mp = sn_test_pool("noqueue_soft_stop", 256);
	sd = sn_softnet_attach();
	if (mp == NULL || sd == NULL)
		return SN_TEST_FAIL;
	SN_RUN(test_noqueue_after_partial);
	SN_RUN(test_noqueue_driver_stop);
	sn_softnet_detach(sd);
	if (sn_test_pool_check(mp, 0) != 0)
		return SN_TEST_FAIL;
	sn_test_fini();
	return SN_TEST_PASS;
}
