/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SCHED puts a qdisc on the output queue once, in FIFO order.
 *
 * sn_qdisc_schedule() on several devices and queues appends them in call
 * order; scheduling one again keeps one entry; info.state shows SCHED; NET_TX
 * (sn_softnet_poll) empties the list and clears SCHED. Qdiscs with work are
 * run by NET_TX in the order they were scheduled.
 */

#include "sn_test.h"
#include "sn_test_util.h"

static struct rte_mempool *mp;
static struct sn_softnet *sd;

static int
test_schedule_list(void)
{
	struct sn_netdev *a = sn_test_netdev_create("sched_a", 2);
	struct sn_netdev *b = sn_test_netdev_create("sched_b", 1);
	struct sn_netdev *c = sn_test_netdev_create("sched_c", 1);
	struct sn_netdev *d = sn_test_netdev_create("sched_d", 2);
	struct sn_sched_entry e[8];
	const struct {
		struct sn_netdev *dev;
		uint16_t txq;
	} order[] = { { b, 0 }, { a, 1 }, { c, 0 }, { a, 0 } };
	unsigned int n;

	SN_ASSERT(a != NULL && b != NULL && c != NULL, "create");
	SN_ASSERT_EQ(sn_softnet_output_queue(sd, e, RTE_DIM(e)), 0);
	for (unsigned int i = 0; i < RTE_DIM(order); i++) {
		SN_ASSERT(!(sn_test_info(order[i].dev, order[i].txq).state & SN_QDISC_STATE_SCHED),
			  "entry %u scheduled early", i);
		SN_ASSERT_EQ(sn_qdisc_schedule(sd, order[i].dev, order[i].txq), 0);
	}
	/* Again: no second entry, on any of them. */
	SN_ASSERT_EQ(sn_qdisc_schedule(sd, b, 0), 0);
	SN_ASSERT_EQ(sn_qdisc_schedule(sd, a, 0), 0);
	SN_ASSERT_EQ(sn_qdisc_schedule(sd, a, 1), 0);

	n = sn_softnet_output_queue(sd, e, RTE_DIM(e));
	SN_ASSERT_EQ(n, RTE_DIM(order));
	for (unsigned int i = 0; i < n; i++) {
		SN_ASSERT(e[i].dev == order[i].dev && e[i].txq == order[i].txq,
			  "entry %u is %s/%u, expected %s/%u", i, sn_netdev_name(e[i].dev), e[i].txq,
			  sn_netdev_name(order[i].dev), order[i].txq);
		SN_ASSERT(sn_test_info(order[i].dev, order[i].txq).state & SN_QDISC_STATE_SCHED,
			  "entry %u: SCHED not set", i);
	}
	SN_ASSERT(sn_softnet_has_work(sd), "scheduled qdiscs but no work");

	/* Errors (on a device that is not scheduled): noqueue has nothing to run,
	 * a down device has no qdisc. */
	SN_ASSERT(d != NULL, "create");
	SN_ASSERT_EQ(sn_qdisc_replace(d, 0, "noqueue", NULL, sd), 0);
	SN_ASSERT_EQ(sn_qdisc_schedule(sd, d, 0), -EOPNOTSUPP);
	SN_ASSERT_EQ(sn_netdev_down(d, sd), 0);
	SN_ASSERT_EQ(sn_qdisc_schedule(sd, d, 1), -ENETDOWN);
	SN_ASSERT_EQ(sn_qdisc_schedule(sd, a, 2), -EINVAL);
	SN_ASSERT_EQ(sn_qdisc_schedule(sd, NULL, 0), -ENODEV);
	SN_ASSERT_EQ(sn_softnet_output_queue(sd, e, RTE_DIM(e)), RTE_DIM(order));

	/* NET_TX empties the list and clears SCHED. */
	sn_softnet_poll(sd);
	SN_ASSERT_EQ(sn_softnet_output_queue(sd, e, RTE_DIM(e)), 0);
	SN_ASSERT(!(sn_test_info(a, 0).state & SN_QDISC_STATE_SCHED), "a/0 still SCHED");
	SN_ASSERT(!(sn_test_info(a, 1).state & SN_QDISC_STATE_SCHED), "a/1 still SCHED");
	SN_ASSERT(!(sn_test_info(b, 0).state & SN_QDISC_STATE_SCHED), "b/0 still SCHED");
	SN_ASSERT(!sn_softnet_has_work(sd), "work left");

	/* It can be scheduled again after a run. */
	SN_ASSERT_EQ(sn_qdisc_schedule(sd, a, 1), 0);
	SN_ASSERT_EQ(sn_softnet_output_queue(sd, e, RTE_DIM(e)), 1);
	sn_softnet_poll(sd);
	SN_ASSERT_EQ(sn_softnet_output_queue(sd, e, RTE_DIM(e)), 0);

	sn_test_netdev_free(a, sd);
	sn_test_netdev_free(b, sd);
	sn_test_netdev_free(c, sd);
	sn_test_netdev_free(d, sd);
	return 0;
}

