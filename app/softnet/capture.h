/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef APP_CAPTURE_H
#define APP_CAPTURE_H

/*
 * Capture of what left the qdiscs of a port (docs/capture.md): after the
 * qdisc, before the driver. For an ethdev port that is a DPDK TX callback
 * (rte_eth_add_tx_callback()), which rte_eth_tx_burst() runs just before
 * the PMD, on the lcore that transmits. The callback copies each packet with
 * rte_pcapng_copy() into the capture's own mempool and puts the copy on a
 * ring; it never blocks and never waits: a copy the pool or the ring cannot
 * take is counted as a capture drop. A writer thread (a DPDK control thread)
 * drains the ring into a pcapng file: one interface per transmit queue,
 * named "<port>/txq<n>" and described with the queue's qdisc.
 *
 * As the kernel's taps (dev_queue_xmit_nit()), the capture sees a packet
 * each time it is handed to the driver: a packet the driver refused (a
 * partial rte_eth_tx_burst()) is requeued by softnet and appears again when
 * it is retried.
 *
 * Off, it costs nothing: no callback is installed.
 *
 * One capture at a time. Control path only (the main lcore's commands).
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct app;
struct app_err;

/** What `capture start` asks. */
struct app_capture_req {
	uint16_t port;
	bool has_txq;      /**< one queue, else every queue of the port */
	uint16_t txq;
	const char *path;  /**< the pcapng file (created or truncated) */
	uint64_t count;    /**< stop after this many packets; 0 = until stopped */
	uint32_t snaplen;  /**< bytes kept per packet; 0 = the port's MTU + 18 */
};

/**
 * At start-up, after rte_eal_init(): let dpdk-dumpcap attach (rte_pdump_init())
 * when this is a primary process with shared memory.
 * @return 0, or a negative errno (capture from the prompt still works).
 */
int app_capture_init(void);

/** At exit: stop a capture still running (its file is completed), rte_pdump_uninit(). */
void app_capture_fini(void);

/**
 * Start capturing port @p r->port (started) into @p r->path.
 * @return 0; -EBUSY a capture runs; -ENODEV/-ENETDOWN bad port; -EINVAL bad
 *         queue or snaplen; -errno the file; -ENOMEM. @p e says why.
 */
int app_capture_start(struct app *app, const struct app_capture_req *r, struct app_err *e);

/**
 * Stop the capture: remove the callbacks, write what the ring holds, close
 * the file; print one line to @p out (NULL: nothing).
 * @return 0, or -EALREADY (no capture).
 */
int app_capture_stop(FILE *out, struct app_err *e);

/** Print the capture's state and counters (a table or one JSON object). */
void app_capture_show(FILE *f, bool json);

/** @return true while a capture has callbacks installed or its file open. */
bool app_capture_active(void);

#endif /* APP_CAPTURE_H */
