/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Commands: filter add|del (a flower-like subset of tc filter's syntax),
 * show filter (tc -s filter show).
 *
 * The words after `parent MAJ:` go to the library's sn_filter_parse()
 * (prio, protocol, match fields, classid), which also writes its errors;
 * filters are listed by sn_filter_show(). Without `txq`, every transmit
 * queue's tree gets the filter.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sn_tc_units.h>

#include "cmd.h"
#include "cmd_tree.h"

#ifndef APP_CMD_PARSE_ONLY
#include <sn_class.h>
#include <sn_filter.h>
#include <sn_netdev.h>
#include <sn_qdisc.h>

#include "cli.h"
#endif

enum { APP_FILTER_ADD, APP_FILTER_DEL, APP_FILTER_SHOW };

/* ---- grammar ---- */

static int
app_show_filter_parse(struct app_cmd_ctx *c, struct app_cmd *cmd)
{
	cmd->op = APP_FILTER_SHOW;
	if (app_cmd_accept(c, "dev") && app_cmd_port(c, cmd) != 0)
		return -EINVAL;
	return app_cmd_end(c, &cmd->json);
}

static int
app_filter_parse(struct app_cmd_ctx *c, struct app_cmd *cmd)
{
	const char *verb = app_cmd_next(c), *w;
	uint64_t v;

	if (verb == NULL)
		return app_cmd_err(c, "missing add, del or show");
	if (strcmp(verb, "add") == 0)
		cmd->op = APP_FILTER_ADD;
	else if (strcmp(verb, "del") == 0 || strcmp(verb, "delete") == 0)
		cmd->op = APP_FILTER_DEL;
	else if (strcmp(verb, "show") == 0 || strcmp(verb, "ls") == 0 ||
		 strcmp(verb, "list") == 0)
		return app_show_filter_parse(c, cmd);
	else
		return app_cmd_err(c, "unknown verb '%s' (add, del, show)", verb);
	if (app_cmd_dev_txq(c, cmd) != 0)
		return -EINVAL;
	if (!app_cmd_accept(c, "parent"))
		return app_cmd_err(c, app_cmd_peek(c) ? "expected 'parent MAJ:' before '%s'"
						      : "missing 'parent MAJ:'%s",
				   app_cmd_peek(c) ? app_cmd_peek(c) : "");
	w = app_cmd_next(c);
	if (w == NULL || sn_tc_parse_handle(w, &cmd->parent) != 0 || cmd->parent == 0 ||
	    (cmd->parent & 0xffff) != 0)
		return app_cmd_err(c, "parent: '%s' is not a qdisc handle (MAJ:, e.g. 1:)",
				   w != NULL ? w : "");
	cmd->has_parent = true;
	if (cmd->op == APP_FILTER_DEL) {
		/* `filter del dev X parent 1: [prio N]`: no prio, every filter. */
		if (app_cmd_accept(c, "prio") || app_cmd_accept(c, "pref")) {
			if (app_cmd_num(c, "prio", 1, UINT32_MAX, &v) != 0)
				return -EINVAL;
			cmd->classid = (uint32_t)v;
		}
		return app_cmd_end(c, NULL);
	}
	cmd->nb_words = app_cmd_rest(c, cmd->words, APP_CMD_TOKENS_MAX);
	if (cmd->nb_words == 0)
		return app_cmd_err(c, "missing the filter: [prio N] [protocol P] match ... classid "
				   "MAJ:MIN");
	return 0;
}

#ifndef APP_CMD_PARSE_ONLY
/* ---- handlers ---- */

/* One queue's tree: add the filter (@arg), or delete those of a priority. */
static int
app_filter_op(struct app_port *p, uint16_t txq, const struct app_cmd *c, const void *arg,
	      char *err, size_t errlen)
{
	if (c->op == APP_FILTER_ADD)
		return sn_filter_add(p->dev, txq, c->parent, arg, err, errlen, NULL);
	return sn_filter_del(p->dev, txq, c->parent, c->classid, err, errlen, NULL);
}

static int
app_filter_exec(struct app *app, const struct app_cmd *c, struct app_err *e)
{
	const char *verb = c->op == APP_FILTER_ADD ? "filter add" : "filter del";
	char perr[APP_CMD_ERR_SIZE] = "", id[16], what[32];
	struct sn_filter_spec f;
	struct app_port *p;
	int rc;

	if (c->op == APP_FILTER_SHOW)
		return app_tree_show(app, c, "show filter", sn_filter_show, NULL, e);
	rc = app_port_get(app, c->port, true, verb, e, &p);
	if (rc != 0)
		return rc;
	if (c->op == APP_FILTER_ADD) {
		rc = sn_filter_parse(c->nb_words, c->words, &f, perr, sizeof(perr));
		if (rc != 0)
			return app_fail(e, rc, "%s: %s", verb, perr);
	}
	sn_tc_format_handle(id, sizeof(id), c->parent);
	snprintf(what, sizeof(what), "parent %s", id);
	return app_tree_each_txq(p, c, verb, what, app_filter_op, &f, e);
}

static void
app_filter_help(void)
{
	printf("  filter words: [prio N] [protocol ip|ipv6|arp|802.1q|802.1ad|0xNNNN]\n"
	       "    match [vlan_id N] [vlan_prio N] [ip src|dst A.B.C.D/LEN]\n"
	       "          [ip6 src|dst X::Y/LEN] [ip dscp N] [ip proto tcp|udp|sctp|icmp|N]\n"
	       "          [ip sport N[-M]] [ip dport N[-M]]\n"
	       "    classid MAJ:MIN (also flowid)\n"
	       "  filters are tried in prio order; the first match gives the class; none: the\n"
	       "  qdisc's default. A packet's priority naming a class (1:10) skips them.\n");
}
#endif /* APP_CMD_PARSE_ONLY */

static const struct app_cmd_def app_cmd_filter_def = {
	.name = "filter",
	.words = "add#del#delete#show#ls#list",
	.usage = "filter add dev <port> [txq <n>] parent MAJ: [prio N] [protocol P] match ... "
		 "classid MAJ:MIN | filter del dev <port> [txq <n>] parent MAJ: [prio N] | "
		 "filter show",
	.what = "classify packets into a classful qdisc's classes (help filter: the match "
		"fields)",
	.rank = 52,
	.parse = app_filter_parse,
	.exec = APP_CMD_EXEC(app_filter_exec),
	.help = APP_CMD_EXEC(app_filter_help),
};
APP_CMD_REGISTER(app_cmd_filter_def)

static const struct app_cmd_def app_cmd_show_filter_def = {
	.name = "show",
	.sub = "filter",
	.usage = "show filter [dev <port>] [json]",
	.what = "every filter with its match counters, as tc -s filter show",
	.rank = 33,
	.parse = app_show_filter_parse,
	.exec = APP_CMD_EXEC(app_filter_exec),
};
APP_CMD_REGISTER(app_cmd_show_filter_def)
