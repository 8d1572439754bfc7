"""Feed subscriptions: fetch, parse and keep RSS, RDF, Atom and JSON Feed items.

The pieces, in the order data flows through them:

* **download** — a feed is fetched under the same discipline as an article (http/https
  only, redirects followed by hand and closed unread, a byte cap on the decoded body, one
  deadline over the whole fetch), plus what feeds need: XML/JSON content types and
  conditional requests (ETag / Last-Modified, where a 304 means nothing new).
* **parse** — JSON Feed is read with :mod:`json` (feedparser does not know it).
  Well-formed RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom 1.0 take a fast lxml path, because
  feedparser spends about 1 ms per item and a reader with 100 subscriptions would wait
  seconds on every refresh; everything else (malformed XML, DOCTYPEs and their entities,
  rarer dialects) goes to feedparser, whose forgiving parser is the reason it exists.
  Both paths end in the same normalisation, and a test holds them to the same output.
* **store** — items are keyed by guid/id, else link, else a hash of title and date, so a
  refresh updates rather than duplicates. Failures are recorded next to the feed
  (``last_error``) and never stop the refresh of the others.

The TUI and the ``reader feeds`` command both call the functions here; nothing in this
module prints.
"""

from __future__ import annotations

import asyncio
import email.utils
import hashlib
import html
import io
import json
import re
import shlex
import sqlite3
import time
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import httpx
import lxml.html
from lxml import etree
from lxml_html_clean import Cleaner

from reader import sniff
from reader.db import transaction
from reader.errors import FetchError, ReaderError, StoreError
from reader.fetch import (
    Fetched,
    FetchLimits,
    Wanted,
    checked_url,
    fetch,
    make_client,
)
from reader.models import Article, count_words
from reader.plaintext import article_from_text

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, "
    "application/json;q=0.8, text/html;q=0.5, */*;q=0.1"
)
XML_TYPES = frozenset({
    "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
    "text/xml", "application/x-rss+xml", "application/x-atom+xml",
})
JSON_TYPES = frozenset({"application/feed+json", "application/json"})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Servers label feeds carelessly; these are let through to the parser, which decides.
LENIENT_TYPES = frozenset({"text/plain", "application/octet-stream", "binary/octet-stream"})
ACCEPTED_TYPES = XML_TYPES | JSON_TYPES | HTML_TYPES | LENIENT_TYPES
DISCOVERY_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json",
                   "application/rdf+xml")

FULL_CONTENT_WORDS = 150
SUMMARY_WORDS = 80
DEFAULT_CONCURRENCY = 8
DEFAULT_PER_HOST = 2
MAX_IMPORT_BYTES = 10 * 1024 * 1024

_ATOM = "{http://www.w3.org/2005/Atom}"
_RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
_RSS_1_NAMESPACES = ("{http://purl.org/rss/1.0/}", "{http://my.netscape.com/rdf/simple/0.9/}")
_XHTML = "{http://www.w3.org/1999/xhtml}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_CONTENT_ENCODED = "{http://purl.org/rss/1.0/modules/content/}encoded"
_XML_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_WHITESPACE = re.compile(r"\s+")
_BLANK_LINES = re.compile(r"\n\s*\n")
_BLOCK_TAGS = ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre",
               "section", "article", "header", "footer", "figure", "figcaption", "table",
               "tr", "ul", "ol", "dl", "dt", "dd", "hr", "aside", "address")
_CLEANER = Cleaner(
    scripts=True, javascript=True, comments=True, style=True, inline_style=True, links=True,
    meta=True, page_structure=True, processing_instructions=True, embedded=True,
    frames=True, forms=True, annoying_tags=True, safe_attrs_only=True,
)

ProgressCallback = Callable[[int, int, "Feed"], None]


class FeedError(ReaderError):
    """A feed (or subscription file) could not be used: not found, not a feed, malformed."""


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class FeedLimits(FetchLimits):
    """A page's limits with a smaller body cap: anything past 10 MB is not a feed."""

    max_bytes: int = 10 * 1024 * 1024


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

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ParsedItem:
    key: str
    title: str
    link: str | None
    author: str | None
    published: str | None
    summary: str
    content: str | None
    has_full_content: bool


@dataclass(frozen=True)
class ParsedFeed:
    title: str | None
    site_url: str | None
    items: tuple[ParsedItem, ...]
    parser: str = ""


@dataclass(frozen=True)
class FeedResult:
    """How one feed's refresh went; ``error`` is a one-line message when it failed."""

    feed: Feed
    new_items: int = 0
    not_modified: bool = False
    error: str | None = None


@dataclass(frozen=True)
class RefreshReport:
    results: tuple[FeedResult, ...]

    @property
    def new_items(self) -> int:
        return sum(result.new_items for result in self.results)

    @property
    def failed(self) -> tuple[FeedResult, ...]:
        return tuple(result for result in self.results if result.error)


