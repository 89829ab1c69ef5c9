"""The batch at the limit (issue 16): detailed zones, a cadastre and heavily overlapping parcels.

    python -m benchmarks.batch_detailed --n 100000 [--repeats 3] [--overlay-repeats 1] [--no-postgis]
    python -m benchmarks.batch_detailed --n 1000000 --sets tiling --overlay-repeats 0 --no-postgis

In one run, for each parcel set (``tiling``: a cadastre of ~1,000 m² lots sharing their
corners with 2 % shared-use parcels registered twice, ``random``: independent parcels each
overlapping about eight others; see :mod:`benchmarks.cadastre`) over the bundled zones
densified to a vertex every ``--dense`` metres (thousands of vertices per grade):

- **product**: ``python -m zones assess SET.gpkg --zones DENSE.gpkg --rates … --out OUT.csv``,
  the whole process (start-up, read, validation with the overlap check, split, tax, CSV);
  wall, CPU and peak RSS of the child (``os.wait4``);
- **overlap check**: the importer's overlap check on the same parcels, in a child process,
  timed around the call as the validation makes it (taking over the corners and bounds the
  validity check made), with the validation's whole CPU beside it; and the check alone from
  the outlines as read (``overlap_check_alone_cpu``). Its share of the product's run is the first;
- **start-up**: process start to the first record read, from the parent's clock just before
  the child is started to the child's clock when a reader is first called (pyogrio's
  ``raw.read`` of the zone layer, or ``read_dataframe``/``read_arrow``), ``zones`` imported
  first as ``python -m zones`` does; with the libraries loaded by then (pandas, geopandas,
  pyarrow, Qt, reportlab, openpyxl and Dask should be none of them);
- **plain overlay**: the competitor's whole process in a child: read the file with geopandas,
  ``geopandas.overlay(parcels, zones, how="intersection")``, area, group by parcel and grade,
  write the CSV;
- **PostGIS best**: a throw-away PostgreSQL + PostGIS cluster under /tmp (``initdb``/``pg_ctl``
  run as the ``postgres`` user when run as root), parcels and zones loaded with psycopg2 COPY,
  zones cut with ``ST_Subdivide(geom, 64)``, GiST indexes, ANALYZE; the query time alone of
  the query that takes parcels wholly within one piece whole and intersects the rest.
  Skipped, with a message, when no PostgreSQL/PostGIS or psycopg2 is there.

Needs the ``bench`` extra (psycopg2-binary) for the PostGIS leg, and Debian's
``postgresql-15-postgis-3``. Prints a JSON summary (medians) to stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.batch import BEST_SQL, dense_zones, measure

ROOT = Path(__file__).resolve().parents[1]
RATES = "1=15,2=10,3=5"


def parcel_set(kind: str, n: int, folder: Path) -> Path:
    path = folder / f"{kind}{n}.gpkg"
    if not path.exists():
        subprocess.run([sys.executable, "-m", "benchmarks.cadastre", kind, str(n), str(path)], cwd=ROOT, check=True)
    return path


def product(path: Path, zones: Path, out: Path) -> dict:
    return measure([sys.executable, "-m", "zones", "assess", str(path), "--out", str(out), "--year", "2024", "--quiet",
                    "--zones", str(zones), "--rates", RATES])


STARTUP_CHILD = """
import os, sys, time, resource
import zones  # first, as `python -m zones` does: it keeps pyogrio's import from loading pandas (zones/_light_pyogrio.py)
import pyogrio, pyogrio.raw
t_start = float(sys.argv[1])
stop_at_first = os.environ.get("STARTUP_STOP_AT_FIRST_READ") == "1"
first = []
def _first(fn):
    def wrapped(*a, **k):
        if not first:
            first.append(time.time())
            ru = resource.getrusage(resource.RUSAGE_SELF)
            print(json.dumps({"first_read": first[0] - t_start, "cpu": ru.ru_utime + ru.ru_stime,
                              "modules": sorted(sys.modules)}), file=sys.stderr, flush=True)
            if stop_at_first:
                os._exit(0)
        return fn(*a, **k)
    return wrapped
