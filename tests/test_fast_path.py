"""The fast path (tiled zones, whole parcels taken whole, vectorised money) agrees
with the straightforward ``geopandas.overlay`` on a few thousand parcels of the
bundled Wenzhou zone set: per-parcel areas to 0.01 m², amounts to the fen.
These are agreement tests, not timings (those are in benchmarks/)."""

from decimal import Decimal

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from zones.assess import assess
from zones.money import area2
from zones.periods import TaxPeriod
from zones.tax import TAX_BASE_ROUNDED, TAX_BASES, TaxOptions, gross_amount
from zones.zoneset import load_zoneset

N_INSIDE, N_ACROSS = 2500, 500


def _stars(rng, cx, cy, rx, ry, angle):
    """Star-shaped (always simple) polygons of 5–30 vertices."""
    out = []
    for x0, y0, a, b, t in zip(cx, cy, rx, ry, angle):
        m = int(rng.integers(5, 31))
        th = 2 * np.pi * (np.arange(m) + rng.uniform(0, 0.8, m)) / m
        r = rng.uniform(0.65, 1.0, m)
        x, y = r * np.cos(th) * a, r * np.sin(th) * b
        out.append(shapely.Polygon(np.c_[x0 + x * np.cos(t) - y * np.sin(t), y0 + x * np.sin(t) + y * np.cos(t)]))
    return out


@pytest.fixture(scope="module")
def city():
    """Parcels scattered over the city centre plus parcels laid across the grade lines."""
    zs = load_zoneset("wenzhou-urban-2024")
    rng = np.random.default_rng(7)
    core = zs.grades[zs.grades["grade"] < 3].total_bounds
    cx = rng.uniform(core[0] - 2000, core[2] + 2000, N_INSIDE)
    cy = rng.uniform(core[1] - 2000, core[3] + 2000, N_INSIDE)
    size = rng.uniform(6, 80, N_INSIDE)
    inside = _stars(rng, cx, cy, size, size * rng.uniform(0.5, 1, N_INSIDE), rng.uniform(0, np.pi, N_INSIDE))
    lines = shapely.line_merge(shapely.union_all(shapely.boundary(zs.grades.geometry.values)))
    at = shapely.line_interpolate_point(lines, rng.uniform(0, 1, N_ACROSS), normalized=True)
    xy = shapely.get_coordinates(at)
    across = _stars(rng, xy[:, 0], xy[:, 1], rng.uniform(8, 60, N_ACROSS), rng.uniform(10, 90, N_ACROSS),
                    rng.uniform(0, np.pi, N_ACROSS))
    parcels = gpd.GeoDataFrame({"pid": [f"P{i:05d}" for i in range(N_INSIDE + N_ACROSS)]},
                               geometry=inside + across, crs=zs.crs)
    return zs, parcels


@pytest.fixture(scope="module")
def overlay_areas(city):
    """The plain method: overlay with the whole grade polygons, area, group by parcel and grade."""
    zs, parcels = city
    ov = gpd.overlay(parcels, zs.grades[["grade", "geometry"]], how="intersection", keep_geom_type=True)
    ov["a"] = ov.geometry.area
    return ov.groupby(["pid", "grade"])["a"].sum().unstack(fill_value=0.0).reindex(parcels["pid"], fill_value=0.0)


def test_the_sample_has_parcels_across_grade_lines(city, overlay_areas):
    _, parcels = city
    in_two = ((overlay_areas > 0.01).sum(axis=1) >= 2).sum()
    partly_outside = (overlay_areas.sum(axis=1) < parcels.area.to_numpy() - 0.01).sum()
    assert in_two > 100 and partly_outside > 50


