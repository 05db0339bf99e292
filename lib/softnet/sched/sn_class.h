/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SN_CLASS_H
#define SN_CLASS_H

/**
 * @file
 * Classes and child qdiscs of a transmit queue's qdisc tree: what
 * `tc class add|change|del|show` and `tc qdisc add ... parent X:Y` do.
 *
 * A classful root (htb, prio) has classes named major:minor, the major
 * being the qdisc's handle (`1:10` of `1:`); a leaf class holds a child
 * qdisc (pfifo by default), which may be classful itself. Ids are u32 as in
 * the kernel: major in the upper 16 bits. sn_tc_parse_handle() reads `1:10`
 * (sn_tc_units.h).
 *
 * Every call here is a control call: it takes the control mutex and the
 * tree's root lock briefly, never while the caller holds a softnet lock,
 * and is safe while other lcores transmit through the tree.
 */

#include <stddef.h>
#include <stdint.h>

#include "sn_qdisc.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A class's parameters, as its discipline's class parse op read them. */
struct sn_class_params {
	char kind[SN_QDISC_KIND_SIZE];                  /**< the tree's discipline ("htb") */
	uint64_t opts[SN_QDISC_OPTS_SIZE / sizeof(uint64_t)]; /**< the discipline's own struct */
};

/**
 * Parse tc's words for a class: the kind then its options, as after
 * `classid 1:10` in `tc class add dev X parent 1:1 classid 1:10 htb rate
 * 300mbit ceil 1gbit prio 0`. No DPDK call.
 *
 * @return 0; -ENOENT unknown kind; -EOPNOTSUPP a classless kind; -EINVAL a
 *         bad word (@p err names it).
 */
int sn_class_parse(int argc, const char *const argv[], struct sn_class_params *cp,
		   char *err, size_t errlen);

/**
 * Add class @p classid under @p parentid (a class, or the qdisc's handle for
 * a top-level class) of the qdisc whose handle is @p classid's major, in the
 * tree of @p dev's queue @p txq; or change it if it exists (`tc class
 * change`; @p parentid may then be 0).
 *
 * @param sd the caller's softnet if attached, else NULL (found by itself).
 * @return 0; -ENODEV; -EINVAL (bad ids or parameters; @p err says why);
 *         -ENOENT (no qdisc with that handle, or no such parent);
 *         -EOPNOTSUPP (that qdisc is classless, or of another kind);
 *         -ENOMEM; -ENOSPC; -EDEADLK (softirq context).
 */
int sn_class_change(struct sn_netdev *dev, uint16_t txq, uint32_t parentid, uint32_t classid,
		    const struct sn_class_params *cp, char *err, size_t errlen,
		    struct sn_softnet *sd);

/**
 * Delete a class and its qdisc (whose packets are dropped and counted).
 *
 * @return 0; -ENOENT no such class; -EBUSY the class has child classes
 *         (@p err: "class 1:1 has 2 child classes: delete them first");
 *         as sn_class_change().
 */
int sn_class_delete(struct sn_netdev *dev, uint16_t txq, uint32_t classid, char *err,
		    size_t errlen, struct sn_softnet *sd);

/**
 * Attach a qdisc to leaf class @p parentid (`tc qdisc add|replace dev X
 * parent 1:20 handle 20: fq_codel`), in place of the one it has, whose
 * packets are dropped (counted) and which is freed. A @p kind of NULL puts
 * back the default (`tc qdisc del dev X parent 1:20`). A handle of 0 gets
 * the first free one from 8001: up, as the kernel numbers them.
 *
 * @return 0; -ENOENT no such class or kind; -EINVAL an inner class, a
 *         handle in use; -EOPNOTSUPP a kind that cannot be a child
 *         (noqueue); as sn_class_change().
 */
int sn_qdisc_graft(struct sn_netdev *dev, uint16_t txq, uint32_t parentid, const char *kind,
		   const struct sn_qdisc_params *p, char *err, size_t errlen,
		   struct sn_softnet *sd);

