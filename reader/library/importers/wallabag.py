"""wallabag's JSON export: a list of entries, each with ``url``, ``title``, ``content``
(the article as HTML), ``tags`` (names), ``is_archived``/``is_starred`` (0 or 1),
``created_at`` and ``annotations`` (``quote``: the highlighted words, ``text``: the note;
their ``ranges`` are XPaths into wallabag's HTML, which our text does not share, so the
quote is anchored by its words instead).
"""

from __future__ import annotations

from typing import Any

from reader.library.importers.items import (
    MAX_HIGHLIGHTS,
    ImportedNote,
    ImportItem,
    Parsed,
    add_records,
    iso_time,
    tag_list,
)
from reader.library.importers.jsondata import text_of, truthy


def looks_like_wallabag(value: Any) -> bool:
    entries = value if isinstance(value, list) else []
    first = next((e for e in entries if isinstance(e, dict)), None)
    return first is not None and "url" in first and bool(
        {"is_archived", "is_starred", "annotations", "reading_time"} & set(first))


def read_entries(entries: list[Any]) -> Parsed:
    return add_records(Parsed("wallabag"),
                       ((f"entry {n}", entry) for n, entry in enumerate(entries, start=1)),
                       _item, noun="entry")


def _item(entry: dict[str, Any], url: str, where: str) -> ImportItem:
    tags = list(_tag_names(entry.get("tags")))
    if truthy(entry.get("is_starred")):
        tags.append("starred")
    archived = truthy(entry.get("is_archived"))
    content = text_of(entry.get("content"))
    return ImportItem(
        url=url, title=text_of(entry.get("title")), tags=tag_list(tags),
        saved=iso_time(entry.get("created_at")), read=archived, archived=archived,
        content=content or None, content_is_html=True,
        notes=_notes(entry.get("annotations")), where=where)


def _tag_names(tags: Any) -> list[str]:
    """Tags are names, or objects with a ``label`` in some versions."""
    if not isinstance(tags, list):
        return []
    names = []
    for tag in tags:
        if isinstance(tag, dict):
            tag = tag.get("label") or tag.get("slug")
        if isinstance(tag, str):
            names.append(tag)
    return names


def _notes(annotations: Any) -> tuple[ImportedNote, ...]:
    if not isinstance(annotations, list):
        return ()
    notes = []
    for annotation in annotations[:MAX_HIGHLIGHTS]:
        if not isinstance(annotation, dict):
            continue
        quote = text_of(annotation.get("quote"))
        if quote:
            notes.append(ImportedNote(quote, text_of(annotation.get("text")),
                                      iso_time(annotation.get("created_at"))))
    return tuple(notes)
