"""Duplicate 宗地号 / 不动产单元号 index (zones.duplicates.DuplicateIndex) on a district's
100,000 parcels: the bulk build (ids normalised in a few passes over one joined string,
dict/Counter built-ins) against the straightforward build (one id_key call and one set per
parcel and kind), and one edit's incremental update. CPU time of this process, with the
load average (the machine is shared).

    python benchmarks/duplicate_ids.py [N]
"""

from __future__ import annotations

import os
import sys
import time

import shapely

from zones.duplicates import KINDS, DuplicateIndex, id_key
from zones.project import Parcel, Project


def naive_build(project) -> dict:
    holders: dict = {}
    for p in project.parcels:
        for kind, _ in KINDS:
            key = id_key(p.get(kind))
            if key:
                holders.setdefault((kind, key), set()).add(p.uid)
    return {k: v for k, v in holders.items() if len(v) > 1}


def cpu(fn, repeat=3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.process_time()
        fn()
        best = min(best, time.process_time() - t)
    return best


def main(n: int = 100_000) -> None:
    g = shapely.box(0, 0, 1, 1)
    pr = Project()
    pr.parcels = [Parcel(f"u{i}", g, {"parcel_no": f"330302001001GB{i:05d}",
                                      "unit_no": f"330302001001GB{i:05d}W00000000"}) for i in range(n)]
    pr.parcels[7] = Parcel("u7", g, {"parcel_no": "３３０３０２００１００１ＧＢ00008"})    # one full-width duplicate
    pr.position("u0")

    def bulk():
        idx = DuplicateIndex(pr)
        idx.note("u0")
        return idx

    idx = bulk()
    assert idx.uids() == set().union(*naive_build(pr).values()) == {"u7", "u8"}
    t_bulk, t_naive = cpu(bulk), cpu(lambda: naive_build(pr))
    t_edit = cpu(lambda: idx.update(["u9"]), repeat=20)
    print(f"{n:,} parcels: bulk build {t_bulk * 1000:.0f} ms CPU, per-parcel build {t_naive * 1000:.0f} ms CPU "
          f"({t_naive / t_bulk:.1f}×); one edit's update {t_edit * 1e6:.0f} µs; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