@dataclass(frozen=True)
class Subscription:
    """A feed named in an OPML or newsboat file, before it is in the library."""

    url: str
    title: str | None = None
    tags: tuple[str, ...] = ()
    site_url: str | None = None


@dataclass(frozen=True)
class ImportReport:
    added: tuple[Subscription, ...]
    existing: tuple[Subscription, ...]
    skipped: tuple[str, ...]  # one line each: what was skipped and why


# ----------------------------------------------------------------------- download


FEED = Wanted(ACCEPTED_TYPES, FEED_ACCEPT, "feed", sniff_type=False)
Download = Fetched
"""A feed response: ``Fetched.not_modified`` when the server answered 304."""


def make_feed_client(transport: httpx.AsyncBaseTransport | None = None,
                     limits: FeedLimits = FeedLimits()) -> httpx.AsyncClient:
    """A client for feeds: :func:`reader.fetch.make_client` with the feed Accept header."""
    return make_client(transport, limits=limits, wanted=FEED)


@asynccontextmanager
async def _client_scope(client: httpx.AsyncClient | None,
                        limits: FeedLimits) -> AsyncIterator[httpx.AsyncClient]:
    """The caller's client, or one of our own that is closed afterwards."""
    if client is not None:
        yield client
        return
    async with make_feed_client(limits=limits) as own:
        yield own


async def download_feed(client: httpx.AsyncClient, url: str, *, etag: str | None = None,
                        last_modified: str | None = None,
                        limits: FeedLimits = FeedLimits()) -> Fetched:
    """Fetch ``url`` conditionally with :func:`reader.fetch.fetch`, the one bounded GET."""
    return await fetch(url, client=client, limits=limits, wanted=FEED, etag=etag,
                       last_modified=last_modified)


# ------------------------------------------------------------------------ discovery


def looks_like_html(download: Download) -> bool:
    """A web page rather than a feed (servers sometimes send feeds as text/html, too)."""
    if sniff.looks_like_feed(download.content):
        return False
    head = download.content[:1024].lstrip().lower()
    return download.content_type in HTML_TYPES or head.startswith((b"<!doctype html", b"<html"))


def discover_feed_url(page: bytes, base_url: str) -> str | None:
    """The first ``<link rel="alternate">`` to a feed, resolved against the page's base."""
    try:
        document = lxml.html.document_fromstring(page)
    except (etree.ParserError, ValueError):
        return None
    base = base_url
    for base_element in document.iter("base"):
        href = base_element.get("href")
        if href:
            base = urljoin(base_url, href.strip())
            break
    for link in document.iter("link"):
        rels = (link.get("rel") or "").lower().split()
        media_type = (link.get("type") or "").split(";")[0].strip().lower()
        href = (link.get("href") or "").strip()
        if "alternate" in rels and media_type in DISCOVERY_TYPES and href:
            return urljoin(base, href)
    return None


# -------------------------------------------------------------------------- parsing


@dataclass
class _RawItem:
    """An entry as a parser found it, before the shared normalisation."""

    id: str | None = None
    link: str | None = None
    title: str = ""
    author: str | None = None
    published: str | None = None
    summary_html: str | None = None
    content_html: str | None = None


