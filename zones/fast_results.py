"""Stored results of plain parcels built from the vectorised figures, without the Decimal
result: its JSON text (byte for byte what ``result_to_dict`` + the project file's encoder
write), its key (:func:`zones.project.key_digest` of :func:`zones.project.result_key`), the
amount due and the flags.

A plain parcel (no declared area, reliefs, own months or small-taxpayer halving, no error:
:meth:`zones.assess.Assessment.is_fast`) has one row per grade it touches, each with the
gross amount :func:`zones.tax.fast_gross_fen_rounded` (or ``fast_gross_fen``) computed for the
whole run in integer fen. What the Decimal path adds — the share of the measured area to
0.0001, the annual amount to the fen, the texts of its notes — is computed here for all
parcels at once, in integers (exact) or in floats with the Decimal expression deciding
within 1e-4 of a rounding tie (as :func:`zones.tax.round_half_up_hundredths`). After a rate
change every result of a district is new: this makes 100,000 of them in about a second,
where the Decimal results and their JSON took about ten (tests/test_fast_results.py
compares both, parcel by parcel, text by text).
"""

from __future__ import annotations

import hashlib
from decimal import ROUND_HALF_UP, Decimal
from json.encoder import encode_basestring  # the encoder's own (C) function

import numpy as np

from zones.money import area2, yuan
from zones.results import ZERO
from zones.tax import AREA_EPS_M2, TAX_BASE_ROUNDED, fast_area_hundredths, round_half_up_hundredths

_SHARE = Decimal("0.0001")
#: A row's reliefs, relief and small-taxpayer relief, and the parcel's tail: always these for a plain parcel.
_ROW_TAIL = '"reliefs": [], "relief": "0.00", "small_taxpayer_relief": "0.00", "due": "'


