"""Pocket's exports: the CSV of late 2024 (``title,url,time_added,cursor,tags,status``,
tags separated by ``|``, status ``unread`` or ``archive``), the zip of such CSV files
(``part_000000.csv``, …) Pocket sent when it closed in 2025, and the older HTML list
(``<h1>Unread</h1><ul><li><a href="…" time_added="…" tags="a,b">title</a>``).

Pocket kept no article text in any of them: every item is a link to fetch.
"""

from __future__ import annotations

from reader.library.importers.csvrows import decode_csv, header_of, read_items
from reader.library.importers.items import (
    ImportItem,
    Parsed,
    iso_time,
    tag_list,
)
from reader.library.importers.linklist import Attributes, LinkList, read_links
from reader.library.importers.safezip import SafeZip

CSV_COLUMNS = frozenset({"title", "url", "time_added", "tags", "status"})


def looks_like_pocket_csv(text: str) -> bool:
    return set(header_of(text)) >= CSV_COLUMNS


def read_csv(data: bytes, parsed: Parsed | None = None, *, prefix: str = "") -> Parsed:
    """Items of one Pocket CSV; ``prefix`` names the zip member in messages."""
    return read_items(data, parsed or Parsed("pocket"), _csv_item, prefix=prefix)


def _csv_item(row: dict[str, str], url: str, where: str) -> ImportItem:
    status = (row.get("status") or "").strip().lower()
    return ImportItem(url=url, title=(row.get("title") or "").strip(),
                      tags=tag_list((row.get("tags") or "").split("|")),
                      saved=iso_time(row.get("time_added")),
                      read=status == "archive", archived=status == "archive", where=where)


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


class _PocketList(LinkList):
    """Headings switch between the unread list and the archive; each link is an item."""

    def __init__(self, parsed: Parsed) -> None:
        super().__init__(parsed)
        self.archived = False
        self.heading: list[str] | None = None

    def start(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("h1", "h2"):
            self.heading = []

    def end(self, tag: str) -> None:
        if tag in ("h1", "h2") and self.heading is not None:
            self.archived = "archive" in "".join(self.heading).lower()
            self.heading = None

    def text(self, data: str) -> None:
        if self.heading is not None:
            self.heading.append(data)

    def item(self, url: str, title: str, link: Attributes, where: str) -> ImportItem:
        return ImportItem(
            url=url, title=title, tags=tag_list((link.get("tags") or "").split(",")),
            saved=iso_time(link.get("time_added")), read=self.archived,
            archived=self.archived, where=where)


def read_html(data: bytes) -> Parsed:
    """The HTML list: a heading ("Unread", "Read Archive") before each list of links."""
    return read_links(_PocketList(Parsed("pocket-html")), data)
