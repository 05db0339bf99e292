#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# bench-report.sh OUTDIR [options]: run softnet's benchmarks and write a
# Markdown report with PNG plots to OUTDIR (report.md, *.png, raw/ with every
# program's own output):
#   sn_bench        softnet's transmit paths against a bare rte_eth_tx_burst()
#                   loop on net_null (Mpps, cycles per packet, ratios);
#   qos_bench       htb against DPDK's rte_sched, pfifo_fast as reference;
#   gen_vs_testpmd  the softnet generator against dpdk-testpmd txonly on
#                   net_null (tests/perf/gen_vs_testpmd.sh);
#   veth            softnet over net_af_xdp / net_af_packet against the
#                   kernel's AF_PACKET + pfifo_fast on a veth pair
#                   (tests/perf/veth_vs_kernel.sh; root only);
#   bql_latency     band-0 latency under bulk load with and without BQL: its
#                   samples (CSV) as distributions.
# Plots: rates per path, cycles per packet, latency distributions.
#
# The default run is short (about 2 minutes: one measured round each, short
# windows): figures for a look, not for the record. --full uses the
# benchmarks' own defaults (3 rounds or more, longer windows; ~10 minutes).
#
# Options:
#   --build DIR     the meson build with tests enabled (default: $SN_BUILD_DIR or build)
#   --full          the benchmarks' default lengths and repeats
#   --only LIST     comma-separated subset of: sn_bench,qos_bench,testpmd,veth,bql
#   --no-huge       run DPDK without hugepages even when there are (slower figures)
#   -h, --help      this text
# Needs python3-matplotlib (scripts/setup.sh installs it) for the plots;
# without it the report has the tables only. A benchmark that cannot run here
# (no root for veth, no dpdk-testpmd) is listed as skipped, with why.
# Exit status: 0 when every benchmark that could run did, 1 otherwise, 2 usage.
set -u -o pipefail
usage() { sed -n '4,/^set -u/p' "$0" | sed -e '/^set -u/d' -e 's/^# \{0,1\}//'; }

OUT=
BUILD=${SN_BUILD_DIR:-build}
FULL=0
ONLY=sn_bench,qos_bench,testpmd,veth,bql
NO_HUGE=0
while [ $# -gt 0 ]; do
	case $1 in
	--build) BUILD=${2:?--build DIR}; shift ;;
	--build=*) BUILD=${1#*=} ;;
	--full) FULL=1 ;;
	--only) ONLY=${2:?--only LIST}; shift ;;
	--only=*) ONLY=${1#*=} ;;
	--no-huge) NO_HUGE=1 ;;
	-h | --help) usage; exit 0 ;;
	-*) echo "bench-report.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
	*) [ -z "$OUT" ] || { echo "bench-report.sh: one OUTDIR only" >&2; exit 2; }; OUT=$1 ;;
	esac
	shift
done
[ -n "$OUT" ] || { usage >&2; exit 2; }
for b in ${ONLY//,/ }; do
	case $b in sn_bench | qos_bench | testpmd | veth | bql) ;;
	*) echo "bench-report.sh: --only: unknown benchmark '$b'" >&2; exit 2 ;;
	esac
done
ROOT=$(cd "$(dirname "$0")/.." && pwd) || exit 1
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
[ -x "$BUILD/tests/perf/sn_bench" ] || {
	echo "bench-report.sh: $BUILD/tests/perf/sn_bench is not built (meson setup $BUILD -Dtests=true; ninja -C $BUILD)" >&2
	exit 2
}
mkdir -p "$OUT/raw" || exit 1
OUT=$(cd "$OUT" && pwd)
RAW=$OUT/raw
START=$(date +%s)
want() { [[ ",$ONLY," == *",$1,"* ]]; }
say() { echo "bench-report.sh: $*" >&2; }
status() { echo "$1 $2 ${3:-}" >> "$RAW/status.txt"; } # name ok|skipped|failed why
: > "$RAW/status.txt"

free_hp=$(awk '/^HugePages_Free:/ {print $2}' /proc/meminfo)
if [ "$NO_HUGE" = 0 ] && [ "${free_hp:-0}" -ge 256 ] && grep -qs ' hugetlbfs ' /proc/mounts; then
	MEM=(--huge-unlink)
	MEMDESC="hugepages"
else
	MEM=(--no-huge -m 1024 --no-shconf)
	MEMDESC="no hugepages (--no-huge: figures ~4x worse than with hugepages)"
