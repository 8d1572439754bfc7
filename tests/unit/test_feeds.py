"""Feeds end to end against a real HTTP server on 127.0.0.1 that the test starts.

The server serves our own fixture feeds (tests/fixtures/feeds), counts requests in flight
and remembers request headers, so the tests can check what the client actually sent.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from reader import feeds
from reader.cli.feeds import run_feeds
from reader.errors import FetchError
from reader.library import db as library
from reader.models import Article

FIXTURES = Path(__file__).parent.parent / "fixtures" / "feeds"
SLOW_LIMITS = feeds.FEED_LIMITS._replace(timeout=0.4, connect_timeout=0.4)

CONTENT_TYPES = {
    ".xml": "application/rss+xml; charset=utf-8",
    ".json": "application/feed+json",
    ".html": "text/html; charset=utf-8",
}


@dataclass
class Route:
    body: bytes
    content_type: str
    status: int = 200
    etag: str | None = None
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class ServerState:
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    release: threading.Event = field(default_factory=threading.Event)

    def hits(self, path: str) -> list[dict[str, str]]:
        return [headers for seen, headers in self.requests if seen == path]


class FeedServer:
    def __init__(self) -> None:
        self.state = ServerState()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self.state))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.02,),
                                       daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def serve_fixture(self, name: str, path: str | None = None, **route: object) -> str:
        path = path or f"/feeds/{name}"
        content_type = CONTENT_TYPES.get(Path(name).suffix, "application/xml")
        self.state.routes[path] = Route((FIXTURES / name).read_bytes(),
                                        str(route.pop("content_type", content_type)),
                                        **route)  # type: ignore[arg-type]
        return self.url(path)


def _handler_for(state: ServerState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            with state.lock:
                state.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                state.in_flight += 1
                state.max_in_flight = max(state.max_in_flight, state.in_flight)
            try:
                self._respond(state.routes.get(self.path))
            finally:
                with state.lock:
                    state.in_flight -= 1

        def _respond(self, route: Route | None) -> None:
            if route is None:
                self.send_error(404, "Not Found")
                return
            if route.delay:
                state.release.wait(route.delay)
            if route.etag and self.headers.get("If-None-Match") == route.etag:
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            self.send_header("Content-Length", str(len(route.body)))
            if route.etag:
                self.send_header("ETag", route.etag)
            for name, value in route.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(route.body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@pytest.fixture
def server() -> Iterator[FeedServer]:
    running = FeedServer()
    running.thread.start()
    yield running
    running.state.release.set()  # wake slow handlers so nothing outlives the test
    running.httpd.shutdown()
    running.httpd.server_close()


@pytest.fixture
def db(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    connection = library.connect(tmp_path / "library.sqlite3")
    yield connection
    connection.close()


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


# ------------------------------------------------------------------- parsing formats


@pytest.mark.parametrize(("name", "title", "first_item"), [
    ("rss2_summaries.xml", "Harbour Gazette", "Ferry timetable changes in May"),
    ("rss2_full.xml", "Valley Weekly", "Orchard cooperative doubles its cider output"),
    ("atom.xml", "Northern Lights Observatory", "Aurora forecast: strong activity tonight"),
    ("rdf.xml", "Town Library Notes", "Poetry night on Friday"),
    ("feed.json", "Cycling Club Journal", "Coastal ride on Sunday"),
])
def test_each_format_parses_to_titled_items(name: str, title: str, first_item: str) -> None:
    parsed = feeds.parse_feed(fixture_bytes(name), url=f"http://h.example/{name}")
    assert parsed.title == title
    assert parsed.items[0].title == first_item
    assert all(item.key for item in parsed.items)


@pytest.mark.parametrize("name", ["rss2_summaries.xml", "rss2_full.xml", "atom.xml", "rdf.xml"])
def test_fast_xml_path_agrees_with_feedparser(name: str) -> None:
    """The lxml fast path exists for speed only: it must store what feedparser would."""
    url = f"http://h.example/feeds/{name}"
    fast = feeds.parse_feed(fixture_bytes(name), url=url)
    slow = feeds.parse_with_feedparser(fixture_bytes(name), url=url)
    assert fast.parser == "lxml"
    assert (fast.title, fast.site_url, fast.items) == (slow.title, slow.site_url, slow.items)


def test_rss_fields_are_normalised() -> None:
    parsed = feeds.parse_feed(fixture_bytes("rss2_summaries.xml"), url="http://g.example/rss")
    ferry, market, letters = parsed.items
    assert ferry.key == "gazette-1001"
    assert ferry.published == "2024-05-07T07:30:00Z"  # +0200 converted to UTC
    assert ferry.summary == "The morning ferry will leave twenty minutes earlier from next week."
    assert market.key == "http://gazette.example/fish-market"  # no guid: the link
    assert market.author == "Tomas Berg"
    assert market.summary == "Stalls return to the old pier on Saturday & Sunday."
    assert letters.key.startswith("sha256:")  # neither guid nor link: a stable hash
    assert letters.link is None
    assert not any(item.has_full_content for item in parsed.items)


def test_full_content_is_sanitised_and_flagged() -> None:
    parsed = feeds.parse_feed(fixture_bytes("rss2_full.xml"),
                              url="http://valley.example/feed.xml")
    cider, bridge = parsed.items
    assert cider.has_full_content and not bridge.has_full_content
    assert cider.content is not None
    assert "<script" not in cider.content and "onclick" not in cider.content
    assert 'href="http://valley.example/stories/station-shop"' in cider.content
    assert cider.link == "http://valley.example/stories/cider"  # relative link resolved
    assert cider.summary == "The cooperative pressed twice as many apples as last year."


def test_atom_xhtml_content_and_offset_dates() -> None:
    parsed = feeds.parse_feed(fixture_bytes("atom.xml"), url="http://observatory.example/a")
    aurora, dome = parsed.items
    assert aurora.published == "2024-05-09T18:45:00Z"
    assert aurora.link == "http://observatory.example/posts/aurora-forecast"
    assert aurora.author == "Ingrid Holm"
    assert dome.published == "2024-05-08T10:00:00Z"  # no <published>: <updated>
    assert dome.content == ("<div><p>The dome turns again after <strong>three weeks</strong>"
                            " of repairs.</p></div>")
    assert dome.summary == "The dome turns again after three weeks of repairs."


def test_json_feed_content_text_becomes_paragraphs() -> None:
    parsed = feeds.parse_feed(fixture_bytes("feed.json"), url="http://cycling.example/f.json")
    ride, workshop = parsed.items
    assert ride.author == "Nils Ahl"
    assert ride.summary.startswith("Sixty kilometres along the coast road, coffee stop")
    assert workshop.published == "2024-05-04T07:00:00Z"
    assert workshop.content == ("<div><p>Bring your own inner tube.</p>"
                                "<p>Tyre levers are provided.</p></div>")


def test_description_holding_the_whole_article_counts_as_full_content() -> None:
    body = " ".join(f"word{n}" for n in range(200))
    rss = (f'<rss version="2.0"><channel><title>T</title><item><title>Long</title>'
           f"<guid>x</guid><description>&lt;p&gt;{body}&lt;/p&gt;</description></item>"
           f"</channel></rss>").encode()
    (item,) = feeds.parse_feed(rss, url="http://t.example/").items
    assert item.has_full_content
    assert item.summary.endswith("…") and len(item.summary.split()) <= feeds.SUMMARY_WORDS + 1


def test_malformed_feed_is_a_one_line_error() -> None:
    with pytest.raises(feeds.FeedError, match=r"^malformed feed: .*not well-formed"):
        feeds.parse_feed(fixture_bytes("malformed.xml"), url="http://broken.example/")


def test_json_that_is_not_a_json_feed_is_refused() -> None:
    with pytest.raises(feeds.FeedError, match="not a feed"):
        feeds.parse_feed(b'{"hello": "world"}', url="http://j.example/")


def test_an_entity_bomb_stays_small_and_quick() -> None:
    """A billion-laughs DOCTYPE: the fast path never expands it and expat's guard stops it."""
    levels = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    bomb = (f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY l0 "lollollollol">{levels}]>'
            f'<rss version="2.0"><channel><title>&l9;</title><item><title>x</title>'
            f"<guid>1</guid></item></channel></rss>").encode()
    started = time.monotonic()
    parsed = feeds.parse_feed(bomb, url="http://e.example/")
    assert time.monotonic() - started < 5
    assert len(parsed.title or "") < 100


