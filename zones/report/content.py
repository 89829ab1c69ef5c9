"""What a parcel report says, apart from how it is laid out: the report number,
the period and liability wording, the area method, the boundary points, the
warnings. Plain Python; the PDF renderer only places these on the page."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import shapely
from pyproj import CRS

from zones import point_names
from zones.money import area2, yuan
from zones.periods import TaxPeriod
from zones.results import ParcelResult, flag_text
from zones.tax import TAX_BASE_ROUNDED

CHINA_TIME = timezone(timedelta(hours=8))
TITLE = "城镇土地使用税计税面积及税额计算单"
SUMMARY_TITLE = "城镇土地使用税计税面积及税额汇总表"


def created_local(assessment) -> datetime:
    """When the assessment was computed, in China time (provenance keeps UTC)."""
    try:
        t = datetime.fromisoformat(assessment.provenance.created)
    except (TypeError, ValueError):
        t = datetime.now(timezone.utc)
    if t.tzinfo is None:
        t = t.replace(tzinfo=timezone.utc)
    return t.astimezone(CHINA_TIME)


def report_number(assessment, index: int) -> str:
    """WZ-YYYYMMDD-HHMMSS-NNNN: the computation time and the parcel's 1-based row.
    Unique per run and parcel, and sorts in time order."""
    return f"WZ-{created_local(assessment):%Y%m%d-%H%M%S}-{index + 1:04d}"


def period_text(period: TaxPeriod) -> str:
    return f"{period.year} 年 {period.first_month} 月至 {period.last_month} 月（{period.months} 个月）"


def period_dates(period: TaxPeriod) -> tuple[date, date]:
    """所属期起 / 所属期止: the first day of the first month and the last day of the last month."""
    start = date(period.year, period.first_month, 1)
    nxt = date(period.year + 1, 1, 1) if period.last_month == 12 else date(period.year, period.last_month + 1, 1)
    return start, nxt - timedelta(days=1)


def liable_dates(result: ParcelResult, period: TaxPeriod) -> tuple[date, date]:
    """所属期起 / 止 of one parcel: its liable months inside the period (the period when none),
    so that area × rate × months / 12 on the sheet matches the amount."""
    lm = result.liable
    if not lm.count or lm.first is None or lm.last is None:
        return period_dates(period)
    return period_dates(TaxPeriod(lm.first.year, lm.first.month, lm.last.month))


def liable_text(result: ParcelResult) -> str:
    lm = result.liable
    if not lm.count:
        return f"本期无应税月份（{lm.rule}）"
    return f"{lm.first} 至 {lm.last}，共 {lm.count} 个月；确定依据：{lm.rule}"


def crs_description(crs_text: str) -> str:
    """'2000国家大地坐标系 3度带高斯-克吕格投影（EPSG:4549，中央经线 120°E）' for the CGCS2000 GK zones."""
    try:
        crs = CRS.from_user_input(crs_text)
    except Exception:
        return str(crs_text)
    epsg = crs.to_epsg()
    code = f"EPSG:{epsg}" if epsg else crs.name
    if "CGCS2000" in crs.name and "Gauss-Kruger" in crs.name:
        width = "3度带" if "3-degree" in crs.name else "6度带"
        cm = None
        for p in (crs.coordinate_operation.params if crs.coordinate_operation else []):
            if "longitude of natural origin" in p.name.lower():
                cm = p.value
        cm_text = f"，中央经线 {cm:g}°E" if cm is not None else ""
        return f"2000国家大地坐标系 {width}高斯-克吕格投影（{code}{cm_text}）"
    return f"{crs.name}（{code}）"


def area_method_text(result: ParcelResult, crs_text: str, declared: Decimal | None) -> list[str]:
    lines = [f"图上面积为宗地图形在{crs_description(crs_text)}下的平面面积（m²），按坐标解析法计算，"
             "未作椭球面或高程改正；面积保留两位小数，四舍五入。"]
    measured = area2(result.map_area_m2)
    if declared is not None:
        diff = measured - declared
        pct = (abs(diff) / measured * 100).quantize(Decimal("0.01")) if measured else Decimal(0)
        lines.append(f"证载面积 {declared:,.2f} m²，图上量算面积 {measured:,.2f} m²，差额（图上 − 证载）{diff:+,.2f} m²（{pct}%）。")
        if result.declared_area_m2 is not None:
            lines.append("计税面积以证载（申报）面积为准，按图上各等级面积的比例分摊到各等级（最大余数法，分摊后合计等于证载面积）。")
        else:
            lines.append("计税面积为图上量算面积。")
    else:
        lines.append("未提供证载面积，计税面积为图上量算面积。")
    return lines


def warnings(result: ParcelResult) -> list[str]:
    """The flags in words, then the details behind them (notes), without repeats."""
    out = [flag_text(code) for code in result.flags]
    out += [n for n in result.notes if n not in out]
    if result.error:
        out.insert(0, "未计税：" + result.error)
    return list(dict.fromkeys(out))


@dataclass(frozen=True)
class BoundaryPoint:
    label: str          # J1, J2, … numbered on through every ring
    x_north: float      # X (northing), m
    y_east: float       # Y (easting), m
    edge_m: float       # distance to the next point of the same ring


@dataclass(frozen=True)
class Ring:
    title: str                      # "外边界" / "第 2 部分 内边界（洞）1"
    points: tuple[BoundaryPoint, ...]


def boundary_rings(geom, names=()) -> list[Ring]:
    """The parcel's rings in input order and direction (so the numbers match the source's
    point list), the closing point dropped, J-numbers running on across rings — or the
    points' own ``names`` (点号 as typed or imported, :mod:`zones.point_names`) when there
    is one per point."""
    polys = [g for g in shapely.get_parts(geom) if g.geom_type == "Polygon" and not g.is_empty]
    count = sum(len(r.coords) - 1 for p in polys for r in (p.exterior, *p.interiors))
    names = point_names.fit(names, count)
    rings, n = [], 0
    many = len(polys) > 1
    for p_no, poly in enumerate(polys, start=1):
        parts = [(poly.exterior, "外边界")] + [(r, f"内边界（洞）{k}") for k, r in enumerate(poly.interiors, start=1)]
        for ring, what in parts:
            coords = list(ring.coords)[:-1]
            pts = []
            for k, (x, y) in enumerate(coords):
                nx, ny = coords[(k + 1) % len(coords)]
                n += 1
                pts.append(BoundaryPoint(names[n - 1] if names else f"J{n}", y, x, math.hypot(nx - x, ny - y)))
            rings.append(Ring((f"第 {p_no} 部分 " if many else "") + what, tuple(pts)))
    return rings


def map_shows_other_area(result: ParcelResult) -> bool:
    """True when the map's piece labels (taxable areas) differ from the measured pieces:
    a declared (certificate) area apportioned over the grades."""
    return result.declared_area_m2 is not None and any(row.area_m2 != area2(row.map_area_m2) for row in result.rows)


MAP_AREA_NOTE = ("宗地图形为图上量算（实测）界线；标注的计税面积是证载面积按图上各等级面积比例分摊后的面积，"
                 "与图上量算面积不同，税额计算表同此。")


def rounding_gap(result: ParcelResult) -> Decimal:
    """The largest difference (yuan) between the printed two-decimal area × rate (× months / 12)
    and the printed amounts, which are computed from the unrounded map area; 0 when none."""
    gap = Decimal(0)
    for row in result.rows:
        annual = yuan(row.area_m2 * row.rate)
        gross = yuan(row.area_m2 * row.rate * row.months / 12)
        gap = max(gap, abs(annual - row.annual), abs(gross - row.gross))
    return gap


def tax_base_of(assessment) -> str:
    """The tax-base rule an assessment was computed under (see :data:`zones.tax.TAX_BASES`)."""
    return getattr(getattr(assessment, "options", None), "tax_base", TAX_BASE_ROUNDED)


def rounding_note(result: ParcelResult, tax_base: str = TAX_BASE_ROUNDED) -> str:
    """The 计算方法 sentence stating the rounding rule in force, and under the old rule the
    difference between the printed two-decimal areas multiplied out and the amounts."""
    if tax_base == TAX_BASE_ROUNDED:
        return "各等级计税面积先四舍五入到 0.01 m²，再乘税额标准，表列面积 × 税额标准 × 应税月数 ÷ 12 即为表列税额。"
    gap = rounding_gap(result)
    note = "应纳税额按未经舍入的图上面积计算（旧规则）"
    if not gap:
        return note + "。"
    return note + f"，与表列两位小数面积相乘可能相差 {gap:.2f} 元。"
