"""The flowables of one parcel's report (城镇土地使用税计税面积及税额计算单)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table, TableStyle

from zones import point_names
from zones.identifiers import check_parcel_code, check_taxpayer_id, check_unit_number
from zones.money import area2, capitals, fmt_yuan
from zones.report.content import (MAP_AREA_NOTE, TITLE, area_method_text, boundary_rings, liable_text,
                                  map_shows_other_area, period_text, report_number, rounding_note, tax_base_of,
                                  warnings)
from zones.report.document import CONTENT_W, Heading, SectionMark, Styles, Title, grid_table, one_line, para, rich
from zones.report.fields import Fields
from zones.report.fonts import LATIN, draw_texts
from zones.report.glyphs import missing_in_parcel
from zones.report.grid import FastTable
from zones.report.map_vector import MapExcerpt
from zones.results import flag_text
from zones.tax import tax_base_text

if TYPE_CHECKING:
    from zones.assess import Assessment

RED = "#b00000"
MAP_H_MM = 52            # at least; as tall as the particulars beside it
MAP_W = 74 * mm
GAP = 3 * mm
INFO_W = CONTENT_W - MAP_W - GAP
HEAD = {"size": 9, "space_before": 2}


@dataclass
class ReportContext:
    """What every parcel report of one PDF shares."""

    assessment: Assessment
    attributes: object
    issued: date
    operator: str
    reviewer: str
    review_status: dict
    source_name: str | None
    styles: Styles
    pieces: Any             # assessment.pieces(), computed once per PDF
    points_csv: Any = None   # (index, geometry) → name of the CSV written with all its boundary points
    _rows_of: dict | None = None

    def pieces_of(self, i: int):
        """Parcel ``i``'s rows of ``pieces`` (grouped once: a lookup per parcel, not a scan)."""
        if self._rows_of is None:
            self._rows_of = {int(k): v for k, v in self.pieces.groupby("parcel_index").indices.items()}
        return self.pieces.iloc[self._rows_of.get(i, [])]


def _m2(v) -> str:
    return f"{area2(v):,.2f}"


def _checked(value: str, check, st, style=None) -> object:
    """A code with a red note when its check fails."""
    style = style or st.cell
    if not value:
        return para("—", style)
    r = check(value)
    if r.ok:
        return para(_short(value), style)
    return rich([(_short(value), None), (f"（校验未通过：{r.message[:200]}）", RED)], style)


#: A cell of the 纳税人及宗地 table holds at most this many characters; a longer value (a
#: 1,200-character 纳税人名称) is cut there and printed in full below the table, where a
#: paragraph may run over pages (a table row cannot).
CELL_CHARS = 150


def _short(text: str) -> str:
    text = text or ""
    return text if len(text) <= CELL_CHARS else text[:CELL_CHARS - 20] + "…（全文见本表下方）"


def _long_texts(ctx: ReportContext, f: Fields, result) -> list:
    """Paragraphs with the full text of every value the info table cut."""
    out = []
    for label, text in (("纳税人名称", f.get("taxpayer")), ("宗地号", result.parcel_id), ("统一社会信用代码", f.get("uscc")),
                        ("不动产单元号", f.get("unit_no")), ("不动产权证号", f.get("cert_no")), ("土地用途", f.get("land_use")),
                        ("土地坐落", f.get("address")), ("纳税人类型", f.get("payer_type"))):
        if text and len(text) > CELL_CHARS:
            out.append(para(f"{label}（全文，{len(text)} 字）：{text}", ctx.styles.small))
    return out


