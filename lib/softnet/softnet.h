/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SOFTNET_H
#define SOFTNET_H

/**
 * @file
 * The whole public API of libsoftnet.
 */

#include "sn_context.h"
#include "sn_lock.h"
#include "sn_lockdep.h"
#include "sn_mbuf.h"
#include "sn_netdev.h"
#include "sn_qdisc.h"
#include "sn_responder.h"
#include "sn_rx.h"
#include "sn_softnet.h"
#include "sn_telemetry.h"
#include "sn_xmit.h"

#endif /* SOFTNET_H */
