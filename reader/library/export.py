"""Annotated articles as Markdown, JSON and HTML documents, written atomically.

Markdown is meant to be read and kept (Obsidian, static sites), so it carries YAML front
matter and the analysis as sections after the body; highlights become ``==text==`` and
notes footnotes. Every value from the article reaches YAML as a double-quoted scalar
(JSON-encoded, with the characters YAML refuses escaped), and body text has Markdown's
active characters backslash-escaped, so an article cannot inject front matter, links,
HTML or Obsidian tags into the note.

HTML is one self-contained file: inline CSS, no scripts, a Content-Security-Policy that
loads nothing, and every piece of text passed through :func:`html.escape`.

JSON is the ``reader.annotated/1`` schema plus the reader's tags and each highlight's
text, which is what ``reader import`` reads back.
"""

from __future__ import annotations

import base64
import html
import json
import os
import re
import stat
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any, Literal

from reader.display_dates import display_date
from reader.errors import ReaderError
from reader.models import Annotated, Article, Block, Highlight

PEOPLE = {"PERSON"}
ORGANISATIONS = {"ORG"}
PLACES = {"GPE", "LOC", "FAC"}

Format = Literal["md", "json", "html"]
FORMATS: tuple[Format, ...] = ("md", "json", "html")
EXTENSIONS: dict[Format, str] = {"md": "md", "json": "json", "html": "html"}
SLUG_LENGTH = 60
NEW_FILE_MODE = 0o644

# Characters that start Markdown (or Obsidian: #tag, %%comment%%, ==mark==, $math$) syntax.
_MD_ACTIVE = re.compile(r"([\\`*_\[\]<>#=|~$^]|%(?=%)|(?<=%)%|&(?=#?\w+;))")
_MD_LINE_START = re.compile(r"^[ \t]+|^(?:([+-])|(\d+)([.)]))", re.MULTILINE)
# YAML double-quoted scalars refuse non-printable characters and treat these as breaks.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_SLUG_JUNK = re.compile(r"[^a-z0-9]+")
_SAFE_LINK = re.compile(r"^https?://", re.IGNORECASE)
# Characters that would end a Markdown <destination> or an HTML attribute early.
_URL_UNSAFE = re.compile(r"[\s<>\"'`]")
# The image types a browser shows from a data: URI, by their first bytes.
_IMAGE_MAGIC = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"),
                (b"GIF87a", "image/gif"), (b"GIF89a", "image/gif"), (b"BM", "image/bmp"))


@dataclass(frozen=True)
class ExportImage:
    """The library's copy of the lead image, which the HTML export embeds."""

    content: bytes = field(repr=False)
    content_type: str = ""


@dataclass(frozen=True)
class ExportMeta:
    """What the library knows about an article beyond the analysis."""

    saved: str | None = None
    fetched: str | None = None
    tags: tuple[str, ...] = ()
    image: ExportImage | None = None


# --------------------------------------------------------------------------- JSON


def dumps(data: Any, *, indent: int | None = 2) -> str:
    return json.dumps(data, ensure_ascii=False, indent=indent)


def to_json(annotated: Annotated, meta: ExportMeta = ExportMeta()) -> dict[str, Any]:
    """The annotated schema, plus tags and each highlight's text (so it can be re-found)."""
    data = annotated.to_dict()
    text = annotated.article.text
    for highlight, out in zip(annotated.highlights, data["highlights"], strict=True):
        out["text"] = text[highlight.start:highlight.end]
    data["tags"] = list(meta.tags)
    if meta.saved:
        data["saved"] = meta.saved
    if meta.fetched:
        data["fetched"] = meta.fetched
    return data


# ----------------------------------------------------------------------- shared


@dataclass(frozen=True)
class _Piece:
    """A run of one block's text: highlighted or not, then the footnotes that follow it."""

    text: str
    marked: bool
    notes: tuple[int, ...] = ()


