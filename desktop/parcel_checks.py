"""What 提示 says about a parcel beyond its stored result: a 宗地号 / 不动产单元号 another
parcel of the project also has (``duplicate_id``), and an identifier that fails its check
(``invalid_id``, with the reason — the kind recognised by its form first, see
:func:`zones.identifiers.check_taxpayer_id`). These depend on the other parcels or are not
part of the tax, so they are added when shown (results table, assessment panel, report),
not stored with the result."""

from __future__ import annotations

from zones import identifiers

#: (attribute key, name on paper, check) of the identifiers checked.
ID_CHECKS = (("taxpayer_id", "纳税人识别号", identifiers.check_taxpayer_id),
             ("parcel_no", "宗地号", identifiers.check_parcel_code),
             ("unit_no", "不动产单元号", identifiers.check_unit_number))


def identifier_problems(p) -> list[str]:
    """'纳税人识别号 913303021234567890：按统一社会信用代码校验：…' per failing identifier."""
    out = []
    for key, name, check in ID_CHECKS:
        value = p.get(key)
        if not value:
            continue
        result = check(value)
        if not result.ok:
            out.append(f"{name} {value}：{result.message}")
    return out


def extra_checks(doc, uid: str) -> list[tuple[str, str]]:
    """[(flag, note)] for the parcel ``uid``: duplicate_id, invalid_id."""
    p = doc.project.by_uid(uid)
    out = []
    shared = doc.duplicates.note(uid)
    if shared:
        out.append(("duplicate_id", shared))
    problems = identifier_problems(p)
    if problems:
        out.append(("invalid_id", "；".join(problems)))
    return out


def shown_flags(doc, uid: str, result) -> tuple[str, ...]:
    """The result's flags with those of :func:`extra_checks` after them."""
    extra = [f for f, _ in extra_checks(doc, uid) if f not in result.flags]
    return tuple(result.flags) + tuple(extra)


def with_checks(doc, uid: str, result):
    """``result`` with the extra flags and their notes (for a report)."""
    from dataclasses import replace

    pairs = [(f, n) for f, n in extra_checks(doc, uid) if f not in result.flags]
    if not pairs:
        return result
    return replace(result, flags=tuple(result.flags) + tuple(f for f, _ in pairs),
                   notes=tuple(result.notes) + tuple(n for _, n in pairs))
