/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef APP_SUMMARY_H
#define APP_SUMMARY_H

/*
 * The end-of-run summary, as text and as JSON, and the accounting check
 * every packet must pass: handed = sent + dropped + queued, and every drop
 * counted under a reason (the reasons add up to dropped).
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "app.h"
#include "stats.h"

struct app_result {
	struct app_snapshot end;  /**< after every generator drained and detached */
	double seconds;           /**< generation time */
	uint64_t mbufs_in_use;    /**< after the port is closed and softnet torn down */
	unsigned int pool_size;
	int gen_errors;           /**< generators whose attach or detach failed */
	uint64_t replies;         /**< the responders' replies handed to softnet (rx.h) */
	bool drops_ok;            /**< the per-reason drops add up to dropped */
	bool accounting_ok;       /**< handed == sent + dropped + queued, and drops_ok */
	bool clean;               /**< accounting_ok, nothing queued, no generator error */
};

/** Fill in accounting_ok and clean from the other fields. */
void app_result_check(const struct app *app, struct app_result *r);

/** Print the summary and the accounting line to stdout. */
void app_summary_print(const struct app *app, const struct app_result *r);

/** Write the summary as one JSON object. @return 0 or -EIO. */
int app_summary_json(FILE *f, const struct app *app, const struct app_result *r);

#endif /* APP_SUMMARY_H */
