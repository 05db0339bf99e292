/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SOFTNET_H
#define SOFTNET_H

/**
 * @file
 * The user API of libsoftnet: set up, attach lcores, open devices, attach
 * qdiscs, transmit, poll, read counters, contexts and locks, receive,
 * telemetry.
 *
 * Two further tiers are installed beside it and included on their own:
 * - sn_sched.h: the discipline SDK (write a queueing discipline);
 * - sn_netdev_driver.h: the netdev driver SDK (write a softnet device driver).
 */

#include "sn_config.h"
#include "sn_context.h"
#include "sn_dql.h"
#include "sn_lock.h"
#include "sn_lockdep.h"
#include "sn_class.h"
#include "sn_mbuf.h"
#include "sn_mq.h"
#include "sn_netdev.h"
#include "sn_qdisc.h"
#include "sn_responder.h"
#include "sn_rx.h"
#include "sn_softnet.h"
#include "sn_tc_units.h"
#include "sn_telemetry.h"
#include "sn_xmit.h"
#include "sn_xps.h"

#endif /* SOFTNET_H */
