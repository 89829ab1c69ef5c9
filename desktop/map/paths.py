"""Shapely polygons → matplotlib paths, fast enough for 100 000 parcels.

Every ring of every polygon is stored once in one vertex array; the compound
path of any subset of polygons is cut out of it with a few numpy operations, so
a layer is one matplotlib artist whatever the number of parcels. Rings are
oriented (shells counter-clockwise, holes clockwise) so the non-zero fill rule
of Agg leaves holes empty.
"""

from __future__ import annotations

import numpy as np
import shapely
from matplotlib.path import Path

_EMPTY = shapely.Polygon()


def _polygonal(geoms) -> np.ndarray:
    """Polygons and multipolygons as given; anything else (None, lines, collections) becomes empty."""
    geoms = np.asarray(geoms, dtype=object).ravel()
    out = np.empty(len(geoms), dtype=object)
    kind = shapely.get_type_id(geoms)       # -1 for None
    kept = np.isin(kind, (_POLYGON, _MULTIPOLYGON)) & ~shapely.is_empty(geoms)
    out[kept] = geoms[kept]                 # a district's outlines: all of them, in C
    for i in np.flatnonzero(~kept).tolist():
        out[i] = _polygonal_part(geoms[i])
    return out


_POLYGON, _MULTIPOLYGON = int(shapely.GeometryType.POLYGON), int(shapely.GeometryType.MULTIPOLYGON)


def _polygonal_part(g):
    """The polygonal part of one geometry that is not a (non-empty) polygon or multipolygon."""
    if g is None or g.is_empty:
        return _EMPTY
    if g.geom_type in ("Polygon", "MultiPolygon"):
        return g
    parts = [p for p in getattr(g, "geoms", []) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else _EMPTY


class PathStore:
    """The rings of ``n`` polygons; :meth:`path` gives the compound path of any subset."""

    def __init__(self, geoms):
        geoms = _polygonal(geoms)
        self.n = len(geoms)
        if self.n == 0 or shapely.is_empty(geoms).all():
            self.coords = np.zeros((0, 2))
            self.codes = np.zeros(0, dtype=Path.code_type)
            self.vstart = self.vend = np.zeros(self.n, dtype=np.int64)
            return
        if _single_rings(geoms):
            # every outline one ring (a district's parcels): its coordinates are the ring, in one
            # call each, without the ring objects shapely.to_ragged_array makes (0.15 s at 100,000)
            ring_off = np.zeros(self.n + 1, dtype=np.int64)
            np.cumsum(shapely.get_num_coordinates(geoms), out=ring_off[1:])
            coords = _counter_clockwise(shapely.get_coordinates(geoms), ring_off)
            geom_ring = np.arange(self.n + 1, dtype=np.int64)
        else:
            geoms = shapely.orient_polygons(geoms, exterior_cw=False)
            kind, coords, offsets = shapely.to_ragged_array(geoms)
            if kind == shapely.GeometryType.POLYGON:
                ring_off, geom_ring = offsets
            else:  # MULTIPOLYGON: geometry → parts → rings
                ring_off, part_ring, geom_part = offsets
                geom_ring = part_ring[geom_part]
        self.coords = np.ascontiguousarray(coords[:, :2], dtype=float)
        self.codes = np.full(len(coords), Path.LINETO, dtype=Path.code_type)
        self.codes[ring_off[:-1]] = Path.MOVETO
        self.vstart = ring_off[geom_ring[:-1]].astype(np.int64)
        self.vend = ring_off[geom_ring[1:]].astype(np.int64)

    def vertex_index(self, idx) -> np.ndarray:
        """Positions in :attr:`coords` of the vertices of polygons ``idx`` (in that order)."""
        idx = np.asarray(idx, dtype=np.int64)
        if not len(idx):
            return np.zeros(0, dtype=np.int64)
        starts, lengths = self.vstart[idx], self.vend[idx] - self.vstart[idx]
        total = int(lengths.sum())
        # arange over the concatenated ranges: offset of each range's start, repeated per vertex
        shift = np.repeat(starts - np.r_[0, np.cumsum(lengths)[:-1]], lengths)
        return shift + np.arange(total, dtype=np.int64)

    def path(self, idx=None) -> Path:
        """One compound path of polygons ``idx`` (all when None)."""
        if idx is None:
            return Path(self.coords, self.codes) if len(self.coords) else Path(np.zeros((0, 2)))
        vi = self.vertex_index(idx)
        if not len(vi):
            return Path(np.zeros((0, 2)))
        return Path(self.coords[vi], self.codes[vi])


def _single_rings(geoms) -> bool:
    """Every geometry a non-empty polygon without holes: one ring each."""
    return bool((shapely.get_type_id(geoms) == _POLYGON).all() and not shapely.is_empty(geoms).any()
                and not shapely.get_num_interior_rings(geoms).any())


def _counter_clockwise(coords: np.ndarray, ring_off: np.ndarray) -> np.ndarray:
    """``coords`` of closed rings (ring k: rows ``ring_off[k]:ring_off[k + 1]``), each clockwise
    ring reversed — what ``shapely.orient_polygons(…, exterior_cw=False)`` does to polygons
    without holes, without making 100,000 new polygons. The shoelace sum of each ring, taken
    relative to its first vertex so the large map coordinates lose no precision, gives its turn."""
    lengths = np.diff(ring_off)
    first = np.repeat(ring_off[:-1], lengths)
    x, y = coords[:, 0] - coords[first, 0], coords[:, 1] - coords[first, 1]
    cross = np.zeros(len(coords))
    cross[:-1] = x[:-1] * y[1:] - x[1:] * y[:-1]
    cross[ring_off[1:] - 1] = 0.0          # a ring's last vertex and the next ring's first: no edge
    clockwise = np.add.reduceat(cross, ring_off[:-1]) < 0
    if not clockwise.any():
        return coords
    at = np.arange(len(coords))
    last = np.repeat(ring_off[1:] - 1, lengths)
    return coords[np.where(np.repeat(clockwise, lengths), first + last - at, at)]


def geometry_path(geoms) -> Path:
    """One compound path of a few polygons (zones, selection, hole preview)."""
    if geoms is None:
        return Path(np.zeros((0, 2)))
    if not isinstance(geoms, (list, tuple, np.ndarray)):
        geoms = [geoms]
    return PathStore(geoms).path()


def line_segments(geoms) -> list[np.ndarray]:
    """The vertex arrays of every line part, for a LineCollection."""
    out = []
    for g in np.asarray(geoms, dtype=object).ravel():
        if g is None or g.is_empty:
            continue
        if g.geom_type in ("Polygon", "MultiPolygon"):
            g = shapely.boundary(g)
        parts = g.geoms if hasattr(g, "geoms") else [g]
        for part in parts:
            if part.geom_type in ("LineString", "LinearRing"):
                out.append(np.asarray(part.coords)[:, :2])
            elif hasattr(part, "geoms"):
                out.extend(line_segments([part]))
    return out
