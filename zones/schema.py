"""The attribute schema: one list of the 税源明细 attributes a parcel carries, with
their Chinese and English names, the column names found in files (aliases), their
types, and the parsing of every terms field (小规模纳税人, 减免性质代码, areas, months).

Qt-free. Every place that reads or names an attribute uses this module: the import
(:func:`zones.project.attrs_from_record`), the command line (``parcel_terms``), the
project (:data:`zones.project.FIELDS` is :data:`PROJECT_FIELDS`), the report columns
(:mod:`zones.report.fields`) and the desktop's tables. So a record means the same
on every path: ``√`` is a small taxpayer for the CLI and for the desktop alike.

Parsing is strict where a wrong guess would change the tax: a small-taxpayer word that
is neither yes nor no, an area that is not a number, a month that is not a month raise
:class:`~zones.errors.RuleError` (the record is flagged ``invalid_terms``, never
silently taken as "no"). Full-width digits and punctuation (NFKC) are accepted everywhere.
"""

from __future__ import annotations

import functools
import math
import re
import sys
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from zones.errors import RuleError
from zones.periods import AcquisitionCase, YearMonth


@dataclass(frozen=True)
class Field:
    """One attribute. ``kind``: text | id | month | area | bool | case | reliefs.
    ``aliases``: other column names meaning this attribute (most specific first).
    ``in_project``: a column of the project's parcel table (the others are read for reports only)."""

    key: str
    zh: str
    en: str
    options: tuple[str, ...] = ()
    kind: str = "text"
    aliases: tuple[str, ...] = ()
    in_project: bool = True

    @property
    def names(self) -> tuple[str, ...]:
        """Every column name meaning this attribute: Chinese, key, aliases, English."""
        return (self.zh.split("(")[0], self.key, *self.aliases, self.en)


TAXPAYER_TYPES = ("土地使用权人", "集体土地使用人", "无偿使用人", "代管人", "实际使用人")
LAND_NATURES = ("国有", "集体")
ACQUISITION_MODES = ("划拨", "出让", "转让", "租赁", "征用耕地", "征用非耕地", "其他")
LAND_USES = ("工业", "商业", "居住", "综合", "房地产开发企业的开发用地", "其他")
CHANGE_TYPES = ("纳税义务终止（权属转移）", "纳税义务终止（其他）", "信息项变更（土地面积变更）",
                "信息项变更（土地等级变更）", "信息项变更（减免税变更）", "信息项变更（其他）")
TERMINATION = "纳税义务终止（其他）"

FIELDS: tuple[Field, ...] = (
    Field("parcel_no", "宗地号", "Parcel no.", aliases=("宗地代码", "地号", "parcel_id")),
    Field("taxpayer_type", "纳税人类型", "Taxpayer type", TAXPAYER_TYPES, aliases=("payer_type",)),
    Field("taxpayer_name", "纳税人名称", "Taxpayer name",
          aliases=("土地使用权人名称", "纳税人", "权利人", "taxpayer", "owner")),
    Field("taxpayer_id", "统一社会信用代码/身份证号", "Credit code / ID no.", kind="id",
          aliases=("统一社会信用代码", "土地使用权人纳税人识别号（统一社会信用代码）", "纳税人识别号", "社会信用代码",
                   "身份证号", "uscc", "tax_id")),
    Field("certificate_no", "不动产权证号", "Title certificate no.", aliases=("权证号", "土地证号", "cert_no", "certificate")),
    Field("unit_no", "不动产单元号", "Real-estate unit no.", kind="id", aliases=("单元号", "unit_number")),
    Field("land_name", "土地名称", "Land name"),
    Field("land_nature", "土地性质", "Land ownership", LAND_NATURES, aliases=("nature",)),
    Field("acquisition_mode", "取得方式", "Acquired by", ACQUISITION_MODES, aliases=("土地取得方式", "acquisition")),
    Field("land_use", "土地用途", "Land use", LAND_USES, aliases=("用途", "use")),
    Field("address", "土地坐落", "Address", aliases=("土地坐落地址（详细地址）", "坐落", "地址", "location")),
    Field("acquired", "土地取得时间", "Acquired (month)", kind="month", aliases=("取得时间", "acquired_on")),
    Field("acquisition_case", "取得情形", "Acquisition case", tuple(c.value for c in AcquisitionCase), kind="case"),
    Field("liable_from", "应税起始月份", "First liable month", kind="month", aliases=("起始月份", "liable_from_month")),
    Field("change_type", "变更类型", "Change type", CHANGE_TYPES),
    Field("change_month", "变更时间", "Change month", kind="month", aliases=("change_time",)),
    Field("declared_area", "证载面积(m²)", "Certificate area (m²)", kind="area",
          aliases=("证书面积", "申报面积", "占用土地面积", "declared_area_m2", "cert_area")),
    Field("small_taxpayer", "小规模纳税人", "Small taxpayer", kind="bool", aliases=("六税两费减半", "small")),
    Field("reliefs", "减免", "Reliefs", kind="reliefs"),
    # read from files for the reports and workbooks; not columns of the project
    Field("land_no", "土地编号", "Land no.", in_project=False),
    Field("tax_office", "土地所属主管税务所（科、分局）", "Tax office", aliases=("主管税务所",), in_project=False),
)
FIELD_BY_KEY = {f.key: f for f in FIELDS}
PROJECT_FIELDS = tuple(f for f in FIELDS if f.in_project)

