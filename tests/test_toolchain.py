"""The interpreter/Qt pair the project installs must not lose references.

PySide6 6.12.0 on CPython 3.11 drops one reference to ``None`` in each call of
``QStandardItem.setEditable/setData/setToolTip/setTextAlignment`` (and some
QAbstractItemModel paths); after a few thousand calls CPython aborts with
``Fatal Python error: none_dealloc``, which no excepthook sees. ``None`` is immortal
from CPython 3.12 (PEP 683), which is why the project requires 3.12. These tests
run the setters in a child process (an abort must fail the test, not kill the run)
and count ``sys.getrefcount(None)`` around them.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

CALLS = 20_000

PROBE = textwrap.dedent(f"""
    import sys
    from PySide6.QtCore import Qt, QModelIndex
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    item = QStandardItem("x")
    model = QStandardItemModel(1, 1)
    model.setItem(0, 0, QStandardItem("y"))
    index = model.index(0, 0)
    before = sys.getrefcount(None)
    for _ in range({CALLS}):
        item.setEditable(False)
        item.setToolTip("t")
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight)
        item.setData(1, Qt.ItemDataRole.UserRole)
        model.setData(index, "z", Qt.ItemDataRole.DisplayRole)
        model.data(index, Qt.ItemDataRole.ToolTipRole)
        model.parent(index)
    after = sys.getrefcount(None)
    print(before, after)
""")


def test_supported_python_is_the_one_running():
    # requires-python says >=3.12; a 3.11 interpreter would install and then abort.
    assert sys.version_info >= (3, 12), sys.version


def test_qt_setters_keep_references_to_none():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    run = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 0, f"the Qt setters aborted the interpreter:\n{run.stderr[-2000:]}"
    before, after = map(int, run.stdout.split())
    # Immortal None (3.12+) keeps a constant count; a mortal one must not have lost any.
    assert after >= before, f"{before - after} references to None lost in {CALLS} rounds of setter calls"

