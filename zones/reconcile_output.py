"""Writing a reconciliation: CSV (UTF-8 with BOM), a workbook (比对结果, 汇总, one sheet
per status, 说明) or a GeoPackage (the parcels with their status, styled for QGIS).
Every writer is atomic and refuses to overwrite an input file. Text cells that a
spreadsheet would run as a formula are neutralised."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from zones.errors import InputError
from zones.io.atomic import atomic_output
from zones.reconcile import STATUS_ZH, STATUSES, Reconciliation
from zones.reconcile_summary import by_district, by_status

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
OUTPUTS = (".csv", ".xlsx", ".gpkg")
#: Map colours of the statuses (screen legend, GeoPackage style and the PDF map).
STATUS_COLOURS = {"matched": "#4daf4a", "unregistered": "#e41a1c", "not_in_cadastre": "#999999",
                  "grade_mismatch": "#ff7f00", "area_mismatch": "#984ea3", "rate_mismatch": "#377eb8",
                  "duplicate_registry": "#a65628", "not_taxable": "#dddddd"}


def neutralise(value):
    """A text cell that starts like a formula, prefixed with ' so it stays text."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_text(table: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text columns are neutralised (numbers are left alone)."""
    out = table.copy()
    for c in out.columns:
        if out[c].dtype.kind in "OTU" or pd.api.types.is_string_dtype(out[c].dtype):
            s = out[c]
            text = s.astype("string")
            bad = text.str.startswith(FORMULA_START).fillna(False).to_numpy()
            if bad.any():
                s = s.astype(object).copy()
                s[bad] = ["'" + v for v in text[bad].tolist()]
                out[c] = s
    out.attrs = dict(table.attrs)
    return out


def primary_status(res: Reconciliation) -> np.ndarray:
    """One status per row for colouring: the first of its codes (they are joined in the
    order of STATUSES, so a parcel with several mismatches shows its grade or area one)."""
    return np.array([s.split(";")[0] for s in res.table["status"].tolist()], dtype=object)


def provenance(res: Reconciliation, **extra) -> dict:
    a = res.assessment.provenance
    return {"zonesets": {str(y): f"{z.id} {z.version}" for y, z in res.zonesets.items()},
            "years": res.years, "years_claimed": res.claimed, "rule": res.rule,
            "area_tolerance_m2": str(res.options.area_tolerance_m2), "registry": res.registry.source,
            "registry_columns": res.registry.columns, "rules_version": a.rules_version, "app_version": a.app_version,
            "created": a.created} | extra


