"""What a page says about itself: title, byline, date, site, canonical URL, image, language.

Publishers describe their articles three ways, in decreasing order of care: JSON-LD
(``<script type="application/ld+json">``, written for search engines, usually exact),
Open Graph / Twitter / Dublin Core ``<meta>`` tags, and plain markup (``<title>``,
``rel=author`` links, ``<time>``). We read all three and take the first good answer, so
a page that only has one of them still gets its metadata.

Every value that reaches the user passes through ``clean_inline``: titles and bylines are
untrusted text shown in a terminal.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

from reader.textutil import clean_inline

_ARTICLE_TYPES = re.compile(
    r"article|posting|report|newsarticle|blogposting|creativework|webpage|liveblog", re.I)
_STRICT_ARTICLE_TYPES = re.compile(r"article|posting|report|liveblog", re.I)


@dataclass(frozen=True)
class PageMetadata:
    """Everything about the page except its body text; ``None`` means the page did not say."""

    title: str = ""
    byline: str | None = None
    published: str | None = None
    site: str | None = None
    canonical: str | None = None
    image: str | None = None
    image_caption: str | None = None
    language: str | None = None
    description: str | None = None
    json_ld_body: str | None = None


# ---------------------------------------------------------------------------- meta tags


def _meta_tags(root: HtmlElement) -> dict[str, str]:
    """First non-empty ``content`` of each ``<meta>`` keyed by lowercased name/property."""
    found: dict[str, str] = {}
    for meta in root.iter("meta"):
        content = (meta.get("content") or "").strip()
        if not content:
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = (meta.get(attr) or "").strip().lower()
            if key and key not in found:
                found[key] = content
    return found


def _first(tags: dict[str, str], *keys: str) -> str | None:
    for key in keys:
        value = tags.get(key)
        if value:
            return value
    return None


# ---------------------------------------------------------------------------- JSON-LD


def _json_ld_objects(root: HtmlElement) -> Iterator[dict[str, Any]]:
    """Every JSON object in the page's JSON-LD scripts, ``@graph`` members included."""
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        raw = (script.text or "").strip()
        if not raw:
            continue
        try:
            data = json.loads(raw, strict=False)
        except ValueError:
            # Some CMSs leave HTML comments or a trailing ";" around the JSON.
            try:
                data = json.loads(raw.strip("<!->; \n\t"), strict=False)
            except ValueError:
                continue
        yield from _walk_json(data, depth=0)


