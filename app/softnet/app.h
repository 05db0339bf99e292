/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef APP_APP_H
#define APP_APP_H

/* The session the modules share (both modes): set up in cli.c, read everywhere. */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_ethdev.h>
#include <rte_mempool.h>

#include "cmd.h"
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
	APP_STOP_COMMAND,  /**< the `stop` command */
};

/** Most DPDK ports the session manages. */
#define APP_MAX_PORTS 32

/** A port as the session sees it. */
struct app_port {
	bool valid;            /**< a DPDK port with this id exists */
	bool started;
	uint16_t txqs;         /**< transmit queues (port config) */
	struct sn_netdev *dev; /**< softnet device over it, once started */
	bool user_qdisc[64];   /**< a qdisc was added on this queue (add refuses) */
	/* Per-second rates, sampled by the idle loop. */
	uint64_t sample_tsc;
	struct rte_eth_stats sample;
	double ipps, opps, ibps, obps;
};

/** The generator's settings (`set ...`). */
struct app_gen_spec {
	struct app_size_spec size;
	struct app_field field[APP_GF_NB];
	struct app_rate rate;
	uint64_t count;          /**< 0 = no limit */
	double duration;         /**< seconds, 0 = no limit */
	uint16_t burst;
	enum app_xmit_mode xmit;
	uint32_t nb_prio;
	uint8_t prio[APP_PRIO_LIST_MAX];
	unsigned int lcores;     /**< 0 = every worker */
	uint16_t port;
};

#define APP_LAT_BUCKETS (41 * 8)

/** Receive counting of the generator's frames (rx.c). */
struct app_rx {
	bool on;
	uint16_t port;
	uint64_t rx_pkts;        /**< everything received */
	uint64_t ours;           /**< with the generator's stamp */
	uint64_t gaps;           /**< packets missing in sequence when seen */
	uint64_t reordered;      /**< arrived after a later one */
	uint64_t sent_base;      /**< softnet sent when counting started */
	uint64_t lat_min, lat_max, lat_sum; /**< TSC cycles */
	uint64_t hist[APP_LAT_BUCKETS];
	uint64_t next_seq[256];  /**< per generator: next sequence expected */
	uint8_t seen[256];
};

struct app {
	struct app_opts opts;
	FILE *json;                 /**< opened before the run: fail early */

	uint16_t port;              /**< DPDK port of the last run */
	char port_name[RTE_ETH_NAME_MAX_LEN]; /**< its name (summary) */
	bool created_vdev;          /**< we made net_null0: remove it at the end */
	bool sn_ready;              /**< sn_init() succeeded */
	struct sn_netdev *dev;      /**< softnet device of the last run */
	struct rte_mempool *pool;   /**< the generators' mbufs */
	struct app_frame frame;
	uint32_t qdisc_limit;       /**< txq 0's limit in force (summary) */
	char qdisc_kind[SN_QDISC_KIND_SIZE]; /**< every txq's kind, or "(per txq)" (summary) */

	struct app_gen_conf gconf;
	struct app_gen *gens;       /**< one per generator lcore, cache-aligned */
	unsigned int nb_gens;

	enum app_stop_reason stop_reason;
	uint64_t hz;                /**< TSC ticks per second */

	bool json_out;              /**< set format json */
	bool quit;
	bool running;               /**< generators launched, not yet joined */
	struct app_port ports[APP_MAX_PORTS];
	struct app_gen_spec spec;
	struct rte_mempool *rx_pool;
	uint8_t pool_prio;          /**< the priority every mbuf of the pool carries */
	uint16_t *sizes;            /**< IMIX sequence of the current run */
	uint64_t run_rate_pps;      /**< asked rate of the current run, 0 = max */
	uint64_t base_handed, base_accepted, base_alloc_fail; /**< finished runs */
	uint64_t runs;
	double gen_seconds;         /**< generation time of the finished runs */
	struct app_rx rx;
	uint64_t next_sample_tsc;
};

/** The transmit API a mode uses, as the summary and the JSON name it. */
static inline const char *
app_xmit_api(enum app_xmit_mode m)
{
	return m == APP_XMIT_PLUG ? "sn_xmit+plug" : m == APP_XMIT_SINGLE ? "sn_xmit" :
	       "sn_xmit_burst";
}

#endif /* APP_APP_H */
