"""The Netscape bookmark file every browser exports (``<!DOCTYPE NETSCAPE-Bookmark-file-1>``):
nested ``<DL>`` lists of ``<DT><A HREF ADD_DATE TAGS>`` links under ``<H3>`` folders.

The markup is the loose HTML of the 1990s (unclosed ``<DT>`` and ``<p>``), which tree
builders restructure in different ways, so it is read as a stream of tags instead: a
folder opens with its ``<H3>`` and the ``<DL>`` after it, and closes with that ``</DL>``.
The folders a link sits in become its tags, except the browser's own top folders.
"""

from __future__ import annotations

from html.parser import HTMLParser

from reader import sniff
from reader.library.importers.items import (
    ImportItem,
    Parsed,
    TooManyItemsError,
    iso_time,
    tag_list,
    url_problem,
    web_url,
)

_BROWSER_FOLDERS = {"personal_toolbar_folder", "unfiled_bookmarks_folder"}
MAX_DEPTH = 64


def looks_like_netscape(head: str) -> bool:
    lowered = head.lower()
    return "netscape-bookmark-file" in lowered or ("<dt><a " in lowered and
                                                    "<dl" in lowered)


class _Bookmarks(HTMLParser):
    def __init__(self, parsed: Parsed) -> None:
        super().__init__(convert_charrefs=True)
        self.parsed = parsed
        self.folders: list[str | None] = []
        self.pending_folder: str | None = None
        self.folder_text: list[str] | None = None
        self.link: dict[str, str | None] | None = None
        self.link_text: list[str] = []
        self.number = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "h3":
            names = {name for name, _ in attrs}
            self.folder_text = None if names & _BROWSER_FOLDERS else []
            self.pending_folder = None
        elif tag == "dl":
            if len(self.folders) < MAX_DEPTH:
                self.folders.append(self.pending_folder)
            self.pending_folder = None
        elif tag == "a":
            self.link = dict(attrs)
            self.link_text = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "h3":
            if self.folder_text is not None:
                self.pending_folder = "".join(self.folder_text).strip() or None
            self.folder_text = None
        elif tag == "dl" and self.folders:
            self.folders.pop()
        elif tag == "a" and self.link is not None:
            self._add(self.link, "".join(self.link_text).strip())
            self.link = None

    def handle_data(self, data: str) -> None:
        if self.link is not None:
            self.link_text.append(data)
        elif self.folder_text is not None:
            self.folder_text.append(data)

    def _add(self, link: dict[str, str | None], title: str) -> None:
        self.number += 1
        where = f"link {self.number}"
        href = link.get("href")
        url = web_url(href)
        if url is None:
            self.parsed.skip(where, url_problem(href))
            return
        folders = [f for f in self.folders if f]
        tags = [*folders, *(link.get("tags") or "").split(",")]
        self.parsed.add(ImportItem(url=url, title=title, tags=tag_list(tags),
                                   saved=iso_time(link.get("add_date")), where=where))


def read_html(data: bytes) -> Parsed:
    parsed = Parsed("bookmarks")
    reader = _Bookmarks(parsed)
    try:
        reader.feed(sniff.decode(data))
        reader.close()
    except TooManyItemsError:
        pass
    return parsed
