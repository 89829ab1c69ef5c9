"""Importing a file whose 宗地号 is already in the project: the officer is shown the clash
and chooses 替换 / 都保留 / 跳过 (clicked as a person would); the parcel count and the
total due are exact for each choice, and kept duplicates are flagged in the parcel table,
in 提示, in the assessment panel and on the report."""

from decimal import Decimal

import geopandas as gpd
import pytest
import shapely
from pypdf import PdfReader
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from tests.test_app_draw import grade1_point

pytestmark = pytest.mark.gui


def clash_file(tmp_path, taken_no: str):
    """Two parcels well inside grade 1 (15 yuan/m², whole year 2024): 2,000 m² with the
    project's 宗地号 written another way (spaces, lower case, full width), and a new 1,000 m² one."""
    cx, cy = grade1_point()
    messy = "　" + taken_no[:6] + " " + taken_no[6:].lower()
    gdf = gpd.GeoDataFrame({"宗地号": [messy, "330302009009GB00001"], "纳税人名称": ["重复公司", "新公司"]},
                           geometry=[shapely.box(cx - 20, cy - 25, cx + 20, cy + 25),
                                     shapely.box(cx + 30, cy - 10, cx + 80, cy + 10)], crs="EPSG:4549")
    path = tmp_path / "new.gpkg"
    gdf.to_file(path, layer="parcels")
    return path


def answer_duplicates(qtbot, button: str, seen: list):
    """Click ``button`` (replace / keep_both / skip) in the duplicate dialog once it shows."""
    def click():
        dlg = QApplication.activeModalWidget()
        if dlg is None or dlg.objectName() != "duplicate_dialog":
            QTimer.singleShot(20, click)
            return
        seen.append([[dlg.table.item(r, c).text() for c in range(3)] for r in range(dlg.table.rowCount())])
        qtbot.mouseClick(dlg.findChild(type(dlg.skip_button), button), Qt.MouseButton.LeftButton)
    QTimer.singleShot(0, click)


@pytest.fixture
def sample(make_window, dialogs):
    dialogs.duplicates = None                 # the real dialog: the tests click its buttons
    doc, window = make_window()
    window.files.open_sample()
    taken = doc.project.parcels[3]
    return doc, window, taken, window.results.model.total, doc.project.current_result(taken.uid).due


@pytest.mark.parametrize("choice", ["keep_both", "replace", "skip"])
def test_import_with_a_duplicate_id(sample, qtbot, tmp_path, choice):
    doc, window, taken, before, taken_due = sample
    n = len(doc.project)
    seen = []
    answer_duplicates(qtbot, choice, seen)
    assert window.files.import_file(str(clash_file(tmp_path, taken.get("parcel_no"))), interactive=False)
    assert len(seen) == 1 and len(seen[0]) == 1
    row = seen[0][0]
    assert row[0].startswith("宗地号") and "重复公司" in row[1] and taken.get("taxpayer_name") in row[2]
    total = window.results.model.total
    new_two, new_one = Decimal("30000.00"), Decimal("15000.00")
    if choice == "keep_both":
        assert len(doc.project) == n + 2 and total == before + new_two + new_one
        assert taken.uid in doc.project
    elif choice == "replace":
        assert len(doc.project) == n + 1 and total == before - taken_due + new_two + new_one
        assert taken.uid not in doc.project
        assert "替换" in window.statusBar().currentMessage() or "replaced" in window.statusBar().currentMessage()
        doc.stack.undo()                          # one step: the import and the replacement
        assert len(doc.project) == n and taken.uid in doc.project and window.results.model.total == before
    else:
        assert len(doc.project) == n + 1 and total == before + new_one
        assert {p.get("taxpayer_name") for p in doc.project.parcels[n:]} == {"新公司"}


def test_kept_duplicates_are_flagged_everywhere(sample, qtbot, tmp_path):
    from desktop.parcel_table_model import DUPLICATE

    doc, window, taken, _before, _due = sample
    answer_duplicates(qtbot, "keep_both", [])
    assert window.files.import_file(str(clash_file(tmp_path, taken.get("parcel_no"))), interactive=False)
    twin = next(p for p in doc.project.parcels if p.get("taxpayer_name") == "重复公司")
    table = window.table.model
    col = table.column_of("parcel_no")
    for p in (taken, twin):
        cell = table.index(doc.project.index_of(p.uid), col)
        assert table.data(cell, Qt.ItemDataRole.BackgroundRole) == DUPLICATE
        assert "共 2 宗地块使用" in table.data(cell, Qt.ItemDataRole.ToolTipRole)
    # 提示 in the results (both rows), the panel, and the report's flags area
    from desktop.results_table_model import result_row
    for p in (taken, twin):
        assert "duplicate_id" in result_row(doc, p, doc.project.current_result(p.uid))["提示"].split(";")
    doc.selection.set([taken.uid])
    html = window.assessment.html()
    assert "可能重复计税" in html and f"宗地号 {taken.get('parcel_no')} 共 2 宗地块使用" in html
    pdf = tmp_path / "dup.pdf"
    assert window.files.report("pdf", False, path=str(pdf))
    text = "".join(page.extract_text() for page in PdfReader(str(pdf)).pages).replace("\n", "")
    assert "可能重复计税" in text
    # the twin's 宗地号 changed: neither is a duplicate any more, and both rows say so at once
    from desktop.commands import EditParcel
    doc.stack.push(EditParcel(doc, twin.uid, attrs={"parcel_no": "330302009009GB00002"}))
    cell = table.index(doc.project.index_of(taken.uid), col)
    assert table.data(cell, Qt.ItemDataRole.BackgroundRole) is None
    assert "duplicate_id" not in result_row(doc, taken, doc.project.current_result(taken.uid))["提示"]


def test_scripts_and_other_tests_get_an_answer_without_the_dialog(make_window, dialogs, tmp_path):
    """The shared fixture answers the duplicate question (keep both, the earlier behaviour), so
    a test that imports a clashing file never waits on a modal dialog."""
    doc, window = make_window()
    window.files.open_sample()
    n = len(doc.project)
    dialogs.duplicates = "skip"
    assert window.files.import_file(str(clash_file(tmp_path, doc.project.parcels[0].get("parcel_no"))), interactive=False)
    assert len(doc.project) == n + 1 and ("项目中已有的宗地", "skip") in dialogs.asked
