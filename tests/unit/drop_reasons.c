/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Every drop carries a reason (the kernel's SKB_DROP_REASON_*).
 *
 * Each reason is provoked on one lcore and counted under that reason alone:
 * a full qdisc, a deactivated qdisc (replaced with packets in it), a device
 * that is down, a dead loop (this lcore holds the xmit lock), the recursion
 * limit (a driver transmitting into its own device, one queue further each
 * time), oversize and malformed frames, a queue that does not exist, and a
 * noqueue driver that refuses; and the drops an AQM or an emulator makes at
 * dequeue (qdisc_congested, qdisc_overlimit, emulated_loss), through a
 * discipline of this test's own that drops its head packet with the reason
 * it is told (sn_qdisc_drop_dequeued()). burst_limit needs two lcores: see
 * defer_list.c. The reasons add up to dropped, the older drop_* fields group
 * them, every reason has a name, and every mbuf is accounted for.
 */

#include <string.h>

#include <sn_sched.h>

#include "sn_test.h"
#include "sn_test_util.h"

#define NB_TXQ 16

static struct rte_mempool *mp;
static struct sn_softnet *sd;

/* Drops by reason on this lcore since @s0; the others must not have moved. */
static int
check_only(const struct sn_softnet_stats *s0, enum sn_drop_reason r, uint64_t n)
{
	struct sn_softnet_stats s1 = sn_test_stats(sd);
	uint64_t sum = 0;

	for (unsigned int i = 0; i < SN_DROP_REASON_MAX; i++) {
		uint64_t d = s1.drops[i] - s0->drops[i];

		if (d != (i == (unsigned int)r ? n : 0)) {
			fprintf(stderr, "FAIL: reason %s counted %" PRIu64 ", expected %" PRIu64
				" (provoking %s)\n", sn_drop_reason_name(i), d,
				i == (unsigned int)r ? n : 0, sn_drop_reason_name(r));
			return SN_TEST_FAIL;
		}
		sum += s1.drops[i];
	}
	SN_ASSERT_EQ(s1.dropped - s0->dropped, n);
	SN_ASSERT_EQ(s1.dropped, sum);
	SN_ASSERT_EQ(s1.dropped, s1.drop_invalid + s1.drop_down + s1.drop_deactivated +
					 s1.drop_qdisc + s1.drop_dead_loop + s1.drop_noqueue);
	return 0;
}

static int
test_names(void)
{
	for (unsigned int i = 0; i < SN_DROP_REASON_MAX; i++) {
		const char *n = sn_drop_reason_name(i);

		SN_ASSERT(n != NULL && n[0] != '\0', "reason %u has no name", i);
		for (const char *p = n; *p != '\0'; p++)
			SN_ASSERT((*p >= 'a' && *p <= 'z') || *p == '_', "name %s", n);
		for (unsigned int j = 0; j < i; j++)
			SN_ASSERT(strcmp(n, sn_drop_reason_name(j)) != 0, "name %s twice", n);
	}
	SN_ASSERT(sn_drop_reason_name(SN_DROP_REASON_MAX) == NULL, "out of range");
	SN_ASSERT(strcmp(sn_drop_reason_name(SN_DROP_QDISC), "qdisc") == 0, "qdisc");
	SN_ASSERT(strcmp(sn_drop_reason_name(SN_DROP_BURST_LIMIT), "burst_limit") == 0, "burst");
	SN_ASSERT(strcmp(sn_drop_reason_name(SN_DROP_RECURSION_LIMIT), "recursion_limit") == 0,
		  "recursion");
	return 0;
}

static int
test_qdisc_full(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = sn_test_netdev_create("dr_full", 1);
	struct sn_qdisc_params p = { .limit = 3, .no_bypass = true };
	struct sn_softnet_stats s0;
	struct rte_mbuf *pkts[5];

	SN_ASSERT(dev != NULL, "create");
	SN_ASSERT_EQ(sn_qdisc_replace(dev, 0, "pfifo", &p, sd), 0);
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, 5, 64, 0, 0), 0);
	s0 = sn_test_stats(sd);
	sn_local_bh_disable(sd);
	sn_netdev_txq_stop(dev, 0);
	SN_ASSERT_EQ(sn_xmit_burst(sd, dev, 0, pkts, 5), 3);
	sn_local_bh_enable(sd);
	if (check_only(&s0, SN_DROP_QDISC, 2) != 0)
		return SN_TEST_FAIL;
	SN_ASSERT_EQ(sn_test_info(dev, 0).stats.qstats.drops, 2);
	return sn_test_dev_done(dev, sd, mp, base);
}

