"""Instapaper's CSV export: ``URL,Title,Selection,Folder,Timestamp`` (newer files add a
``Tags`` column holding a JSON list).

``Folder`` is ``Unread``, ``Archive``, ``Starred`` or a folder of the user's: the archive
marks the item read and archived, any other folder but Unread becomes a tag. ``Selection``
is the text the user had selected when saving; it becomes a highlight where it is found
in the article once the article is fetched (Instapaper exports no article text).
"""

from __future__ import annotations

import json

from reader.library.importers.csvrows import decode_csv, header_of, rows
from reader.library.importers.items import (
    ImportedNote,
    ImportItem,
    Parsed,
    TooManyItemsError,
    iso_time,
    tag_list,
    url_problem,
    web_url,
)

CSV_COLUMNS = frozenset({"url", "title", "selection", "folder", "timestamp"})


def looks_like_instapaper(text: str) -> bool:
    return set(header_of(text)) >= CSV_COLUMNS


def read_csv(data: bytes) -> Parsed:
    parsed = Parsed("instapaper")
    problems: list[str] = []
    try:
        for number, row in rows(decode_csv(data), problems):
            where = f"row {number}"
            url = web_url(row.get("url"))
            if url is None:
                parsed.skip(where, url_problem(row.get("url")))
                continue
            folder = (row.get("folder") or "").strip()
            archived = folder.lower() == "archive"
            tags = list(_tags(row.get("tags") or ""))
            if folder and folder.lower() not in {"unread", "archive"}:
                tags.insert(0, folder)
            selection = (row.get("selection") or "").strip()
            parsed.add(ImportItem(
                url=url, title=(row.get("title") or "").strip(), tags=tag_list(tags),
                saved=iso_time(row.get("timestamp")), read=archived, archived=archived,
                notes=(ImportedNote(selection),) if selection else (), where=where))
    except TooManyItemsError:
        pass
    parsed.problems.extend(problems)
    return parsed


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
