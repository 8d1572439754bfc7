"""The home screen: subscribed feeds on the left, their headlines on the right.

Every library read and write, refresh and add runs in a thread worker with its own
connection (refresh and add with their own event loop); workers post messages with what
they found, and progress, back to this screen.
"""

from __future__ import annotations

import asyncio
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Span, Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Footer, Input, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from reader import feeds
from reader.errors import ReaderError
from reader.headline_query import HeadlineIndex
from reader.library import db as library_db
from reader.sources import Source
from reader.textutil import clean_inline, plural
from reader.tui.background import BackgroundFeeds, hidden_note, ready_note, settings_help
from reader.tui.handoff import HandOff
from reader.tui.messages import Notice, OpenSources
from reader.tui.screens.base import BaseModal
from reader.tui.screens.headlines import ALL_FEEDS, VIEW_PREFIX, HeadlineViews
from reader.tui.widgets.find_bar import FindBar
from reader.tui.widgets.headline_list import HeadlineList
from reader.tui.widgets.stories import StoryList

if TYPE_CHECKING:
    import httpx


def age(stamp: str | None, now: datetime | None = None) -> str:
    """"5m", "3h", "2d": how long ago an ISO time was, for a narrow column."""
    if not stamp:
        return ""
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    seconds = max(0, ((now or datetime.now(UTC)) - moment).total_seconds())
    for size, unit in ((86400 * 365, "y"), (86400 * 30, "mo"), (86400, "d"), (3600, "h"),
                       (60, "m")):
        if seconds >= size:
            return f"{int(seconds // size)}{unit}"
    return "now"


def feed_label(feed: feeds.Feed) -> Text:
    label = Text()  # no base style: each part styles itself
    label.append("! " if feed.last_error else "  ", style="bold red")
    label.append(clean_inline(feed.title or feed.url), style="bold" if feed.unread else "")
    if feed.unread:
        label.append(f"  {feed.unread}", style="bold")
    if feed.tags:
        label.append("  " + " ".join(f"#{t}" for t in feed.tags), style="dim")
    label.append_text(hidden_note(feed))
    if feed.last_error:
        label.append(f"\n    {clean_inline(feed.last_error)}", style="red dim")
    return label


def item_label(item: feeds.Item, show_feed: bool) -> Text:
    """A headline: unread ones bold with a dot, read ones dimmed."""
    label = Text()
    label.append("  " if item.read else "● ", style="bold")
    label.append(clean_inline(item.title or "(untitled)"),
                 style="dim" if item.read else "bold")
    label.append_text(ready_note(item))
    meta = [part for part in (item.feed_title if show_feed else "",
                              age(item.published or item.first_seen)) if part]
    if meta:
        label.append("  " + " · ".join(clean_inline(m) for m in meta), style="dim")
    if item.summary:
        summary = clean_inline(item.summary)
        label.append("\n  " + (summary[:117] + "…" if len(summary) > 118 else summary),
                     style="dim")
    return label


class FeedList(OptionList):
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="feeds.down"),
        Binding("k", "cursor_up", "Up", show=False, id="feeds.up"),
        Binding("g", "first", "First", show=False, id="feeds.first"),
        Binding("G", "last", "Last", show=False, id="feeds.last"),
    ]


