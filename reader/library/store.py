"""The library of saved articles: what the reader keeps, marks and searches later.

It lives in the same SQLite file as the feeds (:mod:`reader.library.db` opens it: WAL, busy
timeout, foreign keys, schema migrations, foreign files refused). Every function here is
blocking and takes the connection first, so the TUI calls them from a thread worker
(``@work(thread=True)``) and the CLI calls them directly; they return frozen dataclasses
that can be handed to the UI thread as they are, and fail with a one-line
:class:`StoreError`.

What one saved article keeps:

* the metadata in columns (listing the library never reads the text);
* the clean text, its blocks and links (``article_json``) and the analysis
  (``analysis_json``: entities, quotes, facts), so it opens without spaCy;
* the page it came from, zlib-compressed, so a better extractor can re-read it later;
* the reader's highlights with their notes, and tags. Highlights are stored by offsets
  *and* by their text with some context (:mod:`reader.library.anchors`), because saving the same
  URL again replaces the text and the offsets must be found anew;
* rows for the cross-library questions (which articles name this entity, what has this
  person said elsewhere) and an FTS5 index for search.

Each save is one transaction: a process killed half-way leaves the article fully saved
or absent, never a text without its index.

For the TUI, from a thread worker: ``with store.opened(path) as db:`` (cheap: one file
open and a schema check) around one of ``save`` / ``get`` / ``list_articles`` /
``search`` / ``add_highlight`` / ``edit_highlight`` / ``delete_highlight`` /
``add_tags`` / ``remove_tags`` / ``articles_mentioning`` / ``quotes_by_speaker`` /
``delete``, then ``post_message`` the result. A long-lived connection also works if only
one worker group uses it at a time (``exclusive=True``).
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import zlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from reader.analysis import identity
from reader.errors import StoreError
from reader.library import db as database
from reader.library.anchors import Anchor, make_anchor, relocate
from reader.library.diff import ArticleDiff, diff_saved
from reader.library.export import ExportMeta
from reader.models import (
    Annotated,
    Article,
    Entity,
    Fact,
    Highlight,
    Quote,
    clean_strings,
    now_iso,
)

LIST_PAGE_SIZE = 100
# Separates values packed into one column by group_concat (never in a tag).
_UNIT = "\x1f"
_TRACKING_PARAMS = re.compile(r"^(utm_\w+|fbclid|gclid|dclid|mc_cid|mc_eid|igshid|_ga|ocid)$",
                              re.IGNORECASE)

# ------------------------------------------------------------------------ results


@dataclass(frozen=True)
class ArticleSummary:
    """One row of the library screen."""

    id: int
    title: str
    url: str | None
    site: str | None
    byline: str | None
    published: str | None
    word_count: int
    fetched: str | None
    saved: str
    updated: str
    tags: tuple[str, ...] = ()
    highlights: int = 0
    read: bool = False
    archived: bool = False
    link_only: bool = False
    """Imported as a link whose text has not been fetched yet (or could not be)."""

    def __post_init__(self) -> None:
        clean_strings(self)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "url": self.url, "site": self.site,
                "byline": self.byline, "published": self.published,
                "word_count": self.word_count, "fetched": self.fetched, "saved": self.saved,
                "updated": self.updated, "tags": list(self.tags),
                "highlights": self.highlights, "read": self.read,
                "archived": self.archived, "link_only": self.link_only}


@dataclass(frozen=True)
class LibraryPage:
    rows: tuple[ArticleSummary, ...]
    total: int
    offset: int = 0


@dataclass(frozen=True)
class SavedHighlight:
    """A highlight as stored: its offsets, the words it covers and their context."""

    id: int
    article_id: int
    start: int
    end: int
    text: str
    note: str
    created: str
    prefix: str = ""
    suffix: str = ""

    @property
    def anchor(self) -> Anchor:
        return Anchor(self.start, self.end, self.text, self.prefix, self.suffix)

    def to_highlight(self) -> Highlight:
        return Highlight(start=self.start, end=self.end, note=self.note, created=self.created)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "start": self.start, "end": self.end, "text": self.text,
                "note": self.note, "created": self.created, "prefix": self.prefix,
                "suffix": self.suffix}


@dataclass(frozen=True)
class SavedArticle:
    """A saved article with everything the reader added to it."""

    summary: ArticleSummary
    annotated: Annotated          # its ``highlights`` mirror ``highlights`` below
    highlights: tuple[SavedHighlight, ...] = ()
    has_source: bool = False

    @property
    def id(self) -> int:
        return self.summary.id

    @property
    def tags(self) -> tuple[str, ...]:
        return self.summary.tags

    def export_meta(self) -> ExportMeta:
        """What an export adds to the analysis: saved and fetched times, tags."""
        return ExportMeta(saved=self.summary.saved, fetched=self.summary.fetched,
                          tags=self.tags)


@dataclass(frozen=True)
class LostHighlight:
    """A highlight that could not be found in the new text (reported, then dropped)."""

    text: str
    note: str
    created: str




@dataclass(frozen=True)
class SaveResult:
    id: int
    created: bool                      # False: an article with that URL was updated
    diff: ArticleDiff | None = None    # against the previous version, when updated
    lost: tuple[LostHighlight, ...] = ()








@dataclass(frozen=True)
class _Prepared:
    """Everything about an article that can be computed before taking the write lock."""

    url_key: str
    annotated: Annotated
    article_json: str
    analysis_json: str
    source: bytes | None
    source_type: str | None
    fetched: str | None
    fts_quotes: str
    fts_speakers: str
    fts_entities: str
    names: list[tuple[str, str, str, int]] = field(default_factory=list)
    quotes: list[tuple[int, str | None, str | None, str | None, str, int, int]] = \
        field(default_factory=list)


# --------------------------------------------------------------------- connections


@contextmanager
def opened(path: Path | str | None = None) -> Iterator[sqlite3.Connection]:
    """A connection for one unit of work (a CLI command, one thread-worker job)."""
    connection = database.connect(path)
    try:
        yield connection
    finally:
        connection.close()


@contextmanager
def _reading(action: str) -> Iterator[None]:
    try:
        yield
    except sqlite3.Error as error:
        raise StoreError(f"could not {action}: {error}") from None


@contextmanager
def _writing(db: sqlite3.Connection, action: str) -> Iterator[sqlite3.Connection]:
    """One transaction taken with the write lock up front; SQLite errors become one line."""
    try:
        with database.transaction(db):
            yield db
    except sqlite3.Error as error:
        raise StoreError(f"could not {action}: {error}") from None


def _rows(db: sqlite3.Connection, sql: str, params: Sequence[object] = ()) -> list[sqlite3.Row]:
    return database.select(db, sql, params)


# ------------------------------------------------------------------------ keys


def canonical_url(url: str) -> str:
    """The key two URLs of the same article share: no scheme, fragment or tracking tags."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in {"http", "https"}:
        return url.strip()
    host = (parts.hostname or "").lower().removeprefix("www.")
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                       if not _TRACKING_PARAMS.match(k)])
    path = parts.path.rstrip("/") or "/"
    return f"//{netloc}{path}" + (f"?{query}" if query else "")


