"""The import dialog as staff use it: a GBK shapefile without .cpg whose second record
is a bow-tie outline (the importer repairs it into two triangles). The repair survives
into the project, the assessment, the project file and undo, and is cleared by a
deliberate edit of the outline; the dialog's severities, problem types and CRS
decision read in the interface language; the attribute preview shows the names as
the chosen encoding decodes them and follows a change of encoding or system."""

import warnings
from decimal import Decimal

import pytest
import shapely
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from zones.resources import resource
from zones.results import flag_text

pytestmark = pytest.mark.gui
CTRL = Qt.KeyboardModifier.ControlModifier
NAME = "温州五马示例商贸有限公司"


@pytest.fixture
def bowtie_shp(tmp_path):
    """Three sample records in GBK, no .cpg; record 2 is a 40 m × 50 m bow tie in grade 1
    (repaired into two 500 m² triangles) without a certificate area. Returns (path, e, n)."""
    import geopandas as gpd
    import pyogrio

    g = gpd.read_file(resource("samples", "wenzhou_sample.gpkg"))
    c = g.geometry.iloc[0].centroid
    e, n = float(round(c.x)), float(round(c.y))
    rows = g.iloc[[1, 0, 2]][["宗地号", "纳税人名称", "土地坐落", "geometry"]].reset_index(drop=True)
    rows.loc[1, "宗地号"] = "330302001001GB09998"
    rows.loc[1, "geometry"] = shapely.Polygon([(e, n), (e + 40, n + 50), (e + 40, n), (e, n + 50)])
    path = tmp_path / "宗地_gbk.shp"
    with warnings.catch_warnings():       # GDAL tells that it shortened the column names to 10 bytes
        warnings.simplefilter("ignore", RuntimeWarning)
        pyogrio.write_dataframe(rows, path, encoding="GBK")
    path.with_suffix(".cpg").unlink()     # as older land-bureau tools write them: the encoding must be detected
    return path, e, n


def cell_texts(table, column_name_start: str) -> list[str]:
    cols = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    col = next(i for i, name in enumerate(cols) if name.startswith(column_name_start))
    return [table.item(r, col).text() for r in range(table.rowCount())]


def findings(dlg) -> list[tuple[str, str, str, str]]:
    """(record, severity, problem type, stable code) of each listed finding."""
    m = dlg.findings.model()
    return [(*(m.index(i, c).data() for c in range(3)), m.index(i, 2).data(Qt.ItemDataRole.UserRole))
            for i in range(m.rowCount())]


def pixel(window, x, y) -> QPoint:
    p = window.canvas.map_to_widget(x, y)
    return QPoint(round(p.x()), round(p.y()))


