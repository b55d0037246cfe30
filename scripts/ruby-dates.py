#!/usr/bin/env python3
"""Writes Tests/Fixtures/ruby-dates.tsv: a few thousand date strings in the shapes Jekyll blogs carry, each with what
Ruby's Time.parse (which Jekyll hands front matter dates to) makes of it. DateParserTests checks Quill against every
line.

    scripts/ruby-dates.py            # regenerate (needs ruby; TZ=UTC, so dates without a zone are UTC)
    scripts/ruby-dates.py --count N  # another number of random strings (default 3000) besides the fixed ones
    scripts/ruby-dates.py --seed 7 --output /tmp/dates.tsv   # another sample, elsewhere

The strings come from a seeded generator, so the file only changes when this script or Ruby does. Each line is
`input<TAB>result`, the result one of:
  2010-01-30T19:51:52-08:00   the moment, in the offset Ruby gives it (`.123` milliseconds when it has a fraction)
  missing                     Ruby reads it only by taking the year (and more) from today: Quill refuses it
  error                       Ruby refuses it
"""
import argparse
import os
import random
import subprocess
import sys

RUBY = r'''
require "time"
require "date"
STDIN.each_line do |line|
  s = line.chomp
  begin
    h = Date._parse(s)
    t = Time.parse(s)
    if h[:year].nil?
      puts "missing"
    else
      frac = t.subsec.zero? ? "" : t.strftime(".%L")
      puts t.strftime("%Y-%m-%dT%H:%M:%S") + frac + t.strftime("%:z")
    end
  rescue ArgumentError, RangeError
    puts "error"
  end
end
'''

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
ZONES = ["UTC", "GMT", "Z", "z", "UT", "EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT", "pst", "Pdt",
         "A", "M", "N", "Y", "J", "CET", "CEST", "JST", "BST", "IST", "AEST", "HST", "AKST", "NZDT", "MSK",
         "Eastern Standard Time", "Pacific Daylight Time", "Central Europe Standard Time", "EST DST",
         "GMT+2", "UTC-08:30", "utc+5", "+0000", "-0000", "+00:00", "-08:00", "-0800", "-08", "+05:30", "+0530",
         "+1400", "-1200", "+09", "+9", "+530", "-08:00:00", "+05:30:15", "[-5:EST]", "[+9]", "Europe/Berlin"]
SEEDS = [
    "Sat, 30 Jan 2010 19:51:52 -0800", "Sat, 30 Jan 2010 19:51:52 PST", "30 Jan 2010 19:51:52 GMT",
    "Sat, 30 Jan 10 19:51 -0800", "2010-01-30", "2010-01-30 19:51", "2010-01-30 19:51:52", "2010-01-30T19:51:52Z",
    "2010-01-30T19:51:52-08:00", "2010-01-30 19:51:52 -0800", "2010-01-30 19:51:52 -08", "2010-01-30T19:51:52.123+01:00",
    "January 30, 2010", "30 January 2010", "Jan 30 2010 7:51 pm", "Jan 30, 2010 at 7:51:52 p.m. EST",
    "Saturday, January 30th, 2010 at 7:51pm", "Posted on January 30, 2010", "2010/01/30", "2010/01/30 19:51",
    "30/01/2010", "01/30/2010", "30.01.2010", "2010.01.30", "20100130", "20100130T195152", "20100130 195152Z",
    "2010-030", "2010-W04-6", "H22.01.30", "R2.01.30", "r02.1.3 10:00", "2010-01-30 10:00 est dst", "30-Jan-2010", "Jan-30-2010", "'10 Jan 30", "10-01-30", "69-01-01",
    "2010-1-3", "2010-01-30 12am", "2010-01-30 12pm", "2010-01-30 12:00 am", "2010-01-30 7h51m52s",
    "Jan 30", "19:51", "January", "30th", "2010", "January 2010", "2010-01", "yesterday", "", "   ", "foo",
    "2010-02-30", "2010-02-29", "2012-02-29", "2010-13-01", "2010-00-10", "2010-01-32", "2010-01-30 24:00",
    "2010-01-30 24:01", "2010-01-30 25:00", "2010-01-30 23:59:60", "2010-01-31 23:59:60 -0800",
    "2010-00-31 20:00 -0800", "2010-13-01 02:00 +0800", "2010-12-31 20:00 -0800", "2010-01-01 02:00 +0800",
    "2010-01-30 2010-01-31", "Jan 30 2010 Feb 1 2011", "2010-01-30 19:51:52 foo bar", "19:51:52 Jan 30 2010",
    "2010-01-30 10:00 +99:99", "99999-01-02", "0000-01-30", "-2010-01-30", "2010-01-30 BC", "Jan 30 2010 B.C.",
    "2010-01-30T19:51:52.", "2010-01-30T19:51:52,5", "2010-01-30 19:51:52.000001", "a" * 130 + " 2010-01-30",
]


def two(n):
    return "%02d" % n


def pick_zone(r):
    return r.choice(ZONES) if r.random() < 0.7 else ""


