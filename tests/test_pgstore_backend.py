# ruff: noqa: F811  (the fixtures imported from pg_cluster are parameters of the tests)
"""The database project as a back end of the document store: load() -> Project, save(project)."""

from __future__ import annotations

from decimal import Decimal

import geopandas as gpd
import pytest
import shapely
from pg_cluster import pg_db, pg_server  # noqa: F401

from zones.periods import TaxPeriod
from zones.pgstore.backend import PgBackend, backend_for
from zones.pgstore.errors import ConflictError, RuleRefused
from zones.pgstore.store import PgProject
from zones.pgstore.tables import copy_file_to_database
from zones.project import Project, assess_context, assess_parcels, new_parcel
from zones.project_file import save_project
from zones.reliefs import load_catalogue
from zones.zoneset import ZoneSet


@pytest.fixture
def shared(pg_server, pg_db, tmp_path):
    """A database project of two assessed parcels entered by lu_a, with the four-eyes rule."""
    grades = gpd.GeoDataFrame({"grade": [1, 2]}, geometry=[shapely.box(0, 0, 100, 100), shapely.box(100, 0, 200, 100)],
                              crs="EPSG:4549")
    zs = ZoneSet("syn", "Synthetic", "1", "EPSG:4549", {1: Decimal(15), 2: Decimal(10)}, grades)
    pr = Project(period=TaxPeriod(2024))
    for k, g in enumerate([shapely.box(90, 0, 110, 10), shapely.box(10, 10, 30, 20)]):
        pr.insert(len(pr), new_parcel(g, "lu_a", {"parcel_no": f"P{k + 1}"}))
    pr.context = assess_context(zs, pr.period)
    stored, _ = assess_parcels(pr.parcels, zs, pr.period, catalogue=load_catalogue())
    pr.set_results(stored, compare=False)
    path = save_project(pr, tmp_path / "p.gpkg")
    copy_file_to_database(path, pg_server.url(pg_db, "zadmin")).close()
    admin = PgProject(pg_server.url(pg_db, "zadmin"))
    admin.set_setting("four_eyes", True)
    admin.close()
    return zs


def test_load_edit_save_and_a_second_window_is_refused(pg_server, pg_db, shared):
    a, b = PgBackend(pg_server.url(pg_db, "lu_a")), PgBackend(pg_server.url(pg_db, "lu_b"))
    pa, pb = a.load(), b.load()
    assert [p.attrs["parcel_no"] for p in pa.parcels] == ["P1", "P2"] and len(pa.results) == 2
    pb.edit(0, who="lu_b", attrs={"taxpayer_name": "乙公司"})
    b.save(pb)
    pa.edit(0, who="lu_a", attrs={"taxpayer_name": "甲公司"})
    with pytest.raises(ConflictError) as exc:
        a.save(pa)
    assert exc.value.mine["attrs"]["taxpayer_name"] == "甲公司"
    assert exc.value.theirs["attrs"]["taxpayer_name"] == "乙公司" and exc.value.theirs["changed_by"] == "lu_b"
    fresh = PgBackend(pg_server.url(pg_db, "lu_a")).load()
    assert fresh.parcels[0].attrs["taxpayer_name"] == "乙公司"
    # a new parcel and a removal travel too
    pb.insert(len(pb), new_parcel(shapely.box(150, 50, 160, 70), "lu_b", {"parcel_no": "P3"}))
    pb.remove(1)
    b.save(pb)
    assert [p.attrs["parcel_no"] for p in PgBackend(pg_server.url(pg_db, "lu_a")).load().parcels] == ["P1", "P3"]
    assert isinstance(backend_for(pg_server.url(pg_db, "lu_a")), PgBackend) and backend_for("x.gpkg") is None


def test_four_eyes_on_save_of_a_review(pg_server, pg_db, shared):
    officer = PgBackend(pg_server.url(pg_db, "fu_a"))
    pr = officer.load()
    pr.edit(1, who="fu_a", attrs={"land_use": "工业"})          # fu_a is now the last 录入 of P2 …
    pr.context = assess_context(shared, pr.period)
    stored, _ = assess_parcels(pr.parcels, shared, pr.period, catalogue=load_catalogue())
    pr.set_results(stored, compare=False)
    officer.save(pr)
    pr.mark_reviewed(1, "fu_a")
    with pytest.raises(RuleRefused, match="four-eyes rule"):   # … so fu_a may not review it
        officer.save(pr)
    pr2 = officer.load()
    pr2.context = assess_context(shared, pr2.period)
    assert pr2.parcels[1].review is None and pr2.current_result(pr2.parcels[0].uid) is not None
    pr2.mark_reviewed(0, "fu_a")                               # P1 was entered by another login (the copy)
    officer.save(pr2)
    assert PgBackend(pg_server.url(pg_db, "lu_b")).load().parcels[0].review.reviewer == "fu_a"


