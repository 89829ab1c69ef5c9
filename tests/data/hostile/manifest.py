"""The hostile-input corpus: every case, its format, what it tests and what must come out.

Each case is built by a small function into its own folder (at test time, under a temporary
folder: big or binary inputs are generated, never committed; the small text inputs under
``files/`` are committed and copied). ``python tests/data/hostile/manifest.py`` lists the cases;
``--build DIR`` writes them all into DIR to try them by hand with ``python -m zones assess``.

Expected outcomes:
- ``ok(areas, finding=…)``: exit 0; the results hold exactly these parcels (id → plane area m²
  in EPSG:4549, to ``tol``); ``finding`` must appear on stderr (a flagged, not silent, problem);
- ``refused(text)``: exit 2, one line on stderr containing ``text`` and the input's file name.
"""

from __future__ import annotations

import os
import shutil
import struct
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).parent
FILES = HERE / "files"
E0, N0 = 564_400.0, 3_100_400.0      # Lucheng, EPSG:4549 (easting, northing); grade 1 of the bundled set
#: The three parcels most cases carry: id → [(easting, northing)] and plane area (m²).
BOXES = {"A": (E0, N0, 60, 40), "B": (E0 + 100, N0, 50, 30), "C": (E0 + 200, N0, 30, 20)}
AREAS = {k: w * h for k, (_, _, w, h) in BOXES.items()}


@dataclass
class Expect:
    ok: bool
    areas: dict[str, float] = field(default_factory=dict)
    text: str = ""                # refused: part of the message; ok: a finding that must be shown
    tol: float = 0.01
    copies: int = 1               # each parcel expected this many times (stacked duplicates)


def ok(areas=None, finding: str = "", tol: float = 0.01, copies: int = 1) -> Expect:
    return Expect(True, dict(AREAS if areas is None else areas), finding, tol, copies)


def refused(text: str) -> Expect:
    return Expect(False, {}, text)


@dataclass
class Case:
    name: str
    fmt: str
    tests: str
    expect: Expect
    build: Callable[[Path], Path]
    options: tuple[str, ...] = ()


CASES: list[Case] = []


def case(name, fmt, tests, expect, *options):
    def wrap(fn):
        CASES.append(Case(name, fmt, tests, expect, fn, tuple(options)))
        return fn
    return wrap


def ring(pid):
    e, n, w, h = BOXES[pid]
    return [(e, n), (e + w, n), (e + w, n + h), (e, n + h)]


# ------------------------------------------------------------------ boundary-point tables
def point_rows(pids=("A", "B", "C")):
    """(parcel id, point number, X = northing, Y = easting) as surveyors write them."""
    for pid in pids:
        for k, (e, n) in enumerate(ring(pid), 1):
            yield pid, f"J{k}", f"{n:.3f}", f"{e:.3f}"


def csv_text(sep=",", header=("宗地号", "点号", "X", "Y"), rows=None, extra=None, nl="\n") -> str:
    lines = [sep.join(header + ((extra[0],) if extra else ()))]
    for i, r in enumerate(rows if rows is not None else point_rows()):
        cells = list(r) + ([extra[1](i, r)] if extra else [])
        lines.append(sep.join(cells))
    return nl.join(lines) + nl


def write(d: Path, name: str, data, encoding="utf-8") -> Path:
    p = d / name
    p.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return p


def committed(name: str):
    """A case whose input is a small file committed under files/."""
    def build(d: Path) -> Path:
        return Path(shutil.copy(FILES / name, d / name))
    return build


def sparse(d: Path, name: str, head: bytes, size=(2 << 30)) -> Path:
    """A file of ``size`` bytes that takes no disk: ``head``, then a hole."""
    p = write(d, name, head)
    with open(p, "r+b") as fh:
        fh.truncate(size)
    return p


def _csv(name, fmt, tests, expect, text_fn, encoding="utf-8", *options):
    case(name, fmt, tests, expect, *options)(lambda d: write(d, name, text_fn(), encoding))


_csv("good.csv", "points-csv", "baseline: three parcels, one point per row", ok(), csv_text)
_csv("alt_enter_owner.csv", "points-csv", "a quoted 权利人 cell with a line break (Excel Alt+Enter) before X/Y",
     ok(), lambda: csv_text(header=("宗地号", "点号", "权利人", "X", "Y"),
                            rows=[(p, k, '"张三\n李四"' if k == "J1" else "王五", x, y) for p, k, x, y in point_rows()]))
_csv("alt_enter_crlf.csv", "points-csv", "multi-line cells with CRLF line ends",
     ok(), lambda: csv_text(header=("宗地号", "权利人", "点号", "X", "Y"), nl="\r\n",
                            rows=[(p, '"甲\r\n乙\r\n丙"', k, x, y) for p, k, x, y in point_rows()]))
_csv("alt_enter_every_row.csv", "points-csv", "every row has a three-line note after Y",
     ok(), lambda: csv_text(extra=("备注", lambda i, r: '"第一行\n第二行\n第三行"')))
_csv("huge_cell.csv", "points-csv", "a 300,000-character note (over csv's default field limit) beside a point",
     ok(), lambda: csv_text(extra=("备注", lambda i, r: "长" * 300_000 if i == 0 else "")))
_csv("huge_x.csv", "points-csv", "a 200,000-digit X: the parcel is refused naming the row, the others kept",
     ok({"B": 1500, "C": 600}, "not a usable coordinate"),
     lambda: csv_text(rows=[(p, k, "9" * 200_000 if (p, k) == ("A", "J2") else x, y) for p, k, x, y in point_rows()]))
_csv("unclosed_quote.csv", "points-csv", "an unclosed quote would swallow the following points",
     refused("quote"), lambda: csv_text(header=("宗地号", "点号", "权利人", "X", "Y"),
                                        rows=[(p, k, '"张三' if (p, k) == ("A", "J2") else "", x, y) for p, k, x, y in point_rows()]))
_csv("utf16le_tab.csv", "points-csv", "Excel 'Unicode text': UTF-16 LE with BOM, tab-separated",
     ok(), lambda: csv_text(sep="\t"), "utf-16")
_csv("utf16be.txt", "points-csv", "UTF-16 BE with BOM, tab-separated, as .txt",
     ok(), lambda: "\ufeff" + csv_text(sep="\t"), "utf-16-be")
