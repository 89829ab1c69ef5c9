"""A project in a shared PostgreSQL/PostGIS database: rows of the project file's tables,
one version per parcel, one transaction per change.

The unit of data is a *parcel row* — the columns of the project file's ``parcels`` layer
(:mod:`zones.project_file`) as a dict: ``uid``, ``position``, ``attrs`` (key → text),
``geometry`` (shapely, EPSG:4549), ``entered_by``, ``review_by``, ``review_at``,
``review_result``, ``source`` and ``import_flags`` (JSON text, '' = none) — plus
``version`` (read from the database; a save names the version it read). Audit events
are dicts of the file's ``audit`` table (``when, who, uid, kind, what, old, new``).

Every method that writes is one transaction: all of it is stored or none (a client
killed mid-change leaves nothing half-written — the server rolls the transaction back).
SQL only with bound parameters. Operator identity is the database login
(:attr:`PgProject.login`); the server stamps it on every row it writes.
"""

from __future__ import annotations

import gc
import io
import json
import select
from collections.abc import Sequence
from contextlib import contextmanager, suppress
from typing import Any

import numpy as np
import shapely

from zones.pgstore import migrate
from zones.pgstore.errors import (
    ConflictError,
    RuleRefused,
    ServerUnavailable,
    StoreError,
)
from zones.pgstore.url import ProjectURL, parse_project_url

CHANNEL = "wztax_changes"
ROW_TEXT = ("entered_by", "review_by", "review_at", "review_result", "source", "import_flags", "point_names")
_SELECT_PARCEL = ("SELECT uid, position, attrs::text, ST_AsBinary(geom), entered_by, review_by, review_at, "
                  "review_result, source, import_flags, version, last_entry_by, changed_by, point_names "
                  "FROM wztax.parcel ")


def _psycopg2():
    import psycopg2
    import psycopg2.errors

    return psycopg2


def connect(url: ProjectURL, *, autocommit: bool = False, timeout: int = 5):
    """A connection to the database of ``url``; StoreError (exit 2) on a refused login or
    an unreachable server, naming the redacted URL and libpq's reason (never the password)."""
    pg = _psycopg2()
    try:
        conn = pg.connect(url.dsn, connect_timeout=timeout, application_name="wztax")
    except pg.OperationalError as exc:
        reason = " ".join(str(exc).split()) or "connection refused"
        if "password authentication failed" in reason or "no password supplied" in reason \
                or "authentication failed" in reason:
            raise StoreError(url.shown, f"login refused: {reason}") from None
        raise ServerUnavailable(url.shown, f"cannot connect: {reason}") from None
    conn.autocommit = autocommit
    return conn


def check_database(conn, url: ProjectURL) -> None:
    """PostGIS present and the project schema at the version this program knows."""
    with conn.cursor() as cur:
        cur.execute("SELECT current_database(), (SELECT extversion FROM pg_extension WHERE extname = 'postgis')")
        db, postgis = cur.fetchone()
    conn.rollback()
    if postgis is None:
        raise StoreError(url.shown, f"the database {db!r} has no PostGIS extension: the DBA runs "
                                    "CREATE EXTENSION postgis; in it (README, Shared project store)")
    have, need = migrate.current_version(conn), migrate.latest()
    conn.rollback()
    if have < need:
        raise StoreError(url.shown, f"the database {db!r} has the project schema at version {have}, this program "
                                    f"needs {need}: the database owner runs `python -m zones project create` once")
    if have > need:
        raise StoreError(url.shown, f"the database {db!r} has a newer project schema ({have}) than this program "
                                    f"knows ({need}): update the program")


def _wkb(geom) -> bytes:
    return shapely.to_wkb(geom)


def _row(rec) -> dict:
    (uid, position, attrs, geom, entered_by, review_by, review_at, review_result, source, flags, version,
     last_entry_by, changed_by, names) = rec
    return {"uid": uid, "position": position, "attrs": json.loads(attrs), "geometry": shapely.from_wkb(bytes(geom)),
            "entered_by": entered_by, "review_by": review_by, "review_at": review_at, "review_result": review_result,
            "source": source, "import_flags": flags, "version": version, "last_entry_by": last_entry_by,
            "changed_by": changed_by, "point_names": names}