/* ---- NET_TX runs qdiscs in list order ---- */

static struct {
	struct sn_netdev *dev[8];
	uint16_t txq[8];
	unsigned int n;
} runs;

static void
record_hook(struct sn_netdev *dev, uint16_t txq, void *arg)
{
	RTE_SET_USED(arg);
	if (runs.n < RTE_DIM(runs.dev)) {
		runs.dev[runs.n] = dev;
		runs.txq[runs.n] = txq;
	}
	runs.n++;
}

static int
test_run_order(void)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_netdev *a = sn_test_netdev_create("order_a", 2);
	struct sn_netdev *b = sn_test_netdev_create("order_b", 1);
	struct sn_netdev *c = sn_test_netdev_create("order_c", 1);
	struct sn_netdev *devs[] = { a, b, c };
	const struct {
		struct sn_netdev *dev;
		uint16_t txq;
	} order[] = { { b, 0 }, { a, 1 }, { c, 0 }, { a, 0 } };
	struct rte_mbuf *m[8];
	struct sn_sched_entry e[8];
	unsigned int n;

	SN_ASSERT(a != NULL && b != NULL && c != NULL, "create");
	for (unsigned int i = 0; i < RTE_DIM(devs); i++)
		sn_test_netdev_ctl(devs[i])->hook = record_hook;

	/*
	 * Queues the driver stopped, softirqs off: each transmit queues; the
	 * driver's wakes schedule the qdiscs, in the order they come.
	 */
	sn_local_bh_disable(sd);
	for (unsigned int i = 0; i < RTE_DIM(order); i++)
		sn_netdev_txq_stop(order[i].dev, order[i].txq);
	SN_ASSERT_EQ(sn_test_alloc(mp, m, 5, 64, 0, 0), 0);
	for (unsigned int i = 0; i < RTE_DIM(order); i++)
		SN_ASSERT_EQ(sn_xmit(sd, order[i].dev, order[i].txq, m[i]), SN_XMIT_SUCCESS);
	SN_ASSERT_EQ(sn_xmit(sd, b, 0, m[4]), SN_XMIT_SUCCESS);
	SN_ASSERT_EQ(sn_softnet_output_queue(sd, e, RTE_DIM(e)), 0);
	for (unsigned int i = 0; i < RTE_DIM(order); i++)
		SN_ASSERT_EQ(sn_netdev_txq_wake(sd, order[i].dev, order[i].txq), 0);
	n = sn_softnet_output_queue(sd, e, RTE_DIM(e));
	SN_ASSERT_EQ(n, RTE_DIM(order));
	for (unsigned int i = 0; i < n; i++)
		SN_ASSERT(e[i].dev == order[i].dev && e[i].txq == order[i].txq, "entry %u", i);
	SN_ASSERT_EQ(runs.n, 0);
	sn_local_bh_enable(sd);
	sn_test_drain(sd);

	SN_ASSERT_EQ(runs.n, RTE_DIM(order));
	for (unsigned int i = 0; i < RTE_DIM(order); i++)
		SN_ASSERT(runs.dev[i] == order[i].dev && runs.txq[i] == order[i].txq,
			  "run %u was %s/%u, expected %s/%u", i, sn_netdev_name(runs.dev[i]),
			  runs.txq[i], sn_netdev_name(order[i].dev), order[i].txq);
	SN_ASSERT_EQ(sn_test_netdev_ctl(b)->accepted, 2);
	SN_ASSERT_EQ(sn_softnet_output_queue(sd, e, RTE_DIM(e)), 0);

	for (unsigned int i = 0; i < RTE_DIM(devs); i++)
		sn_test_netdev_free(devs[i], sd);
	sn_test_drain(sd);
	return sn_test_pool_check(mp, base);
}

int
main(void)
{
	sn_test_init("sched", "0", NULL);
	mp = sn_test_pool("sched", 256);
	sd = sn_softnet_attach();
	if (mp == NULL || sd == NULL)
		return SN_TEST_FAIL;
	SN_RUN(test_schedule_list);
	SN_RUN(test_run_order);
	sn_softnet_detach(sd);
	if (sn_test_pool_check(mp, 0) != 0)
		return SN_TEST_FAIL;
	sn_test_fini();
	return SN_TEST_PASS;
}