class PlainResults:
    """The stored forms of ``run``'s plain parcels (see the module docstring), many at a time:
    :meth:`keys` (the comparison of an unchanged assess-all), :meth:`build` (the whole stored
    result). Every column is formatted in bulk; the loop over parcels only joins texts."""

    def __init__(self, run) -> None:
        self.run = run
        self._columns: dict | None = None

    def buildable(self) -> list[bool]:
        """For each parcel of the run: plain, or its only term the small-taxpayer halving, and
        its figures finite (else the Decimal path makes it)."""
        run, c = self.run, self._cols()
        ok = np.ones(len(run), dtype=bool)
        slow = run._fast["slow"]
        ok[slow] = False
        if c["halving"] is not None:
            ok[[i for i in slow if run.is_halved(i)]] = True
        ok &= np.fromiter((not e for e in run.errors), dtype=bool, count=len(run)) & c["finite"]
        return ok.tolist()

    def keys(self, indices) -> list[str]:
        """The result keys of plain parcels ``indices``."""
        return [_digest(k) for k in self._rows(indices)[0]]

    def build(self, indices) -> list[tuple[str, str, str, tuple[str, ...]]]:
        """(result JSON, key, amount due as text, flags) of each plain parcel of ``indices``."""
        run, c = self.run, self._cols()
        key_texts, cells, due = self._rows(indices)
        ids, liable = run.ids, c["liable"]
        fast_flags, ref_notes = run._fast["flags"], run.notes
        # the areas' texts, as the JSON encoder writes floats (repr), of these parcels only
        idx = np.asarray(indices, dtype=np.int64)
        areas = [list(map(float.__repr__, col.tolist())) for col in c["by_grade"][idx].T]
        keys = c["grade_keys"]
        by_grade = [", ".join(f"{k}: {v}" for k, v in zip(keys, vs)) for vs in zip(*areas)] if areas \
            else [""] * len(idx)
        outside = list(map(float.__repr__, c["outside"][idx].tolist()))
        measured = list(map(float.__repr__, c["measured"][idx].tolist()))
        out = []
        for i, key, rows, fen, area_text, out_text, measured_text in zip(indices, key_texts, cells, due, by_grade,
                                                                          outside, measured):
            flags = tuple(dict.fromkeys(fast_flags.get(i, ())))
            notes = list(ref_notes.get(i, ()))
            if "outside" in flags or "sliver" in flags:
                notes += self._area_notes(i)
            text = (f'{{"index": {i}, "parcel_id": {encode_basestring(ids[i])}, "map_area_m2": {measured_text}, '
                    f'"area_by_grade": {{{area_text}}}, "area_outside_m2": {out_text}, "declared_area_m2": null, '
                    f'"liable": {liable}, "rows": [{rows}], "flags": [{_strings(flags)}], '
                    f'"notes": [{_strings(notes)}], "error": null}}')
            out.append((text, _digest(key), fen, flags))
        return out

    def _rows(self, indices) -> tuple[list[str], list[str], list[str]]:
        """For each parcel of ``indices``: the text :func:`key_text` makes, its rows' JSON and its
        amount due as text — each row's figures formatted once, for all rows at once."""
        run, c = self.run, self._cols()
        idx = np.asarray(indices, dtype=np.int64)
        months = run.default_liable.count
        order = c["order"]                       # grades ascending: the reference path's rows
        present = c["present"][idx][:, order]
        rows, cols = np.nonzero(present)         # row-major: each parcel's rows, grades ascending
        take = idx[rows]
        j = order[cols]
        h = c["hundredths"][take, j]
        gross = run._fast["gross"][take, j]
        share = c["share"][take, j]
        annual = c["annual"][take, j]
        grades = np.asarray(c["grades"])[j].tolist()
        h_t, f_t, a_t = _money_texts(h), _money_texts(gross), _money_texts(annual)
        s_t = [f"{v // 10000}.{v % 10000:04d}" for v in share.tolist()]
        area_t = list(map(float.__repr__, c["by_grade"][take, j].tolist()))
        rate_repr, rate_json, label_json = c["rate_repr"], c["rate_json"], c["label_json"]
        tails = [f"{_ROW_TAIL}{ft}" for ft in f_t]          # a plain row: no relief, due = gross
        halving = c["halving"]
        small = np.zeros(len(gross), dtype=np.int64)
        if halving is not None:          # the halving's rows: their relief line, the amount halved, what is due
            cells = np.flatnonzero(np.fromiter(map(run.is_halved, take.tolist()), dtype=bool, count=len(take)))
            small[cells] = _halved_fen(gross[cells], halving["months"], months, halving["value"])
            sm_t = _money_texts(small[cells])
            due_t = _money_texts(gross[cells] - small[cells])
            head, mid, tail = halving["line"]
            for k, g, st, dt in zip(cells.tolist(), np.asarray(grades)[cells].tolist(), sm_t, due_t):
                tails[k] = (f'"reliefs": [{head}{g}, "area_m2": "{h_t[k]}"{mid}{st}{tail}], "relief": "0.00", '
                            f'"small_taxpayer_relief": "{st}", "due": "{dt}')
        d_t = _money_texts(gross - small)          # each row's amount due
        key_cells = [f"({g}, Decimal('{ht}'), {rate_repr[g]}, {months}, Decimal('{dt}'))"
                     for g, ht, dt in zip(grades, h_t, d_t)]
        json_cells = [f'{{"grade": {g}, "grade_label": {label_json[g]}, "map_area_m2": {at}, "area_m2": "{ht}", '
                      f'"share": "{st}", "rate": {rate_json[g]}, "annual": "{nt}", "months": {months}, '
                      f'"gross": "{ft}", {tl}"}}'
                      for g, at, ht, st, nt, ft, tl in zip(grades, area_t, h_t, s_t, a_t, f_t, tails)]
        count = present.sum(axis=1).tolist()
        per_parcel = np.zeros(len(idx), dtype=np.int64)
        np.add.at(per_parcel, rows, gross - small)
        due = _money_texts(per_parcel)
        keys, texts, k = [], [], 0
        for n, fen in zip(count, due):
            inner = ", ".join(key_cells[k:k + n]) + ("," if n == 1 else "")
            keys.append(f"(Decimal('{fen}'), ({inner}), {months}, None)")
            texts.append(", ".join(json_cells[k:k + n]))
            k += n
        return keys, texts, due

    def _area_notes(self, i: int) -> list[str]:
        """The notes the Decimal path adds to an outside / sliver flag (zones.tax.assess_parcel)."""
        run, c = self.run, self._cols()
        sliver_m2 = run.options.sliver_m2
        outside = float(c["outside"][i])
        notes = []
        if outside > AREA_EPS_M2:
            notes.append(f"征税范围以外面积 {area2(outside)} m²")
        grade_sliver = False
        for g, a in zip(c["grades"], c["by_grade"][i].tolist()):
            if AREA_EPS_M2 < a < sliver_m2:
                grade_sliver = True
                notes.append(f"{c['label_text'][g]}碎片面积仅 {area2(a)} m²")
        if AREA_EPS_M2 < outside < sliver_m2 and not grade_sliver and "sliver" not in run.flags.get(i, ()):
            notes.append(f"征税范围以外碎片面积仅 {area2(outside)} m²")
        return notes

    def _cols(self) -> dict:
        """The run's per-parcel columns the texts need, computed once for all parcels."""
        if self._columns is not None:
            return self._columns
        run = self.run
        zs, split = run.zoneset, run.split
        grades = list(split.grades)
        by_grade = np.asarray(split.by_grade, dtype=float).reshape(len(run), len(grades))
        outside = np.asarray(split.outside, dtype=float)
        measured = np.zeros(len(run))
        for j in range(len(grades)):        # as Python's sum() over the grades, then + outside: the same floats
            measured = measured + by_grade[:, j]
        measured = measured + outside
        finite = np.isfinite(measured) & np.isfinite(by_grade).all(axis=1) & np.isfinite(outside)
        safe = np.where(finite[:, None], by_grade, 0.0)
        share = np.zeros(by_grade.shape, dtype=np.int64)
        annual = np.zeros(by_grade.shape, dtype=np.int64)
        hundredths = np.zeros(by_grade.shape, dtype=np.int64)
        for j, g in enumerate(grades):
            share[:, j] = _share_ten_thousandths(safe[:, j], np.where(finite, measured, 0.0))
            annual[:, j] = _annual_fen(safe[:, j], zs.rates[g], run.options.tax_base)
            hundredths[:, j] = fast_area_hundredths(safe[:, j])
        liable = run.default_liable
        from zones.project import _RESULT_JSON     # the project file's encoder, for the one shared object

        self._columns = {
            "grades": grades, "order": np.asarray(sorted(range(len(grades)), key=lambda j: grades[j]), dtype=np.int64),
            "by_grade": by_grade, "outside": outside, "measured": measured, "finite": finite,
            "present": by_grade > AREA_EPS_M2, "hundredths": hundredths, "share": share, "annual": annual,
            "grade_keys": [encode_basestring(str(g)) for g in grades],
            "label_text": {g: zs.grade_label(g) for g in grades},
            "label_json": {g: encode_basestring(zs.grade_label(g)) for g in grades},
            "rate_json": {g: encode_basestring(str(zs.rates[g])) for g in grades},
            "rate_repr": {g: repr(zs.rates[g]) for g in grades},
            "liable": _RESULT_JSON({"first": str(liable.first) if liable.first else None,
                                    "last": str(liable.last) if liable.last else None,
                                    "count": liable.count, "rule": liable.rule}),
            "halving": _halving(run, _RESULT_JSON),
        }
        return self._columns


