"""Property tests: areas add up; the result does not depend on the input CRS."""

from decimal import Decimal

import geopandas as gpd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from synthetic import CRS, X0, Y0, city
from zones.assess import assess
from zones.periods import TaxPeriod

ZS = city()

coords = st.floats(-200, 2200)
sizes = st.floats(1, 400)


@st.composite
def parcels(draw):
    x, y, w, h = draw(coords), draw(coords), draw(sizes), draw(sizes)
    rot = draw(st.floats(0, 90))
    import shapely.affinity as aff

    return aff.rotate(shapely.box(X0 + x, Y0 + y, X0 + x + w, Y0 + y + h), rot)


@settings(max_examples=60, deadline=None)
@given(st.lists(parcels(), min_size=1, max_size=8))
def test_grade_areas_plus_outside_equal_the_area(geoms):
    a = assess(gpd.GeoSeries(geoms, crs=CRS), ZS, TaxPeriod(2024), check_overlaps=False)
    for i, g in enumerate(geoms):
        r = a.parcel(i)
        assert sum(r.area_by_grade.values()) + r.area_outside_m2 == pytest.approx(g.area, abs=1e-6)


@settings(max_examples=30, deadline=None)
@given(st.lists(parcels(), min_size=1, max_size=5), st.sampled_from(["EPSG:4528", "EPSG:4326", "EPSG:4490", "EPSG:32651"]))
def test_result_does_not_change_when_reprojected(geoms, other):
    base = assess(gpd.GeoSeries(geoms, crs=CRS), ZS, TaxPeriod(2024), check_overlaps=False)
    moved = gpd.GeoSeries(geoms, crs=CRS).to_crs(other)
    again = assess(moved, ZS, TaxPeriod(2024), check_overlaps=False)
    for i in range(len(geoms)):
        a, b = base.parcel(i), again.parcel(i)
        for g in a.area_by_grade:
            assert a.area_by_grade[g] == pytest.approx(b.area_by_grade[g], abs=0.01)
        assert abs(a.due - b.due) <= Decimal("0.01") * len(a.rows)
