/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SN_TELEMETRY_H
#define SN_TELEMETRY_H
/**
 * @file
 * softnet's counters in DPDK's telemetry (rte_telemetry), so that
 * `dpdk-telemetry.py -f <file-prefix>` can read them from a running process:
 *
 * - `/softnet/stats[,<lcore>]`: the counters of every lcore that has a
 *   softnet (sn_softnet_stats_get()), one dictionary per lcore, and their
 *   sum under "total"; with a parameter, that lcore only. Each dictionary
 *   has the fields of struct sn_softnet_stats by name, then
 *   "drops_<reason>" for every drop reason (sn_drop_reason_name():
 *   "drops_qdisc", "drops_burst_limit", ...), which add up to "dropped".
 * - `/softnet/qdisc,<dev>`: the root qdisc of every transmit queue of one
 *   device, one dictionary "txq<N>" each as sn_qdisc_print_tel() writes it
 *   (kind, handle, an "options" dictionary of the discipline's parameters,
 *   the counters with those of the qdiscs it replaced, like
 *   `tc -j -s qdisc show`). `<dev>` is a device name, or a number N
 *   for the device "port<N>" (the name the softnet app and sn_ethdev_open()
 *   give the device over DPDK port N).
 *
 * A missing or unknown parameter is answered with {"error": ..., "usage":
 * ...} rather than null.
 *
 * The handlers run on DPDK's telemetry thread and only read: counters come
 * from sn_softnet_stats_get() and sn_qdisc_print_tel() (which takes a root lock
 * briefly). A device must not be freed while a query may name it.
 */
#ifdef __cplusplus
extern "C" {
#endif

/**
 * Register the /softnet/ telemetry commands. Call after sn_init(); calling
 * it again is harmless.
 *
 * @return 0, or the negative errno of rte_telemetry_register_cmd().
 */
int sn_telemetry_register(void);

#ifdef __cplusplus
}
#endif
#endif /* SN_TELEMETRY_H */
