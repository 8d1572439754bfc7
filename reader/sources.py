"""Where an article comes from: a URL, a local file, stdin or the bundled demo.

The CLI and the TUI both go through here, so a source named on the command line behaves
the same whether it is printed as JSON or opened in the reader.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

from reader.errors import ExtractError, ReaderError
from reader.fetch import FetchLimits
from reader.models import Article

if TYPE_CHECKING:
    import httpx

SourceKind = Literal["url", "file", "stdin", "demo", "item", "saved"]
HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
TEXT_SUFFIXES = {".txt", ".text", ".md"}
MAX_LOCAL_BYTES = 15 * 1024 * 1024


@dataclass(frozen=True)
class Source:
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
    folder = resources.files("reader") / "demo"
    names = sorted(
        (entry.name for entry in folder.iterdir()
         if entry.name.endswith((".txt", ".html"))),
        key=lambda name: (not name.endswith(".txt"), name),
    )
    return [Source("demo", name) for name in names]


def read_demo(name: str) -> bytes:
    return (resources.files("reader") / "demo" / name).read_bytes()


def _looks_like_html(data: bytes) -> bool:
    head = data[:2048].lstrip().lower()
    return head.startswith((b"<!doctype", b"<html", b"<?xml", b"<head", b"<body", b"<!--")) or (
        b"<html" in head or b"<body" in head or b"<p>" in head or b"<div" in head)


def decode_text(data: bytes, what: str) -> str:
    """Decode bytes that should be plain text, refusing binary data with a clear reason."""
    from reader.extract import sniff_binary

    kind = sniff_binary(data)
    if kind is not None:
        raise ExtractError(f"{what} looks like {kind}, not an article")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ExtractError(f"{what} is not readable text (unknown encoding)")
    return str(best)


def article_from_bytes(data: bytes, *, what: str, url: str | None = None,
                       html: bool | None = None) -> Article:
    """Turn downloaded or read bytes into an Article, as HTML or as plain text."""
    from reader.extract import extract_article, sniff_binary
    from reader.plaintext import article_from_text

    if not data.strip():
        raise ExtractError(f"{what} is empty")
    kind = sniff_binary(data)
    if kind is not None:
        raise ExtractError(f"{what} looks like {kind}, not an article")
    if html is None:
        html = _looks_like_html(data)
    if html:
        return extract_article(data, url=url)
    return article_from_text(decode_text(data, what), url=url)


def read_local(source: Source) -> bytes:
    if source.kind == "stdin":
        data = sys.stdin.buffer.read(MAX_LOCAL_BYTES + 1)
    elif source.kind == "demo":
        return read_demo(source.location)
    else:
        path = Path(source.location)
        try:
            if path.is_dir():
                raise ExtractError(f"{source.location} is a directory, not an article")
            with path.open("rb") as handle:
                data = handle.read(MAX_LOCAL_BYTES + 1)
        except FileNotFoundError:
            raise ExtractError(f"no such file: {source.location}") from None
        except PermissionError:
            raise ExtractError(f"permission denied: {source.location}") from None
        except OSError as exc:
            raise ExtractError(f"cannot read {source.location}: {exc.strerror}") from None
    if len(data) > MAX_LOCAL_BYTES:
        raise ExtractError(f"{source.label} is larger than 15 MB")
    return data


def load_local(source: Source) -> Article:
    """Read and extract a file, stdin or demo article (blocking: lxml work)."""
    data = read_local(source)
    suffix = Path(source.location).suffix.lower()
    html: bool | None = None
    if suffix in HTML_SUFFIXES:
        html = True
    elif suffix in TEXT_SUFFIXES:
        html = False
    url = source.location if source.kind == "file" else None
    article = article_from_bytes(data, what=source.label, html=html)
    if url and article.url is None:
        from dataclasses import replace

        article = replace(article, url=Path(url).resolve().as_uri())
    return article


def article_from_fetched(content: bytes, content_type: str, url: str) -> Article:
    return article_from_bytes(content, what=url, url=url,
                              html=None if content_type == "" else content_type != "text/plain")


@dataclass(frozen=True)
class WebPage:
    """An article from the web and the page bytes it came from (kept for the library)."""

    article: Article
    content: bytes
    url: str


async def load_url(url: str, *, client: httpx.AsyncClient | None = None,
                   limits: FetchLimits | None = None) -> WebPage:
    """Fetch and extract a web article; when the page gives too little text (a
    JavaScript shell, a teaser), try the AMP version it links to and keep the better."""
    import asyncio

    from reader.extract import POOR_WORDS, amp_link
    from reader.fetch import fetch

    limits = limits or FetchLimits()
    fetched = await fetch(url, client=client, limits=limits)
    first_error: ExtractError | None = None
    article: Article | None = None
    try:
        article = await asyncio.to_thread(article_from_fetched, fetched.content,
                                          fetched.content_type, fetched.url)
    except ExtractError as exc:
        first_error = exc
    if article is None or article.word_count < POOR_WORDS:
        amp = amp_link(fetched.content, fetched.url) if fetched.is_html else None
        if amp and amp != fetched.url:
            try:
                other = await fetch(amp, client=client, limits=limits)
                alternative = await asyncio.to_thread(article_from_fetched, other.content,
                                                      other.content_type, other.url)
                if article is None or alternative.word_count > article.word_count:
                    alternative = replace(alternative, url=article.url if article and
                                          article.url else fetched.url, method="amp")
                    return WebPage(alternative, other.content, other.url)
            except ReaderError:
                pass
    if article is None:
        assert first_error is not None
        raise first_error
    if article.url is None:
        article = replace(article, url=fetched.url)
    return WebPage(article, fetched.content, fetched.url)


def load_sync(source: Source) -> Article:
    """Load any source from synchronous code (the CLI)."""
    if source.kind != "url":
        return load_local(source)
    import asyncio

    return asyncio.run(load_url(source.location)).article
