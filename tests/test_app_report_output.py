"""Saving a report as PDF as a person does: the dialog proposes the 宗地号 beside the
project; afterwards the status bar says where, with 打开文件 / 打开所在文件夹; a parcel
without 宗地号 or taxpayer is asked about first."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton


pytestmark = pytest.mark.gui


def test_pdf_named_after_the_parcel_beside_the_project_and_opened(make_window, qtbot, dialogs, tmp_path, monkeypatch):
    doc, window = make_window()
    window.files.open_sample()
    window.files.save_as(str(tmp_path / "鹿城2024.gpkg"))
    p = doc.project.parcels[0]
    doc.selection.set([p.uid])
    asked = {}

    def save_dialog(parent, title, proposed, filt, *a, **k):
        asked["proposed"] = proposed
        return proposed, filt

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_dialog))
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url.toLocalFile())))
    window.a_pdf.trigger()
    expected = tmp_path / f"{p.get('parcel_no')}.pdf"
    assert asked["proposed"] == str(expected)
    assert expected.exists() and expected.read_bytes()[:4] == b"%PDF"
    notice = window.files._report_checks.notice
    assert notice is not None and notice.isVisible()
    buttons = {b.objectName(): b for b in notice.findChildren(QPushButton)}
    assert buttons["open_file"].text() == "打开文件" and buttons["open_folder"].text() == "打开所在文件夹"
    qtbot.mouseClick(buttons["open_folder"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(buttons["open_file"], Qt.MouseButton.LeftButton)
    assert opened == [str(tmp_path), str(expected)]


def test_all_parcels_named_after_the_project(make_window, tmp_path, monkeypatch):
    doc, window = make_window()
    window.files.open_sample()
    window.files.save_as(str(tmp_path / "p.gpkg"))
    asked = {}
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda parent, title, proposed, filt, *a, **k: (asked.setdefault("p", proposed), filt)))
    window.a_pdf_all.trigger()
    n = len(doc.project)
    assert asked["p"] == str(tmp_path / f"p-{n}宗.pdf") and (tmp_path / f"p-{n}宗.pdf").exists()


def test_a_parcel_without_taxpayer_is_asked_about(make_window, dialogs, tmp_path):
    doc, window = make_window()
    window.files.open_sample()
    p = doc.project.parcels[0]
    doc.project.parcels[0].attrs.pop("taxpayer_name", None)
    doc.assess_stale(force_all=True)                 # assessed again as it is now
    doc.selection.set([p.uid])
    dialogs.question = QMessageBox.StandardButton.No
    out = tmp_path / "x.pdf"
    assert window.files.report("pdf", False, path=str(out)) is False
    title, text = dialogs.asked[-1]
    assert title == "打印缺少宗地号或纳税人的宗地？" and p.get("parcel_no") in text and "无纳税人" in text
    assert not out.exists()
    dialogs.question = QMessageBox.StandardButton.Yes
    assert window.files.report("pdf", False, path=str(out)) is True and out.exists()
