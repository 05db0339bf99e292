/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Commands: qdisc add|replace|del (tc syntax), root or `parent MAJ:MIN` (a
 * class's qdisc), show qdisc (tc -s qdisc show: the whole tree).
 *
 * The app knows no discipline: the words after `root` go to the library's
 * sn_qdisc_parse() (kind, `handle`, softnet's switches, the discipline's own
 * options and its error text), the qdiscs are printed by sn_qdisc_print(),
 * and `help qdisc` lists the registered kinds with their own usage lines. A
 * discipline registered with sn_qdisc_register(), in the library or in an
 * EAL plugin (-d), is usable here as it is.
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

enum { APP_QDISC_ADD, APP_QDISC_REPLACE, APP_QDISC_DEL, APP_QDISC_SHOW };

#define APP_QDISC_KINDS_MAX 64
#define APP_QDISC_AUTO_HANDLE 0x80010000u /* 8001: */

/* ---- grammar ---- */

static int
app_dev_txq(struct app_cmd_ctx *c, struct app_cmd *cmd)
{
	if (app_cmd_dev_txq(c, cmd) != 0)
		return -EINVAL;
	if (app_cmd_accept(c, "root"))
		return 0;
	if (app_cmd_accept(c, "parent")) {
		const char *w = app_cmd_next(c);

		if (w == NULL)
			return app_cmd_err(c, "parent: missing class id (MAJ:MIN, e.g. 1:20)");
		if (sn_tc_parse_handle(w, &cmd->parent) != 0 || (cmd->parent & 0xffff) == 0 ||
		    (cmd->parent >> 16) == 0)
			return app_cmd_err(c, "parent: '%s' is not a class id (MAJ:MIN, e.g. 1:20)",
					   w);
		cmd->has_parent = true;
		return 0;
	}
	return app_cmd_err(c, app_cmd_peek(c) ? "expected 'root' or 'parent MAJ:MIN' before '%s'"
					      : "missing 'root' or 'parent MAJ:MIN'%s",
			   app_cmd_peek(c) ? app_cmd_peek(c) : "");
}

/* `[dev <port>] [json]` of show qdisc. */
static int
app_show_qdisc_parse(struct app_cmd_ctx *c, struct app_cmd *cmd)
{
	cmd->op = APP_QDISC_SHOW;
	if (app_cmd_accept(c, "dev") && app_cmd_port(c, cmd) != 0)
		return -EINVAL;
	return app_cmd_end(c, &cmd->json);
}

static int
app_qdisc_parse(struct app_cmd_ctx *c, struct app_cmd *cmd)
{
	const char *verb = app_cmd_next(c);

	if (verb == NULL)
		return app_cmd_err(c, "missing add, replace or del");
	if (strcmp(verb, "add") == 0)
		cmd->op = APP_QDISC_ADD;
	else if (strcmp(verb, "replace") == 0 || strcmp(verb, "change") == 0)
		cmd->op = APP_QDISC_REPLACE;
	else if (strcmp(verb, "del") == 0 || strcmp(verb, "delete") == 0)
		cmd->op = APP_QDISC_DEL;
	else if (strcmp(verb, "show") == 0 || strcmp(verb, "ls") == 0 ||
		 strcmp(verb, "list") == 0)
		return app_show_qdisc_parse(c, cmd);
	else
		return app_cmd_err(c, "unknown verb '%s' (add, replace, del, show)", verb);
	if (app_dev_txq(c, cmd) != 0)
		return -EINVAL;
	/*
	 * The rest is the discipline's: the handler hands it to sn_qdisc_parse().
	 * tc takes a kind after `root` on del too (and ignores it): so do we.
	 */
	cmd->nb_words = app_cmd_rest(c, cmd->words, APP_CMD_TOKENS_MAX);
	if (cmd->op == APP_QDISC_DEL && cmd->nb_words > 1)
		return app_cmd_err(c, "unexpected '%s'", cmd->words[1]);
	if (cmd->op != APP_QDISC_DEL && cmd->nb_words == 0)
		return app_cmd_err(c, "missing qdisc kind (help qdisc lists them)");
	return 0;
}

#ifndef APP_CMD_PARSE_ONLY
/* ---- handlers ---- */

static int app_qdisc_show(struct app *app, const struct app_cmd *c, struct app_err *e);
static const char *app_qdisc_errstr(int rc);

/* A qdisc as parsed: its kind and parameters. */
struct app_qdisc_spec {
	char kind[SN_QDISC_KIND_SIZE];
	struct sn_qdisc_params prm;
};

/* One queue's tree: the class's qdisc becomes @arg's (NULL: the default). */
static int
app_qdisc_graft_op(struct app_port *p, uint16_t txq, const struct app_cmd *c, const void *arg,
		   char *err, size_t errlen)
{
	const struct app_qdisc_spec *spec = arg;
	uint32_t cur;
	int rc;

	/* tc's rules: add over a qdisc of the class's own is refused, del of the default too. */
	if ((c->op == APP_QDISC_ADD || c->op == APP_QDISC_DEL) &&
	    sn_class_leaf(p->dev, txq, c->parent, &cur) == 0) {
		char h[16];

		sn_tc_format_handle(h, sizeof(h), cur);
		if (c->op == APP_QDISC_ADD && cur != 0) {
			snprintf(err, errlen, "the class has qdisc %s already (use replace, or del it "
				 "first)", h);
			return -EEXIST;
		}
		if (c->op == APP_QDISC_DEL && cur == 0) {
			snprintf(err, errlen, "the class has only its default qdisc");
			return -ENOENT;
		}
	}
	rc = sn_qdisc_graft(p->dev, txq, c->parent, spec != NULL ? spec->kind : NULL,
			    spec != NULL ? &spec->prm : NULL, err, errlen, NULL);

	if (rc != 0 && err[0] == '\0')
		snprintf(err, errlen, "%s", app_qdisc_errstr(rc));
	return rc;
}

/*
 * `qdisc add|replace|del dev X parent 1:20 ...`: a class's qdisc, on every
 * queue whose tree has that class (or the one `txq` names). All queues are
 * checked by the library before the first changes: it refuses without
 * changing anything, so a refusal on queue 0 leaves every queue as it was.
 */
static int
app_qdisc_graft(struct app_port *p, const struct app_cmd *c, const char *verb,
		struct app_err *e)
{
	char perr[APP_CMD_ERR_SIZE] = "", id[16];
	struct app_qdisc_spec spec;
	char what[32];
	uint32_t mq;
	int rc;

	memset(&spec, 0, sizeof(spec));
	sn_tc_format_handle(id, sizeof(id), c->parent);
	if (c->op != APP_QDISC_DEL) {
		rc = sn_qdisc_parse(c->nb_words, c->words, spec.kind, &spec.prm, perr,
				    sizeof(perr));
		if (rc != 0)
			return app_fail(e, rc, "qdisc: %s", perr[0] ? perr : app_qdisc_errstr(rc));
	}
	/* mq's classes are the port's queues: 1:2 is txq 1's root. */
	if (sn_mq_get(p->dev, &mq) == 0 && (c->parent & 0xffff0000u) == mq) {
		if (c->has_txq)
			return app_fail(e, -EINVAL, "%s: parent %s is a queue of mq: no txq", verb, id);
		rc = sn_mq_graft(p->dev, c->parent, c->op == APP_QDISC_DEL ? NULL : spec.kind,
				 &spec.prm, NULL);
		if (rc != 0)
			return app_fail(e, rc, "%s: port %u parent %s: %s (nothing changed)", verb,
					c->port, id, rc == -EINVAL ? "no such mq class, or the handle "
					"is taken" : app_qdisc_errstr(rc));
		return 0;
	}
	/* Without txq: every queue whose tree has that class's qdisc. */
	snprintf(what, sizeof(what), "parent %s", id);
	return app_tree_each_txq(p, c, verb, what, app_qdisc_graft_op,
				 c->op == APP_QDISC_DEL ? NULL : &spec, e);
}

/*
 * `qdisc add|replace dev X root [handle H:] mq` and `qdisc del dev X root`
 * under mq: the port's root, over every queue (sn_mq.h).
 * @return 1 if the command was not about mq (the caller goes on).
 */
static int
app_qdisc_mq(struct app_port *p, const struct app_cmd *c, const char *verb, struct app_err *e)
{
	uint32_t handle = 0, cur;
	bool is_mq = false, has_mq = sn_mq_get(p->dev, &cur) == 0;
	int rc;

	for (int i = 0; i < c->nb_words; i++) {
		if (strcmp(c->words[i], "handle") == 0 && i + 1 < c->nb_words) {
			if (sn_tc_parse_handle(c->words[++i], &handle) != 0 || (handle & 0xffff) != 0)
				return app_fail(e, -EINVAL, "qdisc: handle: '%s' is not a qdisc handle "
						"(MAJ:, hex, e.g. 1:)", c->words[i]);
		} else if (strcmp(c->words[i], "mq") == 0) {
			is_mq = true;
		} else if (is_mq || i == c->nb_words - 1) {
			if (is_mq)
				return app_fail(e, -EINVAL, "qdisc: %s: mq takes no options "
						"(mq [handle MAJ:])", c->words[i]);
		}
	}
	if (c->op == APP_QDISC_DEL && has_mq && !c->has_txq) {
		rc = sn_mq_detach(p->dev, NULL);
		return rc != 0 ? app_fail(e, rc, "%s: port %u: %s", verb, c->port, strerror(-rc)) : 0;
	}
	if (!is_mq || c->op == APP_QDISC_DEL)
		return 1;
	if (c->has_txq)
		return app_fail(e, -EINVAL, "%s: mq is the root of the whole port: no txq", verb);
	if (c->op == APP_QDISC_ADD && has_mq)
		return app_fail(e, -EEXIST, "%s: port %u already has mq (use replace, or del it "
				"first)", verb, c->port);
	for (uint16_t q = 0; q < sn_netdev_nb_txq(p->dev); q++)
		if (c->op == APP_QDISC_ADD && p->user_qdisc[q])
			return app_fail(e, -EEXIST, "%s: port %u txq %u already has a root qdisc "
					"(use replace, or del it first)", verb, c->port, q);
	rc = sn_mq_attach(p->dev, handle, NULL);
	if (rc == -EOPNOTSUPP)
		return app_fail(e, rc, "%s: port %u has one txq: mq needs several (port config "
				"%u txqs N)", verb, c->port, c->port);
	if (rc != 0)
		return app_fail(e, rc, "%s: port %u: %s", verb, c->port, app_qdisc_errstr(rc));
	for (uint16_t q = 0; q < sn_netdev_nb_txq(p->dev); q++)
		p->user_qdisc[q] = false;
	return 0;
}

static const char *
app_qdisc_errstr(int rc)
{
	switch (rc) {
	case -EOPNOTSUPP:
		return "the discipline cannot take these switches";
	case -EINVAL:
		return "a parameter is out of range for this discipline";
	case -ENOENT:
		return "unknown qdisc kind";
	case -ENOMEM:
		return "out of memory";
	default:
		return strerror(-rc);
	}
}

static int
app_qdisc_exec(struct app *app, const struct app_cmd *c, struct app_err *e)
{
	const char *verb = c->op == APP_QDISC_ADD ? "qdisc add" :
			   c->op == APP_QDISC_DEL ? "qdisc del" : "qdisc replace";
	char kind[SN_QDISC_KIND_SIZE] = "", perr[APP_CMD_ERR_SIZE] = "";
	struct sn_qdisc_params prm;
	struct app_port *p;
	uint16_t nb, q0, q1;
	int rc;

	if (c->op == APP_QDISC_SHOW)
		return app_qdisc_show(app, c, e);
	rc = app_port_get(app, c->port, true, verb, e, &p);
	if (rc != 0)
		return rc;
	nb = sn_netdev_nb_txq(p->dev);
	if (c->has_txq && c->txq >= nb)
		return app_fail(e, -EINVAL, "%s: txq %u is out of range 0..%u (port %u has %u txq%s)",
				verb, c->txq, nb - 1, c->port, nb, nb == 1 ? "" : "s");
	if (c->has_parent)
		return app_qdisc_graft(p, c, verb, e);
	rc = app_qdisc_mq(p, c, verb, e);
	if (rc != 1)
		return rc;
	/* Everything is checked before anything changes. */
	memset(&prm, 0, sizeof(prm));
	if (c->op == APP_QDISC_DEL) {
		if (c->nb_words == 1 && sn_qdisc_lookup(c->words[0]) == NULL)
			return app_fail(e, -ENOENT, "%s: unknown qdisc kind '%s' (help qdisc lists "
					"them)", verb, c->words[0]);
	} else {
		rc = sn_qdisc_parse(c->nb_words, c->words, kind, &prm, perr, sizeof(perr));
		if (rc != 0)
			return app_fail(e, rc, "qdisc: %s", perr[0] ? perr : app_qdisc_errstr(rc));
		/* No handle given: 8001:, as the kernel numbers the first unnamed qdisc. */
		if (prm.handle == 0)
			prm.handle = APP_QDISC_AUTO_HANDLE;
	}
	q0 = c->has_txq ? c->txq : 0;
	q1 = c->has_txq ? c->txq : (uint16_t)(nb - 1);
	for (uint16_t q = q0; q <= q1; q++) {
		if (c->op == APP_QDISC_ADD && p->user_qdisc[q])
			return app_fail(e, -EEXIST, "%s: port %u txq %u already has a root qdisc "
					"(use replace, or del it first)", verb, c->port, q);
		if (c->op == APP_QDISC_DEL && !p->user_qdisc[q])
			return app_fail(e, -ENOENT, "%s: port %u txq %u has no added qdisc (the "
					"default cannot be deleted)", verb, c->port, q);
	}
	for (uint16_t q = q0; q <= q1; q++) {
		if (c->op == APP_QDISC_DEL)
			rc = sn_qdisc_delete(p->dev, q, NULL);
		else
			rc = sn_qdisc_replace(p->dev, q, kind, &prm, NULL);
		if (rc != 0) {
			if (q == q0)
				return app_fail(e, rc, "%s: port %u txq %u: %s (nothing changed)", verb,
						c->port, q, app_qdisc_errstr(rc));
			return app_fail(e, rc, "%s: port %u txq %u: %s (txq %u..%u were changed)",
					verb, c->port, q, app_qdisc_errstr(rc), q0, q - 1);
		}
		p->user_qdisc[q] = c->op != APP_QDISC_DEL;
	}
	return 0;
}

static int
app_mq_qdiscs(struct sn_netdev *dev, uint16_t txq, unsigned int flags, char *buf, size_t len)
{
	RTE_SET_USED(txq);
	return sn_mq_print(dev, flags, buf, len);
}

/*
 * `show qdisc [dev <port>] [json]`: every queue's tree, or mq's layout. JSON:
 * one object for a single queue (the usual port), one array when several
 * queues (or an mq root) are shown, so that the output is one document.
 */
static int
app_qdisc_show(struct app *app, const struct app_cmd *c, struct app_err *e)
{
	unsigned int trees = 0;

	for (uint16_t id = 0; id < APP_MAX_PORTS; id++) {
		struct sn_netdev *dev = app->ports[id].dev;

		if (dev != NULL && (!c->has_port || id == c->port))
			trees += sn_mq_get(dev, NULL) == 0 ? 2 : sn_netdev_nb_txq(dev);
	}
	return app_tree_show_as(app, c, "show qdisc", sn_qdisc_print, app_mq_qdiscs, trees > 1, e);
}

/* `help qdisc`: the kinds the library has now, each with its own usage. */
static void
app_qdisc_help(void)
{
	const char *names[APP_QDISC_KINDS_MAX];
	unsigned int n = sn_qdisc_kinds(names, APP_QDISC_KINDS_MAX);

	printf("  kinds (registered disciplines), with their options:\n");
	for (unsigned int i = 0; i < n && i < APP_QDISC_KINDS_MAX; i++) {
		const struct sn_qdisc_ops *ops = sn_qdisc_lookup(names[i]);

		printf("      %-12s %s\n", names[i],
		       ops != NULL && ops->usage != NULL ? ops->usage : "");
	}
	printf("  every kind also takes: [handle MAJ:] [nobypass] [nobusylock] [nolock] "
	       "[deferlist]\n");
}
#endif /* APP_CMD_PARSE_ONLY */

static const struct app_cmd_def app_cmd_qdisc_def = {
	.name = "qdisc",
	.words = "add#replace#change#del#delete#show#ls#list",
	.usage = "qdisc add|replace dev <port>|all [txq <n>] root <kind> [handle MAJ:] [<options>] | "
		 "qdisc add|replace dev <port>|all [txq <n>] parent MAJ:MIN <kind> [handle MAJ:] "
		 "[<options>] | qdisc del dev <port>|all [txq <n>] root | "
		 "qdisc del dev <port>|all [txq <n>] parent MAJ:MIN | "
		 "qdisc show|ls [dev <port>|all] [json]",
	.what = "attach, replace or remove a root qdisc, or a class's qdisc (parent 1:20); no "
		"txq: every queue (help qdisc: the kinds and their options)",
	.rank = 50,
	.parse = app_qdisc_parse,
	.exec = APP_CMD_EXEC(app_qdisc_exec),
	.help = APP_CMD_EXEC(app_qdisc_help),
};
APP_CMD_REGISTER(app_cmd_qdisc_def)

static const struct app_cmd_def app_cmd_show_qdisc_def = {
	.name = "show",
	.sub = "qdisc",
	.usage = "show qdisc [dev <port>|all] [json]",
	.what = "every root qdisc with its counters, as tc -s qdisc show",
	.rank = 31,
	.parse = app_show_qdisc_parse,
	.exec = APP_CMD_EXEC(app_qdisc_exec),
};
APP_CMD_REGISTER(app_cmd_show_qdisc_def)
