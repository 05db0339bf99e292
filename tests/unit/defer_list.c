/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The defer list as Linux 6.19 has it ("net: dev_queue_xmit() llist
 * adoption").
 *
 * The lcore that pushes onto an empty list becomes the runner: it alone takes
 * the root lock, detaches the list and enqueues it in push order. Pushes onto
 * a non-empty list return at once and count their packets against
 * sn_qdisc_max_burst() (default 1000, as the kernel's qdisc_max_burst): the
 * packets beyond are dropped by their sender, on its own lcore, as
 * burst_limit, and are not returned as accepted; a burst straddling the
 * limit keeps its head. While the list is not empty, scheduling the qdisc
 * (__netif_schedule) is a no-op: its runner is on the way.
 *
 * Set-up: a pfifo wrapped to learn its struct sn_qdisc; lcore 0 holds its
 * root lock (softirqs off) so that lcore 1, which pushes first, waits as the
 * runner while lcore 0 pushes behind it; then lcore 0 lets go and lcore 1
 * sends everything, in order. Every mbuf is accounted for.
 */

#include <string.h>

#include <rte_cycles.h>
#include <rte_launch.h>
#include <rte_pause.h>

#include "sn_test.h"
#include "sn_test_util.h"

#define NB_RUNNER 4
#define BURST 32

static struct rte_mempool *mp;
static struct sn_softnet *sd;

/* pfifo, telling us its qdisc. */
static struct sn_qdisc_ops spy_ops;
static const struct sn_qdisc_ops *pfifo_ops;
static struct sn_qdisc *spied;

static int
spy_init(struct sn_qdisc *q, const struct sn_qdisc_params *p)
{
	spied = q;
	return pfifo_ops->init != NULL ? pfifo_ops->init(q, p) : 0;
}

static struct {
	struct sn_netdev *dev;
	volatile int pushing;
	uint16_t accepted;
	int rc;
} g;

/* lcore 1: push NB_RUNNER packets onto the empty list and become the runner. */
static int
runner(void *arg)
{
	struct sn_softnet *wsd = sn_softnet_attach();
	struct rte_mbuf *pkts[NB_RUNNER];

	RTE_SET_USED(arg);
	if (wsd == NULL) {
		g.rc = -1;
		return -1;
	}
	if (sn_test_alloc(mp, pkts, NB_RUNNER, 64, 0, 0) != 0) {
		g.rc = -2;
	} else {
		__atomic_store_n(&g.pushing, 1, __ATOMIC_RELEASE);
		g.accepted = sn_xmit_burst(wsd, g.dev, 0, pkts, NB_RUNNER);
	}
	sn_test_drain(wsd);
	sn_softnet_detach(wsd);
	return 0;
}

static int
wait_runner_pushed(void)
{
	uint64_t deadline = rte_get_timer_cycles() + 5 * rte_get_timer_hz();

	while (__atomic_load_n(&spied->defer_first, __ATOMIC_ACQUIRE) == NULL) {
		if (rte_get_timer_cycles() > deadline) {
			fprintf(stderr, "FAIL: lcore 1 never pushed\n");
			return SN_TEST_FAIL;
		}
		rte_pause();
	}
	return 0;
}

/*
 * lcore 0 pushes @nb_bursts bursts of BURST behind the waiting runner with
 * the limit at @limit; checks what is refused, and that everything accepted
 * leaves in order once the runner gets the lock.
 */
static int
burst_limit(const char *name, uint32_t limit, unsigned int nb_bursts)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	unsigned int wl = sn_test_worker();
	struct sn_qdisc_params p = { .defer_list = true, .limit = 100000 };
	uint64_t pushed = 0, refused = 0, accepted = 0;
	struct sn_softnet_stats s0, s1, w0, w1;
	struct rte_mbuf *pkts[BURST];
	struct sn_qdisc_info info;
	struct sn_test_netdev *c;
	uint64_t *want;
	int rc;

	memset(&g, 0, sizeof(g));
	g.dev = sn_test_netdev_create(name, 1);
	SN_ASSERT(g.dev != NULL, "create");
	c = sn_test_netdev_ctl(g.dev);
	spied = NULL;
	SN_ASSERT_EQ(sn_qdisc_replace(g.dev, 0, spy_ops.id, &p, sd), 0);
	SN_ASSERT(spied != NULL, "no qdisc seen");
	SN_ASSERT_EQ(sn_test_keep(g.dev, NB_RUNNER + (uint64_t)nb_bursts * BURST + 1), 0);
	if (limit != 0)
		SN_ASSERT_EQ(sn_qdisc_max_burst_set(limit), 0);
	else
		limit = SN_QDISC_MAX_BURST;
	SN_ASSERT_EQ(sn_qdisc_max_burst(), limit);
	want = calloc(NB_RUNNER + (size_t)nb_bursts * BURST + 1, sizeof(*want));
	SN_ASSERT(want != NULL, "calloc");
	for (unsigned int i = 0; i < NB_RUNNER; i++)
		want[i] = i;

	s0 = sn_test_stats(sd);
	sn_softnet_stats_get(wl, &w0);
	/* Hold the root lock: lcore 1's drain waits for it. */
	sn_local_bh_disable(sd);
	sn_spin_lock(&spied->lock);
	SN_ASSERT_EQ(rte_eal_remote_launch(runner, NULL, wl), 0);
	if (wait_runner_pushed() != 0) {
		sn_spin_unlock(&spied->lock);
		sn_local_bh_enable(sd);
		return SN_TEST_FAIL;
	}
	for (unsigned int b = 0; b < nb_bursts; b++) {
		uint64_t room = pushed < limit ? limit - pushed : 0;
		uint16_t k;

		SN_ASSERT_EQ(sn_test_alloc(mp, pkts, BURST, 64, 0, 1000 + pushed), 0);
		k = sn_xmit_burst(sd, g.dev, 0, pkts, BURST);
		/* Counted per packet: a burst keeps what fits, in order. */
		SN_ASSERT_EQ(k, RTE_MIN((uint64_t)BURST, room));
		for (uint16_t i = 0; i < k; i++)
			want[NB_RUNNER + accepted + i] = 1000 + pushed + i;
		accepted += k;
		refused += BURST - k;
		pushed += BURST;
	}
	/* One more, alone: over the limit too (or the first to fit). */
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, 1, 64, 0, 1000 + pushed), 0);
	rc = sn_xmit(sd, g.dev, 0, pkts[0]);
	if (pushed >= limit) {
		SN_ASSERT_EQ(rc, SN_XMIT_DROP);
		refused++;
	} else {
		SN_ASSERT_EQ(rc, SN_XMIT_SUCCESS);
		want[NB_RUNNER + accepted++] = 1000 + pushed;
	}
	/* The list is not empty: its runner is on the way, scheduling is a no-op. */
	SN_ASSERT_EQ(sn_qdisc_schedule(sd, g.dev, 0), 0);
	SN_ASSERT_EQ(sn_test_scheduled(sd, g.dev, 0), 0);
	/* Nothing reached the qdisc or the driver yet. */
	SN_ASSERT_EQ(spied->qstats.qlen, 0);
	SN_ASSERT_EQ(c->accepted, 0);
	s1 = sn_test_stats(sd);
	SN_ASSERT_EQ(s1.drops[SN_DROP_BURST_LIMIT] - s0.drops[SN_DROP_BURST_LIMIT], refused);
	SN_ASSERT_EQ(s1.dropped - s0.dropped, refused);
	SN_ASSERT_EQ(s1.drop_qdisc - s0.drop_qdisc, refused);
	sn_spin_unlock(&spied->lock);
	sn_local_bh_enable(sd);

	rte_eal_wait_lcore(wl);
	SN_ASSERT_EQ(g.rc, 0);
	SN_ASSERT_EQ(g.accepted, NB_RUNNER);
	sn_test_drain(sd);
	sn_softnet_stats_get(wl, &w1);
	/* The runner sent everything, its own burst first, and dropped nothing. */
	SN_ASSERT_EQ(w1.sent - w0.sent, NB_RUNNER + accepted);
	SN_ASSERT_EQ(w1.dropped - w0.dropped, 0);
	if (sn_test_kept_check(g.dev, want, 0, NB_RUNNER + accepted) != 0)
		return SN_TEST_FAIL;
	info = sn_test_info(g.dev, 0);
	SN_ASSERT_EQ(info.stats.qstats.drops, refused);
	SN_ASSERT_EQ(info.stats.bstats.packets, NB_RUNNER + accepted);
	SN_ASSERT_EQ(info.stats.qstats.qlen, 0);
	SN_ASSERT_EQ(sn_qdisc_max_burst_set(SN_QDISC_MAX_BURST), 0);
	free(want);
	return sn_test_dev_done(g.dev, sd, mp, base);
}

