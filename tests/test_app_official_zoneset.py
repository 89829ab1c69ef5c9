"""Loading the land department's grade map: the officer says it is the official map and
under which document it applies; the caption under the map, the layers panel, the status
line and the parcel report then call it official (no 示意 wording), and the project file
remembers it across save and reopen. Also: the reliefs dialog's area header reads fully."""

import shutil
import subprocess
from datetime import date

import pytest
from PySide6.QtCore import QDate, QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox

pytestmark = pytest.mark.gui

TODAY = date.today().isoformat()


def grade_map(doc, tmp_path, name="official.gpkg"):
    """The land department's file: the same grade polygons, grade in a field named DJ."""
    path = tmp_path / name
    doc.zoneset.grades[["grade", "geometry"]].rename(columns={"grade": "DJ"}).to_file(path, layer="grades",
                                                                                      driver="GPKG")
    return path


def load_through_dialog(qtbot, window, path, fill):
    """Run 载入官方等级图 as the officer does: the modal dialog opens, ``fill`` works it, OK."""
    seen = {}

    def work():
        dlg = QApplication.activeModalWidget()
        seen["dialog"] = dlg
        try:
            qtbot.keyClicks(dlg.field, "DJ")          # the grade field by typing its name
            fill(dlg)
        finally:
            qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, work)
    ok = window.zonesets.load_official(str(path))
    return ok, seen.get("dialog")


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def assert_shown_official(window, doc, tmp_path, name):
    zs = doc.zoneset
    assert zs.official and zs.basis_for(2024).document == "温政办〔2024〕10号"
    assert zs.basis_for(2024).applies_from == date(2024, 1, 1)
    stmt = f"土地管理部门官方等级图（文件 official.gpkg，由 测试录入员 于 {TODAY} 载入）"
    assert zs.accuracy_statement == stmt
    view = window.canvas.view
    caption = view.caption()
    assert caption.endswith("\n精度：官方等级图") and "依据：温政办〔2024〕10号" in caption and "示意" not in caption
    assert view.caption_artist.key == caption                       # the strip under the map says so
    assert view.caption(full=True).endswith(stmt)
    info = window.layers.info.text()
    assert "官方: 是" in info and "依据: 温政办〔2024〕10号" in info and stmt in info and "示意" not in info
    status = window.status.zoneset_label.text()
    assert "温政办〔2024〕10号" in status and "非官方" not in status
    # the report printed from the GUI
    doc.selection.set([doc.project.parcels[0].uid])
    out = tmp_path / name
    assert window.files.report("pdf", False, path=str(out))
    text = pdf_text(out)
    assert "温政办〔2024〕10号" in text and "official.gpkg" in text
    assert "示意" not in text and "非官方" not in text and "未找到适用于该年度的文件" not in text


def test_official_grade_map_is_shown_official_and_survives_save_and_reopen(make_window, qtbot, tmp_path):
    doc, window = make_window()
    window.files.open_sample()
    assert not doc.zoneset.official                                 # the bundled illustrative map
    path = grade_map(doc, tmp_path)
    prefilled = {}

    def fill(dlg):
        prefilled.update(official=dlg.official.isChecked(), document=dlg.document.text(),
                         start=dlg.applies_from.date(), label=dlg.official.text())

    ok, dlg = load_through_dialog(qtbot, window, path, fill)
    assert ok and dlg is not None
    assert prefilled == {"official": True, "document": "温政办〔2024〕10号", "start": QDate(2024, 1, 1),
                         "label": "这是土地管理部门的官方等级图"}
    assert doc.project.zoneset.ref == str(path) and doc.project.zoneset.grade_field == "DJ"
    assert doc.project.zoneset.official
    assert_shown_official(window, doc, tmp_path, "before.pdf")

    saved = tmp_path / "project.gpkg"
    assert window.files.save_as(str(saved))
    doc2, window2 = make_window()
    assert window2.files.open(str(saved))
    assert doc2.project.zoneset.ref == str(path) and doc2.zoneset.rates[1] == 15
    assert_shown_official(window2, doc2, tmp_path, "after.pdf")

    # on another machine the grade map file is absent: the copy embedded in the project is used
    shutil.move(path, tmp_path / "elsewhere.gpkg")
    zs = doc2.load_zoneset_ref(doc2.project.zoneset, saved)
    assert zs.official and zs.basis_text(2024) == "温政办〔2024〕10号" and "official.gpkg" in zs.accuracy_statement


def test_unticked_map_is_labelled_a_users_map(make_window, qtbot, tmp_path):
    doc, window = make_window()
    window.files.open_sample()
    path = grade_map(doc, tmp_path, "mine.gpkg")

    def fill(dlg):
        box = dlg.official                             # click its tick box (the row is wider than the box)
        qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
        assert not dlg.official.isChecked() and not dlg.document.isEnabled() and not dlg.applies_from.isEnabled()

    ok, _ = load_through_dialog(qtbot, window, path, fill)
    zs = doc.zoneset
    assert ok and not zs.official and zs.legal_basis == ()
    assert zs.accuracy_statement.startswith(f"用户载入的等级图，非官方等级图（文件 mine.gpkg，由 测试录入员 于 {TODAY} 载入）")
    assert window.canvas.view.caption().endswith("精度：示意等级图，非土地管理部门官方等级图")
    assert "官方: 否" in window.layers.info.text()


def test_official_needs_its_document(make_window, qtbot, tmp_path):
    doc, window = make_window()
    window.files.open_sample()
    path = grade_map(doc, tmp_path)
    seen = {}

    def work():
        dlg = QApplication.activeModalWidget()
        dlg.document.clear()
        qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
        seen["message"], seen["visible"] = dlg.message.text(), dlg.isVisible()
        dlg.reject()

    QTimer.singleShot(0, work)
    assert not window.zonesets.load_official(str(path))
    assert seen == {"message": "请填写该官方等级图所依据的文件，或取消勾选“官方等级图”。", "visible": True}
    assert not doc.zoneset.official and doc.project.zoneset.ref == "wenzhou-urban-2024"


def test_reliefs_area_header_reads_fully(make_window, qtbot):
    from desktop.dialogs.reliefs_dialog import ReliefsDialog

    doc, window = make_window()
    dlg = ReliefsDialog(doc.catalogue, '[{"code": "x", "area_m2": "100"}]', window)
    qtbot.addWidget(dlg)
    dlg.show()
    header = dlg.table.horizontalHeader()
    item = dlg.table.horizontalHeaderItem(1)
    assert item.text() == "减免面积（m²）"
    assert item.toolTip().startswith("空 = 全部面积") and dlg.table.item(0, 1).toolTip() == item.toolTip()
    for c in range(1, 4):
        words = header.fontMetrics().horizontalAdvance(dlg.table.horizontalHeaderItem(c).text())
        assert header.sectionSize(c) >= words + 8, c                 # the words and the header's margins
    # every column is on screen: no horizontal scrolling needed to see the headers
    assert sum(header.sectionSize(c) for c in range(4)) <= dlg.table.viewport().width()
    dlg.reject()
