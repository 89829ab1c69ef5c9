"""Characters a report could not print: every text a parcel's report shows from the input
(taxpayer, codes, address, the parcel id) is checked against the report fonts, so that a rare
character (刘䶮, 王𠀀明) never vanishes from the page without a word: the parcel is flagged
``glyph_missing`` with the characters named."""

from __future__ import annotations

from zones.report.fields import Fields
from zones.report.fonts import describe_missing, missing_glyphs

#: The attribute fields a report prints, with their labels.
PRINTED_FIELDS = (("taxpayer", "纳税人名称"), ("uscc", "统一社会信用代码"), ("payer_type", "纳税人类型"),
                  ("unit_no", "不动产单元号"), ("cert_no", "不动产权证号"), ("land_use", "土地用途"),
                  ("address", "土地坐落"))


def missing_in_parcel(parcel_id: str, fields: Fields) -> str | None:
    """The note for one parcel ('纳税人名称中的 䶮（U+4DAE）…无法打印'), or None when every character prints."""
    parts = []
    for label, text in [("宗地号", parcel_id)] + [(label, fields.get(key)) for key, label in PRINTED_FIELDS]:
        chars = missing_glyphs(text) if text else []
        if chars:
            parts.append(f"{label}中的 {describe_missing(chars)}")
    if not parts:
        return None
    return "；".join(parts) + " 报告字体无法打印，打印件中缺字，请手工补写"


def missing_glyph_notes(assessment, attributes, indices=None) -> dict[int, str]:
    """Parcel index → note, for the parcels some of whose printed text cannot be printed."""
    out = {}
    for i in (range(len(assessment)) if indices is None else indices):
        note = missing_in_parcel(assessment.ids[i], Fields(attributes, i))
        if note:
            out[i] = note
    return out


def flag_missing_glyphs(assessment, attributes, table) -> list[str]:
    """Add ``glyph_missing`` to the flags column of ``table`` (the command line's results) for the
    parcels concerned; returns one finding line per parcel."""
    lines = []
    for i, note in missing_glyph_notes(assessment, attributes).items():
        flags = [f for f in str(table.at[i, "flags"] or "").split(";") if f]
        table.at[i, "flags"] = ";".join(flags + ["glyph_missing"])
        lines.append(f"warning: parcel {assessment.ids[i]} (record {i + 1}): glyph_missing: {note}")
    return lines
