"""HTML -> Article: readability-lxml finds the article, our own walk turns it into blocks.

readability-lxml is good at *finding* the node that holds an article but its text output
(``text_content()``) glues a heading to the paragraph after it and loses the structure the
reader shows. So we let it choose, then walk its HTML ourselves: every heading, paragraph,
list item, block quote and figure caption becomes one ``Block`` with character offsets
into ``Article.text``.

Every failure a page can cause is an ``ExtractError`` with a one-line message; lxml and
readability exceptions never escape.
"""

from __future__ import annotations

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
    return root


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

    @property
    def link_density(self) -> float:
        return self.link_chars / max(1, len(self.text))


@dataclass
class WalkResult:
    """Blocks of one candidate body, in reading order, plus its hyperlinks."""

    pieces: list[Piece] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)

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


class _Walker:
    """Turns a body element into blocks; text inside one block element stays together."""

    def __init__(self, base_url: str | None, skip: frozenset[str] = _SKIP_TAGS) -> None:
        self.base_url = base_url
        self.skip = skip
        self.result = WalkResult()
        self._buffer: list[tuple[str, bool]] = []
        self._kind: BlockKind = "paragraph"
        self._link_depth = 0
        self._figure_depth = 0

    def run(self, root: HtmlElement) -> WalkResult:
        self._element(root, "paragraph")
        self._flush()
        return self.result

    def _add_text(self, text: str | None, kind: BlockKind) -> None:
        if not text:
            return
        text = re.sub(r"\s+", " ", text)
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
                                        in_figure=self._figure_depth > 0))

    def _element(self, elem: HtmlElement, parent_kind: BlockKind) -> None:
        tag = elem.tag.lower() if isinstance(elem.tag, str) else ""
        if not tag or tag in self.skip:
            return
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
                self.result.pieces.append(Piece("paragraph", line, min(link_chars, len(line))))
            for anchor in row.iter("a"):
                self._link(anchor)


def walk_blocks(root: HtmlElement, base_url: str | None,
                skip: frozenset[str] = _SKIP_TAGS) -> WalkResult:
    """Blocks and links of ``root`` in document order."""
    return _Walker(base_url, skip).run(root)


# ---------------------------------------------------------------------------- readability


def _readability_body(text: str, url: str | None) -> HtmlElement | None:
    """readability's choice of article node, or None when it cannot decide."""
    from readability import Document
    from readability.readability import Unparseable

    _quiet_readability()
    try:
        summary = Document(text, url=url).summary(html_partial=True)
    except (Unparseable, LookupError, ValueError, etree.LxmlError, TypeError,
            *_HOSTILE_PAGE_ERRORS):
        return None
    if not summary or not summary.strip():
        return None
    try:
        body = lxml_html.fragment_fromstring(summary, create_parent="div")
    except (etree.ParserError, ValueError, *_HOSTILE_PAGE_ERRORS):
        return None
    return body if isinstance(body, HtmlElement) else None


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


def prune_boilerplate(body: HtmlElement) -> None:
    """Remove template furniture (share bars, galleries, bylines, teasers) from ``body``.

    An element is only removed when it holds a minor part of the text, so a template
    that calls its whole article container "story social-enabled" keeps its article.
    """
    total = max(1, len(body.text_content() or ""))
    doomed: list[HtmlElement] = []
    for elem in body.iterdescendants():
        if not isinstance(elem.tag, str) or any(elem in d.iterancestors() for d in doomed[-3:]):
            continue
        names = _class_and_id(elem)
        if not names or _KEEP_CLASS.search(names):
            continue
        aria = (elem.get("aria-hidden") or "").lower() == "true"
        if (aria or _BOILERPLATE_CLASS.search(names)) and (
                len(elem.text_content() or "") < 0.35 * total):
            doomed.append(elem)
    for elem in doomed:
        if elem.getparent() is not None:
            elem.drop_tree()


# Lines that are furniture whatever their length up to ~25 words (anchored at the start).
_BOILERPLATE_LINE = re.compile(
    r"^(?:share|tweet|e-?mail|print|pin|comment)s?(?: this| on| via| article| story)?\b|"
    r"^(?:follow|like) (?:us|me)\b|^sign (?:up|in)\b|^subscribe\b|"
    r"^(?:read|see|watch|view|click) (?:more|here|also|next|full|the full|now)\b|"
    r"^more:|^related(?: articles?| stories| coverage| content)?\b|"
    r"^(?:also read|also see|see also|recommended|trending|most read|most popular)\b|"
    r"^you (?:may|might) also (?:like|be interested)|^don'?t miss\b|^we use cookies\b|"
    r"^©|^copyright\b|^\(?c\)? ?\d{4}\b.*\ball rights reserved|"
    r"^this (?:document|material|article) (?:is subject to copyright|may not be)|"
    r"^advertisement$|^(?:sponsored|promoted)(?: content| stories)?$|^ad$|"
    r"^(?:image|photo|picture|media) (?:copyright|caption|credit)\b|"
    r"^(?:photo|image|picture|credit|source|photograph)s?:|"
    r"^media playback is unsupported|^(?:loading|close|open|menu|skip|next|previous|back)"
    r"(?:\.\.\.|…)?$|^like loading|^like this:?$|^comments?$|^leave a (?:comment|reply)|"
    r"^(?:posted|published|updated|last updated|first published)\b.*\d|"
    r"^citation:|^tags?:|^topics?:|^filed under\b|^(?:more|other) (?:from|on|in)\b",
    re.I)
