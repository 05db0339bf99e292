#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Command files: qdisc add/replace/del with every parameter, show qdisc in
tc's layout, show softnet, port stop/start/config, JSON output, exact
accounting, the session summary at the end, the options as defaults."""
import json
import re
import sys

import sntest as t

rc, out, err, _ = t.run_file("""
# comments and blank lines are fine

port stop 0
port config 0 txqs 2
port start 0
qdisc add dev 0 txq 0 root pfifo limit 300 nobypass
qdisc add dev 0 txq 1 root bfifo limit 64000
show qdisc dev 0
help qdisc
qdisc replace dev 0 txq 0 root pfifo handle 1: limit 50
show qdisc dev 0 json
qdisc replace dev 0 txq 0 root pfifo_fast limit 100 nolock
qdisc replace dev 0 txq 1 root pfifo_fast deferlist
set count 40000
set lcores 1
set xmit plug
show gen
start
wait
show qdisc
qdisc del dev 0 txq 1 root
qdisc replace dev 0 root noqueue
set count 10000
start
wait
show softnet
show softnet json
show qdisc dev 0 json
show port info 0
show port stats 0 json
clear port stats 0
show port stats 0
quit
show softnet
""")
t.check(rc == 0, "rc %d\nstdout:\n%s\nstderr:\n%s" % (rc, out, err))
# The qdiscs are printed by the library (sn_qdisc_print()) in tc's layout;
# the handle is 8001: unless one is given.
def has(rx):
    t.check(re.search(rx, out, re.M), "no line matching %r in:\n%s" % (rx, out))


has(r"^qdisc pfifo 8001: dev port0 txq 0 root .*limit 300p?\b.*\bnobypass")
has(r"^qdisc bfifo 8001: dev port0 txq 1 root .*limit 64000b?\b")
has(r"^qdisc pfifo_fast 8001: dev port0 txq 0 root .*bands 3 priomap 1 2 2 2 1 2 0 0 1 1 1 1 1 1 1 1\b")
has(r"^qdisc pfifo_fast 8001: dev port0 txq 0 root .*limit 100p?\b.*\bnolock")
has(r"^qdisc pfifo_fast 8001: dev port0 txq 1 root .*\bdeferlist")
t.check(re.search(r"^  xmit +plug$", out, re.M), "set xmit:\n" + out)
t.check("; sn_xmit+plug, burst 32" in out, "the run's start line names the API:\n" + out)
# help qdisc: the registered kinds, each with its own usage line.
for kind in ("pfifo_fast", "pfifo", "bfifo", "noqueue"):
    has(r"^ +%s( |$)" % kind)
# handle 1: given.
t.check('"kind": "pfifo", "handle": "1:"' in out, out)
t.check(" Sent 2560000 bytes 40000 pkt (dropped 0, overlimits 0 requeues 0)" in out, out)
t.check("backlog 0b 0p requeues 0" in out, out)
t.check('"kind": "noqueue", "handle": "8001:"' in out, out)
t.check("accounting: generated 40000 = sent 40000 + dropped 0 + queued 0: OK" in out, out)
t.check("accounting: generated 50000 = sent 50000 + dropped 0 + queued 0: OK" in out, out)
js = [json.loads(l) for l in out.splitlines() if l.startswith("{")]
# Several queues: `show qdisc json` is one array of their objects.
for l in out.splitlines():
    if l.startswith("[") and '"kind"' in l:
        js += json.loads(l)
sn = [j for j in js if "softnet" in j][0]
t.check(sn["total"]["processed"] == 50000 and sn["total"]["sent"] == 50000, str(sn))
t.check(any(j.get("kind") == "noqueue" and j.get("txq") == 0 for j in js), "qdisc json")
ps = [j for j in js if "opackets" in j][0]
t.check(ps["opackets"] == 50000, str(ps))
t.check("TX-packets: 0 " in out, "clear port stats:\n" + out)
t.check("port 0: net_null0 (driver net_null)" in out, out)
t.check(t.accounting_ok(out), "session summary")
t.check("mbufs in use:   0" in out, "mbufs")
# Nothing after quit runs.
t.check(out.count("lcore   processed") == 1, "commands after quit ran")

# Options of the option mode are the defaults of command mode; --json works.
import tempfile, os
jf = tempfile.mktemp(suffix=".json")
rc, out, err, _ = t.run_file("start\nwait\n", opts=["--count", "5000", "--size", "128", "--json", jf])
t.check(rc == 0, err)
t.check("generated 5000 = sent 5000" in out, out)
with open(jf) as f:
    j = json.load(f)
os.unlink(jf)
t.check(j["handed"] == 5000 and j["accounting_ok"] is True, str(j))
print("PASS")
sys.exit(0)
