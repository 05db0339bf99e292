/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Two lcores transmit into one qdisc under each contention model: the
 * busylock (default), no busylock, NOLOCK (lock-free enqueue, run owned by
 * the running flag + MISSED) and the defer list (Linux 6.19). The driver
 * accepts a little less than offered on large bursts, so requeues and
 * reschedules happen all the time. Checks, for each model: every source's
 * packets reach the driver in order; handed = sent + counted drops exactly;
 * nothing is left queued; the pool is back to its baseline.
 */

#include <errno.h>
#include <string.h>

#include <rte_launch.h>
#include <rte_lcore.h>

#include "sn_test.h"

#define BURSTS 20000
#define BURST 32

static struct sn_netdev *dev;
static struct rte_mempool *mp;
static uint64_t last_seq[RTE_MAX_LCORE];
static uint64_t out_of_order;
static uint64_t handed[RTE_MAX_LCORE];

/* Driver: checks per-source order, refuses 3 of every large burst. */
static uint16_t
order_xmit(struct sn_netdev *d, uint16_t txq, struct rte_mbuf **pkts, uint16_t n)
{
	uint16_t k = n > 20 ? (uint16_t)(n - 3) : n;

	RTE_SET_USED(d);
	RTE_SET_USED(txq);
	/* Runs under the xmit lock: one lcore at a time. */
	for (uint16_t i = 0; i < k; i++) {
		uint32_t src = sn_test_tag(pkts[i]);
		uint64_t seq = sn_test_seq(pkts[i]);

		if (seq <= last_seq[src])
			out_of_order++;
		last_seq[src] = seq;
		rte_pktmbuf_free(pkts[i]);
	}
	return k;
}

static const struct sn_netdev_ops order_ops = { .xmit = order_xmit };

static int
sender(void *arg)
{
	struct sn_softnet *sd = sn_softnet_attach();
	unsigned int me = rte_lcore_id();
	struct rte_mbuf *b[BURST];
	uint64_t seq = 1;

	RTE_SET_USED(arg);
	if (sd == NULL)
		return -1;
	for (unsigned int it = 0, misses = 0; it < BURSTS; it++) {
		/* The pool may run dry while the other lcore's packets are queued. */
		while (sn_test_alloc(mp, b, BURST, 64, 0, seq) != 0) {
			sn_softnet_poll(sd);
			if (++misses > 100000000u)
				return -1;
		}
		for (unsigned int j = 0; j < BURST; j++)
			sn_test_set_tag(b[j], me);
		seq += BURST;
		handed[me] += BURST;
		sn_xmit_burst(sd, dev, 0, b, BURST);
		sn_softnet_poll(sd);
	}
	sn_test_drain(sd);
	return sn_softnet_detach(sd);
}

static int
run_model(const char *name, const struct sn_qdisc_params *p)
{
	struct sn_softnet_stats before, after;
	struct sn_qdisc_info qi;
	uint64_t total = 0, sent, drops;
	unsigned int baseline = rte_mempool_in_use_count(mp);
	int rc;

	memset(last_seq, 0, sizeof(last_seq));
	memset(handed, 0, sizeof(handed));
	out_of_order = 0;
	rc = sn_qdisc_replace(dev, 0, "pfifo_fast", p, NULL);
	SN_ASSERT(rc == 0, "%s: replace: %d", name, rc);
	sn_softnet_stats_sum(&before);

	rte_eal_remote_launch(sender, NULL, rte_get_next_lcore(-1, 1, 0));
	rc = sender(NULL);
	SN_ASSERT(rc == 0, "%s: main sender: %d", name, rc);
	rte_eal_mp_wait_lcore();
	for (unsigned int l = 0; l < RTE_MAX_LCORE; l++)
		total += handed[l];

	sn_softnet_stats_sum(&after);
	SN_ASSERT_EQ(sn_qdisc_info(dev, 0, &qi), 0);
	sent = qi.stats.bstats.packets;
	drops = qi.stats.qstats.drops;
	printf("  %-12s handed %lu sent %lu drops %lu busylock %lu requeues %lu\n", name,
	       (unsigned long)total, (unsigned long)sent, (unsigned long)drops,
	       (unsigned long)(after.busylock - before.busylock),
	       (unsigned long)qi.stats.qstats.requeues);
	SN_ASSERT(out_of_order == 0, "%s: %lu packets out of order", name,
		  (unsigned long)out_of_order);
	SN_ASSERT_EQ(qi.stats.qstats.qlen, 0);
	SN_ASSERT_EQ(sent + drops, total);
	SN_ASSERT_EQ(after.sent - before.sent, sent);
	SN_ASSERT_EQ(after.drop_qdisc - before.drop_qdisc, drops);
	SN_ASSERT(qi.stats.qstats.requeues > 0, "%s: the driver never refused: test is void", name);
	if (p->no_busylock || p->nolock || p->defer_list)
		SN_ASSERT_EQ(after.busylock - before.busylock, 0);
	return sn_test_pool_check(mp, baseline);
}

static int
test_models(void)
{
	struct sn_qdisc_params p;

	memset(&p, 0, sizeof(p));
	p.limit = 256;
	if (run_model("busylock", &p) != 0)
		return SN_TEST_FAIL;
	p.no_busylock = true;
	if (run_model("no-busylock", &p) != 0)
		return SN_TEST_FAIL;
	p.no_busylock = false;
	p.nolock = true;
	if (run_model("nolock", &p) != 0)
		return SN_TEST_FAIL;
	p.nolock = false;
	p.defer_list = true;
	if (run_model("defer-list", &p) != 0)
		return SN_TEST_FAIL;
	return 0;
}

static int
test_model_params(void)
{
	struct sn_qdisc_params p;
	struct sn_qdisc_info qi;

	memset(&p, 0, sizeof(p));
	p.nolock = true;
	SN_ASSERT_EQ(sn_qdisc_replace(dev, 0, "bfifo", &p, NULL), -EOPNOTSUPP);
	p.defer_list = true;
	SN_ASSERT_EQ(sn_qdisc_replace(dev, 0, "pfifo", &p, NULL), -EINVAL);
	p.defer_list = false;
	SN_ASSERT_EQ(sn_qdisc_replace(dev, 0, "pfifo", &p, NULL), 0);
	SN_ASSERT_EQ(sn_qdisc_info(dev, 0, &qi), 0);
	SN_ASSERT(qi.params.nolock && (qi.flags & SN_QDISC_F_NOLOCK), "nolock not reported");
	return 0;
}

int
main(void)
{
	int rc = SN_TEST_PASS;

	sn_test_init("contention", "0-1", NULL);
	if (rte_lcore_count() < 2) {
		printf("SKIP: needs 2 lcores\n");
		return SN_TEST_SKIP;
	}
	mp = sn_test_pool("contention", 4096);
	dev = sn_netdev_create("order0", &order_ops, 1, 0, SOCKET_ID_ANY);
	if (mp == NULL || dev == NULL || sn_netdev_up(dev) != 0)
		return SN_TEST_FAIL;
	if (test_models() != 0 || test_model_params() != 0)
		rc = SN_TEST_FAIL;
	printf("%-48s %s\n", "contention models", rc == 0 ? "ok" : "FAIL");
	sn_netdev_free(dev, NULL);
	sn_test_fini();
	return rc;
}
