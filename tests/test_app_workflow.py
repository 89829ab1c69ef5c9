"""The desktop application driven as staff use it: typing a boundary-point table,
importing a file, the sample project, assess all, review, save and reopen, crash
recovery, language switch."""

from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from zones.money import fmt_yuan
from zones.resources import resource

pytestmark = pytest.mark.gui

# 40 m × 50 m rectangle inside grade 1, typed in survey order (X = northing, Y = easting).
def grade1_table():
    import geopandas as gpd
    c = gpd.read_file(resource("samples", "wenzhou_sample.gpkg")).geometry.iloc[0].centroid
    n, e = round(c.y), round(c.x)
    pts = [(n, e), (n, e + 40), (n + 50, e + 40), (n + 50, e), (n, e)]
    return "点号\tX\tY\n" + "\n".join(f"J{i + 1}\t{x}\t{y}" for i, (x, y) in enumerate(pts))


def test_type_coordinates(make_window, qtbot):
    from desktop.dialogs.coordinates_dialog import CoordinatesDialog

    doc, window = make_window()
    dlg = CoordinatesDialog(doc.zoneset.bounds, window)
    qtbot.addWidget(dlg)
    dlg.set_text(grade1_table())
    qtbot.keyClicks(dlg.parcel_no, "330302001001GB09999")
    qtbot.mouseClick(dlg.check_button, Qt.MouseButton.LeftButton)
    assert "2,000.00 m²" in dlg.message.text()
    dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dlg.result() == CoordinatesDialog.DialogCode.Accepted
    window.editing.add_typed(dlg)
    p = doc.project.parcels[0]
    assert p.geometry.area == pytest.approx(2000.0) and p.get("parcel_no") == "330302001001GB09999"
    assert doc.project.current_result(p.uid).result.due == Decimal("30000.00")     # 2000 m² × 15 × 12/12
    assert "30,000.00" in window.assessment.html() and "人民币叁万元整" in window.assessment.html()


def test_coordinates_dialog_refuses_bad_tables(make_window, qtbot):
    from desktop.dialogs.coordinates_dialog import CoordinatesDialog

    doc, window = make_window()
    dlg = CoordinatesDialog(doc.zoneset.bounds, window)
    qtbot.addWidget(dlg)
    dlg.set_text("1 3100000 560000\n2 3100000 560100")                               # two points
    assert not dlg.check() and "3" in dlg.message.text()
    dlg.set_text("1 3100000 560000\n2 3100100 560100\n3 3100000 560100\n4 3100100 560000")  # bow tie
    assert not dlg.check() and "✗" in dlg.message.text()
    dlg.set_text("1 0 0\n2 0 100\n3 100 100")                                         # far outside the zones
    assert not dlg.check()
    dlg.reject()


def test_import_through_dialog_logic_with_findings(make_window, tmp_path):
    import geopandas as gpd
    import shapely

    doc, window = make_window()
    g = gpd.read_file(resource("samples", "wenzhou_sample.gpkg")).iloc[:3].copy()
    g.loc[g.index[2], "geometry"] = shapely.LineString([(0, 0), (1, 1)])           # record 3: not an outline
    path = tmp_path / "three.geojson"
    g.to_crs(4326).to_file(path, driver="GeoJSON")
    seen = {}

    def look(dialog):
        seen["summary"] = dialog.summary.text()
        seen["crs"] = dialog.result.crs.crs
        seen["findings"] = [dialog.findings.model().index(i, 2).data() for i in range(dialog.findings.model().rowCount())]
        return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()

    assert window.files.import_file(str(path), dialog_hook=look)
    assert seen["crs"] == "EPSG:4326" and seen["findings"], seen
    assert len(doc.project) == 2 and doc.project.parcels[0].get("taxpayer_name") == "温州五马示例商贸有限公司"
    assert all(doc.project.current_result(p.uid) for p in doc.project.parcels)
    window.a_undo.trigger()
    assert len(doc.project) == 0


def test_import_of_a_broken_file_reports_and_keeps_running(make_window, dialogs):
    from desktop import errors

    doc, window = make_window()
    assert not window.files.import_file(str(Path("tests/data/broken/truncated.shp").resolve()), dialog_hook=lambda d: True)
    assert errors.SHOWN and len(doc.project) == 0


