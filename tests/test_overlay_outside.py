"""Parcels that lie outside every grade give an empty set of pieces, not an IndexError."""

from __future__ import annotations

import geopandas as gpd
import shapely

from zones.assess import assess
from zones.periods import TaxPeriod
from zones.zoneset import load_zoneset


def test_all_parcels_outside_every_grade_have_no_pieces():
    zs = load_zoneset("wenzhou-urban-2024")
    x0, y0, x1, y1 = zs.grades.total_bounds
    far = [shapely.box(x1 + 5_000 + 100 * k, y1 + 5_000, x1 + 5_050 + 100 * k, y1 + 5_040) for k in range(3)]
    parcels = gpd.GeoDataFrame(geometry=far, crs=zs.grades.crs)
    a = assess(parcels, zs, TaxPeriod(2025), ids=["A", "B", "C"])
    pieces = a.pieces()
    assert len(pieces) == 0 and {"parcel_index", "grade", "area_m2"} <= set(pieces.columns)
    assert [round(r.area_outside_m2, 6) for r in a.results()] == [2000.0, 2000.0, 2000.0]
