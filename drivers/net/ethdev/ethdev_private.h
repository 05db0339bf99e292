/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SN_ETHDEV_PRIVATE_H
#define SN_ETHDEV_PRIVATE_H

/* Internals of the ethdev driver shared by its files; not installed. */

#include <rte_log.h>
#include <rte_mempool.h>

extern int sn_logtype_ethdev;
#define ETH_LOG(lvl, ...) rte_log(RTE_LOG_ ## lvl, sn_logtype_ethdev, "softnet ethdev: " __VA_ARGS__)

/* The driver name of net_af_xdp ports (rte_eth_dev_info.driver_name). */
#define SN_ETHDEV_AF_XDP "net_af_xdp"

/*
 * Would net_af_xdp's UMEM for @mp (computed the 22.11 way) hold every object
 * of it? 0 if so, -EINVAL if not (umem_pool.c).
 */
int sn_ethdev_pool_fits_af_xdp_umem(struct rte_mempool *mp);

#endif /* SN_ETHDEV_PRIVATE_H */
