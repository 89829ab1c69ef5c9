"""The core's errors survive a trip to and from a worker process (pickle) unchanged."""

from __future__ import annotations

import pickle

import pytest

from zones.errors import Cancelled, InputError, RuleError, ZoneSetError
from zones.io.base import ParcelImportError


@pytest.mark.parametrize("error", [
    InputError("宗地.csv", "no X column", record=3),
    ParcelImportError("宗地.csv", "the point J2 has no Y coordinate", record="Z-7"),
    ZoneSetError("wenzhou-urban-2024", "grade 4 has no rate", where="zones.gpkg"),
    RuleError("relief code ZZ is unknown"),
    Cancelled("stopped"),
])
def test_errors_pickle_round_trip(error):
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is type(error)
    assert str(again) == str(error) and again.code == error.code
    assert vars(again) == vars(error)


def test_a_worker_error_reaches_the_caller_whole():
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        future = pool.submit(_raise, "宗地.csv", 12)
        with pytest.raises(ParcelImportError) as caught:
            future.result()
    assert str(caught.value) == "宗地.csv, record 12: the ring is not closed" and caught.value.record == 12


def _raise(source, record):
    raise ParcelImportError(source, "the ring is not closed", record=record)
