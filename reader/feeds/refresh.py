"""Fetching feeds: subscribe to a URL (or the feed a page links to), refresh many at once.

A feed is fetched by :func:`reader.fetch.fetch`, the same bounded GET as an article, with
what feeds need on top: XML/JSON content types and conditional requests (ETag /
Last-Modified, where a 304 means nothing new). One feed's failure never stops the others.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urljoin

import lxml.html
from lxml import etree

from reader import sniff
from reader.errors import FeedError, HTTPStatusError, ReaderError
from reader.feeds import schedule
from reader.feeds.filters import FilterRule
from reader.feeds.parse import JSON_TYPES, ParsedFeed, parse_feed
from reader.feeds.subscriptions import (
    Feed,
    _conditional_headers,
    find_feed,
    get_feed,
    list_feeds,
    record_failure,
    record_not_modified,
    store_parsed,
    subscribe,
)
from reader.fetch import (
    Fetched,
    FetchLimits,
    Wanted,
    fetch,
    make_client,
)
from reader.library.db import transaction
from reader.textutil import first_line

if TYPE_CHECKING:
    import httpx  # imported where used: a TUI reading a local file skips it

_T = TypeVar("_T")

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, "
    "application/json;q=0.8, text/html;q=0.5, */*;q=0.1"
)
XML_TYPES = frozenset({
    "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
    "text/xml", "application/x-rss+xml", "application/x-atom+xml",
})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Servers label feeds carelessly; these are let through to the parser, which decides.
LENIENT_TYPES = frozenset({"text/plain", "application/octet-stream", "binary/octet-stream"})
ACCEPTED_TYPES = XML_TYPES | JSON_TYPES | HTML_TYPES | LENIENT_TYPES
DISCOVERY_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json",
                   "application/rdf+xml")

DEFAULT_CONCURRENCY = 8
DEFAULT_PER_HOST = 2


ProgressCallback = Callable[[int, int, "Feed"], None]

FEED_LIMITS = FetchLimits(max_bytes=10 * 1024 * 1024)
"""A page's limits with a smaller body cap: anything past 10 MB is not a feed."""


@dataclass(frozen=True)
class FeedResult:
    """How one feed's refresh went; ``error`` is a one-line message when it failed."""

    feed: Feed
    new_items: int = 0
    not_modified: bool = False
    error: str | None = None
    deferred: bool = False
    """Not fetched: the feed's schedule (TTL, back-off) says not yet."""


@dataclass(frozen=True)
class RefreshReport:
    results: tuple[FeedResult, ...]

    @property
    def new_items(self) -> int:
        return sum(result.new_items for result in self.results)

    @property
    def failed(self) -> tuple[FeedResult, ...]:
        return tuple(result for result in self.results if result.error)

    @property
    def deferred(self) -> tuple[FeedResult, ...]:
        return tuple(result for result in self.results if result.deferred)


# ----------------------------------------------------------------------- download


FEED = Wanted(ACCEPTED_TYPES, FEED_ACCEPT, "feed", sniff_type=False)


def make_feed_client(transport: httpx.AsyncBaseTransport | None = None,
                     limits: FetchLimits = FEED_LIMITS) -> httpx.AsyncClient:
    """A client for feeds: :func:`reader.fetch.make_client` with the feed Accept header."""
    return make_client(transport, limits=limits, wanted=FEED)


@asynccontextmanager
async def _client_scope(client: httpx.AsyncClient | None,
                        limits: FetchLimits) -> AsyncIterator[httpx.AsyncClient]:
    """The caller's client, or one of our own that is closed afterwards."""
    if client is not None:
        yield client
        return
    async with make_feed_client(limits=limits) as own:
        yield own


async def download_feed(client: httpx.AsyncClient, url: str, *, etag: str | None = None,
                        last_modified: str | None = None,
                        limits: FetchLimits = FEED_LIMITS,
                        followed_from: str | None = None) -> Fetched:
    """Fetch ``url`` conditionally with :func:`reader.fetch.fetch`, the one bounded GET.

    ``followed_from``: the page that linked to this feed (discovery), whose link is held
    to the address rules like any link a page gives."""
    return await fetch(url, client=client, limits=limits, wanted=FEED, etag=etag,
                       last_modified=last_modified, followed_from=followed_from)


# ------------------------------------------------------------------------ discovery


