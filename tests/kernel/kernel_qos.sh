#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# kernel_qos.sh PROGRAM
#
# Builds the kernel side for kernel_qos (PROGRAM) and always tears it down: a
# network namespace and two veth pairs with their peer ends in it, one for
# the kernel's own qdiscs (tc) and one for softnet (net_af_packet). Names
# carry this shell's pid. IPv6 off on every end, so the kernel sends nothing
# of its own. Touches no interface it did not create.
#
# Exit 0 pass, 1 fail, 77 skip (not root, no `ip netns`, no veth, no tc, or
# the kernel has neither tbf nor htb).
set -u
PROG=${1:?usage: kernel_qos.sh PROGRAM}

skip() { echo "SKIP: $*"; exit 77; }

[ "$(id -u)" -eq 0 ] || skip "needs root (network namespaces, veth, tc)"
command -v ip >/dev/null 2>&1 || skip "no ip command (iproute2)"
command -v tc >/dev/null 2>&1 || skip "no tc command (iproute2)"
ip netns list >/dev/null 2>&1 || skip "ip netns is not available here"

id=$$
NS=snq-$id
KH=sqk$id  KP=sqkp$id   # the kernel's pair
SH=sqs$id  SP=sqsp$id   # softnet's pair

cleanup() {
	ip netns del "$NS" 2>/dev/null
	ip link del "$KH" 2>/dev/null
	ip link del "$SH" 2>/dev/null
	rm -rf /var/run/dpdk/sntest-kq-* 2>/dev/null
	return 0
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

ip netns add "$NS" || skip "cannot create a network namespace here"
for pair in "$KH $KP" "$SH $SP"; do
	set -- $pair
	ip link add "$1" type veth peer name "$2" 2>/dev/null ||
		skip "cannot create a veth pair here (no veth module?)"
	ip link set "$2" netns "$NS" || { echo "FAIL: move $2 into $NS"; exit 1; }
	echo 1 > "/proc/sys/net/ipv6/conf/$1/disable_ipv6" 2>/dev/null
	ip netns exec "$NS" sh -c "echo 1 > /proc/sys/net/ipv6/conf/$2/disable_ipv6" 2>/dev/null
	ip link set "$1" up && ip -n "$NS" link set "$2" up ||
		{ echo "FAIL: cannot bring $1/$2 up"; exit 1; }
done
tc qdisc add dev "$KH" root tbf rate 1mbit burst 32kb latency 10ms 2>/dev/null ||
	skip "the kernel has no tbf (sch_tbf)"
tc qdisc del dev "$KH" root

echo "kernel_qos.sh: namespace $NS, kernel $KH/$KP, softnet $SH/$SP"
"$PROG" "$KH" "$SH" "$NS" "$KP" "$SP"
