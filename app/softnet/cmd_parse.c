/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The command parser: text to struct app_cmd, with no DPDK call, no global
 * state and no allocation, so that it can be fuzzed on its own
 * (tests/fuzz/fuzz_cmd.c). Every error is one line: what is wrong, then the
 * usage of the command family.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

#define APP_QDISC_LIMIT_MAX (1u << 24)
#define APP_BFIFO_LIMIT_MIN 64u
#define APP_BFIFO_LIMIT_MAX (1u << 30)
#define APP_BURST_MAX_CMD 512u
#define APP_LCORES_MAX 128u
#define APP_SECONDS_MAX (366.0 * 24 * 3600)
#define APP_RATE_PPS_MAX 1e10
#define APP_RATE_BPS_MAX 1e13
#define APP_IMIX_SUM_MAX 4096u

const char *const app_gen_field_names[APP_GF_NB] = {
	"mac-src", "mac-dst", "ip-src", "ip-dst", "sport", "dport",
};

static const char *const app_kinds[] = { "pfifo_fast", "pfifo", "bfifo", "noqueue" };
#define APP_KINDS_LIST "pfifo_fast, pfifo, bfifo, noqueue"

struct app_usage_line {
	const char *family;
	const char *usage;
	const char *what;
};

static const struct app_usage_line app_usages[] = {
	{ "help", "help [command]", "list commands, or one command's usage" },
	{ "quit", "quit", "stop generators, drain qdiscs, print the summary, stop ports, exit" },
	{ "port", "port start|stop <port> | port config <port> txqs <n>",
	  "start or stop a port; set its transmit queue count (while stopped)" },
	{ "show", "show port info|stats <port> | show qdisc [dev <port>] | show softnet | "
		  "show gen | show rx [json]",
	  "print counters as tables (json: one JSON object)" },
	{ "clear", "clear port stats <port> | clear rx", "zero a port's counters or the receive counters" },
	{ "qdisc", "qdisc add|replace dev <port> [txq <n>] root <kind> [limit N] "
		   "[priomap b0 .. b15] [nobypass] [nolock] [deferlist] [nobusylock] | "
		   "qdisc del dev <port> [txq <n>] root",
	  "attach, replace or remove a root qdisc (kinds: " APP_KINDS_LIST "); no txq: every queue" },
	{ "set", "set size <n>|imix [s:w,..] | set mac-src|mac-dst|ip-src|ip-dst|sport|dport "
		 "<v>|<lo>-<hi>|random | set rate <n>pps|kpps|Mpps|bps|kbps|Mbps|Gbps|%|max | "
		 "set count <n> | set duration <s> | set burst <n> | set prio <p>[,<p>..] | "
		 "set lcores <n> | set port <port> | set stats-period <s> | set format table|json",
	  "configure the generator (takes effect at the next start)" },
	{ "start", "start", "start the generator lcores" },
	{ "stop", "stop", "stop the generators, drain, print the run's summary" },
	{ "wait", "wait [<seconds>]", "wait until the generators finish (count or duration), or the timeout" },
	{ "sleep", "sleep <seconds>", "wait (counting received packets meanwhile)" },
	{ "rx", "rx start <port> | rx stop", "count the generator's frames received on a port" },
};

const char *
app_cmd_usage(const char *family)
{
	for (size_t i = 0; i < sizeof(app_usages) / sizeof(app_usages[0]); i++)
		if (strcmp(app_usages[i].family, family) == 0)
			return app_usages[i].usage;
	return NULL;
}

void
app_cmd_help(char *buf, size_t len, const char *topic)
{
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(app_usages) / sizeof(app_usages[0]); i++) {
		const struct app_usage_line *u = &app_usages[i];
		int n;

		if (topic != NULL && topic[0] != '\0' && strcmp(topic, u->family) != 0)
			continue;
		n = snprintf(buf + off, len - off, "  %s\n      %s\n", u->usage, u->what);
		if (n < 0 || (size_t)n >= len - off)
			break;
		off += (size_t)n;
	}
}

/* ---- the parsing context ---- */

struct app_ctx {
	char *tok[APP_CMD_TOKENS_MAX];
	int n;
	int i;              /* next token */
	const char *family; /* for the usage in errors */
	char *err;
	size_t errlen;
};

static int __attribute__((format(printf, 2, 3)))
app_err(struct app_ctx *c, const char *fmt, ...)
{
	char what[APP_CMD_ERR_SIZE];
	const char *usage = c->family != NULL ? app_cmd_usage(c->family) : NULL;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (c->errlen == 0)
		return -EINVAL;
	if (usage != NULL)
		snprintf(c->err, c->errlen, "%s: %s (usage: %s)", c->family, what, usage);
	else
		snprintf(c->err, c->errlen, "%s (try 'help')", what);
	return -EINVAL;
}

