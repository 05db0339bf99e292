/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Commands: set (the generator's settings: sizes, header fields, rate,
 * count, duration, burst, priorities, lcores, port, output format) and
 * show gen (show config).
 */

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd.h"

#ifndef APP_CMD_PARSE_ONLY
#include <rte_lcore.h>

#include "cli.h"
#include "replay.h"
#endif

#define APP_BURST_MAX_CMD 512u
#define APP_LCORES_MAX 128u
#define APP_SECONDS_MAX (366.0 * 24 * 3600)
#define APP_RATE_PPS_MAX 1e10
#define APP_RATE_BPS_MAX 1e13
#define APP_IMIX_SUM_MAX 4096u
#define APP_DIM(a) (sizeof(a) / sizeof((a)[0]))

const char *const app_xmit_names[3] = { "burst", "single", "plug" };

/*
 * `set source` and `set timing` (pcap replay, replay.c) are told apart from
 * the other settings by cmd->op (0 for those): the file in words[0], the
 * loops in set.u64, the speed in set.seconds. Their set.what is
 * APP_SET_COUNT, whose fields hold any value (cmd.h has no APP_SET_SOURCE
 * yet; the executor looks at cmd->op first).
 */
enum { APP_SETOP_NONE, APP_SETOP_SOURCE_GEN, APP_SETOP_SOURCE_PCAP, APP_SETOP_TIMING_RATE,
       APP_SETOP_TIMING_ORIGINAL };
#define APP_REPLAY_SPEED_MAX 1e6

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
app_parse_field(struct app_cmd_ctx *c, enum app_gen_field f, struct app_field *out)
{
	const char *name = app_gen_field_names[f];
	const char *s = app_cmd_next(c);
	char lo[64], *dash;

	if (s == NULL)
		return app_cmd_err(c, "%s: missing value", name);
	if (strcmp(s, "random") == 0) {
		out->mode = APP_FIELD_RANDOM;
		out->lo = 0;
		out->hi = 0;
		return 0;
	}
	if (strlen(s) >= sizeof(lo))
		return app_cmd_err(c, "%s: '%.40s...' is too long", name, s);
	memcpy(lo, s, strlen(s) + 1);
	dash = strchr(lo, '-');
	if (dash != NULL)
		*dash = '\0';
	if (app_parse_value(f, lo, &out->lo) != 0)
		return app_cmd_err(c, "%s: '%s' is not %s", name, lo, app_field_example(f));
	out->hi = out->lo;
	out->mode = APP_FIELD_FIXED;
	if (dash != NULL) {
		if (app_parse_value(f, dash + 1, &out->hi) != 0)
			return app_cmd_err(c, "%s: '%s' is not %s", name, dash + 1,
				       app_field_example(f));
		if (out->hi < out->lo)
			return app_cmd_err(c, "%s: range %s is empty (first above last)", name, s);
		if (out->hi > out->lo)
			out->mode = APP_FIELD_RANGE;
	}
	return 0;
}

/* ---- set ---- */