def test_repaired_outline_keeps_its_flag_until_the_outline_is_redrawn(make_window, qtbot, bowtie_shp, tmp_path):
    path, e, n = bowtie_shp
    doc, window = make_window()
    seen = {}

    def accept(dlg):                      # what staff see, then a click on OK
        seen["findings"] = findings(dlg)
        qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
        return QDialog.result(dlg) == QDialog.DialogCode.Accepted      # (dlg.result is the ImportResult)

    assert window.files.import_file(str(path), dialog_hook=accept)
    assert ("2", "警告", "图形无效，已修复", "repaired") in seen["findings"]
    assert len(doc.project) == 3
    bow = doc.project.parcels[1]
    assert bow.get("parcel_no") == "330302001001GB09998"
    assert bow.geometry.area == pytest.approx(1000.0)                  # the repaired outline: two triangles
    assert [f for f, _ in bow.import_flags] == ["repaired"] and "导入时图形无效，已修复" in bow.import_flags[0][1]
    assert "已修复" in doc.project.history(bow.uid)[0].what
    assert [p.import_flags for p in doc.project.parcels[::2]] == [(), ()]
    r = doc.project.current_result(bow.uid).result
    assert "repaired" in r.flags and any(note.startswith("导入时图形无效，已修复") for note in r.notes)
    assert r.due == Decimal("15000.00")                                # 1000 m² × 15 yuan, whole year
    assert all("repaired" not in doc.project.current_result(p.uid).result.flags for p in doc.project.parcels[::2])
    doc.selection.set([bow.uid])
    assert flag_text("repaired", "zh") in window.assessment.html()

    # saved and opened again: the flag is in the project file
    saved = tmp_path / "project.gpkg"
    assert window.files.save_as(str(saved))
    assert window.files.open(str(saved))
    bow = doc.project.parcels[1]
    assert [f for f, _ in bow.import_flags] == ["repaired"]
    assert "repaired" in doc.project.current_result(bow.uid).result.flags

    # staff drag a corner of the outline: a deliberate new outline, no longer "repaired"
    doc.selection.set([bow.uid])
    window.canvas.zoom_to((e - 20, n - 20, e + 60, n + 70))
    window.canvas.canvas.draw()
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow())
    window.tool_actions["edit"].trigger()
    canvas, left = window.canvas.canvas, Qt.MouseButton.LeftButton
    a, b = pixel(window, e + 40, n + 50), pixel(window, e + 50, n + 60)
    qtbot.mousePress(canvas, left, pos=a)
    for k in (1, 2, 3):
        qtbot.mouseMove(canvas, pos=a + (b - a) * k / 4)
    qtbot.mouseRelease(canvas, left, pos=b)
    bow = doc.project.parcels[1]
    assert bow.geometry.area > 1000.0 and bow.import_flags == ()
    whats = [h.what for h in doc.project.history(bow.uid)]      # the re-assessment's event follows
    assert whats[whats.index("移动节点") + 1] == "导入时的图形标记（repaired）因重新绘制图形而清除"
    assert "repaired" not in doc.project.current_result(bow.uid).result.flags
    assert flag_text("repaired", "zh") not in window.assessment.html()
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)                         # undo: the imported outline and its flag
    bow = doc.project.parcels[1]
    assert bow.geometry.area == pytest.approx(1000.0) and [f for f, _ in bow.import_flags] == ["repaired"]
    assert "repaired" in doc.project.current_result(bow.uid).result.flags


