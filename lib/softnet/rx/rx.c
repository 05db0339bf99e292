/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The receive side: net_rx_action, NAPI-style interrupt mode, the RX lcore
 * loop, and asynchronous interrupts delivered as signals.
 *
 * State. Each RX lcore has a small array of queues. A queue is "on the poll
 * list" while its sched word is set (the kernel's NAPI_STATE_SCHED): set by
 * its interrupt (an epoll wake in process context, or the hardirq handler in
 * signal context), cleared by NET_RX when a poll comes in under budget. Both
 * are single-word atomics, so the hardirq handler never needs a lock and
 * never sees a half-updated list.
 *
 * Who writes what. Queue counters and the interrupt mask (armed) are written
 * by NET_RX only (softirq context, never nested); the fired word by the
 * interrupt thread / sn_rx_queue_irq() (set) and by the lcore (taken); the
 * lcore counters each by one context (see struct sn_rx_lcore_stats). The
 * queue array and modes are written by control calls only while the lcore is
 * outside its loop, and by the lcore itself before it sets in_loop.
 *
 * Signal context. The handler (sn_rx_signal) only reads this thread's softnet
 * pointer, the lcore's in_loop and sleeping words, and calls sn_irq_deliver(),
 * whose handler (sn_rx_hardirq) takes fired words and sets sched words with
 * atomics and raises NET_RX; then write(2)s the wake eventfd if the lcore
 * sleeps. No mempool, no lock, no PMD call. NET_RX itself may then run at
 * irq_exit, still on the signal stack: that is only done when the
 * interrupted code had softirqs enabled and held nothing of softnet's.
 */

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <rte_epoll.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_interrupts.h>

#include "softnet.h"
#include "sn_rx.h"

RTE_LOG_REGISTER(sn_logtype_rx, softnet.rx, NOTICE);
#define RX_LOG(lvl, ...) rte_log(RTE_LOG_ ## lvl, sn_logtype_rx, "softnet rx: " __VA_ARGS__)

#define SN_RX_MAX_EVENTS 16
#define SN_RX_DEFAULT_SLEEP_MS 100
#define SN_RX_DEFAULT_BUSY_CHECK_US 20
/*
 * Edge-triggered PMDs (tap): keep polling this long after an interrupt before
 * completing. tap's rx_burst returns nothing until its SIGIO handler, which
 * may run on another thread, has bumped the PMD's trigger counter: the epoll
 * wake can come first, and completing then would strand the packet until
 * the next one arrives.
 */
#define SN_RX_EDGE_GRACE_US 500

static uint64_t rx_edge_grace_cycles;

struct sn_rx_lcore;

struct sn_rxq {
	uint16_t port;
	uint16_t queue;
	uint16_t budget;
	uint8_t mode;          /* requested */
	uint8_t eff_mode;      /* served in (after a fallback) */
	bool async;
	bool soft_irq;
	bool has_intr;         /* its interrupt fd is in an epoll set */
	bool can_mask;         /* rte_eth_dev_rx_intr_enable/disable work (not tap) */
	bool armed;            /* interrupt enabled; NET_RX only */
	int epfd;              /* where its interrupt fd was added */
	sn_rx_cb_fn cb;
	void *cb_arg;
	struct sn_rx_lcore *owner;
	volatile uint32_t sched;   /* on the poll list */
	volatile uint32_t fired;   /* interrupt seen, not yet taken by the lcore */
	volatile uint64_t irq_tsc; /* when the last interrupt was taken */
	struct sn_rx_queue_stats stats __rte_cache_aligned;
} __rte_cache_aligned;

struct sn_rx_lcore {
	unsigned int lcore;
	unsigned int nq;
	unsigned int npoll;        /* queues served in poll mode (in the loop) */
	struct sn_rxq *q[SN_RX_MAX_QUEUES];
	volatile uint32_t in_loop;
	volatile uint32_t sleeping;
	pthread_t thread;
	int epfd;
	int evfd;
	struct rte_epoll_event ev_wake; /* the eventfd's epoll registration */
	struct sn_rx_lcore_stats stats __rte_cache_aligned;
} __rte_cache_aligned;

static struct sn_rx_lcore *rx_lcores[RTE_MAX_LCORE];
static pthread_mutex_t rx_ctl_mutex = PTHREAD_MUTEX_INITIALIZER;
static int rx_hardirq_nr = -1;

