"""The project: the document store of the application — parcels indexed by id with
their 税源明细 attributes, the stored assessment results (with their grade pieces and
provenance), review marks (复核) and the append-only audit log.

Qt-free. The desktop, the command line's project commands and the reports read it;
the desktop's undo commands change it only through the mutators below.

The store interface
-------------------
- parcels: ``parcels`` (in order), ``by_uid(uid)``, ``index_of(uid)`` (O(1): a dict
  rebuilt lazily after inserts/removals), ``len()``;
- mutators, each returning an :class:`Op` that says exactly which parcels changed:
  ``insert`` / ``remove`` (exact inverses), ``put`` (put a snapshot back: undo/redo),
  ``edit`` (attributes and/or outline), ``mark_reviewed`` (复核), ``set_results``;
- results: ``results`` (uid → :class:`StoredResult`), ``current_result(uid)``,
  ``stale()`` — the parcels whose result is missing or computed from other inputs.
  Fingerprints are cached per parcel snapshot and the stale set is kept up to date by
  the mutators, so ``stale()`` costs O(changed parcels), not O(n);
- audit: ``audit`` (:class:`zones.audit.AuditLog`), ``history(uid)``;
- persistence: a back end with ``load() -> Project`` and ``save(project)``
  (:mod:`zones.store`; the GeoPackage project file, :mod:`zones.project_file`, is the first).

Parcels are immutable snapshots: a mutator replaces a snapshot, so an undo restores
geometry, attributes and review mark exactly — while the audit log only grows (undo
adds an ``undo`` event). A review mark names the result it approved (the result's
:attr:`StoredResult.key`): a parcel whose result changed in any way is not reviewed,
whatever snapshot undo/redo put back.

Geometry is held in the project CRS (EPSG:4549, CGCS2000 3° GK zone 40 without zone
prefix; metres). Attributes are named by :mod:`zones.schema`.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from typing import Any, Callable

from zones.audit import AuditLog, Event
from zones.errors import InputError, RuleError
from zones.periods import (
    ACQUISITION_RULES,
    AcquisitionCase,
    TaxPeriod,
    YearMonth,
    first_liable_month,
    first_month_after_acquisition,
)
from zones.reliefs import ReliefClaim
from zones.results import ZERO, ParcelResult
from zones.schema import (  # noqa: F401
    ACQUISITION_MODES,
    CHANGE_TYPES,
    FIELD_BY_KEY,
    LAND_NATURES,
    LAND_USES,
    PROJECT_FIELDS,
    TAXPAYER_TYPES,
    TERMINATION,
    Field,
    clean_text,
    column_plan,
    key_of_column,
    parse_area,
    parse_bool,
    parse_month,
    parse_relief_codes,
)
from zones.tax import TAX_BASE_ROUNDED, ParcelTerms, TaxOptions

PROJECT_CRS = "EPSG:4549"
#: What a parcel without a 宗地号 (drawn, and its number skipped) is called on screen and on paper.
UNNUMBERED = "未编号"

#: The project's attribute columns (the schema's project fields).
FIELDS: tuple[Field, ...] = PROJECT_FIELDS
FIELD_KEYS = tuple(f.key for f in FIELDS)
#: Results kept for snapshots no longer current, so undo/redo find theirs without re-assessing.
RESULT_CACHE = 4096

#: A view of the audit log for one parcel: (when, who, what).
HistoryEntry = Event


@dataclass(frozen=True)
class Review:
    """复核: who approved which result (``result``: the :attr:`StoredResult.key`) and when."""

    reviewer: str
    when: str
    result: str = ""


@dataclass(frozen=True)
class Source:
    """Where a parcel came from: ``kind`` import | drawn | typed; an import names its
    file and the file's SHA-256; drawn or typed parcels the operator and the time."""

    kind: str
    operator: str = ""
    when: str = ""
    file: str = ""
    sha256: str | None = None
    what: str = ""          # the entry in words (导入自 …, 绘制地块, 录入界址点坐标)

    def as_dict(self) -> dict:
        return {"kind": self.kind, "operator": self.operator, "when": self.when, "file": self.file,
                "sha256": self.sha256, "what": self.what}

    @classmethod
    def from_dict(cls, d: dict) -> Source:
        return cls(str(d.get("kind") or "unknown"), str(d.get("operator") or ""), str(d.get("when") or ""),
                   str(d.get("file") or ""), d.get("sha256") or None, str(d.get("what") or ""))


@dataclass(frozen=True)
class Parcel:
    """One parcel (immutable snapshot). ``attrs`` maps FIELD_KEYS to text ('' = empty);
    reliefs are a JSON list of claims. ``geometry``: shapely polygon, EPSG:4549.
    ``import_flags``: (flag, note) pairs the importer established for this outline, e.g.
    ("repaired", …) when the file's outline was invalid and repaired on reading — the stored
    geometry is the repaired one, so the assessment cannot see it any more. A user edit of
    the outline is a deliberate new outline and clears them. ``source``: where it came from."""

    uid: str
    geometry: Any
    attrs: dict = field(default_factory=dict)
    review: Review | None = None
    entered_by: str = ""
    source: Source | None = None
    import_flags: tuple[tuple[str, str], ...] = ()
    #: 点号 as typed or imported, one per point in the outline's order (zones.point_names); () → J1, J2 …
    point_names: tuple[str, ...] = ()

    def get(self, key: str) -> str:
        return self.attrs.get(key, "") or ""

    @property
    def label(self) -> str:
        """The 宗地号, or 未编号: never an internal id an officer cannot look up."""
        return self.attrs.get("parcel_no") or UNNUMBERED      # get()'s work, a call less (100,000 labels)


def new_uid() -> str:
    return uuid.uuid4().hex[:12]


def now_text() -> str:
    return datetime.now().isoformat(timespec="seconds")


#: json.dumps(…, sort_keys=True, ensure_ascii=False) made once: dumps with options builds an encoder per call
_ATTRS_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode
_FLAGS_JSON = json.JSONEncoder(ensure_ascii=False).encode
#: what that encoder writes for one text (ensure_ascii=False): the same C function
_JSON_TEXT = json.encoder.encode_basestring


def attrs_json(attrs: dict) -> str:
    """``_ATTRS_JSON(attrs)``, the same text, in half the time for the usual map of texts to texts
    (a district's 100,000 fingerprints are made when its project opens); anything else goes
    through the encoder."""
    try:
        return "{" + ", ".join([_JSON_TEXT(k) + ": " + _JSON_TEXT(v) for k, v in sorted(attrs.items())]) + "}"
    except TypeError:      # a value or key that is not text, or keys that do not sort
        return _ATTRS_JSON(attrs)


def fingerprint(p: Parcel, context: str = "") -> str:
    """What a result depends on: the outline, the attributes (not the review mark) and the
    ``context`` (zone set, rates and period the result was computed for)."""
    return _fingerprint(context.encode(), p.geometry.wkb if p.geometry is not None else b"", p)


