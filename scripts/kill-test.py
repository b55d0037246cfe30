#!/usr/bin/env python3
"""Kill test: `quill build` killed with SIGKILL at many moments never leaves a broken site.

A generated blog is built, then changed (every page, through the site title; one post) and built again, each build
killed at moments spread over its run. After every kill the output folder must be exactly the previous complete
site or exactly the new one (the swap is one step), with the files put at its top by hand (CNAME, .git/) still
there, and the build after the kills must equal a clean build (`quill build --verify`). A first build into no output folder is killed too: the output folder must then be absent,
empty, or the complete site (a kill that lands after the swap, while the build state is saved).

The verdict does not depend on the machine's speed. Every kill records whether it landed (the process died of
SIGKILL) or the build finished first, and the check is the same either way: never a partial site. Besides kills at
fractions of a measured build time, kills are aimed by watching the disk: a build is killed once a given number of
files has appeared in the output folder or its spare twin, which lands mid-write on a fast machine as on a slow one.

Self-check (`--self-check`, run by scripts/test): the same kills against Quill's fallback for file systems without
`renameat2(RENAME_EXCHANGE)`, which writes into the output folder in place (forced here by a preloaded library
that makes renameat2 fail): the test must find partial sites there, or it proves nothing.

    scripts/kill-test.py --quill .build/debug/quill [--posts 1500] [--self-check]
"""
import argparse
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

WORDS = ("quill ink paper river stone lamp winter orchard harbor signal copper meadow lantern "
         "thread garden compass window ember").split()


# Put at the top of the output folder by hand (a GitHub Pages domain, a git checkout of the deployed branch).
HAND_TEXTS = {"CNAME": "kill.example.org\n", ".git/HEAD": "ref: refs/heads/gh-pages\n"}
HAND_PLACED = {path: hashlib.sha256(text.encode()).hexdigest() for path, text in HAND_TEXTS.items()}


def write_site(root, posts, title):
    os.makedirs(os.path.join(root, "content", "posts"), exist_ok=True)
    with open(os.path.join(root, "site.toml"), "w") as f:
        f.write(f'title = "{title}"\nbase_url = "https://kill.example.org/"\nauthor = "K"\n'
                'time_zone = "UTC"\nposts_per_page = 10\n')
    rng = random.Random(7)
    for n in range(posts):
        tags = ", ".join(f'"t{rng.randrange(60)}"' for _ in range(3))
        body = "\n\n".join(" ".join(rng.choice(WORDS) for _ in range(60)) for _ in range(4))
        day = 1 + n % 28
        with open(os.path.join(root, "content", "posts", f"p{n}.md"), "w") as f:
            f.write(f"---\ntitle: Post {n}\ndate: 2020-{1 + n // 28 % 12:02d}-{day:02d} 10:{n % 60:02d}\n"
                    f"tags: [{tags}]\n---\n\n{body}\n")


def snapshot(folder):
    """Every file under `folder` (relative path → sha256), or None when the folder does not exist."""
    if not os.path.isdir(folder):
        return None
    files = {}
    for dirpath, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(dirpath, name)
            with open(path, "rb") as f:
                files[os.path.relpath(path, folder)] = hashlib.sha256(f.read()).hexdigest()
    return files


def build(quill, site, *extra):
    return subprocess.run([quill, "build", "--source", site, *extra], capture_output=True, text=True)


def reference(quill, site, work):
    """The complete site a clean build of `site`'s current content gives (built from a copy, so the state of
    `site` is not touched)."""
    copy = os.path.join(work, "reference")
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("public", ".quill", ".public.quill"))
    result = build(quill, copy, "--clean")
    if result.returncode != 0:
        sys.exit(f"reference build failed:\n{result.stderr}")
    return snapshot(os.path.join(copy, "public"))


def timed_build(quill, site, env=None):
    start = time.monotonic()
    result = subprocess.run([quill, "build", "--source", site], capture_output=True, text=True, env=env)
    if result.returncode != 0:
        sys.exit(f"build failed:\n{result.stderr}")
    return time.monotonic() - start


def kill_at(quill, site, delay, env=None):
    """Kills a build `delay` seconds after it starts; True when the kill landed (the process died of it)."""
    process = subprocess.Popen([quill, "build", "--source", site], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, env=env)
    try:
        process.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()
    return process.returncode == -signal.SIGKILL


def count_files(folders, limit):
    """Files under `folders`, counting up to `limit` (a walk stopped early stays cheap)."""
    count = 0
    for folder in folders:
        for _, _, names in os.walk(folder):
            count += len(names)
            if count >= limit:
                return count
    return count


