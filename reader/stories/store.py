"""Stories as the library keeps them: tables ``stories`` and ``story_items`` (migration 3 in
:mod:`reader.library.db`).

:func:`update_stories` places the items that are in no story yet (after a refresh, a save)
and leaves every placed item where it is; :func:`rebuild_stories` starts again from
nothing. :func:`list_stories` reads them back for the CLI and the home screen. Every
function is blocking and takes the connection first (call it from a thread worker).
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from reader.errors import ReaderError
from reader.library.db import select, transaction
from reader.models import clean_strings
from reader.stories.features import features
from reader.stories.grouping import WINDOW_SECONDS, Assignment, Doc, Placed, assign

_TEXT_CHARS = 1200  # enough for the lead the features read
# Entity labels that name the actors and places of an event (spaCy's).
_EVENT_LABELS = ("PERSON", "ORG", "GPE", "NORP", "FAC", "LOC", "EVENT", "PRODUCT", "LAW")


@dataclass(frozen=True)
class StoryItem:
    """One feed item or saved article in a story."""

    key: str                 # "item:N" or "saved:N"
    title: str
    url: str | None
    feed: str                # the feed's title, or the saved article's site
    published: str           # UTC, YYYY-MM-DDTHH:MM:SSZ
    read: bool
    duplicate_of: str | None = None

    def __post_init__(self) -> None:
        clean_strings(self)

    @property
    def id(self) -> int:
        return int(self.key.split(":", 1)[1])

    @property
    def kind(self) -> str:
        return self.key.split(":", 1)[0]


@dataclass(frozen=True)
class StoryRow:
    """One distinct write-up of a story, with the outlets that carried the same copy."""

    item: StoryItem
    also_in: tuple[StoryItem, ...]


@dataclass(frozen=True)
class Story:
    id: int
    started: str
    latest: str
    items: tuple[StoryItem, ...]   # oldest first

    @property
    def title(self) -> str:
        """The earliest original's headline (a copy never names the story)."""
        return self.rows[0].item.title if self.items else ""

    @property
    def outlets(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(item.feed for item in self.items))

    @property
    def unread(self) -> int:
        return sum(1 for item in self.items if not item.read)

    @property
    def rows(self) -> tuple[StoryRow, ...]:
        """Originals oldest first, each with its copies ("also in")."""
        keys = {item.key for item in self.items}
        copies: dict[str, list[StoryItem]] = {}
        originals: list[StoryItem] = []
        for item in self.items:
            if item.duplicate_of and item.duplicate_of in keys:
                copies.setdefault(item.duplicate_of, []).append(item)
            else:
                originals.append(item)
        return tuple(StoryRow(item, tuple(copies.get(item.key, ()))) for item in originals)

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "title": self.title,
                "items": [{"url": item.url, "title": item.title, "feed": item.feed,
                           "published": item.published} for item in self.items]}


@dataclass(frozen=True)
class UpdateReport:
    placed: int        # items newly placed
    new_stories: int
    seconds: float     # time spent grouping (reading and writing the library excluded)
    cpu_seconds: float = 0.0  # the same in this process's CPU time


# ----------------------------------------------------------------------------- dates

