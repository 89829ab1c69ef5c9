"""Which text encoding a shapefile's .dbf uses, and how we know.

Order of evidence (first wins): the user's override, a ``.cpg`` beside the
``.shp``, the LDID byte at offset 29 of the .dbf header, then detection from the
raw bytes of the character fields: strict UTF-8, else GB18030.

Why UTF-8 is tried first although domestic tools mostly write GBK: almost any
byte string decodes as GBK, while non-ASCII GBK text practically never passes a
strict UTF-8 check; so "UTF-8 first" is the discriminating order.

All GB-family names (936, CP936, GBK, GB2312) are read as ``GB18030``, a strict
superset, so a rare character in a taxpayer's name never breaks the decode.
Nothing is ever written next to the input (no .cpg is created).
"""

from __future__ import annotations

import struct
from pathlib import Path

GB = "GB18030"

# LDID (dBase language driver id) -> encoding. From the ESRI/ArcPad code page
# table. 0x57 ("ANSI") is deliberately absent: ArcGIS writes it on every Windows
# machine and it means "the system code page", i.e. GBK on Chinese Windows and
# UTF-8 never; it states nothing, so we detect instead.
LDID_ENCODINGS = {
    0x01: "CP437", 0x02: "CP850", 0x03: "CP1252", 0x13: "CP932", 0x4D: GB, 0x4E: "CP949",
    0x4F: "CP950", 0x58: "CP1252", 0x59: "CP1252", 0x64: "CP852", 0x65: "CP866",
    0x78: "CP950", 0x79: "CP949", 0x7A: GB, 0x7B: "CP932", 0x7C: "CP874",
    0xC8: "CP1250", 0xC9: "CP1251", 0xCA: "CP1254", 0xCB: "CP1253",
}

_CPG_ALIASES = {
    "936": GB, "cp936": GB, "gbk": GB, "gb2312": GB, "gb18030": GB, "ansi 936": GB,
    "utf-8": "UTF-8", "utf8": "UTF-8", "65001": "UTF-8", "1252": "CP1252", "950": "CP950",
    "big5": "CP950", "latin1": "ISO-8859-1", "iso-8859-1": "ISO-8859-1", "88591": "ISO-8859-1",
}


def normalize_encoding(name: str) -> str:
    """Map a user/.cpg encoding name to one GDAL (iconv) and Python both know."""
    key = name.strip().lower()
    if key in _CPG_ALIASES:
        return _CPG_ALIASES[key]
    if key.isdigit():
        return f"CP{key}"
    return name.strip().upper()


def _check_python_codec(enc: str) -> bool:
    try:
        b"x".decode(enc)
        return True
    except LookupError:
        return False


def dbf_char_bytes(dbf: Path, limit: int = 2_000_000) -> bytes:
    """Raw bytes of the field names and character (``C``) fields of up to ``limit`` bytes of records."""
    with open(dbf, "rb") as fh:      # the header and the first records only, never the whole table
        data = fh.read(32 + 32 * 2048 + 1 + limit)
    if len(data) < 32:
        return b""
    nrec, hlen, rlen = struct.unpack("<IHH", data[4:12])
    names, spans, off, pos = [], [], 1, 32  # offset 1: each record starts with a deletion flag
    while pos + 32 <= min(hlen, len(data)) and data[pos] != 0x0D:
        desc = data[pos:pos + 32]
        names.append(desc[:11].split(b"\0", 1)[0])
        ftype, flen = chr(desc[11]), desc[16]
        if ftype == "C":
            spans.append((off, off + flen + 256 * desc[17]))  # byte 17: high byte of long C fields
            off += flen + 256 * desc[17]
        else:
            off += flen
        pos += 32
    out = bytearray(b" ".join(names))
    if rlen <= 0:
        return bytes(out)
    for i in range(nrec):
        start = hlen + i * rlen
        if start + rlen > len(data) or len(out) > limit:
            break
        rec = data[start:start + rlen]
        for a, b in spans:
            out += b" " + rec[a:b].rstrip(b" \0")
    return bytes(out)


