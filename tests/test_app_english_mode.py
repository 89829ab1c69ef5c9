"""English mode shows English (issue 12, item 12): relief names, the amount in words, the zone
set's name and legal basis, the liable-months rule, identifier reasons and the change history,
in the real window; the tax documents (the PDF) keep 大写, as they must. What stays Chinese in
English mode is the officer's data (taxpayer names, addresses, typed values) and the capitals
line labelled as the documents print it."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.amount_words import amount_in_words

CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")
LOGISTICS = "330303006002GB00007"          # the sample's parcel with the logistics relief (45,773.30 yuan)


@pytest.mark.parametrize("amount, words", [
    ("12345.60", "Twelve thousand three hundred forty-five yuan and sixty fen"),
    ("45773.30", "Forty-five thousand seven hundred seventy-three yuan and thirty fen"),
    ("100", "One hundred yuan"),
    ("0.05", "Five fen"),
    ("0", "Zero yuan"),
    ("1000010.01", "One million ten yuan and one fen"),
    ("0.005", "One fen"),                                  # half-up to 0.01 first, as every amount
    ("-3.20", "Minus three yuan and twenty fen"),
    ("90000000000.00", "Ninety billion yuan"),
])
def test_amount_in_english_words(amount, words):
    assert amount_in_words(Decimal(amount)) == words


def rule_words_cases():
    from zones.periods import TaxPeriod, YearMonth, first_month_after_acquisition, months_liable

    period = TaxPeriod(2024)
    first, rule = first_month_after_acquisition("2024-03-10", "出让")
    return [
        (months_liable(period).rule, "the whole period, 12 months"),
        (months_liable(period, months=0).rule, "not liable in this period (0 months)"),
        (months_liable(period, liable_from=first, start_rule=rule).rule,
         "from 2024-04 (2024-03 obtained by grant; land-use right obtained by grant: from the month after the land's "
         "handover date in the contract; without one, from the month after signing (Caishui [2006] No. 186) "
         "(to be verified)): 9 months"),
        (months_liable(period, liable_from=YearMonth.parse("2024-05"), liable_to=YearMonth.parse("2024-09"),
                       start_rule="按录入的应税起始月份").rule,
         "from 2024-05 (the first liable month as entered); to 2024-09 (liability ends at the end of that month): 5 months"),
    ]


def test_liable_rules_in_english():
    from desktop.rule_words import rule_in_language

    for zh, en in rule_words_cases():
        assert rule_in_language(zh, "en") == en
        assert rule_in_language(zh, "zh_CN") == zh


def click_result_row(qtbot, window, parcel_no: str) -> None:
    view, proxy = window.results.view, window.results.proxy
    row = next(r for r in range(proxy.rowCount()) if proxy.index(r, 0).data() == parcel_no)
    index = proxy.index(row, 2)
    view.scrollTo(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center())


def test_english_window_shows_english_and_documents_keep_capitals(make_window, qtbot, dialogs, tmp_path):
    doc, window = make_window(language="en")
    window.a_sample.trigger()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_F5)                                     # assess all
    click_result_row(qtbot, window, LOGISTICS)
    p = doc.project.by_uid(doc.selection.uids[0])
    assert p.label == LOGISTICS
    text = window.assessment.view.toPlainText()
    assert "Amount due: 45,773.30 yuan" in text
    assert "Forty-five thousand seven hundred seventy-three yuan and thirty fen" in text
    assert "In capitals on the tax documents: 人民币肆万伍仟柒佰柒拾叁元叁角整" in text
    assert ("0010129901 Bulk-commodity storage land of logistics enterprises: taxed at 50% of its grade's rate: "
            "18,309.32 m², 2024-01—2024-12 (12 months), 45,773.30 yuan") in text
    assert "Months liable: 12; rule: the whole period, 12 months" in text
    # Chinese only in the taxpayer's name (data) and the capitals line
    taxpayer = p.get("taxpayer_name")
    chinese = [line for line in text.splitlines() if CJK.search(line.replace(taxpayer, ""))]
    assert chinese == ["In capitals on the tax documents: 人民币肆万伍仟柒佰柒拾叁元叁角整"]

    # the zone set's name, legal basis and accuracy, wherever they are shown
    info = window.layers.info.text()
    assert "Wenzhou urban land grades for the urban land-use tax (Wenzhengban [2024] No. 10)" in info
    assert "Legal basis: Wenzhengban [2024] No. 10" in info
    zs_label = window.status.zoneset_label
    for shown in (info, zs_label.text(), zs_label.toolTip(), window.canvas.view.caption(True), window.canvas.view.caption()):
        assert not CJK.search(shown), shown

    # the relief editor names the reliefs in English (the Chinese name on hover)
    from desktop.dialogs.reliefs_dialog import ReliefsDialog
    dlg = ReliefsDialog(doc.catalogue, p.get("reliefs"), window)
    qtbot.addWidget(dlg)
    combo = dlg.table.cellWidget(0, 0)
    assert combo.currentText() == "0010129901 Bulk-commodity storage land of logistics enterprises: taxed at 50% of its grade's rate"
    assert "物流企业大宗商品仓储设施用地" in combo.itemData(combo.currentIndex(), Qt.ItemDataRole.ToolTipRole)
    dlg.close()

    # the change history: the log keeps its Chinese, the panel shows English around the values
    window.detail_tabs.setCurrentWidget(window.history)
    assert [e[2] for e in window.history.entries()] == ["Imported from wenzhou_sample.gpkg"]
    window.bottom_tabs.setCurrentWidget(window.table)
    table, model = window.table.view, window.table.model
    index = model.index(doc.project.index_of(p.uid), model.column_of("taxpayer_name"))
    table.scrollTo(index)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(index).center())
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert editor is not None and editor is not table
    qtbot.keyClicks(editor, "Acme Logistics")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()
    qtbot.keyClick(table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)       # undo
    assert doc.project.by_uid(p.uid).get("taxpayer_name") == taxpayer
    lines = [e[2] for e in window.history.entries()]
    assert lines == ["Imported from wenzhou_sample.gpkg",
                     f"Taxpayer name: {taxpayer} → Acme Logistics",
                     f"Undo: Edit Taxpayer name: Taxpayer name: Acme Logistics → {taxpayer}"]
    assert any("撤销" in h.what for h in doc.project.history(p.uid))          # the log itself as written

    # the form's options in English in the table; the project keeps the form's Chinese value
    use = model.index(doc.project.index_of(p.uid), model.column_of("land_use"))
    assert p.get("land_use") == "工业" and use.data() == "industrial" and use.data(Qt.ItemDataRole.EditRole) == "工业"
    table.scrollTo(use)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(use).center())
    qtbot.keyClick(table, Qt.Key.Key_F2)
    combo = QApplication.focusWidget()
    assert combo.currentText() == "industrial" and "commercial" in [combo.itemText(i) for i in range(combo.count())]
    qtbot.keyClicks(combo, "comm")                    # the list jumps to what is typed
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    QApplication.processEvents()
    assert doc.project.by_uid(p.uid).get("land_use") == "商业" and use.data() == "commercial"
    qtbot.keyClick(table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)       # undone
    assert doc.project.by_uid(p.uid).get("land_use") == "工业"

    # an identifier failing its check: the reason in English in the cell's tooltip
    index = model.index(doc.project.index_of(p.uid), model.column_of("taxpayer_id"))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(index).center())
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    qtbot.keyClicks(editor, "913303021234567890")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()
    assert index.data(Qt.ItemDataRole.ToolTipRole) == (
        "checked as a credit code: wrong check character: character 18 should be “T”, is “0” "
        "(usually one character mistyped)")

    # the tax document keeps 大写 in English mode
    qtbot.keyClick(window, Qt.Key.Key_F5)
    doc.selection.set([p.uid])
    assert "Taxpayer ID 913303021234567890: checked as a credit code" in window.assessment.view.toPlainText()
    assert window.files.report("pdf", False, path=str(tmp_path / "r.pdf"))
    pdf = "".join(page.extract_text() for page in PdfReader(str(tmp_path / "r.pdf")).pages).replace("\n", "")
    assert "人民币肆万伍仟柒佰柒拾叁元叁角整" in pdf and "Forty-five" not in pdf

    # and back in Chinese: capitals alone, the relief's Chinese name, the log's own words
    window.lang_actions["zh_CN"].trigger()
    window.detail_tabs.setCurrentWidget(window.assessment)
    text = window.assessment.view.toPlainText()
    assert "人民币肆万伍仟柒佰柒拾叁元叁角整" in text and "Forty-five" not in text
    assert "物流企业大宗商品仓储设施用地减按所属土地等级适用税额标准的50%计征" in text
    assert window.history.entries()[0][2] == "导入自 wenzhou_sample.gpkg"
