"""Reading the tax office's registered land sources (税源明细: one row per parcel and
grade) from XLSX or CSV, whatever the columns are called.

Columns are found by name (the 税源明细表 wording, short Chinese names or English),
in the first rows of the sheet (a title row above the header is skipped). Merged
cells (a 不动产单元号 merged down over the rows of its grades) are filled from their
top-left cell; blank rows are skipped; areas written as text ("1,234.5㎡") are read.
Areas are kept in hundredths of m² and rates in ten-thousandths of a yuan, both as
integers, so the money can be computed exactly and for all rows at once.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

import numpy as np
import pandas as pd

from zones.errors import InputError

#: How far down a sheet the header row is looked for.
HEADER_SCAN = 20
#: Roles the reconciliation needs; a key is 不动产单元号 and/or 宗地号.
REQUIRED = ("grade", "area", "rate")
KEYS = ("unit_no", "parcel_no")
OPTIONAL = ("land_no", "uscc", "taxpayer", "acquired")
#: The names of zones.report.fields.FIELD_NAMES (the 税源明细 writer's vocabulary; a test keeps
#: them equal — that package imports the PDF renderer, too slow for the command line) and
#: the registry's own columns.
_NAMES = {
    "unit_no": ("不动产单元号", "单元号", "unit_no", "unit_number"),
    "parcel_no": ("宗地号", "宗地代码", "地号", "parcel_no", "宗地编号", "parcel_id"),
    "grade": ("土地等级", "等级", "grade", "land_grade"),
    "rate": ("税额标准", "单位税额", "适用税额", "rate", "tax_rate", "rate_yuan_m2"),
    "area": ("占用土地面积", "应税面积", "计税面积", "土地面积", "area", "area_m2", "taxable_area"),
    "land_no": ("土地编号", "land_no"),
    "uscc": ("统一社会信用代码", "土地使用权人纳税人识别号（统一社会信用代码）", "纳税人识别号", "社会信用代码",
             "uscc", "tax_id", "taxpayer_id"),
    "taxpayer": ("纳税人名称", "土地使用权人名称", "纳税人", "权利人", "taxpayer", "taxpayer_name", "owner"),
    "acquired": ("土地取得时间", "取得时间", "acquired", "acquired_on"),
}
ROLE_LABELS = {"unit_no": "不动产单元号", "parcel_no": "宗地号", "grade": "土地等级", "rate": "税额标准",
               "area": "占用土地面积", "land_no": "土地编号", "uscc": "纳税人识别号", "taxpayer": "纳税人名称",
               "acquired": "土地取得时间"}
_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6}
_NUMBER_NOISE = r"[,，\s]|m2|m²|㎡|平方米|元/m²·年|元/平方米|元"


def aliases(role: str) -> tuple[str, ...]:
    """The column names accepted for ``role`` (see ``_NAMES``); also the project's field
    key and labels (zones.project.FIELDS). The one place to switch to a shared schema."""
    from zones.schema import FIELD_BY_KEY

    names = list(_NAMES.get(role, ()))
    key = {"uscc": "taxpayer_id", "taxpayer": "taxpayer_name"}.get(role, role)
    f = FIELD_BY_KEY.get(key)
    if f is not None:   # the attribute schema's names and aliases (zones.schema), as everywhere else
        names += [f.key, *f.names, *f.zh.split("/")]
    return tuple(dict.fromkeys(names))


def _name_key(name) -> str:
    s = unicodedata.normalize("NFKC", str(name)).lower()
    return re.sub(r"[\s_\-（）()*:：]", "", s)


class RegistryColumnsError(InputError):
    """The registry lacks a key, grade, area or rate column."""

    code = "registry_columns"

    def __init__(self, source: str, missing: list[str], looked_for: dict[str, tuple[str, ...]], found: list[str]):
        self.missing, self.looked_for, self.found = missing, looked_for, found
        wanted = "; ".join(f"{ROLE_LABELS[r]} (looked for: {', '.join(looked_for[r])})" for r in missing)
        shown = ", ".join(found[:40]) + (" …" if len(found) > 40 else "")
        super().__init__(source, f"not a land-source registry: no column for {wanted}; columns found: {shown or '(none)'}")


@dataclass
class Registry:
    """The registry rows, one per parcel and grade as registered.

    ``rows`` columns: ``row`` (the sheet's row number, 1-based, as Excel shows it),
    ``unit_key`` / ``parcel_key`` (normalised keys, '' when absent), ``unit_no`` /
    ``parcel_no`` (as written), ``grade`` (int, 0 when unreadable), ``area_h`` (0.01 m²),
    ``rate_e4`` (0.0001 yuan/m²·year), ``ok`` (False when a value could not be read),
    and the optional attributes. ``findings``: one line per problem, naming the row."""

    source: str
    rows: pd.DataFrame
    columns: dict[str, str]                 # role → column name as found
    findings: list[str] = field(default_factory=list)
    sheet: str | None = None


# ------------------------------------------------------------------ normalising

def cell_text(v) -> str:
    """A cell as text: '' when blank, a whole number read as 12.0 is "12", a date its month."""
    if v is None:
        return ""
    if isinstance(v, str):
        return v.strip()
    if isinstance(v, float):
        return "" if v != v else (str(int(v)) if v.is_integer() else repr(v))  # noqa: PLR0124 - NaN test
    if hasattr(v, "strftime"):
        return v.strftime("%Y-%m")
    return str(v).strip()


def texts(values) -> np.ndarray:
    """Every cell of a column as text (object array of str)."""
    items = values.tolist() if hasattr(values, "tolist") else list(values)
    return np.array([v.strip() if type(v) is str else cell_text(v) for v in items], dtype=object)


def _by_unique(strings: np.ndarray, parse) -> np.ndarray:
    """``parse`` applied to the distinct values only (a registry has a handful of grades
    and rates in 150,000 rows)."""
    uniq, inverse = np.unique(strings.astype(str), return_inverse=True)
    return np.asarray(parse(uniq.astype(object)))[inverse]


def _arrow(strings: np.ndarray):
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError:          # the frozen build may leave pyarrow out: the slower pure-Python path
        return None, None
    return pa.array(strings, type=pa.string()), pc


def normalise_keys(values) -> np.ndarray:
    """Keys compared as staff mean them: NFKC (full-width → half-width), no spaces, upper
    case; a number read from a spreadsheet as 12.0 is the key "12". Object array of str."""
    return _normalise(texts(values))


def _normalise(s: np.ndarray) -> np.ndarray:
    arr, pc = _arrow(s)
    if arr is None:
        out = np.array([re.sub(r"\s+", "", unicodedata.normalize("NFKC", v)).upper() for v in s], dtype=object)
    else:
        if not pc.all(pc.string_is_ascii(arr)).as_py():
            arr = pc.utf8_normalize(arr, "NFKC")
        arr = pc.utf8_upper(pc.replace_substring_regex(arr, r"\s+", ""))
        out = np.asarray(arr.to_numpy(zero_copy_only=False), dtype=object)
    out[np.isin(out, ["NAN", "NONE", "NAT"])] = ""
    return out


def parse_grades(values) -> np.ndarray:
    """一级/二级/三级, 1/2/3, "1级", "I"… → int64; 0 when unreadable."""
    return _by_unique(texts(values), _grades).astype(np.int64)


def _grades(uniq: np.ndarray) -> np.ndarray:
    text = pd.Series(_normalise(uniq), dtype=object).str.replace(r"^土地|等级$|级$|等$", "", regex=True)
    out = pd.to_numeric(text, errors="coerce")
    out = out.fillna(text.map(lambda t: _CN_DIGITS.get(t) or _ROMAN.get(t)))
    whole = out.notna() & (out == np.round(out)) & (out > 0) & (out < 100)
    return out.where(whole, 0).to_numpy(dtype=np.int64)


def scaled_integers(values, digits: int) -> tuple[np.ndarray, np.ndarray]:
    """Numbers written as text or numbers ("1,234.5㎡", 1234.5) → (value × 10**digits as
    int64 rounded half-up, readable mask). Exact: values with more decimals than
    ``digits`` are rounded in Decimal, the rest in integer arithmetic."""
    return _scaled(texts(values), digits)


def _scaled(s: np.ndarray, digits: int) -> tuple[np.ndarray, np.ndarray]:
    arr, pc = _arrow(s)
    if arr is None:
        s = np.array([re.sub(_NUMBER_NOISE, "", unicodedata.normalize("NFKC", v)) for v in s], dtype=object)
    else:
        arr = pc.replace_substring_regex(pc.utf8_normalize(arr, "NFKC"), _NUMBER_NOISE, "")
        s = np.asarray(arr.to_numpy(zero_copy_only=False), dtype=object)
    num = pd.to_numeric(pd.Series(s, dtype=object), errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    ok = np.isfinite(num) & (np.abs(num) < 1e12)
    scale = 10 ** digits
    out = np.zeros(len(s), np.int64)
    out[ok] = np.round(num[ok] * scale).astype(np.int64)
    long = ok & pd.Series(s, dtype=object).str.contains(rf"\.\d{{{digits + 1},}}", regex=True).fillna(False).to_numpy(dtype=bool)
    for i in np.flatnonzero(long):
        try:
            out[i] = int((Decimal(s[i]) * scale).to_integral_value(rounding=ROUND_HALF_UP))
        except InvalidOperation:
            ok[i] = False
    return out, ok


# ------------------------------------------------------------------ reading cells

def _merged_ranges(data: bytes, sheet_index: int) -> list[tuple[int, int, int, int]]:
    """(first row, first col, last row, last col), 1-based, of the merged cells of a sheet,
    read from the workbook's XML (openpyxl's fast read-only mode does not report them)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8")
            book = z.read("xl/workbook.xml").decode("utf-8")
            ids = re.findall(r"<(?:\w+:)?sheet\b[^>]*?r:id=\"([^\"]+)\"", book)
            target = dict(re.findall(r"<Relationship\b[^>]*?Id=\"([^\"]+)\"[^>]*?Target=\"([^\"]+)\"", rels)
                          + [(b, a) for a, b in re.findall(r"<Relationship\b[^>]*?Target=\"([^\"]+)\"[^>]*?Id=\"([^\"]+)\"", rels)])
            name = target[ids[sheet_index]].lstrip("/")
            name = name if name.startswith("xl/") else "xl/" + name
            xml = z.read(name)
    except (KeyError, IndexError, zipfile.BadZipFile):
        return []
    tail = xml[xml.rfind(b"</sheetData>"):]
    out = []
    for ref in re.findall(rb"<(?:\w+:)?mergeCell\b[^>]*?ref=\"([A-Z]+)(\d+):([A-Z]+)(\d+)\"", tail):
        c1, r1, c2, r2 = ref
        out.append((int(r1), _col(c1.decode()), int(r2), _col(c2.decode())))
    return out


