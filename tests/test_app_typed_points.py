"""The typed-parcel dialog (录入界址点坐标) filled cell by cell from the keyboard, as an officer
copies a surveyor's table: clicks into cells, keys, Tab and Enter. Wrong cells (letters, an
ideographic full stop, an empty Y, a 点号 without coordinates) are reported naming the row;
full-width digits from the input method read as the digits they are; the parcel keeps the
points in the order and under the names typed (J1 NW, J2 NE, J3 SE, J4 SW)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from zones.report.content import boundary_rings

pytestmark = pytest.mark.gui


def on_modal(act, errors: list) -> None:
    """Run ``act(dialog)`` on the next modal dialog as soon as it is shown (it is rejected on failure)."""
    def poll():
        dlg = QApplication.activeModalWidget()
        if dlg is None:
            QTimer.singleShot(20, poll)
            return
        try:
            act(dlg)
        except BaseException as exc:     # never leave a modal dialog open: the test would hang
            errors.append(exc)
        if dlg.isVisible():
            errors.append(AssertionError(f"the dialog stayed open: {dlg.message.text()}"))
            dlg.reject()
    QTimer.singleShot(0, poll)


def click_cell(qtbot, table, row: int, col: int) -> None:
    index = table.model().index(row, col)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(index).center())
    assert table.currentIndex() == index


def focused_editor(table):
    editor = QApplication.focusWidget()
    assert editor is not None and editor is not table and table.isAncestorOf(editor)
    return editor


def type_text(qtbot, table, text: str) -> None:
    """Into the current cell: the first key opens its editor (as typing into a table does), the
    rest go to the editor. Full-width digits arrive from the input method as committed text."""
    if text.isascii():
        qtbot.keyClick(table, text[0])
        qtbot.keyClicks(focused_editor(table), text[1:])
    else:
        qtbot.keyClick(table, Qt.Key.Key_F2)
        event = QInputMethodEvent()
        event.setCommitString(text)
        QApplication.sendEvent(focused_editor(table), event)


def type_row(qtbot, table, row: int, cells: list[str]) -> None:
    """A click into the row's 点号 cell, then 点号 Tab X Tab Y Enter."""
    click_cell(qtbot, table, row, 0)
    for k, text in enumerate(cells):
        if k:
            assert table.currentIndex().row() == row and table.currentIndex().column() == k
        if text:
            type_text(qtbot, table, text)
        key = Qt.Key.Key_Tab if k < len(cells) - 1 else Qt.Key.Key_Return
        qtbot.keyClick(QApplication.focusWidget(), key)       # Tab: on to the next cell; Enter: done
        QApplication.processEvents()
        if k < len(cells) - 1 and QApplication.focusWidget() is not table:
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)   # the next cell's editor: typed anew
            QApplication.processEvents()


def retype(qtbot, table, row: int, col: int, text: str) -> None:
    click_cell(qtbot, table, row, col)
    type_text(qtbot, table, text)            # typing into a cell replaces what it held
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    QApplication.processEvents()


def full_width(text: str) -> str:
    return text.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789."})


def test_typing_the_point_table_cell_by_cell(make_window, qtbot):
    doc, window = make_window()
    window.files.open_sample()
    c = doc.project.parcels[0].geometry.centroid
    n, e = round(c.y) + 400, round(c.x)                    # X: northing, Y: easting (survey order)
    nw, ne, se, sw = (n + 50.5, e), (n + 50.5, e + 40), (n, e + 40), (n, e)
    seen: dict = {}
    errors: list = []

    def fill(dlg):
        table = dlg.table
        dlg.activateWindow()
        qtbot.waitUntil(dlg.isActiveWindow)
        qtbot.mouseClick(dlg.parcel_no, Qt.MouseButton.LeftButton)
        qtbot.keyClicks(dlg.parcel_no, "330302001001GB09998")
        type_row(qtbot, table, 0, ["J1", f"{nw[0]}", f"{nw[1]}"])
        type_row(qtbot, table, 1, ["J2", f"{ne[0]}".replace("0", "O", 1), f"{ne[1]}"])    # a letter O for a 0
        type_row(qtbot, table, 2, ["J3", f"{se[0]}", full_width(f"{se[1]}")])          # 全角 digits
        type_row(qtbot, table, 3, ["J4", f"{sw[0]}"])                                  # Y left empty
        check = dlg.check_button
        qtbot.mouseClick(check, Qt.MouseButton.LeftButton)
        seen["letter"] = dlg.message.text()
        retype(qtbot, table, 1, 1, f"{ne[0]}".replace(".", "。") if "." in f"{ne[0]}" else f"{ne[0]}。0")
        qtbot.mouseClick(check, Qt.MouseButton.LeftButton)
        seen["stop"] = dlg.message.text()
        retype(qtbot, table, 1, 1, f"{ne[0]}")
        qtbot.mouseClick(check, Qt.MouseButton.LeftButton)
        seen["empty"] = dlg.message.text()
        retype(qtbot, table, 3, 2, f"{sw[1]}")
        type_row(qtbot, table, 4, ["J5"])                                              # a name, no coordinates
        qtbot.mouseClick(check, Qt.MouseButton.LeftButton)
        seen["nameless"] = dlg.message.text()
        seen["ok_refused"] = dlg.polygon is None
        click_cell(qtbot, table, 4, 0)                                                 # the slip removed:
        qtbot.keyClick(table, Qt.Key.Key_F2)                                           # F2 selects the text,
        qtbot.keyClick(focused_editor(table), Qt.Key.Key_Backspace)                    # Backspace clears it
        qtbot.keyClick(focused_editor(table), Qt.Key.Key_Return)
        QApplication.processEvents()
        qtbot.mouseClick(check, Qt.MouseButton.LeftButton)
        seen["done"] = dlg.message.text()
        seen["cells"] = [[(table.item(r, c).text() if table.item(r, c) else "") for c in range(3)]
                         for r in range(table.rowCount())]
        qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)

    on_modal(fill, errors)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.canvas.canvas, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    import traceback
    assert not errors, "".join(traceback.format_exception(errors[0])) + str(seen)
    assert seen["letter"] == "✗ 第 2 行：X、Y 必须是数字"
    assert seen["stop"] == "✗ 第 2 行：X、Y 必须是数字"                  # 。 is not a decimal point
    assert seen["empty"] == "✗ 第 4 行：X、Y 必须是数字"                 # the empty Y, by its row
    assert seen["nameless"] == "✗ 第 5 行：X、Y 必须是数字" and seen["ok_refused"]   # J5 not dropped silently
    assert seen["done"].endswith("面积 2,020.00 m²，4 个界址点。")
    p = doc.project.parcels[-1]
    assert p.get("parcel_no") == "330302001001GB09998" and doc.selection.uids == [p.uid]
    assert p.geometry.area == pytest.approx(2020.0, abs=1e-6)               # 50.5 m × 40 m, exactly
    assert "2,020.00" in window.assessment.html()
    # the points in the order and under the names typed: J1 NW, J2 NE, J3 SE, J4 SW
    assert p.point_names == ("J1", "J2", "J3", "J4")
    coords = list(p.geometry.exterior.coords)[:-1]
    assert coords == [(nw[1], nw[0]), (ne[1], ne[0]), (se[1], se[0]), (sw[1], sw[0])]
    ring = boundary_rings(p.geometry, p.point_names)[0]
    assert [(pt.label, pt.x_north, pt.y_east) for pt in ring.points] == [("J1", *nw), ("J2", *ne), ("J3", *se),
                                                                            ("J4", *sw)]
