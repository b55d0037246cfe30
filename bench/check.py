#!/usr/bin/env python3
"""Whole-process timings of `quill check` against a cold `quill build` of the same generated blog
(shared/bench/gen_corpus.py --format ours): medians of several runs, and their ratio (issue 18 asks for at most 0.5).
`quill check` builds first, as it always does; here that build has nothing to do, so the check's own cost shows.

Usage: bench/check.py [--posts 10000] [--runs 3] [--work /tmp/quill-bench]
Builds quill in release mode first."""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
parser = argparse.ArgumentParser()
parser.add_argument("--posts", type=int, default=10000)
parser.add_argument("--runs", type=int, default=3)
parser.add_argument("--work", default="/tmp/quill-bench")
parser.add_argument("--gen", default=os.path.join(repo, "..", "shared", "bench", "gen_corpus.py"))
args = parser.parse_args()

subprocess.run(["swift", "build", "-c", "release", "--product", "quill"], cwd=repo, check=True,
               stdout=subprocess.DEVNULL)
quill = os.path.join(repo, ".build", "release", "quill")
site = os.path.join(args.work, f"quill-{args.posts}")
if not os.path.isdir(os.path.join(site, "content")):
    shutil.rmtree(site, ignore_errors=True)
    subprocess.run([sys.executable, args.gen, "--posts", str(args.posts), "--out", site, "--format", "ours"], check=True)
with open(os.path.join(site, "site.toml"), "w") as f:
    f.write('title = "Benchmark"\nbase_url = "https://bench.example.org/"\nauthor = "Bench"\n'
            'time_zone = "UTC"\nposts_per_page = 10\n')


def timed(cmd):
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=site, stdout=subprocess.PIPE, text=True)
    if result.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{result.stdout[-2000:]}")
    return time.perf_counter() - start, result.stdout


cold = []
for _ in range(args.runs):
    for name in (".quill", "public", ".public.quill"):
        shutil.rmtree(os.path.join(site, name), ignore_errors=True)
    os.sync()
    cold.append(timed([quill, "build"])[0])
check, summary = [], ""
for _ in range(args.runs):
    seconds, out = timed([quill, "check"])
    check.append(seconds)
    summary = out.strip().splitlines()[-1]
c, k = statistics.median(cold), statistics.median(check)
print(f"{args.posts} posts, medians of {args.runs} runs")
print(f"  cold build:  {c:.2f} s  {[round(x, 2) for x in cold]}")
print(f"  quill check: {k:.2f} s  {[round(x, 2) for x in check]}  ({summary})")
print(f"  check / cold build: {k / c:.2f}")