def test_a_save_while_the_server_is_down_keeps_the_changes_and_applies_them_later(pg_server, pg_db, shared, tmp_path):
    from zones.pgstore.errors import ServerUnavailable
    from zones.project_file import load_project

    backend = PgBackend(pg_server.url(pg_db, "lu_a"))
    pr = backend.load()
    pr.edit(0, who="lu_a", attrs={"taxpayer_name": "离线修改"})
    pg_server.stop()
    try:
        with pytest.raises(ServerUnavailable, match="nothing of this change was saved"):
            backend.save(pr)
        assert pr.parcels[0].attrs["taxpayer_name"] == "离线修改"      # still in the open document …
        save_project(pr, tmp_path / "offline.gpkg")                      # … and can be kept in a file meanwhile
        assert load_project(tmp_path / "offline.gpkg").parcels[0].attrs["taxpayer_name"] == "离线修改"
    finally:
        pg_server.start()
    backend.save(pr)                                                     # the server is back: applied once
    again = PgBackend(pg_server.url(pg_db, "lu_b")).load()
    assert again.parcels[0].attrs["taxpayer_name"] == "离线修改"
    if hasattr(pr, "audit"):   # the document store's append-only log (issue 10): the edit logged once, by lu_a
        edits = [e for e in PgProject(pg_server.url(pg_db, "lu_b")).events() if "离线修改" in e["what"]]
        assert len(edits) == 1 and edits[0]["login"] == "lu_a"


def test_the_database_opens_the_very_project_the_file_gives(pg_server, pg_db, tmp_path):
    """The back end builds the Project from the rows itself (no DataFrames): it must equal the
    project file reader's, field for field, on parcels with reviews, sources, import flags,
    results with pieces, previous results and the audit log."""
    from dataclasses import replace

    from zones.project import Review, Source
    from zones.project_file import load_project

    grades = gpd.GeoDataFrame({"grade": [1, 2]}, geometry=[shapely.box(0, 0, 100, 100), shapely.box(100, 0, 200, 100)],
                              crs="EPSG:4549")
    zs = ZoneSet("syn", "Synthetic", "1", "EPSG:4549", {1: Decimal(15), 2: Decimal(10)}, grades)
    pr = Project(period=TaxPeriod(2024, 3, 12))
    src = Source("import", "lu_a", "2024-03-01T09:00:00", "册.xlsx", "ab" * 32, "导入自 册.xlsx")
    for k, g in enumerate([shapely.box(90, 0, 110, 10), shapely.box(10, 10, 30, 20), shapely.box(120, 5, 150, 40)]):
        p = new_parcel(g, "lu_a", {"parcel_no": f"P{k + 1}", "taxpayer_name": f"公司{k}", "small_taxpayer": "是"})
        pr.insert(len(pr), replace(p, source=src if k else p.source,
                                   import_flags=(("repaired", "自相交已修复"),) if k == 2 else (),
                                   point_names=("J7", "界址2", "J9", "J1") if k == 1 else ()))
    pr.context = assess_context(zs, pr.period)
    stored, _ = assess_parcels(pr.parcels, zs, pr.period, catalogue=load_catalogue())
    pr.set_results(stored, compare=False)
    pr.edit(1, who="lu_b", attrs={"land_use": "工业"})
    stored, _ = assess_parcels([pr.parcels[1]], zs, pr.period, catalogue=load_catalogue())
    pr.set_results(stored, compare=True, reason="测试")
    pr.parcels[0] = replace(pr.parcels[0], review=Review("fu_a", "2024-04-01T10:00:00", pr.results[pr.parcels[0].uid].key))
    path = save_project(pr, tmp_path / "p.gpkg")
    copy_file_to_database(path, pg_server.url(pg_db, "zadmin")).close()
    a, b = load_project(path), PgBackend(pg_server.url(pg_db, "lu_a")).load()
    assert a.parcels == b.parcels and len(a.parcels) == 3 and b.parcels[1].point_names == ("J7", "界址2", "J9", "J1")
    # flags and key stored beside the result: no result JSON is parsed to read them
    assert {u: s.flags for u, s in a.results.items()} == {u: s._flags for u, s in b.results.items()}
    assert {u: s.key for u, s in a.results.items()} == {u: s._key for u, s in b.results.items()}
    assert any(b.results[u]._flags for u in b.results)
    assert a.results == b.results and a.previous == b.previous and len(a.results) == 3
    assert {u: s.pieces for u, s in a.results.items()} == {u: s.pieces for u, s in b.results.items()}
    assert {u: s.due for u, s in a.results.items()} == {u: s.due for u, s in b.results.items()}
    assert {u: s.texts() for u, s in a.previous.items()} == {u: s.texts() for u, s in b.previous.items()}
    assert a.audit.events() == b.audit.events() and len(a.audit) > 3
    assert (a.period, a.zoneset, a.tax_base, a.input_sha256) == (b.period, b.zoneset, b.tax_base, b.input_sha256)
    a.context = b.context = assess_context(zs, a.period)
    assert a.stale() == b.stale() == [] and a.is_reviewed(a.parcels[0].uid) and b.is_reviewed(b.parcels[0].uid)


