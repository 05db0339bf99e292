/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Commands: class add|change|replace|del (tc class syntax), show class
 * (tc -s class show).
 *
 * As for qdiscs, the app knows no discipline: the words after the class id
 * go to the library's sn_class_parse() (the kind, then that discipline's
 * own class words), and classes are printed by sn_class_print(). Without
 * `txq`, a port's every transmit queue gets the class (each queue has its
 * own tree: see docs/qdiscs.md).
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
#include <sn_mq.h>
#include <sn_netdev.h>
#include <sn_qdisc.h>
#include <sn_sched.h>

#include "cli.h"
#endif

enum { APP_CLASS_ADD, APP_CLASS_CHANGE, APP_CLASS_REPLACE, APP_CLASS_DEL, APP_CLASS_SHOW };

/* ---- grammar ---- */

/* A class id after @what: MAJ:MIN, both non-zero (hex, as tc). */
static int
app_cmd_classid(struct app_cmd_ctx *c, const char *what, uint32_t *id)
{
	const char *w = app_cmd_next(c);

	if (w == NULL)
		return app_cmd_err(c, "%s: missing class id (MAJ:MIN, e.g. 1:10)", what);
	if (sn_tc_parse_handle(w, id) != 0 || (*id >> 16) == 0)
		return app_cmd_err(c, "%s: '%s' is not a class id (MAJ:MIN, e.g. 1:10)", what, w);
	return 0;
}

static int
app_show_class_parse(struct app_cmd_ctx *c, struct app_cmd *cmd)
{
	cmd->op = APP_CLASS_SHOW;
	if (app_cmd_accept(c, "dev") && app_cmd_port(c, cmd) != 0)
		return -EINVAL;
	return app_cmd_end(c, &cmd->json);
}

static int
app_class_parse(struct app_cmd_ctx *c, struct app_cmd *cmd)
{
	const char *verb = app_cmd_next(c);

	if (verb == NULL)
		return app_cmd_err(c, "missing add, change, replace, del or show");
	if (strcmp(verb, "add") == 0)
		cmd->op = APP_CLASS_ADD;
	else if (strcmp(verb, "change") == 0)
		cmd->op = APP_CLASS_CHANGE;
	else if (strcmp(verb, "replace") == 0)
		cmd->op = APP_CLASS_REPLACE;
	else if (strcmp(verb, "del") == 0 || strcmp(verb, "delete") == 0)
		cmd->op = APP_CLASS_DEL;
	else if (strcmp(verb, "show") == 0 || strcmp(verb, "ls") == 0 ||
		 strcmp(verb, "list") == 0)
		return app_show_class_parse(c, cmd);
	else
		return app_cmd_err(c, "unknown verb '%s' (add, change, replace, del, show)", verb);
	if (app_cmd_dev_txq(c, cmd) != 0)
		return -EINVAL;
	if (app_cmd_accept(c, "parent")) {
		if (app_cmd_classid(c, "parent", &cmd->parent) != 0)
			return -EINVAL;
		cmd->has_parent = true;
	} else if (app_cmd_accept(c, "root")) {
		return app_cmd_err(c, "root: a class goes under its qdisc: 'parent 1:'");
	}
	if (!app_cmd_accept(c, "classid"))
		return app_cmd_err(c, app_cmd_peek(c) ? "expected 'classid MAJ:MIN' before '%s'"
						      : "missing 'classid MAJ:MIN'%s",
				   app_cmd_peek(c) ? app_cmd_peek(c) : "");
	if (app_cmd_classid(c, "classid", &cmd->classid) != 0)
		return -EINVAL;
	if ((cmd->classid & 0xffff) == 0)
		return app_cmd_err(c, "classid: a class needs a minor (1:10, not 1:)");
	if (cmd->op == APP_CLASS_ADD && !cmd->has_parent)
		return app_cmd_err(c, "missing 'parent MAJ:[MIN]' (the qdisc or the parent class)");
	cmd->nb_words = app_cmd_rest(c, cmd->words, APP_CMD_TOKENS_MAX);
	if (cmd->op == APP_CLASS_DEL && cmd->nb_words > 1)
		return app_cmd_err(c, "unexpected '%s'", cmd->words[1]);
	if (cmd->op != APP_CLASS_DEL && cmd->nb_words == 0)
		return app_cmd_err(c, "missing the class kind (htb, ...) and its parameters");
	return 0;
}

#ifndef APP_CMD_PARSE_ONLY
/* ---- handlers ---- */

static int
app_mq_classes(struct sn_netdev *dev, uint16_t txq, unsigned int flags, char *buf, size_t len)
{
	RTE_SET_USED(txq);
	return sn_mq_class_print(dev, flags, buf, len);
}