class PgProject:
    """One named project of a shared database, opened by a login (see the module docstring)."""

    def __init__(self, url: str | ProjectURL, *, create: bool = False) -> None:
        self.url = url if isinstance(url, ProjectURL) else parse_project_url(url)
        self.name = self.url.shown
        self.conn: Any = None                  # a psycopg2 connection once open
        self.project_id: int | None = None
        self.login = ""
        self._depth = 0
        self._open(create=create)

    # ------------------------------------------------------------ connection
    def _open(self, *, create: bool = False) -> None:
        self.conn = connect(self.url)
        check_database(self.conn, self.url)
        with self._tx() as cur:
            cur.execute("SELECT current_user")
            self.login = cur.fetchone()[0]
            cur.execute("SELECT id FROM wztax.project WHERE name = %s", (self.url.project,))
            found = cur.fetchone()
            if found is None and not create:
                cur.execute("SELECT name FROM wztax.project ORDER BY name LIMIT 20")
                names = ", ".join(r[0] for r in cur.fetchall()) or "none"
                raise StoreError(self.url.shown, f"no project {self.url.project!r} in this database "
                                                 f"(projects: {names})")
            self.project_id = found[0] if found else None

    def close(self) -> None:
        if self.conn is not None and not self.conn.closed:
            self.conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _ensure(self) -> None:
        """Reconnect after the server went away (restarted): the next operation just works."""
        if self.conn is None or self.conn.closed:
            self._open()

    @contextmanager
    def transaction(self):
        """Several writes as one transaction (``with store.transaction(): …``)."""
        with self._tx():
            self._depth += 1
            try:
                yield self
            finally:
                self._depth -= 1

    @contextmanager
    def _tx(self):
        """One transaction: commit on success, roll back on any error; server errors become typed.
        Inside :meth:`transaction`, a part of the enclosing one."""
        pg = _psycopg2()
        if self._depth:
            with self.conn.cursor() as cur:
                yield cur
            return
        if self.conn is None or self.conn.closed:
            self._open()
        try:
            with self.conn.cursor() as cur:
                yield cur
            self.conn.commit()
        except (pg.OperationalError, pg.InterfaceError) as exc:
            self._drop()
            raise ServerUnavailable(self.url.shown, "the server went away; nothing of this change was saved "
                                                    f"({' '.join(str(exc).split())[:200]})") from None
        except pg.Error as exc:
            self._rollback()
            code = getattr(exc, "pgcode", None)
            text = (getattr(getattr(exc, "diag", None), "message_primary", None) or str(exc)).strip()
            if code in ("WZ001", "WZ002"):
                raise RuleRefused(text.removeprefix("wztax: ")) from None
            if code == "42501":   # insufficient_privilege
                raise RuleRefused(f"{self.login} may not do this: {text}") from None
            raise
        except BaseException:
            self._rollback()
            raise

    def _rollback(self) -> None:
        try:
            if not self.conn.closed:
                self.conn.rollback()
        except _psycopg2().Error:   # the connection is broken: drop it, the next call reconnects
            self._drop()

    def _drop(self) -> None:
        with suppress(_psycopg2().Error):
            self.conn.close()

    # ----------------------------------------------------------- projects
    @classmethod
    def create(cls, url: str, settings: dict, content: dict | None = None) -> PgProject:
        """Create the project named in ``url`` with ``settings`` (key → JSON-able value),
        applying the schema's migrations first when the login may (the database owner).
        StoreError when a project of that name exists."""
        purl = parse_project_url(url)
        conn = connect(purl)
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT extversion FROM pg_extension WHERE extname = 'postgis'")
                if cur.fetchone() is None:
                    conn.rollback()
                    check_database(conn, purl)   # raises naming the missing extension
            conn.rollback()
            if migrate.current_version(conn) < migrate.latest():
                conn.rollback()
                migrate.migrate(conn)
            check_database(conn, purl)
            with conn, conn.cursor() as cur:
                cur.execute("INSERT INTO wztax.project (name) VALUES (%s) ON CONFLICT (name) DO NOTHING RETURNING id",
                            (purl.project,))
                row = cur.fetchone()
                if row is None:
                    raise StoreError(purl.shown, f"a project {purl.project!r} exists already in this database")
                for k, v in settings.items():
                    cur.execute("INSERT INTO wztax.setting (project_id, key, value) VALUES (%s, %s, %s)",
                                (row[0], k, json.dumps(v, ensure_ascii=False)))
                if content:   # a copy of a project file: every table, in the same transaction
                    writer = cls.__new__(cls)
                    writer.project_id, writer.login = row[0], ""
                    writer._copy_parcels(cur, content["parcels"])
                    writer._copy_results(cur, content["results"])
                    writer._copy_pieces(cur, content["pieces"])
                    writer._append(cur, content["audit"])
                    writer._copy_zoneset(cur, content.get("zoneset_grades"))
        except _psycopg2().Error as exc:
            if getattr(exc, "pgcode", None) == "42501":
                raise StoreError(purl.shown, f"not allowed: {' '.join(str(exc).split())} (creating a project needs "
                                             "the wztax_admin role; the schema the database owner)") from None
            raise
        finally:
            conn.close()
        return cls(purl)

    # ----------------------------------------------------------- settings
    def settings(self) -> dict:
        """key → value (decoded JSON)."""
        with self._tx() as cur:
            cur.execute("SELECT key, value FROM wztax.setting WHERE project_id = %s", (self.project_id,))
            return {k: json.loads(v) for k, v in cur.fetchall()}

    def set_setting(self, key: str, value) -> None:
        with self._tx() as cur:
            cur.execute("INSERT INTO wztax.setting (project_id, key, value) VALUES (%s, %s, %s) "
                        "ON CONFLICT (project_id, key) DO UPDATE SET value = EXCLUDED.value",
                        (self.project_id, key, json.dumps(value, ensure_ascii=False)))

    # ------------------------------------------------------------ parcels
    def parcels(self) -> list[dict]:
        """Every parcel row in order (with its version)."""
        with self._tx() as cur:
            cur.execute(_SELECT_PARCEL + "WHERE project_id = %s ORDER BY position, uid", (self.project_id,))
            recs = cur.fetchall()
        geoms = shapely.from_wkb([bytes(r[3]) for r in recs]) if recs else []
        # one JSON document for all the attributes: one call of the C parser, not 100,000
        attrs = json.loads("[" + ",".join([r[2] for r in recs]) + "]")
        return [{"uid": r[0], "position": r[1], "attrs": a, "geometry": g, "entered_by": r[4], "review_by": r[5],
                 "review_at": r[6], "review_result": r[7], "source": r[8], "import_flags": r[9], "version": r[10],
                 "last_entry_by": r[11], "changed_by": r[12], "point_names": r[13]}
                for r, g, a in zip(recs, geoms, attrs)]

    def versions(self, uids: list[str] | None = None) -> dict[str, int]:
        """uid → version of every parcel (or of ``uids``): what changed since a client read them."""
        with self._tx() as cur:
            if uids is None:
                cur.execute("SELECT uid, version FROM wztax.parcel WHERE project_id = %s", (self.project_id,))
            else:
                cur.execute("SELECT uid, version FROM wztax.parcel WHERE project_id = %s AND uid = ANY(%s)",
                            (self.project_id, list(uids)))
            return dict(cur.fetchall())

    def parcels_of(self, uids: list[str]) -> list[dict]:
        """The parcel rows of ``uids`` (those that exist), with their versions."""
        if not uids:
            return []
        with self._tx() as cur:
            cur.execute(_SELECT_PARCEL + "WHERE project_id = %s AND uid = ANY(%s) ORDER BY position, uid",
                        (self.project_id, list(uids)))
            return [_row(r) for r in cur.fetchall()]

    def parcel(self, uid: str) -> dict | None:
        with self._tx() as cur:
            return self._parcel(cur, uid)

    def _parcel(self, cur, uid: str, *, lock: bool = False) -> dict | None:
        cur.execute(_SELECT_PARCEL + "WHERE project_id = %s AND uid = %s" + (" FOR UPDATE" if lock else ""),
                    (self.project_id, uid))
        rec = cur.fetchone()
        return _row(rec) if rec else None

    def add_parcels(self, rows: list[dict], events: Sequence[dict] = ()) -> None:
        """Insert new parcels and their log events in one transaction (COPY: an import of
        100,000 parcels is one statement)."""
        with self._tx() as cur:
            self._copy_parcels(cur, rows)
            self._append(cur, events)

    def _copy_parcels(self, cur, rows: list[dict]) -> None:
        if not rows:
            return
        hexes = _ewkb_hex([r["geometry"] for r in rows])
        pid = self.project_id
        _copy(cur, "wztax.parcel (project_id, uid, position, attrs, geom, " + ", ".join(ROW_TEXT) + ")",
              ((pid, r["uid"], repr(float(r["position"])), json.dumps(r.get("attrs") or {}, ensure_ascii=False), h,
                *(r.get(k) or "" for k in ROW_TEXT)) for r, h in zip(rows, hexes)))

    def save_parcel(self, row: dict, events: Sequence[dict] = ()) -> int:
        """Save a changed parcel over the version it was read at (``row['version']``);
        returns the new version. ConflictError when someone else changed or deleted it
        meanwhile — nothing is written then."""
        with self._tx() as cur:
            cur.execute("UPDATE wztax.parcel SET position = %s, attrs = %s::jsonb, geom = ST_GeomFromWKB(%s, 4549), "
                        "entered_by = %s, review_by = %s, review_at = %s, review_result = %s, source = %s, "
                        "import_flags = %s, point_names = %s WHERE project_id = %s AND uid = %s AND version = %s RETURNING version",
                        (float(row["position"]), json.dumps(row.get("attrs") or {}, ensure_ascii=False),
                         _wkb(row["geometry"]), *(row.get(k) or "" for k in ROW_TEXT), self.project_id, row["uid"],
                         row["version"]))
            done = cur.fetchone()
            if done is None:
                theirs = self._parcel(cur, row["uid"])
                raise ConflictError(row["uid"], row, theirs, row["version"])
            self._append(cur, events)
            return done[0]

    def mark_reviewed(self, uid: str, version: int, result_key: str, when: str, events: Sequence[dict] = ()) -> int:
        """复核 by this login of the parcel as read at ``version``; the server enforces that the
        login is a reviewer and, when the project says so, the four-eyes rule."""
        with self._tx() as cur:
            cur.execute("UPDATE wztax.parcel SET review_by = current_user, review_at = %s, review_result = %s "
                        "WHERE project_id = %s AND uid = %s AND version = %s RETURNING version",
                        (when, result_key, self.project_id, uid, version))
            done = cur.fetchone()
            if done is None:
                raise ConflictError(uid, {"uid": uid, "version": version, "review_by": self.login},
                                    self._parcel(cur, uid), version)
            self._append(cur, events)
            return done[0]

    def delete_parcel(self, uid: str, version: int, events: Sequence[dict] = ()) -> None:
        with self._tx() as cur:
            cur.execute("DELETE FROM wztax.parcel WHERE project_id = %s AND uid = %s AND version = %s RETURNING uid",
                        (self.project_id, uid, version))
            if cur.fetchone() is None:
                raise ConflictError(uid, {"uid": uid, "version": version, "deleted": True}, self._parcel(cur, uid),
                                    version)
            cur.execute("DELETE FROM wztax.result_piece WHERE project_id = %s AND uid = %s", (self.project_id, uid))
            cur.execute("DELETE FROM wztax.result WHERE project_id = %s AND uid = %s", (self.project_id, uid))
            self._append(cur, events)

    # ------------------------------------------------------------ results
    def put_results(self, results: list[dict], pieces: Sequence[dict] = (), events: Sequence[dict] = (), *,
                    uids=None) -> None:
        """Store results (dicts of the file's ``results`` table) and the grade pieces of the
        current ones (``uid, grade, geometry``), replacing those of the same parcels (and of
        ``uids``: a parcel there without a result keeps none); one transaction."""
        with _no_collector(), self._tx() as cur:
            expected = {r["uid"]: r["version"] for r in results if r.get("version") is not None}
            if expected:   # results of the parcels as they were read: refused when one changed meanwhile
                cur.execute("SELECT uid, version, changed_by FROM wztax.parcel WHERE project_id = %s "
                            "AND uid = ANY(%s) FOR SHARE", (self.project_id, list(expected)))
                now = {u: (v, by) for u, v, by in cur.fetchall()}
                for uid, v in expected.items():
                    if now.get(uid, (None,))[0] != v:
                        theirs = self._parcel(cur, uid)
                        raise ConflictError(uid, {"uid": uid, "version": v, "result": "assessed"}, theirs, v)
            uids = sorted({r["uid"] for r in results} | set(uids or ()))
            cur.execute("CREATE TEMP TABLE IF NOT EXISTS wz_uids (uid text) ON COMMIT DELETE ROWS")
            _copy(cur, "wz_uids (uid)", ((u,) for u in uids))
            cur.execute("DELETE FROM wztax.result r USING wz_uids u WHERE r.project_id = %s AND r.uid = u.uid",
                        (self.project_id,))
            cur.execute("DELETE FROM wztax.result_piece r USING wz_uids u WHERE r.project_id = %s AND r.uid = u.uid",
                        (self.project_id,))
            self._copy_results(cur, results)
            self._copy_pieces(cur, pieces)
            self._append(cur, events)

    def _copy_results(self, cur, results) -> None:
        pid = self.project_id
        # flags and key: NULL (\\N) when the row does not carry them (made from the JSON when needed)
        _copy(cur, "wztax.result (project_id, uid, kind, fingerprint, due, result, provenance, flags, key)",
              ((pid, r["uid"], r["kind"], r["fingerprint"], r["due"], r["result"] or "", r["provenance"] or "",
                _NULL if r.get("flags") is None else r["flags"], _NULL if r.get("key") is None else r["key"])
               for r in results), nullable=(7, 8))

    def _copy_zoneset(self, cur, grades) -> None:
        """The user zone set embedded in the project (a GeoDataFrame: grade, rate, geometry)."""
        if grades is None or not len(grades):
            return
        wkt = grades.crs.to_wkt() if grades.crs is not None else ""
        for k, (g, rate, geom) in enumerate(zip(grades["grade"].tolist(), grades["rate"].tolist(), grades.geometry.values)):
            cur.execute("INSERT INTO wztax.zoneset_grade (project_id, seq, grade, rate, geom, srid_wkt) "
                        "VALUES (%s, %s, %s, %s, ST_GeomFromWKB(%s), %s)",
                        (self.project_id, k + 1, int(g), str(rate), _wkb(geom), wkt))

    def zoneset_grades(self):
        """The embedded user zone set (GeoDataFrame grade, rate, geometry), or None."""
        with self._tx() as cur:
            cur.execute("SELECT grade, rate, ST_AsBinary(geom), srid_wkt FROM wztax.zoneset_grade "
                        "WHERE project_id = %s ORDER BY seq", (self.project_id,))
            recs = cur.fetchall()
        if not recs:
            return None
        import geopandas as gpd

        return gpd.GeoDataFrame({"grade": [r[0] for r in recs], "rate": [r[1] for r in recs]},
                                geometry=shapely.from_wkb([bytes(r[2]) for r in recs]), crs=recs[0][3] or None)

    def _copy_pieces(self, cur, pieces) -> None:
        if not pieces:
            return
        hexes = _ewkb_hex([p["geometry"] for p in pieces])
        seq: dict[str, int] = {}

        def rows():
            for p, h in zip(pieces, hexes):
                n = seq[p["uid"]] = seq.get(p["uid"], 0) + 1
                yield self.project_id, p["uid"], n, int(p["grade"]), h

        _copy(cur, "wztax.result_piece (project_id, uid, seq, grade, geom)", rows())

    def results(self, uids=None) -> list[dict]:
        """Every stored result (or those of the parcels ``uids``)."""
        with self._tx() as cur:
            cur.execute("SELECT uid, kind, fingerprint, due, result, provenance, flags, key FROM wztax.result "
                        "WHERE project_id = %s AND (%s OR uid = ANY(%s)) ORDER BY kind, uid",
                        (self.project_id, uids is None, list(uids or ())))
            return [{"uid": u, "kind": k, "fingerprint": f, "due": d, "result": r, "provenance": p, "flags": fl,
                     "key": key} for u, k, f, d, r, p, fl, key in cur.fetchall()]

    def pieces(self, uids=None) -> list[dict]:
        with self._tx() as cur:
            cur.execute("SELECT uid, grade, ST_AsBinary(geom) FROM wztax.result_piece WHERE project_id = %s "
                        "AND (%s OR uid = ANY(%s)) ORDER BY uid, seq", (self.project_id, uids is None, list(uids or ())))
            recs = cur.fetchall()
        geoms = shapely.from_wkb([bytes(r[2]) for r in recs]) if recs else []
        return [{"uid": u, "grade": g, "geometry": geom} for (u, g, _), geom in zip(recs, geoms)]

    # ---------------------------------------------------------- audit log
    def append_events(self, events: list[dict]) -> None:
        with self._tx() as cur:
            self._append(cur, events)

    def _append(self, cur, events) -> None:
        if not events:
            return
        pid, login = self.project_id, self.login
        _copy(cur, 'wztax.audit (project_id, "when", who, uid, kind, what, old, new)',
              ((pid, e["when"], e.get("who") or login, e["uid"], e["kind"], e["what"], e.get("old") or "",
                e.get("new") or "") for e in events))

    def log_extent(self, cur=None) -> tuple[int, int]:
        """(number of events, id of the last one) of the project's log (0, 0 when empty)."""
        if cur is None:
            with self._tx() as cur:
                return self.log_extent(cur)
        cur.execute("SELECT count(*), coalesce(max(id), 0) FROM wztax.audit WHERE project_id = %s", (self.project_id,))
        count, last = cur.fetchone()
        return int(count), int(last)

    def events(self, uid: str | None = None) -> list[dict]:
        """The log, oldest first (``seq`` from 1 within the project), or one parcel's events."""
        with self._tx() as cur:
            cur.execute('SELECT row_number() OVER (ORDER BY id), "when", who, uid, kind, what, old, new, login '
                        "FROM wztax.audit WHERE project_id = %s ORDER BY id", (self.project_id,))
            rows = cur.fetchall()
        keys = ("seq", "when", "who", "uid", "kind", "what", "old", "new", "login")
        out = [dict(zip(keys, r)) for r in rows]
        return [e for e in out if uid is None or e["uid"] == uid]

    # ---------------------------------------------------------- listening
    def listener(self) -> Listener:
        return Listener(self)


