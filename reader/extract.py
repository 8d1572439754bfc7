"""HTML -> Article: readability-lxml finds the article, our own walk turns it into blocks.

readability-lxml is good at *finding* the node that holds an article but its text output
(``text_content()``) glues a heading to the paragraph after it and loses the structure the
reader shows. So we let it choose, then walk its HTML ourselves: every heading, paragraph,
list item, block quote and figure caption becomes one ``Block`` with character offsets
into ``Article.text``.

readability's node is one candidate among several (its answer with and without our
furniture rules, JSON-LD ``articleBody``, ``itemprop=articleBody``, ``<article>``, and as a
last resort the page's own paragraphs). They are compared on what they hold, never on
their names, and the decision with its reasons is kept for the ``X`` report.

Every failure a page can cause is an ``ExtractError`` with a one-line message; lxml and
readability exceptions never escape.
"""

from __future__ import annotations

import copy
import functools
import re
from dataclasses import dataclass, field

from lxml import etree
from lxml import html as lxml_html
from lxml.html import HtmlElement

from reader.errors import ExtractError
from reader.metadata import PageMetadata, absolute_http_url, read_metadata
from reader.models import Article, BlockKind, Link
from reader.sniff import binary_kind, decode
from reader.textutil import TextBuilder, clean_inline

NO_TEXT = "no article text found on this page"

def _page_text(html: str | bytes) -> str:
    if isinstance(html, bytes):
        kind = binary_kind(html)
        if kind:
            raise ExtractError(f"this looks like {kind}, not a web page")
        return decode(html)
    kind = binary_kind(html[:4096].encode("latin-1", errors="ignore"))
    if kind and kind != "binary data":
        raise ExtractError(f"this looks like {kind}, not a web page")
    if html[:4096].count("\x00") > max(2, len(html[:4096]) // 100):
        raise ExtractError("this looks like binary data, not a web page")
    return html


# huge_tree: libxml2 otherwise drops everything nested deeper than 256 elements, and a
# page is allowed to nest that deep (the input is already capped in bytes).
_UTF8_PARSER = lxml_html.HTMLParser(encoding="utf-8", remove_comments=True,
                                    remove_pis=True, huge_tree=True)


def parse_html(text: str) -> HtmlElement:
    """An lxml tree of the page; an empty or unparseable page is an ExtractError."""
    if not text.strip():
        raise ExtractError(f"{NO_TEXT}: the page is empty")
    data = text.encode("utf-8", errors="replace")
    try:
        root = lxml_html.document_fromstring(data, parser=_UTF8_PARSER)
    except (etree.ParserError, ValueError) as exc:
        raise ExtractError(f"{NO_TEXT}: the page could not be parsed") from exc
    if not isinstance(root, HtmlElement):
        raise ExtractError(f"{NO_TEXT}: the page could not be parsed")
    _flatten_deep(root)
    return root


_FLAT_DEPTH = 64


def _flatten_deep(body: HtmlElement) -> None:
    """Unwrap every element nested deeper than :data:`_FLAT_DEPTH` (its text stays in
    place), so the recursive walk never meets a thousand-deep page."""
    deep: list[HtmlElement] = []
    depth = 0
    for event, element in etree.iterwalk(body, events=("start", "end")):
        if event == "start":
            depth += 1
            if depth > _FLAT_DEPTH and isinstance(element, HtmlElement):
                deep.append(element)
        else:
            depth -= 1
    for element in reversed(deep):
        element.drop_tag()


# ---------------------------------------------------------------------------- the walk

_SKIP_TAGS = frozenset({
    "script", "style", "noscript", "template", "svg", "math", "button", "form", "input",
    "select", "option", "textarea", "iframe", "object", "embed", "video", "audio",
    "canvas", "map", "head", "title", "meta", "link", "img", "picture", "source",
    "nav", "dialog", "label",
})
_BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "main", "header", "footer", "aside", "address",
    "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "blockquote",
    "figure", "figcaption", "pre", "table", "caption", "tr", "td", "th", "thead",
    "tbody", "tfoot", "hr", "center", "body", "html", "details", "summary", "hgroup",
})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_INHERITED: frozenset[BlockKind] = frozenset({"blockquote", "list_item", "caption"})


@dataclass
class Piece:
    """One block of a candidate body; ``link_chars`` counts the characters inside links."""

    kind: BlockKind
    text: str
    link_chars: int = 0
    in_figure: bool = False
    pruned: bool = False
    _key: str | None = field(default=None, repr=False, compare=False)

    @property
    def key(self) -> str:
        """The text squashed to lowercase letters and digits, for comparing blocks."""
        if self._key is None:
            self._key = _squash(self.text)
        return self._key

    @property
    def link_density(self) -> float:
        return self.link_chars / max(1, len(self.text))


_SPACES = re.compile(r"\s+")


@dataclass
class WalkResult:
    """Blocks of one candidate body, in reading order, plus its hyperlinks."""

    pieces: list[Piece] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    pruned_links: list[Link] = field(default_factory=list)

    def without_pruned(self) -> WalkResult:
        """The blocks and links outside template furniture."""
        return WalkResult([p for p in self.pieces if not p.pruned],
                          [link for link in self.links if link not in self.pruned_links])

    def with_pruned(self) -> WalkResult:
        """Every block, furniture included (readability's whole answer)."""
        return WalkResult(list(self.pieces), list(self.links))

    @property
    def text_length(self) -> int:
        return sum(len(piece.text) for piece in self.pieces)

    @property
    def link_chars(self) -> int:
        return sum(piece.link_chars for piece in self.pieces)


