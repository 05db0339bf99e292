/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef APP_RX_H
#define APP_RX_H

/*
 * Receive counting: the main lcore polls one port's queue 0 and reads the
 * stamp (gen.h) of every frame the generator made: per-generator sequence
 * (gaps, reordering), TSC (latency). Loss is what softnet sent since
 * counting started minus what came back, exact once traffic has stopped.
 *
 * Receive through softnet (`rx mode`, `responder`): a port's queue 0 is
 * served by the library's NET_RX (sn_rx.h) on one receive lcore, the last
 * EAL worker, which runs sn_rx_lcore_loop() and is then no generator: in
 * poll mode it busy-polls, in interrupt mode (NAPI) it sleeps until the
 * port's RX interrupt. Its callback is the ARP/ICMP responder
 * (sn_responder.h) when an address is set, then the counting above (for a
 * port counted with `rx start`), else the packets are freed. The main lcore
 * does not poll such a port.
 */

#include <stdbool.h>
#include <stdint.h>
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

/** `rx mode` values (besides SN_RX_POLL and SN_RX_INTERRUPT of sn_rx.h). */
#define APP_RX_MODE_OFF 2

struct app_err;

/**
 * Serve port @p port's queue 0 on the receive lcore in @p mode (SN_RX_POLL,
 * SN_RX_INTERRUPT) or stop doing so (APP_RX_MODE_OFF). Interrupt mode turns
 * the port's RX interrupts on (the port restarts once, queued packets are
 * dropped and counted). @return 0, or a negative errno with @p e set.
 */
int app_rx_mode_set(struct app *app, uint16_t port, int mode, struct app_err *e);

/**
 * Answer ARP and ICMP echo for @p ipv4 (network order; @p plen only shown)
 * on @p port, or stop (@p ipv4 0). Turns interrupt mode on if the port had
 * no mode. @return 0, or a negative errno with @p e set.
 */
int app_rx_responder_set(struct app *app, uint16_t port, uint32_t ipv4, uint8_t plen,
			 struct app_err *e);

/** The receive lcore, or RTE_MAX_LCORE when no port has a mode (generators may use it). */
unsigned int app_rx_lcore(void);

/** Before a port stops or is reconfigured: take its queue off the receive lcore. */
void app_rx_port_off(struct app *app, uint16_t port);

/** Session end: stop the receive lcore, release the queues and responders (counters kept). */
void app_rx_fini(struct app *app);

/** Receive latency of the counted frames, bucket upper bounds in ns. */
struct app_rx_latency {
	uint64_t count;
	double min_ns, avg_ns, max_ns;
	uint64_t p50, p90, p99, p999;
};

/** Read the latency of the counted frames (any thread: approximate while counting). */
void app_rx_latency_get(const struct app *app, struct app_rx_latency *l);

/** NAPI counters of one port served by the receive lcore. */
struct app_rx_napi {
	int mode;             /**< asked: SN_RX_POLL, SN_RX_INTERRUPT, APP_RX_MODE_OFF */
	int served;           /**< served in (after a fallback to polling), or -1 */
	unsigned int lcore;
	uint64_t packets, polls, irqs, rearms, time_squeeze;
	uint64_t sleeps, wakeups, rx_action; /**< the receive lcore's */
	bool responder;
	uint32_t ipv4;        /**< network order */
	uint8_t plen;
	uint64_t arp_replies, icmp_replies, resp_tx_dropped, resp_other;
};

/** @return 0 with @p n filled in, or -ENOENT if @p port never had a mode. */
int app_rx_napi_get(uint16_t port, struct app_rx_napi *n);

/**
 * Packets the responders handed to softnet (ARP and echo replies), all
 * ports, whole session: softnet's accounting is generated + these = sent +
 * dropped + queued.
 */
uint64_t app_rx_replies(void);

/** Print one line per port that had a mode (the summary); nothing if none. */
void app_rx_napi_summary(FILE *f);

#endif /* APP_RX_H */
