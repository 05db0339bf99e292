#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# fault_link_flap.sh PROGRAM
#
# Creates a network namespace for fault_link_flap (PROGRAM) and always
# removes it: the program's tap PMD makes the interface, the program moves
# it into the namespace and flaps it there (`ip link set ... down/up`,
# `carrier off/on`). Names carry this shell's pid. Touches no interface it
# did not create. Exit 0 pass, 1 fail, 77 skip (not root, no `ip netns`, no
# /dev/net/tun).
set -u
PROG=${1:?usage: fault_link_flap.sh PROGRAM}

skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "needs root (network namespaces, tap)"
command -v ip >/dev/null 2>&1 || skip "no ip command (iproute2)"
ip netns list >/dev/null 2>&1 || skip "ip netns is not available here"
[ -c /dev/net/tun ] || skip "no /dev/net/tun"

NS=snfl-$$
IFACE=snfl$$
cleanup() {
	ip netns del "$NS" 2>/dev/null
	ip link del "$IFACE" 2>/dev/null
	rm -rf /var/run/dpdk/sntest-fault_link_flap-* 2>/dev/null
	return 0
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
ip netns add "$NS" || skip "cannot create a network namespace here"
ip -n "$NS" link set lo up
"$PROG" "$IFACE" "$NS"