fi
if [ "$FULL" = 1 ]; then
	REPEAT=3 SECS=5 ROUNDS=3 BQL_ROUNDS=3
else
	REPEAT=1 SECS=2 ROUNDS=1 BQL_ROUNDS=1
fi
EAL_BASE=(--no-pci --log-level 'pmd.*:error' "${MEM[@]}")
FAILED=0

run() { # name, log, command...: run it, record ok or failed (77: skipped)
	local name=$1 log=$2 rc t0=$SECONDS
	shift 2
	say "$name: $*"
	"$@" > "$log" 2>&1 < /dev/null
	rc=$?
	if [ $rc -eq 0 ]; then
		status "$name" ok "$((SECONDS - t0)) s"
	elif [ $rc -eq 77 ]; then
		status "$name" skipped "$(tail -1 "$log")"
	else
		status "$name" failed "exit $rc: $(tail -1 "$log")"
		FAILED=1
	fi
	rm -rf "/var/run/dpdk/sn-rep-$$-$name" 2>/dev/null
	return 0
}

if want sn_bench; then
	run sn_bench "$RAW/sn_bench.txt" "$BUILD/tests/perf/sn_bench" -l 0-1 "${EAL_BASE[@]}" \
		--file-prefix "sn-rep-$$-sn_bench" --vdev net_null0 -- --repeat "$REPEAT" \
		--json "$RAW/sn_bench.json"
fi
if want qos_bench; then
	if [ -x "$BUILD/tests/perf/qos_bench" ]; then
		run qos_bench "$RAW/qos_bench.txt" "$BUILD/tests/perf/qos_bench" -l 0 \
			"${EAL_BASE[@]}" --file-prefix "sn-rep-$$-qos_bench" --vdev net_null0 -- \
			--repeat "$REPEAT"
	else
		status qos_bench skipped "not built"
	fi
fi
if want testpmd; then
	run testpmd "$RAW/gen_vs_testpmd.txt" "$ROOT/tests/perf/gen_vs_testpmd.sh" "$BUILD" "$SECS"
fi
if want veth; then
	if [ "$(id -u)" -ne 0 ]; then
		status veth skipped "needs root (namespaces, veth)"
	else
		run veth "$RAW/veth_vs_kernel.txt" env ROUNDS="$ROUNDS" \
			NO_HUGE="$([ "$MEMDESC" = hugepages ] || echo 1)" \
			"$ROOT/tests/perf/veth_vs_kernel.sh" "$BUILD" "$SECS"
	fi
fi
if want bql; then
	if [ -x "$BUILD/tests/perf/bql_latency" ]; then
		rm -f "$RAW/bql_latency.csv"
		run bql "$RAW/bql_latency.txt" "$BUILD/tests/perf/bql_latency" --secs 1 \
			--rounds "$BQL_ROUNDS" --csv "$RAW/bql_latency.csv"
	else
		status bql skipped "not built"
	fi
fi

# The report: tables from the programs' output, plots with matplotlib
# (Debian's python3 has python3-matplotlib; another python3 first in PATH may not).
PY=python3
for p in /usr/bin/python3 python3; do
	if "$p" -c 'import matplotlib' 2>/dev/null; then
		PY=$p
		break
	fi
done
"$PY" - "$OUT" "$BUILD" "$MEMDESC" "$FULL" "$((SECONDS))" "$ROOT" <<'PY'
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time

out, build, memdesc, full, secs, root = (sys.argv[1], sys.argv[2], sys.argv[3],
                                         sys.argv[4] == "1", sys.argv[5], sys.argv[6])
raw = os.path.join(out, "raw")


