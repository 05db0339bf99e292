/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * prio: strict priority among bands, each a fixed class holding a child.
 *
 * On a keeping test netdev (one queue): packets of several bands queued
 * while the driver holds the queue stopped leave, once it wakes, band 0
 * first, then band 1, ..., each band in arrival order; the priomap picks
 * the band of a plain priority; a priority naming a class (1:M) picks band
 * M - 1 whatever the priomap; a tbf grafted into the top band holds its
 * packets without holding up the others; a partial send requeues the
 * unsent tail at the head of each packet's band (a later band-0 packet
 * still overtakes requeued band-2 ones, order kept within each band); the
 * counters add up (root = sum of the classes, drops at both levels); class
 * add/change/delete are refused; the text parses back. The pool returns to
 * its baseline after each case.
 */

#include <string.h>

#include "sn_test.h"
#include "sn_test_util.h"

#define H1 0x00010000u /* handle 1: */

static struct rte_mempool *mp;
static struct sn_softnet *sd;

static struct sn_netdev *
prio_dev(const char *name, const char *line, uint64_t keep)
{
	struct sn_netdev *dev = sn_test_netdev_create(name, 1);

	if (dev == NULL || sn_test_qdisc_set(dev, 0, line, sd) != SN_TEST_PASS ||
	    sn_test_keep(dev, keep) != 0)
		return NULL;
	return dev;
}

/* Packets @first.. of priority @prio, one at a time or as a burst. */
static int
send(struct sn_netdev *dev, unsigned int n, uint32_t prio, uint64_t first, bool burst)
{
	struct rte_mbuf *pkts[64];

	SN_ASSERT(n <= RTE_DIM(pkts), "n");
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, n, 64, prio, first), 0);
	if (burst) {
		SN_ASSERT_EQ(sn_xmit_burst(sd, dev, 0, pkts, (uint16_t)n), n);
	} else {
		for (unsigned int i = 0; i < n; i++)
			SN_ASSERT_EQ(sn_xmit(sd, dev, 0, pkts[i]), SN_XMIT_SUCCESS);
	}
	return 0;
}

static uint64_t
class_qlen(struct sn_netdev *dev, uint32_t classid)
{
	struct sn_qdisc_stats st;

	if (sn_class_stats(dev, 0, classid, &st) != 0)
		return UINT64_MAX;
	return st.qstats.qlen;
}

/* Interleaved bands queued while stopped: band 0, then 1, then 2 on wake. */
static int
test_strict_order(void)
{
	/* Default priomap: 6 -> band 0, 0 -> band 1, 1 -> band 2. */
	static const uint32_t prios[3] = { SN_PRIO_BESTEFFORT + 1, SN_PRIO_BESTEFFORT,
					   SN_PRIO_INTERACTIVE };
	static const unsigned int band_of[3] = { 2, 1, 0 };
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = prio_dev("prio_order", "prio handle 1:", 90);
	uint64_t want[90];
	unsigned int k = 0;

	SN_ASSERT(dev != NULL, "create");
	SN_ASSERT_EQ(prios[2], 6);
	sn_netdev_txq_stop(dev, 0);
	for (unsigned int i = 0; i < 90; i++)
		if (send(dev, 1, prios[i % 3], i, (i % 2) == 0) != 0)
			return SN_TEST_FAIL;
	sn_test_drain(sd);
	SN_ASSERT_EQ(sn_test_netdev_ctl(dev)->accepted, 0);
	SN_ASSERT_EQ(class_qlen(dev, H1 | 1), 30);
	SN_ASSERT_EQ(class_qlen(dev, H1 | 2), 30);
	SN_ASSERT_EQ(class_qlen(dev, H1 | 3), 30);
	SN_ASSERT_EQ(sn_test_info(dev, 0).stats.qstats.qlen, 90);
	SN_ASSERT_EQ(sn_test_info(dev, 0).stats.qstats.backlog, 90 * 64);
	SN_ASSERT_EQ(sn_netdev_txq_wake(sd, dev, 0), 0);
	sn_test_drain(sd);
	for (unsigned int b = 0; b < 3; b++)
		for (unsigned int i = 0; i < 90; i++)
			if (band_of[i % 3] == b)
				want[k++] = i;
	if (sn_test_kept_check(dev, want, 0, 90) != 0)
		return SN_TEST_FAIL;
	SN_ASSERT_EQ(sn_test_info(dev, 0).stats.qstats.qlen, 0);
	SN_ASSERT_EQ(sn_test_info(dev, 0).stats.qstats.backlog, 0);
	return sn_test_dev_done(dev, sd, mp, base);
}

