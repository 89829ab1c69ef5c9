"""Issue 12, items 7–9, 11, 12 in the real window: new parcels found on the map and in the
tables, zoom keys and presets, the results view (frozen 宗地号, 15 rows, flags in colour,
the message after 全部计算), the two workbooks from the File menu (equal to the CLI's),
the quick-start guide, and English/Chinese wording."""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from zones.money import fmt_yuan
from zones.resources import resource

pytestmark = pytest.mark.gui
ROOT = Path(__file__).resolve().parent.parent
SAMPLE = resource("samples", "wenzhou_sample.gpkg")


def inside(inner, outer) -> bool:
    return inner[0] >= outer[0] and inner[1] >= outer[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


def row_visible(view, row: int) -> bool:
    rect = view.visualRect(view.model().index(row, 0))
    return rect.isValid() and view.viewport().rect().intersects(rect)


def two_new_parcels(tmp_path) -> Path:
    """Two of the sample's outlines under new 宗地号 (an office's second delivery)."""
    import geopandas as gpd

    g = gpd.read_file(SAMPLE).iloc[[3, 10]].copy()
    g["宗地号"] = ["330302099001GB00101", "330302099002GB00102"]
    path = tmp_path / "second.gpkg"
    g.to_file(path)
    return path


# ---------------------------------------------------------------- item 8
def test_import_selects_fits_and_scrolls_to_the_new_parcels(make_window, qtbot, tmp_path):
    doc, window = make_window()
    window.files.open_sample()
    assert doc.selection.uids == []                                   # opened like a project: nothing selected
    assert inside(window.canvas.view.data_bounds("parcels"), window.canvas.view.bounds)
    before = {p.uid for p in doc.project.parcels}
    assert window.files.import_file(str(two_new_parcels(tmp_path)), dialog_hook=lambda d: True)
    new = [p.uid for p in doc.project.parcels if p.uid not in before]
    assert len(new) == 2 and doc.selection.uids == new                # the new ones are selected
    nav = window.extras.navigator
    view_bounds, new_bounds = window.canvas.view.bounds, nav.bounds_of(new)
    assert inside(new_bounds, view_bounds)                            # and fitted: no longer specks
    assert (view_bounds[2] - view_bounds[0]) < 3 * max(new_bounds[2] - new_bounds[0], new_bounds[3] - new_bounds[1]) + 200
    table = window.table.view
    rows = {doc.project.index_of(u) for u in new}
    assert {i.row() for i in table.selectionModel().selectedRows()} == rows
    qtbot.waitUntil(lambda: all(row_visible(table, r) for r in rows), timeout=2000)


def test_a_row_off_screen_pans_the_map_and_keys_zoom(make_window, qtbot):
    doc, window = make_window()
    window.files.open_sample()
    canvas, nav = window.canvas, window.extras.navigator
    first, far = doc.project.parcels[0], doc.project.parcels[8]        # 鹿城 and 洞头: 30 km apart
    doc.selection.set([first.uid])
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(canvas.canvas, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert canvas.view.scale == pytest.approx(1.0)                    # street scale on the selection
    assert inside(nav.bounds_of([first.uid]), canvas.view.bounds)
    assert not inside(nav.bounds_of([far.uid]), canvas.view.bounds)
    table = window.table.view
    rect = table.visualRect(table.model().index(8, 1))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert doc.selection.uids == [far.uid]
    assert inside(nav.bounds_of([far.uid]), canvas.view.bounds)       # the map went to it
    assert canvas.view.scale == pytest.approx(1.0)                    # at the same scale
    canvas.canvas.setFocus()
    qtbot.keyClick(canvas.canvas, Qt.Key.Key_Plus)
    assert canvas.view.scale == pytest.approx(0.5)
    qtbot.keyClick(canvas.canvas, Qt.Key.Key_Minus)
    qtbot.keyClick(canvas.canvas, Qt.Key.Key_Minus)
    assert canvas.view.scale == pytest.approx(2.0)
    qtbot.keyClick(canvas.canvas, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert inside(doc.zoneset.bounds, canvas.view.bounds)              # 全图: the whole tax area
    qtbot.keyClick(canvas.canvas, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    assert inside(nav.bounds_of([far.uid]), canvas.view.bounds)
    assert canvas.view.bounds[2] - canvas.view.bounds[0] < 2000       # zoomed to the selection
    assert "Ctrl+J" in window.a_zoom_selection.toolTip()


# ---------------------------------------------------------------- item 9
def test_results_view_frozen_column_rows_colours_and_message(make_window, qtbot):
    from desktop.results_view import AMBER, RED

    doc, window = make_window()
    window.files.open_sample()
    window.a_assess.trigger()
    layout = window.extras.results
    assert window.bottom_tabs.currentWidget() is window.results      # the results come to the front
    qtbot.waitUntil(lambda: layout.visible_rows() >= 15)
    total = sum((doc.project.current_result(p.uid).due for p in doc.project.parcels), Decimal("0.00"))
    text = f"12 宗地，应缴税额合计 {fmt_yuan(total)} 元"
    assert text in layout.banner.label.text() and layout.banner.isVisible()
    assert text in window.statusBar().currentMessage()
    view = window.results.view
    view.horizontalScrollBar().setValue(view.horizontalScrollBar().maximum())
    assert view.columnViewportPosition(0) < 0                         # column 0 scrolled away in the table…
    frozen = layout.frozen.frozen
    assert frozen.isVisible() and frozen.geometry().left() <= view.verticalHeader().width() + view.frameWidth()
    first = frozen.indexAt(QPoint(5, 5))
    assert first.data() == window.results.proxy.index(0, 0).data()    # …and still shown over it
    assert first.data().startswith("3303")
    # flags in words and colour
    model = window.results.model
    col = model.columns.index("提示")
    coloured = {}
    for r in range(model.rowCount()):
        codes = model.row_values(model.uids[r])["提示"]
        colour = layout.delegates["提示"].colour(window.results.proxy.mapFromSource(model.index(r, col)))
        coloured[codes] = colour
    assert coloured.get("") is None
    flagged = {c: v for c, v in coloured.items() if c}
    assert flagged and all(v in (RED, AMBER) for v in flagged.values())
    assert all(v == AMBER for c, v in flagged.items() if c in ("near_boundary", "declared_mismatch"))
    # a click on the frozen 宗地号 heading sorts the table by it
    qtbot.mouseClick(frozen.horizontalHeader().viewport(), Qt.MouseButton.LeftButton, pos=QPoint(10, 5))
    ids = [window.results.proxy.index(r, 0).data() for r in range(model.rowCount())]
    assert ids == sorted(ids)


# ---------------------------------------------------------------- item 11
def cli_workbooks(tmp_path) -> tuple[Path, Path]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = tmp_path / "cli"
    out.mkdir()
    r = subprocess.run([sys.executable, "-m", "zones", "assess", str(SAMPLE), "--out", str(out / "r.csv"),
                        "--year", "2024", "--report", str(out / "r.pdf"), "--quiet",
                        # the sample's columns, which the desktop finds by the attribute schema
                        "--declared-area-field", "证载面积", "--relief-field", "减免性质代码",
                        "--small-taxpayer-field", "小规模纳税人", "--acquired-field", "土地取得时间",
                        "--acquisition-kind-field", "取得方式", "--start-field", "起始月份", "--end-field", "终止月份"],
                       capture_output=True, text=True, env=env, timeout=600)
    assert r.returncode == 0, r.stderr
    return out / "r.税源明细.xlsx", out / "r.申报明细.xlsx"


def sheet_rows(path, sheet):
    ws = openpyxl.load_workbook(path)[sheet]
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_both_workbooks_from_the_file_menu_equal_the_cli(make_window, dialogs, qtbot, tmp_path):
    doc, window = make_window()
    exports = window.extras.workbooks
    exports.a_source.trigger()                                         # nothing assessed yet: says so, asks nothing
    assert "F5" in window.statusBar().currentMessage()
    window.files.open_sample()
    window.a_assess.trigger()
    project = tmp_path / "office" / "鹿城.gpkg"
    project.parent.mkdir()
    assert window.files.save_as(str(project))
    asked = {}

    def save_name(parent, title, folder, filt, *a, **k):
        asked["folder"] = folder
        return str(tmp_path / "desk.税源明细.xlsx"), filt

    from PySide6.QtWidgets import QFileDialog
    qtbot_patch = pytest.MonkeyPatch()
    qtbot_patch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_name))
    try:
        assert exports.a_source in window.m_file.actions() and exports.a_period in window.m_file.actions()
        exports.a_source.trigger()
        assert asked["folder"] == str(project.with_name("鹿城.税源明细.xlsx"))   # beside the project
        source = exports.last_written
        qtbot_patch.setattr(QFileDialog, "getSaveFileName",
                            staticmethod(lambda *a, **k: (str(tmp_path / "desk.申报明细"), "")))
        exports.a_period.trigger()
        period = exports.last_written
    finally:
        qtbot_patch.undo()
    assert source == tmp_path / "desk.税源明细.xlsx" and period == tmp_path / "desk.申报明细.xlsx"
    cli_source, cli_period = cli_workbooks(tmp_path)
    desk, cli = sheet_rows(source, "税源明细"), sheet_rows(cli_source, "税源明细")
    assert len(desk) > 12 and len(desk) == len(cli) and desk[0] == cli[0]
    change = [desk[0].index("变更类型"), desk[0].index("变更时间")]
    acquired = desk[0].index("土地取得时间")
    for d, c in zip(desk[1:], cli[1:]):                                # every other cell, every amount
        assert [v for k, v in enumerate(d) if k not in change + [acquired]] == \
            [v for k, v in enumerate(c) if k not in change + [acquired]]
        # the form asks for 年月: the project keeps 2024-07, the CLI copies the file's 2024-07-15
        assert d[acquired] == (c[acquired] or "")[:7] or d[acquired] == c[acquired]
        # the project records a parcel's 终止月份 as 纳税义务终止 (zones.project); the CLI reads only
        # the columns it is told about, and has no option for a change type: blank there
        assert [d[k] for k in change] == [c[k] for k in change] or (d[change[0]].startswith("纳税义务终止")
                                                                    and c[change[0]] is None)
    desk, cli = sheet_rows(period, "申报明细"), sheet_rows(cli_period, "申报明细")
    assert desk == cli
    total = sum((doc.project.current_result(p.uid).due for p in doc.project.parcels), Decimal("0.00"))
    assert desk[-1][0] == "合计"
    owed = desk[0].index("本期应补（退）税额")
    assert Decimal(str(desk[-1][owed])).quantize(Decimal("0.01")) == total    # the total on screen, to the fen


def test_workbook_cells_that_look_like_formulas_stay_text(make_window, qtbot, tmp_path):
    doc, window = make_window()
    window.files.open_sample()
    window.a_assess.trigger()
    from desktop.commands import EditParcel
    uid = doc.project.parcels[0].uid
    doc.stack.push(EditParcel(doc, uid, attrs={"taxpayer_name": "=HYPERLINK(\"http://x\")"}, text="edit"))
    assert window.extras.workbooks.export("source", str(tmp_path / "s.xlsx"))
    ws = openpyxl.load_workbook(tmp_path / "s.xlsx")["税源明细"]
    cells = [c for row in ws.iter_rows(min_row=2) for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)


# ---------------------------------------------------------------- item 7
@pytest.mark.parametrize("language, words", [("zh_CN", "快速入门"), ("en", "Quick start")])
def test_quick_start_guide_with_pictures(make_window, qtbot, language, words):
    from PySide6.QtCore import QByteArray, QUrl
    from PySide6.QtGui import QImage, QTextDocument

    from desktop.guide import guide_folder

    doc, window = make_window(language=language)
    assert window.extras.guide.action in window.m_help.actions()
    assert window.m_help.actions()[0] is window.extras.guide.action
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.canvas.canvas, Qt.Key.Key_F1)
    dlg = window.extras.guide.dialog
    assert dlg is not None and dlg.isVisible() and not dlg.isModal()
    assert words in dlg.browser.toPlainText()
    images = dlg.images()
    assert len(images) >= 5
    for src in images:
        path = guide_folder() / src
        assert path.is_file(), src
        assert f"/{language}/" in src.replace("\\", "/") or src.startswith(f"shots/{language}")
        image = dlg.browser.loadResource(QTextDocument.ResourceType.ImageResource, QUrl(src))
        assert isinstance(image, (QImage, QByteArray, bytes)) and (QImage.fromData(image) if not isinstance(image, QImage)
                                                                  else image).width() > 300
    dlg.close()


# ---------------------------------------------------------------- item 12
def test_english_headings_wrap_between_words_and_grades_in_english(make_window, qtbot):
    from PySide6.QtGui import QTextDocument

    doc, window = make_window(language="en")
    window.files.open_sample()
    window.a_assess.trigger()
    p = doc.project.parcels[5]
    doc.selection.set([p.uid])
    from PySide6.QtWidgets import QTextBrowser
    browser = window.assessment.findChild(QTextBrowser)
    html = browser.toHtml()
    assert "Grade 2" in html and "二级" not in html
    document: QTextDocument = browser.document()
    document.setTextWidth(300)                     # narrow: the headings must wrap, between words only
    seen = {}
    block = document.begin()
    while block.isValid():
        text = block.text()
        if text.replace("\u2028", " ") in ("Months", "Grade", "Rate (yuan/m²·year)", "Gross (yuan)"):
            lines = block.layout().lineCount()
            seen[text] = [block.layout().lineAt(i) for i in range(lines)]
            joined = [text[ln.textStart():ln.textStart() + ln.textLength()].strip() for ln in seen[text]]
            assert all(w in ("Months", "Grade", "Rate", "(yuan/m²·year)", "Gross", "(yuan)") for w in joined), joined
        block = block.next()
    assert "Months" in seen and len(seen["Months"]) == 1
    assert "Rates (yuan/m²·year): Grade 1 15, Grade 2 10, Grade 3 5" in window.layers.info.text()


def test_qt_standard_dialogs_in_chinese(make_window, qtbot):
    from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QLabel

    doc, window = make_window(language="zh_CN")
    dlg = QFileDialog(window)
    dlg.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dlg)
    labels = {w.objectName(): w.text() for w in dlg.findChildren(QLabel)}
    assert "查找范围" in labels["lookInLabel"] and "文件类型" in labels["fileTypeLabel"]
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text().startswith("取消")
    dlg.close()
    assert QApplication.instance() is not None


