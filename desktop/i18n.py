"""Languages: Chinese (zh_CN, the default) and English (the source strings).

GUI strings are written in English with ``self.tr()`` and translated by Qt
Linguist files ``resources/translations/wztax_<lang>.ts`` (refreshed with
``pyside6-lupdate``). The .ts XML is read directly at run time by
:class:`TsTranslator` — no compiled .qm is committed or needed. Qt's own
``qtbase_zh_CN.qm`` (standard buttons: 确定/取消…) is loaded from PySide6.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path

import PySide6
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from zones.resources import resources_root

LANGUAGES = {"zh_CN": "中文", "en": "English"}
DEFAULT = "zh_CN"


def ts_path(lang: str) -> Path:
    return resources_root() / "translations" / f"wztax_{lang}.ts"


class TsTranslator(QTranslator):
    """A translator reading a Qt Linguist .ts file. Unfinished/empty translations fall
    back to the source text; a string missing from its context is looked up by text alone."""

    def __init__(self, path: Path, parent=None) -> None:
        super().__init__(parent)
        self.by_context: dict[tuple[str, str], str] = {}
        self.by_text: dict[str, str] = {}
        root = ET.parse(path).getroot()
        for ctx in root.iter("context"):
            name = ctx.findtext("name") or ""
            for msg in ctx.iter("message"):
                src = msg.findtext("source")
                tr = msg.find("translation")
                if src is None or tr is None or not tr.text or not tr.text.strip() or tr.get("type") in ("obsolete", "vanished"):
                    continue
                self.by_context[(name, src)] = tr.text
                self.by_text.setdefault(src, tr.text)

    def translate(self, context, source_text, disambiguation=None, n=-1):  # noqa: N802 (Qt signature)
        if source_text is None:
            return None
        hit = self.by_context.get((context, source_text)) or self.by_text.get(source_text)
        return hit if hit is not None else None

    def isEmpty(self) -> bool:  # noqa: N802
        return not self.by_text


_installed: list[QTranslator] = []
_current = "en"


def current_language() -> str:
    return _current


def set_language(lang: str) -> str:
    """Install the translators for ``lang`` (zh_CN or en) on the running application."""
    global _current
    app = QCoreApplication.instance()
    assert app is not None       # called once the application exists
    for t in _installed:
        app.removeTranslator(t)
    _installed.clear()
    lang = lang if lang in LANGUAGES else DEFAULT
    if lang != "en":
        path = ts_path(lang)
        if path.exists():
            t = TsTranslator(path, app)
            app.installTranslator(t)
            _installed.append(t)
        qt = QTranslator(app)
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if not os.path.exists(os.path.join(qt_dir, f"qtbase_{lang}.qm")):
            qt_dir = os.path.join(os.path.dirname(PySide6.__file__), "Qt", "translations")
        if qt.load(f"qtbase_{lang}", qt_dir):
            app.installTranslator(qt)
            _installed.append(qt)
        QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    else:
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    _current = lang
    return lang


def is_chinese() -> bool:
    return _current.startswith("zh")
