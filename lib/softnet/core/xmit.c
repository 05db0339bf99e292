/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dev_queue_xmit: validation, the recursion limit, the noqueue direct path,
 * and __dev_xmit_skb (deactivated drop, CAN_BYPASS direct transmit, busylock
 * or defer list, enqueue + run). Every packet dropped here is counted under
 * its reason (sn_drop*(), core_private.h).
 *
 * Each call runs with softirqs disabled on this lcore, as the kernel's does
 * under rcu_read_lock_bh(): NET_TX cannot run in the middle of a transmit,
 * and whatever the transmit raised (a reschedule, deferred frees) runs when
 * it re-enables them on the way out.
 */

#include <errno.h>

#include <rte_byteorder.h>
#include <rte_ether.h>

#include "core_private.h"
#include "sched_private.h"

RTE_LOG_REGISTER(sn_logtype_xmit, softnet.xmit, NOTICE);

/* A nested xmit lock takes its nesting level as subclass: the validator has 1..7. */
static_assert(SN_XMIT_RECURSION_LIMIT <= 8, "xmit lock subclasses run out");

/* Does @m carry a VLAN tag (802.1Q or 802.1ad TPID where the ethertype goes)? */
static bool
sn_frame_vlan_tagged(const struct rte_mbuf *m)
{
	uint16_t copy;
	const uint16_t *tpid = rte_pktmbuf_read(m, 2 * RTE_ETHER_ADDR_LEN, sizeof(copy), &copy);

	return tpid != NULL && (*tpid == RTE_BE16(RTE_ETHER_TYPE_VLAN) ||
				*tpid == RTE_BE16(RTE_ETHER_TYPE_QINQ));
}

/*
 * Can @dev carry @m? The largest frame is the MTU plus an Ethernet header,
 * plus 4 bytes only when the frame carries a VLAN tag (what a receiver with
 * that MTU takes: a veth peer drops an untagged MTU + 18 frame). A frame the
 * port is to segment (TSO, USO) is judged by its segments.
 * @return SN_DROP_REASON_MAX if it can, else why not.
 */
static enum sn_drop_reason
sn_frame_check(uint32_t mtu, const struct rte_mbuf *m)
{
	uint32_t len = rte_pktmbuf_pkt_len(m);
	uint32_t max = mtu + RTE_ETHER_HDR_LEN;

	if (unlikely(len < RTE_ETHER_HDR_LEN))
		return SN_DROP_MALFORMED;
	if (likely(len <= max))
		return SN_DROP_REASON_MAX;
	if (sn_frame_vlan_tagged(m)) {
		max += RTE_VLAN_HLEN;
		if (len <= max)
			return SN_DROP_REASON_MAX;
	}
	if ((m->ol_flags & (RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_UDP_SEG)) && m->tso_segsz != 0 &&
	    (uint32_t)m->outer_l2_len + m->outer_l3_len + m->l2_len + m->l3_len + m->l4_len +
			    m->tso_segsz <= max)
		return SN_DROP_REASON_MAX;
	return SN_DROP_OVERSIZE;
}

static __rte_always_inline uint32_t
sn_umax(uint32_t a, uint32_t b)
{
	return a > b ? a : b;
}

/*
 * Drop frames the device cannot carry, compacting @pkts, and sum the bytes of
 * the rest (the byte counters need it and the mbuf headers are hot now).
 * @return how many are left.
 */
static __rte_always_inline uint16_t
sn_xmit_validate(struct sn_softnet *sd, const struct sn_netdev *dev,
		 struct rte_mbuf **pkts, uint16_t n, uint32_t *bytes)
{
	const uint32_t mtu = __atomic_load_n(&dev->mtu, __ATOMIC_RELAXED);
	const uint32_t hl = RTE_ETHER_HDR_LEN;
	uint32_t s0 = 0, s1 = 0, h0 = 0, h1 = 0;
	uint16_t i = 0, k;

