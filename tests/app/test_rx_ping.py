#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Receive in the app, as a user meets it: softnet on a net_tap port whose
interface the test moves into a network namespace, the kernel there pinging
softnet's address.

1. The main job exactly as docs/rx.md and --help show it (a shorter
   duration): `softnet -l 0-1 --no-pci --vdev net_tap0,iface=IF -- --rx-mode
   interrupt --address 10.77.N.2/24 --duration D`: the generator saturates
   the port (on the main lcore: lcore 1 receives) while 20 pings at 0.2 s
   from the namespace are all answered (ARP first), and the summary names
   the replies and the interrupts.
2. Command mode (three lcores on this two-CPU host): the same with the
   generator on its own lcore, `stop`, then `show rx json` twice a second
   apart: the idle receive lcore sleeps (its sleeps counter grows) and was
   woken by RX interrupts (interrupts > 0, served in interrupt mode).

Needs root, `ip netns`, /dev/net/tun and ping; skips (77) otherwise."""
import json
import os
import re
import shutil
import subprocess
import sys
import time

import sntest as t

# The responder's replies went through softnet as well as the generator's frames.
ACCOUNTING = "accounting: handed + replies = sent + dropped + queued: OK"

def skip(why):
    print("SKIP: " + why)
    sys.exit(77)


if os.geteuid() != 0:
    skip("needs root (network namespaces, tap)")
for tool in ("ip", "ping"):
    if shutil.which(tool) is None:
        skip("no " + tool)
if not os.path.exists("/dev/net/tun"):
    skip("no /dev/net/tun")

PID = os.getpid()
NS = "snping-%d" % PID
IFACE = "snpi%d" % (PID % 100000)
NET = PID % 200 + 20
OURS = "10.77.%d.2" % NET


def sh(cmd, check=True):
    p = subprocess.run(cmd, shell=True, capture_output=True, text=True)
    if check and p.returncode != 0:
        t.fail("%s: %s%s" % (cmd, p.stdout, p.stderr))
    return p


def cleanup():
    sh("ip netns del %s" % NS, check=False)
    sh("ip link del %s" % IFACE, check=False)


def into_namespace():
    """Move the tap softnet made into the namespace, with 10.77.N.1/24."""
    for _ in range(100):
        if sh("ip link show %s" % IFACE, check=False).returncode == 0:
            break
        time.sleep(0.1)
    sh("ip link set dev %s netns %s" % (IFACE, NS))
    sh("ip netns exec %s sh -c 'echo 1 > /proc/sys/net/ipv6/conf/%s/disable_ipv6'"
       % (NS, IFACE), check=False)
    sh("ip -n %s addr add 10.77.%d.1/24 dev %s" % (NS, NET, IFACE))
    sh("ip -n %s link set dev %s up" % (NS, IFACE))


def ping(count, interval):
    p = sh("ip netns exec %s ping -n -q -c %d -i %s -W 1 %s" % (NS, count, interval, OURS),
           check=False)
    m = re.search(r"(\d+(?:\.\d+)?)% packet loss", p.stdout)
    t.check(m is not None, "ping printed no loss: %s%s" % (p.stdout, p.stderr))
    return float(m.group(1)), p.stdout


def read_line(proc, pattern, timeout, seen):
    """Read proc's stdout until a line matches; return it (all lines in seen)."""
    end = time.time() + timeout
    rx = re.compile(pattern)
    while time.time() < end:
        line = proc.stdout.readline()
        if not line:
            break
        seen.append(line)
        if rx.search(line):
            return line
    t.fail("no line matching %r; output:\n%s" % (pattern, "".join(seen)[-3000:]))


cleanup()
if sh("ip netns add %s" % NS, check=False).returncode != 0:
    skip("cannot create a network namespace here")