def _info_table(ctx: ReportContext, i: int, f: Fields, result, width: float = 0) -> Table:
    """Label / value rows of the taxpayer and the parcel, ``width`` points wide (beside the map)."""
    st = ctx.styles
    L = lambda t: para(t, st.c_head)
    V = lambda t: para(_short(t) or "—", st.c_cell)
    width = width or INFO_W
    widths = [30 * mm, width - 30 * mm]
    A = lambda v: one_line(v, st.c_cell, widths[1])      # areas never wrap
    declared = result.declared_area_m2 if result.declared_area_m2 is not None else f.area()
    rows = [
        [L("纳税人名称"), V(f.get("taxpayer"))],
        [L("纳税人类型"), V(f.get("payer_type") or "土地使用权人")],
        [L("统一社会信用代码"), _checked(f.get("uscc"), check_taxpayer_id, st, st.c_cell)],
        [L("宗地号"), _checked(result.parcel_id, check_parcel_code, st, st.c_cell)],
        [L("不动产单元号"), _checked(f.get("unit_no"), check_unit_number, st, st.c_cell)],
        [L("不动产权证号"), V(f.get("cert_no"))],
        [L("土地用途"), V(f.get("land_use"))],
        [L("土地坐落"), V(f.get("address"))],
        [L("证载面积（m²）"), A(_m2(declared)) if declared is not None else V("未提供")],
        [L("图上量算面积（m²）"), A(_m2(result.map_area_m2))],
    ]
    if declared is not None:
        diff = area2(result.map_area_m2) - declared      # map − certificate, the sign the GUI panel shows
        flagged = "declared_mismatch" in result.flags
        text = f"图上 − 证载 = {diff:+,.2f}" + ("（超过容差，请核实）" if flagged else "")
        rows.append([L("面积差额（m²）"), para(text, st.c_cell, color=RED if flagged else None)])
    rows.append([L("计税面积（m²）"), A(_m2(result.taxable_area_m2))])
    return grid_table(rows, widths, header_rows=0, repeat=False, compact=True,
                      extra=[("BACKGROUND", (0, 0), (0, -1), "#ececec")])


def _basis_table(ctx: ReportContext, result) -> Table:
    st = ctx.styles
    a, zs = ctx.assessment, ctx.assessment.zoneset
    basis = zs.basis_for(a.period.year)
    rates = "；".join(f"{zs.grade_label(g)} {zs.rates[g]} 元/m²·年" for g in zs.grade_list)
    zs_text = f"{zs.name}（{zs.id}，版本 {zs.version}）"
    L = lambda t: para(t, st.c_head)
    C = lambda t, color=None: para(t, st.c_cell, color=color)
    law = ("《中华人民共和国城镇土地使用税暂行条例》；"
           + (f"{basis.document}《{basis.title}》" if basis and basis.title else (basis.document if basis else "未找到适用于该年度的文件")))
    rows = [
        [L("土地等级图"), rich([(zs_text, None)] + ([("　非官方等级图，见提示事项", RED)] if not zs.official else []), st.c_cell), "", ""],
        [L("政策依据"), C(law, None if basis else RED), "", ""],
        [L("税额标准"), C(rates), L("税款所属期"), C(period_text(a.period))],
        [L("应税月份"), C(liable_text(result)), "", ""],
        [L("计税面积取整"), C(tax_base_text(tax_base_of(a))), "", ""],
    ]
    w = [22 * mm, 0, 22 * mm, 52 * mm]
    w[1] = CONTENT_W - sum(w)
    spans = [("SPAN", (1, r), (3, r)) for r in (0, 1, 3, 4)]
    return grid_table(rows, w, header_rows=0, repeat=False, compact=True,
                      extra=spans + [("BACKGROUND", (0, 0), (0, -1), "#ececec"), ("BACKGROUND", (2, 2), (2, 2), "#ececec")])


def _grade_table(ctx: ReportContext, result) -> Table:
    st = ctx.styles
    H = lambda t: para(t, st.c_head)
    R = lambda t: para(t, st.c_cell_r)
    C = lambda t: para(t, st.c_cell_c)
    # units on a line of their own: a header never wraps inside "元/m²·年"
    w = [24 * mm, 28 * mm, 17 * mm, 25 * mm, 29 * mm, 17 * mm]
    w.append(CONTENT_W - sum(w))
    # amounts and areas stay on one line whatever their size (set smaller rather than wrapped)
    A = lambda t, col: one_line(t, st.c_cell_r, w[col])
    rows: list[list] = [[H("土地等级"), H("计税面积\n（m²）"), H("占比"), H("税额标准\n（元/m²·年）"), H("年应纳税额\n（元）"),
             H("应税月数"), H("本期应纳税额\n（元）")]]
    for r in result.rows:
        rows.append([C(r.grade_label), A(_m2(r.area_m2), 1), R(f"{r.share * 100:.2f}%"), R(f"{r.rate}"),
                     A(fmt_yuan(r.annual), 4), C(str(r.months)), A(fmt_yuan(r.gross), 6)])
    outside = result.area_outside_m2
    if outside > 0.005:
        rows.append([C("征税范围以外"), A(_m2(outside), 1), R(f"{outside / result.map_area_m2 * 100:.2f}%" if result.map_area_m2 else "—"),
                     C("—"), C("—"), C("—"), R("0.00")])
    rows.append([C("合计"), A(_m2(result.taxable_area_m2), 1), "", "", A(fmt_yuan(sum((r.annual for r in result.rows), Decimal(0))), 4),
                 C(str(result.liable.count)), A(fmt_yuan(result.gross), 6)])
    return grid_table(rows, w, total_row=True, compact=True)


