"""How the recovery prompt names a copy: its project's name and the local time it was saved."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QDateTime, QLocale


def saved_at_text(iso: str) -> str:
    """'2026-12-02T14:09:45' (local time, as the recovery copy records it) in the user's
    words: '2026年12月2日 14:09' in Chinese, '2 December 2026 14:09' in English."""
    try:
        when = datetime.fromisoformat(str(iso))
    except ValueError:
        return str(iso)
    qt = QDateTime(when.year, when.month, when.day, when.hour, when.minute, when.second)
    locale = QLocale()
    fmt = "yyyy年M月d日 HH:mm" if locale.language() == QLocale.Language.Chinese else "d MMMM yyyy HH:mm"
    return locale.toString(qt, fmt)


def project_name(original: str | None, untitled: str) -> str:
    """The project file's name without its folder (and “.gpkg”), or ``untitled``."""
    if not original:
        return untitled
    name = Path(original).name
    return name[:-5] if name.lower().endswith(".gpkg") else name
