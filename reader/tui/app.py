"""The reader application: one screen with the article in the middle and three panels.

Fetching runs in an async worker (a new load cancels the old one, escape cancels it);
extraction and analysis run in threads, so the screen keeps answering keys while lxml and
spaCy work. Results come back through worker state changes, tagged with a generation
number so a slow result for an article the reader has already left is dropped.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

import httpx
from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerState

from reader.config import Settings
from reader.errors import ReaderError
from reader.models import Annotated, Article
from reader.sources import Source, article_from_bytes, article_from_fetched, load_local
from reader.textutil import clean_inline
from reader.tui.messages import JumpTo, Span
from reader.tui.screens.help import HelpScreen
from reader.tui.widgets.article_view import ArticleView
from reader.tui.widgets.panels import EntitiesPanel, FactsPanel, Panel, QuotesPanel


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


@dataclass(frozen=True)
class Analysed:
    generation: int
    annotated: Annotated


class ReaderApp(App[int]):
    """Read articles beside their quotes, entities and key facts."""

    TITLE = "reader"
    CSS_PATH = [str(p) for p in sorted(styles_dir().glob("*.tcss"))]
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "help", "Keys", key_display="?", id="app.help"),
        Binding("J", "next_article", "Next", id="app.next_article"),
        Binding("K", "previous_article", "Prev", id="app.previous_article"),
        Binding("n", "next_span", "Next mark", id="app.next_span"),
        Binding("N", "previous_span", "Prev mark", show=False, id="app.previous_span"),
        Binding("escape", "cancel", "Cancel", show=False, id="app.cancel"),
    ]

    def __init__(self, sources: list[Source], *, settings: Settings | None = None,
                 stdin_data: bytes | None = None,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        super().__init__()
        self.sources = sources
        self.settings = settings or Settings()
        self.stdin_data = stdin_data
        self.transport = transport
        self.index = 0
        self.generation = 0
        self.article: Article | None = None
        self.annotated: Annotated | None = None
        self.analysis_state = "waiting"
        self._spans: tuple[Span, ...] = ()
        self._span_index = 0

    def compose(self) -> ComposeResult:
        yield Static(Text("reader"), id="status", markup=False)
        with Horizontal(id="main"):
            yield ArticleView(id="article")
            yield QuotesPanel(id="quotes")
            yield EntitiesPanel(id="entities")
            yield FactsPanel(id="facts")
        yield Footer()

    @property
    def article_view(self) -> ArticleView:
        return self.query_one(ArticleView)

    @property
    def panels(self) -> list[Panel]:
        return list(self.query(Panel))

    def on_mount(self) -> None:
        self.theme = self.settings.theme if self.settings.theme in self.available_themes \
            else "textual-dark"
        if self.settings.keys:
            self.set_keymap(self.settings.keys)
        self.article_view.focus()
        self.preload_model()
        self.open_index(0)

    # ----- loading -------------------------------------------------------------------

    def open_index(self, index: int) -> None:
        self.index = index
        self.generation += 1
        self.article = None
        self.annotated = None
        self._spans = ()
        for panel in self.panels:
            panel.show_message("waiting for the article…")
        self.analysis_state = "waiting"
        self.article_view.loading = True
        self.update_status()
        self.load(self.sources[index], self.generation)

    @work(exclusive=True, group="load", exit_on_error=False)
    async def load(self, source: Source, generation: int) -> Loaded:
        if source.kind == "url":
            from reader.fetch import FetchLimits, fetch, make_client

            limits = FetchLimits(timeout=self.settings.timeout,
                                 max_bytes=int(self.settings.max_megabytes * 1024 * 1024))
            async with make_client(self.transport, limits=limits) as client:
                fetched = await fetch(source.location, client=client, limits=limits)
            article = await asyncio.to_thread(
                article_from_fetched, fetched.content, fetched.content_type, fetched.url)
        elif source.kind == "stdin" and self.stdin_data is not None:
            article = await asyncio.to_thread(article_from_bytes, self.stdin_data,
                                              what="standard input")
        else:
            article = await asyncio.to_thread(load_local, source)
        return Loaded(generation, article)

    @work(thread=True, group="model", exit_on_error=False)
    def preload_model(self) -> None:
        from reader.analysis import nlp

        nlp.load()

    @work(thread=True, exclusive=True, group="analysis", exit_on_error=False)
    def analyse(self, article: Article, generation: int) -> Analysed:
        from reader.analysis import annotate

        return Analysed(generation, annotate(article))

    @on(Worker.StateChanged)
    async def worker_changed(self, event: Worker.StateChanged) -> None:
        worker, state = event.worker, event.state
        if state == WorkerState.SUCCESS:
            result = worker.result
            if isinstance(result, Loaded) and result.generation == self.generation:
                await self.show_article(result.article)
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
            source = self.sources[self.index]
            self.notify(f"{source.label}\n{message}", title="Could not open the article",
                        severity="error", timeout=8, markup=False)
            for panel in self.panels:
                panel.show_message("no article")
            self.set_status_text(f"could not open {source.label}: {message}")
        elif worker.group in ("analysis", "model"):
            self.analysis_state = "unavailable"
            for panel in self.panels:
                panel.show_message(f"analysis not available: {message}")
            self.notify(message, title="Analysis failed", severity="warning",
                        markup=False)
            self.update_status()

    async def show_article(self, article: Article) -> None:
        self.article = article
        view = self.article_view
        await view.show_article(article)
        view.loading = False
        view.focus()
        for panel in self.panels:
            panel.show_message("analysing…")
        self.analysis_state = "analysing…"
        self.update_status()
        self.analyse(article, self.generation)

    def show_analysis(self, annotated: Annotated) -> None:
        self.annotated = annotated
        for panel in self.panels:
            panel.show(annotated)
        self.analysis_state = "analysed"
        self.update_status()

    # ----- status line ---------------------------------------------------------------

    def set_status_text(self, message: str) -> None:
        self.query_one("#status", Static).update(Text(message))

    def update_status(self) -> None:
        source = self.sources[self.index]
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
            parts.append(self.analysis_state)
        self.set_status_text(" · ".join(parts))

    # ----- actions -------------------------------------------------------------------

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def action_next_article(self) -> None:
        if self.index + 1 < len(self.sources):
            self.open_index(self.index + 1)
        else:
            self.notify("this is the last article", timeout=2)

    def action_previous_article(self) -> None:
        if self.index > 0:
            self.open_index(self.index - 1)
        else:
            self.notify("this is the first article", timeout=2)

    def action_cancel(self) -> None:
        running = [w for w in self.workers if w.group == "load" and w.is_running]
        if running:
            self.workers.cancel_group(self, "load")
            self.article_view.loading = False
            self.set_status_text(f"cancelled loading {self.sources[self.index].label}")
            for panel in self.panels:
                panel.show_message("no article")
            return
        self._spans = ()
        self.article_view.clear_highlight()

    @on(JumpTo)
    def jump(self, event: JumpTo) -> None:
        self._spans = event.spans
        self._span_index = 0
        self.article_view.highlight(self._spans, 0)

    def _step(self, delta: int) -> None:
        if not self._spans:
            return
        self._span_index = (self._span_index + delta) % len(self._spans)
        self.article_view.highlight(self._spans, self._span_index)

    def action_next_span(self) -> None:
        self._step(1)

    def action_previous_span(self) -> None:
        self._step(-1)


def make_app(sources: list[Source], *, settings: Settings | None = None,
             stdin_data: bytes | None = None,
             transport: httpx.AsyncBaseTransport | None = None) -> ReaderApp:
    """The one way to build the app, shared by the CLI and the tests."""
    if settings is None:
        from reader.config import load_config

        try:
            settings = load_config()
        except ReaderError:
            settings = Settings()
    return ReaderApp(sources, settings=settings, stdin_data=stdin_data, transport=transport)