def test_discovery_resolves_relative_hrefs_and_takes_the_first_feed() -> None:
    page = fixture_bytes("page.html")
    found = feeds.discover_feed_url(page, "http://gazette.example/news/index.html")
    assert found == "http://gazette.example/news/feeds/rss2_summaries.xml"
    assert feeds.discover_feed_url(fixture_bytes("nofeed.html"), "http://x.example/") is None


# ------------------------------------------------------------- storage and refresh


async def test_add_refresh_twice_never_duplicates(server: FeedServer,
                                                  db: sqlite3.Connection) -> None:
    url = server.serve_fixture("rss2_summaries.xml")
    added = await feeds.add_feed(db, url, tags=["local"])
    assert (added.new_items, added.feed.title, added.feed.tags) == (3, "Harbour Gazette",
                                                                    ("local",))
    first = await feeds.refresh_feeds(db)
    second = await feeds.refresh_feeds(db)
    assert first.new_items == second.new_items == 0
    stored = feeds.feed_items(db, added.feed.id)
    assert len(stored) == 3
    assert len({item.key for item in stored}) == 3


async def test_refresh_stores_new_items_and_keeps_read_flags(server: FeedServer,
                                                             db: sqlite3.Connection) -> None:
    url = server.serve_fixture("rdf.xml")
    feed = (await feeds.add_feed(db, url)).feed
    newest = feeds.feed_items(db, feed.id)[0]
    feeds.mark_item_read(db, newest.id)
    extra = fixture_bytes("rdf.xml").replace(
        b"</rdf:RDF>",
        b'<item rdf:about="http://library.example/notes/new"><title>New shelf</title>'
        b"<link>http://library.example/notes/new</link>"
        b"<dc:date>2024-05-12T08:00:00Z</dc:date></item></rdf:RDF>")
    server.state.routes["/feeds/rdf.xml"].body = extra
    report = await feeds.refresh_feeds(db, [feed.id])
    assert report.new_items == 1
    titles = [item.title for item in feeds.feed_items(db, feed.id)]
    assert titles == ["New shelf", "Poetry night on Friday", "Late opening during exams"]
    assert feeds.get_item(db, newest.id).read
    assert feeds.get_feed(db, feed.id).unread == 2


