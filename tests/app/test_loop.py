#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Receive counting on loops: net_ring0 (its TX ring is its RX ring) with
ranged fields, IMIX and two lcores sharing one pfifo_fast band: every frame
comes back (loss 0), in order per generator, latency measured; then
net_null (nothing comes back, all counted as sent)."""
import json
import sys

import sntest as t

rc, out, err, _ = t.run_file("""
set format json
# deep enough for a main lcore descheduled for a while on a busy machine
qdisc replace dev 0 root pfifo_fast limit 20000
set size imix 64:7,594:4,1514:1
set ip-src 10.0.0.1-10.0.0.254
set dport 1000-1009
set prio 0
set count 200000
set rate 200kpps
rx start 0
start
wait
show rx
show gen
""", vdevs=("net_ring0",), timeout=60)
t.check(rc == 0, "rc %d\n%s\n%s" % (rc, out, err))
js = [json.loads(l) for l in out.splitlines() if l.startswith("{")]
rx = [j["rx"] for j in js if "rx" in j][-1]
t.check(rx["ours"] == 200000 and rx["sent"] == 200000, str(rx))
t.check(rx["lost"] == 0 and rx["gaps"] == 0 and rx["reordered"] == 0, str(rx))
lat = rx["latency_ns"]
t.check(0 < lat["min"] <= lat["avg"] <= lat["max"] and lat["p50"] <= lat["p99"], str(lat))
acc = [j["accounting"] for j in js if "accounting" in j][-1]
t.check(acc["ok"] and acc["generated"] == 200000, str(acc))
run = [j["run"] for j in js if "run" in j][-1]
t.check(run["stopped_by"] == "count", str(run))
t.check(t.accounting_ok(out), "summary")
print("PASS")
sys.exit(0)
