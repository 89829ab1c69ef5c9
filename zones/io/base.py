"""Types shared by every parcel importer.

Every reader returns an :class:`ImportResult`: the parcels as a GeoDataFrame
(one row per parcel, Polygon/MultiPolygon geometry, attribute columns as read,
CRS set), the decisions it took (encoding, CRS and how it was decided), and the
per-record findings. Only a file that is unusable as a whole raises
:class:`ParcelImportError` (a subclass of :class:`zones.errors.InputError`),
whose message names the file and the problem.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np

from zones.errors import InputError
from zones.io.safety import MAX_MESSAGE, shown, shown_path


class ParcelImportError(InputError):
    """The whole file cannot be imported. ``str(err)`` is one line: file, (record,) problem."""

    code = "import"

    def __init__(self, source: str, problem: str, *, record: int | str | None = None):
        # One bounded line: user text (ids, cell values) and library text are escaped and cut here,
        # so no reader can put a terminal escape or an 800-character number on the officer's screen.
        source = shown_path(source)
        record = shown(record, 40) if isinstance(record, str) else record
        room = MAX_MESSAGE - len(source) - 2 - (len(f", record {record}") if record is not None else 0)
        super().__init__(source, shown(" ".join(str(problem).split()), max(room, 60)), record=record)


@dataclass(frozen=True)
class Finding:
    """One problem found in one record, reported without stopping the import.

    ``code`` is stable (e.g. ``empty_geometry``, ``not_polygon``, ``z_dropped``,
    ``repaired``, ``duplicate_id``, ``overlap``, ``far_from_zones``,
    ``area_mismatch``, ``open_ring``, ``self_intersection``, ``skipped``);
    ``severity`` is ``error`` (record skipped), ``warning`` (imported, look at it)
    or ``info``.
    """

    source: str
    record: int | str | None
    code: str
    message: str
    severity: str = "warning"

    def __post_init__(self):
        object.__setattr__(self, "source", shown_path(self.source))
        object.__setattr__(self, "message", shown(" ".join(str(self.message).split())))
        if isinstance(self.record, str):
            object.__setattr__(self, "record", shown(self.record, 60))

    @classmethod
    def many(cls, source: str, code: str, records: list, messages: list, severity: str = "warning", *,
             own_words: bool = False) -> list["Finding"]:
        """One finding per (record, message), made as the constructor makes them (the same
        escaping) but with the file name escaped once: a batch can report half a million.
        ``own_words``: every message is this program's own short text on one line, made of
        fixed words and numbers (nothing read from a file), so it is taken as it is."""
        source = shown_path(source)
        out: list[Finding] = []
        if own_words:
            new, append = object.__new__, out.append
            # Half a million new objects, none in a reference cycle: the cyclic collector would
            # run every few hundred of them and rescan the growing list, half the time here.
            collecting = gc.isenabled()
            gc.disable()
            try:
                for record, message in zip(records, messages):
                    finding = new(cls)
                    finding.__dict__.update(source=source, record=shown(record, 60) if isinstance(record, str) else record,
                                            code=code, message=message, severity=severity)
                    append(finding)
            finally:
                if collecting:
                    gc.enable()
            return out
        for record, message in zip(records, messages):
            finding = object.__new__(cls)      # frozen: fields set as the generated __init__ would
            finding.__dict__.update(source=source, record=shown(record, 60) if isinstance(record, str) else record,
                                    code=code, message=shown(" ".join(str(message).split())), severity=severity)
            out.append(finding)
        return out

    def __str__(self) -> str:
        where = self.source if self.record is None else f"{self.source}, record {self.record}"
        return shown(f"{where}: [{self.code}] {self.message}", MAX_MESSAGE)


class OverlapBlock:
    """The ``overlap`` findings of one check as columns: one per (record told, partner), in
    that order, the area stated where it was measured (NaN elsewhere). A batch of heavily
    overlapping parcels reports half a million of them, so they stay arrays until someone
    goes through them one by one; counting, the per-record flags and the findings file read
    the columns."""

    code = "overlap"
    severity = "warning"
    _CHUNK = 4096

    def __init__(self, source: str, told: np.ndarray, partner: np.ndarray, area: np.ndarray):
        self.source = shown_path(source)
        self.told = np.asarray(told, dtype=np.int64)
        self.partner = np.asarray(partner, dtype=np.int64)
        self.area = np.asarray(area, dtype=float)

    def __len__(self) -> int:
        return len(self.told)

    def messages(self, which=slice(None)) -> list[str]:
        """The messages of the findings ``which`` (a slice or positions), in this program's words."""
        partners = self.partner[which].tolist()
        words = [f"overlaps record {p}" for p in partners]
        area = self.area[which]
        for k in np.flatnonzero(~np.isnan(area)).tolist():     # the measured few state the area
            words[k] = f"overlaps record {partners[k]} by {area[k]:.2f} m²"
        return words

    def findings(self, start: int = 0, stop: int | None = None) -> list[Finding]:
        return Finding.many(self.source, self.code, self.told[start:stop].tolist(), self.messages(slice(start, stop)),
                            self.severity, own_words=True)

    def __iter__(self):
        for start in range(0, len(self), self._CHUNK):
            yield from self.findings(start, start + self._CHUNK)


