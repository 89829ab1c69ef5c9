"""Fuzz the text readers: mutated boundary-point tables (CSV), exchange text, CASS .dat, GeoJSON
and XLSX workbooks through :func:`zones.io.read_parcels`.

Expected outcomes are a result, or :class:`ParcelImportError` with one line of at most 300
characters and no raw control character. Anything else (another exception, a longer or
multi-line message, a read over ``--timeout`` seconds) is a failure: the input is saved under
``--save`` with the traceback, and the exit status is 1.

    python tools/fuzz_readers.py --count 20000            # the full run (all five readers)
    python tools/fuzz_readers.py --count 300 --seed 7     # what the test suite runs

Plain seeded random mutation (no extra dependency): byte flips, inserts, deletes, duplicated or
cut ranges, and format-aware changes (hostile numbers, quotes, line breaks, control characters,
other encodings, deep nesting, cells far away in a sheet).
"""

from __future__ import annotations

import argparse
import io
import json
import random
import shutil
import signal
import sys
import tempfile
import time
import traceback
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from zones.io import ParcelImportError, read_parcels

WENZHOU = (120.4, 27.7, 121.3, 28.2)
E0, N0 = 564_400.0, 3_100_400.0
HOSTILE_NUMBERS = ["NaN", "nan", "inf", "-inf", "Infinity", "1e308", "1e309", "-0", "", " ", "9" * 300, "0x10",
                   "１２３", "3,100,400", "1_000", "--1", "1e", ".", "+", "1.2.3", "\x00", "1e-320", "4" * 20]
HOSTILE_TEXT = ["\x1b[2J", "\x0b", "\r", "\n", '"', "'", "\t", ",", "，", ";", "@", "=1+1", "\u202e", "\ufeff",
                "[地块坐标]", "[属性描述]", "圈号", "X", "Y", "\x00", "长" * 50, "𠀀", "\\", "%s", "{}", "]"]


# ------------------------------------------------------------------ seeds
def _ring(k, w=60.0, h=40.0):
    e, n = E0 + 100 * k, N0
    return [(e, n), (e + w, n), (e + w, n + h), (e, n + h)]


def seed_csv() -> str:
    rows = ["宗地号,点号,圈号,X,Y,权利人"]
    for k in range(3):
        rows += [f"P{k},J{i},1,{n:.3f},{e:.3f},\"张三\n李四\"" for i, (e, n) in enumerate(_ring(k), 1)]
    return "\n".join(rows) + "\n"


def seed_exchange() -> str:
    out = ["[属性描述]", "坐标系=2000国家大地坐标系", "几度分带=3", "投影类型=高斯克吕格", "计量单位=米", "带号=40", "[地块坐标]"]
    for k in range(3):
        pts = _ring(k) + _ring(k)[:1]
        out.append(f"{len(pts)},0.2400,T{k},地块{k},面,,071,0701,@")
        out += [f"J{i},1,{n:.3f},{40_000_000 + e:.3f}" for i, (e, n) in enumerate(pts, 1)]
    return "\n".join(out) + "\n"


def seed_cass() -> str:
    return "".join(f"{i},A{k},{e:.3f},{n:.3f},5.0\n" for k in range(2) for i, (e, n) in enumerate(_ring(k), 1))


def seed_geojson() -> dict:
    feats = []
    for k in range(3):
        lon, lat = 120.65 + 0.001 * k, 28.01
        ring = [[lon, lat], [lon + 0.0006, lat], [lon + 0.0006, lat + 0.0004], [lon, lat + 0.0004], [lon, lat]]
        feats.append({"type": "Feature", "properties": {"宗地号": f"G{k}", "面积": 2400},
                      "geometry": {"type": "Polygon", "coordinates": [ring]}})
    return {"type": "FeatureCollection", "features": feats}


def xlsx_template() -> dict[str, bytes]:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["宗地号", "点号", "X", "Y"])
    for k in range(2):
        for i, (e, n) in enumerate(_ring(k), 1):
            ws.append([f"P{k}", f"J{i}", n, e])
    buf = io.BytesIO()
    wb.save(buf)
    with zipfile.ZipFile(buf) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


