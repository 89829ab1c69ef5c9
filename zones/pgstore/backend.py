"""A database project as a back end of the document store: ``load() -> Project`` and
``save(project)``, the interface of ``zones.store.StoreBackend`` (the GeoPackage project
file is the first back end; this is the second).

``load`` reads the database's tables and builds the Project with the project file's own
reader of those tables (:func:`zones.project_file._project_from_tables`), so it is exactly
the Project the file would give. It remembers the parcel and result objects it handed out
(the document store's snapshots are immutable): ``save`` writes only those that are not
the very objects it remembers, in one transaction —

- parcels added, changed (saved over the version last read: a parcel changed by someone
  else meanwhile raises :class:`~zones.pgstore.errors.ConflictError` carrying both
  values, and nothing is saved) and removed;
- results that differ (with their grade pieces), settings that differ;
- the audit events appended since the load (the log only grows).

so saving one edit of a 100,000-parcel project writes one parcel, not the project. Changes
by other clients come in through :meth:`PgBackend.pull` (the desktop calls it when the
server notifies a change), which updates what the back end remembers.

Review marks are checked by the server: a 复核 in the login's own name, by a reviewer,
and with the four-eyes setting by another login than the parcel's last 录入.
"""

from __future__ import annotations

import gc
import json
from typing import Any
from dataclasses import dataclass
from itertools import compress
from operator import is_not

from zones.pgstore.audit_log import DatabaseAuditLog, StoredEvents
from zones.pgstore.store import PgProject

COMPARED = ("attrs", "entered_by", "review_by", "review_at", "review_result", "source", "import_flags")


def _json(v) -> str:
    return json.dumps(v, ensure_ascii=False, default=str)


def parcel_row(p, position: int) -> dict:
    """A parcel of the document store as a row of the database (the project file's encoding)."""
    return {"uid": p.uid, "position": position, "geometry": p.geometry,
            "attrs": {k: v for k, v in p.attrs.items() if v not in (None, "")},
            "entered_by": p.entered_by or "", "review_by": p.review.reviewer if p.review else "",
            "review_at": p.review.when if p.review else "", "review_result": p.review.result if p.review else "",
            "source": _json(p.source.as_dict()) if p.source else "",
            "import_flags": _json([list(x) for x in p.import_flags]) if p.import_flags else "",
            "point_names": _json(list(p.point_names)) if p.point_names else ""}


def parcel_from_row(row: dict):
    """A database row as the document store's Parcel (as the project file's reader builds it)."""
    from zones import point_names
    from zones.project import Parcel, Review
    from zones.project_file import _import_flags, _source

    review = Review(row["review_by"], row.get("review_at") or "", row.get("review_result") or "") \
        if row.get("review_by") else None
    return Parcel(row["uid"], row["geometry"], {k: v for k, v in row["attrs"].items() if v not in (None, "")}, review,
                  row.get("entered_by") or "", _source("database", row["uid"], row.get("source") or ""),
                  _import_flags(row.get("import_flags") or ""), point_names.parse(row.get("point_names")))


def project_settings(project) -> dict:
    """The project entries the file's ``project`` table holds (format, zone set, period …)."""
    from zones.project_file import FORMAT

    p = project.period
    meta = {"format": FORMAT, "zoneset": project.zoneset.as_dict(), "input_sha256": project.input_sha256,
            "period": [p.year, p.first_month, p.last_month], "tax_base": project.tax_base}
    if getattr(project, "reference_layers", None):
        meta["reference_layers"] = list(project.reference_layers)
    return json.loads(_json(meta))


def _result_rows(uid: str, current, previous) -> list[dict]:
    rows = []
    for kind, s in (("current", current), ("previous", previous)):
        if s is not None:
            result, provenance = s.texts()
            rows.append({"uid": uid, "kind": kind, "fingerprint": s.fingerprint, "due": f"{s.due:.2f}",
                         "result": result, "provenance": provenance, "flags": ";".join(s.flags), "key": s.key})
    return rows