static int
app_parse_size(struct app_cmd_ctx *c, struct app_size_spec *sz)
{
	/* 1518 on the wire is 1514 here: sizes are without FCS. */
	static const uint32_t imix_size[] = { 64, 570, 1514 }, imix_w[] = { 7, 4, 1 };
	const char *s = app_cmd_peek(c);
	uint64_t v;
	uint32_t sum = 0;

	memset(sz, 0, sizeof(*sz));
	if (s == NULL)
		return app_cmd_err(c, "size: missing value");
	if (!app_cmd_accept(c, "imix")) {
		if (app_cmd_num(c, "size", APP_SIZE_MIN, APP_SIZE_MAX, &v) != 0)
			return -EINVAL;
		sz->n = 1;
		sz->size[0] = (uint32_t)v;
		sz->weight[0] = 1;
		return 0;
	}
	s = app_cmd_next(c);
	if (s == NULL) {
		/* The classic "simple IMIX": 7 x 64, 4 x 570, 1 x 1514 (1518 with FCS). */
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
			return app_cmd_err(c, "size imix: more than %u sizes", APP_IMIX_MAX);
		if (len == 0 || len >= sizeof(item))
			return app_cmd_err(c, "size imix: bad entry in '%s' (want size:weight,..)", s);
		memcpy(item, s, len);
		item[len] = '\0';
		colon = strchr(item, ':');
		if (colon == NULL || item[0] < '0' || item[0] > '9' || colon[1] < '0' ||
		    colon[1] > '9')
			return app_cmd_err(c, "size imix: '%s' is not size:weight", item);
		*colon = '\0';
		errno = 0;
		size = strtoul(item, &end, 10);
		if (*end != '\0' || errno != 0)
			return app_cmd_err(c, "size imix: '%s' is not a size", item);
		w = strtoul(colon + 1, &end, 10);
		if (*end != '\0' || errno != 0)
			return app_cmd_err(c, "size imix: '%s' is not a weight", colon + 1);
		if (size < APP_SIZE_MIN || size > APP_SIZE_MAX)
			return app_cmd_err(c, "size imix: size %lu is out of range %u..%u", size,
				       APP_SIZE_MIN, APP_SIZE_MAX);
		if (w < 1 || w > APP_IMIX_WEIGHT_MAX)
			return app_cmd_err(c, "size imix: weight %lu is out of range 1..%u", w,
				       APP_IMIX_WEIGHT_MAX);
		sz->size[sz->n] = (uint32_t)size;
		sz->weight[sz->n] = (uint32_t)w;
		sum += (uint32_t)w;
		sz->n++;
		s += len;
		if (*s == ',') {
			s++;
			if (*s == '\0')
				return app_cmd_err(c, "size imix: trailing ','");
		}
	}
	if (sum > APP_IMIX_SUM_MAX)
		return app_cmd_err(c, "size imix: weights add up to %u, more than %u", sum,
			       APP_IMIX_SUM_MAX);
	return 0;
}

static int
app_parse_rate(struct app_cmd_ctx *c, struct app_rate *r)
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
	const char *s = app_cmd_next(c);
	char buf[64];
	const char *unit;
	char *end;
	double v;

	if (s == NULL)
		return app_cmd_err(c, "rate: missing value");
	if (strcmp(s, "max") == 0 || strcmp(s, "0") == 0) {
		r->unit = APP_RATE_MAX;
		r->value = 0;
		return 0;
	}
	if (strlen(s) >= sizeof(buf) || !((s[0] >= '0' && s[0] <= '9') || s[0] == '.'))
		return app_cmd_err(c, "rate: '%s' is not a rate", s);
	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno == ERANGE || !isfinite(v))
		return app_cmd_err(c, "rate: '%s' is not a rate", s);
	unit = end;
	if (*unit == '\0') {
		/* "100 kpps": the unit as the next word. */
		unit = app_cmd_next(c);
		if (unit == NULL)
			return app_cmd_err(c, "rate: '%s' has no unit (pps, kpps, Mpps, bps, kbps, "
				       "Mbps, Gbps or %%)", s);
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(unit, units[i].unit) != 0)
			continue;
		v *= units[i].mult;
		if (v <= 0 || v > units[i].max)
			return app_cmd_err(c, "rate: %s%s is out of range (above 0, at most %g%s)", s,
				       end[0] == '\0' ? unit : "", units[i].max / units[i].mult,
				       units[i].unit);
		if (units[i].u == APP_RATE_PPS && v < 1)
			return app_cmd_err(c, "rate: under 1 packet per second");
		r->unit = units[i].u;
		r->value = v;
		return 0;
	}
	/*
	 * tc's bit rates ("10mbit", "1.5gbit", "100kibit"), by the library's parser.
	 * Only the *bit units: tc's "mbps" is bytes per second, the app's "Mbps" bits.
	 */
	if (strlen(unit) >= 3 && strcasecmp(unit + strlen(unit) - 3, "bit") == 0) {
		snprintf(buf, sizeof(buf), "%.*s%s", (int)(end - s), s, unit);
		if (app_str_tc_rate(end[0] == '\0' ? buf : s, &v) != 0)
			return app_cmd_err(c, "rate: '%s' is not a rate", end[0] == '\0' ? buf : s);
		if (v > APP_RATE_BPS_MAX)
			return app_cmd_err(c, "rate: %s is out of range (at most %gbit)", s,
					   APP_RATE_BPS_MAX);
		r->unit = APP_RATE_BPS;
		r->value = v;
		return 0;
	}
	return app_cmd_err(c, "rate: unknown unit '%s' (pps, kpps, Mpps, bps, kbps, Mbps, Gbps, "
			   "tc's bit, kbit, mbit, gbit or %%)", unit);
}

