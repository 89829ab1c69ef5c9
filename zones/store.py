"""The document store's persistence interface, and its first back end: the GeoPackage
project file.

The store in memory is :class:`zones.project.Project` — the one document the desktop,
the command line and the reports read. Its interface:

==============  ======================================================================
load / save     a back end: ``backend.load() -> Project``, ``backend.save(project)``
put / remove    ``project.insert`` / ``remove`` / ``put`` / ``edit`` / ``mark_reviewed``:
                each returns an :class:`~zones.project.Op` naming exactly the parcels it
                changed (only those are re-assessed; fingerprints are cached per snapshot)
results         ``project.results`` (uid → StoredResult with pieces and provenance),
                ``current_result(uid)``, ``stale()``, ``set_results(...) -> Op``
events          ``Op`` values; the desktop turns them into its ``changed`` signal
audit           ``project.audit`` (:class:`zones.audit.AuditLog`, append-only),
                ``project.history(uid)``
==============  ======================================================================

A back end stores exactly what :mod:`zones.project_file` documents (parcels with source
and review, results with pieces, the audit log, the project entries) and raises
:class:`~zones.errors.InputError` naming the store and the problem when what it holds is
damaged. Another back end (a PostgreSQL database shared by a tax office) implements
:class:`StoreBackend` the same way; nothing above it changes. Qt-free.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol, runtime_checkable

from zones.project import Project


@runtime_checkable
class StoreBackend(Protocol):
    """Where a project is kept between sessions."""

    #: Shown to the user in messages ("the file …", "the database …").
    name: str

    def load(self) -> Project:
        """The stored project; InputError naming :attr:`name` when it is damaged."""

    def save(self, project: Project, *, zoneset=None) -> None:
        """Store ``project`` completely or not at all (a failure leaves the previous state)."""


class GeoPackageStore:
    """The project file (.gpkg) as a store back end: atomic saves, QGIS opens it."""

    def __init__(self, path) -> None:
        self.path = Path(path)
        self.name = str(self.path)

    def load(self) -> Project:
        from zones.project_file import load_project

        return load_project(self.path)

    def save(self, project: Project, *, zoneset=None) -> None:
        from zones.project_file import save_project

        save_project(project, self.path, zoneset=zoneset)


def backend_for(location) -> StoreBackend:
    """The back end of ``location``: a ``postgresql://…?project=NAME`` URL names a project in
    a shared database (:mod:`zones.pgstore`); anything else is a project file path."""
    from zones.pgstore.url import is_database_url

    if is_database_url(str(location)):   # psycopg2 is needed only then (the `pg` extra)
        from zones.pgstore.backend import backend_for as database_backend

        return database_backend(str(location))
    return GeoPackageStore(location)
