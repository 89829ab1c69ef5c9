"""The assessment of the selected parcel: area per grade, rate, annual amount,
months, relief, amount due, the total in figures and in Chinese capitals, the
flags in words, the difference from the previous result, and the review mark."""

from __future__ import annotations

from decimal import Decimal
from html import escape

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from zones.money import area2, capitals, fmt_yuan
from zones.report.content import rounding_gap
from zones.results import flag_text

from desktop import i18n
from desktop.parcel_checks import with_checks
from desktop.parcel_table_model import mu2
from desktop.amount_words import amount_in_words
from desktop.result_notes import note_in_language
from desktop.rule_words import rule_in_language
from desktop.words import grade_name, heading_html
from desktop.zoneset_words import relief_name


class AssessmentPanel(QWidget):
    def __init__(self, doc, parent=None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.uid: str | None = None
        self.view = QTextBrowser()
        self.view.setOpenLinks(False)
        self.review_button = QPushButton()
        self.status = QLabel()
        self.status.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(self.review_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addWidget(self.view, 1)
        lay.addLayout(row)
        doc.selectionChanged.connect(self._on_selection)
        doc.changed.connect(self._on_changed)
        self.retranslate()

    def retranslate(self) -> None:
        self.review_button.setText(self.tr("Mark reviewed…"))
        self.review_button.setToolTip(self.tr("复核: record that a named reviewer checked this result"))
        self.refresh()

    def _on_selection(self, uids) -> None:
        self.uid = uids[0] if len(uids) == 1 else None
        self.refresh()

    def _on_changed(self, changes) -> None:
        if self.uid and (changes.structure or changes.zoneset or changes.results or self.uid in changes.uids):
            if changes.structure and not self.doc._exists(self.uid):
                self.uid = None
            self.refresh()

    # ----------------------------------------------------------- content
    def refresh(self) -> None:
        self.view.setHtml(self.html())
        p = self.doc.project.by_uid(self.uid) if self.uid else None
        stored = self.doc.project.current_result(self.uid) if self.uid else None
        self.review_button.setEnabled(stored is not None and not stored.result.error)
        if p is None:
            self.status.setText("")
        elif self.doc.project.is_reviewed(self.uid):
            self.status.setText(self.tr("Reviewed by %1 at %2").replace("%1", p.review.reviewer).replace("%2", p.review.when))
        else:
            self.status.setText(self.tr("Entered by %1, not reviewed").replace("%1", p.entered_by or "—"))

    def html(self) -> str:
        t = self.tr
        if not self.uid:
            return f"<p style='color:#666'>{escape(t('Select one parcel on the map or in the table to see its assessment.'))}</p>"
        p = self.doc.project.by_uid(self.uid)
        stored = self.doc.project.current_result(self.uid)
        title = f"<h3>{escape(p.label)} {escape(p.get('taxpayer_name'))}</h3>"
        head = title + f"<p>{escape(t('Map area'))}: {self._map_area(p)}</p>"
        if stored is None:
            return head + f"<p>{escape(t('Not assessed yet.'))}</p>"
        r = stored.result
        if r.error:
            return head + f"<p style='color:#a00'>{escape(r.error)}</p>"
        areas = self._areas_html(p, r)
        if areas:
            head = title + areas
        cols = [t("Grade"), t("Area (m²)"), t("Rate (yuan/m²·year)"), t("Annual (yuan)"), t("Months"), t("Gross (yuan)"),
                t("Relief (yuan)"), t("Due (yuan)")]
        num = "<td align=right style='white-space:nowrap'>"
        rows = "".join(
            f"<tr><td>{escape(grade_name(self.doc.zoneset, g.grade) if self.doc.zoneset else g.grade_label)}</td>{num}{g.area_m2:,.2f}</td>{num}{g.rate}</td>"
            f"{num}{fmt_yuan(g.annual)}</td>{num}{g.months}</td>{num}{fmt_yuan(g.gross)}</td>"
            f"{num}{fmt_yuan(g.relief + g.small_taxpayer_relief)}</td>{num}<b>{fmt_yuan(g.due)}</b></td></tr>"
            for g in r.rows)
        if len(r.rows) > 1:   # the total row: the grade rows visibly add up to the taxable area and the amounts
            rows += (f"<tr><td><b>{escape(t('Total'))}</b></td>{num}<b>{r.taxable_area_m2:,.2f}</b></td><td></td>"
                     f"{num}{fmt_yuan(sum((g.annual for g in r.rows), Decimal(0)))}</td><td></td>{num}{fmt_yuan(r.gross)}</td>"
                     f"{num}{fmt_yuan(r.relief + r.small_taxpayer_relief)}</td>{num}<b>{fmt_yuan(r.due)}</b></td></tr>")
        table = ("<table border=1 cellspacing=0 cellpadding=2 width='100%' style='font-size:small'><tr>"
                 + "".join(f"<th style='white-space:nowrap'>{heading_html(c)}</th>" for c in cols) + "</tr>" + rows + "</table>")
        lang = "zh" if i18n.is_chinese() else "en"
        total = f"<p>{escape(t('Amount due'))}: <b style='font-size:large'>{fmt_yuan(r.due)}</b> {escape(t('yuan'))}<br>"
        if lang == "zh":
            total += f"{escape(capitals(r.due))}</p>"
        else:   # the words in English; the capitals as the tax documents print them (大写), labelled
            total += (f"{escape(amount_in_words(r.due))}<br><span style='color:#555;font-size:small'>"
                      f"{escape(t('In capitals on the tax documents'))}: {escape(capitals(r.due))}</span></p>")
        reliefs = [x for g in r.rows for x in g.reliefs]
        rel = "".join(f"<li>{escape(x.code)} {escape(relief_name(self.doc.catalogue, x.code, x.name, lang))}: "
                      f"{x.area_m2:,.2f} m², {x.first}—{x.last} "
                      f"({x.months} {escape(t('months'))}), {fmt_yuan(x.amount)} {escape(t('yuan'))}</li>" for x in reliefs)
        r = with_checks(self.doc, self.uid, r)      # a shared 宗地号, an identifier failing its check: why
        flags = "".join(f"<li><b>{escape(flag_text(f, lang))}</b></li>" for f in r.flags)
        notes = "".join(f"<li>{escape(note_in_language(n, lang))}</li>" for n in r.notes)
        diff = self.doc.project.difference(self.uid)
        before = self.doc.project.previous.get(self.uid)
        comp = ""
        if diff is not None:
            comp = (f"<p>{escape(t('Before the zone-set / rate change'))}: {fmt_yuan(before.result.due)} → {fmt_yuan(r.due)}; "
                    f"{escape(t('difference'))} <b>{'+' if diff > 0 else ''}{fmt_yuan(diff)}</b></p>")
        prov = stored.provenance
        # the rule is the core's Chinese wording (as printed on the report), in English when English is chosen
        provenance = (f"<p style='color:#555;font-size:small'>{escape(t('Months liable'))}: {r.liable.count}; "
                      f"{escape(t('rule'))}: {escape(rule_in_language(r.liable.rule, lang))}<br>"
                      f"{escape(t('Zone set'))}: {escape(str(prov.get('zoneset_id')))} {escape(str(prov.get('zoneset_version')))}; "
                      f"{escape(t('rules'))} {escape(str(prov.get('rules_version')))}; {escape(t('period'))} {escape(str(prov.get('period')))}; "
                      f"{escape(t('computed'))} {escape(str(prov.get('created')))}; "
                      + escape(t("tax base: each grade's area rounded to 0.01 m²")
                               if (prov.get("options") or {}).get("tax_base", "rounded") == "rounded"
                               else t("tax base: the unrounded map area (earlier rule)"))
                      + (f"; {escape(t('input file'))} sha256 {escape(str(prov.get('input_sha256'))[:12])}" if prov.get("input_sha256") else "")
                      + "</p>")
        out = head + table + total + comp
        gap = rounding_gap(r)
        if gap:   # the table shows 2-decimal areas, the amounts come from the unrounded area (as the PDF notes)
            out += ("<p style='color:#555;font-size:small'>"
                    + escape(t("The amounts are computed from the unrounded map area: multiplying the two-decimal "
                               "areas in the table may differ by up to %1 yuan.").replace("%1", f"{gap:.2f}")) + "</p>")
        if rel:
            out += f"<p>{escape(t('Reliefs'))}:</p><ul>{rel}</ul>"
        if flags or notes:
            out += f"<p>{escape(t('Check'))}:</p><ul>{flags}{notes}</ul>"
        return out + provenance

    def _map_area(self, p) -> str:
        return f"<b>{area2(p.geometry.area):,.2f} m²</b> ({mu2(p.geometry.area)} {escape(self.tr('mu'))})"

    def _areas_html(self, p, r) -> str:
        """With a certificate area (证载面积): the map area, the certificate area, their
        difference (map − certificate, as the core's note and tolerance check count it) and
        the taxable area (计税面积): the sum of the grade rows, i.e. the certificate area
        apportioned over the grades by map area. Nothing without one (the map area is taxed)."""
        if r.declared_area_m2 is None:
            return ""
        t = self.tr
        declared, taxable = Decimal(r.declared_area_m2), r.taxable_area_m2
        measured = area2(p.geometry.area)
        diff = measured - declared
        share = f" ({diff / measured * 100:+.2f}%)" if measured else ""
        lines = [(t("Map area"), self._map_area(p)),
                 (t("Certificate area"), f"<b>{declared:,.2f} m²</b>"),
                 (t("Difference (map − certificate)"), f"{diff:+,.2f} m²{share}"),
                 (t("Taxable area (sum of the grade rows)"), f"<b>{taxable:,.2f} m²</b>")]
        if declared != taxable:   # the share of the certificate area lying outside the zone set
            lines.append((t("Certificate area outside the grades"), f"{declared - taxable:,.2f} m²"))
        rows = "".join(f"<tr><td>{escape(k)}:</td><td style='white-space:nowrap'>{v}</td></tr>" for k, v in lines)
        return (f"<table cellspacing=0 cellpadding=1>{rows}</table>"
                f"<p style='color:#555;font-size:small'>"
                + escape(t("The certificate area is taxed, split over the grades in proportion to the map areas.")) + "</p>")
