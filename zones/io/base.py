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


@dataclass
class ImportResult:
    parcels: gpd.GeoDataFrame
    source: str
    layer: str | None = None
    encoding: str | None = None
    encoding_how: str | None = None      # "cpg", "ldid", "detected", "override", "utf-8 (format)"
    crs: CrsDecision | None = None
    findings: list[Finding] = field(default_factory=list)
    id_field: str | None = None           # the column holding parcel ids, if one was recognised
    declared_area_field: str | None = None

    def record_flags(self, prefixes: dict[str, str]) -> dict[int, list[tuple[str, str]]]:
        """Row position in ``parcels`` → [(flag, note)] for the findings whose code is a key of
        ``prefixes`` (the note is the prefix plus the finding's message). Records count from 1
        and ``parcels.index`` keeps each row's original position, so record r is index r − 1."""
        told = [f for f in self.findings if f.code in prefixes and not isinstance(f.record, (str, type(None)))]
        index = self.parcels.index.to_numpy()
        if not told or not len(index):
            return {}
        wanted = np.array([int(f.record) - 1 for f in told], dtype=np.int64)  # type: ignore[arg-type]  # ints: numpy or Python
        if index.dtype.kind in "iu" and bool((index[1:] > index[:-1]).all()):   # records in file order: a search
            rows = np.minimum(np.searchsorted(index, wanted), len(index) - 1)
            found = index[rows] == wanted
        else:                                                     # any other index: by a table
            position = {idx: k for k, idx in enumerate(index.tolist())}
            rows = np.array([position.get(w, -1) for w in wanted.tolist()], dtype=np.int64)
            found = rows >= 0
        out: dict[int, list[tuple[str, str]]] = {}
        for f, row, ok in zip(told, rows.tolist(), found.tolist()):
            if ok:
                out.setdefault(row, []).append((f.code, prefixes[f.code] + f.message))
        return out

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]
