"""Boundary-point tables (界址点坐标表) as CSV/TXT or XLSX → parcels.

One row per boundary point. Columns are recognised by their header, Chinese or
English (地块编号/宗地号/parcel, 点号/point, 圈号/ring, X/纵坐标/北坐标/northing,
Y/横坐标/东坐标/easting); title rows above the header and columns such as 边长
are ignored. **Chinese survey convention: X is the northing, Y the easting**
(metres); a table whose "X" actually holds eastings is detected by the CRS
inference and swapped. Longitude/latitude columns (经度/纬度) are accepted too.

- Rows follow the boundary in table order; rings need not be closed.
- 圈号 1 is the outer boundary, other numbers are holes. Without a ring column a
  ring that closes (returns to its first point) and is followed by more points of
  the same parcel starts a new ring (a hole if it lies inside the first).
- An empty parcel-id cell continues the previous parcel (merged Excel cells);
  a table without a parcel column is one parcel named after the file.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from zones.io import _text
from zones.io.base import Finding, ImportResult

_ROLES = {
    "id": {"地块编号", "地块号", "地块代码", "地块", "宗地号", "宗地代码", "宗地编号", "宗地编码", "宗地",
           "不动产单元号", "parcel", "parcelid", "parcel_id", "parcelno", "parcel_no", "id"},
    "point": {"点号", "界址点号", "界址点", "界址点编号", "点名", "点", "point", "pointid", "point_id",
              "pointno", "point_no", "pt", "ptno", "编号", "序号", "no", "no."},
    "ring": {"圈号", "环号", "圈", "环", "ring", "ringno", "ring_no", "ringid", "ring_id"},
    "x": {"x", "x坐标", "坐标x", "纵坐标", "纵坐标x", "x纵坐标", "北坐标", "北", "northing", "north", "n",
          "纬度", "lat", "latitude"},
    "y": {"y", "y坐标", "坐标y", "横坐标", "横坐标y", "y横坐标", "东坐标", "东", "easting", "east", "e",
          "经度", "lon", "lng", "long", "longitude"},
}
_BRACKETS = re.compile(r"[(\[][^)\]]*[)\]]")     # units such as (m) / （米） after NFKC
_DELIMS = (",", "\t", ";", "|", "，")
_HEADER_SCAN = 50


def _role(cell) -> str | None:
    key = _BRACKETS.sub("", _text.norm(cell).lower()).replace(" ", "").rstrip(":")
    for role, names in _ROLES.items():
        if key in names:
            return role
    return None


def _text_rows(path, encoding):
    data = _text.read_bytes(path)
    text, enc, how = _text.decode(data, path, encoding)
    del data
    sample = [ln for ln in text[:200_000].splitlines()[:60] if ln.strip()]
    delim = max(_DELIMS, key=lambda d: sum(ln.count(d) for ln in sample))
    if not any(delim in ln for ln in sample):
        # whitespace-separated: no quoting, so lines are records
        return [("", [(no, line.split()) for no, line in enumerate(text.splitlines(), 1)])], enc, how
    return [("", _csv_records(text, delim, path))], enc, how


def _csv_records(text: str, delim: str, path) -> list[tuple[int, list[str]]]:
    """(first line number, cells) per record, parsed over the whole text: a quoted cell may hold
    line breaks (Excel's Alt+Enter, two co-owners in 权利人) without splitting its record."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    # No cell is cut or refused for its length (the file is at most 1 GB, checked before reading):
    # a long cell is read whole and, if it is a coordinate, reported as not a number.
    old = csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    rows = []
    try:
        while True:
            first = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                raise _text.fail(path, f"line {first}: the table cannot be split into cells ({exc}); "
                                       f"check the quotes on that line (引号不配对)") from None
            if reader.line_num > first and _swallowed(cells, delim):
                raise _text.fail(path, f"line {first}: a quote opened on this line runs on to line {reader.line_num}, "
                                       f"taking in lines that look like boundary points (引号未闭合); close the quote")
            rows.append((first, cells))
    finally:
        csv.field_size_limit(old)
    return rows


_POINTLIKE = re.compile(r"\d+(?:\.\d+)?\s*[,;\t|，]\s*\d+(?:\.\d+)?")


def _swallowed(cells, delim) -> bool:
    """A cell spanning lines whose later lines hold two delimited numbers: an unclosed quote ate
    records (an Alt+Enter cell holds names or notes, not coordinate pairs)."""
    return any("\n" in c and any(_POINTLIKE.search(ln) for ln in c.splitlines()[1:]) for c in cells if c)


def _xlsx_rows(path, sheet):
    import zipfile

    import openpyxl

    from zones.io.safety import MAX_CONTENT, read_checked, size_words

    data = read_checked(path, factor=1)      # the unpacked size is checked below
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            unpacked = sum(i.file_size for i in zf.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        unpacked = 0                        # openpyxl below says the workbook is unreadable
    if unpacked > MAX_CONTENT:
        raise _text.fail(path, f"the workbook unpacks to {size_words(unpacked)}; workbooks over "
                               f"{size_words(MAX_CONTENT)} are not read (工作簿过大): split it")
    try:                         # openpyxl raises many types on damaged files; all mean "unusable"
        # a file object, so a workbook saved under another extension (.xls) is still read
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            if sheet is not None:
                names = wb.sheetnames
                name = names[sheet] if isinstance(sheet, int) and 0 <= sheet < len(names) else sheet
                if name not in names:
                    raise _text.fail(path, f"no sheet {sheet!r}; sheets: {', '.join(names)}")
                names = [name]
            else:
                names = wb.sheetnames
            return [(name, _stored_rows(wb[name])) for name in names]
        finally:
            wb.close()
    except _text.ParcelImportError:
        raise
    except MemoryError:
        raise _text.fail(path, "not enough memory to read the workbook (内存不足)") from None
    except Exception:  # noqa: BLE001 - third-party parser boundary
        raise _text.fail(path, "not a readable .xlsx workbook: damaged, or not a workbook (无法读取Excel文件)") from None


def _stored_rows(ws) -> list[tuple[int, dict[int, object]]]:
    """(sheet row number, {column index: value}) for the rows that hold a value.

    The sheet's stated dimension is dropped (reset_dimensions) so openpyxl pads neither to it
    nor to a stray cell far away: one value in XFD1048576 costs one row, not 1,048,576 × 16,384
    cells. Rows are sparse dicts, so a long row costs its stored cells only."""
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()
    rows = []
    for no, values in enumerate(ws.iter_rows(values_only=True), 1):
        if values:
            cells = {c: v for c, v in enumerate(values) if v is not None}
            if cells:
                rows.append((no, cells))
    return rows


def _items(cells):
    return cells.items() if isinstance(cells, dict) else enumerate(cells)


def _find_header(rows):
    """(index in rows, {role: column}) of the first row naming both X and Y, or None."""
    for k, (_, cells) in enumerate(rows[:_HEADER_SCAN]):
        cols: dict[str, int] = {}
        for c, cell in _items(cells):
            r = _role(cell)
            if r and r not in cols:
                cols[r] = c
        if "x" in cols and "y" in cols:
            if k > 0:    # two-row header: 点号/宗地号 above a merged "坐标" cell with X/Y below
                for c, cell in _items(rows[k - 1][1]):
                    r = _role(cell)
                    if r in ("id", "point", "ring") and r not in cols and c not in cols.values():
                        cols[r] = c
            return k, cols
    return None


def _cell(cells, col):
    if isinstance(cells, dict):
        return cells.get(col)
    return cells[col] if col is not None and col < len(cells) else None


def _ident(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _text.norm(value)


def _parse(rows, cols, source, default_id, findings):
    drafts: dict[str, _text.Draft] = {}
    state: dict[str, list] = {}        # pid → [ring number, first point of ring, ring closed?]
    broken: dict[str, tuple] = {}      # pid → (row, what was unreadable) of its first bad point
    pid = None
    for row_no, cells in rows:
        xs, ys = _cell(cells, cols["x"]), _cell(cells, cols["y"])
        pt = _text.norm(_cell(cells, cols.get("point")))
        if _text.norm(xs) == "" and _text.norm(ys) == "":
            if pt:   # a numbered point without coordinates: the outline would be wrong, the parcel is refused
                if "id" in cols:
                    pid = _ident(_cell(cells, cols["id"])) or pid or default_id
                broken.setdefault(pid or default_id, (row_no, f"point {pt[:30]!r} has no X and Y (缺坐标)"))
            continue   # rows with only 边长/notes carry no point
        x, y = _text.coord(xs), _text.coord(ys)
        if "id" in cols:
            pid = _ident(_cell(cells, cols["id"])) or pid or default_id
        else:
            pid = default_id
        if x is None or y is None:
            # Skipping the point would silently change the outline and the tax: the parcel is refused.
            bad = ", ".join(f"{k}={_text.norm(v)[:30]!r}" for k, v, n in (("X", xs, x), ("Y", ys, y)) if n is None)
            broken.setdefault(pid, (row_no, bad))
            continue
        d = drafts.get(pid)
        if d is None:
            d = drafts[pid] = _text.Draft(pid, row_no)
            state[pid] = [1, None, False]
        st = state[pid]
        if "ring" in cols:
            raw = _cell(cells, cols["ring"])
            r = _text.number(raw)
            if r is not None and r.is_integer() and 0 <= r < 1e6:
                st[0] = int(r)
            elif _text.norm(raw):
                findings.append(Finding(source, row_no, "bad_number",
                                        f"row {row_no}: ring number {_text.norm(raw)[:30]!r} is not an integer; "
                                        f"kept in ring {st[0]} (圈号无效)"))
        elif st[2]:                      # previous ring closed: these points start the next ring
            st[0] += 1
            st[1], st[2] = None, False
            findings.append(Finding(source, row_no, "new_ring",
                                    f"parcel {pid}: ring closed, following points form ring {st[0]} (新的一圈)", "info"))
        if st[1] is None:
            st[1] = (y, x)
        elif "ring" not in cols and (y, x) == st[1] and len(d.rings.get(st[0], ())) >= 3:
            st[2] = True
        d.add(st[0], y, x, row_no, pt)   # easting (Y) first, as every reader does; 点号 kept as given
    for pid, (row_no, bad) in broken.items():
        drafts.pop(pid, None)
        findings.append(Finding(source, row_no, "bad_number",
                                f"parcel {pid}: the boundary point on row {row_no} is not a usable coordinate ({bad}); "
                                f"the parcel is not imported, since its outline would be wrong (界址点坐标无效，该宗地未导入)",
                                "error"))
    return list(drafts.values())


def read_point_table(path, *, encoding=None, crs=None, zones_bounds_lonlat=None, sheet=None) -> ImportResult:
    """Read a boundary-point table (.csv/.txt, or .xlsx via openpyxl) into parcels.

    Returns parcels with column ``parcel_id`` and geometry in metres (or degrees),
    x = easting, y = northing. CRS: ``crs`` (user override) or inferred from the
    coordinates (see :func:`zones.crs.infer_crs`). Bad rows become findings that
    name the row number (sheet row, or text line); an unusable file raises
    ParcelImportError.
    """
    source = str(path)
    ext = Path(path).suffix.lower()
    from zones.io.safety import check_input_file, read_head

    check_input_file(path)
    head = read_head(path, 8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise _text.fail(path, "old binary Excel (.xls) workbook: save it as .xlsx or .csv (请另存为 .xlsx)")
    if head.startswith(b"PK\x03\x04") or ext in (".xlsx", ".xlsm"):
        sheets, enc, how = _xlsx_rows(path, sheet), None, "utf-8 (format)"
    else:
        sheets, enc, how = _text_rows(path, encoding)
    seen = []
    for name, rows in sheets:
        found = _find_header(rows)
        if found is None:
            first: list | dict = next((c for _, c in rows[:_HEADER_SCAN] if any(_text.norm(v) for _, v in _items(c))), [])
            seen.append((name, [_text.norm(v)[:20] for _, v in _items(first) if _text.norm(v)][:15]))
            continue
        k, cols = found
        findings: list[Finding] = []
        where = f"{source} [{name}]" if name else source
        drafts = _parse(rows[k + 1:], cols, where, Path(path).stem, findings)
        if not drafts:
            errors = [f for f in findings if f.severity == "error"]
            if errors:
                raise _text.fail(path, f"no parcel could be imported (没有可导入的宗地): {errors[0].message}")
            raise _text.fail(path, f"the table has a header but no boundary point with numeric X and Y "
                                   f"(没有有效的界址点){'; first problem: ' + str(findings[0]) if findings else ''}")
        decision = _text.decide_crs(source, drafts, crs, zones_bounds_lonlat)
        result = _text.assemble(source, drafts, decision, findings, columns=["parcel_id"], encoding=enc,
                                encoding_how=how, zones_bounds_lonlat=zones_bounds_lonlat)
        result.layer = name or None
        return result
    listed = "; ".join(f"{n + ': ' if n else ''}{', '.join(h) or '(empty)'}" for n, h in seen) or "(empty file)"
    raise _text.fail(path, f"no coordinate columns (X/纵坐标/北坐标 and Y/横坐标/东坐标) found; headers seen: {listed}")