def _block_kind(tag: str, parent: BlockKind) -> BlockKind:
    if tag in _HEADINGS:
        return "heading"
    if tag in ("li", "dt", "dd"):
        return "list_item"
    if tag == "blockquote":
        return "blockquote"
    if tag in ("figcaption", "caption"):
        return "caption"
    if parent in _INHERITED:
        return parent
    return "paragraph"


def _is_data_table(table: HtmlElement) -> bool:
    """A table of figures (kept row by row), not a layout table (walked as blocks)."""
    if table.xpath(".//table | .//p | .//div[.//p] | .//ul | .//ol | .//blockquote"):
        return False
    cells = table.xpath(".//td | .//th")
    if not cells:
        return False
    longest = max(len(clean_inline(cell.text_content() or "")) for cell in cells)
    return longest <= 300


_BIG_CONTAINERS = frozenset({"form", "dialog"})
"""Skipped when small (a search box, a sign-up form), walked when they hold a page:
ASP.NET sites wrap the whole page in one ``<form>``."""


def _holds_page(elem: HtmlElement) -> bool:
    size = len(elem.text_content() or "")
    return size >= 2000 or (size >= 500 and len(elem.xpath(".//p")) >= 3)


class _Walker:
    """Turns a body element into blocks; text inside one block element stays together.

    Blocks inside a ``pruned`` element (template furniture found by its class) are kept
    but flagged, so one walk gives both the pruned body and readability's whole answer.
    Inline furniture (a byline ``<span>`` inside a paragraph) is left out altogether.
    """

    def __init__(self, base_url: str | None, skip: frozenset[str] = _SKIP_TAGS,
                 pruned: frozenset[HtmlElement] = frozenset()) -> None:
        self.base_url = base_url
        self.skip = skip
        self.pruned = pruned
        self.result = WalkResult()
        self._buffer: list[tuple[str, bool]] = []
        self._kind: BlockKind = "paragraph"
        self._link_depth = 0
        self._figure_depth = 0
        self._pruned_depth = 0

    def run(self, root: HtmlElement) -> WalkResult:
        self._element(root, "paragraph")
        self._flush()
        return self.result

    def _add_text(self, text: str | None, kind: BlockKind) -> None:
        if not text:
            return
        text = _SPACES.sub(" ", text)
        if not any(chunk.strip() for chunk, _ in self._buffer):
            self._kind = kind
        self._buffer.append((text, self._link_depth > 0))

    def _flush(self) -> None:
        """End the current block; two line breaks in a row also end a paragraph.

        Old CMSs write ``<br><br>`` where they mean ``</p><p>``.
        """
        parts: list[list[tuple[str, bool]]] = [[]]
        pending_break = False
        for chunk, in_link in self._buffer:
            if chunk == "\n":
                if pending_break:
                    parts.append([])
                    pending_break = False
                else:
                    pending_break = True
                    parts[-1].append((" ", False))
                continue
            if chunk.strip():
                pending_break = False
            parts[-1].append((chunk, in_link))
        self._buffer = []
        for part in parts:
            self._emit(part)

    def _emit(self, part: list[tuple[str, bool]]) -> None:
        text = clean_inline("".join(chunk for chunk, _ in part))
        if not text:
            return
        link_chars = len(clean_inline("".join(chunk for chunk, link in part if link)))
        self.result.pieces.append(Piece(self._kind, text, min(link_chars, len(text)),
                                        in_figure=self._figure_depth > 0,
                                        pruned=self._pruned_depth > 0))

    def _element(self, elem: HtmlElement, parent_kind: BlockKind) -> None:
        tag = elem.tag.lower() if isinstance(elem.tag, str) else ""
        if not tag or (tag in self.skip and not (
                tag in _BIG_CONTAINERS and _holds_page(elem))):
            return
        if self.pruned and elem in self.pruned:
            if tag not in _BLOCK_TAGS:
                return
            self._flush()
            self._pruned_depth += 1
            self._element_inner(elem, tag, parent_kind)
            self._flush()
            self._pruned_depth -= 1
            return
        self._element_inner(elem, tag, parent_kind)

    def _element_inner(self, elem: HtmlElement, tag: str, parent_kind: BlockKind) -> None:
        if tag == "br":
            self._buffer.append(("\n", False))
            return
        if tag == "table" and _is_data_table(elem):
            self._flush()
            self._table(elem)
            return
        if tag in _BLOCK_TAGS:
            self._flush()
            kind = _block_kind(tag, parent_kind)
            self._figure_depth += tag == "figure"
            self._children(elem, kind)
            self._flush()
            self._figure_depth -= tag == "figure"
            return
        if tag == "a":
            self._link_depth += 1
            self._children(elem, parent_kind)
            self._link_depth -= 1
            self._link(elem)
            return
        self._children(elem, parent_kind)

    def _children(self, elem: HtmlElement, kind: BlockKind) -> None:
        self._add_text(elem.text, kind)
        for child in elem:
            self._element(child, kind)
            self._add_text(child.tail, kind)

    def _link(self, anchor: HtmlElement) -> None:
        href = (anchor.get("href") or "").strip()
        url = absolute_http_url(href, self.base_url)
        text = clean_inline(anchor.text_content() or "")
        # readability blanks javascript: links, which then resolve to the page itself.
        if url and text and href and href.split("#")[0] != (self.base_url or ""):
            link = Link(url=url, text=text)
            if link not in self.result.links:
                self.result.links.append(link)
                if self._pruned_depth:
                    self.result.pruned_links.append(link)

    def _table(self, table: HtmlElement) -> None:
        for caption in table.iter("caption"):
            self._element(caption, "caption")
        for row in table.iter("tr"):
            cells = [clean_inline(cell.text_content() or "") for cell in row
                     if isinstance(cell.tag, str) and cell.tag.lower() in ("td", "th")]
            line = " | ".join(cell for cell in cells if cell)
            if line:
                link_chars = sum(len(clean_inline(a.text_content() or ""))
                                 for a in row.iter("a"))
                self.result.pieces.append(Piece("paragraph", line, min(link_chars, len(line)),
                                                pruned=self._pruned_depth > 0))
            for anchor in row.iter("a"):
                self._link(anchor)


