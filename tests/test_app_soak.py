"""Soak: a day's work through the real main window — cycles of edit / undo / redo /
re-assess / select — on the sample (2,000 cycles) and on a 10,000-parcel project (300
cycles). No crash, the views stay right, the audit log only grows, and resident memory
grows by less than 50 MB."""

import resource
from decimal import Decimal

import pytest
import shapely

pytestmark = [pytest.mark.gui, pytest.mark.slow]
GROWTH_MB = 50


def rss_mb() -> float:
    """Current resident memory (Linux /proc; the peak elsewhere)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * resource.getpagesize() / 2**20
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cycles(doc, window, qapp, count: int, *, warm: int = 20) -> float:
    """``count`` cycles; returns the RSS growth (MB) after ``warm`` warm-up cycles."""
    model = window.table.model
    col = model.column_of("address")
    area_col = model.column_of("declared_area")
    n = len(doc.project)
    start = None
    audit = len(doc.project.audit)
    for k in range(count + warm):
        if k == warm:
            qapp.processEvents()
            start = rss_mb()
        row = (k * 7) % n
        p = doc.project.parcels[row]
        model.setData(model.index(row, col), f"示例路{k % 50}号")                       # edit
        window.a_undo.trigger()                                                         # undo
        window.a_redo.trigger()                                                         # redo
        if k % 5 == 0:                                                                  # an edit that changes the tax
            model.setData(model.index(row, area_col), f"{1000 + k % 97}.5")
        doc.assess_stale()                                                              # re-assess what is stale
        doc.selection.set([p.uid])                                                      # select
        stored = doc.project.current_result(p.uid)
        assert stored is not None and f"{stored.result.due:,.2f}" in window.assessment.html()
        assert len(doc.project.audit) > audit
        audit = len(doc.project.audit)
        if k % 50 == 0:
            qapp.processEvents()
    qapp.processEvents()
    return rss_mb() - start


def test_soak_sample_2000_cycles(make_window, qapp):
    doc, window = make_window()
    window.files.open_sample()
    doc.recovery = None                    # autosave is a save; timed and tested elsewhere
    growth = cycles(doc, window, qapp, 2000)
    assert len(doc.project) == 12 and not doc.project.stale()
    assert window.results.model.rowCount() == 12
    total = sum((doc.project.current_result(p.uid).due for p in doc.project.parcels), Decimal(0))
    assert window.results.model.total == total
    assert growth < GROWTH_MB, f"resident memory grew {growth:.1f} MB"


def test_soak_10000_parcels_300_cycles(make_window, qapp):
    from desktop.commands import AddParcels
    from zones.project import new_parcel

    doc, window = make_window()
    doc.recovery = None
    e0, n0 = 560_000.0, 3_098_000.0           # a 100 × 100 grid of 30 m lots around the urban core
    parcels = [new_parcel(shapely.box(e0 + 40 * i, n0 + 40 * j, e0 + 40 * i + 30, n0 + 40 * j + 30), "测试录入员",
                          {"parcel_no": f"P{i:03d}{j:03d}"}) for i in range(100) for j in range(100)]
    doc.stack.push(AddParcels(doc, parcels, "import"))
    window.a_assess.trigger()                  # a large import waits for "assess all" (synchronous runner here)
    qapp.processEvents()
    assert len(doc.project) == 10_000 and not doc.project.stale()
    growth = cycles(doc, window, qapp, 300)
    assert not doc.project.stale() and window.results.model.rowCount() == 10_000
    assert growth < GROWTH_MB, f"resident memory grew {growth:.1f} MB"
