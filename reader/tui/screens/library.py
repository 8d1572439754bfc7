"""The library screen (``S``), the cross-library lookup (``i``) and the small editors
for notes, tags and exports.

Every query runs in a thread with its own connection; results come back as plain data
and are shown as ``Text`` built from it, never as markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from reader.library import search as library_search
from reader.library import store
from reader.textutil import clean_inline, plural

SORTS = (("saved", "saved"), ("published", "published"), ("title", "title"))
PAGE = 100
"""Rows fetched at a time; more arrive as the cursor reaches the end of the list."""


@dataclass
class OpenSaved(Message):
    """Read these saved articles in the reader, starting with ``index``."""

    article_ids: list[int]
    index: int


def summary_label(row: store.ArticleSummary) -> Text:
    label = Text(clean_inline(row.title or "(untitled)"), style="bold")
    meta = [clean_inline(part) for part in (row.site, row.published) if part]
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
    ]


class LibraryScreen(Screen[None]):
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

    @work(thread=True, exclusive=True, group="library", exit_on_error=False)
    def load(self, query: str, offset: int = 0) -> None:
        with store.opened(self.library) as connection:
            if query.strip():
                rows = [hit.summary for hit in library_search.search(connection, query)]
                total = len(rows)
            else:
                page = store.list_articles(connection, limit=PAGE, offset=offset)
                rows, total = list(page.rows), page.total
        if offset:
            self.app.call_from_thread(self.append_rows, rows)
        else:
            self.app.call_from_thread(self.show_rows, query, rows, total)

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
        self.post_message(OpenSaved([r.id for r in self.rows], event.option_index))

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
        index = self.listing.highlighted
        if index is None or index >= len(self.rows):
            return
        row = self.rows[index]
        with store.opened(self.library) as connection:
            store.delete(connection, row.id)
        self.app.notify(f"deleted {clean_inline(row.title)}", timeout=3, markup=False)
        self.load(self.query_text)


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


class LookupScreen(ModalScreen[int | None]):
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


class NoteEditor(ModalScreen[str | None]):
    """A small editor for a highlight's note; ctrl+s keeps it, escape cancels."""

    BINDINGS = [
        Binding("ctrl+s", "keep", "Keep note", id="note.keep"),
        Binding("escape", "dismiss(None)", "Cancel", id="note.cancel"),
    ]

    def __init__(self, quoted: str, note: str = "") -> None:
        super().__init__(classes="picker")
        self.quoted = quoted
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(classes="picker-box"):
            yield Static(Text(f"Note on “{clean_inline(self.quoted)[:160]}”", style="bold"),
                         classes="picker-title", markup=False)
            yield TextArea(self.note, id="note-text")
            yield Static(Text("ctrl+s keep · escape cancel", style="dim"), markup=False)

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def action_keep(self) -> None:
        self.dismiss(self.query_one(TextArea).text.strip())


class LineEditor(ModalScreen[str | None]):
    """One line of input (tags, an export path); enter keeps it, escape cancels."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="line.cancel")]

    def __init__(self, title: str, value: str = "", placeholder: str = "") -> None:
        super().__init__(classes="picker")
        self.title_text = title
        self.value = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="picker-box"):
            yield Static(Text(self.title_text, style="bold"), classes="picker-title",
                         markup=False)
            yield Input(self.value, placeholder=self.placeholder, id="line-input")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