def _url_key(article: Article) -> str:
    """Articles without a URL (pasted text) are recognised by their text instead."""
    if article.url:
        return canonical_url(article.url)
    digest = hashlib.sha256(article.text.encode("utf-8", "surrogatepass")).hexdigest()
    return f"text:{digest[:32]}"


def name_key(name: str) -> str:
    return " ".join(name.casefold().split())


_TAG_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def normalise_tag(tag: str) -> str:
    """Tags are compared and shown lower-case, without spaces (Obsidian refuses them)."""
    visible = _TAG_CONTROL.sub("", tag)  # a tag is a name: controls are dropped
    cleaned = "-".join(visible.strip().lstrip("#").lower().replace(_UNIT, " ").split())
    if not cleaned:
        raise StoreError(f"not a usable tag: {tag!r}")
    return cleaned


# ------------------------------------------------------------------------ saving


def save(db: sqlite3.Connection, annotated: Annotated, *, source: bytes | None = None,
         source_type: str | None = None, fetched: str | None = None,
         tags: Iterable[str] = (), now: str | None = None,
         saved: str | None = None) -> SaveResult:
    """Save an analysed article, or update the saved one with the same canonical URL.

    An update replaces the text and analysis but keeps the reader's highlights (moved to
    their words in the new text, see :mod:`reader.library.anchors`), notes and tags; highlights
    whose words are gone come back in ``SaveResult.lost``. Highlights carried by
    ``annotated`` (made before saving, or imported) are added. ``saved`` backdates a new
    article's saved time (an import keeps the time it was first saved).
    """
    prepared = _prepare(annotated, source, source_type, fetched)
    tag_list = [normalise_tag(t) for t in tags]
    moment = now or now_iso()
    diff: ArticleDiff | None = None
    lost: tuple[LostHighlight, ...] = ()
    with _writing(db, "save the article"):
        row = db.execute("SELECT id FROM saved_articles WHERE url_key = ?",
                         (prepared.url_key,)).fetchone()
        if row is None:
            article_id = _insert_article(db, prepared, saved or moment, moment)
        else:
            article_id = int(row[0])
            diff, lost = _replace_article(db, article_id, prepared, moment)
            # An imported link now has its text: it is not fetched again (its waiting
            # highlights are anchored by the next ``reader import --fetch``).
            db.execute("UPDATE import_fetches SET state = 'fetched', error = NULL"
                       " WHERE article_id = ? AND state IN ('pending', 'failed')",
                       (article_id,))
        _add_highlights(db, article_id, annotated.article.text, annotated.highlights, moment)
        _insert_tags(db, article_id, tag_list)
        _write_search_row(db, article_id, prepared)
    return SaveResult(id=article_id, created=row is None, diff=diff, lost=lost)


