"""The Qt-free project model: reversible mutators, review cleared by a change, history,
results current only for the inputs they came from, and the project file round trip."""

import os
from decimal import Decimal

import geopandas as gpd
import pytest
import shapely

from zones.periods import TaxPeriod
from zones.project import (Project, assess_context, assess_parcels, attrs_from_record, new_parcel, terms_of)
from zones.project_file import load_project, save_project
from zones.recovery import Recovery
from zones.reliefs import load_catalogue
from zones.resources import resource
from zones.zoneset import ZoneSet


@pytest.fixture(scope="module")
def zs():
    grades = gpd.GeoDataFrame({"grade": [1, 2, 3]}, geometry=[shapely.box(0, 0, 100, 100), shapely.box(100, 0, 200, 100),
                                                              shapely.box(200, 0, 300, 100)], crs="EPSG:4549")
    return ZoneSet("syn", "Synthetic", "1", "EPSG:4549", {1: Decimal(15), 2: Decimal(10), 3: Decimal(5)}, grades)


def project_with(zs, *geoms):
    pr = Project(period=TaxPeriod(2024))
    for g in geoms:
        pr.insert(len(pr), new_parcel(g, "甲", {"parcel_no": f"P{len(pr) + 1}"}))
    pr.context = assess_context(zs, pr.period)
    stored, _ = assess_parcels(pr.parcels, zs, pr.period, catalogue=load_catalogue())
    pr.set_results(stored, compare=False)
    return pr


def test_split_parcel_amount(zs):
    pr = project_with(zs, shapely.box(90, 0, 110, 10))          # 100 m² in grade 1, 100 m² in grade 2
    r = pr.current_result(pr.parcels[0].uid).result
    assert [(x.grade, x.area_m2, x.gross) for x in r.rows] == [(1, Decimal("100.00"), Decimal("1500.00")),
                                                               (2, Decimal("100.00"), Decimal("1000.00"))]
    assert r.due == Decimal("2500.00")


def test_edit_clears_review_and_put_restores_exactly(zs):
    pr = project_with(zs, shapely.box(10, 10, 20, 20))
    uid = pr.parcels[0].uid
    before_review = pr.mark_reviewed(0, "复核员乙").before
    assert pr.is_reviewed(uid)
    reviewed = pr.parcels[0]
    op = pr.edit(0, who="甲", attrs={"taxpayer_name": "温州示例公司"})
    old = op.before
    assert old is reviewed and op.changed == (uid,)
    assert pr.parcels[0].review is None and pr.current_result(uid) is None
    assert [h.what for h in pr.history(uid)][-2:] == ["纳税人名称: — → 温州示例公司", "复核标记（复核员乙）因修改而清除"]
    pr.put(0, old)                                              # undo
    assert pr.parcels[0] is reviewed and pr.is_reviewed(uid)    # the old result is current again
    pr.put(0, before_review)
    assert not pr.is_reviewed(uid)


def test_insert_remove_inverse(zs):
    pr = project_with(zs, shapely.box(10, 10, 20, 20), shapely.box(30, 10, 40, 20))
    snapshot = list(pr.parcels)
    removed = pr.remove(0).before
    pr.insert(0, removed)
    assert pr.parcels == snapshot
    assert [e.kind for e in pr.history(removed.uid)] == ["entry", "delete", "restore"]   # the log only grows


def test_zone_change_difference(zs):
    pr = project_with(zs, shapely.box(10, 10, 20, 20))
    uid = pr.parcels[0].uid
    dearer = ZoneSet("syn", "Synthetic", "2", "EPSG:4549", {1: Decimal(20), 2: Decimal(10), 3: Decimal(5)}, zs.grades)
    pr.context = assess_context(dearer, pr.period)
    assert pr.current_result(uid) is None                       # results of another zone set are stale
    stored, _ = assess_parcels(pr.parcels, dearer, pr.period, catalogue=load_catalogue())
    pr.set_results(stored, compare=True)
    assert pr.difference(uid) == Decimal("500.00")              # 100 m² × (20 − 15)


