/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The fault-injection campaign's shared harness: two lcores of traffic into
 * a shared and per-lcore transmit queues, the deadline, the clean stop and
 * the invariant checks (see fault.h).
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_pause.h>

#include "fault.h"
#include "sn_test_util.h"

/* The counters are plain uint64_t throughout: deltas are taken field by field. */
static_assert(sizeof(struct sn_softnet_stats) % sizeof(uint64_t) == 0,
	      "struct sn_softnet_stats is made of uint64_t counters");
#define FAULT_NB_COUNTERS (sizeof(struct sn_softnet_stats) / sizeof(uint64_t))

static const char *volatile fault_cur_phase = "init";
static const char *fault_name = "fault";
static double fault_deadline_s;
static struct timespec fault_t_start;
static volatile int fault_exiting;

static double
fault_env_double(const char *var, double dflt)
{
	const char *v = getenv(var);
	char *end;
	double d;

	if (v == NULL || *v == '\0')
		return dflt;
	d = strtod(v, &end);
	if (*end != '\0' || d <= 0) {
		fprintf(stderr, "%s=%s: not a positive number, using %g\n", var, v, dflt);
		return dflt;
	}
	return d;
}

double
fault_seconds(void)
{
	return fault_env_double("SN_FAULT_SECONDS", 1.5);
}

uint64_t
fault_iters(uint64_t dflt)
{
	return (uint64_t)fault_env_double("SN_FAULT_ITERS", (double)dflt);
}

void
fault_phase(const char *phase)
{
	fault_cur_phase = phase;
}

static double
fault_elapsed(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - fault_t_start.tv_sec) +
	       (double)(now.tv_nsec - fault_t_start.tv_nsec) / 1e9;
}

/*
 * The watchdog: a plain thread (not an lcore, so a hung lcore cannot stop
 * it) that fails the program once the deadline passes.
 */
static void *
fault_watchdog(void *arg)
{
	RTE_SET_USED(arg);
	while (!fault_exiting) {
		struct timespec ts = { .tv_sec = 0, .tv_nsec = 50 * 1000 * 1000 };

		nanosleep(&ts, NULL);
		if (fault_elapsed() > fault_deadline_s && !fault_exiting) {
			fprintf(stderr, "FAIL: %s: deadline of %.0f s passed in phase '%s' (a hang)\n",
				fault_name, fault_deadline_s, fault_cur_phase);
			fflush(stderr);
			_exit(SN_TEST_FAIL);
		}
	}
	return NULL;
}

void
fault_init(const char *name, const char *extra)
{
	pthread_t tid;

	fault_name = name;
	clock_gettime(CLOCK_MONOTONIC, &fault_t_start);
	fault_deadline_s = fault_env_double("SN_FAULT_DEADLINE", 30 + 3 * fault_seconds());
	if (pthread_create(&tid, NULL, fault_watchdog, NULL) != 0) {
		fprintf(stderr, "FAIL: cannot start the watchdog\n");
		exit(SN_TEST_FAIL);
	}
	pthread_detach(tid);
	fault_phase("EAL init");
	sn_test_init(name, "0-1", extra);
	if (sn_test_worker() >= RTE_MAX_LCORE) {
		printf("SKIP: needs 2 lcores\n");
		exit(SN_TEST_SKIP);
	}
	printf("%s: at least %.1f s of faults, deadline %.0f s, lock validator %s\n", name,
	       fault_seconds(), fault_deadline_s, sn_lockdep_enabled() ? "on" : "off");
	fault_phase("set-up");
}

int
fault_exit(void)
{
	fault_phase("fini");
	sn_test_fini();
	fault_exiting = 1;
	return SN_TEST_PASS;
}

struct rte_mempool *
fault_pool(const char *name, unsigned int n)
{
	return sn_test_pool(name, n);
}

void
fault_step(struct fault_run *r, struct fault_lcore *l)
{
	struct rte_mbuf *pkts[FAULT_BURST];
	uint16_t n = (uint16_t)(1 + (l->steps * 7 + l->idx * 3) % FAULT_BURST);
	uint16_t txq = (l->steps & 1) ? l->own_txq : 0;

	l->steps++;
	if (l->sd == NULL)
		return;
	if (sn_test_alloc(r->mp, pkts, n, FAULT_FRAME_LEN, (uint32_t)(l->seq & 15), l->seq) != 0) {
		l->alloc_fail++;
	} else {
		for (uint16_t i = 0; i < n; i++)
			sn_test_set_tag(pkts[i], l->lcore);
		if (n == 1) {
			int rc = sn_xmit(l->sd, r->dev, txq, pkts[0]);

			if (rc == SN_XMIT_SUCCESS || rc == SN_XMIT_CN)
				l->accepted++;
		} else {
			l->accepted += sn_xmit_burst(l->sd, r->dev, txq, pkts, n);
		}
		l->handed += n;
		l->seq += n;
	}
	sn_softnet_poll(l->sd);
	if (r->step_hook != NULL)
		r->step_hook(r, l);
}

