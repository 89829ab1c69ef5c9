# ruff: noqa: F811  (the fixtures imported from pg_cluster are parameters of the tests)
"""Faults and copies on a real server: kill -9 mid-change, the server restarted under a
client, and a project file copied into a database and back without loss."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from decimal import Decimal

import geopandas as gpd
import pytest
import shapely
from pg_cluster import pg_db, pg_server  # noqa: F401

from zones.periods import TaxPeriod
from zones.pgstore.errors import ServerUnavailable
from zones.pgstore.store import PgProject
from zones.pgstore.tables import (
    copy_database_to_file,
    copy_file_to_database,
    read_file,
    write_file,
)
from zones.project import Project, assess_context, assess_parcels, new_parcel
from zones.project_file import save_project
from zones.reliefs import load_catalogue
from zones.zoneset import ZoneSet

SETTINGS = {"format": "wztax-project/1", "period": [2026, 1, 12], "zoneset": {"ref": "wenzhou-urban-2024"}}


def _row(uid, k):
    return {"uid": uid, "position": k, "attrs": {"parcel_no": uid},
            "geometry": shapely.box(k * 100, 0, k * 100 + 50, 40), "source": "", "import_flags": ""}


def test_a_client_killed_mid_change_leaves_nothing_half_written(pg_server, pg_db):
    PgProject.create(pg_server.url(pg_db, "zadmin"), SETTINGS).close()
    url, env = pg_server.env_url(pg_db, "lu_a")
    first = PgProject(pg_server.url(pg_db, "lu_b"))
    first.add_parcels([_row("u0", 0)])
    child = textwrap.dedent(f"""
        import sys, time, shapely
        from zones.pgstore.store import PgProject
        s = PgProject({url!r})
        with s.transaction():
            s.add_parcels([{{"uid": f"n{{i}}", "position": i + 1, "attrs": {{}}, "geometry": shapely.box(i, 0, i + 1, 1)}}
                           for i in range(500)], [{{"when": "t", "uid": "n0", "kind": "entry", "what": "x"}}])
            row = s.parcel("u0")
            row["attrs"] = {{"land_use": "工业"}}
            s.save_parcel(row, [{{"when": "t", "uid": "u0", "kind": "edit", "what": "土地用途"}}])
            print("mid-change", flush=True)
            time.sleep(120)
    """)
    proc = subprocess.Popen([sys.executable, "-c", child], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        assert proc.stdout.readline().strip() == "mid-change", proc.stderr.read()
        proc.kill()                       # SIGKILL: no cleanup in the client at all
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    # the parcel the dead client had locked can be saved by someone else at once …
    t0 = time.monotonic()
    row = first.parcel("u0")
    row["attrs"] = {"land_use": "商业"}
    assert first.save_parcel(row) == 2
    assert time.monotonic() - t0 < 5
    # … and none of its 500 parcels, its edit or its log events exist
    assert [p["uid"] for p in first.parcels()] == ["u0"]
    assert first.events() == []
    first.close()


def test_a_server_restart_is_reported_and_the_client_recovers(pg_server, pg_db):
    PgProject.create(pg_server.url(pg_db, "zadmin"), SETTINGS).close()
    s = PgProject(pg_server.url(pg_db, "lu_a"))
    s.add_parcels([_row("u0", 0)])
    row = s.parcel("u0")
    pg_server.stop()
    try:
        row["attrs"] = {"land_use": "工业"}
        with pytest.raises(ServerUnavailable, match="nothing of this change was saved"):
            s.save_parcel(row)
        with pytest.raises(ServerUnavailable, match="cannot connect"):
            s.parcel("u0")              # still down: said again, no traceback of another kind
    finally:
        pg_server.start()
    assert s.save_parcel(row) == 2    # the same change, applied once the server is back
    assert s.parcel("u0")["attrs"] == {"land_use": "工业"}
    s.close()


@pytest.fixture
def project_file(tmp_path):
    """A project file the application writes: three assessed parcels, one reviewed, history, a user zone set."""
    grades = gpd.GeoDataFrame({"grade": [1, 2]}, geometry=[shapely.box(0, 0, 100, 100), shapely.box(100, 0, 200, 100)],
                              crs="EPSG:4549")
    zs = ZoneSet("syn", "Synthetic", "1", "EPSG:4549", {1: Decimal(15), 2: Decimal(10)}, grades)
    pr = Project(period=TaxPeriod(2024))
    for k, g in enumerate([shapely.box(90, 0, 110, 10), shapely.box(10, 10, 30, 20), shapely.box(150, 50, 160, 70)]):
        pr.insert(len(pr), new_parcel(g, "甲", {"parcel_no": f"P{k + 1}", "taxpayer_name": "温州某公司\t(制表符)",
                                                 "declared_area": "200.00"}))
    pr.context = assess_context(zs, pr.period)
    stored, _ = assess_parcels(pr.parcels, zs, pr.period, catalogue=load_catalogue())
    pr.set_results(stored, compare=False)
    pr.mark_reviewed(0, "乙")
    pr.edit(1, who="甲", attrs={"land_use": "工业"})
    return save_project(pr, tmp_path / "p.gpkg")


def _same(a: dict, b: dict) -> None:
    assert a["settings"] == b["settings"]
    assert len(a["parcels"]) == len(b["parcels"]) > 0
    for x, y in zip(a["parcels"], b["parcels"]):
        assert {k: v for k, v in x.items() if k not in ("geometry", "position", "version", "last_entry_by",
                                                         "changed_by")} == \
               {k: v for k, v in y.items() if k not in ("geometry", "position", "version", "last_entry_by",
                                                         "changed_by")}
        assert x["geometry"].wkb == y["geometry"].wkb
    strip = lambda rows: [{k: v for k, v in r.items() if k not in ("seq", "login")} for r in rows]
    assert strip(a["audit"]) == strip(b["audit"]) and a["audit"]
    key = lambda r: (r["kind"], r["uid"])
    assert sorted(a["results"], key=key) == sorted(b["results"], key=key) and a["results"]
    assert [(p["uid"], p["grade"], p["geometry"].wkb) for p in a["pieces"]] == \
           [(p["uid"], p["grade"], p["geometry"].wkb) for p in b["pieces"]]


def test_a_project_file_copies_into_a_database_and_back_without_loss(pg_server, pg_db, project_file, tmp_path):
    original = read_file(project_file)
    # the tables as the document store's file holds them (audit log, grade pieces): written and read back
    original["pieces"] = [{"uid": original["parcels"][0]["uid"], "grade": 1, "geometry": shapely.box(90, 0, 100, 10)},
                          {"uid": original["parcels"][0]["uid"], "grade": 2, "geometry": shapely.box(100, 0, 110, 10)}]
    original["zoneset_grades"] = gpd.GeoDataFrame({"grade": [1, 2], "rate": ["15", "10"]},
                                                  geometry=[shapely.box(0, 0, 100, 100), shapely.box(100, 0, 200, 100)],
                                                  crs="EPSG:4549")
    full = write_file(original, tmp_path / "full.gpkg")
    source = read_file(full)
    _same(original, source)
    assert any(r["review_by"] == "乙" for r in source["parcels"])
    copy_file_to_database(full, pg_server.url(pg_db, "zadmin")).close()
    back = copy_database_to_file(pg_server.url(pg_db, "lu_a"), tmp_path / "back.gpkg")
    again = read_file(back)
    _same(source, again)
    assert again["zoneset_grades"]["rate"].tolist() == ["15", "10"]
    assert [g.wkb for g in again["zoneset_grades"].geometry] == [g.wkb for g in source["zoneset_grades"].geometry]
    # the application opens the copy as it opened the original
    from zones.project_file import load_project

    a, b = load_project(project_file), load_project(back)
    assert [(p.uid, p.attrs, p.review, p.geometry.wkb) for p in a.parcels] == \
           [(p.uid, p.attrs, p.review, p.geometry.wkb) for p in b.parcels]
    assert {u: s.result for u, s in a.results.items()} == {u: s.result for u, s in b.results.items()}