def parse_feed(content: bytes, *, url: str, content_type: str = "") -> ParsedFeed:
    """Any supported feed format to a :class:`ParsedFeed`; FeedError if it is none."""
    head = content[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if content_type in JSON_TYPES or head.startswith(b"{"):
        return parse_json_feed(content, url=url)
    fast = _parse_xml_fast(content, url)
    return fast if fast is not None else parse_with_feedparser(content, url=url,
                                                               content_type=content_type)


def parse_json_feed(content: bytes, *, url: str) -> ParsedFeed:
    """JSON Feed 1.0/1.1 (https://jsonfeed.org), which feedparser does not read."""
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        raise FeedError(f"malformed JSON feed: {_first_line(error)}") from None
    if not isinstance(data, dict) or not str(data.get("version", "")).startswith(
            "https://jsonfeed.org/version/"):
        raise FeedError("not a feed: JSON without a JSON Feed version")
    entries = data.get("items")
    raw = [_json_item(entry) for entry in entries if isinstance(entry, dict)] \
        if isinstance(entries, list) else []
    site = data.get("home_page_url")
    return _finish(_text_or_none(data.get("title")),
                   site if isinstance(site, str) else None, raw, url, "json")


def _json_item(entry: dict[str, Any]) -> _RawItem:
    content_html = _text_or_none(entry.get("content_html"))
    content_text = _text_or_none(entry.get("content_text"))
    if content_html is None and content_text is not None:
        content_html = "".join(f"<p>{html.escape(part.strip())}</p>"
                               for part in _BLANK_LINES.split(content_text) if part.strip())
    summary = _text_or_none(entry.get("summary"))
    return _RawItem(
        id=_text_or_none(entry.get("id")),
        link=_text_or_none(entry.get("url")) or _text_or_none(entry.get("external_url")),
        title=_text_or_none(entry.get("title")) or "",
        author=_json_author(entry),
        published=_iso_date(_text_or_none(entry.get("date_published"))
                            or _text_or_none(entry.get("date_modified"))),
        summary_html=html.escape(summary) if summary else None,
        content_html=content_html,
    )


def _json_author(entry: dict[str, Any]) -> str | None:
    authors = entry.get("authors")
    candidates = authors if isinstance(authors, list) else [entry.get("author")]
    names = [str(a["name"]) for a in candidates if isinstance(a, dict) and a.get("name")]
    return ", ".join(names) or None


def _text_or_none(value: object) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    return text or None


def _parse_xml_fast(content: bytes, url: str) -> ParsedFeed | None:
    """RSS, RDF and Atom when the XML is well formed and plain; None hands over to feedparser.

    Entities are never resolved and the network is never used, so a hostile DTD can
    neither expand nor reach out; a document with any DOCTYPE goes to feedparser.
    """
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True,
                             remove_pis=True, huge_tree=False)
    try:
        root = etree.fromstring(content, parser)
    except (etree.XMLSyntaxError, ValueError):
        return None
    if _has_doctype(root):
        return None
    if root.tag == "rss":
        channel = root.find("channel")
        if channel is None:
            return None
        return _rss_feed(channel, channel.findall("item"), "", url)
    if root.tag == f"{_RDF}RDF":
        for namespace in _RSS_1_NAMESPACES:
            channel = root.find(f"{namespace}channel")
            if channel is not None:
                return _rss_feed(channel, root.findall(f"{namespace}item"), namespace, url)
        return None
    if root.tag == f"{_ATOM}feed":
        return _atom_feed(root, url)
    return None


def _has_doctype(root: etree._Element) -> bool:
    docinfo: Any = root.getroottree().docinfo
    return bool(docinfo.doctype)


def _rss_feed(channel: etree._Element, items: list[etree._Element], ns: str,
              url: str) -> ParsedFeed:
    raw = [_rss_item(item, ns) for item in items]
    title = _plain(_inner_xml(channel.find(f"{ns}title")))
    site = (channel.findtext(f"{ns}link") or "").strip() or None
    return _finish(title or None, site, raw, url, "lxml")


def _rss_item(item: etree._Element, ns: str) -> _RawItem:
    guid_element = item.find("guid")
    guid = (guid_element.text or "").strip() if guid_element is not None else ""
    link = (item.findtext(f"{ns}link") or "").strip()
    if not link and guid_element is not None and guid.startswith(("http://", "https://")) \
            and guid_element.get("isPermaLink", "true").lower() != "false":
        link = guid
    identifier = guid or item.get(f"{_RDF}about") or None
    return _RawItem(
        id=identifier,
        link=link or None,
        title=_plain(_inner_xml(item.find(f"{ns}title"))),
        author=_plain(item.findtext("author") or item.findtext(f"{_DC}creator") or "") or None,
        published=_iso_date(item.findtext("pubDate") or item.findtext(f"{_DC}date")),
        summary_html=_inner_xml(item.find(f"{ns}description")) or None,
        content_html=_inner_xml(item.find(_CONTENT_ENCODED)) or None,
    )


def _atom_feed(root: etree._Element, url: str) -> ParsedFeed:
    raw = [_atom_item(entry, url) for entry in root.findall(f"{_ATOM}entry")]
    title = _plain(_atom_html(root.find(f"{_ATOM}title")))
    return _finish(title or None, _atom_link(root, url), raw, url, "lxml")


def _atom_item(entry: etree._Element, url: str) -> _RawItem:
    author = entry.find(f"{_ATOM}author")
    author_name = author.findtext(f"{_ATOM}name") if author is not None else None
    return _RawItem(
        id=(entry.findtext(f"{_ATOM}id") or "").strip() or None,
        link=_atom_link(entry, url),
        title=_plain(_atom_html(entry.find(f"{_ATOM}title"))),
        author=_plain(author_name or "") or None,
        published=_iso_date(entry.findtext(f"{_ATOM}published")
                            or entry.findtext(f"{_ATOM}updated")),
        summary_html=_atom_html(entry.find(f"{_ATOM}summary")) or None,
        content_html=_atom_html(entry.find(f"{_ATOM}content")) or None,
    )


def _atom_link(element: etree._Element, url: str) -> str | None:
    for link in element.findall(f"{_ATOM}link"):
        href = (link.get("href") or "").strip()
        if href and link.get("rel", "alternate") == "alternate":
            return urljoin(url, href)
    return None


