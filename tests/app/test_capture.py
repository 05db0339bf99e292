#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Capture after the qdisc: `capture start 0 f.pcapng count N` while the
generator sends more than N; tcpdump -r reads N frames back, each with the
bytes the generator sent, in its order (the stamps' sequence 0..N-1);
`show capture` counts N and no capture drop; the pcapng file names the
queue's interface and its qdisc. Then two queues under different qdiscs,
captured whole until `capture stop`: every packet of both queues in the
file, each on its queue's interface. A capture left running at exit is
completed. Bad commands fail with one line."""
import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile

import sntest as t
import captest as c

c.need_tcpdump()
tmp = tempfile.mkdtemp(prefix="sn-capture-")
atexit.register(shutil.rmtree, tmp, True)  # also when a check fails
f1 = os.path.join(tmp, "one.pcapng")
N = 500

# 1. count N of a longer run, 1 lcore, pfifo_fast.
rc, out, err, _ = t.run_file("""
qdisc replace dev 0 root pfifo_fast
capture start 0 %s count %d
set size 200
set count 5000
start
wait
show capture json
capture stop
""" % (f1, N), timeout=60)
t.check(rc == 0, "rc %d\n%s\n%s" % (rc, out, err))
cap = [json.loads(l)["capture"] for l in out.splitlines() if l.startswith('{"capture"')][-1]
t.check(cap["captured"] == N and cap["dropped"] == 0 and cap["written"] == N,
        "show capture: %s" % cap)
t.check(cap["queues"][0]["qdisc"] == "pfifo_fast", str(cap))
t.check("capture: stopped (count reached): %d packets" % N in out, out)
frames = c.tcpdump_frames(f1)
t.check(len(frames) == N, "tcpdump read %d frames, not %d" % (len(frames), N))
for i, f in enumerate(frames):
    bad = c.gen_frame_ok(f, 200)
    t.check(bad is None, "frame %d: %s" % (i, bad))
    t.check(c.gen_seq(f) == i, "frame %d has sequence %d: not the sent order" % (i, c.gen_seq(f)))
# The file says where it was taken: the queue's interface, named with its qdisc.
raw = open(f1, "rb").read()
t.check(b"txq0" in raw and b"after qdisc pfifo_fast" in raw, "no txq interface block")

# 2. two queues, two qdiscs, two lcores, until `capture stop`.
f2 = os.path.join(tmp, "two.pcapng")
rc, out, err = c.run_lcores("""
set format json
port stop 0
port config 0 txqs 2
port start 0
qdisc replace dev 0 txq 0 root pfifo_fast
qdisc replace dev 0 txq 1 root pfifo limit 2000
capture start 0 %s
set count 4000
set lcores 2
start
wait
capture stop
show capture
""" % f2, "0@0,1@1,2@1")
t.check(rc == 0, "rc %d\n%s\n%s" % (rc, out, err))
cap = [json.loads(l)["capture"] for l in out.splitlines() if l.startswith('{"capture"')][-1]
acc = [json.loads(l)["accounting"] for l in out.splitlines() if l.startswith('{"accounting"')][-1]
t.check(cap["dropped"] == 0 and cap["captured"] == acc["sent"] == 4000,
        "capture %s, accounting %s" % (cap, acc))
t.check([q["qdisc"] for q in cap["queues"]] == ["pfifo_fast", "pfifo"], str(cap))
frames = c.tcpdump_frames(f2)
t.check(len(frames) == 4000, "tcpdump read %d frames, not 4000" % len(frames))
# Two generators, 2000 each: sequences 0..1999 with the generator in the top byte.
seqs = sorted(c.gen_seq(f) for f in frames)
t.check(seqs == list(range(2000)) + [(1 << 56) + i for i in range(2000)], "sequences")
t.check(cap["pool_in_use"] == 0, "capture pool: %s" % cap)
raw = open(f2, "rb").read()
t.check(b"txq 0 after qdisc pfifo_fast" in raw and b"txq 1 after qdisc pfifo" in raw, "qdiscs")

# tshark, when installed, reads the interfaces and their descriptions.
try:
    p = subprocess.run(["tshark", "-r", f1, "-T", "fields", "-e", "frame.interface_description",
                        "-c", "1"], capture_output=True, text=True, timeout=60)
    t.check(p.returncode == 0 and "after qdisc pfifo_fast" in p.stdout,
            "tshark: %d %s %s" % (p.returncode, p.stdout, p.stderr))
except FileNotFoundError:
    pass

# 3. a capture still running at exit: the file is completed when the port closes.
f3 = os.path.join(tmp, "exit.pcapng")
rc, out, err, _ = t.run_file("capture start 0 %s\nset count 3000\nstart\nwait\n" % f3,
                             timeout=60)
t.check(rc == 0, "rc %d\n%s\n%s" % (rc, out, err))
t.check(len(c.tcpdump_frames(f3)) == 3000, "capture at exit")

# 4. mistakes: one line each, nothing started.
for line, want in [("capture start 0", "missing the file"),
                   ("capture start 0 count 5", "where the file name goes"),
                   ("capture start 9 %s" % os.path.join(tmp, "x.pcapng"), "no port 9"),
                   ("capture start 0 txq 3 %s" % os.path.join(tmp, "x.pcapng"), "no txq 3"),
                   ("capture start 0 /nonexistent-dir/x.pcapng", "cannot write"),
                   ("capture stop", "no capture runs"),
                   ("capture start 0 %s snaplen 0" % os.path.join(tmp, "x.pcapng"), "snaplen")]:
    rc, out, err, _ = t.run_file(line + "\n", timeout=30)
    errs = [l for l in err.splitlines() if "error" in l]
    t.check(rc != 0 and len(errs) == 1 and want in errs[0],
            "%r: rc %d, stderr %r" % (line, rc, err))

print("PASS")
sys.exit(0)
