"""Subscriptions and their items as the library keeps them (SQLite).

Failures are recorded next to the feed (``last_error``). The TUI and ``reader feeds`` both
call the functions here; nothing in this package prints.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from typing import Any

from reader.errors import FeedError
from reader.feeds import schedule
from reader.feeds.filters import FilterRule, verdict
from reader.feeds.parse import ParsedFeed, ParsedItem, html_to_text, xml_safe
from reader.fetch import Fetched
from reader.library.db import select, transaction
from reader.models import Annotated, Article, clean_strings, now_iso
from reader.plaintext import article_from_text

# Servers label feeds carelessly; these are let through to the parser, which decides.




@dataclass(frozen=True)
class Feed:
    """A subscription as the lists show it."""

    id: int
    url: str
    title: str
    custom_title: str | None = None
    feed_title: str | None = None
    site_url: str | None = None
    tags: tuple[str, ...] = ()
    unread: int = 0
    total: int = 0
    last_checked: str | None = None
    last_error: str | None = None
    added: str = ""
    hidden: int = 0
    """Items a filter hid (not counted in ``unread`` or ``total``)."""
    not_before: str | None = None
    """No scheduled refresh before this time (the feed's TTL, back-off after failures)."""
    failures: int = 0
    """Failed refreshes in a row."""

    def __post_init__(self) -> None:
        clean_strings(self)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["tags"] = list(self.tags)
        return data


@dataclass(frozen=True)
class Item:
    """One stored feed entry; ``summary`` is plain text, ``content`` sanitised HTML."""

    id: int
    feed_id: int
    feed_title: str
    key: str
    title: str
    link: str | None
    author: str | None
    published: str | None
    summary: str
    content: str | None
    has_full_content: bool
    read: bool
    first_seen: str
    hidden: bool = False
    """A filter hid it: only ``--all`` lists show it."""
    ready: bool = False
    """Its article is stored (prefetched or opened before): it opens offline."""

    def __post_init__(self) -> None:
        clean_strings(self)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# -------------------------------------------------------------------------- storage

_FEED_COLUMNS = """
    SELECT f.id, f.url, f.title AS custom_title, f.feed_title, f.site_url, f.last_checked,
           f.last_error, f.added, f.not_before, f.failures,
           (SELECT count(*) FROM feed_items i WHERE i.feed_id = f.id AND i.read = 0
                AND i.hidden = 0) AS unread,
           (SELECT count(*) FROM feed_items i WHERE i.feed_id = f.id AND i.hidden = 0)
                AS total,
           (SELECT count(*) FROM feed_items i WHERE i.feed_id = f.id AND i.hidden = 1)
                AS hidden,
           (SELECT group_concat(tag, char(31)) FROM
               (SELECT tag FROM feed_tags t WHERE t.feed_id = f.id ORDER BY tag)) AS tags
    FROM feeds f
"""
# Item's fields, in its order: _item_from_row reads them by position.
_ITEM_COLUMNS = """
    SELECT i.id, i.feed_id, coalesce(f.title, f.feed_title, f.url) AS feed_title, i.key,
           i.title, i.link, i.author, i.published, i.summary, i.content, i.has_full_content,
           i.read, i.first_seen, i.hidden, i.article_json IS NOT NULL AS ready
    FROM feed_items i JOIN feeds f ON f.id = i.feed_id
"""
_NEWEST_FIRST = " ORDER BY i.sort_date DESC, i.id ASC"


def _feed_from_row(row: sqlite3.Row) -> Feed:
    tags = tuple(row["tags"].split("\x1f")) if row["tags"] else ()
    title = row["custom_title"] or row["feed_title"] or row["url"]
    return Feed(id=row["id"], url=row["url"], title=title, custom_title=row["custom_title"],
                feed_title=row["feed_title"], site_url=row["site_url"], tags=tags,
                unread=row["unread"], total=row["total"], last_checked=row["last_checked"],
                last_error=row["last_error"], added=row["added"], hidden=row["hidden"],
                not_before=row["not_before"], failures=row["failures"])


def _item_from_row(row: sqlite3.Row) -> Item:
    """An item from a row of :data:`_ITEM_COLUMNS`, whose columns are ``Item``'s fields in
    order: read by position, which costs a quarter less than by name at 20,000 rows."""
    return Item(row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8],
                row[9], bool(row[10]), bool(row[11]), row[12], bool(row[13]), bool(row[14]))


