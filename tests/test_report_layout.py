"""Report layout: what the map labels say, the rounding footnote, table headers that do not
wrap inside a word, long names and addresses kept inside their cells, and Chinese
line breaking (no line starts with "，" or "。")."""

from datetime import date
from decimal import Decimal

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from reportlab.platypus import Paragraph, Table

from test_report import batch, pdf_text, synthetic_zoneset  # noqa: F401  (batch is a fixture)
from zones.assess import assess
from zones.periods import TaxPeriod
from zones.reliefs import ReliefClaim, load_catalogue
from zones.report import write_parcel_reports
from zones.report.content import MAP_AREA_NOTE, rounding_gap
from zones.report.document import Styles, para
from zones.report.fields import Fields
from zones.report.map_excerpt import label_areas
from zones.report.fonts import text_width
from zones.report.document import CONTENT_W
from zones.report.parcel_pdf import (PointColumns, ReportContext, _basis_table, _boundary_table, _grade_table, _info_table, _relief_table,
                                     _totals_table)
from zones.report.summary import summary_story
from zones.report.wrap import CANNOT_END, CANNOT_START
from zones.tax import TAX_BASE_UNROUNDED, ParcelTerms, TaxOptions

LONG_NAME = "温州市鹿城区某某某某某某国际贸易与供应链管理集团股份有限公司暨温州某某某某某某某实业发展有限公司联合体第一分公司鹿城分支"
LONG_ADDRESS = ("浙江省温州市鹿城区五马街道某某路某某巷与某某大道交叉口东北侧某某商务中心综合楼地块"
                "（含地下车库及附属配套设施用地）88号")


@pytest.fixture(scope="module")
def declared():
    """A 4-vertex parcel across grades 1|2 (map 2,499.94 + 2,700.14 m²) declared 5,700 m², with
    the 52-character incubator exemption on 1,200 m²; the second parcel is measured only:
    50 × 46.00731 m in each grade, so 2,300.37 m² × 15 = 34,505.55 printed against the
    34,505.48 computed from 2,300.3655 m²."""
    geoms = [shapely.Polygon([(500960, 3100410), (501040.5, 3100405), (501045, 3100470.3), (500955, 3100466.7)]),
             shapely.box(500950, 3100400, 501050.0137, 3100446.00731)]
    terms = [ParcelTerms(declared_area_m2=Decimal("5700.00"), small_taxpayer=True,
                         reliefs=(ReliefClaim("0010019903", area_m2=Decimal("1200")),)), None]
    return assess(gpd.GeoSeries(geoms, crs="EPSG:4549"), synthetic_zoneset(), TaxPeriod(2024),
                  ids=["330302001001GB00002", "330302001001GB00003"], terms=terms, catalogue=load_catalogue())

ATTRS = pd.DataFrame({"纳税人名称": [LONG_NAME, "温州某某实业有限公司"], "土地坐落": [LONG_ADDRESS, None],
                      "土地用途": ["商业服务业用地（批发零售、住宿餐饮）", "工业"]})


def _ctx(a, attributes=ATTRS):
    return ReportContext(a, attributes, date(2024, 7, 1), "", "", {}, None, Styles(), a.pieces())


def test_map_labels_the_taxable_area_of_the_row(declared, tmp_path):
    r = declared.parcel(0)
    assert len(ATTRS["纳税人名称"][0]) == 60
    assert {row.grade: row.area_m2 for row in r.rows} == {1: Decimal("2740.28"), 2: Decimal("2959.72")}
    pieces = declared.pieces()
    # the pieces measure 2,499.94 / 2,700.14 m²; the labels carry the table's apportioned figures
    assert sorted(round(a, 2) for a in pieces[pieces.parcel_index == 0].area_m2) == [2499.94, 2700.14]
    assert label_areas(r, pieces[pieces.parcel_index == 0]) == {1: Decimal("2740.28"), 2: Decimal("2959.72")}
    out = write_parcel_reports(declared, tmp_path / "d.pdf", attributes=ATTRS)
    pages = pdf_text(out)
    parcel_a = "".join(p for p in pages if "WZ-" in p and "-0001" in p and "汇总表" not in p)
    parcel_b = "".join(p for p in pages if "-0002" in p and "汇总表" not in p)
    note = MAP_AREA_NOTE.replace(" ", "")
    assert note in parcel_a and note not in parcel_b        # only when declared and map areas differ


def test_rounded_tax_base_multiplies_out_and_says_so(declared, tmp_path):
    """Default rule: 2,300.3655 m² is taxed as 2,300.37 m², 2,300.37 × 15 = 34,505.55 (by hand)."""
    row = declared.parcel(1).rows[0]
    assert (row.area_m2, row.annual, row.gross) == (Decimal("2300.37"), Decimal("34505.55"), Decimal("34505.55"))
    assert rounding_gap(declared.parcel(1)) == 0
    text = "".join(pdf_text(write_parcel_reports(declared, tmp_path / "r.pdf", indices=[1])))
    assert "计税面积取整" in text and "表列面积×税额标准×应税月数÷12即为表列税额" in text
    assert "未经舍入" not in text


