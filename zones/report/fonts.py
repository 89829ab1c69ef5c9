"""Fonts of the PDF reports, all embedded (subset) in the file.

The bundled CJK font has Latin letters and digits, but DejaVu Sans sets them better, so
text is split into runs: characters DejaVu Sans has (Latin, digits, ² × ± …)
are set in DejaVu Sans from matplotlib's data folder (always present where the
map is drawn), everything else in the CJK font. None of the PDF standard 14
fonts is used, so the printed page does not depend on the viewer's fonts.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

CJK = "WZ-CJK"
LATIN = "WZ-Latin"
LATIN_BOLD = "WZ-Latin-Bold"


def _dejavu(name: str) -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name


@lru_cache(maxsize=1)
def register_fonts() -> dict[str, object]:
    """Register the report fonts with reportlab once; returns {name: TTFont}."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from zones.fonts import cjk_font_path

    fonts = {
        CJK: TTFont(CJK, str(cjk_font_path())),
        LATIN: TTFont(LATIN, str(_dejavu("DejaVuSans.ttf"))),
        LATIN_BOLD: TTFont(LATIN_BOLD, str(_dejavu("DejaVuSans-Bold.ttf"))),
    }
    for f in fonts.values():
        pdfmetrics.registerFont(f)
    # <b> inside a paragraph must never fall back to Helvetica-Bold
    for face in (CJK, LATIN):
        bold = LATIN_BOLD if face == LATIN else CJK
        addMapping(face, 0, 0, face)
        addMapping(face, 1, 0, bold)
        addMapping(face, 0, 1, face)
        addMapping(face, 1, 1, bold)
    return fonts


@lru_cache(maxsize=1)
def _latin_chars() -> frozenset[int]:
    font = register_fonts()[LATIN]
    return frozenset(font.face.charToGlyph)


def runs(text: str) -> list[tuple[str, str]]:
    """Split ``text`` into (font name, text) runs: DejaVu where it has the glyph, CJK elsewhere."""
    latin = _latin_chars()
    out: list[tuple[str, str]] = []
    for ch in text:
        font = LATIN if (ord(ch) in latin or ch in " \n\t") else CJK
        if out and out[-1][0] == font:
            out[-1] = (font, out[-1][1] + ch)
        else:
            out.append((font, ch))
    return out


def markup(text, bold: bool = False) -> str:
    """Paragraph markup of plain ``text`` (escaped) with the font runs made explicit."""
    parts = []
    for font, chunk in runs(str(text)):
        face = LATIN_BOLD if (bold and font == LATIN) else font
        parts.append(f'<font face="{face}">{escape(chunk)}</font>')
    return "".join(parts)


def text_width(text: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return sum(stringWidth(chunk, font, size) for font, chunk in runs(text))


def draw_text(canvas, x: float, y: float, text: str, size: float, *, align: str = "left", bold: bool = False) -> None:
    """Draw one line of mixed text on a reportlab canvas. ``bold`` fakes bold for the CJK
    font (fill and stroke) since the bundled font has one weight."""
    width = text_width(text, size)
    if align == "center":
        x -= width / 2
    elif align == "right":
        x -= width
    t = canvas.beginText(x, y)
    if bold:
        t.setTextRenderMode(2)
        canvas.setLineWidth(size * 0.035)
    for font, chunk in runs(text):
        t.setFont(font, size)
        t.textOut(chunk)
    canvas.drawText(t)
    if bold:
        canvas.setLineWidth(1)
