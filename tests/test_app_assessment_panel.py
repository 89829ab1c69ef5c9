"""The assessment panel of a parcel with a certificate area (证载面积): the map area,
the certificate area and its difference from the map, the taxable area (计税面积)
as the sum of the grade rows, and a total row — so the rows visibly add up."""

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from zones.money import area2, fmt_yuan

pytestmark = pytest.mark.gui


def test_certificate_area_taxable_area_and_difference_are_shown(make_window, qtbot):
    doc, window = make_window()
    window.files.open_sample()
    p = doc.project.parcels[9]                              # crosses grade 1 / grade 2; certificate 6,889.85 m²
    assert p.get("declared_area") == "6889.85"
    # staff click the row in the parcel table (a real click: it carries its own keyboard
    # modifiers, so a Ctrl/Shift left over from an earlier test's key presses can't turn it
    # into an extend-selection)
    view = window.table.view
    index = view.model().index(9, 0)
    view.scrollTo(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center())
    qtbot.waitUntil(lambda: doc.selection.uids == [p.uid])
    r = doc.project.current_result(p.uid).result
    assert [g.grade for g in r.rows] == [1, 2]
    assert sum(g.area_m2 for g in r.rows) == r.taxable_area_m2 == Decimal("6889.85")
    html = window.assessment.html()
    measured = area2(p.geometry.area)                         # 6,911.97 m²
    cell = "</td><td style='white-space:nowrap'>"
    assert f"图上面积:{cell}<b>{measured:,.2f} m²</b>" in html
    assert f"证载面积:{cell}<b>6,889.85 m²</b>" in html
    assert f"差额（图上 − 证载）:{cell}+22.12 m² (+0.32%)" in html       # as the core's note counts it
    assert measured - Decimal("6889.85") == Decimal("22.12")
    assert f"计税面积（各等级行合计）:{cell}<b>6,889.85 m²</b>" in html
    assert "等级范围外部分" not in html                        # all of it inside the grades
    # the total row adds the two grade rows up
    assert "<b>合计</b>" in html and html.count("6,889.85") >= 3
    assert f"<b>{fmt_yuan(r.due)}</b></td></tr></table>" in html
    assert r.due == sum(g.due for g in r.rows)

    # staff change the certificate area in the table: the panel follows
    model = window.table.model
    model.setData(model.index(9, model.column_of("declared_area")), "7000")
    html = window.assessment.html()
    r = doc.project.current_result(p.uid).result
    assert r.taxable_area_m2 == Decimal("7000.00") and f"计税面积（各等级行合计）:{cell}<b>7,000.00 m²</b>" in html
    assert f"差额（图上 − 证载）:{cell}-88.03 m² (-1.27%)" in html
    assert any("相差 -88.03 m²" in note for note in r.notes)     # the same sign as the core's note
    window.assessment.grab().save("/tmp/assessment_declared_zh.png")


def test_without_a_certificate_area_only_the_map_area_is_shown(make_window):
    doc, window = make_window()
    window.files.open_sample()
    p = doc.project.parcels[0]
    model = window.table.model
    model.setData(model.index(0, model.column_of("declared_area")), "")
    doc.selection.set([p.uid])
    html = window.assessment.html()
    assert "图上面积" in html and "证载面积" not in html and "计税面积" not in html
    assert "合计" not in html                                   # one grade row: nothing to add up