def _halving(run, encode) -> dict | None:
    """The small-taxpayer halving as every halved parcel of ``run`` has it (they share the
    period's liable months): its months, rate and relief line's JSON around the grade, area
    and amount; None when the Decimal path must make them (no policy, no month in common
    with the policy's validity — a flag and a note —, no liable month, a rate outside 0…1)."""
    from zones.periods import overlap_months

    policy = run.catalogue.small_taxpayer if run.catalogue is not None else None
    liable = run.default_liable
    if policy is None or not liable.count or not 0 <= policy.value <= 1:
        return None
    first, last, n = overlap_months(liable.first, liable.last, policy.valid_from, policy.valid_to)
    if not n:
        return None
    head = (f'{{"code": {encode(policy.code)}, "name": {encode(policy.name)}, "document": {encode(policy.document)}, '
            f'"method": {encode(policy.method.value)}, "grade": ')
    mid = f', "first": {encode(str(first) if first else None)}, "last": {encode(str(last) if last else None)}, ' \
          f'"months": {n}, "amount": "'
    tail = f'", "small_taxpayer": true, "verified": {encode(policy.verified)}}}'
    return {"months": n, "value": policy.value, "line": (head, mid, tail)}


def _halved_fen(gross: np.ndarray, n: int, months: int, value: Decimal) -> np.ndarray:
    """The halving of rows whose gross amounts are ``gross`` (fen): yuan(gross × n / months ×
    value) of the Decimal path, in fen — floats, with the Decimal expression deciding within
    1e-4 fen of a tie."""
    x = gross.astype(float) * (n * float(value) / months)
    out = np.floor(x + 0.5).astype(np.int64)
    for k in np.flatnonzero(np.abs(x - np.floor(x) - 0.5) < 1e-4):
        base = (Decimal(int(gross[k])).scaleb(-2) - ZERO) * n / months
        out[k] = int(yuan(base * value) * 100)
    return out


def _digest(key_text: str) -> str:
    """:func:`zones.project.key_digest` of the key whose repr is ``key_text``."""
    return hashlib.sha256(key_text.encode()).hexdigest()[:16]


def _money_texts(values: np.ndarray) -> list[str]:
    """:func:`money_text` of many non-negative hundredths."""
    return [f"{v // 100}.{v % 100:02d}" for v in np.asarray(values, dtype=np.int64).tolist()]


def _strings(values) -> str:
    return ", ".join(map(encode_basestring, values))


def _share_ten_thousandths(areas: np.ndarray, measured: np.ndarray) -> np.ndarray:
    """(Decimal(area) / Decimal(measured)).quantize(0.0001, half-up) × 10000 for every row
    (0 where there is no measured area: no row is made there)."""
    x = np.where(measured > 0, areas / np.where(measured > 0, measured, 1.0), 0.0) * 10000.0
    out = np.floor(x + 0.5).astype(np.int64)
    for k in np.flatnonzero(np.abs(x - np.floor(x) - 0.5) < 1e-4):
        exact = (Decimal(float(areas[k])) / Decimal(float(measured[k]))).quantize(_SHARE, rounding=ROUND_HALF_UP)
        out[k] = int(exact * 10000)
    return out


def _annual_fen(areas: np.ndarray, rate: Decimal, tax_base: str) -> np.ndarray:
    """The row's annual amount (taxable area × rate, half-up to the fen) in fen."""
    if tax_base == TAX_BASE_ROUNDED:      # exact in integers: hundredths × rate
        num, den = Decimal(rate).as_integer_ratio()
        hundredths = fast_area_hundredths(areas)
        if len(areas) and int(hundredths.max()) * (num + den) > 2 ** 60:   # beyond int64: Python's integers
            hundredths = hundredths.astype(object)
        return (2 * hundredths * num + den) // (2 * den)
    return round_half_up_hundredths(areas, float(rate), lambda a: yuan(Decimal(a) * rate))
