"""QA round 2, driven as an officer would: typed coordinates in all six systems, the review
mark and history after a grade-map or period change, one recovery file per running copy,
pasted lines that cannot be read, language of the dialogs, results headings and flags,
亩 to two decimals, and the rounding footnote."""

import re
from decimal import Decimal

import numpy as np
import pytest
import shapely
from pyproj import Transformer
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import QMessageBox

from zones.crs import wgs84_to_bd09, wgs84_to_gcj02

CJK = re.compile(r"[\u4e00-\u9fff]")


def square_tables(cx, cy, half=20.0):
    """A 40 m square round (cx, cy) (EPSG:4549) typed in each system, X column first as the dialog reads it."""
    e = np.array([cx - half, cx + half, cx + half, cx - half])
    n = np.array([cy - half, cy - half, cy + half, cy + half])
    to = lambda crs: Transformer.from_crs("EPSG:4549", crs, always_xy=True).transform(e, n)  # noqa: E731
    e28, n28 = to("EPSG:4528")
    lon, lat = to("EPSG:4326")
    lon2, lat2 = to("EPSG:4490")
    geo = {"EPSG:4490": (lon2, lat2), "EPSG:4326": (lon, lat), "GCJ-02": wgs84_to_gcj02(lon, lat),
           "BD-09": wgs84_to_bd09(lon, lat)}
    tables = {"EPSG:4549": "\n".join(f"J{i + 1}\t{n[i]:.3f}\t{e[i]:.3f}" for i in range(4)),
              "EPSG:4528": "\n".join(f"J{i + 1}\t{n28[i]:.3f}\t{e28[i]:.3f}" for i in range(4))}
    for key, (x, y) in geo.items():
        tables[key] = "\n".join(f"J{i + 1},{x[i]:.10f},{y[i]:.10f}" for i in range(4))
    return tables, shapely.Polygon(zip(e, n))


def open_dialog(qtbot, doc, window):
    from desktop.dialogs.coordinates_dialog import CoordinatesDialog
    dlg = CoordinatesDialog(doc.zoneset.bounds, window)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def paste(qtbot, dlg, text):
    """Copy the table to the clipboard and press Ctrl+V in the dialog, as an officer pastes from Excel."""
    QGuiApplication.clipboard().setText(text)
    dlg.table.setFocus()
    qtbot.keySequence(dlg, QKeySequence.StandardKey.Paste)


def test_six_systems_give_the_same_1600_m2_square(make_window, qtbot):
    doc, window = make_window()
    window.files.open_sample()
    c = doc.project.parcels[0].geometry.centroid                 # a grade-1 point in Lucheng
    tables, true = square_tables(c.x, c.y)
    dlg = open_dialog(qtbot, doc, window)
    for key, text in tables.items():
        dlg.system.setCurrentIndex(dlg.system.findData(key))
        paste(qtbot, dlg, "点号\tX\tY\n" + text)
        qtbot.mouseClick(dlg.check_button, Qt.MouseButton.LeftButton)
        assert dlg.polygon is not None, (key, dlg.message.text())
        assert dlg.polygon.area == pytest.approx(1600.0, abs=0.05), key
        assert dlg.polygon.symmetric_difference(true).area < 0.5, key
        assert "交换" not in dlg.message.text(), key             # a correct table is not "swapped"
    # the zone-prefixed table typed Y first is recognised as exchanged, and still gives the square
    rows = [r.split("\t") for r in tables["EPSG:4528"].splitlines()]
    dlg.system.setCurrentIndex(dlg.system.findData("EPSG:4528"))
    paste(qtbot, dlg, "\n".join(f"{a}\t{y}\t{x}" for a, x, y in rows))
    qtbot.mouseClick(dlg.check_button, Qt.MouseButton.LeftButton)
    assert "已交换" in dlg.message.text() and dlg.polygon.area == pytest.approx(1600.0, abs=0.05)
    # a 4549 table typed in the 4528 system fits neither order: refused, saying what fits the system
    dlg.system.setCurrentIndex(dlg.system.findData("EPSG:4528"))
    paste(qtbot, dlg, tables["EPSG:4549"])
    qtbot.mouseClick(dlg.check_button, Qt.MouseButton.LeftButton)
    assert dlg.polygon is None and "EPSG:4528" in dlg.message.text() and "40,100,000" in dlg.message.text()
    dlg.reject()


