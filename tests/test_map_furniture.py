"""The map's cached pictures: the zone fills as a raster reused while panning, the
legend/caption/scale bar/north arrow as pre-drawn images, the pan drag that shifts
the last picture, the compact legend in the lower left, and the first view on the
urban core. Pixels are read back from the rendered canvas at known map points."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from PySide6.QtCore import QPoint, Qt  # noqa: E402

from desktop.map.map_canvas import MapCanvas  # noqa: E402
from desktop.map.map_view import MapView  # noqa: E402
from tests.synthetic import X0, Y0, box, city  # noqa: E402


def pixel_at(view, x, y):
    """RGBA of the drawn figure at map point (x, y)."""
    buf = np.asarray(view.figure.canvas.buffer_rgba())
    px, py = view.ax.transData.transform((x, y))
    return buf[buf.shape[0] - 1 - int(py), int(px)]


@pytest.fixture
def view():
    v = MapView(width_px=800, height_px=600)
    FigureCanvasAgg(v.figure)
    v.set_zoneset(city())
    v.zoom_to((X0 - 100, Y0 - 100, X0 + 2100, Y0 + 2100))
    return v


def reddish(rgba) -> bool:
    r, g, b = (int(c) for c in rgba[:3])
    return r > g + 30 and r > b + 30


def greenish(rgba) -> bool:
    r, g, b = (int(c) for c in rgba[:3])
    return g > r and g > b


def test_zone_raster_sits_where_the_zones_are(view):
    view.figure.canvas.draw()
    # grade 1 (south-west square) is salmon, grade 3 (northern strip) pale green: a raster
    # pasted upside down or shifted would swap or miss them
    for dx, dy in ((300, 300), (700, 200), (200, 800)):
        assert reddish(pixel_at(view, X0 + dx, Y0 + dy)), (dx, dy)
    for dx, dy in ((300, 1700), (1500, 1300)):
        assert greenish(pixel_at(view, X0 + dx, Y0 + dy)), (dx, dy)
    assert tuple(pixel_at(view, X0 + 2050, Y0 - 50)[:3]) == (255, 255, 255)   # outside every grade


def test_zone_raster_is_reused_while_panning_and_redrawn_on_zoom(view):
    view.figure.canvas.draw()
    renders = view.zones.renders
    view.pan(view.pixel_size() * 60, 0)            # within the margin drawn around the view
    view.figure.canvas.draw()
    assert view.zones.renders == renders
    assert reddish(pixel_at(view, X0 + 300, Y0 + 300)) and greenish(pixel_at(view, X0 + 300, Y0 + 1700))
    view.pan(view.pixel_size() * 800, 0)           # beyond it
    assert view.zones.renders == renders + 1
    view.zoom_about(X0 + 500, Y0 + 500, 2.0)
    assert view.zones.renders == renders + 2


def test_legend_is_compact_lower_left_and_can_be_hidden(view):
    view.set_parcels([box(100, 100, 300, 200)], ["A"])
    view.figure.canvas.draw()
    x0, y0, x1, y1 = view.legend_stamp.extent_px()
    ax = view.ax.bbox
    assert x0 - ax.x0 < 10 and y0 - ax.y0 < 10                  # lower left corner
    assert (x1 - x0) * (y1 - y0) < 0.12 * ax.width * ax.height  # covers little of the map
    assert view.legend._ncols == 2
    sx0, sy0, sx1, sy1 = view.scalebar.stamp.extent_px()
    assert sx0 > x1 or sy0 > y1                                 # no overlap with the scale bar
    view.set_legend_visible(False)
    view.figure.canvas.draw()
    assert not view.legend_stamp.get_visible()


def test_furniture_is_not_laid_out_again_on_a_redraw(view, monkeypatch):
    view.figure.canvas.draw()
    from matplotlib.text import Text
    calls = []
    original = Text.draw
    monkeypatch.setattr(Text, "draw", lambda self, r: (calls.append(self.get_text()), original(self, r))[1])
    view.figure.canvas.draw()
    assert not [t for t in calls if "图例" in t or "一级" in t or "km" in t or "北" in t], calls


@pytest.fixture
def canvas(qtbot):
    w = MapCanvas()
    qtbot.addWidget(w)
    w.resize(900, 700)
    w.show()
    qtbot.waitExposed(w)
    w.set_zoneset(city())
    w.set_parcels([box(100, 100, 300, 200), box(1200, 400, 1400, 600)], ["A", "C"])
    w._resized()
    w.zoom_to((X0, Y0, X0 + 1000, Y0 + 600))
    w.canvas.draw()
    return w


def test_pan_drag_shifts_the_picture_and_draws_in_full_once_released(canvas, qtbot):
    draws = []
    canvas.canvas.mpl_connect("draw_event", lambda e: draws.append(1))
    cx, cy = canvas.view.centre
    scale = canvas.view.scale
    start = canvas.map_to_widget(X0 + 500, Y0 + 300).toPoint()
    qtbot.mousePress(canvas.canvas, Qt.MouseButton.LeftButton, pos=start)
    for k in range(1, 6):
        qtbot.mouseMove(canvas.canvas, pos=start + QPoint(20 * k, 10 * k))
    assert not draws, "no full draw while dragging"
    moved = np.asarray(canvas.canvas.buffer_rgba())
    qtbot.mouseRelease(canvas.canvas, Qt.MouseButton.LeftButton, pos=start + QPoint(100, 50))
    qtbot.waitUntil(lambda: bool(draws))
    # the map point grabbed is under the cursor: the view moved 100 px west and 50 px north
    assert canvas.view.centre[0] == pytest.approx(cx - 100 * scale, abs=scale * 1.01)
    assert canvas.view.centre[1] == pytest.approx(cy + 50 * scale, abs=scale * 1.01)
    full = np.asarray(canvas.canvas.buffer_rgba())
    # the shifted picture showed (nearly) what the full draw shows, away from the uncovered strip
    # and the corner furniture, which stays put in a full draw
    h, w = full.shape[:2]
    core = (slice(80, h - 120), slice(130, w - 150))
    assert np.mean(np.all(moved[core] == full[core], axis=-1)) > 0.9


def test_first_view_is_the_urban_core_and_zoom_to_zones_still_shows_all(make_window):
    doc, window = make_window()
    view = window.canvas.view
    cx0, cy0, cx1, cy1 = view.core_bounds()
    x0, y0, x1, y1 = view.bounds
    assert x0 <= cx0 and y0 <= cy0 and x1 >= cx1 and y1 >= cy1       # grades 1–2 and their margin
    zx0, zy0, zx1, zy1 = doc.zoneset.bounds
    assert (x1 - x0) < 0.4 * (zx1 - zx0)                                # not the four districts
    window.a_zoom_zones.trigger()
    x0, y0, x1, y1 = view.bounds
    assert x0 <= zx0 and x1 >= zx1 and y0 <= zy0 and y1 >= zy1
