/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * softnet: a traffic generator whose packets pass through softnet qdiscs on
 * DPDK ports. main() only sequences the modules:
 *   options.c  command line           cli.c      the session and the executor
 *   cmd_*.c    the commands, one file per family (grammar, handler, help)
 *   cmd_parse.c the command registry, tokenizer and dispatch
 *   prompt.c   the interactive prompt  gen.c      the generator lcore loop
 *   frame.c    frame template, pool    rx.c       receive counting
 *   stats.c    snapshots, progress     summary.c  final summary, JSON
 *   rx.c       also receive through softnet (rx mode, responder)
 *   capture.c  pcapng capture, dpdk-dumpcap (init/fini around the session)
 * Both front ends are the same session: the option mode turns its options
 * into commands (qdisc replace, set, start, wait) run by the same executor
 * as a command file or the prompt, with one summary and one JSON.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>

#include "app.h"
#include "capture.h"
#include "cli.h"

static void
app_eal_usage(const char *prog)
{
	printf("\n");
	app_usage(stdout, prog);
}

int
main(int argc, char **argv)
{
	static struct app app;
	int rc;

	switch (app_opts_parse(argc, argv, &app.opts)) {
	case APP_OPTS_OK:
		break;
	case APP_OPTS_HELP:
		return APP_EXIT_OK;
	case APP_OPTS_ERROR:
		return APP_EXIT_USAGE;
	}
	if (app.opts.cmdline_file != NULL && access(app.opts.cmdline_file, R_OK) != 0) {
		app_opts_error("cmdline-file", "cannot read '%s': %s", app.opts.cmdline_file,
			       strerror(errno));
		return APP_EXIT_USAGE;
	}
	/* Open the JSON file now: an unwritable path should not cost a run. */
	if (app.opts.json_path != NULL) {
		app.json = fopen(app.opts.json_path, "w");
		if (app.json == NULL) {
			app_opts_error("json", "cannot write '%s': %s", app.opts.json_path,
				       strerror(errno));
			return APP_EXIT_USAGE;
		}
	}

	rte_set_application_usage_hook(app_eal_usage);
	if (rte_eal_init(argc, argv) < 0) {
		fprintf(stderr, "softnet: EAL initialisation failed: %s\n",
			rte_strerror(rte_errno));
		if (app.json != NULL)
			fclose(app.json);
		return rte_errno == EINVAL ? APP_EXIT_USAGE : APP_EXIT_FAIL;
	}
	app_capture_init();
	rc = app_cli_main(&app);
	app_capture_fini();
	if (app.json != NULL) {
		/* Never written: do not leave an empty file that looks like a result. */
		fclose(app.json);
		remove(app.opts.json_path);
	}
	rte_eal_cleanup();
	return rc;
}
