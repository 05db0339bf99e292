/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Asynchronous interrupt storm (reference/000 in userspace): an lcore runs a
 * process-context generator that transmits through a qdisc (pfifo_fast on a
 * net_null device) as fast as it can, while a storm thread delivers its RX
 * interrupt as a signal at random instants, thousands of times a second. The
 * signal handler raises NET_RX; softirqs run at its exit whenever the
 * generator had them enabled, so the RX callback (which reflects what it
 * receives and allocates one more packet per burst, in softirq context)
 * transmits on the same qdisc from inside the interrupted generator. The
 * generator also spends some of its time in sn_local_irq_save() sections,
 * where interrupts must be held back and replayed.
 *
 * Pass: no deadlock (a watchdog thread fails the test if the lcore stops
 * making progress), no validator report (build with -Dlockdep=true), every
 * pushed packet received, every packet accounted for (processed = generator
 * + callback, sent + dropped = processed), both pools back to baseline.
 */

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <rte_ethdev.h>
#include <rte_lcore.h>

#include "sn_ethdev.h"
#include "sn_test.h"

#define STORM_SECONDS 4

static volatile bool stop, storm_stop;
static struct sn_netdev *out;
static struct rte_mempool *gen_pool, *rx_pool;
static uint16_t ring_port;

/* Written by the lcore (process context) */
static uint64_t gen_handed, gen_accepted, progress, irqoff_sections, replays_seen;
/* Written by the RX callback (softirq context) */
static volatile int plain; /* the generator is in a softirqs-on section */
static uint64_t cb_preempted;
static uint64_t cb_received, cb_handed, cb_alloc_fail, cb_in_hardirq, cb_not_softirq;
/* Written by the storm thread */
static uint64_t pushed, irqs_sent;

static void
reflect(struct sn_softnet *sd, uint16_t port, uint16_t queue, struct rte_mbuf **pkts,
	uint16_t n, void *arg)
{
	struct rte_mbuf *extra;

	RTE_SET_USED(port);
	RTE_SET_USED(queue);
	RTE_SET_USED(arg);
	if (sn_in_hardirq(sd))
		cb_in_hardirq++;
	if (!sn_in_serving_softirq(sd))
		cb_not_softirq++;
	if (plain)
		cb_preempted++; /* ran at irq_exit, over the generator's process context */
	cb_received += n;
	cb_handed += n;
	sn_xmit_burst(sd, out, 0, pkts, n);
	/* Allocation in softirq context, from the generator's pool. */
	extra = rte_pktmbuf_alloc(gen_pool);
	if (extra == NULL) {
		cb_alloc_fail++;
		return;
	}
	rte_pktmbuf_append(extra, 64);
	cb_handed++;
	sn_xmit(sd, out, 0, extra);
}

static unsigned int
generator(struct sn_softnet *sd, void *arg)
{
	struct rte_mbuf *pkts[16];
	int rc;

	RTE_SET_USED(arg);
	__atomic_store_n(&progress, progress + 1, __ATOMIC_RELAXED);
	if ((progress & 15) == 0) {
		/* Hardirqs off for a while: signals must be held back, then replayed. */
		uint32_t flags = sn_local_irq_save(sd);

		for (volatile int i = 0; i < 2000; i++)
			;
		if (sn_irq_pending() != 0)
			replays_seen++;
		irqoff_sections++;
		sn_local_irq_restore(sd, flags);
	}
	/* Softirqs on, nothing of softnet's held: where irq_exit may run them. */
	plain = 1;
	for (volatile int i = 0; i < 500; i++)
		;
	plain = 0;
	sn_local_bh_disable(sd);
	rc = rte_pktmbuf_alloc_bulk(gen_pool, pkts, RTE_DIM(pkts));
	sn_local_bh_enable(sd);
	if (rc != 0)
		return 1;
	for (unsigned int i = 0; i < RTE_DIM(pkts); i++)
		rte_pktmbuf_append(pkts[i], 64);
	gen_handed += RTE_DIM(pkts);
	gen_accepted += sn_xmit_burst(sd, out, 0, pkts, RTE_DIM(pkts));
	return 1;
}

