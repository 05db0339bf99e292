/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Replacing a qdisc from the lcore that has it on its own output queue.
 *
 * An lcore transmits into a device that accepts nothing: its qdisc holds the
 * packets and sits on this lcore's output queue (SCHED). The same lcore then
 * replaces the qdisc (sn_qdisc_replace(..., sd), as an operator's CLI running
 * on the transmitting lcore does). The queued packets must be dropped and
 * counted, and the retired qdisc must not stay on the output queue, since it
 * is freed: the next NET_TX would run freed memory.
 *
 * Guarded by alarm(): a hang fails the test instead of blocking the suite.
 */

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "sn_test.h"
#include "sn_test_util.h"

#define NB_QUEUED 20

static struct rte_mempool *mp;
static struct sn_softnet *sd;

static void
on_alarm(int sig)
{
	static const char msg[] = "FAIL: replace_self_sched hung\n";

	RTE_SET_USED(sig);
	if (write(2, msg, sizeof(msg) - 1) < 0)
		_exit(SN_TEST_FAIL);
	_exit(SN_TEST_FAIL);
}

static int
test_replace_while_self_scheduled(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = sn_test_netdev_create("rss", 1);
	struct sn_softnet_stats s0, s1;
	struct sn_qdisc_info info;
	struct rte_mbuf *pkts[NB_QUEUED];
	unsigned int n;

	SN_ASSERT(dev != NULL, "create");
	sn_test_netdev_ctl(dev)->credit = 0;
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, NB_QUEUED, 64, 0, 0), 0);
	for (unsigned int i = 0; i < NB_QUEUED; i++)
		SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[i]), SN_XMIT_SUCCESS);
	SN_ASSERT_EQ(sn_test_scheduled(sd, dev, 0), 1);

	s0 = sn_test_stats(sd);
	SN_ASSERT_EQ(sn_qdisc_replace(dev, 0, "pfifo", NULL, sd), 0);
	s1 = sn_test_stats(sd);
	info = sn_test_info(dev, 0);
	SN_ASSERT_EQ(info.retired.qstats.drops, NB_QUEUED);
	SN_ASSERT_EQ(s1.drop_deactivated - s0.drop_deactivated, NB_QUEUED);
	SN_ASSERT_EQ(rte_mempool_in_use_count(mp), base);

	/*
	 * The retired qdisc has been freed: it must not be on the output queue
	 * any more (the new one has no work and was never scheduled).
	 */
	n = sn_softnet_output_queue(sd, NULL, 0);
	SN_ASSERT(n == 0, "%u stale entr%s on the output queue after the replace freed the "
		  "qdisc: NET_TX would run freed memory", n, n == 1 ? "y" : "ies");

	sn_test_drain(sd);
	sn_test_netdev_ctl(dev)->credit = -1;
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, 1, 64, 0, 0), 0);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[0]), SN_XMIT_SUCCESS);
	SN_ASSERT_EQ(sn_test_netdev_ctl(dev)->accepted, 1);
	return sn_test_dev_done(dev, sd, mp, base);
}

int
main(void)
{
	signal(SIGALRM, on_alarm);
	alarm(4);
	sn_test_init("replace_self_sched", "0", NULL);
	mp = sn_test_pool("rss", 256);
	sd = sn_softnet_attach();
	if (mp == NULL || sd == NULL)
		return SN_TEST_FAIL;
	SN_RUN(test_replace_while_self_scheduled);
	sn_softnet_detach(sd);
	if (sn_test_pool_check(mp, 0) != 0)
		return SN_TEST_FAIL;
	sn_test_fini();
	return SN_TEST_PASS;
}
