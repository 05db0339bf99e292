#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""The summary, `show gen`, `show qdisc json` and progress lines as a user
reads them (issue 13, items 7 and 8), on net_null0:
1. after an IMIX run the average uses the real mean frame (64:7,594:4,1514:1
   = 355.3 bytes), and its Gbps = Mpps x 8 x mean;
2. after `clear port stats 0` no false `[differs from softnet]`: the port's
   counters are compared with what softnet sent since the clear;
3. one txq reads `1 txq of pfifo_fast`, never `txq(s) of (per txq)`;
4. with no run: no `stopped by: count after 0.000 s`;
5. `show gen` has counters; `show gen json` gives the real lcores while
   running and the run's rate;
6. `show qdisc dev 0 json` with two queues prints one JSON document (an
   array);
7. `set stats-period` prints progress lines in command mode (command file),
   including a period set while the generator runs; at the prompt they
   appear above the line being typed, which is drawn again after them."""
import json
import re
import sys

import sntest as t

# ---- 1, 3: IMIX ----
rc, out, err, _ = t.run_file("""set size imix 64:7,594:4,1514:1
set count 12000
start
wait
""")
t.check(rc == 0, "imix rc %d\n%s%s" % (rc, out, err))
mean = (64 * 7 + 594 * 4 + 1514) / 12.0
m = re.search(r"average: +([\d.]+) Mpps, ([\d.]+) Gbps \(L2, mean frame ([\d.]+) bytes\)", out)
t.check(m is not None, "no average line:\n" + out)
t.check(abs(float(m.group(3)) - mean) < 0.1, "mean frame %s, expected %.1f" % (m.group(3), mean))
mpps, gbps = float(m.group(1)), float(m.group(2))
if mpps >= 0.05:  # two decimals: compare where they carry the ratio
    t.check(abs(gbps - mpps * 8 * mean / 1000) <= 0.02 + 0.05 * gbps,
            "Gbps %s for %s Mpps of %.1f bytes" % (gbps, mpps, mean))
t.check("IMIX frames (mean %.1f bytes)" % mean in out, "summary header:\n" + out)
t.check("1 txq of pfifo_fast" in out and "txq(s)" not in out and "(per txq)" not in out,
        "txq wording:\n" + out)
t.check(t.accounting_ok(out), out)

# ---- 2: clear port stats ----
rc, out, err, _ = t.run_file("""set count 5000
start
wait
clear port stats 0
start
wait
""")
t.check(rc == 0, "clear rc %d\n%s%s" % (rc, out, err))
t.check("[differs from softnet]" not in out, "false difference after a clear:\n" + out)
t.check(re.search(r"sent: +10000 by softnet, 5000 by the port since its counters were cleared "
                  r"\(softnet: 5000\)", out) is not None, "sent line:\n" + out)

# ---- 4: no run ----
rc, out, err, _ = t.run_file("show gen\n")
t.check(rc == 0, "no run rc %d\n%s%s" % (rc, out, err))
t.check("count after 0.000" not in out and "stopped by:     nothing" in out,
        "no-run summary:\n" + out)
t.check("average:        no run" in out, "no-run average:\n" + out)

# ---- 5, 6, 7: show gen, show qdisc json, progress ----
rc, out, err, _ = t.run_file("""port stop 0
port config 0 txqs 2
port start 0
show qdisc dev 0 json
qdisc replace dev 0 txq 1 root pfifo limit 100
show qdisc dev 0 json
set rate 50kpps
set stats-period 0.5
set duration 2
start
sleep 0.3
show gen json
show gen
sleep 0.7
set stats-period 0.25
wait
show gen json
""")
t.check(rc == 0, "gen rc %d\n%s%s" % (rc, out, err))
lines = out.splitlines()
arrays = [l for l in lines if l.startswith("[")]
t.check(len(arrays) >= 1, "no JSON array for two queues:\n" + out)
two = json.loads(arrays[0])
t.check(isinstance(two, list) and len(two) == 2 and [q["txq"] for q in two] == [0, 1],
        "two queues: %s" % arrays[0])
t.check(len(arrays) == 2 and [q["kind"] for q in json.loads(arrays[1])] == ["pfifo_fast", "pfifo"],
        "two kinds: %s" % arrays)
gens = [json.loads(l)["gen"] for l in lines if l.startswith('{"gen"')]
t.check(len(gens) == 2, "show gen json lines:\n" + out)
t.check(gens[0]["running"] and gens[0]["lcores"] == 1 and gens[0]["run_pps"] > 0 and
        gens[0]["generated"] > 0, "while running: %s" % gens[0])
t.check(not gens[1]["running"] and gens[1]["run_pps"] == 0 and
        gens[1]["generated"] == gens[1]["accepted"] and gens[1]["generated"] > 50000,
        "after: %s" % gens[1])
t.check(re.search(r"  counters   generated \d+, accepted \d+, pool empty \d+ \(1 run\(s\)\)", out)
        and re.search(r"  this run   generated \d+, \d+ pps since it started", out),
        "show gen counters:\n" + out)
prog = [l for l in lines if re.match(r"^ +\d+\.\d+s +tx ", l)]
# 0.5 s lines for a second, then 0.25 s lines: more than 2 s / 0.5 s gives.
t.check(len(prog) >= 5, "%d progress lines:\n%s" % (len(prog), out))
t.check(t.accounting_ok(out), out)

# ---- 7 at the prompt: progress lines above the line being typed ----
p = t.Prompt(lcores="0-1")
p.read_until(r"softnet> ")
p.cmd("set rate 20kpps")
p.cmd("set duration 2")
p.cmd("set stats-period 0.3")
p.cmd("start")
start = len(p.buf)
p.send("show ge")  # typed, not entered, while lines arrive
p.read_until(r"generator: stopped", timeout=20, start=start)
m = p.read_until(r"softnet> show ge", timeout=10, start=p.buf.rindex("generator: stopped"))
screen = p.buf[start:]
lines = re.findall(r"\d+\.\d+s +tx ", screen)
t.check(len(lines) >= 3, "%d progress lines at the prompt:\n%s" % (len(lines), screen))
p.send("n\r")
p.read_until(r"generator: idle on port 0", timeout=10, start=m.end())
p.send("quit\r")
t.check(p.wait_exit() == 0, "prompt exit:\n" + p.buf[-2000:])
# ---- the stop command names itself ----
rc, out, err, _ = t.run_file("set rate 20kpps\nstart\nsleep 0.3\nstop\n")
t.check(rc == 0 and re.search(r"^  stopped by:     stop after \d", out, re.M),
        "after stop:\n%s%s" % (out, err))
print("PASS")
sys.exit(0)