def _blocks(article: Article) -> tuple[Block, ...]:
    """The article's blocks, or its blank-line separated paragraphs when it has none."""
    if article.blocks:
        return article.blocks
    blocks: list[Block] = []
    position = 0
    for part in article.text.split("\n\n"):
        if part.strip():
            blocks.append(Block("paragraph", position, position + len(part)))
        position += len(part) + 2
    return tuple(blocks)


def _note_numbers(highlights: Sequence[Highlight]) -> dict[int, int]:
    """Footnote number of each highlight (by index) that has a note, in reading order."""
    order = sorted((i for i, h in enumerate(highlights) if h.note.strip()),
                   key=lambda i: (highlights[i].start, highlights[i].end))
    return {index: number for number, index in enumerate(order, start=1)}


def _note_positions(blocks: Sequence[Block], highlights: Sequence[Highlight],
                    numbers: dict[int, int]) -> dict[int, list[tuple[int, int]]]:
    """Block index -> (offset, footnote) pairs: a note goes where its highlight ends."""
    positions: dict[int, list[tuple[int, int]]] = {}
    for index, number in sorted(numbers.items(), key=lambda item: item[1]):
        end = highlights[index].end
        owner = max((i for i, b in enumerate(blocks) if b.start < end), default=None)
        if owner is not None:
            spot = min(end, blocks[owner].end)
            positions.setdefault(owner, []).append((spot, number))
    return positions


def _pieces(text: str, block: Block, highlights: Sequence[Highlight],
            notes: Sequence[tuple[int, int]]) -> list[_Piece]:
    """Split a block where highlighting starts, stops or a footnote is due."""
    cuts = {block.start, block.end}
    for h in highlights:
        cuts.update(x for x in (h.start, h.end) if block.start < x < block.end)
    cuts.update(spot for spot, _ in notes)
    ordered = sorted(cuts)
    pieces: list[_Piece] = []
    for left, right in pairwise(ordered):
        marked = any(h.start <= left and right <= h.end for h in highlights)
        after = tuple(number for spot, number in notes if spot == right)
        pieces.append(_Piece(text[left:right], marked, after))
    if block.start == block.end or not pieces:
        pieces.append(_Piece("", False, tuple(n for s, n in notes if s == block.start)))
    return pieces


def _entity_names(annotated: Annotated, labels: set[str]) -> list[str]:
    names: list[str] = []
    for entity in annotated.entities:
        if entity.label in labels and entity.name not in names:
            names.append(entity.name)
    return names


# ----------------------------------------------------------------------- Markdown


