"""Exact ring-level edits of a parcel polygon, addressed as (part, ring, vertex index):
part 0 for a Polygon, ring 0 the outline and ring k the k-th hole, vertex indices
without the closing repeat. Each function returns a new geometry; none mutates."""

from __future__ import annotations

import numpy as np
import shapely


def parts(geom) -> list:
    return list(geom.geoms) if geom.geom_type == "MultiPolygon" else [geom]


def rings(geom):
    """Yield (part, ring, coords N×2 without the closing repeat) of every ring."""
    for p, poly in enumerate(parts(geom)):
        for r, ring in enumerate([poly.exterior, *poly.interiors]):
            yield p, r, np.asarray(ring.coords)[:-1, :2]


def _rebuild(geom, part: int, ring: int, coords) -> object:
    polys = parts(geom)
    poly = polys[part]
    all_rings = [np.asarray(r.coords)[:, :2] for r in [poly.exterior, *poly.interiors]]
    all_rings[ring] = np.asarray(coords, dtype=float)
    polys[part] = shapely.Polygon(all_rings[0], all_rings[1:])
    return polys[0] if geom.geom_type == "Polygon" else shapely.MultiPolygon(polys)


def ring_coords(geom, part: int, ring: int) -> np.ndarray:
    for p, r, coords in rings(geom):
        if (p, r) == (part, ring):
            return coords
    raise IndexError(f"no ring {ring} in part {part}")


def move_vertex(geom, part, ring, index, xy):
    coords = ring_coords(geom, part, ring).copy()
    coords[index] = xy
    return _rebuild(geom, part, ring, coords)


def insert_vertex(geom, part, ring, index, xy):
    """Insert ``xy`` so that it becomes vertex ``index`` of the ring."""
    coords = np.insert(ring_coords(geom, part, ring), index, xy, axis=0)
    return _rebuild(geom, part, ring, coords)


def delete_vertex(geom, part, ring, index):
    coords = np.delete(ring_coords(geom, part, ring), index, axis=0)
    if len(coords) < 3:
        raise ValueError("a ring needs at least three vertices")
    return _rebuild(geom, part, ring, coords)


def nearest_vertex(geom, x, y, radius):
    """(part, ring, index, (vx, vy)) of the vertex nearest (x, y) within ``radius``, or None."""
    best, best_d = None, radius
    for p, r, coords in rings(geom):
        d = np.hypot(coords[:, 0] - x, coords[:, 1] - y)
        i = int(np.argmin(d))
        if d[i] <= best_d:
            best, best_d = (p, r, i, (float(coords[i, 0]), float(coords[i, 1]))), d[i]
    return best


def nearest_edge(geom, x, y, radius):
    """(part, ring, insert index, (px, py) the nearest point on the edge) within ``radius``, or None."""
    best, best_d = None, radius
    for p, r, coords in rings(geom):
        a, b = coords, np.roll(coords, -1, axis=0)
        ab = b - a
        length2 = np.maximum((ab ** 2).sum(axis=1), 1e-18)
        t = np.clip(((x - a[:, 0]) * ab[:, 0] + (y - a[:, 1]) * ab[:, 1]) / length2, 0.0, 1.0)
        px, py = a[:, 0] + t * ab[:, 0], a[:, 1] + t * ab[:, 1]
        d = np.hypot(px - x, py - y)
        i = int(np.argmin(d))
        if d[i] <= best_d:
            best, best_d = (p, r, i + 1, (float(px[i]), float(py[i]))), d[i]
    return best


def part_containing(geom, hole) -> int | None:
    """The part whose area (holes excluded) wholly contains ``hole``."""
    for p, poly in enumerate(parts(geom)):
        if shapely.Polygon(poly.exterior).contains(hole) and all(
                not shapely.Polygon(i).intersects(hole) for i in poly.interiors):
            return p
    return None


def add_hole(geom, part: int, hole):
    """(new geometry, ring number of the new hole)."""
    polys = parts(geom)
    poly = polys[part]
    interiors = [np.asarray(i.coords)[:, :2] for i in poly.interiors]
    interiors.append(np.asarray(hole.exterior.coords)[:, :2])
    polys[part] = shapely.Polygon(poly.exterior, interiors)
    out = polys[0] if geom.geom_type == "Polygon" else shapely.MultiPolygon(polys)
    return out, len(interiors)