/* A priomap of four bands, reversed; a priority > 15 uses its low 4 bits. */
static int
test_priomap(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = prio_dev("prio_map",
					 "prio handle 1: bands 4 priomap 3 2 1 0 3 3 3 3 3 3 3 3 "
					 "3 3 3 0", 40);
	uint64_t want[40];
	unsigned int k = 0;

	SN_ASSERT(dev != NULL, "create");
	sn_netdev_txq_stop(dev, 0);
	if (send(dev, 5, 0, 0, true) != 0 ||     /* band 3 */
	    send(dev, 5, 1, 5, true) != 0 ||     /* band 2 */
	    send(dev, 5, 2, 10, true) != 0 ||    /* band 1 */
	    send(dev, 5, 3, 15, true) != 0 ||    /* band 0 */
	    send(dev, 5, 15, 20, true) != 0 ||   /* band 0 (entry 15) */
	    send(dev, 5, 16 + 1, 25, true) != 0 || /* 17 & 15 = 1: band 2 */
	    /* Another qdisc's major: priority 0's band (3), as the kernel. */
	    send(dev, 5, 0x00050002u, 30, true) != 0 ||
	    send(dev, 5, 2, 35, false) != 0)     /* band 1 */
		return SN_TEST_FAIL;
	SN_ASSERT_EQ(class_qlen(dev, H1 | 1), 10);
	SN_ASSERT_EQ(class_qlen(dev, H1 | 2), 10);
	SN_ASSERT_EQ(class_qlen(dev, H1 | 3), 10);
	SN_ASSERT_EQ(class_qlen(dev, H1 | 4), 10);
	SN_ASSERT_EQ(sn_netdev_txq_wake(sd, dev, 0), 0);
	sn_test_drain(sd);
	{
		static const unsigned int order[8] = { 3, 4, 2, 7, 1, 5, 0, 6 };

		for (unsigned int g = 0; g < 8; g++)
			for (unsigned int i = 0; i < 5; i++)
				want[k++] = order[g] * 5 + i;
	}
	if (sn_test_kept_check(dev, want, 0, 40) != 0)
		return SN_TEST_FAIL;
	return sn_test_dev_done(dev, sd, mp, base);
}

/* skb->priority == classid: 1:3 goes to band 2 whatever the priomap says. */
static int
test_priority_names_class(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = prio_dev("prio_cls", "prio handle 1:", 30);
	uint64_t want[30];
	unsigned int k = 0;

	SN_ASSERT(dev != NULL, "create");
	sn_netdev_txq_stop(dev, 0);
	if (send(dev, 5, H1 | 3, 0, true) != 0 ||  /* 1:3: band 2 */
	    send(dev, 5, H1 | 9, 5, true) != 0 ||  /* 1:9, no such band: priority 0's (1) */
	    send(dev, 5, H1 | 1, 10, true) != 0 || /* 1:1: band 0 */
	    send(dev, 5, H1 | 2, 15, false) != 0 || /* 1:2: band 1 */
	    send(dev, 5, H1, 20, true) != 0 ||     /* 1:0: priority 0's band (1) */
	    send(dev, 5, 6, 25, true) != 0)        /* plain 6: band 0 */
		return SN_TEST_FAIL;
	SN_ASSERT_EQ(class_qlen(dev, H1 | 1), 10);
	SN_ASSERT_EQ(class_qlen(dev, H1 | 2), 15);
	SN_ASSERT_EQ(class_qlen(dev, H1 | 3), 5);
	SN_ASSERT_EQ(sn_netdev_txq_wake(sd, dev, 0), 0);
	sn_test_drain(sd);
	{
		static const unsigned int order[6] = { 2, 5, 1, 3, 4, 0 };

		for (unsigned int g = 0; g < 6; g++)
			for (unsigned int i = 0; i < 5; i++)
				want[k++] = order[g] * 5 + i;
	}
	if (sn_test_kept_check(dev, want, 0, 30) != 0)
		return SN_TEST_FAIL;
	return sn_test_dev_done(dev, sd, mp, base);
}

