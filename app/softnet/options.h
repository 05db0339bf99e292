/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef APP_OPTIONS_H
#define APP_OPTIONS_H

/*
 * Command-line options of the softnet traffic generator (the part after
 * "--"). Parsing happens before rte_eal_init(), so a bad option costs no
 * DPDK resources. The options are the defaults of the session (cli.c); in
 * the option mode they become commands (qdisc replace, set, start, wait)
 * run by the same executor as command files, which checks what needs the
 * port, the lcores or the library (the qdisc's words).
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
#define APP_QDISC_SPEC_SIZE 512 /**< longest --qdisc */
#define APP_OPTS_QOS_MAX 32     /**< most --class and most --filter options */

struct app_opts {
	uint64_t count;         /**< packets in total, 0 = no limit */
	double duration;        /**< seconds, 0 = no limit */
	uint32_t size;          /**< frame length without FCS */
	bool size_set;          /**< --size given: becomes `set size` (checked against the port) */
	uint16_t burst;         /**< packets per sn_xmit_burst() */
	char qdisc[APP_QDISC_SPEC_SIZE]; /**< every txq's qdisc: tc's words after `root` */
	uint32_t limit;         /**< --limit: appended to the qdisc as `limit N`; 0 = none */
	bool qdisc_set;         /**< --qdisc or --limit given */
	uint32_t prio;          /**< packet priority 0..15 */
	uint16_t port;          /**< DPDK port id */
	bool port_set;          /**< --port was given */
	uint16_t txqs;          /**< transmit queues */
	unsigned int tx_lcores; /**< generator lcores, 0 = all workers */
	bool single;            /**< sn_xmit() instead of sn_xmit_burst() */
	bool plug;              /**< single, plugged around each burst */
	double stats_period;    /**< seconds between lines, 0 = none */
	bool stats_period_set;  /**< --stats-period given (command mode: default none) */
	const char *json_path;  /**< summary as JSON, or NULL */
	bool quiet;             /**< only the summary */
	struct rte_ether_addr src_mac, dst_mac;
	uint32_t src_ip, dst_ip; /**< network order */
	uint16_t sport, dport;   /**< host order */
	bool duration_defaulted; /**< neither --count nor --duration: 10 s */
	bool interactive;        /**< -i: the prompt */
	const char *cmdline_file; /**< --cmdline-file: commands to run first */
	int rx_mode;             /**< --rx-mode: -1 none, 0 poll, 1 interrupt (sn_rx.h) */
	const char *address;     /**< --address A.B.C.D/LEN (the responder), or NULL */
	const char *linerate;    /**< --linerate 'WORDS': a line-rate model port, the generator's; NULL: none */
	/** --class 'WORDS' (`class add dev <port> WORDS`), in order. */
	const char *classes[APP_OPTS_QOS_MAX];
	unsigned int nb_classes;
	/** --filter 'WORDS' (`filter add dev <port> WORDS`), in order. */
	const char *filters[APP_OPTS_QOS_MAX];
	unsigned int nb_filters;
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

/**
 * The qdisc of every txq in tc's words after `root`: --qdisc, then
 * `limit N` for --limit. @return 0, or -ENOSPC if it does not fit.
 */
int app_opts_qdisc_spec(const struct app_opts *o, char *buf, size_t len);

/**
 * Parse A.B.C.D/LEN (LEN 0..32, /32 when left out; not 0.0.0.0) into a
 * network-order address and a prefix length (cmd_rx.c; no DPDK call).
 * @return 0 or -EINVAL.
 */
int app_str_ipv4_prefix(const char *s, uint32_t *ip, uint8_t *plen);

/** Print the usage text (options, defaults, an example). */
void app_usage(FILE *f, const char *prog);

/** Print one "softnet: <what>: <why> (see --help)" line to stderr. */
void app_opts_error(const char *opt, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/** The transmit API a run uses, as the banner and the summary name it. */
static inline const char *
app_api_name(const struct app_opts *o)
{
	return o->plug ? "sn_xmit+plug" : o->single ? "sn_xmit" : "sn_xmit_burst";
}

#endif /* APP_OPTIONS_H */
