/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef APP_APP_H
#define APP_APP_H

/* The run context the modules share: set up in setup.c, read everywhere. */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_ethdev.h>
#include <rte_mempool.h>

#include "frame.h"
#include "gen.h"
#include "options.h"

struct sn_netdev;

/** Why generation ended. */
enum app_stop_reason {
	APP_STOP_NONE,
	APP_STOP_DURATION, /**< --duration elapsed */
	APP_STOP_COUNT,    /**< every generator sent its share of --count */
	APP_STOP_SIGNAL,   /**< SIGINT or SIGTERM */
	APP_STOP_ERROR,    /**< a generator lcore failed */
};

struct app {
	struct app_opts opts;
	FILE *json;                 /**< opened before the run: fail early */

	uint16_t port;              /**< DPDK port in use */
	char port_name[RTE_ETH_NAME_MAX_LEN];
	bool created_vdev;          /**< we made net_null0: remove it at the end */
	bool sn_ready;              /**< sn_init() succeeded */
	struct sn_netdev *dev;
	struct rte_mempool *pool;
	struct app_frame frame;
	uint32_t qdisc_limit;       /**< limit in force (from sn_qdisc_info) */

	struct app_gen_conf gconf;
	struct app_gen *gens;       /**< one per generator lcore, cache-aligned */
	unsigned int nb_gens;
	bool main_generates;        /**< no worker lcore: the main lcore sends */

	enum app_stop_reason stop_reason;
	uint64_t hz;                /**< TSC ticks per second */
};

#endif /* APP_APP_H */