def _col(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _sheet_index(names: list[str]) -> int:
    """The sheet named like the form (税源明细), else the first."""
    return next((k for k, n in enumerate(names) if "税源" in n), 0)


def _xlsx_cells(path: Path, data: bytes) -> tuple[list[list], str]:
    """The cells of the registry sheet, merged cells filled from their top-left cell.
    python-calamine (a Rust reader, ~12× faster on 150,000 rows) when installed, else openpyxl."""
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:
        rows, index, names = _openpyxl_rows(path, data)
    else:
        try:  # the readers raise many types on damaged files; all mean "unusable"
            wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
            names = wb.sheet_names
            index = _sheet_index(names)
            rows = [list(r) for r in wb.get_sheet_by_index(index).to_python(skip_empty_area=False)]
        except Exception as exc:  # noqa: BLE001 - third-party parser boundary
            raise InputError(str(path), f"not a readable .xlsx workbook: {type(exc).__name__}: {exc}") from None
    for r1, c1, r2, c2 in _merged_ranges(data, index):
        if r1 > len(rows):
            continue
        top = rows[r1 - 1][c1 - 1] if c1 - 1 < len(rows[r1 - 1]) else None
        for r in range(r1, min(r2, len(rows)) + 1):
            cells = rows[r - 1]
            if len(cells) < c2:
                cells.extend([None] * (c2 - len(cells)))
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1):
                    cells[c - 1] = top
    return rows, names[index]


