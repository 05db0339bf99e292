/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * softnet: a traffic generator whose packets pass through a softnet qdisc
 * on a DPDK port. main() only sequences the modules:
 *   options.c  command line          setup.c    port, pool, qdiscs, lcores
 *   frame.c    frame template, pool  gen.c      the generator lcore loop
 *   stats.c    snapshots, progress   summary.c  final summary, JSON
 */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>

#include "app.h"
#include "cli.h"
#include "setup.h"
#include "stats.h"
#include "summary.h"

/* How long the main lcore sleeps between monitor ticks. */
#define APP_MONITOR_SLEEP_US 10000

static void
app_on_signal(int sig __rte_unused)
{
	app_monitor_signal();
}

/* First SIGINT/SIGTERM stops gracefully; a second one kills (SA_RESETHAND). */
static void
app_signals_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = app_on_signal;
	sa.sa_flags = SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static void
app_eal_usage(const char *prog)
{
	printf("\n");
	app_usage(stdout, prog);
}

/* Generate until a stop condition, then wait for every generator to drain. */
static void
app_run(struct app *app)
{
	struct app_monitor mon;

	app_monitor_init(&mon, app);
	if (app->main_generates) {
		app->gens[0].tick = app_monitor_tick;
		app->gens[0].tick_arg = &mon;
		app_gen_lcore(&app->gens[0]);
		if (app->stop_reason == APP_STOP_NONE)
			app->stop_reason = app->gens[0].rc != 0 ? APP_STOP_ERROR : APP_STOP_COUNT;
		return;
	}
	for (unsigned int i = 0; i < app->nb_gens; i++) {
		int rc = rte_eal_remote_launch(app_gen_lcore, &app->gens[i], app->gens[i].lcore);

		if (rc != 0) {
			fprintf(stderr, "softnet: launch on lcore %u: %s\n", app->gens[i].lcore,
				strerror(-rc));
			app->gens[i].rc = rc;
			app->stop_reason = APP_STOP_ERROR;
			app_gen_stop();
		}
	}
	if (app->stop_reason == APP_STOP_NONE) {
		while (!app_monitor_tick(&mon))
			rte_delay_us_sleep(APP_MONITOR_SLEEP_US);
	}
	app_gen_stop();
	rte_eal_mp_wait_lcore();
}

/* Read the counters, tear the engine down, then report (mbufs in use last). */
static int
app_report(struct app *app)
{
	struct app_result r;
	int rc = APP_EXIT_OK;

	memset(&r, 0, sizeof(r));
	app_snapshot_take(app, &r.end);
	r.seconds = app_gen_seconds(app);
	for (unsigned int i = 0; i < app->nb_gens; i++)
		r.gen_errors += app->gens[i].rc != 0;
	r.pool_size = app->pool->size;
	app_teardown_engine(app);
	r.mbufs_in_use = rte_mempool_in_use_count(app->pool);
	app_result_check(app, &r);

	app_summary_print(app, &r);
	if (app->json != NULL) {
		int jrc = app_summary_json(app->json, app, &r);

		if (fclose(app->json) != 0 || jrc != 0) {
			fprintf(stderr, "softnet: --json %s: write failed\n", app->opts.json_path);
			rc = APP_EXIT_FAIL;
		}
		app->json = NULL;
	}
	return r.clean ? rc : APP_EXIT_FAIL;
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

	if (app.opts.interactive || app.opts.cmdline_file != NULL) {
		/* Command mode (docs/cli.md): the options above are the defaults. */
		rc = app_cli_main(&app);
		app_teardown(&app);
		rte_eal_cleanup();
		return rc;
	}
	rc = app_setup(&app);
	if (rc == APP_EXIT_OK) {
		if (!app.opts.quiet)
			app_banner(&app);
		app_signals_install();
		app_run(&app);
		rc = app_report(&app);
	}
	if (app.json != NULL) {
		/* Never written: do not leave an empty file that looks like a result. */
		fclose(app.json);
		remove(app.opts.json_path);
	}
	app_teardown(&app);
	rte_eal_cleanup();
	return rc;
}
