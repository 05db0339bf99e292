/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shared by the qdisc, class and filter commands (cmd_tree.h): their
 * `dev <port> [txq <n>]` words, a change run on the queues whose tree has
 * the qdisc it names, and the printing of the library's tree describers.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_tree.h"

#ifndef APP_CMD_PARSE_ONLY
#include <sn_mq.h>
#include <sn_netdev.h>
#include <sn_qdisc.h>

#include "cli.h"
#endif

int
app_cmd_dev_txq(struct app_cmd_ctx *c, struct app_cmd *cmd)
{
	uint64_t v;

	if (!app_cmd_accept(c, "dev"))
		return app_cmd_err(c, app_cmd_peek(c) ? "expected 'dev' before '%s'"
						      : "missing 'dev <port>'%s",
				   app_cmd_peek(c) ? app_cmd_peek(c) : "");
	if (app_cmd_port(c, cmd) != 0)
		return -EINVAL;
	if (app_cmd_accept(c, "txq")) {
		if (app_cmd_num(c, "txq", 0, APP_CMD_TXQ_MAX, &v) != 0)
			return -EINVAL;
		cmd->has_txq = true;
		cmd->txq = (uint16_t)v;
	}
	return 0;
}

#ifndef APP_CMD_PARSE_ONLY
int
app_tree_each_txq(struct app_port *p, const struct app_cmd *c, const char *verb,
		  const char *what, app_tree_op op, const void *arg, struct app_err *e)
{
	char err[APP_CMD_ERR_SIZE], first_err[APP_CMD_ERR_SIZE] = "";
	uint16_t nb = sn_netdev_nb_txq(p->dev), q0, q1;
	bool changed = false;
	int first_rc = 0, rc;

	if (c->has_txq && c->txq >= nb)
		return app_fail(e, -EINVAL, "%s: txq %u is out of range 0..%u (port %u has %u txq%s)",
				verb, c->txq, nb - 1, c->port, nb, nb == 1 ? "" : "s");
	q0 = c->has_txq ? c->txq : 0;
	q1 = c->has_txq ? c->txq : (uint16_t)(nb - 1);
	for (uint16_t q = q0; q <= q1; q++) {
		err[0] = '\0';
		rc = op(p, q, c, arg, err, sizeof(err));
		/* A queue whose tree lacks that qdisc (under mq, all but one). */
		if (rc == -ENOENT && !c->has_txq && strstr(err, "no qdisc with this handle")) {
			if (first_rc == 0) {
				first_rc = rc;
				snprintf(first_err, sizeof(first_err), "%s", err);
			}
			continue;
		}
		if (rc != 0)
			return app_fail(e, rc, "%s: port %u txq %u %s: %s%s", verb, c->port, q, what,
					err[0] ? err : strerror(-rc),
					changed ? "" : " (nothing changed)");
		changed = true;
	}
	if (!changed)
		return app_fail(e, first_rc, "%s: port %u %s: %s (nothing changed)", verb, c->port,
				what, first_err);
	return 0;
}

int
app_tree_print(app_tree_fn fn, struct sn_netdev *dev, uint16_t txq, unsigned int flags,
	       bool merge, bool *first)
{
	char buf[4096], *text = buf;
	int n = fn(dev, txq, flags, buf, sizeof(buf));

	if (n < 0)
		return n;
	if ((size_t)n >= sizeof(buf)) {
		/* Again, with room for all of it (it may have grown meanwhile). */
		size_t len = (size_t)n + 1024;

		text = malloc(len);
		if (text == NULL || fn(dev, txq, flags, text, len) < 0) {
			free(text);
			text = buf;
		}
	}
	if ((flags & SN_QDISC_PRINT_JSON) && merge && text[0] == '[') {
		size_t len = strlen(text);

		/* "[a, b]": its elements join the caller's array. */
		if (len > 2) {
			printf("%s%.*s", *first ? "" : ", ", (int)(len - 2), text + 1);
			*first = false;
		}
	} else if ((flags & SN_QDISC_PRINT_JSON) && merge) {
		/* One object: one element. */
		printf("%s%s", *first ? "" : ", ", text);
		*first = false;
	} else {
		/* Text ends with a newline, JSON does not. */
		printf("%s%s", text, (flags & SN_QDISC_PRINT_JSON) ? "\n" : "");
	}
	if (text != buf)
		free(text);
	return n;
}

int
app_tree_show(struct app *app, const struct app_cmd *c, const char *cmd, app_tree_fn fn,
	      app_tree_fn mq_fn, struct app_err *e)
{
	return app_tree_show_as(app, c, cmd, fn, mq_fn, true, e);
}

int
app_tree_show_as(struct app *app, const struct app_cmd *c, const char *cmd, app_tree_fn fn,
		 app_tree_fn mq_fn, bool array, struct app_err *e)
{
	unsigned int flags = SN_QDISC_PRINT_STATS;
	bool first = true;

	if (app_cli_json(app, c))
		flags |= SN_QDISC_PRINT_JSON;
	else
		array = false;
	if (c->has_port) {
		struct app_port *p;
		int rc = app_port_get(app, c->port, true, cmd, e, &p);

		if (rc != 0)
			return rc;
	}
	if (array)
		printf("[");
	for (uint16_t id = 0; id < APP_MAX_PORTS; id++) {
		struct sn_netdev *dev = app->ports[id].dev;

		if (dev == NULL || (c->has_port && id != c->port))
			continue;
		if (mq_fn != NULL && sn_mq_get(dev, NULL) == 0) {
			app_tree_print(mq_fn, dev, 0, flags, array, &first);
			continue;
		}
		for (uint16_t q = 0; q < sn_netdev_nb_txq(dev); q++)
			app_tree_print(fn, dev, q, flags, array, &first);
	}
	if (array)
		printf("]\n");
	return 0;
}
#endif /* APP_CMD_PARSE_ONLY */