_csv("gbk.csv", "points-csv", "GBK text (Chinese Windows Excel)", ok(), lambda: csv_text(), "gbk")
_csv("bom.csv", "points-csv", "UTF-8 with BOM", ok(), lambda: "\ufeff" + csv_text())
_csv("semicolon.csv", "points-csv", "semicolon-separated", ok(), lambda: csv_text(sep=";"))
_csv("fullwidth.csv", "points-csv", "full-width digits and header",
     ok(), lambda: csv_text(header=("宗地号", "点号", "Ｘ", "Ｙ"),
                            rows=[(p, k, x.translate(str.maketrans("0123456789.", "０１２３４５６７８９．")), y)
                                  for p, k, x, y in point_rows()]))
_csv("thousands.csv", "points-csv", "quoted numbers with thousands separators",
     ok(), lambda: csv_text(rows=[(p, k, f'"{float(x):,.3f}"', f'"{float(y):,.3f}"') for p, k, x, y in point_rows()]))
_csv("escape_id.csv", "points-csv", "terminal escapes and a vertical tab in parcel ids",
     ok({"\x1b[2JA": 2400, "B\x0b": 1500, "C": 600}),
     lambda: csv_text(rows=[({"A": "\x1b[2JA", "B": "B\x0b"}.get(p, p), k, x, y) for p, k, x, y in point_rows()]))
_csv("long_number.csv", "points-csv", "a 300-digit Y: message bounded to 300 characters",
     ok({"A": 2400, "C": 600}, "not a usable coordinate"),
     lambda: csv_text(rows=[(p, k, x, "1" * 300 if p == "B" else y) for p, k, x, y in point_rows()]))
_csv("nan_x.csv", "points-csv", "NaN as X", ok({"B": 1500, "C": 600}, "not a usable coordinate"),
     lambda: csv_text(rows=[(p, k, "NaN" if p == "A" and k == "J3" else x, y) for p, k, x, y in point_rows()]))
_csv("inf_y.csv", "points-csv", "inf as Y", ok({"A": 2400, "B": 1500}, "not a usable coordinate"),
     lambda: csv_text(rows=[(p, k, x, "inf" if p == "C" else y) for p, k, x, y in point_rows()]))
_csv("missing_y.csv", "points-csv", "a point with an empty Y", ok({"A": 2400, "C": 600}, "not a usable coordinate"),
     lambda: csv_text(rows=[(p, k, x, "" if (p, k) == ("B", "J2") else y) for p, k, x, y in point_rows()]))
_csv("point_without_xy.csv", "points-csv", "a numbered point with neither X nor Y",
     ok({"B": 1500, "C": 600}, "no X and Y"),
     lambda: csv_text(rows=[(p, k, "" if (p, k) == ("A", "J4") else x, "" if (p, k) == ("A", "J4") else y)
                            for p, k, x, y in point_rows()]))
_csv("all_bad.csv", "points-csv", "every point unusable", refused("no parcel could be imported"),
     lambda: csv_text(rows=[(p, k, "x", "y") for p, k, _, _ in point_rows()]))
_csv("empty.csv", "points-csv", "an empty file", refused("empty"), lambda: "")
_csv("blank_lines.csv", "points-csv", "only blank lines", refused("empty"), lambda: "\n\n  \n")
_csv("header_only.csv", "points-csv", "a header and no rows", refused("no boundary point"), lambda: "宗地号,点号,X,Y\n")
_csv("no_xy_columns.csv", "points-csv", "no coordinate columns", refused("no coordinate columns"),
     lambda: "名称,面积\n甲,100\n乙,200\n")
case("nul_bytes.csv", "points-csv", "NUL bytes inside", refused("binary"))(
    lambda d: write(d, "nul_bytes.csv", csv_text().encode() + b"\x00\x00garbage"))
case("invalid_utf8_gbk.csv", "points-csv", "bytes valid in neither UTF-8 nor GBK", refused("encoding"))(
    lambda d: write(d, "invalid_utf8_gbk.csv", csv_text().encode() + b"\x81\x20\xff\xfe\x80\n"))
_csv("title_rows.csv", "points-csv", "title rows above the header", ok(),
     lambda: "界址点坐标成果表\n单位：米\n" + csv_text())
_csv("dup_points.csv", "points-csv", "consecutive duplicate points", ok(),
     lambda: csv_text(rows=[r for r in point_rows() for _ in (0, 1)]))
_csv("ring_hole.csv", "points-csv", "圈号 column: parcel A with a 10 × 10 m courtyard",
     ok({"A": 2300, "B": 1500, "C": 600}),
     lambda: csv_text(header=("宗地号", "圈号", "点号", "X", "Y"),
                      rows=[(p, "1", k, x, y) for p, k, x, y in point_rows()] +
                      [("A", "2", f"K{i}", f"{N0 + 10 + dy:.3f}", f"{E0 + 20 + dx:.3f}")
                       for i, (dx, dy) in enumerate([(0, 0), (10, 0), (10, 10), (0, 10)])]))
_csv("merged_id.csv", "points-csv", "parcel id only on the first row of each parcel (merged cells)", ok(),
     lambda: csv_text(rows=[(p if k == "J1" else "", k, x, y) for p, k, x, y in point_rows()]))
_csv("whitespace.txt", "points-csv", "whitespace-separated .txt table", ok(),
     lambda: csv_text(sep="   "))
_csv("many_points.csv", "points-csv", "one parcel of 20,000 boundary points (a fine polygon of A)",
     ok({"A": 2400}), lambda: csv_text(rows=[("A", f"P{i}", f"{n:.4f}", f"{e:.4f}") for i, (e, n) in enumerate(
         [(E0 + 60 * t / 5000, N0) for t in range(5000)] + [(E0 + 60, N0 + 40 * t / 5000) for t in range(5000)] +
         [(E0 + 60 - 60 * t / 5000, N0 + 40) for t in range(5000)] + [(E0, N0 + 40 - 40 * t / 5000) for t in range(5000)])]))
_csv("cr_only.csv", "points-csv", "old Mac line ends (CR only)", ok(), lambda: csv_text(nl="\r"))
_csv("bidi_id.csv", "points-csv", "a right-to-left override in an id", ok({"A\u202eB": 2400, "B": 1500, "C": 600}),
     lambda: csv_text(rows=[("A\u202eB" if p == "A" else p, k, x, y) for p, k, x, y in point_rows()]))
case("sparse_2gb.csv", "points-csv", "a 2 GiB sparse CSV must be refused before it is read", refused("over 1.0 GB"))(
    lambda d: sparse(d, "sparse_2gb.csv", csv_text().encode()))
case("sparse_200mb.csv", "points-csv", "a 200 MB table would need 2 GB to read: refused before reading",
     refused("need about"))(lambda d: sparse(d, "sparse_200mb.csv", csv_text().encode() + b"\n" * 5000, 200 << 20))
