"""The short, seeded run of tools/fuzz_readers.py: a few hundred mutated inputs per text reader,
and no exception but the readers' own ParcelImportError (one bounded line)."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
import fuzz_readers


@pytest.mark.parametrize("reader", sorted(fuzz_readers.READERS))
def test_mutated_inputs_give_results_or_clear_errors(reader, tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        stats = fuzz_readers.run(250, 7, [reader], save=tmp_path, quiet=True, full_every=25)
    inputs, failures, _ = stats[reader]
    saved = sorted(p.read_text(encoding="utf-8")[-400:] for p in tmp_path.glob("*.txt"))
    assert inputs == 250 and failures == 0, saved[:3]


def test_the_mutations_are_hostile():
    """The generators really produce broken inputs (else the run above proves nothing)."""
    import random

    rng = random.Random(1)
    seeds = {"points-csv": fuzz_readers.seed_csv().encode(), "exchange": fuzz_readers.seed_exchange().encode(),
             "cass": fuzz_readers.seed_cass().encode()}
    for name, seed in seeds.items():
        outs = [fuzz_readers.READERS[name](rng)[1] for _ in range(50)]
        assert sum(o != seed for o in outs) >= 45, name