def _atom_html(element: etree._Element | None) -> str:
    """An Atom text construct as HTML, whichever of text, html or xhtml it was sent as."""
    if element is None:
        return ""
    kind = (element.get("type") or "text").lower()
    if kind == "xhtml":
        # The content sits inside one xhtml <div> that is a wrapper, not part of the text.
        wrapper = element.find(f"{_XHTML}div")
        return _inner_xml(wrapper if wrapper is not None and len(element) == 1 else element)
    if kind in {"html", "text/html"}:
        return element.text or ""
    if len(element):
        return _inner_xml(element)
    return html.escape(element.text or "", quote=False)


def _inner_xml(element: etree._Element | None) -> str:
    """An element's text, or its children serialised when a feed embedded raw markup."""
    if element is None:
        return ""
    if not len(element):
        return (element.text or "").strip()
    parts = [html.escape(element.text or "", quote=False)]
    for child in element:
        parts.append(_strip_namespaces(etree.tostring(child, encoding="unicode")))
    return "".join(parts).strip()


def _strip_namespaces(markup: str) -> str:
    return re.sub(r'\sxmlns(?::\w+)?="[^"]*"', "", markup)


def parse_with_feedparser(content: bytes, *, url: str, content_type: str = "") -> ParsedFeed:
    """The forgiving path: malformed XML, DOCTYPEs, Atom 0.3 and other old dialects.

    The bytes go in as a stream: given bytes directly, feedparser tries them as a file name.
    """
    import feedparser

    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(io.BytesIO(content), response_headers=headers,
                              sanitize_html=False, resolve_relative_uris=False)
    if not parsed.entries and parsed.get("bozo"):
        reason = _first_line(parsed.get("bozo_exception") or "unreadable XML")
        raise FeedError(f"malformed feed: {reason}")
    if not parsed.entries and not parsed.get("version"):
        raise FeedError("not a feed: no RSS, Atom or JSON Feed found")
    raw = [_feedparser_item(entry) for entry in parsed.entries]
    channel = parsed.get("feed", {})
    return _finish(_plain(channel.get("title", "")) or None, channel.get("link") or None,
                   raw, url, "feedparser")


def _feedparser_item(entry: Any) -> _RawItem:
    contents = entry.get("content") or []
    html_contents = [c for c in contents if "html" in str(c.get("type", ""))] or contents
    content_html = str(html_contents[0].get("value", "")) if html_contents else None
    when = entry.get("published_parsed") or entry.get("updated_parsed")
    summary = entry.get("summary")
    if summary and entry.get("summary_detail", {}).get("type") == "text/plain":
        summary = html.escape(summary, quote=False)
    return _RawItem(
        id=entry.get("id") or None,
        link=entry.get("link") or None,
        title=_plain(entry.get("title", "")),
        author=_plain(entry.get("author", "")) or None,
        published=_iso_from_struct(when) if when else None,
        summary_html=summary or None,
        content_html=content_html or None,
    )


def _finish(title: str | None, site_url: str | None, raw: Sequence[_RawItem], url: str,
            parser: str) -> ParsedFeed:
    """The normalisation both parsers share, so they store the same thing."""
    items: dict[str, ParsedItem] = {}
    for entry in raw:
        item = _normalise(entry, url)
        items.setdefault(item.key, item)  # a feed repeating a guid keeps its first entry
    return ParsedFeed(title, urljoin(url, site_url) if site_url else None,
                      tuple(items.values()), parser)


def _normalise(entry: _RawItem, base_url: str) -> ParsedItem:
    summary_text = html_to_text(entry.summary_html or "")
    content_html = entry.content_html
    if content_html is None and count_words(summary_text) >= FULL_CONTENT_WORDS:
        content_html = entry.summary_html  # the description carries the whole article
    content_text = html_to_text(content_html or "", paragraphs=True)
    if not summary_text:
        summary_text = content_text
    content_words = count_words(content_text)
    summary = _clip_words(_WHITESPACE.sub(" ", summary_text).strip(), SUMMARY_WORDS)
    link = urljoin(base_url, entry.link) if entry.link else None
    return ParsedItem(
        key=_item_key(entry, link),
        title=entry.title,
        link=link,
        author=entry.author,
        published=entry.published,
        summary=summary,
        content=clean_content_html(content_html, link or base_url) if content_html else None,
        has_full_content=content_words >= FULL_CONTENT_WORDS
        and content_words >= count_words(summary),
    )


def _item_key(entry: _RawItem, link: str | None) -> str:
    """guid/id, else link, else a hash: the same entry gets the same key on every refresh."""
    if entry.id:
        return entry.id
    if link:
        return link
    digest = hashlib.sha256(f"{entry.title}\x1f{entry.published or ''}".encode()).hexdigest()
    return f"sha256:{digest[:32]}"


