"""An import's records made parcels off the GUI thread (zones.import_parcels), and the bulk
append that adds them (Project.extend): the same parcels, provenance, events and stale set
as the one-by-one path, and a cancel that stops the work."""

import hashlib
import warnings

import pytest
import shapely

from zones.errors import Cancelled
from zones.import_parcels import parcels_from_import
from zones.io import read_parcels
from zones.progress import Progress
from zones.project import Project, fingerprint, new_parcel
from zones.resources import resource


def _parcels(n: int, what: str = "导入自 f.gpkg"):
    from zones.project import Source, now_text

    src = Source("import", "甲", now_text(), file="f.gpkg", sha256="ab", what=what)
    return [new_parcel(shapely.box(i * 10, 0, i * 10 + 8, 8), "甲", {"parcel_no": f"P{i}"}, what=what, source=src)
            for i in range(n)]


def test_extend_logs_and_marks_stale_exactly_as_inserting_one_by_one():
    ps = _parcels(50)
    one, bulk = Project(), Project()
    one.context = bulk.context = "ctx"
    one.stale_uids(), bulk.stale_uids()           # the stale sets kept up to date, as in the desktop
    for k, p in enumerate(ps):
        one.insert(k, p, who="乙")
    op = bulk.extend(ps, who="乙")
    assert op.structure and list(op.changed) == [p.uid for p in ps]
    assert bulk.parcels == one.parcels
    assert [bulk.index_of(p.uid) for p in ps] == list(range(50))
    strip = [(e.seq, e.when, e.who, e.uid, e.kind, e.what, e.old, e.new) for e in one.audit]
    assert [(e.seq, e.when, e.who, e.uid, e.kind, e.what, e.old, e.new) for e in bulk.audit] == strip
    assert strip[0][2:6] == ("乙", ps[0].uid, "entry", "导入自 f.gpkg")
    assert bulk.stale_uids() == one.stale_uids() == {p.uid for p in ps}
    # undone (removed last first, one by one or in bulk) and redone: "redo" events, in order, after the removals
    for i in reversed(range(len(ps))):
        one.remove(i, who="乙", kind="undo", what="撤销")
    op = bulk.drop_tail(0, who="乙", kind="undo", what="撤销")
    assert list(op.changed) == [p.uid for p in reversed(ps)] and len(bulk) == 0 and bulk.stale_uids() == set()
    assert [(e.uid, e.kind, e.what, e.who, e.old) for e in bulk.audit][50:] == \
        [(e.uid, e.kind, e.what, e.who, e.old) for e in one.audit][50:]
    for k, p in enumerate(ps):
        one.insert(k, p, who="乙", kind="redo", what="重做")
    bulk.extend(ps, who="乙", kind="redo", what="重做")
    tail = [(e.uid, e.kind, e.what, e.who) for e in bulk.audit][100:]
    assert tail == [(e.uid, e.kind, e.what, e.who) for e in one.audit][100:]
    assert tail[0] == (ps[0].uid, "redo", "重做", "乙") and len(tail) == 50


def test_drop_tail_removes_only_the_tail_and_keeps_the_index():
    ps = _parcels(10)
    pr = Project()
    pr.extend(ps)
    op = pr.drop_tail(7, what="撤销")
    assert list(op.changed) == [ps[9].uid, ps[8].uid, ps[7].uid]
    assert pr.parcels == ps[:7] and [pr.index_of(p.uid) for p in ps[:7]] == list(range(7))
    assert ps[8].uid not in pr and [e.old for e in pr.audit][-3:] == ["P9", "P8", "P7"]


def test_extend_brings_back_a_result_of_the_same_snapshot_as_insert_does():
    ps = _parcels(3)
    pr = Project()
    pr.context = "ctx"
    pr.extend(ps)
    assert pr.stale_uids() == {p.uid for p in ps}
    from zones.project import StoredResult

    stored = {p.uid: StoredResult(None, fingerprint(p, "ctx"), None, (), result_text="{}", provenance_text="{}",
                                  key="k") for p in ps}
    pr.results.update(stored)
    pr._stale = None
    assert pr.stale_uids() == set()
    for i in reversed(range(3)):
        pr.remove(i)
    pr.extend(ps, kind="redo", what="重做")
    assert pr.stale_uids() == set() and all(pr.current_result(p.uid) is stored[p.uid] for p in ps)


@pytest.fixture
def sample_copy(tmp_path):
    import geopandas as gpd
    import pyogrio

    g = gpd.read_file(resource("samples", "wenzhou_sample.gpkg"))
    path = tmp_path / "样例.gpkg"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        pyogrio.write_dataframe(g, path)
    return path


def test_the_records_become_the_parcels_the_desktop_always_made(sample_copy):
    result = read_parcels(sample_copy)
    before = sample_copy.read_bytes()
    made = parcels_from_import(result, sample_copy, "录入员甲", context="ctx")
    assert sample_copy.read_bytes() == before                  # the input file is never written
    assert made.file == "样例.gpkg" and made.sha256 == hashlib.sha256(before).hexdigest()
    assert len(made.parcels) == len(result.parcels) == 12
    first = made.parcels[0]
    assert first.get("parcel_no") == str(result.parcels.iloc[0]["宗地号"])
    assert first.source.kind == "import" and first.source.file == "样例.gpkg" and first.source.sha256 == made.sha256
    assert first.source.what == "导入自 样例.gpkg" and first.entered_by == "录入员甲"
    expected = result.parcels.to_crs(4549).geometry.iloc[0]
    assert shapely.equals_exact(first.geometry, expected, 1e-9)
    assert made.fingerprints == [fingerprint(p, "ctx") for p in made.parcels]
    # ids the project already holds are found, against the snapshots given
    made_again = parcels_from_import(result, sample_copy, "乙", existing=made.parcels[:2])
    assert [k for k, _, _ in made_again.clashes] == [0, 1]


def test_a_cancel_stops_making_parcels(sample_copy):
    result = read_parcels(sample_copy)
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        parcels_from_import(result, sample_copy, "甲", progress=progress)
    steps = []

    class Watch(Progress):
        def step(self, done, total, label=None):
            steps.append((done, total))
            super().step(done, total, label)

    parcels_from_import(result, sample_copy, "甲", progress=Watch())
    assert steps[0] == (0, 25) and steps[-1] == (25, 25)
    assert [d for d, _ in steps] == sorted(d for d, _ in steps)
