"""The audit log only grows, and a 复核 mark holds for exactly the result it approved:
after a rate change re-assesses a reviewed parcel, undo + redo shows it not reviewed
and keeps the re-assessment's events. Selecting and printing read stored results."""

from decimal import Decimal

import pytest
from test_app_qa2_fixes import load_official

from zones.project_file import load_project

pytestmark = pytest.mark.gui


def test_undo_redo_after_a_rate_change_never_shows_an_unreviewed_amount_as_reviewed(make_window, tmp_path):
    doc, window = make_window()
    window.files.open_sample()
    p0 = doc.project.parcels[0]
    doc.selection.set([p0.uid])
    assert window.assessing.mark_reviewed("审核员甲")
    status = window.table.model.index(0, 0)
    assert window.table.model.data(status) == "已复核" and doc.project.is_reviewed(p0.uid)

    load_official(window, tmp_path, "1=20,2=12,3=6")             # re-assesses: 41,434.65 → 55,246.20
    assert doc.project.current_result(p0.uid).result.due == Decimal("55246.20")
    assert not doc.project.is_reviewed(p0.uid) and window.table.model.data(status) == "已录入"
    logged = doc.project.history(p0.uid)
    assert [e.kind for e in logged[-2:]] == ["assess", "review_void"]

    window.a_undo.trigger()                                       # undo the review …
    window.a_redo.trigger()                                       # … and redo it: the snapshot with the mark
    assert doc.project.by_uid(p0.uid).review is not None          # the mark is back, but for the old result
    assert not doc.project.is_reviewed(p0.uid) and window.table.model.data(status) == "已录入"
    assert "复核" not in window.assessment.status.text().replace("未复核", "")
    after = doc.project.history(p0.uid)
    assert after[:len(logged)] == logged                          # nothing removed or rewritten
    assert [e.kind for e in after[len(logged):]] == ["undo", "redo"]
    assert len(doc.project.audit) > len(logged)


def test_log_kept_by_save_and_autosave(make_window, dialogs, tmp_path):
    doc, window = make_window()
    window.files.open_sample()
    uid = doc.project.parcels[3].uid
    doc.selection.set([uid])
    assert window.assessing.mark_reviewed("审核员乙")
    window.table.model.setData(window.table.model.index(3, window.table.model.column_of("address")), "新地址")
    window.a_undo.trigger()
    kinds = [e.kind for e in doc.project.history(uid)]
    assert kinds[0] == "entry" and "review" in kinds and "edit" in kinds and kinds[-1] == "undo"
    doc.autosave_now()                                            # unsaved work: the recovery copy
    recovered = load_project(doc.recovery.path)
    assert recovered.audit.events() == doc.project.audit.events()
    dialogs.save_path = str(tmp_path / "saved.gpkg")
    assert window.files.save_as()
    assert load_project(tmp_path / "saved.gpkg").audit.events() == doc.project.audit.events()


def test_selecting_and_printing_use_the_stored_result(make_window, tmp_path, monkeypatch):
    import zones.assess

    doc, window = make_window()
    window.files.open_sample()
    p = doc.project.parcels[9]                                    # two grades
    stored = doc.project.current_result(p.uid)
    assert {g for g, _ in stored.pieces} == {1, 2}
    assert stored.provenance["source"]["kind"] == "import" and len(stored.provenance["input_sha256"]) == 64

    def no_assess(*a, **k):
        raise AssertionError("assessed again")

    monkeypatch.setattr(zones.assess, "assess", no_assess)
    doc.selection.set([p.uid])
    assert window.canvas.view.pieces.grades == [1, 2]              # the map shows the stored pieces
    assert f"{stored.result.due:,.2f}" in window.assessment.html()
    out = tmp_path / "one.pdf"
    assert window.files.report("pdf", False, path=str(out)) and out.stat().st_size > 10_000


def test_a_drawn_parcel_carries_its_own_provenance(make_window):
    import shapely

    from desktop.commands import AddParcels
    from zones.project import Source, new_parcel, now_text

    doc, window = make_window()
    window.files.open_sample()
    assert doc.project.input_sha256                               # the sample's import
    e, n = doc.project.parcels[0].geometry.centroid.coords[0]
    p = new_parcel(shapely.box(e + 500, n, e + 540, n + 50), doc.operator, what="绘制地块",
                   source=Source("drawn", doc.operator, now_text(), what="绘制地块"))
    doc.stack.push(AddParcels(doc, [p], "draw"))
    prov = doc.project.current_result(p.uid).provenance
    assert prov["input_sha256"] is None and prov["source"]["kind"] == "drawn"
    assert prov["source"]["operator"] == "测试录入员" and prov["source"]["when"]
