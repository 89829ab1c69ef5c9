"""Shared fixtures. QT_QPA_PLATFORM=offscreen is set before anything imports Qt."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("MPLBACKEND", "Agg")

import pytest  # noqa: E402


class DialogAnswers:
    """What patched dialogs answer, and what they were asked."""

    def __init__(self):
        self.question = None          # QMessageBox.StandardButton to answer questions with
        self.open_path = ""
        self.save_path = ""
        self.text = ("", False)
        self.asked: list[tuple[str, str]] = []
        # ids already in the project at import: keep_both | replace | skip answered at once;
        # None shows the real dialog (a test then clicks its buttons)
        self.duplicates = "keep_both"


@pytest.fixture
def dialogs(monkeypatch):
    from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

    from desktop import errors

    ans = DialogAnswers()
    ans.question = QMessageBox.StandardButton.Discard

    def question(parent, title, text, *a, **k):
        ans.asked.append((title, text))
        return ans.question

    def note(parent, title, text, *a, **k):
        ans.asked.append((title, text))
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    for name in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(note))
    monkeypatch.setattr(QMessageBox, "about", staticmethod(lambda *a, **k: None))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (ans.open_path, "")))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (ans.save_path, "")))
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ans.text))
    from desktop.dialogs.duplicate_dialog import DuplicateDialog

    real_exec = DuplicateDialog.exec

    def duplicates(dlg):
        if ans.duplicates is None:
            return real_exec(dlg)
        ans.asked.append((dlg.windowTitle(), ans.duplicates))
        dlg.choice = ans.duplicates
        return DuplicateDialog.DialogCode.Accepted

    monkeypatch.setattr(DuplicateDialog, "exec", duplicates)
    monkeypatch.setattr(errors, "SHOW_DIALOGS", False)
    errors.SHOWN.clear()
    yield ans
    errors.SHOWN.clear()


@pytest.fixture
def make_window(qtbot, qapp, dialogs, tmp_path):
    """Build the main window as the application does (bundled zone set, Chinese), with
    message boxes and file dialogs patched, the task runner synchronous, settings and
    recovery folder in tmp_path. Fails when a test leaves a new top-level window open."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from desktop import app as desktop_app
    from desktop import settings as S

    desktop_app.register_fonts(qapp)
    before = set(QApplication.topLevelWidgets())
    made = []

    def make(*, language="zh_CN", offer_recovery=True, data_folder=None):
        settings = S.Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
        settings.set(S.LANGUAGE, language)
        settings.set(S.OPERATOR, "测试录入员")
        doc, window = desktop_app.build_window(settings, synchronous=True, data_folder=data_folder or tmp_path / "data",
                                               offer_recovery=offer_recovery)
        qtbot.addWidget(window)
        window.resize(1400, 860)
        window.show()
        qtbot.waitExposed(window)
        made.append(window)
        return doc, window

    yield make
    for w in made:
        w.doc.stack.setClean()
        w.doc._dirty_without_stack = False
        w.close()
    QApplication.processEvents()
    leaked = [w for w in QApplication.topLevelWidgets()
              if w not in before and w.isVisible() and w not in made and w.windowType() != 0x0000000C]  # not tooltips
    assert not leaked, f"top-level widgets left open: {leaked}"