def test_sample_assess_all_review_and_edit_clears_it(make_window, dialogs, qtbot):
    doc, window = make_window()
    assert window.files.open_sample()
    assert len(doc.project) == 12 and not window.isWindowModified()
    doc.project.results.clear()
    window.a_assess.trigger()                                                         # synchronous runner
    assert len(doc.project.results) == 12
    assert window.results.model.rowCount() == 12
    total = sum(doc.project.current_result(p.uid).result.due for p in doc.project.parcels)
    assert fmt_yuan(total) in window.results.total.text()
    window.results.filter.setText("洞头")
    assert window.results.proxy.rowCount() == 1
    uid = doc.project.parcels[9].uid                                                  # crosses grade 1 / grade 2
    doc.selection.set([uid])
    assert window.assessing.mark_reviewed("复核员王五")
    assert doc.project.is_reviewed(uid)
    model = window.table.model
    assert model.data(model.index(9, 0)) == "已复核"
    model.setData(model.index(9, model.column_of("address")), "温州市鹿城区新地址")      # an edit in the table
    assert not doc.project.is_reviewed(uid)
    assert model.data(model.index(9, 0)) == "已录入"
    assert doc.project.history(uid)[-1].what.startswith("复核标记（复核员王五）")
    window.a_undo.trigger()
    assert doc.project.is_reviewed(uid)
    window.canvas.zoom_to_selection()
    window.canvas.canvas.draw()
    window.grab().save("/tmp/app_sample_selected.png")


def test_invalid_identifier_is_kept_and_marked(make_window):
    from desktop.parcel_table_model import INVALID

    doc, window = make_window()
    window.files.open_sample()
    model = window.table.model
    idx = model.index(1, model.column_of("taxpayer_id"))
    model.setData(idx, "9133030222586730XA")                                         # wrong check character
    assert model.data(idx) == "9133030222586730XA"
    assert model.data(idx, Qt.ItemDataRole.BackgroundRole) == INVALID
    assert "校验码" in model.data(idx, Qt.ItemDataRole.ToolTipRole)


def test_save_reopen_compare(make_window, dialogs, tmp_path):
    doc, window = make_window()
    window.files.open_sample()
    doc.selection.set([doc.project.parcels[0].uid])
    window.assessing.mark_reviewed("复核员")
    dialogs.save_path = str(tmp_path / "proj")
    assert window.files.save_as()
    saved = tmp_path / "proj.gpkg"
    assert saved.exists() and not window.isWindowModified()
    parcels, results, events = list(doc.project.parcels), dict(doc.project.results), doc.project.audit.events()
    window.files.new()
    assert len(doc.project) == 0
    assert window.files.open(str(saved))
    assert [p.uid for p in doc.project.parcels] == [p.uid for p in parcels]
    for a, b in zip(doc.project.parcels, parcels):
        assert a.geometry.equals(b.geometry) and a.attrs == b.attrs and a.source == b.source and a.review == b.review
    assert doc.project.audit.events() == events                  # the audit log is saved and read back
    assert doc.project.results == results and doc.project.is_reviewed(parcels[0].uid)
    assert window.windowTitle().startswith("proj.gpkg")


def test_quit_with_unsaved_changes_asks(make_window, dialogs):
    doc, window = make_window()
    window.files.open_sample()
    window.editing.delete_selected() if doc.selection.uids else None
    doc.selection.set([doc.project.parcels[0].uid])
    window.a_delete.trigger()
    assert len(doc.project) == 11 and window.isWindowModified()
    dialogs.question = QMessageBox.StandardButton.Cancel
    assert not window.close() and window.isVisible()
    assert dialogs.asked and dialogs.asked[-1][0] == "未保存的修改"