def _yaml_string(value: str) -> str:
    """A YAML double-quoted scalar: JSON's escaping plus the breaks YAML would fold."""
    encoded = json.dumps(_SURROGATE.sub("\ufffd", value), ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", encoded)


def _yaml_list(values: Iterable[str]) -> str:
    return "[" + ", ".join(_yaml_string(v) for v in values) + "]"


def _front_matter(annotated: Annotated, meta: ExportMeta) -> list[str]:
    article = annotated.article
    lines = ["---"]
    for key, value in (("title", article.title), ("url", article.url),
                       ("author", article.byline), ("published", article.published),
                       ("site", article.site), ("image", _image_url(article)),
                       ("saved", meta.saved)):
        if value:
            lines.append(f"{key}: {_yaml_string(value)}")
    if meta.tags:
        lines.append(f"tags: {_yaml_list(meta.tags)}")
    for key, labels in (("people", PEOPLE), ("organisations", ORGANISATIONS),
                        ("places", PLACES)):
        names = _entity_names(annotated, labels)
        if names:
            lines.append(f"{key}: {_yaml_list(names)}")
    lines.append("---")
    return lines


def md_escape(text: str) -> str:
    """Text that Markdown (and Obsidian) shows literally, whatever characters it holds."""
    return _MD_ACTIVE.sub(r"\\\1", text)


def _protect_line_starts(markdown: str) -> str:
    """A line starting with "- ", "+ ", "12." or an indent must not become a list or code."""
    def fix(match: re.Match[str]) -> str:
        sign, number, dot = match.groups()
        if sign:
            return f"\\{sign}"
        if number:
            return f"{number}\\{dot}"
        return ""  # leading indentation
    return _MD_LINE_START.sub(fix, markdown)


def _md_mark(body: str) -> str:
    """``==text==`` with the spaces outside: a marker next to a space is not a marker."""
    core = body.strip()
    if not core:
        return body
    lead = body[:len(body) - len(body.lstrip())]
    trail = body[len(body.rstrip()):]
    return f"{lead}=={core}=={trail}"


def _md_block(text: str, block: Block, highlights: Sequence[Highlight],
              notes: Sequence[tuple[int, int]]) -> str:
    out: list[str] = []
    for piece in _pieces(text, block, highlights, notes):
        body = md_escape(piece.text)
        trail = body[len(body.rstrip()):] if body.strip() else ""
        core = body[:len(body) - len(trail)]
        out.append(_md_mark(core) if piece.marked else core)
        out.extend(f"[^{n}]" for n in piece.notes)
        out.append(trail)
    content = _protect_line_starts("".join(out).strip())
    if block.kind == "heading":
        return f"## {content}"
    if block.kind == "list_item":
        return f"- {content}"
    if block.kind == "blockquote":
        return "> " + content.replace("\n", "\n> ")
    if block.kind == "caption":
        return f"*{content}*" if content else ""
    return content


def _md_body(annotated: Annotated, numbers: dict[int, int]) -> list[str]:
    article = annotated.article
    blocks = _blocks(article)
    notes = _note_positions(blocks, annotated.highlights, numbers)
    return [_md_block(article.text, block, annotated.highlights, notes.get(i, []))
            for i, block in enumerate(blocks)]


def _join_blocks(parts: list[str]) -> str:
    """Blank lines between blocks, but list items stay together as one tight list."""
    out = ""
    for part in parts:
        if not part:
            continue
        if out:
            tight = part.startswith("- ") and out.rsplit("\n", 1)[-1].startswith("- ")
            out += "\n" if tight else "\n\n"
        out += part
    return out


def _md_footnotes(annotated: Annotated, numbers: dict[int, int]) -> list[str]:
    lines: list[str] = []
    for index, number in sorted(numbers.items(), key=lambda item: item[1]):
        note = md_escape(annotated.highlights[index].note.strip())
        lines.append(f"[^{number}]: " + note.replace("\n", "\n    "))
    return lines


def to_markdown(annotated: Annotated, meta: ExportMeta = ExportMeta()) -> str:
    """A Markdown document: front matter, the article, then quotes, facts and entities."""
    article = annotated.article
    numbers = _note_numbers(annotated.highlights)
    lines = _front_matter(annotated, meta)
    lines += ["", f"# {md_escape(article.title)}" if article.title else ""]
    facts = _header_facts(article)
    if facts:
        lines += ["", "*" + md_escape(" ".join(" · ".join(facts).split())) + "*"]
    lines += _md_image(article)
    lines.append("")
    lines.append(_join_blocks(_md_body(annotated, numbers)))
    if annotated.quotes:
        lines += ["", "## Quotes", ""]
        for quote in annotated.quotes:
            who = md_escape(quote.speaker or "unknown speaker")
            said = md_escape(" ".join(quote.text.split()))
            lines.append(f"> {said}\n>\n> — {who}\n")
    if annotated.facts:
        lines += ["", "## Key facts", ""]
        for fact in annotated.facts:
            prefix = f"**{md_escape(fact.value)}** — " if fact.value else ""
            lines.append(f"- {prefix}{md_escape(' '.join((fact.subject or fact.text).split()))}")
    if annotated.entities:
        lines += ["", "## Entities", ""]
        for entity in annotated.entities:
            lines.append(f"- {md_escape(entity.name)} ({entity.label}, "
                         f"{len(entity.mentions)})")
    footnotes = _md_footnotes(annotated, numbers)
    if footnotes:
        lines += ["", *footnotes]
    return "\n".join(lines).rstrip() + "\n"


def _image_url(article: Article) -> str | None:
    """The lead image's address, if it is a web address (nothing else is linked)."""
    url = article.image
    return url if url and _SAFE_LINK.match(url) and not _URL_UNSAFE.search(url) else None


def _md_image(article: Article) -> list[str]:
    """``![caption](<url>)``: the address is referenced, never fetched by the export."""
    url = _image_url(article)
    if url is None:
        return []
    alt = md_escape(" ".join((article.image_caption or "lead image").split()))
    lines = ["", f"![{alt}](<{url}>)"]
    if article.image_caption:
        lines += ["", "*" + md_escape(" ".join(article.image_caption.split())) + "*"]
    return lines


# --------------------------------------------------------------------------- HTML

_CSS = """
body{margin:0;background:#fafaf7;color:#222;font:17px/1.6 Georgia,'Times New Roman',serif}
article{max-width:42rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.9rem;line-height:1.25;margin-bottom:.3rem}
h2{font-size:1.25rem;margin-top:2rem}
.meta,.tags{color:#666;font:14px/1.4 system-ui,sans-serif}
.tags span{background:#e8e8e0;border-radius:3px;padding:0 .4rem;margin-right:.3rem}
mark{background:#fff0a0;padding:0 .1rem}
sup a{text-decoration:none}
blockquote{border-left:3px solid #ccc;margin:1rem 0;padding:.1rem 1rem;color:#444}
blockquote footer{font:14px/1.4 system-ui,sans-serif;color:#666}
.notes,.analysis{font-size:15px}
figcaption{font-style:italic;color:#555}
@media (prefers-color-scheme:dark){body{background:#1d1d1b;color:#ddd}
mark{background:#6b5d00;color:#fff}.tags span{background:#333}}
"""
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'"
# With the library's copy of the lead image embedded: images from data: URIs only.
_CSP_WITH_IMAGE = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _html_block(text: str, block: Block, highlights: Sequence[Highlight],
                notes: Sequence[tuple[int, int]]) -> str:
    out: list[str] = []
    for piece in _pieces(text, block, highlights, notes):
        body = _esc(piece.text).replace("\n", "<br>")
        out.append(f"<mark>{body}</mark>" if piece.marked and piece.text.strip() else body)
        out.extend(f'<sup><a id="ref-{n}" href="#note-{n}">{n}</a></sup>' for n in piece.notes)
    content = "".join(out).strip()
    tag = {"heading": "h2", "list_item": "li", "blockquote": "blockquote",
           "caption": "figcaption"}.get(block.kind, "p")
    if tag == "blockquote":
        return f"<blockquote><p>{content}</p></blockquote>"
    return f"<{tag}>{content}</{tag}>"


def _html_body(annotated: Annotated, numbers: dict[int, int]) -> list[str]:
    article = annotated.article
    blocks = _blocks(article)
    notes = _note_positions(blocks, annotated.highlights, numbers)
    out: list[str] = []
    in_list = False
    for i, block in enumerate(blocks):
        if (block.kind == "list_item") != in_list:
            out.append("<ul>" if not in_list else "</ul>")
            in_list = not in_list
        out.append(_html_block(article.text, block, annotated.highlights, notes.get(i, [])))
    if in_list:
        out.append("</ul>")
    return out


def _header_facts(article: Article) -> list[str]:
    """Who wrote it, where and when, as a person reads them (the date in words; the
    front matter and JSON keep the machine-readable ISO form)."""
    published = display_date(article.published) if article.published else None
    return [part for part in (article.byline, article.site, published) if part]


def _html_time(when: str) -> str:
    """A date in words, its ISO form kept in ``<time datetime>`` for machines."""
    return f'<time datetime="{_esc(when)}">{_esc(display_date(when))}</time>'


def _html_header(annotated: Annotated, meta: ExportMeta) -> list[str]:
    article = annotated.article
    out = [f"<header><h1>{_esc(article.title or 'Untitled article')}</h1>"]
    facts_html = [_esc(x) for x in (article.byline, article.site) if x]
    if article.published:
        facts_html.append(_html_time(article.published))
    if article.url and _SAFE_LINK.match(article.url):
        facts_html.append(f'<a href="{_esc(article.url)}" rel="noreferrer">source</a>')
    if meta.saved:
        facts_html.append(f"saved {_html_time(meta.saved)}")
    if facts_html:
        out.append(f'<p class="meta">{" · ".join(facts_html)}</p>')
    if meta.tags:
        out.append('<p class="tags">' + "".join(f"<span>{_esc(t)}</span>" for t in meta.tags)
                   + "</p>")
    out.append("</header>")
    out += _html_figure(article, meta)
    return out


def image_type(content: bytes) -> str | None:
    """The type of an image a browser can show, from its first bytes (WebP too)."""
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    return next((kind for magic, kind in _IMAGE_MAGIC if content.startswith(magic)), None)


def _data_uri(image: ExportImage | None) -> str | None:
    if image is None:
        return None
    kind = image_type(image.content)
    if kind is None:
        return None
    return f"data:{kind};base64,{base64.b64encode(image.content).decode('ascii')}"


def _html_figure(article: Article, meta: ExportMeta) -> list[str]:
    """The kept copy embedded (the page still loads nothing); else a link to the image."""
    url = _image_url(article)
    if url is None:
        return []
    caption = " ".join((article.image_caption or "").split())
    data = _data_uri(meta.image)
    if data is not None:
        picture = f'<img src="{data}" alt="{_esc(caption or "lead image")}" ' \
                  'style="max-width:100%;height:auto">'
    else:
        picture = f'<a href="{_esc(url)}" rel="noreferrer">lead image</a>'
    figcaption = f"<figcaption>{_esc(caption)}</figcaption>" if caption else ""
    return [f"<figure>{picture}{figcaption}</figure>"]


def _html_sections(annotated: Annotated, numbers: dict[int, int]) -> list[str]:
    out: list[str] = []
    if numbers:
        out.append('<section class="notes"><h2>Notes</h2><ol>')
        for index, number in sorted(numbers.items(), key=lambda item: item[1]):
            note = _esc(annotated.highlights[index].note.strip()).replace("\n", "<br>")
            out.append(f'<li id="note-{number}">{note} <a href="#ref-{number}">↩</a></li>')
        out.append("</ol></section>")
    if annotated.quotes:
        out.append('<section class="analysis"><h2>Quotes</h2>')
        for quote in annotated.quotes:
            out.append(f"<blockquote><p>{_esc(quote.text)}</p>"
                       f"<footer>— {_esc(quote.speaker or 'unknown speaker')}</footer>"
                       f"</blockquote>")
        out.append("</section>")
    if annotated.facts:
        out.append('<section class="analysis"><h2>Key facts</h2><ul>')
        for fact in annotated.facts:
            value = f"<strong>{_esc(fact.value)}</strong> — " if fact.value else ""
            out.append(f"<li>{value}{_esc(fact.subject or fact.text)}</li>")
        out.append("</ul></section>")
    if annotated.entities:
        out.append('<section class="analysis"><h2>Entities</h2><ul>')
        for entity in annotated.entities:
            out.append(f"<li>{_esc(entity.name)} <small>({_esc(entity.label)}, "
                       f"{len(entity.mentions)})</small></li>")
        out.append("</ul></section>")
    return out


def to_html(annotated: Annotated, meta: ExportMeta = ExportMeta()) -> str:
    """One self-contained page: nothing is loaded from anywhere, nothing is executed."""
    article = annotated.article
    numbers = _note_numbers(annotated.highlights)
    language = _esc(article.language or "en")
    csp = _CSP_WITH_IMAGE if _image_url(article) and _data_uri(meta.image) else _CSP
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{language}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_esc(article.title or 'Untitled article')}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body><article>",
        *_html_header(annotated, meta),
        '<section class="body">',
        *_html_body(annotated, numbers),
        "</section>",
        *_html_sections(annotated, numbers),
        "</article></body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


