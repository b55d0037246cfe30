#!/usr/bin/env python3
"""Two quill cold builds at the same time, each held to one core (`taskset`), their CPU times (user + sys) compared
round by round. On a machine whose speed drifts by tens of percent from one minute to the next (a shared host), two
builds run one after the other see different machines; two run side by side see the same one. The cores swap every
round, so that neither side keeps the better one.

Usage: bench/simultaneous.py --new PATH --old PATH [--posts 10000] [--rounds 6] [--work /dev/shm/quill-simultaneous]
       [--new-settings TOML] [--old-settings TOML]
The same binary with two settings prices a feature: `--new quill --old quill --old-settings $'[search]\\nenabled =
false'`. The sites are those of bench/alternate.py (`corpus-N`, `site-new-N`, `site-old-N` in --work); a missing
corpus is generated."""
import argparse
import os
import shutil
import statistics
import subprocess
import sys

import twosites

repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
parser = argparse.ArgumentParser()
parser.add_argument("--new", required=True)
parser.add_argument("--old", required=True)
parser.add_argument("--posts", type=int, default=10000)
parser.add_argument("--rounds", type=int, default=6)
parser.add_argument("--work", default="/dev/shm/quill-simultaneous")
parser.add_argument("--new-settings", default="")
parser.add_argument("--old-settings", default="")
parser.add_argument("--gen", default=os.path.join(repo, "..", "shared", "bench", "gen_corpus.py"))
args = parser.parse_args()

if (os.cpu_count() or 1) < 2:
    sys.exit("error: two cores are needed, one for each build")
binaries = {"new": os.path.abspath(args.new), "old": os.path.abspath(args.old)}
sites = twosites.prepare(args.work, args.posts, args.gen, binaries, {"new": args.new_settings, "old": args.old_settings})

cpu = {"new": [], "old": []}
wall_ratio = []
for round in range(args.rounds):
    running = {}
    for name in binaries:
        for folder in (".quill", "public", ".public.quill"):
            shutil.rmtree(os.path.join(sites[name], folder), ignore_errors=True)
    os.sync()
    for name in binaries:
        core = (0 if name == "new" else 1) ^ (round % 2)
        process = subprocess.Popen(["taskset", "-c", str(core), binaries[name], "build"], cwd=sites[name],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        running[process.pid] = name
    while running:
        pid, status, usage = os.wait4(-1, 0)
        name = running.pop(pid)
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit(f"error: the {name} build failed")
        cpu[name].append(usage.ru_utime + usage.ru_stime)
    print(f"round {round + 1}: new {cpu['new'][-1]:.2f} s, old {cpu['old'][-1]:.2f} s of CPU, "
          f"new/old {cpu['new'][-1] / cpu['old'][-1]:.3f}", flush=True)

ratios = [n / o for n, o in zip(cpu["new"], cpu["old"])]
print(f"{args.posts} posts, {args.rounds} rounds side by side, CPU (user + sys) of each cold build:")
print(f"  new median {statistics.median(cpu['new']):.2f} s, old median {statistics.median(cpu['old']):.2f} s")
print(f"  new/old per round: median {statistics.median(ratios):.3f}, "
      f"range {min(ratios):.3f}–{max(ratios):.3f}")
