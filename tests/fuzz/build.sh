#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Build the command-parser fuzzer with clang and libFuzzer (separate from the
# meson build, which stays gcc and warning-free), and the seed corpus from the
# examples in docs/cli.md. Needs: apt-get install -y clang libclang-rt-14-dev
#   tests/fuzz/build.sh [OUT_DIR]      (default build-fuzz)
#   build-fuzz/fuzz_cmd -max_total_time=60 build-fuzz/corpus
set -e
cd "$(dirname "$0")/../.."
OUT=${1:-build-fuzz}
CC=${CC:-clang}
mkdir -p "$OUT/corpus"
# The language alone: the registry, and every family's grammar without its
# handler (-DAPP_CMD_PARSE_ONLY: no DPDK).
# tc's units come from the library's own parsers (tc_units.c: no DPDK call,
# DPDK's headers only).
DPDK_INC=$(pkg-config --cflags-only-I libdpdk 2>/dev/null || echo -I/usr/include/dpdk)
sed -e 's/@SN_VERSION@/fuzz/' -e 's/@SN_LOCKDEP@/0/' -e 's/@SN_TX_QUOTA@/64/' \
	config/sn_config.h.in > "$OUT/sn_config.h"
$CC -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-Wall -Wextra -DAPP_CMD_PARSE_ONLY -I app/softnet -I lib/softnet -I lib/softnet/core \
	-I lib/softnet/sched -I lib/softnet/locking -I lib/softnet/rx -I "$OUT" $DPDK_INC \
	-include rte_config.h tests/fuzz/fuzz_cmd.c app/softnet/cmd_*.c \
	lib/softnet/sched/tc_units.c -o "$OUT/fuzz_cmd"
# Seeds: every "softnet> " line of docs/cli.md, and the hand-written ones.
i=0
grep -h '^ *softnet> ' docs/cli.md tests/fuzz/seeds.txt 2>/dev/null | sed 's/^ *softnet> //' |
while IFS= read -r line; do
	i=$((i + 1))
	printf '%s\n' "$line" > "$OUT/corpus/seed-$i"
done
echo "built $OUT/fuzz_cmd; corpus $(ls "$OUT/corpus" | wc -l) seeds"
