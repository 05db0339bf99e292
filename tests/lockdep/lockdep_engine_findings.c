/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A finding of the validator in the engine, now fixed and kept as a
 * regression test: control paths on an attached lcore must take a root lock
 * with softirqs disabled.
 *
 * NET_TX takes a qdisc's root lock in softirq context (sn_sch_direct_xmit
 * retakes it after the driver call): the class becomes IN-SOFTIRQ-W. The
 * control paths sn_qdisc_info(), sn_netdev_stats() and the deactivation in
 * sn_qdisc_replace()/sn_netdev_down() take the same lock with a plain
 * sn_spin_lock(). Called on an attached lcore in process context, softirqs
 * are enabled there (SOFTIRQ-ON-W): if a hardirq arrives in that window, its
 * sn_irq_exit() runs softirqs, and an RX callback transmitting to the same
 * queue spins on the root lock this lcore holds. That is the kernel's
 * reference/003 bug; the kernel's own control paths use spin_lock_bh() here.
 * Fix (private.h sn_ctl_qdisc_lock): the root lock is taken with softirqs
 * disabled when the caller is an attached lcore. This test makes the root
 * lock IN-SOFTIRQ-W, then runs every control path on the attached lcore
 * (info, device stats, replace, down, up) and expects no report.
 */

#include <string.h>

#include <rte_log.h>

#include "sn_test.h"

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

int
main(void)
{
	struct sn_softnet *sd;
	struct sn_netdev *dev;
	struct sn_test_netdev *ctl;
	struct sn_qdisc_info info;
	struct rte_mempool *mp;
	struct rte_mbuf *m;
	unsigned int baseline;

	sn_test_init("ld_findings", "0", NULL);
	rte_log_set_level_pattern("softnet.lockdep", RTE_LOG_CRIT);
	mp = sn_test_pool("ld_findings_pool", 64);
	if (mp == NULL)
		return SN_TEST_FAIL;
	baseline = rte_mempool_in_use_count(mp);
	dev = sn_test_netdev_create("ld_find0", 1);
	SN_ASSERT(dev != NULL, "netdev");
	ctl = sn_test_netdev_ctl(dev);
	sd = sn_softnet_attach();
	SN_ASSERT(sd != NULL, "attach");
	sn_lockdep_set_report_cb(capture, NULL);

	/* The driver refuses: the packet is requeued and NET_TX sends it later. */
	ctl->budget = 0;
	SN_ASSERT_EQ(sn_test_alloc(mp, &m, 1, 64, 0, 1), 0);
	sn_xmit(sd, dev, 0, m);
	ctl->budget = -1;
	sn_test_drain(sd);
	SN_ASSERT_EQ(ctl->accepted, 1);
	SN_ASSERT_EQ(nreports, 0);

	/* Control paths on the attached lcore, softirqs enabled at the call. */
	{
		struct sn_netdev_stats st;

		SN_ASSERT_EQ(sn_qdisc_info(dev, 0, &info), 0);
		SN_ASSERT_EQ(sn_netdev_stats(dev, &st), 0);
		SN_ASSERT_EQ(sn_qdisc_replace(dev, 0, "pfifo", NULL, sd), 0);
		SN_ASSERT_EQ(sn_netdev_down(dev, sd), 0);
		SN_ASSERT_EQ(sn_netdev_up(dev), 0);
		SN_ASSERT_EQ(sn_qdisc_info(dev, 0, &info), 0);
	}
	SN_ASSERT(nreports == 0, "control path reported:\n%s", report);
	SN_ASSERT_EQ(sn_softirqs_enabled(sd), 1);

	sn_lockdep_set_report_cb(NULL, NULL);
	sn_softnet_detach(sd);
	sn_test_netdev_free(dev, NULL);
	if (sn_test_pool_check(mp, baseline) != 0)
		return SN_TEST_FAIL;
	rte_mempool_free(mp);
	sn_test_fini();
	return SN_TEST_PASS;
}
