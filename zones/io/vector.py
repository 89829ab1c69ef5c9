"""Vector files read through pyogrio/GDAL: shapefile (alone, in a folder or a
.zip), GeoPackage, GeoJSON, KML/KMZ — plus the CRS decision every reader shares.

Coordinates are returned as stored (metres in a projected CRS, degrees in a
geographic one); nothing is reprojected here. The input is only ever read:
zips are unpacked into a private temporary folder, never beside the input.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import struct
import tempfile
import warnings
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import shapely

from zones.io.base import CrsDecision, Finding, ImportResult, ParcelImportError
from zones.io.encoding import shapefile_encoding, zip_member_name
from zones.io.validate import AREA_NAMES, ID_NAMES, guess_field, validate_parcels

MAX_UNZIPPED = 2 << 30  # refuse zips that inflate beyond 2 GiB (a broken or hostile archive)

# GDAL's messages for common breakages, in words a tax officer can act on.
_GDAL_WORDS = [
    (r"Unable to open .*\.shx", "the .shx index file is missing; copy the .shp together with its .shx and .dbf"),
    (r"not recognized as being in a supported file format|not recognized as a supported file format",
     "the file is not in a format we can read, or it is empty or damaged"),
    (r"file is not a database|database disk image is malformed", "the GeoPackage is damaged (not a valid SQLite database)"),
    (r"No such file or directory", "the file does not exist"),
    (r"ERROR parsing kml|XML parsing", "the KML text is not valid XML (damaged or cut short)"),
    (r"Permission denied", "the file cannot be read (permission denied or open in another program)"),
    (r"Failed to read|Corrupted|corrupt|truncated", "the file is damaged or cut short"),
]


def gdal_words(source, exc: Exception) -> ParcelImportError:
    """A :class:`ParcelImportError` that says in words what GDAL's error means (GDAL's text appended)."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    for pattern, words in _GDAL_WORDS:
        if re.search(pattern, text, re.I):
            # GDAL's own text only when short enough to help (not an SQL statement)
            return ParcelImportError(str(source), words if len(text) > 100 else f"{words} (GDAL: {text})")
    return ParcelImportError(str(source), f"cannot be read: {text[:200]}")


# ---------------------------------------------------------------- layers
def _shapefiles_in(folder: Path) -> dict[str, Path]:
    return {p.stem: p for p in sorted(folder.rglob("*")) if p.suffix.lower() == ".shp"}


@contextlib.contextmanager
def opened(path: Path):
    """Yield ``(kind, target)`` where target is a file or a folder of shapefiles.
    A .zip is unpacked into a temporary folder removed on exit."""
    ext = path.suffix.lower()
    if ext not in (".zip", ".kmz"):
        yield ("dir" if path.is_dir() else ext), path
        return
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ParcelImportError(str(path), f"is not a readable .zip archive ({exc})") from None
    with zf, tempfile.TemporaryDirectory(prefix=f"zones-zip-{os.getpid()}-") as tmp:  # pid: a dead run's folder is removed by the next run
        if sum(i.file_size for i in zf.infolist()) > MAX_UNZIPPED:
            raise ParcelImportError(str(path), "the archive unpacks to more than 2 GB; unpack it yourself and open the .shp")
        for info in zf.infolist():
            name = zip_member_name(info)
            parts = [p for p in Path(name.replace("\\", "/")).parts if p not in ("..", "/", "")]
            if info.is_dir() or not parts or parts[0] == "__MACOSX":
                continue
            dest = Path(tmp, *parts)
            dest.parent.mkdir(parents=True, exist_ok=True)
            try:
                with zf.open(info) as src, open(dest, "wb") as dst:
                    shutil.copyfileobj(src, dst)
            except (zipfile.BadZipFile, OSError, EOFError) as exc:
                raise ParcelImportError(str(path), f"member {name!r} cannot be unpacked ({exc})") from None
        if ext == ".zip":
            yield "dir", Path(tmp)
            return
        # KMZ: read the main KML unpacked; GDAL's LIBKML loses ExtendedData/Schema fields
        # when it reads the .kmz directly (seen with GDAL 3.12)
        kmls = sorted(Path(tmp).rglob("*.kml"), key=lambda p: (p.name.lower() != "doc.kml", len(p.parts), str(p)))
        if not kmls:
            raise ParcelImportError(str(path), "the .kmz holds no .kml document")
        yield ".kml", kmls[0]


def list_vector_layers(path: Path) -> list[str]:
    """Layer names of a vector file, folder or zip (shapefile names without .shp)."""
    with opened(path) as (kind, target):
        if kind == "dir":
            return list(_shapefiles_in(target))
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                return [str(n) for n, _ in pyogrio.list_layers(_gdal_path(target))]
        except Exception as exc:  # noqa: BLE001 - GDAL raises many types; all mean "unreadable"
            raise gdal_words(path, exc) from None