def read(name):
    try:
        with open(os.path.join(raw, name), encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return ""


status = {}
for line in read("status.txt").splitlines():
    name, st, *why = line.split(" ", 2)
    status[name] = (st, why[0] if why else "")

# ---- the figures ----
rates = []   # (group, path, Mpps)
cycles = []  # (group, path, cycles per packet)
sn_rows = []
try:
    sn = json.loads(read("sn_bench.json") or "[]")
except ValueError:
    sn = []
for c in sn:
    if c.get("mpps") is None:
        continue
    sn_rows.append(c)
    rates.append(("sn_bench", c["case"], c["mpps"]))
    if c.get("cycles_per_pkt") is not None:
        cycles.append(("sn_bench", c["case"], c["cycles_per_pkt"]))
qos_rows = []
for m in re.finditer(r"^  (\S+)\s+([\d.]+) Mpps\s+\(([\d.]+) cycles/pkt\)", read("qos_bench.txt"), re.M):
    qos_rows.append((m.group(1), float(m.group(2)), float(m.group(3))))
    rates.append(("qos_bench", m.group(1), float(m.group(2))))
    cycles.append(("qos_bench", m.group(1), float(m.group(3))))
qos_ratios = re.findall(r"^  (htb / \S+)\s+([\d.]+)\s+\((.*)\)", read("qos_bench.txt"), re.M)
tp = read("gen_vs_testpmd.txt")
tp_rows = []
for label, key in (("softnet generator", r"softnet generator: (\d+) pps"),
                   ("testpmd txonly", r"testpmd txonly: +(\d+) pps")):
    m = re.search(key, tp)
    if m:
        tp_rows.append((label, int(m.group(1)) / 1e6))
        rates.append(("generator vs testpmd", label, int(m.group(1)) / 1e6))
tp_ratio = re.search(r"ratio softnet/testpmd: ([\d.]+)x", tp)
veth = read("veth_vs_kernel.txt")
veth_rows = []
for m in re.finditer(r"^(\w+) +median +([\d.]+) Mpps", veth, re.M):
    veth_rows.append((m.group(1), float(m.group(2))))
    rates.append(("veth", m.group(1), float(m.group(2))))
veth_ratios = re.findall(r"^(ratio .*?):\s+(\S+)(.*)$", veth, re.M)
lat = {}
for line in read("bql_latency.csv").splitlines():
    parts = line.split(",")
    if len(parts) == 2:
        try:
            v = float(parts[1])
        except ValueError:
            continue  # the header
        lat.setdefault(parts[0], []).append(v)

# ---- the plots ----
plots = {}
try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    plt = None


def barh(rows, xlabel, title, path):
    labels = ["%s: %s" % (g, p) for g, p, _ in rows]
    vals = [v for _, _, v in rows]
    fig, ax = plt.subplots(figsize=(9, 0.35 * len(rows) + 1.5))
    groups = sorted(set(g for g, _, _ in rows), key=[g for g, _, _ in rows].index)
    colours = {g: "C%d" % i for i, g in enumerate(groups)}
    ax.barh(range(len(rows)), vals, color=[colours[g] for g, _, _ in rows])
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels(labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    for i, v in enumerate(vals):
        ax.text(v, i, " %.2f" % v if v < 100 else " %.0f" % v, va="center", fontsize=7)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    fig.savefig(os.path.join(out, path), dpi=110)
    plt.close(fig)
    plots[path] = title


def q(v, p):
    return v[min(len(v) - 1, int(p * (len(v) - 1) + 0.5))]


if plt is not None:
    if rates:
        barh(rates, "Mpps (higher is better)", "Rates per path", "rates.png")
    if cycles:
        barh(cycles, "TSC cycles per packet (lower is better)", "Cycles per packet",
             "cycles.png")
    if lat:
        fig, ax = plt.subplots(figsize=(8, 4.5))
        for mode, v in sorted(lat.items()):
            v.sort()
            n = len(v)
            ax.plot(v, [1 - i / n for i in range(n)], label="%s (p50 %.0f, p99 %.0f, p99.9 %.0f us)"
                    % (mode, q(v, 0.5), q(v, 0.99), q(v, 0.999)))
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("band-0 latency (us)")
        ax.set_ylabel("fraction of frames slower")
        ax.set_title("Latency under bulk load, with and without BQL (bql_latency)")
        ax.grid(alpha=0.3, which="both")
        ax.legend(fontsize=8)
        fig.tight_layout()
        fig.savefig(os.path.join(out, "latency.png"), dpi=110)
        plt.close(fig)
        plots["latency.png"] = "Latency distributions"

# ---- the report ----


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True,
                              timeout=10).stdout.strip()
    except Exception:
        return ""


rev = sh("git -C '%s' rev-parse --short HEAD 2>/dev/null" % root)
dirty = sh("git -C '%s' status --porcelain --untracked-files=no 2>/dev/null | head -1" % root)
cpu = sh("awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo")
L = []
L.append("# softnet benchmark report")
L.append("")
L.append("%s, %s run (%s s). Commit %s%s; build `%s`." % (
    time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "full" if full else "short",
    secs, rev or "?", " (with uncommitted changes)" if dirty else "", build))
L.append("")
L.append("Machine: %s, %d CPUs, kernel %s; DPDK %s; %s." % (
    cpu or platform.processor() or "?", os.cpu_count() or 0, platform.release(),
    sh("pkg-config --modversion libdpdk 2>/dev/null") or "?", memdesc))
if not full:
    L.append("")
    L.append("A short run: one measured round per case and short windows, for a look at "
             "the figures; `scripts/bench-report.sh OUTDIR --full` for figures to record. "
             "A shared or loaded machine moves these numbers a lot.")
L.append("")
L.append("| benchmark | status |")
L.append("| --- | --- |")
for name in ("sn_bench", "qos_bench", "testpmd", "veth", "bql"):
    if name in status:
        st, why = status[name]
        L.append("| %s | %s%s |" % (name, st, (": " + why.replace("|", "/")) if why else ""))
L.append("")
for path, title in plots.items():
    L.append("![%s](%s)" % (title, path))
    L.append("")
if sn_rows:
    L.append("## Transmit paths (sn_bench)")
    L.append("")
    L.append("Each case on one net_null port against the bare `rte_eth_tx_burst()` loop "
             "(`floor`); ratio = the case's Mpps over floor's.")
    L.append("")
    L.append("| case | Mpps | cycles/pkt | ratio to floor | target | verdict |")
    L.append("| --- | ---: | ---: | ---: | --- | --- |")
    for c in sn_rows:
        tgt = ("%.2f x %s" % (c["target"], c.get("target_ref", ""))) if c.get("target") else ""
        L.append("| %s | %.3f | %s | %s | %s | %s |" % (
            c["case"], c["mpps"],
            "%.1f" % c["cycles_per_pkt"] if c.get("cycles_per_pkt") is not None else "",
            "%.3f" % c["ratio"] if c.get("ratio") is not None else "", tgt, c.get("verdict", "")))
    L.append("")
if qos_rows:
    L.append("## htb against rte_sched (qos_bench)")
    L.append("")
    L.append("| case | Mpps | cycles/pkt |")
    L.append("| --- | ---: | ---: |")
    for name, mpps, cpp in qos_rows:
        L.append("| %s | %.2f | %.1f |" % (name, mpps, cpp))
    L.append("")
    for name, v, why in qos_ratios:
        L.append("- %s: %s (%s)" % (name, v, why))
    L.append("")
if tp_rows:
    L.append("## The generator against dpdk-testpmd (txonly, net_null)")
    L.append("")
    L.append("| sender | Mpps |")
    L.append("| --- | ---: |")
    for name, mpps in tp_rows:
        L.append("| %s | %.3f |" % (name, mpps))
    if tp_ratio:
        L.append("")
        L.append("Ratio softnet/testpmd: %sx (target >= 1.0)." % tp_ratio.group(1))
    L.append("")
if veth_rows:
    L.append("## veth: softnet against the kernel's transmit path")
    L.append("")
    L.append("What the peer in the namespace received (median of the rounds).")
    L.append("")
    L.append("| sender | Mpps |")
    L.append("| --- | ---: |")
    for name, mpps in veth_rows:
        L.append("| %s | %.3f |" % (name, mpps))
    L.append("")
    for name, v, rest in veth_ratios:
        L.append("- %s: %s%s" % (name, v, rest))
    L.append("")
if lat:
    L.append("## Latency under bulk load (bql_latency)")
    L.append("")
    L.append("| mode | samples | p50 us | p99 us | p99.9 us | max us |")
    L.append("| --- | ---: | ---: | ---: | ---: | ---: |")
    for mode, v in sorted(lat.items()):
        v.sort()
        L.append("| %s | %d | %.1f | %.1f | %.1f | %.1f |" % (mode, len(v), q(v, 0.5), q(v, 0.99),
                                                           q(v, 0.999), v[-1]))
    L.append("")
if plt is None:
    L.append("(No plots: python3-matplotlib is not installed; scripts/setup.sh installs it.)")
    L.append("")
L.append("The programs' own output is in `raw/`.")
with open(os.path.join(out, "report.md"), "w", encoding="utf-8") as f:
    f.write("\n".join(L) + "\n")
print("bench-report.sh: wrote %s (%d plot(s))" % (os.path.join(out, "report.md"), len(plots)))
PY
[ $? -eq 0 ] || FAILED=1
say "done in $(( $(date +%s) - START )) s"
exit $FAILED