def fingerprints(parcels, context: str = "", attrs_texts: dict | None = None) -> list[str]:
    """:func:`fingerprint` of many parcels, the outlines' WKB made in one vectorised call
    (the same bytes as ``geometry.wkb``). ``attrs_texts``: uid → (snapshot, its outline's
    WKB as read or None, its ``attrs_json(attrs).encode()``) made ahead in bulk from a
    project file's columns (:func:`zones.project_file._attrs_texts`), used for exactly those
    snapshots."""
    import numpy as np
    import shapely

    ctx = context.encode()
    if not attrs_texts:
        geoms = np.empty(len(parcels), dtype=object)
        geoms[:] = [p.geometry for p in parcels]
        return [_fingerprint(ctx, w if w is not None else b"", p)
                for w, p in zip(shapely.to_wkb(geoms).tolist(), parcels)]
    parcels = list(parcels)
    known = [t if (t := attrs_texts.get(p.uid)) is not None and t[0] is p else None for p in parcels]
    wkbs: list = [t[1] if t is not None else None for t in known]
    todo = [k for k, w in enumerate(wkbs) if w is None]
    if todo:
        geoms = np.empty(len(todo), dtype=object)
        geoms[:] = [parcels[k].geometry for k in todo]
        for k, w in zip(todo, shapely.to_wkb(geoms).tolist()):
            wkbs[k] = w if w is not None else b""
    return [_fingerprint(ctx, w, p, t[2] if t is not None else None) for w, p, t in zip(wkbs, parcels, known)]


def _fingerprint(context: bytes, wkb: bytes, p: Parcel, attrs_text: bytes | None = None) -> str:
    h = hashlib.sha256(context)
    h.update(wkb)
    h.update(attrs_json(p.attrs).encode() if attrs_text is None else attrs_text)
    if p.import_flags:   # only when present, so parcels without them keep their old fingerprints
        h.update(_FLAGS_JSON([list(x) for x in p.import_flags]).encode())
    return h.hexdigest()[:16]


# ------------------------------------------------------------------ terms

def reliefs_of(p: Parcel) -> list[ReliefClaim]:
    text = p.get("reliefs")
    if not text:
        return []
    try:
        items = json.loads(text)
    except ValueError:
        raise RuleError(f"parcel {p.label}: relief list is not readable") from None
    out = []
    for it in items:
        out.append(ReliefClaim(
            code=str(it["code"]),
            area_m2=Decimal(str(it["area_m2"])) if it.get("area_m2") not in (None, "") else None,
            first=YearMonth.parse(it["first"]) if it.get("first") else None,
            last=YearMonth.parse(it["last"]) if it.get("last") else None,
        ))
    return out


def reliefs_text(claims: list[dict]) -> str:
    """The stored form of a relief list: [{code, area_m2, first, last}, …] as JSON."""
    return json.dumps(claims, ensure_ascii=False) if claims else ""


def acquisition_case(p: Parcel) -> AcquisitionCase:
    try:
        return AcquisitionCase(p.get("acquisition_case") or AcquisitionCase.OTHER_NEXT_MONTH.value)
    except ValueError:
        return AcquisitionCase.OTHER_NEXT_MONTH


def first_liable(p: Parcel) -> tuple[YearMonth | None, str]:
    """First liable month and the rule in words: the month entered as 应税起始月份, else
    the one that follows from 土地取得时间 and the acquisition case."""
    if p.get("liable_from"):
        return YearMonth.parse(p.get("liable_from")), "按录入的应税起始月份"
    if not p.get("acquired"):
        return None, ""
    if not p.get("acquisition_case") and p.get("acquisition_mode"):
        # 取得方式 (出让/划拨/转让/租赁/征用…) decides the start when no finer 取得情形 is given;
        # a free-text mode the rules do not know falls back to the 次月 rule below
        try:
            return first_month_after_acquisition(p.get("acquired"), p.get("acquisition_mode"))
        except RuleError:
            pass
    case = acquisition_case(p)
    return first_liable_month(YearMonth.parse(p.get("acquired")), case), ACQUISITION_RULES[case]


#: The attributes :func:`terms_of` reads.
TERMS_KEYS = ("liable_from", "acquired", "acquisition_case", "acquisition_mode", "change_type", "change_month",
              "declared_area", "small_taxpayer", "reliefs")


def terms_of(p: Parcel) -> ParcelTerms:
    """The parcel's attributes as the tax rules read them (parsed by :mod:`zones.schema`,
    as the command line parses them). Raises RuleError on unreadable values."""
    try:
        first, rule = first_liable(p)
        last = None
        if p.get("change_type").startswith("纳税义务终止") and p.get("change_month"):
            last = YearMonth.parse(p.get("change_month"))   # liability ends at the end of that month
        declared = parse_area(p.get("declared_area"))
        small = bool(parse_bool(p.get("small_taxpayer")))
    except RuleError as exc:
        raise RuleError(f"parcel {p.label}: {exc}") from None
    return ParcelTerms(declared_area_m2=declared, liable_from=first, liable_to=last, start_rule=rule or None,
                       small_taxpayer=small, reliefs=tuple(reliefs_of(p)))


# ---------------------------------------------------------------- results

#: json.dumps(…, ensure_ascii=False, default=str), the encoder made once
_RESULT_JSON = json.JSONEncoder(ensure_ascii=False, default=str).encode


class _Codec:
    """The project file's result ⇄ JSON functions, imported once (zones.project_file imports
    this module; an import inside a hot method costs, with PySide6's import hook, microseconds a call)."""

    from_dict: Any = None
    to_dict: Any = None


def _codec() -> type[_Codec]:
    if _Codec.from_dict is None:
        from zones.project_file import result_from_dict, result_to_dict
        _Codec.from_dict, _Codec.to_dict = staticmethod(result_from_dict), staticmethod(result_to_dict)
    return _Codec

