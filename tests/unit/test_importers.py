"""Reading other services' exports: detection by content, and each format's items."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from reader.errors import ReaderError
from reader.library.importers import detect, read_export
from reader.library.importers.omnivore import parse_highlights
from tests.conftest import FIXTURES

IMPORTS = FIXTURES / "imports"


def fixture(name: str) -> bytes:
    return (IMPORTS / name).read_bytes()


@pytest.mark.parametrize(("name", "kind"), [
    ("pocket.csv", "pocket"), ("pocket.zip", "pocket-zip"), ("pocket.html", "pocket-html"),
    ("omnivore.zip", "omnivore"), ("wallabag.json", "wallabag"),
    ("instapaper.csv", "instapaper"), ("bookmarks.html", "bookmarks"),
])
def test_each_export_is_recognised_by_its_content(name: str, kind: str) -> None:
    # The name says nothing: the detector only ever sees the bytes.
    assert detect(fixture(name), "export.dat") == kind


def test_the_readers_own_json_is_still_recognised() -> None:
    assert detect(b'{"schema": "reader.annotated/1", "article": {}}') == "reader"


@pytest.mark.parametrize("data", [b"just some words\n", b"a,b,c\n1,2,3\n", b"[1, 2, 3]",
                                  b"<html><body><p>hi</p></body></html>"])
def test_other_files_are_refused_in_one_line(data: bytes) -> None:
    with pytest.raises(ReaderError, match="not"):
        detect(data, "x")


def test_pocket_csv_items_tags_state_dates_and_bad_rows() -> None:
    parsed = read_export(fixture("pocket.csv"))
    assert parsed.format == "pocket"
    first, second, untitled, bakery = parsed.items
    assert first.url.startswith("https://news.example.org/harbour/cranes")
    assert first.tags == ("shipping", "local")
    assert (first.read, first.archived) == (False, False)
    assert first.saved == "2024-05-01T10:00:00Z"
    assert second.title == "Rivers, rain and the new flood maps"
    assert second.tags == ("climate", "maps", "data")
    assert (second.read, second.archived) == (True, True)
    assert untitled.title == "" and untitled.tags == ()
    assert bakery.saved is None  # "not-a-time" is not a date; the import time is used
    assert parsed.problems == ["row 4: no URL",
                               "row 5: not a web address: 'mailto:someone@example.org'"]
    assert all(item.content is None for item in parsed.items)


def test_pocket_zip_reads_every_part_in_order() -> None:
    parsed = read_export(fixture("pocket.zip"))
    assert [i.title for i in parsed.items] == ["Harbour cranes return to work",
                                               "Night trains are back",
                                               "Bakery opens on the quay"]
    assert parsed.items[1].archived
    assert parsed.problems == ["part_000001.csv: row 2: no URL"]


def test_pocket_html_reads_unread_and_archive_lists() -> None:
    parsed = read_export(fixture("pocket.html"))
    assert [(i.title, i.archived) for i in parsed.items] == [
        ("Harbour cranes return to work", False), ("Night trains are back", False),
        ("Rivers, rain and the new flood maps", True)]
    assert parsed.items[0].tags == ("shipping", "local")
    assert parsed.problems == ["link 3: not a web address: 'javascript:alert(1)'"]


def test_bookmarks_folders_become_tags_but_not_the_browsers_own() -> None:
    parsed = read_export(fixture("bookmarks.html"))
    by_title = {i.title: i for i in parsed.items}
    assert by_title["Night trains are back"].tags == ()
    assert by_title["Why we keep lists"].tags == ("Reading & Research", "lists", "habits")
    assert by_title["Bakery opens on the quay"].saved == "2024-05-06T10:06:40Z"
    assert parsed.problems == ["link 3: not a web address: 'file:///home/user/notes.txt'"]


def test_instapaper_folders_and_selection() -> None:
    parsed = read_export(fixture("instapaper.csv"))
    cranes, lists, garden = parsed.items
    assert cranes.notes[0].quote.startswith("The cranes at the north quay")
    assert (lists.read, lists.archived) == (True, True)
    assert garden.tags == ("Gardening",)
    assert parsed.problems == ["row 4: not a web address: 'not a url'"]


def test_instapaper_tags_column_holds_a_json_list() -> None:
    data = (b"URL,Title,Selection,Folder,Timestamp,Tags\n"
            b'https://example.com/a,A,,Unread,1714560000,"[""x"",""y z""]"\n')
    assert read_export(data).items[0].tags == ("x", "y z")


def test_wallabag_content_tags_state_and_annotations() -> None:
    parsed = read_export(fixture("wallabag.json"))
    garden, lists = parsed.items
    assert garden.content is not None and "hazel poles" in garden.content
    assert garden.tags == ("gardening", "Home")
    assert garden.archived and not lists.archived
    assert "starred" in lists.tags
    assert garden.saved == "2024-05-03T10:00:00Z"  # +02:00 taken into account
    assert [(n.quote, n.note) for n in lists.notes] == [
        ("A list is a promise to a future self.", "the core idea"),
        ("Calendars are lists that learned to count.", "not in the text")]
    assert parsed.problems == ["entry 3: no URL"]


def test_omnivore_zip_content_labels_state_and_highlights() -> None:
    parsed = read_export(fixture("omnivore.zip"))
    cranes, trains = parsed.items
    assert cranes.content is not None and "slewing ring" in cranes.content
    assert cranes.tags == ("shipping", "port") and cranes.archived and cranes.read
    assert trains.content is None and not trains.read
    assert len(cranes.notes) == 3
    assert parsed.problems == ["metadata_0_to_3.json: item 3: no URL"]


def test_omnivore_highlight_markdown() -> None:
    notes = parse_highlights("> first line\n> second line [⤴️](https://x.example/#1)\n\n"
                             "#label #other\n\nmy note\n\n> another one\n")
    assert [(n.quote, n.note) for n in notes] == [("first line second line", "my note"),
                                                  ("another one", "")]


def test_a_lone_omnivore_metadata_file_gives_links() -> None:
    data = json.dumps([{"slug": "a", "url": "https://example.com/a", "title": "A",
                        "labels": [{"name": "x"}], "savedAt": "2024-01-02T03:04:05Z"}])
    parsed = read_export(data.encode())
    assert parsed.format == "omnivore"
    assert parsed.items[0].tags == ("x",) and parsed.items[0].content is None


def test_a_csv_field_past_the_limit_is_one_bad_row_and_reading_goes_on() -> None:
    huge = "x" * 200_000
    data = ("title,url,time_added,cursor,tags,status\n"
            f'"{huge}",https://example.com/1,1714557600,c,,unread\n'
            "ok,https://example.com/2,1714557600,c,,unread\n").encode()
    parsed = read_export(data)
    assert any(p.startswith("row 1: unreadable") for p in parsed.problems)
    assert [i.url for i in parsed.items][-1] == "https://example.com/2"


def test_pocket_zip_from_a_zip_in_memory(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("part_000000.csv", "title,url,time_added,cursor,tags,status\n"
                                            "A,https://example.com/a,1714557600,c,t1|t2,archive\n")
    parsed = read_export(buffer.getvalue(), "pocket.zip")
    assert parsed.items[0].tags == ("t1", "t2")
