#!/usr/bin/env bash
# Fails when the browser bundle's dependency graph holds something only the server should have: database,
# runtime, logging and hashing crates, chrono's clock (`Utc::now()` panics on wasm32) or uuid's generators. Each
# would be in the wasm by accident; link-time optimization drops unused code, but a call from hydrate-side code
# would ship it (or, for the clock, panic in the browser). Run by `make lint`.
set -euo pipefail
cd "$(dirname "$0")/.."

tree=$(cargo tree --quiet -p frontend --target wasm32-unknown-unknown --features app/hydrate \
  -e normal,no-proc-macro,features --prefix none)

forbidden_crates='sqlx|sqlx-core|tokio|tracing-subscriber|axum|hyper|tower-sessions|argon2|reqwest|lettre|governor'
forbidden_features='chrono feature "clock"|uuid feature "(v4|v7|rng)"'

found=$( { grep -E "^($forbidden_crates) v" <<<"$tree" | awk '{print $1}' || true; \
           grep -oE "$forbidden_features" <<<"$tree" || true; } | sort -u)
if [[ -n "$found" ]]; then
  echo "the browser bundle (frontend, feature app/hydrate) depends on server-only code:" >&2
  sed 's/^/  /' <<<"$found" >&2
  echo "keep it behind app's \`ssr\` feature (see \`cargo tree -p frontend --target wasm32-unknown-unknown --features app/hydrate -e features -i <crate>\`)" >&2
  exit 1
fi
echo "browser dependencies: nothing server-only"
