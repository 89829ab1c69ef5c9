"""The shared project store on PostgreSQL/PostGIS: a project of the whole office in a
database, addressed as ``postgresql://user@host:port/db?project=NAME``.

- :mod:`.url` — the URL (libpq options pass through; the password is never shown);
- :mod:`.migrate` — the schema by numbered plain SQL files (``migrations/``);
- :mod:`.store` — :class:`~.store.PgProject`: parcel rows with versions (optimistic
  concurrency), results, the append-only audit log, settings, LISTEN/NOTIFY;
- :mod:`.tables` — a project file (.gpkg) copied into a database and back, table for table;
- :mod:`.backend` — the document store's back-end interface (``load() -> Project``,
  ``save(project)``) on a database project;
- :mod:`.cli` — ``python -m zones project …`` on either kind of store.

Qt-free; psycopg2 is imported only when a database is used.
"""
