"""Make the pictures of 帮助 → 快速入门 (resources/guide/shots/<language>/*.png).

Runs the application off screen on the bundled sample, in Chinese and in English, does
what the guide describes (open the sample, draw, type points, import, assess, the File
menu) and grabs the widgets with QWidget.grab(). Run it again when the window changes:

    QT_QPA_PLATFORM=offscreen python tools/make_guide_screenshots.py [zh_CN en]
"""

from __future__ import annotations

import os
import sys
import tempfile
import warnings
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

#: pictures are scaled down to this width (the guide window is about 800 pixels wide)
WIDTH = 760
WINDOW = (1280, 800)


def save(widget_or_pixmap, path: Path, width: int = WIDTH) -> Path:
    from PySide6.QtCore import Qt

    pm = widget_or_pixmap if hasattr(widget_or_pixmap, "scaledToWidth") else widget_or_pixmap.grab()
    if pm.width() > width:
        pm = pm.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not pm.save(str(path), "PNG"):
        raise OSError(f"cannot write {path}")
    return path


def settle(app, rounds: int = 5) -> None:
    for _ in range(rounds):
        app.processEvents()


def shots_for(app, language: str, out: Path) -> list[Path]:
    import geopandas as gpd
    from PySide6.QtCore import QPoint, QSettings, Qt
    from PySide6.QtTest import QTest

    from desktop import app as desktop_app
    from desktop import errors
    from desktop import settings as S
    from zones.resources import resource

    errors.SHOW_DIALOGS = False
    tmp = Path(tempfile.mkdtemp(prefix="guide_"))
    settings = S.Settings(QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat))
    settings.set(S.LANGUAGE, language)
    settings.set(S.OPERATOR, "王五" if language != "en" else "Wang Wu")
    doc, window = desktop_app.build_window(settings, synchronous=True, data_folder=tmp / "data", offer_recovery=False)
    window.resize(*WINDOW)
    window.show()
    settle(app)
    written = []

    # 1. the sample project, the window's parts
    window.files.open_sample()
    settle(app)
    window.canvas.canvas.draw()
    written.append(save(window, out / "01_window.png"))

    # 2. drawing a parcel: three corners clicked, the hint in the status bar
    first = doc.project.parcels[0]
    window.extras.navigator.show_new([first.uid])
    window.extras.navigator.street_scale()
    doc.selection.set([])
    window.set_tool("draw")
    settle(app)
    window.canvas.canvas.draw()
    x0, y0, x1, y1 = first.geometry.bounds
    cx, cy = x1 + 60, (y0 + y1) / 2
    canvas = window.canvas
    for x, y in ((cx, cy), (cx + 80, cy), (cx + 80, cy + 70)):
        p = canvas.map_to_widget(x, y)
        QTest.mouseClick(canvas.canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         QPoint(round(p.x()), round(p.y())))
        settle(app)
    p = canvas.map_to_widget(cx + 20, cy + 90)
    QTest.mouseMove(canvas.canvas, QPoint(round(p.x()), round(p.y())))
    settle(app)
    written.append(save(window, out / "02_draw.png"))
    canvas.tool.cancel()
    window.set_tool("pan")

    # 3. typing a parcel's boundary points
    from desktop.dialogs.coordinates_dialog import CoordinatesDialog
    c = first.geometry.centroid
    n, e = round(c.y) + 300, round(c.x)
    dlg = CoordinatesDialog(doc.zoneset.bounds, window)
    dlg.set_text("点号\tX\tY\n" + "\n".join(f"J{i}\t{x}\t{y}" for i, (x, y) in
                                          enumerate([(n + 50, e), (n + 50, e + 40), (n, e + 40), (n, e)], 1)))
    dlg.parcel_no.setText("330302001001GB09999")
    dlg.check()
    dlg.show()
    settle(app)
    written.append(save(dlg, out / "03_coordinates.png", 600))
    dlg.close()

    # 4. importing a file: what was read, the coordinate system, the findings
    from desktop.dialogs.import_dialog import ImportDialog
    g = gpd.read_file(resource("samples", "wenzhou_sample.gpkg")).iloc[:4]
    src = tmp / "宗地.shp"
    with warnings.catch_warnings():     # GDAL shortens the Chinese field names to 10 bytes: as offices' files are
        warnings.simplefilter("ignore")
        g.to_file(src, encoding="gbk")
    src.with_suffix(".prj").unlink(missing_ok=True)         # no .prj: the dialog infers it
    dlg2 = ImportDialog(str(src), doc.zoneset.bounds_lonlat, window)
    dlg2.show()
    settle(app)
    written.append(save(dlg2, out / "04_import.png", 640))
    dlg2.close()

    # 5. assess all: the results, the total
    window.a_assess.trigger()
    settle(app)
    window.canvas.zoom_to_parcels()
    settle(app)
    window.canvas.canvas.draw()
    written.append(save(window, out / "05_results.png"))

    # 6. the File menu: print, PDF, the workbooks
    doc.selection.set([first.uid])
    window.m_file.popup(window.mapToGlobal(QPoint(0, 20)))
    settle(app)
    written.append(save(window.m_file, out / "06_file_menu.png", 420))
    window.m_file.hide()

    doc.stack.clear()
    doc._dirty_without_stack = False
    window.close()
    window.deleteLater()
    settle(app)
    return written


def main(argv: list[str]) -> int:
    from PySide6.QtWidgets import QApplication

    from desktop import app as desktop_app

    languages = argv or ["zh_CN", "en"]
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    desktop_app.register_fonts(app)
    for lang in languages:
        out = ROOT / "resources" / "guide" / "shots" / lang
        for path in shots_for(app, lang, out):
            print(path.relative_to(ROOT), path.stat().st_size, "bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
