/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ethdev driver: a softnet netdev over a DPDK port.
 *
 * xmit is rte_eth_tx_burst() on the queue of the same number, under softnet's
 * xmit lock, so one DPDK tx queue is only ever driven by one lcore at a time
 * (ethdev queues are not thread-safe). A partial burst stops the queue;
 * tx_ready asks the PMD whether the ring has room again, where it can tell
 * (rte_eth_tx_descriptor_status), and otherwise says "try again".
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_log.h>

#include "ethdev_private.h"
#include "sn_ethdev.h"
#include "softnet.h"
#include "sn_netdev_driver.h"

RTE_LOG_REGISTER(sn_logtype_ethdev, softnet.ethdev, NOTICE);

#define SN_ETHDEV_DEFAULT_DESC 1024

struct sn_ethdev {
	uint16_t port_id;
	bool owned;            /* started by sn_ethdev_open(): stop and close it */
	bool keep_port;        /* ... but only stop it (sn_ethdev_conf::keep_port) */
	bool started;          /* owned and started (sn_ethdev_stop() stopped it already?) */
	uint16_t nb_tx_desc;
	struct rte_mempool *own_rx_pool; /* RX queues the PMD insisted on (af_xdp) */
};

/* Mbufs per RX queue the driver sets up on its own (never polled by softnet). */
#define SN_ETHDEV_OWN_RX_MBUFS 4096

static uint16_t
sn_ethdev_xmit(struct sn_netdev *dev, uint16_t txq, struct rte_mbuf **pkts, uint16_t n)
{
	const struct sn_ethdev *e = sn_netdev_priv(dev);

	return rte_eth_tx_burst(e->port_id, txq, pkts, n);
}

static int
sn_ethdev_tx_ready(struct sn_netdev *dev, uint16_t txq)
{
	const struct sn_ethdev *e = sn_netdev_priv(dev);
	int st;

	/* Is the descriptor a quarter of the ring ahead free? */
	st = rte_eth_tx_descriptor_status(e->port_id, txq, e->nb_tx_desc / 4);
	if (st < 0)
		return st; /* the PMD cannot tell (net_null, net_ring, ...) */
	return st != RTE_ETH_TX_DESC_FULL;
}

static void
sn_ethdev_uninit(struct sn_netdev *dev)
{
	struct sn_ethdev *e = sn_netdev_priv(dev);
	int rc;

	if (!e->owned)
		return;
	if (e->started) {
		rc = rte_eth_dev_stop(e->port_id);
		if (rc != 0)
			ETH_LOG(WARNING, "port %u: stop failed: %s\n", e->port_id, rte_strerror(-rc));
		e->started = false;
	}
	/* A kept port may still hold mbufs of the driver's own rx pool: keep the pool too. */
	if (e->keep_port)
		return;
	rte_eth_dev_close(e->port_id);
	rte_mempool_free(e->own_rx_pool);
}

static const struct sn_netdev_ops sn_ethdev_ops = {
	.xmit = sn_ethdev_xmit,
	.tx_ready = sn_ethdev_tx_ready,
	.uninit = sn_ethdev_uninit,
};

bool
sn_is_ethdev(const struct sn_netdev *dev)
{
	/* The ops table identifies the driver. */
	return dev != NULL && sn_netdev_ops(dev) == &sn_ethdev_ops;
}

int
sn_ethdev_port(const struct sn_netdev *dev)
{
	if (!sn_is_ethdev(dev))
		return -ENODEV;
	return ((const struct sn_ethdev *)sn_netdev_priv((struct sn_netdev *)(uintptr_t)dev))->port_id;
}

static struct sn_netdev *
sn_ethdev_create(uint16_t port_id, const char *name, uint16_t nb_txq, uint16_t nb_tx_desc,
		 bool owned, struct rte_mempool *own_rx_pool)
{
	char dflt[SN_NETDEV_NAMESIZE];
	struct sn_netdev *dev;
	struct sn_ethdev *e;
	uint16_t mtu = 0;

	if (name == NULL) {
		snprintf(dflt, sizeof(dflt), "port%u", port_id);
		name = dflt;
	}
	dev = sn_netdev_create(name, &sn_ethdev_ops, nb_txq, sizeof(*e),
			       rte_eth_dev_socket_id(port_id));
	if (dev == NULL)
		return NULL;
	e = sn_netdev_priv(dev);
	e->port_id = port_id;
	e->owned = owned;
	e->nb_tx_desc = nb_tx_desc;
	e->own_rx_pool = own_rx_pool;
	if (rte_eth_dev_get_mtu(port_id, &mtu) == 0 && mtu >= 68)
		sn_netdev_set_mtu(dev, mtu);
	sn_netdev_up(dev);
	return dev;
}

