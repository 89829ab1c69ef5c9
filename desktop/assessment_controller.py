"""Assessment and review (录入 / 复核) from the main window: "assess all" with its
progress bar and cancel button, the tax period in the tool bar, reliefs,
the reviewer's mark and the operator's name recorded in each parcel's history.

Every change to a parcel is an undo command; the assessment itself runs through
the document's task runner (off the GUI thread) and is not undoable.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QInputDialog

from zones.periods import TaxPeriod
from zones.project import reliefs_text

from desktop import settings as S
from desktop.commands import EditParcel, MarkReviewed
from desktop.errors import show_exception

#: The tool bar's period choices (first month, last month): whole year, first half, second half.
PERIODS = ((1, 12), (1, 6), (7, 12))


class AssessmentController(QObject):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.w, self.doc, self.settings = window, window.doc, window.settings
        runner = self.doc.runner
        runner.started.connect(self.task_started)
        runner.progressed.connect(self.task_progressed)    # a bound method: the runner outlives the window
        runner.done.connect(self.task_done)
        self.w.year.valueChanged.connect(self.period_changed)
        self.w.period.currentIndexChanged.connect(self.period_changed)

    def _status(self, text: str) -> None:
        self.w.statusBar().showMessage(text, 5000)

    # ------------------------------------------------------------ assessing
    def assess_all(self) -> None:
        if not self.doc.assess_all(on_error=lambda exc: show_exception(self.w, exc, self.tr("Assessment failed"))):
            self._status(self.tr("An assessment is already running"))

    def task_started(self, label: str) -> None:
        w = self.w
        w.progress.setValue(0)
        w.progress.setFormat(label + " %p%")
        w.progress.show()
        w.cancel_button.show()
        w.a_cancel.setEnabled(True)
        w.a_assess.setEnabled(False)

    def task_progressed(self, fraction: float, _label: str) -> None:
        self.w.progress.setValue(int(fraction * 1000))

    def task_done(self) -> None:
        w = self.w
        w.progress.hide()
        w.cancel_button.hide()
        w.a_cancel.setEnabled(False)
        w.a_assess.setEnabled(True)

    def period_changed(self, *_) -> None:
        """The year or half-year in the tool bar changed: re-assess for the new period."""
        first, last = PERIODS[max(self.w.period.currentIndex(), 0)]
        period = TaxPeriod(self.w.year.value(), first, last)
        if period != self.doc.project.period:
            self.settings.set(S.PERIOD_YEAR, self.w.year.value())
            self.doc.set_period(period)
            self.w.update_zoneset_line()

    # ------------------------------------------------------------ per parcel
    def edit_reliefs(self, uid: str | None = None) -> None:
        from desktop.dialogs.reliefs_dialog import ReliefsDialog

        uid = uid or (self.doc.selection.uids[0] if self.doc.selection.uids else None)
        if uid is None:
            return
        p = self.doc.project.by_uid(uid)
        dlg = ReliefsDialog(self.doc.catalogue, p.get("reliefs"), self.w)
        if dlg.exec() == ReliefsDialog.DialogCode.Accepted:
            self.doc.stack.push(EditParcel(self.doc, uid, attrs={"reliefs": reliefs_text(dlg.claims())},
                                           text=self.tr("Edit reliefs")))
        dlg.deleteLater()

    def mark_reviewed(self, reviewer: str | None = None) -> bool:
        """复核: mark the one selected parcel's current result reviewed by ``reviewer``
        (asked for when None). False when nothing was marked."""
        if len(self.doc.selection.uids) != 1:
            return False
        uid = self.doc.selection.uids[0]
        if self.doc.project.current_result(uid) is None:
            self._status(self.tr("Assess the parcel before reviewing it"))
            return False
        login = self.w.database.login() if hasattr(self.w, "database") else ""
        if login:     # a database project: the 复核 is the login's (the server records it so, whatever is sent)
            reviewer = login
        else:
            if reviewer is None:
                reviewer, ok = QInputDialog.getText(self.w, self.tr("Review (复核)"), self.tr("Reviewer's name:"),
                                                    text=self.settings.get(S.REVIEWER))
                if not ok or not reviewer.strip():
                    return False
            self.settings.set(S.REVIEWER, reviewer.strip())
        self.doc.stack.push(MarkReviewed(self.doc, uid, reviewer.strip()))
        return True

    def set_operator(self) -> None:
        """The name recorded in each parcel's change history (录入员)."""
        name, ok = QInputDialog.getText(self.w, self.tr("Operator"), self.tr("Your name (recorded in the change history):"),
                                        text=self.doc.operator)
        if ok and name.strip():
            self.doc.operator = name.strip()
            self.settings.set(S.OPERATOR, self.doc.operator)
