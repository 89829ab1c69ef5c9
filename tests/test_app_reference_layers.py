"""Adding the office's maps as reference layers, as a person does: the 添加参考图层 button
and the file dialog, the layer's tick box, opacity slider and label field; undo; the layer
kept in the saved project and back after opening it; an unreadable file named."""

import geopandas as gpd
import numpy as np
import pytest
import rasterio
import shapely
from PySide6.QtCore import Qt
from rasterio.transform import from_origin

pytestmark = pytest.mark.gui

X0, Y0 = 566_400.0, 3_099_600.0


def imagery(path, size=600):
    rng = np.random.default_rng(1)
    data = rng.integers(60, 200, size=(3, size, size), dtype=np.uint8)
    with rasterio.open(path, "w", driver="GTiff", width=size, height=size, count=3, dtype="uint8", crs="EPSG:4549",
                       transform=from_origin(X0, Y0 + size, 1.0, 1.0), tiled=True) as ds:
        ds.write(data)
        ds.build_overviews([2, 4])
    return path


def parcel_map(path):
    gdf = gpd.GeoDataFrame({"ZDH": ["330302-001", "330302-002"], "QLR": ["甲公司", "乙公司"]},
                           geometry=[shapely.box(X0 + 50, Y0 + 50, X0 + 150, Y0 + 120),
                                     shapely.box(X0 + 200, Y0 + 50, X0 + 300, Y0 + 150)], crs="EPSG:4549")
    gdf.to_file(path, driver="GPKG")
    return path


def add(qtbot, window, dialogs, path):
    dialogs.open_path = str(path)
    qtbot.mouseClick(window.reference_panel.add_button, Qt.MouseButton.LeftButton)


def test_add_a_raster_and_a_parcel_map_then_undo_save_and_reopen(make_window, qtbot, dialogs, tmp_path):
    doc, window = make_window()
    window.canvas.zoom_to((X0, Y0, X0 + 600, Y0 + 600))
    add(qtbot, window, dialogs, imagery(tmp_path / "imagery.tif"))
    add(qtbot, window, dialogs, parcel_map(tmp_path / "zdt.gpkg"))
    panel, layers = window.reference_panel, window.reference_layers
    assert [s.name for s, _ in layers.entries] == ["imagery", "zdt"]
    assert [r["shown"].text() for r in panel.row_widgets] == ["imagery", "zdt"]
    assert window.isWindowModified() and window.canvas.view.zones.raster.get_alpha() == 0.55
    window.canvas.canvas.draw()
    raster = layers.entries[0][1]
    # read at screen resolution: as many pixels as the raster covers on screen
    x0, x1, y0, y1 = raster.image.get_extent()
    px = window.canvas.view.pixel_size()
    assert raster.reads >= 1 and raster.image.get_array().shape[:2] == (
        pytest.approx((y1 - y0) / px, abs=1), pytest.approx((x1 - x0) / px, abs=1))
    # labels: choose QLR in the second layer's combo box
    combo = panel.row_widgets[1]["label"]
    combo.setCurrentIndex(combo.findText("QLR"))
    window.canvas.canvas.draw()
    assert sorted(layers.entries[1][1].labels.texts) == ["乙公司", "甲公司"]
    # opacity: drag the slider to 30 %
    panel.row_widgets[0]["opacity"].setValue(30)
    assert layers.entries[0][0].opacity == 0.3 and raster.image.get_alpha() == 0.3
    # untick the imagery: hidden; grades opaque again only when no layer shows
    panel.row_widgets[0]["shown"].click()
    assert not raster.visible and window.canvas.view.zones.raster.get_alpha() == 0.55
    panel.row_widgets[0]["shown"].click()
    window.grab().save("/tmp/app_reference_layers.png")
    # undo the second add: gone from the panel, the map and the project
    doc.stack.undo()
    assert [s.name for s, _ in layers.entries] == ["imagery"] and len(panel.row_widgets) == 1
    assert len(doc.project.reference_layers) == 1
    doc.stack.redo()
    assert [s.name for s, _ in layers.entries] == ["imagery", "zdt"]
    assert layers.entries[1][0].label_field == "QLR"
    # save, open a new project, open the saved one again
    path = tmp_path / "p.wztax.gpkg"
    window.files.save_as(str(path))
    window.files.new()
    assert layers.entries == []
    window.files.open(str(path))
    assert [(s.name, s.path, s.label_field, s.opacity) for s, _ in layers.entries] == [
        ("imagery", "imagery.tif", "", 0.3), ("zdt", "zdt.gpkg", "QLR", 1.0)]
    assert all(layer is not None for _, layer in layers.entries)


def test_an_unreadable_file_is_named_and_nothing_is_added(make_window, qtbot, dialogs, tmp_path):
    doc, window = make_window()
    bad = tmp_path / "broken.tif"
    bad.write_bytes(b"not a tiff")
    add(qtbot, window, dialogs, bad)
    assert window.reference_layers.entries == [] and doc.stack.count() == 0
    assert dialogs.asked and "broken.tif" in dialogs.asked[-1][1]


def test_remove_button(make_window, qtbot, dialogs, tmp_path):
    doc, window = make_window()
    add(qtbot, window, dialogs, parcel_map(tmp_path / "zdt.gpkg"))
    qtbot.mouseClick(window.reference_panel.row_widgets[0]["remove"], Qt.MouseButton.LeftButton)
    assert window.reference_layers.entries == [] and window.canvas.view.zones.raster.get_alpha() is None
    doc.stack.undo()
    assert len(window.reference_layers.entries) == 1
