/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * NET_TX waits for a busy root lock and runs the qdisc, as today's kernel's
 * net_tx_action does (spin_lock, clear SCHED, qdisc_run); it does not put
 * the qdisc back on its list and leave (the pre-4.10 trylock).
 *
 * Lcore 0 has a qdisc with packets on its output queue. Lcore 1 holds that
 * qdisc's root lock for a while: a control call (sn_qdisc_info) whose
 * discipline's dump op, run under the root lock, stalls. Lcore 0 then runs
 * NET_TX once (one sn_softnet_poll): it must come back only after lcore 1
 * let go, with the qdisc run (all packets sent) and off its list, and without
 * a reschedule. The discipline is a small FIFO written here against the
 * discipline SDK. Every mbuf is counted.
 */

#include <errno.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_launch.h>
#include <rte_pause.h>

#include "sn_test.h"
#include "sn_test_util.h"

#define NB 8
#define SLOTS 64
#define HOLD_MS 50

static struct rte_mempool *mp;
static struct sn_softnet *sd;

static struct {
	struct sn_netdev *dev;
	volatile int block;     /* the dump op stalls while set */
	volatile int holding;   /* lcore 1 is inside the dump, root lock held */
	volatile int released;  /* lcore 1 is out of it */
	int rc;
} g;

struct stall_fifo {
	uint32_t head, len;
	struct rte_mbuf *slot[SLOTS];
};

static uint16_t
stall_enqueue(struct sn_qdisc *q, struct sn_softnet *s, struct rte_mbuf **pkts, uint16_t n,
	      uint32_t bytes)
{
	struct stall_fifo *f = sn_qdisc_priv(q);
	uint16_t k = 0;

	RTE_SET_USED(bytes);
	for (uint16_t i = 0; i < n; i++) {
		if (f->len == SLOTS) {
			sn_qdisc_drop(q, s, pkts[i]);
			continue;
		}
		f->slot[(f->head + f->len++) % SLOTS] = pkts[i];
		sn_qdisc_account_enqueue(q, 1, rte_pktmbuf_pkt_len(pkts[i]));
		k++;
	}
	return k;
}

static uint16_t
stall_dequeue(struct sn_qdisc *q, struct sn_softnet *sd __rte_unused,
		struct rte_mbuf **pkts, uint16_t n)
{
	struct stall_fifo *f = sn_qdisc_priv(q);
	uint16_t k = 0;

	while (k < n && f->len != 0) {
		pkts[k++] = f->slot[f->head];
		f->head = (f->head + 1) % SLOTS;
		f->len--;
	}
	return k;
}

static void
stall_reset(struct sn_qdisc *q, struct sn_softnet *s)
{
	struct rte_mbuf *m;

	while (stall_dequeue(q, s, &m, 1) == 1)
		sn_qdisc_drop_queued(q, s, m);
}

/* Root lock held: stall here while asked to. */
static int
stall_dump(const struct sn_qdisc *q, struct sn_qdisc_params *p)
{
	RTE_SET_USED(q);
	RTE_SET_USED(p);
	if (__atomic_load_n(&g.block, __ATOMIC_ACQUIRE)) {
		uint64_t until = rte_get_timer_cycles() + rte_get_timer_hz() * HOLD_MS / 1000;

		__atomic_store_n(&g.holding, 1, __ATOMIC_RELEASE);
		while (rte_get_timer_cycles() < until)
			rte_pause();
	}
	return 0;
}

static const struct sn_qdisc_ops stall_ops = {
	.id = "test_stallfifo",
	.priv_size = sizeof(struct stall_fifo),
	.enqueue = stall_enqueue,
	.dequeue = stall_dequeue,
	.reset = stall_reset,
	.dump = stall_dump,
};