static const char *
app_peek(const struct app_ctx *c)
{
	return c->i < c->n ? c->tok[c->i] : NULL;
}

static const char *
app_next(struct app_ctx *c)
{
	return c->i < c->n ? c->tok[c->i++] : NULL;
}

static bool
app_accept(struct app_ctx *c, const char *kw)
{
	if (c->i < c->n && strcmp(c->tok[c->i], kw) == 0) {
		c->i++;
		return true;
	}
	return false;
}

/* Nothing may follow, except `json` where @json is not NULL. */
static int
app_end(struct app_ctx *c, bool *json)
{
	if (json != NULL && app_accept(c, "json"))
		*json = true;
	if (c->i < c->n)
		return app_err(c, "unexpected '%s'", c->tok[c->i]);
	return 0;
}

/* ---- numbers ---- */

static int
app_str_u64(const char *s, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (s == NULL || s[0] < '0' || s[0] > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end != '\0' || errno == ERANGE)
		return -EINVAL;
	*out = v;
	return 0;
}

static int
app_num(struct app_ctx *c, const char *what, uint64_t min, uint64_t max, uint64_t *out)
{
	const char *s = app_next(c);
	uint64_t v;

	if (s == NULL)
		return app_err(c, "missing %s", what);
	if (app_str_u64(s, &v) != 0) {
		if (s[0] >= '0' && s[0] <= '9' && strspn(s, "0123456789") == strlen(s))
			return app_err(c, "%s %s is out of range %" PRIu64 "..%" PRIu64, what, s,
				       min, max);
		return app_err(c, "%s '%s' is not a number", what, s);
	}
	if (v < min || v > max)
		return app_err(c, "%s %s is out of range %" PRIu64 "..%" PRIu64, what, s, min, max);
	*out = v;
	return 0;
}

/* A finite decimal with an optional "s" suffix. */
static int
app_seconds(struct app_ctx *c, const char *what, double min, double max, double *out)
{
	const char *s = app_next(c);
	char buf[64];
	size_t len;
	char *end;
	double v;

	if (s == NULL)
		return app_err(c, "missing %s", what);
	len = strlen(s);
	if (len == 0 || len >= sizeof(buf) || !((s[0] >= '0' && s[0] <= '9') || s[0] == '.'))
		return app_err(c, "%s '%s' is not a number of seconds", what, s);
	memcpy(buf, s, len + 1);
	if (buf[len - 1] == 's')
		buf[len - 1] = '\0';
	errno = 0;
	v = strtod(buf, &end);
	if (buf[0] == '\0' || *end != '\0' || errno == ERANGE || !isfinite(v))
		return app_err(c, "%s '%s' is not a number of seconds", what, s);
	if (v < min || v > max)
		return app_err(c, "%s %s is out of range %g..%g", what, s, min, max);
	*out = v;
	return 0;
}

static int
app_port_arg(struct app_ctx *c, struct app_cmd *cmd)
{
	uint64_t v;
	int rc = app_num(c, "port", 0, APP_CMD_PORT_MAX, &v);

	if (rc == 0) {
		cmd->port = (uint16_t)v;
		cmd->has_port = true;
	}
	return rc;
}

/* ---- field values ---- */

static int
app_parse_mac48(const char *s, uint64_t *out)
{
	unsigned int b[6];
	char tail;
	uint64_t v = 0;

	if (strlen(s) != 17 ||
	    sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5],
		   &tail) != 6)
		return -EINVAL;
	for (int i = 0; i < 6; i++) {
		if (s[i * 3] == ' ' || s[i * 3] == '+' || s[i * 3] == '-' ||
		    s[i * 3 + 1] == ':' || (i < 5 && s[i * 3 + 2] != ':'))
			return -EINVAL;
		v = (v << 8) | b[i];
	}
	*out = v;
	return 0;
}

static int
app_parse_value(enum app_gen_field f, const char *s, uint64_t *out)
{
	struct in_addr a;

	switch (f) {
	case APP_GF_MAC_SRC:
	case APP_GF_MAC_DST:
		return app_parse_mac48(s, out);
	case APP_GF_IP_SRC:
	case APP_GF_IP_DST:
		if (inet_pton(AF_INET, s, &a) != 1)
			return -EINVAL;
		*out = ntohl(a.s_addr);
		return 0;
	case APP_GF_SPORT:
	case APP_GF_DPORT:
		if (app_str_u64(s, out) != 0 || *out > UINT16_MAX)
			return -EINVAL;
		return 0;
	case APP_GF_NB:
		break;
	}
	return -EINVAL;
}

