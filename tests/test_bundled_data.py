"""Checks of the bundled data: the zone set wenzhou-urban-2024 and the sample parcels.

They read the files directly (pyogrio / geopandas), independent of the zones package, and rebuild
both into a temporary folder when the reference facts (shared/data/wenzhou) are available.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import Point

REPO = Path(__file__).resolve().parents[1]
ZONESET = REPO / "resources" / "zonesets" / "wenzhou-urban-2024"
GPKG = ZONESET / "zones.gpkg"
SAMPLES = REPO / "resources" / "samples"
LAYERS = ("grades", "boundary_runs", "districts", "reference_lines", "uncertain_areas")
SKETCH_KM2 = {(1, 1): 20.5, (2, 1): 7.5, (2, 2): 2.7, (2, 3): 2.7}
SAMPLE_COLUMNS = ["宗地号", "纳税人名称", "统一社会信用代码", "不动产单元号", "土地坐落", "土地用途", "证载面积",
                  "减免性质代码", "小规模纳税人", "取得方式", "土地取得时间", "起始月份", "终止月份"]

# The features the notice names for each polygon (matched in an edge's feature or notice_words).
NOTICE_FEATURES = {
    (1, 1): ["瓯江", "勤奋河", "汇昌河", "温瑞塘河", "温州大道", "惠民路", "划龙桥河", "蒲州河", "学院西路",
             "府东路", "黎明东路", "车站大道", "江滨西路", "瓯越大桥"],
    (2, 1): ["华光路", "江滨东路", "汤家桥路", "温州大道", "惠民路", "划龙桥河", "蒲州河", "学院东路", "府东路",
             "黎明东路", "车站大道", "江滨西路", "瓯越大桥", "瓯江"],
    (2, 2): ["温瑞塘河", "温州大道", "过境公路", "汇昌河"],
    (2, 3): ["勤奋河", "过境公路", "翠微大道", "东瓯大桥", "瓯江"],
}

_TO_PLANE = Transformer.from_crs("EPSG:4490", "EPSG:4549", always_xy=True)


def plane_point(lon: float, lat: float) -> Point:
    return Point(_TO_PLANE.transform(lon, lat))


@pytest.fixture(scope="module")
def meta() -> dict:
    return json.loads((ZONESET / "zoneset.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def layers() -> dict[str, gpd.GeoDataFrame]:
    return {name: gpd.read_file(GPKG, layer=name) for name in LAYERS}


@pytest.fixture(scope="module")
def grades(layers) -> gpd.GeoDataFrame:
    return layers["grades"]


@pytest.fixture(scope="module")
def parcels() -> gpd.GeoDataFrame:
    return gpd.read_file(SAMPLES / "wenzhou_sample.gpkg", layer="parcels")


def polygon_of(grades, grade, part):
    rows = grades[(grades.grade == grade) & (grades.part == part)]
    assert len(rows) == 1, (grade, part)
    return rows.geometry.iloc[0]


def single_ring(geom):
    parts = list(getattr(geom, "geoms", [geom]))
    assert len(parts) == 1
    return parts[0].exterior


# ----------------------------------------------------------------------------- zone set

def test_layers_present_and_in_cgcs2000(meta, layers):
    listed = {name for name, _ in pyogrio.list_layers(GPKG)}
    assert set(LAYERS) <= listed
    assert meta["layers"] == {name: name for name in LAYERS}
    assert (ZONESET / meta["geometry_file"]).exists()
    assert meta["crs"] == "EPSG:4549"
    for name, gdf in layers.items():
        assert len(gdf) > 0, name
        assert gdf.crs.to_epsg() == 4549, name


def test_metadata(meta):
    assert meta["format"] == "wztax-zoneset/1"
    assert meta["id"] == "wenzhou-urban-2024"
    assert meta["official"] is False
    assert meta["rates"] == {"1": "15", "2": "10", "3": "5"}
    assert meta["grade_names"] == {"1": "一级", "2": "二级", "3": "三级"}
    assert meta["grade_field"] == "grade"
    assert meta["overlap_tolerance_m2"] == 1.0
    docs = [b["document"] for b in meta["legal_basis"]]
    assert docs == ["温政办〔2024〕10号", "温政办〔2016〕43号"]
    assert meta["legal_basis"][0]["applies_from"] == "2024-01-01"
    assert meta["legal_basis"][0]["in_force_from"] == "2024-03-15"
    assert meta["legal_basis"][1]["applies_to"] == "2023-12-31"
    topics = [c["topic"] for c in meta["choices"]]
    for t in ("学院西路 vs 学院东路", "北至瓯江", "汇昌河 = 会昌河", "华光路", "grade 3 extent"):
        assert t in topics
    assert meta["accuracy"]["typical_m"] == 50
    assert "华光路" in meta["accuracy"]["statement"] and "江心屿" in meta["accuracy"]["statement"]
    assert meta["built_by"] == "tools/build_wenzhou_zoneset.py"
    assert "data/wenzhou/zones_sketch.geojson" in meta["built_from"]["files"]


def test_grades_and_rates(meta, grades):
    assert set(grades.grade) == {1, 2, 3}
    assert all(str(g) in meta["rates"] for g in grades.grade)
    assert sorted(zip(grades.grade, grades.part)) == [(1, 1), (2, 1), (2, 2), (2, 3), (3, 0)]
    assert grades.name.is_unique


def test_all_geometries_valid(layers):
    for name, gdf in layers.items():
        assert shapely.is_valid(gdf.geometry.values).all(), name
        assert not gdf.geometry.is_empty.any(), name


def test_pairwise_overlap_below_tolerance(meta, grades):
    geoms = list(grades.geometry)
    total = sum(geoms[i].intersection(geoms[j]).area
                for i in range(len(geoms)) for j in range(i + 1, len(geoms)))
    assert total < meta["overlap_tolerance_m2"]


def test_no_gap_and_grades_cover_the_districts(grades, layers):
    grade12 = shapely.union_all(list(grades[grades.grade < 3].geometry))
    assert grade12.geom_type == "Polygon" and len(grade12.interiors) == 0  # grade 1 and the parts close up
    scope = shapely.union_all(list(layers["districts"].geometry))
    assert grade12.difference(scope).area < 1.0          # grades 1–2 inside the levy scope
    assert shapely.union_all(list(grades.geometry)).symmetric_difference(scope).area < 1.0
    # no sliver parts or holes under 1 m² anywhere
    for geom in grades.geometry:
        for part in shapely.get_parts(geom):
            assert part.area >= 1.0
            assert all(shapely.Polygon(r).area >= 1.0 for r in part.interiors)


@pytest.mark.parametrize("key", sorted(SKETCH_KM2))
def test_areas_close_to_the_sketch(grades, key):
    area_km2 = polygon_of(grades, *key).area / 1e6
    assert area_km2 == pytest.approx(SKETCH_KM2[key], rel=0.05)


@pytest.mark.parametrize("key", sorted(NOTICE_FEATURES))
def test_edges_name_the_notices_features(grades, key):
    row = grades[(grades.grade == key[0]) & (grades.part == key[1])].iloc[0]
    edges = json.loads(row.edges)
    assert [e["seq"] for e in edges] == list(range(1, len(edges) + 1))
    for e in edges:
        assert {"seq", "feature", "notice_words", "confidence", "accuracy_m", "note"} <= set(e)
        assert e["accuracy_m"] > 0
    text = " ".join(e["feature"] + " " + e["notice_words"] for e in edges)
    missing = [f for f in NOTICE_FEATURES[key] if f not in text]
    assert not missing
    for f in NOTICE_FEATURES[key]:  # the notice's words for the polygon name it too
        assert f in row.notice_words


def test_choices_carried_into_the_edges(grades):
    g1 = json.loads(polygon_row(grades, 1, 1).edges)
    xueyuan = [e for e in g1 if e["notice_words"] == "学院西路"]
    assert len(xueyuan) == 1 and xueyuan[0]["feature"] == "学院东路"
    p1 = json.loads(polygon_row(grades, 2, 1).edges)
    huaguang = [e for e in p1 if e["notice_words"].startswith("华光路")]
    assert len(huaguang) == 1 and "香源路" in huaguang[0]["feature"] and huaguang[0]["accuracy_m"] == 500


def polygon_row(grades, grade, part):
    return grades[(grades.grade == grade) & (grades.part == part)].iloc[0]


def test_boundary_runs_cover_each_ring(grades, layers):
    runs = layers["boundary_runs"]
    assert {"grade", "part", "seq", "feature", "notice_words", "confidence", "accuracy_m"} <= set(runs.columns)
    for key in SKETCH_KM2:
        ring = single_ring(polygon_of(grades, *key))
        mine = runs[(runs.grade == key[0]) & (runs.part == key[1])].sort_values("seq")
        edges = json.loads(polygon_row(grades, *key).edges)
        assert list(mine.seq) == [e["seq"] for e in edges]
        assert list(mine.feature) == [e["feature"] for e in edges]
        assert mine.length.sum() == pytest.approx(ring.length, abs=0.01)
        band = ring.buffer(0.01)
        assert all(band.contains(g) for g in mine.geometry)
        for a, b in zip(mine.geometry.iloc[:-1], mine.geometry.iloc[1:]):  # consecutive runs join
            assert Point(a.coords[-1]).distance(Point(b.coords[0])) < 0.01


KNOWN_POINTS = [
    ("温州市人民政府", (120.695, 27.997), (1, 1)),
    ("五马街一带", (120.655, 28.018), (1, 1)),
    ("会昌河以南 (二级(2))", (120.660, 27.990), (2, 2)),
    ("翠微大道以东 (二级(3))", (120.628, 28.018), (2, 3)),
    ("滨江商务区 (二级(1))", (120.705, 28.016), (2, 1)),
    ("江心屿", (120.637, 28.031), (3, 0)),
    ("洞头", (121.157, 27.836), (3, 0)),
    ("东海", (121.5, 27.5), None),
]


@pytest.mark.parametrize("name,lonlat,expected", KNOWN_POINTS, ids=[p[0] for p in KNOWN_POINTS])
def test_known_points(grades, name, lonlat, expected):
    pt = plane_point(*lonlat)
    hits = [(r.grade, r.part) for r in grades.itertuples() if r.geometry.contains(pt)]
    assert hits == ([expected] if expected else [])


def test_uncertain_areas_and_reference_lines(layers):
    unc = layers["uncertain_areas"]
    assert len(unc) == 3 and {"scenario", "area_km2", "note"} <= set(unc.columns)
    assert sorted(unc.area_km2) == pytest.approx([0.28, 0.67, 0.82], abs=0.02)
    assert (unc.geometry.area / 1e6).round(3).tolist() == unc.area_km2.tolist()
    names = " ".join(layers["reference_lines"].feature)
    for f in ("勤奋河", "汇昌河", "温瑞塘河", "温州大道", "惠民路", "划龙桥河", "蒲州河", "府东路", "黎明东路",
              "车站大道", "江滨西路", "瓯越大桥", "汤家桥路", "香源路", "过境公路", "翠微大道", "东瓯大桥", "瓯江"):
        assert f in names
    assert list(layers["districts"].adcode) == [330302, 330303, 330304, 330305]


# ----------------------------------------------------------------------------- sample parcels

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def uscc_ok(code: str) -> bool:
    if len(code) != 18 or any(c not in USCC_ALPHABET for c in code):
        return False
    total = sum(USCC_ALPHABET.index(c) * pow(3, i, 31) for i, c in enumerate(code[:17]))
    return USCC_ALPHABET[(31 - total % 31) % 31] == code[17]


def test_uscc_checker_accepts_the_standard_example():
    assert uscc_ok("91350100M000100Y43")
    assert not uscc_ok("91350100M000100Y44")


def test_sample_columns_and_identifiers(parcels):
    assert list(parcels.columns) == SAMPLE_COLUMNS + ["geometry"]
    assert parcels.crs.to_epsg() == 4549
    assert len(parcels) == 12 and parcels["宗地号"].is_unique
    for row in parcels.itertuples(index=False):
        code, credit, unit = row[0], row[2], row[3]
        assert re.fullmatch(r"33030[2-5]\d{6}GB\d{5}", code), code
        assert uscc_ok(credit), credit
        assert len(unit) == 28 and unit.startswith(code) and re.fullmatch(r"F\d{8}", unit[19:]), unit
    assert set(parcels["土地用途"]) <= {"工业", "商业", "居住", "综合", "其他"}


def test_sample_values(parcels):
    area = parcels.geometry.area
    assert ((area >= 800) & (area <= 20000)).all()
    ratio = parcels["证载面积"] / area
    off = ratio[(ratio - 1).abs() > 0.005]
    assert len(off) == 1 and off.iloc[0] == pytest.approx(1.03, abs=0.005)
    assert parcels["减免性质代码"].tolist().count("0010129901") == 1
    assert (parcels["减免性质代码"].isin(["", "0010129901"])).all()
    assert parcels["小规模纳税人"].dtype == bool and parcels["小规模纳税人"].sum() >= 1
    # acquired (出让) in July 2024: liable from the month after, 8 months → 5 months of 2024
    assert sorted(m for m in parcels["起始月份"] if m) == ["2024-08"]
    acquired = parcels[parcels["土地取得时间"] != ""]
    assert acquired[["取得方式", "土地取得时间", "起始月份"]].values.tolist() == [["出让", "2024-07-15", "2024-08"]]
    assert sorted(m for m in parcels["终止月份"] if m) == ["2024-09"]
    assert sum(len(list(p.interiors)) > 0 for p in parcels.geometry if p.geom_type == "Polygon") >= 1
    assert (parcels.geom_type == "MultiPolygon").sum() == 1
    assert shapely.is_valid(parcels.geometry.values).all()


def test_sample_geojson_matches_gpkg(parcels):
    gj = gpd.read_file(SAMPLES / "wenzhou_sample.geojson")
    assert gj.crs.to_epsg() == 4326
    assert list(gj["宗地号"]) == list(parcels["宗地号"])
    diff = (gj.to_crs(4549).geometry.area.values - parcels.geometry.area.values)
    assert abs(diff).max() < 1.0


def readme_expectations() -> dict[str, set[str]]:
    rows = re.findall(r"^\| (33030\d{7}GB\d{5}) \|[^|]*\|[^|]*\|[^|]*\| ([0-9()+]+) \|",
                      (SAMPLES / "README.md").read_text(encoding="utf-8"), flags=re.M)
    return {code: set(grades.split("+")) for code, grades in rows}


def test_sample_parcels_fall_where_the_readme_says(parcels, grades):
    expected = readme_expectations()
    assert set(expected) == set(parcels["宗地号"])
    crossing = 0
    for code, geom in zip(parcels["宗地号"], parcels.geometry):
        got = set()
        for r in grades.itertuples():
            if geom.intersection(r.geometry).area > 1.0:
                got.add("1" if r.grade == 1 else "3" if r.grade == 3 else f"2({r.part})")
        assert got == expected[code], code
        crossing += len(got) > 1
    assert crossing == 3
    kinds = sorted("+".join(sorted(v)) for v in expected.values() if len(v) > 1)
    assert kinds == ["1+2(1)", "1+2(1)", "2(1)+3"]


# ----------------------------------------------------------------------------- rebuild

def shared_facts() -> Path | None:
    for cand in (Path("/work/shared/data/wenzhou"), REPO.parent / "shared" / "data" / "wenzhou"):
        if (cand / "zones_sketch.geojson").exists():
            return cand
    return None


def same_layer(a: gpd.GeoDataFrame, b: gpd.GeoDataFrame) -> None:
    assert list(a.columns) == list(b.columns)
    assert len(a) == len(b)
    assert a.drop(columns="geometry").equals(b.drop(columns="geometry"))
    for ga, gb in zip(a.geometry, b.geometry):
        assert ga.equals_exact(gb, tolerance=0.001)


@pytest.mark.slow
@pytest.mark.skipif(shared_facts() is None, reason="shared/data/wenzhou not available")
def test_rebuild_reproduces_the_bundled_data(tmp_path):
    zs, samples = tmp_path / "zs", tmp_path / "samples"
    subprocess.run([sys.executable, str(REPO / "tools" / "build_wenzhou_zoneset.py"),
                    "--input", str(shared_facts()), "--output", str(zs)], check=True, capture_output=True)
    for name in LAYERS:
        same_layer(gpd.read_file(GPKG, layer=name), gpd.read_file(zs / "zones.gpkg", layer=name))
    assert json.loads((zs / "zoneset.json").read_text(encoding="utf-8")) == \
        json.loads((ZONESET / "zoneset.json").read_text(encoding="utf-8"))

    subprocess.run([sys.executable, str(REPO / "tools" / "build_samples.py"),
                    "--zoneset", str(zs), "--output", str(samples)], check=True, capture_output=True)
    same_layer(gpd.read_file(SAMPLES / "wenzhou_sample.gpkg", layer="parcels"),
               gpd.read_file(samples / "wenzhou_sample.gpkg", layer="parcels"))
    assert (samples / "README.md").read_text(encoding="utf-8") == (SAMPLES / "README.md").read_text(encoding="utf-8")