def walk_blocks(root: HtmlElement, base_url: str | None,
                skip: frozenset[str] = _SKIP_TAGS,
                pruned: frozenset[HtmlElement] = frozenset()) -> WalkResult:
    """Blocks and links of ``root`` in document order; blocks under ``pruned`` elements
    are flagged (``Piece.pruned``)."""
    return _Walker(base_url, skip, pruned).run(root)


# ---------------------------------------------------------------------------- readability


_DISPLAY_NONE = re.compile(r"display\s*:\s*none", re.I)
_NOT_CONTENT = ("script", "style", "link", "noscript")


@functools.cache
def _fast_document_class() -> type:
    """A readability ``Document`` that skips work whose result we never read.

    readability cleans the whole page with lxml's ``Cleaner`` (scripts, styles, event
    attributes), makes every link absolute and, at the end, serialises its answer to a
    string we would parse again: about half of its time. Our walk resolves links itself
    and reads the answer's element directly, so the subclass parses once with comments
    and processing instructions dropped, removes the elements that cleaner removes, and
    hands back the element. readability's scoring is untouched. It is given our own
    parse of the page and works on a copy (copying a tree is three times faster than
    parsing it again).
    """
    from readability import Document

    class _FastDocument(Document):  # type: ignore[misc]
        node: HtmlElement | None = None

        def _parse(self, input: HtmlElement) -> HtmlElement:
            doc = copy.deepcopy(input)
            marked = doc.xpath("//*[@hidden or @style]")
            marked = marked if isinstance(marked, list) else []
            hidden = [e for e in marked if isinstance(e, HtmlElement) and (
                e.get("hidden") is not None or _DISPLAY_NONE.search(e.get("style") or ""))]
            for elem in hidden:
                elem.drop_tree()
            etree.strip_elements(doc, *_NOT_CONTENT, with_tail=False)
            self.encoding = "utf-8"
            return doc

        def get_clean_html(self) -> str:
            node = self.html
            self.node = node if isinstance(node, HtmlElement) else None
            # summary() only checks the length of this string (to retry less ruthlessly);
            # the text plus the markup of its elements is a fair stand-in for serialising.
            if self.node is None:
                return ""
            size = len(self.node.text_content() or "")
            for elem in self.node.iter():
                size += 2 * len(str(elem.tag)) + 5 + sum(
                    len(k) + len(v) + 4 for k, v in elem.attrib.items())
            return " " * size

    return _FastDocument


def _readability_body(root: HtmlElement, url: str | None) -> HtmlElement | None:
    """readability's choice of article node in (a copy of) the page ``root``, or None
    when it cannot decide."""
    from readability.readability import Unparseable

    _quiet_readability()
    document = _fast_document_class()(root)
    try:
        document.summary(html_partial=True)
    except (Unparseable, LookupError, ValueError, etree.LxmlError, TypeError,
            *_HOSTILE_PAGE_ERRORS):
        return None
    body = getattr(document, "node", None)
    if not isinstance(body, HtmlElement) or not (body.text_content() or "").strip():
        return None
    return body


# --- hostile-input guard (issue 12) -------------------------------------------------
# A page with no <body>, or cut off inside <head> ("<html><head><title>Cou"), makes
# lxml's fragment parser fail an ``assert`` ("too many bodies") on readability's output,
# and readability logs a full traceback for pages it cannot parse. Both are the page's
# fault, not ours: the page simply has no readability node, and the log stays quiet
# (the user gets one line from the caller instead).
_HOSTILE_PAGE_ERRORS: tuple[type[Exception], ...] = (AssertionError,)


def _quiet_readability() -> None:
    import logging

    log = logging.getLogger("readability")
    if not log.handlers:
        log.addHandler(logging.NullHandler())
    log.propagate = False


# ---------------------------------------------------------------------------- cleanup
#
# readability keeps whatever sits inside the node it chose. News templates put share
# bars, galleries, bylines, photo credits and "related" teasers inside that node, so we
# remove them in two passes: elements by their class/id (what the template calls them),
# then blocks by their text (what they say).

_BOILERPLATE_CLASS = re.compile(
    r"share|sharing|social|newsletter|subscri|signup|sign-up|related|recirc|"
    r"recommend|outbrain|taboola|sponsor|promo|advert|gallery|slideshow|carousel|"
    r"swiper|lightbox|byline|credit|timestamp|dateline|breadcrumb|disqus|author-?bio|"
    r"about-?the-?author|cookie|consent|paywall|popup|modal|tooltip|hovercard|"
    r"(?:^|[\s_-])(?:comments?|tags?|ad|ads|adslot|bio|more-caption|read-?more|"
    r"print|toolbar|meta|author|nav|menu)(?:$|[\s_-])",
    re.I)
_KEEP_CLASS = re.compile(r"article-?body|story-?body|entry-content|post-content", re.I)


def _class_and_id(elem: HtmlElement) -> str:
    return f"{elem.get('class') or ''} {elem.get('id') or ''}".strip()


