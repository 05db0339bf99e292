/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tc's units (sn_tc_units.h): every spelling of a rate, a size, a time and a
 * handle gives tc's value; malformed words are refused; what the formatters
 * print is tc's text and parses back to the same value. No EAL needed.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "sn_test.h"
#include "sn_tc_units.h"

struct sn_unit_case {
	const char *s;
	uint64_t v;
};

typedef int (*sn_parse_fn)(const char *s, uint64_t *v);

static int
sn_check_table(const char *what, sn_parse_fn parse, const struct sn_unit_case *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t v = 0;
		int rc = parse(t[i].s, &v);

		SN_ASSERT(rc == 0, "%s '%s' refused (%d)", what, t[i].s, rc);
		SN_ASSERT(v == t[i].v, "%s '%s' = %" PRIu64 ", expected %" PRIu64, what, t[i].s, v,
			  t[i].v);
	}
	return 0;
}

static int
sn_check_bad(const char *what, sn_parse_fn parse, const char *const *bad, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t v = 12345;

		SN_ASSERT(parse(bad[i], &v) == -EINVAL, "%s '%s' accepted (%" PRIu64 ")", what,
			  bad[i], v);
		SN_ASSERT(v == 12345, "%s '%s' wrote its output on failure", what, bad[i]);
	}
	return 0;
}

static int
test_rates(void)
{
	static const struct sn_unit_case good[] = {
		{ "8", 1 },                     /* bare: bits per second */
		{ "1000000", 125000 },
		{ "800bit", 100 },
		{ "1kbit", 125 },
		{ "1Kbit", 125 },
		{ "100mbit", 12500000 },
		{ "1Mbit", 125000 },
		{ "1.5mbit", 187500 },
		{ "10gbit", 1250000000 },
		{ "1tbit", 125000000000ull },
		{ "1kibit", 128 },
		{ "1mibit", 131072 },
		{ "1gibit", 134217728 },
		{ "1bps", 1 },                  /* bytes per second, as tc */
		{ "1kbps", 1000 },
		{ "12.5MBps", 12500000 },
		{ "1gbps", 1000000000 },
		{ "2tbps", 2000000000000ull },
		{ "1kibps", 1024 },
		{ "1mibps", 1048576 },
		{ "1tibps", 1099511627776ull },
		{ "15bit", 1 },                 /* rounded down */
		{ ".5kbit", 62 },
		{ "18446744073709551615bps", UINT64_MAX },
		{ "147573952589676412920bit", UINT64_MAX },
		{ "147573952589676.41292mbit", UINT64_MAX },
	};
	static const char *const bad[] = {
		"", "mbit", "1xbit", "1 mbit", "-1mbit", "+1mbit", "1e6", "0x10", "1%",
		"0", "0mbit", "7bit", "0.5bit", "1..5mbit", "1.5.5mbit", "inf", "nan",
		"18446744073709551616bps", "147573952589677mbit", "147573952589676412928bit",
		"99999999999999999999999",
		"1mbitx", "mbit1",
	};

	if (sn_check_table("rate", sn_tc_parse_rate, good, RTE_DIM(good)) != 0)
		return SN_TEST_FAIL;
	SN_ASSERT(sn_tc_parse_rate(NULL, &(uint64_t){ 0 }) == -EINVAL, "NULL word");
	return sn_check_bad("rate", sn_tc_parse_rate, bad, RTE_DIM(bad));
}

static int
test_sizes(void)
{
	static const struct sn_unit_case good[] = {
		{ "0", 0 },        { "1500", 1500 },     { "1514b", 1514 },
		{ "1k", 1024 },    { "32kb", 32768 },    { "32KB", 32768 },
		{ "1.5kb", 1536 }, { "2m", 2097152 },    { "2mb", 2097152 },
		{ "1g", 1073741824 }, { "1gb", 1073741824 },
		{ "32kbit", 4096 }, /* tc: kbit sizes are 1024 bits */
		{ "1mbit", 131072 }, { "1gbit", 134217728 },
		{ "16777216gb", 16777216ull << 30 },
	};
	static const char *const bad[] = {
		"", "kb", "1x", "1 kb", "-1", "1kbps", "1e3", "1t", "17179869184gb", "1.k.b",
	};

	if (sn_check_table("size", sn_tc_parse_size, good, RTE_DIM(good)) != 0)
		return SN_TEST_FAIL;
	return sn_check_bad("size", sn_tc_parse_size, bad, RTE_DIM(bad));
}

