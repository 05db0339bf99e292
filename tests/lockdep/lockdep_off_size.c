/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * With the validator compiled out, a softnet lock is exactly the DPDK lock
 * it wraps: same size, same alignment, and the validator API is inert.
 * Built only without -Dlockdep=true.
 */

#include <assert.h>
#include <stdio.h>

#include "softnet.h"

static_assert(sizeof(struct sn_spinlock) == sizeof(rte_spinlock_t), "spinlock grew");
static_assert(_Alignof(struct sn_spinlock) == _Alignof(rte_spinlock_t), "spinlock alignment");
static_assert(sizeof(struct sn_rwlock) == sizeof(rte_rwlock_t), "rwlock grew");
static_assert(sizeof(struct sn_lockdep_map) == 0, "validator map not empty");

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
	printf("sizeof(struct sn_spinlock) == sizeof(rte_spinlock_t) == %zu\n",
	       sizeof(struct sn_spinlock));
	return 0;
}