static int
lcore_main(void *arg)
{
	static const struct sn_rx_loop_conf lc = { .work = generator };

	RTE_SET_USED(arg);
	return sn_rx_lcore_loop(&stop, &lc);
}

static void *
storm(void *arg)
{
	unsigned int seed = (unsigned int)getpid();

	RTE_SET_USED(arg);
	while (!__atomic_load_n(&storm_stop, __ATOMIC_ACQUIRE)) {
		struct rte_mbuf *pkts[8];
		unsigned int k = 1 + rand_r(&seed) % 8;
		struct timespec ts = { 0, (long)(rand_r(&seed) % 300) * 1000 };

		if (rte_pktmbuf_alloc_bulk(rx_pool, pkts, k) == 0) {
			uint16_t sent;

			for (unsigned int i = 0; i < k; i++)
				rte_pktmbuf_append(pkts[i], 64);
			sent = rte_eth_tx_burst(ring_port, 0, pkts, (uint16_t)k);
			if (sent < k)
				rte_pktmbuf_free_bulk(pkts + sent, k - sent);
			__atomic_fetch_add(&pushed, sent, __ATOMIC_RELAXED);
		}
		if (sn_rx_queue_irq(ring_port, 0) == 0)
			__atomic_fetch_add(&irqs_sent, 1, __ATOMIC_RELAXED);
		nanosleep(&ts, NULL);
	}
	return NULL;
}

static void *
watchdog(void *arg)
{
	uint64_t last = 0;
	int still = 0;

	RTE_SET_USED(arg);
	while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
		uint64_t now;

		usleep(100000);
		now = __atomic_load_n(&progress, __ATOMIC_RELAXED);
		still = now == last ? still + 1 : 0;
		last = now;
		if (still >= 30) {
			static const char msg[] = "FAIL: deadlock: the lcore made no progress for 3 s\n";

			if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0)
				_exit(SN_TEST_FAIL);
			_exit(SN_TEST_FAIL);
		}
	}
	return NULL;
}

