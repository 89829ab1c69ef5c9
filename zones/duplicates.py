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
from collections import Counter
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
    text = str(value)
    if text.isascii():          # the common case, 5× faster: NFKC leaves ASCII as it is
        return "".join(text.split()).upper()
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).upper()


def id_keys(texts: list[str]) -> list[str]:
    """:func:`id_key` of many texts (strings, '' for none) at once, in a few passes of C code
    over one joined string: NFKC and white space never reach across the NUL separators."""
    if not texts:
        return []
    joined = "\0".join(texts)
    if joined.isascii():      # the common case: bytes.translate drops white space at C speed
        return joined.encode("ascii").translate(None, b" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f").upper() \
            .decode("ascii").split("\0")
    return _SPACE.sub("", unicodedata.normalize("NFKC", joined)).upper().split("\0")


_SPACE = re.compile(r"[^\S\0]+")      # white space, not the separator


def duplicate_groups(values: Iterable) -> dict[str, list[int]]:
    """Normalised id → the positions (0-based) holding it, for ids held more than once."""
    values = values if isinstance(values, list) else list(values)
    keys = None
    if all(type(v) is str for v in values):      # a text column: all keys in one pass of C code
        keys = id_keys(values)
        if len(keys) != len(values):             # a NUL inside an id: one by one
            keys = None
    if keys is None:
        keys = [id_key(v) for v in values]
    if len(set(keys)) == len(keys):              # the common case: no id twice (a batch of a million)
        return {}
    seen: dict[str, list[int]] = {}
    for k, key in enumerate(keys):
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


def clashes(existing, incoming) -> list[tuple[int, list, str]]:
    """The incoming records (attrs dicts, in order) whose 宗地号 or 不动产单元号 a parcel of
    ``existing`` already has: [(position, [every such existing parcel], the ids in words)]."""
    held: dict[tuple[str, str], list] = {}
    for p in existing:
        for kind, _ in KINDS:
            key = id_key(p.get(kind))
            if key:
                held.setdefault((kind, key), []).append(p)
    out = []
    for k, attrs in enumerate(incoming):
        found: list = []
        words: list[str] = []
        for kind, name in KINDS:
            key = id_key(attrs.get(kind))
            if key and (kind, key) in held:
                found += [p for p in held[(kind, key)] if all(p.uid != q.uid for q in found)]
                words.append(f"{name} {str(attrs.get(kind)).strip()}")
        if found:
            out.append((k, found, "、".join(words)))
    return out

class DuplicateIndex:
    """Which parcels of a project share a 宗地号 or 不动产单元号, kept up to date parcel by
    parcel (an edit costs O(parcels sharing its ids), not O(project)). Built lazily on first
    use, with dict/Counter built-ins, so a district's 100,000 parcels cost a fraction of a
    second once and opening a project costs nothing until something asks."""

    def __init__(self, project=None) -> None:
        self.reset(project)

    def reset(self, project) -> None:
        """Another project (or every parcel changed): rebuilt on the next question."""
        self.project, self._built = project, False
        self._keys: dict[str, tuple[str, ...]] = {}             # uid → its normalised ids, one per kind ('' none)
        self._single: dict[str, dict[str, str]] = {kind: {} for kind, _ in KINDS}        # key held once → uid
        self._shared: dict[str, dict[str, set[str]]] = {kind: {} for kind, _ in KINDS}   # key held often → uids

    def _ensure(self) -> None:
        if self._built or self.project is None:
            return
        self._built = True
        ps = self.project.parcels
        uids = [p.uid for p in ps]
        columns = [id_keys([p.attrs.get(kind) or "" for p in ps]) for kind, _ in KINDS]
        self._keys = dict(zip(uids, zip(*columns)))
        for (kind, _), col in zip(KINDS, columns):
            single = dict(zip(col, uids))
            single.pop("", None)
            if len(single) < len(col) - col.count(""):          # some key is held more than once
                many = {k for k, c in Counter(col).items() if c > 1 and k}
                shared = self._shared[kind]
                for k, u in zip(col, uids):
                    if k in many:
                        shared.setdefault(k, set()).add(u)
                for k in many:
                    del single[k]
            self._single[kind] = single

    def _pairs(self, uid: str):
        return [(kind, key) for (kind, _), key in zip(KINDS, self._keys.get(uid, ())) if key]

    def _drop(self, uid: str) -> list[tuple[str, str]]:
        pairs = self._pairs(uid)
        self._keys.pop(uid, None)
        for kind, key in pairs:
            shared, single = self._shared[kind], self._single[kind]
            held = shared.get(key)
            if held is not None:
                held.discard(uid)
                if len(held) == 1:
                    single[key] = held.pop()
                    del shared[key]
            elif single.get(key) == uid:
                del single[key]
        return pairs

    def _add(self, p) -> list[tuple[str, str]]:
        self._keys[p.uid] = tuple(id_key(p.get(kind)) for kind, _ in KINDS)
        pairs = self._pairs(p.uid)
        for kind, key in pairs:
            shared, single = self._shared[kind], self._single[kind]
            if key in shared:
                shared[key].add(p.uid)
            elif single.get(key, p.uid) != p.uid:
                shared[key] = {single.pop(key), p.uid}
            else:
                single[key] = p.uid
        return pairs

    def _holders(self, pair) -> set[str]:
        kind, key = pair
        held = self._shared[kind].get(key)
        if held is not None:
            return held
        return {self._single[kind][key]} if key in self._single[kind] else set()

    def update(self, uids) -> set[str]:
        """Re-read the parcels ``uids`` (gone ones are dropped). Returns the other parcels whose
        duplicate state may have changed with them (to be shown again); empty when not built."""
        if not self._built:
            return set()
        touched: set[tuple[str, str]] = set()
        for uid in uids:
            touched.update(self._drop(uid))
            if uid in self.project:
                touched.update(self._add(self.project.by_uid(uid)))
        others = set().union(*(self._holders(k) for k in touched)) if touched else set()
        return others - set(uids)

    def note(self, uid: str, kind: str | None = None) -> str:
        """'宗地号 X 共 2 宗地块使用' (and the same for 不动产单元号), '' when the ids are its own;
        ``kind`` ('parcel_no' / 'unit_no'): that id only."""
        self._ensure()
        parts = []
        names = dict(KINDS)
        for kind_, key in self._pairs(uid):
            if kind is not None and kind_ != kind:
                continue
            n = len(self._shared[kind_].get(key, ()))
            if n > 1:
                shown = self.project.by_uid(uid).get(kind_)
                parts.append(f"{names[kind_]} {shown} 共 {n} 宗地块使用")
        return "；".join(parts)

    def uids(self) -> set[str]:
        """Every parcel sharing an id with another one."""
        self._ensure()
        return {u for shared in self._shared.values() for held in shared.values() for u in held}