def looks_like_html(download: Fetched) -> bool:
    """A web page rather than a feed (servers sometimes send feeds as text/html, too)."""
    if sniff.looks_like_feed(download.content):
        return False
    head = download.content[:1024].lstrip().lower()
    return download.content_type in HTML_TYPES or head.startswith((b"<!doctype html", b"<html"))


def discover_feed_url(page: bytes, base_url: str) -> str | None:
    """The first ``<link rel="alternate">`` to a feed, resolved against the page's base."""
    try:
        document = lxml.html.document_fromstring(page)
    except (etree.ParserError, ValueError):
        return None
    base = base_url
    for base_element in document.iter("base"):
        href = base_element.get("href")
        if href:
            base = urljoin(base_url, href.strip())
            break
    for link in document.iter("link"):
        rels = (link.get("rel") or "").lower().split()
        media_type = (link.get("type") or "").split(";")[0].strip().lower()
        href = (link.get("href") or "").strip()
        if "alternate" in rels and media_type in DISCOVERY_TYPES and href:
            return urljoin(base, href)
    return None


# -------------------------------------------------------------------------- refresh


class _Slots:
    """At most ``concurrency`` fetches in all and ``per_host`` against any one host."""

    def __init__(self, concurrency: int, per_host: int) -> None:
        self._overall = asyncio.Semaphore(max(1, concurrency))
        self._per_host = max(1, per_host)
        self._hosts: dict[str, asyncio.Semaphore] = {}

    @asynccontextmanager
    async def take(self, url: str) -> AsyncIterator[None]:
        # The host slot first: a task waiting on a busy host must not hold an overall slot.
        host = _host_of(url)
        host_slot = self._hosts.setdefault(host, asyncio.Semaphore(self._per_host))
        async with host_slot, self._overall:
            yield


def _host_of(url: str) -> str:
    import httpx

    try:
        return httpx.URL(url).host.lower()
    except httpx.InvalidURL:
        return url


async def refresh_feeds(db: sqlite3.Connection, feeds: Sequence[Feed | int] | None = None, *,
                        client: httpx.AsyncClient | None = None,
                        concurrency: int = DEFAULT_CONCURRENCY,
                        per_host: int = DEFAULT_PER_HOST,
                        progress: ProgressCallback | None = None,
                        limits: FetchLimits = FEED_LIMITS,
                        filters: Sequence[FilterRule] = (),
                        due_only: bool = False,
                        clock: Callable[[], datetime] = schedule.utc_now) -> RefreshReport:
    """Fetch and store the given feeds (all when None); one feed's failure spares the rest.

    ``progress(done, total, feed)`` is called as each feed finishes, for a progress bar.
    ``filters`` hide or mark read the new items they match. With ``due_only``, a feed whose
    schedule (its TTL, Cache-Control or Retry-After, or the back-off after failures) says
    "not yet" is not fetched and comes back ``deferred``; ``clock`` tells the time.
    """
    library = _OffLoop(db)
    targets = await library.run(_targets, feeds)
    slots = _Slots(concurrency, per_host)
    done = 0
    rules = tuple(filters)

    async def run(feed: Feed, http: httpx.AsyncClient) -> FeedResult:
        nonlocal done
        try:
            if due_only and not schedule.is_due(feed.not_before, clock()):
                result = FeedResult(feed, deferred=True)
            else:
                result = await _refresh_one(library, feed, http, slots, limits, rules, clock)
        except Exception as error:  # a bug met on one feed must not stop the others
            message = f"unexpected error: {type(error).__name__}: {first_line(error)}"
            result = await library.run(_failed, feed.id, message, clock(), None)
        done += 1
        if progress is not None:
            progress(done, len(targets), result.feed)
        return result

    async with _client_scope(client, limits) as http:
        results = await asyncio.gather(*(run(feed, http) for feed in targets))
    return RefreshReport(tuple(results))


def _targets(db: sqlite3.Connection, feeds: Sequence[Feed | int] | None) -> list[Feed]:
    return list_feeds(db) if feeds is None else [
        feed if isinstance(feed, Feed) else get_feed(db, feed) for feed in feeds]


class _OffLoop:
    """The library connection used from worker threads, one call at a time.

    Refreshing runs on an event loop (the TUI's, in an async worker); SQLite must not
    block it, and one connection must never be used by two threads at once.
    """

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self._lock = asyncio.Lock()

    async def run(self, call: Callable[..., _T], *args: Any) -> _T:
        async with self._lock:
            return await asyncio.to_thread(call, self._db, *args)


