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

from zones.io.base import CrsDecision, Finding, FindingList, ImportResult, ParcelImportError
from zones.io.encoding import shapefile_encoding, zip_member_name
from zones.io.safety import MAX_CONTENT, check_input_file, read_head, size_words
from zones.io.validate import AREA_NAMES, ID_NAMES, guess_field, validate_parcels

MAX_UNZIPPED = MAX_CONTENT  # refuse zips that inflate beyond 1 GiB (a broken or hostile archive)

# GDAL's messages for common breakages, in words a tax officer can act on.
_GDAL_WORDS = [
    (r"Unable to open .*\.shx", "the .shx index file is missing; copy the .shp together with its .shx and .dbf"),
    (r"not recognized as being in a supported file format|not recognized as a supported file format",
     "the file is not in a format we can read, or it is empty or damaged"),
    (r"file is not a database|database disk image is malformed", "the GeoPackage is damaged (not a valid SQLite database)"),
    (r"No such file or directory", "the file does not exist"),
    (r"ERROR parsing kml|XML parsing", "the KML text is not valid XML (damaged or cut short)"),
    (r"Permission denied", "the file cannot be read (permission denied or open in another program)"),
    (r"Failed to read|Corrupted|corrupt|truncated|fread|fseek", "the file is damaged or cut short"),
]


