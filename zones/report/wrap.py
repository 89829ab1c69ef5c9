"""Line breaking of Chinese prose in the PDF reports.

Every report style sets reportlab's ``wordWrap='CJK'`` (break between any two Chinese
characters), but reportlab's own rule for punctuation is not enough for Chinese:
its "cannot start a line" set lacks the full-width comma, semicolon, colon, question
and exclamation marks and closing quotes (it is built for Japanese), and it only
lets ONE such character hang in the margin, so "（m²），" at the end of a line still
puts "，" at the start of the next one. :class:`ProseParagraph` breaks lines the
way Chinese typesetting does (GB/T 15834 避头尾): no line starts with closing
punctuation, no line ends with opening punctuation, and a Latin word or number
(a parcel code, a coordinate, an amount) is not cut when there is a better place.
When a line has no allowed break (a very long code in a narrow cell) it is cut
where it is full, so text never runs out of its cell.
"""

from __future__ import annotations

from functools import lru_cache
from unicodedata import category

from reportlab.lib.textsplit import ALL_CANNOT_END, ALL_CANNOT_START
from reportlab.platypus import Flowable, Paragraph
from reportlab.platypus.paragraph import ParaLines, _handleBulletWidth, cjkU, makeCJKParaLine

# closing punctuation (full-width and ASCII) that must not begin a line
CANNOT_START = frozenset(ALL_CANNOT_START) | frozenset("，。、；：？！）》〉」』】〕］｝”’…—·%‰℃°,.;:?!)]}")
# opening punctuation that must not end a line
CANNOT_END = frozenset(ALL_CANNOT_END) | frozenset("（《〈「『【〔［｛“‘([{")
_FUZZ = 1e-6


_PUNCT = CANNOT_START | CANNOT_END


def _is_word_char(u) -> bool:
    """A character of a Latin word or number, which should stay with its neighbours."""
    return bool(u) and ord(u) < 0x2E80 and category(u)[0] in "LNP" and u not in _PUNCT


def _break_ok(U, b: int) -> bool:
    """May a line end before U[b]?"""
    before, after = U[b - 1], U[b]
    if after in CANNOT_START or before in CANNOT_END:
        return False
    return not (_is_word_char(before) and _is_word_char(after))


def _kinsoku_ok(U, b: int) -> bool:
    return U[b] not in CANNOT_START and U[b - 1] not in CANNOT_END