def _clip_words(text: str, limit: int) -> str:
    words = text.split(" ")
    return text if len(words) <= limit else " ".join(words[:limit]) + " …"


def _first_line(error: object) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


# ---------------------------------------------------------------- text and dates


def html_to_text(markup: str, *, paragraphs: bool = False) -> str:
    """Visible text of an HTML fragment: one line, or blank-line separated paragraphs."""
    markup = _XML_UNSAFE.sub("", markup)
    if not markup.strip():
        return ""
    if "<" in markup or "&" in markup:
        markup = _fragment_text(markup, paragraphs)
    if not paragraphs:
        return _WHITESPACE.sub(" ", markup).strip()
    chunks = (_WHITESPACE.sub(" ", chunk).strip() for chunk in _BLANK_LINES.split(markup))
    return "\n\n".join(chunk for chunk in chunks if chunk)


def _fragment_text(markup: str, paragraphs: bool) -> str:
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return markup
    for unwanted in list(root.iter("script", "style", "template")):
        unwanted.drop_tree()
    if paragraphs:
        for block in root.iter(*_BLOCK_TAGS):
            block.tail = "\n\n" + (block.tail or "")
            block.text = "\n\n" + (block.text or "")
        for line_break in root.iter("br"):
            line_break.tail = "\n\n" + (line_break.tail or "")
    return str(root.text_content())


def _plain(markup: str) -> str:
    return html_to_text(markup)


def clean_content_html(markup: str, base_url: str) -> str | None:
    """Sanitised HTML (no scripts, styles, frames, handlers) with absolute links."""
    markup = _XML_UNSAFE.sub("", markup)
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
        root.make_links_absolute(base_url, resolve_base_href=False, handle_failures="discard")
        cleaned = _CLEANER.clean_html(root)
    except (etree.ParserError, ValueError):
        return None
    return str(lxml.html.tostring(cleaned, encoding="unicode"))


def _iso_date(value: str | None) -> str | None:
    """RFC 822, ISO 8601 or whatever feedparser can read, as UTC ``YYYY-MM-DDTHH:MM:SSZ``."""
    if not value or not value.strip():
        return None
    text = value.strip()
    moment: datetime | None = None
    try:
        moment = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            moment = None
    if moment is None:
        from feedparser.datetimes import _parse_date

        parsed = _parse_date(text)
        return _iso_from_struct(parsed) if parsed else None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return _iso(moment.astimezone(UTC))


def _iso_from_struct(value: time.struct_time | Sequence[int]) -> str | None:
    year, month, day, hour, minute, second = tuple(value)[:6]
    try:
        return _iso(datetime(year, month, day, hour, minute, second, tzinfo=UTC))
    except (TypeError, ValueError):
        return None


def _iso(moment: datetime) -> str | None:
    if not 1970 <= moment.year <= 2200:
        return None
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# -------------------------------------------------------------------------- storage

_FEED_COLUMNS = """
    SELECT f.id, f.url, f.title AS custom_title, f.feed_title, f.site_url, f.last_checked,
           f.last_error, f.added,
           (SELECT count(*) FROM feed_items i WHERE i.feed_id = f.id AND i.read = 0) AS unread,
           (SELECT count(*) FROM feed_items i WHERE i.feed_id = f.id) AS total,
           (SELECT group_concat(tag, char(31)) FROM
               (SELECT tag FROM feed_tags t WHERE t.feed_id = f.id ORDER BY tag)) AS tags
    FROM feeds f
"""
_ITEM_COLUMNS = """
    SELECT i.id, i.feed_id, coalesce(f.title, f.feed_title, f.url) AS feed_title, i.key,
           i.title, i.link, i.author, i.published, i.summary, i.content, i.has_full_content,
           i.read, i.first_seen
    FROM feed_items i JOIN feeds f ON f.id = i.feed_id
"""
_NEWEST_FIRST = " ORDER BY i.sort_date DESC, i.id ASC"


def _rows(db: sqlite3.Connection, sql: str, params: Sequence[object] = ()) -> list[sqlite3.Row]:
    cursor = db.cursor()
    cursor.row_factory = sqlite3.Row
    try:
        return list(cursor.execute(sql, params))
    except sqlite3.DatabaseError as error:
        raise StoreError(f"could not read the library: {error}") from None


def _feed_from_row(row: sqlite3.Row) -> Feed:
    tags = tuple(row["tags"].split("\x1f")) if row["tags"] else ()
    title = row["custom_title"] or row["feed_title"] or row["url"]
    return Feed(id=row["id"], url=row["url"], title=title, custom_title=row["custom_title"],
                feed_title=row["feed_title"], site_url=row["site_url"], tags=tags,
                unread=row["unread"], total=row["total"], last_checked=row["last_checked"],
                last_error=row["last_error"], added=row["added"])


