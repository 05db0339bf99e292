#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""The interactive prompt through a pseudo-terminal: help, completion of
every word (third, fourth, sixth) and `?` with each choice once, history,
qdisc and show commands, an error, an asynchronous line printed above the
line being typed, start/stop, then quit with the summary."""
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

def shown(text):
    """A regex for text as the line editor draws it (escapes may follow a completion)."""
    return "".join(re.escape(c) + r"(?:\x1b\[[0-9;]*[A-Za-z])*" for c in text)


# Completion of every word, from the command registry and the session: a
# third word ("show port st" -> stats), a fourth (a port: `all`, or a name as
# the app prints it), a sixth (the library's qdisc kinds).
p.send("show port st\t")
p.read_until(shown("show port stats "))
p.send("a\t")
p.read_until(shown("show port stats all "))
out = p.cmd("")
t.check("######## port 0 statistics" in out, "show port stats all:\n" + out)
p.send("show port info po\t")
p.read_until(shown("show port info port0 "))
out = p.cmd("")
t.check("port 0: net_null0" in out, "show port info port0:\n" + out)
p.send("qdisc replace dev 0 r\t")
p.read_until(shown("qdisc replace dev 0 root "))
p.send("bf\t")
p.read_until(shown("qdisc replace dev 0 root bfifo "))
out = p.cmd("limit 1500kb")
out = p.cmd("show qdisc")
t.check(re.search(r"qdisc bfifo 8001: dev port0 txq 0 root limit 1500Kb", out), out)


def choices(keys):
    """The list TAB or ? prints for keys: the lines between the keys and the prompt again."""
    start = len(p.buf)
    p.send(keys)
    m = p.read_until(shown("softnet> " + keys.rstrip("?\t")), start=start)
    p.send("\x01\x0b")  # ctrl-a, ctrl-k: empty the line
    text = re.sub(r"\x1b(\[[0-9;]*[A-Za-z]|[A-Z])", "", p.buf[start:m.start()])
    lines = text.replace("\r", "").split("\n")[1:]
    return [l.split()[0] for l in lines if l.strip()]


# `show <TAB>` and `show ?`: every choice once, none undocumented (config),
# the same as `help show` documents (families added later included).
helped = set(re.findall(r"^  show (\S+)", p.cmd("help show"), re.M))
t.check({"port", "qdisc", "softnet", "gen", "rx"} <= helped, "help show: %r" % helped)
for keys in ("show \t", "show ?"):
    got = choices(keys)
    t.check(sorted(got) == sorted(set(got)), "%r: duplicates: %r" % (keys, got))
    t.check(set(got) == helped and "config" not in got, "%r: %r, help: %r" % (keys, got, helped))
# `?` on the fourth word: the values it takes, each once, and the end of the line.
got = choices("show port stats ?")
t.check(sorted(got) == sorted(set(got)), "duplicates: %r" % got)
t.check({"<port>", "0", "port0", "net_null0", "all"} <= set(got), "show port stats ?: %r" % got)
got = choices("show port ?")
t.check(set(got) == {"info", "stats", "xstats", "summary"}, "show port ?: %r" % got)
got = choices("?")
t.check(len(got) == len(set(got)) and "show" in got and "qdisc" in got, "? alone: %r" % got)

out = p.cmd("set count 50000")
out = p.cmd("start")
t.check("generator: started 1 lcore(s)" in out, out)
p.read_until(r"accounting: generated 50000 = sent 50000 \+ dropped 0 \+ queued 0: OK")
out = p.cmd("show gen json")
t.check('"generated": 50000' in out, out)
# An asynchronous line (the run's end) is printed above the line being
# typed, which is drawn again; the typed line is not broken.
out = p.cmd("set count 0")
out = p.cmd("set duration 1.5")
out = p.cmd("start")
t.check("generator: started" in out, out)
start = len(p.buf)
p.send("show soft")
p.read_until(shown("show soft"), start=start)
m = p.read_until(r"generator: stopped[^\n]*\n", start=start, timeout=30)
# The typed line was cleared (back to column 0, erased) before the message,
# and drawn again after it, with what was typed.
t.check(re.search(r"show soft\r\x1b\[Kgenerator: stopped", p.buf[start:m.end()]),
        "the message did not replace the typed line: %r" % p.buf[start:m.end()])
p.read_until(shown("softnet> show soft"), start=m.end())
out = p.cmd("net")
t.check("lcore   processed" in out, "the typed line went on after the message:\n" + out)
t.check("unknown" not in out and "error" not in out, out)
p.send("quit\r")
rc = p.wait_exit()
t.check(rc == 0, "quit exit code %d:\n%s" % (rc, p.buf[-2000:]))
t.check("accounting: handed = sent + dropped + queued: OK" in p.buf, "summary at quit")
t.check("mbufs in use:   0" in p.buf, "no mbuf left")
print("PASS")
sys.exit(0)
