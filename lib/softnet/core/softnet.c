/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Library set-up and the per-lcore softnet data: attach/detach, the poll
 * call embedders put in their loop, the completion queue and counters.
 */

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_mbuf_dyn.h>
#include <rte_pause.h>

#include "core_private.h"
#include "sched_private.h"

RTE_LOG_REGISTER(sn_logtype_core, softnet.core, NOTICE);

static_assert(SN_DROP_REASON_MAX <= SN_DROP_REASON_SLOTS,
	      "more drop reasons than the stats have slots for");
/* The hot line must hold what every transmit touches. */
static_assert(offsetof(struct sn_softnet, stats) == RTE_CACHE_LINE_SIZE,
	      "softnet hot fields must fit one cache line");

struct rte_rcu_qsbr *sn_rcu;
uint64_t sn_tx_retry_cycles;
struct sn_softnet *sn_lcores[RTE_MAX_LCORE];
int sn_mbuf_prio_offset = -1;

static bool sn_ready;
static RTE_DEFINE_PER_LCORE(struct sn_softnet *, sn_current);
static uint32_t sn_quota = SN_TX_QUOTA;
uint32_t sn_max_burst = SN_QDISC_MAX_BURST;

uint32_t
sn_tx_quota(void)
{
	return sn_quota;
}

uint32_t
sn_qdisc_max_burst(void)
{
	return __atomic_load_n(&sn_max_burst, __ATOMIC_RELAXED);
}

int
sn_qdisc_max_burst_set(uint32_t limit)
{
	if (limit == 0 || limit > SN_QDISC_MAX_BURST_MAX)
		return -EINVAL;
	__atomic_store_n(&sn_max_burst, limit, __ATOMIC_RELAXED);
	return 0;
}

static const char *const sn_drop_names[SN_DROP_REASON_MAX] = {
	[SN_DROP_QDISC] = "qdisc",
	[SN_DROP_BURST_LIMIT] = "burst_limit",
	[SN_DROP_DEACTIVATED] = "deactivated",
	[SN_DROP_DEV_DOWN] = "dev_down",
	[SN_DROP_DEAD_LOOP] = "dead_loop",
	[SN_DROP_RECURSION_LIMIT] = "recursion_limit",
	[SN_DROP_OVERSIZE] = "oversize",
	[SN_DROP_MALFORMED] = "malformed",
	[SN_DROP_NO_TXQ] = "no_txq",
	[SN_DROP_DRIVER] = "driver",
	[SN_DROP_QDISC_CONGESTED] = "qdisc_congested",
	[SN_DROP_QDISC_OVERLIMIT] = "qdisc_overlimit",
	[SN_DROP_EMULATED_LOSS] = "emulated_loss",
};

const char *
sn_drop_reason_name(enum sn_drop_reason reason)
{
	if ((unsigned int)reason >= SN_DROP_REASON_MAX)
		return NULL;
	return sn_drop_names[reason];
}

static int
sn_prio_field_register(void)
{
	static const struct rte_mbuf_dynfield desc = {
		.name = SN_MBUF_PRIO_DYNFIELD,
		.size = sizeof(uint32_t),
		.align = __alignof__(uint32_t),
	};
	int off = rte_mbuf_dynfield_register(&desc);

	if (off < 0)
		return -rte_errno;
	sn_mbuf_prio_offset = off;
	return 0;
}

