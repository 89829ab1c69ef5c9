"""The speed work on the document store changes no figure: the results, fingerprints,
review keys and grade pieces of a few hundred varied parcels (tests/varied_parcels.py)
are those computed before it (tests/data/varied_results.json, one SHA-256 per parcel),
and a save + open of the project gives back exactly what was saved.

Regenerate the reference only for an intended change of the rules:
``WZTAX_REGENERATE=1 python -m pytest tests/test_store_figures.py``."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from tests.synthetic import city
from tests.varied_parcels import varied_parcels
from zones.periods import TaxPeriod
from zones.project import Project, assess_context, assess_parcels, fingerprint
from zones.project_file import load_project, save_project
from zones.reliefs import load_catalogue

REFERENCE = Path(__file__).parent / "data" / "varied_results.json"
PERIOD = TaxPeriod(2024)


@pytest.fixture(scope="module")
def assessed():
    zs = city(accuracy_m=3)
    parcels = varied_parcels()
    stored, _ = assess_parcels(parcels, zs, PERIOD, catalogue=load_catalogue())
    return zs, parcels, stored


def digest(stored) -> dict:
    result, provenance = stored.texts()
    prov = json.loads(provenance)
    prov.pop("created")      # the time of the run
    pieces = hashlib.sha256(b"".join(str(g).encode() + geom.wkb for g, geom in stored.pieces)).hexdigest()[:16]
    return {"fingerprint": stored.fingerprint, "key": stored.key, "due": str(stored.due),
            "result": hashlib.sha256(result.encode()).hexdigest()[:16],
            "provenance": hashlib.sha256(json.dumps(prov, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16],
            "pieces": pieces}


def test_figures_are_those_computed_before(assessed):
    zs, parcels, stored = assessed
    now = {p.uid: digest(stored[p.uid]) for p in parcels}
    if os.environ.get("WZTAX_REGENERATE"):
        REFERENCE.write_text(json.dumps(now, indent=0, sort_keys=True, separators=(",", ":")) + "\n")
    before = json.loads(REFERENCE.read_text())
    assert len(before) == len(parcels) == 360
    for p in parcels:
        assert now[p.uid] == before[p.uid], (p.uid, stored[p.uid].texts()[0])
    # the cached fingerprints are the plain function's
    context = assess_context(zs, PERIOD)
    assert all(stored[p.uid].fingerprint == fingerprint(p, context) for p in parcels)


def test_saved_and_opened_project_gives_back_every_figure(assessed, tmp_path):
    zs, parcels, stored = assessed
    pr = Project(period=PERIOD)
    pr.parcels = list(parcels)
    pr.context = assess_context(zs, PERIOD)
    pr.set_results(stored, compare=False)
    path = save_project(pr, tmp_path / "varied.gpkg")
    back = load_project(path)
    back.context = pr.context
    assert [p.uid for p in back.parcels] == [p.uid for p in parcels]
    assert not back.stale()
    for p, q in zip(parcels, back.parcels):
        assert (q.attrs, q.geometry.wkb, q.source, q.import_flags, q.review) == (
            p.attrs, p.geometry.wkb, p.source, p.import_flags, p.review)
        s, t = stored[p.uid], back.current_result(p.uid)
        assert t.texts() == s.texts()
        assert (t.due, t.flags, t.key) == (s.result.due, s.result.flags, s.key)
        assert t.result == s.result
        assert [(g, geom.wkb) for g, geom in t.pieces] == [(g, geom.wkb) for g, geom in s.pieces]


def test_assessing_again_keeps_unchanged_results_and_replaces_changed_ones(assessed, tmp_path):
    zs, parcels, stored = assessed
    pr = Project(period=PERIOD)
    pr.parcels = list(parcels)
    pr.context = assess_context(zs, PERIOD)
    pr.set_results(stored, compare=False)
    back = load_project(save_project(pr, tmp_path / "p.gpkg"))
    back.context = pr.context
    # opening parses no result: the amount, flags and key come from their own columns
    assert all(s._result is None and s.key == stored[u].key for u, s in back.results.items())
    i = next(k for k, p in enumerate(back.parcels) if stored[p.uid].result.rows)
    edited = back.parcels[i].uid
    back.edit(i, who="甲", attrs={"declared_area": "1.00"})
    before = dict(back.results)
    again, _ = assess_parcels(back.parcels, zs, PERIOD, catalogue=load_catalogue(), reuse=before)
    kept = [u for u, s in again.items() if s is before[u]]
    assert len(kept) == len(parcels) - 1 and edited not in kept
    events = len(back.audit.events())
    op = back.set_results(again, compare=False)
    assert op.changed == (edited,)
    assert len(back.audit.events()) == events + 1      # the one re-assessment, amounts before → after
    assert not back.stale()
    for p in back.parcels:
        assert back.current_result(p.uid).texts()[0] == (stored[p.uid].texts()[0] if p.uid != edited
                                                         else again[edited].texts()[0])


def test_assessing_in_a_child_process_gives_the_same_results(assessed):
    """The desktop's assess-all of a district runs in a child process (zones.store_assess):
    the same texts, keys, amounts, flags, fingerprints and pieces; unchanged results kept."""
    from zones.errors import Cancelled
    from zones.progress import Progress
    from zones.store_assess import assess_in_process

    zs, parcels, stored = assessed
    progress = Progress()
    there = assess_in_process(parcels, zs, PERIOD, catalogue=load_catalogue(), tax_base="rounded", reuse={},
                              progress=progress)
    assert progress.fraction == 1.0
    for p in parcels:
        a, b = stored[p.uid], there[p.uid]
        assert b._result is None         # parsed when first read, like a project file's
        assert (b.texts()[0], b.key, b.due, b.flags, b.fingerprint) == (a.texts()[0], a.key, a.due, a.flags, a.fingerprint)
        assert [(g, x.wkb) for g, x in b.pieces] == [(g, x.wkb) for g, x in a.pieces]
        assert b.result == a.result
    again = assess_in_process(parcels[:50], zs, PERIOD, catalogue=load_catalogue(), tax_base="rounded", reuse=there)
    assert all(again[p.uid] is there[p.uid] for p in parcels[:50])
    # the fingerprints the desktop already knows are sent along (the child makes the others)
    context = assess_context(zs, PERIOD)
    known = [fingerprint(p, context) if k % 2 else None for k, p in enumerate(parcels[:50])]
    again = assess_in_process(parcels[:50], zs, PERIOD, catalogue=load_catalogue(), tax_base="rounded", reuse=there,
                              prints=known)
    assert all(again[p.uid] is there[p.uid] for p in parcels[:50])
    wrong = ["0" * 16] * 50          # a fingerprint that is not the parcel's: its result is new, as it must be
    again = assess_in_process(parcels[:50], zs, PERIOD, catalogue=load_catalogue(), tax_base="rounded", reuse=there,
                              prints=wrong)
    assert all(again[p.uid] is not there[p.uid] and again[p.uid].fingerprint == wrong[0] for p in parcels[:50])
    cancelled = Progress()
    cancelled.cancel()
    with pytest.raises(Cancelled):
        assess_in_process(parcels, zs, PERIOD, catalogue=load_catalogue(), tax_base="rounded", reuse={},
                          progress=cancelled)


def test_vectorised_key_is_the_decimal_results_key(assessed):
    """Assess-all compares a plain parcel's result by a key made from the vectorised figures,
    without its Decimal result: that key is the Decimal result's key, parcel by parcel, under
    either tax-base rule."""
    from zones.project import fast_result_key, key_digest, result_key

    zs, parcels, _ = assessed
    for base in ("rounded", "unrounded"):
        stored, run = assess_parcels(parcels, zs, PERIOD, catalogue=load_catalogue(), tax_base=base)
        # (a parcel whose attributes cannot be read gets an error result instead: not compared so)
        fast = [i for i in range(len(parcels)) if run.is_fast(i) and not stored[parcels[i].uid].result.error]
        assert 50 < len(fast) < len(parcels)           # both paths are exercised
        for i in fast:
            key = fast_result_key(*run.fast_figures(i), zs.rates)
            assert key == result_key(run.parcel(i)) and repr(key) == repr(result_key(run.parcel(i)))
            assert key_digest(key) == stored[parcels[i].uid].key


def test_reassessing_keeps_every_result_and_builds_no_decimal_result_for_plain_parcels(assessed):
    zs, parcels, stored = assessed
    again, run = assess_parcels(parcels, zs, PERIOD, catalogue=load_catalogue(), reuse=dict(stored))
    assert all(again[p.uid] is stored[p.uid] for p in parcels)
    plain = [i for i in range(len(parcels)) if run.is_fast(i) and not stored[parcels[i].uid].result.error]
    assert len(plain) > 50 and not any(i in run._cache for i in plain)


def test_a_child_started_ahead_does_the_next_assessment(assessed):
    """The desktop starts the next assess-all's child in idle time (imports done, waiting):
    the next assessment uses it, with the same figures; it does one job and ends."""
    from zones import store_assess
    from zones.store_assess import assess_in_process, prewarm

    zs, parcels, stored = assessed
    prewarm()
    ready = store_assess._ready[0][0]
    prewarm()                            # one waits at a time
    assert store_assess._ready[0][0] is ready and ready.is_alive()
    there = assess_in_process(parcels, zs, PERIOD, catalogue=load_catalogue(), tax_base="rounded", reuse={})
    assert not store_assess._ready and not ready.is_alive()     # its job done, it was ended
    for p in parcels:
        assert (there[p.uid].texts()[0], there[p.uid].key) == (stored[p.uid].texts()[0], stored[p.uid].key)


def test_a_district_reassessment_logs_every_change_in_order(assessed):
    """New rates change every result: one ``assess`` event per changed parcel (amounts before →
    after), written in bulk, numbered on; a reviewed parcel's ``review_void`` follows its own
    ``assess`` event, in the parcels' order."""
    import dataclasses

    from zones.project import Review

    zs, parcels, stored = assessed
    pr = Project(period=PERIOD)
    pr.parcels = list(parcels)
    pr.context = assess_context(zs, PERIOD)
    pr.set_results(stored, compare=False)
    reviewed = next(k for k, p in enumerate(parcels) if k > 5 and stored[p.uid].result.due > 0)
    pr.parcels[reviewed] = dataclasses.replace(pr.parcels[reviewed], review=Review("乙", "2024-01-01", stored[parcels[reviewed].uid].key))
    pr.audit.append("x", "note", "before")
    dearer = dataclasses.replace(zs, rates={g: r + 1 for g, r in zs.rates.items()})
    pr.context = assess_context(dearer, PERIOD)
    again, _ = assess_parcels(pr.parcels, dearer, PERIOD, catalogue=load_catalogue(), reuse=dict(pr.results))
    pr.set_results(again, compare=True, reason="等级图/税率变化", who="甲")
    events = pr.audit.events()
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    moved = [p.uid for p in parcels if again[p.uid].key != stored[p.uid].key]
    assert len(moved) > 100
    logged = [e for e in events if e.kind in ("assess", "review_void")]
    expected = []
    for p in parcels:
        if p.uid in moved:
            expected.append((p.uid, "assess"))
            if p.uid == parcels[reviewed].uid:
                expected.append((p.uid, "review_void"))
    assert [(e.uid, e.kind) for e in logged] == expected
    first = pr.history(moved[0])[-1]
    assert (first.who, first.old, first.new) == ("甲", str(stored[moved[0]].due), str(again[moved[0]].due))
    assert first.what == f"因等级图/税率变化重新计税：应纳税额 {stored[moved[0]].due} → {again[moved[0]].due} 元"


