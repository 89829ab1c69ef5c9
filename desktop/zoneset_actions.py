"""Zone-set operations: switch between the bundled zone sets and grade maps loaded
in this session, and load the land department's official grade map. Switching
re-assesses every parcel and keeps the previous results for comparison."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog

from zones.project import ZoneSetRef
from zones.zoneset import bundled_ids, load_zoneset

from desktop import settings as S
from desktop.errors import show_exception


class ZoneSetActions(QObject):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.w = window
        self.doc = window.doc
        self.loaded: dict[str, tuple] = {}     # key → (ZoneSet, ZoneSetRef)

    def refresh_choices(self) -> None:
        zs = self.doc.zoneset
        if zs is not None and self.doc.project.zoneset.ref not in self.loaded:
            self.loaded[self.doc.project.zoneset.ref] = (zs, self.doc.project.zoneset)
        choices = [(i, i) for i in bundled_ids()]
        choices += [(k, f"{v[0].name} ({Path(k).name})") for k, v in self.loaded.items() if k not in bundled_ids()]
        self.w.layers.set_choices(choices, self.doc.project.zoneset.ref)

    def activate(self, zs, ref: ZoneSetRef) -> None:
        self.loaded[ref.ref] = (zs, ref)
        self.doc.set_zoneset(zs, ref, compare=True)
        self.w.canvas.zoom_to_zones() if not len(self.doc.project) else None

    def choose(self, key: str) -> None:
        if key == self.doc.project.zoneset.ref:
            return
        try:
            if key in self.loaded:
                zs, ref = self.loaded[key]
            else:
                zs, ref = load_zoneset(key), ZoneSetRef(key)
            self.activate(zs, ref)
        except Exception as exc:
            show_exception(self.w, exc, self.tr("Cannot switch the zone set"))
            self.refresh_choices()

    def load_official(self, path: str | None = None, dialog_hook=None) -> bool:
        from desktop.dialogs.zoneset_dialog import ZoneSetDialog

        if path is None:
            folder = self.w.settings.get(S.LAST_ZONESET_DIR) or str(Path.home())
            path, _ = QFileDialog.getOpenFileName(self.w, self.tr("Load official grade map"), folder,
                                                  "Grade map (*.gpkg *.shp *.geojson *.zip);;All files (*)")
            if not path:
                return False
            self.w.settings.set(S.LAST_ZONESET_DIR, str(Path(path).parent))
        current = self.doc.zoneset
        basis = current.basis_for(self.doc.project.period.year) if current is not None else None
        dlg = ZoneSetDialog(path, self.w, basis=basis, operator=self.doc.operator)
        try:
            if dialog_hook is not None:
                if not dialog_hook(dlg):
                    return False
                dlg.accept()
            elif dlg.exec() != ZoneSetDialog.DialogCode.Accepted:
                return False
            if dlg.zoneset is None:
                return False
            self.activate(dlg.zoneset, dlg.ref)     # the ref carries grade field, rates and designation
            return True
        except Exception as exc:
            show_exception(self.w, exc, self.tr("Cannot load the grade map"))
            return False
        finally:
            dlg.deleteLater()
