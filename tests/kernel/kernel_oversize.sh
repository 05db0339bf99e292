#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# kernel_oversize.sh PROGRAM [APP]
#
# Frames longer than the port can carry, end to end through a veth pair
# (MTU 1500) whose peer sits in a namespace: the kernel on the far side must
# receive exactly what softnet counts as sent, and the frames it cannot
# carry must be counted as dropped with reason "oversize".
#
# 1. PROGRAM (kernel_oversize.c), the library directly over net_af_packet:
#    1000 untagged 1518-byte frames (all dropped as oversize, the kernel
#    receives none), then the default IMIX with untagged 1518-byte frames
#    and VLAN-tagged 1518-byte frames mixed in. Then a self-check: the
#    same with softnet's MTU forced to 1504 (1518 untagged let through, the
#    old bug) must fail on the kernel's count.
# 2. APP (app/softnet) over net_af_packet on the same veth, --json: the
#    option mode with --size 1518 and the command mode with `set size 1518`
#    refuse with the same line and send nothing; --size 1514 and the default
#    IMIX (`set size imix`) are sent whole, and the peer's rx_packets and
#    rx_bytes grow by exactly the summary's "sent" (and its frame bytes).
#
# Creates and always removes the namespace and the veth pair (names carry
# this shell's pid); IPv6 off on both ends, so the kernel sends nothing of
# its own. Exit 0 pass, 1 fail, 77 skip (not root, no `ip netns`, no veth).
set -u
PROG=${1:?usage: kernel_oversize.sh PROGRAM [APP]}
APP=${2:-}

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

[ "$(id -u)" -eq 0 ] || skip "needs root (network namespaces, veth)"
command -v ip >/dev/null 2>&1 || skip "no ip command (iproute2)"
ip netns list >/dev/null 2>&1 || skip "ip netns is not available here"

id=$$
NS=snko-$id
HOST=snoh$id   # interface names: at most 15 bytes
PEER=snop$id
TMP=$(mktemp -d /tmp/kernel_oversize.XXXXXX) || fail "mktemp"

