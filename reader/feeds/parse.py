"""Feed bytes -> :class:`ParsedFeed`: RSS 0.9x/2.0, RSS 1.0 (RDF), Atom 1.0 and JSON Feed.

JSON Feed is read with :mod:`json` (feedparser does not know it). Well-formed RSS and
Atom take a fast lxml path, because feedparser spends about 1 ms per item and a reader
with 100 subscriptions would wait seconds on every refresh; everything else (malformed
XML, DOCTYPEs and their entities, rarer dialects) goes to feedparser, whose forgiving
parser is the reason it exists. Both paths end in the same normalisation, and a test holds
them to the same output. Items are keyed by guid/id, else link, else a hash of title and
date, so a refresh updates rather than duplicates.
"""

from __future__ import annotations

import email.utils
import hashlib
import html
import io
import json
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import lxml.html
from lxml import etree
from lxml_html_clean import Cleaner

from reader.errors import FeedError
from reader.models import count_words
from reader.textutil import clip_words, first_line

JSON_TYPES = frozenset({"application/feed+json", "application/json"})
# Servers label feeds carelessly; these are let through to the parser, which decides.

FULL_CONTENT_WORDS = 150
SUMMARY_WORDS = 80

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
    ttl_minutes: int | None = None
    """RSS ``<ttl>``: the feed asks not to be fetched again sooner (see :mod:`.schedule`)."""


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
        raise FeedError(f"malformed JSON feed: {first_line(error)}") from None
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
    return _finish(title or None, site, raw, url, "lxml",
                   ttl=_ttl(channel.findtext(f"{ns}ttl")))


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
        reason = first_line(parsed.get("bozo_exception") or "unreadable XML")
        raise FeedError(f"malformed feed: {reason}")
    if not parsed.entries and not parsed.get("version"):
        raise FeedError("not a feed: no RSS, Atom or JSON Feed found")
    raw = [_feedparser_item(entry) for entry in parsed.entries]
    channel = parsed.get("feed", {})
    return _finish(_plain(channel.get("title", "")) or None, channel.get("link") or None,
                   raw, url, "feedparser", ttl=_ttl(channel.get("ttl")))


def _ttl(value: object) -> int | None:
    """RSS ``<ttl>`` in minutes, when it is a plain positive number."""
    text = str(value).strip() if value is not None else ""
    if not (text.isascii() and text.isdigit()) or len(text) > 7:
        return None
    return int(text) or None


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
            parser: str, ttl: int | None = None) -> ParsedFeed:
    """The normalisation both parsers share, so they store the same thing."""
    items: dict[str, ParsedItem] = {}
    for entry in raw:
        item = _normalise(entry, url)
        items.setdefault(item.key, item)  # a feed repeating a guid keeps its first entry
    return ParsedFeed(title, urljoin(url, site_url) if site_url else None,
                      tuple(items.values()), parser, ttl)


def _normalise(entry: _RawItem, base_url: str) -> ParsedItem:
    summary_text = html_to_text(entry.summary_html or "")
    content_html = entry.content_html
    if content_html is None and count_words(summary_text) >= FULL_CONTENT_WORDS:
        content_html = entry.summary_html  # the description carries the whole article
    content_text = html_to_text(content_html or "", paragraphs=True)
    if not summary_text:
        summary_text = content_text
    content_words = count_words(content_text)
    summary = clip_words(_WHITESPACE.sub(" ", summary_text).strip(), SUMMARY_WORDS)
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
    """guid/id, else link, else a hash: the same entry gets the same key on every refresh.

    The hash covers everything the entry says (title, date, summary, content), so entries
    with no guid, link or title are kept apart as long as they say different things."""
    if entry.id:
        return entry.id
    if link:
        return link
    said = "\x1f".join((entry.title, entry.published or "", entry.author or "",
                        entry.summary_html or "", entry.content_html or ""))
    digest = hashlib.sha256(said.encode("utf-8", "surrogatepass")).hexdigest()
    return f"sha256:{digest[:32]}"


# ---------------------------------------------------------------- text and dates


def xml_safe(text: str) -> str:
    """Without the characters XML 1.0 cannot hold (feeds carry them; OPML must not)."""
    return _XML_UNSAFE.sub("", text)


def html_to_text(markup: str, *, paragraphs: bool = False) -> str:
    """Visible text of an HTML fragment: one line, or blank-line separated paragraphs."""
    markup = xml_safe(markup)
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
    markup = xml_safe(markup)
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