def test_findings_and_crs_decision_read_in_the_interface_language(make_window, qtbot, bowtie_shp):
    from desktop.dialogs.import_dialog import ImportDialog

    path, _, _ = bowtie_shp
    doc, window = make_window()
    dlg = ImportDialog(path, doc.zoneset.bounds_lonlat, window)
    qtbot.addWidget(dlg)
    rows = findings(dlg)
    assert ("2", "警告", "图形无效，已修复", "repaired") in rows
    assert ("—", "提示", "文字编码", "encoding") in rows
    assert all(label != code for _, _, label, code in rows)          # every code has its words
    assert [dlg.findings.model().headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == ["记录", "级别", "问题类型"]
    assert "[文件声明]" in dlg.crs_reason.text() and "自动识别" in dlg.summary.text()
    # only the translated how-label and the CRS on the line; the core's English reasoning in the tooltip
    assert "stated" not in dlg.crs_reason.text() and dlg.crs_reason.toolTip()
    dlg.set_choice(crs="EPSG:4549")                                  # chosen by the user
    assert "[用户指定]" in dlg.crs_reason.text()
    dlg.reject()

    window.lang_actions["en"].trigger()
    dlg = ImportDialog(path, doc.zoneset.bounds_lonlat, window)
    qtbot.addWidget(dlg)
    rows = findings(dlg)
    assert ("2", "warning", "invalid outline repaired", "repaired") in rows
    assert ("—", "info", "text encoding", "encoding") in rows
    assert "[stated in the file]" in dlg.crs_reason.text() and "(detected)" in dlg.summary.text()
    dlg.reject()


def test_attribute_preview_follows_the_chosen_encoding_and_system(make_window, qtbot, bowtie_shp):
    from desktop.dialogs.import_dialog import ImportDialog

    path, _, _ = bowtie_shp
    doc, window = make_window()
    dlg = ImportDialog(path, doc.zoneset.bounds_lonlat, window)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    assert dlg.preview.rowCount() == 3
    assert cell_texts(dlg.preview, "纳税人") == ["温州江城示例置业有限公司", NAME, "温州市鹿城区示例便利店有限公司"]
    assert [dlg.preview.verticalHeaderItem(r).text() for r in range(3)] == ["1", "2", "3"]
    assert "前 10 条记录" in dlg.preview_label.text()

    dlg.encoding.setCurrentIndex(dlg.encoding.findData("cp1252"))    # the wrong encoding: visibly wrong at once
    names = [dlg.preview.item(r, 1).text() for r in range(3)]
    assert NAME not in names and names[1].startswith("ÎÂÖÝ")
    dlg.encoding.setCurrentIndex(dlg.encoding.findData("gbk"))
    assert cell_texts(dlg.preview, "纳税人")[1] == NAME

    # a system that puts the parcels far from the zones: the dialog reads again at once
    dlg.crs.setCurrentIndex(dlg.crs.findData("EPSG:4528"))           # the zone-prefixed system: 40 is missing
    assert "远离土地等级范围" in [label for _, _, label, _ in findings(dlg)]
    assert cell_texts(dlg.preview, "纳税人")[1] == NAME
    dlg.crs.setCurrentIndex(0)
    assert "远离土地等级范围" not in [label for _, _, label, _ in findings(dlg)]
    dlg.grab().save("/tmp/import_dialog_zh.png")
    dlg.reject()


def test_a_file_of_many_overlaps_lists_every_finding_without_an_item_each(make_window, qtbot, bowtie_shp, tmp_path):
    """6,000 lots of 50 m × 50 m stepped 10 m apart along a street overlap their four neighbours on
    each side: 47,980 overlap findings. The list has a row for each, in the importer's order and
    words, made only for the slices drawn (they were one tree item each: 475,875 of them took 34 s
    for 100,000 random parcels); the lots stay importable."""
    import geopandas as gpd

    from desktop.dialogs import findings_model
    from desktop.dialogs.import_dialog import ImportDialog

    _, e, n = bowtie_shp
    lots = gpd.GeoDataFrame({"宗地号": [f"L{i:05d}" for i in range(6000)]},
                            geometry=[shapely.box(e + 10 * i, n, e + 10 * i + 50, n + 50) for i in range(6000)],
                            crs="EPSG:4549")
    path = tmp_path / "street.gpkg"
    lots.to_file(path)
    doc, window = make_window()
    dlg = ImportDialog(path, doc.zoneset.bounds_lonlat, window)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    found = dlg.result.findings
    pairs = 4 * 6000 - (1 + 2 + 3 + 4)
    overlaps = [f for f in found if f.code == "overlap"]
    assert sum(f.message.startswith("overlaps record") for f in overlaps) == 2 * pairs   # both lots of a pair told
    assert [f.message for f in overlaps if f.record is None][0].startswith(f"{pairs:,} pa")   # and the count
    m = dlg.findings.model()
    assert m.rowCount() == len(found)
    assert len(m._slices) <= findings_model.SLICES_KEPT            # only what was drawn was made
    # rows across a slice's edge and the last row read as the importer's findings
    for i in (0, findings_model.SLICE - 1, findings_model.SLICE, len(found) // 2, len(found) - 1):
        f = found[i]
        assert m.index(i, 0).data() == ("—" if f.record is None else str(f.record))
        assert m.index(i, 3).data() == f.message
        assert m.index(i, 2).data(Qt.ItemDataRole.UserRole) == f.code
        assert m.index(i, 1).data() == {"warning": "警告", "info": "提示"}[f.severity]
    assert [r.texts[3] for r in m.rows()] == [f.message for f in found]
    assert dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    dlg.findings.scrollToBottom()                                    # the last rows drawn on demand
    assert m.index(len(found) - 1, 0).data() in (str(found[-1].record), "—")
    assert m.index(len(found) - 1, 3).data() == found[-1].message