	/*
	 * The common case, all good, without a branch per packet: sum the
	 * lengths and keep the largest len - 14, which wraps for a frame
	 * shorter than an Ethernet header, so that one test at the end (at most
	 * the MTU) passes exactly the frames that need no closer look: neither
	 * short nor longer than an untagged frame may be. Four at a time with
	 * two chains each, so that the loads of a burst overlap.
	 */
	for (; i + 4 <= n; i += 4) {
		uint32_t a = rte_pktmbuf_pkt_len(pkts[i]), b = rte_pktmbuf_pkt_len(pkts[i + 1]);
		uint32_t c = rte_pktmbuf_pkt_len(pkts[i + 2]), d = rte_pktmbuf_pkt_len(pkts[i + 3]);

		s0 += a + b;
		s1 += c + d;
		h0 = sn_umax(h0, sn_umax(a - hl, c - hl));
		h1 = sn_umax(h1, sn_umax(b - hl, d - hl));
	}
	for (; i < n; i++) {
		uint32_t a = rte_pktmbuf_pkt_len(pkts[i]);

		s0 += a;
		h0 = sn_umax(h0, a - hl);
	}
	if (likely(sn_umax(h0, h1) <= mtu)) {
		*bytes = s0 + s1;
		return n;
	}
	/* A closer look: VLAN tags, segmentation offloads, and the bad ones. */
	s0 = 0;
	for (i = 0, k = 0; i < n; i++) {
		enum sn_drop_reason why = sn_frame_check(mtu, pkts[i]);

		if (likely(why == SN_DROP_REASON_MAX)) {
			s0 += rte_pktmbuf_pkt_len(pkts[i]);
			pkts[k++] = pkts[i];
		} else {
			sn_drop(sd, pkts[i], why);
		}
	}
	*bytes = s0;
	return k;
}

/*
 * noqueue: straight to the driver under the xmit lock. The owner check comes
 * first: if this lcore already holds the lock, a virtual device is
 * transmitting into itself (a dead loop), and spinning would never end.
 * Unlike the kernel's, softnet's noqueue keeps Sent and dropped counters:
 * the xmit lock serialises their writers (in a dead loop, this lcore owns it).
 */
static uint16_t
sn_xmit_noqueue(struct sn_softnet *sd, struct sn_qdisc *q, struct rte_mbuf **pkts, uint16_t n,
		uint32_t bytes)
{
	struct sn_txq *t = sn_qdisc_txq(q);
	struct sn_netdev *dev = q->dev;
	uint16_t sent;

	if (unlikely(t->xmit_owner == (int32_t)sd->lcore)) {
		q->qstats.drops += n;
		sn_drop_bulk(sd, pkts, n, SN_DROP_DEAD_LOOP);
		if (sn_ratelimit_ok(&sd->rl_dead_loop))
			SN_LOG(WARNING, xmit,
			       "dead loop on virtual device %s txq %u (lcore %u), %u packets dropped\n",
			       dev->name, q->txq, sd->lcore, n);
		return 0;
	}
	/*
	 * Taken inside another driver call (a virtual device over another, or
	 * over another queue of its own): another xmit lock of this class is
	 * held. Tell the validator the nesting is intended, the level being the
	 * subclass (1..7: the recursion limit keeps it below 8), as the kernel
	 * nests stacked devices' xmit locks.
	 */
	if (likely(sd->xmit_recursion == 0))
		sn_spin_lock(&t->xmit_lock);
	else
		sn_spin_lock_nested(&t->xmit_lock, sd->xmit_recursion);
	t->xmit_owner = (int32_t)sd->lcore;
	sent = sn_txq_xmit_noqueue(sd, t, pkts, n);
	if (unlikely(sent < n)) {
		bytes -= sn_pkts_bytes(pkts + sent, (uint16_t)(n - sent));
		q->qstats.drops += n - sent;
	}
	q->bstats.packets += sent;
	q->bstats.bytes += bytes;
	sn_txq_unlock(t);

	sd->stats.sent += sent;
	if (unlikely(sent < n)) {
		/* No queue to wait in: the kernel drops here too. */
		sn_drop_bulk(sd, pkts + sent, (uint16_t)(n - sent), SN_DROP_DRIVER);
		if (sn_ratelimit_ok(&sd->rl_misc))
			SN_LOG(NOTICE, xmit, "%s txq %u (noqueue) refused %u packets: dropped\n",
			       dev->name, q->txq, n - sent);
	}
	return sent;
}

/*
 * The CAN_BYPASS direct transmit: the qdisc is empty and this lcore owns the
 * run. Sends up to one requeue's worth straight to the driver and enqueues
 * the rest of the burst behind whatever the driver refused.
 * @return packets accepted; *more says whether the qdisc needs a run now.
 */
