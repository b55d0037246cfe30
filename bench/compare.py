#!/usr/bin/env python3
"""Cold builds of the same generated blog by Quill and by Hugo, and the cmark-gfm floor, in one run.

For each size, the blog comes from ../shared/bench/gen_corpus.py (same --seed, --format ours and --format hugo; the
folders quill-N and hugo-N under --work are reused, as bench/incremental.py names them). Each cold build starts from
no output folder and, for Quill, no .quill state, after os.sync() so neither tool pays for the other's deletions.
Every run is measured by /usr/bin/time -v: wall, user+sys CPU, peak RSS; then the files in the output folder are
counted. Runs of the tools are interleaved (Quill, Hugo, floors, Quill, ...) so a change in the machine's load hits
them alike; the load average is recorded before and after every run.

The floors, over the bodies of the Quill corpus (the Markdown after the front matter of every post):
  cmark-gfm floor       one `cmark-gfm` process (Quill's extensions and options) over all bodies concatenated,
                        written to one file: what parsing and rendering the Markdown costs on one core
  cmark-gfm ×cores      the bodies split into one part per core, one cmark-gfm process per part, all at once
  write floor           Python, one thread, writing Quill's output tree (same folders, paths and bytes, read
                        beforehand) into an empty folder: what creating those files costs this file system
  write floor ×cores    the same, the files dealt to one thread per core

Usage: bench/compare.py [--sizes 1000,10000] [--runs 3] [--seed 1] [--work /tmp/quill-bench] [--quill PATH]
                        [--json PATH]
Installs hugo, time and cmark-gfm from Debian when missing and builds quill in release mode first (unless --quill).
Prints a table per size and writes every run's figures to --json (default: <work>/results-<date>.json)."""
import argparse
import concurrent.futures
import datetime
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import time

repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CMARK = ["cmark-gfm", "--unsafe", "--table-prefer-style-attributes", "-e", "footnotes", "-e", "table",
         "-e", "strikethrough", "-e", "autolink", "-e", "tagfilter", "-e", "tasklist"]
# Same settings as bench/incremental.py, plus summary-only feeds: Hugo's built-in RSS template has summaries.
SITE_TOML = ('title = "Benchmark"\nbase_url = "https://bench.example.org/"\nauthor = "Bench"\n'
             'time_zone = "UTC"\nposts_per_page = 10\n\n[feeds]\nlimit = 20\nfull_content = false\n')


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated post counts (e.g. 1000,10000,100000)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", default="/tmp/quill-bench")
    parser.add_argument("--gen", default=os.path.join(repo, "..", "shared", "bench", "gen_corpus.py"))
    parser.add_argument("--quill", help="use this quill binary instead of building .build/release/quill")
    parser.add_argument("--rm-before-run", action="store_true",
                        help="delete each output just before its run instead of moving it aside (see Trash)")
    parser.add_argument("--json", help="where to write the results (default: <work>/results-<date>.json)")
    args = parser.parse_args()
    args.sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.runs < 1 or not args.sizes:
        parser.error("need at least one size and one run")
    return args


def output(cmd, cwd=None):
    try:
        return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True).stdout.strip()
    except OSError:
        return ""


def ensure_tool(path_or_name, package):
    """Installs the Debian package when the tool is missing (root, or sudo when not)."""
    if shutil.which(path_or_name):
        return
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    install = sudo + ["apt-get", "install", "-y", "-q", package]
    if subprocess.run(install, stdout=subprocess.DEVNULL).returncode != 0:
        subprocess.run(sudo + ["apt-get", "update", "-q"], stdout=subprocess.DEVNULL, check=True)
        subprocess.run(install, stdout=subprocess.DEVNULL, check=True)


