//! The engine's speed targets (issue 4): on one core, 100 000 points → Gi* + FDR in
//! ≤ 30 ms and 1 000 000 points in ≤ 250 ms, over the municipality at resolution 9.
//! Run with `cargo bench -p hotspot`; the numbers go to docs/performance.md.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use geo::{Coord, MultiPolygon, Rect};
use hotspot::grid::{self, Grid};
use hotspot::{kde, trend};

/// The default study area: Upplands-Bro's box from the settings (about 1 300 km²).
fn municipality() -> MultiPolygon<f64> {
    MultiPolygon::new(vec![Rect::new(
        Coord { x: 17.30, y: 59.38 },
        Coord { x: 18.00, y: 59.68 },
    )
    .to_polygon()])
}

/// Deterministic points: two thirds spread over the area, a third in a few clusters,
/// as reports are in a real municipality.
fn points(n: usize) -> Vec<(f64, f64)> {
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        (state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    };
    let centres = [(59.478, 17.745), (59.511, 17.636), (59.55, 17.55), (59.45, 17.85)];
    (0..n)
        .map(|i| {
            if i % 3 == 0 {
                let (lat, lng) = centres[i % centres.len()];
                (lat + (next() - 0.5) * 0.01, lng + (next() - 0.5) * 0.02)
            } else {
                (59.38 + next() * 0.30, 17.30 + next() * 0.70)
            }
        })
        .collect()
}

fn engine(c: &mut Criterion) {
    let area = municipality();
    let res = grid::resolution(9).unwrap();
    let mut group = c.benchmark_group("gi_star_fdr_res9");
    group.sample_size(20);
    for n in [100_000, 1_000_000] {
        let pts = points(n);
        // Everything: the study area's cells, neighbourhoods, binning, Gi*, FDR, classes.
        group.bench_with_input(BenchmarkId::new("from_scratch", n), &pts, |b, pts| {
            b.iter(|| grid::hotspots(black_box(pts), Some(&area), res, 1).unwrap())
        });
        // What the server does per request once the grid of its study area is built.
        let prepared = Grid::new(&area, res, 1).unwrap();
        group.bench_with_input(BenchmarkId::new("prepared_grid", n), &pts, |b, pts| {
            b.iter(|| prepared.analyse(&prepared.count(black_box(pts))))
        });
    }
    group.finish();
}

fn layers(c: &mut Criterion) {
    let area = municipality();
    let prepared = Grid::new(&area, grid::resolution(9).unwrap(), 1).unwrap();
    let pts = points(100_000);
    let mut group = c.benchmark_group("layers_100k");
    group.sample_size(20);
    group.bench_function("kde_surface", |b| b.iter(|| kde::surface(black_box(&pts), None)));
    // A year in 12 monthly slices.
    let slices: Vec<Vec<u32>> = pts
        .chunks(pts.len() / 12)
        .map(|chunk| prepared.count(chunk))
        .collect();
    group.bench_function("emerging_12_slices", |b| {
        b.iter(|| trend::emerging(&prepared, black_box(&slices)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, engine, layers);
criterion_main!(benches);
