"""The map tools' refusals in English (issue 12, item 12). The tools stay free of Qt and say
why they refuse a click in Chinese; the window shows the words in its language through
:func:`in_language`. Patterns with ``{0}`` carry GEOS's reason through unchanged."""

from __future__ import annotations

import re

ENGLISH: dict[str, str] = {
    "至少需要三个不同的顶点": "At least three different vertices are needed",
    "图形无效（{0}），请调整顶点": "The outline is not valid ({0}); move a vertex",
    "图形面积为零": "The outline has no area",
    "请先选择要挖洞的宗地": "Select the parcel to put the hole in first",
    "洞必须完全位于所选宗地内部，且不与已有的洞相交": "A hole must lie wholly inside the selected parcel and not cross its other holes",
    "挖洞后图形无效（{0}）": "The outline with the hole is not valid ({0})",
    "请先选择要编辑的宗地": "Select the parcel to edit first",
    "修改后图形无效（{0}），已放弃": "The changed outline would not be valid ({0}); the change was dropped",
    "每个环至少要保留三个顶点": "Each ring must keep at least three vertices",
    "删除后图形无效（{0}）": "Without that vertex the outline would not be valid ({0})",
}
_PATTERNS = [(re.compile("^" + re.escape(zh).replace(re.escape("{0}"), "(.*)") + "$"), en) for zh, en in ENGLISH.items()]


def in_language(text: str, language: str) -> str:
    """``text`` (a tool's Chinese message) in ``language``; unknown texts unchanged."""
    if str(language).startswith("zh") or not text:
        return text
    for pattern, en in _PATTERNS:
        m = pattern.match(text)
        if m:
            return en.format(*m.groups())
    return text
