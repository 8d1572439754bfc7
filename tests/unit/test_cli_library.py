"""``reader save | library | export | import`` as a script would use them."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

import httpx
import pytest

from reader.cli.library import run_export, run_import, run_library, run_save
from reader.errors import ReaderError, StoreError
from reader.library import store
from reader.models import Annotated, Article
from tests.unit.test_store import make_annotated, span

STORY = """Harbour board approves dredging

The Westport harbour board voted on Tuesday to dredge the eastern channel before summer.

"The channel is a danger to every boat," said Maria Lopez, who chairs the board.

The work will cost 2.4 million pounds and start in April.
"""

PAGE_V1 = b"""<!doctype html><html><head><title>Tide gauge fails</title>
<link rel="canonical" href="https://news.example.org/tides/gauge"></head><body><article>
<h1>Tide gauge fails</h1>
<p>The tide gauge at Westport pier stopped sending readings on Monday night, the
harbour master said, leaving boats without live data for the morning tide.</p>
<p>Engineers expect to replace the sensor by Friday, according to the council.</p>
</article></body></html>"""

PAGE_V2 = PAGE_V1.replace(b"by Friday", b"by next Wednesday").replace(
    b"</article>", b"<p>A temporary gauge has been installed at the ferry slip.</p></article>")


def no_analysis(articles: Sequence[Article]) -> Iterable[Annotated]:
    """These tests are about storage and files; the spaCy analysis has its own tests."""
    return [Annotated(article) for article in articles]


def fetcher(pages: dict[str, bytes]) -> tuple[list[str], httpx.MockTransport]:
    requested: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requested.append(str(request.url))
        body = pages.get(str(request.url))
        if body is None:
            return httpx.Response(404)
        return httpx.Response(200, content=body, headers={"content-type": "text/html"})

    return requested, httpx.MockTransport(handler)


@pytest.fixture
def lib(tmp_path: Path) -> str:
    return str(tmp_path / "library.sqlite3")


@pytest.fixture
def story(tmp_path: Path) -> Path:
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    return path


def saved_ids(capsys: pytest.CaptureFixture[str]) -> list[int]:
    return [int(line) for line in capsys.readouterr().out.split()]


# ------------------------------------------------------------------------ save


def test_save_runs_the_real_analysis_and_prints_the_id(
        lib: str, story: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_save(["--library", lib, "--tag", "Harbour", str(story)]) == 0
    (article_id,) = saved_ids(capsys)
    with store.opened(lib) as db:
        saved = store.get(db, article_id)
        assert saved.tags == ("harbour",)
        assert saved.annotated.article.title == "Harbour board approves dredging"
        assert {e.name for e in saved.annotated.entities} & {"Westport", "Maria Lopez"}
        assert any("danger to every boat" in q.text for q in saved.annotated.quotes)
        assert store.source_of(db, article_id) == (STORY.encode(), "text/plain")


def test_save_a_url_keeps_the_page_and_saving_again_updates(
        lib: str, capsys: pytest.CaptureFixture[str]) -> None:
    url = "https://news.example.org/tides/gauge"
    requested, fetch = fetcher({url: PAGE_V1})
    assert run_save(["--library", lib, url], transport=fetch, analyse=no_analysis) == 0
    (first,) = saved_ids(capsys)
    with store.opened(lib) as db:
        text = store.get(db, first).annotated.article.text
        start = text.index("replace the sensor")
        store.add_highlight(db, first, start, start + len("replace the sensor"), "when?")
        assert store.source_of(db, first) == (PAGE_V1, "text/html")

    _, fetch_v2 = fetcher({url + "?utm_source=rss": PAGE_V2})
    assert run_save(["--library", lib, url + "?utm_source=rss"], transport=fetch_v2,
                    analyse=no_analysis) == 0
    captured = capsys.readouterr()
    assert captured.out.split() == [str(first)]
    assert "updated article" in captured.err and "paragraph" in captured.err
    with store.opened(lib) as db:
        assert store.list_articles(db).total == 1
        saved = store.get(db, first)
        (highlight,) = saved.highlights
        assert highlight.note == "when?" and highlight.text == "replace the sensor"
        assert "next Wednesday" in saved.annotated.article.text
    assert requested == [url]


def test_one_bad_source_does_not_stop_the_others(
        lib: str, story: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.txt"
    assert run_save(["--library", lib, str(missing), str(story)], analyse=no_analysis) == 1
    captured = capsys.readouterr()
    assert len(captured.out.split()) == 1
    assert captured.err.startswith("reader: error: ") and "missing.txt" in captured.err


# ------------------------------------------------------------------------ library


@pytest.fixture
def filled(lib: str) -> dict[str, int]:
    with store.opened(lib) as db:
        first = store.save(db, make_annotated(), tags=["harbour"],
                           now="2026-03-01T09:00:00Z").id
        annotated = make_annotated()
        store.add_highlight(db, first, *span(annotated, "eastern channel"), "which side?")
        second = store.save(db, make_annotated(
            title="Ferry timetable changes", url="https://example.org/ferry",
            paragraphs=('"Sailings move to the hour," said Maria Lopez.',)),
            now="2026-03-02T09:00:00Z").id
    return {"first": first, "second": second}


def test_library_list_text_and_json(lib: str, filled: dict[str, int],
                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert run_library(["list", "--library", lib]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "Ferry timetable changes" in lines[0] and "Harbour board" in lines[1]
    assert "[harbour]" in lines[1] and "(1 highlight)" in lines[1]
    assert run_library(["list", "--library", lib, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"] == 2
    assert [a["id"] for a in data["articles"]] == [filled["second"], filled["first"]]


def test_library_search_text_and_json(lib: str, filled: dict[str, int],
                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert run_library(["search", "--library", lib, "which", "side"]) == 0
    out = capsys.readouterr().out
    assert "Harbour board" in out and "which side?" in out
    assert run_library(["search", "--library", lib, "--format", "json", "sailings"]) == 0
    (hit,) = json.loads(capsys.readouterr().out)
    assert hit["id"] == filled["second"] and "Sailings" in hit["snippet"]


def test_library_show_delete_and_tag(lib: str, filled: dict[str, int],
                                     capsys: pytest.CaptureFixture[str]) -> None:
    first = str(filled["first"])
    assert run_library(["show", "--library", lib, first]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Harbour board approves dredging\n")
    assert out.split("\n")[1] == "Sam Reed · Example News · Wed 4 Mar 2026"
    assert "tags: harbour" in out and '"eastern channel" — which side?' in out
    assert run_library(["show", "--library", lib, first, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["highlights"][0]["note"] == "which side?"
    assert run_library(["tag", "--library", lib, first, "Boats"]) == 0
    assert capsys.readouterr().out.strip() == f"article {first}: boats, harbour"
    assert run_library(["delete", "--library", lib, first]) == 0
    assert "deleted article" in capsys.readouterr().out
    with pytest.raises(StoreError, match=f"no saved article with id {first}"):
        run_library(["show", "--library", lib, first])


def test_library_mentions_and_quotes(lib: str, filled: dict[str, int],
                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert run_library(["mentions", "--library", lib, "--format", "json", "Lopez"]) == 0
    assert {h["id"] for h in json.loads(capsys.readouterr().out)} == set(filled.values())
    assert run_library(["quotes", "--library", lib, "Maria", "Lopez"]) == 0
    out = capsys.readouterr().out
    assert "Sailings move to the hour" in out and "danger to every boat" in out


def test_a_corrupt_library_is_an_error_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "library.sqlite3"
    path.write_bytes(b"\x00\x01 definitely not sqlite")
    with pytest.raises(StoreError, match="not a reader library"):
        run_library(["list", "--library", str(path)])
    assert path.read_bytes() == b"\x00\x01 definitely not sqlite"


# ------------------------------------------------------------------------ export


def test_export_by_id_to_stdout_and_file(lib: str, filled: dict[str, int], tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    first = str(filled["first"])
    assert run_export(["--library", lib, first]) == 0
    document = capsys.readouterr().out
    assert 'saved: "2026-03-01T09:00:00Z"' in document and "==eastern channel==[^1]" in document
    target = tmp_path / "page.html"
    assert run_export(["--library", lib, first, "--format", "html", "-o", str(target)]) == 0
    assert "<mark>eastern channel</mark>" in target.read_text(encoding="utf-8")


def test_export_all_writes_one_safe_file_per_article(
        lib: str, filled: dict[str, int], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "vault" / "news"
    assert run_export(["--library", lib, "--all", "--format", "md", "-o", str(folder)]) == 0
    names = sorted(p.name for p in folder.iterdir())
    assert names == [f"ferry-timetable-changes-{filled['second']}.md",
                     f"harbour-board-approves-dredging-{filled['first']}.md"]
    assert capsys.readouterr().out.count(str(folder)) == 2


def test_export_a_source_that_is_not_saved(story: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert run_export([str(story), "--format", "json"], analyse=no_analysis) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["article"]["title"] == "Harbour board approves dredging"
    assert data["tags"] == [] and data["highlights"] == []


@pytest.mark.parametrize(("argv", "message"), [
    ([], "name one article"),
    (["1", "--all", "-o", "x"], "name one article"),
    (["--all"], "needs -o DIR"),
])
def test_export_argument_errors(argv: list[str], message: str) -> None:
    with pytest.raises(ReaderError, match=message):
        run_export(argv)


# ------------------------------------------------------------------------ import


def test_export_then_import_round_trips_notes_and_tags(
        lib: str, filled: dict[str, int], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    first = str(filled["first"])
    exported = tmp_path / "article.json"
    assert run_export(["--library", lib, first, "--format", "json", "-o", str(exported)]) == 0
    other = str(tmp_path / "other.sqlite3")
    assert run_import(["--library", other, str(exported)]) == 0
    (new_id,) = saved_ids(capsys)
    with store.opened(lib) as db:
        original = store.get(db, int(first))
    with store.opened(other) as db:
        imported = store.get(db, new_id)
    assert imported.annotated == original.annotated
    assert imported.tags == original.tags == ("harbour",)
    assert [(h.text, h.note) for h in imported.highlights] == [("eastern channel", "which side?")]
    assert imported.summary.saved == original.summary.saved

    assert run_import(["--library", other, str(exported)]) == 0  # again: no duplicate
    assert saved_ids(capsys) == [new_id]
    with store.opened(other) as db:
        assert len(store.highlights(db, new_id)) == 1


def test_import_refuses_a_file_that_is_not_an_export(lib: str, tmp_path: Path) -> None:
    path = tmp_path / "feed.json"
    path.write_text('{"items": []}', encoding="utf-8")
    with pytest.raises(ReaderError, match=r"feed\.json"):
        run_import(["--library", lib, str(path)])
    with pytest.raises(ReaderError, match="no such file"):
        run_import(["--library", lib, str(tmp_path / "nope.json")])


def test_save_and_export_get_the_amp_fallback_too(
        lib: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A JavaScript-only page opened in the TUI and failed in ``reader save``; both now
    load through sources.load."""
    from tests.unit.test_sources import AMP_PAGE, SHELL_PAGE

    url = "https://daily.example/budget"
    requested, transport = fetcher({url: SHELL_PAGE, "https://daily.example/amp/budget":
                                    AMP_PAGE})
    assert run_save(["--library", lib, url], transport=transport, analyse=no_analysis) == 0
    (article_id,) = saved_ids(capsys)
    with store.opened(lib) as db:
        saved = store.get(db, article_id)
        assert saved.annotated.article.method == "amp"
        assert store.source_of(db, article_id) == (AMP_PAGE, "text/html")
    out = tmp_path / "budget.md"
    assert run_export([url, "-o", str(out)], transport=transport, analyse=no_analysis) == 0
    assert "Paragraph 11 of the council's budget story" in out.read_text(encoding="utf-8")
    assert requested.count("https://daily.example/amp/budget") == 2
