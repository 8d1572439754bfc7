"""The reading screen: the article in the middle, quotes, entities and key facts beside it.

Loading goes through the one loader, ``reader.sources.load``, in a thread worker (a new
load or escape fires the old one's ``Cancel``); analysis runs in a thread worker that
waits for the analysis process. Workers post their results as messages tagged with a
generation number, so a slow result for an article the reader has already left is
dropped. Failures reach the one funnel of ``BaseScreen``; the handler here only resets
what the screen shows.

Reading state is reactive: ``zen`` and ``side_hidden`` set classes, the layout comes from
the screen's width through ``HORIZONTAL_BREAKPOINTS`` (classes -narrow, -medium, -wide).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from reader.analysis import pool
from reader.config import Settings
from reader.display_dates import display_date
from reader.errors import Cancelled
from reader.fetch_control import Cancel
from reader.models import Article
from reader.sources import EarlyLoad, Loaded, Source, limits_from, load, saved_copy
from reader.tui import graphics
from reader.tui.failures import failure_text
from reader.tui.handoff import HandOff
from reader.tui.history import History
from reader.tui.messages import JumpTo, Span
from reader.tui.screens.base import BaseScreen
from reader.tui.screens.reading_library import LibraryActions
from reader.tui.widgets.article_view import ArticleScrolled, ArticleView, analysis_marks
from reader.tui.widgets.find_bar import FindBar, find_all
from reader.tui.widgets.footer import KeyFooter
from reader.tui.widgets.lead_image import LeadImage
from reader.tui.widgets.panels import NotesPanel, Panel
from reader.tui.widgets.side import SidePanels

if TYPE_CHECKING:
    from concurrent.futures import Future

    import httpx
    from PIL.Image import Image as PILImage

    from reader.images import ImageData
    from reader.library.store import SavedArticle
    from reader.models import Annotated

# Screens this one opens, and the library, are imported where they are first used: the
# reading screen is on the way to the first frame, and each import there delays it.

ZEN_COLUMNS = 80
WEB_SOURCES = frozenset({"url", "item", "saved"})
"""Articles whose lead image is shown: read from the web (or saved from it)."""
PANE_NAMES = ("article", "quotes", "entities", "facts", "notes")


RESTORE_TRIES = 20
"""Frames (50 ms apart) a restored place waits for the text to be long enough."""

class ReaderScreen(HandOff, LibraryActions, BaseScreen[None]):
    """Read articles beside their quotes, entities and key facts."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-medium"), (140, "-wide")]
    BINDINGS = [
        Binding("q", "back", "Back", id="app.back"),
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
        Binding("H", "history(-1)", "Back in history", show=False, id="app.history_back"),
        Binding("L", "history(1)", "Forward in history", show=False,
                id="app.history_forward"),
        Binding("u", "links", "Links", id="app.links"),
        Binding("U", "toggle_link_numbers", "Link numbers", show=False,
                id="app.link_numbers"),
        Binding("o", "open_browser", "Browser", show=False, id="app.open_browser"),
        Binding("vertical_line", "pipe", "Pipe to command", key_display="|", show=False,
                id="app.pipe"),
        Binding("m", "hand_over_link", "Copy/mail link", show=False, id="app.mail_link"),
        Binding("y", "copy", "Copy", show=False, id="app.copy"),
        Binding("backslash", "toggle_side", "Panels", key_display="\\", id="app.toggle_side"),
        Binding("z", "zen", "Zen", id="app.zen"),
        Binding("e", "toggle_entity_marks", "Entity marks", show=False, id="app.entity_marks"),
        Binding("I", "toggle_images", "Images", show=False, id="app.images"),
        Binding("r", "reload", "Reload", show=False, id="app.reload"),
        Binding("X", "extraction_report", "Extraction report", show=False,
                id="app.extraction_report"),
        *LibraryActions.LIBRARY_BINDINGS,
        Binding("escape", "cancel", "Cancel", show=False, id="app.cancel"),
    ]

    zen: reactive[bool] = reactive(False)
    """The article alone, its text at most 80 columns wide, centred."""
    side_hidden: reactive[bool] = reactive(False)
    """The panels hidden with ``\\``; the article takes the whole width."""
    entity_marks: reactive[bool] = reactive(True)

    class Opened(Message):
        def __init__(self, generation: int, loaded: Loaded, *,
                     look_up_saved: bool = False) -> None:
            super().__init__()
            self.generation = generation
            self.loaded = loaded
            self.look_up_saved = look_up_saved
            """Loaded without looking up the library's copy (the early load): the
            screen looks it up once the article is drawn."""

    class SavedFound(Message):
        def __init__(self, generation: int, saved: SavedArticle) -> None:
            super().__init__()
            self.generation = generation
            self.saved = saved

    class Analysed(Message):
        def __init__(self, generation: int, annotated: Annotated) -> None:
            super().__init__()
            self.generation = generation
            self.annotated = annotated

    class ReportReady(Message):
        def __init__(self, title: str, report: str) -> None:
            super().__init__()
            self.title = title
            self.report = report

    class ImageReady(Message):
        def __init__(
                self,
                generation: int,
                picture: PILImage,
                caption: str | None,
                data: ImageData,
                cached: bool,
        ) -> None:
            super().__init__()
            self.generation = generation
            self.picture = picture
            self.caption = caption
            self.data = data
            self.cached = cached

    class ImageFailed(Message):
        def __init__(self, generation: int, reason: str) -> None:
            super().__init__()
            self.generation = generation
            self.reason = reason

    def __init__(self, *, settings: Settings, library: Path | None,
                 transport: httpx.AsyncBaseTransport | None = None,
                 stdin_data: bytes | None = None, early: EarlyLoad | None = None) -> None:
        super().__init__(id="reader-screen")
        self._early = early
        """The first source's load, started by the CLI before the UI (see ``EarlyLoad``)."""
        self._arrived: ReaderScreen.Opened | None = None
        """That load's article, finished before the screen mounted, waiting to be shown."""
        self.settings = settings
        self.library = library
        self.transport = transport
        self.stdin_data = stdin_data
        self.sources: list[Source] = []
        self.index = 0
        self.history = History()
        self.generation = 0
        self.article: Article | None = None
        self.annotated: Annotated | None = None
        self.saved: SavedArticle | None = None
        self.loaded: Loaded | None = None
        self._cancel = Cancel()
        self.titles: dict[Source, str] = {}
        self.analysis_state = "waiting"
        self.percent = 0
        self.spans: tuple[Span, ...] = ()
        self.span_index = 0
        self._restore_y = 0.0
        self._pending: tuple[list[Source], int] | None = None
        self._ready = False
        self.images = settings.images
        """Lead images on (config ``images``, toggled with ``I``)."""
        self.image_data: ImageData | None = None
        """The bytes of the lead image on screen, kept so saving can cache them."""
        self._image_shown: ReaderScreen.ImageReady | None = None
        """The decoded picture of this article, so ``I`` off and on fetches nothing new."""

    def compose(self) -> ComposeResult:
        # The layout class Textual sets from the breakpoints once the screen is resized,
        # set now: otherwise the first frame is styled, laid out and drawn in no layout
        # (four panels) and then all again in the right one.
        width = self.app.size.width
        self.add_class(*self._get_breakpoint_classes(width, self.HORIZONTAL_BREAKPOINTS))
        yield Static(Text("reader"), id="status", markup=False)
        with Horizontal(id="main"):
            with Vertical(id="article-column"):
                yield LeadImage(id="lead-image")
                yield ArticleView(id="article")
            yield SidePanels(id="side")
        yield FindBar(id="find")
        yield KeyFooter()

    @property
    def article_view(self) -> ArticleView:
        return self.query_one(ArticleView)

    @property
    def lead_image(self) -> LeadImage:
        return self.query_one(LeadImage)

    @property
    def side(self) -> SidePanels:
        return self.query_one(SidePanels)

    @property
    def panels(self) -> list[Panel]:
        return self.side.panels

    @property
    def find_bar(self) -> FindBar:
        return self.query_one(FindBar)

    @property
    def layout_mode(self) -> str:
        return next((m for m in ("wide", "medium", "narrow") if self.has_class(f"-{m}")),
                    "wide")

    @property
    def current_source(self) -> Source:
        entry = self.history.current
        assert entry is not None
        return entry.source

    @property
    def from_home(self) -> bool:
        """Opened from the home screen or the coverage screen, which waits under this one."""
        return any(screen.id in ("feeds-screen", "coverage-screen")
                   for screen in self.app.screen_stack)

    async def on_mount(self) -> None:
        self.article_view.focus()
        self._ready = True
        if self._pending is not None:
            self.open_list(*self._pending)
        await self._deliver_arrived()

    async def _deliver_arrived(self) -> None:
        """Show the early load's article if it is waiting (once, whichever call is
        first)."""
        arrived, self._arrived = self._arrived, None
        if arrived is not None:
            await self._opened(arrived)


    # ----- reactive reading state ---------------------------------------------------

    def watch_zen(self, on: bool) -> None:
        self.set_class(on, "-zen")
        self.article_view.measure = ZEN_COLUMNS if on else None
        self.lead_image.set_measure(ZEN_COLUMNS if on else None)
        if on:
            self.article_view.focus()

    def watch_side_hidden(self, hidden: bool) -> None:
        self.set_class(hidden, "-no-side")
        if hidden:
            self.article_view.focus()

    def watch_entity_marks(self) -> None:
        self.refresh_marks()

    # ----- loading ------------------------------------------------------------------

    def open_list(self, sources: list[Source], index: int) -> None:
        """Read ``sources``, starting with ``index`` (once the screen is mounted)."""
        if not self._ready:
            self._pending = (sources, index)
            return
        self._pending = None
        self.sources = sources
        self.open_source(sources[index])

    def open_source(self, source: Source, *, record: bool = True,
                    scroll_y: float | None = None) -> None:
        """Open ``source``; unless moving through history, it becomes the newest entry.

        ``scroll_y`` is where to put the reader once it shows; by default the place they
        last left this source, or the top."""
        if record:
            if self.article is not None:
                self.history.remember(self.article_view.scroll_y)
            if scroll_y is None:
                scroll_y = self.history.last_position(source)
            self.history.visit(source)
        if source in self.sources:
            self.index = self.sources.index(source)
        self.generation += 1
        self.article = self.annotated = self.saved = self.loaded = None
        self.image_data = self._image_shown = None
        self.workers.cancel_group(self, "image")
        if not self.lead_image.empty:
            self.run_worker(self.lead_image.clear(), group="image-clear", exit_on_error=False)
        self.spans = ()
        self._restore_y = scroll_y or 0.0
        self._cancel.cancel()
        early, self._early = self._early, None
        if early is not None and early.source == source:
            self._cancel = early.cancel
            result = early.result
            if result.done() and result.exception() is None:
                # Loaded while Textual imported: shown in the first frame (``on_mount``
                # delivers it before that frame is drawn), no worker hop, and no waiting
                # state (a loading line mounted and removed again) on the way.
                self._arrived = self.Opened(self.generation, result.result(),
                                            look_up_saved=True)
                self.call_later(self._deliver_arrived)
                return
        self.side.show_message("waiting for the article…")
        self.analysis_state = "waiting"
        self.article_view.loading = True
        self.update_status()
        if early is not None and early.source == source:
            self.finish_loading(early.result, self.generation)
            return
        if early is not None:
            early.cancel.cancel()
        self._cancel = Cancel()
        self.load(source, self.generation, self._cancel)

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load(self, source: Source, generation: int, cancel: Cancel) -> None:
        loaded = load(source, library=self.library, limits=limits_from(self.settings),
                      transport=self.transport, stdin=self.stdin_data, cancel=cancel,
                      find_saved=True)
        self.post_message(self.Opened(generation, loaded))

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def finish_loading(self, result: Future[Loaded], generation: int) -> None:
        """Wait for the early load; its failure is this worker's, reported as any load's."""
        self.post_message(self.Opened(generation, result.result(), look_up_saved=True))

    @work(thread=True, exclusive=True, group="saved", exit_on_error=False)
    def look_up_saved(self, article: Article, generation: int) -> None:
        """The library's copy of the article on screen, if it was saved (see Opened)."""
        saved = saved_copy(article, self.library)
        if saved is not None:
            self.post_message(self.SavedFound(generation, saved))

    @work(thread=True, exclusive=True, group="analysis", exit_on_error=False)
    def analyse(self, article: Article, generation: int) -> None:
        self.post_message(self.Analysed(generation, pool.annotate_isolated(article)))

    def failure_context(self, worker: Worker[object]) -> str:
        return self.current_source.label if worker.group == "load" else ""

    @on(Worker.StateChanged)
    def _worker_ended(self, event: Worker.StateChanged) -> None:
        """Reset the screen after a failed or cancelled load or analysis (the funnel
        has already said what failed)."""
        worker, state = event.worker, event.state
        if state == WorkerState.CANCELLED and worker.group == "load":
            self.article_view.loading = False
        if state != WorkerState.ERROR or isinstance(worker.error, Cancelled):
            return
        message = failure_text(worker.error)
        if worker.group == "load":
            self.article_view.loading = False
            self.side.show_message("no article")
            self.set_status_text(f"could not open {self.current_source.label}: {message}")
        elif worker.group == "analysis":
            self.analysis_state = "unavailable"
            self.side.show_message(f"analysis not available: {message}")
            self.update_status()

    @on(Opened)
    async def _opened(self, message: Opened) -> None:
        if message.generation != self.generation:
            return
        loaded = message.loaded
        self.loaded, self.saved = loaded, loaded.saved
        if loaded.warning:
            self.notify(loaded.warning, severity="warning", markup=False)
        self._show_saved_notes(loaded.saved)
        from_library = loaded.source.kind == "saved"
        kept = loaded.annotated  # a prefetched feed item: analysed already
        await self.show_article(loaded.article, analyse=not from_library and kept is None)
        if from_library and loaded.saved is not None:
            self.show_analysis(loaded.saved.annotated)
        elif kept is not None:
            self.show_analysis(kept)
        if message.look_up_saved and not from_library:
            # After the frame that shows the article: with a library, the lookup imports
            # the library store and queries it, which would delay that frame.
            self.call_after_refresh(self.look_up_saved, loaded.article, self.generation)

    @on(SavedFound)
    def _saved_found(self, message: SavedFound) -> None:
        """The article on screen was saved before: its notes and highlights show, and an
        analysis already on screen is compared with the saved one, as when the copy is
        found while loading."""
        if message.generation != self.generation or self.saved is not None:
            return
        self.saved = message.saved
        if self.loaded is not None:
            self.loaded = self.loaded._replace(saved=message.saved)
        self._show_saved_notes(message.saved)
        if self.annotated is not None:  # the panels show the analysis: the notes join it
            self.query_one(NotesPanel).show(self.annotated)
            self._compare_with_saved(self.annotated)
        self.refresh_marks()
        self.article_saved(message.saved)  # keep a lead image already shown with it

    def _show_saved_notes(self, saved: SavedArticle | None) -> None:
        notes = self.query_one(NotesPanel)
        notes.highlights = list(saved.highlights) if saved else []
        if notes.highlights:
            notes.build()  # shown in the wide layout from now: drawn complete at once
        self.set_class(bool(notes.highlights), "-has-notes")

    def _scroll_back(self, y: float, tries: int) -> None:
        """Put the reader back where they were. The article may still be wrapped for the
        view's size before the loading line went (shorter than it will be), so a place
        past its end is tried again on the next frames until the text reaches it."""
        view = self.article_view
        view.scroll_to(y=y, animate=False)
        if tries > 0 and view.max_scroll_y < y:
            self.set_timer(0.05, lambda: self._scroll_back(y, tries - 1))

    async def show_article(self, article: Article, *, analyse: bool = True) -> None:
        self.article = article
        self.titles[self.current_source] = article.title
        view = self.article_view
        await view.show_article(article)
        view.loading = False
        self.call_after_refresh(self._scroll_back, self._restore_y, RESTORE_TRIES)
        if not self.find_bar.display:
            view.focus()
        self.side.show_message("analysing…")
        self.analysis_state = "analysing…"
        self.percent = 0
        self.update_status()
        if analyse:
            self.analyse(article, self.generation)
        self.start_image()

    @on(Analysed)
    def _analysed(self, message: Analysed) -> None:
        if message.generation == self.generation:
            self.show_analysis(message.annotated)

    def show_analysis(self, annotated: Annotated) -> None:
        self.annotated = annotated
        for panel in self.panels:
            panel.show(annotated)
        self.refresh_marks()
        from reader.analysis.nlp import analysis_note

        self.analysis_state = analysis_note(annotated.article.text) or "analysed"
        self.update_status()
        self._compare_with_saved(annotated)

    def _compare_with_saved(self, annotated: Annotated) -> None:
        """Say what changed since the article was saved, when it was read again from the
        web (or a file) and the library has a copy."""
        saved = self.saved
        if saved is not None and self.current_source.kind != "saved":
            from reader.library import diff as library_diff
            from reader.tui.screens.changes import ChangesScreen

            diff = library_diff.diff_saved(saved.annotated, annotated)
            if diff.changed:
                self.notify(f"changed since you saved it: {diff.summary()}",
                            title="Edited article", timeout=10, markup=False)
                self.app.push_screen(ChangesScreen(diff))

    def refresh_marks(self) -> None:
        if not self._ready:
            return
        notes = self.query_one(NotesPanel)
        highlights = [(h.start, h.end) for h in notes.highlights]
        if self.annotated is not None or self.article is not None:
            self.article_view.set_marks(analysis_marks(
                self.annotated, entities=self.entity_marks, highlights=highlights))

    # ----- the lead image ---------------------------------------------------------------

    def start_image(self) -> None:
        """Fetch (or read from the library) and decode the lead image, after the text is
        on screen; nothing is fetched while images are off, nor for a local file."""
        article = self.article
        if not self.images or article is None or not article.image:
            return
        if self.current_source.kind not in WEB_SOURCES:
            return  # local files and the demo are read offline
        saved_id = self.saved.id if self.saved is not None else None
        self.load_image(article, saved_id, self.generation, self._cancel)

    @work(thread=True, exclusive=True, group="image", exit_on_error=False)
    def load_image(self, article: Article, saved_id: int | None, generation: int,
                   cancel: Cancel) -> None:
        from reader.images import ImageData, ImageError, decode_image, fetch_image_blocking
        from reader.library import images as lead_images
        from reader.library import store

        assert article.image is not None
        data: ImageData | None = None
        cached = False
        try:
            if saved_id is not None and self.library_exists():
                with store.opened(self.library) as connection:
                    kept = lead_images.cached_image(connection, saved_id, article.image)
                if kept is not None:
                    data, cached = ImageData(kept.url, kept.content, kept.content_type), True
            if data is None:
                data = fetch_image_blocking(article.image, page_url=article.url,
                                            limits=limits_from(self.settings),
                                            transport=self.transport,
                                            cancel=cancel)
            picture = decode_image(data.content)
            graphics.load_renderers()
        except ImageError as error:
            self.post_message(self.ImageFailed(generation, str(error)))
            return
        self.post_message(self.ImageReady(generation, picture, article.image_caption, data,
                                          cached))

    def library_exists(self) -> bool:
        from reader import paths

        return (self.library or paths.library_file()).exists()

    @on(ImageReady)
    async def _image_ready(self, message: ImageReady) -> None:
        if message.generation != self.generation or not self.images:
            return
        self.image_data, self._image_shown = message.data, message
        await self.lead_image.show_picture(message.picture, message.caption)
        if self.saved is not None and self.article is not None and not message.cached:
            self.cache_image(self.saved.id, self.article.image or message.data.url,
                             message.data)

    @on(ImageFailed)
    def _image_failed(self, message: ImageFailed) -> None:
        if message.generation == self.generation:
            self.notify(message.reason, title="Image", severity="warning", timeout=4,
                        markup=False)

    def article_saved(self, saved: SavedArticle) -> None:
        """Keep the image on screen with the article just saved, for reading offline."""
        data = self.image_data
        article = self.article
        if data is not None and article is not None and article.image and \
                saved.annotated.article.image == article.image:
            self.cache_image(saved.id, article.image, data)

    @work(thread=True, group="image-cache", exit_on_error=False)
    def cache_image(self, article_id: int, url: str, data: ImageData) -> None:
        from reader.library import images as lead_images
        from reader.library import store

        with store.opened(self.library) as connection:
            lead_images.store_image(connection, article_id, url, data.content,
                                    data.content_type)

    async def action_toggle_images(self) -> None:
        self.images = not self.images
        if self.images:
            self.notify("images on", timeout=2)
            shown = self._image_shown
            if shown is not None and shown.generation == self.generation:
                await self.lead_image.show_picture(shown.picture, shown.caption)
            elif self.lead_image.picture is None:
                self.start_image()
        else:
            self.workers.cancel_group(self, "image")
            await self.lead_image.clear()
            self.notify("images off: none is fetched", timeout=2)

    # ----- status line ----------------------------------------------------------------

    def set_status_text(self, message: str) -> None:
        self.query_one("#status", Static).update(Text(message))

    def update_status(self) -> None:
        parts: list[str] = []
        if len(self.sources) > 1:
            parts.append(f"{self.index + 1}/{len(self.sources)}")
        article = self.article
        if article is None:
            parts.append(f"loading {self.current_source.label}…")
        else:
            parts.append(article.site or self.current_source.label)
            if article.published:
                parts.append(display_date(article.published))
            parts.append(f"{article.reading_minutes} min")
            if article.method:
                parts.append(f"via {article.method}")
            parts.append(f"{self.percent}%")
            parts.append(self.analysis_state)
        self.set_status_text(" · ".join(parts))

    @on(ArticleScrolled)
    def _scrolled(self, event: ArticleScrolled) -> None:
        self.percent = event.percent
        if self.article is not None:
            self.update_status()
        for panel in self.panels:
            panel.follow(event.offset)

    # ----- panes and layout ------------------------------------------------------------

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
        self.side_hidden = self.zen = False
        if index == 4:
            self.add_class("-show-notes")
        self.side.current = index - 1
        self.panels[index - 1].focus_list()

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
        self.zen = False
        self.side_hidden = not self.side_hidden

    def action_toggle_entity_marks(self) -> None:
        self.entity_marks = not self.entity_marks

    def action_zen(self) -> None:
        self.side_hidden = False
        self.zen = not self.zen

    # ----- articles and history --------------------------------------------------------

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
        if self.from_home:
            self.leave()
            return
        from reader.tui.screens.pickers import ArticleListScreen

        labels = [self.titles.get(s) or s.label for s in self.sources]

        def chosen(index: int | None) -> None:
            if index is not None and self.sources[index] != self.current_source:
                self.open_source(self.sources[index])

        self.app.push_screen(ArticleListScreen(labels, self.index), chosen)

    def action_history(self, delta: int) -> None:
        if self.article is not None:
            self.history.remember(self.article_view.scroll_y)
        entry = self.history.move(delta)
        if entry is None:
            self.notify("no more history that way", timeout=2)
            return
        self.open_source(entry.source, record=False, scroll_y=entry.scroll_y)

    def action_back(self) -> None:
        """``q``: back to the home screen if the article came from there, else back in
        history, else quit (H goes back in history everywhere)."""
        if self.from_home:
            self.leave()
        elif self.history.position > 0:
            self.action_history(-1)
        else:
            self.app.exit(0)

    def leave(self) -> None:
        """Back to the home screen, remembering where the reader was."""
        if self.article is not None:
            self.history.remember(self.article_view.scroll_y)
        self.dismiss()

    def action_reload(self) -> None:
        """Load again; a saved web article is fetched again and compared with the saved
        copy (news articles are edited silently)."""
        source = self.current_source
        url = self.article.url if self.article else None
        if source.kind == "saved" and url and url.lower().startswith(("http://", "https://")):
            source = Source("url", url)
            self.history.replace_current(source)
        self.open_source(source, record=False, scroll_y=self.article_view.scroll_y)

    def action_links(self) -> None:
        from reader.tui.screens.pickers import LinksScreen

        links = self.article.links if self.article else ()
        screen = LinksScreen(links)

        def chosen(index: int | None) -> None:
            if index is None:
                return
            if screen.in_browser:
                self.open_in_browser(links[index].url)
            else:
                self.open_source(Source("url", links[index].url), scroll_y=0)

        self.app.push_screen(screen, chosen)

    def action_open_browser(self) -> None:
        self.open_in_browser(self.article.url if self.article else None)

    def action_hand_over_link(self) -> None:
        article = self.article
        self.hand_over_link(article.url if article else None, article.title if article else "")

    def action_pipe(self) -> None:
        """``|``: the article as Markdown (with its address) to a shell command."""
        if self.article is None:
            self.notify("no article to pipe", timeout=2)
            return
        from reader.annotation_models import Annotated
        from reader.library.export import to_markdown

        annotated = self.annotated or Annotated(self.article)
        self.pipe_text(to_markdown(annotated))

    def action_toggle_link_numbers(self) -> None:
        view = self.article_view
        view.link_numbers = not view.link_numbers
        if view.link_numbers and not (self.article and self.article.links):
            self.notify("this article has no links", timeout=2)

    @on(ArticleView.LinkTyped)
    def _link_typed(self, event: ArticleView.LinkTyped) -> None:
        if event.digits:
            self.set_status_text(f"link {event.digits}: enter opens it, escape cancels")
        else:
            self.update_status()

    @on(ArticleView.LinkChosen)
    def _link_chosen(self, event: ArticleView.LinkChosen) -> None:
        links = self.article.links if self.article else ()
        if not 1 <= event.number <= len(links):
            self.notify(f"no link {event.number} (this article has {len(links)})",
                        timeout=3, markup=False)
            return
        self.open_source(Source("url", links[event.number - 1].url), scroll_y=0)

    def action_copy(self) -> None:
        """Copy the selected quote with its speaker, or else the article's address."""
        quotes = self.side.quotes
        quote = quotes.quote_for(quotes.highlighted_key()) if quotes.holds_focus else None
        if quote is not None:
            text = f"“{quote.text}” — {quote.speaker or 'unknown speaker'}"
        elif self.article is not None and self.article.url:
            text = self.article.url
        else:
            self.notify("nothing to copy", timeout=2)
            return
        self.app.copy_to_clipboard(text)
        self.notify("copied to the clipboard", timeout=2)

    def action_extraction_report(self) -> None:
        page = self.loaded.page if self.loaded else None
        if self.article is None or page is None:
            self.notify("no article to inspect", timeout=2)
            return
        if self.article.method == "plain text":
            self.notify("this article is plain text: there is no HTML to inspect", timeout=3)
            return
        self.build_report(page.content, page.url, self.article.title)

    @work(thread=True, group="report", exit_on_error=False)
    def build_report(self, page: bytes, url: str | None, title: str) -> None:
        from reader.extract import extraction_report

        self.post_message(self.ReportReady(f"Extraction: {title}", extraction_report(page, url)))

    @on(ReportReady)
    def _report_ready(self, message: ReportReady) -> None:
        from reader.tui.screens.debug import ExtractionScreen

        self.app.push_screen(ExtractionScreen(message.title, message.report))

    # ----- escape, find, n / N ----------------------------------------------------------

    def action_cancel(self) -> None:
        running = [w for w in self.workers if w.group == "load" and w.is_running]
        if running:
            self._cancel.cancel()
            self.workers.cancel_group(self, "load")
            self.generation += 1
            self.article_view.loading = False
            self.set_status_text(f"cancelled loading {self.current_source.label}")
            self.side.show_message("no article")
            return
        if self.article_view.selection is not None:
            self.article_view.clear_selection()
            return
        if self.zen:
            self.zen = False
            return
        if self.find_bar.display:
            self.find_bar.close()
        if not self.spans and self.from_home:
            self.leave()
            return
        self.spans = ()
        self.article_view.clear_highlight()

    @on(JumpTo)
    def _jump(self, event: JumpTo) -> None:
        self.spans = event.spans
        self.span_index = event.current
        self.article_view.highlight(self.spans, self.span_index)

    def _step(self, delta: int) -> None:
        if not self.spans:
            self.notify("nothing selected: choose an item or find with /", timeout=2)
            return
        self.span_index = (self.span_index + delta) % len(self.spans)
        self.article_view.highlight(self.spans, self.span_index)
        if self.find_bar.display:
            self.find_bar.set_count(self.span_index, len(self.spans),
                                    self.find_bar.input.value)

    def action_next_span(self) -> None:
        self._step(1)

    def action_previous_span(self) -> None:
        self._step(-1)

    async def action_find(self) -> None:
        await self.find_bar.open()

    @on(FindBar.Changed)
    def _find_changed(self, event: FindBar.Changed) -> None:
        if self.article is None:
            return
        spans = find_all(self.article.text, event.query)
        top = self.article_view.top_offset()
        current = next((i for i, (start, _) in enumerate(spans) if start >= top), 0)
        self.spans = tuple(spans)
        self.span_index = current
        self.article_view.highlight(self.spans, current)
        self.find_bar.set_count(current, len(spans), event.query)

    @on(FindBar.Done)
    def _find_done(self, event: FindBar.Done) -> None:
        if event.cleared:
            self.spans = ()
            self.article_view.clear_highlight()
        self.article_view.focus()
