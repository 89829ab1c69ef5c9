#!/usr/bin/env python3
"""Build the bundled sample project ``resources/samples/wenzhou_sample.{gpkg,geojson}``.

Twelve fictitious but realistic Wenzhou parcels, placed relative to the built zone set
(``resources/zonesets/wenzhou-urban-2024/zones.gpkg``): parcels wholly inside a grade keep at
least 100 m from every grade line (the zone set's typical error is ~50 m); parcels that cross a
grade line are centred on a named boundary run. The script checks every placement against the
zone set and fails if a parcel does not show what the README says it shows.

Outputs: ``wenzhou_sample.gpkg`` (layer ``parcels``, EPSG:4549), ``wenzhou_sample.geojson``
(EPSG:4326, the same parcels) and ``README.md``. Taxpayers, codes and addresses are invented;
the 统一社会信用代码 carry valid GB 32100 (and GB 11714) check characters.

    python tools/build_samples.py [--zoneset DIR] [--output DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pyogrio
import shapely
from pyproj import Transformer
from shapely.geometry import MultiPolygon, Polygon

REPO = Path(__file__).resolve().parents[1]
DEFAULT_ZONESET = REPO / "resources" / "zonesets" / "wenzhou-urban-2024"
DEFAULT_OUTPUT = REPO / "resources" / "samples"
CRS = "EPSG:4549"
CLEARANCE_M = 100.0      # parcels "wholly in" a grade keep this far from every grade line
GPKG_DATE = "2024-03-15T00:00:00Z"

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]
ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]
DISTRICT_CODES = {"鹿城区": "330302", "龙湾区": "330303", "瓯海区": "330304", "洞头区": "330305"}

COLUMNS = ["宗地号", "纳税人名称", "统一社会信用代码", "不动产单元号", "土地坐落", "土地用途", "证载面积",
           "减免性质代码", "小规模纳税人", "取得方式", "土地取得时间", "起始月份", "终止月份"]


# ----------------------------------------------------------------------------- identifiers

def org_code(seed: str) -> str:
    """A 9-character 组织机构代码 (GB 11714): 8 digits from the seed + check character."""
    digits = str(int(hashlib.sha256(seed.encode()).hexdigest(), 16))[-8:]
    c = 11 - sum(int(ch) * w for ch, w in zip(digits, ORG_WEIGHTS)) % 11
    return digits + ("X" if c == 10 else "0" if c == 11 else str(c))


def uscc_check(first17: str) -> str:
    """GB 32100 check character: (31 − Σ value×3^i mod 31) mod 31 over the 31-character alphabet."""
    total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def uscc(district: str, seed: str, kind: str = "91") -> str:
    body = kind + district + org_code(seed)
    return body + uscc_check(body)


def uscc_valid(code: str) -> bool:
    return (len(code) == 18 and all(ch in USCC_ALPHABET for ch in code)
            and uscc_check(code[:17]) == code[17])


# ----------------------------------------------------------------------------- shapes (metres, EPSG:4549)

def rect(cx: float, cy: float, length: float, width: float, angle_deg: float = 0.0) -> Polygon:
    """A rectangle centred at (cx, cy), `length` along angle_deg (from +x, anticlockwise)."""
    a = math.radians(angle_deg)
    ux, uy, vx, vy = math.cos(a), math.sin(a), -math.sin(a), math.cos(a)
    pts = [(cx + sx * length / 2 * ux + sy * width / 2 * vx, cy + sx * length / 2 * uy + sy * width / 2 * vy)
           for sx, sy in ((-1, -1), (1, -1), (1, 1), (-1, 1))]
    return Polygon(pts)


def irregular(cx: float, cy: float, offsets: list[tuple[float, float]]) -> Polygon:
    return Polygon([(cx + dx, cy + dy) for dx, dy in offsets])


def round_mm(geom):
    return shapely.set_precision(geom, 0.001)


@dataclass
class Parcel:
    seq: int
    name: str                      # 纳税人名称
    address: str                   # 土地坐落
    use: str                       # 土地用途
    shows: str                     # README: what it demonstrates
    expect: str                    # README: grades, "1" / "1+2" / "2(1)+3" …
    geometry: Polygon | MultiPolygon = None
    area_factor: float = 1.0       # 证载面积 = measured × factor
    relief: str = ""
    small: bool = False
    start: str = ""
    end: str = ""
    kind: str = ""                 # 取得方式
    acquired: str = ""             # 土地取得时间
    cadastral: tuple[int, int] = (1, 1)


# ----------------------------------------------------------------------------- placement

class Zones:
    def __init__(self, gpkg: Path):
        self.grades = gpd.read_file(gpkg, layer="grades")
        self.runs = gpd.read_file(gpkg, layer="boundary_runs")
        self.districts = gpd.read_file(gpkg, layer="districts")
        self.uncertain = shapely.union_all(gpd.read_file(gpkg, layer="uncertain_areas").geometry)
        self.lines = shapely.union_all([g.boundary for g in self.grades.geometry[self.grades.grade < 3]])
        self._t = Transformer.from_crs("EPSG:4490", CRS, always_xy=True)

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return self._t.transform(lon, lat)

    def zone(self, grade: int, part: int):
        return self.grades[(self.grades.grade == grade) & (self.grades.part == part)].geometry.iloc[0]

    def run(self, grade: int, part: int, notice_words_prefix: str):
        r = self.runs[(self.runs.grade == grade) & (self.runs.part == part)
                      & self.runs.notice_words.str.startswith(notice_words_prefix)]
        if len(r) != 1:
            raise LookupError(f"no single run {notice_words_prefix!r} on grade {grade} part {part}")
        return r.geometry.iloc[0]

    def across(self, grade: int, part: int, words: str, at: float, length: float, width: float,
               shift: float = 0.0) -> Polygon:
        """A rectangle straddling a boundary run at fraction `at` of its length, its long side along the run,
        shifted `shift` metres towards the inside of (grade, part)."""
        line = self.run(grade, part, words)
        p0 = line.interpolate(max(0.0, at * line.length - 15))
        p1 = line.interpolate(min(line.length, at * line.length + 15))
        mid = line.interpolate(at * line.length)
        angle = math.degrees(math.atan2(p1.y - p0.y, p1.x - p0.x))
        nx, ny = -math.sin(math.radians(angle)), math.cos(math.radians(angle))
        if not self.zone(grade, part).contains(shapely.Point(mid.x + 20 * nx, mid.y + 20 * ny)):
            nx, ny = -nx, -ny
        return rect(mid.x + shift * nx, mid.y + shift * ny, length, width, angle)

    def grades_of(self, geom) -> dict[str, float]:
        """Share of the parcel's area in each grade polygon, keyed "1", "2(1)" … "3"."""
        out = {}
        for r in self.grades.itertuples():
            a = geom.intersection(r.geometry).area
            if a > 0.01:
                key = "1" if r.grade == 1 else "3" if r.grade == 3 else f"2({r.part})"
                out[key] = a / geom.area
        return out

    def district_of(self, geom) -> str:
        pt = geom.representative_point()
        for r in self.districts.itertuples():
            if r.geometry.contains(pt):
                return r.name
        raise ValueError("parcel outside every district")


