/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Option parsing. Hand-written rather than getopt_long(): the EAL runs
 * getopt on the same argv afterwards, and every error must name the option
 * and the exact problem in one line.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_lcore.h>

#include <sn_netdev.h>

#include "cmd.h"
#include "options.h"

#define APP_DEFAULT_DURATION 10.0
#define APP_MAX_SECONDS (366.0 * 24 * 3600)
#define APP_PRIO_MAX 15

enum app_opt_id {
	OPT_COUNT, OPT_DURATION, OPT_SIZE, OPT_BURST, OPT_QDISC, OPT_LIMIT, OPT_PRIO,
	OPT_PORT, OPT_TXQS, OPT_TX_LCORES, OPT_SINGLE, OPT_PLUG, OPT_STATS_PERIOD, OPT_JSON,
	OPT_QUIET, OPT_HELP, OPT_SRC_MAC, OPT_DST_MAC, OPT_SRC_IP, OPT_DST_IP,
	OPT_SPORT, OPT_DPORT, OPT_INTERACTIVE, OPT_CMDLINE_FILE, OPT_RX_MODE, OPT_ADDRESS,
	OPT_CLASS, OPT_FILTER, OPT_LINERATE,
};

static const struct app_opt_desc {
	const char *name;
	enum app_opt_id id;
	bool has_arg;
} app_opt_table[] = {
	{ "count", OPT_COUNT, true },
	{ "duration", OPT_DURATION, true },
	{ "size", OPT_SIZE, true },
	{ "burst", OPT_BURST, true },
	{ "qdisc", OPT_QDISC, true },
	{ "limit", OPT_LIMIT, true },
	{ "prio", OPT_PRIO, true },
	{ "port", OPT_PORT, true },
	{ "txqs", OPT_TXQS, true },
	{ "tx-lcores", OPT_TX_LCORES, true },
	{ "single", OPT_SINGLE, false },
	{ "plug", OPT_PLUG, false },
	{ "stats-period", OPT_STATS_PERIOD, true },
	{ "json", OPT_JSON, true },
	{ "quiet", OPT_QUIET, false },
	{ "help", OPT_HELP, false },
	{ "src-mac", OPT_SRC_MAC, true },
	{ "dst-mac", OPT_DST_MAC, true },
	{ "src-ip", OPT_SRC_IP, true },
	{ "dst-ip", OPT_DST_IP, true },
	{ "sport", OPT_SPORT, true },
	{ "dport", OPT_DPORT, true },
	{ "interactive", OPT_INTERACTIVE, false },
	{ "cmdline-file", OPT_CMDLINE_FILE, true },
	{ "rx-mode", OPT_RX_MODE, true },
	{ "address", OPT_ADDRESS, true },
	{ "class", OPT_CLASS, true },
	{ "filter", OPT_FILTER, true },
	{ "linerate", OPT_LINERATE, true },
};

void
app_opts_error(const char *opt, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "softnet: ");
	if (opt != NULL)
		fprintf(stderr, "--%s: ", opt);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see --help)\n");
}