static int
test_times(void)
{
	static const struct sn_unit_case good[] = {
		{ "100", 100000 }, /* bare: microseconds, as tc */
		{ "0", 0 },         { "1s", 1000000000 },  { "2sec", 2000000000 },
		{ "3secs", 3000000000ull }, { "400ms", 400000000 }, { "1.5ms", 1500000 },
		{ "5msec", 5000000 }, { "5msecs", 5000000 }, { "5us", 5000 },
		{ "5usec", 5000 },  { "5USECS", 5000 },    { "250ns", 250 },
		{ "1nsec", 1 },     { "2nsecs", 2 },       { "0.000000001s", 1 },
	};
	static const char *const bad[] = {
		"", "ms", "1m", "1min", "1 ms", "-1ms", "1e3", "1hz", "18446744074s",
	};

	if (sn_check_table("time", sn_tc_parse_time, good, RTE_DIM(good)) != 0)
		return SN_TEST_FAIL;
	return sn_check_bad("time", sn_tc_parse_time, bad, RTE_DIM(bad));
}

static int
test_handles(void)
{
	static const struct {
		const char *s;
		uint32_t h;
	} good[] = {
		{ "1:", 0x10000 },  { "1:10", 0x10010 }, { "ffff:", 0xffff0000 },
		{ "FFFF:1", 0xffff0001 }, { "0:", 0 }, { "1", 0x10000 }, { "abcd:ef", 0xabcd00ef },
		{ ":10", 0x10 }, { "0001:", 0x10000 },
	};
	static const char *const bad[] = {
		"", ":", "root", "none", "1:2:3", "10000:", "1:10000", "g:", "1:x", " 1:",
		"1: ", "-1:",
	};

	for (size_t i = 0; i < RTE_DIM(good); i++) {
		uint32_t h = 0;

		SN_ASSERT(sn_tc_parse_handle(good[i].s, &h) == 0, "handle '%s' refused", good[i].s);
		SN_ASSERT(h == good[i].h, "handle '%s' = %#x, expected %#x", good[i].s, h,
			  good[i].h);
	}
	for (size_t i = 0; i < RTE_DIM(bad); i++) {
		uint32_t h = 7;

		SN_ASSERT(sn_tc_parse_handle(bad[i], &h) == -EINVAL, "handle '%s' accepted (%#x)",
			  bad[i], h);
		SN_ASSERT(h == 7, "handle '%s' wrote its output on failure", bad[i]);
	}
	return 0;
}

typedef int (*sn_format_fn)(char *buf, size_t len, uint64_t v);

/* @v prints as @want, and @want parses back to @v. */
static int
sn_check_format(const char *what, sn_format_fn fmt, sn_parse_fn parse, uint64_t v,
		const char *want)
{
	char buf[64];
	uint64_t back = 0;
	int n = fmt(buf, sizeof(buf), v);

	SN_ASSERT(n == (int)strlen(want) && strcmp(buf, want) == 0,
		  "%s %" PRIu64 " printed '%s' (%d), expected '%s'", what, v, buf, n, want);
	SN_ASSERT(parse(buf, &back) == 0 && back == v, "%s '%s' parsed back to %" PRIu64
		  ", not %" PRIu64, what, buf, back, v);
	return 0;
}

static int
sn_format_rate64(char *buf, size_t len, uint64_t v)
{
	return sn_tc_format_rate(buf, len, v);
}

static int
sn_format_size64(char *buf, size_t len, uint64_t v)
{
	return sn_tc_format_size(buf, len, v);
}

static int
sn_format_time64(char *buf, size_t len, uint64_t v)
{
	return sn_tc_format_time(buf, len, v);
}

