"""Re-resolve the lock file ``requirements.lock`` from pyproject.toml.

    python3.12 tools/update_lock.py

Creates a throw-away virtual environment with the interpreter running this script
(the lowest supported Python, 3.12 — see README "Set-up" for why not 3.11),
installs the project with every extra as a fresh install would resolve them today,
and writes the exact versions of everything installed to ``requirements.lock``.
CI (`.ci/run`), the README's two commands and the frozen build all install with
``pip install -c requirements.lock …``, so they run the same versions.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import venv
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXTRAS = "test,build,bench,lint,dask,pg"
HEADER = """\
# Exact versions of every package the project and its extras install ({extras}),
# resolved by tools/update_lock.py on {day} with Python {python}.
# Used as a constraints file: pip install -c requirements.lock -e ".[test]"
"""


def main() -> int:
    if sys.version_info < (3, 12):
        print("run this with Python 3.12 (the lowest supported version)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        venv.create(tmp, with_pip=True)
        py = str(Path(tmp) / "bin" / "python")
        subprocess.run([py, "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
        subprocess.run([py, "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[{EXTRAS}]"], check=True)
        frozen = subprocess.run([py, "-m", "pip", "freeze", "--exclude-editable"], check=True,
                                capture_output=True, text=True).stdout
    lines = sorted((ln for ln in frozen.splitlines() if ln and not ln.startswith("#")), key=str.lower)
    python = ".".join(map(str, sys.version_info[:3]))
    text = HEADER.format(extras=EXTRAS, day=date.today().isoformat(), python=python) + "\n".join(lines) + "\n"
    (ROOT / "requirements.lock").write_text(text, encoding="utf-8")
    print(f"requirements.lock: {len(lines)} packages")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
