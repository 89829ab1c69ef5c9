"""Render the application icon for the executables from the window icon.

    python tools/make_app_icon.py

resources/icons/app.svg is the icon the main window shows; this writes from it
  resources/icons/app.png  256 × 256, for Linux desktops and the docs, and
  resources/icons/app.ico  16–256 px, embedded in the Windows .exe files by build.spec,
so Explorer, the taskbar and the window show the same picture. The SVG's 税 is
drawn in whatever font Qt resolves; the bundled CJK font is registered first (as
desktop.app does at start-up) so the character renders on a machine with no
Chinese font. tools/build_frozen.py runs this when app.ico is missing or older
than app.svg.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
SVG, PNG, ICO = ICONS / "app.svg", ICONS / "app.png", ICONS / "app.ico"
ICO_SIZES = [(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]


def render_png(svg: Path, png: Path, size: int = 256) -> None:
    """Rasterise ``svg`` to a transparent ``size`` × ``size`` PNG with the bundled CJK font available."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QFontDatabase, QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 (fonts need an application)
    for font in sorted((ROOT / "resources" / "fonts").glob("*.tt[fc]")):
        QFontDatabase.addApplicationFont(str(font))
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg}: not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    if not image.save(str(png)):
        raise SystemExit(f"cannot write {png}")


def main() -> int:
    if not SVG.exists():
        print(f"{SVG.relative_to(ROOT)} is missing: nothing to render", file=sys.stderr)
        return 1
    from PIL import Image

    render_png(SVG, PNG)
    with Image.open(PNG) as image:
        image.save(ICO, sizes=ICO_SIZES)  # Pillow shrinks the 256 px render for each size
    print(f"wrote {PNG.relative_to(ROOT)} and {ICO.relative_to(ROOT)} from {SVG.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
