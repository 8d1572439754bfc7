"""The saved-articles library: saving, updating, notes, search, cross-library queries,
and the promises about not losing data (migrations, crashes, concurrency, foreign files).
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from reader.errors import StoreError
from reader.library import db as database
from reader.library import diff as library_diff
from reader.library import search as library_search
from reader.library import store
from reader.models import Annotated, Article, Block, Entity, Fact, Highlight, Mention, Quote

ROOT = Path(__file__).resolve().parents[2]


# ------------------------------------------------------------------- building articles


def make_annotated(
    title: str = "Harbour board approves dredging",
    paragraphs: Sequence[str] = (
        "The harbour board voted on Tuesday to dredge the eastern channel.",
        '"The channel is a danger to every boat," said Maria Lopez, who chairs the board.',
        "The work will cost 2.4 million pounds and start in April.",
    ),
    url: str | None = "https://news.example.org/harbour/dredging",
    highlights: Sequence[Highlight] = (),
) -> Annotated:
    """An analysed article built by hand: the analysis is not what these tests are about."""
    parts = [title, *paragraphs]
    text = "\n\n".join(parts)
    blocks: list[Block] = []
    position = 0
    for index, part in enumerate(parts):
        blocks.append(Block("heading" if index == 0 else "paragraph", position,
                            position + len(part)))
        position += len(part) + 2
    article = Article(text=text, title=title, url=url, site="Example News",
                      byline="Sam Reed", published="2026-03-04", blocks=tuple(blocks))
    entities = tuple(_entities(text))
    quotes = tuple(_quotes(text, entities))
    facts = tuple(Fact(text=p, start=text.index(p), end=text.index(p) + len(p), kind="number",
                       score=0.5) for p in paragraphs if any(ch.isdigit() for ch in p))
    return Annotated(article, entities, quotes, facts, tuple(highlights))


def _entities(text: str) -> Iterator[Entity]:
    known = [("Maria Lopez", "PERSON", ("Maria Lopez", "Lopez")),
             ("Harbour Board", "ORG", ("harbour board",)),
             ("Westport", "GPE", ("Westport",))]
    for number, (name, label, forms) in enumerate(known, start=1):
        mentions = tuple(Mention(i, i + len(f), f) for f in forms
                         for i in _all_indexes(text, f))
        if mentions:
            yield Entity(f"e{number}", name, label, mentions)


def _all_indexes(text: str, needle: str) -> list[int]:
    found, i = [], text.find(needle)
    while i != -1:
        found.append(i)
        i = text.find(needle, i + 1)
    return found


def _quotes(text: str, entities: Sequence[Entity]) -> Iterator[Quote]:
    start = text.find('"')
    while start != -1:
        end = text.find('"', start + 1)
        if end == -1:
            return
        inner = text[start + 1:end].rstrip(",")
        speaker = "Maria Lopez" if "Maria Lopez" in text[end:end + 40] else None
        entity = next((e.id for e in entities if e.name == speaker), None)
        yield Quote(inner, start + 1, start + 1 + len(inner), speaker, entity, "said")
        start = text.find('"', end + 1)


def span(annotated: Annotated, words: str) -> tuple[int, int]:
    start = annotated.article.text.index(words)
    return start, start + len(words)


@pytest.fixture
def library(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    connection = database.connect(tmp_path / "library.sqlite3")
    yield connection
    connection.close()


# ------------------------------------------------------------------- schema, opening


def test_library_is_configured_for_safety(library: sqlite3.Connection) -> None:
    assert library.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert library.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert library.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    assert database.schema_version(library) == len(database.MIGRATIONS)


def test_default_library_lives_under_reader_home(isolated_home: Path) -> None:
    with store.opened() as connection:
        store.save(connection, make_annotated())
    assert (isolated_home / "library.sqlite3").exists()


def test_a_version_1_library_is_upgraded_and_keeps_its_feeds(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    old = sqlite3.connect(path, isolation_level=None)
    old.execute("PRAGMA journal_mode = WAL")
    database.migrate(old, database.MIGRATIONS[:1])
    old.execute("INSERT INTO feeds (url, added) VALUES ('https://example.org/feed', 'x')")
    assert database.schema_version(old) == 1
    old.close()

    with store.opened(path) as connection:
        assert database.schema_version(connection) == len(database.MIGRATIONS)
        assert connection.execute("SELECT url FROM feeds").fetchall() == [
            ("https://example.org/feed",)]
        saved = store.save(connection, make_annotated())
        assert store.get(connection, saved.id).annotated.article.title.startswith("Harbour")
        assert library_search.search(connection, "dredge")[0].summary.id == saved.id


@pytest.mark.parametrize("content", [
    b"this is a shopping list, not a database\n",
    b"SQLite format 3\x00" + bytes(range(256)) * 8,
])
def test_corrupt_file_is_refused_and_never_overwritten(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "library.sqlite3"
    path.write_bytes(content)
    with pytest.raises(StoreError) as caught:
        database.connect(path)
    assert "\n" not in str(caught.value) and str(path) in str(caught.value)
    assert path.read_bytes() == content


def test_another_programs_database_is_refused_and_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE notes (body TEXT)")
    other.execute("INSERT INTO notes VALUES ('keep me')")
    other.commit()
    other.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not a reader library"):
        database.connect(path)
    assert path.read_bytes() == before


# ------------------------------------------------------------------- saving


def test_save_keeps_text_blocks_analysis_source_and_times(library: sqlite3.Connection) -> None:
    annotated = make_annotated()
    page = b"<html><body><p>The harbour board voted</p></body></html>" * 20
    result = store.save(library, annotated, source=page, source_type="text/html",
                        fetched="2026-03-04T10:00:00Z", now="2026-03-05T08:00:00Z")
    assert result.created and result.diff is None
    saved = store.get(library, result.id)
    assert saved.annotated == annotated
    assert saved.summary.fetched == "2026-03-04T10:00:00Z"
    assert saved.summary.saved == saved.summary.updated == "2026-03-05T08:00:00Z"
    assert store.source_of(library, result.id) == (page, "text/html")
    stored = library.execute("SELECT source FROM saved_articles").fetchone()[0]
    assert len(stored) < len(page) and zlib.decompress(stored) == page


def test_saving_the_same_url_again_updates_instead_of_duplicating(
        library: sqlite3.Connection) -> None:
    first = store.save(library, make_annotated(url="https://news.example.org/harbour/dredging"))
    again = store.save(library, make_annotated(
        title="Harbour board approves dredging (updated)",
        url="http://www.News.example.org/harbour/dredging/?utm_source=feed#comments"))
    assert again.id == first.id and not again.created
    assert again.diff is not None and again.diff.old_title != again.diff.new_title
    page = store.list_articles(library)
    assert page.total == 1 and page.rows[0].title.endswith("(updated)")
    assert store.find_by_url(library, "https://news.example.org/harbour/dredging") == first.id


def test_update_keeps_notes_and_tags_and_moves_highlights(library: sqlite3.Connection) -> None:
    old = make_annotated()
    result = store.save(library, old, tags=["Harbour", "to read"])
    start, end = span(old, "dredge the eastern channel")
    store.add_highlight(library, result.id, start, end, "check the cost")
    lost_start, lost_end = span(old, "start in April")
    store.add_highlight(library, result.id, lost_start, lost_end, "date?")

    new = make_annotated(paragraphs=(
        "Correction: an earlier version misnamed the board's chair.",
        "The harbour board voted on Tuesday to dredge the eastern channel.",
        '"The channel is a danger to every boat," said Maria Lopez, who chairs the board.',
        "The work will cost 2.4 million pounds; no date has been set.",
    ))
    update = store.save(library, new)
    assert [lost.note for lost in update.lost] == ["date?"]
    saved = store.get(library, result.id)
    assert saved.tags == ("harbour", "to-read")
    (kept,) = saved.highlights
    assert kept.note == "check the cost"
    assert new.article.text[kept.start:kept.end] == "dredge the eastern channel"
    assert saved.annotated.highlights == (kept.to_highlight(),)
    assert update.diff is not None
    assert update.diff.added_paragraphs == (
        "Correction: an earlier version misnamed the board's chair.",
        "The work will cost 2.4 million pounds; no date has been set.")
    assert update.diff.removed_paragraphs == (
        "The work will cost 2.4 million pounds and start in April.",)


def test_highlights_carried_by_the_article_are_saved_once(library: sqlite3.Connection) -> None:
    base = make_annotated()
    start, end = span(base, "2.4 million pounds")
    annotated = make_annotated(highlights=[Highlight(start, end, "pricey", "2026-01-01")])
    first = store.save(library, annotated)
    store.save(library, annotated)  # the TUI saving an already-saved article again
    (saved,) = store.highlights(library, first.id)
    assert (saved.text, saved.note, saved.created) == ("2.4 million pounds", "pricey",
                                                       "2026-01-01")


def test_pasted_text_without_url_is_recognised_by_its_text(library: sqlite3.Connection) -> None:
    one = store.save(library, make_annotated(url=None))
    two = store.save(library, make_annotated(url=None))
    other = store.save(library, make_annotated(url=None, title="Another story"))
    assert one.id == two.id != other.id


@pytest.mark.parametrize(("a", "b", "same"), [
    ("https://example.org/a/b", "http://www.example.org/a/b/", True),
    ("https://example.org/a?id=3&utm_medium=x", "https://EXAMPLE.org/a?id=3#top", True),
    ("https://example.org/a?id=3", "https://example.org/a?id=4", False),
    ("https://example.org:8443/a", "https://example.org/a", False),
])
def test_canonical_url(a: str, b: str, same: bool) -> None:
    assert (store.canonical_url(a) == store.canonical_url(b)) is same


def test_bad_highlight_offsets_are_refused(library: sqlite3.Connection) -> None:
    result = store.save(library, make_annotated())
    for start, end in ((5, 5), (10, 3), (-1, 4), (0, 10_000)):
        with pytest.raises(StoreError, match="cannot highlight"):
            store.add_highlight(library, result.id, start, end)
    with pytest.raises(StoreError, match="no saved article with id 99"):
        store.add_highlight(library, 99, 0, 4)


# ------------------------------------------------------------------- notes and tags


def test_highlight_edit_and_delete(library: sqlite3.Connection) -> None:
    annotated = make_annotated()
    article_id = store.save(library, annotated).id
    highlight = store.add_highlight(library, article_id, *span(annotated, "eastern channel"))
    assert highlight.text == "eastern channel" and highlight.created
    assert highlight.prefix.endswith("to dredge the ") and highlight.suffix.startswith(".")

    edited = store.edit_highlight(library, highlight.id, note="which side is east?",
                                  end=highlight.end + 1)
    assert edited.text == "eastern channel." and edited.note == "which side is east?"
    assert library_search.search(library, "note:east")[0].summary.id == article_id

    store.delete_highlight(library, highlight.id)
    assert store.highlights(library, article_id) == []
    assert library_search.search(library, "note:east") == []
    with pytest.raises(StoreError, match="no highlight"):
        store.edit_highlight(library, highlight.id, note="gone")


def test_tags_are_normalised_added_and_removed(library: sqlite3.Connection) -> None:
    article_id = store.save(library, make_annotated()).id
    assert store.add_tags(library, article_id, ["#Climate", "local  news", "climate"]) == (
        "climate", "local-news")
    assert store.remove_tags(library, article_id, ["CLIMATE", "unknown"]) == ("local-news",)
    assert store.all_tags(library) == [("local-news", 1)]
    assert library_search.search(library, "tag:local")[0].summary.id == article_id
    with pytest.raises(StoreError, match="not a usable tag"):
        store.add_tags(library, article_id, ["   "])


# ------------------------------------------------------------------- listing, search


def test_listing_is_newest_first_with_total_and_paging(library: sqlite3.Connection) -> None:
    for day in range(1, 8):
        store.save(library, make_annotated(title=f"Story {day}",
                                           url=f"https://example.org/{day}"),
                   now=f"2026-03-0{day}T09:00:00Z", tags=["odd"] if day % 2 else [])
    page = store.list_articles(library, limit=3, offset=2)
    assert page.total == 7
    assert [row.title for row in page.rows] == ["Story 5", "Story 4", "Story 3"]
    tagged = store.list_articles(library, tag="odd")
    assert tagged.total == 4
    assert [r.title for r in tagged.rows] == ["Story 7", "Story 5", "Story 3", "Story 1"]


@pytest.mark.parametrize(("query", "found"), [
    ("dredging", True),              # title
    ("eastern channel", True),       # text, both words
    ('"danger to every boat"', True),   # a quote, as a phrase
    ("speaker:lopez", True),          # speakers
    ("entity:Westport", False),       # not named in this article
    ("entities:harbour", True),       # entity names
    ("dredg*", True),                # prefix
    ("tram OR channel", True),
    ("tram", False),
])
def test_search_covers_every_field(library: sqlite3.Connection, query: str,
                                   found: bool) -> None:
    store.save(library, make_annotated())
    store.save(library, make_annotated(title="Unrelated", paragraphs=("Nothing here.",),
                                       url="https://example.org/other"))
    hits = library_search.search(library, query)
    assert bool(hits) is found
    if found:
        assert hits[0].summary.title == "Harbour board approves dredging"


@pytest.mark.parametrize("query", ['"unbalanced channel', "AND (", "-channel", "NEAR(x",
                                   "title:", "col:umn:channel", "channel)", "OR channel OR"])
def test_search_never_raises_fts_syntax_errors(library: sqlite3.Connection, query: str) -> None:
    store.save(library, make_annotated())
    assert isinstance(library_search.search(library, query), list)


@pytest.mark.parametrize("query", ["*", "  ", '""', "-- !"])
def test_search_without_words_is_a_clear_error(library: sqlite3.Connection, query: str) -> None:
    with pytest.raises(StoreError, match="no words"):
        library_search.search(library, query)


def test_search_snippet_marks_the_match(library: sqlite3.Connection) -> None:
    store.save(library, make_annotated())
    (hit,) = library_search.search(library, "pounds")
    assert hit.marks and all(hit.snippet[a:b].lower() == "pounds" for a, b in hit.marks)
    assert "\x02" not in hit.snippet and "  " not in hit.snippet


def test_delete_removes_everything(library: sqlite3.Connection) -> None:
    annotated = make_annotated()
    article_id = store.save(library, annotated, tags=["x"]).id
    store.add_highlight(library, article_id, *span(annotated, "eastern"), "note")
    store.delete(library, article_id)
    for table in ("saved_articles", "saved_tags", "saved_highlights", "saved_names",
                  "saved_quotes", "saved_fts"):
        assert library.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table
    with pytest.raises(StoreError, match="no saved article with id"):
        store.delete(library, article_id)


# ------------------------------------------------------------------- across the library


def test_articles_mentioning_an_entity_by_any_of_its_names(library: sqlite3.Connection) -> None:
    first = store.save(library, make_annotated()).id
    second = store.save(library, make_annotated(
        title="Lopez steps down", url="https://example.org/lopez",
        paragraphs=("Lopez said she would leave the harbour board in June.",))).id
    store.save(library, make_annotated(title="Weather", url="https://example.org/weather",
                                       paragraphs=("Rain in Westport.",)))
    hits = library_search.articles_mentioning(library, ["Maria Lopez", "Lopez"])
    assert {h.summary.id for h in hits} == {first, second}
    shouted = library_search.articles_mentioning(library, "LOPEZ")
    assert {h.summary.id for h in shouted} == {first, second}
    assert [h.summary.id for h in library_search.articles_mentioning(
        library, "maria lopez", exclude=first)] == [second]
    assert library_search.articles_mentioning(library, "Lopez", label="ORG") == []
    assert library_search.articles_mentioning(library, "Nobody") == []


def test_quotes_by_a_speaker_across_the_library(library: sqlite3.Connection) -> None:
    one = store.save(library, make_annotated()).id
    two = store.save(library, make_annotated(
        title="Second story", url="https://example.org/second",
        paragraphs=('"We will finish by June," said Maria Lopez on Friday.',))).id
    hits = library_search.quotes_by_speaker(library, "maria  LOPEZ")
    assert {(h.article_id, h.text) for h in hits} == {
        (one, "The channel is a danger to every boat"), (two, "We will finish by June")}
    assert [h.article_id for h in library_search.quotes_by_speaker(library, "Maria Lopez",
                                                          exclude=one)] == [two]


# ------------------------------------------------------------------- diff


def test_diff_lists_added_and_removed_paragraphs_quotes_and_facts() -> None:
    old = make_annotated()
    new = make_annotated(paragraphs=(
        "The harbour board voted on Tuesday to dredge the eastern channel.",
        "The work will cost 3.1 million pounds and start in April.",
        '"We listened to the fishermen," said Maria Lopez.',
    ))
    diff = library_diff.diff_saved(old, new)
    assert diff.changed
    assert diff.removed_paragraphs == (
        '"The channel is a danger to every boat," said Maria Lopez, who chairs the board.',
        "The work will cost 2.4 million pounds and start in April.")
    assert diff.added_paragraphs == (
        "The work will cost 3.1 million pounds and start in April.",
        '"We listened to the fishermen," said Maria Lopez.')
    assert [q.text for q in diff.removed_quotes] == ["The channel is a danger to every boat"]
    assert [q.text for q in diff.added_quotes] == ["We listened to the fishermen"]
    assert [f.text for f in diff.added_facts] == [
        "The work will cost 3.1 million pounds and start in April."]
    assert "2 paragraphs added" in diff.summary()
    assert not library_diff.diff_saved(old, old).changed
    assert library_diff.diff_saved(old, old).summary() == "no changes"


def test_reextract_reads_the_stored_page(library: sqlite3.Connection) -> None:
    page = (b"<html><head><title>Tide tables</title></head><body><article>"
            b"<h1>Tide tables</h1><p>High tide in Westport is at noon on Sunday, the "
            b"harbour master said in a statement on Friday morning.</p>"
            b"<p>Low tide follows six hours later, and boats should wait.</p>"
            b"</article></body></html>")
    article_id = store.save(library, make_annotated(url="https://example.org/tides"),
                            source=page, source_type="text/html").id
    article = store.reextract(library, article_id)
    assert "High tide in Westport is at noon" in article.text
    bare = store.save(library, make_annotated(url="https://example.org/bare")).id
    with pytest.raises(StoreError, match="no stored page"):
        store.reextract(library, bare)


# ------------------------------------------------------------------- nothing lost

_WRITER = """
import sys
sys.path.insert(0, sys.argv[1])
from tests.unit.test_store import make_annotated
from reader.library import db as database
from reader.library import store
from reader.models import Highlight

