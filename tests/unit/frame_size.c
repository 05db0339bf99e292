/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Each frame is checked against its port: MTU + 14 bytes, + 4 only for a
 * frame that carries a VLAN tag (0x8100 or 0x88a8 at byte 12), a TSO/USO
 * frame by its segments. An untagged MTU + 18 frame (what a VLAN tag that is
 * not there would allow) is refused: a veth peer with that MTU drops it.
 * Refused frames are dropped and counted under their reason (oversize,
 * malformed), on the single-packet, burst and plugged paths; good frames of
 * a mixed burst go, in order. Every mbuf is accounted for.
 */

#include <rte_byteorder.h>
#include <rte_ether.h>

#include "sn_test.h"
#include "sn_test_util.h"

static struct rte_mempool *mp;
static struct sn_softnet *sd;

/* One frame of @len bytes, sequence @seq, with @tpid at byte 12 (0: none). */
static struct rte_mbuf *
frame(uint32_t len, uint64_t seq, uint16_t tpid)
{
	struct rte_mbuf *m;

	if (sn_test_alloc(mp, &m, 1, len, 0, seq) != 0)
		return NULL;
	/* sn_test_alloc() writes no sequence number into a frame this short. */
	if (len >= sizeof(uint64_t) && len < 16)
		*rte_pktmbuf_mtod(m, uint64_t *) = seq;
	if (tpid != 0 && len >= 14)
		*rte_pktmbuf_mtod_offset(m, rte_be16_t *, 12) = rte_cpu_to_be_16(tpid);
	return m;
}

/* Drops are the sum of their reasons, and the older fields group them. */
static int
check_sums(const struct sn_softnet_stats *s)
{
	uint64_t sum = 0;

	for (unsigned int r = 0; r < SN_DROP_REASON_MAX; r++)
		sum += s->drops[r];
	SN_ASSERT_EQ(s->dropped, sum);
	SN_ASSERT_EQ(s->drop_invalid, s->drops[SN_DROP_OVERSIZE] + s->drops[SN_DROP_MALFORMED] +
					      s->drops[SN_DROP_NO_TXQ]);
	return 0;
}

static int
test_single(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = sn_test_netdev_create("fs_single", 1);
	struct sn_softnet_stats s0, s1;
	const uint64_t want[] = { 1, 2, 3, 4 };

	SN_ASSERT(dev != NULL, "create");
	SN_ASSERT_EQ(sn_netdev_mtu(dev), 1500);
	SN_ASSERT_EQ(sn_test_keep(dev, 16), 0);
	s0 = sn_test_stats(sd);
	/* The largest untagged frame, then tagged ones (802.1Q, 802.1ad). */
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, frame(1514, 1, 0)), SN_XMIT_SUCCESS);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, frame(1518, 2, RTE_ETHER_TYPE_VLAN)), SN_XMIT_SUCCESS);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, frame(1518, 3, RTE_ETHER_TYPE_QINQ)), SN_XMIT_SUCCESS);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, frame(14, 4, 0)), SN_XMIT_SUCCESS);
	/* Untagged beyond MTU + 14: the bug was to take these. */
	for (uint32_t len = 1515; len <= 1518; len++)
		SN_ASSERT_EQ(sn_xmit(sd, dev, 0, frame(len, 100 + len, 0)), -EINVAL);
	/* Tagged beyond MTU + 18; an IPv4 ethertype is no tag. */
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, frame(1519, 10, RTE_ETHER_TYPE_VLAN)), -EINVAL);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, frame(1518, 11, RTE_ETHER_TYPE_IPV4)), -EINVAL);
	/* Malformed: empty, shorter than an Ethernet header. */
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, frame(0, 12, 0)), -EINVAL);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, frame(13, 13, 0)), -EINVAL);
	s1 = sn_test_stats(sd);
	SN_ASSERT_EQ(s1.drops[SN_DROP_OVERSIZE] - s0.drops[SN_DROP_OVERSIZE], 6);
	SN_ASSERT_EQ(s1.drops[SN_DROP_MALFORMED] - s0.drops[SN_DROP_MALFORMED], 2);
	SN_ASSERT_EQ(s1.dropped - s0.dropped, 8);
	SN_ASSERT_EQ(s1.drop_invalid - s0.drop_invalid, 8);
	if (check_sums(&s1) != 0)
		return SN_TEST_FAIL;
	if (sn_test_kept_check(dev, want, 0, RTE_DIM(want)) != 0)
		return SN_TEST_FAIL;
	return sn_test_dev_done(dev, sd, mp, base);
}

