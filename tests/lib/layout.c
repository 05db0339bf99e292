/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Public struct layouts do not depend on the lock validator: an application
 * built against a -Dlockdep=true libsoftnet works with a release one and the
 * other way round. layout_probe.c is compiled once with SN_LOCKDEP=0 and once
 * with SN_LOCKDEP=1; every size, alignment and offset must agree.
 */

#include <stdio.h>
#include <string.h>

#include "layout_probe.h"

int
main(void)
{
	unsigned int n = 0, bad = 0;

	for (const struct sn_layout_entry *a = sn_layout_off, *b = sn_layout_on; a->name != NULL;
	     a++, b++, n++) {
		if (b->name == NULL || strcmp(a->name, b->name) != 0) {
			fprintf(stderr, "FAIL: the two probes list different structs\n");
			return 1;
		}
		if (a->size != b->size || a->align != b->align) {
			fprintf(stderr, "FAIL: %s: %s %zu (align %zu) without the validator, %zu (align %zu) with it\n",
				a->name, a->align ? "size" : "offset", a->size, a->align, b->size, b->align);
			bad++;
		}
	}
	if (bad != 0)
		return 1;
	printf("ok: %u public sizes, alignments and offsets equal with and without the validator\n", n);
	return 0;
}
