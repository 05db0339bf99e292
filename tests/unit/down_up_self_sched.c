/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Down and up again from the lcore that has the qdisc on its own output queue.
 *
 * An lcore's qdisc is scheduled (the driver accepts nothing); the same lcore
 * takes the device down (its packets are dropped and counted) and brings it
 * up before its next NET_TX. The qdisc must still appear at most once on the
 * output queue after further transmits, and the lcore must be able to drain
 * it: no list corruption, no hang, nothing lost once the driver accepts.
 *
 * Guarded by alarm(): a hang (a qdisc linked to itself on the output queue)
 * fails the test instead of blocking the suite.
 */

#include <signal.h>
#include <unistd.h>

#include "sn_test.h"
#include "sn_test_util.h"

#define NB_QUEUED 8

static struct rte_mempool *mp;
static struct sn_softnet *sd;

static void
on_alarm(int sig)
{
	static const char msg[] = "FAIL: down_up_self_sched hung (output queue corrupted?)\n";

	RTE_SET_USED(sig);
	if (write(2, msg, sizeof(msg) - 1) < 0)
		_exit(SN_TEST_FAIL);
	_exit(SN_TEST_FAIL);
}

static int
test_down_up_while_self_scheduled(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = sn_test_netdev_create("duss", 1);
	struct sn_test_netdev *c;
	struct sn_softnet_stats s0, s1;
	struct rte_mbuf *pkts[NB_QUEUED];
	struct sn_sched_entry e[4];
	unsigned int n;

	SN_ASSERT(dev != NULL, "create");
	c = sn_test_netdev_ctl(dev);
	SN_ASSERT_EQ(sn_test_keep(dev, 16), 0);
	c->credit = 0;
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, NB_QUEUED, 64, 0, 0), 0);
	for (unsigned int i = 0; i < NB_QUEUED; i++)
		SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[i]), SN_XMIT_SUCCESS);
	SN_ASSERT_EQ(sn_test_scheduled(sd, dev, 0), 1);

	s0 = sn_test_stats(sd);
	SN_ASSERT_EQ(sn_netdev_down(dev, sd), 0);
	s1 = sn_test_stats(sd);
	SN_ASSERT_EQ(s1.drop_deactivated - s0.drop_deactivated, NB_QUEUED);
	SN_ASSERT_EQ(rte_mempool_in_use_count(mp), base);
	SN_ASSERT_EQ(sn_netdev_up(dev), 0);

	/* Refused again: the qdisc is (re)scheduled; it must be listed once. */
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, 2, 64, 0, 100), 0);
	sn_local_bh_disable(sd);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[0]), SN_XMIT_SUCCESS);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[1]), SN_XMIT_SUCCESS);
	n = sn_softnet_output_queue(sd, e, RTE_DIM(e));
	SN_ASSERT_EQ(n, 1);
	SN_ASSERT(e[0].dev == dev, "wrong entry");
	sn_local_bh_enable(sd);

	c->credit = -1;
	sn_test_drain(sd);
	SN_ASSERT(!sn_softnet_has_work(sd), "work left");
	if (sn_test_kept_check(dev, NULL, 100, 2) != 0)
		return SN_TEST_FAIL;
	return sn_test_dev_done(dev, sd, mp, base);
}

int
main(void)
{
	signal(SIGALRM, on_alarm);
	alarm(4);
	sn_test_init("down_up_self_sched", "0", NULL);
	mp = sn_test_pool("duss", 256);
	sd = sn_softnet_attach();
	if (mp == NULL || sd == NULL)
		return SN_TEST_FAIL;
	SN_RUN(test_down_up_while_self_scheduled);
	sn_softnet_detach(sd);
	if (sn_test_pool_check(mp, 0) != 0)
		return SN_TEST_FAIL;
	sn_test_fini();
	return SN_TEST_PASS;
}
