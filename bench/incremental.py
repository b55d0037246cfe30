#!/usr/bin/env python3
"""Whole-process timings of `quill build` on a generated blog (shared/bench/gen_corpus.py --format ours):
cold build, no-op build, one-post body edit, one-post title edit — medians of several runs — and Hugo's full build
of the same corpus in the same run when `hugo` is installed (apt-get install hugo).

Usage: bench/incremental.py [--posts 10000] [--runs 5] [--work /tmp/quill-bench]
Builds quill in release mode first. Peak memory (max RSS) is reported for the cold build."""
import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time

repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
parser = argparse.ArgumentParser()
parser.add_argument("--posts", type=int, default=10000)
parser.add_argument("--runs", type=int, default=5)
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


def timed(cmd, cwd):
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def build():
    return timed([quill, "build"], site)


posts_dir = os.path.join(site, "content", "posts")
victim = os.path.join(posts_dir, sorted(os.listdir(posts_dir))[len(os.listdir(posts_dir)) // 2])
original = open(victim, encoding="utf-8").read()

results = {}
cold = []
for _ in range(min(args.runs, 3)):
    shutil.rmtree(os.path.join(site, ".quill"), ignore_errors=True)
    shutil.rmtree(os.path.join(site, "public"), ignore_errors=True)
    shutil.rmtree(os.path.join(site, ".public.quill"), ignore_errors=True)
    os.sync()  # the deletions' disk work is not the next build's
    cold.append(build())
results["cold build (empty public/, no state)"] = cold
results["cold build peak RSS (MiB)"] = [resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024]
build()
results["no-op build"] = [build() for _ in range(args.runs)]
body, title = [], []
try:
    # The first build that changes something after a cold one also makes the spare folder it publishes through
    # (hard links of every page beside public/): once, reported apart.
    with open(victim, "w", encoding="utf-8") as f:
        f.write(original.rstrip("\n") + " First edit.\n")
    results["first edit after a cold build (makes .public.quill)"] = [build()]
    for i in range(args.runs):
        with open(victim, "w", encoding="utf-8") as f:
            f.write(original.rstrip("\n") + f" Edited {i}.\n")
        body.append(build())
    for i in range(args.runs):
        with open(victim, "w", encoding="utf-8") as f:
            f.write(original.replace('title: "', f'title: "Retitled {i} ', 1))
        title.append(build())
finally:
    with open(victim, "w", encoding="utf-8") as f:
        f.write(original)
    build()
results["one-post body edit"] = body
results["one-post title edit"] = title

hugo = shutil.which("hugo")
if hugo:
    hsite = os.path.join(args.work, f"hugo-{args.posts}")
    if not os.path.isdir(os.path.join(hsite, "content")):
        subprocess.run([sys.executable, args.gen, "--posts", str(args.posts), "--out", hsite, "--format", "hugo"],
                       check=True)
    runs = []
    for _ in range(min(args.runs, 3)):
        shutil.rmtree(os.path.join(hsite, "public"), ignore_errors=True)
        os.sync()
        runs.append(timed([hugo, "--quiet"], hsite))
    results["hugo full build (same corpus)"] = runs

print(f"{args.posts} posts, medians of {args.runs} runs (cold: {min(args.runs, 3)}), whole process:")
for name, values in results.items():
    m = statistics.median(values)
    unit = "" if "MiB" in name else " s"
    print(f"  {name:45s} {m:9.3f}{unit}   runs: {', '.join(f'{v:.3f}' for v in values)}")
if hugo:
    ratio = statistics.median(results["hugo full build (same corpus)"]) / statistics.median(cold)
    print(f"  Hugo full build / Quill cold build: {ratio:.1f}x")
