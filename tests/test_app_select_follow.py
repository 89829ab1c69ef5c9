"""Selecting a parcel, the way an officer clicks one in the parcel table: the results table
moves to its row (found by a search in the project's order, not a scan of a district's rows),
the map shows the grade pieces its stored result keeps (one path per grade, the result's own
outlines), and a parcel without a current result has no results row."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt


@pytest.mark.gui
def test_a_click_in_the_parcel_table_moves_every_view_to_that_parcel(make_window, qtbot):
    doc, window = make_window()
    window.files.open_sample()
    pr = doc.project
    table, results = window.table, window.results
    for row in (9, 0, 11, 4):
        p = pr.parcels[row]
        index = table.model.index(row, 1)
        table.view.scrollTo(index)
        qtbot.mouseClick(table.view.viewport(), Qt.MouseButton.LeftButton, pos=table.view.visualRect(index).center())
        qtbot.waitUntil(lambda: doc.selection.uids == [p.uid], timeout=2000)
        r = results.model.row_of(p.uid)
        assert results.model.uids[r] == p.uid
        shown = results.view.visualRect(results.proxy.mapFromSource(results.model.index(r, 0)))
        assert shown.isValid() and results.view.viewport().rect().intersects(shown)     # scrolled into view
        stored = pr.current_result(p.uid)
        grades = sorted({g for g, _ in stored.pieces})
        assert window.canvas.view.pieces.grades == grades
        assert len(window.canvas.view.pieces.collection.get_paths()) == len(grades)
    p = pr.parcels[3]
    pr.edit(3, who="测试录入员", attrs={"declared_area": "10.00"})    # not re-assessed yet: no current result
    assert pr.current_result(p.uid) is None
    results.model.reset()
    assert results.model.row_of(p.uid) == -1 and p.uid not in results.model.uids
    assert results.model.row_of("no-such-parcel") == -1
    doc.selection.set([p.uid])
    assert window.canvas.view.pieces.grades == []
