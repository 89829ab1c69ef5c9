"""Writers for assessment results: the per-parcel table (CSV/XLSX) and the
parcels with their per-grade pieces as geometry (GeoPackage, Shapefile,
GeoJSON). Every writer is atomic (a temporary file renamed into place) and
refuses to overwrite a file the user imported (``protect=``).

CRS: GeoPackage and Shapefile keep the parcels' CRS (areas in m² stay plane
areas in it); GeoJSON is always written in EPSG:4326 (lon/lat degrees).
Shapefile field names are cut to 10 bytes (a DBF limit; a Chinese character is
3 bytes in UTF-8); the mapping is returned and written to ``<name>_fields.csv``.
"""

from __future__ import annotations

import contextlib
import decimal
import json
import os
import re
import shutil
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from zones.errors import InputError
from zones.io.atomic import atomic_output

TABLE_FORMATS = (".csv", ".xlsx", ".gpkg", ".shp", ".geojson")
GEOMETRY_FORMATS = (".gpkg", ".shp", ".geojson")
SHP_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
_STALE = (".qix", ".sbn", ".sbx", ".shp.xml", ".qmd")  # indexes/metadata of an old file would mislead QGIS


def write_results(table: pd.DataFrame, path, *, provenance: dict, pieces: gpd.GeoDataFrame | None = None,
                  parcels: gpd.GeoDataFrame | None = None, protect=()) -> Path:
    """Write the result table to ``path``, chosen by its extension.

    - ``.csv``: UTF-8 with BOM (Excel opens Chinese text), plus ``<name>.provenance.json``;
    - ``.xlsx``: sheet 结果 (results) and sheet 来源 (provenance);
    - ``.gpkg``: layer ``parcels`` (parcel geometry + the table), layer ``pieces``
      (one polygon per parcel and grade) and the table ``provenance``;
    - ``.shp`` / ``.geojson`` (``parcels`` required): the table joined to the parcel geometry,
      pieces as ``<name>_pieces.<ext>``, provenance as ``<name>.<ext>.provenance.json``.
    """
    from zones.output_safety import current_run_id

    path = Path(path)
    ext = path.suffix.lower()
    if current_run_id():
        provenance = provenance | {"run_id": current_run_id()}
    if ext == ".csv":
        with atomic_output(path, protect=protect) as tmp:
            write_csv(table, tmp)
        side = path.with_name(path.name + ".provenance.json")
        with atomic_output(side, protect=protect) as tmp:
            tmp.write_text(json.dumps(provenance, ensure_ascii=False, indent=2), encoding="utf-8")
    elif ext == ".xlsx":
        with atomic_output(path, protect=protect) as tmp:
            with pd.ExcelWriter(tmp, engine="openpyxl") as xw:
                safe, risky = xlsx_safe(table, "结果")
                safe.to_excel(xw, sheet_name="结果", index=False)
                _text_cells(xw.sheets["结果"], risky)
                _two_decimal_format(xw.sheets["结果"], table)
                prov, risky = xlsx_safe(pd.DataFrame(sorted(_flat(provenance).items()), columns=["项目", "值"]), "来源")
                prov.to_excel(xw, sheet_name="来源", index=False)
                _text_cells(xw.sheets["来源"], risky)
                _mark_run(xw.book)
    elif ext == ".gpkg":
        with atomic_output(path, protect=protect) as tmp:
            if parcels is not None:
                layer = gpd.GeoDataFrame(table.reset_index(drop=True), geometry=parcels.geometry.reset_index(drop=True).values, crs=parcels.crs)
                layer.to_file(tmp, layer="parcels", driver="GPKG")
            if pieces is not None and len(pieces):
                pieces.to_file(tmp, layer="pieces", driver="GPKG")
            prov = gpd.GeoDataFrame(pd.DataFrame(sorted(_flat(provenance).items()), columns=["key", "value"]))
            prov.to_file(tmp, layer="provenance", driver="GPKG")
            if parcels is None:
                gpd.GeoDataFrame(table).to_file(tmp, layer="results", driver="GPKG")
    elif ext in (".shp", ".geojson"):
        if parcels is None:
            raise InputError(path, f"{ext} output needs the parcel geometry; use .csv or .xlsx for the table alone")
        layer = gpd.GeoDataFrame(table.reset_index(drop=True), geometry=parcels.geometry.reset_index(drop=True).values, crs=parcels.crs)
        write_parcels(layer, path, pieces=pieces, protect=protect)
        side = path.with_name(path.name + ".provenance.json")
        with atomic_output(side, protect=protect) as tmp:
            tmp.write_text(json.dumps(provenance, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    else:
        raise InputError(path, f"unknown output format {ext!r}; use one of {', '.join(TABLE_FORMATS)}")
    return path


def _mark_run(book) -> None:
    """The run id in the workbook's properties (File ▸ Info): outputs of one run belong together."""
    from zones.output_safety import current_run_id

    run = current_run_id()
    if run:
        book.properties.identifier = run
        book.properties.keywords = f"run {run}"


def _flat(d: dict, prefix: str = "") -> dict:
    out = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(_flat(v, key + "."))
        else:
            out[key] = v if isinstance(v, (str, int, float)) or v is None else json.dumps(v, ensure_ascii=False, default=str)
    return out


def write_parcels(parcels: gpd.GeoDataFrame, path, *, pieces: gpd.GeoDataFrame | None = None, protect=()) -> dict:
    """Write parcels (and their per-grade pieces) as geometry; the format follows the extension.

    ``.gpkg``: layers ``parcels`` and ``pieces``; ``.shp``: ``<name>.shp`` + ``<name>_pieces.shp``
    with .prj and a UTF-8 .cpg; ``.geojson``: EPSG:4326, ``<name>_pieces.geojson``.
    Returns ``{"paths": [Path…], "field_map": {column: shapefile field}}`` (field_map only for .shp).
    """
    path = Path(path)
    ext = path.suffix.lower()
    if ext not in GEOMETRY_FORMATS:
        raise InputError(path, f"unknown geometry format {ext!r}; use one of {', '.join(GEOMETRY_FORMATS)}")
    parcels = _gis_ready(parcels)
    pieces = _gis_ready(pieces) if pieces is not None and len(pieces) else None
    out: dict = {"paths": [path], "field_map": {}}
    if ext == ".gpkg":
        with atomic_output(path, protect=protect) as tmp:
            parcels.to_file(tmp, layer="parcels", driver="GPKG")
            if pieces is not None:
                pieces.to_file(tmp, layer="pieces", driver="GPKG")
        return out
    targets = [(parcels, path)]
    if pieces is not None:
        targets.append((pieces, path.with_name(f"{path.stem}_pieces{path.suffix}")))
        out["paths"].append(targets[-1][1])
    for gdf, target in targets:
        if ext == ".geojson":
            if gdf.crs is None:
                raise InputError(target, "the parcels have no coordinate system, so they cannot be written as GeoJSON (WGS84)")
            with atomic_output(target, protect=protect) as tmp:
                # full precision: GDAL's RFC7946 mode would round to 7 decimals (~1 cm)
                gdf.to_crs(4326).to_file(tmp, driver="GeoJSON", engine="pyogrio")
        else:
            fmap = shapefile_field_names([c for c in gdf.columns if c != gdf.geometry.name])
            out["field_map"].update(fmap)
            gdf, long_text = _dbf_text(gdf, target)
            with atomic_shapefile(target, protect=protect) as tmp:
                gdf.rename(columns=fmap).to_file(tmp, driver="ESRI Shapefile", encoding="UTF-8", engine="pyogrio")
            side = target.with_name(f"{target.stem}_long_text.csv")
            if long_text:
                with atomic_output(side, protect=protect) as tmp:
                    write_csv(pd.DataFrame(long_text, columns=["record", "field", "text"]), tmp)
                out["paths"].append(side)
            else:
                _drop_stale(side)
    if ext == ".shp" and any(k != v for k, v in out["field_map"].items()):
        side = path.with_name(f"{path.stem}_fields.csv")
        with atomic_output(side, protect=protect) as tmp:
            write_csv(pd.DataFrame(sorted(out["field_map"].items()), columns=["field", "shapefile_field"]), tmp)
        out["paths"].append(side)
    elif ext == ".shp":
        _drop_stale(path.with_name(f"{path.stem}_fields.csv"))
    return out


def _drop_stale(side: Path) -> None:
    """A sidecar an earlier run wrote and this one does not: removed with the set's commit
    (it would describe the new file wrongly)."""
    from zones.output_safety import active_set

    if not side.exists():
        return
    outset = active_set()
    if outset is not None:
        outset.deletes.append(side)
    else:
        side.unlink(missing_ok=True)


DBF_TEXT_BYTES = 254


def _dbf_text(gdf: gpd.GeoDataFrame, target: Path):
    """A DBF text field holds 254 bytes: longer text is cut at a character boundary here (not
    mid-character by the library, with only a warning); each cut is a finding naming the field
    and the record, and the full text goes to ``<name>_long_text.csv``."""
    from zones.output_safety import note

    long_text: list[list] = []
    for col in gdf.columns:
        if col == gdf.geometry.name or gdf[col].dtype.kind != "O":
            continue
        values = gdf[col].tolist()
        cuts = [i for i, v in enumerate(values) if isinstance(v, str) and len(v) * 3 > DBF_TEXT_BYTES
                and len(v.encode("utf-8")) > DBF_TEXT_BYTES]
        if not cuts:
            continue
        if not long_text:
            gdf = gdf.copy()
        for i in cuts:
            long_text.append([i + 1, str(col), values[i]])
            note("text_cut", f"{target.name}, record {i + 1}, field {col}",
                 f"text of {len(values[i].encode('utf-8'))} bytes cut to the shapefile's {DBF_TEXT_BYTES}; "
                 f"full text in {target.stem}_long_text.csv")
            values[i] = _cut(values[i], DBF_TEXT_BYTES)
        gdf[col] = values
    return gdf, long_text


def shapefile_field_names(columns) -> dict:
    """Map column names to unique DBF field names of at most 10 UTF-8 bytes (never splitting a character)."""
    out, used = {}, set()
    for col in columns:
        name = _cut(str(col), 10)
        n = 1
        while name.lower() in used:
            suffix = f"_{n}"
            name = _cut(str(col), 10 - len(suffix)) + suffix
            n += 1
        used.add(name.lower())
        out[col] = name
    return out


def _cut(text: str, nbytes: int) -> str:
    b = text.encode("utf-8")[:nbytes]
    return b.decode("utf-8", "ignore")


def _gis_ready(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Columns GDAL can store: Decimal -> float (money, already rounded), other objects -> text."""
    gdf = gdf.copy()
    for col in gdf.columns:
        if col == gdf.geometry.name or gdf[col].dtype != object:
            continue
        vals = gdf[col].dropna()
        if len(vals) and all(isinstance(v, decimal.Decimal) for v in vals):
            gdf[col] = gdf[col].map(lambda v: None if v is None else float(v))
        elif len(vals) and not all(isinstance(v, str) for v in vals):
            gdf[col] = gdf[col].map(lambda v: None if v is None or (isinstance(v, float) and v != v) else str(v))
    return gdf


@contextlib.contextmanager
def atomic_shapefile(path, *, protect=()):
    """Like :func:`atomic_output` for the several files of a shapefile: write into a private
    folder beside the target, then switch the parts as a set. Inside an output set the
    switch is part of the set's commit (journaled: a kill between two renames is finished
    by the next run); alone, the parts are moved one after the other (the .shp last)."""
    from zones.io.atomic import refuse_input, user_error
    from zones.output_safety import active_set, temp_name

    target = Path(path)
    for ext in SHP_PARTS + _STALE:
        refuse_input(target.with_name(target.stem + ext), protect)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmpdir = temp_name(target, "")
    tmpdir.mkdir()
    outset = active_set()
    try:
        try:
            yield tmpdir / target.name
        except Exception as exc:  # re-raised, only said about the right file
            said = user_error(exc, tmpdir / target.name, target)
            if said is None:
                raise
            raise said from None
        written = {p.name[len(target.stem):].lower(): p for p in tmpdir.iterdir()}
        # an old .prj/.cpg/.qix would describe the new file wrongly
        stale = [target.with_name(target.stem + e) for e in SHP_PARTS + _STALE if e not in written and e != ".shp"]
        moves = [(written[e], target.with_name(target.stem + e)) for e in sorted(written, key=lambda e: e == ".shp")]
        if outset is not None:
            for tmp, dest in moves:
                outset.stage(tmp, dest)
            outset.deletes.extend(stale)
            outset.folders.append(tmpdir)
            return
        for old in stale:
            old.unlink(missing_ok=True)
        for tmp, dest in moves:
            os.replace(tmp, dest)
    except BaseException:
        shutil.rmtree(tmpdir, ignore_errors=True)
        raise
    if outset is None:
        shutil.rmtree(tmpdir, ignore_errors=True)


def two_decimal_strings(table: pd.DataFrame) -> pd.DataFrame:
    """Areas and amounts (the columns listed in ``table.attrs["two_decimals"]``) as text with
    exactly two decimals, so a CSV shows 150000.00 rather than 150000.0. The floats hold
    whole hundredths (built from integer fen), so '%.2f' reproduces them exactly."""
    cols = [c for c in table.attrs.get("two_decimals", []) if c in table.columns]
    if not cols:
        return table
    out = table.copy()
    for c in cols:
        out[c] = [f"{v:.2f}" for v in out[c].tolist()]  # twice as fast as Series.map
    return out


def write_csv(table: pd.DataFrame, path) -> None:
    """The table as CSV, UTF-8 with BOM. With pyarrow installed its C writer does the work
    (areas and amounts as exact two-decimal decimals, text quoted); without it (the frozen
    build leaves pyarrow out) the column-wise writer below. Both give the same cells.
    Text that a spreadsheet would run as a formula gets the usual apostrophe in front."""
    table = csv_safe(table)
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        _write_csv_numpy(table, path)
        return
    _write_csv_arrow(table, path)


_FORMULA_START_RE = r"^[=+\-@\t\r＝＋－＠]"


def _text_mask(col: pd.Series):
    """Rows of a text column that start like a formula (None: no text column / none)."""
    if not (col.dtype.kind in "OSU" or pd.api.types.is_string_dtype(col.dtype)):
        return None
    try:
        mask = col.str.match(_FORMULA_START_RE, na=False).to_numpy(dtype=bool)
    except AttributeError:      # an object column without text
        return None
    return mask if mask.any() else None


def csv_safe(table: pd.DataFrame) -> pd.DataFrame:
    """The table with every formula-like text cell (and column name) neutralised for CSV."""
    from zones.output_safety import csv_text, formula_like

    out = table
    names = [csv_text(c) if isinstance(c, str) else c for c in table.columns]
    if names != list(table.columns):
        out = table.copy()
        out.columns = names
    for k in range(table.shape[1]):
        col = table.iloc[:, k]
        mask = _text_mask(col)
        if mask is None:
            continue
        values = col.to_numpy(dtype=object).copy()
        idx = np.flatnonzero(mask)
        hits = [i for i in idx.tolist() if formula_like(values[i])]
        if not hits:
            continue
        if out is table:
            out = table.copy()
        for i in hits:
            values[i] = "'" + values[i]
        out.isetitem(k, pd.Series(values, index=table.index, dtype=object))
    out.attrs = dict(table.attrs)
    return out


def xlsx_safe(table: pd.DataFrame, sheet: str) -> tuple[pd.DataFrame, list[int]]:
    """(table with control characters shown escaped, 0-based columns holding formula-like text)."""
    from zones.output_safety import XLSX_ILLEGAL, xlsx_text

    out, risky = table, []
    for k in range(table.shape[1]):
        col = table.iloc[:, k]
        if _text_mask(col) is not None:
            risky.append(k)
        if not (col.dtype.kind in "OSU" or pd.api.types.is_string_dtype(col.dtype)):
            continue
        try:
            bad = col.str.contains(XLSX_ILLEGAL.pattern, regex=True, na=False).to_numpy(dtype=bool)
        except AttributeError:
            continue
        if not bad.any():
            continue
        values = col.to_numpy(dtype=object).copy()
        for i in np.flatnonzero(bad).tolist():
            values[i] = xlsx_text(values[i], f"sheet {sheet}, row {i + 2}, column {table.columns[k]}")
        if out is table:
            out = table.copy()
        out.isetitem(k, pd.Series(values, index=table.index, dtype=object))
    header_bad = [c for c in table.columns if isinstance(c, str) and XLSX_ILLEGAL.search(c)]
    if header_bad:
        out = out.copy() if out is table else out
        out.columns = [xlsx_text(c, f"sheet {sheet}, header") if isinstance(c, str) else c for c in table.columns]
    out.attrs = dict(table.attrs)
    return out, risky


def _text_cells(sheet, columns: list[int]) -> None:
    """Formula-like text written by pandas becomes text again (never data_type 'f')."""
    from zones.output_safety import formula_like

    cells = [c for row in sheet.iter_rows(min_row=1, max_row=1) for c in row]   # column names
    for k in columns:
        cells += [c for (c,) in sheet.iter_rows(min_row=2, min_col=k + 1, max_col=k + 1)]
    for cell in cells:
        if cell.data_type == "f" or formula_like(cell.value):
            cell.data_type = "s"
            cell.quotePrefix = True     # Excel keeps it text when the cell is edited


def _write_csv_arrow(table: pd.DataFrame, path) -> None:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    two = set(table.attrs.get("two_decimals", []))
    arrays = [_arrow_column(table.iloc[:, k], table.columns[k] in two) for k in range(table.shape[1])]
    names = [str(c) for c in table.columns]
    with pa.output_stream(str(path)) as out:
        out.write("\ufeff".encode("utf-8"))
        pacsv.write_csv(pa.Table.from_arrays(arrays, names=names), out)


def _arrow_column(col: pd.Series, two_decimals: bool):
    """One column for pyarrow's CSV writer, its cells as pandas would print them."""
    import pyarrow as pa

    kind = col.dtype.kind
    if two_decimals and kind == "f":
        v = col.to_numpy(dtype=float)
        h = np.rint(v * 100).astype(np.int64)
        if np.isfinite(v).all() and np.array_equal(h / 100, v):     # whole hundredths: exact decimals
            words = np.empty(2 * len(h), dtype=np.uint64)          # decimal128 = two 64-bit words
            words[0::2] = h.view(np.uint64)
            words[1::2] = np.where(h < 0, np.uint64(2**64 - 1), np.uint64(0))
            return pa.Array.from_buffers(pa.decimal128(20, 2), len(h), [None, pa.py_buffer(words)])
        return pa.array([f"{x:.2f}" for x in v.tolist()])
    if kind in "iu" and isinstance(col.dtype, np.dtype):
        return pa.array(col.to_numpy())
    if kind == "b" and isinstance(col.dtype, np.dtype):
        return pa.array(np.where(col.to_numpy(), "True", "False"))
    if pd.api.types.is_string_dtype(col.dtype) and not kind == "O":
        return pa.array(col, from_pandas=True).cast(pa.string())   # already text (Arrow-backed): no copy
    if isinstance(col.dtype, pd.StringDtype) and isinstance(col.dtype.na_value, float):   # pandas' text (blank NaN):
        return pa.array(col, from_pandas=True).cast(pa.string())           # converted in C, as below
    if col.dtype == object and pd.api.types.infer_dtype(col, skipna=False) == "string":   # text only, no blank:
        return pa.array(col.to_numpy(), type=pa.string())                         # converted in C, as str() would
    values = col.tolist()
    if kind == "f":
        return pa.array([None if x != x else repr(x) for x in values], type=pa.string())
    return pa.array([None if x is None or (isinstance(x, float) and x != x) else str(x) for x in values],
                    type=pa.string())


def _write_csv_numpy(table: pd.DataFrame, path) -> None:
    """The table as CSV, UTF-8 with BOM: byte for byte what
    ``two_decimal_strings(table).to_csv(path, index=False, encoding="utf-8-sig")`` writes,
    about five times faster (pandas' writer goes cell by cell through the csv module).

    Each column becomes an array of finished CSV fields: two-decimal columns from their
    whole hundredths, integers with ``str``, text as is when no field needs quoting; any
    other column is formatted by pandas itself, one column at a time. Rows are then
    joined with vectorised string additions."""
    n = len(table)
    two = set(table.attrs.get("two_decimals", []))
    if not table.columns.is_unique:
        two_decimal_strings(table).to_csv(path, index=False, encoding="utf-8-sig")
        return
    fields = []
    for name in table.columns:
        col = table[name]
        cells = _csv_cells(col, name in two)
        if cells is None or len(cells) != n:
            two_decimal_strings(table).to_csv(path, index=False, encoding="utf-8-sig")
            return
        fields.append(np.asarray(cells, dtype=np.dtypes.StringDType()))
    header = table.iloc[:0].to_csv(index=False)
    if fields:
        rows = fields[0]
        for f in fields[1:]:
            rows = np.strings.add(np.strings.add(rows, ","), f)
        body = os.linesep.join(rows.tolist()) + os.linesep if n else ""
    else:
        body = os.linesep * n
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        fh.write(header)
        fh.write(body)


_NEEDS_QUOTES = re.compile(r'[,"\r\n]')
_CENTS = np.array([f".{i:02d}" for i in range(100)], dtype=np.dtypes.StringDType())


def _csv_cells(col: pd.Series, two_decimals: bool):
    """CSV fields of one column as a list/array of str (None: let pandas write the table)."""
    kind = col.dtype.kind
    if two_decimals and kind == "f":
        v = col.to_numpy(dtype=float)
        if np.isfinite(v).all() and np.abs(v).max(initial=0) < 1e13 and not (np.signbit(v) & (v == 0)).any():
            h = np.rint(v * 100).astype(np.int64)
            if np.array_equal(h / 100, v):       # whole hundredths: exact integer formatting
                a = np.abs(h)
                s = np.strings.add((a // 100).astype(np.dtypes.StringDType()), _CENTS[a % 100])
                return np.where(h < 0, np.strings.add("-", s), s)
        return [f"{x:.2f}" for x in v.tolist()]
    if kind in "iu" and isinstance(col.dtype, np.dtype):
        return col.to_numpy().astype(np.dtypes.StringDType())
    if kind == "b" and isinstance(col.dtype, np.dtype):
        return np.where(col.to_numpy(), "True", "False")
    if kind in "OTU" or pd.api.types.is_string_dtype(col.dtype):
        values = col.tolist()
        if all(type(x) is str for x in values) and not _NEEDS_QUOTES.search("".join(values)):
            return values
    # anything else (floats, bools, dates, missing values, text needing quotes): pandas' own
    # formatting of this one column; a lone empty field is written "" there, and '' in a table
    text = col.to_frame().to_csv(index=False, header=False, lineterminator="\n")
    lines = text.split("\n")[:-1]
    if len(lines) != len(col):                   # a field spans lines: leave it all to pandas
        return None
    return ["" if x == '""' else x for x in lines]


def _two_decimal_format(sheet, table: pd.DataFrame) -> None:
    """Show areas and amounts with two decimals in Excel (they stay numbers)."""
    from openpyxl.utils import get_column_letter

    for c in table.attrs.get("two_decimals", []):
        if c in table.columns:
            letter = get_column_letter(table.columns.get_loc(c) + 1)
            for cell in sheet[letter][1:]:
                cell.number_format = "0.00"
