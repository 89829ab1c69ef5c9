"""Two columns of one file meaning one attribute (证载面积 and cert_area; 纳税人名称 and 权利人).

For an attribute that changes the tax the import is refused, naming the file and both
columns, on every path that reads a file into parcels: ``zones assess`` (exit 2, tested in
test_schema_paths), ``zones project import`` and the desktop's import dialog. For any other
attribute the most specific column (the schema's own name before an alias) is read and the
reader is told which, never left to find out."""

import subprocess
import sys

import geopandas as gpd
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from zones.errors import InputError
from zones.project import attrs_from_record
from zones.project_file import load_project
from zones.resources import resource
from zones.schema import column_plan, refuse_doubled_terms

SAMPLE = resource("samples", "wenzhou_sample.gpkg")


def test_the_plan_reads_the_most_specific_column_and_names_the_others():
    plan = column_plan(("权利人", "宗地号", "纳税人名称", "cert_area", "证载面积", "备注"))
    assert dict((key, col) for col, key in plan.read) == {
        "taxpayer_name": "纳税人名称", "parcel_no": "宗地号", "declared_area": "证载面积"}
    assert plan.doubled == (("taxpayer_name", ("纳税人名称", "权利人")), ("declared_area", ("证载面积", "cert_area")))
    assert plan.terms_doubled() == (("declared_area", ("证载面积", "cert_area")),)
    # the record's value of the column read, not of whichever came first in the file
    attrs = attrs_from_record({"权利人": "甲公司", "纳税人名称": "乙公司", "宗地号": "330302001001GB00001"})
    assert attrs == {"taxpayer_name": "乙公司", "parcel_no": "330302001001GB00001"}


def test_refusal_names_the_file_and_both_columns_unless_settled():
    with pytest.raises(InputError) as e:
        refuse_doubled_terms(["宗地号", "减免性质代码", "relief_code"], "地块.shp")
    assert str(e.value).startswith("地块.shp: the columns '减免性质代码', 'relief_code' all mean 减免性质代码")
    refuse_doubled_terms(["宗地号", "减免性质代码", "relief_code"], "地块.shp", settled={"relief_codes"})
    refuse_doubled_terms(["纳税人名称", "权利人"], "地块.shp")          # not a terms attribute: read, not refused


@pytest.fixture(scope="module")
def doubled_files(tmp_path_factory):
    """The sample with an English alias of 证载面积 beside it (terms), and with a 权利人 column
    beside 纳税人名称 (not terms)."""
    d = tmp_path_factory.mktemp("doubled")
    g = gpd.read_file(SAMPLE)
    terms = g.copy()
    terms["cert_area"] = "100"
    terms.to_file(d / "two_areas.gpkg", layer="parcels")
    names = g.copy()
    names["权利人"] = "另一个名字"
    names.to_file(d / "two_names.gpkg", layer="parcels")
    return d / "two_areas.gpkg", d / "two_names.gpkg", g


def zones(*args):
    return subprocess.run([sys.executable, "-m", "zones", *map(str, args)], capture_output=True, text=True,
                          timeout=300, check=False)


def test_project_import_refuses_two_area_columns_until_one_is_named(doubled_files, tmp_path):
    areas, _, _ = doubled_files
    store = tmp_path / "p.gpkg"
    assert zones("project", "create", store, "--year", 2024, "--quiet").returncode == 0
    r = zones("project", "import", store, areas, "--quiet")
    assert r.returncode == 2 and "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert str(areas) in r.stderr and "'证载面积'" in r.stderr and "'cert_area'" in r.stderr
    assert "--…-field" in r.stderr
    assert load_project(store).parcels == []                      # nothing was imported
    r = zones("project", "import", store, areas, "--declared-area-field", "cert_area", "--quiet")
    assert r.returncode == 0, r.stderr
    assert {p.attrs.get("declared_area") for p in load_project(store).parcels} == {"100"}


def test_project_import_reads_the_named_column_of_two_and_says_so(doubled_files, tmp_path):
    _, names, g = doubled_files
    store = tmp_path / "p.gpkg"
    zones("project", "create", store, "--year", 2024, "--quiet")
    r = zones("project", "import", store, names)
    assert r.returncode == 0, r.stderr
    assert "'纳税人名称', '权利人' all mean 纳税人名称 (Taxpayer name); '纳税人名称' is read" in r.stderr
    assert [p.attrs.get("taxpayer_name") for p in load_project(store).parcels] == g["纳税人名称"].tolist()


@pytest.mark.gui
def test_import_dialog_refuses_two_area_columns_and_warns_of_two_name_columns(make_window, qtbot, doubled_files):
    from desktop.dialogs.import_dialog import ImportDialog

    areas, names, g = doubled_files
    doc, window = make_window()
    dlg = ImportDialog(areas, doc.zoneset.bounds_lonlat, window)
    qtbot.addWidget(dlg)
    m = dlg.findings.model()
    rows = [(m.index(i, 1).data(), m.index(i, 3).data(), m.index(i, 2).data(Qt.ItemDataRole.UserRole))
            for i in range(m.rowCount())]
    doubled = [r for r in rows if r[2] == "doubled_column"]
    assert len(doubled) == 1 and doubled[0][0] == "错误（拒绝导入）"
    assert doubled[0][1] == "列 证载面积、cert_area 都表示证载面积(m²)；读取哪一列会改变税额"
    assert not dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    assert "改变税额" in dlg.summary.text()
    # a caller that bypasses the dialog is refused too, and the project is untouched
    with pytest.raises(InputError, match="cert_area"):
        window.files.add_imported(dlg.result, str(areas))
    assert len(doc.project.parcels) == 0
    dlg.reject()

    window.lang_actions["en"].trigger()
    dlg = ImportDialog(areas, doc.zoneset.bounds_lonlat, window)
    qtbot.addWidget(dlg)
    texts = [dlg.findings.model().index(i, 3).data() for i in range(dlg.findings.model().rowCount())]
    assert "Columns 证载面积, cert_area all mean Certificate area (m²); the tax would depend on which is read" in texts
    dlg.reject()
    window.lang_actions["zh_CN"].trigger()

    assert window.files.import_file(str(names), dialog_hook=lambda d: bool(
        [i for i in range(d.findings.model().rowCount())
         if d.findings.model().index(i, 2).data(Qt.ItemDataRole.UserRole) == "doubled_column"
         and d.findings.model().index(i, 1).data() == "警告"]))
    assert [p.attrs.get("taxpayer_name") for p in doc.project.parcels] == g["纳税人名称"].tolist()
