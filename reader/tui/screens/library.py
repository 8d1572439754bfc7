"""The library screen (``S``) and the cross-library lookup (``i``).

Every query runs in a thread worker with its own connection; the worker posts the rows
as a message and they are shown as ``Text`` built from them, never as markup.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from reader.analysis.dates import display_date
from reader.library import search as library_search
from reader.library import store
from reader.sources import Source
from reader.textutil import clean_inline, plural
from reader.tui.messages import Notice, OpenSources
from reader.tui.screens.base import BaseModal, BaseScreen
from reader.tui.screens.dialogs import ConfirmDialog

SORTS = (("saved", "saved"), ("published", "published"), ("title", "title"))
PAGE = 100
"""Rows fetched at a time; more arrive as the cursor reaches the end of the list."""


def summary_label(row: store.ArticleSummary) -> Text:
    label = Text(clean_inline(row.title or "(untitled)"), style="bold")
    published = display_date(row.published) if row.published else None
    meta = [clean_inline(part) for part in (row.site, published) if part]
    meta.append(f"saved {row.saved[:10]}")
    if row.highlights:
        meta.append(plural(row.highlights, "highlight"))
    label.append("\n  " + " · ".join(meta), style="dim")
    if row.tags:
        label.append("  " + " ".join(f"#{clean_inline(t)}" for t in row.tags), style="italic")
    return label


class LibraryList(OptionList):
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="library.down"),
        Binding("k", "cursor_up", "Up", show=False, id="library.up"),
        Binding("g", "first", "First", show=False, id="library.first"),
        Binding("G", "last", "Last", show=False, id="library.last"),
    ]


class LibraryScreen(BaseScreen[None]):
    """Saved articles; typing after ``/`` searches the whole library as you type."""

    BINDINGS = [
        Binding("escape,q", "close", "Back", id="library.close"),
        Binding("slash", "search", "Search", key_display="/", id="library.search"),
        Binding("o", "sort", "Sort", id="library.sort"),
        Binding("d", "delete", "Delete", id="library.delete"),
    ]

    def __init__(self, library: Path | None) -> None:
        super().__init__(id="library-screen")
        self.library = library
        self.rows: list[store.ArticleSummary] = []
        self.sort = 0
        self.query_text = ""
        self.total = 0

    def compose(self) -> ComposeResult:
        yield Static(Text("Library"), id="library-status", markup=False)
        yield Input(placeholder="search: words, \"a phrase\", tag:x, speaker:name",
                    id="library-search")
        yield LibraryList(id="library-list")
        yield Footer()

    @property
    def listing(self) -> LibraryList:
        return self.query_one(LibraryList)

    def on_mount(self) -> None:
        self.load("")
        self.listing.focus()

    def on_screen_resume(self) -> None:
        self.load(self.query_text)

    @dataclass
    class Rows(Message):
        query: str
        rows: list[store.ArticleSummary]
        total: int
        offset: int

    @work(thread=True, exclusive=True, group="library-read", exit_on_error=False)
    def load(self, query: str, offset: int = 0) -> None:
        with store.opened(self.library) as connection:
            self._post_rows(connection, query, offset)

    def _post_rows(self, connection: sqlite3.Connection, query: str, offset: int) -> None:
        """(In a worker thread) read the rows for ``query`` and send them to the screen."""
        if query.strip():
            rows = [hit.summary for hit in library_search.search(connection, query)]
            total = len(rows)
        else:
            page = store.list_articles(connection, limit=PAGE, offset=offset)
            rows, total = list(page.rows), page.total
        self.post_message(self.Rows(query, rows, total, offset))

    @on(Rows)
    def _rows(self, message: Rows) -> None:
        if message.offset:
            self.append_rows(message.rows)
        else:
            self.show_rows(message.query, message.rows, message.total)

    def append_rows(self, rows: list[store.ArticleSummary]) -> None:
        known = {r.id for r in self.rows}
        fresh = [r for r in rows if r.id not in known]
        self.rows += fresh
        self.listing.add_options([Option(summary_label(r), id=str(r.id)) for r in fresh])

    @on(OptionList.OptionHighlighted, "#library-list")
    def _near_end(self, event: OptionList.OptionHighlighted) -> None:
        at_end = event.option_index >= len(self.rows) - 5
        if at_end and not self.query_text.strip() and len(self.rows) < self.total:
            self.load("", offset=len(self.rows))

    def show_rows(self, query: str, rows: list[store.ArticleSummary], total: int) -> None:
        self.query_text = query
        self.total = total
        key = SORTS[self.sort][0]
        if not query.strip() or key != "saved":
            rows = sorted(rows, key=lambda r: (getattr(r, key) or "").lower()
                          if key == "title" else getattr(r, key) or "",
                          reverse=key != "title")
        self.rows = rows
        self.listing.clear_options()
        self.listing.add_options([Option(summary_label(r), id=str(r.id)) for r in rows])
        if rows:
            self.listing.highlighted = 0
        what = f"{plural(len(rows), 'match', 'matches')} for {query!r}" if query.strip() \
            else plural(total, "saved article")
        self.query_one("#library-status", Static).update(
            Text(f"{what} · sorted by {SORTS[self.sort][1]} · / search · o sort"))

    @on(Input.Changed, "#library-search")
    def _typed(self, event: Input.Changed) -> None:
        self.load(event.value)

    @on(Input.Submitted, "#library-search")
    def _submitted(self) -> None:
        self.listing.focus()

    @on(OptionList.OptionSelected, "#library-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.post_message(OpenSources([Source("saved", str(r.id)) for r in self.rows],
                                      event.option_index))

    def action_search(self) -> None:
        self.query_one("#library-search", Input).focus()

    def action_sort(self) -> None:
        self.sort = (self.sort + 1) % len(SORTS)
        self.load(self.query_text)

    def action_close(self) -> None:
        search = self.query_one("#library-search", Input)
        if search.has_focus and search.value:
            search.value = ""
            self.listing.focus()
            return
        self.dismiss()

    def action_delete(self) -> None:
        """Ask first: an article can carry hours of highlights and notes."""
        index = self.listing.highlighted
        if index is None or index >= len(self.rows):
            return
        row = self.rows[index]
        detail = f"with {plural(row.highlights, 'highlight')}" if row.highlights else \
            "it has no highlights"

        def chosen(yes: bool | None) -> None:
            if yes:
                self.delete(row, self.query_text)

        self.app.push_screen(ConfirmDialog(f"Delete “{clean_inline(row.title)}”?",
                                           detail), chosen)

    # Not in the reads' group: a new read (the screen resumes when the dialog closes)
    # cancels the reads, and must not cancel a delete before it starts.
    @work(thread=True, group="library", exit_on_error=False)
    def delete(self, row: store.ArticleSummary, query: str) -> None:
        with store.opened(self.library) as connection:
            store.delete(connection, row.id)
            self._post_rows(connection, query, 0)
        self.post_message(Notice(f"deleted {clean_inline(row.title)}", timeout=3))


@dataclass(frozen=True)
class Lookup:
    """What the library knows about a person or body (``i``)."""

    name: str
    articles: tuple[library_search.EntityHit, ...]
    quotes: tuple[library_search.QuoteHit, ...]


def lookup(library: Path | None, names: list[str], exclude: int | None) -> Lookup:
    with store.opened(library) as connection:
        articles = library_search.articles_mentioning(connection, names, exclude=exclude)
        quotes = library_search.quotes_by_speaker(connection, names, exclude=exclude)
    return Lookup(names[0], tuple(articles), tuple(quotes))


class LookupScreen(BaseModal[int | None]):
    """Saved articles naming someone and their quotes elsewhere; enter opens one."""

    BINDINGS = [Binding("escape,q", "dismiss(None)", "Close", id="lookup.close")]

    def __init__(self, found: Lookup) -> None:
        super().__init__(classes="picker")
        self.found = found

    def compose(self) -> ComposeResult:
        options: list[Option | None] = []
        if self.found.articles:
            options.append(Option(Text("Saved articles naming them", style="bold underline"),
                                  disabled=True))
            for hit in self.found.articles:
                label = Text(clean_inline(hit.summary.title))
                label.append(f"  {hit.mentions} mentions", style="dim")
                options.append(Option(label, id=f"a{hit.summary.id}"))
        if self.found.quotes:
            options.append(Option(Text("Their quotes in the library", style="bold underline"),
                                  disabled=True))
            for number, quote in enumerate(self.found.quotes):
                label = Text(f"“{clean_inline(quote.text)}”", style="italic")
                label.append(f"\n  {clean_inline(quote.title)}", style="dim")
                options.append(Option(label, id=f"q{number}-{quote.article_id}"))
        with Vertical(classes="picker-box"):
            yield Static(Text(f"In the library: {self.found.name}", style="bold"),
                         classes="picker-title", markup=False)
            if options:
                yield LibraryList(*options)
            else:
                yield Static(Text("nothing else in the library names them", style="dim"),
                             markup=False)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int((event.option.id or "a0").rsplit("-", 1)[-1].lstrip("a")))