def _prepare(annotated: Annotated, source: bytes | None, source_type: str | None,
             fetched: str | None) -> _Prepared:
    article = annotated.article
    article_data = article.to_dict()
    del article_data["text"]
    analysis = {"entities": [e.to_dict() for e in annotated.entities],
                "quotes": [q.to_dict() for q in annotated.quotes],
                "facts": [f.to_dict() for f in annotated.facts]}
    entity_names = {e.id: e.name for e in annotated.entities}
    speakers: list[str] = []
    for quote in annotated.quotes:
        for who in (quote.speaker, entity_names.get(quote.speaker_entity or "")):
            if who and who not in speakers:
                speakers.append(who)
    return _Prepared(
        url_key=_url_key(article),
        annotated=annotated,
        article_json=_compact_json(article_data),
        analysis_json=_compact_json(analysis),
        source=zlib.compress(source, 6) if source is not None else None,
        source_type=source_type,
        fetched=fetched,
        fts_quotes="\n".join(q.text for q in annotated.quotes),
        fts_speakers="\n".join(speakers),
        fts_entities="\n".join(_entity_forms_text(annotated.entities)),
        names=_name_rows(annotated.entities),
        quotes=_quote_rows(annotated.quotes, entity_names),
    )


def _compact_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _entity_forms(entity: Entity) -> list[str]:
    forms = [entity.name]
    for mention in entity.mentions:
        if mention.text not in forms:
            forms.append(mention.text)
    return forms


def _entity_forms_text(entities: Iterable[Entity]) -> Iterator[str]:
    for entity in entities:
        yield " | ".join(_entity_forms(entity))


