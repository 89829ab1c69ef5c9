"""Synthetic registers for the batch benchmark at the limit (issue 16), in EPSG:4549.

- :func:`tiling` — a cadastre: a grid of lots of about ``lot_m2`` m² whose corners are
  jittered and *shared* (each lot is the quadrilateral of four shared grid points, so
  neighbours touch along whole edges and at corners, as in a real cadastre), the ``n``
  lots nearest the centre of grade 1 inside the zones' outline; a share ``shared`` of
  them (shared-use parcels, 共用宗) registered a second time with the same outline.
- :func:`overlapping` — independent random star-shaped parcels (5–30 vertices, 100–2,000
  m²) dropped over a square sized so that each overlaps about ``partners`` others.

``python -m benchmarks.cadastre tiling|random N OUT.gpkg [--seed S]``; deterministic.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

SEED = 20240316


def _zones(zoneset: str = "wenzhou-urban-2024"):
    from zones.zoneset import load_zoneset

    return load_zoneset(zoneset)


def tiling(n: int, *, lot_m2: float = 1000.0, shared: float = 0.02, seed: int = SEED) -> gpd.GeoDataFrame:
    zs = _zones()
    rng = np.random.default_rng(seed)
    side = math.sqrt(lot_m2)
    union = shapely.union_all(zs.grades.geometry.values)
    centre = shapely.centroid(zs.grades.geometry.values[list(zs.grades["grade"]).index(1)])
    cx, cy = centre.x, centre.y
    half = math.ceil(math.sqrt(n * 1.6) / 2) + 2            # more cells than needed: the outline cuts some
    while True:
        k = 2 * half + 1
        gx = cx + (np.arange(k + 1) - (k + 1) / 2) * side
        gy = cy + (np.arange(k + 1) - (k + 1) / 2) * side
        px, py = np.meshgrid(gx, gy)                              # shared corners, jittered by up to 30 %
        px = px + rng.uniform(-0.3, 0.3, px.shape) * side
        py = py + rng.uniform(-0.3, 0.3, py.shape) * side
        ring = np.stack([np.stack([px[:-1, :-1], px[:-1, 1:], px[1:, 1:], px[1:, :-1], px[:-1, :-1]], -1),
                         np.stack([py[:-1, :-1], py[:-1, 1:], py[1:, 1:], py[1:, :-1], py[:-1, :-1]], -1)], -1)
        lots = shapely.polygons(shapely.linearrings(ring.reshape(-1, 5, 2)))
        centres = shapely.centroid(lots)
        shapely.prepare(union)
        inside = shapely.contains(union, centres)
        lots, centres = lots[inside], centres[inside]
        if len(lots) >= n:
            break
        half = int(half * 1.3) + 1
    d = shapely.distance(centres, centre)
    base = round(n / (1 + shared))
    pick = np.sort(np.argsort(d, kind="stable")[:base])
    lots = lots[pick]
    twice = np.sort(rng.choice(base, n - base, replace=False))
    geoms = np.concatenate([lots, lots[twice]])
    order = rng.permutation(len(geoms))                      # the second registration lies elsewhere in the file
    geoms = geoms[order]
    return _frame(geoms, zs, rng)


def overlapping(n: int, *, partners: float = 8.0, seed: int = SEED) -> gpd.GeoDataFrame:
    from benchmarks.synthetic_city import star_polygons

    zs = _zones()
    rng = np.random.default_rng(seed)
    area = rng.uniform(100.0, 2000.0, n)
    ax = np.sqrt(area) * rng.uniform(0.5, 0.9, n)
    ay = area / ax / 2.6
    ax = ax / 1.3
    # Two random parcels overlap when their centres are within about the sum of their
    # sizes: a square of side S holds n parcels each overlapping ~partners others.
    reach = np.mean(ax + ay) * 1.1
    s = math.sqrt(n * math.pi * reach ** 2 / partners)
    centre = shapely.centroid(zs.grades.geometry.values[list(zs.grades["grade"]).index(1)])
    cx = centre.x + rng.uniform(-s / 2, s / 2, n)
    cy = centre.y + rng.uniform(-s / 2, s / 2, n)
    geoms = star_polygons(rng, cx, cy, ax, ay, angle=rng.uniform(0, np.pi, n))
    return _frame(geoms, zs, rng)


def _frame(geoms, zs, rng) -> gpd.GeoDataFrame:
    ids = np.char.add("330302", np.char.zfill(np.arange(1, len(geoms) + 1).astype(str), 8))
    uses = np.array(["住宅", "商业", "工业", "办公", "仓储"])[rng.integers(0, 5, len(geoms))]
    return gpd.GeoDataFrame({"parcel_id": ids, "用途": uses}, geometry=geoms, crs=zs.crs)


def crossing_share(geoms, zones_path_or_set=None) -> float:
    zs = _zones() if zones_path_or_set is None else zones_path_or_set
    tree = shapely.STRtree(zs.grades.geometry.values)
    p, _ = tree.query(geoms, predicate="within")
    return 1 - len(np.unique(p)) / len(geoms)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("kind", choices=("tiling", "random"))
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=SEED)
    args = ap.parse_args(argv)
    t = time.perf_counter()
    gdf = tiling(args.n, seed=args.seed) if args.kind == "tiling" else overlapping(args.n, seed=args.seed)
    out = Path(args.out)
    out.unlink(missing_ok=True)
    gdf.to_file(out, layer="parcels", driver="GPKG", engine="pyogrio")
    a = shapely.area(gdf.geometry.values)
    print(f"{args.kind}: {len(gdf)} parcels, {crossing_share(gdf.geometry.values):.2%} across a grade line or the scope's "
          f"edge, area {a.min():.0f}–{a.max():.0f} m² (median {np.median(a):.0f}); {time.perf_counter() - t:.1f} s -> {out}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