def test_terms_from_sample_columns():
    g = gpd.read_file(resource("samples", "wenzhou_sample.gpkg"))
    rec = g.drop(columns="geometry").iloc[7].to_dict()           # 出让 2024-07-15, 起始月份 2024-08
    p = new_parcel(g.geometry.iloc[7], "甲", attrs_from_record(rec))
    t = terms_of(p)
    assert str(t.liable_from) == "2024-08" and t.declared_area_m2 == Decimal("8965.32")
    # without 起始月份 the same month follows from 取得方式 and 土地取得时间 (the 次月 of 出让)
    del rec["起始月份"]
    derived = terms_of(new_parcel(g.geometry.iloc[7], "甲", attrs_from_record(rec)))
    assert str(derived.liable_from) == "2024-08" and "出让" in derived.start_rule and "次月" in derived.start_rule
    rec["取得方式"] = "征用耕地"                                   # one full year after approval: 2025-08
    assert str(terms_of(new_parcel(g.geometry.iloc[7], "甲", attrs_from_record(rec))).liable_from) == "2025-08"
    rec6 = g.drop(columns="geometry").iloc[6].to_dict()          # relief 0010129901
    assert [c.code for c in terms_of(new_parcel(g.geometry.iloc[6], "甲", attrs_from_record(rec6))).reliefs] == ["0010129901"]


def test_project_file_round_trip_and_recovery(zs, tmp_path):
    pr = project_with(zs, shapely.box(90, 0, 110, 10), shapely.Polygon([(10, 10), (60, 10), (60, 60), (10, 60)],
                                                                        [[(20, 20), (30, 20), (30, 30), (20, 30)]]))
    pr.mark_reviewed(0, "复核员乙")
    pr.edit(1, who="甲", attrs={"declared_area": "2400", "land_use": "工业"})
    path = save_project(pr, tmp_path / "p.gpkg")
    back = load_project(path)
    back.context = pr.context
    assert [p.uid for p in back.parcels] == [p.uid for p in pr.parcels]
    for a, b in zip(back.parcels, pr.parcels):
        assert a.geometry.equals(b.geometry) and a.attrs == b.attrs and a.review == b.review and a.source == b.source
    assert back.audit.events() == pr.audit.events()
    assert back.results == pr.results and back.is_reviewed(pr.parcels[0].uid)
    assert back.current_result(pr.parcels[1].uid) is None        # edited after assessment: still stale
    rec = Recovery(tmp_path / "rec")
    assert rec.pending() is None
    rec.write(pr, original=str(path))
    later = Recovery(tmp_path / "rec")          # a second copy of the application
    assert later.pending() is None              # the first one still runs: its file is not an orphan
    rec._lock.release()                         # what the OS does when the first copy dies
    info = later.pending()
    assert info["parcels"] == 2 and info["pid"] == os.getpid()
    assert [p.uid for p in later.restore(info).parcels] == [p.uid for p in pr.parcels]
    later.discard(info)
    assert later.pending() is None and not rec.path.exists()


def test_import_repair_flag_is_kept_assessed_saved_and_cleared_by_a_new_outline(zs, tmp_path):
    from zones.io.base import Finding, ImportResult
    from zones.project import import_repairs

    # the importer kept rows 0 and 2 of the file (index 0, 2); record 3 (index 2) was repaired
    imported = ImportResult(parcels=gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 10, 10)] * 2, index=[0, 2]),
                            source="f.shp", findings=[Finding("f.shp", 3, "repaired", "invalid outline repaired"),
                                         Finding("f.shp", 2, "empty_geometry", "no geometry", "error")])
    repairs = import_repairs(imported)
    assert list(repairs) == [1] and repairs[1][0] == ("repaired", "导入时图形无效，已修复：invalid outline repaired")
    pr = Project(period=TaxPeriod(2024))
    pr.context = assess_context(zs, pr.period)
    pr.insert(0, new_parcel(shapely.box(0, 0, 10, 10), "甲", {"parcel_no": "P1"}, import_flags=repairs[1]))
    stored, _ = assess_parcels(pr.parcels, zs, pr.period, catalogue=load_catalogue())
    pr.set_results(stored, compare=False)
    r = pr.current_result(pr.parcels[0].uid).result
    assert "repaired" in r.flags and r.notes[0].startswith("导入时图形无效") and r.due == Decimal("1500.00")

    path = save_project(pr, tmp_path / "p.gpkg")
    back = load_project(path)
    back.context = pr.context
    assert back.parcels[0].import_flags == repairs[1]
    assert back.current_result(back.parcels[0].uid) is not None          # the fingerprint covers the flags

    before = pr.edit(0, who="乙", attrs={"address": "新地址"}).before              # attributes only: flags stay
    assert pr.parcels[0].import_flags == repairs[1]
    pr.edit(0, who="乙", geometry=shapely.box(0, 0, 20, 10))                # a new outline: flags go
    assert pr.parcels[0].import_flags == ()
    assert pr.history(pr.parcels[0].uid)[-1].what == "导入时的图形标记（repaired）因重新绘制图形而清除"
    pr.put(0, before)
    assert pr.parcels[0].import_flags == repairs[1]