void
fault_pump(struct fault_run *r, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		fault_step(r, &r->lc[0]);
}

void
fault_pump_us(struct fault_run *r, uint64_t us)
{
	uint64_t end = rte_get_timer_cycles() + us * rte_get_timer_hz() / 1000000;

	do
		fault_step(r, &r->lc[0]);
	while (rte_get_timer_cycles() < end);
}

bool
fault_more(struct fault_run *r, uint64_t iter, uint64_t min_iters)
{
	double secs = (double)(rte_get_timer_cycles() - r->t0) / (double)rte_get_timer_hz();

	return secs < fault_seconds() || iter < fault_iters(min_iters);
}

static int
fault_worker(void *arg)
{
	struct fault_run *r = arg;
	struct fault_lcore *l = &r->lc[1];

	l->sd = sn_softnet_attach();
	if (l->sd == NULL) {
		l->rc = -rte_errno;
		return -1;
	}
	while (!__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE)) {
		if (r->worker_fault != NULL)
			r->worker_fault(r, l);
		fault_step(r, l);
	}
	/* The clean stop: no more traffic, keep running deferred work. */
	while (!__atomic_load_n(&r->done, __ATOMIC_ACQUIRE)) {
		if (l->sd != NULL) {
			sn_softnet_poll(l->sd);
			l->idle = !sn_softnet_has_work(l->sd);
		} else {
			l->idle = 1;
		}
		if (r->step_hook != NULL)
			r->step_hook(r, l);
		rte_pause();
	}
	if (l->sd != NULL) {
		sn_test_drain(l->sd);
		l->rc = sn_softnet_detach(l->sd);
		l->sd = NULL;
	}
	return 0;
}

int
fault_start(struct fault_run *r, struct sn_netdev *dev, struct rte_mempool *mp)
{
	unsigned int wl = sn_test_worker();

	r->dev = dev;
	r->mp = mp;
	r->pool_base = rte_mempool_in_use_count(mp);
	r->lc[0].lcore = rte_lcore_id();
	r->lc[0].idx = 0;
	r->lc[0].own_txq = 1;
	r->lc[1].lcore = wl;
	r->lc[1].idx = 1;
	r->lc[1].own_txq = 2;
	SN_ASSERT(sn_netdev_nb_txq(dev) >= 3, "the device needs 3 transmit queues");
	if (r->lc[0].sd == NULL)
		r->lc[0].sd = sn_softnet_current() != NULL ? sn_softnet_current() :
							    sn_softnet_attach();
	SN_ASSERT(r->lc[0].sd != NULL, "attach: %s", rte_strerror(rte_errno));
	for (unsigned int i = 0; i < 2; i++)
		SN_ASSERT_EQ(sn_softnet_stats_get(r->lc[i].lcore, &r->lc[i].base), 0);
	sn_softnet_stats_sum(&r->base);
	r->t0 = rte_get_timer_cycles();
	fault_phase("faults");
	SN_ASSERT_EQ(rte_eal_remote_launch(fault_worker, r, wl), 0);
	return 0;
}

static void
fault_delta(struct sn_softnet_stats *d, const struct sn_softnet_stats *now,
	    const struct sn_softnet_stats *base)
{
	const uint64_t *a = (const uint64_t *)now, *b = (const uint64_t *)base;
	uint64_t *o = (uint64_t *)d;

	for (size_t i = 0; i < FAULT_NB_COUNTERS; i++)
		o[i] = a[i] - b[i];
}

/* Packets queued in @dev's root qdiscs now (down or up). */
static uint64_t
fault_queued(struct sn_netdev *dev)
{
	struct sn_netdev_stats ds;

	if (sn_netdev_stats(dev, &ds) != 0)
		return UINT64_MAX;
	return ds.qdisc.qstats.qlen;
}

