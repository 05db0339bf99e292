/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tc's units (sn_tc_units.h): the words of iproute2's get_rate(), get_size(),
 * get_time() and get_qdisc_handle(), and the forms its print_rate(),
 * print_size() and print_time() show.
 *
 * Parsing is exact integer arithmetic, not floating point: a number is its
 * integer digits and up to 18 fraction digits, scaled by the unit as a ratio
 * (kbit = 1000/8 bytes), so "1.5mbit" is exactly 187500 bytes per second and
 * a value near 2^64 is refused rather than rounded.
 *
 * Formatting is exact too, so that what is printed parses back to the same
 * value: where tc rounds (it prints 8000008 bit/s as "8Mbit" and 1.0001 ms
 * as "1.0ms"), we keep every digit ("8000008bit", "1.0001ms"). For every
 * value tc prints exactly, the text is tc's.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "sched_private.h"
#include "sn_tc_units.h"

typedef unsigned __int128 sn_u128;

/* A unit: value = number * mul / div. */
struct sn_tc_unit {
	const char *name;
	uint64_t mul;
	uint64_t div;
};

#define SN_KI UINT64_C(1024)
#define SN_MI (SN_KI * 1024)
#define SN_GI (SN_MI * 1024)
#define SN_TI (SN_GI * 1024)

/* Rates in bytes per second; the first entry is the bare number. */
static const struct sn_tc_unit sn_rate_units[] = {
	{ "", 1, 8 },
	{ "bit", 1, 8 },
	{ "kbit", 1000, 8 },
	{ "kibit", SN_KI, 8 },
	{ "mbit", 1000000, 8 },
	{ "mibit", SN_MI, 8 },
	{ "gbit", 1000000000, 8 },
	{ "gibit", SN_GI, 8 },
	{ "tbit", 1000000000000ull, 8 },
	{ "tibit", SN_TI, 8 },
	{ "bps", 1, 1 },
	{ "kbps", 1000, 1 },
	{ "kibps", SN_KI, 1 },
	{ "mbps", 1000000, 1 },
	{ "mibps", SN_MI, 1 },
	{ "gbps", 1000000000, 1 },
	{ "gibps", SN_GI, 1 },
	{ "tbps", 1000000000000ull, 1 },
	{ "tibps", SN_TI, 1 },
};

/* Sizes in bytes; as tc, the bit forms are binary too (32kbit = 4096 bytes). */
static const struct sn_tc_unit sn_size_units[] = {
	{ "", 1, 1 },
	{ "b", 1, 1 },
	{ "k", SN_KI, 1 },
	{ "kb", SN_KI, 1 },
	{ "m", SN_MI, 1 },
	{ "mb", SN_MI, 1 },
	{ "g", SN_GI, 1 },
	{ "gb", SN_GI, 1 },
	{ "kbit", SN_KI, 8 },
	{ "mbit", SN_MI, 8 },
	{ "gbit", SN_GI, 8 },
};

/* Times in nanoseconds; a bare number is microseconds, as tc's. */
static const struct sn_tc_unit sn_time_units[] = {
	{ "", 1000, 1 },
	{ "s", 1000000000, 1 },
	{ "sec", 1000000000, 1 },
	{ "secs", 1000000000, 1 },
	{ "ms", 1000000, 1 },
	{ "msec", 1000000, 1 },
	{ "msecs", 1000000, 1 },
	{ "us", 1000, 1 },
	{ "usec", 1000, 1 },
	{ "usecs", 1000, 1 },
	{ "ns", 1, 1 },
	{ "nsec", 1, 1 },
	{ "nsecs", 1, 1 },
};

/* Largest integer part: anything over it overflows 64 bits whatever the unit. */
#define SN_TC_INT_MAX ((sn_u128)1 << 70)
/* Fraction digits kept: 10^18 times a value under 2^67 still fits 128 bits. */
#define SN_TC_FRAC_DIGITS 18

static const uint64_t sn_pow10[] = {
	1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull, 10000000ull,
	100000000ull, 1000000000ull, 10000000000ull, 100000000000ull, 1000000000000ull,
	10000000000000ull, 100000000000000ull, 1000000000000000ull, 10000000000000000ull,
	100000000000000000ull, 1000000000000000000ull,
};

