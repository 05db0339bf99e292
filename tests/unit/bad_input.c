/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Bad input is refused with the documented errno, counted, and leaks nothing.
 *
 * Unknown ethdev port; zero-length and over-MTU frames; a bad queue; a NULL
 * device; a full qdisc; a down device; sn_qdisc_replace() with an unknown
 * kind, a bad queue or bad parameters (nothing changes); bad netdev
 * arguments. Every mbuf handed in is freed exactly once (pool baseline).
 */

#include <string.h>

#include <rte_errno.h>

#include "sn_ethdev.h"
#include "sn_test.h"
#include "sn_test_util.h"

static struct rte_mempool *mp;
static struct sn_softnet *sd;

static int
test_ethdev_unknown_port(void)
{
	rte_errno = 0;
	SN_ASSERT(sn_ethdev_open(4242, NULL, NULL) == NULL, "opened a port that does not exist");
	SN_ASSERT_EQ(rte_errno, ENODEV);
	rte_errno = 0;
	SN_ASSERT(sn_ethdev_attach(4242, NULL, 1) == NULL, "attached a port that does not exist");
	SN_ASSERT_EQ(rte_errno, ENODEV);
	SN_ASSERT_EQ(sn_ethdev_port(NULL), -ENODEV);
	SN_ASSERT(!sn_is_ethdev(NULL), "NULL is no ethdev");
	return 0;
}

static int
test_invalid_frames(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = sn_test_netdev_create("bad_frames", 2);
	struct sn_softnet_stats s0, s1;
	struct rte_mbuf *pkts[8];
	const uint64_t want[] = { 1, 3 };

	SN_ASSERT(dev != NULL, "create");
	SN_ASSERT_EQ(sn_test_keep(dev, 8), 0);
	s0 = sn_test_stats(sd);
	/* Zero length. */
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, 1, 0, 0, 0), 0);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[0]), -EINVAL);
	/* Over MTU + Ethernet header (1500 + 14), untagged (tags: frame_size.c). */
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, 1, 1500 + SN_NETDEV_ETH_HLEN + 1, 0, 0), 0);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[0]), -EINVAL);
	/* Exactly the largest frame is fine. */
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, 1, 1500 + SN_NETDEV_ETH_HLEN, 0, 0), 0);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[0]), SN_XMIT_SUCCESS);
	s1 = sn_test_stats(sd);
	SN_ASSERT_EQ(s1.drop_invalid - s0.drop_invalid, 2);
	SN_ASSERT_EQ(s1.dropped - s0.dropped, 2);
	sn_test_kept_release(dev);
	SN_ASSERT_EQ(sn_test_keep(dev, 8), 0);

	/* A burst mixing good and bad frames: the good ones go, in order. */
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, 1, 0, 0, 0), 0);
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts + 1, 1, 64, 0, 1), 0);
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts + 2, 1, 2000, 0, 2), 0);
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts + 3, 1, 64, 0, 3), 0);
	SN_ASSERT_EQ(sn_xmit_burst(sd, dev, 0, pkts, 4), 2);
	s1 = sn_test_stats(sd);
	SN_ASSERT_EQ(s1.drop_invalid - s0.drop_invalid, 4);
	if (sn_test_kept_check(dev, want, 0, 2) != 0)
		return SN_TEST_FAIL;

	/* A smaller MTU applies at once; bad MTUs are refused. */
	SN_ASSERT_EQ(sn_netdev_set_mtu(dev, 100), 0);
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, 1, 100 + SN_NETDEV_ETH_HLEN + 1, 0, 0), 0);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[0]), -EINVAL);
	SN_ASSERT_EQ(sn_netdev_set_mtu(dev, 67), -EINVAL);
	SN_ASSERT_EQ(sn_netdev_set_mtu(dev, 65536), -EINVAL);
	SN_ASSERT_EQ(sn_netdev_set_mtu(NULL, 1500), -ENODEV);
	SN_ASSERT_EQ(sn_netdev_mtu(dev), 100);

	/* Bad queue, NULL device. */
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, 5, 64, 0, 0), 0);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 2, pkts[0]), -EINVAL);
	SN_ASSERT_EQ(sn_xmit(sd, dev, UINT16_MAX, pkts[1]), -EINVAL);
	SN_ASSERT_EQ(sn_xmit_burst(sd, dev, 7, pkts + 2, 1), 0);
	SN_ASSERT_EQ(sn_xmit(sd, NULL, 0, pkts[3]), -ENODEV);
	SN_ASSERT_EQ(sn_xmit_burst(sd, NULL, 0, pkts + 4, 1), 0);
	SN_ASSERT_EQ(sn_xmit_burst(sd, dev, 0, pkts, 0), 0);
	s1 = sn_test_stats(sd);
	SN_ASSERT_EQ(s1.drop_invalid - s0.drop_invalid, 10);
	SN_ASSERT_EQ(s1.dropped - s0.dropped, 10);
	SN_ASSERT_EQ(s1.processed - s0.processed, 3 + 4 + 1 + 5);
	SN_ASSERT_EQ(sn_test_netdev_ctl(dev)->accepted, 2);

	return sn_test_dev_done(dev, sd, mp, base);
}

