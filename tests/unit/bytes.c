/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Byte accounting stays exact on every path: frames of many lengths and
 * priorities through pfifo_fast, pfifo and bfifo, with and without bypass,
 * into a driver that takes at most 7 per call (partial transmits, requeues,
 * stopped queue, runs that dequeue part of the queue or all of it). At every
 * step the qdisc's backlog is the sum of the lengths still queued and its
 * "Sent" bytes the sum of what the driver took; at the end, the sum of all.
 */

#include "sn_test.h"
#include "sn_test_util.h"

#define NB 240
#define BURST 20

static struct rte_mempool *mp;
static struct sn_softnet *sd;

static uint32_t
len_of(unsigned int i)
{
	return 60 + (i * 37) % 1400;
}

static uint64_t
kept_bytes(struct sn_netdev *dev)
{
	const struct sn_test_netdev *c = sn_test_netdev_ctl(dev);
	uint64_t sum = 0;

	for (uint64_t i = 0; i < c->accepted; i++)
		sum += rte_pktmbuf_pkt_len(c->kept[i]);
	return sum;
}

static int
bytes_exact(const char *kind, bool no_bypass)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = sn_test_netdev_create("bytes", 1);
	struct sn_qdisc_params p = { .no_bypass = no_bypass, .limit = 1u << 20 };
	struct rte_mbuf *pkts[BURST];
	struct sn_test_netdev *c;
	struct sn_qdisc_info info;
	uint64_t total = 0;

	SN_ASSERT(dev != NULL, "create");
	SN_ASSERT_EQ(sn_qdisc_replace(dev, 0, kind, &p, sd), 0);
	c = sn_test_netdev_ctl(dev);
	SN_ASSERT_EQ(sn_test_keep(dev, NB), 0);
	c->budget = 7;

	for (unsigned int i = 0; i < NB; i += BURST) {
		/* Softirqs off: NET_TX cannot drain between bursts, the queue builds up. */
		sn_local_bh_disable(sd);
		for (unsigned int j = 0; j < BURST; j++) {
			SN_ASSERT_EQ(sn_test_alloc(mp, &pkts[j], 1, len_of(i + j), (i + j) % 16,
						   i + j), 0);
			total += len_of(i + j);
		}
		SN_ASSERT_EQ(sn_xmit_burst(sd, dev, 0, pkts, BURST), BURST);
		info = sn_test_info(dev, 0);
		SN_ASSERT_EQ(info.stats.bstats.bytes, kept_bytes(dev));
		SN_ASSERT_EQ(info.stats.bstats.packets, c->accepted);
		SN_ASSERT_EQ(info.stats.qstats.backlog, total - kept_bytes(dev));
		SN_ASSERT_EQ(info.stats.qstats.qlen, i + BURST - c->accepted);
		sn_local_bh_enable(sd);
		/* Some NET_TX runs now: runs that take part of the queue, or all of it. */
		if ((i / BURST) % 3 == 2)
			sn_test_drain(sd);
		info = sn_test_info(dev, 0);
		SN_ASSERT_EQ(info.stats.bstats.bytes, kept_bytes(dev));
		SN_ASSERT_EQ(info.stats.qstats.backlog, total - kept_bytes(dev));
	}
	sn_test_drain(sd);
	info = sn_test_info(dev, 0);
	SN_ASSERT_EQ(c->accepted, NB);
	SN_ASSERT_EQ(info.stats.bstats.packets, NB);
	SN_ASSERT_EQ(info.stats.bstats.bytes, total);
	SN_ASSERT_EQ(info.stats.qstats.backlog, 0);
	SN_ASSERT_EQ(info.stats.qstats.qlen, 0);
	SN_ASSERT(info.stats.qstats.requeues > 0, "%s: no partial transmit exercised", kind);
	return sn_test_dev_done(dev, sd, mp, base);
}

static int
test_pfifo_fast(void)
{
	return bytes_exact("pfifo_fast", false) || bytes_exact("pfifo_fast", true);
}

static int
test_pfifo(void)
{
	return bytes_exact("pfifo", false) || bytes_exact("pfifo", true);
}

static int
test_bfifo(void)
{
	return bytes_exact("bfifo", false) || bytes_exact("bfifo", true);
}

int
main(void)
{
	sn_test_init("bytes", "0", NULL);
	mp = sn_test_pool("bytes", 1024);
	sd = sn_softnet_attach();
	if (mp == NULL || sd == NULL)
		return SN_TEST_FAIL;
	SN_RUN(test_pfifo_fast);
	SN_RUN(test_pfifo);
	SN_RUN(test_bfifo);
	sn_softnet_detach(sd);
	if (sn_test_pool_check(mp, 0) != 0)
		return SN_TEST_FAIL;
	sn_test_fini();
	return SN_TEST_PASS;
}
