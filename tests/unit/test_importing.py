"""Importing other services' exports into the library: articles, tags, state, dates,
highlights anchored in the text, nothing added twice, and the same URL merged."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

import httpx
import pytest

from reader.cli.library import run_import
from reader.library import store
from reader.library.importers import read_export
from reader.library.importing import import_parsed
from reader.models import Annotated, Article
from tests.conftest import FIXTURES

IMPORTS = FIXTURES / "imports"


def no_analysis(articles: Sequence[Article]) -> Iterable[Annotated]:
    """These tests are about storage; the spaCy analysis has its own tests."""
    return [Annotated(article) for article in articles]


@pytest.fixture
def library(tmp_path: Path) -> Path:
    return tmp_path / "library.sqlite3"


def imported(library: Path, *names: str, tags: Sequence[str] = ()) -> list[object]:
    reports: list[object] = []
    with store.opened(library) as db:
        for name in names:
            parsed = read_export((IMPORTS / name).read_bytes(), name)
            reports.append(import_parsed(db, parsed, tags=tags, analyse=no_analysis))
    return reports


def rows(library: Path) -> dict[str, store.ArticleSummary]:
    with store.opened(library) as db:
        return {r.url or "": r for r in store.list_articles(db).rows}


def counts(library: Path) -> tuple[int, int, int, int]:
    with store.opened(library) as db:
        return tuple(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                     for table in ("saved_articles", "saved_tags", "saved_highlights",
                                   "imported_notes"))


def test_pocket_links_become_articles_waiting_for_their_text(library: Path) -> None:
    (report,) = imported(library, "pocket.csv")
    assert report.added == 4 and report.links == 4  # type: ignore[attr-defined]
    found = rows(library)
    rivers = found["https://www.example.net/rivers/flood-maps"]
    assert rivers.title == "Rivers, rain and the new flood maps"
    assert rivers.tags == ("climate", "data", "maps")
    assert (rivers.read, rivers.archived, rivers.link_only) == (True, True, True)
    assert rivers.saved == "2024-05-02T10:00:00Z"
    with store.opened(library) as db:
        assert db.execute("SELECT count(*) FROM import_fetches WHERE state = 'pending'"
                          ).fetchone()[0] == 4


def test_wallabag_content_is_used_and_highlights_anchored(library: Path) -> None:
    (report,) = imported(library, "wallabag.json")
    assert (report.highlights, report.anchored) == (4, 3)  # type: ignore[attr-defined]
    with store.opened(library) as db:
        garden_id = store.find_by_url(db, "https://blog.example.com/garden")
        assert garden_id is not None
        garden = store.get(db, garden_id)
        assert not garden.summary.link_only
        text = garden.annotated.article.text
        assert "hazel poles" in text
        marked = {h.text: h.note for h in garden.highlights}
        assert marked == {"A cold May kept the seedlings indoors": "too cold",
                          "They climbed the hazel poles within a fortnight": ""}
        assert all(text[h.start:h.end] == h.text for h in garden.highlights)
        kept = db.execute("SELECT quote FROM imported_notes WHERE state = 'unanchored'"
                          ).fetchall()
    assert kept == [("Calendars are lists that learned to count.",)]  # kept, not lost


def test_omnivore_fuzzy_highlights_find_their_words(library: Path) -> None:
    (report,) = imported(library, "omnivore.zip")
    assert (report.highlights, report.anchored) == (3, 3)  # type: ignore[attr-defined]
    with store.opened(library) as db:
        article_id = store.find_by_url(db, "https://news.example.org/harbour/cranes")
        assert article_id is not None
        saved = store.get(db, article_id)
    texts = [h.text for h in saved.highlights]
    assert any("clear by the weekend" in t for t in texts)  # "week-end" in the export
    assert any(t.startswith("Two vessels were diverted") for t in texts)
    assert saved.summary.archived and saved.tags == ("port", "shipping")


def test_reimporting_the_same_file_adds_nothing(library: Path) -> None:
    for name in ("pocket.csv", "wallabag.json", "omnivore.zip", "instapaper.csv",
                 "bookmarks.html", "pocket.html", "pocket.zip"):
        imported(library, name)
        before = counts(library)
        (again,) = imported(library, name)
        assert counts(library) == before, name
        assert again.added == 0 and again.highlights == 0  # type: ignore[attr-defined]


def test_the_same_url_from_two_exports_is_one_article_with_merged_tags(library: Path) -> None:
    imported(library, "pocket.csv", "pocket.html", "omnivore.zip")
    cranes = [r for url, r in rows(library).items() if "harbour/cranes" in url]
    assert len(cranes) == 1  # "?utm_source=pocket" and the bare URL are one article
    assert cranes[0].tags == ("local", "port", "shipping")
    assert not cranes[0].link_only  # Omnivore brought the text the Pocket link lacked
    assert cranes[0].archived  # archived in Omnivore, unread in Pocket: archived stays


def test_the_earlier_saved_date_is_kept(library: Path) -> None:
    imported(library, "bookmarks.html", "instapaper.csv")
    lists = rows(library)["https://blog.example.com/why-lists"]
    assert lists.saved == "2024-05-02T10:40:00Z"


def test_a_link_saved_earlier_waits_for_its_text_then_content_anchors_it(library: Path) -> None:
    (first,) = imported(library, "instapaper.csv")
    assert (first.highlights, first.waiting) == (1, 1)  # type: ignore[attr-defined]
    imported(library, "omnivore.zip")
    with store.opened(library) as db:
        article_id = store.find_by_url(db, "https://news.example.org/harbour/cranes")
        assert article_id is not None
        texts = [h.text for h in store.highlights(db, article_id)]
    assert any(t.startswith("The cranes at the north quay moved their first containers")
               for t in texts)


def test_extra_tags_from_the_command(library: Path) -> None:
    imported(library, "pocket.zip", tags=["From Pocket"])
    assert all("from-pocket" in r.tags for r in rows(library).values())


def test_cli_reports_bad_rows_and_a_summary(library: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    status = run_import(["--library", str(library), str(IMPORTS / "pocket.csv")],
                        analyse=no_analysis)
    out, err = capsys.readouterr()
    assert status == 0
    assert len(out.split()) == 4  # the ids
    assert "pocket.csv: row 4: no URL" in err
    assert "4 items: 4 new" in err


def test_cli_still_imports_its_own_json(library: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    export = tmp_path / "a.json"
    export.write_text(json.dumps(Annotated(Article(text="Some words here.", title="T",
                                                   url="https://example.com/t")).to_dict()))
    assert run_import(["--library", str(library), str(export)]) == 0
    assert capsys.readouterr().out.strip() == "1"


def test_cli_refuses_an_unknown_file_and_imports_nothing(library: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    odd = tmp_path / "notes.csv"
    odd.write_text("a,b\n1,2\n")
    from reader.cli import main

    assert main(["import", "--library", str(library), str(IMPORTS / "pocket.csv"),
                 str(odd)]) == 1
    assert "is not an export this reader knows" in capsys.readouterr().err
    assert not library.exists() or rows(library) == {}


def test_state_can_be_changed(library: Path) -> None:
    imported(library, "pocket.csv")
    with store.opened(library) as db:
        article_id = store.find_by_url(db, "https://www.example.net/rivers/flood-maps")
        assert article_id is not None
        changed = store.set_state(db, article_id, read=False)
    assert (changed.read, changed.archived) == (False, True)


def test_saving_the_same_url_from_the_reader_replaces_the_link(library: Path) -> None:
    from reader.library.importing import fetch_links, waiting_links

    imported(library, "pocket.csv")
    url = "https://www.example.net/rivers/flood-maps"
    with store.opened(library) as db:
        store.save(db, Annotated(Article(text="The river rose in the night. " * 20,
                                         title="Rivers", url=url)))
        assert not rows(library)[url].link_only
        assert waiting_links(db) == 4  # three links, and this one's analysis
    asked: list[str] = []

    def gone(request: httpx.Request) -> httpx.Response:
        asked.append(str(request.url))
        return httpx.Response(410, text="gone")

    report = fetch_links(library, analyse=no_analysis, transport=httpx.MockTransport(gone))
    assert report.fetched == 0 and report.failed == 3
    assert url not in asked and len(asked) == 3
    with store.opened(library) as db:
        assert waiting_links(db) == 0
        state = db.execute("SELECT f.state FROM import_fetches f JOIN saved_articles a"
                           " ON a.id = f.article_id WHERE a.url = ?", (url,)).fetchone()
    assert state == ("done",)


def test_cli_list_marks_links_and_archived(library: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    from reader.cli.library import run_library

    imported(library, "pocket.csv")
    assert run_library(["list", "--library", str(library)]) == 0
    out = capsys.readouterr().out
    assert "Rivers, rain and the new flood maps" in out
    assert "(link only, archived)" in out


def test_opening_a_link_says_its_text_is_not_fetched(library: Path) -> None:
    from reader.sources import Source, load

    imported(library, "pocket.csv", "wallabag.json")
    with store.opened(library) as db:
        link = store.find_by_url(db, "https://www.example.net/rivers/flood-maps")
        full = store.find_by_url(db, "https://blog.example.com/garden")
    assert link is not None and full is not None
    loaded = load(Source("saved", str(link)), library=library)
    assert loaded.warning is not None and "not been fetched" in loaded.warning
    assert load(Source("saved", str(full)), library=library).warning is None


def test_import_data_reads_any_export_and_the_readers_own_json(library: Path) -> None:
    from reader.library.importing import import_data

    own = json.dumps(Annotated(Article(text="Words of an exported article.", title="Own",
                                       url="https://example.com/own")).to_dict()).encode()
    with store.opened(library) as db:
        first = import_data(db, (IMPORTS / "pocket.zip").read_bytes(), "p.zip")
        second = import_data(db, own, "own.json")
        again = import_data(db, own, "own.json")
    assert (first.format, first.added) == ("pocket-zip", 3)
    assert (second.format, second.added, again.added, again.merged) == ("reader", 1, 0, 1)
    assert "Pocket export (zip), 3 items" in first.summary(with_format=True)


def test_content_that_yields_no_text_is_saved_as_a_link(library: Path) -> None:
    data = json.dumps([{"url": "https://example.com/empty", "title": "Empty",
                        "content": "<div><script>x()</script></div>", "is_archived": 0,
                        "tags": [], "annotations": [{"quote": "gone", "text": "n"}]}])
    with store.opened(library) as db:
        report = import_parsed(db, read_export(data.encode()), analyse=no_analysis)
    assert report.links == 1 and report.waiting == 1
    assert "could not be read" in report.problems[0] and "saved as a link" in report.problems[0]
    assert rows(library)["https://example.com/empty"].link_only