def test_unreadable_pasted_line_is_named_and_the_dialog_speaks_one_language(make_window, qtbot):
    doc, window = make_window()
    window.files.open_sample()
    c = doc.project.parcels[0].geometry.centroid
    n0, e0 = round(c.y), round(c.x)
    dlg = open_dialog(qtbot, doc, window)
    assert all("lon/lat" not in dlg.system.itemText(i) and "English" not in dlg.system.itemText(i)
               for i in range(dlg.system.count()))
    assert dlg.system.itemText(dlg.system.findData("GCJ-02")) == "GCJ-02 经纬度（高德、腾讯）"
    paste(qtbot, dlg, f"点号 X Y\n1 {n0} {e0}\n2 abc {e0 + 40}\n3 {n0 + 40} {e0 + 40}")
    assert "第 3 行无法读取" in dlg.message.text() and f"2 abc {e0 + 40}" in dlg.message.text()
    qtbot.mouseClick(dlg.check_button, Qt.MouseButton.LeftButton)
    assert dlg.polygon is None and "第 3 行" in dlg.message.text()
    assert " / " not in dlg.message.text()                       # no "中文 / English" pairs
    dlg.table.item(1, 1).setText(str(n0))                     # the officer corrects the row
    qtbot.mouseClick(dlg.check_button, Qt.MouseButton.LeftButton)
    assert dlg.polygon is not None and dlg.message.text().endswith("面积 800.00 m²，3 个界址点。")
    dlg.reject()

    window.lang_actions["en"].trigger()
    dlg = open_dialog(qtbot, doc, window)
    assert not any(CJK.search(dlg.system.itemText(i)) for i in range(dlg.system.count()))
    paste(qtbot, dlg, "1 abc 3\n2 3 4")
    qtbot.mouseClick(dlg.check_button, Qt.MouseButton.LeftButton)
    assert dlg.polygon is None and "Line 1 of the pasted text cannot be read" in dlg.message.text()
    assert not CJK.search(dlg.message.text())
    dlg.reject()


def load_official(window, tmp_path, rates):
    official = window.doc.zoneset.grades[["grade", "geometry"]].rename(columns={"grade": "DJ"})
    path = tmp_path / f"official-{rates.replace('=', '_').replace(',', '-')}.gpkg"
    official.to_file(path, layer="grades", driver="GPKG")

    def choose(dialog):
        dialog.field.setCurrentIndex(dialog.field.findData("DJ"))
        dialog.rates.setText(rates)
        return True

    assert window.zonesets.load_official(str(path), dialog_hook=choose)


