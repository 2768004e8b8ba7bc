"""The Python route to Gi* hotspots: read CSV -> h3 -> libpysal weights -> esda Gi*.

Same analysis as `tryggkarta hotspots`: every resolution-r cell whose centre lies in the
study area, binary weights over grid_disk(k) including the cell itself, Gi* (star),
two-sided normal p-values, Benjamini-Hochberg FDR. Writes h3,count,z,p,p_fdr as CSV.

    python hotspots_python.py points.csv area.geojson out.csv [resolution] [k]
"""

import json
import sys

import h3
import numpy as np
import pandas as pd
from esda.getisord import G_Local
from libpysal.weights import W
from scipy.stats import norm


def main(points_csv, area_geojson, out_csv, resolution=9, k=1):
    frame = pd.read_csv(points_csv, usecols=["lat", "lng"])
    with open(area_geojson) as handle:
        geometry = json.load(handle)
    shape = h3.geo_to_h3shape(geometry)
    cells = sorted(h3.h3shape_to_cells(shape, resolution))
    index = {cell: i for i, cell in enumerate(cells)}

    binned = [h3.latlng_to_cell(lat, lng, resolution) for lat, lng in zip(frame.lat.values, frame.lng.values)]
    counts = pd.Series(binned).value_counts()
    y = np.zeros(len(cells))
    for cell, count in counts.items():
        position = index.get(cell)
        if position is not None:
            y[position] = count

    neighbours = {
        i: [index[n] for n in h3.grid_disk(cell, k) if n in index and n != cell] for i, cell in enumerate(cells)
    }
    weights = W(neighbours, silence_warnings=True)
    g = G_Local(y, weights, transform="B", star=True, permutations=0)
    z = g.Zs
    p = 2 * norm.sf(np.abs(z))
    order = np.argsort(p)
    ranked = p[order] * len(p) / np.arange(1, len(p) + 1)
    adjusted = np.minimum.accumulate(ranked[::-1])[::-1]
    p_fdr = np.empty_like(p)
    p_fdr[order] = np.minimum(adjusted, 1.0)
    pd.DataFrame({"h3": cells, "count": y.astype(int), "z": z, "p": p, "p_fdr": p_fdr}).to_csv(out_csv, index=False)


if __name__ == "__main__":
    args = sys.argv[1:]
    main(args[0], args[1], args[2], *(int(a) for a in args[3:]))
