"""The lead-image cache of saved articles: one image per article, kept with it.

A saved article is read offline, so its picture is kept in the library beside its text
(table ``saved_images``); deleting the article deletes the image (foreign key cascade).
Only bytes that already decoded as an image are stored, at most
:data:`reader.images.MAX_IMAGE_BYTES`. An entry counts only for the image URL it was
fetched for: when a re-saved article names another image, the old one is not shown.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field, replace

from reader.errors import StoreError
from reader.library import db as database
from reader.library.export import ExportImage, ExportMeta
from reader.library.store import SavedArticle
from reader.models import now_iso

MAX_STORED_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class CachedImage:
    url: str
    content: bytes = field(repr=False)
    content_type: str
    fetched: str


def store_image(db: sqlite3.Connection, article_id: int, url: str, content: bytes,
                content_type: str = "") -> None:
    """Keep (or replace) the image of a saved article (a failed write is a StoreError)."""
    if len(content) > MAX_STORED_BYTES:
        raise StoreError("the image is too large to keep in the library")
    with database.transaction(db):
        if not database.select(db, "SELECT 1 FROM saved_articles WHERE id = ?",
                               (article_id,)):
            raise StoreError(f"no saved article with id {article_id}")
        db.execute(
            "INSERT INTO saved_images (article_id, url, content_type, fetched, data) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (article_id) DO UPDATE SET "
            "url = excluded.url, content_type = excluded.content_type, "
            "fetched = excluded.fetched, data = excluded.data",
            (article_id, url, content_type, now_iso(), content))


def cached_image(db: sqlite3.Connection, article_id: int,
                 url: str | None = None) -> CachedImage | None:
    """The kept image of an article; with ``url``, only if it was fetched for that URL."""
    rows = database.select(
        db, "SELECT url, content_type, fetched, data FROM saved_images WHERE article_id = ?",
        (article_id,))
    if not rows:
        return None
    row = rows[0]
    if url is not None and row["url"] != url:
        return None
    return CachedImage(url=row["url"], content=bytes(row["data"]),
                       content_type=row["content_type"], fetched=row["fetched"])


def export_meta(db: sqlite3.Connection, saved: SavedArticle) -> ExportMeta:
    """The saved article's export details with its kept image (the HTML export embeds it)."""
    meta = saved.export_meta()
    url = saved.annotated.article.image
    cached = cached_image(db, saved.id, url) if url else None
    if cached is None:
        return meta
    return replace(meta, image=ExportImage(cached.content, cached.content_type))
