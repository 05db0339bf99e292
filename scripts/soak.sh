#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# soak.sh: the fault-injection campaign (tests/fault) for minutes, not
# seconds. Outside CI; see docs/testing.md.
#
#   scripts/soak.sh [-b BUILD_DIR] [-s SECONDS] [-i ITERS] [-n ROUNDS] [-l LOG_DIR] [TEST...]
#
#   -b  a configured and built build directory (default: build). A
#       sanitizer + validator build (-Db_sanitize=address,undefined
#       -Dlockdep=true) is the most thorough: ASan/UBSan options are set
#       here so that any report fails the run.
#   -s  seconds of faults per program and round (default 60; SN_FAULT_SECONDS)
#   -i  minimum fault iterations per program and round (default: each
#       program's own; SN_FAULT_ITERS)
#   -n  rounds over the programs (default 1)
#   -l  where the logs go (default: a new directory under /tmp)
#   TEST  program names without the test_ prefix (default: all of them:
#       fault_driver_refuse fault_driver_stop_wake fault_qdisc_replace
#       fault_lcore_reattach fault_mempool_exhaust fault_port_restart
#       fault_link_flap); fault_link_flap needs root and skips without it.
#
# Each program keeps its own deadline (SN_FAULT_DEADLINE, default
# 30 + 3 x SECONDS) and fails on it; `timeout` adds a last resort a minute
# later. Exit 0 if every run passed or skipped, 1 otherwise; one line per
# run and a summary at the end. Every program runs on lcores 0-1 with
# --no-pci --no-huge and a file prefix of its own; run one soak at a time.
set -u -o pipefail
exec </dev/null
cd "$(dirname "$0")/.." || exit 1
ROOT=$PWD

BUILD_DIR=build SECONDS_PER=60 ITERS= ROUNDS=1 LOG_DIR=
usage() { sed -n '4,27p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
while getopts "b:s:i:n:l:h" opt; do
	case $opt in
	b) BUILD_DIR=$OPTARG ;;
	s) SECONDS_PER=$OPTARG ;;
	i) ITERS=$OPTARG ;;
	n) ROUNDS=$OPTARG ;;
	l) LOG_DIR=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
ALL="fault_driver_refuse fault_driver_stop_wake fault_qdisc_replace fault_lcore_reattach
     fault_mempool_exhaust fault_port_restart fault_link_flap"
TESTS=${*:-$ALL}
FAULT_DIR=$BUILD_DIR/tests/fault
[ -d "$FAULT_DIR" ] || { echo "soak.sh: no $FAULT_DIR: build first (meson setup $BUILD_DIR && ninja -C $BUILD_DIR)"; exit 2; }
[ -n "$LOG_DIR" ] || LOG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/softnet-soak.XXXXXX")
mkdir -p "$LOG_DIR" || exit 2

export SN_FAULT_SECONDS=$SECONDS_PER
[ -n "$ITERS" ] && export SN_FAULT_ITERS=$ITERS
# Sanitizer builds: any report fails the program (no effect on other builds).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:abort_on_error=1:print_summary=1:detect_odr_violation=0}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$ROOT/scripts/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1:print_summary=1}
# The programs' own deadline, and ours a minute later.
DEADLINE=${SN_FAULT_DEADLINE:-$(awk -v s="$SECONDS_PER" 'BEGIN { printf "%d", 30 + 3 * s }')}
export SN_FAULT_DEADLINE=$DEADLINE
KILL_AFTER=$((DEADLINE + 60))

passed=0 failed=0 skipped=0
START=$(date +%s)
echo "soak.sh: $BUILD_DIR, ${SECONDS_PER} s per program, ${ITERS:-default} iterations, $ROUNDS round(s), deadline ${DEADLINE} s; logs in $LOG_DIR"
for round in $(seq 1 "$ROUNDS"); do
	for t in $TESTS; do
		exe=$FAULT_DIR/test_$t
		[ -x "$exe" ] || { echo "soak.sh: no $exe"; failed=$((failed + 1)); continue; }
		log=$LOG_DIR/$t.$round.log
		t0=$(date +%s)
		if [ "$t" = fault_link_flap ]; then
			timeout -k 10 "$KILL_AFTER" "$ROOT/tests/fault/fault_link_flap.sh" "$exe" >"$log" 2>&1
		else
			timeout -k 10 "$KILL_AFTER" "$exe" >"$log" 2>&1
		fi
		rc=$?
		case $rc in
		0) res=ok; passed=$((passed + 1)) ;;
		77) res=skip; skipped=$((skipped + 1)) ;;
		124|137) res="FAIL (killed after ${KILL_AFTER} s)"; failed=$((failed + 1)) ;;
		*) res="FAIL (exit $rc)"; failed=$((failed + 1)) ;;
		esac
		printf 'round %d %-24s %-8s %4d s  %s\n' "$round" "$t" "$res" "$(( $(date +%s) - t0 ))" "$log"
		case $res in FAIL*) grep -E '^FAIL|ERROR: AddressSanitizer|runtime error|validator issued' "$log" | head -n 5 | sed 's/^/    /' ;; esac
	done
done
echo "soak.sh: done in $(( $(date +%s) - START )) s: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