static int
test_deactivated(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = sn_test_netdev_create("dr_deact", 1);
	struct sn_qdisc_params p = { .no_bypass = true };
	struct sn_softnet_stats s0;
	struct rte_mbuf *pkts[6];

	SN_ASSERT(dev != NULL, "create");
	SN_ASSERT_EQ(sn_qdisc_replace(dev, 0, "pfifo", &p, sd), 0);
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, 6, 64, 0, 0), 0);
	sn_local_bh_disable(sd);
	sn_netdev_txq_stop(dev, 0);
	SN_ASSERT_EQ(sn_xmit_burst(sd, dev, 0, pkts, 6), 6);
	sn_local_bh_enable(sd);
	s0 = sn_test_stats(sd);
	/* Retiring the old qdisc drops what it holds. */
	SN_ASSERT_EQ(sn_qdisc_replace(dev, 0, "pfifo_fast", NULL, sd), 0);
	sn_test_drain(sd);
	if (check_only(&s0, SN_DROP_DEACTIVATED, 6) != 0)
		return SN_TEST_FAIL;
	SN_ASSERT_EQ(sn_test_info(dev, 0).retired.qstats.drops, 6);
	return sn_test_dev_done(dev, sd, mp, base);
}

static int
test_dev_down(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = sn_test_netdev_create("dr_down", 1);
	struct sn_softnet_stats s0;
	struct rte_mbuf *pkts[3];

	SN_ASSERT(dev != NULL, "create");
	SN_ASSERT_EQ(sn_netdev_down(dev, sd), 0);
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, 3, 64, 0, 0), 0);
	s0 = sn_test_stats(sd);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[0]), -ENETDOWN);
	SN_ASSERT_EQ(sn_xmit_burst(sd, dev, 0, pkts + 1, 2), 0);
	if (check_only(&s0, SN_DROP_DEV_DOWN, 3) != 0)
		return SN_TEST_FAIL;
	return sn_test_dev_done(dev, sd, mp, base);
}

static int
test_dead_loop(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = sn_test_netdev_create("dr_loop", 2);
	struct sn_softnet_stats s0;
	struct rte_mbuf *pkts[4];

	SN_ASSERT(dev != NULL, "create");
	SN_ASSERT_EQ(sn_qdisc_replace(dev, 1, "noqueue", NULL, sd), 0);
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, 4, 64, 0, 0), 0);
	s0 = sn_test_stats(sd);
	/* Through the qdisc (bypass, then sch_direct_xmit finds the lock ours) ... */
	SN_ASSERT_EQ(sn_netdev_tx_lock(sd, dev, 0), 0);
	SN_ASSERT_EQ(sn_xmit_burst(sd, dev, 0, pkts, 2), 0);
	sn_netdev_tx_unlock(dev, 0);
	/* ... and straight to a noqueue driver. */
	SN_ASSERT_EQ(sn_netdev_tx_lock(sd, dev, 1), 0);
	SN_ASSERT_EQ(sn_xmit_burst(sd, dev, 1, pkts + 2, 2), 0);
	sn_netdev_tx_unlock(dev, 1);
	if (check_only(&s0, SN_DROP_DEAD_LOOP, 4) != 0)
		return SN_TEST_FAIL;
	return sn_test_dev_done(dev, sd, mp, base);
}

/* A driver transmitting into its own device, one queue further each time. */
static void
self_hook(struct sn_netdev *dev, uint16_t txq, void *arg)
{
	struct rte_mbuf *m;

	RTE_SET_USED(arg);
	if (txq + 1 < NB_TXQ && sn_test_alloc(mp, &m, 1, 64, 0, txq + 1) == 0)
		sn_xmit(sn_softnet_current(), dev, (uint16_t)(txq + 1), m);
}

static int
test_recursion(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = sn_test_netdev_create("dr_rec", NB_TXQ);
	struct sn_softnet_stats s0;
	struct rte_mbuf *m;

	SN_ASSERT(dev != NULL, "create");
	for (uint16_t q = 0; q < NB_TXQ; q++)
		SN_ASSERT_EQ(sn_qdisc_replace(dev, q, "noqueue", NULL, sd), 0);
	sn_test_netdev_ctl(dev)->hook = self_hook;
	SN_ASSERT_EQ(sn_test_alloc(mp, &m, 1, 64, 0, 0), 0);
	s0 = sn_test_stats(sd);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, m), SN_XMIT_SUCCESS);
	if (check_only(&s0, SN_DROP_RECURSION_LIMIT, 1) != 0)
		return SN_TEST_FAIL;
	SN_ASSERT_EQ(sn_test_netdev_ctl(dev)->accepted, SN_XMIT_RECURSION_LIMIT);
	sn_test_netdev_ctl(dev)->hook = NULL;
	return sn_test_dev_done(dev, sd, mp, base);
}

