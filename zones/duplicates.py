"""Duplicate 宗地号 and 不动产单元号: two records naming the same parcel are taxed twice
if nobody notices. Ids are compared the way the reconciliation matches them
(:func:`zones.reconcile_registry.normalise_keys`: full-width → half-width, spaces
removed, upper case), so '330302 001001gb00001' and '330302001001GB00001' are one id.

Used by the command line (the per-record flag ``duplicate_id``), the desktop's import
(replace / keep both / skip) and its tables, panel and reports. Qt-free.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

#: The flag every record sharing an id with another one carries.
FLAG = "duplicate_id"
#: The two ids checked, with their names on paper.
KINDS = (("parcel_no", "宗地号"), ("unit_no", "不动产单元号"))


def id_key(value) -> str:
    """The comparable form of an id ('' for blank): NFKC, no white space, upper case."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value))).upper()


def duplicate_groups(values: Iterable) -> dict[str, list[int]]:
    """Normalised id → the positions (0-based) holding it, for ids held more than once."""
    seen: dict[str, list[int]] = {}
    for k, v in enumerate(values):
        key = id_key(v)
        if key:
            seen.setdefault(key, []).append(k)
    return {key: rows for key, rows in seen.items() if len(rows) > 1}


def duplicate_notes(columns: dict[str, Iterable], numbering: str = "record") -> dict[int, list[str]]:
    """Position → the notes of its duplicated ids. ``columns``: 'parcel_no' / 'unit_no' → the
    values in record order (either may be missing). ``numbering``: 'record' names the other
    records by number from 1 (a file), 'none' just says how many share it (a project)."""
    out: dict[int, list[str]] = {}
    for kind, name in KINDS:
        values = columns.get(kind)
        if values is None:
            continue
        values = list(values)
        for rows in duplicate_groups(values).values():
            for k in rows:
                text = str(values[k]).strip()
                if numbering == "record":
                    others = "、".join(str(r + 1) for r in rows if r != k)
                    out.setdefault(k, []).append(f"{name} {text} 与第 {others} 条记录重复")
                else:
                    out.setdefault(k, []).append(f"{name} {text} 共 {len(rows)} 宗地块使用")
    return out


def duplicate_flags(columns: dict[str, Iterable], numbering: str = "record") -> dict[int, list[tuple[str, str]]]:
    """Position → [(``duplicate_id``, note)], the form ``zones.assess.assess(record_flags=…)`` takes."""
    return {k: [(FLAG, "；".join(notes))] for k, notes in duplicate_notes(columns, numbering).items()}


def merge_flags(*maps: dict[int, list[tuple[str, str]]]) -> dict[int, list[tuple[str, str]]]:
    out: dict[int, list[tuple[str, str]]] = {}
    for m in maps:
        for k, pairs in m.items():
            out.setdefault(k, []).extend(pairs)
    return out


def project_duplicates(parcels) -> dict[str, str]:
    """uid → the note of a project's parcel whose 宗地号 or 不动产单元号 another parcel also has."""
    parcels = list(parcels)
    notes = duplicate_notes({kind: [p.get(kind) for p in parcels] for kind, _ in KINDS}, numbering="none")
    return {parcels[k].uid: "；".join(n) for k, n in notes.items()}


def clashes(existing, incoming) -> list[tuple[int, object, str]]:
    """The incoming records (position, record's attrs dict) whose 宗地号 or 不动产单元号 is already
    held by a parcel of ``existing``: [(position, the existing parcel, id kind name)], one per record."""
    held: dict[tuple[str, str], object] = {}
    for p in existing:
        for kind, _ in KINDS:
            key = id_key(p.get(kind))
            if key:
                held.setdefault((kind, key), p)
    out = []
    for k, attrs in enumerate(incoming):
        for kind, name in KINDS:
            key = id_key(attrs.get(kind))
            if key and (kind, key) in held:
                out.append((k, held[(kind, key)], name))
                break
    return out