def _name_rows(entities: Iterable[Entity]) -> list[tuple[str, str, str, int]]:
    """Lookup rows: every key the entity is found by (its forms, surname, short forms)."""
    rows: dict[tuple[str, str, str], int] = {}
    for entity in entities:
        forms = _entity_forms(entity)
        for key_text in {name_key(f) for f in forms} | \
                identity.lookup_keys(entity.name, entity.label, forms):
            key = (key_text, entity.name, entity.label)
            if key[0]:
                rows[key] = max(rows.get(key, 0), len(entity.mentions))
    return [(k, name, label, count) for (k, name, label), count in rows.items()]


def _quote_rows(quotes: Iterable[Quote], entity_names: dict[str, str]
                ) -> list[tuple[int, str | None, str | None, str | None, str, int, int]]:
    rows = []
    for position, quote in enumerate(quotes):
        entity = entity_names.get(quote.speaker_entity or "")
        rows.append((position, quote.speaker,
                     name_key(quote.speaker) if quote.speaker else None,
                     name_key(entity) if entity else None,
                     quote.text, quote.start, quote.end))
    return rows


def _insert_article(db: sqlite3.Connection, prepared: _Prepared, saved: str,
                    moment: str) -> int:
    article = prepared.annotated.article
    cursor = db.execute(
        "INSERT INTO saved_articles (url_key, url, title, byline, published, site, word_count,"
        " fetched, saved, updated, source_type, text, article_json, analysis_json, source)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (prepared.url_key, article.url, article.title, article.byline, article.published,
         article.site, article.word_count, prepared.fetched, saved, moment,
         prepared.source_type, article.text, prepared.article_json, prepared.analysis_json,
         prepared.source))
    article_id = int(cursor.lastrowid or 0)
    _insert_lookup_rows(db, article_id, prepared)
    return article_id


def _replace_article(db: sqlite3.Connection, article_id: int, prepared: _Prepared,
                     moment: str) -> tuple[ArticleDiff, tuple[LostHighlight, ...]]:
    old = _load_annotated(db, article_id, highlights=())
    new = prepared.annotated
    lost = _reanchor_highlights(db, article_id, new.article.text)
    article = new.article
    db.execute(
        "UPDATE saved_articles SET url = ?, title = ?, byline = ?, published = ?, site = ?,"
        " word_count = ?, fetched = coalesce(?, fetched), updated = ?,"
        " source_type = CASE WHEN ? THEN ? ELSE source_type END,"
        " text = ?, article_json = ?, analysis_json = ?, source = coalesce(?, source)"
        " WHERE id = ?",
        (article.url, article.title, article.byline, article.published, article.site,
         article.word_count, prepared.fetched, moment, prepared.source is not None,
         prepared.source_type,
         article.text, prepared.article_json, prepared.analysis_json, prepared.source,
         article_id))
    db.execute("DELETE FROM saved_names WHERE article_id = ?", (article_id,))
    db.execute("DELETE FROM saved_quotes WHERE article_id = ?", (article_id,))
    _insert_lookup_rows(db, article_id, prepared)
    return diff_saved(old, new), lost


