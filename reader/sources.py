"""Where an article comes from, and the ONE way to load it.

:func:`load` turns any source into a :class:`Loaded` — a URL, a local file, standard
input, the bundled demo, a feed item or a saved (library) article — so every caller (the
CLI's ``extract``/``annotate``/``save``/``export``, the TUI's reading screen) gets the
same behaviour: the same size cap, the AMP fallback for JavaScript shells and teasers,
one deadline per article, a local file read once, its bytes kept for the library.

API (blocking; the CLI calls it directly, the TUI from a thread worker)::

    from reader.sources import Cancel, Loaded, Source, load, parse_source

    cancel = Cancel()                 # optional: cancel.cancel() from any thread
    loaded = load(parse_source(arg),  # or load("https://...") / load(Source("item", "7"))
                  library=None,       # library file (feed items and saved articles)
                  limits=FetchLimits(timeout=20, max_bytes=15 << 20),
                  transport=None,     # an httpx transport (tests: httpx.MockTransport)
                  stdin=None,         # bytes already read from standard input, if any
                  cancel=cancel,
                  find_saved=False,   # True: look up the library copy of a web article
                  followed_from=None) # where a URL was found (see fetch.checked_address)
    loaded.article                    # the Article
    loaded.page                       # Page(content, content_type, url) or None
    loaded.fetched                    # when it was loaded (ISO 8601, UTC)
    loaded.saved                      # SavedArticle: the library article, or its saved copy
    loaded.warning                    # e.g. a feed item shown from its summary

Cancellation: ``limits.timeout`` is one deadline for the whole article (page and AMP
version together); ``cancel.cancel()`` stops the network step in flight at its next await
(its HTTP client is closed on the way out) and raises :class:`reader.errors.Cancelled`.
Extraction of bytes already read is not interrupted (it is bounded by the size cap).
"""

from __future__ import annotations

import sys
import threading
import time
from concurrent.futures import Future
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple
from urllib.parse import urlsplit

from reader import sniff
from reader.errors import Cancelled, ExtractError, ReaderError
from reader.fetch_control import Cancel, FetchLimits
from reader.models import Article, now_iso

if TYPE_CHECKING:
    import sqlite3

    import httpx

    from reader.config import Settings
    from reader.fetch import Fetched
    from reader.library.store import SavedArticle
    from reader.models import Annotated

__all__ = ["Cancel", "Cancelled", "Loaded", "Page", "Source", "load", "parse_source"]

SourceKind = Literal["url", "file", "stdin", "demo", "item", "saved"]
HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
TEXT_SUFFIXES = {".txt", ".text", ".md"}


# The records below are named tuples, not frozen dataclasses: they are made on the way to
# the first frame, and a dataclass costs ~0.7 ms to create (its methods are compiled from
# source), a named tuple a seventh of that.


class Source(NamedTuple):
    kind: SourceKind
    location: str

    @property
    def label(self) -> str:
        if self.kind == "stdin":
            return "standard input"
        if self.kind == "demo":
            return f"demo: {self.location}"
        if self.kind == "item":
            return f"feed item {self.location}"
        if self.kind == "saved":
            return f"saved article {self.location}"
        return self.location


class Page(NamedTuple):
    """The bytes an article was extracted from, kept so the library can extract again."""

    content: bytes
    content_type: str
    """"text/html", "text/plain", or "" when the type was sniffed from the bytes."""
    url: str | None


class Loaded(NamedTuple):
    """One loaded article and where it came from."""

    source: Source
    article: Article
    page: Page | None
    """None for saved articles and feed items read from the feed itself."""
    fetched: str
    """When the article was loaded (ISO 8601, UTC); the library records it."""
    saved: SavedArticle | None = None
    """For a saved article, the library record itself; with ``find_saved``, the library's
    copy of the same web article (by canonical URL), to compare with."""
    warning: str | None = None
    """Something the user should know, such as a feed item shown from its summary."""
    annotated: Annotated | None = None
    """The analysis kept with a prefetched feed item: shown at once, not computed again."""


def parse_source(arg: str) -> Source:
    """Decide what a command-line argument names; URLs need an explicit scheme."""
    if arg == "-":
        return Source("stdin", "-")
    scheme = urlsplit(arg).scheme.lower()
    if scheme in {"http", "https"}:
        return Source("url", arg)
    if "://" in arg or scheme in {"ftp", "file", "javascript", "data", "mailto"}:
        raise ReaderError(f"unsupported URL scheme: {scheme or arg.split(':', 1)[0]}")
    return Source("file", arg)


