"""Editing parcels with the mouse as staff do, on the main window's map: a hole drawn
by clicks inside the selected parcel, a vertex dragged, a vertex inserted on an edge
and deleted again, a parcel deleted; every change undone and redone with Ctrl+Z and
Ctrl+Shift+Z pressed on the main window. Clicks land on pixels, so the expected
outlines are built from the map points of the pixels clicked (to about 0.1 m here)."""

from decimal import Decimal

import pytest
import shapely
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtWidgets import QDialogButtonBox

from zones.money import area2, fmt_yuan, yuan

pytestmark = pytest.mark.gui
CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


def grade1_corner():
    """A whole-metre point well inside grade 1 (the first sample parcel's centre)."""
    import geopandas as gpd
    from zones.resources import resource
    c = gpd.read_file(resource("samples", "wenzhou_sample.gpkg")).geometry.iloc[0].centroid
    return float(round(c.x)), float(round(c.y))


def pixel(window, x, y) -> QPoint:
    p = window.canvas.map_to_widget(x, y)
    return QPoint(round(p.x()), round(p.y()))


def map_point(window, px: QPoint):
    """The map point a click on widget pixel ``px`` lands on."""
    return window.canvas.widget_to_map(QPointF(px))


def click(qtbot, window, x, y, button=Qt.MouseButton.LeftButton):
    qtbot.mouseClick(window.canvas.canvas, button, pos=pixel(window, x, y))


def drag(qtbot, window, start, end) -> tuple[float, float]:
    """Press at map point ``start``, move to ``end`` in steps, release; returns where it was released."""
    canvas, left = window.canvas.canvas, Qt.MouseButton.LeftButton
    a, b = pixel(window, *start), pixel(window, *end)
    qtbot.mousePress(canvas, left, pos=a)
    for k in (1, 2, 3):
        qtbot.mouseMove(canvas, pos=a + (b - a) * k / 4)
    qtbot.mouseMove(canvas, pos=b)
    qtbot.mouseRelease(canvas, left, pos=b)
    return map_point(window, b)


def undo(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)


def redo(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL | SHIFT)


@pytest.fixture
def rectangle(make_window, qtbot):
    """The main window with one typed 40 m × 50 m parcel (2,000 m², grade 1) selected and
    filling most of the map (about 0.1 m per pixel)."""
    from desktop.dialogs.coordinates_dialog import CoordinatesDialog

    doc, window = make_window()
    e, n = grade1_corner()
    dlg = CoordinatesDialog(doc.zoneset.bounds, window)
    qtbot.addWidget(dlg)
    dlg.set_text("\n".join(f"J{i} {x:.0f} {y:.0f}" for i, (x, y) in
                           enumerate([(n, e), (n, e + 40), (n + 50, e + 40), (n + 50, e)], 1)))
    dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    window.editing.add_typed(dlg)
    window.canvas.zoom_to((e - 20, n - 20, e + 60, n + 70))
    window.canvas.canvas.draw()
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow())
    p = doc.project.parcels[0]
    assert p.geometry.area == 2000.0 and doc.selection.uids == [p.uid]
    return doc, window, e, n


def area_and_due(doc):
    p = doc.project.parcels[0]
    return p.geometry.area, doc.project.current_result(p.uid).result.due


def due_of(area: float) -> Decimal:
    return yuan(area2(area) * 15)   # grade 1, 15 yuan/m², whole year 2024, on the area rounded to 0.01 m²


def test_add_hole_by_clicks(rectangle, qtbot):
    doc, window, e, n = rectangle
    window.tool_actions["hole"].trigger()
    corners = [(e + 10, n + 10), (e + 22, n + 10), (e + 22, n + 20), (e + 10, n + 20)]
    for x, y in corners:
        click(qtbot, window, x, y)
    qtbot.keyClick(window.canvas.canvas, Qt.Key.Key_Return)
    geom = doc.project.parcels[0].geometry
    assert len(geom.interiors) == 1
    hole = shapely.Polygon(geom.interiors[0])
    clicked = shapely.Polygon([map_point(window, pixel(window, x, y)) for x, y in corners])
    assert hole.equals_exact(clicked.normalize(), 1e-9) or hole.normalize().equals_exact(clicked.normalize(), 1e-9)
    assert hole.area == pytest.approx(120.0, abs=3.0)        # the 12 m × 10 m hole, to the pixel
    area, due = area_and_due(doc)
    assert area == pytest.approx(2000.0 - hole.area, abs=1e-9)
    assert due == due_of(area) and fmt_yuan(due) in window.assessment.html()
    undo(qtbot, window)
    assert area_and_due(doc) == (2000.0, Decimal("30000.00"))
    redo(qtbot, window)
    assert area_and_due(doc) == (area, due)


