"""The analysis's lookup tables are built once and read back from the cache until a
source file changes; a damaged cache file is rebuilt, an unwritable folder only costs the
rebuild."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reader.analysis import tables


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("READER_HOME", str(tmp_path / "home"))
    return tmp_path


def test_a_table_is_built_once_and_again_when_its_source_changes(home: Path) -> None:
    source = home / "names.txt"
    source.write_text("ann\nbob\n", encoding="utf-8")
    builds: list[int] = []

    def build() -> dict[str, int]:
        builds.append(1)
        return {name: len(name) for name in source.read_text(encoding="utf-8").split()}

    assert tables.cached("names", [source], build) == {"ann": 3, "bob": 3}
    assert tables.cached("names", [source], build) == {"ann": 3, "bob": 3}
    assert len(builds) == 1
    source.write_text("ann\nbob\ncleo\n", encoding="utf-8")
    os.utime(source, ns=(1, 1))
    assert tables.cached("names", [source], build) == {"ann": 3, "bob": 3, "cleo": 4}
    assert len(builds) == 2


def test_a_damaged_file_is_rebuilt_and_an_unwritable_folder_only_costs_the_build(
        home: Path) -> None:
    source = home / "places.txt"
    source.write_text("oslo\n", encoding="utf-8")
    path = tables.table_file("places", [source])
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\x00not marshal")
    assert tables.cached("places", [source], lambda: {"oslo": "city"}) == {"oslo": "city"}
    assert tables.cached("places", [source], lambda: {}) == {"oslo": "city"}  # rewritten

    (home / "home" / "cache").chmod(0o500)
    try:
        fresh = home / "other.txt"
        fresh.write_text("x\n", encoding="utf-8")
        assert tables.cached("other", [fresh], lambda: ["x"]) == ["x"]
    finally:
        (home / "home" / "cache").chmod(0o700)


def test_the_given_names_and_places_read_back_are_those_built(home: Path) -> None:
    from gender_guesser.detector import Detector

    from reader.analysis import names

    names._genders.cache_clear()
    names._places.cache_clear()
    built = (names._genders(), names._places())
    names._genders.cache_clear()
    names._places.cache_clear()
    assert (names._genders(), names._places()) == built
    detector = Detector(case_sensitive=False)
    for word in ("Maria", "JOHN", "Jean", "Andrea", "Hunter", "Zzyzx"):
        assert names._gender_answer(word) == detector.get_gender(word)
    assert names.place_kind("Paris") == "city" and names.place_kind("France") == "country"
