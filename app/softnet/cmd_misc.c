/* SPDX-License-Identifier: BSD-3-Clause */
/* Commands: help, quit (exit), sleep. */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"

#ifndef APP_CMD_PARSE_ONLY
#include <rte_cycles.h>

#include "cli.h"
#endif

#define APP_SLEEP_MAX 3600.0

/* ---- help ---- */

/* Is @p w2 the second word (sub) of a command named @p w1? */
static bool
app_help_sub(const char *w1, const char *w2)
{
	const struct app_cmd_def *d;

	for (unsigned int i = 0; (d = app_cmd_def_at(i)) != NULL; i++)
		if ((strcmp(d->name, w1) == 0 || app_cmd_choice(d->aliases, w1, strlen(w1))) &&
		    app_cmd_choice(d->sub, w2, strlen(w2)))
			return true;
	return false;
}

/* `help <command>`: a first word, or a first and second ("help show port"). */
static int
app_help_parse(struct app_cmd_ctx *c, struct app_cmd *cmd)
{
	const char *t = app_cmd_peek(c), *t2;
	char usage[APP_CMD_ERR_SIZE];

	if (t != NULL) {
		if (app_cmd_usage(t, usage, sizeof(usage)) == NULL)
			return app_cmd_err(c, "no command '%s'", t);
		app_cmd_next(c);
		t2 = app_cmd_peek(c);
		if (t2 != NULL && app_help_sub(t, t2)) {
			app_cmd_next(c);
			snprintf(cmd->topic, sizeof(cmd->topic), "%.15s %.15s", t, t2);
		} else {
			snprintf(cmd->topic, sizeof(cmd->topic), "%s", t);
		}
	}
	return app_cmd_end(c, NULL);
}

/* Completion of `help`: the commands' first words, then their second words. */
static void
app_help_complete(const char *const *words, int n, struct app_cmd_choices *out)
{
	const struct app_cmd_def *d;

	for (unsigned int i = 0; (d = app_cmd_def_at(i)) != NULL; i++) {
		if (n == 1) {
			app_cmd_choice_add(out, d->name, d);
		} else if (n == 2 && strcmp(d->name, words[1]) == 0 && d->sub != NULL) {
			char sub[APP_CMD_CHOICE_SIZE];

			snprintf(sub, sizeof(sub), "%.*s", (int)strcspn(d->sub, "#"), d->sub);
			app_cmd_choice_add(out, sub, d);
		}
	}
}

#ifndef APP_CMD_PARSE_ONLY
static int
app_help_exec(struct app *app, const struct app_cmd *c, struct app_err *e)
{
	char buf[8192];
	const struct app_cmd_def *d;

	RTE_SET_USED(app);
	RTE_SET_USED(e);
	app_cmd_help(buf, sizeof(buf), c->topic);
	printf("%s%s", c->topic[0] ? "" : "commands (docs/cli.md has examples):\n", buf);
	if (c->topic[0] == '\0')
		return 0;
	/* A family's own help: the qdisc kinds the library has, ... */
	for (unsigned int i = 0; (d = app_cmd_def_at(i)) != NULL; i++) {
		size_t l1 = strcspn(c->topic, " ");
		const char *t2 = c->topic[l1] == ' ' ? c->topic + l1 + 1 : NULL;

		if (d->help != NULL && ((strlen(d->name) == l1 && strncmp(d->name, c->topic, l1) == 0) ||
					app_cmd_choice(d->aliases, c->topic, l1)) &&
		    (t2 == NULL || app_cmd_choice(d->sub, t2, strlen(t2))))
			d->help();
	}
	return 0;
}
#endif

static const struct app_cmd_def app_cmd_help_def = {
	.name = "help",
	.aliases = "?",
	.usage = "help [<command>]",
	.what = "list commands, or one command's usage (`help show port`: one of show's)",
	.rank = 0,
	.parse = app_help_parse,
	.exec = APP_CMD_EXEC(app_help_exec),
	.complete = app_help_complete,
};
APP_CMD_REGISTER(app_cmd_help_def)

/* ---- quit ---- */

static int
app_quit_parse(struct app_cmd_ctx *c, struct app_cmd *cmd)
{
	(void)cmd;
	return app_cmd_end(c, NULL);
}

#ifndef APP_CMD_PARSE_ONLY
static int
app_quit_exec(struct app *app, const struct app_cmd *c, struct app_err *e)
{
	RTE_SET_USED(c);
	RTE_SET_USED(e);
	app->quit = true;
	return 0;
}
#endif

static const struct app_cmd_def app_cmd_quit_def = {
	.name = "quit",
	.aliases = "exit",
	.usage = "quit",
	.what = "stop generators, drain qdiscs, print the summary, stop ports, exit",
	.rank = 10,
	.parse = app_quit_parse,
	.exec = APP_CMD_EXEC(app_quit_exec),
};
APP_CMD_REGISTER(app_cmd_quit_def)

/* ---- sleep ---- */

static int
app_sleep_parse(struct app_cmd_ctx *c, struct app_cmd *cmd)
{
	if (app_cmd_seconds(c, "seconds", 0, APP_SLEEP_MAX, &cmd->seconds) != 0)
		return -EINVAL;
	return app_cmd_end(c, NULL);
}

#ifndef APP_CMD_PARSE_ONLY
static int
app_sleep_exec(struct app *app, const struct app_cmd *c, struct app_err *e)
{
	RTE_SET_USED(e);
	app_cli_wait(app, rte_get_timer_cycles() + (uint64_t)(c->seconds * (double)app->hz),
		     false);
	return 0;
}
#endif

static const struct app_cmd_def app_cmd_sleep_def = {
	.name = "sleep",
	.usage = "sleep <seconds>",
	.what = "wait (counting received packets meanwhile)",
	.rank = 100,
	.parse = app_sleep_parse,
	.exec = APP_CMD_EXEC(app_sleep_exec),
};
APP_CMD_REGISTER(app_cmd_sleep_def)