def boilerplate_elements(body: HtmlElement) -> frozenset[HtmlElement]:
    """Template furniture in ``body`` (share bars, galleries, bylines, teasers), by class.

    An element counts only when it holds a minor part of the text, so a template that
    calls its whole article container "story social-enabled" keeps its article. Elements
    that share one class are judged together: a chain CMS that wraps every two paragraphs
    in ``<div class="subscriber-only">`` names its story, not a sign-up box.
    """
    total = max(1, len(body.text_content() or ""))
    found: list[tuple[HtmlElement, str, int]] = []
    inside: set[HtmlElement] = set()
    groups: dict[str, int] = {}
    for elem in body.iterdescendants():
        if not isinstance(elem.tag, str) or elem in inside:
            continue
        names = _class_and_id(elem)
        if not names or _KEEP_CLASS.search(names):
            continue
        aria = (elem.get("aria-hidden") or "").lower() == "true"
        if not (aria or _BOILERPLATE_CLASS.search(names)):
            continue
        size = len(elem.text_content() or "")
        if size < 0.35 * total:
            key = elem.get("class") or names
            links = sum(len(a.text_content() or "") for a in elem.iter("a"))
            found.append((elem, key, size))
            inside.update(elem.iterdescendants())
            # Only unlinked text builds up a group's share: teaser lists stay furniture.
            groups[key] = groups.get(key, 0) + max(0, size - 3 * links)
    return frozenset(elem for elem, key, _ in found if groups[key] < 0.35 * total)


_DATEWORD = (r"(?:\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|"
             r"sat|sun|yesterday|today)\w*\b)")
# Lines that are furniture whatever their length up to ~25 words (anchored at the start).
# Each pattern wants the shape of furniture ("Share this", "Related:", "Copyright 2017",
# "Updated March 3") so that a story's sentence that merely starts with the same word
# ("Shares of Acme fell", "Related charges were filed", "Updated figures show") stays.
_BOILERPLATE_LINE = re.compile(
    r"^(?:share|tweet|e-?mail|print|pin|comment)s?(?:\s+(?:this|on|via|article|story|page|"
    r"link)\b|\s*[:(|]|\s*\d+\s*$|\s*$)|"
    r"^(?:follow|like) (?:us|me)\b|^sign (?:up|in)\b|^subscribe\b|"
    r"^(?:read|see|watch|view|click) (?:more|here|also|next|full|the full|now)\b|"
    r"^more:|^related(?:\s+(?:articles?|stories|coverage|content|links|posts|reading|news|"
    r"videos?))?\s*(?:[:|»›]|$)|"
    r"^(?:also read|also see|see also|recommended|trending|most read|most popular)\b|"
    r"^you (?:may|might) also (?:like|be interested)|^don'?t miss\b|^we use cookies\b|"
    r"^©|^copyright\s*(?:©|\(c\)|\d{4}|by\b|$)|^\(?c\)? ?\d{4}\b.*\ball rights reserved|"
    r"^this (?:document|material|article) (?:is subject to copyright|may not be)|"
    r"^advertisement$|^(?:sponsored|promoted)(?: content| stories)?$|^ad$|"
    r"^(?:image|photo|picture|media) (?:copyright|caption|credit)\b|"
    r"^(?:photo|image|picture|credit|source|photograph)s?:|"
    r"^media playback is unsupported|^(?:loading|close|open|menu|skip|next|previous|back)"
    r"(?:\.\.\.|…)?$|^like loading|^like this:?$|^comments?$|^leave a (?:comment|reply)|"
    r"^(?:posted|published|updated|last updated|first published|originally published)"
    r"\s*(?:on\b|at\b|:)?\s*" + _DATEWORD + r"|^(?:posted|published) (?:by|in)\b|"
    r"^citation:|^tags?:|^topics?:|^filed under\b",
    re.I)
# The same, for lines of up to eight words only ("More from Sport", "Other in Business").
_SHORT_FURNITURE = re.compile(r"^(?:more|other) (?:from|on|in|stories)\b", re.I)
# Phrases that mark a line of up to ~25 words as a promotion wherever they appear.
_BOILERPLATE_PHRASE = re.compile(
    r"\bfollow us on\b|\bsign up (?:for|to) (?:our|free|get|receive)\b|"
    r"\bsign up (?:now|here|today)\b|\bsubscribe (?:now|here|today)\b|"
    r"\bsubscribe to (?:our|this|the \w+ (?:newsletter|channel|podcast))\b|"
    r"\bsubscribe for (?:free|just|only|[$£€])|\bnewsletters?\b.*\b(?:inbox|sign|free)\b|"
    r"\bclick(?:ing)? here\b|^read more\b|\bread more (?:here|at|on|about)\b|"
    r"\bread more\W*$|\ball rights reserved\b|"
    r"\bcookies?\b.*\b(?:consent|accept|policy)\b|\b\d+ min(?:ute)? read\b",
    re.I)
# A reporter's contact line closing a local story: "Reach her at 555-0142 or ...".
_CONTACT_LINE = re.compile(
    r"^(?:(?i:contact|reach|e-?mail|call|(?:have|got) a (?:news )?tip)\b|"
    r"[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){0,2} "
    r"(?:covers|writes about|reports on|is a (?:staff )?(?:writer|reporter))\b)"
    r".*(?:\S+@\S+\.\w+|\b\d{3}[-.]\d{4}\b)")
# Photo credits end captions that templates put between paragraphs.
_PHOTO_CREDIT = re.compile(
    r"\((?:AP|AFP|Reuters|Getty|EPA|AAP|PA|CP) Photo\b|\bgetty images\b|\bshutterstock\b|"
    r"\bcredit: \S|\((?:image|photo|picture|pic)s?: [^)]{2,40}\)$|"
    r"\b(?:photo(?:graph)?s?|images?|pictures?) by (?-i:[A-Z])", re.I)
