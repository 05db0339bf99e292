#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The softnet generator (command mode, one generator lcore, 64-byte frames,
# through the default pfifo_fast qdisc) against dpdk-testpmd
# --forward-mode=txonly on the same vdev (net_null), one forwarding lcore,
# in the same run, with hugepages. Prints both rates and the ratio
# (target >= 1.0, DESIGN.md). Usage:
#   tests/perf/gen_vs_testpmd.sh [BUILD_DIR] [SECONDS]
set -o pipefail
cd "$(dirname "$0")/../.." || exit 1
BUILD=${1:-build-cli}
SECS=${2:-5}
APP=$BUILD/app/softnet/softnet
TESTPMD=$(command -v dpdk-testpmd)
[ -x "$APP" ] || { echo "gen_vs_testpmd: $APP not built" >&2; exit 1; }
[ -n "$TESTPMD" ] || { echo "gen_vs_testpmd: dpdk-testpmd not found" >&2; exit 77; }
free_hp=$(awk '/^HugePages_Free:/ {print $2}' /proc/meminfo)
if [ "${free_hp:-0}" -ge 256 ] && grep -qs ' hugetlbfs ' /proc/mounts; then
	MEM=(--huge-unlink)
else
	echo "gen_vs_testpmd: fewer than 256 free hugepages: using --no-huge (slower)" >&2
	MEM=(--no-huge -m 1024 --no-shconf)
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# softnet: the rate of the run, from its JSON line.
printf 'set format json\nset duration %s\nstart\nwait\n' "$SECS" > "$tmp/run.cmd"
"$APP" -l 0-1 --no-pci --file-prefix=sn-gvt-$$ "${MEM[@]}" --vdev net_null0 -- \
	--cmdline-file "$tmp/run.cmd" > "$tmp/sn.out" 2> "$tmp/sn.err" ||
	{ cat "$tmp/sn.err" >&2; exit 1; }
sn_pps=$(python3 -c 'import json,sys
for l in open(sys.argv[1]):
    if l.startswith("{\"run\""): print(int(json.loads(l)["run"]["pps"]))' "$tmp/sn.out")

# testpmd txonly: the median of its per-second Tx-pps lines, first one skipped.
timeout -s INT $((SECS + 2)) "$TESTPMD" -l 0-1 --no-pci --file-prefix=tp-gvt-$$ "${MEM[@]}" \
	--vdev net_null0 -- --forward-mode=txonly --auto-start --stats-period=1 \
	--nb-cores=1 --txq=1 --rxq=1 > "$tmp/tp.out" 2>&1 < /dev/null
# (A short run may print a single line: then that one is the figure.)
tp_pps=$(grep -o 'Tx-pps: *[0-9]*' "$tmp/tp.out" | awk '{print $2}' | awk '$1 > 0' |
	awk '{a[NR]=$1} END {for (i = (NR > 1 ? 2 : 1); i <= NR; i++) print a[i]}' |
	sort -n | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]; else print 0}')
rm -rf /var/run/dpdk/sn-gvt-$$ /var/run/dpdk/tp-gvt-$$ 2>/dev/null
[ "${tp_pps:-0}" -gt 0 ] || { echo "gen_vs_testpmd: no rate from testpmd" >&2; tail -20 "$tmp/tp.out" >&2; exit 1; }
echo "softnet generator: $sn_pps pps"
echo "testpmd txonly:    $tp_pps pps"
python3 -c "import sys; print('ratio softnet/testpmd: %.2fx' % (int(sys.argv[1]) / int(sys.argv[2])))" "$sn_pps" "$tp_pps"
