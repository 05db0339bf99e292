#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""The option mode is the command session running the commands its options
make: --qdisc takes a whole tc spec (any registered kind, parsed by the
library), --limit appends `limit N`, the summary and the JSON are the
command mode's, --single/--plug become `set xmit`, progress lines come every
--stats-period, a refused option is one line and exit 2 with no summary and
no JSON file left behind."""
import json
import os
import re
import subprocess
import sys
import tempfile

import sntest as t


def run(opts, lcores="0-1", timeout=60):
    args, _ = t.eal(lcores=lcores)
    return subprocess.run([t.APP] + args + ["--"] + opts, capture_output=True, text=True,
                          timeout=timeout)


def run_json(opts, lcores="0-1"):
    with tempfile.NamedTemporaryFile("r", suffix=".json", delete=False) as f:
        path = f.name
    p = run(opts + ["--json", path], lcores)
    t.check(p.returncode == 0, "%r: rc %d\n%s\n%s" % (opts, p.returncode, p.stdout, p.stderr))
    with open(path) as f:
        js = json.load(f)
    os.unlink(path)
    return p.stdout, js


# A whole spec; the summary names the kind, the JSON its limit.
out, js = run_json(["--count", "50000", "--qdisc", "pfifo limit 512"])
t.check("1 txq of pfifo," in out and t.accounting_ok(out), out)
t.check(js["qdisc"] == "pfifo" and js["qdisc_limit"] == 512, str(js))
t.check(js["handed"] == 50000 and js["sent"] == 50000 and js["accounting_ok"], str(js))
t.check("generator: started 1 lcore(s) on port 0 (1->txq0)" in out, out)

# --limit appends `limit N`, in either order; tc's units for a byte limit.
out, js = run_json(["--count", "20000", "--limit", "64000", "--qdisc", "bfifo"])
t.check(js["qdisc"] == "bfifo" and js["qdisc_limit"] == 64000, str(js))
out, js = run_json(["--count", "20000", "--qdisc", "bfifo limit 64kb"])
t.check(js["qdisc_limit"] == 65536, str(js))
# Without --qdisc: the default qdisc, as before.
out, js = run_json(["--count", "20000", "--limit", "300"])
t.check(js["qdisc"] == "pfifo_fast" and js["qdisc_limit"] == 300, str(js))

# --single, two txqs, two queues of the same kind: the summary names both.
out, js = run_json(["--count", "30000", "--single", "--txqs", "2", "--qdisc",
                    "pfifo_fast nolock"])
t.check(js["api"] == "sn_xmit" and js["txqs"] == 2 and js["qdisc"] == "pfifo_fast", str(js))
t.check(js["sent"] == 30000, str(js))

# Progress lines every --stats-period, from the same session.
p = run(["--duration", "1.2", "--stats-period", "0.3"])
t.check(p.returncode == 0, p.stderr)
lines = [l for l in p.stdout.splitlines() if re.match(r"^ +\d+\.\d+s  tx ", l)]
t.check(3 <= len(lines) <= 5, "progress lines:\n" + p.stdout)
t.check("stopped by:     duration" in p.stdout, p.stdout)

# --quiet: only the summary.
p = run(["--count", "1000", "--quiet"])
t.check(p.returncode == 0 and "generator:" not in p.stdout and t.accounting_ok(p.stdout),
        p.stdout)

# Refused by the library, the port or the lcores: one line, exit 2, no
# summary, no JSON file.
for opts, want in [(["--qdisc", "fq"], "unknown qdisc kind"),
                   (["--qdisc", "noqueue", "--limit", "5"], "noqueue"),
                   (["--qdisc", "pfifo limit 0"], "out of range"),
                   (["--size", "1600"], "size 1600 is out of range 60..1514"),
                   (["--tx-lcores", "5"], "lcores 5 is out of range 1..1"),
                   (["--port", "3"], "no DPDK port 3")]:
    jf = tempfile.mktemp(suffix=".json")
    p = run(["--count", "1000", "--json", jf] + opts)
    errs = [l for l in p.stderr.splitlines() if l.startswith("softnet:")]
    t.check(p.returncode == 2, "%r: rc %d\n%s" % (opts, p.returncode, p.stderr))
    t.check(len(errs) == 1 and want in errs[0], "%r: %s" % (opts, p.stderr))
    t.check("summary:" not in p.stdout, "%r: summary printed:\n%s" % (opts, p.stdout))
    t.check(not os.path.exists(jf), "%r: an empty JSON file was left" % opts)
# The library checks --qdisc's words before EAL starts (an unknown kind
# waits for EAL: a plugin may bring it).
p = run(["--qdisc", "pfifo limit 0"])
t.check(p.returncode == 2 and "softnet: --qdisc: limit: " in p.stderr and "EAL:" not in p.stderr,
        p.stderr)
print("PASS")
sys.exit(0)