async def test_conditional_request_sends_etag_and_304_means_nothing_new(
        server: FeedServer, db: sqlite3.Connection) -> None:
    url = server.serve_fixture("atom.xml", etag='"v1"')
    feed = (await feeds.add_feed(db, url)).feed
    report = await feeds.refresh_feeds(db)
    (result,) = report.results
    assert result.not_modified and result.error is None
    first, second = server.state.hits("/feeds/atom.xml")
    assert "if-none-match" not in first
    assert second["if-none-match"] == '"v1"'
    assert feeds.get_feed(db, feed.id).total == 2


async def test_last_modified_is_sent_back(server: FeedServer, db: sqlite3.Connection) -> None:
    stamp = "Tue, 07 May 2024 10:00:00 GMT"
    url = server.serve_fixture("feed.json", headers={"Last-Modified": stamp})
    await feeds.add_feed(db, url)
    await feeds.refresh_feeds(db)
    assert server.state.hits("/feeds/feed.json")[-1]["if-modified-since"] == stamp


async def test_failures_are_recorded_per_feed_and_spare_the_others(
        server: FeedServer, db: sqlite3.Connection) -> None:
    good = server.serve_fixture("rss2_full.xml")
    broken = server.serve_fixture("malformed.xml")
    slow = server.serve_fixture("atom.xml", "/slow.xml", delay=5.0)
    missing = server.url("/gone.xml")
    for url in (good, broken, slow, missing):
        feeds.subscribe(db, url)
    started = time.monotonic()
    report = await feeds.refresh_feeds(db, limits=SLOW_LIMITS)
    assert time.monotonic() - started < 3
    errors = {result.feed.url: result.error for result in report.results}
    assert errors[good] is None
    assert (errors[broken] or "").startswith("malformed feed")
    assert errors[slow] == "timed out after 0.4 s"
    assert errors[missing] == "HTTP 404 Not Found"
    listed = {feed.url: feed for feed in feeds.list_feeds(db)}
    assert listed[good].total == 2 and listed[good].last_error is None
    assert listed[missing].last_error == "HTTP 404 Not Found"
    assert listed[missing].last_checked is not None