_BYLINE_LINE = re.compile(r"^(?i:by|written by|words by|reporting by)\s+[A-Z][\w.'’-]*")
# "By noon, the river had crested." is a sentence, not a byline.
_CLAUSE_SENTENCE = re.compile(r",\s+[a-z].*[.!?]$")
_ONLY_CONTACT = re.compile(
    r"^(?:\S+@\S+\.\w+|@\w+|(?:https?://)?(?:www\.)?(?:twitter|x|facebook|instagram|"
    r"linkedin)\.com/\S*)$", re.I)
_SENTENCE_END = re.compile(r"[.!?…:;\"”’)]$")


def _word_count(text: str) -> int:
    return len(text.split())


def _is_boilerplate(piece: Piece, byline: str | None) -> bool:
    """A block that is not part of the story: furniture, credits, bylines, teasers."""
    text = piece.text
    words = _word_count(text)
    if not re.search(r"[^\W\d_]", text):
        return True                        # "6", "1/12", "—": counters and rules
    if piece.in_figure and piece.kind != "caption":
        return True                        # photo credit inside a <figure>
    if words <= 25 and _BOILERPLATE_LINE.search(text):
        return True
    if words <= 25 and _BOILERPLATE_PHRASE.search(text):
        return True
    if words <= 60 and _PHOTO_CREDIT.search(text):
        return True
    if words <= 40 and _CONTACT_LINE.search(text):
        return True
    if words <= 8 and _SHORT_FURNITURE.search(text):
        return True
    if words <= 8 and ((_BYLINE_LINE.match(text) and not _CLAUSE_SENTENCE.search(text))
                       or _ONLY_CONTACT.match(text)):
        return True
    if byline and words <= 12 and _is_byline_line(text, byline):
        return True
    return _is_teaser(piece, words)


def _is_teaser(piece: Piece, words: int) -> bool:
    """A short block that is one link: a "related story" teaser, not prose.

    A bare URL (a cited source) and a list item that reads as a sentence are kept.
    """
    if piece.kind == "heading" or piece.link_density <= 0.8 or words > 20:
        return False
    if piece.text.startswith(("http://", "https://")):
        return False
    return not (piece.kind == "list_item" and _SENTENCE_END.search(piece.text))


def _is_byline_line(text: str, byline: str) -> bool:
    """The page's byline repeated as a line, maybe with "By" and a few words around it."""
    if len(byline.split()) < 2 or byline.lower() not in text.lower():
        return False
    rest = text.lower().replace(byline.lower(), " ")
    return len(re.findall(r"[^\W\d_]{2,}", rest)) <= 3


def _drop_orphan_headings(pieces: list[Piece]) -> list[Piece]:
    """A heading with no text under it (its teaser was removed) goes too."""
    kept: list[Piece] = []
    for index, piece in enumerate(pieces):
        following = pieces[index + 1] if index + 1 < len(pieces) else None
        if piece.kind == "heading" and (following is None or following.kind == "heading"):
            continue
        if piece.kind == "heading" and piece.link_density > 0.5:
            continue
        kept.append(piece)
    return kept


def clean_pieces(pieces: list[Piece], meta: PageMetadata,
                 verdicts: dict[tuple[str, str, bool, int], bool] | None = None) -> list[Piece]:
    """The story's blocks without boilerplate lines, stutters or empty headings.

    ``verdicts`` remembers which blocks were boilerplate, so candidates that share
    blocks (readability's answer with and without furniture, ``<article>``) are judged
    once.
    """
    verdicts = {} if verdicts is None else verdicts
    kept: list[Piece] = []
    for piece in pieces:
        key = (piece.text, piece.kind, piece.in_figure, piece.link_chars)
        junk = verdicts.get(key)
        if junk is None:
            junk = verdicts[key] = _is_boilerplate(piece, meta.byline)
        if junk:
            continue
        if kept and kept[-1].text == piece.text and len(piece.text) >= 30:
            continue                       # a truncated + full caption pair, a stutter
        kept.append(piece)
    return _drop_orphan_headings(_drop_orphan_headings(kept))


def _squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def _drop_title_heading(pieces: list[Piece], title: str) -> None:
    """The headline is ``Article.title``; repeating it as one of the first blocks is noise.

    Old templates write it as a bold line, not a heading, sometimes with the date line
    after a ``<br>`` ("Mill to close Posted: 03/09/2006"): a block that is the title (or
    the title without a " - Site" tail) plus a few words with a number goes too.
    """
    if not _squash(title):
        return
    heads = [title] + [title.rpartition(sep)[0] for sep in (" - ", " | ", " – ", " — ")
                       if sep in title]
    for index, piece in enumerate(pieces[:3]):
        squashed = piece.key
        for head in heads:
            wanted = _squash(head)
            if squashed == wanted or (
                    wanted and piece.kind != "heading" and squashed.startswith(wanted)
                    and len(piece.text.split()) - len(head.split()) <= 6
                    and re.search(r"\d", piece.text[len(head):])):
                del pieces[index]
                return


def _has_prose(result: WalkResult) -> bool:
    """Some text that is not just link labels (a page of menus is not an article)."""
    return result.text_length - result.link_chars >= 20


# ---------------------------------------------------------------------------- candidates
#
# A page says where its article is in several ways: readability's node, JSON-LD
# ``articleBody``, an ``<article>`` element, ``itemprop="articleBody"``. Templates get each
# of them wrong somewhere (a chain CMS puts the microdata on the newsroom's contact box,
# a paywalled site puts a teaser in JSON-LD), so none wins by its name: each is turned
# into blocks the same way and they are compared on what they hold.

# Template parts that never belong to a story when we walk the page ourselves.
_CANDIDATE_SKIP = _SKIP_TAGS | {"aside", "footer"}


