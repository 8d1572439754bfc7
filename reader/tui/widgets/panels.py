"""The three side panels: Quotes, Entities and Key facts.

They share one shape: a title, a one-line summary and a list. Choosing an item posts
``JumpTo`` with the article spans it stands for; the app highlights them. Every label is
a ``rich.text.Text`` built from analysis output, never markup.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.containers import Vertical
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from reader.display_dates import display_date
from reader.textutil import plural
from reader.tui.messages import JumpTo, Span

if TYPE_CHECKING:
    from reader.library.store import SavedHighlight
    from reader.models import Annotated, Entity, Fact, Quote

QUOTE_FOLD = 220
# Quote.speaker_confidence from which an attribution is shown and counted as sure; below
# it the speaker is the analyser's best guess and shows with a "?".
CONFIDENT_SPEAKER = 0.5
FACT_FOLD = 160


def fold(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class PanelList(OptionList):
    """The list inside a panel, with vi keys.

    Empty (until the analysis, or when it found nothing), it draws one blank line for
    every row: ``OptionList`` works each one out again, which cost the first frame about
    20 ms per panel."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="panel.down"),
        Binding("k", "cursor_up", "Up", show=False, id="panel.up"),
        Binding("g", "first", "First", show=False, id="panel.first"),
        Binding("G", "last", "Last", show=False, id="panel.last"),
    ]

    def __init__(self, *options: Option | None, classes: str | None = None) -> None:
        super().__init__(*options, classes=classes)
        self._blank: Strip | None = None

    def render_lines(self, crop: Region) -> list[Strip]:
        self._blank = None  # the style or width may have changed since the last frame
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        if self.option_count:
            return super().render_line(y)
        if self._blank is None:
            self._blank = super().render_line(y)
        return self._blank