def write_reconciliation(res: Reconciliation, path, *, protect=(), extra: dict | None = None) -> Path:
    path = Path(path)
    ext = path.suffix.lower()
    if ext not in OUTPUTS:
        raise InputError(str(path), f"cannot write {ext or 'a file without extension'}; use {', '.join(OUTPUTS)}")
    prov = provenance(res, **(extra or {}))
    if ext == ".csv":
        with atomic_output(path, protect=protect) as tmp:
            write_csv(safe_text(res.table), tmp)
        with atomic_output(path.with_name(path.name + ".provenance.json"), protect=protect) as tmp:
            tmp.write_text(json.dumps(prov, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    elif ext == ".xlsx":
        with atomic_output(path, protect=protect) as tmp:
            write_workbook(res, tmp, prov)
    else:
        with atomic_output(path, protect=protect) as tmp:
            write_geopackage(res, tmp, prov)
    return path


# ------------------------------------------------------------------ CSV

def write_csv(table: pd.DataFrame, path) -> None:
    """UTF-8 with BOM; areas and money with exactly two decimals. Arrow's C writer over
    columns converted without a Python loop per cell; the shared writer without pyarrow."""
    try:
        import pyarrow as pa
        import pyarrow.csv as pacsv
    except ImportError:
        from zones.io.export import write_csv as shared

        shared(table, path)
        return
    two = set(table.attrs.get("two_decimals", []))
    arrays = []
    for name in table.columns:
        col = table[name]
        if name in two:
            h = np.rint(col.to_numpy(dtype=float) * 100).astype(np.int64)   # whole hundredths (built from fen)
            arrays.append(_decimals(pa, h))
        elif col.dtype.kind in "iu":
            arrays.append(pa.array(col.to_numpy()))
        else:
            values = col.to_numpy(dtype=object, na_value=None)
            try:
                arrays.append(pa.array(values, type=pa.string(), from_pandas=True))
            except (pa.ArrowTypeError, pa.ArrowInvalid):      # numbers, booleans, dates among the text
                arrays.append(pa.array([None if v is None or v != v else str(v) for v in values.tolist()],  # noqa: PLR0124
                                       type=pa.string()))
    with pa.output_stream(str(path)) as out:
        out.write("\ufeff".encode("utf-8"))
        pacsv.write_csv(pa.Table.from_arrays(arrays, names=[str(c) for c in table.columns]), out)


def _decimals(pa, hundredths: np.ndarray):
    """Integer hundredths as an Arrow decimal(20, 2) column, without a per-cell conversion."""
    words = np.empty(2 * len(hundredths), dtype=np.uint64)
    words[0::2] = hundredths.view(np.uint64)
    words[1::2] = np.where(hundredths < 0, np.uint64(2**64 - 1), np.uint64(0))
    return pa.Array.from_buffers(pa.decimal128(20, 2), len(hundredths), [None, pa.py_buffer(words)])


# ------------------------------------------------------------------ workbook

def _sheet(wb, title: str, frame: pd.DataFrame, two: set) -> None:
    """A write-only sheet (fast for 100,000 rows): bold header, areas and money as numbers
    shown with two decimals, text neutralised."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    ws = wb.create_sheet(title)
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    head = []
    for name in frame.columns:
        cell = WriteOnlyCell(ws, value=str(name))
        cell.font = bold
        head.append(cell)
    ws.append(head)
    money = [k for k, c in enumerate(frame.columns) if c in two]
    columns = [frame[c].tolist() for c in frame.columns]
    for r in range(len(frame)):
        values = [_xl(col[r]) for col in columns]
        for k in money:
            v = values[k]
            if isinstance(v, float):
                cell = WriteOnlyCell(ws, value=v)
                cell.number_format = "0.00"
                values[k] = cell
        ws.append(values)


def _xl(v):
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return None
    if hasattr(v, "as_tuple"):          # Decimal
        return float(v)
    if isinstance(v, (np.integer,)):
        return int(v)
    return neutralise(v) if isinstance(v, str) else v


def write_workbook(res: Reconciliation, path, prov: dict) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    table = res.table
    two = set(table.attrs.get("two_decimals", []))
    _sheet(wb, "比对结果", table, two)
    money = {"图上面积(m²)", "登记面积(m²)", "图上年税额(元)", "登记年税额(元)", "年差额(元)", "补税额(元)"}
    status, district = by_status(res), by_district(res)
    both = pd.concat([status.assign(区="全市").reindex(columns=district.columns), pd.DataFrame([{}]), district],
                     ignore_index=True)
    _sheet(wb, "汇总", both.astype(object).where(both.notna(), None).map(lambda v: float(v) if hasattr(v, "as_tuple") else v), money)
    for code in STATUSES:
        _sheet(wb, f"{STATUS_ZH[code]}_{code}"[:31], table[res.has(code)], two)
    notes = [["规则", res.rule]] + [[k, json.dumps(v, ensure_ascii=False, default=str) if not isinstance(v, str) else v]
                                    for k, v in prov.items() if k != "rule"]
    _sheet(wb, "说明", pd.DataFrame(notes, columns=["项目", "内容"]), set())
    wb.save(path)


# ------------------------------------------------------------------ GeoPackage

def write_geopackage(res: Reconciliation, path, prov: dict) -> None:
    """Layer ``reconcile``: every parcel (zone-set CRS) with the table's columns and a
    ``status_main`` for colouring (keys without a parcel have no geometry); a QGIS style
    colouring by ``status_main`` stored as the layer's default; table ``provenance``."""
    import geopandas as gpd
    import pyogrio

    table = res.table.copy()
    n = res.parcel_count
    geoms = np.empty(len(table), dtype=object)
    geoms[:n] = res.assessment.geoms
    table.insert(3, "status_main", primary_status(res))
    table.columns = [str(c) for c in table.columns]
    gdf = gpd.GeoDataFrame(table, geometry=list(geoms), crs=res.assessment.zoneset.crs)
    pyogrio.write_dataframe(gdf, path, layer="reconcile", driver="GPKG", promote_to_multi=True)
    pyogrio.write_dataframe(pd.DataFrame({"key": list(prov), "value": [json.dumps(v, ensure_ascii=False, default=str)
                                                                       for v in prov.values()]}),
                            path, layer="provenance", driver="GPKG", append=False)
    _add_qgis_style(path)


def qml_style() -> str:
    """A QGIS categorised renderer on ``status_main`` in the statuses' colours."""
    cats, syms = [], []
    for k, code in enumerate(STATUSES):
        cats.append(f'<category render="true" symbol="{k}" value="{code}" label="{STATUS_ZH[code]} {code}"/>')
        rgb = STATUS_COLOURS[code].lstrip("#")
        r, g, b = (int(rgb[i:i + 2], 16) for i in (0, 2, 4))
        syms.append(f'<symbol type="fill" name="{k}" alpha="0.8"><layer class="SimpleFill">'
                    f'<prop k="color" v="{r},{g},{b},255"/><prop k="outline_color" v="60,60,60,255"/>'
                    f'<prop k="outline_width" v="0.1"/></layer></symbol>')
    return ('<!DOCTYPE qgis><qgis version="3.28"><renderer-v2 type="categorizedSymbol" attr="status_main">'
            f'<categories>{"".join(cats)}</categories><symbols>{"".join(syms)}</symbols></renderer-v2></qgis>')


def _add_qgis_style(path) -> None:
    import sqlite3

    con = sqlite3.connect(path)
    try:
        con.execute("""CREATE TABLE IF NOT EXISTS layer_styles (id INTEGER PRIMARY KEY AUTOINCREMENT,
            f_table_catalog TEXT(256), f_table_schema TEXT(256), f_table_name TEXT(256), f_geometry_column TEXT(256),
            styleName TEXT(30), styleQML TEXT, styleSLD TEXT, useAsDefault BOOLEAN, description TEXT,
            owner TEXT(30), ui TEXT(30), update_time DATETIME DEFAULT CURRENT_TIMESTAMP)""")
        con.execute("INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, styleName,"
                    " styleQML, styleSLD, useAsDefault, description) VALUES ('', '', 'reconcile', 'geometry', '税源比对',"
                    " ?, '', 1, 'status colours')", (qml_style(),))
        con.commit()
    finally:
        con.close()
