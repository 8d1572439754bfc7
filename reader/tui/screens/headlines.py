"""The headline side of the home screen: what is listed, and how it looks.

``FeedsScreen`` reads every item once per reload into a ``HeadlineIndex`` (in a thread);
everything the reader does to the list afterwards (choose a feed or a query feed, ``/``
search as they type, ``u`` unread only, ``s`` sort) is a selection over that index on the
app's thread, with no SQL; the ``HeadlineList`` builds and draws only the rows on screen,
so a keystroke costs about the same at 500 items or 20,000.

Read headlines are dimmed and unread ones bold; the unread count is in the feed list and
the terminal's title.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.widgets.option_list import Option

from reader import feeds
from reader.feeds.listing import Listing, view_counts
from reader.headline_query import HeadlineIndex, QueryError, View
from reader.textutil import clean_inline, plural
from reader.tui.screens.base import BaseScreen
from reader.tui.widgets.find_bar import FindBar
from reader.tui.widgets.headline_list import HeadlineList

VIEW_PREFIX = "view:"
ALL_FEEDS = "all"


def view_label(view: View, counts: tuple[int, int] | str | None) -> Text:
    """A query feed as the feed list shows it: a marker, its name, unread and total
    (``"…"`` while the headlines are still being read)."""
    label = Text("◆ ", style="bold cyan")
    if isinstance(counts, str):
        label.append(clean_inline(view.name))
        label.append(f"  {counts}", style="dim")
        return label
    if counts is None:
        label.append(clean_inline(view.name), style="red")
        label.append("  (query not readable)", style="dim")
        return label
    unread, total = counts
    label.append(clean_inline(view.name), style="bold" if unread else "")
    label.append(f"  {unread}/{total}" if unread else f"  {total}", style="dim")
    return label


class HeadlineViews(BaseScreen[None]):
    """Search, views, unread only and sort over the headlines (a base of FeedsScreen)."""

    HEADLINE_BINDINGS = [
        Binding("slash", "search", "Search", key_display="/", id="feeds.search"),
        Binding("u", "toggle_unread_only", "Unread only", id="feeds.unread_only"),
        Binding("s", "toggle_sort", "Sort date/feed", show=False, id="feeds.sort"),
    ]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.index = HeadlineIndex([], [])
        self.listing = Listing()
        self.views: tuple[View, ...] = ()
        self.shown: list[int] = []
        """Indices into ``index.items`` of what the list shows, in order."""
        self.search_problem = ""
        self.index_complete = False
        """False until every headline is read (the first screenful comes first)."""
        self._selections: dict[Listing, list[int]] = {}
        """Recent selections from this index (backspace in a search finds them again)."""
        self._selected_from: HeadlineIndex | None = None
        self._last: tuple[Listing, list[int]] | None = None

    # ----- what the list holds ---------------------------------------------------------

    @property
    def item_list(self) -> HeadlineList:
        return self.query_one("#item-list", HeadlineList)

    @property
    def search_bar(self) -> FindBar:
        return self.query_one("#headline-find", FindBar)

    def item_at(self, row: int | None) -> feeds.Item | None:
        if row is None or not 0 <= row < len(self.shown):
            return None
        return self.index.items[self.shown[row]]

    @property
    def items(self) -> list[feeds.Item]:
        """The listed headlines, in order."""
        items = self.index.items
        return [items[i] for i in self.shown]

    def headline_label(self, item: feeds.Item) -> Text:
        raise NotImplementedError

    def show_headlines(self, keep: int | None = None) -> None:
        """Select from the index and fill the first page; ``keep``: the row to highlight."""
        try:
            self.shown = self._select()
            self.search_problem = ""
        except QueryError as exc:
            self.search_problem = str(exc)  # keep the last good list while they type
        items, shown = self.index.items, self.shown
        self.item_list.set_rows(len(shown), lambda row: self.headline_label(items[shown[row]]),
                                keep)
        self.show_search_count()

    def _select(self) -> list[int]:
        """The listing's selection: remembered, narrowed from the last one, or new."""
        if self._selected_from is not self.index:
            self._selections.clear()
            self._last = None
            self._selected_from = self.index
        listing = self.listing
        selected = self._selections.get(listing)
        if selected is None:
            selected = listing.select(self.index, earlier=self._last)
            if len(self._selections) >= 64:
                self._selections.clear()
            self._selections[listing] = selected
        self._last = (listing, selected)
        return selected

    def headline_title(self) -> str:
        """What the list shows, for the status line: the choice and its toggles."""
        parts = []
        if self.listing.view is not None:
            parts.append(f"view {self.listing.view.name}")
        if self.listing.unread_only:
            parts.append("unread only")
        if self.listing.sort != "date":
            parts.append(f"by {self.listing.sort}")
        if self.listing.search.strip():
            parts.append(f"/{self.listing.search.strip()}")
        return " · ".join(parts)

    def view_options(self) -> list[Option]:
        counts: list[tuple[int, int] | str | None] = (
            list(view_counts(self.index, self.views)) if self.index_complete
            else ["…"] * len(self.views))
        return [Option(view_label(view, count), id=f"{VIEW_PREFIX}{n}")
                for n, (view, count) in enumerate(zip(self.views, counts, strict=True))]

    def show_unread_in_title(self, unread: int) -> None:
        """The terminal's title says how many headlines are unread, as newsboat's does.

        ``App.title`` keeps it for Textual (a header, the command palette); Textual 8 does
        not send it to the terminal, so the standard OSC 2 sequence does, through the
        driver, except when headless (tests)."""
        title = f"reader ({unread} unread)" if unread else "reader"
        if title == self.app.title:
            return
        self.app.title = title
        driver = getattr(self.app, "_driver", None)
        if driver is not None and not self.app.is_headless:
            driver.write(f"\x1b]2;{title}\x07")

    # ----- keys ----------------------------------------------------------------------

    async def action_search(self) -> None:
        await self.search_bar.open(
            placeholder="search headlines: words, unread, tag:x, feed:x, since:2d")

    def show_search_count(self) -> None:
        if not self.search_bar.display:
            return
        if self.search_problem:
            label = Text(self.search_problem, style="red")
        else:
            label = Text(plural(len(self.shown), "match", "matches"))
        self.search_bar.query_one(".find-count").update(label)  # type: ignore[attr-defined]

    @on(FindBar.Changed)
    def _search_changed(self, event: FindBar.Changed) -> None:
        event.stop()
        self.listing = self.listing.with_(search=event.query)
        self.show_headlines()

    @on(FindBar.Done)
    def _search_done(self, event: FindBar.Done) -> None:
        event.stop()
        if event.cleared:
            self.listing = self.listing.with_(search="")
            self.search_problem = ""
            self.show_headlines()
        self.item_list.focus()
        self.headlines_changed()

    def headlines_changed(self) -> None:
        """The choice changed (search, toggles): the screen updates its status line."""

    def action_toggle_unread_only(self) -> None:
        self.listing = self.listing.with_(unread_only=not self.listing.unread_only)
        self.show_headlines()
        self.headlines_changed()  # the status line says "unread only"

    def action_toggle_sort(self) -> None:
        self.listing = self.listing.with_(sort="feed" if self.listing.sort == "date" else "date")
        self.show_headlines()
        self.headlines_changed()  # the status line says "by feed"
