"""Stories: duplicates collapse, the 48 h window, hard negatives stay apart, refreshes place
only new items. Every item goes through the real feed path (JSON Feed parsed, stored)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from reader import feeds, stories
from reader.errors import ReaderError
from reader.library import db as library
from reader.library import store
from reader.models import Annotated, Entity, Mention
from reader.plaintext import article_from_text
from reader.stories.features import features, fold
from tests.benchmarks.score_stories import load_fixture, score

BASE = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    connection = library.connect(tmp_path / "library.sqlite3")
    yield connection
    connection.close()


def at(hours: float) -> str:
    return (BASE + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")


def add(db: sqlite3.Connection, feed: str, *entries: tuple[str, str, float]) -> None:
    """Store (title, summary, hours after BASE) items in ``feed``; URLs name feed and title."""
    slug = feed.lower().replace(" ", "-")
    address = f"https://{slug}.example/feed.json"
    items = [{"id": f"{slug}/{title}", "url": f"https://{slug}.example/{abs(hash(title))}",
              "title": title, "summary": summary, "date_published": at(hours)}
             for title, summary, hours in entries]
    body = json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": feed,
                       "items": items}).encode()
    feed_id, _ = feeds.subscribe(db, address)
    feeds.store_parsed(db, feed_id, feeds.parse_feed(body, url=address))


def story_of(found: list[stories.Story], title: str) -> stories.Story:
    return next(s for s in found if any(item.title == title for item in s.items))


WIRE = ("The regional water board approved a plan on Monday to build a desalination plant "
        "near Port Ellis, costing 240 million euros and supplying 90,000 homes by 2029.")


def test_wire_copy_under_a_new_headline_collapses_into_one_row(db: sqlite3.Connection) -> None:
    add(db, "Allied Press", ("Water board backs Port Ellis desalination plant", WIRE, 0))
    add(db, "Coast Herald", ("Port Ellis to get 240m desalination plant", WIRE, 2))
    # A lightly trimmed copy (the last clause cut) is still the same copy.
    add(db, "Daily Signal", ("Desalination plant approved", WIRE.split(" and ")[0] + ".", 3))
    add(db, "Metro Daily", ("Port Ellis desalination plan criticised by farmers",
                            "Farmers near Port Ellis said the desalination plant approved by "
                            "the water board on Monday would take land they need.", 5))
    stories.update_stories(db)
    found = stories.list_stories(db)
    assert len(found) == 1
    story = found[0]
    assert story.title == "Water board backs Port Ellis desalination plant"
    assert len(story.outlets) == 4
    rows = story.rows
    assert [row.item.feed for row in rows] == ["Allied Press", "Metro Daily"]
    assert [copy.feed for copy in rows[0].also_in] == ["Coast Herald", "Daily Signal"]
    assert rows[1].also_in == ()


def test_the_same_words_about_different_facts_are_not_duplicates(
        db: sqlite3.Connection) -> None:
    add(db, "Allied Press", ("Storm closes Kessel airport",
                             "Strong winds closed Kessel airport on Tuesday and all flights "
                             "were cancelled until further notice, the operator said.", 0))
    add(db, "Coast Herald", ("Storm closes Orwin harbour",
                             "A fishing fleet stayed in port as high seas closed Orwin harbour "
                             "and ferries to the islands were cancelled.", 1))
    stories.update_stories(db)
    found = stories.list_stories(db)
    assert all(row.also_in == () for story in found for row in story.rows)
    assert len(found) == 2


def test_time_window_keeps_an_event_within_48_hours(db: sqlite3.Connection) -> None:
    summary = ("Harbour workers in Kessel began a strike over pay on Monday, halting the "
               "loading of ships at the container terminal.")
    add(db, "Allied Press", ("Kessel harbour workers strike over pay", summary, 0))
    add(db, "Coast Herald", ("Kessel dockers walk out in pay dispute", summary, 47))
    add(db, "Daily Signal", ("Kessel harbour workers strike over pay", summary, 73))
    stories.update_stories(db)
    found = stories.list_stories(db)
    assert len(found) == 2
    first = story_of(found, "Kessel dockers walk out in pay dispute")
    assert {item.feed for item in first.items} == {"Allied Press", "Coast Herald"}
    assert [item.feed for item in found[0].items] == ["Daily Signal"]  # newest event first


def test_two_court_cases_of_one_person_are_two_stories(db: sqlite3.Connection) -> None:
    add(db, "Allied Press",
        ("Mayor Ruth Adeyemi cleared of fraud at Kessel crown court",
         "A jury at Kessel crown court cleared mayor Ruth Adeyemi of fraud over council "
         "housing grants after a three-week trial.", 0),
        ("Ruth Adeyemi sues former aide for libel",
         "Mayor Ruth Adeyemi has started a libel case against her former aide over a book "
         "that describes her time at the council.", 20))
    add(db, "Coast Herald",
        ("Jury acquits Adeyemi in housing grants fraud trial",
         "Ruth Adeyemi was acquitted of fraud by a jury at Kessel crown court; the trial "
         "concerned council housing grants.", 1),
        ("Adeyemi takes former aide to court over book",
         "Ruth Adeyemi filed a libel claim against her former aide, saying the book about "
         "her years at the council is false.", 22))
    stories.update_stories(db)
    found = stories.list_stories(db)
    fraud = story_of(found, "Jury acquits Adeyemi in housing grants fraud trial")
    libel = story_of(found, "Adeyemi takes former aide to court over book")
    assert fraud.id != libel.id
    assert {item.title for item in fraud.items} == {
        "Mayor Ruth Adeyemi cleared of fraud at Kessel crown court",
        "Jury acquits Adeyemi in housing grants fraud trial"}
    assert {item.title for item in libel.items} == {
        "Ruth Adeyemi sues former aide for libel",
        "Adeyemi takes former aide to court over book"}


def test_a_refresh_places_only_the_new_items_and_keeps_the_old(db: sqlite3.Connection) -> None:
    load_fixture(db, "dev")
    first = stories.update_stories(db)
    assert first.placed == 25
    before = {item.key: story.id for story in stories.list_stories(db) for item in story.items}
    add(db, "Coast Herald",
        ("Kiprop's marathon record: how the race was won",
         "Daniel Kiprop broke the Harbour City marathon course record with a time of "
         "2:04:11 after pulling away at 35 kilometres.", 24 * 41 + 6))
    again = stories.update_stories(db)
    assert (again.placed, again.new_stories) == (1, 0)
    found = stories.list_stories(db)
    after = {item.key: story.id for story in found for item in story.items}
    assert {key: after[key] for key in before} == before  # nothing old moved
    marathon = story_of(found, "Kiprop's marathon record: how the race was won")
    assert len(marathon.items) == 4
    assert stories.update_stories(db).placed == 0


def test_rebuild_groups_as_the_incremental_path_did(db: sqlite3.Connection) -> None:
    load_fixture(db, "dev")
    stories.update_stories(db)

    def groups() -> set[frozenset[str]]:
        return {frozenset(i.key for i in s.items) for s in stories.list_stories(db)}

    incremental = groups()
    report = stories.rebuild_stories(db)
    assert report.placed == 25
    assert groups() == incremental


def test_the_dev_fixture_meets_the_targets(db: sqlite3.Connection) -> None:
    truth = load_fixture(db, "dev")
    stories.update_stories(db)
    result = score(stories.list_stories(db), truth)
    assert result.precision >= 0.9
    assert result.recall >= 0.8
    assert result.wire_collapsed == result.wire_groups > 0


def test_a_saved_article_joins_the_story_of_its_feed_item(db: sqlite3.Connection) -> None:
    add(db, "Coast Herald", ("Port Ellis to get 240m desalination plant", WIRE, 0))
    item = feeds.feed_items(db)[0]
    text = WIRE + " Work on the plant starts next spring, the board said."
    article = article_from_text(text, title="Port Ellis to get 240m desalination plant",
                                url=item.link, published=at(1))
    place = Entity(id="e1", name="Port Ellis", label="GPE",
                   mentions=(Mention(start=text.index("Port Ellis"),
                                     end=text.index("Port Ellis") + 10, text="Port Ellis"),))
    store.save(db, Annotated(article, entities=(place,)))
    stories.update_stories(db)
    found = stories.list_stories(db)
    assert len(found) == 1
    keys = [item.key for item in found[0].items]
    assert keys[0].startswith("item:") and keys[1].startswith("saved:")
    assert found[0].rows[0].also_in[0].key.startswith("saved:")


def test_stories_follow_their_items_out_of_the_library(db: sqlite3.Connection) -> None:
    add(db, "Coast Herald", ("Port Ellis to get 240m desalination plant", WIRE, 0))
    stories.update_stories(db)
    feeds.remove_feed(db, feeds.list_feeds(db)[0].id)
    stories.update_stories(db)
    assert stories.list_stories(db) == []


def test_since_keeps_recent_stories(db: sqlite3.Connection) -> None:
    add(db, "Coast Herald", ("Old news from the harbour", "Nothing much happened.", 0))
    stories.update_stories(db)
    assert stories.list_stories(db, since=stories.parse_since("2d"),
                                now=BASE + timedelta(days=1)) != []
    assert stories.list_stories(db, since=stories.parse_since("2d"),
                                now=BASE + timedelta(days=3)) == []


@pytest.mark.parametrize(("text", "seconds"), [("30m", 1800), ("12h", 43200), ("2d", 172800),
                                                ("1W", 604800)])
def test_parse_since(text: str, seconds: int) -> None:
    assert stories.parse_since(text) == seconds


@pytest.mark.parametrize("text", ["", "2", "d", "2x", "-1d", "1.5d"])
def test_parse_since_refuses(text: str) -> None:
    with pytest.raises(ReaderError, match="--since"):
        stories.parse_since(text)


def test_features_fold_plurals_and_drop_news_words() -> None:
    assert fold("Workers'") == "worker"
    assert fold("Norland’s") == "norland"
    assert fold("1,200") == "1200"
    words = features("Dockworkers walk out, union says", "").words
    assert "say" not in words and "says" not in words
    assert words.count("dockworker") == 2  # the headline counts twice


def test_grouping_does_not_load_scikit_learn_until_it_groups() -> None:
    code = ("import sys, reader.stories, reader.cli.stories; "
            "print(any(m.startswith('sklearn') for m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False"
