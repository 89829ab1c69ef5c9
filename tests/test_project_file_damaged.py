"""Damaged project files (missing tables, keys or columns, NULL or duplicate ids, bad
JSON, not a GeoPackage at all) open with one clear message naming the file and the
problem — a typed InputError the presenter shows plainly, never "unexpected error".
A recovery copy the application did not write is set aside, and start-up goes on."""

import json
import shutil
import sqlite3
from decimal import Decimal

import geopandas as gpd
import pytest
import shapely

from zones.errors import InputError
from zones.periods import TaxPeriod
from zones.project import Project, assess_context, assess_parcels, new_parcel
from zones.project_file import load_project, save_project
from zones.recovery import Recovery
from zones.reliefs import load_catalogue
from zones.resources import resource
from zones.zoneset import ZoneSet


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    grades = gpd.GeoDataFrame({"grade": [1, 2]}, geometry=[shapely.box(0, 0, 100, 100), shapely.box(100, 0, 200, 100)],
                              crs="EPSG:4549")
    zs = ZoneSet("syn", "Synthetic", "1", "EPSG:4549", {1: Decimal(15), 2: Decimal(10)}, grades)
    pr = Project(period=TaxPeriod(2024))
    for k, g in enumerate((shapely.box(10, 10, 20, 20), shapely.box(90, 0, 110, 10))):
        pr.insert(k, new_parcel(g, "甲", {"parcel_no": f"P{k + 1}"}))
    pr.context = assess_context(zs, pr.period)
    pr.set_results(assess_parcels(pr.parcels, zs, pr.period, catalogue=load_catalogue())[0], compare=False)
    return save_project(pr, tmp_path_factory.mktemp("good") / "good.gpkg")


def broken(good, tmp_path, sql: str | None = None, name: str = "broken.gpkg"):
    path = tmp_path / name
    shutil.copy(good, path)
    if sql:
        con = sqlite3.connect(path)
        # GDAL's R-tree triggers call these; the edits below never touch a geometry
        con.create_function("ST_IsEmpty", 1, lambda g: 0)
        for fn in ("ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY"):
            con.create_function(fn, 1, lambda g: 0.0)
        con.executescript(sql)
        con.commit()
        con.close()
    return path


CASES = {
    "missing table": (None, "table 'project' is missing"),
    "missing key": ("UPDATE project SET key = 'periodx' WHERE key = 'period';", "no 'period' entry"),
    "bad JSON entry": ("UPDATE project SET value = '{not json' WHERE key = 'zoneset';", "'zoneset' is not readable JSON"),
    "NULL id": ("UPDATE parcels SET uid = NULL WHERE position = 1;", "parcel row 2 of 'parcels' has no uid"),
    "duplicate id": ("UPDATE parcels SET uid = (SELECT uid FROM parcels WHERE position = 0) WHERE position = 1;",
                     "appears twice in 'parcels' (rows 1 and 2)"),
    "bad result JSON": ("UPDATE results SET result = '[1,' WHERE rowid = 1;", "stored result of parcel"),
    "missing column": ("ALTER TABLE results DROP COLUMN provenance;", "table 'results' has no column 'provenance'"),
    "wrong format": ("""UPDATE project SET value = '"other/9"' WHERE key = 'format';""", "unknown project format"),
    "not a GeoPackage": (None, "not a project file (GeoPackage)"),
}


def make_case(case, good, tmp_path):
    sql, _ = CASES[case]
    if case == "missing table":          # a GeoPackage, but of plain parcels: the sample
        path = tmp_path / "sample.gpkg"
        shutil.copy(resource("samples", "wenzhou_sample.gpkg"), path)
        return path
    if case == "not a GeoPackage":
        path = tmp_path / "notes.gpkg"
        path.write_text("宗地号,纳税人\nP1,甲\n", encoding="utf-8")
        return path
    return broken(good, tmp_path, sql)


@pytest.mark.parametrize("case", list(CASES))
def test_damaged_file_raises_one_clear_input_error(case, good, tmp_path):
    path = make_case(case, good, tmp_path)
    before = path.read_bytes()
    with pytest.raises(InputError) as err:
        load_project(path)
    assert err.value.source == str(path) and CASES[case][1] in str(err.value), str(err.value)
    assert path.read_bytes() == before                  # never written to


def test_good_file_opens(good):
    assert len(load_project(good)) == 2


@pytest.mark.gui
@pytest.mark.parametrize("case", ["missing table", "duplicate id", "bad JSON entry", "not a GeoPackage"])
def test_desktop_shows_the_problem_not_an_unexpected_error(case, good, tmp_path, make_window, dialogs):
    from desktop import errors

    _doc, window = make_window()
    path = make_case(case, good, tmp_path)
    errors.SHOWN.clear()
    assert not window.files.open(str(path))
    assert len(errors.SHOWN) == 1
    title, text, _ = errors.SHOWN[0]
    assert title == errors._tr("Cannot do that") != errors._tr("Unexpected error")
    assert str(path) in text and CASES[case][1] in text


def test_recovery_note_not_written_by_the_app_is_set_aside(good, tmp_path):
    folder = tmp_path / "rec"
    folder.mkdir()
    shutil.copy(good, folder / "recovery-999-abcdef.gpkg")
    (folder / "recovery-999-abcdef.json").write_text("<html>not a note</html>", encoding="utf-8")
    rec = Recovery(folder)
    assert rec.orphans() == []
    (where, why), = rec.set_aside
    assert "not readable" in why and (folder / "set-aside").is_dir() and where.endswith(".gpkg")
    assert not (folder / "recovery-999-abcdef.gpkg").exists() and Recovery(folder).orphans() == []


def test_restore_without_a_recovery_copy_says_so(tmp_path):
    # found by mypy: restore() with nothing pending used to fail with "'NoneType' object is not subscriptable"
    folder = tmp_path / "rec"
    with pytest.raises(InputError, match="no recovery copy to restore") as err:
        Recovery(folder).restore()
    assert err.value.source == str(folder)


@pytest.mark.gui
def test_damaged_recovery_copy_never_stops_start_up(good, tmp_path, make_window, dialogs):
    from PySide6.QtWidgets import QMessageBox

    from desktop import errors

    data = tmp_path / "data"
    folder = data / "recovery"
    folder.mkdir(parents=True)
    bad = broken(good, folder, "UPDATE parcels SET uid = NULL;", name="recovery-1-aaaaaa.gpkg")
    (folder / "recovery-1-aaaaaa.json").write_text(json.dumps({"original": None, "saved_at": "2026-01-01T09:00:00",
                                                               "pid": 1, "parcels": 2}), encoding="utf-8")
    (folder / "recovery-2-bbbbbb.gpkg").write_bytes(b"garbage")
    (folder / "recovery-2-bbbbbb.json").write_text("{", encoding="utf-8")
    dialogs.question = QMessageBox.StandardButton.Yes
    errors.SHOWN.clear()
    doc, window = make_window(data_folder=data)            # starts, with the recovery offer
    assert window.isVisible() and len(doc.project) == 0
    texts = " ".join(t for _, t, _ in errors.SHOWN)
    assert "recovery-2-bbbbbb" in texts and "recovery-1-aaaaaa" in texts and "has no uid" in texts
    assert not any(title == errors._tr("Unexpected error") for title, _, _ in errors.SHOWN)
    assert not bad.exists() and len(list((folder / "set-aside").glob("*.gpkg"))) == 2
