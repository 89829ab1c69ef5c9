"""A synthetic city for the benchmarks: the bundled Wenzhou grade zones and N
irregular, non-overlapping parcels, generated deterministically from a seed.

Layout (all in EPSG:4549, metres):

- most parcels are lots of a 200 m block grid laid over the zone set: each block is
  cut into k × k lots (k from 1 to 10, so lots of 20–200 m), and each lot holds one
  star-shaped polygon of 5–30 vertices inscribed in it (so lots never overlap);
  areas 100–20,000 m². Lots are drawn with a preference for the city centre
  (weight exp(−d / 8 km) + 0.05, d from grade 1's centroid);
- a fraction ``crossing`` (default 5 %) are strip lots laid across a grade line or
  the edge of the levy scope: narrow star polygons centred on the line and turned
  across it, so they lie in two grades (or partly outside every grade).

Lots that happen to cross a line are dropped from the first group, and lots that
touch a strip lot are dropped too, so the crossing share is exactly what was asked
for (or as close as the lines' length allows: at 1,000,000 parcels the strips are
about 7 m wide). ``python -m benchmarks.synthetic_city N OUT.gpkg [--seed S]``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

BLOCK_M = 200.0
LOT_K = np.array([1, 2, 3, 4, 5, 6, 8, 10])
LOT_P = np.array([0.03, 0.07, 0.10, 0.15, 0.15, 0.15, 0.20, 0.15])
MIN_AREA, MAX_AREA = 100.0, 20_000.0


def star_polygons(rng, cx, cy, ax, ay, angle=None) -> np.ndarray:
    """Star-shaped polygons (5–30 vertices, always simple) centred on (cx, cy) with
    half-extents ``ax`` × ``ay`` metres, turned by ``angle`` radians."""
    n = len(cx)
    nv = rng.integers(5, 31, n)
    out = np.empty(n, dtype=object)
    for m in np.unique(nv):
        sel = np.flatnonzero(nv == m)
        k = len(sel)
        theta = 2 * np.pi * (np.arange(m)[None, :] + rng.uniform(0, 0.8, (k, m))) / m
        r = rng.uniform(0.65, 1.0, (k, m))
        x = r * np.cos(theta) * ax[sel, None]
        y = r * np.sin(theta) * ay[sel, None]
        if angle is not None:
            c, s = np.cos(angle[sel])[:, None], np.sin(angle[sel])[:, None]
            x, y = x * c - y * s, x * s + y * c
        x += cx[sel, None]
        y += cy[sel, None]
        ring = np.stack([np.concatenate([x, x[:, :1]], 1), np.concatenate([y, y[:, :1]], 1)], -1)
        out[sel] = shapely.polygons(shapely.linearrings(ring))
    return out


def block_lots(rng, zones: gpd.GeoDataFrame):
    """All lots of the block grid whose block centre lies in a grade: (geoms, centre distance)."""
    union = shapely.union_all(zones.geometry.values)
    minx, miny, maxx, maxy = union.bounds
    xs = np.arange(minx, maxx, BLOCK_M) + BLOCK_M / 2
    ys = np.arange(miny, maxy, BLOCK_M) + BLOCK_M / 2
    bx, by = (a.ravel() for a in np.meshgrid(xs, ys))
    shapely.prepare(union)
    inside = shapely.contains_xy(union, bx, by)
    bx, by = bx[inside], by[inside]
    k = rng.choice(LOT_K, size=len(bx), p=LOT_P)
    cx: Any = []    # per lot size, then concatenated
    cy: Any = []
    side: Any = []
    for kk in np.unique(k):
        sel = k == kk
        s = BLOCK_M / kk
        off = (np.arange(kk) + 0.5) * s - BLOCK_M / 2
        ox, oy = (a.ravel() for a in np.meshgrid(off, off))
        cx.append((bx[sel, None] + ox[None, :]).ravel())
        cy.append((by[sel, None] + oy[None, :]).ravel())
        side.append(np.full(sel.sum() * kk * kk, s))
    cx, cy, side = np.concatenate(cx), np.concatenate(cy), np.concatenate(side)
    half = side * 0.48
    geoms = star_polygons(rng, cx, cy, half, half)
    return geoms


def strip_lots(rng, zones: gpd.GeoDataFrame, count: int):
    """About ``count`` strip lots laid across the grade lines and the levy scope's edge."""
    lines = shapely.line_merge(shapely.union_all(shapely.boundary(zones.geometry.values)))
    parts = list(getattr(lines, "geoms", [lines]))
    lengths = np.array([p.length for p in parts])
    total = lengths.sum()
    spacing = total / (count * 1.25)
    width = min(0.8 * spacing, 120.0)
    pos_parts: list = []
    pos: Any = []
    for i, (p, L) in enumerate(zip(parts, lengths)):
        n = int(L // spacing)
        if n:
            pos.append((np.arange(n) + 0.5) * spacing + rng.uniform(-0.1, 0.1, n) * spacing)
            pos_parts.append(np.full(n, i))
    pos, part = np.concatenate(pos), np.concatenate(pos_parts)
    geoms_lines = np.array(parts, dtype=object)[part]
    p0 = shapely.get_coordinates(shapely.line_interpolate_point(geoms_lines, np.maximum(pos - 1, 0)))
    p1 = shapely.get_coordinates(shapely.line_interpolate_point(geoms_lines, pos + 1))
    pc = shapely.get_coordinates(shapely.line_interpolate_point(geoms_lines, pos))
    tangent = np.arctan2(p1[:, 1] - p0[:, 1], p1[:, 0] - p0[:, 0])
    n = len(pos)
    lo_depth = max(MIN_AREA * 1.6 / width, 20.0)
    hi_depth = min(MAX_AREA * 0.9 / width, 200.0)
    depth = rng.uniform(lo_depth, max(hi_depth, lo_depth + 1), n)
    shift = rng.uniform(-0.3, 0.3, n) * depth / 2           # how much lies on each side varies
    normal = tangent + np.pi / 2
    cx = pc[:, 0] + np.cos(normal) * shift
    cy = pc[:, 1] + np.sin(normal) * shift
    return star_polygons(rng, cx, cy, np.full(n, width / 2), depth / 2, angle=tangent)


def _crossing(geoms, zones) -> np.ndarray:
    """True where a parcel does not lie wholly inside one grade polygon."""
    tree = shapely.STRtree(zones.geometry.values)
    p, _ = tree.query(geoms, predicate="within")
    out = np.ones(len(geoms), dtype=bool)
    out[p] = False
    return out


def _drop_overlapping(geoms) -> np.ndarray:
    """Indices of a subset of ``geoms`` with no two overlapping (later ones give way)."""
    tree = shapely.STRtree(geoms)
    a, b = tree.query(geoms, predicate="intersects")
    bad = np.unique(np.maximum(a, b)[a != b])
    return np.setdiff1d(np.arange(len(geoms)), bad)


def generate(n: int, seed: int = 20240315, crossing: float = 0.05, zoneset: str = "wenzhou-urban-2024") -> gpd.GeoDataFrame:
    from zones.zoneset import load_zoneset

    zs = load_zoneset(zoneset)
    zones = zs.grades
    rng = np.random.default_rng(seed)
    want_cross = int(round(n * crossing))
    strips = strip_lots(rng, zones, want_cross)
    strips = strips[_drop_overlapping(strips)]
    strips = strips[_crossing(strips, zones)]
    area = shapely.area(strips)
    strips = strips[(area >= MIN_AREA) & (area <= MAX_AREA)]
    take = rng.permutation(len(strips))[:want_cross]
    strips = strips[np.sort(take)]

    lots = block_lots(rng, zones)
    area = shapely.area(lots)
    lots = lots[(area >= MIN_AREA) & (area <= MAX_AREA)]
    lots = lots[~_crossing(lots, zones)]
    hit, _ = shapely.STRtree(strips).query(lots, predicate="intersects")
    lots = np.delete(lots, np.unique(hit))
    # weighted draw without replacement (Efraimidis–Spirakis keys), favouring the centre
    centre = shapely.centroid(zones.geometry.values[list(zones["grade"]).index(1)])
    d = shapely.distance(shapely.centroid(lots), centre)
    w = np.exp(-d / 8000.0) + 0.05
    need = n - len(strips)
    if need > len(lots):
        raise SystemExit(f"only {len(lots)} block lots fit; ask for fewer parcels")
    keys = np.log(rng.uniform(size=len(lots))) / w
    pick = np.sort(np.argpartition(-keys, need - 1)[:need])
    geoms = np.concatenate([lots[pick], strips])
    order = rng.permutation(len(geoms))             # mix strips in, as a register would be
    geoms = geoms[order]
    crosses = np.concatenate([np.zeros(need, bool), np.ones(len(strips), bool)])[order]
    ids = np.char.add("330302", np.char.zfill(np.arange(1, len(geoms) + 1).astype(str), 8))
    uses = np.array(["住宅", "商业", "工业", "办公", "仓储"])[rng.integers(0, 5, len(geoms))]
    return gpd.GeoDataFrame({"parcel_id": ids, "用途": uses, "crosses": crosses}, geometry=geoms, crs=zs.crs)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=20240315)
    ap.add_argument("--crossing", type=float, default=0.05, help="share of parcels across a grade line (0.03–0.08)")
    args = ap.parse_args(argv)
    t = time.perf_counter()
    gdf = generate(args.n, args.seed, args.crossing)
    out = Path(args.out)
    out.unlink(missing_ok=True)
    gdf.to_file(out, layer="parcels", driver="GPKG", engine="pyogrio")
    a = shapely.area(gdf.geometry.values)
    nv = shapely.get_num_coordinates(gdf.geometry.values) - 1
    print(f"{len(gdf)} parcels, {gdf['crosses'].mean():.2%} across a grade line, area {a.min():.0f}–{a.max():.0f} m² "
          f"(median {np.median(a):.0f}), vertices {nv.min()}–{nv.max()}; {time.perf_counter() - t:.1f} s -> {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