def gdal_words(source, exc: Exception) -> ParcelImportError:
    """A :class:`ParcelImportError` that says in words what GDAL's error means. GDAL's own text
    (``fread(161) failed``, SQL statements, temporary paths) is never shown: it stays chained."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    for pattern, words in _GDAL_WORDS:
        if re.search(pattern, text, re.IGNORECASE):
            return ParcelImportError(str(source), words)
    return ParcelImportError(str(source), "cannot be read: the file is damaged or not in the format its extension says "
                                          "(文件损坏或格式不符)")


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
    except (zipfile.BadZipFile, OSError):
        raise ParcelImportError(str(path), "is not a readable .zip archive: damaged or cut short (压缩包无法读取)") from None
    with zf, tempfile.TemporaryDirectory(prefix=f"zones-zip-{os.getpid()}-") as tmp:  # pid: a dead run's folder is removed by the next run
        if sum(i.file_size for i in zf.infolist()) > MAX_UNZIPPED:
            raise ParcelImportError(str(path), f"the archive unpacks to more than {size_words(MAX_UNZIPPED)}; "
                                               "archives that large are not read (压缩包过大)")
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
            except (zipfile.BadZipFile, OSError, EOFError):
                raise ParcelImportError(str(path), f"member {name!r} cannot be unpacked: the archive is damaged "
                                                   f"(压缩包损坏)") from None
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
        return _layers(target, path)


def _layers(target: Path, source) -> list[str]:
    """Layer names of one file; errors name ``source`` (the user's file, not an unpacked copy)."""
    if target.suffix.lower() == ".shp":
        # one layer, named by the file; GDAL is not asked, because it would open the .dbf and
        # .shx too, and a part that is a pipe (FIFO) would hang the listing forever
        for part in target.parent.glob(target.stem + ".*"):
            if part.stem == target.stem:
                check_input_file(part, f"{source} ({part.name})")
        return [target.stem]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return [str(n) for n, _ in pyogrio.list_layers(_gdal_path(target))]
    except Exception as exc:  # noqa: BLE001 - GDAL raises many types; all mean "unreadable"
        raise gdal_words(source, exc) from None


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
        name = _choose(path, _layers(target, path), layer, "layer")
        enc = "UTF-8"  # GeoPackage, GeoJSON and KML are UTF-8 by definition
        notes: list[Finding] = []
        gdf = _read(path, target, name, encoding or None, notes)
        if kind in (".geojson", ".json"):
            gdf = _nan_geometries(gdf, target)
        res = finish(gdf, path, layer=name, encoding=encoding or enc, encoding_how="override" if encoding else "utf-8 (format)",
                     crs=crs, zones_bounds_lonlat=zones_bounds_lonlat, id_field=id_field)
        res.findings[:0] = notes
        return res


def _arrow_available() -> bool:
    """Arrow reads GeoPackage/GeoJSON about twice as fast; the app works without pyarrow (the
    frozen build leaves it out), falling back to GDAL's row-by-row reader."""
    import importlib.util

    return importlib.util.find_spec("pyarrow") is not None     # found, not imported: read_arrow imports it


_ARROW = _arrow_available()


def _read(source, target, layer, encoding, notes: list):
    from pyogrio.errors import CRSError as OgrCrsError
    from pyproj.exceptions import CRSError

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # GDAL warnings; errors still raise
        try:
            return pyogrio.read_dataframe(_gdal_path(target), layer=layer, encoding=encoding, on_invalid="ignore",
                                          use_arrow=_ARROW and encoding is None)
        except (CRSError, OgrCrsError):
            # A garbage .prj (or CRS statement) must not cost the whole file: read without it, infer.
            notes.append(Finding(str(source), None, "crs_unreadable", "the coordinate system statement of the file "
                                 "(.prj) cannot be understood and is ignored; the system is inferred from the "
                                 "coordinates (坐标系说明无法识别，已忽略)"))
            return _read_without_crs(source, target, layer, encoding)
        except ParcelImportError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise gdal_words(source, exc) from None


def _read_without_crs(source, target, layer, encoding):
    """Read ``target`` leaving its CRS statement out: a shapefile through links to its parts
    other than the .prj in a private temporary folder (nothing is written beside the input)."""
    target = Path(target)
    with tempfile.TemporaryDirectory(prefix="zones-noprj-") as tmp:
        if target.suffix.lower() == ".shp":
            for part in target.parent.glob(target.stem + ".*"):
                if part.stem == target.stem and part.suffix.lower() != ".prj":
                    link = Path(tmp, part.name)
                    try:
                        link.symlink_to(part.resolve())
                    except OSError:           # no symlinks (some Windows set-ups): a copy
                        shutil.copyfile(part, link)
            target = Path(tmp, target.name)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                meta, _fids, wkb, fields = pyogrio.raw.read(_gdal_path(target), layer=layer, encoding=encoding)
        except Exception as exc:  # noqa: BLE001
            raise gdal_words(source, exc) from None
    data = dict(zip(meta["fields"], fields))
    return gpd.GeoDataFrame(data, geometry=shapely.from_wkb(wkb, on_invalid="ignore"), crs=None)


def _flat_coords(c) -> list:
    if isinstance(c, (list, tuple)) and c and isinstance(c[0], (int, float)):
        return [c[0], c[1]]
    return [v for part in c for v in _flat_coords(part)]


def _nan_geometries(gdf, target: Path):
    """GDAL drops a GeoJSON geometry holding NaN/Infinity (not JSON numbers, but Python and some
    tools write them) to None; rebuild those from the text so they are reported as not-a-number
    coordinates, not as a record without geometry."""
    missing = gdf.geometry.isna()
    if not missing.any() or not any(w in read_head(target, 1 << 30) for w in (b"NaN", b"Infinity")):
        return gdf
    import json

    from shapely.geometry import LineString
    try:
        feats = json.loads(Path(target).read_bytes()).get("features", [])
    except (ValueError, AttributeError, RecursionError):
        return gdf
    if len(feats) != len(gdf):
        return gdf
    geoms = gdf.geometry.values.copy()
    for i in np.flatnonzero(missing.to_numpy()):
        try:   # the coordinates as a plain line: validation reports them as not numbers
            xy = np.array(_flat_coords(feats[i]["geometry"]["coordinates"]), dtype=float).reshape(-1, 2)
        except (TypeError, ValueError, KeyError, IndexError, RecursionError):
            continue
        if len(xy) >= 2 and not np.isfinite(xy).all():
            geoms[i] = LineString(xy)
    return gdf.set_geometry(gpd.GeoSeries(geoms, index=gdf.index, crs=gdf.crs))


def _read_shapefile(shp: Path, source: Path, name: str, encoding, crs, bounds, id_field) -> ImportResult:
    shp_source = source if source.suffix.lower() == ".shp" else f"{source} ({shp.name})"
    _check_shapefile(shp, shp_source)
    enc, how, note = shapefile_encoding(shp, encoding)
    notes: list[Finding] = []
    gdf = _read(shp_source, shp, None, enc, notes)
    prj = next((p for p in shp.parent.glob(shp.stem + ".*") if p.suffix.lower() == ".prj" and p.stem == shp.stem), None)
    if prj is not None and gdf.crs is None and not notes:
        notes.append(Finding(str(shp_source), None, "crs_unreadable", f"{prj.name} does not state a coordinate system "
                             "that can be understood; ignored, the system is inferred (坐标系说明无法识别，已忽略)"))
    res = finish(gdf, shp_source, layer=name, encoding=enc, encoding_how=how, crs=crs,
                 zones_bounds_lonlat=bounds, id_field=id_field)
    res.findings[:0] = [Finding(str(shp_source), None, "encoding", f"attribute text read as {enc}: {note}", "info"), *notes]
    return res


def _check_shapefile(shp: Path, source) -> None:
    """Catch what GDAL reads silently or says cryptically: missing parts, a cut-off .shp, a .dbf
    whose record count or header disagrees with the shapes (GDAL would drop parcels or every
    attribute column without a word). Only headers are read."""
    parts = {p.suffix.lower(): p for p in shp.parent.glob(shp.stem + ".*") if p.stem == shp.stem}
    for ext, what in ((".shx", "index"), (".dbf", "attribute table")):
        if ext not in parts:
            raise ParcelImportError(str(source), f"the {ext} file ({what}) is missing; a shapefile needs its .shp, .shx and .dbf together")
    sizes = {ext: check_input_file(p, f"{source} ({p.name})").st_size for ext, p in parts.items()}
    if sum(sizes.values()) > MAX_CONTENT:
        raise ParcelImportError(str(source), f"the shapefile's parts hold {size_words(sum(sizes.values()))}; "
                                             f"files over {size_words(MAX_CONTENT)} are not read (文件过大)")
    head = read_head(shp, 100)
    if len(head) < 100 or struct.unpack(">i", head[:4])[0] != 9994:
        raise ParcelImportError(str(source), "the .shp is not a shapefile (bad header) or is cut short")
    declared = struct.unpack(">i", head[24:28])[0] * 2  # file length, in 16-bit words
    actual = sizes[".shp"]
    if actual < declared:
        raise ParcelImportError(str(source), f"the .shp is cut short ({actual} of {declared} bytes); copy it again from the source")
    shapes = (sizes[".shx"] - 100) // 8 if sizes[".shx"] >= 100 else None
    _check_dbf(parts[".dbf"], sizes[".dbf"], shapes, source)


def _check_dbf(dbf: Path, size: int, shapes: int | None, source) -> None:
    head = read_head(dbf, 32 + 32 * 2048 + 1)
    if len(head) < 32:
        raise ParcelImportError(str(source), f"the .dbf attribute table is cut short ({len(head)} bytes)")
    nrec, hlen, rlen = struct.unpack("<IHH", head[4:12])
    fields, widths, pos = 0, 0, 32
    while pos < len(head) and head[pos] != 0x0D:
        if pos + 32 > len(head):
            raise ParcelImportError(str(source), "the .dbf header is cut short or damaged (no end of the field list)")
        widths += head[pos + 16]
        fields, pos = fields + 1, pos + 32
    ends = pos + 1                                      # header length the field list implies
    if hlen < ends or hlen > ends + 263 + 32:           # (Visual FoxPro adds a 263-byte backlink)
        raise ParcelImportError(str(source), f"the .dbf header says it is {hlen} bytes long but its {fields} column "
                                             f"description(s) end at byte {ends}; the attribute table is damaged "
                                             f"(属性表文件头损坏)")
    if rlen != widths + 1:
        raise ParcelImportError(str(source), f"the .dbf header says records are {rlen} bytes long but its columns "
                                             f"add up to {widths + 1}; the attribute table is damaged (属性表文件头损坏)")
    if size < hlen + nrec * rlen:
        held = max(0, (size - hlen) // rlen) if rlen else 0
        raise ParcelImportError(str(source), f"the .dbf is cut short: its header lists {nrec} records, the file holds "
                                             f"{held} (属性表不完整)")
    if shapes is not None and nrec != shapes:
        raise ParcelImportError(str(source), f"the .dbf lists {nrec} record(s) but the .shp/.shx hold {shapes} shape(s); "
                                             f"the parts do not belong together or one is damaged (属性记录数与图形数不符)")


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
    findings = FindingList(found) + more     # the overlaps stay columns (zones.io.base.OverlapBlock)
    if len(gdf) == 0:
        first = next((f.message for f in findings if f.severity == "error"), "")
        raise ParcelImportError(source, f"contains no usable parcel outline ({first})" if first else "contains no usable parcel outline")
    filled = [c for c in gdf.columns if c != gdf.geometry.name and gdf[c].notna().any()]  # an empty column identifies nothing
    id_field = id_field or guess_field(filled, ID_NAMES)
    area = guess_field(filled, AREA_NAMES)
    return ImportResult(gdf, source, layer=layer, encoding=encoding, encoding_how=encoding_how, crs=decision,
                        findings=findings, id_field=id_field, declared_area_field=area)


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
    if file_crs is not None and not (file_crs.is_projected or file_crs.is_geographic):
        found.append(Finding(source, None, "crs_unreadable", f"the file states a local/engineering system "
                             f"({file_crs.name}) that cannot be placed on the map; ignored, the system is inferred "
                             "(坐标系无法使用，已忽略)"))
        file_crs = None
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
