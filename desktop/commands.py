"""Undo commands: each user edit is a named QUndoCommand calling the exactly
reversible mutators of :class:`zones.project.Project` (insert/remove, edit/put).

A command never changes the project except through those mutators, and hands the
:class:`~zones.project.Op` they return to ``doc.apply`` so views refresh only the
parcels that changed. Undo and redo put snapshots back; the project's audit log
records them as ``undo``/``redo`` events and never loses the original ones.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QUndoCommand

from zones.project import Parcel

from desktop.navigation import SELECT_MAX


def _tr(text: str) -> str:
    return QCoreApplication.translate("commands", text)


class AddParcels(QUndoCommand):
    """Insert new parcels at the end (drawn, typed or imported)."""

    def __init__(self, doc, parcels: list[Parcel], text: str) -> None:
        super().__init__(text)
        self.doc, self.parcels = doc, list(parcels)
        self.start = len(doc.project)
        self.done = False

    def redo(self) -> None:
        pr, who = self.doc.project, self.doc.operator
        kind, what = ("redo", f"重做：{self.text()}") if self.done else ("", "")
        if self.start == len(pr):        # at the end, as always: in bulk (a district's import)
            pr.extend(self.parcels, who=who, kind=kind, what=what)
        else:
            for k, p in enumerate(self.parcels):
                pr.insert(self.start + k, p, who=who, kind=kind, what=what)
        again, self.done = self.done, True
        self.doc.notify(structure=True, uids=[p.uid for p in self.parcels])
        # redone: the parcels are back and selected, as when first made (a district's import was
        # not selected then: selecting 100,000 rows takes seconds and helps nobody find one)
        if again and len(self.parcels) <= SELECT_MAX:
            self.doc.selection.set([p.uid for p in self.parcels])

    def undo(self) -> None:
        pr, who, what = self.doc.project, self.doc.operator, f"撤销：{self.text()}"
        tail = pr.parcels[self.start:]
        if len(tail) == len(self.parcels) and all(a is b for a, b in zip(tail, self.parcels)):
            pr.drop_tail(self.start, who=who, kind="undo", what=what)     # at the end, as always: in bulk
        else:
            for k in reversed(range(len(self.parcels))):
                pr.remove(self.start + k, who=who, kind="undo", what=what)
        self.doc.notify(structure=True, uids=[p.uid for p in self.parcels])


class RemoveParcels(QUndoCommand):
    def __init__(self, doc, uids: list[str]) -> None:
        super().__init__(_tr("Delete %n parcel(s)").replace("%n", str(len(uids))))
        self.doc = doc
        self.indices = sorted(doc.project.index_of(u) for u in uids)
        self.removed: list[tuple[int, Parcel]] = []
        self.done = False

    def redo(self) -> None:
        kind, what = ("redo", "重做：删除地块") if self.done else ("delete", "删除地块")
        self.removed = [(i, self.doc.project.remove(i, who=self.doc.operator, kind=kind, what=what).before)
                        for i in reversed(self.indices)]
        self.done = True
        self.doc.notify(structure=True, uids=[p.uid for _, p in self.removed])

    def undo(self) -> None:
        for i, p in reversed(self.removed):
            self.doc.project.insert(i, p, who=self.doc.operator, kind="undo", what="撤销删除")
        self.doc.notify(structure=True, uids=[p.uid for _, p in self.removed])
        self.doc.selection.set([p.uid for _, p in reversed(self.removed)])   # the restored parcels, selected


class _Snapshot(QUndoCommand):
    """A change to one parcel made once by a core mutator; undo/redo put the snapshots back."""

    def __init__(self, doc, uid: str, text: str) -> None:
        super().__init__(text)
        self.doc, self.uid = doc, uid
        self.before: Parcel | None = None
        self.after: Parcel | None = None

    def first(self, index: int):
        raise NotImplementedError

    def redo(self) -> None:
        pr = self.doc.project
        i = pr.index_of(self.uid)
        if self.after is None:     # first time: the mutator makes the change and logs it
            op = self.first(i)
            self.before, self.after = op.before, pr.parcels[i]
        else:                      # redo after undo: put back exactly what the first redo made
            op = pr.put(i, self.after, who=self.doc.operator, kind="redo", what=f"重做：{self.text()}")
        self.doc.apply(op)

    def undo(self) -> None:
        pr = self.doc.project
        self.doc.apply(pr.put(pr.index_of(self.uid), self.before, who=self.doc.operator, kind="undo",
                              what=f"撤销：{self.text()}"))


class EditParcel(_Snapshot):
    """Change a parcel's outline and/or attributes (clears its review mark, logs the change)."""

    def __init__(self, doc, uid: str, *, geometry=None, attrs: dict | None = None, text: str = "") -> None:
        super().__init__(doc, uid, text or _tr("Edit parcel"))
        self.geometry, self.attrs = geometry, attrs

    def first(self, index: int):
        return self.doc.project.edit(index, who=self.doc.operator, geometry=self.geometry, attrs=self.attrs,
                                     what=self.text() if self.geometry is not None and not self.attrs else "")


class MarkReviewed(_Snapshot):
    """复核: the parcel's current result is reviewed by a named reviewer."""

    def __init__(self, doc, uid: str, reviewer: str) -> None:
        super().__init__(doc, uid, _tr("Mark reviewed"))
        self.reviewer = reviewer

    def first(self, index: int):
        return self.doc.project.mark_reviewed(index, self.reviewer)