static const char *
app_field_example(enum app_gen_field f)
{
	switch (f) {
	case APP_GF_MAC_SRC:
	case APP_GF_MAC_DST:
		return "a MAC address like 02:00:00:00:00:01";
	case APP_GF_IP_SRC:
	case APP_GF_IP_DST:
		return "an IPv4 address like 10.0.0.1";
	default:
		return "a UDP port 0..65535";
	}
}

static int
app_parse_field(struct app_ctx *c, enum app_gen_field f, struct app_field *out)
{
	const char *name = app_gen_field_names[f];
	const char *s = app_next(c);
	char lo[64], *dash;

	if (s == NULL)
		return app_err(c, "%s: missing value", name);
	if (strcmp(s, "random") == 0) {
		out->mode = APP_FIELD_RANDOM;
		out->lo = 0;
		out->hi = 0;
		return 0;
	}
	if (strlen(s) >= sizeof(lo))
		return app_err(c, "%s: '%.40s...' is too long", name, s);
	memcpy(lo, s, strlen(s) + 1);
	dash = strchr(lo, '-');
	if (dash != NULL)
		*dash = '\0';
	if (app_parse_value(f, lo, &out->lo) != 0)
		return app_err(c, "%s: '%s' is not %s", name, lo, app_field_example(f));
	out->hi = out->lo;
	out->mode = APP_FIELD_FIXED;
	if (dash != NULL) {
		if (app_parse_value(f, dash + 1, &out->hi) != 0)
			return app_err(c, "%s: '%s' is not %s", name, dash + 1,
				       app_field_example(f));
		if (out->hi < out->lo)
			return app_err(c, "%s: range %s is empty (first above last)", name, s);
		if (out->hi > out->lo)
			out->mode = APP_FIELD_RANGE;
	}
	return 0;
}

/* ---- set ---- */

static int
app_parse_size(struct app_ctx *c, struct app_size_spec *sz)
{
	static const uint32_t imix_size[] = { 64, 570, 1518 }, imix_w[] = { 7, 4, 1 };
	const char *s = app_next(c);
	uint64_t v;
	uint32_t sum = 0;

	memset(sz, 0, sizeof(*sz));
	if (s == NULL)
		return app_err(c, "size: missing value");
	if (strcmp(s, "imix") != 0) {
		c->i--;
		if (app_num(c, "size", APP_SIZE_MIN, APP_SIZE_MAX, &v) != 0)
			return -EINVAL;
		sz->n = 1;
		sz->size[0] = (uint32_t)v;
		sz->weight[0] = 1;
		return 0;
	}
	s = app_next(c);
	if (s == NULL) {
		/* The classic "simple IMIX": 7 x 64, 4 x 570, 1 x 1518. */
		sz->n = 3;
		memcpy(sz->size, imix_size, sizeof(imix_size));
		memcpy(sz->weight, imix_w, sizeof(imix_w));
		return 0;
	}
	while (*s != '\0') {
		char item[32], *colon, *end;
		size_t len = strcspn(s, ",");
		unsigned long size, w;

		if (sz->n == APP_IMIX_MAX)
			return app_err(c, "size imix: more than %u sizes", APP_IMIX_MAX);
		if (len == 0 || len >= sizeof(item))
			return app_err(c, "size imix: bad entry in '%s' (want size:weight,..)", s);
		memcpy(item, s, len);
		item[len] = '\0';
		colon = strchr(item, ':');
		if (colon == NULL || item[0] < '0' || item[0] > '9' || colon[1] < '0' ||
		    colon[1] > '9')
			return app_err(c, "size imix: '%s' is not size:weight", item);
		*colon = '\0';
		errno = 0;
		size = strtoul(item, &end, 10);
		if (*end != '\0' || errno != 0)
			return app_err(c, "size imix: '%s' is not a size", item);
		w = strtoul(colon + 1, &end, 10);
		if (*end != '\0' || errno != 0)
			return app_err(c, "size imix: '%s' is not a weight", colon + 1);
		if (size < APP_SIZE_MIN || size > APP_SIZE_MAX)
			return app_err(c, "size imix: size %lu is out of range %u..%u", size,
				       APP_SIZE_MIN, APP_SIZE_MAX);
		if (w < 1 || w > APP_IMIX_WEIGHT_MAX)
			return app_err(c, "size imix: weight %lu is out of range 1..%u", w,
				       APP_IMIX_WEIGHT_MAX);
		sz->size[sz->n] = (uint32_t)size;
		sz->weight[sz->n] = (uint32_t)w;
		sum += (uint32_t)w;
		sz->n++;
		s += len;
		if (*s == ',') {
			s++;
			if (*s == '\0')
				return app_err(c, "size imix: trailing ','");
		}
	}
	if (sum > APP_IMIX_SUM_MAX)
		return app_err(c, "size imix: weights add up to %u, more than %u", sum,
			       APP_IMIX_SUM_MAX);
	return 0;
}

