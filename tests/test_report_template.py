"""The fast renderer of the 计算单 (text operators written directly, grids and point tables drawn
from precomputed templates) prints the very same text as the platypus renderer it replaced:
page by page, in order, every figure, 大写 and label (tests/report_golden.py)."""

import json

from report_golden import GOLDEN, page_texts, render


def test_same_text_as_the_platypus_renderer_page_by_page(tmp_path):
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    got = page_texts(render(tmp_path / "golden.pdf"))
    assert len(got) == len(expected)
    for k, (g, e) in enumerate(zip(got, expected)):
        assert g == e, f"page {k + 1} differs"


def _parcel_tables(a, attrs, i):
    from datetime import date

    from zones.report.document import Styles
    from zones.report.fields import Fields
    from zones.report.parcel_pdf import (INFO_W, ReportContext, _basis_table, _grade_table, _info_table, _relief_table,
                                         _signatures, _totals_table)

    ctx = ReportContext(a, attrs, date(2024, 7, 1), "张三", "李四", {}, None, Styles(), a.pieces())
    r, f = a.parcel(i), Fields(attrs, i)
    tables = [_info_table(ctx, i, f, r, INFO_W), _basis_table(ctx, r), _grade_table(ctx, r), _relief_table(ctx, r),
              _totals_table(ctx, r), _signatures(ctx, i)]
    return [t for t in tables if t is not None]


def test_fast_tables_measure_every_row_as_reportlab_does():
    """Row by row the same heights as reportlab's own Table (spans, empty cells, two-line
    headings, fixed rows): the page breaks fall where they fell."""
    from reportlab.platypus import Table

    from report_golden import golden_parcels
    from zones.report.grid import FastTable

    a, attrs = golden_parcels()
    checked = 0
    for i in range(len(a)):
        for t in _parcel_tables(a, attrs, i):
            assert isinstance(t, FastTable)
            width = sum(t._argW)
            fast = t.wrap(width, 10_000)
            fast_rows = list(t._rowHeights)
            slow = Table.wrap(t, width, 10_000)
            assert fast == slow and fast_rows == t._rowHeights
            checked += 1
    assert checked >= 40


def _forms(path) -> int:
    return path.read_bytes().count(b"/Subtype /Form")


def test_a_table_shape_is_drawn_once_per_file(tmp_path):
    """Shading and rules of the tables and of the point table are one form per shape: ten parcels
    of the same shape add no form but their pages' footers."""
    import geopandas as gpd
    import shapely
    from pypdf import PdfReader

    from test_report import synthetic_zoneset
    from zones.assess import assess
    from zones.periods import TaxPeriod
    from zones.report import write_parcel_reports

    boxes = [shapely.box(500100 + 80 * k, 3100100, 500150 + 80 * k, 3100140) for k in range(10)]
    a = assess(gpd.GeoSeries(boxes, crs="EPSG:4549"), synthetic_zoneset(), TaxPeriod(2024),
               ids=[f"330302001001GB0020{k}" for k in range(10)])
    one = write_parcel_reports(a, tmp_path / "one.pdf", indices=[0], summary=False)
    ten = write_parcel_reports(a, tmp_path / "ten.pdf", summary=False)
    pages_one, pages_ten = len(PdfReader(str(one)).pages), len(PdfReader(str(ten)).pages)
    assert pages_ten == 10 * pages_one
    shapes = _forms(one) - pages_one           # each page has its footer form
    assert shapes >= 5                          # the tables and the point grid of a 计算单
    assert _forms(ten) - pages_ten == shapes


def test_point_names_in_chinese_print_in_the_point_table(tmp_path):
    """The point table's cells are set font run by font run: a 点号 typed in Chinese prints (the
    table used to set them in the Latin face, which has no Chinese glyph: they did not print and
    could not be read back)."""
    import geopandas as gpd
    import pandas as pd
    import shapely

    from test_report import pdf_text, synthetic_zoneset
    from zones import point_names
    from zones.assess import assess
    from zones.periods import TaxPeriod
    from zones.report import write_parcel_reports

    a = assess(gpd.GeoSeries([shapely.box(500100, 3100100, 500150, 3100140)], crs="EPSG:4549"), synthetic_zoneset(),
               TaxPeriod(2024), ids=["330302001001GB00301"])
    names = ["西北角", "东北角", "东南角", "西南角"]
    attrs = pd.DataFrame({point_names.POINT_NAMES: [point_names.dumps(names)]})
    out = write_parcel_reports(a, tmp_path / "names.pdf", attributes=attrs)
    text = pdf_text(out)[0]
    table = text[text.index("点号XY边长点号XY边长点号XY边长"):]
    assert all(n in table for n in names)


def test_the_text_cache_stays_bounded(tmp_path, monkeypatch):
    """The operators of each text are kept per file, but not without bound: a district's figures
    are all different (memory stays flat over 10,000 parcels)."""
    from reportlab.pdfgen.canvas import Canvas

    from zones.report import fonts

    fonts.register_fonts()
    monkeypatch.setattr(fonts, "TEXT_CACHE", 50)
    c = Canvas(str(tmp_path / "t.pdf"))
    for k in range(500):
        fonts.draw_text(c, 10, 10, f"{k:,.2f} 元", 8)
    assert 0 < len(c._doc._wz_text) <= 50
    assert sum(op.count(" Tj") for op in c._code) == 2 * 500       # every text drawn: the Latin run and "元"
