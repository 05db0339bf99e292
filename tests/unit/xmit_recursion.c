/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The per-lcore transmit recursion limit (the kernel's XMIT_RECURSION_LIMIT).
 *
 * Two software devices whose drivers transmit into each other, one queue
 * further each time round (a tunnel over a VLAN device over the tunnel...):
 * A txq i -> B txq i -> A txq i + 1 -> ... Never the same queue twice, so the
 * xmit lock's dead-loop check never fires; without a limit the chain only
 * ends when it runs out of queues (or, with more queues, out of stack). With
 * it, SN_XMIT_RECURSION_LIMIT driver calls nest and the transmit that would
 * make one more is dropped, counted as recursion_limit, and returns
 * SN_XMIT_DROP. The same through noqueue roots and through pfifo_fast ones
 * (each qdisc run calls its driver). Afterwards the count is back to zero.
 */

#include "sn_test.h"
#include "sn_test_util.h"

#define NB_TXQ 32

static struct rte_mempool *mp;
static struct sn_softnet *sd;

static struct {
	struct sn_netdev *a, *b;
	int depth;      /* driver calls in progress, as the hooks see them */
	int max_depth;
	int hops;       /* transmits the hooks made */
	int drops;      /* of those, refused with SN_XMIT_DROP */
	int other_rc;   /* any other return code */
} ch;

/* Inside A's or B's driver: transmit one packet into the other device. */
static void
chain_hook(struct sn_netdev *dev, uint16_t txq, void *arg)
{
	struct sn_netdev *to = dev == ch.a ? ch.b : ch.a;
	uint16_t next = dev == ch.a ? txq : (uint16_t)(txq + 1);
	struct rte_mbuf *m;
	int rc;

	RTE_SET_USED(arg);
	if (++ch.depth > ch.max_depth)
		ch.max_depth = ch.depth;
	if (next < NB_TXQ && sn_test_alloc(mp, &m, 1, 64, 0, 1000 + ch.hops) == 0) {
		ch.hops++;
		rc = sn_xmit(sn_softnet_current(), to, next, m);
		if (rc == SN_XMIT_DROP)
			ch.drops++;
		else if (rc != SN_XMIT_SUCCESS)
			ch.other_rc = rc;
	}
	ch.depth--;
}

static int
chain(const char *kind)
{
	unsigned int base = rte_mempool_in_use_count(mp);
	struct sn_softnet_stats s0, s1;
	struct rte_mbuf *m;

	memset(&ch, 0, sizeof(ch));
	ch.a = sn_test_netdev_create("rec_a", NB_TXQ);
	ch.b = sn_test_netdev_create("rec_b", NB_TXQ);
	SN_ASSERT(ch.a != NULL && ch.b != NULL, "create");
	for (uint16_t q = 0; q < NB_TXQ; q++) {
		SN_ASSERT_EQ(sn_qdisc_replace(ch.a, q, kind, NULL, sd), 0);
		SN_ASSERT_EQ(sn_qdisc_replace(ch.b, q, kind, NULL, sd), 0);
	}
	sn_test_netdev_ctl(ch.a)->hook = chain_hook;
	sn_test_netdev_ctl(ch.b)->hook = chain_hook;

	s0 = sn_test_stats(sd);
	SN_ASSERT_EQ(sn_test_alloc(mp, &m, 1, 64, 0, 0), 0);
	SN_ASSERT_EQ(sn_xmit(sd, ch.a, 0, m), SN_XMIT_SUCCESS);
	sn_test_drain(sd);
	s1 = sn_test_stats(sd);
	printf("  %s: %d driver calls nested, %d hops, %d refused\n", kind, ch.max_depth,
	       ch.hops, ch.drops);
	SN_ASSERT_EQ(ch.other_rc, 0);
	SN_ASSERT_EQ(ch.max_depth, SN_XMIT_RECURSION_LIMIT);
	SN_ASSERT_EQ(ch.hops, SN_XMIT_RECURSION_LIMIT);
	SN_ASSERT_EQ(ch.drops, 1);
	SN_ASSERT_EQ(s1.drops[SN_DROP_RECURSION_LIMIT] - s0.drops[SN_DROP_RECURSION_LIMIT], 1);
	SN_ASSERT_EQ(s1.drops[SN_DROP_DEAD_LOOP] - s0.drops[SN_DROP_DEAD_LOOP], 0);
	SN_ASSERT_EQ(s1.dropped - s0.dropped, 1);
	SN_ASSERT_EQ(s1.drop_dead_loop - s0.drop_dead_loop, 1);
	SN_ASSERT_EQ(s1.sent - s0.sent, SN_XMIT_RECURSION_LIMIT);
	SN_ASSERT_EQ(sn_test_netdev_ctl(ch.a)->accepted + sn_test_netdev_ctl(ch.b)->accepted,
		     SN_XMIT_RECURSION_LIMIT);

	/* Back at depth 0: a plain transmit goes through. */
	sn_test_netdev_ctl(ch.a)->hook = NULL;
	SN_ASSERT_EQ(sn_test_alloc(mp, &m, 1, 64, 0, 0), 0);
	SN_ASSERT_EQ(sn_xmit(sd, ch.a, NB_TXQ - 1, m), SN_XMIT_SUCCESS);
	sn_test_netdev_ctl(ch.b)->hook = NULL;
	sn_test_netdev_free(ch.b, sd);
	return sn_test_dev_done(ch.a, sd, mp, base);
}

static int
test_chain_noqueue(void)
{
	return chain("noqueue");
}

static int
test_chain_pfifo_fast(void)
{
	return chain("pfifo_fast");
}

int
main(void)
{
	sn_test_init("xmit_recursion", "0", NULL);
	mp = sn_test_pool("xmit_recursion", 256);
	sd = sn_softnet_attach();
	if (mp == NULL || sd == NULL)
		return SN_TEST_FAIL;
	SN_RUN(test_chain_noqueue);
	SN_RUN(test_chain_pfifo_fast);
	sn_softnet_detach(sd);
	if (sn_test_pool_check(mp, 0) != 0)
		return SN_TEST_FAIL;
	sn_test_fini();
	return SN_TEST_PASS;
}
