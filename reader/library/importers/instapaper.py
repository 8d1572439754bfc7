"""Instapaper's CSV export: ``URL,Title,Selection,Folder,Timestamp`` (newer files add a
``Tags`` column holding a JSON list).

``Folder`` is ``Unread``, ``Archive``, ``Starred`` or a folder of the user's: the archive
marks the item read and archived, any other folder but Unread becomes a tag. ``Selection``
is the text the user had selected when saving; it becomes a highlight where it is found
in the article once the article is fetched (Instapaper exports no article text).
"""

from __future__ import annotations

import json

from reader.library.importers.csvrows import header_of, read_items
from reader.library.importers.items import (
    ImportedNote,
    ImportItem,
    Parsed,
    iso_time,
    tag_list,
)

CSV_COLUMNS = frozenset({"url", "title", "selection", "folder", "timestamp"})


def looks_like_instapaper(text: str) -> bool:
    return set(header_of(text)) >= CSV_COLUMNS


def read_csv(data: bytes) -> Parsed:
    return read_items(data, Parsed("instapaper"), _item)


def _item(row: dict[str, str], url: str, where: str) -> ImportItem:
    folder = (row.get("folder") or "").strip()
    archived = folder.lower() == "archive"
    tags = list(_tags(row.get("tags") or ""))
    if folder and folder.lower() not in {"unread", "archive"}:
        tags.insert(0, folder)
    selection = (row.get("selection") or "").strip()
    return ImportItem(
        url=url, title=(row.get("title") or "").strip(), tags=tag_list(tags),
        saved=iso_time(row.get("timestamp")), read=archived, archived=archived,
        notes=(ImportedNote(selection),) if selection else (), where=where)


def _tags(cell: str) -> tuple[str, ...]:
    cell = cell.strip()
    if not cell:
        return ()
    if cell.startswith("["):
        try:
            return tag_list(json.loads(cell))
        except ValueError:
            pass
    return tag_list(cell.split(","))