#: Columns of imported files that are not attributes themselves but set one.
RELIEF_CODE_NAMES = ("减免性质代码", "减免代码", "减免性质", "relief_code", "relief_codes")
LIABLE_TO_NAMES = ("终止月份", "应税终止月份", "liable_to")


# ------------------------------------------------------------------ names

def normalise_name(name) -> str:
    """A column name compared loosely: full-width → half-width, lower case, no spaces,
    underscores, dashes or brackets (``土地坐落（详细地址）`` ~ ``土地坐落(详细地址)``)."""
    s = unicodedata.normalize("NFKC", str(name)).lower()
    return re.sub(r"[\s_\-（）()]", "", s)


_BY_NAME: dict[str, str] = {}
for _f in FIELDS:
    for _n in _f.names:
        _BY_NAME.setdefault(normalise_name(_n), _f.key)
_RELIEF_NAMES = {normalise_name(n) for n in RELIEF_CODE_NAMES}
_LIABLE_TO_NAMES = {normalise_name(n) for n in LIABLE_TO_NAMES}


def key_of_column(name) -> str | None:
    """The attribute key a file's column means, or None. Relief-code and end-month
    columns answer ``"relief_codes"`` and ``"liable_to"``."""
    n = normalise_name(name)
    if n in _RELIEF_NAMES:
        return "relief_codes"
    if n in _LIABLE_TO_NAMES:
        return "liable_to"
    return _BY_NAME.get(n)


def columns_for(key: str, columns) -> list:
    """The columns of ``columns`` that mean ``key``, in the order of the field's names."""
    by_norm = {normalise_name(c): c for c in columns}
    names = FIELD_BY_KEY[key].names if key in FIELD_BY_KEY else (
        RELIEF_CODE_NAMES if key == "relief_codes" else LIABLE_TO_NAMES)
    return [by_norm[normalise_name(n)] for n in names if normalise_name(n) in by_norm]


#: The attributes that change the tax. Two columns of one file meaning one of these are
#: refused (the command line's exit 2, the desktop's import dialog, ``project import``): the
#: amount would depend on which column was guessed.
TERMS_KEYS = frozenset({"declared_area", "liable_from", "liable_to", "acquired", "acquisition_mode",
                        "relief_codes", "small_taxpayer"})


@dataclass(frozen=True)
class ColumnPlan:
    """Which column of a file is read as which attribute. Where several columns mean one
    attribute, the most specific (the first in the field's names: 纳税人名称 before 权利人)
    is read; ``doubled`` names them all, the one read first, so nobody is left to guess."""

    read: tuple[tuple[object, str], ...]                  # (column, attribute key)
    doubled: tuple[tuple[str, tuple[object, ...]], ...]   # (attribute key, its columns, the read one first)

    def terms_doubled(self) -> tuple[tuple[str, tuple[object, ...]], ...]:
        return tuple(d for d in self.doubled if d[0] in TERMS_KEYS)


def field_names(key: str) -> tuple[str, str]:
    """The attribute's Chinese and English names (also for the columns that set one)."""
    if key in FIELD_BY_KEY:
        return FIELD_BY_KEY[key].zh, FIELD_BY_KEY[key].en
    return {"relief_codes": ("减免性质代码", "Relief codes"), "liable_to": ("终止月份", "Last liable month")}.get(key, (key, key))


def field_label(key: str) -> str:
    """The attribute as a message names it: ``证载面积(m²) (Certificate area (m²))``."""
    zh, en = field_names(key)
    return f"{zh} ({en})"


def _names_of(key: str) -> list[str]:
    names = FIELD_BY_KEY[key].names if key in FIELD_BY_KEY else (
        RELIEF_CODE_NAMES if key == "relief_codes" else LIABLE_TO_NAMES)
    return [normalise_name(n) for n in names]


@functools.lru_cache(maxsize=256)
def column_plan(columns: tuple) -> ColumnPlan:
    """The :class:`ColumnPlan` of a file's columns (a tuple, in the file's order)."""
    by_key: dict[str, list] = {}
    for col in columns:
        key = key_of_column(col)
        if key is not None:
            by_key.setdefault(key, []).append(col)
    read, doubled = [], []
    for key, cols in by_key.items():
        names = _names_of(key)
        cols.sort(key=lambda c: names.index(normalise_name(c)) if normalise_name(c) in names else len(names))
        read.append((cols[0], key))
        if len(cols) > 1:
            doubled.append((key, tuple(cols)))
    return ColumnPlan(tuple(read), tuple(doubled))