static int
app_parse_rate(struct app_ctx *c, struct app_rate *r)
{
	static const struct {
		const char *unit;
		enum app_rate_unit u;
		double mult;
		double max;
	} units[] = {
		{ "pps", APP_RATE_PPS, 1, APP_RATE_PPS_MAX },
		{ "kpps", APP_RATE_PPS, 1e3, APP_RATE_PPS_MAX },
		{ "Mpps", APP_RATE_PPS, 1e6, APP_RATE_PPS_MAX },
		{ "bps", APP_RATE_BPS, 1, APP_RATE_BPS_MAX },
		{ "kbps", APP_RATE_BPS, 1e3, APP_RATE_BPS_MAX },
		{ "Mbps", APP_RATE_BPS, 1e6, APP_RATE_BPS_MAX },
		{ "Gbps", APP_RATE_BPS, 1e9, APP_RATE_BPS_MAX },
		{ "%", APP_RATE_PERCENT, 1, 100 },
	};
	const char *s = app_next(c);
	char buf[64];
	const char *unit;
	char *end;
	double v;

	if (s == NULL)
		return app_err(c, "rate: missing value");
	if (strcmp(s, "max") == 0 || strcmp(s, "0") == 0) {
		r->unit = APP_RATE_MAX;
		r->value = 0;
		return 0;
	}
	if (strlen(s) >= sizeof(buf) || !((s[0] >= '0' && s[0] <= '9') || s[0] == '.'))
		return app_err(c, "rate: '%s' is not a rate", s);
	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno == ERANGE || !isfinite(v))
		return app_err(c, "rate: '%s' is not a rate", s);
	unit = end;
	if (*unit == '\0') {
		/* "100 kpps": the unit as the next word. */
		unit = app_next(c);
		if (unit == NULL)
			return app_err(c, "rate: '%s' has no unit (pps, kpps, Mpps, bps, kbps, "
				       "Mbps, Gbps or %%)", s);
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(unit, units[i].unit) != 0)
			continue;
		v *= units[i].mult;
		if (v <= 0 || v > units[i].max)
			return app_err(c, "rate: %s%s is out of range (above 0, at most %g%s)", s,
				       end[0] == '\0' ? unit : "", units[i].max / units[i].mult,
				       units[i].unit);
		if (units[i].u == APP_RATE_PPS && v < 1)
			return app_err(c, "rate: under 1 packet per second");
		r->unit = units[i].u;
		r->value = v;
		return 0;
	}
	return app_err(c, "rate: unknown unit '%s' (pps, kpps, Mpps, bps, kbps, Mbps, Gbps or %%)",
		       unit);
}

static int
app_parse_prio(struct app_ctx *c, struct app_cmd *cmd)
{
	const char *s = app_next(c);

	cmd->set.nb_prio = 0;
	if (s == NULL)
		return app_err(c, "prio: missing value");
	while (1) {
		char *end;
		unsigned long v;

		if (*s < '0' || *s > '9')
			return app_err(c, "prio: '%s' is not a priority 0..15", s);
		errno = 0;
		v = strtoul(s, &end, 10);
		if ((*end != '\0' && *end != ',') || errno != 0 || v > 15)
			return app_err(c, "prio: '%.*s' is not a priority 0..15",
				       (int)strcspn(s, ","), s);
		if (cmd->set.nb_prio == APP_PRIO_LIST_MAX)
			return app_err(c, "prio: more than %u priorities", APP_PRIO_LIST_MAX);
		cmd->set.prio[cmd->set.nb_prio++] = (uint8_t)v;
		if (*end == '\0')
			break;
		s = end + 1;
		if (*s == '\0')
			return app_err(c, "prio: trailing ','");
	}
	return 0;
}

