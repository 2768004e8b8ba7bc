#!/usr/bin/env bash
# Observation ingest under load: a release server on a fresh SQLite file or PostgreSQL
# database, 16 signed-in volunteers (each request is sent as the next of them, so
# sessions are read as many phones would have them read), wrk posting new drug-scene
# reports (each its own id) over 64 connections for 20 seconds. Prints requests per
# second and latency percentiles, and checks that the database holds exactly as many reports as were answered 201.
#
#   scripts/bench/ingest.sh [sqlite|postgres] [connections] [seconds]
set -euo pipefail
cd "$(dirname "$0")/../.."

database=${1:-sqlite}
connections=${2:-64}
seconds=${3:-20}
target=${CARGO_TARGET_DIR:-target}
work=$(mktemp -d)
port=3918
pg_name=""
cleanup() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  [ -n "$pg_name" ] && psql -q postgres://postgres@localhost/test -c "drop database if exists $pg_name" > /dev/null 2>&1
  [ -n "${KEEP_LOG:-}" ] && cp "$work/server.log" "$KEEP_LOG"
  rm -rf "$work"
}
trap cleanup EXIT
command -v wrk > /dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

[ -x "$target/release/tryggkarta" ] || cargo build --release -p server --bin tryggkarta
bin=$target/release/tryggkarta

case "$database" in
  sqlite) url="sqlite://$work/bench.db?mode=rwc" ;;
  postgres)
    pg_name="tk_bench_$(date +%s)"
    psql -q postgres://postgres@localhost/test -c "create database $pg_name" > /dev/null
    url="postgres://postgres@localhost/$pg_name" ;;
  *) echo "sqlite or postgres" >&2; exit 2 ;;
esac

# The per-user submission limit (120 a minute) would measure the limit, not the capacity:
# one account stands in for many phones here.
export DATABASE_URL="$url" TRYGGKARTA_LISTEN=127.0.0.1:$port TRYGGKARTA_SUBMISSIONS_PER_MINUTE=100000000 \
  TRYGGKARTA_ADMIN_PASSWORD=bench-admin-lösenord RUST_LOG=${RUST_LOG:-warn}
"$bin" serve > "$work/server.log" 2>&1 &
server=$!
until curl -sf http://127.0.0.1:$port/api/v1/health > /dev/null; do sleep 0.2; done
volunteers=16
for n in $(seq 1 $volunteers); do
  printf 'bench-förarens-lösenord\n' | "$bin" user add --email "forare$n@bench.test" --role volunteer > /dev/null
  curl -sf -D - -o /dev/null -H 'content-type: application/json' \
    -d "{\"email\":\"forare$n@bench.test\",\"password\":\"bench-förarens-lösenord\"}" \
    http://127.0.0.1:$port/api/v1/session | tr -d '\r' | awk -F'[ ;]' 'tolower($1) == "set-cookie:" { print $2 }'
done > "$work/cookies"
[ "$(grep -c = "$work/cookies")" = $volunteers ] || { echo "could not sign the volunteers in" >&2; exit 1; }

echo "ingest on $database, $volunteers volunteers, $connections connections, ${seconds}s ($(nproc) cores, $(git rev-parse --short HEAD))"
COOKIES="$work/cookies" wrk -t2 -c"$connections" -d"${seconds}s" --latency -s scripts/bench/ingest.lua \
  http://127.0.0.1:$port/api/v1/observations | tee "$work/wrk.txt" | grep -E '^(requests|latency|errors|Requests/sec)'

answered=$(awk -F'[:,]' '/^requests:/ { gsub(/ /, "", $2); print $2 }' "$work/wrk.txt")
if [ "$database" = sqlite ]; then
  stored=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from observation').fetchone()[0])" "$work/bench.db")
else
  stored=$(psql -tA "$url" -c 'select count(*) from observation')
fi
echo "stored: $stored reports for $answered answered requests"
if grep -q panicked "$work/server.log"; then echo "the server panicked" >&2; exit 1; fi