static int
test_frames(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = sn_test_netdev_create("dr_frames", 1);
	struct sn_softnet_stats s0;
	struct rte_mbuf *pkts[4];

	SN_ASSERT(dev != NULL, "create");
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, 2, 1515, 0, 0), 0);
	s0 = sn_test_stats(sd);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[0]), -EINVAL);
	SN_ASSERT_EQ(sn_xmit_burst(sd, dev, 0, pkts + 1, 1), 0);
	if (check_only(&s0, SN_DROP_OVERSIZE, 2) != 0)
		return SN_TEST_FAIL;
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, 2, 0, 0, 0), 0);
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts + 2, 2, 13, 0, 0), 0);
	s0 = sn_test_stats(sd);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[0]), -EINVAL);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[2]), -EINVAL);
	SN_ASSERT_EQ(sn_xmit_burst(sd, dev, 0, pkts + 1, 1), 0);
	SN_ASSERT_EQ(sn_xmit_burst(sd, dev, 0, pkts + 3, 1), 0);
	if (check_only(&s0, SN_DROP_MALFORMED, 4) != 0)
		return SN_TEST_FAIL;
	return sn_test_dev_done(dev, sd, mp, base);
}

static int
test_no_txq(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = sn_test_netdev_create("dr_txq", 1);
	struct sn_softnet_stats s0;
	struct rte_mbuf *pkts[5];

	SN_ASSERT(dev != NULL, "create");
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, 5, 64, 0, 0), 0);
	s0 = sn_test_stats(sd);
	SN_ASSERT_EQ(sn_xmit(sd, dev, 1, pkts[0]), -EINVAL);
	SN_ASSERT_EQ(sn_xmit(sd, NULL, 0, pkts[1]), -ENODEV);
	SN_ASSERT_EQ(sn_xmit_burst(sd, dev, 9, pkts + 2, 2), 0);
	/* From hardirq context: deferred, then dropped by NET_TX. */
	sn_irq_enter(sd);
	SN_ASSERT_EQ(sn_xmit_burst(sd, dev, 5, pkts + 4, 1), 1);
	sn_irq_exit(sd);
	sn_test_drain(sd);
	if (check_only(&s0, SN_DROP_NO_TXQ, 5) != 0)
		return SN_TEST_FAIL;
	return sn_test_dev_done(dev, sd, mp, base);
}

static int
test_driver(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = sn_test_netdev_create("dr_driver", 1);
	struct sn_softnet_stats s0;
	struct rte_mbuf *pkts[5];

	SN_ASSERT(dev != NULL, "create");
	SN_ASSERT_EQ(sn_qdisc_replace(dev, 0, "noqueue", NULL, sd), 0);
	sn_test_netdev_ctl(dev)->budget = 2;
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, 5, 64, 0, 0), 0);
	s0 = sn_test_stats(sd);
	SN_ASSERT_EQ(sn_xmit_burst(sd, dev, 0, pkts, 5), 2);
	if (check_only(&s0, SN_DROP_DRIVER, 3) != 0)
		return SN_TEST_FAIL;
	return sn_test_dev_done(dev, sd, mp, base);
}

/*
 * "aqm": a FIFO of 8 whose dequeue drops the head packet with aqm_reason,
 * then hands out the rest: what CoDel, fq_codel and netem do through
 * sn_qdisc_drop_dequeued().
 */
static enum sn_drop_reason aqm_reason;

struct aqm_priv {
	struct rte_mbuf *q[8];
	unsigned int head, len;
};

static uint16_t
aqm_enqueue(struct sn_qdisc *q, struct sn_softnet *s, struct rte_mbuf **pkts, uint16_t n,
	    uint32_t bytes)
{
	struct aqm_priv *a = sn_qdisc_priv(q);
	uint16_t k = 0;

	for (; k < n && a->len < RTE_DIM(a->q); k++)
		a->q[(a->head + a->len++) % RTE_DIM(a->q)] = pkts[k];
	for (uint16_t i = k; i < n; i++) {
		bytes -= rte_pktmbuf_pkt_len(pkts[i]);
		sn_qdisc_drop(q, s, pkts[i]);
	}
	sn_qdisc_account_enqueue(q, k, bytes);
	return k;
}

static struct rte_mbuf *
aqm_pop(struct aqm_priv *a)
{
	struct rte_mbuf *m = a->q[a->head];

	a->head = (a->head + 1) % RTE_DIM(a->q);
	a->len--;
	return m;
}

static uint16_t
aqm_dequeue(struct sn_qdisc *q, struct sn_softnet *s, struct rte_mbuf **pkts, uint16_t n)
{
	struct aqm_priv *a = sn_qdisc_priv(q);
	uint16_t k = 0;

	if (a->len != 0)
		sn_qdisc_drop_dequeued(q, s, aqm_pop(a), aqm_reason);
	while (k < n && a->len != 0)
		pkts[k++] = aqm_pop(a);
	return k;
}

