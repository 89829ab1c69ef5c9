"""Reports: the PDF of the reports module (one renderer), previewed and printed by
rasterising its pages with QtPdf, so the printed pages are the saved pages."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pandas as pd
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog

from zones.project import FIELD_KEYS
from zones.store_report import StoredAssessment


def write_report(doc, uids: list[str], path, progress=None) -> Path:
    """Write the A4 report of the parcels ``uids`` to ``path`` with the reports module, from
    their stored results (the figures on screen; nothing is assessed again). Parcels without
    a current result are left out (the print action offers only assessed ones)."""
    return report_job(doc, uids)(path, progress)


def report_job(doc, uids: list[str]):
    """Gather, on the GUI thread, what the report of ``uids`` needs (immutable snapshots of the
    parcels and their stored results); returns ``write(path, progress)``, which touches no Qt
    object and so may run on a worker thread."""
    from zones.report import write_parcel_reports

    pr = doc.project
    parcels = [pr.by_uid(u) for u in uids if pr.current_result(u) is not None]
    run = StoredAssessment(parcels, [pr.current_result(p.uid) for p in parcels], doc.zoneset, pr.period)
    from desktop.parcel_checks import with_checks   # a shared 宗地号, a failing identifier: in the flags area
    run.amend(lambda i, r: with_checks(doc, parcels[i].uid, r))
    # columns named by the attribute schema's keys, which the reports' field lookup knows
    attributes = pd.DataFrame([{key: p.get(key) for key in FIELD_KEYS} for p in parcels])
    status = {}
    reviewers = set()
    for i, p in enumerate(parcels):
        if pr.is_reviewed(p.uid):
            status[i] = f"已复核（{p.review.reviewer} {p.review.when.replace('T', ' ')}）"
            reviewers.add(p.review.reviewer)
        else:
            status[i] = "未复核"
    operator, reviewer = doc.operator, "、".join(sorted(reviewers))

    def write(path, progress=None) -> Path:
        return write_parcel_reports(run, path, attributes=attributes, operator=operator, reviewer=reviewer,
                                    review_status=status, progress=progress)

    return write


def page_count(pdf_path) -> int:
    pdf = QPdfDocument()
    pdf.load(str(pdf_path))
    n = pdf.pageCount()
    pdf.close()
    return n


def printed_pages(printer: QPrinter, count: int) -> list[int]:
    """The 0-based pages the print dialog asked for: its page range, else every page."""
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first, last = printer.fromPage(), min(printer.toPage() or count, count)
        return list(range(first - 1, last))
    return list(range(count))


def render_pages(pdf_path, dpi: float = 150, pages: list[int] | None = None) -> list[QImage]:
    """The PDF's pages (default every page) as images at ``dpi`` (white background)."""
    pdf = QPdfDocument()
    pdf.load(str(pdf_path))
    images = []
    for i in (range(pdf.pageCount()) if pages is None else pages):
        pts = pdf.pagePointSize(i)
        size = QSize(round(pts.width() / 72 * dpi), round(pts.height() / 72 * dpi))
        images.append(pdf.render(i, size))
    pdf.close()
    return images


def paint_pdf(pdf_path, printer: QPrinter) -> int:
    """Paint the PDF's pages on ``printer`` (or a preview); returns the page count."""
    dpi = min(printer.resolution(), 300)
    pages = render_pages(pdf_path, dpi, printed_pages(printer, page_count(pdf_path)))
    painter = QPainter()
    if not painter.begin(printer):
        return 0
    try:
        for k, img in enumerate(pages):
            if k:
                printer.newPage()
            rect = painter.viewport()
            scaled = img.size().scaled(rect.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.setViewport(rect.x(), rect.y(), scaled.width(), scaled.height())
            painter.setWindow(img.rect())
            painter.drawImage(0, 0, img)
            painter.setViewport(rect)
    finally:
        painter.end()
    return len(pages)


class ReportPrinter:
    """Preview, print or save the report of some parcels."""

    def __init__(self, doc, parent=None) -> None:
        self.doc, self.parent = doc, parent
        self.title = ""          # the dialogs' title: which parcels (desktop.print_caption)
        self._tmp = tempfile.TemporaryDirectory(prefix="wztax-report-")

    def pdf(self, uids) -> Path:
        return write_report(self.doc, uids, Path(self._tmp.name) / "report.pdf")

    def save(self, uids, path) -> Path:
        shutil.copyfile(self.pdf(uids), path)
        return Path(path)

    def in_background(self, uids, path, then, on_error, label: str = "") -> bool:
        """Write the report of ``uids`` to ``path`` (default: this printer's temporary folder) on
        the document's task runner, with progress and cancel in the status bar; ``then(path)``
        on the GUI thread when done. A cancel leaves no file: the PDF is written to a
        temporary name and renamed only when complete. False when another task runs."""
        target = Path(path) if path else Path(self._tmp.name) / "report.pdf"
        write = report_job(self.doc, uids)
        return self.doc.runner.run(label, lambda progress: write(target, progress), then, on_error)

    def preview(self, uids) -> None:
        self.preview_file(self.pdf(uids))

    def print(self, uids) -> None:
        self.print_file(self.pdf(uids))

    def preview_file(self, pdf) -> None:
        """The print preview of a report PDF already written."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dlg = QPrintPreviewDialog(printer, self.parent)
        if self.title:
            dlg.setWindowTitle(self.title)
        dlg.paintRequested.connect(lambda p: paint_pdf(pdf, p))
        dlg.exec()

    def print_file(self, pdf) -> None:
        """The system print dialog (page range over the report's pages), then the pages."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dlg = QPrintDialog(printer, self.parent)
        if self.title:
            dlg.setWindowTitle(self.title)
        # the system dialog offers a page range over the report's own pages
        dlg.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, True)
        dlg.setMinMax(1, max(page_count(pdf), 1))
        if dlg.exec() == QPrintDialog.DialogCode.Accepted:
            paint_pdf(pdf, printer)