def demo_sources() -> list[Source]:
    """The articles bundled in ``reader/demo``, text first."""
    from importlib import resources  # only for the demo: ~2 ms of every start otherwise

    folder = resources.files("reader") / "demo"
    names = sorted(
        (entry.name for entry in folder.iterdir()
         if entry.name.endswith((".txt", ".html"))),
        key=lambda name: (not name.endswith(".txt"), name),
    )
    return [Source("demo", name) for name in names]


def read_demo(name: str) -> bytes:
    from importlib import resources

    return (resources.files("reader") / "demo" / name).read_bytes()


# ------------------------------------------------------------------------ the loader


def load(source: Source | str, *, library: Path | str | None = None,
         limits: FetchLimits | None = None,
         transport: httpx.AsyncBaseTransport | None = None,
         stdin: bytes | None = None, cancel: Cancel | None = None,
         find_saved: bool = False, followed_from: str | None = None,
         mark_read: bool = True) -> Loaded:
    """Load ``source`` into an Article (blocking: network, lxml and SQLite).

    A feed item is marked read unless ``mark_read`` is False (the coverage screen loads a
    story's items to compare them, which is not reading them).

    ``followed_from`` names where a URL source was found when the user did not type it
    (an imported export file, ``file:...``): it is then held to the address rules for
    links (:func:`reader.fetch.checked_address`).

    Raises :class:`reader.errors.ReaderError` (one line) for anything the user or the
    outside world caused, :class:`reader.errors.Cancelled` when ``cancel`` fired.
    """
    if isinstance(source, str):
        source = parse_source(source)
    limits = limits or configured_limits()
    cancel = cancel or Cancel()
    cancel.check()
    loaded = _load(source, library=library, limits=limits, transport=transport, stdin=stdin,
                   cancel=cancel, followed_from=followed_from, mark_read=mark_read)
    cancel.check()
    if loaded.warning is None and source.kind in ("url", "file", "stdin", "item"):
        loaded = loaded._replace(warning=teaser_warning(loaded.article))
    if find_saved and loaded.saved is None and source.kind != "saved":
        loaded = loaded._replace(saved=saved_copy(loaded.article, library))
    return loaded


TEASER_WORDS = 50
"""Fewer words than this is a teaser, a paywall or a page we could not read, not a story."""


def teaser_warning(article: Article) -> str | None:
    """A notice for an article too short to be the whole story (a paywall teaser)."""
    words = article.word_count
    if words >= TEASER_WORDS:
        return None
    return (f"only {words} word{'s' if words != 1 else ''} found: this may be a teaser "
            "or a paywalled page")


def configured_limits() -> FetchLimits:
    """The time and size limits of the user's config file (defaults for any bad key)."""
    from reader.config import load_config

    return limits_from(load_config())


def limits_from(settings: Settings) -> FetchLimits:
    """The time and size limits these settings ask for."""
    return FetchLimits(timeout=settings.timeout,
                       max_bytes=int(settings.max_megabytes * 1024 * 1024))


class EarlyLoad(NamedTuple):
    """A load started before the UI exists: the CLI starts the first article's load while
    Textual is still importing, so the article is ready for the first frame instead of
    arriving frames later. The reading screen adopts it (and its ``cancel``) as its
    first load."""

    source: Source
    cancel: Cancel
    result: Future[Loaded]


def start_loading(source: Source, *, library: Path | str | None, limits: FetchLimits,
                  stdin: bytes | None) -> EarlyLoad:
    """Load ``source`` as the reading screen would, in a daemon thread, but without
    looking up the library's copy of it: with a library that imports the library store
    and queries it (~40 ms), which would run beside the first frame. The screen looks it
    up once that frame is drawn (:func:`saved_copy`)."""
    result: Future[Loaded] = Future()
    cancel = Cancel()

    def run() -> None:
        try:
            result.set_result(load(source, library=library, limits=limits, stdin=stdin,
                                   cancel=cancel))
        except Exception as error:  # handed to the screen, which reports it like any load's
            result.set_exception(error)

    threading.Thread(target=run, name="reader-early-load", daemon=True).start()
    return EarlyLoad(source, cancel, result)


def _load(source: Source, *, library: Path | str | None, limits: FetchLimits,
          transport: httpx.AsyncBaseTransport | None, stdin: bytes | None,
          cancel: Cancel, followed_from: str | None = None, mark_read: bool = True) -> Loaded:
    fetched = now_iso()
    if source.kind == "url":
        article, page = _load_url(source.location, limits, transport, cancel,
                                  followed_from=followed_from)
        return Loaded(source, article, page, fetched)
    if source.kind == "item":
        return _load_item(source, library, limits, transport, cancel, mark_read)
    if source.kind == "saved":
        return _load_saved(source, library)
    data = stdin if source.kind == "stdin" and stdin is not None else \
        read_local(source, limits.max_bytes)
    if sniff.looks_like_reader_export(data):
        return Loaded(source, _exported_article(data, source.label), None, fetched)
    html = _html_by_suffix(source)
    article = article_from_bytes(data, what=source.label, html=html)
    if source.kind == "file" and article.url is None:
        article = replace(article, url=Path(source.location).resolve().as_uri())
    content_type = "" if html is None else "text/html" if html else "text/plain"
    return Loaded(source, article, Page(data, content_type, None), fetched)


