/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SN_ETHDEV_H
#define SN_ETHDEV_H

/**
 * @file
 * The ethdev netdev driver: a softnet device over any DPDK port (net_null,
 * net_ring, net_pcap, net_af_packet, net_af_xdp, net_tap, hardware NICs).
 *
 * The driver transmits with rte_eth_tx_burst() on the port queue of the same
 * number. It configures and starts the port itself (sn_ethdev_open()) or
 * adopts a port the application has already started (sn_ethdev_attach()).
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_ethdev.h>
#include <rte_mempool.h>

#ifdef __cplusplus
extern "C" {
#endif

struct sn_netdev;
struct sn_softnet;

/** How sn_ethdev_open() sets a port up; zero means the default. */
struct sn_ethdev_conf {
	uint16_t nb_txq;          /**< transmit queues (default 1) */
	uint16_t nb_rxq;          /**< receive queues (default 0: transmit only; where the
				       PMD needs rx queues anyway, net_af_xdp, the driver
				       sets them up on a pool of its own, never polled) */
	uint16_t nb_tx_desc;      /**< descriptors per tx queue (default 1024) */
	uint16_t nb_rx_desc;      /**< descriptors per rx queue (default 1024) */
	struct rte_mempool *rx_pool; /**< pool for received mbufs (required if nb_rxq) */
	bool promiscuous;         /**< put the port in promiscuous mode */
	bool rx_intr;             /**< request RX interrupts (where the PMD has them) */
	/**
	 * sn_ethdev_close() stops the port but does not close it, so that it
	 * can be opened again with another configuration (a CLI's `port
	 * config`); a closed vdev port is gone for good.
	 */
	bool keep_port;
	uint32_t reserved[4];     /**< must be zero */
};

/**
 * Create an mbuf pool that suits any port's rx queues, net_af_xdp's included:
 * objects of exactly 4 KiB (mempool header, mbuf and a 3904-byte data room),
 * back to back in one piece of memory, none across a page boundary.
 *
 * net_af_xdp in DPDK 22.11 registers its rx pool as the AF_XDP UMEM and
 * copies transmitted frames into mbufs of that pool, but sizes the UMEM as if
 * objects were packed from the pool's first chunk; rte_pktmbuf_pool_create()
 * pools usually extend past it (always with 4 KiB pages, i.e. --no-huge) and
 * the kernel silently drops every frame placed there. sn_ethdev_open() refuses
 * such a pool for net_af_xdp; this one passes. Free it with rte_mempool_free().
 *
 * @param name       mempool name
 * @param n          number of mbufs
 * @param cache_size per-lcore cache size (as for rte_pktmbuf_pool_create())
 * @param socket_id  NUMA socket, or SOCKET_ID_ANY
 * @return the pool, or NULL with rte_errno: EINVAL (no name, n == 0), ENOTSUP
 *         (a mempool debug build, whose object trailer breaks the layout),
 *         ENOMEM (no memory in one piece), or the errno of the mempool call.
 */
struct rte_mempool *sn_ethdev_pool_create(const char *name, unsigned int n,
					  unsigned int cache_size, int socket_id);

/**
 * Configure and start DPDK port @p port_id, and create an up softnet device
 * over it named after the port ("port<N>" unless @p name is given).
 *
 * @return the device, or NULL with rte_errno: ENODEV (no such port),
 *         EINVAL (bad configuration, more queues than the port has, or an
 *         @c rx_pool that net_af_xdp cannot use whole: see
 *         sn_ethdev_pool_create()),
 *         or the errno of the failed ethdev call.
 */
struct sn_netdev *sn_ethdev_open(uint16_t port_id, const char *name,
				 const struct sn_ethdev_conf *conf);

/**
 * Create an up softnet device over a port the application configured and
 * started itself, using its first @p nb_txq transmit queues. softnet never
 * stops or closes such a port.
 *
 * @return the device, or NULL with rte_errno: ENODEV, EINVAL, EEXIST, ENOMEM.
 */
struct sn_netdev *sn_ethdev_attach(uint16_t port_id, const char *name, uint16_t nb_txq);

/**
 * Take the device down, free it, then stop and close the port if
 * sn_ethdev_open() started it (stop only, with @c keep_port). Queued packets
 * are dropped and counted.
 */
void sn_ethdev_close(struct sn_netdev *dev, struct sn_softnet *sd);

/**
 * Stop a port opened with sn_ethdev_open(), keeping its device, qdiscs and
 * counters: the device goes down first (queued packets dropped and counted,
 * nothing more reaches the PMD), then the port stops. Control path, process
 * context (as sn_netdev_down()).
 *
 * @param sd the caller's softnet if it is attached, else NULL.
 * @return 0; -ENODEV (not an ethdev device); -EINVAL (a port the
 *         application started itself: sn_ethdev_attach()); -EDEADLK (softirq
 *         context); or the errno of rte_eth_dev_stop().
 */
int sn_ethdev_stop(struct sn_netdev *dev, struct sn_softnet *sd);

/**
 * Start again a port stopped with sn_ethdev_stop(), and bring its device up.
 *
 * @return 0; -ENODEV; -EINVAL (as for sn_ethdev_stop()); or the errno of
 *         rte_eth_dev_start().
 */
int sn_ethdev_start(struct sn_netdev *dev);

/** @return the DPDK port id behind @p dev, or -ENODEV if it is no ethdev. */
int sn_ethdev_port(const struct sn_netdev *dev);

/** @return true if @p dev is an ethdev device. */
bool sn_is_ethdev(const struct sn_netdev *dev);

#ifdef __cplusplus
}
#endif

#endif /* SN_ETHDEV_H */
