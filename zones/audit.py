"""The audit log: every entry, review (复核), edit, re-assessment, deletion, undo and
redo of a parcel is an event (time, operator, parcel, kind, old → new, in words).

Append-only: there is no method that removes or rewrites an event. Undo does not
take an edit's event away; it adds an ``undo`` event saying what was put back.
Saved with the project (``audit`` table of the project file), in autosaves and
recovery copies. Qt-free.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

#: Event kinds and their Chinese names (the history panel shows these).
KINDS = {
    "entry": "录入", "edit": "修改", "review": "复核", "review_void": "复核失效", "assess": "重新计税",
    "delete": "删除", "undo": "撤销", "redo": "重做", "restore": "恢复", "note": "说明",
    "reconcile": "税源比对",
}


def now_text() -> str:
    return datetime.now().isoformat(timespec="seconds")


class Event(NamedTuple):
    """One line of the audit log. ``old``/``new``: the values before and after, in words
    ('' when not applicable); ``what``: the whole change in one sentence. Immutable; a tuple,
    so a district's re-assessment makes its 100,000 events at tuple speed (a frozen
    dataclass sets each field through ``object.__setattr__``: 0.3 s of the GUI thread)."""

    seq: int
    when: str
    who: str
    uid: str
    kind: str
    what: str
    old: str = ""
    new: str = ""


class AuditLog:
    """Events in the order they happened. Only :meth:`append` changes it."""

    def __init__(self, events=()) -> None:
        self._events: list[Event] = []
        self._by_uid: dict[str, list[int]] = {}
        for e in events:
            self._add(e)

    def _add(self, e: Event) -> Event:
        self._by_uid.setdefault(e.uid, []).append(len(self._events))
        self._events.append(e)
        return e

    def append(self, uid: str, kind: str, what: str, *, who: str = "", old: str = "", new: str = "",
               when: str | None = None) -> Event:
        if kind not in KINDS:
            raise ValueError(f"unknown audit event kind {kind!r}")
        return self._add(Event(len(self._events) + 1, when or now_text(), who, uid, kind, what, old, new))

    def extend(self, kind: str, rows, *, who: str = "", when: str | None = None) -> None:
        """Append many events of one ``kind`` at once (a district's re-assessment logs one per
        parcel): ``rows`` of (uid, what, old, new), numbered on in order, as :meth:`append` would."""
        if kind not in KINDS:
            raise ValueError(f"unknown audit event kind {kind!r}")
        when = when or now_text()
        events, by_uid = self._events, self._by_uid
        for uid, what, old, new in rows:
            by_uid.setdefault(uid, []).append(len(events))
            events.append(Event(len(events) + 1, when, who, uid, kind, what, old, new))

    def __len__(self) -> int:
        return len(self._events)

    def __iter__(self):
        return iter(tuple(self._events))

    def events(self, uid: str | None = None) -> tuple[Event, ...]:
        """All events, or those of one parcel, oldest first."""
        if uid is None:
            return tuple(self._events)
        return tuple(self._events[i] for i in self._by_uid.get(uid, ()))

    def knows(self, uid: str) -> bool:
        return uid in self._by_uid

    def copy(self) -> AuditLog:
        """The same events in another log (appends to either do not reach the other)."""
        return AuditLog(self._events)
