"""The home screen's background work: automatic refresh and offline prefetch, and the
quiet status line that tells about both.

:class:`BackgroundFeeds` is a one-line widget on the home screen. With
``refresh_minutes`` set it refreshes the feeds that are due (each feed's TTL, Cache-Control,
Retry-After and back-off are kept, see :mod:`reader.feeds.schedule`) when the app starts
and then every that many minutes; with ``prefetch`` set, after every refresh (its own or
the user's ``r``/``R``) it prepares the newest unread items of each feed for offline
reading. Nothing pops up: the line says what happens ("refreshing in the background…",
"refreshed 14:32 · 3 new items", "offline: 12 ready"). Only one refresh runs at a time:
a tick that finds one running (the user's, or the previous tick's) lets it be.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static
from textual.worker import WorkerState

from reader import feeds
from reader.config import Settings
from reader.feeds import prefetch
from reader.fetch_control import Cancel
from reader.library import db as library_db
from reader.sources import limits_from
from reader.textutil import clean_inline, plural
from reader.tui.failures import FailureFunnel

if TYPE_CHECKING:
    import httpx

DEFAULT_PREFETCH = 20
REFRESH_GROUPS = frozenset({"feeds-net", "feeds-auto"})
READY_MARK = "✓"
"""Shown after a headline whose article is stored: it opens at once, offline too."""


def hidden_note(feed: feeds.Feed) -> Text:
    """"  2 hidden" after a feed's name when filters hid some of its items."""
    return Text(f"  {feed.hidden} hidden", style="dim italic") if feed.hidden else Text("")


def ready_note(item: feeds.Item) -> Text:
    """The ready-offline mark after a headline."""
    return Text(f" {READY_MARK}", style="green") if item.ready else Text("")


def settings_of(node: Static) -> Settings:
    settings = getattr(node.app, "settings", None)
    return settings if isinstance(settings, Settings) else Settings()


def settings_help(settings: Settings) -> list[tuple[str, str]]:
    """Rows for the ``?`` screen: the background settings and what they are now."""
    refresh = f"every {plural(settings.refresh_minutes, 'minute')}" \
        if settings.refresh_minutes else "off"
    ready = f"{settings.prefetch} per feed" if settings.prefetch else "off"
    return [
        ("refresh_minutes", f"{refresh}, due feeds, quietly"),
        ("prefetch", f"{ready}, kept for offline ({READY_MARK})"),
        ("[[filter]]", f"{plural(len(settings.filters), 'rule')}: hide or mark read"),
    ]


class BackgroundFeeds(FailureFunnel, Static):
    """The quiet line under the lists, and the timer and workers behind it."""

    SECONDS_PER_MINUTE = 60.0
    """The refresh interval's unit; tests shorten it to run the real timer quickly."""

    @dataclass
    class Say(Message):
        """(From the prefetch thread) the offline part of the line; the lists re-read."""

        text: str

    def __init__(self, library: Path | None,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        super().__init__("", id="feeds-background", markup=False)
        self.library = library
        self.transport = transport
        self.timer: Timer | None = None
        self._cancel = Cancel()
        self.refresh_text = ""
        self.offline_text = ""
        self.refreshes = 0
        """Background refreshes started (the tests count them)."""
        self._last_tick: float | None = None

    @property
    def settings(self) -> Settings:
        return settings_of(self)

    def on_mount(self) -> None:
        settings = self.settings
        self.display = bool(settings.refresh_minutes or settings.prefetch)
        self.show()
        # A quarter-minute check rather than one timer of refresh_minutes: a setting
        # changed with E (edit config) takes effect without restarting.
        self.timer = self.set_interval(self.SECONDS_PER_MINUTE / 4, self.check,
                                       name="auto-refresh")
        self.call_after_refresh(self.check)

    def check(self) -> None:
        """Start the automatic refresh when ``refresh_minutes`` have passed since the last
        one ended (or at once, the first time)."""
        minutes = self.settings.refresh_minutes
        if not minutes:
            return
        now = time.monotonic()
        if self._last_tick is None or now - self._last_tick >= minutes * self.SECONDS_PER_MINUTE:
            self._last_tick = now
            self.tick()

    def on_unmount(self) -> None:
        self._cancel.cancel()

    def show(self) -> None:
        minutes = self.settings.refresh_minutes
        cadence = f"auto-refresh every {plural(minutes, 'minute')}" if minutes else ""
        line = " · ".join(part for part in (self.refresh_text, cadence, self.offline_text)
                          if part)
        self.update(Text(clean_inline(line)))

    def on_background_feeds_say(self, message: Say) -> None:
        self.offline_text = message.text
        self.show()
        self._reload_home()

    def busy(self) -> bool:
        """A refresh (automatic or the user's) is running."""
        return any(worker.group in REFRESH_GROUPS and worker.state in
                   (WorkerState.PENDING, WorkerState.RUNNING)
                   for worker in self.app.workers)

    def tick(self) -> None:
        """One automatic refresh, unless one is running already."""
        if self.busy():
            return
        self.refreshes += 1
        self.display = True
        self.refresh_text = "refreshing in the background…"
        self.show()
        self.refresh_due()

    def _connect(self) -> sqlite3.Connection:
        return library_db.connect(self.library)

    @work(exclusive=True, group="feeds-auto", exit_on_error=False)
    async def refresh_due(self) -> None:
        connection = await asyncio.to_thread(self._connect)
        try:
            async with feeds.make_feed_client(self.transport) as client:
                report = await feeds.refresh_feeds(connection, client=client,
                                                   filters=self.settings.filters,
                                                   due_only=True)
        finally:
            await asyncio.to_thread(connection.close)
            self._last_tick = time.monotonic()  # the interval runs between refreshes
        self.refresh_text = self.summary(report)
        self.show()
        self._reload_home()
        self.after_refresh()

    @staticmethod
    def summary(report: feeds.RefreshReport) -> str:
        stamp = datetime.now().strftime("%H:%M")
        parts = [f"refreshed {stamp}", plural(report.new_items, "new item")]
        if report.failed:
            parts.append(f"{plural(len(report.failed), 'feed')} failed")
        if report.deferred:
            parts.append(f"{len(report.deferred)} not due yet")
        return " · ".join(parts)

    def _reload_home(self) -> None:
        from reader.tui.screens.feeds import FeedsScreen

        if isinstance(self.screen, FeedsScreen):
            self.screen.post_message(FeedsScreen.Reload())

    def after_refresh(self) -> None:
        """Start preparing items for offline, when ``prefetch`` asks for it."""
        if self.settings.prefetch:
            self.prefetch_now()

    def prefetch_now(self) -> None:
        """Prepare ``prefetch`` items per feed (:data:`DEFAULT_PREFETCH` when unset: the
        ``D`` key works without the setting)."""
        self.display = True
        self._cancel.cancel()
        self._cancel = Cancel()
        self.prefetch_items(self.settings.prefetch or DEFAULT_PREFETCH, self._cancel)

    @work(thread=True, exclusive=True, group="feeds-prefetch", exit_on_error=False)
    def prefetch_items(self, per_feed: int, cancel: Cancel) -> None:
        limits = limits_from(self.settings)

        def progress(done: int, total: int) -> None:
            self.post_message(self.Say(f"offline: preparing {done}/{total}…"))

        report = prefetch.prefetch(self.library, per_feed, limits=limits,
                                   transport=self.transport, cancel=cancel,
                                   progress=progress)
        text = f"offline: {plural(report.ready, 'item')} ready"
        if report.failed:
            text += f", {report.failed} could not be fetched"
        self.post_message(self.Say(text))
