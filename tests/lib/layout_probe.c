/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Compiled twice into the layout test (tests/lib/meson.build), once with
 * SN_LOCKDEP=0 and once with SN_LOCKDEP=1: records the size and alignment of
 * every public struct as that build of the headers lays it out, and the
 * offsets that drivers and disciplines read inline.
 */

#include <stddef.h>

#include "softnet.h"
#include "sn_ethdev.h"
#include "sn_netdev_driver.h"
#include "sn_sched.h"

#include "layout_probe.h"

#define SN_LAYOUT(t) { #t, sizeof(struct t), _Alignof(struct t) }
#define SN_OFFSET(t, f) { #t "." #f, offsetof(struct t, f), 0 }

const struct sn_layout_entry SN_LAYOUT_TABLE[] = {
	SN_LAYOUT(sn_netdev_stats), SN_LAYOUT(sn_netdev_ops), SN_LAYOUT(sn_netdev_head),
	SN_LAYOUT(sn_softnet_stats), SN_LAYOUT(sn_init_params), SN_LAYOUT(sn_sched_entry),
	SN_LAYOUT(sn_lock_class_key), SN_LAYOUT(sn_lockdep_map), SN_LAYOUT(sn_spinlock),
	SN_LAYOUT(sn_rwlock), SN_LAYOUT(sn_responder_conf), SN_LAYOUT(sn_responder_stats),
	SN_LAYOUT(sn_rx_queue_conf), SN_LAYOUT(sn_rx_queue_stats), SN_LAYOUT(sn_rx_lcore_stats),
	SN_LAYOUT(sn_rx_loop_conf), SN_LAYOUT(sn_qdisc_bstats), SN_LAYOUT(sn_qdisc_qstats),
	SN_LAYOUT(sn_qdisc_stats), SN_LAYOUT(sn_qdisc_params), SN_LAYOUT(sn_qdisc_info),
	SN_LAYOUT(sn_qdisc_ops), SN_LAYOUT(sn_qdisc), SN_LAYOUT(sn_ethdev_conf),
	SN_OFFSET(sn_qdisc, lock), SN_OFFSET(sn_qdisc, busylock), SN_OFFSET(sn_qdisc, state),
	SN_OFFSET(sn_qdisc, qstats), SN_OFFSET(sn_qdisc, bstats), SN_OFFSET(sn_qdisc, priv),
	{ NULL, 0, 0 },
};
