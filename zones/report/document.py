"""The A4 page of every report: styles, the section headings, the running header
and the footer "第 i 页 共 n 页" counted per report (two passes: pages are kept
until the end, then numbered — reportlab's NumberedCanvas pattern)."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import Flowable, Table, TableStyle

from zones.report.fonts import CJK, LATIN, draw_text, markup, register_fonts, text_width
from zones.report.wrap import ProseParagraph, QuickText

PAGE_W, PAGE_H = A4
MARGIN_L, MARGIN_R, MARGIN_T, MARGIN_B = 19 * mm, 19 * mm, 17 * mm, 16 * mm
CONTENT_W = PAGE_W - MARGIN_L - MARGIN_R
GRID = colors.HexColor("#555555")
SHADE = colors.HexColor("#ececec")
WARN = colors.HexColor("#b00000")


def _style(name, size, leading, align=TA_LEFT, **kw) -> ParagraphStyle:
    # wordWrap CJK: break between Chinese characters; ProseParagraph adds the punctuation rules
    return ParagraphStyle(name, fontName=CJK, fontSize=size, leading=leading, alignment=align, wordWrap="CJK", **kw)


class Styles:
    def __init__(self):
        register_fonts()
        self.body = _style("body", 9, 13.5)
        self.small = _style("small", 7, 9.5, textColor=colors.HexColor("#333333"))
        self.cell = _style("cell", 8.5, 11)
        self.cell_r = _style("cell_r", 8.5, 11, TA_RIGHT)
        self.cell_c = _style("cell_c", 8.5, 11, TA_CENTER)
        self.head = _style("head", 8.5, 11, TA_CENTER)
        self.sub = _style("sub", 9, 12, TA_CENTER)
        self.tiny_r = _style("tiny_r", 7.5, 9.5, TA_RIGHT)
        self.tiny = _style("tiny", 7.5, 9.5)
        self.tiny_c = _style("tiny_c", 7.5, 9.5, TA_CENTER)
        # the one-page parcel report (计算单): compact but legible sizes
        self.c_cell = _style("c_cell", 8, 9.6)
        self.c_cell_r = _style("c_cell_r", 8, 9.6, TA_RIGHT)
        self.c_cell_c = _style("c_cell_c", 8, 9.6, TA_CENTER)
        self.c_head = _style("c_head", 8, 9.6, TA_CENTER)
        self.c_small = _style("c_small", 6.6, 8.0, textColor=colors.HexColor("#333333"))
        self.c_body = _style("c_body", 7.8, 9.8)
        self.pt = _style("pt", 6.8, 8, TA_RIGHT)
        self.pt_c = _style("pt_c", 6.8, 8, TA_CENTER)
        self.pt_l = _style("pt_l", 6.8, 8)


def para(text, style, *, color: str | None = None, bold: bool = False) -> ProseParagraph:
    """A paragraph of plain ``text``; a newline in it is a line break (two-line table headers).
    Drawn directly when it fits on one line (:class:`QuickText`)."""
    from zones.report.fields import printable

    return QuickText("\n".join(printable(t) for t in str(text).split("\n")), style, color=color, bold=bold)


def one_line(text, style, width: float, padding: float = 6) -> ProseParagraph:
    """A paragraph that never wraps (amounts, areas): set smaller when ``text`` at the style's
    size would not fit in a cell ``width`` points wide (padding included)."""
    from reportlab.lib.styles import ParagraphStyle

    from zones.report.fonts import text_width

    room = width - padding - 0.5
    need = text_width(str(text), style.fontSize)
    if need > room > 0:
        size = style.fontSize * room / need
        style = ParagraphStyle(f"{style.name}-{size:.2f}", parent=style, fontSize=size, leading=max(style.leading, size * 1.2))
    return para(text, style)


def rich(parts, style) -> ProseParagraph:
    """A paragraph of (text, colour or None) parts."""
    body = "".join(f'<font color="{c}">{markup(t)}</font>' if c else markup(t) for t, c in parts)
    return ProseParagraph(body, style)


def grid_table(rows, widths, *, header_rows: int = 1, repeat: bool = True, total_row: bool = False,
               extra: list | None = None, compact: bool = False) -> Table:
    """A ruled table; ``compact``: the tighter cell padding of the one-page 计算单, drawn the short
    way (:class:`~zones.report.grid.FastTable`)."""
    from zones.report.grid import FastTable

    t = (FastTable if compact else Table)(rows, colWidths=widths, repeatRows=header_rows if repeat else 0)
    pad = (1.0, 1.5, 2.5) if compact else (2.2, 2.6, 3)
    cmds = [
        ("FONTNAME", (0, 0), (-1, -1), LATIN),   # plain-string cells would default to Helvetica
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("BOX", (0, 0), (-1, -1), 0.9, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), pad[0]),
        ("BOTTOMPADDING", (0, 0), (-1, -1), pad[1]),
        ("LEFTPADDING", (0, 0), (-1, -1), pad[2]),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad[2]),
    ]
    if header_rows:
        cmds.append(("BACKGROUND", (0, 0), (-1, header_rows - 1), SHADE))
    if total_row:
        cmds.append(("BACKGROUND", (0, -1), (-1, -1), SHADE))
        cmds.append(("LINEABOVE", (0, -1), (-1, -1), 0.9, colors.black))
    t.setStyle(TableStyle(cmds + (extra or [])))
    return t


class Heading(Flowable):
    """A section heading: faked-bold text over a thin rule."""

    def __init__(self, text: str, size: float = 10.5, space_before: float = 7):
        super().__init__()
        self.text, self.size, self.space_before = text, size, space_before

    def wrap(self, aw, ah):
        self.width = aw
        return aw, self.size + 5 + self.space_before

    def draw(self):
        c = self.canv
        draw_text(c, 0, 4, self.text, self.size, bold=True)
        c.setLineWidth(0.6)
        c.line(0, 1.5, self.width, 1.5)

    def getSpaceBefore(self):
        return 0


class Title(Flowable):
    """The document title, centred, faked bold."""

    def __init__(self, text: str, size: float = 16):
        super().__init__()
        self.text, self.size = text, size

    def wrap(self, aw, ah):
        self.width = aw
        return aw, self.size * 1.6

    def draw(self):
        draw_text(self.canv, self.width / 2, self.size * 0.45, self.text, self.size, align="center", bold=True)


class SectionMark(Flowable):
    """Zero-size marker: from this page on, the running header and the page count belong
    to report ``number`` (a batch PDF numbers each parcel's report on its own)."""

    def __init__(self, number: str, title: str):
        super().__init__()
        self.number, self.title = number, title

    def wrap(self, aw, ah):
        return 0, 0

    def draw(self):
        self.canv._wz_section = (self.number, self.title)


class NumberedCanvas(rl_canvas.Canvas):
    """Keeps every page until save(), then draws header and footer knowing the page counts."""

    footer_left = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []
        self._wz_section = ("", "")

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        per_section: dict[str, int] = {}
        for state in self._pages:
            per_section[state["_wz_section"][0]] = per_section.get(state["_wz_section"][0], 0) + 1
        seen: dict[str, int] = {}
        total = len(self._pages)
        for k, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            number, title = self._wz_section
            seen[number] = seen.get(number, 0) + 1
            self._decorate(number, title, seen[number], per_section[number], k, total)
            super().showPage()
        super().save()

    def _decorate(self, number, title, page, pages, k, total):
        self.saveState()
        self.setFillColor(colors.HexColor("#444444"))
        self.setStrokeColor(colors.HexColor("#777777"))
        top = PAGE_H - MARGIN_T + 6 * mm
        draw_text(self, MARGIN_L, top, title, 7.5)
        if number:
            draw_text(self, PAGE_W - MARGIN_R, top, f"编号：{number}", 7.5, align="right")
        self.setLineWidth(0.4)
        self.line(MARGIN_L, top - 2, PAGE_W - MARGIN_R, top - 2)
        bottom = MARGIN_B - 9 * mm
        self.line(MARGIN_L, bottom + 9, PAGE_W - MARGIN_R, bottom + 9)
        draw_text(self, PAGE_W / 2, bottom, f"第 {page} 页 共 {pages} 页", 8, align="center")
        if self.footer_left:   # the left third of the line: the page number is centred
            size = min(6.5, 6.5 * (PAGE_W / 2 - MARGIN_L - 40) / max(text_width(self.footer_left, 6.5), 1))
            draw_text(self, MARGIN_L, bottom, self.footer_left, size)
        if total != pages:
            draw_text(self, PAGE_W - MARGIN_R, bottom, f"全册第 {k} / {total} 页", 6.5, align="right")
        elif title.endswith("汇总表"):
            draw_text(self, PAGE_W - MARGIN_R, bottom, f"汇总表共 {total} 页", 6.5, align="right")
        self.restoreState()


def canvas_maker(footer_left: str):
    return type("WZCanvas", (NumberedCanvas,), {"footer_left": footer_left})
