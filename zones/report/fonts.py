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
from typing import Any
from xml.sax.saxutils import escape

CJK = "WZ-CJK"
LATIN = "WZ-Latin"
LATIN_BOLD = "WZ-Latin-Bold"
#: Fallback faces for the CJK extensions the main font lacks (tools/build_fallback_font.py), in
#: the order tried; registered on first need (they are large), absent files simply not used.
FALLBACKS = (("WZ-CJK-ExtA", "HanaMinExtA.ttf"), ("WZ-CJK-ExtB", "HanaMinExtB.ttf"))


def _dejavu(name: str) -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name


@lru_cache(maxsize=1)
def register_fonts() -> dict[str, Any]:
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


def _utf16_hex(code: int) -> str:
    """A ToUnicode destination: UTF-16BE, a surrogate pair above U+FFFF (PDF 32000 §9.10.3)."""
    return chr(code).encode("utf-16-be").hex().upper()


def _fix_to_unicode() -> None:
    """reportlab writes a code point above U+FFFF into the ToUnicode map as 5 hex digits
    (``<20000>``), which readers reject: the Ext-B glyph shows but copying or searching the text
    loses it. Replace the map maker with one writing UTF-16 (same output below U+10000)."""
    from reportlab.pdfbase import ttfonts

    if getattr(ttfonts.makeToUnicodeCMap, "_wz_utf16", False):
        return
    original = ttfonts.makeToUnicodeCMap

    def make(fontname, subset):
        text = original(fontname, subset)
        if all(v <= 0xFFFF for v in subset):
            return text
        for i, v in enumerate(subset):
            if v > 0xFFFF:
                text = text.replace("<%02X> <%04X>" % (i, v), "<%02X> <%s>" % (i, _utf16_hex(v)), 1)
        return text

    make._wz_utf16 = True  # type: ignore[attr-defined]  # marks the patch as done
    ttfonts.makeToUnicodeCMap = make


@lru_cache(maxsize=1)
def _cjk_chars() -> frozenset[int]:
    return frozenset(register_fonts()[CJK].face.charToGlyph)