static __rte_always_inline uint16_t
sn_xmit_bypass(struct sn_softnet *sd, struct sn_qdisc *q, struct rte_mbuf **pkts, uint16_t n,
	       uint32_t bytes, bool *more)
{
	uint16_t k = RTE_MIN(n, (uint16_t)SN_QDISC_REQUEUE_MAX);
	uint32_t head = bytes;
	uint16_t accepted, dropped;

	if (unlikely(k < n))
		head = sn_pkts_bytes(pkts, k);
	sd->stats.bypass += k;
	*more = sn_sch_direct_xmit(sd, q, pkts, k, head, &dropped);
	accepted = (uint16_t)(k - dropped);
	if (unlikely(k < n)) {
		accepted = (uint16_t)(accepted + q->ops->enqueue(q, sd, pkts + k, (uint16_t)(n - k),
								 bytes - head));
		*more = true;
	}
	return accepted;
}

/* __dev_xmit_skb, burst form. */
static __rte_always_inline uint16_t
sn_xmit_qdisc(struct sn_softnet *sd, struct sn_qdisc *q, struct rte_mbuf **pkts, uint16_t n,
	      uint32_t bytes)
{
	bool contended = sn_qdisc_is_running(q) && !(q->flags & SN_QDISC_F_NO_BUSYLOCK);
	uint16_t accepted;

	/*
	 * The qdisc is being run by another lcore: queue up behind the other
	 * enqueuers on the busylock, so that the runner, which retakes the root
	 * lock once per batch, is not starved of it.
	 */
	if (unlikely(contended)) {
		sn_spin_lock(&q->busylock);
		sd->stats.busylock++;
	}
	sn_spin_lock(&q->lock);

	if (unlikely(sn_qdisc_test_state(q, SN_QDISC_STATE_DEACTIVATED))) {
		q->qstats.drops += n;
		sn_drop_bulk(sd, pkts, n, SN_DROP_DEACTIVATED);
		accepted = 0;
	} else if ((q->flags & SN_QDISC_F_CAN_BYPASS) && sn_qdisc_qlen(q) == 0 &&
		   sn_qdisc_run_begin(q)) {
		/* Work-conserving, empty and idle: skip the queue. */
		bool more;

		accepted = sn_xmit_bypass(sd, q, pkts, n, bytes, &more);
		if (more) {
			if (unlikely(contended)) {
				sn_spin_unlock(&q->busylock);
				contended = false;
			}
			sn_qdisc_run_locked(sd, q);
		}
		sn_qdisc_run_end(q);
	} else {
		accepted = q->ops->enqueue(q, sd, pkts, n, bytes);
		if (sn_qdisc_run_begin(q)) {
			if (unlikely(contended)) {
				sn_spin_unlock(&q->busylock);
				contended = false;
			}
			sn_qdisc_run_locked(sd, q);
			sn_qdisc_run_end(q);
		}
	}

	sn_spin_unlock(&q->lock);
	if (unlikely(contended))
		sn_spin_unlock(&q->busylock);
	return accepted;
}

/*
 * __dev_xmit_skb for a NOLOCK qdisc: no root lock and no busylock; the
 * enqueue is multi-producer and the running flag alone serialises dequeue.
 */
static uint16_t
sn_xmit_qdisc_nolock(struct sn_softnet *sd, struct sn_qdisc *q, struct rte_mbuf **pkts,
		     uint16_t n, uint32_t bytes)
{
	uint16_t accepted;

	if (unlikely(sn_qdisc_test_state(q, SN_QDISC_STATE_DEACTIVATED))) {
		sn_qdisc_count(q, &q->qstats.drops, n);
		sn_drop_bulk(sd, pkts, n, SN_DROP_DEACTIVATED);
		return 0;
	}
	if ((q->flags & SN_QDISC_F_CAN_BYPASS) && sn_qdisc_qlen(q) == 0 &&
	    sn_qdisc_run_begin_nolock(q)) {
		bool more;

		/* Retest now that we own the run: a requeue may have raced us. */
		if (unlikely(sn_qdisc_qlen(q) != 0)) {
			accepted = q->ops->enqueue(q, sd, pkts, n, bytes);
			sn_qdisc_run_locked(sd, q);
			sn_qdisc_run_end_nolock(sd, q);
			return accepted;
		}
		accepted = sn_xmit_bypass(sd, q, pkts, n, bytes, &more);
		if (more)
			sn_qdisc_run_locked(sd, q);
		sn_qdisc_run_end_nolock(sd, q);
		return accepted;
	}
	accepted = q->ops->enqueue(q, sd, pkts, n, bytes);
	if (sn_qdisc_run_begin_nolock(q)) {
		sn_qdisc_run_locked(sd, q);
		sn_qdisc_run_end_nolock(sd, q);
	}
	return accepted;
}

