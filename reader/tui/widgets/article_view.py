"""The article itself: header, then one widget per block, styled by character offsets.

Blocks are separate widgets so that highlighting a span re-renders only the blocks it
touches, and so that scrolling to an offset is scrolling to a widget. Text is always
handed over as ``rich.text.Text`` built from the article string: nothing in it is ever
parsed as markup.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from reader.models import Article, Block

Span = tuple[int, int]
HIGHLIGHT = "reverse"
CURRENT = "bold reverse"


def header_text(article: Article) -> Text:
    """Title and the facts a reader looks for before reading: who, where, when, how long."""
    text = Text(article.title or "(untitled)", style="bold")
    meta = [part for part in (article.byline, article.site, article.published) if part]
    meta.append(f"{article.reading_minutes} min read · {article.word_count:,} words")
    text.append("\n")
    text.append(" · ".join(meta), style="dim")
    return text


class BlockView(Static):
    """One paragraph, heading, list item, block quote or caption of the article."""

    def __init__(self, article: Article, block: Block, index: int) -> None:
        super().__init__(markup=False, classes=f"block {block.kind.replace('_', '-')}")
        self.block = block
        self.index = index
        self._source = article.text[block.start:block.end]
        self.spans: list[tuple[int, int, str]] = []
        self.update(self.render_text())

    def render_text(self) -> Text:
        prefix = "• " if self.block.kind == "list_item" else ""
        text = Text(prefix)
        body = Text(self._source)
        for start, end, style in self.spans:
            a = max(start, self.block.start) - self.block.start
            b = min(end, self.block.end) - self.block.start
            if a < b:
                body.stylize(style, a, b)
        text.append_text(body)
        return text

    def set_spans(self, spans: list[tuple[int, int, str]]) -> None:
        if spans != self.spans:
            self.spans = spans
            self.update(self.render_text())


class ArticleView(VerticalScroll, can_focus=True):
    """Scrollable article with offset-based highlighting."""

    BINDINGS = [
        Binding("j", "scroll_down", "Down", show=False, id="article.down"),
        Binding("k", "scroll_up", "Up", show=False, id="article.up"),
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

    @property
    def block_views(self) -> list[BlockView]:
        return list(self.query(BlockView))

    async def show_article(self, article: Article) -> None:
        self.article = article
        self._highlights = ()
        await self.remove_children()
        self._starts = [b.start for b in article.blocks]
        widgets: list[Static] = [Static(header_text(article), markup=False, id="article-header")]
        widgets += [BlockView(article, block, i) for i, block in enumerate(article.blocks)]
        await self.mount_all(widgets)
        self.scroll_home(animate=False)

    def block_index_at(self, offset: int) -> int:
        return max(0, bisect_right(self._starts, offset) - 1)

    def highlight(self, spans: Sequence[Span], current: int = 0) -> None:
        """Mark ``spans`` (the current one stronger) and scroll the current one into view."""
        self._highlights = tuple(spans)
        self._current = current
        views = self.block_views
        touched: dict[int, list[tuple[int, int, str]]] = {}
        for i, (start, end) in enumerate(self._highlights):
            style = CURRENT if i == current else HIGHLIGHT
            first, last = self.block_index_at(start), self.block_index_at(max(start, end - 1))
            for index in range(first, last + 1):
                touched.setdefault(index, []).append((start, end, style))
        for view in views:
            view.set_spans(touched.get(view.index, []))
        if self._highlights and views:
            target = views[self.block_index_at(self._highlights[current][0])]
            self.scroll_to_center(target, animate=False)

    def clear_highlight(self) -> None:
        self.highlight(())

    @property
    def highlighted(self) -> tuple[Span, ...]:
        return self._highlights
