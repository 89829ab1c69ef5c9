"""The Qt-free map view rendered with Agg: layers, legend, level of detail, hit test."""

import numpy as np
import pytest
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch

from desktop.map.decorations import length_text, nice_length
from desktop.map.layers.parcels import LOD_LIMIT
from desktop.map.map_view import MapView
from desktop.map.paths import PathStore
from desktop.map.position import describe_position
from tests.synthetic import X0, Y0, box, city


@pytest.fixture
def view():
    v = MapView(width_px=900, height_px=700)
    FigureCanvasAgg(v.figure)
    v.set_zoneset(city(accuracy_m=20))
    return v


def random_parcels(n, seed=0, span=2000.0, size=(5.0, 15.0)):
    rng = np.random.default_rng(seed)
    x, y = X0 + rng.uniform(0, span, n), Y0 + rng.uniform(0, span, n)
    s = rng.uniform(*size, n)
    return shapely.box(x, y, x + s, y + s)


def test_legend_names_each_grade_with_its_rate(view):
    labels = [t.get_text() for t in view.legend.get_texts()]
    assert labels[:3] == ["一级  15 元/m²·年", "二级  10 元/m²·年", "三级  5 元/m²·年"]
    assert any("误差带" in label for label in labels)
    assert view.caption().startswith("合成城市 Synthetic city")


def test_accuracy_band_covers_the_grade_lines_by_the_accuracy(view):
    band = view.band.band
    # the grade 1 | grade 2 line is x = 1000: 20 m either side is in the band, 25 m is not
    assert band.contains(shapely.Point(X0 + 1000 - 19, Y0 + 500))
    assert band.contains(shapely.Point(X0 + 1000 + 19, Y0 + 500))
    assert not band.contains(shapely.Point(X0 + 1000 + 25, Y0 + 500))


def test_hit_test_picks_the_parcel_under_the_point(view):
    view.set_parcels([box(0, 0, 100, 100), box(20, 20, 40, 40), box(200, 0, 300, 100)], ["a", "b", "c"])
    assert view.hit_test(X0 + 10, Y0 + 10) == 0
    assert view.hit_test(X0 + 30, Y0 + 30) == 1          # the smaller, nested parcel wins
    assert view.hit_test(X0 + 150, Y0 + 50) is None
    assert view.hit_test(X0 + 195, Y0 + 50, tolerance=6) == 2
    view.set_layer_visible("parcels", False)
    assert view.hit_test(X0 + 10, Y0 + 10) is None        # a hidden layer cannot be clicked


def test_ten_thousand_parcels_are_one_collection_not_ten_thousand_artists(view):
    before = len(view.ax.get_children())
    view.set_parcels(random_parcels(10_000), [str(i) for i in range(10_000)])
    view.figure.canvas.draw()
    assert len(view.ax.get_children()) == before
    assert len(view.ax.get_children()) < 60
    assert len(view.parcels.collection.get_paths()) <= 2


def test_level_of_detail_rasterises_small_parcels_when_many_are_in_view(view):
    view.set_parcels(random_parcels(10_000), [str(i) for i in range(10_000)])
    view.zoom_to((X0, Y0, X0 + 2000, Y0 + 2000))
    assert len(view.parcels.in_view) == 10_000
    assert len(view.parcels.as_vectors) <= LOD_LIMIT
    assert view.parcels.raster_count == 10_000 - len(view.parcels.as_vectors)
    assert view.parcels.image.get_visible()
    view.figure.canvas.draw()
    # zoomed in: only what is in view, all as vectors, no raster
    view.zoom_to((X0 + 500, Y0 + 500, X0 + 600, Y0 + 600))
    assert 0 < len(view.parcels.in_view) < 100
    assert len(view.parcels.as_vectors) == len(view.parcels.in_view)
    assert not view.parcels.image.get_visible()


def test_beyond_the_outline_budget_small_parcels_are_solid_and_flagged_ones_keep_their_outline(view):
    from desktop.map.layers.parcels import OUTLINE_VERTEX_BUDGET

    geoms = shapely.segmentize(random_parcels(4000, size=(5.0, 40.0)), 5.0)   # boxes, a vertex every 5 m
    assert shapely.get_num_coordinates(geoms).sum() > OUTLINE_VERTEX_BUDGET
    flags = [{"near_boundary"} if i % 10 == 0 else set() for i in range(4000)]
    view.set_parcels(geoms, None, flags)
    view.zoom_to((X0, Y0, X0 + 2000, Y0 + 2000))
    p = view.parcels
    assert len(p.as_vectors) == 4000 and len(p.as_solid) > 0
    outlined = np.setdiff1d(p.as_vectors, p.as_solid)
    plain_outlined = outlined[~p.flagged[outlined]]
    assert p._vertices[plain_outlined].sum() <= OUTLINE_VERTEX_BUDGET
    assert not p.flagged[p.as_solid].any()                    # near-boundary parcels are never solid
    # the outlined ones are the largest on screen
    assert p._extent[plain_outlined].min() >= p._extent[p.as_solid].max()
    view.figure.canvas.draw()


