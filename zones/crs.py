"""Coordinate reference systems of the parcel files Wenzhou tax staff receive.

Conventions (see shared/domain/tax_practice.md §6):

- every function here takes and returns coordinates in *GIS order*: first the
  easting / longitude, then the northing / latitude (``always_xy``), whatever
  the EPSG axis order (EPSG:4528/4549 declare northing first, and Chinese
  survey tables call the northing "X");
- plane coordinates are metres; geographic coordinates are decimal degrees;
- the default frame is CGCS2000 3° Gauss-Krüger zone 40 (CM 120°E): EPSG:4528
  when the easting carries the zone number (40 500 000 false easting), EPSG:4549
  otherwise (500 000 false easting);
- the Wenzhou local city systems (CM 120°40′) have no public parameters: data
  that look like them are flagged (``local_suspect``), never converted.

GCJ-02 ("Mars", used by AMap/Tencent) and BD-09 (Baidu) are not CRSs but
published obfuscations of WGS84 longitude/latitude; the forward formulas below
are the widely published ones (e.g. github.com/wandergis/coordTransform_py),
the inverses are solved by fixed-point iteration to < 1e-9° (~0.1 mm).
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from zones.errors import InputError
from zones.io.base import CrsDecision

#: Default extent of the zone maps (lon_min, lat_min, lon_max, lat_max): Wenzhou urban area.
WENZHOU_BOUNDS = (120.4, 27.7, 121.3, 28.2)
#: Plane coordinates whose median lands farther than this from the zone extent are suspect.
FAR_KM = 10.0

GCJ02 = "GCJ-02"
BD09 = "BD-09"

_ALIASES = {
    "cgcs2000": "EPSG:4490", "cgcs": "EPSG:4490", "2000国家大地坐标系": "EPSG:4490",
    "wgs84": "EPSG:4326", "wgs-84": "EPSG:4326", "wgs 84": "EPSG:4326",
    "gcj02": GCJ02, "gcj-02": GCJ02, "gcj": GCJ02, "火星坐标": GCJ02, "高德": GCJ02, "amap": GCJ02,
    "bd09": BD09, "bd-09": BD09, "bd09ll": BD09, "baidu": BD09, "百度": BD09,
}


def resolve_crs(text) -> str:
    """Normalise a user ``--crs`` value: "EPSG:4549", "4549", "cgcs2000", "wgs84",
    "gcj02"/"GCJ-02" → ``"GCJ-02"``, "bd09"/"BD-09" → ``"BD-09"``, or anything pyproj
    understands (returned as "AUTH:CODE" when it has one). Bad value → InputError."""
    raw = str(text if text is not None else "").strip()
    key = raw.casefold()
    if not key:
        raise InputError("--crs", "empty coordinate reference system (坐标系为空)")
    if key in _ALIASES:
        return _ALIASES[key]
    if key.isdigit():
        raw = f"EPSG:{key}"
    try:
        from pyproj import CRS
        from pyproj.exceptions import CRSError
        crs = CRS.from_user_input(raw)
    except (CRSError, ValueError, TypeError) as exc:
        raise InputError("--crs", f"unknown coordinate reference system {raw!r} (无法识别的坐标系): {exc}") from None
    auth = crs.to_authority(min_confidence=90)
    return f"{auth[0]}:{auth[1]}" if auth else crs.to_string()


@lru_cache(maxsize=32)
def transformer(source, target):
    """The ``always_xy`` PROJ transformer from ``source`` to ``target`` (anything pyproj's
    ``Transformer.from_crs`` takes, hashable), made once per process. Making one searches PROJ's
    database, about 0.15 s when the datum changes (WGS84 → CGCS2000); pyproj's transformers
    are thread-safe, so one per pair serves every caller."""
    from pyproj import Transformer

    return Transformer.from_crs(source, target, always_xy=True)


# ---------------------------------------------------------------- inference

def _gk_epsg(zone: int) -> str | None:
    """EPSG code of CGCS2000 Gauss-Krüger with the zone number prefixed to the easting."""
    if 25 <= zone <= 45:          # 3° zones 25..45 (CM 75°E..135°E)
        return f"EPSG:{4513 + zone - 25}"
    if 13 <= zone <= 23:          # 6° zones 13..23
        return f"EPSG:{4491 + zone - 13}"
    return None


def _km_outside(lon: float, lat: float, bounds) -> float:
    """Rough distance in km from (lon, lat) to the bounding box (0 inside)."""
    x0, y0, x1, y1 = bounds
    dlon = max(x0 - lon, 0.0, lon - x1)
    dlat = max(y0 - lat, 0.0, lat - y1)
    if not (math.isfinite(dlon) and math.isfinite(dlat)):
        return math.inf
    return math.hypot(dlon * 111.32 * math.cos(math.radians(min(max(lat, -89.0), 89.0))), dlat * 110.57)


def _plane_candidate(e: np.ndarray, n: np.ndarray) -> tuple[str | None, str]:
    """Which plane CRS (e, n) fit, by value ranges only; (None, why) if none."""
    china_n = (n >= 1.5e6) & (n <= 6.0e6)
    zone = np.floor(e / 1e6)
    if np.all(e >= 1e7) and np.all(zone == zone[0]) and np.all(china_n):
        rest = e - zone[0] * 1e6
        epsg = _gk_epsg(int(zone[0]))
        if epsg and np.all((rest >= 1.5e5) & (rest <= 8.5e5)):
            return epsg, f"easting carries zone number {int(zone[0])} (横坐标带带号 {int(zone[0])})"
    if np.all((e >= 3.5e5) & (e <= 6.5e5)) and np.all((n >= 3.0e6) & (n <= 3.2e6)):
        return "EPSG:4549", "easting 350 000–650 000 m without zone number, northing 3.0–3.2 M m (横坐标无带号)"
    return None, "plane values fit neither EPSG:4528 nor EPSG:4549 (不符合 4528/4549 的取值范围)"


def _span(a: np.ndarray) -> str:
    return f"{np.min(a):.3f}–{np.max(a):.3f}"


def infer_crs(xy, *, zones_bounds_lonlat=None) -> CrsDecision:
    """Guess the CRS of coordinates ``xy`` (array (n, 2)) from their value ranges.

    Column 0 is what the file gives as easting / longitude, column 1 northing /
    latitude. ``swapped=True`` means the file's columns are the other way round and
    the reader must exchange them. Plane data landing more than ``FAR_KM`` from
    ``zones_bounds_lonlat`` (lon_min, lat_min, lon_max, lat_max; default the
    Wenzhou urban area) or fitting no known system get ``local_suspect=True`` and
    ``crs=None``; ``candidate`` then names the system they would be in otherwise.
    """
    bounds = tuple(zones_bounds_lonlat) if zones_bounds_lonlat is not None else WENZHOU_BOUNDS
    try:
        arr = np.asarray(xy, dtype=float).reshape(-1, 2)
    except (TypeError, ValueError):
        return CrsDecision(None, "unknown", "no usable coordinates (没有可用的坐标)")
    arr = arr[np.all(np.isfinite(arr), axis=1)]
    if len(arr) == 0:
        return CrsDecision(None, "unknown", "no usable coordinates (没有可用的坐标)")
    a, b = arr[:, 0], arr[:, 1]

    # Longitude/latitude (China: lon 73–136, lat 3–54); the swap is unambiguous.
    for e, n, swapped in ((a, b, False), (b, a, True)):
        if np.all((e >= 73) & (e <= 136)) and np.all((n >= 3) & (n <= 54)):
            lon, lat = float(np.median(e)), float(np.median(n))
            far = _km_outside(lon, lat, bounds)
            why = (f"coordinates are longitude {_span(e)}° / latitude {_span(n)}° (经纬度), taken as CGCS2000 "
                   "geographic (EPSG:4490); WGS84 cannot be told apart from it within 1 m (与 WGS84 相差不足 1 米)")
            if swapped:
                why += "; the columns were given latitude first and were swapped (经纬度列顺序已交换)"
            if far > FAR_KM:
                why += f"; the data lie about {far:.0f} km outside the zone map (距分级范围约 {far:.0f} 公里)"
            return CrsDecision("EPSG:4490", "inferred", why, swapped=swapped)

    for e, n, swapped in ((a, b, False), (b, a, True)):
        epsg, why = _plane_candidate(e, n)
        if epsg is None:
            continue
        with np.errstate(all="ignore"):
            lon, lat = transformer(epsg, "EPSG:4490").transform(
                float(np.median(e)), float(np.median(n)), errcheck=False)
        far = _km_outside(lon, lat, bounds)
        swap_note = "; X/Y columns were swapped (northing came first, 纵横坐标列已交换)" if swapped else ""
        if far > FAR_KM:
            return CrsDecision(None, "unknown", (
                f"as {epsg} these coordinates would lie at {lon:.3f}°E {lat:.3f}°N, about {far:.0f} km from the "
                f"zone map: probably a Wenzhou local system (温州城市/地方坐标系, CM 120°40′, parameters not public) "
                f"or another area — not converted, confirm the coordinate system (请确认坐标系){swap_note}"),
                swapped=swapped, local_suspect=True, candidate=epsg)
        return CrsDecision(epsg, "inferred", f"{why}: {epsg}, median point {lon:.4f}°E {lat:.4f}°N{swap_note}",
                           swapped=swapped, candidate=epsg)

    looks_plane = np.all(np.abs(arr) >= 1000) and np.all(np.abs(arr) < 1e8)
    if looks_plane:
        return CrsDecision(None, "unknown", (
            f"plane coordinates (first column {_span(a)}, second {_span(b)}) fit neither EPSG:4528 nor EPSG:4549 "
            "for the Wenzhou area: probably a Wenzhou local system (疑为温州地方坐标系, CM 120°40′, parameters not "
            "public) or data from far away (或远离分级范围) — "
            "not converted, state the coordinate system (请指定坐标系)"), local_suspect=True)
    return CrsDecision(None, "unknown", (
        f"coordinates (first column {_span(a)}, second {_span(b)}) match no known system (无法判断坐标系)"))


# ------------------------------------------------------------- GCJ-02 / BD-09

_A = 6378245.0                    # Krassowsky semi-major axis used by GCJ-02
_EE = 0.00669342162296594323      # its first eccentricity squared
_X_PI = math.pi * 3000.0 / 180.0  # BD-09 constant


def _arrays(lon, lat):
    scalar = np.ndim(lon) == 0 and np.ndim(lat) == 0
    return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float), scalar


def _out(lon, lat, scalar):
    return (float(lon), float(lat)) if scalar else (lon, lat)


def _in_china(lon, lat):
    # GCJ-02 leaves points outside this rough box unshifted (published behaviour).
    return (lon >= 72.004) & (lon <= 137.8347) & (lat >= 0.8293) & (lat <= 55.8271)


def _gcj_delta(lon, lat):
    x, y = lon - 105.0, lat - 35.0
    dlat = (-100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
            + (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
            + (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
            + (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0)
    dlon = (300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
            + (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
            + (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
            + (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0)
    rad = lat / 180.0 * np.pi
    magic = 1 - _EE * np.sin(rad) ** 2
    sq = np.sqrt(magic)
    dlat = dlat * 180.0 / ((_A * (1 - _EE)) / (magic * sq) * np.pi)
    dlon = dlon * 180.0 / (_A / sq * np.cos(rad) * np.pi)
    inside = _in_china(lon, lat)
    return np.where(inside, dlon, 0.0), np.where(inside, dlat, 0.0)


def _wgs_to_gcj(lon, lat):
    dlon, dlat = _gcj_delta(lon, lat)
    return lon + dlon, lat + dlat


def _gcj_to_bd(lon, lat):
    z = np.sqrt(lon * lon + lat * lat) + 0.00002 * np.sin(lat * _X_PI)
    theta = np.arctan2(lat, lon) + 0.000003 * np.cos(lon * _X_PI)
    return z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006


def _invert(forward, lon, lat, start):
    """Solve forward(p) = (lon, lat) by fixed-point iteration from ``start``.

    The shifts are smooth and small (< 1 km), so p ← p − (forward(p) − target)
    converges fast; 1e-10° is about 0.01 mm."""
    plon, plat = start
    for _ in range(50):
        flon, flat = forward(plon, plat)
        elon, elat = flon - lon, flat - lat
        plon, plat = plon - elon, plat - elat
        err = np.nanmax(np.abs(np.concatenate([np.ravel(elon), np.ravel(elat)])), initial=0.0)
        if not err > 1e-10:       # also stops on all-NaN input
            break
    return plon, plat


def wgs84_to_gcj02(lon, lat):
    """WGS84 lon/lat (degrees) → GCJ-02 lon/lat. Scalars in, floats out; arrays in, arrays out."""
    lon, lat, s = _arrays(lon, lat)
    return _out(*_wgs_to_gcj(lon, lat), s)


def gcj02_to_wgs84(lon, lat):
    """GCJ-02 lon/lat → WGS84 lon/lat by iteration (round trip < 0.01 m)."""
    lon, lat, s = _arrays(lon, lat)
    dlon, dlat = _gcj_delta(lon, lat)
    return _out(*_invert(_wgs_to_gcj, lon, lat, (lon - dlon, lat - dlat)), s)


def gcj02_to_bd09(lon, lat):
    """GCJ-02 lon/lat → BD-09 lon/lat (Baidu's published formula)."""
    lon, lat, s = _arrays(lon, lat)
    return _out(*_gcj_to_bd(lon, lat), s)


def bd09_to_gcj02(lon, lat):
    """BD-09 lon/lat → GCJ-02 lon/lat: the published approximate inverse, refined by iteration."""
    lon, lat, s = _arrays(lon, lat)
    x, y = lon - 0.0065, lat - 0.006
    z = np.sqrt(x * x + y * y) - 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) - 0.000003 * np.cos(x * _X_PI)
    return _out(*_invert(_gcj_to_bd, lon, lat, (z * np.cos(theta), z * np.sin(theta))), s)


