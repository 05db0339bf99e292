#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Set a Debian 12 machine up for softnet and build it (release) into build/.
# Idempotent: installs only missing packages, reserves 2 MiB hugepages only if
# too few are reserved, mounts hugetlbfs only if it is not mounted. Needs root
# for the first two; as another user it only builds.
#
# Environment:
#   SN_BUILD_DIR   build directory (default: build)
#   SN_HUGEPAGES   2 MiB pages to reserve (default: 512; 0: do not reserve)
#   SN_SKIP_BUILD  set to 1 to install and reserve only
set -o pipefail
export DEBIAN_FRONTEND=noninteractive
export NEEDRESTART_MODE=a
exec </dev/null

cd "$(dirname "$0")/.." || { echo "setup.sh: error: cannot enter the source tree" >&2; exit 1; }
SRC=$(pwd)
BUILD_DIR=${SN_BUILD_DIR:-build}
HUGEPAGES=${SN_HUGEPAGES:-512}
LOG_DIR=${TMPDIR:-/tmp}
APT_LOG=$LOG_DIR/softnet-setup-apt.$$.log

say() { echo "setup.sh: $*"; }
die() { echo "setup.sh: error: $*" >&2; exit 1; }

# --- packages ---------------------------------------------------------------
# Build: compiler, make (the examples build from the installed package with
# make + pkg-config in tests/install), pkg-config, meson, ninja, DPDK's headers
# and libraries.
# Run: DPDK's PMDs (the dpdk package pulls the vdev PMDs in, af_xdp's brings
# libxdp1 and libbpf1 with the default XDP program objects), iproute2, iputils-ping (the rx tests ping from a namespace) and
# ethtool for the kernel tests, pyelftools for DPDK's usertools, tcpdump (the
# capture tests read pcapng files back with it; libpcap-dev, for pcap replay,
# comes with libdpdk-dev), python3-matplotlib (scripts/bench-report.sh's plots).
PACKAGES=(gcc libc6-dev make pkg-config meson ninja-build python3 python3-pyelftools
	  dpdk dpdk-dev libdpdk-dev libnuma-dev
	  librte-net-null23 librte-net-af-packet23 librte-net-af-xdp23 librte-net-tap23
	  libxdp1 libbpf1 iproute2 ethtool iputils-ping tcpdump python3-matplotlib)

missing=()
for p in "${PACKAGES[@]}"; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)
	[ "$st" = installed ] || missing+=("$p")
done

if [ ${#missing[@]} -ne 0 ]; then
	[ "$(id -u)" -eq 0 ] || die "missing packages (${missing[*]}) and not root: run as root (sudo)"
	say "installing: ${missing[*]}"
	if ! apt-get update -q >"$APT_LOG" 2>&1; then
		tail -n 15 "$APT_LOG" >&2
		die "apt-get update failed (log: $APT_LOG)"
	fi
	if ! apt-get install -y -q --no-install-recommends "${missing[@]}" >>"$APT_LOG" 2>&1; then
		tail -n 15 "$APT_LOG" >&2
		die "apt-get install ${missing[*]} failed (log: $APT_LOG)"
	fi
	rm -f "$APT_LOG"
else
	say "packages: all present"
fi

# --- hugepages --------------------------------------------------------------
# Reserve and mount when we can; when we cannot (no root, a container without
# a writable /sys or mount rights), say so: the run scripts then fall back to
# --no-huge.
hp_sys=/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages
hugepages_ok=1
if [ "$HUGEPAGES" -gt 0 ] 2>/dev/null; then
	if [ ! -e "$hp_sys" ]; then
		say "hugepages: this kernel has no 2 MiB hugepages; runs will use --no-huge"
		hugepages_ok=0
	else
		cur=$(cat "$hp_sys")
		if [ "$cur" -lt "$HUGEPAGES" ]; then
			if [ "$(id -u)" -eq 0 ] && echo "$HUGEPAGES" >"$hp_sys" 2>/dev/null; then
				cur=$(cat "$hp_sys")
			fi
			if [ "$cur" -lt "$HUGEPAGES" ]; then
				say "hugepages: could reserve only $cur of $HUGEPAGES 2 MiB pages"
			fi
		fi
		[ "$cur" -gt 0 ] || hugepages_ok=0
	fi
	if [ $hugepages_ok -eq 1 ] && ! grep -qs ' hugetlbfs ' /proc/mounts; then
		if [ "$(id -u)" -eq 0 ] && mkdir -p /dev/hugepages &&
		   mount -t hugetlbfs -o pagesize=2M nodev /dev/hugepages 2>/dev/null; then
			say "hugepages: mounted hugetlbfs at /dev/hugepages"
		else
			say "hugepages: CANNOT mount hugetlbfs; runs will use --no-huge"
			hugepages_ok=0
		fi
	fi
	if [ $hugepages_ok -eq 1 ]; then
		free=$(awk '/^HugePages_Free:/ {print $2}' /proc/meminfo)
		say "hugepages: $(cat "$hp_sys") x 2 MiB reserved, $free free, hugetlbfs at $(awk '$3 == "hugetlbfs" {print $2; exit}' /proc/mounts)"
	else
		say "hugepages: NOT available; runs will use --no-huge"
	fi
fi

# --- build ------------------------------------------------------------------
[ "${SN_SKIP_BUILD:-0}" = 1 ] && exit 0
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
	say "configuring $BUILD_DIR (release)"
	rm -rf "$BUILD_DIR"
	meson setup "$BUILD_DIR" --buildtype=release >"$LOG_DIR/softnet-setup-meson.$$.log" 2>&1 || {
		tail -n 25 "$LOG_DIR/softnet-setup-meson.$$.log" >&2
		die "meson setup $BUILD_DIR failed (log: $LOG_DIR/softnet-setup-meson.$$.log)"
	}
	rm -f "$LOG_DIR/softnet-setup-meson.$$.log"
fi
say "building $BUILD_DIR"
if ! ninja -C "$BUILD_DIR" >"$LOG_DIR/softnet-setup-ninja.$$.log" 2>&1; then
	grep -E 'error|Error|FAILED' "$LOG_DIR/softnet-setup-ninja.$$.log" | head -n 20 >&2
	die "build of $SRC/$BUILD_DIR failed (log: $LOG_DIR/softnet-setup-ninja.$$.log)"
fi
rm -f "$LOG_DIR/softnet-setup-ninja.$$.log"
say "ok: $SRC/$BUILD_DIR is built"
