#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""The main job's --class, --filter, --rx-mode and --address options, and the
rx mode / responder commands' errors, on net_null0 (no namespace needed):
- --qdisc 'handle 1: htb default 20' --class 'parent 1: classid 1:1 htb rate
  100mbit' --filter 'parent 1: prio 1 match ip dport 9 classid 1:1': the
  generator's frames (UDP port 9) go through 1:1 and leave at about 100 Mbit/s;
- bad values are one line and exit 2, before EAL: --rx-mode, --address,
  an empty --class;
- --rx-mode poll on net_null (its rx queue always has packets): NET_RX on
  lcore 1 polls it, the budget is exhausted, the generator runs on the main
  lcore, the summary has a receive line;
- interrupt mode on a PMD without RX interrupts falls back to polling (show
  rx: served poll);
- `rx mode` with no worker lcore (-l 0) and the responder's grammar: one
  line each."""
import re
import subprocess
import sys

import sntest as t


def run_opts(opts, lcores="0-1", timeout=60):
    args, _ = t.eal(("net_null0",), lcores)
    return subprocess.run([t.APP] + args + ["--"] + opts, capture_output=True, text=True,
                          timeout=timeout)


# ---- QoS from the command line ----
p = run_opts(["--qdisc", "handle 1: htb default 20", "--class",
              "parent 1: classid 1:1 htb rate 100mbit", "--filter",
              "parent 1: prio 1 match ip dport 9 classid 1:1", "--duration", "1.5",
              "--stats-period", "0"])
t.check(p.returncode == 0, "htb options rc %d\n%s%s" % (p.returncode, p.stdout, p.stderr))
t.check("1 txq of htb" in p.stdout and t.accounting_ok(p.stdout), p.stdout)
m = re.search(r"average: +[\d.]+ Mpps, ([\d.]+) Gbps", p.stdout)
t.check(m is not None and 0.05 <= float(m.group(1)) <= 0.15,
        "100mbit class: average %s\n%s" % (m and m.group(1), p.stdout))

# ---- bad values: one line, exit 2 ----
for opts, words in ((["--rx-mode", "napi"], "--rx-mode: 'napi' is not a receive mode"),
                    (["--address", "10.0.0.1/33"], "--address: '10.0.0.1/33' is not an address"),
                    (["--address", "0.0.0.0/8"], "is not an address"),
                    (["--class", " "], "--class: missing words"),
                    (["--filter", ""], "--filter: missing words")):
    p = run_opts(opts)
    t.check(p.returncode == 2 and words in p.stderr and len(p.stderr.strip().splitlines()) == 1,
            "%s: rc %d\n%s" % (opts, p.returncode, p.stderr))

# ---- poll mode on net_null ----
p = run_opts(["--rx-mode", "poll", "--count", "200000", "--stats-period", "0"])
t.check(p.returncode == 0, "poll rc %d\n%s%s" % (p.returncode, p.stdout, p.stderr))
t.check("generator: started 1 lcore(s) on port 0 (0->txq0)" in p.stdout,
        "the main lcore generates (lcore 1 receives):\n" + p.stdout)
m = re.search(r"  receive: +port 0 poll: (\d+) packets, (\d+) polls, (\d+) interrupts, "
              r"(\d+) budget exhausted", p.stdout)
t.check(m is not None and int(m.group(1)) > 0 and int(m.group(4)) > 0,
        "receive line:\n" + p.stdout)
t.check(t.accounting_ok(p.stdout), p.stdout)

# ---- commands ----
rc, out, err, _ = t.run_file("""rx mode 0 interrupt
show rx json
rx mode 0 off
rx mode 0 off
""")
t.check(rc == 2 and '"served": "poll"' in out and "rx mode: port 0 is not served" in err,
        "interrupt fallback, off twice: rc %d\n%s%s" % (rc, out, err))
rc, out, err, _ = t.run_file("rx mode 0 poll\n", lcores="0")
t.check(rc == 2 and "needs an EAL worker lcore" in err, "no worker: %s" % err)
for line, words in (("responder 0 10.0.0.300/24", "is not an address"),
                    ("responder 0", "missing address"),
                    ("rx mode 0 napi", "unknown mode 'napi'"),
                    ("responder 0 off", "port 0 has none")):
    rc, out, err, _ = t.run_file(line + "\n")
    errors = [l for l in err.splitlines() if "error:" in l]
    t.check(rc == 2 and len(errors) == 1 and words in errors[0],
            "%s: rc %d\n%s" % (line, rc, err))
print("PASS")
sys.exit(0)