def _item_from_row(row: sqlite3.Row) -> Item:
    return Item(id=row["id"], feed_id=row["feed_id"], feed_title=row["feed_title"],
                key=row["key"], title=row["title"], link=row["link"], author=row["author"],
                published=row["published"], summary=row["summary"], content=row["content"],
                has_full_content=bool(row["has_full_content"]), read=bool(row["read"]),
                first_seen=row["first_seen"])


def list_feeds(db: sqlite3.Connection) -> list[Feed]:
    """Every subscription with its unread count, by title."""
    rows = _rows(db, _FEED_COLUMNS + " ORDER BY lower(coalesce(f.title, f.feed_title, f.url)), "
                 "f.id")
    return [_feed_from_row(row) for row in rows]


def get_feed(db: sqlite3.Connection, feed_id: int) -> Feed:
    rows = _rows(db, _FEED_COLUMNS + " WHERE f.id = ?", (feed_id,))
    if not rows:
        raise FeedError(f"no feed with id {feed_id}")
    return _feed_from_row(rows[0])


def find_feed(db: sqlite3.Connection, ref: str | int) -> Feed:
    """A feed named the way people name it: its id, its URL or its title."""
    text = str(ref).strip()
    if text.isdigit():
        rows = _rows(db, _FEED_COLUMNS + " WHERE f.id = ?", (int(text),))
        if rows:
            return _feed_from_row(rows[0])
    rows = _rows(db, _FEED_COLUMNS + " WHERE f.url = ?", (text,))
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
                       [(feed_id, tag) for tag in _clean_tags(tags)])
    return feed_id, created


def _clean_tags(tags: Iterable[str]) -> list[str]:
    cleaned = (_WHITESPACE.sub(" ", _XML_UNSAFE.sub("", tag)).strip() for tag in tags)
    return sorted({tag for tag in cleaned if tag})


def remove_feed(db: sqlite3.Connection, feed_id: int) -> None:
    """The feed goes with its items and tags (foreign keys cascade)."""
    with transaction(db):
        db.execute("DELETE FROM feeds WHERE id = ?", (feed_id,))


def feed_items(db: sqlite3.Connection, feed_id: int | None = None, *, unread_only: bool = False,
               limit: int | None = None) -> list[Item]:
    """Items newest first (published date, else when first seen), of one feed or all."""
    where: list[str] = []
    params: list[object] = []
    if feed_id is not None:
        where.append("i.feed_id = ?")
        params.append(feed_id)
    if unread_only:
        where.append("i.read = 0")
    sql = _ITEM_COLUMNS + (" WHERE " + " AND ".join(where) if where else "") + _NEWEST_FIRST
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return [_item_from_row(row) for row in _rows(db, sql, params)]


def get_item(db: sqlite3.Connection, item_id: int) -> Item:
    rows = _rows(db, _ITEM_COLUMNS + " WHERE i.id = ?", (item_id,))
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


def item_as_article(item: Item) -> Article:
    """The item's own text as an Article, for reading without fetching the page."""
    body = html_to_text(item.content, paragraphs=True) if item.content else item.summary
    return article_from_text(body or item.title, title=item.title, url=item.link,
                             site=item.feed_title, published=item.published,
                             byline=item.author)


def store_parsed(db: sqlite3.Connection, feed_id: int, parsed: ParsedFeed,
                 download: Download | None = None) -> int:
    """Upsert the feed's items and clear its error; returns how many items are new.

    Existing items keep their read flag, first-seen time and stored article; their text is
    updated, because feeds correct titles and summaries after publishing.
    """
    seen = now_iso()
    with transaction(db):
        known = {row[0] for row in db.execute(
            "SELECT key FROM feed_items WHERE feed_id = ?", (feed_id,))}
        db.executemany(_UPSERT_ITEM, [
            (feed_id, item.key, item.title, item.link, item.author, item.published,
             item.summary, item.content, int(item.has_full_content), seen,
             item.published or seen)
            for item in parsed.items
        ])
        db.execute(
            "UPDATE feeds SET feed_title = coalesce(?, feed_title), "
            "site_url = coalesce(?, site_url), etag = ?, last_modified = ?, "
            "last_checked = ?, last_error = NULL WHERE id = ?",
            (parsed.title, parsed.site_url, download.etag if download else None,
             download.last_modified if download else None, seen, feed_id))
    return sum(1 for item in parsed.items if item.key not in known)


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


def _record_checked(db: sqlite3.Connection, feed_id: int, error: str | None) -> None:
    db.execute("UPDATE feeds SET last_checked = ?, last_error = ? WHERE id = ?",
               (now_iso(), error, feed_id))


def _conditional_headers(db: sqlite3.Connection, feed_id: int) -> tuple[str | None, str | None]:
    row = db.execute("SELECT etag, last_modified FROM feeds WHERE id = ?", (feed_id,)).fetchone()
    return (row[0], row[1]) if row else (None, None)


