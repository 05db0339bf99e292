/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * XPS (the kernel's netdev_pick_tx() with xps_cpus): the transmit queue of
 * each lcore, per device, and a transmit entry that uses it.
 *
 * The map lives in the device (struct sn_netdev::xps), one 16-bit entry per
 * lcore id holding the queue plus one, 0 meaning "the default". A transmit
 * reads its own entry once per burst; control calls write it with a relaxed
 * atomic store (a 16-bit store is atomic; a transmit sees the old or the new
 * queue, either of which is valid).
 */

#include <errno.h>

#include "core_private.h"
#include "sn_xps.h"

/* The default queue of @lcore: its EAL index (or id) mod the queue count. */
static uint16_t
sn_xps_default(const struct sn_netdev *dev, unsigned int lcore)
{
	int idx = rte_lcore_index((int)lcore);

	if (idx < 0)
		idx = (int)lcore;
	return (uint16_t)((unsigned int)idx % dev->nb_txq);
}

int
sn_netdev_xps_set(struct sn_netdev *dev, unsigned int lcore, uint16_t txq)
{
	if (dev == NULL)
		return -ENODEV;
	if (lcore >= RTE_MAX_LCORE || (txq != SN_XPS_DEFAULT && txq >= dev->nb_txq))
		return -EINVAL;
	__atomic_store_n(&dev->xps[lcore], txq == SN_XPS_DEFAULT ? 0 : (uint16_t)(txq + 1),
			 __ATOMIC_RELAXED);
	return 0;
}

int
sn_netdev_xps_get(const struct sn_netdev *dev, unsigned int lcore)
{
	uint16_t v;

	if (dev == NULL)
		return -ENODEV;
	if (lcore >= RTE_MAX_LCORE)
		return -EINVAL;
	v = __atomic_load_n(&dev->xps[lcore], __ATOMIC_RELAXED);
	return v != 0 ? v - 1 : sn_xps_default(dev, lcore);
}

uint16_t
sn_xmit_xps(struct sn_softnet *sd, struct sn_netdev *dev, struct rte_mbuf **pkts, uint16_t n)
{
	uint16_t v;

	if (unlikely(dev == NULL))
		return sn_xmit_burst(sd, dev, 0, pkts, n);
	/* The one load of the path: this lcore's entry. */
	v = __atomic_load_n(&dev->xps[sd->lcore], __ATOMIC_RELAXED);
	return sn_xmit_burst(sd, dev, likely(v != 0) ? (uint16_t)(v - 1) :
			     sn_xps_default(dev, sd->lcore), pkts, n);
}
