#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Plot the band-0 latency distributions that tests/perf/bql_latency wrote.

Usage: plot_bql.py SAMPLES.csv OUT.png [NOTE]

SAMPLES.csv is bql_latency's --csv output ("mode,latency_us" lines, mode
nobql or bql). Draws the two complementary CDFs (the fraction of band-0
frames slower than x) on log-log axes, with p50, p99 and p99.9 marked.
Needs matplotlib (Debian: python3-matplotlib; run with Debian's python3).
"""
import csv
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def quantile(v, p):
    return v[min(len(v) - 1, int(p * (len(v) - 1) + 0.5))]


def main():
    if len(sys.argv) not in (3, 4):
        print(__doc__)
        return 2
    lat = {"nobql": [], "bql": []}
    with open(sys.argv[1], encoding="utf-8") as f:
        for row in csv.DictReader(f):
            lat.setdefault(row["mode"], []).append(float(row["latency_us"]))
    fig, ax = plt.subplots(figsize=(8, 4.5))
    labels = {"nobql": "without BQL", "bql": "with BQL"}
    for mode, colour in (("nobql", "tab:red"), ("bql", "tab:blue")):
        v = sorted(lat.get(mode, []))
        if not v:
            continue
        n = len(v)
        ccdf = [1 - i / n for i in range(n)]
        p50, p99, p999 = quantile(v, 0.5), quantile(v, 0.99), quantile(v, 0.999)
        ax.step(v, ccdf, where="post", color=colour,
                label=f"{labels[mode]}: p50 {p50:.0f} us, p99 {p99:.0f} us, "
                      f"p99.9 {p999:.0f} us ({n} frames)")
        for q in (p50, p99, p999):
            ax.axvline(q, color=colour, linestyle=":", linewidth=0.8)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("band-0 latency, enqueue to wire departure (us)")
    ax.set_ylabel("fraction of frames slower")
    note = f" ({sys.argv[3]})" if len(sys.argv) == 4 else ""
    ax.set_title("pfifo_fast band 0 behind a saturating bulk flow, 10 Gbit/s model, "
                 "1024 descriptors" + note, fontsize=9)
    ax.grid(True, which="both", linewidth=0.3)
    ax.legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    fig.savefig(sys.argv[2], dpi=110)
    return 0


if __name__ == "__main__":
    sys.exit(main())
