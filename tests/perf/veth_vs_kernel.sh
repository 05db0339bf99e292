#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# softnet against the kernel's own transmit path on a veth pair, in the same
# run (DESIGN.md: softnet over net_af_xdp >= 1.3x the kernel's AF_PACKET +
# pfifo_fast). Creates a namespace and a veth pair named after its pid, puts
# pfifo_fast on the host end, and for SECONDS each measures what the peer in
# the namespace receives (rx_packets) from:
#   kernel     an AF_PACKET raw socket, sendmmsg() batches of 32, through
#              dev_queue_xmit and pfifo_fast (kernel_af_packet_tx);
#   af_xdp     the softnet generator over net_af_xdp on the host end;
#   af_packet  the softnet generator over net_af_packet (informative);
#   testpmd_xdp dpdk-testpmd txonly over the same net_af_xdp vdev: what the
#              PMD itself does on this kernel, the bound for af_xdp.
# 64-byte UDP/IPv4 frames to the peer's MAC; the peer has no address, so
# nothing answers. Each sender is also checked for delivery: the peer's count
# over the sender's whole run against what the sender says it sent.
# The senders run in turn, ROUNDS times over (interleaved, so that a noisy
# machine hits them alike); the table gives each one's median. Removes what it
# created on any exit. Needs root.
#   tests/perf/veth_vs_kernel.sh [BUILD_DIR] [SECONDS] [APP OPTIONS...]
# (app options such as --burst 64 go to both softnet runs)
# Environment:
#   ROUNDS=N      rounds (default 3)
#   SENDERS="..." which senders, in order (default: kernel af_xdp af_packet testpmd_xdp)
#   LCORES=L      EAL -l for the DPDK senders (default 0-1: main lcore 0, sender on 1)
#   XDP_ARGS=...  appended to the net_af_xdp vdev arguments, e.g. ,busy_budget=0
#   NO_HUGE=1     run DPDK with --no-huge even when hugepages are there
#   KEEP_LOGS=1   keep the senders' logs in /tmp
set -o pipefail
cd "$(dirname "$0")/../.." || exit 1
BUILD=${1:-build}
SECS=${2:-5}
shift 2 2>/dev/null
APP_OPTS=("$@")
APP=$BUILD/app/softnet/softnet
KTX=$BUILD/tests/perf/kernel_af_packet_tx
ROUNDS=${ROUNDS:-3}
SENDERS=${SENDERS:-kernel af_xdp af_packet testpmd_xdp}
LCORES=${LCORES:-0-1}
[ "$(id -u)" -eq 0 ] || { echo "veth_vs_kernel: needs root" >&2; exit 77; }
[ -x "$APP" ] && [ -x "$KTX" ] || { echo "veth_vs_kernel: build $BUILD first" >&2; exit 1; }
command -v tc >/dev/null || { echo "veth_vs_kernel: tc (iproute2) missing" >&2; exit 77; }
if [[ " $SENDERS " == *" testpmd_xdp "* ]] && ! command -v dpdk-testpmd >/dev/null; then
	echo "veth_vs_kernel: no dpdk-testpmd, skipping testpmd_xdp" >&2
	SENDERS=${SENDERS//testpmd_xdp/}
fi

NS=snvb$$ H=snvb$$h P=snvb$$p
cleanup() {
	ip link del "$H" 2>/dev/null; ip netns del "$NS" 2>/dev/null
	rm -rf /var/run/dpdk/snvb-*-$$ # the DPDK runs' runtime directories (--file-prefix)
}
trap cleanup EXIT
ip netns add "$NS" && ip link add "$H" type veth peer name "$P" &&
	ip link set "$P" netns "$NS" || exit 1
for cmd in "" "ip netns exec $NS"; do
	dev=$H; [ -n "$cmd" ] && dev=$P
	$cmd sysctl -qw "net.ipv6.conf.$dev.disable_ipv6=1" 2>/dev/null
	$cmd ip link set "$dev" up
done
ip link set "$H" txqueuelen 1000
tc qdisc replace dev "$H" root pfifo_fast || exit 1
PEER_MAC=$(ip netns exec "$NS" cat "/sys/class/net/$P/address")

rx() { ip netns exec "$NS" cat "/sys/class/net/$P/statistics/rx_packets"; }

# Hugepages (mounted hugetlbfs, 256 free 2 MiB pages) unless told otherwise:
# the realistic setting, and the one where a plain mbuf pool (testpmd's) is
# nearly covered by net_af_xdp 22.11's UMEM (docs/benchmarks.md).
free_hp=$(awk '/^HugePages_Free:/ {print $2}' /proc/meminfo)
if [ -z "$NO_HUGE" ] && [ "${free_hp:-0}" -ge 256 ] && grep -qs ' hugetlbfs ' /proc/mounts; then
	MEM=(--huge-unlink)
else
	MEM=(--no-huge -m 1024 --no-shconf)
fi
XDP_VDEV="net_af_xdp0,iface=$H,start_queue=0,queue_count=1$XDP_ARGS"

RUN=$((SECS + 3))
sender() { # name: the command, running for RUN seconds
	case $1 in
	kernel) echo "$KTX" "$H" "$PEER_MAC" "$RUN" ;;
	af_xdp | af_packet)
		local vdev=$XDP_VDEV
		[ "$1" = af_packet ] && vdev="net_af_packet0,iface=$H"
		printf '%q ' "$APP" -l "$LCORES" --no-pci --file-prefix="snvb-$1-$$" "${MEM[@]}" \
			--vdev "$vdev" --log-level='pmd.*:error' -- \
			--duration "$RUN" --dst-mac "$PEER_MAC" --quiet "${APP_OPTS[@]}" ;;
	# --stats-period keeps testpmd running: without it, non-interactive
	# testpmd waits on stdin, and a background job's stdin is at EOF, so it
	# quit after its first burst (the "32 frames, then nothing" of before).
	testpmd_xdp)
		printf '%q ' timeout --preserve-status -s INT "$RUN" dpdk-testpmd -l "$LCORES" --no-pci \
			--file-prefix="snvb-t-$$" "${MEM[@]}" --vdev "$XDP_VDEV" \
			--log-level='pmd.*:error' -- --forward-mode=txonly --auto-start \
			--nb-cores=1 --txq=1 --rxq=1 --eth-peer="0,$PEER_MAC" --txpkts=64 \
			--total-num-mbufs=16384 --stats-period=3600 ;;
	esac
}
sent_count() { # name, log: what the sender says it sent
	case $1 in
	kernel) awk '/^sent / {print $2}' "$2" ;;
	af_xdp | af_packet) awk '/^ *sent: / {print $5}' "$2" ;; # the port's opackets
	testpmd_xdp) awk '/TX-packets:/ {n = $2} END {print n}' "$2" ;;
	esac
}

