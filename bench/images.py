#!/usr/bin/env python3
"""Pictures: a generated blog (../shared/bench/gen_corpus.py) with photos in post bundles, built by one quill.

Measures, as medians of whole-process runs (`/usr/bin/time -v` for peak RSS):
  - a cold build with resized copies (the default) and without them (`[images] variants = false`);
  - a no-op build, and a build after one photo was edited (new pixels, same size);
  - peak RSS of each;
  - what a phone downloads for a post page with a photo: headless Chromium at 390 CSS px wide (device pixel ratio 3,
    as most phones), the page and every resource it fetched, with `[images] enabled = false` (the page as before:
    the original photo) and with the default settings (the copy `srcset` picks).

The photos are photo-like (smooth shapes and grain, in colour) JPEGs of 2–12 megapixels and PNGs of 2–6, made once
with the `vips` command (Debian libvips-tools) and kept under --work; every file has its own bytes.

Usage: bench/images.py [--quill .build/release/quill] [--posts 1000] [--photos 300] [--rounds 3]
       [--work /dev/shm/quill-images] [--no-browser]"""
import argparse
import http.server
import os
import re
import shutil
import statistics
import struct
import subprocess
import sys
import threading
import time
import zlib

repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
parser = argparse.ArgumentParser()
parser.add_argument("--quill", default=os.path.join(repo, ".build", "release", "quill"))
parser.add_argument("--posts", type=int, default=1000)
parser.add_argument("--photos", type=int, default=300)
parser.add_argument("--rounds", type=int, default=3)
parser.add_argument("--work", default="/dev/shm/quill-images")
parser.add_argument("--gen", default=os.path.join(repo, "..", "shared", "bench", "gen_corpus.py"))
parser.add_argument("--no-browser", action="store_true")
args = parser.parse_args()
quill = os.path.abspath(args.quill)

# (width, height, format): 2, 4, 6 and 12 MP JPEGs; 2, 3, 4 and 6 MP PNGs (screenshots and diagrams are PNGs).
SHAPES = [(1600, 1200, "jpg"), (2400, 1600, "jpg"), (3000, 2000, "jpg"), (4000, 3000, "jpg"),
          (1600, 1200, "jpg"), (3000, 2000, "jpg"), (4000, 3000, "jpg"), (1920, 1080, "png"),
          (1600, 1200, "png"), (2560, 1600, "png"), (3000, 2000, "png"), (2400, 1600, "jpg")]


def vips(*cmd):
    subprocess.run(["vips", *cmd], check=True, stdout=subprocess.DEVNULL)