static int
test_full_and_down(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = sn_test_netdev_create("bad_full", 1);
	struct sn_qdisc_params p = { .limit = 2, .no_bypass = true };
	struct sn_softnet_stats s0, s1;
	struct rte_mbuf *pkts[4];

	SN_ASSERT(dev != NULL, "create");
	SN_ASSERT_EQ(sn_qdisc_replace(dev, 0, "pfifo", &p, sd), 0);
	sn_netdev_txq_stop(dev, 0);
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, 4, 64, 0, 0), 0);
	s0 = sn_test_stats(sd);
	sn_local_bh_disable(sd);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[0]), SN_XMIT_SUCCESS);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[1]), SN_XMIT_SUCCESS);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[2]), SN_XMIT_DROP);
	sn_local_bh_enable(sd);
	s1 = sn_test_stats(sd);
	SN_ASSERT_EQ(sn_test_info(dev, 0).stats.qstats.drops, 1);
	SN_ASSERT_EQ(s1.drop_qdisc - s0.drop_qdisc, 1);
	SN_ASSERT_EQ(sn_netdev_txq_wake(sd, dev, 0), 0);
	sn_test_drain(sd);
	SN_ASSERT_EQ(sn_test_netdev_ctl(dev)->accepted, 2);

	SN_ASSERT_EQ(sn_netdev_down(dev, sd), 0);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[3]), -ENETDOWN);
	SN_ASSERT_EQ(sn_test_stats(sd).drop_down - s0.drop_down, 1);
	return sn_test_dev_done(dev, sd, mp, base);
}

static int
test_replace_errors(void)
{
	struct sn_netdev *dev = sn_test_netdev_create("bad_replace", 1);
	struct sn_qdisc_params p = { .limit = 5 };
	struct sn_qdisc_params bad;
	struct sn_qdisc_info before, after;

	SN_ASSERT(dev != NULL, "create");
	SN_ASSERT_EQ(sn_qdisc_replace(dev, 0, "pfifo", &p, sd), 0);
	before = sn_test_info(dev, 0);

	SN_ASSERT_EQ(sn_qdisc_replace(dev, 0, "no_such_qdisc", NULL, sd), -ENOENT);
	SN_ASSERT_EQ(sn_qdisc_replace(dev, 0, "", NULL, sd), -ENOENT);
	SN_ASSERT_EQ(sn_qdisc_replace(dev, 0, NULL, NULL, sd), -EINVAL);
	SN_ASSERT_EQ(sn_qdisc_replace(dev, 1, "pfifo", NULL, sd), -EINVAL);
	SN_ASSERT_EQ(sn_qdisc_replace(NULL, 0, "pfifo", NULL, sd), -ENODEV);
	bad = (struct sn_qdisc_params){ .limit = (1u << 24) + 1 };
	SN_ASSERT_EQ(sn_qdisc_replace(dev, 0, "pfifo", &bad, sd), -EINVAL);
	SN_ASSERT_EQ(sn_qdisc_replace(dev, 0, "pfifo_fast", &bad, sd), -EINVAL);
	bad = (struct sn_qdisc_params){ .limit = 63 };
	SN_ASSERT_EQ(sn_qdisc_replace(dev, 0, "bfifo", &bad, sd), -EINVAL);
	bad = (struct sn_qdisc_params){ .limit = 5 };
	memset(bad.reserved, 0xff, sizeof(bad.reserved));
	SN_ASSERT_EQ(sn_qdisc_replace(dev, 0, "pfifo", &bad, sd), -EINVAL);

	after = sn_test_info(dev, 0);
	SN_ASSERT(strcmp(after.kind, "pfifo") == 0, "kind changed to %s", after.kind);
	SN_ASSERT_EQ(after.params.limit, 5);
	SN_ASSERT(memcmp(&after.retired, &before.retired, sizeof(after.retired)) == 0,
		  "a refused replace retired the qdisc");

	SN_ASSERT_EQ(sn_qdisc_info(dev, 1, &after), -EINVAL);
	SN_ASSERT_EQ(sn_qdisc_info(NULL, 0, &after), -ENODEV);
	SN_ASSERT_EQ(sn_qdisc_delete(dev, 0, sd), 0);
	SN_ASSERT(strcmp(sn_test_info(dev, 0).kind, "pfifo_fast") == 0, "delete: not default");
	SN_ASSERT(sn_qdisc_lookup("no_such_qdisc") == NULL, "lookup");
	SN_ASSERT(sn_qdisc_lookup(NULL) == NULL, "lookup NULL");
	sn_test_netdev_free(dev, sd);
	return 0;
}