def build_quill():
    print("building quill (swift build -c release --product quill) ...", flush=True)
    run = subprocess.run(["swift", "build", "-c", "release", "--product", "quill"], cwd=repo,
                         capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(run.stdout[-4000:] + run.stderr[-4000:] + "\nerror: swift build failed (or pass --quill PATH)")
    return os.path.join(repo, ".build", "release", "quill")


def machine():
    lscpu = dict(line.split(":", 1) for line in output(["lscpu"]).splitlines() if ":" in line)
    mem = output(["free", "-g"]).splitlines()
    return {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "cpu": f"{lscpu.get('Model name', '?').strip()}, {lscpu.get('CPU(s)', '?').strip()} CPUs "
               f"({lscpu.get('Hypervisor vendor', 'bare metal').strip()})",
        "memory": mem[1].split()[1] + " GiB" if len(mem) > 1 else "?",
        "kernel": output(["uname", "-sr"]),
        "hugo": output(["hugo", "version"]),
        "swift": (output(["swift", "--version"]) or "?").splitlines()[0],
        "cmark-gfm": output(["cmark-gfm", "--version"]).splitlines()[0],
        "quill commit": output(["git", "rev-parse", "--short", "HEAD"], cwd=repo)
        + (" + uncommitted changes in Sources/" if output(["git", "status", "--porcelain", "--", "Sources",
                                                           "Package.swift"], cwd=repo) else ""),
    }


def corpus(args, fmt, posts):
    """The generated site, reused when a complete one of this size and seed is already there."""
    name = f"{'quill' if fmt == 'ours' else 'hugo'}-{posts}" + (f"-seed{args.seed}" if args.seed != 1 else "")
    site = os.path.join(args.work, name)
    posts_dir = os.path.join(site, "content", "posts")
    complete = os.path.isdir(posts_dir) and len(os.listdir(posts_dir)) == posts
    if fmt == "hugo":
        complete = complete and os.path.isfile(os.path.join(site, "config.toml"))
    if not complete:
        shutil.rmtree(site, ignore_errors=True)
        subprocess.run([sys.executable, args.gen, "--posts", str(posts), "--out", site, "--format", fmt,
                        "--seed", str(args.seed)], check=True)
    return site


def read_posts(site):
    posts_dir = os.path.join(site, "content", "posts")
    return {name: open(os.path.join(posts_dir, name), "rb").read() for name in sorted(os.listdir(posts_dir))}


def body(text):
    """The Markdown after the front matter (YAML between --- lines or TOML between +++ lines)."""
    for fence in (b"---", b"+++"):
        if text.startswith(fence + b"\n"):
            end = text.find(b"\n" + fence + b"\n", len(fence))
            if end >= 0:
                return text[end + len(fence) + 2:].lstrip(b"\n")
    return text


def prepare(args, posts):
    """Both corpora (checked to hold the same posts), Quill's site.toml, and the bodies for the floors."""
    quill_site, hugo_site = corpus(args, "ours", posts), corpus(args, "hugo", posts)
    ours = read_posts(quill_site)
    if ours != read_posts(hugo_site):
        sys.exit(f"error: {quill_site} and {hugo_site} do not hold the same posts; delete them to regenerate")
    toml = os.path.join(quill_site, "site.toml")
    if not os.path.isfile(toml) or open(toml).read() != SITE_TOML:
        with open(toml, "w") as f:
            f.write(SITE_TOML)
    bodies = [body(text) for text in ours.values()]
    floor = os.path.join(args.work, f"floor-{posts}")
    shutil.rmtree(floor, ignore_errors=True)
    os.makedirs(floor)
    with open(os.path.join(floor, "all.md"), "wb") as f:
        f.write(b"\n\n".join(bodies))
    cores = os.cpu_count() or 1
    size, parts, part, part_size = sum(len(b) for b in bodies), [], [], 0
    for b in bodies:  # one part per core, split between posts, of about the same size
        part.append(b)
        part_size += len(b)
        if len(parts) < cores - 1 and part_size >= size / cores:
            parts.append(part)
            part, part_size = [], 0
    parts.append(part)
    for i, p in enumerate(parts):
        with open(os.path.join(floor, f"part{i}.md"), "wb") as f:
            f.write(b"\n\n".join(p))
    return quill_site, hugo_site, floor, {"posts": len(bodies), "body bytes": size, "parts": len(parts)}


def load():
    return output(["uptime"])


def time_v(cmd, cwd, log):
    """Runs cmd under /usr/bin/time -v: wall (s), CPU user+sys (s), peak RSS (MiB), load before and after."""
    report = log + ".time"
    before = load()
    start = time.perf_counter()
    with open(log, "w") as out:
        run = subprocess.run(["/usr/bin/time", "-v", "-o", report] + cmd, cwd=cwd, stdout=out, stderr=out)
    wall = time.perf_counter() - start
    after = load()
    if run.returncode != 0:
        sys.exit(f"error: {' '.join(cmd)} failed in {cwd}:\n" + open(log, errors="replace").read()[-4000:])
    fields = dict(line.strip().split(": ", 1) for line in open(report) if ": " in line)
    return {"wall": wall, "cpu": float(fields["User time (seconds)"]) + float(fields["System time (seconds)"]),
            "rss": int(fields["Maximum resident set size (kbytes)"]) / 1024, "load before": before,
            "load after": after}


class Trash:
    """Clears the way for a cold run. By default the old output is moved aside, and deleted only once a size is done:
    this ext4 has no journal, and then allocating an inode skips, one by one, every free inode of its group freed in
    the last 60 s (`recently_deleted` in fs/ext4/ialloc.c), which made a build right after deleting the previous
    one's 2,000 files spend a third of its time there. With rm_before_run, outputs are deleted just before each run
    instead (then os.sync(), so the deletions' disk work is not the next build's)."""

    settle_seconds = 65

    def __init__(self, folder, rm_before_run):
        self.folder, self.rm_before_run, self.moved = folder, rm_before_run, 0
        if os.path.exists(folder):  # left by an interrupted run
            self.empty()
        self.last_delete = time.monotonic()  # what was deleted just before this script started is unknown

    def clear(self, *paths):
        for path in paths:
            if self.rm_before_run:
                shutil.rmtree(path, ignore_errors=True)
            elif os.path.exists(path):
                os.makedirs(self.folder, exist_ok=True)
                os.rename(path, os.path.join(self.folder, str(self.moved)))
                self.moved += 1
        os.sync()

    def empty(self):
        shutil.rmtree(self.folder, ignore_errors=True)
        os.sync()
        self.last_delete = time.monotonic()

    def settle(self):
        """Waits until this script's last big deletion is old enough not to slow inode allocation."""
        if self.rm_before_run:
            return
        wait = self.last_delete + self.settle_seconds - time.monotonic()
        if wait > 0:
            print(f"  waiting {wait:.0f} s for the deleted inodes to age (see Trash in bench/compare.py)", flush=True)
            time.sleep(wait)


def files_in(folder):
    found = [os.path.join(d, f) for d, _, names in os.walk(folder) for f in names]
    return {"files": len(found), "html": sum(f.endswith(".html") for f in found),
            "MiB": sum(os.path.getsize(f) for f in found) / 2**20}


def quill_cold(quill, site, logs, trash):
    trash.clear(os.path.join(site, "public"), os.path.join(site, ".quill"), os.path.join(site, ".public.quill"))
    result = time_v([quill, "build"], site, os.path.join(logs, "quill.log"))
    return result | files_in(os.path.join(site, "public"))


def hugo_cold(site, logs, trash):
    trash.clear(os.path.join(site, "public"), os.path.join(site, "resources"))
    result = time_v(["hugo"], site, os.path.join(logs, "hugo.log"))
    return result | files_in(os.path.join(site, "public"))


def cmark_floor(floor, parts):
    """One cmark-gfm over all bodies, or one per part at once (parts > 1); outputs written next to the inputs."""
    if parts == 1:
        script = " ".join(map(shlex.quote, CMARK)) + " all.md > all.html"
    else:
        script = " ".join(" ".join(map(shlex.quote, CMARK)) + f" part{i}.md > part{i}.html &" for i in range(parts))
        script += " wait"
    for f in os.listdir(floor):
        if f.endswith(".html"):
            os.remove(os.path.join(floor, f))
    os.sync()
    return time_v(["sh", "-c", script], floor, os.path.join(floor, "cmark.log"))


def write_floor(tree, dest, threads, trash):
    """Python writes the given (path, bytes) tree into an empty dest, the files dealt round-robin to the threads
    (file writes release the interpreter lock, so the kernel's part of the work runs on several cores)."""
    def write(share):
        for rel, data in share:
            with open(os.path.join(dest, rel), "wb") as f:
                f.write(data)

    trash.clear(dest)
    before, start, cpu = load(), time.perf_counter(), os.times()
    folders = sorted({os.path.dirname(rel) for rel, _ in tree})
    for folder in folders:
        os.makedirs(os.path.join(dest, folder), exist_ok=True)
    folders_wall = time.perf_counter() - start
    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        list(pool.map(write, [tree[i::threads] for i in range(threads)]))
    wall, end = time.perf_counter() - start, os.times()
    return {"wall": wall, "cpu": (end.user - cpu.user) + (end.system - cpu.system), "rss": None,
            "load before": before, "load after": load(), "files": len(tree), "folders": len(folders),
            "folders wall": folders_wall}


def read_tree(folder):
    return [(os.path.relpath(os.path.join(d, f), folder), open(os.path.join(d, f), "rb").read())
            for d, _, names in os.walk(folder) for f in sorted(names)]


def stats(runs, key):
    values = [r[key] for r in runs if r.get(key) is not None]
    if not values:
        return None
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def load1(text):
    """The 1-minute load average in an uptime line."""
    return float(text.rsplit("load average:", 1)[1].split(",")[0]) if "load average:" in text else float("nan")


def measure(args, quill, posts, trash):
    quill_site, hugo_site, floor, corpus_info = prepare(args, posts)
    logs = os.path.join(args.work, f"logs-{posts}")
    os.makedirs(logs, exist_ok=True)
    cores = corpus_info["parts"]
    dest = os.path.join(args.work, f"write-floor-{posts}")
    tree = []
    tools = {
        "Quill cold": lambda: quill_cold(quill, quill_site, logs, trash),
        "Hugo cold": lambda: hugo_cold(hugo_site, logs, trash),
        "cmark-gfm floor": lambda: cmark_floor(floor, 1),
        f"cmark-gfm ×{cores}": lambda: cmark_floor(floor, cores),
        "write floor": lambda: write_floor(tree, dest, 1, trash),
        f"write floor ×{cores}": lambda: write_floor(tree, dest, cores, trash),
    }
    runs = {name: [] for name in tools}
    trash.settle()
    start_load = load()
    for i in range(args.runs):
        print(f"  {posts} posts, run {i + 1}/{args.runs} ({load()})", flush=True)
        for name, run in tools.items():
            runs[name].append(run())
            if not tree and name == "Quill cold":
                tree = read_tree(os.path.join(quill_site, "public"))
    end_load = load()
    trash.clear(dest)
    if not args.rm_before_run:
        started = time.perf_counter()
        trash.empty()
        print(f"  deleted the moved-aside outputs in {time.perf_counter() - started:.0f} s", flush=True)
    summary = {name: {k: stats(r, k) for k in ("wall", "cpu", "rss")} for name, r in runs.items()}
    quill_wall = summary["Quill cold"]["wall"]["median"]
    ratios = {f"Quill/Hugo {k}": summary["Quill cold"][k]["median"] / summary["Hugo cold"][k]["median"]
              for k in ("wall", "cpu", "rss")}
    for name in ("cmark-gfm floor", f"cmark-gfm ×{cores}", "write floor", f"write floor ×{cores}"):
        ratios[f"Quill cold wall / {name} wall"] = quill_wall / summary[name]["wall"]["median"]
    loads = {name: [load1(x[k]) for x in r for k in ("load before", "load after")] for name, r in runs.items()}
    return {"posts": posts, "seed": args.seed, "runs": args.runs, "rm before run": args.rm_before_run,
            "corpus": corpus_info, "quill site": quill_site,
            "hugo site": hugo_site, "uptime before": start_load, "uptime after": end_load, "summary": summary,
            "ratios": ratios, "load average 1 min": {n: [min(v), max(v)] for n, v in loads.items()},
            "all runs": runs}


def fmt(s, unit="", digits=2):
    if s is None:
        return "-"
    return f"{s['median']:.{digits}f}{unit} [{s['min']:.{digits}f}–{s['max']:.{digits}f}]"


def print_result(r):
    c = r["corpus"]
    print(f"\n{r['posts']} posts (seed {r['seed']}, {c['body bytes'] / 2**20:.1f} MiB of Markdown bodies), "
          f"medians of {r['runs']} runs [min–max]" + (", outputs deleted just before each run" if r["rm before run"]
                                                      else ""))
    print(f"  {'':22s} {'wall s':22s} {'CPU s (user+sys)':22s} {'peak RSS MiB':18s} {'files (html), MiB':22s} "
          "load 1 min")
    for name, s in r["summary"].items():
        last = r["all runs"][name][-1]
        files = f"{last['files']} ({last['html']}), {last['MiB']:.0f}" if "html" in last else ""
        lo, hi = r["load average 1 min"][name]
        print(f"  {name:22s} {fmt(s['wall']):22s} {fmt(s['cpu']):22s} {fmt(s['rss'], digits=0):18s} {files:22s} "
              f"{lo:.2f}–{hi:.2f}")
    writes = r["all runs"]["write floor"]
    print(f"  (write floor: Quill's {writes[0]['files']} files in {writes[0]['folders']} folders; the folders made "
          f"in {statistics.median(w['folders wall'] for w in writes):.2f} s, median, before the files)")
    for name, value in r["ratios"].items():
        print(f"  {name:50s} {value:6.2f}×")
    print(f"  uptime before: {r['uptime before']}\n  uptime after:  {r['uptime after']}")


def main():
    args = parse_args()
    os.makedirs(args.work, exist_ok=True)
    ensure_tool("hugo", "hugo")
    ensure_tool("/usr/bin/time", "time")
    ensure_tool("cmark-gfm", "cmark-gfm")
    quill = os.path.abspath(args.quill) if args.quill else build_quill()
    info = machine()
    for key, value in info.items():
        print(f"{key:13s} {value}")
    trash = Trash(os.path.join(args.work, "trash"), args.rm_before_run)
    results = []
    for posts in args.sizes:
        results.append(measure(args, quill, posts, trash))
        print_result(results[-1])
    path = args.json or os.path.join(args.work, f"results-{datetime.date.today().isoformat()}.json")
    with open(path, "w") as f:
        json.dump({"machine": info, "results": results}, f, indent=1, ensure_ascii=False)
    print(f"\nall runs: {path}")


if __name__ == "__main__":
    main()