class StoredResult:
    """A parcel's result, the fingerprint of the inputs it came from, its provenance
    (zone set, rules, period, and the parcel's own source: file + SHA-256, or operator +
    time) and its grade pieces ((grade, polygon in the zone set's CRS), …) for the map
    and the report, so neither assesses the parcel again.

    Read from a project file, the result and provenance stay JSON text until first used
    (opening a district's project parses none of them; the amount due comes from its own
    column), and that text is written back unchanged by the next save."""

    __slots__ = ("_due", "_flags", "_key", "_provenance", "_provenance_text", "_result", "_result_text", "_row",
                 "_texts", "fingerprint", "pieces")

    def __init__(self, result: ParcelResult | None, fingerprint: str, provenance: dict | None, pieces: tuple = (),
                 *, result_text: str | None = None, provenance_text: str | None = None,
                 due: Decimal | None = None, flags: tuple[str, ...] | None = None, key: str | None = None) -> None:
        self._result, self._result_text = result, result_text
        self.fingerprint = fingerprint
        self._provenance, self._provenance_text = provenance, provenance_text
        self.pieces = tuple(pieces)
        self._due, self._flags = due, flags
        self._key = key
        self._texts: Any = None      # read from a project file: the Arrow column holding its JSON, row _row

    def read_from(self, texts, row: int) -> StoredResult:
        """The result's JSON is row ``row`` of the Arrow text column ``texts`` (a project file's):
        it becomes a Python text only when the result is first read — opening a district's
        project makes none of its 100,000 (seconds of memory writes, 130 MB) — and a save
        takes the column's rows as they are (:func:`result_texts`)."""
        self._texts, self._row = texts, row
        return self

    def json_in_column(self) -> tuple[Any, int] | None:
        """(Arrow column, row) holding the result's JSON while it is not yet a Python text, else None."""
        return (self._texts, self._row) if self._result_text is None and self._texts is not None else None

    def _json(self) -> str | None:
        if self._result_text is None and self._texts is not None:
            return self._texts[self._row].as_py()
        return self._result_text

    @property
    def result(self) -> ParcelResult:
        if self._result is None:
            try:
                self._result = _codec().from_dict(json.loads(self._json()))  # type: ignore[arg-type]  # None: TypeError
            except (ValueError, KeyError, TypeError) as exc:
                raise InputError("project file", f"a stored result is not readable ({type(exc).__name__}: {exc}); "
                                                 "assess the parcel again") from None
        return self._result

    @property
    def provenance(self) -> dict:
        if self._provenance is None:
            self._provenance = json.loads(self._provenance_text) if self._provenance_text else {}
        return self._provenance

    @property
    def due(self) -> Decimal:
        """The amount due (yuan), without reading the whole result when it is not needed."""
        if self._result is None and self._due is not None:
            return self._due
        return self.result.due

    @property
    def flags(self) -> tuple[str, ...]:
        """The result's flag codes (for the map), without reading the whole result when not needed."""
        if self._result is None and self._flags is not None:
            return self._flags
        return self.result.flags

    def texts(self) -> tuple[str, str]:
        """(result JSON, provenance JSON) as the project file stores them (made once)."""
        if self._result_text is None:
            self._result_text = self._json() or _RESULT_JSON(_codec().to_dict(self.result))
        return self._result_text, self.provenance_text()

    def provenance_text(self) -> str:
        """The provenance JSON as the project file stores it (made once)."""
        if self._provenance_text is None:
            self._provenance_text = _RESULT_JSON(self.provenance)
        return self._provenance_text

    def __eq__(self, other) -> bool:
        if not isinstance(other, StoredResult):
            return NotImplemented
        return (self.fingerprint == other.fingerprint and self.result == other.result
                and self.provenance == other.provenance and len(self.pieces) == len(other.pieces)
                and all(g1 == g2 and a.equals(b) for (g1, a), (g2, b) in zip(self.pieces, other.pieces)))

    __hash__ = None  # type: ignore[assignment]  # mutable, compared by value

    def __repr__(self) -> str:
        return f"StoredResult(fingerprint={self.fingerprint!r}, due={self.due})"

    @property
    def key(self) -> str:
        """The result's own fingerprint: every figure a review approves (:func:`result_key`).
        A re-assessment giving the same figures (e.g. the same rates in another grade-map
        file) keeps the review; any changed figure voids it."""
        if self._key is None:     # made once (the project file also keeps it, so opening parses no result)
            self._key = key_digest(result_key(self.result))
        return self._key


@dataclass
class ZoneSetRef:
    """How the project names its zone set: a bundled id, or a file with a grade field and rates.

    For a loaded grade map the officer also states what it is (the file itself does not say):
    ``official`` (the land department's own grade map), the legal basis it applies under
    (``legal_document``, its ``legal_title``, ``applies_from`` ISO date) and the accuracy
    statement written when it was loaded. ``designated`` is False for bundled zone sets and
    for projects written before these fields existed: their zone set keeps its own metadata."""

    ref: str
    grade_field: str = "grade"
    rates: dict | None = None      # {grade: "15"} for a layer that carries none
    designated: bool = False
    official: bool = False
    legal_document: str = ""
    legal_title: str = ""
    applies_from: str = ""         # ISO date, '' = not stated
    accuracy_statement: str = ""

    def as_dict(self) -> dict:
        out = {"ref": self.ref, "grade_field": self.grade_field, "rates": self.rates}
        if self.designated:
            out["designation"] = {"official": self.official, "legal_document": self.legal_document,
                                  "legal_title": self.legal_title, "applies_from": self.applies_from,
                                  "accuracy_statement": self.accuracy_statement}
        return out

    @classmethod
    def from_dict(cls, d: dict) -> ZoneSetRef:
        """Read :meth:`as_dict`; files without a designation (older projects) open as before."""
        des = d.get("designation") or None
        ref = cls(d["ref"], d.get("grade_field") or "grade", d.get("rates"))
        if isinstance(des, dict):
            ref.designated = True
            ref.official = bool(des.get("official", False))
            ref.legal_document = str(des.get("legal_document") or "")
            ref.legal_title = str(des.get("legal_title") or "")
            ref.applies_from = str(des.get("applies_from") or "")
            ref.accuracy_statement = str(des.get("accuracy_statement") or "")
        return ref

    def apply(self, zoneset):
        """Give ``zoneset`` (a ZoneSet loaded from this ref's file) the officer's designation:
        official or not, legal basis, accuracy statement. Returns it; unchanged when not designated."""
        if not self.designated:
            return zoneset
        from datetime import date

        from zones.zoneset import LegalBasis

        zoneset.official = self.official
        start = date.fromisoformat(self.applies_from) if self.applies_from else None
        zoneset.legal_basis = ((LegalBasis(self.legal_document, self.legal_title, start),)
                               if self.legal_document else ())
        if self.accuracy_statement:
            zoneset.accuracy_statement = self.accuracy_statement
        return zoneset


@dataclass(frozen=True)
class Op:
    """What an operation changed (Anki's OpChanges): exactly these parcels, and whether
    parcels were added/removed (``structure``), results or review marks changed.
    ``before``: the snapshot replaced or removed (the inverse of edit/put/remove)."""

    changed: tuple[str, ...] = ()
    structure: bool = False
    results: bool = False
    review: bool = False
    before: Parcel | None = None


def _describe(old: Parcel | None, new: Parcel | None) -> tuple[str, str, str]:
    """(what, old, new) in words for a snapshot replaced by another (undo/redo)."""
    if old is None or new is None:
        return "", "", ""
    parts, olds, news = [], [], []
    for k in sorted(set(old.attrs) | set(new.attrs)):
        if old.get(k) != new.get(k):
            name = FIELD_BY_KEY[k].zh if k in FIELD_BY_KEY else k
            parts.append(f"{name}: {old.get(k) or '—'} → {new.get(k) or '—'}")
            olds.append(f"{name}={old.get(k)}")
            news.append(f"{name}={new.get(k)}")
    if not _same_geometry(old.geometry, new.geometry):
        parts.insert(0, f"图形: {old.geometry.area:.2f} m² → {new.geometry.area:.2f} m²")
    if old.review != new.review:
        parts.append(f"复核标记: {old.review.reviewer if old.review else '—'} → {new.review.reviewer if new.review else '—'}")
    return "；".join(parts) or "无变化", "；".join(olds), "；".join(news)


