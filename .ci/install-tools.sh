#!/usr/bin/env bash
# Installs every build and test tool Atrium needs, from the package registries only (rustup, crates.io, npm,
# apt), so that a fresh Debian 12 machine with only rustup's stable toolchain can build and test. Idempotent:
# a tool already at the right version is left alone. Called by `make run`, `make test` and `.ci/run`.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.11
# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly, or the browser bundle breaks.
WASM_BINDGEN_VERSION=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"$/\1/p')

# Build tools do not need fast code everywhere: most of their code (argument parsing, configuration, the file
# watcher, the JS minifier, template generation) runs for milliseconds per build. Unoptimized code compiles ~3x
# faster, so the tools build at opt-level 0, no LTO, except the few crates their time goes to at run time (reading,
# splitting and writing the wasm; hashing and compressing the ~800 files of a split release build), which keep
# opt-level 3 (`hot_crates`). Measured here, cargo-leptos: 21.5 minutes at opt-level 2 -> 6.4 at this profile.
# Cargo's per-profile environment overrides and `--config` apply to `cargo install` without touching the tools'
# own manifests.
export CARGO_PROFILE_RELEASE_LTO=false
export CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16
export CARGO_PROFILE_RELEASE_INCREMENTAL=false
export CARGO_PROFILE_RELEASE_OPT_LEVEL=0
export CARGO_PROFILE_RELEASE_DEBUG=false
export CARGO_PROFILE_RELEASE_STRIP=true

# `--config` arguments that optimize the named crates (a name the tool does not use only draws a warning).
hot_crates() {
  local name
  for name in "$@"; do printf -- '--config\nprofile.release.package.%s.opt-level=3\n' "$name"; done
}

log() { printf '\033[1;34m[tools]\033[0m %s\n' "$*"; }

# Fetches a crate's published source through cargo itself (no registry URL in our scripts) and prints its folder.
crate_source() {
  local name=$1 version=$2 scratch
  scratch=$(mktemp -d)
  cargo new --quiet --vcs none "$scratch/probe"
  printf '%s = "=%s"\n' "$name" "$version" >>"$scratch/probe/Cargo.toml"
  cargo metadata --quiet --format-version 1 --manifest-path "$scratch/probe/Cargo.toml" >/dev/null
  rm -rf "$scratch"
  local found
  for found in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/"$name-$version"; do
    [[ -f "$found/Cargo.toml" ]] && { echo "$found"; return 0; }
  done
  echo "could not find the source of $name $version after fetching it" >&2
  return 1
}

# Builds a crate from a writable copy of its published source, after pinning lockfile entries that the
# published Cargo.lock gets wrong on this toolchain (see shared/TOOLCHAIN.md).
install_from_source() {
  local name=$1 version=$2; shift 2
  local src work
  src=$(crate_source "$name" "$version")
  work=$(mktemp -d)
  cp -r "$src" "$work/src"
  local status=0
  # Explicit `||` and `&&`: callers test this function in an `if`, where `set -e` does not apply.
  (
    cd "$work/src" || exit 1
    while [[ $# -gt 0 ]]; do cargo update --quiet -p "$1" --precise "$2" || exit 1; shift 2; done
    cargo install --quiet --locked --path . "${EXTRA_INSTALL_ARGS[@]}"
  ) || status=$?
  rm -rf "$work"
  return "$status"
}

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32 target"
  rustup target add wasm32-unknown-unknown
fi

# Lockfile entries of cargo-leptos replaced at install (crate, version pairs):
# - 0.3.11's lockfile pins cargo-util-schemas 0.14.2, which needs rustc 1.96.
# - wasm_split_cli_support 0.2.4 (cargo-leptos asks for "0.2.3", so any 0.2.x; its lockfile says 0.2.3) moves each
#   page's static data (its texts in both languages, class strings) into that page's chunk. 0.2.3 does too, but
#   gives up and leaves the whole read-only data segment in the main wasm when its new layout comes out even a few
#   bytes longer than the old (237 bytes on 2026-12-02: ~210 KB raw, ~67 KB brotli more on every hydrating page),
#   which flips from one build to the next. 0.2.4 packs the data without that overflow (main wasm data 301 KB -> 91
#   KB for the same input). It needs rayon 1.12.
CARGO_LEPTOS_PINS="cargo-util-schemas 0.14.1 rayon 1.12.0 wasm_split_cli_support 0.2.4"
# A cargo-leptos built with other pins (an older checkout's) is rebuilt: the stamp beside it says which it has.
CARGO_LEPTOS_STAMP="${CARGO_HOME:-$HOME/.cargo}/bin/.cargo-leptos-pins"
if ! cargo leptos --version 2>/dev/null | grep -q " $CARGO_LEPTOS_VERSION" ||
  [[ "$(cat "$CARGO_LEPTOS_STAMP" 2>/dev/null)" != "$CARGO_LEPTOS_PINS" ]]; then
  log "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 7 minutes on 2 cores, once)"
  # no_downloads: a missing tool is an error instead of a download this network refuses. --force: replaces a
  # cargo-leptos of the same version built with other pins.
  mapfile -t EXTRA_INSTALL_ARGS < <(hot_crates brotli brotli-decompressor miniz_oxide md-5 wasmparser wasm-encoder \
    wasm_split_cli_support gimli)
  EXTRA_INSTALL_ARGS+=(--features no_downloads --force)
  # shellcheck disable=SC2086 # the pins are words
  install_from_source cargo-leptos "$CARGO_LEPTOS_VERSION" $CARGO_LEPTOS_PINS
  echo "$CARGO_LEPTOS_PINS" >"$CARGO_LEPTOS_STAMP"
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION"; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # Its lockfile pins webpki-roots 1.0.11, which was yanked from the index.
  mapfile -t EXTRA_INSTALL_ARGS < <(hot_crates walrus wasmparser wasm-encoder wasm-bindgen-cli-support \
    wasm-bindgen-wasm-interpreter wasm-bindgen-wasm-conventions wasm-bindgen-externref-xform \
    wasm-bindgen-multi-value-xform wasm-bindgen-threads-xform gimli)
  # The pinned build first: a plain `--locked` install of this version fails after resolving (tried in every cold
  # run before), which costs half a minute for nothing.
  if ! install_from_source wasm-bindgen-cli "$WASM_BINDGEN_VERSION" webpki-roots@1.0.11 1.0.10; then
    cargo install --quiet --locked "${EXTRA_INSTALL_ARGS[@]}" wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION"
  fi
fi

if [[ ! -x node_modules/.bin/tailwindcss || package-lock.json -nt node_modules/.package-lock.json ]]; then
  log "installing npm packages (Tailwind, wasm-opt, Playwright; no browser download)"
  # `npm ci` installs exactly the committed lockfile and never rewrites it, so `make run` leaves the checkout clean.
  # The lockfile lists every platform's optional packages (Tailwind's oxide-*); to regenerate it after changing
  # package.json: `npm install --package-lock-only --omit-lockfile-registry-resolved=false` (this machine's npm
  # config omits other platforms' entries otherwise), then commit package-lock.json.
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
fi

if [[ ! -x /usr/lib/chromium/chromium ]]; then
  log "installing Debian's Chromium for the browser tests"
  if [[ $(id -u) -eq 0 ]]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
fi

if ! command -v initdb >/dev/null && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  log "installing the PostgreSQL server binaries"
  if [[ $(id -u) -eq 0 ]]; then apt-get install -y -qq postgresql >/dev/null; else sudo apt-get install -y -qq postgresql >/dev/null; fi
fi
log "tools ready"