# ------------------------------------------------------------------ mutations
def mutate_bytes(rng: random.Random, data: bytes) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(6)
        pos = rng.randrange(len(b) + 1)
        if op == 0 and b:
            b[min(pos, len(b) - 1)] = rng.randrange(256)
        elif op == 1:
            b[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        elif op == 2:
            del b[pos:pos + rng.randint(1, 64)]
        elif op == 3:
            end = min(len(b), pos + rng.randint(1, 200))
            b[pos:pos] = b[pos:end] * rng.randint(1, 5)
        elif op == 4:
            del b[pos:]
        else:
            b[pos:pos] = rng.choice(HOSTILE_TEXT).encode("utf-8")
    return bytes(b)


def mutate_text(rng: random.Random, text: str, delims=",") -> str:
    lines = text.split("\n")
    for _ in range(rng.randint(1, 5)):
        op = rng.randrange(8)
        k = rng.randrange(len(lines)) if lines else 0
        if not lines:
            lines = [""]
        if op == 0:                                      # a number → a hostile number
            cells = lines[k].split(rng.choice(delims))
            c = rng.randrange(len(cells))
            cells[c] = rng.choice(HOSTILE_NUMBERS)
            lines[k] = delims[0].join(cells)
        elif op == 1:                                    # hostile text inside a line
            p = rng.randrange(len(lines[k]) + 1)
            lines[k] = lines[k][:p] + rng.choice(HOSTILE_TEXT) + lines[k][p:]
        elif op == 2:
            lines.insert(k, lines[k] if lines else "")
        elif op == 3:
            del lines[k]
        elif op == 4:
            rng.shuffle(lines)
        elif op == 5:                                    # a long cell
            lines[k] += delims[0] + rng.choice(["长", "9", '"', "a,"]) * rng.choice([10, 1000, 140_000])
        elif op == 6:
            lines.insert(k, rng.choice(HOSTILE_TEXT) * rng.randint(1, 3))
        else:
            lines = lines[:k]
    return "\n".join(lines)


def encode(rng: random.Random, text: str) -> bytes:
    enc = rng.choice(["utf-8", "utf-8", "utf-8", "gb18030", "utf-16", "utf-8-sig", "latin-1", "utf-16-be"])
    data = text.encode(enc, errors="replace")
    return mutate_bytes(rng, data) if rng.random() < 0.3 else data


def gen_csv(rng):
    return ".csv", encode(rng, mutate_text(rng, seed_csv(), ",;\t"))


def gen_exchange(rng):
    return ".txt", encode(rng, mutate_text(rng, seed_exchange(), ",="))


def gen_cass(rng):
    return ".dat", encode(rng, mutate_text(rng, seed_cass(), ","))


def _mutate_json(rng, v, depth=0):
    if rng.random() < 0.08:
        return rng.choice([None, float("nan"), float("inf"), 1e308, -1, "", "x", [], {}, [[[]]], True, "\x1b[2J",
                           [float("nan")] * 2, [1e400 if False else 1e300, 2], "9" * 300, [[0, 0]] * 3])
    if isinstance(v, dict):
        return {k: _mutate_json(rng, x, depth + 1) for k, x in v.items() if rng.random() > 0.03}
    if isinstance(v, list):
        out = [_mutate_json(rng, x, depth + 1) for x in v if rng.random() > 0.03]
        if out and rng.random() < 0.05:
            out.append(out[0])
        return out
    if isinstance(v, float) and rng.random() < 0.2:
        return v + rng.choice([1e-9, 1, 1000, -v, 1e7])
    return v


def gen_geojson(rng):
    doc = _mutate_json(rng, seed_geojson())
    if rng.random() < 0.05:
        depth = rng.choice([100, 1000, 5000])
        text = '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":' + "[" * depth + "]" * depth + "}}]}"
    else:
        text = json.dumps(doc, ensure_ascii=rng.random() < 0.5, allow_nan=True)
    data = text.encode("utf-8")
    return ".geojson", mutate_bytes(rng, data) if rng.random() < 0.35 else data


_XLSX: dict[str, bytes] | None = None


def gen_xlsx(rng):
    global _XLSX
    if _XLSX is None:
        _XLSX = xlsx_template()
    members = dict(_XLSX)
    sheet = "xl/worksheets/sheet1.xml"
    xml = members[sheet].decode("utf-8")
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(6)
        if op == 0:                          # a value → hostile
            parts = xml.split("<v>")
            k = rng.randrange(1, len(parts)) if len(parts) > 1 else 0
            if k:
                parts[k] = rng.choice(HOSTILE_NUMBERS).replace("\x00", "") + parts[k][parts[k].find("<"):]
            xml = "<v>".join(parts)
        elif op == 1:                        # a cell far away
            cell = f'<c r="{rng.choice(["XFD1048576", "A1048576", "XFD1", "ZZ99999"])}" t="inlineStr"><is><t>x</t></is></c>'
            row = rng.choice(["1048576", "99999", "1"])
            xml = xml.replace("</sheetData>", f'<row r="{row}">{cell}</row></sheetData>')
        elif op == 2:
            xml = xml.replace('<dimension ref="', '<dimension ref="A1:XFD1048576" x="', 1)
        elif op == 3:                        # shuffle/duplicate rows
            xml = xml.replace("<row ", "<row spans=\"1:16384\" ", 1)
        elif op == 4:
            p = rng.randrange(len(xml))
            xml = xml[:p] + rng.choice(["<", ">", "&", "&amp;", "<row>", "</c>", '"', "\x1b"]) + xml[p:]
        else:
            xml = xml.replace("P0", rng.choice(["", "\u202e", "长" * 100, "=cmd|' /C calc'!A0"]), 1)
    members[sheet] = xml.encode("utf-8")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, d in members.items():
            zf.writestr(n, d)
    data = buf.getvalue()
    return ".xlsx", mutate_bytes(rng, data) if rng.random() < 0.2 else data


READERS = {"points-csv": gen_csv, "exchange": gen_exchange, "cass": gen_cass, "geojson": gen_geojson, "xlsx": gen_xlsx}


# ------------------------------------------------------------------ the run
class Hang(Exception):
    pass


def _alarm(*_):
    raise Hang()


def check_one(path: Path, full: bool = True) -> str | None:
    """None when the reader behaved; otherwise what went wrong. ``full``: with CRS inference and
    the far-from-zones check (each builds PROJ transformations, the slowest part of a tiny read);
    otherwise the CRS is given, as a user with --crs does."""
    try:
        if full:
            result = read_parcels(path, zones_bounds_lonlat=WENZHOU)
        else:
            result = read_parcels(path, crs="EPSG:4326" if path.suffix == ".geojson" else "EPSG:4549")
        _as_the_desktop_takes_them(result)
    except ParcelImportError as exc:
        msg = str(exc)
        if "\n" in msg or len(msg) > 300 or any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in msg):
            return f"bad message: {msg!r}"
    except Hang:
        return "took too long"
    except Exception:  # noqa: BLE001 - this is what the fuzzer looks for
        return traceback.format_exc()
    return None


