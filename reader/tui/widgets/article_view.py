"""The article itself: header, then one widget per block, styled by character offsets.

Blocks are separate widgets so that highlighting a span re-renders only the blocks it
touches, and so that scrolling to an offset is scrolling to a widget. Text is always
handed over as ``rich.text.Text`` built from the article string: nothing in it is ever
parsed as markup, and styles are applied by offsets, never by searching for strings.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from reader.models import Annotated, Article, Block

Span = tuple[int, int]
StyledSpan = tuple[int, int, Style]

HIGHLIGHT = Style(reverse=True)
CURRENT = Style(reverse=True, bold=True)
QUOTE_MARK = Style(color="#e5c07b")
KEY_POINT_MARK = Style(bgcolor="#2a3340")
ENTITY_MARKS = {
    "PERSON": Style(underline=True, color="#7fb8ff"),
    "ORG": Style(underline=True, color="#d7a0ff"),
    "GPE": Style(underline=True, color="#98d98e"),
    "LOC": Style(underline=True, color="#98d98e"),
    "FAC": Style(underline=True, color="#98d98e"),
}
OTHER_ENTITY_MARK = Style(underline=True)


def header_text(article: Article) -> Text:
    """Title and the facts a reader looks for before reading: who, where, when, how long."""
    text = Text(article.title or "(untitled)", style="bold")
    meta = [part for part in (article.byline, article.site, article.published) if part]
    meta.append(f"{article.reading_minutes} min read · {article.word_count:,} words")
    text.append("\n")
    text.append(" · ".join(meta), style="dim")
    return text


def analysis_marks(annotated: Annotated, *, entities: bool = True) -> list[StyledSpan]:
    """The light marks that tie the text to the panels: quotes, key points, entities."""
    marks: list[StyledSpan] = []
    marks += [(f.start, f.end, KEY_POINT_MARK) for f in annotated.facts
              if f.kind in ("key_point", "sentence")]
    marks += [(q.start, q.end, QUOTE_MARK) for q in annotated.quotes]
    if entities:
        for entity in annotated.entities:
            style = ENTITY_MARKS.get(entity.label, OTHER_ENTITY_MARK)
            marks += [(m.start, m.end, style) for m in entity.mentions]
    return marks


class BlockView(Static):
    """One paragraph, heading, list item, block quote or caption of the article."""

    def __init__(self, article: Article, block: Block, index: int) -> None:
        super().__init__(markup=False, classes=f"block {block.kind.replace('_', '-')}")
        self.block = block
        self.index = index
        self._source = article.text[block.start:block.end]
        self.marks: list[StyledSpan] = []
        self.spans: list[StyledSpan] = []
        self.update(self.render_text())

    def _apply(self, body: Text, spans: list[StyledSpan]) -> None:
        for start, end, style in spans:
            a = max(start, self.block.start) - self.block.start
            b = min(end, self.block.end) - self.block.start
            if a < b:
                body.stylize(style, a, b)

    def render_text(self) -> Text:
        text = Text("• " if self.block.kind == "list_item" else "")
        body = Text(self._source)
        self._apply(body, self.marks)
        self._apply(body, self.spans)
        text.append_text(body)
        return text

    def set_layers(self, marks: list[StyledSpan], spans: list[StyledSpan]) -> None:
        if marks != self.marks or spans != self.spans:
            self.marks, self.spans = marks, spans
            self.update(self.render_text())


@dataclass
class ArticleScrolled(Message):
    """The article moved: ``offset`` is the first character of the top visible block."""

    offset: int
    percent: int


class ArticleView(VerticalScroll, can_focus=True):
    """Scrollable article with offset-based marks and highlights."""

    BINDINGS = [
        Binding("j", "scroll_down", "Down", show=False, id="article.down"),
        Binding("k", "scroll_up", "Up", show=False, id="article.up"),
        Binding("ctrl+d", "half_page(1)", "Half page down", show=False,
                id="article.half_down"),
        Binding("ctrl+u", "half_page(-1)", "Half page up", show=False, id="article.half_up"),
        Binding("space", "page_down", "Page", show=False, id="article.page_down"),
        Binding("b", "page_up", "Page up", show=False, id="article.page_up"),
        Binding("g", "scroll_home", "Top", show=False, id="article.top"),
        Binding("G", "scroll_end", "Bottom", show=False, id="article.bottom"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.article: Article | None = None
        self._starts: list[int] = []
        self._highlights: tuple[Span, ...] = ()
        self._current: int = 0
        self._marks: list[StyledSpan] = []
        self._last_reported: tuple[int, int] | None = None

    @property
    def block_views(self) -> list[BlockView]:
        return list(self.query(BlockView))

    async def show_article(self, article: Article) -> None:
        self.article = article
        self._highlights = ()
        self._marks = []
        await self.remove_children()
        self._starts = [b.start for b in article.blocks]
        widgets: list[Static] = [Static(header_text(article), markup=False, id="article-header")]
        widgets += [BlockView(article, block, i) for i, block in enumerate(article.blocks)]
        await self.mount_all(widgets)
        self.scroll_home(animate=False)

    def block_index_at(self, offset: int) -> int:
        return max(0, bisect_right(self._starts, offset) - 1)

    def _by_block(self, spans: Sequence[StyledSpan]) -> dict[int, list[StyledSpan]]:
        touched: dict[int, list[StyledSpan]] = {}
        for start, end, style in spans:
            first, last = self.block_index_at(start), self.block_index_at(max(start, end - 1))
            for index in range(first, last + 1):
                touched.setdefault(index, []).append((start, end, style))
        return touched

    def _restyle(self) -> None:
        marks = self._by_block(self._marks)
        spans = self._by_block([
            (start, end, CURRENT if i == self._current else HIGHLIGHT)
            for i, (start, end) in enumerate(self._highlights)])
        for view in self.block_views:
            view.set_layers(marks.get(view.index, []), spans.get(view.index, []))

    def set_marks(self, marks: list[StyledSpan]) -> None:
        self._marks = sorted(marks, key=lambda m: (m[0], m[1]))
        self._restyle()

    def highlight(self, spans: Sequence[Span], current: int = 0) -> None:
        """Mark ``spans`` (the current one stronger) and scroll the current one into view."""
        self._highlights = tuple(spans)
        self._current = current
        self._restyle()
        views = self.block_views
        if self._highlights and views and 0 <= current < len(self._highlights):
            target = views[self.block_index_at(self._highlights[current][0])]
            self.scroll_to_center(target, animate=False)

    def clear_highlight(self) -> None:
        self.highlight(())

    @property
    def highlighted(self) -> tuple[Span, ...]:
        return self._highlights

    @property
    def current_index(self) -> int:
        return self._current

    def action_half_page(self, direction: int) -> None:
        self.scroll_relative(y=direction * max(1, self.scrollable_content_region.height // 2),
                             animate=False)

    def top_offset(self) -> int:
        """The article offset of the first block whose top is on screen."""
        for view in self.block_views:
            if view.virtual_region.bottom > self.scroll_y:
                return view.block.start
        return 0

    @property
    def percent(self) -> int:
        if self.max_scroll_y <= 0:
            return 100
        return round(100 * self.scroll_y / self.max_scroll_y)

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        if self.article is None:
            return
        report = (self.top_offset(), self.percent)
        if report != self._last_reported:
            self._last_reported = report
            self.post_message(ArticleScrolled(*report))
