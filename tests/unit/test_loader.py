"""``reader.sources.load``: the one loader every entry point uses."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

import httpx
import pytest

from reader import feeds
from reader.errors import Cancelled, ExtractError, ReaderError
from reader.fetch import Cancel, FetchLimits
from reader.library import db as library_db
from reader.library import store
from reader.models import Annotated
from reader.sources import Source, load
from tests.unit.test_sources import AMP_PAGE, SHELL_PAGE

SHELL_URL = "https://daily.example/budget"
AMP_URL = "https://daily.example/amp/budget"


def transport(pages: dict[str, bytes], seen: list[str] | None = None,
              delay: float = 0.0) -> httpx.MockTransport:
    async def handler(request: httpx.Request) -> httpx.Response:
        if seen is not None:
            seen.append(str(request.url))
        if delay:
            await asyncio.sleep(delay)
        body = pages.get(str(request.url))
        if body is None:
            return httpx.Response(404, headers={"content-type": "text/html"}, content=b"no")
        return httpx.Response(200, headers={"content-type": "text/html"}, content=body)

    return httpx.MockTransport(handler)


def test_a_url_falls_back_to_amp_and_keeps_the_page_it_used() -> None:
    seen: list[str] = []
    loaded = load(SHELL_URL, transport=transport({SHELL_URL: SHELL_PAGE, AMP_URL: AMP_PAGE},
                                                 seen))
    assert loaded.article.method == "amp"
    assert loaded.article.url == SHELL_URL
    assert loaded.page is not None and loaded.page.content == AMP_PAGE
    assert loaded.page.url == AMP_URL
    assert seen == [SHELL_URL, AMP_URL]
    assert loaded.fetched.endswith("Z")


def test_the_page_and_its_amp_version_share_one_deadline() -> None:
    pages = {SHELL_URL: SHELL_PAGE, AMP_URL: AMP_PAGE}
    started = time.monotonic()
    with pytest.raises(ExtractError, match="needs JavaScript"):
        # each fetch alone fits in 0.5 s; both together do not: the AMP fetch runs out
        # of the article's time and the shell page's own error is reported
        load(SHELL_URL, transport=transport(pages, delay=0.3),
             limits=FetchLimits(timeout=0.5))
    assert time.monotonic() - started < 0.9


def test_cancel_from_another_thread_stops_a_slow_fetch() -> None:
    cancel = Cancel()
    threading.Timer(0.2, cancel.cancel).start()
    started = time.monotonic()
    with pytest.raises(Cancelled):
        load(SHELL_URL, transport=transport({SHELL_URL: AMP_PAGE}, delay=10),
             cancel=cancel)
    assert time.monotonic() - started < 3


def test_a_local_file_keeps_its_bytes_and_type(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_bytes(b"Harbour news\n\nThe harbour reopened on Monday after repairs.\n")
    loaded = load(str(path))
    assert loaded.article.title == "Harbour news"
    assert loaded.article.url == path.resolve().as_uri()
    assert loaded.page is not None
    assert loaded.page.content == path.read_bytes()
    assert loaded.page.content_type == "text/plain"


def test_stdin_bytes_given_by_the_caller_are_used() -> None:
    loaded = load(Source("stdin", "-"), stdin=b"Piped title\n\nPiped body text here.\n")
    assert loaded.article.title == "Piped title"
    assert loaded.page is not None and loaded.page.content.startswith(b"Piped")


def test_a_saved_article_loads_from_the_library(tmp_path: Path) -> None:
    lib = tmp_path / "lib.sqlite3"
    with store.opened(lib) as connection:
        loaded = load(Source("stdin", "-"), stdin=b"Saved title\n\nSome saved text.\n")
        result = store.save(connection, Annotated(loaded.article))
    again = load(Source("saved", str(result.id)), library=lib)
    assert again.saved is not None and again.saved.id == result.id
    assert again.article.text == loaded.article.text
    assert again.page is None


def _feed_with_item(lib: Path, link: str) -> int:
    connection = library_db.connect(lib)
    try:
        feed_id, _ = feeds.subscribe(connection, "https://daily.example/feed.xml")
        item = feeds.ParsedItem(key="k1", title="Budget vote", link=link, author=None,
                                published=None, summary="A short summary.", content=None,
                                has_full_content=False)
        feeds.store_parsed(connection, feed_id, feeds.ParsedFeed("Daily", None, (item,)))
        (item_id,) = [i.id for i in feeds.feed_items(connection, feed_id)]
        return item_id
    finally:
        connection.close()


def test_a_feed_item_gets_the_amp_fallback_is_kept_and_marked_read(tmp_path: Path) -> None:
    lib = tmp_path / "lib.sqlite3"
    item_id = _feed_with_item(lib, SHELL_URL)
    seen: list[str] = []
    loaded = load(Source("item", str(item_id)), library=lib,
                  transport=transport({SHELL_URL: SHELL_PAGE, AMP_URL: AMP_PAGE}, seen))
    assert loaded.article.method == "amp" and loaded.warning is None
    again = load(Source("item", str(item_id)), library=lib, transport=transport({}, seen))
    assert again.article.text == loaded.article.text
    assert seen == [SHELL_URL, AMP_URL]  # the second opening reads the kept copy
    connection = library_db.connect(lib)
    try:
        assert feeds.get_item(connection, item_id).read
    finally:
        connection.close()


def test_a_feed_item_whose_page_fails_shows_its_summary_with_a_warning(
        tmp_path: Path) -> None:
    lib = tmp_path / "lib.sqlite3"
    item_id = _feed_with_item(lib, "https://daily.example/gone")
    loaded = load(Source("item", str(item_id)), library=lib, transport=transport({}))
    assert "A short summary." in loaded.article.text
    assert loaded.warning is not None and "HTTP 404" in loaded.warning


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(ReaderError, match="not a regular file"):
        load(str(fifo))


@pytest.mark.parametrize("bad", ["abc", "²", "99999999999999999999999"])
def test_bad_ids_are_one_line_errors(tmp_path: Path, bad: str) -> None:
    with pytest.raises(ReaderError, match="not a valid id"):
        load(Source("saved", bad), library=tmp_path / "lib.sqlite3")
