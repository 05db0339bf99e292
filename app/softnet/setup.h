/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef APP_SETUP_H
#define APP_SETUP_H

/*
 * Everything between rte_eal_init() and the first packet, and its undoing:
 * pick (or create) the port, check the options that depend on it, set
 * softnet up, build the frame and the pool, open the port with its qdiscs,
 * place the generators on lcores.
 */

#include "app.h"

/**
 * @return APP_EXIT_OK; APP_EXIT_USAGE for an option the port or the lcores
 *         reject; APP_EXIT_FAIL for a failed set-up. One line is printed on
 *         error. app_teardown() undoes whatever was done, in every case.
 */
int app_setup(struct app *app);

/** Print the one-line description of the run (not with --quiet). */
void app_banner(const struct app *app);

/** Close the port's softnet device and tear softnet down. */
void app_teardown_engine(struct app *app);

/** Free the pool, the frame and the generators; remove our net_null0. */
void app_teardown(struct app *app);

#endif /* APP_SETUP_H */
