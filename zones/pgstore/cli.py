"""``python -m zones project create|import|assess|export|log STORE …`` — the project
commands for IT staff and scripts, on a project file (.gpkg) or a database project
(``postgresql://…?project=NAME``) alike.

Both stores hold the same tables (:mod:`zones.pgstore.tables`), so each command reads
and writes rows the same way on either: a file is rewritten atomically, a database
changes in one transaction. Exit 0 on success; 2 with one line on unusable input (a bad
URL, a refused login, a missing project, a database without PostGIS, a missing file);
3 when a concurrent change refused the command's change.
"""

from __future__ import annotations

import getpass
import json
import math
import sys
from pathlib import Path

from zones.errors import ZonesError
from zones.pgstore.errors import ConflictError, RuleRefused, StoreError
from zones.pgstore.url import is_database_url

FORMAT = "wztax-project/1"


def add_parser(sub) -> None:
    """Register ``project`` on the command line's subparsers."""
    p = sub.add_parser("project", help="a project kept in a file (.gpkg) or a shared database (postgresql://…)")
    ps = p.add_subparsers(dest="pcommand", required=True)
    store_help = "a project file (.gpkg) or postgresql://user@host:port/db?project=NAME (TLS: &sslmode=…)"
    c = ps.add_parser("create", help="create an empty project")
    c.add_argument("store", help=store_help)
    c.add_argument("--zones", default="wenzhou-urban-2024", help="bundled zone-set id or a zone layer file")
    c.add_argument("--grade-field", default="grade")
    c.add_argument("--rates", help="rates per grade for a zone layer, e.g. 1=15,2=10")
    c.add_argument("--year", type=int)
    c.add_argument("--period", metavar="FIRST-LAST")
    c.add_argument("--four-eyes", action="store_true", help="复核 by another operator than the parcel's last 录入")
    i = ps.add_parser("import", help="add the parcels of a file (the assess command's input forms and options)")
    i.add_argument("store", help=store_help)
    i.add_argument("input")
    for opt in ("--layer", "--crs", "--encoding", "--id-field", "--declared-area-field", "--start-field", "--end-field",
                "--relief-field", "--small-taxpayer-field"):
        i.add_argument(opt)
    i.add_argument("--all-findings", action="store_true",
                   help="print every finding of the file (else the first 50 and how many more)")
    a = ps.add_parser("assess", help="assess every parcel and store the results")
    a.add_argument("store", help=store_help)
    a.add_argument("--year", type=int)
    a.add_argument("--period", metavar="FIRST-LAST")
    e = ps.add_parser("export", help="write the results as the assess command does")
    e.add_argument("store", help=store_help)
    e.add_argument("--out", required=True, help="results: .csv, .xlsx, .gpkg, .shp or .geojson")
    e.add_argument("--report", metavar="OUT.pdf")
    g = ps.add_parser("log", help="print the audit log")
    g.add_argument("store", help=store_help)
    g.add_argument("--parcel", help="only the events of this parcel (uid or 宗地号)")
    for q in (c, i, a, e, g):
        q.add_argument("--quiet", action="store_true", help="print only errors")


def main(args) -> int:
    """Run a project command; the exit status."""
    try:
        return COMMANDS[args.pcommand](args)
    except ConflictError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    except (ZonesError, RuleRefused) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return 2


def _say(args, text: str) -> None:
    if not getattr(args, "quiet", False):
        print(text, file=sys.stderr)


# ------------------------------------------------------------------- stores

