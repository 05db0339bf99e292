/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef APP_CMD_H
#define APP_CMD_H

/*
 * The command language of the prompt and of command files (docs/cli.md).
 *
 * A line is parsed into a struct app_cmd with no DPDK call at all (the
 * fuzzer in tests/fuzz/ links this file alone), then executed by cli.c.
 * The parser checks everything it can without a port: syntax, keywords,
 * ranges; what needs the running system (does port 3 exist, has it 4
 * queues, is the frame under its MTU) is checked by the executor before it
 * changes anything.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define APP_CMD_LINE_MAX 1024   /**< longest command line */
#define APP_CMD_TOKENS_MAX 48   /**< most words in a line */
#define APP_CMD_ERR_SIZE 512    /**< room for one error line */
#define APP_IMIX_MAX 16         /**< sizes in an IMIX list */
#define APP_IMIX_WEIGHT_MAX 1000 /**< largest weight; the sum is at most 4096 */
#define APP_PRIO_LIST_MAX 16    /**< priorities in a per-flow list */
#define APP_SIZE_MIN 60         /**< smallest frame without FCS */
#define APP_SIZE_MAX 9018       /**< largest frame the parser takes (port MTU checked later) */
#define APP_CMD_PORT_MAX 1023   /**< port ids the parser takes (RTE_MAX_ETHPORTS checked later) */
#define APP_CMD_TXQ_MAX 63      /**< SN_NETDEV_MAX_TXQ - 1 */
#define APP_CMD_KIND_SIZE 16    /**< SN_QDISC_KIND_SIZE */
#define APP_CMD_NB_PRIO 16      /**< SN_PRIO_COUNT */

/** How a generated header field varies from packet to packet. */
enum app_field_mode {
	APP_FIELD_FIXED,  /**< always lo */
	APP_FIELD_RANGE,  /**< lo, lo+1, .. hi, lo, .. (per generator) */
	APP_FIELD_RANDOM, /**< uniformly random over the field's whole range */
};

/** A MAC (48-bit value), IPv4 address (host order) or UDP port. */
struct app_field {
	enum app_field_mode mode;
	uint64_t lo, hi;
};

/** The generator's header fields, in the order of the `set` keywords. */
enum app_gen_field {
	APP_GF_MAC_SRC,
	APP_GF_MAC_DST,
	APP_GF_IP_SRC,
	APP_GF_IP_DST,
	APP_GF_SPORT,
	APP_GF_DPORT,
	APP_GF_NB,
};

/** Frame sizes: one size, or an IMIX list of size:weight. */
struct app_size_spec {
	uint32_t n;                        /**< 1 = fixed size */
	uint32_t size[APP_IMIX_MAX];       /**< frame length without FCS */
	uint32_t weight[APP_IMIX_MAX];     /**< relative share of each size */
};

enum app_rate_unit {
	APP_RATE_MAX,     /**< as fast as possible (no pacing) */
	APP_RATE_PPS,     /**< packets per second */
	APP_RATE_BPS,     /**< bits per second of frame bytes (layer 2, no FCS) */
	APP_RATE_PERCENT, /**< percent of link speed, on the wire (frame + 24 bytes) */
};

struct app_rate {
	enum app_rate_unit unit;
	double value;
};

/** What `set` changes. */
enum app_set_what {
	APP_SET_SIZE,
	APP_SET_FIELD,
	APP_SET_RATE,
	APP_SET_COUNT,
	APP_SET_DURATION,
	APP_SET_BURST,
	APP_SET_PRIO,
	APP_SET_LCORES,
	APP_SET_PORT,
	APP_SET_FORMAT,
	APP_SET_STATS_PERIOD,
};

/** Everything `qdisc add|replace` may say; mirrors struct sn_qdisc_params. */
struct app_qdisc_req {
	char kind[APP_CMD_KIND_SIZE];
	uint32_t limit;                      /**< 0 = the discipline's default */
	uint8_t priomap[APP_CMD_NB_PRIO];
	bool has_priomap;
	bool no_bypass;
	bool no_busylock;
	bool nolock;
	bool defer_list;
};

enum app_cmd_id {
	APP_CMD_EMPTY,          /**< blank line or comment */
	APP_CMD_HELP,
	APP_CMD_QUIT,
	APP_CMD_PORT_START,
	APP_CMD_PORT_STOP,
	APP_CMD_PORT_CONFIG,    /**< port config <id> txqs <n> */
	APP_CMD_SHOW_PORT_INFO,
	APP_CMD_SHOW_PORT_STATS,
	APP_CMD_CLEAR_PORT_STATS,
	APP_CMD_QDISC_ADD,
	APP_CMD_QDISC_REPLACE,
	APP_CMD_QDISC_DEL,
	APP_CMD_SHOW_QDISC,
	APP_CMD_SHOW_SOFTNET,
	APP_CMD_SHOW_GEN,
	APP_CMD_SET,
	APP_CMD_START,
	APP_CMD_STOP,
	APP_CMD_WAIT,
	APP_CMD_SLEEP,
	APP_CMD_RX_START,       /**< rx start <port> */
	APP_CMD_RX_STOP,
	APP_CMD_SHOW_RX,
	APP_CMD_CLEAR_RX,
	APP_CMD_NB,
};

/** One parsed command. */
struct app_cmd {
	enum app_cmd_id id;
	bool json;              /**< `json` at the end of a show command */
	bool has_port;
	uint16_t port;
	bool has_txq;           /**< qdisc: one queue (else every queue) */
	uint16_t txq;
	uint16_t txqs;          /**< port config */
	double seconds;         /**< sleep; wait timeout (0 = none) */
	char topic[32];         /**< help topic, or "" */
	struct app_qdisc_req qdisc;
	struct {
		enum app_set_what what;
		enum app_gen_field field;        /**< APP_SET_FIELD */
		struct app_field fval;
		struct app_size_spec size;
		struct app_rate rate;
		uint64_t u64;                    /**< count, burst, lcores, port */
		double seconds;                  /**< duration, stats period */
		uint32_t nb_prio;
		uint8_t prio[APP_PRIO_LIST_MAX];
		bool json;                       /**< format */
	} set;
};

/**
 * Parse one line (a trailing newline and `# comments` allowed).
 *
 * @return 0 with @p cmd filled in; -EINVAL with one line in @p err naming
 *         the problem and the command's usage (no newline).
 */
int app_cmd_parse(const char *line, struct app_cmd *cmd, char *err, size_t errlen);

/** @return the usage line of a command family ("qdisc", "show", ...) or NULL. */
const char *app_cmd_usage(const char *family);

/** Print every command's usage and a one-line description (for `help`). */
void app_cmd_help(char *buf, size_t len, const char *topic);

/** Names of the generator fields as `set` takes them ("ip-src", ...). */
extern const char *const app_gen_field_names[APP_GF_NB];

/** Format a field value (a MAC, an IPv4 address or a port) into @p buf. */
void app_field_format(enum app_gen_field f, uint64_t v, char *buf, size_t len);

/** Format a field spec ("10.0.0.1-10.0.0.254", "random", ...). */
void app_field_spec_format(enum app_gen_field f, const struct app_field *s, char *buf,
			   size_t len);

/** Format a rate ("100kpps", "max", ...). */
void app_rate_format(const struct app_rate *r, char *buf, size_t len);

#endif /* APP_CMD_H */
