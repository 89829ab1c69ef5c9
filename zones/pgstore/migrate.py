"""The database schema, by numbered plain SQL files (``migrations/NNNN_name.sql``) applied
in order, each in its own transaction, recorded in ``wztax.schema_version``.

Applying needs the rights of the database owner (the DBA, README "Shared project store");
the application's logins only check that the schema is at the version they know.
A lock (``pg_advisory_xact_lock``) keeps two migrators from applying the same file twice.
"""

from __future__ import annotations

import re
from importlib import resources

LOCK_KEY = 0x77_7A_74_61_78   # "wztax"
_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def migrations() -> list[tuple[int, str, str]]:
    """(version, file name, SQL) of every migration shipped, in order."""
    out = []
    for f in resources.files("zones.pgstore").joinpath("migrations").iterdir():
        m = _NAME.match(f.name)
        if m:
            out.append((int(m.group(1)), f.name, f.read_text(encoding="utf-8")))
    out.sort()
    versions = [v for v, _, _ in out]
    if versions != list(range(1, len(out) + 1)):
        raise RuntimeError(f"migrations are not numbered 1..n: {versions}")
    return out


def latest() -> int:
    return len(migrations())


def current_version(conn) -> int:
    """The schema version of the database (0: no schema yet)."""
    with conn.cursor() as cur:
        cur.execute("SELECT to_regclass('wztax.schema_version') IS NOT NULL")
        if not cur.fetchone()[0]:
            return 0
        cur.execute("SELECT coalesce(max(version), 0) FROM wztax.schema_version")
        return int(cur.fetchone()[0])


def migrate(conn) -> list[str]:
    """Apply the migrations the database lacks; returns the names applied."""
    applied = []
    for version, name, sql in migrations():
        with conn, conn.cursor() as cur:   # one transaction per file: all of it or none
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
            cur.execute("CREATE SCHEMA IF NOT EXISTS wztax")
            cur.execute("CREATE TABLE IF NOT EXISTS wztax.schema_version (version integer PRIMARY KEY, "
                        "name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(), "
                        "applied_by text NOT NULL DEFAULT current_user)")
            cur.execute("SELECT 1 FROM wztax.schema_version WHERE version = %s", (version,))
            if cur.fetchone():
                continue
            cur.execute(sql)
            cur.execute("INSERT INTO wztax.schema_version (version, name) VALUES (%s, %s)", (version, name))
            if version >= 2:   # the roles exist from 0002 on: they read the version they check
                cur.execute("GRANT SELECT ON wztax.schema_version TO wztax_officer")
            applied.append(name)
    return applied
