"""What the status bar says about a map point: longitude/latitude, the surveyors'
X (northing) / Y (easting) of EPSG:4549, and the grade there."""

from __future__ import annotations

from functools import lru_cache

import shapely
from pyproj import Transformer


@lru_cache(maxsize=4)
def _to_lonlat(crs: str) -> Transformer:
    return Transformer.from_crs(crs, "EPSG:4326", always_xy=True)


def describe_position(x: float, y: float, zoneset=None, crs: str = "EPSG:4549"):
    """(lon °, lat °, X northing m, Y easting m, grade or None) of map point (x = easting, y = northing).

    Chinese survey practice names the northing X and the easting Y, the reverse of the
    map's x/y; the grade comes from the zone set's prepared index (None outside every grade
    or without a zone set)."""
    lon, lat = _to_lonlat(zoneset.crs if zoneset is not None else crs).transform(x, y)
    grade = None
    if zoneset is not None:
        prepared = zoneset.prepared()
        hit = prepared.tree.query(shapely.Point(x, y), predicate="intersects")
        if len(hit):
            grade = int(prepared.grades[prepared.piece_col[hit[0]]])
    return float(lon), float(lat), float(y), float(x), grade
