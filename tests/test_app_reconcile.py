"""税源比对 in the desktop, driven as staff use it: the menu, the registry file chosen,
the map with its legend, the table filtered by status, one parcel's split beside its
registered rows, the result in every parcel's history (append-only), saved and printed."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest
from PySide6.QtCore import Qt

from zones.assess import assess
from zones.reconcile_project import project_inputs
from zones.report.source_workbook import write_source_workbook

pytestmark = pytest.mark.gui


def registry_from(doc, path, *, drop: str, wrong_rate: str):
    """The project's own 税源明细 export, with one parcel's rows removed and one rate wrong."""
    parcels, ids, attrs = project_inputs(doc.project)
    a = assess(parcels, doc.zoneset, doc.project.period, ids=ids)
    write_source_workbook(a, path, attributes=attrs)
    wb = openpyxl.load_workbook(path)
    ws = wb["税源明细"]
    head = [c.value for c in ws[1]]
    col_id, col_rate = head.index("宗地号") + 1, head.index("税额标准") + 1
    for r in range(ws.max_row, 1, -1):
        pid = ws.cell(r, col_id).value
        if pid == drop:
            ws.delete_rows(r)
        elif pid == wrong_rate:
            ws.cell(r, col_rate).value = 1
    wb.save(path)


def answer_options(window, qtbot, fill, *, accept=True):
    """When the options dialog opens: ``fill(dialog)`` as the officer would, then 确定 (or 取消)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QDialogButtonBox

    seen = {}

    def act():
        dlg = window.reconcile.options_dialog
        if dlg is None or not dlg.isVisible():
            QTimer.singleShot(20, act)
            return
        seen["dialog"] = dlg
        fill(dlg)
        button = QDialogButtonBox.StandardButton.Ok if accept else QDialogButtonBox.StandardButton.Cancel
        qtbot.mouseClick(dlg.buttons.button(button), Qt.MouseButton.LeftButton)
        seen["problem"] = dlg.problem.text()
        if dlg.isVisible():                          # refused: the officer gives up
            qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, act)
    return seen


def test_reconcile_from_the_menu(make_window, dialogs, tmp_path, qtbot):
    doc, window = make_window()
    assert window.files.open_sample()
    ids = [p.attrs.get("parcel_no") or p.uid for p in doc.project.parcels]
    registry_from(doc, tmp_path / "税源明细.xlsx", drop=ids[2], wrong_rate=ids[5])
    before = [len(doc.project.history(p.uid)) for p in doc.project.parcels]

    dialogs.open_path = str(tmp_path / "税源明细.xlsx")
    assert window.reconcile.action in window.m_assess.actions()
    assert window.reconcile.action.text() == "税源比对(&R)…"                      # Chinese first
    answer_options(window, qtbot, lambda o: None)                     # the defaults: this year, no claim rules
    window.reconcile.action.trigger()                                 # synchronous runner in tests
    dlg = window.reconcile.dialog
    assert dlg is not None and dlg.isVisible()
    res = window.reconcile.result
    status = dict(zip(res.table["parcel_id"], res.table["status"]))
    assert status[ids[2]] == "unregistered" and status[ids[5]] == "rate_mismatch"
    assert sum(s == "matched" for s in status.values()) == len(ids) - 2

    # the map: coloured parcels and a legend naming the statuses with their counts
    assert dlg.map.legend_codes == ["matched", "unregistered", "rate_mismatch"]
    legend = [t.get_text() for t in dlg.map.ax.get_legend().get_texts()]
    assert legend == [f"一致 {len(ids) - 2}", "未登记 1", "税额标准不符 1"]

    assert dlg.print_button.text() == "打印…" and dlg.model.headerData(8, Qt.Orientation.Horizontal) == "补税额"

    # the table filtered by status, with the money
    dlg.filter.setCurrentIndex(dlg.filter.findData("unregistered"))
    assert dlg.model.rowCount() == 1
    assert dlg.model.data(dlg.model.index(0, 0)) == ids[2]
    due = f"{res.table.loc[res.table['parcel_id'] == ids[2], 'tax_map_year'].item():,.2f}"
    assert due != "0.00"
    # unregistered for one year: the whole map tax is the year's difference and the back tax
    assert [dlg.model.data(dlg.model.index(0, c)) for c in (5, 6, 7, 8)] == [due, "0.00", due, due]

    # one parcel: its map split beside its registered rows, grade by grade
    dlg.filter.setCurrentIndex(dlg.filter.findData("rate_mismatch"))
    dlg.view.selectRow(0)
    qtbot.waitUntil(lambda: getattr(dlg, "shown", None) == ids.index(ids[5]))
    assert not dlg.split_image.pixmap().isNull()
    assert dlg.grades.rowCount() >= 1 and dlg.grades.item(0, 5).text() == "1"
    assert dlg.registered.rowCount() == dlg.grades.rowCount()
    assert "人民币" in dlg.money.text()

    # into the project's audit log (append-only: a reconciliation is a fact, not an undoable edit)
    after = [len(doc.project.history(p.uid)) for p in doc.project.parcels]
    assert after == [n + 1 for n in before]
    last = doc.project.history(doc.project.parcels[2].uid)[-1]
    assert last.kind == "reconcile" and last.what.startswith("税源比对（税源明细.xlsx") and "未登记" in last.what
    assert doc.modified
    from zones.project_file import load_project, save_project

    save_project(doc.project, tmp_path / "p.gpkg", zoneset=doc.zoneset)
    again = load_project(tmp_path / "p.gpkg")
    assert [e.kind for e in again.history(doc.project.parcels[2].uid)][-1] == "reconcile"

    # saved and printable
    assert dlg.save_results(str(tmp_path / "r.xlsx")).exists()
    assert pd.read_excel(tmp_path / "r.xlsx", sheet_name="汇总", engine="openpyxl").shape[0] > 0
    pdf = dlg.save_report(str(tmp_path / "r.pdf"))
    assert pdf.read_bytes()[:5] == b"%PDF-"
    dlg.close()


