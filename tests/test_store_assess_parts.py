"""A district's results are made and sent back a part at a time (zones.store_assess: the
child makes part k+1 while the parent takes in part k). Whatever the part size, every parcel
gets exactly the result of the one assessment path, in its order, and an unchanged result
is the stored object itself."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from tests.synthetic import city
from tests.test_fast_results import ODD_RATES, ties
from tests.varied_parcels import varied_parcels
from zones import store_assess
from zones.periods import TaxPeriod
from zones.progress import Progress
from zones.project import ParcelsAssessed, assess_parcels
from zones.reliefs import load_catalogue
from zones.tax import TAX_BASE_ROUNDED

PERIOD = TaxPeriod(2024, 3, 9)


def _same(a, b) -> bool:
    """The same result text, figures, inputs and pieces; the same provenance but for the run's time."""
    def timeless(s) -> dict:
        return {k: v for k, v in s.provenance.items() if k != "created"}

    return (a.texts()[0], a.key, a.due, a.flags, a.fingerprint, timeless(a)) == \
        (b.texts()[0], b.key, b.due, b.flags, b.fingerprint, timeless(b)) \
        and [(g, x.wkb) for g, x in a.pieces] == [(g, x.wkb) for g, x in b.pieces]


def test_results_made_in_slices_are_the_whole_runs():
    zs = dataclasses.replace(city(accuracy_m=3), rates=dict(ODD_RATES))
    parcels = varied_parcels() + ties()
    whole, _ = assess_parcels(parcels, zs, PERIOD, catalogue=load_catalogue())
    job = ParcelsAssessed(parcels, zs, PERIOD, catalogue=load_catalogue(), reuse=dict(whole))
    n = len(parcels)
    sliced: dict = {}
    for start in range(0, n, 37):
        part = job.results(start, min(start + 37, n))
        assert list(part) == [p.uid for p in parcels[start:start + 37]]
        sliced.update(part)
    assert all(sliced[p.uid] is whole[p.uid] for p in parcels)     # unchanged: the stored objects


def test_a_rate_change_sent_back_in_small_parts_gives_the_in_process_results(monkeypatch):
    """The child process makes and sends parts of 7 parcels: every result changed by the new
    rates arrives, equal to the in-process path's, and those already current (every third
    parcel's) stay the stored objects."""
    zs = dataclasses.replace(city(accuracy_m=3), rates=dict(ODD_RATES))
    parcels = varied_parcels() + ties()
    before, _ = assess_parcels(parcels, zs, PERIOD, catalogue=load_catalogue())
    dearer = dataclasses.replace(zs, rates={g: r + Decimal(1) for g, r in zs.rates.items()})
    expected, _ = assess_parcels(parcels, dearer, PERIOD, catalogue=load_catalogue())
    current = {p.uid for k, p in enumerate(parcels) if k % 3 == 0}
    stored = {p.uid: expected[p.uid] if p.uid in current else before[p.uid] for p in parcels}
    monkeypatch.setattr(store_assess, "RETURN_CHUNK", 7)
    progress = Progress()
    got = store_assess.assess_in_process(parcels, dearer, PERIOD, catalogue=load_catalogue(),
                                         tax_base=TAX_BASE_ROUNDED, reuse=dict(stored), progress=progress)
    assert (progress.done, progress.total) == (1000, 1000)        # the bar full once the last part is in
    assert list(got) == [p.uid for p in parcels]
    changed = 0
    for p in parcels:
        if p.uid in current:
            assert got[p.uid] is stored[p.uid], p.uid
        else:
            assert got[p.uid] is not stored[p.uid] and _same(got[p.uid], expected[p.uid]), p.uid
            changed += 1
    assert changed > 300
