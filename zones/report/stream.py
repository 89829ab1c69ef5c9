"""Writing a report PDF to disk page by page, so that a district's batch (10,000 parcels,
11,000 pages) never sits in memory.

reportlab keeps every page object until ``save()`` and only then formats the file. Here each
page's content stream — nearly all of a page's bytes — is compressed and written to the file
as soon as the page is finished, and only the small page dictionary stays in memory. A PDF may
hold its objects in any order (the cross-reference table gives their offsets), so at the end
the remaining objects follow: the page tree, the fonts (subset ONCE for the whole file, from
every character used on every page), and the footers.

The footer "第 i 页 共 n 页" needs the page count of each parcel's report, and "全册第 k / N
页" the whole file's, which are known only at the end: each page draws a form XObject there
that is defined at the end (PDF allows the forward reference), instead of keeping the pages
back as reportlab's NumberedCanvas pattern does."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.pdfbase.pdfdoc import (PDFCrossReferenceTable, PDFFile, PDFIndirectObject, PDFStream, PDFTrailer,
                                      PDFZCompress)
from reportlab.pdfgen import canvas as rl_canvas

from zones.report.document import MARGIN_B, MARGIN_L, MARGIN_R, MARGIN_T, PAGE_H, PAGE_W
from zones.report.fonts import draw_text, text_width


class _DiskFile(PDFFile):
    """reportlab's output collector, writing straight to an open file (offsets kept)."""

    def __init__(self, fh, version):
        super().__init__(version)        # collects the header line in self.strings
        for data in self.strings:
            fh.write(data)
        self.strings = []
        self.write = fh.write            # PDFFile.add calls self.write

    def format(self, document) -> bytes:
        return b""


class StreamingCanvas(rl_canvas.Canvas):
    """A canvas that writes each page's content to disk at ``showPage`` and decorates every
    page with the running header and the page-count footer of its report."""

    footer_left = ""

    def __init__(self, filename, *args, **kwargs):
        super().__init__(filename, *args, **kwargs)
        self._path = filename
        self._fh = None                  # opened at the first page (platypus makes throw-away canvases too)
        self._out = None
        self._written: set[str] = set()
        self._wz_section = ("", "")
        self._footers: list[tuple[str, str, int]] = []      # per page: report number, title, page in report
        self._per_section: dict[str, int] = {}

    # ------------------------------------------------------------------ pages
    def showPage(self):
        number, title = self._wz_section
        self._per_section[number] = self._per_section.get(number, 0) + 1
        self._footers.append((number, title, self._per_section[number]))
        self._header(number, title)
        self.doForm(f"wzfoot{len(self._footers)}")          # defined in save(), when the counts are known
        super().showPage()
        self._flush_last_page()

    def _flush_last_page(self) -> None:
        doc = self._doc
        if self._fh is None:
            self._fh = open(self._path, "wb")
            self._out = _DiskFile(self._fh, doc._pdfVersion)
        page = doc.Pages.pages[-1]
        stream = PDFStream(content=page.stream, filters=[PDFZCompress])
        ref = doc.Reference(stream)
        self._written.add(ref.name)
        doc.idToOffset[ref.name] = self._out.add(PDFIndirectObject(ref.name, stream).format(doc))
        self._fh.flush()               # on disk, not in a buffer: one write per page
        stream.content = ""            # written: only the page dictionary stays in memory
        page.Contents, page.stream = ref, None

    def _header(self, number: str, title: str) -> None:
        self.saveState()
        self.setFillColor(colors.HexColor("#444444"))
        self.setStrokeColor(colors.HexColor("#777777"))
        top = PAGE_H - MARGIN_T + 6 * 2.834645669
        draw_text(self, MARGIN_L, top, title, 7.5)
        if number:
            draw_text(self, PAGE_W - MARGIN_R, top, f"编号：{number}", 7.5, align="right")
        self.setLineWidth(0.4)
        self.line(MARGIN_L, top - 2, PAGE_W - MARGIN_R, top - 2)
        self.restoreState()

    def _footer(self, k: int, total: int) -> None:
        number, title, page = self._footers[k - 1]
        pages = self._per_section[number]
        self.setFillColor(colors.HexColor("#444444"))
        self.setStrokeColor(colors.HexColor("#777777"))
        bottom = MARGIN_B - 8 * 2.834645669
        self.setLineWidth(0.4)
        self.line(MARGIN_L, bottom + 9, PAGE_W - MARGIN_R, bottom + 9)
        draw_text(self, PAGE_W / 2, bottom, f"第 {page} 页 共 {pages} 页", 8, align="center")
        if self.footer_left:   # the left third of the line: the page number is centred
            size = min(6.5, 6.5 * (PAGE_W / 2 - MARGIN_L - 40) / max(text_width(self.footer_left, 6.5), 1))
            draw_text(self, MARGIN_L, bottom, self.footer_left, size)
        if total != pages:
            draw_text(self, PAGE_W - MARGIN_R, bottom, f"全册第 {k} / {total} 页", 6.5, align="right")
        elif title.endswith("汇总表"):
            draw_text(self, PAGE_W - MARGIN_R, bottom, f"汇总表共 {total} 页", 6.5, align="right")

    # ------------------------------------------------------------------- save
    def save(self):
        if len(self._code):
            self.showPage()
        total = len(self._footers)
        for k in range(1, total + 1):
            self.beginForm(f"wzfoot{k}")
            self._footer(k, total)
            self.endForm()
        try:
            self._finish()
        finally:
            if self._fh is not None:
                self._fh.close()

    def abandon(self) -> None:
        """Close the file of a build that failed or was cancelled (its caller removes it; an
        open handle would stop that on Windows)."""
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    def _finish(self) -> None:
        """reportlab's GetPDFData + format, skipping the objects already on disk."""
        doc = self._doc
        for font in doc.delayedFonts:
            font.addObjects(doc)
        doc.info.invariant = doc.invariant
        doc.info.digest(doc.signature)
        doc.Reference(doc.Catalog)
        doc.Reference(doc.info)
        doc.Outlines.prepare(doc, self)
        if doc.Outlines.ready < 0:
            doc.Catalog.Outlines = None
        doc.encrypt.prepare(doc)
        ids, counter = [], 0
        while True:                       # objects may be added while formatting: no list up front
            counter += 1
            if counter not in doc.numberToId:
                break
            oid = doc.numberToId[counter]
            ids.append(oid)
            if oid not in self._written:
                doc.idToOffset[oid] = self._out.add(PDFIndirectObject(oid, doc.idToObject[oid]).format(doc))
        xref = PDFCrossReferenceTable()
        xref.addsection(0, ids)
        at = self._out.add(xref.format(doc))
        trailer = PDFTrailer(startxref=at, Size=len(doc.numberToId) + 1, Root=doc.Reference(doc.Catalog),
                             Info=doc.Reference(doc.info), Encrypt=None, ID=doc.ID())
        self._out.add(trailer.format(doc))


def streaming_canvas(footer_left: str):
    return type("WZStreamingCanvas", (StreamingCanvas,), {"footer_left": footer_left})
