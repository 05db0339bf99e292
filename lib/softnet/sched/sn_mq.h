/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SN_MQ_H
#define SN_MQ_H

/**
 * @file
 * mq: the multi-queue root (the kernel's sch_mq). On a device with several
 * transmit queues, mq is a root over all of them: its class 1:N is transmit
 * queue N-1, and that queue's own root qdisc is the class's leaf. mq itself
 * never holds a packet: each queue's qdisc is used directly, so lcores that
 * transmit on different queues (sn_xps.h) never share a root lock.
 *
 * softnet already has a root qdisc per transmit queue, so mq is state of the
 * device: a handle, and each queue's root marked as the leaf of its class
 * (`tc qdisc show` prints `qdisc pfifo_fast 0: dev port0 txq 0 parent 1:1`).
 * The per-queue calls (sn_qdisc_replace(), sn_class_*(), sn_qdisc_graft()
 * with that queue) keep working on each queue's tree.
 *
 * Every call here is a control call with sn_qdisc_replace()'s rules: safe
 * while other lcores transmit, never from softirq context.
 */

#include <stddef.h>
#include <stdint.h>

#include "sn_qdisc.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sn_netdev;
struct sn_softnet;

/**
 * Make mq the root of @p dev (`tc qdisc add|replace dev X root [handle 1:]
 * mq`): every transmit queue's root goes back to the default (pfifo_fast,
 * packets queued in the old one dropped and counted, as sn_qdisc_replace())
 * and becomes the leaf of class handle:(queue + 1). Attaching again starts
 * afresh the same way.
 *
 * @param handle the qdisc's handle (a major alone, "1:" is 0x10000), or 0
 *               for the kernel's first automatic one, 8001:.
 * @param sd     the caller's softnet if attached, else NULL.
 * @return 0; -ENODEV (NULL @p dev); -EINVAL (a handle with a minor);
 *         -EOPNOTSUPP (a single-queue device, as the kernel refuses);
 *         -EDEADLK (softirq context); -ENOMEM.
 */
int sn_mq_attach(struct sn_netdev *dev, uint32_t handle, struct sn_softnet *sd);

/**
 * Remove mq (`tc qdisc del dev X root`): every transmit queue's root goes
 * back to the default, a root of its own (packets dropped and counted).
 *
 * @return 0; -ENODEV; -ENOENT (mq is not the root); -EDEADLK.
 */
int sn_mq_detach(struct sn_netdev *dev, struct sn_softnet *sd);

/**
 * Is mq the root of @p dev?
 *
 * @param handle receives its handle when it is (may be NULL).
 * @return 0 (mq); -ENOENT (not mq); -ENODEV (NULL @p dev).
 */
int sn_mq_get(struct sn_netdev *dev, uint32_t *handle);

/**
 * Attach a qdisc to class @p classid (`tc qdisc add|replace dev X parent
 * 1:2 [handle 20:] tbf ...`): transmit queue minor - 1 gets @p kind as its
 * root (sn_qdisc_replace()), still the leaf of that class. @p kind NULL puts
 * the default back (`tc qdisc del dev X parent 1:2`). A handle of 0 gets
 * the first automatic one (8001: up) that neither mq nor another queue's
 * root has.
 *
 * @return 0; -ENODEV; -ENOENT (mq is not the root, unknown kind);
 *         -EINVAL (@p classid not 1:1 .. 1:nb_txq of mq's handle, bad
 *         parameters, a handle another queue's root or mq has); -ENOSPC (no
 *         automatic handle left); as sn_qdisc_replace().
 */
int sn_mq_graft(struct sn_netdev *dev, uint32_t classid, const char *kind,
		const struct sn_qdisc_params *p, struct sn_softnet *sd);

/**
 * Describe mq and the queues' qdiscs as `tc [-s] qdisc show dev X` does:
 *
 *     qdisc mq 1: dev port0 root
 *      Sent 12800 bytes 200 pkt (dropped 0, overlimits 0 requeues 0)
 *      backlog 0b 0p requeues 0
 *     qdisc pfifo_fast 0: dev port0 txq 0 parent 1:1 bands 3 priomap ...
 *     ...
 *
 * mq's counters are the sums of every queue's (their current and retired
 * qdiscs, as sn_qdisc_info()); each queue's tree follows, as
 * sn_qdisc_print() describes it. With SN_QDISC_PRINT_JSON: a JSON array,
 * mq's object ({"kind": "mq", "handle": "1:", "dev": ..., "root": true,
 * "options": {}, counters}) then each queue's (sn_qdisc_print()'s).
 *
 * @return the length of the text, as snprintf; -ENODEV; -ENOENT (not mq);
 *         -EINVAL (NULL @p buf with a non-zero @p len).
 */
int sn_mq_print(struct sn_netdev *dev, unsigned int flags, char *buf, size_t len);

/**
 * Describe mq's classes as `tc [-s] class show dev X` does, one per
 * transmit queue, then the classes of each queue's tree
 * (sn_class_print()):
 *
 *     class mq 1:1 root leaf 8002:
 *      Sent 6400 bytes 100 pkt (dropped 0, overlimits 0 requeues 0)
 *      backlog 0b 0p requeues 0
 *
 * A class's counters are its queue's (current and retired qdiscs). JSON: an
 * array of {"class": "mq", "handle": "1:1", "root": true, "leaf": "8002:",
 * "options": {}, counters} objects, then those of sn_class_print().
 *
 * @return as sn_mq_print().
 */
int sn_mq_class_print(struct sn_netdev *dev, unsigned int flags, char *buf, size_t len);

/**
 * Read class @p classid's counters (transmit queue minor - 1's).
 * @return 0; -ENODEV; -ENOENT (not mq); -EINVAL (no such class).
 */
int sn_mq_class_stats(struct sn_netdev *dev, uint32_t classid, struct sn_qdisc_stats *st);

#ifdef __cplusplus
}
#endif

#endif /* SN_MQ_H */
