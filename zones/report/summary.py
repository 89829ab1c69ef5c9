"""The batch summary table printed before the parcel reports: one row per parcel,
totals per grade and overall."""

from __future__ import annotations

from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from zones.money import area2, capitals, fmt_yuan
from zones.report.content import SUMMARY_TITLE, created_local, period_text, report_number, tax_base_of
from zones.report.document import CONTENT_W, SectionMark, Title, grid_table, one_line, para
from zones.report.fonts import LATIN
from zones.report.fields import Fields
from zones.report.glyphs import missing_in_parcel
from zones.tax import tax_base_text

ZERO = Decimal("0.00")


def summary_number(assessment) -> str:
    """The batch's number: the run's time with sequence 0000 (sorts before its parcels)."""
    return f"WZ-{created_local(assessment):%Y%m%d-%H%M%S}-0000"


def summary_story(ctx, indices: list[int]) -> list:
    a, st = ctx.assessment, ctx.styles
    zs = a.zoneset
    grades = zs.grade_list
    basis = zs.basis_for(a.period.year)
    number = summary_number(a)
    story = [SectionMark(number, SUMMARY_TITLE), Title(SUMMARY_TITLE),
             para(f"编号：{number}；出具日期：{ctx.issued:%Y 年 %m 月 %d 日}", st.sub), Spacer(1, 2 * mm)]
    info = [f"土地等级图：{zs.name}（{zs.id}，版本 {zs.version}）",
            f"政策依据：{basis.document if basis else '未找到适用文件'}；税款所属期：{period_text(a.period)}",
            f"计税面积取整：{tax_base_text(tax_base_of(a))}",
            f"宗地数：{len(indices)}；各宗地计算单编号为 {report_number(a, indices[0])} 起，按序号顺延（序号即输入记录行号）。"]
    if ctx.source_name:
        info.append(f"数据来源：{ctx.source_name}")
    story += [para(t, st.body) for t in info] + [Spacer(1, 2 * mm)]

    H = lambda t: para(t, st.tiny_c)
    # the second column fits a 19-character 宗地号 on one line
    widths = [9 * mm, 0, 20 * mm, 29 * mm, 21 * mm, 18 * mm, 18 * mm, 21 * mm]
    widths[1] = CONTENT_W - sum(widths)
    head = [H("序号"), H("宗地号 / 纳税人"), H("图上面积\n（m²）"), H("分等级计税面积\n（m²）"),
            H("本期应纳税额"), H("减免税额"), H("小规模纳税人\n减征额"), H("本期应缴税额")]
    rows = []
    tot_area = ZERO
    tot_grade = {g: ZERO for g in grades}
    tot = {"gross": ZERO, "relief": ZERO, "small": ZERO, "due": ZERO}
    marks = []
    for i in indices:
        r = a.parcel(i)
        by = {row.grade: row.area_m2 for row in r.rows}
        measured = area2(r.map_area_m2)
        tot_area += measured
        for g in grades:
            tot_grade[g] += by.get(g, ZERO)
        for key, v in (("gross", r.gross), ("relief", r.relief), ("small", r.small_taxpayer_relief), ("due", r.due)):
            tot[key] += v
        fields = Fields(ctx.attributes, i)
        mark = "*" if (r.flags or r.error or missing_in_parcel(r.parcel_id, fields)) else ""
        if mark:
            marks.append(r.parcel_id)
        who = _cut(fields.get("taxpayer"))
        rows.append([f"{i + 1}{mark}", _lines([_cut(r.parcel_id)] + ([who] if who else []), st.tiny), f"{measured:,.2f}",
                     _by_grade(zs, grades, by), fmt_yuan(r.gross), fmt_yuan(r.relief), fmt_yuan(r.small_taxpayer_relief),
                     "未计税" if r.error else fmt_yuan(r.due)])
    total_row = ["合计", f"{len(indices)} 宗", f"{tot_area:,.2f}", _by_grade(zs, grades, tot_grade), fmt_yuan(tot["gross"]),
                 fmt_yuan(tot["relief"]), fmt_yuan(tot["small"]), fmt_yuan(tot["due"])]
    # tables of at most CHUNK rows, each with its header: one 10,000-row table would be split
    # page by page at a cost growing with its length
    for k in range(0, len(rows), CHUNK):
        part = rows[k:k + CHUNK] + ([total_row] if k + CHUNK >= len(rows) else [])
        story.append(_rows_table([head] + part, widths, st, total=k + CHUNK >= len(rows)))
    story.append(Spacer(1, 2 * mm))
    story.append(para("金额单位：元；分等级面积为计税面积（有证载面积的按证载面积分摊到各等级）。"
                      + ("序号后标 * 的宗地有提示事项或未计税，详见其计算单。" if marks else ""), st.small))
    total = grid_table([[para("本期应缴税额合计（小写，元）", st.cell), one_line(fmt_yuan(tot["due"]), st.cell_r, 70 * mm)],
                        [para("本期应缴税额合计（大写）", st.cell), one_line(capitals(tot["due"]), st.cell_r, 70 * mm)]],
                       [CONTENT_W - 70 * mm, 70 * mm], header_rows=0, repeat=False,
                       extra=[("BACKGROUND", (0, 0), (-1, -1), "#ececec")])
    story += [Spacer(1, 2 * mm), KeepTogether([total, Spacer(1, 2 * mm), _signatures(ctx, len(indices))])]
    return story