static int
test_burst_and_plug(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = sn_test_netdev_create("fs_burst", 1);
	struct sn_softnet_stats s0, s1;
	struct rte_mbuf *pkts[12];
	const uint64_t want[] = { 0, 2, 4, 6, 9, 20, 22 };
	int rc;

	SN_ASSERT(dev != NULL, "create");
	SN_ASSERT_EQ(sn_test_keep(dev, 32), 0);
	s0 = sn_test_stats(sd);
	/* Short bursts and long ones take different loops: a bad frame anywhere. */
	pkts[0] = frame(64, 0, 0);
	pkts[1] = frame(1518, 1, 0);
	pkts[2] = frame(1518, 2, RTE_ETHER_TYPE_VLAN);
	pkts[3] = frame(0, 3, 0);
	pkts[4] = frame(1514, 4, 0);
	pkts[5] = frame(2000, 5, RTE_ETHER_TYPE_VLAN);
	pkts[6] = frame(60, 6, 0);
	pkts[7] = frame(1, 7, 0);
	pkts[8] = frame(1515, 8, 0);
	pkts[9] = frame(100, 9, 0);
	for (unsigned int i = 0; i < 10; i++)
		SN_ASSERT(pkts[i] != NULL, "alloc");
	SN_ASSERT_EQ(sn_xmit_burst(sd, dev, 0, pkts, 10), 5);
	s1 = sn_test_stats(sd);
	SN_ASSERT_EQ(s1.drops[SN_DROP_OVERSIZE] - s0.drops[SN_DROP_OVERSIZE], 3);
	SN_ASSERT_EQ(s1.drops[SN_DROP_MALFORMED] - s0.drops[SN_DROP_MALFORMED], 2);

	/* Plugged: refused at once, the rest held and sent at the unplug. */
	SN_ASSERT_EQ(sn_xmit_plug(sd), 0);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, frame(64, 20, 0)), SN_XMIT_SUCCESS);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, frame(1516, 21, 0)), -EINVAL);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, frame(1518, 22, RTE_ETHER_TYPE_QINQ)), SN_XMIT_SUCCESS);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, frame(5, 23, 0)), -EINVAL);
	rc = sn_xmit_unplug(sd);
	SN_ASSERT_EQ(rc, 0);
	sn_test_drain(sd);
	s1 = sn_test_stats(sd);
	SN_ASSERT_EQ(s1.drops[SN_DROP_OVERSIZE] - s0.drops[SN_DROP_OVERSIZE], 4);
	SN_ASSERT_EQ(s1.drops[SN_DROP_MALFORMED] - s0.drops[SN_DROP_MALFORMED], 3);
	SN_ASSERT_EQ(s1.dropped - s0.dropped, 7);
	SN_ASSERT_EQ(s1.sent - s0.sent, 7);
	if (check_sums(&s1) != 0)
		return SN_TEST_FAIL;
	if (sn_test_kept_check(dev, want, 0, RTE_DIM(want)) != 0)
		return SN_TEST_FAIL;
	return sn_test_dev_done(dev, sd, mp, base);
}

/* A smaller MTU applies at once; a frame to be segmented is judged by its segments. */
static int
test_mtu_and_tso(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = sn_test_netdev_create("fs_mtu", 1);
	struct sn_softnet_stats s0, s1;
	struct rte_mbuf *m;

	SN_ASSERT(dev != NULL, "create");
	SN_ASSERT_EQ(sn_netdev_set_mtu(dev, 100), 0);
	s0 = sn_test_stats(sd);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, frame(114, 0, 0)), SN_XMIT_SUCCESS);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, frame(115, 1, 0)), -EINVAL);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, frame(118, 2, RTE_ETHER_TYPE_VLAN)), SN_XMIT_SUCCESS);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, frame(119, 3, RTE_ETHER_TYPE_VLAN)), -EINVAL);

	/* TSO, 1000 bytes: 14 + 20 + 20 bytes of headers and 60 of payload per segment fit. */
	m = frame(1000, 4, 0);
	SN_ASSERT(m != NULL, "alloc");
	m->ol_flags |= RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_IPV4;
	m->l2_len = 14;
	m->l3_len = 20;
	m->l4_len = 20;
	m->tso_segsz = 60;
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, m), SN_XMIT_SUCCESS);
	/* One byte more per segment does not. */
	m = frame(1000, 5, 0);
	SN_ASSERT(m != NULL, "alloc");
	m->ol_flags |= RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_IPV4;
	m->l2_len = 14;
	m->l3_len = 20;
	m->l4_len = 20;
	m->tso_segsz = 61;
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, m), -EINVAL);
	s1 = sn_test_stats(sd);
	SN_ASSERT_EQ(s1.drops[SN_DROP_OVERSIZE] - s0.drops[SN_DROP_OVERSIZE], 3);
	SN_ASSERT_EQ(s1.sent - s0.sent, 3);
	SN_ASSERT_EQ(sn_test_netdev_ctl(dev)->accepted, 3);
	return sn_test_dev_done(dev, sd, mp, base);
}

int
main(void)
{
	sn_test_init("frame_size", "0", NULL);
	mp = sn_test_pool("frame_size", 256);
	sd = sn_softnet_attach();
	if (mp == NULL || sd == NULL)
		return SN_TEST_FAIL;
	SN_RUN(test_single);
	SN_RUN(test_burst_and_plug);
	SN_RUN(test_mtu_and_tso);
	sn_softnet_detach(sd);
	if (sn_test_pool_check(mp, 0) != 0)
		return SN_TEST_FAIL;
	sn_test_fini();
	return SN_TEST_PASS;
}
