"""A district's fingerprints (made when its project opens), against the JSON encoder's text.

    python -m benchmarks.fingerprints PROJECT.gpkg [--repeats 5]

Opens the project file (e.g. ``benchmarks/data/project100000.gpkg`` of
:mod:`benchmarks.desktop_store`), then times, alternately in one process, ``repeats`` times each:

- ``fingerprints``: :func:`zones.project.fingerprints` over every parcel, as opening does;
- ``encoder``: the same with the attributes' text made by ``json.JSONEncoder(ensure_ascii=False,
  sort_keys=True).encode`` (the code before), checked to give the same fingerprints;
- ``attrs text alone``: :func:`zones.project.attrs_json` against the encoder over every parcel's attributes.

Prints the medians of the CPU times (``time.process_time``) and their ratios.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path


def _cpu(fn) -> tuple[float, object]:
    t = time.process_time()
    out = fn()
    return time.process_time() - t, out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("project", type=Path)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args(argv)

    import zones.project as zp
    from zones.project_file import load_project

    parcels = load_project(args.project).parcels
    attrs = [p.attrs for p in parcels]
    new_fn, old_fn = zp.attrs_json, zp._ATTRS_JSON
    times: dict[str, list[float]] = {k: [] for k in ("fingerprints", "encoder", "attrs new", "attrs old")}
    for _ in range(args.repeats):
        t, new = _cpu(lambda: zp.fingerprints(parcels, "ctx"))
        times["fingerprints"].append(t)
        module = vars(zp)               # the code before: the encoder's text (_fingerprint reads the global)
        module["attrs_json"] = old_fn
        try:
            t, old = _cpu(lambda: zp.fingerprints(parcels, "ctx"))
        finally:
            module["attrs_json"] = new_fn
        times["encoder"].append(t)
        assert new == old, "the fingerprints differ"
        times["attrs new"].append(_cpu(lambda: [new_fn(a) for a in attrs])[0])
        times["attrs old"].append(_cpu(lambda: [old_fn(a) for a in attrs])[0])
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"{len(parcels):,} parcels, {args.repeats} alternations, medians of CPU time")
    print("| | new | encoder (before) | ratio |")
    print("|---|---|---|---|")
    print(f"| fingerprints of every parcel | {med['fingerprints']:.3f} s | {med['encoder']:.3f} s "
          f"| {med['encoder'] / med['fingerprints']:.2f}× |")
    print(f"| the attributes' text alone | {med['attrs new']:.3f} s | {med['attrs old']:.3f} s "
          f"| {med['attrs old'] / med['attrs new']:.2f}× |")


if __name__ == "__main__":
    main()