/* Asynchronous interrupts: the interrupt thread and the signal. */
static struct {
	bool enabled;
	int signo;
	int epfd;
	volatile uint32_t stop;
	pthread_t thread;
	struct sigaction old;
} rx_async = { .epfd = -1 };

static void sn_net_rx_action(struct sn_softnet *sd);
static void sn_rx_hardirq(struct sn_softnet *sd);

/* ---- control ---- */

static struct sn_rxq *
rx_find(uint16_t port, uint16_t queue)
{
	for (unsigned int lc = 0; lc < RTE_MAX_LCORE; lc++) {
		struct sn_rx_lcore *l = rx_lcores[lc];

		if (l == NULL)
			continue;
		for (unsigned int i = 0; i < l->nq; i++)
			if (l->q[i]->port == port && l->q[i]->queue == queue)
				return l->q[i];
	}
	return NULL;
}

static struct sn_rx_lcore *
rx_lcore_get(unsigned int lcore)
{
	struct sn_rx_lcore *l = rx_lcores[lcore];

	if (l != NULL)
		return l;
	l = rte_zmalloc("softnet_rx_lcore", sizeof(*l), RTE_CACHE_LINE_SIZE);
	if (l == NULL)
		return NULL;
	l->lcore = lcore;
	l->epfd = -1;
	l->evfd = -1;
	__atomic_store_n(&rx_lcores[lcore], l, __ATOMIC_RELEASE);
	return l;
}

static int
rx_handlers_register(void)
{
	int nr;

	if (rx_hardirq_nr >= 0)
		return 0;
	nr = sn_hardirq_register(sn_rx_hardirq);
	if (nr < 0)
		return nr;
	rx_hardirq_nr = nr;
	return sn_softirq_set_handler(SN_SOFTIRQ_NET_RX, sn_net_rx_action);
}

int
sn_rx_queue_add(uint16_t port, uint16_t queue, unsigned int lcore,
		const struct sn_rx_queue_conf *conf)
{
	static const struct sn_rx_queue_conf defaults;
	struct rte_eth_dev_info info;
	struct sn_rx_lcore *l;
	struct sn_rxq *q;
	int rc = 0;

	if (conf == NULL)
		conf = &defaults;
	for (unsigned int i = 0; i < RTE_DIM(conf->reserved); i++)
		if (conf->reserved[i] != 0)
			return -EINVAL;
	if (!rte_eth_dev_is_valid_port(port) || rte_eth_dev_info_get(port, &info) != 0 ||
	    queue >= info.nb_rx_queues || lcore >= RTE_MAX_LCORE ||
	    !rte_lcore_is_enabled(lcore) ||
	    (conf->mode != SN_RX_POLL && conf->mode != SN_RX_INTERRUPT) ||
	    ((conf->async || conf->soft_irq) && conf->mode != SN_RX_INTERRUPT))
		return -EINVAL;
	pthread_mutex_lock(&rx_ctl_mutex);
	if (conf->async && !rx_async.enabled) {
		rc = -EINVAL;
		goto unlock;
	}
	rc = rx_handlers_register();
	if (rc < 0)
		goto unlock;
	if (rx_find(port, queue) != NULL) {
		rc = -EEXIST;
		goto unlock;
	}
	l = rx_lcore_get(lcore);
	if (l == NULL) {
		rc = -ENOMEM;
		goto unlock;
	}
	if (__atomic_load_n(&l->in_loop, __ATOMIC_ACQUIRE)) {
		rc = -EBUSY;
		goto unlock;
	}
	if (l->nq == SN_RX_MAX_QUEUES) {
		rc = -ENOSPC;
		goto unlock;
	}
	q = rte_zmalloc("softnet_rxq", sizeof(*q), RTE_CACHE_LINE_SIZE);
	if (q == NULL) {
		rc = -ENOMEM;
		goto unlock;
	}
	q->port = port;
	q->queue = queue;
	q->budget = conf->budget ? conf->budget : SN_RX_BUDGET;
	q->mode = (uint8_t)conf->mode;
	q->eff_mode = q->mode;
	q->async = conf->async;
	q->soft_irq = conf->soft_irq;
	q->cb = conf->cb;
	q->cb_arg = conf->cb_arg;
	q->owner = l;
	q->epfd = -1;
	l->q[l->nq++] = q;
unlock:
	pthread_mutex_unlock(&rx_ctl_mutex);
	return rc;
}