def time_part(r):
    h, m, s = r.choice([r.randint(0, 23), r.randint(0, 23), r.randint(0, 25)]), r.randint(0, 59), r.randint(0, 60)
    style = r.randrange(7)
    if style == 0:
        return "%s:%s" % (two(h), two(m))
    if style == 1:
        return "%s:%s:%s" % (two(h), two(m), two(s))
    if style == 2:
        return "%s:%s:%s.%s" % (two(h), two(m), two(s), "".join(r.choice("0123456789") for _ in range(r.randint(1, 6))))
    if style == 3:
        return "%d:%s %s" % (r.randint(1, 12), two(m), r.choice(["am", "pm", "AM", "PM", "a.m.", "p.m."]))
    if style == 4:
        return "%d%s" % (r.randint(0, 13), r.choice(["am", "pm", " pm", " a.m."]))
    if style == 5:
        return "%d:%s:%s %s" % (r.randint(1, 12), two(m), two(s), r.choice(["am", "pm"]))
    return "%d:%s" % (h, two(m))


def month_name(r, m):
    name = MONTHS[min(max(m, 1), 12) - 1]
    return r.choice([name, name[:3], name.upper(), name[:3].lower(), name[:3] + ".", "Sept" if m == 9 else name])


def date_part(r):
    y = r.choice([r.randint(1970, 2030)] * 4 + [r.randint(0, 99), r.randint(1900, 2100)])
    m = r.choice([r.randint(1, 12)] * 9 + [r.choice([0, 13])])
    d = r.choice([r.randint(1, 28)] * 6 + [r.randint(29, 31), r.randint(29, 31), r.choice([0, 32])])
    style = r.randrange(12)
    yy = str(y) if y >= 100 else two(y)
    if style <= 2:
        return "%s-%s-%s" % (yy, two(m), two(d))
    if style == 3:
        return "%s-%d-%d" % (yy, m, d)
    if style == 4:
        return "%s/%s/%s" % (yy, two(m), two(d))
    if style == 5:
        return "%s %d, %s" % (month_name(r, m or 1), d, yy)
    if style == 6:
        return "%d %s %s" % (d, month_name(r, m or 1), yy)
    if style == 7:
        return "%s %s %s" % (r.choice(DAYS)[:3] + ",", two(d), month_name(r, m or 1)[:3] + " " + yy)
    if style == 8:
        return "%d%s %s %s" % (d, r.choice(["st", "nd", "rd", "th"]), month_name(r, m or 1), yy)
    if style == 9:
        return "%s.%s.%s" % (two(d), two(m), yy)
    if style == 10:
        return "%d-%s-%s" % (d, month_name(r, m or 1)[:3], yy)
    return "%s%s%s" % (yy if len(yy) == 4 else "20" + yy, two(m), two(d))


def random_date(r):
    parts = []
    if r.random() < 0.15:
        parts.append(r.choice(DAYS + [d[:3] + "," for d in DAYS]))
    if r.random() < 0.08:
        parts.append(r.choice(["Posted on", "Written", "updated:", "on"]))
    parts.append(date_part(r))
    if r.random() < 0.75:
        sep = r.choice([" ", " ", "T", "t", " at ", ", "])
        parts[-1] += sep + time_part(r)
        zone = pick_zone(r)
        if zone:
            parts.append(zone) if r.random() < 0.9 else parts.__setitem__(-1, parts[-1] + zone)
    if r.random() < 0.05:
        parts.append(r.choice(["foo", "Jan", "2011", "and more", "(edited)", "EST"]))
    text = " ".join(parts)
    if r.random() < 0.05:  # a part dropped: no year, month or day
        text = r.choice([text.split(" ", 1)[-1], text[5:], text.replace(text[:4], "", 1)])
    return text


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=21)
    parser.add_argument("--output", help="another file to write (tests use it for a fresh sample)")
    args = parser.parse_args()
    r = random.Random(args.seed)
    inputs = []
    for s in SEEDS + [random_date(r) for _ in range(args.count)]:
        if "\t" not in s and "\n" not in s and s not in inputs:
            inputs.append(s)
    env = dict(os.environ, TZ="UTC", LC_ALL="C.UTF-8")
    run = subprocess.run(["ruby", "-e", RUBY], input="\n".join(inputs) + "\n", capture_output=True, text=True, env=env,
                         check=True)
    results = run.stdout.split("\n")[:-1]
    assert len(results) == len(inputs), (len(results), len(inputs))
    version = subprocess.run(["ruby", "-e", "print RUBY_VERSION"], capture_output=True, text=True, check=True).stdout
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    path = args.output or os.path.join(root, "Tests", "Fixtures", "ruby-dates.tsv")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write("# Made by scripts/ruby-dates.py with Ruby %s (TZ=UTC): input<TAB>Time.parse's result, "
                "\"missing\" or \"error\"\n" % version)
        for i, o in zip(inputs, results):
            f.write("%s\t%s\n" % (i, o))
    counts = {k: sum(1 for o in results if (o if o in ("missing", "error") else "ok") == k) for k in ("ok", "missing", "error")}
    print("%s: %d dates (%d read, %d missing a part, %d refused)" % (
        os.path.relpath(path), len(inputs), counts["ok"], counts["missing"], counts["error"]), file=sys.stderr)


if __name__ == "__main__":
    main()
