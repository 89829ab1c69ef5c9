"""Fixtures for the shared-store tests: a real PostgreSQL + PostGIS server, no mocks.

``ZONES_TEST_PG=DIR`` names a cluster started by ``tools/pg_test_cluster.py start`` (CI);
otherwise the session starts its own throwaway cluster in a temporary folder with the same
tool, and stops it at the end. The tests skip, saying why, only when no server can be
started here (no PostgreSQL/PostGIS installed). Import the fixtures into a test module:
``from pg_cluster import pg_server, pg_db  # noqa: F401``.

Logins created once per cluster (passwords random per session, in memory only):
``lu_a``, ``lu_b`` (officers, 录入), ``fu_a`` (reviewer, 复核), ``zadmin`` (wztax_admin).
"""

from __future__ import annotations

import importlib.util
import json
import os
import secrets
import shutil
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parents[1]
LOGINS = {"lu_a": "wztax_officer", "lu_b": "wztax_officer", "fu_a": "wztax_reviewer", "zadmin": "wztax_admin"}


def _tool():
    spec = importlib.util.spec_from_file_location("pg_test_cluster", ROOT / "tools" / "pg_test_cluster.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


class Server:
    """A running cluster: admin connections, URLs for the test logins, stop/start."""

    def __init__(self, folder: Path, tool) -> None:
        self.dir, self.tool = Path(folder), tool
        self.info = json.loads((self.dir / "cluster.json").read_text())
        self.passwords = {name: secrets.token_urlsafe(12) for name in LOGINS}
        self.template = None

    def admin_dsn(self, db: str = "postgres") -> str:
        i = self.info
        return f"postgresql://{i['user']}:{quote(i['password'], safe='')}@{i['host']}:{i['port']}/{db}"

    def admin(self, db: str = "postgres"):
        import psycopg2

        conn = psycopg2.connect(self.admin_dsn(db))
        conn.autocommit = True
        return conn

    def url(self, db: str, user: str, project: str = "p1", password: str | None = None, **params) -> str:
        pw = self.passwords[user] if password is None and user in self.passwords else (password or "")
        auth = f"{user}:{quote(pw, safe='')}" if pw else user
        query = "&".join([f"project={quote(project)}", *(f"{k}={v}" for k, v in params.items())])
        return f"postgresql://{auth}@{self.info['host']}:{self.info['port']}/{db}?{query}"

    def env_url(self, db: str, user: str, project: str = "p1") -> tuple[str, dict]:
        """A URL without the password, and the environment passing it (PGPASSWORD) to a subprocess."""
        env = dict(os.environ, PGPASSWORD=self.passwords[user])
        return f"postgresql://{user}@{self.info['host']}:{self.info['port']}/{db}?project={quote(project)}", env

    def stop(self) -> None:
        self.tool.server_stop(self.dir)

    def start(self) -> None:
        self.tool.server_start(self.dir)


def _prepare(server: Server) -> None:
    """The schema's roles and the test logins; a template database with PostGIS and the schema."""
    from zones.pgstore import migrate

    tpl = f"zones_tpl_{uuid.uuid4().hex[:8]}"
    conn = server.admin()
    with conn.cursor() as cur:
        cur.execute(f"CREATE DATABASE {tpl}")
    conn.close()
    conn = server.admin(tpl)
    with conn.cursor() as cur:
        cur.execute("CREATE EXTENSION postgis")
    conn.autocommit = False
    migrate.migrate(conn)
    conn.autocommit = True
    with conn.cursor() as cur:
        for name, role in LOGINS.items():
            cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,))
            if cur.fetchone():
                cur.execute(f"ALTER ROLE {name} LOGIN PASSWORD %s", (server.passwords[name],))
            else:
                cur.execute(f"CREATE ROLE {name} LOGIN PASSWORD %s IN ROLE {role}", (server.passwords[name],))
    conn.close()
    server.template = tpl


@pytest.fixture(scope="session")
def pg_server():
    try:
        import psycopg2  # noqa: F401
    except ImportError:
        pytest.skip("psycopg2 is not installed (pip install psycopg2-binary)")
    tool = _tool()
    given = os.environ.get("ZONES_TEST_PG")
    own = None
    if given:
        folder = Path(given)
    else:
        bindir = tool.pg_bin()
        if bindir is None or not tool.has_postgis(bindir):
            pytest.skip("no local PostgreSQL + PostGIS to start (Debian: postgresql-15 postgresql-15-postgis-3; "
                        "`python tools/pg_test_cluster.py install` as root)")
        try:
            folder = own = tool.start()
        except (RuntimeError, OSError) as exc:
            pytest.skip(f"a local PostgreSQL could not be started: {exc}")
    server = Server(folder, tool)
    _prepare(server)
    yield server
    if own is not None:
        tool.stop(own)
    else:
        conn = server.admin()
        with conn.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS {server.template}")
        conn.close()


@pytest.fixture
def pg_db(pg_server):
    """A fresh database (PostGIS and the schema, from the template) for one test; its name."""
    name = f"t_{uuid.uuid4().hex[:10]}"
    conn = pg_server.admin()
    with conn.cursor() as cur:
        cur.execute(f"CREATE DATABASE {name} TEMPLATE {pg_server.template}")
    conn.close()
    yield name
    conn = pg_server.admin()
    with conn.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    conn.close()


def python() -> str:
    return sys.executable or shutil.which("python3")
