/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The line-rate NIC model (sn_linerate.h): a softnet netdev driver whose
 * transmit queues are descriptor rings drained by time at a link rate.
 *
 * Each queue's ring holds descriptors in three stretches, oldest first:
 * departed but not completed (completions delayed: they come in batches, as
 * from a NIC's interrupt moderation), on the wire (accepted, not departed
 * yet), and free. Accepting a frame gives it its wire end time at
 * once: it starts when the wire is free (the previous frame's end, or now if
 * the wire idles) and takes (len + overhead) * 8 / rate seconds, in TSC
 * cycles with the remainder carried, so that a saturated queue keeps the
 * exact rate over any stretch of time. Nothing runs on its own: the model is
 * advanced to "now" whenever the driver is entered.
 *
 * Locking: one spinlock per queue (a leaf) serialises the ring between the
 * xmit op (which softnet calls under the queue's xmit lock, softirqs off),
 * tx_ready (under the qdisc's root lock, where the xmit lock may not be
 * taken) and the poll; BQL's sent and completed calls for the queue are made
 * under it too, as sn_netdev_driver.h asks. The poll disables softirqs
 * around its work, so that the qdisc runs its wakes schedule never run
 * under the ring lock (they would call xmit, which takes it).
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_spinlock.h>

#include "sn_dql.h"
#include "sn_linerate.h"
#include "sn_netdev_driver.h"
#include "sn_softnet.h"
#include "sn_context.h"

RTE_LOG_REGISTER(sn_logtype_linerate, softnet.linerate, NOTICE);

/* Frames handed on per sink call. */
#define LR_BURST 64
/* Free descriptors at which the poll wakes a queue the driver stopped (fewer
 * than a qdisc batch: the first burst after a wake may be partial, as on a
 * real PMD). */
#define LR_WAKE_MAX 16

struct lr_desc {
	struct rte_mbuf *m;     /* NULL once departed */
	uint64_t end_tsc;       /* last bit leaves the wire */
	uint32_t len;           /* frame bytes (for BQL) */
};

struct lr_txq {
	rte_spinlock_t lock;
	uint32_t size;
	uint32_t wake_thresh;
	uint32_t comp_idx;      /* oldest descriptor not completed */
	uint32_t wire_idx;      /* oldest frame not departed */
	uint32_t tail_idx;      /* next free descriptor */
	uint32_t used;          /* descriptors not completed */
	uint32_t on_wire;       /* frames not departed */
	uint32_t drop_cnt;
	uint64_t wire_free;     /* TSC at which the wire is free */
	uint64_t rem;           /* remainder of the wire time, in 1/rate cycles */
	uint64_t first_tsc;
	uint64_t next_irq;      /* completion delay: earliest next completion batch */
	struct sn_linerate_stats st;
	struct lr_desc *ring;
} __rte_cache_aligned;

struct lr_dev {
	uint64_t rate;          /* bit/s */
	uint64_t hz;            /* TSC hz */
	uint32_t overhead;
	uint32_t drop_every;
	uint64_t delay_cycles;  /* completion delay; atomic, changed at run time */
	sn_linerate_sink_t sink;
	void *sink_arg;
	bool to_port;
	uint16_t port_id;
	uint16_t port_txq;
	uint16_t nb_txq;
	struct lr_txq q[];
};

static const struct sn_netdev_ops lr_ops;

static inline uint32_t
lr_next(const struct lr_txq *t, uint32_t i)
{
	return ++i == t->size ? 0 : i;
}

/* Hand on @n departed frames of @t: drop, sink, port or free. Ring lock held. */
static void
lr_deliver(struct lr_dev *d, struct lr_txq *t, uint16_t txq, struct rte_mbuf **pkts,
	   uint64_t *tsc, uint16_t n)
{
	if (n == 0)
		return;
	if (d->drop_every != 0) {
		uint16_t k = 0;

		for (uint16_t i = 0; i < n; i++) {
			if (++t->drop_cnt >= d->drop_every) {
				t->drop_cnt = 0;
				t->st.dropped++;
				rte_pktmbuf_free(pkts[i]);
				continue;
			}
			pkts[k] = pkts[i];
			tsc[k++] = tsc[i];
		}
		n = k;
		if (n == 0)
			return;
	}
	if (d->sink != NULL) {
		d->sink(d->sink_arg, txq, pkts, tsc, n);
	} else if (d->to_port) {
		uint16_t sent = rte_eth_tx_burst(d->port_id, d->port_txq, pkts, n);

		if (sent < n) {
			t->st.port_refused += n - sent;
			rte_pktmbuf_free_bulk(pkts + sent, n - sent);
		}
	} else {
		rte_pktmbuf_free_bulk(pkts, n);
	}
}

/*
 * Advance queue @t to @now: frames whose end time has passed leave the wire,
 * descriptors whose completion time has come are released. Returns the
 * descriptors completed and their bytes in *@bytes. Ring lock held.
 */
static uint32_t
lr_advance(struct lr_dev *d, struct lr_txq *t, uint16_t txq, uint64_t now, uint32_t *bytes)
{
	struct rte_mbuf *pkts[LR_BURST];
	uint64_t tsc[LR_BURST];
	uint64_t delay = __atomic_load_n(&d->delay_cycles, __ATOMIC_RELAXED);
	uint32_t ncomp = 0, b = 0;
	uint16_t n = 0;

	while (t->on_wire != 0) {
		struct lr_desc *x = &t->ring[t->wire_idx];

		if (x->end_tsc > now)
			break;
		pkts[n] = x->m;
		tsc[n++] = x->end_tsc;
		x->m = NULL;
		t->st.departed++;
		t->st.departed_bytes += x->len;
		t->on_wire--;
		t->wire_idx = lr_next(t, t->wire_idx);
		if (n == LR_BURST) {
			lr_deliver(d, t, txq, pkts, tsc, n);
			n = 0;
		}
	}
	lr_deliver(d, t, txq, pkts, tsc, n);

	/*
	 * Completions: at once, or with a delay, in batches at most every
	 * @delay cycles, each completing whatever has left the wire by then
	 * (a NIC's interrupt moderation).
	 */
	if (delay != 0) {
		if (now < t->next_irq)
			goto done;
		t->next_irq = now + delay;
	}
	while (t->used > t->on_wire) {
		b += t->ring[t->comp_idx].len;
		ncomp++;
		t->used--;
		t->comp_idx = lr_next(t, t->comp_idx);
	}
done:
	t->st.completed += ncomp;
	*bytes = b;
	return ncomp;
}

/* Wire time of @len bytes at @d's rate, remainder carried in t->rem. */
static inline uint64_t
lr_wire_time(const struct lr_dev *d, struct lr_txq *t, uint32_t len)
{
	uint64_t num = (uint64_t)(len + d->overhead) * 8 * d->hz + t->rem;

	t->rem = num % d->rate;
	return num / d->rate;
}

/* ndo_start_xmit: the queue's xmit lock held, softirqs off. */
static uint16_t
lr_xmit(struct sn_netdev *dev, uint16_t txq, struct rte_mbuf **pkts, uint16_t n)
{
	struct lr_dev *d = sn_netdev_priv(dev);
	struct lr_txq *t = &d->q[txq];
	uint64_t now = rte_rdtsc();
	uint32_t cbytes, ncomp, k, max, bytes = 0;
	int32_t avail;

	rte_spinlock_lock(&t->lock);
	ncomp = lr_advance(d, t, txq, now, &cbytes);
	if (ncomp != 0)
		sn_netdev_tx_completed_queue(sn_softnet_current(), dev, txq, ncomp, cbytes);

	/*
	 * Take what the ring has room for, and no more bytes than BQL allows
	 * (the frame that crosses its limit included): the rest of the burst
	 * goes back to the qdisc, as the kernel's bulk dequeue stops at the
	 * limit.
	 */
	max = RTE_MIN((uint32_t)n, t->size - t->used);
	avail = sn_netdev_tx_bql_avail(dev, txq);
	for (k = 0; k < max && (int64_t)bytes <= (int64_t)avail; k++) {
		struct lr_desc *x = &t->ring[t->tail_idx];
		uint32_t len = rte_pktmbuf_pkt_len(pkts[k]);
		uint64_t start = t->wire_free;

		if (now > start) {
			/* The wire idled: it starts now, afresh. */
			if (t->first_tsc == 0)
				t->first_tsc = now;
			else
				t->st.idle_cycles += now - start;
			start = now;
			t->rem = 0;
		}
		x->m = pkts[k];
		x->len = len;
		x->end_tsc = start + lr_wire_time(d, t, len);
		t->wire_free = x->end_tsc;
		t->tail_idx = lr_next(t, t->tail_idx);
		bytes += len;
	}
	t->used += k;
	t->on_wire += k;
	t->st.accepted += k;
	t->st.accepted_bytes += bytes;
	if (k != 0)
		sn_netdev_tx_sent_queue(dev, txq, bytes);
	if (t->used == t->size) {
		/* Full: the driver's stop (netif_tx_stop_queue); the poll wakes it. */
		sn_netdev_txq_stop(dev, txq);
		t->st.stops++;
	}
	rte_spinlock_unlock(&t->lock);
	return (uint16_t)k;
}

/*
 * Room again after softnet's own stop? Under the root lock: the ring lock
 * is a leaf, so it may be taken here; nothing is advanced (that would hand
 * frames on under the root lock): a free descriptor, or one whose
 * completion is due (the next xmit releases it), is room.
 */
static int
lr_tx_ready(struct sn_netdev *dev, uint16_t txq)
{
	struct lr_dev *d = sn_netdev_priv(dev);
	struct lr_txq *t = &d->q[txq];
	uint64_t now;
	int ready;

	rte_spinlock_lock(&t->lock);
	now = rte_rdtsc();
	ready = t->used < t->size ||
		(t->ring[t->comp_idx].end_tsc <= now &&
		 (__atomic_load_n(&d->delay_cycles, __ATOMIC_RELAXED) == 0 || now >= t->next_irq));
	rte_spinlock_unlock(&t->lock);
	return ready;
}

/* Free what the rings still hold; the device is down. */
static void
lr_uninit(struct sn_netdev *dev)
{
	struct lr_dev *d = sn_netdev_priv(dev);

	for (uint16_t i = 0; i < d->nb_txq; i++) {
		struct lr_txq *t = &d->q[i];

		if (t->ring == NULL)
			continue;
		while (t->on_wire != 0) {
			rte_pktmbuf_free(t->ring[t->wire_idx].m);
			t->ring[t->wire_idx].m = NULL;
			t->on_wire--;
			t->wire_idx = lr_next(t, t->wire_idx);
		}
		t->used = 0;
		rte_free(t->ring);
		t->ring = NULL;
	}
}

static const struct sn_netdev_ops lr_ops = {
	.xmit = lr_xmit,
	.tx_ready = lr_tx_ready,
	.uninit = lr_uninit,
};

bool
sn_is_linerate(const struct sn_netdev *dev)
{
	return dev != NULL && sn_netdev_ops(dev) == &lr_ops;
}

int
sn_linerate_poll(struct sn_softnet *sd, struct sn_netdev *dev)
{
	struct lr_dev *d;
	int total = 0;

	if (sd == NULL || !sn_is_linerate(dev))
		return -EINVAL;
	if (sn_in_hardirq(sd))
		return -EPERM;
	d = sn_netdev_priv(dev);
	sn_local_bh_disable(sd);
	for (uint16_t i = 0; i < d->nb_txq; i++) {
		struct lr_txq *t = &d->q[i];
		uint32_t cbytes, ncomp;
		bool wake;

		/* Nothing in the ring: nothing to advance (one load, no lock). */
		if (__atomic_load_n(&t->used, __ATOMIC_RELAXED) == 0 &&
		    !(sn_netdev_txq_state(dev, i) & SN_NETDEV_TXQ_DRV_XOFF))
			continue;
		rte_spinlock_lock(&t->lock);
		ncomp = lr_advance(d, t, i, rte_rdtsc(), &cbytes);
		if (ncomp != 0)
			sn_netdev_tx_completed_queue(sd, dev, i, ncomp, cbytes);
		wake = t->size - t->used >= t->wake_thresh &&
		       (sn_netdev_txq_state(dev, i) & SN_NETDEV_TXQ_DRV_XOFF);
		/* Under the ring lock: a newer stop from xmit cannot be undone. */
		if (wake) {
			t->st.wakes++;
			sn_netdev_txq_wake(sd, dev, i);
		}
		rte_spinlock_unlock(&t->lock);
		total += (int)ncomp;
	}
	/* Qdisc runs the wakes and completions scheduled happen here (process context). */
	sn_local_bh_enable(sd);
	return total;
}

int
sn_linerate_stats(struct sn_netdev *dev, uint16_t txq, struct sn_linerate_stats *st)
{
	struct lr_dev *d;
	struct lr_txq *t;
	uint32_t on_wire;
	uint64_t now;

	if (!sn_is_linerate(dev) || st == NULL)
		return -EINVAL;
	d = sn_netdev_priv(dev);
	if (txq >= d->nb_txq)
		return -EINVAL;
	t = &d->q[txq];
	rte_spinlock_lock(&t->lock);
	*st = t->st;
	/*
	 * A snapshot as of @now: frames whose last bit has left by then count
	 * as departed (handed on at the next advance), and an idle wire's idle
	 * time so far counts (committed when it restarts).
	 */
	now = rte_rdtsc();
	st->tsc = now;
	on_wire = t->on_wire;
	for (uint32_t i = t->wire_idx; on_wire != 0 && t->ring[i].end_tsc <= now;
	     i = lr_next(t, i)) {
		st->departed++;
		st->departed_bytes += t->ring[i].len;
		on_wire--;
	}
	if (t->first_tsc != 0 && now > t->wire_free)
		st->idle_cycles += now - t->wire_free;
	st->in_ring = t->used;
	st->on_wire = on_wire;
	st->first_tsc = t->first_tsc;
	st->wire_free_tsc = t->wire_free;
	rte_spinlock_unlock(&t->lock);
	return 0;
}

int
sn_linerate_set_completion_delay(struct sn_netdev *dev, uint64_t ns)
{
	struct lr_dev *d;

	if (!sn_is_linerate(dev))
		return -EINVAL;
	d = sn_netdev_priv(dev);
	__atomic_store_n(&d->delay_cycles, ns * d->hz / 1000000000ull, __ATOMIC_RELAXED);
	return 0;
}

uint64_t
sn_linerate_rate(const struct sn_netdev *dev)
{
	if (!sn_is_linerate(dev))
		return 0;
	return ((const struct lr_dev *)sn_netdev_priv((struct sn_netdev *)(uintptr_t)dev))->rate;
}

uint64_t
sn_linerate_wire_cycles(const struct sn_netdev *dev, uint64_t npkts, uint32_t len)
{
	const struct lr_dev *d;
	unsigned __int128 bits;

	if (!sn_is_linerate(dev))
		return 0;
	d = sn_netdev_priv((struct sn_netdev *)(uintptr_t)dev);
	bits = (unsigned __int128)npkts * (len + d->overhead) * 8;
	return (uint64_t)(bits * d->hz / d->rate);
}

struct sn_netdev *
sn_linerate_create(const char *name, const struct sn_linerate_conf *conf)
{
	static const struct sn_linerate_conf dflt;
	struct sn_bql_conf bql = { .enable = true };
	struct sn_netdev *dev;
	struct lr_dev *d;
	uint16_t nb_txq;
	uint32_t ring;
	int socket;

	if (conf == NULL)
		conf = &dflt;
	nb_txq = conf->nb_txq != 0 ? conf->nb_txq : 1;
	ring = conf->ring_size != 0 ? conf->ring_size : SN_LINERATE_RING_DEFAULT;
	if (ring > SN_LINERATE_RING_MAX || nb_txq > SN_NETDEV_MAX_TXQ ||
	    conf->reserved[0] != 0 || conf->reserved[1] != 0 || conf->reserved[2] != 0 ||
	    conf->reserved[3] != 0 ||
	    (conf->to_port && conf->sink == NULL && !rte_eth_dev_is_valid_port(conf->port_id))) {
		rte_errno = EINVAL;
		return NULL;
	}
	socket = conf->socket != 0 ? conf->socket : SOCKET_ID_ANY;
	dev = sn_netdev_create(name, &lr_ops, nb_txq,
			       sizeof(struct lr_dev) + nb_txq * sizeof(struct lr_txq), socket);
	if (dev == NULL)
		return NULL;
	d = sn_netdev_priv(dev);
	d->rate = conf->rate_bps != 0 ? conf->rate_bps : SN_LINERATE_RATE_DEFAULT;
	d->hz = rte_get_tsc_hz();
	d->overhead = conf->no_overhead ? 0 :
		      conf->overhead != 0 ? conf->overhead : SN_LINERATE_OVERHEAD;
	d->drop_every = conf->drop_every;
	d->delay_cycles = conf->completion_delay_ns * d->hz / 1000000000ull;
	d->sink = conf->sink;
	d->sink_arg = conf->sink_arg;
	d->to_port = conf->to_port;
	d->port_id = conf->port_id;
	d->port_txq = conf->port_txq;
	d->nb_txq = nb_txq;
	bql.enable = !conf->no_bql;
	bql.hold_us = conf->bql_hold_us;
	for (uint16_t i = 0; i < nb_txq; i++) {
		struct lr_txq *t = &d->q[i];

		rte_spinlock_init(&t->lock);
		t->size = ring;
		t->wake_thresh = RTE_MIN(ring / 4, (uint32_t)LR_WAKE_MAX);
		if (t->wake_thresh == 0)
			t->wake_thresh = 1;
		t->ring = rte_zmalloc_socket("sn_linerate_ring", ring * sizeof(struct lr_desc),
					     RTE_CACHE_LINE_SIZE, socket);
		if (t->ring == NULL) {
			rte_errno = ENOMEM;
			goto free_dev;
		}
		if (sn_netdev_bql_set(dev, i, &bql) != 0) {
			rte_errno = EINVAL;
			goto free_dev;
		}
	}
	if (sn_netdev_up(dev) != 0) {
		rte_errno = EINVAL;
		goto free_dev;
	}
	rte_log(RTE_LOG_DEBUG, sn_logtype_linerate,
		"softnet: linerate %s: %" PRIu64 " bit/s, %u txq x %u descriptors\n",
		name, d->rate, nb_txq, ring);
	return dev;

free_dev:
	{
		int err = rte_errno;

		sn_netdev_free(dev, NULL);
		rte_errno = err;
	}
	return NULL;
}

void
sn_linerate_free(struct sn_netdev *dev, struct sn_softnet *sd)
{
	if (!sn_is_linerate(dev))
		return;
	sn_netdev_free(dev, sd);
}
