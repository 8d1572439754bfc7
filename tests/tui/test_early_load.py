"""The first article's load, started by the CLI before the UI (``EarlyLoad``), is adopted
by the reading screen: shown without a second load, and its failure reported as any
load's."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from textual.widget import Widget
from textual.widgets import Static

from reader.config import Settings
from reader.fetch import FetchLimits
from reader.sources import Source, start_loading
from reader.tui.app import ReaderApp, make_app
from reader.tui.widgets.article_view import ArticleView
from reader.tui.widgets.panels import NotesPanel
from tests.tui.helpers import wait_drawn, wait_until

T = TypeVar("T")

TEXT = ("Harbour pilots vote to strike\n\n"
        "Pilots at the Calder Bay harbour voted on Tuesday to walk out next week, the union "
        "said, after talks on night shifts broke down.\n\n"
        "The port authority said it would keep the channel open with relief crews.\n")


@pytest.fixture
def article_file(tmp_path: Path) -> Path:
    path = tmp_path / "pilots.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


async def test_the_early_load_is_shown_without_loading_again(
        article_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = Source("file", str(article_file))
    early = start_loading(source, library=tmp_path / "library.db", limits=FetchLimits(),
                          stdin=None)
    early.result.result(timeout=10)  # as when it finishes while Textual imports
    app = make_app([source], settings=Settings(), library=tmp_path / "library.db",
                   early=early)
    loads: list[Source] = []
    monkeypatch.setattr("reader.tui.screens.reader.load",
                        lambda source, **_: loads.append(source))
    loading_lines: list[Widget] = []
    real_loading_widget = app.get_loading_widget

    def counted() -> Widget:
        loading_lines.append(real_loading_widget())
        return loading_lines[-1]

    monkeypatch.setattr(app, "get_loading_widget", counted)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_drawn(pilot, "Harbour pilots vote to strike", "relief crews")
        # Arrived before the screen: no waiting state, no loading line mounted and gone.
        assert loading_lines == []
        view = app.reader.query_one(ArticleView)
        assert view.article is not None and view.article.title == "Harbour pilots vote to strike"
        assert not view.loading
        assert loads == []  # adopted: the screen never loaded the file itself
    assert not (tmp_path / "library.db").exists()  # looking up a saved copy made no library


async def test_an_early_load_still_running_is_waited_for(
        article_file: Path, tmp_path: Path) -> None:
    source = Source("file", str(article_file))
    early = start_loading(source, library=None, limits=FetchLimits(), stdin=None)
    app = make_app([source], settings=Settings(), early=early)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_drawn(pilot, "Harbour pilots vote to strike")
        assert early.result.done()


async def test_a_failed_early_load_is_reported_like_any_load(tmp_path: Path) -> None:
    source = Source("file", str(tmp_path / "missing.txt"))
    early = start_loading(source, library=None, limits=FetchLimits(), stdin=None)
    app = make_app([source], settings=Settings(), early=early)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: "could not open" in str(
            app.reader.query_one("#status", Static).render()))
        await wait_drawn(pilot, "could not open")
        assert app.is_running
        assert app.reader.query_one(ArticleView).article is None


@pytest.mark.parametrize("first", ["analysis", "copy"])
async def test_the_library_copy_is_looked_up_after_the_article_is_drawn(
        article_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        first: str) -> None:
    """With a library, the early load does not look up a saved copy (that imports the
    library store and queries it beside the first frame): the screen does, once the
    article is drawn, and then the saved highlight and note show and the analysis is
    compared with the saved one (saved without any here), as for any load, whichever of
    the copy and the analysis comes first."""
    from reader.library import store
    from reader.models import Annotated, Highlight
    from reader.sources import load

    library = tmp_path / "library.db"
    article = load(Source("file", str(article_file))).article
    start = article.text.index("voted on Tuesday")
    note = Highlight(start, start + len("voted on Tuesday"), note="Check the vote count")
    with store.opened(library) as connection:
        store.save(connection, Annotated(article, highlights=(note,)))
    source = Source("file", str(article_file))
    early = start_loading(source, library=library, limits=FetchLimits(), stdin=None)
    assert early.result.result(timeout=10).saved is None  # not looked up in the early load
    app = make_app([source], settings=Settings(), library=library, early=early)
    _one_after_the_other(monkeypatch, app, first)
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_drawn(pilot, "Harbour pilots vote to strike", "Check the vote count")
        screen = app.reader
        assert screen.saved is not None and screen.saved.annotated.article.url == article.url
        assert screen.loaded is not None and screen.loaded.saved is screen.saved
        assert [(h.start, h.end) for h in screen.query_one(NotesPanel).highlights] == [
            (note.start, note.end)]
        await wait_until(pilot, lambda: screen.analysis_state == "analysed" and any(
            "changed since you saved it" in n.message for n in app._notifications))
        changed = [n.message for n in app._notifications if "changed since" in n.message]
        assert len(changed) == 1 and "facts added" in changed[0]


def _one_after_the_other(monkeypatch: pytest.MonkeyPatch, app: ReaderApp, first: str) -> None:
    """Hold the library lookup until the analysis is on screen, or the analysis until the
    library's copy is (threads, so a short poll is fine)."""
    import time

    from reader.analysis import pool
    from reader.sources import saved_copy

    def after(condition: Callable[[], bool], call: Callable[..., T]) -> Callable[..., T]:
        def held(*args: object) -> T:
            deadline = time.monotonic() + 60
            while not condition() and time.monotonic() < deadline:
                time.sleep(0.02)
            return call(*args)
        return held

    if first == "analysis":
        monkeypatch.setattr("reader.tui.screens.reader.saved_copy", after(
            lambda: app.reader.analysis_state == "analysed", saved_copy))
    else:
        monkeypatch.setattr(pool, "annotate_isolated", after(
            lambda: app.reader.saved is not None, pool.annotate_isolated))
