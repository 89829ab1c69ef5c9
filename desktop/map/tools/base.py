"""What every map tool shares: the plain events it is fed, the results it returns,
and the context it reads from (after napari's shapes mouse bindings and glue's
mouse modes). Tools never change a model: on finish they return a result the
shell turns into an undo command.

Events are in map coordinates (EPSG:4549 metres). Key names are matplotlib's:
``'backspace'``, ``'enter'``, ``'escape'``, ``'delete'``.

The *context* is duck-typed (the :class:`~desktop.map.map_view.MapView`
implements it): ``pixel_size() → m/px``, ``view_size_px() → (w, h)``, ``snap(x, y, radius_m, exclude=None) →
(x, y) | None``, ``prepared_zones() → PreparedZones | None``,
``hit_test(x, y, tolerance_m) → int | None``, ``parcels_in_box(bounds) →
array of indices``, ``selected_parcel() → (index, id, geometry) | None``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class MapEvent:
    x: float
    y: float
    button: str = "left"               # 'left', 'right', 'middle' or '' for a plain move
    modifiers: frozenset = frozenset()  # of 'shift', 'ctrl', 'alt'
    dblclick: bool = False


# ---------------------------------------------------------------- results

@dataclass(frozen=True)
class Pan:
    """Move the view by (dx, dy) metres."""
    dx: float
    dy: float


@dataclass(frozen=True)
class ZoomTo:
    """Show these map bounds (x0, y0, x1, y1)."""
    bounds: tuple


@dataclass(frozen=True)
class Selected:
    """Parcels picked by a click (``clicked``; empty when the click hit nothing) or a box.
    ``mode``: 'replace', 'add' (Shift) or 'toggle' (Ctrl)."""
    indices: tuple
    mode: str = "replace"
    clicked: bool = False


@dataclass(frozen=True)
class Finished:
    """A drawn polygon (map CRS), its plane area in m² and, when a zone set is loaded,
    its area in each grade and outside every grade (m², unrounded)."""
    geometry: object
    area_m2: float
    by_grade: dict = field(default_factory=dict)
    outside_m2: float = 0.0


@dataclass(frozen=True)
class Command:
    """An edit of one parcel's geometry, exactly reversible: ``before``/``after`` are the
    whole geometries, ``old``/``new`` the vertex (x, y) (None when there is none).

    ``name``: 'move_vertex', 'insert_vertex', 'delete_vertex' or 'add_hole'.
    ``part``: polygon part (0 for a Polygon); ``ring``: 0 the outline, k the k-th hole;
    ``index``: vertex position in the ring (without the closing repeat)."""
    name: str
    parcel: int
    parcel_id: str | None
    part: int
    ring: int
    index: int | None
    old: tuple | None
    new: tuple | None
    before: object
    after: object


@dataclass(frozen=True)
class Rejected:
    """The gesture cannot finish; ``message`` says why (Chinese, for the status bar)."""
    message: str


@dataclass(frozen=True)
class Cancelled:
    pass


@dataclass
class Overlay:
    """What the canvas draws over the map for a tool in progress (the rubber band)."""
    lines: list = field(default_factory=list)     # N×2 coordinate arrays
    closed: bool = False                          # the last line is a polygon outline
    box: tuple | None = None                      # (x0, y0, x1, y1)
    handles: list = field(default_factory=list)   # vertex handles (x, y)
    snap: tuple | None = None                     # the point a click would snap to
    text: str = ""


class Tool:
    name = "tool"

    def __init__(self, context):
        self.context = context

    def press(self, ev: MapEvent):
        return None

    def move(self, ev: MapEvent):
        return None

    def release(self, ev: MapEvent):
        return None

    def key(self, key: str):
        return None

    def cancel(self) -> None:
        """Drop any gesture in progress (tool switched, view reset)."""

    def overlay(self) -> Overlay | None:
        return None

    @property
    def busy(self) -> bool:
        """A gesture is in progress (the canvas keeps keys like Enter/Esc for it)."""
        return False

    def _tolerance(self, pixels: float) -> float:
        return pixels * self.context.pixel_size()
