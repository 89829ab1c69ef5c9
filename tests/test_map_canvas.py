"""The map widget driven as a person would: clicks at the pixels of known map points,
the wheel, keys; checks the signals it emits."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import shapely  # noqa: E402
from PySide6.QtCore import QPoint, QPointF, Qt  # noqa: E402
from PySide6.QtGui import QWheelEvent  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from desktop.map.map_canvas import MapCanvas  # noqa: E402
from desktop.map.tools import Finished, Selected  # noqa: E402
from tests.synthetic import X0, Y0, box, city  # noqa: E402

pytestmark = pytest.mark.gui


@pytest.fixture
def canvas(qtbot):
    w = MapCanvas()
    qtbot.addWidget(w)
    w.resize(900, 700)
    w.show()
    qtbot.waitExposed(w)
    w.set_zoneset(city())
    w.set_parcels([box(100, 100, 300, 200), box(400, 100, 500, 300), box(1200, 400, 1400, 600)],
                  ["A", "B", "C"], [set(), {"near_boundary"}, set()])
    w._resized()  # settle the size now rather than after the resize debounce
    w.zoom_to((X0, Y0, X0 + 1000, Y0 + 600))
    return w


def pos(w, x, y) -> QPoint:
    """Widget pixel of map point (X0 + x, Y0 + y)."""
    return w.map_to_widget(X0 + x, Y0 + y).toPoint()


def test_map_to_widget_round_trip(canvas):
    p = canvas.map_to_widget(X0 + 250, Y0 + 150)
    x, y = canvas.widget_to_map(p)
    assert x == pytest.approx(X0 + 250, abs=1e-6) and y == pytest.approx(Y0 + 150, abs=1e-6)


def test_drawing_a_rectangle_by_clicks_and_enter(canvas, qtbot):
    canvas.set_tool("draw")
    px = canvas.view.pixel_size()
    # corners 60 px × 30 px apart; the drawn corners are the clicked pixels' map points
    corners = [(600, 300), (600 + 60 * px, 300), (600 + 60 * px, 300 + 30 * px), (600, 300 + 30 * px)]
    for x, y in corners:
        qtbot.mouseClick(canvas.canvas, Qt.MouseButton.LeftButton, pos=pos(canvas, x, y))
    assert len(canvas.tool.vertices) == 4
    with qtbot.waitSignal(canvas.toolFinished) as blocker:
        qtbot.keyClick(canvas.canvas, Qt.Key.Key_Return)
    result = blocker.args[0]
    assert isinstance(result, Finished)
    assert result.area_m2 == pytest.approx(60 * px * 30 * px, rel=0.05)  # within a pixel's rounding
    assert result.by_grade[1] == pytest.approx(result.area_m2)


def test_snapped_drawing_has_exact_area(canvas, qtbot):
    """With snapping, clicks near the corners of parcel A trace it exactly: 200 m × 100 m."""
    canvas.set_tool("draw")
    canvas.set_snapping(True)
    results = []
    canvas.toolFinished.connect(results.append)
    for x, y in [(100, 100), (300, 100), (300, 200), (100, 200)]:
        qtbot.mouseClick(canvas.canvas, Qt.MouseButton.LeftButton, pos=pos(canvas, x + 1.3, y - 1.1))
    qtbot.keyClick(canvas.canvas, Qt.Key.Key_Return)
    assert len(results) == 1 and round(results[0].area_m2, 2) == 20000.00
    assert results[0].geometry.equals(box(100, 100, 300, 200))


def test_escape_cancels_a_drawing(canvas, qtbot):
    canvas.set_tool("draw")
    qtbot.mouseClick(canvas.canvas, Qt.MouseButton.LeftButton, pos=pos(canvas, 600, 300))
    qtbot.mouseMove(canvas.canvas, pos=pos(canvas, 700, 350))
    assert canvas.tool.busy
    with qtbot.waitSignal(canvas.toolFinished):
        qtbot.keyClick(canvas.canvas, Qt.Key.Key_Escape)
    assert not canvas.tool.busy


def test_select_click_emits_the_parcel_index(canvas, qtbot):
    canvas.set_tool("select")
    with qtbot.waitSignal(canvas.parcelClicked) as blocker:
        qtbot.mouseClick(canvas.canvas, Qt.MouseButton.LeftButton, pos=pos(canvas, 450, 250))
    assert blocker.args == [1]
    with qtbot.waitSignal(canvas.parcelClicked) as blocker:
        qtbot.mouseClick(canvas.canvas, Qt.MouseButton.LeftButton, pos=pos(canvas, 700, 500))
    assert blocker.args == [None]
    with qtbot.waitSignal(canvas.toolFinished) as blocker:
        qtbot.mouseClick(canvas.canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier,
                         pos(canvas, 200, 150))
    assert blocker.args[0] == Selected((0,), "add", clicked=True)


def test_wheel_zooms_about_the_cursor(canvas, qtbot):
    before = canvas.view.pixel_size()
    at = pos(canvas, 450, 250)
    event = QWheelEvent(QPointF(at), QPointF(canvas.canvas.mapToGlobal(at)), QPoint(0, 0), QPoint(0, 120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    with qtbot.waitSignal(canvas.viewChanged):
        QApplication.sendEvent(canvas.canvas, event)
    assert canvas.view.pixel_size() == pytest.approx(before / 1.25)
    # the map point under the cursor has not moved
    assert canvas.widget_to_map(QPointF(at))[0] == pytest.approx(X0 + 450, abs=before)


def test_cursor_position_is_reported_in_map_coordinates(canvas, qtbot):
    with qtbot.waitSignal(canvas.cursorMoved) as blocker:
        qtbot.mouseMove(canvas.canvas, pos=pos(canvas, 450, 250))
    x, y = blocker.args
    px = canvas.view.pixel_size()
    assert abs(x - (X0 + 450)) <= px and abs(y - (Y0 + 250)) <= px
    assert canvas.describe_position(x, y)[4] == 1


def test_layer_visibility_and_hit_test(canvas):
    assert canvas.hit_test(X0 + 450, Y0 + 250) == 1
    canvas.set_layer_visible("parcels", False)
    assert not canvas.view.parcels.collection.get_visible()
    assert canvas.hit_test(X0 + 450, Y0 + 250) is None
    canvas.set_layer_visible("parcels", True)
    for name in ("zones", "districts", "reference_lines", "accuracy_band"):
        canvas.set_layer_visible(name, False)
        assert not canvas.view.layer_visible(name)


def test_zoom_to_selection_and_parcels(canvas):
    canvas.set_selection([2])
    canvas.zoom_to_selection()
    x0, y0, x1, y1 = canvas.view.bounds
    assert x0 < X0 + 1200 and x1 > X0 + 1400 and x1 - x0 < 1000
    canvas.zoom_to_parcels()
    x0, y0, x1, y1 = canvas.view.bounds
    assert x0 <= X0 + 100 and x1 >= X0 + 1400


def test_ten_thousand_random_parcels_draw_as_few_artists(canvas, tmp_path):
    rng = np.random.default_rng(1)
    x, y = X0 + rng.uniform(0, 2000, 10_000), Y0 + rng.uniform(0, 2000, 10_000)
    canvas.set_parcels(list(shapely.box(x, y, x + 8, y + 8)), [str(i) for i in range(10_000)])
    canvas.zoom_to_parcels()
    out = canvas.render_to_png(tmp_path / "map.png")
    assert os.path.getsize(out) > 10_000
    assert len(canvas.view.ax.get_children()) < 60


def test_unknown_tool_is_refused(canvas):
    with pytest.raises(KeyError):
        canvas.set_tool("lasso")
    for name in ("pan", "zoom", "select", "draw", "hole", "edit"):
        canvas.set_tool(name)
        assert canvas.tool.name == name
