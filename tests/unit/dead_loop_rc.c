/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Return codes of a dead-loop drop, as sn_xmit.h documents them:
 * sn_xmit() returns SN_XMIT_DROP for a packet dropped as a dead loop, and
 * sn_xmit_burst() returns how many were sent or queued ("the other n - return
 * were dropped"). Here the caller holds the queue's xmit lock on its own lcore
 * and the qdisc is empty and idle, so the packets take the direct path and are
 * dropped there, neither sent nor queued.
 */

#include "sn_test.h"
#include "sn_test_util.h"

static struct rte_mempool *mp;
static struct sn_softnet *sd;

static int
test_dead_loop_return_codes(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = sn_test_netdev_create("dlrc", 1);
	struct sn_softnet_stats s0, s1;
	struct rte_mbuf *pkts[5];
	uint16_t n;
	int rc;

	SN_ASSERT(dev != NULL, "create");
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, 5, 64, 0, 0), 0);
	SN_ASSERT_EQ(sn_netdev_tx_lock(sd, dev, 0), 0);
	s0 = sn_test_stats(sd);
	rc = sn_xmit(sd, dev, 0, pkts[0]);
	n = sn_xmit_burst(sd, dev, 0, pkts + 1, 4);
	s1 = sn_test_stats(sd);
	sn_netdev_tx_unlock(dev, 0);
	SN_ASSERT_EQ(s1.drop_dead_loop - s0.drop_dead_loop, 5);
	SN_ASSERT_EQ(sn_test_info(dev, 0).stats.qstats.qlen, 0);
	/* Neither sent nor queued: the caller must be told. */
	SN_ASSERT(rc == SN_XMIT_DROP, "sn_xmit returned %d for a dead-loop drop, expected "
		  "SN_XMIT_DROP (%d)", rc, SN_XMIT_DROP);
	SN_ASSERT(n == 0, "sn_xmit_burst returned %u for 4 dead-loop drops, expected 0", n);
	return sn_test_dev_done(dev, sd, mp, base);
}

int
main(void)
{
	sn_test_init("dead_loop_rc", "0", NULL);
	mp = sn_test_pool("dead_loop_rc", 64);
	sd = sn_softnet_attach();
	if (mp == NULL || sd == NULL)
		return SN_TEST_FAIL;
	SN_RUN(test_dead_loop_return_codes);
	sn_softnet_detach(sd);
	if (sn_test_pool_check(mp, 0) != 0)
		return SN_TEST_FAIL;
	sn_test_fini();
	return SN_TEST_PASS;
}