def _chinese_like(text: str) -> bool:
    """True when every non-ASCII character is Chinese (CJK ideographs, CJK/full-width punctuation)."""
    for ch in text:
        o = ord(ch)
        if o < 0x80:
            continue
        if not (0x3000 <= o <= 0x303F or 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF
                or 0xFF00 <= o <= 0xFFEF or 0x20000 <= o <= 0x3FFFF or o in (0xB7, 0xD7, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026, 0x00B2, 0x33A1)):
            return False
    return True


def detect_bytes(raw: bytes) -> str:
    """``UTF-8`` or ``GB18030`` for the raw text bytes of a file, else ``ISO-8859-1``
    (never fails; the text will look wrong and the user can override).

    Strict UTF-8 first; but a short GBK string can also be valid UTF-8 (GBK "一" is
    the UTF-8 of Cyrillic "һ"), so when the UTF-8 reading is not Chinese-looking
    and the GB18030 reading is, GB18030 wins.
    """
    try:
        as_utf8 = raw.decode("utf-8")
    except UnicodeDecodeError:
        as_utf8 = None
    if as_utf8 is not None and _chinese_like(as_utf8):
        return "UTF-8"
    try:
        if _chinese_like(raw.decode("gb18030")) or as_utf8 is None:
            return GB
    except UnicodeDecodeError:
        pass
    return "UTF-8" if as_utf8 is not None else "ISO-8859-1"


def shapefile_encoding(shp: str | Path, override: str | None = None) -> tuple[str, str, str]:
    """Decide the .dbf encoding of the shapefile ``shp``.

    Returns ``(encoding, how, note)``; ``how`` is ``override``, ``cpg``, ``ldid`` or
    ``detected``; ``note`` is a sentence for the import report.
    """
    shp = Path(shp)
    if override:
        enc = normalize_encoding(override)
        if not _check_python_codec(enc):
            from zones.io.base import ParcelImportError
            raise ParcelImportError(str(shp), f"unknown text encoding {override!r} (try GBK or UTF-8)")
        return enc, "override", f"encoding {enc} given by the user"
    cpg = _sibling(shp, ".cpg")
    if cpg is not None:
        text = cpg.read_bytes().decode("ascii", "ignore").strip()
        if text:
            enc = normalize_encoding(text)
            if _check_python_codec(enc):
                return enc, "cpg", f"{cpg.name} says {text!r}"
    dbf = _sibling(shp, ".dbf")
    if dbf is None:
        return "UTF-8", "detected", "no .dbf found"
    with open(dbf, "rb") as fh:
        head = fh.read(32)
    ldid = head[29] if len(head) > 29 else 0
    if ldid in LDID_ENCODINGS:
        return LDID_ENCODINGS[ldid], "ldid", f".dbf language driver id 0x{ldid:02X}"
    enc = detect_bytes(dbf_char_bytes(dbf))
    why = "no .cpg and no language driver id" if ldid == 0 else f"no .cpg; LDID 0x{ldid:02X} states no code page"
    return enc, "detected", f"{why}; the text decodes as {enc}"


def _sibling(shp: Path, ext: str) -> Path | None:
    """The file ``shp`` with extension ``ext`` in any letter case (Windows tools write .DBF, .CPG)."""
    for cand in (shp.with_suffix(ext), shp.with_suffix(ext.upper())):
        if cand.exists():
            return cand
    stem = shp.stem.lower()
    for cand in shp.parent.glob("*"):
        if cand.stem.lower() == stem and cand.suffix.lower() == ext:
            return cand
    return None


def zip_member_name(info) -> str:
    """Decode a zip member name: Chinese Windows zips store GBK names without the UTF-8 flag,
    which Python shows as CP437 mojibake."""
    if info.flag_bits & 0x800:
        return info.filename
    raw = info.filename.encode("cp437", "replace")
    for enc in ("utf-8", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return info.filename
