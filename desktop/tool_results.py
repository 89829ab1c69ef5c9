"""What a finished map tool hands the shell, in the shell's terms.

The map tools (desktop.map.tools) return plain results: ``Finished`` (a drawn
polygon, EPSG:4549), ``Command`` (an exactly reversible geometry edit of one
parcel: move/insert/delete vertex, add hole, with ``before``/``after``) or
``Rejected`` (a message). :func:`interpret` turns them into
("draw", polygon) | ("edit", (index, before, after, name)) | ("select", (indices, mode)) | ("rejected", message) | ("ignore", None).
"""

from __future__ import annotations


def interpret(obj, canvas=None):
    name = type(obj).__name__
    if name == "Finished" or (hasattr(obj, "geom_type") and obj.geom_type in ("Polygon", "MultiPolygon")):
        return "draw", getattr(obj, "geometry", obj)
    if name == "Command":
        return "edit", (int(obj.parcel), obj.before, obj.after, obj.name)
    if name == "Selected":
        return "select", (tuple(obj.indices), obj.mode)
    if name == "Rejected":
        return "rejected", obj.message
    return "ignore", None
