"""A database project as a back end of the document store: ``load() -> Project`` and
``save(project)``, the interface of ``zones.store.StoreBackend`` (the GeoPackage project
file is the first back end; this is the second).

It goes through the project file's own reader and writer (:mod:`zones.project_file`), so
the Project it returns is exactly the one the file would give, whatever version of the
document store is installed: ``load`` writes the database's tables to a temporary project
file and reads it with ``load_project``; ``save`` writes the project with ``save_project``
and stores the difference in one transaction —

- parcels added, changed (saved over the version :meth:`load` read: a parcel changed by
  someone else meanwhile raises :class:`~zones.pgstore.errors.ConflictError` carrying
  both values, and nothing is saved) and removed;
- results that differ (with their grade pieces), settings that differ;
- the audit events appended since the load (the log only grows).

Review marks are checked by the server: a 复核 in the login's own name, by a reviewer,
and with the four-eyes setting by another login than the parcel's last 录入.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from zones.pgstore.store import PgProject
from zones.pgstore.tables import frames, read_database, read_file, write_file

COMPARED = ("position", "attrs", "entered_by", "review_by", "review_at", "review_result", "source", "import_flags")


class PgBackend:
    """``postgresql://…?project=NAME`` as a document-store back end (see the module docstring)."""

    def __init__(self, url: str) -> None:
        self.store = PgProject(url)
        self.name = self.store.name
        self._rows: dict[str, dict] = {}
        self._results: dict[tuple[str, str], tuple] = {}
        self._events = 0
        self._settings: dict = {}

    def load(self):
        from zones import project_file

        data = read_database(self.store)
        self._remember(data)
        build = getattr(project_file, "_project_from_tables", None)
        if build is not None:   # the document store's reader of the file's tables: no file in between
            meta, parcels, tables = frames(data)
            return build(self.name, meta, parcels, tables)
        with tempfile.TemporaryDirectory(prefix="wztax-") as tmp:
            return project_file.load_project(write_file(data, Path(tmp) / "project.gpkg"))

    def save(self, project, *, zoneset=None) -> None:
        from zones.project_file import save_project

        with tempfile.TemporaryDirectory(prefix="wztax-") as tmp:
            new = read_file(save_project(project, Path(tmp) / "project.gpkg", zoneset=zoneset))
        s = self.store
        with s.transaction():
            for k, v in new["settings"].items():
                if self._settings.get(k) != v:
                    s.set_setting(k, v)
            added = [r for r in new["parcels"] if r["uid"] not in self._rows]
            s.add_parcels(added)
            uids = {r["uid"] for r in new["parcels"]}
            for r in new["parcels"]:
                old = self._rows.get(r["uid"])
                if old is not None and _differs(old, r):
                    s.save_parcel(dict(r, version=old["version"]))
            for uid, old in self._rows.items():
                if uid not in uids:
                    s.delete_parcel(uid, old["version"])
            changed = [r for r in new["results"] if self._results.get((r["uid"], r["kind"])) != _result_key(r)]
            if changed:
                uids_changed = {r["uid"] for r in changed}
                results = [r for r in new["results"] if r["uid"] in uids_changed]
                s.put_results(results, [p for p in new["pieces"] if p["uid"] in uids_changed])
            s.append_events(new["audit"][self._events:])
        self._remember(read_database(s))

    def _remember(self, data: dict) -> None:
        self._rows = {r["uid"]: r for r in data["parcels"]}
        self._results = {(r["uid"], r["kind"]): _result_key(r) for r in data["results"]}
        self._events = len(data["audit"])
        self._settings = dict(data["settings"])

    def close(self) -> None:
        self.store.close()


def _differs(old: dict, new: dict) -> bool:
    return any((old.get(k) or "") != (new.get(k) or "") for k in COMPARED if k != "position") \
        or old["geometry"].wkb != new["geometry"].wkb


def _result_key(r: dict) -> tuple:
    return (r["fingerprint"], r["result"], r["provenance"])


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
