"""The headline query language, the home screen's listing logic, query feeds in the
config, and where link numbers go: all without Textual."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from reader.config import load_config
from reader.feeds import Feed, Item
from reader.feeds.listing import Listing, view_counts
from reader.headline_query import HeadlineIndex, QueryError, View, parse_query
from reader.link_anchors import link_anchors
from reader.models import Article, Block, Link

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def item(number: int, title: str, feed_id: int, *, read: bool = False,
         published: str = "2026-03-09T12:00:00+00:00", summary: str = "") -> Item:
    feed_title = {1: "Climate Desk", 2: "Sports Wire"}[feed_id]
    return Item(id=number, feed_id=feed_id, feed_title=feed_title, key=str(number),
                title=title, link=f"https://example.com/{number}", author=None,
                published=published, summary=summary, content=None, has_full_content=False,
                read=read, first_seen=published)


FEEDS = [Feed(id=1, url="https://climate.example/feed", title="Climate Desk",
              tags=("Climate", "science")),
         Feed(id=2, url="https://sports.example/rss", title="Sports Wire", tags=("sport",))]
ITEMS = [
    item(1, "Glacier retreat speeds up", 1, summary="Ice sheets lost mass again"),
    item(2, "Cup final goes to extra time", 2, read=True),
    item(3, "Heat record in March", 1, read=True, published="2026-03-01T08:00:00+00:00"),
    item(4, "Podcast: the 3:1 win explained", 2, published="2026-03-10T09:00:00+00:00"),
]


@pytest.fixture
def index() -> HeadlineIndex:
    return HeadlineIndex(ITEMS, FEEDS)


def titles(index: HeadlineIndex, selected: list[int]) -> list[str]:
    return [index.items[i].title for i in selected]


def test_words_match_title_summary_and_feed_in_any_case(index: HeadlineIndex) -> None:
    assert titles(index, index.select(parse_query("GLACIER"))) == ["Glacier retreat speeds up"]
    assert titles(index, index.select(parse_query("ice sheets"))) == [
        "Glacier retreat speeds up"]  # both words, found in the summary
    assert titles(index, index.select(parse_query("sports wire"))) == [
        "Cup final goes to extra time", "Podcast: the 3:1 win explained"]
    assert index.select(parse_query('"sheets lost"')) == [0]
    assert index.select(parse_query('"lost sheets"')) == []


def test_state_tag_feed_since_and_negation(index: HeadlineIndex) -> None:
    assert titles(index, index.select(parse_query("unread"))) == [
        "Glacier retreat speeds up", "Podcast: the 3:1 win explained"]
    assert titles(index, index.select(parse_query("read tag:climate"))) == [
        "Heat record in March"]
    assert index.select(parse_query("feed:sports.example")) == [1, 3]
    assert index.select(parse_query("since:2d", NOW)) == [0, 1, 3]
    assert index.select(parse_query("since:3h", NOW)) == [3]
    assert index.select(parse_query("since:2026-03-05", NOW)) == [0, 1, 3]
    assert index.select(parse_query("-tag:sport -unread")) == [2]
    assert index.select(parse_query("tag:nothing")) == []


def test_unknown_fields_are_words_and_empty_matches_all(index: HeadlineIndex) -> None:
    assert titles(index, index.select(parse_query("3:1"))) == [
        "Podcast: the 3:1 win explained"]
    assert parse_query("  ").empty
    assert index.select(parse_query("")) == [0, 1, 2, 3]
    assert parse_query('"unclosed quote').terms[0].value == "unclosed quote"


@pytest.mark.parametrize("text", ["since:soon", "since:", "tag:", "-feed:"])
def test_bad_values_of_known_fields_say_why(text: str) -> None:
    with pytest.raises(QueryError, match=text.lstrip("-").split(":")[0]):
        parse_query(text)


def test_listing_combines_choice_toggles_search_and_sort(index: HeadlineIndex) -> None:
    listing = Listing()
    assert listing.select(index, NOW) == [0, 1, 2, 3]
    assert listing.with_(feed_id=1).select(index, NOW) == [0, 2]
    assert listing.with_(unread_only=True).select(index, NOW) == [0, 3]
    assert listing.with_(search="heat").select(index, NOW) == [2]
    climate = View("Climate", "tag:climate")
    assert listing.with_(view=climate, unread_only=True).select(index, NOW) == [0]
    by_feed = listing.with_(sort="feed").select(index, NOW)
    assert by_feed == [0, 2, 1, 3]  # Climate Desk first; newest first within a feed
    with pytest.raises(QueryError):
        listing.with_(search="since:later").select(index, NOW)


def test_view_counts_are_unread_and_total(index: HeadlineIndex) -> None:
    views = [View("Climate", "tag:climate"), View("Recent", "since:2d"),
             View("Broken", "since:x")]
    assert view_counts(index, views, NOW) == [(1, 2), (2, 3), None]


def test_filtering_twenty_thousand_headlines_is_one_quick_pass() -> None:
    many = [item(n, f"headline number {n} about {'rain' if n % 7 else 'snow'}", 1 + n % 2)
            for n in range(20_000)]
    index = HeadlineIndex(many, FEEDS)
    assert len(index.select(parse_query("snow"))) == len([n for n in range(20_000)
                                                          if n % 7 == 0])


def test_config_reads_views_pipe_and_mail_and_reports_bad_ones(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("""
[reader]
pipe = "glow -"
mail = 7

[[view]]
name = "Climate"
query = "tag:climate unread"

[[view]]
name = "Soon"
query = "since:soon"

[[view]]
name = "Empty"
query = "  "

[[view]]
query = "no name"
""", encoding="utf-8")
    settings = load_config(path)
    assert settings.pipe == "glow -"
    assert settings.mail is None
    assert settings.views == (View("Climate", "tag:climate unread"),)
    problems = " | ".join(settings.problems)
    assert "mail must be a shell command" in problems
    assert "view 'Soon': since:soon is not a time" in problems
    assert "view 'Empty' has an empty query" in problems
    assert "view 4 needs name and query" in problems


def test_link_anchors_follow_document_order() -> None:
    text = "Read the report. The report says more. See the map here."
    article = Article(text=text, blocks=(Block("paragraph", 0, len(text)),),
                      links=(Link("https://a.example/r", "report"),
                             Link("https://a.example/r2", "report"),
                             Link("https://a.example/m", "the  map"),
                             Link("https://a.example/x", "not in the text"),
                             Link("https://a.example/e", "")))
    first = text.index("report")
    second = text.index("report", first + 1)
    at_map = text.index("the map")
    assert link_anchors(article) == [(first, first + 6), (second, second + 6),
                                     (at_map, at_map + 7), None, None]


@pytest.mark.parametrize(("before", "after"), [
    ("gl", "glac"), ("he", "heat rec"), ("re", "read"), ("re", "re -heat"),
    ('"ice', '"ice sheets"'), ("cup", "cup tag:sport"), ("", "heat")])
def test_typing_on_narrows_only_when_it_cannot_change_the_answer(
        index: HeadlineIndex, before: str, after: str) -> None:
    earlier = Listing(search=before)
    found = earlier.select(index, NOW)
    fresh = Listing(search=after).select(index, NOW)
    assert Listing(search=after).select(index, NOW, earlier=(earlier, found)) == fresh
    # A stale "earlier" result shows whether it was used: only for plain words typed on.
    used = Listing(search=after).select(index, NOW, earlier=(earlier, [])) == []
    typed_on = after.startswith(before) and parse_query(after).only_words \
        and parse_query(before).only_words
    assert used == typed_on or fresh == []
