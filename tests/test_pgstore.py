"""The shared project store on a real PostgreSQL + PostGIS server (tests/pg_cluster.py)."""
# ruff: noqa: F811  (the fixtures imported from pg_cluster are parameters of the tests)

from __future__ import annotations

import time

import psycopg2
import pytest
from pg_cluster import pg_db, pg_server  # noqa: F401
from shapely.geometry import box

from zones.pgstore.errors import ConflictError, RuleRefused, StoreError
from zones.pgstore.store import PgProject
from zones.pgstore.url import parse_project_url, redacted

X0, Y0 = 40_500_000.0, 3_100_000.0   # not used for grades here: EPSG:4549 metres


def _row(uid, k, **attrs):
    return {"uid": uid, "position": k, "attrs": attrs, "geometry": box(500_000 + k * 100, 3_100_000, 500_050 + k * 100,
                                                                        3_100_040), "source": "", "import_flags": ""}


def _event(uid, kind="entry", what="新建地块", who=""):
    return {"when": "2026-12-02T10:00:00", "who": who, "uid": uid, "kind": kind, "what": what}


def _project(pg_server, db, user="zadmin", **settings):
    return PgProject.create(pg_server.url(db, user), {"format": "wztax-project/1", "period": [2026, 1, 12],
                                                      "zoneset": {"ref": "wenzhou-urban-2024"}, **settings})


# ---------------------------------------------------------------- URLs

def test_url_keeps_libpq_options_and_hides_the_password():
    u = parse_project_url("postgresql://lu:s3cr%40t@db.example:5433/tax?project=鹿城区&sslmode=verify-full"
                          "&sslrootcert=/etc/ca.pem")
    assert u.project == "鹿城区"
    assert "sslmode=verify-full" in u.dsn and "sslrootcert=%2Fetc%2Fca.pem" in u.dsn or "sslrootcert=/etc/ca.pem" in u.dsn
    assert "project" not in u.dsn
    assert "s3cr" not in u.shown and "***" in u.shown
    assert "s3cr" not in redacted("postgresql://db/x?project=a&password=s3cr")


@pytest.mark.parametrize("url, problem", [
    ("postgresql://host/db", "names no project"),
    ("postgresql://host/?project=a", "names no database"),
    ("postgresql://host:port/db?project=a", "bad database URL"),
    ("postgresql://host/db?project=a&nosuchoption=1", "bad database URL"),
])
def test_bad_urls_are_refused_with_a_reason(url, problem):
    with pytest.raises(StoreError, match=problem):
        parse_project_url(url)


# ---------------------------------------------------------- connecting

def test_refused_login_missing_project_and_missing_postgis_are_named(pg_server, pg_db):
    with pytest.raises(StoreError, match="login refused") as exc:
        PgProject(pg_server.url(pg_db, "lu_a", password="wrong-password"))
    assert "wrong-password" not in str(exc.value)
    _project(pg_server, pg_db).close()
    with pytest.raises(StoreError, match=r"no project 'nope' in this database \(projects: p1\)"):
        PgProject(pg_server.url(pg_db, "lu_a", project="nope"))
    bare = pg_db + "_bare"
    conn = pg_server.admin()
    with conn.cursor() as cur:
        cur.execute(f"CREATE DATABASE {bare}")
    try:
        with pytest.raises(StoreError, match=f"the database '{bare}' has no PostGIS extension"):
            PgProject(pg_server.url(bare, "zadmin"))
    finally:
        with conn.cursor() as cur:
            cur.execute(f"DROP DATABASE {bare}")
        conn.close()


# ------------------------------------------------------ concurrency

