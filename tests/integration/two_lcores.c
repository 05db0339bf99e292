/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Two lcores transmit into one qdisc for about three seconds.
 *
 * Each packet carries its source lcore (tag) and a per-source sequence
 * number, and each burst a priority (seq & 15). The driver, a softnet netdev
 * defined here, checks on the fly that each source's sequence numbers only
 * grow within each pfifo_fast band (FIFO per source and band: band 0 may
 * legitimately overtake bands 1 and 2), counts what it got per source, and
 * frees. The driver refuses part of large bursts now and
 * then, so requeues and stopped queues happen under contention. At the end,
 * per source: handed == received + that lcore's counted drops, exactly; the
 * qdisc is empty; the pool is at its baseline.
 */

#include <string.h>

#include <rte_cycles.h>
#include <rte_launch.h>
#include <rte_pause.h>

#include "sn_test.h"
#include "sn_test_util.h"

#define BURST 32
#define RUN_SECONDS 3

static struct rte_mempool *mp;
static volatile int stop;

static struct {
	uint64_t next_min[RTE_MAX_LCORE][3]; /* smallest acceptable next seq, per band */
	uint64_t received[RTE_MAX_LCORE];
	uint64_t bad_order;
	uint64_t bad_tag;
	uint64_t calls;
} drv;

static struct {
	uint64_t handed;
	int rc;
} src[RTE_MAX_LCORE];

/* The kernel's default pfifo_fast priomap: priority to band. */
static const uint8_t prio2band[16] = { 1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1 };

/* Under the xmit lock: one lcore at a time, plain counters are fine. */
static uint16_t
check_xmit(struct sn_netdev *dev, uint16_t txq, struct rte_mbuf **pkts, uint16_t n)
{
	uint16_t k = n;

	RTE_SET_USED(dev);
	RTE_SET_USED(txq);
	/* Refuse the tail of a large burst every 7th call. */
	if (++drv.calls % 7 == 0 && n > 8)
		k = (uint16_t)(n - 5);
	for (uint16_t i = 0; i < k; i++) {
		uint32_t tag = sn_test_tag(pkts[i]);
		uint64_t seq = sn_test_seq(pkts[i]);
		unsigned int band = prio2band[sn_mbuf_prio_get(pkts[i]) & 15];

		if (tag >= RTE_MAX_LCORE) {
			drv.bad_tag++;
			continue;
		}
		if (seq < drv.next_min[tag][band])
			drv.bad_order++;
		drv.next_min[tag][band] = seq + 1;
		drv.received[tag]++;
	}
	rte_pktmbuf_free_bulk(pkts, k);
	return k;
}

static const struct sn_netdev_ops check_ops = {
	.xmit = check_xmit,
};

static struct sn_netdev *dev;

static int
sender(void *arg)
{
	unsigned int lcore = rte_lcore_id();
	struct sn_softnet *sd = arg != NULL ? arg : sn_softnet_attach();
	struct rte_mbuf *pkts[BURST];
	uint64_t seq = 0;

	if (sd == NULL) {
		src[lcore].rc = -1;
		return -1;
	}
	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		uint16_t n = (uint16_t)(1 + (seq % BURST));

		if (sn_test_alloc(mp, pkts, n, 64, (uint32_t)(seq & 15), seq) != 0) {
			sn_softnet_poll(sd);
			continue;
		}
		for (uint16_t i = 0; i < n; i++)
			sn_test_set_tag(pkts[i], lcore);
		/* Mix the single-packet and burst forms. */
		if (n == 1)
			sn_xmit(sd, dev, 0, pkts[0]);
		else
			sn_xmit_burst(sd, dev, 0, pkts, n);
		src[lcore].handed += n;
		seq += n;
		sn_softnet_poll(sd);
	}
	sn_test_drain(sd);
	if (arg == NULL)
		src[lcore].rc = sn_softnet_detach(sd);
	return 0;
}