def test_result_change_clears_review_and_logs_before_after(make_window, qtbot, tmp_path):
    doc, window = make_window()
    window.files.open_sample()
    p0, p1 = doc.project.parcels[0], doc.project.parcels[1]
    doc.selection.set([p0.uid])
    assert window.assessing.mark_reviewed("审核员甲")
    assert window.table.model.data(window.table.model.index(0, 0)) == "已复核"
    before = {p.uid: doc.project.current_result(p.uid).result.due for p in doc.project.parcels}
    assert before[p0.uid] == Decimal("41434.65")                   # 2,762.31 m² (certificate) × 15

    load_official(window, tmp_path, "1=20,2=12,3=6")
    after = doc.project.by_uid(p0.uid)
    assert doc.project.current_result(p0.uid).result.due == Decimal("55246.20")   # 2,762.31 × 20
    assert not doc.project.is_reviewed(after.uid) and window.table.model.data(window.table.model.index(0, 0)) == "已录入"
    texts = [h.what for h in doc.project.history(after.uid)]
    assert "因等级图/税率变化重新计税：应纳税额 41434.65 → 55246.20 元" in texts
    assert any(t.startswith("计税结果因等级图/税率/所属期变化而改变，复核标记清除（复核人 审核员甲") for t in texts)
    assert any("重新计税" in h.what for h in doc.project.history(p1.uid))    # M1: every changed parcel
    window.detail_tabs.setCurrentWidget(window.history)
    assert any("复核标记清除" in e[2] for e in window.history.entries())

    # review again, then change the period to the first half: the amount halves, the mark goes
    assert window.assessing.mark_reviewed("审核员甲")
    window.period.setCurrentIndex(1)
    now = doc.project.by_uid(p0.uid)
    assert doc.project.current_result(p0.uid).result.due == Decimal("27623.10") and not doc.project.is_reviewed(now.uid)
    last = doc.project.history(now.uid)[-1].what
    assert "所属期变化" in last and "55246.20 → 27623.10" in last


def test_a_result_that_does_not_change_keeps_its_review(make_window, tmp_path):
    doc, window = make_window()
    window.files.open_sample()
    p0 = doc.project.parcels[0]
    doc.selection.set([p0.uid])
    window.assessing.mark_reviewed("审核员甲")
    load_official(window, tmp_path, "1=15,2=10,3=5")              # the same grades and rates
    assert doc.project.is_reviewed(p0.uid)
    assert not any("重新计税" in h.what for h in doc.project.history(p0.uid))


def test_each_running_copy_has_its_own_recovery_file(make_window, dialogs, tmp_path):
    from desktop.commands import AddParcels
    from zones.project import new_parcel

    data = tmp_path / "shared"
    doc_a, win_a = make_window(data_folder=data, offer_recovery=False)
    win_a.files.open_sample()
    doc_a.selection.set([doc_a.project.parcels[3].uid])
    win_a.a_delete.trigger()
    doc_a.autosave_now()
    assert doc_a.recovery.path.exists() and str(doc_a.recovery.path.name).startswith("recovery-")

    dialogs.asked.clear()
    dialogs.question = QMessageBox.StandardButton.No
    doc_b, win_b = make_window(data_folder=data)                  # a second copy, A still running
    assert not any("未正常关闭" in text for _, text in dialogs.asked)
    assert doc_a.recovery.path.exists()                           # A's unsaved work is untouched
    c = doc_a.project.parcels[0].geometry.centroid
    doc_b.stack.push(AddParcels(doc_b, [new_parcel(shapely.box(c.x, c.y, c.x + 30, c.y + 30), "乙")], "B draws"))
    doc_b.autosave_now()
    assert doc_b.recovery.path != doc_a.recovery.path and doc_b.recovery.path.exists()
    assert len(list((data / "recovery").glob("recovery-*.gpkg"))) == 2

    # B exits cleanly (its work saved elsewhere): only B's file goes
    doc_b.stack.setClean()
    assert win_b.close()
    assert not doc_b.recovery.path.exists() and doc_a.recovery.path.exists()

    # A dies: its copy is offered to the next start, and restored
    win_a.hide()
    doc_a.recovery._lock.release()                                # what the OS does for a dead process
    uids = [p.uid for p in doc_a.project.parcels]
    doc_a.recovery = None
    dialogs.question = QMessageBox.StandardButton.Yes
    doc_c, win_c = make_window(data_folder=data)
    assert any("未正常关闭" in text for _, text in dialogs.asked)
    assert [p.uid for p in doc_c.project.parcels] == uids and win_c.isWindowModified()
    assert [p.name for p in (data / "recovery").glob("recovery-*.gpkg")] == [doc_c.recovery.path.name]