#: Rows per summary table (a page holds about 30).
CHUNK = 30


def _by_grade(zs, grades, areas: dict[int, Decimal]) -> str:
    """One line per grade keeps the table inside A4 portrait whatever the number of grades."""
    return "\n".join(f"{zs.grade_label(g)} {areas[g]:,.2f}" for g in grades if areas.get(g)) or "—"


def _rows_table(rows, widths, st, *, total: bool) -> Table:
    """Summary rows as plain strings (set in the CJK font, which has every digit; ten times
    faster than a paragraph per cell), amounts set smaller where they would not fit."""
    from zones.report.fonts import CJK, text_width

    extra = [("FONTNAME", (0, 1), (-1, -1), CJK), ("FONTSIZE", (0, 1), (-1, -1), 7.5), ("LEADING", (0, 1), (-1, -1), 9.5),
             ("ALIGN", (2, 1), (-1, -1), "RIGHT"), ("ALIGN", (0, 1), (0, -1), "CENTER")]
    for r, row in enumerate(rows[1:], start=1):
        for c in (2, 4, 5, 6, 7):
            room = widths[c] - 6.5
            need = text_width(row[c], 7.5)
            if need > room:          # amounts never wrap: set smaller
                extra.append(("FONTSIZE", (c, r), (c, r), 7.5 * room / need))
    return grid_table(rows, widths, total_row=total, extra=extra)


def _signatures(ctx, parcels: int) -> Table:
    """经办人 / 复核人 / 日期 lines of the summary, and what the batch holds."""
    st = ctx.styles
    line = lambda label, who: para(f"{label}：{who or '　' * 8}", st.body)
    rows = [[line("经办人", ctx.operator), line("复核人", ctx.reviewer), line("日期", "　" * 7)],
            [para(f"本汇总表附各宗地计算单 {parcels} 份，页数见页脚。", st.small), "", para("（盖章）", st.body)]]
    t = Table(rows, colWidths=[CONTENT_W / 3] * 3, rowHeights=[11 * mm, 7 * mm])
    t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), LATIN), ("LINEBELOW", (0, 0), (-1, 0), 0.4, "#999999"),
                           ("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                           ("SPAN", (0, 1), (1, 1))]))
    return t


def _cut(text: str, limit: int = 60) -> str:
    """A summary row stays a few lines high: a longer name or id is cut (the parcel's own
    计算单 prints it in full)."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _lines(lines: list[str], style):
    """A cell of several lines (each line's text escaped and font-split)."""
    from zones.report.fonts import markup
    from zones.report.wrap import ProseParagraph

    return ProseParagraph("<br/>".join(markup(t) for t in lines), style)
