#!/usr/bin/env bash
# The CRM's leads table (`/:tenant/crm/leads`, 100 rows from PostgreSQL, plain server-rendered HTML) under load, as
# a user meets it: the release server on loopback with its own private PostgreSQL (as `make run` starts it, demo
# data included) plus LEADS more leads in famath (default 5,000), signed in as the owner, responses compressed
# (`Accept-Encoding: br, gzip`). Then:
#   1. statements per page view (PostgreSQL's log for one request);
#   2. throughput: `wrk -t2 -c50` for DURATION;
#   3. latency at a fixed rate of half that throughput: `oha -q RATE --latency-correction` (a constant-rate client,
#      so a slow response delays the schedule instead of hiding in it), p50 / p99;
#   4. CPU per request (server, PostgreSQL) and the server's RSS.
#
# The page cache (server/src/http/page_cache.rs) is on, as in production: a view of a page kept for the same person
# and address costs one statement (the tenant's page data version) and no render. Two knobs show the rest:
#   PAGE_CACHE=off   every view renders (the cache's "miss" path: the statements, render and compression);
#   WRITES=N         a lead changes N times a second during the runs (one psql session), each change making every
#                    kept page of the tenant stale, as a busy team's work does; the cache's hits and misses are
#                    printed at the end.
#
#   make bench-leads                         # after `cargo leptos build --release --split --precompress`
#   SERVER_BIN=/path/to/server LEADS=20000 server/benches/leads.sh
#
# Needs `wrk` (Debian: `apt-get install wrk`), `oha` (`cargo install oha --locked`; OHA=/path/to/oha), curl,
# python3 and PostgreSQL's psql. Prints figures; asserts nothing.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
bin="${SERVER_BIN:-${CARGO_TARGET_DIR:-$root/target}/release/server}"
duration="${DURATION:-10s}"
connections="${CONNECTIONS:-50}"
leads="${LEADS:-5000}"
oha="${OHA:-$(command -v oha || echo "$HOME/.cargo/bin/oha")}"
tenant=famath
email=dona@famath.example
password=atrium-demo-2026
psql="$(command -v psql || ls /usr/lib/postgresql/*/bin/psql | tail -1)"

for tool in wrk curl python3 "$oha"; do
  command -v "$tool" >/dev/null || { echo "leads bench: $tool is missing" >&2; exit 1; }
done

home="$(mktemp -d /tmp/atrium-bench-XXXXXX)"
chmod 755 "$home"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
url="http://127.0.0.1:$port"
log="$home/server.log"

cleanup() {
  if [[ -n "${writer_pid:-}" ]]; then kill "$writer_pid" 2>/dev/null || true; fi
  if [[ -n "${server_pid:-}" ]]; then kill -INT "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  ATRIUM_HOME="$home" "$bin" stop-cluster >/dev/null 2>&1 || true
  rm -rf "$home"
}
trap cleanup EXIT

(cd "$root" && ATRIUM_ADDR="127.0.0.1:$port" ATRIUM_HOME="$home" DATABASE_URL='' RUST_LOG=warn ATRIUM_WORKER=off \
  ATRIUM_PAGE_CACHE="${PAGE_CACHE:-on}" exec "$bin" >"$log" 2>&1) &
server_pid=$!
for _ in $(seq 1 240); do
  curl -fsS "$url/readyz" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { echo "server exited; log:" >&2; cat "$log" >&2; exit 1; }
  sleep 0.5
done

secrets="$(cat "$home/postgres/secrets.json")"
pg_password="$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["superuser_password"])' "$secrets")"
pg_port="$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["port"])' "$secrets")"
database="$(python3 -c 'import json,sys; print(json.loads(sys.argv[1]).get("database", "atrium"))' "$secrets")"
superuser() { PGPASSWORD="$pg_password" "$psql" -qAt -h 127.0.0.1 -p "$pg_port" -U postgres -d "${2:-postgres}" -c "$1"; }

