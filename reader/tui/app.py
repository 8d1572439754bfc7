"""The reader application: the article in the middle and three panels beside it.

Fetching runs in an async worker (a new load cancels the old one, escape cancels it);
extraction and analysis run in threads, so the screen keeps answering keys while lxml and
spaCy work. Results come back through worker state changes, tagged with a generation
number so a slow result for an article the reader has already left is dropped.
"""

from __future__ import annotations

import asyncio
import os
import shlex
import sqlite3
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import httpx
from rich.text import Text
from textual import events, on, work
from textual.app import App, ComposeResult, SuspendNotSupported, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerState

from reader import paths
from reader.analysis import pool
from reader.config import Settings, load_config
from reader.errors import ReaderError
from reader.library import diff as library_diff
from reader.library import export, store
from reader.library.store import SavedArticle, SavedHighlight
from reader.models import Annotated, Article, now_iso
from reader.sources import (
    Source,
    article_from_bytes,
    load_local,
    load_url,
    read_local,
)
from reader.state import load_state, save_state
from reader.textutil import clean_inline
from reader.tui.commands import palette_commands
from reader.tui.messages import JumpTo, Span
from reader.tui.screens.changes import ChangesScreen
from reader.tui.screens.debug import ExtractionScreen
from reader.tui.screens.feeds import FeedsScreen, OpenItems
from reader.tui.screens.help import HelpScreen
from reader.tui.screens.library import (
    LibraryScreen,
    LineEditor,
    LookupScreen,
    NoteEditor,
    OpenSaved,
    lookup,
)
from reader.tui.screens.pickers import ArticleListScreen, LinksScreen
from reader.tui.widgets.article_view import ArticleScrolled, ArticleView, analysis_marks
from reader.tui.widgets.find_bar import FindBar, find_all
from reader.tui.widgets.panels import (
    EntitiesPanel,
    FactsPanel,
    NotesPanel,
    Panel,
    QuotesPanel,
)

WIDE = 140
ZEN_COLUMNS = 80
MEDIUM = 100
THEMES = ("textual-dark", "nord", "gruvbox", "tokyo-night", "dracula", "monokai",
          "textual-light", "solarized-light")
PANE_NAMES = ("article", "quotes", "entities", "facts", "notes")
CONFIG_TEMPLATE = """\
# reader settings. Keys are rebound by binding id, e.g.:
# [keys]
# "app.next_article" = "ctrl+n"

[reader]
# theme = "nord"
# timeout = 20
# max_megabytes = 15

[keys]
"""