def _same_geometry(a, b) -> bool:
    return a is b or (a is not None and b is not None and a.wkb == b.wkb)


class Project:
    """The document store in memory (see the module docstring for its interface). Not
    thread-safe: the GUI mutates it on its own thread; workers get snapshots."""

    def __init__(self, zoneset: ZoneSetRef | None = None, period: TaxPeriod | None = None) -> None:
        self.parcels: list[Parcel] = []
        self.zoneset = zoneset or ZoneSetRef("wenzhou-urban-2024")
        self.period = period or TaxPeriod(datetime.now().year)
        self.results: dict[str, StoredResult] = {}
        self.previous: dict[str, StoredResult] = {}     # before the last zone-set / rate change
        self.input_sha256: str | None = None            # of the last import (each parcel keeps its own)
        self.tax_base = TAX_BASE_ROUNDED   # zones.tax.TAX_BASES: the rounding rule of the tax base
        self.audit = AuditLog()
        self.reference_layers: list = []      # background maps of the office (zones.reference_layers)
        self._context = ""
        self._index: dict[str, int] | None = None
        self._fp: dict[str, tuple[Parcel, str, str]] = {}    # uid → (snapshot, context, fingerprint)
        self._stale: set[str] | None = None                   # None: not known yet (computed once, lazily)
        #: uid → (snapshot, its outline's WKB as read, the JSON text of its attributes) as the
        #: fingerprints hash them, made in bulk by the project file's reader for the first
        #: fingerprints, then dropped (fingerprints())
        self.attrs_texts: dict[str, tuple] = {}
        self._older: OrderedDict[tuple[str, str], StoredResult] = OrderedDict()

    def snapshot(self) -> Project:
        """A copy to write elsewhere (a recovery copy on a background thread): the parcel
        snapshots and stored results are immutable and shared; the lists and log are copied."""
        other = Project(self.zoneset, self.period)
        other.parcels = list(self.parcels)
        other.results, other.previous = dict(self.results), dict(self.previous)
        other.input_sha256 = self.input_sha256
        other.tax_base = self.tax_base
        other.reference_layers = list(self.reference_layers)
        other.audit = self.audit.copy()     # a database project's log stays in the database until needed
        other._context = self._context
        return other

    # -------------------------------------------------------- lookups
    def __len__(self) -> int:
        return len(self.parcels)

    def __contains__(self, uid: str) -> bool:
        return uid in self._positions()

    @property
    def context(self) -> str:
        """Zone set id/version, rates and period: results of another context are stale."""
        return self._context

    @context.setter
    def context(self, value: str) -> None:
        if value != self._context:
            self._context = value
            self._stale = None        # every fingerprint changes: recomputed once, on the next stale()

    def _positions(self) -> dict[str, int]:
        if self._index is None:
            self._index = {p.uid: i for i, p in enumerate(self.parcels)}
        return self._index

    def index_of(self, uid: str) -> int:
        return self._positions()[uid]

    def position(self, uid: str) -> int | None:
        """Index of ``uid``, or None when it is not in the project."""
        return self._positions().get(uid)

    def by_uid(self, uid: str) -> Parcel:
        return self.parcels[self.index_of(uid)]

    def fingerprint_of(self, p: Parcel) -> str:
        """:func:`fingerprint` of the snapshot in the current context, computed once per snapshot."""
        cached = self._fp.get(p.uid)
        if cached is not None and cached[0] is p and cached[1] == self._context:
            return cached[2]
        fp = fingerprint(p, self._context)
        self._fp[p.uid] = (p, self._context, fp)
        return fp

    def known_fingerprints(self, parcels, context: str) -> list[str | None]:
        """The fingerprints of ``parcels`` in ``context`` already computed (None where not):
        no fingerprint is made here, so a worker thread may ask (it only reads the cache)."""
        fp = self._fp
        return [c[2] if (c := fp.get(p.uid)) is not None and c[0] is p and c[1] == context else None
                for p in parcels]

    def learn_fingerprints(self, parcels, stored: dict[str, StoredResult], context: str) -> None:
        """Take the fingerprints an assessment of exactly these snapshots in ``context`` made
        (each result carries its parcel's), so they are not made again here, one by one, when
        the results are stored (a district's re-assessment after new rates: seconds)."""
        if context != self._context or self._stale is not None:
            return    # a stale set of this context exists: every snapshot's fingerprint is known already
        fp = self._fp
        for p in parcels:
            s = stored.get(p.uid)
            c = fp.get(p.uid)
            if s is not None and (c is None or c[1] != context):   # a newer snapshot's own is kept
                fp[p.uid] = (p, context, s.fingerprint)

    def know_fingerprints(self, parcels, prints, context: str) -> None:
        """Take the fingerprints of exactly these snapshots in ``context``, made elsewhere (an
        import's, on a worker), so that adding them does not make them again one by one."""
        if context == self._context:
            self._fp.update((p.uid, (p, context, f)) for p, f in zip(parcels, prints))

    def current_result(self, uid: str) -> StoredResult | None:
        """The result if it was computed from the parcel as it is now, else None."""
        stored = self.results.get(uid)
        if stored is None:
            return None
        i = self._positions().get(uid)
        if i is None:
            return None
        return stored if stored.fingerprint == self.fingerprint_of(self.parcels[i]) else None

    def is_reviewed(self, uid: str) -> bool:
        """Reviewed (复核) — for exactly the result it has now."""
        i = self._positions().get(uid)
        if i is None:
            return False
        review = self.parcels[i].review
        stored = self.current_result(uid) if review is not None else None
        return stored is not None and review is not None and review.result == stored.key

    def stale_uids(self) -> set[str]:
        if self._stale is None:
            self.prime_fingerprints()    # then every parcel's fingerprint is in _fp, for this snapshot and context
            fp, results = self._fp, self.results
            self._stale = {p.uid for p in self.parcels
                           if (s := results.get(p.uid)) is None or s.fingerprint != fp[p.uid][2]}
        return self._stale

    def prime_fingerprints(self) -> None:
        """Fingerprint, in one vectorised pass, every parcel not fingerprinted in the current
        context (after opening a project or a change of zone set, rates or period)."""
        fp, ctx = self._fp, self._context
        todo = [p for p in self.parcels if (c := fp.get(p.uid)) is None or c[0] is not p or c[1] != ctx]
        made = fingerprints(todo, ctx, self.attrs_texts) if self.attrs_texts else fingerprints(todo, ctx)
        for p, f in zip(todo, made):
            fp[p.uid] = (p, ctx, f)
        self.attrs_texts = {}      # used once: a later context's fingerprints make their own (memory)

    def stale(self) -> list[int]:
        """Indices of parcels without a current result (O(stale parcels) after the first call)."""
        pos = self._positions()
        return sorted(pos[u] for u in self.stale_uids())

    def history(self, uid: str) -> tuple[Event, ...]:
        """The parcel's audit events, oldest first."""
        return self.audit.events(uid)

    def _touch(self, uid: str, parcel: Parcel | None = None) -> None:
        """Keep the stale set right after ``uid`` changed; bring back a cached result of this
        snapshot. ``parcel`` is the snapshot now in the project when the caller has it: then the
        index of positions is not needed (an import of a district inserts 100,000 parcels, and
        rebuilding the index after each made it quadratic: 20,000 parcels took 24 s)."""
        if parcel is None:
            i = self._positions().get(uid)
            parcel = self.parcels[i] if i is not None else None
        if parcel is not None and self._current_for(parcel) is None:
            older = self._older.get((uid, self.fingerprint_of(parcel)))
            if older is not None:
                self._keep_older(uid)
                self.results[uid] = older
        if self._stale is None:
            return
        if parcel is not None and self._current_for(parcel) is None:
            self._stale.add(uid)
        else:
            self._stale.discard(uid)

    def _current_for(self, p: Parcel) -> StoredResult | None:
        """The stored result of the snapshot ``p`` (in the project) if it was computed from it."""
        stored = self.results.get(p.uid)
        return stored if stored is not None and stored.fingerprint == self.fingerprint_of(p) else None

    def _keep_older(self, uid: str) -> None:
        stored = self.results.get(uid)
        if stored is not None:
            self._older[(uid, stored.fingerprint)] = stored
            self._older.move_to_end((uid, stored.fingerprint))
            while len(self._older) > RESULT_CACHE:
                self._older.popitem(last=False)

    # ----------------------------------------- reversible mutators
    def insert(self, index: int, parcel: Parcel, *, who: str = "", kind: str = "", what: str = "") -> Op:
        """Insert at ``index``; inverse: :meth:`remove` (same index). The first insert of a
        parcel is its ``entry`` event; later ones (undo of a deletion, redo) say so."""
        self.parcels.insert(index, parcel)
        if self._index is not None and index >= len(self.parcels) - 1:
            self._index[parcel.uid] = len(self.parcels) - 1     # appended: the others keep their places
        else:
            self._index = None
        if not kind:
            kind = "restore" if self.audit.knows(parcel.uid) else "entry"
        src = parcel.source
        if kind == "entry":
            what = what or (src.what if src is not None and src.what else "新建地块")
            when = src.when if src is not None and src.when else None
            self.audit.append(parcel.uid, "entry", what, who=who or parcel.entered_by, new=parcel.label, when=when)
        else:
            self.audit.append(parcel.uid, kind, what or "地块恢复", who=who, new=parcel.label)
        self._touch(parcel.uid, parcel)
        return Op((parcel.uid,), structure=True)

    def extend(self, parcels, *, who: str = "", kind: str = "", what: str = "") -> Op:
        """Append ``parcels`` as :meth:`insert` at the end, one after another, would — the same
        events in the same order, the same stale set — in bulk (a district's import adds
        100,000 parcels in one undoable step, on the GUI thread); inverse: :meth:`remove` of
        each, last first."""
        parcels = list(parcels)
        start = len(self.parcels)
        self.parcels.extend(parcels)
        if self._index is not None:
            self._index.update((p.uid, start + k) for k, p in enumerate(parcels))
        run: list[tuple[str, str, str, str]] = []
        run_key: tuple | None = None
        for p in parcels:
            key, row = self._insert_event(p, who, kind, what)
            if key != run_key and run:
                self.audit.extend(run_key[0], run, who=run_key[1], when=run_key[2])   # type: ignore[index]
                run = []
            run_key = key
            run.append(row)
        if run:
            self.audit.extend(run_key[0], run, who=run_key[1], when=run_key[2])       # type: ignore[index]
        results, stale = self.results, self._stale
        for p in parcels:
            if self._older or p.uid in results:     # a result may come back (a redo): as insert does
                self._touch(p.uid, p)
            elif stale is not None:                 # a new parcel without a result: stale
                stale.add(p.uid)
        return Op(tuple(p.uid for p in parcels), structure=True)

    def _insert_event(self, p: Parcel, who: str, kind: str, what: str):
        """((kind, who, when), (uid, what, old, new)) of the event :meth:`insert` logs for ``p``."""
        kind = kind or ("restore" if self.audit.knows(p.uid) else "entry")
        if kind == "entry":
            src = p.source
            text = what or (src.what if src is not None and src.what else "新建地块")
            when = src.when if src is not None and src.when else now_text()
            return (kind, who or p.entered_by, when), (p.uid, text, "", p.label)
        return (kind, who, now_text()), (p.uid, what or "地块恢复", "", p.label)

    def drop_tail(self, start: int, *, who: str = "", kind: str = "delete", what: str = "") -> Op:
        """Remove the parcels from ``start`` to the end as :meth:`remove` of each, last first, would
        (the same events in the same order), in bulk (the undo of a district's import); the
        changed uids in that order; inverse: :meth:`extend` of them."""
        gone = self.parcels[start:][::-1]
        del self.parcels[start:]
        if self._index is not None:
            for p in gone:
                self._index.pop(p.uid, None)
        self.audit.extend(kind, [(p.uid, what or "删除地块", p.label, "") for p in gone], who=who)
        if self._stale is not None:
            self._stale.difference_update(p.uid for p in gone)
        return Op(tuple(p.uid for p in gone), structure=True)

    def remove(self, index: int, *, who: str = "", kind: str = "delete", what: str = "") -> Op:
        """Remove the parcel at ``index`` (returned as ``before``); inverse: :meth:`insert`."""
        old = self.parcels.pop(index)
        if self._index is not None and index >= len(self.parcels):
            self._index.pop(old.uid, None)                       # the last one: the others keep their places
        else:
            self._index = None
        self.audit.append(old.uid, kind, what or "删除地块", who=who, old=old.label)
        if self._stale is not None:
            self._stale.discard(old.uid)
        return Op((old.uid,), structure=True, before=old)

    def put(self, index: int, parcel: Parcel, *, who: str = "", kind: str = "undo", what: str = "") -> Op:
        """Replace the parcel at ``index`` by a snapshot (undo/redo); ``before`` is the one
        replaced, so put is its own inverse. Logs a ``kind`` event with old → new."""
        old = self.parcels[index]
        self.parcels[index] = parcel
        if old.uid != parcel.uid:
            self._index = None
        desc, o, n = _describe(old, parcel)
        self.audit.append(parcel.uid, kind, f"{what}：{desc}" if what else desc, who=who, old=o, new=n)
        self._touch(parcel.uid, parcel)
        return Op((parcel.uid,), review=old.review != parcel.review, before=old)

    def edit(self, index: int, *, who: str, geometry=None, attrs: dict | None = None, what: str = "") -> Op:
        """Change outline and/or attributes; clears the review mark; one event per changed value.
        A new outline also clears the import's flags (the user drew it deliberately).
        ``before`` is the previous snapshot (undo with :meth:`put`)."""
        old = self.parcels[index]
        new_attrs = dict(old.attrs)
        when = now_text()
        events = []
        for k, v in (attrs or {}).items():
            v = "" if v is None else str(v)
            if new_attrs.get(k, "") != v:
                name = FIELD_BY_KEY[k].zh if k in FIELD_BY_KEY else k
                events.append(("edit", f"{name}: {old.get(k) or '—'} → {v or '—'}", old.get(k), v))
                new_attrs[k] = v
                if not v:   # empty values are never stored, so equal parcels have equal fingerprints
                    del new_attrs[k]
        if geometry is not None:
            text = what or f"图形: {old.geometry.area:.2f} m² → {geometry.area:.2f} m²"
            events.insert(0, ("edit", text, f"{old.geometry.area:.2f} m²", f"{geometry.area:.2f} m²"))
        if not events:
            events.append(("edit", what or "无变化", "", ""))
        if old.review is not None:
            events.append(("review_void", f"复核标记（{old.review.reviewer}）因修改而清除", old.review.reviewer, ""))
        if geometry is not None and old.import_flags:
            flags = "、".join(f for f, _ in old.import_flags)
            events.append(("note", f"导入时的图形标记（{flags}）因重新绘制图形而清除", flags, ""))
        for kind, text, o, n in events:
            self.audit.append(old.uid, kind, text, who=who, old=o, new=n, when=when)
        self.parcels[index] = replace(old, geometry=old.geometry if geometry is None else geometry,
                                      attrs=new_attrs, review=None,
                                      import_flags=old.import_flags if geometry is None else (),
                                      point_names=old.point_names if geometry is None else _names_kept(old, geometry))
        self._touch(old.uid, self.parcels[index])
        return Op((old.uid,), review=old.review is not None, before=old)

    def mark_reviewed(self, index: int, reviewer: str) -> Op:
        """Mark the current result as reviewed (复核) by ``reviewer``; ``before``: the previous snapshot."""
        old = self.parcels[index]
        stored = self.current_result(old.uid)
        if stored is None:
            raise RuleError(f"parcel {old.label}: assess it before marking it reviewed")
        when = now_text()
        self.parcels[index] = replace(old, review=Review(reviewer, when, stored.key))
        self.audit.append(old.uid, "review", "复核通过", who=reviewer, new=f"应缴税额 {stored.result.due} 元", when=when)
        return Op((old.uid,), review=True, before=old)

    # ------------------------------------------------------- results
    def set_results(self, stored: dict[str, StoredResult], *, compare: bool, reason: str = "",
                    who: str = "") -> Op:
        """Store results. ``compare``: the zone set or rates changed, so keep the results
        replaced as ``previous`` for the per-parcel difference. A result replacing a different
        one is a re-assessment event (amounts before → after, and ``reason`` — e.g.
        "等级图/税率变化", "所属期变化" — when the context changed, not the parcel); a parcel
        whose reviewed result changed gets a ``review_void`` event: 复核 approved the old result.
        Returns which parcels' results changed: a result that *is* the stored one (an
        assessment that found nothing changed keeps it, :func:`assess_parcels` ``reuse``) is no change."""
        steps = self.store_results(stored, compare=compare, reason=reason, who=who)
        while True:
            try:
                next(steps)
            except StopIteration as done:
                return done.value

    def store_results(self, stored: dict[str, StoredResult], *, compare: bool, reason: str = "", who: str = "",
                      size: int = 5000):
        """:meth:`set_results` in slices of ``size`` parcels: a generator that yields (done, total)
        after each slice and returns the Op. A caller on a GUI thread lets its events run between
        slices (a district's 100,000 new results take a second or more to store and log). Between
        two slices the store is consistent: each parcel has its old or its new result, and the
        log holds the events of those stored so far, in order."""
        if compare:
            self.previous = {uid: r for uid, r in self.results.items() if uid in stored}
        results = self.results
        todo = [(uid, s) for uid, s in stored.items() if results.get(uid) is not s]
        when = now_text()
        changed: list[str] = []
        cached_from = len(todo) - RESULT_CACHE      # of a district's results only the last ones stay cached
        for start in range(0, len(todo), size):
            part = dict(todo[start:start + size])
            changed += self._log_changed_results(part, reason, who, amounts=compare or not reason, when=when)
            for k, (uid, s) in enumerate(part.items(), start):
                if k >= cached_from:
                    self._keep_older(uid)
                results[uid] = s
                if self._stale is not None:
                    self._touch(uid)
            if start + size < len(todo):
                yield start + size, len(todo)
        return Op(tuple(changed), results=True, review=bool(reason))

    def _log_changed_results(self, stored: dict[str, StoredResult], reason: str, who: str, *,
                             amounts: bool, when: str) -> list[str]:
        changed = list(stored)
        pos, results, parcels = self._positions(), self.results, self.parcels
        assessed: list[tuple[str, str, str, str]] = []    # logged in bulk below, in this order
        lead = f"因{reason}重新计税：应纳税额 " if reason else "重新计税：应纳税额 "
        for uid, new in stored.items():
            old = results.get(uid)
            # the keys (made on the worker, or read from the project file) stand for result_key: no parsing here
            if old is None or old.key == new.key or uid not in pos:
                continue
            p = parcels[pos[uid]]
            before, after = str(old.due), str(new.due)
            change = f"应纳税额 {before} → {after} 元"
            if amounts:
                assessed.append((uid, f"{lead}{before} → {after} 元", before, after))
            if p.review is not None and p.review.result == old.key:
                self.audit.extend("assess", assessed, who=who, when=when)    # the events stay in order
                assessed.clear()
                cause = f"（复核人 {p.review.reviewer}；{reason}：{change}）" if reason else f"（复核人 {p.review.reviewer}；{change}）"
                self.audit.append(uid, "review_void", "计税结果因等级图/税率/所属期变化而改变，复核标记清除" + cause
                                  if reason else "计税结果改变，复核标记失效" + cause,
                                  who=who, old=p.review.reviewer, when=when)
        self.audit.extend("assess", assessed, who=who, when=when)
        return changed

    def difference(self, uid: str) -> Decimal | None:
        """Amount due now minus amount due before the last zone-set / rate change (yuan)."""
        now, before = self.current_result(uid), self.previous.get(uid)
        if now is None or before is None:
            return None
        return now.result.due - before.result.due


