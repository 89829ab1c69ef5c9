"""Batch benchmark: the product against the plain overlay and PostGIS, in one run.

    python -m benchmarks.batch --n 100000 --repeats 5 [--overlay-repeats 3] [--postgis]

- product: ``python -m zones assess CITY.gpkg --out OUT.csv`` as a child process, the
  whole process (start-up, read, split, compute, write); wall time, CPU time and peak
  RSS of the child from ``os.wait4``;
- overlay: ``geopandas.overlay(parcels, zones, how="intersection")`` + area + groupby
  in a child process, timed without the file reading (the competitor's core only);
- PostGIS (``--postgis``, needs Debian's postgresql-15-postgis-3 and ogr2ogr): a
  throw-away cluster in a temporary folder; parcels loaded with ogr2ogr, zones cut
  with ``ST_Subdivide(geom, 64)``, GiST indexes, ANALYZE; the query that takes
  parcels wholly within one piece whole and intersects the rest is timed (median),
  and the plain ``ST_Intersection`` join once.

Prints a JSON summary (medians) and a Markdown table. Synthetic cities are made by
:mod:`benchmarks.synthetic_city` into ``--dir`` when missing.
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

ROOT = Path(__file__).resolve().parents[1]


def measure(cmd: list[str]) -> dict:
    """Wall, CPU and peak RSS of one child process (os.wait4 gives that child's own rusage)."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.read()  # type: ignore[union-attr]  # stderr=PIPE
    _, status, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{err.decode()[-2000:]}")
    return {"wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "rss_mb": ru.ru_maxrss / 1024}


def city(n: int, folder: Path) -> Path:
    path = folder / f"city{n}.gpkg"
    if not path.exists():
        subprocess.run([sys.executable, "-m", "benchmarks.synthetic_city", str(n), str(path)], cwd=ROOT, check=True)
    return path


def dense_zones(step: float, folder: Path) -> Path:
    """The bundled grade polygons with a vertex every ``step`` metres along their outlines: the
    detail of a surveyed official map (thousands of vertices per grade), same areas."""
    import shapely

    from zones.zoneset import load_zoneset

    path = folder / f"zones_dense{step:g}.gpkg"
    if not path.exists():
        grades = load_zoneset("wenzhou-urban-2024").grades[["grade", "geometry"]].copy()
        grades["geometry"] = shapely.segmentize(grades.geometry.values, step)
        grades.to_file(path, layer="grades", driver="GPKG")
    return path


def product(path: Path, out: Path, engine: str = "local", zones: Path | None = None) -> dict:
    cmd = [sys.executable, "-m", "zones", "assess", str(path), "--out", str(out), "--year", "2024", "--quiet"]
    if zones is not None:
        cmd += ["--zones", str(zones), "--rates", "1=15,2=10,3=5"]
    if engine != "local":
        cmd += ["--engine", engine]
    return measure(cmd)


OVERLAY_CHILD = """
import sys, time, json, warnings, geopandas as gpd, pyogrio
from zones.zoneset import load_zoneset
warnings.simplefilter("ignore")
from zones.zoneset import parse_rates
zs = load_zoneset(sys.argv[2], rates=parse_rates("1=15,2=10,3=5")) if len(sys.argv) > 2 else load_zoneset("wenzhou-urban-2024")
t0 = time.perf_counter()
parcels = pyogrio.read_dataframe(sys.argv[1], columns=["parcel_id"])
t1 = time.perf_counter()
ov = gpd.overlay(parcels, zs.grades[["grade", "geometry"]], how="intersection")
ov["area"] = ov.geometry.area
table = ov.groupby(["parcel_id", "grade"])["area"].sum().unstack(fill_value=0.0)
t2 = time.perf_counter()
print(json.dumps({"read": t1 - t0, "overlay": t2 - t1, "rows": len(table)}))
"""


def overlay(path: Path, zones: Path | None = None) -> dict:
    t = time.perf_counter()
    cmd = [sys.executable, "-c", OVERLAY_CHILD, str(path)] + ([str(zones)] if zones else [])
    res = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True)
    out = json.loads(res.stdout.strip().splitlines()[-1])
    out["wall"] = time.perf_counter() - t
    return out


# ------------------------------------------------------------------ PostGIS
PG_BIN = Path("/usr/lib/postgresql/15/bin")
BEST_SQL = """
CREATE TEMP TABLE split AS
SELECT p.parcel_id, z.grade,
       SUM(CASE WHEN ST_Within(p.geom, z.geom) THEN ST_Area(p.geom)
                ELSE ST_Area(ST_Intersection(p.geom, z.geom)) END) AS area
FROM parcels p JOIN zpieces z ON ST_Intersects(p.geom, z.geom)
GROUP BY p.parcel_id, z.grade
"""
PLAIN_SQL = """
CREATE TEMP TABLE split_plain AS
SELECT p.parcel_id, z.grade, SUM(ST_Area(ST_Intersection(p.geom, z.geom))) AS area
FROM parcels p JOIN zones z ON ST_Intersects(p.geom, z.geom)
GROUP BY p.parcel_id, z.grade
"""


class PostGIS:
    """A throw-away PostgreSQL 15 + PostGIS cluster (run as the postgres user)."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="pgbench-"))
        shutil.chown(self.dir, "postgres")
        self.port = "55432"
        self._pg([str(PG_BIN / "initdb"), "-D", str(self.dir / "data"), "-A", "trust", "-U", "postgres"])
        self._pg([str(PG_BIN / "pg_ctl"), "-D", str(self.dir / "data"), "-l", str(self.dir / "log"), "-w",
                  "-o", f"-p {self.port} -k {self.dir} -c shared_buffers=2GB -c work_mem=256MB", "start"])

    def _pg(self, cmd):
        subprocess.run(["runuser", "-u", "postgres", "--", *cmd], check=True, capture_output=True)

    def connect(self):
        import psycopg2

        conn = psycopg2.connect(host=str(self.dir), port=self.port, user="postgres", dbname="postgres")
        conn.autocommit = True
        return conn

    def load(self, parcels: Path, zones: Path) -> float:
        t = time.perf_counter()
        conn = self.connect()
        cur = conn.cursor()
        cur.execute("CREATE EXTENSION IF NOT EXISTS postgis; DROP TABLE IF EXISTS parcels, zones, zpieces")
        pg = f"PG:host={self.dir} port={self.port} user=postgres dbname=postgres"
        for src, layer, name in ((parcels, "parcels", "parcels"), (zones, "grades", "zones")):
            subprocess.run(["ogr2ogr", "-f", "PostgreSQL", pg, str(src), layer, "-nln", name, "-lco", "GEOMETRY_NAME=geom",
                            "-lco", "SPATIAL_INDEX=GIST", "-nlt", "PROMOTE_TO_MULTI", "--config", "PG_USE_COPY", "YES"],
                           check=True, capture_output=True)
        cur.execute("CREATE TABLE zpieces AS SELECT grade, ST_Subdivide(geom, 64) AS geom FROM zones")
        cur.execute("CREATE INDEX ON zpieces USING gist(geom)")
        for table in ("parcels", "zpieces", "zones"):
            cur.execute(f"VACUUM ANALYZE {table}")
        conn.close()
        return time.perf_counter() - t

    def time(self, sql: str, table: str) -> float:
        conn = self.connect()
        cur = conn.cursor()
        t = time.perf_counter()
        cur.execute(sql)
        took = time.perf_counter() - t
        cur.execute(f"DROP TABLE {table}")
        conn.close()
        return took

    def stop(self):
        try:
            self._pg([str(PG_BIN / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "fast", "stop"])
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="batch benchmark: product vs plain overlay vs PostGIS")
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--overlay-repeats", type=int, default=3, help="0 to skip the plain overlay")
    ap.add_argument("--postgis", action="store_true")
    ap.add_argument("--postgis-plain", action="store_true", help="also time the plain ST_Intersection join once")
    ap.add_argument("--engine", default="local")
    ap.add_argument("--dense", type=float, help="use the zones densified to a vertex every DENSE metres")
    ap.add_argument("--dir", default="/tmp/bench")
    ap.add_argument("--json", help="write the raw figures here")
    args = ap.parse_args(argv)
    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = city(args.n, folder)
    zones = dense_zones(args.dense, folder) if args.dense else None
    res = {"n": args.n, "zones": str(zones or "wenzhou-urban-2024"), "loadavg_before": os.getloadavg()}
    runs = [product(path, folder / f"out{args.n}.csv", args.engine, zones) for _ in range(args.repeats)]
    res["product"] = runs
    print(f"product  {[round(r['wall'], 2) for r in runs]} s, peak {max(r['rss_mb'] for r in runs):.0f} MB", file=sys.stderr)
    if args.overlay_repeats:
        res["overlay"] = [overlay(path, zones) for _ in range(args.overlay_repeats)]
        print(f"overlay  {[round(r['overlay'], 2) for r in res['overlay']]} s", file=sys.stderr)
    if args.postgis or args.postgis_plain:
        from zones.resources import resource

        pg = PostGIS()
        try:
            res["postgis_load"] = pg.load(path, zones or Path(resource("zonesets", "wenzhou-urban-2024", "zones.gpkg")))
            if args.postgis:
                res["postgis_best"] = [pg.time(BEST_SQL, "split") for _ in range(args.repeats)]
                print(f"postgis  {[round(t, 2) for t in res['postgis_best']]} s", file=sys.stderr)
            if args.postgis_plain:
                res["postgis_plain"] = [pg.time(PLAIN_SQL, "split_plain")]
        finally:
            pg.stop()
    res["loadavg_after"] = os.getloadavg()
    med = {"product_wall": statistics.median(r["wall"] for r in runs),
           "product_cpu": statistics.median(r["cpu"] for r in runs),
           "product_rss_mb": max(r["rss_mb"] for r in runs)}
    if "overlay" in res:
        med["overlay"] = statistics.median(r["overlay"] for r in res["overlay"])
        med["overlay_ratio"] = med["overlay"] / med["product_wall"]
    if "postgis_best" in res:
        med["postgis_best"] = statistics.median(res["postgis_best"])
        med["postgis_ratio"] = med["postgis_best"] / med["product_wall"]
    if "postgis_plain" in res:
        med["postgis_plain"] = res["postgis_plain"][0]
    res["median"] = med
    print(json.dumps(med, indent=1))
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