def test_results_table_words_and_panel_mu_and_rounding_note(make_window, qtbot):
    doc, window = make_window()
    window.files.open_sample()
    model = window.results.model
    heads = [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())]
    assert "图上面积（m²）" in heads and "一级面积（m²）" in heads and "提示" in heads
    assert not any("_m2" in h for h in heads)
    flags_col = heads.index("提示")
    texts = [model.data(model.index(r, flags_col)) for r in range(model.rowCount())]
    assert all(not re.search(r"[a-z_]{4,}", t) for t in texts)     # words, not codes like near_boundary
    assert any(t for t in texts)
    # the export keeps its own column names
    out = window.results
    from desktop.panels.results_panel import results_frame
    assert "图上面积_m2" in results_frame(doc).columns and out.header("图上面积_m2") == "图上面积（m²）"

    p0 = doc.project.parcels[0]
    doc.selection.set([p0.uid])
    html = window.assessment.html()
    assert f"({Decimal(p0.geometry.area) / (Decimal(10000) / 15):.2f} 亩)" in html   # 亩 to 2 decimals
    assert not re.search(r"\d\.\d{4} 亩", html)
    mu_col = window.table.model.column_of("mu") if hasattr(window.table.model, "column_of") else None
    if mu_col is not None and mu_col >= 0:
        assert re.fullmatch(r"[\d,]+\.\d\d", window.table.model.data(window.table.model.index(0, mu_col)))

    window.lang_actions["en"].trigger()
    heads = [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())]
    assert "Grade 1 area (m²)" in heads and "Map area (m²)" in heads


def test_rounding_footnote_when_two_decimal_area_times_rate_differs(make_window, qtbot, tmp_path):
    """By default every row multiplies out (tax base rounded to 0.01 m²); the officer can switch the
    project to the earlier rule from the Assess menu, and the panel then notes the difference."""
    from zones.project_file import load_project
    from zones.report.content import rounding_gap

    doc, window = make_window()
    window.files.open_sample()
    results = lambda: [doc.project.current_result(p.uid).result for p in doc.project.parcels]
    assert not any(rounding_gap(r) for r in results())
    for r in results():
        for row in r.rows:
            assert row.gross == (row.area_m2 * row.rate * row.months / 12).quantize(Decimal("0.01"), "ROUND_HALF_UP")
    doc.selection.set([doc.project.parcels[0].uid])
    assert "未经舍入" not in window.assessment.html() and "税基：各等级面积四舍五入到 0.01 m²" in window.assessment.html()

    window.a_unrounded.trigger()                    # Assess ▸ Tax on the unrounded map area (earlier rule)
    qtbot.waitUntil(lambda: not doc.runner.busy and all(doc.project.current_result(p.uid) for p in doc.project.parcels))
    assert doc.project.tax_base == "unrounded"
    for r in results():        # amounts now from the unrounded map area of each grade
        for row in r.rows:
            if r.declared_area_m2 is None:
                assert row.gross == (Decimal(row.map_area_m2) * row.rate * row.months / 12).quantize(Decimal("0.01"), "ROUND_HALF_UP")
    doc.selection.set([doc.project.parcels[0].uid])
    assert "税基：未经舍入的图上面积（旧规则）" in window.assessment.html()
    gapped = [p for p in doc.project.parcels if rounding_gap(doc.project.current_result(p.uid).result)]
    if gapped:     # the sample's areas are mostly whole square metres
        doc.selection.set([gapped[0].uid])
        gap = rounding_gap(doc.project.current_result(gapped[0].uid).result)
        assert f"应纳税额按未经舍入的图上面积计算，与表列两位小数面积相乘可能相差 {gap:.2f} 元。" in window.assessment.html()
    # the rule is a project setting: saved and read back
    from zones.project_file import save_project

    save_project(doc.project, tmp_path / "p.wztax", zoneset=doc.zoneset)
    assert load_project(tmp_path / "p.wztax").tax_base == "unrounded"