class FileProject:
    """A project file with the database project's methods (each rewrites the file atomically)."""

    def __init__(self, path) -> None:
        from zones.pgstore.tables import read_file

        self.path = Path(path)
        self.name = str(self.path)
        self.login = getpass.getuser()
        self._data = read_file(self.path)

    @staticmethod
    def create(path, settings: dict) -> FileProject:
        from zones.pgstore.tables import write_file

        if Path(path).exists():
            raise StoreError(path, "a file of that name exists already; not overwritten")
        write_file({"settings": settings, "parcels": [], "audit": [], "results": [], "pieces": []}, path)
        return FileProject(path)

    def settings(self) -> dict:
        return dict(self._data["settings"])

    def set_setting(self, key, value) -> None:
        self._data["settings"][key] = value
        self._write()

    def parcels(self) -> list[dict]:
        return list(self._data["parcels"])

    def results(self) -> list[dict]:
        return list(self._data["results"])

    def events(self, uid=None) -> list[dict]:
        return [dict(e, seq=k + 1, login="") for k, e in enumerate(self._data["audit"]) if uid in (None, e["uid"])]

    def add_parcels(self, rows, events=()) -> None:
        self._data["parcels"] += rows
        self._data["audit"] += [_full_event(e, self.login) for e in events]
        self._write()

    def put_results(self, results, pieces=(), events=()) -> None:
        uids = {r["uid"] for r in results}
        self._data["results"] = [r for r in self._data["results"] if r["uid"] not in uids] + list(results)
        self._data["pieces"] = [p for p in self._data["pieces"] if p["uid"] not in uids] + list(pieces)
        self._data["audit"] += [_full_event(e, self.login) for e in events]
        self._write()

    def _write(self) -> None:
        from zones.pgstore.tables import write_file

        write_file(self._data, self.path)

    def close(self) -> None:
        pass


def _full_event(e: dict, login: str) -> dict:
    return {"when": e["when"], "who": e.get("who") or login, "uid": e["uid"], "kind": e["kind"], "what": e["what"],
            "old": e.get("old") or "", "new": e.get("new") or ""}


def open_store(text: str):
    if is_database_url(text):
        from zones.pgstore.store import PgProject

        return PgProject(text)
    if not str(text).lower().endswith(".gpkg"):
        raise StoreError(text, "a project is a .gpkg file or a postgresql://…?project=NAME URL")
    return FileProject(text)


# ----------------------------------------------------------------- commands

def cmd_create(args) -> int:
    import datetime

    from zones.cli import parse_period
    from zones.project import ZoneSetRef
    from zones.zoneset import load_zoneset, parse_rates

    zs = load_zoneset(args.zones, rates=parse_rates(args.rates) if args.rates else None, grade_field=args.grade_field)
    period = parse_period(args.year or datetime.date.today().year, args.period)
    rates = {str(g): str(r) for g, r in zs.rates.items()} if args.rates else None
    settings = {"format": FORMAT, "zoneset": ZoneSetRef(args.zones, args.grade_field, rates).as_dict(),
                "input_sha256": None, "period": [period.year, period.first_month, period.last_month],
                "four_eyes": bool(args.four_eyes)}
    if is_database_url(args.store):
        from zones.pgstore.store import PgProject

        store = PgProject.create(args.store, settings)
    else:
        store = FileProject.create(args.store, settings)  # type: ignore[assignment]  # same duck-typed interface
    _say(args, f"created project {store.name} on {zs.id} {zs.version} for {period}")
    store.close()
    return 0


