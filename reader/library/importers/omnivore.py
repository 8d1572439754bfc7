"""Omnivore's export (2024): a zip of ``metadata_<from>_to_<to>.json`` files (lists of
items: ``slug``, ``title``, ``url``, ``state``, ``readingProgress``, ``labels``,
``savedAt``), the readable article as ``content/<slug>.html`` and its highlights as
``highlights/<slug>.md``: each highlight a ``> quoted`` block, optionally followed by
its labels (``#label``) and its note, separated by blank lines.
"""

from __future__ import annotations

import re
from typing import Any

from reader.errors import ReaderError
from reader.library.importers.items import (
    MAX_HIGHLIGHTS,
    ImportedNote,
    ImportItem,
    Parsed,
    add_records,
    iso_time,
    tag_list,
)
from reader.library.importers.jsondata import load_json, text_of
from reader.library.importers.safezip import SafeZip

METADATA = re.compile(r"(^|/)metadata(_\d+_to_\d+)?\.json$")
_SLUG = re.compile(r"^[\w.-]{1,300}$")
_LABELS_ONLY = re.compile(r"^(#\S+\s*)+$")


def looks_like_omnivore(value: Any) -> bool:
    entries = value if isinstance(value, list) else []
    first = next((e for e in entries if isinstance(e, dict)), None)
    return first is not None and "slug" in first and ("savedAt" in first or
                                                       "labels" in first)


def is_omnivore_zip(archive: SafeZip) -> bool:
    return any(METADATA.search(name) for name in archive.names)


def read_zip(archive: SafeZip) -> Parsed:
    parsed = Parsed("omnivore")
    names = set(archive.names)
    for name in sorted(n for n in names if METADATA.search(n)):
        base = name.rsplit("/", 1)[0] + "/" if "/" in name else ""
        try:
            entries = load_json(archive.read(name), name)
        except ReaderError as error:
            parsed.skip("", str(error))
            continue
        if not isinstance(entries, list):
            parsed.skip(name, "not a list of items")
            continue

        def member(path: str, base: str = base) -> str | None:
            full = base + path
            if full not in names:
                return None
            return archive.read(full).decode("utf-8", errors="replace")

        _read_entries(entries, parsed, name, member)
    return parsed


def read_metadata(entries: list[Any]) -> Parsed:
    """A metadata file on its own: links to fetch, no content, no highlights."""
    parsed = Parsed("omnivore")
    _read_entries(entries, parsed, "", lambda path: None)
    return parsed


def _read_entries(entries: list[Any], parsed: Parsed, file: str,
                  member: Any) -> None:
    prefix = f"{file}: " if file else ""

    def item(entry: dict[str, Any], url: str, where: str) -> ImportItem:
        slug = text_of(entry.get("slug"))
        content = notes_text = None
        if slug and _SLUG.match(slug):
            content = member(f"content/{slug}.html")
            notes_text = member(f"highlights/{slug}.md")
        state = text_of(entry.get("state")).lower()
        progress = entry.get("readingProgress")
        archived = state == "archived"
        read = archived or (isinstance(progress, int | float) and progress >= 95)
        return ImportItem(
            url=url, title=text_of(entry.get("title")),
            tags=tag_list(_labels(entry.get("labels"))),
            saved=iso_time(entry.get("savedAt")), read=read, archived=archived,
            content=content if content and content.strip() else None,
            content_is_html=True,
            notes=parse_highlights(notes_text) if notes_text else (), where=where)

    add_records(parsed, ((f"{prefix}item {n}", entry)
                         for n, entry in enumerate(entries, start=1)), item)


def _labels(labels: Any) -> list[str]:
    if not isinstance(labels, list):
        return []
    names: list[str] = []
    for label in labels:
        name = label.get("name") if isinstance(label, dict) else label
        if isinstance(name, str):
            names.append(name)
    return names


def parse_highlights(markdown: str) -> tuple[ImportedNote, ...]:
    """``> quote`` blocks, each with the note (if any) in the paragraphs after it; a
    quote after a blank line is the next highlight."""
    notes: list[ImportedNote] = []
    quote: list[str] | None = None
    note: list[str] = []

    def close() -> None:
        if quote is not None:
            text = " ".join(" ".join(quote).split())
            text = re.sub(r"\s*\[[^\]]*\]\([^)]*\)\s*$", "", text)  # a trailing link
            if text and len(notes) < MAX_HIGHLIGHTS:
                notes.append(ImportedNote(text, "\n".join(note).strip()))

    blank_before = True
    for line in markdown.splitlines():
        stripped = line.strip()
        if stripped.startswith(">"):
            if quote is None or blank_before:
                close()
                quote, note = [], []
            quote.append(stripped[1:].strip())
        elif quote is not None and stripped and not _LABELS_ONLY.match(stripped):
            note.append(stripped)
        elif quote is not None and not stripped and note:
            note.append("")
        blank_before = not stripped
    close()
    return tuple(notes)
