"""The project: parcels with their 税源明细 attributes, review marks, change
history and assessment results — the document the desktop application edits.

Qt-free. Every mutator is exactly reversible: it returns the parcel as it was
(parcels are immutable snapshots), and :meth:`Project.put` puts a snapshot back,
so an undo restores geometry, attributes, review mark and history exactly.

Geometry is held in the project CRS (EPSG:4549, CGCS2000 3° GK zone 40 without
zone prefix; metres). Results are kept per parcel with a fingerprint of the
inputs they were computed from: a result is *current* while the parcel's
geometry and attributes still match, so undoing an edit makes the old result
current again without recomputation. Saving and loading: :mod:`zones.project_file`.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal, InvalidOperation

from zones.errors import RuleError
from zones.periods import (ACQUISITION_RULES, AcquisitionCase, TaxPeriod, YearMonth, first_liable_month,
                           first_month_after_acquisition)
from zones.reliefs import ReliefClaim
from zones.results import ParcelResult
from zones.tax import TAX_BASE_ROUNDED, ParcelTerms, TaxOptions

PROJECT_CRS = "EPSG:4549"


@dataclass(frozen=True)
class Field:
    """One column of the 城镇土地使用税税源明细表 as the application keeps it."""

    key: str
    zh: str
    en: str
    options: tuple[str, ...] = ()   # the form's enumeration; empty = free text
    kind: str = "text"              # text | month | area | bool | case | reliefs | id


TAXPAYER_TYPES = ("土地使用权人", "集体土地使用人", "无偿使用人", "代管人", "实际使用人")
LAND_NATURES = ("国有", "集体")
ACQUISITION_MODES = ("划拨", "出让", "转让", "租赁", "征用耕地", "征用非耕地", "其他")
LAND_USES = ("工业", "商业", "居住", "综合", "房地产开发企业的开发用地", "其他")
CHANGE_TYPES = ("纳税义务终止（权属转移）", "纳税义务终止（其他）", "信息项变更（土地面积变更）",
                "信息项变更（土地等级变更）", "信息项变更（减免税变更）", "信息项变更（其他）")

FIELDS: tuple[Field, ...] = (
    Field("parcel_no", "宗地号", "Parcel no."),
    Field("taxpayer_type", "纳税人类型", "Taxpayer type", TAXPAYER_TYPES),
    Field("taxpayer_name", "纳税人名称", "Taxpayer name"),
    Field("taxpayer_id", "统一社会信用代码/身份证号", "Credit code / ID no.", kind="id"),
    Field("certificate_no", "不动产权证号", "Title certificate no."),
    Field("unit_no", "不动产单元号", "Real-estate unit no.", kind="id"),
    Field("land_name", "土地名称", "Land name"),
    Field("land_nature", "土地性质", "Land ownership", LAND_NATURES),
    Field("acquisition_mode", "取得方式", "Acquired by", ACQUISITION_MODES),
    Field("land_use", "土地用途", "Land use", LAND_USES),
    Field("address", "土地坐落", "Address"),
    Field("acquired", "土地取得时间", "Acquired (month)", kind="month"),
    Field("acquisition_case", "取得情形", "Acquisition case", tuple(c.value for c in AcquisitionCase), kind="case"),
    Field("liable_from", "应税起始月份", "First liable month", kind="month"),
    Field("change_type", "变更类型", "Change type", CHANGE_TYPES),
    Field("change_month", "变更时间", "Change month", kind="month"),
    Field("declared_area", "证载面积(m²)", "Certificate area (m²)", kind="area"),
    Field("small_taxpayer", "小规模纳税人", "Small taxpayer", kind="bool"),
    Field("reliefs", "减免", "Reliefs", kind="reliefs"),
)
FIELD_KEYS = tuple(f.key for f in FIELDS)
FIELD_BY_KEY = {f.key: f for f in FIELDS}


@dataclass(frozen=True)
class HistoryEntry:
    when: str       # ISO local time, seconds
    who: str
    what: str


@dataclass(frozen=True)
class Review:
    reviewer: str
    when: str


@dataclass(frozen=True)
class Parcel:
    """One parcel (immutable snapshot). ``attrs`` maps FIELD_KEYS to text ('' = empty);
    reliefs are a JSON list of claims. ``geometry``: shapely polygon, EPSG:4549.
    ``import_flags``: (flag, note) pairs the importer established for this outline, e.g.
    ("repaired", …) when the file's outline was invalid and repaired on reading — the stored
    geometry is the repaired one, so the assessment cannot see it any more. A user edit of
    the outline is a deliberate new outline and clears them."""

    uid: str
    geometry: object
    attrs: dict = field(default_factory=dict)
    review: Review | None = None
    entered_by: str = ""
    history: tuple[HistoryEntry, ...] = ()
    import_flags: tuple[tuple[str, str], ...] = ()

    def get(self, key: str) -> str:
        return self.attrs.get(key, "") or ""

    @property
    def label(self) -> str:
        return self.get("parcel_no") or self.uid[:8]


def new_uid() -> str:
    return uuid.uuid4().hex[:12]


def now_text() -> str:
    return datetime.now().isoformat(timespec="seconds")


def fingerprint(p: Parcel, context: str = "") -> str:
    """What a result depends on: the outline, the attributes (not the review mark) and the
    ``context`` (zone set, rates and period the result was computed for)."""
    h = hashlib.sha256(context.encode())
    h.update(p.geometry.wkb if p.geometry is not None else b"")
    h.update(json.dumps(p.attrs, sort_keys=True, ensure_ascii=False).encode())
    if p.import_flags:   # only when present, so parcels without them keep their old fingerprints
        h.update(json.dumps([list(x) for x in p.import_flags], ensure_ascii=False).encode())
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


def terms_of(p: Parcel) -> ParcelTerms:
    """The parcel's attributes as the tax rules read them. Raises RuleError on unreadable values."""
    first, rule = first_liable(p)
    last = None
    if p.get("change_type").startswith("纳税义务终止") and p.get("change_month"):
        last = YearMonth.parse(p.get("change_month"))   # liability ends at the end of that month
    declared = None
    if p.get("declared_area"):
        try:
            declared = Decimal(p.get("declared_area").replace(",", ""))
        except InvalidOperation:
            raise RuleError(f"parcel {p.label}: declared area {p.get('declared_area')!r} is not a number") from None
    small = p.get("small_taxpayer").strip().lower() in ("1", "true", "是", "yes", "y")
    return ParcelTerms(declared_area_m2=declared, liable_from=first, liable_to=last, start_rule=rule or None,
                       small_taxpayer=small, reliefs=tuple(reliefs_of(p)))