def test_crash_then_restore(make_window, dialogs, tmp_path):
    data = tmp_path / "appdata"
    doc, window = make_window(data_folder=data)
    window.files.open_sample()
    doc.selection.set([doc.project.parcels[3].uid])
    window.a_delete.trigger()
    doc.autosave_now()                                   # what the timer does after every command
    assert doc.recovery.path.exists() and doc.recovery.path.parent == data / "recovery"
    uids = [p.uid for p in doc.project.parcels]
    window.hide()                                        # the "crash": no closeEvent, recovery copy stays
    window.doc.recovery._lock.release()                  # and the OS lets go of the dead copy's lock
    window.doc.recovery = None
    dialogs.question = QMessageBox.StandardButton.Yes
    doc2, window2 = make_window(data_folder=data)
    assert any("未正常关闭" in text for _, text in dialogs.asked)
    assert [p.uid for p in doc2.project.parcels] == uids and len(uids) == 11
    assert window2.isWindowModified()


def test_switch_language(make_window):
    doc, window = make_window()
    assert window.m_file.title() == "文件(&F)" and window.table_dock.windowTitle() == "地块"
    window.lang_actions["en"].trigger()
    assert window.m_file.title() == "&File" and window.table_dock.windowTitle() == "Parcels"
    assert window.layers.boxes["zones"].text() == "Land grades"
    assert window.table.model.headerData(1, Qt.Orientation.Horizontal) == "Parcel no."
    window.lang_actions["zh_CN"].trigger()
    assert window.m_file.title() == "文件(&F)" and window.layers.boxes["zones"].text() == "土地等级"
    assert window.table.model.headerData(1, Qt.Orientation.Horizontal) == "宗地号"


def test_export_results(make_window, dialogs, tmp_path):
    import pandas as pd

    doc, window = make_window()
    window.files.open_sample()
    out = tmp_path / "results.xlsx"
    assert window.files.export_results(str(out))
    table = pd.read_excel(out, sheet_name=0)
    assert len(table) == 12 and abs(table["应缴税额"].sum() - float(sum(s.result.due for s in doc.project.results.values()))) < 0.01


def test_assess_all_on_a_worker_thread(make_window, qtbot):
    doc, window = make_window()
    window.files.open_sample()
    doc.runner.synchronous = False
    doc.project.results.clear()
    with qtbot.waitSignal(doc.assessFinished, timeout=30000) as blocker:
        window.a_assess.trigger()
        assert window.progress.isVisibleTo(window) and window.a_cancel.isEnabled()
    assert blocker.args == [12] and len(doc.project.results) == 12
    assert not window.progress.isVisibleTo(window)


def test_load_official_grade_map_shows_difference(make_window, tmp_path):

    doc, window = make_window()
    window.files.open_sample()
    before = {p.uid: doc.project.current_result(p.uid).result.due for p in doc.project.parcels}
    official = doc.zoneset.grades[["grade", "geometry"]].rename(columns={"grade": "DJ"})
    path = tmp_path / "official.gpkg"
    official.to_file(path, layer="grades", driver="GPKG")

    def choose(dialog):
        dialog.field.setCurrentIndex(dialog.field.findData("DJ"))
        dialog.rates.setText("1=16,2=10,3=5")          # grade 1 one yuan dearer
        return True

    assert window.zonesets.load_official(str(path), dialog_hook=choose)
    assert doc.zoneset.rates[1] == 16 and doc.project.zoneset.ref == str(path)
    p0 = doc.project.parcels[0]                         # wholly grade 1, 2,759 m²
    diff = doc.project.difference(p0.uid)
    assert diff == doc.project.current_result(p0.uid).result.due - before[p0.uid] and diff > 0
    assert "较上次差额（元）" in [window.results.model.headerData(i, Qt.Orientation.Horizontal) for i in range(window.results.model.columnCount())]
    doc.selection.set([p0.uid])
    assert "等级图/税额调整前" in window.assessment.html()


def test_report_pdf_and_rasterised_pages(make_window, tmp_path):
    from desktop.dialogs.report_dialog import render_pages

    doc, window = make_window()
    window.files.open_sample()
    doc.selection.set([doc.project.parcels[9].uid])
    out = tmp_path / "report.pdf"
    assert window.files.report("pdf", False, path=str(out))
    pages = render_pages(out, dpi=60)
    assert pages and not pages[0].isNull() and pages[0].width() < pages[0].height()   # A4 portrait
    pages[0].save("/tmp/app_report_page1.png")