# Phrases that mark a line of up to ~25 words as a promotion wherever they appear.
_BOILERPLATE_PHRASE = re.compile(
    r"\bfollow us on\b|\bsign up (?:for|to|now|here|today)\b|"
    r"\bsubscribe (?:to|now|here|today|for)\b|\bnewsletters?\b.*\b(?:inbox|sign|free)\b|"
    r"\bclick(?:ing)? here\b|\bread more\b|\ball rights reserved\b|"
    r"\bcookies?\b.*\b(?:consent|accept|policy)\b",
    re.I)
# Photo credits end captions that templates put between paragraphs.
_PHOTO_CREDIT = re.compile(
    r"\((?:AP|AFP|Reuters|Getty|EPA|AAP|PA|CP) Photo\b|\bgetty images\b|\bshutterstock\b|"
    r"\bcredit: \S|\((?:image|photo|picture|pic)s?: [^)]{2,40}\)$", re.I)
_BYLINE_LINE = re.compile(r"^(?:by|written by|words by|reporting by)\s+[\w.'’-]+", re.I)
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
    if words <= 8 and (_BYLINE_LINE.match(text) or _ONLY_CONTACT.match(text)):
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


def clean_pieces(pieces: list[Piece], meta: PageMetadata) -> list[Piece]:
    """The story's blocks without boilerplate lines, stutters or empty headings."""
    kept: list[Piece] = []
    for piece in pieces:
        if _is_boilerplate(piece, meta.byline):
            continue
        if kept and kept[-1].text == piece.text and len(piece.text) >= 30:
            continue                       # a truncated + full caption pair, a stutter
        kept.append(piece)
    return _drop_orphan_headings(_drop_orphan_headings(kept))


def _squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def _drop_title_heading(pieces: list[Piece], title: str) -> None:
    """The headline is ``Article.title``; repeating it as the first block is noise."""
    wanted = _squash(title)
    if not wanted:
        return
    for index, piece in enumerate(pieces[:3]):
        if piece.kind == "heading" and _squash(piece.text) == wanted:
            del pieces[index]
            return


def _has_prose(result: WalkResult) -> bool:
    """Some text that is not just link labels (a page of menus is not an article)."""
    return result.text_length - result.link_chars >= 20


# ---------------------------------------------------------------------------- candidates
#
# When readability's answer is poor (very short, mostly links, or a pop-up it mistook for
# the story) the page usually says where its article is in another way: JSON-LD
# ``articleBody``, an ``<article>`` element, or ``itemprop="articleBody"``. Each is turned
# into blocks the same way and the one with the most prose wins.

# Template parts that never belong to a story when we walk the page ourselves.
_CANDIDATE_SKIP = _SKIP_TAGS | {"aside", "footer"}


@dataclass
class Candidate:
    method: str
    result: WalkResult

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
        if piece.kind in ("heading", "caption") or piece.link_density > 0.5:
            continue
        if _word_count(piece.text) >= 6:
            score += len(piece.text) - piece.link_chars
    return score


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


def _element_candidates(root: HtmlElement, base: str | None) -> list[Candidate]:
    found: list[Candidate] = []
    for method, xpath in (("itemprop articleBody", "//*[@itemprop='articleBody']"),
                          ("article element", "//article")):
        elements = [e for e in root.xpath(xpath) if isinstance(e, HtmlElement)]
        for elem in sorted(elements, key=lambda e: -len(e.text_content() or ""))[:2]:
            copy = lxml_html.fromstring(lxml_html.tostring(elem))
            prune_boilerplate(copy)
            found.append(Candidate(method, walk_blocks(copy, base, _CANDIDATE_SKIP)))
    return found


def _covers(other: Candidate, best: Candidate) -> bool:
    """``other`` holds (nearly) every prose block of ``best``: same story, more of it."""
    wanted = {_squash(p.text) for p in best.result.pieces if _word_count(p.text) >= 6}
    have = {_squash(p.text) for p in other.result.pieces}
    return bool(wanted) and len(wanted & have) >= 0.9 * len(wanted)