import json
pyogrio.read_dataframe = _first(pyogrio.read_dataframe)
pyogrio.read_arrow = _first(pyogrio.read_arrow)
pyogrio.raw.read = _first(pyogrio.raw.read)      # the zone layer's reader (zones.zoneset.read_layer)
from zones.cli import main
sys.exit(main(sys.argv[2:]))
"""


def startup(path: Path, zones: Path | None, out: Path) -> dict:
    """Seconds from just before the child starts to its first call of the reader (the zone
    set's, when one is read first), and the modules loaded by then."""
    args = ["assess", str(path), "--out", str(out), "--year", "2024", "--quiet"]
    if zones is not None:
        args += ["--zones", str(zones), "--rates", RATES]
    env = os.environ | {"STARTUP_STOP_AT_FIRST_READ": "1"}   # the rest of the run is timed as the product
    t0 = time.time()
    res = subprocess.run([sys.executable, "-c", STARTUP_CHILD, repr(t0), *args], cwd=ROOT, capture_output=True, text=True,
                         check=False, env=env)
    line = next(ln for ln in res.stderr.splitlines() if ln.startswith("{\"first_read\""))
    return json.loads(line)


def reader_import_floor(light: bool = True) -> dict:
    """A child that only imports the reader library: the least any run reading a record with
    it can take before its first read. ``light``: after ``zones``, as the product does (pyogrio
    without pandas, geopandas and pyarrow); else pyogrio alone, which imports all three."""
    return measure([sys.executable, "-c", "import zones, pyogrio" if light else "import pyogrio"])


OVERLAP_CHILD = """
import sys, time, json, pyogrio
import zones.io.validate as validate
parcels = pyogrio.read_dataframe(sys.argv[1], use_arrow=True)
check, timed = validate._overlaps, []
def _timed(*args, **kwargs):
    t, c = time.perf_counter(), time.process_time()
    found = check(*args, **kwargs)
    timed.append({"overlap_check": time.perf_counter() - t, "cpu": time.process_time() - c, "findings": len(found)})
    return found
validate._overlaps = _timed
c = time.process_time()
validate.validate_parcels(parcels, sys.argv[1])
out = dict(timed[0], validation_cpu=time.process_time() - c)
c = time.process_time()
check(parcels, sys.argv[1])
out["alone_cpu"] = time.process_time() - c
print(json.dumps(out))
"""


def overlap_check(path: Path) -> dict:
    """The importer's overlap check as the product runs it — called by the validation, taking
    over the corners and bounds the validity check made (``cpu``) — and that validation's
    whole CPU; then the check alone from the outlines as read, making its own (``alone_cpu``)."""
    res = subprocess.run([sys.executable, "-c", OVERLAP_CHILD, str(path)], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


OVERLAY_CHILD = """
import sys, warnings, geopandas as gpd
warnings.simplefilter("ignore")
parcels = gpd.read_file(sys.argv[1], columns=["parcel_id"], engine="pyogrio", use_arrow=True)
zones = gpd.read_file(sys.argv[2], engine="pyogrio")
ov = gpd.overlay(parcels, zones[["grade", "geometry"]], how="intersection")
ov["area"] = ov.geometry.area
table = ov.groupby(["parcel_id", "grade"])["area"].sum().unstack(fill_value=0.0)
table.round(2).to_csv(sys.argv[3], encoding="utf-8-sig")
"""


def overlay(path: Path, zones: Path, out: Path) -> dict:
    """The plain overlay as a whole process, file to CSV."""
    return measure([sys.executable, "-c", OVERLAY_CHILD, str(path), str(zones), str(out)])


# ------------------------------------------------------------------ PostGIS
def _pg_bin() -> Path | None:
    for version in ("17", "16", "15"):
        path = Path(f"/usr/lib/postgresql/{version}/bin")
        if (path / "initdb").exists():
            return path
    return None


class PostGIS:
    """A throw-away PostgreSQL cluster in a folder under /tmp, on a local port; as root it is
    run as the ``postgres`` user (PostgreSQL refuses to run as root)."""

    def __init__(self, port: int = 55433):
        import psycopg2  # noqa: F401 - fail early when the bench extra is missing

        self.bin = _pg_bin()
        if self.bin is None:
            raise RuntimeError("no PostgreSQL server binaries (apt-get install postgresql-15-postgis-3)")
        self.dir = Path(tempfile.mkdtemp(prefix="pgbench-"))
        self.user = "postgres" if os.geteuid() == 0 else None
        if self.user:
            shutil.chown(self.dir, self.user)
        self.port = str(port)
        self._pg([str(self.bin / "initdb"), "-D", str(self.dir / "data"), "-A", "trust", "-U", "postgres"])
        self._pg([str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), "-l", str(self.dir / "log"), "-w",
                  "-o", f"-p {self.port} -k {self.dir} -c listen_addresses='' -c shared_buffers=2GB -c work_mem=256MB",
                  "start"])

    def _pg(self, cmd):
        if self.user:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True)

    def connect(self):
        import psycopg2

        conn = psycopg2.connect(host=str(self.dir), port=self.port, user="postgres", dbname="postgres")
        conn.autocommit = True
        return conn

    def load(self, parcels: Path, zones: Path) -> float:
        """Parcels and zones through COPY (hex WKB), zones subdivided, GiST indexes, ANALYZE."""
        import io

        import pyogrio
        import shapely

        t = time.perf_counter()
        conn = self.connect()
        cur = conn.cursor()
        cur.execute("CREATE EXTENSION IF NOT EXISTS postgis; DROP TABLE IF EXISTS parcels, zones, zpieces")
        cur.execute("CREATE TABLE parcels (parcel_id text, geom geometry(Geometry, 4549))")
        cur.execute("CREATE TABLE zones (grade int, geom geometry(Geometry, 4549))")
        for path, table, key in ((parcels, "parcels", "parcel_id"), (zones, "zones", "grade")):
            df = pyogrio.read_dataframe(path, columns=[key])
            wkb = shapely.to_wkb(df.geometry.values, hex=True, include_srid=False)
            buf = io.StringIO("".join(f"{k}\t{w}\n" for k, w in zip(df[key].astype(str), wkb)))
            cur.copy_expert(f"COPY {table} ({key}, geom) FROM STDIN", buf)
            cur.execute(f"UPDATE {table} SET geom = ST_SetSRID(geom, 4549)")
        cur.execute("CREATE INDEX ON parcels USING gist(geom)")
        cur.execute("CREATE TABLE zpieces AS SELECT grade, ST_Subdivide(geom, 64) AS geom FROM zones")
        cur.execute("CREATE INDEX ON zpieces USING gist(geom)")
        for table in ("parcels", "zpieces", "zones"):
            cur.execute(f"VACUUM ANALYZE {table}")
        conn.close()
        return time.perf_counter() - t

    def time(self, sql: str, table: str) -> dict:
        """Wall time of the query, and the CPU time the server spent on it: its backend's, plus
        that of the parallel workers (children of the postmaster, counted there once reaped)."""
        conn = self.connect()
        cur = conn.cursor()
        cur.execute("SELECT pg_backend_pid()")
        backend = cur.fetchone()[0]
        postmaster = int((self.dir / "data" / "postmaster.pid").read_text().split()[0])
        before = _cpu_ticks(backend, own=True) + _cpu_ticks(postmaster, own=False)
        t = time.perf_counter()
        cur.execute(sql)
        took = time.perf_counter() - t
        cpu = (_cpu_ticks(backend, own=True) + _cpu_ticks(postmaster, own=False) - before) / os.sysconf("SC_CLK_TCK")
        cur.execute(f"DROP TABLE {table}")
        conn.close()
        return {"wall": took, "cpu": cpu}

    def stop(self):
        try:
            self._pg([str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "fast", "stop"])
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