def _relief_table(ctx: ReportContext, result) -> Table | None:
    st = ctx.styles
    lines = [ln for r in result.rows for ln in r.reliefs if not ln.small_taxpayer]   # the halving has its own line
    if not lines:
        return None
    H = lambda t: para(t, st.head)
    H = lambda t: para(t, st.c_head)
    rows = [[H("减免性质\n代码"), H("减免项目及文件"), H("等级"), H("减免面积\n（m²）"), H("减免期间"), H("月数"),
             H("减免税额\n（元）")]]
    for ln in lines:
        name = f"{ln.name}（{ln.document}）" + ("" if ln.verified else "〔代码待核实〕")
        when = f"{ln.first} 至 {ln.last}" if ln.first else "—"
        rows.append([para(ln.code, st.tiny_c), para(name, st.tiny), para(ctx.assessment.zoneset.grade_label(ln.grade), st.tiny_c),
                     para(_m2(ln.area_m2), st.tiny_r), para(when, st.tiny_c), para(str(ln.months), st.tiny_c),
                     one_line(fmt_yuan(ln.amount), st.tiny_r, 22 * mm)])
    w = [20 * mm, 0, 11 * mm, 21 * mm, 27 * mm, 10 * mm, 22 * mm]
    w[1] = CONTENT_W - sum(w)
    return grid_table(rows, w, compact=True)


def _small_taxpayer_text(result) -> str:
    small = [ln for r in result.rows for ln in r.reliefs if ln.small_taxpayer]
    if not small:
        return ""
    ln = small[0]
    return (f"增值税小规模纳税人减征：{ln.code}，{ln.document}，{ln.first} 至 {ln.last} 共 {ln.months} 个月，"
            "按减除其他减免后的税额减半。")


def _totals_table(ctx: ReportContext, result) -> Table:
    st = ctx.styles
    L = lambda t: para(t, st.c_cell)
    w = [44 * mm, 42 * mm, 44 * mm, 0]
    w[3] = CONTENT_W - sum(w)
    A = lambda v, col: one_line(v, st.c_cell_r, w[col])
    rows = [
        [L("本期应纳税额"), A(fmt_yuan(result.gross), 1), L("减：减免税额（见减免税明细）"), A(fmt_yuan(result.relief), 3)],
        [L("减：增值税小规模纳税人减征额"), A(fmt_yuan(result.small_taxpayer_relief), 1), L("本期应缴税额（小写，元）"),
         A(fmt_yuan(result.due), 3)],
        [L("本期应缴税额（大写）"), one_line(capitals(result.due), st.c_cell_r, CONTENT_W - w[0]), "", ""],
    ]
    return grid_table(rows, w, header_rows=0, repeat=False, compact=True,
                      extra=[("SPAN", (1, 2), (3, 2)), ("BACKGROUND", (2, 1), (3, 1), "#ececec"),
                             ("BACKGROUND", (0, 2), (-1, 2), "#ececec"), ("LINEABOVE", (0, 2), (-1, 2), 0.9, "#000000")])


#: A boundary-point table longer than this is summarised in the PDF; the full list goes to a
#: CSV beside it (a 2,000,000-vertex outline would otherwise print ~33,000 pages).
MAX_TABLE_POINTS = 500


def _point_count(geom) -> int:
    """Boundary points of all rings, closing points not counted (as the table numbers them)."""
    import shapely

    if geom is None or geom.is_empty:
        return 0
    polys = [g for g in shapely.get_parts(geom) if g.geom_type == "Polygon" and not g.is_empty]
    rings = sum(1 + len(p.interiors) for p in polys)
    return int(sum(shapely.get_num_coordinates(p) for p in polys)) - rings


