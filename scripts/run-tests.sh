#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The whole test suite:
#   1. setup.sh (packages, hugepages, release build in build/);
#   2. every suite but perf in build/ (benchmarks are never timed tests);
#   3. a debug build in build-san/ with AddressSanitizer and
#      UndefinedBehaviorSanitizer, running
#      the unit, integration, lockdep, fault and rx suites (rx_tap: release build
#      only); any sanitizer report fails
#      its test.
# Ends with one line "N passed, N failed, N skipped" over all runs and exits
# non-zero if anything failed.
#
# Environment: SN_BUILD_DIR (build), SN_SAN_DIR (build-san), SN_NO_SAN=1 to
# skip step 3, SN_NO_SETUP=1 to skip step 1's installs (still builds).
# build-san has the lock validator compiled in (the engine suites must run
# with it on and issue no report); SN_SAN_LOCKDEP=false leaves it out (on a
# fresh build-san only).
set -o pipefail
exec </dev/null
cd "$(dirname "$0")/.." || exit 1
BUILD_DIR=${SN_BUILD_DIR:-build}
SAN_DIR=${SN_SAN_DIR:-build-san}
START=$(date +%s)

passed=0 failed=0 skipped=0
say() { echo "run-tests.sh: $*"; }

finish() {
	say "done in $(( $(date +%s) - START )) s"
	echo "$passed passed, $failed failed, $skipped skipped"
	[ "$failed" -eq 0 ] && exit 0
	exit 1
}

# Add the results of one `meson test` run, read from the summary it printed
# (its own output, so another meson run in the same directory cannot mix its
# results in): Ok and Expected Fail pass; Skipped skips; Fail, Timeout and
# Unexpected Pass fail.
count_results() {
	local dir=$1 out=$2 p f s
	read -r p f s < <(awk -F: '
		/^Ok:/ {p += $2} /^Expected Fail:/ {p += $2}
		/^Fail:/ {f += $2} /^Timeout:/ {f += $2} /^Unexpected Pass:/ {f += $2}
		/^Skipped:/ {s += $2}
		END {printf "%d %d %d\n", p, f, s}' "$out")
	say "$dir: $p passed, $f failed, $s skipped"
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
}

# meson test exits non-zero when a test fails; a non-zero exit with no failed
# test counted (a crash of meson itself, a rebuild error) counts as one.
run_meson_test() {
	local dir=$1; shift
	local f0=$failed out
	out=$(mktemp "${TMPDIR:-/tmp}/softnet-mtest.XXXXXX")
	meson test -C "$dir" --print-errorlogs "$@" 2>&1 | tee "$out"
	local rc=${PIPESTATUS[0]}
	count_results "$dir" "$out"
	rm -f "$out"
	if [ "$rc" -ne 0 ] && [ "$failed" -eq "$f0" ]; then
		say "$dir: meson test exited $rc"
		failed=$((failed + 1))
	fi
}

# 1. Set-up and release build.
if [ "${SN_NO_SETUP:-0}" = 1 ]; then
	ninja -C "$BUILD_DIR" || { say "build of $BUILD_DIR failed"; failed=$((failed + 1)); finish; }
else
	SN_BUILD_DIR=$BUILD_DIR ./scripts/setup.sh || { say "setup.sh failed"; failed=$((failed + 1)); finish; }
fi

# 2. Everything but the benchmarks, release build.
say "== $BUILD_DIR: all suites but perf"
run_meson_test "$BUILD_DIR" --no-suite perf

# 3. Sanitizers.
if [ "${SN_NO_SAN:-0}" != 1 ]; then
	say "== $SAN_DIR: unit, integration, lockdep, fault under ASan + UBSan"
	if [ ! -f "$SAN_DIR/build.ninja" ]; then
		rm -rf "$SAN_DIR"
		meson setup "$SAN_DIR" --buildtype=debug -Db_sanitize=address,undefined \
			-Db_lundef=false -Dlockdep="${SN_SAN_LOCKDEP:-true}" >/dev/null ||
			{ say "meson setup $SAN_DIR failed"; failed=$((failed + 1)); finish; }
	fi
	if ! ninja -C "$SAN_DIR" >"$SAN_DIR/ninja.log" 2>&1; then
		grep -E 'error|FAILED' "$SAN_DIR/ninja.log" | head -n 20
		say "build of $SAN_DIR failed (log: $SAN_DIR/ninja.log)"
		failed=$((failed + 1))
		finish
	fi
	# ASan: any error aborts the test. Leak checking is on (softnet and the
	# tests must free what they allocate); allocations made inside DPDK's
	# own libraries that EAL keeps until exit are suppressed by module name
	# in scripts/lsan.supp. UBSan: halt on the first report, so UB fails the test
	# instead of printing a warning that nobody reads.
	export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:abort_on_error=1:print_summary=1:detect_odr_violation=0
	export LSAN_OPTIONS=suppressions=$PWD/scripts/lsan.supp:print_suppressions=0
	export UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1:print_summary=1
	run_meson_test "$SAN_DIR" --suite unit --suite integration --suite lockdep \
		--suite fault --timeout-multiplier 4
	# rx: all but rx_tap, whose 0%-loss ping check (1 s reply deadline) is
	# about the kernel datapath's timing; the release build runs it.
	run_meson_test "$SAN_DIR" --timeout-multiplier 4 rx_ring rx_async_storm \
		rx_lockdep_bad_cb rx_virtio
fi

finish