static int
app_parse_set(struct app_ctx *c, struct app_cmd *cmd)
{
	const char *what = app_next(c);
	uint64_t v;
	int rc;

	cmd->id = APP_CMD_SET;
	if (what == NULL)
		return app_err(c, "missing what to set");
	for (int f = 0; f < APP_GF_NB; f++) {
		if (strcmp(what, app_gen_field_names[f]) == 0) {
			cmd->set.what = APP_SET_FIELD;
			cmd->set.field = (enum app_gen_field)f;
			rc = app_parse_field(c, (enum app_gen_field)f, &cmd->set.fval);
			return rc != 0 ? rc : app_end(c, NULL);
		}
	}
	if (strcmp(what, "size") == 0) {
		cmd->set.what = APP_SET_SIZE;
		rc = app_parse_size(c, &cmd->set.size);
	} else if (strcmp(what, "rate") == 0) {
		cmd->set.what = APP_SET_RATE;
		rc = app_parse_rate(c, &cmd->set.rate);
	} else if (strcmp(what, "count") == 0) {
		cmd->set.what = APP_SET_COUNT;
		rc = app_num(c, "count", 0, UINT64_MAX, &cmd->set.u64);
	} else if (strcmp(what, "duration") == 0) {
		cmd->set.what = APP_SET_DURATION;
		rc = app_seconds(c, "duration", 0, APP_SECONDS_MAX, &cmd->set.seconds);
	} else if (strcmp(what, "stats-period") == 0) {
		cmd->set.what = APP_SET_STATS_PERIOD;
		rc = app_seconds(c, "stats-period", 0, 3600, &cmd->set.seconds);
	} else if (strcmp(what, "burst") == 0) {
		cmd->set.what = APP_SET_BURST;
		rc = app_num(c, "burst", 1, APP_BURST_MAX_CMD, &cmd->set.u64);
	} else if (strcmp(what, "lcores") == 0) {
		cmd->set.what = APP_SET_LCORES;
		rc = app_num(c, "lcores", 1, APP_LCORES_MAX, &cmd->set.u64);
	} else if (strcmp(what, "port") == 0) {
		cmd->set.what = APP_SET_PORT;
		rc = app_num(c, "port", 0, APP_CMD_PORT_MAX, &cmd->set.u64);
	} else if (strcmp(what, "prio") == 0) {
		cmd->set.what = APP_SET_PRIO;
		rc = app_parse_prio(c, cmd);
	} else if (strcmp(what, "format") == 0) {
		const char *f = app_next(c);

		cmd->set.what = APP_SET_FORMAT;
		if (f == NULL)
			return app_err(c, "format: missing value (table or json)");
		if (strcmp(f, "json") == 0)
			cmd->set.json = true;
		else if (strcmp(f, "table") != 0)
			return app_err(c, "format: unknown format '%s' (table or json)", f);
		rc = 0;
	} else {
		return app_err(c, "unknown setting '%s'", what);
	}
	(void)v;
	return rc != 0 ? rc : app_end(c, NULL);
}

/* ---- qdisc ---- */

static int
app_dev_txq(struct app_ctx *c, struct app_cmd *cmd)
{
	uint64_t v;

	if (!app_accept(c, "dev"))
		return app_err(c, app_peek(c) ? "expected 'dev' before '%s'" : "missing 'dev <port>'%s",
			       app_peek(c) ? app_peek(c) : "");
	if (app_port_arg(c, cmd) != 0)
		return -EINVAL;
	if (app_accept(c, "txq")) {
		if (app_num(c, "txq", 0, APP_CMD_TXQ_MAX, &v) != 0)
			return -EINVAL;
		cmd->has_txq = true;
		cmd->txq = (uint16_t)v;
	}
	if (!app_accept(c, "root"))
		return app_err(c, app_peek(c) ? "expected 'root' before '%s' (only root qdiscs)"
					       : "missing 'root'%s",
			       app_peek(c) ? app_peek(c) : "");
	return 0;
}