def _insert_lookup_rows(db: sqlite3.Connection, article_id: int, prepared: _Prepared) -> None:
    db.executemany(
        "INSERT INTO saved_names (name_key, article_id, entity, label, mentions)"
        " VALUES (?, ?, ?, ?, ?)",
        [(key, article_id, name, label, count) for key, name, label, count in prepared.names])
    db.executemany(
        "INSERT INTO saved_quotes (article_id, position, speaker, speaker_key, entity_key,"
        " text, start, \"end\") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(article_id, *row) for row in prepared.quotes])


def _reanchor_highlights(db: sqlite3.Connection, article_id: int, text: str
                         ) -> tuple[LostHighlight, ...]:
    """Move every stored highlight to its words in ``text``; drop the ones not found."""
    lost: list[LostHighlight] = []
    for saved in _highlights(db, article_id):
        placement = relocate(saved.anchor, text)
        if placement is None:
            db.execute("DELETE FROM saved_highlights WHERE id = ?", (saved.id,))
            lost.append(LostHighlight(saved.text, saved.note, saved.created))
            continue
        anchor = make_anchor(text, placement.start, placement.end)
        db.execute("UPDATE saved_highlights SET start = ?, \"end\" = ?, quote = ?, prefix = ?,"
                   " suffix = ? WHERE id = ?",
                   (anchor.start, anchor.end, anchor.text, anchor.prefix, anchor.suffix,
                    saved.id))
    return tuple(lost)


def _add_highlights(db: sqlite3.Connection, article_id: int, text: str,
                    highlights: Iterable[Highlight], moment: str) -> None:
    existing = {(h.start, h.end) for h in _highlights(db, article_id)}
    for highlight in highlights:
        if (highlight.start, highlight.end) in existing:
            continue
        _insert_highlight(db, article_id, text, highlight.start, highlight.end,
                          highlight.note, highlight.created or moment)
        existing.add((highlight.start, highlight.end))


def _insert_highlight(db: sqlite3.Connection, article_id: int, text: str, start: int,
                      end: int, note: str, created: str) -> int:
    try:
        anchor = make_anchor(text, start, end)
    except ValueError as error:
        raise StoreError(f"cannot highlight: {error}") from None
    cursor = db.execute(
        "INSERT INTO saved_highlights (article_id, start, \"end\", quote, prefix, suffix, note,"
        " created) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (article_id, anchor.start, anchor.end, anchor.text, anchor.prefix, anchor.suffix,
         note, created))
    return int(cursor.lastrowid or 0)


def _insert_tags(db: sqlite3.Connection, article_id: int, tags: Iterable[str]) -> None:
    db.executemany("INSERT OR IGNORE INTO saved_tags (article_id, tag) VALUES (?, ?)",
                   [(article_id, tag) for tag in tags])


def _write_search_row(db: sqlite3.Connection, article_id: int, prepared: _Prepared) -> None:
    article = prepared.annotated.article
    notes, tags = _notes_and_tags_text(db, article_id)
    db.execute("DELETE FROM saved_fts WHERE rowid = ?", (article_id,))
    db.execute(
        "INSERT INTO saved_fts (rowid, title, text, quotes, speakers, entities, notes, tags)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (article_id, article.title, article.text, prepared.fts_quotes, prepared.fts_speakers,
         prepared.fts_entities, notes, tags))


def _notes_and_tags_text(db: sqlite3.Connection, article_id: int) -> tuple[str, str]:
    notes = db.execute("SELECT group_concat(note, char(10)) FROM saved_highlights"
                       " WHERE article_id = ? AND note != ''", (article_id,)).fetchone()[0]
    tags = db.execute("SELECT group_concat(tag, ' ') FROM saved_tags WHERE article_id = ?",
                      (article_id,)).fetchone()[0]
    return notes or "", tags or ""


def _refresh_search_notes(db: sqlite3.Connection, article_id: int) -> None:
    """Notes and tags changed: only those two columns of the index need new values."""
    notes, tags = _notes_and_tags_text(db, article_id)
    db.execute("UPDATE saved_fts SET notes = ?, tags = ? WHERE rowid = ?",
               (notes, tags, article_id))


# ------------------------------------------------------------------------ reading

SUMMARY_COLUMNS = """
    SELECT a.id, a.title, a.url, a.site, a.byline, a.published, a.word_count, a.fetched,
           a.saved, a.updated,
           (SELECT group_concat(tag, char(31)) FROM
               (SELECT tag FROM saved_tags t WHERE t.article_id = a.id ORDER BY tag)) AS tags,
           (SELECT count(*) FROM saved_highlights h WHERE h.article_id = a.id) AS highlights,
           a.is_read, a.is_archived,
           EXISTS (SELECT 1 FROM import_fetches f WHERE f.article_id = a.id
                   AND f.state IN ('pending', 'failed')) AS link_only
    FROM saved_articles a
"""
_NEWEST_FIRST = " ORDER BY a.saved DESC, a.id DESC"


