"""A table heading that wraps its text between words instead of eliding it (issue 12, item 12):
'Credit code / ID no.' in a 100-pixel column shows as two whole lines, not 'Credit code / ID no';
the header grows as tall as its tallest wrapped heading.

Where a heading may break is decided here, not by Qt's line breaker (which breaks Chinese between
any two characters, '代' / '码'): at spaces, after a slash and before an opening bracket, in
both languages ('统一社会信用代码/' '身份证号'; 'Rate' '(yuan/m²·year)'). A column is never
narrower than its heading's widest piece, so no word is cut or elided."""

from __future__ import annotations

import re

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import QHeaderView, QStyle, QStyleOptionHeaderV2

_TALL = 10_000
_CENTRE = int(Qt.AlignmentFlag.AlignCenter)


def heading_pieces(text: str) -> list[tuple[str, bool]]:
    """The unbreakable pieces of a heading, each with whether a space comes before it."""
    out: list[tuple[str, bool]] = []
    for k, word in enumerate(text.split()):
        for j, piece in enumerate(p for p in re.split(r"(?<=[/／])|(?=[（(])", word) if p):
            out.append((piece, k > 0 and j == 0))
    return out


def wrap_heading(text: str, width: int, advance) -> list[str]:
    """``text`` in lines no wider than ``width`` (``advance(str)`` measures), filled greedily,
    broken only between pieces; a piece wider than ``width`` has a line to itself."""
    lines: list[str] = []
    for piece, spaced in heading_pieces(text):
        if lines:
            joined = lines[-1] + (" " if spaced else "") + piece
            if advance(joined) <= width:
                lines[-1] = joined
                continue
        lines.append(piece)
    return lines


class WrappingHeader(QHeaderView):
    def __init__(self, parent=None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setSectionsClickable(True)
        self.setHighlightSections(True)
        self.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.sectionResized.connect(self._resized)
        self._fixing = False
        self._wrapped: dict[tuple[str, int, str], tuple[str, ...]] = {}    # (heading, width, font) → lines

    def setModel(self, model) -> None:  # noqa: N802 (Qt)
        super().setModel(model)
        if model is not None:
            for signal in (model.headerDataChanged, model.modelReset, model.columnsInserted):
                signal.connect(self.fit)

    # ------------------------------------------------------------- measures
    def _margin(self) -> int:
        return self.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, self)

    def _text(self, logical: int) -> str:
        model = self.model()
        value = model.headerData(logical, self.orientation(), Qt.ItemDataRole.DisplayRole) if model is not None else None
        return "" if value is None else str(value)

    def text_width(self, logical: int) -> int:
        """The width the heading's text is laid out in: the section less its margins."""
        return max(self.sectionSize(logical) - 2 * self._margin(), 1)

    def longest_word(self, logical: int) -> int:
        """The widest piece of the heading that may not be broken."""
        fm = self.fontMetrics()
        return max((fm.horizontalAdvance(p) for p, _ in heading_pieces(self._text(logical))), default=0)

    def wrapped_lines(self, logical: int) -> list[str]:
        text, width = self._text(logical), self.text_width(logical)
        key = (text, width, self.font().key())
        lines = self._wrapped.get(key)
        if lines is None:       # a section is painted again on every change of the current cell
            if len(self._wrapped) > 4096:
                self._wrapped.clear()
            lines = self._wrapped[key] = tuple(wrap_heading(text, width, self.fontMetrics().horizontalAdvance))
        return list(lines)

    def wrapped_height(self, logical: int) -> int:
        text = "\n".join(self.wrapped_lines(logical))
        return self.fontMetrics().boundingRect(QRect(0, 0, self.text_width(logical), _TALL), _CENTRE, text).height()

    def paintSection(self, painter, rect, logical: int) -> None:  # noqa: N802 (Qt)
        """As Qt draws a section, with the heading in its wrapped lines and nothing elided."""
        if not rect.isValid():
            return
        opt = QStyleOptionHeaderV2()
        self.initStyleOptionForIndex(opt, logical)
        opt.rect = rect
        opt.text = "\n".join(self.wrapped_lines(logical))
        opt.textAlignment = Qt.AlignmentFlag.AlignCenter
        opt.textElideMode = Qt.TextElideMode.ElideNone
        painter.save()
        self.style().drawControl(QStyle.ControlElement.CE_Header, opt, painter, self)
        painter.restore()

    def sectionSizeFromContents(self, logical: int) -> QSize:  # noqa: N802 (Qt)
        base = super().sectionSizeFromContents(logical)
        return QSize(base.width(), max(base.height(), self.wrapped_height(logical) + 2 * self._margin()))

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt)
        base = super().sizeHint()
        tallest = max((self.sectionSizeFromContents(i).height() for i in range(self.count()) if not self.isSectionHidden(i)),
                      default=base.height())
        return QSize(base.width(), max(base.height(), tallest))

    # ------------------------------------------------------------- keeping it so
    def fit(self, *_) -> None:
        """Every section at least as wide as its longest word; the header as tall as it must be."""
        self._fixing = True
        try:
            for i in range(self.count()):
                least = self.longest_word(i) + 2 * self._margin()
                if self.sectionSize(i) < least:
                    self.resizeSection(i, least)
        finally:
            self._fixing = False
        self._grow()

    def _resized(self, logical: int, _old: int, new: int) -> None:
        if self._fixing:
            return
        least = self.longest_word(logical) + 2 * self._margin()
        if new < least:              # dragged narrower than a word: stop at the word
            self._fixing = True
            try:
                self.resizeSection(logical, least)
            finally:
                self._fixing = False
        self._grow()

    def _grow(self) -> None:
        self.updateGeometry()
        view = self.parent()
        if view is not None and hasattr(view, "updateGeometries"):
            view.updateGeometries()       # the table lays its header out again at the new height
