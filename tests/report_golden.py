"""A fixed set of parcels whose 计算单 text is recorded (tests/data/report_golden/pages.json) from
the platypus renderer, so that the template renderer can be held to the very same words, figures
and 大写, page by page. Rerun ``python -m tests.report_golden`` only when a wording changes on
purpose (and say so in the commit)."""

from __future__ import annotations

import json
import math
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

GOLDEN = Path(__file__).parent / "data" / "report_golden" / "pages.json"


def _outline(n: int, cx: float, cy: float) -> shapely.Polygon:
    return shapely.Polygon([(cx + 120 * math.cos(2 * math.pi * k / n) * (1 + 0.15 * math.sin(3 * k)),
                             cy + 84 * math.sin(2 * math.pi * k / n)) for k in range(n)])


def golden_parcels():
    """4, 20, 40, 60 points across a grade line; a 200 × 200 m square with an exemption and the
    small-taxpayer halving; a declared parcel with a hole; a parcel over three grades; a
    300-vertex circle."""
    from zones.assess import assess
    from zones.periods import TaxPeriod
    from zones.reliefs import ReliefClaim, load_catalogue
    from zones.tax import ParcelTerms
    from zones.zoneset import ZoneSet

    boxes = [shapely.box(500000 + 1000 * k, 3100000, 501000 + 1000 * k, 3101000) for k in range(3)]
    grades = gpd.GeoDataFrame({"grade": [1, 2, 3]}, geometry=boxes, crs="EPSG:4549")
    zs = ZoneSet("syn", "Synthetic", "1", "EPSG:4549", {1: Decimal(15), 2: Decimal(10), 3: Decimal(5)}, grades,
                 accuracy_m=None)
    circle = shapely.Polygon([(501500 + 300 * math.cos(2 * math.pi * k / 300), 3100500 + 300 * math.sin(2 * math.pi * k / 300))
                              for k in range(300)])
    geoms = [_outline(4, 501000, 3100200), _outline(20, 502000, 3100200), _outline(40, 501000, 3100500),
             _outline(60, 502000, 3100500), shapely.box(500900, 3100400, 501100, 3100600),
             shapely.box(501950, 3100100, 502150, 3100300).difference(shapely.box(502000, 3100150, 502050, 3100200)),
             shapely.box(500700, 3100700, 502300, 3100760), circle]
    terms = [None, None, ParcelTerms(declared_area_m2=Decimal("31000"), small_taxpayer=True), None,
             ParcelTerms(small_taxpayer=True, reliefs=(ReliefClaim("0010019904", area_m2=Decimal("1000")),)),
             ParcelTerms(declared_area_m2=Decimal("37000")), None, None]
    ids = [f"330302001001GB0010{k}" for k in range(len(geoms))]
    a = assess(gpd.GeoSeries(geoms, crs="EPSG:4549"), zs, TaxPeriod(2024), ids=ids, terms=terms,
               catalogue=load_catalogue(), input_sha256="ab" * 32)
    attrs = pd.DataFrame({"纳税人名称": ["温州某某实业有限公司"] * len(geoms),
                          "统一社会信用代码": ["91330300MA2AXXXX0H", "91350100M000100Y43"] * 4,
                          "土地坐落": ["温州市鹿城区某某路 88 号"] * len(geoms), "土地用途": ["工业"] * len(geoms)})
    return a, attrs


def render(path) -> Path:
    from zones.report import write_parcel_reports

    a, attrs = golden_parcels()
    return write_parcel_reports(a, path, attributes=attrs, issued=date(2024, 7, 1), operator="张三", reviewer="李四",
                                review_status={0: "已复核"})


_RUN = [(re.compile(r"WZ-\d{8}-\d{6}"), "WZ-<run>"), (re.compile(r"计算时间[^；]*（UTC）"), "计算时间<run>"),
        (re.compile(r"程序版本[^；]*；"), "程序版本<v>；")]


def page_texts(path) -> list[str]:
    """Each page's text, whitespace removed, the run's time and the program version masked."""
    from pypdf import PdfReader

    out = []
    for page in PdfReader(str(path)).pages:
        text = re.sub(r"\s+", "", page.extract_text())
        for pattern, mask in _RUN:
            text = pattern.sub(mask, text)
        out.append(text)
    return out


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        pages = page_texts(render(Path(d) / "golden.pdf"))
    GOLDEN.write_text(json.dumps(pages, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{len(pages)} pages → {GOLDEN}")
