/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef APP_CLI_H
#define APP_CLI_H

/*
 * Command mode (-i, --cmdline-file): the session that commands act on
 * (ports, qdiscs, the generator, receive counting), the executor of parsed
 * commands (cmd.h), the idle work the main lcore does between commands
 * (receive polling, per-second port rates, noticing finished generators),
 * and what the command families' handlers share.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "app.h"
#include "cmd.h"
#include "stats.h"

/** Run command mode after rte_eal_init(). @return the exit code. */
int app_cli_main(struct app *app);

/**
 * Parse and execute one line. Errors are printed as one line to stderr,
 * prefixed with @p where ("file:line: ") when given.
 *
 * @return 0, -EINVAL (bad command: nothing changed), or another negative
 *         errno for a command that failed while executing.
 */
int app_cli_line(struct app *app, const char *line, const char *where);

/**
 * Do the idle work once: receive polling, port rates, progress lines, and
 * collecting generators that finished. @return true if there was work.
 */
bool app_cli_idle(struct app *app);

/** The part of the idle work a generating main lcore does from its tick. */
bool app_cli_poll(struct app *app);

/** @return true once `quit` was executed or a signal asked to stop. */
bool app_cli_quitting(const struct app *app);

/** The interactive prompt (prompt.c). @return 0, or -1 if no terminal. */
int app_prompt_run(struct app *app);

/** Telemetry: register the library's /softnet/ commands and /softnet/gen (app_telemetry.c). */
int app_telemetry_register(struct app *app);

/* ---- for the handlers of the command families (cmd_*.c) ---- */

/** Descriptors per port queue (cmd_port.c sets them up; the pool counts them). */
#define APP_PORT_TX_DESC 1024
#define APP_PORT_RX_DESC 1024

/** Why a command failed: one line, without the usage (the executor adds it). */
struct app_err {
	char msg[APP_CMD_ERR_SIZE];
};

/** Set @p e's message. @return @p rc. */
int app_fail(struct app_err *e, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/**
 * The port @p id of the session, for command @p cmd (named in the error).
 * @return 0; -ENODEV no such port; -ENETDOWN never started (@p need_started).
 */
/**
 * Serve every line-rate model port (sn_linerate_poll(): frames leave the
 * wire, completions, wakes): the session's idle work calls it, as a NIC's
 * interrupts would. @return how many had work.
 */
unsigned int app_port_poll_models(struct app *app);

int app_port_get(struct app *app, uint16_t id, bool need_started, const char *cmd,
		 struct app_err *e, struct app_port **out);

/** Configure (if needed) and start port @p id, with its softnet device (cmd_port.c). */
int app_port_start(struct app *app, uint16_t id, struct app_err *e);

/** Free what a stopped port's rx queue 0 still holds (cmd_port.c). */
void app_port_rx_flush(uint16_t id);

/** @return true if the command asked for JSON, or `set format json` is in force. */
bool app_cli_json(const struct app *app, const struct app_cmd *c);

/**
 * Do idle work until @p end (TSC), a quit, or (with @p until_idle) the end of
 * the generators' run.
 */
void app_cli_wait(struct app *app, uint64_t end, bool until_idle);

/** Every counter of the session: softnet, all qdiscs, generators of all runs. */
void app_cli_snapshot(struct app *app, struct app_snapshot *s);

/** Print the session's accounting line (generated = sent + dropped + queued). */
void app_print_accounting(struct app *app);

/**
 * Check frame sizes @p sz against port @p port for command @p cmd (named in
 * the error): the largest must fit the port's MTU + 14 (untagged) and an
 * mbuf (cmd_gen.c). @return 0 or -EINVAL with @p e set.
 */
int app_size_check(struct app *app, uint16_t port, const struct app_size_spec *sz, const char *cmd,
		   struct app_err *e);

/** @return true once every generator of the run has drained and detached (cmd_gen.c). */
bool app_gens_done(const struct app *app);

/** Stop (or collect finished) generators and print the run's line (cmd_gen.c). */
void app_cli_join(struct app *app, enum app_stop_reason why);

/** @return why the run ended, once every generator is done (cmd_gen.c). */
enum app_stop_reason app_gen_reason(const struct app *app);

/** Print a progress line if one is due (--stats-period; cmd_gen.c). */
void app_gen_progress(struct app *app);

#endif /* APP_CLI_H */