def test_every_application_string_is_translated():
    import xml.etree.ElementTree as ET

    from desktop.i18n import ts_path

    root = ET.parse(ts_path("zh_CN")).getroot()
    unfinished = [m.findtext("source") for m in root.iter("message")
                  if (t := m.find("translation")) is None or t.get("type") == "unfinished" or not (t.text or "").strip()]
    assert unfinished == []
    # the scan of the sources finds nothing the .ts does not hold
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import update_translations
    finally:
        sys.path.pop(0)
    have = {(c.findtext("name"), m.findtext("source")) for c in root.iter("context") for m in c.iter("message")}
    wanted = {(ctx, text) for ctx, items in update_translations.extract().items() for text, _p, _l in items}
    assert wanted - have == set()


def test_map_tools_speak_english_in_english_mode(make_window, qtbot):
    doc, window = make_window(language="en")
    canvas = window.canvas
    x, y = doc.zoneset.grades.geometry.iloc[0].representative_point().coords[0]
    canvas.zoom_to((x - 200, y - 200, x + 200, y + 200))
    canvas.canvas.draw()
    window.set_tool("hole")                                 # nothing selected: the tool refuses, in English
    p = canvas.map_to_widget(x, y)
    qtbot.mouseClick(canvas.canvas, Qt.MouseButton.LeftButton, pos=QPoint(round(p.x()), round(p.y())))
    assert window.statusBar().currentMessage() == "Select the parcel to put the hole in first"
    window.set_tool("draw")
    for dx, dy in ((0, 0), (40, 0), (40, 30)):
        p = canvas.map_to_widget(x + dx, y + dy)
        qtbot.mouseClick(canvas.canvas, Qt.MouseButton.LeftButton, pos=QPoint(round(p.x()), round(p.y())))
    text = window.statusBar().currentMessage()
    assert text.startswith("Area ") and "Grade " in text and "面积" not in text
    canvas.tool.cancel()


