"""The layer-artist contract (after glue's ``MatplotlibLayerArtist``): a layer owns
a few matplotlib artists on the map axes, can be shown or hidden, offers legend
entries, and may rebuild what it draws when the view changes (drawing only what
is in view)."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.map.texts import CHINESE, MapTexts


@dataclass(frozen=True)
class ViewState:
    """What is on screen: map bounds (EPSG:4549 metres) and the axes size in pixels."""

    x0: float
    y0: float
    x1: float
    y1: float
    width_px: int
    height_px: int

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        return (self.x0, self.y0, self.x1, self.y1)

    @property
    def pixel_size(self) -> float:
        """Metres per screen pixel."""
        return (self.x1 - self.x0) / max(self.width_px, 1)


class LayerArtist:
    name = "layer"
    zorder = 1.0

    def __init__(self, ax):
        self.ax = ax
        self.visible = True
        self.artists: list = []
        self.texts: MapTexts = CHINESE     # legend words; the map view sets the app's language

    def _add(self, artist):
        artist.set_zorder(self.zorder)
        artist.set_visible(self.visible)
        self.artists.append(artist)
        return artist

    def clear(self) -> None:
        for artist in self.artists:
            artist.remove()
        self.artists = []

    def set_visible(self, visible: bool) -> None:
        self.visible = bool(visible)
        for artist in self.artists:
            artist.set_visible(self.visible)

    def update_view(self, view: ViewState) -> None:
        """Rebuild view-dependent artists (labels, level of detail). Default: nothing."""

    def legend_entries(self) -> list[tuple[object, str]]:
        """(handle, label) pairs for the map legend."""
        return []
