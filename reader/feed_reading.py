"""Opening a feed item as an article: stored copy, the feed's own full text, or the page.

Most feeds carry only a summary, so the reader fetches and extracts the linked page on
demand and keeps the result in the library for offline reading. Feeds that carry the
whole article are read from the feed itself, without a request.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

import httpx

from reader import db as library_db
from reader import feeds
from reader.errors import ReaderError
from reader.fetch import FetchLimits, fetch, make_client
from reader.models import Article
from reader.sources import article_from_fetched


@dataclass(frozen=True)
class OpenedItem:
    article: Article
    warning: str | None = None
    """Set when the page could not be fetched and the feed's summary is shown instead."""


def _stored(connection: sqlite3.Connection, item_id: int) -> tuple[feeds.Item, Article | None]:
    item = feeds.get_item(connection, item_id)
    data = feeds.item_article(connection, item_id)
    return item, Article.from_dict(data) if data else None


async def open_item(item_id: int, *, library: Path | None = None,
                    transport: httpx.AsyncBaseTransport | None = None,
                    limits: FetchLimits | None = None) -> OpenedItem:
    """The item's article, fetched and kept on first opening; marks the item read."""
    limits = limits or FetchLimits()
    connection = library_db.connect(library)
    try:
        item, article = _stored(connection, item_id)
        warning = None
        if article is None and (item.has_full_content or not item.link):
            article = feeds.item_as_article(item)
        elif article is None and item.link:
            try:
                async with make_client(transport, limits=limits) as client:
                    fetched = await fetch(item.link, client=client, limits=limits)
                article = article_from_fetched(fetched.content, fetched.content_type,
                                               fetched.url)
                feeds.store_item_article(connection, item_id, article.to_dict())
            except ReaderError as exc:
                article = feeds.item_as_article(item)
                warning = f"showing the feed's summary: {exc}"
        feeds.mark_item_read(connection, item_id)
        assert article is not None
        return OpenedItem(article, warning)
    finally:
        connection.close()