/*
 * "<digits>[.<digits>]<unit>" scaled by its unit from @units, rounded down.
 * No sign, no exponent, no hex, no space: tc's strtod() takes those, but a
 * qdisc parameter written that way is a typo more often than not.
 */
static int
sn_tc_parse(const char *s, const struct sn_tc_unit *units, size_t nb_units, uint64_t *out)
{
	sn_u128 ip = 0;
	uint64_t fp = 0;
	unsigned int fd = 0;
	bool digits = false;
	const struct sn_tc_unit *u = NULL;
	sn_u128 whole, num, den, v;

	if (s == NULL || out == NULL)
		return -EINVAL;
	/* In bits a rate may pass 2^64 (UINT64_MAX bytes/s prints as 2^67 - 8 bit). */
	for (; *s >= '0' && *s <= '9'; s++) {
		ip = ip * 10 + (unsigned int)(*s - '0');
		if (ip > SN_TC_INT_MAX)
			return -EINVAL;
		digits = true;
	}
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++) {
			if (fd < SN_TC_FRAC_DIGITS) {
				fp = fp * 10 + (uint64_t)(*s - '0');
				fd++;
			}
			digits = true;
		}
	}
	if (!digits)
		return -EINVAL;
	for (size_t i = 0; i < nb_units; i++) {
		if (strcasecmp(s, units[i].name) == 0) {
			u = &units[i];
			break;
		}
	}
	if (u == NULL)
		return -EINVAL;
	whole = (sn_u128)ip * u->mul;
	if (whole / u->div > UINT64_MAX)
		return -EINVAL;
	num = whole * sn_pow10[fd] + (sn_u128)fp * u->mul;
	den = (sn_u128)sn_pow10[fd] * u->div;
	v = num / den;
	if (v > UINT64_MAX)
		return -EINVAL;
	*out = (uint64_t)v;
	return 0;
}

int
sn_tc_parse_rate(const char *s, uint64_t *bytes_per_sec)
{
	uint64_t v;
	int rc = sn_tc_parse(s, sn_rate_units, RTE_DIM(sn_rate_units), &v);

	/* Under one byte per second is no rate: the kernel's shapers would divide by it. */
	if (rc != 0 || v == 0)
		return -EINVAL;
	*bytes_per_sec = v;
	return 0;
}

int
sn_tc_parse_size(const char *s, uint64_t *bytes)
{
	return sn_tc_parse(s, sn_size_units, RTE_DIM(sn_size_units), bytes);
}

int
sn_tc_parse_time(const char *s, uint64_t *ns)
{
	return sn_tc_parse(s, sn_time_units, RTE_DIM(sn_time_units), ns);
}

/* Up to four hex digits; @end receives the first character after them. */
static int
sn_tc_hex16(const char *s, const char **end, uint32_t *v)
{
	unsigned int n = 0;

	*v = 0;
	for (; n < 5; n++, s++) {
		unsigned int d;

		if (*s >= '0' && *s <= '9')
			d = (unsigned int)(*s - '0');
		else if (*s >= 'a' && *s <= 'f')
			d = (unsigned int)(*s - 'a' + 10);
		else if (*s >= 'A' && *s <= 'F')
			d = (unsigned int)(*s - 'A' + 10);
		else
			break;
		*v = *v << 4 | d;
	}
	*end = s;
	/* Leading zeros are fine ("0001:"), a major of more than 16 bits is not. */
	return *v > 0xffff ? -EINVAL : (int)n;
}

/*
 * tc's forms: "MAJ:" and "MAJ:MIN" (hex), "MAJ" alone as get_qdisc_handle()
 * takes it, and ":MIN" as get_tc_classid() does. "root" and "none" are
 * words of the command, not handles.
 */