def parcels(z: Zones) -> list[Parcel]:
    """The twelve sample parcels, in 宗地号 order."""
    ps: list[Parcel] = []

    x, y = z.xy(120.6550, 28.0180)
    ps.append(Parcel(1, "温州五马示例商贸有限公司", "五马街道解放街示例地块", "商业",
                     "一级，整宗在内；常规商业用地。", "1",
                     rect(x, y, 62.0, 44.5, 8.0), area_factor=1.0012, cadastral=(1, 1)))

    x, y = z.xy(120.6720, 28.0080)
    outer = rect(x, y, 112.0, 88.0, -5.0)
    court = rect(x + 6.0, y - 4.0, 42.0, 28.0, -5.0)
    ps.append(Parcel(2, "温州江城示例置业有限公司", "南汇街道示例小区", "居住",
                     "一级；带内院（多边形带洞），面积不含内院。", "1",
                     Polygon(outer.exterior.coords, [court.exterior.coords[::-1]]), area_factor=0.9981,
                     cadastral=(2, 3)))

    x, y = z.xy(120.6620, 28.0100)
    ps.append(Parcel(3, "温州市鹿城区示例便利店有限公司", "广场路示例沿街商铺", "商业",
                     "一级；小规模纳税人（六税两费减半），面积小（不足 1000 m²）。", "1",
                     irregular(x, y, [(-16, -14), (15, -14.5), (16, 13.5), (-3, 14), (-15.5, 12)]),
                     area_factor=1.0024, small=True, cadastral=(3, 2)))

    x, y = z.xy(120.7050, 28.0160)
    ps.append(Parcel(4, "温州滨江示例商务有限公司", "滨江街道滨江商务区示例地块", "商业",
                     "二级(1)；证载面积比实测大约 3%，演示面积不符提示。", "2(1)",
                     irregular(x, y, [(-45, -35), (40, -38), (52, 10), (20, 42), (-40, 33)]),
                     area_factor=1.03, cadastral=(4, 1)))

    x, y = z.xy(120.6600, 27.9900)
    ps.append(Parcel(5, "温州会昌示例鞋业有限公司", "南汇街道会昌河南侧示例厂区", "工业",
                     "二级(2)；2024-09 转让，终止月份 2024-09（按月计至9月）。", "2(2)",
                     rect(x, y, 118.0, 81.0, 12.0), area_factor=0.9973, end="2024-09", cadastral=(2, 7)))

    x, y = z.xy(120.6280, 28.0180)
    ps.append(Parcel(6, "温州双屿示例房地产开发有限公司", "双屿街道翠微大道东侧示例地块", "居住",
                     "二级(3)，整宗在内。", "2(3)",
                     rect(x, y, 101.0, 69.0, 0.0), area_factor=1.0021, cadastral=(5, 4)))

    x, y = z.xy(120.7800, 27.9600)
    ps.append(Parcel(7, "温州瓯江口示例物流有限公司", "示例物流园仓储区", "工业",
                     "三级（龙湾）；物流企业大宗商品仓储设施用地，减免性质代码 0010129901（按等级税额50%计征），"
                     "单体仓储面积 ≥ 6000 m²。", "3",
                     rect(x, y, 152.0, 120.0, 30.0), area_factor=1.0038, relief="0010129901", cadastral=(6, 2)))

    x, y = z.xy(120.6600, 27.9600)
    ps.append(Parcel(8, "温州瓯海示例眼镜制造有限公司", "示例工业区", "工业",
                     "三级（瓯海）；2024 年 7 月以出让方式取得（合同未约定交付时间，7 月签订），"
                     "自次月即 8 月起计税，本年 5 个月：起始月份 2024-08，或由取得方式和土地取得时间推出。", "3",
                     irregular(x, y, [(-50, -45), (48, -47), (52, 40), (5, 46), (-49, 44)]),
                     area_factor=0.9992, start="2024-08", kind="出让", acquired="2024-07-15", cadastral=(3, 5)))

    x, y = z.xy(121.1570, 27.8360)
    a = rect(x - 33.0, y, 52.0, 40.0, 15.0)
    b = rect(x + 33.0, y + 17.7, 48.0, 38.0, 15.0)  # the same orientation, across a 12 m road
    ps.append(Parcel(9, "温州洞头示例水产有限公司", "北岙街道示例渔港配套用地", "其他",
                     "三级（洞头海岛）；一宗两块（多部件多边形），中间隔路。", "3",
                     MultiPolygon([a, b]), area_factor=1.0009, cadastral=(1, 3)))

    ps.append(Parcel(10, "温州黎明示例实业有限公司", "车站大道黎明立交桥以北示例地块", "综合",
                     "跨一级/二级(1)界线（车站大道，黎明立交桥以北）：按面积拆分，两部分分别适用15元与10元。", "1+2(1)",
                     z.across(1, 1, "车站大道", 0.5, 96.0, 72.0, shift=12.0), area_factor=0.9968,
                     cadastral=(4, 6)))

    ps.append(Parcel(11, "温州世纪示例广告有限公司", "划龙桥河北岸示例地块", "商业",
                     "跨一级/二级(1)界线（划龙桥河，世纪广场北侧）。", "1+2(1)",
                     z.across(1, 1, "划龙桥河", 0.35, 84.0, 64.0, shift=-8.0), area_factor=1.0015,
                     cadastral=(4, 9)))

    ps.append(Parcel(12, "温州汤家桥示例机械有限公司", "汤家桥路东侧示例厂区", "工业",
                     "跨二级(1)/三级界线（汤家桥路）。", "2(1)+3",
                     z.across(2, 1, "汤家桥路", 0.62, 110.0, 84.0, shift=10.0), area_factor=1.0,
                     cadastral=(7, 1)))
    return ps