static const char *
app_class_errstr(int rc)
{
	switch (rc) {
	case -ENOENT:
		return "no such qdisc or class";
	case -EOPNOTSUPP:
		return "that qdisc has no classes of this kind";
	case -EBUSY:
		return "the class has child classes";
	case -ENOSPC:
		return "too many classes";
	default:
		return strerror(-rc);
	}
}

/* One queue's tree: add or change the class (@arg: its parameters), or delete it. */
static int
app_class_op(struct app_port *p, uint16_t txq, const struct app_cmd *c, const void *arg,
	     char *err, size_t errlen)
{
	struct sn_qdisc_stats st;
	int rc;

	/* tc's rules: add makes a new class, change an existing one, replace either. */
	if (c->op == APP_CLASS_ADD || c->op == APP_CLASS_CHANGE) {
		rc = sn_class_stats(p->dev, txq, c->classid, &st);
		if (c->op == APP_CLASS_ADD && rc == 0) {
			snprintf(err, errlen, "the class exists (class change, or replace)");
			return -EEXIST;
		}
		if (c->op == APP_CLASS_CHANGE && rc == -ENOENT) {
			snprintf(err, errlen, "no such class (class add, or replace)");
			return -ENOENT;
		}
	}
	if (c->op == APP_CLASS_DEL)
		rc = sn_class_delete(p->dev, txq, c->classid, err, errlen, NULL);
	else
		rc = sn_class_change(p->dev, txq, c->has_parent ? c->parent : 0, c->classid, arg,
				     err, errlen, NULL);
	if (rc != 0 && err[0] == '\0')
		snprintf(err, errlen, "%s", app_class_errstr(rc));
	return rc;
}

static int
app_class_exec(struct app *app, const struct app_cmd *c, struct app_err *e)
{
	const char *verb = c->op == APP_CLASS_ADD ? "class add" :
			   c->op == APP_CLASS_DEL ? "class del" :
			   c->op == APP_CLASS_CHANGE ? "class change" : "class replace";
	char perr[APP_CMD_ERR_SIZE] = "", id[16], what[32];
	struct sn_class_params cp;
	struct app_port *p;
	int rc;

	if (c->op == APP_CLASS_SHOW)
		return app_tree_show(app, c, "show class", sn_class_print, app_mq_classes, e);
	rc = app_port_get(app, c->port, true, verb, e, &p);
	if (rc != 0)
		return rc;
	if (c->op != APP_CLASS_DEL) {
		rc = sn_class_parse(c->nb_words, c->words, &cp, perr, sizeof(perr));
		if (rc != 0)
			return app_fail(e, rc, "%s: %s", verb, perr[0] ? perr : app_class_errstr(rc));
	}
	sn_tc_format_handle(id, sizeof(id), c->classid);
	snprintf(what, sizeof(what), "class %s", id);
	return app_tree_each_txq(p, c, verb, what, app_class_op, &cp, e);
}

/* `help class`: the classful kinds, each with its class words. */
static void
app_class_help(void)
{
	const char *names[64];
	unsigned int n = sn_qdisc_kinds(names, RTE_DIM(names));

	printf("  classful kinds, with their class parameters:\n");
	for (unsigned int i = 0; i < n && i < RTE_DIM(names); i++) {
		const struct sn_qdisc_ops *ops = sn_qdisc_lookup(names[i]);

		if (ops != NULL && ops->cl_ops != NULL)
			printf("      %-12s %s\n", names[i],
			       ops->cl_ops->usage != NULL ? ops->cl_ops->usage : "");
	}
}
#endif /* APP_CMD_PARSE_ONLY */

static const struct app_cmd_def app_cmd_class_def = {
	.name = "class",
	.words = "add#change#replace#del#delete#show#ls#list",
	.usage = "class add|change|replace dev <port> [txq <n>] parent MAJ:[MIN] classid MAJ:MIN <kind> "
		 "[options] | class del dev <port> [txq <n>] classid MAJ:MIN | class show",
	.what = "add, change or remove a class of a classful qdisc (help class: the kinds and "
		"their class parameters)",
	.rank = 51,
	.parse = app_class_parse,
	.exec = APP_CMD_EXEC(app_class_exec),
	.help = APP_CMD_EXEC(app_class_help),
};
APP_CMD_REGISTER(app_cmd_class_def)

static const struct app_cmd_def app_cmd_show_class_def = {
	.name = "show",
	.sub = "class",
	.usage = "show class [dev <port>] [json]",
	.what = "every class with its counters, as tc -s class show",
	.rank = 32,
	.parse = app_show_class_parse,
	.exec = APP_CMD_EXEC(app_class_exec),
};
APP_CMD_REGISTER(app_cmd_show_class_def)
