"""Read a position typed by a person: longitude/latitude (decimal degrees or 度分秒) or
CGCS2000 plane X/Y (northing/easting, 3-degree zone 40, with or without the zone prefix),
and say which it took it to be.

Qt-free. The result is in EPSG:4549 metres (x = easting, y = northing) plus lon/lat
(CGCS2000 geographic, EPSG:4490).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from pyproj import Transformer

MAP_CRS = "EPSG:4549"
LON_RANGE = (73.0, 136.0)            # China
LAT_RANGE = (3.0, 54.0)
NORTHING_RANGE = (300_000.0, 6_000_000.0)
EASTING_RANGE = (100_000.0, 900_000.0)    # in zone, false easting 500 km
ZONE_PREFIX = 40                          # EPSG:4528: easting with the zone number in front


class CoordinateTextError(ValueError):
    """The text is not a position this reader understands; the message says why in Chinese,
    ``english`` in English."""

    def __init__(self, message: str, english: str = "") -> None:
        super().__init__(message)
        self.english = english or message

    def text(self, lang: str = "zh") -> str:
        return str(self) if lang.startswith("zh") else self.english


@dataclass(frozen=True)
class TypedPosition:
    kind: str          # 'lonlat' or 'plane'
    x: float           # EPSG:4549 easting, m
    y: float           # EPSG:4549 northing, m
    lon: float
    lat: float
    swapped: bool = False   # typed latitude first / easting first

    def describe(self, lang: str = "zh") -> str:
        zh = lang.startswith("zh")
        if self.kind == "lonlat":
            order = ("（按纬度在前理解）" if zh else " (read as latitude first)") if self.swapped else ""
            return f"{'经纬度' if zh else 'Lon/lat'} {self.lon:.6f}°E, {self.lat:.6f}°N{order}"
        return (f"CGCS2000 平面坐标 X={self.y:.2f} m, Y={self.x:.2f} m（3度带 中央经线120°E）" if zh else
                f"CGCS2000 plane X={self.y:.2f} m, Y={self.x:.2f} m (3-degree zone, CM 120°E)")


@cache
def _to_plane() -> Transformer:
    return Transformer.from_crs("EPSG:4490", MAP_CRS, always_xy=True)


@cache
def _to_lonlat() -> Transformer:
    return Transformer.from_crs(MAP_CRS, "EPSG:4490", always_xy=True)


_DMS = re.compile(r"""(?P<deg>\d+(?:\.\d+)?)\s*[°度]\s*(?:(?P<min>\d+(?:\.\d+)?)\s*['′’分]\s*)?"""
                  r"""(?:(?P<sec>\d+(?:\.\d+)?)\s*(?:["″”]|''|秒)\s*)?(?P<hemi>[NSEWnsew]|东经|北纬)?""")
# thousands groups only in a number's integer part: "3,100,192.65" is one number,
# "28.014120,120.679501" two
_NUMBER = re.compile(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[-+]?\d+(?:\.\d+)?")


def _in(v: float, bounds) -> bool:
    return bounds[0] <= v <= bounds[1]


def _numbers(text: str) -> list[float]:
    if "°" in text or "度" in text:
        values = []
        for m in _DMS.finditer(text):
            v = float(m["deg"]) + float(m["min"] or 0) / 60 + float(m["sec"] or 0) / 3600
            values.append(v)
        return values
    return [float(n.replace(",", "")) for n in _NUMBER.findall(text)]


def parse_position(text: str) -> TypedPosition:
    """The position in ``text``; raises :class:`CoordinateTextError` naming what is wrong.

    Two numbers in lon/lat ranges are degrees (either order: the one in 73–136 is the
    longitude); a northing of millions and an easting of hundreds of thousands are CGCS2000
    3-degree plane coordinates (either order; an 8-digit easting starting with 40 carries the
    zone number). Anything else is refused rather than guessed."""
    text = (text or "").strip()
    if not text:
        raise CoordinateTextError("请输入坐标：经度 纬度，或 X Y（CGCS2000 平面坐标）。",
                                  "Type a position: longitude latitude, or X Y (CGCS2000 plane).")
    values = _numbers(text.replace("，", ",").replace("：", ":"))
    if len(values) != 2:
        raise CoordinateTextError(f"需要两个数，读到 {len(values)} 个：{text}",
                                  f"Two numbers are needed, {len(values)} read: {text}")
    a, b = values
    if _in(a, LON_RANGE) and _in(b, LAT_RANGE):
        return _from_lonlat(a, b, False)
    if _in(a, LAT_RANGE) and _in(b, LON_RANGE):
        return _from_lonlat(b, a, True)
    for north, east, swapped in ((a, b, False), (b, a, True)):
        if east >= ZONE_PREFIX * 1_000_000:
            if int(east // 1_000_000) != ZONE_PREFIX:
                continue
            east -= ZONE_PREFIX * 1_000_000
        if _in(north, NORTHING_RANGE) and _in(east, EASTING_RANGE) and north > east:
            lon, lat = _to_lonlat().transform(east, north)
            return TypedPosition("plane", east, north, lon, lat, swapped)
    raise CoordinateTextError(
        f"“{text}”既不是经纬度（经度73–136，纬度3–54），也不是 CGCS2000 平面坐标"
        "（X 为北坐标，数百万米；Y 为东坐标，数十万米，可带带号40）。",
        f"“{text}” is neither longitude/latitude (longitude 73–136, latitude 3–54) nor CGCS2000 plane "
        "coordinates (X the northing, millions of metres; Y the easting, hundreds of thousands, zone 40 "
        "may stand in front).")


def _from_lonlat(lon: float, lat: float, swapped: bool) -> TypedPosition:
    x, y = _to_plane().transform(lon, lat)
    return TypedPosition("lonlat", x, y, lon, lat, swapped)