static void
fault_print(const char *what, const struct sn_softnet_stats *d)
{
	printf("%s: processed %" PRIu64 " sent %" PRIu64 " dropped %" PRIu64 " (invalid %" PRIu64
	       " down %" PRIu64 " deactivated %" PRIu64 " qdisc %" PRIu64 " dead_loop %" PRIu64
	       " noqueue %" PRIu64 ") requeued %" PRIu64 " queue_stopped %" PRIu64
	       " collisions %" PRIu64 " busylock %" PRIu64 " resched %" PRIu64 "\n", what,
	       d->processed, d->sent, d->dropped, d->drop_invalid, d->drop_down,
	       d->drop_deactivated, d->drop_qdisc, d->drop_dead_loop, d->drop_noqueue, d->requeued,
	       d->queue_stopped, d->cpu_collision, d->busylock, d->resched);
}

int
fault_stop_and_check(struct fault_run *r)
{
	struct fault_lcore *m = &r->lc[0], *w = &r->lc[1];
	struct sn_softnet_stats now, d;
	struct sn_netdev_stats ds;
	uint64_t handed = 0, accepted = 0, queued, t_end, iter = 0;
	unsigned int wl = w->lcore;
	int fail = 0;

	fault_phase("clean stop: traffic ends");
	__atomic_store_n(&r->stop, 1, __ATOMIC_RELEASE);
	if (r->undo != NULL)
		r->undo(r, m);
	/*
	 * Poll until neither lcore has work and nothing is queued, for at most
	 * two seconds: a packet still queued then has nothing due to run it.
	 */
	fault_phase("clean stop: draining");
	t_end = rte_get_timer_cycles() + 2 * rte_get_timer_hz();
	for (;;) {
		sn_softnet_poll(m->sd);
		if (r->step_hook != NULL)
			r->step_hook(r, m);
		if ((++iter & 255) == 0) {
			queued = fault_queued(r->dev);
			if (!sn_softnet_has_work(m->sd) && w->idle && queued == 0)
				break;
			if (rte_get_timer_cycles() > t_end)
				break;
		}
	}
	__atomic_store_n(&r->done, 1, __ATOMIC_RELEASE);
	fault_phase("clean stop: waiting for the worker");
	while (rte_eal_get_lcore_state(wl) != WAIT)
		sn_softnet_poll(m->sd);
	rte_eal_wait_lcore(wl);
	sn_test_drain(m->sd);
	fault_phase("checks");

	sn_softnet_stats_sum(&now);
	fault_delta(&d, &now, &r->base);
	queued = fault_queued(r->dev);
	for (unsigned int i = 0; i < 2; i++) {
		struct fault_lcore *l = &r->lc[i];
		struct sn_softnet_stats st, dl;

		sn_softnet_stats_get(l->lcore, &st);
		fault_delta(&dl, &st, &l->base);
		printf("lcore %u: steps %" PRIu64 " handed %" PRIu64 " accepted %" PRIu64
		       " alloc_fail %" PRIu64 " reattach %" PRIu64 " detach_busy %" PRIu64
		       " | processed %" PRIu64 " sent %" PRIu64 " dropped %" PRIu64 "\n",
		       l->lcore, l->steps, l->handed, l->accepted, l->alloc_fail, l->reattach,
		       l->detach_busy, dl.processed, dl.sent, dl.dropped);
		handed += l->handed;
		accepted += l->accepted;
		if (dl.processed != l->handed) {
			fprintf(stderr, "FAIL: lcore %u: processed %" PRIu64 " != handed %" PRIu64
				"\n", l->lcore, dl.processed, l->handed);
			fail = 1;
		}
	}
	fault_print("all lcores", &d);
	SN_ASSERT_EQ(sn_netdev_stats(r->dev, &ds), 0);
	printf("qdiscs: sent %" PRIu64 " drops %" PRIu64 " requeues %" PRIu64 " queued %" PRIu64
	       " tx_stopped %" PRIu64 "\n", ds.qdisc.bstats.packets, ds.qdisc.qstats.drops,
	       ds.qdisc.qstats.requeues, ds.qdisc.qstats.qlen, ds.tx_stopped);
	fflush(stdout);

	if (w->rc != 0) {
		fprintf(stderr, "FAIL: worker lcore %u: rc %d (%s)%s\n", wl, w->rc,
			strerror(-w->rc),
			w->rc == -EBUSY ? ": work still pending at its final detach" : "");
		fail = 1;
	}
	if (handed == 0 || m->handed == 0 || w->handed == 0) {
		fprintf(stderr, "FAIL: an lcore hardly transmitted: test too weak\n");
		fail = 1;
	}
	/* The core invariant: every packet handed over is accounted for once. */
	if (handed != d.sent + d.dropped + queued) {
		fprintf(stderr, "FAIL: handed %" PRIu64 " != sent %" PRIu64 " + dropped %" PRIu64
			" + queued %" PRIu64 " (off by %" PRId64 ")\n", handed, d.sent, d.dropped,
			queued, (int64_t)(handed - d.sent - d.dropped - queued));
		fail = 1;
	}
	if (d.processed != handed) {
		fprintf(stderr, "FAIL: processed %" PRIu64 " != handed %" PRIu64 "\n", d.processed,
			handed);
		fail = 1;
	}
	/* What sn_xmit*() refused on the spot is part of what was counted dropped. */
	if (handed - accepted > d.dropped) {
		fprintf(stderr, "FAIL: %" PRIu64 " refused by the calls but only %" PRIu64
			" counted dropped\n", handed - accepted, d.dropped);
		fail = 1;
	}
	/*
	 * Drops by reason. The drop_* fields exist in every version of the
	 * engine; with drop reasons (enum sn_drop_reason) drops[] is the truth
	 * and must add up to dropped too.
	 */
	if (d.dropped != d.drop_invalid + d.drop_down + d.drop_deactivated + d.drop_qdisc +
			 d.drop_dead_loop + d.drop_noqueue) {
		fprintf(stderr, "FAIL: dropped %" PRIu64 " != the sum of the drop_* counters\n",
			d.dropped);
		fail = 1;
	}
#ifdef FAULT_HAVE_DROP_REASONS
	{
		uint64_t by_reason = 0;

		for (unsigned int i = 0; i < SN_DROP_REASON_MAX; i++) {
			by_reason += d.drops[i];
			if (d.drops[i] != 0)
				printf("  drop reason %-16s %" PRIu64 "\n",
				       sn_drop_reason_name((enum sn_drop_reason)i), d.drops[i]);
		}
		if (by_reason != d.dropped) {
			fprintf(stderr, "FAIL: dropped %" PRIu64 " != %" PRIu64
				", the sum of drops[] by reason\n", d.dropped, by_reason);
			fail = 1;
		}
	}
#endif
	if (!r->no_qdisc_check) {
		/* The qdiscs (current and retired) saw the same traffic. */
		if (ds.qdisc.bstats.packets != d.sent) {
			fprintf(stderr, "FAIL: qdiscs sent %" PRIu64 " != softnet sent %" PRIu64 "\n",
				ds.qdisc.bstats.packets, d.sent);
			fail = 1;
		}
		/* Drops made before a qdisc was reached are not the qdiscs'. */
		if (ds.qdisc.qstats.drops != d.dropped - d.drop_down - d.drop_invalid) {
			fprintf(stderr, "FAIL: qdiscs dropped %" PRIu64 " != softnet dropped %" PRIu64
				" less down %" PRIu64 " and invalid %" PRIu64 "\n",
				ds.qdisc.qstats.drops, d.dropped, d.drop_down, d.drop_invalid);
			fail = 1;
		}
	}
	if (!r->queued_ok && queued != 0) {
		fprintf(stderr, "FAIL: %" PRIu64 " packets still queued after a clean stop "
			"(nothing due to run them)\n", queued);
		for (uint16_t q = 0; q < sn_netdev_nb_txq(r->dev); q++) {
			struct sn_qdisc_info info;

			sn_qdisc_info(r->dev, q, &info);
			fprintf(stderr, "  txq %u: %s qlen %" PRIu64 " state 0x%x stopped %d\n", q,
				info.kind, info.stats.qstats.qlen, info.state,
				sn_netdev_txq_stopped(r->dev, q));
		}
		fail = 1;
	}
	if (sn_lockdep_report_count() != 0) {
		fprintf(stderr, "FAIL: %" PRIu64 " lock validator report(s)\n",
			sn_lockdep_report_count());
		fail = 1;
	}
	return fail ? SN_TEST_FAIL : 0;
}

int
fault_finish(struct fault_run *r)
{
	struct fault_lcore *m = &r->lc[0];
	int rc;

	fault_phase("finish");
	sn_test_drain(m->sd);
	rc = sn_softnet_detach(m->sd);
	m->sd = NULL;
	SN_ASSERT_EQ(rc, 0);
	if (sn_test_pool_check(r->mp, r->pool_base) != 0)
		return SN_TEST_FAIL;
	SN_ASSERT_EQ(sn_lockdep_report_count(), 0);
	return 0;
}
