/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef APP_GEN_H
#define APP_GEN_H

/*
 * The generator lcore loop: attach to softnet, then allocate a burst, copy
 * the frame headers, hand the burst to sn_xmit_burst() (or each packet to
 * sn_xmit()), poll softnet; on stop, drain and detach.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_mempool.h>

#include "cmd.h"
#include "frame.h"
#include "replay.h"

struct sn_netdev;

/* Bytes after the UDP header that carry the stamp (fits the 60-byte minimum frame). */
#define APP_STAMP_OFF 42
#define APP_STAMP_MAGIC 0x5e7a
/* The sequence number's top byte holds the generator index. */
#define APP_SEQ_GEN_SHIFT 56

/*
 * The stamp every generated frame carries right after its UDP header, so a
 * receiver can tell loss, reordering and latency: a sequence number per
 * generator (generator index in the top byte), the TSC when the burst was
 * built, and a magic number that marks the frame as ours.
 */
struct app_stamp {
	uint64_t seq;
	uint64_t tsc;
	uint16_t magic;
} __attribute__((packed));

/** What every generator shares; read-only while they run. */
struct app_gen_conf {
	struct sn_netdev *dev;
	struct sn_netdev *model; /**< dev when it is a line-rate model (polled as it sends), or NULL */
	struct rte_mempool *pool;
	const struct app_frame *frame;
	uint16_t burst;
	bool single;  /**< sn_xmit() per packet */
	bool plug;    /**< single, inside sn_xmit_plug()/sn_xmit_unplug() per burst */
	bool counted; /**< --count: each generator stops after its quota */
	/* Per-packet variation (all zero when nothing varies: the fast path). */
	bool vary;             /**< fields, size or priority change per packet */
	const uint16_t *sizes; /**< IMIX sequence (nb_sizes entries), or NULL */
	uint32_t nb_sizes;
	struct app_field field[APP_GF_NB];
	uint8_t prio[APP_PRIO_LIST_MAX];
	uint32_t nb_prio;      /**< 0: the pool's priority stays */
	uint64_t duration_cycles; /**< each generator stops on its own after this; 0 = no */
	/* pcap replay: the run's table (replay.pkts NULL: generated frames). */
	struct app_replay_run replay;
	uint64_t replay_total;    /**< frames to send over all loops (capped by the count); 0 = no end */
	uint16_t nb_gens;         /**< generators of the run: generator i sends frames i, i+n, .. */
};

/**
 * Called every ~10 ms by a generator running on the main lcore (no worker
 * lcores), to print progress and decide when to stop.
 * @return true to stop.
 */
typedef bool (*app_gen_tick_fn)(void *arg);

/** One generator lcore. */
struct app_gen {
	/* Set by the main lcore before launch. */
	const struct app_gen_conf *conf;
	unsigned int lcore;
	uint16_t txq;
	uint64_t quota;           /**< packets to send when conf->counted */
	uint64_t rate_pps;        /**< this generator's share of the rate; 0 = unpaced */
	uint8_t index;            /**< generator number, in the stamp's sequence */
	app_gen_tick_fn tick;     /**< main-lcore generator only, else NULL */
	void *tick_arg;

	/* Written by the generator lcore only; the main lcore reads them. */
	uint64_t handed __rte_cache_aligned; /**< packets given to sn_xmit*() */
	uint64_t accepted;        /**< of those, sent or queued (not dropped at once) */
	uint64_t alloc_fail;      /**< bursts the pool could not supply */
	uint64_t start_tsc;       /**< first burst */
	uint64_t end_tsc;         /**< last burst, before the drain */
	int rc;                   /**< 0, or negative errno of attach or detach */
	uint32_t done;            /**< drained and detached */
} __rte_cache_aligned;

/** Ask every generator to stop (async-signal-safe). */
void app_gen_stop(void);

/** Clear the stop flag before launching generators again (command mode). */
void app_gen_rearm(void);

/** @return true once app_gen_stop() was called. */
bool app_gen_stopping(void);

/** The lcore function: run @p arg (a struct app_gen) until stopped. */
int app_gen_lcore(void *arg);

#endif /* APP_GEN_H */
