#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Rate accuracy: 100 kpps and 1 Mpps for 2 s on net_null, paced in software
with an absolute schedule: achieved within 1% of asked, and the count
generated equals rate x duration within one burst. Also a bps rate and a
percent of link speed (net_null reports 10 Gbit/s)."""
import json
import sys

import sntest as t

CASES = [
    ("set rate 100kpps", 100000),
    ("set rate 1Mpps", 1000000),
    ("set rate 512Mbps", 1000000),      # 64-byte frames: 512 bits each
    ("set rate 1%", 142045),           # 10G x 1% / ((64 + 24) x 8): FCS, preamble, gap
]
cmds = "set format json\nset duration 2\n"
for c, _ in CASES:
    cmds += c + "\nstart\nwait\n"
rc, out, err, _ = t.run_file(cmds, timeout=60)
t.check(rc == 0, "rc %d\n%s\n%s" % (rc, out, err))
runs = [json.loads(l)["run"] for l in out.splitlines() if l.startswith('{"run"')]
t.check(len(runs) == len(CASES), out)
for (c, pps), r in zip(CASES, runs):
    t.check(r["asked_pps"] == pps, "%s: asked %d, want %d" % (c, r["asked_pps"], pps))
    err_pct = abs(r["pps"] / pps - 1) * 100
    print("%-20s asked %8d pps achieved %10.1f pps (%.3f%%) in %.3f s" %
          (c, pps, r["pps"], err_pct, r["seconds"]))
    t.check(err_pct < 1.0, "%s: achieved %.1f pps, %.3f%% off" % (c, r["pps"], err_pct))
    t.check(abs(r["generated"] - 2 * pps) <= 32 + pps * 0.01, "%s: generated %d" % (c, r["generated"]))

# Two lcores split the rate exactly (needs three lcores; skip the split on smaller machines).
import os
if os.cpu_count() >= 3:
    rc, out, err, _ = t.run_file("set format json\nset lcores 2\nset rate 200kpps\nset count 300001\nstart\nwait\n",
                                 lcores="0-2", timeout=60)
    t.check(rc == 0, err)
    r = [json.loads(l)["run"] for l in out.splitlines() if l.startswith('{"run"')][0]
    t.check(r["generated"] == 300001, str(r))
    t.check(abs(r["pps"] / 200000 - 1) < 0.01, str(r))
print("PASS")
sys.exit(0)
