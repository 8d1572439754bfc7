"""``reader import FILE --fetch``: imported links fetched from a server on 127.0.0.1,
with the usual caps, resumable after an interruption, and no link ever fetched twice."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import pytest

from reader.cli.library import run_import
from reader.errors import Cancelled
from reader.fetch import Cancel, FetchLimits
from reader.library import store
from reader.library.importers import read_export
from reader.library.importing import FetchProgress, fetch_links, import_parsed, waiting_links
from reader.models import Annotated, Article
from tests.link_server import LinkServer, article_page

PATHS = [f"/story/{n}" for n in range(1, 7)]


def no_analysis(articles: Sequence[Article]) -> Iterable[Annotated]:
    return [Annotated(article) for article in articles]


def pocket_csv(server: LinkServer, paths: Sequence[str]) -> bytes:
    lines = ["title,url,time_added,cursor,tags,status"]
    lines += [f"Story {n},{server.url(p)},1714557600,c{n},imported,unread"
              for n, p in enumerate(paths, start=1)]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def server() -> Iterable[LinkServer]:
    pages = {p: article_page(f"Story {p.rsplit('/', 1)[1]}") for p in PATHS}
    with LinkServer(pages) as running:
        yield running


def test_fetch_replaces_links_with_their_text(tmp_path: Path, server: LinkServer,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    library = tmp_path / "lib.sqlite3"
    export = tmp_path / "pocket.csv"
    export.write_bytes(pocket_csv(server, [*PATHS[:2], "/missing"]))
    status = run_import(["--library", str(library), str(export), "--fetch"],
                        analyse=no_analysis)
    err = capsys.readouterr().err
    assert status == 1  # one link could not be fetched
    assert "could not fetch" in err and "/missing" in err
    assert "fetched 2 links, 1 could not be fetched" in err
    with store.opened(library) as db:
        page = store.list_articles(db)
        by_url = {r.url: r for r in page.rows}
        story = by_url[server.url(PATHS[0])]
        assert not story.link_only and story.word_count > 50
        assert story.tags == ("imported",)
        assert by_url[server.url("/missing")].link_only
        saved = store.get(db, story.id)
        assert "harbour, the weather" in saved.annotated.article.text
        assert store.source_of(db, story.id) is not None  # the page is kept, as for save
    # Running again fetches nothing: done and failed links are not asked for twice.
    assert run_import(["--library", str(library), "--fetch"], analyse=no_analysis) == 0
    assert all(count == 1 for count in server.hits.values()), server.hits


def test_interrupted_fetch_goes_on_without_fetching_any_link_twice(tmp_path: Path,
                                                                  server: LinkServer) -> None:
    library = tmp_path / "lib.sqlite3"
    with store.opened(library) as db:
        import_parsed(db, read_export(pocket_csv(server, PATHS)), analyse=no_analysis)
        assert waiting_links(db) == len(PATHS)
    cancel = Cancel()
    seen: list[FetchProgress] = []

    def stop_after_two(step: FetchProgress) -> None:
        if step.starting:
            return
        seen.append(step)
        if step.done == 2:
            cancel.cancel()  # the user pressed ctrl+c, or closed the screen

    with pytest.raises(Cancelled):
        fetch_links(library, cancel=cancel, analyse=no_analysis, progress=stop_after_two,
                    limits=FetchLimits(timeout=10))
    assert [s.done for s in seen] == [1, 2] and seen[0].total == len(PATHS)
    assert sum(server.hits.values()) == 2
    with store.opened(library) as db:
        assert waiting_links(db) == len(PATHS) - 2
    report = fetch_links(library, analyse=no_analysis, limits=FetchLimits(timeout=10))
    assert report.fetched == len(PATHS) - 2
    assert sorted(server.hits) == sorted(PATHS)
    assert set(server.hits.values()) == {1}
    with store.opened(library) as db:
        assert waiting_links(db) == 0
        assert not any(r.link_only for r in store.list_articles(db).rows)


def test_text_stored_before_analysis_is_analysed_without_fetching_again(
        tmp_path: Path, server: LinkServer) -> None:
    library = tmp_path / "lib.sqlite3"
    with store.opened(library) as db:
        import_parsed(db, read_export(pocket_csv(server, PATHS[:1])), analyse=no_analysis)

    def broken(articles: Sequence[Article]) -> Iterable[Annotated]:
        raise KeyboardInterrupt  # killed while analysing, after the text was stored

    with pytest.raises(KeyboardInterrupt):
        fetch_links(library, analyse=broken)
    calls: list[str] = []

    def counting(articles: Sequence[Article]) -> Iterable[Annotated]:
        calls.extend(a.title for a in articles)
        return no_analysis(articles)

    fetch_links(library, analyse=counting)
    assert calls == ["Story 1"]
    assert server.hits[PATHS[0]] == 1


def test_waiting_highlights_are_anchored_once_the_text_arrives(tmp_path: Path,
                                                               server: LinkServer) -> None:
    library = tmp_path / "lib.sqlite3"
    data = ("URL,Title,Selection,Folder,Timestamp\n"
            f"{server.url(PATHS[0])},Story 1,\"the subject of paragraph 3, which tells\","
            "Unread,1714560000\n").encode()
    with store.opened(library) as db:
        report = import_parsed(db, read_export(data), analyse=no_analysis)
    assert (report.highlights, report.waiting) == (1, 1)
    result = fetch_links(library, analyse=no_analysis)
    assert (result.highlights, result.anchored) == (1, 1)
    with store.opened(library) as db:
        (article,) = store.list_articles(db).rows
        (mark,) = store.highlights(db, article.id)
    assert mark.text == "the subject of paragraph 3, which tells"


def test_fetch_keeps_the_size_cap(tmp_path: Path, server: LinkServer) -> None:
    library = tmp_path / "lib.sqlite3"
    with store.opened(library) as db:
        import_parsed(db, read_export(pocket_csv(server, PATHS[:1])), analyse=no_analysis)
    report = fetch_links(library, analyse=no_analysis,
                         limits=FetchLimits(timeout=10, max_bytes=200))
    assert report.failed == 1 and "larger than" in report.errors[0]
