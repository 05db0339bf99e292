#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""tbf from the app: the command `qdisc add dev 0 root tbf rate 50mbit burst
64kb latency 20ms` as written, `show qdisc dev 0` in tc's layout (rate,
burst, lat), tc -s counters with overlimits, a bad tbf spec refused with
the word named; the option mode's `--qdisc "tbf rate 100mbit burst 64kb
latency 20ms"` shapes a flat-out generator to 100 Mbit/s (from the
summary: sent bytes over the generation time, which the burst and the
backlog drained at the stop may exceed by at most burst + limit), with
exact accounting."""
import json
import os
import re
import subprocess
import sys
import tempfile

import sntest as t

rc, out, err, _ = t.run_file("""
qdisc add dev 0 root tbf rate 50mbit burst 64kb latency 20ms
show qdisc dev 0
qdisc replace dev 0 root tbf rate 1gbit burst 10kb limit 100kb peakrate 2gbit mtu 1514
show qdisc dev 0
show qdisc dev 0 json
qdisc replace dev 0 root tbf rate 50mbit burst 64kb latency 20ms
set count 20000
set size 1500
start
wait
show qdisc dev 0
quit
""")
t.check(rc == 0, "rc %d\nstdout:\n%s\nstderr:\n%s" % (rc, out, err))


def has(rx):
    t.check(re.search(rx, out, re.M), "no line matching %r in:\n%s" % (rx, out))


has(r"^qdisc tbf 8001: dev port0 txq 0 root rate 50Mbit burst 64Kb lat 20ms\b")
has(r"^qdisc tbf 8001: dev port0 txq 0 root rate 1Gbit burst 10Kb peakrate 2Gbit "
    r"minburst 1514b limit 100Kb\b")
js = [json.loads(l)["options"] for l in out.splitlines() if l.startswith("{") and '"tbf"' in l]
t.check(js and js[0]["rate"] == 125000000 and js[0]["burst"] == 10240 and
        js[0]["peakrate"] == 250000000 and js[0]["minburst"] == 1514 and
        js[0]["limit"] == 102400, "json: %r" % js)
# 20000 frames flat out into 50 Mbit/s: most are dropped at the limit, the
# queue overflows, tbf counts overlimits; every frame is accounted for.
t.check(max(int(v) for v in re.findall(r"overlimits (\d+)", out)) > 0, "no overlimits:\n" + out)
t.check(t.accounting_ok(out), "accounting:\n" + out)

# A bad spec: refused, with the word named.
for spec, msg in (("rate 50mbit burst 64kb", '"limit" or "latency" are required'),
                  ("rate fast burst 64kb latency 20ms", "rate: 'fast' is not a rate"),
                  ("rate 50mbit burst 64kb latency 20ms limit 1mb",
                   "limit or latency given twice")):
    rc, out, err, _ = t.run_file("qdisc add dev 0 root tbf %s\nquit\n" % spec)
    t.check(msg in out + err, "%s: %s" % (spec, out + err))

# The option mode: 100 Mbit/s for 2 s, flat out, 1500-byte frames.
with tempfile.NamedTemporaryFile("r", suffix=".json", delete=False) as f:
    path = f.name
args, _ = t.eal()
p = subprocess.run([t.APP] + args + ["--", "--qdisc", "tbf rate 100mbit burst 64kb latency 20ms",
                                     "--duration", "2", "--size", "1500", "--json", path],
                   capture_output=True, text=True, timeout=60)
t.check(p.returncode == 0, "rc %d\n%s\n%s" % (p.returncode, p.stdout, p.stderr))
with open(path) as f:
    js = json.load(f)
os.unlink(path)
t.check(js["qdisc"] == "tbf" and js["accounting_ok"], str(js))
rate = 100e6 / 8
sent_bytes = js["sent"] * js["frame_size"]
# At most the burst and the limit (the backlog at the stop) above rate x time.
extra = 65536 + js["qdisc_limit"]
achieved = sent_bytes / js["seconds"]
print("tbf 100mbit: sent %d bytes in %.3f s: %.2f Mbit/s (qdisc limit %d)" %
      (sent_bytes, js["seconds"], achieved * 8 / 1e6, js["qdisc_limit"]))
t.check(sent_bytes >= rate * js["seconds"] * 0.97, "too slow: %.2f Mbit/s" % (achieved * 8 / 1e6))
t.check(sent_bytes <= rate * js["seconds"] * 1.01 + extra,
        "too fast: %.2f Mbit/s" % (achieved * 8 / 1e6))
print("PASS")
sys.exit(0)
