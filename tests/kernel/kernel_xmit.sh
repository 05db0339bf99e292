#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# kernel_xmit.sh PROGRAM MODE [COUNT]
#
# Builds the kernel side for kernel_xmit (PROGRAM) and always tears it down:
# a network namespace and, for af_packet and af_xdp, a veth pair with its
# peer end in the namespace; for tap, only the namespace (the tap PMD makes
# the interface, the program moves it there). Names carry this shell's pid so
# parallel runs cannot collide. IPv6 is disabled on both ends so that the
# kernel sends nothing of its own: the peer's counters count softnet's frames
# only. Touches no interface it did not create.
#
# Exit 0 pass, 1 fail, 77 skip (not root, no `ip netns`, no veth).
set -u
PROG=${1:?usage: kernel_xmit.sh PROGRAM MODE [COUNT]}
MODE=${2:?usage: kernel_xmit.sh PROGRAM MODE [COUNT]}
COUNT=${3:-10000}

skip() { echo "SKIP: $*"; exit 77; }

[ "$(id -u)" -eq 0 ] || skip "needs root (network namespaces, veth)"
command -v ip >/dev/null 2>&1 || skip "no ip command (iproute2)"
ip netns list >/dev/null 2>&1 || skip "ip netns is not available here"

id=$$
NS=snk-$id
HOST=snh$id   # interface names: at most 15 bytes
PEER=snp$id
[ "$MODE" = tap ] && { HOST=snt$id; PEER=$HOST; }

cleanup() {
	ip netns del "$NS" 2>/dev/null
	ip link del "$HOST" 2>/dev/null
	rm -rf /var/run/dpdk/sntest-kx_"$MODE"-* 2>/dev/null
	return 0
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

no_ipv6() { # [netns] ifname
	if [ $# -eq 2 ]; then
		ip netns exec "$1" sh -c "echo 1 > /proc/sys/net/ipv6/conf/$2/disable_ipv6" 2>/dev/null
	else
		echo 1 > "/proc/sys/net/ipv6/conf/$1/disable_ipv6" 2>/dev/null
	fi
	return 0
}

ip netns add "$NS" || skip "cannot create a network namespace here"
ip -n "$NS" link set lo up || { echo "FAIL: lo up in $NS"; exit 1; }

if [ "$MODE" != tap ]; then
	ip link add "$HOST" type veth peer name "$PEER" 2>/dev/null ||
		skip "cannot create a veth pair here (no veth module?)"
	ip link set "$PEER" netns "$NS" || { echo "FAIL: move $PEER into $NS"; exit 1; }
	no_ipv6 "$HOST"
	no_ipv6 "$NS" "$PEER"
	ip link set "$HOST" up && ip -n "$NS" link set "$PEER" up ||
		{ echo "FAIL: cannot bring the veth pair up"; exit 1; }
fi

echo "kernel_xmit.sh: mode $MODE, namespace $NS, host $HOST, peer $PEER, $COUNT frames"
"$PROG" "$MODE" "$HOST" "$NS" "$PEER" "$COUNT"
