"""A feed's schedule: its TTL, Cache-Control and Retry-After, and the back-off after failures.

The pure rules run with a fake clock; the refresh tests run against a real HTTP server on
127.0.0.1 that the test starts, with the same fake clock handed to ``refresh_feeds``, so
"an hour later" takes no time and the server's request log shows what was fetched.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from reader import feeds
from reader.feeds import schedule
from reader.library import db as library
from tests.unit.test_feeds import FeedServer, Route

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

RSS = b"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Timed</title><link>http://t.example/</link>%s
<item><guid>a</guid><title>First</title><link>http://t.example/a</link>
<description>One.</description></item>
</channel></rss>"""


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    running = FeedServer()
    running.thread.start()
    yield running
    running.state.release.set()
    running.httpd.shutdown()
    running.httpd.server_close()


@pytest.fixture
def db(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    connection = library.connect(tmp_path / "library.sqlite3")
    yield connection
    connection.close()


def serve(server: FeedServer, path: str, body: bytes = RSS % b"", status: int = 200,
          **headers: str) -> str:
    server.state.routes[path] = Route(body, "application/rss+xml", status=status,
                                      headers={k.replace("_", "-"): v
                                               for k, v in headers.items()})
    return server.url(path)


# ------------------------------------------------------------------------ pure rules


def test_the_longest_wish_wins_and_no_cache_asks_nothing() -> None:
    assert schedule.after_success(T0, ttl_minutes=None, headers={}) == T0
    assert schedule.after_success(T0, ttl_minutes=60, headers={
        "cache-control": "public, max-age=600"}) == T0 + timedelta(minutes=60)
    assert schedule.after_success(T0, ttl_minutes=5, headers={
        "cache-control": "max-age=7200"}) == T0 + timedelta(hours=2)
    assert schedule.max_age({"cache-control": "no-cache, max-age=99"}) is None
    assert schedule.max_age({"cache-control": "s-maxage=99"}) is None
    # A feed asking for a year is taken as asking for a week.
    assert schedule.after_success(T0, ttl_minutes=525600, headers={}) == T0 + timedelta(days=7)


def test_backoff_doubles_and_is_capped() -> None:
    waits = [schedule.after_failure(T0, n) - T0 for n in (1, 2, 3, 4)]
    assert waits == [timedelta(minutes=m) for m in (10, 20, 40, 80)]
    assert schedule.after_failure(T0, 50) - T0 == schedule.BACKOFF_CAP


def test_retry_after_as_seconds_or_date_and_never_shorter_than_backoff() -> None:
    assert schedule.after_failure(T0, 1, retry_after_value="3600") == T0 + timedelta(hours=1)
    assert schedule.after_failure(T0, 1, retry_after_value="Sun, 01 Mar 2026 15:00:00 GMT") \
        == T0 + timedelta(hours=3)
    assert schedule.after_failure(T0, 1, retry_after_value="5") == T0 + timedelta(minutes=10)
    assert schedule.after_failure(T0, 1, retry_after_value="soon") == T0 + timedelta(minutes=10)


def test_hostile_values_are_capped_not_crashing() -> None:
    week = T0 + schedule.WISH_CAP
    huge = "9" * 40
    assert schedule.after_success(T0, ttl_minutes=10**9, headers={
        "cache-control": f"max-age={huge}"}) == week
    assert schedule.after_failure(T0, 1, retry_after_value=huge) == week
    assert schedule.after_failure(T0, 1, retry_after_value="Fri, 31 Dec 9999 23:59:59 GMT") \
        == week
    assert schedule.after_failure(T0, 10**9) == T0 + schedule.BACKOFF_CAP
    assert schedule.is_due("not a time", T0) and schedule.is_due(None, T0)


def test_rss_ttl_is_read_by_both_parsers() -> None:
    body = RSS % b"<ttl>90</ttl>"
    assert feeds.parse_feed(body, url="http://t.example/f").ttl_minutes == 90
    assert feeds.parse_with_feedparser(body, url="http://t.example/f").ttl_minutes == 90
    assert feeds.parse_feed(RSS % b"<ttl>soon</ttl>", url="http://t.example/f").ttl_minutes \
        is None


# --------------------------------------------------------------- against a server


async def test_cache_control_max_age_is_respected(server: FeedServer,
                                                  db: sqlite3.Connection) -> None:
    url = serve(server, "/cached.xml", Cache_Control="max-age=3600")
    feed_id, _ = feeds.subscribe(db, url)
    clock = Clock()
    first = await feeds.refresh_feeds(db, due_only=True, clock=clock)
    assert first.new_items == 1 and len(server.state.hits("/cached.xml")) == 1
    assert feeds.get_feed(db, feed_id).not_before == schedule.iso(T0 + timedelta(hours=1))
    clock.advance(minutes=30)
    second = await feeds.refresh_feeds(db, due_only=True, clock=clock)
    assert [r.deferred for r in second.results] == [True]
    assert len(server.state.hits("/cached.xml")) == 1  # the server was not asked
    clock.advance(minutes=31)
    await feeds.refresh_feeds(db, due_only=True, clock=clock)
    assert len(server.state.hits("/cached.xml")) == 2
    # An explicit refresh of the feed (due_only=False) is the user's call and goes out.
    await feeds.refresh_feeds(db, [feed_id], clock=clock)
    assert len(server.state.hits("/cached.xml")) == 3


async def test_ttl_is_kept_across_a_304(server: FeedServer, db: sqlite3.Connection) -> None:
    server.state.routes["/ttl.xml"] = Route(RSS % b"<ttl>45</ttl>", "application/rss+xml",
                                            etag='"v1"')
    feed_id, _ = feeds.subscribe(db, server.url("/ttl.xml"))
    clock = Clock()
    await feeds.refresh_feeds(db, due_only=True, clock=clock)
    clock.advance(minutes=46)
    report = await feeds.refresh_feeds(db, due_only=True, clock=clock)
    assert report.results[0].not_modified
    assert feeds.get_feed(db, feed_id).not_before == schedule.iso(clock.now +
                                                                  timedelta(minutes=45))


async def test_retry_after_on_503_and_backoff_on_repeated_failures(
        server: FeedServer, db: sqlite3.Connection) -> None:
    busy = serve(server, "/busy.xml", status=503, Retry_After="7200")
    gone = server.url("/gone.xml")
    busy_id, _ = feeds.subscribe(db, busy)
    gone_id, _ = feeds.subscribe(db, gone)
    clock = Clock()
    report = await feeds.refresh_feeds(db, due_only=True, clock=clock)
    assert {r.feed.id: r.error for r in report.results}[busy_id] == \
        "HTTP 503 Service Unavailable"
    assert feeds.get_feed(db, busy_id).not_before == schedule.iso(T0 + timedelta(hours=2))
    assert feeds.get_feed(db, gone_id).not_before == schedule.iso(T0 + timedelta(minutes=10))
    # Each failure in a row doubles the wait; the busy feed is left alone meanwhile.
    for expected in (20, 40):
        clock.now = schedule.parse_stamp(feeds.get_feed(db, gone_id).not_before) or T0
        await feeds.refresh_feeds(db, due_only=True, clock=clock)
        gone_feed = feeds.get_feed(db, gone_id)
        assert gone_feed.not_before == schedule.iso(clock.now + timedelta(minutes=expected))
    assert len(server.state.hits("/busy.xml")) == 1
    assert len(server.state.hits("/gone.xml")) == 3
    assert feeds.get_feed(db, gone_id).failures == 3
    # Recovery clears the failures and the back-off.
    serve(server, "/gone.xml")
    clock.now = schedule.parse_stamp(feeds.get_feed(db, gone_id).not_before) or T0
    await feeds.refresh_feeds(db, [gone_id], due_only=True, clock=clock)
    recovered = feeds.get_feed(db, gone_id)
    assert recovered.failures == 0 and recovered.last_error is None
    assert recovered.not_before == schedule.iso(clock.now)


def test_background_settings_are_checked_key_by_key(tmp_path: Path) -> None:
    from reader.config import load_config

    path = tmp_path / "config.toml"
    path.write_text("[reader]\nrefresh_minutes = 30\nprefetch = 20\n", encoding="utf-8")
    settings = load_config(path)
    assert (settings.refresh_minutes, settings.prefetch, settings.problems) == (30, 20, ())
    path.write_text("[reader]\nrefresh_minutes = -5\nprefetch = 2.5\ntimeout = 9\n",
                    encoding="utf-8")
    settings = load_config(path)
    assert (settings.refresh_minutes, settings.prefetch, settings.timeout) == (0, 0, 9.0)
    assert settings.problems == (
        "refresh_minutes = -5 is out of range 0-1440 (using the default)",
        "prefetch must be a whole number (using the default)",
    )