def test_stale_after_an_edit_is_not_work_over_every_parcel(monkeypatch):
    """The stale set is kept by the mutators: after one edit, finding what to re-assess
    fingerprints that one parcel, not all 5,000 (the old stale() hashed every parcel)."""
    import zones.project as project_module
    from zones.project import StoredResult, fingerprint

    pr = Project(period=TaxPeriod(2024))
    pr.context = "ctx"
    for k in range(5000):
        p = new_parcel(shapely.box(k, 0, k + 1, 1), "甲", {"parcel_no": f"P{k}"})
        pr.parcels.append(p)
        pr.results[p.uid] = StoredResult(None, fingerprint(p, "ctx"), {}, result_text="{}")
    assert pr.stale() == []
    calls = []
    real = project_module.fingerprint
    monkeypatch.setattr(project_module, "fingerprint", lambda p, c="": calls.append(p.uid) or real(p, c))
    op = pr.edit(4321, who="甲", attrs={"address": "新地址"})
    assert op.changed == (pr.parcels[4321].uid,) and pr.stale() == [4321]
    pr.put(4321, op.before)                                  # undo: the old result is current again
    assert pr.stale() == [] and len(calls) <= 2
    assert pr.index_of(pr.parcels[4999].uid) == 4999


def test_inserting_a_district_keeps_the_index_of_positions_instead_of_rebuilding_it():
    """An import inserts parcels one by one at the end (and its undo removes them from the end):
    the index uid → position follows each step instead of being rebuilt over every parcel after
    each (20,000 parcels took 24 s that way). Inserts and removals elsewhere still give the right
    positions, and the stale set is kept right with or without the index."""
    from zones.project import StoredResult, fingerprint

    pr = Project(period=TaxPeriod(2024))
    pr.context = "ctx"
    first = new_parcel(shapely.box(0, 0, 1, 1), "甲", {"parcel_no": "P0"})
    pr.insert(0, first)
    assert pr.stale() == [0]
    index_before = pr._index
    parcels = [new_parcel(shapely.box(k, 0, k + 1, 1), "甲", {"parcel_no": f"P{k}"}) for k in range(1, 3000)]
    for p in parcels:
        pr.insert(len(pr), p)
    assert pr._index is index_before                 # the same index, extended: never rebuilt
    assert all(pr.index_of(p.uid) == k for k, p in enumerate(pr.parcels))
    assert pr.stale() == list(range(3000))
    p = pr.parcels[1500]
    pr.results[p.uid] = StoredResult(None, fingerprint(p, "ctx"), {}, result_text="{}")
    pr.put(1500, p)                                   # its result is current: no longer stale
    assert 1500 not in pr.stale()
    for _ in range(1000):                            # an undo of the last 1,000
        pr.remove(len(pr) - 1)
    assert pr._index is index_before and len(pr._index) == 2000
    middle = pr.remove(700).before                   # elsewhere: the positions after it move
    pr.insert(10, middle)
    assert [pr.index_of(q.uid) for q in pr.parcels] == list(range(2000))
    assert pr.index_of(middle.uid) == 10 and 1500 not in pr.stale() and pr.stale() == [
        i for i in range(2000) if i != 1500]


def test_the_fingerprint_s_attribute_text_is_the_encoder_s_to_the_character():
    """Fingerprints are kept in project files: the quicker text of the attributes must be the JSON
    encoder's (sort_keys, ensure_ascii=False) exactly, for any text, and other values go through it."""
    from zones.project import _ATTRS_JSON, attrs_json

    texts = ["", "温州市鹿城区", '引号"与\\反斜杠', "tab\tnew\nline\r", "\x00\x1f\x7f", "\u2028\u2029", "emoji 🏙",
             "\ud800 lone surrogate", "=HYPERLINK(\"x\")", " 前后空格 ", "１２３", "é", "a" * 300]
    maps = [{}, {"parcel_no": "330302001001GB00001"}]
    maps += [{f"k{j}{t[:3]}": t for j, t in enumerate(texts[i:] + texts[:i])} for i in range(len(texts))]
    maps += [{"z": "1", "a": "2", "m": "3", "A": "4", "é": "5", "中": "6", "": "7"}]
    for m in maps:
        assert attrs_json(m) == _ATTRS_JSON(m)
    odd = [{"n": 1, "f": 2.5}, {"none": None, "b": True}, {"l": ["a"]}, {1: "x", 2: "y"}]
    for m in odd:
        assert attrs_json(m) == _ATTRS_JSON(m)
    with pytest.raises(TypeError):          # as the encoder: keys that do not sort
        _ATTRS_JSON({1: "x", "2": "y"})
    with pytest.raises(TypeError):
        attrs_json({1: "x", "2": "y"})
