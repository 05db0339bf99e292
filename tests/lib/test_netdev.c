/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A software netdev for tests: a real softnet driver (not a mock of the
 * engine) whose acceptance can be limited per call and in total, which can
 * keep what it accepted to check order, and which can run a hook inside its
 * xmit (with the xmit lock held) to re-enter softnet or to stall.
 */

#include <string.h>

#include <rte_cycles.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include "sn_test.h"

/*
 * Fault-injection xmit (tests/fault): refuse while told to, at most budget
 * per call, stop the queue from xmit every stop_every calls and refuse until
 * woken, take a drv_pool mbuf per packet and hold both until completed.
 * Called under the queue's xmit lock.
 */
static uint16_t
sn_test_fault_xmit(struct sn_netdev *dev, struct sn_test_fault *f, uint16_t txq,
		   struct rte_mbuf **pkts, uint16_t n)
{
	struct sn_test_fault_txq *q;
	uint16_t k = n, i;
	bool stop = false;

	if (txq >= f->nb_txq)
		return 0;
	q = &f->q[txq];
	q->calls++;
	if (__atomic_load_n(&q->stopped, __ATOMIC_ACQUIRE)) {
		/* softnet called a queue the driver stopped and never woke */
		q->while_stopped++;
		return 0;
	}
	if (f->refuse) {
		q->refused += n;
		return 0;
	}
	if (f->budget != 0 && k > f->budget)
		k = (uint16_t)f->budget;
	if (f->stop_every != 0 && ++q->calls_since_stop >= f->stop_every) {
		q->calls_since_stop = 0;
		stop = true;
		if (f->stop_partial && (q->stops & 1) && k > 1)
			k = (uint16_t)(k / 2);
	}
	rte_spinlock_lock(&q->lock);
	for (i = 0; i < k; i++) {
		struct rte_mbuf *sh = NULL;

		if (f->drv_pool != NULL) {
			sh = rte_pktmbuf_alloc(f->drv_pool);
			if (sh == NULL) {
				q->alloc_fail++;
				break;
			}
		}
		if (f->hold != 0) {
			uint32_t slot;

			if (q->held_len >= RTE_MIN(f->hold, (uint32_t)SN_TEST_FAULT_HOLD_MAX)) {
				rte_pktmbuf_free(sh);
				q->hold_full++;
				break;
			}
			slot = (q->held_head + q->held_len) % SN_TEST_FAULT_HOLD_MAX;
			q->held[slot] = pkts[i];
			q->shadow[slot] = sh;
			q->held_len++;
		} else {
			rte_pktmbuf_free(sh);
			rte_pktmbuf_free(pkts[i]);
		}
	}
	rte_spinlock_unlock(&q->lock);
	q->accepted += i;
	if (stop) {
		q->stops++;
		q->stopped_by = rte_lcore_id();
		q->stop_tsc = rte_get_timer_cycles();
		__atomic_store_n(&q->stopped, 1, __ATOMIC_RELEASE);
		sn_netdev_txq_stop(dev, txq);
	}
	return i;
}

static uint16_t
sn_test_xmit(struct sn_netdev *dev, uint16_t txq, struct rte_mbuf **pkts, uint16_t n)
{
	struct sn_test_netdev *c = sn_netdev_priv(dev);
	uint16_t k = n;

	c->calls++;
	if (c->hook != NULL)
		c->hook(dev, txq, c->hook_arg);
	if (c->fault != NULL)
		return sn_test_fault_xmit(dev, c->fault, txq, pkts, n);
	if (c->budget >= 0 && k > c->budget)
		k = (uint16_t)c->budget;
	if (c->credit >= 0 && k > c->credit)
		k = (uint16_t)c->credit;
	if (c->credit >= 0)
		c->credit -= k;
	for (uint16_t i = 0; i < k; i++) {
		if (c->keep && c->accepted + i < c->kept_cap)
			c->kept[c->accepted + i] = pkts[i];
		else
			rte_pktmbuf_free(pkts[i]);
	}
	c->accepted += k;
	if (c->stop_in_xmit) {
		c->stop_in_xmit = false;
		sn_netdev_txq_stop(dev, txq);
	}
	return k;
}

static int
sn_test_tx_ready(struct sn_netdev *dev, uint16_t txq)
{
	struct sn_test_netdev *c = sn_netdev_priv(dev);

	RTE_SET_USED(txq);
	__atomic_fetch_add(&c->ready_calls, 1, __ATOMIC_RELAXED);
	return __atomic_load_n(&c->ready, __ATOMIC_RELAXED);
}

