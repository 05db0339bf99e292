/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mq and XPS: a multi-queue root, and each lcore on a transmit queue of its
 * own.
 *
 * Control path (one lcore): mq attaches over every queue of a two-queue
 * device (each queue's root back to the default and marked as the leaf of
 * class 1:N), prints as tc does (`qdisc mq 1: ... root`, then each queue's
 * root with `parent 1:N`, and `class mq 1:N root leaf H:`), takes a qdisc
 * into one class (that queue's root, an automatic handle), refuses classes
 * it does not have and single-queue devices, and goes away again. The XPS
 * map defaults to the lcore index mod the queue count and can be set.
 *
 * Data path (lcores 0 and 1): both send for about a second through
 * sn_xmit_xps() on a two-queue device under mq. The driver, defined here,
 * records for each queue which lcores' packets it got and checks that each
 * lcore's sequence numbers only grow. Each queue must see exactly one
 * lcore, the one XPS maps to it (then the map is swapped and again), no
 * enqueue may find a root busy (busylock) or an xmit lock held by the other
 * lcore (cpu_collision), and every packet is accounted for: handed ==
 * received + dropped per lcore, mq's counters the sum of the queues', the
 * pool back at its baseline.
 */

#include <string.h>

#include <rte_cycles.h>
#include <rte_launch.h>

#include "sn_test.h"
#include "sn_test_util.h"
#include "sn_mq.h"
#include "sn_xps.h"

#define BURST 32
#define NB_TXQ 2

static struct rte_mempool *mp;

/* ---- control path ---- */

static int
test_mq_control(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_softnet *sd = sn_softnet_current();
	struct sn_netdev *dev = sn_test_netdev_create("mqc", NB_TXQ);
	struct sn_netdev *one = sn_test_netdev_create("mqc1", 1);
	struct sn_qdisc_params p;
	struct sn_qdisc_stats st;
	char text[4096], kind[SN_QDISC_KIND_SIZE], err[128];
	const char *tbf[] = { "tbf", "rate", "1gbit", "burst", "64kb", "latency", "10ms" };
	uint32_t h = 0;

	SN_ASSERT(dev != NULL && one != NULL, "create");
	SN_ASSERT_EQ(sn_mq_get(dev, &h), -ENOENT);
	SN_ASSERT_EQ(sn_mq_attach(one, 0, sd), -EOPNOTSUPP);
	SN_ASSERT_EQ(sn_mq_attach(dev, 0x00010001u, sd), -EINVAL);
	SN_ASSERT_EQ(sn_mq_attach(dev, 0x00010000u, sd), 0);
	SN_ASSERT_EQ(sn_mq_get(dev, &h), 0);
	SN_ASSERT_EQ(h, 0x00010000u);

	SN_ASSERT(sn_mq_print(dev, 0, text, sizeof(text)) > 0, "print");
	SN_ASSERT(strncmp(text, "qdisc mq 1: dev mqc root\n", 25) == 0, "%s", text);
	SN_ASSERT(strstr(text, "qdisc pfifo_fast 0: dev mqc txq 0 parent 1:1 bands 3 ") != NULL,
		  "%s", text);
	SN_ASSERT(strstr(text, "qdisc pfifo_fast 0: dev mqc txq 1 parent 1:2 bands 3 ") != NULL,
		  "%s", text);

	SN_ASSERT_EQ(sn_qdisc_parse(RTE_DIM(tbf), tbf, kind, &p, err, sizeof(err)), 0);
	SN_ASSERT_EQ(sn_mq_graft(dev, 0x00010003u, kind, &p, sd), -EINVAL);
	SN_ASSERT_EQ(sn_mq_graft(dev, 0x00020001u, kind, &p, sd), -EINVAL);
	SN_ASSERT_EQ(sn_mq_graft(dev, 0x00010002u, kind, &p, sd), 0);
	SN_ASSERT(strcmp(sn_test_info(dev, 1).kind, "tbf") == 0, "txq 1 is tbf");
	SN_ASSERT(strcmp(sn_test_info(dev, 0).kind, "pfifo_fast") == 0, "txq 0 untouched");
	SN_ASSERT(sn_mq_print(dev, SN_QDISC_PRINT_STATS, text, sizeof(text)) > 0, "print");
	SN_ASSERT(strstr(text, "qdisc tbf 8001: dev mqc txq 1 parent 1:2 rate 1Gbit") != NULL,
		  "%s", text);
	SN_ASSERT(strstr(text, " Sent 0 bytes 0 pkt") != NULL, "%s", text);
	printf("%s", text);
	SN_ASSERT(sn_mq_class_print(dev, 0, text, sizeof(text)) > 0, "class print");
	SN_ASSERT(strcmp(text, "class mq 1:1 root leaf 0:\nclass mq 1:2 root leaf 8001:\n") == 0,
		  "%s", text);
	SN_ASSERT(sn_mq_class_print(dev, SN_QDISC_PRINT_JSON | SN_QDISC_PRINT_STATS, text,
				    sizeof(text)) > 0, "class json");
	SN_ASSERT(strstr(text, "{\"class\": \"mq\", \"handle\": \"1:2\", \"root\": true, "
			       "\"leaf\": \"8001:\"") != NULL, "%s", text);
	SN_ASSERT(sn_mq_print(dev, SN_QDISC_PRINT_JSON, text, sizeof(text)) > 0, "json");
	SN_ASSERT(text[0] == '[' && strstr(text, "\"kind\": \"mq\"") != NULL &&
		  strstr(text, "\"parent\": \"1:2\"") != NULL, "%s", text);
	/* A prio in class 1:1: its classes follow mq's. */
	SN_ASSERT_EQ(sn_mq_graft(dev, 0x00010001u, "prio", NULL, sd), 0);
	SN_ASSERT(sn_mq_class_print(dev, 0, text, sizeof(text)) > 0, "class print");
	SN_ASSERT(strstr(text, "class mq 1:1 root leaf 8002:\n") != NULL &&
		  strstr(text, "class prio 8002:1 ") != NULL, "%s", text);
	printf("%s", text);
	/* The default back into a class. */
	SN_ASSERT_EQ(sn_mq_graft(dev, 0x00010002u, NULL, NULL, sd), 0);
	SN_ASSERT(strcmp(sn_test_info(dev, 1).kind, "pfifo_fast") == 0, "default back");
	SN_ASSERT(sn_mq_print(dev, 0, text, sizeof(text)) > 0, "print");
	SN_ASSERT(strstr(text, "qdisc pfifo_fast 0: dev mqc txq 1 parent 1:2 ") != NULL, "%s", text);
	SN_ASSERT_EQ(sn_mq_class_stats(dev, 0x00010002u, &st), 0);
	SN_ASSERT_EQ(sn_mq_class_stats(dev, 0x00010005u, &st), -EINVAL);

	SN_ASSERT_EQ(sn_mq_detach(dev, sd), 0);
	SN_ASSERT_EQ(sn_mq_detach(dev, sd), -ENOENT);
	SN_ASSERT_EQ(sn_mq_get(dev, NULL), -ENOENT);
	SN_ASSERT_EQ(sn_mq_print(dev, 0, text, sizeof(text)), -ENOENT);
	SN_ASSERT(sn_qdisc_print(dev, 0, 0, text, sizeof(text)) > 0, "print");
	SN_ASSERT(strstr(text, "qdisc pfifo_fast 0: dev mqc txq 0 root ") == text, "%s", text);
	/* Attach without a handle: the first automatic one. */
	SN_ASSERT_EQ(sn_mq_attach(dev, 0, sd), 0);
	SN_ASSERT_EQ(sn_mq_get(dev, &h), 0);
	SN_ASSERT_EQ(h, 0x80010000u);

	sn_test_netdev_free(one, sd);
	sn_test_netdev_free(dev, sd);
	sn_test_drain(sd);
	return sn_test_pool_check(mp, base);
}

static int
test_xps_map(void)
{
	struct sn_netdev *dev = sn_test_netdev_create("xpsmap", 3);
	struct sn_softnet *sd = sn_softnet_current();
	unsigned int lc = rte_lcore_id();

	SN_ASSERT(dev != NULL, "create");
	/* The default: the lcore's index mod the queue count. */
	SN_ASSERT_EQ(sn_netdev_xps_get(dev, lc), rte_lcore_index((int)lc) % 3);
	SN_ASSERT_EQ(sn_netdev_xps_set(dev, lc, 2), 0);
	SN_ASSERT_EQ(sn_netdev_xps_get(dev, lc), 2);
	SN_ASSERT_EQ(sn_netdev_xps_set(dev, lc, 3), -EINVAL);
	SN_ASSERT_EQ(sn_netdev_xps_set(dev, RTE_MAX_LCORE, 0), -EINVAL);
	SN_ASSERT_EQ(sn_netdev_xps_set(NULL, lc, 0), -ENODEV);
	SN_ASSERT_EQ(sn_netdev_xps_get(dev, RTE_MAX_LCORE), -EINVAL);
	SN_ASSERT_EQ(sn_netdev_xps_set(dev, lc, SN_XPS_DEFAULT), 0);
	SN_ASSERT_EQ(sn_netdev_xps_get(dev, lc), rte_lcore_index((int)lc) % 3);
	sn_test_netdev_free(dev, sd);
	return 0;
}

/* ---- data path: two lcores, two queues ---- */

static struct {
	uint64_t from[RTE_MAX_LCORE];    /* packets of each lcore on this queue */
	uint64_t next_min[RTE_MAX_LCORE];
	uint64_t bad_order;
	uint64_t bad_tag;
	uint64_t calls;
} drv[NB_TXQ];

static volatile int stop;
static volatile int go;

static struct {
	uint64_t handed;
	uint64_t seq;
	int rc;
} src[RTE_MAX_LCORE];

/* Under queue @txq's xmit lock: that queue's counters are ours alone. */
static uint16_t
check_xmit(struct sn_netdev *dev, uint16_t txq, struct rte_mbuf **pkts, uint16_t n)
{
	uint16_t k = n;

	RTE_SET_USED(dev);
	/* Refuse the tail of a large burst now and then: requeues per queue. */
	if (++drv[txq].calls % 11 == 0 && n > 8)
		k = (uint16_t)(n - 3);
	for (uint16_t i = 0; i < k; i++) {
		uint32_t tag = sn_test_tag(pkts[i]);
		uint64_t seq = sn_test_seq(pkts[i]);

		if (tag >= RTE_MAX_LCORE) {
			drv[txq].bad_tag++;
			continue;
		}
		if (seq < drv[txq].next_min[tag])
			drv[txq].bad_order++;
		drv[txq].next_min[tag] = seq + 1;
		drv[txq].from[tag]++;
	}
	rte_pktmbuf_free_bulk(pkts, k);
	return k;
}

static const struct sn_netdev_ops check_ops = {
	.xmit = check_xmit,
};

static struct sn_netdev *dev;

/* Send through XPS until told to stop; sequence numbers go on across phases. */
static int
send_loop(struct sn_softnet *sd)
{
	unsigned int lcore = rte_lcore_id();
	struct rte_mbuf *pkts[BURST];

	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		uint16_t n = (uint16_t)(1 + (src[lcore].seq % BURST));

		if (sn_test_alloc(mp, pkts, n, 64, (uint32_t)(src[lcore].seq & 15),
				  src[lcore].seq) != 0) {
			sn_softnet_poll(sd);
			continue;
		}
		for (uint16_t i = 0; i < n; i++)
			sn_test_set_tag(pkts[i], lcore);
		sn_xmit_xps(sd, dev, pkts, n);
		src[lcore].handed += n;
		src[lcore].seq += n;
		sn_softnet_poll(sd);
	}
	sn_test_drain(sd);
	return 0;
}