def test_near_boundary_parcels_get_their_own_edge(view):
    view.set_parcels([box(0, 0, 10, 10), box(990, 0, 1010, 10)], ["a", "b"], [set(), {"near_boundary"}])
    view.zoom_to((X0, Y0, X0 + 1100, Y0 + 100))
    edges = view.parcels.collection.get_edgecolor()
    assert len(view.parcels.collection.get_paths()) == 2 and not np.allclose(edges[0], edges[1])


def test_layer_visibility(view):
    for name in ("zones", "districts", "reference_lines", "accuracy_band", "parcels"):
        view.set_layer_visible(name, False)
        assert not view.layer_visible(name)
        assert all(not a.get_visible() for a in view.layers[name].artists)
        view.set_layer_visible(name, True)
        assert view.layer_visible(name)
    with pytest.raises(KeyError):
        view.set_layer_visible("roads", True)


def test_view_keeps_square_pixels_and_zooms_about_a_point(view):
    view.zoom_to((X0, Y0, X0 + 2000, Y0 + 1000))
    x0, y0, x1, y1 = view.bounds
    w, h = view.view_size_px()
    assert (x1 - x0) / w == pytest.approx((y1 - y0) / h)
    assert x0 <= X0 and x1 >= X0 + 2000 and y0 <= Y0 and y1 >= Y0 + 1000
    before = view.pixel_size()
    view.zoom_about(X0 + 100, Y0 + 100, 2.0)
    assert view.pixel_size() == pytest.approx(before / 2)
    # the point under the cursor stays put (its fractional position in the view is unchanged)
    nx0, ny0, nx1, ny1 = view.bounds
    assert (X0 + 100 - nx0) / (nx1 - nx0) == pytest.approx((X0 + 100 - x0) / (x1 - x0))


def test_path_store_cuts_any_subset_with_holes():
    donut = shapely.box(0, 0, 10, 10).difference(shapely.box(4, 4, 6, 6))
    store = PathStore([shapely.box(20, 0, 21, 1), donut])
    path = store.path([1])
    assert len(path.vertices) == 10 and list(path.codes).count(1) == 2  # two rings, two MOVETOs
    # Agg (non-zero fill) leaves the hole empty
    fig = Figure(figsize=(1, 1), dpi=100)
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    ax.add_patch(PathPatch(path, facecolor="black", edgecolor="none"))
    canvas.draw()
    pixels = np.asarray(canvas.buffer_rgba())
    assert tuple(pixels[50, 50, :3]) == (255, 255, 255) and tuple(pixels[20, 20, :3]) == (0, 0, 0)


def test_scale_bar_lengths():
    assert nice_length(730) == 500 and nice_length(2100) == 2000 and nice_length(99) == 50
    assert length_text(2000) == "2 km" and length_text(500) == "500 m"


def test_describe_position_gives_lonlat_surveyor_xy_and_grade():
    lon, lat, north, east, grade = describe_position(X0 + 500, Y0 + 500, city())
    assert (north, east, grade) == (Y0 + 500, X0 + 500, 1)
    assert 120.5 < lon < 120.8 and 27.9 < lat < 28.1
    assert describe_position(X0 + 5000, Y0 + 500, city())[4] is None


def test_path_store_of_single_rings_is_the_oriented_ragged_array():
    """Outlines of one ring each (a district's parcels) take the path without ring objects: the same
    vertices as shapely.orient_polygons + to_ragged_array, clockwise rings reversed, at map coordinates."""
    import desktop.map.paths as paths

    ccw = shapely.Polygon([(X0, Y0), (X0 + 10, Y0), (X0 + 10, Y0 + 5), (X0, Y0)])
    cw = shapely.Polygon([(X0 + 20, Y0), (X0 + 20, Y0 + 7), (X0 + 31, Y0 + 7), (X0 + 31, Y0), (X0 + 20, Y0)])
    geoms = [ccw, cw, shapely.box(X0 + 40, Y0, X0 + 41, Y0 + 1, ccw=False)]
    assert paths._single_rings(np.asarray(geoms, dtype=object))
    fast = PathStore(geoms)
    assert fast.coords[4:9].tolist() == [[X0 + 20, Y0], [X0 + 31, Y0], [X0 + 31, Y0 + 7], [X0 + 20, Y0 + 7], [X0 + 20, Y0]]
    oriented = shapely.orient_polygons(np.asarray(geoms, dtype=object), exterior_cw=False)
    _, coords, (ring_off, _) = shapely.to_ragged_array(oriented)
    assert np.array_equal(fast.coords, coords) and fast.vstart.tolist() == ring_off[:-1].tolist()
    assert fast.vend.tolist() == ring_off[1:].tolist() and list(fast.codes).count(1) == 3
    # a hole or a multipolygon anywhere: the general path
    assert not paths._single_rings(np.asarray(geoms + [shapely.box(0, 0, 9, 9).difference(shapely.box(3, 3, 4, 4))]))