int
sn_init(const struct sn_init_params *p)
{
	unsigned int lcore;
	size_t sz;
	int rc;

	if (sn_ready)
		return -EALREADY;
	if (p != NULL) {
		for (unsigned int i = 0; i < RTE_DIM(p->reserved); i++)
			if (p->reserved[i] != 0)
				return -EINVAL;
		if (p->tx_quota > 65536 || p->qdisc_max_burst > SN_QDISC_MAX_BURST_MAX)
			return -EINVAL;
		sn_quota = p->tx_quota ? p->tx_quota : SN_TX_QUOTA;
		sn_max_burst = p->qdisc_max_burst ? p->qdisc_max_burst : SN_QDISC_MAX_BURST;
	}

	sn_tx_retry_cycles = rte_get_tsc_hz() / 1000000 * SN_NETDEV_TX_RETRY_US;
	rc = sn_prio_field_register();
	if (rc < 0)
		return rc;
	rc = sn_irq_defer_init();
	if (rc < 0)
		return rc;

	sz = rte_rcu_qsbr_get_memsize(RTE_MAX_LCORE);
	sn_rcu = rte_zmalloc("softnet_rcu", sz, RTE_CACHE_LINE_SIZE);
	if (sn_rcu == NULL)
		return -ENOMEM;
	rc = rte_rcu_qsbr_init(sn_rcu, RTE_MAX_LCORE);
	if (rc != 0) {
		rc = -rte_errno;
		goto free_rcu;
	}

	RTE_LCORE_FOREACH(lcore) {
		struct sn_softnet *sd;

		sd = rte_zmalloc_socket("softnet", sizeof(*sd), RTE_CACHE_LINE_SIZE,
					(int)rte_lcore_to_socket_id(lcore));
		if (sd == NULL) {
			rc = -ENOMEM;
			goto free_lcores;
		}
		sd->lcore = lcore;
		sd->quota = sn_quota;
		sd->output_queue_tailp = &sd->output_queue;
		sd->wd_next = UINT64_MAX;
		rte_spinlock_init(&sd->wd_lock);
		sn_lcores[lcore] = sd;
	}
	sn_ready = true;
	return 0;

free_lcores:
	for (lcore = 0; lcore < RTE_MAX_LCORE; lcore++) {
		rte_free(sn_lcores[lcore]);
		sn_lcores[lcore] = NULL;
	}
free_rcu:
	rte_free(sn_rcu);
	sn_rcu = NULL;
	return rc;
}

int
sn_fini(void)
{
	unsigned int lcore;

	if (!sn_ready)
		return 0;
	for (lcore = 0; lcore < RTE_MAX_LCORE; lcore++)
		if (sn_lcores[lcore] != NULL && sn_lcores[lcore]->attached)
			return -EBUSY;
	for (lcore = 0; lcore < RTE_MAX_LCORE; lcore++) {
		struct sn_softnet *sd = sn_lcores[lcore];

		if (sd == NULL)
			continue;
		sn_cq_flush(sd);
		rte_free(sd);
		sn_lcores[lcore] = NULL;
	}
	rte_free(sn_rcu);
	sn_rcu = NULL;
	sn_ready = false;
	return 0;
}

struct sn_softnet *
sn_softnet_attach(void)
{
	unsigned int lcore = rte_lcore_id();
	struct sn_softnet *sd;

	if (!sn_ready) {
		rte_errno = EPERM;
		return NULL;
	}
	if (lcore >= RTE_MAX_LCORE || sn_lcores[lcore] == NULL) {
		rte_errno = ENODEV;
		return NULL;
	}
	sd = sn_lcores[lcore];
	if (sd->attached) {
		rte_errno = EALREADY;
		return NULL;
	}
	if (rte_rcu_qsbr_thread_register(sn_rcu, lcore) != 0) {
		rte_errno = EINVAL;
		return NULL;
	}
	rte_rcu_qsbr_thread_online(sn_rcu, lcore);
	RTE_ASSERT(sd->output_queue == NULL);
	sd->attached = 1;
	RTE_PER_LCORE(sn_current) = sd;
	return sd;
}

