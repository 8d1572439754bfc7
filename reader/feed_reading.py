"""Deprecated: opening a feed item is ``reader.sources.load(Source("item", id))``.

Kept only for ``reader/tui/app.py`` until it calls the loader from a thread worker.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reader.fetch import FetchLimits
from reader.models import Article
from reader.sources import Source, load

if TYPE_CHECKING:
    import httpx


@dataclass(frozen=True)
class OpenedItem:
    article: Article
    warning: str | None = None


async def open_item(item_id: int, *, library: Path | None = None,
                    transport: httpx.AsyncBaseTransport | None = None,
                    limits: FetchLimits | None = None) -> OpenedItem:
    """The item's article via :func:`reader.sources.load`, off the event loop."""
    loaded = await asyncio.to_thread(load, Source("item", str(item_id)), library=library,
                                     transport=transport, limits=limits)
    return OpenedItem(loaded.article, loaded.warning)