async def _refresh_one(library: _OffLoop, feed: Feed, client: httpx.AsyncClient,
                       slots: _Slots, limits: FetchLimits, filters: tuple[FilterRule, ...],
                       clock: Callable[[], datetime]) -> FeedResult:
    etag, last_modified = await library.run(_conditional_headers, feed.id)
    try:
        async with slots.take(feed.url):
            download = await download_feed(client, feed.url, etag=etag,
                                           last_modified=last_modified, limits=limits)
        if download.not_modified:
            return await library.run(_not_modified, feed.id, download.headers, clock())
        parsed = await asyncio.to_thread(_parse_download, download)
    except ReaderError as error:
        retry = error.retry_after if isinstance(error, HTTPStatusError) else None
        return await library.run(_failed, feed.id, first_line(error), clock(), retry)
    return await library.run(_stored, feed.id, parsed, download, filters, clock())


def _failed(db: sqlite3.Connection, feed_id: int, error: str, now: datetime,
            retry_after: str | None) -> FeedResult:
    record_failure(db, feed_id, error, now, retry_after)
    return FeedResult(get_feed(db, feed_id), error=error)


def _not_modified(db: sqlite3.Connection, feed_id: int, headers: dict[str, str],
                  now: datetime) -> FeedResult:
    record_not_modified(db, feed_id, headers, now)
    return FeedResult(get_feed(db, feed_id), not_modified=True)


def _stored(db: sqlite3.Connection, feed_id: int, parsed: ParsedFeed,
            download: Fetched, filters: Sequence[FilterRule] = (),
            now: datetime | None = None) -> FeedResult:
    new_items = store_parsed(db, feed_id, parsed, download, filters=filters, now=now)
    return FeedResult(get_feed(db, feed_id), new_items=new_items)


def _parse_download(download: Fetched) -> ParsedFeed:
    """Parse off the event loop; a parser crash on one odd feed is that feed's error only."""
    if looks_like_html(download):
        raise FeedError("not a feed: the address returns a web page")
    try:
        return parse_feed(download.content, url=download.url,
                          content_type=download.content_type)
    except ReaderError:
        raise
    except Exception as error:  # third-party parsers raise anything on hostile input
        raise FeedError(f"could not parse the feed: {type(error).__name__}: "
                        f"{first_line(error)}") from None


async def add_feed(db: sqlite3.Connection, url: str, *, title: str | None = None,
                   tags: Iterable[str] = (), client: httpx.AsyncClient | None = None,
                   limits: FetchLimits = FEED_LIMITS,
                   filters: Sequence[FilterRule] = ()) -> FeedResult:
    """Subscribe to a feed URL, or to the feed a web page links to, and store its items.

    Nothing is subscribed unless a feed was found and parsed, so a typo is not kept.
    """
    async with _client_scope(client, limits) as http:
        download = await download_feed(http, url, limits=limits)
        feed_url = url.strip()
        if looks_like_html(download):
            discovered = discover_feed_url(download.content, download.url)
            if discovered is None:
                raise FeedError(f"no feed found at {feed_url}: the page links to none")
            feed_url = discovered
            download = await download_feed(http, feed_url, limits=limits,
                                           followed_from=download.url)
    parsed = await asyncio.to_thread(_parse_download, download)
    return await _OffLoop(db).run(_subscribe_parsed, feed_url, title, tuple(tags), parsed,
                                  download, tuple(filters))


def _subscribe_parsed(db: sqlite3.Connection, feed_url: str, title: str | None,
                      tags: tuple[str, ...], parsed: ParsedFeed,
                      download: Fetched, filters: tuple[FilterRule, ...] = ()) -> FeedResult:
    if db.execute("SELECT 1 FROM feeds WHERE url = ?", (feed_url,)).fetchone():
        existing = find_feed(db, feed_url)
        raise FeedError(f"already subscribed: {existing.title} (id {existing.id})")
    with transaction(db):  # subscribed with its items, or not at all
        feed_id, _ = subscribe(db, feed_url, title=title, tags=tags)
        return _stored(db, feed_id, parsed, download, filters)


def add_feed_sync(db: sqlite3.Connection, url: str, **kwargs: Any) -> FeedResult:
    return asyncio.run(add_feed(db, url, **kwargs))


def refresh_feeds_sync(db: sqlite3.Connection, feeds: Sequence[Feed | int] | None = None,
                       **kwargs: Any) -> RefreshReport:
    return asyncio.run(refresh_feeds(db, feeds, **kwargs))