class Listener:
    """Changes other clients make to this project (LISTEN/NOTIFY), on its own connection.
    ``poll(timeout)`` returns the messages ({op, uid, version, by} dicts; ``uid`` None and
    ``count`` for a bulk change) that arrived; an empty list when none did."""

    def __init__(self, project: PgProject) -> None:
        self.project = project
        self.conn = connect(project.url, autocommit=True)
        with self.conn.cursor() as cur:
            cur.execute(f"LISTEN {CHANNEL}")

    def poll(self, timeout: float = 0.0) -> list[dict]:
        pg = _psycopg2()
        try:
            if not self.conn.notifies and select.select([self.conn], [], [], timeout) == ([], [], []):
                return []
            self.conn.poll()
        except (pg.OperationalError, pg.InterfaceError) as exc:
            raise ServerUnavailable(self.project.url.shown, f"the server went away ({' '.join(str(exc).split())[:200]})") from None
        out = []
        while self.conn.notifies:
            n = self.conn.notifies.pop(0)
            msg = json.loads(n.payload)
            if msg.get("project") == self.project.project_id:
                out.append(msg)
        return out

    def close(self) -> None:
        self.conn.close()


def _ewkb_hex(geoms) -> list[str]:
    """Hex EWKB with SRID 4549 — the text form COPY gives a geometry(…, 4549) column."""
    arr = np.empty(len(geoms), dtype=object)
    arr[:] = geoms
    return list(shapely.to_wkb(shapely.set_srid(arr, 4549), hex=True, include_srid=True))


