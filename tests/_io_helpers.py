"""Shared builders for the tests/test_io_*.py modules (no fixtures: plain functions)."""

from __future__ import annotations

import geopandas as gpd
import shapely
from shapely.geometry import Polygon

E0, N0 = 564_400.0, 3_100_400.0  # Lucheng, EPSG:4549 (easting, northing)
WENZHOU = (120.4, 27.7, 121.3, 28.2)


def parcels(crs="EPSG:4549") -> gpd.GeoDataFrame:
    """Three Lucheng parcels (one with a courtyard hole) with Chinese attributes, EPSG:4549 metres."""
    a = Polygon([(E0, N0), (E0 + 60, N0), (E0 + 60, N0 + 40), (E0, N0 + 40)],
                [[(E0 + 20, N0 + 10), (E0 + 20, N0 + 20), (E0 + 30, N0 + 20), (E0 + 30, N0 + 10)]])
    b = shapely.box(E0 + 100, N0, E0 + 150.5, N0 + 33.25)
    c = Polygon([(E0 + 200, N0), (E0 + 260, N0 + 5), (E0 + 240, N0 + 50), (E0 + 205, N0 + 45)])
    return gpd.GeoDataFrame(
        {"宗地号": ["330302001001GB00001", "330302001001GB00002", "330302001001GB00003"],
         "权利人": ["温州市鹿城区某某有限公司", "张三", "瓯海区𠀀测试"[:5]],
         "面积": [2300.0, 1679.125, 2000.0], "grade": [1, 2, 3]},
        geometry=[a, b, c], crs=crs)


def same_geoms(left, right, tol=1e-6) -> bool:
    """Geometries equal pairwise after normalisation (ring start and orientation don't matter)."""
    if len(left) != len(right):
        return False
    l = shapely.normalize(shapely.force_2d(gpd.GeoSeries(left).values))
    r = shapely.normalize(shapely.force_2d(gpd.GeoSeries(right).values))
    return all(shapely.equals_exact(a, b, tol) for a, b in zip(l, r))