static int
graft(struct sn_netdev *dev, uint32_t classid, const char *line)
{
	char buf[160], kind[SN_QDISC_KIND_SIZE], err[160];
	const char *argv[16];
	struct sn_qdisc_params p;
	char *save = NULL;
	int argc = 0, rc;

	snprintf(buf, sizeof(buf), "%s", line);
	for (char *w = strtok_r(buf, " ", &save); w != NULL && argc < 16;
	     w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	rc = sn_qdisc_parse(argc, argv, kind, &p, err, sizeof(err));
	SN_ASSERT(rc == 0, "parse '%s': %s", line, err);
	rc = sn_qdisc_graft(dev, 0, classid, kind, &p, err, sizeof(err), sd);
	SN_ASSERT(rc == 0, "graft '%s': %s (%s)", line, strerror(-rc), err);
	return 0;
}

/*
 * A tbf at 80 kbit/s in band 0 (1:1) with a bucket of two 1000-byte
 * packets: the rest of band 0 waits for tokens, and band 1 is not held up
 * meanwhile (a throttled band is skipped, its watchdog runs the tree later).
 */
static int
test_shaped_band_does_not_block(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = prio_dev("prio_tbf", "prio handle 1:", 64);
	struct rte_mbuf *pkts[20];
	struct sn_test_netdev *c;
	struct sn_softnet_stats s0;
	struct sn_qdisc_stats st;
	char text[2048];
	uint64_t hi = 0, lo = 0;

	SN_ASSERT(dev != NULL, "create");
	c = sn_test_netdev_ctl(dev);
	if (graft(dev, H1 | 1, "tbf handle 10: rate 80kbit burst 2000 limit 100000") != 0)
		return SN_TEST_FAIL;
	SN_ASSERT(sn_qdisc_print(dev, 0, 0, text, sizeof(text)) > 0, "print");
	SN_ASSERT(strstr(text, "qdisc tbf 10: dev prio_tbf txq 0 parent 1:1 rate 80Kbit") != NULL,
		  "%s", text);
	/* Band 0 first: two leave, the rest wait for tokens (the tbf is throttled)... */
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, 10, 1000, SN_PRIO_INTERACTIVE, 0), 0);
	SN_ASSERT_EQ(sn_xmit_burst(sd, dev, 0, pkts, 10), 10);
	for (unsigned int i = 0; i < 100; i++)
		sn_softnet_poll(sd);
	/* ...then band 1, which must not wait behind it. */
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts + 10, 10, 1000, SN_PRIO_BESTEFFORT, 100), 0);
	SN_ASSERT_EQ(sn_xmit_burst(sd, dev, 0, pkts + 10, 10), 10);
	for (unsigned int i = 0; i < 100; i++)
		sn_softnet_poll(sd);
	for (uint64_t i = 0; i < c->accepted; i++) {
		if (sn_test_seq(c->kept[i]) < 100)
			hi++;
		else
			lo++;
	}
	/* Two fit in the bucket; 80 kbit/s sends one 1000-byte packet in 100 ms. */
	SN_ASSERT(hi >= 2 && hi <= 4, "band 0 (shaped) sent %lu", (unsigned long)hi);
	SN_ASSERT_EQ(lo, 10);
	SN_ASSERT_EQ(sn_class_stats(dev, 0, H1 | 1, &st), 0);
	SN_ASSERT_EQ(st.qstats.qlen, 10 - hi);
	SN_ASSERT(st.qstats.overlimits > 0, "the tbf throttled");
	SN_ASSERT_EQ(sn_test_info(dev, 0).stats.qstats.qlen, 10 - hi);
	/* The rest is dropped, counted, when the root goes. */
	s0 = sn_test_stats(sd);
	SN_ASSERT_EQ(sn_qdisc_delete(dev, 0, sd), 0);
	SN_ASSERT_EQ(sn_test_stats(sd).drop_deactivated - s0.drop_deactivated, 10 - hi);
	/* Counted at the root too: its drops add up to the lcore's. */
	SN_ASSERT_EQ(sn_test_info(dev, 0).retired.qstats.drops, 10 - hi);
	return sn_test_dev_done(dev, sd, mp, base);
}

/*
 * The driver takes 10 of a batch: the bulk (band 2) tail goes back to the
 * head of band 2; 5 control packets (band 0) sent after it leave first.
 */
