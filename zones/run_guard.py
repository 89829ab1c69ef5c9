"""What the command line checks before any work and how it speaks afterwards:
numeric options, output paths (never an input file, never one file twice, folders
that exist), stray temporaries of dead runs, the CRS plausibility check, and the
findings — at most 50 lines on stderr, the full list in ``<out>.findings.csv``
(same run id as the other outputs). Kept apart from :mod:`zones.cli` so that the
command line stays a list of steps."""

from __future__ import annotations

import datetime
import math
import sys
import warnings
from decimal import Decimal
from pathlib import Path

from zones.errors import InputError
from zones.output_safety import (
    check_output_folders,
    check_output_paths,
    clean_unpacked_archives,
    findings_path,
    one_line,
    recover,
    report_outputs,
    result_outputs,
)

OUT_FORMATS = (".csv", ".xlsx", ".gpkg", ".shp", ".geojson")
STDERR_FINDINGS = 50
FIRST_TAX_YEAR, LAST_TAX_YEAR = 1988, 2200     # the 暂行条例 dates from 1988
#: Share of parcels far from every zone beyond which the coordinate system must be wrong.
FAR_SHARE = 0.5


def _finite(option: str, value: float, low: float, high: float | None, words: str) -> None:
    if value is None:
        return
    if not math.isfinite(value) or value < low or (high is not None and value > high):
        raise InputError(option, f"{value!r} is not {words}")


def validate_assess_options(args) -> None:
    """Every option a number or a range is checked here, before anything is read."""
    if args.year is not None and not FIRST_TAX_YEAR <= args.year <= LAST_TAX_YEAR:
        raise InputError("--year", f"{args.year} is not a tax year ({FIRST_TAX_YEAR}–{LAST_TAX_YEAR})")
    _finite("--sliver", args.sliver, 0, None, "an area in m² (0 or more)")
    _finite("--tolerance", args.tolerance, 0, 1, "a fraction from 0 to 1 (0.01 = 1%)")
    if args.months is not None and not 0 <= args.months <= 12:
        raise InputError("--months", f"{args.months} is not a number of months from 0 to 12")
    if args.period:
        from zones.cli import parse_period

        parse_period(args.year or datetime.date.today().year, args.period)
    if args.rates:
        from zones.zoneset import parse_rates

        for grade, rate in parse_rates(args.rates).items():
            if not rate.is_finite() or rate < 0 or rate > Decimal(1000):
                raise InputError("--rates", f"rate {rate} for grade {grade} is not yuan per m² (0–1000)")
    ext = Path(args.out).suffix.lower()
    if ext not in OUT_FORMATS:
        raise InputError(args.out, f"unknown output format {ext or '(none)'}; use one of {', '.join(OUT_FORMATS)}")


def planned_outputs(args) -> list[Path]:
    outs = result_outputs(args.out)
    if args.report:
        outs += report_outputs(args.report)
    return outs


def input_paths(args) -> list:
    """The files this run reads: the parcels, a zone layer given as a file, relief catalogues."""
    ins = [args.input]
    if args.zones and Path(args.zones).exists():
        ins.append(args.zones)
    return ins + list(args.reliefs or [])


def prepare_outputs(args) -> None:
    """Refuse unsafe outputs before any work; finish or clear what killed runs left behind."""
    outs = planned_outputs(args)
    check_output_folders([args.out] + ([args.report] if args.report else []))
    check_output_paths(input_paths(args), outs)
    check_report_dir(args)
    if args.report and Path(args.report).suffix.lower() != ".pdf":
        raise InputError(args.report, "the report is a PDF: give a name ending in .pdf")
    for folder in {Path(o).parent.resolve() for o in outs}:
        recover(folder, [o for o in outs if Path(o).parent.resolve() == folder])
    clean_unpacked_archives()