def _cpu_ticks(pid: int, *, own: bool) -> int:
    """utime+stime (own=True) or cutime+cstime (reaped children) of a process, in clock ticks."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12]) if own else int(fields[13]) + int(fields[14])


def start_postgis(port: int = 55433) -> PostGIS | None:
    try:
        pg = PostGIS(port)
    except (ImportError, RuntimeError, OSError, subprocess.CalledProcessError) as exc:
        detail = exc.stderr.decode(errors="replace")[-300:] if isinstance(exc, subprocess.CalledProcessError) and exc.stderr else exc
        print(f"PostGIS leg skipped: no PostgreSQL/PostGIS server could be started here ({detail})", file=sys.stderr)
        return None
    try:
        conn = pg.connect()
        conn.cursor().execute("CREATE EXTENSION IF NOT EXISTS postgis")
        conn.close()
    except Exception as exc:  # noqa: BLE001 - a server without PostGIS: the leg is skipped, said so
        print(f"PostGIS leg skipped: the server has no PostGIS ({str(exc).strip()[:200]})", file=sys.stderr)
        pg.stop()
        return None
    return pg


def _medians(r: dict) -> dict:
    med: dict = {}
    if "startup" in r:
        med["startup_to_first_read"] = statistics.median(s["first_read"] for s in r["startup"])
        med["startup_cpu"] = statistics.median(s["cpu"] for s in r["startup"])
        med["startup_range"] = [min(s["first_read"] for s in r["startup"]), max(s["first_read"] for s in r["startup"])]
        med["heavy_at_first_read"] = sorted({m for s in r["startup"] for m in s["heavy_at_first_read"]})
    if "reader_import" in r:
        med["reader_import_wall"] = statistics.median(s["wall"] for s in r["reader_import"])
        med["reader_import_cpu"] = statistics.median(s["cpu"] for s in r["reader_import"])
        med["reader_import_plain_cpu"] = statistics.median(s["cpu"] for s in r["reader_import_plain"])
    if "product" in r:
        med["product_wall"] = statistics.median(x["wall"] for x in r["product"])
        med["product_cpu"] = statistics.median(x["cpu"] for x in r["product"])
        med["product_rss_mb"] = max(x["rss_mb"] for x in r["product"])
    if "overlap_check" in r:
        med["overlap_check"] = statistics.median(x["overlap_check"] for x in r["overlap_check"])
        med["overlap_check_cpu"] = statistics.median(x["cpu"] for x in r["overlap_check"])
        med["overlap_findings"] = r["overlap_check"][0]["findings"]
        med["validation_cpu"] = statistics.median(x["validation_cpu"] for x in r["overlap_check"])
        med["overlap_check_alone_cpu"] = statistics.median(x["alone_cpu"] for x in r["overlap_check"])
        if "product" in r:
            med["overlap_share"] = med["overlap_check"] / med["product_wall"]
            med["overlap_share_cpu"] = med["overlap_check_cpu"] / med["product_cpu"]
    if "overlay" in r:
        med["overlay_wall"] = statistics.median(x["wall"] for x in r["overlay"])
        med["overlay_cpu"] = statistics.median(x["cpu"] for x in r["overlay"])
        if "product" in r:
            med["overlay_ratio"] = med["overlay_wall"] / med["product_wall"]
            med["overlay_cpu_ratio"] = med["overlay_cpu"] / med["product_cpu"]
    if "postgis_best" in r:
        med["postgis_best"] = statistics.median(t["wall"] for t in r["postgis_best"])
        med["postgis_best_cpu"] = statistics.median(t["cpu"] for t in r["postgis_best"])
        if "product" in r:
            med["postgis_ratio"] = med["postgis_best"] / med["product_wall"]
            med["postgis_cpu_ratio"] = med["postgis_best_cpu"] / med["product_cpu"]
    return med


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--sets", nargs="+", default=["tiling", "random"], choices=("tiling", "random"))
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--overlay-repeats", type=int, default=1, help="0 to skip the plain overlay")
    ap.add_argument("--no-postgis", action="store_true")
    ap.add_argument("--pg-port", type=int, default=55433, help="local port of the throw-away PostgreSQL cluster")
    ap.add_argument("--dense", type=float, default=10.0, help="zones densified to a vertex every DENSE metres")
    ap.add_argument("--dir", default="/tmp/bench")
    ap.add_argument("--json", help="write the raw figures here")
    ap.add_argument("--legs", nargs="+", default=["startup", "product", "overlap", "overlay", "postgis"],
                    choices=("startup", "product", "overlap", "overlay", "postgis"), help="what to time (default: all)")
    args = ap.parse_args(argv)
    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    zones = dense_zones(args.dense, folder)
    pg = None if args.no_postgis or "postgis" not in args.legs else start_postgis(args.pg_port)
    res: dict = {"n": args.n, "zones": str(zones), "cpus": os.cpu_count(), "loadavg_before": os.getloadavg()}
    try:
        for kind in args.sets:
            path = parcel_set(kind, args.n, folder)
            out = folder / f"{kind}{args.n}.out.csv"
            r: dict = {}
            if "startup" in args.legs:
                r["startup"] = [startup(path, zones, out) for _ in range(5)]
                heavy = ("pandas", "geopandas", "pyarrow", "PySide6", "reportlab", "openpyxl", "dask")
                for s in r["startup"]:
                    loaded = set(s.pop("modules"))
                    s["heavy_at_first_read"] = [m for m in heavy if m in loaded]
                r["reader_import"] = [reader_import_floor() for _ in range(3)]
                r["reader_import_plain"] = [reader_import_floor(light=False) for _ in range(3)]
            if "product" in args.legs:
                r["product"] = [product(path, zones, out) for _ in range(args.repeats)]
                print(f"{kind}: product {[round(x['wall'], 2) for x in r['product']]} s", file=sys.stderr)
            if "overlap" in args.legs:
                r["overlap_check"] = [overlap_check(path) for _ in range(args.repeats)]
            if "overlay" in args.legs and args.overlay_repeats:
                r["overlay"] = [overlay(path, zones, folder / f"{kind}{args.n}.overlay.csv") for _ in range(args.overlay_repeats)]
                print(f"{kind}: overlay {[round(x['wall'], 1) for x in r['overlay']]} s", file=sys.stderr)
            if pg is not None:
                r["postgis_load"] = pg.load(path, zones)
                r["postgis_best"] = [pg.time(BEST_SQL, "split") for _ in range(args.repeats)]
                print(f"{kind}: postgis {[round(t['wall'], 2) for t in r['postgis_best']]} s", file=sys.stderr)
            med = _medians(r)
            r["median"] = med
            res[kind] = r
            print(f"{kind}: {json.dumps(med)}", file=sys.stderr)
    finally:
        if pg is not None:
            pg.stop()
    res["loadavg_after"] = os.getloadavg()
    print(json.dumps({k: res[k]["median"] for k in args.sets} | {"load": [res["loadavg_before"], res["loadavg_after"]]}, indent=1))
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
