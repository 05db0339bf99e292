#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""dpdk-dumpcap attaches to a running softnet (rte_pdump_init() at start-up)
as a secondary process with the same --file-prefix, captures 100 of the
generator's frames, and softnet ends clean. dpdk-dumpcap cannot be given
--no-pci, so it runs in a mount namespace whose /sys/bus/pci/devices is
empty: it never scans the host's PCI devices. Needs hugepages (a secondary
process cannot map --no-huge memory) and root (the namespace); skips
without them."""
import atexit
import os
import shutil
import subprocess
import sys
import tempfile
import time

import sntest as t
import captest as c


def skip(why):
    print("SKIP: " + why)
    sys.exit(77)


c.need_tcpdump()
dumpcap = shutil.which("dpdk-dumpcap")
if dumpcap is None:
    skip("dpdk-dumpcap is not installed (Debian package dpdk)")
if os.geteuid() != 0 or shutil.which("unshare") is None:
    skip("needs root and unshare(1) for a namespace without PCI devices")
free = 0
with open("/proc/meminfo") as f:
    for line in f:
        if line.startswith("HugePages_Free:"):
            free = int(line.split()[1])
if free < 64:
    skip("needs 64 free 2 MiB hugepages (scripts/setup.sh reserves them); %d free" % free)

tmp = tempfile.mkdtemp(prefix="sn-dumpcap-")
atexit.register(shutil.rmtree, tmp, True)  # also when a check fails
cmdf = os.path.join(tmp, "run.cmd")
pcap = os.path.join(tmp, "dump.pcapng")
with open(cmdf, "w") as f:
    f.write("show capture\nset rate 50kpps\nset duration 12\nstart\nwait\n")
args, prefix = t.eal(huge=True)
app = subprocess.Popen([t.APP] + args + ["--", "--cmdline-file", cmdf],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
sock = "/var/run/dpdk/%s/mp_socket" % prefix
end = time.time() + 20
while time.time() < end and not os.path.exists(sock) and app.poll() is None:
    time.sleep(0.1)
time.sleep(1.0)  # the generator starts after set-up
if app.poll() is not None or not os.path.exists(sock):
    out, err = app.communicate()
    t.fail("softnet did not come up with a multi-process socket: rc %s\n%s\n%s" %
           (app.returncode, out, err))
dc = subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c",
                     'mount -t tmpfs none /sys/bus/pci/devices && exec "$0" "$@"', dumpcap,
                     "--file-prefix=" + prefix, "-i", "0", "-c", "100", "-q", "-w", pcap],
                    capture_output=True, text=True, timeout=60)
out, err = app.communicate(timeout=60)
if "dpdk-dumpcap: cannot attach" in out:
    skip("softnet did not call rte_pdump_init(): %s" %
         [l for l in out.splitlines() if "dumpcap" in l])
t.check(dc.returncode == 0, "dpdk-dumpcap: rc %d\n%s\n%s" % (dc.returncode, dc.stdout, dc.stderr))
t.check(app.returncode == 0, "softnet rc %d\n%s\n%s" % (app.returncode, out, err))
t.check("dpdk-dumpcap: can attach" in out, out)
t.check(t.accounting_ok(out), out)
frames = c.tcpdump_frames(pcap)
t.check(len(frames) >= 100, "dumpcap wrote %d frames" % len(frames))
for i, f in enumerate(frames):
    bad = c.gen_frame_ok(f, 64)
    t.check(bad is None, "frame %d: %s" % (i, bad))
print("PASS")
sys.exit(0)
