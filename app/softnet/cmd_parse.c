/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The command language's engine: the registry of commands (each family's
 * file registers its own: grammar, handler, help), the tokenizer, the
 * dispatch on the first one or two words, the helpers the grammars share,
 * and `help`. No DPDK call, no allocation, so that the grammars can be
 * fuzzed on their own (tests/fuzz/fuzz_cmd.c). Every error is one line:
 * what is wrong, then the usage of the command family.
 */

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

#define APP_CMD_DEFS_MAX 64

const char *const app_gen_field_names[APP_GF_NB] = {
	"mac-src", "mac-dst", "ip-src", "ip-dst", "sport", "dport",
};

/* ---- the registry ---- */

/* Sorted by rank; filled by constructors before main(), read-only after. */
static const struct app_cmd_def *app_defs[APP_CMD_DEFS_MAX];
static unsigned int app_nb_defs;

void
app_cmd_register(const struct app_cmd_def *def)
{
	unsigned int i;

	if (app_nb_defs == APP_CMD_DEFS_MAX) {
		fprintf(stderr, "softnet: too many commands (%u): '%s' dropped\n",
			APP_CMD_DEFS_MAX, def->name);
		return;
	}
	for (i = app_nb_defs; i > 0 && app_defs[i - 1]->rank > def->rank; i--)
		app_defs[i] = app_defs[i - 1];
	app_defs[i] = def;
	app_nb_defs++;
}

const struct app_cmd_def *
app_cmd_def_at(unsigned int i)
{
	return i < app_nb_defs ? app_defs[i] : NULL;
}

bool
app_cmd_choice(const char *choices, const char *w, size_t len)
{
	if (choices == NULL)
		return false;
	while (*choices != '\0') {
		size_t n = strcspn(choices, "#");

		if (n == len && strncmp(choices, w, len) == 0)
			return true;
		choices += n;
		if (*choices == '#')
			choices++;
	}
	return false;
}

static bool
app_def_named(const struct app_cmd_def *d, const char *w)
{
	return strcmp(d->name, w) == 0 || app_cmd_choice(d->aliases, w, strlen(w));
}

const char *
app_cmd_usage(const char *family, char *buf, size_t len)
{
	size_t off = 0;
	bool found = false;

	if (len == 0)
		return NULL;
	buf[0] = '\0';
	for (unsigned int i = 0; i < app_nb_defs; i++) {
		int n;

		if (!app_def_named(app_defs[i], family))
			continue;
		n = snprintf(buf + off, len - off, "%s%s", found ? " | " : "", app_defs[i]->usage);
		found = true;
		if (n < 0 || (size_t)n >= len - off)
			break;
		off += (size_t)n;
	}
	return found ? buf : NULL;
}

void
app_cmd_help(char *buf, size_t len, const char *topic)
{
	size_t off = 0;

	if (len == 0)
		return;
	buf[0] = '\0';
	for (unsigned int i = 0; i < app_nb_defs; i++) {
		const struct app_cmd_def *d = app_defs[i];
		int n;

		if (topic != NULL && topic[0] != '\0' && !app_def_named(d, topic))
			continue;
		n = snprintf(buf + off, len - off, "  %s\n      %s\n", d->usage, d->what);
		if (n < 0 || (size_t)n >= len - off)
			break;
		off += (size_t)n;
	}
}

/* ---- the parsing context ---- */

struct app_cmd_ctx {
	const char **tok;
	int n;
	int i;              /* next token */
	const char *family; /* for the usage in errors */
	char *err;
	size_t errlen;
};

int
app_cmd_err(struct app_cmd_ctx *c, const char *fmt, ...)
{
	char what[APP_CMD_ERR_SIZE], usage[APP_CMD_ERR_SIZE];
	const char *u = c->family != NULL ? app_cmd_usage(c->family, usage, sizeof(usage)) : NULL;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (c->errlen == 0)
		return -EINVAL;
	if (u != NULL)
		snprintf(c->err, c->errlen, "%s: %s (usage: %s)", c->family, what, u);
	else
		snprintf(c->err, c->errlen, "%s (try 'help')", what);
	return -EINVAL;
}

const char *
app_cmd_peek(const struct app_cmd_ctx *c)
{
	return c->i < c->n ? c->tok[c->i] : NULL;
}

const char *
app_cmd_next(struct app_cmd_ctx *c)
{
	return c->i < c->n ? c->tok[c->i++] : NULL;
}

bool
app_cmd_accept(struct app_cmd_ctx *c, const char *kw)
{
	if (c->i < c->n && strcmp(c->tok[c->i], kw) == 0) {
		c->i++;
		return true;
	}
	return false;
}

int
app_cmd_end(struct app_cmd_ctx *c, bool *json)
{
	if (json != NULL && app_cmd_accept(c, "json"))
		*json = true;
	if (c->i < c->n)
		return app_cmd_err(c, "unexpected '%s'", c->tok[c->i]);
	return 0;
}

int
app_cmd_rest(struct app_cmd_ctx *c, const char **words, int max)
{
	int k = 0;

	while (c->i < c->n && k < max)
		words[k++] = c->tok[c->i++];
	return k;
}

/* ---- numbers ---- */

int
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