static int
app_parse_qdisc(struct app_ctx *c, struct app_cmd *cmd)
{
	struct app_qdisc_req *q = &cmd->qdisc;
	const char *verb = app_next(c), *kind, *w;
	bool is_pfifo_fast, is_bfifo, is_noqueue;
	bool has_limit = false;
	uint64_t v;
	size_t k;

	if (verb == NULL)
		return app_err(c, "missing add, replace or del");
	if (strcmp(verb, "add") == 0)
		cmd->id = APP_CMD_QDISC_ADD;
	else if (strcmp(verb, "replace") == 0 || strcmp(verb, "change") == 0)
		cmd->id = APP_CMD_QDISC_REPLACE;
	else if (strcmp(verb, "del") == 0 || strcmp(verb, "delete") == 0)
		cmd->id = APP_CMD_QDISC_DEL;
	else if (strcmp(verb, "show") == 0) {
		cmd->id = APP_CMD_SHOW_QDISC;
		if (app_accept(c, "dev") && app_port_arg(c, cmd) != 0)
			return -EINVAL;
		return app_end(c, &cmd->json);
	} else
		return app_err(c, "unknown verb '%s' (add, replace, del)", verb);
	if (app_dev_txq(c, cmd) != 0)
		return -EINVAL;
	if (cmd->id == APP_CMD_QDISC_DEL) {
		/* tc accepts a kind after root on del; so do we, and ignore it. */
		if (app_peek(c) != NULL) {
			for (k = 0; k < sizeof(app_kinds) / sizeof(app_kinds[0]); k++)
				if (strcmp(app_peek(c), app_kinds[k]) == 0)
					break;
			if (k < sizeof(app_kinds) / sizeof(app_kinds[0]))
				c->i++;
		}
		return app_end(c, NULL);
	}
	kind = app_next(c);
	if (kind == NULL)
		return app_err(c, "missing qdisc kind (" APP_KINDS_LIST ")");
	for (k = 0; k < sizeof(app_kinds) / sizeof(app_kinds[0]); k++)
		if (strcmp(kind, app_kinds[k]) == 0)
			break;
	if (k == sizeof(app_kinds) / sizeof(app_kinds[0]))
		return app_err(c, "unknown qdisc kind '%s' (" APP_KINDS_LIST ")", kind);
	snprintf(q->kind, sizeof(q->kind), "%s", kind);
	is_pfifo_fast = strcmp(kind, "pfifo_fast") == 0;
	is_bfifo = strcmp(kind, "bfifo") == 0;
	is_noqueue = strcmp(kind, "noqueue") == 0;

	while ((w = app_next(c)) != NULL) {
		if (strcmp(w, "limit") == 0) {
			if (is_noqueue)
				return app_err(c, "limit: noqueue has no queue to limit");
			if (has_limit)
				return app_err(c, "limit given twice");
			if (is_bfifo) {
				if (app_num(c, "limit", APP_BFIFO_LIMIT_MIN, APP_BFIFO_LIMIT_MAX,
					    &v) != 0)
					return -EINVAL;
			} else if (app_num(c, "limit", 1, APP_QDISC_LIMIT_MAX, &v) != 0) {
				return -EINVAL;
			}
			q->limit = (uint32_t)v;
			has_limit = true;
		} else if (strcmp(w, "priomap") == 0) {
			if (!is_pfifo_fast)
				return app_err(c, "priomap: only pfifo_fast has bands, not %s", kind);
			if (q->has_priomap)
				return app_err(c, "priomap given twice");
			for (int b = 0; b < APP_CMD_NB_PRIO; b++) {
				char what[32];

				snprintf(what, sizeof(what), "priomap entry %d (band)", b);
				if (app_peek(c) == NULL)
					return app_err(c, "priomap: %d bands given, 16 needed", b);
				if (app_num(c, what, 0, 2, &v) != 0)
					return -EINVAL;
				q->priomap[b] = (uint8_t)v;
			}
			q->has_priomap = true;
		} else if (strcmp(w, "nobypass") == 0) {
			q->no_bypass = true;
		} else if (strcmp(w, "nobusylock") == 0) {
			q->no_busylock = true;
		} else if (strcmp(w, "nolock") == 0) {
			if (!is_pfifo_fast && strcmp(kind, "pfifo") != 0)
				return app_err(c, "nolock: only pfifo_fast and pfifo can run "
					       "without the root lock, not %s", kind);
			q->nolock = true;
		} else if (strcmp(w, "deferlist") == 0) {
			if (is_noqueue)
				return app_err(c, "deferlist: noqueue has no queue");
			q->defer_list = true;
		} else {
			return app_err(c, "unknown %s parameter '%s' (limit, %snobypass, nolock, "
				       "deferlist, nobusylock)", kind, w,
				       is_pfifo_fast ? "priomap, " : "");
		}
	}
	if (q->nolock && q->defer_list)
		return app_err(c, "nolock and deferlist exclude each other (nolock takes no "
			       "root lock to defer)");
	return 0;
}

/* ---- show, port, clear, rx ---- */

