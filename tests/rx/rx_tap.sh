#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# rx_tap.sh PROGRAM [ARGS...]
#
# Creates a network namespace for rx_tap (PROGRAM) and always removes it:
# the program's tap PMD makes the interface, the program moves it into the
# namespace and pings softnet from there. Names carry this shell's pid.
# Exit 0 pass, 1 fail, 77 skip (not root, no `ip netns`, no ping).
set -u
PROG=${1:?usage: rx_tap.sh PROGRAM [ARGS...]}
shift

skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "needs root (network namespaces, tap)"
command -v ip >/dev/null 2>&1 || skip "no ip command (iproute2)"
command -v ping >/dev/null 2>&1 || skip "no ping"
ip netns list >/dev/null 2>&1 || skip "ip netns is not available here"
[ -c /dev/net/tun ] || skip "no /dev/net/tun"

NS=snrx-$$
IFACE=snrx$$
cleanup() {
	ip netns del "$NS" 2>/dev/null
	ip link del "$IFACE" 2>/dev/null
	return 0
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
ip netns add "$NS" || skip "cannot create a network namespace here"
ip -n "$NS" link set lo up
"$PROG" "$IFACE" "$NS" "$@"