def check_report_dir(args) -> None:
    """``--report-dir`` gets one new PDF per parcel: never inside an input folder (a new file
    there would become part of the input), never an existing file, and its parent must exist."""
    folder = getattr(args, "report_dir", None)
    if not folder:
        return
    target = Path(folder).resolve()
    if target.exists() and not target.is_dir():
        raise InputError(folder, "--report-dir names a file, not a folder")
    if not target.parent.is_dir():
        raise InputError(folder, f"the folder {target.parent} does not exist (it is not created)")
    for source in input_paths(args):
        src = Path(source).resolve()
        if src.is_dir() and (target == src or src in target.parents):
            raise InputError(folder, f"--report-dir is inside the input folder {source}: its files would join the input")
        if target in src.parents and src.parent == target and Path(source).suffix.lower() == ".pdf":
            raise InputError(folder, f"--report-dir would hold the input file {source}")


def check_far_from_zones(imported, zoneset, source) -> None:
    """Most parcels far from every zone: the coordinate system is wrong, not the parcels."""
    found = imported.findings    # the overlaps, columns, are not gone through one by one
    far = found.with_code("far_from_zones") if hasattr(found, "with_code") else [f for f in found if f.code == "far_from_zones"]
    n = len(imported.parcels)
    if not far or not n:
        return
    count = n if any(f.record is None for f in far) else len({f.record for f in far})
    if count > FAR_SHARE * n:
        crs = imported.crs.crs if imported.crs else None
        how = f" ({imported.crs.how})" if imported.crs else ""
        raise InputError(source, f"{count} of {n} parcels lie far from every zone of {zoneset.id}: the coordinate "
                                 f"system {crs or 'unknown'}{how} is probably wrong; give the right one with --crs "
                                 "(e.g. EPSG:4549) or fix the .prj")


def say_import_findings(found, say, *, every: bool = False) -> None:
    """An importer's findings (a list or a :class:`zones.io.base.FindingList`) through ``say``,
    one line each: the first :data:`STDERR_FINDINGS`, or ``every`` one, then how many more of
    which kinds and how to see them. A district of overlapping parcels has half a million;
    printing each took longer than the import and buried the messages that matter. Commands
    without an output of their own (``project import``, ``reconcile``) speak this way."""
    from zones.io.base import FindingList

    found = found if isinstance(found, FindingList) else FindingList(found)
    total = len(found)
    shown = total if every else min(total, STDERR_FINDINGS)
    for start in range(0, shown, 4096):
        for f in found.between(start, min(start + 4096, shown)):
            say(one_line(f"{f.severity}: {f}"))
    if shown < total:
        kinds = ", ".join(f"{code} {n:,}" for code, n in found.counts().items())
        say(one_line(f"… and {total - shown:,} more findings ({total:,} in all: {kinds}); "
                     "--all-findings prints every one"))


class Findings:
    """Findings of one run: printed up to :data:`STDERR_FINDINGS` lines, all kept for the file.
    An importer's overlap findings (:class:`zones.io.base.OverlapBlock`) stay columns, written
    to the file in bulk; only the few printed become lines one by one."""

    def __init__(self):
        self.parts: list = []     # lists of (severity, kind, where, message), and overlap blocks

    def add(self, severity: str, kind: str, where, message: str) -> None:
        if not self.parts or not isinstance(self.parts[-1], list):
            self.parts.append([])
        self.parts[-1].append((severity, kind, "" if where is None else str(where), str(message)))

    def add_import(self, found) -> None:
        """An importer's findings (a list or a :class:`zones.io.base.FindingList`), as the file
        and the record's words (``str(finding)``), with no place of their own."""
        from zones.io.base import FindingList, OverlapBlock

        for part in found.parts if isinstance(found, FindingList) else [found]:
            if isinstance(part, OverlapBlock):
                self.parts.append(part)
            else:
                for finding in part:
                    self.add(finding.severity, finding.code, None, str(finding))

    def add_warnings(self, caught) -> None:
        """Library warnings as findings: the message only, never the site-packages path."""
        for w in caught:
            self.add("warning", "library_warning", "", f"{w.category.__name__}: {w.message}")

    def __len__(self) -> int:
        return sum(len(part) for part in self.parts)

    def head(self, n: int) -> list[tuple[str, str, str, str]]:
        """The first ``n`` rows."""
        out: list[tuple[str, str, str, str]] = []
        for part in self.parts:
            if len(out) >= n:
                break
            if isinstance(part, list):
                out += part[:n - len(out)]
            else:
                out += [(f.severity, f.code, "", str(f)) for f in part.findings(0, n - len(out))]
        return out

    def print(self, quiet: bool, file_name: Path | None) -> None:
        total = len(self)
        if quiet or not total:
            return
        for sev, _kind, where, msg in self.head(STDERR_FINDINGS):
            print(one_line(f"{sev}: {where}, {msg}" if where else f"{sev}: {msg}"), file=sys.stderr)
        rest = total - STDERR_FINDINGS
        if rest > 0:
            print(one_line(f"… and {rest} more findings ({total} in all): see {file_name}"), file=sys.stderr)

    def write(self, out, run_id: str) -> Path:
        """``<out>.findings.csv`` (neutralised CSV, one row per finding, the run id on each)."""
        import pandas as pd

        from zones.io.atomic import atomic_output
        from zones.io.export import write_csv

        path = findings_path(out)
        columns = ["run_id", "severity", "kind", "where", "message"]
        table = _block_table(self.parts, run_id, columns) if any(not isinstance(p, list) for p in self.parts) else None
        if table is None:
            table = pd.DataFrame([(run_id, *r) for part in self.parts for r in part], columns=columns)
        with atomic_output(path) as tmp:
            write_csv(table, tmp)
        return path


