"""Reading a parcel's descriptive attributes (taxpayer, codes, address…) from the
attribute table, whatever the column is called: the 税源明细表 wording, common
short Chinese names, or English names."""

from __future__ import annotations

import math
import unicodedata
from decimal import Decimal

import pandas as pd

from zones.errors import RuleError
from zones.schema import FIELD_BY_KEY, normalise_name, parse_area

#: The reports' keys → the attribute schema's keys (:mod:`zones.schema` names every column).
REPORT_KEYS = {
    "payer_type": "taxpayer_type", "taxpayer": "taxpayer_name", "uscc": "taxpayer_id", "land_no": "land_no",
    "land_name": "land_name", "cert_no": "certificate_no", "unit_no": "unit_no", "parcel_no": "parcel_no",
    "nature": "land_nature", "acquisition": "acquisition_mode", "land_use": "land_use", "address": "address",
    "tax_office": "tax_office", "acquired": "acquired", "change_type": "change_type", "change_time": "change_month",
    "declared_area": "declared_area",
}
#: canonical key → accepted column names, most specific first (from the schema).
FIELD_NAMES: dict[str, tuple[str, ...]] = {k: FIELD_BY_KEY[key].names for k, key in REPORT_KEYS.items()}


def printable(text) -> str:
    """``text`` as a document may show it: tabs and line breaks (a co-owner on a second line in
    Excel) become spaces; any other control character (a vertical tab pasted from Word, ESC …)
    is shown escaped as ``\\x0b``, never passed on to a PDF or a worksheet, which refuse them."""
    text = str(text)
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch in "\t\n\r":
            out.append(" ")
        elif unicodedata.category(ch) == "Cc":
            out.append(f"\\x{ord(ch):02x}" if ord(ch) < 256 else f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)


def _key(name) -> str:
    return normalise_name(name)


class Fields:
    """The attributes of one parcel: ``Fields(attributes, i).get("taxpayer")`` → text or ''."""

    def __init__(self, attributes: pd.DataFrame | None, index: int):
        self.values: dict[str, object] = {}
        if attributes is None or index >= len(attributes):
            return
        row = attributes.iloc[index]
        by_key = {_key(c): c for c in attributes.columns}
        for field, names in FIELD_NAMES.items():
            for name in names:
                col = by_key.get(_key(name))
                if col is not None and not _blank(row[col]):
                    self.values[field] = row[col]
                    break

    def get(self, field: str) -> str:
        v = self.values.get(field)
        if v is None:
            return ""
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        if hasattr(v, "strftime"):
            return v.strftime("%Y-%m")
        return printable(str(v).strip()).strip()

    def area(self, field: str = "declared_area") -> Decimal | None:
        """A number of m² (accepts '1,234.5', '1234.5㎡'); None when absent or unreadable."""
        v = self.values.get(field)
        if v is None:
            return None
        try:
            return parse_area(v)
        except RuleError:
            return None


def _blank(v) -> bool:
    if v is None:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    try:
        if pd.isna(v):
            return True
    except (TypeError, ValueError):
        pass
    return isinstance(v, str) and not v.strip()