int
sn_tc_parse_handle(const char *s, uint32_t *handle)
{
	uint32_t maj = 0, min = 0;
	const char *p;
	int n;

	if (s == NULL || handle == NULL)
		return -EINVAL;
	n = sn_tc_hex16(s, &p, &maj);
	if (n < 0)
		return -EINVAL;
	if (*p == ':') {
		int m = sn_tc_hex16(p + 1, &p, &min);

		if (m < 0 || (n == 0 && m == 0))
			return -EINVAL;
	} else if (n == 0) {
		return -EINVAL;
	}
	if (*p != '\0')
		return -EINVAL;
	*handle = maj << 16 | min;
	return 0;
}

/* A 128-bit value in decimal, as snprintf. */
static int
sn_tc_format_u128(char *buf, size_t len, sn_u128 v, const char *unit)
{
	char digits[40];
	unsigned int n = sizeof(digits);

	digits[--n] = '\0';
	do {
		digits[--n] = (char)('0' + (unsigned int)(v % 10));
		v /= 10;
	} while (v != 0);
	return snprintf(buf, len, "%s%s", &digits[n], unit);
}

/*
 * tc's print_rate(): the largest of bit, Kbit, Mbit, Gbit, Tbit (decimal)
 * that divides the rate in bits exactly, so that it parses back unchanged.
 */
int
sn_tc_format_rate(char *buf, size_t len, uint64_t bytes_per_sec)
{
	static const char *const units[] = { "bit", "Kbit", "Mbit", "Gbit", "Tbit" };
	sn_u128 bits = (sn_u128)bytes_per_sec * 8;
	unsigned int i = 0;

	while (i + 1 < RTE_DIM(units) && bits != 0 && bits % 1000 == 0) {
		bits /= 1000;
		i++;
	}
	return sn_tc_format_u128(buf, len, bits, units[i]);
}

/* tc's print_size(): Mb or Kb (binary) when exact, else bytes; tc has no Gb. */
int
sn_tc_format_size(char *buf, size_t len, uint64_t bytes)
{
	if (bytes != 0 && bytes % SN_MI == 0)
		return snprintf(buf, len, "%" PRIu64 "Mb", (uint64_t)(bytes / SN_MI));
	if (bytes != 0 && bytes % SN_KI == 0)
		return snprintf(buf, len, "%" PRIu64 "Kb", (uint64_t)(bytes / SN_KI));
	return snprintf(buf, len, "%" PRIu64 "b", bytes);
}

/*
 * tc's print_time(): the largest of s, ms, us not above the value; ns below
 * one microsecond. Fraction digits are exact with trailing zeros dropped
 * ("1.5ms", "1.000001s"), where tc shows one rounded digit ("1.5ms", "1.0s").
 */
int
sn_tc_format_time(char *buf, size_t len, uint64_t ns)
{
	static const struct {
		const char *name;
		uint64_t ns;
		unsigned int digits;
	} units[] = {
		{ "s", 1000000000, 9 },
		{ "ms", 1000000, 6 },
		{ "us", 1000, 3 },
	};
	char frac[16];

	if (ns == 0)
		return snprintf(buf, len, "0us");
	for (unsigned int i = 0; i < RTE_DIM(units); i++) {
		uint64_t whole = ns / units[i].ns, rest = ns % units[i].ns;
		unsigned int d = units[i].digits;

		if (whole == 0)
			continue;
		if (rest == 0)
			return snprintf(buf, len, "%" PRIu64 "%s", whole, units[i].name);
		snprintf(frac, sizeof(frac), "%0*" PRIu64, (int)d, rest);
		while (d > 0 && frac[d - 1] == '0')
			frac[--d] = '\0';
		return snprintf(buf, len, "%" PRIu64 ".%s%s", whole, frac, units[i].name);
	}
	return snprintf(buf, len, "%" PRIu64 "ns", ns);
}

/* tc's sprint_tc_classid(): "1:", "1:10", ":10"; a qdisc without a handle shows "0:". */
int
sn_tc_format_handle(char *buf, size_t len, uint32_t handle)
{
	uint32_t maj = handle >> 16, min = handle & 0xffff;

	if (min == 0)
		return snprintf(buf, len, "%x:", maj);
	if (maj == 0)
		return snprintf(buf, len, ":%x", min);
	return snprintf(buf, len, "%x:%x", maj, min);
}
