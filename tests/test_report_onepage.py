"""Issue 13 item 4: a parcel with up to 40 boundary points prints its 计算单 on ONE A4 page
(particulars beside the map, the points in three columns); a longer outline runs on to the
next page with the table's header repeated, every point once and in order."""

import math
import re
from decimal import Decimal

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from pypdf import PdfReader

from test_report import pdf_text, synthetic_zoneset
from zones.assess import assess
from zones.periods import TaxPeriod
from zones.reliefs import load_catalogue
from zones.report import write_parcel_reports
from zones.tax import ParcelTerms

HEADER = "点号XY边长点号XY边长点号XY边长"


def _outline(n: int, cx: float, cy: float = 3100500) -> shapely.Polygon:
    """An irregular n-gon of about 240 × 170 m centred on (cx, cy)."""
    return shapely.Polygon([(cx + 120 * math.cos(2 * math.pi * k / n) * (1 + 0.15 * math.sin(3 * k)),
                             cy + 84 * math.sin(2 * math.pi * k / n)) for k in range(n)])


@pytest.fixture(scope="module")
def parcels():
    """4, 20, 40, 60 and 41 points, each across a grade line (two grade rows), the 40-point one
    declared and a small taxpayer (its report has the most lines), every other one with a
    credit code that fails its check (a red note in the particulars)."""
    counts = [4, 20, 40, 60, 41]
    centres = [501000, 502000, 501000, 502000, 501000]
    ys = [3100200, 3100200, 3100500, 3100500, 3100800]
    geoms = [_outline(n, cx, cy) for n, cx, cy in zip(counts, centres, ys)]
    terms = [None, None, ParcelTerms(declared_area_m2=Decimal("31000"), small_taxpayer=True), None, None]
    a = assess(gpd.GeoSeries(geoms, crs="EPSG:4549"), synthetic_zoneset(), TaxPeriod(2024),
               ids=[f"330302001001GB0010{k}" for k in range(5)], terms=terms, catalogue=load_catalogue())
    attrs = pd.DataFrame({"纳税人名称": ["温州某某实业有限公司"] * 5, "统一社会信用代码": ["91330300MA2AXXXX0H", "91330300MA2AXXXX0X"] * 2 + [""],
                          "土地坐落": ["温州市鹿城区某某路 88 号"] * 5, "土地用途": ["工业"] * 5})
    return a, attrs


@pytest.mark.parametrize("k, points", [(0, 4), (1, 20), (2, 40)])
def test_up_to_40_points_fit_one_page(parcels, tmp_path, k, points):
    a, attrs = parcels
    assert len(a.geoms[k].exterior.coords) - 1 == points
    assert len({row.grade for row in a.parcel(k).rows}) == 2
    out = write_parcel_reports(a, tmp_path / f"p{points}.pdf", indices=[k], attributes=attrs, operator="张三")
    assert len(PdfReader(str(out)).pages) == 1
    text = pdf_text(out)[0]
    r = a.parcel(k)
    # every figure, the 大写, the signatures, the table and the page count on that one page
    for figure in [f"{row.gross:,.2f}" for row in r.rows] + [f"{r.due:,.2f}", f"J{points}", HEADER]:
        assert figure in text, figure
    assert "本期应缴税额（大写）人民币" in text and "经办人：张三" in text and "复核人：" in text and "日期：" in text
    assert "第1页共1页" in text


def test_41_and_more_points_continue_with_the_header_repeated(parcels, tmp_path):
    a, attrs = parcels
    out = write_parcel_reports(a, tmp_path / "p60.pdf", indices=[3], attributes=attrs)
    pages = pdf_text(out)
    assert len(pages) == 2
    assert all(HEADER in p for p in pages)
    assert pages[0].startswith("城镇土地使用税计税面积及税额计算单") and "第1页共2页" in pages[0] and "第2页共2页" in pages[1]
    labels = [int(m) for m in re.findall(r"J(\d+)(?=3100)", "".join(pages))]     # a point's label, then its X
    assert sorted(labels) == list(range(1, 61)) and len(set(labels)) == 60
    # read down each column: the first page ends before the second begins
    first = [int(m) for m in re.findall(r"J(\d+)(?=3100)", pages[0])]
    assert max(first) < min(set(labels) - set(first))


def test_a_batch_gives_each_small_parcel_one_page(parcels, tmp_path):
    a, attrs = parcels
    out = write_parcel_reports(a, tmp_path / "b.pdf", indices=[0, 1, 2, 4], attributes=attrs)
    pages = pdf_text(out)
    assert "汇总表" in pages[0]
    parcel_pages = [p for p in pages if "计算单报告编号" in p]
    assert len(parcel_pages) == 4 and all("第1页共1页" in p for p in parcel_pages)
    assert f"全册第{len(pages)}/{len(pages)}页" in pages[-1]