int
app_cmd_num(struct app_cmd_ctx *c, const char *what, uint64_t min, uint64_t max, uint64_t *out)
{
	const char *s = app_cmd_next(c);
	uint64_t v;

	if (s == NULL)
		return app_cmd_err(c, "missing %s", what);
	if (app_str_u64(s, &v) != 0) {
		if (s[0] >= '0' && s[0] <= '9' && strspn(s, "0123456789") == strlen(s))
			return app_cmd_err(c, "%s %s is out of range %" PRIu64 "..%" PRIu64, what,
					   s, min, max);
		return app_cmd_err(c, "%s '%s' is not a number", what, s);
	}
	if (v < min || v > max)
		return app_cmd_err(c, "%s %s is out of range %" PRIu64 "..%" PRIu64, what, s, min,
				   max);
	*out = v;
	return 0;
}

int
app_cmd_seconds(struct app_cmd_ctx *c, const char *what, double min, double max, double *out)
{
	const char *s = app_cmd_next(c);
	char buf[64];
	size_t len;
	char *end;
	double v;

	if (s == NULL)
		return app_cmd_err(c, "missing %s", what);
	len = strlen(s);
	if (len == 0 || len >= sizeof(buf) || !((s[0] >= '0' && s[0] <= '9') || s[0] == '.'))
		return app_cmd_err(c, "%s '%s' is not a number of seconds", what, s);
	memcpy(buf, s, len + 1);
	if (buf[len - 1] == 's')
		buf[len - 1] = '\0';
	errno = 0;
	v = strtod(buf, &end);
	if (buf[0] == '\0' || *end != '\0' || errno == ERANGE || !isfinite(v))
		return app_cmd_err(c, "%s '%s' is not a number of seconds", what, s);
	if (v < min || v > max)
		return app_cmd_err(c, "%s %s is out of range %g..%g", what, s, min, max);
	*out = v;
	return 0;
}

int
app_cmd_port(struct app_cmd_ctx *c, struct app_cmd *cmd)
{
	uint64_t v = 0;
	int rc = app_cmd_num(c, "port", 0, APP_CMD_PORT_MAX, &v);

	if (rc == 0) {
		cmd->port = (uint16_t)v;
		cmd->has_port = true;
	}
	return rc;
}

/* ---- entry ---- */

int
app_cmd_split(char *p, const char **words, int max)
{
	int n = 0;

	while (*p != '\0') {
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (*p == '\0')
			break;
		if (n == max)
			return -E2BIG;
		words[n++] = p;
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
	}
	return n;
}

/* The second words of the commands that share first word @p w ("port, qdisc, ..."). */
static void
app_subs_list(const char *w, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < app_nb_defs && off < len; i++) {
		const struct app_cmd_def *d = app_defs[i];
		int n;

		if (d->sub == NULL || !app_def_named(d, w))
			continue;
		n = snprintf(buf + off, len - off, "%s%.*s", off ? ", " : "",
			     (int)strcspn(d->sub, "#"), d->sub);
		if (n < 0)
			break;
		off += (size_t)n;
	}
}

int
app_cmd_parse(const char *line, struct app_cmd *cmd, char *err, size_t errlen)
{
	const char *tok[APP_CMD_TOKENS_MAX];
	const struct app_cmd_def *def = NULL;
	struct app_cmd_ctx c;
	const char *w;
	size_t len;
	char *p;
	int n;

	memset(cmd, 0, sizeof(*cmd));
	memset(&c, 0, sizeof(c));
	c.err = err;
	c.errlen = errlen;
	c.tok = tok;
	if (errlen > 0)
		err[0] = '\0';
	len = strnlen(line, APP_CMD_LINE_MAX + 1);
	if (len > APP_CMD_LINE_MAX)
		return app_cmd_err(&c, "line longer than %u characters", APP_CMD_LINE_MAX);
	memcpy(cmd->line, line, len);
	cmd->line[len] = '\0';
	for (p = cmd->line; *p != '\0'; p++) {
		if (*p == '#') {
			*p = '\0';
			break;
		}
		if (*p == '\t' || *p == '\r' || *p == '\n')
			*p = ' ';
		else if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			return app_cmd_err(&c, "unexpected character 0x%02x", (unsigned char)*p);
	}
	n = app_cmd_split(cmd->line, tok, APP_CMD_TOKENS_MAX);
	if (n < 0)
		return app_cmd_err(&c, "more than %u words", APP_CMD_TOKENS_MAX);
	c.n = n;
	w = app_cmd_next(&c);
	if (w == NULL)
		return 0; /* blank line or comment */
	for (unsigned int i = 0; i < app_nb_defs; i++) {
		if (app_def_named(app_defs[i], w)) {
			def = app_defs[i];
			break;
		}
	}
	if (def == NULL)
		return app_cmd_err(&c, "unknown command '%s'", w);
	c.family = def->name;
	if (def->sub != NULL) {
		/* A shared first word: the second one picks the command. */
		const char *w2 = app_cmd_next(&c);
		char subs[256];

		app_subs_list(def->name, subs, sizeof(subs));
		if (w2 == NULL)
			return app_cmd_err(&c, "missing what to %s (%s)", def->name, subs);
		def = NULL;
		for (unsigned int i = 0; i < app_nb_defs; i++) {
			if (app_defs[i]->sub != NULL && app_def_named(app_defs[i], w) &&
			    app_cmd_choice(app_defs[i]->sub, w2, strlen(w2))) {
				def = app_defs[i];
				break;
			}
		}
		if (def == NULL)
			return app_cmd_err(&c, "unknown '%s' (%s)", w2, subs);
	}
	cmd->def = def;
	return def->parse(&c, cmd);
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
