#!/usr/bin/env python3
"""Build the reports' fallback CJK fonts ``resources/fonts/HanaMinExtA.ttf`` and ``HanaMinExtB.ttf``.

The bundled WenQuanYi Micro Hei covers the CJK Unified Ideographs but only 2 of the 6,592 Extension A
characters and none of Extension B, which household registers and certificates use for names
(刘䶮, 王𠀀明). The fallback is the Hanazono font (花園明朝, GlyphWiki project; Hanazono Font License —
free use, copy and distribution, with or without modification — or SIL OFL 1.1, see
``resources/fonts/HANAZONO-LICENSE.txt``), Debian package ``fonts-hanazono``, cut down to:

- ``HanaMinExtA.ttf``: CJK Extension A (U+3400–U+4DBF) from HanaMinA, plus the Extension B
  characters that only HanaMinA has (~4.7 MB);
- ``HanaMinExtB.ttf``: CJK Extension B (U+20000–U+2A6DF) from HanaMinB (~22 MB).

Reports embed only the glyphs they print (a subset), so a report grows by a few KB per rare name.

    apt-get install fonts-hanazono && python tools/build_fallback_font.py [--source DIR] [--output DIR]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXT_A = range(0x3400, 0x4DC0)
EXT_B = range(0x20000, 0x2A6E0)
DEFAULT_SOURCE = Path("/usr/share/fonts/truetype/hanazono")
OUTPUT = Path(__file__).resolve().parents[1] / "resources" / "fonts"


def subset(src: Path, unicodes: list[int], out: Path, family: str) -> int:
    from fontTools import subset as fsub
    from fontTools.ttLib import TTFont

    opts = fsub.Options()
    opts.layout_features = []      # plain ideographs: no shaping needed
    opts.hinting = False
    opts.notdef_outline = True
    opts.name_IDs = [0, 7, 13, 14]  # copyright, trademark, licence, licence URL kept
    font = TTFont(src)
    s = fsub.Subsetter(opts)
    s.populate(unicodes=unicodes)
    s.subset(font)
    name = font["name"]
    for nid, value in ((1, family), (2, "Regular"), (3, f"{family} (subset of {src.stem})"), (4, family),
                       (6, family.replace(" ", ""))):
        name.setName(value, nid, 3, 1, 0x409)
    font.save(out)
    return len(font.getBestCmap())


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="folder with HanaMinA.ttf and HanaMinB.ttf")
    ap.add_argument("--output", type=Path, default=OUTPUT)
    args = ap.parse_args(argv)
    from fontTools.ttLib import TTFont

    a, b = args.source / "HanaMinA.ttf", args.source / "HanaMinB.ttf"
    for f in (a, b):
        if not f.exists():
            print(f"error: {f} not found (apt-get install fonts-hanazono, or --source)", file=sys.stderr)
            return 2
    in_b = set(TTFont(b, lazy=True).getBestCmap())
    in_a = set(TTFont(a, lazy=True).getBestCmap())
    only_a_ext_b = [c for c in EXT_B if c in in_a and c not in in_b]
    args.output.mkdir(parents=True, exist_ok=True)
    na = subset(a, [c for c in EXT_A if c in in_a] + only_a_ext_b, args.output / "HanaMinExtA.ttf", "WZ HanaMin ExtA")
    nb = subset(b, [c for c in EXT_B if c in in_b], args.output / "HanaMinExtB.ttf", "WZ HanaMin ExtB")
    print(f"HanaMinExtA.ttf: {na} characters; HanaMinExtB.ttf: {nb} characters")
    return 0


if __name__ == "__main__":
    sys.exit(main())
