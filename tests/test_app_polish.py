"""Small things an officer notices: what deleting says, the recovery prompt's time and
project name, a window title naming the application once, autosave quiet when nothing changed."""

import logging

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QMessageBox

from desktop.recovery_text import project_name, saved_at_text

pytestmark = pytest.mark.gui


def test_deleting_says_how_many_and_how_to_undo(make_window):
    doc, window = make_window()
    window.files.open_sample()
    doc.selection.set([p.uid for p in doc.project.parcels[:2]])
    window.a_delete.trigger()
    assert window.statusBar().currentMessage() == "已删除 2 宗（Ctrl+Z 撤销）"


def test_recovery_prompt_names_the_project_and_the_local_time(make_window, dialogs, tmp_path):
    data = tmp_path / "shared"
    doc_a, win_a = make_window(data_folder=data, offer_recovery=False)
    win_a.files.open_sample()
    win_a.files.save_as(str(tmp_path / "鹿城2024.gpkg"))
    doc_a.selection.set([doc_a.project.parcels[0].uid])
    win_a.a_delete.trigger()
    doc_a.autosave_now()
    win_a.hide()
    doc_a.recovery._lock.release()                  # the first copy "dies"
    doc_a.recovery = None
    dialogs.asked.clear()
    dialogs.question = QMessageBox.StandardButton.No
    make_window(data_folder=data)
    text = next(t for _, t in dialogs.asked if "未正常关闭" in t)
    assert "鹿城2024" in text and "T" not in text.split("项目")[0]
    assert "年" in text and "月" in text and ":" in text


def test_saved_at_in_words_and_project_names():
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    assert saved_at_text("2026-12-02T14:09:45") == "2026年12月2日 14:09"
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    assert saved_at_text("2026-12-02T14:09:45") == "2 December 2026 14:09"
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    assert saved_at_text("garbled") == "garbled"
    assert project_name("/data/鹿城2024.gpkg", "未命名项目") == "鹿城2024" and project_name(None, "未命名项目") == "未命名项目"


def test_window_title_names_the_application_once(make_window, tmp_path):
    _doc, window = make_window()
    window.files.open_sample()
    window.files.save_as(str(tmp_path / "p.gpkg"))
    title = window.windowTitle().replace("[*]", "")
    assert title.count("城镇土地使用税") == 1 and title.startswith("p.gpkg")


def test_autosave_writes_and_logs_only_after_a_change(make_window, caplog, monkeypatch):
    doc, window = make_window(offer_recovery=False)
    window.files.open_sample()
    doc.selection.set([doc.project.parcels[0].uid])
    window.a_delete.trigger()
    writes = []
    real = doc.recovery.write
    monkeypatch.setattr(doc.recovery, "write", lambda *a, **k: (writes.append(1), real(*a, **k)))
    doc.autosave_now()
    assert len(writes) == 1
    caplog.clear()
    with caplog.at_level(logging.DEBUG):
        for _ in range(4):                      # four timer ticks, nothing changed
            doc.autosave_now()
    assert len(writes) == 1 and caplog.records == []
    doc.stack.undo()                            # a change: written again
    doc.stack.redo()
    doc.autosave_now()
    assert len(writes) == 2
