#!/usr/bin/env bash
# Side by side on one file: `tryggkarta hotspots` (release build) against the Python route
# an analyst would take (pandas -> h3 -> libpysal -> esda Gi*), and the ratio of the two.
# Both results are checked to agree cell by cell before any time counts.
#
#   scripts/bench/compare-python.sh [points]      default 1 000 000
set -euo pipefail
cd "$(dirname "$0")/../.."

n=${1:-1000000}
work=${TMPDIR:-/tmp}/tryggkarta-compare
venv=${TRYGGKARTA_PYBENCH:-$HOME/.cache/tryggkarta/pybench}
target=${CARGO_TARGET_DIR:-target}
mkdir -p "$work"

if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install -q -r scripts/bench/requirements.txt

cargo build --release -p server --bin tryggkarta
bin=$target/release/tryggkarta

if [ ! -f "$work/points-$n.csv" ]; then
  "$venv/bin/python" scripts/bench/make_points.py "$n" "$work/points-$n.csv" "$work/area.geojson"
fi

now() { date +%s.%N; }

start=$(now)
"$bin" hotspots --input "$work/points-$n.csv" --area "$work/area.geojson" --format csv > "$work/rust.csv"
rust=$(echo "$(now) - $start" | bc)

start=$(now)
"$venv/bin/python" scripts/bench/hotspots_python.py "$work/points-$n.csv" "$work/area.geojson" "$work/python.csv"
python=$(echo "$(now) - $start" | bc)

"$venv/bin/python" - "$work/rust.csv" "$work/python.csv" <<'PY'
import sys
import numpy as np
import pandas as pd
rust = pd.read_csv(sys.argv[1]).set_index("h3").sort_index()
python = pd.read_csv(sys.argv[2]).set_index("h3").sort_index()
assert list(rust.index) == list(python.index), "the two runs analysed different cells"
assert (rust["count"] == python["count"]).all(), "counts differ"
assert np.allclose(rust.z, python.z, atol=1e-9), "z-scores differ"
assert np.allclose(rust.p_fdr, python.p_fdr, atol=1e-9), "FDR p-values differ"
print(f"same result: {len(rust)} cells, {int(rust['count'].sum())} points counted")
PY

printf 'points: %s\ntryggkarta hotspots: %.2f s\npython (h3 + libpysal + esda): %.2f s\nratio: %.1fx\n' \
  "$n" "$rust" "$python" "$(echo "$python / $rust" | bc -l)"