@pytest.mark.parametrize("chunk", [100_000, 700])
def test_areas_agree_with_plain_overlay_to_the_hundredth(city, overlay_areas, chunk):
    zs, parcels = city
    table = assess(parcels, zs, TaxPeriod(2024), ids=list(parcels["pid"]), chunk_size=chunk).table()
    for g in zs.grade_list:
        ours = table[f"area_g{g}_m2"].to_numpy()
        plain = np.array([float(area2(a)) for a in overlay_areas.get(g, pd.Series(0.0, index=overlay_areas.index))])
        assert np.abs(ours - plain).max() <= 0.01 + 1e-9, g
    outside = parcels.area.to_numpy() - overlay_areas.sum(axis=1).to_numpy()
    assert np.abs(table["area_outside_m2"].to_numpy() - np.round(np.maximum(outside, 0), 2)).max() <= 0.01 + 1e-9


@pytest.mark.parametrize("tax_base", TAX_BASES)
def test_amounts_agree_with_plain_overlay_to_the_fen(city, overlay_areas, tax_base):
    zs, parcels = city
    table = assess(parcels, zs, TaxPeriod(2024), ids=list(parcels["pid"]), options=TaxOptions(tax_base=tax_base)).table()
    due = np.zeros(len(parcels), dtype=object)
    base = area2 if tax_base == TAX_BASE_ROUNDED else (lambda a: a)
    for g in zs.grade_list:
        col = overlay_areas[g] if g in overlay_areas else pd.Series(0.0, index=overlay_areas.index)
        # grades with less than the noise floor are not taxed by either path
        plain = [gross_amount(base(a), zs.rates[g], 12) if a > 0.005 else Decimal(0) for a in col]
        ours = [Decimal(f"{v:.2f}") for v in table[f"tax_g{g}"]]
        assert ours == plain, g
        due = due + np.array(plain, dtype=object)
    assert [Decimal(f"{v:.2f}") for v in table["tax_due"]] == list(due)


@pytest.mark.parametrize("tax_base", TAX_BASES)
@pytest.mark.parametrize("months", [12, 7])
def test_vectorised_table_equals_the_decimal_reference(city, tax_base, months):
    """Every plain parcel's row in the vectorised table equals the Decimal reference path
    (``Assessment.parcel``) to the fen, under either tax-base rule."""
    zs, parcels = city
    a = assess(parcels, zs, TaxPeriod(2024), ids=list(parcels["pid"]),
               options=TaxOptions(tax_base=tax_base, months=months))
    table = a.table()
    assert not a._fast["slow"]
    for i in range(len(parcels)):
        r = a.parcel(i)
        by = {row.grade: row for row in r.rows}
        for g in zs.grade_list:
            row = by.get(g)
            assert Decimal(f"{table.at[i, f'tax_g{g}']:.2f}") == (row.gross if row else 0), (i, g)
            assert Decimal(f"{table.at[i, f'area_g{g}_m2']:.2f}") == (row.area_m2 if row else 0), (i, g)
        assert Decimal(f"{table.at[i, 'tax_due']:.2f}") == r.due, i
        if tax_base == TAX_BASE_ROUNDED:   # every printed row multiplies out exactly
            for row in r.rows:
                assert row.gross == (row.area_m2 * row.rate * row.months / 12).quantize(Decimal("0.01"), "ROUND_HALF_UP")


def test_whole_parcels_are_taken_whole_and_the_rest_intersected(city):
    zs, parcels = city
    result = assess(parcels, zs, TaxPeriod(2024))
    whole = result.split.whole
    assert 0.5 < whole.mean() < 1.0
    # a parcel taken whole has all its area in one grade
    assert ((result.split.by_grade[whole] > 0).sum(axis=1) == 1).all()
    np.testing.assert_allclose(result.split.by_grade[whole].sum(axis=1), result.split.area[whole])


def test_pieces_add_up_to_the_split(city):
    zs, parcels = city
    result = assess(parcels.iloc[:600], zs, TaxPeriod(2024), keep_pieces=True)
    pieces = result.pieces()
    by = pieces.groupby(["parcel_index", "grade"])["area_m2"].sum()
    for (i, g), a in by.items():
        assert abs(a - result.split.by_grade[i, zs.grade_list.index(g)]) < 1e-6
