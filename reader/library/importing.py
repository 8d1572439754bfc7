"""Bringing another service's export into the library (``reader import``, the library
screen's ``i``), and fetching the links it brought (``--fetch``, the progress bar).

One item, one article, keyed by canonical URL like every saved article: importing the
same file twice adds nothing, and the same URL in two exports is one article whose tags,
read and archived flags are merged (a flag set by either stays set; the earlier saved
date is kept). Where the export carries the article's content it is extracted and
analysed like a fetched page; where it carries only the URL, the article is saved as a
*link* (its title as text) and queued in ``import_fetches``.

Highlights come as quoted words: they are anchored in the text with
:func:`reader.library.anchors.relocate` (exact words, then a fuzzy match), and every one
is recorded in ``imported_notes``: ``anchored`` when it became a highlight, ``waiting``
until its link is fetched, ``unanchored`` when the words were not found (kept, never
dropped).

Fetching is resumable and never asks for a URL twice: a link is marked ``fetched`` in
the same transaction that stores its text (analysis follows, without the network), and
``failed`` with the reason when the fetch fails; only ``pending`` links are fetched.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from reader.errors import Cancelled, ReaderError
from reader.library import store
from reader.library.anchors import Anchor, Placement, relocate
from reader.library.db import transaction
from reader.library.importers.items import ImportedNote, ImportItem, Parsed
from reader.models import Annotated, Article, Highlight, now_iso

if TYPE_CHECKING:
    import httpx

    from reader.fetch import Cancel, FetchLimits

Analyse = Callable[[Sequence[Article]], Iterable[Annotated]]


def default_analyse(articles: Sequence[Article]) -> Iterable[Annotated]:
    from reader.analysis import annotate_many

    return annotate_many(articles)


@dataclass
class ImportReport:
    """What one file brought: counts for the summary line and the skipped rows."""

    format: str
    items: int = 0
    added: int = 0
    merged: int = 0
    links: int = 0
    """New articles saved as links, waiting for ``--fetch``."""
    highlights: int = 0
    anchored: int = 0
    waiting: int = 0
    problems: list[str] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)

    def summary(self, *, with_format: bool = False) -> str:
        from reader.library.importers import FORMAT_NAMES

        line = (f"{self.items} items: {self.added} new, {self.merged} already in the "
                f"library")
        if with_format:
            line = f"{FORMAT_NAMES.get(self.format, self.format)}, {line}"
        if self.links:
            line += f", {self.links} saved as {'a link' if self.links == 1 else 'links'} to fetch"
        if self.highlights:
            line += f"; {self.anchored} of {self.highlights} highlights anchored"
            if self.waiting:
                line += f" ({self.waiting} wait for their article's text)"
        if self.problems:
            line += f"; {len(self.problems)} skipped"
        return line


# ------------------------------------------------------------------------ importing

IMPORT_CAP = 50 * 1024 * 1024
"""An export of a whole library is a few MB; anything past this is not one."""


def import_data(db: sqlite3.Connection, data: bytes, name: str, *,
                tags: Sequence[str] = (), analyse: Analyse | None = None) -> ImportReport:
    """Recognise one file by its content and store what it holds (the TUI's import)."""
    from reader.library.importers import detect, read_export
    from reader.library.imports import read_json_export

    kind = detect(data, name)
    if kind != "reader":
        return import_parsed(db, read_export(data, name, kind), tags=tags, analyse=analyse)
    report = ImportReport("reader")
    items = read_json_export(data, what=name)
    with transaction(db):
        for item in items:
            result = store.save(db, item.annotated, fetched=item.meta.fetched,
                                tags=[*item.meta.tags, *tags], saved=item.meta.saved)
            report.ids.append(result.id)
            report.items += 1
            if result.created:
                report.added += 1
            else:
                report.merged += 1
    return report


def import_parsed(db: sqlite3.Connection, parsed: Parsed, *, tags: Sequence[str] = (),
                  analyse: Analyse | None = None, now: str | None = None) -> ImportReport:
    """Store every item of ``parsed``; one transaction, so a failure imports nothing."""
    report = ImportReport(parsed.format, problems=list(parsed.problems))
    items = _merged_by_url(parsed.items)
    report.items = len(items)
    existing = {key: _existing(db, key) for key in items}
    articles = _content_articles(items, existing, report)
    analysed = _analysed(articles, analyse)
    moment = now or now_iso()
    extra = [store.normalise_tag(t) for t in tags]
    with transaction(db):
        for key, item in items.items():
            article_id = _store_item(db, key, item, existing[key], analysed.get(key),
                                     extra, moment, report)
            report.ids.append(article_id)
    return report


def _merged_by_url(items: Iterable[ImportItem]) -> dict[str, ImportItem]:
    """One item per canonical URL: the same link twice in a file is one article."""
    merged: dict[str, ImportItem] = {}
    for item in items:
        key = store.canonical_url(item.url)
        other = merged.get(key)
        merged[key] = item if other is None else _merge(other, item)
    return merged


def _merge(first: ImportItem, second: ImportItem) -> ImportItem:
    saved = min((s for s in (first.saved, second.saved) if s), default=None)
    notes = first.notes + tuple(n for n in second.notes if n not in first.notes)
    content_from = first if first.content else second
    return replace(first, title=first.title or second.title,
                   tags=first.tags + tuple(t for t in second.tags if t not in first.tags),
                   saved=saved, read=first.read or second.read,
                   archived=first.archived or second.archived,
                   content=content_from.content,
                   content_is_html=content_from.content_is_html, notes=notes)


@dataclass(frozen=True)
class _Existing:
    id: int
    link_only: bool


def _existing(db: sqlite3.Connection, key: str) -> _Existing | None:
    row = db.execute(
        "SELECT a.id, EXISTS (SELECT 1 FROM import_fetches f WHERE f.article_id = a.id"
        " AND f.state IN ('pending', 'failed')) FROM saved_articles a WHERE a.url_key = ?",
        (key,)).fetchone()
    return None if row is None else _Existing(int(row[0]), bool(row[1]))


def _content_articles(items: dict[str, ImportItem], existing: dict[str, _Existing | None],
                      report: ImportReport) -> dict[str, Article]:
    """Articles built from the exports' content, for items the library lacks the text of."""
    articles: dict[str, Article] = {}
    for key, item in items.items():
        known = existing[key]
        if item.content is None or (known is not None and not known.link_only):
            continue
        try:
            articles[key] = article_from_content(item)
        except ReaderError as error:
            report.problems.append(f"{item.where}: its content could not be read "
                                   f"({error}); saved as a link")
    return articles


def article_from_content(item: ImportItem) -> Article:
    from reader.extract import extract_article
    from reader.plaintext import article_from_text

    assert item.content is not None
    if item.content_is_html:
        article = extract_article(item.content, url=item.url)
    else:
        article = article_from_text(item.content, url=item.url)
    if not article.text.strip():
        raise ReaderError("no text")
    return replace(article, url=item.url, title=item.title or article.title)


def _analysed(articles: dict[str, Article], analyse: Analyse | None) -> dict[str, Annotated]:
    if not articles:
        return {}
    keys = list(articles)
    results = (analyse or default_analyse)([articles[k] for k in keys])
    return dict(zip(keys, results, strict=True))


def link_article(item: ImportItem) -> Article:
    """What a link shows until it is fetched: its title (or address) as the text."""
    return Article(text=item.title or item.url, title=item.title or item.url, url=item.url)


def _store_item(db: sqlite3.Connection, key: str, item: ImportItem,
                known: _Existing | None, annotated: Annotated | None, extra: list[str],
                moment: str, report: ImportReport) -> int:
    tags = [*_usable_tags(item.tags), *extra]
    if known is None or annotated is not None:
        fresh = annotated or Annotated(link_article(item))
        result = store.save(db, fresh, tags=tags, saved=item.saved, now=moment,
                            fetched=moment if annotated is not None else None)
        article_id = result.id
        if known is None:
            report.added += 1
        else:
            report.merged += 1
        if annotated is None:
            report.links += 1
            db.execute("INSERT OR IGNORE INTO import_fetches (article_id, url) VALUES (?, ?)",
                       (article_id, item.url))
        else:
            db.execute("UPDATE import_fetches SET state = 'done' WHERE article_id = ?",
                       (article_id,))
    else:
        article_id = known.id
        report.merged += 1
        store.merge_tags(db, article_id, tags)
    db.execute("UPDATE saved_articles SET is_read = max(is_read, ?),"
               " is_archived = max(is_archived, ?),"
               " saved = CASE WHEN ? IS NOT NULL AND ? < saved THEN ? ELSE saved END"
               " WHERE id = ?",
               (int(item.read), int(item.archived), item.saved, item.saved, item.saved,
                article_id))
    _record_notes(db, article_id, item.notes, moment)
    anchored, waiting, total = anchor_waiting(db, article_id)
    report.highlights += total
    report.anchored += anchored
    report.waiting += waiting
    return article_id


def _usable_tags(tags: Iterable[str]) -> list[str]:
    usable = []
    for tag in tags:
        try:
            usable.append(store.normalise_tag(tag))
        except ReaderError:
            continue
    return usable


def _record_notes(db: sqlite3.Connection, article_id: int, notes: Iterable[ImportedNote],
                  moment: str) -> None:
    """Every imported highlight once (a second import of the same file adds none)."""
    db.executemany(
        "INSERT OR IGNORE INTO imported_notes (article_id, quote, note, created)"
        " VALUES (?, ?, ?, ?)",
        [(article_id, n.quote, n.note, n.created or moment) for n in notes])


def anchor_waiting(db: sqlite3.Connection, article_id: int) -> tuple[int, int, int]:
    """Turn the article's waiting imported notes into highlights where their words are
    found: (anchored, still waiting for the text, notes looked at).

    A link's notes wait until its text is fetched; an article with text anchors them or
    marks them ``unanchored``.
    """
    rows = db.execute("SELECT id, quote, note, created FROM imported_notes"
                      " WHERE article_id = ? AND state = 'waiting' ORDER BY id",
                      (article_id,)).fetchall()
    if not rows:
        return 0, 0, 0
    waiting_for_text = db.execute(
        "SELECT 1 FROM import_fetches WHERE article_id = ? AND state = 'pending'",
        (article_id,)).fetchone() is not None
    if waiting_for_text:
        return 0, len(rows), len(rows)
    text = str(db.execute("SELECT text FROM saved_articles WHERE id = ?",
                          (article_id,)).fetchone()[0])
    anchored = 0
    highlights: list[Highlight] = []
    for note_id, quote, note, created in rows:
        placement = find_quote(quote, text)
        state = "unanchored"
        if placement is not None:
            highlights.append(Highlight(placement.start, placement.end, note, created))
            anchored += 1
            state = "anchored"
        db.execute("UPDATE imported_notes SET state = ? WHERE id = ?", (state, note_id))
    store.add_imported_highlights(db, article_id, highlights)
    return anchored, 0, len(rows)


def find_quote(quote: str, text: str) -> Placement | None:
    """Where the quoted words are in ``text``: as quoted, then with the whitespace the
    other service's HTML gave them collapsed, then by the anchors' fuzzy match."""
    words = " ".join(quote.split())
    for candidate in dict.fromkeys((quote.strip(), words)):
        if candidate:
            placement = relocate(Anchor(0, len(candidate), candidate), text)
            if placement is not None:
                return placement
    return None


# ------------------------------------------------------------------------- fetching


@dataclass(frozen=True)
class FetchProgress:
    """One step of fetching the imported links, for a progress bar or a line."""

    done: int
    total: int
    url: str
    error: str | None = None
    starting: bool = False
    """True just before ``url`` is fetched (``done`` links are finished)."""


@dataclass
class FetchReport:
    fetched: int = 0
    failed: int = 0
    anchored: int = 0
    highlights: int = 0
    errors: list[str] = field(default_factory=list)


IMPORTED_FROM = "file:import"
"""Where imported links were found, for the fetch's address rules: a local file the user
chose, so hosts on their own network may be fetched, but a link-local address (cloud
metadata at 169.254.169.254), an unspecified or a multicast one never is."""


def waiting_links(db: sqlite3.Connection) -> int:
    """How many imported links wait to be fetched or analysed."""
    row = db.execute("SELECT count(*) FROM import_fetches WHERE state IN"
                     " ('pending', 'fetched')").fetchone()
    return int(row[0])


def fetch_links(library: Path | str | None, *, limits: FetchLimits | None = None,
                transport: httpx.AsyncBaseTransport | None = None,
                cancel: Cancel | None = None, analyse: Analyse | None = None,
                progress: Callable[[FetchProgress], None] | None = None) -> FetchReport:
    """Fetch every pending imported link, one at a time, with the usual caps.

    Blocking (network, lxml, SQLite): the CLI calls it directly, the TUI from a thread
    worker. ``cancel`` stops it between links or during a fetch (Cancelled is raised;
    what was stored stays stored, and the next call goes on from there).
    """
    from reader.fetch import Cancel as CancelSwitch
    from reader.sources import Source, configured_limits, load

    cancel = cancel or CancelSwitch()
    limits = limits or configured_limits()
    report = FetchReport()
    with store.opened(library) as db:
        _analyse_fetched(db, analyse, report)
        rows = db.execute("SELECT article_id, url FROM import_fetches WHERE state = 'pending'"
                          " ORDER BY article_id").fetchall()
        total = len(rows)
        for done, (article_id, url) in enumerate(rows, start=1):
            cancel.check()
            if progress is not None:
                progress(FetchProgress(done - 1, total, url, starting=True))
            error: str | None = None
            try:
                loaded = load(Source("url", url), limits=limits, transport=transport,
                              cancel=cancel, followed_from=IMPORTED_FROM)
            except Cancelled:
                raise
            except ReaderError as failure:
                error = str(failure)
                _mark_failed(db, article_id, error)
                report.failed += 1
                report.errors.append(f"{url}: {error}")
            else:
                _store_fetched(db, article_id, url, loaded.article,
                               loaded.page.content if loaded.page else None,
                               loaded.page.content_type if loaded.page else None,
                               loaded.fetched)
                _analyse_one(db, article_id, analyse, report)
                report.fetched += 1
            if progress is not None:
                progress(FetchProgress(done, total, url, error))
    return report


def _mark_failed(db: sqlite3.Connection, article_id: int, error: str) -> None:
    with transaction(db):
        db.execute("UPDATE import_fetches SET state = 'failed', tried = ?, error = ?"
                   " WHERE article_id = ?", (now_iso(), error[:500], article_id))


def _store_fetched(db: sqlite3.Connection, article_id: int, url: str, article: Article,
                   source: bytes | None, source_type: str | None, fetched: str) -> None:
    """The text replaces the link (under the imported URL, whatever the redirects), and
    the link is never fetched again: both in one transaction."""
    title = str(db.execute("SELECT title FROM saved_articles WHERE id = ?",
                           (article_id,)).fetchone()[0])
    article = replace(article, url=url, title=article.title or title)
    with transaction(db):
        store.save(db, Annotated(article), source=source, source_type=source_type,
                   fetched=fetched)
        db.execute("UPDATE import_fetches SET state = 'fetched', tried = ?, error = NULL"
                   " WHERE article_id = ?", (fetched, article_id))


def _analyse_fetched(db: sqlite3.Connection, analyse: Analyse | None,
                     report: FetchReport) -> None:
    """Links fetched by an interrupted run: their text is here, only the analysis is not."""
    for (article_id,) in db.execute("SELECT article_id FROM import_fetches"
                                    " WHERE state = 'fetched' ORDER BY article_id").fetchall():
        _analyse_one(db, article_id, analyse, report)


def _analyse_one(db: sqlite3.Connection, article_id: int, analyse: Analyse | None,
                 report: FetchReport) -> None:
    saved = store.get(db, article_id)
    annotated = next(iter((analyse or default_analyse)([saved.annotated.article])))
    with transaction(db):
        store.save(db, replace(annotated, highlights=()), fetched=saved.summary.fetched)
        db.execute("UPDATE import_fetches SET state = 'done' WHERE article_id = ?",
                   (article_id,))
        anchored, _, total = anchor_waiting(db, article_id)
    report.anchored += anchored
    report.highlights += total
