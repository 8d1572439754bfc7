"""The articles of a comparison: each source loaded through the one loader, then analysed.

Shared by ``reader compare`` and the coverage screen, so both accept the same sources:
URLs, files, and the ``item:N`` / ``saved:N`` forms that name a feed item or a saved
article of the library. A saved article keeps the analysis stored with it; the others are
analysed by the caller's ``analyse`` (in-process batches for the CLI, the worker process
for the TUI), so this module stays free of how analysis runs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from threading import Lock
from typing import TYPE_CHECKING

from reader.errors import Cancelled, ReaderError
from reader.fetch import Cancel, FetchLimits
from reader.models import Annotated, Article
from reader.sources import Loaded, Source, load, parse_source

if TYPE_CHECKING:
    import httpx

LOADERS = 4
"""Sources loaded at once (threads; each fetch waits on the network, not the CPU)."""
LIBRARY_FORMS = {"item": "item", "saved": "saved"}
"""``item:7`` is feed item 7, ``saved:3`` the saved article 3 (as the home screen and the
library name them)."""


def source_of(text: str) -> Source:
    """A source as the user or another screen writes it: ``item:N``, ``saved:N``, else
    whatever ``reader`` accepts on its command line (a URL, a file)."""
    head, sep, rest = text.partition(":")
    if sep and head in LIBRARY_FORMS and rest.strip().isdigit():
        return Source(LIBRARY_FORMS[head], rest.strip())  # type: ignore[arg-type]
    return parse_source(text)


@dataclass(frozen=True)
class Gathered:
    """The story's articles, analysed, in the order given, and what to tell the user."""

    annotated: tuple[Annotated, ...]
    sources: tuple[Source, ...]
    warnings: tuple[str, ...]


def gather(texts: Sequence[str], analyse: Callable[[list[Article]], list[Annotated]], *,
           library: Path | str | None = None, limits: FetchLimits | None = None,
           transport: httpx.AsyncBaseTransport | None = None,
           cancel: Cancel | None = None,
           loaded_one: Callable[[int, int], None] | None = None) -> Gathered:
    """Load every source (blocking), then analyse those without a stored analysis.

    ``loaded_one(done, total)`` is called from a loading thread as each source arrives
    (the coverage screen's loading line counts them).

    Raises :class:`ReaderError` naming the source that could not be loaded, and when
    fewer than two sources are given (there is nothing to compare).
    """
    if len(texts) < 2:
        raise ReaderError("compare needs two or more sources")
    sources = [source_of(text) for text in texts]
    if any(s.kind == "stdin" for s in sources):
        raise ReaderError("compare reads URLs and files, not standard input")
    cancel = cancel or Cancel()
    done = [0]
    lock = Lock()

    def one(source: Source) -> Loaded:
        try:
            loaded = load(source, library=library, limits=limits, transport=transport,
                          cancel=cancel)
            with lock:
                done[0] += 1
                count = done[0]
            if loaded_one is not None:
                loaded_one(count, len(sources))
            return loaded
        except Cancelled:
            raise
        except ReaderError as error:
            raise ReaderError(f"{source.label}: {error}") from None

    # Web pages are fetched side by side: five outlets cost one slow page, not five.
    with ThreadPoolExecutor(max_workers=min(LOADERS, len(sources))) as pool:
        futures = [pool.submit(one, source) for source in sources]
        try:
            loaded = [future.result() for future in futures]
        except BaseException:
            cancel.cancel()  # the first failure ends the others' waits
            raise
    warnings = tuple(f"{item.source.label}: {item.warning}" for item in loaded if item.warning)
    todo = [item.article for item in loaded if item.saved is None or
            item.source.kind != "saved"]
    fresh = iter(analyse(todo))
    results = tuple(item.saved.annotated if item.saved is not None and
                    item.source.kind == "saved" else next(fresh) for item in loaded)
    return Gathered(results, tuple(sources), warnings)