def list_feeds(db: sqlite3.Connection) -> list[Feed]:
    """Every subscription with its unread count, by title."""
    rows = select(db, _FEED_COLUMNS + " ORDER BY lower(coalesce(f.title, f.feed_title, f.url)), "
                 "f.id")
    return [_feed_from_row(row) for row in rows]


def get_feed(db: sqlite3.Connection, feed_id: int) -> Feed:
    rows = select(db, _FEED_COLUMNS + " WHERE f.id = ?", (feed_id,))
    if not rows:
        raise FeedError(f"no feed with id {feed_id}")
    return _feed_from_row(rows[0])


def find_feed(db: sqlite3.Connection, ref: str | int) -> Feed:
    """A feed named the way people name it: its id, its URL or its title."""
    from reader.ids import ascii_number

    text = str(ref).strip()
    number = ascii_number(text)
    if number is not None:
        rows = select(db, _FEED_COLUMNS + " WHERE f.id = ?", (number,))
        if rows:
            return _feed_from_row(rows[0])
    rows = select(db, _FEED_COLUMNS + " WHERE f.url = ?", (text,))
    if rows:
        return _feed_from_row(rows[0])
    matches = [feed for feed in list_feeds(db) if feed.title.casefold() == text.casefold()]
    if len(matches) == 1:
        return matches[0]
    if matches:
        ids = ", ".join(str(feed.id) for feed in matches)
        raise FeedError(f"several feeds are titled {text!r} (ids {ids}); name one by its id")
    raise FeedError(f"no feed matches {text!r}; reader feeds list shows ids and titles")


def subscribe(db: sqlite3.Connection, url: str, *, title: str | None = None,
              tags: Iterable[str] = (), site_url: str | None = None) -> tuple[int, bool]:
    """Add a feed without fetching it; returns (id, created). Existing feeds gain the tags."""
    with transaction(db):
        row = db.execute("SELECT id FROM feeds WHERE url = ?", (url,)).fetchone()
        created = row is None
        if created:
            cursor = db.execute(
                "INSERT INTO feeds (url, title, site_url, added) VALUES (?, ?, ?, ?)",
                (url, title or None, site_url or None, now_iso()))
            feed_id = int(cursor.lastrowid or 0)
        else:
            feed_id = int(row[0])
        db.executemany("INSERT OR IGNORE INTO feed_tags (feed_id, tag) VALUES (?, ?)",
                       [(feed_id, tag) for tag in clean_tags(tags)])
    return feed_id, created


def clean_tags(tags: Iterable[str]) -> list[str]:
    cleaned = (" ".join(xml_safe(tag).split()) for tag in tags)
    return sorted({tag for tag in cleaned if tag})


def remove_feed(db: sqlite3.Connection, feed_id: int) -> None:
    """The feed goes with its items and tags (foreign keys cascade)."""
    with transaction(db):
        db.execute("DELETE FROM feeds WHERE id = ?", (feed_id,))


def feed_items(db: sqlite3.Connection, feed_id: int | None = None, *, unread_only: bool = False,
               limit: int | None = None, include_hidden: bool = False,
               content: bool = True) -> list[Item]:
    """Items newest first (published date, else when first seen), of one feed or all.

    The items a filter hid come only with ``include_hidden``. ``content=False`` leaves out
    the stored HTML (``content`` is None), for lists of headlines that never show it."""
    where: list[str] = [] if include_hidden else ["i.hidden = 0"]
    params: list[object] = []
    if feed_id is not None:
        where.append("i.feed_id = ?")
        params.append(feed_id)
    if unread_only:
        where.append("i.read = 0")
    columns = _ITEM_COLUMNS if content else _ITEM_COLUMNS.replace("i.content,", "NULL AS content,")
    if feed_id is None and limit is None:
        # Every item: one pass over the table and a sort beat walking the date index,
        # which visits the rows in date order, scattered over the file (a third slower
        # at 20,000 items). A page of the newest (``limit``) walks the index and stops.
        columns = columns.replace("FROM feed_items i ", "FROM feed_items i NOT INDEXED ")
    sql = columns + (" WHERE " + " AND ".join(where) if where else "") + _NEWEST_FIRST
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return [_item_from_row(row) for row in select(db, sql, params)]