class AddFeedScreen(BaseModal[str | None]):
    """Ask for a feed or page URL."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="addfeed.cancel")]

    def __init__(self) -> None:
        super().__init__(classes="picker")

    def compose(self) -> ComposeResult:
        with Vertical(classes="picker-box"):
            yield Static(Text("Add a feed (a feed URL, or a page that links to one)",
                              style="bold"), classes="picker-title", markup=False)
            yield Input(placeholder="https://example.com/feed.xml", id="feed-url")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)


FIRST_PAGE = 100
"""Headlines read first at start (newest, of all feeds), so a big library shows at once."""
FIRST_FEEDS = 60
"""Feeds listed in that first screenful (more than a screen shows)."""
READ_WHOLE = 1000
"""A library of at most this many headlines (and ``FIRST_FEEDS`` feeds) is read whole at
start: about 13 ms, so its first frame has every count, and no second read follows."""


class FeedsScreen(HandOff, HeadlineViews):
    """Feeds and headlines; enter reads the highlighted headline."""

    BINDINGS = [
        Binding("q", "app.quit", "Quit", id="feeds.quit"),
        Binding("tab", "switch_list", "Feeds/items", show=False, id="feeds.switch",
                priority=True),
        Binding("r", "refresh_feed", "Refresh", id="feeds.refresh"),
        Binding("R", "refresh_all", "Refresh all", id="feeds.refresh_all"),
        Binding("a", "add_feed", "Add feed", id="feeds.add"),
        Binding("N", "toggle_read", "Read/unread", id="feeds.toggle_read"),
        Binding("A", "mark_feed_read", "Feed read", id="feeds.mark_feed_read"),
        Binding("n", "next_unread", "Next unread", id="feeds.next_unread"),
        Binding("p", "previous_unread", "Prev unread", show=False, id="feeds.previous_unread"),
        Binding("S", "library", "Library", id="feeds.library"),
        *HeadlineViews.HEADLINE_BINDINGS,
        Binding("O", "open_link", "Open link in browser", show=False, id="feeds.open_link"),
        Binding("m", "hand_over_link", "Copy/mail link", show=False, id="feeds.mail_link"),
        # Not in the footer, which is full at 120 columns (it would push "? Keys" out).
        Binding("c", "toggle_stories", "Stories/feeds", show=False, id="feeds.stories",
                tooltip="Headlines by feed, or grouped into stories (one row per event)"),
        Binding("ctrl+r", "background_refresh", "Refresh due feeds quietly", show=False,
                id="feeds.background_refresh"),
        Binding("D", "prefetch", "Prepare for offline", show=False, id="feeds.prefetch"),
    ]

    @dataclass
    class Lists(Message):
        feed_rows: list[feeds.Feed]
        index: HeadlineIndex
        complete: bool = True
        """False for the first screenful read at start, before every headline is."""

    @dataclass
    class Progress(Message):
        done: int
        total: int
        feed: feeds.Feed

    @dataclass
    class Refreshed(Message):
        report: feeds.RefreshReport

    class Reload(Message):
        """The library changed under the lists: read them again."""

    @on(Reload)
    def _reload(self) -> None:
        self.reload()

    def __init__(self, library: Path | None,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        super().__init__(id="feeds-screen")
        self.library = library
        self.transport = transport
        self.feed_rows: list[feeds.Feed] = []
        self.selected_feed: int | None = None
        self._feed_rows_drawn: list[tuple[str | None, str, tuple[Span, ...]]] = []
        self._pushed = False

    def compose(self) -> ComposeResult:
        yield Static(Text("Feeds"), id="feeds-status", markup=False)
        with Horizontal(id="feeds-main"):
            yield FeedList(id="feed-list")
            yield HeadlineList(id="item-list")
        yield StoryList(self.library, id="story-list")
        yield FindBar(id="headline-find")
        yield BackgroundFeeds(self.library, self.transport)
        yield ProgressBar(id="refresh-progress", show_eta=False)
        yield Footer()

    @property
    def feed_list(self) -> FeedList:
        return self.query_one("#feed-list", FeedList)

    def on_mount(self) -> None:
        self.query_one(ProgressBar).display = False
        self.story_list.display = False
        self.search_bar.display = False
        self.read_lists(first_page=FIRST_PAGE)
        self.item_list.focus()

    def on_screen_resume(self) -> None:
        """Back from another screen (the reader, the library): read the lists again.

        The first resume comes with the screen's push at start, where ``on_mount`` reads
        the first screenful and then every headline: reading them all here as well ran
        that full read beside the first one, which it slowed (one interpreter lock), and
        held back the first frame of a big library."""
        if self._pushed:
            self.reload()
        self._pushed = True

    def _connect(self) -> sqlite3.Connection:
        return library_db.connect(self.library)

    def set_status(self, message: str) -> None:
        self.query_one("#feeds-status", Static).update(Text(message))

    # ----- lists ---------------------------------------------------------------------

    def reload(self) -> None:
        """Re-read feeds and items (in a thread), keeping the selection where it was."""
        self.read_lists()
        if self.story_list.display:
            self.story_list.reload()

    @property
    def story_list(self) -> StoryList:
        return self.query_one("#story-list", StoryList)

    # Keys that act on the highlighted headline or feed: hidden while stories show.
    _HEADLINE_ACTIONS = frozenset({"toggle_read", "mark_feed_read", "next_unread",
                                   "previous_unread", "search", "toggle_unread_only",
                                   "toggle_sort", "open_link", "hand_over_link"})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        stories_shown = bool(self.query("#story-list")) and self.story_list.display
        return not (stories_shown and action in self._HEADLINE_ACTIONS)

    def action_toggle_stories(self) -> None:
        """Headlines by feed, or the same headlines grouped into stories."""
        showing = not self.story_list.display
        self.story_list.display = showing
        self.query_one("#feeds-main").display = not showing
        self.refresh_bindings()
        if showing:
            self.story_list.reload()
            self.story_list.focus()
        else:
            self.item_list.focus()

    @work(thread=True, exclusive=True, group="feeds-read", exit_on_error=False)
    def read_lists(self, first_page: int | None = None) -> None:
        connection = self._connect()
        try:
            self._post_lists(connection, first_page)
        finally:
            connection.close()

    def _post_lists(self, connection: sqlite3.Connection, first_page: int | None = None) -> None:
        """(In a worker thread) read the feeds and every headline (or, at start, only
        ``first_page`` of them) and send them to the screen, which selects from them
        without going back to SQLite."""
        rows = feeds.list_feeds(connection)
        if first_page is not None and len(rows) <= FIRST_FEEDS and \
                sum(feed.total for feed in rows) <= READ_WHOLE:
            first_page = None
        items = feeds.feed_items(connection, None, content=False, limit=first_page)
        self.post_message(self.Lists(rows, HeadlineIndex(items, rows), first_page is None))

    @on(Lists)
    def _show_lists(self, message: Lists) -> None:
        self.feed_rows, self.index = message.feed_rows, message.index
        self.index_complete = message.complete
        self.views = self.handoff_settings.views  # as the config says now (E reloads it)
        if not message.complete:  # the first screenful is drawn: now read them all
            self.call_after_refresh(self.reload)
        unread = sum(f.unread for f in self.feed_rows)
        feed_options = self.view_options()
        feed_options += [Option(Text(f"  All feeds  {unread}" if unread else "  All feeds",
                                     style="bold"), id=ALL_FEEDS)]
        # The first screenful lists only the feeds a screen can show: an OptionList
        # measures every row it is given (1-2 ms each), which at 200 feeds would hold
        # back the first frame; the full read right after it lists them all.
        shown = self.feed_rows if message.complete else self.feed_rows[:FIRST_FEEDS]
        feed_options += [Option(feed_label(f), id=str(f.id)) for f in shown]
        # Filling an OptionList measures every row (about 1 ms each with 200 feeds): only
        # when a row changed (the full read after the first screenful usually changes none).
        drawn = [(o.id, o.prompt.plain, tuple(o.prompt.spans)) for o in feed_options
                 if isinstance(o.prompt, Text)]
        if drawn != self._feed_rows_drawn:
            self._feed_rows_drawn = drawn
            self._fill(self.feed_list, feed_options, self._feed_index())
        self.show_headlines(self.item_list.highlighted)
        self.show_unread_in_title(unread)
        self.headlines_changed()

    def headlines_changed(self) -> None:
        unread = sum(f.unread for f in self.feed_rows)
        if not self.feed_rows:
            self.set_status("no feeds yet: press a to add one (or run reader --demo)")
            return
        status = f"{plural(len(self.feed_rows), 'feed')} · {unread} unread"
        choice = self.headline_title()
        self.set_status(f"{status} · {choice}" if choice else status)

    def headline_label(self, item: feeds.Item) -> Text:
        return item_label(item, self.selected_feed is None or self.listing.sort == "feed")

    def _feed_index(self) -> int:
        views = len(self.views)
        if self.listing.view is not None:
            return self.views.index(self.listing.view) if self.listing.view in self.views \
                else views
        if self.selected_feed is None:
            return views
        ids = [f.id for f in self.feed_rows]
        return ids.index(self.selected_feed) + views + 1 if self.selected_feed in ids \
            else views

    @staticmethod
    def _fill(listing: OptionList, options: list[Option], highlighted: int | None) -> None:
        listing.clear_options()
        listing.add_options(options)
        if options:
            listing.highlighted = min(highlighted or 0, len(options) - 1)

    @on(OptionList.OptionHighlighted, "#feed-list")
    def _feed_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        option_id = event.option.id or ALL_FEEDS
        view = None
        choice: int | None = None
        if option_id.startswith(VIEW_PREFIX):
            view = self.views[int(option_id.removeprefix(VIEW_PREFIX))]
        elif option_id != ALL_FEEDS:
            choice = int(option_id)
        if choice != self.selected_feed or view != self.listing.view:
            self.selected_feed = choice
            self.listing = self.listing.with_(feed_id=choice, view=view)
            self.show_headlines(0)
            self.headlines_changed()

    @on(OptionList.OptionSelected, "#feed-list")
    def _feed_selected(self, event: OptionList.OptionSelected) -> None:
        self.item_list.focus()

    @on(HeadlineList.Selected, "#item-list")
    def _item_selected(self, event: HeadlineList.Selected) -> None:
        self.post_message(OpenSources([Source("item", str(i.id)) for i in self.items],
                                      event.index))

    def action_switch_list(self) -> None:
        if self.story_list.display:
            return
        if self.item_list.has_focus:
            self.feed_list.focus()
        else:
            self.item_list.focus()

    def _current_item(self) -> feeds.Item | None:
        return self.item_at(self.item_list.highlighted)

    def _step_unread(self, step: int) -> None:
        start = self.item_list.highlighted or 0
        index = start + step
        items = self.index.items
        while 0 <= index < len(self.shown):
            if not items[self.shown[index]].read:
                self.item_list.highlighted = index
                self.item_list.focus()
                return
            index += step
        self.app.notify("no more unread items that way", timeout=2)

    def action_next_unread(self) -> None:
        self._step_unread(1)

    def action_previous_unread(self) -> None:
        self._step_unread(-1)

    def action_toggle_read(self) -> None:
        item = self._current_item()
        if item is not None:
            self.mark_read([item.id], not item.read)

    def action_mark_feed_read(self) -> None:
        if self.listing.view is not None:  # a query feed: the items it lists
            self.mark_read([item.id for item in self.items if not item.read], True)
            return
        targets = [self.selected_feed] if self.selected_feed is not None else \
            [f.id for f in self.feed_rows]
        self.mark_feeds_read(targets)

    @work(thread=True, group="feeds", exit_on_error=False)
    def mark_read(self, item_ids: list[int], read: bool) -> None:
        connection = self._connect()
        try:
            for item_id in item_ids:
                feeds.mark_item_read(connection, item_id, read)
            self._post_lists(connection)
        finally:
            connection.close()

    @work(thread=True, group="feeds", exit_on_error=False)
    def mark_feeds_read(self, feed_ids: list[int]) -> None:
        connection = self._connect()
        try:
            marked = sum(feeds.mark_feed_read(connection, feed_id) for feed_id in feed_ids)
            self._post_lists(connection)
        finally:
            connection.close()
        self.post_message(Notice(f"{plural(marked, 'item')} marked read", timeout=2))

    # ----- background: auto-refresh and offline (reader.tui.background) ---------------

    @property
    def background(self) -> BackgroundFeeds:
        return self.query_one(BackgroundFeeds)

    def help_settings(self) -> list[tuple[str, str]]:
        return settings_help(self.background.settings)

    def action_background_refresh(self) -> None:
        self.background.tick()

    def action_prefetch(self) -> None:
        self.background.prefetch_now()

    def action_open_link(self) -> None:
        """``O``: the highlighted headline's own page, in the web browser."""
        item = self._current_item()
        self.open_in_browser(item.link if item else None)

    def action_hand_over_link(self) -> None:
        item = self._current_item()
        self.hand_over_link(item.link if item else None, item.title if item else "")

    def action_library(self) -> None:
        from reader.tui.screens.library import LibraryScreen

        self.app.push_screen(LibraryScreen(self.library))

    # ----- refresh and add -----------------------------------------------------------

    def action_refresh_feed(self) -> None:
        if self.selected_feed is None:
            self.action_refresh_all()
        else:
            self.refresh_feeds([self.selected_feed])

    def action_refresh_all(self) -> None:
        self.refresh_feeds(None)

    @on(Progress)
    def _progress(self, message: Progress) -> None:
        bar = self.query_one(ProgressBar)
        bar.display = True
        bar.update(total=message.total, progress=message.done)
        feed = message.feed
        self.set_status(f"refreshing {message.done}/{message.total}: "
                        f"{clean_inline(feed.title or feed.url)}")

    @work(exclusive=True, group="feeds-net", exit_on_error=False)
    async def refresh_feeds(self, feed_ids: list[int] | None) -> None:
        """Network on the app's loop (cancellable), SQLite in threads (the feeds package
        runs each statement off the loop)."""
        connection = await asyncio.to_thread(self._connect)
        try:
            def progress(done: int, total: int, feed: feeds.Feed) -> None:
                self.post_message(self.Progress(done, total, feed))

            async with feeds.make_feed_client(self.transport) as client:
                report = await feeds.refresh_feeds(connection, feed_ids, client=client,
                                                   progress=progress,
                                                   filters=self.background.settings.filters)
        finally:
            await asyncio.to_thread(connection.close)
        self.post_message(self.Refreshed(report))

    @on(Refreshed)
    def _refreshed(self, message: Refreshed) -> None:
        report = message.report
        self.query_one(ProgressBar).display = False
        self.background.after_refresh()
        failed = [r for r in report.results if r.error]
        new = sum(r.new_items for r in report.results)
        self.reload()
        text = plural(new, "new item")
        if failed:
            text += f" · {plural(len(failed), 'feed')} failed"
        self.notify(text, timeout=3, markup=False)

    def action_add_feed(self) -> None:
        def chosen(url: str | None) -> None:
            if url:
                self.add_feed(url)

        self.app.push_screen(AddFeedScreen(), chosen)

    @work(exclusive=True, group="feeds-net", exit_on_error=False)
    async def add_feed(self, url: str) -> None:
        connection = await asyncio.to_thread(self._connect)
        try:
            async with feeds.make_feed_client(self.transport) as client:
                result = await feeds.add_feed(connection, url, client=client,
                                              filters=self.background.settings.filters)
        except ReaderError as exc:
            raise ReaderError(f"could not add {url}: {exc}") from exc
        finally:
            await asyncio.to_thread(connection.close)
        self.post_message(Notice(f"added {clean_inline(result.feed.title or result.feed.url)}",
                                 timeout=3))
        self.post_message(self.Reload())