# ---------------------------------------------------------------- results

@dataclass(frozen=True)
class StoredResult:
    """A parcel's result, the fingerprint of the inputs it came from, and its provenance."""

    result: ParcelResult
    fingerprint: str
    provenance: dict


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
    def from_dict(cls, d: dict) -> "ZoneSetRef":
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


class Project:
    """Parcels in order, plus what the project knows about them. Not thread-safe: the
    GUI mutates it on its own thread; workers get copies of what they need."""

    def __init__(self, zoneset: ZoneSetRef | None = None, period: TaxPeriod | None = None) -> None:
        self.parcels: list[Parcel] = []
        self.zoneset = zoneset or ZoneSetRef("wenzhou-urban-2024")
        self.period = period or TaxPeriod(datetime.now().year)
        self.results: dict[str, StoredResult] = {}
        self.previous: dict[str, StoredResult] = {}     # before the last zone-set / rate change
        self.input_sha256: str | None = None
        self.tax_base = TAX_BASE_ROUNDED   # zones.tax.TAX_BASES: the rounding rule of the tax base
        self.context = ""    # zone set id/version, rates and period: results of another context are stale

    # -------------------------------------------------------- lookups
    def __len__(self) -> int:
        return len(self.parcels)

    def index_of(self, uid: str) -> int:
        for i, p in enumerate(self.parcels):
            if p.uid == uid:
                return i
        raise KeyError(uid)

    def by_uid(self, uid: str) -> Parcel:
        return self.parcels[self.index_of(uid)]

    def current_result(self, uid: str) -> StoredResult | None:
        """The result if it was computed from the parcel as it is now, else None."""
        stored = self.results.get(uid)
        if stored is None:
            return None
        try:
            p = self.by_uid(uid)
        except KeyError:
            return None
        return stored if stored.fingerprint == fingerprint(p, self.context) else None

    def is_reviewed(self, uid: str) -> bool:
        return self.by_uid(uid).review is not None and self.current_result(uid) is not None

    def stale(self) -> list[int]:
        """Indices of parcels without a current result."""
        return [i for i, p in enumerate(self.parcels) if self.current_result(p.uid) is None]

    # ----------------------------------------- reversible mutators
    def insert(self, index: int, parcel: Parcel) -> None:
        """Insert at ``index``; inverse: :meth:`remove` (same index)."""
        self.parcels.insert(index, parcel)

    def remove(self, index: int) -> Parcel:
        """Remove and return the parcel at ``index``; inverse: :meth:`insert`."""
        return self.parcels.pop(index)

    def put(self, index: int, parcel: Parcel) -> Parcel:
        """Replace the parcel at ``index`` by a snapshot; returns the one replaced (its own inverse)."""
        old = self.parcels[index]
        self.parcels[index] = parcel
        return old

    def edit(self, index: int, *, who: str, geometry=None, attrs: dict | None = None, what: str = "") -> Parcel:
        """Change outline and/or attributes; clears the review mark and logs the change.
        A new outline also clears the import's flags (the user drew it deliberately).
        Returns the previous snapshot (undo with :meth:`put`)."""
        old = self.parcels[index]
        new_attrs = dict(old.attrs)
        changes = []
        for k, v in (attrs or {}).items():
            v = "" if v is None else str(v)
            if new_attrs.get(k, "") != v:
                changes.append(f"{FIELD_BY_KEY[k].zh if k in FIELD_BY_KEY else k}: {old.get(k) or '—'} → {v or '—'}")
                new_attrs[k] = v
                if not v:   # empty values are never stored, so equal parcels have equal fingerprints
                    del new_attrs[k]
        if geometry is not None:
            changes.insert(0, f"图形: {old.geometry.area:.2f} m² → {geometry.area:.2f} m²")
        entry = HistoryEntry(now_text(), who, what or "；".join(changes) or "无变化")
        history = old.history + (entry,)
        if old.review is not None:
            history += (HistoryEntry(entry.when, who, f"复核标记（{old.review.reviewer}）因修改而清除"),)
        if geometry is not None and old.import_flags:
            flags = "、".join(f for f, _ in old.import_flags)
            history += (HistoryEntry(entry.when, who, f"导入时的图形标记（{flags}）因重新绘制图形而清除"),)
        self.parcels[index] = replace(old, geometry=old.geometry if geometry is None else geometry,
                                      attrs=new_attrs, review=None, history=history,
                                      import_flags=old.import_flags if geometry is None else ())
        return old

    def mark_reviewed(self, index: int, reviewer: str) -> Parcel:
        """Mark the current result as reviewed (复核) by ``reviewer``; returns the previous snapshot."""
        old = self.parcels[index]
        if self.current_result(old.uid) is None:
            raise RuleError(f"parcel {old.label}: assess it before marking it reviewed")
        when = now_text()
        self.parcels[index] = replace(old, review=Review(reviewer, when),
                                      history=old.history + (HistoryEntry(when, reviewer, "复核通过"),))
        return old

    # ------------------------------------------------------- results
    def set_results(self, stored: dict[str, StoredResult], *, compare: bool, reason: str = "",
                    who: str = "") -> None:
        """Store results. ``compare``: the zone set or rates changed, so keep the results
        replaced as ``previous`` for the per-parcel difference. ``reason`` (e.g. "等级图/税率变化",
        "所属期变化") says the results were recomputed because the context changed, not the
        parcel: a parcel whose result (amount, grade split, months) changed then gets a history
        entry with the amounts before → after (zone-set/rate changes), and loses its review
        mark (复核 approved the old result, not this one)."""
        if compare:
            self.previous = {uid: r for uid, r in self.results.items() if uid in stored}
        if reason:
            self._log_changed_results(stored, reason, who, amounts=compare)
        self.results.update(stored)

    def _log_changed_results(self, stored: dict[str, StoredResult], reason: str, who: str, *, amounts: bool) -> None:
        when = now_text()
        for uid, new in stored.items():
            old = self.results.get(uid)
            if old is None or result_key(old.result) == result_key(new.result):
                continue
            try:
                i = self.index_of(uid)
            except KeyError:
                continue
            p = self.parcels[i]
            change = f"应纳税额 {old.result.due} → {new.result.due} 元"
            entries = []
            if amounts:
                entries.append(HistoryEntry(when, who, f"因{reason}重新计税：{change}"))
            if p.review is not None:
                entries.append(HistoryEntry(when, who, "计税结果因等级图/税率/所属期变化而改变，复核标记清除"
                                                       f"（复核人 {p.review.reviewer}；{reason}：{change}）"))
            if entries:
                self.parcels[i] = replace(p, review=None, history=p.history + tuple(entries))

    def difference(self, uid: str) -> Decimal | None:
        """Amount due now minus amount due before the last zone-set / rate change (yuan)."""
        now, before = self.current_result(uid), self.previous.get(uid)
        if now is None or before is None:
            return None
        return now.result.due - before.result.due


