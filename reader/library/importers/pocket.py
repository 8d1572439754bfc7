"""Pocket's exports: the CSV of late 2024 (``title,url,time_added,cursor,tags,status``,
tags separated by ``|``, status ``unread`` or ``archive``), the zip of such CSV files
(``part_000000.csv``, …) Pocket sent when it closed in 2025, and the older HTML list
(``<h1>Unread</h1><ul><li><a href="…" time_added="…" tags="a,b">title</a>``).

Pocket kept no article text in any of them: every item is a link to fetch.
"""

from __future__ import annotations

from html.parser import HTMLParser

from reader import sniff
from reader.library.importers.csvrows import decode_csv, header_of, rows
from reader.library.importers.items import (
    ImportItem,
    Parsed,
    TooManyItemsError,
    iso_time,
    tag_list,
    url_problem,
    web_url,
)
from reader.library.importers.safezip import SafeZip

CSV_COLUMNS = frozenset({"title", "url", "time_added", "tags", "status"})


def looks_like_pocket_csv(text: str) -> bool:
    return set(header_of(text)) >= CSV_COLUMNS


def read_csv(data: bytes, parsed: Parsed | None = None, *, prefix: str = "") -> Parsed:
    """Items of one Pocket CSV; ``prefix`` names the zip member in messages."""
    parsed = parsed or Parsed("pocket")
    problems: list[str] = []
    try:
        for number, row in rows(decode_csv(data), problems):
            where = f"{prefix}row {number}"
            url = web_url(row.get("url"))
            if url is None:
                parsed.skip(where, url_problem(row.get("url")))
                continue
            status = (row.get("status") or "").strip().lower()
            parsed.add(ImportItem(
                url=url, title=(row.get("title") or "").strip(),
                tags=tag_list((row.get("tags") or "").split("|")),
                saved=iso_time(row.get("time_added")),
                read=status == "archive", archived=status == "archive", where=where))
    except TooManyItemsError:
        pass
    parsed.problems.extend(f"{prefix}{p}" for p in problems)
    return parsed


def read_zip(archive: SafeZip) -> Parsed:
    """Every CSV part of the archive in name order (``part_000000.csv`` first)."""
    parsed = Parsed("pocket-zip")
    parts = [n for n in archive.names if n.lower().endswith(".csv")]
    for name in parts:
        data = archive.read(name)
        if not looks_like_pocket_csv(decode_csv(data[:4096])):
            parsed.skip(name, "not a Pocket CSV (header)")
            continue
        read_csv(data, parsed, prefix=f"{name}: ")
    return parsed


def looks_like_pocket_html(head: str) -> bool:
    lowered = head.lower()
    return "time_added=" in lowered and "<a " in lowered


class _PocketList(HTMLParser):
    """Headings switch between the unread list and the archive; each link is an item."""

    def __init__(self, parsed: Parsed) -> None:
        super().__init__(convert_charrefs=True)
        self.parsed = parsed
        self.archived = False
        self.heading: list[str] | None = None
        self.link: dict[str, str | None] | None = None
        self.link_text: list[str] = []
        self.number = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("h1", "h2"):
            self.heading = []
        elif tag == "a":
            self.link, self.link_text = dict(attrs), []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h1", "h2") and self.heading is not None:
            self.archived = "archive" in "".join(self.heading).lower()
            self.heading = None
        elif tag == "a" and self.link is not None:
            self._add(self.link, "".join(self.link_text).strip())
            self.link = None

    def handle_data(self, data: str) -> None:
        if self.link is not None:
            self.link_text.append(data)
        elif self.heading is not None:
            self.heading.append(data)

    def _add(self, link: dict[str, str | None], title: str) -> None:
        self.number += 1
        where = f"link {self.number}"
        href = link.get("href")
        url = web_url(href)
        if url is None:
            self.parsed.skip(where, url_problem(href))
            return
        self.parsed.add(ImportItem(
            url=url, title=title, tags=tag_list((link.get("tags") or "").split(",")),
            saved=iso_time(link.get("time_added")), read=self.archived,
            archived=self.archived, where=where))


def read_html(data: bytes) -> Parsed:
    """The HTML list: a heading ("Unread", "Read Archive") before each list of links."""
    parsed = Parsed("pocket-html")
    reader = _PocketList(parsed)
    try:
        reader.feed(sniff.decode(data))
        reader.close()
    except TooManyItemsError:
        pass
    return parsed
