"""The library database: one SQLite file holding feeds now and saved articles later.

Opening is defensive because the file is the user's data. A file that is not ours (a
corrupt file, someone else's SQLite database, a text file at the same path) is refused with
a one-line :class:`StoreError` and left byte-for-byte untouched; nothing is written to a
file until it has been recognised as a reader library (or is new and empty).

The schema evolves through :data:`MIGRATIONS`, an ordered list: migration *n* (1-based)
brings the library from version *n - 1* to *n*, recorded in ``PRAGMA user_version``. Each
migration runs in its own transaction, so a failure leaves the previous version intact.
To change the schema, append a migration; never edit one that has shipped.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reader import paths
from reader.errors import StoreError

SQLITE_HEADER = b"SQLite format 3\x00"
# "RDR1" as a 32-bit integer: marks the file as ours, so a foreign database is told apart.
APPLICATION_ID = 0x52445231
BUSY_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class Migration:
    """One step of the schema; ``sql`` may hold several statements."""

    name: str
    sql: str


FEEDS_SCHEMA = """
CREATE TABLE feeds (
    id             INTEGER PRIMARY KEY,
    url            TEXT NOT NULL UNIQUE,
    title          TEXT,              -- chosen by the user; wins over feed_title
    feed_title     TEXT,              -- as the feed names itself
    site_url       TEXT,
    etag           TEXT,
    last_modified  TEXT,
    last_checked   TEXT,
    last_error     TEXT,
    added          TEXT NOT NULL
);
CREATE TABLE feed_tags (
    feed_id  INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    tag      TEXT NOT NULL,
    PRIMARY KEY (feed_id, tag)
) WITHOUT ROWID;
CREATE TABLE feed_items (
    id                INTEGER PRIMARY KEY,
    feed_id           INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    key               TEXT NOT NULL,
    title             TEXT NOT NULL DEFAULT '',
    link              TEXT,
    author            TEXT,
    published         TEXT,
    summary           TEXT NOT NULL DEFAULT '',
    content           TEXT,
    has_full_content  INTEGER NOT NULL DEFAULT 0,
    read              INTEGER NOT NULL DEFAULT 0,
    first_seen        TEXT NOT NULL,
    sort_date         TEXT NOT NULL,  -- published, else first_seen: "newest first" order
    article_json      TEXT,           -- the extracted Article, kept for offline reading
    UNIQUE (feed_id, key)
);
CREATE INDEX feed_items_newest ON feed_items (feed_id, sort_date DESC);
CREATE INDEX feed_items_unread ON feed_items (feed_id) WHERE read = 0;
"""

MIGRATIONS: list[Migration] = [
    Migration("feeds, their tags and items", FEEDS_SCHEMA),
    # Saved articles (reader.library.store): text, analysis, source page, highlights, tags, search.
    Migration("saved articles, highlights, tags and search", """
    CREATE TABLE saved_articles (
        id             INTEGER PRIMARY KEY,
        url_key        TEXT UNIQUE,      -- canonical URL (or text hash): saving again updates
        url            TEXT,
        title          TEXT NOT NULL DEFAULT '',
        byline         TEXT,
        published      TEXT,
        site           TEXT,
        word_count     INTEGER NOT NULL DEFAULT 0,
        fetched        TEXT,
        saved          TEXT NOT NULL,
        updated        TEXT NOT NULL,
        source_type    TEXT,
        text           TEXT NOT NULL,    -- large columns last: listing never reads them
        article_json   TEXT NOT NULL,    -- the Article without its text: blocks, links, ...
        analysis_json  TEXT NOT NULL,    -- entities, quotes and facts
        source         BLOB              -- the fetched page, zlib-compressed
    );
    CREATE INDEX saved_newest ON saved_articles (saved DESC, id DESC);
    CREATE TABLE saved_tags (
        article_id  INTEGER NOT NULL REFERENCES saved_articles(id) ON DELETE CASCADE,
        tag         TEXT NOT NULL,
        PRIMARY KEY (article_id, tag)
    ) WITHOUT ROWID;
    CREATE INDEX saved_tags_by_tag ON saved_tags (tag);
    CREATE TABLE saved_highlights (
        id          INTEGER PRIMARY KEY,
        article_id  INTEGER NOT NULL REFERENCES saved_articles(id) ON DELETE CASCADE,
        start       INTEGER NOT NULL,
        "end"       INTEGER NOT NULL,
        quote       TEXT NOT NULL,       -- the highlighted text, to find it again
        prefix      TEXT NOT NULL DEFAULT '',
        suffix      TEXT NOT NULL DEFAULT '',
        note        TEXT NOT NULL DEFAULT '',
        created     TEXT NOT NULL
    );
    CREATE INDEX saved_highlights_by_article ON saved_highlights (article_id, start);
    CREATE TABLE saved_names (     -- every way an article names an entity
        name_key    TEXT NOT NULL,       -- casefolded form, what lookups compare
        article_id  INTEGER NOT NULL REFERENCES saved_articles(id) ON DELETE CASCADE,
        entity      TEXT NOT NULL,       -- the entity's canonical name in that article
        label       TEXT NOT NULL,
        mentions    INTEGER NOT NULL,
        PRIMARY KEY (name_key, article_id, entity, label)
    ) WITHOUT ROWID;
    CREATE INDEX saved_names_by_article ON saved_names (article_id);
    CREATE TABLE saved_quotes (
        article_id   INTEGER NOT NULL REFERENCES saved_articles(id) ON DELETE CASCADE,
        position     INTEGER NOT NULL,
        speaker      TEXT,               -- as the article names the speaker
        speaker_key  TEXT,               -- casefolded speaker
        entity_key   TEXT,               -- casefolded canonical name of the speaker entity
        text         TEXT NOT NULL,
        start        INTEGER NOT NULL,
        "end"        INTEGER NOT NULL,
        PRIMARY KEY (article_id, position)
    ) WITHOUT ROWID;
    CREATE INDEX saved_quotes_by_speaker ON saved_quotes (speaker_key);
    CREATE INDEX saved_quotes_by_entity ON saved_quotes (entity_key);
    CREATE VIRTUAL TABLE saved_fts USING fts5(
        title, text, quotes, speakers, entities, notes, tags,
        tokenize = 'porter unicode61 remove_diacritics 2'
    );
    INSERT INTO saved_fts (saved_fts, rank) VALUES ('rank', 'bm25(10, 1, 2, 4, 4, 3, 6)');
    """),
    # Stories (reader.stories): which feed items and saved articles report one event.
    Migration("stories: feed items and saved articles grouped by event", """
    CREATE TABLE stories (
        id       INTEGER PRIMARY KEY,
        started  TEXT NOT NULL,          -- its first item's date: the time window counts from it
        latest   TEXT NOT NULL           -- its newest item's date
    );
    CREATE INDEX stories_newest ON stories (started DESC);
    CREATE TABLE story_items (
        story_id      INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
        item_id       INTEGER UNIQUE REFERENCES feed_items(id) ON DELETE CASCADE,
        article_id    INTEGER UNIQUE REFERENCES saved_articles(id) ON DELETE CASCADE,
        dated         TEXT NOT NULL,     -- UTC, YYYY-MM-DDTHH:MM:SSZ: published, else first seen
        duplicate_of  TEXT,              -- "item:N" / "saved:N": the copy this one repeats
        CHECK ((item_id IS NULL) <> (article_id IS NULL))
    );
    CREATE INDEX story_items_by_story ON story_items (story_id);
    CREATE INDEX story_items_by_date ON story_items (dated);
    """),
    # Background feeds (issue 16): when a feed may be fetched again and how often it failed
    # in a row (TTL, Cache-Control, Retry-After, back-off); items hidden by a filter; the
    # analysis of a prefetched item, kept beside its article so it opens offline at once.
    Migration("feed schedule, hidden items and prefetched analysis", """
    ALTER TABLE feeds ADD COLUMN not_before TEXT;
    ALTER TABLE feeds ADD COLUMN failures INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE feeds ADD COLUMN ttl_minutes INTEGER;
    ALTER TABLE feed_items ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE feed_items ADD COLUMN analysis_json TEXT;
    """),
    # Imports from other services (reader.library.importing): read/archived state, the
    # queue of links still to fetch, and the highlights they brought, by their words.
    Migration("read and archived state, imported links and notes", """
    ALTER TABLE saved_articles ADD COLUMN is_read INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE saved_articles ADD COLUMN is_archived INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE import_fetches (      -- an imported link whose text is still to fetch
        article_id  INTEGER PRIMARY KEY REFERENCES saved_articles(id) ON DELETE CASCADE,
        url         TEXT NOT NULL,
        state       TEXT NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'fetched', 'done', 'failed')),
        tried       TEXT,              -- when the one fetch was made
        error       TEXT
    );
    CREATE INDEX import_fetches_waiting ON import_fetches (state, article_id);
    CREATE TABLE imported_notes (      -- every highlight an import brought, by its words
        id          INTEGER PRIMARY KEY,
        article_id  INTEGER NOT NULL REFERENCES saved_articles(id) ON DELETE CASCADE,
        quote       TEXT NOT NULL,
        note        TEXT NOT NULL DEFAULT '',
        created     TEXT NOT NULL,
        state       TEXT NOT NULL DEFAULT 'waiting'
                    CHECK (state IN ('waiting', 'anchored', 'unanchored')),
        UNIQUE (article_id, quote, note)
    );
    """),
    # Lead images of saved articles (reader.library.images): shown offline, embedded in
    # the HTML export. Only bytes that decoded as an image are kept.
    Migration("lead images of saved articles", """
    CREATE TABLE saved_images (
        article_id    INTEGER PRIMARY KEY REFERENCES saved_articles(id) ON DELETE CASCADE,
        url           TEXT NOT NULL,     -- the Article.image it was fetched for
        content_type  TEXT NOT NULL DEFAULT '',
        fetched       TEXT NOT NULL,
        data          BLOB NOT NULL      -- as fetched, at most 5 MB
    );
    """),
    # The feed list's counts (issue 16): unread, visible and hidden items per feed, read
    # from one index (it replaces the partial unread index, which cannot answer "and not
    # hidden" without reading every item's row).
    Migration("an index for the feed list's counts", """
    CREATE INDEX feed_items_counts ON feed_items (feed_id, hidden, read);
    DROP INDEX feed_items_unread;
    """),
    # "All feeds", newest first (issue 16): the home screen's first screenful reads the
    # newest 100 headlines from this index instead of sorting every item (15 ms at
    # 20,000 items, under 1 ms with it).
    Migration("an index for all feeds' headlines, newest first", """
    CREATE INDEX feed_items_by_date ON feed_items (sort_date DESC, id);
    """),
]


def connect(path: Path | str | None = None) -> sqlite3.Connection:
    """Open (creating if needed) the library at ``path`` or the default location.

    The connection autocommits single statements; group writes in ``with transaction(db)``.
    It may be handed between threads (the TUI reads it from thread workers) as long as two
    threads never use it at the same time.
    """
    target = Path(path).expanduser() if path is not None else paths.library_file()
    _refuse_foreign_file(target)
    if target.is_file() and not os.access(target.parent, os.W_OK | os.X_OK):
        return _connect_read_only(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StoreError(f"cannot create the library folder {target.parent}: "
                         f"{error.strerror or error}") from None
    try:
        db = sqlite3.connect(target, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None,
                             check_same_thread=False)
    except sqlite3.Error as error:
        raise StoreError(f"cannot open the library {target}: {error}") from None
    try:
        _check_identity(db, target)
        _configure(db)
        migrate(db)
    except sqlite3.DatabaseError as error:
        db.close()
        raise StoreError(f"{target} is not a reader library ({error})") from None
    except BaseException:
        db.close()
        raise
    return db


READ_ONLY_MESSAGE = "the library is read-only (its folder cannot be written)"


def _connect_read_only(target: Path) -> sqlite3.Connection:
    """A library in a folder we cannot write: SQLite's WAL needs files beside it, so it is
    opened immutable and query-only. Listing, searching and reading work; every write
    says "read-only" (see :class:`transaction`) instead of "not a reader library"."""
    from urllib.parse import quote

    try:
        db = sqlite3.connect(f"file:{quote(str(target.resolve()))}?mode=ro&immutable=1",
                             uri=True, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None,
                             check_same_thread=False)
        _check_identity(db, target)
        db.execute("PRAGMA query_only = ON")
        if schema_version(db) != len(MIGRATIONS):
            db.close()
            raise StoreError(f"{READ_ONLY_MESSAGE} and needs an upgrade this reader cannot "
                             "write")
    except sqlite3.Error as error:
        raise StoreError(f"cannot open the read-only library {target}: {error}") from None
    return db


def select(db: sqlite3.Connection, sql: str, params: Sequence[object] = ()) -> list[sqlite3.Row]:
    """All rows of a query as ``sqlite3.Row``; a damaged file is a one-line StoreError."""
    cursor = db.cursor()
    cursor.row_factory = sqlite3.Row
    try:
        return list(cursor.execute(sql, params))
    except sqlite3.Error as error:
        raise StoreError(f"could not read the library: {error}") from None


def _refuse_foreign_file(target: Path) -> None:
    """Look at the raw header before SQLite does: it must never touch a stranger's file."""
    if target.is_dir():
        raise StoreError(f"{target} is a folder, not a reader library")
    try:
        with target.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return
    except OSError as error:
        raise StoreError(f"cannot read the library {target}: {error.strerror or error}") \
            from None
    if header and header != SQLITE_HEADER:
        raise StoreError(f"{target} is not a reader library (not an SQLite database)")


