/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The command language's engine: the registry of commands (each family's
 * file registers its own: grammar, handler, help), the tokenizer, the
 * dispatch on the first one or two words, the helpers the grammars share,
 * and `help`. No DPDK call, no allocation, so that the grammars can be
 * fuzzed on their own (tests/fuzz/fuzz_cmd.c). Every error is one line:
 * what is wrong, then the `help` that shows the command's usage. The
 * completion of every word (app_cmd_complete(), for the prompt's TAB and
 * `?`) reads the same registry: each command's usage line is its grammar's
 * outline.
 */

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sn_tc_units.h>

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

/* Does @p d answer `help <topic>`: its first word, or its first and second words? */
static bool
app_def_topic(const struct app_cmd_def *d, const char *topic)
{
	size_t l1 = strcspn(topic, " ");
	const char *w2 = topic + l1;

	while (*w2 == ' ')
		w2++;
	if (!(strlen(d->name) == l1 && strncmp(d->name, topic, l1) == 0) &&
	    !app_cmd_choice(d->aliases, topic, l1))
		return false;
	return *w2 == '\0' || app_cmd_choice(d->sub, w2, strlen(w2));
}

const char *
app_cmd_topic(const struct app_cmd_def *def, char *buf, size_t len)
{
	if (def->sub != NULL)
		snprintf(buf, len, "%s %.*s", def->name, (int)strcspn(def->sub, "#"), def->sub);
	else
		snprintf(buf, len, "%s", def->name);
	return buf;
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

		if (topic != NULL && topic[0] != '\0' && !app_def_topic(d, topic))
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
	const char *family; /* the first word, named in errors */
	const struct app_cmd_def *def; /* the command, once known (its help topic) */
	char *err;
	size_t errlen;
};

