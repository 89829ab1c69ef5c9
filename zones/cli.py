"""The command line: ``python -m zones assess | zonesets``.

Exit 0 on success; on unusable input exit 2 with one line on stderr naming the
file and the problem (no traceback). Decisions the user should know about
(a guessed CRS, the encoding, per-record findings) go to stderr too.
"""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

import numpy as np
import pandas as pd

from zones import __version__
from zones.errors import ZonesError
from zones.periods import TaxPeriod, YearMonth
from zones.reliefs import ReliefClaim, load_catalogue
from zones.tax import ParcelTerms, TaxOptions

DEFAULT_ZONESET = "wenzhou-urban-2024"
#: Outputs that carry the parcels' geometry (and their per-grade pieces).
GEOMETRY_OUTPUTS = (".gpkg", ".shp", ".geojson")
#: Field names recognised as the parcel id when --id-field is not given (in this order).
ID_FIELDS = ("parcel_id", "宗地号", "宗地代码", "地块编号", "地块号", "土地编号", "parcel", "parcelid", "id", "fid", "code")
TRUE_WORDS = {"1", "true", "t", "yes", "y", "是", "对", "√", "x"}
FALSE_WORDS = {"", "0", "false", "f", "no", "n", "否", "none", "nan"}


def build_parser() -> argparse.ArgumentParser:
    # The frozen build's command line is its own executable (build.spec names it).
    prog = "wenzhou-land-tax-cli" if getattr(sys, "frozen", False) else "python -m zones"
    p = argparse.ArgumentParser(prog=prog, description="温州市区城镇土地使用税 — parcel × land-grade assessment")
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
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
    a.add_argument("--end-field", help="field with the last liable month YYYY-MM, inclusive (overrides --months)")
    a.add_argument("--relief-field", help="field with a relief code (减免性质代码) from the catalogue, applied to the whole parcel")
    a.add_argument("--small-taxpayer-field", help="true/false field: the 六税两费 halving applies")
    a.add_argument("--reliefs", action="append", default=[], metavar="FILE.json", help="extra relief catalogue (same form as resources/reliefs/catalogue.json)")
    a.add_argument("--sliver", type=float, default=1.0, help="grade pieces smaller than this many m² are flagged sliver (default 1)")
    a.add_argument("--tolerance", type=float, default=0.01, help="declared vs measured area tolerance as a fraction (default 0.01 = 1%%)")
    a.add_argument("--report", metavar="OUT.pdf", help="also write the PDF assessment report (a summary and one report per parcel)")
    a.add_argument("--engine", choices=("local", "dask"), default="local", help="local (default) or dask (partitioned, dask-geopandas)")
    a.add_argument("--scheduler", help="address of a running Dask scheduler (with --engine dask); default: a local cluster")
    a.add_argument("--quiet", action="store_true", help="print only errors")

    z = sub.add_parser("zonesets", help="list the bundled zone sets, or export one")
    zsub = z.add_subparsers(dest="zcommand")
    e = zsub.add_parser("export", help="write a zone set as a GeoPackage QGIS opens")
    e.add_argument("id")
    e.add_argument("--out", required=True)
    from zones.pgstore.cli import add_parser as add_project_parser

    add_project_parser(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "project":   # the project store's commands (zones/pgstore/cli.py)
        from zones.pgstore.cli import main as project_main

        return project_main(args)
    try:
        if args.command == "assess":
            return cmd_assess(args)
        return cmd_zonesets(args)
    except ZonesError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return 2


def cmd_zonesets(args) -> int:
    from zones.zoneset import bundled_ids, export_zoneset, load_zoneset

    if args.zcommand == "export":
        out = export_zoneset(load_zoneset(args.id), args.out)
        print(f"wrote {out}")
        return 0
    for zs_id in bundled_ids():
        print(load_zoneset(zs_id).summary())
    return 0


def _say(args, text: str) -> None:
    if not getattr(args, "quiet", False):
        print(text, file=sys.stderr)


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


def _field(df: pd.DataFrame, name: str | None, option: str, source: str):
    if name is None:
        return None
    if name not in df.columns:
        from zones.errors import InputError

        raise InputError(source, f"no field {name!r} for {option}; fields are: {', '.join(map(str, df.columns))}")
    return df[name].tolist()


def _blank(v) -> bool:
    return v is None or (isinstance(v, float) and v != v) or str(v).strip() == "" or str(v).lower() in ("nan", "none", "nat")


def parcel_ids(column: pd.Series) -> list[str]:
    """The ids as text; a blank id becomes the row number (1-based), as a person counts rows.
    Vectorised: a register has up to a million rows."""
    if column.dtype.kind == "f" and np.all(np.isnan(column) | (column == np.round(column))):
        column = column.astype("Int64")          # 12.0 read from a numeric field is parcel "12"
    text = column.astype("string").str.strip()
    blank = text.isna() | text.str.lower().isin(["", "nan", "none", "nat"])
    rows = pd.Series(np.arange(1, len(column) + 1), index=column.index).astype("string")
    return text.where(~blank, rows).tolist()


def parcel_terms(df: pd.DataFrame, args, source: str) -> tuple[list[ParcelTerms | None], dict[int, str]]:
    """Per-parcel terms from the input's fields; a bad value is an error for that record only."""
    declared = _field(df, args.declared_area_field, "--declared-area-field", source)
    starts = _field(df, args.start_field, "--start-field", source)
    ends = _field(df, args.end_field, "--end-field", source)
    reliefs = _field(df, args.relief_field, "--relief-field", source)
    small = _field(df, args.small_taxpayer_field, "--small-taxpayer-field", source)
    terms: list[ParcelTerms | None] = []
    bad: dict[int, str] = {}
    for i in range(len(df)):
        try:
            kw = {}
            if declared and not _blank(declared[i]):
                kw["declared_area_m2"] = Decimal(str(declared[i]).strip()).quantize(Decimal("0.01"))
            if starts and not _blank(starts[i]):
                kw["liable_from"] = YearMonth.parse(starts[i])
            if ends and not _blank(ends[i]):
                kw["liable_to"] = YearMonth.parse(ends[i])
            if reliefs and not _blank(reliefs[i]):
                kw["reliefs"] = tuple(ReliefClaim(code.strip()) for code in str(reliefs[i]).replace("；", ";").split(";") if code.strip())
            if small and not _blank(small[i]):
                word = str(small[i]).strip().lower()
                if word not in TRUE_WORDS | FALSE_WORDS:
                    raise ValueError(f"{args.small_taxpayer_field}={small[i]!r} is not true/false")
                kw["small_taxpayer"] = word in TRUE_WORDS
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
IMPORT_FLAGS = {"repaired": "导入时图形无效，已修复：", "overlap": "与本批次其他地块重叠："}


def cmd_assess(args) -> int:
    import datetime

    from zones.assess import assess, file_sha256
    from zones.io import read_parcels
    from zones.io.export import write_results
    from zones.zoneset import load_zoneset, parse_rates

    rates = parse_rates(args.rates) if args.rates else None
    zoneset = load_zoneset(args.zones, rates=rates, grade_field=args.grade_field, layer=args.zones_layer)
    imported = read_parcels(args.input, layer=args.layer, encoding=args.encoding, crs=args.crs,
                            zones_bounds_lonlat=zoneset.bounds_lonlat)
    if imported.encoding:
        _say(args, f"encoding: {imported.encoding} ({imported.encoding_how or 'detected'})")
    if imported.crs is not None:
        _say(args, f"crs: {imported.crs.crs or 'unknown'} ({imported.crs.how}) {imported.crs.reason}".rstrip())
    for finding in imported.findings:
        _say(args, f"{finding.severity}: {finding}")
    parcels = imported.parcels
    if parcels.crs is None:
        from zones.errors import InputError

        reason = imported.crs.reason if imported.crs else ""
        raise InputError(args.input, f"the coordinate system is unknown{': ' + reason if reason else ''}; give it with --crs")
    if len(parcels) == 0:
        from zones.errors import InputError

        raise InputError(args.input, "no parcel could be imported")
    attributes = pd.DataFrame(parcels.drop(columns=parcels.geometry.name))
    id_field = pick_id_field(attributes.columns, args.id_field or imported.id_field, args.input)
    ids = parcel_ids(attributes[id_field]) if id_field else None
    terms, bad_terms = parcel_terms(attributes, args, args.input)
    if args.months is not None and not 0 <= args.months <= 12:
        from zones.errors import InputError

        raise InputError("--months", f"{args.months} is not a number of months from 0 to 12")
    year = args.year or datetime.date.today().year
    period = parse_period(year, args.period)
    catalogue = load_catalogue(*args.reliefs)
    options = TaxOptions(sliver_m2=args.sliver, declared_tolerance=args.tolerance, months=args.months)
    kwargs = dict(ids=ids, terms=terms, catalogue=catalogue, options=options,
                  input_sha256=file_sha256(args.input) if Path(args.input).is_file() else None,
                  keep_pieces=Path(args.out).suffix.lower() in GEOMETRY_OUTPUTS, record_errors=bad_terms,
                  record_flags=imported.record_flags(IMPORT_FLAGS), check_overlaps=False, geometry_checked=True)
    if args.engine == "dask":
        from zones.distributed import assess_dask

        result = assess_dask(parcels, zoneset, period, scheduler=args.scheduler, **kwargs)
    else:
        result = assess(parcels, zoneset, period, **kwargs)
    table = result.table(attributes)
    for i, err in enumerate(result.errors):
        if err:
            _say(args, f"error: {args.input}, {err}")
    provenance = result.provenance.as_dict() | {"input": str(args.input), "input_crs": imported.crs.crs if imported.crs else None,
                                                "input_crs_how": imported.crs.how if imported.crs else None,
                                                "encoding": imported.encoding, "accuracy": zoneset.accuracy_statement}
    write_results(table, args.out, provenance=provenance, parcels=parcels if kwargs["keep_pieces"] else None,
                  pieces=result.pieces() if kwargs["keep_pieces"] else None, protect=[args.input])
    if args.report:
        from zones.report.cli_hook import add_report_outputs

        for written in add_report_outputs(result, args.report, attributes, source_name=Path(args.input).name,
                                          protect=[args.input]):
            _say(args, f"wrote {written}")
    _say(args, f"assessed {len(result)} parcels on {zoneset.id} {zoneset.version} for {year}: "
               f"tax due {table['tax_due'].sum():,.2f} yuan; wrote {args.out}")
    if not zoneset.official:
        _say(args, f"note: {zoneset.accuracy_statement}")
    return 0
