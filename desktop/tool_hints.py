"""What each map tool expects, shown in the status bar while it is active, and tool-bar
tooltips that carry the keyboard shortcut."""

from __future__ import annotations

import re

from PySide6.QtCore import QObject
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLabel


class ToolHints(QObject):
    """A label at the left of the status bar; temporary messages (areas while drawing, search
    results) cover it and it comes back when they end."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.label = QLabel()
        self.label.setObjectName("tool_hint")
        window.statusBar().addWidget(self.label, 1)
        self.tool = "pan"

    def texts(self) -> dict[str, str]:
        t = self.tr
        return {
            "pan": t("Pan: drag the map; wheel zooms; middle button drags in any tool"),
            "zoom": t("Zoom box: drag a box to zoom to it; click zooms in ×2, right click zooms out"),
            "select": t("Select: click a parcel; Shift+click adds, Ctrl+click toggles; drag a box to select several"),
            "draw": t("Draw parcel: click each corner; Enter, a double-click or a click on the first corner finishes; "
                      "Backspace removes the last corner; Esc cancels"),
            "hole": t("Add hole: select the parcel first, then click the hole's corners inside it; Enter finishes; "
                      "Esc cancels"),
            "edit": t("Edit vertices (selected parcel): drag a corner to move it; press on an edge to add a corner; "
                      "right-click a corner, or point at it and press Delete, to remove it; Esc abandons a drag"),
            "measure": t("Measure: click points; the length, and from three points the area, show here; "
                         "Enter or a double-click ends; Backspace removes the last point; Esc clears"),
        }

    def show(self, tool: str) -> None:
        self.tool = tool
        self.label.setText(self.texts().get(tool, ""))

    def retranslate(self) -> None:
        self.show(self.tool)


def add_shortcuts_to_tooltips(actions) -> None:
    """Tooltip = the action's text without its mnemonic ('&', '(&F)') and '…', then its
    first shortcut in brackets."""
    for a in actions:
        text = re.sub(r"\(&\w\)", "", a.text()).replace("&", "").rstrip("…").rstrip(".")
        keys = a.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        a.setToolTip(f"{text} ({keys})" if keys else text)
