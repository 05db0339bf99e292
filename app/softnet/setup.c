/* SPDX-License-Identifier: BSD-3-Clause */
/* Set-up and teardown around the run: port, softnet, pool, qdiscs, lcores. */

#include <errno.h>
#include <string.h>

#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include <sn_ethdev.h>
#include <sn_netdev.h>
#include <sn_qdisc.h>
#include <sn_softnet.h>

#include "setup.h"

/* The embedded default port, made when EAL found none. */
#define APP_DEFAULT_VDEV "net_null0"
/* Descriptors per tx queue: sn_ethdev_open()'s default. */
#define APP_TX_DESC 1024u
/* A qdisc deeper than this only fills when the port is slower than the
 * generators; the pool is not grown for it (the generator waits instead). */
#define APP_POOL_QDISC_MAX 16384u
#define APP_TXQUEUELEN 1000u

static void
app_list_ports(char *buf, size_t len)
{
	uint16_t pid;
	size_t off = 0;

	buf[0] = '\0';
	RTE_ETH_FOREACH_DEV(pid) {
		int n = snprintf(buf + off, len - off, "%s%u", off ? ", " : "", pid);

		if (n < 0 || (size_t)n >= len - off)
			break;
		off += (size_t)n;
	}
}

static int
app_port_select(struct app *app)
{
	struct app_opts *o = &app->opts;
	char ports[128];
	int rc;

	if (rte_eth_dev_count_avail() == 0 && o->port == 0) {
		rc = rte_vdev_init(APP_DEFAULT_VDEV, "");
		if (rc != 0) {
			fprintf(stderr, "softnet: no DPDK port, and creating %s failed: %s\n",
				APP_DEFAULT_VDEV, rte_strerror(-rc));
			return APP_EXIT_FAIL;
		}
		app->created_vdev = true;
		if (rte_eth_dev_get_port_by_name(APP_DEFAULT_VDEV, &o->port) != 0) {
			fprintf(stderr, "softnet: %s created but has no port\n", APP_DEFAULT_VDEV);
			return APP_EXIT_FAIL;
		}
		if (!o->quiet)
			printf("softnet: EAL found no port: created %s (port %u)\n",
			       APP_DEFAULT_VDEV, o->port);
	}
	if (!rte_eth_dev_is_valid_port(o->port)) {
		app_list_ports(ports, sizeof(ports));
		if (ports[0] == '\0')
			app_opts_error("port", "no DPDK port %u (EAL found none)", o->port);
		else
			app_opts_error("port", "no DPDK port %u (EAL found: %s)", o->port, ports);
		return APP_EXIT_USAGE;
	}
	app->port = o->port;
	if (rte_eth_dev_get_name_by_port(app->port, app->port_name) != 0)
		snprintf(app->port_name, sizeof(app->port_name), "port%u", app->port);
	return APP_EXIT_OK;
}

static int
app_port_check(struct app *app)
{
	struct rte_eth_dev_info info;
	uint16_t mtu = RTE_ETHER_MTU;
	int rc;

	rc = rte_eth_dev_info_get(app->port, &info);
	if (rc != 0) {
		fprintf(stderr, "softnet: port %u: no device info: %s\n", app->port,
			rte_strerror(-rc));
		return APP_EXIT_FAIL;
	}
	rte_eth_dev_get_mtu(app->port, &mtu);
	if (app_opts_check_port(&app->opts, mtu, info.max_tx_queues) != 0)
		return APP_EXIT_USAGE;
	return APP_EXIT_OK;
}

/* Packets one qdisc can hold of this traffic (one priority: one band). */
static unsigned int
app_qdisc_capacity(const struct app_opts *o, uint16_t mtu)
{
	unsigned int pkts;

	if (strcmp(o->qdisc, "noqueue") == 0)
		return 0;
	if (strcmp(o->qdisc, "bfifo") == 0)
		pkts = (o->limit ? o->limit : APP_TXQUEUELEN * mtu) / o->size + 1;
	else
		pkts = o->limit ? o->limit : APP_TXQUEUELEN;
	return RTE_MIN(pkts, APP_POOL_QDISC_MAX);
}

static int
app_gens_place(struct app *app)
{
	const struct app_opts *o = &app->opts;
	unsigned int nb_workers = rte_lcore_count() - 1, lcore, i = 0;
	int n = app_opts_check_lcores(o, nb_workers);

	if (n < 0)
		return APP_EXIT_USAGE;
	app->nb_gens = (unsigned int)n;
	app->main_generates = nb_workers == 0;
	app->gens = rte_zmalloc("softnet_gens", sizeof(*app->gens) * app->nb_gens,
				RTE_CACHE_LINE_SIZE);
	if (app->gens == NULL) {
		fprintf(stderr, "softnet: out of memory for %u generators\n", app->nb_gens);
		return APP_EXIT_FAIL;
	}
	RTE_LCORE_FOREACH(lcore) {
		struct app_gen *g;

		if (i == app->nb_gens)
			break;
		if (!app->main_generates && lcore == rte_get_main_lcore())
			continue;
		g = &app->gens[i];
		g->conf = &app->gconf;
		g->lcore = lcore;
		g->txq = (uint16_t)(i % o->txqs);
		/* The first count % n generators send one more packet. */
		g->quota = o->count / app->nb_gens + (i < o->count % app->nb_gens ? 1 : 0);
		i++;
	}
	return APP_EXIT_OK;
}

