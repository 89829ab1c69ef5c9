"""``python -m zones project …`` on a project file and on a database project (real server)."""
# ruff: noqa: F811  (the fixtures imported from pg_cluster are parameters of the tests)

from __future__ import annotations

import subprocess
import sys
import time

import pandas as pd
import psycopg2
import pytest
from pg_cluster import pg_db, pg_server  # noqa: F401

from zones.resources import resource

SAMPLE = str(resource("samples", "wenzhou_sample.gpkg"))
OPTIONS = ["--declared-area-field", "证载面积", "--small-taxpayer-field", "小规模纳税人", "--relief-field", "减免性质代码",
           "--start-field", "起始月份", "--end-field", "终止月份"]
COMPUTED = ["parcel_id", "area_m2", "area_g1_m2", "area_g2_m2", "area_g3_m2", "area_outside_m2", "months", "tax_g1",
            "tax_g2", "tax_g3", "relief", "small_taxpayer_relief", "tax_due", "flags"]


def zones(*args, env=None, check=True):
    r = subprocess.run([sys.executable, "-m", "zones", *map(str, args)], check=False, capture_output=True, text=True, env=env,
                       timeout=300)
    if check:
        assert r.returncode == 0, r.stderr
    return r


def _csv(path):
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def test_export_writes_the_cells_of_assess_on_either_store(pg_server, pg_db, tmp_path):
    zones("assess", SAMPLE, "--out", tmp_path / "assess.csv", "--year", 2024, *OPTIONS, "--quiet")
    admin = pg_server.url(pg_db, "zadmin")
    url, env = pg_server.env_url(pg_db, "lu_a")
    for store, e in ((tmp_path / "p.gpkg", None), (url, env)):
        zones("project", "create", admin if e else store, "--year", 2024, "--quiet")
        zones("project", "import", store, SAMPLE, *OPTIONS, "--quiet", env=e)
        zones("project", "assess", store, "--quiet", env=e)
    zones("project", "export", tmp_path / "p.gpkg", "--out", tmp_path / "file.csv", "--quiet")
    r = zones("project", "export", url, "--out", tmp_path / "db.csv", env=env)
    assert "note:" not in r.stderr                # every stored result is current
    assess, file, db = _csv(tmp_path / "assess.csv"), _csv(tmp_path / "file.csv"), _csv(tmp_path / "db.csv")
    assert len(assess) == 12
    pd.testing.assert_frame_equal(assess[COMPUTED], file[COMPUTED])
    pd.testing.assert_frame_equal(file, db)       # every column, attributes too, cell for cell
    assert assess["tax_due"].tolist() == db["tax_due"].tolist()
    # the stored results are the same figures on both stores, and the log names the login
    log = zones("project", "log", url, env=env).stdout.splitlines()
    assert len(log) == 24 and all("\tlu_a\t" in line for line in log)
    assert sum(line.split("\t")[4] == "assess" for line in log) == 12


def test_exit_2_with_one_line(pg_server, pg_db, tmp_path):
    bare = pg_db + "_np"
    conn = pg_server.admin()
    with conn.cursor() as cur:
        cur.execute(f"CREATE DATABASE {bare}")
    try:
        cases = [
            (["postgresql://h/db"], "names no project"),
            ([pg_server.url(pg_db, "lu_a", password="nope")], "login refused"),
            ([pg_server.url(pg_db, "lu_a", project="nope")], "no project 'nope'"),
            ([pg_server.url(bare, "zadmin")], "has no PostGIS extension"),
            ([tmp_path / "missing.gpkg"], "no such project file"),
            # TLS options reach libpq: this test server has no TLS, so requiring it is refused
            ([pg_server.url(pg_db, "lu_a", sslmode="require")], "server does not support SSL"),
        ]
        for args, text in cases:
            r = zones("project", "log", *args, check=False)
            assert r.returncode == 2, r.stderr
            assert len(r.stderr.strip().splitlines()) == 1 and text in r.stderr, r.stderr
            assert "nope@" not in r.stderr and ":nope" not in r.stderr   # no password in messages
    finally:
        with conn.cursor() as cur:
            cur.execute(f"DROP DATABASE {bare} WITH (FORCE)")
        conn.close()


def test_exit_3_when_a_parcel_changed_while_it_was_assessed(pg_server, pg_db):
    url, env = pg_server.env_url(pg_db, "lu_a")
    zones("project", "create", pg_server.url(pg_db, "zadmin"), "--year", 2024, "--quiet")
    zones("project", "import", url, SAMPLE, *OPTIONS, "--quiet", env=env)
    other = psycopg2.connect(pg_server.url(pg_db, "lu_b").split("?")[0])
    with other.cursor() as cur:   # lu_b changes a parcel and holds the change open …
        cur.execute("UPDATE wztax.parcel SET attrs = attrs || '{\"land_use\": \"工业\"}' "
                    "WHERE uid = (SELECT min(uid) FROM wztax.parcel)")
    proc = subprocess.Popen([sys.executable, "-m", "zones", "project", "assess", url], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    admin = pg_server.admin(pg_db)
    try:
        t0 = time.monotonic()
        while time.monotonic() - t0 < 60:   # … until the assessment, which read the parcel before, waits on it
            with admin.cursor() as cur:
                cur.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'wztax' "
                            "AND wait_event_type = 'Lock'")
                if cur.fetchone()[0]:
                    break
            assert proc.poll() is None, proc.stderr.read()
            time.sleep(0.1)
        other.commit()
        _, err = proc.communicate(timeout=120)
    finally:
        admin.close(), other.close()
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 3, err
    assert "changed by lu_b meanwhile (version 1 → 2)" in err and len(err.strip().splitlines()) == 1
    r = zones("project", "log", url, env=env)
    assert "assess" not in r.stdout               # nothing of the refused assessment was stored


@pytest.mark.parametrize("cmd", ["assess", "export"])
def test_a_missing_project_file_is_named(tmp_path, cmd):
    extra = ["--out", tmp_path / "x.csv"] if cmd == "export" else []
    r = zones("project", cmd, tmp_path / "none.gpkg", *extra, check=False)
    assert r.returncode == 2 and "none.gpkg: no such project file" in r.stderr
