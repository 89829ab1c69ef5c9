"""帮助 → 快速入门 (F1): a short guide with pictures, in the application's language.

The pages are HTML files in ``resources/guide`` (``quickstart.zh_CN.html``,
``quickstart.en.html``); their pictures are screenshots of the application made by
``tools/make_guide_screenshots.py`` (``resources/guide/shots/<language>/``), so they are
regenerated when the window changes. The window is not modal: staff follow it while working."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout

from zones.resources import resources_root

from desktop import i18n


def guide_folder() -> Path:
    return resources_root() / "guide"


def guide_page(lang: str) -> Path:
    """The guide in ``lang`` ('zh_CN' or 'en'); Chinese when there is none in that language."""
    path = guide_folder() / f"quickstart.{lang}.html"
    return path if path.exists() else guide_folder() / "quickstart.zh_CN.html"


class GuideDialog(QDialog):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("guide_dialog")
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        lay = QVBoxLayout(self)
        lay.addWidget(self.browser, 1)
        lay.addWidget(buttons)
        self.resize(820, 720)
        self.load()

    def load(self) -> None:
        page = guide_page(i18n.current_language())
        self.setWindowTitle(self.tr("Quick start"))
        self.browser.setSearchPaths([str(page.parent)])
        self.browser.setSource(QUrl.fromLocalFile(str(page)))

    def images(self) -> list[str]:
        """The pictures the page shows (file names as written in the page)."""
        import re
        return re.findall(r'<img[^>]+src="([^"]+)"', self.browser.toHtml())


class GuideAction(QObject):
    """The Help menu's first entry (F1)."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.w = window
        self.dialog: GuideDialog | None = None
        self.action = window._action(self.show, QKeySequence.StandardKey.HelpContents)
        menu = window.m_help
        menu.insertAction(menu.actions()[0] if menu.actions() else None, self.action)
        menu.insertSeparator(menu.actions()[1])

    def retranslate(self) -> None:
        self.action.setText(self.tr("&Quick start"))
        if self.dialog is not None:
            self.dialog.load()

    def show(self) -> GuideDialog:
        if self.dialog is None:
            self.dialog = GuideDialog(self.w)
        self.dialog.load()
        self.dialog.show()
        self.dialog.raise_()
        return self.dialog
