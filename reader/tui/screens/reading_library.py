"""The reading screen's library half: save, highlights, notes, tags, export, lookups.

Every library call runs in a thread worker with its own connection; the worker posts a
message with what changed, and the handler updates the screen on the app's thread.
A result for an article the reader has left (older generation) is dropped.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from textual import on, work
from textual.binding import Binding
from textual.message import Message

from reader.models import Article
from reader.sources import Loaded, Source
from reader.textutil import plural
from reader.tui.messages import Notice
from reader.tui.screens.base import BaseScreen
from reader.tui.widgets.article_view import ArticleView
from reader.tui.widgets.panels import NotesPanel
from reader.tui.widgets.side import SidePanels

if TYPE_CHECKING:
    import sqlite3

    from reader.library.store import SavedArticle, SavedHighlight, SaveResult
    from reader.models import Annotated
    from reader.tui.screens.library import Lookup

# The library (store, export, search) and the dialogs are imported in the methods that use
# them: the reading screen is on the way to the first frame, and most readings never save.


class OnScreen(NamedTuple):
    """What is on screen when a library action starts. Workers get this, never the
    screen's attributes, which may change (another article) while they run."""

    annotated: Annotated
    loaded: Loaded | None
    saved: SavedArticle | None
    generation: int


class LibraryActions(BaseScreen[None]):
    """Library keys of the reading screen (a base class of ``ReaderScreen``)."""

    LIBRARY_BINDINGS = [
        Binding("s", "save", "Save", id="app.save"),
        Binding("S", "library", "Library", id="app.library"),
        Binding("h", "highlight", "Highlight", show=False, id="app.highlight"),
        Binding("a", "note", "Note", show=False, id="app.note"),
        Binding("number_sign", "tags", "Tags", key_display="#", show=False, id="app.tags"),
        Binding("x", "export", "Export", show=False, id="app.export"),
        Binding("i", "lookup", "In the library", show=False, id="app.lookup"),
    ]

    library: Path | None
    article: Article | None
    annotated: Annotated | None
    saved: SavedArticle | None
    loaded: Loaded | None
    generation: int

    class Saved(Message):
        def __init__(self, generation: int, saved: SavedArticle, report: str) -> None:
            super().__init__()
            self.generation = generation
            self.saved = saved
            self.report = report

    class HighlightsChanged(Message):
        def __init__(
                self,
                generation: int,
                highlights: list[SavedHighlight],
                saved: SavedArticle | None = None,
        ) -> None:
            super().__init__()
            self.generation = generation
            self.highlights = highlights
            self.saved = saved

    class Found(Message):
        def __init__(self, found: Lookup) -> None:
            super().__init__()
            self.found = found

    def open_source(self, source: Source, *, record: bool = True,
                    scroll_y: float | None = None) -> None:
        raise NotImplementedError

    def refresh_marks(self) -> None:
        raise NotImplementedError

    def article_saved(self, saved: SavedArticle) -> None:
        """Called when the article on screen has just been saved (its image is kept)."""

    @property
    def _view(self) -> ArticleView:
        return self.query_one(ArticleView)

    def _annotated_now(self) -> Annotated | None:
        if self.article is None:
            return None
        from reader.annotation_models import Annotated

        return self.annotated or Annotated(self.article)

    def _on_screen(self) -> OnScreen | None:
        annotated = self._annotated_now()
        if annotated is None:
            return None
        return OnScreen(annotated, self.loaded, self.saved, self.generation)

    # ----- worker side (threads): library calls only, results posted back -------------

    @staticmethod
    def _store(connection: sqlite3.Connection, shown: OnScreen) -> SaveResult:
        """Save the article with its analysis, page bytes and fetch time."""
        from reader.library import store

        loaded, annotated = shown.loaded, shown.annotated
        page = loaded.page if loaded else None
        plain = annotated.article.method in (None, "plain text")
        source_type = (page.content_type if page else "") or \
            ("text/plain" if plain else "text/html")
        return store.save(connection, annotated, source=page.content if page else None,
                          source_type=source_type, fetched=loaded.fetched if loaded else None)

    def _ensure_saved(self, connection: sqlite3.Connection, shown: OnScreen) -> SavedArticle:
        from reader.library import store

        if shown.saved is not None:
            return shown.saved
        return store.get(connection, self._store(connection, shown).id)

    # ----- save ------------------------------------------------------------------------

    def action_save(self) -> None:
        shown = self._on_screen()
        if shown is None:
            self.notify("no article to save", timeout=2)
            return
        self.save_article(shown)

    @work(thread=True, group="library", exit_on_error=False)
    def save_article(self, shown: OnScreen) -> None:
        from reader.library import store

        with store.opened(self.library) as connection:
            result = self._store(connection, shown)
            saved = store.get(connection, result.id)
        if result.created:
            report = f"saved to the library (id {result.id})"
        else:
            report = f"updated in the library (id {result.id})"
            if result.diff and result.diff.changed:
                report += f": {result.diff.summary()}"
        if result.lost:
            report += f"; {plural(len(result.lost), 'highlight')} no longer found"
        self.post_message(self.Saved(shown.generation, saved, report))

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        self.notify(message.report, timeout=4, markup=False)
        if message.generation == self.generation:
            self.saved = message.saved
            self.show_highlights(list(message.saved.highlights))
            self.article_saved(message.saved)

    def show_highlights(self, highlights: list[SavedHighlight]) -> None:
        notes = self.query_one(NotesPanel)
        if highlights:
            notes.build()  # shown in the wide layout from now: drawn complete at once
        notes.show_highlights(highlights)
        self.set_class(bool(highlights), "-has-notes")
        self.refresh_marks()

    # ----- highlights and notes -----------------------------------------------------------

    def action_highlight(self) -> None:
        span = self._view.selected_span()
        shown = self._on_screen()
        if span is None or shown is None:
            return
        self._view.clear_selection()
        self.write_highlight(shown, span, "")

    def action_note(self) -> None:
        """A note on the selection (or current sentence), which becomes a highlight."""
        span = self._view.selected_span()
        shown = self._on_screen()
        if span is None or shown is None:
            return
        quoted = shown.annotated.article.text[span[0]:span[1]]

        def chosen(note: str | None) -> None:
            if note is not None:
                self._view.clear_selection()
                self.write_highlight(shown, span, note)

        from reader.tui.screens.dialogs import NoteEditor

        self.app.push_screen(NoteEditor(quoted), chosen)

    @work(thread=True, group="library", exit_on_error=False)
    def write_highlight(self, shown: OnScreen, span: tuple[int, int], note: str) -> None:
        from reader.library import store

        with store.opened(self.library) as connection:
            saved = self._ensure_saved(connection, shown)
            store.add_highlight(connection, saved.id, span[0], span[1], note)
            highlights = store.highlights(connection, saved.id)
        self.post_message(self.HighlightsChanged(shown.generation, highlights, saved))

    @on(HighlightsChanged)
    def _highlights_changed(self, message: HighlightsChanged) -> None:
        if message.generation != self.generation:
            return
        if message.saved is not None:
            if self.saved is None:
                self.article_saved(message.saved)
            self.saved = message.saved
        self.show_highlights(message.highlights)

    @on(NotesPanel.EditNote)
    def _edit_note(self, event: NotesPanel.EditNote) -> None:
        highlight, generation = event.highlight, self.generation

        def chosen(note: str | None) -> None:
            if note is not None and self.saved is not None:
                self.change_highlight(self.saved.id, highlight.id, note, generation)

        from reader.tui.screens.dialogs import NoteEditor

        self.app.push_screen(NoteEditor(highlight.text, highlight.note), chosen)

    @on(NotesPanel.Delete)
    def _delete_highlight(self, event: NotesPanel.Delete) -> None:
        if self.saved is not None:
            self.change_highlight(self.saved.id, event.highlight.id, None, self.generation)

    @work(thread=True, group="library", exit_on_error=False)
    def change_highlight(self, article_id: int, highlight_id: int, note: str | None,
                         generation: int) -> None:
        """A new note for the highlight, or (note None) delete it."""
        from reader.library import store

        with store.opened(self.library) as connection:
            if note is None:
                store.delete_highlight(connection, highlight_id)
            else:
                store.edit_highlight(connection, highlight_id, note=note)
            highlights = store.highlights(connection, article_id)
        self.post_message(self.HighlightsChanged(generation, highlights))

    # ----- tags and export ---------------------------------------------------------------

    def action_tags(self) -> None:
        shown = self._on_screen()
        if shown is None:
            return
        current = " ".join(shown.saved.tags) if shown.saved else ""

        def chosen(value: str | None) -> None:
            if value is not None:
                self.write_tags(shown, value.replace(",", " ").split())

        from reader.tui.screens.dialogs import LineEditor

        self.app.push_screen(LineEditor("Tags for this article (space separated)", current,
                                        "politics nato"), chosen)

    @work(thread=True, group="library", exit_on_error=False)
    def write_tags(self, shown: OnScreen, tags: list[str]) -> None:
        from reader.library import store

        with store.opened(self.library) as connection:
            article_id = self._ensure_saved(connection, shown).id
            old = set(store.get(connection, article_id).tags)
            store.remove_tags(connection, article_id, old - set(tags))
            kept = store.add_tags(connection, article_id, tags)
            saved = store.get(connection, article_id)
        listed = " ".join(f"#{t}" for t in kept) or "none"
        self.post_message(self.Saved(shown.generation, saved, f"tags: {listed}"))

    def action_export(self) -> None:
        annotated = self._annotated_now()
        if annotated is None:
            return
        from reader.library import export
        from reader.tui.screens.dialogs import ExportDialog

        folder = Path(os.environ.get("READER_EXPORT_DIR") or Path.home() / "reader-exports")
        default = folder / export.export_filename(annotated.article.title,
                                                  self.saved.id if self.saved else 0, "md")
        highlights = tuple(h.to_highlight() for h in self.query_one(NotesPanel).highlights)
        if self.saved is not None:
            annotated = replace(annotated, highlights=highlights)
        saved = self.saved

        def chosen(path: Path | None) -> None:
            if path is not None:
                self.write_export(annotated, saved, path)

        self.app.push_screen(ExportDialog(default), chosen)

    @work(thread=True, group="library", exit_on_error=False)
    def write_export(self, annotated: Annotated, saved: SavedArticle | None,
                     path: Path) -> None:
        from reader.library import export, store
        from reader.library import images as lead_images

        fmt: export.Format = {".json": "json", ".html": "html",
                              ".htm": "html"}.get(path.suffix.lower(), "md")  # type: ignore[assignment]
        meta = export.ExportMeta()
        if saved is not None:
            with store.opened(self.library) as connection:
                meta = lead_images.export_meta(connection, saved)
        path.parent.mkdir(parents=True, exist_ok=True)
        export.write_atomic(path, export.render(annotated, fmt, meta))
        self.post_message(Notice(f"exported to {path}", timeout=5))

    # ----- the library screen and lookups ---------------------------------------------

    def action_lookup(self) -> None:
        """``i``: the selected entity or speaker across the whole library."""
        names: list[str] = []
        side = self.query_one(SidePanels)
        entities, quotes = side.entities, side.quotes
        if entities.holds_focus and self.annotated is not None:
            entity = self.annotated.entity(entities.highlighted_key() or "")
            if entity is not None:
                names = [entity.name, *{m.text for m in entity.mentions}]
        elif quotes.holds_focus:
            quote = quotes.quote_for(quotes.highlighted_key())
            if quote is not None and quote.speaker:
                names = [quote.speaker]
        if not names:
            self.notify("choose an entity or a quote first (3 or 2), then press i", timeout=3)
            return
        self.run_lookup(names, self.saved.id if self.saved else None)

    @work(thread=True, group="library", exit_on_error=False)
    def run_lookup(self, names: list[str], exclude: int | None) -> None:
        from reader.tui.screens.library import lookup

        self.post_message(self.Found(lookup(self.library, names, exclude)))

    @on(Found)
    def _found(self, message: Found) -> None:
        from reader.tui.screens.library import LookupScreen

        def chosen(article_id: int | None) -> None:
            if article_id is not None:
                self.open_source(Source("saved", str(article_id)), scroll_y=0)

        self.app.push_screen(LookupScreen(message.found), chosen)

    def action_library(self) -> None:
        from reader.tui.screens.library import LibraryScreen

        self.app.push_screen(LibraryScreen(self.library))
