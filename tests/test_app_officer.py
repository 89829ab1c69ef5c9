"""The officer's name and tax office: asked once on the first start, used for new parcels'
history (and so for 经办人), changeable from the Edit menu."""

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from desktop import settings as S
from desktop.officer import ask_on_first_start

pytestmark = pytest.mark.gui


def answer(qtbot, name, office, cancel=False):
    """Fill the officer dialog when it opens, as a person types, and press OK (or Cancel)."""
    seen = {}

    def fill():
        dlg = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "officer_dialog" and w.isVisible())
        seen["intro"] = dlg.intro.text()
        ok = dlg.buttons.button(QDialogButtonBox.StandardButton.Ok)
        dlg.name.clear()
        seen["ok_when_empty"] = ok.isEnabled()
        for ch in name:                      # typed through the input method
            ev = QInputMethodEvent("", [])
            ev.setCommitString(ch)
            QApplication.sendEvent(dlg.name, ev)
        dlg.office.setCurrentText(office)
        button = dlg.buttons.button(QDialogButtonBox.StandardButton.Cancel) if cancel else ok
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, fill)
    return seen


def test_first_start_asks_once_and_the_name_goes_into_the_history(make_window, qtbot):
    doc, window = make_window()
    window.settings.set(S.OPERATOR, "")          # a first start: no name yet
    seen = answer(qtbot, "Wang Fang", "国家税务总局温州市鹿城区税务局")
    assert ask_on_first_start(window) is True
    assert seen["ok_when_empty"] is False and "Welcome" not in seen["intro"] and "欢迎" in seen["intro"]
    assert window.settings.get(S.OPERATOR) == "Wang Fang"
    assert window.settings.get(S.TAX_OFFICE) == "国家税务总局温州市鹿城区税务局"
    assert doc.operator == "Wang Fang" and doc.tax_office == "国家税务总局温州市鹿城区税务局"
    assert ask_on_first_start(window) is False   # never again
    # a parcel drawn now records the officer
    # the drawing and typing paths both make parcels with new_parcel(…, doc.operator)
    import shapely

    from zones.project import new_parcel
    p = new_parcel(shapely.box(0, 0, 1, 1), doc.operator)
    doc.project.insert(0, p)
    assert p.entered_by == "Wang Fang" and doc.project.history(p.uid)[0].who == "Wang Fang"


def test_cancelled_first_question_is_not_put_again(make_window, qtbot):
    _doc, window = make_window()
    window.settings.set(S.OPERATOR, "")
    answer(qtbot, "", "", cancel=True)
    assert ask_on_first_start(window) is False
    assert window.settings.get(S.OFFICER_ASKED) is True and ask_on_first_start(window) is False


def test_changed_from_the_edit_menu(make_window, qtbot):
    doc, window = make_window()
    answer(qtbot, "李明", "国家税务总局温州市瓯海区税务局")
    window.a_operator.trigger()
    assert doc.operator == "李明" and window.settings.get(S.TAX_OFFICE) == "国家税务总局温州市瓯海区税务局"
    assert window.a_operator.text() == "经办人和税务所…"