def doubled_note(key: str, cols) -> str:
    """What a reader is told when several columns mean one (non-terms) attribute."""
    return (f"the columns {', '.join(repr(str(c)) for c in cols)} all mean {field_label(key)}; "
            f"{str(cols[0])!r} is read, the others are not")


def refuse_doubled_terms(columns, source: str, *, settled=(), how: str = "") -> None:
    """InputError naming the file and the columns when two of them mean one terms attribute
    (``settled``: attribute keys an explicit choice already decides). ``how``: what the user
    can do about it, in the caller's words."""
    from zones.errors import InputError

    for key, cols in column_plan(tuple(columns)).terms_doubled():
        if key not in settled:
            named = ", ".join(repr(str(c)) for c in cols)
            raise InputError(source, f"the columns {named} all mean {field_label(key)}; "
                                     + (how or "keep one of them in a copy of the file and import that"))


# ---------------------------------------------------------------- values

def is_blank(value) -> bool:
    """None, NaN, '' or words meaning nothing ('nan', 'none', 'null', 'nat')."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    pd = sys.modules.get("pandas")    # pandas' NA/NaT can only come from pandas once it is imported
    if pd is not None and (value is pd.NA or value is pd.NaT):
        return True
    text = unicodedata.normalize("NFKC", str(value)).strip()
    return text.lower() in ("", "nan", "none", "null", "nat", "<na>")


def clean_text(value) -> str:
    """A cell as text: '' when blank; integral floats without '.0' (12.0 → '12');
    dates as YYYY-MM-DD; surrounding spaces removed (full-width ones too)."""
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d")
    return str(value).strip().strip("\u3000")


def _nfkc(value) -> str:
    return unicodedata.normalize("NFKC", str(value)).strip()


TRUE_WORDS = frozenset({"1", "true", "t", "yes", "y", "是", "对", "√", "✓", "✔", "x"})
FALSE_WORDS = frozenset({"0", "false", "f", "no", "n", "否", "不是", "×", "✗", "-"})


def parse_bool(value, name: str = "小规模纳税人") -> bool | None:
    """A yes/no cell: ``√ 是 Y 1 true yes 对 x`` → True, ``0 否 N false no ×`` → False,
    blank → None. Anything else raises RuleError (the record is not taxed on a guess)."""
    if isinstance(value, bool):
        return value
    if is_blank(value):
        return None
    word = _nfkc(value).lower()
    if isinstance(value, (int, float)) or re.fullmatch(r"[0-9.]+", word):
        try:
            number = float(word)
        except ValueError:
            number = None
        if number in (0.0, 1.0):
            return number == 1.0
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise RuleError(f"{name} {str(value)!r} is neither yes (是/√/Y/1) nor no (否/N/0)")


def parse_relief_codes(value) -> tuple[str, ...]:
    """减免性质代码 cell → codes: ``A;B``, ``A；B``, ``A,B``, ``A、B``, ``A B``, full-width
    digits; blank → (). Integral floats (a code read as a number) lose their '.0'."""
    if is_blank(value):
        return ()
    text = _nfkc(clean_text(value))
    return tuple(dict.fromkeys(c for c in re.split(r"[;,、/|\s]+", text) if c))


_AREA_JUNK = re.compile(r"[,\s]|m2|m²|㎡|平方米")
HUNDREDTH = Decimal("0.01")


def parse_area(value, name: str = "证载面积") -> Decimal | None:
    """An area in m² to 0.01 (half-up): ``1,234.5``, ``1234.5㎡``, full-width digits;
    blank → None. Not a positive finite number → RuleError."""
    if is_blank(value):
        return None
    text = _AREA_JUNK.sub("", _nfkc(value).lower())
    try:
        d = Decimal(text)
    except InvalidOperation:
        raise RuleError(f"{name} {str(value)!r} is not a number of m²") from None
    if not d.is_finite() or d <= 0:
        raise RuleError(f"{name} {str(value)!r} is not a positive area")
    try:
        return d.quantize(HUNDREDTH, rounding=ROUND_HALF_UP)
    except InvalidOperation:       # more digits than Decimal's 28: no parcel is that large
        from zones.io.safety import shown

        raise RuleError(f"{name} {shown(repr(str(value)), 40)} is too large to be an area of land") from None


def parse_month(value, name: str = "") -> YearMonth | None:
    """A month (``2024-07``, ``2024年7月``, ``２０２４－０７``, a date); blank → None;
    unreadable → RuleError naming ``name``."""
    if is_blank(value):
        return None
    try:
        return YearMonth.parse(value if hasattr(value, "year") else _nfkc(value))
    except RuleError as exc:
        raise RuleError(f"{name} {exc}".strip()) from None
