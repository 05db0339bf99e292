#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""The QoS commands of the issue, as written, from a command file: an htb
tree with a fq_codel leaf and a filter, shown in tc's class layout; the
generator's frames to UDP port 5060 all land in class 1:10 through the
filter; prio with three bands; mq over two queues with a class's qdisc
replaced; and the errors a user meets (a class with children deleted, a
class on a classless qdisc, a bad filter word, a parent that does not
exist), each one clear line."""
import json
import re

import sntest as t

rc, out, err, _ = t.run_file("""
qdisc add dev 0 root tbf rate 50mbit burst 64kb latency 20ms
qdisc replace dev 0 root handle 1: htb default 20
class add dev 0 parent 1: classid 1:1 htb rate 1gbit
class add dev 0 parent 1:1 classid 1:10 htb rate 300mbit ceil 1gbit prio 0
class add dev 0 parent 1:1 classid 1:20 htb rate 700mbit ceil 1gbit prio 1
qdisc add dev 0 parent 1:20 handle 20: fq_codel
filter add dev 0 parent 1: prio 1 match ip dport 5060 classid 1:10
show class dev 0
show qdisc dev 0
set dport 5060
set size 1000
set rate 50kpps
set count 3000
start
wait
show class dev 0 json
show filter dev 0 json
quit
""")
t.check(rc == 0, "rc %d\nstdout:\n%s\nstderr:\n%s" % (rc, out, err))


def has(rx, text=None):
    text = out if text is None else text
    t.check(re.search(rx, text, re.M), "no line matching %r in:\n%s" % (rx, text))


has(r"^class htb 1:1 root\b.*\brate 1Gbit\b")
has(r"^class htb 1:10 parent 1:1 .*\bprio 0\b.*\brate 300Mbit ceil 1Gbit\b")
has(r"^class htb 1:20 parent 1:1 leaf 20: .*\bprio 1\b.*\brate 700Mbit ceil 1Gbit\b")
has(r"^qdisc htb 1: dev port0 txq 0 root\b.*\bdefault 0?x?20\b")
has(r"^qdisc fq_codel 20: dev port0 txq 0 parent 1:20\b")
t.check(t.accounting_ok(out), "accounting:\n" + out)

classes = filters = None
for line in out.splitlines():
    if line.startswith("[") and '"class"' in line:
        classes = json.loads(line)
    elif line.startswith("[") and '"classid"' in line:
        filters = json.loads(line)
t.check(classes is not None and filters is not None, "no JSON:\n" + out)
by_id = {c["handle"]: c for c in classes}
print("classes: " + ", ".join("%s %d pkt" % (h, c["packets"]) for h, c in sorted(by_id.items())))
# 50 kpps of 1000-byte frames is 400 Mbit/s, under 1:10's 1 Gbit/s ceiling:
# all 3000 frames leave, every one through 1:10 (the filter), none through 1:20.
t.check(by_id["1:10"]["packets"] == 3000, "1:10: %r" % by_id["1:10"])
t.check(by_id["1:20"]["packets"] == 0, "1:20: %r" % by_id["1:20"])
t.check(len(filters) == 1 and filters[0]["packets"] == 3000 and filters[0]["classid"] == "1:10",
        "filters: %r" % filters)

# prio, as written.
rc, out, err, _ = t.run_file("""
qdisc add dev 0 root handle 1: prio bands 3
show qdisc dev 0
show class dev 0
quit
""")
t.check(rc == 0, "rc %d\n%s\n%s" % (rc, out, err))
has(r"^qdisc prio 1: dev port0 txq 0 root bands 3 priomap 1 2 2 2 1 2 0 0 1 1 1 1 1 1 1 1$",
    out)
for b in (1, 2, 3):
    has(r"^class prio 1:%d parent 1:" % b, out)

# mq, as written, on a port with two queues; a class's qdisc replaced.
rc, out, err, _ = t.run_file("""
port stop 0
port config 0 txqs 2
port start 0
qdisc add dev 0 root mq
qdisc replace dev 0 parent 8001:2 handle 30: pfifo limit 50
show qdisc dev 0
show class dev 0
quit
""")
t.check(rc == 0, "rc %d\n%s\n%s" % (rc, out, err))
has(r"^qdisc mq 8001: dev port0 root$", out)
has(r"^qdisc pfifo_fast 0: dev port0 txq 0 parent 8001:1 ", out)
has(r"^qdisc pfifo 30: dev port0 txq 1 parent 8001:2 limit 50$", out)
has(r"^class mq 8001:2 root leaf 30:$", out)

# The errors: one line each, naming what is wrong.
TREE = """qdisc replace dev 0 root handle 1: htb default 20
class add dev 0 parent 1: classid 1:1 htb rate 1gbit
class add dev 0 parent 1:1 classid 1:10 htb rate 300mbit ceil 1gbit
"""
for cmds, msg in (
        (TREE + "class del dev 0 classid 1:1\n", "child class"),
        ("qdisc add dev 0 root pfifo\nclass add dev 0 parent 8001: classid 8001:1 htb rate 1mbit\n",
         "classless"),
        (TREE + "filter add dev 0 parent 1: prio 1 match ip dprt 5060 classid 1:10\n", "dprt"),
        (TREE + "qdisc add dev 0 parent 1:30 fq_codel\n", "1:30: no such class"),
        (TREE + "qdisc add dev 0 parent 1:1 fq_codel\n", "inner class"),
        ("class add dev 0 parent 1: classid 1:1 htb rate 1gbit\n", "no qdisc with this handle"),
        (TREE + "filter add dev 0 parent 1: prio 1 match ip dport 9 classid 2:10\n",
         "not a class of qdisc 1:"),
        # tc's add/change/replace/del rules.
        (TREE + "qdisc add dev 0 parent 1:10 handle 30: pfifo\nqdisc add dev 0 parent 1:10 bfifo\n",
         "has qdisc 30: already"),
        (TREE + "qdisc del dev 0 parent 1:10\n", "only its default qdisc"),
        (TREE + "class add dev 0 parent 1:1 classid 1:10 htb rate 1mbit\n", "the class exists"),
        (TREE + "class change dev 0 classid 1:30 htb rate 1mbit\n", "no such class")):
    rc, out, err, _ = t.run_file(cmds + "quit\n")
    lines = [l for l in (out + err).splitlines() if "error" in l]
    t.check(len(lines) == 1 and msg in lines[0], "%r: expected one error with %r, got:\n%s" %
            (cmds.splitlines()[-1], msg, out + err))
# ...and what they allow: replace over a qdisc, del of one, class replace both ways.
rc, out, err, _ = t.run_file(TREE + """qdisc add dev 0 parent 1:10 handle 30: pfifo
qdisc replace dev 0 parent 1:10 handle 31: bfifo
qdisc del dev 0 parent 1:10
class replace dev 0 parent 1:1 classid 1:10 htb rate 2mbit
class replace dev 0 parent 1:1 classid 1:30 htb rate 3mbit
class change dev 0 classid 1:30 htb rate 4mbit
show class dev 0
show qdisc dev 0
quit
""")
t.check(rc == 0, "rc %d\n%s\n%s" % (rc, out, err))
has(r"^class htb 1:10 parent 1:1 .*\brate 2Mbit\b", out)
has(r"^class htb 1:30 parent 1:1 .*\brate 4Mbit\b", out)
t.check("qdisc bfifo 31:" not in out and "qdisc pfifo 30:" not in out, out)
print("qos commands: ok")