def styles_dir() -> Path:
    """The .tcss folder: inside the installed package, or beside it in a checkout."""
    package = Path(__file__).resolve().parents[1]
    for candidate in (package / "styles", package.parent / "styles"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("reader styles folder not found")


@dataclass(frozen=True)
class Loaded:
    generation: int
    article: Article
    saved: SavedArticle | None = None
    """The library's copy: the article itself (opened from the library) or an older
    version of it (same canonical URL), to compare with."""
    from_library: bool = False


@dataclass(frozen=True)
class Analysed:
    generation: int
    annotated: Annotated


def layout_for(width: int) -> str:
    if width >= WIDE:
        return "wide"
    return "medium" if width >= MEDIUM else "narrow"


class ReaderApp(App[int]):
    """Read articles beside their quotes, entities and key facts."""

    TITLE = "reader"
    CSS_PATH = [str(p) for p in sorted(styles_dir().glob("*.tcss"))]
    BINDINGS = [
        Binding("q", "back_or_quit", "Quit", id="app.back"),
        Binding("Q", "quit", "Quit now", show=False, id="app.quit"),
        Binding("question_mark", "help", "Keys", key_display="?", id="app.help"),
        Binding("tab", "cycle_pane(1)", "Next pane", show=False, priority=True,
                id="app.next_pane"),
        Binding("shift+tab", "cycle_pane(-1)", "Previous pane", show=False, priority=True,
                id="app.previous_pane"),
        *[Binding(str(n), f"show_pane({n - 1})", f"{PANE_NAMES[n - 1].title()}", show=False,
                  id=f"app.pane_{n}") for n in range(1, len(PANE_NAMES) + 1)],
        Binding("slash", "find", "Find", key_display="/", id="app.find"),
        Binding("n", "next_span", "Next", id="app.next_span"),
        Binding("N", "previous_span", "Previous", show=False, id="app.previous_span"),
        Binding("J", "next_article", "Next article", show=False, id="app.next_article"),
        Binding("K", "previous_article", "Previous article", show=False,
                id="app.previous_article"),
        Binding("backspace", "article_list", "Articles", show=False, id="app.article_list"),
        Binding("H", "history(-1)", "Back", show=False, id="app.history_back"),
        Binding("L", "history(1)", "Forward", show=False, id="app.history_forward"),
        Binding("u", "links", "Links", id="app.links"),
        Binding("o", "open_browser", "Browser", show=False, id="app.open_browser"),
        Binding("y", "copy", "Copy", show=False, id="app.copy"),
        Binding("backslash", "toggle_side", "Panels", key_display="\\", id="app.toggle_side"),
        Binding("z", "zen", "Zen", id="app.zen"),
        Binding("t", "cycle_theme", "Theme", show=False, id="app.theme"),
        Binding("e", "toggle_entity_marks", "Entity marks", show=False, id="app.entity_marks"),
        Binding("r", "reload", "Reload", show=False, id="app.reload"),
        Binding("E", "edit_config", "Edit config", show=False, id="app.edit_config"),
        Binding("X", "extraction_report", "Extraction report", show=False,
                id="app.extraction_report"),
        Binding("s", "save", "Save", id="app.save"),
        Binding("S", "library", "Library", id="app.library"),
        Binding("h", "highlight", "Highlight", show=False, id="app.highlight"),
        Binding("a", "note", "Note", show=False, id="app.note"),
        Binding("number_sign", "tags", "Tags", key_display="#", show=False, id="app.tags"),
        Binding("x", "export", "Export", show=False, id="app.export"),
        Binding("i", "lookup", "In the library", show=False, id="app.lookup"),
        Binding("escape", "cancel", "Cancel", show=False, id="app.cancel"),
    ]

    def __init__(self, sources: list[Source], *, settings: Settings | None = None,
                 stdin_data: bytes | None = None,
                 transport: httpx.AsyncBaseTransport | None = None,
                 library: Path | None = None) -> None:
        super().__init__()
        self.sources = sources
        self.library = library
        self.feeds_screen: FeedsScreen | None = None
        self.settings = settings or Settings()
        self.stdin_data = stdin_data
        self.transport = transport
        self.index = 0
        self.history: list[Source] = []
        self.history_pos = -1
        self.generation = 0
        self.article: Article | None = None
        self.annotated: Annotated | None = None
        self.titles: dict[Source, str] = {}
        self.analysis_state = "waiting"
        self.layout_mode = "wide"
        self.side_pane = 0
        self.entity_marks = True
        self.percent = 0
        self._spans: tuple[Span, ...] = ()
        self._span_index = 0
        self._page: tuple[bytes, str | None] | None = None
        self._fetched: str | None = None
        self.saved: SavedArticle | None = None
        self.library_screen: LibraryScreen | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text("reader"), id="status", markup=False)
        with Horizontal(id="main"):
            yield ArticleView(id="article")
            with Vertical(id="side"):
                yield Static(Text(""), id="side-tabs", markup=False)
                with Horizontal(id="panels"):
                    yield QuotesPanel(id="quotes")
                    yield EntitiesPanel(id="entities")
                    yield FactsPanel(id="facts")
                    yield NotesPanel(id="notes")
        yield FindBar(id="find")
        yield Footer()

    @property
    def article_view(self) -> ArticleView:
        return self.query_one(ArticleView)

    @property
    def panels(self) -> list[Panel]:
        return list(self.query(Panel))

    @property
    def find_bar(self) -> FindBar:
        return self.query_one(FindBar)

    def on_mount(self) -> None:
        remembered = load_state().get("theme")
        theme = remembered if isinstance(remembered, str) else self.settings.theme
        self.theme = theme if theme in self.available_themes else "textual-dark"
        self.apply_keys()
        self.find_bar.display = False
        self.apply_layout(self.size.width)
        self.article_view.focus()
        self.preload_model()
        if self.sources:
            self.open_source(self.sources[0])
        else:
            self.show_feeds()

    # ----- feeds ---------------------------------------------------------------------

    def show_feeds(self) -> None:
        """The home screen: started without a source, or back from a feed's article."""
        if self.feeds_screen is None:
            self.feeds_screen = FeedsScreen(self.library, self.transport)
        if self.screen is not self.feeds_screen:
            self.push_screen(self.feeds_screen)

    @on(OpenItems)
    def open_items(self, event: OpenItems) -> None:
        self.sources = [Source("item", str(item_id)) for item_id in event.item_ids]
        if self.screen is self.feeds_screen:
            self.pop_screen()
        self.open_source(self.sources[event.index])

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield from palette_commands(self, [b for b in self.BINDINGS if isinstance(b, Binding)])

    def apply_keys(self) -> None:
        """Rebind keys by binding id; say once what in config.toml was not usable."""
        known = _binding_ids()
        unknown = sorted(key for key in self.settings.keys if key not in known)
        keys = {k: v for k, v in self.settings.keys.items() if k not in unknown}
        if keys:
            self.set_keymap(keys)
        problems = list(self.settings.problems)
        if unknown:
            problems.append(f"unknown binding id {', '.join(unknown)} (ignored)")
        if problems:
            self.notify(clean_inline("config.toml: " + "; ".join(problems)),
                        severity="warning", markup=False, timeout=8)

    # ----- layout --------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self.apply_layout(event.size.width)

    def apply_layout(self, width: int) -> None:
        self.layout_mode = layout_for(width)
        for mode in ("wide", "medium", "narrow"):
            self.set_class(self.layout_mode == mode, f"-{mode}")
        self.show_side_pane(self.side_pane)

    def show_side_pane(self, index: int) -> None:
        """In the tabbed layouts only one panel shows; remember which."""
        self.side_pane = index
        for i, panel in enumerate(self.panels):
            panel.set_class(i == index, "-current")
        tabs = Text()
        for i, panel in enumerate(self.panels):
            if i:
                tabs.append(" │ ", style="dim")
            tabs.append(f"{i + 2} {panel.TITLE}", style="bold reverse" if i == index else "dim")
        self.query_one("#side-tabs", Static).update(tabs)

    # ----- loading -------------------------------------------------------------------

    def open_source(self, source: Source, *, record: bool = True) -> None:
        """Open ``source``; unless moving through history, it becomes the newest entry."""
        if record:
            del self.history[self.history_pos + 1:]
            self.history.append(source)
            self.history_pos = len(self.history) - 1
        if source in self.sources:
            self.index = self.sources.index(source)
        self.generation += 1
        self.article = None
        self.annotated = None
        self._spans = ()
        for panel in self.panels:
            panel.show_message("waiting for the article…")
        self.analysis_state = "waiting"
        self.article_view.loading = True
        self.update_status()
        self.load(source, self.generation)

    @property
    def current_source(self) -> Source:
        return self.history[self.history_pos]

    @work(exclusive=True, group="load", exit_on_error=False)
    async def load(self, source: Source, generation: int) -> Loaded:
        self._page = None
        self._fetched = now_iso()
        if source.kind == "saved":
            saved = await asyncio.to_thread(self._saved_article, int(source.location))
            return Loaded(generation, saved.annotated.article, saved, from_library=True)
        if source.kind == "url":
            from reader.fetch import FetchLimits, make_client

            limits = FetchLimits(timeout=self.settings.timeout,
                                 max_bytes=int(self.settings.max_megabytes * 1024 * 1024))
            async with make_client(self.transport, limits=limits) as client:
                page = await load_url(source.location, client=client, limits=limits)
            self._page = (page.content, page.url)
            article = page.article
        elif source.kind == "item":
            from reader.feed_reading import open_item

            opened = await open_item(int(source.location), library=self.library,
                                     transport=self.transport)
            if opened.warning:
                self.notify(opened.warning, severity="warning", markup=False)
            article = opened.article
        elif source.kind == "stdin" and self.stdin_data is not None:
            self._page = (self.stdin_data, None)
            article = await asyncio.to_thread(article_from_bytes, self.stdin_data,
                                              what="standard input")
        else:
            self._page = (await asyncio.to_thread(read_local, source), None)
            article = await asyncio.to_thread(load_local, source)
        older = await asyncio.to_thread(self._saved_version, article)
        return Loaded(generation, article, older)

    def _saved_article(self, article_id: int) -> SavedArticle:
        with store.opened(self.library) as connection:
            return store.get(connection, article_id)

    def _saved_version(self, article: Article) -> SavedArticle | None:
        """The library's copy of this article, if it was saved (by canonical URL)."""
        if not article.url:
            return None
        try:
            with store.opened(self.library) as connection:
                article_id = store.find_by_url(connection, article.url)
                return store.get(connection, article_id) if article_id else None
        except ReaderError:
            return None

    @work(thread=True, group="model", exit_on_error=False)
    def preload_model(self) -> None:
        pool.warm_up()

    @work(thread=True, exclusive=True, group="analysis", exit_on_error=False)
    def analyse(self, article: Article, generation: int) -> Analysed:
        return Analysed(generation, pool.annotate_isolated(article))

    @on(Worker.StateChanged)
    async def worker_changed(self, event: Worker.StateChanged) -> None:
        worker, state = event.worker, event.state
        if state == WorkerState.SUCCESS:
            result = worker.result
            if isinstance(result, Loaded) and result.generation == self.generation:
                await self.show_loaded(result)
            elif isinstance(result, Analysed) and result.generation == self.generation:
                self.show_analysis(result.annotated)
        elif state == WorkerState.ERROR:
            self.report_failure(worker)
        elif state == WorkerState.CANCELLED and worker.group == "load":
            self.article_view.loading = False

    def report_failure(self, worker: Worker[object]) -> None:
        error = worker.error
        message = str(error) if isinstance(error, ReaderError) else \
            f"unexpected error: {type(error).__name__}: {error}"
        message = clean_inline(message)
        if worker.group == "load":
            self.article_view.loading = False
            source = self.current_source
            self.notify(f"{source.label}\n{message}", title="Could not open the article",
                        severity="error", timeout=8, markup=False)
            for panel in self.panels:
                panel.show_message("no article")
            self.set_status_text(f"could not open {source.label}: {message}")
        elif worker.group in ("analysis", "model"):
            self.analysis_state = "unavailable"
            for panel in self.panels:
                panel.show_message(f"analysis not available: {message}")
            self.notify(message, title="Analysis failed", severity="warning", markup=False)
            self.update_status()
        else:  # library, export, feeds, report...: every other failure is said once too
            title = _FAILURE_TITLES.get(worker.group, "Something failed")
            self.notify(message, title=title, severity="error", timeout=8, markup=False)

    async def show_loaded(self, loaded: Loaded) -> None:
        self.saved = loaded.saved
        self.query_one(NotesPanel).highlights = list(loaded.saved.highlights) \
            if loaded.saved else []
        self.set_class(bool(loaded.saved and loaded.saved.highlights), "-has-notes")
        if loaded.from_library and loaded.saved is not None:
            await self.show_article(loaded.article, analyse=False)
            self.show_analysis(loaded.saved.annotated)
        else:
            await self.show_article(loaded.article)

    async def show_article(self, article: Article, *, analyse: bool = True) -> None:
        self.article = article
        self.titles[self.current_source] = article.title
        view = self.article_view
        await view.show_article(article)
        view.loading = False
        if not self.find_bar.display:
            view.focus()
        for panel in self.panels:
            panel.show_message("analysing…")
        self.analysis_state = "analysing…"
        self.percent = 0
        self.update_status()
        if analyse:
            self.analyse(article, self.generation)

    def show_analysis(self, annotated: Annotated) -> None:
        self.annotated = annotated
        for panel in self.panels:
            panel.show(annotated)
        self.refresh_marks()
        from reader.analysis.nlp import analysis_note

        self.analysis_state = analysis_note(annotated.article.text) or "analysed"
        self.update_status()
        saved = self.saved
        if saved is not None and self.current_source.kind != "saved":
            diff = library_diff.diff_saved(saved.annotated, annotated)
            if diff.changed:
                self.notify(f"changed since you saved it: {diff.summary()}",
                            title="Edited article", timeout=10, markup=False)
                self.push_screen(ChangesScreen(diff))

    def refresh_marks(self) -> None:
        notes = self.query_one(NotesPanel)
        highlights = [(h.start, h.end) for h in notes.highlights]
        annotated = self.annotated or (Annotated(self.article) if self.article else None)
        if annotated is not None:
            self.article_view.set_marks(analysis_marks(annotated, entities=self.entity_marks,
                                                       highlights=highlights))

    # ----- status line ---------------------------------------------------------------

    def set_status_text(self, message: str) -> None:
        for status in self.query("#status").results(Static):
            status.update(Text(message))

    def update_status(self) -> None:
        source = self.current_source
        parts: list[str] = []
        if len(self.sources) > 1:
            parts.append(f"{self.index + 1}/{len(self.sources)}")
        article = self.article
        if article is None:
            parts.append(f"loading {source.label}…")
        else:
            parts.append(article.site or source.label)
            if article.published:
                parts.append(article.published)
            parts.append(f"{article.reading_minutes} min")
            if article.method:
                parts.append(f"via {article.method}")
            parts.append(f"{self.percent}%")
            parts.append(self.analysis_state)
        self.set_status_text(" · ".join(parts))

    @on(ArticleScrolled)
    def article_scrolled(self, event: ArticleScrolled) -> None:
        self.percent = event.percent
        if self.article is not None:
            self.update_status()
        for panel in self.panels:
            panel.follow(event.offset)

    # ----- actions: panes and layout --------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Pane keys belong to the reader screen, not to dialogs shown over it."""
        return not (action == "cycle_pane" and len(self.screen_stack) > 1)

    def current_pane(self) -> int:
        focused = self.focused
        for i, panel in enumerate(self.panels, start=1):
            if focused is not None and panel in focused.ancestors_with_self:
                return i
        return 0

    def action_show_pane(self, index: int) -> None:
        if index == 0:
            self.article_view.focus()
            return
        self.remove_class("-no-side")
        self.set_zen(False)
        if index == 4:
            self.add_class("-show-notes")
        self.show_side_pane(index - 1)
        self.panels[index - 1].option_list.focus()

    def _panes(self) -> list[int]:
        """The panes tab visits: Notes only where it is shown or has something."""
        hidden = self.layout_mode == "wide" and not (
            self.has_class("-has-notes") or self.has_class("-show-notes"))
        return [i for i in range(len(PANE_NAMES)) if not (hidden and i == 4)]

    def action_cycle_pane(self, delta: int) -> None:
        panes = self._panes()
        current = self.current_pane()
        position = panes.index(current) if current in panes else 0
        self.action_show_pane(panes[(position + delta) % len(panes)])

    def action_toggle_side(self) -> None:
        self.set_zen(False)
        self.toggle_class("-no-side")
        if self.has_class("-no-side"):
            self.article_view.focus()

    def set_zen(self, on: bool) -> None:
        """Zen mode: the article alone, its text at most 80 columns wide, centred."""
        self.set_class(on, "-zen")
        self.article_view.measure = ZEN_COLUMNS if on else None
        if on:
            self.article_view.focus()

    def action_zen(self) -> None:
        self.remove_class("-no-side")
        self.set_zen(not self.has_class("-zen"))

    def action_cycle_theme(self) -> None:
        themes = [t for t in THEMES if t in self.available_themes]
        position = themes.index(self.theme) if self.theme in themes else -1
        self.theme = themes[(position + 1) % len(themes)]
        save_state(theme=self.theme)
        self.notify(f"theme: {self.theme}", timeout=2, markup=False)

    def action_toggle_entity_marks(self) -> None:
        self.entity_marks = not self.entity_marks
        self.refresh_marks()

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    # ----- actions: articles and history ----------------------------------------------

    def action_next_article(self) -> None:
        if self.index + 1 < len(self.sources):
            self.open_source(self.sources[self.index + 1])
        else:
            self.notify("this is the last article", timeout=2)

    def action_previous_article(self) -> None:
        if self.index > 0:
            self.open_source(self.sources[self.index - 1])
        else:
            self.notify("this is the first article", timeout=2)

    def action_article_list(self) -> None:
        if self.feeds_screen is not None:
            self.show_feeds()
            return
        labels = [self.titles.get(s) or s.label for s in self.sources]

        def chosen(index: int | None) -> None:
            if index is not None and self.sources[index] != self.current_source:
                self.open_source(self.sources[index])

        self.push_screen(ArticleListScreen(labels, self.index), chosen)

    def action_history(self, delta: int) -> None:
        target = self.history_pos + delta
        if 0 <= target < len(self.history):
            self.history_pos = target
            self.open_source(self.history[target], record=False)
        else:
            self.notify("no more history that way", timeout=2)

    def action_back_or_quit(self) -> None:
        if self.feeds_screen is not None:
            self.show_feeds()
        elif self.history_pos > 0:
            self.action_history(-1)
        else:
            self.exit(0)

    def action_reload(self) -> None:
        """Load again; a saved web article is fetched again and compared with the saved
        copy (news articles are edited silently)."""
        source = self.current_source
        url = self.article.url if self.article else None
        if source.kind == "saved" and url and url.lower().startswith(("http://", "https://")):
            source = Source("url", url)
            self.history[self.history_pos] = source
        self.open_source(source, record=False)

    def action_links(self) -> None:
        links = self.article.links if self.article else ()

        screen = LinksScreen(links)

        def chosen(index: int | None) -> None:
            if index is None:
                return
            if screen.in_browser:
                self.open_in_browser(links[index].url)
            else:
                self.open_source(Source("url", links[index].url))

        self.push_screen(screen, chosen)

    def open_in_browser(self, url: str | None) -> None:
        if not url or not url.lower().startswith(("http://", "https://")):
            self.notify("this article has no web address to open", severity="warning",
                        markup=False)
            return
        self.open_url(url)

    def action_open_browser(self) -> None:
        self.open_in_browser(self.article.url if self.article else None)

    def action_copy(self) -> None:
        """Copy the selected quote with its speaker, or else the article's address."""
        quotes = self.query_one(QuotesPanel)
        quote = quotes.quote_for(quotes.highlighted_key()) if quotes.has_focus_within else None
        if quote is not None:
            text = f"“{quote.text}” — {quote.speaker or 'unknown speaker'}"
        elif self.article is not None and self.article.url:
            text = self.article.url
        else:
            self.notify("nothing to copy", timeout=2)
            return
        self.copy_to_clipboard(text)
        self.notify("copied to the clipboard", timeout=2)

    def action_edit_config(self) -> None:
        path = paths.config_file()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists():
                path.write_text(CONFIG_TEMPLATE, encoding="utf-8")
        except OSError as exc:
            self.notify(f"cannot create {path}: {exc.strerror}", severity="error",
                        markup=False)
            return
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        command = [*shlex.split(editor), str(path)]
        try:
            with self.suspend():
                subprocess.run(command, check=False)
        except SuspendNotSupported:
            subprocess.run(command, check=False, capture_output=True)
        except OSError as exc:
            self.notify(f"cannot run {editor}: {exc.strerror}", severity="error",
                        markup=False)
            return
        try:
            self.settings = load_config(path)
        except ReaderError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.apply_keys()
        self.notify("settings reloaded", timeout=2)

    def action_extraction_report(self) -> None:
        if self.article is None or self._page is None:
            self.notify("no article to inspect", timeout=2)
            return
        if self.article.method == "plain text":
            self.notify("this article is plain text: there is no HTML to inspect",
                        timeout=3)
            return
        self.build_report(self._page, self.article.title)

    @work(thread=True, group="report", exit_on_error=False)
    def build_report(self, page: tuple[bytes, str | None], title: str) -> None:
        from reader.extract import extraction_report

        report = extraction_report(page[0], page[1])
        self.call_from_thread(self.push_screen, ExtractionScreen(f"Extraction: {title}", report))

    # ----- library: save, highlights, notes, tags, export, lookups --------------------

    def _annotated_now(self) -> Annotated | None:
        if self.article is None:
            return None
        return self.annotated or Annotated(self.article)

    def _ensure_saved(self, connection: sqlite3.Connection) -> int:
        """The library id of the article on screen, saving it first if needed."""
        if self.saved is not None:
            return self.saved.id
        result = self._store_current(connection)
        self.saved = store.get(connection, result.id)
        return result.id

    def _store_current(self, connection: sqlite3.Connection) -> store.SaveResult:
        """Save the article on screen with its analysis, page bytes and fetch time."""
        annotated = self._annotated_now()
        assert annotated is not None
        page = self._page
        plain = annotated.article.method in (None, "plain text")
        return store.save(connection, annotated, source=page[0] if page else None,
                          source_type="text/plain" if plain else "text/html",
                          fetched=self._fetched)

    def action_save(self) -> None:
        if self.article is None:
            self.notify("no article to save", timeout=2)
            return
        self.save_article(self.generation)

    @work(thread=True, exclusive=True, group="library", exit_on_error=False)
    def save_article(self, generation: int) -> None:
        with store.opened(self.library) as connection:
            result = self._store_current(connection)
            saved = store.get(connection, result.id)
        if generation != self.generation:
            return
        self.saved = saved
        message = f"saved to the library (id {result.id})" if result.created else \
            f"updated in the library (id {result.id})" + (
                f": {result.diff.summary()}" if result.diff and result.diff.changed else "")
        if result.lost:
            message += f"; {len(result.lost)} highlights no longer found"
        self.call_from_thread(self.notify, message, timeout=4, markup=False)
        self.call_from_thread(self._show_highlights, list(saved.highlights))

    def _show_highlights(self, highlights: list[SavedHighlight]) -> None:
        notes = self.query_one(NotesPanel)
        notes.show_highlights(highlights)
        self.set_class(bool(highlights), "-has-notes")
        self.refresh_marks()

    def action_highlight(self) -> None:
        span = self.article_view.selected_span()
        if span is None or self.article is None:
            return
        self.article_view.clear_selection()
        self.write_highlight(span, "", self.generation)

    def action_note(self) -> None:
        """A note on the selection (or current sentence), which becomes a highlight."""
        span = self.article_view.selected_span()
        if span is None or self.article is None:
            return
        quoted = self.article.text[span[0]:span[1]]
        generation = self.generation

        def chosen(note: str | None) -> None:
            if note is not None:
                self.article_view.clear_selection()
                self.write_highlight(span, note, generation)

        self.push_screen(NoteEditor(quoted), chosen)

    @work(thread=True, group="library", exit_on_error=False)
    def write_highlight(self, span: tuple[int, int], note: str, generation: int) -> None:
        with store.opened(self.library) as connection:
            article_id = self._ensure_saved(connection)
            store.add_highlight(connection, article_id, span[0], span[1], note)
            highlights = store.highlights(connection, article_id)
        if generation == self.generation:
            self.call_from_thread(self._show_highlights, highlights)

    @on(NotesPanel.EditNote)
    def edit_note(self, event: NotesPanel.EditNote) -> None:
        highlight = event.highlight

        def chosen(note: str | None) -> None:
            if note is not None:
                self.change_highlight(highlight.id, note, self.generation)

        self.push_screen(NoteEditor(highlight.text, highlight.note), chosen)

    @on(NotesPanel.Delete)
    def delete_highlight(self, event: NotesPanel.Delete) -> None:
        self.change_highlight(event.highlight.id, None, self.generation)

    @work(thread=True, group="library", exit_on_error=False)
    def change_highlight(self, highlight_id: int, note: str | None, generation: int) -> None:
        """A new note for the highlight, or (note None) delete it."""
        assert self.saved is not None
        with store.opened(self.library) as connection:
            if note is None:
                store.delete_highlight(connection, highlight_id)
            else:
                store.edit_highlight(connection, highlight_id, note=note)
            highlights = store.highlights(connection, self.saved.id)
        if generation == self.generation:
            self.call_from_thread(self._show_highlights, highlights)

    def action_tags(self) -> None:
        if self.article is None:
            return
        current = " ".join(self.saved.tags) if self.saved else ""

        def chosen(value: str | None) -> None:
            if value is not None:
                self.write_tags(value.replace(",", " ").split(), self.generation)

        self.push_screen(LineEditor("Tags for this article (space separated)", current,
                                    "politics nato"), chosen)

    @work(thread=True, group="library", exit_on_error=False)
    def write_tags(self, tags: list[str], generation: int) -> None:
        with store.opened(self.library) as connection:
            article_id = self._ensure_saved(connection)
            old = set(store.get(connection, article_id).tags)
            store.remove_tags(connection, article_id, old - set(tags))
            kept = store.add_tags(connection, article_id, tags)
            saved = store.get(connection, article_id)
        if generation == self.generation:
            self.saved = saved
        shown = " ".join(f"#{t}" for t in kept) or "none"
        self.call_from_thread(self.notify, f"tags: {shown}", timeout=3, markup=False)

    def action_export(self) -> None:
        annotated = self._annotated_now()
        if annotated is None:
            return
        folder = Path(os.environ.get("READER_EXPORT_DIR") or Path.home() / "reader-exports")
        default = folder / export.export_filename(annotated.article.title,
                                                  self.saved.id if self.saved else 0, "md")

        def chosen(value: str | None) -> None:
            if value:
                self.write_export(Path(value).expanduser())

        self.push_screen(LineEditor("Export to (.md, .json or .html)", str(default)), chosen)

    @work(thread=True, group="library", exit_on_error=False)
    def write_export(self, path: Path) -> None:
        annotated = self._annotated_now()
        assert annotated is not None
        fmt = {".json": "json", ".html": "html", ".htm": "html"}.get(path.suffix.lower(), "md")
        meta = export.ExportMeta()
        if self.saved is not None:
            annotated = replace(annotated, highlights=tuple(
                h.to_highlight() for h in self.query_one(NotesPanel).highlights))
            meta = export.ExportMeta(saved=self.saved.summary.saved,
                                     fetched=self.saved.summary.fetched, tags=self.saved.tags)
        path.parent.mkdir(parents=True, exist_ok=True)
        export.write_atomic(path, export.render(annotated, fmt, meta))  # type: ignore[arg-type]
        self.call_from_thread(self.notify, f"exported to {path}", timeout=5, markup=False)

    def action_lookup(self) -> None:
        """``i``: the selected entity or speaker across the whole library."""
        names: list[str] = []
        entities, quotes = self.query_one(EntitiesPanel), self.query_one(QuotesPanel)
        if entities.has_focus_within and self.annotated is not None:
            entity = self.annotated.entity(entities.highlighted_key() or "")
            if entity is not None:
                names = [entity.name, *{m.text for m in entity.mentions}]
        elif quotes.has_focus_within:
            quote = quotes.quote_for(quotes.highlighted_key())
            if quote is not None and quote.speaker:
                names = [quote.speaker]
        if not names:
            self.notify("choose an entity or a quote first (3 or 2), then press i", timeout=3)
            return
        self.run_lookup(names)

    @work(thread=True, group="library", exit_on_error=False)
    def run_lookup(self, names: list[str]) -> None:
        found = lookup(self.library, names, self.saved.id if self.saved else None)

        def chosen(article_id: int | None) -> None:
            if article_id is not None:
                self.open_source(Source("saved", str(article_id)))

        self.call_from_thread(self.push_screen, LookupScreen(found), chosen)

    def action_library(self) -> None:
        if self.library_screen is None:
            self.library_screen = LibraryScreen(self.library)
        self.push_screen(self.library_screen)

    @on(OpenSaved)
    def open_saved(self, event: OpenSaved) -> None:
        self.sources = [Source("saved", str(i)) for i in event.article_ids]
        if self.screen is self.library_screen:
            self.pop_screen()
        self.open_source(self.sources[event.index])

    # ----- highlights, find, n / N ----------------------------------------------------

    def action_cancel(self) -> None:
        running = [w for w in self.workers if w.group == "load" and w.is_running]
        if running:
            self.workers.cancel_group(self, "load")
            self.article_view.loading = False
            self.set_status_text(f"cancelled loading {self.current_source.label}")
            for panel in self.panels:
                panel.show_message("no article")
            return
        if self.article_view.selection is not None:
            self.article_view.clear_selection()
            return
        if self.has_class("-zen"):
            self.set_zen(False)
            return
        if self.find_bar.display:
            self.find_bar.input.value = ""
            self.find_bar.display = False
        if not self._spans and self.feeds_screen is not None:
            self.show_feeds()
            return
        self._spans = ()
        self.article_view.clear_highlight()

    @on(JumpTo)
    def jump(self, event: JumpTo) -> None:
        self._spans = event.spans
        self._span_index = event.current
        self.article_view.highlight(self._spans, self._span_index)

    def _step(self, delta: int) -> None:
        if not self._spans:
            self.notify("nothing selected: choose an item or find with /", timeout=2)
            return
        self._span_index = (self._span_index + delta) % len(self._spans)
        self.article_view.highlight(self._spans, self._span_index)
        if self.find_bar.display:
            self.find_bar.set_count(self._span_index, len(self._spans),
                                    self.find_bar.input.value)

    def action_next_span(self) -> None:
        self._step(1)

    def action_previous_span(self) -> None:
        self._step(-1)

    def action_find(self) -> None:
        self.find_bar.open()

    @on(FindBar.Changed)
    def find_changed(self, event: FindBar.Changed) -> None:
        if self.article is None:
            return
        spans = find_all(self.article.text, event.query)
        top = self.article_view.top_offset()
        current = next((i for i, (start, _) in enumerate(spans) if start >= top), 0)
        self._spans = tuple(spans)
        self._span_index = current
        self.article_view.highlight(self._spans, current)
        self.find_bar.set_count(current, len(spans), event.query)

    @on(FindBar.Done)
    def find_done(self, event: FindBar.Done) -> None:
        if event.cleared:
            self._spans = ()
            self.article_view.clear_highlight()
        else:
            self.find_bar.display = bool(self._spans) or self.find_bar.display
        self.article_view.focus()


_FAILURE_TITLES = {"library": "Library", "export": "Export failed",
                   "feeds": "Feeds", "report": "Extraction report"}


def _binding_ids() -> set[str]:
    """Every binding id the app and its screens and widgets declare (``[keys]`` names)."""
    import sys

    found: set[str] = set()
    for name, module in list(sys.modules.items()):
        if not name.startswith("reader.tui"):
            continue
        for value in vars(module).values():
            for binding in getattr(value, "BINDINGS", None) or ():
                if isinstance(binding, Binding) and binding.id:
                    found.add(binding.id)
    return found


def make_app(sources: list[Source], *, settings: Settings | None = None,
             stdin_data: bytes | None = None,
             transport: httpx.AsyncBaseTransport | None = None,
             library: Path | None = None) -> ReaderApp:
    """The one way to build the app, shared by the CLI and the tests.

    The analysis process is started here, before Textual takes over the terminal's
    standard streams, so the language model loads while the first article is fetched.
    """
    pool.start()
    if settings is None:
        settings = load_config()  # never raises: bad keys fall back, problems are noted
    return ReaderApp(sources, settings=settings, stdin_data=stdin_data, transport=transport,
                     library=library)
