/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef APP_REPLAY_H
#define APP_REPLAY_H

/*
 * pcap replay (docs/capture.md): `set source pcap <file> [loop N]` reads a
 * pcap or pcapng file (libpcap) into memory; at `start` the frames that fit
 * the port are the run's table (app_replay_prepare()), which the generator
 * lcores read (gen.c). Several lcores split the file exactly: of n
 * generators, generator i sends frames i, i+n, i+2n, ... of every loop, in
 * file order, so each frame is sent once per loop by one lcore.
 *
 * Timing: `set timing rate` paces at the generator's rate (`set rate`, max
 * = as fast as possible); `set timing original [speed X]` sends frame k of
 * loop l at start + (l * period + t_k - t_0) / X, t being the file's
 * timestamps and period the file's span plus one mean gap.
 *
 * Control path only (the main lcore); the table is read-only while a run goes.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct app_err;

/** One frame of the run's table. */
struct app_replay_pkt {
	const uint8_t *data;
	uint32_t len;     /**< bytes to send (the captured length) */
	uint64_t ts_ns;   /**< time since the file's first frame */
};

/** The run's table, as app_replay_prepare() hands it to the generators. */
struct app_replay_run {
	const struct app_replay_pkt *pkts; /**< NULL: no replay (generated frames) */
	uint32_t nb;
	uint64_t loops;       /**< 0 = until stopped */
	bool original;        /**< the file's timing, else the generator's rate */
	double speed;         /**< original timing: gaps divided by this */
	uint64_t period_ns;   /**< one loop in the file's time */
	double avg_len;       /**< mean frame length (rates in bps) */
};

/**
 * Read @p path (pcap or pcapng, Ethernet) as the generator's source.
 * @return 0; -ENOENT/-EINVAL (unreadable, not Ethernet, no frame); -ENOMEM.
 */
int app_replay_load(const char *path, uint64_t loops, struct app_err *e);

/** Back to generated frames; frees the file. */
void app_replay_unload(void);

/** @return true when the source is a pcap file. */
bool app_replay_on(void);

/** Loops asked (0 = until stopped); meaningful when app_replay_on(). */
uint64_t app_replay_loops(void);

/** `set timing`: @p original with @p speed (> 0), or the generator's rate. */
void app_replay_set_timing(bool original, double speed);

/**
 * Build the run's table of the frames no longer than @p max_len; print one
 * line to @p out (unless NULL) if some were skipped.
 * @return 0; -EINVAL no frame fits (@p e set); -ENOMEM.
 */
int app_replay_prepare(uint32_t max_len, const char *why, struct app_replay_run *run, FILE *out,
		       struct app_err *e);

/** Describe the source ("generated", or "pcap 'f' (N frames), loop L") and timing. */
void app_replay_describe(char *src, size_t srclen, char *timing, size_t tlen);

#endif /* APP_REPLAY_H */