def _names_kept(old: Parcel, geometry) -> tuple[str, ...]:
    """A moved vertex keeps its name; a point added or removed leaves the names unmatched (J1, J2 …)."""
    import shapely

    count = int(shapely.get_num_coordinates(geometry)) - int(sum(1 + len(p.interiors) for p in shapely.get_parts(geometry)))
    return old.point_names if len(old.point_names) == count else ()


def result_key(r: ParcelResult) -> tuple:
    """What a review approves: the amount, the split by grade (area, rate, months) and the liable months."""
    rows = tuple((row.grade, row.area_m2, row.rate, row.months, row.due) for row in r.rows)
    return (r.due, rows, r.liable.count if r.liable is not None else None, r.error)


def fast_result_key(rows: list[tuple[int, int, int]], months: int, rates: dict) -> tuple:
    """:func:`result_key` of a parcel the vectorised path assessed (plain terms: no reliefs, no
    declared area, so each row's amount due is its gross amount), from its rows as
    (grade, area in 0.01 m², gross in fen) — the same Decimals (value and exponent), so the
    same key, without making the Decimal result (:meth:`zones.assess.Assessment.fast_figures`)."""
    out = tuple((g, Decimal(h).scaleb(-2), rates[g], months, Decimal(f).scaleb(-2)) for g, h, f in rows)
    return (sum((r[4] for r in out), ZERO), out, months, None)


