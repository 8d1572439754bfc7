"""A list of headlines that draws only the rows on screen.

Textual's ``OptionList`` measures every option it is given (wrapping its text) when it
is filled; at 20,000 headlines, or even a few hundred, refilling it on each keystroke of a
search costs far more than a frame. Here every row is two lines (the headline, then its
summary, each cut to the width), so the list's height is known without measuring, and a
row's label is built and rendered only when it is drawn. The screen gives the row count
and a function that builds row ``n``'s label; nothing is parsed as markup.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

ROW_LINES = 2


class HeadlineList(ScrollView, can_focus=True):
    """Rows of two lines; ``highlighted`` is the cursor row; enter or a click selects."""

    COMPONENT_CLASSES = {"headline-list--cursor", "headline-list--cursor-blurred"}
    DEFAULT_CSS = """
    HeadlineList > .headline-list--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: $block-cursor-text-style;
    }
    HeadlineList > .headline-list--cursor-blurred {
        background: $block-cursor-blurred-background;
        color: $block-cursor-blurred-foreground;
        text-style: $block-cursor-blurred-text-style;
    }
    """
    BINDINGS = [
        Binding("j,down", "move(1)", "Down", show=False, id="headlines.down"),
        Binding("k,up", "move(-1)", "Up", show=False, id="headlines.up"),
        Binding("g,home", "first", "First", show=False, id="headlines.first"),
        Binding("G,end", "last", "Last", show=False, id="headlines.last"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="headlines.page_down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="headlines.page_up"),
        Binding("enter", "select", "Read", show=False, id="headlines.read"),
    ]

    @dataclass
    class Highlighted(Message):
        list: HeadlineList
        index: int

        @property
        def control(self) -> HeadlineList:
            return self.list

    @dataclass
    class Selected(Message):
        list: HeadlineList
        index: int

        @property
        def control(self) -> HeadlineList:
            return self.list

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._count = 0
        self._label: Callable[[int], Text] = lambda index: Text()
        self._highlighted: int | None = None
        self._cache: dict[tuple[int, int], list[Strip]] = {}

    # ----- content ----------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return self._count

    def set_rows(self, count: int, label: Callable[[int], Text],
                 highlighted: int | None = 0) -> None:
        """Show ``count`` rows; ``label(n)`` builds row n when it is drawn."""
        self._count = count
        self._label = label
        self._cache.clear()
        self.virtual_size = Size(self.size.width, count * ROW_LINES)
        self._highlighted = None
        self.highlighted = min(highlighted or 0, count - 1) if count else None
        self.refresh()

    def refresh_rows(self) -> None:
        """Build the labels again (what they show changed, not how many there are)."""
        self._cache.clear()
        self.refresh()

    @property
    def highlighted(self) -> int | None:
        return self._highlighted

    @highlighted.setter
    def highlighted(self, index: int | None) -> None:
        if index is not None:
            index = max(0, min(index, self._count - 1)) if self._count else None
        if index == self._highlighted:
            return
        self._highlighted = index
        self.refresh()
        if index is not None:
            self._scroll_to_row(index)
            self.post_message(self.Highlighted(self, index))

    def _scroll_to_row(self, index: int) -> None:
        top = index * ROW_LINES
        height = max(ROW_LINES, self.scrollable_content_region.height)
        if top < self.scroll_y:
            self.scroll_to(y=top, animate=False, immediate=True)
        elif top + ROW_LINES > self.scroll_y + height:
            self.scroll_to(y=top + ROW_LINES - height, animate=False, immediate=True)

    # ----- drawing ----------------------------------------------------------------

    def _row_strips(self, index: int, width: int) -> list[Strip]:
        key = (index, width)
        strips = self._cache.get(key)
        if strips is None:
            console = self.app.console
            lines = self._label(index).split("\n", include_separator=False)[:ROW_LINES]
            strips = []
            for line in lines:
                line.no_wrap = True
                line.truncate(width, overflow="ellipsis", pad=True)
                strips.append(Strip(line.render(console), width))
            while len(strips) < ROW_LINES:
                strips.append(Strip([Segment(" " * width)], width))
            if len(self._cache) > 400:
                self._cache.clear()
            self._cache[key] = strips
        return strips

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        line = round(self.scroll_y) + y
        index, row_line = divmod(line, ROW_LINES)
        base = self.rich_style
        if index >= self._count or width <= 0:
            return Strip.blank(width, base)
        strip = self._row_strips(index, width)[row_line].apply_style(base)
        if index == self._highlighted:
            name = "headline-list--cursor" if self.has_focus else "headline-list--cursor-blurred"
            strip = strip.apply_style(self.get_component_rich_style(name))
        return strip.apply_meta({"row": index})

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, self._count * ROW_LINES)
        self._cache.clear()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # ----- keys and mouse ------------------------------------------------------------

    def action_move(self, step: int) -> None:
        if self._count:
            self.highlighted = (self._highlighted or 0) + step if self._highlighted is not None \
                else 0

    def action_first(self) -> None:
        self.highlighted = 0

    def action_last(self) -> None:
        self.highlighted = self._count - 1

    def action_page(self, direction: int) -> None:
        rows = max(1, self.scrollable_content_region.height // ROW_LINES)
        self.action_move(direction * rows)

    def action_select(self) -> None:
        if self._highlighted is not None:
            self.post_message(self.Selected(self, self._highlighted))

    def on_click(self, event: events.Click) -> None:
        row = event.style.meta.get("row") if event.style else None
        if isinstance(row, int):
            self.highlighted = row
            self.post_message(self.Selected(self, row))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self._count * ROW_LINES

