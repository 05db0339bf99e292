/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef APP_CLI_H
#define APP_CLI_H

/*
 * Command mode (-i, --cmdline-file): the session that commands act on
 * (ports, qdiscs, the generator, receive counting), the executor of parsed
 * commands (cmd.h), and the idle work the main lcore does between commands
 * (receive polling, per-second port rates, noticing finished generators).
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "app.h"
#include "cmd.h"

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

/** Do the idle work once. @return true if there was work (call again soon). */
bool app_cli_idle(struct app *app);

/** @return true once `quit` was executed or a signal asked to stop. */
bool app_cli_quitting(const struct app *app);

/** The interactive prompt (prompt.c). @return 0, or -1 if no terminal. */
int app_prompt_run(struct app *app);

/** Telemetry: register /softnet/gen (app_telemetry.c). */
int app_telemetry_register(struct app *app);

#endif /* APP_CLI_H */