def _openpyxl_rows(path: Path, data: bytes):
    import openpyxl

    try:  # openpyxl raises many types on damaged files; all mean "unusable"
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - third-party parser boundary
        raise InputError(str(path), f"not a readable .xlsx workbook: {type(exc).__name__}: {exc}") from None
    try:
        names = wb.sheetnames
        index = _sheet_index(names)
        rows = [list(r) for r in wb[names[index]].iter_rows(values_only=True)]
    finally:
        wb.close()
    return rows, index, names


def _csv_cells(path: Path, data: bytes, encoding: str | None) -> list[list]:
    from zones.io._text import ParcelImportError, decode

    try:
        text, _, _ = decode(data, path, encoding)
    except ParcelImportError as exc:
        raise InputError(str(path), str(exc)) from None
    sample = text[:20000]
    delim = max((",", "\t", ";", "，"), key=sample.count)
    try:   # pandas' C parser; rows of uneven length go through the csv module
        frame = pd.read_csv(io.StringIO(text), sep=delim, header=None, dtype=str, keep_default_na=False,
                            skip_blank_lines=False, engine="c")
        return frame.to_numpy(dtype=object).tolist()
    except (pd.errors.ParserError, ValueError):
        return list(csv.reader(io.StringIO(text), delimiter=delim))