def build_project(name: str, data: dict):
    """The document store's Project from the database's rows — what the project file's reader
    (:func:`zones.project_file._project_from_tables`) builds from the same tables, step for
    step (its checks of the project entries, sources read once per distinct text, reviews of
    earlier versions), without going through DataFrames: at 100,000 parcels the frames and
    the reader's per-cell conversions were most of the open."""
    from decimal import Decimal

    import pandas as pd

    from zones import point_names
    from zones.errors import InputError
    from zones.periods import TaxPeriod
    from zones.project import Parcel, Project, Review, StoredResult, ZoneSetRef
    from zones.project_file import _import_flags, _old_reviews, _read_meta, _source
    from zones.tax import TAX_BASES

    meta = _read_meta(name, pd.DataFrame({"key": list(data["settings"]),
                                          "value": [_json(v) for v in data["settings"].values()]}))
    project = Project(ZoneSetRef.from_dict(meta["zoneset"]), TaxPeriod(*meta["period"]))
    project.input_sha256 = meta.get("input_sha256")
    project.tax_base = meta.get("tax_base", project.tax_base)
    if project.tax_base not in TAX_BASES:
        raise InputError(name, f"damaged project: unknown tax-base rule {project.tax_base!r}")
    project.reference_layers = list(meta.get("reference_layers", []))
    if "audit_log" in data:          # a database project's log, read when needed (zones.pgstore.audit_log)
        project.audit = data["audit_log"]
    else:
        project.audit = _audit_log(data["audit"])
    sources: dict[str, Any] = {}
    flags: dict[str, tuple] = {"": ()}
    parcels = project.parcels
    for r in data["parcels"]:      # in the stored order (position, uid)
        by = r["review_by"]
        review = Review(by, r["review_at"], r["review_result"]) if by else None
        src = r["source"]
        if src not in sources:
            sources[src] = _source(name, r["uid"], src)
        fl = r["import_flags"]
        if fl not in flags:
            flags[fl] = _import_flags(fl)
        names = r.get("point_names")
        parcels.append(Parcel(r["uid"], r["geometry"], {k: v for k, v in r["attrs"].items() if v not in (None, "")},
                              review, r["entered_by"], sources[src], flags[fl],
                              point_names.parse(names) if names else ()))
    pieces: dict[str, list] = {}
    for pc in data["pieces"]:
        pieces.setdefault(pc["uid"], []).append((int(pc["grade"]), pc["geometry"]))
    for r in data["results"]:
        text = r["result"]
        if not isinstance(text, str) or not text.startswith("{"):
            raise InputError(name, f"damaged project: the stored result of parcel {r['uid']!r} is not readable JSON")
        current = r["kind"] == "current"
        due = r["due"]
        stored = StoredResult(None, r["fingerprint"], None, tuple(pieces.get(r["uid"], ())) if current else (),
                              result_text=text, provenance_text=r["provenance"] or "",
                              due=None if due is None else Decimal(f"{Decimal(due):.2f}"), **_flags_key(r))
        (project.results if current else project.previous)[r["uid"]] = stored
    _old_reviews(project)
    return project


def _flags_key(row: dict) -> dict:
    """The stored flags and key of a result row (None when the row has none: made from the JSON
    when first needed) — the map reads the flags of every result at open."""
    flags, key = row.get("flags"), row.get("key")
    return {"flags": None if flags is None else tuple(f for f in flags.split(";") if f),
            "key": key if isinstance(key, str) and len(key) == 16 else None}


def _audit_log(events: list[dict]):
    from zones.audit import KINDS, AuditLog, Event

    return AuditLog(Event(k + 1, e["when"], e["who"], e["uid"], e["kind"] if e["kind"] in KINDS else "note",
                          e["what"], e["old"] or "", e["new"] or "") for k, e in enumerate(events))


