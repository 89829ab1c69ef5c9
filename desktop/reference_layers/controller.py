"""Reference layers of the open project, on the map. Adding and removing are undo
commands; opacity, label field and visibility are settings of the view that mark the
project changed. A file that cannot be read is named in a message and left out; the
project keeps its entry so the layer comes back when the file is there again."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand

from zones.errors import InputError
from zones.reference_layers import RasterSource, ReferenceLayerSpec, kind_of, read_vector

from desktop.map.layers.background import RasterBackgroundLayer, VectorBackgroundLayer

BackgroundLayer = RasterBackgroundLayer | VectorBackgroundLayer

#: the grades' opacity while a reference layer shows under them
GRADES_OVER_REFERENCE = 0.55


class ReferenceLayers(QObject):
    changed = Signal()          # the list (names, order, settings) changed: the panel rebuilds
    failed = Signal(str)        # a file could not be read: the message names it

    def __init__(self, window) -> None:
        super().__init__(window)
        self.w, self.doc, self.canvas = window, window.doc, window.canvas
        self.entries: list[tuple[ReferenceLayerSpec, BackgroundLayer | None]] = []   # (spec, layer or None)
        self._project = None
        self.doc.pathChanged.connect(self._on_path_changed)
        self.reload()

    # ------------------------------------------------------------ project
    @property
    def specs(self) -> list[dict]:
        if not hasattr(self.doc.project, "reference_layers"):
            self.doc.project.reference_layers = []
        return self.doc.project.reference_layers

    def project_dir(self) -> Path | None:
        return Path(self.doc.path).parent if self.doc.path else None

    def _on_path_changed(self, _path: str) -> None:
        if self.doc.project is not self._project:    # another project (new, opened, recovered)
            self.reload()

    def reload(self) -> None:
        for _, layer in self.entries:
            self._detach(layer)
        self.entries = []
        self._project = self.doc.project
        for d in self.specs:
            spec = ReferenceLayerSpec.from_dict(d)
            self.entries.append((spec, self._build(spec)))
        self._refresh_map()

    # ------------------------------------------------------------ layers
    def _build(self, spec: ReferenceLayerSpec):
        path = spec.resolved(self.project_dir())
        try:
            layer: BackgroundLayer
            if spec.kind == "raster":
                layer = RasterBackgroundLayer(self.canvas.view.ax, RasterSource(path), spec.name, spec.opacity)
            else:
                layer = VectorBackgroundLayer(self.canvas.view.ax, read_vector(path, spec.layer), spec.name,
                                              spec.label_field, spec.opacity)
        except InputError as exc:
            self.failed.emit(str(exc))
            return None
        layer.texts = self.canvas.view.texts
        layer.set_visible(spec.visible)
        self.canvas.view.layers[self._key(layer)] = layer
        return layer

    @staticmethod
    def _key(layer) -> str:
        return f"reference:{id(layer)}"

    def _detach(self, layer) -> None:
        if layer is not None:
            self.canvas.view.layers.pop(self._key(layer), None)
            layer.close()

    def _refresh_map(self) -> None:
        showing = any(layer is not None and spec.visible for spec, layer in self.entries)
        self.canvas.view.zones.raster.set_alpha(GRADES_OVER_REFERENCE if showing else None)
        self.canvas.view._rebuild_legend()
        self.canvas.view.refresh()
        self.canvas.canvas.draw_idle()
        self.changed.emit()

    def _store(self) -> None:
        self.doc.project.reference_layers = [spec.as_dict() for spec, _ in self.entries]

    # ------------------------------------------------------------ edits
    def add_file(self, path: str) -> bool:
        """Add the file at ``path`` as a reference layer (an undo command); False when it cannot be read."""
        try:
            kind = kind_of(path)
        except InputError as exc:
            self.failed.emit(str(exc))
            return False
        spec = ReferenceLayerSpec(str(Path(path).resolve()), kind, Path(path).stem, opacity=0.8 if kind == "raster" else 1.0)
        layer = self._build(spec)
        if layer is None:
            return False
        if kind == "vector":
            fields = layer.data.fields
            guess = next((f for f in fields if f.lower() in ("name", "名称", "宗地号", "zdh", "label")), "")
            if guess:
                spec = ReferenceLayerSpec(**{**spec.as_dict(), "label_field": guess})
                layer.set_label_field(guess)
        self.doc.stack.push(_AddLayer(self, spec, layer))
        return True

    def _insert(self, index: int, spec, layer) -> None:
        if layer is not None and self._key(layer) not in self.canvas.view.layers:
            self.canvas.view.layers[self._key(layer)] = layer
            for a in layer.artists:
                if a.axes is None:        # taken off by an undo: put back
                    self.canvas.view.ax.add_artist(a)
        self.entries.insert(index, (spec, layer))
        self._store()
        self._refresh_map()

    def _take(self, index: int):
        spec, layer = self.entries.pop(index)
        if layer is not None:
            self.canvas.view.layers.pop(self._key(layer), None)
            for a in layer.artists:
                a.remove()
        self._store()
        self._refresh_map()
        return spec, layer

    def remove(self, index: int) -> None:
        spec, layer = self.entries[index]
        self.doc.stack.push(_RemoveLayer(self, index, spec, layer))

    def _update(self, index: int, **changes) -> None:
        spec, layer = self.entries[index]
        spec = ReferenceLayerSpec(**{**spec.as_dict(), **changes})
        self.entries[index] = (spec, layer)
        self._store()
        self.doc._dirty_without_stack = True          # a view setting, not an undoable edit
        self.w.update_title()

    def set_opacity(self, index: int, opacity: float) -> None:
        self._update(index, opacity=opacity)
        layer = self.entries[index][1]
        if layer is not None:
            layer.set_opacity(opacity)
            self.canvas.canvas.draw_idle()

    def set_label_field(self, index: int, field: str) -> None:
        self._update(index, label_field=field)
        layer = self.entries[index][1]
        if layer is not None and hasattr(layer, "set_label_field"):
            layer.set_label_field(field)
            self.canvas.view.refresh()
            self.canvas.canvas.draw_idle()

    def set_visible(self, index: int, visible: bool) -> None:
        self._update(index, visible=visible)
        layer = self.entries[index][1]
        if layer is not None:
            layer.set_visible(visible)
        self._refresh_map()


class _AddLayer(QUndoCommand):
    def __init__(self, owner: ReferenceLayers, spec, layer) -> None:
        super().__init__(owner.tr("Add reference layer %1").replace("%1", spec.name))
        self.owner, self.spec, self.layer = owner, spec, layer
        self.index = len(owner.entries)

    def redo(self) -> None:
        self.owner._insert(self.index, self.spec, self.layer)

    def undo(self) -> None:
        # keep the layer as it is now (opacity, labels changed since): redo puts it back so
        self.spec, self.layer = self.owner._take(self.index)


class _RemoveLayer(QUndoCommand):
    def __init__(self, owner: ReferenceLayers, index: int, spec, layer) -> None:
        super().__init__(owner.tr("Remove reference layer %1").replace("%1", spec.name))
        self.owner, self.index, self.spec, self.layer = owner, index, spec, layer

    def redo(self) -> None:
        self.spec, self.layer = self.owner._take(self.index)

    def undo(self) -> None:
        self.owner._insert(self.index, self.spec, self.layer)
