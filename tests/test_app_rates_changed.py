"""New rates (or a new period) through the real window with the threaded runner: the whole
project is assessed again in the child process, the views wait for it (no result is current
meanwhile) without fingerprinting every parcel on the GUI thread, the new results are stored
a slice at a time with the GUI's events running in between, and then every view shows
exactly the Decimal path's figures."""

import dataclasses

import pytest

from desktop import document
from zones.periods import TaxPeriod
from zones.project import assess_parcels


def _wait_until_stored(qtbot, doc, seen: list) -> None:
    def done() -> bool:
        seen.append((doc.runner.busy, doc.runner.progress.label if doc.runner.busy else ""))
        return not doc.runner.busy

    with qtbot.waitSignal(doc.assessFinished, timeout=120_000):
        qtbot.waitUntil(done, timeout=120_000)


def _shows_reference(window, doc) -> None:
    pr = doc.project
    here, _ = assess_parcels(pr.parcels, doc.zoneset, pr.period, catalogue=doc.catalogue, tax_base=pr.tax_base)
    assert not pr.stale() and not doc.reassessing_all
    model = window.results.model
    assert model.uids == [p.uid for p in pr.parcels]
    for p in pr.parcels:
        s = pr.current_result(p.uid)
        assert (s.texts()[0], s.key, s.due, s.flags) == (here[p.uid].texts()[0], here[p.uid].key, here[p.uid].due,
                                                         here[p.uid].flags)
        assert model.row_values(p.uid)["应缴税额"] == float(here[p.uid].due)
    assert model.total == sum(here[p.uid].due for p in pr.parcels)
    flagged = window.canvas.view.parcels.flagged.tolist()
    assert flagged == ["near_boundary" in here[p.uid].flags for p in pr.parcels]


@pytest.mark.gui
def test_new_rates_reassess_in_slices_and_every_view_shows_the_new_figures(make_window, qtbot, monkeypatch):
    monkeypatch.setattr(document, "IN_PROCESS_OVER", 0)      # the sample's 12 parcels count as a district
    monkeypatch.setattr(document, "STORE_SLICE", 5)          # stored in three slices
    doc, window = make_window()
    window.files.open_sample()
    pr = doc.project
    before = {p.uid: pr.results[p.uid].due for p in pr.parcels}
    events = len(pr.audit)
    doc.runner.synchronous = False                             # the real runner: a worker thread, then the child
    steps = []
    doc.runner.progressed.connect(lambda fraction, label: steps.append((fraction, label)))
    dearer = dataclasses.replace(doc.zoneset, rates={g: r + 1 for g, r in doc.zoneset.rates.items()})
    doc.set_zoneset(dearer, compare=True)
    # the views wait for the assessment: no stale set made on the GUI thread, no row shown
    assert doc.reassessing_all and pr._stale is None and window.results.model.uids == []
    seen: list = []
    _wait_until_stored(qtbot, doc, seen)
    stored_steps = [f for f, label in steps if label in ("正在保存计算结果", "Storing the results")]
    assert stored_steps == [5 / 12, 10 / 12, 1.0, 1.0, 1.0]   # slices, the stale set, the views: events between
    _shows_reference(window, doc)
    moved = [p.uid for p in pr.parcels if pr.results[p.uid].due != before[p.uid]]
    assert moved and all(pr.difference(u) == pr.results[u].due - before[u] for u in moved)
    logged = [e for e in pr.audit.events()[events:] if e.kind == "assess"]
    assert [e.uid for e in logged] == moved                    # one event per changed parcel, in order
    assert all(e.what.startswith("因等级图/税率变化重新计税") for e in logged)


@pytest.mark.gui
def test_a_new_period_reassesses_the_district_off_the_gui_thread(make_window, qtbot, monkeypatch):
    monkeypatch.setattr(document, "IN_PROCESS_OVER", 0)
    monkeypatch.setattr(document, "INLINE_ASSESS_MAX", 4)     # 12 parcels: more than are assessed at once
    doc, window = make_window()
    window.files.open_sample()
    doc.runner.synchronous = False
    doc.set_period(TaxPeriod(2024, 1, 6))
    assert doc.reassessing_all and window.results.model.uids == []
    _wait_until_stored(qtbot, doc, [])
    _shows_reference(window, doc)
    months = [doc.project.current_result(p.uid).result.liable.count for p in doc.project.parcels]
    assert months.count(6) > len(months) // 2          # the half year (a parcel acquired later has fewer)
