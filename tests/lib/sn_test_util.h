/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SN_TEST_UTIL_H
#define SN_TEST_UTIL_H

/*
 * Small helpers shared by the unit and integration tests, on top of
 * sn_test.h: counters of one lcore, the worker lcore of a "0-1" run, and
 * checks of what a keeping test netdev accepted.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "sn_test.h"

/* Counters of the lcore owning @sd. */
static inline struct sn_softnet_stats
sn_test_stats(const struct sn_softnet *sd)
{
	struct sn_softnet_stats st;

	memset(&st, 0, sizeof(st));
	sn_softnet_stats_get(sn_softnet_lcore(sd), &st);
	return st;
}

/* The first worker lcore, or RTE_MAX_LCORE if there is none (then skip). */
static inline unsigned int
sn_test_worker(void)
{
	return rte_get_next_lcore(-1, 1, 0);
}

/* Give a test netdev a keep array of @cap entries (NULL-terminated by calloc). */
static inline int
sn_test_keep(struct sn_netdev *dev, uint64_t cap)
{
	struct sn_test_netdev *c = sn_test_netdev_ctl(dev);

	c->kept = calloc(cap, sizeof(*c->kept));
	if (c->kept == NULL)
		return -ENOMEM;
	c->kept_cap = cap;
	c->keep = true;
	return 0;
}

/*
 * Check that a keeping test netdev accepted exactly @n packets and that
 * their sequence numbers are @seq[0..n-1] (or first, first + 1, ... when
 * @seq is NULL). Prints the first mismatch. Returns 0 or SN_TEST_FAIL.
 */
static inline int
sn_test_kept_check(struct sn_netdev *dev, const uint64_t *seq, uint64_t first, uint64_t n)
{
	struct sn_test_netdev *c = sn_test_netdev_ctl(dev);

	if (c->accepted != n || n > c->kept_cap) {
		fprintf(stderr, "FAIL: %s accepted %" PRIu64 " packets, expected %" PRIu64 "\n",
			sn_netdev_name(dev), c->accepted, n);
		return SN_TEST_FAIL;
	}
	for (uint64_t i = 0; i < n; i++) {
		uint64_t want = seq != NULL ? seq[i] : first + i;
		uint64_t got = sn_test_seq(c->kept[i]);

		if (got != want) {
			fprintf(stderr, "FAIL: %s packet %" PRIu64 " has seq %" PRIu64
				", expected %" PRIu64 "\n", sn_netdev_name(dev), i, got, want);
			return SN_TEST_FAIL;
		}
	}
	return 0;
}

/* Free what a keeping test netdev kept and free the keep array. */
static inline void
sn_test_kept_release(struct sn_netdev *dev)
{
	struct sn_test_netdev *c = sn_test_netdev_ctl(dev);
	uint64_t n = RTE_MIN(c->accepted, c->kept_cap);

	for (uint64_t i = 0; i < n; i++)
		rte_pktmbuf_free(c->kept[i]);
	free(c->kept);
	c->kept = NULL;
	c->kept_cap = 0;
	c->keep = false;
	c->accepted = 0;
}

/* Current root qdisc of @dev/@txq; aborts the test on error. */
static inline struct sn_qdisc_info
sn_test_info(struct sn_netdev *dev, uint16_t txq)
{
	struct sn_qdisc_info info;
	int rc = sn_qdisc_info(dev, txq, &info);

	if (rc != 0) {
		fprintf(stderr, "FAIL: sn_qdisc_info(%s, %u): %s\n", sn_netdev_name(dev), txq,
			strerror(-rc));
		exit(SN_TEST_FAIL);
	}
	return info;
}

/* Is @dev/@txq on @sd's output queue? How many times? */
static inline unsigned int
sn_test_scheduled(const struct sn_softnet *sd, const struct sn_netdev *dev, uint16_t txq)
{
	struct sn_sched_entry e[64];
	unsigned int n = sn_softnet_output_queue(sd, e, RTE_DIM(e)), hits = 0;

	for (unsigned int i = 0; i < n && i < RTE_DIM(e); i++)
		if (e[i].dev == dev && e[i].txq == txq)
			hits++;
	return hits;
}

/*
 * End of a test on one test netdev: release what it kept (if it keeps),
 * free it, run softnet dry and check @mp is back to @baseline.
 * Returns 0 or SN_TEST_FAIL.
 */
static inline int
sn_test_dev_done(struct sn_netdev *dev, struct sn_softnet *sd, struct rte_mempool *mp,
		 unsigned int baseline)
{
	if (sn_test_netdev_ctl(dev)->keep)
		sn_test_kept_release(dev);
	sn_test_netdev_free(dev, sd);
	sn_test_drain(sd);
	return sn_test_pool_check(mp, baseline);
}

#endif /* SN_TEST_UTIL_H */
