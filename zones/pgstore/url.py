"""``postgresql://user@host:port/db?project=NAME&sslmode=verify-full…`` — the address of a
project in a shared database.

``project`` names the project (several share one database); every other query
parameter is libpq's own and passes through unchanged (``sslmode``, ``sslrootcert``,
``sslcert``, ``sslkey``, ``connect_timeout``, ``options`` …), so TLS is set in the URL.
A password may be in the URL, in ``PGPASSWORD`` or ``~/.pgpass`` (libpq reads them);
:func:`redacted` is the only form of the URL that messages and logs ever show.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from zones.pgstore.errors import StoreError as InputError

SCHEMES = ("postgresql", "postgres")


def is_database_url(text) -> bool:
    return isinstance(text, str) and text.split("://", 1)[0].lower() in SCHEMES and "://" in text


@dataclass(frozen=True)
class ProjectURL:
    dsn: str          # libpq connection URI without ``project`` (may carry a password: never print it)
    project: str
    shown: str        # the URL with the password replaced by ***

    def __str__(self) -> str:
        return self.shown


def redacted(url: str) -> str:
    """``url`` with any password (in the authority or a ``password=`` parameter) replaced by ***."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "postgresql://…"
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        if ":" in userinfo:
            userinfo = userinfo.split(":", 1)[0] + ":***"
        netloc = f"{userinfo}@{host}"
    query = [(k, "***" if k.lower() == "password" else v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    return urlunsplit((parts.scheme, netloc, parts.path, urlencode(query, safe="/:*"), ""))


def parse_project_url(url: str) -> ProjectURL:
    """Split the project name off a database URL; InputError (exit 2) naming what is wrong."""
    shown = redacted(url)
    if not is_database_url(url):
        raise InputError(shown, "not a database URL (postgresql://user@host:port/database?project=NAME)")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 — raises ValueError on a port that is not a number
    except ValueError as exc:
        raise InputError(shown, f"bad database URL: {exc}") from None
    query = parse_qsl(parts.query, keep_blank_values=True)
    projects = [v for k, v in query if k == "project"]
    if not projects or not projects[0].strip():
        raise InputError(shown, "the URL names no project: add ?project=NAME")
    if len(projects) > 1:
        raise InputError(shown, "the URL names more than one project")
    database = unquote(parts.path.lstrip("/"))
    if not database:
        raise InputError(shown, "the URL names no database (postgresql://host/DATABASE?project=NAME)")
    rest = [(k, v) for k, v in query if k != "project"]
    dsn = urlunsplit((parts.scheme, parts.netloc, "/" + quote(database), urlencode(rest, safe="/:"), ""))
    import psycopg2
    from psycopg2.extensions import parse_dsn

    try:
        parse_dsn(dsn)
    except psycopg2.Error as exc:   # ProgrammingError: libpq refused the URI
        raise InputError(shown, f"bad database URL: {str(exc).strip().splitlines()[0]}") from None
    return ProjectURL(dsn, projects[0].strip(), shown)
