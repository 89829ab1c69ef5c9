"""Qt-free map tools: state machines fed :class:`MapEvent` in map coordinates that return
results (:class:`Finished`, :class:`Command`, …) instead of changing a model."""

from desktop.map.tools.base import (Cancelled, Command, Finished, MapEvent, Overlay, Pan, Rejected, Selected, Tool,
                                    ZoomTo)
from desktop.map.tools.draw import DrawHoleTool, DrawPolygonTool, Preview
from desktop.map.tools.edit import EditVerticesTool
from desktop.map.tools.measure import MeasureTool
from desktop.map.tools.navigate import PanTool, ZoomBoxTool
from desktop.map.tools.select import SelectTool
from desktop.map.tools.snapping import Snapper

TOOLS = {"pan": PanTool, "zoom": ZoomBoxTool, "select": SelectTool, "draw": DrawPolygonTool, "hole": DrawHoleTool,
         "edit": EditVerticesTool, "measure": MeasureTool}

__all__ = ["TOOLS", "MapEvent", "Pan", "ZoomTo", "Selected", "Finished", "Command", "Rejected", "Cancelled", "Overlay",
           "Tool", "PanTool", "ZoomBoxTool", "SelectTool", "DrawPolygonTool", "DrawHoleTool", "EditVerticesTool", "MeasureTool",
           "Preview", "Snapper"]