int
app_cmd_err(struct app_cmd_ctx *c, const char *fmt, ...)
{
	char what[APP_CMD_ERR_SIZE], topic[64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (c->errlen == 0)
		return -EINVAL;
	if (c->def != NULL)
		snprintf(c->err, c->errlen, "%s: %s (try 'help %s')", c->family, what,
			 app_cmd_topic(c->def, topic, sizeof(topic)));
	else if (c->family != NULL)
		snprintf(c->err, c->errlen, "%s: %s (try 'help %s')", c->family, what, c->family);
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

/* Words that are never a port name: a port forgotten before them. */
static bool
app_port_keyword(const char *w)
{
	return app_cmd_choice("root#parent#txq#dev#json#stats#info#xstats#summary#handle#classid",
			      w, strlen(w));
}

static int
app_port_word(struct app_cmd_ctx *c, struct app_cmd *cmd, bool all)
{
	const char *w = app_cmd_peek(c);
	size_t len;

	if (w == NULL || (w[0] >= '0' && w[0] <= '9' && strspn(w, "0123456789") == strlen(w))) {
		uint64_t v = 0;
		int rc = app_cmd_num(c, "port", 0, APP_CMD_PORT_MAX, &v);

		if (rc == 0) {
			cmd->port = (uint16_t)v;
			cmd->has_port = true;
		}
		return rc;
	}
	if (strcmp(w, "all") == 0) {
		if (!all)
			return app_cmd_err(c, "one port here, not 'all'");
		app_cmd_next(c);
		cmd->port_all = true;
		cmd->has_port = true;
		cmd->port = 0;
		return 0;
	}
	len = strlen(w);
	if (app_port_keyword(w))
		return app_cmd_err(c, "missing port before '%s'", w);
	if (len >= sizeof(cmd->port_name) ||
	    strspn(w, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:-") != len)
		return app_cmd_err(c, "port '%.*s' is not a port id, name%s", len > 64 ? 64 : (int)len,
				   w, all ? " or all" : "");
	app_cmd_next(c);
	memcpy(cmd->port_name, w, len + 1);
	cmd->has_port = true;
	cmd->port = 0;
	return 0;
}

int
app_cmd_port(struct app_cmd_ctx *c, struct app_cmd *cmd)
{
	return app_port_word(c, cmd, true);
}

int
app_cmd_port_one(struct app_cmd_ctx *c, struct app_cmd *cmd)
{
	return app_port_word(c, cmd, false);
}

/* ---- tc's units (the library's parsers: one spelling everywhere) ---- */

int
app_str_tc_rate(const char *s, double *bits_per_sec)
{
	uint64_t bytes;

	if (s == NULL || sn_tc_parse_rate(s, &bytes) != 0)
		return -EINVAL;
	*bits_per_sec = (double)bytes * 8;
	return 0;
}

int
app_str_tc_size(const char *s, uint64_t *bytes)
{
	if (s == NULL || sn_tc_parse_size(s, bytes) != 0)
		return -EINVAL;
	return 0;
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

		bool seen = false;

		if (d->sub == NULL || !app_def_named(d, w))
			continue;
		for (unsigned int j = 0; j < i && !seen; j++)
			seen = app_defs[j]->sub != NULL && app_def_named(app_defs[j], w) &&
			       strcspn(app_defs[j]->sub, "#") == strcspn(d->sub, "#") &&
			       strncmp(app_defs[j]->sub, d->sub, strcspn(d->sub, "#")) == 0;
		if (seen)
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
	if (def->sub == NULL && app_cmd_peek(&c) != NULL) {
		/* Families sharing a first word without sub: the one whose words take the second. */
		const char *w2 = app_cmd_peek(&c);

		for (unsigned int i = 0; i < app_nb_defs; i++)
			if (app_defs[i]->sub == NULL && app_def_named(app_defs[i], w) &&
			    app_cmd_choice(app_defs[i]->words, w2, strlen(w2))) {
				def = app_defs[i];
				break;
			}
	}
	c.family = def->name;
	if (def->sub != NULL) {
		/* A shared first word: the second one picks the command (the third, sub3). */
		const char *w2 = app_cmd_next(&c);
		const char *w3 = app_cmd_peek(&c);
		const struct app_cmd_def *plain = NULL;
		char subs[256];

		app_subs_list(def->name, subs, sizeof(subs));
		if (w2 == NULL)
			return app_cmd_err(&c, "missing what to %s (%s)", def->name, subs);
		def = NULL;
		for (unsigned int i = 0; i < app_nb_defs && def == NULL; i++) {
			const struct app_cmd_def *d = app_defs[i];

			if (d->sub == NULL || !app_def_named(d, w) ||
			    !app_cmd_choice(d->sub, w2, strlen(w2)))
				continue;
			if (d->sub3 == NULL) {
				if (plain == NULL)
					plain = d;
			} else if (w3 != NULL && app_cmd_choice(d->sub3, w3, strlen(w3))) {
				def = d;
			}
		}
		if (def == NULL)
			def = plain;
		if (def == NULL)
			return app_cmd_err(&c, "unknown '%s' (%s)", w2, subs);
	}
	cmd->def = def;
	c.def = def;
	return def->parse(&c, cmd);
}

/* ---- completion: the usage lines as grammars ---- */

/*
 * One alternative of a usage line ("show port info|stats <port> [json]") is
 * read as a sequence of elements: a word (its '|' choices, each a keyword
 * or a value), the opening or closing of an optional part, or "any further
 * words" (`[options]`, `...`). The words typed so far are run through it as
 * through a small NFA (a set of positions); the words at the positions
 * reached are the choices for the next word.
 */
enum app_u_kind { APP_U_WORD, APP_U_OPEN, APP_U_CLOSE, APP_U_ANY };

struct app_u_elem {
	enum app_u_kind kind;
	int match;     /* OPEN: index of its CLOSE */
	const char *s; /* WORD: the text, '|'-separated choices */
	size_t len;
};

#define APP_U_ELEMS_MAX 128

/* A keyword: lower case letters, digits, '-' and '_' (anything else is a value). */
static bool
app_u_keyword(const char *s, size_t len)
{
	if (len == 0 || s[0] < 'a' || s[0] > 'z')
		return false;
	if (len == 7 && strncmp(s, "options", 7) == 0)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-' ||
		      s[i] == '_'))
			return false;
	return true;
}

/*
 * A word whose choices are suffixes ("<n>pps|kpps|%"): one value. Else the
 * '|' separates whole words ("<n>|imix", "info|stats").
 */
static bool
app_u_suffixes(const char *s, size_t len)
{
	size_t first = strcspn(s, "|");
	const char *gt;

	if (first > len)
		first = len;
	gt = memchr(s, '>', first);
	return memchr(s, '<', first) != NULL && gt != NULL && gt + 1 < s + first;
}

static int
app_u_parse(const char *s, size_t len, struct app_u_elem *e, int max)
{
	int stack[16], depth = 0, n = 0;
	size_t i = 0;

	while (i < len) {
		size_t j, end, wend;
		int closes;

		while (i < len && s[i] == ' ')
			i++;
		if (i >= len)
			break;
		j = i;
		while (j < len && s[j] != ' ')
			j++;
		end = j;
		/* Leading '[': optional parts opening. */
		while (i < end && s[i] == '[') {
			if (n == max || depth == (int)(sizeof(stack) / sizeof(stack[0])))
				return -1;
			stack[depth++] = n;
			e[n++] = (struct app_u_elem){ .kind = APP_U_OPEN };
			i++;
		}
		/* Trailing ']' close parts, unless the word opened one itself ("<p>[,<p>..]"). */
		wend = end;
		closes = 0;
		if (memchr(s + i, '[', end - i) == NULL)
			while (wend > i && s[wend - 1] == ']' && closes < depth) {
				wend--;
				closes++;
			}
		if (wend > i) {
			bool any = (wend - i == 7 && strncmp(s + i, "options", 7) == 0) ||
				   (wend - i >= 2 && strncmp(s + wend - 2, "..", 2) == 0 &&
				    strspn(s + i, ".") == wend - i);

			if (n == max)
				return -1;
			e[n++] = (struct app_u_elem){ .kind = any ? APP_U_ANY : APP_U_WORD,
						      .s = s + i, .len = wend - i };
		}
		while (closes-- > 0) {
			if (n == max)
				return -1;
			e[stack[--depth]].match = n;
			e[n++] = (struct app_u_elem){ .kind = APP_U_CLOSE };
		}
		i = j;
	}
	/* Unclosed parts close at the end. */
	while (depth > 0) {
		if (n == max)
			return -1;
		e[stack[--depth]].match = n;
		e[n++] = (struct app_u_elem){ .kind = APP_U_CLOSE };
	}
	return n;
}

/*
 * A tc id written as its shape ("MAJ:MIN", "MAJ:"): it takes only a word
 * with a ':', and completion may pass over it, as tc's own usage text means
 * by "root|parent MAJ:MIN" (the id belongs to `parent` alone).
 */
static bool
app_u_tcid(const struct app_u_elem *u)
{
	return u->kind == APP_U_WORD && memchr(u->s, ':', u->len) != NULL &&
	       memchr(u->s, '<', u->len) == NULL && memchr(u->s, '|', u->len) == NULL &&
	       u->s[0] >= 'A' && u->s[0] <= 'Z';
}

/* Add the positions reachable from @p set without a word (into @p set). */
static void
app_u_closure(const struct app_u_elem *e, int n, bool *set)
{
	bool changed = true;

	while (changed) {
		changed = false;
		for (int i = 0; i < n; i++) {
			int to[2] = { -1, -1 };

			if (!set[i])
				continue;
			if (e[i].kind == APP_U_OPEN) {
				to[0] = i + 1;
				to[1] = e[i].match + 1;
			} else if (e[i].kind == APP_U_CLOSE || e[i].kind == APP_U_ANY ||
				   app_u_tcid(&e[i])) {
				to[0] = i + 1;
			}
			for (int k = 0; k < 2; k++)
				if (to[k] >= 0 && to[k] <= n && !set[to[k]]) {
					set[to[k]] = true;
					changed = true;
				}
		}
	}
}

/* Does word @p w fit the choices of element @p u? */
static bool
app_u_fits(const struct app_u_elem *u, const char *w)
{
	const char *p = u->s, *end = u->s + u->len;

	if (app_u_tcid(u))
		return strchr(w, ':') != NULL;
	if (!app_u_suffixes(u->s, u->len)) {
		while (p < end) {
			size_t l = strcspn(p, "|");

			if (p + l > end)
				l = (size_t)(end - p);
			if (!app_u_keyword(p, l) || (strlen(w) == l && strncmp(p, w, l) == 0))
				return true;
			p += l + 1;
		}
		return false;
	}
	return true;
}

static void
app_u_add(struct app_cmd_choices *out, const char *s, size_t len, const struct app_cmd_def *d)
{
	char w[APP_CMD_CHOICE_SIZE];

	if (len >= sizeof(w))
		len = sizeof(w) - 1;
	memcpy(w, s, len);
	w[len] = '\0';
	app_cmd_choice_add(out, w, d);
}

/*
 * Run words[from..n) through one alternative (@p s, @p len) of @p d's usage;
 * add the choices at the positions reached (values as written in the usage).
 */
static void
app_u_complete(const struct app_cmd_def *d, const char *s, size_t len, const char *const *words,
	       int from, int n, struct app_cmd_choices *out)
{
	struct app_u_elem e[APP_U_ELEMS_MAX];
	bool set[APP_U_ELEMS_MAX + 1], next[APP_U_ELEMS_MAX + 1];
	int ne = app_u_parse(s, len, e, APP_U_ELEMS_MAX);

	if (ne <= 0)
		return;
	memset(set, 0, sizeof(set));
	set[0] = true;
	app_u_closure(e, ne, set);
	for (int w = from; w < n; w++) {
		bool any = false;

		memset(next, 0, sizeof(next));
		for (int i = 0; i < ne; i++) {
			if (!set[i])
				continue;
			if (e[i].kind == APP_U_WORD && app_u_fits(&e[i], words[w]))
				next[i + 1] = any = true;
			else if (e[i].kind == APP_U_ANY)
				next[i] = any = true;
		}
		if (!any)
			return;
		memcpy(set, next, sizeof(set));
		app_u_closure(e, ne, set);
	}
	if (set[ne])
		out->can_end = true;
	for (int i = 0; i < ne; i++) {
		const char *p, *end;

		if (!set[i])
			continue;
		if (e[i].kind == APP_U_ANY) {
			app_u_add(out, "<options>", 9, d);
			continue;
		}
		if (e[i].kind != APP_U_WORD)
			continue;
		if (app_u_suffixes(e[i].s, e[i].len)) {
			app_u_add(out, e[i].s, e[i].len, d);
			continue;
		}
		for (p = e[i].s, end = e[i].s + e[i].len; p < end;) {
			size_t l = strcspn(p, "|");

			if (p + l > end)
				l = (size_t)(end - p);
			if (l > 0)
				app_u_add(out, p, l, d);
			p += l + 1;
		}
	}
}

int
app_cmd_choice_add(struct app_cmd_choices *out, const char *word, const struct app_cmd_def *def)
{
	if (word == NULL || word[0] == '\0')
		return 0;
	for (unsigned int i = 0; i < out->n; i++)
		if (strcmp(out->word[i], word) == 0)
			return 0;
	if (out->n == APP_CMD_CHOICES_MAX)
		return -ENOSPC;
	snprintf(out->word[out->n], sizeof(out->word[0]), "%s", word);
	out->def[out->n] = def;
	out->n++;
	return 0;
}

/* A value to show, not a word to type: "<port>", "MAJ:", "<n>pps|kpps|%", "s:w,..". */
static bool
app_choice_is_value(const char *w)
{
	if (strpbrk(w, "<>|,[]%") != NULL)
		return true;
	for (; *w != '\0'; w++)
		if (*w >= 'A' && *w <= 'Z')
			return true;
	return false;
}

/* Keep the words that start with @p partial (and every value, for `?`). */
static void
app_choices_filter(struct app_cmd_choices *out, const char *partial)
{
	size_t plen = strlen(partial);
	unsigned int k = 0;

	for (unsigned int i = 0; i < out->n; i++) {
		if (!app_choice_is_value(out->word[i]) &&
		    strncmp(out->word[i], partial, plen) != 0)
			continue;
		if (k != i) {
			memcpy(out->word[k], out->word[i], sizeof(out->word[0]));
			out->def[k] = out->def[i];
		}
		k++;
	}
	out->n = k;
}

unsigned int
app_cmd_complete(const char *line, struct app_cmd_choices *out, size_t *partial,
		 app_cmd_values_t *values)
{
	char buf[APP_CMD_LINE_MAX + 1];
	const char *words[APP_CMD_TOKENS_MAX];
	const char *last;
	size_t len = strnlen(line, APP_CMD_LINE_MAX);
	int n;

	memset(out, 0, offsetof(struct app_cmd_choices, word));
	*partial = 0;
	memcpy(buf, line, len);
	buf[len] = '\0';
	for (size_t i = 0; i < len; i++)
		if (buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n')
			buf[i] = ' ';
	if (strchr(buf, '#') != NULL)
		return 0; /* a comment: nothing to complete */
	n = app_cmd_split(buf, words, APP_CMD_TOKENS_MAX);
	if (n < 0)
		return 0;
	/* The last word is being typed unless the line ends with a blank. */
	if (n > 0 && len > 0 && buf[len - 1] != '\0') {
		last = words[--n];
		*partial = (size_t)(last - buf);
	} else {
		last = "";
		*partial = len;
	}
	if (n == 0) {
		/* First words: the names; the aliases only when no name fits. */
		for (unsigned int i = 0; i < app_nb_defs; i++)
			if (strncmp(app_defs[i]->name, last, strlen(last)) == 0)
				app_cmd_choice_add(out, app_defs[i]->name, app_defs[i]);
		for (unsigned int i = 0; i < app_nb_defs && out->n == 0; i++) {
			const char *a = app_defs[i]->aliases;

			while (a != NULL && *a != '\0') {
				size_t l = strcspn(a, "#");

				if (l >= strlen(last) && strncmp(a, last, strlen(last)) == 0)
					app_u_add(out, a, l, app_defs[i]);
				a += l;
				if (*a == '#')
					a++;
			}
		}
		return out->n;
	}
	for (unsigned int i = 0; i < app_nb_defs; i++) {
		const struct app_cmd_def *d = app_defs[i];
		const char *u = d->usage, *p;

		if (!app_def_named(d, words[0]))
			continue;
		/* Each alternative of the usage: " | " at depth 0. */
		while (u != NULL && *u != '\0') {
			const char *alt = u, *e2 = NULL;
			int depth = 0;
			size_t l1;

			for (p = u; *p != '\0'; p++) {
				if (*p == '[')
					depth++;
				else if (*p == ']' && depth > 0)
					depth--;
				else if (depth == 0 && strncmp(p, " | ", 3) == 0) {
					e2 = p;
					break;
				}
			}
			if (e2 == NULL)
				e2 = p;
			/* Its first word is the command's name: the typed one (an alias) fits. */
			l1 = strcspn(alt, " ");

			if ((size_t)(e2 - alt) >= l1 && l1 < 64) {
				char w1[64];

				memcpy(w1, alt, l1);
				w1[l1] = '\0';
				if (app_def_named(d, w1))
					app_u_complete(d, alt + l1, (size_t)(e2 - alt) - l1, words, 1,
						       n, out);
				else
					app_u_complete(d, alt, (size_t)(e2 - alt), words, 1, n, out);
			}
			u = *e2 != '\0' ? e2 + 3 : e2;
		}
		if (d->complete != NULL)
			d->complete(words, n, out);
	}
	/* Values the caller knows now ("<port>": the ports), before the filter. */
	if (values != NULL) {
		unsigned int nv = out->n;

		for (unsigned int i = 0; i < nv; i++)
			if (app_choice_is_value(out->word[i])) {
				char ph[APP_CMD_CHOICE_SIZE];

				memcpy(ph, out->word[i], sizeof(ph));
				values(ph, out);
			}
	}
	if (last[0] != '\0')
		out->can_end = false;
	app_choices_filter(out, last);
	return out->n;
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
