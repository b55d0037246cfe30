#!/usr/bin/env bash
# Shows that two quill binaries build the same sites byte for byte: the sample blog, the Jekyll import fixtures
# (imported, then built), and a generated 1,000-post blog. For refactors that must not change output.
#   bench/same-output.sh OLD_QUILL NEW_QUILL
set -euo pipefail
cd "$(dirname "$0")/.."
old=$(realpath "$1") new=$(realpath "$2")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
compare() {  # name, then the arguments of `quill build` without --output
  local name=$1; shift
  "$old" build "$@" --output "$work/old/$name" >/dev/null
  "$new" build "$@" --output "$work/new/$name" >/dev/null
  local files
  files=$(find "$work/new/$name" -type f | wc -l)
  if diff -r -x .quill-output "$work/old/$name" "$work/new/$name"; then
    echo "$name: identical ($files files): diff -r finds no difference"
  else
    status=1
  fi
}
compare sample --source .
QUILL_EXPORT_JEKYLL_FIXTURES="$work/jekyll" swift test --skip-build --filter theFixturesAreWrittenAsJekyllSites >/dev/null
for source in "$work"/jekyll/*/; do
  name=$(basename "$source")
  "$new" import jekyll "$source" "$work/imported/$name" >/dev/null
  compare "jekyll-$name" --source "$work/imported/$name"
done
shared=../shared
[ -d "$shared/bench" ] || shared=/work/shared
python3 "$shared/bench/gen_corpus.py" --posts 1000 --out "$work/corpus" --format ours >/dev/null
printf 'title = "Benchmark"\nbase_url = "https://bench.example.org/"\nauthor = "Bench"\ntime_zone = "UTC"\nposts_per_page = 10\n' \
  > "$work/corpus/site.toml"
compare corpus-1000 --source "$work/corpus"
exit $status