def summary_from_row(row: sqlite3.Row) -> ArticleSummary:
    tags = tuple(row["tags"].split(_UNIT)) if row["tags"] else ()
    return ArticleSummary(
        id=row["id"], title=row["title"], url=row["url"], site=row["site"],
        byline=row["byline"], published=row["published"], word_count=row["word_count"],
        fetched=row["fetched"], saved=row["saved"], updated=row["updated"], tags=tags,
        highlights=row["highlights"], read=bool(row["is_read"]),
        archived=bool(row["is_archived"]), link_only=bool(row["link_only"]))


def list_articles(db: sqlite3.Connection, *, limit: int = LIST_PAGE_SIZE, offset: int = 0,
                  tag: str | None = None) -> LibraryPage:
    """One page of the library, newest first, and how many articles there are in all."""
    if tag is None:
        rows = _rows(db, SUMMARY_COLUMNS + _NEWEST_FIRST + " LIMIT ? OFFSET ?",
                     (limit, offset))
        total = _rows(db, "SELECT count(*) FROM saved_articles")[0][0]
    else:
        wanted = normalise_tag(tag)
        where = " WHERE a.id IN (SELECT article_id FROM saved_tags WHERE tag = ?)"
        rows = _rows(db, SUMMARY_COLUMNS + where + _NEWEST_FIRST + " LIMIT ? OFFSET ?",
                     (wanted, limit, offset))
        total = _rows(db, "SELECT count(*) FROM saved_tags WHERE tag = ?", (wanted,))[0][0]
    return LibraryPage(rows=tuple(summary_from_row(r) for r in rows), total=int(total),
                       offset=offset)


def all_ids(db: sqlite3.Connection) -> list[int]:
    """Every saved article, newest first (``reader export --all``)."""
    return [int(r[0]) for r in _rows(db, "SELECT id FROM saved_articles a" + _NEWEST_FIRST)]


def summary(db: sqlite3.Connection, article_id: int) -> ArticleSummary:
    rows = _rows(db, SUMMARY_COLUMNS + " WHERE a.id = ?", (article_id,))
    if not rows:
        raise StoreError(f"no saved article with id {article_id}")
    return summary_from_row(rows[0])


def find_by_url(db: sqlite3.Connection, url: str) -> int | None:
    """The id of the saved article at ``url`` (any variant of its canonical URL)."""
    rows = _rows(db, "SELECT id FROM saved_articles WHERE url_key = ?", (canonical_url(url),))
    return int(rows[0][0]) if rows else None


def get(db: sqlite3.Connection, article_id: int) -> SavedArticle:
    """A saved article ready to show: text, analysis, highlights, tags."""
    head = summary(db, article_id)
    saved_highlights = tuple(_highlights(db, article_id))
    annotated = _load_annotated(db, article_id,
                                highlights=tuple(h.to_highlight() for h in saved_highlights))
    has_source = _rows(db, "SELECT source IS NOT NULL FROM saved_articles WHERE id = ?",
                       (article_id,))[0][0]
    return SavedArticle(summary=head, annotated=annotated, highlights=saved_highlights,
                        has_source=bool(has_source))


def _load_annotated(db: sqlite3.Connection, article_id: int,
                    highlights: tuple[Highlight, ...]) -> Annotated:
    rows = _rows(db, "SELECT text, article_json, analysis_json FROM saved_articles WHERE id = ?",
                 (article_id,))
    if not rows:
        raise StoreError(f"no saved article with id {article_id}")
    try:
        article_data = json.loads(rows[0]["article_json"])
        article_data["text"] = rows[0]["text"]
        analysis = json.loads(rows[0]["analysis_json"])
        return Annotated(
            article=Article.from_dict(article_data),
            entities=tuple(Entity.from_dict(e) for e in analysis.get("entities", [])),
            quotes=tuple(Quote.from_dict(q) for q in analysis.get("quotes", [])),
            facts=tuple(Fact.from_dict(f) for f in analysis.get("facts", [])),
            highlights=highlights)
    except (ValueError, KeyError, TypeError) as error:
        raise StoreError(f"saved article {article_id} is damaged ({error})") from None