async def test_error_is_cleared_once_the_feed_recovers(server: FeedServer,
                                                       db: sqlite3.Connection) -> None:
    feed_id, _ = feeds.subscribe(db, server.url("/later.xml"))
    await feeds.refresh_feeds(db)
    assert feeds.get_feed(db, feed_id).last_error == "HTTP 404 Not Found"
    server.serve_fixture("rdf.xml", "/later.xml")
    await feeds.refresh_feeds(db)
    assert feeds.get_feed(db, feed_id).last_error is None


async def test_per_host_and_overall_limits_hold(server: FeedServer,
                                                db: sqlite3.Connection) -> None:
    for n in range(6):
        feeds.subscribe(db, server.serve_fixture("rdf.xml", f"/many/{n}.xml", delay=0.15))
    progress: list[tuple[int, int]] = []
    report = await feeds.refresh_feeds(db, per_host=2,
                                       progress=lambda done, total, feed:
                                       progress.append((done, total)))
    assert not report.failed
    assert server.state.max_in_flight == 2
    assert progress == [(n, 6) for n in range(1, 7)]


async def test_overall_limit_applies_when_per_host_is_higher(server: FeedServer,
                                                             db: sqlite3.Connection) -> None:
    for n in range(5):
        feeds.subscribe(db, server.serve_fixture("rdf.xml", f"/all/{n}.xml", delay=0.15))
    await feeds.refresh_feeds(db, concurrency=3, per_host=8)
    assert server.state.max_in_flight == 3


async def test_add_discovers_the_feed_behind_a_page(server: FeedServer,
                                                    db: sqlite3.Connection) -> None:
    server.serve_fixture("rss2_summaries.xml")
    page = server.serve_fixture("page.html", "/page.html")
    result = await feeds.add_feed(db, page)
    assert result.feed.url == server.url("/feeds/rss2_summaries.xml")
    assert result.new_items == 3


async def test_add_refuses_pages_without_feeds_and_keeps_nothing(
        server: FeedServer, db: sqlite3.Connection) -> None:
    page = server.serve_fixture("nofeed.html", "/nofeed.html")
    with pytest.raises(feeds.FeedError, match="no feed found"):
        await feeds.add_feed(db, page)
    with pytest.raises(feeds.FeedError, match="malformed feed"):
        await feeds.add_feed(db, server.serve_fixture("malformed.xml"))
    assert feeds.list_feeds(db) == []


async def test_add_twice_is_refused(server: FeedServer, db: sqlite3.Connection) -> None:
    url = server.serve_fixture("feed.json")
    await feeds.add_feed(db, url, title="Rides")
    with pytest.raises(feeds.FeedError, match=r"already subscribed: Rides \(id 1\)"):
        await feeds.add_feed(db, url)


async def test_redirects_are_followed_and_non_feeds_refused(server: FeedServer,
                                                            db: sqlite3.Connection) -> None:
    target = server.serve_fixture("rdf.xml")
    server.state.routes["/moved"] = Route(b"", "text/plain", status=301,
                                          headers={"Location": "/feeds/rdf.xml"})
    server.state.routes["/image"] = Route(b"\x89PNG\r\n\x1a\n", "image/png")
    result = await feeds.add_feed(db, server.url("/moved"))
    assert result.new_items == 2
    assert server.state.hits("/feeds/rdf.xml")
    with pytest.raises(FetchError, match="not a feed: image/png"):
        await feeds.add_feed(db, server.url("/image"))
    with pytest.raises(FetchError, match="unsupported URL scheme"):
        await feeds.add_feed(db, "file:///etc/passwd")
    assert target


async def test_body_over_the_byte_cap_is_refused(server: FeedServer,
                                                 db: sqlite3.Connection) -> None:
    feed_id, _ = feeds.subscribe(db, server.serve_fixture("rss2_full.xml"))
    report = await feeds.refresh_feeds(db, limits=feeds.FEED_LIMITS._replace(max_bytes=1024))
    assert report.results[0].error == "page larger than 1 KB"
    assert feeds.get_feed(db, feed_id).total == 0