# -------------------------------------------------------------------------- refresh


class _Slots:
    """At most ``concurrency`` fetches in all and ``per_host`` against any one host."""

    def __init__(self, concurrency: int, per_host: int) -> None:
        self._overall = asyncio.Semaphore(max(1, concurrency))
        self._per_host = max(1, per_host)
        self._hosts: dict[str, asyncio.Semaphore] = {}

    @asynccontextmanager
    async def take(self, url: str) -> AsyncIterator[None]:
        # The host slot first: a task waiting on a busy host must not hold an overall slot.
        host = _host_of(url)
        host_slot = self._hosts.setdefault(host, asyncio.Semaphore(self._per_host))
        async with host_slot, self._overall:
            yield


def _host_of(url: str) -> str:
    try:
        return httpx.URL(url).host.lower()
    except httpx.InvalidURL:
        return url


async def refresh_feeds(db: sqlite3.Connection, feeds: Sequence[Feed | int] | None = None, *,
                        client: httpx.AsyncClient | None = None,
                        concurrency: int = DEFAULT_CONCURRENCY,
                        per_host: int = DEFAULT_PER_HOST,
                        progress: ProgressCallback | None = None,
                        limits: FeedLimits = FeedLimits()) -> RefreshReport:
    """Fetch and store the given feeds (all when None); one feed's failure spares the rest.

    ``progress(done, total, feed)`` is called as each feed finishes, for a progress bar.
    """
    targets = list_feeds(db) if feeds is None else [
        feed if isinstance(feed, Feed) else get_feed(db, feed) for feed in feeds]
    slots = _Slots(concurrency, per_host)
    done = 0

    async def run(feed: Feed, http: httpx.AsyncClient) -> FeedResult:
        nonlocal done
        result = await _refresh_one(db, feed, http, slots, limits)
        done += 1
        if progress is not None:
            progress(done, len(targets), result.feed)
        return result

    async with _client_scope(client, limits) as http:
        results = await asyncio.gather(*(run(feed, http) for feed in targets))
    return RefreshReport(tuple(results))


async def _refresh_one(db: sqlite3.Connection, feed: Feed, client: httpx.AsyncClient,
                       slots: _Slots, limits: FeedLimits) -> FeedResult:
    etag, last_modified = _conditional_headers(db, feed.id)
    try:
        async with slots.take(feed.url):
            download = await download_feed(client, feed.url, etag=etag,
                                           last_modified=last_modified, limits=limits)
        if download.not_modified:
            _record_checked(db, feed.id, None)
            return FeedResult(get_feed(db, feed.id), not_modified=True)
        parsed = await asyncio.to_thread(_parse_download, download)
    except ReaderError as error:
        message = _first_line(error)
        _record_checked(db, feed.id, message)
        return FeedResult(get_feed(db, feed.id), error=message)
    new_items = store_parsed(db, feed.id, parsed, download)
    return FeedResult(get_feed(db, feed.id), new_items=new_items)


def _parse_download(download: Download) -> ParsedFeed:
    """Parse off the event loop; a parser crash on one odd feed is that feed's error only."""
    if looks_like_html(download):
        raise FeedError("not a feed: the address returns a web page")
    try:
        return parse_feed(download.content, url=download.url,
                          content_type=download.content_type)
    except ReaderError:
        raise
    except Exception as error:  # third-party parsers raise anything on hostile input
        raise FeedError(f"could not parse the feed: {type(error).__name__}: "
                        f"{_first_line(error)}") from None


async def add_feed(db: sqlite3.Connection, url: str, *, title: str | None = None,
                   tags: Iterable[str] = (), client: httpx.AsyncClient | None = None,
                   limits: FeedLimits = FeedLimits()) -> FeedResult:
    """Subscribe to a feed URL, or to the feed a web page links to, and store its items.

    Nothing is subscribed unless a feed was found and parsed, so a typo is not kept.
    """
    async with _client_scope(client, limits) as http:
        download = await download_feed(http, url, limits=limits)
        feed_url = url.strip()
        if looks_like_html(download):
            discovered = discover_feed_url(download.content, download.url)
            if discovered is None:
                raise FeedError(f"no feed found at {feed_url}: the page links to none")
            feed_url = discovered
            download = await download_feed(http, feed_url, limits=limits)
    parsed = await asyncio.to_thread(_parse_download, download)
    if db.execute("SELECT 1 FROM feeds WHERE url = ?", (feed_url,)).fetchone():
        existing = find_feed(db, feed_url)
        raise FeedError(f"already subscribed: {existing.title} (id {existing.id})")
    feed_id, _ = subscribe(db, feed_url, title=title, tags=tags)
    new_items = store_parsed(db, feed_id, parsed, download)
    return FeedResult(get_feed(db, feed_id), new_items=new_items)


