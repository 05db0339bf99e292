#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The main job: set up, build, then run the softnet generator on the embedded
# default port (a net_null vdev) for 10 seconds. Extra arguments go to the
# app after `--` (e.g. ./scripts/run-main.sh --qdisc pfifo --size 128).
#
# Never probes PCI; uses hugepages when setup.sh could reserve some, else
# --no-huge. Environment: SN_BUILD_DIR (default build), SN_NO_SETUP=1 to skip
# setup.sh.
set -o pipefail
exec </dev/null
cd "$(dirname "$0")/.." || exit 1
BUILD_DIR=${SN_BUILD_DIR:-build}
die() { echo "run-main.sh: error: $*" >&2; exit 1; }

if [ "${SN_NO_SETUP:-0}" != 1 ]; then
	SN_BUILD_DIR=$BUILD_DIR ./scripts/setup.sh || die "setup.sh failed"
fi

APP=$BUILD_DIR/app/softnet/softnet
[ -x "$APP" ] || die "$APP is not built (app/softnet has no program yet, or the build skipped it)"

# One lcore for the generator plus the main lcore when there are two cores.
if [ "$(nproc)" -ge 2 ]; then LCORES=0-1; else LCORES=0; fi

# Hugepages if hugetlbfs is mounted and enough 2 MiB pages are free (256 MiB),
# otherwise anonymous memory.
free_hp=$(awk '/^HugePages_Free:/ {print $2}' /proc/meminfo 2>/dev/null)
if grep -qs ' hugetlbfs ' /proc/mounts && [ "${free_hp:-0}" -ge 128 ] && [ -w /dev/hugepages ]; then
	MEM=(--huge-unlink)
	mem_note="hugepages ($free_hp x 2 MiB free)"
else
	MEM=(--no-huge -m 1024 --no-shconf)
	mem_note="no hugepages (--no-huge -m 1024)"
fi

PREFIX=softnet-main-$$
EAL=(-l "$LCORES" --no-pci --file-prefix="$PREFIX" "${MEM[@]}" --vdev net_null0)
if [ $# -eq 0 ]; then
	APP_ARGS=(--duration 10)
else
	APP_ARGS=("$@")
	case " $* " in
	*" --count "*|*" --duration "*) ;;
	*) APP_ARGS=(--duration 10 "$@") ;;
	esac
fi

echo "run-main.sh: $APP on net_null0, lcores $LCORES, $mem_note"
echo "run-main.sh: $APP ${EAL[*]} -- ${APP_ARGS[*]}"
"$APP" "${EAL[@]}" -- "${APP_ARGS[@]}"
rc=$?
# --huge-unlink leaves no files; remove anything else this prefix left behind.
rm -rf "/var/run/dpdk/$PREFIX" "/dev/hugepages/${PREFIX}map_"* 2>/dev/null
[ $rc -eq 0 ] || die "softnet exited with status $rc"