class Panel(Vertical):
    """Common behaviour: placeholder states, the option → spans map, jump on Enter."""

    TITLE = ""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="panel")
        self._spans: dict[str, tuple[Span, ...]] = {}
        self._labels: dict[str, str] = {}
        self._built = False
        """Whether the title, summary and list are in the panel (see ``build``)."""
        self._summary = Text("")
        self._options: list[Option | None] = []
        """What the list holds, kept while it is not built."""

    def _parts(self) -> list[Widget]:
        return [Static(Text(self.TITLE), classes="panel-title", markup=False),
                Static(self._summary, classes="panel-summary", markup=False),
                PanelList(*self._options, classes="panel-list")]

    def build(self) -> None:
        """Put the title, summary and list in the panel, if they are not there yet (and
        the panel is: see ``SidePanels``).

        A panel is composed empty and built when first shown or used, which is after the
        screen's first frame: nine widgets fewer to style, lay out and draw before the
        article is on screen (~9% of that frame's instructions), and a panel the layout
        hides (Notes beside the three others, all but the current one in the tabbed
        layouts) is not built at all until needed."""
        if not self._built and self.is_attached:
            self._built = True
            self.mount(*self._parts())
            self._options = []

    def on_show(self) -> None:
        self.build()

    @property
    def holds_focus(self) -> bool:
        """The focus is in this panel (never while it is not mounted yet)."""
        return self.is_attached and self.has_focus_within

    def focus_list(self) -> None:
        """Focus the list, if the panel is mounted (a key pressed before that is lost)."""
        if self.is_attached:
            self.option_list.focus()

    @property
    def option_list(self) -> PanelList:
        self.build()
        return self.query_one(PanelList)

    def set_summary(self, text: str) -> None:
        self._summary = Text(text, style="dim")
        if self._built:
            self.query_one(".panel-summary", Static).update(self._summary)

    def show_message(self, message: str) -> None:
        """A state instead of content: loading, analysing, unavailable, nothing found."""
        self._spans.clear()
        self._labels.clear()
        if self._built:
            self.option_list.clear_options()
        else:
            self._options = []
        self.set_summary(message)

    def _set_options(self, options: list[Option | None]) -> None:
        """Fill the list; ``None`` entries become divider lines between items."""
        if not self._built:
            self._options = options  # the list highlights its first item when built
            return
        listing = self.option_list
        listing.clear_options()
        listing.add_options(options)
        real = [o for o in options if o is not None]
        first = next((i for i, o in enumerate(real) if not o.disabled), None)
        listing.highlighted = first

    def _item(self, key: str, label: Text, spans: tuple[Span, ...], name: str) -> Option:
        self._spans[key] = spans
        self._labels[key] = name
        return Option(label, id=key)

    @staticmethod
    def _heading(text: str) -> Option:
        return Option(Text(text, style="bold underline"), disabled=True)

    def spans_of_highlighted(self) -> tuple[Span, ...]:
        listing = self.option_list
        if listing.highlighted is None:
            return ()
        option = listing.get_option_at_index(listing.highlighted)
        return self._spans.get(option.id or "", ())

    def jump_for(self, key: str) -> JumpTo | None:
        """What choosing item ``key`` shows in the article (panels may widen it)."""
        spans = self._spans.get(key, ())
        return JumpTo(spans, self._labels.get(key, "")) if spans else None

    @on(OptionList.OptionSelected)
    def _jump(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        message = self.jump_for(event.option.id or "")
        if message is not None:
            self.post_message(message)

    def highlighted_key(self) -> str | None:
        listing = self.option_list
        if listing.highlighted is None or listing.option_count == 0:
            return None
        return listing.get_option_at_index(listing.highlighted).id

    def follow(self, offset: int) -> None:
        """Make the item at (or else just before) ``offset`` current, unless the user is here."""
        if not self._spans or not self.is_attached or self.has_focus_within:
            return
        listing = self.option_list
        after: tuple[int, int] | None = None
        before: tuple[int, int] | None = None
        for index in range(listing.option_count):
            key = listing.get_option_at_index(index).id
            for start, _ in self._spans.get(key or "", ()):
                if start >= offset and (after is None or start < after[0]):
                    after = (start, index)
                if start < offset and (before is None or start > before[0]):
                    before = (start, index)
        best = after or before
        if best is not None and listing.highlighted != best[1]:
            listing.highlighted = best[1]

    def show(self, annotated: Annotated) -> None:
        raise NotImplementedError


class QuotesPanel(Panel):
    TITLE = "Quotes"
    BINDINGS = [Binding("f", "filter_speaker", "Filter speaker", id="quotes.filter")]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._quotes: tuple[Quote, ...] = ()
        self.speaker_filter: str | None = None

    def show(self, annotated: Annotated) -> None:
        self._quotes = annotated.quotes
        self.speaker_filter = None
        self._render_quotes()

    @staticmethod
    def summary(quotes: tuple[Quote, ...]) -> str:
        """Counts that only trust confident attributions: a guessed speaker is "unsure"."""
        if not quotes:
            return "no quotes in this article"
        sure = [q for q in quotes if q.speaker and q.speaker_confidence >= CONFIDENT_SPEAKER]
        named = sum(1 for q in sure if q.speaker_kind == "named")
        unnamed = sum(1 for q in sure if q.speaker_kind == "unnamed")
        unsure = sum(1 for q in quotes if q.speaker and q.speaker_confidence < CONFIDENT_SPEAKER)
        unknown = sum(1 for q in quotes if not q.speaker)
        speakers = len({q.speaker for q in sure})
        parts = [f"{plural(len(quotes), 'quote')}: {named} named, {unnamed} unnamed"]
        if unsure:
            parts.append(f"{unsure} unsure")
        if unknown:
            parts.append(f"{unknown} unattributed")
        parts.append(plural(speakers, "speaker"))
        return " · ".join(parts)

    def _render_quotes(self) -> None:
        quotes = [q for q in self._quotes
                  if self.speaker_filter is None or q.speaker == self.speaker_filter]
        summary = self.summary(self._quotes)
        if self.speaker_filter is not None:
            summary = f"only {self.speaker_filter} ({len(quotes)}) · f clears"
        self.show_message(summary)
        options: list[Option | None] = []
        for i, quote in enumerate(quotes):
            if options:
                options.append(None)
            label = Text()
            if quote.speaker:
                label.append(quote.speaker, style="bold")
                if quote.speaker_confidence < CONFIDENT_SPEAKER:
                    label.append("?", style="bold")  # a guess: the reader should check
            else:
                label.append("unknown speaker", style="bold dim")
            if quote.speaker_kind == "unnamed":
                label.append(" (unnamed)", style="italic dim")
            if quote.cue:
                label.append(f" {quote.cue}", style="dim")
            label.append("\n")
            label.append(fold(quote.text, QUOTE_FOLD),
                         style="italic" if quote.kind == "partial" else "")
            options.append(self._item(f"q{i}", label, ((quote.start, quote.end),),
                                      quote.speaker or ""))
        self._set_options(options)

    def jump_for(self, key: str) -> JumpTo | None:
        """A quote shows with every other quote of its speaker, for n / N."""
        base = super().jump_for(key)
        speaker = self._labels.get(key)
        if base is None or not speaker:
            return base
        spans = tuple((q.start, q.end) for q in self._quotes if q.speaker == speaker)
        return JumpTo(spans, speaker, current=spans.index(base.spans[0]))

    def quote_for(self, key: str | None) -> Quote | None:
        if key is None or not key.startswith("q"):
            return None
        spans = self._spans.get(key)
        return next((q for q in self._quotes if spans and (q.start, q.end) == spans[0]), None)

    def action_filter_speaker(self) -> None:
        """Show only the highlighted quote's speaker; pressed again, show everyone."""
        if self.speaker_filter is not None:
            self.speaker_filter = None
        else:
            listing = self.option_list
            if listing.highlighted is None:
                return
            key = listing.get_option_at_index(listing.highlighted).id or ""
            self.speaker_filter = self._labels.get(key) or None
        self._render_quotes()


ENTITY_GROUPS: tuple[tuple[str, frozenset[str]], ...] = (
    ("People", frozenset({"PERSON"})),
    ("Organisations", frozenset({"ORG"})),
    ("Places", frozenset({"GPE", "LOC", "FAC"})),
)


def entity_group(entity: Entity) -> str:
    for name, labels in ENTITY_GROUPS:
        if entity.label in labels:
            return name
    return "Other"


class EntitiesPanel(Panel):
    TITLE = "Entities"

    def show(self, annotated: Annotated) -> None:
        entities = annotated.entities
        if not entities:
            self.show_message("no named entities found")
            return
        counts = Counter(entity_group(e) for e in entities)
        self.show_message(" · ".join(f"{counts[g]} {g.lower()}" for g in
                                     ("People", "Organisations", "Places", "Other")
                                     if counts[g]))
        options: list[Option | None] = []
        for group in ("People", "Organisations", "Places", "Other"):
            members = [e for e in entities if entity_group(e) == group]
            if not members:
                continue
            options.append(self._heading(group))
            for entity in members:
                label = Text(entity.name)
                if entity.ambiguous:
                    label.append(" ?", style="dim")
                label.append(f"  {len(entity.mentions)}", style="dim")
                spans = tuple((m.start, m.end) for m in entity.mentions)
                options.append(self._item(entity.id, label, spans, entity.name))
        self._set_options(options)


FACT_SECTIONS = (("key_point", "Key points"), ("sentence", "Key points"),
                 ("number", "Numbers"), ("date", "Timeline"))


def fact_label(fact: Fact) -> Text:
    """One line of the Key facts panel, as a reader would write it.

    Numbers: "8 — Russian intelligence officers expelled". Timeline: the resolved date
    as people write dates ("Mon 11 Nov 2019", "week of 11 Nov 2019", never an ISO code),
    the article's own phrase dimmed after it, then the event. Key points: the sentence,
    with an opening pronoun replaced by its bracketed referent ("[NATO] also halved").
    """
    # Imported here: it brings the given-names module, which the first frame, drawn
    # before any fact exists, does not need.
    from reader.analysis.referents import with_referent

    label = Text()
    if fact.kind == "number" and fact.value:
        label.append(fact.value, style="bold")
        label.append(" — ")
        label.append(fold(fact.subject or fact.text, FACT_FOLD))
    elif fact.kind == "date" and fact.value:
        shown = display_date(fact.when) if fact.when else fact.value
        label.append(shown, style="bold")
        if fact.when and fact.value.lower() not in shown.lower():
            label.append(f" ({fold(fact.value, 40)})", style="dim")
        label.append(" — ")
        label.append(fold(fact.subject or fact.text, FACT_FOLD))
    elif fact.referent:
        label.append(fold(with_referent(fact.text, fact.referent), FACT_FOLD))
    else:
        label.append(fold(fact.text, FACT_FOLD))
    return label


class FactsPanel(Panel):
    TITLE = "Key facts"

    def show(self, annotated: Annotated) -> None:
        facts = annotated.facts
        if not facts:
            self.show_message("no key facts found")
            return
        counts = Counter(f.kind for f in facts)
        self.show_message(
            f"{counts['key_point'] + counts['sentence']} key points · "
            f"{counts['number']} numbers · {counts['date']} dates")
        options: list[Option | None] = []
        seen_titles: set[str] = set()
        for i, fact in enumerate(facts):
            title = dict(FACT_SECTIONS)[fact.kind]
            if title not in seen_titles:
                if options:
                    options.append(None)
                seen_titles.add(title)
                options.append(self._heading(title))
            elif fact.kind in ("key_point", "sentence"):
                options.append(None)
            options.append(self._item(f"f{i}", fact_label(fact), ((fact.start, fact.end),),
                                      fact.value or ""))
        self._set_options(options)


class NotesPanel(Panel):
    """The reader's own highlights and notes on this article; a edits a note, d deletes."""

    TITLE = "Notes"
    BINDINGS = [
        Binding("a", "edit_note", "Edit note", id="notes.edit"),
        Binding("d", "delete", "Delete highlight", id="notes.delete"),
    ]

    class EditNote(Message):
        def __init__(self, highlight: SavedHighlight) -> None:
            super().__init__()
            self.highlight = highlight

    class Delete(Message):
        def __init__(self, highlight: SavedHighlight) -> None:
            super().__init__()
            self.highlight = highlight

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.highlights: list[SavedHighlight] = []

    def show(self, annotated: Annotated) -> None:
        self.show_highlights(self.highlights)

    def show_highlights(self, highlights: list[SavedHighlight]) -> None:
        self.highlights = sorted(highlights, key=lambda h: h.start)
        if not self.highlights:
            self.show_message("no highlights: v selects, h highlights, a adds a note")
            return
        count = len(self.highlights)
        self.show_message(f"{plural(count, 'highlight')} · a note · d delete")
        options: list[Option | None] = []
        for highlight in self.highlights:
            if options:
                options.append(None)
            label = Text(fold(highlight.text, QUOTE_FOLD), style="italic")
            if highlight.note:
                label.append("\n")
                label.append(fold(highlight.note, QUOTE_FOLD))
            options.append(self._item(f"h{highlight.id}", label,
                                      ((highlight.start, highlight.end),), ""))
        self._set_options(options)

    def selected(self) -> SavedHighlight | None:
        key = self.highlighted_key()
        return next((h for h in self.highlights if f"h{h.id}" == key), None)

    def action_edit_note(self) -> None:
        highlight = self.selected()
        if highlight is not None:
            self.post_message(self.EditNote(highlight))

    def action_delete(self) -> None:
        highlight = self.selected()
        if highlight is not None:
            self.post_message(self.Delete(highlight))