def test_a_save_writes_only_what_changed(pg_server, pg_db, shared):
    b = PgBackend(pg_server.url(pg_db, "lu_a"))
    pr = b.load()
    assert b.changes(pr).empty(b._settings)
    pr.edit(1, who="lu_a", attrs={"taxpayer_name": "新名"})
    c = b.changes(pr)
    assert [p.uid for _, p, _ in c.changed] == [pr.parcels[1].uid] and not (c.added or c.removed or c.results)
    assert len(c.events) == 1
    b.save(pr)
    assert b.changes(pr).empty(b._settings)
    with PgProject(pg_server.url(pg_db, "lu_b")) as s:
        assert s.versions() == {pr.parcels[0].uid: 1, pr.parcels[1].uid: 2}
        assert len(s.events()) == len(pr.audit)
    # an edit undone before the save writes no parcel (only the two log events)
    before = pr.parcels[0]
    op = pr.edit(0, who="lu_a", attrs={"taxpayer_name": "暂改"})
    pr.put(0, op.before, who="lu_a")
    assert pr.parcels[0] == before
    b.save(pr)
    with PgProject(pg_server.url(pg_db, "lu_b")) as s:
        assert s.versions()[pr.parcels[0].uid] == 1 and len(s.events()) == len(pr.audit)


def test_point_names_survive_file_to_database_to_file_and_an_edit(pg_server, pg_db, tmp_path):
    """点号 as typed: a project copied file → database → file keeps every parcel's names and
    their order; an attribute edit saved through the database keeps them; a new outline drops them."""
    from dataclasses import replace

    from zones.pgstore.tables import copy_database_to_file
    from zones.project_file import load_project

    pr = Project(period=TaxPeriod(2024))
    names = [("A3", "A1", "界址点2", "A4"), (), ("J1", "J2", "J3", "J4")]
    for k, n in enumerate(names):
        p = new_parcel(shapely.box(k * 40, 0, k * 40 + 30, 20), "lu_a", {"parcel_no": f"P{k + 1}"})
        pr.insert(len(pr), replace(p, point_names=n))
    path = save_project(pr, tmp_path / "names.gpkg")
    copy_file_to_database(path, pg_server.url(pg_db, "zadmin")).close()
    backend = PgBackend(pg_server.url(pg_db, "lu_a"))
    opened = backend.load()
    assert [p.point_names for p in opened.parcels] == names
    opened.edit(0, who="lu_a", attrs={"taxpayer_name": "改名"})
    opened.edit(2, who="lu_a", geometry=shapely.box(80, 0, 115, 25))      # a new outline: numbered afresh
    backend.save(opened)
    back = load_project(copy_database_to_file(pg_server.url(pg_db, "lu_b"), tmp_path / "back.gpkg"))
    assert [p.point_names for p in back.parcels] == [names[0], (), opened.parcels[2].point_names]
    assert back.parcels[0].attrs["taxpayer_name"] == "改名"
    with PgProject(pg_server.url(pg_db, "lu_b")) as s:
        assert s.parcel(opened.parcels[0].uid)["point_names"] == '["A3", "A1", "界址点2", "A4"]'


def test_the_log_is_read_when_needed_and_a_parcels_history_is_live(pg_server, pg_db, shared):
    """The open reads the log's length only; one parcel's history comes from the database (with
    another login's events stored since), then this window's unsaved ones; the whole log is read
    once when asked for; a save sends only this window's new events."""
    a, b = PgBackend(pg_server.url(pg_db, "lu_a")), PgBackend(pg_server.url(pg_db, "lu_b"))
    pa, pb = a.load(), b.load()
    with PgProject(pg_server.url(pg_db, "zadmin")) as s:
        stored = len(s.events())
    assert len(pa.audit) == stored and not a._log.loaded
    uid = pa.parcels[0].uid
    assert pa.audit.knows(uid) and not pa.audit.knows("no-such-parcel")
    pb.edit(0, who="lu_b", attrs={"taxpayer_name": "乙改"})
    b.save(pb)
    pa.edit(1, who="lu_a", attrs={"taxpayer_name": "甲改"})        # another parcel: unsaved here
    history = pa.history(uid)
    assert [e.who for e in history if e.kind == "edit"] == ["lu_b"] and not a._log.loaded
    assert [e.what for e in pa.history(pa.parcels[1].uid)][-1].startswith("纳税人名称")   # unsaved, from memory
    a.save(pa)
    with PgProject(pg_server.url(pg_db, "zadmin")) as s:
        events = s.events()
    assert len(events) == stored + 2 and [e["login"] for e in events[-2:]] == ["lu_b", "lu_a"]
    assert [e.who for e in pa.history(pa.parcels[1].uid) if e.kind == "edit"] == ["lu_a"]   # now stored: once
    whole = pa.audit.events()                                       # read once, on its own connection
    assert a._log.loaded and len(whole) == stored + 1 and whole[-1].who == "lu_a"
    assert pa.snapshot().audit.events() == whole