/**
 * Describe every class of a queue's tree as `tc [-s] class show` does, one
 * after the other, parents first:
 *
 *     class htb 1:10 parent 1:1 leaf 8002: prio 0 rate 300Mbit ceil 1Gbit burst 1600b cburst 1600b
 *      Sent 6400 bytes 100 pkt (dropped 0, overlimits 0 requeues 0)
 *      backlog 0b 0p requeues 0
 *       lended: 100 borrowed: 0 giants: 0 tokens: 5000 ctokens: 1600
 *
 * or, with SN_QDISC_PRINT_JSON, a JSON array of objects ({"class": "htb",
 * "handle": "1:10", "parent": "1:1", "leaf": "8002:", "options": {...},
 * counters, "xstats": {...}}). Flags as sn_qdisc_print().
 *
 * @return the length of the text, as snprintf (0 and an empty text, or
 *         `[]`, for a classless tree); -ENODEV; -EINVAL.
 */
int sn_class_print(struct sn_netdev *dev, uint16_t txq, unsigned int flags, char *buf,
		   size_t len);

struct rte_tel_data;

/**
 * Describe every class of a queue's tree into a telemetry dictionary, one
 * nested dictionary per class keyed by its id with '_' for ':' ("1_10":
 * telemetry keys are letters, digits and '_'), with the members of
 * sn_class_print()'s JSON (times and switches as sn_qdisc_print_tel()).
 * Nested containers are added with keep = 0 (see sn_qdisc_print_tel()).
 *
 * @param flags SN_QDISC_PRINT_STATS or 0.
 * @return 0; -ENODEV; -EINVAL; -ENOMEM or -ENOSPC (@p d holds the rest).
 */
int sn_class_print_tel(struct sn_netdev *dev, uint16_t txq, unsigned int flags,
		       struct rte_tel_data *d);

/**
 * The handle of the qdisc in leaf class @p classid: 0 for the default one a
 * class starts with (tc lists no `leaf` for it). For the app's tc rules:
 * `qdisc add ... parent` refuses a class that has a qdisc of its own,
 * `qdisc del ... parent` one that has only the default.
 * @return 0; -ENODEV; -EINVAL; -ENOENT no such class; -EISDIR an inner class.
 */
int sn_class_leaf(struct sn_netdev *dev, uint16_t txq, uint32_t classid, uint32_t *handle);

/**
 * Read one class's counters.
 * @return 0; -ENODEV; -EINVAL; -ENOENT no such class.
 */
int sn_class_stats(struct sn_netdev *dev, uint16_t txq, uint32_t classid,
		   struct sn_qdisc_stats *st);

struct sn_filter_spec;

/**
 * Attach a filter to the classful qdisc of handle @p parent (`tc filter add
 * dev X parent 1: prio 1 match ip dport 5060 classid 1:10`; the filter from
 * sn_filter_parse()). Its class must be one of that qdisc's (1:10 of 1:);
 * a class that does not exist (yet) is the qdisc's default at run time.
 *
 * @return 0; -ENOENT no such qdisc; -EOPNOTSUPP a classless one; -EINVAL a
 *         class of another qdisc or a bad filter; -EEXIST the same priority
 *         and fields exist; -ENOSPC the qdisc's chain is full (64); as
 *         sn_class_change().
 */
int sn_filter_add(struct sn_netdev *dev, uint16_t txq, uint32_t parent,
		  const struct sn_filter_spec *f, char *err, size_t errlen,
		  struct sn_softnet *sd);

/**
 * Delete the filters of priority @p prio from qdisc @p parent (`tc filter
 * del dev X parent 1: prio 1`); every one for @p prio 0.
 *
 * @return 0; -ENOENT no such qdisc or filter; as sn_filter_add().
 */
int sn_filter_del(struct sn_netdev *dev, uint16_t txq, uint32_t parent, uint32_t prio,
		  char *err, size_t errlen, struct sn_softnet *sd);

/**
 * List the filters of a queue's tree, qdiscs parents first, each in
 * evaluation order, as `tc -s filter show`:
 *
 *     filter dev port0 txq 0 parent 1: prio 1 protocol ip match ip dport 5060 classid 1:10
 *      Matched 120 pkt 7680 bytes
 *
 * (the counter line with SN_QDISC_PRINT_STATS), or a JSON array of objects
 * with SN_QDISC_PRINT_JSON.
 *
 * @return the length, as snprintf; -ENODEV; -EINVAL.
 */
int sn_filter_show(struct sn_netdev *dev, uint16_t txq, unsigned int flags, char *buf,
		   size_t len);

#ifdef __cplusplus
}
#endif

#endif /* SN_CLASS_H */
