"""Given names and company suffixes: the evidence entity labels and pronouns rely on."""

from __future__ import annotations

import pytest

from reader.analysis.names import (
    given_name_gender,
    has_company_suffix,
    is_adjective_only,
    is_demonym,
    is_given_name,
    is_us_state_code,
    place_kind,
)


@pytest.mark.parametrize(("word", "gender"), [
    ("Maria", "female"), ("Laura", "female"), ("Gary", "male"), ("Jean-Luc", "male"),
    ("Nimbus", None), ("Grumman", None), ("2024", None),
])
def test_given_name_gender(word: str, gender: str | None) -> None:
    assert given_name_gender(word) == gender


def test_is_given_name() -> None:
    assert is_given_name("Ada")
    assert not is_given_name("Harbor")


@pytest.mark.parametrize(("name", "expected"), [
    ("Acme Robotics Ltd", True), ("Northrop Grumman Corp.", True), ("Siemens AG", True),
    ("Maria Lopez", False), ("Inc", False),
])
def test_company_suffix(name: str, expected: bool) -> None:
    assert has_company_suffix(name) is expected


@pytest.mark.parametrize(("word", "expected"), [
    ("Montenegrin", True), ("Brazilian", True), ("Italian", True), ("Jordan", False),
    ("Brian", False), ("Chelsea", False), ("montenegrin", False),
])
def test_is_demonym(word: str, expected: bool) -> None:
    assert is_demonym(word) is expected


def test_place_names_without_accents_and_state_codes() -> None:
    assert place_kind("Noumea") == place_kind("Nouméa") == "city"
    assert is_us_state_code("DC") and is_us_state_code("TX")
    assert not is_us_state_code("dc") and not is_us_state_code("UK")


def test_adjective_only_words() -> None:
    assert is_adjective_only("Transatlantic")
    assert not is_adjective_only("Apple") and not is_adjective_only("Crimea")
