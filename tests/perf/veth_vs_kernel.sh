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
#              PMD itself can do on this kernel, the bound for af_xdp.
# 64-byte UDP/IPv4 frames to the peer's MAC; the peer has no address, so
# nothing answers. Removes what it created on any exit. Needs root.
#   tests/perf/veth_vs_kernel.sh [BUILD_DIR] [SECONDS] [APP OPTIONS...]
# (app options such as --burst 64 go to both softnet runs)
set -o pipefail
cd "$(dirname "$0")/../.." || exit 1
BUILD=${1:-build}
SECS=${2:-5}
shift 2 2>/dev/null
APP_OPTS=("$@")
APP=$BUILD/app/softnet/softnet
KTX=$BUILD/tests/perf/kernel_af_packet_tx
[ "$(id -u)" -eq 0 ] || { echo "veth_vs_kernel: needs root" >&2; exit 77; }
[ -x "$APP" ] && [ -x "$KTX" ] || { echo "veth_vs_kernel: build $BUILD first" >&2; exit 1; }
command -v tc >/dev/null || { echo "veth_vs_kernel: tc (iproute2) missing" >&2; exit 77; }

NS=snvb$$ H=snvb$$h P=snvb$$p
cleanup() { ip link del "$H" 2>/dev/null; ip netns del "$NS" 2>/dev/null; }
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

free_hp=$(awk '/^HugePages_Free:/ {print $2}' /proc/meminfo)
if [ "${free_hp:-0}" -ge 256 ] && grep -qs ' hugetlbfs ' /proc/mounts; then
	MEM=(--huge-unlink)
else
	MEM=(--no-huge -m 1024 --no-shconf)
fi

# Each sender runs SECS + 3 s; the rate is what the peer receives in a SECS
# window that starts 1.5 s in (after EAL start-up, before the stop).
declare -A PPS
measure() { # name, command... (the command must run for SECS + 3 s)
	local name=$1 pid r0 r1 t0 t1
	shift
	"$@" > "/tmp/veth_vs_kernel.$$.$name.log" 2>&1 &
	pid=$!
	sleep 1.5
	r0=$(rx); t0=$(date +%s.%N)
	sleep "$SECS"
	r1=$(rx); t1=$(date +%s.%N)
	wait "$pid" || { echo "veth_vs_kernel: $name failed:" >&2; tail -5 "/tmp/veth_vs_kernel.$$.$name.log" >&2; }
	PPS[$name]=$(python3 -c "print(int(($r1 - $r0) / ($t1 - $t0)))")
	printf '%-10s received %10d frames in the window: %10d pps\n' "$name" $((r1 - r0)) "${PPS[$name]}"
}
RUN=$((SECS + 3))

echo "veth_vs_kernel: $H -> $NS/$P ($PEER_MAC), pfifo_fast on $H, 64 B frames, $SECS s each"
measure kernel "$KTX" "$H" "$PEER_MAC" "$RUN"
measure af_xdp "$APP" -l 0-1 --no-pci --file-prefix=snvb-x-$$ "${MEM[@]}" \
	--vdev "net_af_xdp0,iface=$H,start_queue=0,queue_count=1" --log-level='pmd.*:error' -- \
	--duration "$RUN" --dst-mac "$PEER_MAC" --quiet "${APP_OPTS[@]}"
measure af_packet "$APP" -l 0-1 --no-pci --file-prefix=snvb-p-$$ "${MEM[@]}" \
	--vdev "net_af_packet0,iface=$H" --log-level='pmd.*:error' -- \
	--duration "$RUN" --dst-mac "$PEER_MAC" --quiet "${APP_OPTS[@]}"
if command -v dpdk-testpmd >/dev/null; then
	measure testpmd_xdp timeout -s INT "$RUN" dpdk-testpmd -l 0-1 --no-pci \
		--file-prefix=snvb-t-$$ "${MEM[@]}" \
		--vdev "net_af_xdp0,iface=$H,start_queue=0,queue_count=1" --log-level='pmd.*:error' -- \
		--forward-mode=txonly --auto-start --nb-cores=1 --txq=1 --rxq=1 \
		--eth-peer="0,$PEER_MAC" --txpkts=64 --total-num-mbufs=16384
else
	PPS[testpmd_xdp]=0
fi
[ -n "$KEEP_LOGS" ] || rm -f /tmp/veth_vs_kernel.$$.*.log
python3 - "${PPS[kernel]}" "${PPS[af_xdp]}" "${PPS[af_packet]}" "${PPS[testpmd_xdp]}" <<'PY'
import sys
k, x, p, t = (int(v) for v in sys.argv[1:])
r = lambda a, b: "%.2fx" % (a / b) if b else "n/a"
print("ratio softnet/af_xdp to kernel:    %s (target >= 1.3x)" % r(x, k))
print("ratio softnet/af_packet to kernel: %s (informative)" % r(p, k))
print("ratio testpmd/af_xdp to kernel:    %s (the PMD's own bound here)" % r(t, k))
print("ratio softnet/af_xdp to testpmd:   %s (softnet's cost over the PMD)" % r(x, t))
PY
