/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SN_RX_H
#define SN_RX_H

/**
 * @file
 * The receive side: RX queues of DPDK ports assigned to lcores, polled by the
 * NET_RX softirq (the kernel's net_rx_action), and RX callbacks.
 *
 * Each queue has a mode:
 *  - poll: NET_RX polls it on every pass of the lcore loop (busy polling);
 *  - interrupt (NAPI): the lcore sleeps in epoll until the queue's RX
 *    interrupt (or its wake eventfd) fires; the interrupt is then masked and
 *    NET_RX polls the queue with a budget (64 packets by default). A poll that
 *    comes in under budget re-arms the interrupt and takes the queue off the
 *    poll list; a poll that uses the whole budget leaves it on (counted as
 *    time_squeeze). Where the PMD has no RX interrupts, the queue says so in
 *    one log line and is polled.
 *  - interrupt + async: the RX interrupt is waited for by an interrupt thread,
 *    which delivers it to the lcore's thread as a signal: the userspace
 *    hardirq. It preempts the lcore wherever it is (for instance in the middle
 *    of a process-context transmit loop): the handler raises NET_RX, and
 *    softirqs run at its exit if the interrupted code had them enabled, or at
 *    its next sn_local_bh_enable() otherwise; inside a
 *    sn_local_irq_disable()/save() section it is held back and replayed when
 *    hardirqs are enabled again.
 *
 * RX callback contract: the callback runs in softirq context (NET_RX) on the
 * queue's lcore, with a burst of 1..32 mbufs that it now owns: it must
 * transmit (sn_xmit*(), which consumes them), free, or keep each one. It may
 * call sn_xmit*() on any device, rte_pktmbuf_alloc/free on any pool, and take
 * locks that process context takes with the _bh (or _irq) variants only; it
 * must not block, sleep, call rte_eth_rx_burst() on its own queue, or take a
 * lock process context takes with softirqs enabled (the validator reports it).
 *
 * Asynchronous interrupts and process context: an application lcore that
 * uses async queues runs softirqs at arbitrary instants of its process-context
 * code. Code of its own that shares non-reentrant state with its RX callbacks
 * (a mempool the callback also allocates from or frees to, a ring, a counter)
 * must do so with softirqs disabled: sn_local_bh_disable() .. enable()
 * around the mempool or ring call. softnet's own transmit path already does.
 *
 * Configuration (sn_rx_queue_add()) happens before the lcore enters
 * sn_rx_lcore_loop(); statistics may be read at any time.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#ifdef __cplusplus
extern "C" {
#endif

struct sn_softnet;

/** Receive modes. */
enum sn_rx_mode {
	SN_RX_POLL = 0,      /**< busy polling */
	SN_RX_INTERRUPT = 1, /**< NAPI: sleep until the RX interrupt, poll with a budget */
};

/** Largest burst handed to an RX callback. */
#define SN_RX_BURST 32
/** Default NAPI budget (the kernel's NAPI weight). */
#define SN_RX_BUDGET 64
/** Queues one lcore may serve. */
#define SN_RX_MAX_QUEUES 16

/**
 * An RX callback: runs in softirq context on the queue's lcore and owns
 * @p pkts[0 .. n-1] (see the contract in the file comment).
 */
typedef void (*sn_rx_cb_fn)(struct sn_softnet *sd, uint16_t port, uint16_t queue,
			    struct rte_mbuf **pkts, uint16_t n, void *arg);

/** How one RX queue is served; zero means the defaults (poll, budget 64). */
struct sn_rx_queue_conf {
	enum sn_rx_mode mode;
	uint16_t budget;    /**< packets per NAPI poll (default SN_RX_BUDGET) */
	bool async;         /**< interrupt mode: deliver the RX interrupt as a signal
			     *   that preempts the lcore (sn_rx_async_enable() first) */
	bool soft_irq;      /**< interrupt mode on a PMD without RX interrupts: instead of
			     *   falling back to polling, wait for sn_rx_queue_irq() */
	sn_rx_cb_fn cb;     /**< callback; NULL: received packets are freed and counted */
	void *cb_arg;
	uint32_t reserved[4]; /**< must be zero */
};

/** Counters of one RX queue (one writer each: its lcore). */
struct sn_rx_queue_stats {
	uint64_t packets;      /**< mbufs received and handed to the callback */
	uint64_t polls;        /**< NAPI polls (NET_RX passes over this queue) */
	uint64_t time_squeeze; /**< polls that used the whole budget: kept polling */
	uint64_t irqs;         /**< RX interrupts taken (epoll wakes or signals) */
	uint64_t rearms;       /**< polls under budget that re-armed the interrupt */
	uint64_t rearm_races;  /**< packets found right after a re-arm: kept polling */
	uint64_t freed;        /**< packets freed because no callback was set */
};