def utc_stamp(value: str | None) -> str | None:
    """An ISO date or time as ``YYYY-MM-DDTHH:MM:SSZ`` in UTC (dates alone: midnight)."""
    moment = _parse(value)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def _parse(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _epoch(stamp: str) -> float:
    moment = _parse(stamp)
    return moment.timestamp() if moment else 0.0


def _stamp_of(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


_SINCE = re.compile(r"^\s*(\d{1,6})\s*([mhdw])\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_since(text: str) -> float:
    """"30m", "12h", "2d", "1w" as seconds; anything else is a one-line error."""
    match = _SINCE.match(text)
    if not match:
        raise ReaderError(f"--since wants a number and a unit (m, h, d or w), like 2d; "
                          f"not {text[:40]!r}")
    return int(match.group(1)) * _UNIT_SECONDS[match.group(2).lower()]


# ----------------------------------------------------------------------------- reading

_ITEM_DOCS = f"""
    SELECT 'item:' || i.id AS key, i.title, i.link AS url, i.sort_date AS dated,
           CASE WHEN i.article_json IS NOT NULL AND json_valid(i.article_json)
                THEN substr(json_extract(i.article_json, '$.text'), 1, {_TEXT_CHARS}) END
               AS text,
           i.summary, NULL AS entities
    FROM feed_items i
"""
_SAVED_DOCS = f"""
    SELECT 'saved:' || a.id AS key, a.title, a.url, coalesce(a.published, a.saved) AS dated,
           substr(a.text, 1, {_TEXT_CHARS}) AS text, '' AS summary,
           (SELECT group_concat(entity, char(31)) FROM
               (SELECT DISTINCT entity FROM saved_names n WHERE n.article_id = a.id
                AND label IN ({", ".join(f"'{label}'" for label in _EVENT_LABELS)})))
               AS entities
    FROM saved_articles a
"""


def _doc(row: sqlite3.Row) -> Doc:
    body = row["text"] or row["summary"] or ""
    entities = tuple(row["entities"].split("\x1f")) if row["entities"] else ()
    stamp = utc_stamp(row["dated"]) or "1970-01-01T00:00:00Z"
    return Doc(row["key"], _epoch(stamp), features(row["title"] or "", body, entities),
               url=row["url"] or None)


def _unplaced(db: sqlite3.Connection) -> list[Doc]:
    rows = select(db, _ITEM_DOCS + " WHERE NOT EXISTS (SELECT 1 FROM story_items s "
                  "WHERE s.item_id = i.id)")
    rows += select(db, _SAVED_DOCS + " WHERE NOT EXISTS (SELECT 1 FROM story_items s "
                   "WHERE s.article_id = a.id)")
    return [_doc(row) for row in rows]


def _placed_between(db: sqlite3.Connection, low: str, high: str) -> list[Placed]:
    rows = select(db, _ITEM_DOCS.replace("FROM feed_items i",
                  ", s.story_id, s.duplicate_of FROM feed_items i "
                  "JOIN story_items s ON s.item_id = i.id") +
                  " WHERE s.dated BETWEEN ? AND ?", (low, high))
    rows += select(db, _SAVED_DOCS.replace("FROM saved_articles a",
                   ", s.story_id, s.duplicate_of FROM saved_articles a "
                   "JOIN story_items s ON s.article_id = a.id") +
                   " WHERE s.dated BETWEEN ? AND ?", (low, high))
    return [Placed(_doc(row), int(row["story_id"]), row["duplicate_of"]) for row in rows]


# ----------------------------------------------------------------------------- writing

def update_stories(db: sqlite3.Connection) -> UpdateReport:
    """Place every item that is in no story yet; placed items stay where they are."""
    new = _unplaced(db)
    if not new:
        return UpdateReport(0, 0, 0.0)
    low = _stamp_of(min(doc.time for doc in new) - WINDOW_SECONDS)
    high = _stamp_of(max(doc.time for doc in new) + WINDOW_SECONDS)
    placed = _placed_between(db, low, high)
    starts = {int(row[0]): _epoch(row[1]) for row in db.execute(
        "SELECT id, started FROM stories WHERE id IN (SELECT story_id FROM story_items "
        "WHERE dated BETWEEN ? AND ?)", (low, high))}
    began, cpu = time.perf_counter(), time.process_time()
    assignments = assign(placed, new, starts)
    seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
    created = _write(db, assignments, {doc.key: doc.time for doc in new})
    return UpdateReport(len(assignments), created, seconds, cpu)


def _write(db: sqlite3.Connection, assignments: Sequence[Assignment],
           times: dict[str, float]) -> int:
    """Store the assignments; returns how many stories were created."""
    real: dict[int, int] = {}
    spans: dict[int, tuple[float, float]] = {}
    for a in assignments:
        low, high = spans.get(a.story, (times[a.key], times[a.key]))
        spans[a.story] = (min(low, times[a.key]), max(high, times[a.key]))
    with transaction(db):
        for story, (low, high) in spans.items():
            if story < 0:
                cursor = db.execute("INSERT INTO stories (started, latest) VALUES (?, ?)",
                                    (_stamp_of(low), _stamp_of(high)))
                real[story] = int(cursor.lastrowid or 0)
            else:
                db.execute("UPDATE stories SET started = min(started, ?), "
                           "latest = max(latest, ?) WHERE id = ?",
                           (_stamp_of(low), _stamp_of(high), story))
        rows = []
        for a in assignments:
            kind, number = a.key.split(":", 1)
            rows.append((real.get(a.story, a.story), int(number) if kind == "item" else None,
                         int(number) if kind == "saved" else None, _stamp_of(times[a.key]),
                         a.duplicate_of))
        # Another process may have placed an item meanwhile: its place stands.
        db.executemany("INSERT OR IGNORE INTO story_items (story_id, item_id, article_id, "
                       "dated, duplicate_of) VALUES (?, ?, ?, ?, ?)", rows)
        db.execute("DELETE FROM stories WHERE NOT EXISTS "
                   "(SELECT 1 FROM story_items s WHERE s.story_id = stories.id)")
    return len(real)


def rebuild_stories(db: sqlite3.Connection) -> UpdateReport:
    """Forget every story and group everything again (after a change of the rules)."""
    with transaction(db):
        db.execute("DELETE FROM stories")
    return update_stories(db)


# ----------------------------------------------------------------------------- listing

_LIST = """
    SELECT s.id, s.started, s.latest, si.item_id, si.article_id, si.dated, si.duplicate_of,
           coalesce(i.title, a.title, '') AS title, coalesce(i.link, a.url) AS url,
           coalesce(i.read, 1) AS read,
           coalesce(f.title, f.feed_title, f.url, a.site, 'library') AS feed
    FROM stories s JOIN story_items si ON si.story_id = s.id
    LEFT JOIN feed_items i ON i.id = si.item_id LEFT JOIN feeds f ON f.id = i.feed_id
    LEFT JOIN saved_articles a ON a.id = si.article_id
"""


def list_stories(db: sqlite3.Connection, *, since: float | None = None,
                 now: datetime | None = None, limit: int | None = None) -> list[Story]:
    """Stories newest event first (by their first item), each item oldest first.

    ``since`` (seconds) keeps the stories with an item that recent.
    """
    where, params = "", []
    if since is not None:
        moment = (now or datetime.now(UTC)).timestamp() - since
        where, params = " WHERE s.latest >= ?", [_stamp_of(moment)]
    sql = _LIST + where + " ORDER BY s.started DESC, s.id DESC, si.dated ASC, si.rowid ASC"
    stories: list[Story] = []
    current: list[sqlite3.Row] = []
    for row in select(db, sql, params):
        if current and current[0]["id"] != row["id"]:
            stories.append(_story(current))
            if limit is not None and len(stories) >= limit:
                return stories
            current = []
        current.append(row)
    if current:
        stories.append(_story(current))
    return stories[:limit] if limit is not None else stories


def _story(rows: list[sqlite3.Row]) -> Story:
    items = tuple(StoryItem(
        key=f"item:{row['item_id']}" if row["item_id"] is not None else
        f"saved:{row['article_id']}",
        title=row["title"], url=row["url"], feed=row["feed"], published=row["dated"],
        read=bool(row["read"]), duplicate_of=row["duplicate_of"]) for row in rows)
    return Story(rows[0]["id"], rows[0]["started"], rows[0]["latest"], items)