def _gdal_path(p: Path) -> str:
    return str(p)


def _choose(path, names: list[str], layer: str | None, what: str) -> str:
    if not names:
        raise ParcelImportError(str(path), f"contains no {what}")
    if layer is not None:
        if layer in names:
            return layer
        low = {n.lower(): n for n in names}
        if layer.lower() in low:
            return low[layer.lower()]
        raise ParcelImportError(str(path), f"has no layer {layer!r}; layers: {', '.join(names)}")
    if len(names) > 1:
        raise ParcelImportError(str(path), f"holds {len(names)} layers; choose one: {', '.join(names)}")
    return names[0]


# ---------------------------------------------------------------- reading
def read_vector(path: Path, *, layer=None, encoding=None, crs=None, zones_bounds_lonlat=None, id_field=None) -> ImportResult:
    """Read one polygon layer; see :func:`zones.io.read_parcels` for the arguments."""
    with opened(path) as (kind, target):
        if kind == "dir":
            shps = _shapefiles_in(target)
            if not shps:
                raise ParcelImportError(str(path), "contains no shapefile (.shp)")
            name = _choose(path, list(shps), layer, "shapefile")
            return _read_shapefile(shps[name], path, name, encoding, crs, zones_bounds_lonlat, id_field)
        if kind == ".shp":
            return _read_shapefile(target, path, target.stem, encoding, crs, zones_bounds_lonlat, id_field)
        name = _choose(path, list_vector_layers(target), layer, "layer")
        enc = "UTF-8"  # GeoPackage, GeoJSON and KML are UTF-8 by definition
        gdf = _read(path, target, name, encoding or None)
        return finish(gdf, path, layer=name, encoding=encoding or enc, encoding_how="override" if encoding else "utf-8 (format)",
                      crs=crs, zones_bounds_lonlat=zones_bounds_lonlat, id_field=id_field)


def _arrow_available() -> bool:
    """Arrow reads GeoPackage/GeoJSON about twice as fast; the app works without pyarrow (the
    frozen build leaves it out), falling back to GDAL's row-by-row reader."""
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


_ARROW = _arrow_available()


def _read(source, target, layer, encoding):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # GDAL warnings; errors still raise
        try:
            return pyogrio.read_dataframe(_gdal_path(target), layer=layer, encoding=encoding, on_invalid="ignore",
                                          use_arrow=_ARROW and encoding is None)
        except ParcelImportError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise gdal_words(source, exc) from None


def _read_shapefile(shp: Path, source: Path, name: str, encoding, crs, bounds, id_field) -> ImportResult:
    shp_source = source if source.suffix.lower() == ".shp" else f"{source} ({shp.name})"
    _check_shapefile(shp, shp_source)
    enc, how, note = shapefile_encoding(shp, encoding)
    gdf = _read(shp_source, shp, None, enc)
    res = finish(gdf, shp_source, layer=name, encoding=enc, encoding_how=how, crs=crs,
                 zones_bounds_lonlat=bounds, id_field=id_field)
    res.findings.insert(0, Finding(str(shp_source), None, "encoding", f"attribute text read as {enc}: {note}", "info"))
    return res


def _check_shapefile(shp: Path, source) -> None:
    """Catch what GDAL reads silently or says cryptically: missing parts and a cut-off .shp."""
    siblings = {p.suffix.lower() for p in shp.parent.glob(shp.stem + ".*") if p.stem == shp.stem}
    for ext, what in ((".shx", "index"), (".dbf", "attribute table")):
        if ext not in siblings:
            raise ParcelImportError(str(source), f"the {ext} file ({what}) is missing; a shapefile needs its .shp, .shx and .dbf together")
    head = shp.read_bytes()[:100]
    if len(head) < 100 or struct.unpack(">i", head[:4])[0] != 9994:
        raise ParcelImportError(str(source), "the .shp is not a shapefile (bad header) or is cut short")
    declared = struct.unpack(">i", head[24:28])[0] * 2  # file length, in 16-bit words
    actual = shp.stat().st_size
    if actual < declared:
        raise ParcelImportError(str(source), f"the .shp is cut short ({actual} of {declared} bytes); copy it again from the source")