struct sn_netdev *
sn_ethdev_attach(uint16_t port_id, const char *name, uint16_t nb_txq)
{
	struct rte_eth_dev_info info;
	struct rte_eth_txq_info qinfo;
	uint16_t desc = SN_ETHDEV_DEFAULT_DESC;

	if (!rte_eth_dev_is_valid_port(port_id)) {
		rte_errno = ENODEV;
		return NULL;
	}
	if (rte_eth_dev_info_get(port_id, &info) != 0 || nb_txq == 0 ||
	    nb_txq > info.nb_tx_queues) {
		rte_errno = EINVAL;
		return NULL;
	}
	if (rte_eth_tx_queue_info_get(port_id, 0, &qinfo) == 0 && qinfo.nb_desc != 0)
		desc = qinfo.nb_desc;
	return sn_ethdev_create(port_id, name, nb_txq, desc, false, NULL);
}

struct sn_netdev *
sn_ethdev_open(uint16_t port_id, const char *name, const struct sn_ethdev_conf *conf)
{
	static const struct sn_ethdev_conf defaults;
	struct rte_eth_conf pconf;
	struct rte_eth_dev_info info;
	struct sn_netdev *dev;
	struct rte_mempool *rx_pool = conf != NULL ? conf->rx_pool : NULL;
	struct rte_mempool *own_rx_pool = NULL;
	uint16_t nb_txq, nb_rxq, ntxd, nrxd;
	int socket, rc;

	if (conf == NULL)
		conf = &defaults;
	if (!rte_eth_dev_is_valid_port(port_id)) {
		rte_errno = ENODEV;
		return NULL;
	}
	for (unsigned int i = 0; i < RTE_DIM(conf->reserved); i++) {
		if (conf->reserved[i] != 0) {
			rte_errno = EINVAL;
			return NULL;
		}
	}
	rc = rte_eth_dev_info_get(port_id, &info);
	if (rc != 0) {
		rte_errno = -rc;
		return NULL;
	}
	nb_txq = conf->nb_txq ? conf->nb_txq : 1;
	nb_rxq = conf->nb_rxq;
	if (nb_txq > info.max_tx_queues || nb_rxq > info.max_rx_queues ||
	    (nb_rxq != 0 && conf->rx_pool == NULL)) {
		ETH_LOG(ERR, "port %u: %u tx / %u rx queues asked, %u / %u possible\n", port_id,
			nb_txq, nb_rxq, info.max_tx_queues, info.max_rx_queues);
		rte_errno = EINVAL;
		return NULL;
	}
	if (nb_rxq != 0 && strcmp(info.driver_name, SN_ETHDEV_AF_XDP) == 0 &&
	    sn_ethdev_pool_fits_af_xdp_umem(conf->rx_pool) != 0) {
		ETH_LOG(ERR, "port %u: net_af_xdp would register pool %s as a UMEM too small "
			"for it and lose frames: use sn_ethdev_pool_create()\n", port_id,
			conf->rx_pool->name);
		rte_errno = EINVAL;
		return NULL;
	}
	ntxd = conf->nb_tx_desc ? conf->nb_tx_desc : SN_ETHDEV_DEFAULT_DESC;
	nrxd = conf->nb_rx_desc ? conf->nb_rx_desc : SN_ETHDEV_DEFAULT_DESC;
	rc = rte_eth_dev_adjust_nb_rx_tx_desc(port_id, &nrxd, &ntxd);
	if (rc != 0)
		goto fail;

	memset(&pconf, 0, sizeof(pconf));
	pconf.intr_conf.rxq = conf->rx_intr ? 1 : 0;
	socket = rte_eth_dev_socket_id(port_id);
	rc = rte_eth_dev_configure(port_id, nb_rxq, nb_txq, &pconf);
	if (rc == -EINVAL && nb_rxq == 0 && nb_txq <= info.max_rx_queues) {
		/*
		 * Transmit only, but some PMDs (net_af_xdp) pair each tx ring with
		 * an rx queue's socket: give them rx queues on a pool of our own,
		 * which softnet never polls.
		 */
		char pname[RTE_MEMPOOL_NAMESIZE];

		snprintf(pname, sizeof(pname), "sn_eth_rx_%u", port_id);
		/* A port kept by an earlier close (keep_port) still has its pool. */
		own_rx_pool = rte_mempool_lookup(pname);
		if (own_rx_pool == NULL)
			own_rx_pool = sn_ethdev_pool_create(pname, SN_ETHDEV_OWN_RX_MBUFS * nb_txq,
							    256, socket);
		rx_pool = own_rx_pool;
		if (own_rx_pool == NULL) {
			rc = -rte_errno;
			goto fail;
		}
		nb_rxq = nb_txq;
		rc = rte_eth_dev_configure(port_id, nb_rxq, nb_txq, &pconf);
		if (rc == 0)
			ETH_LOG(INFO, "port %u: the PMD needs rx queues: %u set up, never polled\n",
				port_id, nb_rxq);
	}
	if (rc != 0)
		goto fail;
	for (uint16_t q = 0; q < nb_txq; q++) {
		rc = rte_eth_tx_queue_setup(port_id, q, ntxd, socket, NULL);
		if (rc != 0)
			goto fail;
	}
	for (uint16_t q = 0; q < nb_rxq; q++) {
		rc = rte_eth_rx_queue_setup(port_id, q, nrxd, socket, NULL, rx_pool);
		if (rc != 0)
			goto fail;
	}
	rc = rte_eth_dev_start(port_id);
	if (rc != 0)
		goto fail;
	if (conf->promiscuous)
		rte_eth_promiscuous_enable(port_id);

	dev = sn_ethdev_create(port_id, name, nb_txq, ntxd, true, own_rx_pool);
	if (dev != NULL) {
		struct sn_ethdev *e = sn_netdev_priv(dev);

		e->keep_port = conf->keep_port;
		e->started = true;
	}
	if (dev == NULL) {
		int err = rte_errno;

		rte_eth_dev_stop(port_id);
		rte_mempool_free(own_rx_pool);
		rte_errno = err;
	}
	return dev;

fail:
	ETH_LOG(ERR, "port %u: set-up failed: %s\n", port_id, rte_strerror(-rc));
	rte_mempool_free(own_rx_pool);
	rte_errno = -rc;
	return NULL;
}