def _between_shared(other: Candidate, best: Candidate) -> Candidate:
    """``other`` cut to the span that starts and ends with blocks ``best`` also has.

    An ``<article>`` element holds the story plus its header (headline, standfirst,
    byline) and footer (tags, sign-up boxes); readability already found where the story
    starts and ends, so only what lies between its first and last block is recovered.
    """
    known = {_squash(p.text) for p in best.result.pieces}
    pieces = other.result.pieces
    marks = [i for i, p in enumerate(pieces) if _squash(p.text) in known]
    if not marks:
        return other
    span = pieces[marks[0]:marks[-1] + 1]
    text = "\n".join(p.text for p in span)
    links = [link for link in other.result.links if link.text in text]
    return Candidate(other.method, WalkResult(span, links))


def choose_candidate(best: Candidate, others: list[Candidate]) -> Candidate:
    """readability's answer, unless another candidate is clearly better.

    Better means: readability's answer is poor and the other has clearly more prose, or
    the other is the same story with more of it (sections readability left behind, such
    as embedded posts between paragraphs) without growing into a whole page.
    """
    chosen = best
    for other in others:
        if _is_poor(other):
            continue
        if _is_poor(chosen) and other.prose > max(chosen.prose * 1.2, chosen.prose + 200):
            chosen = other
        elif _covers(other, best):
            inner = _between_shared(other, best)
            if best.prose * 1.05 < inner.prose <= best.prose * 1.6 and (
                    inner.prose > chosen.prose):
                chosen = inner
    return chosen


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
        image=meta.image, method=method,
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


def _extract(html: str | bytes, url: str | None) -> _Extraction:
    text = _page_text(html)
    root = parse_html(text)
    meta = read_metadata(root, url)
    base = url or meta.canonical
    body = _readability_body(text, base)
    if body is not None:
        prune_boilerplate(body)
    best = Candidate("readability",
                     walk_blocks(body, base) if body is not None else WalkResult())
    best.result.pieces = clean_pieces(best.result.pieces, meta)
    others = [c for c in (_json_ld_candidate(meta), *_element_candidates(root, base))
              if c is not None]
    for other in others:
        other.result.pieces = clean_pieces(other.result.pieces, meta)
    chosen = choose_candidate(best, others)
    _drop_title_heading(chosen.result.pieces, meta.title)
    return _Extraction(text, root, meta, body, best, others, chosen)


def extract_article(html: str | bytes, url: str | None = None) -> Article:
    """Clean article text, blocks and metadata of one HTML page.

    ``url`` is where the page came from; it resolves relative links and is the fallback
    for ``Article.url`` when the page names no canonical URL.
    """
    found = _extract(html, url)
    if not _has_prose(found.chosen.result):
        reason = _why_empty(found.root, found.text)
        fallback = None if reason != NO_TEXT else \
            _whole_body_candidate(found.root, url or found.meta.canonical)
        if fallback is None or not _has_prose(fallback.result):
            raise ExtractError(reason)
        fallback.result.pieces = clean_pieces(fallback.result.pieces, found.meta)
        return _build(fallback.result, found.meta, url, fallback.method)
    return _build(found.chosen.result, found.meta, url, found.chosen.method)


# --- hostile-input guard (issue 12) -------------------------------------------------
# readability parses the page again with lxml's default limits, under which anything
# nested deeper than 256 elements vanishes; a page of only such text (or of text left in
# unclosed inline tags) came out as "no article text found". When every candidate is
# empty, the whole <body> of our own parse (which keeps deep text) is walked instead.


def _whole_body_candidate(root: HtmlElement, base: str | None) -> Candidate | None:
    """The page's own <body> (``root`` is changed: it is not used after this)."""
    body = root.find("body")
    if body is None:
        return None
    _flatten_deep(body)
    try:
        prune_boilerplate(body)
        return Candidate("whole page", walk_blocks(body, base, _CANDIDATE_SKIP))
    except RecursionError:
        return None


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


def extraction_report(html: str | bytes, url: str | None = None, limit: int = 60_000) -> str:
    """What extraction saw, for the reader's debugging view (``X``): every candidate with
    its prose score, the chosen blocks, and readability's node after pruning."""
    found = _extract(html, url)
    lines = [f"chosen: {found.chosen.method}", "candidates:"]
    for candidate in (found.readability, *found.others):
        lines.append(f"  {candidate.method}: prose score {candidate.prose}, "
                     f"{len(candidate.result.pieces)} blocks")
    lines += ["", "blocks:"]
    lines += [f"  [{piece.kind}] {piece.text[:100]}" for piece in found.chosen.result.pieces]
    lines += ["", "readability's node after pruning:"]
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
