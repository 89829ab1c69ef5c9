"""The change history's lines in English for the English interface (issue 12, item 12).

The audit log is the project's permanent record and stays as written (Chinese: it is what an
audit reads). The history panel shows each line through :func:`history_in_language`, which
knows the core's phrases (zones.project, desktop.commands) and the attribute names of
zones.schema; an undo command's name recorded in Chinese is read back through the zh_CN
translation file. A piece no table knows is shown as written."""

from __future__ import annotations

import re
from functools import lru_cache

from zones.schema import FIELDS

_REASONS = {"等级图/税率变化": "a zone-set or rate change", "所属期变化": "a period change",
            "计税面积取整规则变化": "a change of the tax-base rounding rule"}
_WHOLE = {
    "绘制地块": "Drew the parcel", "录入界址点坐标": "Typed the boundary points", "新建地块": "New parcel",
    "地块恢复": "Parcel restored", "删除地块": "Parcel deleted", "撤销删除": "Delete undone", "无变化": "no change",
    "复核通过": "Review passed",
}
_PATTERNS: list[tuple[re.Pattern, object]] = [(re.compile(p), e) for p, e in (
    (r"^导入自 (.+?)（原图形无效，已修复）$", r"Imported from \1 (the outline was invalid; repaired)"),
    (r"^导入自 (.+)$", r"Imported from \1"),
    (r"^图形: (\S+ m²) → (\S+ m²)$", r"Outline: \1 → \2"),
    (r"^复核标记: (.*) → (.*)$", r"Review mark: \1 → \2"),
    (r"^复核标记（(.*)）因修改而清除$", r"Review mark (\1) cleared by the change"),
    (r"^导入时的图形标记（(.*)）因重新绘制图形而清除$", r"The import's outline flags (\1) cleared: the outline was redrawn"),
    (r"^因(.+?)重新计税：应纳税额 (\S+) → (\S+) 元$",
     lambda m: f"Re-assessed after {_REASONS.get(m.group(1), m.group(1))}: tax {m.group(2)} → {m.group(3)} yuan"),
    (r"^重新计税：应纳税额 (\S+) → (\S+) 元$", r"Re-assessed: tax \1 → \2 yuan"),
    (r"^计税结果因等级图/税率/所属期变化而改变，复核标记清除（复核人 (.+?)；(.+?)：应纳税额 (\S+) → (\S+) 元）$",
     lambda m: (f"The result changed with {_REASONS.get(m.group(2), m.group(2))}: review mark cleared "
                f"(reviewer {m.group(1)}; tax {m.group(3)} → {m.group(4)} yuan)")),
    (r"^计税结果改变，复核标记失效（复核人 (.+?)；应纳税额 (\S+) → (\S+) 元）$",
     r"The result changed: review mark void (reviewer \1; tax \2 → \3 yuan)"),
)]


@lru_cache(maxsize=1)
def _field_names() -> dict[str, str]:
    return {f.zh: f.en for f in FIELDS}


@lru_cache(maxsize=1)
def _translations() -> tuple[dict[str, str], list[tuple[re.Pattern, str]]]:
    """The zh_CN translations read backwards: Chinese → English source, plain texts and texts
    with a number or a name in them ('删除 %n 宗地块' → 'Delete %n parcel(s)')."""
    import xml.etree.ElementTree as ET

    from desktop.i18n import ts_path

    try:
        root = ET.parse(ts_path("zh_CN")).getroot()
    except (OSError, ET.ParseError):
        return {}, []
    plain: dict[str, str] = {}
    filled: list[tuple[re.Pattern, str]] = []
    for msg in root.iter("message"):
        src, tr = msg.findtext("source"), msg.findtext("translation")
        if not src or not tr:
            continue
        if re.search(r"%[n1]", tr) and not re.search(r"%[2-9]", tr):
            pattern = re.compile("^" + re.sub(r"%[n1]", "(.+?)", re.escape(tr)) + "$")
            filled.append((pattern, src))
        elif "%" not in src:
            plain.setdefault(tr, src)
    return plain, filled


def _command_name(text: str) -> str:
    plain, filled = _translations()
    if text in plain:
        return plain[text]
    for pattern, src in filled:
        m = pattern.match(text)
        if m:
            value = m.group(1)
            return re.sub(r"%[n1]", _field_names().get(value, value), src)   # 'Edit %1': an attribute's name
    return text


def _one(text: str) -> str:
    if text in _WHOLE:
        return _WHOLE[text]
    for pattern, en in _PATTERNS:
        if pattern.match(text):
            return pattern.sub(en, text)
    m = re.match(r"^(撤销|重做)：(.*)$", text)
    if m:        # an undo or redo: the command's name, then what it put back
        head, rest = m.groups()
        name, _, desc = rest.partition("：")
        name_en = _command_name(name) if name not in _WHOLE else _WHOLE[name]
        return ("Undo" if head == "撤销" else "Redo") + f": {name_en}" + (f": {_many(desc)}" if desc else "")
    m = re.match(r"^(.+?): (.*) → (.*)$", text)
    if m and m.group(1) in _field_names():      # an attribute changed
        return f"{_field_names()[m.group(1)]}: {m.group(2)} → {m.group(3)}"
    return _command_name(text)


def _many(text: str) -> str:
    return "; ".join(_one(part) for part in text.split("；"))


def history_in_language(what: str, language: str) -> str:
    if str(language).startswith("zh") or not what:
        return what
    if what.startswith(("因", "计税结果")):        # these hold a '；' of their own
        return _one(what)
    return _many(what)