def _exported_article(data: bytes, what: str) -> Article:
    """The article of a file the reader wrote itself (JSON export or annotation), not
    that file's JSON shown as text. A file of several articles is for ``reader import``."""
    from reader.library.imports import read_json_export

    items = read_json_export(data, what=what)
    if len(items) != 1:
        raise ExtractError(f"{what} holds {len(items)} exported articles; "
                           "reader import brings them into the library")
    return items[0].annotated.article


def _html_by_suffix(source: Source) -> bool | None:
    if source.kind not in ("file", "demo"):
        return None
    suffix = Path(source.location).suffix.lower()
    return True if suffix in HTML_SUFFIXES else False if suffix in TEXT_SUFFIXES else None


def _load_url(url: str, limits: FetchLimits, transport: httpx.AsyncBaseTransport | None,
              cancel: Cancel, followed_from: str | None = None) -> tuple[Article, Page]:
    from reader.fetch import make_client

    async def step() -> tuple[Article, Page]:
        async with make_client(transport, limits=limits) as client:
            return await fetch_article(url, client=client, limits=limits,
                                       deadline=time.monotonic() + limits.timeout,
                                       followed_from=followed_from)

    return cancel.run(step())


def _load_item(source: Source, library: Path | str | None, limits: FetchLimits,
               transport: httpx.AsyncBaseTransport | None, cancel: Cancel,
               mark_read: bool = True) -> Loaded:
    """A feed item: the copy kept at first opening (or by prefetch, with its analysis), the
    feed's own full text, or the linked page (fetched like any URL, AMP fallback included,
    then kept for offline reading). When the page cannot be fetched, the feed's summary is
    shown with a warning. The item is marked read (unless ``mark_read`` is False)."""
    from reader import feeds
    from reader.library import db as library_db

    item_id = _number(source)
    fetched = now_iso()
    connection = library_db.connect(library)
    try:
        annotated = feeds.item_analysis(connection, item_id)
        page: Page | None = None
        warning = None
        if annotated is not None:
            article = annotated.article
        else:
            try:
                article, page = item_article(connection, item_id, limits, transport, cancel)
            except Cancelled:
                raise
            except ReaderError as exc:
                article = feeds.item_as_article(feeds.get_item(connection, item_id))
                warning = f"showing the feed's summary: {exc}"
        if mark_read:
            feeds.mark_item_read(connection, item_id)
        return Loaded(source, article, page, fetched, warning=warning, annotated=annotated)
    finally:
        connection.close()


def item_article(connection: sqlite3.Connection, item_id: int, limits: FetchLimits,
                 transport: httpx.AsyncBaseTransport | None,
                 cancel: Cancel) -> tuple[Article, Page | None]:
    """A feed item's article, and the page it came from when it was fetched now: the
    copy kept before, the feed's own full text, or the linked page (then kept for offline
    reading). Raises ReaderError when the page cannot be fetched. Prefetching calls this
    too, which is why it leaves the read flag alone."""
    from reader import feeds

    item = feeds.get_item(connection, item_id)
    stored = feeds.item_article(connection, item_id)
    if stored:
        return Article.from_dict(stored), None
    if item.has_full_content or not item.link:
        return feeds.item_as_article(item), None
    # The link came from the feed, not the user: held to the address rules.
    feed_url = feeds.get_feed(connection, item.feed_id).url
    article, page = _load_url(item.link, limits, transport, cancel, followed_from=feed_url)
    feeds.store_item_article(connection, item_id, article.to_dict())
    return article, page


def _number(source: Source) -> int:
    """A feed item's or saved article's id, within SQLite's integer range."""
    text = source.location.strip()
    if not (text.isascii() and text.isdigit()) or int(text) >= 2**63:
        raise ReaderError(f"not a valid id for a {source.kind}: {source.location[:40]!r}")
    return int(text)


def _load_saved(source: Source, library: Path | str | None) -> Loaded:
    from reader.library import store

    with store.opened(library) as connection:
        saved = store.get(connection, _number(source))
    warning = None
    if saved.summary.link_only:
        warning = ("imported as a link: its text has not been fetched yet (r fetches it, "
                   "s then saves it)")
    return Loaded(source, saved.annotated.article, None, saved.summary.saved or now_iso(),
                  saved=saved, warning=warning)


