"""Finding a place and a parcel, going to a typed position and measuring, as a person does:
typing in the search box (Chinese through the input method), Enter or a click in the list,
Ctrl+G, the M key and clicks on the map; asserting what the map and status bar show."""

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from zones.gazetteer import load_gazetteer

pytestmark = pytest.mark.gui


def type_chinese(widget, text):
    """What a Chinese input method does: commit the composed characters to the widget."""
    for ch in text:
        ev = QInputMethodEvent("", [])
        ev.setCommitString(ch)
        QApplication.sendEvent(widget, ev)


def inside(bounds, outer):
    return outer[0] <= bounds[0] and outer[1] <= bounds[1] and bounds[2] <= outer[2] and bounds[3] <= outer[3]


def click_map(qtbot, window, x, y, **kw):
    pt = window.canvas.map_to_widget(x, y)
    qtbot.mouseClick(window.canvas.canvas, Qt.MouseButton.LeftButton, pos=QPoint(round(pt.x()), round(pt.y())), **kw)


def test_find_a_road_by_name_and_enter(make_window, qtbot):
    _doc, window = make_window()
    box = window.find.box
    # the offscreen platform has no active window, so shortcuts cannot fire: trigger the
    # action the shortcut is bound to
    assert window.a_find.shortcut().toString() == "Ctrl+F"
    window.a_find.trigger()
    type_chinese(box, "车站大道")
    popup = box.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    rows = [box.model.item(i).text() for i in range(box.model.rowCount())]
    assert rows[0] == "车站大道  [道路 · ±30 m]"
    assert any(r.startswith("车站大道与温州大道路口") for r in rows)
    qtbot.keyClick(box, Qt.Key.Key_Return)
    road = load_gazetteer().search("车站大道")[0].place
    view = window.canvas.view.bounds
    assert inside(road.bounds, view) and (view[2] - view[0]) < 2000     # the road fills the view
    assert window.find.marker.point == (road.x, road.y)
    message = window.statusBar().currentMessage()
    assert message.startswith("车站大道（道路）：位置约 ±30 m") and "来源" in message


def test_find_a_parcel_by_taxpayer_and_click_it_in_the_list(make_window, qtbot):
    doc, window = make_window()
    window.files.open_sample()
    target = doc.project.parcels[2]
    name = target.get("taxpayer_name")
    box = window.find.box
    box.setFocus()
    type_chinese(box, name)
    popup = box.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    index = next(box.model.index(i, 0) for i in range(box.model.rowCount())
                 if box.model.item(i).data(Qt.ItemDataRole.UserRole + 1).parcel_uid == target.uid)
    rect = popup.visualRect(popup.model().index(index.row(), 0))
    qtbot.mouseClick(popup.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert doc.selection.uids == [target.uid]
    x0, y0, x1, y1 = target.geometry.bounds
    assert inside((x0, y0, x1, y1), window.canvas.view.bounds)
    assert window.find.marker.point is None
    assert target.get("parcel_no") in window.statusBar().currentMessage()


def test_find_a_parcel_by_number_typed_on_the_keyboard(make_window, qtbot):
    doc, window = make_window()
    window.files.open_sample()
    target = doc.project.parcels[1]
    window.find.box.setFocus()
    qtbot.keyClicks(window.find.box, target.get("parcel_no"))
    qtbot.keyClick(window.find.box, Qt.Key.Key_Return)
    assert doc.selection.uids == [target.uid]


def test_nothing_found_is_said(make_window, qtbot):
    _doc, window = make_window()
    window.find.box.setFocus()
    qtbot.keyClicks(window.find.box, "zzzz")
    qtbot.keyClick(window.find.box, Qt.Key.Key_Return)
    assert window.statusBar().currentMessage() == "没有找到“zzzz”"


def test_go_to_a_typed_position_with_ctrl_g(make_window, qtbot):
    doc, window = make_window()
    seen = {}

    def fill():
        dlg = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "goto_dialog" and w.isVisible())
        edit = dlg.findChild(type(window.find.box).__mro__[1], "goto_text")
        ok = dlg.buttons.button(QDialogButtonBox.StandardButton.Ok)
        seen["ok_before"] = ok.isEnabled()
        qtbot.keyClicks(edit, "28.014120 120.679501")
        seen["reading"] = dlg.reading.text()
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, fill)
    window.a_goto.trigger()
    assert seen["ok_before"] is False
    assert seen["reading"] == "读作：经纬度 120.679501°E, 28.014120°N（按纬度在前理解）"
    x, y = window.find.marker.point
    assert (x, y) == pytest.approx((566_829.16, 3_100_192.65), abs=3)   # 黎明立交桥 (gazetteer facts)
    cx, cy = window.canvas.view.centre
    assert (cx, cy) == pytest.approx((x, y), abs=1)
    # the interchange is on the grade 1/2 line: which grade, from the zone set's polygons
    import shapely
    zs = doc.zoneset
    grade = next(int(g) for g, geom in zip(zs.grades["grade"], zs.grades.geometry) if geom.contains(shapely.Point(x, y)))
    assert window.statusBar().currentMessage().endswith(" · " + zs.grade_label(grade))


def test_a_position_typed_in_the_search_box(make_window, qtbot):
    _doc, window = make_window()
    window.find.box.setFocus()
    qtbot.keyClicks(window.find.box, "3100192.65 566829.16")
    assert window.find.box.model.item(0).text().startswith("转到 CGCS2000 平面坐标 X=3100192.65 m")
    qtbot.keyClick(window.find.box, Qt.Key.Key_Return)
    assert window.find.marker.point == pytest.approx((566829.16, 3100192.65))


def test_measure_with_the_m_key_and_clicks(make_window, qtbot):
    doc, window = make_window()
    x0, y0 = 566_500.0, 3_099_000.0
    window.canvas.zoom_to((x0 - 50, y0 - 50, x0 + 250, y0 + 250))
    window.canvas.canvas.draw()
    assert window.tool_actions["measure"].shortcut().toString() == "M"
    window.tool_actions["measure"].trigger()
    assert window.canvas.tool_name == "measure" and window.tool_actions["measure"].isChecked()
    assert window.hints.label.text().startswith("量算：依次点击各点")
    for dx, dy in ((0, 0), (150, 0), (150, 200)):
        click_map(qtbot, window, x0 + dx, y0 + dy)
    qtbot.keyClick(window.canvas.canvas, Qt.Key.Key_Return)
    m = window.canvas.tool.measurement()
    # each click lands within half a pixel (≈ 0.25 m here) of where it was aimed
    assert m.length_m == pytest.approx(350.0, abs=1.0) and m.area_m2 == pytest.approx(15000.0, rel=0.01)
    assert window.statusBar().currentMessage() == m.text("zh_CN")
    assert "面积 1" in window.statusBar().currentMessage() and "亩" in window.statusBar().currentMessage()
    assert doc.stack.count() == 0 and len(doc.project) == 0          # measuring changed nothing
    window.grab().save("/tmp/app_measure.png")


def test_tooltips_carry_the_shortcut(make_window):
    _doc, window = make_window()
    assert window.tool_actions["draw"].toolTip() == "绘制地块 (D)"
    assert window.tool_actions["measure"].toolTip() == "量算距离和面积 (M)"
    assert window.a_goto.toolTip() == "转到坐标 (Ctrl+G)"
