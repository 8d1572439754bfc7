"""The library database: created safely, migrated in order, and never clobbering a stranger."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from reader.errors import StoreError
from reader.library import db as library


def test_connect_creates_the_folder_and_a_configured_library(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "library.sqlite3"
    connection = library.connect(path)
    try:
        assert path.exists()
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert connection.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert connection.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
        assert library.schema_version(connection) == len(library.MIGRATIONS)
        tables = {row[0] for row in connection.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table'")}
        assert {"feeds", "feed_tags", "feed_items"} <= tables
    finally:
        connection.close()


def test_default_location_honours_reader_home(isolated_home: Path) -> None:
    library.connect().close()
    assert (isolated_home / "library.sqlite3").exists()


def test_reopening_keeps_data_and_does_not_rerun_migrations(tmp_path: Path) -> None:
    path = tmp_path / "library.sqlite3"
    with library.connect(path) as first:
        first.execute("INSERT INTO feeds (url, added) VALUES ('http://a.example/', 'now')")
    first.close()
    second = library.connect(path)
    try:
        assert second.execute("SELECT url FROM feeds").fetchall() == [("http://a.example/",)]
    finally:
        second.close()


@pytest.mark.parametrize("content", [
    b"this is my shopping list, not a database\n",
    b"SQLite format 3\x00" + b"\xff" * 4000,  # right header, garbage after it
], ids=["text file", "corrupt sqlite"])
def test_corrupt_file_is_refused_and_left_untouched(tmp_path: Path, content: bytes) -> None:
    folder = tmp_path / "lib"
    folder.mkdir()
    path = folder / "library.sqlite3"
    path.write_bytes(content)
    with pytest.raises(StoreError, match=r"is not a reader library"):
        library.connect(path)
    assert path.read_bytes() == content
    assert sorted(p.name for p in folder.iterdir()) == ["library.sqlite3"]  # no -wal/-shm


def test_another_programs_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "library.sqlite3"
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE recipes (name TEXT)")
    other.execute("INSERT INTO recipes VALUES ('soup')")
    other.commit()
    other.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="another program's database"):
        library.connect(path)
    assert path.read_bytes() == before


def test_an_empty_file_becomes_a_library(tmp_path: Path) -> None:
    path = tmp_path / "library.sqlite3"
    path.touch()
    library.connect(path).close()
    assert path.read_bytes().startswith(library.SQLITE_HEADER)


def test_a_folder_at_the_path_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a folder"):
        library.connect(tmp_path)


def test_appended_migrations_run_in_order_once(tmp_path: Path) -> None:
    connection = library.connect(tmp_path / "library.sqlite3")
    steps = [
        *library.MIGRATIONS,
        library.Migration("articles", "CREATE TABLE articles (id INTEGER PRIMARY KEY);"),
        library.Migration("article titles", "ALTER TABLE articles ADD COLUMN title TEXT;"),
    ]
    try:
        assert library.migrate(connection, steps) == len(steps)
        assert library.migrate(connection, steps) == len(steps)  # nothing left to do
        columns = [row[1] for row in connection.execute("PRAGMA table_info(articles)")]
        assert columns == ["id", "title"]
    finally:
        connection.close()


def test_a_failing_migration_leaves_the_previous_version(tmp_path: Path) -> None:
    connection = library.connect(tmp_path / "library.sqlite3")
    version = library.schema_version(connection)
    broken = library.Migration("half done", "CREATE TABLE notes (id INTEGER);\nNOT SQL AT ALL;")
    try:
        with pytest.raises(StoreError, match=r"could not upgrade the library .*half done"):
            library.migrate(connection, [*library.MIGRATIONS, broken])
        assert library.schema_version(connection) == version
        assert connection.execute(
            "SELECT count(*) FROM sqlite_schema WHERE name = 'notes'").fetchone()[0] == 0
        assert not connection.in_transaction
    finally:
        connection.close()


def test_a_library_from_a_newer_reader_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "library.sqlite3"
    connection = library.connect(path)
    connection.execute(f"PRAGMA user_version = {len(library.MIGRATIONS) + 5}")
    connection.close()
    with pytest.raises(StoreError, match="newer reader"):
        library.connect(path)


def test_transaction_rolls_back_on_error(tmp_path: Path) -> None:
    connection = library.connect(tmp_path / "library.sqlite3")

    def insert_then_fail() -> None:
        with library.transaction(connection):
            connection.execute("INSERT INTO feeds (url, added) VALUES ('http://x/', 'now')")
            raise RuntimeError("boom")

    try:
        with pytest.raises(RuntimeError):
            insert_then_fail()
        assert connection.execute("SELECT count(*) FROM feeds").fetchone()[0] == 0
    finally:
        connection.close()


def test_foreign_keys_cascade_from_feeds_to_items(tmp_path: Path) -> None:
    connection = library.connect(tmp_path / "library.sqlite3")
    try:
        connection.execute("INSERT INTO feeds (id, url, added) VALUES (1, 'http://x/', 'now')")
        connection.execute("INSERT INTO feed_items (feed_id, key, first_seen, sort_date) "
                           "VALUES (1, 'k', 'now', 'now')")
        with pytest.raises(sqlite3.IntegrityError):
            connection.execute("INSERT INTO feed_items (feed_id, key, first_seen, sort_date) "
                               "VALUES (99, 'k', 'now', 'now')")
        connection.execute("DELETE FROM feeds WHERE id = 1")
        assert connection.execute("SELECT count(*) FROM feed_items").fetchone()[0] == 0
    finally:
        connection.close()


def test_two_processes_creating_one_new_library_both_succeed(tmp_path: Path) -> None:
    target = tmp_path / "fresh.sqlite3"
    code = ("import sys; from reader.library import db; c = db.connect(sys.argv[1]); "
            "print(db.schema_version(c))")
    runs = [subprocess.Popen([sys.executable, "-c", code, str(target)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(4)]
    results = [run.communicate(timeout=60) for run in runs]
    assert all(run.returncode == 0 for run in runs), [err for _, err in results]
    assert {out.strip() for out, _ in results} == {str(len(library.MIGRATIONS))}


def test_trigger_bodies_are_not_split() -> None:
    script = ("CREATE TABLE a (x);\nCREATE TRIGGER t AFTER INSERT ON a BEGIN "
              "UPDATE a SET x = 1; DELETE FROM a WHERE x = 2; END;\nCREATE TABLE b (y);")
    assert len(library.split_statements(script)) == 3
