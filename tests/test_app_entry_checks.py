"""What an officer sees when entering and printing parcels: the print dialog names the
parcel highlighted in 计算结果; a drawn parcel asks for its 宗地号 (跳过 → 未编号, never
an internal id); redo and undo select the parcels they bring back."""

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QMessageBox

from tests.test_app_draw import draw_square, grade1_point

pytestmark = pytest.mark.gui


def click_results_row(qtbot, window, uid):
    """Click the 计算结果 row of ``uid`` as a person does (the tab first)."""
    window.bottom_tabs.setCurrentWidget(window.results)
    view = window.results.view
    from desktop.results_table_model import UID_ROLE

    proxy = window.results.proxy
    row = next(r for r in range(proxy.rowCount()) if proxy.data(proxy.index(r, 0), UID_ROLE) == uid)
    view.scrollTo(window.results.proxy.index(row, 1))
    rect = view.visualRect(window.results.proxy.index(row, 1))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_printing_after_a_click_in_the_results_prints_that_parcel(make_window, qtbot, monkeypatch, tmp_path):
    doc, window = make_window()
    window.files.open_sample()
    first, wanted = doc.project.parcels[0], doc.project.parcels[7]
    doc.selection.set([first.uid])                 # something else selected on the map before
    click_results_row(qtbot, window, wanted.uid)
    assert doc.selection.uids == [wanted.uid]
    out, titles = tmp_path / "printed.pdf", []

    def exec_(dialog):
        titles.append(dialog.windowTitle())
        printer = dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        return QPrintDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", exec_)
    made = []
    from desktop.dialogs import report_dialog
    original = report_dialog.report_job
    monkeypatch.setattr(report_dialog, "report_job", lambda d, uids: (made.append(list(uids)), original(d, uids))[1])
    window.a_print.trigger()
    assert made == [[wanted.uid]]
    assert titles == [f"打印 — 宗地 {wanted.get('parcel_no')} {wanted.get('taxpayer_name')}"]
    assert out.exists()


def test_several_parcels_are_named_by_count_and_the_first_few(make_window):
    from desktop.print_caption import parcels_caption

    doc, window = make_window()
    window.files.open_sample()
    ps = doc.project.parcels
    text = parcels_caption(doc.project, [p.uid for p in ps[:5]])
    named = "、".join(f"{p.get('parcel_no')} {p.get('taxpayer_name')}".strip() for p in ps[:3])
    assert text == f"5 宗：{named}…"
    assert parcels_caption(doc.project, [ps[0].uid, ps[1].uid]).count("、") == 1


def test_a_drawn_parcel_asks_for_its_number(make_window, qtbot):
    doc, window = make_window()
    cx, cy = grade1_point()
    draw_square(qtbot, window, cx, cy, 20.0)
    prompt = window.editing.number_prompt
    assert prompt.isVisible() and window.focusWidget() is prompt.edit
    qtbot.keyClicks(prompt.edit, "330302001001GB09999")
    qtbot.keyClick(prompt.edit, Qt.Key.Key_Return)
    p = doc.project.parcels[0]
    assert not prompt.isVisible()
    assert p.get("parcel_no") == "330302001001GB09999" and p.label == "330302001001GB09999"
    assert doc.project.current_result(p.uid).result.parcel_id == "330302001001GB09999"
    doc.stack.undo()                                # the number is its own step
    assert doc.project.parcels[0].label == "未编号" and len(doc.project) == 1


def test_a_skipped_number_is_unnumbered_everywhere_and_printing_asks(make_window, qtbot, dialogs, tmp_path):
    doc, window = make_window()
    cx, cy = grade1_point()
    draw_square(qtbot, window, cx, cy, 20.0)
    prompt = window.editing.number_prompt
    qtbot.mouseClick(prompt.skip_button, Qt.MouseButton.LeftButton)
    p = doc.project.parcels[0]
    assert not prompt.isVisible() and p.get("parcel_no") == ""
    assert p.label == "未编号" and p.uid[:8] not in window.assessment.html()
    assert "未编号" in window.assessment.html()
    assert doc.project.current_result(p.uid).result.parcel_id == "未编号"
    assert window.results.model.data(window.results.model.index(0, 0)) == "未编号"
    dialogs.asked.clear()
    dialogs.question = QMessageBox.StandardButton.No
    assert not window.files.report("pdf", False, path=str(tmp_path / "r.pdf"))
    assert any("未编号" in text and "纳税人" in text for _, text in dialogs.asked)
    dialogs.question = QMessageBox.StandardButton.Yes
    assert window.files.report("pdf", False, path=str(tmp_path / "r.pdf"))
    text = "".join(page.extract_text() for page in PdfReader(str(tmp_path / "r.pdf")).pages)
    assert "未编号" in text and p.uid[:8] not in text


def test_escape_in_the_number_bar_skips(make_window, qtbot):
    doc, window = make_window()
    cx, cy = grade1_point()
    draw_square(qtbot, window, cx, cy, 20.0)
    prompt = window.editing.number_prompt
    qtbot.keyClicks(prompt.edit, "123")
    qtbot.keyClick(prompt.edit, Qt.Key.Key_Escape)
    assert not prompt.isVisible() and doc.project.parcels[0].label == "未编号"


def test_redo_selects_the_parcel_again(make_window, qtbot):
    doc, window = make_window()
    cx, cy = grade1_point()
    draw_square(qtbot, window, cx, cy, 20.0)
    uid = doc.project.parcels[0].uid
    window.a_undo.trigger()
    assert len(doc.project) == 0 and doc.selection.uids == []
    window.a_redo.trigger()
    assert doc.selection.uids == [uid]
    assert window.canvas.view.selected == [0]
    # a delete undone brings the parcel back selected; redone, it is gone and nothing is selected
    window.a_delete.trigger()
    assert window.statusBar().currentMessage() == "已删除 1 宗（Ctrl+Z 撤销）"
    doc.selection.set([])
    window.a_undo.trigger()
    assert doc.selection.uids == [uid]
    window.a_redo.trigger()
    assert doc.selection.uids == [] and len(doc.project) == 0


def test_an_invalid_identifier_says_why_in_the_results_and_the_panel(make_window):
    from desktop.commands import EditParcel
    from desktop.results_table_model import result_row

    doc, window = make_window()
    window.files.open_sample()
    p = doc.project.parcels[2]
    # typed in the table as an officer would: a company's code with one wrong character
    table = window.table.model
    assert table.setData(table.index(2, table.column_of("taxpayer_id")), "913303021234567890")
    p = doc.project.parcels[2]
    row = result_row(doc, p, doc.project.current_result(p.uid))
    assert "invalid_id" in row["提示"].split(";")
    # the results view's 提示 cell says it in words, and why on hover
    from desktop.results_table_model import UID_ROLE
    model = window.results.model
    r = next(k for k in range(model.rowCount()) if model.data(model.index(k, 0), UID_ROLE) == p.uid)
    cell = model.index(r, model.columns.index("提示"))
    assert "编号校验未通过" in model.data(cell)
    assert "按统一社会信用代码校验：校验码错误" in model.data(cell, Qt.ItemDataRole.ToolTipRole)
    doc.selection.set([p.uid])
    html = window.assessment.html()
    assert "纳税人识别号 913303021234567890：按统一社会信用代码校验：校验码错误" in html
    assert "身份证" not in html
    doc.stack.push(EditParcel(doc, p.uid, attrs={"taxpayer_id": ""}))
    assert "invalid_id" not in result_row(doc, doc.project.parcels[2], doc.project.current_result(p.uid))["提示"]