def kill_when_written(quill, site, files, env=None):
    """Kills a build once `files` files exist in the output folder and its spare twin together (polled); returns
    (True, count seen) when the kill landed, (False, count) when the build finished first."""
    folders = [os.path.join(site, "public"), os.path.join(site, ".public.quill")]
    process = subprocess.Popen([quill, "build", "--source", site], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, env=env)
    seen = 0
    while process.poll() is None:
        seen = count_files(folders, files)
        if seen >= files:
            process.send_signal(signal.SIGKILL)
            break
        time.sleep(0.002)
    process.wait()
    return process.returncode == -signal.SIGKILL, seen


def kill_after_stage(quill, site, stage, delay):
    """Kills a build `delay` seconds after its trace (QUILL_TRACE=1) reports `stage`; False when it finished first
    or never reported the stage."""
    process = subprocess.Popen([quill, "build", "--source", site], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True, env={**os.environ, "QUILL_TRACE": "1"})
    for line in process.stderr:
        if stage in line:
            time.sleep(delay)
            process.send_signal(signal.SIGKILL)
            process.wait()
            return process.returncode == -signal.SIGKILL
    process.wait()
    return False


def scenario(name, quill, site, work, change, previous, delays, failures):
    """Applies `change`, then kills builds of it after each of `delays` (seconds); after each kill the output must
    be `previous` or the new complete site. Returns the new site's snapshot."""
    change()
    new = reference(quill, site, work)
    if new == previous:
        sys.exit(f"{name}: the change changes nothing")
    output = os.path.join(site, "public")
    kills = 0

    def check(killed, when):
        """After one kill (or a build that finished first): the output is the previous or the new site, and the
        files put at its top by hand are there."""
        now = snapshot(output) or {}
        lost = [path for path, digest in HAND_PLACED.items() if now.pop(path, None) != digest]
        state = "previous site" if now == previous else "new site" if now == new else None
        print(f"  {name}: kill {when} {'killed' if killed else 'finished first'}: output is the {state or 'WRONG'}"
              + (f", LOST {', '.join(lost)}" if lost else ""))
        if state is None:
            failures.append(f"{name}, kill {when}: output is neither the previous nor the new site")
        if lost:
            failures.append(f"{name}, kill {when}: files put in the output folder by hand are gone: {', '.join(lost)}")
        return killed, state == "new site"

    # Kills aimed at the publishing steps: while the spare folder is written, and just before the swap. Then kills
    # spread over the build, each resuming what the last one left (a build killed after the swap, before its state
    # was saved, leaves the next one all to check again), until one finishes first.
    for stage, delay in [("compared, spare ready", 0), ("compared, spare ready", 0.01), ("compared, spare ready", 0.05),
                         ("written and synced", 0)]:
        kills += check(kill_after_stage(quill, site, stage, delay), f"{delay:.2f} s after \"{stage}\"")[0]
    for delay in delays:
        killed = check(kill_at(quill, site, delay), f"at {delay:6.3f} s")[0]
        kills += killed
        if not killed:
            break
    result = build(quill, site, "--verify")
    verified = result.returncode == 0 and "equals a clean build" in result.stdout
    print(f"  {name}: {kills} kills, then a build: {'equals a clean build' if verified else 'DIFFERS'}")
    after = snapshot(output) or {}
    if not verified or {path: digest for path, digest in after.items() if path not in HAND_PLACED} != new:
        failures.append(f"{name}: the build after the kills is not the clean build\n{result.stdout}{result.stderr}")
    return new


