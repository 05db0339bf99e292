#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""pcap replay: a capture replayed (`set source pcap f loop 2`) and captured
again holds the same frames in the same order, twice; two generator lcores
split the file exactly (every frame once per loop); a classic pcap file is
read too; frames over the port's MTU are counted and skipped with one line;
`set timing original` keeps the file's gaps (a lower bound only: a frame is
never sent before it is due), `speed 4` four times as fast; bad sources
fail with one line."""
import atexit
import json
import os
import shutil
import sys
import tempfile

import sntest as t
import captest as c

c.need_tcpdump()
tmp = tempfile.mkdtemp(prefix="sn-replay-")
atexit.register(shutil.rmtree, tmp, True)  # also when a check fails
a = os.path.join(tmp, "a.pcapng")
b = os.path.join(tmp, "b.pcapng")


def js(out, key):
    return [json.loads(l)[key] for l in out.splitlines() if l.startswith('{"%s"' % key)]


# 1. generated frames (sizes and addresses vary) -> a; replay a twice -> b.
rc, out, err, _ = t.run_file("""
set format json
set size imix 64:3,300:1,1514:1
set ip-src 10.0.0.1-10.0.0.200
set count 300
capture start 0 %s
start
wait
capture stop
set source pcap %s loop 2
set count 0
capture start 0 %s
start
wait
capture stop
show gen
""" % (a, a, b), timeout=60)
t.check(rc == 0, "rc %d\n%s\n%s" % (rc, out, err))
fa, fb = c.tcpdump_frames(a), c.tcpdump_frames(b)
t.check(len(fa) == 300, "first capture: %d frames" % len(fa))
t.check(fb == fa + fa, "the replay's capture is not the file twice in order (%d frames)" % len(fb))
run = js(out, "run")[-1]
t.check(run["stopped_by"] == "count" and run["generated"] == 600, str(run))
t.check(js(out, "accounting")[-1]["ok"], out)
gen = js(out, "gen")[-1]
t.check("pcap" in gen["source"] and "loop 2" in gen["source"], str(gen))

# 2. two generator lcores split the file: each frame once per loop (order
#    across lcores is not defined: compare as multisets), and a count cap.
rc, out, err = c.run_lcores("""
set format json
set source pcap %s loop 3
set lcores 2
capture start 0 %s
start
wait
capture stop
set count 450
start
wait
""" % (a, b), "0@0,1@1,2@1")
t.check(rc == 0, "rc %d\n%s\n%s" % (rc, out, err))
fb = c.tcpdump_frames(b)
t.check(sorted(fb) == sorted(fa * 3), "two lcores, 3 loops: %d frames, not each of the "
        "file's 300 three times" % len(fb))
runs = js(out, "run")
t.check(runs[0]["generated"] == 900 and runs[0]["stopped_by"] == "count", str(runs))
t.check(runs[1]["generated"] == 450 and runs[1]["stopped_by"] == "count", str(runs))

# 3. a classic pcap with frames over the MTU: counted, skipped, one line; the
#    others sent in order.
p = os.path.join(tmp, "mtu.pcap")
frames = [c.udp_frame(100, 0), c.udp_frame(2000, 1), c.udp_frame(1514, 2),
          c.udp_frame(9000, 3), c.udp_frame(60, 4)]
c.write_pcap(p, [(1000000 * i, f) for i, f in enumerate(frames)])
rc, out, err, _ = t.run_file("""
set source pcap %s loop 4
capture start 0 %s
start
wait
capture stop
""" % (p, b), timeout=60)
t.check(rc == 0, "rc %d\n%s\n%s" % (rc, out, err))
skip = [l for l in out.splitlines() if l.startswith("replay: skipped")]
t.check(len(skip) == 1 and "skipped 2 of 5 frames" in skip[0] and "largest 9000" in skip[0],
        "skip line: %s" % out)
fb = c.tcpdump_frames(b)
t.check(fb == [frames[0], frames[2], frames[4]] * 4, "%d frames" % len(fb))

# 4. timing: 21 frames 10 ms apart (200 ms) in a nanosecond pcap.
p = os.path.join(tmp, "slow.pcap")
c.write_pcap(p, [(5000000000 + 10000000 * i, c.udp_frame(128, i)) for i in range(21)], nano=True)
rc, out, err, _ = t.run_file("""
set format json
set source pcap %s
set timing original
capture start 0 %s
start
wait
capture stop
set timing original speed 4
start
wait
set timing rate
set rate 1kpps
start
wait
""" % (p, b), timeout=60)
t.check(rc == 0, "rc %d\n%s\n%s" % (rc, out, err))
runs = js(out, "run")
t.check(len(runs) == 3 and all(r["generated"] == 21 for r in runs), str(runs))
# Never early (the last frame is due at 200 ms, 50 ms, 20 ms); generous upper bounds.
t.check(0.195 <= runs[0]["seconds"] < 10, "original: %s" % runs[0])
t.check(0.048 <= runs[1]["seconds"] < runs[0]["seconds"], "speed 4: %s" % runs[1])
t.check(0.019 <= runs[2]["seconds"] < 10, "rate 1kpps: %s" % runs[2])
fb = c.tcpdump_frames(b)
t.check(len(fb) == 21 and [int.from_bytes(f[42:46], "little") for f in fb] == list(range(21)),
        "order")

# 5. mistakes: one line each.
c.write_pcap(os.path.join(tmp, "empty.pcap"), [])
for line, want in [("set source pcap /nonexistent.pcap", "cannot read"),
                   ("set source pcap %s" % os.path.join(tmp, "empty.pcap"), "no frame"),
                   ("set source pcap", "missing the file"),
                   ("set source tcp", "unknown 'tcp'"),
                   ("set timing original speed 0", "speed"),
                   ("set timing fast", "unknown 'fast'")]:
    rc, out, err, _ = t.run_file(line + "\n", timeout=30)
    errs = [l for l in err.splitlines() if "error" in l]
    t.check(rc != 0 and len(errs) == 1 and want in errs[0], "%r: rc %d, %r" % (line, rc, err))

print("PASS")
sys.exit(0)
