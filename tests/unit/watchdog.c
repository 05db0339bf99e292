/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The qdisc watchdog: a shaped qdisc with nothing else happening sends its
 * backlog on time, and a pending timer never strands or leaks a packet.
 *
 * - on_time: a tbf is filled once, then the lcore only polls. Each packet
 *   reaches the driver no earlier than the time its tokens exist (the
 *   bucket starts full at creation) and the last within its token time plus
 *   a small slack; the qdisc counts overlimits.
 * - replace / down: a tbf holding packets behind an armed timer is replaced
 *   (or its device taken down) by this very lcore: every packet is sent or
 *   dropped as deactivated, nothing is left queued, the timer is gone (the
 *   lcore has no work left) and the pool is back at its baseline.
 * - handover: lcore 1 fills a tbf and detaches with its timer armed; lcore 0,
 *   only polling, adopts it and sends the whole backlog on time.
 */

#include <string.h>

#include <rte_cycles.h>
#include <rte_launch.h>
#include <rte_pause.h>

#include "sn_test.h"
#include "sn_test_util.h"

#define NB 40
#define LEN 1000
#define SLACK_US 2000

/* 10 Mbit/s, a 3000-byte bucket: 3 packets at once, then one per 800 us. */
#define RATE_LINE "tbf rate 10mbit burst 3000 limit 100kb"
#define RATE_BPS 1250000
#define BURST 3000

static struct rte_mempool *mp;
static struct sn_softnet *sd;

/*
 * The watchdog is served by the poll loop: it cannot be more punctual than
 * the loop itself. A gap between two polls (the host taking the CPU away)
 * longer than the bucket lasts loses tokens, as a kernel tbf would: the
 * excess of each such gap is added to the slack.
 */
static uint64_t max_gap, lost;

static void
poll_until(struct sn_netdev *dev, uint64_t n)
{
	uint64_t deadline = rte_rdtsc() + rte_get_tsc_hz(), prev = rte_rdtsc();

	max_gap = 0;
	lost = 0;
	while (sn_test_netdev_ctl(dev)->accepted < n && prev < deadline) {
		uint64_t now;

		sn_softnet_poll(sd);
		now = rte_rdtsc();
		if (now - prev > (uint64_t)BURST * rte_get_tsc_hz() / RATE_BPS)
			lost += now - prev - (uint64_t)BURST * rte_get_tsc_hz() / RATE_BPS;
		max_gap = RTE_MAX(max_gap, now - prev);
		prev = now;
	}
}

/* Each xmit call: how many were accepted before it, and when (the hook runs first). */
#define MAX_CALLS (4 * NB)
static uint64_t call_tsc[MAX_CALLS], call_before[MAX_CALLS];
static unsigned int nb_calls;
static uint64_t sent_tsc[NB];
static uint64_t nb_sent_tsc;

static void
stamp(struct sn_netdev *dev, uint16_t txq, void *arg)
{
	struct sn_test_netdev *c = sn_test_netdev_ctl(dev);

	RTE_SET_USED(txq);
	RTE_SET_USED(arg);
	if (nb_calls < MAX_CALLS) {
		call_tsc[nb_calls] = rte_rdtsc();
		call_before[nb_calls++] = c->accepted;
	}
}

/* Packet i left in the last call that started with at most i accepted (all take all). */
static void
stamps_to_packets(uint64_t accepted)
{
	nb_sent_tsc = 0;
	for (uint64_t i = 0; i < accepted && i < NB; i++) {
		unsigned int k = 0;

		while (k + 1 < nb_calls && call_before[k + 1] <= i)
			k++;
		sent_tsc[nb_sent_tsc++] = call_tsc[k];
	}
}

/*
 * Check the stamps: packet i (bytes (i + 1) * LEN) no earlier than
 * @t0 + ((i + 1) * LEN - burst) / rate, the last no later than that plus
 * the slack after @t1.
 */
