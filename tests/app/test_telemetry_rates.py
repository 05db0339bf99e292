#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Telemetry rates and receive latency, with DPDK's dpdk-telemetry.py against
a running softnet:
- /softnet/rates on net_null0: the port's tx_pps and txq 0's qdisc pps
  follow the generator's rate (100 kpps, then 20 kpps), with bps = 8 x
  frame bytes x pps; they fall to 0 once it stops; one port on request;
- /softnet/rx on net_ring0 (its TX ring is its RX ring: what leaves comes
  back): latency percentiles of the counted frames, ordered;
- /softnet/gen: the real number of generator lcores while running, the
  counters and the run's rate;
- usage hints instead of null: /softnet/qdisc without a device,
  /softnet/stats,7 (no such lcore), /softnet/rates,9 (no such port).
Rates are checked within generous bounds (a shared, loaded host)."""
import os
import shutil
import subprocess
import sys
import time

import sntest as t

if not os.path.exists(t.TELEMETRY_TOOL):
    print("SKIP: no dpdk-telemetry.py")
    sys.exit(77)

query = t.tel_query


def rates(prefix):
    """Two questions a second apart: the second's rates cover that second."""
    query("/softnet/rates", prefix)
    time.sleep(1.0)
    return query("/softnet/rates", prefix, "port0")


def between(v, lo, hi, what):
    t.check(lo <= v <= hi, "%s = %s, expected %s..%s" % (what, v, lo, hi))


prefix = "sn-telr-%d" % os.getpid()
args = ["-l", "0-1", "--no-pci", "--no-huge", "-m", "512", "--file-prefix=" + prefix,
        "--vdev", "net_null0", "--vdev", "net_ring0"]
app = subprocess.Popen([t.APP] + args + ["--", "-i"], stdin=subprocess.PIPE,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
try:
    # Rates on port 0 (net_null0: takes everything at once).
    app.stdin.write("set size 100\nset rate 100kpps\nstart\n")
    app.stdin.flush()
    time.sleep(0.5)
    r = rates(prefix)
    print("100 kpps:", r["port0"], r["port0_txq0_qdisc"], "interval", r["interval_ms"], "ms")
    between(r["interval_ms"], 900, 5000, "interval_ms")
    between(r["port0"]["tx_pps"], 50000, 150000, "tx_pps at 100 kpps")
    between(r["port0_txq0_qdisc"]["pps"], 50000, 150000, "qdisc pps at 100 kpps")
    # bps is 8 x 100 bytes per packet (the qdisc's bytes).
    q = r["port0_txq0_qdisc"]
    between(q["bps"], q["pps"] * 800 * 0.95, q["pps"] * 800 * 1.05, "qdisc bps")

    g = query("/softnet/gen", prefix)
    t.check(g["running"] == 1 and g["lcores"] == 1, "gen while running: %s" % g)
    t.check(g["generated"] > 0 and g["run_pps"] > 20000, "gen counters: %s" % g)

    # The rates move with the traffic.
    app.stdin.write("stop\nset rate 20kpps\nstart\n")
    app.stdin.flush()
    time.sleep(0.5)
    r2 = rates(prefix)
    print("20 kpps:", r2["port0"], r2["port0_txq0_qdisc"])
    between(r2["port0"]["tx_pps"], 10000, 30000, "tx_pps at 20 kpps")
    between(r2["port0_txq0_qdisc"]["pps"], 10000, 30000, "qdisc pps at 20 kpps")

    app.stdin.write("stop\n")
    app.stdin.flush()
    time.sleep(0.5)
    r3 = rates(prefix)
    t.check(r3["port0"]["tx_pps"] == 0 and r3["port0_txq0_qdisc"]["pps"] == 0,
            "rates after stop: %s" % r3)
    g = query("/softnet/gen", prefix)
    t.check(g["running"] == 0 and g["run_pps"] == 0, "gen after stop: %s" % g)

    # Latency on port 1 (net_ring0: what leaves comes back), counted on the main lcore.
    app.stdin.write("set port 1\nrx start 1\nset rate 5kpps\nstart\n")
    app.stdin.flush()
    time.sleep(1.5)
    rx = query("/softnet/rx", prefix)
    print("rx latency ns: p50 %d p90 %d p99 %d p99.9 %d (max %d)"
          % (rx["latency_p50_ns"], rx["latency_p90_ns"], rx["latency_p99_ns"],
             rx["latency_p99_9_ns"], rx["latency_max_ns"]))
    t.check(rx["counting"] == 1 and rx["port"] == 1 and rx["ours"] > 1000, "rx: %s" % rx)
    t.check(0 < rx["latency_p50_ns"] <= rx["latency_p90_ns"] <= rx["latency_p99_ns"]
            <= rx["latency_p99_9_ns"], "percentiles not ordered: %s" % rx)
    r4 = query("/softnet/rates,1", prefix)
    t.check("port1" in r4 and "port0" not in r4, "rates of one port: %s" % r4)

    app.stdin.write("stop\n")
    app.stdin.flush()

    # Usage hints, not null.
    for cmd in ("/softnet/qdisc", "/softnet/stats,7", "/softnet/rates,9", "/softnet/gen,1"):
        a = query(cmd, prefix)
        t.check("usage" in a and "error" in a, "%s: %s" % (cmd, a))
        print("%s -> %s" % (cmd, a))

    app.stdin.write("quit\n")
    app.stdin.flush()
    out, _ = app.communicate(timeout=30)
    t.check(app.returncode == 0, "rc %d\n%s" % (app.returncode, out[-2000:]))
    t.check(t.accounting_ok(out), out[-2000:])
finally:
    if app.poll() is None:
        app.kill()
    shutil.rmtree("/var/run/dpdk/" + prefix, ignore_errors=True)
print("PASS")
sys.exit(0)
