/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The founding question (reference/000): NET_TX holds a qdisc's root lock
 * and is running it when an "interrupt" arrives whose handler transmits on
 * the very same qdisc. In the kernel that handler would spin on the root
 * lock for ever. softnet defers a transmit made in hardirq context to NET_TX
 * (irq_defer.c), so here the packet must go out, nothing may deadlock (an
 * alarm fails the test), the validator must stay silent, and every mbuf must
 * come back to the pool.
 *
 * A test discipline does it: its dequeue, which runs under the root lock
 * inside net_tx_action, enters hardirq context and calls sn_xmit() on the
 * same device and queue.
 */

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "sn_test.h"

#define FIFO_SIZE 64

struct irqtx_priv {
	struct rte_mbuf *fifo[FIFO_SIZE];
	unsigned int head, len;
};

static struct sn_softnet *sd;
static struct sn_netdev *dev;
static struct rte_mbuf *irq_pkt;      /* sent from the "interrupt" */
static unsigned int irq_fired;
static int irq_rc = -1;
static bool in_tx_action_seen;

static uint16_t
irqtx_enqueue(struct sn_qdisc *q, struct sn_softnet *s, struct rte_mbuf **pkts, uint16_t n,
	      uint32_t all_bytes)
{
	struct irqtx_priv *p = sn_qdisc_priv(q);
	uint16_t k = 0;
	uint64_t bytes = 0;

	for (; k < n && p->len < FIFO_SIZE; k++) {
		p->fifo[(p->head + p->len++) % FIFO_SIZE] = pkts[k];
		bytes += rte_pktmbuf_pkt_len(pkts[k]);
	}
	/* The framework's sum of the burst must be the burst's. */
	RTE_VERIFY(k < n || bytes == all_bytes);
	for (uint16_t i = k; i < n; i++)
		sn_qdisc_drop(q, s, pkts[i]);
	sn_qdisc_account_enqueue(q, k, bytes);
	return k;
}

static uint16_t
irqtx_dequeue(struct sn_qdisc *q, struct sn_softnet *sd __rte_unused,
		struct rte_mbuf **pkts, uint16_t n)
{
	struct irqtx_priv *p = sn_qdisc_priv(q);
	uint16_t k = 0;

	/* Hand packets out only from NET_TX, so that the interrupt lands there. */
	if (!sn_in_serving_softirq(sd))
		return 0;
	if (irq_pkt != NULL) {
		struct rte_mbuf *m = irq_pkt;

		in_tx_action_seen = sn_spin_is_locked(&q->lock);
		irq_pkt = NULL;
		/* The interrupt: NET_TX holds q's root lock right now. */
		sn_irq_enter(sd);
		irq_rc = sn_xmit(sd, dev, 0, m);
		irq_fired++;
		sn_irq_exit(sd);
	}
	while (k < n && p->len != 0) {
		pkts[k++] = p->fifo[p->head];
		p->head = (p->head + 1) % FIFO_SIZE;
		p->len--;
	}
	return k;
}

static void
irqtx_reset(struct sn_qdisc *q, struct sn_softnet *s)
{
	struct irqtx_priv *p = sn_qdisc_priv(q);

	while (p->len != 0) {
		sn_qdisc_drop_queued(q, s, p->fifo[p->head]);
		p->head = (p->head + 1) % FIFO_SIZE;
		p->len--;
	}
}

static const struct sn_qdisc_ops irqtx_ops = {
	.id = "ld_irqtx",
	.priv_size = sizeof(struct irqtx_priv),
	.enqueue = irqtx_enqueue,
	.dequeue = irqtx_dequeue,
	.reset = irqtx_reset,
};

static void
watchdog(int sig)
{
	static const char msg[] = "FAIL: deadlock: the interrupt never finished transmitting\n";

	RTE_SET_USED(sig);
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(SN_TEST_FAIL);
	_exit(SN_TEST_FAIL);
}

int
main(void)
{
	struct rte_mempool *mp;
	struct rte_mbuf *m;
	struct sn_test_netdev *ctl;
	struct sn_softnet_stats st;
	unsigned int baseline;
	int rc;

	signal(SIGALRM, watchdog);
	alarm(20);
	sn_test_init("ld_irq_in_tx", "0", NULL);
	mp = sn_test_pool("ld_irqtx_pool", 256);
	if (mp == NULL)
		return SN_TEST_FAIL;
	baseline = rte_mempool_in_use_count(mp);
	SN_ASSERT_EQ(sn_qdisc_register(&irqtx_ops), 0);

	/* Control path first, from a thread with no softnet attached. */
	dev = sn_test_netdev_create("ld_irqtx0", 1);
	SN_ASSERT(dev != NULL, "netdev");
	SN_ASSERT_EQ(sn_qdisc_replace(dev, 0, "ld_irqtx", NULL, NULL), 0);
	ctl = sn_test_netdev_ctl(dev);

	sd = sn_softnet_attach();
	SN_ASSERT(sd != NULL, "attach");
	SN_ASSERT_EQ(sn_test_alloc(mp, &m, 1, 64, 0, 1), 0);
	SN_ASSERT_EQ(sn_test_alloc(mp, &irq_pkt, 1, 64, 0, 2), 0);

	/* Process context: queued, not sent (dequeue waits for NET_TX). */
	rc = sn_xmit(sd, dev, 0, m);
	SN_ASSERT_EQ(rc, SN_XMIT_SUCCESS);
	SN_ASSERT_EQ(ctl->accepted, 0);
	SN_ASSERT_EQ(sn_qdisc_schedule(sd, dev, 0), 0);
	sn_test_drain(sd);

	SN_ASSERT_EQ(irq_fired, 1);
	SN_ASSERT(in_tx_action_seen, "the interrupt did not arrive under the root lock");
	SN_ASSERT_EQ(irq_rc, SN_XMIT_SUCCESS);
	SN_ASSERT_EQ(ctl->accepted, 2);
	SN_ASSERT_EQ(sn_softnet_stats_get(sn_softnet_lcore(sd), &st), 0);
	SN_ASSERT_EQ(st.irq_deferred, 1);
	SN_ASSERT_EQ(sn_lockdep_report_count(), 0);
	printf("interrupt under NET_TX's root lock: packet deferred and sent, %" PRIu64
	       " validator reports\n", sn_lockdep_report_count());

	SN_ASSERT_EQ(sn_softnet_detach(sd), 0);
	sn_test_netdev_free(dev, NULL);
	if (sn_test_pool_check(mp, baseline) != 0)
		return SN_TEST_FAIL;
	rte_mempool_free(mp);
	alarm(0);
	sn_test_fini();
	return SN_TEST_PASS;
}