int
main(void)
{
	struct sn_ethdev_conf ec = { .nb_rxq = 1, .nb_txq = 1, .nb_rx_desc = 1024 };
	struct sn_softnet_stats st;
	struct sn_rx_lcore_stats ls;
	struct sn_rx_queue_stats qs;
	struct sn_netdev *ring_dev;
	pthread_t storm_thr, wd_thr;
	unsigned int rx_lcore, base_gen, base_rx;
	uint16_t null_port;

	alarm(120);
	sn_test_init("rx_async_storm", "0-1", "--vdev net_ring0 --vdev net_null0");
	gen_pool = sn_test_pool("storm_gen", 8192);
	rx_pool = sn_test_pool("storm_rx", 8192);
	SN_ASSERT(gen_pool != NULL && rx_pool != NULL, "pools");
	base_gen = rte_mempool_in_use_count(gen_pool);
	base_rx = rte_mempool_in_use_count(rx_pool);
	SN_ASSERT_EQ(rte_eth_dev_get_port_by_name("net_ring0", &ring_port), 0);
	SN_ASSERT_EQ(rte_eth_dev_get_port_by_name("net_null0", &null_port), 0);
	ec.rx_pool = rx_pool;
	ring_dev = sn_ethdev_open(ring_port, "ring", &ec);
	SN_ASSERT(ring_dev != NULL, "ring");
	out = sn_ethdev_open(null_port, "null", &(struct sn_ethdev_conf){ .nb_txq = 1 });
	SN_ASSERT(out != NULL, "null");

	SN_ASSERT_EQ(sn_rx_async_enable(0), 0);
	SN_ASSERT_EQ(sn_rx_async_enable(0), -EALREADY);
	rx_lcore = rte_get_next_lcore(-1, 1, 0);
	SN_ASSERT_EQ(sn_rx_queue_add(ring_port, 0, rx_lcore,
				     &(struct sn_rx_queue_conf){ .mode = SN_RX_INTERRUPT,
								 .async = true, .soft_irq = true,
								 .cb = reflect }), 0);
	SN_ASSERT_EQ(rte_eal_remote_launch(lcore_main, NULL, rx_lcore), 0);
	SN_ASSERT_EQ(pthread_create(&wd_thr, NULL, watchdog, NULL), 0);
	usleep(100000);
	SN_ASSERT_EQ(pthread_create(&storm_thr, NULL, storm, NULL), 0);
	sleep(STORM_SECONDS);
	__atomic_store_n(&storm_stop, true, __ATOMIC_RELEASE);
	pthread_join(storm_thr, NULL);
	/* Everything pushed must arrive (one last interrupt for the tail). */
	for (int i = 0; i < 2000 && __atomic_load_n(&cb_received, __ATOMIC_RELAXED) < pushed; i++) {
		sn_rx_queue_irq(ring_port, 0);
		usleep(1000);
	}
	__atomic_store_n(&stop, true, __ATOMIC_RELEASE);
	SN_ASSERT_EQ(rte_eal_wait_lcore(rx_lcore), 0);
	pthread_join(wd_thr, NULL);

	SN_ASSERT_EQ(sn_softnet_stats_get(rx_lcore, &st), 0);
	SN_ASSERT_EQ(sn_rx_lcore_stats_get(rx_lcore, &ls), 0);
	SN_ASSERT_EQ(sn_rx_queue_stats_get(ring_port, 0, &qs), 0);
	printf("storm: %" PRIu64 " interrupts sent, %" PRIu64 " signals, %" PRIu64
	       " hardirqs served, %" PRIu64 " pushed, %" PRIu64 " received; polls %" PRIu64
	       ", time_squeeze %" PRIu64 "\n",
	       irqs_sent, ls.signals, ls.hardirqs, pushed, cb_received, qs.polls, qs.time_squeeze);
	printf("generator: %" PRIu64 " handed (%" PRIu64 " accepted), %" PRIu64
	       " irq-off sections (%" PRIu64 " with an interrupt held back); callback handed %" PRIu64
	       ", %" PRIu64 " callback runs preempted process context"
	       "; lcore: processed %" PRIu64 ", sent %" PRIu64 ", dropped %" PRIu64 "; validator %s, %"
	       PRIu64 " reports\n",
	       gen_handed, gen_accepted, irqoff_sections, replays_seen, cb_handed, cb_preempted, st.processed,
	       st.sent, st.dropped, sn_lockdep_enabled() ? "on" : "off", sn_lockdep_report_count());
	SN_ASSERT(irqs_sent >= 1000 * STORM_SECONDS, "storm too weak: %" PRIu64, irqs_sent);
	/*
	 * A standard signal sent while one is pending merges with it (POSIX): on
	 * a busy host, where the lcore waits for a CPU, most of the storm
	 * coalesces. What must hold is that the storm got through, often:
	 * a hundred deliveries a second at least (thousands on a quiet host).
	 */
	SN_ASSERT(ls.signals >= 100 * STORM_SECONDS, "signals %" PRIu64 " of %" PRIu64 " sent",
		  ls.signals, irqs_sent);
	SN_ASSERT_EQ(cb_received, pushed);
	SN_ASSERT_EQ(cb_in_hardirq, 0);
	SN_ASSERT_EQ(cb_not_softirq, 0);
	SN_ASSERT_EQ(st.processed, gen_handed + cb_handed);
	SN_ASSERT_EQ(st.sent + st.dropped, st.processed);
	SN_ASSERT(replays_seen > 0, "no interrupt ever arrived in an irq-off section");
	SN_ASSERT(cb_preempted > 0, "softirqs never ran at irq_exit over process context");
	SN_ASSERT_EQ(sn_lockdep_report_count(), 0);

	sn_rx_async_disable();
	SN_ASSERT_EQ(sn_rx_queue_del(ring_port, 0), 0);
	sn_ethdev_close(ring_dev, NULL);
	sn_ethdev_close(out, NULL);
	if (sn_test_pool_check(gen_pool, base_gen) != 0 || sn_test_pool_check(rx_pool, base_rx) != 0)
		return SN_TEST_FAIL;
	rte_mempool_free(gen_pool);
	rte_mempool_free(rx_pool);
	alarm(0);
	sn_test_fini();
	return SN_TEST_PASS;
}
