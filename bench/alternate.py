#!/usr/bin/env python3
"""Two quill binaries on the same generated blog, run alternately: cold build, no-op build and one-post body edit,
medians per binary and the ratio new/old. Alternating (A B A B …) spreads the machine's drift over both, which
back-to-back batches do not (this machine's speed moves by up to 15% from one minute to the next).

Usage: bench/alternate.py --new PATH --old PATH [--posts 10000] [--rounds 5] [--warm-rounds 0] [--work /tmp/quill-alternate]
       [--new-settings TOML] [--old-settings TOML]
--new-settings/--old-settings append lines to that side's site.toml: the same binary with two settings, e.g.
`--new quill --old quill --old-settings $'[highlight]\nenabled = false'` prices highlighting.
Each binary builds its own copy of the corpus (their states never meet). --warm-rounds adds rounds of no-op and body
edit only, which alternate within seconds: on a machine whose speed drifts, their pairs compare best. Besides the
ratio of the medians, each line gives the median of the rounds' own ratios ("paired")."""
import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time

import twosites

repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
parser = argparse.ArgumentParser()
parser.add_argument("--new", required=True)
parser.add_argument("--old", required=True)
parser.add_argument("--posts", type=int, default=10000)
parser.add_argument("--rounds", type=int, default=5)
parser.add_argument("--warm-rounds", type=int, default=0)
parser.add_argument("--work", default="/tmp/quill-alternate")
parser.add_argument("--new-settings", default="")
parser.add_argument("--old-settings", default="")
parser.add_argument("--gen", default=os.path.join(repo, "..", "shared", "bench", "gen_corpus.py"))
args = parser.parse_args()

binaries = {"new": os.path.abspath(args.new), "old": os.path.abspath(args.old)}
sites = twosites.prepare(args.work, args.posts, args.gen, binaries, {"new": args.new_settings, "old": args.old_settings})


cpu = {name: {} for name in binaries}  # step → CPU seconds (user + sys) of each run


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(name, *extra, step=None):
    start, start_cpu = time.perf_counter(), children_cpu()
    subprocess.run([binaries[name], "build", *extra], cwd=sites[name], check=True, stdout=subprocess.DEVNULL)
    if step:
        cpu[name].setdefault(step, []).append(children_cpu() - start_cpu)
    return time.perf_counter() - start


def victim(name):
    posts = os.path.join(sites[name], "content", "posts")
    return os.path.join(posts, sorted(os.listdir(posts))[len(os.listdir(posts)) // 2])


originals = {name: open(victim(name), encoding="utf-8").read() for name in binaries}
results = {name: {"cold": [], "no-op": [], "body edit": []} for name in binaries}
try:
    for round in range(args.rounds):
        for name in (("new", "old") if round % 2 == 0 else ("old", "new")):
            site = sites[name]
            for folder in (".quill", "public", ".public.quill"):
                shutil.rmtree(os.path.join(site, folder), ignore_errors=True)
            os.sync()
            results[name]["cold"].append(timed(name, step="cold"))
            timed(name)  # settles the state
            results[name]["no-op"].append(timed(name, step="no-op"))
            with open(victim(name), "w", encoding="utf-8") as f:
                f.write(originals[name].rstrip("\n") + f" Edited {round}.\n")
            timed(name)  # the first edit after a cold build also makes the spare folder: not counted
            with open(victim(name), "w", encoding="utf-8") as f:
                f.write(originals[name].rstrip("\n") + f" Edited again {round}.\n")
            results[name]["body edit"].append(timed(name, step="body edit"))
    for round in range(args.warm_rounds):
        for name in (("new", "old") if round % 2 == 0 else ("old", "new")):
            results[name]["no-op"].append(timed(name, step="no-op"))
            with open(victim(name), "w", encoding="utf-8") as f:
                f.write(originals[name].rstrip("\n") + f" Edited warm {round}.\n")
            results[name]["body edit"].append(timed(name, step="body edit"))
finally:
    for name in binaries:
        with open(victim(name), "w", encoding="utf-8") as f:
            f.write(originals[name])

print(f"{args.posts} posts, {args.rounds} alternating rounds (+{args.warm_rounds} of no-op and edit), medians (whole "
      f"process, seconds) in {args.work}:")
for label, table in (("wall", results), ("CPU (user+sys)", cpu)):
    print(f"  {label:16s} {'new':>8s} {'old':>8s} {'new/old':>8s} {'paired':>8s}   runs new | old")
    for step in ("cold", "no-op", "body edit"):
        new, old = (statistics.median(table[n][step]) for n in ("new", "old"))
        paired = statistics.median(a / b for a, b in zip(table["new"][step], table["old"][step]))
        runs = " ".join(f"{v:.3f}" for v in table["new"][step]) + " | " + " ".join(f"{v:.3f}" for v in table["old"][step])
        print(f"    {step:14s} {new:8.3f} {old:8.3f} {new / old:8.3f} {paired:8.3f}   {runs}")
