"""Parts of the main window added for the officer's first hour (issue 12, items 7–9, 11):
navigation (zoom to new parcels, follow the selection, zoom keys and presets), the
results view's layout, the two workbooks in the File menu, and 帮助 → 快速入门.
Kept apart from :mod:`desktop.main_window`, which only builds and calls this."""

from __future__ import annotations

from PySide6.QtCore import QObject

from desktop import workbook_export
from desktop.guide import GuideAction
from desktop.navigation import Navigator
from desktop.results_view import ResultsLayout, scroll_results_to_selection


class Extras(QObject):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.navigator = Navigator(window)
        self.results = ResultsLayout(window)
        scroll_results_to_selection(window)
        self.workbooks = workbook_export.install(window)
        self.guide = GuideAction(window)

    def retranslate(self) -> None:
        for part in (self.navigator, self.results, self.workbooks, self.guide):
            part.retranslate()
