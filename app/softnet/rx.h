/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef APP_RX_H
#define APP_RX_H

/*
 * Receive counting: the main lcore polls one port's queue 0 and reads the
 * stamp (gen.h) of every frame the generator made: per-generator sequence
 * (gaps, reordering), TSC (latency). Loss is what softnet sent since
 * counting started minus what came back, exact once traffic has stopped.
 */

#include <stdbool.h>
#include <stdio.h>

#include "app.h"

/** Start counting on @p port (counters zeroed). */
void app_rx_start(struct app *app, uint16_t port);

/** Stop counting (counters kept for `show rx`). */
void app_rx_stop(struct app *app);

/** Zero the counters; sequence tracking restarts. */
void app_rx_clear(struct app *app);

/** New run: generators restart their sequences. */
void app_rx_new_run(struct app *app);

/** Poll once. @return packets received. */
unsigned int app_rx_poll(struct app *app);

/** Print the counters as a table or one JSON object. */
void app_rx_show(struct app *app, FILE *f, bool json);

/** Receive until the port is quiet for @p quiet_ms (after a stop). */
void app_rx_drain(struct app *app, unsigned int quiet_ms);

#endif /* APP_RX_H */
