"""Writes a reproducible CSV of n points over Upplands-Bro (lat,lng,time,category) and
the municipality box as GeoJSON, for the side-by-side hotspot comparison."""

import json
import sys

import numpy as np
import pandas as pd

n, points_csv, area_geojson = int(sys.argv[1]), sys.argv[2], sys.argv[3]
rng = np.random.default_rng(2026)
lat = rng.uniform(59.38, 59.68, n)
lng = rng.uniform(17.30, 18.00, n)
# A third of the reports gather around four places, as they do in a real municipality.
clustered = np.arange(n) % 3 == 0
centres = np.array([(59.478, 17.745), (59.511, 17.636), (59.55, 17.55), (59.45, 17.85)])
which = centres[np.arange(n)[clustered] % 4]
lat[clustered] = which[:, 0] + rng.uniform(-0.005, 0.005, clustered.sum())
lng[clustered] = which[:, 1] + rng.uniform(-0.01, 0.01, clustered.sum())
time = pd.Timestamp("2026-01-01", tz="UTC") + pd.to_timedelta(rng.integers(0, 365 * 86400, n), unit="s")
category = rng.choice(["klotter", "belysning", "droghandel", "inbrott"], n)
pd.DataFrame(
    {"lat": lat.round(6), "lng": lng.round(6), "time": time.strftime("%Y-%m-%dT%H:%M:%SZ"), "category": category}
).to_csv(points_csv, index=False)
box = [[17.30, 59.38], [18.00, 59.38], [18.00, 59.68], [17.30, 59.68], [17.30, 59.38]]
with open(area_geojson, "w") as handle:
    json.dump({"type": "Polygon", "coordinates": [box]}, handle)
