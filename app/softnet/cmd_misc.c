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

static int
app_help_parse(struct app_cmd_ctx *c, struct app_cmd *cmd)
{
	const char *t = app_cmd_peek(c);
	char usage[APP_CMD_ERR_SIZE];

	if (t != NULL) {
		if (app_cmd_usage(t, usage, sizeof(usage)) == NULL)
			return app_cmd_err(c, "no command '%s'", t);
		snprintf(cmd->topic, sizeof(cmd->topic), "%s", app_cmd_next(c));
	}
	return app_cmd_end(c, NULL);
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
		if (d->help != NULL && (strcmp(d->name, c->topic) == 0 ||
					app_cmd_choice(d->aliases, c->topic, strlen(c->topic))))
			d->help();
	}
	return 0;
}
#endif

static const struct app_cmd_def app_cmd_help_def = {
	.name = "help",
	.aliases = "?",
	.usage = "help [command]",
	.what = "list commands, or one command's usage",
	.rank = 0,
	.parse = app_help_parse,
	.exec = APP_CMD_EXEC(app_help_exec),
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
