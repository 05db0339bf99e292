/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * With the validator compiled out, the validator API is inert: locks work,
 * nothing is reported, nothing is held. A lock keeps the validator's two
 * pointers (unused) so that public structs have one layout in both builds
 * (tests/lib/layout.c). Built only without -Dlockdep=true.
 */

#include <assert.h>
#include <stddef.h>
#include <stdio.h>

#include "softnet.h"

static_assert(sizeof(struct sn_lockdep_map) == 2 * sizeof(void *), "validator map is two pointers");
static_assert(offsetof(struct sn_spinlock, raw) == 0, "the raw lock comes first");

int
main(void)
{
	struct sn_spinlock l;

	sn_spin_lock_init(&l);
	sn_spin_lock(&l);
	sn_spin_unlock(&l);
	if (sn_lockdep_enabled() || sn_lockdep_report_count() != 0 || sn_lockdep_depth() != 0) {
		fprintf(stderr, "FAIL: validator not inert when compiled out\n");
		return 1;
	}
	if (l.dep_map.key != NULL) {
		fprintf(stderr, "FAIL: a lock got a validator class with the validator out\n");
		return 1;
	}
	printf("validator inert; sizeof(struct sn_spinlock) == %zu\n", sizeof(struct sn_spinlock));
	return 0;
}
