"""The map: a Qt-free matplotlib view (:mod:`map_view`, :mod:`layers`), Qt-free drawing
tools (:mod:`tools`) and the thin PySide6 host (:mod:`map_canvas`)."""