# LEADS more leads in famath, spread over the pipelines' open stages, owners and sources, over a year, as the
# owner role (the superuser is not bound by row-level security, so the tenant is named).
superuser "
  with open_stages as (
         select array_agg(s.id order by s.id) as ids, array_agg(s.pipeline_id order by s.id) as pipelines
           from crm_stages s join tenants t on t.id = s.tenant_id
          where t.slug = '$tenant' and s.outcome is null and not s.archived),
       people as (
         select array_agg(u.id order by u.id) as ids
           from users u join tenants t on t.id = u.tenant_id
          where t.slug = '$tenant' and u.role in ('consultant', 'staff'))
  insert into crm_leads (tenant_id, pipeline_id, stage_id, name, phone, email, source, value_cents, owner_id,
                         position, created_at, last_activity_at)
  select t.id, o.pipelines[1 + n % cardinality(o.ids)], o.ids[1 + n % cardinality(o.ids)], 'Lead de carga ' || n,
         '+5583' || lpad(n::text, 9, '0'), case when n % 3 = 0 then 'lead' || n || '@exemplo.com' end,
         (array['whatsapp', 'web_form', 'manual'])[1 + n % 3], (n % 977) * 10000 + 3000000,
         case when n % 4 <> 0 then p.ids[1 + n % cardinality(p.ids)] end,
         n::bigint * 1048576, now() - make_interval(mins => n * 97), now() - make_interval(mins => n * 13)
    from tenants t, open_stages o, people p, generate_series(1, $leads) n
   where t.slug = '$tenant'" "$database"
superuser "vacuum analyze crm_leads" "$database"
echo "leads in $tenant: $(superuser "select count(*) from crm_leads l join tenants t on t.id = l.tenant_id where t.slug = '$tenant'" "$database")"

# Sign in as the demo owner through the real server function, as the browser does (same-origin POST).
jar="$home/cookies"
curl -fsS -o /dev/null -c "$jar" -H "Origin: $url" \
  --data-urlencode "tenant=$tenant" --data-urlencode "email=$email" --data-urlencode "password=$password" \
  "$url/api/auth/sign_in"
cookie="atrium_session=$(awk '$6 == "atrium_session" { print $7 }' "$jar")"
page="$url/$tenant/crm/leads"
read -r status size_br < <(curl -s -o /dev/null -w '%{http_code} %{size_download}\n' -H "Cookie: $cookie" -H 'Accept-Encoding: br' "$page")
[[ "$status" == 200 ]] || { echo "the leads table answered $status" >&2; exit 1; }
size_raw="$(curl -s -o /dev/null -w '%{size_download}' -H "Cookie: $cookie" "$page")"
rows="$(curl -s -H "Cookie: $cookie" "$page" | grep -o 'data-testid="lead-row"' | wc -l)"
echo "page: $rows rows, $size_raw bytes raw, $size_br bytes brotli"
# SAVE_PAGE=file keeps the page's HTML (e.g. to weigh compression settings against it).
if [[ -n "${SAVE_PAGE:-}" ]]; then curl -s -H "Cookie: $cookie" "$page" >"$SAVE_PAGE"; fi

pg_log="$home/postgres/postgres.log"
count_statements() { # page, curl args…
  local label="$1"; shift
  superuser "alter system set log_statement = 'all'" && superuser "select pg_reload_conf()" >/dev/null
  sleep 0.3
  local before; before="$(wc -l <"$pg_log")"
  curl -fsS -o /dev/null "$@"
  sleep 0.3
  superuser "alter system reset log_statement" && superuser "select pg_reload_conf()" >/dev/null
  local lines; lines="$(tail -n +"$((before + 1))" "$pg_log" | grep -E 'LOG:  (statement|execute)' | grep -v 'pg_reload_conf\|alter system' || true)"
  printf '%-28s %3s statements (round trips), %s transactions\n' "$label" "$(grep -c . <<<"$lines" || true)" \
    "$(grep -ciE ': (begin|start transaction)' <<<"$lines" || true)"
  if [[ -n "${VERBOSE:-}" ]]; then sed 's/^/    /' <<<"$lines"; fi
}
echo "== round trips per page view =="
change="update crm_leads set value_cents = value_cents + 100
         where id = (select id from crm_leads order by id limit 1 offset (random() * 1000)::int)"