# ----------------------------------------------------------------------- files


def render(annotated: Annotated, fmt: Format, meta: ExportMeta = ExportMeta()) -> str:
    if fmt == "md":
        return to_markdown(annotated, meta)
    if fmt == "html":
        return to_html(annotated, meta)
    return dumps(to_json(annotated, meta)) + "\n"


def slug(title: str, limit: int = SLUG_LENGTH) -> str:
    """Lower-case ASCII letters, digits and dashes only: safe on every file system."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    cleaned = _SLUG_JUNK.sub("-", ascii_title.lower()).strip("-")
    if len(cleaned) > limit:
        cleaned = cleaned[:limit].rsplit("-", 1)[0] if "-" in cleaned[:limit] \
            else cleaned[:limit]
    return cleaned.strip("-")


def export_filename(title: str, article_id: int, fmt: Format) -> str:
    """``council-approves-tram-line-12.md``: the id keeps equal titles apart."""
    return f"{slug(title) or 'article'}-{article_id}.{EXTENSIONS[fmt]}"


# What a file name's extension says about the format, and the names ``--format`` takes.
SUFFIX_FORMATS: dict[str, Format] = {".md": "md", ".markdown": "md", ".json": "json",
                                     ".html": "html", ".htm": "html"}
FORMAT_NAMES: dict[str, Format] = {"md": "md", "markdown": "md", "json": "json",
                                   "html": "html"}


def format_for(path: Path | str | None, named: str | None = None) -> Format:
    """The export format: the one named (``--format``), else the file's extension.

    An extension that names no format (``.txt``) is refused with the list of formats
    rather than silently written as Markdown; no file and no name means Markdown.
    """
    if named is not None:
        try:
            return FORMAT_NAMES[named.lower()]
        except KeyError:
            raise ReaderError(f"unknown format {named!r}: use md, json or html") from None
    if path is None:
        return "md"
    suffix = Path(path).suffix.lower()
    if suffix in SUFFIX_FORMATS:
        return SUFFIX_FORMATS[suffix]
    shown = f"'{suffix}'" if suffix else "no extension"
    raise ReaderError(f"cannot tell the format from {shown}: name the file .md (Markdown), "
                      ".json or .html, or choose one with --format md|json|html")


def check_target(path: Path | str, *, overwrite: bool = False) -> None:
    """Refuse to replace an existing file unless asked, and never write over a device,
    a FIFO or a folder (``-o /dev/null`` must not become a regular file)."""
    target = Path(path)
    try:
        info = target.stat()
    except FileNotFoundError:
        return
    except OSError as error:
        raise ReaderError(f"cannot write {target}: {error.strerror or error}") from None
    if not stat.S_ISREG(info.st_mode):
        raise ReaderError(f"{target} is not a regular file; not writing over it")
    if not overwrite:
        raise ReaderError(f"{target} exists; use --force to replace it")


def write_atomic(path: Path | str, data: str | bytes) -> None:
    """Write all of ``data`` or nothing: a temp file beside ``path``, then os.replace.

    A crash or a full disk leaves the old file (if any) untouched, never half-written.
    """
    from reader.localfile import check_writable_target

    target = Path(path)
    check_writable_target(target)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        mode = target.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = NEW_FILE_MODE
    except OSError as error:
        raise ReaderError(f"cannot write {target}: {error.strerror or error}") from None
    temp_name: str | None = None
    try:
        descriptor, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                                 dir=target.parent)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, mode)
        os.replace(temp_name, target)
        temp_name = None
    except OSError as error:
        raise ReaderError(f"cannot write {target}: {error.strerror or error}") from None
    finally:
        if temp_name is not None:
            try:
                os.unlink(temp_name)
            except OSError:
                pass
