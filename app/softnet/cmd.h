/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef APP_CMD_H
#define APP_CMD_H

/*
 * The command language of the prompt, of command files and of the option
 * mode's commands (docs/cli.md).
 *
 * Each command family registers its commands from its own file (cmd_*.c):
 * grammar, handler, help (struct app_cmd_def). A line is parsed into a
 * struct app_cmd by its command's grammar with no DPDK call at all (the
 * fuzzer in tests/fuzz/ builds the grammars alone), then run by its handler
 * (cli.c calls it). The grammar checks everything it can without a port:
 * syntax, keywords, ranges; what needs the running system (does port 3
 * exist, has it 4 queues, is the frame under its MTU) or the library (the
 * words of a qdisc, sn_qdisc_parse()) is checked by the handler before it
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
#define APP_CMD_PORT_NAME_SIZE 64 /**< longest port name (RTE_ETH_NAME_MAX_LEN) */

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
	APP_SET_XMIT,
};

/** How the generator hands packets to softnet (`set xmit`). */
enum app_xmit_mode {
	APP_XMIT_BURST,  /**< sn_xmit_burst() */
	APP_XMIT_SINGLE, /**< sn_xmit() per packet */
	APP_XMIT_PLUG,   /**< sn_xmit() per packet inside sn_xmit_plug()/sn_xmit_unplug() */
};

/** Names of the modes as `set xmit` takes them ("burst", "single", "plug"). */
extern const char *const app_xmit_names[3];

struct app;
struct app_err;
struct app_cmd;
struct app_cmd_ctx;
struct app_cmd_choices;

/**
 * One command of the language, registered by the file of its family
 * (cmd_port.c, cmd_qdisc.c, ...) with APP_CMD_REGISTER(): its grammar (the
 * parse function), its handler and its help. The parser, the prompt's
 * completion, `help` and the errors' usage are all generated from these.
 *
 * A command is named by its first word (@ref name, or one of @ref aliases),
 * and, when several files share a first word ("show port", "show qdisc"),
 * by its second word too (@ref sub).
 */
struct app_cmd_def {
	const char *name;    /**< first word ("qdisc", "show") */
	const char *aliases; /**< other first words, '#'-separated ("exit"), or NULL */
	const char *sub;     /**< second word of a shared first word ("qdisc" in "show qdisc"),
				  '#'-separated aliases ("gen#config"), or NULL */
	/**
	 * Second words it takes, '#'-separated, or NULL. When several commands
	 * share a first word without @ref sub, the line goes to the one whose
	 * words hold its second word (else to the first registered). Completion
	 * reads @ref usage, not these.
	 */
	const char *words;
	/**
	 * One line: the syntax, which completion and `?` also read (app_cmd_complete()):
	 * alternatives separated by " | ", each starting with the command's words;
	 * `a|b` choices, `[...]` optional parts, `<x>` (or any word with upper case,
	 * ':' or ',') a value, `[options]` or `...` any further words; a tc id
	 * such as `MAJ:MIN` takes a word with ':' and completion may pass over it
	 * (`root|parent MAJ:MIN`). A family whose usage says it all needs nothing
	 * else for completion.
	 */
	const char *usage;
	const char *what;    /**< one line: what it does */
	unsigned int rank;   /**< place in `help` (smaller first) */
	/** Grammar: the words after the name (and @ref sub) into @p cmd. No DPDK call. */
	int (*parse)(struct app_cmd_ctx *c, struct app_cmd *cmd);
	/** Handler: run a parsed command. @return 0 or a negative errno with @p e set. */
	int (*exec)(struct app *app, const struct app_cmd *cmd, struct app_err *e);
	/** More help after the usage lines (`help <name>`), or NULL. */
	void (*help)(void);
	/**
	 * Third words that pick this command among those sharing its first word
	 * and @ref sub ('#'-separated: "xstats#summary" for "show port xstats"),
	 * or NULL (optional). Its grammar still sees the third word. A line whose
	 * third word no command lists goes to the command of that @ref sub
	 * without one.
	 */
	const char *sub3;
	/**
	 * Completion beyond @ref usage (optional, no DPDK call): add the choices
	 * for the word after @p words (the line's @p n complete words, the first
	 * one included) with app_cmd_choice_add(). Called for every line whose
	 * first word is this command's; NULL: @ref usage alone.
	 */
	void (*complete)(const char *const *words, int n, struct app_cmd_choices *out);
};