static int
holder(void *arg)
{
	struct sn_softnet *wsd = sn_softnet_attach();
	struct sn_qdisc_info info;

	RTE_SET_USED(arg);
	if (wsd == NULL) {
		g.rc = -EPERM;
		__atomic_store_n(&g.holding, -1, __ATOMIC_RELEASE);
		return -1;
	}
	__atomic_store_n(&g.block, 1, __ATOMIC_RELEASE);
	g.rc = sn_qdisc_info(g.dev, 0, &info);
	__atomic_store_n(&g.block, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&g.released, 1, __ATOMIC_RELEASE);
	if (g.rc == 0 && __atomic_load_n(&g.holding, __ATOMIC_ACQUIRE) != 1)
		g.rc = -ENOENT;
	sn_softnet_detach(wsd);
	return 0;
}

static int
test_net_tx_waits_for_root_lock(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	unsigned int wl = sn_test_worker();
	struct sn_softnet_stats s0, s1;
	struct rte_mbuf *pkts[NB];
	struct sn_test_netdev *c;
	uint64_t deadline;

	if (wl >= RTE_MAX_LCORE)
		return SN_TEST_SKIP;
	g.dev = sn_test_netdev_create("ntx_lock", 1);
	SN_ASSERT(g.dev != NULL, "create");
	SN_ASSERT_EQ(sn_qdisc_replace(g.dev, 0, stall_ops.id, NULL, sd), 0);
	SN_ASSERT_EQ(sn_test_keep(g.dev, NB), 0);
	c = sn_test_netdev_ctl(g.dev);

	/* The driver refuses and says it is full: the qdisc waits on our list. */
	c->budget = 0;
	c->ready = 0;
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, NB, 64, 0, 0), 0);
	SN_ASSERT_EQ(sn_xmit_burst(sd, g.dev, 0, pkts, NB), NB);
	SN_ASSERT_EQ(sn_test_scheduled(sd, g.dev, 0), 1);
	SN_ASSERT_EQ(c->accepted, 0);
	c->budget = -1;
	c->ready = 1;

	SN_ASSERT_EQ(rte_eal_remote_launch(holder, NULL, wl), 0);
	deadline = rte_get_timer_cycles() + 10 * rte_get_timer_hz();
	while (__atomic_load_n(&g.holding, __ATOMIC_ACQUIRE) == 0 &&
	       rte_get_timer_cycles() < deadline)
		rte_pause();
	SN_ASSERT_EQ(__atomic_load_n(&g.holding, __ATOMIC_ACQUIRE), 1);

	/* One NET_TX while lcore 1 holds the root lock. */
	s0 = sn_test_stats(sd);
	sn_softnet_poll(sd);
	s1 = sn_test_stats(sd);
	SN_ASSERT(__atomic_load_n(&g.released, __ATOMIC_ACQUIRE) == 1,
		  "NET_TX came back while the root lock was still held");
	SN_ASSERT_EQ(c->accepted, NB);
	SN_ASSERT_EQ(s1.sent - s0.sent, NB);
	SN_ASSERT_EQ(s1.resched - s0.resched, 0);
	SN_ASSERT_EQ(sn_test_scheduled(sd, g.dev, 0), 0);

	rte_eal_wait_lcore(wl);
	SN_ASSERT_EQ(g.rc, 0);
	if (sn_test_kept_check(g.dev, NULL, 0, NB) != 0)
		return SN_TEST_FAIL;
	SN_ASSERT_EQ(sn_test_info(g.dev, 0).stats.qstats.qlen, 0);
	return sn_test_dev_done(g.dev, sd, mp, base);
}

int
main(void)
{
	sn_test_init("net_tx_lock", "0-1", NULL);
	if (sn_test_worker() >= RTE_MAX_LCORE) {
		printf("SKIP: needs 2 lcores\n");
		return SN_TEST_SKIP;
	}
	if (sn_qdisc_register(&stall_ops) != 0)
		return SN_TEST_FAIL;
	mp = sn_test_pool("net_tx_lock", 256);
	sd = sn_softnet_attach();
	if (mp == NULL || sd == NULL)
		return SN_TEST_FAIL;
	SN_RUN(test_net_tx_waits_for_root_lock);
	sn_softnet_detach(sd);
	if (sn_test_pool_check(mp, 0) != 0)
		return SN_TEST_FAIL;
	sn_test_fini();
	return SN_TEST_PASS;
}