static int
check_times(uint64_t t0, uint64_t t1, uint64_t rate, uint64_t burst)
{
	const uint64_t hz = rte_get_tsc_hz();

	SN_ASSERT_EQ(nb_sent_tsc, NB);
	SN_ASSERT(nb_calls < MAX_CALLS, "too many calls");
	for (unsigned int i = 0; i < NB; i++) {
		uint64_t bytes = (uint64_t)(i + 1) * LEN;
		uint64_t due = bytes > burst ? (bytes - burst) * hz / rate : 0;

		SN_ASSERT(sent_tsc[i] + 1 >= t0 + due, "packet %u left %.1f us early", i,
			  (double)(t0 + due - sent_tsc[i]) * 1e6 / (double)hz);
		if (i == NB - 1)
			SN_ASSERT(sent_tsc[i] <= t1 + due + SLACK_US * hz / 1000000 + lost + max_gap,
				  "last packet %.1f us late (loop stalls: %.1f us of tokens lost, "
				  "longest %.1f us)",
				  (double)(sent_tsc[i] - t1 - due) * 1e6 / (double)hz,
				  (double)lost * 1e6 / (double)hz, (double)max_gap * 1e6 / (double)hz);
	}
	return 0;
}

static int
fill(struct sn_netdev *dev, struct sn_softnet *on)
{
	struct rte_mbuf *pkts[NB];

	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, NB, LEN, 0, 0), 0);
	SN_ASSERT_EQ(sn_xmit_burst(on, dev, 0, pkts, NB), NB);
	return 0;
}

static int
test_on_time(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = sn_test_netdev_create("wd_time", 1);
	uint64_t t0, t1;
	struct sn_qdisc_info info;

	SN_ASSERT(dev != NULL, "create");
	nb_calls = 0;
	sn_test_netdev_ctl(dev)->hook = stamp;
	t0 = rte_rdtsc();
	if (sn_test_qdisc_set(dev, 0, RATE_LINE, sd) != 0 || fill(dev, sd) != 0)
		return SN_TEST_FAIL;
	t1 = rte_rdtsc();
	SN_ASSERT(sn_test_netdev_ctl(dev)->accepted < NB, "not shaped");
	/* Nothing but polls from here. */
	poll_until(dev, NB);
	stamps_to_packets(sn_test_netdev_ctl(dev)->accepted);
	if (check_times(t0, t1, RATE_BPS, BURST) != 0)
		return SN_TEST_FAIL;
	info = sn_test_info(dev, 0);
	SN_ASSERT_EQ(info.stats.bstats.packets, NB);
	SN_ASSERT_EQ(info.stats.qstats.qlen, 0);
	SN_ASSERT(info.stats.qstats.overlimits > 0, "no overlimits");
	sn_test_drain(sd);
	SN_ASSERT(!sn_softnet_has_work(sd), "work left");
	sn_test_netdev_ctl(dev)->hook = NULL;
	return sn_test_dev_done(dev, sd, mp, base);
}

/* Replace (or take down) a tbf holding packets behind an armed timer. */
static int
retire_waiting(bool down)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = sn_test_netdev_create(down ? "wd_down" : "wd_repl", 1);
	struct sn_softnet_stats s0, s1;
	struct sn_netdev_stats ds;
	uint64_t sent;

	SN_ASSERT(dev != NULL, "create");
	if (sn_test_qdisc_set(dev, 0, "tbf rate 1mbit burst 2000 latency 1s", sd) != 0 ||
	    fill(dev, sd) != 0)
		return SN_TEST_FAIL;
	for (int i = 0; i < 100; i++)
		sn_softnet_poll(sd);
	sent = sn_test_netdev_ctl(dev)->accepted;
	SN_ASSERT(sent >= 2 && sent < NB, "%" PRIu64 " sent", sent);
	SN_ASSERT(sn_softnet_has_work(sd), "no timer armed");
	s0 = sn_test_stats(sd);
	if (down)
		SN_ASSERT_EQ(sn_netdev_down(dev, sd), 0);
	else if (sn_test_qdisc_set(dev, 0, "pfifo", sd) != 0)
		return SN_TEST_FAIL;
	s1 = sn_test_stats(sd);
	SN_ASSERT_EQ(s1.drop_deactivated - s0.drop_deactivated, NB - sent);
	SN_ASSERT_EQ(s1.dropped - s0.dropped, NB - sent);
	SN_ASSERT_EQ(sn_netdev_stats(dev, &ds), 0);
	SN_ASSERT_EQ(ds.qdisc.bstats.packets, sent);
	SN_ASSERT_EQ(ds.qdisc.qstats.drops, NB - sent);
	SN_ASSERT_EQ(ds.qdisc.qstats.qlen, 0);
	/* One poll frees the drops; then the timer must be gone: no work at all. */
	sn_softnet_poll(sd);
	SN_ASSERT(!sn_softnet_has_work(sd), "timer still armed");
	SN_ASSERT_EQ(rte_mempool_in_use_count(mp), base);
	SN_ASSERT_EQ(sn_test_netdev_ctl(dev)->accepted, sent);
	if (down)
		SN_ASSERT_EQ(sn_netdev_up(dev), 0);
	return sn_test_dev_done(dev, sd, mp, base);
}

