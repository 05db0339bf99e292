/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SN_TC_UNITS_H
#define SN_TC_UNITS_H

/**
 * @file
 * tc's units, shared by every discipline, the CLI and the option mode:
 * - rates: a bare number is bits per second; `bit kbit mbit gbit tbit`
 *   (bits per second, decimal: 1kbit = 1000 bit/s), `bps kbps mbps gbps
 *   tbps` (BYTES per second, as tc), `%` is not accepted (no link speed);
 *   the IEC forms `kibit mibit gibit tibit` and `kibps mibps gibps tibps`
 *   are binary (1024);
 * - sizes: a bare number is bytes; `b`, `k`/`kb` (1024), `m`/`mb`
 *   (1024^2), `g`/`gb` (1024^3); `kbit mbit gbit` sizes are bits (tc's
 *   `burst 32kbit` is 4096 bytes);
 * - times: a bare number is microseconds (tc's default); `s sec secs`,
 *   `ms msec msecs`, `us usec usecs`, `ns nsec nsecs`.
 * Units are case-insensitive, fractions are allowed (`1.5mbit`), and a value
 * that overflows is refused. No sign, exponent, hex or space (tc's strtod()
 * takes them; here they are typos). No DPDK call: usable before
 * rte_eal_init().
 *
 * The formatters print tc's forms but never round: where tc would show
 * 8000008 bit/s as "8Mbit" or 1.0001 ms as "1.0ms", they show
 * "8000008bit" and "1.0001ms", so that every printed value parses back to
 * itself.
 */

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Parse a rate.
 * @param s     the word ("100mbit", "12.5MBps", "1000000").
 * @param bytes_per_sec receives the rate in bytes per second (rounded down;
 *              a rate under 8 bit/s is refused).
 * @return 0, or -EINVAL (not a rate, no digits, unknown unit, zero,
 *         over 2^64 - 1).
 */
int sn_tc_parse_rate(const char *s, uint64_t *bytes_per_sec);

/**
 * Parse a size.
 * @param s     the word ("32kb", "1500", "64kbit").
 * @param bytes receives the size in bytes.
 * @return 0, or -EINVAL.
 */
int sn_tc_parse_size(const char *s, uint64_t *bytes);

/**
 * Parse a time.
 * @param s  the word ("400ms", "5us", "1s", "100" = 100 us).
 * @param ns receives the time in nanoseconds.
 * @return 0, or -EINVAL.
 */
int sn_tc_parse_time(const char *s, uint64_t *ns);

/**
 * Parse a qdisc or class handle ("1:", "1:10", "ffff:", "root" is not a handle).
 * @param s      the word.
 * @param handle receives major << 16 | minor (hex digits, as tc).
 * @return 0, or -EINVAL.
 */
int sn_tc_parse_handle(const char *s, uint32_t *handle);

/** Format a rate as tc prints it ("1Mbit", "250Kbit", "10Gbit", "800bit"). @return as snprintf. */
int sn_tc_format_rate(char *buf, size_t len, uint64_t bytes_per_sec);

/** Format a size as tc prints it ("32Kb", "1514b", "2Mb"). @return as snprintf. */
int sn_tc_format_size(char *buf, size_t len, uint64_t bytes);

/** Format a time as tc prints it ("400ms", "5us", "1s", "1.5ms"). @return as snprintf. */
int sn_tc_format_time(char *buf, size_t len, uint64_t ns);

/** Format a handle as tc prints it ("1:", "1:10", "0:"). @return as snprintf. */
int sn_tc_format_handle(char *buf, size_t len, uint32_t handle);

#ifdef __cplusplus
}
#endif

#endif /* SN_TC_UNITS_H */
