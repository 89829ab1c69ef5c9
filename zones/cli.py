"""The command line: ``python -m zones assess | reconcile | zonesets``.

Exit 0 on success; on unusable input exit 2 with one line on stderr naming the
file and the problem (no traceback). Decisions the user should know about
(a guessed CRS, the encoding, per-record findings) go to stderr too.
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from decimal import InvalidOperation
from pathlib import Path
from typing import cast

from zones.errors import ZonesError
from zones.periods import TaxPeriod, first_month_after_acquisition, load_start_rules
from zones.point_names import POINT_NAMES
from zones.reliefs import ReliefClaim, load_catalogue
from zones.schema import (
    FIELD_BY_KEY,
    TERMS_KEYS,
    is_blank,
    parse_area,
    parse_bool,
    parse_month,
    parse_relief_codes,
)
from zones.tax import TAX_BASE_ROUNDED, TAX_BASES, ParcelTerms, TaxOptions

DEFAULT_ZONESET = "wenzhou-urban-2024"
#: Outputs that carry the parcels' geometry (and their per-grade pieces).
GEOMETRY_OUTPUTS = (".gpkg", ".shp", ".geojson")
#: Field names recognised as the parcel id when --id-field is not given (in this order).
ID_FIELDS = ("parcel_id", *FIELD_BY_KEY["parcel_no"].names[:-1], "地块编号", "地块号", "土地编号", "parcel", "parcelid",
             "id", "fid", "code")


def build_parser() -> argparse.ArgumentParser:
    # The frozen build's command line is its own executable (build.spec names it).
    prog = "wenzhou-land-tax-cli" if getattr(sys, "frozen", False) else "python -m zones"
    p = argparse.ArgumentParser(prog=prog, description="温州市区城镇土地使用税 — parcel × land-grade assessment")
    p.add_argument("--version", action=_Version, nargs=0, help="show the program's version number and exit")
    sub = p.add_subparsers(dest="command", required=True)

    a = sub.add_parser("assess", help="assess the parcels of a file and write the results")
    a.add_argument("input", help="parcels: GeoPackage, GeoJSON, Shapefile (.shp/.zip), KML/KMZ, DXF, 界址点 CSV/XLSX, CASS .dat, 坐标报盘 .txt")
    a.add_argument("--out", required=True, help="results: .csv (UTF-8 with BOM), .xlsx, .gpkg, .shp or .geojson")
    a.add_argument("--zones", default=DEFAULT_ZONESET, help=f"bundled zone-set id (default {DEFAULT_ZONESET}) or a polygon layer with an integer grade field")
    a.add_argument("--rates", help="rates per grade for a zone layer, e.g. 1=15,2=10,3=5 (yuan/m²/year)")
    a.add_argument("--grade-field", default="grade", help="the grade field of a zone layer (default: grade)")
    a.add_argument("--zones-layer", help="the layer of the zone file, when it has several")
    a.add_argument("--layer", help="layer of the input file, when it has several")
    a.add_argument("--crs", help="CRS of the input when the file does not state it or states it wrongly (EPSG:4549, 4528, wgs84, gcj02, bd09 …)")
    a.add_argument("--encoding", help="text encoding of the input (GBK, UTF-8 …), overriding detection")
    a.add_argument("--id-field", help="field holding the parcel id (default: a field named like 宗地号/parcel_id/id, else the row number)")
    a.add_argument("--declared-area-field", help="field holding the declared (certificate) area in m²: the tax is computed on it, apportioned by the map split")
    a.add_argument("--year", type=int, default=None, help="tax year (default: the current year)")
    a.add_argument("--period", metavar="FIRST-LAST", help="the months of the year assessed, e.g. 1-6 or 7-12 for a half-year (default 1-12)")
    a.add_argument("--months", type=int, help="months liable in the period, counted back from its last month (default: all)")
    a.add_argument("--start-field", help="field with the first liable month YYYY-MM (overrides --months)")
    a.add_argument("--acquired-field", help="field with the acquisition date or month (土地取得时间): the first liable "
                   "month follows from it and the acquisition kind (a --start-field value wins)")
    a.add_argument("--acquisition-kind-field", help="field with the acquisition kind (取得方式): 出让/划拨/转让/租赁/"
                   "征用耕地/征用非耕地/其他 (blank: 其他, the month after)")
    a.add_argument("--start-rules", metavar="FILE.json", help="start rule per acquisition kind, overriding the "
                   "defaults: {\"start_rules\": [{\"kind\": \"划拨\", \"offset\": 1, \"text\": …, \"verified\": true}]}")
    a.add_argument("--end-field", help="field with the last liable month YYYY-MM, inclusive (overrides --months)")
    a.add_argument("--relief-field", help="field with a relief code (减免性质代码) from the catalogue, applied to the whole parcel")
    a.add_argument("--small-taxpayer-field", help="true/false field: the 六税两费 halving applies")
    a.add_argument("--reliefs", action="append", default=[], metavar="FILE.json", help="extra relief catalogue (same form as resources/reliefs/catalogue.json)")
    a.add_argument("--sliver", type=float, default=1.0, help="grade pieces smaller than this many m² are flagged sliver (default 1)")
    a.add_argument("--tolerance", type=float, default=0.01, help="declared vs measured area tolerance as a fraction (default 0.01 = 1%%)")
    a.add_argument("--tax-base", choices=TAX_BASES, default=TAX_BASE_ROUNDED,
                   help="rounded (default): each grade row's tax base is its taxable area rounded half-up to 0.01 m², so "
                        "every printed row multiplies out; unrounded: the earlier rule, amounts from the unrounded map area")
    a.add_argument("--report", metavar="OUT.pdf", help="also write the PDF assessment report (a summary and one report per parcel)")
    a.add_argument("--report-dir", metavar="DIR", help="also write one PDF per parcel into DIR, named by 宗地号 and "
                   "taxpayer, plus the batch summary 汇总表.pdf")
    a.add_argument("--engine", choices=("local", "dask"), default="local", help="local (default) or dask (partitioned, dask-geopandas)")
    a.add_argument("--scheduler", help="address of a running Dask scheduler (with --engine dask); default: a local cluster")
    a.add_argument("--quiet", action="store_true", help="print only errors")

    from zones.reconcile_cli import add_reconcile_parser

    add_reconcile_parser(sub)

    z = sub.add_parser("zonesets", help="list the bundled zone sets, or export one")
    zsub = z.add_subparsers(dest="zcommand")
    e = zsub.add_parser("export", help="write a zone set as a GeoPackage QGIS opens")
    e.add_argument("id")
    e.add_argument("--out", required=True)
    from zones.pgstore.cli import add_parser as add_project_parser

    add_project_parser(sub)
    return p


class _Version(argparse.Action):
    """--version, looked up only when asked for (see zones.__getattr__)."""

    def __call__(self, parser, namespace, values, option_string=None):
        from zones import __version__

        print(f"{parser.prog} {__version__}")   # to stdout, as argparse's own version action does
        parser.exit()


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "project":   # the project store's commands (zones/pgstore/cli.py)
        from zones.pgstore.cli import main as project_main

        return project_main(args)
    from zones.run_guard import error_line

    try:
        if args.command == "assess":
            return cmd_assess(args)
        if args.command == "reconcile":
            from zones.reconcile_cli import cmd_reconcile

            return cmd_reconcile(args)
        return cmd_zonesets(args)
    except (ZonesError, OSError, MemoryError) as exc:
        print(error_line(exc), file=sys.stderr)
        return 2
    except Exception as exc:  # never a traceback for the user; ZONES_DEBUG=1 shows it
        if os.environ.get("ZONES_DEBUG"):
            raise
        print(error_line(f"unexpected problem ({type(exc).__name__}: {exc}); please report it"), file=sys.stderr)
        return 2


def cmd_zonesets(args) -> int:
    from zones.zoneset import bundled_ids, export_zoneset, load_zoneset

    if args.zcommand == "export":
        from zones.output_safety import check_output_folders

        check_output_folders([args.out])
        out = export_zoneset(load_zoneset(args.id), args.out)
        print(f"wrote {out}")
        return 0
    for zs_id in bundled_ids():
        print(load_zoneset(zs_id).summary())
    return 0


def _say(args, text: str) -> None:
    if not getattr(args, "quiet", False):
        from zones.output_safety import escape_controls  # a name from the input may hold terminal escapes

        print(escape_controls(text), file=sys.stderr)


def pick_id_field(columns, requested: str | None, source: str) -> str | None:
    if requested:
        if requested not in columns:
            from zones.errors import InputError

            raise InputError(source, f"no field {requested!r} for --id-field; fields are: {', '.join(map(str, columns))}")
        return requested
    lower = {str(c).lower(): c for c in columns}
    for name in ID_FIELDS:
        if name.lower() in lower:
            return lower[name.lower()]
    return None


def _field(df, name: str | None, option: str, source: str):
    if name is None:
        return None
    if name not in df.columns:
        from zones.errors import InputError

        raise InputError(source, f"no field {name!r} for {option}; fields are: {', '.join(map(str, df.columns))}")
    return df[name].tolist()


def parcel_ids(column) -> list[str]:
    """The ids as text; a blank id becomes the row number (1-based), as a person counts rows.
    Vectorised: a register has up to a million rows."""
    import numpy as np
    import pandas as pd

    if column.dtype.kind == "f" and np.all(np.isnan(column) | (column == np.round(column))):
        column = column.astype("Int64")          # 12.0 read from a numeric field is parcel "12"
    text = column.astype("string").str.strip()
    blank = text.isna() | text.str.lower().isin(["", "nan", "none", "nat"])
    rows = pd.Series(np.arange(1, len(column) + 1), index=column.index).astype("string")
    return text.where(~blank, rows).tolist()


#: The terms options: (argparse dest, option, the schema attribute the column means).
TERMS_OPTIONS = (
    ("declared_area_field", "--declared-area-field", "declared_area"),
    ("start_field", "--start-field", "liable_from"),
    ("end_field", "--end-field", "liable_to"),
    ("acquired_field", "--acquired-field", "acquired"),
    ("acquisition_kind_field", "--acquisition-kind-field", "acquisition_mode"),
    ("relief_field", "--relief-field", "relief_codes"),
    ("small_taxpayer_field", "--small-taxpayer-field", "small_taxpayer"),
)


def terms_columns(columns, args, source: str, *, declared_guess: str | None = None) -> dict[str, str | None]:
    """The column each terms option reads (dest → column or None): the option's own column
    when given, else the one column the attribute schema names for it (Chinese, English or
    an alias, as the desktop's import reads it: ``证载面积``, ``Certificate area (m²)``,
    ``减免性质代码``, ``relief_code``, ``起始月份`` …). Two columns meaning the same attribute
    are an InputError naming them (exit 2): the tax would depend on a guess. ``declared_guess``:
    the area column the importer recognised (``面积``…), used, as the desktop does, when no
    column is named for the declared area."""
    from zones.schema import column_plan, refuse_doubled_terms

    plan = column_plan(tuple(columns))
    read = {key: col for col, key in plan.read}
    out: dict[str, str | None] = {}
    for dest, option, key in TERMS_OPTIONS:
        given = getattr(args, dest, None)
        if given:
            out[dest] = given
            continue
        refuse_doubled_terms(columns, source, settled=TERMS_KEYS - {key}, how=f"name the one to read with {option}")
        out[dest] = cast("str | None", read.get(key))      # the column as the file names it
    if out["declared_area_field"] is None and declared_guess in columns:
        out["declared_area_field"] = declared_guess
    return out


def parcel_terms(df, args, source: str, columns: dict[str, str | None] | None = None
                 ) -> tuple[list[ParcelTerms | None], dict[int, str]]:
    """Per-parcel terms from the input's fields (``columns``: :func:`terms_columns`; by default
    only the options' own); a bad value is an error for that record only."""
    names = columns if columns is not None else {dest: getattr(args, dest, None) for dest, _, _ in TERMS_OPTIONS}
    options = {dest: option for dest, option, _ in TERMS_OPTIONS}

    def column(dest: str):
        return _field(df, names[dest], options[dest], source)

    declared, starts, ends = column("declared_area_field"), column("start_field"), column("end_field")
    acquired, kinds = column("acquired_field"), column("acquisition_kind_field")
    start_rules = load_start_rules(*([args.start_rules] if getattr(args, "start_rules", None) else []))
    reliefs, small = column("relief_field"), column("small_taxpayer_field")
    terms: list[ParcelTerms | None] = []
    bad: dict[int, str] = {}
    for i in range(len(df)):
        try:   # parsed by the attribute schema, exactly as the desktop parses the same cells
            kw: dict = {}
            if declared and (area := parse_area(declared[i], str(names["declared_area_field"]))) is not None:
                kw["declared_area_m2"] = area
            if starts and (first := parse_month(starts[i], str(names["start_field"]))) is not None:
                kw["liable_from"] = first
            elif acquired and not is_blank(acquired[i]):
                kind = kinds[i] if kinds and not is_blank(kinds[i]) else None
                kw["liable_from"], kw["start_rule"] = first_month_after_acquisition(acquired[i], kind, start_rules)
            if ends and (last := parse_month(ends[i], str(names["end_field"]))) is not None:
                kw["liable_to"] = last
            if reliefs and (codes := parse_relief_codes(reliefs[i])):
                kw["reliefs"] = tuple(ReliefClaim(code) for code in codes)
            if small and (yes := parse_bool(small[i], str(names["small_taxpayer_field"]))) is not None:
                kw["small_taxpayer"] = yes
            terms.append(ParcelTerms(**kw) if kw else None)
        except (ValueError, InvalidOperation, ZonesError) as exc:
            bad[i] = str(exc) or "bad value"
            terms.append(None)
    return terms, bad


