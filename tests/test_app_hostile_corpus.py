"""The whole hostile-input corpus (tests/data/hostile/manifest.py) through the desktop's import,
as an officer meets it: the import dialog reads each file, the officer accepts when the dialog
allows it, and the project takes exactly the parcels and areas the manifest states — or nothing,
with the dialog saying why. Never the "unexpected error" dialog, never an input file touched;
afterwards the project assesses, saves and opens again with every parcel it took."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import shapely
from PySide6.QtWidgets import QDialogButtonBox

sys.path.insert(0, str(Path(__file__).parent / "data" / "hostile"))
import manifest
from test_hostile_corpus import _fingerprint

from desktop import errors
from zones.io.safety import shown

pytestmark = [pytest.mark.gui, pytest.mark.slow]


def _import_case(window, doc, case, folder: Path, inp: Path) -> list[str]:
    """Import one case through the dialog; the problems found (empty when all is as it must be)."""
    problems: list[str] = []
    seen: dict = {}

    def officer(dlg) -> bool:               # accepts when the dialog lets them, as a person would
        seen["ok"] = dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
        seen["summary"] = dlg.summary.text()
        seen["layers"] = [dlg.layer.itemText(i) for i in range(dlg.layer.count())] if dlg.layer.isEnabled() else []
        return seen["ok"]

    before_files = _fingerprint(folder)
    before = {p.uid for p in doc.project.parcels}
    errors.SHOWN.clear()
    done = window.files.import_file(str(inp), dialog_hook=officer)
    new = [p for p in doc.project.parcels if p.uid not in before]
    if _fingerprint(folder) != before_files:
        problems.append("an input file was modified")
    unexpected = [t for t, _, _ in errors.SHOWN if t in ("Unexpected error", "意外错误")]
    if unexpected or any("Traceback" in text for _, text, _ in errors.SHOWN):
        problems.append(f"unexpected error: {errors.SHOWN}")
    want = case.expect
    if not want.ok and want.text.startswith("choose"):
        # the command line asks for --layer; the dialog asks with its layer list, and takes the layer shown
        if len(seen.get("layers", [])) < 2:
            problems.append(f"several layers, but the dialog offers no choice: {seen}")
        elif not done or not new:
            problems.append(f"nothing imported from the layer shown: {seen.get('summary')!r}")
        return problems
    if not want.ok:
        if done or new:
            problems.append(f"refused by the command line, but the desktop took {len(new)} parcels")
        elif seen.get("ok") is not False and not errors.SHOWN:
            problems.append("refused without a word")
        return problems
    if not done:
        problems.append(f"nothing imported: {seen.get('summary')!r} {errors.SHOWN}")
        return problems
    areas = sorted(list(want.areas.values()) * want.copies)
    got = sorted(float(shapely.area(p.geometry)) for p in new)
    if len(got) != len(areas) or any(abs(a - b) > want.tol for a, b in zip(got, areas)):
        problems.append(f"parcels/areas {got} instead of {areas}")
    return problems


def test_every_corpus_file_through_the_import_dialog(make_window, tmp_path, dialogs):
    doc, window = make_window()
    failures: dict[str, list[str]] = {}
    taken = 0
    for k, case in enumerate(manifest.CASES):
        folder = tmp_path / f"in{k}"
        folder.mkdir()
        inp = case.build(folder)
        problems = _import_case(window, doc, case, folder, inp)
        if problems:
            failures[shown(case.name)] = problems
        taken = len(doc.project.parcels)
    assert not failures, failures
    expected = sum(len(c.expect.areas) * c.expect.copies for c in manifest.CASES if c.expect.ok)
    chosen = 3 + 3 + 2          # the first layer of two_in_folder, two_layers.gpkg and two_layers.dxf
    assert taken == expected + chosen
    # the project of all of them: assessed, saved and opened again whole
    window.a_assess.trigger()
    assert len(doc.project.results) == taken
    saved = tmp_path / "corpus.gpkg"
    assert window.files.save_as(str(saved))
    from zones.project_file import load_project

    again = load_project(saved)
    assert len(again.parcels) == taken and len(again.results) == taken
