"""Reference layers without Qt: vector files in any CRS (or none) come out in EPSG:4549 with
their label fields; rasters are read for the view at screen resolution from the matching
overview, warped when they are in another CRS (MBTiles); the project file keeps the specs
with paths relative to its folder."""

from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import rasterio
import rasterio.shutil
import shapely
from rasterio.transform import from_origin

from zones.errors import InputError
from zones.reference_layers import (RasterSource, ReferenceLayerSpec, kind_of, read_vector, specs_for_file)

X0, Y0 = 566_000.0, 3_099_000.0     # central Wenzhou, EPSG:4549


def write_tif(path, size=400, pixel=1.0, overviews=(2, 4), crs="EPSG:4549", bands=3):
    """A raster whose pixel value encodes its column (red) and row (green) / 2 % 256."""
    cols, rows = np.meshgrid(np.arange(size), np.arange(size))
    data = np.stack([(cols // 2) % 256, (rows // 2) % 256, np.full_like(cols, 200)][:bands]).astype(np.uint8)
    with rasterio.open(path, "w", driver="GTiff", width=size, height=size, count=bands, dtype="uint8", crs=crs,
                       transform=from_origin(X0, Y0 + size * pixel, pixel, pixel), tiled=True) as ds:
        ds.write(data)
        if overviews:
            ds.build_overviews(list(overviews))
    return path


def test_kind_from_the_suffix():
    assert kind_of("a/streets.SHP") == "vector" and kind_of("x.mbtiles") == "raster"
    with pytest.raises(InputError, match="不支持的参考图层格式 .docx"):
        kind_of("notes.docx")


def test_vector_in_lonlat_comes_out_in_the_map_crs_with_its_fields(tmp_path):
    gdf = gpd.GeoDataFrame({"name": ["车站大道", "温州大道"], "width": [40, 60]},
                           geometry=[shapely.LineString([(120.6793, 28.0202), (120.6809, 27.9855)]),
                                     shapely.LineString([(120.6555, 27.9859), (120.7034, 27.9846)])], crs="EPSG:4326")
    path = tmp_path / "roads.geojson"
    gdf.to_file(path)
    data = read_vector(path)
    x0, y0, x1, y1 = data.geoms[0].bounds
    assert 566_700 < x0 < x1 < 567_000 and 3_096_900 < y0 < y1 < 3_100_900
    assert "name" in data.fields and data.labels("name") == ["车站大道", "温州大道"]
    assert data.labels("") == ["", ""]


def test_vector_without_a_crs_is_placed_by_its_coordinates(tmp_path):
    gdf = gpd.GeoDataFrame({"ZDH": ["A1"]}, geometry=[shapely.box(X0, Y0, X0 + 50, Y0 + 40)])
    path = tmp_path / "parcels.shp"
    gdf.to_file(path)                       # no .prj
    assert not path.with_suffix(".prj").exists()
    data = read_vector(path)
    assert data.geoms[0].area == pytest.approx(2000.0)
    assert "4549" in data.crs_note


def test_unreadable_and_missing_files_are_named(tmp_path):
    bad = tmp_path / "broken.gpkg"
    bad.write_text("not a geopackage")
    with pytest.raises(InputError, match="broken.gpkg"):
        read_vector(bad)
    with pytest.raises(InputError, match="文件不存在"):
        RasterSource(tmp_path / "none.tif")


def test_raster_view_reads_the_right_pixels_at_screen_resolution(tmp_path):
    src = RasterSource(write_tif(tmp_path / "img.tif"))
    try:
        assert src.bounds == (X0, Y0, X0 + 400, Y0 + 400) and src.overviews == [2, 4]
        # a 100 m square at 1 m/px: the pixels themselves
        rgba, extent = src.read_view((X0 + 100, Y0 + 200, X0 + 200, Y0 + 300), 100, 100)
        assert rgba.shape == (100, 100, 4) and extent == (X0 + 100, X0 + 200, Y0 + 200, Y0 + 300)
        # top-left pixel: column 100, row 400 - 300 = 100 (rows run down from the top)
        assert tuple(rgba[0, 0]) == (50, 50, 200, 255)
        # the whole raster in a 100-px view: 4 m/px, read from the ×4 overview
        rgba, extent = src.read_view((X0, Y0, X0 + 400, Y0 + 400), 100, 100)
        assert rgba.shape == (100, 100, 4)
        assert abs(int(rgba[0, 10, 0]) - 20) <= 1          # column 40 → 20
        # a view half outside: only the covered part is returned
        rgba, extent = src.read_view((X0 - 100, Y0 - 100, X0 + 100, Y0 + 100), 200, 200)
        assert extent == (X0, X0 + 100, Y0, Y0 + 100) and rgba.shape == (100, 100, 4)
        assert src.read_view((X0 - 900, Y0, X0 - 500, Y0 + 400), 100, 100) is None
    finally:
        src.close()


def test_raster_in_web_mercator_is_warped(tmp_path):
    from pyproj import Transformer
    t = Transformer.from_crs("EPSG:4549", "EPSG:3857", always_xy=True)
    mx, my = t.transform(X0, Y0)
    path = tmp_path / "merc.tif"
    with rasterio.open(path, "w", driver="GTiff", width=100, height=100, count=1, dtype="uint8", crs="EPSG:3857",
                       transform=from_origin(mx, my + 500, 5, 5)) as ds:
        ds.write(np.full((1, 100, 100), 77, dtype=np.uint8))
    src = RasterSource(path)
    try:
        x0, _, x1, _ = src.bounds
        # 500 Mercator m at 28°N are 500·cos(28°) ≈ 441 ground m
        assert x0 == pytest.approx(X0, abs=5) and (x1 - x0) == pytest.approx(441.5, abs=5)
        rgba, _ = src.read_view(src.bounds, 50, 50)
        assert tuple(rgba[25, 25]) == (77, 77, 77, 255)
    finally:
        src.close()


def test_mbtiles(tmp_path):
    from pyproj import Transformer
    t = Transformer.from_crs("EPSG:4549", "EPSG:3857", always_xy=True)
    mx, my = t.transform(X0, Y0)
    tif = tmp_path / "m.tif"
    with rasterio.open(tif, "w", driver="GTiff", width=256, height=256, count=3, dtype="uint8", crs="EPSG:3857",
                       transform=from_origin(mx, my + 512, 2, 2)) as ds:
        ds.write(np.full((3, 256, 256), 120, dtype=np.uint8))
    mb = tmp_path / "tiles.mbtiles"
    rasterio.shutil.copy(tif, mb, driver="MBTiles", TILE_FORMAT="PNG")
    src = RasterSource(mb)
    try:
        rgba, _ = src.read_view(src.bounds, 64, 64)
        inner = rgba[16:48, 16:48]
        assert (inner[..., 3] == 255).all() and (inner[..., 0] == 120).all()
    finally:
        src.close()


def test_specs_round_trip_and_paths_relative_to_the_project(tmp_path):
    maps = tmp_path / "maps"
    maps.mkdir()
    inside = ReferenceLayerSpec(str(maps / "streets.gpkg"), "vector", "streets", "name", 0.5)
    outside = ReferenceLayerSpec("/elsewhere/img.tif", "raster", "img")
    stored = specs_for_file([inside.as_dict(), outside.as_dict()], tmp_path / "p.wztax.gpkg")
    assert stored[0]["path"] == str(Path("maps") / "streets.gpkg") and stored[1]["path"] == "/elsewhere/img.tif"
    back = ReferenceLayerSpec.from_dict(stored[0])
    assert back.resolved(tmp_path) == maps / "streets.gpkg" and back.opacity == 0.5 and back.label_field == "name"
    assert ReferenceLayerSpec.from_dict({"path": "a", "kind": "raster", "opacity": 7}).opacity == 1.0


def test_the_project_file_keeps_them(tmp_path):
    from zones.project import Project
    from zones.project_file import load_project, save_project

    p = Project()
    p.reference_layers = [ReferenceLayerSpec(str(tmp_path / "img.tif"), "raster", "img", opacity=0.6).as_dict()]
    save_project(p, tmp_path / "p.gpkg")
    back = load_project(tmp_path / "p.gpkg")
    assert back.reference_layers == [{"path": "img.tif", "kind": "raster", "name": "img", "label_field": "",
                                      "opacity": 0.6, "visible": True, "layer": ""}]
    save_project(Project(), tmp_path / "q.gpkg")
    assert load_project(tmp_path / "q.gpkg").reference_layers == []


@pytest.mark.parametrize("across", [400.0, 40.0])      # 1 m/px on 400 px: below and past the file's resolution
def test_the_map_shows_each_raster_pixel_where_it_belongs(tmp_path, across):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from desktop.map.layers.background import RasterBackgroundLayer
    from desktop.map.map_view import MapView

    view = MapView(width_px=400, height_px=400)
    FigureCanvasAgg(view.figure)
    view.set_caption_visible(False)
    layer = RasterBackgroundLayer(view.ax, RasterSource(write_tif(tmp_path / "img.tif")), "img")
    view.layers["reference:test"] = layer
    cx, cy = X0 + 150.3, Y0 + 260.7
    view.zoom_to((cx - across / 2, cy - across / 2, cx + across / 2, cy + across / 2), margin=0)
    view.figure.canvas.draw()
    buf = np.asarray(view.figure.canvas.buffer_rgba())
    checked = 0
    for mx, my in [(cx, cy), (cx - across / 3, cy + across / 3), (cx + across / 4, cy - across / 5)]:
        (px, py), = view.ax.transData.transform([(mx, my)])
        pixel = buf[buf.shape[0] - 1 - int(py), int(px)]
        col, row = int(mx - X0), int(Y0 + 400 - my)            # 1 m pixels
        if abs(mx - X0 - round(mx - X0)) < 0.05 or abs(my - Y0 - round(my - Y0)) < 0.05:
            continue                                            # on a pixel edge: either side is right
        assert abs(int(pixel[0]) - (col // 2) % 256) <= 1 and abs(int(pixel[1]) - (row // 2) % 256) <= 1, (mx, my)
        checked += 1
    assert checked >= 2
    layer.close()
