"""Report documents for a district: --report-dir (one PDF per parcel named by 宗地号 and taxpayer,
plus 汇总表.pdf), progress with an estimate on stderr, the summary's 大写 total and signature
lines, and amounts that never wrap in their cells."""

import io
import os
import subprocess
import sys
from decimal import Decimal

import geopandas as gpd
import pandas as pd
import shapely
from pypdf import PdfReader

from test_report import pdf_text, synthetic_zoneset
from zones.assess import assess
from zones.periods import TaxPeriod
from zones.report.cli_hook import StderrProgress
from zones.report.pdf import report_file_name, write_parcel_reports, write_report_dir

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_report_dir_one_pdf_per_parcel_and_the_summary(tmp_path):
    geoms = [shapely.box(500950, 3100400, 501050, 3100446), shapely.box(501950, 3100400, 502050, 3100446),
             shapely.box(502200, 3100400, 502300, 3100446)]
    a = assess(gpd.GeoSeries(geoms, crs="EPSG:4549"), synthetic_zoneset(), TaxPeriod(2024),
               ids=["330302001001GB00001", "A/1", "A/1"])
    attrs = pd.DataFrame({"纳税人名称": ["温州某某有限公司", 'x:y*"z', None]})
    progress = StderrProgress("reports", stream=io.StringIO(), every=0)
    out = write_report_dir(a, tmp_path / "d", attributes=attrs, progress=progress)
    names = [p.name for p in out]
    assert names == ["汇总表.pdf", "330302001001GB00001_温州某某有限公司.pdf", "A_1_x_y__z.pdf", "A_1.pdf"]
    assert sorted(p.name for p in (tmp_path / "d").iterdir()) == sorted(names)
    summary = "".join(pdf_text(out[0]))
    assert "城镇土地使用税计税面积及税额汇总表" in summary and "城镇土地使用税计税面积及税额计算单" not in summary
    # 2,300 m² in grade 1 and 2 (34,500 + 23,000), 2,300 in grade 2 and 3 (23,000 + 11,500), 4,600 in grade 3
    # (23,000): 115,000.00
    assert "本期应缴税额合计（大写）人民币壹拾壹万伍仟元整" in summary and "115,000.00" in summary
    assert "经办人：" in summary and "复核人：" in summary and "日期：" in summary and "附各宗地计算单3份" in summary
    for p in out[1:]:
        text = "".join(pdf_text(p))
        assert "汇总表" not in text and "城镇土地使用税计税面积及税额计算单" in text
    assert "".join(pdf_text(out[2])).count("A/1") >= 1
    lines = progress.stream.getvalue().splitlines()
    assert lines[-1] == "reports: 3/3 (100%)" and "left (Ctrl+C cancels)" in lines[1]


def test_progress_estimate_from_the_rate_so_far():
    clock = iter([0.0, 10.0, 20.0]).__next__
    p = StderrProgress("report", stream=io.StringIO(), every=0, clock=clock)
    p.step(100, 1000)     # 100 parcels in 10 s → 900 left ≈ 90 s
    assert p.stream.getvalue().splitlines() == ["report: 100/1,000 (10%), about 1:30 left (Ctrl+C cancels)"]


def test_report_file_names_are_safe():
    assert report_file_name("330302/001", "温州:甲?公司") == "330302_001_温州_甲_公司"
    assert report_file_name("CON", "") == "宗地_CON"
    assert len(report_file_name("1" * 200, "甲" * 200)) <= 80 + 1 + 40


def test_amounts_from_ten_million_never_wrap(tmp_path):
    """A 1,000 × 1,000 m parcel in grade 1: 15,000,000.00 yuan sits on one line in every table."""
    a = assess(gpd.GeoSeries([shapely.box(500000, 3100000, 501000, 3101000), shapely.box(501000, 3100000, 502000, 3101000)],
                             crs="EPSG:4549"), synthetic_zoneset(), TaxPeriod(2024), ids=["H1", "H2"])
    assert a.parcel(0).due == Decimal("15000000.00")
    pdf = write_parcel_reports(a, tmp_path / "h.pdf")
    for page in PdfReader(str(pdf)).pages:
        lines = page.extract_text().splitlines()
        for amount in ("15,000,000.00", "25,000,000.00", "1,000,000.00"):
            head = amount[:-3]
            # never split as "15,000,000." / "00" over two lines
            assert not any(ln.rstrip().endswith(head + ".") for ln in lines), amount


def test_cli_report_dir(tmp_path):
    sample = os.path.join(ROOT, "resources", "samples", "wenzhou_sample.gpkg")
    r = subprocess.run([sys.executable, "-m", "zones", "assess", sample, "--out", str(tmp_path / "o.csv"), "--year", "2024",
                        "--id-field", "宗地号", "--report-dir", str(tmp_path / "rep")], capture_output=True, text=True,
                       cwd=ROOT, env=dict(os.environ, PYTHONPATH=ROOT), timeout=600, check=False)
    assert r.returncode == 0, r.stderr
    files = sorted(p.name for p in (tmp_path / "rep").iterdir())
    assert len(files) == 13 and "汇总表.pdf" in files
    assert "330304003005GB00008_温州瓯海示例眼镜制造有限公司.pdf" in files
    assert "reports: 12/12 (100%)" in r.stderr
