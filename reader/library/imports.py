"""Reading the reader's own JSON back: ``reader import``, and ``reader extract`` on an export.

An export may have been edited by hand or written by someone else, so every article is
checked against the schema (:meth:`Annotated.from_dict` validates) and every highlight
must fit the text (stale offsets are re-found by their quoted text) before anything is
saved; any failure is one ``ReaderError`` line naming the file.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from typing import Any

from reader.errors import ReaderError
from reader.library.export import ExportMeta
from reader.models import Annotated, Highlight
from reader.textutil import first_line


@dataclass(frozen=True)
class Imported:
    """One article read back from a JSON export, ready for ``store.save``."""

    annotated: Annotated
    meta: ExportMeta


def read_json_export(content: str | bytes, *, what: str = "the file") -> list[Imported]:
    """Articles from an export: one object, or a list of them (one per article)."""
    try:
        data = json.loads(content)
    except RecursionError:
        raise ReaderError(f"{what}: nested too deeply to be an export") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise ReaderError(f"{what} is not JSON ({first_line(error)})") from None
    check_shape(data, what)
    items = data if isinstance(data, list) else [data]
    return [_imported(item, what) for item in items]


MAX_DEPTH = 12
"""An export nests five levels deep; far deeper is an attack on the parser, not data."""
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$")


def check_shape(data: Any, what: str) -> None:
    """Before any field is read: no deep nesting, no lone surrogate (which no UTF-8 file
    or SQLite text can hold), walked without recursion."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ReaderError(f"{what}: nested too deeply to be an export")
        if isinstance(value, str):
            _check_text(value, what)
        elif isinstance(value, dict):
            for key, inner in value.items():
                _check_text(key, what)
                stack.append((inner, depth + 1))
        elif isinstance(value, list):
            stack.extend((inner, depth + 1) for inner in value)


def _check_text(text: str, what: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ReaderError(f"{what}: text holds a lone surrogate (not valid Unicode)") from None


def _imported(item: Any, what: str) -> Imported:
    if not isinstance(item, dict):
        raise ReaderError(f"{what} does not hold exported articles")
    try:
        annotated = Annotated.from_dict(item)
    except ValueError as error:
        raise ReaderError(f"{what}: {error}") from None
    except (KeyError, TypeError) as error:
        raise ReaderError(f"{what} is not a reader export (missing {error})") from None
    published = annotated.article.published
    if published is not None and not _ISO_DATE.match(published):
        raise ReaderError(f"{what}: article.published is not an ISO date")
    tags = item.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ReaderError(f"{what}: tags must be a list of text")
    for key in ("saved", "fetched"):
        if item.get(key) is not None and not isinstance(item[key], str):
            raise ReaderError(f"{what}: {key} must be text")
    highlights = tuple(_checked_highlight(annotated.article.text, raw, h, what)
                       for raw, h in zip(item.get("highlights", []), annotated.highlights,
                                         strict=True))
    meta = ExportMeta(saved=_optional_str(item.get("saved")),
                      fetched=_optional_str(item.get("fetched")),
                      tags=tuple(tags))
    return Imported(replace(annotated, highlights=highlights), meta)


def _checked_highlight(text: str, raw: dict[str, Any], highlight: Highlight,
                       what: str) -> Highlight:
    """A hand-edited export may have stale offsets: trust the highlight's text instead."""
    from reader.library.anchors import Anchor, relocate

    quoted = raw.get("text")
    in_range = 0 <= highlight.start < highlight.end <= len(text)
    if in_range and (not isinstance(quoted, str) or text[highlight.start:highlight.end]
                     == quoted):
        return highlight
    if isinstance(quoted, str) and quoted:
        placement = relocate(Anchor(highlight.start, highlight.end, quoted), text)
        if placement is not None:
            return replace(highlight, start=placement.start, end=placement.end)
    raise ReaderError(f"{what}: a highlight [{highlight.start}, {highlight.end}) does not fit "
                      f"the article text")


def _optional_str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
