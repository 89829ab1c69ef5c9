"""The PDF report: figures, capitals, boundary points, page counting, embedded
fonts, and the Wenzhou zone set's legal basis. Text is read back with pypdf."""

import math
import re
import shutil
import subprocess
from datetime import date
from decimal import Decimal

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from pypdf import PdfReader

from zones.assess import assess
from zones.periods import TaxPeriod
from zones.reliefs import ReliefClaim, load_catalogue
from zones.report import write_parcel_reports
from zones.report.content import boundary_rings, period_dates, report_number
from zones.resources import resources_root
from zones.tax import ParcelTerms
from zones.zoneset import ZoneSet


def synthetic_zoneset() -> ZoneSet:
    boxes = [shapely.box(500000 + 1000 * k, 3100000, 501000 + 1000 * k, 3101000) for k in range(3)]
    grades = gpd.GeoDataFrame({"grade": [1, 2, 3]}, geometry=boxes, crs="EPSG:4549")
    return ZoneSet("syn", "Synthetic", "1", "EPSG:4549", {1: Decimal(15), 2: Decimal(10), 3: Decimal(5)}, grades,
                   accuracy_m=None)


ATTRS = pd.DataFrame({
    "纳税人名称": ["温州某某实业有限公司", "温州某物流有限公司", "温州某大型企业"],
    "统一社会信用代码": ["91350100M000100Y43", "91350100M000100Y44", None],
    "不动产单元号": ["330302001001GB00001W00000000", None, None],
    "土地坐落": ["温州市鹿城区某某路 88 号", None, None],
    "土地用途": ["工业", "商业", "工业"],
})


@pytest.fixture(scope="module")
def batch():
    """Parcel 1: 200 × 200 m across grades 1|2 (20 000 m² each), a 1 000 m² exemption and the
    small-taxpayer halving. Parcel 2: grades 2|3 with a 50 × 50 m hole, declared 37 000 m².
    Parcel 3: a 300-vertex polygon inside grade 2."""
    angles = [2 * math.pi * k / 300 for k in range(300)]
    circle = shapely.Polygon([(501500 + 300 * math.cos(t), 3100500 + 300 * math.sin(t)) for t in angles])
    geoms = [shapely.box(500900, 3100400, 501100, 3100600),
             shapely.box(501950, 3100100, 502150, 3100300).difference(shapely.box(502000, 3100150, 502050, 3100200)),
             circle]
    terms = [ParcelTerms(small_taxpayer=True, reliefs=(ReliefClaim("0010019904", area_m2=Decimal("1000")),)),
             ParcelTerms(declared_area_m2=Decimal("37000")), None]
    return assess(gpd.GeoSeries(geoms, crs="EPSG:4549"), synthetic_zoneset(), TaxPeriod(2024), ids=["330302001001GB00001", "B-2", "C-3"],
                  terms=terms, catalogue=load_catalogue(), input_sha256="ab" * 32)


def pdf_text(path) -> list[str]:
    """Each page's text with all whitespace removed (the layout splits runs)."""
    return [re.sub(r"\s+", "", p.extract_text()) for p in PdfReader(str(path)).pages]


def test_single_parcel_report_figures(batch, tmp_path):
    out = write_parcel_reports(batch, tmp_path / "one.pdf", indices=[0], attributes=ATTRS, issued=date(2024, 7, 1),
                               operator="张三", reviewer="李四", review_status={0: "已复核"})
    pages = pdf_text(out)
    text = "".join(pages)
    assert "城镇土地使用税计税面积及税额计算单" in text
    assert report_number(batch, 0) in text and re.fullmatch(r"WZ-\d{8}-\d{6}-0001", report_number(batch, 0))
    assert "出具日期：2024年07月01日" in text
    for figure in ["20,000.00", "300,000.00", "200,000.00", "500,000.00", "12,500.00", "243,750.00"]:
        assert figure in text, figure
    assert "人民币贰拾肆万叁仟柒佰伍拾元整" in text
    assert "0010019904" in text and "0010049901" in text
    assert "2024-01至2024-12，共12个月" in text
    assert "EPSG:4549" in text and "经办人：张三" in text and "复核人：李四" in text and "复核状态：已复核" in text
    assert "ab" * 32 in text                                                         # provenance
    assert "J4" in text and "3100400.000" in text and "501100.000" in text           # boundary points
    assert "非官方等级图" in text
    n = len(pages)
    assert all(f"第{k}页共{n}页" in p for k, p in enumerate(pages, start=1))


