"""Shared project store benchmark over localhost (PostgreSQL 15 + PostGIS 3 from Debian).

    python -m benchmarks.pg_store --n 100000 [--repeats 3]

Starts a throwaway cluster (tools/pg_test_cluster.py; as root it runs the server as
``postgres``), or uses ``ZONES_TEST_PG=DIR``. Times, on an N-parcel project:

- **open**: the project opened as the desktop opens it (``PgBackend.load() -> Project``);
  against the competing approach timed in the same run — the same project as a project
  file opened with ``load_project``;
- **load**: all parcel rows with outlines and versions read into memory, against the same
  tables read from the GeoPackage file with pyogrio;
- **one edit commit**: one parcel saved over its version with one log event (median of 50);
- **assess-all results**: N results (JSON) + log events written in one transaction
  (COPY), the assessment itself excluded (that is the batch benchmark's);
- **4 concurrent clients** editing different parcels (200 edits each, separate
  processes): edits lost (must be 0) and the total time.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import multiprocessing as mp
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import shapely

ROOT = Path(__file__).resolve().parents[1]


def _tool():
    spec = importlib.util.spec_from_file_location("pg_test_cluster", ROOT / "tools" / "pg_test_cluster.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _rows(n: int) -> list[dict]:
    side = int(n ** 0.5) + 1
    out = []
    for k in range(n):
        x, y = 560_000 + (k % side) * 30, 3_100_000 + (k // side) * 30
        out.append({"uid": f"b{k:07d}", "position": k, "geometry": shapely.box(x, y, x + 25, y + 20),
                    "attrs": {"parcel_no": f"330302{k:09d}", "taxpayer_name": f"温州示例公司{k}", "land_use": "商业",
                              "declared_area": "500.00"},
                    "entered_by": "bench", "source": json.dumps({"kind": "import", "file": "bench.gpkg"}),
                    "import_flags": ""})
    return out


def _edit_worker(args):
    url, uids, rounds = args
    from zones.pgstore.errors import ConflictError
    from zones.pgstore.store import PgProject

    s = PgProject(url)
    lost = 0
    for r in range(rounds):
        uid = uids[r % len(uids)]
        row = s.parcel(uid)
        row["attrs"]["taxpayer_name"] = f"edit {r}"
        try:
            s.save_parcel(row, [{"when": "t", "uid": uid, "kind": "edit", "what": f"edit {r}"}])
        except ConflictError:
            lost += 1
    s.close()
    return lost


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args(argv)
    tool = _tool()
    given = os.environ.get("ZONES_TEST_PG")
    folder = Path(given) if given else tool.start(durable=True)   # default fsync: honest commit times
    info = json.loads((folder / "cluster.json").read_text())
    import psycopg2

    from zones.pgstore import migrate
    from zones.pgstore.store import PgProject
    from zones.pgstore.tables import read_file, write_file

    db = f"bench_{uuid.uuid4().hex[:6]}"
    base = f"postgresql://{info['user']}:{quote(info['password'], safe='')}@{info['host']}:{info['port']}"
    admin = psycopg2.connect(f"{base}/postgres")
    admin.autocommit = True
    admin.cursor().execute(f"CREATE DATABASE {db}")
    conn = psycopg2.connect(f"{base}/{db}")
    conn.autocommit = True
    conn.cursor().execute("CREATE EXTENSION postgis")
    conn.autocommit = False
    migrate.migrate(conn)
    conn.close()
    url = f"{base}/{db}?project=bench"
    res: dict = {"n": args.n}
    try:
        store = PgProject.create(url, {"format": "wztax-project/1", "period": [2024, 1, 12],
                                       "zoneset": {"ref": "wenzhou-urban-2024"}})
        rows = _rows(args.n)
        t = time.perf_counter()
        store.add_parcels(rows, [{"when": "t", "uid": r["uid"], "kind": "entry", "what": "导入"} for r in rows])
        res["import_s"] = time.perf_counter() - t
        res["load_db_s"] = []
        for _ in range(args.repeats):
            t = time.perf_counter()
            got = store.parcels()
            res["load_db_s"].append(time.perf_counter() - t)
        assert len(got) == args.n
        with tempfile.TemporaryDirectory() as tmp:
            path = write_file({"settings": store.settings(), "parcels": got, "audit": [], "results": [], "pieces": []},
                              Path(tmp) / "bench.gpkg")
            res["load_gpkg_s"] = []
            for _ in range(args.repeats):
                t = time.perf_counter()
                back = read_file(path)
                res["load_gpkg_s"].append(time.perf_counter() - t)
            assert len(back["parcels"]) == args.n
            from zones.project_file import load_project

            res["open_gpkg_s"] = []
            for _ in range(args.repeats):   # the competing open: the same project as a project file
                t = time.perf_counter()
                project = load_project(path)
                res["open_gpkg_s"].append(time.perf_counter() - t)
            assert len(project.parcels) == args.n
            del project
        from zones.pgstore.backend import PgBackend

        res["open_project_s"] = []
        for _ in range(args.repeats):   # what the desktop's open does: the rows, then the document store's Project
            t = time.perf_counter()
            project = PgBackend(url).load()
            res["open_project_s"].append(time.perf_counter() - t)
        assert len(project.parcels) == args.n
        del project
        lat = []
        for k in range(50):
            row = store.parcel(rows[k]["uid"])
            assert row is not None
            row["attrs"]["land_use"] = "工业" if k % 2 else "商业"
            t = time.perf_counter()
            store.save_parcel(row, [{"when": "t", "uid": row["uid"], "kind": "edit", "what": "土地用途"}])
            lat.append(time.perf_counter() - t)
        res["edit_commit_ms"] = statistics.median(lat) * 1000
        res["edit_commit_p95_ms"] = sorted(lat)[int(len(lat) * 0.95)] * 1000
        result_json = json.dumps({"rows": [], "due": "1234.50", "pad": "x" * 1200})   # the size of a real result
        results = [{"uid": r["uid"], "kind": "current", "fingerprint": "f" * 16, "due": "1234.50", "result": result_json,
                    "provenance": "{}"} for r in rows]
        events = [{"when": "t", "uid": r["uid"], "kind": "assess", "what": "计税：应纳税额 1234.50 元"} for r in rows]
        t = time.perf_counter()
        store.put_results(results, [], events)
        res["results_write_s"] = time.perf_counter() - t
        store.close()
        per = 200
        jobs = [(url, [rows[c * 1000 + k]["uid"] for k in range(50)], per) for c in range(4)]
        t = time.perf_counter()
        with mp.get_context("spawn").Pool(4) as pool:
            lost = pool.map(_edit_worker, jobs)
        res["concurrent_s"] = time.perf_counter() - t
        res["concurrent_conflicts"] = sum(lost)
        check = PgProject(url)
        edits = [e for e in check.events() if e["kind"] == "edit" and e["what"].startswith("edit ")]
        res["concurrent_events"] = len(edits)
        res["concurrent_expected"] = 4 * per
        final = {r["uid"]: r["attrs"]["taxpayer_name"] for r in check.parcels()[:4000]}
        res["concurrent_final_ok"] = all(final[u] == f"edit {per - 50 + k}" for c, (_, uids, _) in enumerate(jobs)
                                         for k, u in enumerate(uids))
        check.close()
    finally:
        admin.cursor().execute(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
        admin.close()
        if not given:
            tool.stop(folder)
    med = {k: statistics.median(v) if isinstance(v, list) else v for k, v in res.items()}
    med["load_ratio_db_vs_gpkg"] = med["load_db_s"] / med["load_gpkg_s"]
    med["open_ratio_db_vs_gpkg"] = med["open_project_s"] / med["open_gpkg_s"]
    med["load_average_1min"] = os.getloadavg()[0]   # other work on the machine: the numbers scale with it
    print(json.dumps(med, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