static int
test_format(void)
{
	static const struct {
		uint64_t v;
		const char *s;
	} rates[] = {
		{ 125000, "1Mbit" },    { 31250, "250Kbit" },     { 1250000000, "10Gbit" },
		{ 100, "800bit" },      { 187500, "1500Kbit" },   { 125000000000ull, "1Tbit" },
		{ 125000000000000ull, "1000Tbit" }, { 1000001, "8000008bit" }, { 1, "8bit" },
		{ UINT64_MAX, "147573952589676412920bit" },
	}, sizes[] = {
		{ 32768, "32Kb" }, { 1514, "1514b" }, { 2097152, "2Mb" }, { 0, "0b" },
		{ 1073741824, "1024Mb" }, { 1536, "1536b" }, { 1500000, "1500000b" },
		{ 3072, "3Kb" },
	}, times[] = {
		{ 400000000, "400ms" }, { 5000, "5us" }, { 1000000000, "1s" }, { 1500000, "1.5ms" },
		{ 0, "0us" }, { 250, "250ns" }, { 1000000001, "1.000000001s" },
		{ 1234567, "1.234567ms" }, { 1001, "1.001us" }, { 60000000000ull, "60s" },
	};
	char buf[16];

	for (size_t i = 0; i < RTE_DIM(rates); i++)
		if (sn_check_format("rate", sn_format_rate64, sn_tc_parse_rate, rates[i].v,
				    rates[i].s) != 0)
			return SN_TEST_FAIL;
	for (size_t i = 0; i < RTE_DIM(sizes); i++)
		if (sn_check_format("size", sn_format_size64, sn_tc_parse_size, sizes[i].v,
				    sizes[i].s) != 0)
			return SN_TEST_FAIL;
	for (size_t i = 0; i < RTE_DIM(times); i++)
		if (sn_check_format("time", sn_format_time64, sn_tc_parse_time, times[i].v,
				    times[i].s) != 0)
			return SN_TEST_FAIL;

	/* Handles as tc shows them, and back. */
	{
		static const struct {
			uint32_t h;
			const char *s;
		} handles[] = {
			{ 0, "0:" },          { 0x10000, "1:" }, { 0x10010, "1:10" },
			{ 0xffff0000, "ffff:" }, { 0x10, ":10" },
		};

		for (size_t i = 0; i < RTE_DIM(handles); i++) {
			uint32_t back = 1;

			sn_tc_format_handle(buf, sizeof(buf), handles[i].h);
			SN_ASSERT(strcmp(buf, handles[i].s) == 0, "handle %#x printed '%s'",
				  handles[i].h, buf);
			SN_ASSERT(sn_tc_parse_handle(buf, &back) == 0 && back == handles[i].h,
				  "handle '%s' parsed back to %#x", buf, back);
		}
	}

	/* snprintf semantics: cut, terminated, full length returned. */
	SN_ASSERT_EQ(sn_tc_format_rate(buf, 4, 125000), 5);
	SN_ASSERT(strcmp(buf, "1Mb") == 0, "cut rate '%s'", buf);
	SN_ASSERT_EQ(sn_tc_format_time(NULL, 0, 1500000), 5);

	/* Round trips over a sweep of values (exact printing). */
	for (uint64_t v = 1; v < (UINT64_C(1) << 62); v = v * 3 + 7) {
		char s[64];
		uint64_t back;

		sn_tc_format_rate(s, sizeof(s), v);
		SN_ASSERT(sn_tc_parse_rate(s, &back) == 0 && back == v, "rate %" PRIu64 " -> %s",
			  v, s);
		sn_tc_format_size(s, sizeof(s), v);
		SN_ASSERT(sn_tc_parse_size(s, &back) == 0 && back == v, "size %" PRIu64 " -> %s",
			  v, s);
		sn_tc_format_time(s, sizeof(s), v);
		SN_ASSERT(sn_tc_parse_time(s, &back) == 0 && back == v, "time %" PRIu64 " -> %s",
			  v, s);
	}
	return 0;
}

int
main(void)
{
	SN_RUN(test_rates);
	SN_RUN(test_sizes);
	SN_RUN(test_times);
	SN_RUN(test_handles);
	SN_RUN(test_format);
	return SN_TEST_PASS;
}
