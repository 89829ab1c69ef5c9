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

from zones.project import assess_parcels

#: The reports module's column names for our attribute keys.
REPORT_COLUMNS = {
    "taxpayer_type": "纳税人类型", "taxpayer_name": "纳税人名称", "taxpayer_id": "统一社会信用代码",
    "certificate_no": "不动产权证号", "unit_no": "不动产单元号", "parcel_no": "宗地号", "land_name": "土地名称",
    "land_nature": "土地性质", "acquisition_mode": "取得方式", "land_use": "土地用途", "address": "土地坐落",
    "acquired": "土地取得时间", "change_type": "变更类型", "change_month": "变更时间", "declared_area": "证载面积",
}


def write_report(doc, uids: list[str], path) -> Path:
    """Write the A4 report of the parcels ``uids`` to ``path`` with the reports module."""
    from zones.report import write_parcel_reports

    parcels = [doc.project.by_uid(u) for u in uids]
    _, run = assess_parcels(parcels, doc.zoneset, doc.project.period, catalogue=doc.catalogue,
                            input_sha256=doc.project.input_sha256, tax_base=doc.project.tax_base)
    attributes = pd.DataFrame([{col: p.get(key) for key, col in REPORT_COLUMNS.items()} for p in parcels])
    status = {}
    reviewers = set()
    for i, p in enumerate(parcels):
        if p.review is not None and doc.project.current_result(p.uid) is not None:
            status[i] = f"已复核（{p.review.reviewer} {p.review.when.replace('T', ' ')}）"
            reviewers.add(p.review.reviewer)
        else:
            status[i] = "未复核"
    return write_parcel_reports(run, path, attributes=attributes, operator=doc.operator,
                                reviewer="、".join(sorted(reviewers)), review_status=status)


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
        self._tmp = tempfile.TemporaryDirectory(prefix="wztax-report-")

    def pdf(self, uids) -> Path:
        return write_report(self.doc, uids, Path(self._tmp.name) / "report.pdf")

    def save(self, uids, path) -> Path:
        shutil.copyfile(self.pdf(uids), path)
        return Path(path)

    def preview(self, uids) -> None:
        pdf = self.pdf(uids)
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dlg = QPrintPreviewDialog(printer, self.parent)
        dlg.paintRequested.connect(lambda p: paint_pdf(pdf, p))
        dlg.exec()

    def print(self, uids) -> None:
        pdf = self.pdf(uids)
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dlg = QPrintDialog(printer, self.parent)
        # the system dialog offers a page range over the report's own pages
        dlg.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, True)
        dlg.setMinMax(1, max(page_count(pdf), 1))
        if dlg.exec() == QPrintDialog.DialogCode.Accepted:
            paint_pdf(pdf, printer)
