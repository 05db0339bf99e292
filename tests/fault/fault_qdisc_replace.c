/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fault: the root qdisc replaced, over and over, across every registered
 * kind, while two lcores transmit.
 *
 * The variants come from the registry, not from a list of kinds here: for
 * each kind sn_qdisc_kinds() names, the tc words "KIND", "KIND limit 64",
 * "KIND limit 8kb", "KIND nobypass", "KIND nobusylock", "KIND nolock",
 * "KIND deferlist", "KIND handle 1:" and "KIND limit 16 nobypass" are parsed
 * with sn_qdisc_parse(); those the kind takes are used (a kind must take at
 * least its bare name). The main lcore replaces the qdisc of the shared
 * queue 0, of its own queue 1 and of the worker's queue 2 in turn with the
 * next variant (sn_qdisc_delete() now and then), transmitting between
 * replaces. The driver takes at most 16 packets per call, so qdiscs hold
 * packets (and requeued ones) when they are retired. Checks: the usual
 * accounting (retired qdiscs' counters included), every kind used, nothing
 * queued after the clean stop, pool, validator, deadline.
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "fault.h"

#define MIN_ITERS 300
#define MAX_KINDS 32
#define MAX_VARIANTS 512

static const char *const suffixes[] = {
	"", "limit 64", "limit 8kb", "nobypass", "nobusylock", "nolock", "deferlist",
	"handle 1:", "limit 16 nobypass",
};

struct variant {
	char text[96];
	char kind[SN_QDISC_KIND_SIZE];
	struct sn_qdisc_params p;
	unsigned int kind_idx;
};

static struct variant variants[MAX_VARIANTS];
static unsigned int nb_variants;
static uint64_t used[MAX_KINDS];

static int
parse_line(const char *line, struct variant *v)
{
	char buf[96], *save = NULL, err[256];
	const char *argv[16];
	int argc = 0;

	snprintf(buf, sizeof(buf), "%s", line);
	for (char *w = strtok_r(buf, " ", &save); w != NULL && argc < 16;
	     w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	snprintf(v->text, sizeof(v->text), "%s", line);
	return sn_qdisc_parse(argc, argv, v->kind, &v->p, err, sizeof(err));
}

/* Every variant of every registered kind that parses. */
static int
build_variants(unsigned int *nb_kinds, const char **kinds)
{
	*nb_kinds = sn_qdisc_kinds(kinds, MAX_KINDS);
	SN_ASSERT(*nb_kinds > 0 && *nb_kinds <= MAX_KINDS, "%u kinds", *nb_kinds);
	for (unsigned int k = 0; k < *nb_kinds; k++) {
		unsigned int first = nb_variants;

		for (unsigned int s = 0; s < RTE_DIM(suffixes) && nb_variants < MAX_VARIANTS; s++) {
			char line[96];
			struct variant *v = &variants[nb_variants];

			snprintf(line, sizeof(line), "%s%s%s", kinds[k], suffixes[s][0] ? " " : "",
				 suffixes[s]);
			if (parse_line(line, v) != 0)
				continue;
			v->kind_idx = k;
			nb_variants++;
		}
		SN_ASSERT(nb_variants > first, "kind %s: not even its bare name parses", kinds[k]);
		printf("kind %-12s %u variant(s)\n", kinds[k], nb_variants - first);
	}
	return 0;
}

static int
test_qdisc_replace(void)
{
	static struct fault_run r = { .name = "qdisc_replace" };
	struct rte_mempool *mp = fault_pool("fault_replace", 16384);
	const char *kinds[MAX_KINDS];
	unsigned int nb_kinds = 0;
	struct sn_test_fault *knobs;
	struct sn_netdev *dev;
	uint64_t it, deletes = 0;

	SN_ASSERT(mp != NULL, "pool");
	if (build_variants(&nb_kinds, kinds) != 0)
		return SN_TEST_FAIL;
	dev = sn_test_netdev_create("replace", 3);
	SN_ASSERT(dev != NULL, "create");
	knobs = sn_test_netdev_fault(dev);
	SN_ASSERT(knobs != NULL, "fault knobs");
	knobs->budget = 16;
	SN_ASSERT_EQ(fault_start(&r, dev, mp), 0);

	/* Every variant on every queue at least once, however short the run. */
	for (it = 0; fault_more(&r, it, RTE_MAX((uint64_t)MIN_ITERS, 3ull * nb_variants)) ||
		     it < 3ull * nb_variants; it++) {
		const struct variant *v = &variants[(it / 3 + (it % 3) * 5) % nb_variants];
		uint16_t txq = (uint16_t)(it % 3);
		int rc;

		if (it % 41 == 40) {
			rc = sn_qdisc_delete(dev, txq, r.lc[0].sd);
			SN_ASSERT(rc == 0, "delete txq %u: %s", txq, strerror(-rc));
			deletes++;
		} else {
			rc = sn_qdisc_replace(dev, txq, v->kind, &v->p, r.lc[0].sd);
			SN_ASSERT(rc == 0, "replace txq %u with '%s': %s", txq, v->text,
				  strerror(-rc));
			used[v->kind_idx]++;
		}
		fault_pump(&r, 4 + (unsigned int)(it % 13));
	}
	printf("qdisc_replace: %" PRIu64 " replaces (%" PRIu64 " deletes) over %u variants\n", it,
	       deletes, nb_variants);
	if (fault_stop_and_check(&r) != 0)
		return SN_TEST_FAIL;
	for (unsigned int k = 0; k < nb_kinds; k++)
		SN_ASSERT(used[k] > 0, "kind %s never used", kinds[k]);
	sn_test_netdev_free(dev, r.lc[0].sd);
	return fault_finish(&r);
}

int
main(void)
{
	fault_init("fault_qdisc_replace", NULL);
	SN_RUN(test_qdisc_replace);
	return fault_exit();
}