def _check_identity(db: sqlite3.Connection, target: Path) -> None:
    """An SQLite file with tables but without our application id belongs to someone else."""
    app_id = db.execute("PRAGMA application_id").fetchone()[0]
    if app_id == APPLICATION_ID:
        return
    has_tables = db.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0] > 0
    if app_id != 0 or has_tables:
        raise StoreError(f"{target} is not a reader library (another program's database)")


def _configure(db: sqlite3.Connection) -> None:
    db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
    db.execute("PRAGMA foreign_keys = ON")
    mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        raise StoreError("the library's folder does not allow SQLite's WAL mode")
    # WAL makes NORMAL durable against application crashes, and much cheaper per commit.
    db.execute("PRAGMA synchronous = NORMAL")


def schema_version(db: sqlite3.Connection) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def migrate(db: sqlite3.Connection, migrations: list[Migration] | None = None) -> int:
    """Apply the migrations this library has not seen yet; returns the resulting version."""
    steps = MIGRATIONS if migrations is None else migrations
    version = schema_version(db)
    if version > len(steps):
        raise StoreError(f"the library was written by a newer reader (schema {version}, "
                         f"this reader knows {len(steps)}); upgrade reader")
    for number, migration in enumerate(steps[version:], start=version + 1):
        _apply(db, number, migration)
    return schema_version(db)