case("sparse_150mb.txt", "exchange-txt", "a 150 MB exchange file: refused before reading", refused("need about"))(
    lambda d: sparse(d, "sparse_150mb.txt", exchange_text().encode() + b"\n" * 5000, 150 << 20))
case("fifo.csv", "points-csv", "a FIFO named .csv is refused at once, never waited on", refused("pipe"))(
    lambda d: (os.mkfifo(d / "fifo.csv"), d / "fifo.csv")[1])
case("esc\x1b[31mname.csv", "points-csv", "a file name with a terminal escape", ok())(
    lambda d: write(d, "esc\x1b[31mname.csv", csv_text()))
case("directory.csv", "points-csv", "a folder named like a table", refused("no shapefile"))(
    lambda d: (d / "directory.csv").mkdir() or d / "directory.csv")
case("committed_owner_lines.csv", "points-csv", "committed: Excel export with Alt+Enter owners and a title row", ok())(
    committed("owner_lines.csv"))


# ------------------------------------------------------------------ XLSX
def xlsx(d: Path, name: str, rows, *, stray=None, sheets=None) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "界址点"
    for r in rows:
        ws.append(list(r))
    if stray:
        ws[stray] = "x"
    for title, more in (sheets or {}).items():
        extra = wb.create_sheet(title, 0)
        for r in more:
            extra.append(list(r))
    p = d / name
    wb.save(p)
    return p


def xrows(header=("宗地号", "点号", "X", "Y"), rows=None, numeric=True):
    yield header
    for p, k, x, y in rows if rows is not None else point_rows():
        yield (p, k, float(x) if numeric else x, float(y) if numeric else y)


case("good.xlsx", "points-xlsx", "baseline workbook", ok())(lambda d: xlsx(d, "good.xlsx", xrows()))
case("stray_xfd.xlsx", "points-xlsx", "one stray cell at XFD1048576: no padding to 17 billion cells", ok())(
    lambda d: xlsx(d, "stray_xfd.xlsx", xrows(), stray="XFD1048576"))
case("stray_row.xlsx", "points-xlsx", "a stray cell at A1048576", ok())(
    lambda d: xlsx(d, "stray_row.xlsx", xrows(), stray="A1048576"))
case("alt_enter.xlsx", "points-xlsx", "a cell with line breaks in 权利人", ok())(
    lambda d: xlsx(d, "alt_enter.xlsx", [("宗地号", "权利人", "点号", "X", "Y")] +
                   [(p, "张三\n李四", k, float(x), float(y)) for p, k, x, y in point_rows()]))
case("text_numbers.xlsx", "points-xlsx", "coordinates stored as text, some full-width", ok())(
    lambda d: xlsx(d, "text_numbers.xlsx", xrows(numeric=False)))
case("formula_no_cache.xlsx", "points-xlsx", "X as a formula without a cached value: parcel refused",
     ok({"B": 1500, "C": 600}, "no X and Y"))(
    lambda d: xlsx(d, "formula_no_cache.xlsx", [("宗地号", "点号", "X", "Y")] + [
        (p, k, "=1+1" if p == "A" and k == "J2" else float(x), "=2+2" if p == "A" and k == "J2" else float(y))
        for p, k, x, y in point_rows()]))
case("escape_ids.xlsx", "points-xlsx", "ids with a C1 CSI escape and a bidi override", ok({"\x9b2J\u202eA": 2400, "B": 1500, "C": 600}))(
    lambda d: xlsx(d, "escape_ids.xlsx", xrows(rows=[("\x9b2J\u202eA" if p == "A" else p, k, x, y)
                                                     for p, k, x, y in point_rows()])))
case("second_sheet.xlsx", "points-xlsx", "first sheet without coordinates, second with", ok())(
    lambda d: xlsx(d, "second_sheet.xlsx", xrows(), sheets={"说明": [("说明",), ("本表为界址点",)]}))
case("long_cell.xlsx", "points-xlsx", "a 32,767-character note", ok())(
    lambda d: xlsx(d, "long_cell.xlsx", [("宗地号", "点号", "X", "Y", "备注")] +
                   [(p, k, float(x), float(y), "长" * 32767) for p, k, x, y in point_rows()]))
case("empty.xlsx", "points-xlsx", "an empty workbook", refused("no coordinate columns"))(
    lambda d: xlsx(d, "empty.xlsx", []))
case("truncated.xlsx", "points-xlsx", "a workbook cut in half", refused("xlsx"))(
    lambda d: write(d, "truncated.xlsx", xlsx(d, "t.xlsx", xrows()).read_bytes()[:3000]))
case("zip_not_workbook.xlsx", "points-xlsx", "a zip of text named .xlsx", refused("not a readable .xlsx"))(
    lambda d: _zip(d / "zip_not_workbook.xlsx", {"xl/readme.txt": b"hello"}))
case("bomb.xlsx", "points-xlsx", "members declaring 4 GB unpacked: refused before reading", refused("over 1.0 GB"))(
    lambda d: _inflate_claim(xlsx(d, "bomb.xlsx", xrows()), "xl/worksheets/sheet1.xml"))
