"""The one-way dependency: the core (zones) never imports Qt or the desktop application."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Import every core module with PySide6/shiboken6/desktop made unimportable.
BLOCKER = r"""
import importlib, pkgutil, sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('PySide6', 'shiboken6', 'desktop', 'PyQt5', 'PyQt6'):
            raise ImportError('blocked: ' + name)
sys.meta_path.insert(0, Block())
import zones
mods = [m.name for m in pkgutil.walk_packages(zones.__path__, 'zones.')]
for m in [m for m in mods if not m.endswith('__main__')]:
    importlib.import_module(m)
print(len(mods))
"""


def test_core_imports_without_qt():
    r = subprocess.run([sys.executable, "-c", BLOCKER], capture_output=True, text=True, cwd=ROOT,
                       env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=300)
    assert r.returncode == 0, r.stderr
    assert int(r.stdout.strip()) > 10


@pytest.mark.skipif(shutil.which("lint-imports") is None, reason="import-linter not installed")
def test_import_linter_contract():
    r = subprocess.run(["lint-imports"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
