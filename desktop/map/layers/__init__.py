"""Qt-free layer artists: each owns the few matplotlib artists of one map layer."""

from desktop.map.layers.base import LayerArtist, ViewState
from desktop.map.layers.parcels import ParcelsLayer, PiecesLayer, SelectionLayer
from desktop.map.layers.reference import DistrictsLayer, ReferenceLinesLayer
from desktop.map.layers.zones import AccuracyBandLayer, ZonesLayer

__all__ = ["LayerArtist", "ViewState", "ZonesLayer", "AccuracyBandLayer", "DistrictsLayer", "ReferenceLinesLayer",
           "ParcelsLayer", "PiecesLayer", "SelectionLayer"]
