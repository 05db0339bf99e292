# SPDX-License-Identifier: BSD-3-Clause
"""Helpers for the app tests: run softnet as a user would (command files,
a pseudo-terminal, dpdk-telemetry.py) and check what it prints."""
import atexit
import json
import os
import pty
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time

APP = os.environ.get("SN_APP") or (sys.argv[1] if len(sys.argv) > 1 else "")
_n = [0]


def eal(vdevs=("net_null0",), lcores="0-1", huge=False):
    _n[0] += 1
    prefix = "sn-app-%d-%d" % (os.getpid(), _n[0])
    # EAL makes its runtime directory even with --no-shconf: remove it at exit.
    atexit.register(shutil.rmtree, "/var/run/dpdk/" + prefix, True)
    args = ["-l", lcores, "--no-pci", "--file-prefix=" + prefix]
    if not huge:
        args += ["--no-huge", "-m", "512", "--no-shconf"]
    for v in vdevs:
        args += ["--vdev", v]
    return args, prefix


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)


def run_file(commands, vdevs=("net_null0",), opts=(), timeout=60, lcores="0-1"):
    """Run a command file; return (rc, stdout, stderr, path)."""
    with tempfile.NamedTemporaryFile("w", suffix=".cmd", delete=False) as f:
        f.write(commands)
        path = f.name
    args, _ = eal(vdevs, lcores)
    p = subprocess.run([APP] + args + ["--", "--cmdline-file", path] + list(opts),
                       capture_output=True, text=True, timeout=timeout)
    os.unlink(path)
    return p.returncode, p.stdout, p.stderr, path


def accounting_ok(out):
    return "accounting: handed = sent + dropped + queued: OK" in out


class Prompt:
    """softnet -i on a pseudo-terminal: type lines, read the screen."""

    def __init__(self, vdevs=("net_null0",), opts=(), lcores="0-1"):
        args, self.prefix = eal(vdevs, lcores)
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execv(APP, [APP] + args + ["--", "-i"] + list(opts))
        self.buf = ""

    def read_until(self, pattern, timeout=20, start=0):
        end = time.time() + timeout
        rx = re.compile(pattern)
        while time.time() < end:
            m = rx.search(self.buf, start)
            if m:
                return m
            r, _, _ = select.select([self.fd], [], [], 0.2)
            if r:
                try:
                    data = os.read(self.fd, 65536)
                except OSError:
                    break
                if not data:
                    break
                self.buf += data.decode(errors="replace")
        fail("timeout waiting for %r; screen so far:\n%s" % (pattern, self.buf[-3000:]))

    def send(self, s):
        os.write(self.fd, s.encode())

    def cmd(self, line, timeout=20):
        """Type a line; return what appeared up to the next prompt."""
        start = len(self.buf)
        self.send(line + "\r")
        # The echo of the line, its end, then the next prompt.
        m = self.read_until(re.escape(line[-20:]) + r"[^\n]*\n", timeout, start)
        self.read_until(re.escape("softnet> "), timeout, m.end())
        return self.buf[start:]

    def wait_exit(self, timeout=30):
        end = time.time() + timeout
        while time.time() < end:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid == self.pid:
                try:
                    while True:
                        r, _, _ = select.select([self.fd], [], [], 0.1)
                        if not r:
                            break
                        data = os.read(self.fd, 65536)
                        if not data:
                            break
                        self.buf += data.decode(errors="replace")
                except OSError:
                    pass
                return os.waitstatus_to_exitcode(status)
            try:
                r, _, _ = select.select([self.fd], [], [], 0.1)
                if r:
                    self.buf += os.read(self.fd, 65536).decode(errors="replace")
            except OSError:
                time.sleep(0.1)
        os.kill(self.pid, 9)
        fail("softnet did not exit; screen:\n" + self.buf[-3000:])


TELEMETRY_TOOL = shutil.which("dpdk-telemetry.py") or "/usr/bin/dpdk-telemetry.py"


def tel_query(cmd, prefix, want_key=None, tries=50):
    """Ask a running softnet's telemetry (DPDK's dpdk-telemetry.py, socket
    under the runtime directory of file prefix @prefix) and return the answer
    to @cmd, retrying while it is null or (with @want_key) lacks that key."""
    key = cmd.split(",")[0]
    p = None
    for _ in range(tries):
        p = subprocess.run([sys.executable, TELEMETRY_TOOL, "-f", prefix], input=cmd + "\n",
                           capture_output=True, text=True, timeout=20)
        for line in p.stdout.splitlines():
            if not line.startswith("{"):
                continue
            j = json.loads(line)
            if j.get(key) is not None and (want_key is None or want_key in j[key]):
                return j[key]
        time.sleep(0.2)
    fail("no answer to %s:\n%s\n%s" % (cmd, p.stdout if p else "", p.stderr if p else ""))