touch_a_lead() { superuser "$change" "$database"; }
touch_a_lead
count_statements "after a change (renders)" -H "Cookie: $cookie" "$page"
count_statements "next view (kept page)" -H "Cookie: $cookie" "$page"

# WRITES=N: one psql session changing a lead N times a second until the end.
if [[ "${WRITES:-0}" != 0 ]]; then
  interval="$(awk -v n="$WRITES" 'BEGIN { printf "%.3f", 1 / n }')"
  printf '%s\n\\watch %s\n' "$change" "$interval" \
    | PGPASSWORD="$pg_password" "$psql" -qAt -h 127.0.0.1 -p "$pg_port" -U postgres -d "$database" >/dev/null 2>&1 &
  writer_pid=$!
  echo "== a lead changes $WRITES times a second from here on =="
fi

cpu_ticks() { local total=0 pid; for pid in "$@"; do total=$((total + $(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0))); done; echo "$total"; }
server_process="$(pgrep -P "$server_pid" -n server || echo "$server_pid")"
hz="$(getconf CLK_TCK)"
headers=(-H "Cookie: $cookie" -H "Accept-Encoding: br, gzip")

wrk -t2 -c"$connections" -d2s "${headers[@]}" "$page" >/dev/null # warm-up
echo "== throughput: wrk -t2 -c$connections -d$duration --latency -H 'Accept-Encoding: br, gzip' $page =="
postgres="$(pgrep -d ' ' -x postgres || true)"
server_before="$(cpu_ticks "$server_process")"; postgres_before="$(cpu_ticks $postgres)"
out="$(wrk -t2 -c"$connections" -d"$duration" --latency "${headers[@]}" "$page")"
grep -E 'Requests/sec|Transfer/sec|Latency|50%|99%|Non-2xx|Socket errors' <<<"$out"
requests="$(awk '/requests in/ { print $1 }' <<<"$out")"
awk -v s="$(( $(cpu_ticks "$server_process") - server_before ))" -v p="$(( $(cpu_ticks $postgres) - postgres_before ))" \
  -v n="$requests" -v hz="$hz" \
  'BEGIN { printf "  CPU per request: server %.0f µs, PostgreSQL %.0f µs\n", s / hz / n * 1e6, p / hz / n * 1e6 }'
echo "server RSS after wrk: $(ps -o rss= -p "$server_process" | awk '{ printf "%.0f MB", $1 / 1024 }')"

rate="$(awk '/Requests\/sec/ { printf "%d", $2 / 2 }' <<<"$out")"
echo "== fixed rate: $oha -z $duration -c $connections -q $rate --latency-correction --no-tui (Accept-Encoding: br, gzip) =="
"$oha" -z "$duration" -c "$connections" -q "$rate" --latency-correction --no-tui "${headers[@]}" "$page" \
  | grep -E 'Success rate|Requests/sec|Slowest|Fastest|Average|50(\.00)?% in|90(\.00)?% in|99(\.00)?% in|99\.9(0)?% in|\[[0-9]{3}\]'
echo "server RSS after oha: $(ps -o rss= -p "$server_process" | awk '{ printf "%.0f MB", $1 / 1024 }')"
if [[ -n "${writer_pid:-}" ]]; then kill "$writer_pid" 2>/dev/null || true; fi
echo "page cache: $(curl -fsS "$url/metrics" | awk '/^page_cache_total/ { printf "%s ", $0 }')"