@contextmanager
def _no_collector():
    """No garbage-collector passes meanwhile: a bulk write makes hundreds of thousands of short-lived
    rows, and each full pass walks every object of the open project (a district's, in the desktop)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


#: NULL in a row given to :func:`_copy` (COPY's \\N marker, never escaped); compared by identity
_NULL = object()


def _copy(cur, target: str, rows, nullable: tuple[int, ...] = ()) -> None:
    """COPY ``rows`` (tuples of str/int/float/Decimal, or :data:`_NULL`; never None) into ``target`` ("table
    (columns)") in one round trip, in COPY's text format. Escaping is done a column at a time
    on the column joined into one string (backslash, tab, newline, CR), so its cost is a few
    passes of C over the text: at 100,000 results of a kilobyte of JSON each, escaping value
    by value in Python (800,000 calls) cost more than the server's whole COPY. ``nullable``:
    the columns that may hold :data:`_NULL`."""
    columns = list(zip(*rows))
    if not columns:
        return
    escaped = []
    for n, col in enumerate(columns):
        text = "\x00".join(map(str, col))
        if text.count("\x00") != len(col) - 1:   # PostgreSQL text holds no NUL: refused, never split wrong
            raise ValueError(f"a value for {target} contains a NUL character")
        if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
            text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
        values = text.split("\x00")
        if n in nullable and any(v is _NULL for v in col):     # NULL: COPY's own marker, unescaped
            values = ["\\N" if v is _NULL else t for v, t in zip(col, values)]
        escaped.append(values)
    body = "\n".join(map("\t".join, zip(*escaped))) + "\n"
    cur.copy_expert(f"COPY {target} FROM STDIN", io.StringIO(body))