def result_key(r: ParcelResult) -> tuple:
    """What a review approves: the amount, the split by grade (area, rate, months) and the liable months."""
    rows = tuple((row.grade, row.area_m2, row.rate, row.months, row.due) for row in r.rows)
    return (r.due, rows, r.liable.count if r.liable is not None else None, r.error)


def new_parcel(geometry, who: str, attrs: dict | None = None, what: str = "新建地块",
               import_flags=()) -> Parcel:
    when = now_text()
    clean = {k: str(v) for k, v in (attrs or {}).items() if v not in (None, "")}
    return Parcel(new_uid(), geometry, clean, None, who, (HistoryEntry(when, who, what),),
                  tuple((str(f), str(n)) for f, n in import_flags))


def import_repairs(imported) -> dict[int, tuple[tuple[str, str], ...]]:
    """Row position in ``imported.parcels`` → the (flag, note) pairs of outlines the importer
    repaired (a zones.io Finding ``repaired`` whose record is that row's index + 1). The same
    rule as the command line (:meth:`zones.io.base.ImportResult.record_flags`), kept with the parcel so the desktop's assessment
    reports the repair too."""
    return {k: tuple(pairs) for k, pairs in imported.record_flags({"repaired": "导入时图形无效，已修复："}).items()}


#: Column names found in parcel files (the sample, land-bureau exports) → attribute keys.
COLUMN_ALIASES = {
    "宗地号": "parcel_no", "宗地代码": "parcel_no", "地号": "parcel_no", "parcel_id": "parcel_no",
    "纳税人名称": "taxpayer_name", "土地使用权人名称": "taxpayer_name", "权利人": "taxpayer_name",
    "统一社会信用代码": "taxpayer_id", "纳税人识别号": "taxpayer_id", "身份证号": "taxpayer_id",
    "不动产权证号": "certificate_no", "不动产单元号": "unit_no", "土地名称": "land_name",
    "土地性质": "land_nature", "取得方式": "acquisition_mode", "土地取得方式": "acquisition_mode",
    "土地用途": "land_use", "用途": "land_use", "土地坐落": "address", "坐落": "address",
    "土地取得时间": "acquired", "证载面积": "declared_area", "证书面积": "declared_area",
    "小规模纳税人": "small_taxpayer", "起始月份": "liable_from", "纳税人类型": "taxpayer_type",
}


