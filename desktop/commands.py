"""Undo commands: each user edit is a named QUndoCommand calling the exactly
reversible mutators of :class:`zones.project.Project` (insert/remove, edit/put).

A command never changes the project except through those mutators, and says
what changed (``doc.notify``) so views refresh only what they must.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QUndoCommand

from zones.project import Parcel


def _tr(text: str) -> str:
    return QCoreApplication.translate("commands", text)


class AddParcels(QUndoCommand):
    """Insert new parcels at the end (drawn, typed or imported)."""

    def __init__(self, doc, parcels: list[Parcel], text: str) -> None:
        super().__init__(text)
        self.doc, self.parcels = doc, list(parcels)
        self.start = len(doc.project)

    def redo(self) -> None:
        for k, p in enumerate(self.parcels):
            self.doc.project.insert(self.start + k, p)
        self.doc.notify(structure=True, uids=[p.uid for p in self.parcels])

    def undo(self) -> None:
        for k in reversed(range(len(self.parcels))):
            self.doc.project.remove(self.start + k)
        self.doc.notify(structure=True, uids=[p.uid for p in self.parcels])


class RemoveParcels(QUndoCommand):
    def __init__(self, doc, uids: list[str]) -> None:
        super().__init__(_tr("Delete %n parcel(s)").replace("%n", str(len(uids))))
        self.doc = doc
        self.indices = sorted(doc.project.index_of(u) for u in uids)
        self.removed: list[tuple[int, Parcel]] = []

    def redo(self) -> None:
        self.removed = [(i, self.doc.project.remove(i)) for i in reversed(self.indices)]
        self.doc.notify(structure=True, uids=[p.uid for _, p in self.removed])

    def undo(self) -> None:
        for i, p in reversed(self.removed):
            self.doc.project.insert(i, p)
        self.doc.notify(structure=True, uids=[p.uid for _, p in self.removed])


class EditParcel(QUndoCommand):
    """Change a parcel's outline and/or attributes (clears its review mark, logs the change)."""

    def __init__(self, doc, uid: str, *, geometry=None, attrs: dict | None = None, text: str = "") -> None:
        super().__init__(text or _tr("Edit parcel"))
        self.doc, self.uid, self.geometry, self.attrs = doc, uid, geometry, attrs
        self.before: Parcel | None = None
        self.after: Parcel | None = None

    def redo(self) -> None:
        i = self.doc.project.index_of(self.uid)
        if self.after is None:     # first time: compute the change (new history entry)
            self.before = self.doc.project.edit(i, who=self.doc.operator, geometry=self.geometry, attrs=self.attrs,
                                                what=self.text() if self.geometry is not None and not self.attrs else "")
            self.after = self.doc.project.parcels[i]
        else:                      # redo after undo: put back exactly what the first redo made
            self.doc.project.put(i, self.after)
        self.doc.notify(uids=[self.uid])

    def undo(self) -> None:
        self.doc.project.put(self.doc.project.index_of(self.uid), self.before)
        self.doc.notify(uids=[self.uid])


class MarkReviewed(QUndoCommand):
    """复核: the parcel's current result is reviewed by a named reviewer."""

    def __init__(self, doc, uid: str, reviewer: str) -> None:
        super().__init__(_tr("Mark reviewed"))
        self.doc, self.uid, self.reviewer = doc, uid, reviewer
        self.before: Parcel | None = None
        self.after: Parcel | None = None

    def redo(self) -> None:
        i = self.doc.project.index_of(self.uid)
        if self.after is None:
            self.before = self.doc.project.mark_reviewed(i, self.reviewer)
            self.after = self.doc.project.parcels[i]
        else:
            self.doc.project.put(i, self.after)
        self.doc.notify(uids=[self.uid], review=True)

    def undo(self) -> None:
        self.doc.project.put(self.doc.project.index_of(self.uid), self.before)
        self.doc.notify(uids=[self.uid], review=True)
