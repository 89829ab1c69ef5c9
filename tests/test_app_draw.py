"""Drawing a parcel on the map the way a person does: clicks at known map
coordinates, Enter to finish; then its area and amount in the assessment panel."""


import pytest
from PySide6.QtCore import QPoint, Qt

from zones.money import area2, capitals, fmt_yuan, yuan

pytestmark = pytest.mark.gui

# A point well inside grade 1 (the centre of the first sample parcel, ≥ 100 m from every grade line).
def grade1_point():
    import geopandas as gpd
    from zones.resources import resource
    g = gpd.read_file(resource("samples", "wenzhou_sample.gpkg"))
    c = g.geometry.iloc[0].centroid
    return c.x, c.y


def click_map(qtbot, window, x, y, **kw):
    pt = window.canvas.map_to_widget(x, y)
    qtbot.mouseClick(window.canvas.canvas, Qt.MouseButton.LeftButton, pos=QPoint(round(pt.x()), round(pt.y())), **kw)


def draw_square(qtbot, window, cx, cy, half):
    window.canvas.zoom_to((cx - 5 * half, cy - 5 * half, cx + 5 * half, cy + 5 * half))
    window.canvas.canvas.draw()
    window.set_tool("draw")
    for dx, dy in ((-1, -1), (1, -1), (1, 1), (-1, 1)):
        click_map(qtbot, window, cx + dx * half, cy + dy * half)
    qtbot.keyClick(window.canvas.canvas, Qt.Key.Key_Return)


def test_draw_parcel_shows_area_and_amount(make_window, qtbot):
    doc, window = make_window()
    cx, cy = grade1_point()
    draw_square(qtbot, window, cx, cy, 20.0)
    assert len(doc.project) == 1, "Enter finishes the drawing and adds one parcel"
    p = doc.project.parcels[0]
    # pixel rounding moves each corner by less than a pixel (< 0.5 m at this zoom)
    assert p.geometry.area == pytest.approx(1600, rel=0.05)
    stored = doc.project.current_result(p.uid)
    assert stored is not None and [r.grade for r in stored.result.rows] == [1]
    due = yuan(area2(p.geometry.area) * 15)   # whole year 2024, grade 1, 15 yuan/m² on the area to 0.01 m²
    assert stored.result.due == due
    html = window.assessment.html()
    assert f"{area2(p.geometry.area):,.2f}" in html
    assert fmt_yuan(due) in html and capitals(due) in html
    assert doc.selection.uids == [p.uid]
    assert window.isWindowModified()
    window.grab().save("/tmp/app_drawn_parcel.png")


def test_escape_cancels_and_undo_redo(make_window, qtbot):
    doc, window = make_window()
    cx, cy = grade1_point()
    window.canvas.zoom_to((cx - 100, cy - 100, cx + 100, cy + 100))
    window.set_tool("draw")
    click_map(qtbot, window, cx - 20, cy - 20)
    click_map(qtbot, window, cx + 20, cy - 20)
    qtbot.keyClick(window.canvas.canvas, Qt.Key.Key_Escape)
    assert len(doc.project) == 0
    draw_square(qtbot, window, cx, cy, 20.0)
    assert len(doc.project) == 1
    window.a_undo.trigger()
    assert len(doc.project) == 0 and not window.isWindowModified()
    window.a_redo.trigger()
    assert len(doc.project) == 1 and doc.project.current_result(doc.project.parcels[0].uid) is not None