static const struct sn_netdev_ops sn_test_netdev_ops = {
	.xmit = sn_test_xmit,
	.tx_ready = sn_test_tx_ready,
};

struct sn_netdev *
sn_test_netdev_create(const char *name, uint16_t nb_txq)
{
	struct sn_netdev *dev;
	struct sn_test_netdev *c;

	dev = sn_netdev_create(name, &sn_test_netdev_ops, nb_txq, sizeof(*c), SOCKET_ID_ANY);
	if (dev == NULL)
		return NULL;
	c = sn_netdev_priv(dev);
	c->budget = -1;
	c->credit = -1;
	c->ready = -1;
	sn_netdev_up(dev);
	return dev;
}

struct sn_test_netdev *
sn_test_netdev_ctl(struct sn_netdev *dev)
{
	return sn_netdev_priv(dev);
}

struct sn_test_fault *
sn_test_netdev_fault(struct sn_netdev *dev)
{
	struct sn_test_netdev *c = sn_netdev_priv(dev);
	uint16_t nb = sn_netdev_nb_txq(dev);
	struct sn_test_fault *f;

	if (c->fault != NULL)
		return c->fault;
	f = rte_zmalloc("sn_test_fault", sizeof(*f) + nb * sizeof(f->q[0]), RTE_CACHE_LINE_SIZE);
	if (f == NULL)
		return NULL;
	f->nb_txq = nb;
	for (uint16_t i = 0; i < nb; i++)
		rte_spinlock_init(&f->q[i].lock);
	c->fault = f;
	return f;
}

static unsigned int
sn_test_fault_complete_q(struct sn_test_fault *f, uint16_t txq, unsigned int max)
{
	struct sn_test_fault_txq *q = &f->q[txq];
	unsigned int k = 0;

	rte_spinlock_lock(&q->lock);
	while (k < max && q->held_len != 0) {
		rte_pktmbuf_free(q->held[q->held_head]);
		rte_pktmbuf_free(q->shadow[q->held_head]);
		q->held_head = (q->held_head + 1) % SN_TEST_FAULT_HOLD_MAX;
		q->held_len--;
		k++;
	}
	q->completed += k;
	rte_spinlock_unlock(&q->lock);
	return k;
}

unsigned int
sn_test_fault_complete(struct sn_netdev *dev, uint16_t txq, unsigned int max)
{
	struct sn_test_fault *f = sn_test_netdev_ctl(dev)->fault;

	if (f == NULL || txq >= f->nb_txq)
		return 0;
	return sn_test_fault_complete_q(f, txq, max);
}

bool
sn_test_fault_wake(struct sn_softnet *sd, struct sn_netdev *dev, uint16_t txq)
{
	struct sn_test_fault *f = sn_test_netdev_ctl(dev)->fault;
	bool woke = false;

	if (f == NULL || txq >= f->nb_txq)
		return false;
	sn_local_bh_disable(sd);
	if (sn_netdev_tx_lock(sd, dev, txq) != 0) {
		sn_local_bh_enable(sd);
		return false;
	}
	if (__atomic_load_n(&f->q[txq].stopped, __ATOMIC_ACQUIRE)) {
		__atomic_store_n(&f->q[txq].stopped, 0, __ATOMIC_RELEASE);
		f->q[txq].wakes++;
		sn_netdev_txq_wake(sd, dev, txq);
		woke = true;
	}
	sn_netdev_tx_unlock(dev, txq);
	sn_local_bh_enable(sd);
	return woke;
}

void
sn_test_netdev_free(struct sn_netdev *dev, struct sn_softnet *sd)
{
	struct sn_test_netdev *c;
	struct sn_test_fault *f;

	if (dev == NULL)
		return;
	/* Take the device down first: its queued packets are dropped and counted. */
	sn_netdev_down(dev, sd);
	c = sn_netdev_priv(dev);
	if (c->keep) {
		uint64_t n = RTE_MIN(c->accepted, c->kept_cap);

		for (uint64_t i = 0; i < n; i++)
			rte_pktmbuf_free(c->kept[i]);
		c->keep = false;
	}
	f = c->fault;
	sn_netdev_free(dev, sd);
	if (f != NULL) {
		/* The device is gone: what it still held is completed now. */
		for (uint16_t i = 0; i < f->nb_txq; i++)
			sn_test_fault_complete_q(f, i, UINT32_MAX);
		rte_free(f);
	}
}
