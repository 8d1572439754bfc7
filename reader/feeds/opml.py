"""Subscription files in and out: OPML (most readers) and newsboat's ``urls``."""

from __future__ import annotations

import email.utils
import shlex
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from lxml import etree

from reader.errors import FeedError, FetchError, ReaderError
from reader.feeds.parse import xml_safe
from reader.feeds.subscriptions import clean_tags, list_feeds, subscribe
from reader.fetch import (
    checked_url,
)
from reader.textutil import first_line

# Servers label feeds carelessly; these are let through to the parser, which decides.

MAX_IMPORT_BYTES = 10 * 1024 * 1024



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


# ------------------------------------------------------------------- import / export


def read_subscriptions(path: Path | str) -> tuple[list[Subscription], list[str]]:
    """Feeds named in an OPML file or a newsboat ``urls`` file, and lines that were skipped."""
    from reader.localfile import read_regular

    file = Path(path).expanduser()
    try:
        data = read_regular(file, MAX_IMPORT_BYTES)
    except ReaderError as error:
        raise FeedError(str(error)) from None
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
        raise FeedError(f"not a valid OPML file: {first_line(error)}") from None
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
            yield Subscription(url, name or None, tuple(clean_tags(tags)), site)
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
                                          tuple(clean_tags(tags))))
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
        attributes = {"type": "rss", "text": xml_safe(feed.title),
                      "title": xml_safe(feed.title), "xmlUrl": xml_safe(feed.url)}
        if feed.site_url:
            attributes["htmlUrl"] = xml_safe(feed.site_url)
        if feed.tags:
            attributes["category"] = xml_safe(",".join(feed.tags))
        etree.SubElement(body, "outline", attributes)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                          pretty_print=True).decode("utf-8")

