"""The library screen (``S``) and the cross-library lookup (``i``).

Every query runs in a thread worker with its own connection; the worker posts the rows
as a message and they are shown as ``Text`` built from them, never as markup.

``i`` imports a file (another service's export or the reader's JSON); the links it
brought without their text are then fetched in a thread worker, one at a time with the
usual caps, under a progress bar. ``F`` goes on fetching after an interruption (closing
the screen stops the fetch between two requests); no link is fetched twice.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Footer, Input, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from reader.display_dates import display_date
from reader.errors import Cancelled
from reader.fetch_control import Cancel
from reader.library import importing, store
from reader.library import search as library_search
from reader.models import Annotated, Article
from reader.sources import Source
from reader.textutil import clean_inline, plural
from reader.tui.messages import Notice, OpenSources
from reader.tui.screens.base import BaseModal, BaseScreen
from reader.tui.screens.dialogs import ConfirmDialog, LineEditor

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
    if row.link_only:
        meta.append("link only, not fetched")
    if row.archived:
        meta.append("archived")
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
        Binding("i", "import_file", "Import", id="library.import"),
        Binding("F", "fetch_links", "Fetch links", show=False, id="library.fetch_links"),
    ]

    def __init__(self, library: Path | None) -> None:
        super().__init__(id="library-screen")
        self.library = library
        self.rows: list[store.ArticleSummary] = []
        self.sort = 0
        self.query_text = ""
        self.total = 0
        self.waiting_links = 0
        self.fetching = False
        self.fetch_note = ""
        """The last fetch's outcome, kept in the status line until the next one."""
        self.cancel = Cancel()

    def compose(self) -> ComposeResult:
        yield Static(Text("Library"), id="library-status", markup=False)
        yield Input(placeholder="search: words, \"a phrase\", tag:x, speaker:name",
                    id="library-search")
        yield LibraryList(id="library-list")
        yield ProgressBar(id="import-progress", show_eta=False)
        yield Footer()

    @property
    def listing(self) -> LibraryList:
        return self.query_one(LibraryList)

    def on_mount(self) -> None:
        self.query_one("#import-progress", ProgressBar).display = False
        self.load("")
        self.listing.focus()

    def on_unmount(self) -> None:
        self.cancel.cancel()

    def on_screen_resume(self) -> None:
        self.load(self.query_text)

    @dataclass
    class Rows(Message):
        query: str
        rows: list[store.ArticleSummary]
        total: int
        offset: int
        waiting_links: int = 0

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
        self.post_message(self.Rows(query, rows, total, offset,
                                    importing.waiting_links(connection)))

    @on(Rows)
    def _rows(self, message: Rows) -> None:
        self.waiting_links = message.waiting_links
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
        self.show_status()

    def show_status(self) -> None:
        query = self.query_text
        what = f"{plural(len(self.rows), 'match', 'matches')} for {query!r}" \
            if query.strip() else plural(self.total, "saved article")
        line = f"{what} · sorted by {SORTS[self.sort][1]} · / search · o sort"
        if self.fetching:
            return  # the fetch's progress holds the line
        if self.waiting_links:
            line += f" · {plural(self.waiting_links, 'link')} to fetch: F"
        if self.fetch_note:
            line += f" · {self.fetch_note}"
        self.query_one("#library-status", Static).update(Text(line))

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


    # ------------------------------------------------------------------ imports

    @dataclass
    class Imported(Message):
        name: str
        summary: str
        problems: list[str]
        waiting_links: int

    @dataclass
    class FetchStep(Message):
        step: importing.FetchProgress

    @dataclass
    class Fetched(Message):
        report: importing.FetchReport | None

    def action_import_file(self) -> None:
        def chosen(path: str | None) -> None:
            if path and path.strip():
                self.query_one("#library-status", Static).update(
                    Text(f"importing {clean_inline(path.strip())}…"))
                self.import_file(path.strip())

        self.app.push_screen(LineEditor(
            "Import a file: Pocket, Omnivore, wallabag, Instapaper, bookmarks or reader JSON",
            placeholder="path to the export file"), chosen)

    @work(thread=True, exclusive=True, group="library-import", exit_on_error=False)
    def import_file(self, path: str) -> None:
        """Read, recognise and store one export; its links are fetched afterwards."""
        from reader.localfile import read_regular

        name = str(Path(path).expanduser())
        data = read_regular(name, importing.IMPORT_CAP)
        with store.opened(self.library) as connection:
            report = importing.import_data(connection, data, name, analyse=analyse_isolated)
            waiting = importing.waiting_links(connection)
            self._post_rows(connection, self.query_text, 0)
        self.post_message(self.Imported(name, report.summary(with_format=True),
                                        report.problems, waiting))

    @on(Imported)
    def _imported(self, message: Imported) -> None:
        text = f"{Path(message.name).name}: {message.summary}"
        if message.problems:
            text += "\n" + "\n".join(message.problems[:3])
            if len(message.problems) > 3:
                text += f"\n… and {len(message.problems) - 3} more"
        self.notify(text, title="Import", timeout=8, markup=False,
                    severity="warning" if message.problems else "information")
        self.fetch_note = clean_inline(message.summary)
        self.show_status()
        if message.waiting_links:
            self.action_fetch_links()

    def action_fetch_links(self) -> None:
        if self.fetching:
            return
        self.fetching = True
        self.cancel = Cancel()
        bar = self.query_one("#import-progress", ProgressBar)
        bar.update(total=None, progress=0)
        bar.display = True
        self.query_one("#library-status", Static).update(Text("fetching imported links…"))
        self.fetch_links(self.cancel)

    @work(thread=True, exclusive=True, group="library-fetch", exit_on_error=False)
    def fetch_links(self, cancel: Cancel) -> None:
        """Fetch the imported links; the screen hears of every step and of the end,
        even when the fetch fails (the app's worker funnel reports the failure)."""
        def progress(step: importing.FetchProgress) -> None:
            self.post_message(self.FetchStep(step))

        report: importing.FetchReport | None = None
        try:
            report = importing.fetch_links(
                self.library, transport=getattr(self.app, "transport", None), cancel=cancel,
                analyse=analyse_isolated, progress=progress)
        except Cancelled:
            pass
        finally:
            self.post_message(self.Fetched(report))

    @on(FetchStep)
    def _fetch_step(self, message: FetchStep) -> None:
        step = message.step
        self.query_one("#import-progress", ProgressBar).update(total=step.total,
                                                               progress=step.done)
        verb = "fetching" if step.starting else "fetched"
        self.query_one("#library-status", Static).update(
            Text(f"fetching imported links {step.done}/{step.total} · {verb} "
                 f"{clean_inline(step.url)}"))

    @on(Fetched)
    def _fetched(self, message: Fetched) -> None:
        self.fetching = False
        self.query_one("#import-progress", ProgressBar).display = False
        report = message.report
        if report is not None:
            text = f"fetched {plural(report.fetched, 'link')}"
            if report.failed:
                text += f", {report.failed} could not be fetched"
            if report.highlights:
                text += f"; {report.anchored} of {plural(report.highlights, 'highlight')} " \
                        "anchored"
            self.fetch_note = text
            self.notify(text, title="Import", timeout=5, markup=False)
        self.load(self.query_text)


def analyse_isolated(articles: Sequence[Article]) -> list[Annotated]:
    """Imported articles are analysed in the reader's analysis processes, not the UI's."""
    from reader.analysis import pool

    return [pool.annotate_isolated(article) for article in articles]


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