@dataclass(frozen=True)
class Evidence:
    """What a candidate holds, the facts the choice is made on (shown by ``X``)."""

    prose: int          # characters of sentence-like, unlinked text
    paragraphs: int     # blocks of six words or more that are not mostly links
    link_density: float
    support: float      # share of its prose that another candidate also found
    topic: float        # share of the title's and description's words it contains

    def summary(self) -> str:
        return (f"prose {self.prose}, {self.paragraphs} paragraphs, links "
                f"{self.link_density:.0%}, shared {self.support:.0%}, on topic "
                f"{self.topic:.0%}")


@dataclass
class Candidate:
    method: str
    result: WalkResult
    evidence: Evidence | None = None
    note: str = ""

    @property
    def prose(self) -> int:
        return prose_score(self.result.pieces)


def prose_score(pieces: list[Piece]) -> int:
    """Characters of sentence-like text that is not link labels: the measure of a body.

    Headings, captions and link-heavy blocks count for nothing, so a menu or a list of
    teasers cannot outscore three real paragraphs.
    """
    score = 0
    for piece in pieces:
        if _is_prose(piece):
            score += len(piece.text) - piece.link_chars
    return score


def _is_prose(piece: Piece) -> bool:
    return (piece.kind not in ("heading", "caption") and piece.link_density <= 0.5
            and _word_count(piece.text) >= 6)


_WORD = re.compile(r"[^\W\d_]{4,}")


def _topic_words(meta: PageMetadata) -> frozenset[str]:
    return frozenset(w.lower() for w in _WORD.findall(f"{meta.title} {meta.description or ''}"))


def weigh(candidate: Candidate, others: list[Candidate], topic: frozenset[str]) -> Evidence:
    """The evidence for one candidate, measured against the others and the page's topic."""
    pieces = candidate.result.pieces
    prose_pieces = [p for p in pieces if _is_prose(p)]
    elsewhere = {p.key for other in others if other is not candidate
                 for p in other.result.pieces}
    prose = sum(len(p.text) - p.link_chars for p in prose_pieces)
    shared = sum(len(p.text) - p.link_chars for p in prose_pieces
                 if p.key in elsewhere)
    words = {w.lower() for p in prose_pieces for w in _WORD.findall(p.text)}
    total = sum(len(p.text) for p in pieces)
    return Evidence(
        prose=prose, paragraphs=len(prose_pieces),
        link_density=sum(p.link_chars for p in pieces) / max(1, total),
        support=shared / max(1, prose),
        topic=len(topic & words) / max(1, len(topic)))


def _is_poor(candidate: Candidate) -> bool:
    result = candidate.result
    if candidate.prose < 500:
        return True
    return result.link_chars > 0.4 * max(1, result.text_length)


def _json_ld_candidate(meta: PageMetadata) -> Candidate | None:
    if not meta.json_ld_body:
        return None
    body = meta.json_ld_body
    if "<" in body and ">" in body:        # some CMSs put HTML in articleBody
        try:
            fragment = lxml_html.fragment_fromstring(body, create_parent="div")
        except (etree.ParserError, ValueError):
            fragment = None
        if isinstance(fragment, HtmlElement):
            return Candidate("json-ld", walk_blocks(fragment, None))
    result = WalkResult([Piece("paragraph", clean_inline(line))
                         for line in re.split(r"\n+", body) if clean_inline(line)])
    return Candidate("json-ld", result)


def _element_candidates(root: HtmlElement, base: str | None,
                        bound: float = 0) -> list[Candidate]:
    """``itemprop=articleBody`` and ``<article>`` elements, walked in place (no copy):
    their furniture is left out of the walk instead of cut from the tree.

    An element whose whole text is no longer than ``bound`` (a little more than
    readability's prose) cannot add to a good answer and is not walked.
    """
    found: list[Candidate] = []
    for method, xpath in (("itemprop articleBody", "//*[@itemprop='articleBody']"),
                          ("article element", "//article")):
        elements = [e for e in root.xpath(xpath) if isinstance(e, HtmlElement)]
        sized = sorted(((len(e.text_content() or ""), e) for e in elements),
                       key=lambda pair: -pair[0])
        for size, elem in sized[:2]:
            if size <= bound:
                found.append(Candidate(method, WalkResult(), note=(
                    f"not walked: its {size} characters cannot add to readability's answer")))
                continue
            walked = walk_blocks(elem, base, _CANDIDATE_SKIP, boilerplate_elements(elem))
            found.append(Candidate(method, walked.without_pruned()))
    return found


def _covers(other: Candidate, best: Candidate) -> bool:
    """``other`` holds (nearly) every prose block of ``best``: same story, more of it."""
    wanted = {p.key for p in best.result.pieces if _word_count(p.text) >= 6}
    have = {p.key for p in other.result.pieces}
    return bool(wanted) and len(wanted & have) >= 0.9 * len(wanted)


def _between_shared(other: Candidate, best: Candidate) -> Candidate:
    """``other`` cut to the span that starts and ends with blocks ``best`` also has.

    An ``<article>`` element holds the story plus its header (headline, standfirst,
    byline) and footer (tags, sign-up boxes); readability already found where the story
    starts and ends, so only what lies between its first and last block is recovered.
    """
    known = {p.key for p in best.result.pieces}
    pieces = other.result.pieces
    marks = [i for i, p in enumerate(pieces) if p.key in known]
    if not marks:
        return other
    span = pieces[marks[0]:marks[-1] + 1]
    text = "\n".join(p.text for p in span)
    links = [link for link in other.result.links if link.text in text]
    return Candidate(other.method, WalkResult(span, links), other.evidence)


@dataclass
class Decision:
    """Which candidate won and why, for the extraction report."""

    chosen: Candidate
    reason: str


