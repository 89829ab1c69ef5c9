"""Every file in the broken corpus (tests/data/broken, made by make_broken.py)
gives ONE clear ParcelImportError naming the file — never a traceback."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "data"))
from make_broken import CASES, HERE, build  # noqa: E402

from zones.io import ParcelImportError, list_layers, read_parcels  # noqa: E402


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    if all((HERE / name).exists() for name in CASES):
        return HERE
    return build(tmp_path_factory.mktemp("broken"))


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_file_gives_one_clear_error(corpus, name):
    path = corpus / name
    with pytest.raises(ParcelImportError) as err:
        read_parcels(path)
    msg = str(err.value)
    assert name in msg and "\n" not in msg and "Traceback" not in msg
    assert CASES[name].lower() in msg.lower(), msg
    assert len(msg) < 400


@pytest.mark.parametrize("name", ["no_layer.zip", "corrupt.gpkg", "truncated.dxf", "binary.csv"])
def test_list_layers_on_broken_files(corpus, name):
    try:
        list_layers(corpus / name)
    except ParcelImportError as err:
        assert name in str(err)


def test_missing_file_and_unknown_type(tmp_path):
    with pytest.raises(ParcelImportError, match="does not exist"):
        read_parcels(tmp_path / "nothing.shp")
    (tmp_path / "a.doc").write_text("x")
    with pytest.raises(ParcelImportError, match="unknown file type"):
        read_parcels(tmp_path / "a.doc")


def test_reading_never_writes_beside_the_input(corpus):
    before = sorted((p.name, p.stat().st_mtime_ns) for p in corpus.iterdir())
    for name in CASES:
        with pytest.raises(ParcelImportError):
            read_parcels(corpus / name)
    assert sorted((p.name, p.stat().st_mtime_ns) for p in corpus.iterdir()) == before
