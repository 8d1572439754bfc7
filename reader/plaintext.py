"""Plain text (a .txt file, stdin, a feed summary) turned into an Article.

Conventions of wire copy and e-mailed articles: the first non-empty line is the title,
optionally followed by header lines "By NAME", "Published: 2021-10-06" and
"Source: SITE"; lines starting with "- ", "* " or "• " are list items, and paragraphs
are separated by blank lines. Text with no blank lines at all puts one paragraph on each
line, as many copy-pasted articles do.
"""

from __future__ import annotations

import re

from reader.errors import ExtractError
from reader.models import Article, BlockKind
from reader.textutil import TextBuilder, clean_inline

_BULLET = re.compile(r"^\s*(?:[-*•▪●◦‣]|\d{1,2}[.)])\s+")
_QUOTE_LINE = re.compile(r"^\s*>\s?")
_BYLINE = re.compile(r"^\s*By\s+(?P<value>[A-Z][\w .,'’&-]{1,80}?)\s*(?<![.!?])$")
_PUBLISHED = re.compile(
    r"^\s*(?:Published|Date|Updated):\s*(?P<value>\d{4}-\d{2}-\d{2})(?:[T ][\d:.+Z-]*)?\s*$",
    re.I)
_SITE = re.compile(r"^\s*Source:\s*(?P<value>.{1,80})$", re.I)


def _line_kind(line: str) -> tuple[BlockKind, str]:
    if _BULLET.match(line) and not re.match(r"^\s*\d", line):
        return "list_item", _BULLET.sub("", line, count=1)
    if _QUOTE_LINE.match(line):
        return "blockquote", _QUOTE_LINE.sub("", line, count=1)
    return "paragraph", line


def _paragraphs(lines: list[str]) -> list[tuple[BlockKind, str]]:
    blank_separated = any(not line.strip() for line in lines)
    out: list[tuple[BlockKind, str]] = []
    pending: list[str] = []
    pending_kind: BlockKind = "paragraph"

    def flush() -> None:
        nonlocal pending
        if pending:
            out.append((pending_kind, " ".join(pending)))
            pending = []

    for raw in lines:
        if not raw.strip():
            flush()
            continue
        kind, body = _line_kind(raw)
        if kind == "list_item" or not blank_separated:
            flush()
            out.append((kind, body))
            continue
        if pending and kind != pending_kind:
            flush()
        pending_kind = kind
        pending.append(body.strip())
    flush()
    return out


def _read_header(lines: list[str]) -> dict[str, str]:
    """Consume "By …", "Published: …" and "Source: …" lines right after the title."""
    found: dict[str, str] = {}
    patterns = (("byline", _BYLINE), ("published", _PUBLISHED), ("site", _SITE))
    while lines:
        line = lines[0]
        match = next(((key, m) for key, pattern in patterns
                      if key not in found and (m := pattern.match(line))), None)
        if match is None:
            break
        found[match[0]] = clean_inline(match[1]["value"])
        lines.pop(0)
    return found


def article_from_text(text: str, title: str | None = None, *, url: str | None = None,
                      site: str | None = None, published: str | None = None,
                      byline: str | None = None) -> Article:
    """Build an Article from plain text; the first line is the title unless one is given."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if title is None:
        while lines and not lines[0].strip():
            lines.pop(0)
        title = clean_inline(lines.pop(0)) if lines else ""
        if _BULLET.match(title):
            title = clean_inline(_BULLET.sub("", title, count=1))
        header = _read_header(lines)
        byline = byline or header.get("byline")
        published = published or header.get("published")
        site = site or header.get("site")
    builder = TextBuilder()
    builder.extend(_paragraphs(lines))
    if not builder.text.strip() and not title:
        raise ExtractError("no article text found: the text is empty")
    if not builder.text.strip():
        builder.add("paragraph", title)
    return Article(text=builder.text, title=clean_inline(title), url=url, blocks=builder.blocks,
                   site=site, published=published, byline=byline, method="plain text")