def cmd_import(args) -> int:
    import datetime

    import pandas as pd

    from zones.assess import file_sha256
    from zones.cli import IMPORT_FLAGS
    from zones.io import read_parcels
    from zones.project import PROJECT_CRS, attrs_from_record, new_uid
    from zones.schema import TERMS_KEYS, column_plan, doubled_note, key_of_column, refuse_doubled_terms
    from zones.zoneset import load_zoneset

    store = open_store(args.store)
    try:
        zs = load_zoneset(store.settings()["zoneset"]["ref"])
        imported = read_parcels(args.input, layer=args.layer, encoding=args.encoding, crs=args.crs,
                                zones_bounds_lonlat=zs.bounds_lonlat)
        from zones.run_guard import say_import_findings

        say_import_findings(imported.findings, lambda line: _say(args, line), every=args.all_findings)
        parcels = imported.parcels
        if parcels.crs is None:
            raise StoreError(args.input, "the coordinate system is unknown; give it with --crs")
        if len(parcels) == 0:
            raise StoreError(args.input, "no parcel could be imported")
        parcels = parcels.to_crs(PROJECT_CRS)
        table = pd.DataFrame(parcels.drop(columns=parcels.geometry.name))
        # two columns meaning one terms attribute: refused, as the assess command refuses them
        settled = _settled_keys(args)
        refuse_doubled_terms(table.columns, args.input, settled=settled,
                             how="keep one of them, or name the one to read with its --…-field option")
        for key, cols in column_plan(tuple(table.columns)).doubled:
            if key not in TERMS_KEYS:
                _say(args, f"warning: {args.input}: {doubled_note(key, cols)}")
        # an option's column is read by the option alone; other columns meaning its attribute not at all
        skip = _option_columns(args) | {c for c in table.columns if key_of_column(c) in settled}
        flags = imported.record_flags(IMPORT_FLAGS)
        sha = file_sha256(args.input) if Path(args.input).is_file() else None
        when = datetime.datetime.now().isoformat(timespec="seconds")
        source = json.dumps({"kind": "import", "operator": store.login, "when": when, "file": Path(args.input).name,
                             "sha256": sha, "what": f"导入自 {Path(args.input).name}"}, ensure_ascii=False)
        start = max((p["position"] for p in store.parcels()), default=-1) + 1
        rows, events = [], []
        for k, (record, geom) in enumerate(zip(table.to_dict("records"), parcels.geometry.values)):
            attrs = attrs_from_record({c: v for c, v in record.items() if c not in skip})
            attrs.update(_option_attrs(record, args))
            uid = new_uid()
            f = flags.get(k, ())
            rows.append({"uid": uid, "position": start + k, "attrs": attrs, "geometry": geom, "entered_by": store.login,
                         "source": source, "import_flags": json.dumps([list(x) for x in f], ensure_ascii=False) if f else ""})
            events.append({"when": when, "who": store.login, "uid": uid, "kind": "entry",
                           "what": f"导入自 {Path(args.input).name}", "new": attrs.get("parcel_no", "")})
        store.add_parcels(rows, events)
        _say(args, f"imported {len(rows)} parcels into {store.name}")
    finally:
        store.close()
    return 0


def _settled_keys(args) -> set:
    """The terms attributes an option names the column of (the option wins over the file's names)."""
    return {key for opt, key in (("declared_area_field", "declared_area"), ("start_field", "liable_from"),
                                 ("end_field", "liable_to"), ("relief_field", "relief_codes"),
                                 ("small_taxpayer_field", "small_taxpayer")) if getattr(args, opt)}


def _option_columns(args) -> set:
    return {v for v in (args.id_field, args.declared_area_field, args.start_field, args.end_field, args.relief_field,
                        args.small_taxpayer_field) if v}


TRUE_WORDS = {"1", "1.0", "true", "t", "yes", "y", "是", "对", "√", "x"}
FALSE_WORDS = {"0", "0.0", "false", "f", "no", "n", "否", "×"}


def _clean(v) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    text = str(v).strip()
    return "" if text.lower() in ("nan", "none", "nat", "<na>") else text


def _option_attrs(record: dict, args) -> dict:
    """The columns the options name, as project attributes (the terms are parsed at assessment,
    by the same rules for every store)."""
    import re

    from zones.project import reliefs_text

    out = {}
    for opt, key in (("id_field", "parcel_no"), ("declared_area_field", "declared_area"), ("start_field", "liable_from")):
        col = getattr(args, opt)
        if col and _clean(record.get(col)):
            out[key] = _clean(record[col])
    if args.small_taxpayer_field and (word := _clean(record.get(args.small_taxpayer_field))):
        if word.lower() in TRUE_WORDS:
            out["small_taxpayer"] = "是"
        elif word.lower() not in FALSE_WORDS:
            out["small_taxpayer"] = word      # kept as written: the assessment flags it, never a silent "no"
    if args.end_field and _clean(record.get(args.end_field)):
        out.update({"change_type": "纳税义务终止（其他）", "change_month": _clean(record[args.end_field])})
    if args.relief_field and (codes := _clean(record.get(args.relief_field))):
        out["reliefs"] = reliefs_text([{"code": c} for c in re.split(r"[;；,，、\s]+", codes) if c])
    return out


