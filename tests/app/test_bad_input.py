#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Every class of bad input in a command file: one error line naming the
file, the line and the problem with the usage, exit code 2, nothing changed
half-way (the qdisc in force before the bad line is still there), no crash.
One softnet process reads all the interactive-style errors through the
prompt's parser; each file-level case runs its own process."""
import re
import sys

import sntest as t

# (command, expected fragment of the error)
CASES = [
    ("frobnicate", "unknown command 'frobnicate'"),
    ("qdisc", "qdisc: missing add, replace or del"),
    # The words after `root` are the library's (sn_qdisc_parse()): its error
    # text names the word; the app adds the usage.
    ("qdisc add dev 0 root fq", "unknown qdisc kind"),
    ("qdisc add dev 0 root", "missing qdisc kind"),
    ("qdisc add dev 0 root pfifo limit", "limit"),
    ("qdisc add dev 0 root pfifo limit 0", "out of range 1..16777216"),
    ("qdisc add dev 0 root pfifo limit 99999999999999999999", "out of range"),
    ("qdisc add dev 0 root pfifo limit ten", "'ten' is not a number"),
    ("qdisc add dev 0 root bfifo limit 10", "out of range 64..1073741824"),
    ("qdisc add dev 0 root noqueue limit 5", "noqueue"),
    ("qdisc add dev 0 root pfifo priomap 1 2", "priomap"),
    ("qdisc add dev 0 root pfifo_fast priomap 1 2 3", "3 is out of range 0..2"),
    ("qdisc add dev 0 root bfifo nolock", "bfifo cannot run without the root lock"),
    ("qdisc add dev 0 root pfifo_fast nolock deferlist", "deferlist"),
    ("qdisc add dev 0 root pfifo quantum 5", "quantum"),
    ("qdisc add dev 0 root pfifo handle x", "'x' is not a qdisc handle"),
    ("qdisc del dev 0 root fq", "unknown qdisc kind 'fq'"),
    ("qdisc add dev 9 root pfifo", "no port 9 (ports: 0)"),
    ("qdisc add dev 0 txq 4 root pfifo", "txq 4 is out of range 0..0 (port 0 has 1 txq)"),
    ("qdisc add dev 0 txq 64 root pfifo", "txq 64 is out of range 0..63"),
    ("qdisc add dev 0 parent 1:1 pfifo", "1:: no qdisc with this handle"),
    ("qdisc add dev 0 parent 1 pfifo", "'1' is not a class id"),
    ("qdisc add eth0 root pfifo", "expected 'dev' before 'eth0'"),
    ("qdisc del dev 0 root\nqdisc del dev 0 root", "has no added qdisc"),
    ("qdisc blah dev 0 root", "unknown verb 'blah'"),
    ("port start 0", "port 0 is already started"),
    ("port start 7", "no port 7"),
    ("port stop", "missing port"),
    ("port config 0 txqs 2", "port 0 is started (port stop 0 first)"),
    ("port config 0 txqs 0", "txqs 0 is out of range 1..64"),
    ("port config 0 rxqs 2", "unknown setting 'rxqs' (txqs)"),
    ("show", "missing what to show"),
    ("clear", "missing what to clear (port, rx)"),
    ("show port info", "missing port"),
    ("show port bogus 0", "unknown 'bogus' (info, stats, xstats or summary)"),
    ("show qdisc dev 3", "no port 3"),
    ("show softnet extra", "unexpected 'extra'"),
    ("clear port stats 5", "no port 5"),
    ("clear port 0", "missing 'stats'"),
    ("set", "missing what to set"),
    ("set colour blue", "unknown setting 'colour'"),
    ("set size 59", "size 59 is out of range 60..9018"),
    ("set size imix 64:0", "weight 0 is out of range 1..1000"),
    ("set size imix 64:1,", "trailing ','"),
    ("set size imix 64", "'64' is not size:weight"),
    ("set size imix 30:1", "size 30 is out of range"),
    ("set ip-src 10.0.0.300", "'10.0.0.300' is not an IPv4 address"),
    ("set ip-src 10.0.0.9-10.0.0.1", "range 10.0.0.9-10.0.0.1 is empty"),
    ("set mac-dst 02:00:00:00:00", "is not a MAC address"),
    ("set sport 70000", "is not a UDP port"),
    ("set rate 5 furlongs", "unknown unit 'furlongs'"),
    ("set rate 150%", "out of range"),
    ("set rate -5pps", "'-5pps' is not a rate"),
    ("set rate 100", "has no unit"),
    ("set prio 16", "'16' is not a priority 0..15"),
    ("set prio 1,,2", "is not a priority"),
    ("set burst 0", "burst 0 is out of range 1..512"),
    ("set lcores 5", "lcores 5 is out of range 1..1 (EAL worker lcores)"),
    ("set port 4", "no port 4"),
    ("set duration abc", "'abc' is not a number of seconds"),
    ("set format xml", "unknown format 'xml'"),
    ("stop", "the generator is not running"),
    ("rx stop", "receive counting is off"),
    ("rx start 3", "no port 3"),
    ("wait forever", "'forever' is not a number of seconds"),
    ("sleep", "missing seconds"),
    ("help me", "no command 'me'"),
    ("quit now", "unexpected 'now'"),
    ("show softnet \x01", "unexpected character 0x01"),
    ("x" * 1100, "longer than 1024 characters"),
    # Against the port at once (set size and --size alike; start checks again).
    ("set size 1600", "set: size 1600 is out of range 60..1514 (port 0 MTU 1500 + 14;"),
    ("set size imix 64:7,1518:1", "set: size 1518 is out of range 60..1514 (port 0 MTU 1500 + 14;"),
    ("set rate 1pps\nset lcores 1\nset count 0\nwait 0.1\nset rate 50%\nstart", None),
]

