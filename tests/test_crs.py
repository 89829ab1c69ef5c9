"""zones.crs: CRS inference, --crs resolution, GCJ-02/BD-09 conversions."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod, Transformer
from shapely.geometry import Polygon

from zones import crs as zc
from zones.errors import InputError

LUCHENG = (120.655, 28.016)
GEOD = Geod(ellps="WGS84")


def metres(lon1, lat1, lon2, lat2):
    return GEOD.inv(lon1, lat1, lon2, lat2)[2]


# ------------------------------------------------------------- known conversions

def test_lucheng_in_4549_and_4528():
    e, n = Transformer.from_crs("EPSG:4490", "EPSG:4549", always_xy=True).transform(*LUCHENG)
    assert (round(e), round(n)) == (564418, 3100388)
    e40, n40 = Transformer.from_crs("EPSG:4490", "EPSG:4528", always_xy=True).transform(*LUCHENG)
    assert e40 == pytest.approx(40_000_000 + e, abs=1e-6) and n40 == pytest.approx(n, abs=1e-6)


# ------------------------------------------------------------- inference

def _pts(e, n, k=5):
    return np.array([[e + 10 * i, n + 7 * i] for i in range(k)], dtype=float)


def test_infer_lonlat():
    d = zc.infer_crs(np.array([LUCHENG, (120.66, 28.02)]))
    assert d.crs == "EPSG:4490" and d.how == "inferred" and not d.swapped and not d.local_suspect
    assert "WGS84" in d.reason and d.needs_confirmation


def test_infer_lonlat_swapped():
    d = zc.infer_crs(np.array([(28.016, 120.655), (28.02, 120.66)]))
    assert d.crs == "EPSG:4490" and d.swapped


def test_infer_prefixed_4528():
    d = zc.infer_crs(_pts(40_564_418, 3_100_388))
    assert d.crs == "EPSG:4528" and not d.swapped and not d.local_suspect and "40" in d.reason


def test_infer_unprefixed_4549():
    d = zc.infer_crs(_pts(564_418, 3_100_388))
    assert d.crs == "EPSG:4549" and not d.swapped and not d.local_suspect


def test_infer_swapped_4549_and_4528():
    d = zc.infer_crs(_pts(564_418, 3_100_388)[:, ::-1])
    assert d.crs == "EPSG:4549" and d.swapped
    d = zc.infer_crs(_pts(40_564_418, 3_100_388)[:, ::-1])
    assert d.crs == "EPSG:4528" and d.swapped


def test_infer_local_looking_plain_tm_on_120_40():
    # Lucheng projected on a plain TM with CM 120°40′ (the Wenzhou local meridian) gives Y ≈ 498 000:
    # in range for EPSG:4549, but as 4549 it would land ~40 km west of the zone map.
    local = "+proj=tmerc +lat_0=0 +lon_0=120.6666666667 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m"
    e, n = Transformer.from_crs("EPSG:4490", local, always_xy=True).transform(*LUCHENG)
    assert 497_000 < e < 499_000
    d = zc.infer_crs(_pts(e, n))
    assert d.local_suspect and d.crs is None and d.candidate == "EPSG:4549" and d.needs_confirmation
    assert "120°40′" in d.reason


def test_infer_plane_fitting_nothing_is_local_suspect():
    d = zc.infer_crs(_pts(498_000, 100_388))       # e.g. a city grid with a false northing removed
    assert d.local_suspect and d.crs is None and d.how == "unknown"


def test_infer_far_away():
    # Hangzhou in EPSG:4549: valid shape, but far from the Wenzhou zone map
    e, n = Transformer.from_crs("EPSG:4490", "EPSG:4528", always_xy=True).transform(120.16, 30.27)
    d = zc.infer_crs(_pts(e, n))
    assert d.local_suspect and d.crs is None and d.candidate == "EPSG:4528"
    # ...unless the zones are said to cover Hangzhou
    d = zc.infer_crs(_pts(e, n), zones_bounds_lonlat=(119.9, 30.0, 120.5, 30.5))
    assert d.crs == "EPSG:4528" and not d.local_suspect


def test_infer_garbage_and_empty():
    assert zc.infer_crs(np.empty((0, 2))).how == "unknown"
    assert zc.infer_crs(np.array([[1.0, 2.0], [np.nan, 3.0]])).how == "unknown"
    assert zc.infer_crs("nonsense").how == "unknown"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.floats(allow_nan=True, allow_infinity=True), st.floats(allow_nan=True,
                allow_infinity=True)), max_size=20))
def test_infer_never_raises(rows):
    d = zc.infer_crs(np.array(rows, dtype=float).reshape(-1, 2))
    assert d.how in ("inferred", "unknown") and isinstance(d.reason, str) and d.reason


# ------------------------------------------------------------- resolve_crs

@pytest.mark.parametrize("text,expected", [
    ("EPSG:4549", "EPSG:4549"), ("4549", "EPSG:4549"), ("4528", "EPSG:4528"), (" epsg:4528 ", "EPSG:4528"),
    ("cgcs2000", "EPSG:4490"), ("CGCS2000", "EPSG:4490"), ("wgs84", "EPSG:4326"), ("WGS84", "EPSG:4326"),
    ("gcj02", "GCJ-02"), ("GCJ-02", "GCJ-02"), ("bd09", "BD-09"), ("BD-09", "BD-09"),
])
def test_resolve_crs(text, expected):
    assert zc.resolve_crs(text) == expected


def test_resolve_crs_pyproj_strings_and_errors():
    assert zc.resolve_crs("+proj=tmerc +lon_0=120.6666666667 +x_0=500000 +ellps=GRS80 +units=m").startswith("+proj")
    for bad in ("", "EPSG:99999999", "not a crs", None, "4549x"):
        with pytest.raises(InputError):
            zc.resolve_crs(bad)


# ------------------------------------------------------------- GCJ-02 / BD-09

def test_published_samples():
    # values published with wandergis/coordtransform (README) for (116.404, 39.915)
    assert zc.wgs84_to_gcj02(116.404, 39.915) == pytest.approx((116.41024449916938, 39.91640428150164), abs=1e-12)
    assert zc.gcj02_to_bd09(116.404, 39.915) == pytest.approx((116.41036949371029, 39.92133699351021), abs=1e-12)
    # the published inverses are one-step approximations; ours iterate, so agree to < 0.1 m
    lon, lat = zc.gcj02_to_wgs84(116.404, 39.915)
    assert metres(lon, lat, 116.39775550083061, 39.91359571849836) < 0.1
    lon, lat = zc.bd09_to_gcj02(116.404, 39.915)
    assert metres(lon, lat, 116.39762729119315, 39.90865673957631) < 0.1


def test_wenzhou_shift_size():
    glon, glat = zc.wgs84_to_gcj02(*LUCHENG)
    assert 300 < metres(*LUCHENG, glon, glat) < 700        # GCJ-02 offsets are hundreds of metres


def test_outside_china_unchanged():
    assert zc.wgs84_to_gcj02(2.35, 48.85) == (2.35, 48.85)
    assert zc.gcj02_to_wgs84(2.35, 48.85) == (2.35, 48.85)


@settings(max_examples=200, deadline=None)
@given(st.floats(73.5, 135.0), st.floats(4.0, 53.5))
def test_round_trips_below_1cm(lon, lat):
    for fwd, inv in ((zc.wgs84_to_gcj02, zc.gcj02_to_wgs84), (zc.gcj02_to_bd09, zc.bd09_to_gcj02),
                     (zc.wgs84_to_bd09, zc.bd09_to_wgs84)):
        back = inv(*fwd(lon, lat))
        assert metres(lon, lat, *back) < 0.01


def test_vectorised():
    lon = np.linspace(120.4, 121.3, 50)
    lat = np.linspace(27.7, 28.2, 50)
    glon, glat = zc.wgs84_to_gcj02(lon, lat)
    assert glon.shape == (50,)
    wlon, wlat = zc.gcj02_to_wgs84(glon, glat)
    err = GEOD.inv(lon, lat, wlon, wlat)[2]
    assert np.max(err) < 0.01
    for i in (0, 17, 49):
        assert zc.wgs84_to_gcj02(lon[i], lat[i]) == pytest.approx((glon[i], glat[i]), abs=1e-12)


def test_to_wgs84_from():
    ring_w = [(120.650, 28.010), (120.652, 28.010), (120.652, 28.012), (120.650, 28.012)]
    gcj = Polygon([zc.wgs84_to_gcj02(*p) for p in ring_w])
    bd = Polygon([zc.wgs84_to_bd09(*p) for p in ring_w])
    for name, geom in (("GCJ-02", gcj), ("bd09", bd)):
        out = zc.to_wgs84_from(name, gpd.GeoSeries([geom], index=[7]))
        assert out.crs.to_epsg() == 4326 and list(out.index) == [7]
        got = list(out.iloc[0].exterior.coords)[:4]
        assert max(metres(*a, *b) for a, b in zip(got, ring_w)) < 0.01
    arr = zc.to_wgs84_from("gcj02", gpd.GeoSeries([gcj, gcj]).values)     # a GeometryArray works too
    assert len(arr) == 2 and arr.crs.to_epsg() == 4326
    with pytest.raises(InputError):
        zc.to_wgs84_from("EPSG:4549", gpd.GeoSeries([gcj]))


def test_epsg_by_name_registry():
    names = zc.epsg_by_name()
    assert names["CGCS2000 / 3-degree Gauss-Kruger zone 40"] == "EPSG:4528"
    assert names["CGCS2000 / 3-degree Gauss-Kruger CM 120E"] == "EPSG:4549"


def test_transformer_is_made_once_per_pair_and_agrees_with_pyproj():
    one = zc.transformer("EPSG:4549", "EPSG:4490")
    assert zc.transformer("EPSG:4549", "EPSG:4490") is one
    assert zc.transformer("EPSG:4490", "EPSG:4549") is not one
    fresh = Transformer.from_crs("EPSG:4549", "EPSG:4490", always_xy=True)
    assert one.transform(500_000.0, 3_100_000.0) == fresh.transform(500_000.0, 3_100_000.0)


@pytest.mark.parametrize("crs", ["OGC:CRS84", "EPSG:4326", "EPSG:4490"])
def test_lonlat_far_test_without_datum_search_keeps_its_answer(crs):
    """WGS84/CGCS2000 lon/lat settle the whole-batch 'near the zones' test without a transformer,
    and the answer is the transformed one: inside the margin near, beyond it far."""
    from zones.io.validate import FAR_MARGIN_DEG, _all_near, _near_cgcs2000

    bounds = (120.5, 27.9, 120.8, 28.1)
    assert _near_cgcs2000(gpd.GeoSeries([], crs=crs).crs)

    def frame(x0):
        return gpd.GeoDataFrame(geometry=[Polygon([(x0, 28.0), (x0 + 0.001, 28.0), (x0 + 0.001, 28.001)])], crs=crs)

    assert _all_near(frame(120.6), bounds)
    assert _all_near(frame(120.8 + FAR_MARGIN_DEG - 0.0015), bounds)          # near the margin: exact path
    assert not _all_near(frame(120.8 + FAR_MARGIN_DEG + 0.01), bounds)
    assert not _near_cgcs2000(gpd.GeoSeries([], crs="EPSG:4214").crs)        # Beijing 1954: transformed
