"""Printing or saving the reports of many parcels runs on the task runner's worker thread: the
window keeps handling events, the status bar shows progress with a cancel button, and a cancel
leaves no file (the PDF is written under a temporary name and renamed only when complete)."""

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt, QTimer

pytestmark = pytest.mark.gui


def _background(doc):
    doc.runner.synchronous = False          # as the application runs (the test fixture makes it inline)


def test_saving_all_reports_runs_off_the_gui_thread(make_window, qtbot, tmp_path):
    doc, window = make_window()
    window.files.open_sample()
    _background(doc)
    out = tmp_path / "全部.pdf"
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(doc.runner.busy))
    timer.start(10)
    assert window.files.report("pdf", True, path=str(out)) is True
    assert doc.runner.busy and window.progress.isVisible() and window.cancel_button.isVisible()
    assert not out.exists()                 # the call came back before the PDF was written
    qtbot.waitUntil(lambda: not doc.runner.busy, timeout=120_000)
    timer.stop()
    assert ticks.count(True) >= 1           # the GUI thread handled events while the worker wrote
    assert out.exists() and len(PdfReader(str(out)).pages) >= 1 + len(doc.project)
    assert not window.progress.isVisible() and not window.cancel_button.isVisible()
    assert window.files._report_checks.notice is not None          # 已保存 with 打开文件 / 打开所在文件夹
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".pdf" or ".tmp" in p.name) == ["全部.pdf"]


def test_cancel_leaves_no_file(make_window, qtbot, tmp_path):
    doc, window = make_window()
    window.files.open_sample()
    _background(doc)
    out = tmp_path / "全部.pdf"
    before = set(tmp_path.iterdir())
    assert window.files.report("pdf", True, path=str(out)) is True
    qtbot.mouseClick(window.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not doc.runner.busy, timeout=120_000)
    assert window.statusBar().currentMessage() == "已取消报表，未写入任何文件"
    assert not out.exists()
    assert set(tmp_path.iterdir()) - before <= {tmp_path / "data", tmp_path / "settings.ini"}    # no partial file
    # and the next run goes through
    assert window.files.report("pdf", True, path=str(out)) is True
    qtbot.waitUntil(lambda: not doc.runner.busy, timeout=120_000)
    assert out.exists()


def test_printing_a_taxpayers_parcels_waits_for_the_worker(make_window, qtbot, monkeypatch, tmp_path):
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    doc, window = make_window()
    window.files.open_sample()
    _background(doc)
    printed = tmp_path / "printed.pdf"
    seen = []

    def exec_(dialog):
        seen.append(dialog.maxPage())
        printer = dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        return QPrintDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", exec_)
    doc.selection.set([doc.project.parcels[0].uid])
    window.a_print_taxpayer.trigger()
    assert seen == []                       # the dialog opens only once the PDF is complete
    qtbot.waitUntil(lambda: bool(seen), timeout=120_000)
    assert printed.exists() and len(PdfReader(str(printed)).pages) == seen[0]
