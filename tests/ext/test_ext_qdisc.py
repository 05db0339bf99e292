#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""A discipline registered from outside the library (sch_ext_fifo.c, an EAL
plugin loaded with -d) used through the app's command language, with no
change to the app: help qdisc lists it with its own usage line, qdisc add
takes its own options, show qdisc prints them (text and JSON) with its own
counters, its own parse errors reach the user, and every packet is
accounted for. Usage: test_ext_qdisc.py APP MODULE (exit 0 pass, 1 fail,
77 skip)."""
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "app"))
import sntest as t  # noqa: E402

if len(sys.argv) < 3 or not os.path.exists(sys.argv[2]):
    print("SKIP: no module")
    sys.exit(77)
# EAL refuses a plugin path under a world-writable directory (such as a
# build directory in /tmp); a bare file name is dlopen()ed from the library
# path instead, without that check. So: `-d sch_ext_fifo.so` and the module's
# directory on LD_LIBRARY_PATH (the working directory holds no such file).
MODULE = os.path.basename(sys.argv[2])
ENV = dict(os.environ)
ENV["LD_LIBRARY_PATH"] = os.pathsep.join(
    [os.path.dirname(os.path.abspath(sys.argv[2]))] +
    [d for d in ENV.get("LD_LIBRARY_PATH", "").split(os.pathsep) if d])
CWD = os.path.dirname(os.path.abspath(__file__))


def run(commands, opts=()):
    with tempfile.NamedTemporaryFile("w", suffix=".cmd", delete=False) as f:
        f.write(commands)
        path = f.name
    args, _ = t.eal()
    p = subprocess.run([t.APP, "-d", MODULE] + args + ["--", "--cmdline-file", path] + list(opts),
                       capture_output=True, text=True, timeout=60, env=ENV, cwd=CWD)
    os.unlink(path)
    return p.returncode, p.stdout, p.stderr


rc, out, err = run("""help qdisc
qdisc add dev 0 root extfifo limit 8 mark
show qdisc dev 0
set count 2000
set burst 8
start
wait
show qdisc dev 0
show qdisc dev 0 json
qdisc replace dev 0 root extfifo
show qdisc dev 0
""")
t.check(rc == 0, "rc %d\nstdout:\n%s\nstderr:\n%s" % (rc, out, err))
t.check(re.search(r"^ +extfifo +\[ limit PACKETS \] \[ mark \]", out, re.M),
        "help qdisc does not list extfifo with its usage:\n" + out)
t.check(re.search(r"^qdisc extfifo 8001: dev port0 txq 0 root limit 8 mark$", out, re.M),
        "show qdisc does not print extfifo's options:\n" + out)
t.check(" Sent 128000 bytes 2000 pkt (dropped 0, overlimits 0 requeues 0)" in out,
        "extfifo's counters:\n" + out)
t.check(re.search(r"\bmarked 2000\b", out), "extfifo's own counter (xstats):\n" + out)
js = [json.loads(l) for l in out.splitlines() if l.startswith("{") and "extfifo" in l]
t.check(len(js) == 1, "one JSON qdisc:\n" + out)
j = js[0]
t.check(j["kind"] == "extfifo" and j["options"] == {"limit": 8, "mark": True}, str(j))
t.check(j["packets"] == 2000 and j["drops"] == 0 and j["qlen"] == 0, str(j))
t.check(j.get("xstats", {}).get("marked") == 2000, str(j))
# Replaced with its defaults: limit 64, no mark.
t.check(re.search(r"^qdisc extfifo 8001: dev port0 txq 0 root limit 64$", out, re.M), out)
t.check("accounting: generated 2000 = sent 2000 + dropped 0 + queued 0: OK" in out, out)
t.check(t.accounting_ok(out) and "mbufs in use:   0" in out, "session summary:\n" + out)

# Its own parse errors reach the user as one line, pointing at the help.
for bad, want in [("limit 0", "limit: '0' is not a packet count 1..65536"),
                  ("colour blue", "colour: unknown extfifo parameter"),
                  ("mark nolock", "nolock")]:
    rc, out, err = run("qdisc add dev 0 root extfifo %s\nshow qdisc\n" % bad)
    lines = [l for l in err.splitlines() if "error:" in l]
    t.check(rc == 2 and len(lines) == 1 and want in lines[0] and "(try 'help qdisc')" in lines[0],
            "%r: rc %d\n%s" % (bad, rc, err))
    t.check("qdisc extfifo" not in out, "%r: the qdisc was added" % bad)

# Without the module the kind does not exist.
with tempfile.NamedTemporaryFile("w", suffix=".cmd", delete=False) as f:
    f.write("qdisc add dev 0 root extfifo\n")
    path = f.name
args, _ = t.eal()
p = subprocess.run([t.APP] + args + ["--", "--cmdline-file", path], capture_output=True,
                   text=True, timeout=60)
os.unlink(path)
t.check(p.returncode == 2 and "unknown qdisc kind" in p.stderr, p.stderr)

# The option mode takes it too, as a whole tc spec.
args, _ = t.eal(lcores="0")
p = subprocess.run([t.APP, "-d", MODULE] + args + ["--", "--count", "3000", "--quiet",
                                                    "--qdisc", "extfifo mark", "--limit", "16"],
                   capture_output=True, text=True, timeout=60, env=ENV, cwd=CWD)
t.check(p.returncode == 0 and t.accounting_ok(p.stdout),
        "option mode: rc %d\n%s\n%s" % (p.returncode, p.stdout, p.stderr))
t.check("of extfifo" in p.stdout, p.stdout)
print("PASS")
sys.exit(0)
