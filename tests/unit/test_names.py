"""Given names and company suffixes: the evidence entity labels and pronouns rely on."""

from __future__ import annotations

import pytest

from reader.analysis.names import given_name_gender, has_company_suffix, is_given_name


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