void
app_usage(FILE *f, const char *prog)
{
	fprintf(f,
		"Usage: %s [EAL options] -- [options]\n"
		"\n"
		"Traffic generator whose UDP/IPv4 frames pass through a softnet qdisc on a\n"
		"DPDK port: each generator lcore allocates a burst, copies a prebuilt frame\n"
		"and hands it to sn_xmit_burst(); the qdisc sends it with rte_eth_tx_burst().\n"
		"\n"
		"Run:\n"
		"  --count N          packets to generate in total (0 = no limit)\n"
		"  --duration S       seconds to run (default 10 when neither --count nor\n"
		"                     --duration is given); Ctrl-C or SIGTERM stop early\n"
		"  --size BYTES       frame length without FCS, 60..MTU+14 (default 64)\n"
		"  --burst N          packets per burst, 1..%u (default 32)\n"
		"  --single           hand packets one by one to sn_xmit()\n"
		"  --plug             --single inside sn_xmit_plug()/sn_xmit_unplug() around\n"
		"                     each burst: the calls leave as one burst\n"
		"Queueing:\n"
		"  --qdisc 'KIND [OPTIONS]'  every txq's root qdisc in tc's words after\n"
		"                     `root` (default pfifo_fast), e.g. --qdisc 'pfifo limit\n"
		"                     512' (the kinds and their options: -i, then help qdisc)\n"
		"  --limit N          the same as ' limit N' at the end of --qdisc\n"
		"  --prio P           packet priority 0..15 (pfifo_fast band; default 0)\n"
		"  --class 'WORDS'    a class: `class add dev <port> WORDS` after --qdisc, e.g.\n"
		"                     --class 'parent 1: classid 1:1 htb rate 100mbit'\n"
		"                     (repeatable, in order)\n"
		"  --filter 'WORDS'   a filter: `filter add dev <port> WORDS` after the classes,\n"
		"                     e.g. --filter 'parent 1: prio 1 match ip dport 9 classid\n"
		"                     1:1' (repeatable, in order)\n"
		"Receive (docs/rx.md):\n"
		"  --rx-mode M        poll or interrupt: the port's rx queue is served by\n"
		"                     softnet's NET_RX on the last worker lcore (which then\n"
		"                     does not generate); interrupt = NAPI, sleeps when idle\n"
		"  --address A.B.C.D/LEN  answer ARP and ping for this address on the port\n"
		"                     (interrupt mode unless --rx-mode says otherwise)\n"
		"Port and lcores:\n"
		"  --port ID          DPDK port id (default 0); with no port at all the\n"
		"                     app creates net_null0 itself\n"
		"  --linerate 'WORDS' send through a line-rate NIC model instead: `port add\n"
		"                     linerate WORDS` (e.g. 'rate 10gbit ring 1024', '' for\n"
		"                     the defaults; docs/bql.md) becomes the generator's port\n"
		"  --txqs N           transmit queues on the port, 1..%u (default 1)\n"
		"  --tx-lcores N      generator lcores (default: every EAL worker lcore;\n"
		"                     none: the main lcore generates). Lcore i sends on\n"
		"                     txq i %% txqs, so several lcores may share one qdisc\n"
		"Frame:\n"
		"  --src-mac MAC      (default 02:00:00:00:00:01)\n"
		"  --dst-mac MAC      (default 02:00:00:00:00:02)\n"
		"  --src-ip A.B.C.D   (default 198.18.0.1)\n"
		"  --dst-ip A.B.C.D   (default 198.18.0.2)\n"
		"  --sport N          UDP source port (default 9)\n"
		"  --dport N          UDP destination port (default 9)\n"
		"Output:\n"
		"  --stats-period S   seconds between progress lines (default 1; 0 = none)\n"
		"  --json FILE        also write the final summary as a JSON object\n"
		"  --quiet            print only the summary\n"
		"  --help             this text\n"
		"Commands (docs/cli.md):\n"
		"  -i, --interactive  a testpmd-style prompt (rte_cmdline: completion, help,\n"
		"                     history); the options above become the defaults\n"
		"  --cmdline-file F   run the commands in F, then exit (or prompt with -i)\n"
		"\n"
		"Options also take the form --name=value. Exit status: 0 success, 1 run-time\n"
		"failure or accounting mismatch, 2 bad command line.\n"
		"\n"
		"Example (two generator lcores sharing one pfifo_fast qdisc on net_null):\n"
		"  %s --no-pci --file-prefix=sn-$$ -l 0-2 --vdev net_null0 -- \\\n"
		"      --duration 3 --qdisc pfifo_fast --tx-lcores 2 --json out.json\n"
		"Example (ping softnet from the tap's side while the generator saturates it):\n"
		"  %s -l 0-1 --no-pci --vdev net_tap0,iface=sntap0 -- --rx-mode interrupt \\\n"
		"      --address 10.77.0.2/24 --duration 40\n",
		prog, APP_BURST_MAX, SN_NETDEV_MAX_TXQ, prog, prog);
}

static void
app_opts_defaults(struct app_opts *o)
{
	static const struct rte_ether_addr src = {{ 0x02, 0, 0, 0, 0, 0x01 }};
	static const struct rte_ether_addr dst = {{ 0x02, 0, 0, 0, 0, 0x02 }};

	memset(o, 0, sizeof(*o));
	o->size = 64;
	o->burst = 32;
	snprintf(o->qdisc, sizeof(o->qdisc), "%s", "pfifo_fast");
	o->txqs = 1;
	o->stats_period = 1.0;
	o->src_mac = src;
	o->dst_mac = dst;
	o->src_ip = htonl(0xc6120001); /* 198.18.0.1: RFC 2544 benchmarking range */
	o->dst_ip = htonl(0xc6120002);
	o->sport = 9; /* discard */
	o->dport = 9;
	o->rx_mode = -1;
}

