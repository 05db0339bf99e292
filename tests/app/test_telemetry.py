#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""DPDK's own dpdk-telemetry.py against a running softnet: /softnet/stats,
/softnet/qdisc,<port>, /softnet/gen while the generator runs, in command
mode (-i) and in the option mode (the main job, scripts/run-main.sh);
/softnet/stats lists every drop reason (drops_<name>), the same as `show
softnet drops`, adding up to dropped. The
telemetry socket lives under the runtime directory, so this test runs
without --no-shconf (still --no-huge)."""
import json
import os
import shutil
import subprocess
import sys
import time

import sntest as t

if not os.path.exists(t.TELEMETRY_TOOL):
    print("SKIP: no dpdk-telemetry.py")
    sys.exit(77)



def check_drops(st, where):
    """/softnet/stats lists every drop reason as drops_<name> (the library's
    names), per lcore and in the total, and they add up to dropped."""
    for lc, d in st.items():
        reasons = {k[len("drops_"):]: v for k, v in d.items() if k.startswith("drops_")}
        t.check(len(reasons) >= 10 and "oversize" in reasons and "qdisc" in reasons,
                "%s: lcore %s: drop reasons %s" % (where, lc, sorted(reasons)))
        t.check(sum(reasons.values()) == d["dropped"],
                "%s: lcore %s: reasons add up to %d, dropped %d: %s"
                % (where, lc, sum(reasons.values()), d["dropped"], d))
    return sorted(k for k in st["total"] if k.startswith("drops_"))


def query(cmd, prefix):
    return t.tel_query(cmd, prefix)


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
    # Stopped, the counters hold still: the reasons add up to dropped exactly.
    app.stdin.write("stop\n")
    app.stdin.flush()
    time.sleep(0.5)
    tel_reasons = check_drops(query("/softnet/stats", prefix), "command mode")
    app.stdin.write("show softnet drops json\nquit\n")
    app.stdin.flush()
    out, _ = app.communicate(timeout=30)
    t.check(app.returncode == 0, "rc %d\n%s" % (app.returncode, out[-2000:]))
    t.check(t.accounting_ok(out), out[-2000:])
    # The same reasons as the app's show softnet drops (both from the library).
    drops = [json.loads(l) for l in out.splitlines() if l.startswith('{"drops"')]
    t.check(len(drops) == 1, out[-2000:])
    t.check(sorted("drops_" + r for r in drops[0]["total"]["reasons"]) == tel_reasons,
            "%s vs %s" % (tel_reasons, drops[0]["total"]["reasons"]))
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
    t.check(all(k in st["total"] for k in tel_reasons), "option mode: " + str(st))
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