path, worker, count = sys.argv[2], sys.argv[3], int(sys.argv[4])
connection = database.connect(path)
print("ready", flush=True)
if worker != "killed":
    sys.stdin.readline()  # start together with the other writer
for i in range(count):
    number = i // 2 if worker == "killed" else i
    words = [f"Paragraph {n} of story {number} from {worker}, revision {i}." for n in range(40)]
    annotated = make_annotated(title=f"Story {number} {worker}", paragraphs=words,
                               url=f"https://example.org/{worker}/{number}")
    start = annotated.article.text.index("Paragraph 3")
    annotated = make_annotated(title=f"Story {number} {worker}", paragraphs=words,
                               url=f"https://example.org/{worker}/{number}",
                               highlights=[Highlight(start, start + 11, f"note {i}")])
    store.save(connection, annotated, source=b"<p>page</p>" * 500, source_type="text/html",
               tags=[worker])
print("done", flush=True)
"""


def _start_writer(path: Path, worker: str, count: int) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", _WRITER, str(ROOT), str(path), worker,
                             str(count)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=ROOT)


def _assert_consistent(path: Path) -> int:
    """The file is sound and every article has all its parts; returns the article count."""
    with store.opened(path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        connection.execute("INSERT INTO saved_fts (saved_fts) VALUES ('integrity-check')")
        ids = [row[0] for row in connection.execute("SELECT id FROM saved_articles")]
        indexed = [row[0] for row in connection.execute("SELECT rowid FROM saved_fts")]
        assert sorted(ids) == sorted(indexed)
        for article_id in ids:
            saved = store.get(connection, article_id)
            assert len(saved.highlights) >= 1 and saved.tags
            quotes = connection.execute("SELECT count(*) FROM saved_quotes WHERE article_id = ?",
                                        (article_id,)).fetchone()[0]
            assert quotes == len(saved.annotated.quotes)
            names = connection.execute("SELECT count(*) FROM saved_names WHERE article_id = ?",
                                       (article_id,)).fetchone()[0]
            assert names == len(store._name_rows(saved.annotated.entities))
            assert saved.annotated.article.text.count("Paragraph") == 40
        return len(ids)


def test_a_process_killed_while_saving_leaves_a_consistent_library(tmp_path: Path) -> None:
    path = tmp_path / "library.sqlite3"
    database.connect(path).close()
    rng = random.Random(7)
    deadline = time.monotonic() + 8
    kills = 0
    while kills < 4 and time.monotonic() < deadline:
        writer = _start_writer(path, "killed", 10_000)
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.05, 0.4))
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait()
        assert writer.returncode == -signal.SIGKILL
        kills += 1
        assert _assert_consistent(path) > 0
    assert kills >= 2


def _run_together(path: Path, names: Sequence[str], count: int) -> None:
    writers = [_start_writer(path, name, count) for name in names]
    for writer in writers:
        assert writer.stdout is not None
        line = writer.stdout.readline().strip()
        assert line == "ready", writer.communicate()[1]
    for writer in writers:
        out, err = writer.communicate("go\n", timeout=60)
        assert writer.returncode == 0, err
        assert out.split() == ["done"]


def test_two_processes_saving_at_once_both_succeed(tmp_path: Path) -> None:
    path = tmp_path / "library.sqlite3"
    database.connect(path).close()
    _run_together(path, ("alpha", "beta"), 40)
    assert _assert_consistent(path) == 80
    with store.opened(path) as connection:
        assert dict(store.all_tags(connection)) == {"alpha": 40, "beta": 40}


def test_store_errors_are_single_lines(tmp_path: Path) -> None:
    path = tmp_path / "library.sqlite3"
    path.write_text("not sqlite\nat all", encoding="utf-8")
    with pytest.raises(StoreError) as caught:
        database.connect(path)
    assert "\n" not in str(caught.value)
    assert json.dumps(str(caught.value))
