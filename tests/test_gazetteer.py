"""The bundled gazetteer and the search behind the search box (no Qt): ranking, aliases,
full-width input, positions checked against the grade map's own lines and districts, and
a rebuild from the facts in the repository reproducing the bundled file byte for byte."""

import subprocess
import sys
from pathlib import Path

import pyogrio
import pytest
import shapely

from zones.gazetteer import load_gazetteer, normalise, search_parcels
from zones.resources import resource

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


@pytest.fixture(scope="module")
def zoneset_layers():
    path = resource("zonesets", "wenzhou-urban-2024", "zones.gpkg")
    return {name: pyogrio.read_dataframe(path, layer=name) for name in ("reference_lines", "districts")}


def names(hits):
    return [h.label for h in hits]


def test_normalise_ignores_width_case_spaces_and_punctuation():
    assert normalise(" 车站 大道（北段）") == "车站大道北段"
    assert normalise("ＳＩ－惠民站") == normalise("si惠民站")


def test_exact_name_first_then_names_starting_with_it(gaz):
    hits = gaz.search("温州大道")
    assert names(hits)[0] == "温州大道"
    assert hits[0].place.kind == "road"
    assert set(names(hits)[1:4]) == {"温州大道与惠民路路口", "温州大道与汤家桥路路口", "温州大道与过境公路路口"}
    assert "车站大道与温州大道路口" in names(hits)   # contains the name: after the prefix matches


def test_aliases_find_the_notices_and_the_common_names(gaz):
    assert names(gaz.search("会昌河"))[:1] == ["汇昌河（会昌河）"]
    assert names(gaz.search("市政府"))[:1] == ["温州市人民政府"]
    assert names(gaz.search("鹿城"))[:1] == ["鹿城区"]
    huaguang = gaz.search("华光路")[0].place
    assert huaguang.name == "香源路（代华光路）" and huaguang.accuracy_m == 500 and "未找到" in huaguang.note


def test_an_address_finds_the_building_and_the_road(gaz):
    assert names(gaz.search("车站大道577号")) == ["财富中心", "车站大道"]


def test_nothing_for_an_empty_or_unknown_query(gaz):
    assert gaz.search("   ") == [] and gaz.search("不存在的地方") == []


def test_every_entry_has_accuracy_and_a_known_source(gaz):
    assert len(gaz.places) >= 50
    for p in gaz.places:
        assert p.accuracy_m > 0 and p.confidence
        assert gaz.source_text(p, "zh") != p.source and gaz.source_text(p, "en") != p.source


def test_junctions_lie_on_both_of_their_roads(gaz, zoneset_layers):
    lines = zoneset_layers["reference_lines"]
    by_label = {label: shapely.union_all(list(lines[lines["label"] == label].geometry)) for label in set(lines["label"])}
    # the lines are the stretches the grade lines follow, not whole roads: a junction lies on
    # at least one of its two roads, and on both where both stretches reach it
    checked = 0
    for p in gaz.places:
        if p.kind != "junction" or "与" not in p.name:
            continue
        roads = [r for r in p.name.removesuffix("路口").split("与") if r in by_label]
        distances = [by_label[r].distance(shapely.Point(p.x, p.y)) for r in roads]
        assert min(distances) < 40, (p.name, distances)
        checked += sum(d < 40 for d in distances)
    assert checked >= 12


def test_points_fall_in_the_districts_they_belong_to(gaz, zoneset_layers):
    d = zoneset_layers["districts"]
    lucheng = d[d["name"] == "鹿城区"].geometry.iloc[0]
    for name in ("温州市人民政府", "黎明立交桥", "财富中心", "泰安大厦"):
        p = next(p for p in gaz.places if p.name == name)
        assert lucheng.contains(shapely.Point(p.x, p.y)), name
    # the station forecourt junction: 车站大道's south end
    station = next(p for p in gaz.places if p.name == "温州站")
    assert abs(station.x - 566_989.2) < 1 and abs(station.y - 3_097_016.35) < 1


def test_a_line_zooms_to_its_whole_length(gaz, zoneset_layers):
    road = gaz.search("车站大道")[0]
    lines = zoneset_layers["reference_lines"]
    geom = lines[lines["label"] == "车站大道"].geometry.iloc[0]
    assert road.bounds == pytest.approx(geom.bounds, abs=0.01)


def test_rebuild_from_the_repository_reproduces_the_bundled_file(tmp_path):
    out = tmp_path / "g.json"
    subprocess.run([sys.executable, str(REPO / "tools" / "build_gazetteer.py"), "--output", str(out)],
                   check=True, capture_output=True)
    assert out.read_bytes() == resource("gazetteer", "wenzhou_places.json").read_bytes()


RECORDS = [
    ("u1", {"parcel_no": "330302001001GB00001", "taxpayer_name": "温州市鹿城区某某贸易有限公司",
            "address": "鹿城区车站大道577号", "unit_no": "330302001001GB00001F00010001"}, (0, 0, 10, 10)),
    ("u2", {"parcel_no": "330302001001GB00012", "taxpayer_name": "张三", "address": "瓯海区温州大道1号"}, (20, 0, 30, 10)),
    ("u3", {"parcel_no": "", "taxpayer_name": "温州大道实业有限公司", "address": ""}, None),
]


def test_parcels_by_number_taxpayer_address_and_unit():
    assert [h.parcel_uid for h in search_parcels(RECORDS, "330302001001GB00012")] == ["u2"]
    hits = search_parcels(RECORDS, "330302001001GB000")      # a prefix of both numbers
    assert [h.parcel_uid for h in hits] == ["u1", "u2"] and hits[0].field == "parcel_no"
    hits = search_parcels(RECORDS, "张 三")
    assert [(h.parcel_uid, h.field, h.label) for h in hits] == [("u2", "taxpayer_name", "330302001001GB00012")]
    hits = search_parcels(RECORDS, "温州大道")
    # u3's taxpayer starts with the words (rank 1) before u2's address contains them (rank 2)
    assert [(h.parcel_uid, h.field) for h in hits] == [("u3", "taxpayer_name"), ("u2", "address")]
    assert hits[0].label == "温州大道实业有限公司" and hits[0].bounds is None
    hits = search_parcels(RECORDS, "F00010001")
    assert [(h.parcel_uid, h.field, h.bounds) for h in hits] == [("u1", "unit_no", (0, 0, 10, 10))]
    assert search_parcels(RECORDS, "") == []