/** Counters of one RX lcore. */
struct sn_rx_lcore_stats {
	uint64_t rx_action;   /**< NET_RX runs */
	uint64_t sleeps;      /**< times the lcore went to sleep in epoll */
	uint64_t wakeups;     /**< times it woke (interrupt, eventfd or timeout) */
	uint64_t hardirqs;    /**< asynchronous interrupts served (signals, replays) */
	uint64_t signals;     /**< signals taken by the handler */
};

/**
 * Assign RX queue @p queue of started DPDK port @p port to @p lcore. The port
 * must have been configured with intr_conf.rxq = 1 (sn_ethdev_conf.rx_intr)
 * for interrupt mode to work; otherwise the queue falls back to polling.
 * Control path, before the lcore enters sn_rx_lcore_loop().
 *
 * @return 0; -EINVAL (bad port, queue, lcore or conf; async without
 *         sn_rx_async_enable()); -EEXIST (queue already assigned); -EBUSY
 *         (the lcore is running its loop); -ENOSPC (SN_RX_MAX_QUEUES reached);
 *         -ENOMEM.
 */
int sn_rx_queue_add(uint16_t port, uint16_t queue, unsigned int lcore,
		    const struct sn_rx_queue_conf *conf);

/**
 * Unassign a queue (its lcore must not be running its loop).
 *
 * @return 0, -ENOENT, -EBUSY.
 */
int sn_rx_queue_del(uint16_t port, uint16_t queue);

/**
 * Replace a queue's callback. Control path, while its lcore is not in its
 * loop (callbacks are read by NET_RX without a lock).
 *
 * @return 0, -ENOENT, -EBUSY.
 */
int sn_rx_callback_set(uint16_t port, uint16_t queue, sn_rx_cb_fn cb, void *arg);

/**
 * @return the mode the queue is served in (after a fallback to polling, that
 *         is SN_RX_POLL), or -ENOENT. Reliable once its lcore is in its loop.
 */
int sn_rx_queue_mode(uint16_t port, uint16_t queue);

/** Read a queue's counters (any thread). @return 0 or -ENOENT. */
int sn_rx_queue_stats_get(uint16_t port, uint16_t queue, struct sn_rx_queue_stats *st);

/** Read an lcore's RX counters (any thread). @return 0 or -ENOENT. */
int sn_rx_lcore_stats_get(unsigned int lcore, struct sn_rx_lcore_stats *st);

/** How sn_rx_lcore_loop() runs; zero means the defaults. */
struct sn_rx_loop_conf {
	/**
	 * Process-context work, called on every pass (a traffic generator, the
	 * application's own loop). @return the work done; 0 lets the lcore sleep.
	 */
	unsigned int (*work)(struct sn_softnet *sd, void *arg);
	void *work_arg;
	/** Longest sleep in ms when idle (default 100); the lcore also wakes on
	 *  RX interrupts and sn_rx_lcore_wake(). */
	uint32_t max_sleep_ms;
	/** While busy, how often in us interrupt-mode queues are checked for
	 *  interrupts (default 20). */
	uint32_t busy_check_us;
	uint32_t reserved[4]; /**< must be zero */
};

/**
 * The RX lcore loop: attach to softnet, set up the RX interrupts of this
 * lcore's queues, then until *stop: run conf->work, raise NET_RX for queues
 * on the poll list, sn_softnet_poll(); sleep in epoll when there is nothing
 * to do. Detach at the end. Call on the lcore (rte_eal_remote_launch()).
 *
 * @return 0, or a negative errno (attach, set-up, detach).
 */
int sn_rx_lcore_loop(volatile bool *stop, const struct sn_rx_loop_conf *conf);

/**
 * Wake @p lcore if it sleeps in sn_rx_lcore_loop() (it has work: a stop
 * request, something for its work function). Any thread; async-signal-safe.
 *
 * @return 0, or -ENOENT if the lcore is not in its loop.
 */
int sn_rx_lcore_wake(unsigned int lcore);

/**
 * Enable asynchronous interrupts: install the signal handler for @p signo
 * (0: SIGUSR2) and start the interrupt thread that waits on the RX interrupt
 * fds of async queues. Call before adding async queues.
 *
 * @return 0, -EALREADY, -EINVAL (bad signal), or a negative errno.
 */
int sn_rx_async_enable(int signo);

/**
 * Stop the interrupt thread and restore the signal's previous disposition.
 * The lcores with async queues must have left their loops.
 */
void sn_rx_async_disable(void);

/**
 * Raise the RX interrupt of a queue by hand (an async queue without hardware
 * interrupts, tests): an async queue's lcore is signalled, a synchronous
 * interrupt-mode queue's lcore is woken. Any thread; not from the queue's own
 * lcore.
 *
 * @return 0, -ENOENT (no such queue, or its lcore is not in its loop),
 *         -EINVAL (a poll-mode queue).
 */
int sn_rx_queue_irq(uint16_t port, uint16_t queue);

#ifdef __cplusplus
}
#endif

#endif /* SN_RX_H */