def source_of(db: sqlite3.Connection, article_id: int) -> tuple[bytes, str | None] | None:
    """The page the article was extracted from, for re-extraction; None if not kept."""
    rows = _rows(db, "SELECT source, source_type FROM saved_articles WHERE id = ?", (article_id,))
    if not rows:
        raise StoreError(f"no saved article with id {article_id}")
    if rows[0]["source"] is None:
        return None
    try:
        return zlib.decompress(rows[0]["source"]), rows[0]["source_type"]
    except zlib.error as error:
        raise StoreError(f"the saved page of article {article_id} is damaged ({error})") \
            from None


def reextract(db: sqlite3.Connection, article_id: int) -> Article:
    """Extract the stored page again (after the extractor improved); nothing is saved."""
    from reader.sources import article_from_page

    stored = source_of(db, article_id)
    if stored is None:
        raise StoreError(f"saved article {article_id} has no stored page to extract again")
    url = summary(db, article_id).url or ""
    return article_from_page(stored[0], stored[1] or "", url)


def delete(db: sqlite3.Connection, article_id: int) -> None:
    """Remove an article with its highlights, tags and index entries."""
    with _writing(db, "delete the article"):
        cursor = db.execute("DELETE FROM saved_articles WHERE id = ?", (article_id,))
        if cursor.rowcount == 0:
            raise StoreError(f"no saved article with id {article_id}")
        db.execute("DELETE FROM saved_fts WHERE rowid = ?", (article_id,))


# ------------------------------------------------------------------- highlights, tags


def _highlights(db: sqlite3.Connection, article_id: int) -> list[SavedHighlight]:
    rows = _rows(db, "SELECT id, article_id, start, \"end\", quote, note, created, prefix,"
                 " suffix FROM saved_highlights WHERE article_id = ? ORDER BY start, \"end\", id",
                 (article_id,))
    return [SavedHighlight(id=r["id"], article_id=r["article_id"], start=r["start"],
                           end=r["end"], text=r["quote"], note=r["note"],
                           created=r["created"], prefix=r["prefix"], suffix=r["suffix"])
            for r in rows]


def highlights(db: sqlite3.Connection, article_id: int) -> list[SavedHighlight]:
    """The article's highlights in reading order."""
    summary(db, article_id)
    return _highlights(db, article_id)


def _highlight(db: sqlite3.Connection, highlight_id: int) -> SavedHighlight:
    rows = _rows(db, "SELECT article_id FROM saved_highlights WHERE id = ?", (highlight_id,))
    if not rows:
        raise StoreError(f"no highlight with id {highlight_id}")
    return next(h for h in _highlights(db, rows[0][0]) if h.id == highlight_id)


def _article_text(db: sqlite3.Connection, article_id: int) -> str:
    rows = db.execute("SELECT text FROM saved_articles WHERE id = ?", (article_id,)).fetchall()
    if not rows:
        raise StoreError(f"no saved article with id {article_id}")
    return str(rows[0][0])


def add_highlight(db: sqlite3.Connection, article_id: int, start: int, end: int,
                  note: str = "", *, created: str | None = None) -> SavedHighlight:
    """Mark ``text[start:end]`` of a saved article, optionally with a note."""
    with _writing(db, "save the highlight"):
        text = _article_text(db, article_id)
        highlight_id = _insert_highlight(db, article_id, text, start, end, note,
                                         created or now_iso())
        if note:
            _refresh_search_notes(db, article_id)
    return _highlight(db, highlight_id)