case("old.xls", "points-xlsx", "an old binary .xls", refused("old binary Excel"))(
    lambda d: write(d, "old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600))
case("nan_cells.xlsx", "points-xlsx", "NaN text in X", ok({"A": 2400, "B": 1500}, "not a usable coordinate"))(
    lambda d: xlsx(d, "nan_cells.xlsx", xrows(rows=[(p, k, "nan" if p == "C" else x, y) for p, k, x, y in point_rows()],
                                              numeric=False)))
case("sparse_2gb.xlsx", "points-xlsx", "a 2 GiB sparse .xlsx", refused("over 1.0 GB"))(
    lambda d: sparse(d, "sparse_2gb.xlsx", b"PK\x03\x04" + b"\0" * 60))


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _inflate_claim(path: Path, member: str) -> Path:
    """Make the zip's central directory claim ``member`` unpacks to ~4 GB (a bomb's signature)."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    pos = 0
    while (pos := data.find(b"PK\x01\x02", pos)) >= 0:
        n = struct.unpack("<H", data[pos + 28:pos + 30])[0]
        if bytes(data[pos + 46:pos + 46 + n]) == name:
            data[pos + 24:pos + 28] = struct.pack("<I", 0xFFFFFF00)
        pos += 4
    path.write_bytes(bytes(data))
    return path


# ------------------------------------------------------------------ exchange text (坐标报盘)
HEADER = ("[属性描述]\n格式版本号=1.01\n数据产生单位=温州测绘\n坐标系=2000国家大地坐标系\n几度分带=3\n投影类型=高斯克吕格\n"
          "计量单位=米\n带号=40\n精度=0.001\n转换参数=,,,,,,\n[地块坐标]\n")


def exchange_text(pids=("A", "B", "C"), name="地块", bad=None, header=HEADER, nl="\n", area=None) -> str:
    out = [header.rstrip("\n")]
    for pid in pids:
        pts = ring(pid) + ring(pid)[:1]
        ha = area if area is not None else f"{AREAS[pid] / 10000:.4f}"
        out.append(f"{len(pts)},{ha},{pid},{name},面,,071,0701,@")
        for k, (e, n) in enumerate(pts, 1):
            x, y = f"{n:.3f}", f"{40_000_000 + e:.3f}"
            if bad and (pid, k) == bad[0]:
                x = bad[1]
            out.append(f"J{k},1,{x},{y}")
    return nl.join(out) + nl


def _txt(name, tests, expect, fn, encoding="utf-8"):
    case(name, "exchange-txt", tests, expect)(lambda d: write(d, name, fn(), encoding))


_txt("exchange_good.txt", "baseline 部标 exchange file", ok(), exchange_text)
_txt("exchange_gbk.txt", "GBK exchange file", ok(), exchange_text, "gbk")
_txt("exchange_utf16.txt", "UTF-16 exchange file (BOM)", ok(), exchange_text, "utf-16")
_txt("exchange_crlf.txt", "CRLF line ends", ok(), lambda: exchange_text(nl="\r\n"))
_txt("exchange_brackets.txt", "full-width 【】 section brackets", ok(),
     lambda: exchange_text(header=HEADER.replace("[", "【").replace("]", "】")))
_txt("exchange_nan.txt", "NaN as a northing: parcel refused", ok({"B": 1500, "C": 600}, "not valid numbers"),
     lambda: exchange_text(bad=(("A", 2), "NaN")))
_txt("exchange_long_number.txt", "a 400-digit northing", ok({"B": 1500, "C": 600}, "not valid numbers"),
     lambda: exchange_text(bad=(("A", 3), "9" * 400)))
_txt("exchange_short_line.txt", "a point line cut to two fields", ok({"A": 2400, "C": 600}, "not a point line"),
     lambda: exchange_text().replace(f"J2,1,{N0:.3f},{40_000_000 + E0 + 150:.3f}", "J2,1"))
_txt("exchange_truncated.txt", "file cut in the middle of parcel C: flagged with the point count",
     ok({"A": 2400, "B": 1500, "C": 300}, "point_count"), lambda: exchange_text().rsplit("J4,", 1)[0])
_txt("exchange_no_sections.txt", "plain text, no sections", refused("neither"), lambda: "hello\nworld\n")
_txt("exchange_empty_parcels.txt", "header and no parcels", refused("no [地块坐标] parcel line"), lambda: HEADER)
_txt("exchange_escape_name.txt", "terminal escapes in 地块名称", ok(), lambda: exchange_text(name="\x1b[2J\x1b[H恶意"))
_txt("exchange_huge_area.txt", "a 300-digit 面积", ok(finding="area_mismatch"), lambda: exchange_text(area="9" * 300))
_txt("exchange_xian80.txt", "Xian 1980 header: flagged, no datum shift", ok(finding="datum_not_shifted", tol=1),
     lambda: exchange_text(header=HEADER.replace("2000国家大地坐标系", "1980西安坐标系")))
_txt("exchange_long_line.txt", "a 1 MB 地块名称", ok(), lambda: exchange_text(name="名" * 1_000_000))
_txt("exchange_garbage_header.txt", "a header of garbage (crs from the values)", ok(finding="crs_header"),
     lambda: exchange_text(header="[属性描述]\n坐标系=\x07???\n[地块坐标]\n"))
case("exchange_binary.txt", "exchange-txt", "binary garbage named .txt", refused("binary"))(
    lambda d: write(d, "exchange_binary.txt", bytes(range(256)) * 20))
case("exchange_sparse.txt", "exchange-txt", "a 2 GiB sparse .txt", refused("over 1.0 GB"))(
    lambda d: sparse(d, "exchange_sparse.txt", exchange_text().encode()))
case("committed_exchange.txt", "exchange-txt", "committed: a GBK exchange file with a hole", ok({"T1": 2300}, tol=0.01))(
    committed("exchange_hole.txt"))


# ------------------------------------------------------------------ CASS .dat
def dat_text(pid="A", code="", bad=None, nl="\n") -> str:
    out = []
    for k, (e, n) in enumerate(ring(pid), 1):
        y, x = f"{e:.3f}", f"{n:.3f}"
        if bad and k == bad[0]:
            x = bad[1]
        out.append(f"{k},{code},{y},{x},5.0")
    return nl.join(out) + nl


def _dat(name, tests, expect, fn, encoding="utf-8"):
    case(name, "cass-dat", tests, expect)(lambda d: write(d, name, fn(), encoding))


_dat("good.dat", "baseline CASS file: one parcel named after the file", ok({"good": 2400}), dat_text)
_dat("codes.dat", "two 编码 groups become two parcels", ok({"A": 2400, "B": 1500}),
     lambda: dat_text("A", "A") + dat_text("B", "B"))
_dat("gbk_code.dat", "GBK 编码", ok({"宗地甲": 2400}), lambda: dat_text(code="宗地甲"), "gbk")
_dat("utf16.dat", "UTF-16 .dat", ok({"utf16": 2400}), dat_text, "utf-16")
_dat("nan.dat", "NaN northing: the parcel is refused", refused("not usable coordinates"),
     lambda: dat_text(bad=(2, "nan")))
_dat("bad_one_of_two.dat", "bad point in one code group: that parcel refused", ok({"B": 1500}, "not usable coordinates"),
     lambda: dat_text("A", "A", bad=(3, "abc")) + dat_text("B", "B"))
_dat("two_points.dat", "only two points", refused("no parcel could be built"),
     lambda: "1,,564400,3100400,0\n2,,564460,3100400,0\n")
_dat("empty.dat", "empty", refused("empty"), lambda: "")
_dat("cr_only.dat", "CR line ends", ok({"cr_only": 2400}), lambda: dat_text(nl="\r"))
_dat("escape_code.dat", "terminal escape as the 编码 of all points", ok({"\x1b[5mA": 2400}), lambda: dat_text(code="\x1b[5mA"))
_dat("long_line.dat", "a 500,000-character line among the points", ok({"long_line": 2400}, "skipped"),
     lambda: dat_text() + "x" * 500_000 + "\n")
_dat("huge_number.dat", "a 300-digit Y", refused("not usable coordinates"), lambda: dat_text(bad=(1, "7" * 300)))
case("binary.dat", "cass-dat", "binary garbage", refused("binary"))(
    lambda d: write(d, "binary.dat", b"\x00\x01\x02" * 1000))
case("sparse.dat", "cass-dat", "a 2 GiB sparse .dat", refused("over 1.0 GB"))(
    lambda d: sparse(d, "sparse.dat", dat_text().encode()))


# ------------------------------------------------------------------ vector files
def frame(crs="EPSG:4549", ids=None, extra=None):
    import geopandas as gpd
    from shapely.geometry import Polygon

    ids = ids or list(BOXES)
    g = gpd.GeoDataFrame({"宗地号": ids, "权利人": ["张三", "李四", "王五"][:len(ids)], **(extra or {})},
                         geometry=[Polygon(ring(p)) for p in BOXES][:len(ids)], crs="EPSG:4549")
    return g.to_crs(crs) if crs != "EPSG:4549" else g


def geojson(features_coords, props=None) -> str:
    import json

    feats = [{"type": "Feature", "properties": (props or [{}] * len(features_coords))[i] | {"宗地号": pid},
              "geometry": {"type": "Polygon", "coordinates": coords}}
             for i, (pid, coords) in enumerate(features_coords)]
    return json.dumps({"type": "FeatureCollection", "features": feats}, ensure_ascii=False)


def lonlat_rings():
    g = frame("EPSG:4326")
    return [(pid, [[list(c) for c in geom.exterior.coords]]) for pid, geom in zip(g["宗地号"], g.geometry)]


def _gj(name, tests, expect, fn, encoding="utf-8"):
    case(name, "geojson", tests, expect)(lambda d: write(d, name, fn(), encoding))


_gj("good.geojson", "baseline GeoJSON (WGS84)", ok(tol=0.05), lambda: geojson(lonlat_rings()))
_gj("nan_one.geojson", "NaN coordinates in one feature: named as not numbers",
    ok({"B": 1500, "C": 600}, "not numbers (NaN", tol=0.05),
    lambda: geojson([(p, [[[float("nan"), c[1]] if i == 1 and p == "A" else c for i, c in enumerate(r[0])]])
                     for p, r in lonlat_rings()]).replace("NaN", "NaN"))
_gj("nan_all.geojson", "NaN everywhere", refused("not numbers (NaN"),
    lambda: geojson([(p, [[[float("nan"), float("nan")] for _ in r[0]]]) for p, r in lonlat_rings()]))
_gj("infinity.geojson", "Infinity in a coordinate", ok({"A": 2400, "C": 600}, "not numbers", tol=0.05),
    lambda: geojson([(p, [[[float("inf"), c[1]] if i == 2 and p == "B" else c for i, c in enumerate(r[0])]])
                     for p, r in lonlat_rings()]))
_gj("empty_fc.geojson", "an empty FeatureCollection", refused("no"), lambda: '{"type":"FeatureCollection","features":[]}')
_gj("truncated.geojson", "cut in the middle", refused("damaged"), lambda: geojson(lonlat_rings())[:200])
_gj("deep_nesting.geojson", "100,000 nested arrays", refused(""), lambda: '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":' + "[" * 100_000 + "]" * 100_000 + "}}]}")
_gj("escape_props.geojson", "terminal escapes in properties and ids", ok({"\x1b[2JA": 2400, "B": 1500, "C": 600}, tol=0.05),
    lambda: geojson([("\x1b[2JA" if p == "A" else p, r) for p, r in lonlat_rings()], [{"权利人": "\x1b]52;c;bad\x07"}] * 3))
_gj("bom.geojson", "UTF-8 BOM", ok(tol=0.05), lambda: "\ufeff" + geojson(lonlat_rings()))
_gj("utf16.geojson", "UTF-16 GeoJSON: refused in words", refused("UTF-16"), lambda: geojson(lonlat_rings()), "utf-16")
_gj("self_cross.geojson", "a bow-tie polygon: repaired and flagged", ok({"A": 1200, "B": 1500, "C": 600}, "repaired", tol=0.05),
    lambda: geojson([(p, [[r[0][0], r[0][2], r[0][1], r[0][3], r[0][0]]] if p == "A" else r) for p, r in lonlat_rings()]))
_gj("points_only.geojson", "Point features only", refused("no usable parcel"),
    lambda: '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[120.6,28.0]}}]}')
_gj("big_number.geojson", "a coordinate of 1e400", refused(""),
    lambda: geojson(lonlat_rings()).replace("120.", "1e400", 1))
_gj("long_string.geojson", "a 2 MB property string", ok(tol=0.05),
    lambda: geojson(lonlat_rings(), [{"备注": "长" * 700_000}] * 3))
_gj("metres.geojson", "EPSG:4549 metres without a crs member (inferred)", ok(),
    lambda: geojson([(p, [[list(c) for c in ring(p) + ring(p)[:1]]]) for p in BOXES]))
_gj("garbage_crs.geojson", "a garbage crs member", ok(),
    lambda: geojson([(p, [[list(c) for c in ring(p) + ring(p)[:1]]]) for p in BOXES])[:-1]
    + ',"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::99999999"}}}')
_gj("two_area_columns.geojson", "证载面积 and its alias cert_area side by side: refused naming both, never a guess",
    refused("'cert_area'"), lambda: geojson(lonlat_rings(), [{"证载面积": "2400", "cert_area": "100"}] * 3))
_gj("fan_ray_rounding.geojson", "three small overlapping outlines (EPSG:4549) on which a ray from one fan's centre "
    "rounds to a full turn from its first corner: the overlap check once raised an IndexError here; now flagged",
    ok({"S": 1.0, "T": 4.5, "U": 1.0}, "overlap", tol=1e-6),
    lambda: geojson([(pid, [[[E0 + 400 + x, N0 + y] for x, y in pts + pts[:1]]]) for pid, pts in
                     (("S", [(0, 0), (0, 1), (1, 1), (1, 0)]), ("T", [(0, 0), (9, 0), (12, 1)]),
                      ("U", [(7, 0), (8, 0), (6, 2)]))])[:-1]
    + ',"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4549"}}}')
case("fifo.geojson", "geojson", "a FIFO", refused("pipe"))(lambda d: (os.mkfifo(d / "fifo.geojson"), d / "fifo.geojson")[1])
case("sparse.geojson", "geojson", "a 2 GiB sparse GeoJSON", refused("over 1.0 GB"))(
    lambda d: sparse(d, "sparse.geojson", b'{"type":"FeatureCollection","features":['))
case("stacked_200.geojson", "geojson", "200 copies of parcel A stacked: flagged overlaps, never dropped",
     ok({"A": 2400}, "overlap", copies=200))(
    lambda d: write(d, "stacked_200.geojson", geojson([("A", [[list(c) for c in ring("A") + ring("A")[:1]]])] * 200)))


# ---- shapefile
def shapefile(d: Path, stem="p", g=None, **kw) -> Path:
    (g if g is not None else frame()).to_file(d / f"{stem}.shp", encoding=kw.pop("encoding", "UTF-8"), **kw)
    return d / f"{stem}.shp"


def _patch(p: Path, offset: int, data: bytes) -> Path:
    b = bytearray(p.read_bytes())
    b[offset:offset + len(data)] = data
    p.write_bytes(bytes(b))
    return p


def _shp_case(name, tests, expect, fn):
    def build(d: Path) -> Path:
        shp = shapefile(d)
        fn(shp)
        return shp
    sub = name.replace(".shp", "")
    case(name, "shapefile", tests, expect)(lambda d: build(d / sub) if (d / sub).mkdir() is None else None)


_shp_case("good.shp", "baseline shapefile with .cpg and .prj", ok(), lambda shp: None)
_shp_case("dbf_count_low.shp", ".dbf header says 1 record beside 3 shapes", refused("lists 1 record"),
          lambda shp: _patch(shp.with_suffix(".dbf"), 4, struct.pack("<I", 1)))
_shp_case("dbf_count_high.shp", ".dbf header says 9 records beside 3 shapes", refused("cut short"),
          lambda shp: _patch(shp.with_suffix(".dbf"), 4, struct.pack("<I", 9)))
_shp_case("dbf_header_len.shp", "garbled .dbf header length would drop every column", refused("header says"),
          lambda shp: _patch(shp.with_suffix(".dbf"), 8, struct.pack("<H", 33)))
_shp_case("dbf_record_len.shp", "garbled .dbf record length", refused("records are"),
          lambda shp: _patch(shp.with_suffix(".dbf"), 10, struct.pack("<H", 7)))
_shp_case("dbf_truncated.shp", ".dbf cut inside its records", refused("cut short"),
          lambda shp: shp.with_suffix(".dbf").write_bytes(shp.with_suffix(".dbf").read_bytes()[:-150]))
_shp_case("dbf_header_cut.shp", ".dbf of 20 bytes", refused("cut short"),
          lambda shp: shp.with_suffix(".dbf").write_bytes(shp.with_suffix(".dbf").read_bytes()[:20]))
_shp_case("prj_garbage.shp", "a garbage .prj: ignored, CRS inferred, flagged", ok(finding="crs_unreadable"),
          lambda shp: shp.with_suffix(".prj").write_text('PROJCS["x",GEOGCS['))
_shp_case("prj_local.shp", "a LOCAL_CS .prj: ignored, CRS inferred, flagged", ok(finding="crs_unreadable"),
          lambda shp: shp.with_suffix(".prj").write_text('LOCAL_CS["foo"]'))
_shp_case("prj_binary.shp", "a binary .prj", ok(),
          lambda shp: shp.with_suffix(".prj").write_bytes(b"\x00\x01\xff garbage"))
_shp_case("no_shx.shp", "missing .shx", refused(".shx file"), lambda shp: shp.with_suffix(".shx").unlink())
_shp_case("no_dbf.shp", "missing .dbf", refused(".dbf file"), lambda shp: shp.with_suffix(".dbf").unlink())
_shp_case("shp_cut.shp", ".shp cut short", refused("cut short"),
          lambda shp: shp.write_bytes(shp.read_bytes()[:-40]))
_shp_case("shp_bad_magic.shp", ".shp with a wrong file code", refused("damaged"),
          lambda shp: _patch(shp, 0, b"\x00\x00\x00\x01"))
_shp_case("cpg_garbage.shp", "a .cpg naming no encoding", ok(), lambda shp: shp.with_suffix(".cpg").write_text("\x1b[2Jnonsense"))
_shp_case("escape_attr.shp", "attributes holding escapes and control characters", ok(),
          lambda shp: frame(extra={"备注": ["\x1b[2J", "\x0b\x0c", "\x07"]}).to_file(shp, encoding="UTF-8"))
_shp_case("fifo_dbf.shp", "the .dbf is a FIFO: refused, never waited on", refused("pipe"),
          lambda shp: (shp.with_suffix(".dbf").unlink(), os.mkfifo(shp.with_suffix(".dbf"))))
_shp_case("sparse_shp.shp", "a 2 GiB sparse .shp", refused("over 1.0 GB"),
          lambda shp: os.truncate(shp, 2 << 30))
case("gbk_no_cpg.shp", "shapefile", "GBK attributes without .cpg (detected)", ok())(
    lambda d: (shapefile(d, "gbk_no_cpg", encoding="GBK"), (d / "gbk_no_cpg.cpg").unlink(missing_ok=True),
               d / "gbk_no_cpg.shp")[2])
case("folder", "shapefile", "a folder holding one shapefile", ok())(
    lambda d: (shapefile(d / "folder") if (d / "folder").mkdir() is None else None, d / "folder")[1])
case("two_in_folder", "shapefile", "a folder of two shapefiles: asked to choose", refused("choose"))(
    lambda d: ((d / "two_in_folder").mkdir(), shapefile(d / "two_in_folder", "a"), shapefile(d / "two_in_folder", "b"),
               d / "two_in_folder")[3])


def _zip_folder(d: Path, name: str, prepare=None, names=None) -> Path:
    src = d / "src"
    src.mkdir()
    shp = shapefile(src)
    if prepare:
        prepare(shp)
    with zipfile.ZipFile(d / name, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(src.iterdir()):
            zf.write(p, (names or (lambda n: n))(p.name))
    shutil.rmtree(src)
    return d / name


case("good.zip", "shapefile-zip", "zipped shapefile", ok())(lambda d: _zip_folder(d, "good.zip"))
case("zip_dbf_count.zip", "shapefile-zip", "zipped shapefile whose .dbf says 2 records: refused naming the archive",
     refused("lists 2 record"))(lambda d: _zip_folder(d, "zip_dbf_count.zip",
                                                       lambda s: _patch(s.with_suffix(".dbf"), 4, struct.pack("<I", 2))))
case("zip_slip.zip", "shapefile-zip", "members named ../../escape: unpacked inside the private folder only", ok())(
    lambda d: _zip_folder(d, "zip_slip.zip", names=lambda n: "../../" + n))
case("zip_bomb_claim.zip", "shapefile-zip", "a member claiming 4 GB: refused before unpacking", refused("more than 1.0 GB"))(
    lambda d: _inflate_claim(_zip_folder(d, "zip_bomb_claim.zip"), "p.dbf"))
case("zip_empty.zip", "shapefile-zip", "a zip of a readme", refused("no shapefile"))(
    lambda d: _zip(d / "zip_empty.zip", {"readme.txt": b"hi"}))
case("zip_truncated.zip", "shapefile-zip", "a zip cut short", refused("zip"))(
    lambda d: write(d, "zip_truncated.zip", _zip_folder(d, "t.zip").read_bytes()[:500]))
case("zip_prj_garbage.zip", "shapefile-zip", "zipped shapefile with a garbage .prj", ok(finding="crs_unreadable"))(
    lambda d: _zip_folder(d, "zip_prj_garbage.zip", lambda s: s.with_suffix(".prj").write_text('PROJCS["x",GEOGCS[')))
case("zip_gbk_names.zip", "shapefile-zip", "GBK member names without the UTF-8 flag", ok())(
    lambda d: _zip_folder(d, "zip_gbk_names.zip", names=lambda n: n.replace("p.", "宗地.")))


# ---- GeoPackage
def gpkg(d: Path, name="good.gpkg", layers=("parcels",), g=None) -> Path:
    for layer in layers:
        (g if g is not None else frame()).to_file(d / name, layer=layer, driver="GPKG")
    return d / name


case("good.gpkg", "geopackage", "baseline GeoPackage", ok())(lambda d: gpkg(d))
case("two_layers.gpkg", "geopackage", "two layers: asked to choose", refused("choose"))(
    lambda d: gpkg(d, "two_layers.gpkg", ("a", "b")))
case("truncated.gpkg", "geopackage", "cut in half", refused("damaged"))(
    lambda d: write(d, "truncated.gpkg", gpkg(d, "t.gpkg").read_bytes()[:4096]))
case("garbage_after_header.gpkg", "geopackage", "SQLite magic then garbage", refused("damaged"))(
    lambda d: write(d, "garbage_after_header.gpkg", b"SQLite format 3\x00" + bytes(range(256)) * 40))
case("escape_layer.gpkg", "geopackage", "escapes in the attribute values", ok())(
    lambda d: gpkg(d, "escape_layer.gpkg", g=frame(extra={"备注": ["\x1b[2J", "\x9b31m", "ok"]})))
case("sparse.gpkg", "geopackage", "a 2 GiB sparse GeoPackage", refused("over 1.0 GB"))(
    lambda d: sparse(d, "sparse.gpkg", b"SQLite format 3\x00" + b"\x10\x00"))
case("empty_table.gpkg", "geopackage", "a layer with no features", refused("no"))(
    lambda d: gpkg(d, "empty_table.gpkg", g=frame().iloc[:0]))
case("lonlat.gpkg", "geopackage", "GeoPackage in EPSG:4490 degrees", ok(tol=0.05))(
    lambda d: gpkg(d, "lonlat.gpkg", g=frame("EPSG:4490")))


# ---- KML / KMZ
def kml_text(name_fn=lambda p: p, extra="") -> str:
    g = frame("EPSG:4326")
    marks = []
    for pid, geom in zip(g["宗地号"], g.geometry):
        coords = " ".join(f"{x:.10f},{y:.10f}" for x, y in geom.exterior.coords)
        marks.append(f"<Placemark><name>{name_fn(pid)}</name><Polygon><outerBoundaryIs><LinearRing><coordinates>"
                     f"{coords}</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>")
    return (f'<?xml version="1.0" encoding="UTF-8"?>{extra}<kml xmlns="http://www.opengis.net/kml/2.2">'
            f"<Document>{''.join(marks)}</Document></kml>")


def _kml(name, tests, expect, fn):
    case(name, "kml", tests, expect)(lambda d: write(d, name, fn()))


_kml("good.kml", "baseline KML", ok(tol=0.05), kml_text)
_kml("truncated.kml", "KML cut short", refused("not valid XML"), lambda: kml_text()[:400])
_kml("xxe.kml", "an external entity pointing at /etc/passwd: never expanded",
     refused(""), lambda: kml_text(lambda p: "&xxe;" if p == "A" else p,
                                   '<!DOCTYPE kml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'))
_kml("billion_laughs.kml", "entity expansion bomb", refused(""),
     lambda: kml_text(lambda p: "&l9;" if p == "A" else p, "<!DOCTYPE kml [<!ENTITY l0 'ha'>" + "".join(
         f"<!ENTITY l{i} '{('&l' + str(i - 1) + ';') * 10}'>" for i in range(1, 10)) + "]>"))
_kml("escape_names.kml", "a control character reference in a name", ok({"A&#x1b;[2J": 2400, "B": 1500, "C": 600}, tol=0.05),
     lambda: kml_text(lambda p: "A&amp;#x1b;[2J" if p == "A" else p))
_kml("empty_doc.kml", "an empty Document", refused(""),
     lambda: '<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document></Document></kml>')
case("good.kmz", "kmz", "baseline KMZ", ok(tol=0.05))(lambda d: _zip(d / "good.kmz", {"doc.kml": kml_text().encode()}))
case("truncated_doc.kmz", "kmz", "KMZ whose doc.kml is cut: message names the .kmz, not the unpacked file",
     refused("truncated_doc.kmz"))(lambda d: _zip(d / "truncated_doc.kmz", {"doc.kml": kml_text().encode()[:300]}))
case("no_kml.kmz", "kmz", "KMZ without a .kml", refused("no .kml"))(lambda d: _zip(d / "no_kml.kmz", {"a.png": b"\x89PNG"}))
case("kmz_slip.kmz", "kmz", "KMZ member named ../../doc.kml", ok(tol=0.05))(
    lambda d: _zip(d / "kmz_slip.kmz", {"../../doc.kml": kml_text().encode()}))
case("kmz_bomb.kmz", "kmz", "KMZ member claiming 4 GB", refused("more than 1.0 GB"))(
    lambda d: _inflate_claim(_zip(d / "kmz_bomb.kmz", {"doc.kml": kml_text().encode()}), "doc.kml"))


# ---- DXF
def dxf(d: Path, name: str, *, labels=None, extra=None, layers=None) -> Path:
    import ezdxf

    doc = ezdxf.new()
    msp = doc.modelspace()
    for pid, (e, n, _, _) in BOXES.items():
        msp.add_lwpolyline(ring(pid), close=True, dxfattribs={"layer": (layers or {}).get(pid, "JZD")})
        msp.add_text((labels or {}).get(pid, pid), dxfattribs={"insert": (e + 2, n + 2), "layer": "ZDH"})
    if extra:
        extra(msp)
    doc.saveas(d / name)
    return d / name


case("good.dxf", "dxf", "baseline 宗地图: closed polylines with id labels", ok())(lambda d: dxf(d, "good.dxf"))
case("courtyard.dxf", "dxf", "an unlabelled outline inside A becomes a hole", ok({"A": 2300, "B": 1500, "C": 600}))(
    lambda d: dxf(d, "courtyard.dxf", extra=lambda m: m.add_lwpolyline(
        [(E0 + 20, N0 + 10), (E0 + 30, N0 + 10), (E0 + 30, N0 + 20), (E0 + 20, N0 + 20)], close=True, dxfattribs={"layer": "JZD"})))
case("duplicates.dxf", "dxf", "every outline drawn three times: imported once each", ok(finding="imported once"))(
    lambda d: dxf(d, "duplicates.dxf", extra=lambda m: [m.add_lwpolyline(ring(p), close=True, dxfattribs={"layer": "JZD"})
                                                         for p in BOXES for _ in (0, 1)]))
case("open_only.dxf", "dxf", "only open polylines", refused("no closed outline"))(
    lambda d: _dxf_raw(d, "open_only.dxf", lambda m: [m.add_lwpolyline(ring(p)) for p in BOXES]))
case("self_cross.dxf", "dxf", "a bow-tie outline among good ones: refused by name", ok(finding="crosses itself"))(
    lambda d: dxf(d, "self_cross.dxf", extra=lambda m: m.add_lwpolyline(
        [(E0 + 300, N0), (E0 + 340, N0 + 40), (E0 + 340, N0), (E0 + 300, N0 + 40)], close=True, dxfattribs={"layer": "JZD"})))
case("two_layers.dxf", "dxf", "outlines on two layers: asked to choose", refused("choose one"))(
    lambda d: dxf(d, "two_layers.dxf", layers={"C": "房屋"}))
case("escape_labels.dxf", "dxf", "labels with escapes", ok({"\x1b[2JA": 2400, "B": 1500, "C": 600}))(
    lambda d: dxf(d, "escape_labels.dxf", labels={"A": "\x1b[2JA"}))
case("truncated.dxf", "dxf", "a drawing cut short", refused("DXF"))(
    lambda d: write(d, "truncated.dxf", dxf(d, "t.dxf").read_bytes()[:2500]))
case("garbage.dxf", "dxf", "a DXF start then garbage", refused("DXF"))(
    lambda d: write(d, "garbage.dxf", b"0\nSECTION\n2\nENTITIES\n0\nLWPOLYLINE\n" + bytes(range(32, 127)) * 50))
case("empty_drawing.dxf", "dxf", "a drawing without entities", refused("no closed outline"))(
    lambda d: _dxf_raw(d, "empty_drawing.dxf", lambda m: None))
case("sparse.dxf", "dxf", "a 2 GiB sparse DXF", refused("over 1.0 GB"))(
    lambda d: sparse(d, "sparse.dxf", b"0\nSECTION\n"))
case("hatch_over_outline.dxf", "dxf", "hatches drawn over their boundary polylines", ok(finding="imported once"))(
    lambda d: dxf(d, "hatch_over_outline.dxf", extra=lambda m: [_hatch(m, ring(p)) for p in BOXES]))

# plain drawings the GDAL fast path reads, and damage it must leave to ezdxf
case("crlf.dxf", "dxf", "Windows line ends (read by the GDAL fast path)", ok())(
    lambda d: write(d, "crlf.dxf", dxf(d, "t.dxf").read_bytes().replace(b"\n", b"\r\n")))
case("underscore_number.dxf", "dxf", "a coordinate written 564_400.0 (GDAL would read 564): left to ezdxf", ok())(
    lambda d: write(d, "underscore_number.dxf", dxf(d, "t.dxf").read_bytes().replace(
        b"\n 10\n564400.0\n", b"\n 10\n564_400.0\n", 1)))
case("number_suffix.dxf", "dxf", "a coordinate with trailing garbage 564400.0x: ezdxf's recovery reads it", ok())(
    lambda d: write(d, "number_suffix.dxf", dxf(d, "t.dxf").read_bytes().replace(
        b"\n 10\n564400.0\n", b"\n 10\n564400.0x\n", 1)))
case("paper_space.dxf", "dxf", "an outline in paper space (owned by the layout, no flag): not a parcel", ok())(
    lambda d: write(d, "paper_space.dxf", _paper_space_outline(d)))


def _paper_space_outline(d: Path) -> bytes:
    def extra(msp):
        msp.doc.paperspace().add_lwpolyline(ring("A"), close=True, dxfattribs={"layer": "JZD"})
    return dxf(d, "t.dxf", extra=extra).read_bytes().replace(b"\n 67\n1\n", b"\n")


def _hatch(msp, pts):
    h = msp.add_hatch(dxfattribs={"layer": "JZD"})
    h.paths.add_polyline_path(pts, is_closed=True)


def _dxf_raw(d: Path, name: str, fill) -> Path:
    import ezdxf

    doc = ezdxf.new()
    fill(doc.modelspace())
    doc.saveas(d / name)
    return d / name


# ------------------------------------------------------------------ committed files
def write_committed() -> None:
    """(Re)write the small committed inputs under files/ (run by hand; the test copies them)."""
    FILES.mkdir(exist_ok=True)
    text = "界址点成果表（Excel 导出）\n" + csv_text(header=("宗地号", "权利人", "点号", "X", "Y"), nl="\r\n", rows=[
        (p, '"张三\r\n李四"' if k == "J1" else "", k, x, y) for p, k, x, y in point_rows()])
    (FILES / "owner_lines.csv").write_bytes(b"\xef\xbb\xbf" + text.encode())
    hole = exchange_text(("A",)).replace(",A,", ",T1,")
    hole += "\n".join(f"K{k},2,{N0 + 10 + dy:.3f},{40_000_000 + E0 + 20 + dx:.3f}"
                      for k, (dx, dy) in enumerate([(0, 0), (10, 0), (10, 10), (0, 10), (0, 0)], 1)) + "\n"
    hole = hole.replace("5,0.2400,T1", "10,0.2300,T1")
    (FILES / "exchange_hole.txt").write_bytes(hole.encode("gbk"))


def build_all(dest: Path) -> dict[str, Path]:
    out = {}
    for c in CASES:
        d = dest / f"case{CASES.index(c):03d}"
        d.mkdir(parents=True)
        out[c.name] = c.build(d)
    return out


if __name__ == "__main__":
    if sys.argv[1:2] == ["--commit"]:
        write_committed()
    elif sys.argv[1:2] == ["--build"]:
        for name, path in build_all(Path(sys.argv[2])).items():
            print(name, path)
    else:
        for c in CASES:
            print(f"{c.fmt:14} {c.name!r:32} {'ok' if c.expect.ok else 'refused'}: {c.tests}")
        print(len(CASES), "cases")