class FindingList:
    """An importer's findings in order: plain :class:`Finding` objects and :class:`OverlapBlock`
    columns. It reads as a list of findings (iterate, count, index, append, extend, ``+``); the
    blocks are made into objects only when iterated or indexed."""

    def __init__(self, items=()):
        self.parts: list[list[Finding] | OverlapBlock] = []
        self.extend(items)

    def append(self, finding: Finding) -> None:
        if not self.parts or isinstance(self.parts[-1], OverlapBlock):
            self.parts.append([])
        self.parts[-1].append(finding)   # type: ignore[union-attr]  # a list: made just above

    def extend(self, items) -> None:
        if isinstance(items, FindingList):
            for part in items.parts:
                self.extend(part)
        elif isinstance(items, OverlapBlock):
            if len(items):
                self.parts.append(items)
        else:
            for f in items:
                self.append(f)

    def __iadd__(self, items) -> "FindingList":
        self.extend(items)
        return self

    def __add__(self, items) -> "FindingList":
        out = FindingList(self)
        out.extend(items)
        return out

    def __radd__(self, items) -> "FindingList":
        out = FindingList(items)
        out.extend(self)
        return out

    def __len__(self) -> int:
        return sum(len(part) for part in self.parts)

    def __bool__(self) -> bool:
        return any(len(part) for part in self.parts)

    def __iter__(self):
        for part in self.parts:
            yield from part

    def between(self, start: int, stop: int) -> list[Finding]:
        """``self[start:stop]`` as objects, made from a block's columns only for that stretch."""
        out: list[Finding] = []
        at = 0
        for part in self.parts:
            n = len(part)
            a, b = max(start - at, 0), min(stop - at, n)
            if a < b:
                out.extend(part.findings(a, b) if isinstance(part, OverlapBlock) else part[a:b])
            at += n
            if at >= stop:
                break
        return out

    def counts(self) -> dict[str, int]:
        """How many findings of each code, in the order they first come (blocks counted, not gone through)."""
        out: dict[str, int] = {}
        for part in self.parts:
            if isinstance(part, OverlapBlock):
                out[part.code] = out.get(part.code, 0) + len(part)
            else:
                for f in part:
                    out[f.code] = out.get(f.code, 0) + 1
        return out

    def with_code(self, code: str) -> list[Finding]:
        """The findings of one kind, in order (a block of another kind is not gone through)."""
        return [f for part in self.parts if not (isinstance(part, OverlapBlock) and part.code != code)
                for f in part if f.code == code]

    def __getitem__(self, at):
        if isinstance(at, int):               # one finding: made from its block alone
            k = at + len(self) if at < 0 else at
            for part in self.parts:
                if 0 <= k < len(part):
                    return part[k] if isinstance(part, list) else part.findings(k, k + 1)[0]
                k -= len(part)
            raise IndexError("finding index out of range")
        return list(self)[at]

    def __setitem__(self, at, value) -> None:
        if isinstance(at, slice) and at in (slice(None, 0, None), slice(0, 0, None)):   # res.findings[:0] = notes
            self.parts[:0] = [list(value)]
            return
        items = list(self)
        items[at] = value
        self.parts = [items]

    def __eq__(self, other) -> bool:
        if isinstance(other, (list, tuple, FindingList)):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None   # type: ignore[assignment]  # mutable, as a list

    def __repr__(self) -> str:
        return f"FindingList({list(self)!r})"