static int
app_qdiscs_set(struct app *app)
{
	const struct app_opts *o = &app->opts;
	struct sn_qdisc_params p;
	struct sn_qdisc_info info;
	int rc;

	memset(&p, 0, sizeof(p));
	p.limit = o->limit;
	for (uint16_t q = 0; q < o->txqs; q++) {
		/* No lcore is attached yet: the grace periods are immediate. */
		rc = sn_qdisc_replace(app->dev, q, o->qdisc, &p, NULL);
		if (rc != 0) {
			fprintf(stderr, "softnet: txq %u: qdisc %s: %s\n", q, o->qdisc,
				strerror(-rc));
			return APP_EXIT_FAIL;
		}
	}
	memset(&info, 0, sizeof(info));
	if (sn_qdisc_info(app->dev, 0, &info) == 0)
		app->qdisc_limit = info.params.limit;
	return APP_EXIT_OK;
}

int
app_setup(struct app *app)
{
	struct app_opts *o = &app->opts;
	struct sn_ethdev_conf conf;
	struct app_pool_need need;
	uint16_t mtu = RTE_ETHER_MTU;
	int rc;

	app->hz = rte_get_timer_hz();
	rc = app_port_select(app);
	if (rc == APP_EXIT_OK)
		rc = app_port_check(app);
	if (rc == APP_EXIT_OK)
		rc = app_gens_place(app);
	if (rc != APP_EXIT_OK)
		return rc;

	rc = sn_init(NULL);
	if (rc != 0) {
		fprintf(stderr, "softnet: sn_init: %s\n", strerror(-rc));
		return APP_EXIT_FAIL;
	}
	app->sn_ready = true;

	if (app_frame_build(&app->frame, o) != 0) {
		fprintf(stderr, "softnet: out of memory for the frame template\n");
		return APP_EXIT_FAIL;
	}
	rte_eth_dev_get_mtu(app->port, &mtu);
	need = (struct app_pool_need){
		.nb_lcores = app->nb_gens,
		.nb_txq = o->txqs,
		.qdisc_pkts = app_qdisc_capacity(o, mtu),
		.tx_desc = APP_TX_DESC,
		.burst = o->burst,
	};
	app->pool = app_pool_create(&need, &app->frame, o->prio,
				    rte_eth_dev_socket_id(app->port));
	if (app->pool == NULL) {
		fprintf(stderr, "softnet: mbuf pool: %s (give EAL more memory with -m)\n",
			rte_strerror(rte_errno));
		return APP_EXIT_FAIL;
	}

	memset(&conf, 0, sizeof(conf));
	conf.nb_txq = o->txqs;
	app->dev = sn_ethdev_open(app->port, NULL, &conf);
	if (app->dev == NULL) {
		fprintf(stderr, "softnet: port %u: open with %u txq(s): %s\n", app->port, o->txqs,
			rte_strerror(rte_errno));
		return APP_EXIT_FAIL;
	}
	rte_eth_stats_reset(app->port);
	rc = app_qdiscs_set(app);
	if (rc != APP_EXIT_OK)
		return rc;

	app->gconf = (struct app_gen_conf){
		.dev = app->dev,
		.pool = app->pool,
		.frame = &app->frame,
		.burst = o->burst,
		.single = o->single,
		.plug = o->plug,
		.counted = o->count != 0,
	};
	return APP_EXIT_OK;
}

void
app_banner(const struct app *app)
{
	const struct app_opts *o = &app->opts;
	char limit[32] = "";

	if (app->qdisc_limit != 0)
		snprintf(limit, sizeof(limit), " limit %u%s", app->qdisc_limit,
			 strcmp(o->qdisc, "bfifo") == 0 ? "B" : "");
	printf("softnet: port %u (%s), %u txq(s) with %s%s; %u generator lcore(s)%s on",
	       app->port, app->port_name, o->txqs, o->qdisc, limit, app->nb_gens,
	       app->main_generates ? " (the main lcore)" : "");
	for (unsigned int i = 0; i < app->nb_gens; i++)
		printf(" %u->txq%u", app->gens[i].lcore, app->gens[i].txq);
	printf("; %s, burst %u, %u-byte frames, prio %u; pool %u mbufs\n",
	       app_api_name(o), o->burst, app->frame.len, o->prio,
	       app->pool->size);
	fflush(stdout);
}

void
app_teardown_engine(struct app *app)
{
	int rc;

	if (app->dev != NULL) {
		sn_ethdev_close(app->dev, NULL);
		app->dev = NULL;
	}
	if (app->sn_ready) {
		rc = sn_fini();
		if (rc != 0)
			fprintf(stderr, "softnet: sn_fini: %s\n", strerror(-rc));
		app->sn_ready = false;
	}
}

void
app_teardown(struct app *app)
{
	app_teardown_engine(app);
	rte_mempool_free(app->pool);
	app->pool = NULL;
	app_frame_free(&app->frame);
	rte_free(app->gens);
	app->gens = NULL;
	if (app->created_vdev) {
		rte_vdev_uninit(APP_DEFAULT_VDEV);
		app->created_vdev = false;
	}
}
