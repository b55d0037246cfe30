#!/usr/bin/env python3
"""Reads the sample blog's feeds with feedparser (RSS, Atom, per-tag) and json (JSON Feed) and checks that they carry
the six posts with their real titles, dates (America/Los_Angeles) and author. Usage: check-sample-feeds.py SITE_DIR"""
import calendar
import datetime
import glob
import json
import os
import sys

import feedparser

site = sys.argv[1]
AUTHOR = "R. Tyler Ballance"
PACIFIC = datetime.timezone(datetime.timedelta(hours=-8))  # January: PST
POSTS = [  # newest first
    ("2010-01-30 19:51:52", "Mourning Sun"),
    ("2010-01-27 01:43:04", "Using a browser to piss off IRC users, or, spamming #redditdowntime"),
    ("2010-01-20 14:19:19", "Unsubstantiated Rumors about Apture and Facebook"),
    ("2010-01-20 09:31:00", "Better, Faster, Stronger"),
    ("2010-01-18 21:23:26", "Thread-safety assumptions in Django"),
    ("2010-01-16 16:29:38", "Virtual Hosting with HAProxy and WSGI"),
]
EXPECTED = [(title, int(datetime.datetime.strptime(d, "%Y-%m-%d %H:%M:%S").replace(tzinfo=PACIFIC).timestamp()))
            for d, title in POSTS]
failures = []


def check(name, entries):
    got = [(title, stamp) for title, stamp, _ in entries]
    if got != EXPECTED:
        failures.append(f"{name}: entries differ\n  got      {got}\n  expected {EXPECTED}")
    for title, _, author in entries:
        if author != AUTHOR:
            failures.append(f"{name}: {title!r} has author {author!r}")


for name in ("feed.xml", "atom.xml"):
    feed = feedparser.parse(os.path.join(site, name))
    if feed.bozo:
        failures.append(f"{name}: not well-formed: {feed.bozo_exception}")
    check(name, [(e.title, calendar.timegm(e.published_parsed), e.get("author")) for e in feed.entries])

with open(os.path.join(site, "feed.json"), encoding="utf-8") as f:
    jf = json.load(f)
if jf.get("version") != "https://jsonfeed.org/version/1.1":
    failures.append("feed.json: wrong version")
check("feed.json", [(i["title"], int(datetime.datetime.fromisoformat(i["date_published"]).timestamp()),
                     i["authors"][0]["name"]) for i in jf["items"]])

tag_feeds = sorted(glob.glob(os.path.join(site, "tags", "*", "*.xml")))
for path in tag_feeds:
    feed = feedparser.parse(path)
    if feed.bozo or not feed.entries:
        failures.append(f"{os.path.relpath(path, site)}: bozo={feed.bozo} entries={len(feed.entries)}")

for failure in failures:
    print("feeds:", failure)
print(f"feeds: 3 site feeds and {len(tag_feeds)} tag feeds read; {len(failures)} problems")
sys.exit(1 if failures else 0)
