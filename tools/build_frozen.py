"""Build the installable application with PyInstaller, then smoke-test it.

    python tools/build_frozen.py            # dist/wenzhou-land-tax/ + smoke test
    python tools/build_frozen.py --zip      # also dist/wenzhou-land-tax-<version>-<platform>.zip
    python tools/build_frozen.py --no-smoke # build only

Runs ``python -m PyInstaller build.spec --noconfirm`` from the repository root,
prints the time taken and the size of the folder, then runs
tools/smoke_frozen.py on it. Exit status: 0 when the build and the smoke test pass.
Needs ``pip install "pyinstaller>=6"`` (the ``build`` extra of pyproject.toml).
"""

from __future__ import annotations

import argparse
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from zones import APP_NAME, __version__  # noqa: E402


def folder_size(folder: Path) -> tuple[int, int]:
    """(bytes, files) of a folder, symlinks not followed."""
    total = count = 0
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            total += path.stat().st_size
            count += 1
    return total, count


def mb(n: int) -> str:
    return f"{n / 1_000_000:,.0f} MB"


def minutes(seconds: float) -> str:
    return f"{int(seconds // 60)} min {seconds % 60:.0f} s"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--distpath", type=Path, default=ROOT / "dist", help="where the folder goes (default dist/)")
    p.add_argument("--workpath", type=Path, default=ROOT / "build", help="PyInstaller's work folder (default build/)")
    p.add_argument("--clean", action="store_true", help="empty PyInstaller's cache first (slower, for release builds)")
    p.add_argument("--zip", action="store_true", help="also pack the folder as a .zip to hand out")
    p.add_argument("--no-smoke", action="store_true", help="build only")
    p.add_argument("--no-gui", action="store_true", help="smoke-test the command line only")
    args = p.parse_args(argv)

    try:
        import PyInstaller
    except ImportError:
        print('PyInstaller is not installed: pip install "pyinstaller>=6"', file=sys.stderr)
        return 2
    if int(PyInstaller.__version__.split(".")[0]) < 6:
        print(f"PyInstaller {PyInstaller.__version__} is too old: build.spec needs 6 or later", file=sys.stderr)
        return 2
    icons = ROOT / "resources" / "icons"
    ico, svg = icons / "app.ico", icons / "app.svg"
    if svg.exists() and (not ico.exists() or ico.stat().st_mtime < svg.stat().st_mtime):
        subprocess.run([sys.executable, str(ROOT / "tools" / "make_app_icon.py")], check=True)

    cmd = [sys.executable, "-m", "PyInstaller", str(ROOT / "build.spec"), "--noconfirm",
           "--distpath", str(args.distpath), "--workpath", str(args.workpath)]
    if args.clean:
        cmd.append("--clean")
    print("$ " + " ".join(cmd), flush=True)
    start = time.monotonic()
    built = subprocess.run(cmd, cwd=ROOT)
    build_secs = time.monotonic() - start
    if built.returncode != 0:
        print(f"PyInstaller failed (exit {built.returncode}) after {minutes(build_secs)}", file=sys.stderr)
        return built.returncode
    dist = args.distpath / APP_NAME
    size, files = folder_size(dist)
    summary = [f"built {APP_NAME} {__version__} ({platform.system()} {platform.machine()}, PyInstaller "
               f"{PyInstaller.__version__}) in {minutes(build_secs)}: {dist} is {mb(size)} in {files:,} files"]
    if args.zip:
        base = args.distpath / f"{APP_NAME}-{__version__}-{platform.system().lower()}-{platform.machine().lower()}"
        archive = Path(shutil.make_archive(str(base), "zip", root_dir=args.distpath, base_dir=APP_NAME))
        summary.append(f"archive {archive} is {mb(archive.stat().st_size)}")
    print("\n".join(summary), flush=True)

    code = 0
    if not args.no_smoke:
        start = time.monotonic()
        smoke_cmd = [sys.executable, str(ROOT / "tools" / "smoke_frozen.py"), "--dist", str(dist)]
        code = subprocess.run(smoke_cmd + (["--no-gui"] if args.no_gui else []), cwd=ROOT).returncode
        summary.append(f"smoke test {'passed' if code == 0 else 'FAILED'} in {minutes(time.monotonic() - start)}")
    print("\n".join(summary))
    return code


if __name__ == "__main__":
    sys.exit(main())