def add_feed_sync(db: sqlite3.Connection, url: str, **kwargs: Any) -> FeedResult:
    return asyncio.run(add_feed(db, url, **kwargs))


def refresh_feeds_sync(db: sqlite3.Connection, feeds: Sequence[Feed | int] | None = None,
                       **kwargs: Any) -> RefreshReport:
    return asyncio.run(refresh_feeds(db, feeds, **kwargs))


# ------------------------------------------------------------------- import / export


def read_subscriptions(path: Path | str) -> tuple[list[Subscription], list[str]]:
    """Feeds named in an OPML file or a newsboat ``urls`` file, and lines that were skipped."""
    file = Path(path).expanduser()
    try:
        with file.open("rb") as handle:
            data = handle.read(MAX_IMPORT_BYTES + 1)
    except OSError as error:
        raise FeedError(f"cannot read {file}: {error.strerror or error}") from None
    if len(data) > MAX_IMPORT_BYTES:
        raise FeedError(f"{file} is too large for a subscription list")
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return parse_opml(data), []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FeedError(f"{file} is neither OPML nor a newsboat urls file") from None
    return parse_newsboat_urls(text)


def parse_opml(data: bytes) -> list[Subscription]:
    """Outlines with an ``xmlUrl``; enclosing folders and ``category`` become tags."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError) as error:
        raise FeedError(f"not a valid OPML file: {_first_line(error)}") from None
    if root.tag != "opml":
        raise FeedError("not an OPML file: the root element is not <opml>")
    body = root.find("body")
    return list(_outlines(body, ())) if body is not None else []


def _outlines(parent: etree._Element, folders: tuple[str, ...]) -> Iterator[Subscription]:
    for outline in parent.findall("outline"):
        name = (outline.get("title") or outline.get("text") or "").strip()
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if url:
            categories = (outline.get("category") or "").split(",")
            tags = folders + tuple(c.strip().strip("/") for c in categories)
            site = (outline.get("htmlUrl") or "").strip() or None
            yield Subscription(url, name or None, tuple(_clean_tags(tags)), site)
        yield from _outlines(outline, folders + ((name,) if name and not url else ()))


def parse_newsboat_urls(text: str) -> tuple[list[Subscription], list[str]]:
    """newsboat's ``urls``: ``URL "tag" "~Title"`` per line; ``#`` comments; queries skipped."""
    subscriptions: list[Subscription] = []
    skipped: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or stripped.startswith('"query:'):
            continue
        try:
            words = shlex.split(stripped)
        except ValueError:
            skipped.append(f"line {number}: unbalanced quotes")
            continue
        url, extras = words[0], words[1:]
        if url.startswith("query:"):
            continue
        if not url.lower().startswith(("http://", "https://")):
            skipped.append(f"line {number}: not an http(s) feed: {url[:60]}")
            continue
        titles = [word[1:] for word in extras if word.startswith("~")]
        tags = [word for word in extras if not word.startswith(("~", "!"))]
        subscriptions.append(Subscription(url, titles[-1] if titles else None,
                                          tuple(_clean_tags(tags))))
    return subscriptions, skipped


def import_subscriptions(db: sqlite3.Connection,
                         subscriptions: Iterable[Subscription]) -> ImportReport:
    """Subscribe to each (no fetching: ``refresh`` does that); known feeds gain the tags."""
    added: list[Subscription] = []
    existing: list[Subscription] = []
    skipped: list[str] = []
    for subscription in subscriptions:
        try:
            checked_url(subscription.url)
        except FetchError as error:
            skipped.append(f"{subscription.url[:60]}: {error}")
            continue
        _, created = subscribe(db, subscription.url, title=subscription.title,
                               tags=subscription.tags, site_url=subscription.site_url)
        (added if created else existing).append(subscription)
    return ImportReport(tuple(added), tuple(existing), tuple(skipped))


def export_opml(db: sqlite3.Connection) -> str:
    """OPML 2.0 with ``xmlUrl``, ``title``/``text``, ``htmlUrl`` and tags as ``category``."""
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = "reader subscriptions"
    etree.SubElement(head, "dateCreated").text = email.utils.format_datetime(
        datetime.now(UTC), usegmt=True)
    body = etree.SubElement(root, "body")
    for feed in list_feeds(db):
        attributes = {"type": "rss", "text": _xml_safe(feed.title),
                      "title": _xml_safe(feed.title), "xmlUrl": _xml_safe(feed.url)}
        if feed.site_url:
            attributes["htmlUrl"] = _xml_safe(feed.site_url)
        if feed.tags:
            attributes["category"] = _xml_safe(",".join(feed.tags))
        etree.SubElement(body, "outline", attributes)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                          pretty_print=True).decode("utf-8")


def _xml_safe(text: str) -> str:
    return _XML_UNSAFE.sub("", text)