static int
test_requeue(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = prio_dev("prio_rq", "prio handle 1:", 64);
	struct sn_test_netdev *c;
	struct sn_qdisc_stats st;
	uint64_t want[45];
	unsigned int k = 0;

	SN_ASSERT(dev != NULL, "create");
	c = sn_test_netdev_ctl(dev);
	c->budget = 10;
	c->ready = 0;
	if (send(dev, 40, SN_PRIO_BULK, 0, true) != 0)
		return SN_TEST_FAIL;
	SN_ASSERT_EQ(c->accepted, 10);
	if (send(dev, 5, SN_PRIO_CONTROL, 40, false) != 0)
		return SN_TEST_FAIL;
	for (unsigned int i = 0; i < 10; i++)
		sn_softnet_poll(sd);
	SN_ASSERT_EQ(c->accepted, 10);
	/* One batch of 32 dequeued, 10 sent: 22 requeued, at root and in band 2. */
	SN_ASSERT_EQ(sn_test_info(dev, 0).stats.qstats.requeues, 22);
	SN_ASSERT_EQ(sn_class_stats(dev, 0, H1 | 3, &st), 0);
	SN_ASSERT_EQ(st.qstats.requeues, 22);
	SN_ASSERT_EQ(st.qstats.qlen, 30);
	SN_ASSERT_EQ(st.bstats.packets, 10);
	SN_ASSERT_EQ(sn_test_info(dev, 0).stats.qstats.qlen, 35);
	SN_ASSERT_EQ(sn_test_info(dev, 0).stats.qstats.backlog, 35 * 64);
	c->budget = -1;
	c->ready = 1;
	sn_test_drain(sd);
	for (unsigned int i = 0; i < 10; i++)
		want[k++] = i;
	for (unsigned int i = 0; i < 5; i++)
		want[k++] = 40 + i;
	for (unsigned int i = 10; i < 40; i++)
		want[k++] = i;
	if (sn_test_kept_check(dev, want, 0, 45) != 0)
		return SN_TEST_FAIL;
	SN_ASSERT_EQ(sn_class_stats(dev, 0, H1 | 3, &st), 0);
	SN_ASSERT_EQ(st.bstats.packets, 40);
	SN_ASSERT_EQ(st.qstats.qlen, 0);
	return sn_test_dev_done(dev, sd, mp, base);
}

/* A partial send of a batch spanning bands: each band keeps its order. */
static int
test_requeue_mixed(void)
{
	static const uint32_t prios[3] = { SN_PRIO_BULK, SN_PRIO_BESTEFFORT, SN_PRIO_CONTROL };
	static const unsigned int band_of[3] = { 2, 1, 0 };
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = prio_dev("prio_rqm", "prio handle 1:", 48);
	struct rte_mbuf *pkts[48];
	struct sn_test_netdev *c;
	uint64_t want[48];
	unsigned int k = 0;

	SN_ASSERT(dev != NULL, "create");
	c = sn_test_netdev_ctl(dev);
	c->budget = 10;
	c->ready = 0;
	for (unsigned int i = 0; i < 48; i++)
		SN_ASSERT_EQ(sn_test_alloc(mp, &pkts[i], 1, 64, prios[i % 3], i), 0);
	SN_ASSERT_EQ(sn_xmit_burst(sd, dev, 0, pkts, 48), 48);
	SN_ASSERT_EQ(c->accepted, 10);
	c->budget = -1;
	c->ready = 1;
	sn_test_drain(sd);
	for (unsigned int b = 0; b < 3; b++)
		for (unsigned int i = 0; i < 48; i++)
			if (band_of[i % 3] == b)
				want[k++] = i;
	if (sn_test_kept_check(dev, want, 0, 48) != 0)
		return SN_TEST_FAIL;
	SN_ASSERT_EQ(sn_test_info(dev, 0).stats.qstats.requeues, 22);
	SN_ASSERT_EQ(sn_test_info(dev, 0).stats.qstats.qlen, 0);
	return sn_test_dev_done(dev, sd, mp, base);
}

