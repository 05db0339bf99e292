#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""The exported symbols of libsoftnet are exactly the installed API.

- every name in lib/softnet/version.map is declared in an installed header
  (a function or an extern variable, not a static inline);
- every function and extern variable the installed headers declare is in
  version.map;
- the shared library exports exactly the names of version.map (nothing
  internal leaks: sn_lcores, sn_rcu, sn_ctl_mutex, sn_sch_ring_* stay local).

Usage: check_abi.py SOURCE_ROOT LIBSOFTNET_SO   exit 0 ok, 1 mismatch.
"""
import os
import re
import subprocess
import sys


def installed_headers(root):
    heads = []
    for d, _, files in os.walk(os.path.join(root, "lib", "softnet")):
        heads += [os.path.join(d, f) for f in files if f.startswith("sn_") and f.endswith(".h")]
    # Every driver's public header (drivers/net/*/sn_*.h) is installed too.
    for d, _, files in os.walk(os.path.join(root, "drivers")):
        heads += [os.path.join(d, f) for f in files if f.startswith("sn_") and f.endswith(".h")]
    return heads


def declared(path):
    text = open(path, encoding="utf-8").read()
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)   # comments
    text = re.sub(r"//[^\n]*", " ", text)
    text = text.replace("\\\n", " ")                      # macro continuation lines
    text = re.sub(r"^\s*#.*$", " ", text, flags=re.M)     # preprocessor lines
    text = text.replace('extern "C" {', " ")
    names = set()
    # Drop bodies of functions and struct/enum definitions, keep top-level statements.
    depth, top = 0, []
    for ch in text:
        if ch == "{":
            depth += 1
            top.append(";" if depth == 1 else "")
        elif ch == "}":
            depth = max(depth - 1, 0)  # the } that closed extern "C"
        elif depth == 0:
            top.append(ch)
    for stmt in "".join(top).split(";"):
        s = " ".join(stmt.split())
        if not s or s.startswith(("typedef", "struct sn_", "enum ", "union ")) and "(" not in s:
            continue
        if re.search(r"\bstatic\b|\binline\b|\btypedef\b", s):
            continue
        m = re.search(r"\b(sn_[a-z0-9_]+)\s*\(", s)          # a function
        if m and "(*" not in s.split(m.group(1))[0][-3:]:
            names.add(m.group(1))
            continue
        m = re.match(r"extern\s+(?!\"C\").*?\b(sn_[a-z0-9_]+)\s*(\[.*\])?$", s)
        if m:
            names.add(m.group(1))
    return names


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    root, so = sys.argv[1], sys.argv[2]
    vmap = open(os.path.join(root, "lib", "softnet", "version.map"), encoding="utf-8").read()
    vmap = re.sub(r"/\*.*?\*/", " ", vmap, flags=re.S)
    listed = set(re.findall(r"^\s*(sn_[a-z0-9_]+);", vmap, flags=re.M))
    decl = set()
    for h in installed_headers(root):
        decl |= declared(h)
    out = subprocess.run(["nm", "-D", "--defined-only", so], capture_output=True, text=True,
                         check=True).stdout
    exported = {l.split()[-1].split("@")[0] for l in out.splitlines() if l.split()}
    exported = {s for s in exported if s.startswith("sn_")}
    bad = []
    bad += [f"version.map lists {s}, which no installed header declares" for s in sorted(listed - decl)]
    bad += [f"{s} is declared in an installed header but not in version.map" for s in sorted(decl - listed)]
    bad += [f"libsoftnet exports {s}, not in version.map" for s in sorted(exported - listed)]
    bad += [f"version.map lists {s}, which libsoftnet does not define" for s in sorted(listed - exported)]
    for b in bad:
        print("abi: " + b)
    if bad:
        print(f"abi: FAIL, {len(bad)} mismatch(es)")
        return 1
    print(f"abi: ok ({len(listed)} exported names = the installed API)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
