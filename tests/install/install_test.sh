#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# The installed package is enough to build and run an application:
#  1. meson install the build directory into a temporary destdir;
#  2. check the installed headers compile on their own, and libsoftnet.pc
#     (Requires libdpdk, -I${includedir}/softnet, -DSN_LOCKDEP=1 exactly when
#     the installed sn_config.h says the validator is in, no path into the
#     source or build tree);
#  3. build examples/hello_qdisc and examples/appliance with their Makefiles,
#     which use `pkg-config --cflags --libs libsoftnet` and nothing else, the
#     .pc's prefix pointed into the destdir;
#  4. run them on the installed shared library: hello_qdisc on net_null must
#     send 1000 frames; appliance on two net_ring loopback ports injects 10000
#     frames, 101 pings and an ARP request into its input port and must
#     forward every data frame and answer every request (its self-test).
#
# usage: install_test.sh SOURCE_ROOT BUILD_ROOT
# Exit 0 pass, 1 fail, 77 skip. Needs no network, no root, no hugepages;
# removes its temporary directory on any exit.

set -u

SRC=${1:?usage: $0 SOURCE_ROOT BUILD_ROOT}
BUILD=${2:?usage: $0 SOURCE_ROOT BUILD_ROOT}
PASS=0 FAIL=1 SKIP=77

fail() { echo "FAIL: $*"; exit $FAIL; }
skip() { echo "SKIP: $*"; exit $SKIP; }

for tool in meson pkg-config make cc; do
	command -v $tool >/dev/null 2>&1 || skip "no $tool"
done
pkg-config --exists libdpdk || skip "libdpdk.pc not found"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/sn-install.XXXXXX") || fail "mktemp"
# EAL leaves a runtime directory per file prefix (its telemetry socket).
if [ "$(id -u)" -eq 0 ]; then RUNDIR=/var/run/dpdk; else RUNDIR=${XDG_RUNTIME_DIR:-/tmp}/dpdk; fi
# shellcheck disable=SC2317 # called by the trap
cleanup() {
	rm -rf "$TMP" "$RUNDIR/sn-inst-hq-$$" "$RUNDIR/sn-inst-ap-$$"
}
trap cleanup EXIT
trap 'exit $FAIL' INT TERM HUP
DEST=$TMP/dest

# 1. Install. --no-rebuild: meson test has built everything already, and a
# nested ninja must not run inside a test of the same build directory.
meson install -C "$BUILD" --no-rebuild --destdir "$DEST" >"$TMP/install.log" 2>&1 ||
	{ cat "$TMP/install.log"; fail "meson install"; }

PC=$(find "$DEST" -name libsoftnet.pc | head -n 1)
[ -n "$PC" ] || fail "libsoftnet.pc not installed"
prefix=$(sed -n 's/^prefix=//p' "$PC")
[ -n "$prefix" ] || fail "no prefix= in $PC"
# The installed .pc names the final prefix; point a copy of it into the
# destdir (PKG_CONFIG_SYSROOT_DIR would also move libdpdk's paths).
mkdir -p "$TMP/pc"
sed "s|^prefix=.*|prefix=$DEST$prefix|" "$PC" >"$TMP/pc/libsoftnet.pc"
PKG_CONFIG_PATH=$TMP/pc${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}
export PKG_CONFIG_PATH

# 2. The .pc and the headers.
echo "installed: ${PC#"$DEST"}"
sed 's/^/  /' "$PC"
grep -q "$BUILD\|$SRC" "$PC" && fail "libsoftnet.pc names the build or source tree"
pkg-config --print-requires libsoftnet | grep -q '^libdpdk' || fail "Requires lacks libdpdk"
CFLAGS_PC=$(pkg-config --cflags libsoftnet) || fail "pkg-config --cflags libsoftnet"
LIBS_PC=$(pkg-config --libs libsoftnet) || fail "pkg-config --libs libsoftnet"
INC=$(pkg-config --variable=includedir libsoftnet)/softnet
case " $CFLAGS_PC " in
*" -I$INC "*) ;;
*) fail "Cflags lack -I$INC: $CFLAGS_PC" ;;
esac
case " $LIBS_PC " in
*" -lsoftnet "*) ;;
*) fail "Libs lack -lsoftnet: $LIBS_PC" ;;
esac
for h in softnet.h sn_ethdev.h sn_sched.h sn_netdev_driver.h sn_config.h; do
	[ -f "$INC/$h" ] || fail "$h not installed"