def edit_highlight(db: sqlite3.Connection, highlight_id: int, *, note: str | None = None,
                   start: int | None = None, end: int | None = None) -> SavedHighlight:
    """Change a highlight's note or its extent (the anchor text follows the extent)."""
    current = _highlight(db, highlight_id)
    with _writing(db, "change the highlight"):
        text = _article_text(db, current.article_id)
        try:
            anchor = make_anchor(text, current.start if start is None else start,
                                 current.end if end is None else end)
        except ValueError as error:
            raise StoreError(f"cannot highlight: {error}") from None
        db.execute("UPDATE saved_highlights SET start = ?, \"end\" = ?, quote = ?, prefix = ?,"
                   " suffix = ?, note = ? WHERE id = ?",
                   (anchor.start, anchor.end, anchor.text, anchor.prefix, anchor.suffix,
                    current.note if note is None else note, highlight_id))
        _refresh_search_notes(db, current.article_id)
    return _highlight(db, highlight_id)


def delete_highlight(db: sqlite3.Connection, highlight_id: int) -> None:
    current = _highlight(db, highlight_id)
    with _writing(db, "delete the highlight"):
        db.execute("DELETE FROM saved_highlights WHERE id = ?", (highlight_id,))
        _refresh_search_notes(db, current.article_id)


def add_tags(db: sqlite3.Connection, article_id: int, tags: Iterable[str]) -> tuple[str, ...]:
    """Tag an article; returns all its tags."""
    cleaned = [normalise_tag(t) for t in tags]
    with _writing(db, "tag the article"):
        _article_text_exists(db, article_id)
        _insert_tags(db, article_id, cleaned)
        _refresh_search_notes(db, article_id)
    return summary(db, article_id).tags


def remove_tags(db: sqlite3.Connection, article_id: int, tags: Iterable[str]
                ) -> tuple[str, ...]:
    """Untag an article (unknown tags are ignored); returns the tags left."""
    cleaned = [normalise_tag(t) for t in tags]
    with _writing(db, "untag the article"):
        _article_text_exists(db, article_id)
        db.executemany("DELETE FROM saved_tags WHERE article_id = ? AND tag = ?",
                       [(article_id, tag) for tag in cleaned])
        _refresh_search_notes(db, article_id)
    return summary(db, article_id).tags


def _article_text_exists(db: sqlite3.Connection, article_id: int) -> None:
    if db.execute("SELECT 1 FROM saved_articles WHERE id = ?", (article_id,)).fetchone() is None:
        raise StoreError(f"no saved article with id {article_id}")


def set_state(db: sqlite3.Connection, article_id: int, *, read: bool | None = None,
              archived: bool | None = None) -> ArticleSummary:
    """Mark an article read or unread, archived or not (None leaves that flag alone)."""
    with _writing(db, "change the article's state"):
        _article_text_exists(db, article_id)
        if read is not None:
            db.execute("UPDATE saved_articles SET is_read = ? WHERE id = ?",
                       (int(read), article_id))
        if archived is not None:
            db.execute("UPDATE saved_articles SET is_archived = ? WHERE id = ?",
                       (int(archived), article_id))
    return summary(db, article_id)


def merge_tags(db: sqlite3.Connection, article_id: int, tags: Iterable[str]) -> None:
    """Add already-normalised tags (an import merging into a saved article)."""
    with _writing(db, "tag the article"):
        _insert_tags(db, article_id, tags)
        _refresh_search_notes(db, article_id)


def add_imported_highlights(db: sqlite3.Connection, article_id: int,
                            found: Iterable[Highlight]) -> None:
    """Highlights an import found in the text (skipping any already marked there)."""
    found = list(found)
    if not found:
        return
    with _writing(db, "save the highlights"):
        text = _article_text(db, article_id)
        _add_highlights(db, article_id, text, found, now_iso())
        _refresh_search_notes(db, article_id)


def all_tags(db: sqlite3.Connection) -> list[tuple[str, int]]:
    """Every tag in use with its number of articles, most used first."""
    rows = _rows(db, "SELECT tag, count(*) AS n FROM saved_tags GROUP BY tag"
                 " ORDER BY n DESC, tag")
    return [(r["tag"], int(r["n"])) for r in rows]