def test_move_a_vertex_by_dragging(rectangle, qtbot):
    doc, window, e, n = rectangle
    window.tool_actions["edit"].trigger()
    end = drag(qtbot, window, (e + 40, n + 50), (e + 50, n + 60))
    expected = shapely.Polygon([(e, n), (e + 40, n), end, (e, n + 50)])
    assert expected.area == pytest.approx(2000 + 0.5 * 10 * 50 + 0.5 * 10 * 40, abs=5)   # two triangles added
    area, due = area_and_due(doc)
    assert area == pytest.approx(expected.area, abs=1e-6) and due == due_of(area)
    edits = [h for h in doc.project.history(doc.project.parcels[0].uid) if h.kind == "edit"]
    assert edits[-1].what.startswith("移动节点")
    undo(qtbot, window)
    assert area_and_due(doc) == (2000.0, Decimal("30000.00"))
    redo(qtbot, window)
    assert area_and_due(doc) == (area, due)


def test_insert_then_delete_a_vertex(rectangle, qtbot):
    doc, window, e, n = rectangle
    window.tool_actions["edit"].trigger()
    end = drag(qtbot, window, (e + 20, n), (e + 20, n - 10))          # press on the south edge, pull it out
    ring = list(doc.project.parcels[0].geometry.exterior.coords)
    assert len(ring) == 6 and any(abs(x - end[0]) < 1e-9 and abs(y - end[1]) < 1e-9 for x, y in ring)
    area, due = area_and_due(doc)
    assert area == pytest.approx(2000 + 0.5 * 40 * (n - end[1]), abs=1e-6) and due == due_of(area)
    click(qtbot, window, *end, button=Qt.MouseButton.RightButton)  # right-click the new vertex: deleted
    assert area_and_due(doc) == (2000.0, Decimal("30000.00"))
    assert len(doc.project.parcels[0].geometry.exterior.coords) == 5
    undo(qtbot, window)                                            # the deletion undone: the vertex is back
    assert area_and_due(doc) == (area, due)
    undo(qtbot, window)                                            # the insertion undone
    assert area_and_due(doc) == (2000.0, Decimal("30000.00"))
    redo(qtbot, window)
    redo(qtbot, window)
    assert area_and_due(doc) == (2000.0, Decimal("30000.00"))
    assert len(doc.project.parcels[0].geometry.exterior.coords) == 5


def test_delete_key_removes_the_hovered_vertex_not_the_parcel(rectangle, qtbot):
    doc, window, e, n = rectangle
    window.tool_actions["edit"].trigger()
    end = drag(qtbot, window, (e + 20, n), (e + 20, n - 10))
    qtbot.mouseMove(window.canvas.canvas, pos=pixel(window, *end))
    qtbot.keyClick(window.canvas.canvas, Qt.Key.Key_Delete)
    assert len(doc.project) == 1 and area_and_due(doc) == (2000.0, Decimal("30000.00"))


def test_delete_a_parcel_picked_on_the_map(rectangle, qtbot):
    doc, window, e, n = rectangle
    uid = doc.project.parcels[0].uid
    doc.selection.set([])
    window.tool_actions["select"].trigger()
    click(qtbot, window, e + 30, n + 30)
    assert doc.selection.uids == [uid]
    qtbot.keyClick(window, Qt.Key.Key_Delete)
    assert len(doc.project) == 0 and window.isWindowModified()
    undo(qtbot, window)
    assert [p.uid for p in doc.project.parcels] == [uid] and area_and_due(doc) == (2000.0, Decimal("30000.00"))
    redo(qtbot, window)
    assert len(doc.project) == 0
