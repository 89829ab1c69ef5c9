"""The assessment's notes (zones.tax / zones.assess write them in Chinese, as they are printed
on the report) in English for the English interface (issue 12, item 12). A note no pattern
knows is shown as written. Grade names inside a note become 'grade N'."""

from __future__ import annotations

import re

from desktop.identifier_words import identifier_message

_GRADE = r"(?:([一二三四五六七八九十]+)级)"
_NUMERALS = {c: i for i, c in enumerate("一二三四五六七八九十", start=1)}

_PATTERNS: list[tuple[str, str]] = [
    (r"图形无效（自相交等），已用 make_valid 修复", "The outline was not valid (it crossed itself); repaired with make_valid"),
    (r"距(.+)在底图定位误差范围内", "Within the base map's positional error of {0}"),
    (r"与地块 (.+?)( 等)? 重叠", "Overlaps parcel(s) {0}{1}"),
    (r"减免 (\S+) 面积 (\S+) m² 大于(.+)应税面积 (\S+) m²，已按应税面积计算",
     "Relief {0}: its area {1} m² exceeds the taxable area of {2}, {3} m²; the taxable area was used"),
    (r"减免 (\S+) (.+) 的有效期为 (.+)，不含本期应税月份，未予减免",
     "Relief {0} {1} is valid {2}, which holds no liable month of this period: not applied"),
    (r"征税范围以外面积 (\S+) m²", "Outside the levy scope: {0} m²"),
    (r"(.+)碎片面积仅 (\S+) m²", "Sliver of {0}: only {1} m²"),
    (r"征税范围以外碎片面积仅 (\S+) m²", "Sliver outside the levy scope: only {0} m²"),
    (r"证载面积 (\S+) m²，图上量算 (\S+) m²，相差 (\S+) m²（(\S+)%）",
     "Certificate area {0} m², measured on the map {1} m², difference {2} m² ({3}%)"),
]
_COMPILED = [(re.compile("^" + zh + "$"), en) for zh, en in _PATTERNS]


def _grade_words(text: str) -> str:
    def one(m):
        n = m.group(1)
        value = _NUMERALS.get(n) if len(n) == 1 else None
        return f"grade {value}" if value else m.group(0)
    return re.sub(_GRADE, one, text).replace("、", ", ").replace(" 等", " and others")


def note_in_language(note: str, language: str) -> str:
    if str(language).startswith("zh") or not note:
        return note
    # the sliver-outside pattern is more particular than the grade-sliver one: try it first
    for pattern, en in sorted(_COMPILED, key=lambda pe: -len(pe[0].pattern)):
        m = pattern.match(note)
        if m:
            return _grade_words(en.format(*(g or "" for g in m.groups())))
    # the identifier and duplicate-id notes desktop.parcel_checks adds when a result is shown
    return identifier_message(note, language)
