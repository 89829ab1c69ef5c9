"""The audit log of an open database project, read from the database when it is needed
rather than at the open.

A district's log has hundreds of thousands of events (each import, edit and assess-all
adds one per parcel); reading them all made up half of opening a project after
assess-all, and the desktop needs them only for the selected parcel's history. So
:class:`DatabaseAuditLog` is the document store's :class:`~zones.audit.AuditLog` with

- the events stored when the project was opened (ids up to ``last_id``) read on first
  need of the whole log (a copy to a file, a recovery copy) — once, shared by the log's
  copies, on a connection of its own (a recovery copy is written on another thread);
- one parcel's history (:meth:`DatabaseAuditLog.events` with a uid) read from the
  database each time, so the history panel shows other officers' events as they come
  in, followed by this window's events not stored yet;
- the events appended in this window kept in memory, as in any AuditLog.

When the server cannot be reached, a parcel's history is what the window has, and the
whole log is this window's own events (:attr:`DatabaseAuditLog.partial`): the database
keeps the rest.
"""

from __future__ import annotations

import logging
import threading
from contextlib import suppress
from typing import Any

from zones.audit import KINDS, AuditLog, Event, now_text
from zones.pgstore.errors import StoreError

log = logging.getLogger(__name__)


def events_of_rows(rows) -> list[Event]:
    """Events of rows (seq, when, who, uid, kind, what, old, new) (several hundred thousand of them)."""
    return list(map(Event._make, rows))


class StoredEvents:
    """The events of project ``project_id`` stored when it was opened (``count`` of them, ids up
    to ``last_id``), read once when first needed; and any parcel's events as stored now."""

    def __init__(self, url, project_id: int, count: int, last_id: int) -> None:
        self.url, self.project_id, self.count, self.last_id = url, project_id, count, last_id
        self._lock = threading.Lock()
        self._events: list[Event] | None = None
        self._uids: set[str] | None = None
        self._conn: Any = None            # a psycopg2 connection once a read needs it

    @property
    def loaded(self) -> bool:
        return self._events is not None

    def _query(self, sql: str, params: tuple) -> list[tuple]:
        """Rows of one read on this log's own connection (made, or made again, as needed)."""
        from zones.pgstore.store import _psycopg2, connect

        pg = _psycopg2()
        for attempt in (1, 2):
            if self._conn is None or self._conn.closed:
                self._conn = connect(self.url, autocommit=True)
            try:
                with self._conn.cursor() as cur:
                    cur.execute(sql, params)
                    return cur.fetchall()
            except (pg.OperationalError, pg.InterfaceError):
                self.close()
                if attempt == 2:
                    raise StoreError(self.url.shown, "the server went away while the log was read") from None
        return []

    def events(self) -> list[Event]:
        with self._lock:
            if self._events is None:
                rows = self._query('SELECT row_number() OVER (ORDER BY id), "when", who, uid, '
                                   "CASE WHEN kind = ANY(%s) THEN kind ELSE 'note' END, what, old, new "
                                   "FROM wztax.audit WHERE project_id = %s AND id <= %s ORDER BY id",
                                   (list(KINDS), self.project_id, self.last_id))
                self._events = events_of_rows(rows)
            return self._events

    def uids(self) -> set[str]:
        """The parcels the stored log names (an insert asks: a parcel's first entry or its restoring)."""
        with self._lock:
            if self._uids is None:
                if self._events is not None:
                    self._uids = {e.uid for e in self._events}
                else:
                    self._uids = {u for (u,) in self._query(
                        "SELECT DISTINCT uid FROM wztax.audit WHERE project_id = %s AND id <= %s",
                        (self.project_id, self.last_id))}
            return self._uids

    def of_parcel(self, uid: str) -> list[Event]:
        """The parcel's events as the database holds them now (other officers' too), oldest first.
        Their ``seq`` is the database's id of the event — in the log's order, not its place in
        the project's log: numbering them so counted the whole log at each selection (150 ms
        at 300,000 events), and the history panel shows when, who and what only."""
        with self._lock:
            rows = self._query('SELECT id, "when", who, uid, '
                               "CASE WHEN kind = ANY(%s) THEN kind ELSE 'note' END, what, old, new "
                               "FROM wztax.audit WHERE project_id = %s AND uid = %s ORDER BY id",
                               (list(KINDS), self.project_id, uid))
        return events_of_rows(rows)

    def close(self) -> None:
        if self._conn is not None:
            with suppress(Exception):
                self._conn.close()
            self._conn = None


class DatabaseAuditLog(AuditLog):
    """An AuditLog whose stored events stay in the database until needed (module docstring)."""

    def __init__(self, stored: StoredEvents, local=(), saved: int = 0) -> None:   # noqa: D107
        self._stored = stored
        self._local: list[Event] = list(local)         # appended in this window
        self._local_uids = {e.uid for e in self._local}
        self._saved = saved                             # how many of _local the database has
        self.partial = False                            # the last whole log lacked the stored events

    def append(self, uid: str, kind: str, what: str, *, who: str = "", old: str = "", new: str = "",
               when: str | None = None) -> Event:
        if kind not in KINDS:
            raise ValueError(f"unknown audit event kind {kind!r}")
        return self._add(Event(len(self) + 1, when or now_text(), who, uid, kind, what, old, new))

    def extend(self, kind: str, rows, *, who: str = "", when: str | None = None) -> None:
        """Many events of one ``kind`` at once, numbered on after the stored ones (the base
        class's bulk path writes to the in-memory list this log does not have)."""
        if kind not in KINDS:
            raise ValueError(f"unknown audit event kind {kind!r}")
        when = when or now_text()
        n = len(self)
        for k, (uid, what, old, new) in enumerate(rows, 1):
            self._add(Event(n + k, when, who, uid, kind, what, old, new))

    def _add(self, e: Event) -> Event:
        self._local.append(e)
        self._local_uids.add(e.uid)
        return e

    def __len__(self) -> int:
        return self._stored.count + len(self._local)

    def __iter__(self):
        return iter(self.events())

    def events(self, uid: str | None = None) -> tuple[Event, ...]:
        if uid is not None:
            return self._history(uid)
        try:
            stored = self._stored.events()
            self.partial = False
        except StoreError:
            log.warning("the database cannot be reached: the log holds only this window's events")
            stored, self.partial = [], True
        return (*stored, *self._local)

    def _history(self, uid: str) -> tuple[Event, ...]:
        try:
            stored = self._stored.of_parcel(uid)      # live: with other officers' events
            local = self._local[self._saved:]
        except StoreError:                            # offline: what this window has
            stored = [e for e in self._stored.events() if e.uid == uid] if self._stored.loaded else []
            local = self._local
        return (*stored, *(e for e in local if e.uid == uid))

    def knows(self, uid: str) -> bool:
        return uid in self._local_uids or uid in self._stored.uids()

    def copy(self) -> DatabaseAuditLog:
        """The same log (appends to either do not reach the other); the stored events are shared."""
        return DatabaseAuditLog(self._stored, self._local, self._saved)

    # ------------------------------------------------ for the back end
    def since(self, n: int) -> tuple[Event, ...]:
        """The events after the first ``n`` (those the database does not have from this window)."""
        k = n - self._stored.count
        return tuple(self._local[k:]) if k >= 0 else self.events()[n:]

    def mark_saved(self, n: int) -> None:
        """The database has the first ``n`` events of this log."""
        self._saved = max(self._saved, n - self._stored.count)

    def stored_count(self) -> int:
        """How many events of :meth:`events` (as last made) the database has."""
        return (0 if self.partial else self._stored.count) + self._saved