/* Enqueue a FIFO chain of deferred packets, in order, in chunks. Root lock held. */
static void
sn_defer_enqueue_chain(struct sn_softnet *sd, struct sn_qdisc *q, struct rte_mbuf *m)
{
	struct rte_mbuf *chunk[SN_QDISC_REQUEUE_MAX];
	uint32_t bytes = 0;
	uint16_t k = 0;

	while (m != NULL) {
		chunk[k++] = m;
		bytes += rte_pktmbuf_pkt_len(m);
		m = sn_mbuf_defer(m)->next;
		if (k == RTE_DIM(chunk) || m == NULL) {
			q->ops->enqueue(q, sd, chunk, k, bytes);
			k = 0;
			bytes = 0;
		}
	}
}

/*
 * __dev_xmit_skb, defer-list form (Linux 6.19, "net: dev_queue_xmit() llist
 * adoption"): no busylock. An enqueuer pushes its burst onto the qdisc's
 * lock-free list with one compare-and-swap; the one that found the list
 * empty becomes the runner: it takes the root lock, detaches the list,
 * restores push order and enqueues it all (or sends it directly when the
 * list is its own burst alone and the qdisc is empty and idle), while the
 * others return at once. As in the kernel, a push onto a non-empty list
 * counts its packets against the limit (sn_qdisc_max_burst(), the kernel's
 * qdisc_max_burst): the packets beyond it are dropped at once by their
 * sender, on its own lcore (SN_DROP_BURST_LIMIT), and not returned as
 * accepted. Pushed packets count as accepted: what the discipline refuses
 * when the runner enqueues them is dropped and counted on the runner's
 * lcore (SN_DROP_QDISC), not returned.
 */
static uint16_t
sn_xmit_qdisc_defer(struct sn_softnet *sd, struct sn_qdisc *q, struct rte_mbuf **pkts,
		    uint16_t n, uint32_t bytes)
{
	struct rte_mbuf *first = __atomic_load_n(&q->defer_first, __ATOMIC_RELAXED);
	struct rte_mbuf *list, *fifo = NULL;
	uint16_t accepted, k = n;
	bool counted = false;
	uint32_t len = 0;

	/* Chain the burst newest first, as the list is; the runner reverses it all. */
	for (uint16_t i = 1; i < n; i++)
		sn_mbuf_defer(pkts[i])->next = pkts[i - 1];
	do {
		/*
		 * Count once, and only behind another burst (the runner's own
		 * is not counted, as in the kernel, where an atomic increment
		 * on every push would cost the uncontended case).
		 */
		if (first != NULL && !counted) {
			uint64_t limit = __atomic_load_n(&sn_max_burst, __ATOMIC_RELAXED);
			uint64_t count = __atomic_add_fetch(&q->defer_count, n, __ATOMIC_RELAXED);

			counted = true;
			if (unlikely(count > limit)) {
				uint64_t over = RTE_MIN(count - limit, (uint64_t)n);

				k = (uint16_t)(n - over);
				__atomic_fetch_add(&q->defer_drops, over, __ATOMIC_RELAXED);
				sn_drop_bulk(sd, pkts + k, (uint16_t)over, SN_DROP_BURST_LIMIT);
				if (k == 0)
					return 0;
			}
		}
		sn_mbuf_defer(pkts[0])->next = first;
	} while (!__atomic_compare_exchange_n(&q->defer_first, &first, pkts[k - 1], false,
					      __ATOMIC_RELEASE, __ATOMIC_RELAXED));
	if (first != NULL)
		return k; /* the runner, who pushed onto the empty list, takes ours too */

	sn_spin_lock(&q->lock);
	list = __atomic_exchange_n(&q->defer_first, NULL, __ATOMIC_ACQUIRE);
	/*
	 * Not atomic with the exchange: a push in between is counted against
	 * the next list, which may then grow a burst beyond the limit (the
	 * kernel accepts the same race).
	 */
	__atomic_store_n(&q->defer_count, 0, __ATOMIC_RELAXED);
	while (list != NULL) {
		struct rte_mbuf *next = sn_mbuf_defer(list)->next;

		sn_mbuf_defer(list)->next = fifo;
		fifo = list;
		list = next;
		len++;
	}

	accepted = k;
	if (unlikely(sn_qdisc_test_state(q, SN_QDISC_STATE_DEACTIVATED))) {
		q->qstats.drops += len;
		sn_drop_count(sd, SN_DROP_DEACTIVATED, len);
		for (struct rte_mbuf *m = fifo, *next; m != NULL; m = next) {
			next = sn_mbuf_defer(m)->next;
			sn_cq_add(sd, m);
		}
		accepted = 0;
	} else if ((q->flags & SN_QDISC_F_CAN_BYPASS) && len == k && q->qstats.qlen == 0 &&
		   sn_qdisc_run_begin(q)) {
		/* The list was our burst alone, in our order: send it straight. */
		bool more;

		/* Rare: counted behind a list that was drained before our push. */
		if (unlikely(k < n))
			bytes = sn_pkts_bytes(pkts, k);
		accepted = sn_xmit_bypass(sd, q, pkts, k, bytes, &more);
		if (more)
			sn_qdisc_run_locked(sd, q);
		sn_qdisc_run_end(q);
	} else {
		sn_defer_enqueue_chain(sd, q, fifo);
		if (sn_qdisc_run_begin(q)) {
			sn_qdisc_run_locked(sd, q);
			sn_qdisc_run_end(q);
		}
	}
	sn_spin_unlock(&q->lock);
	return accepted;
}

