"""The article itself, drawn line by line so a 20,000-word article scrolls smoothly.

The text is wrapped once per width into lines that remember which characters of
``Article.text`` they show; only the lines on screen are rendered. Marks (quotes,
entities, key points) and highlights are styles applied by offsets to the affected
blocks only, and wrapping never depends on them. Nothing in the article is ever parsed as
markup: every line is built from ``rich.text.Text`` over the article string.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich._wrap import divide_line
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.display_dates import display_date
from reader.link_anchors import link_anchors
from reader.sentences import sentence_spans

if TYPE_CHECKING:
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
USER_HIGHLIGHT = Style(bgcolor="#5c4a12")
SELECTION = Style(bgcolor="#3b4d6b", underline=True)
LINK_NUMBER = Style(color="#56b6c2", bold=True)
LINK_TEXT = Style(underline=True)
PREFIXES = {"list_item": "• ", "blockquote": "▌ "}
Insert = tuple[int, str]
"""A label drawn at an offset of a block (relative to its start) that is not in the text."""


def header_text(article: Article) -> Text:
    """Title and the facts a reader looks for before reading: who, where, when, how long."""
    published = display_date(article.published) if article.published else None
    meta = [part for part in (article.byline, article.site, published) if part]
    meta.append(f"{article.reading_minutes} min read · {article.word_count:,} words")
    return Text.assemble((article.title or "(untitled)", "bold"), "\n",
                         (" · ".join(meta), "dim"))


def analysis_marks(annotated: Annotated | None, *, entities: bool = True,
                   highlights: Sequence[Span] = ()) -> list[StyledSpan]:
    """The light marks that tie the text to the panels: quotes, key points, entities,
    and the reader's own highlights (alone while no analysis has come, ``None``)."""
    marks: list[StyledSpan] = []
    if annotated is None:
        return [(start, end, USER_HIGHLIGHT) for start, end in highlights]
    marks += [(f.start, f.end, KEY_POINT_MARK) for f in annotated.facts
              if f.kind in ("key_point", "sentence")]
    marks += [(q.start, q.end, QUOTE_MARK) for q in annotated.quotes]
    if entities:
        for entity in annotated.entities:
            style = ENTITY_MARKS.get(entity.label, OTHER_ENTITY_MARK)
            marks += [(m.start, m.end, style) for m in entity.mentions]
    marks += [(start, end, USER_HIGHLIGHT) for start, end in highlights]
    return marks


class _Wrapped:
    """One block wrapped to the current width: where each screen line starts in it.

    Its lines are styled and rendered only when first drawn (and again after a restyle):
    a long article is wrapped in full, for its line count, but only what is on screen is
    rendered, so opening it does not cost a render of every paragraph."""

    __slots__ = ("block", "breaks", "inserts", "strips")

    def __init__(self, block: Block, breaks: list[int], inserts: list[Insert]) -> None:
        self.block = block
        self.breaks = breaks
        """Where each screen line after the first starts, in the block as drawn (with
        inserts)."""
        self.strips: list[Strip] | None = None
        """Rendered when the block is first drawn (see ``ArticleView._block_strips``)."""
        self.inserts = inserts

    @property
    def rows(self) -> int:
        """Screen lines: ``Text.divide`` makes one more line than there are breaks."""
        return len(self.breaks) + 1

    def drawn(self, offset: int) -> int:
        """The drawn position of the block's character ``offset`` (inserts shift it)."""
        return offset + sum(len(label) for at, label in self.inserts if at <= offset)

    def source(self, drawn: int) -> int:
        """The block offset drawn at ``drawn`` (inside an insert: where it stands)."""
        shift = 0
        for at, label in self.inserts:
            start = at + shift
            if drawn < start:
                break
            if drawn < start + len(label):
                return at
            shift += len(label)
        return drawn - shift


class ArticleScrolled(Message):
    """The article moved: ``offset`` is the first character of the top visible line."""

    def __init__(self, offset: int, percent: int) -> None:
        super().__init__()
        self.offset = offset
        self.percent = percent