void
sn_ethdev_close(struct sn_netdev *dev, struct sn_softnet *sd)
{
	if (dev == NULL)
		return;
	sn_netdev_free(dev, sd);
}

/* The driver data of a device sn_ethdev_open() started, or NULL with @rc set. */
static struct sn_ethdev *
sn_ethdev_owned(struct sn_netdev *dev, int *rc)
{
	struct sn_ethdev *e;

	if (!sn_is_ethdev(dev)) {
		*rc = -ENODEV;
		return NULL;
	}
	e = sn_netdev_priv(dev);
	if (!e->owned) {
		*rc = -EINVAL;
		return NULL;
	}
	return e;
}

int
sn_ethdev_stop(struct sn_netdev *dev, struct sn_softnet *sd)
{
	struct sn_ethdev *e;
	int rc = 0;

	e = sn_ethdev_owned(dev, &rc);
	if (e == NULL)
		return rc;
	if (sn_netdev_is_up(dev)) {
		rc = sn_netdev_down(dev, sd);
		if (rc != 0)
			return rc;
	}
	if (!e->started)
		return 0;
	rc = rte_eth_dev_stop(e->port_id);
	if (rc == 0)
		e->started = false;
	return rc;
}

int
sn_ethdev_start(struct sn_netdev *dev)
{
	struct sn_ethdev *e;
	int rc = 0;

	e = sn_ethdev_owned(dev, &rc);
	if (e == NULL)
		return rc;
	if (!e->started) {
		rc = rte_eth_dev_start(e->port_id);
		if (rc != 0)
			return rc;
		e->started = true;
	}
	return sn_netdev_up(dev);
}
