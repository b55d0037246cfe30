#!/usr/bin/env python3
"""Kill test: `quill build` killed with SIGKILL at many moments never leaves a broken site.

A generated blog is built, then changed (every page, through the site title; one post) and built again, each build
killed at moments spread over its run. After every kill the output folder must be exactly the previous complete
site or exactly the new one (the swap is one step), and the build after the kills must equal a clean build
(`quill build --verify`). A first build into an empty folder is killed too: the output folder must not exist then.

    scripts/kill-test.py --quill .build/debug/quill [--posts 1500]
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


def timed_build(quill, site):
    start = time.monotonic()
    result = build(quill, site)
    if result.returncode != 0:
        sys.exit(f"build failed:\n{result.stderr}")
    return time.monotonic() - start


def kill_at(quill, site, delay):
    process = subprocess.Popen([quill, "build", "--source", site], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        process.wait(timeout=delay)
        return False  # finished before the kill
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()
        return True


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
        """After one kill (or a build that finished first): the output is the previous or the new site."""
        now = snapshot(output)
        state = "previous site" if now == previous else "new site" if now == new else None
        print(f"  {name}: kill {when} {'killed' if killed else 'finished first'}: output is the {state or 'WRONG'}")
        if state is None:
            failures.append(f"{name}, kill {when}: output is neither the previous nor the new site")
        return killed

    # Kills aimed at the publishing steps: while the spare folder is written, and just before the swap.
    for stage, delay in [("compared, spare ready", 0), ("compared, spare ready", 0.01), ("compared, spare ready", 0.05),
                         ("written and synced", 0)]:
        kills += check(kill_after_stage(quill, site, stage, delay), f"{delay:.2f} s after \"{stage}\"")
    for delay in delays:
        killed = check(kill_at(quill, site, delay), f"at {delay:6.3f} s")
        kills += killed
        if not killed:
            break
    result = build(quill, site, "--verify")
    verified = result.returncode == 0 and "equals a clean build" in result.stdout
    print(f"  {name}: {kills} kills, then a build: {'equals a clean build' if verified else 'DIFFERS'}")
    if not verified or snapshot(output) != new:
        failures.append(f"{name}: the build after the kills is not the clean build\n{result.stdout}{result.stderr}")
    return new


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quill", default=".build/debug/quill")
    parser.add_argument("--posts", type=int, default=1500)
    args = parser.parse_args()
    quill = os.path.abspath(args.quill)
    work = tempfile.mkdtemp(prefix="quill-kill-")
    site = os.path.join(work, "site")
    write_site(site, args.posts, "Kill Test")
    failures = []
    points = [0.05, 0.15, 0.3, 0.45, 0.6, 0.7, 0.75, 0.78, 0.8, 0.82, 0.85, 0.88, 0.9, 0.92, 0.95, 0.97, 1.0, 1.05,
              1.1, 1.2, 1.3, 1.5, 2.0, 5.0]

    # A first build into no output folder: killed, there must be none (or an empty one).
    cold = timed_build(quill, site)
    print(f"{args.posts} posts; a cold build takes {cold:.2f} s")
    shutil.rmtree(os.path.join(site, "public"))
    shutil.rmtree(os.path.join(site, ".quill"))
    for fraction in points[:8]:
        kill_at(quill, site, cold * fraction)
        left = snapshot(os.path.join(site, "public"))
        print(f"  cold: kill at {cold * fraction:6.3f} s: output folder {'absent' if left is None else left and 'HAS FILES' or 'empty'}")
        if left:
            failures.append(f"cold build killed at {fraction:.2f} left files in the output folder")
    timed_build(quill, site)
    previous = snapshot(os.path.join(site, "public"))
    if previous != reference(quill, site, work):
        failures.append("the cold build after the kills is not the clean build")

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
