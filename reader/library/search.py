"""Finding things across the library: full-text search (FTS5) and the cross-library
questions (which saved articles name this entity, what has this person said elsewhere).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from reader.analysis import identity
from reader.errors import StoreError
from reader.library.db import select as _rows
from reader.library.store import SUMMARY_COLUMNS, ArticleSummary, name_key, summary_from_row
from reader.models import clean_strings

SEARCH_LIMIT = 50
_SEARCH_TERM = re.compile(r'(?:(\w+):)?(?:"([^"]*)"?|(\S+))')
_WORD = re.compile(r"\w+")
# Snippet markers: control characters cannot occur in stored text (textutil removes them).
_MARK_OPEN, _MARK_CLOSE = "\x02", "\x03"
# Aliases a user may type before a colon in a search ("tag:climate", "speaker:Obama").
SEARCH_COLUMNS = {
    "title": "title", "text": "text", "quote": "quotes", "quotes": "quotes",
    "speaker": "speakers", "speakers": "speakers", "entity": "entities",
    "entities": "entities", "note": "notes", "notes": "notes", "tag": "tags", "tags": "tags",
}


@dataclass(frozen=True)
class SearchHit:
    summary: ArticleSummary
    snippet: str                                   # plain text, no markup
    marks: tuple[tuple[int, int], ...] = ()        # matched spans within ``snippet``

    def __post_init__(self) -> None:
        clean_strings(self)


@dataclass(frozen=True)
class EntityHit:
    """A saved article naming an entity (the TUI's ``i`` on an entity)."""

    summary: ArticleSummary
    entity: str
    label: str
    mentions: int

    def __post_init__(self) -> None:
        clean_strings(self)


@dataclass(frozen=True)
class QuoteHit:
    """A quote by a speaker in some saved article (the TUI's ``i`` on a speaker)."""

    article_id: int
    title: str
    saved: str
    speaker: str | None
    text: str
    start: int
    end: int

    def __post_init__(self) -> None:
        clean_strings(self)

    def to_dict(self) -> dict[str, Any]:
        return {"article_id": self.article_id, "title": self.title, "saved": self.saved,
                "speaker": self.speaker, "text": self.text, "start": self.start,
                "end": self.end}


# ------------------------------------------------------------------------ search


def fts_query(query: str) -> str:
    """Turn what a person typed into an FTS5 query that cannot be a syntax error.

    Words are ANDed; ``"two words"`` is a phrase; ``word*`` a prefix; ``OR`` between
    terms widens; ``tag:climate`` / ``speaker:"Jane Doe"`` search one field. Everything
    else (quotes, brackets, dashes) is treated as text, never as FTS syntax.
    """
    parts: list[str] = []
    for match in _SEARCH_TERM.finditer(query):
        column = SEARCH_COLUMNS.get((match.group(1) or "").lower())
        raw = match.group(2) if match.group(2) is not None else match.group(3) or ""
        if match.group(1) and column is None:
            raw = f"{match.group(1)} {raw}"
        if raw == "OR" and match.group(3) is not None and parts and parts[-1] != "OR":
            parts.append("OR")
            continue
        words = _WORD.findall(raw)
        if not words:
            continue
        phrase = '"' + " ".join(words) + '"'
        if match.group(3) is not None and raw.endswith("*") and len(words) == 1:
            phrase += " *"
        parts.append(f"{column} : {phrase}" if column else phrase)
    while parts and parts[-1] == "OR":
        parts.pop()
    if not parts:
        raise StoreError("the search has no words to look for")
    return " ".join(parts)


def search(db: sqlite3.Connection, query: str, *, limit: int = SEARCH_LIMIT) -> list[SearchHit]:
    """Articles matching ``query`` best first, each with a snippet around the match."""
    match = fts_query(query)
    ranked = _rows(db, "SELECT rowid FROM saved_fts WHERE saved_fts MATCH ?"
                   " ORDER BY rank LIMIT ?", (match, limit))
    ids = [int(r[0]) for r in ranked]
    if not ids:
        return []
    marks = ", ".join("?" * len(ids))
    snippets = {int(r[0]): r[1] for r in _rows(
        db, f"SELECT rowid, snippet(saved_fts, -1, char(2), char(3), '…', 16)"
            f" FROM saved_fts WHERE saved_fts MATCH ? AND rowid IN ({marks})",
        (match, *ids))}
    summaries = {s.id: s for s in _summaries(db, ids)}
    hits = []
    for article_id in ids:
        if article_id in summaries:
            text, spans = _split_marks(snippets.get(article_id) or "")
            hits.append(SearchHit(summaries[article_id], text, spans))
    return hits


def _summaries(db: sqlite3.Connection, ids: Sequence[int]) -> list[ArticleSummary]:
    marks = ", ".join("?" * len(ids))
    return [summary_from_row(r) for r in _rows(db, SUMMARY_COLUMNS + f" WHERE a.id IN ({marks})",
                                       ids)]


def _split_marks(snippet: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Plain snippet text plus the matched spans, for styling by offsets (never markup)."""
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    length, opened = 0, -1
    for char in snippet:
        if char.isspace():
            if out and out[-1] == " ":
                continue
            char = " "
        if char == _MARK_OPEN:
            opened = length
        elif char == _MARK_CLOSE:
            if opened >= 0:
                spans.append((opened, length))
            opened = -1
        else:
            out.append(char)
            length += 1
    return "".join(out), tuple(spans)


# ------------------------------------------------------------- across the library


def articles_mentioning(db: sqlite3.Connection, names: str | Iterable[str], *,
                        label: str | None = None, exclude: int | None = None,
                        limit: int = 200) -> list[EntityHit]:
    """Saved articles that name an entity by any of ``names``, newest first.

    Pass the entity's canonical name and its mention forms ("Joe Biden", "Biden") to find
    articles whatever they call it; matching ignores case.
    """
    keys = _keys(names)
    if not keys:
        return []
    marks = ", ".join("?" * len(keys))
    params: list[object] = list(keys)
    extra = ""
    if label is not None:
        extra += " AND n.label = ?"
        params.append(label)
    if exclude is not None:
        extra += " AND n.article_id != ?"
        params.append(exclude)
    rows = _rows(db, f"SELECT n.article_id, n.entity, n.label, max(n.mentions) AS mentions"
                     f" FROM saved_names n JOIN saved_articles a ON a.id = n.article_id"
                     f" WHERE n.name_key IN ({marks}){extra}"
                     f" GROUP BY n.article_id ORDER BY a.saved DESC, a.id DESC LIMIT ?",
                 (*params, limit))
    summaries = {s.id: s for s in _summaries(db, [r["article_id"] for r in rows])} \
        if rows else {}
    return [EntityHit(summaries[r["article_id"]], r["entity"], r["label"], r["mentions"])
            for r in rows if r["article_id"] in summaries]


def quotes_by_speaker(db: sqlite3.Connection, names: str | Iterable[str], *,
                      exclude: int | None = None, limit: int = 500) -> list[QuoteHit]:
    """Every saved quote attributed to a speaker named by any of ``names``, or by any
    form of the same entity ("Okafor" finds the quotes of "Chidi Okafor")."""
    keys = _keys(names)
    if not keys:
        return []
    keys = sorted(set(keys) | _entity_keys(db, keys))
    marks = ", ".join("?" * len(keys))
    extra = ""
    params: list[object] = [*keys, *keys]
    if exclude is not None:
        extra = " AND q.article_id != ?"
        params.append(exclude)
    rows = _rows(db, f"SELECT q.article_id, a.title, a.saved, q.speaker, q.text, q.start,"
                     f" q.\"end\" FROM saved_quotes q JOIN saved_articles a ON a.id = q.article_id"
                     f" WHERE (q.speaker_key IN ({marks}) OR q.entity_key IN ({marks})){extra}"
                     f" ORDER BY a.saved DESC, a.id DESC, q.position LIMIT ?",
                 (*params, limit))
    return [QuoteHit(article_id=r["article_id"], title=r["title"], saved=r["saved"],
                     speaker=r["speaker"], text=r["text"], start=r["start"], end=r["end"])
            for r in rows]


def _keys(names: str | Iterable[str]) -> list[str]:
    values = [names] if isinstance(names, str) else list(names)
    keys = {name_key(v) for v in values} | {k for v in values for k in identity.query_keys(v)}
    return sorted(k for k in keys if k)


def _entity_keys(db: sqlite3.Connection, keys: Sequence[str]) -> set[str]:
    """The canonical names of the saved entities that ``keys`` find."""
    marks = ", ".join("?" * len(keys))
    rows = _rows(db, f"SELECT DISTINCT entity FROM saved_names WHERE name_key IN ({marks})",
                 keys)
    return {name_key(r["entity"]) for r in rows}