def _block_table(parts: list, run_id: str, columns: list[str]):
    """The findings table built column by column in Arrow, each overlap block's messages joined
    in C: the cells ``str(finding)`` gives (checked: its escaping and cut would change none of
    them), or None without pyarrow (the rows are then made one by one)."""
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError:
        return None
    import numpy as np
    import pandas as pd

    from zones.io.safety import MAX_MESSAGE

    cells: list[list] = [[] for _ in columns[1:]]
    for part in parts:
        if isinstance(part, list):
            for k, column in enumerate(zip(*part) if part else [[]] * 4):
                cells[k].append(pa.array(list(column), type=pa.string()))
            continue
        n = len(part)
        suffix = np.full(n, "", dtype=object)
        measured = np.flatnonzero(~np.isnan(part.area))
        suffix[measured] = [f" by {a:.2f} m²" for a in part.area[measured].tolist()]
        prefix = f"{part.source}, record "
        message = pc.binary_join_element_wise(prefix, pc.cast(pa.array(part.told), pa.string()),
                                              f": [{part.code}] overlaps record ", pc.cast(pa.array(part.partner), pa.string()),
                                              pa.array(suffix, type=pa.string()), "")
        plain = (prefix + f": [{part.code}] overlaps record  by 0.00 m²").isprintable() and "zones-" not in prefix
        if not plain or (n and pc.max(pc.utf8_length(message)).as_py() > MAX_MESSAGE):
            slow = [(f.severity, f.code, "", str(f)) for f in part]       # shown() would touch them: one by one
            for k, column in enumerate(zip(*slow)):
                cells[k].append(pa.array(list(column), type=pa.string()))
            continue
        for k, value in enumerate((part.severity, part.code, "")):
            cells[k].append(pa.repeat(pa.scalar(value, pa.string()), n))
        cells[3].append(message)
    arrays = [pa.concat_arrays(c) for c in cells]
    rows = len(arrays[0])
    arrays.insert(0, pa.repeat(pa.scalar(run_id, pa.string()), rows))
    return pd.DataFrame({name: pd.Series(arr, dtype="str") for name, arr in zip(columns, arrays)})


def capture_warnings():
    """A context catching every Python warning of the run (turned into findings by the caller)."""
    ctx = warnings.catch_warnings(record=True)
    return ctx


def error_line(exc: BaseException | str) -> str:
    """The one line printed for an error that ends the run."""
    if isinstance(exc, MemoryError):
        return "error: not enough memory for this input; split it into smaller files or close other programs"
    if isinstance(exc, OSError):
        name = exc.filename or ""
        words = exc.strerror or str(exc) or type(exc).__name__
        return one_line(f"error: {name}: {words}" if name else f"error: {words}")
    return one_line(f"error: {exc}")
