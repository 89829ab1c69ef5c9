"""The office's rules checked in the client too (the database server enforces them again).

The four-eyes rule (a project setting, ``four_eyes``): the 复核 of a parcel is by another
operator than its last 录入 — the operator of its latest ``entry``, ``edit``, ``restore``,
``undo`` or ``redo`` event in the audit log. The desktop calls :func:`check_review` before
marking a parcel reviewed, so the officer hears it at once, also on a project file.
"""

from __future__ import annotations

from zones.pgstore.errors import RuleRefused

ENTRY_KINDS = ("entry", "edit", "restore", "undo", "redo")


def _get(e, key: str) -> str:
    return (e.get(key) if isinstance(e, dict) else getattr(e, key, "")) or ""


def last_entry_by(events, uid: str) -> str:
    """The operator of the parcel's latest entering or changing event ('' when none)."""
    who = ""
    for e in events:
        if _get(e, "uid") == uid and _get(e, "kind") in ENTRY_KINDS:
            who = _get(e, "login") or _get(e, "who")
    return who


def check_review(settings: dict, events, uid: str, reviewer: str, label: str = "") -> None:
    """RuleRefused when the four-eyes setting is on and ``reviewer`` last entered the parcel."""
    if not settings.get("four_eyes"):
        return
    if last_entry_by(events, uid) == reviewer:
        raise RuleRefused(f"four-eyes rule: parcel {label or uid} was last entered by {reviewer}, "
                          "who cannot also review it")