sh("ip -n %s link set lo up" % NS)
try:
    # ---- 1. the main job ----
    args, prefix = t.eal(vdevs=("net_tap0,iface=%s" % IFACE,), lcores="0-1")
    app = subprocess.Popen([t.APP] + args + ["--", "--rx-mode", "interrupt", "--address",
                                             OURS + "/24", "--duration", "9"],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seen = []
    try:
        # The port restarted with its interrupts, the responder is on: the run starts.
        read_line(app, r"^generator: started", 20, seen)
        into_namespace()
        loss, pout = ping(20, "0.2")
        # The generator was still saturating the port when the last echo came back.
        t.check(app.poll() is None, "the run ended before the pings did:\n" + "".join(seen))
        out, _ = app.communicate(timeout=60)
    finally:
        if app.poll() is None:
            app.kill()
    out = "".join(seen) + out
    print(pout.strip())
    print("\n".join(l for l in out.splitlines() if l.startswith(("summary", "  receive",
                                                                    "  handed", "  dropped"))))
    t.check(app.returncode == 0, "rc %d\n%s" % (app.returncode, out[-3000:]))
    t.check(loss == 0, "%.1f%% ping loss under load\n%s" % (loss, out[-3000:]))
    t.check(ACCOUNTING in out, out[-3000:])
    m = re.search(r"  receive: +port 0 (\w+): (\d+) packets, (\d+) polls, (\d+) interrupts.*"
                  r"replied ARP (\d+), echo (\d+)", out)
    t.check(m is not None, "no receive line in the summary:\n" + out[-3000:])
    t.check(m.group(1) == "interrupt", "served in %s mode" % m.group(1))
    t.check(int(m.group(4)) > 0, "no RX interrupt taken: " + m.group(0))
    t.check(int(m.group(5)) >= 1 and int(m.group(6)) >= 20, "replies: " + m.group(0))
    # Saturated: the generator made far more than the pings.
    gen = re.search(r"handed: +(\d+) packets", out)
    t.check(gen is not None and int(gen.group(1)) > 100000, "the generator hardly ran")

    # ---- 2. command mode: stop the generator, the receive lcore sleeps ----
    cleanup()
    sh("ip netns add %s" % NS)
    sh("ip -n %s link set lo up" % NS)
    args, prefix = t.eal(vdevs=("net_tap0,iface=%s" % IFACE,), lcores="0@0,1@1,2@1")
    args[0:2] = ["--lcores", "0@0,1@1,2@1"]
    app = subprocess.Popen([t.APP] + args + ["--", "-i", "--rx-mode", "interrupt",
                                             "--address", OURS + "/24"],
                           stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, bufsize=1)
    seen = []
    try:
        app.stdin.write("start\n")
        app.stdin.flush()
        read_line(app, r"generator: started 1 lcore\(s\) on port 0 \(1->txq0\)", 20, seen)
        into_namespace()
        loss, pout = ping(10, "0.2")
        # Here the generator and the receive lcore share one CPU (three lcores on
        # two): a descheduled receive lcore may strand tap's last echo (docs/rx.md,
        # the SIGIO grace). Part 1 holds the 0% loss; this part is about sleeping.
        t.check(loss <= 10, "command mode: %.1f%% ping loss\n%s" % (loss, pout))
        app.stdin.write("stop\nshow rx json\n")
        app.stdin.flush()
        first = json.loads(read_line(app, r'^\{"rx"', 20, seen))["rx"]["napi"][0]
        time.sleep(1.5)
        app.stdin.write("show rx json\n")
        app.stdin.flush()
        second = json.loads(read_line(app, r'^\{"rx"', 20, seen))["rx"]["napi"][0]
        app.stdin.write("quit\n")
        app.stdin.flush()
        out, _ = app.communicate(timeout=60)
    finally:
        if app.poll() is None:
            app.kill()
    out = "".join(seen) + out
    print("idle receive lcore: %s -> %s sleeps in 1.5 s; interrupts %d, polls %d, "
          "budget exhausted %d" % (first["sleeps"], second["sleeps"], second["interrupts"],
                                   second["polls"], second["budget_exhausted"]))
    t.check(app.returncode == 0, "rc %d\n%s" % (app.returncode, out[-3000:]))
    t.check(second["served"] == "interrupt" and second["lcore"] == 2, str(second))
    t.check(second["interrupts"] > 0, str(second))
    t.check(second["responder"]["icmp_replies"] >= 9, str(second))
    # Idle, the lcore sleeps in epoll (at most 100 ms at a time): several times in 1.5 s.
    t.check(second["sleeps"] >= first["sleeps"] + 3,
            "the idle receive lcore did not sleep: %s -> %s" % (first, second))
    t.check(ACCOUNTING in out, out[-3000:])
finally:
    cleanup()
print("PASS")
sys.exit(0)