def prose_split(frags, max_widths, calc_bounds: bool) -> ParaLines:
    """reportlab's cjkFragSplit with the Chinese punctuation rules (see the module doc)."""
    U: list = []
    for f in frags:
        text = f.text.decode("utf8") if isinstance(f.text, bytes) else f.text
        if text:
            U.extend(cjkU(t, f, "utf8") for t in text)
        else:
            U.append(cjkU(text, f, "utf8"))
    lines: list = []
    start, n = 0, len(U)
    while start < n:
        max_w = max_widths[min(len(lines), len(max_widths) - 1)]
        used, i, forced = 0.0, start, False
        while i < n:
            if hasattr(U[i].frag, "lineBreak"):
                forced = True
                i += 1
                break
            w = U[i].width
            if used + w > max_w + _FUZZ and i > start:
                break
            used += w
            i += 1
        b = i
        if not forced and i < n:
            # look back (at most half the line) for a good break, then for one that at least
            # keeps the punctuation rules; else cut where the line is full
            low = max(start + 1, (start + i) // 2)
            b = next((k for k in range(i, low - 1, -1) if _break_ok(U, k)), None) \
                or next((k for k in range(i, start, -1) if _kinsoku_ok(U, k)), None) or i
        width = sum(u.width for u in U[start:b] if not hasattr(u.frag, "lineBreak"))
        lines.append(makeCJKParaLine(U[start:b], max_w, width, max_w - width, forced, calc_bounds))
        start = b
        while start < n and not forced and U[start] == " ":     # no leading space after a soft break
            start += 1
    return ParaLines(kind=1, lines=lines)


class ProseParagraph(Paragraph):
    """A Paragraph whose CJK line breaking keeps Chinese punctuation rules."""

    def breakLinesCJK(self, maxWidths):
        if not isinstance(maxWidths, (list, tuple)):
            maxWidths = [maxWidths]
        self.height = 0
        _handleBulletWidth(self.bulletText, self.style, maxWidths)
        if hasattr(self, "blPara") and getattr(self, "_splitpara", 0):
            return self.blPara
        frags = self.frags
        if not frags:
            st = self.style
            return ParaLines(kind=0, fontSize=st.fontSize, fontName=st.fontName, textColor=st.textColor, lines=[],
                             ascent=st.fontSize, descent=-0.2 * st.fontSize)
        auto = getattr(self, "autoLeading", getattr(self.style, "autoLeading", ""))
        return prose_split(frags, maxWidths, auto not in ("", "off"))


class QuickText(ProseParagraph):
    """A paragraph of plain text (one colour, one weight) — most of a report's text: table labels,
    figures, values, notes — measured, broken into lines and drawn directly with the same Chinese
    line-breaking rules as :func:`prose_split`, but without reportlab's markup parser and
    per-character fragments (a fraction of the time). Attributes only a parsed Paragraph has are
    made on demand."""

    def __init__(self, text: str, style, *, color: str | None = None, bold: bool = False, lines=None):
        Flowable.__init__(self)
        self._plain, self.style, self._color, self._bold = text, style, color, bold
        self._parsed, self._fast, self._preset = False, False, lines

    def _parse(self) -> None:
        if not self._parsed:
            ProseParagraph.__init__(self, self.text, self.style)  # type: ignore[call-arg]  # a Paragraph subclass
            self._parsed = True

    @property
    def text(self) -> str:
        """The paragraph markup (made when asked: drawing does not need it)."""
        if "_text" not in self.__dict__:
            self._text = _markup(self._plain, self._color, self._bold)
        return self._text

    @text.setter
    def text(self, value: str) -> None:     # Paragraph._setup stores the cleaned markup
        self._text = value

    def wrap(self, aw, ah):
        st = self.style
        if st.leftIndent or st.rightIndent or st.firstLineIndent:
            self._parse()
            return super().wrap(aw, ah)
        self._lines = self._preset or _break(self._plain, st.fontSize, max(aw, 1.0))
        self._fast, self.width = True, aw
        self.height = st.leading * len(self._lines)
        self._need = max((w for _, w in self._lines), default=0.0)
        return aw, self.height

    def line_widths(self) -> list[tuple[str, float]]:
        """(text, width in points) of each line as last wrapped."""
        return list(self._lines)

    def split(self, aw, ah):
        if not self._fast:
            return super().split(aw, ah)
        self.wrap(aw, ah)
        if self.height <= ah:
            return [self]
        n = int(ah // self.style.leading)
        if n < 1:
            return []
        kw = dict(color=self._color, bold=self._bold)
        head, rest = self._lines[:n], self._lines[n:]
        return [QuickText("".join(t for t, _ in head), self.style, lines=head, **kw),
                QuickText("".join(t for t, _ in rest), self.style, lines=rest, **kw)]

    def getPlainText(self, identify=None):
        return self._plain

    def place(self, c, x: float, y: float, ink: list) -> bool:
        """Draw the wrapped text with its bottom left at (x, y), without a saved graphics state
        (a table cell: the table saves it once); ``ink`` holds the fill colour already set.
        False when this paragraph is not drawn directly."""
        if not self._fast:
            return False
        from reportlab.lib import colors

        from zones.report.fonts import draw_text

        st = self.style
        colour = colors.toColor(self._color or st.textColor)
        if ink[0] != colour:
            c.setFillColor(colour)
            ink[0] = colour
        align = {1: "center", 2: "right"}.get(st.alignment, "left")
        x += {"center": self.width / 2, "right": self.width}.get(align, 0)
        top = y + self.height - st.fontSize * 0.93
        for k, (line, _) in enumerate(self._lines):
            draw_text(c, x, top - k * st.leading, line, st.fontSize, align=align, bold=self._bold)
        return True

    def draw(self):
        if not self._fast:
            return super().draw()
        from zones.report.fonts import draw_text

        st, c = self.style, self.canv
        align = {1: "center", 2: "right"}.get(st.alignment, "left")
        x = {"center": self.width / 2, "right": self.width}.get(align, 0)
        c.saveState()
        c.setFillColor(self._color or st.textColor)
        top = self.height - st.fontSize * 0.93
        for k, (line, _) in enumerate(self._lines):
            draw_text(c, x, top - k * st.leading, line, st.fontSize, align=align, bold=self._bold)
        c.restoreState()

    def __getattr__(self, name):
        # what only a parsed paragraph has: parse now (other missing names stay missing)
        if name not in _PARSED or self.__dict__.get("_parsed", True):
            raise AttributeError(name)
        self._parse()
        return object.__getattribute__(self, name)


_PARSED = frozenset(("frags", "bulletText", "caseSensitive", "encoding", "debug"))
_WIDTH: dict[str, float] = {}


def _char_width(ch: str) -> float:
    """Advance of ``ch`` at 1 pt in the face that prints it."""
    w = _WIDTH.get(ch)
    if w is None:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        from zones.report.fonts import CJK, font_for

        w = _WIDTH[ch] = stringWidth(ch, font_for(ch) or CJK, 1.0)
    return w


@lru_cache(maxsize=16384)
def _break(text: str, size: float, max_w: float) -> tuple[tuple[str, float], ...]:
    """Lines of ``text`` at most ``max_w`` points wide by the rules of :func:`prose_split`
    (避头尾, Latin words kept whole where possible, cut where full when there is no other way);
    "\n" breaks a line. Cached: every page sets the same labels in the same cells."""
    widths = [_char_width(ch) * size for ch in text]
    lines, start, n = [], 0, len(text)
    if not n:
        return (("", 0.0),)
    while start < n:
        used, i, forced = 0.0, start, False
        while i < n:
            if text[i] == "\n":
                forced = True
                break
            if used + widths[i] > max_w + _FUZZ and i > start:
                break
            used += widths[i]
            i += 1
        b = i
        if not forced and i < n:
            low = max(start + 1, (start + i) // 2)
            b = next((k for k in range(i, low - 1, -1) if _break_ok(text, k)), None) \
                or next((k for k in range(i, start, -1) if _kinsoku_ok(text, k)), None) or i
        lines.append((text[start:b], sum(widths[start:b])))
        start = b + 1 if forced else b
        if forced and start == n:
            lines.append(("", 0.0))
        while not forced and start < n and text[start] == " ":     # no leading space after a soft break
            start += 1
    return tuple(lines)


def _markup(text: str, color: str | None, bold: bool) -> str:
    from zones.report.fonts import markup

    body = "<br/>".join(markup(t, bold=bold) for t in str(text).split("\n"))
    return f'<font color="{color}">{body}</font>' if color else body
