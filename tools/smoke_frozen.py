"""Smoke test of the frozen application (after ``python -m PyInstaller build.spec``).

Runs the built programs the way a tax office runs them — no Python on the PATH, no
PYTHONPATH, a foreign PROJ/GDAL in the environment (as a QGIS install leaves it), a
scratch working folder and, on Linux when ``unshare`` allows it, no network at all —
and checks:

1. the bundle carries its data: resources/ (zone set, sample, font, icon), GDAL's
   and PROJ's data, matplotlib's data, Qt's platform plugins;
2. ``wenzhou-land-tax-cli --version`` names the package version;
3. ``wenzhou-land-tax-cli assess <sample.gpkg> --out x.csv --report x.pdf`` exits 0,
   writes a PDF with a page per parcel plus the summary, and a CSV whose every
   cell equals the one ``python -m zones`` writes from the source tree;
4. the same for the lon/lat GeoJSON sample (exercises GDAL and a PROJ transform);
5. ``wenzhou-land-tax --smoke-test`` (offscreen) opens the sample project, assesses
   it and exits 0 within the time limit.

    python tools/smoke_frozen.py [--dist dist/wenzhou-land-tax] [--no-gui] [--timeout 180]

Exit status 0 when every check passed. Like pyzo's freeze/pyzo_test_frozen.py, it
drives the real executables; it is not part of the unit tests (it needs the build).
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from zones import APP_NAME, __version__  # noqa: E402

EXE = ".exe" if sys.platform.startswith("win") else ""
SAMPLES = ROOT / "resources" / "samples"
#: Year given explicitly so the source and the frozen run cannot straddle a new year.
YEAR = "2024"


class Smoke:
    def __init__(self) -> None:
        self.results: list[tuple[str, bool, str]] = []

    def check(self, name: str, ok: bool, detail: str = "") -> bool:
        self.results.append((name, bool(ok), detail))
        print(f"[{'ok' if ok else 'FAIL'}] {name}{': ' + detail if detail else ''}", flush=True)
        return bool(ok)

    @property
    def passed(self) -> bool:
        return all(ok for _, ok, _ in self.results)


def clean_env(scratch: Path) -> dict[str, str]:
    """An environment with no Python and a foreign PROJ/GDAL, as on a tax office PC."""
    keep = ("SYSTEMROOT", "WINDIR", "COMSPEC", "PATHEXT", "LANG", "LC_ALL", "TZ", "DISPLAY", "XDG_RUNTIME_DIR")
    env = {k: v for k, v in os.environ.items() if k.upper() in keep}
    home = scratch / "home"
    home.mkdir(exist_ok=True)
    env.update(HOME=str(home), USERPROFILE=str(home), TEMP=str(scratch), TMP=str(scratch), TMPDIR=str(scratch))
    if EXE:
        env["LOCALAPPDATA"] = str(home / "AppData" / "Local")
        env["APPDATA"] = str(home / "AppData" / "Roaming")
        env["PATH"] = str(Path(env.get("SYSTEMROOT", r"C:\Windows")) / "System32")
    else:
        env["PATH"] = "/usr/bin:/bin"
    # what a QGIS / OSGeo4W install leaves behind: the bundle must ignore it
    foreign = str(scratch / "no-such-osgeo")
    env.update(PROJ_LIB=foreign, PROJ_DATA=foreign, GDAL_DATA=foreign, GDAL_DRIVER_PATH=foreign)
    env.setdefault("LANG", "C.UTF-8")
    return env


def offline_prefix() -> tuple[list[str], str]:
    """On Linux, run inside a network namespace with no interface but loopback-down."""
    unshare = shutil.which("unshare")
    if unshare and sys.platform.startswith("linux"):
        probe = subprocess.run([unshare, "-rn", "true"], capture_output=True)
        if probe.returncode == 0:
            return [unshare, "-rn"], "no network (unshare -rn)"
    return [], "network not isolated (no unshare here): relies on PROJ_NETWORK=OFF"


def run(cmd: list, cwd: Path, env: dict, timeout: float) -> tuple[int, str, float]:
    start = time.monotonic()
    try:
        p = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, timeout=timeout,
                           encoding="utf-8", errors="replace")
        out, rc = (p.stdout or "") + (p.stderr or ""), p.returncode
    except subprocess.TimeoutExpired as exc:
        # TimeoutExpired carries bytes even in text mode
        partial = (exc.stdout or b"") + (exc.stderr or b"")
        out, rc = f"timed out after {timeout:.0f} s\n{partial.decode('utf-8', 'replace')}", -999
    return rc, out, time.monotonic() - start


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def compare_tables(frozen: Path, source: Path) -> tuple[bool, str]:
    """Every cell equal; otherwise the first few differences."""
    if not frozen.exists() or not source.exists():
        return False, f"missing {frozen.name if not frozen.exists() else source.name}"
    a, b = read_csv(frozen), read_csv(source)
    if a[:1] != b[:1]:
        return False, f"columns differ: {a[:1]} vs {b[:1]}"
    if len(a) != len(b):
        return False, f"{len(a) - 1} rows frozen vs {len(b) - 1} from source"
    diffs = [f"row {r} {a[0][c]}: {a[r][c]!r} vs {b[r][c]!r}"
             for r in range(1, len(a)) for c in range(len(a[0])) if a[r][c] != b[r][c]]
    if diffs:
        return False, "; ".join(diffs[:5]) + (f" … ({len(diffs)} cells)" if len(diffs) > 5 else "")
    total = sum(float(row[a[0].index("tax_due")]) for row in a[1:]) if "tax_due" in a[0] else float("nan")
    return True, f"{len(a) - 1} parcels × {len(a[0])} columns identical; tax due {total:,.2f} yuan"


def check_pdf(path: Path, parcels: int) -> tuple[bool, str]:
    if not path.exists() or path.read_bytes()[:5] != b"%PDF-":
        return False, "no PDF written"
    try:
        from pypdf import PdfReader
    except ImportError:
        return True, f"{path.stat().st_size:,} bytes (pypdf absent: pages not counted)"
    reader = PdfReader(str(path))
    pages = len(reader.pages)
    fonts = set()
    for page in reader.pages:
        for font in (page.get("/Resources") or {}).get("/Font", {}).values():
            font = font.get_object()
            fonts.add(str(font.get("/BaseFont")))
    ok = pages >= parcels
    return ok, f"{pages} pages for {parcels} parcels, fonts {sorted(fonts)}"


def check_bundle(smoke: Smoke, dist: Path) -> None:
    internal = next((p for p in (dist / "_internal", dist) if (p / "resources").is_dir()), dist / "_internal")
    wanted = {
        "zone set": internal / "resources" / "zonesets" / "wenzhou-urban-2024" / "zoneset.json",
        "sample": internal / "resources" / "samples" / "wenzhou_sample.gpkg",
        "CJK font": next(iter((internal / "resources" / "fonts").glob("*.tt[fc]")), internal / "resources" / "fonts" / "?.ttf"),
        "app icon": internal / "resources" / "icons" / "app.png",
        "GDAL data": internal / "pyogrio" / "gdal_data" / "gdalvrt.xsd",
        "PROJ data (GDAL)": internal / "pyogrio" / "proj_data" / "proj.db",
        "PROJ data (pyproj)": internal / "pyproj" / "proj_dir" / "share" / "proj" / "proj.db",
        "matplotlib data": internal / "matplotlib" / "mpl-data" / "matplotlibrc",
    }
    missing = [f"{name} ({path.relative_to(dist)})" for name, path in wanted.items() if not path.exists()]
    smoke.check("bundle carries its data", not missing, "missing " + ", ".join(missing) if missing else ", ".join(wanted))
    qt_zh = next(iter((internal / "PySide6").rglob("qtbase_zh_CN.qm")), None)
    smoke.check("Qt's Chinese translation", qt_zh is not None, "qtbase_zh_CN.qm (确定/取消 on standard buttons)")
    platforms = list((internal / "PySide6").rglob("plugins/platforms/*"))
    names = sorted(p.stem.replace("lib", "", 1) if p.stem.startswith("lib") else p.stem for p in platforms)
    need = "qwindows" if EXE else "qoffscreen"
    smoke.check("Qt platform plugins", need in names, ", ".join(names) or "none")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Smoke-test the frozen application.")
    p.add_argument("--dist", type=Path, default=ROOT / "dist" / APP_NAME, help=f"the built folder (default dist/{APP_NAME})")
    p.add_argument("--sample", type=Path, default=SAMPLES / "wenzhou_sample.gpkg")
    p.add_argument("--timeout", type=float, default=180, help="seconds allowed per command-line run")
    p.add_argument("--gui-timeout", type=float, default=120, help="seconds allowed for the GUI to open, assess and quit")
    p.add_argument("--no-gui", action="store_true", help="skip the desktop application")
    p.add_argument("--keep", action="store_true", help="keep the scratch folder and print its path")
    args = p.parse_args(argv)
    dist = args.dist.resolve()
    cli, gui = dist / f"{APP_NAME}-cli{EXE}", dist / f"{APP_NAME}{EXE}"
    smoke = Smoke()
    if not smoke.check("executables", cli.exists() and gui.exists(), f"{cli.name}, {gui.name} in {dist}"):
        return 1
    check_bundle(smoke, dist)

    scratch = Path(tempfile.mkdtemp(prefix="wzt-smoke-"))
    env = clean_env(scratch)
    prefix, isolation = offline_prefix()
    print(f"environment: no PYTHONPATH, cwd {scratch}, foreign PROJ_LIB/GDAL_DATA, {isolation}")
    try:
        rc, out, _ = run(prefix + [cli, "--version"], scratch, env, args.timeout)
        smoke.check("cli --version", rc == 0 and __version__ in out, out.strip())

        cases = [("gpkg", args.sample)]
        geojson = args.sample.with_suffix(".geojson")
        if geojson.exists():
            cases.append(("geojson, lon/lat → EPSG:4549", geojson))
        for label, sample in cases:
            tag = sample.suffix.lstrip(".")
            frozen_dir, source_dir = scratch / f"frozen-{tag}", scratch / f"source-{tag}"
            frozen_dir.mkdir()
            source_dir.mkdir()
            cmd = ["assess", sample, "--out", "x.csv", "--report", "x.pdf", "--year", YEAR]
            rc, out, secs = run(prefix + [cli] + cmd, frozen_dir, env, args.timeout)
            if not smoke.check(f"frozen cli assess ({label})", rc == 0, f"exit {rc} in {secs:.1f} s"
                               + ("" if rc == 0 else "\n" + out[-3000:])):
                continue
            parcels = len(read_csv(frozen_dir / "x.csv")) - 1
            smoke.check(f"frozen PDF report ({label})", *check_pdf(frozen_dir / "x.pdf", parcels))
            src_env = dict(os.environ, PYTHONPATH=str(ROOT))
            rc, out, secs = run([sys.executable, "-m", "zones"] + cmd, source_dir, src_env, args.timeout)
            if smoke.check(f"source run ({label})", rc == 0, f"exit {rc} in {secs:.1f} s" + ("" if rc == 0 else "\n" + out[-2000:])):
                smoke.check(f"same figures as the source ({label})", *compare_tables(frozen_dir / "x.csv", source_dir / "x.csv"))

        if not args.no_gui:
            gui_env = dict(env, QT_QPA_PLATFORM="offscreen")
            rc, out, secs = run(prefix + [gui, "--smoke-test"], scratch, gui_env, args.gui_timeout)
            hint = ""
            if rc == -999:  # still running: most likely the window opened and ignored the flag
                hint = " — the GUI did not quit: does desktop.app handle --smoke-test (open the sample, assess, exit)?"
            elif rc != 0 and "smoke-test" in out and ("unrecognized" in out or "unknown" in out.lower()):
                hint = " — desktop.app has no --smoke-test option"
            said = [line for line in out.splitlines() if "smoke" in line.lower()]
            smoke.check("frozen GUI --smoke-test (offscreen)", rc == 0, f"exit {rc} in {secs:.1f} s{hint}"
                        + (f" ({said[-1].strip()})" if rc == 0 and said else "" if rc == 0 else "\n" + out[-3000:]))
    finally:
        if args.keep:
            print(f"scratch folder kept: {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)

    failed = [name for name, ok, _ in smoke.results if not ok]
    print(f"smoke test: {len(smoke.results) - len(failed)}/{len(smoke.results)} checks passed"
          + (f"; FAILED: {', '.join(failed)}" if failed else ""))
    return 0 if smoke.passed else 1


if __name__ == "__main__":
    sys.exit(main())