def _parcels_of(rows: list[dict]):
    """Project parcel snapshots of the stored rows (keyword fields common to every Parcel version)."""
    from zones.project import Parcel, Review

    out = []
    for r in rows:
        flags = tuple((str(f), str(n)) for f, n in json.loads(r["import_flags"])) if r.get("import_flags") else ()
        review = Review(r["review_by"], r["review_at"]) if r.get("review_by") else None
        out.append(Parcel(uid=r["uid"], geometry=r["geometry"], attrs=dict(r["attrs"]), review=review,
                          entered_by=r.get("entered_by") or "", import_flags=flags))
    return out


def _zoneset_and_period(settings: dict, args):
    from zones.cli import parse_period
    from zones.periods import TaxPeriod
    from zones.project import ZoneSetRef
    from zones.zoneset import load_zoneset

    ref = ZoneSetRef.from_dict(settings["zoneset"])
    rates = {int(g): r for g, r in ref.rates.items()} if ref.rates else None
    zs = ref.apply(load_zoneset(ref.ref, rates=rates, grade_field=ref.grade_field))
    if getattr(args, "year", None) or getattr(args, "period", None):
        period = parse_period(args.year or settings["period"][0], args.period)
    else:
        period = TaxPeriod(*settings["period"])
    return zs, period


def cmd_assess(args) -> int:
    import datetime

    from zones.pgstore.tables import PROJECT_CRS
    from zones.project import assess_parcels
    from zones.project_file import result_to_dict
    from zones.reliefs import load_catalogue

    store = open_store(args.store)
    try:
        settings = store.settings()
        zs, period = _zoneset_and_period(settings, args)
        rows = store.parcels()
        versions = {r["uid"]: r.get("version") for r in rows}
        parcels = _parcels_of(rows)
        stored, run = assess_parcels(parcels, zs, period, catalogue=load_catalogue(), keep_pieces=True)
        before = {r["uid"]: r for r in store.results() if r["kind"] == "current"}
        when = datetime.datetime.now().isoformat(timespec="seconds")
        results, events = [], []
        for p in parcels:
            s = stored[p.uid]
            text = json.dumps(result_to_dict(s.result), ensure_ascii=False)
            old = before.get(p.uid)
            if old is not None and old["result"] == text:
                continue
            results.append({"uid": p.uid, "kind": "current", "fingerprint": s.fingerprint, "due": str(s.result.due),
                            "version": versions.get(p.uid),
                            "result": text, "provenance": json.dumps(s.provenance, ensure_ascii=False, default=str),
                            "flags": ";".join(s.result.flags), "key": s.key})
            change = f"应纳税额 {old['due']} → {s.result.due} 元" if old else f"应纳税额 {s.result.due} 元"
            events.append({"when": when, "who": store.login, "uid": p.uid, "kind": "assess", "what": f"计税：{change}",
                           "old": str(old["due"]) if old else "", "new": str(s.result.due)})
        changed = {r["uid"] for r in results}
        pieces = run.pieces()
        if len(pieces) and not pieces.crs.equals(PROJECT_CRS):
            pieces = pieces.to_crs(PROJECT_CRS)
        piece_rows = [{"uid": parcels[int(i)].uid, "grade": int(g), "geometry": geom}
                      for i, g, geom in zip(pieces["parcel_index"].tolist(), pieces["grade"].tolist(), pieces.geometry.values)
                      if parcels[int(i)].uid in changed and int(g) > 0]
        store.put_results(results, piece_rows, events)
        if [period.year, period.first_month, period.last_month] != settings["period"]:
            store.set_setting("period", [period.year, period.first_month, period.last_month])
        total = sum((s.result.due for s in stored.values()), start=0)
        _say(args, f"assessed {len(parcels)} parcels ({len(results)} results changed) on {zs.id} {zs.version} "
                   f"for {period}: tax due {total:,.2f} yuan")
    finally:
        store.close()
    return 0


