"""Drawing tools fed plain events (no Qt): exact areas, Backspace/Enter/Esc, snapping,
the live grade split and holes. The context is a real Qt-free MapView on the synthetic city."""

import pytest

from desktop.map.map_view import MapView
from desktop.map.tools import Cancelled, Command, DrawHoleTool, DrawPolygonTool, Finished, MapEvent, Rejected
from tests.synthetic import X0, Y0, box, city


@pytest.fixture
def view():
    v = MapView(width_px=800, height_px=600)
    v.set_zoneset(city())
    v.zoom_to((X0 - 50, Y0 - 50, X0 + 1250, Y0 + 700))  # about 1.7 m per pixel
    return v


def click(tool, x, y, **kw):
    return tool.press(MapEvent(X0 + x, Y0 + y, **kw)) or tool.release(MapEvent(X0 + x, Y0 + y, **kw))


def test_rectangle_by_four_clicks_and_enter_is_exactly_5000_m2(view):
    tool = DrawPolygonTool(view)
    for x, y in [(100, 100), (200, 100), (200, 150), (100, 150)]:
        assert click(tool, x, y) is None
    result = tool.key("enter")
    assert isinstance(result, Finished)
    assert round(result.area_m2, 2) == 5000.00
    assert result.geometry.equals(box(100, 100, 200, 150))
    # wholly in grade 1
    assert result.by_grade == {1: 5000.0, 2: 0.0, 3: 0.0} and result.outside_m2 == 0.0
    assert not tool.busy


def test_live_split_follows_the_cursor_across_a_grade_line(view):
    tool = DrawPolygonTool(view)
    for x, y in [(900, 100), (1100, 100), (1100, 150)]:
        click(tool, x, y)
    tool.move(MapEvent(X0 + 900, Y0 + 150, button=""))
    preview = tool.preview()
    assert preview.area_m2 == pytest.approx(10000.0)
    assert preview.by_grade[1] == pytest.approx(5000.0) and preview.by_grade[2] == pytest.approx(5000.0)
    assert tool.overlay().text == "面积 10,000.00 m² · 一级 5,000.00 · 二级 5,000.00"


def test_backspace_removes_the_last_vertex(view):
    tool = DrawPolygonTool(view)
    for x, y in [(100, 100), (200, 100), (999, 999), (200, 150), (100, 150)]:
        click(tool, x, y)
    tool.key("backspace")   # drops (100, 150)
    tool.key("backspace")   # drops (200, 150)
    tool.key("backspace")   # drops the stray (999, 999)
    for x, y in [(200, 150), (100, 150)]:
        click(tool, x, y)
    result = tool.key("enter")
    assert result.area_m2 == 5000.0


def test_escape_cancels_and_forgets_the_vertices(view):
    tool = DrawPolygonTool(view)
    click(tool, 100, 100)
    click(tool, 200, 100)
    assert tool.busy
    assert isinstance(tool.key("escape"), Cancelled)
    assert not tool.busy and tool.vertices == []
    assert tool.key("escape") is None  # nothing to cancel


def test_double_click_finishes_with_the_double_clicked_vertex(view):
    tool = DrawPolygonTool(view)
    for x, y in [(0, 0), (40, 0), (40, 30)]:
        click(tool, x, y)
    # a double-click is a click followed by a second press flagged dblclick
    click(tool, 0, 30)
    result = tool.press(MapEvent(X0, Y0 + 30, dblclick=True))
    assert isinstance(result, Finished) and result.area_m2 == 1200.0


def test_clicking_the_first_vertex_closes_the_outline(view):
    tool = DrawPolygonTool(view)
    for x, y in [(0, 0), (40, 0), (40, 30), (0, 30)]:
        click(tool, x, y)
    px = view.pixel_size()
    result = tool.press(MapEvent(X0 + 2 * px, Y0 + px))  # within 10 px of the first vertex
    assert isinstance(result, Finished) and result.area_m2 == 1200.0


def test_too_few_vertices_and_a_bow_tie_are_rejected(view):
    tool = DrawPolygonTool(view)
    click(tool, 0, 0)
    click(tool, 10, 0)
    assert isinstance(tool.key("enter"), Rejected)
    tool.cancel()
    for x, y in [(0, 0), (100, 100), (100, 0), (0, 100)]:  # self-intersecting
        click(tool, x, y)
    result = tool.key("enter")
    assert isinstance(result, Rejected) and "无效" in result.message
    assert tool.busy  # the drawing stays for the user to fix


def test_snapping_moves_a_click_onto_a_parcel_vertex_within_tolerance(view):
    view.set_parcels([box(300, 300, 400, 380)], ["A"])
    view.snapping = True
    px = view.pixel_size()
    tool = DrawPolygonTool(view, snap_px=10)
    click(tool, 400 + 6 * px, 380 - 5 * px)   # ~8 px from the corner (400, 380)
    assert tool.vertices == [(X0 + 400, Y0 + 380)]
    click(tool, 400 + 30 * px, 380)            # 30 px away: not snapped
    assert tool.vertices[-1] == (X0 + 400 + 30 * px, Y0 + 380)
    view.snapping = False
    tool.cancel()
    click(tool, 400 + 2 * px, 380)
    assert tool.vertices == [(X0 + 400 + 2 * px, Y0 + 380)]


def test_snapping_onto_a_grade_line(view):
    view.snapping = True
    px = view.pixel_size()
    tool = DrawPolygonTool(view, snap_px=10)
    click(tool, 1000 + 4 * px, 500.4)  # near the grade 1 | grade 2 line x = 1000 (vertices every 5 m)
    assert tool.vertices[0] == (X0 + 1000, Y0 + 500)  # the line's vertex nearest the click


def test_draw_hole_returns_a_command_with_the_parcel_before_and_after(view):
    parcel = box(0, 0, 100, 100)
    view.set_parcels([parcel], ["P-1"])
    tool = DrawHoleTool(view)
    assert isinstance(click(tool, 10, 10), Rejected)  # nothing selected
    view.set_selection([0])
    for x, y in [(10, 10), (30, 10), (30, 30), (10, 30)]:
        click(tool, x, y)
    result = tool.key("enter")
    assert isinstance(result, Command) and result.name == "add_hole"
    assert (result.parcel, result.parcel_id, result.part, result.ring) == (0, "P-1", 0, 1)
    assert result.before.equals(parcel)
    assert result.after.area == 10000 - 400
    assert len(result.after.interiors) == 1


def test_hole_outside_the_parcel_is_rejected(view):
    view.set_parcels([box(0, 0, 100, 100)], ["P-1"])
    view.set_selection([0])
    tool = DrawHoleTool(view)
    for x, y in [(90, 90), (120, 90), (120, 120), (90, 120)]:
        click(tool, x, y)
    assert isinstance(tool.key("enter"), Rejected)