static __rte_always_inline uint16_t
sn_xmit_active(struct sn_softnet *sd, struct sn_txq *t, struct rte_mbuf **pkts, uint16_t n,
	       uint32_t bytes, int *rc)
{
	struct sn_qdisc *q;

	/*
	 * A driver transmitting into another softnet device nests a driver
	 * call; past the limit, stop (dev_xmit_recursion). Checked before the
	 * qdisc: a queued packet would be sent by a run nested just as deep.
	 */
	if (sn_xmit_recursion_exceeded(sd)) {
		sn_drop_bulk(sd, pkts, n, SN_DROP_RECURSION_LIMIT);
		if (sn_ratelimit_ok(&sd->rl_dead_loop))
			SN_LOG(WARNING, xmit,
			       "transmit recursion limit (%u driver calls) reached on %s txq %u (lcore %u), %u packets dropped\n",
			       SN_XMIT_RECURSION_LIMIT, t->dev->name, t->index, sd->lcore, n);
		return 0;
	}
	q = __atomic_load_n(&t->qdisc, __ATOMIC_ACQUIRE);
	if (unlikely(q == NULL)) {
		sn_drop_bulk(sd, pkts, n, SN_DROP_DEV_DOWN);
		*rc = -ENETDOWN;
		return 0;
	}
	if (unlikely(q->ops->enqueue == NULL))
		return sn_xmit_noqueue(sd, q, pkts, n, bytes);
	if (q->flags & SN_QDISC_F_NOLOCK)
		return sn_xmit_qdisc_nolock(sd, q, pkts, n, bytes);
	if (q->flags & SN_QDISC_F_DEFER_LIST)
		return sn_xmit_qdisc_defer(sd, q, pkts, n, bytes);
	return sn_xmit_qdisc(sd, q, pkts, n, bytes);
}

uint16_t
sn_xmit_burst(struct sn_softnet *sd, struct sn_netdev *dev, uint16_t txq,
	      struct rte_mbuf **pkts, uint16_t n)
{
	uint16_t accepted;
	uint32_t bytes;
	int rc = 0;

	if (unlikely(n == 0))
		return 0;
	if (unlikely(sn_ctx_in_hardirq(sd)))
		return sn_xmit_irq_defer(sd, dev, txq, pkts, n);
	/*
	 * Softirqs off before the first write to this lcore's softnet: an
	 * asynchronous interrupt (a signal) may run softirqs at its exit in the
	 * middle of any code that has them enabled, and an RX callback there
	 * transmits too (the counter below would lose its update).
	 */
	sn_ctx_bh_disable(sd);
	/* Single packets the caller's plug holds go first: per-lcore order. */
	if (unlikely(sd->plug_len != 0) && sd->preempt_count == SN_SOFTIRQ_DISABLE_OFFSET)
		sn_xmit_plug_flush(sd);
	sd->stats.processed += n;
	if (unlikely(dev == NULL || txq >= dev->nb_txq)) {
		sn_drop_bulk(sd, pkts, n, SN_DROP_NO_TXQ);
		sn_ctx_bh_enable(sd);
		return 0;
	}
	n = sn_xmit_validate(sd, dev, pkts, n, &bytes);
	accepted = n != 0 ? sn_xmit_active(sd, &dev->txqs[txq], pkts, n, bytes, &rc) : 0;
	sn_ctx_bh_enable(sd);
	return accepted;
}