def cold_kills(quill, site, work, cold, env=None):
    """Kills first builds into no output folder, at fractions of `cold` seconds and once given numbers of files
    were written; returns (failures, kills that landed while files were being written). After each kill the output
    folder must be absent, empty, or the complete site."""
    complete = reference(quill, site, work)
    failures, mid_write = [], 0
    total = len(complete)

    def fresh():
        for name in ("public", ".public.quill", ".quill"):
            shutil.rmtree(os.path.join(site, name), ignore_errors=True)

    def check(killed, when):
        left = snapshot(os.path.join(site, "public"))
        state = ("absent" if left is None else "empty" if not left else "the complete site" if left == complete
                 else f"PARTIAL ({len(left)} of {total} files)")
        print(f"  cold: kill {when} {'killed' if killed else 'finished first'}: output folder {state}")
        if left and left != complete:
            failures.append(f"cold build killed {when} left a partial site ({len(left)} of {total} files)")

    for files in (1, 20, 200, total // 4, total // 2, total * 9 // 10):
        fresh()
        killed, seen = kill_when_written(quill, site, files, env)
        mid_write += killed
        check(killed, f"after {files} files written (saw {seen})")
    for fraction in (0.05, 0.15, 0.3, 0.45, 0.6, 0.7, 0.75, 0.78, 0.9, 1.1):
        fresh()
        check(kill_at(quill, site, cold * fraction, env), f"at {cold * fraction:6.3f} s")
    fresh()
    return failures, mid_write


def self_check(quill, site, work):
    """The kills must find partial sites when the output folder is written in place: Quill's fallback where
    renameat2 is missing, forced with a preloaded library. Returns a failure message, or None."""
    shim_c, shim = os.path.join(work, "noexchange.c"), os.path.join(work, "noexchange.so")
    with open(shim_c, "w") as f:
        f.write("#include <errno.h>\nint renameat2(int a, const char *b, int c, const char *d, unsigned e)"
                " { errno = ENOSYS; return -1; }\n")
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None or subprocess.run([compiler, "-shared", "-fPIC", "-o", shim, shim_c]).returncode != 0:
        return "self-check: no C compiler to build the library that disables renameat2"
    env = {**os.environ, "LD_PRELOAD": shim}
    cold = timed_build(quill, site, env)
    found, mid_write = cold_kills(quill, site, work, cold, env)
    print(f"self-check: {len(found)} partial sites found in {mid_write} kills mid-write with the in-place writer")
    if not found:
        return "self-check: the kills found no partial site from the in-place writer; the test cannot tell"
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quill", default=".build/debug/quill")
    parser.add_argument("--posts", type=int, default=1500)
    parser.add_argument("--self-check", action="store_true",
                        help="first check that the kills catch an output folder written in place")
    args = parser.parse_args()
    quill = os.path.abspath(args.quill)
    work = tempfile.mkdtemp(prefix="quill-kill-")
    site = os.path.join(work, "site")
    write_site(site, args.posts, "Kill Test")
    failures = []
    points = [0.05, 0.15, 0.3, 0.45, 0.6, 0.7, 0.75, 0.78, 0.8, 0.82, 0.85, 0.88, 0.9, 0.92, 0.95, 0.97, 1.0, 1.05,
              1.1, 1.2, 1.3, 1.5, 2.0, 5.0]

    if args.self_check:
        problem = self_check(quill, site, work)
        if problem:
            shutil.rmtree(work)
            sys.exit(f"FAILED:\n  {problem}")
        for name in ("public", ".public.quill", ".quill"):
            shutil.rmtree(os.path.join(site, name), ignore_errors=True)

    # A first build into no output folder: killed, there must be none, an empty one, or the complete site.
    cold = timed_build(quill, site)
    print(f"{args.posts} posts; a cold build takes {cold:.2f} s")
    found, mid_write = cold_kills(quill, site, work, cold)
    failures += found
    if mid_write == 0:
        failures.append("no kill of a cold build landed while it was writing files")
    timed_build(quill, site)
    previous = snapshot(os.path.join(site, "public"))
    if previous != reference(quill, site, work):
        failures.append("the cold build after the kills is not the clean build")
    # Files put at the top of the output folder by hand must survive every kill that follows.
    for path, text in HAND_TEXTS.items():
        os.makedirs(os.path.dirname(os.path.join(site, "public", path)), exist_ok=True)
        with open(os.path.join(site, "public", path), "w") as f:
            f.write(text)

    # Every page changes (the site title is on each).
    def retitle():
        with open(os.path.join(site, "site.toml")) as f:
            text = f.read()
        with open(os.path.join(site, "site.toml"), "w") as f:
            f.write(text.replace('title = "Kill Test"', 'title = "Kill Test, Renamed"'))
    timed = timed_build(quill, site)  # a no-op, to warm the disk cache
    # The retitled build takes about as long as rendering everything: measure it on a copy.
    probe = os.path.join(work, "probe")
    shutil.copytree(site, probe)
    with open(os.path.join(probe, "site.toml")) as f:
        text = f.read()
    with open(os.path.join(probe, "site.toml"), "w") as f:
        f.write(text.replace('title = "Kill Test"', 'title = "Probe"'))
    full = timed_build(quill, probe)
    shutil.rmtree(probe)
    print(f"a build that changes every page takes {full:.2f} s (no-op {timed:.2f} s)")
    previous = scenario("every page", quill, site, work, retitle, previous, [full * p for p in points], failures)

    # One post edited: a short build, killed early and late.
    def edit():
        with open(os.path.join(site, "content", "posts", "p3.md"), "a") as f:
            f.write("\nAn added paragraph.\n")
    delays = [0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.13, 0.16, 0.2, 0.3, 0.5, 1.0, 3.0]
    scenario("one post", quill, site, work, edit, previous, delays, failures)

    shutil.rmtree(work)
    if failures:
        print("FAILED:\n  " + "\n  ".join(failures))
        sys.exit(1)
    print("kill test passed: every kill left the previous or the new complete site, and the next build was clean")


if __name__ == "__main__":
    main()