int
sn_rx_queue_del(uint16_t port, uint16_t queue)
{
	struct sn_rxq *q;
	struct sn_rx_lcore *l;
	int rc = 0;

	pthread_mutex_lock(&rx_ctl_mutex);
	q = rx_find(port, queue);
	if (q == NULL) {
		rc = -ENOENT;
		goto unlock;
	}
	l = q->owner;
	if (__atomic_load_n(&l->in_loop, __ATOMIC_ACQUIRE)) {
		rc = -EBUSY;
		goto unlock;
	}
	for (unsigned int i = 0; i < l->nq; i++) {
		if (l->q[i] == q) {
			l->q[i] = l->q[--l->nq];
			break;
		}
	}
	rte_free(q);
unlock:
	pthread_mutex_unlock(&rx_ctl_mutex);
	return rc;
}

int
sn_rx_callback_set(uint16_t port, uint16_t queue, sn_rx_cb_fn cb, void *arg)
{
	struct sn_rxq *q;
	int rc = 0;

	pthread_mutex_lock(&rx_ctl_mutex);
	q = rx_find(port, queue);
	if (q == NULL)
		rc = -ENOENT;
	else if (__atomic_load_n(&q->owner->in_loop, __ATOMIC_ACQUIRE))
		rc = -EBUSY;
	else {
		q->cb = cb;
		q->cb_arg = arg;
	}
	pthread_mutex_unlock(&rx_ctl_mutex);
	return rc;
}

int
sn_rx_queue_mode(uint16_t port, uint16_t queue)
{
	struct sn_rxq *q = rx_find(port, queue);

	return q == NULL ? -ENOENT : q->eff_mode;
}

int
sn_rx_queue_stats_get(uint16_t port, uint16_t queue, struct sn_rx_queue_stats *st)
{
	struct sn_rxq *q = rx_find(port, queue);
	const volatile uint64_t *src;
	uint64_t *dst = (uint64_t *)st;

	if (q == NULL || st == NULL)
		return -ENOENT;
	src = (const volatile uint64_t *)&q->stats;
	for (size_t i = 0; i < sizeof(*st) / sizeof(uint64_t); i++)
		dst[i] = src[i];
	return 0;
}

int
sn_rx_lcore_stats_get(unsigned int lcore, struct sn_rx_lcore_stats *st)
{
	struct sn_rx_lcore *l = lcore < RTE_MAX_LCORE ? rx_lcores[lcore] : NULL;
	const volatile uint64_t *src;
	uint64_t *dst = (uint64_t *)st;

	if (l == NULL || st == NULL)
		return -ENOENT;
	src = (const volatile uint64_t *)&l->stats;
	for (size_t i = 0; i < sizeof(*st) / sizeof(uint64_t); i++)
		dst[i] = src[i];
	return 0;
}

/* ---- NET_RX (softirq context) ---- */

static inline void
rx_deliver(struct sn_softnet *sd, struct sn_rxq *q, struct rte_mbuf **pkts, uint16_t n)
{
	q->stats.packets += n;
	if (likely(q->cb != NULL)) {
		q->cb(sd, q->port, q->queue, pkts, n, q->cb_arg);
	} else {
		rte_pktmbuf_free_bulk(pkts, n);
		q->stats.freed += n;
	}
}

/* Poll up to the budget. @return packets received; *drained: the last burst came up short. */
static uint32_t
rx_poll_budget(struct sn_softnet *sd, struct sn_rxq *q, bool *drained)
{
	struct rte_mbuf *pkts[SN_RX_BURST];
	uint32_t done = 0;

	*drained = false;
	q->stats.polls++;
	while (done < q->budget) {
		uint16_t want = (uint16_t)RTE_MIN((uint32_t)SN_RX_BURST, q->budget - done);
		uint16_t n = rte_eth_rx_burst(q->port, q->queue, pkts, want);

		if (n != 0) {
			done += n;
			rx_deliver(sd, q, pkts, n);
		}
		if (n < want) {
			*drained = true;
			break;
		}
	}
	if (done >= q->budget)
		q->stats.time_squeeze++;
	return done;
}

/*
 * One NAPI poll of a scheduled interrupt-mode queue.
 * @return true if it stays on the poll list.
 */
