"""The corpus and the two sites (`new`, `old`) that bench/alternate.py and bench/simultaneous.py build."""
import os
import shutil
import subprocess
import sys


def prepare(work, posts, gen, binaries, settings):
    """The generated corpus of `posts` posts in `work` (made if missing) and one copy per binary name, its
    site.toml with that name's extra `settings` appended: {name: site folder}."""
    corpus = os.path.join(work, f"corpus-{posts}")
    if not os.path.isdir(os.path.join(corpus, "content")):
        shutil.rmtree(corpus, ignore_errors=True)
        subprocess.run([sys.executable, gen, "--posts", str(posts), "--out", corpus, "--format", "ours"], check=True)
        with open(os.path.join(corpus, "site.toml"), "w") as f:
            f.write('title = "Benchmark"\nbase_url = "https://bench.example.org/"\nauthor = "Bench"\n'
                    'time_zone = "UTC"\nposts_per_page = 10\n')
    sites = {}
    for name in binaries:
        sites[name] = os.path.join(work, f"site-{name}-{posts}")
        if not os.path.isdir(sites[name]):
            shutil.copytree(corpus, sites[name], ignore=shutil.ignore_patterns("public", ".quill", ".public.quill"))
        with open(os.path.join(corpus, "site.toml")) as f:
            config = f.read()
        extra = settings.get(name, "")
        with open(os.path.join(sites[name], "site.toml"), "w") as f:
            f.write(config + ("\n" + extra + "\n" if extra else ""))
    return sites
