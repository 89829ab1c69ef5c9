"""The 税源比对 report: a summary (counts and money per status and district, a map of the
statuses, the rule used), then one page per table row that is neither ``matched`` nor
``not_taxable``: the map split, the registered rows grade by grade, the difference and
the back tax in figures and in capitals. The same page furniture, styles and parcel map
as the assessment report (zones.report.document, map_excerpt)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import numpy as np
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    Image,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Spacer,
)

from zones.io.atomic import atomic_output
from zones.money import capitals, fmt_yuan
from zones.reconcile import STATUS_ZH, Reconciliation
from zones.reconcile_money import fen_to_yuan
from zones.reconcile_summary import by_district, by_status
from zones.report.document import (
    CONTENT_W,
    MARGIN_B,
    MARGIN_L,
    MARGIN_R,
    MARGIN_T,
    PAGE_H,
    PAGE_W,
    Heading,
    SectionMark,
    Styles,
    Title,
    canvas_maker,
    grid_table,
    para,
)
from zones.report.fonts import LATIN, register_fonts

TITLE = "城镇土地使用税税源比对报告"
PAGE_TITLE = "税源比对：宗地与登记税源差异"
RED = "#b00000"


def status_words(status: str) -> str:
    return "；".join(f"{STATUS_ZH[c]}（{c}）" for c in status.split(";") if c)


def pages_for(res: Reconciliation) -> list[int]:
    """Table rows that get a page of their own: every row not matched and not merely untaxable."""
    keep = ~(res.has("matched") | (res.has("not_taxable") & (res.status_bits == 1 << 7)))
    return np.flatnonzero(keep).tolist()


def status_map_png(res: Reconciliation, width_mm: float = 170, height_mm: float = 120) -> bytes:
    """The parcels coloured by their (first) status over the grade zones; many parcels are
    drawn as dots, so the map stays legible and quick at 100,000 parcels."""
    import matplotlib
    import shapely
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    from zones.fonts import matplotlib_cjk_family
    from zones.reconcile_output import STATUS_COLOURS, primary_status
    from zones.report.map_excerpt import GRADE_COLOURS

    n = res.parcel_count
    geoms = np.asarray(res.assessment.geoms, dtype=object)
    status = primary_status(res)[:n]
    with matplotlib.rc_context({"font.family": [matplotlib_cjk_family(), "DejaVu Sans"]}):
        fig = Figure(figsize=(width_mm / 25.4, height_mm / 25.4), dpi=200)
        FigureCanvasAgg(fig)
        ax = fig.add_axes((0.02, 0.02, 0.7, 0.96))
        ax.set_aspect("equal")
        ax.set_axis_off()
        zs = res.assessment.zoneset
        live = ~shapely.is_empty(geoms)
        bounds = shapely.total_bounds(geoms[live]) if live.any() else zs.bounds
        for g, geom in zip(zs.grades["grade"], zs.grades.geometry):
            for part in shapely.get_parts(geom):
                x, y = part.exterior.xy
                ax.fill(x, y, color=GRADE_COLOURS.get(int(g), "#eeeeee"), alpha=0.18, lw=0.3, ec="#888888")
        st = status[live]
        present = [c for c in STATUS_COLOURS if (st == c).any()]
        if n <= 5000:       # outlines, each at least a few points wide so small parcels show
            from matplotlib.collections import PolyCollection

            rings, colours = [], []
            for g, code in zip(geoms[live], st):
                for part in shapely.get_parts(g):
                    rings.append(np.asarray(part.exterior.coords))
                    colours.append(STATUS_COLOURS.get(code, "#ffffff"))
            ax.add_collection(PolyCollection(rings, facecolors=colours, edgecolors=colours, linewidths=1.2, zorder=3))
        else:               # 100,000 outlines would be a grey blur: one dot each
            pts = shapely.point_on_surface(geoms[live])
            x, y = shapely.get_x(pts), shapely.get_y(pts)
            for code in present:
                m = st == code
                ax.scatter(x[m], y[m], s=1.5, c=STATUS_COLOURS[code], linewidths=0, zorder=3)
        pad = max(bounds[2] - bounds[0], bounds[3] - bounds[1]) * 0.05 + 50
        ax.set_xlim(bounds[0] - pad, bounds[2] + pad)
        ax.set_ylim(bounds[1] - pad, bounds[3] + pad)
        handles = [Patch(color=STATUS_COLOURS[c], label=f"{STATUS_ZH[c]} {int((st == c).sum())}") for c in present]
        fig.legend(handles=handles, loc="center right", fontsize=7, frameon=False, title="比对状态（宗）",
                   title_fontsize=7)
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
    return buf.getvalue()


def _money_table(st, rows_in: list[list]) -> object:
    head = [para(t, st.head) for t in ("状态", "宗数", "图上面积(m²)", "登记面积(m²)", "图上年税额", "登记年税额", "年差额", "补税额")]
    body = [head]
    for r in rows_in:
        body.append([para(r[0], st.tiny)] + [para(f"{v:,}" if isinstance(v, int) else f"{v:,.2f}", st.tiny_r) for v in r[1:]])
    w = [40 * mm, 11 * mm] + [(CONTENT_W - 51 * mm) / 6] * 6
    return grid_table(body, w, total_row=True)


def summary_story(res: Reconciliation, st: Styles, source_name: str, registry_name: str, issued: date) -> list:
    zs_text = "；".join(f"{y} 年：{z.name}（{z.id} {z.version}" + (f"，{z.basis_text(y)}" if z.basis_text(y) else "") + "）"
                       for y, z in res.zonesets.items())
    story = [SectionMark("", TITLE), Title(TITLE), para(f"出具日期：{issued:%Y 年 %m 月 %d 日}", st.sub), Spacer(1, 3 * mm)]
    info = [f"宗地数据：{source_name}（{res.parcel_count} 宗）；登记税源：{registry_name}（{len(res.registry.rows)} 行）",
            f"比对年度：{res.years[0]}—{res.years[-1]}；各年等级图和税额标准：{zs_text}",
            (f"匹配：先按不动产单元号，再按宗地号（忽略空格、全角半角和大小写）；面积容差 {res.options.area_tolerance_m2} m²"
             "（各等级及合计）；面积为 CGCS2000 平面面积，各等级面积四舍五入到 0.01 m² 后乘税额标准，四舍五入到分。"),
            "计算规则：" + res.rule]
    story += [para(t, st.body) for t in info]
    if res.findings:
        story.append(para(f"登记表问题 {len(res.findings)} 条（见命令行输出或工作簿“说明”），如：{res.findings[0]}",
                          st.small, color=RED))
    s = by_status(res)
    rows = [[f"{r['状态']}\n({r['status']})" if r["status"] != "all" else "全部（一宗多状态时各计一次）", int(r["数量"]),
             r["图上面积(m²)"], r["登记面积(m²)"], r["图上年税额(元)"], r["登记年税额(元)"], r["年差额(元)"], r["补税额(元)"]]
            for _, r in s.iterrows()]
    story += [Heading("一、按比对状态汇总（金额单位：元）"), _money_table(st, rows)]
    d = by_district(res)
    drows = [[f"{r['区']} {r['状态']}", int(r["数量"]), r["图上面积(m²)"], r["登记面积(m²)"], r["图上年税额(元)"],
              r["登记年税额(元)"], r["年差额(元)"], r["补税额(元)"]] for _, r in d[d["status"] == "all"].iterrows()]
    if drows:
        story += [Heading("二、按区汇总"), _money_table(st, drows)]
    png = status_map_png(res)
    story += [KeepTogether([Heading("三、比对状态分布图"), Image(io.BytesIO(png), width=CONTENT_W, height=120 * mm),
                            para("宗地颜色为其第一个状态（宗地多于 5000 宗时每宗以一点表示）；底色为土地等级。逐宗差异见后附各页"
                                 "（一致及无应税面积且未登记的宗地不单列）。", st.small)])]
    return story


def parcel_story(res: Reconciliation, k: int, st: Styles, pieces) -> list:
    t = res.table.iloc[k]
    number = f"比对-{k + 1:05d}"
    who = t["parcel_id"] or f"登记键 {t['unit_no'] or t['registry_parcel_no']}"
    story = [SectionMark(number, PAGE_TITLE), Title(PAGE_TITLE, size=14),
             para(f"宗地号：{t['parcel_id'] or '—'}；不动产单元号：{t['unit_no'] or '—'}；区：{t['district'] or '—'}", st.sub),
             para(f"比对结果：{status_words(t['status'])}", st.sub, color=RED), Spacer(1, 2 * mm)]
    if k < res.parcel_count:
        from zones.report.map_excerpt import render_map

        png = render_map(res.assessment, k, pieces[pieces["parcel_index"] == k], width_mm=CONTENT_W / mm, height_mm=80)
        story += [Heading(f"一、{who} 图上等级分布"), Image(io.BytesIO(png), width=CONTENT_W, height=80 * mm)]
    else:
        story += [Heading("一、地籍中无此宗地"), para("登记的不动产单元号/宗地号在宗地数据中找不到，请核实是否已注销、变更或录入错误。", st.body)]
    story += [Heading("二、分等级比对（面积 m²，税额 元/年）"), _grade_table(res, k, st)]
    story += [Heading("三、登记税源明细行"), _registry_table(res, k, st)]
    story += [Heading("四、差额与补税"), _money_lines(res, k, st), para("计算规则：" + res.rule, st.small)]
    return story


def _grade_table(res: Reconciliation, k: int, st: Styles):
    t = res.table.iloc[k]
    zs = res.zonesets[res.years[-1]]
    rows = res.registered_rows(k)
    head = [para(x, st.head) for x in ("土地等级", "图上面积", "登记面积", "差额", "等级图税额标准", "登记税额标准")]
    body: list[list] = [head]
    for g in res.grades:
        m, r = t[f"area_map_g{g}_m2"], t[f"area_registered_g{g}_m2"]
        if not m and not r:
            continue
        reg_rates = sorted({f"{v / 10000:g}" for v in rows.loc[rows["grade"] == g, "rate_e4"]})
        zone_rate = f"{zs.rates[g]}" if g in zs.rates else "（等级图无此等级）"
        bad = abs(m - r) > float(res.options.area_tolerance_m2) or (reg_rates and reg_rates != [f"{float(zs.rates.get(g, -1)):g}"])
        body.append([para(zs.grade_label(g), st.cell_c), para(f"{m:,.2f}", st.cell_r), para(f"{r:,.2f}", st.cell_r),
                     para(f"{m - r:+,.2f}", st.cell_r, color=RED if bad else None), para(zone_rate, st.cell_r),
                     para("、".join(reg_rates) or "—", st.cell_r)])
    body.append([para("合计", st.cell_c), para(f"{t['area_map_m2']:,.2f}", st.cell_r),
                 para(f"{t['area_registered_m2']:,.2f}", st.cell_r),
                 para(f"{t['area_map_m2'] - t['area_registered_m2']:+,.2f}", st.cell_r), "", ""])
    return grid_table(body, [CONTENT_W / 6] * 6, total_row=True)


def _registry_table(res: Reconciliation, k: int, st: Styles):
    rows = res.registered_rows(k)
    head = [para(x, st.head) for x in ("表内行号", "不动产单元号", "宗地号", "等级", "占用土地面积", "税额标准", "纳税人")]
    body: list[list] = [head]
    labels = res.zonesets[res.years[-1]]
    for _, r in rows.iterrows():
        ok = bool(r["ok"])
        body.append([para(str(r["row"]), st.tiny_c), para(r["unit_no"] or "—", st.tiny), para(r["parcel_no"] or "—", st.tiny),
                     para(labels.grade_label(int(r["grade"])) if r["grade"] else "无法识别", st.tiny_c),
                     para(f"{r['area_h'] / 100:,.2f}" if ok else "无法识别", st.tiny_r),
                     para(f"{r['rate_e4'] / 10000:g}" if ok else "—", st.tiny_r), para(r["taxpayer"] or "—", st.tiny)])
    if len(body) == 1:
        body.append([para("无登记", st.tiny_c)] + [""] * 6)
    w = [14 * mm, 46 * mm, 28 * mm, 12 * mm, 22 * mm, 16 * mm]
    return grid_table(body, w + [CONTENT_W - sum(w)])


def _money_lines(res: Reconciliation, k: int, st: Styles):
    f = {name: fen_to_yuan(v[k]) for name, v in res.fen.items()}
    lines = [("图上年应纳税额（" + str(res.years[-1]) + " 年）", f["tax_map_year"]),
             ("登记年税额（Σ 登记面积 × 登记税额标准）", f["tax_registered_year"]),
             ("年差额（图上 − 登记；正数为少登记）", f["difference_year"])]
    lines += [(f"　其中 {y} 年差额" + ("" if y in res.claimed else "（超过追征期，不计入）"), f[f"difference_{y}"])
              for y in res.years if f"difference_{y}" in f]
    lines.append((f"补税额（{'、'.join(map(str, res.claimed)) or '无'} 年合计）", f["back_tax"]))
    if "late_fee" in f:
        lines.append(("滞纳金", f["late_fee"]))
    body = [[para(a, st.cell), para(fmt_yuan(b), st.cell_r)] for a, b in lines]
    body.append([para("补税额（大写）", st.cell), para(capitals(f["back_tax"]), st.cell_r)])
    return grid_table(body, [CONTENT_W - 62 * mm, 62 * mm], header_rows=0, repeat=False,
                      extra=[("BACKGROUND", (0, len(body) - 2), (-1, -1), "#ececec")])


def write_reconcile_report(res: Reconciliation, path, *, source_name: str = "", registry_name: str = "",
                           issued: date | None = None, rows: list[int] | None = None, protect=()) -> Path:
    """Write the report PDF (A4, reportlab); ``rows``: the table rows given a page (default
    :func:`pages_for`). Written atomically; returns ``path``."""
    register_fonts()
    st = Styles()
    rows = pages_for(res) if rows is None else rows
    pieces = res.assessment.pieces() if any(k < res.parcel_count for k in rows) else None
    story = summary_story(res, st, source_name or "—", registry_name or res.registry.source, issued or date.today())
    for k in rows:
        story.append(PageBreak())
        story += parcel_story(res, k, st, pieces)
    path = Path(path)
    with atomic_output(path, protect=protect) as tmp:
        doc = BaseDocTemplate(str(tmp), pagesize=(PAGE_W, PAGE_H), leftMargin=MARGIN_L, rightMargin=MARGIN_R,
                              topMargin=MARGIN_T, bottomMargin=MARGIN_B, title=TITLE, author="wenzhou-land-tax",
                              creator="wenzhou-land-tax (reportlab)", initialFontName=LATIN)
        frame = Frame(MARGIN_L, MARGIN_B, PAGE_W - MARGIN_L - MARGIN_R, PAGE_H - MARGIN_T - MARGIN_B, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        doc.addPageTemplates([PageTemplate(id="a4", frames=[frame])])
        doc.build(story, canvasmaker=canvas_maker(f"税源比对 · {res.years[0]}—{res.years[-1]}"))
    return path
