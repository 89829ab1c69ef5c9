"""The flowables of one parcel's report (城镇土地使用税计税面积及税额计算单)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Image, KeepTogether, Spacer, Table, TableStyle

from zones import point_names
from zones.identifiers import check_parcel_code, check_taxpayer_id, check_unit_number
from zones.money import area2, capitals, fmt_yuan
from zones.report.content import (MAP_AREA_NOTE, TITLE, area_method_text, boundary_rings, liable_text,
                                  map_shows_other_area, period_text, report_number, rounding_note, tax_base_of,
                                  warnings)
from zones.report.document import CONTENT_W, Heading, SectionMark, Styles, Title, grid_table, one_line, para, rich
from zones.report.fields import Fields
from zones.report.fonts import LATIN
from zones.report.glyphs import missing_in_parcel
from zones.report.map_excerpt import render_map
from zones.results import flag_text
from zones.tax import tax_base_text

RED = "#b00000"
MAP_H_MM = 105


@dataclass
class ReportContext:
    """What every parcel report of one PDF shares."""

    assessment: object
    attributes: object
    issued: date
    operator: str
    reviewer: str
    review_status: dict
    source_name: str | None
    styles: Styles
    pieces: object          # assessment.pieces(), computed once per PDF
    points_csv: object = None   # (index, geometry) → name of the CSV written with all its boundary points


def _m2(v) -> str:
    return f"{area2(v):,.2f}"


def _checked(value: str, check, st) -> object:
    """A code with a red note when its check fails."""
    if not value:
        return para("—", st.cell)
    r = check(value)
    if r.ok:
        return para(_short(value), st.cell)
    return rich([(_short(value), None), (f"（校验未通过：{r.message[:200]}）", RED)], st.cell)


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


def _info_table(ctx: ReportContext, i: int, f: Fields, result) -> Table:
    st = ctx.styles
    L = lambda t: para(t, st.head)
    V = lambda t: para(_short(t) or "—", st.cell)
    declared = result.declared_area_m2 if result.declared_area_m2 is not None else f.area()
    parcel_id = result.parcel_id
    rows = [
        [L("纳税人名称"), V(f.get("taxpayer")), "", ""],
        [L("统一社会信用代码"), _checked(f.get("uscc"), check_taxpayer_id, st), L("纳税人类型"), V(f.get("payer_type") or "土地使用权人")],
        [L("宗地号"), _checked(parcel_id, check_parcel_code, st), L("不动产单元号"), _checked(f.get("unit_no"), check_unit_number, st)],
        [L("不动产权证号"), V(f.get("cert_no")), L("土地用途"), V(f.get("land_use"))],
        [L("土地坐落"), V(f.get("address")), "", ""],
        [L("证载面积（m²）"), V(_m2(declared) if declared is not None else "未提供"), L("图上量算面积（m²）"), V(_m2(result.map_area_m2))],
    ]
    spans = [("SPAN", (1, 0), (3, 0)), ("SPAN", (1, 4), (3, 4))]
    if declared is not None:
        diff = area2(result.map_area_m2) - declared      # map − certificate, the sign the GUI panel shows
        flagged = "declared_mismatch" in result.flags
        text = f"图上 − 证载 = {diff:+,.2f}" + ("（超过容差，请核实）" if flagged else "")
        rows.append([L("面积差额（m²）"), para(text, st.cell, color=RED if flagged else None),
                     L("计税面积（m²）"), V(_m2(result.taxable_area_m2))])
    # the right label column fits "图上量算面积（m²）" on one line at 8.5 pt
    widths = [27 * mm, 55 * mm, 31 * mm, CONTENT_W - 113 * mm]
    shade = [("BACKGROUND", (0, 0), (0, -1), "#ececec")]
    shade += [("BACKGROUND", (2, r), (2, r), "#ececec") for r in range(1, len(rows)) if r != 4]
    return grid_table(rows, widths, header_rows=0, repeat=False, extra=spans + shade)


def _basis_table(ctx: ReportContext, result) -> Table:
    st = ctx.styles
    a, zs = ctx.assessment, ctx.assessment.zoneset
    basis = zs.basis_for(a.period.year)
    rates = "；".join(f"{zs.grade_label(g)} {zs.rates[g]} 元/m²·年" for g in zs.grade_list)
    zs_text = f"{zs.name}（{zs.id}，版本 {zs.version}）"
    rows = [
        ["土地等级图", rich([(zs_text, None)] + ([("　非官方等级图，见提示事项", RED)] if not zs.official else []), st.cell)],
        ["政策依据", para("《中华人民共和国城镇土地使用税暂行条例》；"
                      + (f"{basis.document}《{basis.title}》" if basis and basis.title else (basis.document if basis else "未找到适用于该年度的文件")),
                      st.cell, color=None if basis else RED)],
        ["税额标准", para(rates, st.cell)],
        ["税款所属期", para(period_text(a.period), st.cell)],
        ["应税月份", para(liable_text(result), st.cell)],
        ["计税面积取整", para(tax_base_text(tax_base_of(a)), st.cell)],
    ]
    rows = [[para(k, st.head), v] for k, v in rows]
    return grid_table(rows, [27 * mm, CONTENT_W - 27 * mm], header_rows=0, repeat=False,
                      extra=[("BACKGROUND", (0, 0), (0, -1), "#ececec")])


def _grade_table(ctx: ReportContext, result) -> Table:
    st = ctx.styles
    H = lambda t: para(t, st.head)
    R = lambda t: para(t, st.cell_r)
    C = lambda t: para(t, st.cell_c)
    # units on a line of their own: a header never wraps inside "元/m²·年"
    w = [22 * mm, 26 * mm, 17 * mm, 27 * mm, 28 * mm, 17 * mm]
    w.append(CONTENT_W - sum(w))
    # amounts and areas stay on one line whatever their size (set smaller rather than wrapped)
    A = lambda t, col: one_line(t, st.cell_r, w[col])
    rows = [[H("土地等级"), H("计税面积\n（m²）"), H("占比"), H("税额标准\n（元/m²·年）"), H("年应纳税额\n（元）"),
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
    return grid_table(rows, w, total_row=True)


def _relief_table(ctx: ReportContext, result) -> Table | None:
    st = ctx.styles
    lines = [ln for r in result.rows for ln in r.reliefs if not ln.small_taxpayer]   # the halving has its own line
    if not lines:
        return None
    H = lambda t: para(t, st.head)
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
    return grid_table(rows, w)


def _totals_table(ctx: ReportContext, result) -> Table:
    st = ctx.styles
    small = [ln for r in result.rows for ln in r.reliefs if ln.small_taxpayer]
    small_text = ""
    if small:
        ln = small[0]
        small_text = f"（{ln.code}，{ln.document}，{ln.first} 至 {ln.last} 共 {ln.months} 个月，按减除其他减免后的税额减半）"
    rows = [
        ("本期应纳税额", fmt_yuan(result.gross)),
        ("减：减免税额（见减免税明细）", fmt_yuan(result.relief)),
        ("减：增值税小规模纳税人减征额" + small_text, fmt_yuan(result.small_taxpayer_relief)),
        ("本期应缴税额（小写，元）", fmt_yuan(result.due)),
    ]
    out = [[para(k, st.cell), one_line(v, st.cell_r, 62 * mm)] for k, v in rows]
    out.append([para("本期应缴税额（大写）", st.cell), one_line(capitals(result.due), st.cell_r, 62 * mm)])
    return grid_table(out, [CONTENT_W - 62 * mm, 62 * mm], header_rows=0, repeat=False,
                      extra=[("BACKGROUND", (0, 3), (-1, 4), "#ececec"), ("LINEABOVE", (0, 3), (-1, 3), 0.9, "#000000")])


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
    rows = [[H("环"), H("点数"), H("周长（m）"), H("前 10 个点")]]
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
    st = ctx.styles
    H = lambda t: para(t, st.head)
    rows = [[H("点号"), H("X（北坐标，m）"), H("Y（东坐标，m）"), H("至下一点边长（m）")]]
    spans = []
    for ring in boundary_rings(geom, names):
        spans.append(len(rows))
        rows.append([para(f"{ring.title}（{len(ring.points)} 点）", st.tiny), "", "", ""])
        for p in ring.points:
            rows.append([para(p.label, st.tiny_c), para(f"{p.x_north:.3f}", st.tiny_r), para(f"{p.y_east:.3f}", st.tiny_r),
                         para(f"{p.edge_m:.2f}", st.tiny_r)])
    extra = [("SPAN", (0, r), (-1, r)) for r in spans] + [("BACKGROUND", (0, r), (-1, r), "#f6f6f6") for r in spans]
    w = [22 * mm, 45 * mm, 45 * mm, 35 * mm]
    t = grid_table(rows, w, extra=extra + [("TOPPADDING", (0, 1), (-1, -1), 1), ("BOTTOMPADDING", (0, 1), (-1, -1), 1.4)])
    t.hAlign = "LEFT"
    return [t]


def _signatures(ctx: ReportContext, i: int) -> Table:
    st = ctx.styles
    status = (ctx.review_status or {}).get(i) or "未复核"
    line = lambda label, who: para(f"{label}：{who or '　' * 8}", st.body)
    rows = [[line("经办人", ctx.operator), line("复核人", ctx.reviewer), line("日期", "　" * 7)],
            [para(f"复核状态：{status}", st.body), "", para("（盖章）", st.body)]]
    t = Table(rows, colWidths=[CONTENT_W / 3] * 3, rowHeights=[11 * mm, 7 * mm])
    t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), LATIN), ("LINEBELOW", (0, 0), (-1, 0), 0.4, "#999999"), ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                           ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return t


def _provenance(ctx: ReportContext, number: str) -> object:
    p = ctx.assessment.provenance
    parts = [f"报告编号 {number}", f"等级图 {p.zoneset_id} 版本 {p.zoneset_version}", f"计税规则版本 {p.rules_version}",
             f"程序版本 {p.app_version}", f"计算时间 {p.created}（UTC）", f"所属期 {p.period}"]
    if ctx.source_name:
        parts.append(f"数据来源 {ctx.source_name}")
    parts.append(f"输入文件 SHA-256 {p.input_sha256 or '（未记录：图形为手工录入或未保存为文件）'}")
    return para("；".join(parts) + "。", ctx.styles.small)


def parcel_story(ctx: ReportContext, i: int) -> list:
    """All flowables of parcel ``i``'s report, starting with its section mark."""
    a, st = ctx.assessment, ctx.styles
    result = a.parcel(i)
    f = Fields(ctx.attributes, i)
    number = report_number(a, i)
    story = [SectionMark(number, TITLE), Title(TITLE),
             para(f"报告编号：{number}；出具日期：{ctx.issued:%Y 年 %m 月 %d 日}", st.sub), Spacer(1, 3 * mm)]
    story += [Heading("一、纳税人及宗地", space_before=2), _info_table(ctx, i, f, result)] + _long_texts(ctx, f, result)
    story += [Heading("二、计税依据"), _basis_table(ctx, result)]

    pieces = ctx.pieces[ctx.pieces["parcel_index"] == i]
    png = render_map(a, i, pieces, width_mm=CONTENT_W / mm, height_mm=MAP_H_MM)
    img = Image(io.BytesIO(png), width=CONTENT_W, height=MAP_H_MM * mm)
    legend = ("图中阴影按等级区分（图例），粗线为宗地界线，J1… 为界址点号（点多时隔点标注，全部坐标见附表）。"
              "等级分区线为等级图所载界线。各等级标注面积为计税面积（m²）。")
    if map_shows_other_area(result):
        legend += MAP_AREA_NOTE
    story += [KeepTogether([Heading("三、宗地位置及土地等级分布图"), img, para(legend, st.small)])]

    if result.error:
        story += [Heading("四、税额计算"), para("该宗地未计税：" + result.error, st.body, color=RED)]
    else:
        # a few grade rows: never split them from their heading or leave the 合计 row alone
        story += [KeepTogether([Heading("四、税额计算"), _grade_table(ctx, result)]), Spacer(1, 2 * mm)]
        relief = _relief_table(ctx, result)
        if relief is not None:
            story += [para("减免税明细：", st.body), relief, Spacer(1, 2 * mm)]
        method = ("计算方法：本期应纳税额 = 计税面积 × 税额标准 × 应税月数 ÷ 12，按等级分别计算，四舍五入到分；"
                  "减免税额按减免面积和减免月数计算；小规模纳税人减征在其他减免之后计算。"
                  + rounding_note(result, tax_base_of(a)))
        story.append(KeepTogether([_totals_table(ctx, result), Spacer(1, 1.5 * mm), para(method, st.small)]))

    story += [Heading("五、面积量算说明")] + [para(t, st.body) for t in area_method_text(result, a.zoneset.crs, _declared(result, f))]

    story.append(Heading("六、提示事项"))
    notes = warnings(result)
    glyphs = missing_in_parcel(result.parcel_id, f)
    if glyphs:
        notes = [flag_text("glyph_missing"), glyphs] + notes
    story += [para(f"{k}. {t}", st.body, color=RED) for k, t in enumerate(notes, start=1)] or [para("无。", st.body)]
    zs = a.zoneset
    if not zs.official:
        story.append(para("等级图精度说明：" + (zs.accuracy_statement or "本等级图不是土地管理部门的官方等级图，精度未说明。"), st.small))

    story += [Spacer(1, 4 * mm), KeepTogether([_signatures(ctx, i), Spacer(1, 2 * mm), _provenance(ctx, number)])]
    story += [CondPageBreak(50 * mm), Heading("附表：界址点坐标表（" + a.zoneset.crs + "，X 为北坐标，Y 为东坐标）")]
    count = _point_count(a.geoms[i])
    story += (_boundary_table(ctx, a.geoms[i], point_names.of_row(a, ctx.attributes, i)) if count <= MAX_TABLE_POINTS
              else _boundary_summary(ctx, i, a.geoms[i], count))
    return story


def _declared(result, f: Fields) -> Decimal | None:
    return result.declared_area_m2 if result.declared_area_m2 is not None else f.area()
