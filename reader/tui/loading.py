"""Opening a source for the reading screen: the article, the bytes it came from, and the
library's copy of it.

Everything blocking (SQLite, lxml) runs in a thread; the network is awaited so a new load
or escape cancels it at once.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

import httpx

from reader import store
from reader.config import Settings
from reader.errors import ReaderError
from reader.models import Article
from reader.sources import Source, article_from_bytes, load_local, load_url, read_local
from reader.store import SavedArticle


@dataclass(frozen=True)
class Opened:
    article: Article
    page: bytes | None = None
    """The bytes the article was extracted from (kept when it is saved)."""
    page_url: str | None = None
    fetched: str | None = None
    saved: SavedArticle | None = None
    """The library's copy: the article itself (opened from the library) or an older
    version of it (same canonical URL), to compare with."""
    from_library: bool = False
    warning: str | None = None


def saved_article(library: Path | None, article_id: int) -> SavedArticle:
    with store.opened(library) as connection:
        return store.get(connection, article_id)


def saved_version(library: Path | None, article: Article) -> SavedArticle | None:
    """The library's copy of this article, if it was saved (by canonical URL)."""
    if not article.url:
        return None
    try:
        with store.opened(library) as connection:
            article_id = store.find_by_url(connection, article.url)
            return store.get(connection, article_id) if article_id else None
    except ReaderError:
        return None


async def open_article(source: Source, *, settings: Settings, library: Path | None,
                       transport: httpx.AsyncBaseTransport | None = None,
                       stdin_data: bytes | None = None) -> Opened:
    fetched = store.now_iso()
    if source.kind == "saved":
        saved = await asyncio.to_thread(saved_article, library, int(source.location))
        return Opened(saved.annotated.article, fetched=saved.summary.fetched, saved=saved,
                      from_library=True)
    page: bytes | None = None
    page_url: str | None = None
    warning: str | None = None
    if source.kind == "url":
        from reader.fetch import FetchLimits, make_client

        limits = FetchLimits(timeout=settings.timeout,
                             max_bytes=int(settings.max_megabytes * 1024 * 1024))
        async with make_client(transport, limits=limits) as client:
            web = await load_url(source.location, client=client, limits=limits)
        page, page_url, article = web.content, web.url, web.article
    elif source.kind == "item":
        from reader.feed_reading import open_item

        opened = await asyncio.to_thread(asyncio.run, open_item(
            int(source.location), library=library, transport=transport))
        article, warning = opened.article, opened.warning
    elif source.kind == "stdin" and stdin_data is not None:
        page = stdin_data
        article = await asyncio.to_thread(article_from_bytes, stdin_data,
                                          what="standard input")
    else:
        page = await asyncio.to_thread(read_local, source)
        article = await asyncio.to_thread(load_local, source)
    older = await asyncio.to_thread(saved_version, library, article)
    return Opened(article, page, page_url, fetched, older, warning=warning)