static bool
rx_napi_poll(struct sn_softnet *sd, struct sn_rxq *q)
{
	struct rte_mbuf *pkts[SN_RX_BURST];
	bool drained;
	uint16_t n;

	/* Masked while on the poll list, as a NIC's interrupt under NAPI. */
	if (q->armed && q->can_mask)
		rte_eth_dev_rx_intr_disable(q->port, q->queue);
	q->armed = false;

	rx_poll_budget(sd, q, &drained);
	if (!drained)
		return true; /* budget spent: keep polling (time_squeeze) */

	/* Edge-triggered and just interrupted: the packet may not be readable yet. */
	if (q->has_intr && !q->can_mask &&
	    rte_rdtsc() - q->irq_tsc < rx_edge_grace_cycles)
		return true;

	/* napi_complete: off the list, interrupt back on, then look once more. */
	__atomic_store_n(&q->sched, 0, __ATOMIC_SEQ_CST);
	if (q->has_intr && q->can_mask)
		rte_eth_dev_rx_intr_enable(q->port, q->queue);
	q->armed = true;
	/*
	 * A packet that arrived between the last burst and the re-arm raised
	 * no interrupt on a level/kick PMD (virtio): it would wait for the
	 * next one. Tap is edge-triggered and gets here with its queue empty.
	 */
	n = rte_eth_rx_burst(q->port, q->queue, pkts, SN_RX_BURST);
	if (n == 0) {
		q->stats.rearms++;
		return false;
	}
	q->stats.rearm_races++;
	__atomic_store_n(&q->sched, 1, __ATOMIC_SEQ_CST);
	rx_deliver(sd, q, pkts, n);
	return true;
}

static void
sn_net_rx_action(struct sn_softnet *sd)
{
	struct sn_rx_lcore *l = rx_lcores[sn_softnet_lcore(sd)];
	bool again = false;

	if (l == NULL || !__atomic_load_n(&l->in_loop, __ATOMIC_ACQUIRE))
		return;
	l->stats.rx_action++;
	for (unsigned int i = 0; i < l->nq; i++) {
		struct sn_rxq *q = l->q[i];
		bool drained;

		if (q->eff_mode == SN_RX_POLL) {
			rx_poll_budget(sd, q, &drained); /* the loop raises NET_RX again */
			continue;
		}
		if (__atomic_load_n(&q->sched, __ATOMIC_ACQUIRE) && rx_napi_poll(sd, q))
			again = true;
	}
	if (again)
		sn_raise_softirq(sd, SN_SOFTIRQ_NET_RX);
}

/* ---- hardirq (signal) side ---- */

/* Hardirq context: take the fired async queues onto the poll list. */
static void
sn_rx_hardirq(struct sn_softnet *sd)
{
	struct sn_rx_lcore *l = rx_lcores[sn_softnet_lcore(sd)];
	bool any = false;

	if (l == NULL)
		return;
	l->stats.hardirqs++;
	for (unsigned int i = 0; i < l->nq; i++) {
		struct sn_rxq *q = l->q[i];

		if (!q->async || !__atomic_exchange_n(&q->fired, 0, __ATOMIC_ACQ_REL))
			continue;
		q->stats.irqs++; /* async queue: written in hardirq context only */
		q->irq_tsc = rte_rdtsc();
		__atomic_store_n(&q->sched, 1, __ATOMIC_RELEASE);
		any = true;
	}
	if (any)
		sn_raise_softirq(sd, SN_SOFTIRQ_NET_RX);
}

static void
rx_wake_fd(int fd)
{
	uint64_t one = 1;

	if (fd >= 0 && write(fd, &one, sizeof(one)) < 0) {
		/* EAGAIN: the counter is already non-zero, the sleeper will wake. */
	}
}

/* The signal handler: the userspace hardirq entry. */
static void
sn_rx_signal(int sig, siginfo_t *si, void *uc)
{
	int saved_errno = errno;
	struct sn_softnet *sd = sn_softnet_current();
	struct sn_rx_lcore *l;

	RTE_SET_USED(sig);
	RTE_SET_USED(si);
	RTE_SET_USED(uc);
	if (sd == NULL)
		goto out;
	l = rx_lcores[sn_softnet_lcore(sd)];
	if (l == NULL || !__atomic_load_n(&l->in_loop, __ATOMIC_ACQUIRE))
		goto out;
	l->stats.signals++;
	sn_irq_deliver(sd, rx_hardirq_nr);
	/* Asleep in epoll (which restarts on EINTR): wake it to run what is left. */
	if (__atomic_load_n(&l->sleeping, __ATOMIC_ACQUIRE))
		rx_wake_fd(l->evfd);
out:
	errno = saved_errno;
}