class ArticleView(ScrollView, can_focus=True):
    """Scrollable article with offset-based marks and highlights."""

    COMPONENT_CLASSES = {
        "article--heading", "article--blockquote", "article--caption", "article--rule",
    }
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
        Binding("v", "select", "Select", id="article.select"),
        Binding("right_curly_bracket", "extend_paragraph(1)", "Select paragraph",
                show=False, id="article.select_paragraph"),
        Binding("left_curly_bracket", "extend_paragraph(-1)", "Unselect paragraph",
                show=False, id="article.unselect_paragraph"),
        # Shown in the footer only while there is a selection (see ``check_action``);
        # otherwise the keys fall through to the reading screen.
        Binding("h", "selection('highlight')", "Highlight", id="article.selection_highlight"),
        Binding("a", "selection('note')", "Note", id="article.selection_note"),
        Binding("escape", "drop_selection", "Drop selection", id="article.drop_selection"),
        # Only while link numbers are shown (U); otherwise 1-5 choose the panes.
        Binding("0,1,2,3,4,5,6,7,8,9", "link_digit", "Link number (then enter)",
                show=False, id="article.link_number"),
        Binding("enter", "open_link", "Open link", id="article.open_link"),
        Binding("escape", "forget_link", "Cancel link", show=False,
                id="article.forget_link"),
    ]

    class LinkTyped(Message):
        """The link number typed so far ("" once chosen or cancelled)."""

        def __init__(self, digits: str) -> None:
            super().__init__()
            self.digits = digits

    class LinkChosen(Message):
        def __init__(self, number: int) -> None:
            super().__init__()
            self.number = number

    measure: reactive[int | None] = reactive(None)
    """At most this many columns of text, centred (zen mode); None: the full width."""
    link_numbers: reactive[bool] = reactive(False)
    """Each link's number drawn after its text (``text[3]``), as w3m does."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.article: Article | None = None
        self._starts: list[int] = []
        self._highlights: tuple[Span, ...] = ()
        self._current: int = 0
        self._marks: list[StyledSpan] = []
        self._marks_by_block: dict[int, list[StyledSpan]] = {}
        self._spans_by_block: dict[int, list[StyledSpan]] = {}
        self._header: list[Strip] = []
        self._blocks: list[_Wrapped] = []
        self._first_line: list[int] = []
        self._total = 0
        self._wrap_width = 0
        self._indent = 0
        self._pass: tuple[Style, int, int, int] | None = None
        """While a frame is drawn: what :meth:`_line_frame` says for all its lines."""
        self._last_reported: tuple[int, int] | None = None
        self._selection_by_block: dict[int, list[StyledSpan]] = {}
        self.sentences: list[Span] = []
        self.selection: tuple[int, int] | None = None
        self._inserts_by_block: dict[int, list[Insert]] = {}
        self._links_by_block: dict[int, list[StyledSpan]] = {}
        self.typed = ""
        """The link number typed so far, while link numbers are shown."""
        self._last_key = ""

    # ----- content ---------------------------------------------------------------------

    async def show_article(self, article: Article) -> None:
        self.article = article
        self._highlights = ()
        self._marks = []
        self._marks_by_block = {}
        self._spans_by_block = {}
        self._starts = [b.start for b in article.blocks]
        self._last_reported = None
        self.sentences = sentence_spans(article)
        self.selection = None
        self._selection_by_block = {}
        self.typed = ""
        self._number_links()
        self._relayout(force=True)
        self.scroll_to(0, 0, animate=False)

    # ----- link numbers (U) -------------------------------------------------------------

    def _number_links(self) -> None:
        """Where each link's number goes (after its text), block by block."""
        self._inserts_by_block = {}
        self._links_by_block = {}
        if self.article is None or not self.link_numbers:
            return
        for number, anchor in enumerate(link_anchors(self.article), start=1):
            if anchor is None:
                continue
            start, end = anchor
            index = self.block_index_at(max(start, end - 1))
            block = self.article.blocks[index] if self.article.blocks else None
            if block is None or end > block.end:
                continue
            self._inserts_by_block.setdefault(index, []).append(
                (end - block.start, f"[{number}]"))
            self._links_by_block.setdefault(index, []).append((start, end, LINK_TEXT))
        for inserts in self._inserts_by_block.values():
            inserts.sort()

    def watch_link_numbers(self) -> None:
        self.typed = ""
        self._number_links()
        self._relayout(force=True)
        self.refresh_bindings()

    def on_key(self, event: events.Key) -> None:
        self._last_key = event.key  # the digit the link_digit binding was pressed with

    def action_link_digit(self) -> None:
        if self._last_key.isdigit() and len(self.typed) < 4:
            self.typed += self._last_key
            self.post_message(self.LinkTyped(self.typed))
            self.refresh_bindings()

    def action_open_link(self) -> None:
        number = int(self.typed)
        self.action_forget_link()
        self.post_message(self.LinkChosen(number))

    def action_forget_link(self) -> None:
        self.typed = ""
        self.post_message(self.LinkTyped(""))
        self.refresh_bindings()

    def block_index_at(self, offset: int) -> int:
        return max(0, bisect_right(self._starts, offset) - 1)

    def _content_width(self) -> int:
        """The text area's width. While the view is covered by its loading line, Textual
        lays out the cover in its place and the view itself has no size: the cover's
        width tells it, so an article that arrives then is wrapped before it is
        uncovered and shows in the first frame after, not one resize later."""
        width = self.scrollable_content_region.width
        cover = self._cover_widget
        if not width and cover is not None and cover.region.width:
            width = max(0, cover.region.width - self.styles.gutter.width)
        return width

    def _room(self) -> int:
        """The columns the text may use: the scrollbar's column is always left, shown or
        not, so the text does not wrap again when the bar comes or goes (Textual shows
        it a layout after the text is wrapped, without a resize)."""
        room = self._content_width()
        if not self.show_vertical_scrollbar and self.styles.overflow_y == "auto":
            room -= self.styles.scrollbar_size_vertical
        return room

    def _text_width(self, room: int | None = None) -> int:
        """Columns of text in ``room`` columns (by default the view's room now)."""
        if room is None:
            room = self._room()
        width = max(10, room - 1)
        if self.measure:
            width = min(width, self.measure)
        return width

    def on_resize(self) -> None:
        self._relayout()

    def watch_measure(self) -> None:
        self._relayout(force=True)

    def _relayout(self, force: bool = False) -> None:
        """Wrap every block for the current width (only when the width changed)."""
        if self.article is None:
            return
        if not self._content_width():
            # Not laid out yet (an article that loads before the first frame): wrapped
            # when the first resize gives the width, not at a 10-column guess first.
            self._wrap_width = 0
            self._header, self._blocks, self._first_line, self._total = [], [], [], 0
            return
        room = self._room()
        width = self._text_width(room)
        if width == self._wrap_width and not force:
            return
        self._wrap(room)
        self.refresh()

    def _wrap(self, room: int) -> None:
        """Wrap every block for ``room`` columns."""
        assert self.article is not None
        width = self._text_width(room)
        self._wrap_width = width
        full = max(10, room - 1)
        self._indent = max(0, (full - width) // 2) if self.measure else 0
        self._header = self._render_header(width)
        self._blocks = [self._wrap_block(i, block, width)
                        for i, block in enumerate(self.article.blocks)]
        self._first_line = []
        line = len(self._header)
        for wrapped in self._blocks:
            self._first_line.append(line)
            line += wrapped.rows + 1
        self._total = line
        self.virtual_size = Size(full, self._total)

    def _render_header(self, width: int) -> list[Strip]:
        assert self.article is not None
        console = self.app.console
        pad = [Segment(" " * self._indent)] if self._indent else []
        lines = [Strip([*pad, *line.render(console)]) for line in
                 header_text(self.article).wrap(console, width)]
        rule = self.get_component_rich_style("article--rule", partial=True)
        lines += [Strip([*pad, Segment("─" * width, rule)]), Strip.blank(width)]
        return lines

    def _block_style(self, block: Block) -> Style:
        name = {"heading": "article--heading", "blockquote": "article--blockquote",
                "caption": "article--caption"}.get(block.kind)
        return self.get_component_rich_style(name, partial=True) if name else Style()

    def _styled(self, index: int) -> Text:
        """The block's text with its styles by offset, and any link numbers inserted."""
        assert self.article is not None
        block = self.article.blocks[index]
        text = Text(self.article.text[block.start:block.end], style=self._block_style(block))
        for layer in (self._links_by_block, self._marks_by_block, self._selection_by_block,
                      self._spans_by_block):
            for start, end, style in layer.get(index, []):
                a, b = max(start, block.start) - block.start, min(end, block.end) - block.start
                if a < b:
                    text.stylize(style, a, b)
        inserts = self._inserts_by_block.get(index)
        if not inserts:
            return text
        pieces = text.divide([at for at, _ in inserts])
        drawn = Text(style=text.style)
        for position, piece in enumerate(pieces):
            drawn.append_text(piece)
            if position < len(inserts):
                drawn.append(inserts[position][1], style=LINK_NUMBER)
        return drawn

    def _wrap_block(self, index: int, block: Block, width: int) -> _Wrapped:
        assert self.article is not None
        prefix = PREFIXES.get(block.kind, "")
        inserts = self._inserts_by_block.get(index, [])
        plain = self.article.text[block.start:block.end]
        for at, label in reversed(inserts):
            plain = plain[:at] + label + plain[at:]
        breaks = divide_line(plain, max(5, width - len(prefix)), fold=True)
        return _Wrapped(block, breaks, inserts)

    def _block_strips(self, index: int) -> list[Strip]:
        wrapped = self._blocks[index]
        if wrapped.strips is None:
            wrapped.strips = self._strips(index, wrapped)
        return wrapped.strips

    def _strips(self, index: int, wrapped: _Wrapped) -> list[Strip]:
        console = self.app.console
        prefix = PREFIXES.get(wrapped.block.kind, "")
        strips = []
        for number, line in enumerate(self._styled(index).divide(wrapped.breaks)):
            line.rstrip()
            if prefix:
                lead = Text(prefix if number == 0 or wrapped.block.kind == "blockquote"
                            else " " * len(prefix), style=self._block_style(wrapped.block))
                line = Text.assemble(lead, line)
            if self._indent:
                line = Text.assemble(" " * self._indent, line)
            strips.append(Strip(line.render(console)))
        return strips

    def _restyle(self, indices: set[int]) -> None:
        for index in indices:
            if 0 <= index < len(self._blocks):
                self._blocks[index].strips = None  # rendered again when next drawn
        self.refresh()

    def render_lines(self, crop: Region) -> list[Strip]:
        self._wrap_if_new()
        # The widget's style, scroll offset and width hold for the whole pass: looked up
        # once here, not for every line (the style alone is ~0.1 ms a lookup).
        self._pass = self._line_frame()
        try:
            return super().render_lines(crop)
        finally:
            self._pass = None

    def render_line(self, y: int) -> Strip:
        self._wrap_if_new()
        base, x, top, width = self._pass or self._line_frame()
        strip = self._line(top + y)
        return strip.apply_style(base).crop_extend(x, x + width, base)

    def _wrap_if_new(self) -> None:
        if self.article is not None and not self._wrap_width and self._content_width():
            # An article shown before the first layout is wrapped as soon as the view has
            # its width, here in the first frame, not after that frame's resize event.
            self._relayout()

    def _line_frame(self) -> tuple[Style, int, int, int]:
        """The base style, the scroll offset (x, y) and the width lines are drawn with."""
        offset = self.scroll_offset
        return (self.rich_style, round(offset.x), round(offset.y),
                self.scrollable_content_region.width)

    def _line(self, index: int) -> Strip:
        if index < len(self._header):
            return self._header[index]
        if not self._blocks or index >= self._total:
            return Strip.blank(0)
        block = bisect_right(self._first_line, index) - 1
        row = index - self._first_line[block]
        strips = self._block_strips(block)
        return strips[row] if row < len(strips) else Strip.blank(0)

    # ----- offsets and lines ---------------------------------------------------------

    def line_of(self, offset: int) -> int:
        """The screen line (in the whole article) that shows character ``offset``."""
        if not self._blocks:
            return 0
        index = self.block_index_at(offset)
        wrapped = self._blocks[index]
        row = bisect_right(wrapped.breaks, wrapped.drawn(offset - wrapped.block.start))
        return self._first_line[index] + row

    def offset_at_line(self, line: int) -> int:
        if not self._blocks or line < len(self._header):
            return 0
        block = max(0, bisect_right(self._first_line, line) - 1)
        wrapped = self._blocks[block]
        row = min(max(0, line - self._first_line[block]), len(wrapped.breaks))
        return wrapped.block.start + wrapped.source([0, *wrapped.breaks][row])

    def block_lines(self, index: int) -> list[str]:
        """The plain text of a block's screen lines (what the reader sees), for tests."""
        return [strip.text for strip in self._block_strips(index)]

    def block_text(self, index: int) -> Text:
        """A block's text with its marks and highlights applied."""
        return self._styled(index)

    def block_layers(self, index: int) -> tuple[list[StyledSpan], list[StyledSpan]]:
        return self._marks_by_block.get(index, []), self._spans_by_block.get(index, [])

    # ----- marks and highlights -------------------------------------------------------

    def _by_block(self, spans: Sequence[StyledSpan]) -> dict[int, list[StyledSpan]]:
        touched: dict[int, list[StyledSpan]] = {}
        for start, end, style in spans:
            first, last = self.block_index_at(start), self.block_index_at(max(start, end - 1))
            for index in range(first, last + 1):
                touched.setdefault(index, []).append((start, end, style))
        return touched

    def set_marks(self, marks: list[StyledSpan]) -> None:
        self._marks = list(marks)
        old = set(self._marks_by_block)
        self._marks_by_block = self._by_block(self._marks)
        self._restyle(old | set(self._marks_by_block))

    def highlight(self, spans: Sequence[Span], current: int = 0) -> None:
        """Mark ``spans`` (the current one stronger) and scroll the current one into view."""
        self._highlights = tuple(spans)
        self._current = current
        old = set(self._spans_by_block)
        self._spans_by_block = self._by_block([
            (start, end, CURRENT if i == current else HIGHLIGHT)
            for i, (start, end) in enumerate(self._highlights)])
        self._restyle(old | set(self._spans_by_block))
        if self._highlights and 0 <= current < len(self._highlights):
            line = self.line_of(self._highlights[current][0])
            height = self.scrollable_content_region.height
            self.scroll_to(y=max(0, line - height // 2), animate=False)

    def clear_highlight(self) -> None:
        self.highlight(())

    @property
    def highlighted(self) -> tuple[Span, ...]:
        return self._highlights

    @property
    def current_index(self) -> int:
        return self._current

    # ----- selection by sentence (v, then j/k and { }) ---------------------------------

    def current_sentence(self) -> int:
        """The first sentence that starts on screen: where the reader's eyes are."""
        top = self.top_offset()
        for index, (_start, end) in enumerate(self.sentences):
            if end > top:
                return index
        return max(0, len(self.sentences) - 1)

    def selected_span(self) -> Span | None:
        """The selection, or else the current sentence."""
        if not self.sentences:
            return None
        first, last = self.selection or (self.current_sentence(),) * 2
        return self.sentences[first][0], self.sentences[last][1]

    def _show_selection(self) -> None:
        old = set(self._selection_by_block)
        span = self.selected_span() if self.selection is not None else None
        self._selection_by_block = self._by_block([(*span, SELECTION)]) if span else {}
        self._restyle(old | set(self._selection_by_block))
        self.refresh_bindings()
        if span is not None:
            line = self.line_of(span[1] - 1)
            height = self.scrollable_content_region.height
            if line >= self.scroll_offset.y + height:
                self.scroll_to(y=line - height + 2, animate=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("selection", "drop_selection"):
            return self.selection is not None
        if action == "link_digit":
            return self.link_numbers
        if action in ("open_link", "forget_link"):
            return bool(self.typed)
        return True

    async def action_selection(self, name: str) -> None:
        """h / a while selecting: the reading screen's highlight or note."""
        await self.run_action(f"screen.{name}")

    def action_drop_selection(self) -> None:
        self.clear_selection()

    def action_select(self) -> None:
        """Start a selection at the current sentence; pressed again, drop it."""
        if self.selection is None and self.sentences:
            index = self.current_sentence()
            self.selection = (index, index)
        else:
            self.selection = None
        self._show_selection()

    def clear_selection(self) -> None:
        if self.selection is not None:
            self.selection = None
            self._show_selection()

    def _extend(self, delta: int) -> None:
        assert self.selection is not None
        first, last = self.selection
        self.selection = (first, min(len(self.sentences) - 1, max(first, last + delta)))
        self._show_selection()

    def action_extend_paragraph(self, direction: int) -> None:
        if self.selection is None:
            return
        first, last = self.selection
        block = self.block_index_at(self.sentences[last][0])
        if direction > 0:
            target = block + 1
            ends = [i for i, (s, _) in enumerate(self.sentences)
                    if self.block_index_at(s) == target]
            last = ends[-1] if ends else last
        else:
            before = [i for i, (s, _) in enumerate(self.sentences)
                      if self.block_index_at(s) < block and i >= first]
            last = before[-1] if before else first
        self.selection = (first, last)
        self._show_selection()

    # ----- scrolling ---------------------------------------------------------------

    # Reading scrolls jump rather than glide: a pager that answers at once is easier to
    # read with, and an animated page costs a dozen full-screen renders.

    def action_scroll_down(self) -> None:
        if self.selection is not None:
            self._extend(1)
        else:
            self.scroll_relative(y=1, animate=False)

    def action_scroll_up(self) -> None:
        if self.selection is not None:
            self._extend(-1)
        else:
            self.scroll_relative(y=-1, animate=False)

    def action_page_down(self) -> None:
        self.scroll_relative(y=max(1, self.scrollable_content_region.height - 1),
                             animate=False)

    def action_page_up(self) -> None:
        self.scroll_relative(y=-max(1, self.scrollable_content_region.height - 1),
                             animate=False)

    def action_scroll_home(self) -> None:
        self.scroll_to(y=0, animate=False)

    def action_scroll_end(self) -> None:
        self.scroll_to(y=self.max_scroll_y, animate=False)

    def action_half_page(self, direction: int) -> None:
        self.scroll_relative(y=direction * max(1, self.scrollable_content_region.height // 2),
                             animate=False)

    def top_offset(self) -> int:
        """The article offset of the first line on screen."""
        return self.offset_at_line(round(self.scroll_offset.y))

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