def finish(gdf: gpd.GeoDataFrame, source, *, layer=None, encoding=None, encoding_how=None, crs=None,
           zones_bounds_lonlat=None, id_field=None, stated=True) -> ImportResult:
    """Common tail of every reader: decide the CRS, validate, pick id/area fields."""
    source = str(source)
    if id_field is not None and id_field not in gdf.columns:
        cols = [c for c in gdf.columns if c != gdf.geometry.name]
        raise ParcelImportError(source, f"has no column {id_field!r}; columns: {', '.join(map(str, cols))}")
    gdf, decision, found = apply_crs(gdf, source, crs, zones_bounds_lonlat, stated=stated)
    if len(gdf) == 0:
        raise ParcelImportError(source, "contains no features")
    gdf, more = validate_parcels(gdf, source, zones_bounds_lonlat=zones_bounds_lonlat, id_field=id_field)
    found += more
    if len(gdf) == 0:
        first = next((f.message for f in found if f.severity == "error"), "")
        raise ParcelImportError(source, f"contains no usable parcel outline ({first})" if first else "contains no usable parcel outline")
    filled = [c for c in gdf.columns if c != gdf.geometry.name and gdf[c].notna().any()]  # an empty column identifies nothing
    id_field = id_field or guess_field(filled, ID_NAMES)
    area = guess_field(filled, AREA_NAMES)
    return ImportResult(gdf, source, layer=layer, encoding=encoding, encoding_how=encoding_how, crs=decision,
                        findings=found, id_field=id_field, declared_area_field=area)


# ---------------------------------------------------------------- CRS
def _resolve(text: str) -> str:
    try:
        from zones.crs import resolve_crs
    except ImportError:  # the other module not there yet: plain pyproj parsing
        from pyproj import CRS
        t = text.strip()
        return CRS.from_user_input(int(t) if t.isdigit() else t).to_string()
    return resolve_crs(text)


def _name(c) -> str:
    code = c.to_epsg(min_confidence=70)
    return f"EPSG:{code}" if code else c.name


def apply_crs(gdf, source, override, bounds, *, stated=True):
    """Set ``gdf.crs`` by user override > file statement > inference; return (gdf, CrsDecision, findings).

    Coordinates are never reprojected, except GCJ-02/BD-09 input, which only exists
    as a distortion of WGS84 and is converted back to EPSG:4326. A suspected local
    (Wenzhou city) system leaves the CRS unset.
    """
    found: list[Finding] = []
    file_crs = gdf.crs if stated else None
    if override:
        try:
            name = _resolve(str(override))
        except Exception as exc:  # noqa: BLE001
            raise ParcelImportError(source, f"coordinate system {override!r} not understood ({exc})") from None
        if name.lower().replace("-", "") in ("gcj02", "bd09"):
            from zones.crs import to_wgs84_from
            geoms = to_wgs84_from(name, gdf.geometry.values)
            gdf = gpd.GeoDataFrame(gdf.drop(columns=gdf.geometry.name), geometry=list(geoms), crs="EPSG:4326")
            return gdf, CrsDecision("EPSG:4326", "override", f"converted from {name} as the user said"), found
        if file_crs is not None:
            found.append(Finding(source, None, "crs_override", f"the file states {_name(file_crs)}; using {name} as the user said", "info"))
        return gdf.set_crs(name, allow_override=True), CrsDecision(name, "override", "given by the user"), found
    if file_crs is not None:
        b = gdf.total_bounds
        if file_crs.is_geographic and len(gdf) and np.isfinite(b).all() and (abs(b[[0, 2]]).max() > 180 or abs(b[[1, 3]]).max() > 90):
            found.append(Finding(source, None, "crs_conflict",
                                 f"the file states {_name(file_crs)} (degrees) but holds coordinates up to {abs(b).max():.0f}; the statement is ignored"))
        else:
            return gdf, CrsDecision(_name(file_crs), "stated", "stated by the file"), found
    decision = _infer(gdf, bounds)
    gdf = gdf.set_crs(None, allow_override=True)
    if decision.swapped:
        gdf = gdf.set_geometry(shapely.transform(gdf.geometry.values, lambda c: c[:, ::-1]))
    if decision.crs and not decision.local_suspect:
        gdf = gdf.set_crs(decision.crs, allow_override=True)
    elif decision.local_suspect:
        found.append(Finding(source, None, "local_crs", "coordinates look like a Wenzhou local system; no coordinate system set "
                                                         "and nothing converted. Give the coordinate system explicitly."))
    return gdf, decision, found


def _infer(gdf, bounds) -> CrsDecision:
    try:
        from zones.crs import infer_crs
    except ImportError:
        return CrsDecision(None, "unknown", "the file states no coordinate system and inference is unavailable")
    xy = shapely.get_coordinates(gdf.geometry.values)
    if len(xy) > 20000:  # a sample is enough to recognise a coordinate system
        xy = xy[np.linspace(0, len(xy) - 1, 20000).astype(int)]
    if len(xy) == 0:
        return CrsDecision(None, "unknown", "no coordinates")
    return infer_crs(xy, zones_bounds_lonlat=bounds)
