"""Typed positions: which kind was typed is detected from the numbers' form and size."""

import pytest
from pyproj import Transformer

from zones.coordinate_text import CoordinateTextError, parse_position

# 黎明立交桥, from the gazetteer facts; its EPSG:4549 position computed independently here
LON, LAT = 120.679501, 28.014120
X, Y = Transformer.from_crs("EPSG:4490", "EPSG:4549", always_xy=True).transform(LON, LAT)


@pytest.mark.parametrize("text, swapped", [
    ("120.679501, 28.014120", False), ("120.679501 28.014120", False), ("28.014120，120.679501", True),
    ("E120.679501 N28.014120", False),
])
def test_decimal_degrees_either_order(text, swapped):
    p = parse_position(text)
    assert p.kind == "lonlat" and p.swapped is swapped
    assert (p.lon, p.lat) == pytest.approx((LON, LAT), abs=1e-9)
    assert (p.x, p.y) == pytest.approx((X, Y), abs=0.001)
    assert "经纬度" in p.describe()


def test_degrees_minutes_seconds():
    p = parse_position("""120°40'46.2"E, 28°0'50.8"N""")
    assert p.kind == "lonlat"
    assert p.lon == pytest.approx(120 + 40 / 60 + 46.2 / 3600) and p.lat == pytest.approx(28 + 50.8 / 3600)
    p2 = parse_position("北纬28度0分50.8秒 东经120度40分46.2秒")
    assert (p2.lon, p2.lat) == pytest.approx((p.lon, p.lat)) and p2.swapped


@pytest.mark.parametrize("text, swapped", [
    (f"{Y:.3f} {X:.3f}", False),                      # X (northing) first, the survey order
    (f"{X:.3f}, {Y:.3f}", True),                      # easting first
    (f"X={Y:.3f} Y={40_000_000 + X:.3f}", False),     # zone number 40 in front of the easting
    (f"{Y:,.3f}  {X:,.3f}", False),                   # thousands separators
])
def test_cgcs2000_plane_coordinates_either_order(text, swapped):
    p = parse_position(text)
    assert p.kind == "plane" and p.swapped is swapped
    assert (p.x, p.y) == pytest.approx((X, Y), abs=0.001)
    assert (p.lon, p.lat) == pytest.approx((LON, LAT), abs=1e-7)
    assert "CGCS2000" in p.describe()


@pytest.mark.parametrize("text, words", [
    ("", "请输入坐标"), ("120.5", "读到 1 个"), ("1 2 3", "读到 3 个"), ("12 34", "既不是经纬度"),
    ("3100192 41566829", "既不是经纬度"),             # zone 41 is not Wenzhou's 3-degree zone
    ("车站大道", "读到 0 个"),
])
def test_refused_with_a_reason(text, words):
    with pytest.raises(CoordinateTextError, match=words):
        parse_position(text)
