"""The officer's first hour (issue 12, "How it is shown"), done as a person does it: every
task by clicks and keys in the real window, asserting what the person sees, and counting the
clicks and keys each task needs. The counts must equal the table in the README's guide
section ("Clicks per task"), so the README says what the application asks of its users.

How things are counted: a mouse click, a double-click or a key (a chord such as Ctrl+T is one)
is one; a menu command is two clicks (the menu, the item); typing into a field is one "typed
entry" whatever its length. A file dialog (Qt's, patched here: a test cannot drive the
platform's) counts as one typed entry (the name) and one click (Open/Save).

Screenshots of each step are written to $WALKTHROUGH_SHOTS when it is set (looked at by eye)."""

from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
import shapely
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QInputMethodEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel, QMenu, QMessageBox

from zones.money import fmt_yuan
from zones.resources import resource

pytestmark = pytest.mark.gui
ROOT = Path(__file__).resolve().parent.parent
SAMPLE = resource("samples", "wenzhou_sample.gpkg")


class Person:
    """Clicks and keys on the window, counted per task."""

    def __init__(self, qtbot, window, dialogs, shots: Path | None):
        self.bot, self.w, self.dialogs, self.shots = qtbot, window, dialogs, shots
        self.counts: dict[str, list[int]] = {}      # task → [clicks, keys, typed entries]
        self.task = ""
        self.errors: list[BaseException] = []

    def start(self, task: str) -> None:
        self.task = task
        self.counts[task] = [0, 0, 0]
        self.w.activateWindow()
        self.bot.waitUntil(self.w.isActiveWindow)

    def _count(self, kind: int, n: int = 1) -> None:
        self.counts[self.task][kind] += n

    def click(self, widget, pos: QPoint | None = None, double: bool = False) -> None:
        pos = pos if pos is not None else widget.rect().center()
        if double:
            self.bot.mouseDClick(widget, Qt.MouseButton.LeftButton, pos=pos)
        else:
            self.bot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos)
        self._count(0)

    def key(self, widget, key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
        self.bot.keyClick(widget, key, modifiers)
        self._count(1)
        QApplication.processEvents()        # an editor commits its text on Enter through a queued call

    def type(self, widget, text: str) -> None:
        widget.setFocus()
        if text.isascii():
            self.bot.keyClicks(widget, text)
        else:                 # Chinese arrives from the input method as committed text, not as keys
            event = QInputMethodEvent()
            event.setCommitString(text)
            QApplication.sendEvent(widget, event)
        self._count(2)

    def menu(self, menu: QMenu, action) -> None:
        """Click the menu's title in the menu bar, then the item."""
        bar = self.w.menuBar()
        self.click(bar, bar.actionGeometry(menu.menuAction()).center())
        self.bot.waitUntil(menu.isVisible)
        self.click(menu, menu.actionGeometry(action).center())
        self.bot.waitUntil(lambda: not menu.isVisible())

    def file_chosen(self) -> None:
        """What choosing a file in a file dialog costs (the dialog itself is patched)."""
        self._count(2)
        self._count(0)

    def on_modal(self, act) -> None:
        """Run ``act(dialog)`` on the next modal dialog, as soon as it is shown."""
        def poll():
            dlg = QApplication.activeModalWidget()
            if dlg is None:
                QTimer.singleShot(20, poll)
                return
            try:
                act(dlg)
            except BaseException as exc:     # never leave a modal dialog open: the test would hang
                self.errors.append(exc)
                dlg.reject()
        QTimer.singleShot(0, poll)

    def shot(self, name: str, widget=None) -> None:
        if self.shots is not None:
            self.w.canvas.canvas.draw()
            (widget or self.w).grab().save(str(self.shots / f"{name}.png"))


def readme_table() -> dict[str, list[int]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### Clicks per task", 1)[1].split("\n#", 1)[0]
    rows = {}
    for line in section.splitlines():
        m = re.match(r"\|\s*(\d+)\.\s*[^|]+\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|", line)
        if m:
            rows[m.group(1)] = [int(m.group(2)), int(m.group(3)), int(m.group(4))]
    return rows


def gbk_shapefile_without_prj(folder: Path) -> Path:
    """Three of the sample's parcels under new numbers, as an office's GBK shapefile with no .prj."""
    import geopandas as gpd

    g = gpd.read_file(SAMPLE).iloc[[0, 4, 9]][["宗地号", "纳税人名称", "geometry"]].copy()
    g["宗地号"] = ["330302001001GB00201", "330302002007GB00202", "330302004006GB00203"]
    path = folder / "二期宗地.shp"
    g.to_file(path, encoding="gbk")
    for p in folder.glob("二期宗地.*"):
        if p.suffix.lower() in (".prj", ".cpg"):
            p.unlink()
    return path


def point_on_grade_line(zoneset, near) -> tuple[float, float]:
    """A point of the grade 1 outline about 150 m from the parcel ``near``, clear of it."""
    g = zoneset.grades
    line = shapely.union_all(g.geometry[g["grade"] == 1].values).boundary
    ring = near.buffer(150).exterior
    hits = shapely.get_parts(line.intersection(ring))
    pts = [h for h in hits if h.geom_type == "Point"] or [shapely.Point(h.coords[0]) for h in hits]
    return pts[0].x, pts[0].y


@pytest.fixture
def person(make_window, qtbot, dialogs, tmp_path):
    shots = Path(os.environ["WALKTHROUGH_SHOTS"]) if os.environ.get("WALKTHROUGH_SHOTS") else None
    if shots is not None:
        shots.mkdir(parents=True, exist_ok=True)
    doc, window = make_window()
    return Person(qtbot, window, dialogs, shots)


def test_first_hour_walkthrough(person, qtbot, dialogs, tmp_path):
    w = person.w
    doc = w.doc
    canvas = w.canvas

    # 1. open the sample ---------------------------------------------------------------
    person.start("1")
    person.menu(w.m_file, w.a_sample)
    assert w.table.model.rowCount() == 12
    assert "12" in w.statusBar().currentMessage()
    x0, y0, x1, y1 = canvas.view.bounds
    px0, py0, px1, py1 = canvas.view.data_bounds("parcels")
    assert x0 <= px0 and y0 <= py0 and x1 >= px1 and y1 >= py1          # every parcel on the map
    person.shot("1_sample")

    # 2. draw a parcel across a grade line ----------------------------------------------
    person.start("2")
    near = next(p for p in doc.project.parcels if p.label.endswith("GB00011"))   # 一级 + 二级
    row = doc.project.index_of(near.uid)
    table = w.table.view
    w.bottom_tabs.setCurrentWidget(w.table)
    table.scrollTo(table.model().index(row, 1))
    person.click(table.viewport(), table.visualRect(table.model().index(row, 1)).center())
    assert doc.selection.uids == [near.uid]
    person.key(canvas.canvas, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)      # zoom to the selection
    cx, cy = point_on_grade_line(doc.zoneset, near.geometry)
    canvas.zoom_to((cx - 120, cy - 120, cx + 120, cy + 120))   # (the person scrolls the wheel a little: not counted)
    person.key(canvas.canvas, Qt.Key.Key_D)
    assert "Enter" in w.hints.label.text() or "回车" in w.hints.label.text()   # the tool says how to finish
    canvas.canvas.draw()
    for dx, dy in ((-30, -30), (30, -30), (30, 30), (-30, 30)):
        p = canvas.map_to_widget(cx + dx, cy + dy)
        person.click(canvas.canvas, QPoint(round(p.x()), round(p.y())))
    person.shot("2_drawing")
    person.key(canvas.canvas, Qt.Key.Key_Return)
    drawn = doc.project.parcels[-1]
    assert drawn.geometry.area == pytest.approx(3600.0, rel=0.02)
    stored = doc.project.current_result(drawn.uid)
    assert len(stored.result.rows) == 2                                  # split over grade 1 and grade 2
    assert doc.selection.uids == [drawn.uid]
    html = w.assessment.html()
    assert "一级" in html and "二级" in html
    person.key(canvas.canvas, Qt.Key.Key_H)                              # back to panning
    person.shot("2_drawn")

    # 3. type a parcel's points -----------------------------------------------------------
    person.start("3")
    c = near.geometry.centroid
    n, e = round(c.y) + 400, round(c.x)
    points = "点号\tX\tY\n" + "\n".join(f"J{i}\t{x}\t{y}" for i, (x, y) in
                                       enumerate([(n + 50, e), (n + 50, e + 40), (n, e + 40), (n, e)], 1))
    QGuiApplication.clipboard().setText(points)              # copied from the surveyor's table
    seen = {}

    def fill(dlg):
        person.click(dlg.paste_button)                     # 粘贴点表
        person.type(dlg.parcel_no, "330302001001GB09999")
        person.click(dlg.check_button)
        seen["message"] = dlg.message.text()
        person.shot("3_typed", dlg)
        person.click(dlg.buttons.button(QDialogButtonBox.StandardButton.Ok))

    person.on_modal(fill)
    person.key(canvas.canvas, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert not person.errors, person.errors
    assert "2,000.00 m²" in seen["message"]
    typed = doc.project.parcels[-1]
    assert typed.get("parcel_no") == "330302001001GB09999" and doc.selection.uids == [typed.uid]
    assert "2,000.00" in w.assessment.html()
    person.shot("3_added")

    # 4. import a GBK shapefile without .prj ------------------------------------------------
    person.start("4")
    folder = tmp_path / "delivery"
    folder.mkdir()
    dialogs.open_path = str(gbk_shapefile_without_prj(folder))
    before = {p.uid for p in doc.project.parcels}

    def accept_import(dlg):
        seen["summary"] = dlg.summary.text()
        seen["crs"] = dlg.crs_reason.text()
        person.shot("4_import_dialog", dlg)
        person.click(dlg.buttons.button(QDialogButtonBox.StandardButton.Ok))

    person.on_modal(accept_import)
    person.key(canvas.canvas, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert not person.errors, person.errors
    person.file_chosen()
    assert "GB18030" in seen["summary"] or "GBK" in seen["summary"]
    assert "EPSG:4549" in seen["crs"]
    new = [p for p in doc.project.parcels if p.uid not in before]
    assert [p.get("taxpayer_name") for p in new] == ["温州五马示例商贸有限公司", "温州会昌示例鞋业有限公司",
                                                      "温州黎明示例实业有限公司"]
    assert doc.selection.uids == [p.uid for p in new]                    # the new ones selected, fitted
    bx0, by0, bx1, by1 = shapely.total_bounds([p.geometry for p in new])
    vx0, vy0, vx1, vy1 = canvas.view.bounds
    assert vx0 <= bx0 and vy0 <= by0 and vx1 >= bx1 and vy1 >= by1
    person.shot("4_imported")

    # 5. fill and check taxpayer fields --------------------------------------------------------
    person.start("5")
    model = w.table.model
    col = model.column_of("taxpayer_id")
    r = doc.project.index_of(typed.uid)
    index = model.index(r, col)
    table.scrollTo(index)
    person.click(table.viewport(), table.visualRect(index).center())
    person.key(table, Qt.Key.Key_F2)                                    # edit the cell
    editor = QApplication.focusWidget()
    assert editor is not table and editor is not None, editor
    person.type(editor, "913303021234567890")
    person.key(editor, Qt.Key.Key_Return)
    assert doc.project.by_uid(typed.uid).get("taxpayer_id") == "913303021234567890"
    assert index.data(Qt.ItemDataRole.BackgroundRole) is not None         # marked invalid…
    assert "统一社会信用代码" in index.data(Qt.ItemDataRole.ToolTipRole)      # …as a credit code, with the reason
    person.shot("5_invalid")
    person.click(table.viewport(), table.visualRect(index).center())
    person.key(table, Qt.Key.Key_F2)                                    # F2 selects the cell's text
    editor = QApplication.focusWidget()
    assert editor is not table and editor.selectedText() == "913303021234567890"
    person.type(editor, "91330302355134710B")
    person.key(editor, Qt.Key.Key_Return)
    assert index.data(Qt.ItemDataRole.BackgroundRole) is None
    col = model.column_of("taxpayer_name")
    index = model.index(r, col)
    person.click(table.viewport(), table.visualRect(index).center())
    person.key(table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    person.type(editor, "温州示例录入有限公司")
    person.key(editor, Qt.Key.Key_Return)
    assert doc.project.by_uid(typed.uid).get("taxpayer_name") == "温州示例录入有限公司"
    person.shot("5_fixed")

    # 6. assess all ------------------------------------------------------------------------------
    person.start("6")
    person.key(canvas.canvas, Qt.Key.Key_F5)
    total = sum((doc.project.current_result(p.uid).due for p in doc.project.parcels), Decimal("0.00"))
    banner = w.extras.results.banner.label.text()
    assert f"{len(doc.project)} 宗地" in banner and fmt_yuan(total) in banner
    assert w.bottom_tabs.currentWidget() is w.results
    qtbot.waitUntil(lambda: w.extras.results.visible_rows() >= 15)
    person.shot("6_assessed")

    # 7. print one parcel and all (as PDF: the printer is the same pages) ---------------------------
    person.start("7")
    rv = w.results.view
    proxy = w.results.proxy
    target = next(k for k in range(proxy.rowCount()) if proxy.index(k, 0).data() == "330302001001GB09999")
    rv.scrollTo(proxy.index(target, 3))
    person.click(rv.viewport(), rv.visualRect(proxy.index(target, 3)).center())
    assert doc.selection.uids == [typed.uid]
    dialogs.save_path = str(tmp_path / "one.pdf")
    person.menu(w.m_file, w.a_pdf)
    person.file_chosen()
    from desktop.dialogs.report_dialog import page_count
    assert (tmp_path / "one.pdf").is_file() and page_count(tmp_path / "one.pdf") >= 1
    notice = w.files.__dict__["_report_checks"].notice                  # 报表已保存 … 打开文件 / 打开所在文件夹
    assert notice is not None and "one.pdf" in notice.findChild(QLabel).text()
    dialogs.save_path = str(tmp_path / "all.pdf")
    dialogs.question = QMessageBox.StandardButton.Yes      # the drawn parcel has no 宗地号: print it all the same
    person.menu(w.m_file, w.a_pdf_all)
    person.file_chosen()
    assert any("宗地号" in text or "纳税人" in text for _t, text in dialogs.asked)   # it asked first
    person._count(0)                                                       # …and the person clicked Yes
    assert page_count(tmp_path / "all.pdf") > len(doc.project)
    person.shot("7_printed")

    # 8. find a parcel by 宗地号 and a place by name --------------------------------------------------
    person.start("8")
    person.key(canvas.canvas, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    box = w.find.box
    assert box.hasFocus()
    person.type(box, "GB00007")
    person.key(box, Qt.Key.Key_Return)
    found = next(p for p in doc.project.parcels if p.label.endswith("GB00007"))
    assert doc.selection.uids == [found.uid]
    fx0, fy0, fx1, fy1 = found.geometry.bounds
    vx0, vy0, vx1, vy1 = canvas.view.bounds
    assert vx0 <= fx0 and vx1 >= fx1 and vy0 <= fy0 and vy1 >= fy1
    person.key(canvas.canvas, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    person.type(box, "世纪广场")
    person.key(box, Qt.Key.Key_Return)
    assert "世纪广场" in w.statusBar().currentMessage()
    place = w.find.results[0]
    vx0, vy0, vx1, vy1 = canvas.view.bounds
    assert place.kind != "parcel" and vx0 <= place.point[0] <= vx1 and vy0 <= place.point[1] <= vy1   # the map went there
    person.shot("8_found_place")

    # 9. add a reference layer ----------------------------------------------------------------------
    person.start("9")
    import geopandas as gpd
    streets = tmp_path / "街道.gpkg"
    gpd.GeoDataFrame({"name": ["示例路"]}, geometry=[shapely.LineString([(cx - 500, cy), (cx + 500, cy)])],
                     crs="EPSG:4549").to_file(streets, driver="GPKG")
    dialogs.open_path = str(streets)
    person.menu(w.m_file, w.a_add_reference)
    person.file_chosen()
    assert [s.name for s, _ in w.reference_layers.entries] == ["街道"]
    assert [r["shown"].text() for r in w.reference_panel.row_widgets] == ["街道"]
    person.shot("9_reference")

    # the counts are the README's ---------------------------------------------------------------------
    print("\n| Task | Clicks | Keys | Typed entries |")
    for task, (clicks, keys, typed_entries) in person.counts.items():
        print(f"| {task} | {clicks} | {keys} | {typed_entries} |")
    assert person.counts == readme_table()
