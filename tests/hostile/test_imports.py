"""Hostile export files: zip bombs, archives that climb out of themselves, too many
members, giant CSV fields, deep JSON, control characters in titles. Each is refused in
one line or read safely; never a traceback, never a file written outside the library."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from reader.errors import ReaderError
from reader.library.importers import detect, read_export
from reader.library.importers.safezip import MAX_MEMBERS, SafeZip, ZipLimits
from tests.hostile.conftest import HOSTILE_ARG, assert_error, assert_ok, run_reader

HEADER = "title,url,time_added,cursor,tags,status\n"


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_zip_bomb_is_refused_by_its_ratio(home: Path) -> None:
    bomb = (HEADER + "A,https://example.com/a,1714557600,c,,unread\n").encode() + \
        b"\n" * (8 * 1024 * 1024)
    export = home / "pocket.zip"
    export.write_bytes(zipped({"part_000000.csv": bomb}))
    assert export.stat().st_size < 50_000
    assert_error(run_reader("import", str(export), home=home), "zip bomb")


@pytest.mark.parametrize("name", ["../../evil.csv", "/etc/evil.csv", "C:\\evil.csv",
                                  "ok/../../evil.csv"])
def test_member_names_outside_the_archive_refuse_the_file(home: Path, name: str) -> None:
    export = home / "pocket.zip"
    export.write_bytes(zipped({name: (HEADER + "A,https://example.com/a,1,c,,unread\n")
                               .encode()}))
    assert_error(run_reader("import", str(export), home=home), "outside the archive")
    assert not (home.parent / "evil.csv").exists()
    assert not (home / "evil.csv").exists()


def test_too_many_members() -> None:
    data = zipped({f"part_{n:06d}.csv": b"" for n in range(MAX_MEMBERS + 1)})
    with pytest.raises(ReaderError, match="holds 10001 files"):
        detect(data, "pocket.zip")


def test_total_uncompressed_size_is_capped() -> None:
    rows = (HEADER + "A,https://example.com/a,1714557600,c,,unread\n" * 2000).encode()
    data = zipped({f"part_{n:06d}.csv": rows for n in range(4)})
    limits = ZipLimits(total_bytes=len(rows) * 2 + 10)
    with pytest.raises(ReaderError, match="larger than the export limits"):
        read_export(data, "pocket.zip", limits=limits)


def test_a_member_past_the_size_limit_is_refused_whatever_its_header_says() -> None:
    data = zipped({"part_000000.csv": HEADER.encode() + b"x" * 5000})
    archive = SafeZip(data, "pocket.zip", ZipLimits(member_bytes=1000))
    with pytest.raises(ReaderError, match="too large"):
        archive.read("part_000000.csv")


def test_a_broken_zip_is_one_line() -> None:
    with pytest.raises(ReaderError, match="not a readable zip"):
        detect(b"PK\x03\x04" + b"\x00" * 100, "x.zip")


def test_deep_json_is_refused() -> None:
    with pytest.raises(ReaderError, match="nested too deeply"):
        detect(b"[" * 100_000 + b"]" * 100_000, "deep.json")


def test_lone_surrogates_in_json_are_refused() -> None:
    data = json.dumps([{"url": "https://example.com/\ud800", "is_archived": 0}]).encode()
    with pytest.raises(ReaderError, match="surrogate"):
        read_export(data, "wallabag.json")


def test_a_header_of_a_thousand_columns_is_not_an_export() -> None:
    header = "title,url,time_added,cursor,tags,status," + ",".join(
        f"c{n}" for n in range(1000))
    parsed = read_export((header + "\nA,https://example.com/a,1,c,,unread\n").encode())
    assert parsed.items == [] and "columns" in parsed.problems[0]


def test_tags_and_times_from_strangers_are_bounded() -> None:
    tags = "|".join(f"t{n}" for n in range(5000))
    data = (HEADER + f"A,https://example.com/a,99999999999999999999,c,{tags},unread\n"
            + "B,https://example.com/b,-5,c,,unread\n").encode()
    first, second = read_export(data).items
    assert len(first.tags) == 100
    assert first.saved is None and second.saved is None


def test_control_characters_in_titles_and_rows_never_reach_the_terminal(home: Path) -> None:
    title = HOSTILE_ARG.replace('"', "")
    export = home / "instapaper.csv"
    export.write_text("URL,Title,Selection,Folder,Timestamp\n"
                      f"https://example.com/a,\"{title}\",,\"{title}\",1714560000\n"
                      f"\"{title}\",x,,Unread,1714560000\n", encoding="utf-8")
    result = run_reader("import", str(export), home=home)
    assert_ok(result)
    assert "row 2: not a web address" in result.stderr
    listing = run_reader("library", "list", home=home)
    assert_ok(listing)
    assert "Calm" in listing.stdout


def test_omnivore_slugs_cannot_name_other_members() -> None:
    metadata = [{"slug": "../part", "url": "https://example.com/a", "title": "A",
                 "savedAt": "2024-05-01T00:00:00Z", "labels": []},
                {"slug": "content/../../secret", "url": "https://example.com/b",
                 "title": "B", "savedAt": "2024-05-01T00:00:00Z", "labels": []}]
    data = zipped({"metadata_0_to_2.json": json.dumps(metadata).encode(),
                   "content/part.html": b"<p>not this one</p>",
                   "part.html": b"<p>nor this</p>"})
    parsed = read_export(data, "omnivore.zip")
    assert [i.content for i in parsed.items] == [None, None]


def test_markup_in_an_imported_title_stays_text(tmp_path: Path) -> None:
    from reader.library import store
    from reader.library.importing import import_parsed

    data = (HEADER + '"Price [USD] rises [/] [@click=app.quit]x[/]",'
            "https://example.com/a,1714557600,c,[b]tag,unread\n").encode()
    with store.opened(tmp_path / "lib.sqlite3") as db:
        import_parsed(db, read_export(data), analyse=lambda a: [])
        (row,) = store.list_articles(db).rows
    assert row.title == "Price [USD] rises [/] [@click=app.quit]x[/]"
    assert row.tags == ("[b]tag",)


@pytest.mark.parametrize("url", ["http://169.254.169.254/latest/meta-data/",
                                 "http://0.0.0.0/admin", "http://[fe80::1]/x"])
def test_imported_links_never_reach_link_local_or_unspecified_addresses(
        tmp_path: Path, url: str) -> None:
    import httpx

    from reader.library import store
    from reader.library.importing import fetch_links, import_parsed

    asked: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(str(request.url))
        return httpx.Response(200, html="<p>secret</p>")

    library = tmp_path / "lib.sqlite3"
    with store.opened(library) as db:
        import_parsed(db, read_export((HEADER + f"A,{url},1714557600,c,,unread\n").encode()),
                      analyse=lambda a: [])
    report = fetch_links(library, transport=httpx.MockTransport(answer), analyse=lambda a: [])
    assert report.failed == 1 and "refused" in report.errors[0]
    assert asked == []
