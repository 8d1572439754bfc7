"""Filters (the killfile): config rules that hide new items or mark them read at refresh."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader import feeds
from reader.config import load_config
from reader.feeds.filters import FilterRuleError, compile_pattern, parse_rules, verdict
from reader.library import db as library
from tests.unit.test_feeds import FeedServer, Route, run_cli

RSS = b"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Example Daily</title><link>http://example.com/</link>
<item><guid>1</guid><title>Harbour reopens</title><author>ann@example.com (Ann)</author>
<link>http://example.com/1</link><description>News.</description></item>
<item><guid>2</guid><title>SPONSORED: the best boats</title><link>http://example.com/2</link>
<description>Ad.</description></item>
<item><guid>3</guid><title>Weekly podcast, episode 9</title><link>http://example.com/3</link>
<description>Talk.</description></item>
<item><guid>4</guid><title>Council budget</title><author>bot@example.com (Newsbot)</author>
<link>http://example.com/4</link><description>Numbers.</description></item>
</channel></rss>"""

CONFIG = """
[[filter]]
feed = "example\\\\.com"
title = "sponsored|podcast"
action = "hide"

[[filter]]
author = "newsbot"
action = "read"

[[filter]]
feed = "other\\\\.org"
title = "harbour"
action = "hide"
"""


@pytest.fixture
def server() -> Iterator[FeedServer]:
    running = FeedServer()
    running.thread.start()
    yield running
    running.httpd.shutdown()
    running.httpd.server_close()


@pytest.fixture
def db(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    connection = library.connect(tmp_path / "library.sqlite3")
    yield connection
    connection.close()


def test_rules_from_the_config_and_their_problems(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(CONFIG + """
[[filter]]
title = "(unclosed"

[[filter]]
title = "x"
action = "delete"

[[filter]]
action = "hide"
""", encoding="utf-8")
    settings = load_config(path)
    assert [rule.action for rule in settings.filters] == ["hide", "read", "hide"]
    assert settings.problems[0].startswith("filter 4: title is not a valid regular expression")
    assert settings.problems[1] == 'filter 5: action must be "hide" or "read" (rule skipped)'
    assert settings.problems[2].startswith("filter 6: needs at least one of feed")


def test_pattern_guards() -> None:
    with pytest.raises(FilterRuleError, match="longer than"):
        compile_pattern("a" * 201)
    assert compile_pattern("sponsored|podcast").search("A Podcast")
    problems: list[str] = []
    assert parse_rules({"title": "x"}, problems) == ()
    assert problems == ["filter must be written as [[filter]] tables (no filters used)"]


def test_catastrophic_patterns_are_cut_short_and_set_aside() -> None:
    """(a+)+$ against a long run of a's backtracks exponentially in ``re``; here each
    match has a time limit and a rule that ran out of time is not tried again."""
    rules = parse_rules([{"title": "(a+)+$"}, {"title": "(x|xx)+y", "action": "read"},
                         {"title": "plain"}], [])
    started = time.monotonic()
    for _ in range(200):
        action = verdict(rules, feed=["f"], title="a" * 900 + "!", author=None, tags=[])
        assert action is None
        verdict(rules, feed=["f"], title="x" * 900, author=None, tags=[])
    assert time.monotonic() - started < 1.0
    assert verdict(rules, feed=["f"], title="plain text", author=None, tags=[]) == "hide"


def test_hide_wins_over_read_and_every_field_must_match() -> None:
    rules = parse_rules([{"title": "boat", "action": "read"},
                         {"title": "boat", "tags": "^ads$"}], [])
    assert verdict(rules, feed=["F"], title="Boats", author=None, tags=["ads"]) == "hide"
    assert verdict(rules, feed=["F"], title="Boats", author=None, tags=["news"]) == "read"
    assert verdict(rules, feed=["F"], title="Cars", author=None, tags=["ads"]) is None


async def test_refresh_applies_filters_to_new_items_only(server: FeedServer,
                                                         db: sqlite3.Connection,
                                                         tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(CONFIG, encoding="utf-8")
    rules = load_config(path).filters
    server.state.routes["/feed.xml"] = Route(RSS, "application/rss+xml")
    feed_id, _ = feeds.subscribe(db, server.url("/feed.xml"), title="example.com daily")
    await feeds.refresh_feeds(db, filters=rules)
    shown = {item.title: item.read for item in feeds.feed_items(db, feed_id)}
    assert shown == {"Harbour reopens": False, "Council budget": True}
    everything = feeds.feed_items(db, feed_id, include_hidden=True)
    assert sorted(i.title for i in everything if i.hidden) == [
        "SPONSORED: the best boats", "Weekly podcast, episode 9"]
    feed = feeds.get_feed(db, feed_id)
    assert (feed.hidden, feed.unread, feed.total) == (2, 1, 2)
    # The reader's own choice stands: a refresh does not re-read an item marked unread.
    council = next(i for i in everything if i.title == "Council budget")
    feeds.mark_item_read(db, council.id, False)
    await feeds.refresh_feeds(db, filters=rules)
    assert not feeds.get_item(db, council.id).read


def test_cli_lists_hidden_counts_and_items_all_marks_them(
        server: FeedServer, tmp_path: Path, isolated_home: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    (isolated_home / "config.toml").write_text(CONFIG, encoding="utf-8")
    server.state.routes["/feed.xml"] = Route(RSS, "application/rss+xml")
    lib = tmp_path / "cli.sqlite3"
    assert run_cli(lib, "add", server.url("/feed.xml")) == 0
    capsys.readouterr()
    assert run_cli(lib, "list") == 0
    assert capsys.readouterr().out == "   1  1/2  Example Daily  (2 hidden)\n"
    assert run_cli(lib, "items", "1") == 0
    assert len(capsys.readouterr().out.splitlines()) == 2
    assert run_cli(lib, "items", "1", "--all") == 0
    lines = capsys.readouterr().out.splitlines()
    marked = sorted(line.split("  ")[-1] for line in lines if line[7] == "h")
    assert marked == ["SPONSORED: the best boats", "Weekly podcast, episode 9"]