def key_digest(key: tuple) -> str:
    """A result's key (:attr:`StoredResult.key`) from :func:`result_key`'s tuple."""
    return hashlib.sha256(repr(key).encode()).hexdigest()[:16]


def new_parcel(geometry, who: str, attrs: dict | None = None, what: str = "新建地块",
               import_flags=(), source: Source | None = None, point_names=()) -> Parcel:
    """A new parcel snapshot; ``source`` defaults to drawn by ``who`` now (an import passes its file)."""
    clean = {k: str(v) for k, v in (attrs or {}).items() if v not in (None, "")}
    src = source or Source("drawn", who, now_text(), what=what)
    if not src.what:
        src = replace(src, what=what)
    return Parcel(new_uid(), geometry, clean, None, who, src, tuple((str(f), str(n)) for f, n in import_flags),
                  tuple(str(n) for n in point_names))


def import_repairs(imported) -> dict[int, tuple[tuple[str, str], ...]]:
    """Row position in ``imported.parcels`` → the (flag, note) pairs of outlines the importer
    repaired (a zones.io Finding ``repaired`` whose record is that row's index + 1). The same
    rule as the command line (:meth:`zones.io.base.ImportResult.record_flags`), kept with the parcel so the desktop's assessment
    reports the repair too."""
    return {k: tuple(pairs) for k, pairs in imported.record_flags({"repaired": "导入时图形无效，已修复："}).items()}


