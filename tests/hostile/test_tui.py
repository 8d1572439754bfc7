"""The app itself with a hostile feed item (issue 12: cause 1 on screen, cause 9)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from rich.console import Console

from reader import feeds
from reader.config import Settings
from reader.library import db as library_db
from reader.tui.app import ReaderApp, make_app
from reader.tui.screens.feeds import FeedsScreen
from tests.hostile.conftest import CONTROL, ESC_RED, ESC_TITLE, HOSTILE, RawServer, http_response
from tests.tui.helpers import wait_analysed, wait_until


def screen_text(app: ReaderApp) -> str:
    """Everything drawn on the current screen, as plain text."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                      record=True, legacy_windows=False)
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text(styles=False)


def hostile_feed(server: RawServer) -> None:
    body = " ".join(["The ferry company confirmed the new timetable for the harbour."] * 12)
    items = [{"id": "h1", "url": server.url("/h1"), "title": f"Ferry{HOSTILE}",
              "authors": [{"name": f"Ann{ESC_TITLE}{ESC_RED}"}],
              "content_html": f"<p>{body}{HOSTILE}</p><p>{body}</p>"}]
    server.routes["/feed.json"] = http_response(
        body=json.dumps({"version": "https://jsonfeed.org/version/1.1",
                         "title": f"Harbour{HOSTILE}", "items": items}).encode(),
        headers={"Content-Type": "application/feed+json"})


async def test_hostile_feed_item_draws_no_control_characters(server: RawServer,
                                                             tmp_path: Path) -> None:
    hostile_feed(server)
    library = tmp_path / "library.sqlite3"
    connection = library_db.connect(library)
    try:
        feeds.subscribe(connection, server.url("/feed.json"))
    finally:
        connection.close()
    app = make_app([], settings=Settings(), library=library)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, FeedsScreen))
        screen = app.screen
        assert isinstance(screen, FeedsScreen)
        await pilot.press("R")
        await wait_until(pilot, lambda: len(screen.items) == 1 and "Ferry" in screen_text(app))
        drawn = screen_text(app)
        assert CONTROL.search(drawn) is None, repr(CONTROL.search(drawn))
        await pilot.press("enter")
        await wait_analysed(pilot)
        await wait_until(pilot, lambda: "ferry company" in screen_text(app))
        drawn = screen_text(app)
        assert CONTROL.search(drawn) is None, repr(CONTROL.search(drawn))
        for title in (app.title, app.sub_title):
            assert CONTROL.search(title) is None
        assert app.is_running


async def test_save_to_a_foreign_library_file_is_reported(tmp_path: Path) -> None:
    """Cause 9: a library failure in a worker reaches the user as one notification."""
    from reader.sources import Source

    story = tmp_path / "story.txt"
    story.write_text("The ferry company confirmed the new timetable for the harbour. " * 20)
    foreign = tmp_path / "notes.sqlite3"
    foreign.write_text("these are my shopping notes, not a database\n")
    app = make_app([Source("file", str(story))], settings=Settings(), library=foreign)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_analysed(pilot)
        await pilot.press("s")
        await wait_until(pilot, lambda: any("not a reader library" in str(n.message)
                                            for n in app._notifications), timeout=20)
        assert foreign.read_text().startswith("these are my shopping notes")
        assert app.is_running


async def test_config_problems_are_said_once_at_start(tmp_path: Path) -> None:
    """An unknown binding id and a bad value are named in one notification; the valid
    binding next to them still applies."""
    from reader.sources import Source

    story = tmp_path / "story.txt"
    story.write_text("The ferry company confirmed the new timetable for the harbour. " * 20)
    settings = Settings(keys={"no.such.binding": "x", f"bad{ESC_TITLE}": "y"},
                        problems=("timeout = -1 is out of range 1-600 (using the default)",))
    app = make_app([Source("file", str(story))], settings=settings, library=tmp_path / "l.db")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: bool(app._notifications), timeout=20)
        messages = [str(n.message) for n in app._notifications if "config" in str(n.message)]
        assert len(messages) == 1
        assert "no.such.binding" in messages[0] and "timeout" in messages[0]
        assert CONTROL.search(messages[0]) is None
        assert app.is_running
