"""``reader stories``: JSON and text output, --since, and the one-line error contract."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from reader import feeds
from reader.cli import main
from reader.library import db as library
from tests.benchmarks.score_stories import load_fixture


@pytest.fixture
def fixture_library(tmp_path: Path) -> Path:
    path = tmp_path / "library.sqlite3"
    connection = library.connect(path)
    try:
        load_fixture(connection, "dev")
    finally:
        connection.close()
    return path


def test_json_lists_stories_newest_first(fixture_library: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stories", "--library", str(fixture_library), "--format", "json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert all(set(story) == {"id", "title", "items"} for story in found)
    assert all(set(item) == {"url", "title", "feed", "published"}
               for story in found for item in story["items"])
    firsts = [story["items"][0]["published"] for story in found]
    assert firsts == sorted(firsts, reverse=True)
    heist = next(s for s in found if s["title"] == "Thieves steal gold coins from Ardent Museum")
    assert [item["feed"] for item in heist["items"]] == [
        "River Courier", "Allied Press", "Evening Post", "Daily Signal"]
    assert sum(len(story["items"]) for story in found) == 25


def test_text_folds_wire_copies(fixture_library: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--library", str(fixture_library), "stories"]) == 0
    out = capsys.readouterr().out
    assert "Thieves steal gold coins from Ardent Museum  (4 outlets, 4 unread)" in out
    assert ("Allied Press: Roman coins worth 2 million euros stolen from museum  "
            "(also in: Evening Post)") in out
    assert out.count("Evening Post: Ardent Museum robbery") == 0  # the copy is folded


def test_since_filters_by_the_newest_item(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "library.sqlite3"
    connection = library.connect(path)
    now = datetime.now(UTC)
    items = [{"id": str(n), "url": f"https://a.example/{n}", "title": title,
              "date_published": (now - timedelta(hours=hours)).isoformat()}
             for n, (title, hours) in enumerate((("Fresh event in Kessel", 3),
                                                  ("Stale event in Orwin", 24 * 5)))]
    body = json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "A",
                       "items": items}).encode()
    feed_id, _ = feeds.subscribe(connection, "https://a.example/feed.json")
    feeds.store_parsed(connection, feed_id, feeds.parse_feed(body, url="https://a.example/f"))
    connection.close()
    assert main(["stories", "--library", str(path), "--since", "2d", "--format", "json"]) == 0
    assert [s["title"] for s in json.loads(capsys.readouterr().out)] == ["Fresh event in Kessel"]
    assert main(["stories", "--library", str(path), "--since", "1w", "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 2


def test_bad_since_is_one_line_and_exit_1(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "reader", "stories", "--library",
                             str(tmp_path / "l.sqlite3"), "--since", "soon"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith("reader: error: --since wants a number and a unit")
    assert result.stderr.count("\n") == 1
    assert not (tmp_path / "l.sqlite3").exists()


def test_a_foreign_library_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not a database")
    result = subprocess.run([sys.executable, "-m", "reader", "stories", "--library",
                             str(path)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr.startswith("reader: error:") and result.stderr.count("\n") == 1