def parse_period(year: int, text: str | None) -> TaxPeriod:
    """'7-12' → months 7 to 12 of ``year``; None → the whole year."""
    if not text:
        return TaxPeriod(year)
    from zones.errors import InputError

    try:
        first, last = (int(v) for v in str(text).replace("–", "-").split("-"))
        return TaxPeriod(year, first, last)
    except (ValueError, ZonesError):
        raise InputError("--period", f"{text!r} is not a range of months like 1-6 or 7-12") from None


#: Import findings that become result flags: the importer has already checked these, so the
#: assessment does not check them again (repairs, and the overlap test between parcels).
IMPORT_FLAGS = {"repaired": "导入时图形无效，已修复：", "overlap": "与本批次其他地块重叠：",
                "far_from_zones": "远离所有等级区域："}


def _point_names(attributes) -> dict:
    from zones.point_names import parse

    if POINT_NAMES not in attributes.columns:
        return {}
    return {i: names for i, v in enumerate(attributes[POINT_NAMES].tolist()) if (names := parse(v))}


def _record_flags(imported, attributes, id_field) -> dict:
    """The importer's per-record flags, plus ``duplicate_id`` on every record whose 宗地号 (the id
    column) or 不动产单元号 another record also has (compared as the reconciliation does)."""
    from zones.duplicates import duplicate_flags, merge_flags
    from zones.schema import key_of_column

    unit = next((c for c in attributes.columns if key_of_column(c) == "unit_no"), None)
    columns: dict = {"parcel_no": attributes[id_field].tolist() if id_field else None,
               "unit_no": attributes[unit].tolist() if unit is not None else None}
    # first_only: the assessment notes each flag once, so one note per flag and record is all it needs
    return merge_flags(imported.record_flags(IMPORT_FLAGS, first_only=True), duplicate_flags(columns))