def attrs_from_record(record: dict) -> dict:
    """Attributes of an imported record (column → value), named and parsed by :mod:`zones.schema`
    (where two columns mean one attribute, the one :func:`~zones.schema.column_plan` reads).
    减免性质代码 (``A;B``, ``A；B``…) becomes whole-area relief claims; 终止月份 a termination
    (纳税义务终止). A small-taxpayer cell keeps its word when the schema cannot read it,
    so the assessment flags the record instead of silently taking it as "no"."""
    out: dict[str, str] = {}
    for col, key in column_plan(tuple(record)).read:
        value = record[col]
        text = clean_text(value)
        if not text:
            continue
        if key == "relief_codes":
            codes = parse_relief_codes(value)
            if codes:
                out["reliefs"] = reliefs_text([{"code": c} for c in codes])
        elif key == "liable_to":
            out["change_type"] = TERMINATION
            out["change_month"] = text
        elif key == "small_taxpayer":
            try:
                out.setdefault(key, "是" if parse_bool(value) else "")
            except RuleError:
                out.setdefault(key, text)
            if not out[key]:
                del out[key]
        elif key == "declared_area":
            try:
                out.setdefault(key, str(parse_area(value)))
            except RuleError:
                out.setdefault(key, text)
        elif key in ("acquired", "liable_from", "change_month"):
            try:
                out.setdefault(key, str(parse_month(value)))
            except RuleError:
                out.setdefault(key, text)
        elif key is not None and key in FIELD_BY_KEY and FIELD_BY_KEY[key].in_project:
            out.setdefault(key, text)
    return out


def assess_context(zoneset, period: TaxPeriod, tax_base: str = TAX_BASE_ROUNDED) -> str:
    """The context string of results computed on ``zoneset`` for ``period`` under the
    ``tax_base`` rounding rule."""
    rates = ",".join(f"{g}={zoneset.rates[g]}" for g in sorted(zoneset.rates))
    return f"{zoneset.id}|{zoneset.version}|{rates}|{period}|base={tax_base}"


class Selection:
    """The selected parcels (by uid), with plain callbacks; lives in the core so the map,
    the tables, the assessment panel and the print action all read the same selection."""

    def __init__(self) -> None:
        self.uids: list[str] = []
        self._listeners: list = []

    def set(self, uids) -> None:
        uids = list(dict.fromkeys(uids))
        if uids != self.uids:
            self.uids = uids
            for fn in list(self._listeners):
                fn(self.uids)

    def connect(self, fn) -> None:
        self._listeners.append(fn)

    def disconnect(self, fn) -> None:
        if fn in self._listeners:
            self._listeners.remove(fn)


def parcel_provenance(base: dict, p: Parcel) -> dict:
    """The run's provenance with the parcel's own source: an imported parcel names its file
    and SHA-256; a drawn or typed one has no input hash, but its operator and time."""
    src = p.source
    if src is None:
        return dict(base, input_sha256=None, source={"kind": "unknown"})
    return dict(base, input_sha256=src.sha256 if src.kind == "import" else None, source=src.as_dict())


def assess_parcels(parcels: list[Parcel], zoneset, period: TaxPeriod, *, catalogue, progress=None,
                   input_sha256: str | None = None, keep_pieces: bool = True,
                   tax_base: str = TAX_BASE_ROUNDED, reuse: dict[str, StoredResult] | None = None,
                   prints: list[str | None] | Callable[[], list[str | None]] | None = None):
    """Assess snapshots of parcels (safe on a worker thread: snapshots are immutable).
    Returns ({uid: StoredResult with its pieces}, Assessment). A parcel whose attributes
    cannot be read gets a result carrying the error instead of stopping the others.
    ``input_sha256`` is ignored: each parcel's provenance is its own (:func:`parcel_provenance`).

    ``reuse`` (uid → the stored results, e.g. a copy of ``Project.results``): a parcel whose
    new result equals its stored one — same inputs (fingerprint), same figures (key), same
    provenance but for the time — gets the stored object back, so the store sees no change
    and the next save writes its text unchanged. Every result's key is made here, off the GUI thread.
    A parcel the vectorised path assessed is compared by its key made from the vectorised
    figures (:func:`fast_result_key`): its Decimal result is made only when it changed.

    ``prints``: the parcels' fingerprints in this context where the caller knows them
    (``Project.fingerprint_of``), None where not; the others are computed here. It may be a
    function giving that list, called only once the engine has run (another process may be
    making them meanwhile: :mod:`zones.store_assess`)."""
    job = ParcelsAssessed(parcels, zoneset, period, catalogue=catalogue, progress=progress, keep_pieces=keep_pieces,
                          tax_base=tax_base, reuse=reuse, prints=prints)
    return job.results(0, len(parcels)), job.run