async def test_item_api_for_the_tui(server: FeedServer, db: sqlite3.Connection) -> None:
    feed = (await feeds.add_feed(db, server.serve_fixture("rss2_full.xml"))).feed
    cider, bridge = feeds.feed_items(db, feed.id)
    assert cider.title.startswith("Orchard")  # newest first
    assert feeds.item_article(db, cider.id) is None
    article = feeds.item_as_article(cider)
    assert article.title == cider.title and article.word_count >= feeds.FULL_CONTENT_WORDS
    assert "\n\n" in article.text and "alert(" not in article.text
    feeds.store_item_article(db, cider.id, article.to_dict())
    stored = feeds.item_article(db, cider.id)
    assert stored is not None and Article.from_dict(stored) == article
    assert feeds.mark_feed_read(db, feed.id) == 2
    assert feeds.feed_items(db, feed.id, unread_only=True) == []
    feeds.mark_item_read(db, bridge.id, read=False)
    assert [item.id for item in feeds.feed_items(db, unread_only=True)] == [bridge.id]
    with pytest.raises(feeds.FeedError, match="no feed item"):
        feeds.mark_item_read(db, 9999)


def test_find_feed_by_id_url_or_title(db: sqlite3.Connection) -> None:
    first, _ = feeds.subscribe(db, "http://a.example/feed", title="Morning Post")
    second, _ = feeds.subscribe(db, "http://b.example/feed", title="Evening Post")
    assert feeds.find_feed(db, str(first)).id == first
    assert feeds.find_feed(db, "http://b.example/feed").id == second
    assert feeds.find_feed(db, "morning post").id == first
    with pytest.raises(feeds.FeedError, match="no feed matches"):
        feeds.find_feed(db, "Noon Post")
    feeds.subscribe(db, "http://c.example/feed", title="Morning Post")
    with pytest.raises(feeds.FeedError, match="several feeds"):
        feeds.find_feed(db, "Morning Post")


def test_removing_a_feed_removes_its_items_and_tags(db: sqlite3.Connection) -> None:
    feed_id, _ = feeds.subscribe(db, "http://a.example/feed", tags=["x"])
    parsed = feeds.parse_feed(fixture_bytes("rdf.xml"), url="http://a.example/feed")
    feeds.store_parsed(db, feed_id, parsed)
    feeds.remove_feed(db, feed_id)
    assert db.execute("SELECT count(*) FROM feed_items").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM feed_tags").fetchone()[0] == 0


def test_the_newest_headlines_of_all_feeds_are_read_from_an_index(
        db: sqlite3.Connection) -> None:
    """The home screen's first screenful (newest 100 of every feed) walks an index in
    date order and stops (sorting every item first cost 15 ms at 20,000 items); the full
    read that follows scans the table in its order and sorts (walking the index visits
    the rows scattered over the file, a third slower)."""
    statements: list[str] = []
    db.set_trace_callback(statements.append)
    feeds.feed_items(db, None, content=False, limit=100)
    feeds.feed_items(db, None, content=False)
    db.set_trace_callback(None)
    page, every = [s for s in statements if "FROM feed_items" in s]
    plan = " / ".join(row[3] for row in db.execute("EXPLAIN QUERY PLAN " + page))
    assert "feed_items_by_date" in plan and "TEMP B-TREE" not in plan, plan
    plan = " / ".join(row[3] for row in db.execute("EXPLAIN QUERY PLAN " + every))
    assert "SCAN i" in plan and "INDEX" not in plan.split("SEARCH")[0], plan


def test_item_rows_hold_the_item_fields_in_order(db: sqlite3.Connection) -> None:
    """Items are built from their rows by position: the columns must be the fields."""
    from dataclasses import fields

    from reader.feeds.subscriptions import _ITEM_COLUMNS

    cursor = db.execute(_ITEM_COLUMNS + " LIMIT 0")
    assert [column[0] for column in cursor.description] == \
        [spec.name for spec in fields(feeds.Item)]


# ------------------------------------------------------------------ import / export