def test_unrounded_rule_keeps_the_footnote(tmp_path):
    """The old rule (--tax-base unrounded): 2,300.3655 × 15 = 34,505.48 against 34,505.55 printed."""
    geoms = [shapely.box(500950, 3100400, 501050.0137, 3100446.00731)]
    a = assess(gpd.GeoSeries(geoms, crs="EPSG:4549"), synthetic_zoneset(), TaxPeriod(2024), ids=["M"],
               options=TaxOptions(tax_base=TAX_BASE_UNROUNDED))
    measured = a.parcel(0)
    row = measured.rows[0]
    assert (row.area_m2, row.annual, row.gross) == (Decimal("2300.37"), Decimal("34505.48"), Decimal("34505.48"))
    assert row.area_m2 * row.rate == Decimal("34505.55")
    assert rounding_gap(measured) == Decimal("0.07")
    text = "".join(pdf_text(write_parcel_reports(a, tmp_path / "m.pdf")))
    assert "应纳税额按未经舍入的图上面积计算（旧规则），与表列两位小数面积相乘可能相差0.07元。" in text
    assert "计税面积未取整（旧规则）" in text


def _paragraph_cells(table: Table):
    for r, row in enumerate(table._cellvalues):
        for c, cell in enumerate(row):
            if isinstance(cell, Paragraph):
                yield r, c, cell


def _cell_width(table: Table, r: int, c: int) -> float:
    """Inner width of cell (r, c), spans included (grid_table pads 3 pt each side)."""
    for (c0, r0), (c1, r1) in ((s[1], s[2]) for s in table._spanCmds):
        if (c0, r0) == (c, r):
            return sum(table._colWidths[c0:c1 + 1]) - 6
    return table._colWidths[c] - 6


def _lines(p: Paragraph, width: float) -> list[tuple[str, float]]:
    """(text, width used) of each line of ``p`` set ``width`` wide."""
    p.wrap(width, 10_000)
    if getattr(p, "_fast", False):        # QuickText: broken into lines without reportlab's paragraph
        return p.line_widths()
    return [("".join(w.text for w in ln.words), width - ln.extraSpace) for ln in p.blPara.lines]


def _tables(declared):
    ctx = _ctx(declared)
    r = declared.parcel(0)
    tables = [_info_table(ctx, 0, Fields(ATTRS, 0), r), _grade_table(ctx, r), _relief_table(ctx, r), _basis_table(ctx, r),
              _totals_table(ctx, r)]
    tables += [f for f in summary_story(ctx, [0, 1]) if isinstance(f, Table)]
    return tables


def test_headers_never_wrap_inside_a_word(declared):
    """Every header/label cell takes exactly the lines it was written with."""
    checked = 0
    for t in _tables(declared):
        for r, c, p in _paragraph_cells(t):
            if p.style.name not in ("head", "c_head", "tiny_c", "pt_c") or (p.style.name in ("tiny_c", "pt_c") and r != 0):
                continue
            text = p.getPlainText()
            written = p.text.count("<br/>") + 1           # the lines the header was written with
            lines = _lines(p, _cell_width(t, r, c))
            assert len(lines) == written, (text, [ln for ln, _ in lines])
            checked += 1
    assert checked >= 15
    # the point table's headings are drawn from a template at fixed cell widths: one line each
    assert isinstance(_boundary_table(_ctx(declared), declared.geoms[0])[0], PointColumns)
    for heading, width in zip(PointColumns.HEADINGS, PointColumns.cell_widths(CONTENT_W)):
        assert text_width(heading, PointColumns.SIZE) <= width - 2 * PointColumns.PAD, heading


def test_long_names_stay_inside_their_cells(declared, tmp_path):
    widest = {}
    for t in _tables(declared):
        for r, c, p in _paragraph_cells(t):
            width = _cell_width(t, r, c)
            for text, used in _lines(p, width):
                assert used <= width + 0.01, (text, used, width)
                widest[text] = used
    assert any(LONG_NAME[:10] in t for t in widest)             # the name wrapped over several lines
    text = "".join(pdf_text(write_parcel_reports(declared, tmp_path / "l.pdf", attributes=ATTRS)))
    assert LONG_NAME in text and LONG_ADDRESS in text
    assert "国家级、省级科技企业孵化器、大学科技园和国家备案众创空间自用及提供给在孵对象使用的土地免征城镇土地使用税" in text


PROSE = ("图上面积为宗地图形在2000国家大地坐标系 3度带高斯-克吕格投影（EPSG:4549，中央经线 120°E）下的平面面积（m²），"
         "按坐标解析法计算，未作椭球面或高程改正；面积保留两位小数，四舍五入。计算时间 2024-07-01T08:00:00（UTC）；"
         "所属期 2024-01—2024-12；“本期应纳税额”按等级分别计算。")


def test_no_line_starts_with_closing_punctuation():
    st = Styles()
    plain_bad = 0
    for width in range(60, 420, 3):
        lines = _lines(para(PROSE, st.body), width)
        assert "".join(t for t, _ in lines).replace(" ", "") == PROSE.replace(" ", "")
        for k, (text, used) in enumerate(lines):
            assert used <= width + 0.01
            if k:
                assert text[0] not in CANNOT_START, (width, text)
            if k < len(lines) - 1:
                assert text[-1] not in CANNOT_END, (width, text)
        # reportlab's own CJK wrapping does start lines with "，" at some of these widths
        raw = Paragraph(para(PROSE, st.body).text, st.body)
        raw.wrap(width, 10_000)
        plain_bad += any("".join(w.text for w in ln.words)[:1] in "，；。" for ln in raw.blPara.lines[1:])
    assert plain_bad > 0