/* The default limit, 1000: 40 bursts of 32 behind the runner, 1000 packets kept. */
static int
test_default_limit(void)
{
	return burst_limit("dl_default", 0, 40);
}

/* A limit that cuts a burst in two, then refuses whole bursts. */
static int
test_small_limit(void)
{
	return burst_limit("dl_small", 70, 4);
}

/* Under the limit, nothing is refused. */
static int
test_under_limit(void)
{
	return burst_limit("dl_under", 200, 3);
}

static int
test_limit_param(void)
{
	SN_ASSERT_EQ(sn_qdisc_max_burst(), SN_QDISC_MAX_BURST);
	SN_ASSERT_EQ(SN_QDISC_MAX_BURST, 1000);
	SN_ASSERT_EQ(sn_qdisc_max_burst_set(0), -EINVAL);
	SN_ASSERT_EQ(sn_qdisc_max_burst_set(SN_QDISC_MAX_BURST_MAX + 1), -EINVAL);
	SN_ASSERT_EQ(sn_qdisc_max_burst(), SN_QDISC_MAX_BURST);
	return 0;
}

int
main(void)
{
	sn_test_init("defer_list", "0-1", NULL);
	mp = sn_test_pool("defer_list", 4096);
	sd = sn_softnet_attach();
	if (mp == NULL || sd == NULL)
		return SN_TEST_FAIL;
	pfifo_ops = sn_qdisc_lookup("pfifo");
	if (pfifo_ops == NULL)
		return SN_TEST_FAIL;
	spy_ops = *pfifo_ops;
	snprintf(spy_ops.id, sizeof(spy_ops.id), "spy_pfifo");
	spy_ops.init = spy_init;
	if (sn_qdisc_register(&spy_ops) != 0)
		return SN_TEST_FAIL;
	SN_RUN(test_limit_param);
	if (sn_test_worker() >= RTE_MAX_LCORE) {
		printf("SKIP: needs 2 lcores\n");
		return SN_TEST_SKIP;
	}
	SN_RUN(test_default_limit);
	SN_RUN(test_small_limit);
	SN_RUN(test_under_limit);
	sn_softnet_detach(sd);
	if (sn_test_pool_check(mp, 0) != 0)
		return SN_TEST_FAIL;
	sn_test_fini();
	return SN_TEST_PASS;
}