def _find_header(rows: list[list]) -> tuple[int, dict[str, int]]:
    """(row index, role → column index) of the row naming the most registry columns."""
    wanted = {role: {_name_key(n) for n in aliases(role)} for role in KEYS + REQUIRED + OPTIONAL}
    best, best_cols = 0, dict[str, int]()
    for k, cells in enumerate(rows[:HEADER_SCAN]):
        cols: dict[str, int] = {}
        for c, cell in enumerate(cells):
            if cell is None:
                continue
            key = _name_key(cell)
            for role, names in wanted.items():
                if key in names and role not in cols:
                    cols[role] = c
                    break
        if len(cols) > len(best_cols):
            best, best_cols = k, cols
    return best, best_cols


def read_registry(path, *, encoding: str | None = None) -> Registry:
    """Read a 税源明细 registry (XLSX, or CSV in UTF-8/GBK) — see :class:`Registry`.

    Raises :class:`RegistryColumnsError` when no key, grade, area or rate column is found."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read the registry: {exc.strerror or exc}") from None
    sheet = None
    if data[:4] == b"PK\x03\x04":
        cells, sheet = _xlsx_cells(path, data)
    else:
        cells = _csv_cells(path, data, encoding)
    head, cols = _find_header(cells)
    missing = [r for r in REQUIRED if r not in cols]
    if not any(k in cols for k in KEYS):
        missing.insert(0, "unit_no")
    if missing:
        found = [str(c).strip() for c in (cells[head] if cells else []) if c is not None and str(c).strip()]
        looked = {r: aliases(r) for r in KEYS + REQUIRED}
        if "unit_no" in missing:
            looked["unit_no"] = aliases("unit_no") + aliases("parcel_no")
        raise RegistryColumnsError(str(path), missing, looked, found)
    body = cells[head + 1:]
    frame = pd.DataFrame({c: [r[c] if c < len(r) else None for r in body] for c in cols.values()}, dtype=object)
    frame.index = np.arange(head + 2, head + 2 + len(body))          # sheet row numbers
    names = {role: str(cells[head][c]).strip() for role, c in cols.items()}
    return _parse(str(path), frame, cols, names, sheet)


def _parse(source: str, frame: pd.DataFrame, cols: dict[str, int], names: dict[str, str], sheet) -> Registry:
    def column(role) -> np.ndarray:
        if role in cols and cols[role] in frame.columns:
            return texts(frame[cols[role]])
        return np.full(len(frame), "", dtype=object)

    cells = {role: column(role) for role in KEYS + REQUIRED + OPTIONAL}
    # a row blank in every column read is spacing, not a record
    blank = np.logical_and.reduce([cells[r] == "" for r in cols]) if cols else np.zeros(len(frame), bool)
    keep = ~blank
    cells = {role: v[keep] for role, v in cells.items()}
    out = pd.DataFrame({"row": frame.index.to_numpy(dtype=np.int64)[keep]})
    role: str | None         # a column role; None below for a problem of no one column
    for role in KEYS:
        out[role] = cells[role]
        out[role.replace("_no", "_key")] = _normalise(cells[role])
    out["grade"] = _by_unique(cells["grade"], _grades).astype(np.int64)
    out["area_h"], area_ok = _scaled(cells["area"], 2)
    out["rate_e4"] = _by_unique(cells["rate"], lambda u: _scaled(u, 4)[0])
    rate_ok = _by_unique(cells["rate"], lambda u: _scaled(u, 4)[1]).astype(bool)
    for role in OPTIONAL:
        out[role] = cells[role]
    no_key = ((out["unit_key"] == "") & (out["parcel_key"] == "")).to_numpy()
    problems = {
        ("no key (不动产单元号/宗地号 blank)", None): no_key,
        (f"土地等级 unreadable ({names['grade']})", "grade"): (out["grade"] == 0).to_numpy(),
        (f"占用土地面积 unreadable ({names['area']})", "area"): ~area_ok,
        (f"税额标准 unreadable ({names['rate']})", "rate"): ~rate_ok,
    }
    bad = np.zeros(len(out), bool)
    found, more = [], []
    for (what, role), mask in problems.items():
        bad |= mask
        for i in np.flatnonzero(mask)[:200]:
            shown = f": {cells[role][i]!r}" if role else ""
            text = f"{source}, row {out['row'].iat[i]}: {what}{shown}; the row is left out of the comparison"
            found.append((int(out["row"].iat[i]), text))
        if mask.sum() > 200:
            more.append(f"{source}: {int(mask.sum()) - 200} more rows with {what}")
    findings = [text for _, text in sorted(found, key=lambda f: f[0])] + more
    out["ok"] = ~bad
    return Registry(source, out, names, findings, sheet)
