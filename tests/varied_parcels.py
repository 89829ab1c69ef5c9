"""A few hundred parcels on the synthetic city (tests/synthetic.py) with every kind of
terms the assessment reads: declared areas (matching, off, full-width digits), small
taxpayer words, relief claims (whole, by area, by months, unknown code), own liable
months, acquisitions, terminations, holes, multipolygons, an invalid outline, outlines
outside the levy scope and slivers along the grade lines. Deterministic (seeded), so a
test can compare figures before and after a change of the code that computes them."""

from __future__ import annotations

import json
import math
import random

import shapely

from tests.synthetic import box
from zones.project import Parcel, Source

SMALL = ("", "", "", "是", "√", "Y", "否", "１", "maybe")
RELIEFS = (
    [],
    [{"code": "0010049901"}],
    [{"code": "0010129901", "area_m2": "150.5"}],
    [{"code": "0010019901", "first": "2024-03", "last": "2024-08"}],
    [{"code": "0010049901"}, {"code": "0010019903", "area_m2": "40"}],
    [{"code": "NOSUCHCODE"}],
)


def varied_parcels(n: int = 360, seed: int = 10) -> list[Parcel]:
    rnd = random.Random(seed)
    src = Source("import", "基准", "2024-01-02T03:04:05", file="varied.gpkg", sha256="0" * 64, what="导入自 varied.gpkg")
    out = []
    for k in range(n):
        out.append(Parcel(f"v{k:05d}", _outline(rnd, k), _attrs(rnd, k), None, "基准", src,
                          (("repaired", "导入时图形无效，已修复：自相交"),) if k % 53 == 0 else ()))
    return out


def _outline(rnd: random.Random, k: int):
    kind = k % 9
    x, y = rnd.uniform(-60, 2020), rnd.uniform(-60, 2020)
    w, h = rnd.uniform(3, 180), rnd.uniform(3, 180)
    if kind == 0:          # across a grade line, by a sliver
        line = rnd.choice((1000.0, 2000.0))
        return box(line - rnd.uniform(0.002, 0.02), y, line + w, y + h)
    if kind == 1:          # with a hole
        outer = box(x, y, x + w + 20, y + h + 20)
        return outer.difference(box(x + 5, y + 5, x + 15, y + 15))
    if kind == 2:          # two parts
        return shapely.MultiPolygon([box(x, y, x + w, y + h), box(x + w + 10, y, x + 2 * w + 10, y + h)])
    if kind == 3:          # a star
        m = rnd.randint(5, 12) * 2
        pts = [(x + (w if j % 2 else w / 2.5) * math.cos(2 * math.pi * j / m),
                y + (w if j % 2 else w / 2.5) * math.sin(2 * math.pi * j / m)) for j in range(m)]
        return shapely.Polygon(pts)
    if kind == 4 and k % 4 == 0:   # a bowtie: invalid, repaired by the assessment
        return shapely.Polygon([(x, y), (x + w, y + h), (x + w, y), (x, y + h)])
    return box(x, y, x + w, y + h)


def _attrs(rnd: random.Random, k: int) -> dict:
    a = {"parcel_no": f"330302{k:013d}", "taxpayer_name": f"示例公司{k % 37}", "land_use": rnd.choice(("工业", "商业", ""))}
    if k % 5 == 0:
        a["declared_area"] = rnd.choice(("1200.50", "88", "１２３.５", "99999", "10.01"))
    small = rnd.choice(SMALL)
    if small:
        a["small_taxpayer"] = small
    claims = rnd.choice(RELIEFS) if k % 3 == 0 else []
    if claims:
        a["reliefs"] = json.dumps(claims, ensure_ascii=False)
    if k % 7 == 0:
        a["liable_from"] = rnd.choice(("2024-04", "2023-11", "2024-12"))
    elif k % 11 == 0:
        a["acquired"] = rnd.choice(("2024-02", "2023-06"))
        a["acquisition_mode"] = rnd.choice(("出让", "划拨", "征用耕地", "自留"))
    if k % 13 == 0:
        a["change_type"] = "纳税义务终止（其他）"
        a["change_month"] = rnd.choice(("2024-09", "2024-01"))
    return {key: v for key, v in a.items() if v}
