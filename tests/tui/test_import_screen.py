"""Importing from the library screen: ``i`` takes a file, the links it brought are
fetched under a progress bar, and the rows show the fetched articles (Pilot)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import ProgressBar

from reader.config import Settings
from reader.library import store
from reader.tui.app import make_app
from reader.tui.screens.dialogs import LineEditor
from reader.tui.screens.library import LibraryScreen
from tests.link_server import LinkServer, article_page
from tests.tui.helpers import shows, wait_drawn, wait_until

PATHS = ["/one", "/two", "/three"]


async def test_import_fetches_links_under_a_progress_bar(tmp_path: Path) -> None:
    library = tmp_path / "library.sqlite3"
    pages = {p: article_page(f"Imported story {p[1:]}") for p in PATHS}
    with LinkServer(pages, delay=0.4) as server:
        export = tmp_path / "export.dat"  # the name says nothing: the content decides
        export.write_text("title,url,time_added,cursor,tags,status\n" + "".join(
            f"Story {p[1:]},{server.url(p)},1714557600,c,pocket|news,unread\n"
            for p in PATHS) + "No link,,1714557600,c,,unread\n")
        app = make_app([], settings=Settings(), library=library)
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.press("S")
            screen = app.screen
            assert isinstance(screen, LibraryScreen)
            await pilot.press("i")
            await wait_until(pilot, lambda: isinstance(app.screen, LineEditor))
            app.screen.query_one("#line-input").value = str(export)  # type: ignore[attr-defined]
            await pilot.press("enter")
            await wait_drawn(pilot, "fetching imported links 1/3")
            bar = screen.query_one("#import-progress", ProgressBar)
            assert shows(bar) and bar.total == len(PATHS)
            await wait_drawn(pilot, "fetched 3 links", timeout=120)
            await wait_until(pilot, lambda: not bar.display and len(screen.rows) == 3
                             and not any(r.link_only for r in screen.rows))
            frame = await wait_drawn(pilot, "Imported story one")
            assert "link only" not in frame
    assert sorted(server.hits) == sorted(PATHS) and set(server.hits.values()) == {1}
    with store.opened(library) as db:
        assert all(r.tags == ("news", "pocket") for r in store.list_articles(db).rows)


async def test_links_left_unfetched_are_offered_and_fetched_with_shift_f(tmp_path: Path) -> None:
    from reader.library.importers import read_export
    from reader.library.importing import import_parsed
    from reader.models import Annotated

    library = tmp_path / "library.sqlite3"
    pages = {p: article_page(f"Imported story {p[1:]}") for p in PATHS[:2]}
    with LinkServer(pages) as server:
        data = ("title,url,time_added,cursor,tags,status\n" + "".join(
            f"Story {p[1:]},{server.url(p)},1714557600,c,,unread\n" for p in PATHS[:2]))
        with store.opened(library) as db:
            import_parsed(db, read_export(data.encode()),
                          analyse=lambda arts: [Annotated(a) for a in arts])
        app = make_app([], settings=Settings(), library=library)
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.press("S")
            await wait_drawn(pilot, "2 links to fetch: F", "link only, not fetched")
            await pilot.press("F")
            await wait_drawn(pilot, "fetched 2 links", timeout=120)
            frame = await wait_drawn(pilot, "Imported story two")
            assert "link only" not in frame and "to fetch" not in frame
    assert set(server.hits.values()) == {1}
