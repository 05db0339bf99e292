/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef APP_OPTIONS_H
#define APP_OPTIONS_H

/*
 * Command-line options of the softnet traffic generator (the part after
 * "--"). Parsing happens before rte_eal_init(), so a bad option costs no
 * DPDK resources; the checks that need a port (frame size against its MTU,
 * queue count, worker lcores) are made later by app_opts_check_port() and
 * app_opts_check_lcores().
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_ether.h>

#include <sn_qdisc.h>

/** Exit codes of the program. */
#define APP_EXIT_OK 0
#define APP_EXIT_FAIL 1  /**< run-time failure or accounting mismatch */
#define APP_EXIT_USAGE 2 /**< bad command line */

#define APP_BURST_MAX 512
#define APP_FRAME_MIN 60 /**< smallest Ethernet frame without FCS */

struct app_opts {
	uint64_t count;         /**< packets in total, 0 = no limit */
	double duration;        /**< seconds, 0 = no limit */
	uint32_t size;          /**< frame length without FCS */
	uint16_t burst;         /**< packets per sn_xmit_burst() */
	char qdisc[SN_QDISC_KIND_SIZE]; /**< discipline of every txq */
	uint32_t limit;         /**< qdisc limit, 0 = the discipline's default */
	uint32_t prio;          /**< packet priority 0..15 */
	uint16_t port;          /**< DPDK port id */
	bool port_set;          /**< --port was given */
	uint16_t txqs;          /**< transmit queues */
	unsigned int tx_lcores; /**< generator lcores, 0 = all workers */
	bool single;            /**< sn_xmit() instead of sn_xmit_burst() */
	bool plug;              /**< single, plugged around each burst */
	double stats_period;    /**< seconds between lines, 0 = none */
	const char *json_path;  /**< summary as JSON, or NULL */
	bool quiet;             /**< only the summary */
	struct rte_ether_addr src_mac, dst_mac;
	uint32_t src_ip, dst_ip; /**< network order */
	uint16_t sport, dport;   /**< host order */
	bool duration_defaulted; /**< neither --count nor --duration: 10 s */
	bool interactive;        /**< -i: the prompt */
	const char *cmdline_file; /**< --cmdline-file: commands to run first */
};

/** Result of app_opts_parse(). */
enum app_opts_rc {
	APP_OPTS_OK,    /**< run */
	APP_OPTS_HELP,  /**< usage printed: exit 0 */
	APP_OPTS_ERROR, /**< one error line printed: exit 2 */
};

/**
 * Parse the application options of a full command line: everything after
 * the first "--" (EAL options before it are left to rte_eal_init()).
 * Prints one error line to stderr on failure, the usage on --help.
 */
enum app_opts_rc app_opts_parse(int argc, char **argv, struct app_opts *o);

/** Print the usage text (options, defaults, an example). */
void app_usage(FILE *f, const char *prog);

/** Print one "softnet: <what>: <why> (see --help)" line to stderr. */
void app_opts_error(const char *opt, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/**
 * Checks that need the port: frame size against MTU + 14, queue count
 * against the port's maximum. Prints one error line on failure.
 *
 * @return 0 or -EINVAL.
 */
int app_opts_check_port(const struct app_opts *o, uint16_t mtu, uint16_t max_txq);

/**
 * Resolve --tx-lcores against the EAL worker count (0 workers: the main
 * lcore generates, so exactly one). Prints one error line on failure.
 *
 * @return the number of generator lcores, or -EINVAL.
 */
int app_opts_check_lcores(const struct app_opts *o, unsigned int nb_workers);

/** The transmit API a run uses, as the banner and the summary name it. */
static inline const char *
app_api_name(const struct app_opts *o)
{
	return o->plug ? "sn_xmit+plug" : o->single ? "sn_xmit" : "sn_xmit_burst";
}

#endif /* APP_OPTIONS_H */