def test_opml_import_reads_folders_and_categories_as_tags() -> None:
    subscriptions, skipped = feeds.read_subscriptions(FIXTURES / "subscriptions.opml")
    by_url = {s.url: s for s in subscriptions}
    assert skipped == []
    assert by_url["http://gazette.example/rss.xml"].tags == ("Local",)
    assert by_url["http://valley.example/feed"].tags == ("Local", "farming", "weekly")
    assert by_url["http://observatory.example/atom.xml"].title == "Observatory"


def test_newsboat_urls_with_tags_titles_comments_and_queries() -> None:
    subscriptions, skipped = feeds.read_subscriptions(FIXTURES / "newsboat_urls")
    assert [(s.url, s.title, s.tags) for s in subscriptions] == [
        ("http://gazette.example/rss.xml", None, ("local", "news")),
        ("http://valley.example/feed", "Valley (weekly)", ("farming",)),
        ("http://observatory.example/atom.xml", None, ("science",)),
    ]
    assert len(skipped) == 2
    assert skipped[0].startswith("line 7: not an http(s) feed: exec:")
    assert skipped[1] == "line 8: unbalanced quotes"


def test_import_skips_non_web_urls_and_merges_tags(db: sqlite3.Connection) -> None:
    feeds.subscribe(db, "http://gazette.example/rss.xml", tags=["old"])
    subscriptions, _ = feeds.read_subscriptions(FIXTURES / "subscriptions.opml")
    report = feeds.import_subscriptions(db, subscriptions)
    assert len(report.added) == 2 and len(report.existing) == 1
    assert report.skipped[0].startswith("gopher://old.example/feed: unsupported URL scheme")
    gazette = feeds.find_feed(db, "http://gazette.example/rss.xml")
    assert gazette.tags == ("Local", "old")
    valley = feeds.find_feed(db, "Valley Weekly")
    assert valley.tags == ("Local", "farming", "weekly")
    assert feeds.find_feed(db, "Observatory").site_url is None
    assert by_url_site(subscriptions)["http://gazette.example/rss.xml"] == "http://gazette.example/"


def by_url_site(subscriptions: list[feeds.Subscription]) -> dict[str, str | None]:
    return {s.url: s.site_url for s in subscriptions}


def test_export_is_opml_2_that_imports_back(db: sqlite3.Connection, tmp_path: Path) -> None:
    from lxml import etree

    feeds.subscribe(db, "http://a.example/feed?x=1&y=2", title='Tom & "Jerry"',
                    tags=["cartoons", "classic"])
    feeds.subscribe(db, "http://b.example/feed")
    exported = feeds.export_opml(db)
    root = etree.fromstring(exported.encode())
    assert root.tag == "opml" and root.get("version") == "2.0"
    assert root.findtext("head/title") and root.findtext("head/dateCreated")
    first = next(o for o in root.iter("outline") if o.get("xmlUrl", "").startswith("http://a"))
    assert first.get("xmlUrl") == "http://a.example/feed?x=1&y=2"
    assert first.get("title") == first.get("text") == 'Tom & "Jerry"'
    assert first.get("category") == "cartoons,classic"
    path = tmp_path / "out.opml"
    path.write_text(exported, encoding="utf-8")
    subscriptions, _ = feeds.read_subscriptions(path)
    assert sorted((s.url, s.tags) for s in subscriptions) == [
        ("http://a.example/feed?x=1&y=2", ("cartoons", "classic")),
        ("http://b.example/feed", ()),
    ]


# ------------------------------------------------------------------------------ CLI


def run_cli(library_path: Path, *argv: str) -> int:
    return run_feeds(["--library", str(library_path), *argv])


