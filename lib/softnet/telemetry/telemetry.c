/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * softnet's counters in rte_telemetry (sn_telemetry.h). Read-only handlers
 * on DPDK's telemetry thread; they print nothing and log nothing.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_lcore.h>
#include <rte_telemetry.h>

#include "sn_netdev.h"
#include "sn_class.h"
#include "sn_dql.h"
#include "sn_qdisc.h"
#include "sn_softnet.h"
#include "sn_telemetry.h"

#define SN_TEL_STAT(f) { #f, offsetof(struct sn_softnet_stats, f) }

static const struct {
	const char *name;
	size_t off;
} sn_tel_stats[] = {
	SN_TEL_STAT(processed), SN_TEL_STAT(sent), SN_TEL_STAT(dropped),
	SN_TEL_STAT(drop_invalid), SN_TEL_STAT(drop_down), SN_TEL_STAT(drop_deactivated),
	SN_TEL_STAT(drop_qdisc), SN_TEL_STAT(drop_dead_loop), SN_TEL_STAT(drop_noqueue),
	SN_TEL_STAT(time_squeeze), SN_TEL_STAT(cpu_collision), SN_TEL_STAT(requeued),
	SN_TEL_STAT(bypass), SN_TEL_STAT(busylock), SN_TEL_STAT(queue_stopped),
	SN_TEL_STAT(tx_action), SN_TEL_STAT(qdisc_runs), SN_TEL_STAT(resched),
	SN_TEL_STAT(cq_freed), SN_TEL_STAT(cq_flushes), SN_TEL_STAT(irq_deferred),
};

/*
 * The counters, then one "drops_<reason>" per drop reason (their sum is
 * "dropped"): flat, as a nested dictionary would be a third level, which
 * telemetry does not encode.
 */
static void
sn_tel_stats_dict(struct rte_tel_data *d, const struct sn_softnet_stats *st)
{
	char key[48];

	rte_tel_data_start_dict(d);
	for (size_t i = 0; i < RTE_DIM(sn_tel_stats); i++)
		rte_tel_data_add_dict_u64(d, sn_tel_stats[i].name,
					  *(const uint64_t *)((const char *)st + sn_tel_stats[i].off));
	for (unsigned int r = 0; r < SN_DROP_REASON_MAX; r++) {
		snprintf(key, sizeof(key), "drops_%s", sn_drop_reason_name(r));
		rte_tel_data_add_dict_u64(d, key, st->drops[r]);
	}
}

/* A decimal number and nothing else; -1 otherwise. */
static long
sn_tel_number(const char *s)
{
	char *end;
	long v;

	if (s == NULL || s[0] < '0' || s[0] > '9')
		return -1;
	v = strtol(s, &end, 10);
	return *end == '\0' ? v : -1;
}

#define SN_TEL_QDISC_USAGE "/softnet/qdisc,<dev>: <dev> is a device name or N for portN"
#define SN_TEL_CLASS_USAGE "/softnet/class,<dev>[,<txq>]: <dev> a device name or N for portN, " \
	"<txq> its transmit queue (default 0)"
#define SN_TEL_BQL_USAGE "/softnet/bql,<dev>: <dev> is a device name or N for portN"
#define SN_TEL_STATS_USAGE "/softnet/stats[,<lcore>]: <lcore> an lcore id with a softnet"

/*
 * A request the handler cannot answer: a dictionary saying why and how to
 * ask, rather than the bare null a negative return gives the client.
 */
static int
sn_tel_usage(struct rte_tel_data *d, const char *error, const char *usage)
{
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "error", error);
	rte_tel_data_add_dict_string(d, "usage", usage);
	return 0;
}

static int
sn_tel_softnet_stats(const char *cmd __rte_unused, const char *params, struct rte_tel_data *d)
{
	struct sn_softnet_stats st;
	unsigned int lcore;
	char name[16];

	if (params != NULL && params[0] != '\0') {
		long l = sn_tel_number(params);

		if (l < 0 || l >= RTE_MAX_LCORE || sn_softnet_stats_get((unsigned int)l, &st) != 0)
			return sn_tel_usage(d, "no softnet on that lcore", SN_TEL_STATS_USAGE);
		sn_tel_stats_dict(d, &st);
		return 0;
	}
	rte_tel_data_start_dict(d);
	RTE_LCORE_FOREACH(lcore) {
		struct rte_tel_data *c;

		if (sn_softnet_stats_get(lcore, &st) != 0)
			continue;
		c = rte_tel_data_alloc();
		if (c == NULL)
			return -ENOMEM;
		sn_tel_stats_dict(c, &st);
		snprintf(name, sizeof(name), "%u", lcore);
		rte_tel_data_add_dict_container(d, name, c, 0);
	}
	{
		struct rte_tel_data *c = rte_tel_data_alloc();

		if (c == NULL)
			return -ENOMEM;
		sn_softnet_stats_sum(&st);
		sn_tel_stats_dict(c, &st);
		rte_tel_data_add_dict_container(d, "total", c, 0);
	}
	return 0;
}

/*
 * The device a request names: "N" for portN, or a device name. NULL when it
 * names none; then @d holds the error and @usage.
 */
static struct sn_netdev *
sn_tel_dev(const char *params, struct rte_tel_data *d, const char *usage)
{
	char name[SN_NETDEV_NAMESIZE];
	struct sn_netdev *dev;
	long n;

	if (params == NULL || params[0] == '\0') {
		sn_tel_usage(d, "missing device", usage);
		return NULL;
	}
	n = sn_tel_number(params);
	if (n >= 0)
		snprintf(name, sizeof(name), "port%ld", n);
	else
		snprintf(name, sizeof(name), "%s", params);
	dev = sn_netdev_lookup(name);
	if (dev == NULL)
		sn_tel_usage(d, "no such device", usage);
	return dev;
}