static int
worker(void *arg)
{
	unsigned int lcore = rte_lcore_id();
	struct sn_softnet *sd = sn_softnet_attach();

	RTE_SET_USED(arg);
	if (sd == NULL) {
		src[lcore].rc = -1;
		return -1;
	}
	while (!__atomic_load_n(&go, __ATOMIC_ACQUIRE))
		sn_softnet_poll(sd);
	send_loop(sd);
	src[lcore].rc = sn_softnet_detach(sd);
	return 0;
}

/* One phase: both lcores send for @ms milliseconds; worker relaunched each time. */
static int
phase(struct sn_softnet *sd, unsigned int wl, unsigned int ms)
{
	uint64_t deadline;

	__atomic_store_n(&stop, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&go, 0, __ATOMIC_RELAXED);
	SN_ASSERT_EQ(rte_eal_remote_launch(worker, NULL, wl), 0);
	__atomic_store_n(&go, 1, __ATOMIC_RELEASE);
	deadline = rte_get_timer_cycles() + rte_get_timer_hz() * ms / 1000;
	{
		unsigned int lcore = rte_lcore_id();
		struct rte_mbuf *pkts[BURST];

		while (rte_get_timer_cycles() < deadline) {
			uint16_t n = (uint16_t)(BURST - (src[lcore].seq % BURST));

			if (sn_test_alloc(mp, pkts, n, 64, (uint32_t)(src[lcore].seq & 15),
					  src[lcore].seq) != 0) {
				sn_softnet_poll(sd);
				continue;
			}
			for (uint16_t i = 0; i < n; i++)
				sn_test_set_tag(pkts[i], lcore);
			sn_xmit_xps(sd, dev, pkts, n);
			src[lcore].handed += n;
			src[lcore].seq += n;
			sn_softnet_poll(sd);
		}
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	rte_eal_wait_lcore(wl);
	sn_test_drain(sd);
	SN_ASSERT_EQ(src[wl].rc, 0);
	return 0;
}

static int
test_two_lcores_two_queues(void)
{
	unsigned int wl = sn_test_worker(), base = rte_mempool_in_use_count(mp);
	struct sn_softnet *sd = sn_softnet_current();
	unsigned int lc[2] = { rte_lcore_id(), wl };
	struct sn_softnet_stats st[2];
	struct sn_netdev_stats ns;
	uint64_t q_before[NB_TXQ][2];
	char text[4096];

	dev = sn_netdev_create("mq_xps", &check_ops, NB_TXQ, 0, SOCKET_ID_ANY);
	SN_ASSERT(dev != NULL, "create");
	SN_ASSERT_EQ(sn_netdev_up(dev), 0);
	SN_ASSERT_EQ(sn_mq_attach(dev, 0x00010000u, sd), 0);
	for (unsigned int i = 0; i < 2; i++)
		sn_softnet_stats_reset(lc[i]);
	/* The defaults of a "-l 0-1" run: the main lcore on queue 0, the worker on 1. */
	SN_ASSERT_EQ(sn_netdev_xps_get(dev, lc[0]), 0);
	SN_ASSERT_EQ(sn_netdev_xps_get(dev, lc[1]), 1);

	for (unsigned int ph = 0; ph < 2; ph++) {
		/* Phase 1 swaps the map: each lcore moves to the other queue. */
		if (ph == 1) {
			SN_ASSERT_EQ(sn_netdev_xps_set(dev, lc[0], 1), 0);
			SN_ASSERT_EQ(sn_netdev_xps_set(dev, lc[1], 0), 0);
		}
		for (unsigned int q = 0; q < NB_TXQ; q++)
			for (unsigned int i = 0; i < 2; i++)
				q_before[q][i] = drv[q].from[lc[i]];
		if (phase(sd, wl, 500) != 0)
			return SN_TEST_FAIL;
		for (unsigned int i = 0; i < 2; i++) {
			unsigned int mine = (unsigned int)sn_netdev_xps_get(dev, lc[i]);

			printf("phase %u: lcore %u -> txq %u: %" PRIu64 " packets there, %" PRIu64
			       " on the other queue\n", ph, lc[i], mine,
			       drv[mine].from[lc[i]] - q_before[mine][i],
			       drv[1 - mine].from[lc[i]] - q_before[1 - mine][i]);
			SN_ASSERT(drv[mine].from[lc[i]] - q_before[mine][i] > 1000,
				  "lcore %u hardly sent", lc[i]);
			/* Each root saw one lcore only: no packet of this lcore elsewhere. */
			SN_ASSERT_EQ(drv[1 - mine].from[lc[i]] - q_before[1 - mine][i], 0);
		}
	}
	for (unsigned int q = 0; q < NB_TXQ; q++) {
		SN_ASSERT_EQ(drv[q].bad_tag, 0);
		SN_ASSERT_EQ(drv[q].bad_order, 0);
		SN_ASSERT_EQ(sn_test_info(dev, (uint16_t)q).stats.qstats.qlen, 0);
	}
	for (unsigned int i = 0; i < 2; i++) {
		uint64_t received = drv[0].from[lc[i]] + drv[1].from[lc[i]];

		sn_softnet_stats_get(lc[i], &st[i]);
		printf("lcore %u: handed %" PRIu64 " received %" PRIu64 " dropped %" PRIu64
		       " busylock %" PRIu64 " collisions %" PRIu64 " requeued %" PRIu64 "\n",
		       lc[i], src[lc[i]].handed, received, st[i].dropped, st[i].busylock,
		       st[i].cpu_collision, st[i].requeued);
		/* No shared root lock, no shared xmit lock. */
		SN_ASSERT_EQ(st[i].busylock, 0);
		SN_ASSERT_EQ(st[i].cpu_collision, 0);
		SN_ASSERT(st[i].requeued > 0, "the driver's refusals requeued nothing");
		SN_ASSERT_EQ(received + st[i].dropped, src[lc[i]].handed);
	}
	/* mq's counters: the sum of the queues'. */
	SN_ASSERT_EQ(sn_netdev_stats(dev, &ns), 0);
	SN_ASSERT(sn_mq_print(dev, SN_QDISC_PRINT_STATS, text, sizeof(text)) > 0, "print");
	{
		char want[96];

		snprintf(want, sizeof(want), "qdisc mq 1: dev mq_xps root\n Sent %" PRIu64
			 " bytes %" PRIu64 " pkt ", ns.qdisc.bstats.bytes, ns.qdisc.bstats.packets);
		SN_ASSERT(strncmp(text, want, strlen(want)) == 0, "%s\nwant %s", text, want);
	}
	SN_ASSERT_EQ(ns.qdisc.bstats.packets, st[0].sent + st[1].sent);

	sn_netdev_free(dev, sd);
	sn_test_drain(sd);
	return sn_test_pool_check(mp, base);
}

int
main(void)
{
	struct sn_softnet *sd;
	int rc = SN_TEST_PASS;

	sn_test_init("mq_xps", "0-1", NULL);
	mp = sn_test_pool("mq_xps", 8192);
	sd = sn_softnet_attach();
	if (mp == NULL || sd == NULL)
		return SN_TEST_FAIL;
	SN_RUN(test_mq_control);
	SN_RUN(test_xps_map);
	if (sn_test_worker() >= RTE_MAX_LCORE)
		printf("test_two_lcores_two_queues: SKIP: needs 2 lcores\n");
	else
		SN_RUN(test_two_lcores_two_queues);
	if (sn_softnet_detach(sd) != 0)
		rc = SN_TEST_FAIL;
	if (sn_test_pool_check(mp, 0) != 0)
		return SN_TEST_FAIL;
	sn_test_fini();
	return rc;
}