def saved_copy(article: Article, library: Path | str | None) -> SavedArticle | None:
    """The library's copy of this article (same canonical URL), if it was saved."""
    if not article.url:
        return None  # nothing to look up: the library module is not even imported
    from reader import paths

    target = Path(library).expanduser() if library is not None else paths.library_file()
    if not target.exists():
        return None  # no library yet: a lookup must not create one
    from reader.library import store

    try:
        with store.opened(library) as connection:
            article_id = store.find_by_url(connection, article.url)
            return store.get(connection, article_id) if article_id else None
    except ReaderError:
        return None


async def fetch_article(url: str, *, client: httpx.AsyncClient, limits: FetchLimits,
                        deadline: float, followed_from: str | None = None
                        ) -> tuple[Article, Page]:
    """Fetch and extract a web article; when the page gives too little text (a JavaScript
    shell, a teaser), try the AMP version it links to, within the same deadline, and keep
    the better of the two."""
    import asyncio

    from reader.extract import POOR_WORDS, amp_link
    from reader.fetch import fetch

    fetched = await fetch(url, client=client, limits=limits, deadline=deadline,
                          followed_from=followed_from)
    first_error: ExtractError | None = None
    article: Article | None = None
    try:
        article = await asyncio.to_thread(article_from_fetched, fetched)
    except ExtractError as exc:
        first_error = exc
    if article is None or article.word_count < POOR_WORDS:
        amp = amp_link(fetched.content, fetched.url) if fetched.is_html else None
        if amp and amp != fetched.url:
            try:
                other = await fetch(amp, client=client, limits=limits, deadline=deadline,
                                    followed_from=fetched.url)
                alternative = await asyncio.to_thread(article_from_fetched, other)
                if article is None or alternative.word_count > article.word_count:
                    alternative = replace(alternative, url=article.url if article and
                                          article.url else fetched.url, method="amp")
                    return alternative, _page_of(other)
            except ReaderError:
                pass
    if article is None:
        assert first_error is not None
        raise first_error
    if article.url is None:
        article = replace(article, url=fetched.url)
    return article, _page_of(fetched)


def _page_of(fetched: Fetched) -> Page:
    return Page(fetched.content, fetched.content_type, fetched.url)


def article_from_fetched(fetched: Fetched) -> Article:
    """A fetched page as an Article, decoded with the charset the fetch settled on."""
    return article_from_page(fetched.content, fetched.content_type, fetched.url,
                             charset=fetched.charset)


def article_from_page(content: bytes, content_type: str, url: str | None,
                      charset: str | None = None) -> Article:
    """Stored or fetched page bytes as an Article (the library re-extracts through here)."""
    return article_from_bytes(content, what=url or "the page", url=url,
                              html=None if content_type == "" else content_type != "text/plain",
                              charset=charset)


def read_local(source: Source, max_bytes: int | None = None) -> bytes:
    """The bytes of a file, standard input or demo article, read once, under the cap."""
    cap = max_bytes if max_bytes is not None else FetchLimits().max_bytes
    if source.kind == "stdin":
        data = sys.stdin.buffer.read(cap + 1)
    elif source.kind == "demo":
        return read_demo(source.location)
    else:
        from reader.localfile import read_regular

        try:
            return read_regular(source.location, cap)
        except ReaderError as error:
            raise ExtractError(str(error)) from None
    if len(data) > cap:
        from reader.fetch import human_size

        raise ExtractError(f"{source.label} is larger than {human_size(cap)}")
    return data


def decode_text(data: bytes, what: str, charset: str | None = None) -> str:
    """Decode bytes that should be plain text, refusing binary data with a clear reason."""
    kind = sniff.binary_kind(data)
    if kind is not None:
        raise ExtractError(f"{what} looks like {kind}, not an article")
    return sniff.decode(data, charset, markup=False)


def article_from_bytes(data: bytes, *, what: str, url: str | None = None,
                       html: bool | None = None, charset: str | None = None) -> Article:
    """Turn downloaded or read bytes into an Article, as HTML or as plain text.

    ``charset`` is the encoding the fetch settled on (header, BOM); without one the page's
    own declaration and detection decide.
    """
    from reader.plaintext import article_from_text

    if not data.strip():
        raise ExtractError(f"{what} is empty")
    kind = sniff.binary_kind(data)
    if kind is not None:
        raise ExtractError(f"{what} looks like {kind}, not an article")
    if html is None:
        html = sniff.looks_like_html(data)
    if html:
        from reader.extract import extract_article  # lxml: only for markup

        return extract_article(sniff.decode(data, charset), url=url)
    return article_from_text(decode_text(data, what, charset), url=url)
