"""One person or organisation, found by any of its forms: the merged identity that the
entity list shows is the one the library looks up."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from reader.analysis import nlp
from reader.analysis.entities import extract_entities
from reader.analysis.identity import (
    head_first_form,
    lookup_keys,
    organisation_short_forms,
    person_short_forms,
    query_keys,
    without_titles,
)
from reader.cli.library import run_library
from reader.library import db, search, store
from reader.models import Annotated, Article, Entity, Quote
from reader.plaintext import article_from_text


def test_titles_are_not_part_of_the_name() -> None:
    assert without_titles("Commissioner Laura Benz") == "Laura Benz"
    assert without_titles("Sen. Maria Lopez") == "Maria Lopez"
    assert without_titles("Judge") == "Judge"


def test_a_person_is_found_by_surname_and_double_surname() -> None:
    assert person_short_forms("Ana Ruiz Calderon") == ["Calderon", "Ruiz Calderon"]
    assert person_short_forms("Commissioner Laura Benz") == ["Benz"]
    assert person_short_forms("Madonna") == []
    keys = lookup_keys("Chidi Okafor", "PERSON", ["Mr Okafor"])
    assert {"chidi okafor", "okafor", "mr okafor"} <= keys


def test_an_organisation_is_found_by_short_forms() -> None:
    assert head_first_form("Department of State") == "State Department"
    assert head_first_form("State Department") == "Department of State"
    assert head_first_form("Nimbus Orbital Systems") == ""
    forms = organisation_short_forms("Nimbus Orbital Systems Inc.")
    assert "Nimbus Orbital Systems" in forms and "Nimbus" in forms
    # A first word alone is a company's short form only when the name is a company's.
    assert "United" not in organisation_short_forms("United Nations")
    assert "UN" in organisation_short_forms("United Nations")


def test_queries_are_read_like_names() -> None:
    assert "laura benz" in query_keys("Commissioner Laura Benz")
    assert "department of state" in query_keys("State Department")
    assert query_keys("  Okafor's ") == {"okafor"}


# ------------------------------------------------------------------- library lookups


@pytest.fixture
def library(tmp_path: Path) -> str:
    path = tmp_path / "library.sqlite3"
    db.connect(path).close()
    return str(path)


def _analysed(text: str) -> Annotated:
    article = article_from_text(text)
    entities = tuple(extract_entities(nlp.parse(article), article))
    return Annotated(article, entities)


def _with_quote(annotated: Annotated, words: str, speaker: str, said: str) -> Annotated:
    """The quote panel's output for one quote, attributed to the entity named ``speaker``:
    speaker attribution has its own tests."""
    text = annotated.article.text
    start = text.index(words)
    entity = next(e for e in annotated.entities if e.name == speaker)
    quote = Quote(words, start, start + len(words), said, entity.id, "said")
    return Annotated(annotated.article, annotated.entities, (quote,))


def _save(path: str, annotated: Annotated) -> int:
    with store.opened(path) as db:
        return store.save(db, annotated).id


def test_library_mentions_finds_an_article_that_names_the_person_only_in_full(
        library: str, capsys: pytest.CaptureFixture[str]) -> None:
    only_full = _save(library, _analysed(
        "Ferry talks\n\nJoe Biden met the harbour board in Westport on Tuesday to discuss "
        "the ferry timetable."))
    other = _save(library, _analysed(
        "Tide gauge\n\nEngineers in Westport replaced the tide gauge on Friday."))
    assert run_library(["mentions", "--library", library, "--format", "json", "Biden"]) == 0
    found = {hit["id"] for hit in json.loads(capsys.readouterr().out)}
    assert found == {only_full}
    assert other not in found


def test_library_quotes_finds_a_speaker_by_surname(
        library: str, capsys: pytest.CaptureFixture[str]) -> None:
    annotated = _analysed(
        "Port levy\n\nChidi Okafor, who runs the port authority, defended the new levy on "
        'Monday. "We cannot keep the quays open for free," Chidi Okafor said.')
    _save(library, _with_quote(annotated, "We cannot keep the quays open for free",
                               "Chidi Okafor", "Chidi Okafor"))
    assert run_library(["quotes", "--library", library, "Okafor"]) == 0
    assert "We cannot keep the quays open for free" in capsys.readouterr().out
    assert run_library(["quotes", "--library", library, "Adeyemi"]) == 0
    assert "quays" not in capsys.readouterr().out


def test_library_finds_an_organisation_by_its_other_names(tmp_path: Path) -> None:
    text = ("Launch\n\nNimbus Orbital Systems Inc. raised $40 million. The Department of "
            "State approved the export licence.")
    article = Article(text=text, title="Launch")
    nimbus = Entity("e1", "Nimbus Orbital Systems Inc.", "ORG")
    state = Entity("e2", "Department of State", "ORG")
    connection = db.connect(tmp_path / "lib.sqlite3")
    try:
        saved = store.save(connection, Annotated(article, (nimbus, state))).id
        for query in ("Nimbus", "Nimbus Orbital Systems", "State Department"):
            assert [h.summary.id for h in search.articles_mentioning(connection, query)] == \
                [saved], query
        assert search.articles_mentioning(connection, "Orbital") == []
    finally:
        connection.close()


def test_lookup_keys_do_not_join_different_people(tmp_path: Path) -> None:
    connection: sqlite3.Connection = db.connect(tmp_path / "lib.sqlite3")
    try:
        text = "Family\n\nHunter Biden spoke to Ana Ruiz Calderon."
        article = Article(text=text, title="Family")
        saved = store.save(connection, Annotated(article, (
            Entity("e1", "Hunter Biden", "PERSON"), Entity("e2", "Ana Ruiz Calderon", "PERSON"),
        ))).id
        assert [h.summary.id for h in search.articles_mentioning(connection, "Ruiz Calderon")] \
            == [saved]
        assert [h.entity for h in search.articles_mentioning(connection, "Calderon")] == \
            ["Ana Ruiz Calderon"]
        assert search.articles_mentioning(connection, "Joe Biden") == []
    finally:
        connection.close()
