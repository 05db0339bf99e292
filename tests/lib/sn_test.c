/* SPDX-License-Identifier: BSD-3-Clause */
/* Shared helpers for softnet's test programs (see sn_test.h). */

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_pause.h>

#include "sn_test.h"

#define SN_TEST_MAX_ARGS 64

int
sn_test_init(const char *name, const char *lcores, const char *extra)
{
	static char prefix[96], extra_copy[1024];
	char *argv[SN_TEST_MAX_ARGS];
	int argc = 0, rc;

	snprintf(prefix, sizeof(prefix), "--file-prefix=sntest-%s-%d", name, (int)getpid());
	argv[argc++] = (char *)(uintptr_t)name;
	argv[argc++] = (char *)(uintptr_t)"--no-pci";
	argv[argc++] = (char *)(uintptr_t)"--no-huge";
	argv[argc++] = (char *)(uintptr_t)"-m";
	argv[argc++] = (char *)(uintptr_t)"512";
	argv[argc++] = (char *)(uintptr_t)"--no-shconf";
	argv[argc++] = prefix;
	argv[argc++] = (char *)(uintptr_t)"-l";
	argv[argc++] = (char *)(uintptr_t)(lcores != NULL ? lcores : "0");
	argv[argc++] = (char *)(uintptr_t)"--log-level=lib.eal:error";
	argv[argc++] = (char *)(uintptr_t)"--log-level=pmd.*:error";
	if (extra != NULL) {
		snprintf(extra_copy, sizeof(extra_copy), "%s", extra);
		for (char *tok = strtok(extra_copy, " "); tok != NULL && argc < SN_TEST_MAX_ARGS - 1;
		     tok = strtok(NULL, " "))
			argv[argc++] = tok;
	}
	argv[argc] = NULL;

	rc = rte_eal_init(argc, argv);
	if (rc < 0) {
		fprintf(stderr, "SKIP: EAL cannot start here: %s\n", rte_strerror(rte_errno));
		exit(SN_TEST_SKIP);
	}
	rc = sn_init(NULL);
	if (rc < 0) {
		fprintf(stderr, "FAIL: sn_init: %s\n", strerror(-rc));
		exit(SN_TEST_FAIL);
	}
	return 0;
}

void
sn_test_fini(void)
{
	/* With the validator built in, every test also proves "no report". */
	uint64_t reports = sn_lockdep_report_count();

	sn_fini();
	rte_eal_cleanup();
	if (reports != 0) {
		fprintf(stderr, "FAIL: the lock validator issued %" PRIu64 " report(s)\n", reports);
		exit(SN_TEST_FAIL);
	}
}

struct rte_mempool *
sn_test_pool(const char *name, unsigned int n)
{
	struct rte_mempool *mp;

	mp = rte_pktmbuf_pool_create(name, n, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				     (int)rte_socket_id());
	if (mp == NULL)
		fprintf(stderr, "pool %s: %s\n", name, rte_strerror(rte_errno));
	return mp;
}

struct sn_test_hdr {
	uint64_t seq;
	uint32_t tag;
};

int
sn_test_alloc(struct rte_mempool *mp, struct rte_mbuf **pkts, unsigned int n,
	      uint32_t len, uint32_t prio, uint64_t seq)
{
	if (rte_pktmbuf_alloc_bulk(mp, pkts, n) != 0)
		return -ENOMEM;
	for (unsigned int i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		char *d;

		if (len > rte_pktmbuf_tailroom(m)) {
			rte_pktmbuf_free_bulk(pkts, n);
			return -EINVAL;
		}
		d = rte_pktmbuf_append(m, (uint16_t)len);
		if (len != 0)
			memset(d, 0, len);
		if (len >= sizeof(struct sn_test_hdr)) {
			struct sn_test_hdr *h = (struct sn_test_hdr *)d;

			h->seq = seq + i;
			h->tag = 0;
		}
		sn_mbuf_prio_set(m, prio);
	}
	return 0;
}

uint64_t
sn_test_seq(const struct rte_mbuf *m)
{
	return rte_pktmbuf_mtod(m, const struct sn_test_hdr *)->seq;
}

void
sn_test_set_tag(struct rte_mbuf *m, uint32_t tag)
{
	rte_pktmbuf_mtod(m, struct sn_test_hdr *)->tag = tag;
}

uint32_t
sn_test_tag(const struct rte_mbuf *m)
{
	return rte_pktmbuf_mtod(m, const struct sn_test_hdr *)->tag;
}

int
sn_test_pool_check(struct rte_mempool *mp, unsigned int baseline)
{
	unsigned int in_use = rte_mempool_in_use_count(mp);

	if (in_use != baseline) {
		fprintf(stderr, "FAIL: pool %s: %u mbufs in use, baseline %u (%s)\n", mp->name,
			in_use, baseline, in_use > baseline ? "leak" : "double free");
		return SN_TEST_FAIL;
	}
	return 0;
}

void
sn_test_drain(struct sn_softnet *sd)
{
	for (unsigned int i = 0; i < 100000 && sn_softnet_has_work(sd); i++)
		if (sn_softnet_poll(sd) == 0)
			rte_pause();
}

int
sn_test_qdisc_set(struct sn_netdev *dev, uint16_t txq, const char *line, struct sn_softnet *sd)
{
	char buf[256], kind[SN_QDISC_KIND_SIZE], err[160];
	const char *argv[32];
	struct sn_qdisc_params p;
	char *save = NULL;
	int argc = 0, rc;

	snprintf(buf, sizeof(buf), "%s", line);
	for (char *w = strtok_r(buf, " ", &save); w != NULL && argc < 32; w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	rc = sn_qdisc_parse(argc, argv, kind, &p, err, sizeof(err));
	SN_ASSERT(rc == 0, "parse '%s': %s", line, err);
	rc = sn_qdisc_replace(dev, txq, kind, &p, sd);
	SN_ASSERT(rc == 0, "replace '%s': %s", line, strerror(-rc));
	return SN_TEST_PASS;
}