def wgs84_to_bd09(lon, lat):
    """WGS84 lon/lat → BD-09 lon/lat."""
    return gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))


def bd09_to_wgs84(lon, lat):
    """BD-09 lon/lat → WGS84 lon/lat."""
    return gcj02_to_wgs84(*bd09_to_gcj02(lon, lat))


def to_wgs84_from(name, geoms):
    """Convert geometries (GeoSeries, GeometryArray or list) whose lon/lat are in ``name`` ("GCJ-02" or "BD-09", any
    alias resolve_crs accepts) to WGS84 lon/lat, returned with CRS EPSG:4326."""
    import geopandas as gpd
    import shapely

    which = resolve_crs(name)
    fn = {GCJ02: gcj02_to_wgs84, BD09: bd09_to_wgs84}.get(which)
    if fn is None:
        raise InputError("--crs", f"{name!r} is not GCJ-02 or BD-09 (只能转换火星/百度坐标)")

    def _xy(coords: np.ndarray) -> np.ndarray:
        if len(coords) == 0:
            return coords
        lon, lat = fn(coords[:, 0], coords[:, 1])
        return np.column_stack([lon, lat])

    out = shapely.transform(np.asarray(geoms, dtype=object), _xy)   # GeoSeries, GeometryArray or list
    return gpd.GeoSeries(out, index=getattr(geoms, "index", None), crs="EPSG:4326", name=getattr(geoms, "name", None))


@lru_cache(maxsize=1)
def epsg_by_name() -> dict[str, str]:
    """Projected CRS names of the EPSG registry (from PROJ's local database) → "EPSG:code"."""
    from pyproj.database import query_crs_info
    from pyproj.enums import PJType
    return {i.name: f"EPSG:{i.code}" for i in query_crs_info(auth_name="EPSG", pj_types=PJType.PROJECTED_CRS)}
