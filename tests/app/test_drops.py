#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Drop reasons in the app, and oversize frames in both modes.

- `show softnet drops` (text and JSON): one line per reason the library
  names, a column per lcore and the total, the reasons adding up to
  dropped; the run's accounting line, the summary and the JSON summary name
  the nonzero reasons and check their sum. Drops made on purpose: a noqueue
  root on net_ring0 (a ring nobody reads) drops what the ring cannot take,
  as reason "driver".
- Oversize: the option mode (--size, and -i with --size) and the command
  mode (set size N, set size imix ..) refuse a frame longer than the port's
  MTU + 14 with the same one line and exit 2, before anything is sent; the
  largest untagged size (1514) and the default IMIX run clean, with no
  oversize drop."""
import json
import os
import re
import subprocess
import tempfile

import sntest as t


def run(opts, vdevs=("net_null0",), stdin=None, timeout=60):
    args, _ = t.eal(vdevs)
    return subprocess.run([t.APP] + args + ["--"] + opts, capture_output=True, text=True,
                          input=stdin, timeout=timeout)


def jsonfile():
    with tempfile.NamedTemporaryFile("r", suffix=".json", delete=False) as f:
        return f.name


def load(path):
    with open(path) as f:
        js = json.load(f)
    os.unlink(path)
    return js


def json_line(out, key):
    for l in out.splitlines():
        if l.startswith("{\"%s\"" % key):
            return json.loads(l)
    t.fail("no JSON line %r in:\n%s" % (key, out))


# ---- drops by reason: noqueue on a ring nobody reads ----
COUNT = 5000
jf = jsonfile()
rc, out, err, _ = t.run_file("qdisc replace dev 0 root noqueue\nset count %d\nstart\nwait\n"
                             "show softnet drops\nshow softnet drops json\nshow softnet\n"
                             % COUNT, vdevs=("net_ring0",), opts=["--json", jf])
t.check(rc == 0, "rc %d\n%s\n%s" % (rc, out, err))
js = load(jf)
d = json_line(out, "drops")
total = d["total"]
names = list(total["reasons"])
# The library's names (sn_drop_reason_name()): lower case and '_', the ones
# the issue names among them; the app lists them, it does not know them.
t.check(len(names) >= 10 and all(re.fullmatch(r"[a-z_]+", n) for n in names), str(names))
t.check("oversize" in names and "driver" in names and "qdisc" in names, str(names))
dropped = total["dropped"]
t.check(dropped > 0 and total["reasons"]["driver"] == dropped, str(total))
t.check(sum(total["reasons"].values()) == dropped and total["sum_ok"] and d["sum_ok"], str(d))
for lc in d["drops"]:
    t.check(list(lc["reasons"]) == names, str(lc))
    t.check(sum(lc["reasons"].values()) == lc["dropped"] and lc["sum_ok"], str(lc))
t.check(sum(lc["dropped"] for lc in d["drops"]) == dropped, str(d))

# The table: one line per reason in the same order, the total column equal
# to the JSON's, a "dropped" line, and the verdict.
lines = out.splitlines()
hdr = [i for i, l in enumerate(lines) if l.startswith("reason ")]
t.check(len(hdr) == 1, out)
h = hdr[0]
t.check(re.match(r"reason +lcore 0 +lcore 1 +total$", lines[h]), lines[h])
for k, name in enumerate(names + ["dropped"]):
    cols = lines[h + 1 + k].split()
    t.check(cols[0] == name, "line %d: %r, want %s" % (k, lines[h + 1 + k], name))
    want = dropped if name == "dropped" else total["reasons"][name]
    t.check(int(cols[-1]) == want and len(cols) == 4, lines[h + 1 + k])
t.check(lines[h + 2 + len(names)] == "(the reasons add up to dropped on every lcore: OK)",
        lines[h + 2 + len(names)])
t.check("dropped by reason: driver %d; show softnet drops" % dropped in out, out)

# The run's accounting line and the summary name the reasons.
sent = COUNT - dropped
t.check("accounting: generated %d = sent %d + dropped %d + queued 0: OK (dropped: driver %d)"
        % (COUNT, sent, dropped, dropped) in out, out)
t.check(re.search(r"^  dropped: +%d \(driver %d\)$" % (dropped, dropped), out, re.M), out)
t.check("accounting: handed = sent + dropped + queued: OK; dropped = sum of reasons "
        "(driver %d)" % dropped in out, out)
t.check(t.accounting_ok(out), out)
# JSON summary: a drops object by reason name, adding up to dropped.
t.check(list(js["drops"]) == names, str(js["drops"]))
t.check(js["dropped"] == dropped and sum(js["drops"].values()) == dropped, str(js))
t.check(js["drops"]["driver"] == dropped and js["drops_ok"] and js["accounting_ok"], str(js))
t.check(js["handed"] == COUNT and js["sent"] == sent, str(js))

# `set format json`: the run's accounting object carries the reasons too.
rc, out, err, _ = t.run_file("qdisc replace dev 0 root noqueue\nset format json\nset count 3000\n"
                             "start\nwait\n", vdevs=("net_ring0",))
t.check(rc == 0, "rc %d\n%s\n%s" % (rc, out, err))
a = json_line(out, "accounting")["accounting"]
t.check(a["ok"] and a["drops_ok"] and sum(a["drops"].values()) == a["dropped"] > 0, str(a))

# A clean run: no reason named, the sum still checked.
jf = jsonfile()
p = run(["--count", "20000", "--json", jf])
t.check(p.returncode == 0, p.stdout + p.stderr)
js = load(jf)
t.check(js["dropped"] == 0 and not any(js["drops"].values()) and js["drops_ok"], str(js))
t.check(re.search(r"^  dropped: +0$", p.stdout, re.M), p.stdout)
t.check("accounting: handed = sent + dropped + queued: OK; dropped = sum of reasons\n"
        in p.stdout, p.stdout)

# ---- oversize: both modes refuse alike, before anything is sent ----
WANT = ("size 1518 is out of range 60..1514 (port 0 MTU 1500 + 14; the frames are untagged)")


def one_error(p, what, summary=False):
    """Exit 2, one error line, nothing generated; a refused option prints no
    summary (a command file's session ends with its summary, as documented)."""
    errs = [l for l in p.stderr.splitlines() if "error" in l]
    t.check(p.returncode == 2, "%s: rc %d, want 2\n%s\n%s" % (what, p.returncode, p.stdout,
                                                             p.stderr))
    t.check(len(errs) == 1, "%s: want one error line:\n%s" % (what, p.stderr))
    t.check("generator: started" not in p.stdout and ("summary:" in p.stdout) == summary,
            what + ": something ran:\n" + p.stdout)
    if summary:
        t.check(re.search(r"^  handed: +0 packets", p.stdout, re.M), p.stdout)
    return errs[0]


msgs = {}
# The option mode: --size becomes `set size`, checked against the port.
jf = tempfile.mktemp(suffix=".json")
p = run(["--count", "1000", "--size", "1518", "--json", jf])
msgs["--size"] = one_error(p, "--size 1518")
t.check(msgs["--size"].startswith("softnet: error: set: " + WANT), msgs["--size"])
t.check(not os.path.exists(jf) or os.path.getsize(jf) == 0, "--size 1518 left a JSON summary")
if os.path.exists(jf):
    os.unlink(jf)
# The command mode with --size as the default (-i): refused at once too.
p = run(["-i", "--size", "1518"], stdin="start\nquit\n")
msgs["-i --size"] = one_error(p, "-i --size 1518")
# The command mode: set size, an IMIX entry; at the file's line.
for cmd in ["set size 1518", "set size imix 64:7,570:4,1518:1"]:
    rc, out, err, path = t.run_file(cmd + "\nset count 1000\nstart\nwait\n")
    p = subprocess.CompletedProcess([], rc, out, err)
    msgs[cmd] = one_error(p, cmd, summary=True)
    t.check(msgs[cmd].startswith(path + ":1: error: set: " + WANT), msgs[cmd])
# The same line in every mode, after its prefix (softnet:, FILE:LINE:).
tails = {k: v[v.index("error: "):] for k, v in msgs.items()}
t.check(len(set(tails.values())) == 1, "the modes differ:\n" +
        "\n".join("%s: %s" % kv for kv in tails.items()))
# At the prompt: the same line, and the setting is unchanged.
p = run(["-i"], stdin="set size 1518\nshow gen json\nquit\n")
t.check(p.returncode == 0, p.stdout + p.stderr)
errs = [l for l in (p.stdout + p.stderr).splitlines() if "error:" in l]
t.check(len(errs) == 1 and errs[0][errs[0].index("error: "):] == tails["--size"], str(errs))
t.check(json_line(p.stdout, "gen")["gen"]["size"] == "64", p.stdout)

# Accepted: the largest untagged frame in both modes, and the default IMIX;
# nothing dropped, no oversize.
jf = jsonfile()
p = run(["--count", "10000", "--size", "1514", "--json", jf])
t.check(p.returncode == 0, p.stdout + p.stderr)
js = load(jf)
t.check(js["frame_size"] == 1514 and js["sent"] == 10000 and js["drops"]["oversize"] == 0, str(js))
for cmd in ["set size 1514", "set size imix", "set size imix 64:7,570:4,1514:1"]:
    jf = jsonfile()
    rc, out, err, _ = t.run_file(cmd + "\nset count 12000\nstart\nwait\n", opts=["--json", jf])
    t.check(rc == 0, "%s: rc %d\n%s\n%s" % (cmd, rc, out, err))
    js = load(jf)
    t.check(js["sent"] == 12000 and js["dropped"] == 0 and js["drops"]["oversize"] == 0,
            "%s: %s" % (cmd, js))
print("PASS")