/* ---- the xmit plug ---- */

void
sn_xmit_plug_flush(struct sn_softnet *sd)
{
	uint16_t n = sd->plug_len;
	int rc = 0;

	if (n == 0)
		return;
	/*
	 * Emptied before the transmit: nothing below appends to it (a nested
	 * sn_xmit() from a driver runs with softirqs disabled, never plugged).
	 */
	sd->plug_len = 0;
	sd->plug.dropped += n - sn_xmit_active(sd, &sd->plug.dev->txqs[sd->plug.txq],
					      sd->plug.pkts, n, sd->plug.bytes, &rc);
}

/* Hold @m (checked) for @dev/@txq. Softirqs disabled, process context. */
static __rte_always_inline void
sn_xmit_plug_add(struct sn_softnet *sd, struct sn_netdev *dev, uint16_t txq,
		 struct rte_mbuf *m)
{
	if (sd->plug_len != 0 && (sd->plug.dev != dev || sd->plug.txq != txq))
		sn_xmit_plug_flush(sd);
	if (sd->plug_len == 0) {
		sd->plug.dev = dev;
		sd->plug.txq = txq;
		sd->plug.bytes = 0;
	}
	sd->plug.pkts[sd->plug_len++] = m;
	sd->plug.bytes += rte_pktmbuf_pkt_len(m);
	if (unlikely(sd->plug_len == SN_XMIT_PLUG_MAX))
		sn_xmit_plug_flush(sd);
}

int
sn_xmit_plug(struct sn_softnet *sd)
{
	if (sd->preempt_count != 0)
		return -EINVAL;
	if (sd->plug_depth == UINT16_MAX)
		return -EOVERFLOW;
	if (sd->plug_depth++ == 0)
		sd->plug.dropped = 0;
	return 0;
}

int
sn_xmit_unplug(struct sn_softnet *sd)
{
	uint64_t dropped;

	if (sd->preempt_count != 0 || sd->plug_depth == 0)
		return -EINVAL;
	if (--sd->plug_depth != 0)
		return 0;
	sn_ctx_bh_disable(sd);
	sn_xmit_plug_flush(sd);
	dropped = sd->plug.dropped;
	sd->plug.dropped = 0;
	sn_ctx_bh_enable(sd);
	return (int)RTE_MIN(dropped, (uint64_t)INT32_MAX);
}

int
sn_xmit(struct sn_softnet *sd, struct sn_netdev *dev, uint16_t txq, struct rte_mbuf *m)
{
	/* Plugged: process context, softirqs enabled, a plug open. */
	const bool plugged = sd->plug_depth != 0 && sd->preempt_count == 0;
	enum sn_drop_reason why = SN_DROP_NO_TXQ;
	int rc = SN_XMIT_SUCCESS;

	if (unlikely(sn_ctx_in_hardirq(sd))) {
		sn_xmit_irq_defer(sd, dev, txq, &m, 1);
		return SN_XMIT_SUCCESS;
	}
	sn_ctx_bh_disable(sd);
	sd->stats.processed++; /* softirqs off first: see sn_xmit_burst() */
	if (unlikely(dev == NULL)) {
		rc = -ENODEV;
	} else if (unlikely(txq >= dev->nb_txq)) {
		rc = -EINVAL;
	} else if (unlikely(rte_pktmbuf_pkt_len(m) - RTE_ETHER_HDR_LEN >
			    __atomic_load_n(&dev->mtu, __ATOMIC_RELAXED)) &&
		   (why = sn_frame_check(dev->mtu, m)) != SN_DROP_REASON_MAX) {
		rc = -EINVAL;
	} else {
		if (plugged && dev->up)
			sn_xmit_plug_add(sd, dev, txq, m);
		else if (sn_xmit_active(sd, &dev->txqs[txq], &m, 1, rte_pktmbuf_pkt_len(m),
					&rc) == 0 && rc == 0)
			rc = SN_XMIT_DROP;
		sn_ctx_bh_enable(sd);
		return rc;
	}
	sn_drop(sd, m, why);
	sn_ctx_bh_enable(sd);
	return rc;
}