static void *
rx_async_thread(void *arg)
{
	struct rte_epoll_event evs[SN_RX_MAX_EVENTS];
	sigset_t set;

	RTE_SET_USED(arg);
	sigemptyset(&set);
	sigaddset(&set, rx_async.signo);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	while (!__atomic_load_n(&rx_async.stop, __ATOMIC_ACQUIRE)) {
		int n = rte_epoll_wait(rx_async.epfd, evs, SN_RX_MAX_EVENTS, 50);

		for (int i = 0; i < n; i++) {
			struct sn_rxq *q = evs[i].epdata.data;

			if (q == NULL)
				continue;
			__atomic_store_n(&q->fired, 1, __ATOMIC_RELEASE);
			if (__atomic_load_n(&q->owner->in_loop, __ATOMIC_ACQUIRE))
				pthread_kill(q->owner->thread, rx_async.signo);
		}
	}
	return NULL;
}

int
sn_rx_async_enable(int signo)
{
	struct sigaction sa;
	int rc;

	if (signo == 0)
		signo = SIGUSR2;
	if (signo <= 0 || signo >= NSIG || signo == SIGKILL || signo == SIGSTOP)
		return -EINVAL;
	pthread_mutex_lock(&rx_ctl_mutex);
	if (rx_async.enabled) {
		rc = -EALREADY;
		goto unlock;
	}
	rc = rx_handlers_register();
	if (rc < 0)
		goto unlock;
	rx_async.epfd = epoll_create1(EPOLL_CLOEXEC);
	if (rx_async.epfd < 0) {
		rc = -errno;
		goto unlock;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = sn_rx_signal;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	rx_async.signo = signo;
	if (sigaction(signo, &sa, &rx_async.old) != 0) {
		rc = -errno;
		goto close_epfd;
	}
	rx_async.stop = 0;
	rc = -pthread_create(&rx_async.thread, NULL, rx_async_thread, NULL);
	if (rc != 0)
		goto restore_sig;
	rx_async.enabled = true;
	pthread_mutex_unlock(&rx_ctl_mutex);
	return 0;

restore_sig:
	sigaction(signo, &rx_async.old, NULL);
close_epfd:
	close(rx_async.epfd);
	rx_async.epfd = -1;
unlock:
	pthread_mutex_unlock(&rx_ctl_mutex);
	return rc;
}

void
sn_rx_async_disable(void)
{
	pthread_mutex_lock(&rx_ctl_mutex);
	if (rx_async.enabled) {
		__atomic_store_n(&rx_async.stop, 1, __ATOMIC_RELEASE);
		pthread_join(rx_async.thread, NULL);
		sigaction(rx_async.signo, &rx_async.old, NULL);
		close(rx_async.epfd);
		rx_async.epfd = -1;
		rx_async.enabled = false;
	}
	pthread_mutex_unlock(&rx_ctl_mutex);
}

int
sn_rx_queue_irq(uint16_t port, uint16_t queue)
{
	struct sn_rxq *q = rx_find(port, queue);
	struct sn_rx_lcore *l;

	if (q == NULL)
		return -ENOENT;
	if (q->eff_mode != SN_RX_INTERRUPT)
		return -EINVAL;
	l = q->owner;
	if (!__atomic_load_n(&l->in_loop, __ATOMIC_ACQUIRE))
		return -ENOENT;
	__atomic_store_n(&q->fired, 1, __ATOMIC_RELEASE);
	if (q->async)
		return -pthread_kill(l->thread, rx_async.signo);
	rx_wake_fd(l->evfd);
	return 0;
}

int
sn_rx_lcore_wake(unsigned int lcore)
{
	struct sn_rx_lcore *l = lcore < RTE_MAX_LCORE ? rx_lcores[lcore] : NULL;

	if (l == NULL || !__atomic_load_n(&l->in_loop, __ATOMIC_ACQUIRE))
		return -ENOENT;
	rx_wake_fd(l->evfd);
	return 0;
}

/* ---- the lcore loop (process context) ---- */

static void
rx_intr_setup(struct sn_rx_lcore *l, struct sn_rxq *q)
{
	int epfd = q->async ? rx_async.epfd : l->epfd;
	int rc;

	q->eff_mode = q->mode;
	q->has_intr = false;
	q->can_mask = false;
	q->armed = false;
	if (q->mode != SN_RX_INTERRUPT)
		return;
	rc = rte_eth_dev_rx_intr_ctl_q(q->port, q->queue, epfd, RTE_INTR_EVENT_ADD, q);
	if (rc < 0) {
		if (q->soft_irq) {
			RX_LOG(INFO, "port %u rxq %u: no RX interrupts (%s): waiting for sn_rx_queue_irq()\n",
			       q->port, q->queue, rte_strerror(-rc));
			return;
		}
		RX_LOG(NOTICE, "port %u rxq %u: the PMD has no RX interrupts (%s): polling\n",
		       q->port, q->queue, rte_strerror(-rc));
		q->eff_mode = SN_RX_POLL;
		return;
	}
	q->has_intr = true;
	q->epfd = epfd;
	/* Tap: -ENOTSUP; its fd is edge-triggered and always armed. */
	q->can_mask = rte_eth_dev_rx_intr_enable(q->port, q->queue) == 0;
	q->armed = true;
}

static void
rx_intr_teardown(struct sn_rxq *q)
{
	if (!q->has_intr)
		return;
	if (q->can_mask && q->armed)
		rte_eth_dev_rx_intr_disable(q->port, q->queue);
	rte_eth_dev_rx_intr_ctl_q(q->port, q->queue, q->epfd, RTE_INTR_EVENT_DEL, q);
	q->has_intr = false;
	q->epfd = -1;
}

static bool
rx_any_sched(const struct sn_rx_lcore *l)
{
	for (unsigned int i = 0; i < l->nq; i++)
		if (__atomic_load_n(&l->q[i]->sched, __ATOMIC_ACQUIRE))
			return true;
	return false;
}

static bool
rx_any_fired(const struct sn_rx_lcore *l)
{
	for (unsigned int i = 0; i < l->nq; i++)
		if (__atomic_load_n(&l->q[i]->fired, __ATOMIC_ACQUIRE))
			return true;
	return false;
}

/* Process context: put the synchronous queues whose interrupt fired on the poll list. */
static void
rx_take_fired(struct sn_softnet *sd, struct sn_rx_lcore *l)
{
	bool any = false;

	/* Softirqs off: NET_RX (at a signal's exit) reads the same words. */
	sn_local_bh_disable(sd);
	for (unsigned int i = 0; i < l->nq; i++) {
		struct sn_rxq *q = l->q[i];

		if (q->async || !__atomic_exchange_n(&q->fired, 0, __ATOMIC_ACQ_REL))
			continue;
		q->stats.irqs++;
		q->irq_tsc = rte_rdtsc();
		__atomic_store_n(&q->sched, 1, __ATOMIC_RELEASE);
		any = true;
	}
	if (any)
		sn_raise_softirq(sd, SN_SOFTIRQ_NET_RX);
	sn_local_bh_enable(sd);
}

/* Wait up to @timeout ms for interrupts or a wake; mark what fired. */
static void
rx_wait(struct sn_softnet *sd, struct sn_rx_lcore *l, int timeout)
{
	struct rte_epoll_event evs[SN_RX_MAX_EVENTS];
	int n = rte_epoll_wait(l->epfd, evs, SN_RX_MAX_EVENTS, timeout);

	for (int i = 0; i < n; i++) {
		void *data = evs[i].epdata.data;

		if (data == l) {
			uint64_t cnt;

			if (read(l->evfd, &cnt, sizeof(cnt)) < 0) {
				/* EAGAIN: already drained */
			}
		} else if (data != NULL) {
			__atomic_store_n(&((struct sn_rxq *)data)->fired, 1, __ATOMIC_RELEASE);
		}
	}
	rx_take_fired(sd, l);
}

static int
rx_lcore_setup(struct sn_rx_lcore *l)
{
	l->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (l->evfd < 0)
		return -errno;
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (l->epfd < 0) {
		int rc = -errno;

		close(l->evfd);
		l->evfd = -1;
		return rc;
	}
	memset(&l->ev_wake, 0, sizeof(l->ev_wake));
	l->ev_wake.epdata.event = EPOLLIN;
	l->ev_wake.epdata.data = l;
	if (rte_epoll_ctl(l->epfd, EPOLL_CTL_ADD, l->evfd, &l->ev_wake) != 0) {
		close(l->epfd);
		close(l->evfd);
		l->epfd = l->evfd = -1;
		return -EIO;
	}
	l->npoll = 0;
	for (unsigned int i = 0; i < l->nq; i++) {
		struct sn_rxq *q = l->q[i];

		rx_intr_setup(l, q);
		if (q->eff_mode == SN_RX_POLL)
			l->npoll++;
		/* Look once at start: packets may be waiting already. */
		q->fired = 0;
		q->sched = q->eff_mode == SN_RX_INTERRUPT;
	}
	return 0;
}

static void
rx_lcore_teardown(struct sn_rx_lcore *l)
{
	for (unsigned int i = 0; i < l->nq; i++)
		rx_intr_teardown(l->q[i]);
	rte_epoll_ctl(l->epfd, EPOLL_CTL_DEL, l->evfd, &l->ev_wake);
	close(l->epfd);
	close(l->evfd);
	l->epfd = l->evfd = -1;
}

int
sn_rx_lcore_loop(volatile bool *stop, const struct sn_rx_loop_conf *conf)
{
	static const struct sn_rx_loop_conf defaults;
	struct sn_softnet *sd;
	struct sn_rx_lcore *l;
	uint64_t busy_cycles, next_check = 0;
	int sleep_ms, rc;

	if (conf == NULL)
		conf = &defaults;
	for (unsigned int i = 0; i < RTE_DIM(conf->reserved); i++)
		if (conf->reserved[i] != 0)
			return -EINVAL;
	sleep_ms = conf->max_sleep_ms ? (int)conf->max_sleep_ms : SN_RX_DEFAULT_SLEEP_MS;
	rx_edge_grace_cycles = rte_get_tsc_hz() / 1000000 * SN_RX_EDGE_GRACE_US;
	busy_cycles = rte_get_tsc_hz() / 1000000 *
		      (conf->busy_check_us ? conf->busy_check_us : SN_RX_DEFAULT_BUSY_CHECK_US);

	pthread_mutex_lock(&rx_ctl_mutex);
	rc = rx_handlers_register();
	l = rc == 0 ? rx_lcore_get(rte_lcore_id() < RTE_MAX_LCORE ? rte_lcore_id() : 0) : NULL;
	pthread_mutex_unlock(&rx_ctl_mutex);
	if (rc < 0)
		return rc;
	if (l == NULL || rte_lcore_id() >= RTE_MAX_LCORE)
		return -ENOMEM;
	sd = sn_softnet_attach();
	if (sd == NULL)
		return -rte_errno;
	rc = rx_lcore_setup(l);
	if (rc < 0) {
		sn_softnet_detach(sd);
		return rc;
	}
	l->thread = pthread_self();
	__atomic_store_n(&l->in_loop, 1, __ATOMIC_SEQ_CST);

	while (!__atomic_load_n(stop, __ATOMIC_ACQUIRE)) {
		unsigned int work = 0;

		if (conf->work != NULL)
			work += conf->work(sd, conf->work_arg);
		if (l->npoll != 0 || rx_any_sched(l))
			sn_raise_softirq(sd, SN_SOFTIRQ_NET_RX);
		work += sn_softnet_poll(sd);
		if (work != 0 || l->npoll != 0 || rx_any_sched(l) || sn_softnet_has_work(sd)) {
			/* Busy: look at the interrupts now and then, without sleeping. */
			uint64_t now = rte_rdtsc();

			if (now >= next_check) {
				rx_wait(sd, l, 0);
				next_check = now + busy_cycles;
			}
			continue;
		}
		/* Idle: sleep. A signal handler seeing sleeping set writes the eventfd. */
		__atomic_store_n(&l->sleeping, 1, __ATOMIC_SEQ_CST);
		if (rx_any_fired(l) || sn_softnet_has_work(sd) || rx_any_sched(l) ||
		    __atomic_load_n(stop, __ATOMIC_ACQUIRE)) {
			__atomic_store_n(&l->sleeping, 0, __ATOMIC_SEQ_CST);
			rx_take_fired(sd, l);
			continue;
		}
		l->stats.sleeps++;
		rx_wait(sd, l, sleep_ms);
		__atomic_store_n(&l->sleeping, 0, __ATOMIC_SEQ_CST);
		l->stats.wakeups++;
	}

	/* From here the signal handler ignores this lcore (it runs on this thread). */
	__atomic_store_n(&l->in_loop, 0, __ATOMIC_SEQ_CST);
	rx_lcore_teardown(l);
	return sn_softnet_detach(sd);
}