static int
test_netdev_errors(void)
{
	struct sn_netdev *dev = sn_test_netdev_create("bad_dup", 1);
	const struct sn_netdev_ops *ops;
	char longname[SN_NETDEV_NAMESIZE + 1];

	SN_ASSERT(dev != NULL, "create");
	ops = sn_netdev_ops(dev);
	rte_errno = 0;
	SN_ASSERT(sn_netdev_create("bad_dup", ops, 1, 0, SOCKET_ID_ANY) == NULL, "duplicate");
	SN_ASSERT_EQ(rte_errno, EEXIST);
	rte_errno = 0;
	SN_ASSERT(sn_netdev_create("bad_zero", ops, 0, 0, SOCKET_ID_ANY) == NULL, "0 txq");
	SN_ASSERT_EQ(rte_errno, EINVAL);
	SN_ASSERT(sn_netdev_create("bad_many", ops, SN_NETDEV_MAX_TXQ + 1, 0, SOCKET_ID_ANY) ==
		  NULL, "too many txq");
	SN_ASSERT(sn_netdev_create("bad_ops", NULL, 1, 0, SOCKET_ID_ANY) == NULL, "NULL ops");
	SN_ASSERT(sn_netdev_create(NULL, ops, 1, 0, SOCKET_ID_ANY) == NULL, "NULL name");
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	rte_errno = 0;
	SN_ASSERT(sn_netdev_create(longname, ops, 1, 0, SOCKET_ID_ANY) == NULL, "long name");
	SN_ASSERT_EQ(rte_errno, EINVAL);
	SN_ASSERT(sn_netdev_lookup("bad_dup") == dev, "lookup");
	SN_ASSERT(sn_netdev_lookup("bad_zero") == NULL, "lookup of a refused device");
	SN_ASSERT_EQ(sn_netdev_tx_lock(sd, dev, 1), -EINVAL);
	SN_ASSERT_EQ(sn_netdev_tx_lock(sd, NULL, 0), -EINVAL);
	SN_ASSERT_EQ(sn_netdev_tx_lock_owner(dev, 1), -1);
	SN_ASSERT_EQ(sn_init(NULL), -EALREADY);
	rte_errno = 0;
	SN_ASSERT(sn_softnet_attach() == NULL, "attached twice");
	SN_ASSERT_EQ(rte_errno, EALREADY);
	sn_test_netdev_free(dev, sd);
	SN_ASSERT(sn_netdev_lookup("bad_dup") == NULL, "freed device still registered");
	return 0;
}

int
main(void)
{
	sn_test_init("bad_input", "0", NULL);
	mp = sn_test_pool("bad_input", 256);
	sd = sn_softnet_attach();
	if (mp == NULL || sd == NULL)
		return SN_TEST_FAIL;
	SN_RUN(test_ethdev_unknown_port);
	SN_RUN(test_invalid_frames);
	SN_RUN(test_full_and_down);
	SN_RUN(test_replace_errors);
	SN_RUN(test_netdev_errors);
	sn_softnet_detach(sd);
	if (sn_test_pool_check(mp, 0) != 0)
		return SN_TEST_FAIL;
	sn_test_fini();
	return SN_TEST_PASS;
}
