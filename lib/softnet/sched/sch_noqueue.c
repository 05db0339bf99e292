/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * noqueue: no queue at all. Transmits go straight to the driver under the
 * xmit lock (xmit.c); what the driver refuses is dropped and counted. The
 * kernel's choice for virtual devices, and where dead loops are caught.
 */

#include "sched_private.h"

const struct sn_qdisc_ops sn_noqueue_ops = {
	.id = "noqueue",
	.enqueue = NULL,
};
