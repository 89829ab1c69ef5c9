#!/usr/bin/env python3
"""Build the bundled zone set ``wenzhou-urban-2024`` from the public reference facts.

Input: the folder of reference facts (default ``<repo>/../shared/data/wenzhou``), all WGS84
lon/lat, read as CGCS2000 geographic (EPSG:4490; the two differ by < 1 m there).
Output (default ``<repo>/resources/zonesets/wenzhou-urban-2024``):

- ``zones.gpkg`` in EPSG:4549 (CGCS2000 / 3-degree Gauss-Kruger CM 120E), layers
  ``grades``, ``boundary_runs``, ``districts``, ``reference_lines``, ``uncertain_areas``;
- ``zoneset.json``, the metadata (rates, legal basis, accuracy, choices, provenance);
- ``README.md``, generated, with the measured areas.

The build is deterministic: fixed feature order, coordinates on a 1 mm grid, a fixed
GeoPackage timestamp, JSON without build time. Re-running on the same input gives the same data.

    python tools/build_wenzhou_zoneset.py [--input DIR] [--output DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import shapely
from pyproj import Transformer
from shapely.geometry import LineString, MultiPolygon, Polygon

REPO = Path(__file__).resolve().parents[1]
DEFAULT_INPUT = REPO.parent / "shared" / "data" / "wenzhou"
DEFAULT_OUTPUT = REPO / "resources" / "zonesets" / "wenzhou-urban-2024"

SOURCE_CRS = "EPSG:4490"  # the WGS84 input, read as CGCS2000 geographic (< 1 m apart)
TARGET_CRS = "EPSG:4549"  # CGCS2000 / 3-degree Gauss-Kruger CM 120E
GRID_M = 0.001            # coordinates are rounded to 1 mm
SLIVER_M2 = 1.0           # polygon parts, holes and spikes smaller than this are removed
JUNCTION_TOL_M = 5.0      # a sketch junction vertex must survive clean-up within this distance
GPKG_DATE = "2024-03-15T00:00:00Z"  # fixed gpkg_contents.last_change (the notice's in-force date)

INPUT_FILES = ("zones_sketch.geojson", "feature_lines.geojson", "districts_wgs84.geojson",
               "huaguang_scenarios.geojson", "anchors.geojson",
               "README.md", "SOURCES.md", "IDENTIFICATIONS.md")

# --- How each run of the sketch is named: the feature used, the notice's words, the error. ---
# key: the sketch's edge label -> (feature actually used, notice words, accuracy_m, note)
# accuracy_m: SOURCES.md §5 and IDENTIFICATIONS.md (roads ≈30, canals ≈60, 勤奋河 ≈40,
# 瓯江 bank ≈100, the 香源路 stand-in for 华光路 500).
EDGE_NAMES: dict[str, tuple[str, str, int, str]] = {
    "瓯江 (south bank, approx.)": (
        "瓯江南岸（近似线：瓯江路向北平移70 m）", "瓯江", 100,
        "北至瓯江取南岸近似线（瓯江路防洪堤路 + 70 m）；江心屿不在一、二级范围内，按三级处理。"
        " / Bank approximated as 瓯江路 shifted 70 m north; 江心屿 stays grade 3."),
    "勤奋河": (
        "勤奋河", "勤奋河", 40,
        "南段约2 km即鹿城/瓯海区界（CGCS2000 高精度区界），北段取两条沿河路中线；追踪长3318 m（公开资料3320 m）。"),
    "汇昌河": (
        "汇昌河（会昌河）", "汇昌河", 60,
        "通知“汇昌河”按会昌河（会昌湖水道）处理：温瑞塘河至勤奋河、过境公路于民主桥跨越的唯一水道；名称为推断。"),
    "温瑞塘河": (
        "温瑞塘河", "温瑞塘河", 60,
        "简化水网中心线；南塘处两支绕岛，取东支。"),
    "温州大道 (惠民路以西, 温瑞塘河以东)": (
        "温州大道", "温州大道（惠民路以西，温瑞塘河以东）", 30, "道路中心线。"),
    "温州大道": ("温州大道", "温州大道", 30, "道路中心线。"),
    "惠民路南段 (温州大道以北)": (
        "惠民路南段", "惠民路南段（温州大道以北）", 30,
        "x≈120.690 的南北向道路，经复核确认（IDENTIFICATIONS.md）；若误认，约0.9 km²街块在一级与二级(1)之间移动。"),
    "划龙桥河 (世纪广场北侧)": (
        "划龙桥河", "划龙桥河（世纪广场北侧）", 60,
        "名称为推断；河道可能再偏北约50 m（一级与二级(1)之间≤0.07 km²）。"),
    "蒲州河 (新世纪花园西侧)": (
        "蒲州河", "蒲州河（新世纪花园西侧）", 60,
        "府东路与汤家桥路之间唯一连接学院东路与划龙桥河的南北向河道；名称为推断，新世纪花园未定位。"),
    "府东路": ("府东路", "府东路", 30, "x≈120.697 的南北向道路，经复核确认（蒲鞋市街道界、滨江商务区规划）。"),
    "黎明东路": ("黎明东路", "黎明东路", 30, "黎明立交桥至府东路。"),
    "车站大道 (黎明立交桥以北)": ("车站大道", "车站大道（黎明立交桥以北）", 30, "江滨路至黎明立交桥。"),
    "江滨西路": ("江滨西路", "江滨西路", 30, "老江滨路，瓯越大桥引桥至车站大道约470 m。"),
    "瓯越大桥 (江滨西路以北; approach road)": (
        "瓯越大桥南引桥", "瓯越大桥（江滨西路以北）", 30, "引桥中心线；与岸线的交点为推算。"),
    "汤家桥路": ("汤家桥路", "汤家桥路", 30, "江滨路经学院路、锦绣路环岛至温州大道。"),
    "江滨东路": ("江滨东路", "江滨东路", 30, "府东路以东的江滨路，过汤家桥路后折向东南。"),
    "香源路 (proxy for 华光路, which is unlocated)": (
        "香源路（代替未定位的华光路）", "华光路（向北延伸至瓯江）", 500,
        "公开资料中未找到华光路，以香源路代替；二级(1)面积可能相差 −0.82…+0.67 km²，见 uncertain_areas。"
        " / 华光路 unlocated; 香源路 stands in (±0.5 km)."),
    "过境公路": ("过境公路", "过境公路", 30, "原104国道绕城段。"),
    "东瓯大桥 (approach)": ("东瓯大桥引桥", "东瓯大桥", 30, "瓯江路西端环岛处桥头。"),
    "翠微大道": ("翠微大道", "翠微大道", 30, "过境公路立交至瓯江路环岛。"),
}
XUEYUAN_LABEL_PREFIX = "学院西路"  # the sketch labels both polygons' run "学院西路 [as written …]"
XUEYUAN_NOTE = ("通知一级文字写“学院西路”，二级(1)写“学院东路”；与府东路相交的是学院东路（学院西路在车站大道以西），"
                "按笔误处理，一级与二级(1)用同一条路。")

# Reference lines: the sketch-table confidence where feature_lines.geojson says "see anchors".
LINE_CONFIDENCE = {
    "瓯越大桥": "high", "江滨西路": "high", "车站大道": "high", "黎明东路": "medium-high",
    "府东路": "medium-high (confirmed, IDENTIFICATIONS.md)", "学院东路": "medium",
    "惠民路南段": "medium-high (confirmed, IDENTIFICATIONS.md)", "温州大道": "high",
    "汤家桥路": "high", "过境公路": "medium-high", "翠微大道": "high", "东瓯大桥": "high",
}
LINE_LABELS = {  # short map labels
    "瓯江 south bank": "瓯江南岸（近似）", "香源路": "香源路（代华光路）",
    "温瑞塘河": "温瑞塘河", "汇昌河": "汇昌河（会昌河）",
}

SCENARIO_NOTES = {
    "S1": ("−", "若华光路在汤家桥路一线：此块移出二级(1)，为三级。"),
    "S2": ("−", "若华光路在府东路北端：此块（最大情形）移出二级(1)，为三级。"),
    "S3": ("+", "若华光路为 x≈120.724–120.726 的道路：此块并入二级(1)。"),
}

NOTICE_GRADE3 = "一级、二级土地范围以外的区域"


# ----------------------------------------------------------------------------- geometry

_TO_TARGET = Transformer.from_crs(SOURCE_CRS, TARGET_CRS, always_xy=True)


def project_coords(coords) -> np.ndarray:
    """lon/lat (EPSG:4490) -> x/y metres (EPSG:4549) on a 1 mm grid."""
    arr = np.asarray(coords, dtype=float)[:, :2]
    x, y = _TO_TARGET.transform(arr[:, 0], arr[:, 1])
    return np.round(np.column_stack([x, y]) / GRID_M) * GRID_M


def project_geometry(geom):
    return shapely.set_precision(shapely.transform(geom, project_coords), GRID_M)


def remove_spikes(ring: np.ndarray) -> np.ndarray:
    """Drop needle vertices: a turn sharper than 10° enclosing less than 1 m²."""
    pts = list(map(tuple, ring[:-1]))
    changed = True
    while changed and len(pts) > 3:
        changed = False
        for i in range(len(pts)):
            a, b, c = np.array(pts[i - 1]), np.array(pts[i]), np.array(pts[(i + 1) % len(pts)])
            v1, v2 = a - b, c - b
            n1, n2 = np.hypot(*v1), np.hypot(*v2)
            if n1 < GRID_M or n2 < GRID_M:
                del pts[i]; changed = True; break
            angle = math.degrees(math.acos(max(-1.0, min(1.0, float(v1 @ v2) / (n1 * n2)))))
            if angle < 10.0 and abs(v1[0] * v2[1] - v1[1] * v2[0]) / 2 < SLIVER_M2:
                del pts[i]; changed = True; break
    return np.array(pts + [pts[0]])


def as_multi(geom) -> MultiPolygon:
    return geom if isinstance(geom, MultiPolygon) else MultiPolygon([geom])


def clean_polygonal(geom) -> Polygon | MultiPolygon:
    """Valid, CCW shells, no part / hole / spike under 1 m²; parts in a stable order."""
    geom = shapely.make_valid(geom)
    parts = [g for g in shapely.get_parts(geom) if isinstance(g, Polygon)]
    out: list[Polygon] = []
    for p in parts:
        if p.area < SLIVER_M2:
            continue
        shell = remove_spikes(np.asarray(p.exterior.coords))
        holes = [remove_spikes(np.asarray(r.coords)) for r in p.interiors
                 if Polygon(r).area >= SLIVER_M2]
        q = shapely.make_valid(Polygon(shell, holes))
        out.extend(g for g in shapely.get_parts(q) if isinstance(g, Polygon) and g.area >= SLIVER_M2)
    out.sort(key=lambda p: (-round(p.area, 3), p.bounds))
    out = [shapely.orient_polygons(p) for p in out]
    if not out:
        raise ValueError("clean-up removed the whole geometry")
    return out[0] if len(out) == 1 else MultiPolygon(out)


def rotate_to(ring: np.ndarray, start_xy) -> np.ndarray:
    """Rotate a closed ring so it starts at the vertex nearest start_xy."""
    pts = ring[:-1]
    k = int(np.argmin(np.hypot(*(pts - np.asarray(start_xy)).T)))
    pts = np.roll(pts, -k, axis=0)
    return np.vstack([pts, pts[:1]])


def match_vertex(ring: np.ndarray, xy) -> int:
    d = np.hypot(*(ring[:-1] - np.asarray(xy)).T)
    k = int(np.argmin(d))
    if d[k] > JUNCTION_TOL_M:
        raise ValueError(f"junction vertex {xy} moved {d[k]:.2f} m during clean-up")
    return k


def cut_run(ring: np.ndarray, i: int, j: int) -> LineString:
    """The run of a closed ring from vertex i to vertex j, following ring order."""
    n = len(ring) - 1
    if j <= i:
        j += n
    idx = [k % n for k in range(i, j + 1)]
    return LineString(ring[idx])


# ----------------------------------------------------------------------------- inputs

def load_json(path: Path) -> dict:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check_notice_words(input_dir: Path, sketch: dict) -> None:
    """The sketch's notice texts must be the notice's own words (when the notice is beside the data)."""
    notices = sorted((input_dir / "../../notice").glob("*.txt"))
    if not notices:
        return
    text = "".join(p.read_text(encoding="utf-8") for p in notices)
    for feat in sketch["features"]:
        words = feat["properties"]["notice_text"]
        if words not in text:
            raise ValueError(f"notice text of {feat['properties']['name']} not found in {notices[0].name}")


def edge_record(grade: int, part: int, seq: int, sketch_edge: dict) -> dict:
    label = sketch_edge["feature"]
    if label.startswith(XUEYUAN_LABEL_PREFIX):
        feature, words, acc, note = "学院东路", ("学院西路" if grade == 1 else "学院东路"), 30, XUEYUAN_NOTE
    elif label in EDGE_NAMES:
        feature, words, acc, note = EDGE_NAMES[label]
    else:
        raise KeyError(f"unknown edge label in the sketch: {label!r}; add it to EDGE_NAMES")
    return {"seq": seq, "feature": feature, "notice_words": words,
            "confidence": sketch_edge.get("confidence", ""), "accuracy_m": acc, "note": note}


# ----------------------------------------------------------------------------- build

def build_grades(sketch: dict, districts: gpd.GeoDataFrame):
    """Grade 1, grade-2 parts 1-3 (from the sketch) and grade 3 (the rest of the districts)."""
    feats = sorted(sketch["features"], key=lambda f: (f["properties"]["grade"], f["properties"].get("part") or 0))
    rows, runs = [], []
    placed: list = []  # earlier polygons win any overlap: grade 1 before part 1 before part 2 …
    for feat in feats:
        p = feat["properties"]
        grade, part = int(p["grade"]), int(p.get("part") or 1)  # grade 1 is a single part 1
        src_ring = project_coords(feat["geometry"]["coordinates"][0])
        poly = Polygon(src_ring)
        for earlier in placed:
            if poly.intersection(earlier).area > 0:
                poly = poly.difference(earlier)
        poly = clean_polygonal(poly)
        if not isinstance(poly, Polygon):
            raise ValueError(f"grade {grade} part {part} split into {len(poly.geoms)} parts")
        ring = rotate_to(np.asarray(poly.exterior.coords), src_ring[0])
        poly = Polygon(ring, [np.asarray(r.coords) for r in poly.interiors])
        placed.append(poly)

        edges = []
        for seq, e in enumerate(p["edges"], start=1):
            rec = edge_record(grade, part, seq, e)
            i0, i1 = (match_vertex(ring, src_ring[v]) for v in e["vertices"])
            i1 = len(ring) - 1 if (i1 == 0 and seq == len(p["edges"])) else i1
            rec["vertices"] = [i0, i1]
            edges.append(rec)
            runs.append({"grade": grade, "part": part, "seq": seq, "feature": rec["feature"],
                         "notice_words": rec["notice_words"], "confidence": rec["confidence"],
                         "accuracy_m": rec["accuracy_m"], "geometry": cut_run(ring, i0, i1)})
        rows.append({"grade": grade, "part": part, "name": p["name"],
                     "notice_words": p["notice_text"] + "。",
                     "edges": json.dumps(edges, ensure_ascii=False), "geometry": poly})
    grade12 = shapely.union_all([r["geometry"] for r in rows])
    scope = shapely.union_all(list(districts.geometry) + [grade12])
    grade3 = clean_polygonal(scope.difference(grade12))
    g3_edges = [
        {"seq": 1, "feature": "鹿城区、龙湾区、瓯海区、洞头区行政区界（DataV 概化数据）",
         "notice_words": "鹿城区、龙湾区、瓯海区、洞头区及温州海经区", "confidence": "generalised outline",
         "accuracy_m": 200, "note": "外缘：四区轮廓之并（海经区在原龙湾区内），概化误差 ±100–300 m。"},
        {"seq": 2, "feature": "一级、二级土地范围边界", "notice_words": NOTICE_GRADE3,
         "confidence": "as grades 1–2", "accuracy_m": 50, "note": "内缘：一级、二级多边形的外边界（见 boundary_runs）。"},
    ]
    rows.append({"grade": 3, "part": 0, "name": "三级土地范围", "notice_words": NOTICE_GRADE3 + "。",
                 "edges": json.dumps(g3_edges, ensure_ascii=False), "geometry": grade3})
    return rows, runs


def build_reference_lines(lines: dict) -> list[dict]:
    out = []
    for f in lines["features"]:
        p = f["properties"]
        name = p["feature"]
        base = name.split("(")[0].split(" ")[0]
        conf = p.get("confidence", "")
        if conf == "see anchors":
            conf = LINE_CONFIDENCE.get(base, conf)
        label = next((v for k, v in LINE_LABELS.items() if name.startswith(k)), base)
        geom = project_geometry(LineString(f["geometry"]["coordinates"]))
        out.append({"feature": name, "label": label, "confidence": conf,
                    "source": p.get("source", ""), "geometry": geom})
    return out


def build_uncertain(scen: dict) -> list[dict]:
    out = []
    for f in scen["features"]:
        p = f["properties"]
        geom = clean_polygonal(project_geometry(shapely.geometry.shape(f["geometry"])))
        key = p["scenario"][:2]
        sign, note = SCENARIO_NOTES.get(key, ("", ""))
        out.append({"scenario": p["scenario"], "area_km2": round(geom.area / 1e6, 3),
                    "note": f"{note} 华光路未定位，此角的等级不确定，以官方等级图为准。(part 1 change {sign}{geom.area / 1e6:.3f} km²)",
                    "geometry": geom})
    return out


def write_gpkg(path: Path, layers: dict[str, gpd.GeoDataFrame]) -> None:
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": GPKG_DATE})
    if path.exists():
        path.unlink()
    for name, gdf in layers.items():
        pyogrio.write_dataframe(gdf, path, layer=name, driver="GPKG")


def metadata(input_dir: Path) -> dict:
    files = {f"data/wenzhou/{name}": sha256(input_dir / name) for name in INPUT_FILES if (input_dir / name).exists()}
    for p in sorted((input_dir / "../../notice").glob("*.txt")):
        files[f"notice/{p.name}"] = sha256(p)
    return {
        "format": "wztax-zoneset/1",
        "id": "wenzhou-urban-2024",
        "name": "温州市区城镇土地使用税土地等级（温政办〔2024〕10号）",
        # the English interface's words for the name and documents (plain data: zones has no Qt)
        "name_en": "Wenzhou urban land grades for the urban land-use tax (Wenzhengban [2024] No. 10)",
        "version": "2024.1-sketch",
        "jurisdiction": "温州市区：鹿城区、龙湾区、瓯海区、洞头区、温州海经区",
        "crs": TARGET_CRS,
        "rates": {"1": "15", "2": "10", "3": "5"},
        "grade_names": {"1": "一级", "2": "二级", "3": "三级"},
        "grade_field": "grade",
        "legal_basis": [
            {"document": "温政办〔2024〕10号",
             "title": "温州市人民政府办公室关于市区城镇土地使用税征税范围和税额标准的通知",
             "applies_from": "2024-01-01", "applies_to": None, "in_force_from": "2024-03-15",
             "document_en": "Wenzhengban [2024] No. 10",
             "title_en": ("Notice of the General Office of the Wenzhou Municipal People's Government on the levy "
                          "scope and rates of the urban land-use tax in the urban area")},
            {"document": "温政办〔2016〕43号",
             "title": "温州市人民政府办公室关于印发温州市区调整城镇土地使用税政策促进土地集约节约利用工作实施方案的通知",
             "applies_from": "2015-01-01", "applies_to": "2023-12-31", "in_force_from": None,
             "note": "由温政办〔2022〕46号延续至2023-12-31；据政策解读，2024年通知未改变等级划分和税额标准 / "
                     "extended to 2023-12-31 by 温政办〔2022〕46号; the 2024 notice unchanged grading and rates",
             "document_en": "Wenzhengban [2016] No. 43",
             "title_en": ("Notice of the General Office of the Wenzhou Municipal People's Government issuing the plan "
                          "for adjusting the urban land-use tax policy in the Wenzhou urban area to promote intensive "
                          "and economical land use")},
        ],
        "official": False,
        "accuracy": {
            "typical_m": 50,
            "statement": ("本土地等级图不是土地管理部门的官方等级图，而是依据公开的道路、河道数据按通知文字勾绘的示意成果。"
                          "边界典型误差约50 m：道路边界 ±15–30 m，河道边界 ±30–60 m，瓯江南岸 ±100 m。"
                          "华光路未能定位（以香源路代替），二级(1)面积可能相差 −0.82…+0.67 km²；"
                          "江心屿按三级处理；区界为概化数据，误差 ±100–300 m。"
                          "宗地靠近等级线时应人工复核；土地管理部门的官方等级图一经载入即取代本图。"),
            "statement_en": ("Not the official grade map. Traced from public road and river data following the notice's "
                             "words; typical boundary error about 50 m: roads ±15–30 m, canals ±30–60 m, the south bank "
                             "of the Ou River (Oujiang) ±100 m. Huaguang Road is unlocated (Xiangyuan Road stands in), so "
                             "grade 2 part 1 may differ by −0.82…+0.67 km²; Jiangxin Island is treated as grade 3; "
                             "district outlines are generalised (±100–300 m). Review parcels near a grade line; the land "
                             "department's official grade map, once loaded, replaces this one."),
            "worst_cases": [
                {"where": "二级(1)东北角 华光路", "error": "±500 m; part 1 −0.82…+0.67 km²",
                 "why": "华光路 unlocated; 香源路 stands in (layer uncertain_areas)"},
                {"where": "惠民路南段 / 府东路", "error": "≈0.9 km² block between grade 1 and part 1 if misidentified",
                 "why": "both confirmed in IDENTIFICATIONS.md; residual risk low"},
                {"where": "划龙桥河（世纪广场北侧）", "error": "canal may lie ~50 m further north (≤0.07 km²)",
                 "why": "name and position inferred"},
                {"where": "蒲州河（新世纪花园西侧）", "error": "identification medium-low",
                 "why": "name inferred; 新世纪花园 not located"},
                {"where": "瓯江 (北至瓯江)", "error": "±100 m", "why": "bank approximated as 瓯江路 + 70 m"},
                {"where": "三级外缘（区界）", "error": "±100–300 m", "why": "DataV district outlines are generalised"},
            ],
        },
        "choices": [
            {"topic": "学院西路 vs 学院东路",
             "decision": "一级与二级(1)都用学院东路（府东路至蒲州河段） / both grade 1 and part 1 use 学院东路",
             "why": "与府东路相交的是学院东路，学院西路在车站大道以西；二级(1)文字写学院东路，一级的“学院西路”按笔误处理。"},
            {"topic": "北至瓯江",
             "decision": "取瓯江南岸近似线（瓯江路 + 70 m）；江面与江心屿属三级 / the approximate south bank; "
                         "the river and 江心屿 fall in grade 3",
             "why": "通知以路、河为界，一、二级止于河岸；江心屿在岸线以北、不被所列界线围合。若当局以区界（江心）为界，"
                    "江心屿的等级需以官方图为准。"},
            {"topic": "汇昌河 = 会昌河",
             "decision": "汇昌河按会昌河（会昌湖水道，温瑞塘河至勤奋河）处理 / 汇昌河 read as the 会昌河 channel",
             "why": "唯一连接温瑞塘河与勤奋河、且过境公路（民主桥）跨越的水道；鹿城有“汇昌河滨公园”。"},
            {"topic": "华光路",
             "decision": "以香源路代替，边界精度记为500 m，三种情形放入 uncertain_areas / 香源路 stands in, "
                         "flagged ±500 m, scenarios in uncertain_areas",
             "why": "公开资料未能定位华光路；应用应提示该角等级不确定，以官方图为准。"},
            {"topic": "grade 3 extent",
             "decision": "三级 =（鹿城、龙湾、瓯海、洞头四区轮廓之并 ∪ 一、二级）− 一、二级；含洞头各岛；海经区在原龙湾区内 / "
                         "grade 3 = (union of the four district outlines ∪ grades 1–2) − grades 1–2",
             "why": "通知：三级为一、二级以外的区域，适用范围为四区及海经区；区界为概化数据（±100–300 m），"
                    "区界外的宗地不在征税范围内，应提示而非按三级计。二级(3)越过勤奋河南段区界约0.3 km²，按通知文字保留。"},
        ],
        "sources": ("道路中心线：github wzkcyEdsTD/wz-city-cim（Routes_data_YJ/EJ，CGCS2000）、wzkcyEdsTD/lucheng-economy-map"
                    "（LCDL1023）；河道：wzkcyEdsTD/wz-tanghe-renovation（channel.json；鹿城区界 XZQH_luCheng，CGCS2000）；"
                    "区界：anzhou99/GeoJsons 330300_full.json（DataV，GCJ-02 转 WGS84）；校核：公开地址、新闻与维基百科。"
                    "详见 shared/data/wenzhou/SOURCES.md、IDENTIFICATIONS.md。"),
        "overlap_tolerance_m2": 1.0,
        "layers": {"grades": "grades", "boundary_runs": "boundary_runs", "districts": "districts",
                   "reference_lines": "reference_lines", "uncertain_areas": "uncertain_areas"},
        "geometry_file": "zones.gpkg",
        "built_by": "tools/build_wenzhou_zoneset.py",
        "built_from": {"dir": "shared", "files": files},
    }


SKETCH_AREAS = {"1": 20.5, "2.1": 7.5, "2.2": 2.7, "2.3": 2.7}


def readme(areas: dict[str, float], overlap_m2: float, meta: dict) -> str:
    rows = "\n".join(
        f"| {label} | {areas[key]:.3f} | {SKETCH_AREAS.get(key, '–')} |"
        for key, label in (("1", "一级"), ("2.1", "二级(1)"), ("2.2", "二级(2)"), ("2.3", "二级(3)"), ("3", "三级")))
    choices = "\n".join(f"- **{c['topic']}**: {c['decision']}. {c['why']}" for c in meta["choices"])
    worst = "\n".join(f"- {w['where']}: {w['error']} ({w['why']})" for w in meta["accuracy"]["worst_cases"])
    files = "\n".join(f"- `{k}` sha256 `{v}`" for k, v in meta["built_from"]["files"].items())
    return f"""# 温州市区城镇土地使用税土地等级 — zone set `wenzhou-urban-2024`

