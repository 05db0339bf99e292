#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""The interactive prompt through a pseudo-terminal: help, completion,
history, qdisc and show commands, an error, start/stop, then quit with the
summary."""
import re
import sys

import sntest as t

p = t.Prompt()
p.read_until("softnet> ")
out = p.cmd("help")
t.check("qdisc add|replace dev <port>" in out, "help lists qdisc:\n" + out)
# Completion: "show so<TAB>" becomes "show softnet".
p.send("show so\t")
p.read_until("show softnet")
out = p.cmd("")
t.check("lcore   processed" in out and "time_squeeze" in out, "show softnet table:\n" + out)
out = p.cmd("qdisc replace dev 0 root pfifo_fast limit 200 priomap 0 1 2 2 1 2 0 0 1 1 1 1 1 1 1 1")
out = p.cmd("show qdisc dev 0")
t.check(re.search(r"qdisc pfifo_fast 8001: dev port0 txq 0 root .*priomap 0 1 2 2 1 2 0 0 1 1 1 1 1 1 1 1\b", out)
        and re.search(r"root .*limit 200p?\b", out), "qdisc shown as tc does:\n" + out)
t.check(" Sent 0 bytes 0 pkt (dropped 0, overlimits 0 requeues 0)" in out, out)
out = p.cmd("qdisc add dev 0 root bogus")
t.check("error: qdisc: " in out and "unknown qdisc kind" in out and "bogus" in out,
        "error line:\n" + out)
# History: up-arrow brings back the last line.
p.send("\x1b[A")
p.read_until("qdisc add dev 0 root bogus")
p.send("\x01\x0b")  # ctrl-a, ctrl-k: empty the line
# help qdisc lists the kinds the library has registered, with their usage.
out = p.cmd("help qdisc")
t.check(re.search(r"^ +pfifo_fast +\S", out, re.M) and re.search(r"^ +bfifo +\S", out, re.M),
        "help qdisc lists the kinds:\n" + out)
# Completion comes from the command registry: "qdisc rep<TAB>".
p.send("qdisc rep\t")
p.read_until("qdisc replace")
p.send("\x01\x0b")
out = p.cmd("set count 50000")
out = p.cmd("start")
t.check("generator: started 1 lcore(s)" in out, out)
p.read_until(r"accounting: generated 50000 = sent 50000 \+ dropped 0 \+ queued 0: OK")
out = p.cmd("show gen json")
t.check('"generated": 50000' in out, out)
p.send("quit\r")
rc = p.wait_exit()
t.check(rc == 0, "quit exit code %d:\n%s" % (rc, p.buf[-2000:]))
t.check("accounting: handed = sent + dropped + queued: OK" in p.buf, "summary at quit")
t.check("mbufs in use:   0" in p.buf, "no mbuf left")
print("PASS")
sys.exit(0)