static int
app_parse_show(struct app_ctx *c, struct app_cmd *cmd)
{
	const char *w = app_next(c);

	if (w == NULL)
		return app_err(c, "missing what to show (port, qdisc, softnet, gen, rx)");
	if (strcmp(w, "port") == 0) {
		const char *what = app_next(c);

		if (what == NULL)
			return app_err(c, "show port: missing info or stats");
		if (strcmp(what, "info") == 0)
			cmd->id = APP_CMD_SHOW_PORT_INFO;
		else if (strcmp(what, "stats") == 0)
			cmd->id = APP_CMD_SHOW_PORT_STATS;
		else
			return app_err(c, "show port: unknown '%s' (info or stats)", what);
		if (app_port_arg(c, cmd) != 0)
			return -EINVAL;
	} else if (strcmp(w, "qdisc") == 0) {
		cmd->id = APP_CMD_SHOW_QDISC;
		if (app_accept(c, "dev") && app_port_arg(c, cmd) != 0)
			return -EINVAL;
	} else if (strcmp(w, "softnet") == 0) {
		cmd->id = APP_CMD_SHOW_SOFTNET;
	} else if (strcmp(w, "gen") == 0 || strcmp(w, "config") == 0) {
		cmd->id = APP_CMD_SHOW_GEN;
	} else if (strcmp(w, "rx") == 0) {
		cmd->id = APP_CMD_SHOW_RX;
	} else {
		return app_err(c, "unknown '%s' (port, qdisc, softnet, gen, rx)", w);
	}
	return app_end(c, &cmd->json);
}

static int
app_parse_port(struct app_ctx *c, struct app_cmd *cmd)
{
	const char *w = app_next(c);
	uint64_t v;

	if (w == NULL)
		return app_err(c, "missing start, stop or config");
	if (strcmp(w, "start") == 0)
		cmd->id = APP_CMD_PORT_START;
	else if (strcmp(w, "stop") == 0)
		cmd->id = APP_CMD_PORT_STOP;
	else if (strcmp(w, "config") == 0)
		cmd->id = APP_CMD_PORT_CONFIG;
	else
		return app_err(c, "unknown '%s' (start, stop, config)", w);
	if (app_port_arg(c, cmd) != 0)
		return -EINVAL;
	if (cmd->id == APP_CMD_PORT_CONFIG) {
		if (!app_accept(c, "txqs"))
			return app_err(c, app_peek(c) ? "unknown setting '%s' (txqs)"
						       : "missing 'txqs <n>'%s",
				       app_peek(c) ? app_peek(c) : "");
		if (app_num(c, "txqs", 1, APP_CMD_TXQ_MAX + 1, &v) != 0)
			return -EINVAL;
		cmd->txqs = (uint16_t)v;
	}
	return app_end(c, NULL);
}

static int
app_parse_clear(struct app_ctx *c, struct app_cmd *cmd)
{
	const char *w = app_next(c);

	if (w != NULL && strcmp(w, "rx") == 0) {
		cmd->id = APP_CMD_CLEAR_RX;
		return app_end(c, NULL);
	}
	if (w == NULL || strcmp(w, "port") != 0)
		return app_err(c, w ? "unknown '%s' (port stats, rx)" : "missing 'port stats <port>'%s",
			       w ? w : "");
	if (!app_accept(c, "stats"))
		return app_err(c, "clear port: missing 'stats'");
	cmd->id = APP_CMD_CLEAR_PORT_STATS;
	if (app_port_arg(c, cmd) != 0)
		return -EINVAL;
	return app_end(c, NULL);
}

static int
app_parse_rx(struct app_ctx *c, struct app_cmd *cmd)
{
	const char *w = app_next(c);

	if (w == NULL)
		return app_err(c, "missing start or stop");
	if (strcmp(w, "start") == 0) {
		cmd->id = APP_CMD_RX_START;
		if (app_port_arg(c, cmd) != 0)
			return -EINVAL;
	} else if (strcmp(w, "stop") == 0) {
		cmd->id = APP_CMD_RX_STOP;
	} else {
		return app_err(c, "unknown '%s' (start, stop)", w);
	}
	return app_end(c, NULL);
}

/* ---- entry ---- */