def get_item(db: sqlite3.Connection, item_id: int) -> Item:
    rows = select(db, _ITEM_COLUMNS + " WHERE i.id = ?", (item_id,))
    if not rows:
        raise FeedError(f"no feed item with id {item_id}")
    return _item_from_row(rows[0])


def mark_item_read(db: sqlite3.Connection, item_id: int, read: bool = True) -> None:
    cursor = db.execute("UPDATE feed_items SET read = ? WHERE id = ?", (int(read), item_id))
    if cursor.rowcount == 0:
        raise FeedError(f"no feed item with id {item_id}")


def mark_feed_read(db: sqlite3.Connection, feed_id: int) -> int:
    """Marks every item of the feed read; returns how many were unread."""
    cursor = db.execute("UPDATE feed_items SET read = 1 WHERE feed_id = ? AND read = 0",
                        (feed_id,))
    return cursor.rowcount


def store_item_article(db: sqlite3.Connection, item_id: int,
                       article_json: Mapping[str, Any] | str) -> None:
    """Keep an opened item's extracted article (``Article.to_dict()``) for offline reading."""
    text = article_json if isinstance(article_json, str) else json.dumps(
        dict(article_json), ensure_ascii=False)
    cursor = db.execute("UPDATE feed_items SET article_json = ? WHERE id = ?", (text, item_id))
    if cursor.rowcount == 0:
        raise FeedError(f"no feed item with id {item_id}")


def item_article(db: sqlite3.Connection, item_id: int) -> dict[str, Any] | None:
    """The stored article dict (``Article.from_dict`` reads it), or None if never stored."""
    row = db.execute("SELECT article_json FROM feed_items WHERE id = ?", (item_id,)).fetchone()
    if row is None:
        raise FeedError(f"no feed item with id {item_id}")
    if not row[0]:
        return None
    try:
        data = json.loads(row[0])
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def store_item_analysis(db: sqlite3.Connection, item_id: int, annotated: Annotated) -> None:
    """Keep a prefetched item's article and its analysis (entities, quotes, facts)."""
    data = annotated.to_dict()
    article = data.pop("article")
    with transaction(db):
        store_item_article(db, item_id, article)
        db.execute("UPDATE feed_items SET analysis_json = ? WHERE id = ?",
                   (json.dumps(data, ensure_ascii=False), item_id))


def item_analysis(db: sqlite3.Connection, item_id: int) -> Annotated | None:
    """The stored article with its analysis, or None unless both were kept (prefetch);
    a damaged record reads as None, so the item is simply fetched again."""
    row = db.execute("SELECT article_json, analysis_json FROM feed_items WHERE id = ?",
                     (item_id,)).fetchone()
    if row is None:
        raise FeedError(f"no feed item with id {item_id}")
    if not row[0] or not row[1]:
        return None
    try:
        data = json.loads(row[1])
        data["article"] = json.loads(row[0])
        return Annotated.from_dict(data)
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def item_as_article(item: Item) -> Article:
    """The item's own text as an Article, for reading without fetching the page."""
    body = html_to_text(item.content, paragraphs=True) if item.content else item.summary
    article = article_from_text(body or item.title, title=item.title, url=item.link,
                                site=item.feed_title, published=item.published,
                                byline=item.author)
    # Say where the text came from: the feed's own HTML or summary, not a plain-text file.
    return replace(article, method="feed content" if item.content else "feed summary")


