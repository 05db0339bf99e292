/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A software netdev for tests: a real softnet driver (not a mock of the
 * engine) whose acceptance can be limited per call and in total, which can
 * keep what it accepted to check order, and which can run a hook inside its
 * xmit (with the xmit lock held) to re-enter softnet or to stall.
 */

#include <string.h>

#include <rte_malloc.h>

#include "sn_test.h"

static uint16_t
sn_test_xmit(struct sn_netdev *dev, uint16_t txq, struct rte_mbuf **pkts, uint16_t n)
{
	struct sn_test_netdev *c = sn_netdev_priv(dev);
	uint16_t k = n;

	c->calls++;
	if (c->hook != NULL)
		c->hook(dev, txq, c->hook_arg);
	if (c->budget >= 0 && k > c->budget)
		k = (uint16_t)c->budget;
	if (c->credit >= 0 && k > c->credit)
		k = (uint16_t)c->credit;
	if (c->credit >= 0)
		c->credit -= k;
	for (uint16_t i = 0; i < k; i++) {
		if (c->keep && c->accepted + i < c->kept_cap)
			c->kept[c->accepted + i] = pkts[i];
		else
			rte_pktmbuf_free(pkts[i]);
	}
	c->accepted += k;
	return k;
}

static const struct sn_netdev_ops sn_test_netdev_ops = {
	.xmit = sn_test_xmit,
};

struct sn_netdev *
sn_test_netdev_create(const char *name, uint16_t nb_txq)
{
	struct sn_netdev *dev;
	struct sn_test_netdev *c;

	dev = sn_netdev_create(name, &sn_test_netdev_ops, nb_txq, sizeof(*c), SOCKET_ID_ANY);
	if (dev == NULL)
		return NULL;
	c = sn_netdev_priv(dev);
	c->budget = -1;
	c->credit = -1;
	sn_netdev_up(dev);
	return dev;
}

struct sn_test_netdev *
sn_test_netdev_ctl(struct sn_netdev *dev)
{
	return sn_netdev_priv(dev);
}

void
sn_test_netdev_free(struct sn_netdev *dev, struct sn_softnet *sd)
{
	struct sn_test_netdev *c;

	if (dev == NULL)
		return;
	/* Take the device down first: its queued packets are dropped and counted. */
	sn_netdev_down(dev, sd);
	c = sn_netdev_priv(dev);
	if (c->keep) {
		uint64_t n = RTE_MIN(c->accepted, c->kept_cap);

		for (uint64_t i = 0; i < n; i++)
			rte_pktmbuf_free(c->kept[i]);
		c->keep = false;
	}
	sn_netdev_free(dev, sd);
}
