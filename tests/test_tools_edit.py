"""Vertex editing and navigation/selection tools fed plain events (no Qt)."""

import pytest
import shapely

from desktop.map.map_view import MapView
from desktop.map.tools import (Cancelled, Command, EditVerticesTool, MapEvent, Pan, PanTool, Rejected, Selected,
                               SelectTool, ZoomBoxTool, ZoomTo)
from tests.synthetic import X0, Y0, box, city


@pytest.fixture
def view():
    v = MapView(width_px=800, height_px=600)
    v.set_zoneset(city())
    v.set_parcels([box(0, 0, 100, 50), box(200, 0, 300, 50), box(0, 200, 50, 250)], ["A", "B", "C"])
    v.zoom_to((X0 - 50, Y0 - 50, X0 + 350, Y0 + 300))
    return v


def ev(x, y, **kw):
    return MapEvent(X0 + x, Y0 + y, **kw)


def test_drag_a_vertex_gives_a_move_command_with_old_and_new(view):
    view.set_selection([0])
    tool = EditVerticesTool(view)
    px = view.pixel_size()
    assert tool.press(ev(100 + 2 * px, 50 - px)) is None   # grabs the corner (100, 50)
    tool.move(ev(120, 70, button=""))
    assert tool.busy
    cmd = tool.release(ev(120, 70))
    assert isinstance(cmd, Command) and cmd.name == "move_vertex"
    assert (cmd.parcel, cmd.parcel_id, cmd.part, cmd.ring) == (0, "A", 0, 0)
    assert cmd.old == (X0 + 100, Y0 + 50) and cmd.new == (X0 + 120, Y0 + 70)
    assert cmd.before.equals(box(0, 0, 100, 50))
    coords = list(cmd.after.exterior.coords)
    assert (X0 + 120, Y0 + 70) in coords and (X0 + 100, Y0 + 50) not in coords
    assert cmd.after.area == pytest.approx(5000 + 0.5 * 20 * 100 + 0.5 * 20 * 50)


def test_press_on_an_edge_inserts_a_vertex(view):
    view.set_selection([0])
    tool = EditVerticesTool(view)
    tool.press(ev(50, 0.5))         # on the bottom edge, far from its corners
    cmd = tool.release(ev(50, -20))  # dragged outwards
    assert cmd.name == "insert_vertex" and cmd.old is None and cmd.new == (X0 + 50, Y0 - 20)
    assert len(cmd.after.exterior.coords) == len(cmd.before.exterior.coords) + 1
    assert cmd.after.area == pytest.approx(5000 + 0.5 * 100 * 20)


def test_delete_a_vertex_by_right_click_and_by_key(view):
    view.set_parcels([shapely.Polygon([(X0, Y0), (X0 + 100, Y0), (X0 + 100, Y0 + 50), (X0 + 50, Y0 + 80),
                                       (X0, Y0 + 50)])], ["P"])
    view.set_selection([0])
    tool = EditVerticesTool(view)
    cmd = tool.press(ev(50, 80, button="right"))
    assert cmd.name == "delete_vertex" and cmd.old == (X0 + 50, Y0 + 80) and cmd.new is None
    assert cmd.after.area == 5000
    tool.move(ev(50, 80, button=""))   # hover the vertex, then Delete
    cmd2 = tool.key("delete")
    assert cmd2.name == "delete_vertex" and cmd2.index == cmd.index


def test_a_triangle_keeps_its_three_vertices(view):
    view.set_parcels([shapely.Polygon([(X0, Y0), (X0 + 100, Y0), (X0, Y0 + 100)])], ["T"])
    view.set_selection([0])
    result = EditVerticesTool(view).press(ev(100, 0, button="right"))
    assert isinstance(result, Rejected)


def test_escape_abandons_a_drag_and_nothing_without_selection(view):
    tool = EditVerticesTool(view)
    assert isinstance(tool.press(ev(100, 50)), Rejected)
    view.set_selection([0])
    tool.press(ev(100, 50))
    tool.move(ev(130, 90, button=""))
    assert isinstance(tool.key("escape"), Cancelled)
    assert tool.release(ev(130, 90)) is None


def test_pan_keeps_the_grabbed_point_under_the_cursor(view):
    tool = PanTool(view)
    tool.press(ev(100, 100))
    result = tool.move(ev(130, 90, button=""))
    assert result == Pan(-30.0, 10.0)
    assert tool.release(ev(130, 90)) == Pan(-30.0, 10.0)
    assert tool.move(ev(0, 0, button="")) is None


def test_zoom_box_and_click_zoom(view):
    tool = ZoomBoxTool(view)
    tool.press(ev(0, 0))
    tool.move(ev(100, 80, button=""))
    assert tool.overlay().box == (X0, Y0, X0 + 100, Y0 + 80)
    assert tool.release(ev(100, 80)) == ZoomTo((X0, Y0, X0 + 100, Y0 + 80))
    tool.press(ev(10, 10))
    w, h = view.view_size_px()
    bounds = tool.release(ev(10, 10)).bounds
    assert bounds[2] - bounds[0] == pytest.approx(w * view.pixel_size() / 2)


def test_select_click_box_and_modifiers(view):
    tool = SelectTool(view)
    tool.press(ev(250, 25))
    assert tool.release(ev(250, 25)) == Selected((1,), "replace", clicked=True)
    tool.press(ev(150, 150, modifiers=frozenset({"shift"})))
    assert tool.release(ev(150, 150)) == Selected((), "add", clicked=True)
    tool.press(ev(-10, -10, modifiers=frozenset({"ctrl"})))
    assert tool.release(ev(260, 60)) == Selected((0, 1), "toggle")
