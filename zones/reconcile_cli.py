"""``python -m zones reconcile PARCELS --registry REGISTRY --out OUT``: the command line
of 税源比对. The parser and the command live here; zones.cli only registers them."""

from __future__ import annotations

import datetime
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

from zones.errors import InputError

DEFAULT_ZONESET = "wenzhou-urban-2024"


def add_reconcile_parser(sub) -> None:
    r = sub.add_parser("reconcile", help="税源比对: reconcile the parcels with the registered land sources (税源明细)")
    r.add_argument("input", help="parcels: any file `assess` reads")
    r.add_argument("--registry", required=True, help="the registered land sources: 税源明细 .xlsx or .csv")
    r.add_argument("--out", required=True, help="results: .csv, .xlsx (比对结果, 汇总, one sheet per status) or .gpkg")
    r.add_argument("--zones", action="append", metavar="ZONES",
                   help=f"bundled zone-set id or a zone layer (default {DEFAULT_ZONESET}); repeat it for years under "
                        "different zone sets: each year uses the first whose legal basis covers it")
    r.add_argument("--rates", help="rates per grade for a zone layer, e.g. 1=15,2=10,3=5 (yuan/m²/year)")
    r.add_argument("--grade-field", default="grade", help="the grade field of a zone layer (default: grade)")
    r.add_argument("--zones-layer", help="the layer of the zone file, when it has several")
    r.add_argument("--layer", help="layer of the parcel file, when it has several")
    r.add_argument("--crs", help="CRS of the parcels when the file does not state it (EPSG:4549, 4528, wgs84 …)")
    r.add_argument("--encoding", help="text encoding of the parcel file (GBK, UTF-8 …)")
    r.add_argument("--registry-encoding", help="text encoding of a CSV registry (default: detected)")
    r.add_argument("--id-field", help="field holding the parcel id (default: a field named like 宗地号/parcel_id/id)")
    years = r.add_mutually_exclusive_group()
    years.add_argument("--year", type=int, help="the tax year (default: the current year)")
    years.add_argument("--years", metavar="FIRST-LAST", help="years of back tax, e.g. 2021-2024; the last is the *_year columns' year")
    r.add_argument("--area-tolerance", default="1", metavar="M2", help="registered vs map area tolerance, m² (default 1)")
    r.add_argument("--claim-years", type=int, help="追征期: claim only the years due within this many years of --as-of (default: no limit)")
    r.add_argument("--late-fee", metavar="RATE", help="滞纳金 per day on the under-registered tax, e.g. 0.0005 (default: none)")
    r.add_argument("--as-of", metavar="YYYY-MM-DD", help="the day claims and late fees are counted to (default: today)")
    r.add_argument("--report", metavar="OUT.pdf", help="also print the PDF: summary and map, one page per parcel not matched")
    r.add_argument("--quiet", action="store_true", help="print only errors")
    r.add_argument("--all-findings", action="store_true",
                   help="print every finding of the parcels' file (else the first 50 and how many more)")


def _say(args, text: str) -> None:
    if not args.quiet:
        print(text, file=sys.stderr)


def parse_years(args) -> list[int]:
    if args.years:
        try:
            first, last = (int(v) for v in str(args.years).replace("–", "-").split("-"))
        except ValueError:
            raise InputError("--years", f"{args.years!r} is not a range of years like 2021-2024") from None
        if not 1900 < first <= last < 2200 or last - first > 50:
            raise InputError("--years", f"{args.years!r} is not a range of years like 2021-2024")
        return list(range(first, last + 1))
    return [args.year or datetime.date.today().year]


def _decimal(text, option: str) -> Decimal:
    try:
        value = Decimal(str(text))
    except InvalidOperation:
        raise InputError(option, f"{text!r} is not a number") from None
    if not value.is_finite() or value < 0:
        raise InputError(option, f"{text!r} is not a number ≥ 0")
    return value


def options_from(args):
    from zones.reconcile import ReconcileOptions
    from zones.reconcile_money import ClaimRule

    as_of = None
    if args.as_of:
        try:
            as_of = datetime.date.fromisoformat(args.as_of)
        except ValueError:
            raise InputError("--as-of", f"{args.as_of!r} is not a date YYYY-MM-DD") from None
    late = _decimal(args.late_fee, "--late-fee") if args.late_fee else None
    if args.claim_years is not None and args.claim_years < 0:
        raise InputError("--claim-years", "must be 0 or more")
    return ReconcileOptions(_decimal(args.area_tolerance, "--area-tolerance"),
                            ClaimRule(args.claim_years, late, as_of))


def cmd_reconcile(args) -> int:
    import pandas as pd

    from zones.cli import parcel_ids, pick_id_field
    from zones.io import read_parcels
    from zones.reconcile import reconcile
    from zones.reconcile_output import write_reconciliation
    from zones.reconcile_registry import read_registry
    from zones.zoneset import load_zoneset, parse_rates

    years = parse_years(args)
    options = options_from(args)
    if Path(args.out).suffix.lower() not in (".csv", ".xlsx", ".gpkg"):
        raise InputError(args.out, "the output must be .csv, .xlsx or .gpkg")
    registry = read_registry(args.registry, encoding=args.registry_encoding)
    for line in registry.findings:
        _say(args, f"warning: {line}")
    rates = parse_rates(args.rates) if args.rates else None
    zonesets = [load_zoneset(z, rates=rates, grade_field=args.grade_field, layer=args.zones_layer)
                for z in (args.zones or [DEFAULT_ZONESET])]
    imported = read_parcels(args.input, layer=args.layer, encoding=args.encoding, crs=args.crs,
                            zones_bounds_lonlat=zonesets[0].bounds_lonlat)
    from zones.run_guard import say_import_findings

    say_import_findings(imported.findings, lambda line: _say(args, line), every=args.all_findings)
    parcels = imported.parcels
    if parcels.crs is None:
        raise InputError(args.input, "the coordinate system is unknown; give it with --crs")
    attributes = pd.DataFrame(parcels.drop(columns=parcels.geometry.name))
    # the parcel id is the 宗地号 where there is one: 不动产单元号 is matched on its own
    id_field = (pick_id_field(attributes.columns, args.id_field, args.input)
                or (imported.id_field if imported.id_field in attributes.columns else None))
    ids = parcel_ids(attributes[id_field]) if id_field else None
    res = reconcile(parcels, registry, zonesets, years, ids=ids, attributes=attributes, options=options,
                    geometry_checked=True)
    for line in res.findings[len(registry.findings):]:
        _say(args, f"warning: {line}")
    protect = [args.input, args.registry]
    write_reconciliation(res, args.out, protect=protect, extra={"input": str(args.input)})
    if args.report:
        from zones.report.reconcile_pdf import write_reconcile_report

        write_reconcile_report(res, args.report, source_name=Path(args.input).name,
                               registry_name=Path(args.registry).name, protect=protect)
        _say(args, f"wrote {args.report}")
    counts = ", ".join(f"{code} {int(res.has(code).sum())}" for code in
                       ("matched", "unregistered", "not_in_cadastre", "grade_mismatch", "area_mismatch", "rate_mismatch",
                        "duplicate_registry", "not_taxable") if res.has(code).any())
    back = sum(int(v) for v in res.fen["back_tax"]) / 100
    _say(args, f"reconciled {res.parcel_count} parcels with {len(registry.rows)} registry rows ({counts}); "
               f"back tax {back:,.2f} yuan over {res.claimed[0] if res.claimed else '-'}–{res.years[-1]}; wrote {args.out}")
    return 0
