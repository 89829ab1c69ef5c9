"""Parcel import and result export.

:func:`read_parcels` is the one importer used by the command line and the GUI;
it picks the reader from the extension, checked against the file's first bytes
so a mislabelled file gets a clear message instead of a parser's complaint.
"""

from __future__ import annotations

from pathlib import Path

from zones.io.base import CrsDecision, Finding, ImportResult, ParcelImportError
from zones.io.validate import validate_parcels

__all__ = ["read_parcels", "list_layers", "validate_parcels", "ImportResult", "Finding", "CrsDecision",
           "ParcelImportError", "SUPPORTED_EXTENSIONS"]

VECTOR = (".shp", ".zip", ".gpkg", ".geojson", ".json", ".kml", ".kmz")
TABLES = (".csv", ".xlsx", ".xls")
SUPPORTED_EXTENSIONS = VECTOR + TABLES + (".dxf", ".dat", ".txt")


def sniff(path: Path) -> str:
    """What the first bytes say: ``zip``, ``xlsx``, ``sqlite``, ``shp``, ``ole`` (old .xls/.dwg family),
    ``dwg``, ``json``, ``xml``, ``dxf``, ``text``, ``binary`` or ``empty``."""
    from zones.io.safety import read_head

    head = read_head(path)
    if not head.strip():
        return "empty"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf16"         # Excel's "Unicode text" export
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "xlsx" if b"xl/" in head or b"[Content_Types].xml" in head else "zip"
    if head.startswith(b"SQLite format 3\0"):
        return "sqlite"
    if head[:4] == b"\x00\x00\x27\x0a":
        return "shp"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"
    if head.startswith(b"AC10"):
        return "dwg"
    if head.startswith(b"AutoCAD Binary DXF"):
        return "dxf"
    if b"\0" in head:
        return "binary"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text[:1] == b"{":
        return "json"
    if text[:1] == b"[":
        # A JSON array opens with a value; an exchange text opens with a section name ([属性描述]).
        inner = text[1:].lstrip(b" \t\r\n")
        return "json" if inner[:1] in tuple(bytes([c]) for c in b'{["-0123456789tfn]') else "text"
    if text[:1] == b"<":
        return "xml"
    lines = text.splitlines()
    if len(lines) >= 2 and lines[0].strip() == b"0" and lines[1].strip() in (b"SECTION", b"EOF"):
        return "dxf"
    return "text"


_EXPECT = {".zip": {"zip"}, ".kmz": {"zip"}, ".gpkg": {"sqlite"}, ".shp": {"shp"}, ".geojson": {"json"}, ".json": {"json"},
           ".kml": {"xml"}, ".dxf": {"dxf"}, ".xlsx": {"xlsx", "zip"}, ".xls": {"ole", "xlsx", "text", "xml"},
           ".csv": {"text", "utf16"}, ".dat": {"text", "utf16"}, ".txt": {"text", "utf16"}}
_SAYS = {"zip": "a ZIP archive", "xlsx": "an Excel .xlsx workbook", "sqlite": "a GeoPackage/SQLite database",
         "shp": "a shapefile .shp", "ole": "an old Office file (.xls or .doc)", "dwg": "an AutoCAD DWG drawing (save it as DXF)",
         "json": "JSON text", "xml": "XML/KML text", "dxf": "a DXF drawing", "text": "plain text", "utf16": "UTF-16 text (save it as UTF-8)", "binary": "unrecognised binary data"}


def _check(path: Path) -> str:
    from zones.io.safety import check_input_file

    if not path.exists():
        raise ParcelImportError(str(path), "the file does not exist")
    ext = path.suffix.lower()
    if path.is_dir():
        return ".dir"
    check_input_file(path)     # before the first byte is read: no FIFO, nothing over 1 GB
    if ext == ".dwg":
        raise ParcelImportError(str(path), "DWG drawings cannot be read; save the drawing as DXF in the CAD program")
    if ext not in SUPPORTED_EXTENSIONS:
        raise ParcelImportError(str(path), f"unknown file type {ext or '(none)'}; supported: {', '.join(SUPPORTED_EXTENSIONS)}")
    kind = sniff(path)
    if kind == "empty":
        raise ParcelImportError(str(path), "the file is empty")
    if kind not in _EXPECT[ext]:
        raise ParcelImportError(str(path), f"has the extension {ext} but its content is {_SAYS[kind]}; the file is damaged or misnamed")
    return ext