def cmd_export(args) -> int:
    """The assess command's outputs for the stored parcels, terms and period: the same engine
    and writer, so the same cells. Says which stored results are not current."""
    import geopandas as gpd
    import pandas as pd

    from zones.cli import GEOMETRY_OUTPUTS
    from zones.io.export import write_results
    from zones.project import PROJECT_CRS, assess_parcels
    from zones.reliefs import load_catalogue

    store = open_store(args.store)
    try:
        settings = store.settings()
        zs, period = _zoneset_and_period(settings, args)
        rows = store.parcels()
        parcels = _parcels_of(rows)
        geometry_out = Path(args.out).suffix.lower() in GEOMETRY_OUTPUTS
        stored, run = assess_parcels(parcels, zs, period, catalogue=load_catalogue(), keep_pieces=geometry_out)
        saved = {r["uid"]: r["fingerprint"] for r in store.results() if r["kind"] == "current"}
        stale = [p.attrs.get("parcel_no") or p.uid for p in parcels if saved.get(p.uid) != stored[p.uid].fingerprint]
        if stale:
            _say(args, f"note: {len(stale)} parcels have no stored result for their current state "
                       f"(run `project assess`): {', '.join(stale[:5])}{' …' if len(stale) > 5 else ''}")
        keys = [k for k in _field_keys() if any(k in p.attrs for p in parcels)]
        attributes = pd.DataFrame({_column(k): [p.attrs.get(k, "") for p in parcels] for k in keys})
        table = run.table(attributes)
        provenance = run.provenance.as_dict() | {"input": store.name, "accuracy": zs.accuracy_statement}
        geo = gpd.GeoDataFrame(attributes, geometry=[p.geometry for p in parcels], crs=PROJECT_CRS)
        write_results(table, args.out, provenance=provenance, parcels=geo if geometry_out else None,
                      pieces=run.pieces() if geometry_out else None,
                      protect=[store.path] if hasattr(store, "path") else [])
        if args.report:
            from zones.report.cli_hook import add_report_outputs

            for written in add_report_outputs(run, args.report, attributes, source_name=store.name):
                _say(args, f"wrote {written}")
        _say(args, f"exported {len(parcels)} parcels of {store.name}: tax due {table['tax_due'].sum():,.2f} yuan; "
                   f"wrote {args.out}")
    finally:
        store.close()
    return 0


def _column(key: str) -> str:
    """An attribute's column in the outputs: its Chinese name, as officers' files name it."""
    from zones.project import FIELD_BY_KEY

    return FIELD_BY_KEY[key].zh if key in FIELD_BY_KEY else key


def _field_keys():
    from zones.project import FIELD_KEYS

    return FIELD_KEYS


def cmd_log(args) -> int:
    store = open_store(args.store)
    try:
        uid = args.parcel
        if uid:
            by_no = {r["attrs"].get("parcel_no"): r["uid"] for r in store.parcels()}
            uid = by_no.get(uid, uid)
        for e in store.events(uid):
            who = e["who"] + (f" [{e['login']}]" if e.get("login") and e["login"] != e["who"] else "")
            print("\t".join((str(e["seq"]), e["when"], who, e["uid"], e["kind"], e["what"].replace("\n", " "))))
    finally:
        store.close()
    return 0


COMMANDS = {"create": cmd_create, "import": cmd_import, "assess": cmd_assess, "export": cmd_export, "log": cmd_log}
