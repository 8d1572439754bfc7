"""Reading the reader's own JSON back: ``reader import``, and ``reader extract`` on an export.

An export may have been edited by hand or written by someone else, so every article is
checked against the schema (:meth:`Annotated.from_dict` validates) and every highlight
must fit the text (stale offsets are re-found by their quoted text) before anything is
saved; any failure is one ``ReaderError`` line naming the file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

from reader.errors import ReaderError
from reader.library.export import ExportMeta
from reader.models import Annotated, Highlight


@dataclass(frozen=True)
class Imported:
    """One article read back from a JSON export, ready for ``store.save``."""

    annotated: Annotated
    meta: ExportMeta


def read_json_export(content: str | bytes, *, what: str = "the file") -> list[Imported]:
    """Articles from an export: one object, or a list of them (one per article)."""
    try:
        data = json.loads(content)
    except (ValueError, UnicodeDecodeError) as error:
        raise ReaderError(f"{what} is not JSON ({error})") from None
    items = data if isinstance(data, list) else [data]
    return [_imported(item, what) for item in items]


def _imported(item: Any, what: str) -> Imported:
    if not isinstance(item, dict):
        raise ReaderError(f"{what} does not hold exported articles")
    try:
        annotated = Annotated.from_dict(item)
    except ValueError as error:
        raise ReaderError(f"{what}: {error}") from None
    except (KeyError, TypeError) as error:
        raise ReaderError(f"{what} is not a reader export (missing {error})") from None
    highlights = tuple(_checked_highlight(annotated.article.text, raw, h, what)
                       for raw, h in zip(item.get("highlights", []), annotated.highlights,
                                         strict=True))
    tags = item.get("tags") or []
    meta = ExportMeta(saved=_optional_str(item.get("saved")),
                      fetched=_optional_str(item.get("fetched")),
                      tags=tuple(str(t) for t in tags if isinstance(t, str)))
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
