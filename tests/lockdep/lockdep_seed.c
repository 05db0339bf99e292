/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The seed scenario (reference/003): a counter lock taken with a plain
 * sn_spin_lock() in process context and also from an RX-callback-like
 * softirq handler (NET_RX). The validator must report the inconsistent lock
 * state, naming both places; with sn_spin_lock_bh() in process context it
 * must stay silent.
 *
 * The functions that take the lock are global (not static) so that their
 * names appear in the symbolised stack traces (the test links -rdynamic).
 */

#include <string.h>

#include <rte_log.h>

#include "sn_test.h"

static struct sn_softnet *sd;
static struct sn_spinlock counter_lock;
static uint64_t counter;
static char report[16384];
static unsigned int nreports;

static void
capture(enum sn_lockdep_report_kind kind, const char *text, void *arg)
{
	RTE_SET_USED(kind);
	RTE_SET_USED(arg);
	if (nreports++ == 0)
		snprintf(report, sizeof(report), "%s", text);
}

void seed_count_process(void);
void seed_count_process_bh(void);
void seed_rx_callback(struct sn_softnet *s);

__attribute__((noinline)) void
seed_count_process(void)
{
	sn_spin_lock(&counter_lock);
	counter++;
	sn_spin_unlock(&counter_lock);
}

__attribute__((noinline)) void
seed_count_process_bh(void)
{
	sn_spin_lock_bh(sd, &counter_lock);
	counter++;
	sn_spin_unlock_bh(sd, &counter_lock);
}

/* NET_RX handler: what an RX callback does with the counter. */
__attribute__((noinline)) void
seed_rx_callback(struct sn_softnet *s)
{
	RTE_SET_USED(s);
	sn_spin_lock(&counter_lock);
	counter++;
	sn_spin_unlock(&counter_lock);
}

static void
run_rx(void)
{
	sn_raise_softirq(sd, SN_SOFTIRQ_NET_RX);
	sn_softnet_poll(sd);
}

static int
test_plain_lock_reported(void)
{
	sn_lockdep_reset();
	sn_spin_lock_init(&counter_lock);
	nreports = 0;
	seed_count_process();
	run_rx();
	SN_ASSERT_EQ(nreports, 1);
	SN_ASSERT_EQ(sn_lockdep_report_count_kind(SN_LOCKDEP_INCONSISTENT), 1);
	SN_ASSERT(strstr(report, "WARNING: inconsistent lock state") != NULL, "%s", report);
	SN_ASSERT(strstr(report, "inconsistent {SOFTIRQ-ON-W} -> {IN-SOFTIRQ-W} usage.") != NULL,
		  "%s", report);
	SN_ASSERT(strstr(report, "[HC0[0]:SC1[1]:HE1:SE0] takes:") != NULL, "%s", report);
	SN_ASSERT(strstr(report, "(&counter_lock){+.?.}-{2:2}, at: seed_rx_callback+") != NULL,
		  "%s", report);
	SN_ASSERT(strstr(report, "{SOFTIRQ-ON-W} state was registered at:") != NULL, "%s", report);
	SN_ASSERT(strstr(report, "seed_count_process+") != NULL, "%s", report);
	SN_ASSERT(strstr(report, "<Interrupt>") != NULL && strstr(report, "*** DEADLOCK ***"),
		  "%s", report);
	SN_ASSERT(strstr(report, "stack backtrace:") != NULL, "%s", report);
	printf("%s\n", report);
	/* Reported once: the same problem again stays quiet. */
	seed_count_process();
	run_rx();
	SN_ASSERT_EQ(nreports, 1);
	return 0;
}

static int
test_softirq_first_reported(void)
{
	sn_lockdep_reset();
	sn_spin_lock_init(&counter_lock);
	nreports = 0;
	run_rx();
	seed_count_process();
	SN_ASSERT_EQ(nreports, 1);
	SN_ASSERT(strstr(report, "inconsistent {IN-SOFTIRQ-W} -> {SOFTIRQ-ON-W} usage.") != NULL,
		  "%s", report);
	SN_ASSERT(strstr(report, "seed_rx_callback+") != NULL, "%s", report);
	SN_ASSERT(strstr(report, "at: seed_count_process+") != NULL, "%s", report);
	return 0;
}

static int
test_bh_lock_clean(void)
{
	sn_lockdep_reset();
	sn_spin_lock_init(&counter_lock);
	nreports = 0;
	counter = 0;
	for (int i = 0; i < 3; i++) {
		seed_count_process_bh();
		run_rx();
	}
	SN_ASSERT_EQ(nreports, 0);
	SN_ASSERT_EQ(sn_lockdep_report_count(), 0);
	SN_ASSERT_EQ(counter, 6);
	return 0;
}

int
main(void)
{
	int rc = SN_TEST_PASS;

	sn_test_init("ld_seed", "0", NULL);
	rte_log_set_level_pattern("softnet.lockdep", RTE_LOG_CRIT);
	sd = sn_softnet_attach();
	if (sd == NULL)
		return SN_TEST_FAIL;
	sn_softirq_set_handler(SN_SOFTIRQ_NET_RX, seed_rx_callback);
	sn_lockdep_set_report_cb(capture, NULL);
	do {
		SN_RUN(test_plain_lock_reported);
		SN_RUN(test_softirq_first_reported);
		SN_RUN(test_bh_lock_clean);
	} while (0);
	sn_lockdep_set_report_cb(NULL, NULL);
	sn_softirq_set_handler(SN_SOFTIRQ_NET_RX, NULL);
	sn_softnet_detach(sd);
	sn_lockdep_reset();
	sn_test_fini();
	return rc;
}
