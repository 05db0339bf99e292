/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Transmit from hardirq context.
 *
 * A hardirq (a signal delivered to the lcore's thread) may interrupt the lcore
 * anywhere, including while it holds a qdisc's root lock in NET_TX or is in
 * the middle of a mempool operation. So a transmit made in hardirq context
 * takes no lock and touches neither the qdisc nor the mempool nor the
 * counters the interrupted code writes: it pushes the packets on the lcore's
 * irq list (linked through a dynamic mbuf field, so it never fills up) and
 * raises NET_TX. The interrupted code cannot be in the middle of a push (the
 * handler runs to completion first), and the consumer takes the whole list
 * with one atomic exchange, so the list is safe without locks. NET_TX then
 * transmits the packets in order, in softirq context, through the normal path.
 */

#include <errno.h>

#include <rte_errno.h>
#include <rte_mbuf_dyn.h>

#include "core_private.h"

int sn_mbuf_defer_offset = -1;

int
sn_irq_defer_init(void)
{
	static const struct rte_mbuf_dynfield desc = {
		.name = "softnet_dynfield_defer",
		.size = sizeof(struct sn_mbuf_defer),
		.align = __alignof__(struct sn_mbuf_defer),
	};
	int off = rte_mbuf_dynfield_register(&desc);

	if (off < 0)
		return -rte_errno;
	sn_mbuf_defer_offset = off;
	return 0;
}

uint16_t
sn_xmit_irq_defer(struct sn_softnet *sd, struct sn_netdev *dev, uint16_t txq,
		  struct rte_mbuf **pkts, uint16_t n)
{
	struct sn_txq *t = (dev != NULL && txq < dev->nb_txq) ? &dev->txqs[txq] : NULL;
	struct rte_mbuf *head = __atomic_load_n(&sd->irq_list, __ATOMIC_RELAXED);

	for (uint16_t i = 0; i < n; i++) {
		struct sn_mbuf_defer *d = sn_mbuf_defer(pkts[i]);

		d->next = head;
		d->txq = t;
		head = pkts[i];
	}
	/* Only this handler writes here while it runs; one store publishes. */
	__atomic_store_n(&sd->irq_list, head, __ATOMIC_RELAXED);
	/* Hardirq-only counter: the interrupted code never writes it. */
	sd->stats.irq_deferred += n;
	sn_ctx_raise(sd, SN_SOFTIRQ_NET_TX);
	return n;
}

/* Softirq context: send what hardirqs deferred, oldest first, in runs per queue. */
void
sn_irq_defer_flush(struct sn_softnet *sd)
{
	struct rte_mbuf *list = __atomic_exchange_n(&sd->irq_list, NULL, __ATOMIC_RELAXED);
	struct rte_mbuf *fifo = NULL;
	struct rte_mbuf *run[SN_TX_BATCH];
	struct sn_txq *run_txq = NULL;
	uint16_t k = 0;

	/* The list is newest first: reverse it. */
	while (list != NULL) {
		struct rte_mbuf *next = sn_mbuf_defer(list)->next;

		sn_mbuf_defer(list)->next = fifo;
		fifo = list;
		list = next;
	}
	while (fifo != NULL) {
		struct rte_mbuf *m = fifo;
		struct sn_txq *t = sn_mbuf_defer(m)->txq;

		fifo = sn_mbuf_defer(m)->next;
		if (k == SN_TX_BATCH || (k != 0 && t != run_txq)) {
			sn_xmit_burst(sd, run_txq ? run_txq->dev : NULL,
				      run_txq ? run_txq->index : 0, run, k);
			k = 0;
		}
		run_txq = t;
		run[k++] = m;
	}
	if (k != 0)
		sn_xmit_burst(sd, run_txq ? run_txq->dev : NULL, run_txq ? run_txq->index : 0,
			      run, k);
}
