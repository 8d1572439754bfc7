"""Every screen and state a user sees, as drawn, at fixed sizes.

Update snapshots (``pytest --snapshot-update``) only after looking at each one: the
report shows the SVGs; ``python ../shared/tools/screen.py`` shows the real app.
Inputs stop blinking before the picture is taken; nothing here reads the clock.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from reader import feeds
from reader.config import Settings
from reader.headline_query import View
from reader.library import db as library_db
from reader.library import store
from reader.models import Annotated, Article, Block
from reader.sources import Source, demo_sources
from reader.tui.app import ReaderApp, make_app
from reader.tui.screens.feeds import FeedsScreen
from reader.tui.screens.library import LibraryScreen
from tests.tui.helpers import drawn, wait_analysed, wait_until

Before = Callable[[Pilot[Any]], Awaitable[None]]
SETTINGS = Settings(theme="textual-dark")


def steady(pilot: Pilot[Any]) -> None:
    """No blinking cursors in a snapshot."""
    for screen in pilot.app.screen_stack:
        for widget in screen.query(Input):
            widget.cursor_blink = False
        for area in screen.query(TextArea):
            area.cursor_blink = False


def reading(*keys: str, wait: Callable[[Pilot[Any]], bool] | None = None) -> Before:
    """Open the article, wait for its analysis, press ``keys``."""
    async def run_before(pilot: Pilot[Any]) -> None:
        await wait_analysed(pilot)
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        if wait is not None:
            await wait_until(pilot, lambda: wait(pilot))
        await pilot.pause(0.2)
        steady(pilot)

    return run_before


def demo_app(first: int = 1, library: Path | None = None) -> ReaderApp:
    return make_app(demo_sources()[:first], settings=SETTINGS, library=library)


def html_app() -> ReaderApp:
    return make_app([s for s in demo_sources() if s.location.endswith(".html")],
                    settings=SETTINGS)


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 60)],
                         ids=["80x24", "120x40", "200x60"])
def test_main_screen(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(demo_app(), terminal_size=size, run_before=reading())


@pytest.mark.parametrize(("name", "keys"), [
    ("find", ("slash", *"port")),
    ("panels_hidden", ("backslash",)),
    ("zen", ("z",)),
    ("selection", ("v", "j")),
    ("help", ("question_mark",)),
    ("palette", ("ctrl+p",)),
    ("tags_dialog", ("number_sign",)),
], ids=lambda value: value if isinstance(value, str) else "")
def test_reading_states(snap_compare: Any, name: str, keys: tuple[str, ...]) -> None:
    assert snap_compare(demo_app(), terminal_size=(120, 40), run_before=reading(*keys))


def test_links_picker(snap_compare: Any) -> None:
    assert snap_compare(html_app(), terminal_size=(120, 40), run_before=reading("u"))


def test_link_numbers(snap_compare: Any) -> None:
    """U numbers the links in the text; a typed number waits for enter in the status."""
    assert snap_compare(html_app(), terminal_size=(120, 40), run_before=reading("U", "2"))


def test_notification(snap_compare: Any, tmp_path: Path) -> None:
    app = demo_app(library=tmp_path / "library.sqlite3")
    assert snap_compare(app, terminal_size=(120, 40), run_before=reading(
        "s", wait=lambda p: bool(p.app._notifications)))


def test_export_dialog(snap_compare: Any, tmp_path: Path,
                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READER_EXPORT_DIR", "/tmp/reader-exports")
    assert snap_compare(demo_app(), terminal_size=(120, 40), run_before=reading("x"))


def fill_library(library: Path, count: int) -> None:
    with store.opened(library) as connection:
        for n in range(count):
            text = f"Story number {n} about the harbour and the strike at Calder Bay."
            store.save(connection, Annotated(Article(
                text=text, title=f"Harbour story {n}", url=f"https://news.example/{n}",
                site="Reader Demo", published="2026-03-0" + str(1 + n % 9),
                blocks=(Block("paragraph", 0, len(text)),))),
                tags=("harbour",) if n % 2 else (), now="2026-03-10T09:00:00Z",
                saved="2026-03-10T09:00:00Z")


def library_keys(*keys: str, rows: int) -> Before:
    async def run_before(pilot: Pilot[Any]) -> None:
        await wait_analysed(pilot)
        await pilot.press("S")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, LibraryScreen)
                         and len(pilot.app.screen.rows) == rows)
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        await pilot.pause(0.3)
        steady(pilot)

    return run_before


@pytest.mark.parametrize(("name", "count", "keys", "rows"), [
    ("empty", 0, (), 0),
    ("list", 6, (), 6),
    ("search", 6, ("slash", *"story 3"), 6),
    ("delete_confirm", 6, ("d",), 6),
], ids=["empty", "list", "search", "delete_confirm"])
def test_library(snap_compare: Any, tmp_path: Path, name: str, count: int,
                 keys: tuple[str, ...], rows: int) -> None:
    library = tmp_path / "library.sqlite3"
    fill_library(library, count)
    assert snap_compare(demo_app(library=library), terminal_size=(100, 30),
                        run_before=library_keys(*keys, rows=rows))


def feed_xml(base: str) -> bytes:
    now = datetime.now(UTC)

    def stamp(hours: int) -> str:
        return (now - timedelta(hours=hours)).strftime("%a, %d %b %Y %H:%M:%S GMT")

    items = "".join(
        f"<item><title>{title}</title><link>{base}/{slug}</link><guid>{slug}</guid>"
        f"<pubDate>{stamp(hours)}</pubDate><description>{summary}</description></item>"
        for title, slug, hours, summary in (
            ("Tram line approved", "tram", 2, "The council approved a tram line."),
            ("Museum reopens", "museum", 5, "Forty new rooms in the east wing."),
            ("Ferry timetable changes", "ferry", 30, "Fewer crossings in winter."),
        ))
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Westport News'
            f"</title><link>{base}/</link>{items}</channel></rss>").encode()


def feed_transport() -> httpx.MockTransport:
    base = "https://westport.example"

    def handler(request: httpx.Request) -> httpx.Response:
        if str(request.url) == f"{base}/feed.xml":
            return httpx.Response(200, headers={"content-type": "application/rss+xml"},
                                  content=feed_xml(base))
        return httpx.Response(404, content=b"not here")

    return httpx.MockTransport(handler)


def home_app(library: Path, *urls: str, settings: Settings = SETTINGS) -> ReaderApp:
    connection = library_db.connect(library)
    try:
        for url in urls:
            feeds.subscribe(connection, url, tags=["local"])
    finally:
        connection.close()
    return make_app([], settings=settings, library=library, transport=feed_transport())


def home(refresh: bool, progress: bool = False, keys: tuple[str, ...] = ()) -> Before:
    async def run_before(pilot: Pilot[Any]) -> None:
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, FeedsScreen))
        screen = pilot.app.screen
        assert isinstance(screen, FeedsScreen)
        if refresh:
            await pilot.press("R")
            await wait_until(pilot, lambda: len(screen.items) == 3)
        if progress:
            feed = screen.feed_rows[0]
            screen.post_message(FeedsScreen.Progress(1, 3, feed))
        for key in keys:
            await pilot.press(key)
        await pilot.pause(0.3)
        steady(pilot)

    return run_before


def test_home_feeds_and_headlines(snap_compare: Any, tmp_path: Path) -> None:
    app = home_app(tmp_path / "l.sqlite3", "https://westport.example/feed.xml")
    assert snap_compare(app, terminal_size=(120, 30), run_before=home(refresh=True))


def test_home_refresh_progress(snap_compare: Any, tmp_path: Path) -> None:
    app = home_app(tmp_path / "l.sqlite3", "https://westport.example/feed.xml")
    assert snap_compare(app, terminal_size=(120, 30),
                        run_before=home(refresh=True, progress=True))


def test_home_failed_feed(snap_compare: Any, tmp_path: Path) -> None:
    app = home_app(tmp_path / "l.sqlite3", "https://westport.example/feed.xml",
                   "https://westport.example/gone.xml")
    assert snap_compare(app, terminal_size=(120, 30), run_before=home(refresh=True))


VIEWS = Settings(theme="textual-dark", views=(
    View("Local news", "tag:local"), View("Today", "since:1d unread")))


def test_home_views_and_search(snap_compare: Any, tmp_path: Path) -> None:
    """Query feeds above the feeds; / narrowing the headlines with its match count."""
    app = home_app(tmp_path / "l.sqlite3", "https://westport.example/feed.xml",
                   settings=VIEWS)
    assert snap_compare(app, terminal_size=(120, 30),
                        run_before=home(refresh=True, keys=("slash", *"tram")))


def test_home_unread_only_by_feed(snap_compare: Any, tmp_path: Path) -> None:
    """N marks the first headline read; u hides it; s sorts by feed (status says so)."""
    app = home_app(tmp_path / "l.sqlite3", "https://westport.example/feed.xml",
                   settings=VIEWS)
    assert snap_compare(app, terminal_size=(120, 30),
                        run_before=home(refresh=True, keys=("N", "u", "s")))


def test_refetch_diff(snap_compare: Any, tmp_path: Path) -> None:
    from reader.tui.screens.changes import ChangesScreen

    url = "https://news.example/tram"
    version = {"n": 1}

    def page() -> bytes:
        extra = ("<p>Late on Tuesday the council added that the first trams would carry "
                 "passengers from June, a month earlier than planned.</p>"
                 if version["n"] == 2 else "")
        return (f"<html><head><title>Tram line approved</title></head><body><article>"
                f"<h1>Tram line approved</h1><p>The city council of Westport approved a "
                f"new tram line on Tuesday after a long debate, with twelve votes in "
                f"favour and three against.</p>{extra}</article></body></html>").encode()

    transport = httpx.MockTransport(lambda r: httpx.Response(
        200, headers={"content-type": "text/html"}, content=page()))
    app = make_app([Source("url", url)], settings=SETTINGS, transport=transport,
                   library=tmp_path / "library.sqlite3")

    async def run_before(pilot: Pilot[Any]) -> None:
        await wait_analysed(pilot)
        await pilot.press("s")
        await wait_until(pilot, lambda: app.reader.saved is not None)
        version["n"] = 2
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, ChangesScreen))
        app.clear_notifications()
        await pilot.pause(0.3)

    assert snap_compare(app, terminal_size=(100, 30), run_before=run_before)


TRAM_WIRE = ("Westport's council voted 12 to 3 on Tuesday night to build a tram line from the "
             "harbour to the university, at a cost of 310 million dollars.")


def stories_library(library: Path) -> None:
    """Three outlets and a wire service; times relative to now, so ages stay put."""
    now = datetime.now(UTC)
    outlets: dict[str, list[tuple[str, str, float]]] = {
        "Westport News": [("Tram line approved after all-night debate",
                           "The council approved the harbour-to-university tram line by 12 "
                           "votes to 3 after a debate that lasted most of the night.", 2),
                          ("Museum reopens its east wing",
                           "Forty rooms of the Westport museum reopened after two years.", 5)],
        "Allied Press": [("Westport votes for 310m tram line", TRAM_WIRE, 3)],
        "Harbour Gazette": [("Council says yes to harbour tram", TRAM_WIRE, 2.5),
                            ("Ferry timetable changes for winter",
                             "Fewer crossings to the islands from November.", 30)],
        "Coastal Post": [("Westport museum east wing open again",
                          "Visitors returned to the museum's east wing, reopened with forty "
                          "new rooms after two years of work.", 4)],
    }
    connection = library_db.connect(library)
    try:
        for name, entries in outlets.items():
            slug = name.lower().replace(" ", "-")
            items = [{"id": title, "url": f"https://{slug}.example/{n}", "title": title,
                      "summary": summary,
                      "date_published": (now - timedelta(hours=hours)).isoformat()}
                     for n, (title, summary, hours) in enumerate(entries)]
            body = json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": name,
                               "items": items}).encode()
            feed_id, _ = feeds.subscribe(connection, f"https://{slug}.example/feed.json")
            feeds.store_parsed(connection, feed_id,
                               feeds.parse_feed(body, url=f"https://{slug}.example/"))
        museum = next(i for i in feeds.feed_items(connection)
                      if i.title == "Museum reopens its east wing")
        feeds.mark_item_read(connection, museum.id)
    finally:
        connection.close()


def test_home_stories(snap_compare: Any, tmp_path: Path) -> None:
    library = tmp_path / "l.sqlite3"
    stories_library(library)

    async def run_before(pilot: Pilot[Any]) -> None:
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, FeedsScreen))
        screen = pilot.app.screen
        assert isinstance(screen, FeedsScreen)
        await wait_until(pilot, lambda: len(screen.items) == 6)
        await pilot.press("c")
        await wait_until(pilot, lambda: len(screen.story_list.stories) == 3)
        await pilot.pause(0.3)
        steady(pilot)

    app = make_app([], settings=SETTINGS, library=library)
    assert snap_compare(app, terminal_size=(100, 20), run_before=run_before)


def test_lead_image_half_blocks(snap_compare: Any) -> None:
    """The lead image above the article, drawn with half-blocks (what tests always use:
    no terminal is probed), sized to the column and a third of the height, its caption
    under it."""
    from tests.tui.test_lead_image import HALF_BLOCK, Site, app_for, gradient

    app = app_for(Site(gradient()))
    assert snap_compare(app, terminal_size=(120, 40), run_before=reading(
        wait=lambda p: HALF_BLOCK in drawn(p.app) and "v Select" in drawn(p.app)))
