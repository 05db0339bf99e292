#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""testpmd's and tc's habits, through the real app on two net_null ports:
`all` wherever a port is taken (`show port stats all`, `clear port stats
all`, `qdisc replace dev all`, `port stop|start all`), `show port xstats
<port|all>`, a port by name (`dev port1` as the app prints it, or the DPDK
name `net_null1`), `show port summary`, tc's units in qdisc options
(`limit 1500kb`, `rate 10mbit`), `help show port`, and every error on one
line ending with `(try 'help <command>')` instead of the family's usage."""
import json
import re
import sys

import sntest as t

PORTS = ("net_null0", "net_null1")


def run(cmds, want_rc=0):
    rc, out, err, _ = t.run_file(cmds, vdevs=PORTS, timeout=60)
    t.check(rc == want_rc, "rc %d (want %d)\n%s\n---\n%s" % (rc, want_rc, cmds, err[-3000:]))
    return out, err


# `all`: one block per port, in port order; clear all zeroes every port.
out, err = run("""set count 1000
set port 1
start
wait
show port stats all
clear port stats all
show port stats all
""")
blocks = re.findall(r"######## port (\d) statistics ########\n.*\n.*\n\s*TX-packets: (\d+)", out)
t.check([b[0] for b in blocks] == ["0", "1", "0", "1"], "port stats all blocks:\n" + out)
t.check(blocks[1][1] == "1000" and blocks[0][1] == "0", "port 1 sent the run:\n" + out)
t.check(blocks[2][1] == "0" and blocks[3][1] == "0", "clear port stats all:\n" + out)

# show port xstats: the driver's counters by name, for one port or all (JSON: one array).
out, err = run("""set count 500
start
wait
show port xstats 0
show port xstats all json
""")
m = re.search(r"NIC extended statistics for port 0\b.*?\ntx_good_packets: (\d+)\n", out, re.S)
t.check(m and m.group(1) == "500", "show port xstats 0:\n" + out)
# One JSON array: "[" before the first port's object, "]" after the last.
m = re.search(r"^\[.*?^\]$", out, re.M | re.S)
t.check(m, "one JSON array for all:\n" + out)
js = json.loads(m.group(0))
t.check([x["port"] for x in js] == [0, 1] and js[0]["xstats"]["tx_good_packets"] == 500 and
        js[1]["xstats"]["tx_good_packets"] == 0, "xstats all json: %r" % js)

# A port by name: the softnet device's (as `show qdisc` prints it) or DPDK's;
# tc's units in the qdisc's options; `dev all` changes every port.
out, err = run("""qdisc replace dev port1 root bfifo limit 1500kb
show qdisc dev net_null1
show port info port1
qdisc replace dev all root tbf rate 10mbit burst 32kb latency 20ms
show qdisc dev all
""")
t.check(re.search(r"^qdisc bfifo 8001: dev port1 txq 0 root limit 1500Kb\b", out, re.M),
        "bfifo limit 1500kb on port1, shown for net_null1:\n" + out)
t.check(re.search(r"^port 1: net_null1 ", out, re.M), "show port info port1:\n" + out)
for dev in ("port0", "port1"):
    t.check(re.search(r"^qdisc tbf 8001: dev %s txq 0 root rate 10Mbit burst 32Kb lat 20ms\b" % dev,
                      out, re.M), "tbf on %s by dev all:\n%s" % (dev, out))

# show port summary: one line per port (testpmd's), names, driver, link, queues, MTU.
out, err = run("""port stop all
show port summary
port start all
show port summary
show port summary json
""")
lines = [l for l in out.splitlines() if re.match(r"^[01] +[0-9A-F:]{17} ", l)]
t.check(len(lines) == 4, "4 summary lines:\n" + out)
t.check(re.match(r"^0 +\S+ +net_null0 +port0 +net_null +stop +- ", lines[0]), "stopped port0: %r" % lines[0])
t.check(re.match(r"^1 +\S+ +net_null1 +port1 +net_null +up +10 Gbps +1 +1 +1500$", lines[3]),
        "started port1: %r" % lines[3])
t.check("Number of available ports: 2" in out, out)
js = json.loads([l for l in out.splitlines() if l.startswith('{"ports"')][0])
t.check([p["name"] for p in js["ports"]] == list(PORTS) and js["ports"][1]["device"] == "port1"
        and js["ports"][0]["mtu"] == 1500 and js["ports"][0]["txqs"] == 1, "summary json %r" % js)

# help show port: show port's commands only.
out, err = run("help show port\n")
t.check("show port info|stats" in out and "show port xstats" in out and "show qdisc" not in out,
        "help show port:\n" + out)

# Errors: one line, the problem, then the help to try (no usage dump).
for cmd, want, topic in (
        ("show port stats nosuch", "no port named 'nosuch' (ports: 0 port0 net_null0, 1 port1 "
         "net_null1)", "show port"),
        ("show port xstats 7", "no port 7", "show port"),
        ("set rate 5 furlongs", "unknown unit 'furlongs'", "set"),
        ("qdisc add dev 0 root fq", "unknown qdisc kind", "qdisc"),
        ("qdisc add dev root pfifo", "missing port before 'root'", "qdisc"),
        ("show port bogus 0", "unknown 'bogus'", "show port"),
        ("show frob", "unknown 'frob' (port, qdisc, ", "show"),
        ("set", "missing what to set", "set")):
    out, err = run(cmd + "\n", want_rc=2)
    errs = [l for l in err.splitlines() if "error:" in l]
    t.check(len(errs) == 1, "%s: one error line:\n%s" % (cmd, err))
    t.check(want in errs[0], "%s: %r lacks %r" % (cmd, errs[0], want))
    t.check(errs[0].endswith("(try 'help %s')" % topic) and "usage:" not in errs[0],
            "%s: %r does not end with (try 'help %s')" % (cmd, errs[0], topic))
    t.check(len(errs[0]) < 200, "%s: error too long: %r" % (cmd, errs[0]))
print("PASS")
sys.exit(0)