# Each sender runs SECS + 3 s; the rate is what the peer receives in a SECS
# window that starts 1.5 s in (after EAL start-up, before the stop).
declare -A PPS
FAIL=0
measure() { # name, round
	local name=$1 log="/tmp/veth_vs_kernel.$$.$1.$2.log" pid r00 r0 r1 r11 t0 t1 pps sent
	r00=$(rx)
	eval "$(sender "$name")" > "$log" 2>&1 < /dev/null &
	pid=$!
	sleep 1.5
	r0=$(rx); t0=$(date +%s.%N)
	sleep "$SECS"
	r1=$(rx); t1=$(date +%s.%N)
	wait "$pid" || { echo "veth_vs_kernel: $name failed:" >&2; tail -5 "$log" >&2; FAIL=1; }
	sleep 0.3
	r11=$(rx)
	sent=$(sent_count "$name" "$log")
	pps=$(python3 -c "print(int(($r1 - $r0) / ($t1 - $t0)))")
	PPS[$name]+="$pps "
	printf '%-11s %10d pps received; whole run: %10d delivered of %10s sent%s\n' "$name" "$pps" \
		$((r11 - r00)) "${sent:-?}" "$([ "$((r11 - r00))" = "$sent" ] || echo '  (MISMATCH)')"
}

echo "veth_vs_kernel: $H -> $NS/$P ($PEER_MAC), pfifo_fast on $H, 64 B frames, $SECS s window," \
	"$ROUNDS round(s); DPDK: -l $LCORES ${MEM[*]}, $XDP_VDEV; app: ${APP_OPTS[*]}"
for ((round = 1; round <= ROUNDS; round++)); do
	echo "round $round:"
	for s in $SENDERS; do
		measure "$s" "$round"
	done
done
[ -n "$KEEP_LOGS" ] || rm -f /tmp/veth_vs_kernel.$$.*.log
args=()
for s in kernel af_xdp af_packet testpmd_xdp; do
	args+=("$s=${PPS[$s]}")
done
python3 - "${args[@]}" <<'PY'
import statistics, sys
med = {}
for a in sys.argv[1:]:
    name, v = a.split("=", 1)
    runs = [int(x) for x in v.split()]
    if runs:
        med[name] = statistics.median(runs)
        print("%-11s median %8.3f Mpps  (runs: %s)" % (name, med[name] / 1e6,
              ", ".join("%.3f" % (x / 1e6) for x in runs)))
def r(a, b):
    return "%.2fx" % (med[a] / med[b]) if med.get(a) and med.get(b) else "n/a"
print("ratio softnet/af_xdp to kernel:    %s (target >= 1.3x)" % r("af_xdp", "kernel"))
print("ratio softnet/af_packet to kernel: %s (informative)" % r("af_packet", "kernel"))
print("ratio testpmd/af_xdp to kernel:    %s (the PMD's own bound here)" % r("testpmd_xdp", "kernel"))
print("ratio softnet/af_xdp to testpmd:   %s (softnet's cost over the PMD)" % r("af_xdp", "testpmd_xdp"))
PY
exit $FAIL
