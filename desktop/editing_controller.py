"""Editing on the map and in dialogs, turned into undo commands.

A map tool finishes with a plain result (:mod:`desktop.tool_results`); this
controller checks it (a self-crossing outline is refused, a parcel changed
meanwhile is not overwritten) and pushes the matching command: a drawn or typed
parcel (AddParcels), a moved/inserted/deleted vertex or a hole (EditParcel), a
deleted parcel (RemoveParcels). It also keeps the map's selection and grade
pieces in step with the document's selection. It never mutates the project
itself: every change is a command, so Ctrl+Z undoes it exactly.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from zones.project import Source, new_parcel, now_text

from desktop.commands import AddParcels, EditParcel, RemoveParcels
from desktop.errors import show_exception
from desktop.tool_results import interpret


class EditingController(QObject):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.w, self.doc, self.canvas = window, window.doc, window.canvas
        self.doc.selectionChanged.connect(self.show_selection)
        # clicks arrive as Selected results through toolFinished (with add/toggle modes),
        # so the canvas's parcelClicked is not needed here
        self.canvas.toolFinished.connect(self.tool_finished)
        from desktop.parcel_number_prompt import ParcelNumberPrompt
        self.number_prompt = ParcelNumberPrompt(self.doc, self.canvas)

    def _status(self, text: str, ms: int = 5000) -> None:
        self.w.statusBar().showMessage(text, ms)

    # ------------------------------------------------------------ map → document
    def tool_finished(self, obj) -> None:
        """A map tool finished: a drawn polygon, a hole, a vertex edit or a selection."""
        try:
            self.apply(obj)
        except Exception as exc:      # a bad drawing is reported, never crashes the window
            show_exception(self.w, exc, self.tr("The drawing cannot be used"))

    def apply(self, obj) -> None:
        kind, payload = interpret(obj, self.canvas)
        if kind == "draw":
            if not payload.is_valid or payload.area <= 0:
                raise ValueError(self.tr("The drawn outline is not valid (it crosses itself)"))
            p = new_parcel(payload, self.doc.operator, what="绘制地块",
                           source=Source("drawn", self.doc.operator, now_text(), what="绘制地块"))
            self.doc.stack.push(AddParcels(self.doc, [p], self.tr("Draw parcel")))
            self.doc.selection.set([p.uid])
            self.number_prompt.ask(p.uid)       # its 宗地号, or 跳过: 未编号
        elif kind == "edit":
            self.apply_outline_edit(*payload)
        elif kind == "select":
            indices, mode = payload
            self.select_indices(indices, mode)
        elif kind == "rejected":      # the tools' words, in the window's language
            from desktop import i18n
            from desktop.map.tools.messages import in_language
            self._status(in_language(payload, i18n.current_language()), 8000)

    def apply_outline_edit(self, index: int, before, after, name: str) -> None:
        """A vertex move/insert/delete or a new hole, as one EditParcel command."""
        p = self.doc.project.parcels[index]
        if before is not None and not before.equals(p.geometry):
            raise ValueError(self.tr("The parcel changed while it was being edited; try again"))
        if not after.is_valid or after.area <= 0:
            raise ValueError(self.tr("The edited outline is not valid (it crosses itself)"))
        text = {"move_vertex": self.tr("Move vertex"), "insert_vertex": self.tr("Insert vertex"),
                "delete_vertex": self.tr("Delete vertex"), "add_hole": self.tr("Add hole")}.get(name, self.tr("Edit vertices"))
        self.doc.stack.push(EditParcel(self.doc, p.uid, geometry=after, text=text))

    def select_indices(self, indices, mode: str = "replace") -> None:
        """Select parcels picked on the map: replace, add (Shift) or toggle (Ctrl)."""
        picked = [self.doc.project.parcels[int(i)].uid for i in indices if 0 <= int(i) < len(self.doc.project)]
        current = list(self.doc.selection.uids)
        if mode == "add":
            picked = current + picked
        elif mode == "toggle":
            picked = [u for u in current if u not in picked] + [u for u in picked if u not in current]
        self.doc.selection.set(picked)

    # ------------------------------------------------------------ document → map
    def refresh_parcels(self, changes=None) -> None:
        """Bring the map up to date after ``changes`` (a document Changes; None: everything).
        Parcels added or removed, or an outline changed, rebuild the map's parcels; other
        changes (attributes, results) update only the changed parcels' labels and flags."""
        if changes is not None and not (changes.structure or changes.zoneset or (changes.results and not changes.uids)):
            if self._update_parcels(changes.uids):
                return
        pr = self.doc.project
        ps, results = pr.parcels, pr.results
        if self.doc.reassessing_all:     # no result is current until it ends
            flags: list[tuple] = [()] * len(ps)
        else:       # results of other snapshots have the flags of those: only the current ones count
            stale = pr.stale_uids()
            flags = [tuple(s.flags) if (s := results.get(p.uid)) is not None and p.uid not in stale else ()
                     for p in ps]
        shown = self.canvas.view.parcels.geoms
        if (changes is not None and not changes.structure and len(shown) == len(ps)
                and all(a is p.geometry for a, p in zip(shown, ps))):
            self.canvas.set_flags(flags)     # the same outlines (new results, a new zone set): no rebuild
        else:
            self.canvas.set_parcels([p.geometry for p in ps], [p.label for p in ps], flags)
        self.show_selection(self.doc.selection.uids)

    def _update_parcels(self, uids) -> bool:
        """Labels and flags of ``uids`` only; False when an outline changed (the map must rebuild)."""
        pr, shown = self.doc.project, self.canvas.view.parcels.geoms
        indices, labels, flags = [], [], []
        for uid in uids:
            i = pr.position(uid)
            if i is None:
                continue
            p = pr.parcels[i]
            if i >= len(shown) or shown[i] is not p.geometry:
                return False
            stored = pr.current_result(uid)
            indices.append(i)
            labels.append(p.label)
            flags.append(tuple(stored.flags) if stored is not None else ())
        if indices:
            self.canvas.update_parcels(indices, labels, flags)
        self.show_selection(self.doc.selection.uids)
        return True

    def show_selection(self, uids) -> None:
        """Outline the selected parcels; one selected parcel also shows its grade pieces — those
        of its stored result: selecting never re-assesses."""
        idx = []
        for u in uids:
            try:
                idx.append(self.doc.project.index_of(u))
            except KeyError:
                pass
        self.canvas.set_selection(idx)
        pieces = None
        if len(uids) == 1 and self.doc.zoneset is not None and idx:
            try:
                pieces = self.doc.pieces_of(uids[0])
            except Exception as exc:  # the overlay failing for one outline must not stop selection
                self._status(str(exc))
        self.canvas.set_pieces(pieces)

    # ------------------------------------------------------------ other edits
    def type_coordinates(self) -> None:
        from desktop.dialogs.coordinates_dialog import CoordinatesDialog

        dlg = CoordinatesDialog(self.doc.zoneset.bounds if self.doc.zoneset else None, self.w)
        if dlg.exec() == CoordinatesDialog.DialogCode.Accepted:
            self.add_typed(dlg)
        dlg.deleteLater()

    def add_typed(self, dlg) -> None:
        """The boundary-point table accepted in ``dlg`` becomes a new parcel."""
        attrs = {"parcel_no": dlg.parcel_no.text().strip()}
        p = new_parcel(dlg.polygon, self.doc.operator, attrs, what="录入界址点坐标",
                       source=Source("typed", self.doc.operator, now_text(), what="录入界址点坐标"),
                       point_names=dlg.point_names())
        self.doc.stack.push(AddParcels(self.doc, [p], self.tr("Type coordinates")))
        self.doc.selection.set([p.uid])
        self.canvas.zoom_to_selection()

    def delete_selected(self) -> None:
        if self.doc.selection.uids:
            n = len(self.doc.selection.uids)
            self.doc.stack.push(RemoveParcels(self.doc, list(self.doc.selection.uids)))
            self._status(self.tr("Deleted %1 parcels (Ctrl+Z undoes)").replace("%1", str(n)), 10000)
