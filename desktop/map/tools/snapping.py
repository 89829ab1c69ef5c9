"""Snapping: a click near an existing parcel vertex or a grade line lands exactly on it.

Vertices win over lines (a parcel corner shared by neighbours must coincide
exactly, or the overlay reports slivers). Grade lines are the outlines of the
grade polygons, cut into short pieces behind an STRtree so a query touches few
vertices.
"""

from __future__ import annotations

import numpy as np
import shapely

MAX_LINE_VERTICES = 32


def _chunks(lines) -> list:
    out = []
    for line in lines:
        coords = shapely.get_coordinates(line)
        for i in range(0, max(len(coords) - 1, 0), MAX_LINE_VERTICES - 1):
            out.append(shapely.linestrings(coords[i:i + MAX_LINE_VERTICES]))
    return out


class Snapper:
    def __init__(self):
        self.parcels = np.empty(0, dtype=object)
        self.parcel_tree = None
        self.lines = np.empty(0, dtype=object)
        self.line_tree = None

    def set_parcels(self, geoms, tree=None) -> None:
        self.parcels = np.asarray(geoms, dtype=object)
        self.parcel_tree = tree if tree is not None else (shapely.STRtree(self.parcels) if len(self.parcels) else None)

    def set_zone_lines(self, zone_geoms) -> None:
        parts = []
        for boundary in shapely.boundary(np.asarray(zone_geoms, dtype=object)):
            parts += list(boundary.geoms) if hasattr(boundary, "geoms") else [boundary]
        self.lines = np.array(_chunks(parts), dtype=object)
        self.line_tree = shapely.STRtree(self.lines) if len(self.lines) else None

    def snap(self, x: float, y: float, radius: float, exclude: int | None = None):
        """The snap target nearest (x, y) within ``radius`` metres, vertices first; None if none."""
        point = shapely.Point(x, y)
        best, best_d = None, radius
        vertex_sources = []
        if self.parcel_tree is not None:
            idx = self.parcel_tree.query(point, predicate="dwithin", distance=radius)
            if exclude is not None:
                idx = idx[idx != exclude]
            vertex_sources.append(self.parcels[idx])
        line_idx = self.line_tree.query(point, predicate="dwithin", distance=radius) if self.line_tree is not None \
            else np.empty(0, dtype=np.int64)
        vertex_sources.append(self.lines[line_idx])
        for geoms in vertex_sources:
            if not len(geoms):
                continue
            coords = shapely.get_coordinates(geoms)
            d = np.hypot(coords[:, 0] - x, coords[:, 1] - y)
            i = int(np.argmin(d))
            if d[i] <= best_d:
                best, best_d = (float(coords[i, 0]), float(coords[i, 1])), d[i]
        if best is not None or not len(line_idx):
            return best
        # no vertex near: the nearest point on a grade line
        lines = self.lines[line_idx]
        d = shapely.distance(lines, point)
        i = int(np.argmin(d))
        if d[i] <= radius:
            p = shapely.line_interpolate_point(lines[i], shapely.line_locate_point(lines[i], point))
            return (float(p.x), float(p.y))
        return None