def make_base_photos(folder):
    """One photo-like image per shape: coloured blobs (small noise, enlarged) plus fine grain."""
    os.makedirs(folder, exist_ok=True)
    for i, (w, h, fmt) in enumerate(SHAPES):
        out = os.path.join(folder, f"base-{i}.{fmt}")
        if os.path.exists(out):
            continue
        t = os.path.join(folder, "t")
        bands = []
        for b in range(3):
            vips("gaussnoise", f"{t}-s{b}.v", str(w // 16 + 1), str(h // 16 + 1), "--sigma", "55", "--mean",
                 str(100 + 30 * b), "--seed", str(i * 3 + b))
            vips("resize", f"{t}-s{b}.v", f"{t}-b{b}.v", "16", "--kernel", "cubic")
            vips("crop", f"{t}-b{b}.v", f"{t}-c{b}.v", "0", "0", str(w), str(h))
            bands.append(f"{t}-c{b}.v")
        vips("bandjoin", " ".join(bands), f"{t}-rgb.v")
        vips("gaussnoise", f"{t}-n.v", str(w), str(h), "--sigma", "5" if fmt == "jpg" else "2", "--mean", "0",
             "--seed", str(100 + i))
        vips("add", f"{t}-rgb.v", f"{t}-n.v", f"{t}-sum.v")
        vips("cast", f"{t}-sum.v", f"{t}-u8.v", "uchar")
        vips("copy", f"{t}-u8.v", out + ("[Q=90]" if fmt == "jpg" else "[compression=6]"))
        for f in os.listdir(folder):
            if f.startswith("t-"):
                os.remove(os.path.join(folder, f))


def unique(data, fmt, n):
    """The photo with a comment of its own, so that no two files are alike (pixels unchanged)."""
    note = f"bench photo {n}".encode()
    if fmt == "jpg":
        return data[:2] + b"\xff\xfe" + struct.pack(">H", len(note) + 2) + note + data[2:]
    chunk = b"tEXt" + b"Comment\0" + note
    packed = struct.pack(">I", len(chunk) - 4) + chunk + struct.pack(">I", zlib.crc32(chunk) & 0xFFFFFFFF)
    return data[:33] + packed + data[33:]  # after the signature and IHDR


def prepare():
    corpus = os.path.join(args.work, f"corpus-{args.posts}-{args.photos}")
    if os.path.isfile(os.path.join(corpus, ".done")):
        return corpus
    shutil.rmtree(corpus, ignore_errors=True)
    subprocess.run([sys.executable, args.gen, "--posts", str(args.posts), "--out", corpus, "--format", "ours"],
                   check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(corpus, "site.toml"), "w") as f:
        f.write('title = "Benchmark"\nbase_url = "https://bench.example.org/"\nauthor = "Bench"\n'
                'time_zone = "UTC"\nposts_per_page = 10\n')
    bases = os.path.join(args.work, "bases")
    make_base_photos(bases)
    posts_dir = os.path.join(corpus, "content", "posts")
    posts = sorted(p for p in os.listdir(posts_dir) if p.endswith(".md"))
    step = max(1, len(posts) // args.photos)
    for n, name in enumerate(posts[::step][:args.photos]):
        shape = n % len(SHAPES)
        fmt = SHAPES[shape][2]
        with open(os.path.join(bases, f"base-{shape}.{fmt}"), "rb") as f:
            data = f.read()
        folder = os.path.join(posts_dir, name[:-3])
        os.makedirs(folder)
        with open(os.path.join(posts_dir, name)) as f:
            text = f.read()
        os.remove(os.path.join(posts_dir, name))
        front, sep, body = text.partition("\n---\n")
        with open(os.path.join(folder, "index.md"), "w") as f:
            f.write(front + sep + f"\n![A photo of the day](photo.{fmt})\n\n" + body)
        with open(os.path.join(folder, f"photo.{fmt}"), "wb") as f:
            f.write(unique(data, fmt, n))
    open(os.path.join(corpus, ".done"), "w").close()
    return corpus


def site_copy(corpus, name, settings=""):
    site = os.path.join(args.work, name)
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(corpus, site, ignore=shutil.ignore_patterns("public", ".quill", ".done"))
    if settings:
        with open(os.path.join(site, "site.toml"), "a") as f:
            f.write("\n" + settings + "\n")
    return site


def timed(site):
    """Wall seconds, CPU seconds and peak RSS (MiB) of one `quill build`."""
    started = time.monotonic()
    run = subprocess.run(["/usr/bin/time", "-v", quill, "build"], cwd=site, capture_output=True, text=True)
    wall = time.monotonic() - started
    if run.returncode != 0:
        sys.exit(run.stdout + run.stderr)
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr).group(1)) / 1024
    user = float(re.search(r"User time \(seconds\): ([\d.]+)", run.stderr).group(1))
    system = float(re.search(r"System time \(seconds\): ([\d.]+)", run.stderr).group(1))
    return wall, user + system, rss


def cold(site):
    for leftover in ("public", ".quill"):
        shutil.rmtree(os.path.join(site, leftover), ignore_errors=True)
    return timed(site)


def median(runs, i):
    return statistics.median(r[i] for r in runs)


def line(name, runs):
    print(f"{name:34} wall {median(runs, 0):7.2f} s   CPU {median(runs, 1):7.2f} s   peak RSS {median(runs, 2):6.0f} MiB"
          f"   ({len(runs)} runs: {', '.join(f'{r[0]:.2f}' for r in runs)})", flush=True)


