#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""The layering rules of libsoftnet, checked on the source tree and the objects.

1. Includes (source): a private header may be included only by the layers the
   table below allows; rx/, telemetry/, drivers/, app/, examples/ and tests/
   use installed headers only (plus their own folder's headers).
2. The validator is a leaf (objects): no object of locking/ refers to a
   symbol that another layer of libsoftnet defines. Run on the objects of a
   build with the validator compiled in, this is the check that matters.

Usage: check_layers.py SOURCE_ROOT [BUILD_ROOT]   exit 0 ok, 1 violation.
"""
import os
import re
import subprocess
import sys

LAYERS = ("core", "sched", "locking", "rx", "telemetry")

# private header -> the layer that owns it
PRIVATE = {
    "core_private.h": "core",
    "sched_private.h": "sched",
    "sch_ring.h": "sched",
    "locking_private.h": "locking",
    "lockdep_internal.h": "locking",
    "ethdev_private.h": "drivers/net/ethdev",
}

# layer -> private headers it may include. core and sched are the kernel's
# net/core and net/sched: each calls the other through its contract header
# (netdevice internals one way, pkt_sched.h the other). locking is a leaf.
ALLOWED = {
    "core": {"core_private.h", "sched_private.h", "locking_private.h"},
    "sched": {"sched_private.h", "sch_ring.h", "core_private.h", "locking_private.h"},
    "locking": {"locking_private.h", "lockdep_internal.h"},
    "rx": set(),
    "telemetry": set(),
    "drivers/net/ethdev": {"ethdev_private.h"},
}

INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"', re.M)


def layer_of(rel):
    parts = rel.split(os.sep)
    if parts[:2] == ["lib", "softnet"] and len(parts) > 3:
        return parts[2]
    if parts[:3] == ["drivers", "net", "ethdev"]:
        return "drivers/net/ethdev"
    return None  # app, examples, tests, lib/softnet/softnet.h


def check_includes(root):
    bad = []
    for top in ("lib", "drivers", "app", "examples", "tests"):
        for d, _, files in os.walk(os.path.join(root, top)):
            for f in files:
                if not f.endswith((".c", ".h")):
                    continue
                path = os.path.join(d, f)
                rel = os.path.relpath(path, root)
                layer = layer_of(rel)
                allowed = ALLOWED.get(layer, set())
                with open(path, encoding="utf-8", errors="replace") as fh:
                    text = fh.read()
                for inc in INCLUDE.findall(text):
                    name = os.path.basename(inc)
                    if name in PRIVATE and name not in allowed:
                        bad.append(f"{rel}: includes {name}, private to "
                                   f"{PRIVATE[name]} ({layer or 'outside the library'} may not)")
    return bad


def nm(obj, undefined):
    args = ["nm", "-P", "--undefined-only" if undefined else "--defined-only", obj]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    syms = set()
    for line in out.splitlines():
        f = line.split()
        if f and (undefined or f[1] in "TDBRVWtdbr" or f[1].isupper()):
            syms.add(f[0])
    return syms


def check_leaf(build):
    # With default_library=both meson compiles once, into one of the two .p dirs.
    objdir = None
    for d, dirs, _ in os.walk(build):
        for x in dirs:
            cand = os.path.join(d, x)
            if x.startswith("libsoftnet.") and x.endswith(".p") and \
                    any(o.endswith(".o") for o in os.listdir(cand)):
                objdir = cand
        if objdir:
            break
    if objdir is None:
        return None, []
    objs = [os.path.join(objdir, o) for o in os.listdir(objdir) if o.endswith(".o")]
    by_layer = {}
    for o in objs:
        layer = os.path.basename(o).split("_", 1)[0]
        by_layer.setdefault(layer, []).append(o)
    others = set()
    for layer, lobjs in by_layer.items():
        if layer != "locking":
            for o in lobjs:
                others |= nm(o, False)
    bad = []
    for o in by_layer.get("locking", []):
        for s in sorted(nm(o, True) & others):
            bad.append(f"{os.path.basename(o)}: the validator calls {s}, defined outside locking/")
    return len(by_layer.get("locking", [])), bad


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    root = sys.argv[1]
    bad = check_includes(root)
    nlock = None
    if len(sys.argv) > 2:
        nlock, leaf_bad = check_leaf(sys.argv[2])
        bad += leaf_bad
    for b in bad:
        print("layering: " + b)
    if bad:
        print(f"layering: FAIL, {len(bad)} violation(s)")
        return 1
    what = "includes"
    if nlock:
        what += f", validator a leaf ({nlock} locking objects)"
    print(f"layering: ok ({what})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
