/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef APP_CMD_TREE_H
#define APP_CMD_TREE_H

/*
 * What the qdisc, class and filter families share (cmd_tree.c): the
 * `dev <port> [txq <n>]` words, running a change on every transmit queue
 * whose tree has the qdisc it names, and printing a library describer's
 * text whatever its length.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cmd.h"

/** `dev <port> [txq <n>]`, as every tree command starts. */
int app_cmd_dev_txq(struct app_cmd_ctx *c, struct app_cmd *cmd);

#ifndef APP_CMD_PARSE_ONLY
struct app;
struct app_err;
struct app_port;
struct sn_netdev;

/**
 * One change on one queue's tree: 0, or a negative errno with one line in
 * @p err (the library's).
 */
typedef int (*app_tree_op)(struct app_port *p, uint16_t txq, const struct app_cmd *c,
			   const void *arg, char *err, size_t errlen);

/**
 * Run @p op on queue `txq` of the command, or, without it, on every queue of
 * the port whose tree has the qdisc the command names (a queue answering
 * "no qdisc with this handle" is passed over; if every one does, that is
 * the error). The first refusal ends the run, its message naming the queue
 * and @p what ("class 1:10") and saying whether anything had changed.
 *
 * @return 0 or the refusal's negative errno (message in @p e).
 */
int app_tree_each_txq(struct app_port *p, const struct app_cmd *c, const char *verb,
		      const char *what, app_tree_op op, const void *arg, struct app_err *e);

/** A library describer of one queue's tree (sn_class_print(), sn_filter_show(), ...). */
typedef int (*app_tree_fn)(struct sn_netdev *dev, uint16_t txq, unsigned int flags, char *buf,
			   size_t len);

/**
 * Print what @p fn writes for (@p dev, @p txq), in a buffer as large as it
 * needs. With SN_QDISC_PRINT_JSON and @p merge, the text is a JSON array
 * whose elements are added to the array the caller printed the opening
 * bracket of (*@p first: no element yet); else it is printed as it is.
 *
 * @return @p fn's result (< 0: nothing printed).
 */
int app_tree_print(app_tree_fn fn, struct sn_netdev *dev, uint16_t txq, unsigned int flags,
		   bool merge, bool *first);

/**
 * `show class|filter [dev <port>] [json]`: @p fn (or @p mq_fn, device-wide,
 * on a port whose root is mq; may be NULL) for every queue of every port,
 * or of the one named, as one JSON array with `json`.
 */
int app_tree_show(struct app *app, const struct app_cmd *c, const char *cmd, app_tree_fn fn,
		  app_tree_fn mq_fn, struct app_err *e);

/**
 * As app_tree_show(), but with JSON one array only if @p array (else each
 * describer's JSON on a line of its own: one object for one queue).
 */
int app_tree_show_as(struct app *app, const struct app_cmd *c, const char *cmd, app_tree_fn fn,
		     app_tree_fn mq_fn, bool array, struct app_err *e);
#endif

#endif /* APP_CMD_TREE_H */
