# Shared by the scripts: install what a fresh Debian/Ubuntu machine lacks, quietly, only when missing.

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=""
need_apt() {  # need_apt PACKAGE...
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing ${missing[*]} (apt)"
  if [ -z "$apt_updated" ]; then as_root apt-get update -qq; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

need_pip() {  # need_pip MODULE==VERSION... (skips those already importable)
  local missing=()
  for spec in "$@"; do
    python3 -m pip show "${spec%%==*}" >/dev/null 2>&1 || missing+=("$spec")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing ${missing[*]} (pip)"
  python3 -m pip install -q "${missing[@]}" 2>/dev/null \
    || python3 -m pip install -q --break-system-packages "${missing[@]}"
}

# The C and C++ libraries Quill links: cmark-gfm (Markdown), KSyntaxHighlighting with Qt5 (code highlighting) and
# libvips (resized copies of images).
need_native_libraries() {
  need_apt libcmark-gfm-dev libcmark-gfm-extensions-dev pkg-config libkf5syntaxhighlighting-dev qtbase5-dev \
    libvips-dev libcurl4
}

# Builds the release quill, unless .build/release/quill is newer than every source file (SwiftPM's own check of
# an up-to-date package takes seconds; this one, a few milliseconds).
build_release_quill() {
  if [ -x .build/release/quill ] && [ -z "$(find Package.swift Sources -newer .build/release/quill -print -quit)" ]; then
    return 0
  fi
  if [ ! -d .build/release ]; then
    echo "building quill (release); the first build takes about 5-15 minutes on 2 cores, later ones seconds" >&2
  fi
  swift build -c release --product quill
}
