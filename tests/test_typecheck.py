"""The project's own code type-checks: mypy with the configuration in pyproject.toml
([tool.mypy]: zones, desktop, tools and benchmarks) reports no error. CI runs it through
the README's test command; mypy comes with the `lint` extra."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("mypy") is None, reason="mypy is not installed (pip install -e '.[lint]')")
def test_mypy_reports_no_error(tmp_path):
    # a fresh cache in tmp_path: never a stale one, nothing written into the checkout
    proc = subprocess.run([sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "mypy_cache")],
                          cwd=ROOT, env=os.environ.copy(), capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]
    assert "Success: no issues found" in proc.stdout