def test_a_save_over_a_parcel_changed_meanwhile_is_refused_with_both_values(pg_server, pg_db):
    _project(pg_server, pg_db).close()
    a = PgProject(pg_server.url(pg_db, "lu_a"))
    b = PgProject(pg_server.url(pg_db, "lu_b"))
    a.add_parcels([_row("u1", 0, taxpayer_name="甲公司")], [_event("u1")])
    mine, theirs = a.parcel("u1"), b.parcel("u1")
    assert mine["version"] == theirs["version"] == 1
    theirs["attrs"]["taxpayer_name"] = "乙公司"
    assert b.save_parcel(theirs, [_event("u1", "edit", "纳税人名称: 甲公司 → 乙公司")]) == 2
    mine["attrs"]["taxpayer_name"] = "丙公司"
    with pytest.raises(ConflictError) as exc:
        a.save_parcel(mine, [_event("u1", "edit", "纳税人名称: 甲公司 → 丙公司")])
    err = exc.value
    assert err.mine["attrs"]["taxpayer_name"] == "丙公司"
    assert err.theirs["attrs"]["taxpayer_name"] == "乙公司"
    assert (err.base_version, err.theirs["version"], err.theirs["changed_by"]) == (1, 2, "lu_b")
    # nothing of the refused change was written: neither the parcel nor its log event
    assert a.parcel("u1")["attrs"]["taxpayer_name"] == "乙公司"
    assert [e["what"] for e in a.events("u1")] == ["新建地块", "纳税人名称: 甲公司 → 乙公司"]
    assert [e["login"] for e in a.events("u1")] == ["lu_a", "lu_b"]
    # choosing mine over theirs: save again on their version
    mine["version"] = err.theirs["version"]
    assert a.save_parcel(mine) == 3
    a.close(), b.close()


def test_other_clients_learn_of_a_change_within_5_s(pg_server, pg_db):
    _project(pg_server, pg_db).close()
    a = PgProject(pg_server.url(pg_db, "lu_a"))
    b = PgProject(pg_server.url(pg_db, "lu_b"))
    listen = b.listener()
    t0 = time.monotonic()
    a.add_parcels([_row("u1", 0)], [_event("u1")])
    got = []
    while not got and time.monotonic() - t0 < 5:
        got = listen.poll(0.5)
    assert got and got[0]["uid"] == "u1" and got[0]["op"] == "insert" and got[0]["by"] == "lu_a"
    row = a.parcel("u1")
    row["attrs"] = {"land_use": "工业"}
    a.save_parcel(row)
    got = []
    while not got and time.monotonic() - t0 < 10:
        got = listen.poll(0.5)
    assert got == [{"project": a.project_id, "op": "update", "uid": "u1", "version": 2, "by": "lu_a"}]
    listen.close(), a.close(), b.close()


# ---------------------------------------------------------- the log

def test_the_audit_log_is_append_only_for_the_application_roles(pg_server, pg_db):
    _project(pg_server, pg_db).close()
    a = PgProject(pg_server.url(pg_db, "fu_a"))   # even a reviewer; an admin likewise
    a.add_parcels([_row("u1", 0)], [_event("u1", who="冒名")])
    assert a.events()[0]["login"] == "fu_a"        # the server stamps the login, whatever the client says
    conn = psycopg2.connect(pg_server.url(pg_db, "lu_a").split("?")[0])
    with conn.cursor() as cur:                     # a client naming another login is refused (column grants)
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            cur.execute('INSERT INTO wztax.audit (project_id, "when", who, uid, kind, what, login) '
                        "VALUES (%s, 't', 'x', 'u1', 'note', 'x', 'fu_a')", (a.project_id,))
    conn.close()
    for user in ("lu_a", "fu_a", "zadmin"):
        conn = psycopg2.connect(pg_server.url(pg_db, user).split("?")[0])
        with conn.cursor() as cur:
            for sql in ("UPDATE wztax.audit SET what = 'x'", "DELETE FROM wztax.audit", "TRUNCATE wztax.audit"):
                with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                    cur.execute(sql)
                conn.rollback()
        conn.close()
    assert [e["what"] for e in a.events()] == ["新建地块"]
    a.close()


# ---------------------------------------------------------- four eyes

def _assessed_parcel(pg_server, db, user):
    s = PgProject(pg_server.url(db, user))
    s.add_parcels([_row("u1", 0)], [_event("u1")])
    return s