def check(z: Zones, p: Parcel) -> dict[str, float]:
    if not p.geometry.is_valid:
        raise ValueError(f"parcel {p.seq}: invalid geometry")
    if not 800 <= p.geometry.area <= 20000:
        raise ValueError(f"parcel {p.seq}: area {p.geometry.area:.0f} m² outside 800–20000")
    shares = z.grades_of(p.geometry)
    if "+".join(sorted(shares, key=lambda k: (k[0], k))) != p.expect:
        raise ValueError(f"parcel {p.seq}: expected {p.expect}, placed in {shares}")
    if "+" in p.expect:
        if min(shares.values()) < 0.15:
            raise ValueError(f"parcel {p.seq}: one side of the line holds only {min(shares.values()):.0%}")
    elif p.geometry.distance(z.lines) < CLEARANCE_M:
        raise ValueError(f"parcel {p.seq}: within {CLEARANCE_M} m of a grade line")
    if p.geometry.intersects(z.uncertain):
        raise ValueError(f"parcel {p.seq}: lies in a 华光路 uncertain area")
    return shares


def build(zoneset: Path, output: Path) -> gpd.GeoDataFrame:
    z = Zones(zoneset / "zones.gpkg")
    rows, notes = [], []
    for p in parcels(z):
        p.geometry = round_mm(p.geometry)
        shares = check(z, p)
        district_name = z.district_of(p.geometry)
        district = DISTRICT_CODES[district_name]
        parcel_code = f"{district}{p.cadastral[0]:03d}{p.cadastral[1]:03d}GB{p.seq:05d}"
        credit = uscc(district, f"wenzhou-sample-{p.seq}")
        assert len(parcel_code) == 19 and uscc_valid(credit)
        area = p.geometry.area
        rows.append({
            "宗地号": parcel_code, "纳税人名称": p.name, "统一社会信用代码": credit,
            "不动产单元号": f"{parcel_code}F{1:04d}{1:04d}", "土地坐落": f"温州市{district_name}{p.address}",
            "土地用途": p.use, "证载面积": round(area * p.area_factor, 2), "减免性质代码": p.relief,
            "小规模纳税人": p.small, "取得方式": p.kind, "土地取得时间": p.acquired, "起始月份": p.start,
            "终止月份": p.end, "geometry": p.geometry})
        notes.append((parcel_code, p, area, shares))
    gdf = gpd.GeoDataFrame(rows, columns=COLUMNS + ["geometry"], crs=CRS)

    output.mkdir(parents=True, exist_ok=True)
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": GPKG_DATE})
    for name in ("wenzhou_sample.gpkg", "wenzhou_sample.geojson"):
        (output / name).unlink(missing_ok=True)
    pyogrio.write_dataframe(gdf, output / "wenzhou_sample.gpkg", layer="parcels", driver="GPKG",
                            promote_to_multi=False, geometry_type="Unknown")
    pyogrio.write_dataframe(gdf.to_crs("EPSG:4326"), output / "wenzhou_sample.geojson", layer="parcels",
                            driver="GeoJSON", layer_options={"COORDINATE_PRECISION": 8})
    (output / "README.md").write_text(readme(notes), encoding="utf-8")
    return gdf


