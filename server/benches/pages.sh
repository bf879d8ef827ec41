#!/usr/bin/env bash
# The signed-in request path, measured as a user meets it: the release server on loopback with its own private
# PostgreSQL (as `make run` starts it, demo data included), `wrk -c50` against the landing page (no database) and
# against a signed-in owner's dashboard, then PostgreSQL's statement log for one request of each page (round trips
# and transactions). The job worker is off, so its polling neither loads the machine nor shows in the log.
#
#   make bench-pages                     # after `cargo leptos build --release --split --precompress`
#   SERVER_BIN=/path/to/server server/benches/pages.sh
#
# Needs `wrk` (Debian: `apt-get install wrk`), curl, python3 and PostgreSQL's psql. Prints figures; asserts nothing.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
bin="${SERVER_BIN:-${CARGO_TARGET_DIR:-$root/target}/release/server}"
duration="${DURATION:-10s}"
connections="${CONNECTIONS:-50}"
tenant=famath
email=dona@famath.example
password=atrium-demo-2026
psql="$(command -v psql || ls /usr/lib/postgresql/*/bin/psql | tail -1)"

for tool in wrk curl python3; do
  command -v "$tool" >/dev/null || { echo "pages bench: $tool is missing" >&2; exit 1; }
done

home="$(mktemp -d /tmp/atrium-bench-XXXXXX)"
chmod 755 "$home"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
url="http://127.0.0.1:$port"
log="$home/server.log"

cleanup() {
  if [[ -n "${server_pid:-}" ]]; then kill -INT "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  ATRIUM_HOME="$home" "$bin" stop-cluster >/dev/null 2>&1 || true
  rm -rf "$home"
}
trap cleanup EXIT

(cd "$root" && ATRIUM_ADDR="127.0.0.1:$port" ATRIUM_HOME="$home" DATABASE_URL='' RUST_LOG=warn ATRIUM_WORKER=off \
  exec "$bin" >"$log" 2>&1) &
server_pid=$!
for _ in $(seq 1 240); do
  curl -fsS "$url/readyz" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { echo "server exited; log:" >&2; cat "$log" >&2; exit 1; }
  sleep 0.5
done

# Sign in as the demo owner through the real server function, as the browser does (same-origin POST).
jar="$home/cookies"
curl -fsS -o /dev/null -c "$jar" -H "Origin: $url" \
  --data-urlencode "tenant=$tenant" --data-urlencode "email=$email" --data-urlencode "password=$password" \
  "$url/api/auth/sign_in"
cookie="atrium_session=$(awk '$6 == "atrium_session" { print $7 }' "$jar")"
dashboard="$url/$tenant/painel"
status="$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$dashboard")"
[[ "$status" == 200 ]] || { echo "signed-in dashboard answered $status" >&2; exit 1; }

# Round trips: PostgreSQL logs every statement for one request of each page.
secrets="$(cat "$home/postgres/secrets.json")"
pg_password="$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["superuser_password"])' "$secrets")"
pg_port="$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["port"])' "$secrets")"
superuser() { PGPASSWORD="$pg_password" "$psql" -qAt -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -c "$1"; }
pg_log="$home/postgres/postgres.log"
count_statements() { # page, curl args…
  local page="$1"; shift
  superuser "alter system set log_statement = 'all'" && superuser "select pg_reload_conf()" >/dev/null
  sleep 0.3
  local before; before="$(wc -l <"$pg_log")"
  curl -fsS -o /dev/null "$@"
  sleep 0.3
  superuser "alter system reset log_statement" && superuser "select pg_reload_conf()" >/dev/null
  local lines; lines="$(tail -n +"$((before + 1))" "$pg_log" | grep -E 'LOG:  (statement|execute)' | grep -v 'pg_reload_conf\|alter system' || true)"
  local statements transactions
  statements="$(grep -c . <<<"$lines" || true)"
  transactions="$(grep -ciE ': (begin|start transaction)' <<<"$lines" || true)"
  printf '%-22s %3s statements (round trips), %s transactions\n' "$page" "$statements" "$transactions"
  if [[ -n "${VERBOSE:-}" ]]; then sed 's/^/    /' <<<"$lines"; fi
}

echo "== round trips per page view =="
count_statements "landing /" "$url/"
count_statements "dashboard (signed in)" -H "Cookie: $cookie" "$dashboard"
count_statements "server fn count_users" -H "Cookie: $cookie" -H "Origin: $url" -X POST "$url/api/users/count"

# CPU time (clock ticks) used so far by the given processes.
cpu_ticks() { local total=0 pid; for pid in "$@"; do total=$((total + $(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0))); done; echo "$total"; }
server_process="$(pgrep -P "$server_pid" -n server || echo "$server_pid")"
# CPU per request is the figure that survives a busy machine (throughput and latency do not): on a shared 2-core
# box, compare pages by it.
run_wrk() { # label, wrk args…
  local label="$1"; shift
  echo "== $label: wrk -t2 -c$connections -d$duration =="
  local postgres; postgres="$(pgrep -d ' ' -x postgres || true)"
  local server_before postgres_before out
  server_before="$(cpu_ticks "$server_process")"; postgres_before="$(cpu_ticks $postgres)"
  out="$(wrk -t2 -c"$connections" -d"$duration" --latency "$@")"
  grep -E 'Requests/sec|Latency|50%|99%|Non-2xx|Socket errors' <<<"$out"
  local requests hz; requests="$(awk '/requests in/ { print $1 }' <<<"$out")"; hz="$(getconf CLK_TCK)"
  awk -v s="$(( $(cpu_ticks "$server_process") - server_before ))" -v p="$(( $(cpu_ticks $postgres) - postgres_before ))" \
    -v n="$requests" -v hz="$hz" \
    'BEGIN { printf "  CPU per request: server %.0f µs, PostgreSQL %.0f µs\n", s / hz / n * 1e6, p / hz / n * 1e6 }'
}
wrk -t2 -c"$connections" -d2s "$url/" >/dev/null # warm-up
run_wrk "landing /" "$url/"
run_wrk "dashboard (signed in)" -H "Cookie: $cookie" "$dashboard"
echo "server RSS: $(ps -o rss= -p "$server_process" | awk '{ printf "%.0f MB", $1 / 1024 }')"
