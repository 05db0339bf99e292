# SPDX-License-Identifier: BSD-3-Clause
"""Helpers for the capture and replay tests: read a capture back with
tcpdump as a user would, and write small pcap files to replay."""
import os
import shutil
import struct
import subprocess
import sys

import sntest as t

GEN_MAGIC = b"\x7a\x5e"  # APP_STAMP_MAGIC, little endian, at offset 58


def need_tcpdump():
    if shutil.which("tcpdump") is None:
        print("SKIP: tcpdump is not installed (scripts/setup.sh installs it)")
        sys.exit(77)


def tcpdump_frames(path):
    """The frames of a pcap/pcapng file as tcpdump -r -xx prints them: a list
    of bytes objects (whole frames, Ethernet header included)."""
    p = subprocess.run(["tcpdump", "-r", path, "-nn", "-xx"], capture_output=True,
                       text=True, timeout=60)
    t.check(p.returncode == 0, "tcpdump -r %s: rc %d: %s" % (path, p.returncode, p.stderr))
    frames, cur = [], None
    for line in p.stdout.splitlines():
        if line.startswith("\t0x"):
            hexpart = line.split(":", 1)[1].strip()
            # "4500 0054 ..." groups of 2 bytes, up to 16 bytes a line, then
            # nothing else (tcpdump -xx prints no ASCII column).
            cur.extend(bytes.fromhex(hexpart.replace(" ", "")))
        else:
            if cur is not None:
                frames.append(bytes(cur))
            cur = bytearray()
    if cur:
        frames.append(bytes(cur))
    return frames


def gen_frame_ok(f, size, ip_src="198.18.0.1", ip_dst="198.18.0.2"):
    """Does f look like a frame the generator made (default settings)?
    Returns None, or what is wrong."""
    if len(f) != size:
        return "length %d, not %d" % (len(f), size)
    if f[0:6] != bytes.fromhex("020000000002") or f[6:12] != bytes.fromhex("020000000001"):
        return "MACs %s" % f[0:12].hex()
    if f[12:14] != b"\x08\x00":
        return "ethertype %s" % f[12:14].hex()
    if f[26:30] != bytes(int(x) for x in ip_src.split(".")) or \
       f[30:34] != bytes(int(x) for x in ip_dst.split(".")):
        return "IPs %s" % f[26:34].hex()
    if f[58:60] != GEN_MAGIC:
        return "no generator stamp"
    for o in range(60, size):
        if f[o] != (o - 42) & 0xff:
            return "payload byte %d is %d" % (o, f[o])
    return None


def gen_seq(f):
    """The generator's sequence number of frame f (its stamp)."""
    return struct.unpack_from("<Q", f, 42)[0]


def write_pcap(path, frames, nano=False):
    """A classic pcap file (Ethernet): frames is a list of (time_ns, bytes)."""
    magic = 0xa1b23c4d if nano else 0xa1b2c3d4
    with open(path, "wb") as out:
        out.write(struct.pack("<IHHiIII", magic, 2, 4, 0, 0, 65535, 1))
        for ts, data in frames:
            sub = ts % 1000000000 if nano else (ts % 1000000000) // 1000
            out.write(struct.pack("<IIII", ts // 1000000000, sub, len(data), len(data)))
            out.write(data)


def udp_frame(size, n):
    """An Ethernet/IPv4/UDP frame of size bytes whose payload carries n."""
    eth = bytes.fromhex("0200000000aa0200000000bb0800")
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, size - 14, 0, 0, 64, 17, 0,
                     bytes([10, 1, 0, 1]), bytes([10, 1, 0, 2]))
    udp = struct.pack(">HHHH", 1000, 2000, size - 34, 0)
    body = struct.pack("<I", n) + bytes((i & 0xff) for i in range(size - 42 - 4))
    return eth + ip + udp + body


def run_lcores(commands, lcores, vdevs=("net_null0",), timeout=60):
    """run_file() with an EAL --lcores map ("0@0,1@1,2@1": more lcores than
    the host's 2 cores). Returns (rc, stdout, stderr)."""
    import tempfile as _tf
    with _tf.NamedTemporaryFile("w", suffix=".cmd", delete=False) as f:
        f.write(commands)
        path = f.name
    args, _ = t.eal(vdevs)
    i = args.index("-l")
    args[i:i + 2] = ["--lcores", lcores]
    p = subprocess.run([t.APP] + args + ["--", "--cmdline-file", path],
                       capture_output=True, text=True, timeout=timeout)
    os.unlink(path)
    return p.returncode, p.stdout, p.stderr