/* Root counters are the classes' sums; a child's refusals count at both levels. */
static int
test_counters(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = prio_dev("prio_cnt", "prio", 64);
	struct sn_softnet_stats s0, s1;
	struct sn_qdisc_stats st, sum;
	struct sn_qdisc_info info;
	uint32_t h;

	SN_ASSERT(dev != NULL, "create");
	info = sn_test_info(dev, 0);
	/* No handle given: the kernel's first automatic one, so the classes have ids. */
	h = info.params.handle;
	SN_ASSERT_EQ(h, 0x80010000u);
	if (graft(dev, h | 3, "pfifo limit 5") != 0)
		return SN_TEST_FAIL;
	s0 = sn_test_stats(sd);
	sn_netdev_txq_stop(dev, 0);
	{
		struct rte_mbuf *pkts[10];

		/* Band 2 holds 5: the burst's other 5 are refused (dropped, counted). */
		SN_ASSERT_EQ(sn_test_alloc(mp, pkts, 10, 64, SN_PRIO_BULK, 0), 0);
		SN_ASSERT_EQ(sn_xmit_burst(sd, dev, 0, pkts, 10), 5);
	}
	if (send(dev, 7, SN_PRIO_CONTROL, 10, true) != 0 ||
	    send(dev, 3, SN_PRIO_BESTEFFORT, 17, false) != 0)
		return SN_TEST_FAIL;
	info = sn_test_info(dev, 0);
	SN_ASSERT_EQ(info.stats.qstats.qlen, 15);
	SN_ASSERT_EQ(info.stats.qstats.backlog, 15 * 64);
	SN_ASSERT_EQ(info.stats.qstats.drops, 5);
	SN_ASSERT_EQ(sn_class_stats(dev, 0, h | 3, &st), 0);
	SN_ASSERT_EQ(st.qstats.drops, 5);
	SN_ASSERT_EQ(st.qstats.qlen, 5);
	/* A new qdisc in band 0: the 7 packets its old one held are dropped, counted. */
	if (graft(dev, h | 1, "pfifo limit 10") != 0)
		return SN_TEST_FAIL;
	info = sn_test_info(dev, 0);
	SN_ASSERT_EQ(info.stats.qstats.qlen, 8);
	SN_ASSERT_EQ(info.stats.qstats.backlog, 8 * 64);
	SN_ASSERT_EQ(info.stats.qstats.drops, 12);
	SN_ASSERT_EQ(sn_test_stats(sd).drop_deactivated - s0.drop_deactivated, 7);
	SN_ASSERT_EQ(sn_netdev_txq_wake(sd, dev, 0), 0);
	sn_test_drain(sd);
	s1 = sn_test_stats(sd);
	SN_ASSERT_EQ(s1.drop_qdisc - s0.drop_qdisc, 5);
	memset(&sum, 0, sizeof(sum));
	for (uint32_t m = 1; m <= 3; m++) {
		SN_ASSERT_EQ(sn_class_stats(dev, 0, h | m, &st), 0);
		sum.bstats.packets += st.bstats.packets;
		sum.bstats.bytes += st.bstats.bytes;
		sum.qstats.qlen += st.qstats.qlen;
	}
	info = sn_test_info(dev, 0);
	SN_ASSERT_EQ(info.stats.bstats.packets, 8);
	SN_ASSERT_EQ(sum.bstats.packets, info.stats.bstats.packets);
	SN_ASSERT_EQ(sum.bstats.bytes, info.stats.bstats.bytes);
	SN_ASSERT_EQ(sum.qstats.qlen, 0);
	SN_ASSERT_EQ(info.stats.qstats.qlen, 0);
	SN_ASSERT_EQ(info.stats.qstats.backlog, 0);
	SN_ASSERT_EQ(sn_test_netdev_ctl(dev)->accepted, 8);
	return sn_test_dev_done(dev, sd, mp, base);
}