def test_batch_summary_first_then_each_report(batch, tmp_path):
    out = write_parcel_reports(batch, tmp_path / "batch.pdf", attributes=ATTRS)
    pages = pdf_text(out)
    assert "城镇土地使用税计税面积及税额汇总表" in pages[0]
    due = sum((batch.parcel(i).due for i in range(3)), Decimal(0))
    assert f"{due:,.2f}" in pages[0]
    assert "一级20,000.00" in pages[0] and "三级27,133.33" in pages[0]        # per-grade areas (declared, apportioned)
    numbers = [report_number(batch, i) for i in range(3)]
    for num in numbers:
        assert any(num in p for p in pages)
    assert pages[-1].count("全册第") == 1 and f"全册第{len(pages)}/{len(pages)}页" in pages[-1]
    # parcel 2: the bad USCC and the declared-area difference are printed
    text = "".join(pages)
    assert "校验未通过" in text and "图上−证载=+500.00（超过容差，请核实）" in text   # map − certificate, as the panel
    assert "内边界（洞）1" in text


def test_boundary_table_continues_for_large_parcels(batch, tmp_path):
    small = write_parcel_reports(batch, tmp_path / "small.pdf", indices=[0])
    large = write_parcel_reports(batch, tmp_path / "large.pdf", indices=[2])
    small_pages, large_pages = pdf_text(small), pdf_text(large)
    # three columns of points side by side: 300 points run on to a second page, 4 do not
    assert len(small_pages) == 1 and len(large_pages) >= 2
    text = "".join(large_pages)
    assert "J300" in text and "J301" not in text
    # the header row (three blocks of 点号 X Y 边长) repeats on every page of the table
    assert all("点号XY边长点号XY边长点号XY边长" in p for p in large_pages)


def test_boundary_rings_number_through_holes(batch):
    rings = boundary_rings(batch.geoms[1])
    assert [r.title for r in rings] == ["外边界", "内边界（洞）1"]
    assert [p.label for r in rings for p in r.points] == [f"J{k}" for k in range(1, 9)]
    assert rings[0].points[0].x_north == pytest.approx(3100100) and rings[0].points[0].edge_m == pytest.approx(200)


def test_period_dates():
    assert period_dates(TaxPeriod(2024, 1, 6)) == (date(2024, 1, 1), date(2024, 6, 30))
    assert period_dates(TaxPeriod(2024, 7, 12)) == (date(2024, 7, 1), date(2024, 12, 31))
    assert period_dates(TaxPeriod(2024, 2, 2)) == (date(2024, 2, 1), date(2024, 2, 29))


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler pdffonts not installed")
def test_every_font_is_embedded(batch, tmp_path):
    out = write_parcel_reports(batch, tmp_path / "fonts.pdf", attributes=ATTRS)
    listing = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert listing, "no fonts listed"
    for line in listing:
        cols = line.split()
        assert cols[-5] == "yes", line                      # emb column
        assert "Helvetica" not in line and "Times" not in line


def test_atomic_write_leaves_no_temporary(batch, tmp_path):
    write_parcel_reports(batch, tmp_path / "r.pdf", indices=[0])
    assert [p.name for p in tmp_path.iterdir()] == ["r.pdf"]
    with pytest.raises(IndexError):
        write_parcel_reports(batch, tmp_path / "bad.pdf", indices=[7])
    assert not (tmp_path / "bad.pdf").exists()


WENZHOU = resources_root() / "zonesets" / "wenzhou-urban-2024" / "zoneset.json"


@pytest.mark.skipif(not WENZHOU.exists(), reason="bundled Wenzhou zone set not built")
def test_wenzhou_parcel_report(tmp_path):
    from zones.zoneset import load_zoneset

    zs = load_zoneset("wenzhou-urban-2024")
    g1 = zs.grades[zs.grades.grade == 1].union_all()
    g2 = zs.grades[zs.grades.grade == 2].union_all()
    pt = shapely.intersection(g1.boundary, g2.boundary).interpolate(0.3, normalized=True)
    parcel = shapely.box(pt.x - 60, pt.y - 50, pt.x + 60, pt.y + 50)
    a = assess(gpd.GeoSeries([parcel], crs="EPSG:4549"), zs, TaxPeriod(2024), ids=["W-1"])
    r = a.parcel(0)
    assert {row.grade for row in r.rows} == {1, 2}
    out = write_parcel_reports(a, tmp_path / "wz.pdf", attributes=pd.DataFrame({"taxpayer": ["温州某公司"]}))
    text = "".join(pdf_text(out))
    assert "温政办〔2024〕10号" in text
    assert f"{r.due:,.2f}" in text and "12,000.00" in text
    assert "等级图精度说明" in text          # not the official map: its accuracy statement is printed