@dataclass(frozen=True)
class CrsDecision:
    """Which CRS the coordinates were taken to be in, and why.

    ``how`` is one of ``stated`` (the file says), ``override`` (the user said),
    ``inferred`` (guessed from the coordinates: ask the user to confirm),
    ``unknown``. ``swapped`` is True when X/Y were exchanged on reading.
    ``local_suspect`` flags probable Wenzhou local city coordinates, which are
    never converted silently. ``candidate`` is the system the coordinates would
    be in if they are not local (e.g. "EPSG:4549"), offered for confirmation;
    it is never applied by itself when ``crs`` is None.
    """

    crs: str | None
    how: str
    reason: str = ""
    swapped: bool = False
    local_suspect: bool = False
    candidate: str | None = None

    def __post_init__(self):
        object.__setattr__(self, "reason", shown(self.reason, 200))

    @property
    def needs_confirmation(self) -> bool:
        return self.how in ("inferred", "unknown") or self.local_suspect


def _rows_of(wanted: np.ndarray, index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(row of each wanted index value, whether it is there) in a frame's ``index``."""
    if index.dtype.kind in "iu" and bool((index[1:] > index[:-1]).all()):   # records in file order: a search
        rows = np.minimum(np.searchsorted(index, wanted), len(index) - 1)
        return rows, index[rows] == wanted
    position = {idx: k for k, idx in enumerate(index.tolist())}            # any other index: by a table
    rows = np.array([position.get(w, -1) for w in wanted.tolist()], dtype=np.int64)
    return rows, rows >= 0


@dataclass
class ImportResult:
    parcels: gpd.GeoDataFrame
    source: str
    layer: str | None = None
    encoding: str | None = None
    encoding_how: str | None = None      # "cpg", "ldid", "detected", "override", "utf-8 (format)"
    crs: CrsDecision | None = None
    findings: list[Finding] | FindingList = field(default_factory=FindingList)
    id_field: str | None = None           # the column holding parcel ids, if one was recognised
    declared_area_field: str | None = None

    def record_flags(self, prefixes: dict[str, str], *, first_only: bool = False) -> dict[int, list[tuple[str, str]]]:
        """Row position in ``parcels`` → [(flag, note)] for the findings whose code is a key of
        ``prefixes`` (the note is the prefix plus the finding's message). Records count from 1
        and ``parcels.index`` keeps each row's original position, so record r is index r − 1.
        ``first_only``: only the first note of each flag on a row — all the assessment keeps (it
        notes a flag once), and it spares a note per partner of a much-overlapped parcel."""
        index = self.parcels.index.to_numpy()
        if not len(index):
            return {}
        parts = self.findings.parts if isinstance(self.findings, FindingList) else [list(self.findings)]
        out: dict[int, list[tuple[str, str]]] = {}
        for part in parts:
            if isinstance(part, OverlapBlock):
                if part.code not in prefixes:
                    continue
                take = np.unique(part.told, return_index=True)[1] if first_only else np.arange(len(part))
                rows, found = _rows_of(part.told[take] - 1, index)
                keep = take[found]
                prefix, code = prefixes[part.code], part.code
                for row, words in zip(rows[found].tolist(), part.messages(keep)):
                    if first_only and row in out and any(c == code for c, _ in out[row]):
                        continue
                    out.setdefault(row, []).append((code, prefix + words))
                continue
            told = [f for f in part if f.code in prefixes and not isinstance(f.record, (str, type(None)))]
            if not told:
                continue
            wanted = np.array([int(f.record) - 1 for f in told], dtype=np.int64)  # type: ignore[arg-type]  # ints: numpy or Python
            rows, found = _rows_of(wanted, index)
            for f, row, ok in zip(told, rows.tolist(), found.tolist()):
                if ok and not (first_only and any(c == f.code for c, _ in out.get(row, ()))):
                    out.setdefault(row, []).append((f.code, prefixes[f.code] + f.message))
        return out

    @property
    def errors(self) -> list[Finding]:
        parts = self.findings.parts if isinstance(self.findings, FindingList) else [self.findings]
        return [f for part in parts if not (isinstance(part, OverlapBlock) and part.severity != "error")
                for f in part if f.severity == "error"]
