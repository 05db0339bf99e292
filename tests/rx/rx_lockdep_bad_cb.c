/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A deliberately wrong RX callback: it takes a user lock with plain
 * sn_spin_lock() in softirq context, and the lcore's process-context work
 * takes the same lock with plain sn_spin_lock(), softirqs enabled. Were an
 * interrupt to run NET_RX while process context holds it, the lcore would
 * spin on itself for ever. The validator must report it ("inconsistent lock
 * state", {SOFTIRQ-ON-W} -> {IN-SOFTIRQ-W}) naming both sites, and the run
 * must still complete. Skips without the validator (-Dlockdep=true).
 */

#include <string.h>
#include <unistd.h>

#include <rte_ethdev.h>
#include <rte_lcore.h>

#include "sn_ethdev.h"
#include "sn_test.h"

static volatile bool stop;
static struct sn_spinlock user_lock;
static uint64_t user_counter, received;
static char report[8192];
static unsigned int nreports;
static enum sn_lockdep_report_kind report_kind;

static void
on_report(enum sn_lockdep_report_kind kind, const char *text, void *arg)
{
	RTE_SET_USED(arg);
	if (nreports++ == 0) {
		report_kind = kind;
		snprintf(report, sizeof(report), "%s", text);
	}
}

/* Global, so that the validator's dladdr() names them in the report. */
void bad_rx_callback(struct sn_softnet *sd, uint16_t port, uint16_t queue, struct rte_mbuf **pkts,
		     uint16_t n, void *arg);
unsigned int process_work(struct sn_softnet *sd, void *arg);

__attribute__((noinline)) void
bad_rx_callback(struct sn_softnet *sd, uint16_t port, uint16_t queue, struct rte_mbuf **pkts,
		uint16_t n, void *arg)
{
	RTE_SET_USED(sd);
	RTE_SET_USED(port);
	RTE_SET_USED(queue);
	RTE_SET_USED(arg);
	sn_spin_lock(&user_lock); /* wrong: process context takes it with softirqs on */
	user_counter += n;
	sn_spin_unlock(&user_lock);
	received += n;
	rte_pktmbuf_free_bulk(pkts, n);
}

__attribute__((noinline)) unsigned int
process_work(struct sn_softnet *sd, void *arg)
{
	RTE_SET_USED(sd);
	RTE_SET_USED(arg);
	sn_spin_lock(&user_lock); /* softirqs enabled */
	user_counter++;
	sn_spin_unlock(&user_lock);
	return 0;
}

static int
lcore_main(void *arg)
{
	static const struct sn_rx_loop_conf lc = { .work = process_work, .max_sleep_ms = 5 };

	RTE_SET_USED(arg);
	return sn_rx_lcore_loop(&stop, &lc);
}

int
main(void)
{
	struct sn_ethdev_conf ec = { .nb_rxq = 1, .nb_txq = 1 };
	struct rte_mempool *mp;
	struct rte_mbuf *pkts[16];
	struct sn_netdev *dev;
	unsigned int rx_lcore, baseline;
	uint16_t port;

	sn_test_init("rx_ld_bad_cb", "0-1", "--vdev net_ring0");
	if (!sn_lockdep_enabled()) {
		printf("SKIP: the validator is not compiled in (-Dlockdep=true)\n");
		sn_test_fini();
		return SN_TEST_SKIP;
	}
	sn_lockdep_set_report_cb(on_report, NULL);
	sn_spin_lock_init(&user_lock);
	mp = sn_test_pool("rx_ld_bad_pool", 2048);
	SN_ASSERT(mp != NULL, "pool");
	baseline = rte_mempool_in_use_count(mp);
	SN_ASSERT_EQ(rte_eth_dev_get_port_by_name("net_ring0", &port), 0);
	ec.rx_pool = mp;
	dev = sn_ethdev_open(port, "ring", &ec);
	SN_ASSERT(dev != NULL, "open");
	rx_lcore = rte_get_next_lcore(-1, 1, 0);
	SN_ASSERT_EQ(sn_rx_queue_add(port, 0, rx_lcore,
				     &(struct sn_rx_queue_conf){ .cb = bad_rx_callback }), 0);
	SN_ASSERT_EQ(rte_eal_remote_launch(lcore_main, NULL, rx_lcore), 0);
	usleep(50000);
	SN_ASSERT_EQ(sn_test_alloc(mp, pkts, RTE_DIM(pkts), 64, 0, 0), 0);
	SN_ASSERT_EQ(rte_eth_tx_burst(port, 0, pkts, RTE_DIM(pkts)), RTE_DIM(pkts));
	for (int i = 0; i < 2000 && __atomic_load_n(&received, __ATOMIC_RELAXED) < RTE_DIM(pkts); i++)
		usleep(1000);
	usleep(50000);
	stop = true;
	SN_ASSERT_EQ(rte_eal_wait_lcore(rx_lcore), 0);
	SN_ASSERT_EQ(received, RTE_DIM(pkts));

	printf("%u report(s); the first:\n%s\n", nreports, report);
	SN_ASSERT(nreports >= 1, "the validator stayed silent");
	SN_ASSERT_EQ(report_kind, SN_LOCKDEP_INCONSISTENT);
	SN_ASSERT(strstr(report, "SOFTIRQ-ON-W") != NULL && strstr(report, "IN-SOFTIRQ-W") != NULL,
		  "usage states missing");
	SN_ASSERT(strstr(report, "bad_rx_callback") != NULL, "callback site missing");
	SN_ASSERT(strstr(report, "process_work") != NULL, "process-context site missing");

	SN_ASSERT_EQ(sn_rx_queue_del(port, 0), 0);
	sn_ethdev_close(dev, NULL);
	if (sn_test_pool_check(mp, baseline) != 0)
		return SN_TEST_FAIL;
	rte_mempool_free(mp);
	/* The report was the point: forget it so that the common check passes. */
	sn_lockdep_set_report_cb(NULL, NULL);
	sn_lockdep_reset();
	sn_test_fini();
	return SN_TEST_PASS;
}
