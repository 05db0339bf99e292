/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Control calls from an attached lcore while another lcore replaces qdiscs.
 * A replace holds the control mutex across its grace periods; an attached
 * lcore blocked on that mutex (here in sn_qdisc_info() and sn_qdisc_print(),
 * "any thread, any time") never reached sn_softnet_poll(), so the replace
 * waited for its quiescent state for ever. The waiter now keeps reporting
 * quiescent states. Fails on a hang (deadline) or on an error.
 */

#include <stdatomic.h>
#include <unistd.h>

#include <rte_launch.h>
#include <rte_lcore.h>

#include "sn_test.h"

#define REPLACES 400
#define DEADLINE_S 20

static struct sn_netdev *dev;
static atomic_int stop;
static atomic_ulong reads;

static int
reader(void *arg)
{
	struct sn_softnet *sd = sn_softnet_attach();
	struct sn_qdisc_info info;
	char buf[512];

	RTE_SET_USED(arg);
	if (sd == NULL)
		return -1;
	while (!atomic_load(&stop)) {
		if (sn_qdisc_info(dev, 0, &info) != 0 || sn_qdisc_print(dev, 0, 0, buf, sizeof(buf)) < 0)
			break;
		atomic_fetch_add(&reads, 1);
		sn_softnet_poll(sd);
	}
	return sn_softnet_detach(sd);
}

static int
test_ctl_from_attached_lcore(void)
{
	struct sn_softnet *sd = sn_softnet_attach();
	unsigned int worker = rte_get_next_lcore(-1, 1, 0);

	SN_ASSERT(sd != NULL, "attach");
	dev = sn_test_netdev_create("ctl0", 1);
	SN_ASSERT(dev != NULL, "netdev");
	SN_ASSERT_EQ(rte_eal_remote_launch(reader, NULL, worker), 0);
	alarm(DEADLINE_S); /* a hang is the failure this test looks for */
	for (int i = 0; i < REPLACES; i++)
		SN_ASSERT_EQ(sn_qdisc_replace(dev, 0, i & 1 ? "pfifo" : "pfifo_fast", NULL, sd), 0);
	atomic_store(&stop, 1);
	SN_ASSERT_EQ(rte_eal_wait_lcore(worker), 0);
	alarm(0);
	SN_ASSERT(atomic_load(&reads) > 0, "the reader never read");
	printf("%d replaces while the other lcore read %lu times\n", REPLACES, atomic_load(&reads));
	sn_netdev_free(dev, sd);
	SN_ASSERT_EQ(sn_softnet_detach(sd), 0);
	return SN_TEST_PASS;
}

int
main(void)
{
	sn_test_init("ctl_attached", "0-1", NULL);
	if (rte_lcore_count() < 2) {
		printf("SKIP: needs 2 lcores\n");
		return SN_TEST_SKIP;
	}
	SN_RUN(test_ctl_from_attached_lcore);
	sn_test_fini();
	return SN_TEST_PASS;
}