def _as_the_desktop_takes_them(result) -> None:
    """The records' attributes as the desktop's import and ``project import`` make them: a value
    no rule can read is kept as text for the assessment to flag, never an exception."""
    from zones.project import attrs_from_record

    table = result.parcels.drop(columns=result.parcels.geometry.name)
    for record in table.to_dict("records"):
        attrs_from_record(record)


def _touched_input(path: Path, data: bytes, folder: str) -> str | None:
    """A reader must never write: the input keeps its bytes and nothing appears beside it."""
    if path.read_bytes() != data:
        return "the input file was changed"
    others = sorted(set(p.name for p in Path(folder).iterdir()) - {path.name})
    if others:
        for name in others:
            extra = Path(folder, name)
            shutil.rmtree(extra) if extra.is_dir() else extra.unlink(missing_ok=True)
        return f"files written beside the input: {others[:5]}"
    return None


def run(count: int, seed: int, readers=None, save: Path | None = None, timeout: int = 30, quiet=False,
        full_every: int = 20, progress: int = 0) -> dict:
    """Fuzz each reader ``count`` times; every ``full_every``-th input with CRS inference and the
    zone-set bounds. Returns {reader: (inputs, failures, seconds)}."""
    has_alarm = hasattr(signal, "SIGALRM")
    if has_alarm:
        signal.signal(signal.SIGALRM, _alarm)
    stats = {}
    with tempfile.TemporaryDirectory(prefix="zones-fuzz-") as tmp:
        for name in readers or READERS:
            rng = random.Random(f"{seed}:{name}")
            failures, t0 = 0, time.perf_counter()
            for i in range(count):
                ext, data = READERS[name](rng)
                path = Path(tmp, f"f{i}{ext}")
                path.write_bytes(data)
                if has_alarm:
                    signal.alarm(timeout)
                try:
                    problem = check_one(path, full=i % full_every == 0)
                finally:
                    if has_alarm:
                        signal.alarm(0)
                problem = problem or _touched_input(path, data, tmp)
                if problem:
                    failures += 1
                    if save is not None:
                        save.mkdir(parents=True, exist_ok=True)
                        (save / f"{name}-{i}{ext}").write_bytes(data)
                        (save / f"{name}-{i}.txt").write_text(problem, encoding="utf-8")
                    if not quiet:
                        print(f"{name} #{i}: {problem.strip().splitlines()[-1][:200]}", file=sys.stderr)
                path.unlink()
                if progress and (i + 1) % progress == 0:
                    print(f"{name}: {i + 1} inputs, {failures} unexpected, {time.perf_counter() - t0:.0f} s",
                          flush=True)
            stats[name] = (count, failures, time.perf_counter() - t0)
            if not quiet:
                print(f"{name}: {count} inputs, {failures} unexpected, {stats[name][2]:.0f} s", flush=True)
    return stats


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=20_000, help="mutated inputs per reader")
    ap.add_argument("--seed", type=int, default=20241)
    ap.add_argument("--reader", action="append", choices=list(READERS), help="only these readers")
    ap.add_argument("--save", type=Path, default=Path("fuzz-failures"), help="where failing inputs are kept")
    ap.add_argument("--timeout", type=int, default=30, help="seconds allowed per input")
    ap.add_argument("--full-every", type=int, default=20, help="every n-th input also infers the CRS (slow: PROJ)")
    ap.add_argument("--progress", type=int, default=0, help="print the counts every n inputs (long runs)")
    args = ap.parse_args()
    import warnings

    warnings.simplefilter("ignore")       # readers turn library warnings into findings
    stats = run(args.count, args.seed, args.reader, args.save, args.timeout, full_every=args.full_every,
                progress=args.progress)
    total = sum(s[0] for s in stats.values())
    bad = sum(s[1] for s in stats.values())
    print(f"total: {total} inputs, {bad} unexpected, {sum(s[2] for s in stats.values()):.0f} s")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