int
app_cmd_parse(const char *line, struct app_cmd *cmd, char *err, size_t errlen)
{
	char buf[APP_CMD_LINE_MAX + 2];
	struct app_ctx c;
	const char *w;
	size_t len;
	char *p;

	memset(cmd, 0, sizeof(*cmd));
	memset(&c, 0, sizeof(c));
	c.err = err;
	c.errlen = errlen;
	if (errlen > 0)
		err[0] = '\0';
	len = strnlen(line, APP_CMD_LINE_MAX + 1);
	if (len > APP_CMD_LINE_MAX)
		return app_err(&c, "line longer than %u characters", APP_CMD_LINE_MAX);
	memcpy(buf, line, len);
	buf[len] = '\0';
	for (p = buf; *p != '\0'; p++) {
		if (*p == '#') {
			*p = '\0';
			break;
		}
		if (*p == '\t' || *p == '\r' || *p == '\n')
			*p = ' ';
		else if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			return app_err(&c, "unexpected character 0x%02x", (unsigned char)*p);
	}
	p = buf;
	while (*p != '\0') {
		while (*p == ' ')
			*p++ = '\0';
		if (*p == '\0')
			break;
		if (c.n == APP_CMD_TOKENS_MAX)
			return app_err(&c, "more than %u words", APP_CMD_TOKENS_MAX);
		c.tok[c.n++] = p;
		while (*p != '\0' && *p != ' ')
			p++;
	}
	w = app_next(&c);
	if (w == NULL) {
		cmd->id = APP_CMD_EMPTY;
		return 0;
	}
	c.family = w;
	if (strcmp(w, "help") == 0 || strcmp(w, "?") == 0) {
		cmd->id = APP_CMD_HELP;
		c.family = "help";
		if (app_peek(&c) != NULL) {
			if (app_cmd_usage(app_peek(&c)) == NULL)
				return app_err(&c, "no command '%s'", app_peek(&c));
			snprintf(cmd->topic, sizeof(cmd->topic), "%s", app_next(&c));
		}
		return app_end(&c, NULL);
	}
	if (strcmp(w, "quit") == 0 || strcmp(w, "exit") == 0) {
		cmd->id = APP_CMD_QUIT;
		c.family = "quit";
		return app_end(&c, NULL);
	}
	if (strcmp(w, "start") == 0 || strcmp(w, "stop") == 0) {
		cmd->id = w[2] == 'a' ? APP_CMD_START : APP_CMD_STOP;
		return app_end(&c, NULL);
	}
	if (strcmp(w, "wait") == 0) {
		cmd->id = APP_CMD_WAIT;
		if (app_peek(&c) != NULL &&
		    app_seconds(&c, "timeout", 0, APP_SECONDS_MAX, &cmd->seconds) != 0)
			return -EINVAL;
		return app_end(&c, NULL);
	}
	if (strcmp(w, "sleep") == 0) {
		cmd->id = APP_CMD_SLEEP;
		if (app_seconds(&c, "seconds", 0, 3600, &cmd->seconds) != 0)
			return -EINVAL;
		return app_end(&c, NULL);
	}
	if (strcmp(w, "show") == 0)
		return app_parse_show(&c, cmd);
	if (strcmp(w, "port") == 0)
		return app_parse_port(&c, cmd);
	if (strcmp(w, "clear") == 0)
		return app_parse_clear(&c, cmd);
	if (strcmp(w, "qdisc") == 0)
		return app_parse_qdisc(&c, cmd);
	if (strcmp(w, "set") == 0)
		return app_parse_set(&c, cmd);
	if (strcmp(w, "rx") == 0)
		return app_parse_rx(&c, cmd);
	c.family = NULL;
	return app_err(&c, "unknown command '%s'", w);
}

/* ---- formatting ---- */

void
app_field_format(enum app_gen_field f, uint64_t v, char *buf, size_t len)
{
	switch (f) {
	case APP_GF_MAC_SRC:
	case APP_GF_MAC_DST:
		snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", (unsigned int)(v >> 40) & 0xff,
			 (unsigned int)(v >> 32) & 0xff, (unsigned int)(v >> 24) & 0xff,
			 (unsigned int)(v >> 16) & 0xff, (unsigned int)(v >> 8) & 0xff,
			 (unsigned int)v & 0xff);
		break;
	case APP_GF_IP_SRC:
	case APP_GF_IP_DST:
		snprintf(buf, len, "%u.%u.%u.%u", (unsigned int)(v >> 24) & 0xff,
			 (unsigned int)(v >> 16) & 0xff, (unsigned int)(v >> 8) & 0xff,
			 (unsigned int)v & 0xff);
		break;
	default:
		snprintf(buf, len, "%" PRIu64, v);
		break;
	}
}

void
app_field_spec_format(enum app_gen_field f, const struct app_field *s, char *buf, size_t len)
{
	char lo[32], hi[32];

	if (s->mode == APP_FIELD_RANDOM) {
		snprintf(buf, len, "random");
		return;
	}
	app_field_format(f, s->lo, lo, sizeof(lo));
	if (s->mode == APP_FIELD_FIXED) {
		snprintf(buf, len, "%s", lo);
		return;
	}
	app_field_format(f, s->hi, hi, sizeof(hi));
	snprintf(buf, len, "%s-%s", lo, hi);
}

void
app_rate_format(const struct app_rate *r, char *buf, size_t len)
{
	switch (r->unit) {
	case APP_RATE_MAX:
		snprintf(buf, len, "max");
		break;
	case APP_RATE_PPS:
		snprintf(buf, len, "%.10gpps", r->value);
		break;
	case APP_RATE_BPS:
		snprintf(buf, len, "%.10gbps", r->value);
		break;
	case APP_RATE_PERCENT:
		snprintf(buf, len, "%.10g%%", r->value);
		break;
	}
}
