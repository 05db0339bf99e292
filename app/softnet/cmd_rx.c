/* SPDX-License-Identifier: BSD-3-Clause */
/* Commands: rx start|stop, show rx, clear rx (receive counting, rx.c). */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"

#ifndef APP_CMD_PARSE_ONLY
#include "cli.h"
#include "rx.h"
#endif

enum { APP_RX_START, APP_RX_STOP };

static int
app_rx_parse(struct app_cmd_ctx *c, struct app_cmd *cmd)
{
	const char *w = app_cmd_next(c);

	if (w == NULL)
		return app_cmd_err(c, "missing start or stop");
	if (strcmp(w, "start") == 0) {
		cmd->op = APP_RX_START;
		if (app_cmd_port(c, cmd) != 0)
			return -EINVAL;
	} else if (strcmp(w, "stop") == 0) {
		cmd->op = APP_RX_STOP;
	} else {
		return app_cmd_err(c, "unknown '%s' (start, stop)", w);
	}
	return app_cmd_end(c, NULL);
}

static int
app_show_rx_parse(struct app_cmd_ctx *c, struct app_cmd *cmd)
{
	return app_cmd_end(c, &cmd->json);
}

static int
app_clear_rx_parse(struct app_cmd_ctx *c, struct app_cmd *cmd)
{
	(void)cmd;
	return app_cmd_end(c, NULL);
}

#ifndef APP_CMD_PARSE_ONLY
static int
app_rx_exec(struct app *app, const struct app_cmd *c, struct app_err *e)
{
	struct app_port *p;
	int rc;

	if (c->op == APP_RX_STOP) {
		if (!app->rx.on)
			return app_fail(e, -EALREADY, "rx stop: receive counting is off");
		app_rx_stop(app);
		return 0;
	}
	rc = app_port_get(app, c->port, true, "rx start", e, &p);
	if (rc == 0)
		app_rx_start(app, c->port);
	return rc;
}

static int
app_show_rx_exec(struct app *app, const struct app_cmd *c, struct app_err *e)
{
	RTE_SET_USED(e);
	app_rx_drain(app, 0);
	app_rx_show(app, stdout, app_cli_json(app, c));
	return 0;
}

static int
app_clear_rx_exec(struct app *app, const struct app_cmd *c, struct app_err *e)
{
	RTE_SET_USED(c);
	RTE_SET_USED(e);
	app_rx_clear(app);
	return 0;
}
#endif /* APP_CMD_PARSE_ONLY */

static const struct app_cmd_def app_cmd_rx_def = {
	.name = "rx",
	.words = "start#stop",
	.usage = "rx start <port> | rx stop",
	.what = "count the generator's frames received on a port",
	.rank = 110,
	.parse = app_rx_parse,
	.exec = APP_CMD_EXEC(app_rx_exec),
};
APP_CMD_REGISTER(app_cmd_rx_def)

static const struct app_cmd_def app_cmd_show_rx_def = {
	.name = "show",
	.sub = "rx",
	.usage = "show rx [json]",
	.what = "receive counting: received, lost, gaps, reordered, latency",
	.rank = 34,
	.parse = app_show_rx_parse,
	.exec = APP_CMD_EXEC(app_show_rx_exec),
};
APP_CMD_REGISTER(app_cmd_show_rx_def)

static const struct app_cmd_def app_cmd_clear_rx_def = {
	.name = "clear",
	.sub = "rx",
	.usage = "clear rx",
	.what = "zero the receive counters",
	.rank = 41,
	.parse = app_clear_rx_parse,
	.exec = APP_CMD_EXEC(app_clear_rx_exec),
};
APP_CMD_REGISTER(app_cmd_clear_rx_def)
