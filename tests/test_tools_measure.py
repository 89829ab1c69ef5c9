"""The measure tool fed plain events (no Qt): exact lengths and areas on known shapes,
Backspace/Enter/double-click/Esc, snapping, and the text it shows in both languages."""

import pytest
import shapely

from desktop.map.map_view import MapView
from desktop.map.texts import for_language
from desktop.map.tools import MapEvent, MeasureTool
from desktop.map.tools.measure import M2_PER_MU, measure
from tests.synthetic import X0, Y0, city


@pytest.fixture
def view():
    v = MapView(width_px=800, height_px=600)
    v.set_zoneset(city())
    v.zoom_to((X0 - 50, Y0 - 50, X0 + 1250, Y0 + 700))
    return v


def click(tool, x, y, **kw):
    return tool.press(MapEvent(X0 + x, Y0 + y, **kw)) or tool.release(MapEvent(X0 + x, Y0 + y, **kw))


def test_a_3_4_5_triangle(view):
    tool = MeasureTool(view)
    assert click(tool, 0, 0) is None
    tool.move(MapEvent(X0 + 300, Y0, button=""))
    m = tool.measurement()
    assert m.length_m == pytest.approx(300.0) and m.area_m2 is None
    assert tool.overlay().text == "距离 300.00 m"
    click(tool, 300, 0)
    click(tool, 300, 400)
    m = tool.measurement()
    assert m.length_m == pytest.approx(700.0)
    assert m.area_m2 == pytest.approx(60000.0) and m.perimeter_m == pytest.approx(1200.0)
    assert tool.overlay().text == "距离 700.00 m · 面积 60,000.00 m²（90.00 亩） · 周长 1,200.00 m"
    assert tool.busy


def test_the_cursor_counts_until_enter_ends_and_the_result_stays(view):
    tool = MeasureTool(view)
    for x, y in [(0, 0), (100, 0), (100, 50)]:
        click(tool, x, y)
    tool.move(MapEvent(X0, Y0 + 50, button=""))          # the cursor closes a 100 × 50 rectangle
    assert tool.measurement().area_m2 == pytest.approx(5000.0)
    assert tool.key("enter") is None                    # measuring changes nothing: no result to apply
    assert not tool.busy
    m = tool.measurement()                              # the cursor is no longer part of it
    assert m.area_m2 == pytest.approx(2500.0) and m.length_m == pytest.approx(150.0)
    tool.move(MapEvent(X0 + 900, Y0 + 600, button=""))  # moving after the end changes nothing
    assert tool.measurement() == m
    click(tool, 10, 10)                                 # the next click starts a new measurement
    assert tool.points == [(X0 + 10, Y0 + 10)]


def test_backspace_double_click_and_escape(view):
    tool = MeasureTool(view)
    for x, y in [(0, 0), (30, 40), (500, 500)]:
        click(tool, x, y)
    tool.key("backspace")
    assert tool.points == [(X0, Y0), (X0 + 30, Y0 + 40)]
    tool.move(MapEvent(X0 + 30, Y0 + 40, button=""))   # the cursor back on the last point
    assert tool.measurement().length_m == pytest.approx(50.0)
    click(tool, 30, 140, dblclick=True)                 # a double-click adds its point and ends
    assert not tool.busy and tool.measurement().length_m == pytest.approx(150.0)
    tool.key("escape")
    assert tool.measurement() is None and tool.overlay().lines == []


def test_a_crossing_outline_is_flagged(view):
    m = measure([(0, 0), (100, 100), (100, 0), (0, 100)])   # a bow tie
    assert not m.valid and m.area_m2 == pytest.approx(5000.0)
    assert m.text().endswith("图形自相交")


def test_snapping_lands_on_a_parcel_vertex(view):
    view.set_parcels([shapely.box(X0 + 100, Y0 + 100, X0 + 200, Y0 + 150)], ["p"])
    view.snapping = True
    tool = MeasureTool(view)
    click(tool, 102, 101)                     # within 10 px (≈ 17 m) of the corner
    assert tool.points == [(X0 + 100, Y0 + 100)]


def test_english_text(view):
    view.set_texts(for_language("en"))
    tool = MeasureTool(view)
    for x, y in [(0, 0), (0, 100), (M2_PER_MU / 100, 100)]:
        click(tool, x, y)
    tool.key("enter")
    assert tool.overlay().text == "Distance 106.67 m · Area 333.33 m² (0.50 mu) · Perimeter 206.89 m"