def phone_bytes(site):
    """Bytes Chromium fetches for the first post page with a photo, at 390 CSS px and device pixel ratio 3."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    public = os.path.join(site, "public")
    page = None
    for root, _, files in sorted(os.walk(public)):
        if "index.html" in files and any(f.startswith("photo.") for f in files):
            page = "/" + os.path.relpath(root, public) + "/"
            break

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a, **k):
            super().__init__(*a, directory=public, **k)

        def log_message(self, *a):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    options.add_experimental_option("mobileEmulation", {"deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 3.0}})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        driver.get(f"http://127.0.0.1:{server.server_address[1]}{page}")
        time.sleep(0)  # the load event has fired when get() returns
        entries = driver.execute_script(
            "const n = performance.getEntriesByType('navigation')[0];"
            "return [[n.name, n.encodedBodySize]].concat(performance.getEntriesByType('resource')"
            ".map(e => [e.name, e.encodedBodySize]));")
        chosen = driver.execute_script(
            "return [...document.images].map(i => [i.currentSrc, i.naturalWidth, i.complete]);")
    finally:
        driver.quit()
        server.shutdown()
    return page, sum(size for _, size in entries), entries, chosen


def main():
    if not shutil.which("vips"):
        sys.exit("bench/images.py needs the vips command: apt-get install libvips-tools")
    corpus = prepare()
    photos = sum(1 for root, _, files in os.walk(os.path.join(corpus, "content")) for f in files
                 if f.startswith("photo."))
    size = sum(os.path.getsize(os.path.join(root, f)) for root, _, files in os.walk(os.path.join(corpus, "content"))
               for f in files if f.startswith("photo."))
    print(f"{args.posts} posts, {photos} photos ({size / 1e6:.0f} MB); quill {quill}; {os.cpu_count()} cores", flush=True)
    with_copies = site_copy(corpus, "site-copies")
    without = site_copy(corpus, "site-originals", "[images]\nvariants = false")
    runs = {"with": [], "without": []}
    for _ in range(args.rounds):  # alternated, so that the machine's drift falls on both
        runs["with"].append(cold(with_copies))
        runs["without"].append(cold(without))
    line("cold, resized copies", runs["with"])
    line("cold, originals only", runs["without"])
    files = sum(len(f) for _, _, f in os.walk(os.path.join(with_copies, "public")))
    copies = sum(1 for _, _, fs in os.walk(os.path.join(with_copies, "public")) for f in fs if re.search(r"-\d+w\.", f))
    print(f"  {files} files written, {copies} of them resized copies; copies cost "
          f"{median(runs['with'], 0) / median(runs['without'], 0):.2f}× the wall time of a build without them")
    noop = [timed(with_copies) for _ in range(max(5, args.rounds))]
    line("no-op", noop)
    photo = next(os.path.join(root, f) for root, _, fs in sorted(os.walk(os.path.join(with_copies, "content")))
                 for f in fs if f == "photo.jpg")
    edits = []
    for n in range(args.rounds):
        with open(photo, "rb") as f:
            data = f.read()
        vips("linear", photo, photo + ".v", "1", str(1 + n % 2 * 3))  # brighter pixels, the same size
        vips("copy", photo + ".v", photo + ".new.jpg[Q=90]")
        os.replace(photo + ".new.jpg", photo)
        os.remove(photo + ".v")
        edits.append(timed(with_copies))
    line("one photo edited (same size)", edits)
    if args.no_browser:
        return
    before_site = site_copy(corpus, "site-before", "[images]\nenabled = false")
    cold(before_site)
    for name, site in (("before ([images] enabled = false)", before_site), ("after (default)", with_copies)):
        page, total, entries, chosen = phone_bytes(site)
        print(f"phone at 390 px, DPR 3, {page}: {name}: {total / 1024:.0f} KiB in {len(entries)} requests; "
              f"images: {[(os.path.basename(src), w) for src, w, _ in chosen]}", flush=True)


main()