def test_assessment_notes_in_english(make_window, qtbot):
    import re

    from PySide6.QtWidgets import QTextBrowser

    doc, window = make_window(language="en")
    window.files.open_sample()
    browser = window.assessment.findChild(QTextBrowser)
    texts = []
    for p in doc.project.parcels:
        doc.selection.set([p.uid])
        texts.append(browser.toPlainText())
    joined = "\n".join(texts)
    assert "Certificate area 6537.93 m², measured on the map 6347.50 m², difference -190.43 m² (3.00%)" in joined
    assert "Within the base map's positional error of 划龙桥河" in joined
    assert not re.search("在底图定位误差范围内|图上量算", joined)


def test_the_workbook_is_written_off_the_gui_thread(make_window, qtbot, tmp_path, monkeypatch):
    import threading

    from desktop import workbook_export

    doc, window = make_window()
    window.files.open_sample()
    threads = []
    real = workbook_export.write_workbook

    def recording(*args, **kwargs):
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(workbook_export, "write_workbook", recording)
    doc.runner.synchronous = False              # as in the application
    try:
        assert window.extras.workbooks.export("period", str(tmp_path / "p.xlsx"))
        assert not window.a_assess.isEnabled()  # one task at a time, shown in the status bar
        qtbot.waitUntil(lambda: window.extras.workbooks.last_written is not None, timeout=60000)
    finally:
        doc.runner.wait()
        doc.runner.synchronous = True
    assert threads and threads[0] is not threading.main_thread()
    assert window.a_assess.isEnabled()
    grade_rows = sum(len(doc.project.current_result(p.uid).result.rows) for p in doc.project.parcels)
    assert openpyxl.load_workbook(tmp_path / "p.xlsx")["申报明细"].max_row == 1 + grade_rows + 1   # heading, rows, 合计