@dataclass
class Changes:
    """What a save stores (see :meth:`PgBackend.changes`), and what the back end remembers after."""

    settings: dict
    added: list            # (position, Parcel)
    changed: list          # (position, Parcel, the Parcel last stored)
    removed: list          # uids
    results: dict          # uid → (current StoredResult | None, previous | None)
    events: tuple          # audit Events not stored yet
    parcels: list          # the project's parcel list: remembered after the write
    event_count: int
    log: Any = None        # the project's audit log (told what the database has after the write)

    def empty(self, stored_settings: dict) -> bool:
        return not (self.added or self.changed or self.removed or self.results or self.events) \
            and all(stored_settings.get(k) == v for k, v in self.settings.items())   # (four_eyes is the database's)

    @property
    def size(self) -> int:
        return len(self.added) + len(self.changed) + len(self.removed) + len(self.results) + len(self.events)


class PgBackend:
    """``postgresql://…?project=NAME`` as a document-store back end (see the module docstring)."""

    def __init__(self, url: str) -> None:
        self.store = PgProject(url)
        self.name = self.store.name
        self._parcels: dict[str, object] = {}       # uid → the Parcel object last loaded or saved
        self._list: list = []                       # the project's parcel list as last loaded or saved
        self._versions: dict[str, int] = {}         # uid → its version in the database
        self._current: dict[str, object] = {}       # uid → StoredResult last loaded or saved
        self._previous: dict[str, object] = {}
        self._events = 0
        self._settings: dict = {}
        self._log: StoredEvents | None = None       # the stored log of the last load, read when needed

    # ------------------------------------------------------------ load
    def load(self):
        """The Project as the database holds it now. The audit log stays in the database until
        needed (:mod:`zones.pgstore.audit_log`): at the open only its length and last id are read."""
        s = self.store
        collecting = gc.isenabled()
        gc.disable()   # several hundred thousand new objects, none of them garbage: no collector passes meanwhile
        try:
            with s.transaction():   # one consistent snapshot of the project, whatever others commit meanwhile
                with s._tx() as cur:
                    cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                    count, last_id = s.log_extent(cur)
                data = {"settings": s.settings(), "parcels": s.parcels(), "results": s.results(), "pieces": s.pieces()}
            if self._log is not None:
                self._log.close()
            self._log = StoredEvents(s.url, s.project_id, count, last_id)
            data["audit_log"] = DatabaseAuditLog(self._log)
            project = build_project(self.name, data)
            self._versions = {r["uid"]: r["version"] for r in data["parcels"]}
            self._settings = dict(data["settings"])
            self._remember(project)
        finally:
            if collecting:
                gc.enable()
        return project

    def _remember(self, project) -> None:
        self._list = list(project.parcels)
        self._parcels = {p.uid: p for p in self._list}
        self._current, self._previous = dict(project.results), dict(project.previous)
        self._events = len(project.audit)

    def base_version(self, uid: str) -> int | None:
        return self._versions.get(uid)

    # ------------------------------------------------------------ save
    def save(self, project, *, zoneset=None) -> None:
        self.write(self.changes(project))

    def changes(self, project) -> Changes:
        """What ``project`` holds that the database does not have from this client — found by
        snapshot identity: after an edit of one parcel of 100,000, a few C-level passes of
        pointer comparisons (milliseconds on the GUI thread). Values are turned into rows by
        :meth:`write` (which may run on a worker thread)."""
        now, before = project.parcels, self._list
        added, changed, removed = [], [], []
        if len(now) == len(before):
            moved = False
            for i in compress(range(len(now)), map(is_not, now, before)):
                p = now[i]
                if p.uid != before[i].uid:
                    moved = True
                    break
                changed.append((i, p, self._parcels.get(p.uid)))
        else:
            moved = True
        if moved:     # parcels added, removed or reordered: compare by uid
            changed, positions = [], {}
            for i, p in enumerate(now):
                positions[p.uid] = i
                old = self._parcels.get(p.uid)
                if p.uid not in self._versions:
                    added.append((i, p))
                elif old is not p:
                    changed.append((i, p, old))
            removed = [u for u in self._versions if u not in positions]
        touched = set()
        for mine, stored in ((project.results, self._current), (project.previous, self._previous)):
            differ = list(compress(mine, map(is_not, mine.values(), map(stored.get, mine))))
            touched.update(differ)
            if len(mine) != len(stored) or any(u not in stored for u in differ):
                touched.update(stored.keys() - mine.keys())      # results that went
        touched.difference_update(removed)
        results = {u: (project.results.get(u), project.previous.get(u)) for u in touched}
        audit = project.audit
        if len(audit) <= self._events:
            events: tuple = ()
        elif isinstance(audit, DatabaseAuditLog):
            events = audit.since(self._events)
        else:
            events = audit.events()[self._events:]
        return Changes(project_settings(project), added, changed, removed, results, events, list(now),
                       len(audit), audit)

    def write(self, c: Changes) -> None:
        """Store ``c`` in one transaction (ConflictError, nothing stored, when a parcel changed meanwhile)."""
        if c.empty(self._settings):
            return
        s = self.store
        added = [parcel_row(p, i) for i, p in c.added]
        changed = []
        for i, p, old in c.changed:      # a parcel undone back to what was stored is not written
            row = parcel_row(p, i)
            if old is None or _differs(parcel_row(old, i), row):
                changed.append(row)
        events = [{"when": e.when, "who": e.who, "uid": e.uid, "kind": e.kind, "what": e.what, "old": e.old,
                   "new": e.new} for e in c.events]
        versions = {}
        with s.transaction():
            for k, v in c.settings.items():
                if self._settings.get(k) != v:
                    s.set_setting(k, v)
            s.add_parcels(added)
            for row in changed:
                versions[row["uid"]] = s.save_parcel(dict(row, version=self._versions[row["uid"]]))
            for uid in c.removed:
                s.delete_parcel(uid, self._versions[uid])
            if c.results:
                rows = [r for u in sorted(c.results) for r in _result_rows(u, *c.results[u])]
                pieces = [{"uid": u, "grade": g, "geometry": geom} for u in sorted(c.results)
                          if c.results[u][0] is not None for g, geom in c.results[u][0].pieces]
                s.put_results(rows, pieces, uids=set(c.results))
            s.append_events(events)
        # stored: the database holds what this client had when the changes were taken
        self._versions.update({r["uid"]: 1 for r in added})
        self._versions.update(versions)
        for uid in c.removed:
            self._versions.pop(uid, None)
        self._settings.update(c.settings)
        for uid in c.removed:
            self._parcels.pop(uid, None)
        self._parcels.update({p.uid: p for _i, p in c.added})
        self._parcels.update({p.uid: p for _i, p, _old in c.changed})
        for uid, (current, previous) in c.results.items():
            for mem, r in ((self._current, current), (self._previous, previous)):
                if r is None:
                    mem.pop(uid, None)
                else:
                    mem[uid] = r
        self._list, self._events = c.parcels, c.event_count
        if isinstance(c.log, DatabaseAuditLog):
            c.log.mark_saved(c.event_count)

    # ------------------------------------------------- changes of others
    def pull(self, project, uids=None) -> tuple[list[str], list[str], list[str]]:
        """Bring changes other clients stored into ``project``: the parcels ``uids`` (None:
        compare every version). A parcel this client changed and has not saved is left as it
        is (its save will meet the other change as a conflict). Returns (changed, added,
        removed) uids. No audit event is added: the other client logged its change."""
        now = self.store.versions(None if uids is None else list(uids))
        if uids is None:
            wanted = {u for u, v in now.items() if self._versions.get(u) != v} | (set(self._versions) - set(now))
        else:
            wanted = {u for u in uids if now.get(u) != self._versions.get(u)}
        wanted = {u for u in wanted if not self._unsaved(project, u)}
        rows = {r["uid"]: r for r in self.store.parcels_of(sorted(u for u in wanted if u in now))}
        out: dict[str, list[str]] = {"changed": [], "added": [], "removed": []}
        for uid in sorted(wanted):
            what = self._put_stored(project, uid, rows.get(uid))
            if what:
                out[what].append(uid)
        self._pull_results(project, out["changed"] + out["added"])
        return out["changed"], out["added"], out["removed"]

    def _pull_results(self, project, uids: list[str]) -> None:
        """The results the other client stored with its change (the same transaction): taken as
        they are, so this window neither re-assesses those parcels nor writes their results again."""
        if not uids:
            return
        from decimal import Decimal

        from zones.project import StoredResult

        pieces: dict[str, list] = {}
        for pc in self.store.pieces(uids):
            pieces.setdefault(pc["uid"], []).append((int(pc["grade"]), pc["geometry"]))
        for r in self.store.results(uids):
            uid, current = r["uid"], r["kind"] == "current"
            mine, remembered = (project.results, self._current) if current else (project.previous, self._previous)
            if mine.get(uid) is not remembered.get(uid):
                continue                     # this client has its own unsaved result: its save decides
            stored = StoredResult(None, r["fingerprint"], None, tuple(pieces.get(uid, ())) if current else (),
                                  result_text=r["result"], provenance_text=r["provenance"] or "",
                                  due=None if r["due"] is None else Decimal(f"{Decimal(r['due']):.2f}"),
                                  **_flags_key(r))
            mine[uid] = remembered[uid] = stored
            project._touch(uid)

    def _put_stored(self, project, uid: str, row: dict | None) -> str:
        """Put the database's row of ``uid`` (None: deleted) into ``project`` and into what this
        back end remembers as stored; returns 'changed', 'added', 'removed' or ''."""
        i = project.position(uid)
        mirrored = i is not None and i < len(self._list) and self._list[i].uid == uid
        if row is None:
            self._versions.pop(uid, None)
            self._parcels.pop(uid, None)
            if i is None:
                return ""
            project.parcels.pop(i)
            project._index = None
            if mirrored:
                self._list.pop(i)
            return "removed"
        parcel = parcel_from_row(row)
        self._versions[uid], self._parcels[uid] = row["version"], parcel
        if i is None:
            project.parcels.append(parcel)
            project._index = None
            self._list.append(parcel)
            what = "added"
        else:
            project.parcels[i] = parcel
            if mirrored:
                self._list[i] = parcel
            what = "changed"
        project._touch(uid)
        return what

    def _unsaved(self, project, uid: str) -> bool:
        i = project.position(uid)
        if uid not in self._versions:
            return i is not None        # added here and not saved yet
        return i is None or project.parcels[i] is not self._parcels.get(uid)

    def take_theirs(self, project, uid: str) -> None:
        """Resolve a conflict with the other client's value: the parcel as the database holds it."""
        self._put_stored(project, uid, self.store.parcel(uid))

    def keep_mine(self, uid: str) -> None:
        """Resolve a conflict with this client's value: the next save writes it over the
        version the database holds now (the other change stays in the log)."""
        row = self.store.parcel(uid)
        if row is None:
            self._versions.pop(uid, None)     # deleted meanwhile: saved again as a new parcel
        else:
            self._versions[uid] = row["version"]

    def close(self) -> None:
        if self._log is not None:
            self._log.close()
        self.store.close()


def _differs(old: dict, new: dict) -> bool:
    return any((old.get(k) or "") != (new.get(k) or "") for k in COMPARED) \
        or old["geometry"].wkb != new["geometry"].wkb


_OPEN: dict[str, PgBackend] = {}


def backend_for(location):
    """The back end of ``location``: a ``postgresql://`` URL → its :class:`PgBackend`, else None
    (the caller's project-file back end). ``zones.store.backend_for`` calls this first.

    One back end per URL for the life of the process: ``save`` stores the difference from
    what ``load`` read, so the document's open and its later saves must meet the same one."""
    from zones.pgstore.url import is_database_url

    if not is_database_url(location):
        return None
    backend = _OPEN.get(location)
    if backend is None or backend.store.conn is None:
        backend = _OPEN[location] = PgBackend(location)
    return backend