/* Fixed classes: add, change and delete refused with a line; the text parses back. */
static int
test_classes_and_print(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = prio_dev("prio_txt", "prio handle 1:", 8);
	const char *words[] = { "prio" };
	struct sn_class_params cp;
	char err[256], text[4096], kind[SN_QDISC_KIND_SIZE];
	struct sn_qdisc_params p;
	int rc;

	SN_ASSERT(dev != NULL, "create");
	SN_ASSERT_EQ(sn_class_parse(1, words, &cp, err, sizeof(err)), 0);
	rc = sn_class_change(dev, 0, H1, H1 | 4, &cp, err, sizeof(err), sd);
	SN_ASSERT_EQ(rc, -EOPNOTSUPP);
	SN_ASSERT(strstr(err, "1:4") != NULL, "%s", err);
	rc = sn_class_change(dev, 0, 0, H1 | 1, &cp, err, sizeof(err), sd);
	SN_ASSERT_EQ(rc, -EOPNOTSUPP);
	rc = sn_class_delete(dev, 0, H1 | 2, err, sizeof(err), sd);
	SN_ASSERT_EQ(rc, -EOPNOTSUPP);
	SN_ASSERT(strstr(err, "1:2") != NULL, "%s", err);

	SN_ASSERT(sn_qdisc_print(dev, 0, 0, text, sizeof(text)) > 0, "print");
	SN_ASSERT(strstr(text, "qdisc prio 1: dev prio_txt txq 0 root bands 3 priomap "
			       "1 2 2 2 1 2 0 0 1 1 1 1 1 1 1 1\n") == text, "%s", text);
	SN_ASSERT(sn_class_print(dev, 0, 0, text, sizeof(text)) > 0, "class print");
	SN_ASSERT(strstr(text, "class prio 1:1 ") != NULL && strstr(text, "class prio 1:3 ") != NULL &&
		  strstr(text, "class prio 1:4") == NULL, "%s", text);
	SN_ASSERT(sn_class_print(dev, 0, SN_QDISC_PRINT_JSON, text, sizeof(text)) > 0, "json");
	SN_ASSERT(strstr(text, "\"class\": \"prio\"") != NULL, "%s", text);
	{
		const char *ok[] = { "prio", "bands", "2", "priomap", "1", "1", "0", "0", "1", "0",
				     "0", "0", "1", "1", "1", "1", "1", "1", "1", "1" };
		const char *bad1[] = { "prio", "bands", "2" };
		const char *bad2[] = { "prio", "bands", "17" };
		const char *bad3[] = { "prio", "priomap", "3" };
		const char *bad4[] = { "prio", "limit", "10" };

		SN_ASSERT_EQ(sn_qdisc_parse(RTE_DIM(ok), ok, kind, &p, err, sizeof(err)), 0);
		SN_ASSERT_EQ(sn_qdisc_replace(dev, 0, kind, &p, sd), 0);
		SN_ASSERT(sn_qdisc_print(dev, 0, 0, text, sizeof(text)) > 0, "print");
		SN_ASSERT(strstr(text, " root bands 2 priomap 1 1 0 0 1 0 0 0 1 1 1 1 1 1 1 1\n") !=
			  NULL, "%s", text);
		SN_ASSERT_EQ(sn_qdisc_parse(RTE_DIM(bad1), bad1, kind, &p, err, sizeof(err)),
			     -EINVAL);
		SN_ASSERT(strstr(err, "priomap") != NULL, "%s", err);
		SN_ASSERT_EQ(sn_qdisc_parse(RTE_DIM(bad2), bad2, kind, &p, err, sizeof(err)),
			     -EINVAL);
		SN_ASSERT_EQ(sn_qdisc_parse(RTE_DIM(bad3), bad3, kind, &p, err, sizeof(err)),
			     -EINVAL);
		SN_ASSERT_EQ(sn_qdisc_parse(RTE_DIM(bad4), bad4, kind, &p, err, sizeof(err)),
			     -EINVAL);
	}
	/* The printed words parse back to the same qdisc. */
	{
		char *w = strstr(text, " root ") + 6, *save = NULL, line[512];
		const char *argv[40] = { "prio" };
		int argc = 1;
		char again[4096];

		snprintf(line, sizeof(line), "%s", w);
		line[strcspn(line, "\n")] = '\0';
		for (char *t = strtok_r(line, " ", &save); t != NULL && argc < 40;
		     t = strtok_r(NULL, " ", &save))
			argv[argc++] = t;
		SN_ASSERT_EQ(sn_qdisc_parse(argc, argv, kind, &p, err, sizeof(err)), 0);
		SN_ASSERT_EQ(sn_qdisc_replace(dev, 0, kind, &p, sd), 0);
		SN_ASSERT(sn_qdisc_print(dev, 0, 0, again, sizeof(again)) > 0, "print");
		SN_ASSERT(strcmp(strstr(again, " root "), strstr(text, " root ")) == 0, "%s vs %s",
			  again, text);
	}
	return sn_test_dev_done(dev, sd, mp, base);
}

int
main(void)
{
	sn_test_init("prio", "0", NULL);
	mp = sn_test_pool("prio", 512);
	sd = sn_softnet_attach();
	if (mp == NULL || sd == NULL)
		return SN_TEST_FAIL;
	SN_RUN(test_strict_order);
	SN_RUN(test_priomap);
	SN_RUN(test_priority_names_class);
	SN_RUN(test_shaped_band_does_not_block);
	SN_RUN(test_requeue);
	SN_RUN(test_requeue_mixed);
	SN_RUN(test_counters);
	SN_RUN(test_classes_and_print);
	sn_softnet_detach(sd);
	if (sn_test_pool_check(mp, 0) != 0)
		return SN_TEST_FAIL;
	sn_test_fini();
	return SN_TEST_PASS;
}