int
sn_softnet_detach(struct sn_softnet *sd)
{
	unsigned int n;

	/* A plug left open is closed: what it holds goes now. */
	sd->plug_depth = 0;
	sn_xmit_plug_flush_bh(sd);
	/* Bounded: a stopped device may keep a qdisc scheduled for ever. */
	for (unsigned int i = 0; i < 1000 && sn_softnet_has_work(sd); i++) {
		sn_watchdog_run(sd);
		sn_do_softirq(sd);
		if (sn_softnet_has_work(sd))
			rte_pause();
	}
	/*
	 * From here on this lcore's lists are edited outside NET_TX: keep
	 * softirqs off so that one run from an interrupt's exit cannot race us.
	 */
	sn_ctx_bh_disable(sd);
	sn_cq_flush(sd);
	/* Still online: armed watchdogs join the output queue, handed over below. */
	sn_watchdog_handover(sd);
#if SN_LOCKDEP
	sn_lockdep_check_no_locks("sn_softnet_detach");
#endif
	/*
	 * Still online: hand what is still scheduled (a queue softnet stopped,
	 * a busy xmit lock) to the next lcore that polls (dev_cpu_dead()).
	 * Once offline, grace periods no longer wait for us, so a qdisc left
	 * on our list could be retired and freed under it. A replace that
	 * began before this is covered: its first grace period waits for us to
	 * go offline, and only then does it take the qdisc off the orphan list.
	 */
	n = sn_netif_orphan_all(sd);
	rte_rcu_qsbr_thread_offline(sn_rcu, sd->lcore);
	rte_rcu_qsbr_thread_unregister(sn_rcu, sd->lcore);
	sd->attached = 0;
	RTE_PER_LCORE(sn_current) = NULL;
	sn_ctx_bh_enable_no_run(sd);
	if (n != 0) {
		SN_LOG(INFO, core, "lcore %u detached with %u qdisc(s) still scheduled (stopped queue?): handed to the next lcore that polls\n",
		       sd->lcore, n);
		return -EBUSY;
	}
	return 0;
}

unsigned int
sn_softnet_poll(struct sn_softnet *sd)
{
	unsigned int work = 0;

	/*
	 * From a softirq or with bh disabled, the caller may hold qdisc
	 * pointers; a detached lcore is outside grace periods and must not
	 * adopt or run anything.
	 */
	if (unlikely(sd->preempt_count != 0 || !sd->attached))
		return 0;
	/* A plug never outlives a quiescent state: devices may go after one. */
	sn_xmit_plug_flush_bh(sd);
	/* Qdiscs a detached lcore left scheduled: ours now. */
	if (unlikely(sn_netif_orphans() != 0)) {
		sn_ctx_bh_disable(sd);
		sn_netif_adopt_slow(sd);
		sn_ctx_bh_enable_no_run(sd);
	}
	/* Shaped qdiscs whose time has come: scheduled, run by the NET_TX below. */
	sn_watchdog_run(sd);
	if (sd->pending != 0)
		work = sn_do_softirq(sd);
	rte_rcu_qsbr_quiescent(sn_rcu, sd->lcore);
#if SN_LOCKDEP
	/* Back to the lcore's loop: nothing may still be held. */
	sn_lockdep_check_no_locks("sn_softnet_poll");
#endif
	return work;
}

int
sn_softnet_lcore_loop(volatile bool *stop)
{
	struct sn_softnet *sd = sn_softnet_attach();

	if (sd == NULL)
		return -rte_errno;
	while (!__atomic_load_n(stop, __ATOMIC_RELAXED)) {
		if (sn_softnet_poll(sd) == 0)
			rte_pause();
	}
	return sn_softnet_detach(sd);
}

struct sn_softnet *
sn_softnet_current(void)
{
	return RTE_PER_LCORE(sn_current);
}

unsigned int
sn_softnet_output_queue(const struct sn_softnet *sd, struct sn_sched_entry *out, unsigned int n)
{
	unsigned int len = 0;

	for (const struct sn_qdisc *q = sd->output_queue; q != NULL; q = q->next_sched, len++) {
		if (len < n) {
			out[len].dev = q->dev;
			out[len].txq = q->txq;
		}
	}
	return len;
}

unsigned int
sn_softnet_lcore(const struct sn_softnet *sd)
{
	return sd->lcore;
}

bool
sn_softnet_has_work(const struct sn_softnet *sd)
{
	return sd->pending != 0 || sd->output_queue != NULL || sd->cq_len != 0 || sd->plug_len != 0 ||
	       __atomic_load_n(&sd->irq_list, __ATOMIC_RELAXED) != NULL ||
	       __atomic_load_n(&sd->wd_next, __ATOMIC_RELAXED) != UINT64_MAX;
}

struct sn_softnet *
sn_softnet_of(unsigned int lcore)
{
	return lcore < RTE_MAX_LCORE ? sn_lcores[lcore] : NULL;
}