**Not an official map.** {meta['accuracy']['statement']}

{meta['accuracy']['statement_en']}

## What it is

The land grades of 温政办〔2024〕10号 (applies from 2024-01-01, in force from 2024-03-15; the grading and
rates are those of 温政办〔2016〕43号, unchanged) for 鹿城区、龙湾区、瓯海区、洞头区 and 温州海经区:
grade 1 (15 元/m²·年), grade 2 in three parts (10 元), grade 3 elsewhere in the districts (5 元).
The notice bounds grades 1 and 2 in words only; this set is our own build from public geographic facts.

Files: `zones.gpkg` (EPSG:4549, CGCS2000 / 3-degree Gauss-Kruger CM 120E) and `zoneset.json` (metadata: rates,
legal basis, accuracy, choices, provenance). Layers of `zones.gpkg`:

| layer | content |
|---|---|
| `grades` | one feature per grade polygon: `grade`, `part` (1 for grade 1, 1–3 for grade 2, 0 for grade 3), `name`, `notice_words`, `edges` (JSON, ring order: `seq`, `feature` used, `notice_words`, `confidence`, `accuracy_m`, `note`, and `vertices` = first/last vertex index in the exterior ring of the feature's single polygon) |
| `boundary_runs` | one line per edge run of grades 1 and 2, with the same attributes; a run shared by two polygons appears once per polygon |
| `districts` | the four district outlines (`name`, `adcode`), generalised ±100–300 m |
| `reference_lines` | centre lines of the named boundary features (`feature`, `label`, `confidence`, `source`) for the map |
| `uncertain_areas` | the three 华光路 scenarios (`scenario`, `area_km2`, `note`) |

## Measured areas (EPSG:4549 plane area)

| grade | built, km² | sketch, km² |
|---|---|---|
{rows}

Total pairwise overlap between grade polygons after clean-up: {overlap_m2:.6f} m² (tolerance 1 m²).
Grade 3 includes the 洞头 islands and the water inside the district outlines.

## How it was built

1. Read the reference sketch of grade 1 and grade-2 parts 1–3 (WGS84 lon/lat, taken as CGCS2000 EPSG:4490, < 1 m
   apart), project every vertex with pyproj (`always_xy`) to EPSG:4549 and round to 1 mm. Shared edges share
   vertices, so they stay identical.
2. Polygons are placed in the order grade 1, part 1, part 2, part 3; any overlap with an earlier polygon is cut
   from the later one (the sketch's 勤奋河/过境公路 junction left a 0.6 m² triangle between grade 1 and part 3).
   Parts, holes and needle spikes under 1 m² are removed; shells are counter-clockwise.
3. Each polygon's ring is rotated to start at the sketch's first vertex; the sketch's edge vertex indices are
   re-matched (within 5 m) and the edge runs are cut from the final ring (`boundary_runs`).
4. Grade 3 = (union of the four district outlines ∪ grades 1–2) − grades 1–2, cleaned the same way.
5. The named feature lines, the district outlines and the 华光路 scenarios are projected as reference layers.
6. `zones.gpkg` is written with a fixed timestamp, `zoneset.json` and this README without build time.

## Choices

{choices}

## Accuracy

Typical error about {meta['accuracy']['typical_m']} m. Each run in `boundary_runs` carries `accuracy_m`: roads 30,
canals 60, 勤奋河 40, 瓯江 bank 100, the 香源路 stand-in for 华光路 500. Worst cases:

{worst}

A parcel near a grade line should be flagged for review. The land department's official grade map, once loaded,
replaces all of this.

## Rebuild

```
python tools/build_wenzhou_zoneset.py            # reads ../shared/data/wenzhou, writes here
python tools/build_wenzhou_zoneset.py --input /path/to/shared/data/wenzhou --output /tmp/zs
python -m pytest tests/test_bundled_data.py
```

Built from (paths relative to `shared/`):

{files}
"""


def build(input_dir: Path, output_dir: Path) -> dict:
    sketch = load_json(input_dir / "zones_sketch.geojson")
    check_notice_words(input_dir, sketch)
    districts_src = load_json(input_dir / "districts_wgs84.geojson")
    districts = gpd.GeoDataFrame(
        [{"name": f["properties"]["name"], "adcode": int(f["properties"]["adcode"]),
          "geometry": as_multi(clean_polygonal(project_geometry(shapely.geometry.shape(f["geometry"]))))}
         for f in sorted(districts_src["features"], key=lambda f: int(f["properties"]["adcode"]))],
        crs=TARGET_CRS)
    grade_rows, runs = build_grades(sketch, districts)
    grades = gpd.GeoDataFrame(grade_rows, crs=TARGET_CRS)
    grades["geometry"] = [as_multi(g) if r["grade"] == 3 else g for g, r in zip(grades.geometry, grade_rows)]
    runs_gdf = gpd.GeoDataFrame(runs, crs=TARGET_CRS)
    lines = gpd.GeoDataFrame(build_reference_lines(load_json(input_dir / "feature_lines.geojson")), crs=TARGET_CRS)
    uncertain = gpd.GeoDataFrame(build_uncertain(load_json(input_dir / "huaguang_scenarios.geojson")), crs=TARGET_CRS)

    geoms = list(grades.geometry)
    if not all(shapely.is_valid(geoms)):
        raise ValueError("invalid grade geometry after clean-up")
    overlap = sum(geoms[i].intersection(geoms[j]).area
                  for i in range(len(geoms)) for j in range(i + 1, len(geoms)))
    if overlap >= 1.0:
        raise ValueError(f"grade polygons overlap by {overlap:.3f} m²")
    areas = {}
    for r, g in zip(grade_rows, geoms):
        key = "1" if r["grade"] == 1 else "3" if r["grade"] == 3 else f"2.{r['part']}"
        areas[key] = round(g.area / 1e6, 3)

    output_dir.mkdir(parents=True, exist_ok=True)
    write_gpkg(output_dir / "zones.gpkg", {"grades": grades, "boundary_runs": runs_gdf, "districts": districts,
                                           "reference_lines": lines, "uncertain_areas": uncertain})
    meta = metadata(input_dir)
    (output_dir / "zoneset.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (output_dir / "README.md").write_text(readme(areas, round(overlap, 6), meta), encoding="utf-8")
    return {"areas_km2": areas, "overlap_m2": overlap, "runs": len(runs_gdf)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--input", type=Path, default=DEFAULT_INPUT, help="reference facts folder (default: %(default)s)")
    ap.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="zone-set folder (default: %(default)s)")
    args = ap.parse_args(argv)
    if not (args.input / "zones_sketch.geojson").exists():
        ap.error(f"no zones_sketch.geojson in {args.input}")
    result = build(args.input.resolve(), args.output)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
