"""Saving, highlights, notes, tags, export, the library screen and lookups (Pilot)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from reader.config import Settings
from reader.library import store
from reader.sources import Source, demo_sources
from reader.tui.app import ReaderApp, make_app
from reader.tui.screens.library import LibraryScreen, LineEditor, LookupScreen, NoteEditor
from reader.tui.widgets.article_view import USER_HIGHLIGHT
from reader.tui.widgets.panels import EntitiesPanel, NotesPanel
from tests.tui.helpers import wait_analysed, wait_until


@pytest.fixture
def library(tmp_path: Path) -> Path:
    return tmp_path / "library.sqlite3"


def demo_app(library: Path) -> ReaderApp:
    return make_app(demo_sources()[:1], settings=Settings(), library=library)


def saved_rows(library: Path) -> list[store.ArticleSummary]:
    with store.opened(library) as connection:
        return list(store.list_articles(connection).rows)


async def test_save_select_highlight_note_and_tags(library: Path, tmp_path: Path) -> None:
    app = demo_app(library)
    async with app.run_test(size=(200, 60)) as pilot:
        await wait_analysed(pilot)
        await pilot.press("s")
        await wait_until(pilot, lambda: app.saved is not None)
        assert [r.title for r in saved_rows(library)] == [app.article.title]  # type: ignore[union-attr]
        view = app.article_view
        await pilot.press("v", "j")
        first, last = view.selection  # type: ignore[misc]
        assert (first, last) == (0, 1)
        expected = app.article.text[view.sentences[0][0]:view.sentences[1][1]]  # type: ignore[union-attr]
        await pilot.press("h")
        notes = app.query_one(NotesPanel)
        await wait_until(pilot, lambda: len(notes.highlights) == 1)
        assert notes.highlights[0].text == expected
        assert view.selection is None
        assert any(style == USER_HIGHLIGHT for style in
                   (m[2] for i in range(3) for m in view.block_layers(i)[0]))
        await pilot.press("a")
        assert isinstance(app.screen, NoteEditor)
        await pilot.press(*"why now?", "ctrl+s")
        await wait_until(pilot, lambda: len(notes.highlights) == 2)
        assert any(h.note == "why now?" for h in notes.highlights)
        await pilot.press("number_sign")
        assert isinstance(app.screen, LineEditor)
        await pilot.press(*"ports strike", "enter")
        await wait_until(pilot, lambda: app.saved is not None and app.saved.tags != ())
        assert set(app.saved.tags) == {"ports", "strike"}  # type: ignore[union-attr]
        await pilot.press("5")
        assert notes.option_list.has_focus
        await pilot.press("d")
        await wait_until(pilot, lambda: len(notes.highlights) == 1)
        out = tmp_path / "out" / "strike.md"
        await pilot.press("x")
        assert isinstance(app.screen, LineEditor)
        editor = app.screen.query_one("#line-input")
        editor.value = str(out)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await wait_until(pilot, lambda: out.exists())
        text = out.read_text(encoding="utf-8")
        assert text.startswith("---\n") and "tags:" in text and "==" in text


async def test_library_screen_searches_and_opens_offline(library: Path) -> None:
    app = demo_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_analysed(pilot)
        await pilot.press("s")
        await wait_until(pilot, lambda: app.saved is not None)
        await pilot.press("S")
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        await wait_until(pilot, lambda: len(screen.rows) == 1)
        await pilot.press("slash", *"okafor")
        await wait_until(pilot, lambda: screen.query_text == "okafor")
        assert len(screen.rows) == 1
        await pilot.press("slash")
        screen.query_one("#library-search").value = "zebra"  # type: ignore[attr-defined]
        await wait_until(pilot, lambda: screen.query_text == "zebra")
        assert screen.rows == []
        screen.query_one("#library-search").value = ""  # type: ignore[attr-defined]
        await wait_until(pilot, lambda: len(screen.rows) == 1)
        screen.listing.focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.current_source.kind == "saved"
                         and app.analysis_state == "analysed")
        assert app.annotated is not None and app.annotated.quotes


async def test_lookup_lists_other_articles_and_quotes(library: Path, tmp_path: Path) -> None:
    first = tmp_path / "a.txt"
    first.write_text("Mayor backs trams\n\nMayor Lena Ortiz said the trams would run by "
                     "May.\n\n\"We are ready,\" Ortiz said.", encoding="utf-8")
    second = tmp_path / "b.txt"
    second.write_text("Budget agreed\n\nLena Ortiz presented the budget on Monday.\n\n"
                      "\"It balances,\" said Ortiz.", encoding="utf-8")
    app = make_app([Source("file", str(first)), Source("file", str(second))],
                   settings=Settings(), library=library)
    async with app.run_test(size=(200, 60)) as pilot:
        await wait_analysed(pilot)
        await pilot.press("s")
        await wait_until(pilot, lambda: app.saved is not None)
        await pilot.press("J")
        await wait_until(pilot, lambda: app.index == 1 and app.analysis_state == "analysed")
        panel = app.query_one(EntitiesPanel)
        await pilot.press("3")
        assert panel.option_list.has_focus
        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(app.screen, LookupScreen))
        found = app.screen.found  # type: ignore[attr-defined]
        assert [hit.summary.title for hit in found.articles] == ["Mayor backs trams"]
        assert [quote.text.rstrip(",") for quote in found.quotes] == ["We are ready"]
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.article is not None
                         and app.article.title == "Mayor backs trams")


async def test_refetch_of_a_saved_article_shows_what_changed(library: Path) -> None:
    url = "https://news.example/tram"
    version = {"n": 1}

    def page() -> bytes:
        extra = ("<p>Late on Tuesday the council added that the first trams would carry "
                 "passengers from June, a month earlier than planned.</p>"
                 if version["n"] == 2 else "")
        return (f"<html><head><title>Tram line approved</title></head><body><article>"
                f"<h1>Tram line approved</h1><p>The city council of Westport approved a new "
                f"tram line on Tuesday after a long debate, with twelve votes in favour and "
                f"three against.</p>{extra}</article></body></html>").encode()

    transport = httpx.MockTransport(lambda r: httpx.Response(
        200, headers={"content-type": "text/html"}, content=page()))
    app = make_app([Source("url", url)], settings=Settings(), library=library,
                   transport=transport)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_analysed(pilot)
        await pilot.press("s")
        await wait_until(pilot, lambda: app.saved is not None)
        version["n"] = 2
        await pilot.press("r")
        await wait_until(pilot, lambda: any("changed since you saved it" in n.message
                                            for n in app._notifications))
        message = next(n.message for n in app._notifications if "changed since" in n.message)
        assert "1 paragraph added" in message
        from reader.tui.screens.changes import ChangesScreen

        await wait_until(pilot, lambda: isinstance(app.screen, ChangesScreen))
        shown = str(app.screen.query_one("#changes-text").render())
        assert "+ Late on Tuesday the council added" in shown


async def test_library_screen_pages_in_more_rows(library: Path) -> None:
    from reader.models import Annotated, Article, Block

    with store.opened(library) as connection:
        for n in range(130):
            text = f"Story number {n} about the harbour."
            store.save(connection, Annotated(Article(
                text=text, title=f"Story {n}", url=f"https://news.example/{n}",
                blocks=(Block("paragraph", 0, len(text)),))))
    app = demo_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("S")
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        await wait_until(pilot, lambda: len(screen.rows) == 100)
        assert screen.total == 130
        screen.listing.highlighted = 99
        await wait_until(pilot, lambda: len(screen.rows) == 130)
        assert len({r.id for r in screen.rows}) == 130


async def test_saving_keeps_the_fetch_time_and_the_page(library: Path) -> None:
    app = demo_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_analysed(pilot)
        await pilot.press("s")
        await wait_until(pilot, lambda: app.saved is not None)
        assert app.saved is not None
        assert app.saved.summary.fetched and app.saved.has_source
    with store.opened(library) as connection:
        source = store.source_of(connection, saved_rows(library)[0].id)
    assert source is not None and source[0].startswith(b"Dockworkers strike")
