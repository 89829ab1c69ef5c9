"""An import's records made the project's parcels: attributes named and parsed by the schema,
provenance (the file's name and SHA-256), the importer's repair flags, point names, and each
parcel's fingerprint — everything an import does before its one undoable command adds the
parcels. Qt-free and plain, so the desktop runs it on a worker (a district's 100,000 records
take seconds of Python work) with progress and cancel; nothing here touches the project.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from zones import point_names
from zones.progress import Progress, step
from zones.project import (PROJECT_CRS, Parcel, Source, attrs_from_record, fingerprints, import_repairs,
                           new_parcel, now_text)
from zones.schema import refuse_doubled_terms

#: Records made parcels between two progress reports (a cancel is noticed within one slice).
SLICE = 2000


@dataclass
class ImportedParcels:
    """The parcels of one file's import, not yet in any project."""

    parcels: list[Parcel]
    file: str                    # the file's name, as the provenance and the messages give it
    sha256: str | None           # of the file's bytes; None when it cannot be read (a folder, a vanished file)
    context: str = ""            # the assessment context the fingerprints were made in
    fingerprints: list[str] = field(default_factory=list)
    #: records of the file whose 宗地号 or 不动产单元号 the project held when they were made
    #: (:func:`zones.duplicates.clashes` against the project's parcels then)
    clashes: list = field(default_factory=list)


def file_sha256(path) -> str | None:
    """SHA-256 of the file's bytes (read only, never written); None when it is not a readable file."""
    try:
        if not Path(path).is_file():
            return None
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        return h.hexdigest()
    except OSError:
        return None


def parcels_from_import(result, path, operator: str, *, context: str = "", existing=(),
                        progress: Progress | None = None) -> ImportedParcels:
    """The parcels of ``result`` (a :class:`zones.io.ImportResult` read from ``path``), in the
    project's CRS (EPSG:4549), entered by ``operator`` now; their fingerprints in ``context``;
    the clashes of their ids with ``existing`` (the project's parcel snapshots). Raises
    :class:`~zones.errors.SchemaError` (naming the file and the columns) when two columns mean
    one terms attribute, :class:`~zones.errors.Cancelled` when ``progress`` is cancelled."""
    from zones.duplicates import clashes

    gdf = result.parcels.to_crs(PROJECT_CRS)
    name = Path(path).name
    # the import dialog refuses this already; a caller without the dialog is refused here
    refuse_doubled_terms([c for c in gdf.columns if c != gdf.geometry.name], str(path))
    total = 2 * len(gdf) + 1
    step(progress, 0, total)
    repairs = import_repairs(result)   # row position → the importer's (flag, note) pairs
    sha = file_sha256(path)
    when = now_text()
    records = gdf.drop(columns=gdf.geometry.name).to_dict("records")
    parcels = []
    for k, (rec, geom) in enumerate(zip(records, gdf.geometry)):
        if k % SLICE == 0:
            step(progress, k, total)
        parcels.append(_parcel(rec, geom, result, repairs.get(k, ()), name, sha, operator, when))
    prints: list[str] = []
    for start in range(0, len(parcels), SLICE):
        step(progress, len(parcels) + start, total)
        prints += fingerprints(parcels[start:start + SLICE], context)
    step(progress, 2 * len(parcels), total)
    found = clashes(existing, [p.attrs for p in parcels]) if parcels else []
    step(progress, total, total)
    return ImportedParcels(parcels, name, sha, context, prints, found)


def _parcel(rec: dict, geom, result, flags, name: str, sha: str | None, operator: str, when: str) -> Parcel:
    attrs = attrs_from_record(rec)
    if "parcel_no" not in attrs and result.id_field and rec.get(result.id_field) not in (None, ""):
        attrs["parcel_no"] = str(rec[result.id_field])
    if "declared_area" not in attrs and result.declared_area_field and rec.get(result.declared_area_field) not in (None, ""):
        attrs["declared_area"] = str(rec[result.declared_area_field])
    what = f"导入自 {name}" + ("（原图形无效，已修复）" if flags else "")
    source = Source("import", operator, when, file=name, sha256=sha, what=what)
    return new_parcel(geom, operator, attrs, what=what, import_flags=flags, source=source,
                      point_names=point_names.parse(rec.get(point_names.POINT_NAMES)))