static struct rte_mbuf *
aqm_peek(struct sn_qdisc *q)
{
	struct aqm_priv *a = sn_qdisc_priv(q);

	return a->len != 0 ? a->q[a->head] : NULL;
}

static void
aqm_reset(struct sn_qdisc *q, struct sn_softnet *s)
{
	struct aqm_priv *a = sn_qdisc_priv(q);

	while (a->len != 0)
		sn_qdisc_drop_queued(q, s, aqm_pop(a));
}

static const struct sn_qdisc_ops aqm_ops = {
	.id = "dr_aqm",
	.priv_size = sizeof(struct aqm_priv),
	.enqueue = aqm_enqueue,
	.dequeue = aqm_dequeue,
	.peek = aqm_peek,
	.reset = aqm_reset,
};

static int
test_dequeue_drops(void)
{
	static const enum sn_drop_reason reasons[] = {
		SN_DROP_QDISC_CONGESTED, SN_DROP_QDISC_OVERLIMIT, SN_DROP_EMULATED_LOSS,
	};
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = sn_test_netdev_create("dr_aqm", 1);
	struct sn_qdisc_info info;
	struct rte_mbuf *pkts[4];

	SN_ASSERT(dev != NULL, "create");
	SN_ASSERT_EQ(sn_qdisc_register(&aqm_ops), 0);
	SN_ASSERT_EQ(sn_qdisc_replace(dev, 0, "dr_aqm", NULL, sd), 0);
	for (unsigned int r = 0; r < RTE_DIM(reasons); r++) {
		struct sn_softnet_stats s0 = sn_test_stats(sd);

		aqm_reason = reasons[r];
		SN_ASSERT_EQ(sn_test_alloc(mp, pkts, 4, 100, 0, 0), 0);
		/* Four queued, the run drops the head at each dequeue: 1 or more, by reason. */
		SN_ASSERT_EQ(sn_xmit_burst(sd, dev, 0, pkts, 4), 4);
		sn_test_drain(sd);
		SN_ASSERT_EQ(sn_qdisc_info(dev, 0, &info), 0);
		SN_ASSERT_EQ(info.stats.qstats.qlen, 0);
		SN_ASSERT_EQ(info.stats.qstats.backlog, 0);
		{
			struct sn_softnet_stats s1 = sn_test_stats(sd);
			uint64_t d = s1.drops[reasons[r]] - s0.drops[reasons[r]];

			SN_ASSERT(d >= 1, "%s: nothing dropped", sn_drop_reason_name(reasons[r]));
			if (check_only(&s0, reasons[r], d) != 0)
				return SN_TEST_FAIL;
			/* Sent + dropped = offered: the dequeue drop lowered qlen exactly. */
			SN_ASSERT_EQ(s1.sent - s0.sent + d, 4);
		}
	}
	SN_ASSERT_EQ(info.stats.qstats.drops + info.stats.bstats.packets, 12);
	return sn_test_dev_done(dev, sd, mp, base);
}

/* The lcores' sum (what telemetry's "total" and the app show) adds up too. */
static int
test_sum(void)
{
	struct sn_softnet_stats st;
	uint64_t sum = 0;

	sn_softnet_stats_sum(&st);
	for (unsigned int i = 0; i < SN_DROP_REASON_MAX; i++) {
		sum += st.drops[i];
		if (i != SN_DROP_BURST_LIMIT)
			SN_ASSERT(st.drops[i] > 0, "reason %s never provoked",
				  sn_drop_reason_name(i));
	}
	SN_ASSERT_EQ(st.dropped, sum);
	SN_ASSERT_EQ(st.dropped, st.drop_invalid + st.drop_down + st.drop_deactivated +
					 st.drop_qdisc + st.drop_dead_loop + st.drop_noqueue);
	return 0;
}

int
main(void)
{
	sn_test_init("drop_reasons", "0", NULL);
	mp = sn_test_pool("drop_reasons", 256);
	sd = sn_softnet_attach();
	if (mp == NULL || sd == NULL)
		return SN_TEST_FAIL;
	SN_RUN(test_names);
	SN_RUN(test_qdisc_full);
	SN_RUN(test_deactivated);
	SN_RUN(test_dev_down);
	SN_RUN(test_dead_loop);
	SN_RUN(test_recursion);
	SN_RUN(test_frames);
	SN_RUN(test_no_txq);
	SN_RUN(test_driver);
	SN_RUN(test_dequeue_drops);
	SN_RUN(test_sum);
	sn_softnet_detach(sd);
	if (sn_test_pool_check(mp, 0) != 0)
		return SN_TEST_FAIL;
	sn_test_fini();
	return SN_TEST_PASS;
}
