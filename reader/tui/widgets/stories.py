"""The home screen's stories view: one row per real-world event, newest first.

Each row shows the headline of the story's earliest write-up, how many outlets carried
it, how old it is and how many of its items are unread; copies of the same wire text are
folded into "also in: …". The list groups new items itself (``update_stories``, in a
thread worker: it places only what is new) before reading the stories back.
``enter`` opens the story's first item in the reader, with the rest one key away.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader import stories
from reader.library import db as library_db
from reader.sources import Source
from reader.textutil import clean_inline, plural
from reader.tui.messages import OpenSources

MAX_STORIES = 500
_SHOWN_OUTLETS = 3


def age(stamp: str, now: datetime | None = None) -> str:
    """"5m", "3h", "2d": how long ago a stored UTC time was."""
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return ""
    seconds = max(0.0, ((now or datetime.now(UTC)) - moment).total_seconds())
    for size, unit in ((86400 * 365, "y"), (86400 * 30, "mo"), (86400, "d"), (3600, "h"),
                       (60, "m")):
        if seconds >= size:
            return f"{int(seconds // size)}{unit}"
    return "now"


def story_label(story: stories.Story, now: datetime | None = None) -> Text:
    """Headline; outlets, age and unread; then one "also in" line per copied write-up."""
    unread = story.unread
    label = Text("● " if unread else "  ", style="bold")
    label.append(clean_inline(story.title) or "(untitled)", style="bold" if unread else "")
    outlets = story.outlets
    meta = [plural(len(outlets), "outlet"), age(story.started, now)]
    if unread:
        meta.append(f"{unread} unread")
    names = ", ".join(clean_inline(name) for name in outlets[:_SHOWN_OUTLETS])
    if len(outlets) > _SHOWN_OUTLETS:
        names += f", +{len(outlets) - _SHOWN_OUTLETS}"
    label.append("\n  " + " · ".join(part for part in meta if part), style="dim bold")
    label.append("  " + names, style="dim")
    for row in story.rows:
        if row.also_in:
            copies = ", ".join(dict.fromkeys(clean_inline(c.feed) for c in row.also_in))
            label.append(f"\n  {clean_inline(row.item.feed)} also in: {copies}",
                         style="dim italic")
    return label


def sources_of(story: stories.Story) -> list[Source]:
    """The story's items as reader sources, originals first (copies add nothing)."""
    ordered = [row.item for row in story.rows] + \
        [copy for row in story.rows for copy in row.also_in]
    return [Source("item" if item.kind == "item" else "saved", str(item.id))
            for item in ordered]


class StoryList(OptionList):
    """Stories newest event first; reads the library in a thread worker."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="stories.down"),
        Binding("k", "cursor_up", "Up", show=False, id="stories.up"),
        Binding("g", "first", "First", show=False, id="stories.first"),
        Binding("G", "last", "Last", show=False, id="stories.last"),
    ]

    @dataclass
    class Loaded(Message):
        stories: list[stories.Story]

    def __init__(self, library: Path | None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.library = library
        self.stories: list[stories.Story] = []
        self.loaded = False

    def reload(self) -> None:
        """Place new items in stories and show them (in a thread)."""
        if not self.loaded:
            self.clear_options()
            self.add_option(Option(Text("  grouping headlines into stories…", style="dim"),
                                   id="loading", disabled=True))
        self.read_stories()

    @work(thread=True, exclusive=True, group="stories-read", exit_on_error=False)
    def read_stories(self) -> None:
        connection = library_db.connect(self.library)
        try:
            stories.update_stories(connection)
            found = stories.list_stories(connection, limit=MAX_STORIES)
        finally:
            connection.close()
        self.post_message(self.Loaded(found))

    @on(Loaded)
    def _show(self, message: Loaded) -> None:
        message.stop()
        self.stories = message.stories
        self.loaded = True
        old = self.highlighted
        self.clear_options()
        if not self.stories:
            self.add_option(Option(Text("  no stories yet: refresh your feeds (R)",
                                        style="dim"), id="empty", disabled=True))
            return
        self.add_options([Option(story_label(story), id=str(story.id))
                          for story in self.stories])
        self.highlighted = min(old or 0, len(self.stories) - 1)

    @on(OptionList.OptionSelected)
    def _open(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        index = event.option_index
        if 0 <= index < len(self.stories):
            self.post_message(OpenSources(sources_of(self.stories[index]), 0))