def test_four_eyes_rule_refuses_a_review_by_the_last_officer(pg_server, pg_db):
    _project(pg_server, pg_db, four_eyes=True).close()
    reviewer = PgProject(pg_server.url(pg_db, "fu_a"))
    reviewer.add_parcels([_row("u1", 0)], [_event("u1")])     # fu_a entered it …
    v = reviewer.parcel("u1")["version"]
    with pytest.raises(RuleRefused, match="four-eyes rule: parcel u1 was last entered by fu_a"):
        reviewer.mark_reviewed("u1", v, "k", "2026-12-02T11:00:00", [_event("u1", "review", "复核通过")])
    assert reviewer.parcel("u1")["review_by"] == "" and len(reviewer.events("u1")) == 1
    officer = PgProject(pg_server.url(pg_db, "lu_a"))          # … lu_a changes it last
    row = officer.parcel("u1")
    row["attrs"] = {"land_use": "商业"}
    v = officer.save_parcel(row)
    with pytest.raises(RuleRefused, match="lu_a is not a reviewer"):
        officer.mark_reviewed("u1", v, "k", "2026-12-02T11:00:00")
    assert reviewer.mark_reviewed("u1", v, "k", "2026-12-02T11:05:00", [_event("u1", "review", "复核通过")]) == v + 1
    assert reviewer.parcel("u1")["review_by"] == "fu_a"
    # the reviewer recorded is the login, whatever name the client sends …
    row = reviewer.parcel("u1")
    row["review_by"], row["review_at"] = "lu_b", "2026-12-02T11:06:00"
    reviewer.save_parcel(row)
    assert reviewer.parcel("u1")["review_by"] == "fu_a"
    # … and an officer who is no reviewer cannot review in a reviewer's name either
    row = officer.parcel("u1")
    row["review_by"], row["review_at"] = "fu_a", "2026-12-02T11:07:00"
    with pytest.raises(RuleRefused, match="lu_a is not a reviewer"):
        officer.save_parcel(row)
    reviewer.close(), officer.close()


def test_without_the_setting_the_officer_who_entered_may_review(pg_server, pg_db):
    _project(pg_server, pg_db).close()
    reviewer = PgProject(pg_server.url(pg_db, "fu_a"))
    reviewer.add_parcels([_row("u1", 0)])
    assert reviewer.mark_reviewed("u1", 1, "k", "2026-12-02T11:00:00") == 2
    # only an admin turns the rule on
    with pytest.raises(RuleRefused, match="only an administrator"):
        reviewer.set_setting("four_eyes", True)
    reviewer.close()


def test_log_and_results_name_an_existing_project_and_go_with_it(pg_server, pg_db):
    """The bulk tables check their project once per statement (no per-row foreign key): a row of
    a missing project is refused; deleting a project deletes its log, results and pieces."""
    s = _project(pg_server, pg_db)
    s.add_parcels([_row("u1", 0)], [_event("u1")])
    s.put_results([{"uid": "u1", "kind": "current", "fingerprint": "f", "due": "1.00", "result": "{}",
                    "provenance": "{}", "flags": "", "key": "k" * 16}], [{"uid": "u1", "grade": 1,
                                                                            "geometry": box(0, 0, 1, 1)}])
    assert s.results()[0]["flags"] == "" and s.results()[0]["key"] == "k" * 16
    conn = psycopg2.connect(pg_server.url(pg_db, "lu_a").split("?")[0])
    with conn.cursor() as cur:
        for sql in ('INSERT INTO wztax.audit (project_id, "when", who, uid, kind, what) '
                    "VALUES (999, 't', 'x', 'u1', 'note', 'x')",
                    "INSERT INTO wztax.result (project_id, uid, kind, fingerprint, due, result, provenance) "
                    "VALUES (999, 'u1', 'current', 'f', 1, '{}', '{}')"):
            with pytest.raises(psycopg2.errors.ForeignKeyViolation, match="names a project that does not exist"):
                cur.execute(sql)
            conn.rollback()
    conn.close()
    pid = s.project_id
    s.close()
    admin = pg_server.admin(pg_db)
    with admin.cursor() as cur:
        cur.execute("DELETE FROM wztax.project WHERE id = %s", (pid,))
        counts = []
        for table in ("audit", "result", "result_piece", "parcel"):
            cur.execute(f"SELECT count(*) FROM wztax.{table} WHERE project_id = %s", (pid,))
            counts.append(cur.fetchone()[0])
    admin.close()
    assert counts == [0, 0, 0, 0]