def split_statements(script: str) -> list[str]:
    """The statements of an SQL script, cut where SQLite itself sees one end (so the
    semicolons inside a trigger body do not split it). ``executescript`` cannot be used
    inside a transaction: it commits first."""
    statements: list[str] = []
    current = ""
    for piece in script.split(";"):
        current += piece + ";"
        if sqlite3.complete_statement(current):
            if current.strip(" \t\r\n;"):
                statements.append(current.strip())
            current = ""
    if current.strip(" \t\r\n;"):
        statements.append(current.strip().rstrip(";"))
    return statements


def _apply(db: sqlite3.Connection, number: int, migration: Migration) -> None:
    """One migration and its version stamp commit together or not at all.

    The version is read again once the write lock is held: another process opening the
    same new library at the same moment may have applied this step already.
    """
    try:
        db.execute("BEGIN IMMEDIATE")
        if schema_version(db) >= number:
            db.execute("COMMIT")
            return
        for statement in split_statements(migration.sql):
            db.execute(statement)
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute(f"PRAGMA user_version = {number}")
        db.execute("COMMIT")
    except sqlite3.Error as error:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise StoreError(f"could not upgrade the library to schema {number} "
                         f"({migration.name}): {error}") from None


class transaction:  # noqa: N801 - used like a function: ``with transaction(db):``
    """``BEGIN IMMEDIATE`` … ``COMMIT``, or ``ROLLBACK`` when the block raises.

    IMMEDIATE takes the write lock up front, so a busy library waits (busy timeout) at the
    start instead of failing half-way through. A block inside another joins the outer
    transaction, so several writes (subscribe, then store the items) commit together.
    SQLite rolls back by itself on some errors (a full disk): the rollback here only runs
    when a transaction is still open, and a failed write leaves as one StoreError line.
    """

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self._outer = False

    def __enter__(self) -> sqlite3.Connection:
        if self._db.in_transaction:
            return self._db
        if self._db.execute("PRAGMA query_only").fetchone()[0]:
            raise StoreError(READ_ONLY_MESSAGE)
        self._outer = True
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            raise StoreError(f"the library is busy: {error}") from None
        return self._db

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if not self._outer:
            return
        if exc_type is None:
            try:
                self._db.execute("COMMIT")
                return
            except sqlite3.Error as error:
                exc = error
        if self._db.in_transaction:
            try:
                self._db.execute("ROLLBACK")
            except sqlite3.Error:
                pass
        if isinstance(exc, sqlite3.Error):
            raise StoreError(f"could not write the library: {exc}") from None