def _boundary_summary(ctx: ReportContext, i: int, geom, count: int) -> list:
    """The rings with their point counts, the first points of each, and where the full list is."""
    st = ctx.styles
    name = ctx.points_csv(i, geom) if ctx.points_csv else None
    where = (f"全部 {count:,} 个界址点的坐标见与本报告同目录的 CSV 文件“{name}”。" if name
             else f"全部 {count:,} 个界址点的坐标见宗地图形数据（本次未输出 CSV 文件）。")
    out = [para(f"界址点共 {count:,} 个，超过 {MAX_TABLE_POINTS} 个，本表只列各环的点数和前 10 个点；" + where,
                st.body, color=RED)]
    H = lambda t: para(t, st.head)
    rows: list[list] = [[H("环"), H("点数"), H("周长（m）"), H("前 10 个点")]]
    for ring in boundary_rings(geom, point_names.of_row(ctx.assessment, ctx.attributes, i)):
        first = "；".join(f"{p.label} {p.x_north:.3f}, {p.y_east:.3f}" for p in ring.points[:10])
        rows.append([para(ring.title, st.tiny), para(f"{len(ring.points):,}", st.tiny_r),
                     para(f"{sum(p.edge_m for p in ring.points):,.2f}", st.tiny_r), para(first, st.tiny)])
        if len(rows) > 40:   # a parcel of thousands of rings: the CSV has them all
            rows.append([para("……", st.tiny), "", "", para("其余各环见 CSV 文件", st.tiny)])
            break
    out.append(grid_table(rows, [34 * mm, 18 * mm, 22 * mm, CONTENT_W - 74 * mm]))
    return out


def _boundary_table(ctx: ReportContext, geom, names=()) -> list:
    """The boundary points in three columns side by side, read down each column; a table
    longer than the page continues on the next with its header repeated."""
    lines: list = []
    for ring in boundary_rings(geom, names):
        lines.append(f"{ring.title}（{len(ring.points)} 点）")
        lines += ring.points
    return [PointColumns(lines, ctx.styles)]


