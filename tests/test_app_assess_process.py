"""Assess-all of a district runs in a child process (zones.store_assess) behind the real
window's threaded task runner: the officer sees the same results as the in-process path,
unchanged results stay as they were, and the GUI keeps processing events meanwhile."""

import pytest

from desktop import document
from zones.project import assess_parcels, result_key


@pytest.mark.gui
def test_assess_all_in_a_child_process_through_the_window(make_window, qtbot, monkeypatch):
    monkeypatch.setattr(document, "IN_PROCESS_OVER", 0)      # the sample's 12 parcels count as a district
    doc, window = make_window()
    window.files.open_sample()
    pr = doc.project
    assert len(pr) == 12 and not pr.stale()
    before = dict(pr.results)
    i = next(k for k, p in enumerate(pr.parcels) if before[p.uid].result.rows)
    edited = pr.parcels[i].uid
    pr.edit(i, who="测试录入员", attrs={"declared_area": "100.00"})     # not through the undo stack: not re-assessed yet
    doc.runner.synchronous = False                             # the real runner: a worker thread, then the child
    ticks = []
    qtbot.addWidget(window)
    with qtbot.waitSignal(doc.assessFinished, timeout=120_000):
        assert doc.assess_all()
        qtbot.waitUntil(lambda: ticks.append(1) or not doc.runner.busy, timeout=120_000)
    assert len(ticks) > 1                                      # the event loop ran while the child worked
    assert not pr.stale()
    assert all(pr.results[p.uid] is before[p.uid] for p in pr.parcels if p.uid != edited)
    new = pr.current_result(edited)
    assert new is not before[edited]                           # the child's result, not the old one
    here, _ = assess_parcels([pr.parcels[i]], doc.zoneset, pr.period, catalogue=doc.catalogue,
                             tax_base=pr.tax_base)
    assert (result_key(new.result), new.key, new.due, new.flags) == (
        result_key(here[edited].result), here[edited].key, here[edited].due, here[edited].flags)
    row = window.results.model.uids.index(edited)
    assert window.results.model.total == sum(pr.current_result(p.uid).due for p in pr.parcels)
    assert row >= 0
