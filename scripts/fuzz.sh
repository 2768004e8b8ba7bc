#!/usr/bin/env bash
# Runs each cargo-fuzz target (fuzz/fuzz_targets) for FUZZ_SECONDS (default 30) with
# AddressSanitizer, on nightly. A crash stops the run and leaves the input that caused it
# under fuzz/artifacts/<target>/; `cargo +nightly fuzz run <target> <file>` replays it.
#
# The corpora grow in the build cache (CARGO_TARGET_DIR), never in the repository; each
# run starts from a few seeds written here, so a fresh machine needs nothing else.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
export PATH="$HOME/.cargo/bin:$PATH"

seconds=${FUZZ_SECONDS:-30}
target_dir=$(realpath -m "${CARGO_TARGET_DIR:-../target}")/fuzz
corpora="$target_dir/corpus"
mkdir -p "$corpora"/{photo,hotspot_csv,observation_json}

# Seeds: a small PNG (written by Python's standard library), a CSV as analysts export it,
# an observation as a phone sends it.
python3 - "$corpora/photo/seed.png" <<'PY'
import struct, sys, zlib
width, height = 3, 2
rows = b"".join(b"\x00" + bytes([200, 40, 40] * width) for _ in range(height))
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
       + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
open(sys.argv[1], "wb").write(png)
PY
printf 'id,lat,lng,category\n1,59.51,17.63,drug.dealing\n2,"59,52","17,64",x\n3,inte,17.6,y\n' \
  > "$corpora/hotspot_csv/seed.csv"
cat > "$corpora/observation_json/seed.json" <<'JSON'
{"id":"0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b","kind":"drug_scene","category":"drug.dealing","note":"Försäljning vid busshållplatsen","lat":59.5113,"lng":17.6358,"accuracy_m":12.5,"position_source":"gps","observed_at":"2026-11-26T10:00:00Z","time_of_day":"evening"}
JSON

for target in photo hotspot_csv observation_json; do
  echo "==> cargo fuzz: $target, ${seconds} s"
  cargo +nightly fuzz run --target-dir "$target_dir" "$target" "$corpora/$target" -- \
    -max_total_time="$seconds" -rss_limit_mb=4096 -timeout=20 -print_final_stats=1
done