static int
app_parse_prio(struct app_cmd_ctx *c, struct app_cmd *cmd)
{
	const char *s = app_cmd_next(c);

	cmd->set.nb_prio = 0;
	if (s == NULL)
		return app_cmd_err(c, "prio: missing value");
	while (1) {
		char *end;
		unsigned long v;

		if (*s < '0' || *s > '9')
			return app_cmd_err(c, "prio: '%s' is not a priority 0..15", s);
		errno = 0;
		v = strtoul(s, &end, 10);
		if ((*end != '\0' && *end != ',') || errno != 0 || v > 15)
			return app_cmd_err(c, "prio: '%.*s' is not a priority 0..15",
				       (int)strcspn(s, ","), s);
		if (cmd->set.nb_prio == APP_PRIO_LIST_MAX)
			return app_cmd_err(c, "prio: more than %u priorities", APP_PRIO_LIST_MAX);
		cmd->set.prio[cmd->set.nb_prio++] = (uint8_t)v;
		if (*end == '\0')
			break;
		s = end + 1;
		if (*s == '\0')
			return app_cmd_err(c, "prio: trailing ','");
	}
	return 0;
}

/* set source gen | set source pcap <file> [loop <n>] */
static int
app_parse_source(struct app_cmd_ctx *c, struct app_cmd *cmd)
{
	const char *w = app_cmd_next(c);

	if (w == NULL)
		return app_cmd_err(c, "source: missing gen or pcap");
	if (strcmp(w, "gen") == 0) {
		cmd->op = APP_SETOP_SOURCE_GEN;
		return 0;
	}
	if (strcmp(w, "pcap") != 0)
		return app_cmd_err(c, "source: unknown '%s' (gen, pcap)", w);
	cmd->op = APP_SETOP_SOURCE_PCAP;
	w = app_cmd_next(c);
	if (w == NULL)
		return app_cmd_err(c, "source pcap: missing the file");
	cmd->words[0] = w;
	cmd->nb_words = 1;
	cmd->set.u64 = 1;
	if (app_cmd_accept(c, "loop"))
		return app_cmd_num(c, "loop", 0, UINT32_MAX, &cmd->set.u64);
	return 0;
}

/* set timing rate | set timing original [speed <x>] */
static int
app_parse_timing(struct app_cmd_ctx *c, struct app_cmd *cmd)
{
	const char *w = app_cmd_next(c);
	char *end;

	if (w == NULL)
		return app_cmd_err(c, "timing: missing rate or original");
	if (strcmp(w, "rate") == 0) {
		cmd->op = APP_SETOP_TIMING_RATE;
		return 0;
	}
	if (strcmp(w, "original") != 0)
		return app_cmd_err(c, "timing: unknown '%s' (rate, original)", w);
	cmd->op = APP_SETOP_TIMING_ORIGINAL;
	cmd->set.seconds = 1.0;
	if (!app_cmd_accept(c, "speed"))
		return 0;
	w = app_cmd_next(c);
	if (w == NULL)
		return app_cmd_err(c, "timing: missing the speed (2 = twice as fast)");
	errno = 0;
	cmd->set.seconds = ((w[0] >= '0' && w[0] <= '9') || w[0] == '.') ? strtod(w, &end) : 0;
	if (cmd->set.seconds == 0 || *end != '\0' || errno != 0 || !isfinite(cmd->set.seconds) ||
	    cmd->set.seconds > APP_REPLAY_SPEED_MAX)
		return app_cmd_err(c, "timing: speed '%s' is not a number above 0, at most %g", w,
				   APP_REPLAY_SPEED_MAX);
	return 0;
}