def attrs_from_record(record: dict) -> dict:
    """Attributes of an imported record (column → value), by :data:`COLUMN_ALIASES`.
    减免性质代码 becomes a whole-area relief claim; 终止月份 a termination (纳税义务终止)."""
    out: dict[str, str] = {}
    for col, value in record.items():
        if value is None or (isinstance(value, float) and value != value) or str(value).strip() == "":
            continue
        text = str(value).strip()
        key = COLUMN_ALIASES.get(str(col).strip())
        if key == "small_taxpayer":
            text = "是" if text.lower() in ("1", "true", "是", "yes", "y") else ""
        if key and text:
            out.setdefault(key, text)
        elif str(col).strip() == "减免性质代码":
            out["reliefs"] = reliefs_text([{"code": code.strip()} for code in text.replace("，", ",").split(",") if code.strip()])
        elif str(col).strip() == "终止月份":
            out["change_type"] = "纳税义务终止（其他）"
            out["change_month"] = text
    return out


def assess_context(zoneset, period: TaxPeriod, tax_base: str = TAX_BASE_ROUNDED) -> str:
    """The context string of results computed on ``zoneset`` for ``period`` under the
    ``tax_base`` rounding rule."""
    rates = ",".join(f"{g}={zoneset.rates[g]}" for g in sorted(zoneset.rates))
    return f"{zoneset.id}|{zoneset.version}|{rates}|{period}|base={tax_base}"


class Selection:
    """The selected parcels (by uid), with plain callbacks; lives in the core so the map,
    the table and the panels all read the same selection."""

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


def assess_parcels(parcels: list[Parcel], zoneset, period: TaxPeriod, *, catalogue, progress=None,
                   input_sha256: str | None = None, keep_pieces: bool = False, tax_base: str = TAX_BASE_ROUNDED):
    """Assess snapshots of parcels (safe on a worker thread: snapshots are immutable).
    Returns ({uid: StoredResult}, Assessment). A parcel whose attributes cannot be read
    gets a result carrying the error instead of stopping the others."""
    import geopandas as gpd

    from zones.assess import assess

    terms, bad = [], {}
    for p in parcels:
        try:
            terms.append(terms_of(p))
        except RuleError as exc:
            terms.append(None)
            bad[p.uid] = str(exc)
    geo = gpd.GeoSeries([p.geometry for p in parcels], crs=PROJECT_CRS)
    record_flags = {i: list(p.import_flags) for i, p in enumerate(parcels) if p.import_flags}
    run = assess(geo, zoneset, period, ids=[p.label for p in parcels], terms=terms, catalogue=catalogue,
                 input_sha256=input_sha256, keep_pieces=keep_pieces, progress=progress, record_flags=record_flags,
                 options=TaxOptions(tax_base=tax_base))
    prov = run.provenance.as_dict()
    context = assess_context(zoneset, period, tax_base)
    out = {}
    for i, p in enumerate(parcels):
        r = run.parcel(i)
        if p.uid in bad:
            r = replace(r, rows=(), error=bad[p.uid], flags=r.flags + ("invalid_terms",))
        out[p.uid] = StoredResult(r, fingerprint(p, context), prov)
    return out, run