/*
 * One dictionary per transmit queue, written by the qdisc's own print ops
 * through the telemetry backend of the qdisc writer: no discipline is known
 * here by name, and the keys are those of `tc -j -s qdisc show`.
 */
static int
sn_tel_qdisc(const char *cmd __rte_unused, const char *params, struct rte_tel_data *d)
{
	struct sn_netdev *dev = sn_tel_dev(params, d, SN_TEL_QDISC_USAGE);

	if (dev == NULL)
		return 0;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "dev", sn_netdev_name(dev));
	rte_tel_data_add_dict_int(d, "up", sn_netdev_is_up(dev));
	for (uint16_t q = 0; q < sn_netdev_nb_txq(dev); q++) {
		struct rte_tel_data *c = rte_tel_data_alloc();
		char key[16];
		int rc;

		if (c == NULL)
			return -ENOMEM;
		rc = sn_qdisc_print_tel(dev, q, SN_QDISC_PRINT_STATS, c);
		/* -ENOMEM/-ENOSPC: a nested dictionary is missing; the rest is worth sending. */
		if (rc == -ENODEV || rc == -EINVAL) {
			rte_tel_data_free(c);
			continue;
		}
		snprintf(key, sizeof(key), "txq%u", q);
		if (rte_tel_data_add_dict_container(d, key, c, 0) != 0) {
			rte_tel_data_free(c);
			break;
		}
	}
	return 0;
}

/*
 * The classes of one transmit queue's tree, one dictionary per class keyed
 * by its id, written by the discipline's class print ops (sn_class.h).
 */
static int
sn_tel_class(const char *cmd __rte_unused, const char *params, struct rte_tel_data *d)
{
	char name[SN_NETDEV_NAMESIZE], *comma;
	struct sn_netdev *dev;
	long txq = 0;

	snprintf(name, sizeof(name), "%s", params != NULL ? params : "");
	comma = strchr(name, ',');
	if (comma != NULL) {
		*comma = '\0';
		txq = sn_tel_number(comma + 1);
		if (txq < 0)
			return sn_tel_usage(d, "bad txq", SN_TEL_CLASS_USAGE);
	}
	dev = sn_tel_dev(name, d, SN_TEL_CLASS_USAGE);
	if (dev == NULL)
		return 0;
	if (txq >= sn_netdev_nb_txq(dev))
		return sn_tel_usage(d, "no such txq", SN_TEL_CLASS_USAGE);
	if (sn_class_print_tel(dev, (uint16_t)txq, SN_QDISC_PRINT_STATS, d) == -ENODEV)
		return sn_tel_usage(d, "device has no qdisc", SN_TEL_CLASS_USAGE);
	return 0;
}

/* Byte queue limits per transmit queue (sn_dql.h): on, limit, inflight, stops. */
static int
sn_tel_bql(const char *cmd __rte_unused, const char *params, struct rte_tel_data *d)
{
	struct sn_netdev *dev = sn_tel_dev(params, d, SN_TEL_BQL_USAGE);

	if (dev == NULL)
		return 0;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "dev", sn_netdev_name(dev));
	for (uint16_t q = 0; q < sn_netdev_nb_txq(dev); q++) {
		struct rte_tel_data *c;
		struct sn_bql_info bi;
		char key[16];

		if (sn_netdev_txq_bql(dev, q, &bi) != 0)
			continue;
		c = rte_tel_data_alloc();
		if (c == NULL)
			return -ENOMEM;
		rte_tel_data_start_dict(c);
		rte_tel_data_add_dict_int(c, "enabled", bi.enabled);
		rte_tel_data_add_dict_int(c, "stopped", bi.stopped);
		rte_tel_data_add_dict_u64(c, "limit", bi.limit);
		rte_tel_data_add_dict_u64(c, "inflight", bi.inflight);
		rte_tel_data_add_dict_u64(c, "min_limit", bi.min_limit);
		rte_tel_data_add_dict_u64(c, "max_limit", bi.max_limit);
		rte_tel_data_add_dict_u64(c, "hold_us", bi.hold_us);
		rte_tel_data_add_dict_u64(c, "stops", bi.stops);
		rte_tel_data_add_dict_u64(c, "wakes", bi.wakes);
		snprintf(key, sizeof(key), "txq%u", q);
		if (rte_tel_data_add_dict_container(d, key, c, 0) != 0) {
			rte_tel_data_free(c);
			break;
		}
	}
	return 0;
}

int
sn_telemetry_register(void)
{
	int rc;

	rc = rte_telemetry_register_cmd("/softnet/stats", sn_tel_softnet_stats,
					"softnet counters per lcore (softnet_stat) and their total. "
					"Parameters: int lcore_id (optional)");
	if (rc != 0 && rc != -EINVAL)
		return rc;
	rc = rte_telemetry_register_cmd("/softnet/qdisc", sn_tel_qdisc,
					"Root qdisc of every txq of a softnet device. Parameters: "
					"int port_id (device \"port<N>\") or a device name");
	if (rc != 0 && rc != -EINVAL)
		return rc;
	rc = rte_telemetry_register_cmd("/softnet/bql", sn_tel_bql,
					"Byte queue limits of every txq of a softnet device: limit, "
					"inflight, stops. Parameters: int port_id or a device name");
	if (rc != 0 && rc != -EINVAL)
		return rc;
	rc = rte_telemetry_register_cmd("/softnet/class", sn_tel_class,
					"Classes of a txq's qdisc tree, as tc -s class show. "
					"Parameters: a device (name or port number), then ,txq "
					"(optional, default 0)");
	/* -EINVAL: already registered (a second call). */
	return rc == -EINVAL ? 0 : rc;
}