def store_parsed(db: sqlite3.Connection, feed_id: int, parsed: ParsedFeed,
                 download: Fetched | None = None, *, filters: Sequence[FilterRule] = (),
                 now: datetime | None = None) -> int:
    """Upsert the feed's items and clear its error; returns how many items are new.

    Existing items keep their read flag, first-seen time and stored article; their text is
    updated, because feeds correct titles and summaries after publishing. New items meet
    the ``filters`` (hidden or marked read). The feed's schedule is set from its TTL and
    the response's ``Cache-Control`` (see :mod:`.schedule`), and its failures reset.
    """
    moment = now or schedule.utc_now()
    seen = schedule.iso(moment)
    with transaction(db):
        known = {row[0] for row in db.execute(
            "SELECT key FROM feed_items WHERE feed_id = ?", (feed_id,))}
        db.executemany(_UPSERT_ITEM, [
            (feed_id, item.key, item.title, item.link, item.author, item.published,
             item.summary, item.content, int(item.has_full_content), seen,
             item.published or seen)
            for item in parsed.items
        ])
        headers = download.headers if download else {}
        not_before = schedule.after_success(moment, ttl_minutes=parsed.ttl_minutes,
                                            headers=headers)
        db.execute(
            "UPDATE feeds SET feed_title = coalesce(?, feed_title), "
            "site_url = coalesce(?, site_url), etag = ?, last_modified = ?, "
            "last_checked = ?, last_error = NULL, failures = 0, not_before = ?, "
            "ttl_minutes = ? WHERE id = ?",
            (parsed.title, parsed.site_url, download.etag if download else None,
             download.last_modified if download else None, seen, schedule.iso(not_before),
             parsed.ttl_minutes, feed_id))
        new = [item for item in parsed.items if item.key not in known]
        if filters and new:
            _apply_filters(db, feed_id, new, filters)
    return len(new)


def _apply_filters(db: sqlite3.Connection, feed_id: int, items: Sequence[ParsedItem],
                   filters: Sequence[FilterRule]) -> None:
    feed = get_feed(db, feed_id)
    names = [name for name in (feed.title, feed.feed_title, feed.url, feed.site_url) if name]
    hide: list[tuple[int, str]] = []
    read: list[tuple[int, str]] = []
    for item in items:
        action = verdict(filters, feed=names, title=item.title, author=item.author,
                         tags=feed.tags)
        if action == "hide":
            hide.append((feed_id, item.key))
        elif action == "read":
            read.append((feed_id, item.key))
    db.executemany("UPDATE feed_items SET hidden = 1 WHERE feed_id = ? AND key = ?", hide)
    db.executemany("UPDATE feed_items SET read = 1 WHERE feed_id = ? AND key = ?", read)


def record_not_modified(db: sqlite3.Connection, feed_id: int, headers: Mapping[str, str],
                        now: datetime) -> None:
    """A 304: nothing new, but the feed was reached; its TTL (kept from the last parse)
    and the response's ``Cache-Control`` set the next time."""
    row = db.execute("SELECT ttl_minutes FROM feeds WHERE id = ?", (feed_id,)).fetchone()
    ttl = row[0] if row else None
    not_before = schedule.after_success(now, ttl_minutes=ttl, headers=headers)
    db.execute("UPDATE feeds SET last_checked = ?, last_error = NULL, failures = 0, "
               "not_before = ? WHERE id = ?",
               (schedule.iso(now), schedule.iso(not_before), feed_id))


def record_failure(db: sqlite3.Connection, feed_id: int, error: str, now: datetime,
                   retry_after: str | None = None) -> None:
    """One more failure in a row: the feed backs off (or waits as ``Retry-After`` asks)."""
    row = db.execute("SELECT failures FROM feeds WHERE id = ?", (feed_id,)).fetchone()
    failures = (int(row[0]) if row else 0) + 1
    not_before = schedule.after_failure(now, failures, retry_after_value=retry_after)
    db.execute("UPDATE feeds SET last_checked = ?, last_error = ?, failures = ?, "
               "not_before = ? WHERE id = ?",
               (schedule.iso(now), error, failures, schedule.iso(not_before), feed_id))


_UPSERT_ITEM = """
    INSERT INTO feed_items (feed_id, key, title, link, author, published, summary, content,
                            has_full_content, first_seen, sort_date)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (feed_id, key) DO UPDATE SET
        title = excluded.title, link = excluded.link, author = excluded.author,
        published = excluded.published, summary = excluded.summary,
        content = excluded.content, has_full_content = excluded.has_full_content,
        sort_date = coalesce(excluded.published, feed_items.first_seen)
"""


def _conditional_headers(db: sqlite3.Connection, feed_id: int) -> tuple[str | None, str | None]:
    row = db.execute("SELECT etag, last_modified FROM feeds WHERE id = ?", (feed_id,)).fetchone()
    return (row[0], row[1]) if row else (None, None)