@lru_cache(maxsize=1)
def _fallbacks() -> tuple[tuple[str, frozenset[int]], ...]:
    """(font name, characters) of each fallback font found among the resources, registered."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from zones.resources import resources_root

    _fix_to_unicode()
    out = []
    for name, file in FALLBACKS:
        path = resources_root() / "fonts" / file
        if path.exists():
            font = TTFont(name, str(path))
            pdfmetrics.registerFont(font)
            for bold in (0, 1):       # one weight: <b> text stays in the same face
                for italic in (0, 1):
                    addMapping(name, bold, italic, name)
            out.append((name, frozenset(font.face.charToGlyph)))
    return tuple(out)


def font_for(ch: str) -> str | None:
    """The face that has ``ch``: DejaVu, the CJK font, a fallback; None when none has it."""
    code = ord(ch)
    if code in _latin_chars() or ch in " \n\t":
        return LATIN
    if code in _cjk_chars():
        return CJK
    if code < 0x3400:          # nothing below the CJK extensions is in the fallbacks: skip loading them
        return None
    for name, chars in _fallbacks():
        if code in chars:
            return name
    return None


def missing_glyphs(text) -> list[str]:
    """The distinct characters of ``text`` no report font can print (they would vanish)."""
    return list(dict.fromkeys(ch for ch in str(text) if ch.isprintable() and font_for(ch) is None))


def describe_missing(chars: list[str]) -> str:
    """'䶮（U+4DAE）、𠀀（U+20000）'."""
    return "、".join(f"{ch}（U+{ord(ch):04X}）" for ch in chars)


@lru_cache(maxsize=65536)
def runs(text: str) -> tuple[tuple[str, str], ...]:
    """Split ``text`` into (font name, text) runs: DejaVu where it has the glyph, then the CJK font,
    then the fallbacks of the CJK extensions; a character no font has stays in the CJK run
    (the report flags the parcel ``glyph_missing``). Cached: a batch prints the same labels
    on every page."""
    out: list[tuple[str, str]] = []
    for ch in text:
        font = font_for(ch) or CJK
        if out and out[-1][0] == font:
            out[-1] = (font, out[-1][1] + ch)
        else:
            out.append((font, ch))
    return tuple(out)


def markup(text, bold: bool = False) -> str:
    """Paragraph markup of plain ``text`` (escaped) with the font runs made explicit."""
    from zones.report.fields import printable

    parts = []
    for font, chunk in runs(printable(text)):
        face = LATIN_BOLD if (bold and font == LATIN) else font
        parts.append(f'<font face="{face}">{escape(chunk)}</font>')
    return "".join(parts)


def text_width(text: str, size: float) -> float:
    """Width in points of one line of ``text`` at ``size`` (cached per text at 1 pt: a batch
    measures the same labels and headings on every page)."""
    return _unit_width(text) * size


@lru_cache(maxsize=65536)
def _unit_width(text: str) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return sum(stringWidth(chunk, font, 1000.0) for font, chunk in runs(text)) / 1000.0


#: Texts whose operators are kept per document (labels repeat on every page; figures do not).
TEXT_CACHE = 20_000


def _encoded(canvas, text: str) -> str:
    """The PDF text operators of ``text`` (font selection and show-string per run, the size left
    as NUL, which no escaped string contains), made once per text and document: the subset code
    of a character does not change once the document has assigned it."""
    from reportlab.pdfbase.pdfmetrics import getFont

    doc = canvas._doc
    cache = doc.__dict__.setdefault("_wz_text", {})
    ops = cache.get(text)
    if ops is None:
        if len(cache) >= TEXT_CACHE:      # a district's figures are all different: keep memory bounded
            cache.clear()
        parts = []
        for font_name, chunk in runs(text):
            font = getFont(font_name)
            for subset, data in font.splitString(chunk, doc):
                parts.append(f"{font.getSubsetInternalName(subset, doc)} \0 Tf ({canvas._escape(data)}) Tj")
        ops = cache[text] = " ".join(parts)
    return ops


def draw_text(canvas, x: float, y: float, text: str, size: float, *, align: str = "left", bold: bool = False) -> None:
    """Draw one line of mixed text on a reportlab canvas, writing the text operators directly
    (what ``beginText``/``textOut`` write, without their per-call bookkeeping). ``bold`` fakes
    bold for the CJK font (fill and stroke) since the bundled font has one weight."""
    from reportlab.lib.rl_accel import fp_str

    if align != "left":
        width = text_width(text, size)
        x -= width / 2 if align == "center" else width
    if not text:
        return
    body = _encoded(canvas, text).replace("\0", fp_str(size))
    if bold:
        canvas.setLineWidth(size * 0.035)
        canvas._code.append(f"BT 1 0 0 1 {fp_str(x, y)} Tm 2 Tr {body} 0 Tr ET")
        canvas.setLineWidth(1)
    else:
        canvas._code.append(f"BT 1 0 0 1 {fp_str(x, y)} Tm {body} ET")


def text_ops(canvas, x: float, y: float, text: str, size: float, align: str = "left") -> str:
    """The text object (``BT`` … ``ET``) placing one line of ``text``; empty for no text."""
    from reportlab.lib.rl_accel import fp_str

    if not text:
        return ""
    if align != "left":
        width = text_width(text, size)
        x -= width / 2 if align == "center" else width
    return f"BT 1 0 0 1 {fp_str(x, y)} Tm {_encoded(canvas, text).replace(chr(0), fp_str(size))} ET"


def draw_texts(canvas, items) -> None:
    """Draw lines of text given as (x, y, text, size, align) in the current fill colour. One text
    object per line, as reportlab writes them: text extractors that lay text out by position
    (pypdf's layout mode) measure within a text object and misplace lines sharing one."""
    canvas._code.append(" ".join(op for op in (text_ops(canvas, *item) for item in items) if op))
