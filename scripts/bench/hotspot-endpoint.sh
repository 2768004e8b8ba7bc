#!/usr/bin/env bash
# Server time of the lägesbild's hotspot request for a year of data: a release server on a
# fresh SQLite database with N observations (default 100 000) spread over a year, asked
# 20 times by a signed-in police officer. Prints the Server-Timing and wall-clock median.
#
#   scripts/bench/hotspot-endpoint.sh [observations]
set -euo pipefail
cd "$(dirname "$0")/../.."

n=${1:-100000}
target=${CARGO_TARGET_DIR:-target}
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; [ -n "${KEEP_LOG:-}" ] && cp "$work/server.log" "$KEEP_LOG"; rm -rf "$work"' EXIT

cargo build --release -p server --bin tryggkarta
bin=$target/release/tryggkarta

export DATABASE_URL="sqlite://$work/bench.db?mode=rwc" TRYGGKARTA_LISTEN=127.0.0.1:3917 \
  TRYGGKARTA_ADMIN_PASSWORD=bench-admin-lösenord RUST_LOG=${RUST_LOG:-warn}
"$bin" serve > "$work/server.log" 2>&1 &
server=$!
until curl -sf http://127.0.0.1:3917/api/v1/health > /dev/null; do sleep 0.2; done
printf 'bench-polis-lösenord\n' | "$bin" user add --email polis@bench.test --role police > /dev/null

python3 - "$work/bench.db" "$n" <<'PY'
import random, sqlite3, sys, time, uuid
db, n = sys.argv[1], int(sys.argv[2])
conn = sqlite3.connect(db)
reporter = conn.execute("select id from account where email = 'polis@bench.test'").fetchone()[0]
categories = conn.execute("select id, kind, strategy_area, sensitivity from category").fetchall()
rng = random.Random(2026)
now = int(time.time() * 1000)
year = 365 * 24 * 3600 * 1000
centres = [(59.478, 17.745), (59.511, 17.636), (59.55, 17.55), (59.45, 17.85)]
rows = []
for i in range(n):
    if i % 3 == 0:
        lat, lng = centres[i % 4]
        lat, lng = lat + rng.uniform(-0.005, 0.005), lng + rng.uniform(-0.01, 0.01)
    else:
        lat, lng = rng.uniform(59.40, 59.66), rng.uniform(17.32, 17.98)
    cid, kind, area, sensitivity = categories[i % len(categories)]
    rid = str(uuid.uuid4())
    rows.append((rid, rid, kind, cid, "", lat, lng, 10.0, "gps", now - rng.randrange(year),
                 reporter, area, sensitivity, "new", str(i), now, now))
conn.executemany(
    "insert into observation (id, client_id, kind, category_id, note, lat, lng, accuracy_m, position_source,"
    " observed_at, reporter_id, strategy_area, sensitivity, status, content_hash, created_at, updated_at)"
    " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
conn.commit()
PY

jar=$work/cookies
curl -sf -c "$jar" -H 'content-type: application/json' \
  -d '{"email":"polis@bench.test","password":"bench-polis-lösenord"}' http://127.0.0.1:3917/api/v1/session > /dev/null
from=$(date -d '364 days ago' +%F)
to=$(date +%F)
url="http://127.0.0.1:3917/api/v1/hotspots?from=$from&to=$to&slice=month"
curl -sf -b "$jar" "$url" > /dev/null   # first request builds the grid once
for _ in $(seq 20); do
  curl -s -b "$jar" -o /dev/null -D - -w 'wall=%{time_total}\n' "$url" | tr -d '\r' |
    awk -F'[=;]' '/^server-timing/ { server=$3 } /^wall=/ { printf "%s %.1f\n", server, $2 * 1000 }'
done | sort -n | awk -v n="$n" '{ s[NR]=$1; w[NR]=$2 } END {
  printf "observations: %d over a year\nhotspot request, median of %d: server %.1f ms (wall clock of that request %.1f ms; slowest server %.1f ms)\n",
    n, NR, s[int((NR+1)/2)], w[int((NR+1)/2)], s[NR] }'