class PointColumns(Flowable):
    """Boundary-point lines (a ring title, or a point) set in ``COLUMNS`` blocks of 点号 / X / Y /
    边长, filled column by column; split between rows, each part with its own header row."""

    COLUMNS = 3
    ROW_H = 9.2          # points: one 6.8 pt line and its padding
    HEAD_H = 11.6
    HEADINGS = ("点号", "X", "Y", "边长")
    SIZE = 6.8           # points, every line of the table
    PAD = 1.5            # left and right padding of a cell

    @classmethod
    def cell_widths(cls, width: float) -> list[float]:
        """The widths of the four cells of one column block of a table ``width`` points wide."""
        sub = width / cls.COLUMNS
        return [sub * 0.15, sub * 0.32, sub * 0.31, sub * 0.22]

    def __init__(self, lines: list, styles, continued: bool = False):
        super().__init__()
        self.lines, self.st, self.continued = lines, styles, continued

    def _rows(self) -> int:
        return math.ceil(len(self.lines) / self.COLUMNS)

    def wrap(self, aw, ah):
        self.width = aw
        self.height = self.HEAD_H + self.ROW_H * self._rows()
        return aw, self.height

    def split(self, aw, ah):
        rows = int((ah - self.HEAD_H) // self.ROW_H)
        if rows < 3 or rows >= self._rows():
            return []
        n = rows * self.COLUMNS
        return [PointColumns(self.lines[:n], self.st, self.continued),
                PointColumns(self.lines[n:], self.st, True)]

    def draw(self):
        """The rules and the header shading come from a form drawn once per file and shape
        (rows × width); the headings, ring titles and figures are written over it on the page."""
        c, n_rows = self.canv, self._rows()
        sub = self.width / self.COLUMNS
        w = self.cell_widths(self.width)
        xs = [k * sub + sum(w[:j]) for k in range(self.COLUMNS) for j in range(4)]    # left edge of each cell
        top = self.height - self.HEAD_H                                               # bottom of the header row
        c.doForm(_point_grid(c, n_rows, self.width, w, self.HEAD_H, self.ROW_H, self.COLUMNS))
        # the headings drawn on the page, not in the form: every text extractor reads them there
        c.setFillColor(colors.black)
        draw_texts(c, [(xs[j] + w[j % 4] / 2, self.height - self.HEAD_H + 4.076, t, self.SIZE, "center")
                       for j, t in enumerate(self.HEADINGS * self.COLUMNS)])
        titles = [divmod(k, n_rows) for k, item in enumerate(self.lines) if isinstance(item, str)]
        if titles:   # a ring title spans its block's four cells: no rules inside it
            c.saveState()
            c.setFillColor(colors.HexColor("#f3f3f3"))
            c.setStrokeColor(colors.HexColor("#555555"))
            c.setLineWidth(0.4)
            for col, r in titles:
                c.rect(col * sub, top - (r + 1) * self.ROW_H, sub, self.ROW_H, stroke=1, fill=1)
            c.setStrokeColor(colors.black)
            c.setLineWidth(0.9)
            for k in range(1, self.COLUMNS):
                c.line(k * sub, 0, k * sub, self.height)
            c.rect(0, 0, self.width, self.height, stroke=1, fill=0)
            c.restoreState()
        size, pad, cells = self.SIZE, self.PAD, []
        base = 2.4      # a figure's baseline above its row's bottom (reportlab's MIDDLE for one line)
        for r in range(n_rows):     # row by row, as a table reads
            y = top - (r + 1) * self.ROW_H
            for col in range(self.COLUMNS):
                k = col * n_rows + r
                if k >= len(self.lines):
                    continue
                item, x0 = self.lines[k], xs[4 * col]
                if isinstance(item, str):
                    cells.append((x0 + pad, y + 2.876, item, size, "left"))
                    continue
                cells.append((x0 + w[0] / 2, y + base, item.label, size, "center"))
                for j, text in ((1, f"{item.x_north:.3f}"), (2, f"{item.y_east:.3f}"), (3, f"{item.edge_m:.2f}")):
                    cells.append((xs[4 * col + j] + w[j] - pad, y + base, text, size, "right"))
        c.setFillColor(colors.black)
        draw_texts(c, cells)


def _point_grid(c, n_rows: int, width: float, w: list[float], head_h: float, row_h: float, columns: int) -> str:
    """The name of the form holding a point table's static part (header shading and the rules)
    for ``n_rows`` rows ``width`` points wide, defined on first use in the file."""
    name = f"wzpt{n_rows}x{round(width * 100)}"
    made = c._doc.__dict__.setdefault("_wz_forms", set())
    if name in made:
        return name
    made.add(name)
    height = head_h + row_h * n_rows
    sub = width / columns
    edges = [k * sub + sum(w[:j]) for k in range(columns) for j in range(4)] + [width]
    c.beginForm(name, lowerx=-1, lowery=-1, upperx=width + 1, uppery=height + 1)
    c.setFillColor(colors.HexColor("#ececec"))
    c.rect(0, height - head_h, width, head_h, stroke=0, fill=1)
    c.setStrokeColor(colors.HexColor("#555555"))
    c.setLineWidth(0.4)
    p = c.beginPath()
    for x in edges:
        p.moveTo(x, 0)
        p.lineTo(x, height)
    for y in [height, height - head_h] + [height - head_h - r * row_h for r in range(1, n_rows + 1)]:
        p.moveTo(0, y)
        p.lineTo(width, y)
    c.drawPath(p, stroke=1, fill=0)
    c.setStrokeColor(colors.black)
    c.setLineWidth(0.9)
    c.rect(0, 0, width, height, stroke=1, fill=0)
    for k in range(1, columns):
        c.line(k * sub, 0, k * sub, height)
    c.endForm()
    return name


def _signatures(ctx: ReportContext, i: int) -> Table:
    st = ctx.styles
    status = (ctx.review_status or {}).get(i) or "未复核"
    line = lambda label, who: para(f"{label}：{who or '　' * 8}", st.c_body)
    rows = [[line("经办人", ctx.operator), line("复核人", ctx.reviewer), line("日期", "　" * 7)],
            [para(f"复核状态：{status}", st.c_small), "", para("（盖章）", st.c_body)]]
    t = FastTable(rows, colWidths=[CONTENT_W / 3] * 3, rowHeights=[7 * mm, 4.2 * mm])
    t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), LATIN), ("LINEBELOW", (0, 0), (-1, 0), 0.4, "#999999"),
                           ("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                           ("SPAN", (0, 1), (1, 1)), ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    return t


def _provenance(ctx: ReportContext, number: str) -> object:
    p = ctx.assessment.provenance
    parts = [f"报告编号 {number}", f"等级图 {p.zoneset_id} 版本 {p.zoneset_version}", f"计税规则版本 {p.rules_version}",
             f"程序版本 {p.app_version}", f"计算时间 {p.created}（UTC）", f"所属期 {p.period}"]
    if ctx.source_name:
        parts.append(f"数据来源 {ctx.source_name}")
    parts.append(f"输入文件 SHA-256 {p.input_sha256 or '（未记录：图形为手工录入或未保存为文件）'}")
    return para("；".join(parts) + "。", ctx.styles.c_small)


def parcel_story(ctx: ReportContext, i: int) -> list:
    """All flowables of parcel ``i``'s report, starting with its section mark. A parcel with up to
    about 40 boundary points fits one A4 page; longer tables run on to the next pages."""
    a, st = ctx.assessment, ctx.styles
    result = a.parcel(i)
    f = Fields(ctx.attributes, i)
    number = report_number(a, i)
    story = [SectionMark(number, TITLE), Title(TITLE, size=13.5),
             para(f"报告编号：{number}；出具日期：{ctx.issued:%Y 年 %m 月 %d 日}", st.sub), Spacer(1, 1 * mm)]

    # 一 (left) and 三 (right) side by side: the parcel's particulars beside its map
    pieces = ctx.pieces_of(i)
    info = _info_table(ctx, i, f, result, INFO_W)
    map_h = max(MAP_H_MM * mm, info.wrap(INFO_W, 1000)[1] + 5.5 * mm)
    left = [Heading("一、纳税人及宗地", **HEAD), info]
    right = [Heading("三、宗地位置及土地等级分布图", **HEAD), MapExcerpt(a, i, pieces, MAP_W, map_h)]
    block = FastTable([[left, right]], colWidths=[INFO_W + GAP, MAP_W])
    block.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), LATIN), ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (0, 0), GAP)]))
    legend = f"J1… 为界址点号（点多时隔点标注，坐标见附表）；标注面积为计税面积（m²）；{a.zoneset.crs}，X 北 Y 东。"
    if map_shows_other_area(result):
        legend += MAP_AREA_NOTE
    story += [block, para(legend, st.c_small)] + _long_texts(ctx, f, result)
    story += [Heading("二、计税依据", **HEAD), _basis_table(ctx, result)]

    if result.error:
        story += [Heading("四、税额计算", **HEAD), para("该宗地未计税：" + result.error, st.c_body, color=RED)]
    else:
        # a few grade rows: never split them from their heading or leave the 合计 row alone
        story += [KeepTogether([Heading("四、税额计算", **HEAD), _grade_table(ctx, result)]), Spacer(1, 1 * mm)]
        relief = _relief_table(ctx, result)
        if relief is not None:
            story += [para("减免税明细：", st.c_body), relief, Spacer(1, 1 * mm)]
        method = ("计算方法：本期应纳税额 = 计税面积 × 税额标准 × 应税月数 ÷ 12，按等级分别计算，四舍五入到分；"
                  "减免税额按减免面积和减免月数计算；小规模纳税人减征在其他减免之后计算。"
                  + rounding_note(result, tax_base_of(a)) + _small_taxpayer_text(result))
        story.append(KeepTogether([_totals_table(ctx, result), Spacer(1, 0.8 * mm), para(method, st.c_small)]))

    story += [Heading("五、面积量算说明及提示事项", **HEAD)]
    story += [para(" ".join(area_method_text(result, a.zoneset.crs, _declared(result, f))), st.c_small)]
    notes = warnings(result)
    glyphs = missing_in_parcel(result.parcel_id, f)
    if glyphs:
        notes = [flag_text("glyph_missing"), glyphs] + notes
    story.append(para("提示事项：" + "；".join(f"{k}. {t}" for k, t in enumerate(notes, start=1)) + "。", st.c_body, color=RED)
                 if notes else para("提示事项：无。", st.c_body))
    zs = a.zoneset
    if not zs.official:
        story.append(para("等级图精度说明：" + (zs.accuracy_statement or "本等级图不是土地管理部门的官方等级图，精度未说明。"), st.c_small))

    story += [KeepTogether([_signatures(ctx, i), Spacer(1, 0.8 * mm), _provenance(ctx, number)])]
    story += [CondPageBreak(25 * mm), Heading("附表：界址点坐标表（" + a.zoneset.crs + "，X 为北坐标，Y 为东坐标，边长为至下一点的距离，单位 m）", **HEAD)]
    count = _point_count(a.geoms[i])
    story += (_boundary_table(ctx, a.geoms[i], point_names.of_row(a, ctx.attributes, i)) if count <= MAX_TABLE_POINTS
              else _boundary_summary(ctx, i, a.geoms[i], count))
    return story


def _declared(result, f: Fields) -> Decimal | None:
    return result.declared_area_m2 if result.declared_area_m2 is not None else f.area()