def test_the_fingerprints_an_assessment_made_are_learnt_not_made_again(assessed, monkeypatch):
    import dataclasses

    import zones.project as project_module

    zs, parcels, stored = assessed
    pr = Project(period=PERIOD)
    pr.parcels = list(parcels)
    dearer = dataclasses.replace(zs, rates={g: r + 1 for g, r in zs.rates.items()})
    pr.context = assess_context(dearer, PERIOD)
    sent = list(pr.parcels)
    again, _ = assess_parcels(sent, dearer, PERIOD, catalogue=load_catalogue())
    pr.edit(3, who="甲", attrs={"declared_area": "2.00"})        # edited while the assessment ran
    made = []
    many = project_module.fingerprints
    monkeypatch.setattr(project_module, "fingerprint", lambda p, c="": made.append(p.uid) or fingerprint(p, c))
    monkeypatch.setattr(project_module, "fingerprints", lambda ps, c="": made.extend(p.uid for p in ps) or many(ps, c))
    pr.learn_fingerprints(sent, again, pr.context)
    pr.set_results(again, compare=True, reason="等级图/税率变化", who="甲")
    pr.stale_uids()
    assert made == []              # none made again (the edited parcel's was made by its edit)
    assert pr.stale_uids() == {parcels[3].uid}     # its result is of the snapshot before the edit
    assert all(pr.fingerprint_of(p) == fingerprint(p, pr.context) for p in pr.parcels)
