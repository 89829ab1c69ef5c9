"""Draw the application icon: resources/icons/app.png (256 px) and app.ico (16–256 px).

The icon is a map tile cut into the three land grades (一级/二级/三级 in the map's
grade colours) with 税 over it, drawn with the bundled CJK font so it renders the
same on every machine. Run from the repository root:

    python tools/make_app_icon.py           # writes only the files that are missing
    python tools/make_app_icon.py --force   # redraws both

The Windows executables take app.ico (build.spec); Qt's window icon takes app.png.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
FONT = ROOT / "resources" / "fonts" / "WenQuanYiMicroHei.ttf"
#: Grade 1 / 2 / 3 fill colours, darkest for the dearest grade.
GRADE_COLOURS = ("#b2182b", "#ef8a62", "#fddbc7")
ICO_SIZES = [(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]


def draw(size: int = 256) -> Image.Image:
    """The icon as an RGBA image of size × size pixels."""
    scale = 4  # draw large and shrink, for smooth edges
    big = size * scale
    img = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    radius = big // 8
    # three bands, clipped to a rounded square by the mask below
    bands = Image.new("RGBA", (big, big))
    bd = ImageDraw.Draw(bands)
    edges = [0, big * 2 // 5, big * 7 // 10, big]
    for colour, top, bottom in zip(GRADE_COLOURS, edges, edges[1:]):
        bd.polygon([(0, top), (big, top - big // 10), (big, bottom - big // 10), (0, bottom)], fill=colour)
    bd.rectangle([0, big - big // 10, big, big], fill=GRADE_COLOURS[-1])
    mask = Image.new("L", (big, big), 0)
    ImageDraw.Draw(mask).rounded_rectangle([0, 0, big - 1, big - 1], radius=radius, fill=255)
    img.paste(bands, (0, 0), mask)
    d.rounded_rectangle([0, 0, big - 1, big - 1], radius=radius, outline="#5a1010", width=big // 40)
    font = ImageFont.truetype(str(FONT), int(big * 0.62))
    d.text((big / 2, big / 2), "税", font=font, fill="white", anchor="mm", stroke_width=big // 48, stroke_fill="#5a1010")
    return img.resize((size, size), Image.LANCZOS)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--force", action="store_true", help="redraw even if the files exist")
    args = p.parse_args(argv)
    ICONS.mkdir(parents=True, exist_ok=True)
    png, ico = ICONS / "app.png", ICONS / "app.ico"
    image = draw(256)
    if args.force or not png.exists():
        image.save(png)
        print(f"wrote {png.relative_to(ROOT)}")
    if args.force or not ico.exists():
        image.save(ico, sizes=ICO_SIZES)
        print(f"wrote {ico.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
