"""Issue 12 leftovers in the real window: the map fitted on the parcels after opening (and kept
fitted when the docks change size), the frozen 宗地号 column as wide as the longest id, and the
parcel table's headings wrapped between words, never elided."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QStyle

pytestmark = pytest.mark.gui


def assert_fitted(window, qtbot) -> None:
    """Every parcel inside the view with a margin on every side, the parcels' bounds centred."""
    view = window.canvas.view
    qtbot.waitUntil(lambda: not window.canvas._resize_timer.isActive(), timeout=3000)
    px0, py0, px1, py1 = view.data_bounds("parcels")
    vx0, vy0, vx1, vy1 = view.bounds
    margin = 0.1 * max(px1 - px0, py1 - py0)                 # a tenth of their extent at least
    assert vx0 <= px0 - margin and vy0 <= py0 - margin and vx1 >= px1 + margin and vy1 >= py1 + margin
    tol = 2 * view.scale                                       # two pixels
    assert abs((vx0 + vx1) / 2 - (px0 + px1) / 2) <= tol and abs((vy0 + vy1) / 2 - (py0 + py1) / 2) <= tol
    # the fit is tight on one axis at least: not the whole tax area with specks in it
    assert (px1 - px0) / (vx1 - vx0) > 0.55 or (py1 - py0) / (vy1 - vy0) > 0.55


def test_opening_the_sample_fits_the_map_on_the_parcels_and_keeps_it_fitted(make_window, qtbot, dialogs, tmp_path):
    doc, window = make_window()
    window.a_sample.trigger()
    assert_fitted(window, qtbot)
    window.a_assess.trigger()                 # the results take half of the window: the map shrinks
    qtbot.waitUntil(lambda: window.extras.results.visible_rows() >= 15)
    assert_fitted(window, qtbot)
    # a saved project opened again (File → Open, Ctrl+O): fitted the same way
    assert window.files.save_as(str(tmp_path / "p.gpkg"))
    window.a_new.trigger()
    dialogs.open_path = str(tmp_path / "p.gpkg")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert len(doc.project) == 12
    assert_fitted(window, qtbot)
    # once the officer zooms, a resize keeps the officer's scale
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas.canvas, Qt.Key.Key_Plus)
    scale = window.canvas.view.scale
    window.resize(1300, 800)
    qtbot.waitUntil(lambda: not window.canvas._resize_timer.isActive(), timeout=3000)
    assert window.canvas.view.scale == pytest.approx(scale)


def id_margin(view) -> int:
    return 2 * (view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1)


def test_frozen_parcel_number_column_shows_long_ids_whole(make_window, qtbot):
    doc, window = make_window(language="en")
    window.a_sample.trigger()
    window.a_assess.trigger()
    view, frozen = window.results.view, window.extras.results.frozen.frozen
    ids = [window.results.proxy.index(r, 0).data() for r in range(window.results.proxy.rowCount())]
    assert min(len(i) for i in ids) >= 18
    fm = view.fontMetrics()
    need = max(fm.horizontalAdvance(i) for i in ids) + id_margin(view)
    assert view.columnWidth(0) >= need and frozen.columnWidth(0) == view.columnWidth(0)
    assert frozen.width() == view.columnWidth(0)
    # a longer id typed into the parcel table: the column follows once the parcel is assessed again
    long_id = "330302001001GB00001-A2024"
    table = window.table.view
    window.bottom_tabs.setCurrentWidget(window.table)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    col = window.table.model.column_of("parcel_no")
    table.scrollTo(table.model().index(0, col))
    rect = table.visualRect(table.model().index(0, col))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.keyClick(table, Qt.Key.Key_F2)                     # F2 edits the cell, its text selected
    editor = QApplication.focusWidget()
    assert editor is not None and editor is not table
    qtbot.keyClicks(editor, long_id)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()
    assert doc.project.parcels[0].get("parcel_no") == long_id
    window.a_assess.trigger()
    assert long_id in [window.results.proxy.index(r, 0).data() for r in range(window.results.proxy.rowCount())]
    assert view.columnWidth(0) >= fm.horizontalAdvance(long_id) + id_margin(view)
    assert frozen.columnWidth(0) == view.columnWidth(0) and frozen.width() == view.columnWidth(0)


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_parcel_table_headings_wrap_between_words(make_window, qtbot, language):
    doc, window = make_window(language=language)
    window.a_sample.trigger()
    window.bottom_tabs.setCurrentWidget(window.table)
    view = window.table.view
    header = view.horizontalHeader()
    model = view.model()
    fm = header.fontMetrics()
    wrapped = 0
    for c in range(model.columnCount()):
        text = model.headerData(c, Qt.Orientation.Horizontal)
        inner = header.text_width(c)
        lines = header.wrapped_lines(c)
        # every line fits the section: nothing elided, nothing runs past the edge
        assert all(fm.horizontalAdvance(line) <= inner for line in lines), (text, lines, inner)
        # the lines are the heading, broken only at a space, after a slash or before a bracket
        assert "".join(lines).replace(" ", "") == text.replace(" ", ""), (text, lines)
        for a, b in zip(lines, lines[1:]):
            at = len(a)
            rest = text[text.index(a) + at:] if a in text else ""
            assert rest.startswith(" ") or a.endswith(("/", "／")) or b.startswith(("(", "（")), (text, lines)
        # the header is tall enough for every line of it
        assert len(lines) * fm.lineSpacing() <= header.height(), (text, lines, header.height())
        wrapped += len(lines) > 1
        assert header.sectionSize(c) == view.columnWidth(c)
    assert wrapped >= 1                                                 # some heading needed two lines
    if language == "en":
        texts = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
        assert "Credit code / ID no." in texts
    # narrowing a column by hand never cuts a word: the section keeps its longest word
    c = next(c for c in range(model.columnCount()) if len(model.headerData(c, Qt.Orientation.Horizontal)) > 8)
    header.resizeSection(c, 10)
    assert header.sectionSize(c) >= header.text_width(c) >= 10
