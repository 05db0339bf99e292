/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * /softnet/gen: the generator's state, for dpdk-telemetry.py. The engine's
 * own counters (/softnet/stats, /softnet/qdisc) are registered by the
 * library (sn_telemetry.h); the generator is application state, so it is
 * registered here. Both modes register them: the option mode (the main job,
 * scripts/run-main.sh) as well as the command mode.
 */

#include <rte_telemetry.h>

#include <sn_telemetry.h>

#include "cli.h"

static struct app *app_tel_app;

static int
app_tel_gen(const char *cmd __rte_unused, const char *params __rte_unused,
	    struct rte_tel_data *d)
{
	const struct app *app = app_tel_app;
	uint64_t handed = app->base_handed, accepted = app->base_accepted;

	for (unsigned int i = 0; app->gens != NULL && i < app->nb_gens; i++) {
		handed += __atomic_load_n(&app->gens[i].handed, __ATOMIC_RELAXED);
		accepted += __atomic_load_n(&app->gens[i].accepted, __ATOMIC_RELAXED);
	}
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_int(d, "running", app->running);
	rte_tel_data_add_dict_int(d, "port", app->spec.port);
	rte_tel_data_add_dict_int(d, "lcores", (int)(app->running ? app->nb_gens : app->spec.lcores));
	rte_tel_data_add_dict_u64(d, "runs", app->runs);
	rte_tel_data_add_dict_u64(d, "generated", handed);
	rte_tel_data_add_dict_u64(d, "accepted", accepted);
	rte_tel_data_add_dict_u64(d, "rate_pps_asked", app->run_rate_pps);
	rte_tel_data_add_dict_u64(d, "count", app->spec.count);
	rte_tel_data_add_dict_u64(d, "burst", app->spec.burst);
	rte_tel_data_add_dict_u64(d, "rx_on", app->rx.on);
	rte_tel_data_add_dict_u64(d, "rx_received", app->rx.ours);
	rte_tel_data_add_dict_u64(d, "rx_reordered", app->rx.reordered);
	return 0;
}

int
app_telemetry_register(struct app *app)
{
	int rc;

	app_tel_app = app;
	rc = sn_telemetry_register();
	if (rc != 0)
		return rc;
	return rte_telemetry_register_cmd("/softnet/gen", app_tel_gen,
					  "The softnet generator: state and counters. No parameters.");
}
