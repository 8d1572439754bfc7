"""Offline reading: prepare the newest unread items of each feed before they are opened.

After a refresh, the ``prefetch`` newest unread (and not hidden) items of every feed are
fetched, extracted and analysed the way opening them would (:func:`reader.sources.
item_article`: the same size cap, deadline, address rules and AMP fallback), and the
article is kept with its analysis in the library. Opening such an item then needs neither
the network nor spaCy: it shows at once, and works offline. Items are done one at a time,
so a background prefetch never competes with the reader for more than one fetch and one
analysis; a failure (a dead link) only leaves that item for the next time.

Blocking: call it from a thread worker (the TUI) or a script.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reader.errors import Cancelled, ReaderError
from reader.fetch import Cancel, FetchLimits
from reader.library.db import select
from reader.models import Annotated, Article

if TYPE_CHECKING:
    import sqlite3

    import httpx

Annotate = Callable[[Article], Annotated]
PrefetchProgress = Callable[[int, int], None]

_CANDIDATES = """
    SELECT id FROM (
        SELECT i.id, i.sort_date, i.article_json, i.analysis_json,
               row_number() OVER (PARTITION BY i.feed_id
                                  ORDER BY i.sort_date DESC, i.id ASC) AS rank
        FROM feed_items i WHERE i.read = 0 AND i.hidden = 0
    )
    WHERE rank <= ? AND (article_json IS NULL OR analysis_json IS NULL)
    ORDER BY sort_date DESC, id ASC
"""


@dataclass(frozen=True)
class PrefetchReport:
    ready: int = 0
    """Items prepared now (article and analysis kept)."""
    failed: int = 0
    """Items whose page could not be fetched or analysed; tried again next time."""


def candidates(db: sqlite3.Connection, per_feed: int) -> list[int]:
    """The newest ``per_feed`` unread, visible items of each feed not yet prepared."""
    if per_feed <= 0:
        return []
    return [int(row["id"]) for row in select(db, _CANDIDATES, (per_feed,))]


def default_annotate(article: Article) -> Annotated:
    """The analysis the reading screen runs (the worker processes, one parse)."""
    from reader.analysis import pool

    return pool.annotate_isolated(article)


def prefetch(library: Path | str | None, per_feed: int, *,
             limits: FetchLimits | None = None,
             transport: httpx.AsyncBaseTransport | None = None,
             annotate: Annotate = default_annotate, cancel: Cancel | None = None,
             progress: PrefetchProgress | None = None) -> PrefetchReport:
    """Prepare the items :func:`candidates` picks; ``progress(done, total)`` after each.

    ``cancel.cancel()`` (from any thread) stops at the next fetch; what was prepared by
    then stays prepared.
    """
    from reader import feeds
    from reader.library import db as library_db
    from reader.sources import configured_limits, item_article

    limits = limits or configured_limits()
    cancel = cancel or Cancel()
    connection = library_db.connect(library)
    ready = failed = 0
    try:
        targets = candidates(connection, per_feed)
        for done, item_id in enumerate(targets, start=1):
            cancel.check()
            try:
                article, _ = item_article(connection, item_id, limits, transport, cancel)
                feeds.store_item_analysis(connection, item_id, annotate(article))
                ready += 1
            except Cancelled:
                raise
            except ReaderError:
                failed += 1
            if progress is not None:
                progress(done, len(targets))
    finally:
        connection.close()
    return PrefetchReport(ready=ready, failed=failed)
