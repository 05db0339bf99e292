/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SN_TEST_KERNEL_NS_H
#define SN_TEST_KERNEL_NS_H

/*
 * What the kernel tests read from the far end of their veth pair: a file of
 * /sys/class/net/<peer>/ inside the namespace the test's script created, and
 * the peer's receive counters. Shared by kernel_xmit.c and kernel_oversize.c.
 */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Seconds on the monotonic clock. */
static inline double
kns_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Read the first line of /sys/class/net/@peer/@what in namespace @netns. */
static inline int
kns_read(const char *netns, const char *peer, const char *what, char *buf, size_t len)
{
	char cmd[256];
	FILE *f;
	int ok;

	snprintf(cmd, sizeof(cmd), "ip netns exec %s cat /sys/class/net/%s/%s 2>/dev/null",
		 netns, peer, what);
	f = popen(cmd, "r");
	if (f == NULL)
		return -errno;
	ok = fgets(buf, (int)len, f) != NULL;
	if (pclose(f) != 0 || !ok)
		return -EIO;
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* One of @peer's statistics/ counters (rx_packets, rx_bytes, ...). */
static inline int
kns_stat(const char *netns, const char *peer, const char *stat, uint64_t *v)
{
	char path[64], buf[64];
	int rc;

	snprintf(path, sizeof(path), "statistics/%s", stat);
	rc = kns_read(netns, peer, path, buf, sizeof(buf));
	if (rc == 0)
		*v = strtoull(buf, NULL, 10);
	return rc;
}

#endif /* SN_TEST_KERNEL_NS_H */