/*
 * Free the completion queue in one bulk call. NET_TX calls it; so does a
 * full queue, which may then free under a lock: rare, and counted.
 */
void
sn_cq_flush(struct sn_softnet *sd)
{
	if (sd->cq_len == 0)
		return;
	rte_pktmbuf_free_bulk(sd->completion_queue, sd->cq_len);
	sd->stats.cq_freed += sd->cq_len;
	sd->stats.cq_flushes++;
	sd->cq_len = 0;
}

/*
 * dropped and the older drop_* fields from drops[], the only drop counters
 * written on the data path (one per reason, one writer each).
 */
static void
sn_stats_fold_drops(struct sn_softnet_stats *st)
{
	const uint64_t *d = st->drops;

	st->drop_invalid = d[SN_DROP_OVERSIZE] + d[SN_DROP_MALFORMED] + d[SN_DROP_NO_TXQ];
	st->drop_down = d[SN_DROP_DEV_DOWN];
	st->drop_deactivated = d[SN_DROP_DEACTIVATED];
	st->drop_qdisc = d[SN_DROP_QDISC] + d[SN_DROP_BURST_LIMIT] + d[SN_DROP_QDISC_CONGESTED] +
			 d[SN_DROP_QDISC_OVERLIMIT] + d[SN_DROP_EMULATED_LOSS];
	st->drop_dead_loop = d[SN_DROP_DEAD_LOOP] + d[SN_DROP_RECURSION_LIMIT];
	st->drop_noqueue = d[SN_DROP_DRIVER];
	st->dropped = 0;
	for (unsigned int r = 0; r < SN_DROP_REASON_MAX; r++)
		st->dropped += d[r];
}

int
sn_softnet_stats_get(unsigned int lcore, struct sn_softnet_stats *st)
{
	const struct sn_softnet *sd = sn_softnet_of(lcore);
	const volatile uint64_t *src;
	uint64_t *dst;

	if (sd == NULL || st == NULL)
		return -EINVAL;
	/* Field by field: each counter has one writer, 64-bit loads are atomic. */
	src = (const volatile uint64_t *)&sd->stats;
	dst = (uint64_t *)st;
	for (size_t i = 0; i < sizeof(*st) / sizeof(uint64_t); i++)
		dst[i] = src[i];
	sn_stats_fold_drops(st);
	return 0;
}

void
sn_softnet_stats_sum(struct sn_softnet_stats *st)
{
	struct sn_softnet_stats one;

	memset(st, 0, sizeof(*st));
	for (unsigned int lcore = 0; lcore < RTE_MAX_LCORE; lcore++) {
		uint64_t *dst = (uint64_t *)st;
		const uint64_t *src = (const uint64_t *)&one;

		if (sn_softnet_stats_get(lcore, &one) != 0)
			continue;
		for (size_t i = 0; i < sizeof(*st) / sizeof(uint64_t); i++)
			dst[i] += src[i];
	}
	/* Drops made outside any lcore (control threads), then the sums again. */
	sn_ctl_stats_add(st);
	sn_stats_fold_drops(st);
}

int
sn_softnet_stats_reset(unsigned int lcore)
{
	struct sn_softnet *sd = sn_softnet_of(lcore);

	if (sd == NULL)
		return -EINVAL;
	memset(&sd->stats, 0, sizeof(sd->stats));
	return 0;
}

void
sn_synchronize(struct sn_softnet *sd)
{
	unsigned int self = sd != NULL ? sd->lcore : RTE_QSBR_THRID_INVALID;

	rte_rcu_qsbr_synchronize(sn_rcu, self);
}

void
sn_ctl_lock(void)
{
	struct sn_softnet *sd = sn_softnet_current();

	if (sd == NULL || sd->preempt_count != 0) {
		pthread_mutex_lock(&sn_ctl_mutex);
		return;
	}
	/* Attached: the holder may be waiting for our quiescent state. */
	while (pthread_mutex_trylock(&sn_ctl_mutex) != 0) {
		rte_rcu_qsbr_quiescent(sn_rcu, sd->lcore);
		rte_pause();
	}
}

void
sn_ctl_unlock(void)
{
	pthread_mutex_unlock(&sn_ctl_mutex);
}