def cmd_assess(args) -> int:
    """Options and output paths checked before any work; every Python warning of the run
    caught and turned into a finding."""
    from zones.run_guard import Findings, prepare_outputs, validate_assess_options

    validate_assess_options(args)
    prepare_outputs(args)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        return _assess(args, Findings(), caught)


def _assess(args, findings, caught) -> int:
    import datetime

    from zones.zoneset import load_zoneset, parse_rates

    rates = parse_rates(args.rates) if args.rates else None
    # the zone layer is the first file read: before pandas and geopandas are imported (see zoneset.read_layer)
    zoneset = load_zoneset(args.zones, rates=rates, grade_field=args.grade_field, layer=args.zones_layer)
    import pandas as pd

    from zones.assess import assess, file_sha256
    from zones.io import read_parcels
    from zones.io.export import write_results
    from zones.output_safety import findings_path, output_set
    from zones.run_guard import check_far_from_zones

    imported = read_parcels(args.input, layer=args.layer, encoding=args.encoding, crs=args.crs,
                            zones_bounds_lonlat=zoneset.bounds_lonlat)
    if imported.encoding:
        _say(args, f"encoding: {imported.encoding} ({imported.encoding_how or 'detected'})")
    if imported.crs is not None:
        _say(args, f"crs: {imported.crs.crs or 'unknown'} ({imported.crs.how}) {imported.crs.reason}".rstrip())
    findings.add_import(imported.findings)     # the overlaps stay columns (zones.io.base.OverlapBlock)
    parcels = imported.parcels
    if parcels.crs is None:
        from zones.errors import InputError

        reason = imported.crs.reason if imported.crs else ""
        raise InputError(args.input, f"the coordinate system is unknown{': ' + reason if reason else ''}; give it with --crs")
    if len(parcels) == 0:
        from zones.errors import InputError

        raise InputError(args.input, "no parcel could be imported")
    check_far_from_zones(imported, zoneset, args.input)
    attributes = pd.DataFrame(parcels.drop(columns=parcels.geometry.name))
    names = _point_names(attributes)      # 点号 as the file gives them: for the reports, not a result column
    attributes = attributes.drop(columns=[POINT_NAMES], errors="ignore")
    id_field = pick_id_field(attributes.columns, args.id_field or imported.id_field, args.input)
    ids = parcel_ids(attributes[id_field]) if id_field else None
    columns = terms_columns(list(attributes.columns), args, args.input, declared_guess=imported.declared_area_field)
    read = [f"{column} → {option}" for dest, option, _ in TERMS_OPTIONS
            if (column := columns[dest]) and not getattr(args, dest, None)]
    if read:
        _say(args, "terms columns: " + "; ".join(read))
    terms, bad_terms = parcel_terms(attributes, args, args.input, columns)
    if args.months is not None and not 0 <= args.months <= 12:
        from zones.errors import InputError

        raise InputError("--months", f"{args.months} is not a number of months from 0 to 12")
    year = args.year or datetime.date.today().year
    period = parse_period(year, args.period)
    catalogue = load_catalogue(*args.reliefs)
    options = TaxOptions(sliver_m2=args.sliver, declared_tolerance=args.tolerance, months=args.months,
                         tax_base=args.tax_base)
    kwargs: dict = dict(ids=ids, terms=terms, catalogue=catalogue, options=options,
                  input_sha256=file_sha256(args.input) if Path(args.input).is_file() else None,
                  keep_pieces=Path(args.out).suffix.lower() in GEOMETRY_OUTPUTS, record_errors=bad_terms,
                  record_flags=_record_flags(imported, attributes, id_field), check_overlaps=False,
                  geometry_checked=True)
    if args.engine == "dask":
        from zones.distributed import assess_dask

        result = assess_dask(parcels, zoneset, period, scheduler=args.scheduler, **kwargs)
    else:
        result = assess(parcels, zoneset, period, **kwargs)
    result.point_names = names
    table = result.table(attributes)
    for i, err in enumerate(result.errors):
        if err:
            findings.add("error", "record", args.input, err)
    provenance = result.provenance.as_dict() | {"input": str(args.input), "input_crs": imported.crs.crs if imported.crs else None,
                                                "input_crs_how": imported.crs.how if imported.crs else None,
                                                "encoding": imported.encoding, "accuracy": zoneset.accuracy_statement}
    if args.report or args.report_dir:   # a character the report cannot print is flagged in the results too
        from zones.report.glyphs import flag_missing_glyphs

        for line in flag_missing_glyphs(result, attributes, table):
            _say(args, line)
    written = []
    with output_set() as outputs:   # all outputs switched together, with one run id
        write_results(table, args.out, provenance=provenance, parcels=parcels if kwargs["keep_pieces"] else None,
                      pieces=result.pieces() if kwargs["keep_pieces"] else None, protect=[args.input])
        if args.report or args.report_dir:
            from zones.report.cli_hook import StderrProgress, add_report_dir, add_report_outputs

            progress = None if args.quiet else StderrProgress("report")
            if args.report:
                written += add_report_outputs(result, args.report, attributes, source_name=Path(args.input).name,
                                              protect=[args.input], progress=progress)
            if args.report_dir:
                written += add_report_dir(result, args.report_dir, attributes, source_name=Path(args.input).name,
                                          protect=[args.input], progress=StderrProgress("reports") if progress else None)
        for f in outputs.findings:
            findings.add("warning", f.kind, f.where, f.message)
        findings.add_warnings(caught)
        findings.write(args.out, outputs.run_id)
    findings.print(args.quiet, findings_path(args.out))
    for path in written[:50]:
        _say(args, f"wrote {path}")
    if len(written) > 50:
        _say(args, f"… and {len(written) - 50} more files in {args.report_dir}")
    _say(args, f"assessed {len(result)} parcels on {zoneset.id} {zoneset.version} for {year}: "
               f"tax due {table['tax_due'].sum():,.2f} yuan; wrote {args.out}")
    if not zoneset.official:
        _say(args, f"note: {zoneset.accuracy_statement}")
    return 0
