"""HTML exports that are a stream of ``<a>`` links between headings (browser bookmarks,
Pocket's older list), read with one link-collecting parser.

Their markup is loose 1990s HTML that tree builders restructure in different ways, so it
is read as a stream of tags. Collecting a link's text, numbering links for problem lines
and refusing non-web addresses are the same for every such format; what a heading means
(a folder, the archive) and which fields a link carries are the format's own.
"""

from __future__ import annotations

from html.parser import HTMLParser

from reader import sniff
from reader.library.importers.items import (
    ImportItem,
    Parsed,
    TooManyItemsError,
    url_problem,
    web_url,
)

Attributes = dict[str, str | None]


class LinkList(HTMLParser):
    """Collects every ``<a>`` with its text; subclasses read the markup between links
    (``start``, ``end``, ``text``) and turn a link into an item (``item``)."""

    def __init__(self, parsed: Parsed) -> None:
        super().__init__(convert_charrefs=True)
        self.parsed = parsed
        self.link: Attributes | None = None
        self.link_text: list[str] = []
        self.number = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.link, self.link_text = dict(attrs), []
        else:
            self.start(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            if self.link is not None:
                self._add(self.link, "".join(self.link_text).strip())
                self.link = None
        else:
            self.end(tag)

    def handle_data(self, data: str) -> None:
        if self.link is not None:
            self.link_text.append(data)
        else:
            self.text(data)

    def start(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """A tag other than ``<a>`` opens."""

    def end(self, tag: str) -> None:
        """A tag other than ``</a>`` closes."""

    def text(self, data: str) -> None:
        """Text outside any link."""

    def item(self, url: str, title: str, link: Attributes, where: str) -> ImportItem:
        raise NotImplementedError

    def _add(self, link: Attributes, title: str) -> None:
        self.number += 1
        where = f"link {self.number}"
        href = link.get("href")
        url = web_url(href)
        if url is None:
            self.parsed.skip(where, url_problem(href))
            return
        self.parsed.add(self.item(url, title, link, where))


def read_links(reader: LinkList, data: bytes) -> Parsed:
    """Feed the whole file; past the item limit, what was read so far is kept."""
    try:
        reader.feed(sniff.decode(data))
        reader.close()
    except TooManyItemsError:
        pass
    return reader.parsed