cleanup() {
	ip netns del "$NS" 2>/dev/null
	ip link del "$HOST" 2>/dev/null
	rm -rf /var/run/dpdk/sntest-ko_af_packet-* /var/run/dpdk/sn-ko-"$id"-* "$TMP" 2>/dev/null
	return 0
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

ip netns add "$NS" || skip "cannot create a network namespace here"
ip -n "$NS" link set lo up || fail "lo up in $NS"
ip link add "$HOST" type veth peer name "$PEER" 2>/dev/null ||
	skip "cannot create a veth pair here (no veth module?)"
ip link set "$PEER" netns "$NS" || fail "move $PEER into $NS"
echo 1 > "/proc/sys/net/ipv6/conf/$HOST/disable_ipv6" 2>/dev/null
ip netns exec "$NS" sh -c "echo 1 > /proc/sys/net/ipv6/conf/$PEER/disable_ipv6" 2>/dev/null
ip link set "$HOST" mtu 1500 && ip -n "$NS" link set "$PEER" mtu 1500 ||
	fail "cannot set MTU 1500 on the veth pair"
ip link set "$HOST" up && ip -n "$NS" link set "$PEER" up || fail "cannot bring the veth pair up"

echo "kernel_oversize.sh: namespace $NS, host $HOST, peer $PEER (MTU 1500)"
"$PROG" "$HOST" "$NS" "$PEER"
rc=$?
[ $rc -eq 0 ] || { echo "kernel_oversize.sh: $PROG exited $rc"; exit $rc; }

# Self-check: the same program with softnet's MTU forced to 1504, so that
# softnet lets untagged 1518-byte frames through (as before it knew the
# untagged limit), must fail, and on the kernel's count: softnet says sent,
# the kernel never received them. Were this to pass, the test could not see
# the bug it is for.
"$PROG" "$HOST" "$NS" "$PEER" 1504 >"$TMP/self.out" 2>&1
rc=$?
grep -v '^EAL\|^TELEMETRY' "$TMP/self.out" | sed 's/^/  self-check: /'
[ $rc -eq 1 ] || fail "self-check: softnet letting 1518-byte frames through went unnoticed (exit $rc)"
grep -q 'kernel_rx == r->sent' "$TMP/self.out" ||
	fail "self-check: failed, but not on the kernel's count"
echo "kernel_oversize.sh: self-check ok: with 1518 let through, the kernel count differs from softnet's sent"

if [ -z "$APP" ]; then
	echo "kernel_oversize.sh: no app given: library part only"
	exit 0
fi
command -v python3 >/dev/null 2>&1 || { echo "kernel_oversize.sh: no python3: app part skipped"; exit 0; }

peer_stat() { ip netns exec "$NS" cat "/sys/class/net/$PEER/statistics/$1"; }

n=0
# app_run ARGS...: the app over net_af_packet on HOST; stdout/stderr in $TMP/out, $TMP/err.
app_run() {
	n=$((n + 1))
	"$APP" -l 0-1 --no-pci --no-huge -m 512 --no-shconf --file-prefix="sn-ko-$id-$n" \
		--vdev "net_af_packet0,iface=$HOST,qpairs=1" -- "$@" >"$TMP/out" 2>"$TMP/err"
}

# wait_rx BASE WANT: until the peer has received WANT frames since BASE (at
# most 10 s), then a little longer so that any surplus shows; prints the delta.
wait_rx() {
	local base=$1 want=$2 now i
	for i in $(seq 1 100); do
		now=$(peer_stat rx_packets)
		[ $((now - base)) -ge "$want" ] && break
		sleep 0.1
	done
	sleep 0.3
	echo $(($(peer_stat rx_packets) - base))
}

# check_run NAME JSON RX0 BYTES0: the JSON summary against the peer's counters.
check_run() {
	local name=$1 json=$2 rx0=$3 bytes0=$4 sent got bytes
	sent=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sent"])' "$json") ||
		fail "$name: no JSON summary"
	got=$(wait_rx "$rx0" "$sent")
	bytes=$(($(peer_stat rx_bytes) - bytes0))
	echo "app $name: softnet sent $sent; $PEER received $got frames, $bytes bytes"
	python3 - "$json" "$got" "$bytes" "$name" <<'EOF' || exit 1
import json, sys
js = json.load(open(sys.argv[1]))
got, nbytes, name = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
def check(cond, msg):
    if not cond:
        print("FAIL: app %s: %s\n%s" % (name, msg, json.dumps(js, indent=1)))
        sys.exit(1)
check(js["accounting_ok"] and js["drops_ok"], "accounting")
check(sum(js["drops"].values()) == js["dropped"], "drop reasons do not add up to dropped")
check(js["dropped"] == 0 and js["drops"].get("oversize") == 0, "drops")
check(js["sent"] == js["handed"], "not everything sent")
check(js["port_opackets"] == js["sent"], "port opackets %s != sent" % js["port_opackets"])
check(got == js["sent"], "the kernel received %d frames, softnet sent %d" % (got, js["sent"]))
check(js["port_obytes"] == nbytes, "the kernel received %d bytes, the port sent %d"
      % (nbytes, js["port_obytes"]))
EOF
}

# 2a. Refused in both modes with the same line; nothing reaches the kernel.
rx0=$(peer_stat rx_packets)
app_run --count 1000 --size 1518 --json "$TMP/refused.json"
rc=$?
[ $rc -eq 2 ] || fail "--size 1518: exit $rc, expected 2: $(cat "$TMP/err")"
opt_err=$(grep -o 'size 1518 is out of range.*' "$TMP/err") ||
	fail "--size 1518: $(cat "$TMP/err")"
[ -e "$TMP/refused.json" ] && [ -s "$TMP/refused.json" ] && fail "--size 1518 wrote a summary"
printf 'set size 1518\nset count 1000\nstart\nwait\n' >"$TMP/refuse.cmd"
app_run --cmdline-file "$TMP/refuse.cmd"
rc=$?
[ $rc -eq 2 ] || fail "set size 1518: exit $rc, expected 2: $(cat "$TMP/err")"
cmd_err=$(grep -o 'size 1518 is out of range.*' "$TMP/err") || fail "set size 1518: $(cat "$TMP/err")"
grep -q "refuse.cmd:1: error: set: size 1518" "$TMP/err" || fail "set size 1518: $(cat "$TMP/err")"
[ "${opt_err%% (usage*}" = "${cmd_err%% (usage*}" ] ||
	fail "the modes differ: '$opt_err' vs '$cmd_err'"
echo "app: --size 1518 and set size 1518 both refused: ${opt_err%% (usage*}"
got=$(wait_rx "$rx0" 0)
[ "$got" -eq 0 ] || fail "the kernel received $got frames from refused runs"

# 2b. The option mode at the largest untagged size: all of it arrives.
rx0=$(peer_stat rx_packets)
bytes0=$(peer_stat rx_bytes)
app_run --count 3000 --size 1514 --stats-period 0 --json "$TMP/1514.json" ||
	fail "--size 1514: exit $?: $(cat "$TMP/err") $(tail -5 "$TMP/out")"
check_run "--size 1514" "$TMP/1514.json" "$rx0" "$bytes0"

# 2c. The command mode with the default IMIX (64:7, 570:4, 1514:1).
printf 'set size imix\nset count 6000\nstart\nwait\nshow softnet drops\n' >"$TMP/imix.cmd"
rx0=$(peer_stat rx_packets)
bytes0=$(peer_stat rx_bytes)
app_run --cmdline-file "$TMP/imix.cmd" --json "$TMP/imix.json" ||
	fail "imix: exit $?: $(cat "$TMP/err") $(tail -5 "$TMP/out")"
check_run "imix" "$TMP/imix.json" "$rx0" "$bytes0"
grep -q "the reasons add up to dropped on every lcore: OK" "$TMP/out" ||
	fail "imix: show softnet drops: $(cat "$TMP/out")"
# 6000 frames = 500 cycles of 7 x 64 + 4 x 570 + 1 x 1514 bytes.
bytes=$(($(peer_stat rx_bytes) - bytes0))
[ "$bytes" -eq $((500 * (7 * 64 + 4 * 570 + 1514))) ] || fail "imix: $bytes bytes"
echo "kernel_oversize.sh: ok"
exit 0
