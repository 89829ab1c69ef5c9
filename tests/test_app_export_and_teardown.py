"""Exporting results as staff do (File ▸ Export, a name typed without extension and a
format picked in the dialog's filter): a Shapefile and a GeoJSON of the same name in
the same folder keep their own provenance files. And a window dropped without being
closed, or a document whose undo stack goes away first, leaves no traceback."""

import json

import pytest
from PySide6.QtWidgets import QFileDialog

pytestmark = pytest.mark.gui


def test_shp_and_geojson_of_the_same_name_keep_their_own_provenance(make_window, monkeypatch, tmp_path):
    doc, window = make_window()
    window.files.open_sample()
    out = tmp_path / "exports"
    out.mkdir()
    choice = {}
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(out / "结果"), choice["filter"])))

    choice["filter"] = "Shapefile (*.shp)"
    window.a_export.trigger()
    shp_side = out / "结果.shp.provenance.json"
    assert (out / "结果.shp").exists() and shp_side.exists()
    before = (shp_side.read_bytes(), shp_side.stat().st_mtime_ns)

    choice["filter"] = "GeoJSON (*.geojson)"
    window.a_export.trigger()
    geo_side = out / "结果.geojson.provenance.json"
    assert (out / "结果.geojson").exists() and geo_side.exists()
    assert (shp_side.read_bytes(), shp_side.stat().st_mtime_ns) == before          # not overwritten
    assert not (out / "结果.xlsx").exists()                                         # the filter decided the format
    prov = json.loads(geo_side.read_text(encoding="utf-8"))
    assert prov["zoneset_id"] == doc.zoneset.id and json.loads(before[0])["zoneset_id"] == doc.zoneset.id
    assert sorted(p.name for p in out.glob("*.provenance.json")) == ["结果.geojson.provenance.json",
                                                                     "结果.shp.provenance.json"]


@pytest.fixture
def loose_window(qapp, tmp_path):
    """A document and window built as the application does, owned by the test alone
    (no close at teardown: the test drops them), with one unsaved edit. Afterwards both are
    destroyed, so none of their timers (autosave) fires in a later test."""
    import shiboken6
    from PySide6.QtCore import QSettings

    from desktop import app as desktop_app
    from desktop import settings as S

    settings = S.Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    doc, window = desktop_app.build_window(settings, synchronous=True, data_folder=tmp_path / "data", offer_recovery=False)
    window.files.open_sample()
    model = window.table.model
    model.setData(model.index(1, model.column_of("address")), "温州市鹿城区新地址")
    assert doc.modified and window.isWindowModified()
    yield doc, window
    for obj in (window, doc):
        if shiboken6.isValid(obj):
            shiboken6.delete(obj)


def test_a_dropped_window_is_not_called_back(loose_window, qtbot):
    import shiboken6

    doc, window = loose_window
    shiboken6.delete(window)                 # a script ending without closing the window
    doc.stack.undo()                         # the stack turns clean: cleanChanged is emitted
    assert not doc.modified
    doc.pathChanged.emit("")                 # nobody left to retitle


def test_an_undo_stack_destroyed_before_the_window(loose_window, qtbot):
    import shiboken6

    doc, window = loose_window
    shiboken6.delete(doc.stack)              # ~QUndoStack clears itself and emits cleanChanged
    assert shiboken6.isValid(window)
