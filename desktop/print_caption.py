"""What a print, preview or PDF dialog says it will print: the one parcel's 宗地号 and
taxpayer, or "N 宗" with the first few — so the officer sees, before printing, that it is
the parcel highlighted in the table (the window shares one selection)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from zones.project import UNNUMBERED

#: Parcels named in a caption before "…".
SHOWN = 3


def _tr(text: str) -> str:
    return QCoreApplication.translate("PrintCaption", text)


def parcel_words(p) -> str:
    """'330302001001GB00001 温州某公司' (未编号 for a parcel without 宗地号; no taxpayer left out)."""
    who = p.get("taxpayer_name")
    return f"{p.get('parcel_no') or UNNUMBERED}" + (f" {who}" if who else "")


def parcels_caption(project, uids: list[str]) -> str:
    """'宗地 A 张三' for one parcel; '3 宗：A 张三、B 李四、C 王五' (then '…') for several."""
    parcels = [project.by_uid(u) for u in uids]
    if len(parcels) == 1:
        return _tr("parcel %1").replace("%1", parcel_words(parcels[0]))
    shown = _tr(", ").join(parcel_words(p) for p in parcels[:SHOWN]) + ("…" if len(parcels) > SHOWN else "")
    return _tr("%1 parcels: %2").replace("%1", str(len(parcels))).replace("%2", shown)


def dialog_title(action: str, project, uids: list[str]) -> str:
    """'打印 — 宗地 A 张三' (``action``: the dialog's own word, already translated)."""
    return f"{action} — {parcels_caption(project, uids)}"