static int
test_replace_waiting(void)
{
	return retire_waiting(false);
}

static int
test_down_waiting(void)
{
	return retire_waiting(true);
}

static struct {
	struct sn_netdev *dev;
	int rc;
	uint64_t t1;
} ho;

static int
handover_worker(void *arg)
{
	struct sn_softnet *wsd = sn_softnet_attach();

	RTE_SET_USED(arg);
	if (wsd == NULL) {
		ho.rc = -EPERM;
		return 0;
	}
	ho.rc = fill(ho.dev, wsd) != 0 ? -EIO : 0;
	ho.t1 = rte_rdtsc();
	/* The timer is armed here: detaching hands it over. */
	if (ho.rc == 0 && !sn_softnet_has_work(wsd))
		ho.rc = -ENOENT;
	sn_softnet_detach(wsd);
	return 0;
}

static int
test_detach_handover(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *dev = sn_test_netdev_create("wd_hand", 1);
	unsigned int wl = sn_test_worker();
	uint64_t t0;

	if (wl >= RTE_MAX_LCORE) {
		sn_test_netdev_free(dev, sd);
		return SN_TEST_SKIP;
	}
	SN_ASSERT(dev != NULL, "create");
	nb_calls = 0;
	sn_test_netdev_ctl(dev)->hook = stamp;
	ho.dev = dev;
	t0 = rte_rdtsc();
	if (sn_test_qdisc_set(dev, 0, RATE_LINE, sd) != 0)
		return SN_TEST_FAIL;
	SN_ASSERT_EQ(rte_eal_remote_launch(handover_worker, NULL, wl), 0);
	rte_eal_wait_lcore(wl);
	SN_ASSERT_EQ(ho.rc, 0);
	SN_ASSERT(sn_test_netdev_ctl(dev)->accepted < NB, "not shaped");
	poll_until(dev, NB);
	stamps_to_packets(sn_test_netdev_ctl(dev)->accepted);
	if (check_times(t0, ho.t1, RATE_BPS, BURST) != 0)
		return SN_TEST_FAIL;
	SN_ASSERT_EQ(sn_test_info(dev, 0).stats.qstats.qlen, 0);
	sn_test_drain(sd);
	sn_test_netdev_ctl(dev)->hook = NULL;
	return sn_test_dev_done(dev, sd, mp, base);
}

int
main(void)
{
	sn_test_init("watchdog", "0-1", NULL);
	mp = sn_test_pool("watchdog", 512);
	sd = sn_softnet_attach();
	if (mp == NULL || sd == NULL)
		return SN_TEST_FAIL;
	SN_RUN(test_on_time);
	SN_RUN(test_replace_waiting);
	SN_RUN(test_down_waiting);
	SN_RUN(test_detach_handover);
	sn_softnet_detach(sd);
	if (sn_test_pool_check(mp, 0) != 0)
		return SN_TEST_FAIL;
	sn_test_fini();
	return SN_TEST_PASS;
}
