#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""The line-rate NIC model from the app, as a user would: the option mode's
`--linerate 'rate 1gbit ring 256'` sends through a 1 Gbit/s model (1500-byte
frames: 1e9 x 1500 / 1524 bit/s of layer 2 at most), everything accounted
for, what left the model's wire equal to what softnet sent; the command
mode's `port add linerate rate 10gbit ring 1024` makes the next port, whose
`show port info` shows BQL and whose counters move; a bad word is refused
with one line."""
import json
import os
import re
import subprocess
import tempfile

import sntest as t

# ---- option mode ----
with tempfile.NamedTemporaryFile("r", suffix=".json", delete=False) as f:
    path = f.name
args, _ = t.eal(vdevs=())
p = subprocess.run([t.APP] + args + ["--", "--linerate", "rate 1gbit ring 256", "--duration",
                                     "1.5", "--size", "1500", "--json", path],
                   capture_output=True, text=True, timeout=60)
t.check(p.returncode == 0, "rc %d\n%s\n%s" % (p.returncode, p.stdout, p.stderr))
out = p.stdout
t.check(re.search(r"^port 1: line-rate model 1000000000 bit/s, 1 x 256 descriptors, BQL on",
                  out, re.M), out)
m = re.search(r"sent: +(\d+) by softnet, (\d+) left the model's wire, (\d+) still in its ring"
              r"(.*)$", out, re.M)
t.check(m and m.group(4) == "" and int(m.group(1)) == int(m.group(2)) + int(m.group(3)),
        "model accounting:\n" + out)
t.check(t.accounting_ok(out), out)
with open(path) as f:
    js = json.load(f)
os.unlink(path)
gbps = js["sent"] * js["frame_size"] * 8 / js["seconds"] / 1e9
cap = 1.0 * 1500 / 1524
print("1 Gbit/s model: %.4f Gbit/s of layer 2 (at most %.4f)" % (gbps, cap))
# Never above the wire; near it (the generator saturates; a busy host can slow it).
t.check(gbps <= cap * 1.01 and gbps >= cap * 0.5, "rate %.4f Gbit/s" % gbps)

# ---- command mode ----
rc, out, err, _ = t.run_file("""
port add linerate rate 10gbit ring 1024
show port info 1
set port 1
set count 20000
set size 1000
start
wait
show port stats 1
quit
""")
t.check(rc == 0, "rc %d\n%s\n%s" % (rc, out, err))
t.check(re.search(r"^port 1: line-rate model 10000000000 bit/s, 1 x 1024 descriptors, BQL on",
                  out, re.M), out)
t.check(re.search(r"\bBQL\b.*\blimit\b", out), "show port info: no BQL line\n" + out)
t.check(t.accounting_ok(out), out)
m = re.search(r"sent: +(\d+) by softnet, (\d+) left the model's wire, (\d+) still in its ring"
              r"(.*)$", out, re.M)
# 20000 frames flat out into 10 Gbit/s: pfifo_fast's limit drops what the
# wire cannot take; what softnet sent all left the wire, nothing is lost.
t.check(m and m.group(4) == "" and int(m.group(1)) > 1000 and
        int(m.group(1)) == int(m.group(2)) + int(m.group(3)), "sent:\n" + out)
t.check(re.search(r"^  txq 0 +ring \d+ used, \d+ on the wire; accepted [1-9]\d*, departed [1-9]",
                  out, re.M), "show port stats: the model's counters:\n" + out)

# ---- bad input: one line ----
for line, want in (("port add linerate rate fast", "rate"),
                   ("port add linerate ring 0", "ring"),
                   ("port add tap", "linerate")):
    rc, out, err, _ = t.run_file(line + "\nquit\n")
    lines = [l for l in (out + err).splitlines() if "error" in l]
    t.check(rc == 2 and len(lines) == 1 and want in lines[0], "%s:\n%s%s" % (line, out, err))
print("linerate: ok")
