"""Refresh resources/translations/wztax_<lang>.ts from the desktop sources.

pyside6-lupdate misses strings passed through an alias (``t = self.tr``) and
inside f-strings, so this reads the sources with ``ast``: calls of ``self.tr``,
``t``/``tr``/``_tr`` and ``QCoreApplication.translate(context, text)`` with a
literal text. Existing translations are kept; new strings are added as
``unfinished``; translations of strings the scan does not find are kept as they are.

    python tools/update_translations.py [zh_CN]
"""

from __future__ import annotations

import ast
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [p for p in (ROOT / "desktop").rglob("*.py") if "map" not in p.relative_to(ROOT / "desktop").parts[:1]]


def extract() -> dict[str, list[tuple[str, Path, int]]]:
    """context → [(text, file, line)]"""
    out: dict[str, list] = {}
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module_ctx = path.stem

        def visit(node, ctx):
            for child in ast.iter_child_nodes(node):
                c = child.name if isinstance(child, ast.ClassDef) else ctx
                if isinstance(child, ast.Call):
                    f = child.func
                    name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
                    args = child.args
                    if name in ("tr", "t", "_tr") and args and isinstance(args[0], ast.Constant) and isinstance(args[0].value, str):
                        out.setdefault(ctx, []).append((args[0].value, path, child.lineno))
                    elif name == "translate" and len(args) >= 2 and all(isinstance(a, ast.Constant) for a in args[:2]):
                        out.setdefault(args[0].value, []).append((args[1].value, path, child.lineno))
                visit(child, c)

        visit(tree, module_ctx)
    return out


def update(lang: str) -> Path:
    ts = ROOT / "resources" / "translations" / f"wztax_{lang}.ts"
    old: dict[tuple[str | None, str | None], str] = {}
    by_text: dict[str | None, str] = {}
    ctx: ET.Element | None       # the loop variables below meet names and texts a file may lack
    ctx_name: str | None
    text: str | None
    if ts.exists():
        for ctx in ET.parse(ts).getroot().iter("context"):
            for m in ctx.iter("message"):
                t = m.find("translation")
                if t is not None and t.text and t.text.strip():
                    old[(ctx.findtext("name"), m.findtext("source"))] = t.text
                    by_text.setdefault(m.findtext("source"), t.text)
    root = ET.Element("TS", version="2.1", language=lang)
    missing = 0
    for ctx_name, items in sorted(extract().items()):
        ctx = ET.SubElement(root, "context")
        ET.SubElement(ctx, "name").text = ctx_name
        seen = set()
        for text, path, line in items:
            if text in seen:
                continue
            seen.add(text)
            m = ET.SubElement(ctx, "message")
            ET.SubElement(m, "location", filename=str(path.relative_to(ts.parent, walk_up=True)) if sys.version_info >= (3, 12)
                          else "../../" + str(path.relative_to(ROOT)), line=str(line))
            ET.SubElement(m, "source").text = text
            tr = old.get((ctx_name, text)) or by_text.get(text)
            el = ET.SubElement(m, "translation")
            if tr:
                el.text = tr
            else:
                el.set("type", "unfinished")
                missing += 1
    # Keep translations of strings this scan does not see (labels built in tables such as the
    # coordinate systems' names, looked up with translate(context, label) at run time): dropping
    # them would silently put English back into the Chinese interface.
    emitted = {(c.findtext("name"), m.findtext("source")) for c in root.iter("context") for m in c.iter("message")}
    kept: dict[str | None, list] = {}
    for (ctx_name, text), tr in old.items():
        if (ctx_name, text) not in emitted:
            kept.setdefault(ctx_name, []).append((text, tr))
    for ctx_name, pairs in sorted(kept.items()):
        ctx = next((c for c in root.iter("context") if c.findtext("name") == ctx_name), None)
        if ctx is None:
            ctx = ET.SubElement(root, "context")
            ET.SubElement(ctx, "name").text = ctx_name
        for text, tr in pairs:
            m = ET.SubElement(ctx, "message")
            ET.SubElement(m, "source").text = text
            ET.SubElement(m, "translation").text = tr
    ET.indent(root)
    ts.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + ET.tostring(root, encoding="unicode") + "\n",
                  encoding="utf-8")
    print(f"{ts}: {missing} unfinished")
    return ts


if __name__ == "__main__":
    update(sys.argv[1] if len(sys.argv) > 1 else "zh_CN")