def _restore_pruned(whole: Candidate) -> Candidate:
    """readability's whole answer less the furniture pruning found that is not prose."""
    pieces = [p for p in whole.result.pieces
              if not p.pruned or (_is_prose(p) and _word_count(p.text) >= 12
                                  and p.link_density < 0.2)]
    return Candidate("readability (furniture rule overruled)",
                     WalkResult(pieces, list(whole.result.links)), whole.evidence)


def choose_candidate(best: Candidate, others: list[Candidate],
                     whole: Candidate | None = None,
                     topic: frozenset[str] = frozenset()) -> Decision:
    """readability's answer, unless another candidate is clearly better.

    Better means: readability's answer is poor and the other has clearly more prose (and
    more of the page's topic), or the other is the same story with more of it (sections
    readability left behind, such as embedded posts between paragraphs) without growing
    into a whole page. ``whole`` is readability's answer before our furniture rules: an
    answer much shorter than it must show why (the part removed is not prose), and no
    answer is ever emptier than the best candidate.
    """
    chosen, reason = best, ("readability's answer is short or link-heavy, but no other "
                            "candidate holds clearly more prose on the same topic"
                            if _is_poor(best) else
                            "readability's answer is not poor and nothing covers more of it")
    if whole is not None and whole.prose >= 300 and best.prose < 0.5 * whole.prose:
        restored = _restore_pruned(whole)
        if restored.prose >= 2 * best.prose:
            chosen = restored
            reason = (f"the furniture rules cut readability's answer from {whole.prose} to "
                      f"{best.prose} prose characters; the cut paragraphs are kept")
    for other in others:
        if _is_poor(other):
            continue
        if _is_poor(chosen) and other.prose > max(chosen.prose * 1.2, chosen.prose + 200) \
                and _on_topic(other, chosen, [best, *others], topic):
            chosen = other
            reason = (f"readability's answer is poor ({best.prose} prose characters); "
                      f"{other.method} has more prose and is on topic")
        elif _covers(other, best):
            inner = _between_shared(other, best)
            if best.prose * 1.05 < inner.prose <= best.prose * 1.6 and (
                    inner.prose > chosen.prose):
                chosen = inner
                reason = (f"{other.method} holds readability's answer and more of the "
                          "same story between its first and last block")
    if not _has_prose(chosen.result):
        rivals = [c for c in (best, *([whole] if whole else []), *others)
                  if _has_prose(c.result)]
        if rivals:
            chosen = max(rivals, key=lambda c: (c.prose, c.result.text_length
                                                - c.result.link_chars))
            reason = f"the first choice held no text; {chosen.method} is the best left"
    return Decision(chosen, reason)


def _on_topic(other: Candidate, current: Candidate, pool: list[Candidate],
              topic: frozenset[str]) -> bool:
    """A replacement must not be about something else than the page says it is about."""
    if not topic:
        return True
    for candidate in (other, current):
        if candidate.evidence is None:
            candidate.evidence = weigh(candidate, pool, topic)
    assert other.evidence is not None and current.evidence is not None
    return other.evidence.topic + 0.2 >= current.evidence.topic


def _page_is_story(evidence: Evidence, topic: frozenset[str]) -> bool:
    """The page's own paragraphs stand in for an article only on evidence: several of
    them, about what the title and description say (or plenty of them when those say
    little), so that a script-only page's cookie notice is not served as its story."""
    return evidence.paragraphs >= 3 and (
        evidence.topic >= 0.3 or evidence.prose >= 800 or not topic)


def _whole_page(root: HtmlElement, base: str | None) -> WalkResult | None:
    """Every block of the page's own <body> outside template furniture, walked once when
    no candidate holds prose. Two things read it: extraction's last resort (its prose
    paragraphs, on evidence) and, when even those fail, the hostile-input fallback of
    :func:`extract_article` (all of it: text left where no candidate looks, such as deep
    nesting that ``parse_html`` flattened or unclosed inline tags)."""
    body = root.find("body")
    if body is None:
        return None
    try:
        return walk_blocks(body, base, _CANDIDATE_SKIP,
                           boilerplate_elements(body)).without_pruned()
    except RecursionError:
        return None


def _page_candidate(page: WalkResult) -> Candidate | None:
    """The whole page's paragraphs: the last resort when no candidate holds prose."""
    pieces = [p for p in page.pieces if _is_prose(p)]
    candidate = Candidate("whole page", WalkResult(pieces, []))
    return candidate if candidate.prose >= 200 else None


# ---------------------------------------------------------------------------- empty pages

_NEEDS_JS = re.compile(
    r"enable javascript|javascript is (?:required|disabled|not enabled)|"
    r"requires? javascript|turn on javascript|browser (?:does not|doesn't) support javascript",
    re.I)
_PAYWALL = re.compile(
    r"subscribe to (?:continue|read)|subscribers? only|to continue reading|"
    r"already a subscriber|this (?:article|content|story) is (?:for|available to) "
    r"(?:subscribers|members)|log ?in to (?:continue|read)", re.I)


def _why_empty(root: HtmlElement, meta_text: str) -> str:
    """The one-line reason a page has no article text, as precise as the page lets us be."""
    if re.search(r'"isAccessibleForFree"\s*:\s*"?false', meta_text, re.I):
        return f"{NO_TEXT}: the article is behind a paywall"
    body_text = " ".join((root.text_content() or "").split())
    if _PAYWALL.search(body_text):
        return f"{NO_TEXT}: the article is behind a paywall"
    noscript = " ".join(n.text_content() or "" for n in root.iter("noscript"))
    scripts = sum(1 for _ in root.iter("script"))
    app_root = root.xpath("//body//*[@id='root' or @id='app' or @id='__next' or @id='__nuxt']")
    if _NEEDS_JS.search(noscript) or _NEEDS_JS.search(body_text[:2000]) or (
            app_root and len(body_text) < 1000) or (scripts >= 5 and len(body_text) < 200):
        return f"{NO_TEXT}: the page needs JavaScript to show its content"
    return NO_TEXT