import subprocess

# All cases in one process, at the prompt (stdin a pipe): each bad line gives
# exactly one error line and changes nothing; the session goes on.
# (rte_cmdline keeps 512 characters a line and edits with control keys:
# those two cases are for command files only.)
PROMPT_CASES = [(c, w) for c, w in CASES if w is not None and "\n" not in c
                and len(c) < 400 and "\x01" not in c]
args, _ = t.eal()
script = "qdisc add dev 0 root pfifo limit 123\n"
for cmd, want in PROMPT_CASES:
    script += cmd + "\n"
script += "show qdisc\nquit\n"
p = subprocess.run([t.APP] + args + ["--", "-i"], input=script, capture_output=True,
                   text=True, timeout=60)
t.check(p.returncode == 0, "prompt session rc %d\n%s" % (p.returncode, p.stderr[-2000:]))
errs = [l for l in (p.stdout + p.stderr).splitlines() if "error:" in l]
t.check(len(errs) == len(PROMPT_CASES), "%d error lines for %d bad commands:\n%s" %
        (len(errs), len(PROMPT_CASES), "\n".join(errs)))
for (cmd, want), line in zip(PROMPT_CASES, errs):
    t.check(want in line, "%r: error %r lacks %r" % (cmd[:60], line, want))
    t.check("usage: " in line or "try 'help'" in line or "(" in line,
            "%r: no usage in %r" % (cmd[:60], line))
t.check(re.search(r"qdisc pfifo 8001: dev port0 txq 0 root limit 123p?\b", p.stdout),
        "qdisc changed:\n" + p.stdout)
t.check(t.accounting_ok(p.stdout), "accounting at exit")

# In a command file: file:line, exit code 2, nothing after the error runs.
for cmd, want in [c for c in CASES if c[1] is None or "\n" in c[0] or c[0] in
                  ("frobnicate", "qdisc add dev 0 root fq", "x" * 1100, "set lcores 5",
                   "show softnet \x01", "set size 1600", "set size imix 64:7,1518:1")]:
    text = "qdisc add dev 0 root pfifo limit 123\n" + cmd + "\nshow qdisc\n"
    rc, out, err, path = t.run_file(text, timeout=30)
    last = cmd.count("\n") + 2
    if want is None:
        t.check(rc == 0, "%r: rc %d\n%s%s" % (cmd, rc, out, err))
        continue
    lines = [l for l in err.splitlines() if "error:" in l]
    t.check(rc == 2, "%r: exit code %d, want 2\n%s" % (cmd, rc, err))
    t.check(len(lines) == 1, "%r: %d error lines, want 1\n%s" % (cmd[:60], len(lines), err))
    t.check(lines[0].startswith(path + ":%d: error: " % last), "%r: no file:line prefix: %s" % (cmd[:60], lines[0]))
    t.check(want in lines[0], "%r: error %r lacks %r" % (cmd[:60], lines[0], want))
    t.check("qdisc pfifo" not in out, "%r: commands after the error ran" % cmd[:60])
    t.check(t.accounting_ok(out), "%r: accounting at exit" % cmd[:60])

# Nothing changes half-way: a replace over 2 queues whose second is
# refused changes neither; add over queues where one has a qdisc changes none.
rc, out, err, path = t.run_file("""port stop 0
port config 0 txqs 2
port start 0
qdisc add dev 0 txq 1 root bfifo limit 6400
qdisc add dev 0 root pfifo
""")
t.check(rc == 2 and "port 0 txq 1 already has a root qdisc" in err, err)
rc, out, err, path = t.run_file("""port stop 0
port config 0 txqs 2
port start 0
qdisc add dev 0 txq 1 root bfifo limit 6400
qdisc add dev 0 txq 0 root pfifo limit 77
show qdisc
qdisc del dev 0 root
""")
t.check(rc == 0, err)
rc, out, err, path = t.run_file("""port stop 0
port config 0 txqs 2
port start 0
qdisc add dev 0 txq 1 root bfifo limit 6400
qdisc del dev 0 root
""")
t.check(rc == 2 and "port 0 txq 0 has no added qdisc" in err, err)

# A missing command file is a usage error before EAL starts.
p = subprocess.run([t.APP, "--no-pci", "--", "--cmdline-file", "/nonexistent/x.cmd"],
                   capture_output=True, text=True, timeout=20)
t.check(p.returncode == 2 and "--cmdline-file: cannot read '/nonexistent/x.cmd'" in p.stderr, p.stderr)
print("PASS: %d cases" % len(CASES))
sys.exit(0)