/** The choices for the word at the cursor (app_cmd_complete()). */
#define APP_CMD_CHOICES_MAX 96
#define APP_CMD_CHOICE_SIZE 48
struct app_cmd_choices {
	unsigned int n;
	bool can_end;        /**< the line is a whole command as it is (`?` shows "<return>") */
	char word[APP_CMD_CHOICES_MAX][APP_CMD_CHOICE_SIZE]; /**< a word, or "<value>" */
	/** The command each choice belongs to (its usage for `?`), or NULL. */
	const struct app_cmd_def *def[APP_CMD_CHOICES_MAX];
};

/**
 * Add @p word (once: a word already there is not added again) to @p out.
 * A value placeholder is written in angle brackets ("<port>").
 * @return 0, or -ENOSPC when full.
 */
int app_cmd_choice_add(struct app_cmd_choices *out, const char *word,
		       const struct app_cmd_def *def);

/**
 * The values a placeholder stands for now ("<port>": the port ids, names and
 * `all`), for the completion; set by the prompt, which can ask DPDK.
 */
typedef void (app_cmd_values_t)(const char *placeholder, struct app_cmd_choices *out);

/**
 * Complete the last word of @p line (the text left of the cursor; empty or
 * ending with a blank: a new word) from the command registry: the usage of
 * every command that the words so far fit, plus the commands' complete
 * hooks and @p values for placeholders. Each choice once, in usage order;
 * only those starting with the last word. No DPDK call.
 *
 * @param partial receives the offset of the last word in @p line.
 * @return the number of choices (out->n).
 */
unsigned int app_cmd_complete(const char *line, struct app_cmd_choices *out, size_t *partial,
			      app_cmd_values_t *values);

/**
 * The handler and help hooks of a command. The fuzzer (tests/fuzz/) builds
 * the grammar of every family with -DAPP_CMD_PARSE_ONLY: no handler, no DPDK.
 */
#ifdef APP_CMD_PARSE_ONLY
#define APP_CMD_EXEC(fn) NULL
#else
#define APP_CMD_EXEC(fn) fn
#endif

/** Add a command to the registry (from a constructor: APP_CMD_REGISTER). */
void app_cmd_register(const struct app_cmd_def *def);

/** Register @p def (a static struct app_cmd_def) when the program starts. */
#define APP_CMD_REGISTER(def) \
	static void __attribute__((constructor)) app_cmd_register_##def(void) \
	{ \
		app_cmd_register(&def); \
	}

/** @return the i-th registered command in help order, or NULL past the end. */
const struct app_cmd_def *app_cmd_def_at(unsigned int i);

/** One parsed command. */
struct app_cmd {
	const struct app_cmd_def *def; /**< NULL: a blank line or a comment */
	int op;                 /**< the family's own sub-command (its enum) */
	bool json;              /**< `json` at the end of a show command */
	bool has_port;
	uint16_t port;
	/** The port was `all`: the executor runs the command once per port. */
	bool port_all;
	/** The port was named ("port0", "net_null0"): the executor finds its id. */
	char port_name[APP_CMD_PORT_NAME_SIZE];
	bool has_txq;           /**< qdisc: one queue (else every queue) */
	uint16_t txq;
	uint16_t txqs;          /**< port config */
	bool has_parent;        /**< qdisc, class, filter: `parent X:Y` given */
	uint32_t parent;        /**< that id (major << 16 | minor) */
	uint32_t classid;       /**< class: `classid X:Y`; filter del: the prio */
	double seconds;         /**< sleep; wait timeout (0 = none) */
	char topic[32];         /**< help topic, or "" */
	/** qdisc: tc's words after `root` (kind and options, for sn_qdisc_parse()). */
	int nb_words;
	const char *words[APP_CMD_TOKENS_MAX];
	struct {
		enum app_set_what what;
		enum app_gen_field field;        /**< APP_SET_FIELD */
		struct app_field fval;
		struct app_size_spec size;
		struct app_rate rate;
		uint64_t u64;                    /**< count, burst, lcores, port, xmit */
		double seconds;                  /**< duration, stats period */
		uint32_t nb_prio;
		uint8_t prio[APP_PRIO_LIST_MAX];
		bool json;                       /**< format */
	} set;
	char line[APP_CMD_LINE_MAX + 2]; /**< the line, cut into the words above */
};