def test_cli_add_list_items_refresh_remove(server: FeedServer, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    lib = tmp_path / "cli.sqlite3"
    url = server.serve_fixture("rss2_summaries.xml")
    assert run_cli(lib, "add", url, "--tag", "local") == 0
    assert capsys.readouterr().out == "added feed 1: Harbour Gazette (3 items)\n"
    feeds_missing = server.url("/nothing.xml")
    with library.connect(lib) as connection:
        feeds.subscribe(connection, feeds_missing, title="Dead feed")
    assert run_cli(lib, "refresh", "--all") == 0
    out = capsys.readouterr().out.splitlines()
    assert "   2  Dead feed: ! HTTP 404 Not Found" in out
    assert out[-1] == "refreshed 2 feeds: 0 new items, 1 failed"
    assert run_cli(lib, "list") == 0
    assert capsys.readouterr().out.splitlines() == [
        "   2  0/0  Dead feed  ! HTTP 404 Not Found",
        "   1  3/3  Harbour Gazette  [local]",
    ]
    assert run_cli(lib, "items", "Harbour Gazette") == 0
    lines = capsys.readouterr().out.splitlines()
    # The undated letters item counts from when it was first seen, so it comes first.
    assert lines[0].startswith("     3 * ") and lines[0].endswith("  Letters to the editor")
    assert lines[1:] == ["     1 * 2024-05-07  Ferry timetable changes in May",
                         "     2 * 2024-05-06  Fish market reopens after repairs"]
    assert run_cli(lib, "items", "1", "--format", "json") == 0
    items = json.loads(capsys.readouterr().out)
    assert items[1]["title"] == "Ferry timetable changes in May" and items[1]["read"] is False
    assert items[1]["published"] == "2024-05-07T07:30:00Z"
    assert run_feeds(["remove", "2", "--library", str(lib)]) == 0
    assert capsys.readouterr().out == "removed feed 2: Dead feed\n"


def test_cli_import_and_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lib = tmp_path / "io.sqlite3"
    assert run_cli(lib, "import", str(FIXTURES / "newsboat_urls")) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("imported 3 feeds;")
    assert "skipped line 8: unbalanced quotes" in captured.err
    assert run_cli(lib, "export") == 0
    exported = capsys.readouterr().out
    assert exported.startswith("<?xml") and 'title="Valley (weekly)"' in exported


def test_cli_titles_cannot_drive_the_terminal(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    lib = tmp_path / "esc.sqlite3"
    with library.connect(lib) as connection:
        feeds.subscribe(connection, "http://x.example/f", title="Evil\x1b[2J title")
    run_cli(lib, "list", "--format", "text")
    assert "\x1b" not in capsys.readouterr().out


def test_cli_unknown_feed_is_a_reader_error(tmp_path: Path) -> None:
    with pytest.raises(feeds.FeedError, match="no feed matches"):
        run_cli(tmp_path / "empty.sqlite3", "items", "nope")


def test_default_library_lives_under_reader_home(isolated_home: Path) -> None:
    assert run_feeds(["list"]) == 0
    assert (isolated_home / "library.sqlite3").exists()


def test_refresh_and_add_run_no_sqlite_on_the_event_loop(db: sqlite3.Connection) -> None:
    """The TUI refreshes from an async worker: every statement must run off its loop."""
    import threading

    body = fixture_bytes("atom.xml")
    transport = httpx.MockTransport(lambda request: httpx.Response(
        200, headers={"content-type": "application/atom+xml"}, content=body))
    threads: set[int] = set()
    db.set_trace_callback(lambda statement: threads.add(threading.get_ident()))

    async def scenario() -> None:
        async with feeds.make_feed_client(transport) as client:
            await feeds.add_feed(db, "https://sky.example/atom.xml", client=client)
            report = await feeds.refresh_feeds(db, client=client)
        assert report.failed == ()

    asyncio.run(scenario())
    db.set_trace_callback(None)
    assert threads, "the scenario ran statements"
    assert threading.get_ident() not in threads


def test_an_unexpected_error_on_one_feed_spares_the_others(db: sqlite3.Connection) -> None:
    body = fixture_bytes("atom.xml")

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "broken.example":
            raise OverflowError("a bug met on this feed only")
        return httpx.Response(200, headers={"content-type": "application/atom+xml"},
                              content=body)

    feeds.subscribe(db, "https://broken.example/feed")
    feeds.subscribe(db, "https://sky.example/atom.xml")

    async def scenario() -> feeds.RefreshReport:
        async with feeds.make_feed_client(httpx.MockTransport(handler)) as client:
            return await feeds.refresh_feeds(db, client=client)

    report = asyncio.run(scenario())
    by_host = {r.feed.url.split("/")[2]: r for r in report.results}
    assert by_host["sky.example"].new_items > 0
    error = by_host["broken.example"].error
    assert error is not None and error.startswith("unexpected error: OverflowError")
    assert feeds.find_feed(db, "https://broken.example/feed").last_error == error
