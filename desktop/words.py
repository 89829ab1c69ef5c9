"""Small wording helpers shared by the panels (issue 12, item 12): grade names in the
application's language, and table headings that wrap only between words."""

from __future__ import annotations

import re
from html import escape

from PySide6.QtCore import QCoreApplication

from desktop import i18n


def grade_name(zoneset, grade: int) -> str:
    """'一级' in Chinese (the zone set's own label), 'Grade 1' in English."""
    if i18n.is_chinese() or zoneset is None:
        return zoneset.grade_label(grade) if zoneset is not None else str(grade)
    return QCoreApplication.translate("words", "Grade %1").replace("%1", str(grade))


def heading_lines(text: str) -> list[str]:
    """A heading cut into the lines it may wrap into: between words, and before an opening
    bracket ('Rate (yuan/m²·year)' → 'Rate', '(yuan/m²·year)'; '面积（m²）' → '面积', '（m²）').
    Never inside a word: 'Months' stays whole."""
    parts = re.split(r"\s+|(?=[（(])", text.strip())
    return [p for p in parts if p]


def heading_html(text: str) -> str:
    """A table heading cell's contents: the lines of :func:`heading_lines` joined by <br>, each
    kept whole (the cell is laid out no narrower than its longest word)."""
    return "<br>".join(f"<span style='white-space:nowrap'>{escape(p)}</span>" for p in heading_lines(text))