/**
 * Parse one line (a trailing newline and `# comments` allowed).
 *
 * @return 0 with @p cmd filled in; -EINVAL with one line in @p err naming
 *         the problem and the `help` to try (no newline).
 */
int app_cmd_parse(const char *line, struct app_cmd *cmd, char *err, size_t errlen);

/**
 * Write the usage of a command family (every command whose first word is
 * @p family, joined by " | ") to @p buf.
 * @return @p buf, or NULL if no command has that first word.
 */
const char *app_cmd_usage(const char *family, char *buf, size_t len);

/**
 * Every command's usage and what it does, or one family's (for `help`):
 * @p topic is a first word ("show"), or a first and second ("show port").
 */
void app_cmd_help(char *buf, size_t len, const char *topic);

/**
 * The `help` topic that names @p def ("qdisc", "show port") into @p buf.
 * @return @p buf.
 */
const char *app_cmd_topic(const struct app_cmd_def *def, char *buf, size_t len);

/**
 * Cut @p s in place into words separated by blanks.
 * @return the number of words (at most @p max; -E2BIG if there are more).
 */
int app_cmd_split(char *s, const char **words, int max);

/* ---- for the grammars of the families (cmd_*.c) ---- */

/** Fail: "<family>: <what> (try 'help <command>')". @return -EINVAL. */
int app_cmd_err(struct app_cmd_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** @return the next word without taking it, or NULL at the end. */
const char *app_cmd_peek(const struct app_cmd_ctx *c);
/** @return the next word, or NULL at the end. */
const char *app_cmd_next(struct app_cmd_ctx *c);
/** Take the next word if it is @p kw. */
bool app_cmd_accept(struct app_cmd_ctx *c, const char *kw);
/** Nothing may follow, except `json` where @p json is not NULL. */
int app_cmd_end(struct app_cmd_ctx *c, bool *json);
/** The rest of the line (pointers into the command's line). @return how many. */
int app_cmd_rest(struct app_cmd_ctx *c, const char **words, int max);
/** Parse a whole word as an unsigned decimal. @return 0, or -EINVAL. */
int app_str_u64(const char *s, uint64_t *out);
/** An unsigned decimal in [min, max], named @p what in errors. */
int app_cmd_num(struct app_cmd_ctx *c, const char *what, uint64_t min, uint64_t max,
		uint64_t *out);
/** A finite decimal number of seconds (an "s" suffix allowed) in [min, max]. */
int app_cmd_seconds(struct app_cmd_ctx *c, const char *what, double min, double max,
		    double *out);
/**
 * A port into cmd (cmd->has_port set), as testpmd and tc take one: an id
 * (cmd->port), `all` (cmd->port_all: the executor runs the command for each
 * port) or a name (cmd->port_name: the softnet device's, "port0", or the
 * DPDK port's, "net_null0"; the executor resolves it into cmd->port).
 */
int app_cmd_port(struct app_cmd_ctx *c, struct app_cmd *cmd);
/** As app_cmd_port(), without `all` (a command about one port: `set port`). */
int app_cmd_port_one(struct app_cmd_ctx *c, struct app_cmd *cmd);
/**
 * A rate in tc's units (sn_tc_units.h: "10mbit", "1gbit", "100kibit"; tc's
 * "bps" is bytes per second) into bits per second. For the grammars that
 * take a rate. @return 0, or -EINVAL (not a tc rate).
 */
int app_str_tc_rate(const char *s, double *bits_per_sec);
/** A size in tc's units ("1500", "64kb", "1m", "32kbit") into bytes. @return 0 or -EINVAL. */
int app_str_tc_size(const char *s, uint64_t *bytes);
/** @return true if @p w is one of the '#'-separated @p choices. */
bool app_cmd_choice(const char *choices, const char *w, size_t len);

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