def _walk_json(data: Any, depth: int) -> Iterator[dict[str, Any]]:
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            yield from _walk_json(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        graph = data.get("@graph")
        if graph is not None:
            yield from _walk_json(graph, depth + 1)
        main = data.get("mainEntity")
        if isinstance(main, dict):
            yield from _walk_json(main, depth + 1)


def _type_names(obj: dict[str, Any]) -> str:
    kind = obj.get("@type", "")
    if isinstance(kind, list):
        return " ".join(str(k) for k in kind)
    return str(kind)


def _article_object(root: HtmlElement) -> dict[str, Any] | None:
    """The JSON-LD object describing the article (a NewsArticle beats a WebPage)."""
    best: dict[str, Any] | None = None
    for obj in _json_ld_objects(root):
        names = _type_names(obj)
        if _STRICT_ARTICLE_TYPES.search(names):
            return obj
        if best is None and _ARTICLE_TYPES.search(names) and (
                obj.get("headline") or obj.get("author")):
            best = obj
    return best


def _names(value: Any) -> list[str]:
    """Person or organisation names out of a JSON-LD author/publisher value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [name for item in value for name in _names(item)]
    if isinstance(value, dict):
        name = value.get("name")
        if isinstance(name, str):
            return [name]
        if isinstance(name, list):
            return [str(n) for n in name if isinstance(n, str)]
    return []


def _url_of(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value:
        return _url_of(value[0])
    if isinstance(value, dict):
        return _url_of(value.get("url") or value.get("contentUrl"))
    return None


def _str_of(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value and isinstance(value[0], str):
        return value[0]
    return None


# ---------------------------------------------------------------------------- lead image

CAPTION_LIMIT = 300
_IMAGE_SOURCES = ("src", "data-src", "data-original", "data-lazy-src", "srcset", "data-srcset")


def image_caption(root: HtmlElement, tags: dict[str, str], ld: dict[str, Any],
                  image: str) -> str | None:
    """The caption and credit shown under the lead image, in order of care: the
    ``<figcaption>`` of the figure that holds the image, the image's JSON-LD caption, then
    its ``og:image:alt``/``twitter:image:alt`` text (which describes rather than credits)."""
    wanted = _image_file_name(image)
    for figure in root.iter("figure"):
        caption = figure.find(".//figcaption")
        if caption is None or not wanted or not any(
                wanted in _image_file_names(img) for img in figure.iter("img", "source")):
            continue
        text = clean_inline(" ".join((caption.text_content() or "").split()))
        if text:
            return _clip_caption(text)
    described = ld.get("image")
    if isinstance(described, list) and described:
        described = described[0]
    ld_caption = _str_of(described.get("caption")) if isinstance(described, dict) else None
    described_text = ld_caption or _first(tags, "og:image:alt", "twitter:image:alt")
    if not described_text:
        return None
    text = clean_inline(" ".join(described_text.split()))
    return _clip_caption(text) if text else None


def _image_file_name(url: str) -> str:
    """The last path segment, which survives the resizing parameters CDNs add."""
    path = urlsplit(url.strip()).path
    return path.rstrip("/").rsplit("/", 1)[-1].lower()


def _image_file_names(element: HtmlElement) -> set[str]:
    names: set[str] = set()
    for attribute in _IMAGE_SOURCES:
        value = element.get(attribute) or ""
        for candidate in value.split(","):
            parts = candidate.split()
            if parts:
                names.add(_image_file_name(parts[0]))
    names.discard("")
    return names


def _clip_caption(text: str) -> str:
    return text if len(text) <= CAPTION_LIMIT else text[: CAPTION_LIMIT - 1].rstrip() + "…"


# ---------------------------------------------------------------------------- titles


_TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ", " // ", " « ", " » ")


def _squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def _host_words(url: str | None) -> str:
    if not url:
        return ""
    host = (urlsplit(url).hostname or "").lower()
    host = re.sub(r"^(www|m|amp|edition|mobile)\.", "", host)
    return host.rsplit(".", 1)[0] if "." in host else host


def _is_site_name(segment: str, site: str | None, url: str | None) -> bool:
    squashed = _squash(segment)
    if not squashed:
        return True
    if site and (squashed == _squash(site) or squashed in _squash(site)
                 or _squash(site) in squashed):
        return True
    host = _squash(_host_words(url))
    return bool(host) and (squashed in host or host in squashed)


def clean_title(title: str, site: str | None = None, url: str | None = None) -> str:
    """Drop a " | Site" / " - Site" suffix (or "Site | " prefix) that names the publisher.

    A segment is dropped when it matches the site name or the host, or when it is short
    (three words or fewer) and sits after a "|" — the separator that CMS templates use and
    headlines almost never do. A hyphen in a headline ("Covid-19 - what we know") is kept
    unless what follows it names the site.
    """
    title = clean_inline(title)
    for _ in range(3):
        changed = False
        for sep in _TITLE_SEPARATORS:
            if sep not in title:
                continue
            head, _, tail = title.rpartition(sep)
            if head and (_is_site_name(tail, site, url) or (
                    sep.strip() in "|·:://" and len(tail.split()) <= 3
                    and len(head.split()) >= 3)):
                title, changed = head.strip(), True
                break
            first, _, rest = title.partition(sep)
            if rest and _is_site_name(first, site, url) and len(rest.split()) >= 2:
                title, changed = rest.strip(), True
                break
        if not changed:
            break
    return title


# ---------------------------------------------------------------------------- bylines

_BYLINE_JUNK = [
    re.compile(r"^\s*(?:written\s+)?by[:\s]+", re.I),
    re.compile(r"^\s*(?:posted|published|updated)\s+by[:\s]+", re.I),
    re.compile(r"\s*[|,•·]?\s*\d+\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?)"
               r"\s+ago\b.*$", re.I),
    re.compile(r"\s*[|,•·]?\s*(?:updated|published|posted)\b.*$", re.I),
    re.compile(r"\s*[|,•·]?\s*(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
               r"\s+\d{1,2},?\s+\d{4}.*$", re.I),
    re.compile(r"\s*[|,•·]?\s*\d{4}-\d{2}-\d{2}.*$"),
    re.compile(r"\S+@\S+\.\w+"),
    re.compile(r"\s*[|•·]\s*$"),
]


def clean_byline(raw: str) -> str | None:
    """A byline without "By", relative times, dates or e-mail addresses; None if nothing left."""
    text = clean_inline(raw)
    for pattern in _BYLINE_JUNK:
        text = pattern.sub("", text).strip()
    text = text.strip(" ,;|-–—•·")
    if not text or len(text) > 100 or text.lower().startswith(("http://", "https://")):
        return None
    if not re.search(r"[^\W\d_]", text):
        return None
    return text


def _join_names(names: list[str]) -> str | None:
    seen: list[str] = []
    for name in names:
        cleaned = clean_byline(name)
        if cleaned and cleaned.lower() not in (s.lower() for s in seen):
            seen.append(cleaned)
    if not seen:
        return None
    return ", ".join(seen[:4])


def _markup_byline(root: HtmlElement) -> str | None:
    selectors = (
        "//*[@rel='author']",
        "//*[@itemprop='author']//*[@itemprop='name']",
        "//*[@itemprop='author']",
        "//*[contains(concat(' ', normalize-space(@class), ' '), ' byline ')]",
        "//*[contains(concat(' ', normalize-space(@class), ' '), ' author-name ')]",
    )
    for selector in selectors:
        for elem in root.xpath(selector)[:3]:
            if not isinstance(elem, HtmlElement):
                continue
            text = elem.get("content") or elem.text_content()
            cleaned = clean_byline(text or "")
            if cleaned and len(cleaned.split()) <= 8:
                return cleaned
    return None


# ---------------------------------------------------------------------------- dates

_MONTHS = {name: i for i, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
     ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
     ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")], start=1) for name in names}
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:\D|$)")
_MONTH_FIRST = re.compile(r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")
_DAY_FIRST = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})\b")


def _valid_date(year: int, month: int, day: int) -> str | None:
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return None
    if not 1990 <= date.year <= 2100:
        return None
    return date.isoformat()


def iso_date(raw: str) -> str | None:
    """The calendar date ("2021-10-06") in an ISO, compact or written-out date string."""
    raw = raw.strip()
    match = _ISO_DATE.search(raw)
    if match:
        return _valid_date(int(match[1]), int(match[2]), int(match[3]))
    match = _COMPACT_DATE.match(raw)
    if match:
        return _valid_date(int(match[1]), int(match[2]), int(match[3]))
    match = _MONTH_FIRST.search(raw)
    if match and match[1].lower() in _MONTHS:
        return _valid_date(int(match[3]), _MONTHS[match[1].lower()], int(match[2]))
    match = _DAY_FIRST.search(raw)
    if match and match[2].lower() in _MONTHS:
        return _valid_date(int(match[3]), _MONTHS[match[2].lower()], int(match[1]))
    return None


_DATE_META = ("article:published_time", "og:published_time", "published_time",
              "datepublished", "pubdate", "publishdate", "publish-date", "publish_date",
              "dc.date.issued", "dc.date", "dcterms.created", "date", "sailthru.date",
              "parsely-pub-date", "article.published", "og:article:published_time",
              "cxenseparse:recs:publishtime", "article:modified_time", "og:updated_time")


def _markup_date(root: HtmlElement) -> str | None:
    for elem in root.xpath("//*[@itemprop='datePublished'] | //time[@datetime]")[:5]:
        if isinstance(elem, HtmlElement):
            found = iso_date(elem.get("datetime") or elem.get("content") or "")
            if found:
                return found
    return None


# ---------------------------------------------------------------------------- language


def normalise_language(raw: str | None) -> str | None:
    """"en_US" / "EN-us" -> "en-US"; junk -> None."""
    if not raw:
        return None
    match = re.match(r"^\s*([A-Za-z]{2,3})(?:[-_]([A-Za-z]{2}|\d{3}))?\b", raw)
    if not match:
        return None
    lang = match[1].lower()
    return f"{lang}-{match[2].upper()}" if match[2] else lang


# ---------------------------------------------------------------------------- URLs


def absolute_http_url(href: str | None, base: str | None) -> str | None:
    """``href`` resolved against ``base``; only http(s) URLs survive (no javascript:, file:)."""
    if not href:
        return None
    href = href.strip()
    try:
        resolved = urljoin(base, href) if base else href
        parts = urlsplit(resolved)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return resolved


def _canonical(root: HtmlElement, tags: dict[str, str], url: str | None) -> str | None:
    for link in root.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        if "canonical" in rel:
            found = absolute_http_url(link.get("href"), url)
            if found:
                return found
    return absolute_http_url(tags.get("og:url"), url) or absolute_http_url(url, None)


# ---------------------------------------------------------------------------- all together


def _title_tag(root: HtmlElement) -> str:
    for title in root.iter("title"):
        return title.text_content() or ""
    return ""


def _pick_title(root: HtmlElement, tags: dict[str, str], ld: dict[str, Any],
                site: str | None, url: str | None) -> str:
    for raw in (_first(tags, "og:title", "twitter:title"), _str_of(ld.get("headline")),
                _title_tag(root)):
        if raw and clean_inline(raw):
            return clean_title(raw, site, url)
    for heading in root.iter("h1"):
        text = clean_inline(heading.text_content() or "")
        if text:
            return text
    return ""


def read_metadata(root: HtmlElement, url: str | None = None) -> PageMetadata:
    """Metadata of a parsed page; ``url`` is where it came from (for relative links)."""
    tags = _meta_tags(root)
    ld = _article_object(root) or {}
    publisher = _names(ld.get("publisher"))
    site_raw = _first(tags, "og:site_name", "application-name", "twitter:app:name:iphone") or (
        publisher[0] if publisher else None)
    site = clean_inline(site_raw) if site_raw else None
    canonical = _canonical(root, tags, url)
    byline = _join_names(_names(ld.get("author")) or _names(ld.get("creator")))
    if byline is None:
        meta_author = _first(tags, "author", "article:author", "byl", "dc.creator",
                             "parsely-author", "sailthru.author")
        byline = _join_names([meta_author]) if meta_author else None
    byline = byline or _markup_byline(root)
    date_raw = _str_of(ld.get("datePublished")) or _str_of(ld.get("dateCreated")) or ""
    published = iso_date(date_raw) if date_raw else None
    if published is None:
        published = next((d for d in (iso_date(tags[k]) for k in _DATE_META if k in tags)
                          if d), None) or _markup_date(root)
    base = canonical or url
    image = absolute_http_url(
        _first(tags, "og:image", "og:image:url", "og:image:secure_url", "twitter:image",
               "twitter:image:src") or _url_of(ld.get("image")) or _url_of(
            ld.get("thumbnailUrl")), base)
    caption = image_caption(root, tags, ld, image) if image else None
    language = normalise_language(
        root.get("lang") or root.get("xml:lang") or tags.get("content-language")
        or tags.get("og:locale") or _str_of(ld.get("inLanguage")))
    body = ld.get("articleBody")
    description = _first(tags, "og:description", "description", "twitter:description")
    return PageMetadata(
        title=_pick_title(root, tags, ld, site, canonical or url),
        byline=byline, published=published, site=site or None, canonical=canonical,
        image=image, image_caption=caption, language=language,
        description=clean_inline(description) if description else None,
        json_ld_body=body if isinstance(body, str) and body.strip() else None,
    )
