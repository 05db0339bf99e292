/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Commands: capture start|stop, show capture (capture.c: what left the
 * qdiscs of a port, into a pcapng file).
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"

#ifndef APP_CMD_PARSE_ONLY
#include "capture.h"
#include "cli.h"
#endif

#define APP_CAPTURE_SNAPLEN_MAX 65000

enum { APP_CAPTURE_START, APP_CAPTURE_STOP };

/*
 * capture start <port> [txq <n>] <file> [count <n>] [snaplen <n>]: the file
 * in words[0], the count in set.u64, the snaplen in set.size.size[0].
 */
static int
app_capture_parse(struct app_cmd_ctx *c, struct app_cmd *cmd)
{
	const char *w = app_cmd_next(c);
	uint64_t v;

	if (w == NULL)
		return app_cmd_err(c, "missing start or stop");
	if (strcmp(w, "stop") == 0) {
		cmd->op = APP_CAPTURE_STOP;
		return app_cmd_end(c, NULL);
	}
	if (strcmp(w, "start") != 0)
		return app_cmd_err(c, "unknown '%s' (start, stop)", w);
	cmd->op = APP_CAPTURE_START;
	/* One port (an id or a name, not `all`): one capture at a time. */
	if (app_cmd_port_one(c, cmd) != 0)
		return -EINVAL;
	if (app_cmd_accept(c, "txq")) {
		if (app_cmd_num(c, "txq", 0, APP_CMD_TXQ_MAX, &v) != 0)
			return -EINVAL;
		cmd->has_txq = true;
		cmd->txq = (uint16_t)v;
	}
	w = app_cmd_next(c);
	if (w == NULL)
		return app_cmd_err(c, "missing the file to write (a .pcapng path)");
	if (strcmp(w, "count") == 0 || strcmp(w, "snaplen") == 0 || strcmp(w, "txq") == 0)
		return app_cmd_err(c, "'%s' where the file name goes (the file comes first)", w);
	cmd->words[0] = w;
	cmd->nb_words = 1;
	while (app_cmd_peek(c) != NULL) {
		if (app_cmd_accept(c, "count")) {
			if (app_cmd_num(c, "count", 1, UINT64_MAX, &cmd->set.u64) != 0)
				return -EINVAL;
		} else if (app_cmd_accept(c, "snaplen")) {
			if (app_cmd_num(c, "snaplen", 1, APP_CAPTURE_SNAPLEN_MAX, &v) != 0)
				return -EINVAL;
			cmd->set.size.n = 1;
			cmd->set.size.size[0] = (uint32_t)v;
		} else {
			return app_cmd_err(c, "unexpected '%s' (count, snaplen)", app_cmd_peek(c));
		}
	}
	return 0;
}

static int
app_show_capture_parse(struct app_cmd_ctx *c, struct app_cmd *cmd)
{
	return app_cmd_end(c, &cmd->json);
}

#ifndef APP_CMD_PARSE_ONLY
static int
app_capture_exec(struct app *app, const struct app_cmd *c, struct app_err *e)
{
	struct app_capture_req r;
	int rc;

	if (c->op == APP_CAPTURE_STOP)
		return app_capture_stop(app->opts.quiet ? NULL : stdout, e);
	memset(&r, 0, sizeof(r));
	r.port = c->port;
	r.has_txq = c->has_txq;
	r.txq = c->txq;
	r.path = c->words[0];
	r.count = c->set.u64;
	r.snaplen = c->set.size.n ? c->set.size.size[0] : 0;
	rc = app_capture_start(app, &r, e);
	if (rc == 0 && !app->opts.quiet && !app->json_out) {
		printf("capture: port %u", r.port);
		if (r.has_txq)
			printf(" txq %u", r.txq);
		printf(" -> '%s'", r.path);
		if (r.count)
			printf(", count %lu", (unsigned long)r.count);
		printf("\n");
	}
	return rc;
}

static int
app_show_capture_exec(struct app *app, const struct app_cmd *c, struct app_err *e)
{
	RTE_SET_USED(e);
	app_capture_show(stdout, app_cli_json(app, c));
	return 0;
}
#endif /* APP_CMD_PARSE_ONLY */

static const struct app_cmd_def app_cmd_capture_def = {
	.name = "capture",
	.words = "start#stop",
	.usage = "capture start <port> [txq <n>] <file.pcapng> [count <n>] [snaplen <n>] | "
		 "capture stop",
	.what = "write what leaves the qdiscs of a port (before the driver) to a pcapng file",
	.rank = 115,
	.parse = app_capture_parse,
	.exec = APP_CMD_EXEC(app_capture_exec),
};
APP_CMD_REGISTER(app_cmd_capture_def)

static const struct app_cmd_def app_cmd_show_capture_def = {
	.name = "show",
	.sub = "capture",
	.usage = "show capture [json]",
	.what = "the capture: state, file, packets per txq, capture drops; dpdk-dumpcap",
	.rank = 35,
	.parse = app_show_capture_parse,
	.exec = APP_CMD_EXEC(app_show_capture_exec),
};
APP_CMD_REGISTER(app_cmd_show_capture_def)
