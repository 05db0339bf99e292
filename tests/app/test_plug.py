#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Option mode with --plug: single-packet sn_xmit() calls inside an xmit plug
around each burst (a burst of 48 is more than a plug holds, so it also
flushes when full). The summary and the JSON name the API, every packet is
sent by the port exactly once, nothing is dropped or left, the pool is
whole again. (The plug's own semantics are tests/unit/plug.c.)"""
import json
import os
import subprocess
import sys
import tempfile

import sntest as t


def run(extra):
    args, _ = t.eal(("net_null0",), lcores="0")
    with tempfile.NamedTemporaryFile("r", suffix=".json", delete=False) as f:
        path = f.name
    p = subprocess.run([t.APP] + args + ["--", "--quiet", "--json", path] + extra,
                       capture_output=True, text=True, timeout=60)
    t.check(p.returncode == 0, "rc %d\n%s\n%s" % (p.returncode, p.stdout, p.stderr))
    with open(path) as f:
        js = json.load(f)
    os.unlink(path)
    return p.stdout, js


out, js = run(["--count", "300000", "--plug", "--burst", "48"])
t.check("sn_xmit+plug" in out, "summary does not name the plugged API:\n" + out)
t.check(t.accounting_ok(out), "accounting:\n" + out)
t.check(js["api"] == "sn_xmit+plug", str(js.get("api")))
t.check(js["handed"] == 300000 and js["accepted"] == 300000, str(js))
t.check(js["sent"] == 300000 and js["port_opackets"] == 300000, str(js))
t.check(js["dropped"] == 0 and js["queued"] == 0, str(js))
t.check(js["softnet"]["processed"] == 300000, str(js["softnet"]))
t.check(js["mbufs_in_use"] == 0 and js["accounting_ok"], str(js))
print("PASS")
sys.exit(0)