class ParcelsAssessed:
    """The engine run once over ``parcels`` (:func:`assess_parcels`), then their stored results
    made a slice at a time (:meth:`results`): a caller can hand one slice on (e.g. send it to
    another process) while the next is made."""

    def __init__(self, parcels: list[Parcel], zoneset, period: TaxPeriod, *, catalogue, progress=None,
                 keep_pieces: bool = True, tax_base: str = TAX_BASE_ROUNDED,
                 reuse: dict[str, StoredResult] | None = None,
                 prints: list[str | None] | Callable[[], list[str | None]] | None = None) -> None:
        import geopandas as gpd
        import numpy as np

        from zones.assess import assess
        from zones.fast_results import PlainResults

        terms: list[ParcelTerms | None] = []
        bad: dict[str, str] = {}
        known: dict[tuple, ParcelTerms] = {}     # most parcels share their terms: parsed once
        for p in parcels:
            key = tuple(map(p.attrs.get, TERMS_KEYS))
            t = known.get(key)
            if t is None:
                try:
                    t = known[key] = terms_of(p)
                except RuleError as exc:    # not cached: the message names the parcel
                    bad[p.uid] = str(exc)
            terms.append(t)
        geoms = np.empty(len(parcels), dtype=object)
        geoms[:] = [p.geometry for p in parcels]
        geo = gpd.GeoSeries(geoms, crs=PROJECT_CRS)
        record_flags = {i: list(p.import_flags) for i, p in enumerate(parcels) if p.import_flags}
        self.run = run = assess(geo, zoneset, period, ids=[p.label for p in parcels], terms=terms,
                                catalogue=catalogue, keep_pieces=keep_pieces, progress=progress,
                                record_flags=record_flags, options=TaxOptions(tax_base=tax_base))
        self.base = run.provenance.as_dict()
        context = assess_context(zoneset, period, tax_base)
        pieces: dict[int, list] = {}
        if keep_pieces and len(parcels):
            table = run.pieces()
            for i, g, geom in zip(table["parcel_index"].tolist(), table["grade"].tolist(),
                                  np.asarray(table.geometry.values).tolist()):
                pieces.setdefault(int(i), []).append((int(g), geom))
        self.parcels, self.bad, self.pieces, self.reuse = parcels, bad, pieces, reuse or {}
        self.fps = _fingerprints(parcels, context, prints() if callable(prints) else prints)
        self.provenances: dict[int, tuple[dict, str]] = {}     # by source: an import's parcels share theirs
        self.same = _SameProvenance()
        self.plain = PlainResults(run)
        self.buildable = self.plain.buildable()

    def _provenance(self, p: Parcel) -> tuple[dict, str]:
        prov = self.provenances.get(id(p.source))
        if prov is None:
            d = parcel_provenance(self.base, p)
            prov = self.provenances[id(p.source)] = (d, _RESULT_JSON(d))
        return prov

    def results(self, start: int, stop: int) -> dict[str, StoredResult]:
        """{uid: StoredResult} of parcels ``start:stop``, in their order; a result equal to the
        stored one in ``reuse`` is that object."""
        run, parcels, fps, pieces, bad, reuse = self.run, self.parcels, self.fps, self.pieces, self.bad, self.reuse
        made: dict[int, StoredResult] = {}
        compare: list[int] = []     # plain parcels whose stored result may be the same: compared by key
        build: list[int] = []       # plain parcels whose result is new: made without the Decimal result
        for i in range(start, stop):
            p = parcels[i]
            prov = self._provenance(p)
            old = reuse.get(p.uid)
            fast = p.uid not in bad and self.buildable[i]
            if (old is not None and old.fingerprint == fps[i] and len(old.pieces) == len(pieces.get(i, ()))
                    and self.same(old.provenance_text(), prov[1])):
                if fast:
                    compare.append(i)
                else:
                    new = _stored(run, i, p, bad, fps[i], prov, tuple(pieces.get(i, ())))
                    made[i] = old if old.key == new.key else new
            elif fast:
                build.append(i)
            else:
                made[i] = _stored(run, i, p, bad, fps[i], prov, tuple(pieces.get(i, ())))
        for i, digest in zip(compare, self.plain.keys(compare)):
            old = reuse[parcels[i].uid]
            if old.key == digest:
                made[i] = old
            else:
                build.append(i)
        build.sort()
        for i, (text, digest, due, flags) in zip(build, self.plain.build(build)):
            prov = self.provenances[id(parcels[i].source)]
            made[i] = StoredResult(None, fps[i], prov[0], tuple(pieces.get(i, ())), result_text=text,
                                   provenance_text=prov[1], due=Decimal(due), flags=flags, key=digest)
        return {parcels[i].uid: made[i] for i in range(start, stop)}


def _stored(run, i: int, p: Parcel, bad: dict, fp: str, prov: tuple[dict, str], pieces: tuple) -> StoredResult:
    """Parcel ``i``'s new StoredResult (its Decimal result and key made here, on the worker)."""
    r = run.parcel(i)
    if p.uid in bad:
        r = replace(r, rows=(), error=bad[p.uid], flags=r.flags + ("invalid_terms",))
    new = StoredResult(r, fp, prov[0], pieces, provenance_text=prov[1])
    new.key   # noqa: B018  (made here, on the worker)
    return new


def _fingerprints(parcels, context: str, known: list[str | None] | None) -> list[str]:
    """The parcels' fingerprints: ``known`` where given, the others computed in one pass."""
    if known is None:
        return fingerprints(parcels, context)
    todo = [i for i, f in enumerate(known) if f is None]
    out = list(known)
    for i, f in zip(todo, fingerprints([parcels[i] for i in todo], context)):
        out[i] = f
    return out  # type: ignore[return-value]  # every None filled


class _SameProvenance:
    """Whether two provenance texts agree but for the time of the run (each text parsed once)."""

    def __init__(self) -> None:
        self._parsed: dict[str, dict] = {}
        self._pairs: dict[tuple[str, str], bool] = {}    # an import's parcels share both texts: compared once

    def _without_time(self, text: str) -> dict:
        d = self._parsed.get(text)
        if d is None:
            d = self._parsed[text] = json.loads(text) if text else {}
            d.pop("created", None)
        return d

    def __call__(self, a: str, b: str) -> bool:
        same = self._pairs.get((a, b))
        if same is None:
            same = self._pairs[(a, b)] = a == b or self._without_time(a) == self._without_time(b)
        return same