# ---------------------------------------------------------------------------- public API


def _build(result: WalkResult, meta: PageMetadata, url: str | None, method: str) -> Article:
    builder = TextBuilder()
    builder.extend((piece.kind, piece.text) for piece in result.pieces)
    return Article(
        text=builder.text, title=meta.title, url=meta.canonical or url,
        byline=meta.byline, published=meta.published, site=meta.site,
        blocks=builder.blocks, links=tuple(result.links), language=meta.language,
        image=meta.image, image_caption=meta.image_caption, method=method,
    )


@dataclass
class _Extraction:
    """Everything one extraction looked at, kept together for the debugging view."""

    text: str
    root: HtmlElement
    meta: PageMetadata
    body: HtmlElement | None
    readability: Candidate
    others: list[Candidate]
    chosen: Candidate
    reason: str
    page: WalkResult | None = None
    """The whole <body> walked, when no candidate held prose (see :func:`_whole_page`)."""


def _extract(html: str | bytes, url: str | None, weigh_all: bool = False) -> _Extraction:
    text = _page_text(html)
    root = parse_html(text)
    meta = read_metadata(root, url)
    base = url or meta.canonical
    body = _readability_body(root, base)
    walked = (walk_blocks(body, base, pruned=boilerplate_elements(body))
              if body is not None else WalkResult())
    best = Candidate("readability", walked.without_pruned())
    whole = Candidate("readability (whole answer)", walked.with_pruned())
    verdicts: dict[tuple[str, str, bool, int], bool] = {}
    for candidate in (best, whole):
        candidate.result.pieces = clean_pieces(candidate.result.pieces, meta, verdicts)
    bound = 0 if _is_poor(best) else best.prose * 1.05
    others = [c for c in (_json_ld_candidate(meta), *_element_candidates(root, base, bound))
              if c is not None]
    for candidate in others:
        candidate.result.pieces = clean_pieces(candidate.result.pieces, meta, verdicts)
    topic = _topic_words(meta)
    decision = choose_candidate(best, others, whole, topic)
    whole_page = None
    if not _has_prose(decision.chosen.result):
        whole_page = _whole_page(root, base)
        page = _page_candidate(whole_page) if whole_page is not None else None
        if page is not None:
            page.result.pieces = clean_pieces(page.result.pieces, meta, verdicts)
            page.evidence = weigh(page, [], topic)
            if _page_is_story(page.evidence, topic):
                others.append(page)
                decision = Decision(page, "no candidate held prose; the page's own "
                                          "paragraphs are the best left")
    chosen = decision.chosen
    if weigh_all:
        pool = [best, *others]
        for candidate in (best, whole, *others):
            if candidate.evidence is None and not candidate.note:
                candidate.evidence = weigh(candidate, pool, topic)
    _drop_title_heading(chosen.result.pieces, meta.title)
    return _Extraction(text, root, meta, body, best, [whole, *others], chosen,
                       decision.reason, whole_page)


def extract_article(html: str | bytes, url: str | None = None) -> Article:
    """Clean article text, blocks and metadata of one HTML page.

    ``url`` is where the page came from; it resolves relative links and is the fallback
    for ``Article.url`` when the page names no canonical URL.
    """
    found = _extract(html, url)
    if not _has_prose(found.chosen.result):
        reason = _why_empty(found.root, found.text)
        # Hostile-input fallback (issue 12): a page whose only text sits where no
        # candidate looks is read from the whole <body>, all of it, rather than refused.
        fallback = found.page if reason == NO_TEXT else None
        if fallback is None or not _has_prose(fallback):
            raise ExtractError(reason)
        pieces = clean_pieces(fallback.pieces, found.meta)
        return _build(WalkResult(pieces, fallback.links), found.meta, url, "whole page")
    return _build(found.chosen.result, found.meta, url, found.chosen.method)


def extraction_report(html: str | bytes, url: str | None = None, limit: int = 60_000) -> str:
    """What extraction saw, for the reader's debugging view (``X``): every candidate with
    its evidence, which one won and why, the chosen blocks, and readability's node."""
    found = _extract(html, url, weigh_all=True)
    lines = [f"chosen: {found.chosen.method}", f"why: {found.reason}", "candidates:"]
    for candidate in (found.readability, *found.others):
        evidence = candidate.note or (
            candidate.evidence.summary() if candidate.evidence else "not weighed")
        lines.append(f"  {candidate.method}: {evidence}; "
                     f"{len(candidate.result.pieces)} blocks")
    lines += ["", "blocks:"]
    lines += [f"  [{piece.kind}] {piece.text[:100]}" for piece in found.chosen.result.pieces]
    lines += ["", "readability's node (furniture still in):"]
    if found.body is None:
        lines.append("  (readability found no article node)")
    else:
        markup = lxml_html.tostring(found.body, pretty_print=True, encoding="unicode")
        lines.append(markup[:limit] + ("\n…" if len(markup) > limit else ""))
    return "\n".join(lines)


POOR_WORDS = 150
"""An extraction this short is worth a second try with the page's AMP version."""


def amp_link(html: str | bytes, url: str | None = None) -> str | None:
    """The page's ``<link rel="amphtml">``, absolute, when it names an http(s) page."""
    try:
        root = parse_html(_page_text(html))
    except ExtractError:
        return None
    for link in root.iter("link"):
        if "amphtml" in (link.get("rel") or "").lower().split():
            return absolute_http_url(link.get("href") or "", url)
    return None
