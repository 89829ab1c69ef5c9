"""Shared project store benchmark over localhost (PostgreSQL 15 + PostGIS 3 from Debian).

    python -m benchmarks.pg_store --n 100000 [--repeats 3]

Starts a throwaway cluster (tools/pg_test_cluster.py; as root it runs the server as
``postgres``), or uses ``ZONES_TEST_PG=DIR``. Times, on an N-parcel project:

- **open**: the project opened as the desktop opens it (``PgBackend.load() -> Project``);
  against the competing approaches timed in the same run — the same project as a project
  file opened with ``load_project``, and the previous database open (the rows as
  DataFrames through the project file's reader); again at the end, with 100,000 stored
  results and their log events (a project after assess-all), against reading the whole log
  at the open as before (the log is now read when needed: one parcel's history, timed, is a
  live query; the whole log, timed too, when a copy to a file needs it);
- **load**: all parcel rows with outlines and versions read into memory, against the same
  tables read from the GeoPackage file with pyogrio;
- **one edit commit**: one parcel saved over its version with one log event (median of 50);
  and one edit of the open Project as the desktop commits it (``changes()`` on the GUI
  thread, CPU; ``write()``, wall; median of 20);
- **assess-all results**: N results (JSON of a real result's size) + log events written in
  one transaction (``put_results``: one COPY per table), the assessment itself excluded
  (that is the batch benchmark's); against the previous writer (COPY text escaped value by
  value in Python), alternately in the same run;
- **4 concurrent clients** editing different parcels (200 edits each, separate
  processes): edits lost (must be 0) and the total time.

Wall time, this process' CPU time (user + system) and, where it matters, the CPU time of
the server process serving the connection (from /proc), with the load average: on a shared
machine the wall time is inflated by other work, the CPU times are not.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import json
import multiprocessing as mp
import os
import resource
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


def _cpu() -> float:
    """CPU seconds (user + system) of this process so far."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _server_cpu(conn) -> float:
    """CPU seconds of the server process serving ``conn`` (same machine: /proc)."""
    try:
        fields = Path(f"/proc/{conn.get_backend_pid()}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


class _Timer:
    """Wall, client CPU and server CPU of a block: ``with _Timer(conn) as t: …; t.wall, t.cpu, t.server``."""

    def __init__(self, conn=None) -> None:
        self.conn = conn

    def __enter__(self):
        self._w, self._c = time.perf_counter(), _cpu()
        self._s = _server_cpu(self.conn) if self.conn is not None else 0.0
        return self

    def __exit__(self, *exc) -> None:
        self.wall, self.cpu = time.perf_counter() - self._w, _cpu() - self._c
        self.server = (_server_cpu(self.conn) - self._s) if self.conn is not None else 0.0


def _old_text_copy(store, results, events) -> None:
    """The previous way of writing results (the competing approach): COPY's text format with
    every value escaped in Python, one value at a time."""
    def esc(v) -> str:
        s = "" if v is None else str(v)
        return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")

    pid = str(store.project_id)
    with store._tx() as cur:
        cur.execute("DELETE FROM wztax.result WHERE project_id = %s", (store.project_id,))
        buf = io.StringIO()
        for r in results:
            buf.write("\t".join(esc(v) for v in (pid, r["uid"], r["kind"], r["fingerprint"], r["due"], r["result"],
                                                  r["provenance"])) + "\n")
        buf.seek(0)
        cur.copy_expert("COPY wztax.result (project_id, uid, kind, fingerprint, due, result, provenance) FROM STDIN", buf)
        buf = io.StringIO()
        for e in events:
            buf.write("\t".join(esc(v) for v in (pid, e["when"], store.login, e["uid"], e["kind"], e["what"], "", ""))
                      + "\n")
        buf.seek(0)
        cur.copy_expert('COPY wztax.audit (project_id, "when", who, uid, kind, what, old, new) FROM STDIN', buf)


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

        from zones import project_file
        from zones.pgstore.tables import frames, read_database

        res["open_project_s"], res["open_project_cpu_s"], res["open_server_cpu_s"] = [], [], []
        for _ in range(args.repeats):   # what the desktop's open does: the rows, then the document store's Project
            backend = PgBackend(url)
            with _Timer(backend.store.conn) as t:
                project = backend.load()
            res["open_project_s"].append(t.wall)
            res["open_project_cpu_s"].append(t.cpu)
            res["open_server_cpu_s"].append(t.server)
            backend.close()
        assert len(project.parcels) == args.n
        # one edit as the desktop commits it at 100,000: the diff on the GUI thread, then the write
        backend = PgBackend(url)
        project = backend.load()
        diff_cpu, write_wall = [], []
        for k in range(20):
            project.edit(k, who="bench", attrs={"taxpayer_name": f"桌面修改{k}"})
            with _Timer() as t:
                changes = backend.changes(project)
            diff_cpu.append(t.cpu)
            with _Timer() as t:
                backend.write(changes)
            write_wall.append(t.wall)
        res["desktop_edit_diff_cpu_ms"] = statistics.median(diff_cpu) * 1000
        res["desktop_edit_write_ms"] = statistics.median(write_wall) * 1000
        backend.close()
        del project
        res["open_old_s"], res["open_old_cpu_s"] = [], []
        for _ in range(args.repeats):   # the previous open: the rows as DataFrames through the file's reader
            with _Timer() as t:
                data = read_database(store)
                project = project_file._project_from_tables(store.name, *frames(data))
            res["open_old_s"].append(t.wall)
            res["open_old_cpu_s"].append(t.cpu)
        assert len(project.parcels) == args.n
        del project, data
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
                    "provenance": "{}", "flags": "", "key": "0123456789abcdef"} for r in rows]
        events = [{"when": "t", "uid": r["uid"], "kind": "assess", "what": "计税：应纳税额 1234.50 元"} for r in rows]
        res["results_old_s"], res["results_old_cpu_s"], res["results_old_server_cpu_s"] = [], [], []
        res["results_write_s"], res["results_write_cpu_s"], res["results_server_cpu_s"] = [], [], []
        def clear() -> None:   # each writer stores 100,000 new results (as a first assess-all does): not timed
            with store._tx() as cur:
                cur.execute("DELETE FROM wztax.result WHERE project_id = %s", (store.project_id,))

        for _ in range(args.repeats):   # alternately, the same results by the previous way and by put_results
            clear()
            with _Timer(store.conn) as t:
                _old_text_copy(store, results, events)
            res["results_old_s"].append(t.wall)
            res["results_old_cpu_s"].append(t.cpu)
            res["results_old_server_cpu_s"].append(t.server)
            clear()
            with _Timer(store.conn) as t:
                store.put_results(results, [], events)
            res["results_write_s"].append(t.wall)
            res["results_write_cpu_s"].append(t.cpu)
            res["results_server_cpu_s"].append(t.server)
        for key in ("open_with_results", "open_with_results_eager_log"):
            res[key + "_s"], res[key + "_cpu_s"], res[key + "_server_cpu_s"] = [], [], []
        res["history_one_parcel_ms"], res["whole_log_later_s"], res["whole_log_later_cpu_s"] = [], [], []
        res["log_events"] = store.log_extent()[0]
        for _ in range(args.repeats):   # a project as it is after assess-all: 100,000 stored results too
            backend = PgBackend(url)
            with _Timer(backend.store.conn) as t:
                project = backend.load()
            res["open_with_results_s"].append(t.wall)
            res["open_with_results_cpu_s"].append(t.cpu)
            res["open_with_results_server_cpu_s"].append(t.server)
            with _Timer() as t:     # the history panel on one parcel: read live from the database
                history = project.history(rows[7]["uid"])
            res["history_one_parcel_ms"].append(t.wall * 1000)
            assert len(history) >= 2
            with _Timer() as t:     # the whole log, when something needs it (a copy to a file)
                assert len(project.audit.events()) == res["log_events"]
            res["whole_log_later_s"].append(t.wall)
            res["whole_log_later_cpu_s"].append(t.cpu)
            backend.close()
            del project
            # the competing approach: the whole log read at the open, as the previous open did
            backend = PgBackend(url)
            with _Timer(backend.store.conn) as t:
                project = backend.load()
                project.audit.events()
            res["open_with_results_eager_log_s"].append(t.wall)
            res["open_with_results_eager_log_cpu_s"].append(t.cpu)
            res["open_with_results_eager_log_server_cpu_s"].append(t.server)
            backend.close()
        assert len(project.results) == args.n
        del project
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