def readme(notes) -> str:
    lines = []
    for code, p, area, shares in notes:
        split = "；".join(f"{k}: {v:.1%}" for k, v in sorted(shares.items()))
        flags = [f for f, on in (("小规模", p.small), (f"减免 {p.relief}", p.relief),
                                 (f"起 {p.start}", p.start), (f"止 {p.end}", p.end)) if on]
        lines.append(f"| {code} | {p.use} | {area:,.1f} | {area * p.area_factor:,.2f} | {p.expect} | {split} | "
                     f"{'，'.join(flags) or '–'} | {p.shows} |")
    table = "\n".join(lines)
    return f"""# 示例项目 — Wenzhou sample parcels

Twelve **fictitious** parcels for newcomers and for the command-line example. Taxpayer names, codes
and addresses are invented (the names say 示例); the 统一社会信用代码 are synthetic but carry valid
GB 32100 check characters (and valid GB 11714 check digits in positions 9–17), so validators accept them.

| file | content |
|---|---|
| `wenzhou_sample.gpkg` | layer `parcels`, EPSG:4549 (CGCS2000 / 3-degree Gauss-Kruger CM 120E) |
| `wenzhou_sample.geojson` | the same parcels in EPSG:4326 (lon/lat) |

Columns: {", ".join(COLUMNS)}.
证载面积 is the certificate area in m²: within ±0.5 % of the measured plane area, except 宗地 …00004
(+3 %, to show the mismatch warning). 起始月份 / 终止月份 (YYYY-MM) are empty unless the parcel was
acquired or disposed of during 2024; 起始月份 is the first *liable* month, the month after the acquisition
(次月), which `--acquired-field 土地取得时间 --acquisition-kind-field 取得方式` derive from 取得方式 and
土地取得时间 (YYYY-MM-DD) as well.

The parcels were placed by `tools/build_samples.py` relative to the built zone set
`resources/zonesets/wenzhou-urban-2024`: a parcel "wholly in" a grade keeps at least {CLEARANCE_M:.0f} m from
every grade line (the zone set's typical error is about 50 m); a parcel crossing a line is centred on the
named boundary run. The `grades` column below is what the script checked; `split` is the measured share
of the parcel's area in each grade polygon (EPSG:4549).

| 宗地号 | 土地用途 | measured m² | 证载面积 m² | grades | split | flags | what it shows |
|---|---|---|---|---|---|---|---|
{table}

The project README's command-line example assesses this file. Rebuild with
`python tools/build_samples.py` after the zone set changes; `tests/test_bundled_data.py` checks the result.
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--zoneset", type=Path, default=DEFAULT_ZONESET, help="built zone-set folder (default: %(default)s)")
    ap.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="output folder (default: %(default)s)")
    args = ap.parse_args(argv)
    gdf = build(args.zoneset, args.output)
    print(json.dumps({"parcels": len(gdf), "area_m2": round(float(gdf.area.sum()), 1)}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
