"""The Netscape bookmark file every browser exports (``<!DOCTYPE NETSCAPE-Bookmark-file-1>``):
nested ``<DL>`` lists of ``<DT><A HREF ADD_DATE TAGS>`` links under ``<H3>`` folders.

The markup is the loose HTML of the 1990s (unclosed ``<DT>`` and ``<p>``), read as a
stream of tags (:mod:`.linklist`): a folder opens with its ``<H3>`` and the ``<DL>`` after
it, and closes with that ``</DL>``.
The folders a link sits in become its tags, except the browser's own top folders.
"""

from __future__ import annotations

from reader.library.importers.items import ImportItem, Parsed, iso_time, tag_list
from reader.library.importers.linklist import Attributes, LinkList, read_links

_BROWSER_FOLDERS = {"personal_toolbar_folder", "unfiled_bookmarks_folder"}
MAX_DEPTH = 64


def looks_like_netscape(head: str) -> bool:
    lowered = head.lower()
    return "netscape-bookmark-file" in lowered or ("<dt><a " in lowered and
                                                    "<dl" in lowered)


class _Bookmarks(LinkList):
    def __init__(self, parsed: Parsed) -> None:
        super().__init__(parsed)
        self.folders: list[str | None] = []
        self.pending_folder: str | None = None
        self.folder_text: list[str] | None = None

    def start(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "h3":
            names = {name for name, _ in attrs}
            self.folder_text = None if names & _BROWSER_FOLDERS else []
            self.pending_folder = None
        elif tag == "dl":
            if len(self.folders) < MAX_DEPTH:
                self.folders.append(self.pending_folder)
            self.pending_folder = None

    def end(self, tag: str) -> None:
        if tag == "h3":
            if self.folder_text is not None:
                self.pending_folder = "".join(self.folder_text).strip() or None
            self.folder_text = None
        elif tag == "dl" and self.folders:
            self.folders.pop()

    def text(self, data: str) -> None:
        if self.folder_text is not None:
            self.folder_text.append(data)

    def item(self, url: str, title: str, link: Attributes, where: str) -> ImportItem:
        folders = [f for f in self.folders if f]
        tags = [*folders, *(link.get("tags") or "").split(",")]
        return ImportItem(url=url, title=title, tags=tag_list(tags),
                          saved=iso_time(link.get("add_date")), where=where)


def read_html(data: bytes) -> Parsed:
    return read_links(_Bookmarks(Parsed("bookmarks")), data)