def list_layers(path) -> list[str]:
    """Names a user can pass as ``layer=``: layers of a GeoPackage/KML, shapefiles in a zip or folder,
    DXF layers holding closed outlines; ``[]`` for single-layer forms (tables, text files)."""
    path = Path(path)
    ext = _check(path)
    if ext in VECTOR or ext == ".dir":
        from zones.io.vector import list_vector_layers
        return list_vector_layers(path)
    if ext == ".dxf":
        from zones.io.dxf import list_dxf_layers
        return list_dxf_layers(path)
    return []


def read_parcels(path, *, layer=None, encoding=None, crs=None, zones_bounds_lonlat=None, id_field=None) -> ImportResult:
    """Read parcels from any supported file into an :class:`ImportResult`.

    ``layer``: layer/shapefile/DXF-layer name when the file holds several.
    ``encoding``: attribute text encoding override (shapefile, tables, text files).
    ``crs``: the user's coordinate system (EPSG code, "4549", "gcj02"…); beats what the file states.
    ``zones_bounds_lonlat``: (min lon, min lat, max lon, max lat) of the zone set, degrees; used to
    infer CRSs and to flag parcels far away.
    ``id_field``: the column holding parcel ids (guessed when None).
    Geometry is 2D Polygon/MultiPolygon, coordinates as in the decided CRS (never silently
    converted; ``parcels.crs`` is None when the CRS could not be decided). Raises
    :class:`ParcelImportError` (one line naming the file) when the file is unusable as a whole.
    """
    from zones.io.safety import warnings_as_findings

    path = Path(path)
    ext = _check(path)
    caught: list[Finding] = []
    with warnings_as_findings(path, caught):
        result = _read(path, ext, layer, encoding, crs, zones_bounds_lonlat, id_field)
    result.findings.extend(caught)
    return result


def _read(path: Path, ext: str, layer, encoding, crs, zones_bounds_lonlat, id_field) -> ImportResult:
    kw = dict(encoding=encoding, crs=crs, zones_bounds_lonlat=zones_bounds_lonlat)
    try:
        if ext in VECTOR or ext == ".dir":
            from zones.io.vector import read_vector
            return read_vector(path, layer=layer, id_field=id_field, **kw)
        if ext == ".dxf":
            from zones.io.dxf import read_dxf
            return read_dxf(path, layer=layer, id_field=id_field, **kw)
        if ext in TABLES:
            from zones.io.points import read_point_table
            return read_point_table(path, **kw)
        if ext == ".dat":
            from zones.io.cass import read_cass
            return read_cass(path, **kw)
        from zones.io.exchange import looks_like_exchange, read_exchange
        if looks_like_exchange(path):
            return read_exchange(path, **kw)
        # Surveyors also hand over boundary-point tables as delimited .txt files.
        from zones.io.points import read_point_table
        try:
            return read_point_table(path, **kw)
        except ParcelImportError as exc:
            raise ParcelImportError(str(path), "is a text file but neither a 部标 coordinate exchange file "
                                               "(no [属性描述]/[地块坐标] sections) nor a boundary-point table "
                                               f"({exc.problem})") from None
    except ParcelImportError:
        raise
    except ImportError as exc:
        raise ParcelImportError(str(path), f"reading {ext} files is not available in this build ({exc})") from None
    except MemoryError:
        raise ParcelImportError(str(path), "not enough memory to read the file (内存不足); split it into smaller files") from None
    except RecursionError:
        raise ParcelImportError(str(path), "is nested too deeply to be read (嵌套过深); the file is damaged") from None
    except KeyboardInterrupt:
        raise
    except Exception as exc:
        # Last net: a reader tripped over content nobody foresaw. One line naming the file, in words
        # (a library's own text means nothing to a tax officer); the original exception stays
        # chained (__cause__) for the log/Details.
        raise ParcelImportError(str(path), f"cannot be read: the content is damaged or not laid out as a {ext} "
                                           f"file should be (文件内容损坏或格式不符)") from exc
