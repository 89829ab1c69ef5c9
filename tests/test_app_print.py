"""Print preview and printing of the reports, with the modal dialogs patched: the
preview must hold as many pages as the report PDF, and printing must put those
pages on the printer (here a PDF file)."""

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog, QPrintPreviewWidget

pytestmark = pytest.mark.gui


@pytest.fixture
def made_pdfs(monkeypatch):
    """Every report PDF the printer makes, in order."""
    from desktop.dialogs import report_dialog

    made = []
    for name in ("preview_file", "print_file"):
        original = getattr(report_dialog.ReportPrinter, name)

        def shown(self, path, original=original):
            made.append(len(PdfReader(str(path)).pages))
            return original(self, path)

        monkeypatch.setattr(report_dialog.ReportPrinter, name, shown)
    return made


def test_print_preview_shows_every_page(make_window, monkeypatch, made_pdfs):
    doc, window = make_window()
    window.files.open_sample()
    seen = []

    def exec_(dialog):
        preview = dialog.findChild(QPrintPreviewWidget)
        preview.updatePreview()          # what showing the dialog does: paintRequested → paint_pdf
        seen.append(preview.pageCount())
        return QPrintPreviewDialog.DialogCode.Rejected

    monkeypatch.setattr(QPrintPreviewDialog, "exec", exec_)
    doc.selection.set([doc.project.parcels[9].uid])
    window.a_preview.trigger()
    window.a_preview_all.trigger()
    assert seen == made_pdfs and len(seen) == 2
    assert seen[0] >= 1 and seen[1] > seen[0]        # all twelve parcels take more pages than one


def test_print_puts_the_report_pages_on_the_printer(make_window, monkeypatch, made_pdfs, tmp_path):
    doc, window = make_window()
    window.files.open_sample()
    out = tmp_path / "printed.pdf"

    def exec_(dialog):
        printer = dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)   # no printer offscreen: print to a file
        printer.setOutputFileName(str(out))
        return QPrintDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", exec_)
    doc.selection.set([doc.project.parcels[9].uid])
    window.a_print.trigger()
    assert out.exists() and len(PdfReader(str(out)).pages) == made_pdfs[0]


def test_layers_dock_names_layers_once(make_window):
    from PySide6.QtWidgets import QGroupBox, QLabel

    doc, window = make_window()
    texts = [window.layers_dock.windowTitle()] + [g.title() for g in window.layers.findChildren(QGroupBox)] + \
            [w.text() for w in window.layers.findChildren(QLabel)]
    assert texts.count("图层") == 1, texts


def test_print_a_page_range_of_a_taxpayers_parcels(make_window, monkeypatch, made_pdfs, tmp_path):
    """File ▸ Print the taxpayer's parcels: every parcel of the selected parcel's taxpayer; the system
    print dialog's page range (here pages 2–3) is what reaches the printer."""
    doc, window = make_window()
    window.files.open_sample()
    out = tmp_path / "range.pdf"
    first = doc.project.parcels[0]
    # a second parcel of the same taxpayer
    other = doc.project.parcels[4]
    doc.project.edit(doc.project.index_of(other.uid), who="甲", attrs={"taxpayer_name": first.get("taxpayer_name")})
    doc.assess_stale(force_all=True)
    seen = {}

    def exec_(dialog):
        seen["range"] = (dialog.minPage(), dialog.maxPage())
        printer = dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        printer.setPrintRange(QPrinter.PrintRange.PageRange)
        printer.setFromTo(2, 3)
        return QPrintDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", exec_)
    doc.selection.set([first.uid])
    assert window.files._report_uids("taxpayer") == [first.uid, other.uid]
    window.a_print_taxpayer.trigger()
    assert seen["range"] == (1, made_pdfs[-1]) and made_pdfs[-1] == 3      # summary + two one-page reports
    assert len(PdfReader(str(out)).pages) == 2