static int
app_parse_set(struct app_cmd_ctx *c, struct app_cmd *cmd)
{
	const char *what = app_cmd_next(c);
	int rc;

	if (what == NULL)
		return app_cmd_err(c, "missing what to set");
	for (int f = 0; f < APP_GF_NB; f++) {
		if (strcmp(what, app_gen_field_names[f]) == 0) {
			cmd->set.what = APP_SET_FIELD;
			cmd->set.field = (enum app_gen_field)f;
			rc = app_parse_field(c, (enum app_gen_field)f, &cmd->set.fval);
			return rc != 0 ? rc : app_cmd_end(c, NULL);
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
		rc = app_cmd_num(c, "count", 0, UINT64_MAX, &cmd->set.u64);
	} else if (strcmp(what, "duration") == 0) {
		cmd->set.what = APP_SET_DURATION;
		rc = app_cmd_seconds(c, "duration", 0, APP_SECONDS_MAX, &cmd->set.seconds);
	} else if (strcmp(what, "stats-period") == 0) {
		cmd->set.what = APP_SET_STATS_PERIOD;
		rc = app_cmd_seconds(c, "stats-period", 0, 3600, &cmd->set.seconds);
	} else if (strcmp(what, "burst") == 0) {
		cmd->set.what = APP_SET_BURST;
		rc = app_cmd_num(c, "burst", 1, APP_BURST_MAX_CMD, &cmd->set.u64);
	} else if (strcmp(what, "lcores") == 0) {
		cmd->set.what = APP_SET_LCORES;
		rc = app_cmd_num(c, "lcores", 1, APP_LCORES_MAX, &cmd->set.u64);
	} else if (strcmp(what, "port") == 0) {
		cmd->set.what = APP_SET_PORT;
		rc = app_cmd_port_one(c, cmd);
	} else if (strcmp(what, "prio") == 0) {
		cmd->set.what = APP_SET_PRIO;
		rc = app_parse_prio(c, cmd);
	} else if (strcmp(what, "xmit") == 0) {
		const char *m = app_cmd_next(c);

		cmd->set.what = APP_SET_XMIT;
		if (m == NULL)
			return app_cmd_err(c, "xmit: missing value (burst, single or plug)");
		for (cmd->set.u64 = 0; cmd->set.u64 < APP_DIM(app_xmit_names); cmd->set.u64++)
			if (strcmp(m, app_xmit_names[cmd->set.u64]) == 0)
				break;
		if (cmd->set.u64 == APP_DIM(app_xmit_names))
			return app_cmd_err(c, "xmit: unknown mode '%s' (burst, single or plug)", m);
		rc = 0;
	} else if (strcmp(what, "source") == 0) {
		cmd->set.what = APP_SET_COUNT;
		rc = app_parse_source(c, cmd);
	} else if (strcmp(what, "timing") == 0) {
		cmd->set.what = APP_SET_COUNT;
		rc = app_parse_timing(c, cmd);
	} else if (strcmp(what, "format") == 0) {
		const char *f = app_cmd_next(c);

		cmd->set.what = APP_SET_FORMAT;
		if (f == NULL)
			return app_cmd_err(c, "format: missing value (table or json)");
		if (strcmp(f, "json") == 0)
			cmd->set.json = true;
		else if (strcmp(f, "table") != 0)
			return app_cmd_err(c, "format: unknown format '%s' (table or json)", f);
		rc = 0;
	} else {
		return app_cmd_err(c, "unknown setting '%s'", what);
	}
	return rc != 0 ? rc : app_cmd_end(c, NULL);
}


static int
app_show_gen_parse(struct app_cmd_ctx *c, struct app_cmd *cmd)
{
	return app_cmd_end(c, &cmd->json);
}

#ifndef APP_CMD_PARSE_ONLY
static int
app_set_replay(struct app *app, const struct app_cmd *c, struct app_err *e)
{
	char src[640], timing[64];
	int rc;

	switch (c->op) {
	case APP_SETOP_SOURCE_GEN:
		app_replay_unload();
		return 0;
	case APP_SETOP_SOURCE_PCAP:
		rc = app_replay_load(c->words[0], c->set.u64, e);
		if (rc != 0)
			return rc;
		break;
	case APP_SETOP_TIMING_RATE:
		app_replay_set_timing(false, 1.0);
		return 0;
	default:
		app_replay_set_timing(true, c->set.seconds);
		return 0;
	}
	if (!app->opts.quiet && !app->json_out) {
		app_replay_describe(src, sizeof(src), timing, sizeof(timing));
		printf("source: %s; timing %s\n", src, timing);
	}
	return 0;
}

static int
app_cli_set(struct app *app, const struct app_cmd *c, struct app_err *e)
{
	struct app_gen_spec *g = &app->spec;

	if (c->op == APP_SETOP_NONE && c->set.what != APP_SET_FORMAT &&
	    c->set.what != APP_SET_STATS_PERIOD && app->running)
		return app_fail(e, -EBUSY, "set: the generator is running (stop it first)");
	if (c->op != APP_SETOP_NONE) {
		if (app->running)
			return app_fail(e, -EBUSY, "set: the generator is running (stop it first)");
		return app_set_replay(app, c, e);
	}
	switch (c->set.what) {
	case APP_SET_SIZE: {
		/* Against the generator's port now (start checks again, e.g. after
		 * set port): the same one line as the option mode's --size. */
		int rc = app_size_check(app, g->port, &c->set.size, "set", e);

		if (rc != 0)
			return rc;
		g->size = c->set.size;
		break;
	}
	case APP_SET_FIELD:
		g->field[c->set.field] = c->set.fval;
		break;
	case APP_SET_RATE:
		g->rate = c->set.rate;
		break;
	case APP_SET_COUNT:
		g->count = c->set.u64;
		break;
	case APP_SET_DURATION:
		g->duration = c->set.seconds;
		break;
	case APP_SET_BURST:
		g->burst = (uint16_t)c->set.u64;
		break;
	case APP_SET_PRIO:
		g->nb_prio = c->set.nb_prio;
		memcpy(g->prio, c->set.prio, sizeof(g->prio));
		break;
	case APP_SET_LCORES:
		/* No worker lcore: the main lcore is the one generator. */
		if (c->set.u64 > RTE_MAX(rte_lcore_count() - 1, 1u))
			return app_fail(e, -EINVAL, "set: lcores %" PRIu64 " is out of range 1..%u "
					"(EAL worker lcores)", c->set.u64,
					RTE_MAX(rte_lcore_count() - 1, 1u));
		g->lcores = (unsigned int)c->set.u64;
		break;
	case APP_SET_PORT: {
		struct app_port *p;
		int rc = app_port_get(app, c->port, false, "set port", e, &p);

		if (rc != 0)
			return rc;
		g->port = c->port;
		break;
	}
	case APP_SET_FORMAT:
		app->json_out = c->set.json;
		break;
	case APP_SET_STATS_PERIOD:
		app->opts.stats_period = c->set.seconds;
		break;
	case APP_SET_XMIT:
		g->xmit = (enum app_xmit_mode)c->set.u64;
		break;
	}
	return 0;
}

static void
app_show_gen(struct app *app, bool json)
{
	const struct app_gen_spec *g = &app->spec;
	char rate[48], sizes[256] = "", prios[64] = "", f[APP_GF_NB][48], src[640], timing[64];
	struct app_gen_counters gc;
	size_t off = 0;

	app_replay_describe(src, sizeof(src), timing, sizeof(timing));
	app_rate_format(&g->rate, rate, sizeof(rate));
	for (uint32_t i = 0; i < g->size.n && off < sizeof(sizes); i++) {
		if (g->size.n == 1)
			off += (size_t)snprintf(sizes + off, sizeof(sizes) - off, "%u", g->size.size[0]);
		else
			off += (size_t)snprintf(sizes + off, sizeof(sizes) - off, "%s%u:%u",
						i ? "," : "imix ", g->size.size[i], g->size.weight[i]);
	}
	off = 0;
	for (uint32_t i = 0; i < g->nb_prio && off < sizeof(prios); i++)
		off += (size_t)snprintf(prios + off, sizeof(prios) - off, "%s%u", i ? "," : "",
					g->prio[i]);
	for (int i = 0; i < APP_GF_NB; i++)
		app_field_spec_format((enum app_gen_field)i, &g->field[i], f[i], sizeof(f[i]));
	app_gen_counters(app, &gc);
	if (json) {
		printf("{\"gen\": {\"running\": %s, \"port\": %u, \"lcores\": %u, \"size\": \"%s\", "
		       "\"rate\": \"%s\", \"count\": %" PRIu64 ", \"duration\": %.3f, \"burst\": %u, "
		       "\"xmit\": \"%s\", \"source\": \"%s\", \"timing\": \"%s\", "
		       "\"prio\": \"%s\", \"mac-src\": \"%s\", \"mac-dst\": \"%s\", \"ip-src\": \"%s\", "
		       "\"ip-dst\": \"%s\", \"sport\": \"%s\", \"dport\": \"%s\", \"runs\": %" PRIu64
		       ", \"generated\": %" PRIu64 ", \"accepted\": %" PRIu64 ", \"pool_empty\": %"
		       PRIu64 ", \"run_generated\": %" PRIu64 ", \"run_pps\": %.0f, \"asked_pps\": %"
		       PRIu64 "}}\n",
		       app->running ? "true" : "false", g->port,
		       gc.running ? gc.lcores : gc.lcores_next, sizes, rate, g->count,
		       g->duration, g->burst, app_xmit_names[g->xmit], src, timing, prios, f[0], f[1], f[2], f[3],
		       f[4], f[5], gc.runs, gc.handed, gc.accepted, gc.alloc_fail, gc.run_handed,
		       gc.run_pps, gc.asked_pps);
		return;
	}
	printf("generator: %s on port %u, %u lcore(s)%s\n", app->running ? "running" : "idle",
	       g->port, gc.running ? gc.lcores : gc.lcores_next,
	       gc.running || g->lcores ? "" : " (every free worker)");
	printf("  counters   generated %" PRIu64 ", accepted %" PRIu64 ", pool empty %" PRIu64
	       " (%" PRIu64 " run(s))\n", gc.handed, gc.accepted, gc.alloc_fail, gc.runs);
	if (gc.running)
		printf("  this run   generated %" PRIu64 ", %.0f pps since it started%s\n",
		       gc.run_handed, gc.run_pps, gc.asked_pps ? "" : " (rate max)");
	printf("  size       %s\n  rate       %s\n", sizes, rate);
	printf("  count      %" PRIu64 "%s\n  duration   %.3f s%s\n  burst      %u\n", g->count,
	       g->count ? "" : " (no limit)", g->duration, g->duration > 0 ? "" : " (no limit)",
	       g->burst);
	printf("  xmit       %s\n", app_xmit_names[g->xmit]);
	printf("  source     %s\n  timing     %s\n", src, timing);
	printf("  prio       %s\n", prios);
	for (int i = 0; i < APP_GF_NB; i++)
		printf("  %-10s %s\n", app_gen_field_names[i], f[i]);
}

static int
app_show_gen_exec(struct app *app, const struct app_cmd *c, struct app_err *e)
{
	RTE_SET_USED(e);
	app_show_gen(app, app_cli_json(app, c));
	return 0;
}
#endif /* APP_CMD_PARSE_ONLY */

static const struct app_cmd_def app_cmd_set_def = {
	.name = "set",
	.words = "size#rate#count#duration#burst#prio#lcores#port#format#stats-period#xmit#"
		 "mac-src#mac-dst#ip-src#ip-dst#sport#dport#source#timing",
	.usage = "set size <n>|imix [s:w,..] | set mac-src|mac-dst|ip-src|ip-dst|sport|dport "
		 "<v>|<lo>-<hi>|random | set rate <n>pps|kpps|Mpps|bps|kbps|Mbps|Gbps|kbit|mbit|gbit|%|max | "
		 "set count <n> | set duration <s> | set burst <n> | set prio <p>[,<p>..] | "
		 "set lcores <n> | set port <port> | set xmit burst|single|plug | "
		 "set stats-period <s> | set format table|json | "
		 "set source gen|pcap <file> [loop <n>] | set timing rate|original [speed <x>]",
	.what = "configure the generator (takes effect at the next start)",
	.rank = 60,
	.parse = app_parse_set,
	.exec = APP_CMD_EXEC(app_cli_set),
};
APP_CMD_REGISTER(app_cmd_set_def)

static const struct app_cmd_def app_cmd_show_gen_def = {
	.name = "show",
	.sub = "gen#config",
	.usage = "show gen [json]",
	.what = "the generator's settings (json: and the generated total)",
	.rank = 33,
	.parse = app_show_gen_parse,
	.exec = APP_CMD_EXEC(app_show_gen_exec),
};
APP_CMD_REGISTER(app_cmd_show_gen_def)