def test_years_claim_period_and_late_fee_chosen_in_the_dialog(make_window, dialogs, tmp_path, qtbot):
    """Two years of back tax for an unregistered parcel; then a one-year 追征期 and a late fee
    of 0.05 % a day, counted to 2026-12-02: the money follows the rule, and the rule is printed."""
    from datetime import date
    from decimal import Decimal

    from PySide6.QtCore import QDate

    doc, window = make_window()
    assert window.files.open_sample()
    ids = [p.attrs.get("parcel_no") or p.uid for p in doc.project.parcels]
    registry_from(doc, tmp_path / "税源明细.xlsx", drop=ids[2], wrong_rate=ids[5])
    dialogs.open_path = str(tmp_path / "税源明细.xlsx")
    year = doc.project.period.year

    def two_years(dlg):
        assert dlg.windowTitle() == "比对选项" and dlg.first.value() == year == dlg.last.value()
        assert not dlg.claim_years.isEnabled() and not dlg.late_rate.isEnabled()   # off by default
        dlg.first.setValue(year - 1)

    answer_options(window, qtbot, two_years)
    window.reconcile.action.trigger()
    res = window.reconcile.result
    assert res.years == [year - 1, year]
    row = res.table.loc[res.table["parcel_id"] == ids[2]].iloc[0]
    one_year = Decimal(str(row["tax_map_year"]))
    assert one_year > 0 and Decimal(str(row["back_tax"])) == 2 * one_year
    assert "未设追征期限制" in res.rule and "未计滞纳金" in res.rule

    def claim_and_fee(dlg):
        dlg.first.setValue(year - 1)
        qtbot.mouseClick(dlg.claim_on, Qt.MouseButton.LeftButton)
        dlg.claim_years.setValue(0)
        qtbot.mouseClick(dlg.late_on, Qt.MouseButton.LeftButton)
        assert dlg.late_rate.text() == "0.0005"
        dlg.as_of.setDate(QDate(year, 12, 2))

    answer_options(window, qtbot, claim_and_fee)
    window.reconcile.action.trigger()
    res = window.reconcile.result
    assert res.claimed == [year] and res.options.claim.as_of == date(year, 12, 2)
    row = res.table.loc[res.table["parcel_id"] == ids[2]].iloc[0]
    assert Decimal(str(row["back_tax"])) == one_year
    # the year's tax is late from 1 January of the next year, which is after 2 December: no fee yet
    assert Decimal(str(row["late_fee"])) == 0
    assert "追征期 0 年" in res.rule and f"{year - 1} 年已超过追征期" in res.rule and "按日 0.05" in res.rule
    assert res.rule in window.reconcile.dialog.rule.text()

    def fee_for_last_year(dlg):
        dlg.first.setValue(year - 1)
        dlg.last.setValue(year - 1)
        qtbot.mouseClick(dlg.late_on, Qt.MouseButton.LeftButton)
        dlg.as_of.setDate(QDate(year, 1, 10))           # 10 days late, inclusive

    answer_options(window, qtbot, fee_for_last_year)
    window.reconcile.action.trigger()
    res = window.reconcile.result
    row = res.table.loc[res.table["parcel_id"] == ids[2]].iloc[0]
    due = Decimal(str(row["tax_map_year"]))
    expected = (due * Decimal("0.0005") * 10).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    assert Decimal(str(row["late_fee"])) == expected > 0
    # the window shows it: a 滞纳金 column after 补税额, and the amount in figures and 大写 for the parcel
    dlg = window.reconcile.dialog
    headers = [dlg.model.headerData(c, Qt.Orientation.Horizontal) for c in range(dlg.model.columnCount())]
    assert headers[headers.index("补税额") + 1] == "滞纳金"
    dlg.select_table_row(ids.index(ids[2]))
    qtbot.waitUntil(lambda: getattr(dlg, "shown", None) == ids.index(ids[2]))
    assert f"滞纳金：{expected:,.2f} 元" in dlg.money.text()
    dlg.close()


def test_options_refuse_years_without_legal_basis_and_cancel_does_nothing(make_window, dialogs, tmp_path, qtbot):
    doc, window = make_window()
    assert window.files.open_sample()
    ids = [p.attrs.get("parcel_no") or p.uid for p in doc.project.parcels]
    registry_from(doc, tmp_path / "税源明细.xlsx", drop=ids[2], wrong_rate=ids[5])
    dialogs.open_path = str(tmp_path / "税源明细.xlsx")
    before = [len(doc.project.history(p.uid)) for p in doc.project.parcels]

    seen = answer_options(window, qtbot, lambda dlg: dlg.first.setValue(2010))
    assert window.reconcile.start() is False
    assert "2010" in seen["problem"] and "没有法律依据" in seen["problem"]

    seen = answer_options(window, qtbot, lambda dlg: (dlg.late_on.setChecked(True), dlg.late_rate.setText("万分之五")))
    assert window.reconcile.start() is False
    assert "万分之五" in seen["problem"]

    answer_options(window, qtbot, lambda dlg: None, accept=False)
    assert window.reconcile.start() is False
    assert window.reconcile.result is None and window.reconcile.dialog is None
    assert [len(doc.project.history(p.uid)) for p in doc.project.parcels] == before
