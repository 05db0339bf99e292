/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SN_TEST_LAYOUT_PROBE_H
#define SN_TEST_LAYOUT_PROBE_H

#include <stddef.h>

/** One struct's size and alignment, or one field's offset (align 0). */
struct sn_layout_entry {
	const char *name;
	size_t size;
	size_t align;
};

extern const struct sn_layout_entry sn_layout_off[]; /* SN_LOCKDEP=0 */
extern const struct sn_layout_entry sn_layout_on[];  /* SN_LOCKDEP=1 */

#endif
