#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""DPDK's own dpdk-telemetry.py against a running softnet: /softnet/stats,
/softnet/qdisc,<port>, /softnet/gen while the generator runs, in command
mode (-i) and in the option mode (the main job, scripts/run-main.sh). The
telemetry socket lives under the runtime directory, so this test runs
without --no-shconf (still --no-huge)."""
import json
import os
import shutil
import subprocess
import sys
import time

import sntest as t

TOOL = shutil.which("dpdk-telemetry.py") or "/usr/bin/dpdk-telemetry.py"
if not os.path.exists(TOOL):
    print("SKIP: no dpdk-telemetry.py")
    sys.exit(77)



def query(cmd, prefix):
    for _ in range(50):
        p = subprocess.run([sys.executable, TOOL, "-f", prefix], input=cmd + "\n",
                           capture_output=True, text=True, timeout=20)
        lines = [l for l in p.stdout.splitlines() if l.startswith("{")]
        for l in lines:
            j = json.loads(l)
            if cmd.split(",")[0] in j and j[cmd.split(",")[0]] is not None:
                return j[cmd.split(",")[0]]
        time.sleep(0.2)
    t.fail("no answer to %s:\n%s\n%s" % (cmd, p.stdout, p.stderr))


# ---- command mode ----
prefix = "sn-tel-%d" % os.getpid()
args = ["-l", "0-1", "--no-pci", "--no-huge", "-m", "512", "--file-prefix=" + prefix,
        "--vdev", "net_null0"]
app = subprocess.Popen([t.APP] + args + ["--", "-i"], stdin=subprocess.PIPE,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
try:
    app.stdin.write("qdisc replace dev 0 root pfifo limit 321\nset rate 100kpps\nstart\n")
    app.stdin.flush()

    time.sleep(1.0)
    st = query("/softnet/stats", prefix)
    t.check("total" in st and "1" in st, str(st))
    t.check(st["total"]["processed"] > 0 and st["1"]["sent"] > 0, str(st))
    q = query("/softnet/qdisc,0", prefix)
    # The options are the discipline's own (its print op), as tc -j prints them.
    t.check(q["txq0"]["kind"] == "pfifo" and q["txq0"]["options"]["limit"] == 321, str(q))
    t.check(q["txq0"]["packets"] > 0, str(q))
    g = query("/softnet/gen", prefix)
    t.check(g["running"] == 1 and g["generated"] > 0 and g["rate_pps_asked"] == 100000, str(g))
    one = query("/softnet/stats,1", prefix)
    t.check("sent" in one, str(one))
    app.stdin.write("stop\nquit\n")
    app.stdin.flush()
    out, _ = app.communicate(timeout=30)
    t.check(app.returncode == 0, "rc %d\n%s" % (app.returncode, out[-2000:]))
    t.check(t.accounting_ok(out), out[-2000:])
finally:
    if app.poll() is None:
        app.kill()
    shutil.rmtree("/var/run/dpdk/" + prefix, ignore_errors=True)

# ---- option mode: the main job answers too ----
prefix = "sn-tel-opt-%d" % os.getpid()
args = ["-l", "0-1", "--no-pci", "--no-huge", "-m", "512", "--file-prefix=" + prefix,
        "--vdev", "net_null0"]
app = subprocess.Popen([t.APP] + args + ["--", "--duration", "30", "--stats-period", "0",
                                         "--qdisc", "pfifo limit 512"],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
try:
    time.sleep(1.0)
    st = query("/softnet/stats", prefix)
    t.check("total" in st and st["total"]["processed"] > 0, "option mode: " + str(st))
    q = query("/softnet/qdisc,0", prefix)
    t.check(q["txq0"]["kind"] == "pfifo" and q["txq0"]["options"]["limit"] == 512,
            "option mode: " + str(q))
    g = query("/softnet/gen", prefix)
    t.check(g["running"] == 1 and g["generated"] > 0 and g["port"] == 0,
            "option mode: " + str(g))
    app.send_signal(2)  # SIGINT: a graceful stop, with the summary
    out, _ = app.communicate(timeout=30)
    t.check(app.returncode == 0, "option mode rc %d\n%s" % (app.returncode, out[-2000:]))
    t.check(t.accounting_ok(out), out[-2000:])
finally:
    if app.poll() is None:
        app.kill()
    shutil.rmtree("/var/run/dpdk/" + prefix, ignore_errors=True)
print("PASS")
sys.exit(0)
