"""税源比对 in the desktop, driven as staff use it: the menu, the registry file chosen,
the map with its legend, the table filtered by status, one parcel's split beside its
registered rows, the result in every parcel's history (undoable), saved and printed."""

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


def test_reconcile_from_the_menu(make_window, dialogs, tmp_path, qtbot):
    doc, window = make_window()
    assert window.files.open_sample()
    ids = [p.attrs.get("parcel_no") or p.uid for p in doc.project.parcels]
    registry_from(doc, tmp_path / "税源明细.xlsx", drop=ids[2], wrong_rate=ids[5])
    before = [len(doc.project.history(p.uid)) for p in doc.project.parcels]

    dialogs.open_path = str(tmp_path / "税源明细.xlsx")
    assert window.reconcile.action in window.m_assess.actions()
    assert window.reconcile.action.text() == "税源比对(&R)…"                      # Chinese first
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
