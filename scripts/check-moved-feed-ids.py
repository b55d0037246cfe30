#!/usr/bin/env python3
"""Moves every post of a copy of the sample blog (a new permalink pattern, one post's file renamed, another's slug
changed) and reads the feeds back with feedparser before and after: each post's Atom <id>, RSS <guid> and JSON Feed
id must stay what it was, while its link is the new URL, and each old URL must hold a redirect page to the new one.
Leaves the moved site's output in OUT for validate-site.

Usage: check-moved-feed-ids.py QUILL SAMPLE_DIR OUT"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

import feedparser

quill, sample, out = sys.argv[1], sys.argv[2], sys.argv[3]
work = tempfile.mkdtemp()
site = os.path.join(work, "site")
os.makedirs(site)
for name in ("site.toml", "content", "themes"):
    source = os.path.join(sample, name)
    if os.path.isdir(source):
        shutil.copytree(source, os.path.join(site, name))
    elif os.path.exists(source):
        shutil.copy(source, os.path.join(site, name))


def build():
    result = subprocess.run([quill, "build", "--source", site, "--output", out], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"quill build failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def ids():
    """title → (rss guid, atom id, json id, link) of the site's feeds."""
    found = {}
    rss = feedparser.parse(os.path.join(out, "feed.xml"))
    atom = feedparser.parse(os.path.join(out, "atom.xml"))
    with open(os.path.join(out, "feed.json"), encoding="utf-8") as f:
        items = json.load(f)["items"]
    for feed in (rss, atom):
        if feed.bozo:
            sys.exit(f"feedparser: {feed.bozo_exception}")
    for entry in rss.entries:
        found[entry.title] = [entry.id]
    for entry in atom.entries:
        found[entry.title].append(entry.id)
    for item in items:
        found[item["title"]] += [item["id"], item["url"]]
    return found


build()
before = ids()
posts = os.path.join(site, "content", "posts")
with open(os.path.join(site, "site.toml"), encoding="utf-8") as f:
    config = f.read()
with open(os.path.join(site, "site.toml"), "w", encoding="utf-8") as f:
    f.write(config.replace('permalink = "/:year/:month/:day/:slug/"', 'permalink = "/:year/:slug/"', 1))
os.rename(os.path.join(posts, "2010-01-20-better-faster-stronger.md"), os.path.join(posts, "2010-01-20-bfs.md"))
path = os.path.join(posts, "2010-01-30-mourning-sun.md")
with open(path, encoding="utf-8") as f:
    text = f.read()
with open(path, "w", encoding="utf-8") as f:
    f.write(text.replace("title:", "slug: morning-sun\ntitle:", 1))
report = build()
after = ids()

failures = []
moved = [line for line in report.splitlines() if line.startswith("moved: ")]
if len(moved) != 6 or "renamed: content/posts/2010-01-20-better-faster-stronger.md" not in report:
    failures.append(f"expected six moves and a rename, got:\n{report}")
for title, (rss_id, atom_id, json_id, old_url) in before.items():
    new = after.get(title)
    if new is None:
        failures.append(f"{title!r} is missing after the move")
        continue
    if new[:3] != [rss_id, atom_id, json_id]:
        failures.append(f"{title!r}: ids changed from {[rss_id, atom_id, json_id]} to {new[:3]}")
    if new[3] == old_url:
        failures.append(f"{title!r} did not move ({old_url})")
    redirect = os.path.join(out, old_url.split("/", 3)[3], "index.html")
    with open(redirect, encoding="utf-8") as f:
        page = f.read()
    if f'url={new[3]}"' not in page:
        failures.append(f"{old_url} does not redirect to {new[3]}")
if failures:
    sys.exit("\n".join(failures))
print(f"feedparser: {len(before)} posts moved (a new permalink pattern, a renamed file, a new slug); their RSS, "
      "Atom and JSON Feed ids stayed, their links and redirects are the new URLs")
shutil.rmtree(work)