done
lockdep=$(sed -n 's/^#define SN_LOCKDEP \([01]\)$/\1/p' "$INC/sn_config.h")
case "$lockdep:$CFLAGS_PC" in
1:*-DSN_LOCKDEP=1*) ;;
0:*-DSN_LOCKDEP=1*) fail "Cflags say SN_LOCKDEP=1, sn_config.h says 0" ;;
1:*) fail "the validator is built in but Cflags lack -DSN_LOCKDEP=1" ;;
0:*) ;;
*) fail "cannot read SN_LOCKDEP from sn_config.h" ;;
esac

# Every tier's header compiles alone, without ALLOW_EXPERIMENTAL_API
# (an experimental DPDK call in an inline would be a deprecation error).
for h in softnet.h sn_ethdev.h sn_sched.h sn_netdev_driver.h; do
	printf '#include <%s>\nint main(void) { return 0; }\n' "$h" >"$TMP/hdr.c"
	# shellcheck disable=SC2086
	cc -Wall -Werror -Werror=deprecated-declarations $CFLAGS_PC -c "$TMP/hdr.c" \
		-o "$TMP/hdr.o" >"$TMP/hdr.log" 2>&1 || { cat "$TMP/hdr.log"; fail "$h does not compile alone"; }
done

# 3. Build the examples out of tree, with their Makefiles: pkg-config only.
# A sanitized libsoftnet (-Db_sanitize=...) needs its runtime in the program.
SAN=
if command -v python3 >/dev/null 2>&1; then
	SAN=$(meson introspect --buildoptions "$BUILD" 2>/dev/null | python3 -c '
import json, sys
print(next((o["value"] for o in json.load(sys.stdin) if o["name"] == "b_sanitize"), "none"))' 2>/dev/null)
fi
case "$SAN" in
"" | none) SANFLAGS= ;;
*) SANFLAGS="-fsanitize=$SAN" ;;
esac
for ex in hello_qdisc appliance; do
	mkdir -p "$TMP/$ex"
	make -s -C "$TMP/$ex" -f "$SRC/examples/$ex/Makefile" \
		CFLAGS="-O2 -g -Wall -Werror=deprecated-declarations -Werror=implicit-function-declaration $SANFLAGS" \
		LDFLAGS="$SANFLAGS" \
		>"$TMP/$ex/build.log" 2>&1 || { cat "$TMP/$ex/build.log"; fail "building $ex"; }
	[ -x "$TMP/$ex/$ex" ] || fail "$ex not built"
done

# 4. Run them on the installed library.
LD_LIBRARY_PATH=$(pkg-config --variable=libdir libsoftnet)${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export LD_LIBRARY_PATH
if command -v ldd >/dev/null 2>&1; then
	ldd "$TMP/hello_qdisc/hello_qdisc" | grep -q "libsoftnet.*$DEST" ||
		fail "hello_qdisc does not load the installed libsoftnet: $(ldd "$TMP/hello_qdisc/hello_qdisc" | grep softnet)"
fi
EAL="--no-pci --no-huge -m 256 --no-shconf --log-level=lib.eal:error --log-level=pmd.*:error"

# shellcheck disable=SC2086
timeout 60 "$TMP/hello_qdisc/hello_qdisc" $EAL --file-prefix "sn-inst-hq-$$" -l 0 \
	--vdev net_null0 >"$TMP/hq.out" 2>&1
rc=$?
cat "$TMP/hq.out"
[ $rc -eq 0 ] || fail "hello_qdisc exited $rc"
grep -q '^qdisc pfifo_fast: sent 1000 pkt' "$TMP/hq.out" || fail "hello_qdisc: qdisc did not send 1000"
grep -q '^port 0: opackets 1000 ' "$TMP/hq.out" || fail "hello_qdisc: port did not send 1000"

# shellcheck disable=SC2086
timeout 120 "$TMP/appliance/appliance" $EAL --file-prefix "sn-inst-ap-$$" -l 0 \
	--vdev net_ring0 --vdev net_ring1 -- --inject 10000 --duration 60 >"$TMP/ap.out" 2>&1
rc=$?
cat "$TMP/ap.out"
[ $rc -eq 0 ] || fail "appliance exited $rc"
fwd=$(sed -n 's/^forwarder: .* forwarded \([0-9]*\) .*/\1/p' "$TMP/ap.out")
[ "${fwd:-0}" -eq 10000 ] || fail "appliance forwarded ${fwd:-nothing}, not 10000"
grep -q '^responder: .* arp_replies 1 .* icmp_replies 101 ' "$TMP/ap.out" ||
	fail "appliance: the responder did not answer 1 ARP request and 101 pings"
grep -q '^port 1: ipackets 10000 opackets 10000 ' "$TMP/ap.out" ||
	fail "appliance: port 1 did not carry the 10000 forwarded frames"
grep -q '^self-test: .*: PASS$' "$TMP/ap.out" || fail "appliance self-test"

echo "PASS: installed libsoftnet builds and runs hello_qdisc and appliance"
exit $PASS
