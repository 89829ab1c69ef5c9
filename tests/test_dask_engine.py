"""``--engine dask``: the partitioned run on a local cluster gives exactly the
single-process results — table, flags, notes, errors, pieces — including
overlaps between parcels that land in different partitions."""

import sys
from decimal import Decimal

import geopandas as gpd
import numpy as np
import pytest
import shapely

from zones.assess import assess
from zones.errors import InputError
from zones.periods import TaxPeriod, YearMonth
from zones.reliefs import ReliefClaim, load_catalogue
from zones.tax import ParcelTerms
from zones.zoneset import load_zoneset

N = 1500


@pytest.fixture(scope="module")
def case():
    zs = load_zoneset("wenzhou-urban-2024")
    rng = np.random.default_rng(11)
    core = zs.grades[zs.grades["grade"] < 3].total_bounds
    x = rng.uniform(core[0], core[2], N)
    y = rng.uniform(core[1], core[3], N)
    w = rng.uniform(10, 120, N)
    geoms = shapely.box(x, y, x + w, y + rng.uniform(10, 120, N))
    # overlapping pairs spread over the city, so some straddle partitions
    geoms[1::97] = shapely.buffer(geoms[0:-1:97][: len(geoms[1::97])], 5)
    geoms[5] = shapely.Polygon([(x[5], y[5]), (x[5] + 50, y[5] + 50), (x[5] + 50, y[5]), (x[5], y[5] + 50)])  # bow-tie
    parcels = gpd.GeoDataFrame({"pid": [f"Z{i}" for i in range(N)]}, geometry=geoms, crs=zs.crs).to_crs(4326)
    terms = [None] * N
    terms[3] = ParcelTerms(declared_area_m2=Decimal("1000.00"))
    terms[7] = ParcelTerms(liable_from=YearMonth(2024, 7))
    terms[9] = ParcelTerms(reliefs=(ReliefClaim("NO-SUCH-CODE"),))
    kwargs = dict(ids=list(parcels["pid"]), terms=terms, catalogue=load_catalogue(), record_errors={11: "bad month"})
    return zs, parcels, kwargs


@pytest.fixture(scope="module")
def both(case):
    pytest.importorskip("dask_geopandas")
    pytest.importorskip("distributed")
    from zones.distributed import assess_dask

    zs, parcels, kwargs = case
    local = assess(parcels, zs, TaxPeriod(2024), keep_pieces=True, **kwargs)
    dask = assess_dask(parcels, zs, TaxPeriod(2024), npartitions=5, keep_pieces=True, **kwargs)
    return local, dask


def test_table_is_identical(both):
    local, dask = both
    assert local.table().equals(dask.table())
    assert local.table()["flags"].str.contains("overlap").sum() >= 20


def test_flags_notes_errors_and_parcels_are_identical(both):
    local, dask = both
    assert dask.ids == local.ids
    assert dask.flags == local.flags and dask.notes == local.notes and dask.errors == local.errors
    assert local.errors[9] and local.errors[11]
    assert [dask.parcel(i) for i in (3, 7, 9, 11, 20)] == [local.parcel(i) for i in (3, 7, 9, 11, 20)]
    assert dask.totals() == local.totals()


def test_pieces_are_identical(both):
    local, dask = both
    a, b = local.pieces(), dask.pieces()
    assert a.drop(columns="geometry").equals(b.drop(columns="geometry"))
    assert shapely.equals(a.geometry.values, b.geometry.values).all()


def test_missing_dask_is_a_clear_input_error(case, monkeypatch):
    from zones.distributed import assess_dask

    zs, parcels, _ = case
    monkeypatch.setitem(sys.modules, "dask_geopandas", None)  # import fails as if not installed
    with pytest.raises(InputError, match="pip install dask-geopandas distributed"):
        assess_dask(parcels, zs, TaxPeriod(2024))