static int
test_two_lcores(void)
{
	unsigned int wl = sn_test_worker(), base = rte_mempool_in_use_count(mp);
	struct sn_softnet *sd = sn_softnet_attach();
	struct sn_softnet_stats st[2];
	unsigned int lc[2] = { rte_lcore_id(), wl };
	struct sn_qdisc_info info;
	uint64_t deadline;

	SN_ASSERT(sd != NULL, "attach");
	dev = sn_netdev_create("two_lcores", &check_ops, 1, 0, SOCKET_ID_ANY);
	SN_ASSERT(dev != NULL, "create");
	SN_ASSERT_EQ(sn_netdev_up(dev), 0);
	for (unsigned int i = 0; i < 2; i++)
		sn_softnet_stats_reset(lc[i]);

	SN_ASSERT_EQ(rte_eal_remote_launch(sender, NULL, wl), 0);
	deadline = rte_get_timer_cycles() + RUN_SECONDS * rte_get_timer_hz();
	/* The main lcore sends too, until the deadline. */
	{
		struct rte_mbuf *pkts[BURST];
		uint64_t seq = 0;
		unsigned int lcore = rte_lcore_id();

		while (rte_get_timer_cycles() < deadline) {
			uint16_t n = (uint16_t)(BURST - (seq % BURST));

			if (sn_test_alloc(mp, pkts, n, 64, (uint32_t)(seq & 15), seq) != 0) {
				sn_softnet_poll(sd);
				continue;
			}
			for (uint16_t i = 0; i < n; i++)
				sn_test_set_tag(pkts[i], lcore);
			if (n == 1)
				sn_xmit(sd, dev, 0, pkts[0]);
			else
				sn_xmit_burst(sd, dev, 0, pkts, n);
			src[lcore].handed += n;
			seq += n;
			sn_softnet_poll(sd);
		}
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	rte_eal_wait_lcore(wl);
	sn_test_drain(sd);
	SN_ASSERT_EQ(src[wl].rc, 0);

	info = sn_test_info(dev, 0);
	SN_ASSERT_EQ(info.stats.qstats.qlen, 0);
	SN_ASSERT_EQ(drv.bad_tag, 0);
	SN_ASSERT_EQ(drv.bad_order, 0);
	for (unsigned int i = 0; i < 2; i++) {
		sn_softnet_stats_get(lc[i], &st[i]);
		printf("lcore %u: handed %" PRIu64 " received %" PRIu64 " dropped %" PRIu64
		       " busylock %" PRIu64 " bypass %" PRIu64 " requeued %" PRIu64
		       " collisions %" PRIu64 "\n", lc[i], src[lc[i]].handed, drv.received[lc[i]],
		       st[i].dropped, st[i].busylock, st[i].bypass, st[i].requeued,
		       st[i].cpu_collision);
		SN_ASSERT(src[lc[i]].handed > 1000, "lcore %u hardly sent", lc[i]);
		SN_ASSERT_EQ(st[i].processed, src[lc[i]].handed);
		/* Drops are counted on the lcore that enqueued them: exact per source. */
		SN_ASSERT_EQ(drv.received[lc[i]] + st[i].dropped, src[lc[i]].handed);
	}
	SN_ASSERT_EQ(st[0].sent + st[1].sent, drv.received[lc[0]] + drv.received[lc[1]]);
	SN_ASSERT_EQ(info.stats.bstats.packets, st[0].sent + st[1].sent);
	SN_ASSERT_EQ(info.stats.qstats.drops, st[0].dropped + st[1].dropped);

	sn_netdev_free(dev, sd);
	sn_test_drain(sd);
	SN_ASSERT_EQ(sn_softnet_detach(sd), 0);
	return sn_test_pool_check(mp, base);
}

int
main(void)
{
	sn_test_init("two_lcores", "0-1", NULL);
	if (sn_test_worker() >= RTE_MAX_LCORE) {
		printf("SKIP: needs 2 lcores\n");
		return SN_TEST_SKIP;
	}
	mp = sn_test_pool("two_lcores", 8192);
	if (mp == NULL)
		return SN_TEST_FAIL;
	SN_RUN(test_two_lcores);
	if (sn_test_pool_check(mp, 0) != 0)
		return SN_TEST_FAIL;
	sn_test_fini();
	return SN_TEST_PASS;
}