/* Unsigned decimal in [min, max]; one error line otherwise. */
static int
app_parse_u64(const char *opt, const char *arg, uint64_t min, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (arg[0] == '\0' || arg[0] == '-' || arg[0] == '+' || arg[0] == ' ') {
		app_opts_error(opt, "'%s' is not a number", arg);
		return -EINVAL;
	}
	errno = 0;
	v = strtoull(arg, &end, 10);
	if (*end != '\0') {
		app_opts_error(opt, "'%s' is not a number", arg);
		return -EINVAL;
	}
	if (errno == ERANGE || v < min || v > max) {
		app_opts_error(opt, "%s is out of range %" PRIu64 "..%" PRIu64, arg, min, max);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

static int
app_parse_u32(const char *opt, const char *arg, uint32_t min, uint32_t max, uint32_t *out)
{
	uint64_t v;
	int rc = app_parse_u64(opt, arg, min, max, &v);

	if (rc == 0)
		*out = (uint32_t)v;
	return rc;
}

/* Seconds, a finite decimal in [min, max]. */
static int
app_parse_seconds(const char *opt, const char *arg, double min, double max, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (arg[0] == '\0' || *end != '\0' || errno == ERANGE || !isfinite(v)) {
		app_opts_error(opt, "'%s' is not a number of seconds", arg);
		return -EINVAL;
	}
	if (v < min || v > max) {
		app_opts_error(opt, "%s is out of range %.10g..%.10g", arg, min, max);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

static int
app_parse_qdisc(const char *opt, const char *arg, struct app_opts *o)
{
	/* The words are the library's to check (sn_qdisc_parse()), once EAL has
	 * loaded its plugins: a discipline may come from one (-d). */
	if (arg[0] == '\0' || strspn(arg, " \t") == strlen(arg)) {
		app_opts_error(opt, "missing qdisc kind");
		return -EINVAL;
	}
	if (strlen(arg) >= sizeof(o->qdisc)) {
		app_opts_error(opt, "longer than %zu characters", sizeof(o->qdisc) - 1);
		return -EINVAL;
	}
	snprintf(o->qdisc, sizeof(o->qdisc), "%s", arg);
	return 0;
}

/* --class and --filter: the words of a class or filter add, checked by the command. */
static int
app_parse_qos(const struct app_opt_desc *d, const char *arg, struct app_opts *o)
{
	bool cls = d->id == OPT_CLASS;
	unsigned int *nb = cls ? &o->nb_classes : &o->nb_filters;

	if (arg[0] == '\0' || strspn(arg, " \t") == strlen(arg)) {
		app_opts_error(d->name, "missing words (like %s)", cls ?
			       "'parent 1: classid 1:1 htb rate 100mbit'" :
			       "'parent 1: prio 1 match ip dport 9 classid 1:1'");
		return -EINVAL;
	}
	/* The line `class add dev 1023 ` + the words must fit a command line. */
	if (strlen(arg) >= APP_CMD_LINE_MAX - 32) {
		app_opts_error(d->name, "longer than %u characters", APP_CMD_LINE_MAX - 33);
		return -EINVAL;
	}
	if (*nb >= APP_OPTS_QOS_MAX) {
		app_opts_error(d->name, "more than %u times", APP_OPTS_QOS_MAX);
		return -EINVAL;
	}
	if (cls)
		o->classes[(*nb)++] = arg;
	else
		o->filters[(*nb)++] = arg;
	return 0;
}

int
app_opts_qdisc_spec(const struct app_opts *o, char *buf, size_t len)
{
	int n;

	if (o->limit != 0)
		n = snprintf(buf, len, "%s limit %u", o->qdisc, o->limit);
	else
		n = snprintf(buf, len, "%s", o->qdisc);
	return n < 0 || (size_t)n >= len ? -ENOSPC : 0;
}

static int
app_parse_mac(const char *opt, const char *arg, struct rte_ether_addr *mac)
{
	if (rte_ether_unformat_addr(arg, mac) != 0) {
		app_opts_error(opt, "'%s' is not a MAC address (like 02:00:00:00:00:01)", arg);
		return -EINVAL;
	}
	return 0;
}

static int
app_parse_ip(const char *opt, const char *arg, uint32_t *ip)
{
	struct in_addr a;

	if (inet_pton(AF_INET, arg, &a) != 1) {
		app_opts_error(opt, "'%s' is not an IPv4 address (like 198.18.0.1)", arg);
		return -EINVAL;
	}
	*ip = a.s_addr;
	return 0;
}

/* Apply one option; @arg is NULL for flags. */
static int
app_opt_apply(const struct app_opt_desc *d, const char *arg, struct app_opts *o,
	      bool *count_set, bool *duration_set)
{
	const char *n = d->name;
	uint32_t v32 = 0;
	int rc = 0;

	switch (d->id) {
	case OPT_COUNT:
		rc = app_parse_u64(n, arg, 0, UINT64_MAX, &o->count);
		*count_set = true;
		break;
	case OPT_DURATION:
		rc = app_parse_seconds(n, arg, 0.001, APP_MAX_SECONDS, &o->duration);
		*duration_set = true;
		break;
	case OPT_SIZE:
		/* The grammar's range (as `set size`); the port's MTU is checked by
		 * the `set size` command the option becomes. */
		rc = app_parse_u32(n, arg, APP_FRAME_MIN, APP_SIZE_MAX, &o->size);
		o->size_set = true;
		break;
	case OPT_BURST:
		rc = app_parse_u32(n, arg, 1, APP_BURST_MAX, &v32);
		o->burst = (uint16_t)v32;
		break;
	case OPT_QDISC:
		rc = app_parse_qdisc(n, arg, o);
		o->qdisc_set = true;
		break;
	case OPT_LIMIT:
		/* The range is the discipline's: sn_qdisc_parse() checks it. */
		rc = app_parse_u32(n, arg, 1, UINT32_MAX, &o->limit);
		o->qdisc_set = true;
		break;
	case OPT_PRIO:
		rc = app_parse_u32(n, arg, 0, APP_PRIO_MAX, &o->prio);
		break;
	case OPT_PORT:
		rc = app_parse_u32(n, arg, 0, RTE_MAX_ETHPORTS - 1, &v32);
		o->port = (uint16_t)v32;
		o->port_set = true;
		break;
	case OPT_TXQS:
		rc = app_parse_u32(n, arg, 1, SN_NETDEV_MAX_TXQ, &v32);
		o->txqs = (uint16_t)v32;
		break;
	case OPT_TX_LCORES:
		rc = app_parse_u32(n, arg, 1, RTE_MAX_LCORE, &v32);
		o->tx_lcores = v32;
		break;
	case OPT_SINGLE:
		o->single = true;
		break;
	case OPT_PLUG:
		o->single = true;
		o->plug = true;
		break;
	case OPT_STATS_PERIOD:
		rc = app_parse_seconds(n, arg, 0, 3600, &o->stats_period);
		o->stats_period_set = true;
		break;
	case OPT_JSON:
		if (arg[0] == '\0') {
			app_opts_error(n, "empty file name");
			rc = -EINVAL;
		}
		o->json_path = arg;
		break;
	case OPT_QUIET:
		o->quiet = true;
		break;
	case OPT_HELP:
		break;
	case OPT_SRC_MAC:
		rc = app_parse_mac(n, arg, &o->src_mac);
		break;
	case OPT_DST_MAC:
		rc = app_parse_mac(n, arg, &o->dst_mac);
		break;
	case OPT_SRC_IP:
		rc = app_parse_ip(n, arg, &o->src_ip);
		break;
	case OPT_DST_IP:
		rc = app_parse_ip(n, arg, &o->dst_ip);
		break;
	case OPT_SPORT:
		rc = app_parse_u32(n, arg, 0, UINT16_MAX, &v32);
		o->sport = (uint16_t)v32;
		break;
	case OPT_DPORT:
		rc = app_parse_u32(n, arg, 0, UINT16_MAX, &v32);
		o->dport = (uint16_t)v32;
		break;
	case OPT_INTERACTIVE:
		o->interactive = true;
		break;
	case OPT_CMDLINE_FILE:
		if (arg[0] == '\0') {
			app_opts_error(n, "empty file name");
			rc = -EINVAL;
		}
		o->cmdline_file = arg;
		break;
	case OPT_RX_MODE:
		if (strcmp(arg, "poll") == 0) {
			o->rx_mode = 0;
		} else if (strcmp(arg, "interrupt") == 0) {
			o->rx_mode = 1;
		} else {
			app_opts_error(n, "'%s' is not a receive mode (poll, interrupt)", arg);
			rc = -EINVAL;
		}
		break;
	case OPT_ADDRESS: {
		uint32_t ip;
		uint8_t plen;

		if (app_str_ipv4_prefix(arg, &ip, &plen) != 0) {
			app_opts_error(n, "'%s' is not an address A.B.C.D/LEN (like 10.77.0.2/24)",
				       arg);
			rc = -EINVAL;
		}
		o->address = arg;
		break;
	}
	case OPT_CLASS:
	case OPT_FILTER:
		rc = app_parse_qos(d, arg, o);
		break;
	case OPT_LINERATE:
		/* Its words are the `port add linerate` command's to check, after EAL. */
		if (strlen(arg) >= APP_CMD_LINE_MAX - 32) {
			app_opts_error(n, "longer than %d characters", APP_CMD_LINE_MAX - 32);
			rc = -EINVAL;
		}
		o->linerate = arg;
		break;
	}
	return rc;
}

/*
 * The library checks the qdisc's words now, before EAL, so that a bad one
 * costs no DPDK resource; only an unknown kind waits for EAL, which may
 * load the discipline from a plugin (-d): the qdisc command checks it then.
 */
static int
app_opts_check_qdisc(const struct app_opts *o)
{
	char spec[APP_QDISC_SPEC_SIZE + 32], kind[SN_QDISC_KIND_SIZE], err[APP_CMD_ERR_SIZE] = "";
	const char *words[APP_CMD_TOKENS_MAX];
	struct sn_qdisc_params prm;
	int n, rc;

	if (app_opts_qdisc_spec(o, spec, sizeof(spec)) != 0) {
		app_opts_error("qdisc", "too long with --limit");
		return -EINVAL;
	}
	n = app_cmd_split(spec, words, APP_CMD_TOKENS_MAX);
	if (n < 0) {
		app_opts_error("qdisc", "more than %u words", APP_CMD_TOKENS_MAX);
		return -EINVAL;
	}
	rc = sn_qdisc_parse(n, words, kind, &prm, err, sizeof(err));
	if (rc != 0 && rc != -ENOENT) {
		app_opts_error("qdisc", "%s", err[0] ? err : strerror(-rc));
		return -EINVAL;
	}
	return 0;
}

static const struct app_opt_desc *
app_opt_find(const char *name, size_t len)
{
	for (unsigned int i = 0; i < RTE_DIM(app_opt_table); i++) {
		const struct app_opt_desc *d = &app_opt_table[i];

		if (strlen(d->name) == len && strncmp(d->name, name, len) == 0)
			return d;
	}
	return NULL;
}

enum app_opts_rc
app_opts_parse(int argc, char **argv, struct app_opts *o)
{
	bool count_set = false, duration_set = false, help = false;
	int i;

	app_opts_defaults(o);
	/* Application options start after the first "--". */
	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0)
			break;
	for (i++; i < argc; i++) {
		const char *a = argv[i], *val, *eq;
		const struct app_opt_desc *d;
		size_t len;

		if (strcmp(a, "-i") == 0) {
			o->interactive = true;
			continue;
		}
		if (strncmp(a, "--", 2) != 0 || a[2] == '\0') {
			app_opts_error(NULL, "unexpected argument '%s'", a);
			return APP_OPTS_ERROR;
		}
		eq = strchr(a + 2, '=');
		len = eq != NULL ? (size_t)(eq - (a + 2)) : strlen(a + 2);
		d = app_opt_find(a + 2, len);
		if (d == NULL) {
			app_opts_error(NULL, "unknown option '%.*s'", (int)len + 2, a);
			return APP_OPTS_ERROR;
		}
		val = NULL;
		if (d->has_arg) {
			if (eq != NULL)
				val = eq + 1;
			else if (i + 1 < argc)
				val = argv[++i];
			if (val == NULL) {
				app_opts_error(d->name, "missing value");
				return APP_OPTS_ERROR;
			}
		} else if (eq != NULL) {
			app_opts_error(d->name, "takes no value");
			return APP_OPTS_ERROR;
		}
		if (d->id == OPT_HELP)
			help = true;
		if (app_opt_apply(d, val, o, &count_set, &duration_set) != 0)
			return APP_OPTS_ERROR;
	}
	if (help) {
		app_usage(stdout, argv[0]);
		return APP_OPTS_HELP;
	}
	if (o->qdisc_set && app_opts_check_qdisc(o) != 0)
		return APP_OPTS_ERROR;
	if (!count_set && !duration_set) {
		o->duration = APP_DEFAULT_DURATION;
		o->duration_defaulted = true;
	}
	return APP_OPTS_OK;
}
