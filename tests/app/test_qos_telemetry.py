#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""QoS through DPDK's dpdk-telemetry.py: /softnet/qdisc shows an htb root
with its options, /softnet/class,0 every class of the tree (keyed 1_10 for 1:10) with its
parameters and counters moving while the generator runs, /softnet/bql,0
each queue's byte queue limits (off on a net_null port), and a request
without a device answers a usage hint, not null."""
import os
import shutil
import subprocess
import sys
import time

import sntest as t

if not os.path.exists(t.TELEMETRY_TOOL):
    print("SKIP: no dpdk-telemetry.py")
    sys.exit(77)

prefix = "sn-qtel-%d" % os.getpid()
args = ["-l", "0-1", "--no-pci", "--no-huge", "-m", "512", "--file-prefix=" + prefix,
        "--vdev", "net_null0"]
app = subprocess.Popen([t.APP] + args + ["--", "-i"], stdin=subprocess.PIPE,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
try:
    app.stdin.write("""qdisc replace dev 0 root handle 1: htb default 20
class add dev 0 parent 1: classid 1:1 htb rate 1gbit
class add dev 0 parent 1:1 classid 1:10 htb rate 300mbit ceil 1gbit prio 0
class add dev 0 parent 1:1 classid 1:20 htb rate 700mbit ceil 1gbit prio 1
set rate 20kpps
start
""")
    app.stdin.flush()
    time.sleep(1.0)
    q = t.tel_query("/softnet/qdisc,0", prefix, "txq0")
    t.check(q["txq0"]["kind"] == "htb" and q["txq0"]["handle"] == "1:", str(q))
    c1 = t.tel_query("/softnet/class,0", prefix, "1_20")
    t.check(set(c1) >= {"1_1", "1_10", "1_20"}, str(c1))
    t.check(c1["1_10"]["handle"] == "1:10" and c1["1_10"]["parent"] == "1:1" and c1["1_10"]["options"]["rate"] == 300000000 // 8,
            str(c1["1_10"]))
    time.sleep(0.5)
    c2 = t.tel_query("/softnet/class,0", prefix, "1_20")
    # Unclassified frames go to the default class 1:20: its counters move.
    t.check(c2["1_20"]["packets"] > c1["1_20"]["packets"] > 0,
            "1:20 not moving: %s then %s" % (c1["1_20"], c2["1_20"]))
    b = t.tel_query("/softnet/bql,0", prefix, "txq0")
    t.check(b["txq0"]["enabled"] == 0 and b["txq0"]["stops"] == 0, str(b))
    for cmd in ("/softnet/class", "/softnet/bql", "/softnet/class,9"):
        h = t.tel_query(cmd, prefix, "usage")
        t.check("error" in h and "usage" in h, "%s: %s" % (cmd, h))
    app.stdin.write("stop\nquit\n")
    app.stdin.flush()
    out, _ = app.communicate(timeout=30)
    t.check(app.returncode == 0, "rc %d\n%s" % (app.returncode, out[-2000:]))
    t.check(t.accounting_ok(out), out[-2000:])
finally:
    if app.poll() is None:
        app.kill()
    shutil.rmtree("/var/run/dpdk/" + prefix, ignore_errors=True)
print("qos telemetry: ok")
